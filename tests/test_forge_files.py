"""The forge's files: workflows and issue forms follow GitHub's published schemas (SchemaStore's, vendored by
check-jsonschema, offline), and the workflows run what a contributor's pull request needs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT

from repertoire.load import parse
from repertoire.pipeline import CACHE_FILE

GITHUB = PROJECT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def steps(workflow: Path) -> list[dict]:
    document, problems = parse(workflow.read_bytes(), workflow.name)
    assert not problems
    return [step for job in document.data["jobs"].values() for step in job.get("steps", [])]


def test_the_forge_files_exist():
    assert [p.name for p in WORKFLOWS] == ["publication.yml", "verification.yml"]
    assert [p.name for p in ISSUE_FORMS] == ["1-nouvelle-initiative.yml", "2-correction.yml", "3-retrait.yml"]
    assert (GITHUB / "PULL_REQUEST_TEMPLATE.md").is_file()


@pytest.mark.parametrize(("schema", "files"), [
    ("vendor.github-workflows", WORKFLOWS),
    ("vendor.github-issue-forms", ISSUE_FORMS),
    ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
])
def test_files_follow_the_forge_schema(schema, files):
    result = check_jsonschema(schema, *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "casse.yml"
    broken.write_text((GITHUB / "workflows" / "verification.yml").read_text(encoding="utf-8").replace("runs-on:", "run-on:"), encoding="utf-8")
    result = check_jsonschema("vendor.github-workflows", broken)
    assert result.returncode == 1 and "casse.yml" in result.stdout


def test_pull_requests_are_checked_annotated_built_strictly_and_tested():
    workflow = GITHUB / "workflows" / "verification.yml"
    document, _ = parse(workflow.read_bytes(), workflow.name)
    assert list(document.data["on"]) == ["pull_request"]
    commands = [step.get("run", "") for step in steps(workflow)]
    assert any("python -m repertoire verifier --format github" in c for c in commands)
    assert any("mkdocs build --strict" in c for c in commands)
    assert any("scripts/test.sh" in c for c in commands)


def test_main_is_published_to_pages_with_official_actions_pinned_to_a_version():
    workflow = GITHUB / "workflows" / "publication.yml"
    document, _ = parse(workflow.read_bytes(), workflow.name)
    assert document.data["on"]["push"]["branches"] == ["main"]
    used = [step["uses"] for step in steps(workflow) if "uses" in step]
    assert {u.split("@")[0] for u in used} >= {"actions/upload-pages-artifact", "actions/deploy-pages"}
    for workflow in WORKFLOWS:
        for step in steps(workflow):
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+\.\d+\.\d+", step["uses"]), step["uses"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_each_check_starts_from_the_fiches_read_by_earlier_ones(workflow):
    """Checking unchanged fiches takes half the time of reading them all: the check's cache is kept between runs,
    restored before the data is checked."""
    names = [step.get("name") for step in steps(workflow)]
    cached = [step for step in steps(workflow) if step.get("uses", "").startswith("actions/cache@")]
    assert [step["with"]["path"] for step in cached] == [str(CACHE_FILE.parent)]
    assert names.index(cached[0]["name"]) < names.index("Vérifier les données")


def test_the_site_is_published_again_every_week_for_the_fiches_that_become_unconfirmed():
    """A fiche's page says when it passes the freshness limit: that depends on the day of the build, not on a change."""
    document, _ = parse((GITHUB / "workflows" / "publication.yml").read_bytes(), "publication.yml")
    assert document.data["on"]["schedule"] == [{"cron": "17 5 * * 1"}]
