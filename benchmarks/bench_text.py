"""Speed of the text layer: cleaning the committed paper and the dev papers in other layouts.

Usage: .venv/bin/python benchmarks/bench_text.py [repeats]   (default 10)
Prints milliseconds per clean_document call (best of the repeats) for each paper, and the total.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pipeline.text.clean import clean_document

REPO_ROOT = Path(__file__).resolve().parent.parent
PAPERS = [
    REPO_ROOT / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md",
    *sorted((REPO_ROOT.parent / "shared" / "dev-papers" / "docs").glob("*.md")),
]


def best_time(text: str, repeats: int) -> float:
    """The fastest of ``repeats`` runs, in seconds (the least disturbed by other work on the machine)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        clean_document(text, "bench", "bench.md")
        times.append(time.perf_counter() - started)
    return min(times)


def main(repeats: int) -> None:
    total = 0.0
    for path in PAPERS:
        text = path.read_text(encoding="utf-8")
        seconds = best_time(text, repeats)
        total += seconds
        print(f"{path.stem:<45} {len(text):>7} chars  {seconds * 1000:7.1f} ms")
    print(f"{'all ' + str(len(PAPERS)) + ' papers':<45} {'':>13}  {total * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
