"""The page a server shows for an address that leads nowhere: in French, with ways back into the directory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import QuietHandler
from conftest import SITE_PATH, published
from test_accessibility import axe_violations


def test_an_unknown_address_gets_a_french_page_that_leads_back_to_the_directory(site: Path):
    page = (site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in page
    assert "<title>Page introuvable - Répertoire des initiatives territoriales pour l’emploi</title>" in page
    assert '<h1 id="contenu">Page introuvable</h1>' in page
    content = page.split('<h1 id="contenu">')[1].split("</article>")[0]
    # A server shows this page at any depth: its links start from the site's own address.
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', content)
    assert [text for _, text in links] == ["participants", "territoires", "dispositifs", "thématiques", "page d’accueil"]
    for href, _ in links:
        assert href.startswith(SITE_PATH)
        assert (site / href.removeprefix(SITE_PATH) / "index.html").is_file(), href


@pytest.fixture(scope="module")
def published_url(site: Path) -> Iterator[str]:
    """The site served under its own path, with the 404 page for unknown addresses, as GitHub Pages does."""
    not_found = (site / "404.html").read_bytes()

    class LikeGitHubPages(QuietHandler):
        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(not_found)))
            self.end_headers()
            self.wfile.write(not_found)

    with published(site, handler_class=LikeGitHubPages) as url:
        yield url


def test_the_page_for_an_unknown_fiche_is_accessible_and_searches_the_directory(page, published_url):
    response = page.goto(published_url + "participants/fiche-renommee/")
    assert response.status == 404
    assert page.locator("h1").text_content() == "Page introuvable"
    assert axe_violations(page) == []
    field = page.get_by_role("searchbox", name="Cherchez un participant, un lieu ou un sujet")
    field.fill("Lassourelle")
    field.press("Enter")
    page.wait_for_url(published_url + "rechercher/?q=Lassourelle")
    page.locator(".rep-resultats > li > a").first.wait_for()
    assert page.locator(".rep-resultats > li > a").all_text_contents() == ["Grand Dax"]
