"""Half of the generated pages outside the navigation are built aside (by a forked child on a large directory, at once in the build's
process otherwise), outside MkDocs' own loop: the reader gets the same site, the warnings met on those pages
still stop a strict build, and the sitemap lists every page."""

from __future__ import annotations

import filecmp
import re
import subprocess
import sys
from pathlib import Path

from bench.generate import generate
from conftest import build

from repertoire.aside import ASIDE_FROM

WARNING_HOOK = '''
import logging

def on_page_content(html, page, config, files):
    if page.file.src_uri.startswith("participants/") and page.file.src_uri.count("/") == 1 and page.file.name != "index":
        logging.getLogger("mkdocs.plugins.essai").warning("avertissement sur %s", page.file.src_uri)
    return html
'''


def test_a_warning_on_any_fiche_page_stops_a_strict_build(project_copy, tmp_path):
    (project_copy / "hooks" / "avertir.py").write_text(WARNING_HOOK, encoding="utf-8")
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - hooks/repertoire_hook.py\n", "  - hooks/repertoire_hook.py\n  - hooks/avertir.py\n"), encoding="utf-8")
    fiches = {path.stem for path in (project_copy / "data" / "participants").glob("*.yml")}

    result = build(project_copy, tmp_path / "site")

    assert result.returncode != 0
    warned = set(re.findall(r"WARNING +- +avertissement sur participants/([a-z0-9-]+)\.md", result.stderr))
    assert warned == fiches
    assert f"Aborted with {len(fiches)} warnings in strict mode!" in result.stdout + result.stderr


def test_every_page_is_in_the_sitemap(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = {re.sub(r"^https?://[^/]+/[^/]+/", "", address) for address in re.findall(r"<loc>([^<]*)</loc>", sitemap)}
    pages = {str(path.parent.relative_to(site)) + "/" for path in site.rglob("index.html") if "pagefind" not in path.parts}
    assert len(pages) > 100
    assert listed == {page.removeprefix("./") for page in pages}


BUILD = """
import sys, threading
from mkdocs.__main__ import cli
if sys.argv.pop(1) == "avec-un-fil":
    threading.Thread(target=threading.Event().wait, daemon=True).start()  # a process with a thread never forks
cli()
"""


def _build_verbosely(project: Path, site: Path, thread: str) -> str:
    command = [sys.executable, "-c", BUILD, thread, "build", "--strict", "--verbose", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stderr


def _differences(comparison: filecmp.dircmp) -> list[str]:
    own = [f"{comparison.left}/{name}" for name in comparison.diff_files + comparison.left_only + comparison.right_only]
    return own + [name for sub in comparison.subdirs.values() for name in _differences(sub)]


def test_pages_built_by_a_child_are_those_the_build_process_would_write(tmp_path):
    project = generate(ASIDE_FROM, 7, tmp_path / "projet")
    forked, inline = tmp_path / "fourche", tmp_path / "sur-place"
    share = re.search(r"repertoire: (\d+) pages construites par le processus \d+", _build_verbosely(project, forked, "seul"))
    assert share and int(share[1]) > ASIDE_FROM // 2  # every other fiche, and other pages
    assert f"repertoire: {share[1]} pages construites sur place" in _build_verbosely(project, inline, "avec-un-fil")

    assert len(list((forked / "participants").glob("*/index.html"))) == ASIDE_FROM  # each fiche's page
    # Pagefind names some of its files differently at each run: the search has its own tests.
    assert _differences(filecmp.dircmp(forked, inline, ignore=["pagefind"])) == []
