"""CONTRIBUTING.md cannot drift from the data format: it documents every field of the schema and nothing
else, the same required fields, every type of structure with its label, every rule code, and its model
fiche passes the check."""

from __future__ import annotations

import re
import shutil
from datetime import date

from conftest import PROJECT

from repertoire import pipeline
from repertoire.problems import RULES
from repertoire.validate import load_schema

GUIDE = (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")
SCHEMA = load_schema("participant")


def table_rows(heading: str) -> list[list[str]]:
    """Cells of the first table after `heading`, header row excluded."""
    section = GUIDE[GUIDE.index(heading):]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif rows:
            break
    return rows[2:]


def code_of(cell: str) -> str:
    match = re.fullmatch(r"`([^`]+)`", cell)
    assert match, cell
    return match.group(1)


def schema_fields(node: dict, prefix: str = "") -> dict[str, bool]:
    """Every field path (``personnes[].nom``) → whether it is required where it stands."""
    fields = {}
    for name, child in node.get("properties", {}).items():
        path = prefix + name
        fields[path] = name in node.get("required", [])
        if child.get("type") == "object":
            fields |= schema_fields(child, path + ".")
        elif child.get("type") == "array" and "properties" in child.get("items", {}):
            fields |= schema_fields(child["items"], path + "[].")
    return fields


def test_every_field_of_the_schema_is_documented_and_no_other():
    documented = [code_of(row[0]) for row in table_rows("## Les champs d’une fiche")]
    assert documented == list(schema_fields(SCHEMA))


def test_required_fields_are_those_of_the_schema():
    documented = {code_of(row[0]): row[1].startswith("oui") for row in table_rows("## Les champs d’une fiche")}
    assert documented == schema_fields(SCHEMA)


def test_every_type_of_structure_is_documented_with_its_label():
    labels = SCHEMA["properties"]["organisation"]["properties"]["type"]["x-libelles"]
    assert {code_of(row[0]): row[1] for row in table_rows("### Types de structure")} == labels


def test_every_rule_code_is_explained():
    assert [code_of(row[-1]) for row in table_rows("## Quand la vérification signale un problème")] == list(RULES)


def test_the_model_fiche_passes_the_check(tmp_path):
    model = re.search(r"## Modèle de fiche\n\n```yaml\n(.*?)```", GUIDE, re.S).group(1)
    ident = re.search(r"^id: (\S+)$", model, re.M).group(1)
    data = tmp_path / "data"
    shutil.copytree(PROJECT / "data", data)
    (data / "participants" / f"{ident}.yml").write_text(model, encoding="utf-8")
    checked = pipeline.check(data, today=date(2026, 2, 1))
    assert checked.ok
    assert [str(p) for p in checked.problems if p.file == f"data/participants/{ident}.yml"] == []
    assert model.startswith("# yaml-language-server: $schema=../schemas/participant.schema.json\n")
