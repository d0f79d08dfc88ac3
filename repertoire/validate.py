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

import calendar
import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from .load import ID_PATTERN, QUOTE_THE_TEXT, Document, Sources, fiche_id, locate
from .model import (
    INDIVIDUAL_TITLE,
    Accessibility,
    Audit,
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
from .problems import ROUTINE, Problem, Severity, errors, quote
from .text import UNREADABLE, fold, french_date, invisible_character, unreadable

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

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

_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co"}
"""Unicode categories that show nothing or move text around: controls, format characters (zero-width,
direction overrides, soft hyphen, tag characters…) and the line and paragraph separators; and the private
use area, where a word processor's bullets (U+F0B7) show as a box anywhere else."""
_ALLOWED_CONTROLS = {"\t", "\n"}
# Characters of those categories exist only in planes 0, 1 and 14, but for the private use of planes 15 and 16,
# where no word processor puts its bullets (scanning them would cost a few milliseconds more).
_INVISIBLE_CODES = [
    code
    for code in [*range(0x20000), *range(0xE0000, 0xE1000)]
    if (unicodedata.category(chr(code)) in _INVISIBLE_CATEGORIES or chr(code) in UNREADABLE) and chr(code) not in _ALLOWED_CONTROLS
]


def _character_class(codes: list[int]) -> re.Pattern:
    """One regular expression of ranges finds these characters far faster than a look-up per character."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "") for low, high in ranges) + "]")


_INVISIBLE = _character_class(_INVISIBLE_CODES)
# Python's regular expressions test a class of characters of plane 0 alone with one table look-up, and
# a class reaching beyond it range by range: four times slower on every character of every text.
_INVISIBLE_IN_PLANE_0 = _character_class([code for code in _INVISIBLE_CODES if code <= 0xFFFF])


def _may_hold_invisible(text: str) -> bool:
    beyond_plane_0 = len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)  # the rare emoji: checked fully
    return beyond_plane_0 or _INVISIBLE_IN_PLANE_0.search(text) is not None


@cache
def load_schema(name: str) -> dict:
    """The JSON Schema of a data file: ``participant`` or a reference file name."""
    return json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # only for the few documents refused: a seventh of a run's start

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
    compiled = fastjsonschema.compile(schema, use_default=False)  # it would otherwise write defaults into the data

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


_INVISIBLE_EDGES = re.compile(r"^[\s\u200b\u2060\ufeff]+|[\s\u200b\u2060\ufeff]+$")
"""Spaces, no-break spaces and zero-width characters at either end: a copy from a document brings them,
and a web editor does not show them."""


def _suggest(word: str, choices: list[str], listed: bool = True) -> str | None:
    """The choice `word` was meant to be, or the choices themselves (none when not `listed`)."""
    trimmed = _INVISIBLE_EDGES.sub("", word)
    if trimmed != word and trimmed in choices:
        where = "qui suit" if word.startswith(trimmed) else "qui précède" if word.endswith(trimmed) else "autour de"
        return f"supprimez l'espace invisible {where} « {trimmed} » (souvent une espace insécable venue d'un copier-coller)"
    # Compared without accents, case or punctuation, so that « thème » or « mise-a-jour » find their field.
    folded = {fold(choice): choice for choice in choices}
    close = difflib.get_close_matches(fold(word), list(folded), n=1, cutoff=0.56)
    if close:
        return f"vouliez-vous dire « {folded[close[0]]} » ?"
    if not listed:
        return None
    shown = ", ".join(choices) if len(choices) <= 20 else ", ".join(choices[:12]) + ", …"
    return f"valeurs possibles : {shown}"


_FRENCH_DATE = re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})")
"""A date written the French way (16/03/2021), where the data wants 2021-03-16."""
_LOOSE_DATE = re.compile(r"(?P<year>\d{4})[/.-](?P<month>\d{1,2})[/.-](?P<day>\d{1,2})")
"""A date in the right order but not the right form (2026/01/15, 2026-1-5)."""


def _subschema(schema: dict, node: dict) -> dict:
    """`node`, a part of `schema`, with its local reference (« #/$defs/texte_court ») followed."""
    while "$ref" in node:
        target = node["$ref"]
        node = schema
        for step in target.removeprefix("#/").split("/"):
            node = node[step]
    return node


def _may_be_left_out(schema: dict, path: FieldPath) -> bool:
    """Whether the value at `path` may simply be removed: a list item, or a field its block does not require."""
    if not path or isinstance(path[-1], int):
        return True
    node = schema
    for step in path[:-1]:
        node = _subschema(schema, node)
        node = node.get("items", {}) if isinstance(step, int) else node.get("properties", {}).get(step, {})
    return path[-1] not in _subschema(schema, node).get("required", ())


_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _schema_problems(error: ValidationError, file: str, schema: dict) -> Iterator[Problem]:
    """French problems for one JSON Schema error of a document checked against `schema`."""
    path: FieldPath = tuple(error.absolute_path)
    value = error.instance
    rule, expected = error.validator, error.validator_value
    described = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    or_remove = ", ou retirez la ligne" if _may_be_left_out(schema, path) else ""
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
        if value is None:
            hint = "écrivez la valeur après le deux-points ou le tiret" + or_remove
        elif expected == "string" and not isinstance(value, (list, dict)):
            hint = "mettez la valeur entre guillemets"
        elif expected == "object" and isinstance(value, str) and error.schema.get("required"):
            # « - Sandrine Lassourelle » under « personnes: » : the field's name is missing.
            hint = f"écrivez le nom du champ avant la valeur : « {error.schema['required'][0]}: {value} »"
        elif expected == "string" and isinstance(value, dict) and len(value) == 1:
            # « - Retour d'expériences : … » : a colon before a space or a line end starts a field in YAML.
            hint = f"le deux-points après {quote(next(iter(value)))} fait lire à YAML un champ et sa valeur : {QUOTE_THE_TEXT}"
        elif expected == "array":
            hint = "écrivez une liste : un élément par ligne, précédé de « - »"
        elif expected == "object" and isinstance(value, list):
            hint = "retirez les tirets : chaque champ de ce bloc s'écrit sur sa ligne, en retrait sous le nom du bloc"
        elif expected == "integer":
            hint = "écrivez un nombre entier, en chiffres, sans unité (par exemple 24)"
        elif expected == "number" and isinstance(value, str) and _DECIMAL_COMMA.fullmatch(value.strip()):
            hint = f"écrivez le nombre avec un point à la place de la virgule : {value.strip().replace(',', '.')}"
        elif expected == "number":
            hint = "écrivez un nombre, en chiffres, sans unité"
        elif expected == "boolean":
            hint = "écrivez true (oui) ou false (non)"
        yield Problem("type-invalide", file, path, message=f"attendu {_TYPE_NAMES.get(expected, expected)}, reçu {_received(value)}", hint=hint)
    elif rule == "enum":
        yield Problem("valeur-invalide", file, path, message=f"{quote(value)} n'est pas une valeur possible", hint=_suggest(str(value), [str(v) for v in expected]))
    elif rule == "minLength" or (rule == "pattern" and isinstance(value, str) and not value.strip()):
        yield Problem("valeur-invalide", file, path, message="le texte est vide", hint="écrivez un texte" + or_remove)
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
    elif rule == "maximum":
        yield Problem("valeur-invalide", file, path, message=f"{quote(value)} est trop grand (maximum {expected})", hint="corrigez le nombre")
    elif rule == "format":
        written = (_FRENCH_DATE.fullmatch(value) or _LOOSE_DATE.fullmatch(value)) if isinstance(value, str) else None
        try:
            iso = date(int(written["year"]), int(written["month"]), int(written["day"])).isoformat() if written else None
        except ValueError:
            iso = None
        if iso:
            yield Problem("valeur-invalide", file, path, message=f"{quote(value)} n'est pas écrite au format AAAA-MM-JJ", hint=f"écrivez « {iso} »")
        else:
            yield Problem("valeur-invalide", file, path, message=f"{quote(value)} n'est pas une date réelle", hint="écrivez une date existante au format AAAA-MM-JJ")
    elif rule == "pattern" and expected.startswith("^https?://") and isinstance(value, str) and (hint := _web_address_hint(value)):
        yield Problem("valeur-invalide", file, path, message=f"{quote(value)} n'a pas la forme attendue", hint=hint)
    else:  # pattern and any other rule: the schema's own description says what is expected
        yield Problem("valeur-invalide", file, path, message=f"{quote(value)} n'a pas la forme attendue", hint=described.rstrip(".") or "corrigez la valeur")


def _web_address_hint(value: str) -> str | None:
    """What to write for a web address with words around it, two addresses, or « Https:// » from a phone."""
    words = value.split()
    addresses = [word.rstrip(",;.") for word in words if word.lower().startswith(("http://", "https://"))]
    if len(addresses) > 1:
        return f"une seule adresse par champ : gardez-en une ({addresses[0]})"
    if not addresses:
        return None
    if not addresses[0].startswith("http"):
        return f"écrivez « {addresses[0].split(':')[0].lower()}:// » en minuscules"
    if len(words) == 1:
        return "retirez le point final" if value.endswith(".") else None
    following = value.split(addresses[0], 1)[-1].split()
    if following and any(mark in following[0].rstrip(".,;)") for mark in "./"):  # « https://www.cc bazadais.fr »: cut by a space
        return "une adresse web ne contient pas d'espace : retirez celles qui la coupent"
    return f"une adresse web ne contient pas d'espace : ne gardez que l'adresse ({addresses[0]})"


def check_schema(document: Document, schema_name: str) -> list[Problem]:
    if _accepts(schema_name)(document.data):
        return []
    found = list(_validator(schema_name).iter_errors(document.data))
    # A value that is not a real date also misses the date's pattern, a list where a text is expected also
    # misses the text's possible values: say it once.
    dates = {tuple(error.absolute_path) for error in found if error.validator == "format"}
    mistyped = {tuple(error.absolute_path) for error in found if error.validator == "type"}
    problems: list[Problem] = []
    for error in found:
        path = tuple(error.absolute_path)
        if not ((error.validator == "pattern" and path in dates) or (error.validator != "type" and path in mistyped)):
            problems.extend(_schema_problems(error, document.file, _validator(schema_name).schema))
    return list(dict.fromkeys(problems))  # an empty text misses both its length and its pattern: once


def _strings(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str, bool]]:
    """Every text of a document with its path, keys included (flagged True)."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), key, True
            yield from _strings(item, path + (key,))


def _texts(value: Any, found: list[str]) -> list[str]:
    """Every text of a document, keys included, without their paths, added to `found`."""
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, list):
        for item in value:
            _texts(item, found)
    elif isinstance(value, dict):
        found.extend(value)
        for item in value.values():
            _texts(item, found)
    return found


_ZERO_WIDTH_JOINER = "\u200d"
_EMOJI_MODIFIERS = "\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"
"""The emoji presentation selector and the five skin tones, which may stand between a pictograph and a joiner."""


def _joins_pictographs(text: str, at: int) -> bool:
    """The zero-width joiner at `at` makes one emoji of two pictographs (👩‍🌾, 🏳️‍🌈): it hides nothing there."""
    before = at - 1
    while before >= 0 and text[before] in _EMOJI_MODIFIERS:
        before -= 1
    return before >= 0 and at + 1 < len(text) and unicodedata.category(text[before]) == unicodedata.category(text[at + 1]) == "So"


def _first_invisible(text: str) -> re.Match | None:
    return next((found for found in _INVISIBLE.finditer(text) if not (found.group() == _ZERO_WIDTH_JOINER and _joins_pictographs(text, found.start()))), None)


def _all_text(document: Document) -> str:
    """Every text of a document, keys included, in one string: the quick look the checks of texts take first."""
    return " ".join(_texts(document.data, []))


def check_characters(document: Document, all_text: str | None = None) -> Iterator[Problem]:
    """Invisible, control and direction-override characters hide what a text, or a field name, really says.
    `all_text` is the document's `_all_text`, when the caller has it already."""
    if not _may_hold_invisible(_all_text(document) if all_text is None else all_text):
        return  # nearly every file: one quick search instead of one per text
    for path, text, is_key in _strings(document.data):
        found = _first_invisible(text)
        if found:
            char = found.group()
            where = "dans le nom du champ" if is_key else f"en position {found.start() + 1}"
            hint = "retapez à sa place le caractère perdu (souvent une lettre accentuée ou une puce, lors d'un copier-coller)" if unreadable(char) else "retirez ce caractère (souvent venu d'un copier-coller)"
            yield Problem("caractere-interdit", document.file, path, on_key=is_key, message=f"caractère {invisible_character(char)} {where}", hint=hint)


_EMAIL = re.compile(r"([\w.+-]+)@[\w-]+(?:\.[\w-]+)+")
_SHARED_MAILBOXES = {"accueil", "bonjour", "communication", "contact", "direction", "emploi", "info", "infos", "mairie", "recrutement", "rh", "secretariat", "standard"}
"""Words of an organisation's shared addresses (« contact@… », « accueil-emploi@… »), which name nobody."""
_MAILBOX_WORDS = re.compile(r"[._+-]")
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)33[\s.]?(?:\(0\)[\s.]?)?|0)[67](?:[\s.-]?\d{2}){4}(?!\d)")
"""A mobile number, most often a person's own: a switchboard (01 to 05, 09) is an organisation's."""
_MAYBE_PHONE = re.compile(r"0[67](?:[\s.-]?\d{2}){4}")
"""What every mobile number written from 0 holds: twenty times quicker to look for than `_PHONE`."""


