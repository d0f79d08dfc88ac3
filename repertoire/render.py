"""Stage 4 — render: turn the index into HTML pages, one Jinja template per kind of page.

In: an `Index` and the `templates/` folder.
Out: `plan_pages(index)` lists every page to produce (`PageSpec`: address, title, source file)
without rendering anything; `Renderer.render(spec)` produces one page's HTML body and table
of contents on demand, so a build never holds every page in memory.

Contributor text is data, never code. Templates are files of the project, compiled once;
what contributors wrote only ever arrives as template *variables*, auto-escaped by Jinja.
The only text turned into markup is a paragraph's web addresses, made into links by
`paragraph_html` and passed through the nh3 sanitiser. Pages are HTML, not Markdown, so
contributor text never meets a Markdown extension either.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nh3
from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .index import Index
from .model import Directory
from .text import fold, sort_key

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
SECTIONS = {"participant": "participants", "territoire": "territoires", "dispositif": "dispositifs", "thematique": "thematiques", "atelier": "ateliers"}
"""Kind of page → folder of its address."""

LIST_PAGE_SIZE = 200
"""Most fiches one page of the alphabetical list shows: at national scale the list is cut into pages."""

_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h[23]>')
_URL = re.compile(r"\b(?:https?://|mailto:)[^\s<>\"«»]+[^\s<>\"«».,;:!?)\]]")


@dataclass(frozen=True)
class PageSpec:
    """One page to produce."""

    uri: str
    """Source path of the page inside the site (``participants/x.md``)."""
    template: str
    title: str
    """Plain text title; escaped when written into HTML."""
    source: str
    """Data file the page comes from, relative to the project root: its « modifier » link opens it."""
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
    """Section headings as (level, anchor, title as HTML), for the table of contents."""


def french_date(iso: str) -> str:
    """« 2021-03-16 » → « 16 mars 2021 »."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"


