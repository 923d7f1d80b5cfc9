"""Print a seeded sample of a build's document-level person IDs with their names in context, to read by hand.

A person ID (``unlinked_names.person_id``) is a person the pipeline found that the authority file does not
know. Each sampled ID shows its names as written (with how often and by which rule) and the first place it
stands, 80 characters either side, the name in [[ ]]. The reader marks each ID a person or not; how the last
reading judged and what it found is in docs/known-limits.md (people).

Run: ``python -m evaluation.person_sample --root BUILD [--seed 31] [--size 100]`` on a scratch build of
``../shared/dev-corpus`` (raw/<id>/<id>.md; the texts are cleaned again from raw/, so withheld text is no
obstacle).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

from pipeline.text.clean import clean_document


def sample(unlinked: pl.DataFrame, size: int, seed: int) -> list[str]:
    """``size`` person IDs drawn at random (seeded) from those of the build, in ID order."""
    ids = unlinked.filter(pl.col("person_id").is_not_null())["person_id"].unique().sort()
    return sorted(ids.sample(min(size, ids.len()), seed=seed).to_list())


def describe(person_id: str, rows: pl.DataFrame, text: str) -> str:
    """Two lines for one person ID: its names and rules, then its first occurrence in context."""
    names = rows.group_by("text").agg(pl.len(), pl.col("reason").unique().sort()).sort("len", descending=True)
    listed = "; ".join(
        f"{row['text']} ×{row['len']} ({', '.join(row['reason'])})" for row in names.iter_rows(named=True)
    )
    first = rows.sort("char_start").row(0, named=True)
    start, end = first["char_start"], first["char_end"]
    before = text[max(0, start - 80) : start].replace("\n", " / ")
    after = text[end : end + 80].replace("\n", " / ")
    return f"{person_id}: {listed}\n    << {before}[[{text[start:end]}]]{after} >>"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="a scratch build of the dev corpus")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--size", type=int, default=100)
    args = parser.parse_args()
    table = args.root / "data" / "parquet" / "unlinked_names.parquet"
    if not table.exists():
        raise SystemExit(f"{table}: no unlinked_names table; build the folder first")
    unlinked = pl.read_parquet(table)
    texts: dict[str, str] = {}
    for person_id in sample(unlinked, args.size, args.seed):
        rows = unlinked.filter(pl.col("person_id") == person_id)
        document_id = rows["document_id"][0]
        if document_id not in texts:
            raw = args.root / "raw" / document_id / f"{document_id}.md"
            texts[document_id] = clean_document(raw.read_text(encoding="utf-8"), document_id, raw.name).text
        print(describe(person_id, rows, texts[document_id]))


if __name__ == "__main__":
    main()