def check_contact_details(document: Document, all_text: str) -> Iterator[Problem]:
    """An e-mail address or a phone number in a text is published on every page and in the open data: a
    person's own details need their consent (a warning: an organisation's switchboard is welcome).
    `all_text` is the document's `_all_text`."""
    if "@" not in all_text and "+33" not in all_text and "0033" not in all_text and not _MAYBE_PHONE.search(all_text):
        return  # nearly every file: one quick search instead of one per text
    for path, text, is_key in _strings(document.data):
        found = None if is_key else next((m for m in _EMAIL.finditer(text) if not _SHARED_MAILBOXES & set(_MAILBOX_WORDS.split(m[1].lower()))), None) or _PHONE.search(text)
        if found:
            kind = "une adresse électronique" if "@" in found.group() else "un numéro de téléphone"
            yield Problem(
                "coordonnees-personnelles", document.file, path, severity=Severity.WARNING,
                message=f"ce texte donne {kind} ({found.group()}), que le site et les données ouvertes publieraient",
                hint="ne gardez que les coordonnées de l'organisation (accueil, adresse générique), ou celles d'une personne qui a donné son accord",
            )


def check_fiche(document: Document, read: Collection[Problem] = ()) -> list[Problem]:
    """The checks a participant file needs alone, without the other files: shape, schema, characters, persons'
    names in other fields, contact details. A field that reading it already `read` an error about (« - #urgent »:
    why the item is empty) is not told about again."""
    found = _checked_alone(document)
    told = {problem.path for problem in errors(list(read)) if problem.path}
    return [problem for problem in found if problem.path not in told] if told else found


