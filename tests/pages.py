"""Reading built pages in tests: links and visible text of a page's main content."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path


class _Article(HTMLParser):
    """Collects the links and the text inside <article>, the page's own content, and every link of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.links: list[str] = []
        self.all_links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.all_links.append(href)
            if self.depth:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def read(site: Path, url: str) -> _Article:
    """Parse the page at site-relative `url` (``participants/x/``)."""
    parser = _Article()
    parser.feed((site / url / "index.html").read_text(encoding="utf-8") if url.endswith("/") or not url else (site / url).read_text(encoding="utf-8"))
    return parser


def internal_links(url: str, hrefs: list[str]) -> set[str]:
    """Site-relative addresses of the links of the page at `url` that stay on the site."""
    found = set()
    for href in hrefs:
        if re.match(r"^[a-z]+:", href) or href.startswith("#"):
            continue
        target = posixpath.normpath(posixpath.join(url, href.split("#")[0]))
        found.add("" if target == "." else target.rstrip("/") + "/")
    return found


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)
