"""Stage 3b — matching: who can help with each stated need, and which initiatives are close to each other.

In: an `Index` (after `index`, before `render`).
Out: `Matches`: for every need and challenge (`besoins`, `defis`), ranked `Suggestion`s of participants who
offer it (`ressources`) or whose `actions` show they have done it, each with its reasons in plain French and
a strength; per fiche, « Qui peut aider ce participant », « Qui ce participant peut aider » (hand-made `liens` first, marked
as such) and « Initiatives proches », each at most `SHOWN` long.

Scoring: words and concepts shared with the best passage (weighted by rarity, an explicit offer counting
more than an action), the dispositifs the need names or both fiches cite, the thématiques the need is about
(its words meet the thématique's name or description), the same département. Below `MIN_SCORE`, or without
anything tied to the need itself, nothing is suggested. Related initiatives weigh shared dispositifs, shared
thématiques (the rarer, the more), subjects both fiches name (« ESS ») and the same département.

Cost: texts become terms once; inverted indexes map each term and each subject to the participants whose
texts hold it (dispositifs, thématiques and territories already have theirs in the `Index`). A need is only scored against participants
reached through its own keys; a key shared by more than `MAX_POSTINGS` participants is too common to propose
anyone, and only the `MAX_CANDIDATES` best by a cheap pre-score are evaluated. The work grows with the number
of fiches, not with its square: `Matches.evaluations` counts full evaluations so that a test can check it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .index import Index
from .model import Participant
from .terms import Analyzer, Term

SHOWN = 5
MAX_POSTINGS = 60
MAX_CANDIDATES = 20
OFFER_WEIGHT = 1.5
NAMED_SCHEME = 4.0
SHARED_SCHEME = 1.0
NEED_THEME = 1.5
SAME_DEPARTEMENT = 1.0
MIN_SPECIFIC = 3.0
"""Least weight tied to the need itself (words, named dispositif, thématique) for a suggestion."""
MIN_SCORE = 5.5
STRONG = 8.0
"""Least score of a « forte » suggestion, which must also share with the need a dispositif, a thématique or a
word no other text uses (« doublonnage »): common words alone (« favoriser l'installation… » for a need about
governance) make at most a « moyenne » one."""
THEME_KEY = 2.0
"""Weight of a thématique that a need and an offer are both about, through their words (actions are too long to tell)."""
DISTINCTIVE = 2.2
"""Least weight of a telling word: a passage is quoted for two shared words only if one of them is telling
(« entreprises » or « emploi », found in most fiches, are not)."""
CONCEPT = 4.0
"""Least weight of a concept (acronym, dispositif): naming the same precise thing is never a coincidence."""
MIN_PASSAGE = 3.5
"""Least weight of what a passage shares with a need for it to be quoted."""
THEME_MIN = 4.5
"""Least weight of words shared by a need and a thématique's name and description to put the need on it."""
RELATED_SCHEME = 3.0
RELATED_CONCEPT = 1.5
"""Weight of a concept (« ESS », « TPE »…) both fiches' texts name, for related initiatives."""
RELATED_MIN = 3.5
EXCERPT = 110


@dataclass(frozen=True)
class Suggestion:
    helper_id: str
    helped_id: str
    need: str
    """The need or challenge answered, as written; empty for a hand-made link."""
    need_kind: str
    """« besoin » or « défi »; empty for a hand-made link."""
    reasons: tuple[str, ...]
    score: float
    strength: str
    """« forte », « moyenne », or « proposée par un contributeur » for a hand-made link."""
    hand_made: bool = False


@dataclass(frozen=True)
class StatedNeed:
    participant_id: str
    kind: str
    """« besoin » or « défi »."""
    text: str
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class Related:
    participant_id: str
    reasons: tuple[str, ...]
    score: float


