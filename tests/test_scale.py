"""At national scale the directory stays linear: twice the fiches, twice the work, never more.

Work is counted, not timed: lines of Python run in the package and in the compiled templates, over
synthetic directories (`bench.generate`) of N, 2N and 3N fiches. Each stage also does a fixed amount
of work (régions, départements, dispositifs…), so the test compares what each N more fiches add: the
same amount when the work is linear, 5/3 as much from 2N to 3N as from N to 2N when it is quadratic.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import generate
from repertoire import pipeline
from repertoire.fiches import PARALLEL_FROM
from repertoire.index import build_index
from repertoire.load import load_sources
from repertoire.problems import errors, sort_key
from repertoire.render import LIST_PAGE_SIZE, Renderer, plan_pages
from repertoire.validate import validate

SIZES = (100, 200, 300)
FICHE_LINK = re.compile(r'<li><a href="(?:\.\./)*participants/([a-z0-9-]+)/"')
PACKAGE = str(Path(__file__).resolve().parents[1] / "repertoire")


def lines_run(work: Callable[[], object], templates: Path) -> tuple[int, object]:
    """How many lines of the package and of the templates `work()` runs, and what it returns."""
    count = 0
    watched = (PACKAGE, str(templates))

    def tracer(frame, event, arg):
        nonlocal count
        if not frame.f_code.co_filename.startswith(watched):
            return None
        count += event == "line"
        return tracer

    sys.settrace(tracer)
    try:
        result = work()
    finally:
        sys.settrace(None)
    return count, result


def measure(project: Path) -> dict:
    """Lines run by each stage on `project`, and its rendered pages."""
    templates = project / "templates"
    counts = {}
    counts["lecture"], sources = lines_run(lambda: load_sources(project / "data"), templates)
    counts["validation"], validated = lines_run(lambda: validate(sources), templates)
    assert not errors(validated.problems), validated.problems[:3]
    counts["index"], index = lines_run(lambda: build_index(validated.directory), templates)
    renderer = Renderer(index, templates)
    pages, fiche_lines = {}, []
    for spec in plan_pages(index):
        lines, rendered = lines_run(lambda: renderer.render(spec), templates)
        pages[spec.uri] = (spec, rendered.html)
        if spec.template == "participant.html.j2":
            fiche_lines.append(lines)
        counts["rendu"] = counts.get("rendu", 0) + lines
    counts["rendu d'une fiche"] = sum(fiche_lines) / len(fiche_lines)
    fiches = [html for spec, html in pages.values() if spec.template == "participant.html.j2"]
    return {"counts": counts, "pages": pages, "fiche_bytes": sum(map(len, fiches)) / len(fiches), "fiches": len(index.participants)}


@pytest.fixture(scope="module")
def measures(tmp_path_factory) -> dict[int, dict]:
    projects = {n: generate(n, seed=7, destination=tmp_path_factory.mktemp(f"n{n}")) for n in SIZES}
    measure(projects[SIZES[0]])  # fills the caches (compiled schemas, tables) that every later run reuses
    return {n: measure(project) for n, project in projects.items()}


@pytest.mark.parametrize("stage", ["lecture", "validation", "index", "rendu"])
def test_more_fiches_add_work_in_proportion(measures, stage):
    small, middle, large = (measures[n]["counts"][stage] for n in SIZES)
    assert middle / small <= 2.2, f"{stage} : {small} lignes pour {SIZES[0]} fiches, {middle} pour {SIZES[1]}"
    assert (large - middle) / (middle - small) <= 1.2, f"{stage} : {small}, {middle}, {large} lignes pour {SIZES} fiches"


def test_a_fiche_costs_the_same_whatever_the_size_of_the_directory(measures):
    small, large = measures[SIZES[0]], measures[SIZES[-1]]
    assert large["counts"]["rendu d'une fiche"] / small["counts"]["rendu d'une fiche"] <= 1.15
    assert large["fiche_bytes"] / small["fiche_bytes"] <= 1.15


def test_the_list_of_participants_is_cut_into_pages_that_together_link_every_fiche(measures):
    large = measures[SIZES[-1]]
    list_pages = [html for spec, html in large["pages"].values() if spec.template == "participants.html.j2"]
    assert len(list_pages) == -(-large["fiches"] // LIST_PAGE_SIZE) > 1
    linked = set()
    for html in list_pages:
        fiches = FICHE_LINK.findall(html)
        assert len(fiches) <= LIST_PAGE_SIZE
        linked |= set(fiches)
    fiche_ids = {spec.key for spec, _ in large["pages"].values() if spec.template == "participant.html.j2"}
    assert linked == fiche_ids


def test_fiches_checked_on_every_core_give_the_same_report_as_one_by_one(tmp_path):
    assert len(os.sched_getaffinity(0)) >= 2, "the check reads fiches in several processes only on two cores or more"
    project = generate(PARALLEL_FROM + 20, seed=3, destination=tmp_path / "projet")
    fiches = sorted((project / "data" / "participants").glob("*.yml"))
    broken = {
        fiches[5]: ("\ndispositifs:\n", "\ndispositifs:\n- plie-inconnu\n"),
        fiches[200]: ("\nmise_a_jour:", "\ncouleur: bleu\nmise_a_jour:"),
        fiches[-1]: ("\nthematiques:\n", "\nthematiques: [\n"),
    }
    for path, (old, new) in broken.items():
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    report = [str(p) for p in pipeline.check(project / "data").problems]
    one_by_one = [str(p) for p in sorted(validate(load_sources(project / "data")).problems, key=sort_key)]

    assert report == one_by_one
    refused = [line for line in report if ": avertissement: " not in line]  # synthetic fiches may be old
    assert [line.split(":")[0] for line in refused] == [f"data/participants/{path.name}" for path in sorted(broken)]
    assert all(line.split(":")[1].isdigit() and line.split(":")[1] != "0" for line in refused)
