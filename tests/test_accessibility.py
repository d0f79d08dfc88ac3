"""Accessibility (RGAA 4.1 / WCAG 2.1 AA): axe-core finds no violation on any kind of page, and a keyboard user
reaches the content first and always sees where the focus is.

axe-core runs offline in Debian's Chromium; its pinned copy comes with `axe-playwright-python`
(requirements-tests.txt). A new kind of page is checked by adding one line to `PAGES`.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT

PAGES = [
    # (kind of page, address relative to the site root): one page of each kind.
    ("accueil", ""),
    ("fiche", "participants/cc-bazadais/"),
    ("fiche sans organisation", "participants/professionnelle-de-la-formation/"),
    ("territoire", "territoires/gironde/"),
    ("dispositif", "dispositifs/plie/"),
    ("thématique", "thematiques/recrutement/"),
    ("atelier", "ateliers/atelier-2021-03-16/"),
    ("liste des participants", "participants/"),
    ("liste des territoires", "territoires/"),
    ("liste des dispositifs", "dispositifs/"),
    ("liste des thématiques", "thematiques/"),
    ("liste des ateliers", "ateliers/"),
    ("glossaire", "glossaire/"),
    ("accessibilité", "accessibilite/"),
    ("données personnelles", "donnees-personnelles/"),
    ("données ouvertes", "donnees-ouvertes/"),
    ("qui peut m'aider", "qui-peut-m-aider/"),
    ("carte", "carte/"),
    ("formulaire de contribution", "contribuer/"),
    ("formulaire de correction", "contribuer/?fiche=grand-dax"),
    ("recherche avec résultats", "rechercher/?q=emploi&departement=Gironde"),
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EXTRA_RULES = ["aria-dialog-name"]
"""Rules outside the WCAG tags that Material's defaults were measured to break."""


def axe_violations(page) -> list[str]:
    """Every WCAG 2.1 A/AA violation axe-core finds on the loaded page, one readable line each."""
    page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "rules": {rule: {"enabled": True} for rule in EXTRA_RULES}, "resultTypes": ["violations"]}
    results = page.evaluate("options => axe.run(document, options)", options)
    return [f"{v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in results["violations"]]


@pytest.mark.parametrize("path", [path for _, path in PAGES], ids=[kind for kind, _ in PAGES])
def test_axe_finds_no_wcag_violation(page, site_url, path):
    page.goto(site_url + path, wait_until="load")
    assert axe_violations(page) == []


def test_axe_really_reports_a_violation(page, site_url):
    page.goto(site_url, wait_until="load")
    page.evaluate("document.querySelector('article h1').insertAdjacentHTML('afterend', '<img src=\"x.png\">')")
    assert any(line.startswith("image-alt") for line in axe_violations(page))


def _focus_ring(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
        return {text: el.textContent.trim(), tag: el.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                opacity: style.opacity, visible: box.width > 0 && box.height > 0, onscreen: box.right > 0 && box.left < innerWidth};
    }""")


def test_first_tab_reaches_the_french_skip_link_which_leads_to_the_title(page, site_url):
    page.goto(site_url + "participants/cc-bazadais/", wait_until="load")
    page.keyboard.press("Tab")
    # Material fades the skip link in: judged once the fade is over (a fixed pause failed once under load).
    page.wait_for_function("getComputedStyle(document.activeElement).opacity === '1'", timeout=2000)
    focused = _focus_ring(page)
    assert focused["text"] == "Aller au contenu" and focused["visible"] and focused["opacity"] == "1"
    assert focused["outline"] != "none" and focused["width"] >= 2
    page.keyboard.press("Enter")
    assert page.url.endswith("#contenu")
    assert page.locator("h1#contenu").is_visible()


@pytest.mark.parametrize("width", [1280, 390], ids=["ordinateur", "téléphone"])
@pytest.mark.parametrize("path", ["", "donnees-ouvertes/"], ids=["accueil", "données ouvertes"])
def test_focus_is_visible_on_every_tab_stop_up_to_the_footer(page, site_url, path, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site_url + path, wait_until="load")
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = _focus_ring(page)
        if focused["tag"] == "BODY":
            break
        seen.append(focused)
        assert focused["outline"] != "none" and focused["width"] >= 2, focused
        assert focused["onscreen"], f"the focus went off-screen: {focused}"
        if focused["text"].startswith("Accessibilité\u202f:"):
            break
    assert seen and seen[-1]["text"] == "Accessibilité\u202f: non conforme", "the footer's accessibility link is not reachable by keyboard"


def test_on_a_phone_the_menu_opens_and_closes_from_the_keyboard(page, site_url):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site_url + "glossaire/", wait_until="load")
    menu = page.get_by_role("button", name="Menu")
    for _ in range(10):
        page.keyboard.press("Tab")
        if menu.evaluate("button => button === document.activeElement"):
            break
    assert menu.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    page.wait_for_function("document.activeElement.closest('.md-sidebar--primary') !== null")
    # The menu slides in (a quarter of a second): the focus is where the reader sees it once it is there.
    page.wait_for_function("document.activeElement.getBoundingClientRect().left >= 0", timeout=2000)
    focused = _focus_ring(page)
    assert focused["onscreen"] and focused["visible"], focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert menu.evaluate("button => button === document.activeElement")


def test_declaration_names_the_axe_version_really_used(site):
    version = re.search(r"axe v([0-9.]+)", AXE_SCRIPT[:200]).group(1)
    assert f"axe-core {version}" in (site / "accessibilite" / "index.html").read_text(encoding="utf-8")
