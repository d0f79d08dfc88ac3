"""Search records: what a reader can find, built from the model, one record per searchable page.

In: an `Index` and a `PageSpec` (from `repertoire.render.plan_pages`).
Out: a `SearchRecord` (address, text to index, what a result shows, facets) or None for pages
nobody searches (lists, which only repeat what the fiches say).

A record's `content` is the page's prose (a fiche's actions, défis, besoins, ressources; a
workshop's description; the glossary), where Pagefind takes its excerpts from; names and labels
(title, organisation, persons unless hidden, territories, dispositifs, thématiques) go into the
`mots` metadata, which Pagefind searches too but never shows as an excerpt. A territory, a
dispositif or a thématique is found by its names alone, not by its description.

Pagefind (1.5, language « fr ») already ignores accents, splits elisions at
a straight apostrophe (`economie` finds « l'économie »), stems French words (`formations` finds
« formation ») and indexes hyphenated names whole and by part (`mont de marsan`). Added here, only
what it lacks:
- typographic apostrophes (« l’économie ») become straight ones, which Pagefind splits at;
- the other forms of every term or scheme a page mentions (data/glossaire.yml: terme, développé,
  variantes; data/dispositifs.yml: sigle, nom, synonymes) join `mots`, so that `GPECT` and
  « gestion prévisionnelle » find the same fiches and `zéro chômeur` finds « TZCLD ».
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .index import Index
from .render import PageSpec, adds_to, page_url

FICHE = "Fiche"
"""Value of the `page` filter of participants' fiches: the search page lists these."""

