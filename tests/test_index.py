"""The cross-references' lists: fiches in the order of their titles, the same at every build."""

from __future__ import annotations

import dataclasses

from synthetic import synthetic_directory

from repertoire.index import build_index


def test_fiches_of_one_title_are_listed_by_identifier_in_every_list():
    """Homonyms (« Communauté de communes Haut de Sologne ») kept the order of a set, which changes from one
    run of Python to the next: every build then rewrote the pages listing them, and a site's diff was noise."""
    directory = synthetic_directory(40)
    same_title = {ident: dataclasses.replace(p, title="Mission locale") for ident, p in directory.participants.items()}
    index = build_index(dataclasses.replace(directory, participants=same_title))
    expected = sorted(same_title)
    assert index.participants == expected
    assert index.by_territory["r"] == expected
    assert index.by_theme["commun"] == expected