def _checked_alone(document: Document) -> list[Problem]:
    if not isinstance(document.data, dict):
        return [Problem("type-invalide", document.file, message=f"attendu un bloc de champs (id, personnes, …), reçu {_received(document.data)}", hint="partez du modèle de fiche décrit dans CONTRIBUTING.md")]
    all_text = _all_text(document)
    found = check_schema(document, "participant") + list(check_characters(document, all_text))
    if not errors(found):
        found += check_person_names(document)
        told = {problem.path for problem in found}  # a name in an address: one message is enough
        found += [problem for problem in check_contact_details(document, all_text) if problem.path not in told]
    return found


def _named(value: str, choices: Mapping[str, Any]) -> tuple[str, str] | None:
    """The identifier, and the name, of the choice whose name, acronym or synonym `value` is or holds whole
    (« Communauté d'agglomération du Grand Dax » → « grand-dax »): contributors copy what the site shows."""
    written = f" {fold(value)} "
    found, longest = None, 0
    for ident, item in choices.items():
        for name in filter(None, (getattr(item, "name", None), getattr(item, "title", None), getattr(item, "acronym", None), *getattr(item, "synonyms", ()))):
            folded = fold(name)
            if folded and f" {folded} " in written and len(folded) > longest:
                found, longest = (ident, name), len(folded)
    return found


