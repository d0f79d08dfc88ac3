"""What the contribution form and the editors read, published with the site as static files.

In: a valid `Index`, each fiche's data as its file says it (`pipeline.Checked.as_written`), the project
root (to find each fiche's comments) and the forge's addresses from the MkDocs settings (``repo_url``,
``edit_uri`` such as ``edit/main/content/``).
Out: `published_files(...)` → {address in the site: file text}:

- ``schemas/<nom>.schema.json``: every JSON Schema of ``data/schemas/``, byte for byte — the
  same schema the build validates with, for editors and for the form's validator;
- ``contribuer/listes.json``: the choices the form offers (territoires by kind, dispositifs,
  thématiques, ateliers), the identifiers already taken, the forge's « new file » and
  « edit file » addresses, and the publisher's contact address for those without a forge account;
- ``contribuer/fiches/<id>.json``: each fiche's data as its file says it, so that « Proposer une
  correction » starts from the current text. A fiche with ``masquer_noms: true`` is published
  without ``personnes``: names that the site hides are in no published file.

The form writes a fiche's YAML anew and cannot carry its comments over: ``listes.json`` gives, for each
fiche whose file has comments, their line numbers (``commentaires``), so that the form asks the
contributor to copy them by hand. Their text is not published: a note may name a person.
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path

import yaml

from .importer import SCHEMA_LINE
from .index import Index
from .model import Participant
from .validate import SCHEMAS_DIR
from .text import sort_key

FORM_FOLDER = "contribuer"
PARTICIPANTS_FOLDER = "data/participants"


def forge_addresses(repo_url: str, edit_uri: str) -> dict[str, str]:
    """GitHub's pages that create and edit a file on the branch that `edit_uri` names (``edit/<branche>/…``)."""
    branch = edit_uri.strip("/").split("/")[1]
    base = repo_url.rstrip("/")
    return {"nouveau": f"{base}/new/{branch}", "modifier": f"{base}/edit/{branch}", "dossier": PARTICIPANTS_FOLDER}


def _choices(index: Index, comments: dict[str, list[int]]) -> dict:
    """What the form offers to choose from; `comments`: each fiche's comment lines (`comment_lines`)."""
    d = index.directory
    territory_kinds = d.labels["territoire"]
    territories = sorted(d.territories.values(), key=lambda t: (list(territory_kinds).index(t.kind), sort_key(t.name)))
    return {
        "territoires": [{"id": t.id, "nom": t.name, "groupe": territory_kinds[t.kind]} for t in territories],
        "dispositifs": [{"id": s.id, "nom": s.name} for s in sorted(d.schemes.values(), key=lambda s: sort_key(s.name))],
        "thematiques": [{"id": t.id, "nom": t.name} for t in sorted(d.themes.values(), key=lambda t: sort_key(t.name))],
        "ateliers": [{"id": w.id, "nom": w.title} for w in d.workshops.values()],
        "participants": [
            {"id": ident, "titre": index.participant(ident).title, **({"commentaires": comments[ident]} if comments[ident] else {})}
            for ident in index.participants
        ],
    }


_COMMENT_START = re.compile(r"(?:^|(?<=\s))#", re.MULTILINE)


def comment_lines(text: str) -> list[int]:
    """The lines (from 1) of a valid YAML text that hold a comment, but for the schema line the form writes
    itself. A « # » inside a text (« #Happyterr# ») is not a comment: the scanner's scalars are skipped."""
    if "#" not in text.replace(SCHEMA_LINE, ""):
        return []  # nearly every fiche
    # libyaml's scanner: PyYAML's own takes 5 ms a fiche, 50 s of a 10,000-fiche build
    scalars = sorted((token.start_mark.index, token.end_mark.index) for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if isinstance(token, yaml.ScalarToken))
    starts = [start for start, _end in scalars]
    lines = set()
    for found in _COMMENT_START.finditer(text):
        inside = bisect.bisect_right(starts, found.start()) - 1
        if inside >= 0 and found.start() < scalars[inside][1]:
            continue
        line_start, line_end = text.rfind("\n", 0, found.start()) + 1, text.find("\n", found.start())
        if text[line_start : line_end if line_end >= 0 else None].strip() != SCHEMA_LINE:
            lines.add(text.count("\n", 0, found.start()) + 1)
    return sorted(lines)


def _fiche_as_written(participant: Participant, data: dict, project_root: Path) -> tuple[dict, list[int]]:
    """The fiche's data as its file says it, without the names it hides, and the lines of its comments."""
    if participant.hide_names:
        data = {key: value for key, value in data.items() if key != "personnes"}
    return data, comment_lines((project_root / participant.file).read_bytes().decode("utf-8-sig"))


def _json(value: object) -> str:
    """Compact: only the form reads these files (and Python's fast encoder writes no indentation)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def published_files(index: Index, as_written: dict[str, dict], project_root: Path, repo_url: str, edit_uri: str) -> dict[str, str]:
    """Every file the form and editors need, by address in the site."""
    files = {f"schemas/{schema.name}": schema.read_text(encoding="utf-8") for schema in sorted(SCHEMAS_DIR.glob("*.schema.json"))}
    publication = index.directory.publication
    contact = publication.publisher.contact if publication else None
    written = {p.id: _fiche_as_written(p, as_written[p.file], project_root) for p in map(index.participant, index.participants)}
    comments = {ident: lines for ident, (_data, lines) in written.items()}
    files[f"{FORM_FOLDER}/listes.json"] = _json({"forge": forge_addresses(repo_url, edit_uri), "contact": contact, **_choices(index, comments)})
    for ident, (data, _lines) in written.items():
        files[f"{FORM_FOLDER}/fiches/{ident}.json"] = _json(data)
    return files
