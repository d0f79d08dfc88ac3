"""``python -m repertoire nouvelle-fiche``: a valid new participant file from a few answers.

In: the data folder (to know the territories and the identifiers already taken) and the answers,
given as options or, for those missing, asked one by one in French. Each answer is checked at
once with the build's own rules (JSON Schema, known territories) and asked again when wrong.
Out: ``data/participants/<id>.yml``, in the project's format (schema line first, keys in schema
order), that ``python -m repertoire verifier`` accepts. An existing file is never overwritten.

Example::

    python -m repertoire nouvelle-fiche --id mission-locale-landes --organisation "Mission locale des Landes" \\
        --type association --territoire landes --non-interactif
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .importer import dump_yaml
from .load import PARTICIPANTS_DIR, REFERENCE_FILES, Document, load_sources, relative
from .model import Directory
from .problems import Problem, errors
from .text import fold
from .validate import check_fiche, check_participant_references, future_date, load_schema, most_telling, validate

_UNREADABLE = ["réponse illisible : le terminal n'envoie pas ses caractères en UTF-8 — réglez-le en UTF-8 (par exemple LANG=fr_FR.UTF-8), puis retapez la réponse"]
NEW_NOTE = "# Nouvelle fiche : complétez-la (dispositifs, thématiques, actions, défis, besoins, ressources), voir CONTRIBUTING.md."


@dataclass
class Answers:
    """What the person said, as given on the command line (None: not given, to be asked)."""

    ident: str | None = None
    organisation: str | None = None
    kind: str | None = None
    territories: list[str] | None = None
    person: str | None = None
    updated: str | None = None


class Interrupted(Exception):
    """The person closed the input (Ctrl+D) or stopped the command (Ctrl+C) before the last answer: nothing is written."""


class ReferencesFaulty(Exception):
    """A reference file has errors (already said): no answer could be checked against it."""


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
"""Letters that no accent removal turns into an identifier's (« Cœur » → « coeur »); « ß » folds into « ss »."""


def _slug(text: str) -> str:
    """The identifier proposed for a name, as the contribution form's `slug` makes it."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).translate(_LIGATURES))[:80].strip("-")


def build_fiche(answers: Answers) -> dict:
    """The fiche's data, keys in schema order, empty answers left out."""
    fiche: dict = {"id": answers.ident}
    if answers.person:
        fiche["personnes"] = [{"nom": answers.person}]
    if answers.organisation:
        fiche["organisation"] = {"nom": answers.organisation, "type": answers.kind}
    if answers.territories:
        fiche["territoires"] = answers.territories
    fiche["mise_a_jour"] = answers.updated or date.today().isoformat()
    order = list(load_schema("participant")["properties"])
    return {key: fiche[key] for key in order if key in fiche}


def problems_of(fiche: dict, directory: Directory, file: str) -> list[Problem]:
    """What the build would say of this fiche, were it written at `file`."""
    document = Document(file, fiche)
    found = check_fiche(document) + list(check_participant_references(document, directory))
    future = None if errors(found) else future_date(file, fiche["mise_a_jour"], date.today())
    return most_telling(found + ([future] if future else []))


