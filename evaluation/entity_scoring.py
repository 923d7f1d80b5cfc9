"""Score person linking against hand-checked (sentence or note, person) pairs.

Run ``python -m evaluation.entity_scoring`` to print precision, recall and F1 on the committed paper and
on the small texts in other styles under tests/fixtures. Pronoun links are left out: the gold files list
names, titles and role phrases only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipeline.extract.entities import Authority, find_mentions, load_authority
from pipeline.package.schema import rows_to_frame

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"
PAPER_GOLDS = "entities_*_gold.yaml"
STYLES = FIXTURES / "entities_styles.yaml"
STYLES_AUTHORITY = FIXTURES / "entities_authority"

Pair = tuple[str, str]


@dataclass
class Score:
    """Pair-level counts and the pairs that went wrong, for a readable report."""

    true_positives: int
    false_positives: list[Pair] = field(default_factory=list)
    false_negatives: list[Pair] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label}: precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"(tp {self.true_positives}, fp {len(self.false_positives)}, fn {len(self.false_negatives)})"
        )


def score_pairs(predicted: set[Pair], gold: set[Pair]) -> Score:
    return Score(
        true_positives=len(predicted & gold),
        false_positives=sorted(predicted - gold),
        false_negatives=sorted(gold - predicted),
    )


def _short_unit(unit_id: str) -> str:
    """'doc:p001.s03' -> 'p001.s03'; gold files name units without the document prefix."""
    return unit_id.split(":", 1)[1]


def predicted_person_pairs(mentions: pl.DataFrame, in_scope: set[str]) -> set[Pair]:
    """(unit, person) pairs from the mentions table, pronouns left out, restricted to the gold's units."""
    persons = mentions.filter((pl.col("entity_type") == "person") & (pl.col("match_kind") != "pronoun"))
    pairs = set()
    for row in persons.iter_rows(named=True):
        unit = row["sentence_id"] or row["footnote_id"]
        if unit and _short_unit(unit) in in_scope:
            pairs.add((_short_unit(unit), row["entity_id"]))
    return pairs


def load_gold(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def gold_pairs(gold: dict[str, Any]) -> set[Pair]:
    return {
        (unit, entity) for unit, entities in (gold.get("persons") or {}).items() for entity in entities or []
    }


def units_in_scope(gold: dict[str, Any], sentences: pl.DataFrame) -> set[str]:
    paragraphs = set(gold.get("paragraphs_in_scope") or [])
    scope = {
        _short_unit(row["sentence_id"])
        for row in sentences.iter_rows(named=True)
        if _short_unit(row["paragraph_id"]) in paragraphs
    }
    return scope | set(gold.get("notes_in_scope") or [])


def score_paper(gold_path: Path, authority: Authority | None = None) -> Score:
    """Score a committed paper (named by the gold file's document_id and source) against its gold file."""
    from pipeline.text.clean import clean_document

    gold = load_gold(gold_path)
    source = REPO_ROOT / gold["source"]
    document = clean_document(source.read_text(encoding="utf-8"), gold["document_id"], gold["source"])
    mentions, _ = find_mentions(
        document.text,
        document.sentences,
        document.footnotes,
        authority or load_authority(),
        document.emphasis_spans,
    )
    scope = units_in_scope(gold, document.sentences)
    return score_pairs(predicted_person_pairs(mentions, scope), gold_pairs(gold))


def paper_gold_files() -> list[Path]:
    return sorted(FIXTURES.glob(PAPER_GOLDS))


def frames_from_units(
    document_id: str, paragraphs: list[list[str]], notes: list[str]
) -> tuple[str, pl.DataFrame, pl.DataFrame]:
    """Build a cleaned text with its sentences and footnotes tables from hand-split sentences and notes.

    Lets texts in other layouts be scored without the cleaning stage: paragraphs are joined by a blank line,
    sentences by a space, and the notes follow the body, one per line.
    """
    text, sentence_rows, note_rows = "", [], []
    for p_number, paragraph in enumerate(paragraphs, start=1):
        if text:
            text += "\n\n"
        paragraph_id = f"{document_id}:p{p_number:03d}"
        for s_number, sentence in enumerate(paragraph, start=1):
            if s_number > 1:
                text += " "
            sentence_rows.append(
                {
                    "sentence_id": f"{paragraph_id}.s{s_number:02d}",
                    "document_id": document_id,
                    "paragraph_id": paragraph_id,
                    "sentence_number": s_number,
                    "char_start": len(text),
                    "char_end": len(text) + len(sentence),
                    "text": sentence,
                }
            )
            text += sentence
    for number, note in enumerate(notes, start=1):
        text += "\n\n" if number == 1 else "\n"
        note_rows.append(
            {
                "footnote_id": f"{document_id}:fn{number:02d}",
                "document_id": document_id,
                "number": number,
                "char_start": len(text),
                "char_end": len(text) + len(note),
                "text": note,
            }
        )
        text += note
    sentences = rows_to_frame("sentences", sentence_rows)
    footnotes = rows_to_frame("footnotes", note_rows)
    return text, sentences, footnotes


def score_styles(authority: Authority | None = None) -> dict[str, Score]:
    """Score each of the small texts in other styles against its own hand-written expectations."""
    authority = authority or load_authority(STYLES_AUTHORITY)
    scores = {}
    for case in load_gold(STYLES)["texts"]:
        text, sentences, footnotes = frames_from_units(
            case["document_id"], case["paragraphs"], case.get("notes", [])
        )
        mentions, _ = find_mentions(text, sentences, footnotes, authority)
        gold = {"persons": case.get("persons") or {}, "notes_in_scope": [f"fn{i:02d}" for i in range(1, 100)]}
        gold["paragraphs_in_scope"] = [f"p{i:03d}" for i in range(1, len(case["paragraphs"]) + 1)]
        scope = units_in_scope(gold, sentences)
        scores[case["document_id"]] = score_pairs(predicted_person_pairs(mentions, scope), gold_pairs(gold))
    return scores


def main() -> None:
    for gold_path in paper_gold_files():
        paper = score_paper(gold_path)
        print(paper.line(f"{load_gold(gold_path)['document_id']} (paper, persons)"))
        for pair in paper.false_positives:
            print(f"  false positive: {pair}")
        for pair in paper.false_negatives:
            print(f"  missed: {pair}")
    styles = score_styles()
    for name, score in styles.items():
        print(score.line(f"{name} (own text)"))
        for pair in score.false_positives + score.false_negatives:
            print(f"  wrong: {pair}")
    total = Score(
        sum(s.true_positives for s in styles.values()),
        [p for s in styles.values() for p in s.false_positives],
        [p for s in styles.values() for p in s.false_negatives],
    )
    print(total.line("own texts, all"))


if __name__ == "__main__":
    main()
