"""Reading and checking each participant file on its own, spread over the processor's cores.

In: the participant files, as (path, name in messages).
Out: for each file, in the same order, what `load.read_file` gives — its `Document` and its reading
problems — with the document's own checks (`validate.check_fiche`: schema, characters) already run
and kept in `Document.checked`, every problem located.

A fiche needs nothing from the others to be parsed and checked, and the YAML parser alone costs about
0.4 ms a fiche: above `PARALLEL_FROM` files they are shared among worker processes. A document comes
back without its syntax tree (costly to send between processes); the few problems found later, between
files, are located from the positions of its top-level fields, kept while parsing, or else by parsing
that one file again.

Worker processes run without Python's cycle collector, as `repertoire.pipeline.check` does.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .load import Document, locate, read_file
from .problems import Problem
from .validate import check_fiche

PARALLEL_FROM = 400
"""Below this many files, starting worker processes costs more than it saves."""


def read_and_check(file: tuple[Path, str]) -> tuple[Document | None, list[Problem]]:
    """Read one fiche and run the checks that need it alone."""
    document, problems = read_file(*file)
    if document is None:
        return None, problems
    document.checked = locate(check_fiche(document), {document.file: document})
    document.root = None
    return document, problems


def read_fiches(files: list[tuple[Path, str]]) -> list[tuple[Document | None, list[Problem]]]:
    """`read_and_check` every file, on every core when there are many; results in the order of `files`."""
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if len(files) < PARALLEL_FROM or workers < 2:
        return [read_and_check(file) for file in files]
    # Forking copies the loaded modules for free, but is only safe on Linux with no other thread (`mkdocs serve` has some).
    context = multiprocessing.get_context("fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=gc.disable) as pool:
        return list(pool.map(read_and_check, files, chunksize=max(1, len(files) // (workers * 8))))
