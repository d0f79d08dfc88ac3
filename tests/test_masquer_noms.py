"""Hiding names: `masquer_noms: true` on a fiche removes its persons' names from every file of the built site —
pages, titles, addresses, sitemap, search index, open data (JSON, CSV, spreadsheet) — and the check refuses a fiche
that would still show them elsewhere."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import build

from repertoire import pipeline

HIDDEN = {
    # fiche → names that must vanish (display form, source form, and a rare word alone: the search index stores words one by one)
    "cc-bazadais": ["Denis Paineau", "Paineau"],
    "professionnelle-de-la-formation": ["Myriam Louis", "Myriam LOUIS", "Myriam"],
}


def texts_of_every_file(site: Path):
    """(path, text) for every file of the site, compressed ones (sitemap.xml.gz, search index, .ods, .xlsx) opened."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        content = path.read_bytes()
        if content.startswith(b"\x1f\x8b"):  # gzip, whatever the file's name: Pagefind's index and fragments too
            yield path, gzip.decompress(content).decode("utf-8", "replace")
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield path / member, archive.read(member).decode("utf-8", "replace")
        else:
            yield path, content.decode("utf-8", "replace")


def leaks(site: Path, names: list[str]) -> list[str]:
    found = []
    for path, text in texts_of_every_file(site):
        folded = text.casefold()
        found += [f"{path.relative_to(site)}: {name}" for name in names if name.casefold() in folded]
    return found


def test_names_are_published_when_not_hidden(site):
    shown = leaks(site, ["Denis Paineau"])
    assert any("participants/cc-bazadais/index.html" in line for line in shown)
    assert any(line.startswith("pagefind/fragment/") for line in shown)
    assert not any("donnees/" in line for line in shown), "open data never carries names"


def test_hidden_names_appear_in_no_file_of_the_built_site(project_copy, tmp_path):
    project = project_copy
    for ident in HIDDEN:
        fiche = project / "data" / "participants" / f"{ident}.yml"
        data = yaml.safe_load(fiche.read_text(encoding="utf-8"))
        data.pop("titre", None)  # without organisation, the title would otherwise be made of the names
        data["masquer_noms"] = True
        fiche.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr
    assert (site / "donnees" / "repertoire-initiatives.ods").is_file() and (site / "sitemap.xml.gz").is_file()
    assert leaks(site, [name for names in HIDDEN.values() for name in names]) == []
    fiche = (site / "participants" / "professionnelle-de-la-formation" / "index.html").read_text(encoding="utf-8")
    assert "<title>Participant à titre individuel" in fiche


def problems_of_fiche(tmp_path, fiche: str) -> list[str]:
    """The check's messages for the minimal data plus one fiche, written after its id and date."""
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", data)
    (data / "participants" / "x.yml").write_text('id: x\nmise_a_jour: "2021-03-16"\n' + fiche, encoding="utf-8")
    return [str(p) for p in pipeline.check(data).problems]


def test_a_hidden_name_left_in_a_text_is_an_error(tmp_path):
    fiche = "masquer_noms: true\npersonnes:\n  - nom: Jeanne Durand\nactions:\n  - Animation du réseau\n  - Écrire à jeanne.durand@exemple.fr\n"
    assert problems_of_fiche(tmp_path, fiche) == [
        "data/participants/x.yml:8:5: actions[1]: le nom « Jeanne Durand » apparaît ici alors que « masquer_noms » vaut true"
        " — retirez le nom de ce champ, ou affichez les noms avec « masquer_noms: false »"
    ]


def test_a_hidden_name_left_as_the_workshop_wrote_it_is_an_error(tmp_path):
    fiche = "masquer_noms: true\npersonnes:\n  - nom: Jeanne Durand\n    nom_source: J. DURAND\nactions:\n  - Écrire à J. Durand, à l'accueil\n"
    assert [p.split(" — ")[0] for p in problems_of_fiche(tmp_path, fiche)] == ["data/participants/x.yml:8:5: actions[0]: le nom « J. DURAND » apparaît ici alors que « masquer_noms » vaut true"]


def fiche_problems(tmp_path, hidden: str, text: str) -> list[str]:
    return [p.split(" — ")[0] for p in problems_of_fiche(tmp_path, f"masquer_noms: {hidden}\npersonnes:\n  - nom: Céline Dallet\nressources:\n  - {text}\n")]


def test_a_text_citing_a_person_of_its_fiche_is_a_warning_since_the_open_data_names_nobody(tmp_path):
    assert fiche_problems(tmp_path, "false", "Cécile Dallet a travaillé dans l'ESS.") == [
        "data/participants/x.yml:7:5: avertissement: ressources[0]: ce texte cite « Dallet », nom d'une personne de la fiche,"
        " que les données ouvertes publieraient alors qu'elles ne donnent aucun nom"
    ]
    assert fiche_problems(tmp_path / "2", "false", "Un ballet d'acteurs dans l'ESS.") == []


