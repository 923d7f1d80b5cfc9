"""Score time expressions and events against hand-checked fixtures: ``python -m evaluation.event_scoring``.

Fixtures are tests/fixtures/dates_*.yaml and events_*.yaml; each lists documents (a ``source`` file, relative
to the repository, e.g. a committed paper or ../shared/dev-papers/docs/..., or inline ``markdown``) with the
expected time expressions and/or events. A time expression is found
when the same text is found in the same sentence, and normalised correctly when its EDTF value and both
bounds match. An event is found when an event in the same sentence has the same EDTF date, and right when
its type (and certainty, where the fixture gives one) match. Fixtures list only the main participants, so
participants are scored for recall only (entity and role).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from evaluation.counts import Counts
from pipeline.extract.correspondence import find_source_documents
from pipeline.extract.dates import find_time_expressions
from pipeline.extract.document_links import reference_dates
from pipeline.extract.entities import find_mentions, load_authority
from pipeline.extract.events import extract_events
from pipeline.text.clean import CleanedDocument, clean_document

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"
ROLES = ("agent", "recipient", "counterpart", "place")


@dataclass
class Score(Counts):
    """Counts for one kind of item, and which of those found are also fully right."""

    correct: int = 0  # found and fully right (normalisation for dates, type for events)
    wrong: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """Share of expected items found and fully right."""
        return self.correct / self.expected if self.expected else 1.0

    def add(self, other: Score) -> None:
        super().add(other)
        self.correct += other.correct
        self.wrong += other.wrong


@dataclass
class Extracted:
    document: CleanedDocument
    time_expressions: pl.DataFrame
    events: pl.DataFrame
    participants: pl.DataFrame


def gold_documents(fixtures: Path = FIXTURES) -> dict[str, dict[str, Any]]:
    """All fixture documents by ID, merging a document's dates_ and events_ entries."""
    merged: dict[str, dict[str, Any]] = {}
    for path in sorted([*fixtures.glob("dates_*.yaml"), *fixtures.glob("events_*.yaml")]):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["documents"]:
            merged.setdefault(entry["document_id"], {}).update(entry)
    return merged


@cache
def _authority():
    return load_authority()


def extract(gold: dict[str, Any]) -> Extracted:
    """Run cleaning, dates, mentions and events on a fixture document (``collection``: with each printed
    document's date as its reference time, as the build does)."""
    if "source" in gold:
        source_name = gold["source"]
        text = (REPO_ROOT / source_name).read_text(encoding="utf-8")
        source_name = Path(source_name).name
    else:
        source_name, text = f"{gold['document_id']}.md", gold["markdown"]
    document = clean_document(text, gold["document_id"], source_name)
    spans = None
    if gold.get("collection"):  # as the build reads a collection: each printed document's own date
        printed = find_source_documents(document.paragraphs, gold["document_id"])
        spans = reference_dates(printed, document.paragraphs)
    times = find_time_expressions(document.sentences, gold.get("document_date"), spans)
    mentions, _ = find_mentions(
        document.text, document.sentences, document.footnotes, _authority(), document.emphasis_spans
    )
    events, participants, _ = extract_events(document.sentences, times, mentions, document.footnotes)
    return Extracted(document, times, events, participants)