def _known(kind: str, value: str, choices: Mapping[str, Any], file: str, path: FieldPath, gone: str | None = None) -> Iterator[Problem]:
    """A reference to an unknown choice, with what was meant; `gone` says what to do when nothing is close (a
    participant's fiche deleted or renamed), instead of listing the choices."""
    if value not in choices:
        # an identifier mistyped (a capital, a space copied along) is told as such; a name, with its identifier
        mistyped = ID_PATTERN.fullmatch(value) or _INVISIBLE_EDGES.search(value) or fold(value) in {fold(choice) for choice in choices}
        named = None if mistyped else _named(value, choices)
        several = [part.strip() for part in re.split(r"[,;]", value)]
        if len(several) > 1 and all(part in choices for part in several):  # « cc-bazadais, gironde »: two items in one
            hint = "un identifiant par élément de la liste : " + " puis ".join(f"« - {part} »" for part in several) + ", chacun sur sa ligne"
        elif named:
            hint = f"vouliez-vous dire « {named[0]} » ({named[1]}) ?"
        else:
            hint = _suggest(value, sorted(choices), listed=gone is None) or gone
        yield Problem("reference-inconnue", file, path, message=f"{quote(value)} n'est pas {kind}", hint=hint)


def _ids(documents: list[tuple[FieldPath, dict]], file: str, key: str = "id") -> Iterator[Problem]:
    # Compared as folded text, the way page addresses and anchors are made: « O/D » and « Ô-D »
    # would both become #o-d on the glossary page.
    first: dict[str, Any] = {}
    for path, item in documents:
        value = item.get(key)
        if value is None:
            continue
        folded = fold(str(value))
        if folded in first:
            same = "est déjà utilisé" if first[folded] == value else f"se confond avec {quote(first[folded])}"
            yield Problem("id-en-double", file, path + (key,), message=f"{quote(value)} {same} plus haut (majuscules, accents et ponctuation ne comptent pas)", hint="donnez un identifiant différent à chaque élément")
        first.setdefault(folded, value)


