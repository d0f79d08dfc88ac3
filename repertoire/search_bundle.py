"""Make the site's Pagefind bundle, in parts, on the second core while MkDocs renders the pages.

In: the search records (from `repertoire.search`) in the order pages are planned.
Out: one Pagefind bundle per part, in folders of the site: the first part in ``pagefind/`` with
Pagefind's script and WebAssembly engine, the others in ``pagefind/partie-2/``… with their index
only. `SearchBundle.folders` lists them; the search script merges them in the browser
(Pagefind's `mergeIndex`), so a reader searches one index.

Why parts: while it builds its index Pagefind copies every record, and holds about 85 bytes per
character of text at its peak (620 MB for 2,500 synthetic fiches; one index of 10,000 fiches took
2.2 GB). Each part gets at most `TEXT_PER_PART` characters and its own Pagefind process, one part
after the other. Smaller indexes also rank faster in the browser: Pagefind compares every page
that matches with every page-word that matches, a cost that grows as the square of the pages of
one index (a word in 9,300 fiches took 1.3 s in one index).

Pagefind lists records in the order they came when there is no search word, part after part:
fiches are planned in alphabetical order, so the search page needs no sort key.

A part where a searched word is missing would answer with the pages of its longest word that begins
that word (Pagefind's answer to a word it does not know: « Lassourelle » found 63 pages through
« las… »). So, when there are several parts, each also indexes one page holding the words of the other parts
it lacks, with the filter `OTHER_PARTS_WORDS`, which the search script always leaves out.

We speak Pagefind's ``--service`` protocol (base64 JSON messages ended by a comma, the one its
Python API drives) directly: that API's reader sleeps 0.1 s before each response, 1,000 s at
10,000 records. Records are sent without waiting; a reader thread collects the answers. The files
come back in Pagefind's answer, are regrouped by `search_repack` and written by `SearchBundle.write`: Pagefind's own `WriteFiles`
answers before its last writes reach the disk, and a process stopped then leaves truncated files.

On a large directory a forked child drives Pagefind (`aside.Aside`): feeding it and reading its
answers cost the build's process 7 s at 10,000 fiches, on the core MkDocs works on. The child starts as
soon as the records are made, before the site folder is emptied: the files come back to the build's
process, which writes them at the end.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path

from pagefind.service import get_executable

from .aside import Aside
from .search import SearchRecord
from .search_repack import repack

TEXT_PER_PART = int(os.environ.get("REPERTOIRE_RECHERCHE_TEXTE_PAR_PARTIE", "8000000"))
"""Most characters of text (content and metadata) in one part: Pagefind's process then peaks at about
600 MB (measured: 85 bytes per character). Every part adds its list of pages and, for each word
searched, at least one index file to what a reader's first query downloads, so parts are as large as
memory allows. The environment variable lowers it on a machine with less memory."""

ONE_WORD_PER_FILE = {"PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": "1"}
"""Pagefind closes an index file after the word that makes it reach this many positions: 1 gives a
file per word, which `search_repack` then groups. Pagefind calls this setting unstable: if it stops
working, the search stays right but `search_repack` decodes most words to split Pagefind's files: a
slower build (bench/search.py prints how long indexing takes)."""

OTHER_PARTS_WORDS = {"vocabulaire": ["autres parties"]}
"""Filter of each part's page of the words it lacks (content/assets/recherche.js leaves it out)."""

FIRST_FOLDER = "pagefind/"
_ENGINE_FILE = re.compile(r"wasm\.[\w-]+\.pagefind|pagefind[\w-]*\.(?:js|css)")
"""Pagefind's script, engine and interfaces: the search loads them from the first part only."""


class SearchBundleError(RuntimeError):
    """Pagefind refused a record or could not build its index."""


def split_into_parts(records: Iterable[SearchRecord], limit: int = TEXT_PER_PART) -> list[list[SearchRecord]]:
    """Consecutive records, cut into parts of at most `limit` characters (a larger record alone)."""
    parts: list[list[SearchRecord]] = [[]]
    size = 0
    for record in records:
        length = len(record.content) + sum(map(len, record.meta.values()))
        if parts[-1] and size + length > limit:
            parts.append([])
            size = 0
        parts[-1].append(record)
        size += length
    return parts


def _written_words(part: list[SearchRecord]) -> dict[str, str]:
    """Each word of the part, folded → as last written; a record's words are folded once each."""
    words: dict[str, str] = {}
    for record in part:
        for text in (record.content, *record.meta.values()):
            words.update((word.casefold(), word) for word in dict.fromkeys(text.split()))
    return words


def with_other_parts_words(parts: list[list[SearchRecord]], folders: list[str]) -> list[list[SearchRecord]]:
    """Each part and, if there are several, a page of the words of the other parts that it lacks."""
    if len(parts) < 2:
        return parts
    own_words = [_written_words(part) for part in parts]
    every_word = {folded: word for words in own_words for folded, word in words.items()}
    completed = []
    for part, folder, own in zip(parts, folders, own_words):
        missing = " ".join(word for folded, word in every_word.items() if folded not in own)
        completed.append([*part, SearchRecord(f"{folder}autres-parties/", missing, {"title": "Mots des autres parties"}, OTHER_PARTS_WORDS)] if missing else part)
    return completed


