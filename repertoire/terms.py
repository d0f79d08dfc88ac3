"""French terms of a text, for matching needs with offers: words folded and lightly stemmed, concepts merged.

In: the directory's glossary and dispositifs (once), then any text.
Out: `Analyzer.terms(text)` → the text's `Term`s in order, each a key and the span it comes from.
A key is ``w:<stem>`` for a word or ``c:<concept>`` for a known concept: an acronym, its expansion and
its variants (« GPECT », « gestion prévisionnelle des emplois et des compétences ») give the same
concept, and every form naming a dispositif gives the dispositif's id. Accents and case are folded,
elisions split (« l' », « qu' »), hyphenated words also read joined, plurals and simple inflections stemmed, stop words dropped.
Acronyms written without lower case (« CA », « NA », « PACTE ») match case-sensitively, so that
« ça », « n'a » or « pacte » are not taken for them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from .model import Directory
from .text import fold

_TOKEN = re.compile(r"[^\W_]+")
_SUFFIXES = (
    "issements", "issement", "ations", "ation", "ements", "ement", "ments", "ment", "ent",
    "euses", "euse", "eurs", "eur", "ives", "ive", "ifs", "if", "ees", "ee", "es", "er", "ez", "e", "s", "x",
)
_MIN_STEM = 4
STOP_WORDS = frozenset("""
a afin ai aller alors au aussi autre autres aux avant avec avoir besoin besoins bien c ca car ce cela celle celles celui
certain certaines certains ces cet cette charge chaque comme comment cours d dans de des deja demain doit donc dont du elle elles en
encore entre est et etc ete etre exemple faire fait faut fonction font il ils j jusqu l la le les leur leurs lorsqu lors m ma mais me meme
mes mettre mis mise moins moment mon n ne ni nos notre nous on ont ou oui par parce pas peu peut peuvent place plus pour pourquoi puis puisqu qu
quand que quel quelle quelles quels qui quoi s sa sans se ses si son sont sous suite sur t ta te tel telle tes ton tous tout
toute toutes travail travaille travaillent travailler tres un une vers voir vos votre vous y
""".split())
"""Folded French function words and words every fiche uses, which say nothing about what is needed."""


def stem(word: str) -> str:
    """Light French stemming of a folded word: « formations », « former » → « form »."""
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 5:
        word = word[:-3] + "al"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            break
    return word[:-2] + "c" if word.endswith("qu") else word


class Term(NamedTuple):
    """A key and the span of the text it was read from; a tuple, as a text has hundreds of them."""

    key: str
    start: int
    end: int


@dataclass(frozen=True)
class _Form:
    """One written form of a concept, as a sequence of tokens to compare."""

    tokens: tuple[str, ...]
    exact: bool
    """Compare raw tokens (acronyms written without lower case) instead of stems."""
    concept: str


@functools.lru_cache(maxsize=1 << 16)
def _word(raw: str) -> tuple[str, str]:
    """A written word → its folded form and its key; a directory uses a few tens of thousands of distinct words
    many times each, and folding then stemming every occurrence was most of the matching's time."""
    folded = fold(raw)
    return folded, stem(folded)


def _token_key(raw: str) -> str:
    return _word(raw)[1]


class Analyzer:
    """Turns texts into terms; built once per directory, its form table is shared by every text."""

    def __init__(self, directory: Directory):
        self.labels: dict[str, str] = {}
        """Concept → the name shown in reasons (a dispositif's acronym or name, a glossary term)."""
        self._forms: dict[bool, dict[str, list[_Form]]] = {True: {}, False: {}}
        """Exact (raw tokens) or not (stems) → first token → the forms starting with it, longest first."""
        for scheme in directory.schemes.values():
            self.labels[scheme.id] = scheme.acronym or scheme.name
            for written in (scheme.name, scheme.acronym, *scheme.synonyms):
                self._add(written, scheme.id)
        for entry in directory.glossary:
            concept = entry.scheme_id or fold(entry.term)
            self.labels.setdefault(concept, entry.term)
            for written in (entry.term, entry.expansion, *entry.variants):
                self._add(written, concept)
        for forms in (*self._forms[True].values(), *self._forms[False].values()):
            forms.sort(key=lambda form: -len(form.tokens))

    def _add(self, written: str | None, concept: str) -> None:
        if not written:
            return
        raw = _TOKEN.findall(written)
        if not raw:
            return
        exact = not any(c.islower() for c in written)
        tokens = tuple(raw) if exact else tuple(_token_key(t) for t in raw)
        form = _Form(tokens, exact, concept)
        bucket = self._forms[exact].setdefault(tokens[0], [])
        if form not in bucket:
            bucket.append(form)

    def terms(self, text: str) -> list[Term]:
        """The terms of `text` in reading order; a concept's words are not repeated as words."""
        matches = list(_TOKEN.finditer(text))
        raws = [m.group(0) for m in matches]
        spans = [m.span() for m in matches]
        words = [_word(raw) for raw in raws]
        keys = [key for _folded, key in words]
        found: list[Term] = []
        position = 0
        while position < len(matches):
            form = self._form_at(raws, keys, position)
            if form is not None:
                last = position + len(form.tokens) - 1
                found.append(Term("c:" + form.concept, spans[position][0], spans[last][1]))
                position = last + 1
                continue
            folded = words[position][0]
            start, end = spans[position]
            if folded not in STOP_WORDS and len(folded) > 1 and not folded.isdigit():
                found.append(Term("w:" + keys[position], start, end))
            if position and text[spans[position - 1][1] : start] == "-":
                # « plate-forme » also meets « plateforme »
                found.append(Term("w:" + _token_key(raws[position - 1] + raws[position]), spans[position - 1][0], end))
            position += 1
        return found

    def _form_at(self, raws: list[str], keys: list[str], position: int) -> _Form | None:
        exact, stemmed = self._forms[True].get(raws[position]), self._forms[False].get(keys[position])
        if not (exact or stemmed):  # most words start no form
            return None
        candidates = (exact or []) + (stemmed or [])
        for form in sorted(candidates, key=lambda f: -len(f.tokens)):
            words = raws if form.exact else keys
            if tuple(words[position : position + len(form.tokens)]) == form.tokens:
                return form
        return None
