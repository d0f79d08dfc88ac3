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

No export carries a person's name: a fiche is described by its organisation, and a title made of
names becomes « Participant à titre individuel ». Files are byte-for-byte reproducible: their only
date is the last update of the data.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import sys
import threading
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .index import Index
from .model import Directory, Participant, Publication
from .validate import load_schema

FILE_STEM = "repertoire-initiatives"
SCHEMA_FILE = "schema.json"
LIST_SEPARATOR = ";"
PARAGRAPH_SEPARATOR = "\n"
LICENCE = {"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence version 2.0", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
DATASET_TITLE = "Répertoire des initiatives territoriales pour l'emploi"
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
    Field("initiativeTitre", "Titre", "Titre de la fiche : nom de l'organisation, ou « Participant à titre individuel ». Aucun nom de personne.", lambda p, i: p.title_without_names, constraints={"required": True}, example="Communauté de communes du Bazadais"),
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
    """The attribution Licence Ouverte 2.0 requires: producer, date of last update, link."""
    return f"{publication.publisher.name} — {DATASET_TITLE}, données mises à jour le {updated} — {publication.site_url}"


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


def _reproducible_zip(content: bytes, updated: str) -> bytes:
    """The same archive with every member dated `updated`: odfpy stamps the current time."""
    stamp = tuple(int(part) for part in updated.split("-")) + (0, 0, 0)
    source, output = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, stamp)
            info.compress_type, info.external_attr = member.compress_type, member.external_attr
            target.writestr(info, source.read(member.filename))
    return output.getvalue()


def _sheet(name: str, rows: list[list[str]]):
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    sheet = Table(name=name)
    for row in rows:
        line = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            for paragraph in value.split(PARAGRAPH_SEPARATOR) if value else ():
                cell.addElement(P(text=paragraph))
            line.addElement(cell)
        sheet.addElement(line)
    return sheet


def ods_bytes(index: Index) -> bytes:
    """The CSV's lines as a spreadsheet, with a sheet « a-propos » and the licence in the document's metadata."""
    from odf import dc, meta
    from odf.element import Element
    from odf.opendocument import OpenDocumentSpreadsheet

    publication, updated = index.directory.publication, last_update(index.directory)
    # odfpy declares, in every document, each XML namespace any document of the process has used (a class-level
    # dict): start from none, so that the file depends on the data only.
    Element.namespaces.clear()
    document = OpenDocumentSpreadsheet()
    document.meta.addElement(dc.Title(text=DATASET_TITLE))
    document.meta.addElement(dc.Creator(text=publication.publisher.name))
    document.meta.addElement(dc.Date(text=f"{updated}T00:00:00"))
    document.meta.addElement(dc.Description(text=f"{LICENCE['title']}. Attribution : {attribution(publication, updated)}"))
    document.meta.addElement(meta.UserDefined(name="Licence", text=LICENCE["path"]))
    document.spreadsheet.addElement(_sheet("initiatives", table_rows(index)))
    about = [["Titre", DATASET_TITLE], ["Producteur", publication.publisher.name], ["Mise à jour", updated], ["Licence", f"{LICENCE['title']} — {LICENCE['path']}"], ["Attribution", attribution(publication, updated)]]
    about += [[f.name, f"{f.title} : {f.description}"] for f in FIELDS]
    document.spreadsheet.addElement(_sheet("a-propos", about))
    buffer = io.BytesIO()
    document.write(buffer)
    return _reproducible_zip(buffer.getvalue(), updated)


FORMATS = ("json", "csv", "ods")


def build_exports(index: Index, formats: Iterable[str] = FORMATS) -> list[ExportFile]:
    """The open-data files of `formats`, in memory. The CSV always comes with its TableSchema."""
    updated = last_update(index.directory)
    makers = {
        "json": lambda: [ExportFile(f"{FILE_STEM}.json", "Tout le répertoire : fiches, territoires, dispositifs, thématiques, ateliers et glossaire", "JSON", "application/json", json_bytes(index))],
        "csv": lambda: [
            ExportFile(f"{FILE_STEM}.csv", "Les fiches, une ligne par fiche", "CSV", "text/csv", csv_bytes(index)),
            ExportFile(SCHEMA_FILE, "La description des colonnes du fichier CSV", "TableSchema, JSON", "application/schema+json", (json.dumps(table_schema(index.directory.publication, updated), ensure_ascii=False, indent=2) + "\n").encode("utf-8")),
        ],
        "ods": lambda: [_spreadsheet(ods_bytes(index))],
    }
    return [file for name in formats for file in makers[name]()]


def _spreadsheet(content: bytes) -> ExportFile:
    return ExportFile(f"{FILE_STEM}.ods", "Les fiches dans un tableur, une ligne par fiche", "tableur ODS", "application/vnd.oasis.opendocument.spreadsheet", content)


SPREADSHEET_ASIDE_FROM = 400
"""From this many fiches, `Exports` has the spreadsheet made by a child process: odfpy builds a model of
every cell, 44 s and 600 MB at 10,000 fiches, which then run on the second core, outside the build's
process. Below, starting that process would cost more than it saves."""

_index_for_child: Index | None = None
"""The index a forked child makes the spreadsheet of: it shares the parent's memory, nothing is copied."""


def _spreadsheet_of_shared_index() -> bytes:
    return ods_bytes(_index_for_child)


class Exports:
    """The open-data files of an index, made while the site is built (as `build_exports`).

    The JSON and CSV files are made at once (`take_made` hands them over, to be written and let go);
    the spreadsheet is made aside on a large directory (`spreadsheet` waits for it). `downloads`
    describes every file for the « Données ouvertes » page, waiting for the spreadsheet when called:
    that page is rendered last.
    """

    def __init__(self, index: Index):
        global _index_for_child
        self._pool = None
        if len(index.participants) >= SPREADSHEET_ASIDE_FROM and sys.platform == "linux" and threading.active_count() == 1:
            _index_for_child = index  # forking is only safe with no other thread (`mkdocs serve` has some)
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            self._content = self._pool.submit(_spreadsheet_of_shared_index)
            _index_for_child = None
        else:
            self._content = Future()
            self._content.set_result(ods_bytes(index))
        self._made = build_exports(index, ("json", "csv"))
        self._made_downloads = [file.download() for file in self._made]

    def take_made(self) -> list[ExportFile]:
        made, self._made = self._made, []
        return made

    def spreadsheet(self) -> ExportFile:
        content = self._content.result()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        return _spreadsheet(content)

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
