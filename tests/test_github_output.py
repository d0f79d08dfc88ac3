"""``verifier --format github``: each problem annotates its line in the pull request, with a French summary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT



@pytest.fixture
def data(minimal_data) -> Path:
    return minimal_data


def verifier(data: Path, summary: Path | None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_STEP_SUMMARY"}
    if summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    return subprocess.run([sys.executable, "-m", "repertoire", "verifier", str(data), "--format", "github"],
                          capture_output=True, text=True, cwd=PROJECT, env=env)


def test_error_becomes_an_annotation_of_its_line_and_a_row_of_the_summary(data, tmp_path):
    (data / "participants" / "x.yml").write_text('id: x\nmise_a_jour: "2021-03-16"\nthematiques:\n  - ess\n  - recrutemnt\n', encoding="utf-8")
    summary = tmp_path / "resume.md"
    summary.write_text("## Étape précédente\n", encoding="utf-8")
    result = verifier(data, summary)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=data/participants/x.yml,line=5,col=5,title=Champ thematiques[1]::« recrutemnt » n'est pas une thématique connue — vouliez-vous dire « recrutement » ?",
        "1 erreur dans 1 fichier.",
    ]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Étape précédente\n## Vérification des données du répertoire\n")
    assert "1 erreur dans 1 fichier." in text and "Corrigez chaque erreur à l'endroit indiqué" in text
    assert "| erreur | `data/participants/x.yml:5:5` | thematiques[1] | « recrutemnt » n'est pas une thématique connue | vouliez-vous dire « recrutement » ? |" in text


def test_warning_is_a_warning_annotation_and_never_fails(data, tmp_path):
    (data / "participants" / "region.yml").write_bytes(b"\xef\xbb\xbf" + (data / "participants" / "region.yml").read_bytes())
    result = verifier(data, None)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith("::warning file=data/participants/region.yml,line=1,col=1,title=Fichier::le fichier commence par une marque")


def test_commas_colons_and_line_breaks_cannot_break_the_command(data):
    (data / "participants" / "a,b.yml").write_text("id: a\n", encoding="utf-8")
    (data / "participants" / "y.yml").write_text('id: y\nmise_a_jour: "2021-03-16"\n"cle\\nbizarre": 1\n', encoding="utf-8")
    lines = verifier(data, None).stdout.splitlines()
    assert lines[0].startswith("::error file=data/participants/a%2Cb.yml,title=Fichier::« a,b.yml » n'est pas un nom de fiche valide")
    assert lines[1].startswith("::error file=data/participants/y.yml,line=3,col=1,title=Champ cle%0Abizarre::le champ « cle%0Abizarre » n'existe pas")
    assert len(lines) == 3 and lines[2] == "2 erreurs dans 2 fichiers."


def test_summary_cells_keep_contributor_text_inert(data, tmp_path):
    (data / "participants" / "z.yml").write_text('id: z\nmise_a_jour: "2021-03-16"\ntitre: "a | <b>"\n', encoding="utf-8")
    summary = tmp_path / "resume.md"
    verifier(data, summary)
    row = next(line for line in summary.read_text(encoding="utf-8").splitlines() if "z.yml" in line)
    assert "« a \\| &lt;b&gt; »" in row and row.count(" | ") == 4
