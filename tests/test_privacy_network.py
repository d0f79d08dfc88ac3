"""Privacy: loading any kind of page, or searching, makes no request to another site and sets no cookie."""

from __future__ import annotations

import pytest
from test_accessibility import PAGES


@pytest.fixture
def recorded(browser):
    """A fresh tab whose every request is recorded, and its context (for the cookies)."""
    context = browser.new_context(locale="fr-FR")
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    yield tab, context, requests
    context.close()


def _elsewhere(requests: list[str], site_url: str) -> list[str]:
    return [url for url in requests if not url.startswith(site_url) and not url.startswith("data:")]


@pytest.mark.parametrize("path", [path for _, path in PAGES], ids=[kind for kind, _ in PAGES])
def test_page_requests_nothing_from_another_origin(recorded, site_url, path):
    tab, context, requests = recorded
    tab.goto(site_url + path, wait_until="networkidle")
    assert requests[0] == site_url + path and len(requests) > 3  # the page, its styles and scripts were seen
    assert _elsewhere(requests, site_url) == []
    assert context.cookies() == []


def test_search_requests_nothing_from_another_origin(recorded, site_url):
    tab, context, requests = recorded
    tab.goto(site_url, wait_until="networkidle")
    tab.get_by_role("combobox", name="Rechercher dans le répertoire").fill("emploi")
    tab.wait_for_load_state("networkidle")
    assert any("/pagefind/" in url for url in requests)  # the search did load its index
    assert _elsewhere(requests, site_url) == []
    assert context.cookies() == []
