"""Throughput and peak memory of corrections, the package diff and the release build.

Run: ``.venv/bin/python benchmarks/bench_corrections.py``. Uses the committed paper and package; record
corrections and the diff are also measured on a synthetic table of 200,000 rows to show how they scale.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import polars as pl

from pipeline.package.corrections import (
    apply_record_corrections,
    load_corrections,
)
from pipeline.package.package_diff import diff_packages
from pipeline.package.release import build_release
from pipeline.package.text_corrections import apply_text_corrections

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "corrections_example"
PAPER = ROOT / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md"
ROWS = 200_000
RECORD_CORRECTIONS = 200


def measure(label: str, function, units: float, unit: str) -> None:
    """Time a call (best of three, untraced), then trace one more call for its peak Python memory."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    seconds = min(timings)
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rate = f"{units / seconds:,.1f} {unit}/s"
    print(f"{label:<50} {seconds * 1000:9.1f} ms  {rate:>22}  peak {peak / 2**20:6.1f} MiB")


def synthetic_corrections(directory: Path) -> None:
    lines = []
    for i in range(RECORD_CORRECTIONS):
        lines += [
            f"- id: B{i:05d}",
            "  kind: field",
            "  table: big",
            f"  record_id: 'd:r{i * 997 % ROWS:07d}'",
            "  field: value",
            f"  old: v{i * 997 % ROWS}",
            f"  new: w{i}",
            "  reason: benchmark",
            "  author: bench",
            "  date: 2026-11-27",
        ]
    (directory / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_big_package(root: Path, frame: pl.DataFrame) -> Path:
    (root / "data").mkdir(parents=True)
    frame.write_csv(root / "data" / "big.csv")
    fields = [{"name": "id", "type": "string"}, {"name": "value", "type": "string"}]
    resource = {"name": "big", "type": "table", "path": "data/big.csv", "format": "csv"}
    resource["schema"] = {"fields": fields, "primaryKey": ["id"]}
    (root / "datapackage.json").write_text(json.dumps({"version": "0", "resources": [resource]}))
    return root


def main() -> None:
    text = PAPER.read_text(encoding="utf-8")
    corrections = load_corrections(FIXTURES)
    lines = text.count("\n") + 1
    measure(
        "text corrections on the paper (2 fixes)",
        lambda: apply_text_corrections("kennan-op-263", text, corrections),
        lines,
        "lines",
    )

    big = pl.DataFrame({"id": [f"d:r{i:07d}" for i in range(ROWS)], "value": [f"v{i}" for i in range(ROWS)]})
    with tempfile.TemporaryDirectory() as scratch:
        synthetic_corrections(Path(scratch))
        many = load_corrections(Path(scratch))
        measure(
            f"{RECORD_CORRECTIONS} field corrections on {ROWS:,} rows",
            lambda: apply_record_corrections("big", big, ["id"], many, None),
            RECORD_CORRECTIONS,
            "corrections",
        )

        rows = sum(pl.read_csv(p, infer_schema=False).height for p in (ROOT / "data" / "csv").glob("*.csv"))
        measure(
            f"diff committed package with itself ({rows:,} rows)",
            lambda: diff_packages(ROOT, ROOT),
            rows,
            "rows",
        )

        old_package = write_big_package(Path(scratch) / "old", big)
        changed = big.with_columns(
            pl.when(pl.int_range(ROWS) % 100 == 0)
            .then(pl.lit("changed"))
            .otherwise(pl.col("value"))
            .alias("value")
        )
        new_package = write_big_package(Path(scratch) / "new", changed)
        measure(
            f"diff of a {ROWS:,}-row table, 1% of values changed",
            lambda: diff_packages(old_package, new_package),
            ROWS,
            "rows",
        )

        repo = Path(scratch) / "repo"
        repo.mkdir()
        for name in ("datapackage.json", "dataset.yaml", "LICENSE-DATA", "CHANGELOG.md"):
            shutil.copy(ROOT / name, repo / name)
        for directory in ("data", "text", "raw"):
            shutil.copytree(ROOT / directory, repo / directory)
        (repo / "README.md").write_text("# README\n", encoding="utf-8")
        out = Path(scratch) / "release.zip"
        measure("release build incl. frictionless validation", lambda: build_release(repo, out), 1, "builds")
        measure(
            "release build without validation", lambda: build_release(repo, out, validate=False), 1, "builds"
        )
        print(f"release zip: {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
