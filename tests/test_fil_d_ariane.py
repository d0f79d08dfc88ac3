"""Pages outside the navigation (a fiche, a territoire…) say where they stand: home page, list, page."""

from __future__ import annotations

import posixpath
import re
from html import unescape
from pathlib import Path

import pytest

ITEM_PAGES = [
    # (page, its list, the list's name)
    ("participants/grand-dax/", "participants/", "Participants"),
    ("territoires/gironde/", "territoires/", "Territoires"),
    ("dispositifs/plie/", "dispositifs/", "Dispositifs"),
    ("thematiques/recrutement/", "thematiques/", "Thématiques"),
    ("ateliers/atelier-2021-03-16/", "ateliers/", "Ateliers"),
]


@pytest.mark.parametrize(("path", "list_path", "list_name"), ITEM_PAGES, ids=[path.split("/")[0] for path, _, _ in ITEM_PAGES])
def test_a_page_outside_the_navigation_leads_back_to_its_list_and_the_home_page(site: Path, path, list_path, list_name):
    html = (site / path / "index.html").read_text(encoding="utf-8")
    trail = re.search(r'<nav class="rep-fil" aria-label="Fil d’Ariane">(.*?)</nav>', html, re.S)
    assert trail, "no breadcrumb"
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', trail.group(1))
    assert [(posixpath.normpath(posixpath.join(path, href)) + "/", name) for href, name in links] == [("./", "Accueil"), (list_path, list_name)]
    title = re.search(r"<title>(.*?) - Répertoire des initiatives", html).group(1)
    assert unescape(re.search(r'<li aria-current="page">(.*?)</li>', trail.group(1)).group(1)) == unescape(title)
