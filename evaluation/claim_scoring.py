"""Score claim extraction against hand-checked gold files (tests/fixtures/claims_gold_*.yaml).

Prints, per document: quotation recall/precision, kind accuracy (quotation vs scare quote vs title),
speaker attribution accuracy, addressee accuracy, and hedged-assertion recall/precision. Person mentions
come from the entities stage and its authority file; ``--stand-in`` uses the gold file's hand-listed name
forms instead, to score the claims rules alone.

Run: ``python -m evaluation.claim_scoring [--stand-in]``.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipeline.extract.claims import extract_claims
from pipeline.text.clean import clean_document

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
QUOTE_KINDS = ("quotation", "scare_quote", "title")
HEDGED = ("probable", "possible")


def mentions_from_names(text: str, persons: dict[str, list[str]], document_id: str) -> pl.DataFrame:
    """Person mentions by exact name forms (longest first, no overlaps): a stand-in for the entities stage."""
    forms = sorted(((form, pid) for pid, fs in persons.items() for form in fs), key=lambda f: -len(f[0]))
    taken: list[tuple[int, int]] = []
    rows = []
    for form, person_id in forms:
        for match in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            rows.append(
                {
                    "mention_id": f"{document_id}:m{match.start():06d}",
                    "document_id": document_id,
                    "entity_id": person_id,
                    "entity_type": "person",
                    "char_start": match.start(),
                    "char_end": match.end(),
                    "text": match.group(),
                    "sentence_id": None,
                    "footnote_id": None,
                    "match_kind": "full_name" if " " in form else "surname",
                    "confidence": 1.0,
                }
            )
    schema = {
        "mention_id": pl.String,
        "document_id": pl.String,
        "entity_id": pl.String,
        "entity_type": pl.String,
        "char_start": pl.Int64,
        "char_end": pl.Int64,
        "text": pl.String,
        "sentence_id": pl.String,
        "footnote_id": pl.String,
        "match_kind": pl.String,
        "confidence": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema).sort("char_start")


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else float("nan")

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.hits}/{self.total})"


NO_SINGLE_SPEAKER = ("group", "unattributed")
NAMED_SPEAKERS = ("person", "organisation", "work", "document_author")


def speaker_matches(expected: str | None, row: dict[str, Any]) -> bool:
    """Gold speakers are a name fragment, "work" or "unattributed" (a group, or nobody).

    A name fragment matches a named claimant (person, organisation, publication) whose name, text or ID
    contains it; an unknown speaker never matches.
    """
    if expected == "work":
        return row["claimant_type"] == "work"
    if expected in (None, "unattributed"):
        return row["claimant_type"] in NO_SINGLE_SPEAKER
    needle = expected.lower()
    return row["claimant_type"] in NAMED_SPEAKERS and any(
        needle in (row[column] or "").lower() for column in ("claimant_name", "claimant_text", "claimant_id")
    )


def addressee_matches(expected: str | None, row: dict[str, Any]) -> bool:
    if expected is None:
        return row["addressee_id"] is None
    needle = expected.lower()
    return needle in (row["addressee_name"] or "").lower() or needle in (row["addressee_id"] or "").lower()


def score(gold: dict[str, Any], claims: pl.DataFrame) -> dict[str, Ratio]:
    """Compare one document's claims with its gold file."""
    quotes = claims.filter(pl.col("kind").is_in(QUOTE_KINDS)).sort("quote_char_start").to_dicts()
    metrics = {name: Ratio() for name in ("recall", "precision", "kind", "speaker", "addressee")}
    metrics |= {name: Ratio() for name in ("hedged_recall", "hedged_precision", "boosted_recall")}
    cursor = 0
    matched_quotations = 0
    for entry in gold["quotations"]:
        index = next(
            (i for i in range(cursor, len(quotes)) if quotes[i]["quoted_text"].startswith(entry["quote"])),
            None,
        )
        row = quotes[index] if index is not None else None
        if index is not None:
            cursor = index + 1
        metrics["kind"].add(row is not None and row["kind"] == entry["kind"])
        if entry["kind"] != "quotation":
            continue
        found = row is not None and row["kind"] == "quotation"
        metrics["recall"].add(found)
        if found:
            matched_quotations += 1
            metrics["speaker"].add(speaker_matches(entry.get("speaker"), row))
            if "addressee" in entry:
                metrics["addressee"].add(addressee_matches(entry["addressee"], row))
    predicted = sum(1 for q in quotes if q["kind"] == "quotation")
    metrics["precision"] = Ratio(matched_quotations, predicted)
    assertions = claims.filter(pl.col("kind") == "author_assertion").to_dicts()
    for key, metric in (("hedged", "hedged_recall"), ("boosted", "boosted_recall")):
        for entry in gold.get(key, []):
            metrics[metric].add(
                any(
                    entry["sentence"] in a["text"] and a["certainty"] == entry["certainty"]
                    for a in assertions
                )
            )
    for assertion in assertions:
        if assertion["certainty"] in HEDGED:
            metrics["hedged_precision"].add(
                any(e["sentence"] in assertion["text"] for e in gold.get("hedged", []))
            )
    return metrics


def run_gold(path: Path, stand_in: bool = False) -> tuple[dict[str, Any], pl.DataFrame]:
    """Run cleaning, mentions and claims for the document a gold file describes."""
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = (ROOT / gold["source"]).resolve()
    document = clean_document(source.read_text(encoding="utf-8"), gold["document_id"], source.name)
    mentions, unlinked = _mentions(gold, document, path.parent, stand_in)
    claims = extract_claims(
        document.text,
        document.sentences,
        mentions,
        document.footnotes,
        gold["author_id"],
        document.emphasis_spans,
        document.paragraphs,
        unlinked,
    )["claims"]
    return gold, claims


def _mentions(
    gold: dict[str, Any], document: Any, folder: Path, stand_in: bool
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """Mentions and unlinked names from the entities stage, or mentions of the gold file's hand-listed name
    forms (none when it has none) and no unlinked names."""
    if stand_in:
        persons_file = gold.get("persons_fixture")
        persons = (
            yaml.safe_load((folder / persons_file).read_text(encoding="utf-8"))["persons"]
            if persons_file
            else {}
        )
        return mentions_from_names(document.text, persons, gold["document_id"]), None
    from pipeline.extract.entities import find_mentions, load_authority

    return find_mentions(
        document.text, document.sentences, document.footnotes, load_authority(), document.emphasis_spans
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stand-in", action="store_true", help="use the gold file's name list, not entities")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    args = parser.parse_args(argv)
    for path in sorted(args.fixtures.glob("claims_gold_*.yaml")):
        gold, claims = run_gold(path, args.stand_in)
        metrics = score(gold, claims)
        print(f"{gold['document_id']} ({'stand-in names' if args.stand_in else 'entities stage'}):")
        print(f"  quotations found (recall)      {metrics['recall']}")
        print(f"  quotation precision            {metrics['precision']}")
        print(f"  kind accuracy (quote/scare/title) {metrics['kind']}")
        print(f"  speaker attribution accuracy   {metrics['speaker']}")
        print(f"  addressee accuracy             {metrics['addressee']}")
        print(f"  hedged assertions recall       {metrics['hedged_recall']}")
        print(f"  hedged assertions precision    {metrics['hedged_precision']}")
        print(f"  boosted assertions recall      {metrics['boosted_recall']}")
        counts = claims.group_by("kind").len().sort("kind")
        print("  claims by kind: " + ", ".join(f"{k}={n}" for k, n in counts.iter_rows()))


if __name__ == "__main__":
    main()
