"""Corpus-speed benchmark: full build, no-change run and one-paper edit for corpora of N copies of the paper.

Run: ``.venv/bin/python benchmarks/bench_corpus.py [N ...]`` (default 1 50 300). Each build runs as its own
``papers-dataset build`` process, as a user runs it, so the figures include imports and worker start-up.
Printed per N: wall time of each run (a full build as the median of three builds of fresh copies of the
corpus, a one-paper edit as the median of three edits), the per-paper cost of the full build and the cost
of each paper added since the previous N, the peak resident memory of the build process (median of the
full builds) and of its largest worker, the largest table's resident size once read and how much faster
the peak grows than that table does (memory bounded by the largest table: a small, steady factor; add
1000 to the sizes to see it past 300 papers, about ten more minutes), the size of the orchestration
state per paper, and the share of the full build spent outside the extractors (orchestration, validation,
writing). That share is 1 - (N x the extractors' time for one paper, measured in this process) / (workers x
full-build wall time); beside it the same share of CPU time, 1 - N x the extractors' CPU time / the build's
CPU time, which a busy machine disturbs less. Between two sizes it also prints the fixed part of a run (wall
and CPU time: what the full build costs besides its N papers) and, given that fixed CPU time, how close the
full build per paper at the two sizes could come on this machine's cores. The corpus lives in a temporary
folder; nothing in the repository is touched.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The environment a user's shell gives a build. Importing polars here (to time the extractors) sets
# _RJEM_MALLOC_CONF to polars' defaults in this process; a build started with that would inherit them
# instead of setting its own allocator options (`cli.build`), so builds get the environment as it was.
USER_ENVIRONMENT = dict(os.environ)
PAPER = ROOT / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md"


def make_corpus(root: Path, count: int) -> list[str]:
    shutil.copytree(ROOT / "authority", root / "authority")
    (root / "corrections").mkdir()  # the repository's corrections target its own paper, not these copies
    shutil.copy2(ROOT / "dataset.yaml", root / "dataset.yaml")
    ids = [f"copy-{i:03d}" for i in range(1, count + 1)]
    for document_id in ids:
        folder = root / "raw" / document_id
        folder.mkdir(parents=True)
        shutil.copy2(PAPER, folder / PAPER.name)
        (folder / "metadata.yaml").write_text(f"id: {document_id}\nlanguage: en\n", encoding="utf-8")
    return ids


def timed_build(root: Path) -> tuple[float, float, float, float, float]:
    """Wall seconds, CPU seconds (build process and its workers), peak RSS (MiB) of the build process and
    of its largest worker, and the CPU seconds of the build process alone, for one CLI build. CPU seconds
    are steadier than wall time on a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    # The command's own function (`commands.run`), which leaves through os._exit: the peaks are read just
    # before.
    wrapper = "import os, resource, sys\nfrom pipeline import commands\nleave = os._exit\n"
    wrapper += "def peaks_then_leave(code):\n"
    wrapper += "    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
    wrapper += " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
    wrapper += " sum(resource.getrusage(resource.RUSAGE_SELF)[:2]), file=sys.stderr, flush=True)\n"
    wrapper += "    leave(code)\n"
    wrapper += "os._exit = peaks_then_leave\n"
    wrapper += f"sys.argv = ['papers-dataset', '--root', {str(root)!r}, 'build']\ncommands.run()\n"
    run = subprocess.run(
        [sys.executable, "-c", wrapper], capture_output=True, text=True, check=False, env=USER_ENVIRONMENT
    )
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    peaks = [line.split() for line in run.stderr.splitlines() if line.startswith("PEAK")]
    if run.returncode != 0 or not peaks:
        raise SystemExit(f"build failed:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}")
    return elapsed, cpu, int(peaks[-1][1]) / 1024, int(peaks[-1][2]) / 1024, float(peaks[-1][3])


