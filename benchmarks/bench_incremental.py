"""Full build of a corpus of N copies of the paper, then a re-run after one text correction.

Run: ``.venv/bin/python benchmarks/bench_incremental.py [N]`` (default 50). Prints wall times, how many
documents each run rebuilt, and the peak resident memory of this process. The corpus lives in a
temporary folder; nothing in the repository is touched.
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pipeline.orchestration.cli import build

ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md"
CORRECTION = """\
- id: C0001
  kind: text
  document_id: {document_id}
  line: 260
  old: "sozdarii"
  new: "sozdanii"
  reason: Benchmark correction.
  author: benchmark
  date: 2026-11-27
"""


def make_corpus(root: Path, count: int) -> list[str]:
    shutil.copytree(ROOT / "authority", root / "authority")
    (root / "corrections").mkdir()  # the repository's corrections target its own papers, not these copies
    shutil.copy2(ROOT / "dataset.yaml", root / "dataset.yaml")
    ids = [f"copy-{i:03d}" for i in range(1, count + 1)]
    for document_id in ids:
        folder = root / "raw" / document_id
        folder.mkdir(parents=True)
        shutil.copy2(PAPER, folder / PAPER.name)
        (folder / "metadata.yaml").write_text(f"id: {document_id}\nlanguage: en\n", encoding="utf-8")
    return ids


def timed_build(root: Path) -> float:
    started = time.perf_counter()
    if build(root) != 0:
        raise SystemExit("build failed")
    return time.perf_counter() - started


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        ids = make_corpus(root, count)
        full = timed_build(root)
        target = ids[len(ids) // 2]
        (root / "corrections" / f"{target}.yaml").write_text(
            CORRECTION.format(document_id=target), encoding="utf-8"
        )
        rerun = timed_build(root)
        noop = timed_build(root)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {count} documents")
    print(f"full build:                      {full:7.1f} s")
    print(f"re-run after 1 text correction:  {rerun:7.1f} s (1 document rebuilt, corpus tables re-combined)")
    print(f"re-run with nothing changed:     {noop:7.1f} s")
    print(f"peak RSS:                        {peak:7.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
