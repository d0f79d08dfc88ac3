"""Map and home-page charts: participants by département, as an accessible SVG with the same list beside it."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest


SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def carte(site) -> str:
    return (site / "carte" / "index.html").read_text(encoding="utf-8")


def _departements_with_fiches(index) -> dict[str, int]:
    d = index.directory
    return {t.id: len(index.by_territory[t.id]) for t in d.territories.values() if t.kind == "departement" and index.by_territory.get(t.id)}


def test_map_is_valid_svg_with_one_linked_area_per_departement(carte, index):
    figure = carte[carte.index('<figure class="rep-carte">') :]
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", figure, re.S).group(0))
    assert svg.tag == SVG + "svg"
    assert svg.find(SVG + "title").text and svg.find(SVG + "desc").text
    assert svg.get("aria-labelledby")
    links = svg.findall(SVG + "a")
    expected = _departements_with_fiches(index)
    assert sorted(a.get("href") for a in links) == sorted(f"../territoires/{ident}/" for ident in expected)
    for link in links:
        ident = link.get("href").split("/")[2]
        name = index.directory.territories[ident].name
        assert link.get("aria-label").startswith(name)
        assert link.find(f"{SVG}path/{SVG}title").text.startswith(name)
        assert link.find(SVG + "text").text == str(expected[ident]), "the number is written, not only coloured"


def test_map_has_a_legend_the_attribution_and_the_same_information_as_a_table(carte, index):
    assert "Contours\u202f: IGN – Admin Express COG 2018 (Licence Ouverte), via france-geojson" in carte
    assert 'class="rep-legende"' in carte
    table = carte[carte.index('<div class="rep-table-carte">') :]
    rows = re.findall(r'<a href="../territoires/([^/]+)/">[^<]+</a></td><td>(\d+)</td>', table)
    listed = {ident: int(count) for ident, count in rows if int(count)}
    assert listed == _departements_with_fiches(index)


def test_map_territory_links_reach_existing_pages(site, carte):
    for href in re.findall(r'<a href="(\.\./territoires/[^"]+)"', carte):
        assert (site / "carte" / href / "index.html").resolve().is_file(), href


def test_home_page_charts_write_the_numbers(site, index):
    home = (site / "index.html").read_text(encoding="utf-8")
    chart = home[home.index('id="par-departement"') :]
    chart = chart[: chart.index("</figure>")]
    rows = {html.unescape(name): int(count) for name, count in re.findall(r'<th scope="row"><a href="territoires/[^"]+">([^<]+)</a></th><td>.*?<span class="rep-nombre">(\d+)</span>', chart)}
    names = index.directory.territories
    assert rows == {names[ident].name: count for ident, count in _departements_with_fiches(index).items()}
    for ident in ("par-dispositif", "par-thematique"):
        assert f'id="{ident}"' in home
    gpect = len(index.by_scheme["gpect"])
    assert re.search(rf'<a href="dispositifs/gpect/">{re.escape(index.directory.schemes["gpect"].label)}</a></th><td>.*?<span class="rep-nombre">{gpect}</span>', home)
    themes = home[home.index('id="par-thematique"') :]
    themes = themes[: themes.index("</figure>")]
    # Every subject is one click from the home page.
    assert set(re.findall(r'<a href="thematiques/([^/]+)/">', themes)) == {t for t in index.directory.themes if index.by_theme.get(t)}
