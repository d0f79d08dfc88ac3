"""Hostile contributor files: refused with a located French message, or published with every character escaped.

The corpus is in `tests/hostile/`, one file per threat, named `<champ>_<raison>.yml`. Each starts from
a minimal valid fiche; only the commented line differs. A file is installed in a copy of the project
as `data/participants/<name with dashes>.yml` (or under the name given in `INSTALLED_AS`).

- `invalide/`: the validator must report exactly the problems of `EXPECTED` (code, field, line,
  column), and the build must stop without touching the site folder.
- `valide/`: hostile-looking but legitimate text. The site builds, and a scan of every page finds no
  script, event handler, dangerous address or template output coming from the data, while every
  character the author wrote is shown. The planted word « MARQUEUR » must only ever appear as text.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, build, copy_project
from opendata import csv_rows, sheet_rows

from repertoire import cli, render
from repertoire.load import _Yaml12Loader, parse

HOSTILE = Path(__file__).parent / "hostile"
MARKER = "MARQUEUR"
EXECUTED = Path("/tmp/repertoire-hostile-a-execute")
"""Created by `invalide/yaml_python_object_apply.yml` if its tag were ever run."""

INSTALLED_AS = {
    "invalide/fichier_nom_majuscules.yml": "Fichier-Nom-Majuscules.yml",
    "invalide/fichier_nom_accents.yml": "fichier-nom-accentué.yml",
    "invalide/fichier_nom_point.yml": "..yml",
    "invalide/fichier_extension_yaml.yml": "fichier-extension-yaml.yaml",
    "invalide/id_index.yml": "index.yml",
}

EXPECTED: dict[str, list[tuple[str, str, int, int]]] = {
    # Broken or unsafe YAML: refused before anything is built from it.
    "invalide/yaml_alias_bombe.yml": [("yaml-interdit", "", 5, 13)],
    "invalide/yaml_python_object_apply.yml": [("yaml-interdit", "", 2, 8)],
    "invalide/yaml_env.yml": [("yaml-interdit", "", 2, 8)],
    "invalide/yaml_etiquette_verbatim.yml": [("yaml-interdit", "", 2, 8)],
    "invalide/yaml_imbrication_profonde.yml": [("yaml-interdit", "", 4, 29)],
    "invalide/yaml_guillemet_non_ferme.yml": [("yaml-invalide", "", 3, 15)],
    "invalide/yaml_tabulation.yml": [("yaml-invalide", "", 5, 1)],
    "invalide/yaml_documents_multiples.yml": [("yaml-invalide", "", 4, 1)],
    "invalide/cle_en_double.yml": [("cle-en-double", "titre", 4, 1)],
    "invalide/cle_inconnue_themse.yml": [("cle-inconnue", "themse", 4, 1)],
    "invalide/cle_non_textuelle.yml": [("yaml-interdit", "", 4, 1)],
    "invalide/organisation_deux_points_colle.yml": [("yaml-invalide", "", 5, 8)],
    # YAML that would drop or merge what the author wrote, without an error of its own.
    "invalide/actions_diese.yml": [("yaml-interdit", "actions[0]", 6, 23)],
    "invalide/actions_diese_ligne.yml": [("yaml-interdit", "actions[0]", 7, 5)],
    "invalide/actions_element_decale.yml": [("yaml-interdit", "actions[0]", 6, 4)],
    "invalide/actions_ancre.yml": [("yaml-interdit", "actions[0]", 5, 5)],
    "invalide/actions_etiquette_seule.yml": [("yaml-interdit", "actions[0]", 5, 5)],
    "invalide/organisation_indentation_insecable.yml": [("caractere-interdit", "", 6, 1)],
    # Values YAML 1.1 would convert: kept as written, hence refused where another type is expected.
    "invalide/masquer_noms_yaml11_no.yml": [("type-invalide", "masquer_noms", 4, 15)],
    "invalide/titre_yaml11_nombre.yml": [("type-invalide", "titre", 2, 8)],
    "invalide/source_lignes_yaml11_octal.yml": [("type-invalide", "source.lignes[0]", 6, 12)],
    "invalide/source_lignes_nombre_geant.yml": [("type-invalide", "source.lignes[0]", 6, 12)],
    "invalide/mise_a_jour_date_impossible.yml": [("valeur-invalide", "mise_a_jour", 3, 14)],
    "invalide/mise_a_jour_format_francais.yml": [("valeur-invalide", "mise_a_jour", 3, 14)],
    "invalide/mise_a_jour_heure.yml": [("valeur-invalide", "mise_a_jour", 3, 14)],
    # Files that are not UTF-8 text, or too big, or not a block of fields.
    "invalide/fichier_latin1.yml": [("fichier-illisible", "", 2, 34)],
    "invalide/fichier_octet_nul.yml": [("fichier-illisible", "", 2, 21)],
    "invalide/fichier_utf16.yml": [("fichier-illisible", "", 1, 1)],
    "invalide/fichier_trop_gros.yml": [("fichier-trop-gros", "", 0, 0)],
    "invalide/fichier_vide.yml": [("type-invalide", "", 0, 0)],
    "invalide/fichier_liste.yml": [("type-invalide", "", 1, 1)],
    # File names and ids: no way out of the folder, no case or accent variants, no taking another's id.
    "invalide/fichier_nom_majuscules.yml": [("nom-de-fichier-invalide", "", 0, 0)],
    "invalide/fichier_nom_accents.yml": [("nom-de-fichier-invalide", "", 0, 0)],
    "invalide/fichier_nom_point.yml": [("nom-de-fichier-invalide", "", 0, 0)],
    "invalide/fichier_extension_yaml.yml": [("nom-de-fichier-invalide", "", 0, 0)],
    "invalide/id_chemin_parent.yml": [("valeur-invalide", "id", 1, 5), ("id-different-du-fichier", "id", 1, 5)],
    "invalide/id_majuscules.yml": [("valeur-invalide", "id", 1, 5), ("id-different-du-fichier", "id", 1, 5)],
    "invalide/id_accents.yml": [("valeur-invalide", "id", 1, 5), ("id-different-du-fichier", "id", 1, 5)],
    "invalide/id_autre_fiche.yml": [("id-different-du-fichier", "id", 1, 5)],
    "invalide/id_index.yml": [("valeur-invalide", "id", 1, 5)],
    "invalide/id_manquant.yml": [("champ-manquant", "", 1, 1)],
    "invalide/id_doublon_probable.yml": [("doublon-probable", "id", 1, 5)],
    # Markup in one-line texts and addresses.
    "invalide/titre_chevrons_script.yml": [("valeur-invalide", "titre", 2, 8)],
    "invalide/personnes_nom_chevrons.yml": [("valeur-invalide", "personnes[0].nom", 5, 10)],
    "invalide/organisation_nom_iframe.yml": [("valeur-invalide", "organisation.nom", 5, 8)],
    "invalide/liens_motif_svg.yml": [("valeur-invalide", "liens[0].motif", 6, 12)],
    "invalide/organisation_site_web_javascript.yml": [("valeur-invalide", "organisation.site_web", 7, 13)],
    "invalide/organisation_site_web_data.yml": [("valeur-invalide", "organisation.site_web", 7, 13)],
    "invalide/organisation_site_web_guillemets.yml": [("valeur-invalide", "organisation.site_web", 7, 13)],
    # Invisible characters.
    "invalide/titre_caractere_controle.yml": [("yaml-interdit", "titre", 2, 14)],
    "invalide/titre_rtl_override.yml": [("caractere-interdit", "titre", 2, 8)],
    "invalide/actions_espace_zero.yml": [("caractere-interdit", "actions[0]", 5, 5)],
    "invalide/actions_liant_invisible.yml": [("caractere-interdit", "actions[0]", 5, 5)],
    "invalide/besoins_caractere_etiquette.yml": [("caractere-interdit", "besoins[0]", 5, 5)],
    "invalide/personnes_nom_cesure_invisible.yml": [("caractere-interdit", "personnes[0].nom", 5, 10)],
    "invalide/titre_separateur_ligne.yml": [("caractere-interdit", "", 2, 22)],
    "invalide/cle_caractere_invisible.yml": [("cle-inconnue", "thema\u200btiques", 4, 1), ("caractere-interdit", "thema\u200btiques", 4, 1)],
    # Empty, missing and oversized values.
    "invalide/titre_vide.yml": [("valeur-invalide", "titre", 2, 8)],
    "invalide/titre_espaces.yml": [("valeur-invalide", "titre", 2, 8)],
    "invalide/actions_espaces.yml": [("valeur-invalide", "actions[0]", 5, 5)],
    "invalide/titre_nul.yml": [("type-invalide", "titre", 2, 7)],
    "invalide/titre_trop_long.yml": [("valeur-invalide", "titre", 2, 8)],
    "invalide/actions_element_vide.yml": [("type-invalide", "actions[1]", 6, 4)],
    # References.
    "invalide/territoires_inconnu.yml": [("reference-inconnue", "territoires[1]", 4, 24)],
    "invalide/dispositifs_inconnu.yml": [("reference-inconnue", "dispositifs[0]", 4, 15)],
    "invalide/thematiques_inconnue.yml": [("reference-inconnue", "thematiques[0]", 4, 15)],
    "invalide/thematiques_en_double.yml": [("valeur-invalide", "thematiques[2]", 4, 33)],
    "invalide/atelier_inconnu.yml": [("reference-inconnue", "atelier", 4, 10)],
    "invalide/liens_participant_soi_meme.yml": [("reference-a-soi-meme", "liens[0].participant", 5, 18)],
    "invalide/liens_participant_inconnu.yml": [("reference-inconnue", "liens[0].participant", 5, 18)],
    "invalide/liens_participant_en_double.yml": [("valeur-invalide", "liens[1].participant", 7, 18)],
    # Accepted: shown as written.
    "valide/fichier_bom.yml": [("fichier-illisible", "", 1, 1)],  # a warning: the mark is dropped, the file read
    "valide/fichier_crlf.yml": [],
    "valide/actions_plusieurs_lignes.yml": [],
    "valide/titre_jinja.yml": [],
    "valide/titre_entites.yml": [],
    "valide/titre_markdown.yml": [],
    "valide/titre_unicode.yml": [],
    "valide/titre_emoji_sequence.yml": [],
    "valide/personnes_nom_jinja.yml": [],
    "valide/personnes_fonction_guillemets.yml": [],
    "valide/organisation_nom_diese.yml": [],
    "valide/organisation_site_web_requete.yml": [],
    "valide/actions_script.yml": [],
    "valide/actions_snippet.yml": [],
    "valide/actions_yaml11.yml": [],
    "valide/besoins_jinja.yml": [],
    "valide/defis_markdown.yml": [],
    "valide/ressources_liens.yml": [],
    "valide/liens_motif_jinja.yml": [],
    "valide/mise_a_jour_sans_guillemets.yml": [],
}


def corpus(folder: str = "*") -> list[str]:
    return sorted(path.relative_to(HOSTILE).as_posix() for path in HOSTILE.glob(f"{folder}/*.yml"))


def installed_name(fixture: str) -> str:
    return INSTALLED_AS.get(fixture, Path(fixture).stem.replace("_", "-") + ".yml")


def install(fixtures: list[str], project: Path) -> None:
    # The corpus dates from the workshop: freshness warnings (tests/test_freshness.py) would hide what it tests.
    publication = project / "data" / "publication.yml"
    publication.write_text(re.sub(r"^fraicheur_mois: \d+$", "fraicheur_mois: 1200", publication.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    for fixture in fixtures:
        (project / "data" / "participants" / installed_name(fixture)).write_bytes((HOSTILE / fixture).read_bytes())


ALSO_REPORTED = {
    "invalide/id_doublon_probable.yml": [("data/participants/cc-bazadais.yml", "doublon-probable", "id", 2, 5)],
}
"""Problems a file of the corpus causes in the real fiche it duplicates, told as well."""

REAL_DATA_WARNINGS = [("data/participants/cc-val-de-gatine.yml", "nom-dans-un-texte", "ressources[2]", 41, 5)]
"""What the real data always says, whatever file is added: a text that cites « Cécile Dallet » (README)."""


def located(fixture: str, code: str, field: str, line: int, column: int) -> str:
    """The start of the printed problem: ``data/participants/x.yml:4:1: themse: ``."""
    place = f"data/participants/{installed_name(fixture)}" + (f":{line}:{column}" if line else "")
    return f"{place}: " + (f"{field}: " if field else "")


def assert_every_refusal_listed(output: str, refused: list[str]) -> None:
    """Every expected problem of every refused file is in `output`, once, and nothing else is."""
    lines = [line for line in output.splitlines() if line.startswith("data/participants/")]
    expected = [located(fixture, *problem) for fixture in refused for problem in EXPECTED[fixture]]
    expected += [f"{file}:{line}:{column}: {field}: " for fixture in refused for file, _, field, line, column in ALSO_REPORTED.get(fixture, [])]
    expected += [f"{file}:{line}:{column}: avertissement: {field}: " for file, _, field, line, column in REAL_DATA_WARNINGS]
    assert len(lines) == len(expected)
    for start in expected:
        assert any(line.startswith(start) for line in lines), start


def test_every_file_has_an_expectation_and_every_expectation_a_file():
    files, expected = set(corpus()), set(EXPECTED)
    assert sorted(files - expected) == [], "fichiers du corpus sans résultat attendu"
    assert sorted(expected - files) == [], "résultats attendus sans fichier"
    assert set(INSTALLED_AS) <= files


def verifier(data: Path, capsys, *options: str) -> tuple[int, str]:
    """`python -m repertoire verifier`, run in this process: a traceback would fail the test."""
    status = cli.main(["verifier", str(data), *options])
    output = capsys.readouterr()
    assert output.err == ""
    return status, output.out


@pytest.mark.parametrize("fixture", corpus())
def test_validator_reports_exactly_the_expected_problems(fixture, tmp_path, capsys):
    shutil.copytree(PROJECT / "data", tmp_path / "data")
    install([fixture], tmp_path)
    status, output = verifier(tmp_path / "data", capsys, "--format", "json")
    own = f"data/participants/{installed_name(fixture)}"
    found = [(p["fichier"], p["type"], p["champ"], p["ligne"], p["colonne"]) for p in json.loads(output)]
    assert [problem[1:] for problem in found if problem[0] == own] == EXPECTED[fixture]
    assert sorted(problem for problem in found if problem[0] != own) == sorted(ALSO_REPORTED.get(fixture, []) + REAL_DATA_WARNINGS)
    assert status == (0 if fixture.startswith("valide/") else 1)
    assert not EXECUTED.exists()

    status, output = verifier(tmp_path / "data", capsys)
    lines = [line for line in output.splitlines() if line.startswith(own)]
    assert len(lines) == len(EXPECTED[fixture])
    for line, expected in zip(lines, EXPECTED[fixture]):
        assert line.startswith(located(fixture, *expected))
        assert " — " in line  # what to do comes after the dash


def test_command_line_lists_every_problem_of_every_refused_file_at_once(tmp_path):
    shutil.copytree(PROJECT / "data", tmp_path / "data")
    refused = corpus("invalide")
    install(refused, tmp_path)
    result = subprocess.run([sys.executable, "-m", "repertoire", "verifier", str(tmp_path / "data")], capture_output=True, text=True, cwd=PROJECT)
    assert (result.returncode, result.stderr) == (1, "")
    assert_every_refusal_listed(result.stdout, refused)
    count = sum(len(EXPECTED[fixture]) + len(ALSO_REPORTED.get(fixture, [])) for fixture in refused)
    files = len(refused) + len({file for fixture in refused for file, *_ in ALSO_REPORTED.get(fixture, [])} | {file for file, *_ in REAL_DATA_WARNINGS})
    assert result.stdout.splitlines()[-1] == f"{count} erreurs et {len(REAL_DATA_WARNINGS)} avertissement dans {files} fichiers."


def arm(project: Path) -> None:
    """Make the copy's configuration as dangerous as it could become: mkdocs-macros renders every page
    it is not told to skip, and pymdownx.snippets reads any file named by a `--8<--` line."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "render_by_default: false" in text and "markdown_extensions" not in text
    text = text.replace("render_by_default: false", "render_by_default: true")
    text += f"markdown_extensions:\n  - pymdownx.snippets:\n      base_path: ['{project}', '/']\n      restrict_base_path: false\n"
    config.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The project with every accepted hostile file added, built once with macros and snippets armed."""
    root = tmp_path_factory.mktemp("hostile")
    project = copy_project(root / "projet")
    arm(project)
    install(corpus("valide"), project)
    result = build(project, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_refused_files_stop_the_build_before_the_site_folder_is_touched(tmp_path):
    project = copy_project(tmp_path / "projet")
    refused = corpus("invalide")
    install(refused, project)
    published = tmp_path / "site"
    published.mkdir()
    (published / "index.html").write_text("site publié précédemment", encoding="utf-8")

    result = build(project, published)

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert_every_refusal_listed(output, refused)
    assert [p.name for p in published.iterdir()] == ["index.html"]
    assert (published / "index.html").read_text(encoding="utf-8") == "site publié précédemment"
    assert not EXECUTED.exists()


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href", "background", "cite", "manifest"}
DANGEROUS_URL = re.compile(r"^(?:javascript|vbscript|data):")
ACTIVE_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "svg", "math"}
SAFE_LINK = ("https://", "http://", "mailto:")


class Scan(HTMLParser):
    """What one HTML page holds that could run code or load something, where the marker appears, and its text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.active: set[str] = set()
        """Signatures of scripts, active elements, event handlers and dangerous addresses."""
        self.marked: list[str] = []
        """Places other than text where the marker appears."""
        self.text: list[str] = []
        self.title: list[str] = []
        self.links: list[str] = []
        self._script: tuple[str, list[str]] | None = None
        self._in_title = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        shown = " ".join(f"{name}={value!r}" for name, value in attrs)
        if MARKER.lower() in tag or any(MARKER.lower() in name for name, _ in attrs):
            self.marked.append(f"<{tag} {shown}>")
        for name, value in attrs:
            value = value or ""
            compact = re.sub(r"[\x00-\x20]", "", value).lower()  # browsers ignore these inside a scheme
            if name.startswith("on") or (name in URL_ATTRIBUTES and DANGEROUS_URL.match(compact)) or name == "http-equiv":
                self.active.add(f"<{tag} {name}={value!r}>")
            # Data may sit in an attribute only as a link within the site, or in a `<meta content>`
            # (the page's title and description for link previews), which runs nothing.
            if MARKER in value and not (tag == "a" and name == "href" and value.startswith(SAFE_LINK)) and not (tag == "meta" and name == "content"):
                self.marked.append(f"<{tag} {name}={value!r}>")
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag in ("script", "style"):
            self._script = (f"<{tag} {shown}>", [])
        elif tag in ACTIVE_TAGS:
            self.active.add(f"<{tag} {shown}>")
        self._in_title = self._in_title or tag == "title"

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._script is not None:
            start, body = self._script[0], "".join(self._script[1])
            if MARKER in body:
                self.marked.append(start + body)
            self.active.add(f"{start} sha256={hashlib.sha256(body.encode()).hexdigest()}")
            self._script = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
            return
        self.text.append(data)
        if self._in_title:
            self.title.append(data)

    def handle_comment(self, data):
        if MARKER in data:
            self.marked.append(f"<!--{data}-->")

    handle_decl = handle_pi = unknown_decl = handle_comment


