"""Repack one part of the Pagefind bundle so that a reader's first query downloads less.

In: the files Pagefind wrote for one part (path in the part → content), indexed with (nearly) one word
per index file (`search_bundle` asks Pagefind for that).
Out: the same part, where
- consecutive words share an index file up to `WORDS_PER_FILE` bytes, and a word larger than that
  has a file of its own. Pagefind closes a file after the word that fills it, so a rare word came
  with the frequent word that follows it: « lassourelle » cost the 46 kB of « le » in each part;
- pages and index files are named by a counter, in a folder named after the part's content
  and its grouping,
  where Pagefind names each by a hash of its own: the list of pages every first query downloads
  takes 14 kB per part instead of 21 kB, and a name changes whenever the part or its grouping does,
  so that a browser never uses a file it kept from an earlier version of the site.
The words, their pages and their positions, the excerpts and the filters are copied byte for byte.

The format is Pagefind's (1.5): each file is gzip of ``pagefind_dcd`` followed by CBOR; the
metadata lists the pages (name, word count), then the index files (first word, last word, name),
the filters, the sorts and the metadata fields; an index file is an array holding the array of its
words, each word an array that begins with the word itself. The words' order and the first and last
words of each file are Pagefind's own (`chunk_meta` in its ``index/mod.rs``): the browser picks the
files of a searched word by them.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Iterator

import cbor2

WORDS_PER_FILE = 12_000
"""Most bytes (before compression) of the words of one index file, unless one word alone is larger.
Each file adds a line to the metadata every first query downloads: at 10,000 fiches, the four queries
of bench/search.py downloaded 191 to 295 kB with 6,000 bytes, 181 to 288 kB with 8,000, 183 to 281 kB
with 12,000 and 189 to 283 kB with 20,000."""

FORMAT = "1.5.2"
"""The version of Pagefind whose files this module was checked against; another one is refused."""

_SIGNATURE = b"pagefind_dcd"
_ARRAY, _TEXT = 4, 3
"""CBOR's major types."""
_ENTRY = "pagefind-entry.json"


class RepackError(RuntimeError):
    """Pagefind's files are not the ones this module knows how to repack."""


