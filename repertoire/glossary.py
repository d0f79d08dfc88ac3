"""Acronyms of the glossary explained where contributors wrote them.

In: the directory's glossary (once per build), then contributor text and the page's `url` function.
Out: `Glossary.mark(text, url)` — the text escaped, each acronym of `data/glossaire.yml` (its term or an
acronym-like variant: no space, no lower case or at least two capitals, matched case-sensitively and on word
boundaries) wrapped in `<abbr title="expansion">`; its first occurrence in a paragraph also holds a link to
the dispositif's page when the acronym names a dispositif, else to its entry of the glossary page.

Accessibility: a bare `title` only shows on mouse hover, never to keyboard or touch users. The link inside
the first `<abbr>` makes the explanation reachable by everyone, and, with Material's `content.tooltips`
feature, focusing that link shows the expansion as a tooltip (Material shows an `abbr`'s tooltip while focus
is inside it, and ties it with `aria-describedby`). Links are not repeated for later occurrences so that
repeated acronyms do not pile up links. One regular expression is compiled per build, not per page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from .model import Directory, GlossaryEntry
from .text import fold


@dataclass(frozen=True)
class _Acronym:
    title: Markup
    """The expansion, escaped once: an acronym is marked thousands of times on a large directory."""
    scheme_id: str | None
    anchor: str


def term_anchor(term: str) -> str:
    """Stable id of a glossary entry: « O/D » → « o-d »."""
    return fold(term).replace(" ", "-") or "terme"


def _is_acronym(written: str) -> bool:
    if any(c.isspace() for c in written) or not any(c.isalpha() for c in written):
        return False
    return not any(c.islower() for c in written) or sum(c.isupper() for c in written) >= 2


def _title(entry: GlossaryEntry) -> str:
    return entry.expansion or entry.definition


class Glossary:
    def __init__(self, directory: Directory):
        self._acronyms: dict[str, _Acronym] = {}
        for entry in directory.glossary:
            acronym = _Acronym(escape(_title(entry)), entry.scheme_id, term_anchor(entry.term))
            for written in (entry.term, *entry.variants):
                if _is_acronym(written):
                    self._acronyms.setdefault(written, acronym)
        forms = sorted(self._acronyms, key=len, reverse=True)
        self._pattern = re.compile(r"(?<![\w&/+-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w&/+-])") if forms else None

    def mark(self, text: str, url: Callable[..., str]) -> Markup:
        """`text` escaped, with its acronyms explained."""
        if self._pattern is None:
            return escape(text)
        pieces, last, linked = [], 0, set()
        for found in self._pattern.finditer(text):
            written = found.group(0)
            acronym = self._acronyms[written]
            pieces.append(escape(text[last:found.start()]))
            inner = escape(written)
            if acronym.anchor not in linked:
                linked.add(acronym.anchor)
                target = url("dispositif", acronym.scheme_id) if acronym.scheme_id else url("glossaire", acronym.anchor)
                inner = f'<a href="{escape(target)}">{inner}</a>'
            pieces.append(f'<abbr title="{acronym.title}">{inner}</abbr>')
            last = found.end()
        pieces.append(escape(text[last:]))
        return Markup("".join(pieces))
