"""French spacing: the site's own text never lets a line start with « ? », « : » or « » », and a
participant's words are shown as written."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from repertoire import pipeline
from repertoire.render import Renderer, plan_pages
from repertoire.typography import french_spacing

LOOSE = re.compile(r".{0,30}(?: [?!;:»]|« )")
"""A breakable space where French wants a narrow no-break one, with the words before it."""


def test_french_spacing_puts_narrow_no_break_spaces_where_french_wants_them():
    assert french_spacing("Vous cherchez ? « Qui peut m’aider ? » : ici ; là !") == (
        "Vous cherchez\u202f? «\u202fQui peut m’aider\u202f?\u202f»\u202f: ici\u202f; là\u202f!"
    )
    assert french_spacing("https://exemple.fr/?q=a&amp;b <a href=\"x\">lien</a>") == "https://exemple.fr/?q=a&amp;b <a href=\"x\">lien</a>"


def test_a_fiche_page_spaces_its_own_text_and_leaves_the_participant_s_words_as_written(minimal_data):
    written = "Comment faire ? « Aller vers » : une piste"
    fiche = minimal_data / "participants" / "cc-bazadais.yml"
    fiche.write_text(fiche.read_text(encoding="utf-8") + f"besoins:\n  - '{written}'\n", encoding="utf-8")
    index = pipeline.check(minimal_data).index
    spec = next(spec for spec in plan_pages(index) if spec.key == "cc-bazadais" and spec.template == "participant.html.j2")
    html = unescape(Renderer(index).render(spec).html)
    assert written in html
    assert "Une information manque ou n’est plus exacte\u202f?" in html
    assert "«\u202fJ’ai besoin de ressources sur…\u202f»" in html


@pytest.mark.parametrize("path", ["index.html", "contribuer/index.html", "carte/index.html", "donnees-ouvertes/index.html", "accessibilite/index.html"])
def test_the_hand_written_pages_the_navigation_and_the_footer_are_spaced(site: Path, path: str):
    html = (site / path).read_text(encoding="utf-8")
    own_text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", "\n", html, flags=re.S)
    assert [match.strip() for match in LOOSE.findall(unescape(own_text))] == []
