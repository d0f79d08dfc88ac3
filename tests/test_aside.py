"""Work done aside: on a large directory, matching and the spreadsheet are computed by a forked child on the
second core while the build goes on; the pages and files are the same as when computed in the build's process.

Each check runs in a fresh Python process, as `mkdocs build` does: the test runner has threads of its own,
and `aside.Aside` never forks a process that has other threads."""

from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT

PRELUDE = """
import multiprocessing, sys, threading
from pathlib import Path
from functools import partial
from repertoire import aside, matching, pipeline
aside.ASIDE_FROM = 1
index = pipeline.check(Path(sys.argv[1])).index
fiches = len(index.participants)
"""


def _run(script: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PRELUDE + script, str(PROJECT / "data")], capture_output=True, text=True, cwd=PROJECT, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_matching_made_by_a_child_is_the_same_as_in_the_process():
    assert _run("""
made = aside.Aside(partial(matching.match, index), fiches)
print(made.child_pid is not None, made.result() == matching.match(index))
""") == ["True", "True"]


def test_nothing_is_forked_while_another_thread_runs():
    """`mkdocs serve` watches files with threads: the work is then done at once, in the process."""
    assert _run("""
stop = threading.Event()
threading.Thread(target=stop.wait).start()
made = aside.Aside(partial(matching.match, index), fiches)
print(made.child_pid is None, len(multiprocessing.active_children()), made.result() == matching.match(index))
stop.set()
""") == ["True", "0", "True"]


def test_work_asked_in_a_thread_goes_on_while_the_build_does_when_nothing_is_forked():
    """Pagefind's indexing mostly waits for the Pagefind program: in `mkdocs serve` it runs beside the build."""
    assert _run("""
stop = threading.Event()
threading.Thread(target=stop.wait).start()
released = threading.Event()  # set once Aside has returned: work run before returning would wait in vain
made = aside.Aside(lambda: "fini" if released.wait(30) else "attendu en vain", fiches, in_thread=True)
released.set()
print(made.child_pid is None, made.result(), len(multiprocessing.active_children()))
failing = aside.Aside(lambda: 1 / 0, fiches, in_thread=True)
try:
    failing.result()
except ZeroDivisionError:
    print("raised")
stop.set()
""") == ["True", "fini", "0", "raised"]


def test_a_small_directory_is_not_worth_a_process():
    assert _run("""
aside.ASIDE_FROM = fiches + 1
print(aside.Aside(partial(matching.match, index), fiches).child_pid is None)
""") == ["True"]


def test_an_error_in_the_child_is_raised_where_the_result_is_awaited():
    assert _run("""
def failing():
    raise ValueError(f"{fiches} fiches")
made = aside.Aside(failing, fiches)
try:
    made.result()
except ValueError as error:
    print(made.child_pid is not None, str(error) == f"{fiches} fiches")
""") == ["True", "True"]


def test_a_child_that_dies_without_answering_is_reported():
    assert _run("""
import os
def dying():
    os._exit(3)
try:
    aside.Aside(dying, fiches).result()
except ChildProcessError as error:
    print("(code 3)" in str(error))
""") == ["True"]
