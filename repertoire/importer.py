"""Importer — turn a workshop table into draft participant fiches.

In: the text export of a workshop table, UTF-8, one participant per line::

    (blank lines)
    Atelier du 16 mars 2021                        ← title, with the date in French
    Cet atelier a permis de dresser…               ← introduction (every other line before the header)
    Participants/ Territoire<TAB>Démarches…<TAB>Mes défis…<TAB>J'ai besoin…<TAB>Je peux être ressource…
    <p>Lucie Leroy / Grand Angoulême</p><TAB><p>- dispositif : PLIE</p><TAB>…

The header is the first line holding tabs: a participant column, then the four content
columns, in this order: actions, défis, besoins, ressources. Cells may hold HTML fragments.
What the reader does with them:

- a Markdown separator row (``--<TAB>--<TAB>---…``) and blank lines are skipped;
- a line whose first cell is empty continues the record above, cell by cell; a sentence cut at
  the line break (« …fond de » / « revitalisation Ford. ») is joined back into one item;
- each ``<p>``, ``<li>`` or other block is an item, and so is each hyphen bullet inside a block:
  ``<ul style="…"> - un - deux`` (never closed, no ``<li>``) gives « un », « deux ». A hyphen
  starts an item only at the start of a block or after a space, and before a letter, a digit or
  a quote, so « Mont-de-Marsan », « co-construction » or « avril-sept.2021 » stay whole;
- inline tags (``<u>``…) are dropped, their text kept; entities are decoded; runs of spaces
  become one space. No word of the table is lost: only markup and bullet hyphens go.

Out:

- `read_table(path)` → `Workshop` (title, ISO date, introduction, header cells) with its
  `Record`s (physical line numbers from 1, participant text, items of each content column);
- `split_participant(text)` → the person names and the organisation text of a participant cell,
  a best guess for the curator;
- `write_drafts(workshop, out_dir)` → one draft ``<atelier>-ligne-<n>.yml`` per record not yet in
  ``out_dir``. A record is there when a fiche's ``source`` names this table and one of its lines,
  whatever the file is called, so curated fiches are never overwritten nor duplicated. Drafts
  bear no personal name in their id: the curator renames them
  (``data/participants/<id>.yml``) and completes names, organisation type, territories,
  dispositifs and thématiques.

Example, on an empty folder then once the fiches are curated::

    $ python -m repertoire importer ../shared/seed/atelier-2021-03-16.txt --sortie data/participants
    atelier-2021-03-16.txt : « Atelier du 16 mars 2021 » (2021-03-16), 22 fiches lues.
    brouillon écrit : data/participants/atelier-2021-03-16-ligne-10.yml (ligne 10)
    …
    brouillon écrit : data/participants/atelier-2021-03-16-ligne-30.yml (lignes 30, 32)
    …
    22 brouillons écrits, 0 fiche déjà présente conservée.
    $ python -m repertoire importer ../shared/seed/atelier-2021-03-16.txt --sortie data/participants
    atelier-2021-03-16.txt : « Atelier du 16 mars 2021 » (2021-03-16), 22 fiches lues.
    0 brouillon écrit, 22 fiches déjà présentes conservées.

A draft (``atelier-2021-03-16-ligne-30.yml``, shortened)::

    # yaml-language-server: $schema=../schemas/participant.schema.json
    # Brouillon importé : à relire (…), puis renommer le fichier et son id.
    id: atelier-2021-03-16-ligne-30
    personnes:
      - nom: Denis Paineau
    organisation:
      nom: CdC du Bazadais
      type: autre
    actions:
      - 'Retour d''expériences :'
      - …
      - 'Plusieurs financements sont mobilisés : Leader + 2 Cdc + fond de revitalisation Ford.'
    atelier: atelier-2021-03-16
    source:
      fichier: atelier-2021-03-16.txt
      lignes:
        - 30
        - 32
    mise_a_jour: '2021-03-16'

In Python::

    >>> workshop = read_table("atelier-2021-03-16.txt")
    >>> workshop.records[13].lines, workshop.records[13].actions[3]
    ([30, 32], 'Plusieurs financements sont mobilisés : Leader + 2 Cdc + fond de revitalisation Ford.')

Exit status of `main_importer`: 0 done, 1 the table cannot be read, 2 the file is missing.
"""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from .load import parse
from .text import MONTHS

CONTENT_FIELDS = ("actions", "defis", "besoins", "ressources")
"""YAML keys of the four content columns, in table order."""
SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/participant.schema.json"
DRAFT_NOTE = "# Brouillon importé : à relire (noms, organisation et son type, territoires, dispositifs, thématiques), puis renommer le fichier et son id."

