"""The measured floor: the same site as plain Material for MkDocs pages written by hand in Markdown.

In: a project folder (the real one or one from `bench.generate`).
Out: a folder with a `mkdocs.yml` (Material, French, built-in search, the project's navigation, no hook,
no macros) and `docs/` holding one Markdown file per page the project generates, at the same address,
with the same headings, lists, links and texts. Links are written as a person would, to `.md` files.

The Markdown is derived from the project's own rendered HTML by a small converter for the few tags
our templates use, so that both sites carry the same words and links.
"""

from __future__ import annotations

import posixpath
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from repertoire import pipeline  # noqa: E402
from repertoire.render import Renderer, page_url, plan_pages  # noqa: E402

BLOCKS = {"p", "li", "dt", "dd", "h1", "h2", "h3", "blockquote"}


def _source_of(url: str) -> str:
    """``participants/x/`` → ``participants/x.md``; ``participants/`` → ``participants/index.md``."""
    url = url.rstrip("/")
    if url in ("", "."):
        return "index.md"
    if url == "glossaire":
        return "glossaire.md"
    return f"{url}.md" if "/" in url else f"{url}/index.md"


class _ToMarkdown(HTMLParser):
    def __init__(self, page_uri: str):
        super().__init__(convert_charrefs=True)
        self.base = page_url(page_uri)
        self.folder = posixpath.dirname(page_uri)
        self.lines: list[str] = []
        self.current = ""
        self.prefix = ""
        self.href: str | None = None

    def _flush(self) -> None:
        text = " ".join(self.current.split())
        if text:
            self.lines.append(self.prefix + text + ("" if self.prefix == "- " else "\n"))
        self.current = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BLOCKS:
            self._flush()
            self.prefix = {"h1": "# ", "h2": "## ", "h3": "### ", "li": "- ", "blockquote": "> "}.get(tag, "")
            if tag == "dt":
                self.current = "**"
        elif tag == "ul":
            self._flush()
        elif tag == "a":
            target = posixpath.normpath(posixpath.join(self.base, attributes.get("href") or ""))
            external = "://" in (attributes.get("href") or "") or (attributes.get("href") or "").startswith("mailto:")
            self.href = attributes["href"] if external else posixpath.relpath(_source_of(target if target != "." else ""), self.folder or ".")
            self.current += "["
        elif tag == "code":
            self.current += "`"

    def handle_endtag(self, tag):
        if tag == "a" and self.href is not None:
            self.current += f"]({self.href})"
            self.href = None
        elif tag == "code":
            self.current += "`"
        elif tag == "dt":
            self.current += "**"
        if tag in BLOCKS:
            self._flush()
            self.prefix = ""
        elif tag == "ul":
            self.lines.append("")

    def handle_data(self, data):
        self.current += data

    def markdown(self) -> str:
        self._flush()
        return "\n".join(self.lines) + "\n"


def to_markdown(html: str, page_uri: str) -> str:
    """Markdown a person would write for the page at `page_uri` showing `html`."""
    converter = _ToMarkdown(page_uri)
    converter.feed(html)
    return converter.markdown()


def write_plain(project: Path, destination: Path) -> Path:
    """Write the plain Material twin of `project` into `destination` (emptied first)."""
    if destination.exists():
        shutil.rmtree(destination)
    docs = destination / "docs"
    shutil.copytree(project / "content", docs)
    checked = pipeline.check(project / "data")
    if not checked.ok:
        raise SystemExit(f"les données de {project} contiennent des erreurs")
    count = str(len(checked.index.participants))
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8").replace("{{ repertoire.participants }}", count)
        page.write_text(text.replace("render_macros: true\n", ""), encoding="utf-8")
    renderer = Renderer(checked.index, project / "templates", unconfirmed=checked.unconfirmed)
    for spec in plan_pages(checked.index):
        target = docs / spec.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_markdown(renderer.render(spec).html, spec.uri), encoding="utf-8")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    plain = {key: config[key] for key in ("site_name", "site_description", "site_url", "repo_url", "repo_name", "copyright", "extra_css", "nav", "validation") if key in config}
    plain["theme"] = {key: value for key, value in config["theme"].items() if key != "custom_dir"}  # Material as it comes
    plain["plugins"] = [{"search": {"lang": "fr"}}]
    (destination / "mkdocs.yml").write_text(yaml.safe_dump(plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return destination
