"""Reading YAML: values stay as the author wrote them, and unsafe YAML is refused with its position."""

from __future__ import annotations

import pytest

from repertoire.load import MAX_DEPTH, MAX_FILE_BYTES, parse
from repertoire.problems import Severity


def parsed(text: str | bytes):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse(raw, "data/participants/x.yml")


def test_values_yaml_1_1_would_convert_stay_as_written():
    document, problems = parsed("a: 09\nb: no\nc: 12:30\nd: 2021-03-16\ne: 2A\nf: 0777\ng: on\n")
    assert problems == []
    assert document.data == {"a": "09", "b": "no", "c": "12:30", "d": "2021-03-16", "e": "2A", "f": "0777", "g": "on"}


def test_true_false_numbers_and_empty_values_are_typed():
    document, _ = parsed("a: true\nb: false\nc: 9\nd: 1.5\ne:\n")
    assert document.data == {"a": True, "b": False, "c": 9, "d": 1.5, "e": None}


def test_duplicate_key_is_refused_at_its_second_occurrence():
    document, problems = parsed("id: x\nthematiques: [a]\nthematiques: [b]\n")
    assert [str(p) for p in problems] == [
        "data/participants/x.yml:3:1: thematiques: la clé « thematiques » est déjà présente plus haut dans ce bloc"
        " — gardez une seule fois cette clé, en réunissant les valeurs"
    ]
    assert document.data["thematiques"] == ["a"]