@dataclass
class Matches:
    needs: list[StatedNeed]
    helpers: dict[str, list[Suggestion]] = field(default_factory=dict)
    """Participant → who can help it (« Qui peut aider ce participant »)."""
    helped: dict[str, list[Suggestion]] = field(default_factory=dict)
    """Participant → whom it can help (« Qui ce participant peut aider »)."""
    related: dict[str, list[Related]] = field(default_factory=dict)
    hand_made: list[Suggestion] = field(default_factory=list)
    """Every link written in the data (`liens`), in the order of the fiches."""
    evaluations: int = 0
    """Full (need or fiche, candidate) evaluations made: the cost the inverted indexes keep linear."""
    postings_visited: int = 0


@dataclass(frozen=True)
class _Passage:
    participant_id: str
    offer: bool
    text: str
    terms: dict[str, Term]


def _first_terms(terms: Iterable[Term]) -> dict[str, Term]:
    first: dict[str, Term] = {}
    for term in terms:
        first.setdefault(term.key, term)
    return first


_NAMES_SEPARATOR = "\u202f; "
"""Between the names of a reason: a thématique's name may hold commas (« Diagnostic, GPECT et stratégie »)."""


def _reason(label: str, value: str) -> str:
    """« dispositif commun : PLIE », with the narrow no-break space French puts before a colon."""
    return f"{label}\u202f: {value}"


