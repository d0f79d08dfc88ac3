"""Print: a fiche prints on A4 with its content only — no header, tabs, menus, search or footer — and with the web
addresses of its links and of the fiche itself written out, so that the paper copy still leads somewhere."""

from __future__ import annotations

import re

import pytest
from browser import serve
from conftest import build

WEBSITE = "https://www.cc-bazadais.fr/"
HIDDEN_IN_PRINT = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search", ".md-content__button"]


@pytest.fixture(scope="module")
def fiche_url(tmp_path_factory):
    """The site built with a website on the cc-bazadais fiche, served; yields the fiche's address."""
    from conftest import copy_project

    folder = tmp_path_factory.mktemp("impression")
    project = copy_project(folder / "projet")
    fiche = project / "data" / "participants" / "cc-bazadais.yml"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("  type: intercommunalite\n", f"  type: intercommunalite\n  site_web: {WEBSITE}\n"), encoding="utf-8")
    result = build(project, folder / "site")
    assert result.returncode == 0, result.stderr
    with serve(folder / "site") as url:
        yield url + "participants/cc-bazadais/"


def _after(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el, '::after').content")


def test_on_screen_the_navigation_is_there_and_the_print_address_is_not(page, fiche_url):
    page.goto(fiche_url, wait_until="load")
    assert page.locator(".md-header").is_visible() and page.locator(".md-tabs").is_visible()
    assert not page.get_by_text("Fiche en ligne :").is_visible()
    assert _after(page, f'article a[href="{WEBSITE}"]') in ("none", "normal")


def test_printed_fiche_has_content_only_with_addresses_written_out(page, fiche_url):
    page.goto(fiche_url, wait_until="load")
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("h1").is_visible() and page.locator("#actions").is_visible()
    assert _after(page, f'article a[href="{WEBSITE}"]') == f'" ({WEBSITE})"'
    assert page.get_by_text("Fiche en ligne : https://territoires-emploi.github.io/repertoire/participants/cc-bazadais/").is_visible()
    assert page.eval_on_selector("#defis", "el => getComputedStyle(el).breakAfter") == "avoid"


def _pages(pdf: bytes) -> int:
    return int(re.search(rb"/Count (\d+)", pdf).group(1))


def test_fiche_prints_on_a4_with_fewer_pages_than_the_screen_layout(page, fiche_url):
    page.goto(fiche_url, wait_until="load")
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = [tuple(float(n) for n in box.split()) for box in re.findall(rb"/MediaBox \[([0-9. ]+)\]", pdf)]
    assert boxes and all(abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5 for _, _, width, height in boxes)  # A4, in points
    page.emulate_media(media="screen")
    assert _pages(pdf) < _pages(page.pdf(format="A4"))
