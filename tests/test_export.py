"""Open data: the directory published as CSV (valid against its TableSchema), JSON and spreadsheet, with the same
lines, without any person's name, under Licence Ouverte 2.0 with its attribution; also written by
`python -m repertoire exporter`."""

from __future__ import annotations

import csv
import html
import json
import os
import subprocess
import sys
import zipfile

import pytest
import yaml
from frictionless import Resource, Schema, validate
from odf import opendocument

from conftest import PROJECT
from opendata import csv_rows, sheet_rows
from repertoire import export, pipeline


@pytest.fixture
def published(site):
    return site / "donnees"


def all_person_names(index) -> list[str]:
    return sorted({name for p in index.directory.participants.values() for person in p.persons for name in (person.name, person.source_name) if name})


def table_schema_report(folder, csv_name: str, schema_folder):
    """Frictionless' validation of a CSV file against the published TableSchema."""
    schema = Schema.from_descriptor(json.loads((schema_folder / "schema.json").read_text(encoding="utf-8")))
    return validate(Resource(path=csv_name, basepath=str(folder), schema=schema))


def test_csv_validates_against_its_table_schema(published):
    report = table_schema_report(published, "repertoire-initiatives.csv", published)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_validator_rejects_a_wrong_date(published, tmp_path):
    rows = csv_rows(published / "repertoire-initiatives.csv")
    rows[1][rows[0].index("initiativeMiseAJour")] = "16/03/2021"
    broken = tmp_path / "faux.csv"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    report = table_schema_report(tmp_path, "faux.csv", published)
    assert report.flatten(["rowNumber", "fieldName", "type"]) == [[2, "initiativeMiseAJour", "type-error"]]


def test_csv_follows_the_data_gouv_conventions(published, index):
    raw = (published / "repertoire-initiatives.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    rows = csv_rows(published / "repertoire-initiatives.csv")
    header = rows[0]
    assert all(name.startswith("initiative") and name.isascii() and name.isalnum() and len(name) <= 50 for name in header)
    assert {len(row) for row in rows} == {len(header)}
    assert [row[0] for row in rows[1:]] == index.participants
    # in the order of their titles, as every list of the site, not of their identifiers
    assert [row[1] for row in rows[1:5]] == ["ADSI - PLIE Technowest", "Bordeaux Métropole", "CIAP Champs du Partage", "Cité de l'emploi de Tarbes"]
    bazadais = dict(zip(header, rows[1 + index.participants.index("cc-bazadais")]))
    assert bazadais["initiativeThematiques"].split(export.LIST_SEPARATOR)[:2] == ["cooperation-interconnaissance", "recrutement"]
    assert bazadais["initiativeMiseAJour"] == "2021-03-16"


def test_a_line_holds_what_its_fiche_says(published):
    """Read against the YAML file itself, not against the code that wrote both."""
    written = yaml.safe_load((PROJECT / "data" / "participants" / "cc-bazadais.yml").read_text(encoding="utf-8"))
    rows = csv_rows(published / "repertoire-initiatives.csv")
    line = dict(zip(rows[0], next(row for row in rows if row[0] == "cc-bazadais")))
    assert line["initiativeActions"] == "\n".join(written["actions"]) and written["actions"]
    assert line["initiativeDefis"] == "\n".join(written["defis"]) and line["initiativeRessources"] == "\n".join(written["ressources"])
    assert line["initiativeOrganisationNom"] == "Communauté de communes du Bazadais"
    assert (line["initiativeTerritoiresNoms"], line["initiativeDepartements"], line["initiativeRegions"]) == ("Communauté de communes du Bazadais", "Gironde", "Nouvelle-Aquitaine")
    assert line["initiativeAdresse"] == "https://territoires-emploi.github.io/repertoire/participants/cc-bazadais/"


def test_the_attribution_is_dated_by_the_newest_fiche(project_copy):
    fiche = project_copy / "data" / "participants" / "grand-dax.yml"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("mise_a_jour: '2021-03-16'", "mise_a_jour: '2025-06-02'"), encoding="utf-8")
    directory = pipeline.check(project_copy / "data").index.directory
    assert "données mises à jour le 2 juin 2025" in export.attribution(directory.publication, export.last_update(directory))


