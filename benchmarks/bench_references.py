"""Throughput of ``papers-dataset references parse`` with the model loaded once, and the model's load time.

Usage: .venv/bin/python benchmarks/bench_references.py [--runs N] [--limit N] [--write FILE] [--profile FILE]
Prints:
- the CPU seconds (time.process_time) to load the shipped model and merge policy, measured in a fresh
  interpreter so that nothing loaded before flatters it;
- references per CPU second of reference_parse.render (the JSON-lines path of `references parse`) over the
  training references (AnyStyle, GROBID, Linked Books), each once: distinct strings, so no cache helps.
  Each of --runs runs (default 3) is a fresh interpreter (cold caches); the best and the median run are
  printed. CPU seconds, not wall clock, but on a shared machine even CPU seconds grow with the others'
  load (caches, shared cores): the best run is the closest to the parser's own cost, the median says how
  much the load added.
--write FILE writes the JSON lines (of the first run), to check that a change to the parser leaves its
output byte-identical; --profile FILE writes a cProfile of one parse to FILE (pstats format).
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


def parse_run(limit: int | None, write: Path | None, profile: Path | None) -> tuple[int, float, float]:
    """(references, CPU seconds, wall-clock seconds) of one parse of the training references."""
    from pipeline.extract import reference_parse

    lines = training_lines(limit)
    reference_parse.load_reader()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu_started = time.perf_counter(), time.process_time()
    output = list(reference_parse.render(lines, "json"))
    cpu, elapsed = time.process_time() - cpu_started, time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    if write:
        write.write_text("\n".join(output) + "\n", encoding="utf-8")
    return len(lines), cpu, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh interpreters to time the parse in")
    parser.add_argument("--limit", type=int, help="only the first N training references")
    parser.add_argument("--write", type=Path, help="write the JSON lines here")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the parse here")
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not TRAINING.exists():
        sys.exit(f"{TRAINING}: training references not found")
    if args.one_run:
        print(*parse_run(args.limit, args.write, args.profile))
        return
    print(f"model load: {load_seconds():.3f} CPU s (limit {LOAD_LIMIT} s)")
    runs = []
    for run in range(args.runs):
        command = [sys.executable, __file__, "--one-run"]
        if args.limit:
            command += ["--limit", str(args.limit)]
        if run == 0 and args.write:
            command += ["--write", str(args.write)]
        if run == 0 and args.profile:
            command += ["--profile", str(args.profile)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        count, cpu, elapsed = result.stdout.split()
        runs.append((float(cpu), float(elapsed)))
        rate, wall_rate = int(count) / float(cpu), int(count) / float(elapsed)
        print(f"  run {run + 1}: {float(cpu):.2f} CPU s, {rate:,.0f}/CPU s ({wall_rate:,.0f}/s wall clock)")
    cpus = sorted(cpu for cpu, _ in runs)
    best, median = cpus[0], cpus[len(cpus) // 2]
    print(
        f"references parse: {count} training references; best run {int(count) / best:,.0f}, median run "
        f"{int(count) / median:,.0f} references per CPU second (target {TARGET_RATE:,})"
    )


if __name__ == "__main__":
    main()
