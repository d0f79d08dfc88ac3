"""Stage 4 — render: turn the index into HTML pages, one Jinja template per kind of page.

In: an `Index`, the `templates/` folder and `data/geo/`; for a whole site also the `Matches` (who can
help whom), the open-data files to offer for download, and the fiches not confirmed in time.
Out: `plan_pages(index)` lists every page to produce (`PageSpec`: address, title, source file)
without rendering anything; `Renderer.render(spec)` produces one page's HTML body and table
of contents on demand, so a build never holds every page in memory.

Contributor text is data, never code. Templates are files of the project, compiled once;
what contributors wrote only ever arrives as template *variables*, auto-escaped by Jinja.
The only text turned into markup is, in a paragraph, its web addresses (made into links by
`paragraph_html`) and the glossary's acronyms (`<abbr>`, by `glossary.Glossary`, which escapes the
text around them). A paragraph that holds an address also goes through the nh3 sanitiser; one
without, the most common, is only escaped. Pages are HTML, not Markdown, so contributor text never
meets a Markdown extension either.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
from operator import attrgetter
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import nh3
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from . import typography
from .export import DATASET_TITLE, FIELDS, LICENCE, LIST_SEPARATOR, attribution, last_update
from .charts import home_charts
from .geo import GEO_DIR, build_map
from .glossary import Glossary, term_anchor
from .index import Index
from .matching import Matches, match
from .model import INDIVIDUAL_TITLE, Directory, Participant
from .text import fold, french_date, french_list, sort_key

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
SECTIONS = {"participant": "participants", "territoire": "territoires", "dispositif": "dispositifs", "thematique": "thematiques", "atelier": "ateliers"}
"""Kind of page → folder of its address."""
SECTION_TITLES = {"participant": "Participants", "territoire": "Territoires", "dispositif": "Dispositifs", "thematique": "Thématiques", "atelier": "Ateliers"}
"""Title of each section's list page, also the name its pages' breadcrumb gives it."""
HELP_TITLE = "Qui peut m’aider\u202f?"
"""Title of the pages of « Qui peut m’aider ? », which match needs with offers."""
DOWNLOADS_FOLDER = "donnees"
"""Folder of the site where the open-data files are published."""

PAGES = {
    "glossaire": "glossaire.md",
    "aide": "qui-peut-m-aider.md",
    "carte": "carte.md",
    "accessibilite": "accessibilite.md",
    "donnees-personnelles": "donnees-personnelles.md",
    "donnees-ouvertes": "donnees-ouvertes.md",
    "recherche": "rechercher.md",
}
"""Single pages outside the sections, by the name templates give them in `url(name)`."""

LIST_PAGE_SIZE = 200
"""Most fiches one page of the alphabetical list shows: at national scale the list is cut into pages."""

HELP_PAGE_SIZE = 50
"""Most fiches one page of « Qui peut m’aider ? » shows, each with its needs and challenges and up to five
suggestions for each (about 2 kB of HTML a fiche; in one page, 10,000 fiches made 28 MB)."""

FACETS = {"region": "Région", "departement": "Département", "structure": "Type de structure", "dispositif": "Dispositif", "thematique": "Thématique"}
"""Facets of the search page: Pagefind filter (and query-string) name → legend. `repertoire.search` fills them."""

Item = TypeVar("Item")

_HEADING = re.compile(r'<h([123]) id="([^"]+)">(.*?)</h[123]>')
_TITLE = re.compile(r"<h1>")
_LEAD = re.compile(r'<p class="rep-chapo">(.*?)</p>', re.S)
_TAG = re.compile(r"<[^>]*>")
_LINE_BREAKS = re.compile(r"[ \t\r\n]+")
TITLE_ANCHOR = "contenu"
"""Id of every generated page's h1: the target of the « Aller au contenu » link."""
_URL = re.compile(r"\b(?:https?://|mailto:)[^\s<>\"«»]+")
_TRAILING = ".,;:!?]…’"
"""Punctuation that ends a sentence after an address rather than the address itself."""


def _address_end(text: str, start: int, end: int) -> int:
    """Where an address found at text[start:end] really ends: without the punctuation that follows it, nor a
    closing parenthesis it does not open (« (voir https://exemple.fr) », but « …/Emploi_(France) »)."""
    while end > start:
        last = text[end - 1]
        if last in _TRAILING or (last == ")" and text.count("(", start, end) < text.count(")", start, end)):
            end -= 1
        else:
            break
    return end


