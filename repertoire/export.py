"""Stage 5 — export: the whole directory as open data, under Licence Ouverte 2.0.

In: an `Index` whose directory carries its `publication` settings (`data/publication.yml`).
Out: `build_exports(index, formats)` returns the files in memory (`ExportFile`: name, format, bytes);
`write_exports(files, folder)` writes them. Formats (`FORMATS`):

    json  repertoire-initiatives.json   every table of the directory, with the licence metadata
    csv   repertoire-initiatives.csv    one line per fiche, and schema.json, its TableSchema
    ods   repertoire-initiatives.ods    the same lines as a spreadsheet, licence in its metadata

The CSV follows the schema.data.gouv.fr conventions: UTF-8, comma, header line, CRLF line ends, one
line per fiche, every column on every line, ISO dates, camelCase column names sharing the prefix
« initiative ». A list is one cell: identifiers and names joined by « ; » (`LIST_SEPARATOR`),
paragraphs joined by a line break (`PARAGRAPH_SEPARATOR`). `FIELDS` is the one description of the
columns: CSV header, JSON keys, TableSchema and spreadsheet all come from it.

No export carries the persons of a fiche: a fiche is described by its organisation, and a title holding
a name becomes the organisation's name, or « Participant à titre individuel »; texts are as written (the
check warns when one cites a person of its fiche). Files are byte-for-byte reproducible: their only date
is the last update of the data.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .aside import Aside
from .index import Index
from .model import INDIVIDUAL_TITLE, Directory, Participant, Publication
from .text import french_date
from .typography import french_spacing
from .validate import load_schema

FILE_STEM = "repertoire-initiatives"
SCHEMA_FILE = "schema.json"
LIST_SEPARATOR = ";"
PARAGRAPH_SEPARATOR = "\n"
LICENCE = {"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence version 2.0", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
DATASET_TITLE = "Répertoire des initiatives territoriales pour l’emploi"
_ID_LIST = f"^([a-z0-9]+(-[a-z0-9]+)*({LIST_SEPARATOR}[a-z0-9]+(-[a-z0-9]+)*)*)?$"


@dataclass(frozen=True)
class Field:
    """One column of the open data, described once."""

    name: str
    title: str
    description: str
    value: Callable[[Participant, Index], object]
    """The value for one fiche: a text, or a tuple for a list (joined in CSV and spreadsheet)."""
    type: str = "string"
    constraints: dict | None = None
    example: str = ""
    separator: str | None = None
    """For a list: what joins its items in one cell."""

    def __post_init__(self):
        # The project's own French, shown on the « Données ouvertes » page: spaced as its templates are.
        object.__setattr__(self, "description", french_spacing(self.description))

    def cell(self, value: object) -> str:
        """The value as one CSV or spreadsheet cell."""
        if value is None:
            return ""
        return self.separator.join(value) if isinstance(value, tuple) else str(value)

    def schema(self) -> dict:
        """The TableSchema description of the column."""
        described = {"name": self.name, "title": self.title, "description": self.description, "type": self.type, "example": self.example}
        if self.type == "date":
            described["format"] = "%Y-%m-%d"
        return {**described, "constraints": self.constraints} if self.constraints else described


@dataclass(frozen=True)
class Download:
    """What the « Données ouvertes » page says of a file, without the file: at 10,000 fiches the
    files weigh 94 MB, written as soon as the site's folder is ready rather than kept for the build."""

    name: str
    title: str
    """What the file holds, for the link that downloads it."""
    format: str
    """The format as a reader knows it: « CSV », « JSON », « tableur ODS »."""
    size: int
    """In bytes."""


@dataclass(frozen=True)
class ExportFile:
    """An open-data file: what its `Download` says, its media type and its bytes."""

    name: str
    title: str
    format: str
    media_type: str
    content: bytes

    def download(self) -> Download:
        return Download(self.name, self.title, self.format, len(self.content))


