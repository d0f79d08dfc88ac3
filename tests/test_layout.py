"""Layout: on every kind of page, on a phone and on a desktop, nothing covers the content when it loads.

The page's title and each link of its content are what the reader sees, and clicks, where they are: a
list styled as a floating box (as the header's search suggestions are) would hide the text under it.
The kinds of page are those the accessibility tests visit (`test_accessibility.PAGES`).
"""

from __future__ import annotations

import pytest
from test_accessibility import PAGES

WIDTHS = {"téléphone": 390, "ordinateur": 1280}

COVERED = """() => {
  const covered = [];
  const targets = [...document.querySelectorAll("article h1, article a[href]")];
  for (const target of targets) {
    const box = target.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(target).visibility === "hidden") continue;
    target.scrollIntoView({ block: "center", inline: "center" });
    const { left, top, width, height } = target.getClientRects()[0];
    const seen = document.elementFromPoint(left + width / 2, top + height / 2);
    if (seen && !target.contains(seen)) covered.push(`${target.tagName} « ${target.textContent.trim().slice(0, 40)} » sous ${seen.tagName}.${seen.className}`);
  }
  return covered;
}"""
"""What covers the title or a link of the content, for each one covered (an empty list: nothing)."""


def covered(browser, url: str, width: int, style: str = "") -> list[str]:
    """What covers the title or a link of the page at `url`, seen `width` pixels wide (with `style` added)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(url, wait_until="load")
    if style:
        page.add_style_tag(content=style)
    found = page.evaluate(COVERED)
    context.close()
    return found


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", [path for _, path in PAGES], ids=[kind for kind, _ in PAGES])
def test_nothing_covers_the_title_or_the_links_of_the_content(browser, site_url, path, width):
    assert covered(browser, site_url + path, width) == []


def test_a_floating_box_over_the_content_is_reported(browser, site_url):
    floating_lists = "article ul { position: absolute; top: 0; left: 0; background: white; }"
    assert covered(browser, site_url + "participants/grand-dax/", WIDTHS["téléphone"], floating_lists)
