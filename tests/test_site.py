"""The built site: one page per participant, territory, dispositif, thématique and atelier, linked both ways."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from html import unescape
from html.parser import HTMLParser

import pytest
import yaml
from markupsafe import escape
from conftest import PROJECT, build
from pages import internal_links, read, words

from repertoire import pipeline
from repertoire.render import Renderer, page_url, plan_pages

PARTICIPANTS = sorted(p.stem for p in (PROJECT / "data" / "participants").glob("*.yml"))
REFERENCES = {kind: [item["id"] for item in yaml.safe_load((PROJECT / "data" / f"{kind}.yml").read_text(encoding="utf-8"))] for kind in ("territoires", "dispositifs", "thematiques", "ateliers")}


def fiche(ident: str) -> dict:
    return yaml.safe_load((PROJECT / "data" / "participants" / f"{ident}.yml").read_text(encoding="utf-8"))


def test_one_page_per_participant_and_per_reference_item(site):
    assert len(PARTICIPANTS) == 22
    for ident in PARTICIPANTS:
        assert (site / "participants" / ident / "index.html").is_file()
    for kind, ids in REFERENCES.items():
        for ident in ids:
            assert (site / kind / ident / "index.html").is_file(), f"{kind}/{ident}"


def test_participant_links_to_its_references_and_they_link_back(site):
    for ident in PARTICIPANTS:
        data = fiche(ident)
        url = f"participants/{ident}/"
        links = internal_links(url, read(site, url).links)
        for kind in ("territoires", "dispositifs", "thematiques"):
            for ref in data.get(kind, []):
                target = f"{kind}/{ref}/"
                assert target in links, f"{url} → {target}"
                assert url in internal_links(target, read(site, target).links), f"{target} → {url}"


def test_territory_page_lists_participants_of_the_territories_it_contains(site):
    gironde = internal_links("territoires/gironde/", read(site, "territoires/gironde/").links)
    assert "participants/cc-bazadais/" in gironde  # acts in the CC du Bazadais, which is in Gironde
    assert "territoires/nouvelle-aquitaine/" in gironde  # its parent
    region = internal_links("territoires/occitanie/", read(site, "territoires/occitanie/").links)
    assert "participants/cite-de-l-emploi-tarbes/" in region  # Tarbes is in Occitanie


def test_a_list_situates_each_participant_without_repeating_its_name(site):
    lines = listed(site, "participants/")
    assert "Grand Dax (Landes)" in lines  # its territory is the Grand Dax: its département is shown
    assert "Maison de l'emploi de Bordeaux (Gironde)" in lines
    assert "ADSI - PLIE Technowest (Gironde)" in lines
    assert "PLIE du Grand Poitiers (Vienne)" in lines  # its département, rather than its intercommunalité
    assert "Région Nouvelle-Aquitaine — Démarches territoriales pour l'emploi" in lines  # nor its organisation's name
    assert "ADSI - PLIE Technowest" in listed(site, "territoires/gironde/")  # nor the territory of the page
    assert "Grand Dax (Landes)" in listed(site, "territoires/nouvelle-aquitaine/")
    several = "CIAP Champs du Partage (Charente, Charente-Maritime, Deux-Sèvres, Vienne)"  # the same on every page
    assert several in lines and several in listed(site, "territoires/charente/") and several in listed(site, "territoires/deux-sevres/")


def listed(site, url: str) -> list[str]:
    """The participants a page lists, each as a reader sees its line."""
    html = (site / url / "index.html").read_text(encoding="utf-8")
    items = re.search(r'<ul class="rep-liste">(.*?)</ul>', html, re.S).group(1)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in items.split("<li>")[1:]]


def test_names_that_hold_commas_are_kept_apart_by_semicolons(site):
    text = "".join(read(site, "participants/grand-dax/").text)
    assert "Coopération et interconnaissance des acteurs\u202f; Diagnostic, GPECT et stratégie\u202f; Recrutement" in text


def test_every_page_is_reachable_from_the_home_page(site):
    pages = {"" if p.parent == site else f"{p.parent.relative_to(site)}/" for p in site.rglob("index.html")}
    seen, frontier = {""}, [""]
    while frontier:
        url = frontier.pop()
        for target in internal_links(url, read(site, url).all_links):
            if target in pages and target not in seen:
                seen.add(target)
                frontier.append(target)
    assert pages - seen == set()


class _PrimaryNavigation(HTMLParser):
    """The links of the main menu, nested menus (a page's table of contents) included."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "nav" and (self.depth or "md-nav--primary" in (attributes.get("class") or "")):
            self.depth += 1
        elif tag == "a" and self.depth:
            self.links.append(attributes.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1


@pytest.mark.parametrize("url", ["", "participants/grand-dax/"])
def test_fiches_are_not_listed_in_the_navigation(site, url):
    menu = _PrimaryNavigation()
    menu.feed((site / url / "index.html").read_text(encoding="utf-8"))
    targets = set(internal_links(url, menu.links))
    assert {"participants/", "qui-peut-m-aider/", "glossaire/"} <= targets
    assert [target for target in targets if re.fullmatch(r"participants/[a-z0-9-]+/", target)] == []


def test_edit_button_opens_the_yaml_file_the_page_comes_from(site):
    repo = "https://github.com/territoires-emploi/repertoire/edit/main/"
    html = (site / "participants" / "grand-dax" / "index.html").read_text(encoding="utf-8")
    assert f'href="{repo}data/participants/grand-dax.yml" title="Modifier le fichier source sur GitHub"' in html
    html = (site / "territoires" / "landes" / "index.html").read_text(encoding="utf-8")
    assert f'href="{repo}data/territoires.yml"' in html
    html = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{repo}content/index.md"' in html


def test_every_word_of_a_fiche_is_on_its_page(site):
    for ident in PARTICIPANTS:
        data = fiche(ident)
        page_words = Counter(words(" ".join(read(site, f"participants/{ident}/").text)))
        written = [text for key in ("actions", "defis", "besoins", "ressources") for text in data.get(key, [])]
        if not data.get("masquer_noms"):
            written += [value for person in data.get("personnes", []) for value in person.values()]
        written += [v for k, v in data.get("organisation", {}).items() if k in ("nom", "nom_source")]
        missing = Counter(words(" ".join(written))) - page_words
        assert not missing, f"{ident}: {missing}"


def test_page_title_is_the_fiche_title(site):
    html = (site / "participants" / "region-na-pole-formation" / "index.html").read_text(encoding="utf-8")
    title = fiche("region-na-pole-formation")["titre"]
    assert "'" in title and f"<title>{escape(title)} - " in html


def test_broken_fiche_stops_the_build_and_the_check_with_a_located_french_error(project_copy, tmp_path):
    path = project_copy / "data" / "participants" / "grand-dax.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - qpv\n", "  - qpv2\n", 1), encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "qpv2" in text)
    expected = f"data/participants/grand-dax.yml:{line}:5: thematiques["
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert expected in result.stderr and "« qpv2 » n'est pas une thématique connue — vouliez-vous dire « qpv » ?" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
    check = subprocess.run([sys.executable, "-m", "repertoire", "verifier", str(project_copy / "data")], capture_output=True, text=True, cwd=PROJECT)
    assert check.returncode == 1 and expected in check.stdout and "Traceback" not in check.stderr


