"""Search as a reader uses it: the header field of any page, French matching, facets kept in the address.

Expected fiches were chosen by reading data/participants/*.yml; each case quotes the text that must be found.
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from conftest import PROJECT, SITE_PATH, build, published
from repertoire import pipeline, render, search

HEADER_FIELD = "Rechercher dans le répertoire"


@pytest.fixture(scope="session")
def site_in_parts(tmp_path_factory):
    """The real project with its search index cut into parts of 20,000 characters, as an index of
    10,000 fiches is cut into parts of 8 million (repertoire/search_bundle.py)."""
    folder = tmp_path_factory.mktemp("site-en-parties")
    result = build(PROJECT, folder, REPERTOIRE_RECHERCHE_TEXTE_PAR_PARTIE="20000")
    assert result.returncode == 0, result.stderr
    assert len(list((folder / "pagefind").glob("partie-*"))) >= 2
    return folder


@pytest.fixture(scope="module", params=["index en une partie", "index en plusieurs parties"])
def site_url(request):
    """Every test of this file runs on both sites: a reader sees no difference."""
    with published(request.getfixturevalue("site" if request.param == "index en une partie" else "site_in_parts")) as url:
        yield url


def type_in_header(page, site_url: str, query: str, start: str = "glossaire/") -> None:
    """Open a page, type `query` in the header's search field and wait for the suggestions."""
    page.goto(site_url + start)
    field = page.get_by_role("combobox", name=HEADER_FIELD)
    field.press_sequentially(query)
    page.locator("[data-rep-annonce]").filter(has_text=re.compile(r"(résultat|Aucun).*" + re.escape(query))).wait_for()


def search_page_fiches(page) -> list[str]:
    """Identifiers of every fiche the search page lists (asking for more until all are shown)."""
    page.locator("[data-rep-statut]").filter(has_text=re.compile(r"fiche")).wait_for()
    more = page.locator("[data-rep-plus]")
    while more.is_visible():
        shown = page.locator(".rep-resultats > li").count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll('.rep-resultats > li').length > {shown}")
    links = page.locator(".rep-resultats > li > a").evaluate_all("links => links.map(a => a.pathname)")
    return [path.removeprefix(SITE_PATH).strip("/").removeprefix("participants/") for path in links]


def found_from_header(page, site_url: str, query: str) -> list[str]:
    """Fiches listed after typing `query` in the header field and pressing Enter."""
    type_in_header(page, site_url, query)
    page.get_by_role("combobox", name=HEADER_FIELD).press("Enter")
    page.wait_for_url(re.compile(r"/rechercher/\?q="))
    return search_page_fiches(page)


@pytest.mark.parametrize(("query", "expected"), [
    # Accents optional: « La redistribution entre acteurs du fruit de la coopération », « Aller vers plus de coopération ».
    ("cooperation", {"region-na-demarches-territoriales", "adsi-plie-technowest"}),
    # Plural finds singular: « aide à mobiliser les entreprises (formation, parrainage...) ».
    ("formations", {"mont-de-marsan-agglomeration"}),
    # A plural the stemmer leaves alone is a variant in the glossary: Pau wrote « tiers-lieu ».
    ("tiers lieux", {"pau-bearn-pyrenees"}),
    # An acronym's expansion finds the fiche that only wrote the acronym: « CV ludiques » (glossary: CV, Curriculum vitae).
    ("curriculum vitae", {"region-na-plateforme-emploi"}),
    # « TZCLD : 1 en expérimentation + 12 en structuration ».
    ("zéro chômeur", {"region-na-demarches-territoriales"}),
    # Place names without hyphens; people's names.
    ("mont de marsan", {"mont-de-marsan-agglomeration"}),
    ("Lassourelle", {"grand-dax"}),
    # Articles and elisions are left out of the search, the rest still finds the fiche.
    ("la Maison de l'emploi", {"maison-de-l-emploi-bordeaux"}),
    # A query of such words alone is searched as typed: « Les entreprises ont fait remonter leurs besoins ».
    ("leurs", {"cc-bazadais"}),
])
def test_french_queries_typed_in_the_header_find_the_fiches(page, site_url, index, query, expected):
    found = found_from_header(page, site_url, query)
    assert expected <= set(found)
    assert len(found) < len(index.participants)  # searched, not the whole list


def test_elided_articles_are_split_from_their_word(page, site_url):
    # « (en termes d'aménagement notamment) » is the only way Fauillet's fiche says « aménagement ».
    page.goto(site_url + "rechercher/?q=amenagement")
    assert "commune-de-fauillet" in search_page_fiches(page)
    fauillet = page.locator(".rep-resultats > li").filter(has=page.locator('a[href$="/commune-de-fauillet/"]'))
    assert fauillet.locator("mark").all_text_contents() == ["d'aménagement"]
    # « (cités de l'emploi, AAP 100% inclusion…) » is the only way Grand Angoulême's fiche says « emploi ».
    assert "grandangouleme" in found_from_header(page, site_url, "emploi")