def _variants_of_other_terms(entries: list[tuple[FieldPath, dict]], file: str) -> Iterator[Problem]:
    """A variant written as another entry's term or variant: the site would explain it by one entry only, silently."""
    owners: dict[str, str] = {item["terme"]: item["terme"] for _, item in entries}
    for path, item in entries:
        for index, variant in enumerate(item.get("variantes", ())):
            owner = owners.setdefault(variant, item["terme"])
            if owner != item["terme"]:
                yield Problem("valeur-invalide", file, path + ("variantes", index), message=f"{quote(variant)} est déjà le terme ou une variante de l'entrée {quote(owner)}", hint="retirez-la ici, ou réunissez les deux entrées : une forme renvoie à une seule entrée")


def _official_codes(territories: list[tuple[FieldPath, dict]], file: str) -> Iterator[Problem]:
    """Two territories of one type with the same official code: the map would count one's fiches for the other.
    (A région and a département may share theirs: 75 is Nouvelle-Aquitaine and Paris.)"""
    first: dict[tuple[Any, Any], Any] = {}
    for path, item in territories:
        code = item.get("code_insee")
        if code is None:
            continue
        owner = first.setdefault((item.get("type"), code), item.get("id"))
        if owner != item.get("id"):
            yield Problem("code-en-double", file, path + ("code_insee",), message=f"le code {quote(code)} est déjà celui de {quote(owner)}, plus haut", hint="vérifiez le code officiel de ce territoire (code INSEE, ou SIREN d'une intercommunalité)")


@dataclass
class Validated:
    directory: Directory
    """Built from the documents that passed; complete only when `problems` has no error."""
    problems: list[Problem]
    unconfirmed: frozenset[str] = frozenset()
    """Identifiers of the fiches not confirmed within the freshness limit (`check_freshness`): their pages say so."""


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
    schema = load_schema("publication")["properties"]
    publisher, privacy, statement = data["editeur"], data["donnees_personnelles"], data["accessibilite"]
    audit = statement.get("audit")
    return Publication(
        publisher=Publisher(publisher["nom"], publisher["adresse"], publisher["contact"], publisher.get("delegue_protection_donnees"), publisher.get("siret")),
        site_url=data["adresse_site"],
        removal_request_url=data["demande_retrait"],
        legal_basis_label=schema["donnees_personnelles"]["properties"]["base_legale"]["x-libelles"][privacy["base_legale"]],
        accessibility=Accessibility(
            status_label=schema["accessibilite"]["properties"]["etat"]["x-libelles"][statement["etat"]],
            declared=statement["date_declaration"],
            audit=Audit(audit["date"], audit["auditeur"], audit["taux"]) if audit else None,
            known_issues=tuple(statement.get("contenus_non_accessibles", ())),
            test_environment=tuple(statement.get("environnement_test", ())),
            multiyear_plan_url=statement.get("schema_pluriannuel"),
            action_plan_url=statement.get("plan_action"),
        ),
        freshness_months=data["fraicheur_mois"],
    )


