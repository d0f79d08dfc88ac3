"""Layout: on every kind of page, on a phone and on a desktop, nothing covers the content when it loads,
and every check box has its label beside it.

The page's title and each link of its content are what the reader sees, and clicks, where they are: a
list styled as a floating box (as the header's search suggestions are) would hide the text under it.
The kinds of page are those the accessibility tests visit (`test_accessibility.PAGES`).
A label that goes to the line below its box, when it is longer than the rest of the line, sits next to
the box of the choice that follows: the reader ticks the wrong one.
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


LABELS_AWAY = """() => [...document.querySelectorAll("input[type=checkbox], input[type=radio]")]
  .filter((box) => box.labels.length && box.getClientRects().length)
  .filter((box) => {
    const label = box.labels[0], text = document.createRange(), square = box.getBoundingClientRect();
    text.selectNodeContents(label);
    if (label.contains(box)) text.setStartAfter(box);
    const lines = [...text.getClientRects()].filter((line) => line.width > 1);
    return lines[0].top > square.bottom || lines[0].bottom < square.top || lines.some((line) => line.left < square.right);
  })
  .map((box) => box.labels[0].textContent.trim())"""
"""The label of each check box or radio button whose first line does not start beside it, on its right, or
whose next lines go back under it."""

BOXES = [
    # (page, address, a box its script draws once the page is loaded: from the schema, from the index)
    ("formulaire de contribution", "contribuer/", ".rep-case input"),
    ("recherche avec ses filtres", "rechercher/?q=emploi", ".rep-facette-valeur input"),
]


def seen(browser, url: str, width: int, script: str, style: str = "", drawn: str = "") -> list[str]:
    """What `script` finds on the page at `url`, seen `width` pixels wide (with `style` added), once the
    element `drawn` is there, every folded part opened."""
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(url, wait_until="load")
    if drawn:
        page.wait_for_selector(drawn, state="attached")
    if style:
        page.add_style_tag(content=style)
    page.evaluate("document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    found = page.evaluate(script)
    context.close()
    return found


def covered(browser, url: str, width: int, style: str = "") -> list[str]:
    """What covers the title or a link of the page at `url`, seen `width` pixels wide (with `style` added)."""
    return seen(browser, url, width, COVERED, style)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", [path for _, path in PAGES], ids=[kind for kind, _ in PAGES])
def test_nothing_covers_the_title_or_the_links_of_the_content(browser, site_url, path, width):
    assert covered(browser, site_url + path, width) == []


def test_a_floating_box_over_the_content_is_reported(browser, site_url):
    floating_lists = "article ul { position: absolute; top: 0; left: 0; background: white; }"
    assert covered(browser, site_url + "participants/grand-dax/", WIDTHS["téléphone"], floating_lists)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize(("path", "drawn"), [(path, drawn) for _, path, drawn in BOXES], ids=[kind for kind, _, _ in BOXES])
def test_every_check_box_has_its_label_beside_it(browser, site_url, path, drawn, width):
    assert seen(browser, site_url + path, width, LABELS_AWAY, drawn=drawn) == []


def test_a_label_below_its_box_is_reported(browser, site_url):
    label_below = ".rep-case label { flex-basis: 100% !important; }"  # the form's own style comes later in the page
    assert seen(browser, site_url + "contribuer/", WIDTHS["téléphone"], LABELS_AWAY, label_below, drawn=".rep-case input")