def scans(site: Path) -> dict[str, Scan]:
    return {page.relative_to(site).as_posix(): Scan(page.read_text(encoding="utf-8")) for page in sorted(site.rglob("*.html"))}


def test_no_script_handler_or_dangerous_address_comes_from_data(hostile_site, site):
    theme = set().union(*(scan.active for scan in scans(site).values()))  # the clean project's own
    pages = scans(hostile_site)
    assert len(pages) > len(scans(site))
    for name, scan in pages.items():
        assert scan.active - theme == set(), name
        assert scan.marked == [], name
    for path in sorted((hostile_site / "pagefind" / "fragment").rglob("*.pf_fragment")):
        record = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        assert MARKER not in record["url"]  # the search index holds the texts; the search page shows them as text
    sitemap = (hostile_site / "sitemap.xml").read_text(encoding="utf-8")
    assert MARKER not in sitemap
    assert all(loc.startswith("https://territoires-emploi.github.io/repertoire/") for loc in re.findall(r"<loc>(.*?)</loc>", sitemap))


def test_search_results_show_hostile_texts_as_text_and_run_nothing(hostile_site, page):
    from browser import serve

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(hostile_site) as url:
        page.goto(url + "rechercher/?q=" + MARKER.lower(), wait_until="networkidle")
        results = page.locator("[data-rep-resultats] li")
        results.first.wait_for()
        shown = " ".join(results.all_inner_texts())
    assert MARKER in shown and "alert(" in shown  # the texts are there, as text
    assert dialogs == []