MOST_DEPARTEMENTS_NAMED = 4
"""Beyond, a list says how many départements a participant acts in rather than naming them."""


@dataclass(frozen=True)
class PageSpec:
    """One page to produce."""

    uri: str
    """Source path of the page inside the site (``participants/x.md``)."""
    template: str
    title: str
    """Plain text title; escaped when written into HTML."""
    source: str
    """Data file the page comes from, relative to the project root: its « modifier » link opens it. Empty for the
    fiche of a participant whose names are hidden: its file names the persons, and the page must not lead there."""
    key: str | None = None
    """Identifier of the participant, territory… shown, None for list pages."""


@dataclass(frozen=True)
class ListPage:
    """One page of the alphabetical list of participants."""

    number: int
    """From 1; page 1 is the section's index."""
    ids: tuple[str, ...]
    first: str
    """Title of its first fiche (empty when the directory has none), to name the page in the list of pages."""
    last: str


@dataclass
class RenderedPage:
    html: str
    toc: list[tuple[int, str, str]] = field(default_factory=list)
    """Headings as (level, anchor, title as HTML), the page title (level 1) first."""
    description: str = ""
    """The page's lead paragraph (`rep-chapo`) as plain text, for search engines and link previews;
    escaped when written into HTML."""

    def toc_tree(self) -> list[dict]:
        """The headings nested under the page title, as Python-Markdown's `toc_tokens`."""
        roots: list[dict] = []
        parents: list[dict] = []
        for level, anchor_id, title in self.toc:
            token = {"level": level, "id": anchor_id, "name": title, "children": []}
            while parents and parents[-1]["level"] >= level:
                parents.pop()
            (parents[-1]["children"] if parents else roots).append(token)
            parents.append(token)
        return roots


def _plain_text(fragment: str) -> str:
    """The text of an HTML fragment of ours, on one line. Unlike `Markup.striptags`, which would turn them
    into plain spaces, its no-break spaces stay."""
    return unescape(_LINE_BREAKS.sub(" ", _TAG.sub("", fragment))).strip()


