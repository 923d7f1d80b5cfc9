"""Score citation parsing against the hand-checked fixture: field-level precision, recall and F1.

Run ``python -m evaluation.citation_scoring`` to print the per-field table. Citations are aligned to the
expected ones by position within their note; a field counts as a true positive only when the predicted value
equals the expected value exactly; every predicted non-null value that is not expected is a false positive.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipeline.extract.citations import FIELDS, extract_citations

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "citations_expected.yaml"
# The printed name list and its family/given split are not in the fixture (the split follows from authors;
# tests/test_archival_references.py checks both on references written for it).
NAME_FORMS = ("authors_as_printed", "author_family_names", "author_given_names")
SCORED_FIELDS = ("reference_type", *(name for name in FIELDS if name not in NAME_FORMS), "refers_to")
REFERRING_TYPES = ("ibid", "short_form")


@dataclass
class FieldCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    fields: dict[str, FieldCounts] = field(default_factory=lambda: {f: FieldCounts() for f in SCORED_FIELDS})
    mismatches: list[str] = field(default_factory=list)
    referring_total: int = 0
    referring_correct: int = 0

    @property
    def overall(self) -> FieldCounts:
        total = FieldCounts()
        for counts in self.fields.values():
            total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
        return total


def markdown_notes_to_frames(document_id: str, notes: list[str]) -> tuple[str, pl.DataFrame, pl.DataFrame]:
    """Clean a small document whose notes are ``notes`` (markdown) with the real cleaner.

    Returns the document text, footnotes and emphasis spans, as the pipeline would for a paper.
    """
    from pipeline.text.clean import clean_document

    body = " ".join(f"Claim {number}.^{number}" for number in range(1, len(notes) + 1))
    numbered = "\n\n".join(f"{number} {note}" for number, note in enumerate(notes, start=1))
    cleaned = clean_document(f"{body}\n\n{numbered}\n", document_id, f"{document_id}.md")
    return cleaned.text, cleaned.footnotes, cleaned.emphasis_spans


def load_fixture(path: Path = FIXTURE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def expected_by_note(fixture: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Expected citations keyed by footnote ID, refers_to made absolute."""
    expected: dict[str, list[dict[str, Any]]] = {}
    paper = fixture["paper"]
    for number, citations in paper["notes"].items():
        expected[f"{paper['document_id']}:fn{int(number):02d}"] = _absolute(paper["document_id"], citations)
    styles = fixture["styles"]
    for number, note in enumerate(styles["notes"], start=1):
        expected[f"{styles['document_id']}:fn{number:02d}"] = _absolute(
            styles["document_id"], note["expected"]
        )
    return expected


def _absolute(document_id: str, citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for citation in citations:
        citation = dict(citation)
        if citation.get("refers_to"):
            citation["refers_to"] = f"{document_id}:{citation['refers_to']}"
        out.append(citation)
    return out


def predicted_citations(fixture: dict[str, Any], policy: dict[str, str] | None = None) -> pl.DataFrame:
    """Run the real chain: clean the committed paper, and the style samples from markdown.

    policy overrides the shipped rules/model merge policy (to compare policies).
    """
    from pipeline.text.clean import clean_document

    source = REPO_ROOT / fixture["paper"]["source"]
    paper = clean_document(source.read_text(encoding="utf-8"), fixture["paper"]["document_id"], str(source))
    styles = fixture["styles"]
    _, footnotes, spans = markdown_notes_to_frames(
        styles["document_id"], [n["text"] for n in styles["notes"]]
    )
    return pl.concat(
        [
            extract_citations(paper.footnotes, paper.emphasis_spans, policy),
            extract_citations(footnotes, spans, policy),
        ]
    )


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return value


def score(predicted: pl.DataFrame, expected: dict[str, list[dict[str, Any]]]) -> Score:
    result = Score()
    by_note = {k[0]: g.sort("citation_number").to_dicts() for k, g in predicted.group_by("footnote_id")}
    for footnote_id, wanted in expected.items():
        got = by_note.get(footnote_id, [])
        for index in range(max(len(wanted), len(got))):
            want = wanted[index] if index < len(wanted) else {}
            have = got[index] if index < len(got) else {}
            _compare(result, f"{footnote_id}.{index + 1}", want, have)
    return result


def _compare(result: Score, label: str, want: dict[str, Any], have: dict[str, Any]) -> None:
    for name in SCORED_FIELDS:
        expected = _value(want.get(name, False if name == "et_al" and want else None))
        actual = _value(have.get(name))
        if name == "et_al":
            expected, actual = expected or None, actual or None
        counts = result.fields[name]
        if expected is None and actual is None:
            continue
        if expected is not None and actual == expected:
            counts.tp += 1
            continue
        if expected is not None:
            counts.fn += 1
        if actual is not None:
            counts.fp += 1
        result.mismatches.append(f"{label} {name}: expected {expected!r}, got {actual!r}")
    if want.get("reference_type") in REFERRING_TYPES or want.get("refers_to"):
        result.referring_total += 1
        if have.get("refers_to") == want.get("refers_to"):
            result.referring_correct += 1


def format_table(result: Score) -> str:
    lines = [f"{'field':<20}{'tp':>5}{'fp':>5}{'fn':>5}{'prec':>8}{'recall':>8}{'f1':>8}"]
    for name, counts in [*result.fields.items(), ("OVERALL", result.overall)]:
        if counts.tp + counts.fp + counts.fn == 0:
            continue
        lines.append(
            f"{name:<20}{counts.tp:>5}{counts.fp:>5}{counts.fn:>5}"
            f"{counts.precision:>8.3f}{counts.recall:>8.3f}{counts.f1:>8.3f}"
        )
    resolved = f"{result.referring_correct}/{result.referring_total}"
    lines.append(f"referring forms resolved to the expected target: {resolved}")
    return "\n".join(lines)


def main() -> int:
    fixture = load_fixture()
    result = score(predicted_citations(fixture), expected_by_note(fixture))
    print(format_table(result))
    if result.mismatches:
        print("\nmismatches:")
        print("\n".join(result.mismatches))
    return 0


if __name__ == "__main__":
    sys.exit(main())