def test_no_template_output_nor_file_content_reaches_the_site(hostile_site):
    everything = "\n".join(path.read_text(encoding="utf-8") for path in hostile_site.rglob("*") if path.suffix in (".html", ".json", ".xml"))
    assert "uid=" not in everything  # `id` run by {{ cycler.__init__.__globals__.os.popen('id').read() }}
    assert f"{MARKER} 49" not in everything  # {{ 7*7 }} evaluated
    assert "root:x:0:0" not in everything  # --8<-- "/etc/passwd"
    assert "site_name:" not in everything  # --8<-- "mkdocs.yml"


TEXT_SKIPPED = {"id", "mise_a_jour", "territoires", "dispositifs", "thematiques", "atelier", "participant", "type", "site_web"}
"""Fields that are identifiers, dates or addresses, not text shown as written."""


def shown_texts(data, path=()) -> list[str]:
    if isinstance(data, dict):
        return [text for key, value in data.items() if key not in TEXT_SKIPPED for text in shown_texts(value, path + (key,))]
    if isinstance(data, list):
        return [text for item in data for text in shown_texts(item, path)]
    return [data] if isinstance(data, str) else []


@pytest.mark.parametrize("fixture", corpus("valide"))
def test_accepted_text_is_shown_whole_and_escaped(fixture, hostile_site):
    document, _ = parse((HOSTILE / fixture).read_bytes(), fixture)
    stem = Path(installed_name(fixture)).stem
    page = Scan((hostile_site / "participants" / stem / "index.html").read_text(encoding="utf-8"))
    text = "".join(page.text)
    texts = shown_texts(document.data)
    assert texts
    for written in texts:
        for line in written.strip("\n").split("\n"):  # lines of a « | » block: see the next test
            assert line in text
    title = document.data["titre"]
    assert "".join(page.title) == f"{title} - Répertoire des initiatives territoriales pour l’emploi"
    website = document.data.get("organisation", {}).get("site_web")
    if website:
        assert website in page.links
    for link in document.data.get("liens", []):  # the helped participant's page shows the reason too
        helped = Scan((hostile_site / "participants" / link["participant"] / "index.html").read_text(encoding="utf-8"))
        assert link["motif"] in "".join(helped.text)


