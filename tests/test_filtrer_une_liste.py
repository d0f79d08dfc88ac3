"""From the list of participants of a thématique, a dispositif, a département or a région, one link opens
the search page with that list already chosen as a filter, where the reader narrows it further."""

from __future__ import annotations

import re

import pytest
from pages import read
from test_search import search_page_fiches


@pytest.mark.parametrize(("url", "facet", "chosen"), [
    ("thematiques/ess/", "Thématique", "Économie sociale et solidaire"),
    ("dispositifs/plie/", "Dispositif", "Plan local pour l'insertion et l'emploi (PLIE)"),
    ("territoires/gironde/", "Département", "Gironde"),
    ("territoires/nouvelle-aquitaine/", "Région", "Nouvelle-Aquitaine"),
])
def test_a_list_opens_in_the_search_page_with_its_filter_chosen_and_narrows_there(page, site, site_url, index, url, facet, chosen):
    listed = sorted(link.split("/")[-2] for link in read(site, url).links if re.fullmatch(r"\.\./\.\./participants/[a-z0-9-]+/", link))
    assert len(listed) > 1
    page.goto(site_url + url)
    page.get_by_role("link", name=f"Filtrer ces {len(listed)}\u00a0participants").click()
    page.wait_for_url(re.compile(r"/rechercher/\?"))
    assert sorted(search_page_fiches(page)) == listed
    assert page.get_by_role("group", name=facet).get_by_role("checkbox", name=re.compile("^" + re.escape(chosen) + " ")).is_checked()

    # Narrowed by the type of structure fewest of them have.
    by_kind: dict[str, list[str]] = {}
    for ident in listed:
        organisation = index.participant(ident).organisation
        if organisation:
            by_kind.setdefault(organisation.kind, []).append(ident)
    kind, expected = min(by_kind.items(), key=lambda item: (len(item[1]), item[0]))
    assert len(expected) < len(listed)
    label = index.directory.labels["organisation"][kind]
    page.get_by_role("group", name="Type de structure").get_by_role("checkbox", name=re.compile("^" + re.escape(label) + " ")).check()
    page.locator("[data-rep-statut]").filter(has_text="filtres").wait_for()
    page.wait_for_function(f"document.querySelectorAll('.rep-resultats > li').length === {len(expected)}")
    assert sorted(search_page_fiches(page)) == expected


def test_a_territory_with_one_participant_says_so_without_a_link_to_filter(site):
    page = read(site, "territoires/creuse/")
    assert "1\u00a0participant sur ce territoire." in "".join(page.text)
    assert not any("rechercher/" in link for link in page.links)
