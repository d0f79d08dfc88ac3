"""Putting people in touch: who can help with each need, shown on both fiches with its reason, at a linear cost."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from synthetic import synthetic_directory

from bench.generate import generate
from repertoire import matching
from repertoire.index import build_index
from repertoire.pipeline import check
from repertoire.render import HELP_PAGE_SIZE, Renderer, page_url, plan_pages
from repertoire.terms import Analyzer, Term


def _section(site: Path, participant: str, anchor: str) -> str:
    page = (site / "participants" / participant / "index.html").read_text(encoding="utf-8")
    start = page.index(f'<h2 id="{anchor}">')
    return page[start : page.index("<h2 ", start + 1)]


def _item_about(section: str, other: str) -> str:
    """Plain text of the suggestion naming `other` in a block, or '' when it is not there."""
    for item in section.split("\n  <li>")[1:]:
        if f'href="../../participants/{other}/"' in item.split(">", 1)[0]:
            return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split())
    return ""


# (who needs, who can help, words the reason must show)
OBVIOUS_PAIRS = [
    ("grand-dax", "petr-monts-et-barrages", "dispositif commun : GPECT"),
    ("petr-vallee-dordogne-correzienne", "cc-val-de-gatine", "propose : « Études et diagnostic économique territorial"),
    ("region-na-demarches-territoriales", "pau-bearn-pyrenees", "Territoire zéro chômeur"),
    ("ciap-champs-du-partage", "region-na-demarches-territoriales", "propose : « Règlement d'intervention de la Région »"),
    ("professionnelle-de-la-formation", "mont-de-marsan-agglomeration", "a déjà mené : « éviter le doublonnage"),
    ("mont-de-marsan-agglomeration", "cc-bazadais", "plate-forme/outil numérique pour faciliter le travail entre entreprises"),
]


@pytest.mark.parametrize(("helped", "helper", "reason"), OBVIOUS_PAIRS)
def test_obvious_pair_appears_on_both_fiches_with_its_reason(site, helped, helper, reason):
    on_helped = _item_about(_section(site, helped, "ils-peuvent-vous-aider"), helper)
    on_helper = _item_about(_section(site, helper, "vous-pouvez-les-aider"), helped)
    assert reason in on_helped, on_helped
    assert reason in on_helper, on_helper
    assert re.search(r"suggestion (forte|moyenne)", on_helped)


# The reader of a fiche is seldom its participant: the fiche's own need is « son besoin », not « votre besoin ».
LABELS = {"ils-peuvent-vous-aider": ("Qui peut aider ce participant", "Pour son", "id"), "vous-pouvez-les-aider": ("Qui ce participant peut aider", "Leur", "other")}


@pytest.mark.parametrize("anchor", LABELS)
def test_a_need_answered_is_called_a_need_and_a_challenge_a_challenge(site, index, anchor):
    heading, prefix, whose = LABELS[anchor]
    labelled = 0
    for ident in index.participants:
        assert _section(site, ident, anchor).startswith(f'<h2 id="{anchor}">{heading}</h2>')
        for other, label, quoted in re.findall(r'<li><a href="../../participants/([^/]+)/">[^\n]*\n    <p class="rep-besoin">([^«]+)«\s(.*?)\s»</p>', _section(site, ident, anchor)):
            stated = index.participant(ident if whose == "id" else other)
            text = html.unescape(re.sub(r"<[^>]+>", "", quoted))
            kind = "besoin" if text in stated.needs else "défi" if text in stated.challenges else None
            assert kind, text
            assert label.replace("\u202f", " ").strip() == f"{prefix} {kind} :", (ident, other, text)
            labelled += 1
    assert labelled > 20


def test_qui_peut_m_aider_lists_every_need_and_challenge(site, index):
    page = (site / "qui-peut-m-aider" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    stated = [t for ident in index.participants for t in (*index.participant(ident).needs, *index.participant(ident).challenges)]
    assert stated
    for need in stated:
        assert " ".join(need.split()) in " ".join(text.split())
    assert "a déjà mené\u202f: «\u202fgestion prévisionnelle des emplois et des compétences (GPECT)" in text


def test_qui_peut_m_aider_is_cut_into_linked_pages_at_national_scale(tmp_path):
    """At 10,000 fiches the single page weighed 28 MB: it is cut into alphabetical pages, each fiche on one of them."""
    index = check(generate(3 * HELP_PAGE_SIZE, 3, tmp_path / "projet") / "data").index
    stating = [ident for ident in index.participants for p in [index.participant(ident)] if p.needs or p.challenges or p.links]
    count = -(-len(stating) // HELP_PAGE_SIZE)
    specs = [spec for spec in plan_pages(index) if spec.template == "aide.html.j2"]
    assert count >= 2
    assert [page_url(spec.uri) for spec in specs] == ["qui-peut-m-aider/", *(f"qui-peut-m-aider/pages/{n}/" for n in range(2, count + 1))]
    pages = [Renderer(index).render(spec).html for spec in specs]

    shown = [re.findall(r'<h2 id="([^"]+)"><a href="[^"]*participants/', page) for page in pages]
    assert [ident for ids in shown for ident in ids] == stating
    assert all(len(ids) == HELP_PAGE_SIZE for ids in shown[:-1])
    second = pages[1]
    assert '<h1 id="contenu">Qui peut m’aider\u202f?, page 2</h1>' in second
    pages_nav = second[second.index('class="rep-pages"') : second.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)">', pages_nav) == ["../../../qui-peut-m-aider/", *(f"../../../qui-peut-m-aider/pages/{n}/" for n in range(3, count + 1))]
    assert pages_nav.count('aria-current="page"') == 1
    # A fiche's « voir aussi » leads to its own needs, on whichever page they are.
    renderer = Renderer(index)
    for page_number, ident in ((1, shown[0][-1]), (2, shown[1][0])):
        fiche = next(spec for spec in plan_pages(index) if spec.template == "participant.html.j2" and spec.key == ident)
        target = "qui-peut-m-aider/" if page_number == 1 else f"qui-peut-m-aider/pages/{page_number}/"
        assert f'voir aussi ses besoins et défis sur <a href="../../{target}#{ident}">' in renderer.render(fiche).html


def test_blocks_are_short_ranked_and_never_suggest_oneself(index):
    found = matching.match(index)
    for need in found.needs:
        assert len(need.suggestions) <= matching.SHOWN
        scores = [s.score for s in need.suggestions]
        assert scores == sorted(scores, reverse=True)
        assert all(s.helper_id != need.participant_id and s.score >= matching.MIN_SCORE for s in need.suggestions)
    for blocks in (found.helpers, found.helped, found.related):
        assert all(len(block) <= matching.SHOWN for block in blocks.values())
    for ident in index.participants:
        helpers, helped, related = found.helpers.get(ident, []), found.helped.get(ident, []), found.related.get(ident, [])
        assert all(s.helped_id == ident != s.helper_id for s in helpers)
        assert all(s.helper_id == ident != s.helped_id for s in helped)
        assert all(r.participant_id != ident for r in related)
        for scores in ([s.score for s in helpers if not s.hand_made], [s.score for s in helped if not s.hand_made], [r.score for r in related]):
            assert scores == sorted(scores, reverse=True)
    assert any(found.helpers.values()) and any(found.helped.values()) and any(found.related.values())
    assert sum(len(n.suggestions) for n in found.needs) < 5 * len(found.needs), "few and good: most needs get fewer than five"


def test_each_suggestion_says_when_both_work_in_one_departement_and_how_strong_it_is(index):
    found = matching.match(index)
    suggestions = [s for need in found.needs for s in need.suggestions]
    for s in suggestions:
        shared = set(index.departements[s.helped_id]) & set(index.departements[s.helper_id])
        assert any(reason.startswith("même département") for reason in s.reasons) == bool(shared), s
    strong = [s for s in suggestions if s.strength == "forte"]
    assert strong and any(s.strength == "moyenne" for s in suggestions)
    assert all(s.score >= matching.STRONG for s in strong)


# (who needs, words of the need, who answers, strength): both score above « forte »
STRENGTHS = [
    ("grandangouleme", "rendre efficient les financements publics", "citizchool", "moyenne"),  # common words only
    ("professionnelle-de-la-formation", "éviter le doublonnage", "mont-de-marsan-agglomeration", "forte"),  # a word only they use
]


@pytest.mark.parametrize(("helped", "words", "helper", "strength"), STRENGTHS)
def test_a_suggestion_is_strong_only_when_it_shares_something_precise_with_the_need(index, helped, words, helper, strength):
    found = [s for need in matching.match(index).needs for s in need.suggestions if s.helped_id == helped and words in s.need and s.helper_id == helper]
    assert len(found) == 1
    assert found[0].score >= matching.STRONG
    assert not any(reason.startswith("thématique") for reason in found[0].reasons)
    assert found[0].strength == strength


def test_a_quoted_passage_is_cut_between_words_even_around_a_long_word():
    long_word = "co-" + "-".join(["construction"] * 10)
    text = "mot " * 40 + f"favoriser la {long_word} des projets " + "fin " * 40
    start = text.index(long_word)
    quoted = matching.excerpt(text, Term("co", start, start + 2))
    assert quoted.startswith("… mot ") and quoted.endswith(" …")
    assert set(quoted.strip("… ").split()) <= {"mot", "favoriser", "la", long_word, "des", "projets", "fin"}


def test_related_initiatives_give_their_reason(site):
    section = _section(site, "pau-bearn-pyrenees", "initiatives-proches")
    item = _item_about(section, "maison-de-l-emploi-bordeaux")
    assert "dispositifs communs : PLIE ; TZCLD ; GPECT" in item


def test_hand_made_link_is_shown_on_both_fiches_as_proposed_by_a_contributor(project_copy):
    from conftest import build

    fiche = project_copy / "data" / "participants" / "citizchool.yml"
    fiche.write_text(fiche.read_text(encoding="utf-8") + "liens:\n  - participant: cc-bazadais\n    motif: Club d'entreprises pour des parrainages\n", encoding="utf-8")
    result = build(project_copy, project_copy / "site")
    assert result.returncode == 0, result.stderr
    on_helped = _item_about(_section(project_copy / "site", "citizchool", "ils-peuvent-vous-aider"), "cc-bazadais")
    on_helper = _item_about(_section(project_copy / "site", "cc-bazadais", "vous-pouvez-les-aider"), "citizchool")
    for item in (on_helped, on_helper):
        assert "Club d'entreprises pour des parrainages" in item and "proposée par un contributeur" in item
    first = _section(project_copy / "site", "citizchool", "ils-peuvent-vous-aider").split("\n  <li>")[1]
    assert 'href="../../participants/cc-bazadais/"' in first.split(">", 1)[0]  # a person's word before the computed ones
    help_page = (project_copy / "site" / "qui-peut-m-aider" / "index.html").read_text(encoding="utf-8")
    listed = help_page[help_page.index('id="mises-en-relation-proposees"') :]
    assert 'href="../participants/cc-bazadais/"' in listed and "Club d'entreprises pour des parrainages" in html.unescape(listed)


def test_acronym_and_expansion_are_the_same_concept(index):
    analyzer = Analyzer(index.directory)

    def keys(text):
        return {t.key for t in analyzer.terms(text)}

    assert keys("une GPECT") == keys("la gestion prévisionnelle des emplois et des compétences")
    assert "c:tzcld" in keys("démarche Territoire zéro chômeur") & keys("TZCLD")
    assert keys("l'emploi des jeunes") == keys("emplois jeunes")
    assert "c:ca" not in keys("ça marche, il n'a pas") and "c:ca" in keys("la CA du Grand Dax")


def test_doubling_the_fiches_roughly_doubles_the_work():
    small, large = (matching.match(build_index(synthetic_directory(n))) for n in (300, 600))
    assert small.evaluations > 300 and small.postings_visited > 300
    assert 1.7 < large.evaluations / small.evaluations < 2.3
    assert 1.7 < large.postings_visited / small.postings_visited < 2.3
