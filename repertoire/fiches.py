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

`DocumentCache` keeps, between runs, the documents of files read without an error (a fiche with its
warnings), by name and content: a file unchanged since the last check is not parsed again (at 10,000 fiches, checking
unchanged data takes about a third of the time: 1.6 s instead of 6.1 s, bench/README.md).
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path

from .load import Document, locate, read_file
from .problems import Problem, Severity, errors
from .validate import SCHEMAS_DIR, check_fiche

PARALLEL_FROM = 400
"""Below this many files, starting worker processes costs more than it saves."""


def read_and_check(file: tuple[Path, str]) -> tuple[Document | None, list[Problem]]:
    """Read one fiche and run the checks that need it alone."""
    document, problems = read_file(*file)
    if document is None:
        return None, problems
    document.checked = locate(check_fiche(document, problems), {document.file: document})
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


def _code_version() -> bytes:
    """What checking a fiche depends on besides the fiche: this package's code, the schemas, the
    YAML parser and the schema compiler."""
    version = hashlib.blake2b(f"{sys.version}|{metadata.version('PyYAML')}|{metadata.version('fastjsonschema')}".encode())
    for path in sorted([*Path(__file__).parent.glob("*.py"), *SCHEMAS_DIR.glob("*.json")]):
        version.update(path.name.encode() + b"\0" + path.read_bytes())
    return version.digest()


class DocumentCache:
    """The documents of data files read without any error, kept in the file `path` between runs.

    A document is found again by its file's name and the hash of its content, and only while the
    code that read and checked it is unchanged; a fiche's warnings (a personal e-mail address…) are
    kept with it. A file with an error is always read again, so that every message comes from a
    fresh reading. `read_fiches` and `read_reference` are the readers of `load.load_sources`; `save`
    keeps what they read, and forgets the files gone.
    """

    def __init__(self, path: Path):
        self.path = path
        self._version = _code_version()
        self._kept = self._load()
        self._clean: dict[bytes, tuple] = {}

    def read_fiches(self, files: list[tuple[Path, str]]) -> list[tuple[Document | None, list[Problem]]]:
        """`read_fiches`, for the fiches not found in the cache."""
        keys = [self._key(name, path.read_bytes()) for path, name in files]
        missing = [index for index, key in enumerate(keys) if key not in self._kept]
        fresh = dict(zip(missing, read_fiches([files[index] for index in missing])))
        results = []
        for index, ((path, name), key) in enumerate(zip(files, keys)):
            results.append(self._found(key, path, name) if index not in fresh else self._remember(key, *fresh[index]))
        return results

    def read_reference(self, path: Path, file: str, limit: int) -> tuple[Document | None, list[Problem]]:
        """`load.read_file`, unless the cache has the document."""
        key = self._key(file, path.read_bytes())
        return self._found(key, path, file) if key in self._kept else self._remember(key, *read_file(path, file, limit))

    def save(self) -> None:
        if self._clean.keys() == self._kept.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            written = self.path.with_name(f"{self.path.name}.{os.getpid()}")
            written.write_bytes(marshal.dumps((self._version, self._clean)))
            written.replace(self.path)  # at once: another check may be reading it
        except OSError:
            pass  # a read-only checkout reads every file each time, nothing more

    @staticmethod
    def _key(name: str, content: bytes) -> bytes:
        return hashlib.blake2b(name.encode() + b"\0" + content).digest()

    def _found(self, key: bytes, path: Path, name: str) -> tuple[Document, list[Problem]]:
        data, top_level, warnings = self._clean[key] = self._kept[key]
        checked = None if warnings is None else [Problem(code, name, field, message, hint, Severity.WARNING, line, column, on_key) for code, field, message, hint, line, column, on_key in warnings]
        return Document(name, data, path=path, checked=checked, top_level=top_level), []

    def _remember(self, key: bytes, document: Document | None, problems: list[Problem]) -> tuple[Document | None, list[Problem]]:
        """Keeps a document read without a problem, and checked (a fiche) with warnings at most."""
        if document is not None and not problems and not errors(document.checked or []):
            warnings = None if document.checked is None else tuple((p.code, p.path, p.message, p.hint, p.line, p.column, p.on_key) for p in document.checked)
            self._clean[key] = (document.data, document.top_level, warnings)
        return document, problems

    def _load(self) -> dict:
        try:
            version, documents = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return documents if version == self._version else {}
