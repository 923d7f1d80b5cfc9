"""Throughput and peak memory of mention linking (cleaning done once, outside the timing).

Run: ``.venv/bin/python benchmarks/bench_entities.py [repeats]``. Units are body sentences plus notes. The
cleaned paper is also tiled into one long document to show that the rules scale with document length, and
the development papers in ../shared/dev-papers (other layouts, many persons the authority lacks) are timed
together when they are there.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import polars as pl

from pipeline.extract.entities import find_mentions, load_authority
from pipeline.text.clean import clean_document

ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md"


def tile(document, tiles: int) -> tuple[str, pl.DataFrame, pl.DataFrame]:
    """The cleaned text repeated ``tiles`` times, with offsets and IDs shifted per copy."""
    step = len(document.text) + 2
    text = "\n\n".join([document.text] * tiles)

    def shifted(frame: pl.DataFrame, id_columns: list[str]) -> pl.DataFrame:
        return pl.concat(
            frame.with_columns(
                *[pl.col(c) + pl.lit(f"x{n}") for c in id_columns],
                pl.col("char_start") + n * step,
                pl.col("char_end") + n * step,
            )
            for n in range(tiles)
        )

    return (
        text,
        shifted(document.sentences, ["sentence_id", "paragraph_id"]),
        shifted(document.footnotes, ["footnote_id"]),
    )


def measure(label: str, text: str, sentences: pl.DataFrame, footnotes: pl.DataFrame, repeats: int) -> None:
    authority = load_authority()
    find_mentions(text, sentences, footnotes, authority)
    started = time.perf_counter()
    for _ in range(repeats):
        mentions, _ = find_mentions(text, sentences, footnotes, authority)
    elapsed = (time.perf_counter() - started) / repeats
    tracemalloc.start()
    find_mentions(text, sentences, footnotes, authority)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    units = sentences.height + footnotes.height
    print(
        f"{label}: {units} sentences+notes, {mentions.height} mentions, {elapsed * 1000:.1f} ms per run, "
        f"{units / elapsed:,.0f} sentences/s, peak {peak / 2**20:.1f} MiB (tracemalloc)"
    )


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    started = time.perf_counter()
    authority = load_authority()
    print(
        f"load_authority: {len(authority.entities)} entities, {(time.perf_counter() - started) * 1000:.1f} ms"
    )
    document = clean_document(
        PAPER.read_text(encoding="utf-8"), "kennan-op-263", str(PAPER.relative_to(ROOT))
    )
    measure("paper", document.text, document.sentences, document.footnotes, repeats)
    for tiles in (10, 50):
        text, sentences, footnotes = tile(document, tiles)
        measure(f"paper x{tiles}", text, sentences, footnotes, max(1, repeats // tiles))
    measure_dev_papers(authority, repeats)


def measure_dev_papers(authority, repeats: int) -> None:
    """Linking and person detection over the eight dev papers, cleaned once outside the timing."""
    docs = sorted((ROOT.parent / "shared" / "dev-papers" / "docs").glob("*.md"))
    if not docs:
        return
    cleaned = [clean_document(p.read_text(encoding="utf-8"), p.stem.replace("_", "-"), p.name) for p in docs]
    started = time.perf_counter()
    for _ in range(repeats):
        for document in cleaned:
            find_mentions(document.text, document.sentences, document.footnotes, authority)
    elapsed = (time.perf_counter() - started) / repeats
    units = sum(d.sentences.height + d.footnotes.height for d in cleaned)
    print(
        f"dev papers ({len(cleaned)}): {units} sentences+notes, {elapsed * 1000:.1f} ms per run, "
        f"{units / elapsed:,.0f} sentences/s, {elapsed / len(cleaned) * 1000:.1f} ms per paper"
    )


if __name__ == "__main__":
    main()