def _build_participant(document: Document) -> Participant:
    data = document.data
    persons = tuple(Person(p["nom"], p.get("nom_source"), p.get("fonction")) for p in data.get("personnes", []))
    org = data.get("organisation")
    organisation = Organisation(org["nom"], org["type"], org.get("nom_source"), org.get("sigle"), org.get("site_web")) if org else None
    title = data.get("titre") or (organisation.name if organisation else None)
    hide_names = data.get("masquer_noms", False)
    if not title:
        title = INDIVIDUAL_TITLE if hide_names or not persons else ", ".join(p.name for p in persons)
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


def check_participant_references(document: Document, directory: Directory, faulty: Collection[str] = (), faulty_fiches: Collection[str] = ()) -> Iterator[Problem]:
    """References of one fiche, read from its raw data so that they are checked even when other fields are wrong.

    References into a `faulty` reference file (``territoires``…, missing or with errors), or to one of
    the `faulty_fiches` (identifiers of fiches with errors), are not checked: that file's own problems
    come first, rather than a false alarm in a fiche nobody touched.
    """
    file, data = document.file, document.data
    expected_id = fiche_id(file)
    ident = data.get("id")
    if isinstance(ident, str) and ident != expected_id:
        yield Problem("id-different-du-fichier", file, ("id",), message=f"l'identifiant {quote(ident)} diffère du nom du fichier {quote(expected_id)}", hint=f"écrivez « id: {expected_id} » ou renommez le fichier")
    for key, kind, known in (
        ("territoires", "un territoire connu", directory.territories),
        ("dispositifs", "un dispositif connu", directory.schemes),
        ("thematiques", "une thématique connue", directory.themes),
    ):
        for index, value in _string_list(data, key) if key not in faulty else ():
            yield from _known(kind, value, known, file, (key, index))
    if isinstance(data.get("atelier"), str) and "ateliers" not in faulty:
        yield from _known("un atelier connu", data["atelier"], directory.workshops, file, ("atelier",))
    links = data.get("liens")
    linked: set[str] = set()
    for index, link in enumerate(links if isinstance(links, list) else []):
        target = link.get("participant") if isinstance(link, dict) else None
        if not isinstance(target, str):
            continue
        if target in linked:
            yield Problem("valeur-invalide", file, ("liens", index, "participant"), message=f"{quote(target)} est déjà proposé plus haut dans les liens", hint="gardez un seul lien vers ce participant, en réunissant les motifs")
        linked.add(target)
        if target == expected_id:
            yield Problem("reference-a-soi-meme", file, ("liens", index, "participant"), message="une fiche ne peut pas se proposer de l'aide à elle-même", hint="indiquez l'identifiant d'un autre participant")
        elif target not in directory.participants and target not in faulty_fiches:
            yield from _known("un participant connu", target, directory.participants, file, ("liens", index, "participant"),
                              gone="si sa fiche a été supprimée ou renommée, retirez ce lien ou écrivez le nouvel identifiant")


_PROSE = tuple(key for key, node in load_schema("participant")["properties"].items() if node.get("$ref") == "#/$defs/paragraphes")
"""The texts (actions, défis, besoins, ressources) the open data publishes as written: it gives no person's name,
so they should not either."""


_SURNAME_CITING = ("titre", *_PROSE)
"""Where a surname alone, written with its capital, cites a person: the title and the texts, which the open data
publishes (elsewhere, « Laurent » may be a place's name)."""
_CITING = ("id", *_SURNAME_CITING)
"""Where a fiche that shows its persons' names should not cite them, for the open data names nobody."""


def _persons_names(persons: Any) -> tuple[dict[str, str], set[str]]:
    """Each person's names (« nom », « nom_source »), folded → as written; and their last words from three letters,
    as written and in capitals (« Dallet » of « Céline Dallet », which a text may cite with another first name)."""
    names: dict[str, str] = {}
    surnames: set[str] = set()
    for person in persons if isinstance(persons, list) else []:
        for key in ("nom", "nom_source"):
            name = person.get(key) if isinstance(person, dict) else None
            if isinstance(name, str) and fold(name):
                names[fold(name)] = name
                last_word = name.split()[-1]
                if len(fold(last_word)) >= 3:
                    surnames.update((last_word, last_word.upper()))
    return names, surnames