def test_a_hidden_name_cited_by_its_surname_alone_is_an_error(tmp_path):
    assert fiche_problems(tmp_path, "true", "Mme Dallet a travaillé dans l'ESS.") == [
        "data/participants/x.yml:7:5: ressources[0]: le nom « Dallet » apparaît ici alors que « masquer_noms » vaut true"
    ]


HIDDEN_SURNAME = "le nom « {} » apparaît ici alors que « masquer_noms » vaut true"


@pytest.mark.parametrize(("hidden", "field", "told"), [
    ("true", "titre: Mme LOUIS, professionnelle de la formation", "titre: " + HIDDEN_SURNAME.format("LOUIS")),
    ("true", "liens:\n  - participant: x\n    motif: Mme Louis connaît le Grand Dax", "liens[0].motif: " + HIDDEN_SURNAME.format("Louis")),
    ("false", "titre: Mme LOUIS, professionnelle de la formation", "avertissement: titre: ce texte cite « LOUIS », nom d'une personne de la fiche, que les données ouvertes publieraient alors qu'elles ne donnent aucun nom"),
])
def test_a_surname_alone_in_the_title_or_a_link_is_found_as_in_a_text(tmp_path, hidden, field, told):
    found = problems_of_fiche(tmp_path, f"masquer_noms: {hidden}\npersonnes:\n  - nom: Annie Louis\n{field}\n")
    assert [p.split(": ", 1)[1].split(" — ")[0] for p in found if "Louis" in p or "LOUIS" in p] == [told]


def test_a_hyphenated_name_in_a_text_or_an_accented_name_in_the_identifier_is_found(tmp_path):
    found = problems_of_fiche(tmp_path, "personnes:\n  - nom: Marie Durand-Petit\nactions:\n  - Marie Durand-Petit anime le réseau\n")
    assert [p.split(": ", 2)[1] for p in found] == ["avertissement"]
    data = tmp_path / "data"
    (data / "participants" / "x.yml").unlink()
    (data / "participants" / "helene-dupre.yml").write_text('id: helene-dupre\nmise_a_jour: "2021-03-16"\npersonnes:\n  - nom: Hélène Dupré\n', encoding="utf-8")
    assert [str(p).split(" — ")[0] for p in pipeline.check(data).problems] == [
        "data/participants/helene-dupre.yml:1:5: avertissement: id: cet identifiant reprend « Hélène Dupré », nom d'une personne de la fiche,"
        " que l'adresse de la page et les données ouvertes publieraient alors qu'elles ne donnent aucun nom"
    ]


def test_a_surname_that_names_the_organisation_place_is_not_taken_for_the_person(tmp_path):
    fiche = "masquer_noms: true\npersonnes:\n  - nom: Paul Vienne\norganisation:\n  nom: Mission locale de Vienne\n  type: association\n"
    assert problems_of_fiche(tmp_path, fiche) == []


def test_the_page_of_a_fiche_with_hidden_names_does_not_lead_to_its_file(site):
    """The file names the persons: the pencil that opens a page's source on the forge is left out."""
    hidden = (site / "participants" / "professionnelle-de-la-formation" / "index.html").read_text(encoding="utf-8")
    shown = (site / "participants" / "cc-val-de-gatine" / "index.html").read_text(encoding="utf-8")
    assert 'rel="edit"' in shown and 'rel="edit"' not in hidden and "professionnelle-de-la-formation.yml" not in hidden


def test_a_surname_that_is_part_of_a_place_name_is_not_taken_for_the_person(tmp_path):
    fiche = "masquer_noms: true\npersonnes:\n  - nom: Paul Laurent\norganisation:\n  nom: Commune de Saint-Laurent\n  type: commune\nactions:\n  - Animer le bourg de Saint-Laurent\n"
    assert problems_of_fiche(tmp_path, fiche) == []


def test_an_identifier_made_of_a_person_name_is_a_warning_since_it_is_published_in_the_page_address(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", data)
    (data / "participants" / "jeanne-durand.yml").write_text('id: jeanne-durand\nmise_a_jour: "2021-03-16"\npersonnes:\n  - nom: Jeanne Durand\n', encoding="utf-8")
    assert [str(p) for p in pipeline.check(data).problems] == [
        "data/participants/jeanne-durand.yml:1:5: avertissement: id: cet identifiant reprend « Jeanne Durand », nom d'une personne de la fiche,"
        " que l'adresse de la page et les données ouvertes publieraient alors qu'elles ne donnent aucun nom"
        " — choisissez un identifiant tiré de l'organisation ou du territoire, et renommez le fichier de même"
    ]
