"""Text helpers shared by the stages: accent- and case-insensitive forms of French text, French dates,
French names of invisible characters."""

from __future__ import annotations

import unicodedata
from functools import cache

_TABLE_END = "\u2100"
"""The fold table covers the Latin scripts and common punctuation: French text stays below this."""


@cache
def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(ord(_TABLE_END)):
        char = chr(code)
        if unicodedata.combining(char):
            table[code] = None
        elif not char.isalnum():
            table[code] = " "
    return table


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation dropped, spaces collapsed: « L'Économie » → « l economie »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if max(decomposed, default="") < _TABLE_END:  # one pass in C instead of a Python loop per character
        kept = decomposed.translate(_fold_table())
    else:
        kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def sort_key(text: str) -> tuple[str, str]:
    """Order for French lists: « Émile » sorts with « E », ties broken by the exact text."""
    return (fold(text), text)


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")


def french_date(iso: str) -> str:
    """« 2021-03-16 » → « 16 mars 2021 »."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"


def french_list(items) -> str:
    """« 3 », « 3 et 4 », « 3, 4 et 5 »."""
    words = [str(item) for item in items]
    return " et ".join(filter(None, (", ".join(words[:-1]), *words[-1:])))


_INVISIBLE_NAMES = {
    "\u0085": "à la ligne",
    "\u00ad": "trait d'union conditionnel",
    "\u061c": "marque de lettre arabe",
    "\u180e": "séparateur de voyelles mongol",
    "\u200b": "espace sans chasse",
    "\u200c": "antiliant sans chasse",
    "\u200d": "liant sans chasse",
    "\u200e": "marque gauche-à-droite",
    "\u200f": "marque droite-à-gauche",
    "\u2028": "séparateur de ligne",
    "\u2029": "séparateur de paragraphe",
    "\u202a": "enchâssement gauche-à-droite",
    "\u202b": "enchâssement droite-à-gauche",
    "\u202c": "dépilement de formatage directionnel",
    "\u202d": "forçage gauche-à-droite",
    "\u202e": "forçage droite-à-gauche",
    "\u2060": "gluon de mots",
    "\u2066": "isolat gauche-à-droite",
    "\u2067": "isolat droite-à-gauche",
    "\u2068": "isolat à direction déterminée",
    "\u2069": "dépilement d'isolat directionnel",
    "\ufeff": "espace insécable sans chasse",
}
"""French names (ISO/IEC 10646) of the invisible characters a copy from a document or a web page brings."""
_INVISIBLE_KINDS = {"Cc": "caractère de contrôle", "Cf": "caractère de mise en forme", "Zl": "séparateur de ligne", "Zp": "séparateur de paragraphe"}
UNREADABLE = {
    "\ufffc": "remplaçant d'un objet : une image ou un objet collé",
    "\ufffd": "caractère de remplacement : une lettre perdue lors d'une conversion",
}
"""Characters that a copy leaves in place of what it could not bring, shown as a box or a « � »."""
_PRIVATE_USE = "caractère d'usage privé : une puce ou un symbole propre à une police"


def unreadable(char: str) -> bool:
    """Shown as a box or a « � »: what a copy left in place of a lost character."""
    return char in UNREADABLE or unicodedata.category(char) == "Co"


def invisible_character(char: str) -> str:
    """« invisible U+200B (espace sans chasse) », « illisible U+F0B7 (caractère d'usage privé…) »: what the
    character looks like, the code that identifies it, and a name a French reader can look up."""
    if unreadable(char):
        return f"illisible U+{ord(char):04X} ({UNREADABLE.get(char, _PRIVATE_USE)})"
    name = _INVISIBLE_NAMES.get(char) or _INVISIBLE_KINDS.get(unicodedata.category(char), "caractère invisible")
    return f"invisible U+{ord(char):04X} ({name})"
