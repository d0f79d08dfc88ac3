"""Checking unchanged data again reads nothing again, and never hides a change (repertoire/fiches.py).

Files read clean are kept in the project's `.cache/repertoire/` by name and content; parses are
counted, not timed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from repertoire import fiches, load, pipeline


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Names of the files the YAML parser reads, in this process (under 400 fiches, no worker runs)."""
    seen: list[str] = []
    parse = load.parse

    def counted(content, file, *args):
        seen.append(file)
        return parse(content, file, *args)

    monkeypatch.setattr(load, "parse", counted)
    return seen


def check(project: Path) -> pipeline.Checked:
    return pipeline.check(project / "data")


def test_unchanged_data_is_checked_again_without_reading_any_file_again(project_copy, parses):
    first = check(project_copy)
    assert len(parses) == 22 + len(load.REFERENCE_FILES)
    parses.clear()
    second = check(project_copy)
    assert parses == []
    assert second.directory == first.directory
    assert [str(p) for p in second.problems] == [str(p) for p in first.problems]


def test_an_edited_fiche_is_read_again_and_its_new_fault_reported(project_copy, parses):
    fiche = project_copy / "data" / "participants" / "grand-dax.yml"
    check(project_copy)
    parses.clear()
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("type: intercommunalite", "type: intercommunalité"), encoding="utf-8")
    faulty = check(project_copy)
    assert parses == ["data/participants/grand-dax.yml"]
    assert not faulty.ok
    assert any(p.file == "data/participants/grand-dax.yml" and p.line == 7 and p.path == ("organisation", "type") for p in faulty.problems)

    fiche.write_text(fiche.read_text(encoding="utf-8").replace("type: intercommunalité", "type: intercommunalite").replace("Sandrine", "Sandra"), encoding="utf-8")
    fixed = check(project_copy)
    assert fixed.ok
    assert fixed.directory.participants["grand-dax"].persons[0].name == "Sandra Lassourelle"


def test_a_file_with_a_fault_is_always_read_again(project_copy, parses):
    fiche = project_copy / "data" / "participants" / "grand-dax.yml"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("id: grand-dax", "id: grand-dax\nid: grand-dax"), encoding="utf-8")
    check(project_copy)
    parses.clear()
    again = check(project_copy)
    assert parses == ["data/participants/grand-dax.yml"]
    assert any(p.code == "cle-en-double" for p in again.problems)


def test_an_edited_schema_has_every_file_read_again(project_copy, parses, monkeypatch, tmp_path):
    """A rule made stricter applies at once, even to fiches read clean before it."""
    schemas = tmp_path / "schemas"
    shutil.copytree(fiches.SCHEMAS_DIR, schemas)
    monkeypatch.setattr(fiches, "SCHEMAS_DIR", schemas)
    check(project_copy)
    parses.clear()
    check(project_copy)
    assert parses == []
    schema = schemas / "participant.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"maxLength": 300', '"maxLength": 299', 1), encoding="utf-8")
    check(project_copy)
    assert len(parses) == 22 + len(load.REFERENCE_FILES)


def test_a_damaged_cache_is_ignored(project_copy, parses):
    check(project_copy)
    (project_copy / pipeline.CACHE_FILE).write_bytes(b"\x00garbage")
    parses.clear()
    assert check(project_copy).ok
    assert len(parses) == 22 + len(load.REFERENCE_FILES)


def test_a_fiche_with_a_warning_is_not_read_again_and_its_warning_is_still_told(project_copy, parses):
    """At national scale, hundreds of fiches may carry a warning: reading them all again each time would cost."""
    first = [str(p) for p in check(project_copy).problems if p.code == "nom-dans-un-texte"]
    assert first == ["data/participants/cc-val-de-gatine.yml:41:5: avertissement: ressources[2]: ce texte cite « Dallet », nom d'une personne de la fiche,"
                     " que les données ouvertes publieraient alors qu'elles ne donnent aucun nom — remplacez le nom par la fonction de la personne, ou retirez-le"]
    parses.clear()
    assert [str(p) for p in check(project_copy).problems if p.code == "nom-dans-un-texte"] == first
    assert parses == []
