"""Freshness: a fiche not confirmed for longer than `fraicheur_mois` gets a warning, never an error."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import PROJECT, build

from repertoire import pipeline, problems
from repertoire.render import Renderer, plan_pages
from repertoire.problems import Severity



@pytest.fixture
def data(minimal_data) -> Path:
    """The minimal data with a 24-month freshness: « region » confirmed on 2024-01-05, « cc-bazadais » on 2026-01-01."""
    folder = minimal_data
    replace(folder / "publication.yml", "fraicheur_mois: 1200", "fraicheur_mois: 24")
    replace(folder / "participants" / "cc-bazadais.yml", '"2021-03-16"', '"2026-01-01"')
    return folder


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def stale(data: Path, today: date) -> list[str]:
    return [str(p) for p in pipeline.check(data, today=today).problems if p.code == "fiche-ancienne"]


def test_fiche_older_than_the_setting_gets_a_located_french_warning(data):
    checked = pipeline.check(data, today=date(2026, 1, 6))
    assert checked.ok
    warnings = [p for p in checked.problems if p.code == "fiche-ancienne"]
    assert [p.severity for p in warnings] == [Severity.WARNING]
    line = next(i for i, text in enumerate((data / "participants" / "region.yml").read_text(encoding="utf-8").splitlines(), 1) if text.startswith("mise_a_jour"))
    assert str(warnings[0]) == (
        f"data/participants/region.yml:{line}:14: avertissement: mise_a_jour: la fiche n'a pas été confirmée depuis le 5 janvier 2024, "
        "il y a plus de 24 mois — relisez-la avec le participant, puis mettez « mise_a_jour » à la date du jour"
    )


def test_errors_are_listed_before_the_warnings_of_other_fiches(data):
    """« region » (a warning) comes before « x » in the folder; the error of « x » is listed first."""
    (data / "participants" / "x.yml").write_text('id: x\nmise_a_jour: "2026-01-01"\nthematiques: [inconnue]\n', encoding="utf-8")
    report = problems.report(pipeline.check(data, today=date(2026, 1, 6)).problems).splitlines()
    assert [line.split(":")[0] for line in report[:-1]] == ["data/participants/x.yml", "data/participants/region.yml"]
    assert report[-1] == "1 erreur et 1 avertissement dans 2 fichiers."


def test_a_contributor_s_own_warning_comes_before_the_reminders_of_fiches_nobody_touched(data):
    """GitHub shows the first ten warnings of a check: « x », after « region » in the folder, comes first."""
    (data / "participants" / "x.yml").write_text('id: x\nmise_a_jour: "2026-01-01"\nbesoins: [appeler le 06 12 34 56 78]\n', encoding="utf-8")
    report = problems.report(pipeline.check(data, today=date(2026, 1, 6)).problems).splitlines()
    assert [line.split(": ")[2] for line in report[:-1]] == ["besoins[0]", "mise_a_jour"]
    assert [line.split(":")[0] for line in report[:-1]] == ["data/participants/x.yml", "data/participants/region.yml"]


def test_the_page_of_an_unconfirmed_fiche_tells_readers_that_it_may_be_out_of_date(data):
    checked = pipeline.check(data, today=date(2026, 1, 6))
    renderer = Renderer(checked.index, unconfirmed=checked.unconfirmed)
    pages = {spec.key: renderer.render(spec).html for spec in plan_pages(checked.index) if spec.template == "participant.html.j2"}
    notice = "<strong>Elle n’a pas été confirmée depuis plus de 24&nbsp;mois&#8239;: des informations ont pu changer.</strong>"
    assert notice in pages["region"]
    assert notice not in pages["cc-bazadais"]


def test_the_built_site_tells_readers_of_each_unconfirmed_fiche(site):
    """The build hands the check's list to the pages: every fiche of the workshop dates from March 2021."""
    page = (site / "participants" / "cc-bazadais" / "index.html").read_text(encoding="utf-8")
    assert "Elle n’a pas été confirmée depuis plus de 24&nbsp;mois&#8239;: des informations ont pu changer." in page


def test_fiche_exactly_at_the_limit_is_still_fresh(data):
    assert stale(data, date(2026, 1, 5)) == []


def test_the_limit_follows_the_setting(data):
    replace(data / "publication.yml", "fraicheur_mois: 24", "fraicheur_mois: 36")
    assert stale(data, date(2026, 1, 6)) == []
    assert len(stale(data, date(2027, 1, 6))) == 1


def test_month_end_dates_compare_with_the_last_day_of_the_shorter_month(data):
    replace(data / "participants" / "region.yml", '"2024-01-05"', '"2023-12-31"')
    replace(data / "publication.yml", "fraicheur_mois: 24", "fraicheur_mois: 2")
    assert stale(data, date(2024, 2, 29)) == []
    assert len(stale(data, date(2024, 3, 1))) == 1


def test_warnings_never_fail_the_command_line(data):
    replace(data / "participants" / "region.yml", '"2024-01-05"', '"2001-01-05"')
    result = subprocess.run([sys.executable, "-m", "repertoire", "verifier", str(data)], capture_output=True, text=True, cwd=PROJECT)
    assert result.returncode == 0
    assert "avertissement: mise_a_jour: la fiche n'a pas été confirmée depuis le 5 janvier 2001" in result.stdout
    assert result.stdout.strip().endswith("1 avertissement dans 1 fichier.")


def test_a_fiche_confirmed_tomorrow_in_utc_is_accepted_a_later_date_is_not(data):
    """A contributor in France may date a fiche of a day that has not begun yet in UTC, where the check runs."""
    replace(data / "participants" / "cc-bazadais.yml", '"2026-01-01"', '"2026-01-07"')
    assert pipeline.check(data, today=date(2026, 1, 6)).ok
    checked = pipeline.check(data, today=date(2026, 1, 5))
    assert [p.code for p in checked.problems if p.file.endswith("cc-bazadais.yml")] == ["valeur-invalide"]
    assert "cc-bazadais" not in checked.unconfirmed  # dated ahead is an error, not « not confirmed »


def test_the_build_reports_each_unconfirmed_fiche_as_the_readme_says(tmp_path):
    result = build(PROJECT, tmp_path / "site")
    assert result.returncode == 0
    reminders = [line for line in result.stderr.splitlines() if "n'a pas été confirmée depuis le 16 mars 2021" in line]
    assert len(reminders) == 22 and "data/participants/cc-bazadais.yml:" in "\n".join(reminders)