def extractor_seconds_per_paper(repeats: int = 3) -> tuple[float, float]:
    """Wall and CPU seconds of the per-paper stages alone (read, clean, citations, entities, events,
    claims, the paper's own checks) on the paper, best of a few runs each."""
    from pipeline.orchestration import stages
    from pipeline.package import corrections as fixes

    paths = stages.ProjectPaths(ROOT)
    authority = stages.load_authority(paths)
    corrections = fixes.load_corrections(ROOT / "corrections")
    entry = ROOT / "raw" / "kennan-op-263"
    wall = cpu = float("inf")
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        stages.build_document(paths, "kennan-op-263", entry, "", authority, corrections)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - cpu_started)
    return wall, cpu


def table_sizes(root: Path) -> dict[str, int]:
    """Each published table's size in memory (polars' estimate), read from its Parquet file."""
    import polars as pl

    return {
        path.stem: pl.read_parquet(path).estimated_size()
        for path in (root / "data/parquet").glob("*.parquet")
    }


def resident_mib(parquet: Path) -> float:
    """The memory a table holds once read (MiB of resident memory gained by reading it in a fresh
    process): the yardstick for "bounded by the largest table". polars' estimate leaves out most of what
    its string columns hold, about half of it here."""
    probe = "import polars as pl, sys\n"
    probe += "def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
    probe += "pl.read_parquet(sys.argv[1], n_rows=1)\n"  # the reader's own start-up is not the table's
    probe += "before = rss(); table = pl.read_parquet(sys.argv[1]); print((rss() - before) / 2**20)\n"
    run = subprocess.run(
        [sys.executable, "-c", probe, str(parquet)],
        capture_output=True,
        text=True,
        check=True,
        env=USER_ENVIRONMENT,
    )
    return float(run.stdout)


def state_bytes(root: Path) -> int:
    """Bytes on disk under .dagster_home; a file hard-linked under two names (a paper's latest and
    published outcome when they are the same build) is counted once."""
    sizes = {}
    for path in (root / ".dagster_home").rglob("*"):
        if path.is_file():
            stat = path.stat()
            sizes[(stat.st_dev, stat.st_ino)] = stat.st_size
    return sum(sizes.values())


# One-paper edits timed per corpus (each a different paper where there are several); the median is printed.
EDITS = 3
# Full builds per corpus size, each of a fresh copy of the corpus: their wall time and peak memory vary from
# run to run (the package step's checks overlap differently), so the median is printed, with the range.
FULL_BUILDS = 3


