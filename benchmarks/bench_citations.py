"""Throughput of citation extraction: every note of the committed paper repeated to a large batch.

Usage: .venv/bin/python benchmarks/bench_citations.py [number_of_notes]   (default 100000)
Prints references parsed per second and the peak Python heap (tracemalloc) and process RSS.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

import polars as pl

from pipeline.extract.citations import extract_citations
from pipeline.extract.works import build_works
from pipeline.text.clean import clean_document

PAPER = Path(__file__).resolve().parent.parent / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md"
NOTES_PER_DOCUMENT = 500


def batch(total: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Copies of the paper's notes, split into documents of NOTES_PER_DOCUMENT notes each."""
    paper = clean_document(PAPER.read_text(encoding="utf-8"), "bench", str(PAPER))
    notes, spans = paper.footnotes, paper.emphasis_spans.filter(pl.col("footnote_id").is_not_null())
    copies = -(-total // notes.height)
    note_frames, span_frames = [], []
    for copy in range(copies):
        document = f"bench-{copy * notes.height // NOTES_PER_DOCUMENT:05d}"
        new_id = pl.lit(f"{document}:fn") + (pl.col("number") + copy * notes.height).cast(str).str.zfill(6)
        renamed = notes.with_columns(pl.lit(document).alias("document_id"), new_id.alias("new_id"))
        mapping = dict(zip(renamed["footnote_id"], renamed["new_id"], strict=True))
        note_frames.append(
            renamed.with_columns(
                pl.col("new_id").alias("footnote_id"),
                (pl.col("number") + copy * notes.height).alias("number"),
            ).drop("new_id")
        )
        span_frames.append(
            spans.with_columns(pl.lit(document).alias("document_id"), pl.col("footnote_id").replace(mapping))
        )
    return pl.concat(note_frames).head(total), pl.concat(span_frames)


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    footnotes, spans = batch(total)
    tracemalloc.start()
    started = time.perf_counter()
    citations = extract_citations(footnotes, spans)
    parsed = time.perf_counter()
    works, _ = build_works(citations)
    finished = time.perf_counter()
    _, peak = tracemalloc.get_traced_memory()
    references = citations.filter(pl.col("reference_type") != "commentary").height
    print(f"notes: {footnotes.height}, references: {references}, works: {works.height}")
    print(f"extract_citations: {parsed - started:.1f} s, {references / (parsed - started):,.0f} references/s")
    print(f"build_works: {finished - parsed:.1f} s")
    print(f"peak traced Python memory: {peak / 2**20:.0f} MiB")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