@pytest.mark.parametrize(("written", "published"), [
    ("", "Participant à titre individuel"),
    ("titre: Jeanne DUPONT\n", "Participant à titre individuel"),
    ("titre: La ferme de Jeanne Dupont\norganisation:\n  nom: Ferme des Landes\n  type: association\n", "Ferme des Landes"),
])
def test_a_participant_named_after_its_persons_is_published_without_their_names(project_copy, tmp_path, written, published):
    fiche = project_copy / "data" / "participants" / "agricultrice-landes.yml"
    fiche.write_text(f'id: agricultrice-landes\n{written}personnes:\n  - nom: Jeanne Dupont\n  - nom: Paul Martin\nterritoires: [landes]\nmise_a_jour: "2021-03-16"\n', encoding="utf-8")
    export.write_exports(export.build_exports(pipeline.check(project_copy / "data").index, ["csv"]), tmp_path)
    rows = csv_rows(tmp_path / "repertoire-initiatives.csv")
    line = dict(zip(rows[0], next(row for row in rows if row[0] == "agricultrice-landes")))
    assert line["initiativeTitre"] == published
    assert "dupont" not in (tmp_path / "repertoire-initiatives.csv").read_text(encoding="utf-8").casefold()


def test_no_export_contains_a_person_name(published, index):
    names = all_person_names(index)
    assert "Denis Paineau" in names
    for path in published.iterdir():
        content = path.read_bytes()
        texts = [content.decode("utf-8")] if path.suffix != ".ods" else [t for t in _ods_texts(path)]
        for text in texts:
            assert [n for n in names if n.casefold() in text.casefold()] == [], path.name


def _ods_texts(path):
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return [archive.read(member).decode("utf-8", "replace") for member in archive.namelist()]


def test_json_round_trips_to_the_same_lines_as_the_csv(published, index):
    document = json.loads((published / "repertoire-initiatives.json").read_text(encoding="utf-8"))
    rows = csv_rows(published / "repertoire-initiatives.csv")
    # As a reuser reads schema.json: a list is one cell, its items joined by the separator each column's description names.
    described = {field["name"]: field["description"] for field in json.loads((published / "schema.json").read_text(encoding="utf-8"))["fields"]}

    def cell(key, value):
        if isinstance(value, list):
            return ("\n" if "saut de ligne" in described[key] else ";").join(value)
        return "" if value is None else str(value)

    as_cells = [[cell(key, value) for key, value in record.items()] for record in document["initiatives"]]
    assert [list(document["initiatives"][0])] + as_cells == rows
    assert [t["id"] for t in document["territoires"]] == list(index.directory.territories)
    assert len(document["glossaire"]) == len(index.directory.glossary)
    assert document["metadonnees"]["licence"]["name"] == "etalab-2.0"


def test_spreadsheet_opens_with_the_same_lines_as_the_csv(published):
    assert sheet_rows(published / "repertoire-initiatives.ods", "initiatives") == csv_rows(published / "repertoire-initiatives.csv")


def test_spreadsheet_is_a_smaller_download_than_the_csv_it_holds(published):
    assert (published / "repertoire-initiatives.ods").stat().st_size < (published / "repertoire-initiatives.csv").stat().st_size / 2


def test_spreadsheet_is_recognised_as_an_opendocument_spreadsheet(published):
    """Office suites and file managers recognise an ODS by its first member, `mimetype`, stored uncompressed."""
    with zipfile.ZipFile(published / "repertoire-initiatives.ods") as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read(first) == b"application/vnd.oasis.opendocument.spreadsheet"
        manifest = archive.read("META-INF/manifest.xml").decode("utf-8")
    assert all(f'manifest:full-path="{part}"' in manifest for part in ("/", "content.xml", "meta.xml", "styles.xml"))


def test_licence_and_attribution_are_stated_on_the_page_and_in_the_files(site, published, index):
    publication = index.directory.publication
    page = html.unescape((site / "donnees-ouvertes" / "index.html").read_text(encoding="utf-8"))
    attribution = export.attribution(publication, export.last_update(index.directory))
    assert publication.publisher.name in attribution and "16 mars 2021" in attribution and publication.site_url in attribution
    assert attribution in page and "Licence Ouverte" in page
    for path in sorted(published.iterdir()):
        size = path.stat().st_size
        assert f'href="../donnees/{path.name}"' in page
        assert f"{size / 1000:.1f}".replace(".", ",") + "\u00a0ko" in page, path.name
    assert attribution in json.loads((published / "schema.json").read_text(encoding="utf-8"))["description"]
    meta = opendocument.load(str(published / "repertoire-initiatives.ods")).meta
    assert attribution in str(meta)


