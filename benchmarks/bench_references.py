"""Throughput of ``papers-dataset references parse`` with the model loaded once, and the model's load time.

Usage: .venv/bin/python benchmarks/bench_references.py [--limit N] [--write FILE] [--profile FILE]
Prints:
- the CPU seconds (time.process_time) to load the shipped model and merge policy, measured in a fresh
  interpreter so that nothing loaded before flatters it;
- references per CPU second of reference_parse.render (the JSON-lines path of `references parse`) over the
  training references (AnyStyle, GROBID, Linked Books), each once: distinct strings, so no cache helps.
--write FILE writes the JSON lines, to check that a change to the parser leaves its output byte-identical;
--profile FILE writes a cProfile of the parse to FILE (pstats format).
CPU seconds, not wall clock: the machine is shared and wall-clock rates move with its load.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT.parent / "shared" / "training" / "references"
TARGET_RATE = 2_000
LOAD_LIMIT = 0.3

LOAD_PROBE = """
import time
from pipeline.extract import reference_parse
started = time.process_time()
reference_parse.load_reader()
print(time.process_time() - started)
"""


def load_seconds() -> float:
    """CPU seconds to load the model and merge policy in a fresh interpreter (modules imported first)."""
    result = subprocess.run(
        [sys.executable, "-c", LOAD_PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def training_lines(limit: int | None) -> list[str]:
    """Every training reference as one plain line, in file order (the first `limit` if given)."""
    from pipeline.extract import reference_model, reference_training

    files = reference_training.training_files(TRAINING)
    lines = [r.text for path in files for r in reference_model.read_anystyle(path)]
    return lines[:limit] if limit else lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N training references")
    parser.add_argument("--write", type=Path, help="write the JSON lines here")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the parse here")
    args = parser.parse_args()
    if not TRAINING.exists():
        sys.exit(f"{TRAINING}: training references not found")
    print(f"model load: {load_seconds():.3f} CPU s (limit {LOAD_LIMIT} s)")

    from pipeline.extract import reference_parse

    lines = training_lines(args.limit)
    reference_parse.load_reader()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu_started = time.perf_counter(), time.process_time()
    output = list(reference_parse.render(lines, "json"))
    cpu, elapsed = time.process_time() - cpu_started, time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    rate = len(lines) / cpu
    print(
        f"references parse: {len(lines)} training references in {cpu:.2f} CPU s, {rate:,.0f} references per "
        f"CPU second (target {TARGET_RATE:,}; {len(lines) / elapsed:,.0f}/s wall clock)"
    )
    if args.write:
        args.write.write_text("\n".join(output) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
