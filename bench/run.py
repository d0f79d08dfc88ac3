"""Benchmark of the whole build at national scale, beside plain Material for MkDocs, in one run.

In: options (number of fiches, repetitions, seed, work folder); see ``python bench/run.py --help``.
Out: a table printed on standard output, in French, comparing for each number of fiches
the real project's build (validation, generation, MkDocs, search index, exports: its own
`mkdocs.yml`, strict) with a plain Material site of the same pages written as Markdown
(`bench.plain`): time, peak memory, output size, ratio; then the linearity ratio, the time of
``python -m repertoire verifier`` alone on the largest directory (reading every file, then with the
files found unchanged in its cache), and how long `mkdocs serve`
takes to show a change to one YAML file of the real data.

Each build runs in a fresh process; the runs of the two sites alternate, and medians are kept,
so that a busy machine slows both alike. Peak memory is the largest resident size of any process
of the run (`getrusage(RUSAGE_CHILDREN)` of a fresh wrapper process).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import PROJECT, copy_code, generate  # noqa: E402
from bench.plain import write_plain  # noqa: E402
from repertoire.cli import FrenchParser  # noqa: E402
from repertoire.pipeline import CACHE_FILE  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"secondes": elapsed, "rss_kio": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime, "code": result.returncode, "erreurs": result.stderr[-3000:]}))
"""
"""Runs a command in a fresh process, reporting wall time, the largest RSS of the process tree and CPU time."""


@dataclass
class Run:
    seconds: float
    rss_mb: float
    cpu: float


def measured(command: list[str], cwd: Path | None = None) -> Run:
    output = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, cwd=cwd, env=ENV, check=True)
    report = json.loads(output.stdout)
    if report["code"] != 0:
        raise SystemExit(f"échec de {' '.join(command)} :\n{report['erreurs']}")
    return Run(report["secondes"], report["rss_kio"] / 1024, report["cpu"])


def settled(site: Path) -> None:
    """Start a build as on a fresh checkout: no site folder to empty first (MkDocs deletes its files one by one:
    5.5 s for the 50,000 of a 10,000-fiche site, whose build took 76 s instead of 62 s), and no earlier build's
    files still being written to disk."""
    shutil.rmtree(site, ignore_errors=True)
    os.sync()


def build_command(project: Path, site: Path, strict: bool) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", *(["--strict"] if strict else []), "-f", str(project / "mkdocs.yml"), "-d", str(site)]


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def material_search_index(site: Path) -> int:
    """Gzipped size of Material's built-in search index, which every visitor downloads whole."""
    return len(gzip.compress((site / "search" / "search_index.json").read_bytes(), 6))


def median_run(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.rss_mb for r in runs), statistics.median(r.cpu for r in runs))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        page = _fetch(url)
        if page is not None and text in page:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"« {text} » n'est pas apparu sur {url} en {timeout} s")


def serve_latency(work: Path, repetitions: int) -> list[float]:
    """Seconds between saving a fiche of the real data and `mkdocs serve` showing the change."""
    project = work / "serve"
    if project.exists():
        shutil.rmtree(project)
    copy_code(project)
    shutil.copytree(PROJECT / "data" / "participants", project / "data" / "participants")
    for name in ("territoires.yml", "ateliers.yml"):
        shutil.copy2(PROJECT / "data" / name, project / "data" / name)
    fiche = sorted((project / "data" / "participants").glob("*.yml"))[0]
    url = f"http://127.0.0.1:{free_port()}"
    page = f"{url}/participants/{fiche.stem}/"  # mkdocs.yml has no site_url: `mkdocs serve` serves at the root
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", url.removeprefix("http://")], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(page, "<h1", 120)
        original = fiche.read_text(encoding="utf-8")
        latencies = []
        for number in range(repetitions):
            marker = f"Repère de mesure {number} {time.time_ns()}"
            fiche.write_text(original.replace("\nactions:\n", f"\nactions:\n  - {marker}\n", 1), encoding="utf-8")
            latencies.append(_wait_for(page, marker, 60))
            time.sleep(0.5)
        return latencies
    finally:
        server.terminate()
        server.wait(timeout=30)


