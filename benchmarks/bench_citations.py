"""Throughput of reference parsing and of the whole citations stage, in one process (one core).

Usage: .venv/bin/python benchmarks/bench_citations.py [number_of_notes]   (default 100000)
Prints:
- parse-only: references per second through citations.read_reference (rules + trained model + merge, the
  path `papers-dataset references parse` takes) on the 17,921 training references (AnyStyle, GROBID, Linked
  Books), each once (plain strings, so no cache helps), and on the committed paper's references (with
  their italics) repeated to 20,000;
- the committed paper's own citations stage (extract_citations + build_works), with the model loaded;
Times are CPU seconds of this one process (time.process_time), so a busy machine does not distort them.
- the whole citations stage on the paper's notes repeated to a large batch, and the peak Python heap
  (tracemalloc) and process RSS.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

import polars as pl

from pipeline.extract import reference_model, reference_parse, reference_training
from pipeline.extract.citations import extract_citations, read_reference
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


TRAINING = Path(__file__).resolve().parents[2] / "shared" / "training" / "references"


def parse_only(
    label: str, references: list[tuple[str, list[tuple[int, int]]]], at_least: int = 20_000
) -> None:
    """references/s of read_reference over the references, repeated to at least at_least."""
    batch_of = references * -(-at_least // len(references))
    reference_parse.load_reader()  # input read, model loaded and frozen: as `references parse` runs
    started, cpu_started = time.perf_counter(), time.process_time()
    for text, italics in batch_of:
        read_reference(text, italics)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        f"parse-only, {label}: {len(batch_of)} references, {len(batch_of) / cpu:,.0f} references per "
        f"CPU second ({len(batch_of) / elapsed:,.0f}/s wall clock)"
    )


def seed_references() -> tuple[list[tuple[str, list[tuple[int, int]]]], float]:
    """The committed paper's references with their italics, and its citations stage time in seconds."""
    paper = clean_document(PAPER.read_text(encoding="utf-8"), "kennan-op-263", str(PAPER))
    started = time.process_time()
    citations = extract_citations(paper.footnotes, paper.emphasis_spans)
    build_works(citations)
    elapsed = time.process_time() - started
    italics = paper.emphasis_spans.filter(pl.col("style") == "italic")
    references = []
    for row in citations.filter(pl.col("reference_type") != "commentary").iter_rows(named=True):
        start, end = row["char_start"], row["char_end"]
        spans = [
            (a - start, b - start)
            for a, b in zip(italics["char_start"], italics["char_end"], strict=True)
            if start <= a < end
        ]
        references.append((row["raw"], spans))
    return references, elapsed


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    started, cpu_started = time.perf_counter(), time.process_time()
    reference_model.shipped_model()
    reference_model.shipped_merge_policy()
    print(
        f"loading the reference model: {time.process_time() - cpu_started:.2f} CPU s "
        f"({time.perf_counter() - started:.2f} s wall clock)"
    )
    references, seed_stage = seed_references()
    print(f"committed paper's citations stage: {len(references)} references, {seed_stage:.2f} CPU s")
    files = reference_training.training_files(TRAINING) if TRAINING.exists() else []
    distinct = [(r.text, []) for path in files for r in reference_model.read_anystyle(path)]
    if distinct:
        label = (
            "every training reference once (AnyStyle, GROBID, Linked Books; distinct strings, cold caches)"
        )
        parse_only(label, distinct, len(distinct))
    parse_only("committed paper's references, repeated (warm caches flatter this)", references)
    footnotes, spans = batch(total)
    tracemalloc.start()
    started = time.process_time()
    citations = extract_citations(footnotes, spans)
    parsed = time.process_time()
    works, _ = build_works(citations)
    finished = time.process_time()
    _, peak = tracemalloc.get_traced_memory()
    references = citations.filter(pl.col("reference_type") != "commentary").height
    print(f"notes: {footnotes.height}, references: {references}, works: {works.height}")
    rate = references / (parsed - started)
    print(f"whole citations stage, extract_citations: {parsed - started:.1f} CPU s, {rate:,.0f} references/s")
    print(f"build_works: {finished - parsed:.1f} CPU s")
    print(f"peak traced Python memory: {peak / 2**20:.0f} MiB")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
