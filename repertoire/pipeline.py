"""The stages chained: load → validate → index. Used by the command line and the MkDocs hook.

In: the `data/` folder.
Out: `Checked`: the directory when the data has no error (its index built on first use), every problem found,
and each fiche's data as its file says it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from .fiches import DocumentCache
from .index import Index, build_index
from .load import load_sources
from .problems import Problem, errors, sort_key
from .model import Directory
from .validate import validate


@dataclass
class Checked:
    directory: Directory | None
    """None when `problems` holds an error: nothing may be published from faulty data."""
    problems: list[Problem]
    as_written: dict[str, dict]
    """Each readable fiche's data as parsed from its file, before any checking, by file name (`Participant.file`)."""
    unconfirmed: frozenset[str] = frozenset()
    """Identifiers of the fiches past the freshness limit on the day of the check."""

    @property
    def ok(self) -> bool:
        return self.directory is not None

    @cached_property
    def index(self) -> Index | None:
        """The cross-references, built on first use: checking alone does not need them."""
        return build_index(self.directory) if self.directory is not None else None


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Documents are trees, freed without Python's cycle collector; each of its passes would walk every
    document read so far again, which took half the time of checking 10,000 fiches."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


CACHE_FILE = Path(".cache") / "repertoire" / "documents.marshal"
"""Where, in the project (the data folder's parent), the files read clean are kept between checks."""


def check(data_dir: Path, today: date | None = None) -> Checked:
    """Load and validate the data folder; `today` (défaut : the clock's date) judges freshness."""
    with _without_cycle_collector():
        cache = DocumentCache(data_dir.parent / CACHE_FILE)
        sources = load_sources(data_dir, cache.read_fiches, cache.read_reference)
        cache.save()
        validated = validate(sources, today)
    problems = sorted(validated.problems, key=sort_key)
    as_written = {document.file: document.data for document in sources.participants}
    if errors(problems):
        return Checked(None, problems, as_written)
    return Checked(validated.directory, problems, as_written, validated.unconfirmed)