def test_an_acronym_and_its_expansion_find_the_same_fiches(page, site_url):
    by_acronym = found_from_header(page, site_url, "GPECT")
    by_expansion = found_from_header(page, site_url, "gestion prévisionnelle")
    # Grand Dax wrote « développement d'une GPECT ».
    assert "grand-dax" in by_acronym
    assert sorted(by_acronym) == sorted(by_expansion)


def test_an_excerpt_keeps_two_items_of_a_fiche_apart(page, site_url):
    # ADSI's actions: « … par les nombreux projets et sollicitations. », then « Manque de lien entre les actions. »
    page.goto(site_url + "rechercher/?q=sollicitations")
    assert "adsi-plie-technowest" in search_page_fiches(page)
    result = page.locator(".rep-resultats > li").filter(has=page.locator('a[href$="/adsi-plie-technowest/"]'))
    assert "sollicitations. · Manque de lien" in result.text_content()
    assert result.locator("mark").all_text_contents() == ["sollicitations."]
    # The excerpt is cut from the middle of the fiche's text, and says so at both ends.
    shown = result.locator(".rep-extrait").text_content()
    assert shown.startswith("…\u00a0") and shown.endswith("\u00a0…"), shown


def test_an_excerpt_that_shows_the_whole_text_is_not_marked_as_cut(page, site_url):
    page.goto(site_url + "rechercher/?q=Lassourelle")
    assert search_page_fiches(page) == ["grand-dax"]
    shown = page.locator(".rep-resultats .rep-extrait").first.text_content()
    assert not shown.startswith("…"), shown


def _suggested(page) -> list[str]:
    links = page.locator("#rep-suggestions li > a")
    return [links.nth(i).get_attribute("href").split("/repertoire/", 1)[1] for i in range(links.count())]


def test_a_reference_page_is_suggested_for_its_names_not_for_its_description(page, site_url):
    # « couveuse » is in the descriptions of the territories where CIAP works (« couvert par l'espace-test
    # agricole »): pages that short ranked above the fiche itself.
    type_in_header(page, site_url, "couveuse")
    suggested = _suggested(page)
    assert "participants/ciap-champs-du-partage/" in suggested
    assert not [href for href in suggested if href.startswith("territoires/")], suggested
    # Its own title is not repeated below it as an excerpt.
    scheme = page.locator("#rep-suggestions li").filter(has=page.locator('a[href$="/dispositifs/espace-test-agricole/"]'))
    assert scheme.locator(".rep-extrait").count() == 0
    assert page.locator("#rep-suggestions li").filter(has=page.locator('a[href$="/participants/ciap-champs-du-partage/"]')).locator(".rep-extrait").count() == 1


def test_two_suggestions_of_one_name_are_told_apart_by_their_description(page, site_url):
    type_in_header(page, site_url, "Grand Dax")
    named = page.locator("#rep-suggestions li > a").filter(has_text=re.compile("^Grand Dax$"))
    assert named.count() == 2
    for link in (named.nth(0), named.nth(1)):
        expect(link).to_have_accessible_description(link.locator("xpath=following-sibling::p[@class='rep-resultat-infos']").text_content())
    assert sorted(page.locator("#rep-suggestions .rep-resultat-infos").all_text_contents()[:2]) == ["Grand Dax · Sandrine Lassourelle", "Territoire · Communauté d'agglomération"]


def test_header_suggestions_are_announced_and_reachable_with_the_keyboard(page, site_url):
    type_in_header(page, site_url, "Lassourelle", start="participants/")
    assert page.locator("[data-rep-annonce]").text_content().startswith("1\u00a0résultat pour «\u202fLassourelle\u202f»")
    first = page.locator("#rep-suggestions li a").first
    assert first.text_content() == "Grand Dax"
    assert "Sandrine Lassourelle" in page.locator("#rep-suggestions .rep-resultat-infos").first.text_content()
    page.keyboard.press("ArrowDown")
    assert first.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "participants/grand-dax/")
    assert page.locator("h1").text_content() == "Grand Dax"


def test_the_results_and_the_suggestions_of_one_page_never_share_an_id(page, site_url):
    """Each result is described by its details through its id: two alike would describe one by the other's."""
    page.goto(site_url + "rechercher/?q=emploi")
    search_page_fiches(page)  # every batch of results shown
    page.get_by_role("combobox", name=HEADER_FIELD).press_sequentially("emploi")
    page.locator("#rep-suggestions li").first.wait_for()
    assert page.evaluate("() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id); return ids.filter((id, i) => ids.indexOf(id) !== i); }") == []


