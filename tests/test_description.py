"""Each generated page describes itself to search engines and link previews with its own lead paragraph."""

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
        self.lead: list[str] = []
        self._in_lead = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == "description":
            self.description = attributes["content"]
        if tag == "p" and attributes.get("class") == "rep-chapo":
            self._in_lead = True

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_lead = False

    def handle_data(self, data):
        if self._in_lead:
            self.lead.append(data)


def summary(site: Path, url: str) -> _Summary:
    parser = _Summary()
    parser.feed((site / url / "index.html").read_text(encoding="utf-8"))
    return parser


def site_description() -> str:
    return yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0])["site_description"]


@pytest.mark.parametrize("url", ["participants/grand-dax/", "territoires/landes/", "dispositifs/gpect/", "thematiques/ess/", "ateliers/atelier-2021-03-16/", "participants/", "qui-peut-m-aider/", "rechercher/", "donnees-ouvertes/"])
def test_a_generated_page_is_described_by_its_lead_paragraph(site, url):
    page = summary(site, url)
    lead = re.sub(r"[ \n]+", " ", "".join(page.lead)).strip()
    assert lead
    assert page.description == lead
    assert page.description != site_description()


def test_a_scheme_page_is_described_in_the_words_of_the_data(site):
    schemes = yaml.safe_load((PROJECT / "data" / "dispositifs.yml").read_text(encoding="utf-8"))
    gpect = next(s for s in schemes if s["id"] == "gpect")
    assert summary(site, "dispositifs/gpect/").description == gpect["description"]


def test_a_hand_written_page_keeps_the_site_description(site):
    assert summary(site, "contribuer/").description == site_description()


def test_markup_and_quotes_in_a_description_reach_the_attribute_as_text(project_copy, tmp_path):
    written = 'Une démarche "pilote" <b onmouseover="alert(1)">&amp; 100 % locale</b>.'
    schemes = project_copy / "data" / "dispositifs.yml"
    lines = schemes.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  description:"))
    lines[at] = "  description: " + yaml.safe_dump(written, allow_unicode=True, width=1000).removesuffix("\n...\n").strip()
    schemes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = yaml.safe_load(schemes.read_text(encoding="utf-8"))[0]["id"]
    result = build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "dispositifs" / first / "index.html").read_text(encoding="utf-8")
    assert summary(tmp_path / "site", f"dispositifs/{first}/").description == written
    assert "<b onmouseover" not in html
