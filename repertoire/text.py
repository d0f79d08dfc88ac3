"""Text helpers shared by the stages: accent- and case-insensitive forms of French text, French dates."""

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
