"""`mkdocs serve` shows an edited fiche without a restart."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _get(url):
            return True
        time.sleep(0.2)
    return False


def test_serve_picks_up_an_edited_fiche_template_and_schema(project_copy):
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(project_copy / "mkdocs.yml")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/participants/grand-dax/"
        assert _wait_for(url, "Grand Dax", 60)
        fiche = project_copy / "data" / "participants" / "grand-dax.yml"
        fiche.write_text(fiche.read_text(encoding="utf-8").replace("actions:\n", "actions:\n  - Nouvelle action ajoutée pendant la prévisualisation\n", 1), encoding="utf-8")
        assert _wait_for(url, "Nouvelle action ajoutée pendant la prévisualisation", 30)
        template = project_copy / "templates" / "participant.html.j2"
        template.write_text(template.read_text(encoding="utf-8").replace("Actions engagées", "Actions déjà engagées", 1), encoding="utf-8")
        assert _wait_for(url, "Actions déjà engagées", 30)
        # The package keeps the schemas in memory between rebuilds: an edited label must still show.
        schema = project_copy / "data" / "schemas" / "participant.schema.json"
        schema.write_text(schema.read_text(encoding="utf-8").replace('"Intercommunalité (EPCI)"', '"Intercommunalité à fiscalité propre (EPCI)"', 1), encoding="utf-8")
        assert _wait_for(url, "Intercommunalité à fiscalité propre (EPCI)", 30)
    finally:
        server.terminate()
        server.wait(timeout=10)
