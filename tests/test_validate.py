"""Validation: every fault of every file is reported in French, at file:line:column, with what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from repertoire import load, pipeline, validate
from repertoire.cli import main

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(MINIMAL, folder)
    return folder


def problems_of(data: Path) -> list[str]:
    return [str(p) for p in pipeline.check(data).problems]


def write(data: Path, name: str, text: str) -> None:
    (data / "participants" / name).write_text(text, encoding="utf-8")


BASE = "id: {id}\nmise_a_jour: \"2021-03-16\"\n"


def test_minimal_data_is_valid(data):
    checked = pipeline.check(data)
    assert checked.ok and checked.problems == []


BROKEN_FICHES = [
    # (file, its text, what the check says): a fiche that breaks a rule, then exactly the messages, each at
    # file:line:column with its field and what to do.
    pytest.param("x.yml", BASE.format(id="x") + "thematiques:\n  - ess\n  - recrutemnt\n", [
        "data/participants/x.yml:5:5: thematiques[1]: « recrutemnt » n'est pas une thématique connue — vouliez-vous dire « recrutement » ?"
    ], id="unknown_theme_names_file_line_column_field_and_a_suggestion"),
    pytest.param("x.yml", BASE.format(id="x") + "thematiques:\n  - Recrutement\n", [
        "data/participants/x.yml:4:5: thematiques[0]: « Recrutement » n'est pas une thématique connue — vouliez-vous dire « recrutement » ?"
    ], id="an_identifier_written_with_a_capital_gets_one_problem_that_names_the_right_one"),
    pytest.param("x.yml", BASE.format(id="x") + "territoires:\n  - Département de la Gironde\ndispositifs:\n  - Plan local pour l'insertion et l'emploi\nthematiques:\n  - Économie sociale et solidaire\n", [
        "data/participants/x.yml:4:5: territoires[0]: « Département de la Gironde » n'est pas un territoire connu — vouliez-vous dire « gironde » (Gironde) ?",
        "data/participants/x.yml:6:5: dispositifs[0]: « Plan local pour l'insertion et l'emploi » n'est pas un dispositif connu — vouliez-vous dire « plie » (Plan local pour l'insertion et l'emploi) ?",
        "data/participants/x.yml:8:5: thematiques[0]: « Économie sociale et solidaire » n'est pas une thématique connue — vouliez-vous dire « ess » (Économie sociale et solidaire) ?",
    ], id="a_name_copied_from_the_site_is_given_its_identifier"),
    pytest.param("x.yml", BASE.format(id="x") + "territoires:\n  - cc-bazadais-gironde\n", [
        "data/participants/x.yml:4:5: territoires[0]: « cc-bazadais-gironde » n'est pas un territoire connu — vouliez-vous dire « cc-bazadais » ?"
    ], id="a_mistyped_identifier_gets_the_closest_identifier_not_a_name_it_holds"),
    pytest.param("x.yml", BASE.format(id="x") + "actions:\n  - Plusieurs financements sont mobilisés : Leader et Région\n", [
        "data/participants/x.yml:4:5: actions[0]: attendu un texte, reçu un bloc de champs — le deux-points après « Plusieurs financements sont mobilisés »"
        " fait lire à YAML un champ et sa valeur : mettez tout le texte entre guillemets droits (\"…\")"
    ], id="a_colon_inside_a_text_of_a_list_says_to_put_the_text_between_quotation_marks"),
    pytest.param("x.yml", BASE.format(id="x") + "thematiques:\n  - ess\u00a0\n  - \"\u200brecrutement\"\n", [
        "data/participants/x.yml:4:5: thematiques[0]: « ess\u00a0 » n'est pas une thématique connue"
        " — supprimez l'espace invisible qui suit « ess » (souvent une espace insécable venue d'un copier-coller)",
        "data/participants/x.yml:5:5: thematiques[1]: « \u200brecrutement » n'est pas une thématique connue"
        " — supprimez l'espace invisible qui précède « recrutement » (souvent une espace insécable venue d'un copier-coller)",
    ], id="an_identifier_with_an_invisible_space_copied_along_says_to_remove_it"),
    pytest.param("x.yml", BASE.format(id="x") + "themastiques: [ess]\n", [
        "data/participants/x.yml:3:1: themastiques: le champ « themastiques » n'existe pas — vouliez-vous dire « thematiques » ?"
    ], id="unknown_key_is_an_error_with_a_suggestion"),
    pytest.param("x.yml", "id: x\n", [
        "data/participants/x.yml:1:1: le champ obligatoire « mise_a_jour » est absent — ajoutez une ligne « mise_a_jour: … »"
    ], id="missing_required_field"),
    pytest.param("x.yml", BASE.format(id="x") + "titre: 1.10\n", [
        "data/participants/x.yml:3:8: titre: attendu un texte, reçu un nombre (1.1) — mettez la valeur entre guillemets"
    ], id="number_where_text_is_expected_asks_for_quotes"),
    pytest.param("x.yml", BASE.format(id="x") + "masquer_noms: no\n", [
        "data/participants/x.yml:3:15: masquer_noms: attendu true ou false, reçu un texte (« no ») — écrivez true (oui) ou false (non)"
    ], id="yes_no_is_not_a_boolean"),
    pytest.param("x.yml", BASE.format(id="x") + "actions: une seule action\n", [
        "data/participants/x.yml:3:10: actions: attendu une liste, reçu un texte (« une seule action »)"
        " — écrivez une liste : un élément par ligne, précédé de « - »"
    ], id="text_instead_of_list"),
    pytest.param("x.yml", "id: x\nmise_a_jour: \"2021-02-30\"\n", [
        "data/participants/x.yml:2:14: mise_a_jour: « 2021-02-30 » n'est pas une date réelle — écrivez une date existante au format AAAA-MM-JJ"
    ], id="impossible_date"),
    pytest.param("x.yml", BASE.format(id="x") + "organisation:\n  nom: A\n  type: communaute\n", [
        "data/participants/x.yml:5:9: organisation.type: « communaute » n'est pas une valeur possible — vouliez-vous dire « commune » ?"
    ], id="unknown_organisation_type_lists_the_choices"),
    pytest.param("x.yml", BASE.format(id="y"), [
        "data/participants/x.yml:1:5: id: l'identifiant « y » diffère du nom du fichier « x » — écrivez « id: x » ou renommez le fichier"
    ], id="id_must_match_the_file_name"),
    pytest.param("Mon Fichier.yaml", BASE.format(id="x"), [
        "data/participants/Mon Fichier.yaml: « Mon Fichier.yaml » n'est pas un nom de fiche valide"
        " — nommez le fichier <identifiant>.yml, en minuscules sans accent, avec des tirets (exemple : petr-sud-gironde.yml)"
    ], id="file_name_that_is_not_an_identifier"),
    pytest.param("x.yml", BASE.format(id="x") + "liens:\n  - participant: x\n    motif: a\n  - participant: inconnu\n    motif: b\n", [
        "data/participants/x.yml:4:18: liens[0].participant: une fiche ne peut pas se proposer de l'aide à elle-même — indiquez l'identifiant d'un autre participant",
        "data/participants/x.yml:6:18: liens[1].participant: « inconnu » n'est pas un participant connu"
        " — si sa fiche a été supprimée ou renommée, retirez ce lien ou écrivez le nouvel identifiant",
    ], id="link_to_itself_and_to_an_unknown_participant_whose_fiche_may_be_gone"),
    pytest.param("x.yml", BASE.format(id="x") + "titre: \"Bazadais\u202egnp.exe\"\n", [
        "data/participants/x.yml:3:8: titre: caractère invisible U+202E (forçage droite-à-gauche) en position 9"
        " — retirez ce caractère (souvent venu d'un copier-coller)"
    ], id="invisible_characters_are_refused"),
    # A text reaching beyond Unicode's plane 0 (an emoji) is checked against the full list, tag characters included.
    pytest.param("x.yml", BASE.format(id="x") + "titre: \"Bazadais \U0001F33E\U000E0041\"\n", [
        "data/participants/x.yml:3:8: titre: caractère invisible U+E0041 (caractère de mise en forme) en position 11"
        " — retirez ce caractère (souvent venu d'un copier-coller)"
    ], id="invisible_characters_beside_an_emoji_are_refused"),
    pytest.param("x.yml", BASE.format(id="x") + "personnes:\n  - Sandrine Lassourelle\n", [
        "data/participants/x.yml:4:5: personnes[0]: attendu un bloc de champs, reçu un texte (« Sandrine Lassourelle »)"
        " — écrivez le nom du champ avant la valeur : « nom: Sandrine Lassourelle »"
    ], id="a_person_written_without_the_name_field_says_which_field_to_write"),
    pytest.param("x.yml", BASE.format(id="x") + "titre:\n", [
        "data/participants/x.yml:3:7: titre: attendu un texte, reçu une valeur vide — écrivez la valeur après le deux-points ou le tiret, ou retirez la ligne"
    ], id="an_empty_value_says_to_write_it_or_remove_the_line"),
    pytest.param("x.yml", 'id:\nmise_a_jour: "2021-03-16"\n', [
        "data/participants/x.yml:1:4: id: attendu un texte, reçu une valeur vide — écrivez la valeur après le deux-points ou le tiret"
    ], id="an_empty_required_value_is_not_told_to_be_removed"),
    pytest.param("x.yml", BASE.format(id="x") + "organisation:\n  - nom: Grand Dax\n  - type: intercommunalite\n", [
        "data/participants/x.yml:4:3: organisation: attendu un bloc de champs, reçu une liste"
        " — retirez les tirets : chaque champ de ce bloc s'écrit sur sa ligne, en retrait sous le nom du bloc"
    ], id="a_block_written_as_a_list_says_to_remove_the_dashes"),
    pytest.param("x.yml", 'id: x\nmise_a_jour: "16/03/2021"\n', [
        "data/participants/x.yml:2:14: mise_a_jour: « 16/03/2021 » n'est pas écrite au format AAAA-MM-JJ — écrivez « 2021-03-16 »"
    ], id="a_date_written_the_french_way_is_given_back_as_the_data_wants_it"),
    pytest.param("x.yml", 'id: x\nmise_a_jour: "31/02/2021"\n', [
        "data/participants/x.yml:2:14: mise_a_jour: « 31/02/2021 » n'est pas une date réelle — écrivez une date existante au format AAAA-MM-JJ"
    ], id="an_impossible_french_date_is_not_turned_into_an_impossible_iso_date"),
    pytest.param("x.yml", 'id: x\nmise_a_jour: "2026/1/5"\n', [
        "data/participants/x.yml:2:14: mise_a_jour: « 2026/1/5 » n'est pas écrite au format AAAA-MM-JJ — écrivez « 2026-01-05 »"
    ], id="a_date_with_slashes_or_without_zeros_is_given_back_as_the_data_wants_it"),
    pytest.param("x.yml", 'id: x\nmise_a_jour: "2099-01-01"\n', [
        "data/participants/x.yml:2:14: mise_a_jour: la date « 2099-01-01 » est dans le futur"
        " — écrivez la date à laquelle la fiche a été relue, au plus tard celle du jour"
    ], id="a_confirmation_date_in_the_future_is_refused"),
    pytest.param("x.yml", BASE.format(id="x") + "besoins:\n  - \"écrire à jeanne.dupont@grand-dax.fr ou contact@grand-dax.fr\"\n  - appeler le 06 12 34 56 78\n  - \"écrire à accueil-emploi@grand-dax.fr ou appeler le 05 58 00 00 00\"\n", [
        "data/participants/x.yml:4:5: avertissement: besoins[0]: ce texte donne une adresse électronique (jeanne.dupont@grand-dax.fr), que le site et les données ouvertes publieraient"
        " — ne gardez que les coordonnées de l'organisation (accueil, adresse générique), ou celles d'une personne qui a donné son accord",
        "data/participants/x.yml:5:5: avertissement: besoins[1]: ce texte donne un numéro de téléphone (06 12 34 56 78), que le site et les données ouvertes publieraient"
        " — ne gardez que les coordonnées de l'organisation (accueil, adresse générique), ou celles d'une personne qui a donné son accord",
    ], id="a_personal_address_or_mobile_number_is_a_warning_a_shared_mailbox_or_a_switchboard_is_not"),
]


@pytest.mark.parametrize(("name", "text", "expected"), BROKEN_FICHES)
def test_a_fiche_that_breaks_a_rule_gets_located_french_messages(data, name, text, expected):
    write(data, name, text)
    assert problems_of(data) == expected


def test_a_type_far_from_every_choice_lists_them_all(data):
    write(data, "x.yml", BASE.format(id="x") + "organisation:\n  nom: A\n  type: mission-locale\n")
    assert problems_of(data)[0].endswith(
        "— valeurs possibles : commune, intercommunalite, petr, syndicat-mixte, departement, region, etat, plie, maison-de-l-emploi, gip, association, cooperative, entreprise, autre"
    )


def test_same_participant_twice_is_a_probable_duplicate(data):
    copy = (data / "participants" / "region.yml").read_text(encoding="utf-8").replace("id: region", "id: region-bis")
    write(data, "region-bis.yml", copy)
    # Both are told: the proposal may have added either of them.
    assert problems_of(data) == [
        "data/participants/region-bis.yml:1:5: id: cette fiche semble décrire le même participant que data/participants/region.yml"
        " — fusionnez les deux fiches, ou distinguez-les par un « titre »",
        "data/participants/region.yml:1:5: id: cette fiche semble décrire le même participant que data/participants/region-bis.yml"
        " — fusionnez les deux fiches, ou distinguez-les par un « titre »",
    ]


def test_every_problem_of_every_file_is_reported_at_once(data):
    write(data, "a.yml", "id: a\n")
    write(data, "b.yml", BASE.format(id="b") + "dispositifs: [gpect, inconnu]\nfoo: 1\n")
    codes = [(p.file, p.code) for p in pipeline.check(data).problems]
    assert codes == [
        ("data/participants/a.yml", "champ-manquant"),
        ("data/participants/b.yml", "reference-inconnue"),
        ("data/participants/b.yml", "cle-inconnue"),
    ]


def test_territory_parent_must_exist_and_not_loop(data):
    text = (data / "territoires.yml").read_text(encoding="utf-8")
    text = text.replace("parents: [nouvelle-aquitaine]", "parents: [cc-bazadais, atlantide]")
    (data / "territoires.yml").write_text(text, encoding="utf-8")
    found = problems_of(data)
    assert any("territoires.yml:" in p and "« atlantide » n'est pas un territoire connu" in p for p in found)
    assert any("se contient lui-même" in p for p in found)


def test_missing_reference_file(data):
    (data / "glossaire.yml").unlink()
    assert problems_of(data) == ["data/glossaire.yml: le fichier de référence glossaire.yml est absent — créez data/glossaire.yml"]


def test_a_fiche_claiming_another_id_does_not_replace_that_participant(data):
    copy = (data / "participants" / "cc-bazadais.yml").read_text(encoding="utf-8")
    write(data, "imposteur.yml", copy.replace("Denis Paineau", "Quelqu'un d'autre"))
    write(data, "cc-bazadais-bis.yml", copy.replace("id: cc-bazadais", "id: cc-bazadais-bis"))
    assert [(p.file, p.code) for p in pipeline.check(data).problems] == [
        ("data/participants/cc-bazadais-bis.yml", "doublon-probable"),
        ("data/participants/cc-bazadais.yml", "doublon-probable"),
        ("data/participants/imposteur.yml", "id-different-du-fichier"),
    ]


def test_a_file_that_is_not_a_plain_fiche_is_reported(data):
    (data / "participants" / "lien.yml").symlink_to(data / "participants" / "region.yml")
    (data / "participants" / "sous-dossier").mkdir()
    write(data, ".cachee.yml", BASE.format(id="cachee"))
    (data / "participants" / ".gitkeep").write_text("", encoding="utf-8")
    assert [p.split(" — ")[0] for p in problems_of(data)] == [
        "data/participants/.cachee.yml: « .cachee.yml » n'est pas un nom de fiche valide",
        "data/participants/lien.yml: « lien.yml » est un lien symbolique, pas une fiche",
        "data/participants/sous-dossier: « sous-dossier » est un dossier : les fiches qu'il contient ne sont pas lues",
    ]


def test_a_parent_territory_written_as_a_name_says_what_an_identifier_looks_like(data):
    text = (data / "territoires.yml").read_text(encoding="utf-8")
    (data / "territoires.yml").write_text(text.replace("parents: [gironde]", "parents: [Gironde]"), encoding="utf-8")
    assert [p.split(": ", 2)[2] for p in problems_of(data)] == [
        "« Gironde » n'a pas la forme attendue — Identifiant d'un territoire de ce fichier, tel que l'écrit son « id » (exemple : gironde)"
    ]


def test_glossary_terms_that_would_share_an_anchor_are_refused(data):
    text = (data / "glossaire.yml").read_text(encoding="utf-8")
    (data / "glossaire.yml").write_text(text + "- terme: GPÉCT\n  definition: Autre écriture.\n", encoding="utf-8")
    assert problems_of(data) == [
        "data/glossaire.yml:5:10: [1].terme: « GPÉCT » se confond avec « GPECT » plus haut (majuscules, accents et ponctuation ne comptent pas)"
        " — donnez un identifiant différent à chaque élément"
    ]


@pytest.mark.parametrize(("name", "line", "position"), [("thematiques", 7, 2), ("dispositifs", 11, 2), ("territoires", 15, 3), ("ateliers", 5, 1)])
def test_a_faulty_reference_file_is_reported_alone_not_once_per_reference_to_it(data, name, line, position):
    # The fiches refer to every file, the glossary to the dispositifs, the territories to each other.
    text = (data / f"{name}.yml").read_text(encoding="utf-8")
    (data / f"{name}.yml").write_text(text + "- nom: Sans identifiant\n", encoding="utf-8")
    assert [p.split(" — ")[0] for p in problems_of(data) if "« id »" in p] == [f"data/{name}.yml:{line}:3: [{position}]: le champ obligatoire « id » est absent"]
    assert all(p.startswith(f"data/{name}.yml:") for p in problems_of(data))


def test_a_name_with_chevrons_in_a_reference_file_says_what_a_name_may_hold(data):
    text = (data / "dispositifs.yml").read_text(encoding="utf-8")
    (data / "dispositifs.yml").write_text(text.replace("nom: Gestion prévisionnelle", "nom: <b>Gestion</b> prévisionnelle"), encoding="utf-8")
    assert [p.split(": ", 1)[1] for p in problems_of(data)] == [
        "[0].nom: « <b>Gestion</b> prévisionnelle des emplois et des compéten… » n'a pas la forme attendue — Texte sans chevrons < >"
    ]


@pytest.mark.parametrize("typo, field", [("themse", "thematiques"), ("défis", "defis"), ("mise-a-jour", "mise_a_jour"), ("Territoire", "territoires")])
def test_misspelt_key_gets_the_right_suggestion(data, typo, field):
    write(data, "x.yml", BASE.format(id="x") + f"{typo}: [ess]\n")
    assert problems_of(data)[-1].endswith(f"— vouliez-vous dire « {field} » ?")


@pytest.mark.parametrize(("written", "hint"), [
    ("https://www.grand-dax.fr (rubrique emploi)", "une adresse web ne contient pas d'espace : ne gardez que l'adresse (https://www.grand-dax.fr)"),
    ("voir https://www.grand-dax.fr", "une adresse web ne contient pas d'espace : ne gardez que l'adresse (https://www.grand-dax.fr)"),
    ("https://www.cc bazadais.fr", "une adresse web ne contient pas d'espace : retirez celles qui la coupent"),
    ("https://www.cc-bazadais.fr (refonte. Contact)", "une adresse web ne contient pas d'espace : ne gardez que l'adresse (https://www.cc-bazadais.fr)"),
    ("https://www.cc-bazadais.fr, https://autre.fr", "une seule adresse par champ : gardez-en une (https://www.cc-bazadais.fr)"),
    ("Https://www.cc-bazadais.fr", "écrivez « https:// » en minuscules"),
    ("https://www.cc-bazadais.fr.", "retirez le point final"),
    *[(address, "Adresse complète du site : https:// ou http://, puis le nom de domaine, sans espace, virgule ni tiret long (exemple : https://www.exemple.fr)")
      for address in ("https://www.cc–bazadais.fr", "https://www.cc-bazadais,fr", "https://www.cc-bazadais", "https://contact@cc-bazadais.fr")],
])
def test_a_web_address_that_would_make_a_dead_link_says_what_to_write(data, written, hint):
    write(data, "x.yml", BASE.format(id="x") + f"organisation:\n  nom: CC du Bazadais\n  type: intercommunalite\n  site_web: {written}\n")
    assert problems_of(data) == [f"data/participants/x.yml:6:13: organisation.site_web: « {written} » n'a pas la forme attendue — {hint}"]


@pytest.mark.parametrize("address", ["https://www.cœur-de-garonne.fr", "https://xn--80ak6aa92e.xn--p1ai/", "http://WWW.Exemple.fr:8080/a?b=1#c", "https://www.région.fr/emploi/"])
def test_a_real_web_address_is_accepted(data, address):
    write(data, "x.yml", BASE.format(id="x") + f"organisation:\n  nom: CC du Bazadais\n  type: intercommunalite\n  site_web: {address}\n")
    assert problems_of(data) == []


@pytest.mark.parametrize(("file", "written", "dead"), [
    ("dispositifs.yml", "  niveau: local\n", "  niveau: local\n  lien: https://www.legifrance–gouv.fr/\n"),
    ("publication.yml", 'adresse_site: "https://territoires-emploi.github.io/repertoire/"', 'adresse_site: "https://territoires-emploi,github.io/repertoire/"'),
])
def test_a_dead_web_address_in_a_reference_file_is_refused(data, file, written, dead):
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert written in text
    path.write_text(text.replace(written, dead, 1), encoding="utf-8")
    assert [p.split(": ")[0].split(":")[0] for p in problems_of(data)] == [f"data/{file}"]


@pytest.mark.parametrize(("written", "hint"), [
    ("cc-bazadais, gironde", "un identifiant par élément de la liste : « - cc-bazadais » puis « - gironde », chacun sur sa ligne"),
    ("cc-bazadais, girond", "vouliez-vous dire « cc-bazadais » ?"),
])
def test_two_identifiers_in_one_item_are_told_to_go_on_two_lines(data, written, hint):
    write(data, "x.yml", BASE.format(id="x") + f"territoires:\n  - {written}\n")
    assert [p.split(" — ")[1] for p in problems_of(data)] == [hint]


@pytest.mark.parametrize("number", ["+33 6 12 34 56 78", "+33612345678", "+33 (0)6 12 34 56 78", "0033 7 12 34 56 78"])
def test_a_mobile_number_written_the_international_way_is_a_warning_too(data, number):
    write(data, "x.yml", BASE.format(id="x") + f"besoins:\n  - appeler Jeanne au {number}\n")
    assert problems_of(data) == [
        f"data/participants/x.yml:4:5: avertissement: besoins[0]: ce texte donne un numéro de téléphone ({number}), que le site et les données ouvertes publieraient"
        " — ne gardez que les coordonnées de l'organisation (accueil, adresse générique), ou celles d'une personne qui a donné son accord"
    ]


def test_departement_code_stays_as_written_and_a_bare_number_is_refused(data):
    text = (data / "territoires.yml").read_text(encoding="utf-8")
    (data / "territoires.yml").write_text(text.replace('code_insee: "33"', "code_insee: 09"), encoding="utf-8")
    checked = pipeline.check(data)
    assert checked.ok and checked.index.directory.territories["gironde"].code == "09"
    (data / "territoires.yml").write_text(text.replace('code_insee: "33"', "code_insee: 9"), encoding="utf-8")
    assert problems_of(data) == [
        "data/territoires.yml:9:15: [1].code_insee: attendu un texte, reçu un nombre (9) — mettez la valeur entre guillemets"
    ]


def test_index_is_reserved_for_list_pages(data):
    text = (data / "territoires.yml").read_text(encoding="utf-8")
    (data / "territoires.yml").write_text(text.replace("id: gironde", "id: index").replace("parents: [gironde]", "parents: [index]"), encoding="utf-8")
    assert [p.split(" — ")[0] for p in problems_of(data)] == ["data/territoires.yml:6:7: [1].id: « index » n'a pas la forme attendue"]


def test_validation_leaves_the_data_as_written(data):
    from repertoire.load import load_sources
    from repertoire.validate import validate

    sources = load_sources(data)
    before = [repr(document.data) for document in sources.participants]
    validate(sources)
    assert [repr(document.data) for document in sources.participants] == before
    assert all("masquer_noms" not in document.data for document in sources.participants)  # no default filled in


def test_a_fiche_saved_outside_the_participants_folder_is_told_not_to_be_read(data):
    (data / "participant").mkdir()
    (data / "participant" / "asso-test.yml").write_text(BASE.format(id="asso-test"), encoding="utf-8")
    (data / "asso-test2.yaml").write_text(BASE.format(id="asso-test2"), encoding="utf-8")
    assert problems_of(data) == [
        f"data/{place}: « {name} » n'est ni une fiche de data/participants ni un fichier de référence : il n'est pas lu"
        " — placez une fiche dans le dossier data/participants ; les fichiers de référence sont ateliers.yml, dispositifs.yml, glossaire.yml, publication.yml, territoires.yml, thematiques.yml"
        for place, name in (("asso-test2.yaml", "asso-test2.yaml"), ("participant/asso-test.yml", "asso-test.yml"))
    ]


def test_a_link_to_a_fiche_with_an_error_is_not_told_to_be_unknown(data):
    write(data, "x.yml", BASE.format(id="x") + "liens:\n  - participant: y\n    motif: GPECT\n")
    write(data, "y.yml", 'id: y\nmise_a_jour: "16/03/2021"\n')
    assert [problem.split(": ")[0] for problem in problems_of(data)] == ["data/participants/y.yml:2:14"]


def test_a_glossary_variant_that_is_another_entry_s_term_is_refused(data):
    glossary = data / "glossaire.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "- terme: TPE\n  definition: Très petite entreprise.\n  variantes: [GPECT, TPEs]\n", encoding="utf-8")
    assert problems_of(data) == [
        "data/glossaire.yml:7:15: [1].variantes[0]: « GPECT » est déjà le terme ou une variante de l'entrée « GPECT »"
        " — retirez-la ici, ou réunissez les deux entrées : une forme renvoie à une seule entrée"
    ]


def test_two_territories_of_one_type_with_the_same_official_code_are_refused(data):
    territories = data / "territoires.yml"
    text = territories.read_text(encoding="utf-8")
    territories.write_text(text + "- id: landes\n  nom: Landes\n  type: departement\n  code_insee: \"33\"\n  parents: [nouvelle-aquitaine]\n", encoding="utf-8")
    problems = problems_of(data)
    assert len(problems) == 1 and problems[0].endswith(
        "code_insee: le code « 33 » est déjà celui de « gironde », plus haut — vérifiez le code officiel de ce territoire (code INSEE, ou SIREN d'une intercommunalité)"
    )


@pytest.mark.parametrize(("as_written", "as_a_list", "told"), [
    ('code_insee: "33"', 'code_insee: ["33"]', "9:15: [1].code_insee: attendu un texte, reçu une liste"),
    ("type: departement", "type: [departement]", "8:9: [1].type: attendu un texte, reçu une liste"),
])
def test_a_territory_code_or_type_written_as_a_list_is_told_where_it_is(data, as_written, as_a_list, told):
    territories = data / "territoires.yml"
    territories.write_text(territories.read_text(encoding="utf-8").replace(as_written, as_a_list, 1), encoding="utf-8")
    assert [problem.split(" — ")[0] for problem in problems_of(data)] == [f"data/territoires.yml:{told}"]


@pytest.mark.parametrize("given", ["participants", "participants/region.yml"])
def test_the_check_given_a_fiche_or_the_fiches_folder_asks_for_the_data_folder(data, capsys, given):
    assert main(["verifier", str(data / given)]) == 2
    assert capsys.readouterr().err == (
        f"« {data / given} » n'est pas le dossier des données — donnez celui qui contient participants/ et les fichiers de référence"
        " (data, par défaut) : chaque fiche est vérifiée avec les autres fichiers.\n"
    )


def test_an_item_emptied_by_a_hashtag_is_explained_once_whichever_way_the_files_are_read(data):
    write(data, "x.yml", BASE.format(id="x") + "actions:\n  - #urgent\n")
    once = ["data/participants/x.yml:4:5: actions[0]: le texte qui suit « # » est lu comme un commentaire et ne serait pas publié"]
    assert [p.split(" — ")[0] for p in problems_of(data)] == once
    assert [str(p).split(" — ")[0] for p in validate.validate(load.load_sources(data)).problems] == once