_MONTHS = {name: number for number, name in enumerate(MONTHS, start=1)}
_DATE = re.compile(r"\b(\d{1,2})(?:er)?\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
_SEPARATOR_CELL = re.compile(r":?-+:?")
_BLOCK_TAGS = {"p", "ul", "ol", "li", "br", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th"}
_BULLET = re.compile(r"(?:^|(?<=\s))-\s*(?=[\w\"'«“])")
_SENTENCE_END = tuple(".!?…:;")
_NAME_END = re.compile(r"\s*/\s*|\s+-\s+|,\s+")
_CAPITALS_NAME = re.compile(r"[A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)? [A-ZÀ-Þ]{3,}(?:-[A-ZÀ-Þ]{2,})*\b")


class TableError(ValueError):
    """The table cannot be read; the message, in French, names the file and the line."""


@dataclass
class Record:
    """One participant of the table, possibly spread over several lines."""

    lines: list[int]
    """Physical line numbers in the table, from 1 (``[30, 32]`` for a continued record)."""
    participant: str
    """Text of the participant cell, tags removed."""
    actions: list[str] = field(default_factory=list)
    """Items of the « actions » column; `defis`, `besoins` and `ressources` likewise."""
    defis: list[str] = field(default_factory=list)
    besoins: list[str] = field(default_factory=list)
    ressources: list[str] = field(default_factory=list)


@dataclass
class Workshop:
    """The workshop a table reports on, with its records in table order."""

    source: str
    """File name of the table (``atelier-2021-03-16.txt``), as fiches cite it."""
    title: str
    date: str
    """ISO date read from the preamble (``2021-03-16``)."""
    introduction: str
    """The preamble lines after the title, verbatim."""
    header: list[str]
    records: list[Record]

    @property
    def id(self) -> str:
        """Identifier of the workshop in data/ateliers.yml (``atelier-2021-03-16``)."""
        return f"atelier-{self.date}"


@dataclass
class Draft:
    """What `write_drafts` did for one record."""

    record: Record
    path: Path
    written: bool
    """False when the record already had a fiche, left untouched at `path`."""


class _BlockParser(HTMLParser):
    """Collect the text of an HTML fragment, cut into blocks at block-level tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks = [""]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.blocks.append("")

    def handle_data(self, data: str) -> None:
        self.blocks[-1] += data


def _blocks(html: str) -> list[str]:
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


def _collapse(text: str) -> str:
    return " ".join(text.split())


def cell_text(html: str) -> str:
    """The text of a cell on one line: tags removed, entities decoded, spaces collapsed."""
    return _collapse(" ".join(_blocks(html)))


def cell_items(html: str) -> list[str]:
    """The items of a content cell: one per block and per hyphen bullet, marker removed."""
    return [item for block in _blocks(html) for part in _BULLET.split(block) if (item := _collapse(part))]


def _append_items(items: list[str], html: str) -> None:
    """Add a continuation cell's items, joining back a sentence cut at the line break."""
    more = cell_items(html)
    if items and more and not items[-1].endswith(_SENTENCE_END) and cell_text(html)[:1].islower():
        items[-1] = f"{items[-1]} {more.pop(0)}"
    items.extend(more)


def _parse_date(lines: list[str]) -> str | None:
    for line in lines:
        if match := _DATE.search(line):
            day, month, year = match.groups()
            return datetime.date(int(year), _MONTHS[month.lower()], int(day)).isoformat()
    return None


def read_table(path: str | Path) -> Workshop:
    """Read a workshop table.

    Args:
        path: the tab-separated text file.
    Returns:
        The workshop and its records.
    Raises:
        FileNotFoundError: no such file.
        TableError: the file is not UTF-8, has no header, no date, or a line that fits nowhere.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").split("\n")
    except UnicodeDecodeError as error:
        raise TableError(f"{path.name} : le fichier n'est pas encodé en UTF-8 (octet {error.start + 1}).") from None
    start = next((i for i, line in enumerate(lines) if "\t" in line), None)
    if start is None:
        raise TableError(f"{path.name} : aucune ligne d'en-tête trouvée (cellules séparées par des tabulations).")
    header = [cell_text(cell) for cell in lines[start].split("\t")]
    if len(header) != 1 + len(CONTENT_FIELDS):
        raise TableError(f"{path.name}, ligne {start + 1} : l'en-tête a {len(header)} cellules, {1 + len(CONTENT_FIELDS)} attendues (participant, actions, défis, besoins, ressources).")
    preamble = [line.strip() for line in lines[:start] if line.strip()]
    try:
        date = _parse_date(preamble)
    except ValueError as error:
        raise TableError(f"{path.name} : la date du préambule n'existe pas ({error}).") from None
    if date is None:
        raise TableError(f"{path.name} : aucune date (par exemple « 16 mars 2021 ») trouvée avant l'en-tête.")
    records: list[Record] = []
    for number, line in enumerate(lines[start + 1:], start=start + 2):
        cells = line.split("\t")
        if not line.strip() or all(_SEPARATOR_CELL.fullmatch(cell.strip()) for cell in cells):
            continue
        if len(cells) > len(header):
            raise TableError(f"{path.name}, ligne {number} : {len(cells)} cellules, {len(header)} attendues.")
        cells += [""] * (len(header) - len(cells))
        participant = cell_text(cells[0])
        if participant:
            records.append(Record([number], participant))
        elif records:
            records[-1].lines.append(number)
        else:
            raise TableError(f"{path.name}, ligne {number} : la cellule participant est vide et aucune ligne ne la précède ; indiquez le participant.")
        for name, cell in zip(CONTENT_FIELDS, cells[1:]):
            _append_items(getattr(records[-1], name), cell)
    return Workshop(path.name, preamble[0], date, "\n".join(preamble[1:]), header, records)


def split_participant(text: str) -> tuple[list[str], str]:
    """Guess the person names and the organisation of a participant cell.

    The names end at the first « / », « - » or comma, or right after a name with its surname in
    capitals (« Marion GIORDANI ADSI - PLIE technowest », « Maison de l'emploi de Bordeaux
    Agnès PALLET »); several persons are joined by « et ». Unusual cells are left to the curator.

    Returns:
        The names as written, and the rest of the cell ("" when nothing is left).
    """
    separator = _NAME_END.search(text)
    end = separator.start() if separator else len(text)
    capitals = _CAPITALS_NAME.search(text, 0, end)
    if capitals and " et " not in text[:end]:
        names, rest = capitals.group(), text[:capitals.start()] + text[capitals.end():]
    else:
        names, rest = text[:end], text[end:]
    return re.split(r"\s+et\s+", names.strip()), rest.strip(" /-,")


def draft_fiche(workshop: Workshop, record: Record) -> dict:
    """The draft fiche of a record, keys in schema order; names are kept as the table writes them."""
    persons, organisation = split_participant(record.participant)
    fiche = {
        "id": f"{workshop.id}-ligne-{record.lines[0]}",
        "personnes": [{"nom": name} for name in persons],
        "organisation": {"nom": organisation, "type": "autre"} if organisation else None,
        **{name: getattr(record, name) for name in CONTENT_FIELDS},
        "atelier": workshop.id,
        "source": {"fichier": workshop.source, "lignes": record.lines},
        "mise_a_jour": workshop.date,
    }
    return {key: value for key, value in fiche.items() if value}


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists. PyYAML quotes every string a YAML 1.1 reader would
    take for something else (dates, yes/no, numbers, 12:30)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


# YAML 1.2 reads « 0o17 » as a number, YAML 1.1 does not: quote it too.
_Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?0o[0-7]+$"), list("-+0"))


def dump_yaml(fiche: dict, comment: str | None = None) -> str:
    """A fiche as YAML text, after the schema line (and `comment`, a ``#`` line, if given)."""
    body = yaml.dump(fiche, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=float("inf"))
    return "\n".join(filter(None, [SCHEMA_LINE, comment, body]))


def _imported_lines(out_dir: Path, source: str) -> dict[int, Path]:
    """Line number → fiche of `out_dir` whose ``source`` cites that line of `source`."""
    found: dict[int, Path] = {}
    for path in sorted(out_dir.glob("*.yml")):
        document, _ = parse(path.read_bytes(), path.name)  # an unreadable fiche cites nothing
        data = document.data if document else None
        origin = data.get("source") if isinstance(data, dict) else None
        if isinstance(origin, dict) and origin.get("fichier") == source and isinstance(origin.get("lignes"), list):
            found.update(dict.fromkeys(origin["lignes"], path))
    return found


def write_drafts(workshop: Workshop, out_dir: str | Path) -> list[Draft]:
    """Write a draft fiche for every record that has none yet in `out_dir` (created if needed).

    An existing file is never overwritten.

    Returns:
        One `Draft` per record, in table order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    imported = _imported_lines(out_dir, workshop.source)
    drafts = []
    for record in workshop.records:
        fiche = draft_fiche(workshop, record)
        path = next((imported[n] for n in record.lines if n in imported), out_dir / f"{fiche['id']}.yml")
        written = not path.exists()
        if written:
            path.write_text(dump_yaml(fiche, DRAFT_NOTE), encoding="utf-8")
        drafts.append(Draft(record, path, written))
    return drafts


def _lines_label(lines: list[int]) -> str:
    return ("ligne " if len(lines) == 1 else "lignes ") + ", ".join(map(str, lines))


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n < 2 else plural}"


def main_importer(table_path: str | Path, out_dir: str | Path) -> int:
    """``python -m repertoire importer TABLEAU --sortie DOSSIER``: read the table, write the drafts.

    Returns:
        The exit status: 0 done, 1 the table cannot be read, 2 the file does not exist.
    """
    try:
        workshop = read_table(table_path)
    except FileNotFoundError:
        print(f"Le fichier {table_path} n'existe pas.", file=sys.stderr)
        return 2
    except TableError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{workshop.source} : « {workshop.title} » ({workshop.date}), {_count(len(workshop.records), 'fiche lue', 'fiches lues')}.")
    drafts = write_drafts(workshop, out_dir)
    for draft in drafts:
        if draft.written:
            print(f"brouillon écrit : {draft.path} ({_lines_label(draft.record.lines)})")
    written = sum(draft.written for draft in drafts)
    print(f"{_count(written, 'brouillon écrit', 'brouillons écrits')}, {_count(len(drafts) - written, 'fiche déjà présente conservée', 'fiches déjà présentes conservées')}.")
    return 0