def check_person_names(document: Document) -> Iterator[Problem]:
    """A person's name in another field. With `masquer_noms: true` it would show what the fiche hides, everywhere (an
    error); otherwise, in a text (actions, défis…), the open data would publish it, which names nobody (a warning).

    In a fiche that hides its names, a whole name is looked for in every field, whatever its case and accents; a
    surname alone in the title, the texts and the links' reasons. In another fiche, a whole name is looked for in
    the identifier (whatever its accents: « helene-dupre ») and, written as in the fiche, in any case, in the title
    and the texts; a surname alone in the title and the texts. A surname alone is a word written with its capital,
    not joined by a hyphen: « Laurent » of a person is not « Saint-Laurent », the commune the fiche is about, nor
    « Vienne » the organisation's « Mission locale de Vienne » (but a text that starts with « Petit déjeuner » is
    taken for Mme Petit)."""
    data = document.data
    names, surnames = _persons_names(data.get("personnes"))
    if not names:
        return
    hidden = data.get("masquer_noms") is True
    fields = {key: value for key, value in data.items() if key != "personnes" and (hidden or key in _CITING)}
    if not hidden:
        # For a warning, a name written as in the fiche, in any case, is enough to look further: folding
        # every text of every fiche to compare them would double the time a fiche takes to check.
        prose = " ".join((data.get("titre", ""), *(text for key in _PROSE for text in data.get(key, ()))))  # the schema was met
        forms = {form for name in names.values() for form in (name, name.lower(), name.upper(), name.title())} | surnames
        identifier = f" {fold(data.get('id', ''))} "
        if not any(form in prose for form in forms) and not any(f" {name} " in identifier for name in names):
            return
    surname = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(surnames))) + r")(?![\w-])") if surnames else None
    for path, text, _is_key in _strings(fields):
        folded = f" {fold(text)} "
        cited = [names[n] for n in names if f" {n} " in folded]
        if not cited and surname and (path[0] in _SURNAME_CITING or (hidden and path[0] == "liens")) and (found := surname.search(text)):
            cited = [found.group()]
        if not cited:
            continue
        name = max(cited, key=len)  # « Jeanne Durand » rather than « J. Durand »
        if hidden:
            yield Problem("nom-masque-visible", document.file, path, message=f"le nom {quote(name)} apparaît ici alors que « masquer_noms » vaut true", hint="retirez le nom de ce champ, ou affichez les noms avec « masquer_noms: false »")
        elif path == ("id",):
            yield Problem(
                "nom-dans-un-texte", document.file, path, severity=Severity.WARNING,
                message=f"cet identifiant reprend {quote(name)}, nom d'une personne de la fiche, que l'adresse de la page et les données ouvertes publieraient alors qu'elles ne donnent aucun nom",
                hint="choisissez un identifiant tiré de l'organisation ou du territoire, et renommez le fichier de même",
            )
        else:
            yield Problem(
                "nom-dans-un-texte", document.file, path, severity=Severity.WARNING,
                message=f"ce texte cite {quote(name)}, nom d'une personne de la fiche, que les données ouvertes publieraient alors qu'elles ne donnent aucun nom",
                hint="remplacez le nom par la fonction de la personne, ou retirez-le",
            )


def _identity(participant: Participant) -> tuple:
    return (fold(participant.title), tuple(sorted(fold(p.name) for p in participant.persons)))


def check_duplicates(participants: list[Participant]) -> Iterator[Problem]:
    """Two fiches with the same title and the same persons describe the same participant: both are told,
    since a proposal may add either of them."""
    first: dict[tuple, Participant] = {}
    for participant in participants:
        key = _identity(participant)
        if key in first:
            other = first[key]
            for one, two in ((participant, other), (other, participant)):
                yield Problem("doublon-probable", one.file, ("id",), message=f"cette fiche semble décrire le même participant que {two.file}", hint="fusionnez les deux fiches, ou distinguez-les par un « titre »")
        else:
            first[key] = participant


