"""Glossary: acronyms written by contributors are explained where they appear, and lead to their definition."""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import PROJECT
from repertoire.glossary import Glossary
from repertoire.pipeline import check
from repertoire.render import paragraph_html
from repertoire.text import fold


@pytest.fixture(scope="module")
def glossary():
    return Glossary(check(PROJECT / "data").index.directory)


def _url(kind, key=None):
    return f"/{kind}/{key}/"


def _page(site, *parts) -> str:
    return (site.joinpath(*parts) / "index.html").read_text(encoding="utf-8")


def test_scheme_acronym_is_explained_and_links_to_its_scheme_page(site):
    page = _page(site, "participants", "grand-dax")
    assert re.search(r'<abbr title="Gestion prévisionnelle des emplois et des compétences territoriale"><a href="\.\./\.\./dispositifs/gpect/"[^>]*>GPECT</a></abbr>', page)


def test_other_acronym_links_to_its_glossary_entry(site):
    page = _page(site, "participants", "cc-bazadais")
    assert re.search(r'<abbr title="Établissement public de coopération intercommunale"><a href="\.\./\.\./glossaire/#epci"[^>]*>EPCI</a></abbr>', page)


def test_every_glossary_link_of_the_site_reaches_an_entry(site):
    ids = set(re.findall(r'<dt id="([^"]+)"', _page(site, "glossaire")))
    targets = {anchor for path in site.rglob("*.html") for anchor in re.findall(r'href="(?:\.\./)*glossaire/#([^"]+)"', path.read_text(encoding="utf-8"))}
    assert targets and targets <= ids


def test_acronyms_are_matched_case_sensitively_on_whole_words(glossary):
    html = str(glossary.mark("Ça va, il n'a pas dit na ni ca : la CA et la Région NA, et PLIES ou xPLIE restent.", _url))
    assert html.count("<abbr") == 2
    assert '<abbr title="Communauté d&#39;agglomération">' in html and ">CA</a></abbr>" in html
    assert ">NA</a></abbr>" in html and "PLIES" in html and "xPLIE" in html


def test_first_occurrence_is_linked_later_ones_only_explained(glossary):
    html = str(glossary.mark("Le PLIE et encore le PLIE.", _url))
    assert html.count("<abbr") == 2 and html.count("<a ") == 1


def test_no_link_inside_a_link_and_text_stays_escaped(glossary):
    html = str(paragraph_html("Voir https://example.org/GPECT et <b>GPECT</b>", lambda text: glossary.mark(text, _url)))
    assert '<a href="https://example.org/GPECT"' in html
    assert html.count("<abbr") == 1
    assert "&lt;b&gt;" in html


def test_keyboard_focus_shows_the_expansion(page, site_url):
    page.goto(site_url + "participants/grand-dax/")
    page.focus('abbr a[href$="dispositifs/gpect/"]')
    tooltip = page.locator(".md-tooltip2", has_text="Gestion prévisionnelle des emplois")
    tooltip.wait_for(state="visible", timeout=5000)


def test_the_glossary_is_cut_by_initial_letter_with_a_row_of_letters_to_jump_to(site, index):
    page = _page(site, "glossaire")
    jumps = re.findall(r'<li><a href="#(lettre-[a-z])">([A-Z])</a></li>', page)
    assert [letter for _, letter in jumps] == sorted({fold(g.term)[0].upper() for g in index.directory.glossary})
    sections = dict(re.findall(r'<h2 id="(lettre-[a-z])">[A-Z]</h2>\n<dl class="rep-glossaire">(.*?)</dl>', page, re.S))
    assert list(sections) == [anchor for anchor, _ in jumps]
    for anchor, letter in jumps:
        terms = [unescape(term) for term in re.findall(r'<dt id="[^"]+">([^<]+?)(?: — |</dt>)', sections[anchor])]
        assert terms and all(fold(term).startswith(letter.lower()) for term in terms), (letter, terms)
    assert sum(len(re.findall("<dt ", section)) for section in sections.values()) == len(index.directory.glossary)
