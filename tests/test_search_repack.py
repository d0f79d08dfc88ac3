"""What a first query downloads: Pagefind's index files regrouped, its pages renamed (repertoire/search_repack.py).

The searches themselves run on repacked bundles in test_search.py; here, what the repacking keeps and changes.
"""

from __future__ import annotations

import json

import cbor2
import pytest

from repertoire import search_bundle, search_repack
from repertoire.search import SearchRecord
from repertoire.search_repack import WORDS_PER_FILE, RepackError, repack

FREQUENT = "le"


def records(changed: str = "") -> list[SearchRecord]:
    """Fiches where « le » comes everywhere, a few rare words (one only ever written with its accents),
    and a name that one fiche alone holds."""
    pages = [
        SearchRecord(f"participants/fiche-{n}/", f"{' '.join([FREQUENT] * 150)} accompagnement numéro {n} réalisé",
                     {"title": f"Fiche {n}"}, {"page": ["Fiche"]})
        for n in range(120)
    ]
    pages.append(SearchRecord("participants/rare/", "Lassourelle lâche le dossier " + changed, {"title": "Rare"}, {"page": ["Fiche"]}))
    return pages


def pagefind_files(pages: list[SearchRecord]) -> dict[str, bytes]:
    with search_bundle._Pagefind() as pagefind:
        for record in pages:
            pagefind.add(record)
        return pagefind.files()


def meta_of(files: dict[str, bytes]) -> list:
    about = json.loads(files["pagefind-entry.json"])["languages"]["fr"]
    return cbor2.loads(search_repack._unpack(files, f"pagefind.{about['hash']}.pf_meta"))


def index_files(files: dict[str, bytes]) -> dict[str, list]:
    """Index file name → its words (decoded), in the order of the metadata."""
    return {name: cbor2.loads(search_repack._unpack(files, f"index/{name}.pf_index"))[0] for _first, _last, name in meta_of(files)[2]}


@pytest.fixture(scope="module")
def pagefind_part():
    return pagefind_files(records())


@pytest.fixture(scope="module")
def repacked(pagefind_part):
    return repack(pagefind_part)


def test_every_word_keeps_its_pages_and_positions_in_the_same_order(pagefind_part, repacked):
    before = [word for words in index_files(pagefind_part).values() for word in words]
    after = [word for words in index_files(repacked).values() for word in words]
    assert after == before
    assert any(len(words) > 1 for words in index_files(pagefind_part).values()), "Pagefind groups the words it only met with accents"


def test_a_rare_word_no_longer_comes_with_the_frequent_word_next_to_it(pagefind_part, repacked):
    holding = {word[0]: name for name, words in index_files(repacked).items() for word in words}
    assert holding["lassourel"] != holding[FREQUENT]
    assert [word[0] for word in index_files(repacked)[holding[FREQUENT]]] == [FREQUENT]
    assert len(index_files(repacked)) * 10 < len(index_files(pagefind_part)), "the other words are grouped"


def test_the_browser_asks_for_the_file_that_holds_each_word(repacked):
    listed = meta_of(repacked)[2]
    for name, words in index_files(repacked).items():
        for word in words:
            assert name in files_asked_for(word[0], listed), word[0]


def files_asked_for(term: str, listed: list) -> list[str]:
    """The index files Pagefind's engine fetches for `term` (`request_indexes` in its ``lib.rs``): those
    whose first and last words frame it, else those whose bounds frame it when cut to its length."""
    framing = [name for first, last, name in listed if first <= term <= last]
    return framing or [name for first, last, name in listed if term[:len(first)] >= first[:len(term)] and term[:len(last)] <= last[:len(term)]]


def test_index_files_hold_as_many_words_as_the_budget_allows(pagefind_part, monkeypatch):
    monkeypatch.setattr(search_repack, "WORDS_PER_FILE", 300)
    sizes = [[len(cbor2.dumps(word)) for word in words] for words in index_files(repack(pagefind_part)).values()]
    assert len(sizes) > 3
    for size, following in zip(sizes, sizes[1:]):
        assert sum(size) <= 300 or len(size) == 1
        assert sum(size) + following[0] > 300, "the next word would have fitted"


def test_first_and_last_words_of_each_file_are_shortened_as_pagefind_does(monkeypatch):
    """The browser picks the files of a word by these bounds: Pagefind's own files, cut by Pagefind
    into several words each, get the bounds Pagefind gave them."""
    monkeypatch.setitem(search_bundle.ONE_WORD_PER_FILE, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", "30")
    files = pagefind_files(records())
    chunks = meta_of(files)[2]
    groups = [[word[0] for word in words] for words in index_files(files).values()]
    assert len(chunks) > 3
    assert search_repack._bounds(groups) == [(first, last) for first, last, _name in chunks]


def test_pages_keep_their_excerpts_under_shorter_names(pagefind_part, repacked):
    pages_before, pages_after = meta_of(pagefind_part)[1], meta_of(repacked)[1]
    assert meta_of(repacked)[0] == meta_of(pagefind_part)[0]
    assert meta_of(repacked)[3:] == meta_of(pagefind_part)[3:], "filters, sorts and fields name no page"
    assert files_of(repacked, ".pf_filter") == files_of(pagefind_part, ".pf_filter")
    assert [count for _name, count in pages_after] == [count for _name, count in pages_before]
    for (old, _), (new, _) in zip(pages_before, pages_after):
        assert repacked[f"fragment/{new}.pf_fragment"] == pagefind_part[f"fragment/{old}.pf_fragment"]
    assert len(files_of(repacked, "pf_meta")[0]) < len(files_of(pagefind_part, "pf_meta")[0])


def files_of(files: dict[str, bytes], suffix: str) -> list[bytes]:
    return [content for path, content in files.items() if path.endswith(suffix)]


def test_a_browser_never_mistakes_a_file_of_the_previous_version_for_the_new_one(repacked):
    """Static hosts let browsers keep files a while: a name reused with another content would show
    a reader the wrong fiche under a result."""
    for changed in (repack(pagefind_files(records(changed="modifié"))), regrouped(pagefind_files(records()))):
        assert changed["pagefind-entry.json"] != repacked["pagefind-entry.json"]
        reused = {path for path in repacked.keys() & changed.keys() if repacked[path] != changed[path]}
        assert reused == {"pagefind-entry.json"}  # Pagefind's script asks for it with the time in its address


def regrouped(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same part repacked after a change of the budget, as a future version of the code may do."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_repack, "WORDS_PER_FILE", 300)
        return repack(files)


def test_another_version_of_pagefind_is_refused_with_what_to_check(pagefind_part):
    entry = json.loads(pagefind_part["pagefind-entry.json"])
    entry["version"] = "9.0.0"
    with pytest.raises(RepackError, match=r"Pagefind 9\.0\.0 .* vérifié qu.en version 1\.5\.2 ; vérifiez repertoire/search_repack\.py"):
        repack({**pagefind_part, "pagefind-entry.json": json.dumps(entry).encode()})
