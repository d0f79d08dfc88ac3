"""Text helpers shared by the stages: accent- and case-insensitive forms of French text."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation dropped, spaces collapsed: « L'Économie » → « l economie »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def sort_key(text: str) -> tuple[str, str]:
    """Order for French lists: « Émile » sorts with « E », ties broken by the exact text."""
    return (fold(text), text)
