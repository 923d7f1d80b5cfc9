"""Print a seeded sample of a build's claims with their context, for reading by hand.

Claims of kind quotation, reported_statement and author_assertion are drawn (scare quotes and titles are
nobody's words); each shows kind, claimant, certainty, cue and rule, then 150 characters before the claim
and the claim span in [[ ]]. The judgements of the last reading are in docs/claims-codebook.md.

Run: ``python -m evaluation.claim_sample --root BUILD [--seed 33] [--size 50]`` on a scratch build of
``../shared/dev-corpus`` (raw/<id>/<id>.md; the texts are cleaned again from raw/, so withheld text is no
obstacle).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

from pipeline.text.clean import clean_document

READ_KINDS = ("quotation", "reported_statement", "author_assertion")


def sample(claims: pl.DataFrame, size: int, seed: int) -> pl.DataFrame:
    """The claims to read: ``size`` rows of the kinds that are someone's words, in claim order."""
    readable = claims.filter(pl.col("kind").is_in(READ_KINDS))
    return readable.sample(min(size, readable.height), seed=seed).sort("claim_id")


def describe(row: dict, text: str) -> str:
    """Two lines for one claim: its values, then its context and span."""
    start, end = row["char_start"], row["char_end"]
    who = row["claimant_name"] or row["claimant_text"]
    head = (
        f"{row['claim_id']} {row['kind']} | {row['claimant_type']} | {who} | {row['certainty']} | "
        f"{row['cue']} | {row['attribution_rule']}"
    )
    before = text[max(0, start - 150) : start].replace("\n", " / ")
    return f"{head}\n    << {before} [[ {text[start:end][:300].replace(chr(10), ' / ')} ]]"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="a built project (data/parquet, raw/)")
    parser.add_argument("--seed", type=int, default=33)
    parser.add_argument("--size", type=int, default=50)
    args = parser.parse_args(argv)
    claims = pl.read_parquet(args.root / "data" / "parquet" / "claims.parquet")
    texts: dict[str, str] = {}
    for row in sample(claims, args.size, args.seed).to_dicts():
        document_id = row["document_id"]
        if document_id not in texts:
            source = args.root / "raw" / document_id / f"{document_id}.md"
            texts[document_id] = clean_document(
                source.read_text(encoding="utf-8"), document_id, source.name
            ).text
        print(describe(row, texts[document_id]))


if __name__ == "__main__":
    main()
