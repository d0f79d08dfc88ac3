"""Shared fixtures: the project's paths, a copy of the project to break, and a built site."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
PROJECT_PARTS = ("mkdocs.yml", "content", "data", "templates", "hooks", "repertoire", "overrides")
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
PROPOSED_IDENTIFIERS = [("Cœur de Garonne", "coeur-de-garonne"), ("École de la 2ᵉ chance", "ecole-de-la-2e-chance"), ("ÆTHER & Straße de l'Emploi", "aether-strasse-de-l-emploi"), ("PLIE — Béarn (64)", "plie-bearn-64")]
"""Organisation names and the identifier both `nouvelle-fiche` and the contribution form propose for them."""


def copy_project(destination: Path) -> Path:
    """A full copy of the project (data, templates, hook, package) that a test may modify."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / part)
    return destination


def build(project: Path, site: Path, **settings: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `project` into `site`, as a contributor's CI would run it;
    `settings` are environment variables of the build."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **settings}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        capture_output=True, text=True, env=env, timeout=300,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real project, built once per test session."""
    folder = tmp_path_factory.mktemp("site")
    result = build(PROJECT, folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="session")
def index():
    """The real data, checked and indexed."""
    from repertoire.pipeline import check

    return check(PROJECT / "data").index


@pytest.fixture
def minimal_data(tmp_path) -> Path:
    """A copy of the minimal data folder (tests/fixtures/minimal) that a test may modify."""
    folder = tmp_path / "data"
    shutil.copytree(MINIMAL, folder)
    return folder


@pytest.fixture
def project_copy(tmp_path) -> Path:
    return copy_project(tmp_path / "projet")


SITE_PATH = urlsplit(yaml.safe_load((PROJECT / "data" / "publication.yml").read_text(encoding="utf-8"))["adresse_site"]).path
"""Where the site is published on its server (``/repertoire/``): tests serve it there too, since an
address that forgets this prefix works at a server's root and fails once published."""


@contextlib.contextmanager
def published(site: Path, **serve_options) -> Iterator[str]:
    """`site` served on 127.0.0.1 under its published path; yields the site's address."""
    from browser import serve

    with tempfile.TemporaryDirectory() as root:
        (Path(root) / SITE_PATH.strip("/")).symlink_to(site, target_is_directory=True)
        with serve(Path(root), **serve_options) as url:
            yield url + SITE_PATH.lstrip("/")


@pytest.fixture(scope="session")
def site_url(site) -> str:
    """The built site, served under its published path for the whole session."""
    with published(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from browser import chromium

    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    tab = context.new_page()
    yield tab
    context.close()
