"""Throughput (sentences per CPU second; target 2,000) and peak memory of time expressions + events, and
of the timeline rendering.

Run: ``.venv/bin/python benchmarks/bench_events.py [tiles] [repeats]``. Cleaning and mention linking are done
once, outside the timing. Units are body sentences. The development papers in ../shared/dev-papers/docs are
measured too when that folder exists. The paper is also tiled into one long document (offsets
and IDs shifted per copy) to show that the rules scale linearly with document length.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import polars as pl

from pipeline.extract.dates import find_time_expressions
from pipeline.extract.entities import authority_tables, find_mentions, load_authority
from pipeline.extract.events import extract_events
from pipeline.package.timeline import render_timeline
from pipeline.text.clean import clean_document

ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md"
DEV_PAPERS = ROOT.parent / "shared" / "dev-papers" / "docs"  # measured too when present


def _shifted(frame: pl.DataFrame, id_columns: list[str], tiles: int, step: int) -> pl.DataFrame:
    """Copies of a frame with IDs suffixed and offsets moved by one document length per copy."""
    offset_columns = [c for c in ("char_start", "char_end", "marker_offset") if c in frame.columns]
    return pl.concat(
        frame.with_columns(
            *[pl.col(c) + pl.lit(f"x{n}") for c in id_columns],
            *[pl.col(c) + n * step for c in offset_columns],
        )
        for n in range(tiles)
    )


def _extract(sentences: pl.DataFrame, mentions: pl.DataFrame, footnotes: pl.DataFrame) -> int:
    times = find_time_expressions(sentences, None)
    events, _, _ = extract_events(sentences, times, mentions, footnotes)
    return events.height


def _run(sentences: pl.DataFrame, mentions: pl.DataFrame, footnotes: pl.DataFrame) -> tuple[float, int, int]:
    """Best-of CPU time without tracing (the machine is shared: CPU seconds, not wall clock), then peak
    memory from one traced run (tracing slows Python down)."""
    started = time.process_time()
    count = _extract(sentences, mentions, footnotes)
    elapsed = time.process_time() - started
    tracemalloc.start()
    _extract(sentences, mentions, footnotes)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak, count


def main() -> None:
    tiles = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    document = clean_document(PAPER.read_text(encoding="utf-8"), "bench", PAPER.name)
    authority = load_authority()
    mentions, _ = find_mentions(
        document.text, document.sentences, document.footnotes, authority, document.emphasis_spans
    )
    step = len(document.text) + 2
    cases = {
        "paper": (document.sentences, mentions, document.footnotes),
        f"paper x{tiles}": (
            _shifted(document.sentences, ["sentence_id", "paragraph_id"], tiles, step),
            _shifted(mentions, ["mention_id", "sentence_id"], tiles, step),
            _shifted(document.footnotes, ["footnote_id", "sentence_id", "paragraph_id"], tiles, step),
        ),
    }
    for path in sorted(DEV_PAPERS.glob("*.md")) if DEV_PAPERS.is_dir() else []:
        dev = clean_document(path.read_text(encoding="utf-8"), path.stem.replace("_", "-"), path.name)
        dev_mentions, _ = find_mentions(dev.text, dev.sentences, dev.footnotes, authority, dev.emphasis_spans)
        cases[path.stem.removeprefix("dev_")] = (dev.sentences, dev_mentions, dev.footnotes)
    for name, (sentences, case_mentions, footnotes) in cases.items():
        best = min(_run(sentences, case_mentions, footnotes) for _ in range(repeats))
        elapsed, peak, count = best
        print(
            f"{name:<36} {sentences.height:>6} sentences  {count:>5} events  {elapsed * 1000:8.1f} CPU ms  "
            f"{sentences.height / elapsed:9.0f} sentences/CPU s (target 2,000)  peak {peak / 1e6:6.1f} MB"
        )
    times = find_time_expressions(document.sentences, None)
    events, participants, _ = extract_events(document.sentences, times, mentions, document.footnotes)
    entities = authority_tables(authority)["entities"]
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        render_timeline(events, participants, entities, Path(folder) / "timeline.svg")
        print(f"timeline     {events.height:>5} events  {(time.perf_counter() - started) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