def test_exports_are_reproducible(tmp_path, index):
    # Two processes (sets and dicts of strings ordered by another hash seed), the spreadsheet's archive
    # dated by the data, not by the clock.
    written = []
    for seed in ("1", "2"):
        result = _exporter("--sortie", str(tmp_path / seed), PYTHONHASHSEED=seed)
        assert result.returncode == 0, result.stderr
        written.append({path.name: path.read_bytes() for path in (tmp_path / seed).iterdir()})
    assert written[0] == written[1]
    updated = tuple(int(part) for part in export.last_update(index.directory).split("-")) + (0, 0, 0)
    with zipfile.ZipFile(tmp_path / "1" / "repertoire-initiatives.ods") as archive:
        assert {member.date_time for member in archive.infolist()} == {updated}


def _exporter(*args, cwd=PROJECT, **environment):
    return subprocess.run(
        [sys.executable, "-m", "repertoire", "exporter", *args], capture_output=True, text=True, cwd=cwd, timeout=120, env={**os.environ, **environment}
    )


def test_exporter_command_writes_the_chosen_format(tmp_path, published):
    result = _exporter("--format", "csv", "--sortie", str(tmp_path / "sortie"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "sortie").iterdir()) == ["repertoire-initiatives.csv", "schema.json"]
    assert (tmp_path / "sortie" / "repertoire-initiatives.csv").read_bytes() == (published / "repertoire-initiatives.csv").read_bytes()


def test_exporter_command_refuses_faulty_data_in_french(tmp_path, project_copy):
    fiche = project_copy / "data" / "participants" / "cc-bazadais.yml"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("  - recrutement\n", "  - recrutemnt\n"), encoding="utf-8")
    result = _exporter(str(project_copy / "data"), "--sortie", str(tmp_path / "sortie"))
    assert result.returncode == 1
    assert "« recrutemnt » n'est pas une thématique connue" in result.stderr
    assert "Aucun fichier écrit" in result.stderr and not (tmp_path / "sortie").exists()


def test_exporter_command_given_a_file_as_its_folder_says_so_in_french(tmp_path):
    (tmp_path / "sortie").write_text("", encoding="utf-8")
    result = _exporter("--sortie", str(tmp_path / "sortie"))
    assert result.returncode == 2
    assert result.stderr == f"« {tmp_path / 'sortie'} » existe déjà et n'est pas un dossier — vérifiez le chemin donné à la commande.\n"


def test_exporter_command_on_a_full_disk_says_so_in_french(tmp_path, monkeypatch, capsys):
    import errno

    from repertoire import cli

    def full_disk(files, folder):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "write_exports", full_disk)
    assert cli.main(["exporter", str(PROJECT / "data"), "--sortie", str(tmp_path / "sortie")]) == 2
    assert capsys.readouterr().err == "lecture ou écriture refusée par le système (erreur système 28) — vérifiez la place libre sur le disque et le chemin donné à la commande.\n"


def test_a_large_directory_gets_the_same_files_with_its_spreadsheet_made_aside():
    """From `aside.ASIDE_FROM` fiches, a child process makes the spreadsheet during the build
    (in a fresh process, as `mkdocs build` runs: forking is only done with no other thread)."""
    script = """
import multiprocessing, sys
from pathlib import Path
from repertoire import aside, export, pipeline
aside.ASIDE_FROM = 1
index = pipeline.check(Path(sys.argv[1])).index
exports = export.Exports(index)
children = len(multiprocessing.active_children())
files = exports.take_made() + [exports.spreadsheet()]
print(children, files == export.build_exports(index))
"""
    result = subprocess.run([sys.executable, "-c", script, str(PROJECT / "data")], capture_output=True, text=True, cwd=PROJECT, timeout=120)
    assert result.stdout.split() == ["1", "True"], result.stderr
