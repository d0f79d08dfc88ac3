"""Tests of repertoire.importer: each trap of the seed on a tiny table, then the real seed and
the 22 curated fiches (nothing of the participants' words may be lost on the way)."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from repertoire.cli import main
from repertoire.importer import (
    SCHEMA_LINE,
    TableError,
    dump_yaml,
    main_importer,
    read_table,
    split_participant,
    write_drafts,
)

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "atelier-2021-03-16.txt"
PARTICIPANTS = REPO / "data" / "participants"
SCHEMA = json.loads((REPO / "data" / "schemas" / "participant.schema.json").read_text(encoding="utf-8"))
CONTENT = ("actions", "defis", "besoins", "ressources")

EXPECTED_LINES = {
    "petr-monts-et-barrages": [10],
    "cite-de-l-emploi-tarbes": [12],
    "commune-de-fauillet": [13],
    "grandangouleme": [15],
    "petr-vallee-dordogne-correzienne": [18],
    "grand-dax": [19],
    "maison-de-l-emploi-bordeaux": [21],
    "plie-grand-poitiers": [22],
    "bordeaux-metropole-rive-droite": [24],
    "adsi-plie-technowest": [25],
    "pau-bearn-pyrenees": [26],
    "petr-sud-gironde": [28],
    "est-creuse-developpement": [29],
    "cc-bazadais": [30, 32],
    "mont-de-marsan-agglomeration": [33],
    "cc-val-de-gatine": [34],
    "ciap-champs-du-partage": [36],
    "professionnelle-de-la-formation": [37],
    "citizchool": [39],
    "region-na-demarches-territoriales": [40],
    "region-na-pole-formation": [42],
    "region-na-plateforme-emploi": [43],
}


# --- helpers ---------------------------------------------------------------------------------

def row(*cells: str) -> str:
    return "\t".join(cells + ("",) * (5 - len(cells)))


def write_table(tmp_path: Path, *rows: str, preamble: str = "Atelier du 16 mars 2021\nUne phrase d'introduction.") -> Path:
    """A table whose header is line 3 and first row line 4."""
    path = tmp_path / "atelier.txt"
    header = row("Participants", "Actions", "Défis", "Besoins", "Ressources")
    path.write_text("\n".join([preamble, header, *rows]), encoding="utf-8")
    return path


def actions_of(tmp_path: Path, cell: str) -> list[str]:
    return read_table(write_table(tmp_path, row("Nom / Org", cell))).records[0].actions


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def seed_cell_words(cell: str) -> list[str]:
    """Words of a raw seed cell, computed without the importer."""
    return words(html.unescape(re.sub(r"<[^>]*>", " ", cell)))


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def curated() -> list[Path]:
    return sorted(PARTICIPANTS.glob("*.yml"))


def assert_no_word_lost(fiche: dict, seed_lines: list[str]) -> None:
    rows = [seed_lines[n - 1].split("\t") for n in fiche["source"]["lignes"]]
    for column, field in enumerate(CONTENT, start=1):
        expected = [w for cells in rows for w in seed_cell_words(cells[column])]
        assert words(" ".join(fiche.get(field, []))) == expected, f"{fiche['id']}: {field}"


# --- preamble and header ---------------------------------------------------------------------

def test_title_date_and_introduction_come_from_the_preamble(tmp_path):
    workshop = read_table(write_table(tmp_path, preamble="\n\nAtelier du 16 mars 2021\n\nCet atelier a permis…\n"))
    assert (workshop.title, workshop.date, workshop.introduction) == ("Atelier du 16 mars 2021", "2021-03-16", "Cet atelier a permis…")
    assert workshop.id == "atelier-2021-03-16"
    assert workshop.source == "atelier.txt"


@pytest.mark.parametrize(("title", "date"), [
    ("Atelier du 1er février 2022", "2022-02-01"),
    ("Rencontre du 15 août 2020", "2020-08-15"),
    ("Atelier du 3 DÉCEMBRE 2019", "2019-12-03"),
])
def test_french_month_names_are_parsed(tmp_path, title, date):
    assert read_table(write_table(tmp_path, preamble=title)).date == date


def test_table_without_a_date_is_refused(tmp_path):
    with pytest.raises(TableError, match="aucune date"):
        read_table(write_table(tmp_path, preamble="Atelier de printemps"))


def test_impossible_date_is_refused(tmp_path):
    with pytest.raises(TableError, match="n'existe pas"):
        read_table(write_table(tmp_path, preamble="Atelier du 31 février 2021"))


def test_header_cells_are_kept(tmp_path):
    assert read_table(write_table(tmp_path)).header == ["Participants", "Actions", "Défis", "Besoins", "Ressources"]


def test_header_with_wrong_number_of_cells_is_refused(tmp_path):
    path = tmp_path / "atelier.txt"
    path.write_text("Atelier du 16 mars 2021\nParticipants\tActions", encoding="utf-8")
    with pytest.raises(TableError, match="ligne 2 : l'en-tête a 2 cellules, 5 attendues"):
        read_table(path)


def test_file_not_in_utf8_is_refused(tmp_path):
    path = tmp_path / "atelier.txt"
    path.write_bytes("Atelier du 16 février 2021\nA\tB\tC\tD\tE".encode("latin-1"))
    with pytest.raises(TableError, match="UTF-8"):
        read_table(path)


# --- rows ------------------------------------------------------------------------------------

def test_markdown_separator_row_is_skipped(tmp_path):
    workshop = read_table(write_table(tmp_path, row("A / X", "a"), "--\t--\t---\t--\t--", row("B / Y", "b")))
    assert [r.participant for r in workshop.records] == ["A / X", "B / Y"]


def test_line_numbers_are_physical_and_blank_lines_skipped(tmp_path):
    workshop = read_table(write_table(tmp_path, row("A / X", "a"), "", "", row("B / Y", "b")))
    assert [r.lines for r in workshop.records] == [[4], [7]]


def test_line_with_empty_first_cell_continues_the_previous_record(tmp_path):
    workshop = read_table(write_table(tmp_path, row("A / X", "<p>un.</p>", "", "", "<p>offre</p>"), "", row("", "<p>deux.</p>", "<p>défi</p>")))
    [record] = workshop.records
    assert record.lines == [4, 6]
    assert (record.actions, record.defis, record.ressources) == (["un.", "deux."], ["défi"], ["offre"])


def test_paragraph_split_mid_sentence_is_joined_back(tmp_path):
    table = write_table(
        tmp_path,
        row("A / X", "<p>Leader + 2 Cdc + fond de</p>", "<p>Identifier la personne qui sera chargée de</p>"),
        row("", "<p>revitalisation Ford.</p> <p>La création d'une SEM.</p>", "former les entreprises."),
    )
    record = read_table(table).records[0]
    assert record.actions == ["Leader + 2 Cdc + fond de revitalisation Ford.", "La création d'une SEM."]
    assert record.defis == ["Identifier la personne qui sera chargée de former les entreprises."]


def test_continuation_starting_a_new_bullet_stays_a_separate_item(tmp_path):
    table = write_table(tmp_path, row("A / X", "<ul> - travailler avec les entreprises"), row("", "<ul> - faciliter le recrutement"))
    assert read_table(table).records[0].actions == ["travailler avec les entreprises", "faciliter le recrutement"]


def test_continuation_after_a_full_sentence_stays_a_separate_item(tmp_path):
    table = write_table(tmp_path, row("A / X", "<p>Une phrase finie.</p>"), row("", "<p>puis une autre</p>"))
    assert read_table(table).records[0].actions == ["Une phrase finie.", "puis une autre"]


def test_continuation_without_a_record_above_is_refused(tmp_path):
    with pytest.raises(TableError, match="ligne 4 : la cellule participant est vide"):
        read_table(write_table(tmp_path, row("", "orphelin")))


def test_row_with_too_many_cells_is_refused(tmp_path):
    with pytest.raises(TableError, match="ligne 4 : 6 cellules, 5 attendues"):
        read_table(write_table(tmp_path, "A\tb\tc\td\te\tf"))


def test_missing_trailing_cells_count_as_empty(tmp_path):
    record = read_table(write_table(tmp_path, "A / X\t<p>a</p>")).records[0]
    assert (record.actions, record.defis, record.besoins, record.ressources) == (["a"], [], [], [])


# --- cells -----------------------------------------------------------------------------------

def test_unclosed_ul_without_li_is_split_on_hyphen_bullets(tmp_path):
    cell = '<ul style="list-style-type: none"> - Syndicat mixte regroupe 2 EPCI -comment faire ?  -  Travail sur l\'attractivité '
    assert actions_of(tmp_path, cell) == ["Syndicat mixte regroupe 2 EPCI", "comment faire ?", "Travail sur l'attractivité"]


@pytest.mark.parametrize("text", [
    "Jacques Le-priol", "Action cœur de ville sur Mont-de-Marsan", "un travail de co-construction",
    "projet associatif (avril-sept.2021)", "CIAP-Champs du Partage", "Région N-A", "Plate-forme mobilité",
    "Réseau National des Espaces-Test Agricoles", "principe du donnant-donnant", "un 1/3 lieu -",
])
def test_hyphens_inside_words_never_split(tmp_path, text):
    assert actions_of(tmp_path, f"<ul> - {text}") == [text]


def test_hyphen_before_a_digit_or_a_quote_starts_an_item(tmp_path):
    assert actions_of(tmp_path, '<ul> - une cohorte - 50 personnes - "Euratlantique"') == ["une cohorte", "50 personnes", '"Euratlantique"']


def test_paragraphs_become_items(tmp_path):
    cell = "<ul> - un - deux <p>Quel est le rôle de chaque échelle ?</p> <p>- trois</p>"
    assert actions_of(tmp_path, cell) == ["un", "deux", "Quel est le rôle de chaque échelle ?", "trois"]


def test_li_elements_become_items(tmp_path):
    assert actions_of(tmp_path, "<ul><li>un</li><li>deux</li></ul>") == ["un", "deux"]


def test_inline_tags_are_dropped_and_their_text_kept(tmp_path):
    assert actions_of(tmp_path, "<p><u>Retour d'expériences</u> :</p>") == ["Retour d'expériences :"]


def test_html_entities_are_unescaped(tmp_path):
    assert actions_of(tmp_path, "<p>R&amp;D &laquo;&nbsp;ici&nbsp;&raquo; l&#39;emploi</p>") == ["R&D « ici » l'emploi"]


def test_raw_ampersand_hash_and_arrows_are_kept(tmp_path):
    assert actions_of(tmp_path, "<p>financer de la R&D => #Happyterr# >> suite</p>") == ["financer de la R&D => #Happyterr# >> suite"]


def test_whitespace_is_collapsed(tmp_path):
    assert actions_of(tmp_path, "<p>  un   texte \u00a0 espacé  </p>") == ["un texte espacé"]


def test_participant_cell_is_plain_text(tmp_path):
    record = read_table(write_table(tmp_path, row("<p>Lucie Leroy / Grand&nbsp;Angoulême</p>"))).records[0]
    assert record.participant == "Lucie Leroy / Grand Angoulême"


# --- participant cell ------------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "names", "organisation"), [
    ("Maxime Roby / PETR Monts et barrages", ["Maxime Roby"], "PETR Monts et barrages"),
    ("Lydie Drouard - CitiZchool", ["Lydie Drouard"], "CitiZchool"),
    ("Jacques Le-priol, Région N-A", ["Jacques Le-priol"], "Région N-A"),
    ("Eric BEDIN - CIAP-Champs du Partage", ["Eric BEDIN"], "CIAP-Champs du Partage"),
    ("Cécile BECHON et Ghislaine Paparemborde - CDA Pau Béarn Pyrénées", ["Cécile BECHON", "Ghislaine Paparemborde"], "CDA Pau Béarn Pyrénées"),
    ("Elise ENNAHLI PETR Sud Gironde", ["Elise ENNAHLI"], "PETR Sud Gironde"),
    ("Marion GIORDANI ADSI - PLIE technowest", ["Marion GIORDANI"], "ADSI - PLIE technowest"),
    ("Maison de l'emploi de Bordeaux Agnès PALLET", ["Agnès PALLET"], "Maison de l'emploi de Bordeaux"),
    ("Myriam LOUIS, professionnelle de la formation", ["Myriam LOUIS"], "professionnelle de la formation"),
])
def test_participant_cell_is_split_into_names_and_organisation(cell, names, organisation):
    assert split_participant(cell) == (names, organisation)


# --- drafts ----------------------------------------------------------------------------------

def draft_of(tmp_path: Path, *rows: str) -> tuple[Path, dict]:
    out = tmp_path / "participants"
    [draft] = write_drafts(read_table(write_table(tmp_path, *rows)), out)
    return draft.path, load(draft.path)


def test_draft_starts_with_the_schema_line_and_keeps_schema_key_order(tmp_path):
    path, fiche = draft_of(tmp_path, row("<p>Denis Paineau / CdC du Bazadais</p>", "<p>a</p>", "<p>b</p>", "", "<p>c</p>"))
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    assert len(fiche) > 5 and list(fiche) == [key for key in SCHEMA["properties"] if key in fiche]


def test_draft_holds_names_organisation_items_and_source(tmp_path):
    path, fiche = draft_of(tmp_path, row("Denis Paineau / CdC du Bazadais", "<p>Un.</p>"), row("", "<p>Deux</p>"))
    assert path.name == "atelier-2021-03-16-ligne-4.yml"
    assert fiche == {
        "id": "atelier-2021-03-16-ligne-4",
        "personnes": [{"nom": "Denis Paineau"}],
        "organisation": {"nom": "CdC du Bazadais", "type": "autre"},
        "actions": ["Un.", "Deux"],
        "atelier": "atelier-2021-03-16",
        "source": {"fichier": "atelier.txt", "lignes": [4, 5]},
        "mise_a_jour": "2021-03-16",
    }


def test_draft_follows_the_participant_schema(tmp_path):
    _, fiche = draft_of(tmp_path, row("Myriam LOUIS", "<p>a</p>"))
    assert not list(Draft202012Validator(SCHEMA).iter_errors(fiche))


def test_existing_file_is_never_overwritten(tmp_path):
    out = tmp_path / "participants"
    out.mkdir()
    (out / "atelier-2021-03-16-ligne-4.yml").write_text("# à la main\n", encoding="utf-8")
    [draft] = write_drafts(read_table(write_table(tmp_path, row("A / X", "a"))), out)
    assert not draft.written
    assert draft.path.read_text(encoding="utf-8") == "# à la main\n"


def test_record_already_curated_under_another_name_gets_no_draft(tmp_path):
    out = tmp_path / "participants"
    out.mkdir()
    (out / "cc-bazadais.yml").write_text("id: cc-bazadais\nsource:\n  fichier: atelier.txt\n  lignes: [4, 5]\n", encoding="utf-8")
    workshop = read_table(write_table(tmp_path, row("A / X", "a"), row("", "b"), row("B / Y", "c")))
    drafts = write_drafts(workshop, out)
    assert [(d.path.name, d.written) for d in drafts] == [("cc-bazadais.yml", False), ("atelier-2021-03-16-ligne-6.yml", True)]


def test_yaml_lookalikes_are_quoted_and_read_back_as_text():
    values = {"date": "2021-03-16", "oui": "yes", "heure": "12:30", "octal": "0o17", "nombre": "1.10", "diese": "#Happyterr#"}
    text = dump_yaml(values)
    assert "date: '2021-03-16'" in text and "octal: '0o17'" in text
    assert yaml.safe_load(text) == values


def test_long_texts_are_not_wrapped():
    text = dump_yaml({"actions": ["mot " * 200]})
    assert len(text.splitlines()) == 3


# --- command line ----------------------------------------------------------------------------

def test_main_importer_writes_drafts_and_reports_in_french(tmp_path, capsys):
    table = write_table(tmp_path, row("A / X", "a"), row("B / Y", "b"))
    assert main_importer(table, tmp_path / "sortie") == 0
    out = capsys.readouterr().out
    assert "atelier.txt : « Atelier du 16 mars 2021 » (2021-03-16), 2 fiches lues." in out
    assert "2 brouillons écrits, 0 fiche déjà présente conservée." in out
    assert main_importer(table, tmp_path / "sortie") == 0
    assert "0 brouillon écrit, 2 fiches déjà présentes conservées." in capsys.readouterr().out


def test_main_importer_on_a_missing_file_returns_2(tmp_path, capsys):
    assert main_importer(tmp_path / "absent.txt", tmp_path) == 2
    assert "absent.txt n'existe pas" in capsys.readouterr().err


def test_the_importer_given_a_folder_as_its_table_says_so_in_french(tmp_path, capsys):
    assert main(["importer", str(tmp_path), "--sortie", str(tmp_path / "sortie")]) == 2
    assert capsys.readouterr().err == f"« {tmp_path} » est un dossier, là où un fichier est attendu — vérifiez le chemin donné à la commande.\n"
    table = write_table(tmp_path, row("Denis Paineau / CdC du Bazadais", "<p>a</p>"))
    assert main(["importer", str(table), "--sortie", str(table / "sortie")]) == 2
    assert capsys.readouterr().err == f"« {table / 'sortie'} » passe par un fichier, là où un dossier est attendu — vérifiez le chemin donné à la commande.\n"


def test_main_importer_on_an_unreadable_table_returns_1(tmp_path, capsys):
    assert main_importer(write_table(tmp_path, preamble="Sans date"), tmp_path) == 1
    assert "aucune date" in capsys.readouterr().err


# --- the real seed and the curated fiches ----------------------------------------------------

def test_seed_gives_22_records_with_r14_on_lines_30_and_32():
    workshop = read_table(SEED)
    assert (workshop.title, workshop.date, len(workshop.records)) == ("Atelier du 16 mars 2021", "2021-03-16", 22)
    assert [r.lines for r in workshop.records] == list(EXPECTED_LINES.values())
    assert workshop.introduction.startswith("Cet atelier a permis de dresser un premier état des lieux")


def test_the_22_curated_fiches_exist_with_their_ids_and_lines():
    fiches = {path.stem: load(path) for path in curated()}
    assert sorted(fiches) == sorted(EXPECTED_LINES)
    for stem, fiche in fiches.items():
        assert fiche["id"] == stem
        assert fiche["source"] == {"fichier": SEED.name, "lignes": EXPECTED_LINES[stem]}


def test_no_fiche_comes_from_the_separator_row(seed_lines):
    header = next(i for i, line in enumerate(seed_lines) if "\t" in line)
    data = [n for n, line in enumerate(seed_lines, 1) if n > header + 1 and line.strip()]
    separators = [n for n in data if re.fullmatch(r"[-\t ]+", seed_lines[n - 1])]
    cited = [n for path in curated() for n in load(path)["source"]["lignes"]]
    assert separators == [16]
    assert sorted(cited) == [n for n in data if n not in separators]


@pytest.mark.parametrize("ident", EXPECTED_LINES)
def test_curated_fiche_follows_the_participant_schema(ident):
    fiche = load(PARTICIPANTS / f"{ident}.yml")
    assert not [error.message for error in Draft202012Validator(SCHEMA).iter_errors(fiche)]


@pytest.mark.parametrize("ident", EXPECTED_LINES)
def test_curated_fiche_loses_no_word_of_the_seed(ident, seed_lines):
    assert_no_word_lost(load(PARTICIPANTS / f"{ident}.yml"), seed_lines)


@pytest.mark.parametrize("ident", EXPECTED_LINES)
def test_every_word_of_the_participant_cell_is_in_the_name_fields(ident, seed_lines):
    fiche = load(PARTICIPANTS / f"{ident}.yml")
    persons, organisation = fiche["personnes"], fiche.get("organisation", {})
    fields = [fiche.get("titre", ""), organisation.get("nom_source", organisation.get("nom", ""))]
    fields += [p.get("nom_source", p["nom"]) + " " + p.get("fonction", "") for p in persons]
    expected = Counter(seed_cell_words(seed_lines[fiche["source"]["lignes"][0] - 1].split("\t")[0]))
    expected["et"] -= len(persons) - 1  # the « et » joining two persons
    assert not expected - Counter(words(" ".join(fields)))


def test_importer_drafts_lose_no_word_of_the_seed(tmp_path, seed_lines):
    drafts = write_drafts(read_table(SEED), tmp_path)
    assert len(drafts) == 22 and all(d.written for d in drafts)
    for draft in drafts:
        assert_no_word_lost(load(draft.path), seed_lines)


def test_importer_recognises_every_curated_fiche(tmp_path):
    for path in curated():
        shutil.copy(path, tmp_path)
    drafts = write_drafts(read_table(SEED), tmp_path)
    assert not [d.path.name for d in drafts if d.written]
    assert sorted(d.path.stem for d in drafts) == sorted(EXPECTED_LINES)
