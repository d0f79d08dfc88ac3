"""How matching's work and time grow with the number of fiches: run it, read the ratios.

    .venv/bin/python bench/matching_scale.py

For N, 2N and 4N synthetic fiches (tests/synthetic.py), prints the candidate evaluations, the postings
visited and the CPU seconds of `matching.match`, and each figure's ratio to the previous size. Linear work
doubles (≈ 2.0); work that grows with the square of N would quadruple (≈ 4.0).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from repertoire import matching  # noqa: E402
from repertoire.index import build_index  # noqa: E402
from synthetic import synthetic_directory  # noqa: E402

SIZES = (500, 1000, 2000)


def measure(count: int) -> tuple[int, int, float]:
    index = build_index(synthetic_directory(count))
    start = time.process_time()
    found = matching.match(index)
    return found.evaluations, found.postings_visited, time.process_time() - start


def main() -> None:
    previous = None
    print(f"{'fiches':>7} {'évaluations':>12} {'postings':>10} {'secondes':>9}   ratios (évaluations, postings, secondes)")
    for count in SIZES:
        figures = measure(count)
        ratios = "" if previous is None else "   " + ", ".join(f"{now / before:.2f}" for now, before in zip(figures, previous))
        print(f"{count:>7} {figures[0]:>12} {figures[1]:>10} {figures[2]:>9.2f}{ratios}")
        previous = figures


if __name__ == "__main__":
    main()
