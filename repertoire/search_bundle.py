"""Feed search records to a Pagefind process while the site is being rendered, then write its bundle.

In: `SearchRecord`s (from `repertoire.search`), one at a time, as pages are produced. Pagefind keeps
them in that order, and lists them so when there is no search word: fiches are produced (planned by
`repertoire.render.plan_pages`) in alphabetical order, so the search page needs no sort key, which
would add 2 bytes per page to the index every visitor downloads.
Out: the Pagefind bundle (``pagefind.js``, index chunks, fragments, filters) in a folder of the site.

Pagefind indexes in its own process (its binary's ``--service`` mode, the one its Python API drives),
so indexing runs on the second core while MkDocs renders on the first. We speak that protocol —
base64 JSON messages ended by a comma — directly instead of through `pagefind.index.PagefindIndex`:
its reader sleeps 0.1 s before each response, which would cost 1,000 s at 10,000 records. Sending
never waits for Pagefind; a reader thread collects the answers, and `finish_writing` waits for all of them.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
from pathlib import Path

from pagefind.service import get_executable

from .search import SearchRecord


INDEX_CHUNK_SIZE = 5000
"""Word positions per part of the index a reader downloads (Pagefind's default: 20,000). At 10,000 fiches
a query for a rare word then fetches 11 kB instead of 27 kB (median part); a very common word still
comes whole. Pagefind reads this setting from an environment variable it calls unstable: checked again
when Pagefind is upgraded (bench/search.py prints what a query downloads)."""


class SearchBundleError(RuntimeError):
    """Pagefind refused a record or could not write the bundle."""


class SearchBundle:
    """One Pagefind index, fed record by record; use as a context manager so the process always ends."""

    def __init__(self, language: str = "fr"):
        executable = get_executable()
        if executable is None:
            raise SearchBundleError("le programme Pagefind est introuvable — installez les dépendances de requirements.txt")
        self.language = language
        self._process = subprocess.Popen(
            [str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)},
        )
        self._lock = threading.Condition()
        self._answers: dict[int, dict] = {}
        self._last_id = 0
        self._writing = 0
        self._errors: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._index_id = self._wait(self._send({"type": "NewIndex", "config": {"force_language": language}}))["index_id"]

    def __enter__(self) -> SearchBundle:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def add(self, record: SearchRecord) -> None:
        """Queue one record; returns at once, Pagefind indexes it in its own process."""
        self._send({
            "type": "AddRecord", "index_id": self._index_id, "url": record.url, "content": record.content,
            "language": self.language, "meta": record.meta, "filters": record.filters, "sort": None,
        }, keep=False)

    def start_writing(self, folder: Path) -> None:
        """Ask Pagefind to write the bundle into `folder` once every record sent is indexed; returns at once."""
        self._writing = self._send({"type": "WriteFiles", "index_id": self._index_id, "output_path": str(folder.resolve())})

    def finish_writing(self) -> None:
        """Wait until the bundle asked for by `start_writing` is written."""
        self._wait(self._writing)
        if self._errors:
            raise SearchBundleError("Pagefind a refusé des pages : " + " ; ".join(self._errors[:5]))

    def write(self, folder: Path) -> None:
        """Write the bundle into `folder` and wait until it is written."""
        self.start_writing(folder)
        self.finish_writing()

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            self._process.terminate()
            self._process.wait()

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
        buffer = b""
        while chunk := self._process.stdout.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            with self._lock:
                for message in messages:
                    self._receive(json.loads(base64.b64decode(message)))
                self._lock.notify_all()
        with self._lock:
            self._lock.notify_all()

    def _receive(self, response: dict) -> None:
        payload, message_id = response["payload"], response.get("message_id")
        if message_id in self._answers:
            self._answers[message_id] = payload
        elif payload["type"] == "Error":
            self._errors.append(payload["message"])
