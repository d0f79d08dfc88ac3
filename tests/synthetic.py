"""A synthetic directory of any size, for measuring how matching scales (tests and `bench/`)."""

from __future__ import annotations

from repertoire.model import Directory, GlossaryEntry, Participant, Scheme, Territory, Theme


def synthetic_directory(count: int) -> Directory:
    """`count` fiches whose words, dispositifs and départements are each shared by a handful of others,
    plus a word, a thématique and a région that every fiche shares."""
    region = Territory("r", "Région", "region", "99", (), None)
    territories = {"r": region} | {f"d{k}": Territory(f"d{k}", f"Département {k}", "departement", f"{k:03}", ("r",), None) for k in range(count // 10)}
    schemes = {f"s{k}": Scheme(f"s{k}", f"Dispositif {k}", "…", "local") for k in range(count // 5)}
    themes = {"commun": Theme("commun", "Thème commun", "Partagé par toutes les fiches.")}

    def words(i: int, shift: int) -> str:
        return " ".join(f"sujet{(i * 7 + shift + j) % count}x" for j in range(3)) + " partenariat"

    participants = {
        f"p{i}": Participant(
            id=f"p{i}", file=f"data/participants/p{i}.yml", title=f"Fiche {i}", persons=(), hide_names=False, organisation=None,
            territory_ids=(f"d{i % (count // 10)}",), scheme_ids=(f"s{i % (count // 5)}",), theme_ids=("commun",),
            actions=(words(i, 0), words(i, 3)), challenges=(words(i + 1, 1),), needs=(words(i + 2, 2),), offers=(words(i, 5),),
            links=(), workshop_id=None, source_file=None, source_lines=(), updated="2021-03-16",
        )
        for i in range(count)
    }
    return Directory(participants, territories, schemes, themes, [GlossaryEntry("PLIE", "…", "Plan local pour l'insertion et l'emploi")], {}, None)