def _as_date(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value is not None else None


def score_time_expressions(gold: dict[str, Any], times: pl.DataFrame) -> Score:
    document_id = gold["document_id"]
    expected = gold.get("time_expressions", [])
    predicted = dict(_numbered(times.to_dicts()))
    score = Score(expected=len(expected), predicted=len(predicted))
    for key, item in _numbered(expected, lambda e: (f"{document_id}:{e['sentence']}", e["text"])):
        row = predicted.pop(key, None)
        label = f"{item['sentence']} {item['text']!r}"
        if row is None:
            score.missed.append(label)
            continue
        score.found += 1
        wanted = (item["edtf"], _as_date(item["earliest"]), _as_date(item["latest"]))
        got = (row["edtf"], row["date_earliest"], row["date_latest"])
        if wanted == got:
            score.correct += 1
        else:
            score.wrong.append(f"{label}: expected {wanted}, got {got}")
    score.extra = [f"{k[0]} {k[1]!r}" for k in predicted]
    return score


def _numbered(items: list[dict], key=lambda r: (r["sentence_id"], r["text"])) -> list[tuple[tuple, dict]]:
    """Key items by (key..., occurrence number) so repeated texts in one sentence pair up in order."""
    seen: dict[tuple, int] = {}
    out = []
    for item in items:
        base = key(item)
        seen[base] = seen.get(base, 0) + 1
        out.append(((*base, seen[base]), item))
    return out


def score_events(gold: dict[str, Any], extracted: Extracted) -> tuple[Score, Score, Score]:
    """(events, participants, date basis): events found by sentence and date; participants by entity and
    role; the date basis (explicit / relative / context) of the found events against the fixture's."""
    document_id = gold["document_id"]
    expected = gold.get("events", [])
    rows = extracted.events.to_dicts()
    last = gold.get("events_up_to_paragraph")
    if last:  # a fixture read by hand over the first paragraphs of a long paper
        rows = [r for r in rows if r["sentence_id"].split(":")[1].split(".")[0] <= last]
    score = Score(expected=len(expected), predicted=len(rows))
    roles = Score()
    basis = Score(expected=len(expected), predicted=len(rows))
    for item in expected:
        sentence_id = f"{document_id}:{item['sentence']}"
        same_date = [r for r in rows if r["sentence_id"] == sentence_id and r["edtf"] == item["edtf"]]
        match = next((r for r in same_date if r["event_type"] == item["type"]), None) or next(
            iter(same_date), None
        )
        label = f"{item['sentence']} {item['edtf']} {item['type']}"
        if match is None:
            score.missed.append(label)
            roles.expected += sum(len(item.get(role, [])) for role in ROLES)
            continue
        rows.remove(match)
        score.found += 1
        basis.found += 1
        right_type = match["event_type"] == item["type"]
        right_certainty = match["certainty"] == item.get("certainty", match["certainty"])
        if match["date_basis"] == item.get("basis", match["date_basis"]):
            basis.correct += 1
        else:
            basis.wrong.append(f"{label}: basis {match['date_basis']}, expected {item['basis']}")
        if right_type and right_certainty:
            score.correct += 1
        else:
            score.wrong.append(f"{label}: got {match['event_type']} / {match['certainty']}")
        roles.add(_score_roles(item, match["event_id"], extracted.participants))
    score.extra = [f"{r['sentence_id']} {r['edtf']} {r['event_type']} ({r['date_basis']})" for r in rows]
    return score, roles, basis


def _score_roles(item: dict[str, Any], event_id: str, participants: pl.DataFrame) -> Score:
    got = {
        (r["entity_id"], r["role"]) for r in participants.filter(pl.col("event_id") == event_id).to_dicts()
    }
    wanted = {(entity, role) for role in ROLES for entity in item.get(role, [])}
    score = Score(expected=len(wanted))
    score.predicted = score.found = score.correct = len(wanted & got)
    score.missed = [f"{item['sentence']} {entity} as {role}" for entity, role in sorted(wanted - got)]
    return score


def score_all(fixtures: Path = FIXTURES) -> dict[str, dict[str, Score]]:
    """Scores per document: time_expressions, events and participants."""
    results = {}
    for document_id, gold in gold_documents(fixtures).items():
        extracted = extract(gold)
        events, participants, basis = score_events(gold, extracted)
        results[document_id] = {
            "time_expressions": (
                score_time_expressions(gold, extracted.time_expressions)
                if "time_expressions" in gold
                else Score()
            ),
            "events": events,
            "participants": participants,
            "date_basis": basis,
        }
    return results


def _print(name: str, score: Score, accuracy_name: str) -> None:
    print(
        f"  {name:<17} expected {score.expected:>3}  predicted {score.predicted:>3}  "
        f"precision {score.precision:.3f}  recall {score.recall:.3f}  {accuracy_name} {score.accuracy:.3f}"
    )
    for label, items in (("missed", score.missed), ("extra", score.extra), ("wrong", score.wrong)):
        for text in items:
            print(f"      {label}: {text}")


def main() -> None:
    for document_id, scores in score_all().items():
        print(document_id)
        _print("time expressions", scores["time_expressions"], "normalised correctly")
        _print("events", scores["events"], "found with right type")
        _print("participants", scores["participants"], "recall of entity+role")
        _print("date basis", scores["date_basis"], "right basis")


if __name__ == "__main__":
    main()