def test_a_text_written_on_several_lines_keeps_its_line_breaks_on_the_page(hostile_site):
    html = (hostile_site / "participants" / "actions-plusieurs-lignes" / "index.html").read_text(encoding="utf-8")
    assert "<p>MARQUEUR première ligne<br>\ndeuxième ligne, <a href=\"https://exemple.fr/page\"" in html


@pytest.mark.parametrize(("text", "address"), [
    ("voir https://fr.wikipedia.org/wiki/Emploi_(France).", "https://fr.wikipedia.org/wiki/Emploi_(France)"),
    ("(voir https://exemple.fr/page)", "https://exemple.fr/page"),
    ("écrire à mailto:contact@exemple.fr, merci", "mailto:contact@exemple.fr"),
    ("sur https://exemple.fr/?a=1&b=2 : la suite", "https://exemple.fr/?a=1&amp;b=2"),
    ("voir https://exemple.fr/page…", "https://exemple.fr/page"),
])
def test_an_address_in_a_text_becomes_a_link_that_ends_where_the_sentence_resumes(text, address):
    assert f'<a href="{address}" rel="noopener noreferrer nofollow">{address}</a>' in render.paragraph_html(text)


def test_accepted_texts_reach_the_spreadsheet_as_in_the_csv(hostile_site):
    """The spreadsheet is XML written as a stream: markup characters, quotes, entities and every script of the
    accepted files come out of it as they come out of the CSV."""
    published = hostile_site / "donnees"
    rows = csv_rows(published / "repertoire-initiatives.csv")
    assert any(MARKER in cell for row in rows for cell in row)
    assert sheet_rows(published / "repertoire-initiatives.ods", "initiatives") == rows


