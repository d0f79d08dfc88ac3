"""The data model every stage shares: plain, immutable records built by `validate`.

French YAML keys (``thematiques``, ``defis``…) are mapped to these English attributes once, in
`repertoire.validate`; nothing after validation reads raw YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import fold

INDIVIDUAL_TITLE = "Participant à titre individuel"
"""Title of a fiche that has neither `titre` nor organisation and whose names are not shown."""


@dataclass(frozen=True)
class Person:
    name: str
    """Display form of the name, corrected."""
    source_name: str | None = None
    """The name as the source wrote it, when it differs."""
    role: str | None = None


@dataclass(frozen=True)
class Organisation:
    name: str
    kind: str
    """A key of the schema's `organisation.type` enum."""
    source_name: str | None = None
    acronym: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class Link:
    participant_id: str
    """The participant who can help."""
    reason: str


@dataclass(frozen=True)
class Participant:
    id: str
    file: str
    """Source file, relative to the project root (``data/participants/<id>.yml``)."""
    title: str
    """Page title: `titre`, else the organisation, else the persons' names."""
    persons: tuple[Person, ...]
    hide_names: bool
    """When true, persons' names appear in no output at all."""
    organisation: Organisation | None
    territory_ids: tuple[str, ...]
    scheme_ids: tuple[str, ...]
    theme_ids: tuple[str, ...]
    actions: tuple[str, ...]
    challenges: tuple[str, ...]
    needs: tuple[str, ...]
    offers: tuple[str, ...]
    links: tuple[Link, ...]
    workshop_id: str | None
    source_file: str | None
    source_lines: tuple[int, ...]
    updated: str
    """ISO date of the last update or confirmation."""

    @property
    def visible_persons(self) -> tuple[Person, ...]:
        return () if self.hide_names else self.persons

    @property
    def title_without_names(self) -> str:
        """The title, unless it holds a person's name (the default title lists them): then the organisation's name,
        or « Participant à titre individuel ». Open data never carries names."""
        title = f" {fold(self.title)} "
        if not any(f" {fold(p.name)} " in title for p in self.persons):
            return self.title
        return self.organisation.name if self.organisation else INDIVIDUAL_TITLE


@dataclass(frozen=True)
class Territory:
    id: str
    name: str
    kind: str
    code: str | None
    parent_ids: tuple[str, ...]
    description: str | None


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    description: str
    level: str
    acronym: str | None = None
    url: str | None = None
    synonyms: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Its name, and its acronym when that differs: « Plan local pour l'insertion et l'emploi (PLIE) »,
        as its page, the list of dispositifs and the search page's filter name it."""
        return f"{self.name} ({self.acronym})" if self.acronym and self.acronym != self.name else self.name

    @property
    def other_names(self) -> list[str]:
        """Its synonyms as its page lists them: once each whatever their case (« Pôle emploi », « pôle emploi »
        are both kept for the search, which the case does not change)."""
        shown = {self.name.casefold(), (self.acronym or "").casefold()}  # the page's title already says these
        kept: dict[str, str] = {}
        for synonym in self.synonyms:
            if synonym.casefold() not in shown:
                kept.setdefault(synonym.casefold(), synonym)
        return list(kept.values())


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str
    expansion: str | None = None
    variants: tuple[str, ...] = ()
    scheme_id: str | None = None


@dataclass(frozen=True)
class Workshop:
    id: str
    title: str
    date: str
    description: str
    introduction: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Publisher:
    name: str
    address: str
    contact: str
    data_protection_contact: str | None = None
    siret: str | None = None


@dataclass(frozen=True)
class Audit:
    date: str
    auditor: str
    rate: float
    """Percentage of RGAA criteria met."""


@dataclass(frozen=True)
class Accessibility:
    """What the accessibility statement declares (RGAA)."""

    status_label: str
    """« non conforme » (the schema's `accessibilite.etat`, non-conforme unless an audit says otherwise), as the
    mandatory mention writes it."""
    declared: str
    """ISO date the statement was made."""
    audit: Audit | None = None
    known_issues: tuple[str, ...] = ()
    test_environment: tuple[str, ...] = ()
    multiyear_plan_url: str | None = None
    action_plan_url: str | None = None


@dataclass(frozen=True)
class Publication:
    """Publishing settings of `data/publication.yml`: the one place that names the publisher."""

    publisher: Publisher
    site_url: str
    """Public address of the site, ending with « / »."""
    removal_request_url: str
    """Where a person asks for a fiche to be corrected or removed."""
    legal_basis_label: str
    """The schema's label of `donnees_personnelles.base_legale`."""
    accessibility: Accessibility
    freshness_months: int
    """A fiche not confirmed for longer than this gets a warning."""


@dataclass
class Directory:
    """The whole validated directory."""

    participants: dict[str, Participant]
    territories: dict[str, Territory]
    schemes: dict[str, Scheme]
    themes: dict[str, Theme]
    glossary: list[GlossaryEntry]
    workshops: dict[str, Workshop]
    publication: Publication | None
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """French labels of enumerated values, by enum name (``organisation``, ``territoire``, ``niveau``)."""