def _labels(schema: str, *path: str) -> dict[str, str]:
    node = yaml.safe_load((PROJECT / "data" / "schemas" / f"{schema}.schema.json").read_text(encoding="utf-8"))
    for step in path:
        node = node[step]
    return node["x-libelles"]


def _shown(site, url: str) -> str:
    """A page's text, its pieces joined by one space."""
    return " ".join(" ".join(read(site, url).text).split())


def test_each_page_shows_the_facts_its_data_holds(site):
    """Beyond the texts: what a reader looks for on each kind of page, read from the YAML, not from the code."""
    kinds = _labels("participant", "properties", "organisation", "properties", "type")
    for ident in PARTICIPANTS:
        data, url = fiche(ident), f"participants/{ident}/"
        shown = _shown(site, url)
        assert "Mise à jour 16 mars 2021" in shown, url  # every fiche of the workshop is dated 2021-03-16
        assert f"ateliers/{data['atelier']}/" in internal_links(url, read(site, url).links), url
        if data.get("organisation"):
            assert f"Organisation {data['organisation']['nom']} — {kinds[data['organisation']['type']]}" in shown, url
    territories = {t["id"]: t for t in yaml.safe_load((PROJECT / "data" / "territoires.yml").read_text(encoding="utf-8"))}
    for ident, territory in territories.items():
        shown = _shown(site, f"territoires/{ident}/")
        if territory.get("code_insee"):
            assert f"Code officiel {territory['code_insee']}" in shown, ident
        for child in (t for t in territories.values() if ident in t.get("parents", [])):
            assert child["nom"] in shown.split(" Contient ", 1)[1], ident
    levels = _labels("dispositifs", "items", "properties", "niveau")
    for scheme in yaml.safe_load((PROJECT / "data" / "dispositifs.yml").read_text(encoding="utf-8")):
        shown = _shown(site, f"dispositifs/{scheme['id']}/")
        assert f"Niveau {levels[scheme['niveau']]}" in shown, scheme["id"]
        assert [synonym for synonym in scheme.get("synonymes", []) if " ".join(synonym.split()).casefold() not in shown.casefold()] == [], scheme["id"]
        if scheme.get("lien"):
            assert scheme["lien"] in read(site, f"dispositifs/{scheme['id']}/").links, scheme["id"]
    for workshop in yaml.safe_load((PROJECT / "data" / "ateliers.yml").read_text(encoding="utf-8")):
        url = f"ateliers/{workshop['id']}/"
        assert " ".join(workshop["description"].split()) in _shown(site, url) and " ".join(workshop["introduction"].split()) in _shown(site, url)
        assert f"des témoignages de l’atelier (fichier {workshop['source']}" in _shown(site, url)
        assert {f"participants/{ident}/" for ident in PARTICIPANTS} <= set(internal_links(url, read(site, url).links))