_ACRONYM = re.compile(r"[^a-z]+")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_NOT_WORD = re.compile(r"[\W_]+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True)
class SearchRecord:
    url: str
    """Address relative to the site root (``participants/x/``)."""
    content: str
    meta: dict[str, str]
    """What a result shows: ``title``, ``type``, and for a fiche ``organisation``, ``territoire``, ``personnes``;
    plus ``mots``, searched but not shown."""
    filters: dict[str, list[str]] = field(default_factory=dict)


def _apostrophes(text: str) -> str:
    """Pagefind splits « l'économie » at a straight apostrophe only: typographic ones become straight."""
    return text.replace("\u2019", "'")


def _words(text: str) -> str:
    """Accents and punctuation dropped, case kept, words separated by one space, with a space on each side."""
    return " " + _NOT_WORD.sub(" ", _COMBINING.sub("", unicodedata.normalize("NFKD", text))).strip() + " "


@functools.lru_cache(maxsize=1 << 16)
def _token(token: str) -> tuple[str, str] | None:
    """A whitespace-separated token as written (hyphens and apostrophes kept, which Pagefind splits at
    itself) and its folded form; None for punctuation alone. Cached: a directory uses a few thousand
    words over and over, and folding each occurrence again was most of the time spent on records."""
    word = _EDGE_PUNCTUATION.sub("", token)
    return (word, _words(word).casefold()) if word else None


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """Each word of `text` as written, with its folded form."""
    return filter(None, map(_token, _apostrophes(text).split()))


def _new_words(words: str, indexed: str) -> str:
    """The words of `words` not already in `indexed`, once each: Pagefind indexes every field of a
    record, and every repeated word costs memory while it indexes and bytes in what readers download."""
    seen = {folded for _word, folded in filter(None, map(_token, set(_apostrophes(indexed).split())))}
    kept = []
    for word, folded in _tokens(words):
        if folded not in seen:
            seen.add(folded)
            kept.append(word)
    return " ".join(kept)


class _Synonyms:
    """Groups of forms that name the same thing; finds which groups a text mentions.

    An all-capitals form (« CA », « PACTE ») is matched with its case, so that the word « ça » or
    « pacte » is not taken for the acronym; any other form is matched whatever its case.
    """

    def __init__(self, groups: Iterable[Iterable[str | None]]):
        self.groups = [tuple(form for form in dict.fromkeys(group) if form) for group in groups]
        self._exact: dict[str, list[tuple[str, frozenset[str], int]]] = {}
        self._folded: dict[str, list[tuple[str, frozenset[str], int]]] = {}
        """First word → the forms starting with it (as `_words`, folded or not), their words and their group's number."""
        for number, group in enumerate(self.groups):
            for form in group:
                words = _words(form)
                table, phrase = (self._exact, words) if _ACRONYM.fullmatch(words) else (self._folded, words.casefold())
                table.setdefault(phrase.split()[0], []).append((phrase, frozenset(phrase.split()), number))

    def mentioned(self, words: str) -> list[tuple[str, ...]]:
        """The groups any form of which appears in `words` (made by `_words`)."""
        found: set[int] = set()
        for table, text in ((self._exact, words), (self._folded, words.casefold())):
            written = set(text.split())
            for first in table.keys() & written:
                # only a form whose words are all there is looked for as a phrase, through the whole text
                found.update(number for phrase, form_words, number in table[first] if form_words <= written and phrase in text)
        return [self.groups[number] for number in sorted(found)]


class RecordBuilder:
    """Builds the search record of any planned page of one index."""

    def __init__(self, index: Index):
        self.index = index
        d = index.directory
        self.synonyms = _Synonyms(
            [[g.term, g.expansion, *g.variants] for g in d.glossary]
            + [[s.acronym, s.name, *s.synonyms] for s in d.schemes.values()]
        )

    def record(self, spec: PageSpec) -> SearchRecord | None:
        """The record of a planned page; None for list pages and the search page."""
        builders = {
            "participant.html.j2": self._participant, "territoire.html.j2": self._territory, "dispositif.html.j2": self._scheme,
            "thematique.html.j2": self._theme, "atelier.html.j2": self._workshop, "glossaire.html.j2": self._glossary,
        }
        builder = builders.get(spec.template)
        return builder(spec) if builder else None

    def _finish(self, spec: PageSpec, kind: str, texts: Iterable[str | None], names: Iterable[str | None], meta: dict[str, str] | None = None, filters: dict[str, list[str]] | None = None) -> SearchRecord:
        """`texts` are the prose excerpts come from, kept apart by « · » (an excerpt is one line: items
        would run into each other); `names` are searched but only shown through `meta`."""
        content = " · ".join(text for text in texts if text) or spec.title
        searched = " · ".join(dict.fromkeys(name for name in names if name))
        other_forms = dict.fromkeys(form for group in self.synonyms.mentioned(_words(content + "\n" + searched)) for form in group)
        shown = {key: value for key, value in {"title": spec.title, "type": kind, **(meta or {})}.items() if value}
        hidden = _new_words(" ".join((searched, *other_forms)), " ".join((content, *shown.values())))
        return SearchRecord(
            url=page_url(spec.uri),
            content=_apostrophes(content),
            meta={key: _apostrophes(value) for key, value in {**shown, "mots": hidden}.items() if value},
            filters={"page": [kind], **(filters or {})},
        )

    def _names(self, table: dict, ids: Iterable[str]) -> list[str]:
        return [table[ident].name for ident in ids]

    def _participant(self, spec: PageSpec) -> SearchRecord:
        d, p = self.index.directory, self.index.participant(spec.key)
        places = self._names(d.territories, p.territory_ids)
        organisation = p.organisation
        persons = [", ".join(filter(None, (person.name, person.role))) for person in p.visible_persons]
        schemes = [d.schemes[s] for s in p.scheme_ids]
        names = [
            p.title,
            organisation and organisation.name, organisation and organisation.acronym,
            organisation and organisation.source_name,
            *persons, *[person.source_name for person in p.visible_persons],
            *places, *self._names(d.territories, self.index.departements[p.id]),
            *[" · ".join(filter(None, (s.name, s.acronym, *s.synonyms))) for s in schemes],
            *self._names(d.themes, p.theme_ids),
        ]
        meta = {"organisation": organisation.name if organisation and adds_to(p.title, organisation.name) else "", "territoire": ", ".join(places), "personnes": ", ".join(person.name for person in p.visible_persons)}
        facets = {  # the keys of `render.FACETS`
            "region": self._names(d.territories, self.index.regions[p.id]),
            "departement": self._names(d.territories, self.index.departements[p.id]),
            "structure": [d.labels["organisation"][organisation.kind]] if organisation else [],
            "dispositif": [s.label for s in schemes],
            "thematique": self._names(d.themes, p.theme_ids),
        }
        texts = [*p.actions, *p.challenges, *p.needs, *p.offers]
        return self._finish(spec, FICHE, texts, names, meta, {k: v for k, v in facets.items() if v})

    # A territory, a dispositif or a thématique is found by its names only: its description names the work of
    # participants (« couvert par l'espace-test agricole… »), and a page that short would rank above their fiches.

    def _territory(self, spec: PageSpec) -> SearchRecord:
        d = self.index.directory
        t = d.territories[spec.key]
        names = [t.name, d.labels["territoire"][t.kind], t.code, *self._names(d.territories, self.index.ancestors[t.id])]
        return self._finish(spec, "Territoire", [], names, {"territoire": d.labels["territoire"][t.kind]})

    def _scheme(self, spec: PageSpec) -> SearchRecord:
        d = self.index.directory
        s = d.schemes[spec.key]
        return self._finish(spec, "Dispositif", [], [s.label, *s.synonyms, d.labels["niveau"][s.level]])

    def _theme(self, spec: PageSpec) -> SearchRecord:
        t = self.index.directory.themes[spec.key]
        return self._finish(spec, "Thématique", [], [t.name])

    def _workshop(self, spec: PageSpec) -> SearchRecord:
        w = self.index.directory.workshops[spec.key]
        return self._finish(spec, "Atelier", [w.description, w.introduction], [w.title])

    def _glossary(self, spec: PageSpec) -> SearchRecord:
        entries = self.index.directory.glossary
        return self._finish(spec, "Glossaire", [" — ".join(filter(None, (g.term, g.expansion, g.definition))) for g in entries], [])
