"""``python -m repertoire nouvelle-fiche``: a few answers in French give a new fiche the build accepts."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT, PROPOSED_IDENTIFIERS

from repertoire import pipeline
from repertoire.cli import main

SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/participant.schema.json"


@pytest.fixture
def data(minimal_data) -> Path:
    return minimal_data


def run(data: Path, *options: str, answers: str | None = None, monkeypatch=None) -> int:
    if answers is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    return main(["nouvelle-fiche", "--donnees", str(data), *options])


def assert_valid(data: Path) -> None:
    checked = pipeline.check(data)
    assert checked.ok and checked.problems == [], [str(p) for p in checked.problems]


def test_options_alone_write_a_valid_fiche_in_the_project_format(data, capsys):
    status = run(data, "--id", "mission-locale-landes", "--organisation", "Mission locale des Landes", "--type", "association",
                 "--territoire", "nouvelle-aquitaine", "--personne", "Jeanne Dupont", "--date", "2026-01-15", "--non-interactif")
    assert status == 0
    assert capsys.readouterr().out == "Fiche créée : data/participants/mission-locale-landes.yml. Complétez-la, puis vérifiez-la avec « .venv/bin/python -m repertoire verifier ».\n"
    text = (data / "participants" / "mission-locale-landes.yml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == SCHEMA_LINE and lines[1].startswith("# Nouvelle fiche")
    assert lines[2:] == [
        "id: mission-locale-landes",
        "personnes:",
        "  - nom: Jeanne Dupont",
        "organisation:",
        "  nom: Mission locale des Landes",
        "  type: association",
        "territoires:",
        "  - nouvelle-aquitaine",
        "mise_a_jour: '2026-01-15'",
    ]
    assert_valid(data)


def test_questions_in_french_ask_again_after_a_wrong_answer(data, capsys, monkeypatch):
    answers = "PLIE du Béarn\n99\n8\n\nnouvelle-aquitain\nnouvelle-aquitaine\n\n"
    assert run(data, "--date", "2026-01-15", answers=answers, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert "Nom de l'organisation (laissez vide pour un participant à titre individuel) : " in out
    assert "   8. Plan local pour l'insertion et l'emploi (PLIE) (plie)" in out
    assert "organisation.type: « 99 » n'est pas une valeur possible" in out
    assert "Identifiant de la fiche (minuscules sans accent, chiffres, tirets) [plie-du-bearn] : " in out
    assert "territoires[0]: « nouvelle-aquitain » n'est pas un territoire connu — vouliez-vous dire « nouvelle-aquitaine » ?" in out
    text = (data / "participants" / "plie-du-bearn.yml").read_text(encoding="utf-8")
    assert "  type: plie\n" in text and "  - nouvelle-aquitaine\n" in text and "personnes" not in text
    assert_valid(data)


def test_an_existing_file_is_never_overwritten(data, capsys):
    before = (data / "participants" / "region.yml").read_bytes()
    status = run(data, "--id", "region", "--organisation", "Autre", "--type", "region", "--non-interactif")
    assert status == 1
    err = capsys.readouterr().err
    assert "id: le fichier data/participants/region.yml existe déjà — choisissez un autre identifiant, ou modifiez ce fichier" in err
    assert "Aucune fiche écrite." in err
    assert (data / "participants" / "region.yml").read_bytes() == before


def test_a_wrong_option_writes_nothing_and_says_what_to_do(data, capsys):
    status = run(data, "--id", "Mission Landes", "--organisation", "Mission locale", "--type", "association", "--non-interactif")
    assert status == 1
    assert "id: « Mission Landes » n'a pas la forme attendue — Identifiant : lettres minuscules sans accent" in capsys.readouterr().err
    assert sorted(p.name for p in (data / "participants").iterdir()) == ["cc-bazadais.yml", "region.yml"]


def test_a_territory_written_with_a_capital_gets_one_message_that_names_the_right_one(data, capsys):
    status = run(data, "--id", "mission-landes", "--organisation", "Mission locale", "--type", "association", "--territoire", "Bazadais", "--non-interactif")
    assert status == 1
    assert capsys.readouterr().err.splitlines()[:-1] == ["territoires[0]: « Bazadais » n'est pas un territoire connu — vouliez-vous dire « cc-bazadais » ?"]


def test_closed_input_writes_nothing(data, capsys, monkeypatch):
    assert run(data, answers="Mission locale\n", monkeypatch=monkeypatch) == 2
    assert "Saisie interrompue : aucune fiche écrite." in capsys.readouterr().err
    assert sorted(p.name for p in (data / "participants").iterdir()) == ["cc-bazadais.yml", "region.yml"]


def test_the_command_runs_as_a_module(data):
    result = subprocess.run([sys.executable, "-m", "repertoire", "nouvelle-fiche", "--donnees", str(data), "--id", "citoyen",
                             "--non-interactif"], capture_output=True, text=True, cwd=PROJECT)
    assert result.returncode == 0, result.stderr
    assert (data / "participants" / "citoyen.yml").is_file()
    assert_valid(data)


def test_ctrl_c_writes_nothing_and_says_so_in_french(data, capsys, monkeypatch):
    def stopped(prompt):
        raise KeyboardInterrupt

    monkeypatch.setattr("builtins.input", stopped)
    assert main(["nouvelle-fiche", "--donnees", str(data)]) == 2
    assert capsys.readouterr().err == "\nSaisie interrompue : aucune fiche écrite.\n"
    assert sorted(p.name for p in (data / "participants").iterdir()) == ["cc-bazadais.yml", "region.yml"]


def test_a_wrong_name_is_asked_again_where_it_was_typed(data, capsys, monkeypatch):
    answers = "Asso <Emploi>\nAsso Emploi\n1\n\n\nJeanne <b>\nJeanne Dupont\n"
    assert run(data, "--date", "2026-01-15", answers=answers, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert out.count("Nom de l'organisation (laissez vide pour un participant à titre individuel) : ") == 2
    assert "organisation.nom: « Asso <Emploi> » n'a pas la forme attendue — Texte d'une ligne, sans chevrons < >" in out
    assert out.count("Nom de la personne qui représente le participant (facultatif) : ") == 2
    text = (data / "participants" / "asso-emploi.yml").read_text(encoding="utf-8")
    assert "  nom: Asso Emploi\n" in text and "  - nom: Jeanne Dupont\n" in text
    assert_valid(data)


@pytest.mark.parametrize(("name", "identifier"), PROPOSED_IDENTIFIERS)
def test_the_identifier_proposed_from_the_organisation_name_is_one_the_check_accepts(data, capsys, monkeypatch, name, identifier):
    assert run(data, "--date", "2026-01-15", answers=f"{name}\n1\n\n\n\n", monkeypatch=monkeypatch) == 0
    assert f"tirets) [{identifier}] : " in capsys.readouterr().out
    assert (data / "participants" / f"{identifier}.yml").is_file()
    assert_valid(data)


def test_an_answer_from_a_terminal_that_is_not_in_utf8_is_asked_again(data, capsys, monkeypatch):
    assert run(data, "--date", "2026-01-15", answers="Cr\udce8che du Val\nCrèche du Val\n1\n\n\n\n", monkeypatch=monkeypatch) == 0
    assert "réponse illisible : le terminal n'envoie pas ses caractères en UTF-8" in capsys.readouterr().out
    assert "  nom: Crèche du Val\n" in (data / "participants" / "creche-du-val.yml").read_text(encoding="utf-8")


def test_a_date_in_the_future_is_refused_as_the_check_would(data, capsys):
    status = run(data, "--id", "mission-landes", "--date", "2099-01-01", "--non-interactif")
    assert status == 1
    assert "mise_a_jour: la date « 2099-01-01 » est dans le futur" in capsys.readouterr().err
    assert not (data / "participants" / "mission-landes.yml").exists()


def test_a_stray_yaml_file_does_not_stop_the_questions(data, capsys, monkeypatch):
    (data / "participant").mkdir()
    (data / "participant" / "brouillon.yml").write_text("id: brouillon\n", encoding="utf-8")
    assert run(data, "--date", "2026-01-15", answers="Asso Emploi\n1\n\n\n\n", monkeypatch=monkeypatch) == 0
    assert (data / "participants" / "asso-emploi.yml").exists()


def test_a_faulty_reference_file_is_named_before_any_question(data, capsys, monkeypatch):
    territories = data / "territoires.yml"
    territories.write_text(territories.read_text(encoding="utf-8").replace('code_insee: "33"', "code_insee: 33"), encoding="utf-8")
    assert run(data, answers="Mission locale\n", monkeypatch=monkeypatch) == 1
    captured = capsys.readouterr()
    assert "Nom de l'organisation" not in captured.out
    assert "data/territoires.yml:9:15: [1].code_insee: attendu un texte, reçu un nombre (33)" in captured.out
    assert "Corrigez d'abord ces fichiers de référence" in captured.err