def test_a_fiche_taken_from_several_lines_of_the_table_lists_them_in_french(project_copy):
    fiche = project_copy / "data" / "participants" / "grand-dax.yml"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("  lignes:\n    - 19\n", "  lignes:\n    - 19\n    - 20\n    - 21\n"), encoding="utf-8")
    index = pipeline.check(project_copy / "data").index
    spec = next(spec for spec in plan_pages(index) if spec.template == "participant.html.j2" and spec.key == "grand-dax")
    assert "(lignes 19, 20 et 21 du fichier" in Renderer(index).render(spec).html


def test_a_workshop_is_named_by_its_date_whatever_its_title_and_its_file_without_an_introduction(project_copy):
    workshops = project_copy / "data" / "ateliers.yml"
    lines = workshops.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = ["  titre: Rencontre des acteurs de l'emploi\n" if line.startswith("  titre:") else line for line in lines if not line.startswith("  introduction:")]
    workshops.write_text("".join(lines), encoding="utf-8")
    index = pipeline.check(project_copy / "data").index
    pages = {(spec.template, spec.key): spec for spec in plan_pages(index)}
    renderer = Renderer(index)
    fiche = renderer.render(pages[("participant.html.j2", "grand-dax")]).html
    assert "ce que ce participant a déclaré lors de l’atelier du 16 mars 2021." in fiche
    assert '<a href="../../ateliers/atelier-2021-03-16/">atelier du 16 mars 2021</a>' in fiche
    workshop = renderer.render(pages[("atelier.html.j2", "atelier-2021-03-16")]).html
    assert "Les témoignages viennent du fichier <code>atelier-2021-03-16.txt</code>." in workshop


def test_every_generated_page_is_headed_by_its_title(site, index):
    """The heading a reader sees and the title a tab, a bookmark or a screen reader gives are the same words."""
    for spec in plan_pages(index):
        html = (site / page_url(spec.uri) / "index.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)[1]
        title = re.search(r"<title>(.*?)</title>", html)[1]
        assert title.startswith(f"{heading} - "), spec.uri


def test_a_dispositif_page_lists_each_other_name_once_whatever_its_case(site):
    shown = _shown(site, "dispositifs/spe/")
    names = shown.split("Autres noms employés dans les fiches ", 1)[1].split(" Référence officielle")[0].split(" Participants")[0]
    assert [name.casefold() for name in names.split(", ")].count("pôle emploi") == 1
    leader = _shown(site, "dispositifs/leader/").split("Autres noms employés dans les fiches ", 1)[1]
    assert leader.startswith("programme Leader ")  # « Leader » is the page's own name, in another case


def test_the_source_of_a_fiche_is_named_for_readers_and_its_workshop_linked(site):
    url = "participants/region-na-pole-formation/"
    shown = _shown(site, url)
    assert "Texte recueilli dans le tableau des témoignages de l’" in shown and "(ligne 42 du fichier" in shown
    html = (site / url / "index.html").read_text(encoding="utf-8")
    source = html[html.index('<h2 id="source">') :]
    assert 'de l’<a href="../../ateliers/atelier-2021-03-16/">atelier du 16 mars 2021</a>' in source