def test_generated_pages_are_never_rendered_by_macros(hostile_site):
    home = "".join(Scan((hostile_site / "index.html").read_text(encoding="utf-8")).text)
    fiches = len(list((PROJECT / "data" / "participants").glob("*.yml"))) + len(corpus("valide"))
    assert f"compte aujourd’hui {fiches} fiches" in home  # mkdocs-macros did run in this build
    page = Scan((hostile_site / "participants" / "titre-jinja" / "index.html").read_text(encoding="utf-8"))
    assert "{{ 7*7 }}" in "".join(page.title)
    assert "MARQUEUR {{ 7*7 }}" in "".join(page.text)


UNSAFE_YAML = re.compile(r"yaml_load|yaml\.(?:load|load_all|full_load|unsafe_load|full_load_all|unsafe_load_all)\b|(?:Full|Unsafe)Loader|yaml\.C?Loader\b")
TEMPLATE_FROM_TEXT = re.compile(r"from_string|Template\(")


def test_data_is_read_only_with_the_safe_parser_and_never_compiled_as_a_template():
    sources = sorted([*(PROJECT / "repertoire").rglob("*.py"), *(PROJECT / "hooks").rglob("*.py")])
    assert sources
    found = [
        f"{path.relative_to(PROJECT)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNSAFE_YAML.search(line) or TEMPLATE_FROM_TEXT.search(line)
    ]
    assert found == []
    assert issubclass(_Yaml12Loader, yaml.constructor.SafeConstructor)
    assert not issubclass(_Yaml12Loader, yaml.constructor.FullConstructor)