def paragraph_html(text: str, mark: Callable[[str], Markup] = escape) -> Markup:
    """One paragraph written by a contributor, escaped, with its web addresses as links, and its line
    breaks (a YAML « | » block) kept as such: HTML would run its lines together.

    `mark` escapes the text between addresses and may wrap words in markup (the glossary's
    `<abbr>`); addresses are never passed to it, so no link is ever nested in another.
    """
    if "\n" in text.strip("\n"):
        return Markup("<br>\n").join(paragraph_html(line, mark) for line in text.strip("\n").split("\n"))
    pieces, last = [], 0
    for found in _URL.finditer(text):
        end = _address_end(text, found.start(), found.end())
        pieces.append(mark(text[last:found.start()]))
        address = text[found.start():end]
        pieces.append(Markup('<a href="{0}">{0}</a>').format(address))
        last = end
    if not pieces:  # no address: the glossary's marking (escaped text, our own <abbr>) is all there is to do
        return mark(text)
    pieces.append(mark(text[last:]))
    html = "".join(pieces)
    return Markup(nh3.clean(html, tags={"a", "abbr"}, attributes={"a": {"href"}, "abbr": {"title"}}, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow"))


def file_size(size: int) -> str:
    """« 850 octets », « 12,3 ko », « 1,2 Mo » (French units, decimal comma, no-break space)."""
    if size < 1000:
        return f"{size}\u00a0octets"
    value, unit = (size / 1e3, "ko") if size < 1e6 else (size / 1e6, "Mo")
    return f"{value:.1f}".replace(".", ",") + f"\u00a0{unit}"


_folded = functools.lru_cache(maxsize=1 << 16)(fold)
"""`fold`, once per name: a list asks it of the same titles and places on every page that shows them."""


def adds_to(title: str, text: str) -> bool:
    """Whether `text`, shown beside `title`, tells a reader something: « Bordeaux » beside « Maison de
    l'emploi de Bordeaux » does not (accents and case aside)."""
    return f" {_folded(text)} " not in f" {_folded(title)} "


def host(address: str) -> str:
    """The site an address leads to (« travail-emploi.gouv.fr »): a link's text a screen reader can read out."""
    return urlsplit(address).hostname or address


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 participant », « 3 participants » (with a no-break space)."""
    word = singular if count <= 1 else (plural_form or singular + "s")
    return f"{count}\u00a0{word}"


def _section_uri(kind: str, key: str | None) -> str:
    folder = SECTIONS[kind]
    return f"{folder}/{key}.md" if key else f"{folder}/index.md"


def _list_uri(number: int) -> str:
    return _section_uri("participant", None) if number == 1 else f"participants/pages/{number}.md"


def _help_uri(number: int) -> str:
    return PAGES["aide"] if number == 1 else f"{PAGES['aide'].removesuffix('.md')}/pages/{number}.md"


def _pages(index: Index, ids: list[str], size: int) -> list[ListPage]:
    chunks = [ids[start:start + size] for start in range(0, len(ids), size)] or [[]]
    titles = [(index.participant(chunk[0]).title, index.participant(chunk[-1]).title) if chunk else ("", "") for chunk in chunks]
    return [ListPage(number, tuple(chunk), *bounds) for number, (chunk, bounds) in enumerate(zip(chunks, titles), 1)]


def list_pages(index: Index) -> list[ListPage]:
    """The alphabetical list of participants cut into pages of at most `LIST_PAGE_SIZE` fiches."""
    return _pages(index, index.participants, LIST_PAGE_SIZE)


def help_pages(index: Index) -> list[ListPage]:
    """The fiches that state a need or a challenge, or name who helps them (`liens`), in alphabetical order, cut
    into pages of at most `HELP_PAGE_SIZE`."""
    stating = [p.id for p in map(index.participant, index.participants) if p.needs or p.challenges or p.links]
    return _pages(index, stating, HELP_PAGE_SIZE)


def _grouped(items: Iterable[Item], key: Callable[[Item], str]) -> dict[str, list[Item]]:
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def page_url(uri: str) -> str:
    """Address of a page relative to the site root, as MkDocs writes it: ``participants/x/``."""
    stem = uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def plan_pages(index: Index) -> list[PageSpec]:
    """Every generated page: one per participant, territory, scheme, theme, workshop, plus lists."""
    d = index.directory
    specs = [PageSpec(_section_uri("participant", p.id), "participant.html.j2", p.title, "" if p.hide_names else p.file, p.id) for p in map(index.participant, index.participants)]
    specs += [PageSpec(_section_uri("territoire", t.id), "territoire.html.j2", t.name, "data/territoires.yml", t.id) for t in d.territories.values()]
    specs += [PageSpec(_section_uri("dispositif", s.id), "dispositif.html.j2", s.label, "data/dispositifs.yml", s.id) for s in d.schemes.values()]
    specs += [PageSpec(_section_uri("thematique", t.id), "thematique.html.j2", t.name, "data/thematiques.yml", t.id) for t in d.themes.values()]
    specs += [PageSpec(_section_uri("atelier", w.id), "atelier.html.j2", w.title, "data/ateliers.yml", w.id) for w in d.workshops.values()]
    specs += [PageSpec(_list_uri(p.number), "participants.html.j2", SECTION_TITLES["participant"] if p.number == 1 else f"{SECTION_TITLES['participant']}, page {p.number}", "data/participants", str(p.number)) for p in list_pages(index)]
    specs += [PageSpec(_help_uri(p.number), "aide.html.j2", HELP_TITLE if p.number == 1 else f"{HELP_TITLE}, page {p.number}", "data/participants", str(p.number)) for p in help_pages(index)]
    specs += [
        PageSpec(_section_uri("territoire", None), "territoires.html.j2", SECTION_TITLES["territoire"], "data/territoires.yml"),
        PageSpec(_section_uri("dispositif", None), "dispositifs.html.j2", SECTION_TITLES["dispositif"], "data/dispositifs.yml"),
        PageSpec(_section_uri("thematique", None), "thematiques.html.j2", SECTION_TITLES["thematique"], "data/thematiques.yml"),
        PageSpec(_section_uri("atelier", None), "ateliers.html.j2", SECTION_TITLES["atelier"], "data/ateliers.yml"),
        PageSpec(PAGES["glossaire"], "glossaire.html.j2", "Glossaire", "data/glossaire.yml"),
        PageSpec(PAGES["carte"], "carte.html.j2", "Carte des participants", "data/territoires.yml"),
        PageSpec(PAGES["accessibilite"], "accessibilite.html.j2", "Accessibilité", "data/publication.yml"),
        PageSpec(PAGES["donnees-personnelles"], "donnees-personnelles.html.j2", "Données personnelles", "data/publication.yml"),
        PageSpec(PAGES["donnees-ouvertes"], "donnees-ouvertes.html.j2", "Données ouvertes", "data/publication.yml"),
        PageSpec(PAGES["recherche"], "recherche.html.j2", "Rechercher", "data/participants"),
    ]
    return specs


def template_cache() -> FileSystemBytecodeCache:
    """Compiled templates kept between builds, under names that change with `typography`, which rewrites
    the templates' text as they are compiled: Jinja itself only compares a template with its source."""
    version = hashlib.blake2b(Path(typography.__file__).read_bytes(), digest_size=6).hexdigest()
    return FileSystemBytecodeCache(pattern=f"__repertoire_{version}_%s.cache")


class Renderer:
    """Renders pages of one index with the project's templates."""

    def __init__(
        self,
        index: Index,
        templates_dir: Path = TEMPLATES_DIR,
        geo_dir: Path = GEO_DIR,
        downloads: Callable[[], list] = list,
        bytecode_cache: BytecodeCache | None = None,
        matches: Matches | None = None,
        unconfirmed: frozenset[str] = frozenset(),
    ):
        """`downloads`: gives the open-data files (`export.Download`) that the « Données ouvertes » page links,
        when that page is rendered;
        `bytecode_cache` keeps the compiled templates between renderers (each `mkdocs serve` rebuild makes one);
        `matches`: `match(index)`, when the caller has had it computed already (aside, during other work);
        `unconfirmed`: the fiches past the freshness limit (`pipeline.Checked.unconfirmed`), whose pages say so."""
        self.index = index
        self.geo_dir = geo_dir
        self.downloads = downloads
        self.matches = matches if matches is not None else match(index)
        self.glossary = Glossary(index.directory)
        self.env = Environment(
            loader=FileSystemLoader(templates_dir),
            bytecode_cache=bytecode_cache,
            auto_reload=False,  # a renderer serves one build: no need to look at each template file's date at every include
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            extensions=[typography.FrenchSpacing],
        )
        self.env.filters.update(paragraph=self._paragraph, french_date=french_date, french_list=french_list, plural=plural, anchor=term_anchor, file_size=file_size, host=host)
        self.list_pages = list_pages(index)
        self.help_pages = help_pages(index)
        self._help_page_of = {ident: page.number for page in self.help_pages for ident in page.ids}
        self._hand_made_by_helped = _grouped(self.matches.hand_made, attrgetter("helped_id"))
        self.env.globals.update(
            self._globals(index.directory), unconfirmed=unconfirmed, list_pages=self.list_pages, list_page_size=LIST_PAGE_SIZE, help_pages=self.help_pages, help_page_size=HELP_PAGE_SIZE
        )

    def _globals(self, directory: Directory) -> dict:
        d = directory
        return {
            "directory": d,
            "index": self.index,
            "labels": d.labels,
            "territories_by_kind": self._territories_by_kind(d),
            "schemes_sorted": sorted(d.schemes.values(), key=lambda s: sort_key(s.name)),
            "themes_sorted": sorted(d.themes.values(), key=lambda t: sort_key(t.name)),
            "glossary_by_letter": _grouped(sorted(d.glossary, key=lambda g: sort_key(g.term)), lambda g: (fold(g.term)[:1] or "#").upper()),
            "publication": d.publication,
            "site_title": DATASET_TITLE,
            "individual_title": INDIVIDUAL_TITLE,
            "downloads": self.downloads,
            "last_update": last_update(d),
            "attribution": attribution(d.publication, last_update(d)) if d.publication else "",
            "list_separator": LIST_SEPARATOR,
            "export_fields": FIELDS,
            "licence": LICENCE,
            "matches": self.matches,
            "france_map": build_map(self.index, self.geo_dir),
            "charts": home_charts(self.index),
            "needs_by_participant": _grouped(self.matches.needs, attrgetter("participant_id")),
            "hand_made_for": self._hand_made_for,
            "facets": FACETS,
            "section_titles": SECTION_TITLES,
            "place_of": self._place_of,
            "adds_to": adds_to,
        }

    def _place_of(self, participant: Participant, page_title: str) -> str:
        """Where a list situates a participant: its département (« Grand Dax (Landes) », « PLIE du Grand
        Poitiers (Vienne) »), or its first territory when the département says nothing more than the name
        or the title of the page (on the Gironde's page, « Bordeaux Métropole »); empty when neither does.
        A participant of several départements is given all of them, on every page: one of them alone would
        place it somewhere else than the département whose page lists it."""
        territories = self.index.directory.territories
        departements = [territories[ident].name for ident in self.index.departements[participant.id]]
        if len(departements) > 1:
            return ", ".join(departements) if len(departements) <= MOST_DEPARTEMENTS_NAMED else f"{len(departements)}\u00a0départements"
        candidates = [*departements, *(territories[ident].name for ident in participant.territory_ids[:1])]
        return next((name for name in candidates if adds_to(participant.title, name) and adds_to(page_title, name)), "")

    def _hand_made_for(self, ids: Iterable[str]) -> list:
        """The hand-made links (`liens`) that help one of the fiches `ids`, in their order."""
        return [link for ident in ids for link in self._hand_made_by_helped.get(ident, [])]

    @pass_context
    def _paragraph(self, context, text: str) -> Markup:
        """`paragraph_html` with the glossary's acronyms explained, linked from the page being rendered."""
        return paragraph_html(text, lambda segment: self.glossary.mark(segment, context["url"]))

    @staticmethod
    def _territories_by_kind(directory: Directory) -> list[tuple[str, list]]:
        groups: dict[str, list] = {}
        for kind in directory.labels["territoire"]:
            members = sorted((t for t in directory.territories.values() if t.kind == kind), key=lambda t: sort_key(t.name))
            if members:
                groups[kind] = members
        return list(groups.items())

    def _url_function(self, spec: PageSpec) -> Callable[..., str]:
        depth = page_url(spec.uri).count("/")
        root = "../" * depth

        def url(kind: str, key: str | None = None) -> str:
            if kind == "accueil":
                return root or "./"
            if kind == "telechargement":
                return f"{root}{DOWNLOADS_FOLDER}/{key}"
            if kind == "contribuer":  # hand-written page
                return root + "contribuer/"
            if kind in PAGES:
                return root + page_url(PAGES[kind]) + (f"#{key}" if key else "")
            if kind == "liste":
                return root + page_url(_list_uri(int(key)))
            if kind == "aide-page":
                return root + page_url(_help_uri(int(key)))
            if kind == "aide-fiche":  # a fiche's own needs on « Qui peut m'aider ? »; empty when it states none
                number = self._help_page_of.get(key)
                return root + page_url(_help_uri(number)) + f"#{key}" if number else ""
            return root + page_url(_section_uri(kind, key))

        return url

    def render(self, spec: PageSpec) -> RenderedPage:
        """Render one planned page."""
        template = self.env.get_template(spec.template)
        site_url = self.index.directory.publication.site_url if self.index.directory.publication else ""
        context = {"page": spec, "url": self._url_function(spec), "page_address": site_url + page_url(spec.uri)}
        if spec.key is not None:
            context["item"] = self._item(spec)
        html = _TITLE.sub(f'<h1 id="{TITLE_ANCHOR}">', template.render(context).strip(), count=1)
        # the table of contents links to each heading: a link inside a heading would nest links there
        toc = [(int(level), anchor, str(escape(_plain_text(title)))) for level, anchor, title in _HEADING.findall(html)]
        lead = _LEAD.search(html)
        return RenderedPage(html, toc, _plain_text(lead.group(1)) if lead else "")

    def render_part(self, template: str, uri: str) -> Markup:
        """A fragment rendered for the page at `uri` (the home page's charts), for a hand-written page."""
        return Markup(self.env.get_template(template).render(url=self._url_function(PageSpec(uri, template, "", ""))).strip())

    def _item(self, spec: PageSpec):
        d = self.index.directory
        tables = {
            "participant.html.j2": d.participants,
            "territoire.html.j2": d.territories,
            "dispositif.html.j2": d.schemes,
            "thematique.html.j2": d.themes,
            "atelier.html.j2": d.workshops,
            "participants.html.j2": {str(p.number): p for p in self.list_pages},
            "aide.html.j2": {str(p.number): p for p in self.help_pages},
        }
        return tables[spec.template][spec.key]