def test_alias_is_refused_so_an_alias_bomb_cannot_grow():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    document, problems = parsed(bomb)
    assert document is None
    assert [(p.code, p.line) for p in problems] == [("yaml-interdit", 2)]
    assert "alias" in problems[0].message


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    document, problems = parsed(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    assert document is None and not marker.exists()
    assert [(p.code, p.line, p.column) for p in problems] == [("yaml-interdit", 1, 4)]


def test_env_tag_is_refused():
    _, problems = parsed("a: !ENV HOME\n")
    assert [p.code for p in problems] == ["yaml-interdit"]


def test_non_text_key_is_refused():
    _, problems = parsed("? [a, b]\n: c\n")
    assert [p.code for p in problems] == ["yaml-interdit"]


def test_syntax_error_is_located():
    _, problems = parsed("id: x\npersonnes:\n  - nom: a\n   fonction: b\n")
    assert [(p.code, p.line) for p in problems] == [("yaml-invalide", 4)]
    assert "indentation" in problems[0].hint


def test_latin1_file_is_refused_at_the_first_bad_byte():
    _, problems = parsed("id: x\nnom: Cécile\n".encode("latin-1"))
    assert [(p.code, p.line, p.column) for p in problems] == [("fichier-illisible", 2, 7)]
    assert "UTF-8" in problems[0].message


def test_nul_byte_is_refused():
    _, problems = parsed(b"id: x\x00\n")
    assert [(p.code, p.line) for p in problems] == [("fichier-illisible", 1)]


def test_byte_order_mark_is_a_warning_and_the_file_is_read():
    document, problems = parsed(b"\xef\xbb\xbfid: x\n")
    assert document.data == {"id": "x"}
    assert [(p.code, p.severity) for p in problems] == [("fichier-illisible", Severity.WARNING)]


def test_huge_file_is_refused_before_parsing():
    _, problems = parsed(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    assert [p.code for p in problems] == ["fichier-trop-gros"]


def test_deep_nesting_is_refused_before_the_tree_is_built():
    # 100 000 nested lists used to crash the recursive C tree builder (segmentation fault).
    depth = 100_000
    _, problems = parsed("a: " + "[" * depth + "]" * depth + "\n")
    # The root block is the first level, so the first refused bracket is number MAX_DEPTH, from column 4.
    assert [(p.code, p.line, p.column) for p in problems] == [("yaml-interdit", 1, 3 + MAX_DEPTH)]


def test_moderate_nesting_is_refused_at_the_same_place_whether_or_not_the_file_is_scanned_first():
    # A « * » anywhere makes the file go through the parser's events before the tree is built;
    # without one the tree builder itself refuses the level past MAX_DEPTH: same message, same place.
    nested = "actions:\n" + "".join("  " * level + "-\n" for level in range(MAX_DEPTH + 5))
    plain = parsed(nested)
    starred = parsed("# note *\n" + nested)
    assert plain[0] is None and starred[0] is None
    assert [(p.code, p.line, p.column) for p in plain[1]] == [("yaml-interdit", MAX_DEPTH + 1, 2 * MAX_DEPTH - 1)]
    assert f"plus de {MAX_DEPTH} niveaux" in plain[1][0].message
    assert [(p.code, p.line - 1, p.column, p.message) for p in starred[1]] == [(p.code, p.line, p.column, p.message) for p in plain[1]]


def test_syntax_reason_is_given_in_french():
    _, problems = parsed('a: "\\q"\n')
    assert [str(p) for p in problems] == [
        "data/participants/x.yml:1:5: YAML incorrect : barre oblique inverse \\ suivie d'un caractère inconnu"
        " — pour écrire une barre oblique inverse, doublez-la (\\\\), ou mettez tout le texte entre apostrophes ('…')"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n  b: 1\n\tc: 2\n", "x.yml:3:1: YAML incorrect : tabulation dans l'indentation (YAML n'accepte que des espaces)"),
        ("titre: 'Maison de l'emploi'\n", "x.yml:1:21: YAML incorrect : du texte suit le guillemet qui ferme la valeur"),
        ("actions:\n  - 'Retour d'expériences :'\n", "x.yml:2:15: YAML incorrect : du texte suit le guillemet qui ferme la valeur"),
        ('titre: "Le « club »" des entreprises\n', "x.yml:1:22: YAML incorrect : du texte suit le guillemet qui ferme la valeur"),
        ("dispositifs: [gpect, , plie]\n", "x.yml:1:22: YAML incorrect : valeur attendue à cet endroit (une virgule ou un signe en trop ?)"),
        ("titre: Médiation\nactions:\n  - à l'écoute \x1b\n", "x.yml:3:16: caractère invisible U+001B (caractère de contrôle), refusé par YAML"),
        ("titre: Médiation\nactions:\n  - Accueil\u2028des habitants\n", "x.yml:3:12: caractère invisible U+2028 (séparateur de ligne), lu comme un saut de ligne"),
        ("organisation:\n  type:intercommunalite\n  nom: Grand Dax\n", "x.yml:2:8: YAML incorrect : pas d'espace après le deux-points du champ"),
        ("titre: Médiation\nmise_a_jour:'2021-03-16'", "x.yml:2:13: YAML incorrect : pas d'espace après le deux-points du champ"),
        ("actions:\n  - * important : oui\n", "x.yml:2:6: YAML incorrect : « * » ou « & » en début de valeur, lu comme un renvoi YAML"),
        ("actions:\n  - > citation\n", "x.yml:2:7: YAML incorrect : texte sur la même ligne que « > » ou « | » en début de valeur"),
        ("organisation:\n\u00a0 type: intercommunalite\n", "x.yml:2:1: espace insécable U+00A0 dans l'indentation : YAML ne la compte pas comme une espace"),
        ("actions:\n  - structurer la RSE #priorité 1\n", "x.yml:2:23: actions[0]: le texte qui suit « # » est lu comme un commentaire et ne serait pas publié"),
        ("defis:\n  - réunir les acteurs de la santé\n   - structurer la dynamique\n", "x.yml:3:4: defis[0]: ce tiret est lu comme la suite du texte de la ligne au-dessus : les deux éléments n'en font qu'un"),
        ("defis:\n  – réunir les acteurs\n  - structurer\n", "x.yml:2:3: defis: « – » n'ouvre pas un élément de liste, seul « - » suivi d'une espace le fait : ce texte et les lignes suivantes n'en font qu'un"),
        ("actions: Trois axes\n  - emploi\n", "x.yml:2:3: actions: ce tiret est lu comme la suite du texte écrit après « actions: » : la liste n'est pas lue"),
        ("titre: Essai\ractions:\r  - RSE #priorité\r", "x.yml:3:9: actions[0]: le texte qui suit « # » est lu comme un commentaire et ne serait pas publié"),
        ("actions:\n  - 9:30 accueil des publics\n  - Objectif : réduire: x\n", "x.yml:3:23: YAML incorrect : deux-points « : » inattendu"),
        ("actions:\n  - structurer la RSE,\n    #priorité 1\n  - accueillir\n", "x.yml:3:5: actions[0]: cette ligne commence par « # » : YAML la lit comme un commentaire et elle ne serait pas publiée"),
        ("actions:\n  - #urgent\n  - accueillir\n", "x.yml:2:5: actions[0]: le texte qui suit « # » est lu comme un commentaire et ne serait pas publié"),
        ("organisation:\n  nom: 'Asso : emploi' #priorité\n", "x.yml:2:24: organisation.nom: le texte qui suit « # » est lu comme un commentaire et ne serait pas publié"),
        ("actions: #2021\n  - accueillir\n", "x.yml:1:10: actions: le texte qui suit « # » est lu comme un commentaire et ne serait pas publié"),
        ("actions:\n  - |  #bilan\n    accueillir\n", "x.yml:2:8: actions[0]: le texte qui suit « # » est lu comme un commentaire et ne serait pas publié"),
        ('actions:\n  - "Axes\\_:\\nemploi" #urgent\n', "x.yml:2:23: actions[0]: le texte qui suit « # » est lu comme un commentaire et ne serait pas publié"),
        ('actions:\n  - "Dossier : S:\\national"\n', "x.yml:2:18: avertissement: actions[0]: entre guillemets droits, « \\n » est un code YAML qui devient un saut de ligne"),
        ('actions:\n  - "Dossier : \\emploi"\n', "x.yml:2:16: actions[0]: entre guillemets droits, « \\e » est un code YAML qui devient un autre caractère"),
        ('actions:\n  - "Dossier : C:\\Users"\n', "x.yml:2:18: YAML incorrect : barre oblique inverse \\ suivie d'un code de caractère incomplet"),
        ("actions: - une action\n", "x.yml:1:10: YAML incorrect : tiret de liste sur la ligne du nom du champ"),
        ('actions:\n  - "début\n---\n  fin"\n', "x.yml:3:1: YAML incorrect : ligne « --- » ou « ... » au milieu d'un texte"),
        ("actions:\n  - Première action qui est longue\n  continue ici\n  - Deuxième\n", "x.yml:3:3: YAML incorrect : cette ligne, alignée sur le tiret au-dessus, n'est ni un élément de liste ni un champ"),
        ("actions:\n  - Trois axes\n    • former\n    • recruter\n", "x.yml:3:5: actions[0]: « • » n'ouvre pas un élément de liste : cette ligne est lue comme la suite du texte au-dessus"),
        ("actions:\n  - Réunir les acteurs\n    – avec la Région – autour du projet\n", "x.yml:3:5: avertissement: actions[0]: cette ligne, qui commence par « – », est lue comme la suite du texte au-dessus"),
        ("actions:\n  - Objectifs :\n    former et recruter\n  - Autre action\n", "x.yml:2:15: YAML incorrect : ce texte se termine par un deux-points, que YAML lit comme celui d'un nom de champ"),
        ("actions:\n  - Une action\n  -Nouvelle action\nbesoins:\n  - Un besoin\n", "x.yml:3:3: YAML incorrect : tiret sans espace après lui : la ligne n'est pas lue comme un élément de liste"),
        ("actions:\n  - \"Objectifs :\"\n  -\u00a0Nouvelle action\nbesoins:\n  - Un besoin\n", "x.yml:3:3: YAML incorrect : tiret sans espace après lui : la ligne n'est pas lue comme un élément de liste"),
        ("actions:\n  - Une action\nNouvelle action sans tiret\nbesoins:\n  - Un besoin\n", "x.yml:3:1: YAML incorrect : cette ligne n'est ni un champ (« nom: valeur ») ni un élément de liste (« - texte »)"),
        ("```yaml\nid: x\n```\n", "x.yml:1:1: YAML incorrect : ligne « ``` » copiée avec le modèle"),
        ("actions:\n  - Nous sommes le # 1 du territoire\n", "x.yml:2:20: avertissement: actions[0]: le texte qui suit « # » est un commentaire : il ne sera pas publié"),
        ("actions:\n  - Priorité # 1\n", "x.yml:2:14: avertissement: actions[0]: le texte qui suit « # » est un commentaire : il ne sera pas publié"),
    ],
    ids=[
        "tabulation", "apostrophe", "apostrophe dans une liste", "guillemets", "virgule en trop", "caractère de contrôle", "séparateur de ligne",
        "deux-points collé", "deux-points collé en dernière ligne", "astérisque", "chevron", "espace insécable", "dièse", "élément décalé", "tiret long",
        "texte du champ avant sa liste", "fin de ligne des anciens Mac", "heure dans un texte",
        "dièse en début de ligne suivante", "dièse seul après le tiret", "dièse après des guillemets", "dièse après le nom du champ", "dièse après la barre verticale", "dièse après un texte du formulaire", "chemin Windows entre guillemets", "barre oblique devant une lettre", "code de caractère incomplet",
        "liste sur la ligne du champ", "trois tirets dans un texte", "suite d'un élément sous son tiret", "puce de traitement de texte", "tiret de dialogue",
        "élément terminé par deux-points", "tiret collé", "tiret et espace insécable après un texte entre guillemets", "ligne sans tiret ni champ", "modèle copié avec ses ```", "commentaire après un texte", "dièse d'un numéro après un mot",
    ],
)
def test_a_mistake_made_in_a_text_editor_is_explained_in_french_at_its_place(text, expected):
    _, problems = parsed(text.encode())
    assert [str(p).split(" — ")[0] for p in problems] == [expected.replace("x.yml", "data/participants/x.yml")]


