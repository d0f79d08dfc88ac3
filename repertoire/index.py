"""Stage 3 — index: resolve every cross-reference once, both ways.

In: a valid `Directory`.
Out: an `Index` with forward and reverse maps (territory → participants, theme → participants,
territory → children and ancestors…), every list already sorted for display. Later stages
look things up here instead of scanning the directory, so the work grows with the number of
references, never with the square of the number of fiches.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Directory, Link, Participant
from .text import sort_key


@dataclass
class Index:
    directory: Directory
    participants: list[str]
    """All participant ids, sorted by title."""
    by_territory: dict[str, list[str]]
    """Territory id → participants acting in it or in a territory it contains."""
    by_scheme: dict[str, list[str]]
    by_theme: dict[str, list[str]]
    by_workshop: dict[str, list[str]]
    children: dict[str, list[str]]
    """Territory id → territories it directly contains."""
    ancestors: dict[str, list[str]]
    """Territory id → every territory containing it, nearest first."""
    departements: dict[str, list[str]]
    """Participant id → the départements it acts in."""
    regions: dict[str, list[str]]
    """Participant id → the régions it acts in."""
    helped_by: dict[str, list[Link]]
    """Participant id → hand-made links pointing at it, as links from the helper's side."""

    def participant(self, ident: str) -> Participant:
        return self.directory.participants[ident]


def _ancestors(directory: Directory) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for start in directory.territories:
        order, frontier = [], list(directory.territories[start].parent_ids)
        while frontier:
            current = frontier.pop(0)
            if current in order or current == start or current not in directory.territories:
                continue
            order.append(current)
            frontier.extend(directory.territories[current].parent_ids)
        result[start] = order
    return result


def build_index(directory: Directory) -> Index:
    """Build every map of cross-references from a valid directory."""
    # the identifier settles ties, so that fiches of one title keep their order from build to build
    titles = {ident: (sort_key(p.title), ident) for ident, p in directory.participants.items()}
    ancestors = _ancestors(directory)
    by_territory: dict[str, set[str]] = defaultdict(set)
    by_scheme: dict[str, list[str]] = defaultdict(list)
    by_theme: dict[str, list[str]] = defaultdict(list)
    by_workshop: dict[str, list[str]] = defaultdict(list)
    departements: dict[str, list[str]] = {}
    regions: dict[str, list[str]] = {}
    helped_by: dict[str, list[Link]] = defaultdict(list)
    for ident, participant in directory.participants.items():
        reached: list[str] = []
        for territory in participant.territory_ids:
            for place in [territory, *ancestors.get(territory, [])]:
                if place not in reached:
                    reached.append(place)
        for place in reached:
            by_territory[place].add(ident)
        departements[ident] = [t for t in reached if directory.territories[t].kind == "departement"]
        regions[ident] = [t for t in reached if directory.territories[t].kind == "region"]
        for scheme in participant.scheme_ids:
            by_scheme[scheme].append(ident)
        for theme in participant.theme_ids:
            by_theme[theme].append(ident)
        if participant.workshop_id:
            by_workshop[participant.workshop_id].append(ident)
        for link in participant.links:
            helped_by[link.participant_id].append(Link(ident, link.reason))

    children: dict[str, list[str]] = defaultdict(list)
    for ident, territory in directory.territories.items():
        for parent in territory.parent_ids:
            children[parent].append(ident)
    territory_order = {ident: (sort_key(t.name), ident) for ident, t in directory.territories.items()}

    def by_title(ids) -> list[str]:
        return sorted(ids, key=titles.__getitem__)

    return Index(
        directory=directory,
        participants=by_title(directory.participants),
        by_territory={k: by_title(v) for k, v in by_territory.items()},
        by_scheme={k: by_title(v) for k, v in by_scheme.items()},
        by_theme={k: by_title(v) for k, v in by_theme.items()},
        by_workshop={k: by_title(v) for k, v in by_workshop.items()},
        children={k: sorted(v, key=territory_order.__getitem__) for k, v in children.items()},
        ancestors=ancestors,
        departements=departements,
        regions=regions,
        helped_by=dict(helped_by),
    )
