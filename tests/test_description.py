"""Each generated page describes itself to search engines and link previews (Open Graph) with its own
title and lead paragraph."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, build


class _Summary(HTMLParser):
    """The page's `<meta name="description">` and the text of its lead paragraph, as a reader gets them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.description: str | None = None
        self.open_graph: dict[str, str] = {}
        self.canonical: str | None = None
        self.lead: list[str] = []
        self.title: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == "description":
            self.description = attributes["content"]
        if tag == "meta" and (attributes.get("property") or "").startswith("og:"):
            self.open_graph[attributes["property"]] = attributes["content"]
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes["href"]
        if tag == "p" and attributes.get("class") == "rep-chapo":
            self._in = "lead"
        if tag == "h1":
            self._in = "title"

    def handle_endtag(self, tag):
        if tag in ("p", "h1"):
            self._in = None

    def handle_data(self, data):
        if self._in == "lead":
            self.lead.append(data)
        if self._in == "title":
            self.title.append(data)


def summary(site: Path, url: str) -> _Summary:
    parser = _Summary()
    parser.feed((site / url / "index.html").read_text(encoding="utf-8"))
    return parser


SETTINGS = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_NAME, SITE_DESCRIPTION = SETTINGS["site_name"], SETTINGS["site_description"]


@pytest.mark.parametrize("url", ["participants/grand-dax/", "territoires/landes/", "dispositifs/gpect/", "thematiques/ess/", "ateliers/atelier-2021-03-16/", "participants/", "qui-peut-m-aider/", "rechercher/", "donnees-ouvertes/"])
def test_a_generated_page_is_described_by_its_lead_paragraph(site, url):
    page = summary(site, url)
    lead = re.sub(r"[ \n]+", " ", "".join(page.lead)).strip()
    assert lead
    assert page.description == lead
    assert page.description != SITE_DESCRIPTION
    assert page.open_graph == {
        "og:site_name": SITE_NAME, "og:locale": "fr_FR", "og:type": "website",
        "og:title": "".join(page.title).strip(), "og:description": page.description, "og:url": page.canonical,
    }


def test_a_scheme_page_is_described_in_the_words_of_the_data(site):
    schemes = yaml.safe_load((PROJECT / "data" / "dispositifs.yml").read_text(encoding="utf-8"))
    gpect = next(s for s in schemes if s["id"] == "gpect")
    assert summary(site, "dispositifs/gpect/").description == gpect["description"]


def test_a_hand_written_page_keeps_the_site_description(site):
    assert summary(site, "contribuer/").description == SITE_DESCRIPTION


def test_a_link_to_the_home_page_is_previewed_with_the_site_s_name(site):
    home = summary(site, "")
    assert (home.open_graph["og:title"], home.open_graph["og:description"]) == (SITE_NAME, SITE_DESCRIPTION)


def test_markup_and_quotes_in_a_name_or_a_description_reach_the_attributes_as_text(project_copy, tmp_path):
    name = 'Le "club" des entreprises &amp; partenaires'
    description = 'Une démarche "pilote" <b onmouseover="alert(1)">&amp; 100 % locale</b>.'
    schemes = project_copy / "data" / "dispositifs.yml"
    lines = schemes.read_text(encoding="utf-8").splitlines()
    for field, written in (("nom", name), ("description", description)):
        at = next(i for i, line in enumerate(lines) if line.startswith(f"  {field}:"))
        lines[at] = f"  {field}: " + yaml.safe_dump(written, allow_unicode=True, width=1000).removesuffix("\n...\n").strip()
    schemes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = yaml.safe_load(schemes.read_text(encoding="utf-8"))[0]
    result = build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "dispositifs" / first["id"] / "index.html").read_text(encoding="utf-8")
    page = summary(tmp_path / "site", f"dispositifs/{first['id']}/")
    assert page.description == page.open_graph["og:description"] == description
    assert page.open_graph["og:title"] == f"{name} ({first['sigle']})"
    assert "<b onmouseover" not in html
