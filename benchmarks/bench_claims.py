"""Throughput and peak memory of claim extraction (cleaning and mentions done once, outside the timing).

Run: ``.venv/bin/python benchmarks/bench_claims.py [repeats]``. The cleaned paper is also tiled into one
long document (1x, 8x, 32x) to show that time and memory grow no faster than the text (issue 14, item 5):
the last column is time per character relative to the 1x paper (about 1.0 when linear).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import polars as pl
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the scorers' fixtures, run as a script

from evaluation.claim_scoring import FIXTURES, mentions_from_names
from pipeline.extract.claims import extract_claims
from pipeline.text.clean import clean_document

ROOT = Path(__file__).resolve().parent.parent


def tile(document, mentions: pl.DataFrame, tiles: int) -> tuple:
    """The cleaned document repeated ``tiles`` times, with every offset and ID shifted per copy."""
    text = "\n\n".join([document.text] * tiles)
    step = len(document.text) + 2
    shifted = []
    for frame, id_columns, offset_columns in (
        (document.sentences, ["sentence_id", "paragraph_id"], ["char_start", "char_end"]),
        (document.footnotes, ["footnote_id", "sentence_id", "paragraph_id"], ["marker_offset"]),
        (mentions, ["mention_id"], ["char_start", "char_end"]),
        (document.emphasis_spans, [], ["char_start", "char_end"]),
    ):
        copies = [
            frame.with_columns(
                *[pl.col(c) + pl.lit(f"x{n}") for c in id_columns],
                *[pl.col(c) + n * step for c in offset_columns],
            )
            for n in range(tiles)
        ]
        shifted.append(pl.concat(copies))
    sentences, footnotes, mentions, emphasis = shifted
    return text, sentences, mentions, footnotes, emphasis


def bench(source: str, document_id: str, persons: dict[str, list[str]], author_id: str, repeats: int) -> None:
    document = clean_document(source, document_id, "bench.md")
    mentions = mentions_from_names(document.text, persons, document_id)
    base_rate: float | None = None
    for tiles in (1, 8, 32):
        text, sentences, tiled_mentions, footnotes, emphasis = tile(document, mentions, tiles)
        args = (text, sentences, tiled_mentions, footnotes, author_id, emphasis)
        repeats_here = max(1, repeats // tiles)
        extract_claims(*args)
        started = time.perf_counter()
        for _ in range(repeats_here):
            claims = extract_claims(*args)["claims"]
        elapsed = (time.perf_counter() - started) / repeats_here
        rate = elapsed / len(text)
        base_rate = base_rate or rate
        tracemalloc.start()
        extract_claims(*args)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{document_id} x{tiles}: {len(text):>8,} chars {sentences.height:>5} sentences "
            f"{claims.height:>4} claims: {elapsed * 1000:7.1f} ms/doc, "
            f"{sentences.height / elapsed:6.0f} sentences/s, "
            f"{len(text) / elapsed / 1000:6.1f} kchars/s, peak {peak / 2**20:.1f} MiB (tracemalloc), "
            f"time per char vs 1x {rate / base_rate:4.2f}"
        )


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for gold_path in sorted(FIXTURES.glob("claims_gold_*.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        persons: dict[str, list[str]] = {}
        if "persons_fixture" in gold:
            persons_text = (FIXTURES / gold["persons_fixture"]).read_text(encoding="utf-8")
            persons = yaml.safe_load(persons_text)["persons"]
        source = (ROOT / gold["source"]).resolve().read_text(encoding="utf-8")
        bench(source, gold["document_id"], persons, gold["author_id"], repeats)


if __name__ == "__main__":
    main()