def measure(count: int, extractor: tuple[float, float], workers: int) -> tuple[float, float, float, float]:
    """Print the figures for a corpus of ``count`` papers; return the full build's wall time, peak RSS
    (medians), the largest table's resident size and the full build's CPU time."""
    with tempfile.TemporaryDirectory() as scratch:
        builds = []
        for k in range(FULL_BUILDS):
            root = Path(scratch) / f"corpus-{k}"
            if k:
                shutil.rmtree(Path(scratch) / f"corpus-{k - 1}")
            ids = make_corpus(root, count)
            builds.append(timed_build(root))
        builds.sort()  # by wall time
        full, full_cpu, _, worker_rss, main_cpu = builds[len(builds) // 2]
        peaks = sorted(build[2] for build in builds)
        full_rss = peaks[len(peaks) // 2]
        sizes = table_sizes(root)
        largest = max(sizes, key=sizes.__getitem__)
        resident = resident_mib(root / "data/parquet" / f"{largest}.parquet")
        noop, noop_cpu, _, _, _ = timed_build(root)
        edits = []
        for k in range(EDITS):
            paper = root / "raw" / ids[(k + 1) * len(ids) // (EDITS + 1)] / PAPER.name
            text = paper.read_text(encoding="utf-8")
            old, new = ("Bolshevik", "Bolshevist") if "Bolshevik" in text else ("Bolshevist", "Bolshevik")
            paper.write_text(text.replace(old, new), encoding="utf-8")
            edits.append(timed_build(root)[:3])
        edits.sort()
        edit, edit_cpu, _ = edits[len(edits) // 2]
        state = state_bytes(root)
    outside = 1 - count * extractor[0] / (min(workers, count) * full)
    outside_cpu = 1 - count * extractor[1] / full_cpu
    print(f"N = {count}  (wall time; CPU time of the build and its workers in brackets)")
    print(
        f"  full build:          {full:7.1f} s   ({full_cpu:.1f} s CPU; {full / count:.2f} s per paper; "
        f"median of {FULL_BUILDS}, {builds[0][0]:.1f}-{builds[-1][0]:.1f} s)"
    )
    print(
        f"    CPU split:         {main_cpu:7.1f} s in the build process (orchestration, package step), "
        f"{full_cpu - main_cpu:.1f} s in child processes (the extractors alone: {count * extractor[1]:.1f} s)"
    )
    print(f"  no-change run:       {noop:7.2f} s   ({noop_cpu:.2f} s CPU)")
    print(
        f"  one-paper edit:      {edit:7.2f} s   ({edit_cpu:.1f} s CPU; "
        f"{100 * edit / full:.1f} % of the full build; median of {EDITS}, "
        f"{edits[0][0]:.2f}-{edits[-1][0]:.2f} s)"
    )
    print(
        f"  peak RSS:            {full_rss:7.0f} MiB build process (median of the full builds, "
        f"{peaks[0]:.0f}-{peaks[-1]:.0f}), {worker_rss:.0f} MiB largest worker; "
        f"{max(rss for _, _, rss in edits):.0f} MiB in the edits"
    )
    print(
        f"  tables in memory:    {resident:7.1f} MiB the largest ({largest}) once read; polars' estimate "
        f"{sizes[largest] / 2**20:.1f} MiB, {sum(sizes.values()) / 2**20:.1f} MiB all {len(sizes)}"
    )
    print(f"  orchestration state: {state / count / 1024:7.0f} KiB per paper (.dagster_home)")
    print(
        f"  outside extractors:  {100 * outside:7.0f} % of the full build "
        f"({100 * outside_cpu:.0f} % of its CPU)"
    )
    return full, full_rss, resident, full_cpu


def main(counts: list[int]) -> None:
    workers = os.cpu_count() or 1
    extractor = extractor_seconds_per_paper()
    print(
        f"extractors alone: {extractor[0]:.3f} s per paper ({extractor[1]:.3f} s CPU); "
        f"{workers} worker processes"
    )
    previous: tuple[int, float, float, float, float] | None = None
    for count in counts:
        full, rss, resident, cpu = measure(count, extractor, workers)
        if previous is not None:
            # What one more paper costs, without the run's fixed part (imports, Dagster's run, writing).
            added = (full - previous[1]) / (count - previous[0])
            grown = (rss - previous[2]) / (count - previous[0])
            print(f"  per paper added from N = {previous[0]}: {added:.3f} s, {grown:.2f} MiB peak RSS")
            # Memory bounded by the largest table: the peak grows as that table does, by a small factor.
            table_grown = (resident - previous[3]) / (count - previous[0])
            print(
                f"  peak RSS growth / largest table's growth since N = {previous[0]}: "
                f"{grown / table_grown if table_grown > 0 else float('nan'):.1f}x "
                f"({table_grown:.3f} MiB per paper)"
            )
            # The full build divided by N, at this N and the one before: equal when a run has no fixed part.
            here, there = full / count, previous[1] / previous[0]
            print(
                f"  full build per paper: {here:.3f} s here, {there:.3f} s at N = {previous[0]} "
                f"({abs(there - here) / min(here, there):.0%} apart)"
            )
            # What a run costs besides its papers, and what that allows: even with every core busy from
            # start to end, a run takes (N x a paper's CPU + the fixed CPU) / cores, so full build / N at
            # the two sizes can come no closer than this.
            cpu_added = (cpu - previous[4]) / (count - previous[0])
            fixed, fixed_cpu = full - added * count, cpu - cpu_added * count
            if fixed_cpu > 0:
                closest = (cpu_added + fixed_cpu / previous[0]) / (cpu_added + fixed_cpu / count) - 1
                print(
                    f"  fixed part of a run: {fixed:.2f} s ({fixed_cpu:.2f} s CPU; a paper {cpu_added:.3f} s "
                    f"CPU); full build per paper at N = {previous[0]} and {count} on {workers} cores: at "
                    f"best {closest:.0%} apart"
                )
            else:  # the added papers cost more CPU than the first ones did: the machine's speed varied
                print(f"  fixed part of a run: not measurable here (a paper {cpu_added:.3f} s CPU)")
        previous = (count, full, rss, resident, cpu)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 50, 300])
