"""Publishing settings: the publisher named once in data/publication.yml reaches every legal page, the footer and the
open data; the accessibility statement follows the imposed format and cannot claim conformity without an audit."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

from conftest import build

from repertoire import pipeline

LEGAL_PAGES = ("accessibilite", "donnees-personnelles", "donnees-ouvertes")
DECLARATION_SECTIONS = [
    "État de conformité",
    "Contenus non accessibles",
    "Établissement de cette déclaration d’accessibilité",
    "Technologies utilisées pour la réalisation du site",
    "Environnement de test",
    "Retour d’information et contact",
    "Voies de recours",
]
PRIVACY_SECTIONS = ["Responsable du traitement", "Finalité", "Base légale", "Destinataires", "Durée de conservation", "Vos droits", "Réclamation"]


def text_of(path: Path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


def headings(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", page)]


def test_every_page_links_the_legal_pages_in_its_footer(site):
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 50
    for path in pages:
        address = urljoin("http://site/", path.relative_to(site).as_posix())
        footer = text_of(path).split('<footer class="md-footer">')[1]
        targets = {urljoin(address, href) for href in re.findall(r'<a href="([^"]+)">', footer)}
        assert {f"http://site/{slug}/" for slug in LEGAL_PAGES} <= targets, path.relative_to(site)


def test_home_page_carries_the_mandatory_accessibility_mention(site):
    home = text_of(site / "index.html")
    assert re.search('<a href="accessibilite/">Accessibilité\u202f: non conforme</a>', home)


def test_declaration_follows_the_imposed_format(site):
    page = text_of(site / "accessibilite" / "index.html")
    for section in DECLARATION_SECTIONS:
        assert section in headings(page), section
    assert "est <strong>non conforme</strong>" in page and "Aucun audit de conformité" in page
    assert "article 47 de la loi n°\u00a02005-102" in page and "Défenseur des droits" in page
    assert "Cette déclaration a été établie le 26 novembre 2026." in re.sub(r"<[^>]+>", "", page)


def test_privacy_notice_says_who_why_on_what_basis_and_how_to_be_removed(site):
    page = text_of(site / "donnees-personnelles" / "index.html")
    for section in PRIVACY_SECTIONS:
        assert section in headings(page), section
    assert "mission d'intérêt public" in page and "article 21 du RGPD" in page
    assert 'href="https://github.com/territoires-emploi/repertoire/issues/new?title=' in page
    assert "cnil.fr/fr/plaintes" in page
    fiche = text_of(site / "participants" / "cc-bazadais" / "index.html")
    assert '<a href="../../donnees-personnelles/#vos-droits">faire corriger ou retirer votre nom</a>' in fiche


def test_publisher_named_once_reaches_every_legal_page_footer_and_open_data(project_copy, tmp_path):
    settings = project_copy / "data" / "publication.yml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace('nom: "Éditeur à désigner"', 'nom: "PETR du Pays Test"').replace('contact: "contact@exemple.fr"', 'contact: "emploi@pays-test.fr"')
    text = text.replace('adresse_site: "https://territoires-emploi.github.io/repertoire/"', 'adresse_site: "https://repertoire.pays-test.fr/"')
    settings.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    result = build(project_copy, site)
    assert result.returncode == 0, result.stderr
    for slug in LEGAL_PAGES:
        page = text_of(site / slug / "index.html")
        assert "PETR du Pays Test" in page, slug
    assert "emploi@pays-test.fr" in text_of(site / "accessibilite" / "index.html")
    assert "emploi@pays-test.fr" in text_of(site / "donnees-personnelles" / "index.html")
    assert "PETR du Pays Test — " in text_of(site / "glossaire" / "index.html")
    assert "https://repertoire.pays-test.fr/participants/cc-bazadais/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "PETR du Pays Test — Répertoire des initiatives territoriales pour l’emploi, données mises à jour le 16 mars 2021 — https://repertoire.pays-test.fr/" in text_of(site / "donnees" / "schema.json")
    leftovers = [p for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".csv", ".xml"} and "Éditeur à désigner" in p.read_text(encoding="utf-8")]
    assert leftovers == []


def test_conformity_cannot_be_claimed_without_an_audit(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", data)
    settings = data / "publication.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("etat: non-conforme", "etat: totalement-conforme"), encoding="utf-8")
    problems = [str(p) for p in pipeline.check(data).problems]
    assert len(problems) == 1 and problems[0].startswith("data/publication.yml:")
    assert "accessibilite.etat: « totalement-conforme » n'a pas la forme attendue — Sans audit, l'état est « non-conforme »" in problems[0]


def checked_settings(tmp_path, old: str, new: str) -> list[str]:
    """The problems of the minimal data once `old` is replaced by `new` in its publication.yml."""
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", data)
    settings = data / "publication.yml"
    text = settings.read_text(encoding="utf-8")
    assert old in text
    settings.write_text(text.replace(old, new), encoding="utf-8")
    return [str(p).split(": ", 1)[1] for p in pipeline.check(data).problems]


def test_a_freshness_period_is_a_number_of_months_within_a_century(tmp_path):
    assert checked_settings(tmp_path, "fraicheur_mois: 1200", "fraicheur_mois: 24 mois") == [
        "fraicheur_mois: attendu un nombre entier, reçu un texte (« 24 mois ») — écrivez un nombre entier, en chiffres, sans unité (par exemple 24)"
    ]
    assert checked_settings(tmp_path / "2", "fraicheur_mois: 1200", "fraicheur_mois: 99999") == [
        "fraicheur_mois: 99999 est trop grand (maximum 1200) — corrigez le nombre"
    ]


def test_an_audit_rate_written_with_a_decimal_comma_is_told_to_use_a_point(tmp_path):
    problems = checked_settings(tmp_path, "etat: non-conforme", 'etat: partiellement-conforme\n  audit: {date: "2026-01-01", auditeur: "Cabinet A", taux: 75,5}')
    assert problems == ["une clé doit être un mot : entre accolades, la virgule sépare deux champs — pour un nombre à virgule, écrivez un point à la place de la virgule : 75.5"]


def test_the_publisher_is_shown_as_written_and_checked_like_any_name(project_copy, tmp_path):
    assert checked_settings(tmp_path / "ligne", 'nom: "Éditeur à désigner"', 'nom: "Emploi\\nTerritoires"') == [
        "editeur.nom: « Emploi\nTerritoires » n'a pas la forme attendue — Texte d'une ligne, sans chevrons < >"
    ]
    assert checked_settings(tmp_path, 'nom: "Éditeur à désigner"', 'nom: "PETR\u200b <b>Sud</b>"') == [
        "editeur.nom: « PETR\u200b <b>Sud</b> » n'a pas la forme attendue — Texte d'une ligne, sans chevrons < >",
        "editeur.nom: caractère invisible U+200B (espace sans chasse) en position 5 — retirez ce caractère (souvent venu d'un copier-coller)",
    ]
    settings = project_copy / "data" / "publication.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('nom: "Éditeur à désigner"', 'nom: "Emploi &amp; territoires"'), encoding="utf-8")
    site = tmp_path / "site"
    assert build(project_copy, site).returncode == 0
    assert "Emploi &amp;amp; territoires — " in (site / "glossaire" / "index.html").read_text(encoding="utf-8")