class SearchBundle:
    """The bundle of one list of records; use as a context manager so that Pagefind always stops."""

    def __init__(self, records: Iterable[SearchRecord], limit: int = TEXT_PER_PART):
        self._parts = split_into_parts(records, limit)
        self.folders = [FIRST_FOLDER] + [f"{FIRST_FOLDER}partie-{number}/" for number in range(2, len(self._parts) + 1)]
        """Folders of the parts, relative to the site's root."""
        self._indexing: Aside[dict[str, bytes]] | None = None
        self._stopping = threading.Event()
        self._running: _Pagefind | None = None

    def __enter__(self) -> SearchBundle:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def start_indexing(self, fiches: int) -> None:
        """Index the parts one after the other, by a forked child on a large directory of `fiches` (`aside.Aside`:
        the build's process then spends nothing on it), else in a thread; returns at once."""
        self._indexing = Aside(self._index_parts, fiches, in_thread=True)

    def write(self, site: Path) -> None:
        """Wait until every part is indexed (indexing them now if not started), then write them into the folder `site`."""
        if self._indexing is None:
            self._indexing = Aside(self._index_parts, 0)
        for path, content in self._indexing.result().items():
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)

    def close(self) -> None:
        """Stop indexing (an interrupted `mkdocs serve` build) and the running Pagefind process."""
        self._stopping.set()
        if self._running is not None:
            self._running.close()

    def _index_parts(self) -> dict[str, bytes]:
        """Every file of the bundle, by path in the site."""
        parts = with_other_parts_words(self._parts, self.folders)
        self._parts = []  # each part's records are let go once sent: at 10,000 fiches they weigh 60 MB
        bundle = {}
        try:
            for number, folder in enumerate(self.folders):
                records, parts[number] = parts[number], []
                with _Pagefind() as pagefind:
                    self._running = pagefind
                    for record in records:
                        if self._stopping.is_set():
                            return {}
                        pagefind.add(record)
                    files = repack(pagefind.files())
                bundle |= {folder + path: content for path, content in files.items() if number == 0 or not _ENGINE_FILE.fullmatch(path)}
        finally:
            self._running = None
        return bundle


class _Pagefind:
    """One Pagefind process holding one index."""

    def __init__(self, language: str = "fr"):
        executable = get_executable()
        if executable is None:
            raise SearchBundleError("le programme Pagefind est introuvable — installez les dépendances de requirements.txt")
        self.language = language
        self._process = subprocess.Popen(
            [str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env={**os.environ, **ONE_WORD_PER_FILE},
        )
        self._lock = threading.Condition()
        self._answers: dict[int, dict] = {}
        self._last_id = 0
        self._errors: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._index_id = self._wait(self._send({"type": "NewIndex", "config": {"force_language": language}}))["index_id"]

    def __enter__(self) -> _Pagefind:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def add(self, record: SearchRecord) -> None:
        """Queue one record; returns at once, Pagefind indexes it in its own process."""
        self._send({
            "type": "AddRecord", "index_id": self._index_id, "url": record.url, "content": record.content,
            "language": self.language, "meta": record.meta, "filters": record.filters, "sort": None,
        }, keep=False)

    def files(self) -> dict[str, bytes]:
        """Build the index of every record sent; its files by path inside the bundle."""
        answer = self._wait(self._send({"type": "GetFiles", "index_id": self._index_id}))
        if self._errors:
            raise SearchBundleError("Pagefind a refusé des pages : " + " ; ".join(self._errors[:5]))
        return {file["path"]: base64.b64decode(file["content"]) for file in answer["files"]}

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait()
        with contextlib.suppress(BrokenPipeError):  # records still buffered when a build is interrupted
            self._process.stdin.close()

    def _send(self, payload: dict, keep: bool = True) -> int:
        with self._lock:
            self._last_id += 1
            message_id = self._last_id
            if keep:
                self._answers[message_id] = {}
        message = base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode())
        self._process.stdin.write(message + b",")
        self._process.stdin.flush()
        return message_id

    def _wait(self, message_id: int) -> dict:
        with self._lock:
            self._lock.wait_for(lambda: self._answers.get(message_id) or self._process.poll() is not None)
            answer = self._answers.pop(message_id, None)
        if not answer:
            raise SearchBundleError("Pagefind s'est arrêté avant de répondre")
        if answer["type"] == "Error":
            raise SearchBundleError(f"Pagefind a signalé une erreur : {answer['message']}")
        return answer

    def _read(self) -> None:
        pending: list[bytes] = []  # pieces of a message not ended yet (the files' answer is megabytes)
        while chunk := self._process.stdout.read1(1 << 16):
            *ended, rest = chunk.split(b",")
            if ended:
                ended[0] = b"".join([*pending, ended[0]])
                pending = []
                with self._lock:
                    for message in ended:
                        self._receive(json.loads(base64.b64decode(message)))
                    self._lock.notify_all()
            pending.append(rest)
        with self._lock:
            self._lock.notify_all()

    def _receive(self, response: dict) -> None:
        payload, message_id = response["payload"], response.get("message_id")
        if message_id in self._answers:
            self._answers[message_id] = payload
        elif payload["type"] == "Error":
            self._errors.append(payload["message"])