def test_an_apostrophe_that_closes_a_text_early_says_how_to_write_it():
    _, problems = parsed("titre: 'Maison de l'emploi'\n".encode())
    assert problems[0].hint == "dans un texte entre apostrophes, doublez chaque apostrophe ('Maison de l''emploi'), ou mettez tout le texte entre guillemets droits (\"Maison de l'emploi\")"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("actions:\n  - [Lien] vers le site\n", "un texte qui commence par « [ » s'écrit entre guillemets droits (\"[…\")"),
        ("actions:\n  - % de chômeurs\n", "un texte qui commence par « % » s'écrit entre guillemets droits (\"%…\")"),
        ('actions:\n  - "Aller vers" les habitants\n', "un texte qui commence par un guillemet droit s'arrête au guillemet suivant : mettez tout le texte entre apostrophes ('\"Aller vers\" les habitants'), ou écrivez les guillemets français « »"),
        ("mise_a_jour:'2021-03-16'\ntitre: x\n", "ajoutez une espace après le deux-points : « mise_a_jour: '2021-03-16' »"),
    ],
    ids=["crochet", "pourcentage", "guillemets en tête", "deux-points collé"],
)
def test_a_text_yaml_reads_as_syntax_says_how_to_write_it(text, hint):
    _, problems = parsed(text)
    assert [p.hint for p in problems] == [hint]