def repack(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files of one part of the bundle, repacked (see the module's docstring)."""
    description = json.loads(files[_ENTRY])
    if description["version"] != FORMAT:
        raise RepackError(
            f"Pagefind {description['version']} : son format n'a été vérifié qu'en version {FORMAT} ; "
            "vérifiez repertoire/search_repack.py avec cette version, puis mettez-y FORMAT à jour"
        )
    (language, about), = description["languages"].items()
    meta_path = f"pagefind.{about['hash']}.pf_meta"
    meta = cbor2.loads(_unpack(files, meta_path))
    repacked = {
        path: content for path, content in files.items()
        if path not in (_ENTRY, meta_path) and not path.startswith(("index/", "fragment/"))
    }

    words = [word for _first, _last, name in meta[2] for word in _words(_unpack(files, f"index/{name}.pf_index"))]
    groups = list(_grouped(words))
    bounds = _bounds([[word for word, _encoded in group] for group in groups])
    contents = [_array_header(1) + _array_header(len(group)) + b"".join(encoded for _word, encoded in group) for group in groups]
    # Pagefind's hash stands for the pages and words, the contents for how they are grouped here
    folder = hashlib.sha256(b"".join([about["hash"].encode(), *contents])).hexdigest()[:10]
    meta[2] = []
    for number, ((first, last), content) in enumerate(zip(bounds, contents)):
        name = f"{folder}/{number:x}"
        meta[2].append([first, last, name])
        repacked[f"index/{name}.pf_index"] = _pack(content)
    for number, page in enumerate(meta[1]):
        name = f"{folder}/{number:x}"
        repacked[f"fragment/{name}.pf_fragment"] = files[f"fragment/{page[0]}.pf_fragment"]
        page[0] = name

    encoded = cbor2.dumps(meta)
    about["hash"] = f"{language}_{hashlib.sha256(encoded).hexdigest()[:10]}"
    repacked[f"pagefind.{about['hash']}.pf_meta"] = _pack(encoded)
    repacked[_ENTRY] = json.dumps(description, ensure_ascii=False).encode()
    return repacked


def _unpack(files: dict[str, bytes], path: str) -> bytes:
    """The CBOR of the file `path` of the part."""
    if path not in files:
        raise RepackError(f"Pagefind n'a pas écrit le fichier {path}, que sa liste nomme")
    data = gzip.decompress(files[path])
    if not data.startswith(_SIGNATURE):
        raise RepackError(f"le fichier {path} de Pagefind ne commence pas par sa signature")
    return data[len(_SIGNATURE):]


def _pack(data: bytes) -> bytes:
    return gzip.compress(_SIGNATURE + data, 6, mtime=0)  # level 9: twice the time for 1 % less


def _words(chunk: bytes) -> list[tuple[str, bytes]]:
    """The words of an index file, each with its entry as encoded by Pagefind.

    Pagefind gives a word a file of its own, except the words it only met written with accents
    (« réalisé »), which it counts as empty: they come before the next word in its file. Those are
    decoded to find where each ends; the last word, often a frequent one, is what remains."""
    _file, at = _head(chunk, 0, _ARRAY)  # an array that holds the array of words
    count, at = _head(chunk, at, _ARRAY)
    stream = io.BytesIO(chunk)
    stream.seek(at)
    decoder = cbor2.CBORDecoder(stream)
    ends = []
    for _ in range(count - 1):
        decoder.decode()
        ends.append(stream.tell())
    entries = [chunk[start:end] for start, end in zip([at, *ends], [*ends, len(chunk)])]
    return [(_text(entry), entry) for entry in entries]


def _text(entry: bytes) -> str:
    """The word an index entry starts with: the first item of its array."""
    size, at = _head(entry, 1, _TEXT)
    return entry[at:at + size].decode()


def _head(data: bytes, at: int, kind: int) -> tuple[int, int]:
    """The number a CBOR head of `kind` at `at` holds (a length), and where the item's content starts."""
    if data[at] >> 5 != kind or data[at] & 0x1F > 27:
        raise RepackError("un fichier d'index de Pagefind n'a pas la forme attendue")
    small = data[at] & 0x1F
    if small < 24:
        return small, at + 1
    width = 1 << (small - 24)
    return int.from_bytes(data[at + 1:at + 1 + width], "big"), at + 1 + width


def _array_header(length: int) -> bytes:
    """CBOR's head of an array of `length` items."""
    if length < 24:
        return bytes([0x80 | length])
    for extra, width in ((24, 1), (25, 2), (26, 4)):
        if length < 1 << (8 * width):
            return bytes([0x80 | extra]) + length.to_bytes(width, "big")
    raise RepackError("trop de mots dans un fichier d'index")


def _grouped(words: list[tuple[str, bytes]]) -> Iterator[list[tuple[str, bytes]]]:
    """Consecutive words, in groups of at most `WORDS_PER_FILE` bytes (a larger word alone)."""
    group: list[tuple[str, bytes]] = []
    size = 0
    for word in words:
        if group and size + len(word[1]) > WORDS_PER_FILE:
            yield group
            group, size = [], 0
        group.append(word)
        size += len(word[1])
    if group:
        yield group


def _bounds(groups: list[list[str]]) -> list[tuple[str, str]]:
    """The first and last words of each group, shortened as Pagefind does: to the first letter that
    tells a group's last word from the next group's first word."""
    bounds = [[group[0], group[-1]] for group in groups]
    for before, after in zip(bounds, bounds[1:]):
        common = 0
        for a, b in zip(before[1], after[0]):
            if a != b:
                break
            common += 1
        if before[1][:common + 1] >= before[0]:
            before[1] = before[1][:common + 1]
        after[0] = after[0][:common + 1]
    return [(first, last) for first, last in bounds]
