"""Figures of the home page: how many fiches per dispositif, per thématique, per département.

In: an `Index`.
Out: `home_charts(index)` → `Chart`s, each a titled list of `Bar`s (label from reference data, page to
link, count, length in percent of the longest), largest first; drawn as HTML bars with the numbers written
by `templates/partials/graphiques.html.j2`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .index import Index
from .text import sort_key

LONGEST = 10
"""Bars shown in the dispositifs' chart; every thématique and every département is shown, so that a reader
goes from the home page to a subject's participants in one click."""


@dataclass(frozen=True)
class Bar:
    label: str
    kind: str
    key: str
    count: int
    percent: int


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    column: str
    """Heading of the labels' column."""
    kind: str
    """Kind of page listing every item (« dispositif », « thematique », « territoire »)."""
    bars: tuple[Bar, ...]
    hidden: int
    """Items with fiches left out of the chart."""


def _chart(ident: str, title: str, column: str, kind: str, counted: list[tuple[str, str, int]], longest: int = LONGEST) -> Chart:
    present = sorted((item for item in counted if item[2]), key=lambda item: (-item[2], sort_key(item[1])))
    top = max((count for _, _, count in present), default=1)
    bars = tuple(Bar(label, kind, key, count, round(100 * count / top)) for key, label, count in present[:longest])
    return Chart(ident, title, column, kind, bars, max(len(present) - longest, 0))


def home_charts(index: Index) -> list[Chart]:
    d = index.directory
    return [
        _chart("par-dispositif", "Fiches par dispositif", "Dispositif", "dispositif", [(s.id, s.label, len(index.by_scheme.get(s.id, []))) for s in d.schemes.values()]),
        _chart("par-thematique", "Fiches par thématique", "Thématique", "thematique", [(t.id, t.name, len(index.by_theme.get(t.id, []))) for t in d.themes.values()], longest=len(d.themes)),
        _chart("par-departement", "Fiches par département", "Département", "territoire", [(t.id, t.name, len(index.by_territory.get(t.id, []))) for t in d.territories.values() if t.kind == "departement"], longest=len(d.territories)),
    ]