def excerpt(text: str, term: Term) -> str:
    """A short quote of `text` around `term`, cut between words, with « … » where it is cut."""
    if len(text) <= EXCERPT:
        return " ".join(text.split())
    start = max(0, term.start - EXCERPT // 3)
    if start:  # from the first word that starts in the window, else from the start of the term's own word
        start = text.find(" ", start, term.start) + 1 or text.rfind(" ", 0, term.start) + 1
    end = min(len(text), start + EXCERPT)
    if end < len(text):  # to the last word that ends in the window, else to the end of the term's own word
        end = text.rfind(" ", term.end, end)
        if end == -1:
            end = text.find(" ", term.end)
            end = len(text) if end == -1 else end
    quoted = " ".join(text[start:end].split())
    return ("… " if start else "") + quoted + (" …" if end < len(text) else "")


class _Matcher:
    """One run of matching over an index: its analyzer, inverted indexes and weights, and the result."""

    def __init__(self, index: Index):
        self.index = index
        self.directory = index.directory
        self.analyzer = Analyzer(self.directory)
        self.result = Matches(needs=[])
        self.passages: list[_Passage] = []
        self.passages_of: dict[str, list[int]] = defaultdict(list)
        self.postings: dict[str, list[str]] = defaultdict(list)
        """Term → the participants with an offer or action holding it, each once."""
        self.theme_postings: dict[str, list[str]] = defaultdict(list)
        for theme in self.directory.themes.values():
            for key in _first_terms(self.analyzer.terms(f"{theme.name}. {theme.description}")):
                self.theme_postings[key].append(theme.id)
        texts = {ident: self.words_of(index.participant(ident)) for ident in index.participants}
        document_frequency: dict[str, int] = defaultdict(int)
        for words in texts.values():
            for terms in words.values():
                for key in terms:
                    document_frequency[key] += 1
        documents = max(sum(map(len, texts.values())), 1)
        self.idf = {key: math.log(1 + documents / count) for key, count in document_frequency.items()}
        self.rarest = math.log(1 + documents)
        self.only_two = {key for key, count in document_frequency.items() if count == 2}
        """Words that two texts alone use: when they are a need and a passage, both speak of the same thing."""
        self.need_terms: dict[tuple[str, str], dict[str, Term]] = {}
        self.concepts_of: dict[str, list[str]] = {}
        """Participant → the subjects its texts name: concepts (« ESS », « RH »…) that thématiques are described with,
        not mere names of institutions (« EPCI », « CC »)."""
        self.concept_postings: dict[str, list[str]] = defaultdict(list)
        for ident, words in texts.items():
            p = index.participant(ident)
            for offer, passages in ((True, p.offers), (False, p.actions)):
                for text in passages:
                    passage = _Passage(ident, offer, text, self.with_themes(words[text]))
                    self.passages_of[ident].append(len(self.passages))
                    self.passages.append(passage)
            for key in {key for i in self.passages_of[ident] for key in self.passages[i].terms}:
                self.postings[key].append(ident)
            for text in (*p.needs, *p.challenges):
                self.need_terms[(ident, text)] = self.with_themes(words[text])
            self.concepts_of[ident] = sorted({key[2:] for terms in words.values() for key in terms if key.startswith("c:") and key in self.theme_postings})
            for concept in self.concepts_of[ident]:
                self.concept_postings[concept].append(ident)

    def words_of(self, participant: Participant) -> dict[str, dict[str, Term]]:
        """Each text of a fiche → its terms, without the words of its own name (« Champs du Partage »)."""
        name = " ".join(filter(None, (participant.title, participant.organisation and participant.organisation.name)))
        own = {t.key for t in self.analyzer.terms(name) if t.key.startswith("w:")}
        texts = (*participant.offers, *participant.actions, *participant.needs, *participant.challenges)
        return {text: {k: t for k, t in _first_terms(self.analyzer.terms(text)).items() if k not in own} for text in texts}

    def with_themes(self, terms: dict[str, Term]) -> dict[str, Term]:
        """`terms` plus a ``t:<thématique>`` key for each thématique whose description the text's words meet."""
        weights: dict[str, float] = defaultdict(float)
        first: dict[str, Term] = {}
        for key, term in terms.items():
            for theme in self.theme_postings.get(key, ()):
                weights[theme] += self.weight(key)
                if theme not in first or self.weight(key) > self.weight(first[theme].key):
                    first[theme] = term
        themes = {f"t:{theme}": first[theme] for theme, weight in weights.items() if weight >= THEME_MIN}
        return {**terms, **themes}

    def weight(self, key: str) -> float:
        if key.startswith("t:"):
            return THEME_KEY
        idf = self.idf.get(key, self.rarest)
        return max(idf, CONCEPT) if key.startswith("c:") else idf

    def common(self, members: list[str]) -> list[str]:
        """Participants of one key, or none when the key is too common to say anything."""
        if len(members) > MAX_POSTINGS:
            return []
        self.result.postings_visited += len(members)
        return members

    # Needs → helpers

    def suggest(self, helped: Participant, kind: str, text: str) -> list[Suggestion]:
        terms = self.need_terms[(helped.id, text)]
        named = [key[2:] for key in terms if key[2:] in self.directory.schemes]
        themes = [key[2:] for key in terms if key.startswith("t:")]
        pre: dict[str, float] = defaultdict(float)
        for key in terms:
            for ident in self.common(self.postings.get(key, [])):
                pre[ident] += self.weight(key)
        for scheme in named:
            for ident in self.common(self.index.by_scheme.get(scheme, [])):
                pre[ident] += NAMED_SCHEME
        for theme in themes:
            for ident in self.common(self.index.by_theme.get(theme, [])):
                pre[ident] += NEED_THEME
        pre.pop(helped.id, None)
        candidates = sorted(pre, key=lambda ident: -pre[ident])[:MAX_CANDIDATES]
        found = [self.evaluate(helped, kind, text, terms, named, themes, self.index.participant(c)) for c in candidates]
        return sorted((s for s in found if s is not None), key=lambda s: (-s.score, s.helper_id))[:SHOWN]

    def evaluate(self, helped: Participant, kind: str, need: str, terms: dict[str, Term], named: list[str], themes: list[str], helper: Participant) -> Suggestion | None:
        self.result.evaluations += 1
        named_shared = [s for s in named if s in helper.scheme_ids]
        other_shared = [s for s in helped.scheme_ids if s in helper.scheme_ids and s not in named_shared]
        schemes = named_shared + other_shared
        themes_shared = [t for t in themes if t in helper.theme_ids]
        reasons: list[str] = []
        specific = NAMED_SCHEME * len(named_shared) + NEED_THEME * len(themes_shared)
        best = self.best_passage(helper, terms, schemes)
        precise_words = False
        if best is not None:
            passage, term, weight = best
            specific += weight
            precise_words = any(key in self.only_two for key in passage.terms if key in terms)
            reasons.append(_reason("propose" if passage.offer else "a déjà mené", f"«\u202f{excerpt(passage.text, term)}\u202f»"))
        if schemes:
            reasons.append(_reason("dispositif commun" if len(schemes) == 1 else "dispositifs communs", self.scheme_labels(schemes)))
        if themes_shared:
            names = _NAMES_SEPARATOR.join(self.directory.themes[t].name for t in themes_shared)
            reasons.append(_reason("thématique commune" if len(themes_shared) == 1 else "thématiques communes", names))
        score = specific + SHARED_SCHEME * min(len(other_shared), 2)
        departements = self.shared_departements(helped, helper)
        if departements:
            score += SAME_DEPARTEMENT
            reasons.append(_reason("même département", departements))
        if specific < MIN_SPECIFIC or score < MIN_SCORE:
            return None
        strong = score >= STRONG and bool(named_shared or themes_shared or precise_words)
        return Suggestion(helper.id, helped.id, need, kind, tuple(reasons), round(score, 2), "forte" if strong else "moyenne")

    def best_passage(self, helper: Participant, terms: dict[str, Term], schemes: list[str]) -> tuple[_Passage, Term, float] | None:
        """The helper's offer or action that shares most with a need, with the term to quote it around and the
        weight shared. A passage naming a dispositif both fiches cite is preferred, and quoted around it."""
        scheme_keys = {"c:" + s for s in schemes}
        best, best_rank = None, 0.0
        for i in self.passages_of[helper.id]:
            passage = self.passages[i]
            shared = sorted((key for key in passage.terms if key in terms and (passage.offer or not key.startswith("t:"))), key=lambda key: -self.weight(key))
            telling = any(not key.startswith("w:") or self.weight(key) >= DISTINCTIVE for key in shared)
            if not any(key.startswith("c:") for key in shared) and not (len(shared) >= 2 and telling):
                continue  # one word, or only words every fiche uses, is a coincidence more often than a lead
            weight = sum(self.weight(key) for key in shared) * (OFFER_WEIGHT if passage.offer else 1.0)
            naming = [key for key in passage.terms if key in scheme_keys]
            rank = weight + CONCEPT * len(naming)
            if weight >= MIN_PASSAGE and rank > best_rank:
                best, best_rank = (passage, passage.terms[(naming or shared)[0]], weight), rank
        return best

    def scheme_labels(self, schemes: list[str]) -> str:
        return _NAMES_SEPARATOR.join(self.analyzer.labels.get(s, self.directory.schemes[s].name) for s in schemes)

    def shared_departements(self, one: Participant, other: Participant) -> str:
        theirs = set(self.index.departements.get(other.id, ()))
        shared = [d for d in self.index.departements.get(one.id, ()) if d in theirs]
        return _NAMES_SEPARATOR.join(self.directory.territories[d].name for d in shared)

    # Fiche ↔ fiche

    def related(self, participant: Participant) -> list[Related]:
        count = len(self.index.participants)
        pre: dict[str, float] = defaultdict(float)
        for scheme in participant.scheme_ids:
            for ident in self.common(self.index.by_scheme.get(scheme, [])):
                pre[ident] += RELATED_SCHEME
        for theme in participant.theme_ids:
            for ident in self.common(self.index.by_theme.get(theme, [])):
                pre[ident] += self.theme_weight(theme, count)
        for departement in self.index.departements.get(participant.id, ()):
            for ident in self.common(self.index.by_territory.get(departement, [])):
                pre[ident] += SAME_DEPARTEMENT
        for concept in self.concepts_of[participant.id]:
            for ident in self.common(self.concept_postings[concept]):
                pre[ident] += RELATED_CONCEPT
        pre.pop(participant.id, None)
        found = []
        for ident in sorted(pre, key=lambda i: -pre[i])[:MAX_CANDIDATES]:
            self.result.evaluations += 1
            other = self.index.participant(ident)
            schemes = [s for s in participant.scheme_ids if s in other.scheme_ids]
            themes = sorted((t for t in participant.theme_ids if t in other.theme_ids), key=lambda t: -self.theme_weight(t, count))
            departements = self.shared_departements(participant, other)
            theirs = set(self.concepts_of[ident])
            concepts = [c for c in self.concepts_of[participant.id] if c in theirs and c not in schemes][:3]
            score = RELATED_SCHEME * len(schemes) + sum(self.theme_weight(t, count) for t in themes) + (SAME_DEPARTEMENT if departements else 0) + RELATED_CONCEPT * len(concepts)
            if score < RELATED_MIN:
                continue
            reasons = []
            if schemes:
                reasons.append(_reason("dispositif commun" if len(schemes) == 1 else "dispositifs communs", self.scheme_labels(schemes)))
            if themes:
                names = _NAMES_SEPARATOR.join(self.directory.themes[t].name for t in themes[:3]) + (" …" if len(themes) > 3 else "")
                reasons.append(_reason("thématique commune" if len(themes) == 1 else f"{len(themes)} thématiques communes", names))
            if concepts:
                reasons.append(_reason(f"{'sujet commun' if len(concepts) == 1 else 'sujets communs'} dans les fiches", _NAMES_SEPARATOR.join(self.analyzer.labels[c] for c in concepts)))
            if departements:
                reasons.append(_reason("même département", departements))
            found.append(Related(ident, tuple(reasons), round(score, 2)))
        return sorted(found, key=lambda r: (-r.score, r.participant_id))[:SHOWN]

    def theme_weight(self, theme: str, count: int) -> float:
        return math.log(1 + count / max(len(self.index.by_theme.get(theme, ())), 1))

    def run(self) -> Matches:
        helpers: dict[str, dict[str, Suggestion]] = defaultdict(dict)
        helped: dict[str, dict[str, Suggestion]] = defaultdict(dict)
        for ident in self.index.participants:
            participant = self.index.participant(ident)
            for kind, texts in (("besoin", participant.needs), ("défi", participant.challenges)):
                for text in texts:
                    suggestions = self.suggest(participant, kind, text)
                    self.result.needs.append(StatedNeed(ident, kind, text, tuple(suggestions)))
                    for s in suggestions:
                        _keep_best(helpers[s.helped_id], s.helper_id, s)
                        _keep_best(helped[s.helper_id], s.helped_id, s)
            self.result.related[ident] = self.related(participant)
        for ident in self.index.participants:
            made_for_me = [_hand_made(link.participant_id, ident, link.reason) for link in self.index.participant(ident).links]
            self.result.hand_made += made_for_me
            made_by_me = [_hand_made(ident, link.participant_id, link.reason) for link in self.index.helped_by.get(ident, [])]
            self.result.helpers[ident] = made_for_me + _ranked(helpers[ident], {s.helper_id for s in made_for_me}, SHOWN - len(made_for_me))
            self.result.helped[ident] = made_by_me + _ranked(helped[ident], {s.helped_id for s in made_by_me}, SHOWN - len(made_by_me))
        return self.result


def _hand_made(helper_id: str, helped_id: str, reason: str) -> Suggestion:
    return Suggestion(helper_id, helped_id, "", "", (reason,), 0, "proposée par un contributeur", True)


def _keep_best(best: dict[str, Suggestion], key: str, suggestion: Suggestion) -> None:
    if key not in best or suggestion.score > best[key].score:
        best[key] = suggestion


def _ranked(best: dict[str, Suggestion], already: set[str], room: int) -> list[Suggestion]:
    kept = [s for key, s in best.items() if key not in already]
    return sorted(kept, key=lambda s: (-s.score, s.helper_id, s.helped_id))[: max(room, 0)]


def match(index: Index) -> Matches:
    """Every suggestion and related initiative of the directory."""
    return _Matcher(index).run()
