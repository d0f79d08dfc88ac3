"""Editors' help: every data file names its JSON Schema on its first line, and the site publishes the schemas.

Editors that read ``# yaml-language-server: $schema=…`` (VS Code with the YAML extension, JetBrains, Neovim…)
complete the keys and flag mistakes as you type, with the same schema as the build.
"""

from __future__ import annotations

import re

import pytest
from conftest import PROJECT

DATA = PROJECT / "data"
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
DATA_FILES = sorted(DATA.rglob("*.yml"))


def expected_schema(path) -> str:
    return "participant" if path.parent.name == "participants" else path.stem


def test_there_are_data_files_to_check():
    assert len([p for p in DATA_FILES if p.parent.name == "participants"]) >= 22
    assert {p.stem for p in DATA_FILES if p.parent == DATA} >= {"territoires", "dispositifs", "thematiques", "glossaire", "ateliers", "publication"}


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(DATA).as_posix())
def test_first_line_names_the_schema_of_the_file_and_it_exists(path):
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    match = SCHEMA_LINE.match(first_line)
    assert match, f"{path.relative_to(PROJECT)}: first line is {first_line!r}"
    schema = (path.parent / match.group(1)).resolve()
    assert schema.is_file(), f"{path.relative_to(PROJECT)}: {match.group(1)} does not exist"
    assert schema == (DATA / "schemas" / f"{expected_schema(path)}.schema.json").resolve()


def test_the_site_publishes_every_schema_as_the_build_reads_it(site):
    for schema in (DATA / "schemas").glob("*.schema.json"):
        assert (site / "schemas" / schema.name).read_bytes() == schema.read_bytes()