def paragraph_html(text: str) -> Markup:
    """One paragraph written by a contributor, escaped, with its web addresses as links."""
    pieces, last = [], 0
    for match in _URL.finditer(text):
        pieces.append(escape(text[last:match.start()]))
        address = match.group(0)
        pieces.append(Markup('<a href="{0}">{0}</a>').format(address))
        last = match.end()
    if not pieces:  # no address: escaping is all there is to do
        return escape(text)
    pieces.append(escape(text[last:]))
    html = "".join(pieces)
    return Markup(nh3.clean(html, tags={"a"}, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow"))


def anchor(text: str) -> str:
    """An HTML id from any text: « O/D » → « o-d »."""
    return fold(text).replace(" ", "-") or "terme"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 participant », « 3 participants » (with a no-break space)."""
    word = singular if count <= 1 else (plural_form or singular + "s")
    return f"{count}\u00a0{word}"


def _section_uri(kind: str, key: str | None) -> str:
    folder = SECTIONS[kind]
    return f"{folder}/{key}.md" if key else f"{folder}/index.md"


def _list_uri(number: int) -> str:
    return _section_uri("participant", None) if number == 1 else f"participants/pages/{number}.md"


def list_pages(index: Index) -> list[ListPage]:
    """The alphabetical list of participants cut into pages of at most `LIST_PAGE_SIZE` fiches."""
    ids = index.participants
    chunks = [ids[start:start + LIST_PAGE_SIZE] for start in range(0, len(ids), LIST_PAGE_SIZE)] or [[]]
    titles = [(index.participant(chunk[0]).title, index.participant(chunk[-1]).title) if chunk else ("", "") for chunk in chunks]
    return [ListPage(number, tuple(chunk), *bounds) for number, (chunk, bounds) in enumerate(zip(chunks, titles), 1)]


def page_url(uri: str) -> str:
    """Address of a page relative to the site root, as MkDocs writes it: ``participants/x/``."""
    stem = uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def plan_pages(index: Index) -> list[PageSpec]:
    """Every generated page: one per participant, territory, scheme, theme, workshop, plus lists."""
    d = index.directory
    specs = [PageSpec(_section_uri("participant", p.id), "participant.html.j2", p.title, p.file, p.id) for p in map(index.participant, index.participants)]
    specs += [PageSpec(_section_uri("territoire", t.id), "territoire.html.j2", t.name, "data/territoires.yml", t.id) for t in d.territories.values()]
    specs += [PageSpec(_section_uri("dispositif", s.id), "dispositif.html.j2", s.name, "data/dispositifs.yml", s.id) for s in d.schemes.values()]
    specs += [PageSpec(_section_uri("thematique", t.id), "thematique.html.j2", t.name, "data/thematiques.yml", t.id) for t in d.themes.values()]
    specs += [PageSpec(_section_uri("atelier", w.id), "atelier.html.j2", w.title, "data/ateliers.yml", w.id) for w in d.workshops.values()]
    specs += [PageSpec(_list_uri(p.number), "participants.html.j2", "Participants" if p.number == 1 else f"Participants, page {p.number}", "data/participants", str(p.number)) for p in list_pages(index)]
    specs += [
        PageSpec(_section_uri("territoire", None), "territoires.html.j2", "Territoires", "data/territoires.yml"),
        PageSpec(_section_uri("dispositif", None), "dispositifs.html.j2", "Dispositifs", "data/dispositifs.yml"),
        PageSpec(_section_uri("thematique", None), "thematiques.html.j2", "Thématiques", "data/thematiques.yml"),
        PageSpec(_section_uri("atelier", None), "ateliers.html.j2", "Ateliers", "data/ateliers.yml"),
        PageSpec("glossaire.md", "glossaire.html.j2", "Glossaire", "data/glossaire.yml"),
    ]
    return specs


class Renderer:
    """Renders pages of one index with the project's templates."""

    def __init__(self, index: Index, templates_dir: Path = TEMPLATES_DIR, bytecode_cache: BytecodeCache | None = None):
        """`bytecode_cache` keeps the compiled templates between renderers (each `mkdocs serve` rebuild makes one)."""
        self.index = index
        self.env = Environment(
            loader=FileSystemLoader(templates_dir),
            bytecode_cache=bytecode_cache,
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.filters.update(paragraph=paragraph_html, french_date=french_date, plural=plural, anchor=anchor)
        self.list_pages = list_pages(index)
        self.env.globals.update(self._globals(index.directory), list_pages=self.list_pages, list_page_size=LIST_PAGE_SIZE)

    def _globals(self, directory: Directory) -> dict:
        d = directory
        return {
            "directory": d,
            "index": self.index,
            "labels": d.labels,
            "territories_by_kind": self._territories_by_kind(d),
            "schemes_sorted": sorted(d.schemes.values(), key=lambda s: sort_key(s.name)),
            "themes_sorted": sorted(d.themes.values(), key=lambda t: sort_key(t.name)),
            "glossary_sorted": sorted(d.glossary, key=lambda g: sort_key(g.term)),
        }

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
            if kind == "glossaire":
                return root + "glossaire/"
            if kind == "liste":
                return root + page_url(_list_uri(int(key)))
            return root + page_url(_section_uri(kind, key))

        return url

    def render(self, spec: PageSpec) -> RenderedPage:
        """Render one planned page."""
        template = self.env.get_template(spec.template)
        context = {"page": spec, "url": self._url_function(spec)}
        if spec.key is not None:
            context["item"] = self._item(spec)
        html = template.render(context).strip()
        toc = [(int(level), anchor, title) for level, anchor, title in _HEADING.findall(html)]
        return RenderedPage(html, toc)

    def _item(self, spec: PageSpec):
        d = self.index.directory
        tables = {
            "participant.html.j2": d.participants,
            "territoire.html.j2": d.territories,
            "dispositif.html.j2": d.schemes,
            "thematique.html.j2": d.themes,
            "atelier.html.j2": d.workshops,
            "participants.html.j2": {str(p.number): p for p in self.list_pages},
        }
        return tables[spec.template][spec.key]