def french(number: float, digits: int = 1) -> str:
    """« 12 345,6 »: French decimal comma and thin space between thousands."""
    return f"{number:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def main() -> None:
    parser = FrenchParser(description="Mesure la construction du répertoire à grande échelle, à côté de Material seul.")
    parser.add_argument("--fiches", type=int, nargs="+", default=[1000, 5000, 10000], help="nombres de fiches (défaut : 1000 5000 10000)")
    parser.add_argument("--repetitions", type=int, default=1, help="constructions de chaque site par nombre de fiches (défaut : 1)")
    parser.add_argument("--graine", type=int, default=1, help="graine des données synthétiques (défaut : 1)")
    parser.add_argument("--dossier", type=Path, help="dossier de travail (défaut : un dossier temporaire, effacé à la fin)")
    args = parser.parse_args()
    work = args.dossier or Path(tempfile.mkdtemp(prefix="repertoire-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = sorted(args.fiches)
    try:
        projects, plains = {}, {}
        for n in sizes:
            print(f"Préparation : {n} fiches…", file=sys.stderr)
            projects[n] = generate(n, args.graine, work / f"projet-{n}")
            plains[n] = write_plain(projects[n], work / f"material-{n}")
        runs: dict[tuple[str, int], list[Run]] = {}
        for repetition in range(args.repetitions):
            for n in sizes:
                for kind, folder, strict in (("projet", projects[n], True), ("material", plains[n], False)):
                    print(f"Construction {repetition + 1}/{args.repetitions} : {kind}, {n} fiches…", file=sys.stderr)
                    site = work / f"site-{kind}-{n}"
                    (folder / CACHE_FILE).unlink(missing_ok=True)  # every build reads every file, as in a fresh checkout
                    settled(site)
                    runs.setdefault((kind, n), []).append(measured(build_command(folder, site, strict)))
        print("Validation seule…", file=sys.stderr)
        os.sync()
        largest = projects[sizes[-1]]
        validation = validation_runs(largest, max(3, args.repetitions))
        print("Temps de `mkdocs serve`…", file=sys.stderr)
        os.sync()
        latencies = serve_latency(work, max(3, args.repetitions))
        print_table(work, sizes, runs, validation, latencies)
    finally:
        if args.dossier is None:
            shutil.rmtree(work, ignore_errors=True)


def validation_runs(project: Path, repetitions: int) -> tuple[Run, Run]:
    """`verifier` reading every file (a fresh checkout), then finding them in its cache (data unchanged)."""
    command = [sys.executable, "-m", "repertoire", "verifier", "data"]
    cold = []
    for _ in range(repetitions):
        (project / CACHE_FILE).unlink(missing_ok=True)
        cold.append(measured(command, cwd=project))
    return median_run(cold), median_run([measured(command, cwd=project) for _ in range(repetitions)])


def print_table(work: Path, sizes: list[int], runs, validation: tuple[Run, Run], latencies: list[float]) -> None:
    print(f"\nMachine : {os.cpu_count()} cœurs ; charge moyenne à la fin : {french(os.getloadavg()[0], 2)} ; médianes de constructions alternées.")
    print("Le temps CPU additionne tous les processus d'une construction ; il dépend moins que la durée des autres programmes qui occupent la machine.\n")
    print("| fiches | pages | projet : durée (CPU) | Material seul : durée (CPU) | rapport des durées | rapport des temps CPU | mémoire max projet / Material | sortie projet / Material | index de recherche : Pagefind sur disque (compressé, chargé par morceaux) / Material (gz, chargé en entier) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        project, plain = median_run(runs[("projet", n)]), median_run(runs[("material", n)])
        site = work / f"site-projet-{n}"
        pages = sum(1 for _ in site.rglob("index.html"))
        print(
            f"| {french(n, 0)} | {french(pages, 0)} | {french(project.seconds)} s ({french(project.cpu)} s) | {french(plain.seconds)} s ({french(plain.cpu)} s) "
            f"| **{french(project.seconds / plain.seconds, 2)}** | **{french(project.cpu / plain.cpu, 2)}** | {project.rss_mb:.0f} Mo / {plain.rss_mb:.0f} Mo "
            f"| {folder_size(site) / 2**20:.0f} Mo / {folder_size(work / f'site-material-{n}') / 2**20:.0f} Mo | {french(folder_size(site / 'pagefind') / 2**20)} Mo / {french(material_search_index(work / f'site-material-{n}') / 2**20, 2)} Mo |"
        )
    if len(sizes) > 1:
        first, last = median_run(runs[("projet", sizes[0])]), median_run(runs[("projet", sizes[-1])])
        print(f"\nLinéarité du projet, pour {sizes[-1] // sizes[0]} fois plus de fiches : t({french(sizes[-1], 0)}) / t({french(sizes[0], 0)}) = **{french(last.seconds / first.seconds, 2)}** en durée, **{french(last.cpu / first.cpu, 2)}** en temps CPU.")
    if len(runs[("projet", sizes[0])]) > 1:  # the machine's noise, which medians hide
        each = " ; ".join(f"{french(n, 0)} fiches : projet {' / '.join(french(r.seconds) for r in runs[('projet', n)])} s, Material {' / '.join(french(r.seconds) for r in runs[('material', n)])} s" for n in sizes)
        print(f"Chaque construction, dans l'ordre : {each}.")
    cold, warm = validation
    print(f"Validation seule de {french(sizes[-1], 0)} fiches (`python -m repertoire verifier`) : **{french(cold.seconds, 2)} s** en lisant tous les fichiers (CPU {french(cold.cpu, 2)} s, mémoire max {cold.rss_mb:.0f} Mo), "
          f"**{french(warm.seconds, 2)} s** quand ils n'ont pas changé depuis la vérification précédente (CPU {french(warm.cpu, 2)} s, mémoire max {warm.rss_mb:.0f} Mo).")
    print(f"`mkdocs serve`, données réelles : modification d'une fiche visible en **{french(statistics.median(latencies), 2)} s** (médiane de {len(latencies)} ; {', '.join(french(x, 2) for x in latencies)} s).")


if __name__ == "__main__":
    main()