def _months_later(start: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter (31 janvier + 1 → 28 février)."""
    year, month_index = divmod(start.month - 1 + months, 12)
    year += start.year
    return date(year, month_index + 1, min(start.day, calendar.monthrange(year, month_index + 1)[1]))


def future_date(file: str, updated: str, today: date) -> Problem | None:
    """A `mise_a_jour` (a real date, AAAA-MM-JJ) after `today`, with a day's margin: in France, it may already be tomorrow in UTC."""
    if date.fromisoformat(updated) <= today + timedelta(days=1):
        return None
    return Problem(
        "valeur-invalide", file, ("mise_a_jour",), message=f"la date {quote(updated)} est dans le futur",
        hint="écrivez la date à laquelle la fiche a été relue, au plus tard celle du jour",
    )


def check_freshness(participants: list[Participant], months: int, today: date) -> Iterator[Problem]:
    """A fiche whose `mise_a_jour` is more than `months` old is worth confirming (a warning); one dated in
    the future would escape that reminder for years (an error)."""
    for participant in participants:
        updated = date.fromisoformat(participant.updated)
        future = future_date(participant.file, participant.updated, today)
        if future:
            yield future
        elif _months_later(updated, months) < today:
            yield Problem(
                ROUTINE, participant.file, ("mise_a_jour",), severity=Severity.WARNING,
                message=f"la fiche n'a pas été confirmée depuis le {french_date(participant.updated)}, il y a plus de {months} mois",
                hint="relisez-la avec le participant, puis mettez « mise_a_jour » à la date du jour",
            )


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


def validate(sources: Sources, today: date | None = None) -> Validated:
    """Check every document and build the directory.

    Args:
        sources: the loaded data folder.
        today: the date fiches' freshness is judged against (défaut : the clock's date).
    Returns:
        The directory and all problems, located (`repertoire.pipeline.check` sorts them).
    """
    problems = list(sources.problems)
    refs = sources.references
    valid: dict[str, list[tuple[FieldPath, dict]]] = {}
    faulty: set[str] = set()
    for name in ("territoires", "dispositifs", "thematiques", "glossaire", "ateliers"):
        document = refs.get(name)
        if document is None:
            valid[name] = []
            faulty.add(name)
            continue
        items = _reference_items(document)
        found = check_schema(document, name) + list(check_characters(document)) + list(_ids(items, document.file, key="terme" if name == "glossaire" else "id"))
        if name == "territoires" and not errors(found):  # a code or type written as a list is told by the schema
            found += list(_official_codes(items, document.file))
        problems += found
        valid[name] = [] if errors(found) else items
        if errors(found):
            faulty.add(name)

    publication = refs.get("publication")
    publication_found = check_schema(publication, "publication") + list(check_characters(publication)) if publication else []
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
        if "dispositif" in item and "dispositifs" not in faulty:  # its own errors are said: not each reference to it
            problems += _known("un dispositif connu", item["dispositif"], directory.schemes, glossary_file, path + ("dispositif",))
    problems += _variants_of_other_terms(valid["glossaire"], glossary_file)

    read_by_file: dict[str, list[Problem]] = {}
    for problem in sources.problems:
        read_by_file.setdefault(problem.file, []).append(problem)
    participant_documents = []
    for document in sources.participants:
        found = document.checked if document.checked is not None else check_fiche(document, read_by_file.get(document.file, ()))
        problems += found
        if not isinstance(document.data, dict):
            continue
        participant_documents.append(document)
        # A fiche claiming another file's id must not take that participant's place: it is reported below.
        if not errors(found) and document.data["id"] == fiche_id(document.file):
            participant = _build_participant(document)
            directory.participants[participant.id] = participant

    faulty_fiches = sources.fiche_ids - directory.participants.keys()
    for document in participant_documents:
        problems += check_participant_references(document, directory, faulty, faulty_fiches)
    problems += check_duplicates(list(directory.participants.values()))
    stale = list(check_freshness(list(directory.participants.values()), directory.publication.freshness_months, today or date.today())) if directory.publication else []
    problems += stale

    documents = {d.file: d for d in [*refs.values(), *sources.participants]}
    return Validated(directory, locate(most_telling(problems), documents), frozenset(fiche_id(problem.file) for problem in stale if problem.code == ROUTINE))


_SAID_BY_AN_UNKNOWN_REFERENCE = {"valeur-invalide", "caractere-interdit"}


def most_telling(problems: list[Problem]) -> list[Problem]:
    """One problem per identifier: « Leader » breaks both the form of identifiers and the list of known
    dispositifs, and only the second says what to write (« vouliez-vous dire « leader » ? »); so does an
    identifier with an invisible character copied along."""
    unknown = {(problem.file, problem.path) for problem in problems if problem.code == "reference-inconnue"}
    return [problem for problem in problems if problem.code not in _SAID_BY_AN_UNKNOWN_REFERENCE or (problem.file, problem.path) not in unknown]