def test_facets_narrow_the_list_combine_and_survive_a_reload(page, site_url, index):
    page.goto(site_url + "rechercher/")
    everything = search_page_fiches(page)
    assert everything == index.participants  # every fiche, in alphabetical order

    page.get_by_role("group", name="Département").get_by_role("checkbox", name=re.compile("^Landes")).check()
    page.locator("[data-rep-statut]").filter(has_text="filtres").wait_for()
    in_landes = search_page_fiches(page)
    assert sorted(in_landes) == ["grand-dax", "mont-de-marsan-agglomeration"]

    page.get_by_role("group", name="Dispositif").get_by_role("checkbox", name=re.compile(r"^Gestion prévisionnelle")).check()
    page.wait_for_function("document.querySelectorAll('.rep-resultats > li').length === 1")
    assert search_page_fiches(page) == ["grand-dax"]
    shared = page.url
    assert parse_qs(urlparse(shared).query)["departement"] == ["Landes"]

    page.goto(shared)
    assert search_page_fiches(page) == ["grand-dax"]
    assert page.get_by_role("group", name="Département").get_by_role("checkbox", name=re.compile("^Landes")).is_checked()


def test_a_place_without_fiches_leads_to_the_territories_and_the_map(page, site_url):
    page.goto(site_url + "rechercher/?q=Bayonne")
    page.locator("[data-rep-statut]").filter(has_text="Aucune fiche").wait_for()
    help_text = page.locator("[data-rep-aucune]")
    expect(help_text).to_be_visible()
    help_text.get_by_role("link", name="territoires").click()
    expect(page).to_have_title(re.compile("^Territoires"))
    page.goto(site_url + "rechercher/?q=emploi")
    page.locator("[data-rep-statut]").filter(has_text="fiches pour").wait_for()
    expect(page.locator("[data-rep-aucune]")).to_be_hidden()


def test_on_a_phone_the_results_follow_the_search_field_and_the_filters_unfold(browser, site_url):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(site_url + "rechercher/?q=emploi&departement=Landes")
    page.locator("[data-rep-statut]").filter(has_text="filtres").wait_for()
    first_result = page.locator(".rep-resultats > li").first.bounding_box()
    assert first_result["y"] < 800  # on the first screen, not below the filters
    landes = page.get_by_role("group", name="Département").get_by_role("checkbox", name=re.compile("^Landes"))
    assert not landes.is_visible()
    page.get_by_text("Filtrer par territoire, type de structure, dispositif ou thématique (1\u00a0filtre choisi)").click()
    assert landes.is_visible() and landes.is_checked()
    context.close()


def test_hidden_names_are_not_searchable():
    index = pipeline.check(PROJECT / "data").index
    shown = index.directory.participants["grand-dax"]
    index.directory.participants["grand-dax"] = dataclasses.replace(shown, hide_names=True)
    spec = next(s for s in render.plan_pages(index) if s.key == "grand-dax" and s.template == "participant.html.j2")
    record = search.RecordBuilder(index).record(spec)
    assert "Lassourelle" not in record.content + str(record.meta)
    assert "Grand Dax" in record.meta["title"]


@pytest.mark.parametrize("template", ["territoire.html.j2", "dispositif.html.j2", "thematique.html.j2"])
def test_a_reference_page_offers_its_names_to_the_search_not_its_description(index, template):
    builder = search.RecordBuilder(index)
    for spec in (s for s in render.plan_pages(index) if s.template == template):
        record = builder.record(spec)
        assert record.content == spec.title, spec.uri


def test_beside_a_chosen_value_another_of_its_group_counts_the_fiches_it_would_add(page, site_url, index):
    """Values of one group combine with « ou »: « Gironde » beside « Landes » must not read « (0) »."""
    def fiches_in(departement: str) -> set[str]:
        return {p for p in index.participants if departement in [index.directory.territories[t].name for t in index.departements[p]]}

    page.goto(site_url + "rechercher/?departement=Landes")
    page.locator("[data-rep-statut]").filter(has_text="filtres").wait_for()
    group = page.get_by_role("group", name="Département")
    expect(group.get_by_role("checkbox", name=re.compile("^Gironde"))).to_have_accessible_name(f"Gironde ({len(fiches_in('Gironde'))})")
    expect(group.get_by_role("checkbox", name=re.compile("^Landes"))).to_have_accessible_name(f"Landes ({len(fiches_in('Landes'))})")
    group.get_by_role("checkbox", name=re.compile("^Gironde")).check()
    page.wait_for_function(f"document.querySelectorAll('.rep-resultats > li').length === {len(fiches_in('Gironde') | fiches_in('Landes'))}")
    assert set(search_page_fiches(page)) == fiches_in("Gironde") | fiches_in("Landes")