def _names(table: dict, ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(table[i].name for i in ids)


def _page_address(participant: Participant, index: Index) -> str:
    return f"{index.directory.publication.site_url}participants/{participant.id}/"


def _paragraphs(suffix: str, title: str, attribute: str, example: str) -> Field:
    return Field(f"initiative{suffix}", title, "Paragraphes du participant, dans ses mots, séparés par un saut de ligne.", lambda p, i: getattr(p, attribute), example=example, separator=PARAGRAPH_SEPARATOR)


def _organisation(attribute: str) -> Callable[[Participant, Index], object]:
    return lambda p, i: getattr(p.organisation, attribute) if p.organisation else None


_IDENTIFIER = {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
_ORGANISATION_KINDS = list(load_schema("participant")["properties"]["organisation"]["properties"]["type"]["enum"])

FIELDS: tuple[Field, ...] = (
    Field("initiativeId", "Identifiant", "Identifiant de la fiche, stable : il forme l'adresse de sa page.", lambda p, i: p.id, constraints={"required": True, "unique": True, **_IDENTIFIER}, example="cc-bazadais"),
    Field("initiativeTitre", "Titre", f"Titre de la fiche : nom de l'organisation, ou « {INDIVIDUAL_TITLE} ». Aucun nom de personne.", lambda p, i: p.title_without_names, constraints={"required": True}, example="Communauté de communes du Bazadais"),
    Field("initiativeAdresse", "Adresse de la fiche", "Adresse web de la fiche sur le répertoire.", _page_address, constraints={"required": True, "pattern": "^https?://.+$"}, example="https://exemple.fr/repertoire/participants/cc-bazadais/"),
    Field("initiativeOrganisationNom", "Organisation", "Nom de l'organisation du participant, vide pour un participant à titre individuel.", _organisation("name"), example="Communauté de communes du Bazadais"),
    Field("initiativeOrganisationSigle", "Sigle de l'organisation", "Sigle de l'organisation, s'il y en a un.", _organisation("acronym"), example="CCB"),
    Field("initiativeOrganisationType", "Type d'organisation", "Type de structure (valeurs du schéma des fiches).", _organisation("kind"), constraints={"enum": _ORGANISATION_KINDS}, example="intercommunalite"),
    Field("initiativeOrganisationSiteWeb", "Site web de l'organisation", "Adresse du site web de l'organisation.", _organisation("website"), constraints={"pattern": "^https?://.+$"}, example="https://www.exemple.fr"),
    Field("initiativeTerritoires", "Territoires (identifiants)", "Identifiants des territoires d'action, le principal en premier, séparés par « ; ».", lambda p, i: p.territory_ids, constraints={"pattern": _ID_LIST}, example="cc-bazadais;gironde", separator=LIST_SEPARATOR),
    Field("initiativeTerritoiresNoms", "Territoires", "Noms des territoires d'action, dans le même ordre, séparés par « ; ».", lambda p, i: _names(i.directory.territories, p.territory_ids), example="Communauté de communes du Bazadais", separator=LIST_SEPARATOR),
    Field("initiativeDepartements", "Départements", "Départements où le participant agit, séparés par « ; ».", lambda p, i: _names(i.directory.territories, i.departements[p.id]), example="Gironde", separator=LIST_SEPARATOR),
    Field("initiativeRegions", "Régions", "Régions où le participant agit, séparées par « ; ».", lambda p, i: _names(i.directory.territories, i.regions[p.id]), example="Nouvelle-Aquitaine", separator=LIST_SEPARATOR),
    Field("initiativeDispositifs", "Dispositifs (identifiants)", "Identifiants des dispositifs cités, séparés par « ; ».", lambda p, i: p.scheme_ids, constraints={"pattern": _ID_LIST}, example="plie;leader", separator=LIST_SEPARATOR),
    Field("initiativeDispositifsNoms", "Dispositifs", "Noms des dispositifs cités, dans le même ordre, séparés par « ; ».", lambda p, i: _names(i.directory.schemes, p.scheme_ids), example="Plan local pour l'insertion et l'emploi", separator=LIST_SEPARATOR),
    Field("initiativeThematiques", "Thématiques (identifiants)", "Identifiants des thématiques, séparés par « ; ».", lambda p, i: p.theme_ids, constraints={"pattern": _ID_LIST}, example="recrutement;formation", separator=LIST_SEPARATOR),
    Field("initiativeThematiquesNoms", "Thématiques", "Noms des thématiques, dans le même ordre, séparés par « ; ».", lambda p, i: _names(i.directory.themes, p.theme_ids), example="Recrutement", separator=LIST_SEPARATOR),
    _paragraphs("Actions", "Actions engagées", "actions", "Un club d'entreprises est né pendant le confinement."),
    _paragraphs("Defis", "Défis", "challenges", "Recruter une personne chargée de la formation."),
    _paragraphs("Besoins", "Besoins", "needs", "Comment éviter les doublons ?"),
    _paragraphs("Ressources", "Ressources proposées", "offers", "Club d'entreprises"),
    Field("initiativeAtelier", "Atelier", "Identifiant de l'atelier où le participant a témoigné.", lambda p, i: p.workshop_id, constraints=_IDENTIFIER, example="atelier-2021-03-16"),
    Field("initiativeAtelierDate", "Date de l'atelier", "Date de l'atelier (AAAA-MM-JJ).", lambda p, i: i.directory.workshops[p.workshop_id].date if p.workshop_id else None, type="date", example="2021-03-16"),
    Field("initiativeSourceFichier", "Fichier source", "Fichier où le texte a été recueilli.", lambda p, i: p.source_file, example="atelier-2021-03-16.txt"),
    Field("initiativeSourceLignes", "Lignes du fichier source", "Numéros de lignes dans le fichier source, séparés par « ; ».", lambda p, i: tuple(str(n) for n in p.source_lines), constraints={"pattern": f"^([0-9]+({LIST_SEPARATOR}[0-9]+)*)?$"}, example="30;32", separator=LIST_SEPARATOR),
    Field("initiativeMiseAJour", "Dernière mise à jour", "Date de la dernière mise à jour ou confirmation de la fiche (AAAA-MM-JJ).", lambda p, i: p.updated, type="date", constraints={"required": True}, example="2021-03-16"),
    Field("initiativeProducteurNom", "Producteur", "Nom de l'organisme qui publie le répertoire.", lambda p, i: i.directory.publication.publisher.name, constraints={"required": True}, example="Région Nouvelle-Aquitaine"),
    Field("initiativeProducteurSiret", "SIRET du producteur", "Numéro SIRET de l'organisme qui publie le répertoire.", lambda p, i: i.directory.publication.publisher.siret, constraints={"pattern": "^[0-9]{14}$"}, example="20005372300014"),
)


def last_update(directory: Directory) -> str:
    """Date of the last update of the data: the newest fiche's (ISO), the date the licence attribution gives."""
    return max((p.updated for p in directory.participants.values()), default=min((w.date for w in directory.workshops.values()), default="1970-01-01"))


def attribution(publication: Publication, updated: str) -> str:
    """The attribution Licence Ouverte 2.0 requires, as a French sentence: producer, date of last update, link."""
    return f"{publication.publisher.name} — {DATASET_TITLE}, données mises à jour le {french_date(updated)} — {publication.site_url}"


def records(index: Index) -> list[dict[str, object]]:
    """One record per fiche: column name → text, tuple (a list) or None (empty)."""
    return [{f.name: f.value(p, index) or None for f in FIELDS} for p in map(index.participant, index.participants)]


def table_rows(index: Index) -> list[list[str]]:
    """The CSV and spreadsheet lines: the header, then one line per fiche."""
    return [[f.name for f in FIELDS]] + [[f.cell(record[f.name]) for f in FIELDS] for record in records(index)]


def _reference_tables(directory: Directory) -> dict[str, list[dict]]:
    return {
        "territoires": [{"id": t.id, "nom": t.name, "type": t.kind, "codeInsee": t.code, "parents": list(t.parent_ids)} for t in directory.territories.values()],
        "dispositifs": [{"id": s.id, "nom": s.name, "sigle": s.acronym, "niveau": s.level, "description": s.description, "lien": s.url} for s in directory.schemes.values()],
        "thematiques": [{"id": t.id, "nom": t.name, "description": t.description} for t in directory.themes.values()],
        "ateliers": [{"id": w.id, "titre": w.title, "date": w.date, "description": w.description} for w in directory.workshops.values()],
        "glossaire": [{"terme": g.term, "developpe": g.expansion, "definition": g.definition, "dispositif": g.scheme_id} for g in directory.glossary],
    }


def _metadata(publication: Publication, updated: str) -> dict:
    return {
        "titre": DATASET_TITLE,
        "producteur": publication.publisher.name,
        "producteurSiret": publication.publisher.siret,
        "miseAJour": updated,
        "adresse": publication.site_url,
        "licence": LICENCE,
        "attribution": attribution(publication, updated),
    }


def json_bytes(index: Index) -> bytes:
    """The whole directory: metadata, the fiches (same keys as the CSV columns, lists as arrays) and every reference table."""
    directory = index.directory
    fiches = [{key: list(value) if isinstance(value, tuple) else value for key, value in record.items()} for record in records(index)]
    document = {"metadonnees": _metadata(directory.publication, last_update(directory)), "initiatives": fiches, **_reference_tables(directory)}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def csv_bytes(index: Index) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(table_rows(index))
    return buffer.getvalue().encode("utf-8")


def table_schema(publication: Publication, updated: str) -> dict:
    """The TableSchema of the CSV, with the licence and its attribution."""
    return {
        "name": FILE_STEM,
        "title": DATASET_TITLE,
        "description": f"Une ligne par fiche du répertoire, sans nom de personne. Listes séparées par « {LIST_SEPARATOR} », paragraphes par un saut de ligne. Attribution : {attribution(publication, updated)}",
        "homepage": publication.site_url,
        "path": f"{publication.site_url}donnees/{SCHEMA_FILE}",
        "version": "0.1.0",
        "lastModified": updated,
        "contributors": [{"title": publication.publisher.name, "role": "author"}],
        "licenses": [LICENCE],
        "fields": [f.schema() for f in FIELDS],
        "primaryKey": ["initiativeId"],
        "missingValues": [""],
    }


_ODS_MIME_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


class _OdfPart:
    """One XML file of an OpenDocument package, written as a stream into the archive: a spreadsheet of
    10,000 fiches is 40 MB of XML, which odfpy took 44 s and 600 MB to build as a tree before writing."""

    def __init__(self, archive: zipfile.ZipFile, name: str, stamp: tuple[int, ...]):
        from xml.sax.saxutils import XMLGenerator  # imports urllib and email: not for the commands that write no spreadsheet

        member = zipfile.ZipInfo(name, stamp)
        member.compress_type = zipfile.ZIP_DEFLATED  # a member given by its ZipInfo is otherwise stored as is
        self._stream = io.TextIOWrapper(archive.open(member, "w"), encoding="utf-8")
        self._xml = XMLGenerator(self._stream, encoding="utf-8", short_empty_elements=True)
        self._xml.startDocument()

    def start(self, name: str, attributes: dict[str, str] | None = None) -> None:
        self._xml.startElement(name, attributes or {})

    def end(self, name: str) -> None:
        self._xml.endElement(name)

    def element(self, name: str, text: str = "", attributes: dict[str, str] | None = None) -> None:
        self.start(name, attributes)
        self._xml.characters(text)
        self.end(name)

    def close(self) -> None:
        self._xml.endDocument()
        self._stream.close()


def _root(version_attribute: str, *prefixes: str) -> dict[str, str]:
    """The attributes of a part's root element: the namespaces it uses, and the ODF version (1.2)."""
    return {**{f"xmlns:{prefix}": _ODS_NAMESPACES[prefix] for prefix in prefixes}, version_attribute: "1.2"}


def _write_sheet(content: _OdfPart, name: str, rows: Iterable[list[str]]) -> None:
    content.start("table:table", {"table:name": name})
    for row in rows:
        content.start("table:table-row")
        for value in row:
            content.start("table:table-cell", {"office:value-type": "string"})
            for paragraph in value.split(PARAGRAPH_SEPARATOR) if value else ():
                content.element("text:p", paragraph)
            content.end("table:table-cell")
        content.end("table:table-row")
    content.end("table:table")


def ods_bytes(index: Index) -> bytes:
    """The CSV's lines as an OpenDocument spreadsheet (ODF 1.2), with a sheet « a-propos » and the licence
    in the document's metadata; every member of the archive is dated by the data's last update."""
    publication, updated = index.directory.publication, last_update(index.directory)
    stamp = tuple(int(part) for part in updated.split("-")) + (0, 0, 0)
    about = [["Titre", DATASET_TITLE], ["Producteur", publication.publisher.name], ["Mise à jour", updated], ["Licence", f"{LICENCE['title']} — {LICENCE['path']}"], ["Attribution", attribution(publication, updated)]]
    about += [[f.name, f"{f.title} : {f.description}"] for f in FIELDS]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", stamp), _ODS_MIME_TYPE, compress_type=zipfile.ZIP_STORED)  # first, stored: how the format is recognised
        manifest = _OdfPart(archive, "META-INF/manifest.xml", stamp)
        manifest.start("manifest:manifest", _root("manifest:version", "manifest"))
        for path, media_type in (("/", _ODS_MIME_TYPE), ("content.xml", "text/xml"), ("meta.xml", "text/xml"), ("styles.xml", "text/xml")):
            manifest.element("manifest:file-entry", attributes={"manifest:full-path": path, "manifest:media-type": media_type})
        manifest.end("manifest:manifest")
        manifest.close()
        meta = _OdfPart(archive, "meta.xml", stamp)
        meta.start("office:document-meta", _root("office:version", "office", "meta", "dc"))
        meta.start("office:meta")
        meta.element("dc:title", DATASET_TITLE)
        meta.element("dc:creator", publication.publisher.name)
        meta.element("dc:date", f"{updated}T00:00:00")
        meta.element("dc:description", f"{LICENCE['title']}. Attribution : {attribution(publication, updated)}")
        meta.element("meta:user-defined", LICENCE["path"], {"meta:name": "Licence"})
        meta.end("office:meta")
        meta.end("office:document-meta")
        meta.close()
        styles = _OdfPart(archive, "styles.xml", stamp)
        styles.element("office:document-styles", attributes=_root("office:version", "office"))
        styles.close()
        content = _OdfPart(archive, "content.xml", stamp)
        content.start("office:document-content", _root("office:version", "office", "table", "text"))
        content.start("office:body")
        content.start("office:spreadsheet")
        _write_sheet(content, "initiatives", table_rows(index))
        _write_sheet(content, "a-propos", about)
        content.end("office:spreadsheet")
        content.end("office:body")
        content.end("office:document-content")
        content.close()
    return buffer.getvalue()


FORMATS = ("json", "csv", "ods")


def build_exports(index: Index, formats: Iterable[str] = FORMATS) -> list[ExportFile]:
    """The open-data files of `formats`, in memory. The CSV always comes with its TableSchema."""
    updated = last_update(index.directory)
    makers = {
        "json": lambda: [ExportFile(f"{FILE_STEM}.json", "Tout le répertoire\u202f: fiches, territoires, dispositifs, thématiques, ateliers et glossaire", "JSON", "application/json", json_bytes(index))],
        "csv": lambda: [
            ExportFile(f"{FILE_STEM}.csv", "Les fiches, une ligne par fiche", "CSV", "text/csv", csv_bytes(index)),
            ExportFile(SCHEMA_FILE, "La description des colonnes du fichier CSV", "TableSchema, JSON", "application/schema+json", (json.dumps(table_schema(index.directory.publication, updated), ensure_ascii=False, indent=2) + "\n").encode("utf-8")),
        ],
        "ods": lambda: [_spreadsheet(ods_bytes(index))],
    }
    return [file for name in formats for file in makers[name]()]


def _spreadsheet(content: bytes) -> ExportFile:
    return ExportFile(f"{FILE_STEM}.ods", "Les fiches dans un tableur, une ligne par fiche", "tableur ODS", "application/vnd.oasis.opendocument.spreadsheet", content)


class Exports:
    """The open-data files of an index, made while the site is built (as `build_exports`).

    The JSON and CSV files are made at once (`take_made` hands them over, to be written and let go).
    The spreadsheet is made aside on a large directory (`aside.Aside`, 3.6 s at 10,000 fiches);
    `spreadsheet` waits for it. `downloads` describes every file for the « Données ouvertes » page,
    waiting for the spreadsheet when called: that page is rendered last.
    """

    def __init__(self, index: Index):
        self._spreadsheet = Aside(partial(ods_bytes, index), len(index.participants))
        self._made = build_exports(index, ("json", "csv"))
        self._made_downloads = [file.download() for file in self._made]

    def take_made(self) -> list[ExportFile]:
        made, self._made = self._made, []
        return made

    def spreadsheet(self) -> ExportFile:
        return _spreadsheet(self._spreadsheet.result())

    def downloads(self) -> list[Download]:
        return [*self._made_downloads, self.spreadsheet().download()]


def write_exports(files: Iterable[ExportFile], folder: Path) -> list[Path]:
    """Write the files into `folder` (created if needed); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file in files:
        path = folder / file.name
        path.write_bytes(file.content)
        written.append(path)
    return written