def test_a_list_between_brackets_left_open_is_not_told_to_become_a_text():
    _, problems = parsed("territoires: [gironde, landes\n")
    assert [p.hint for p in problems] == ["vérifiez l'indentation (espaces, pas de tabulation) et les guillemets"]


def test_a_backslash_that_reads_as_written_is_kept_between_double_quotes():
    document, problems = parsed('actions:\n  - "un \\"mot\\" et C:\\\\dossier"\n  - "une ligne \\\n    qui continue"\n'
                                '  - "Trois axes\\_: emploi\\nformation des jeunes"\n')  # as js-yaml writes a no-break space and a line break
    assert problems == []
    assert document.data == {"actions": ['un "mot" et C:\\dossier', "une ligne qui continue", "Trois axes\u00a0: emploi\nformation des jeunes"]}


def test_a_comment_written_as_one_stays_a_comment():
    document, problems = parsed(
        "# yaml-language-server: $schema=x\nthematiques:\n  - ess  # ajoutée en 2024\n  - mobilite # à confirmer\n"
        "    # à revoir\n  #emploi, retirée en 2024\nactions:\n  - accueillir les publics  # à confirmer\n\n    # 2021 : une réunion\n"
        "personnes:\n  - nom: Jeanne Durand\n    #fonction à demander\n    fonction: directrice\n"  # a note aligned on the fields
    )
    assert problems == []
    assert document.data == {"thematiques": ["ess", "mobilite"], "actions": ["accueillir les publics"], "personnes": [{"nom": "Jeanne Durand", "fonction": "directrice"}]}


def test_a_colon_inside_a_text_says_to_put_the_text_between_quotation_marks():
    _, problems = parsed("titre: Maison: emploi\n".encode())
    assert str(problems[0]) == (
        "data/participants/x.yml:1:14: YAML incorrect : deux-points « : » inattendu"
        " — si ce deux-points est dans un texte, mettez tout le texte entre guillemets droits (\"…\") ; sinon, vérifiez l'indentation"
    )


def test_a_very_long_number_stays_text_instead_of_crashing():
    document, problems = parsed("a: " + "1" * 5000 + "\nb: 123456789012345\n")
    assert problems == []
    assert document.data == {"a": "1" * 5000, "b": 123456789012345}


def test_utf16_file_is_named_as_such():
    _, problems = parsed("id: x\n".encode("utf-16"))
    assert [(p.code, p.message) for p in problems] == [("fichier-illisible", "le fichier est encodé en UTF-16")]
