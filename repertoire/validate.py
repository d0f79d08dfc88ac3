"""Stage 2 — validate: check the loaded documents and build the `Directory`.

In: `Sources` from `repertoire.load`.
Out: `Validated`, the directory built from every document that passed, and every problem found
(schema rules, forbidden characters, references between files), located at file:line:column.

Each file is checked against its JSON Schema in `data/schemas/` — the one definition of its
format, also published for editors and used by the contribution form. The schema's error is
turned into a French message quoting the value received and saying what to do. Rules the
schema cannot express (identifier equal to the file name, references to other files,
duplicates) are small generators below. Every file is checked; nothing stops at the first fault.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .load import Document, Sources, locate
from .model import (
    Directory,
    GlossaryEntry,
    Link,
    Organisation,
    Participant,
    Person,
    Publication,
    Publisher,
    Scheme,
    Territory,
    Theme,
    Workshop,
)
from .problems import Path as FieldPath
from .problems import Problem, errors, quote
from .text import fold

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "data" / "schemas"

_TYPE_NAMES = {
    "string": "un texte",
    "array": "une liste",
    "object": "un bloc de champs",
    "boolean": "true ou false",
    "integer": "un nombre entier",
    "number": "un nombre",
    "null": "une valeur vide",
}

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # control characters (tab and newline are allowed)
    "\u200b-\u200f"  # zero-width characters and direction marks
    "\u202a-\u202e\u2066-\u2069"  # bidirectional overrides and isolates
    "\u2060\ufeff]"
)


@cache
def load_schema(name: str) -> dict:
    """The JSON Schema of a data file: ``participant`` or a reference file name."""
    return json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


_NEWER_THAN_DRAFT_7 = {"prefixItems", "unevaluatedItems", "unevaluatedProperties", "dependentRequired", "dependentSchemas", "$dynamicRef", "$anchor", "minContains", "maxContains"}
_ANNOTATIONS = {"$ref", "title", "description", "default", "examples", "$comment"}


def _draft_7_reads_it_alike(schema: Any) -> bool:
    """True when draft 7 (what fastjsonschema implements) and 2020-12 mean the same by `schema`:
    no newer keyword, and nothing but annotations beside a ``$ref`` (draft 7 ignores them)."""
    if isinstance(schema, list):
        return all(map(_draft_7_reads_it_alike, schema))
    if not isinstance(schema, dict):
        return True
    if _NEWER_THAN_DRAFT_7 & schema.keys():
        return False
    if "$ref" in schema and not all(key in _ANNOTATIONS or key.startswith("x-") for key in schema):
        return False
    return all(map(_draft_7_reads_it_alike, schema.values()))


@cache
def _accepts(name: str) -> Callable[[Any], bool]:
    """A compiled check that tells quickly whether a document is valid (about 20 times faster than
    jsonschema); jsonschema then explains the faults of the few documents it refuses."""
    schema = load_schema(name)
    if not _draft_7_reads_it_alike(schema):
        return lambda data: False
    compiled = fastjsonschema.compile(schema)

    def accepts(data: Any) -> bool:
        try:
            compiled(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return accepts


def _received(value: Any) -> str:
    if isinstance(value, bool):
        return f"true ou false ({quote(value)})"
    if isinstance(value, (int, float)):
        return f"un nombre ({value})"
    if isinstance(value, str):
        return f"un texte ({quote(value)})"
    if value is None:
        return "une valeur vide"
    return "une liste" if isinstance(value, list) else "un bloc de champs"


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"vouliez-vous dire « {close[0]} » ?"
    shown = ", ".join(choices[:12]) + (", …" if len(choices) > 12 else "")
    return f"valeurs possibles : {shown}"


def _schema_problems(error: ValidationError, file: str) -> Iterator[Problem]:
    """French problems for one JSON Schema error."""
    path: FieldPath = tuple(error.absolute_path)
    value = error.instance
    rule, expected = error.validator, error.validator_value
    described = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    if rule == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        for key in value:
            if key not in known:
                yield Problem("cle-inconnue", file, path + (key,), on_key=True, message=f"le champ « {key} » n'existe pas", hint=_suggest(key, known))
    elif rule == "required":
        for key in expected:
            if key not in value:
                yield Problem("champ-manquant", file, path, message=f"le champ obligatoire « {key} » est absent", hint=f"ajoutez une ligne « {key}: … »")
    elif rule == "type":
        hint = "corrigez la valeur"
        if expected == "string" and not isinstance(value, (list, dict)):
            hint = "mettez la valeur entre guillemets"
        elif expected == "array":
            hint = "écrivez une liste : un élément par ligne, précédé de « - »"
        yield Problem("type-invalide", file, path, message=f"attendu {_TYPE_NAMES.get(expected, expected)}, reçu {_received(value)}", hint=hint)
    elif rule == "enum":
        yield Problem("valeur-invalide", file, path, message=f"{quote(value)} n'est pas une valeur possible", hint=_suggest(str(value), [str(v) for v in expected]))
    elif rule == "minLength":
        yield Problem("valeur-invalide", file, path, message="le texte est vide", hint="écrivez un texte ou retirez la ligne")
    elif rule == "maxLength":
        yield Problem("valeur-invalide", file, path, message=f"le texte fait {len(value)} caractères, la limite est {expected}", hint="raccourcissez-le ou découpez-le en plusieurs éléments")
    elif rule == "uniqueItems":
        seen: set = set()
        for index, item in enumerate(value):
            if item in seen:
                yield Problem("valeur-invalide", file, path + (index,), message=f"{quote(item)} apparaît deux fois dans la liste", hint="retirez le doublon")
            seen.add(item)
    elif rule == "minItems":
        yield Problem("valeur-invalide", file, path, message="la liste est vide", hint="ajoutez au moins un élément")
    elif rule == "minimum":
        yield Problem("valeur-invalide", file, path, message=f"{quote(value)} est trop petit (minimum {expected})", hint="corrigez le nombre")
    elif rule == "format":
        yield Problem("valeur-invalide", file, path, message=f"{quote(value)} n'est pas une date réelle", hint="écrivez une date existante au format AAAA-MM-JJ")
    else:  # pattern and any other rule: the schema's own description says what is expected
        yield Problem("valeur-invalide", file, path, message=f"{quote(value)} n'a pas la forme attendue", hint=described.rstrip(".") or "corrigez la valeur")


def check_schema(document: Document, schema_name: str) -> list[Problem]:
    if _accepts(schema_name)(document.data):
        return []
    problems: list[Problem] = []
    for error in _validator(schema_name).iter_errors(document.data):
        problems.extend(_schema_problems(error, document.file))
    return problems


def _strings(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))


def check_characters(document: Document) -> Iterator[Problem]:
    """Invisible, control and direction-override characters hide what a text really says."""
    for path, text in _strings(document.data):
        found = _FORBIDDEN.search(text)
        if found:
            char, code = found.group(), ord(found.group())
            name = unicodedata.name(char, "caractère de contrôle")
            yield Problem("caractere-interdit", document.file, path, message=f"caractère invisible U+{code:04X} ({name}) en position {found.start() + 1}", hint="retirez ce caractère (souvent venu d'un copier-coller)")


def check_fiche(document: Document) -> list[Problem]:
    """The checks a participant file needs alone, without the other files: shape, schema, characters."""
    if not isinstance(document.data, dict):
        return [Problem("type-invalide", document.file, message=f"attendu un bloc de champs (id, personnes, …), reçu {_received(document.data)}", hint="partez du modèle de fiche décrit dans CONTRIBUTING.md")]
    return check_schema(document, "participant") + list(check_characters(document))


def _known(kind: str, value: str, choices: Collection[str], file: str, path: FieldPath) -> Iterator[Problem]:
    if value not in choices:
        yield Problem("reference-inconnue", file, path, message=f"{quote(value)} n'est pas {kind}", hint=_suggest(value, sorted(choices)))


def _ids(documents: list[tuple[FieldPath, dict]], file: str, key: str = "id") -> Iterator[Problem]:
    seen: dict[str, FieldPath] = {}
    for path, item in documents:
        ident = str(item[key]).casefold()
        if ident in seen:
            yield Problem("id-en-double", file, path + (key,), message=f"{quote(item[key])} est déjà utilisé plus haut", hint="donnez un identifiant différent à chaque élément")
        seen.setdefault(ident, path)


@dataclass
class Validated:
    directory: Directory
    """Built from the documents that passed; complete only when `problems` has no error."""
    problems: list[Problem]


def _labels(schema: dict, *keys: str) -> dict[str, str]:
    node = schema
    for key in keys:
        node = node[key]
    return node["x-libelles"]


def _reference_items(document: Document | None) -> list[tuple[FieldPath, dict]]:
    if document is None or not isinstance(document.data, list):
        return []
    return [((index,), item) for index, item in enumerate(document.data) if isinstance(item, dict)]


def _build_publication(data: dict) -> Publication:
    publisher = data["editeur"]
    return Publication(Publisher(publisher["nom"], publisher["adresse"], publisher["contact"], publisher.get("delegue_protection_donnees")), data["fraicheur_mois"])


def _build_participant(document: Document) -> Participant:
    data = document.data
    persons = tuple(Person(p["nom"], p.get("nom_source"), p.get("fonction")) for p in data.get("personnes", []))
    org = data.get("organisation")
    organisation = Organisation(org["nom"], org["type"], org.get("nom_source"), org.get("sigle"), org.get("site_web")) if org else None
    title = data.get("titre") or (organisation.name if organisation else None)
    hide_names = data.get("masquer_noms", False)
    if not title:
        title = "Participant à titre individuel" if hide_names or not persons else ", ".join(p.name for p in persons)
    source = data.get("source") or {}
    return Participant(
        id=data["id"],
        file=document.file,
        title=title,
        persons=persons,
        hide_names=hide_names,
        organisation=organisation,
        territory_ids=tuple(data.get("territoires", ())),
        scheme_ids=tuple(data.get("dispositifs", ())),
        theme_ids=tuple(data.get("thematiques", ())),
        actions=tuple(data.get("actions", ())),
        challenges=tuple(data.get("defis", ())),
        needs=tuple(data.get("besoins", ())),
        offers=tuple(data.get("ressources", ())),
        links=tuple(Link(link["participant"], link["motif"]) for link in data.get("liens", ())),
        workshop_id=data.get("atelier"),
        source_file=source.get("fichier"),
        source_lines=tuple(source.get("lignes", ())),
        updated=data["mise_a_jour"],
    )


def _string_list(data: dict, key: str) -> list[tuple[int, str]]:
    values = data.get(key)
    return [(i, v) for i, v in enumerate(values) if isinstance(v, str)] if isinstance(values, list) else []


def check_participant_references(document: Document, directory: Directory) -> Iterator[Problem]:
    """References of one fiche, read from its raw data so that they are checked even when other fields are wrong."""
    file, data = document.file, document.data
    expected_id = Path(file).stem
    ident = data.get("id")
    if isinstance(ident, str) and ident != expected_id:
        yield Problem("id-different-du-fichier", file, ("id",), message=f"l'identifiant {quote(ident)} diffère du nom du fichier {quote(expected_id)}", hint=f"écrivez « id: {expected_id} » ou renommez le fichier")
    for key, kind, known in (
        ("territoires", "un territoire connu", directory.territories),
        ("dispositifs", "un dispositif connu", directory.schemes),
        ("thematiques", "une thématique connue", directory.themes),
    ):
        for index, value in _string_list(data, key):
            yield from _known(kind, value, known, file, (key, index))
    if isinstance(data.get("atelier"), str):
        yield from _known("un atelier connu", data["atelier"], directory.workshops, file, ("atelier",))
    links = data.get("liens")
    for index, link in enumerate(links if isinstance(links, list) else []):
        target = link.get("participant") if isinstance(link, dict) else None
        if not isinstance(target, str):
            continue
        if target == expected_id:
            yield Problem("reference-a-soi-meme", file, ("liens", index, "participant"), message="une fiche ne peut pas se proposer de l'aide à elle-même", hint="indiquez l'identifiant d'un autre participant")
        elif target not in directory.participants:
            yield from _known("un participant connu", target, directory.participants, file, ("liens", index, "participant"))


def _identity(participant: Participant) -> tuple:
    return (fold(participant.title), tuple(sorted(fold(p.name) for p in participant.persons)))


def check_duplicates(participants: list[Participant]) -> Iterator[Problem]:
    """Two fiches with the same title and the same persons describe the same participant."""
    first: dict[tuple, Participant] = {}
    for participant in participants:
        key = _identity(participant)
        if key in first:
            other = first[key]
            yield Problem("doublon-probable", participant.file, ("id",), message=f"cette fiche semble décrire le même participant que {other.file}", hint="fusionnez les deux fiches, ou distinguez-les par un « titre »")
        else:
            first[key] = participant


def _check_territory_cycles(territories: dict[str, Territory], file: str, positions: dict[str, FieldPath]) -> Iterator[Problem]:
    for start in territories:
        seen, stack = set(), [start]
        while stack:
            current = stack.pop()
            for parent in territories[current].parent_ids if current in territories else ():
                if parent == start:
                    yield Problem("reference-a-soi-meme", file, positions[start] + ("parents",), message=f"le territoire {quote(start)} se contient lui-même", hint="retirez le parent qui forme une boucle")
                    stack = []
                    break
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)


def validate(sources: Sources) -> Validated:
    """Check every document and build the directory.

    Returns:
        The directory and all problems, located and sorted by file, line and column.
    """
    problems = list(sources.problems)
    refs = sources.references
    valid: dict[str, list[tuple[FieldPath, dict]]] = {}
    for name in ("territoires", "dispositifs", "thematiques", "glossaire", "ateliers"):
        document = refs.get(name)
        if document is None:
            valid[name] = []
            continue
        found = check_schema(document, name) + list(check_characters(document))
        if name == "glossaire":
            found += list(_ids(_reference_items(document), document.file, key="terme"))
        else:
            found += list(_ids(_reference_items(document), document.file))
        problems += found
        valid[name] = [] if errors(found) else _reference_items(document)

    publication = refs.get("publication")
    publication_found = check_schema(publication, "publication") if publication else []
    problems += publication_found
    participant_schema = load_schema("participant")
    directory = Directory(
        participants={},
        territories={item["id"]: Territory(item["id"], item["nom"], item["type"], item.get("code_insee"), tuple(item.get("parents", ())), item.get("description")) for _, item in valid["territoires"]},
        schemes={item["id"]: Scheme(item["id"], item["nom"], item["description"], item["niveau"], item.get("sigle"), item.get("lien"), tuple(item.get("synonymes", ()))) for _, item in valid["dispositifs"]},
        themes={item["id"]: Theme(item["id"], item["nom"], item["description"]) for _, item in valid["thematiques"]},
        glossary=[GlossaryEntry(item["terme"], item["definition"], item.get("developpe"), tuple(item.get("variantes", ())), item.get("dispositif")) for _, item in valid["glossaire"]],
        workshops={item["id"]: Workshop(item["id"], item["titre"], item["date"], item["description"], item.get("introduction"), item.get("source")) for _, item in valid["ateliers"]},
        publication=_build_publication(publication.data) if publication and not errors(publication_found) else None,
        labels={
            "organisation": _labels(participant_schema, "properties", "organisation", "properties", "type"),
            "territoire": _labels(load_schema("territoires"), "items", "properties", "type"),
            "niveau": _labels(load_schema("dispositifs"), "items", "properties", "niveau"),
        },
    )

    territory_file = refs["territoires"].file if "territoires" in refs else ""
    positions = {item["id"]: path for path, item in valid["territoires"]}
    for path, item in valid["territoires"]:
        for index, parent in enumerate(item.get("parents", ())):
            problems += _known("un territoire connu", parent, directory.territories, territory_file, path + ("parents", index))
    problems += _check_territory_cycles(directory.territories, territory_file, positions)
    glossary_file = refs["glossaire"].file if "glossaire" in refs else ""
    for path, item in valid["glossaire"]:
        if "dispositif" in item:
            problems += _known("un dispositif connu", item["dispositif"], directory.schemes, glossary_file, path + ("dispositif",))

    participant_documents = []
    for document in sources.participants:
        found = document.checked if document.checked is not None else check_fiche(document)
        problems += found
        if not isinstance(document.data, dict):
            continue
        participant_documents.append(document)
        if not errors(found):
            participant = _build_participant(document)
            directory.participants[participant.id] = participant

    for document in participant_documents:
        problems += check_participant_references(document, directory)
    problems += check_duplicates(list(directory.participants.values()))

    documents = {d.file: d for d in [*refs.values(), *sources.participants]}
    return Validated(directory, locate(problems, documents))
