"""Contribution form: without git or YAML, a person proposes a new fiche or a correction from the site.

The YAML the form prepares is checked here by the project's own validator and built into a page:
what the form accepts, the build accepts.
"""

from __future__ import annotations

import json
import shutil
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import PROJECT, PROPOSED_IDENTIFIERS, build
from pages import read
from playwright.sync_api import expect

from repertoire import pipeline
from repertoire.contribution import comment_lines
from repertoire.validate import load_schema

REPO = "https://github.com/territoires-emploi/repertoire"
SUBMIT = "Vérifier et préparer la fiche"


def open_form(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("form.rep-formulaire")


def prepared_yaml(page) -> str:
    return page.locator("#rep-yaml").text_content()


def accepted_and_checked(project, ident: str, text: str) -> None:
    """Write the prepared fiche into a copy of the project: the project's validator finds nothing to say."""
    (project / "data" / "participants" / f"{ident}.yml").write_text(text, encoding="utf-8")
    checked = pipeline.check(project / "data")
    assert checked.ok, [str(p) for p in checked.problems]
    assert [str(p) for p in checked.problems if p.file.endswith(f"/{ident}.yml") and p.code != "fiche-ancienne"] == []


def accepted_and_built(project, ident: str, text: str, tmp_path):
    """The prepared fiche is accepted and builds into its page; returns the page's content (text and links)."""
    accepted_and_checked(project, ident, text)
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    return read(tmp_path / "site", f"participants/{ident}/")


def test_the_identifier_filled_in_from_the_organisation_name_is_the_one_nouvelle_fiche_proposes(page, site_url):
    open_form(page, site_url + "contribuer/")
    for name, identifier in PROPOSED_IDENTIFIERS:
        page.get_by_label("Nom de l'organisation").fill(name)
        expect(page.get_by_label("Identifiant (obligatoire)")).to_have_value(identifier)


def test_new_fiche_error_in_french_next_to_the_field_then_a_prefilled_forge_page(page, site_url, project_copy, tmp_path):
    open_form(page, site_url + "contribuer/")
    fields = page.locator("form.rep-formulaire input[type=text], form.rep-formulaire select, form.rep-formulaire textarea")
    expect(fields.first).to_have_accessible_name("Nom de l'organisation")  # first: it fills in the identifier
    page.get_by_label("Nom de l'organisation").fill("Mission locale des Landes")
    expect(page.get_by_label("Identifiant (obligatoire)")).to_have_value("mission-locale-des-landes")
    expect(page.get_by_label("Identifiant (obligatoire)")).to_have_accessible_description(re.compile("^Il se remplit d’après le nom de l’organisation"))
    page.get_by_label("Identifiant (obligatoire)").fill("Mission Landes")
    page.get_by_label("Type de structure").select_option(label="Association")
    page.get_by_role("checkbox", name="Landes", exact=True).check()
    page.get_by_role("checkbox", name="Mission locale", exact=True).check()
    page.get_by_role("checkbox", name="Recrutement et rapprochement de l'offre et de la demande").check()
    page.get_by_label("Actions engagées, élément 1").fill("Un forum de l'emploi chaque printemps : « Jobs d'été », voir https://example.org/forum")
    page.get_by_role("button", name="Ajouter un élément à « Besoins »").click()
    page.get_by_label("Besoins, élément 1").fill("Des retours d'expérience sur la mobilité des jeunes")
    page.get_by_role("button", name=SUBMIT).click()

    identifier = page.get_by_label("Identifiant (obligatoire)")
    error = page.locator("#champ-id-erreur")
    expect(error).to_contain_text("« Mission Landes » n’a pas la forme attendue — Identifiant : lettres minuscules sans accent, chiffres et tirets")
    expect(identifier).to_be_focused()
    expect(identifier).to_have_attribute("aria-invalid", "true")
    assert "champ-id-erreur" in identifier.get_attribute("aria-describedby").split()
    expect(page.get_by_role("alert")).to_contain_text("La fiche contient une erreur")
    assert page.locator("#rep-lien-forge").count() == 0

    page.reload()
    page.wait_for_selector("form.rep-formulaire")
    expect(page.get_by_label("Identifiant (obligatoire)")).to_have_value("Mission Landes")
    expect(page.get_by_label("Besoins, élément 1")).to_have_value("Des retours d'expérience sur la mobilité des jeunes")
    expect(page.get_by_role("checkbox", name="Landes", exact=True)).to_be_checked()

    page.get_by_label("Identifiant (obligatoire)").fill("mission-locale-landes")
    page.get_by_role("button", name=SUBMIT).click()
    link = page.locator("#rep-lien-forge")
    address = urlsplit(link.get_attribute("href"))
    assert f"{address.scheme}://{address.netloc}{address.path}" == f"{REPO}/new/main"
    query = parse_qs(address.query)
    assert query["filename"] == ["data/participants/mission-locale-landes.yml"]
    text = query["value"][0]
    assert text == prepared_yaml(page)
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/participant.schema.json"
    # GitHub's English button names are marked as English, so that a screen reader pronounces them as such
    assert page.locator("#rep-resultat li span[lang=en]").all_text_contents() == ["Commit changes…", "Propose changes"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le fichier mission-locale-landes.yml").click()
    assert download.value.suggested_filename == "mission-locale-landes.yml"
    assert open(download.value.path(), encoding="utf-8").read() == text

    content = accepted_and_built(project_copy, "mission-locale-landes", text, tmp_path)
    shown = " ".join(content.text)
    assert "Mission locale des Landes" in shown and "« Jobs d'été »" in shown and "mobilité des jeunes" in shown
    assert "../../territoires/landes/" in content.links and "https://example.org/forum" in content.links


def test_an_empty_identifier_is_called_empty(page, site_url):
    open_form(page, site_url + "contribuer/")
    page.get_by_role("button", name=SUBMIT).click()
    # The form's own text is spaced the French way, as the site's pages are (narrow no-break spaces).
    expect(page.locator("#champ-id-erreur")).to_have_text(re.compile("^Erreur\u202f: le champ est vide — Identifiant\u202f: lettres minuscules"))


def test_correction_starts_from_the_fiche_and_gives_yaml_for_its_edit_page(page, site_url, project_copy, tmp_path):
    page.goto(site_url + "participants/grand-dax/")
    page.get_by_role("link", name="Proposer une correction").click()
    page.wait_for_selector("form.rep-formulaire")
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer une correction : Grand Dax")
    organisation = page.get_by_label("Nom de l'organisation")
    expect(organisation).to_have_value("Grand Dax")
    organisation.fill("")
    page.get_by_role("button", name=SUBMIT).click()
    expect(page.locator("#champ-organisation-nom-erreur")).to_contain_text("« Nom de l'organisation » est obligatoire — remplissez ce champ")
    expect(organisation).to_be_focused()

    organisation.fill("Communauté d'agglomération du Grand Dax")
    page.get_by_role("button", name="Ajouter un élément à « Ressources proposées »").click()
    page.get_by_label("Ressources proposées, élément 1").fill("Notre expérience des petits déjeuners d'entreprises")
    page.get_by_role("button", name=SUBMIT).click()
    assert page.locator("#rep-lien-forge").get_attribute("href") == f"{REPO}/edit/main/data/participants/grand-dax.yml"
    text = prepared_yaml(page)

    before = yaml.safe_load((PROJECT / "data" / "participants" / "grand-dax.yml").read_text(encoding="utf-8"))
    after = yaml.safe_load(text)
    assert after["organisation"] == {**before["organisation"], "nom": "Communauté d'agglomération du Grand Dax"}
    assert after["ressources"] == ["Notre expérience des petits déjeuners d'entreprises"]
    assert after["mise_a_jour"] == date.today().isoformat()  # a correction confirms the fiche: its reminder stops
    changed = ("organisation", "ressources", "mise_a_jour")
    assert {k: v for k, v in after.items() if k not in changed} == {k: v for k, v in before.items() if k not in changed}
    assert list(after) == [key for key in load_schema("participant")["properties"] if key in after]
    shown = " ".join(accepted_and_built(project_copy, "grand-dax", text, tmp_path).text)
    assert "Communauté d'agglomération du Grand Dax" in shown and "Notre expérience des petits déjeuners d'entreprises" in shown


def test_correction_of_a_fiche_with_hidden_names_never_shows_them(page, site_url, site, project_copy):
    hidden = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in (PROJECT / "data" / "participants").glob("*.yml")]
    hidden = [fiche for fiche in hidden if fiche.get("masquer_noms")]
    assert hidden, "the data has a fiche with masquer_noms: true"
    names = {value for fiche in hidden for person in fiche["personnes"] for value in (person["nom"], person.get("nom_source")) if value}
    for path in [*(site / "contribuer").rglob("*.json"), *(site / "schemas").glob("*.json")]:
        text = path.read_text(encoding="utf-8")
        assert not any(name in text for name in names), path
    for fiche in hidden:
        assert "personnes" not in json.loads((site / "contribuer" / "fiches" / f"{fiche['id']}.json").read_text(encoding="utf-8"))

    ident = hidden[0]["id"]
    open_form(page, f"{site_url}contribuer/?fiche={ident}")
    expect(page.get_by_text("Les noms des personnes de cette fiche ne sont pas publiés")).to_be_visible()
    page.get_by_role("button", name=SUBMIT).click()
    text = prepared_yaml(page)
    assert not any(name in text for name in names)
    note = "# personnes : non publiées sur le site ; gardez ici le bloc « personnes » du fichier actuel"
    assert note in text.splitlines()
    # What the contributor is told to do: keep the current file's « personnes » block where the note stands.
    current = (PROJECT / "data" / "participants" / f"{ident}.yml").read_text(encoding="utf-8")
    restored = text.replace(note + "\n", block_of(current, "personnes"))
    accepted_and_checked(project_copy, ident, restored)
    assert yaml.safe_load(restored)["personnes"] == yaml.safe_load(current)["personnes"]


def block_of(text: str, key: str) -> str:
    """The lines of a top-level key of a YAML file, with everything indented below it."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(key + ":"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    return "".join(lines[start:end])


@pytest.mark.parametrize(("hidden", "kind"), [("\u00ad", "invisible"), ("\u2028", "invisible"), ("\u061c", "invisible"), ("\U000e0041", "invisible"), ("\uf0b7", "illisible"), ("\ufffd", "illisible"), ("\ufffc", "illisible")],
                         ids=["trait-conditionnel", "separateur-de-ligne", "marque-arabe", "etiquette", "puce-de-police", "remplacement", "objet-colle"])
def test_every_character_the_build_refuses_as_invisible_is_refused_by_the_form(page, site_url, tmp_path, hidden, kind):
    data = tmp_path / "data"
    shutil.copytree(PROJECT / "tests" / "fixtures" / "minimal", data)
    (data / "participants" / "x.yml").write_text(f'id: x\nmise_a_jour: "2021-03-16"\nactions:\n  - "Une ad{hidden}ministration"\n', encoding="utf-8")
    (problem,) = [str(p) for p in pipeline.check(data).problems]
    assert problem.startswith("data/participants/x.yml:4:") and f": caractère {kind} U+{ord(hidden):04X} (" in problem
    assert problem.endswith("— retapez à sa place le caractère perdu (souvent une lettre accentuée ou une puce, lors d'un copier-coller)" if kind == "illisible" else "— retirez ce caractère (souvent venu d'un copier-coller)")
    open_form(page, site_url + "contribuer/")
    page.get_by_label("Actions engagées, élément 1").fill(f"Une ad{hidden}ministration")
    page.get_by_role("button", name=SUBMIT).click()
    expect(page.locator("#champ-actions-0-erreur")).to_contain_text(f"caractère {kind} U+{ord(hidden):04X} en position 7")


def test_a_hidden_character_is_caught_but_an_emoji_sequence_is_written_as_typed(page, site_url, project_copy):
    """The form applies the build's rule: a zero-width joiner inside a word is refused next to its field; the
    one that makes 👩‍🌾 of 👩 and 🌾 is kept, and the fiche it writes is accepted by the validator."""
    open_form(page, site_url + "contribuer/")
    page.get_by_label("Nom de l'organisation").fill("Ferme-école des Landes")
    page.get_by_label("Type de structure").select_option(label="Association")
    page.get_by_role("checkbox", name="Landes", exact=True).check()
    page.get_by_role("checkbox", name="Recrutement et rapprochement de l'offre et de la demande").check()
    actions = page.get_by_label("Actions engagées, élément 1")
    actions.fill("Une ad\u200dministration qui accueille")
    page.get_by_role("button", name=SUBMIT).click()
    expect(page.get_by_role("alert")).to_contain_text("La fiche contient une erreur")
    expect(page.locator(".rep-erreur")).to_contain_text("caractère invisible U+200D en position 7")
    expect(actions).to_be_focused()

    actions.fill("Des agricultrices 👩\u200d🌾 installées en test d'activité")
    page.get_by_role("button", name=SUBMIT).click()
    text = prepared_yaml(page)
    assert "👩\u200d🌾" in text
    accepted_and_checked(project_copy, "ferme-ecole-des-landes", text)


def test_a_text_with_no_break_spaces_tabs_and_line_breaks_is_written_so_that_the_check_reads_it_back_unchanged(page, site_url, project_copy):
    """js-yaml writes such a text between double quotes with « \\_ », « \\t » and « \\n »: the check must neither
    refuse them nor take them for backslashes typed by mistake."""
    open_form(page, site_url + "contribuer/")
    page.get_by_label("Nom de l'organisation").fill("Ferme-école des Landes")
    page.get_by_label("Type de structure").select_option(label="Association")
    page.get_by_role("checkbox", name="Landes", exact=True).check()
    page.get_by_role("checkbox", name="Recrutement et rapprochement de l'offre et de la demande").check()
    typed = "Objectifs\u00a0:\n- accueillir\t40\u00a0%\ndes publics\u00a0;\nsuite de la phrase"
    page.get_by_label("Actions engagées, élément 1").fill(typed)
    page.get_by_role("button", name=SUBMIT).click()
    text = prepared_yaml(page)
    assert "\\_" in text and "\\t" in text and "\\n" in text
    accepted_and_checked(project_copy, "ferme-ecole-des-landes", text)
    assert pipeline.check(project_copy / "data").index.participant("ferme-ecole-des-landes").actions == (typed,)


def test_correction_names_the_comment_lines_of_the_current_file_that_the_form_cannot_keep(page, site_url):
    """The form writes the YAML anew, without the file's comments (« # … »): nothing is lost silently, the steps
    tell which lines to copy by hand. A fiche without comments gets no such step."""
    files = sorted((PROJECT / "data" / "participants").glob("*.yml"))
    commented = {path.stem: comment_lines(path.read_text(encoding="utf-8")) for path in files}
    with_comments = next(ident for ident, lines in commented.items() if lines)
    without = next(ident for ident, lines in commented.items() if not lines)
    line = (PROJECT / "data" / "participants" / f"{with_comments}.yml").read_text(encoding="utf-8").splitlines()[commented[with_comments][0] - 1]
    assert line.lstrip().startswith("#") and "yaml-language-server" not in line

    for ident, expected in ((with_comments, f"un commentaire (ligne {commented[with_comments][0]})"), (without, None)):
        open_form(page, f"{site_url}contribuer/?fiche={ident}")
        page.get_by_role("button", name=SUBMIT).click()
        steps = page.locator("#rep-resultat ol")
        expect(steps).to_be_visible()
        if expected:
            expect(steps).to_contain_text(f"Le fichier actuel contient {expected}, une note qui commence par « # », que ce formulaire ne reprend pas")
        else:
            expect(steps).not_to_contain_text("commentaire")


def test_comment_lines_are_found_outside_texts_only():
    text = '# yaml-language-server: $schema=../schemas/participant.schema.json\nid: x  # après une valeur\ntitre: "R&D #Happyterr#"\n# seul sur sa ligne\nactions:\n  - |\n    # dans un texte\n'
    assert comment_lines(text) == [2, 4]