class Scaffold:
    """Asks for the missing answers, checks each one, writes the file."""

    def __init__(self, data_dir: Path, ask: Callable[[str], str] | None, say: Callable[[str], None]):
        self.data_dir = data_dir
        self.folder = data_dir / PARTICIPANTS_DIR
        checked = validate(load_sources(data_dir))
        self.directory = checked.directory
        reference_files = {relative(data_dir / f"{name}.yml", data_dir.parent) for name in REFERENCE_FILES}
        self.references_faulty = [p for p in errors(checked.problems) if p.file in reference_files]
        self.ask, self.say = ask, say
        self.kinds = load_schema("participant")["properties"]["organisation"]["properties"]["type"]["x-libelles"]

    def _file(self, ident: str) -> str:
        return relative(self.folder / f"{ident}.yml", self.data_dir.parent)

    def _faults(self, answers: Answers, *field: str) -> list[str]:
        """The build's messages about one field of the fiche these answers make (« organisation », « nom »: its name only)."""
        ident = answers.ident or "nouvelle-fiche"
        fiche = build_fiche(replace(answers, ident=ident))
        found = [p for p in errors(problems_of(fiche, self.directory, self._file(ident))) if p.path[: len(field)] == field]
        if field == ("id",) and not found and (self.folder / f"{ident}.yml").exists():
            return [f"id: le fichier {self._file(ident)} existe déjà — choisissez un autre identifiant, ou modifiez ce fichier"]
        return [f"{p.field_name}: {p.message}" + (f" — {p.hint}" if p.hint else "") for p in found]

    def _question(self, prompt: str, default: str = "") -> str:
        if self.ask is None:
            return default
        try:
            answer = self.ask(f"{prompt}{f' [{default}]' if default else ''} : ").strip()
        except (EOFError, KeyboardInterrupt):
            raise Interrupted from None
        return answer or default

    def _until_valid(self, prompt: str, given: str | None, default: str, check: Callable[[str], list[str]]) -> str:
        """The answer given as an option, else asked until `check` finds nothing wrong with it."""
        value = given if given is not None else self._question(prompt, default)
        while faults := (_UNREADABLE if any("\ud800" <= c <= "\udfff" for c in value) else check(value)):
            for fault in faults:
                self.say(fault)
            if self.ask is None or given is not None:
                raise ValueError(value)
            value = self._question(prompt, default)
        return value

    def _kind_of(self, answer: str) -> str:
        """A type answered by its number in the list, or by its key."""
        choices = list(self.kinds)
        return choices[int(answer) - 1] if answer.isdigit() and 1 <= int(answer) <= len(choices) else answer

    def run(self, answers: Answers) -> Path:
        """Complete and check the answers, then write the new file.

        Raises:
            ValueError: a wrong answer given as an option, or a needed answer missing (already said).
            Interrupted: the input was closed before the end.
            FileExistsError: the file appeared meanwhile; it is left untouched.
        """
        a = answers
        if self.references_faulty:
            for problem in self.references_faulty:
                self.say(str(problem))
            raise ReferencesFaulty
        a.organisation = self._until_valid("Nom de l'organisation (laissez vide pour un participant à titre individuel)", a.organisation, "",
                                           lambda value: self._faults(replace(a, organisation=value), "organisation", "nom"))
        if a.organisation:
            if a.kind is None and self.ask is not None:
                self.say("Types de structure :")
                for number, (key, label) in enumerate(self.kinds.items(), 1):
                    self.say(f"  {number:>2}. {label} ({key})")
            answer = self._until_valid("Type de structure (numéro ou mot entre parenthèses)", a.kind, "",
                                       lambda value: self._faults(replace(a, kind=self._kind_of(value)), "organisation", "type"))
            a.kind = self._kind_of(answer)
        a.ident = self._until_valid("Identifiant de la fiche (minuscules sans accent, chiffres, tirets)", a.ident, _slug(a.organisation or ""),
                                    lambda value: self._faults(replace(a, ident=value), "id") if value else ["id: l'identifiant est obligatoire — écrivez par exemple « petr-sud-gironde »"])
        if a.territories is None:
            answer = self._until_valid("Territoire principal (identifiant de data/territoires.yml ; laissez vide si aucun)", None, "",
                                       lambda value: self._faults(replace(a, territories=[value] if value else None), "territoires"))
            a.territories = [answer] if answer else []
        else:
            self._until_valid("", ",".join(a.territories), "", lambda value: self._faults(a, "territoires"))
        a.person = self._until_valid("Nom de la personne qui représente le participant (facultatif)", a.person, "",
                                     lambda value: self._faults(replace(a, person=value), "personnes"))
        fiche = build_fiche(a)
        remaining = errors(problems_of(fiche, self.directory, self._file(a.ident)))
        for problem in remaining:
            self.say(str(problem))
        if remaining:
            raise ValueError(fiche)
        path = self.folder / f"{a.ident}.yml"
        with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even a file created meanwhile
            out.write(dump_yaml(fiche, NEW_NOTE))
        return path


def main_nouvelle_fiche(data_dir: Path, answers: Answers, interactive: bool) -> int:
    """Run the scaffold from the command line. Returns 0 written, 1 a wrong answer, 2 misuse or interrupted."""
    if not (data_dir / PARTICIPANTS_DIR).is_dir():
        print(f"Le dossier {data_dir / PARTICIPANTS_DIR} n'existe pas.", file=sys.stderr)
        return 2
    # Asked questions, the list of types and what to fix go together on the terminal; without questions, faults go to stderr.
    scaffold = Scaffold(data_dir, input if interactive else None, print if interactive else (lambda text: print(text, file=sys.stderr)))
    if not interactive and answers.organisation and answers.kind is None:
        print("--type est obligatoire avec --organisation (sans --non-interactif, la question est posée).", file=sys.stderr)
        return 2
    if not interactive and not answers.ident and not answers.organisation:
        print("--id est obligatoire (sans --non-interactif, la question est posée).", file=sys.stderr)
        return 2
    try:
        path = scaffold.run(answers)
    except Interrupted:
        print("\nSaisie interrompue : aucune fiche écrite.", file=sys.stderr)
        return 2
    except ReferencesFaulty:
        print("Corrigez d'abord ces fichiers de référence : la fiche ne peut pas être vérifiée sans eux. Aucune fiche écrite.", file=sys.stderr)
        return 1
    except (ValueError, FileExistsError):
        print("Aucune fiche écrite.", file=sys.stderr)
        return 1
    shown = relative(path, data_dir.parent)
    print(f"Fiche créée : {shown}. Complétez-la, puis vérifiez-la avec « .venv/bin/python -m repertoire verifier ».")
    return 0
