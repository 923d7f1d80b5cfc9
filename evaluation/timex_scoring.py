"""TempEval-3 scores of time expressions, and event precision and recall, on MEANTIME English:
``python -m evaluation.timex_scoring [--misses N]``.

Time expressions (UzZaman et al. 2013): strict match = the same token span, relaxed match = overlapping
spans, one to one; value accuracy = share of relaxed matches whose TIMEX3 value equals the gold value;
value F1 = value accuracy x relaxed F1. A row is read as the TIMEX3s it stands for first
(pipeline.extract.timex3.timex3_mentions: a leading signal such as "by" or "after" is not part of a
TIMEX3, and a range "from 2009 to 2011" is two, one per end). The article's creation time is the
document date the pipeline resolves relative expressions against, and is not itself scored. Printed per
topic folder and in total, with recall per gold TIMEX3 type.

Events: the pipeline's events are dated happenings, MEANTIME's event mentions are every eventive word, so
the two are compared where comparable. Precision: share of the pipeline's event triggers that overlap a gold
event mention. Recall: share of the gold mentions that assert a past happening (positive polarity, certain,
not future, not generic; a past or perfect verb or an event noun) that some trigger overlaps.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from evaluation.meantime import MEANTIME, Article, articles
from pipeline.extract.dates import find_time_expressions
from pipeline.extract.events import extract_events
from pipeline.extract.timex3 import timex3_mentions
from pipeline.package.schema import rows_to_frame


@dataclass
class TimexScore:
    """TempEval-3 counts for one set of articles."""

    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed: int = 0
    value_right: int = 0
    gold_by_type: Counter = field(default_factory=Counter)
    found_by_type: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong_values: list[str] = field(default_factory=list)

    def add(self, other: TimexScore) -> None:
        for name in ("gold", "predicted", "strict", "relaxed", "value_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.gold_by_type.update(other.gold_by_type)
        self.found_by_type.update(other.found_by_type)
        self.misses += other.misses
        self.extras += other.extras
        self.wrong_values += other.wrong_values

    def figures(self) -> dict[str, float]:
        """Strict and relaxed precision, recall and F1, value accuracy and value F1 (as percentages)."""

        def prf(found: int) -> tuple[float, float, float]:
            precision = found / self.predicted if self.predicted else 0.0
            recall = found / self.gold if self.gold else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            return 100 * precision, 100 * recall, 100 * f1

        strict, relaxed = prf(self.strict), prf(self.relaxed)
        accuracy = self.value_right / self.relaxed if self.relaxed else 0.0
        return {
            "strict P": strict[0],
            "strict R": strict[1],
            "strict F1": strict[2],
            "relaxed P": relaxed[0],
            "relaxed R": relaxed[1],
            "relaxed F1": relaxed[2],
            "value acc": 100 * accuracy,
            "value F1": accuracy * relaxed[2],
        }


@dataclass
class EventScore:
    """Event precision against all gold mentions, recall against the factual past ones."""

    predicted: int = 0
    predicted_right: int = 0
    gold: int = 0
    gold_found: int = 0
    gold_verbs: int = 0  # the factual past verbs among them (the pipeline dates nouns only with a date)
    gold_verbs_found: int = 0

    def add(self, other: EventScore) -> None:
        self.predicted += other.predicted
        self.predicted_right += other.predicted_right
        self.gold += other.gold
        self.gold_found += other.gold_found
        self.gold_verbs += other.gold_verbs
        self.gold_verbs_found += other.gold_verbs_found


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _timex3_spans(row: dict) -> list[dict]:
    """The TIMEX3s of a row (pipeline.extract.timex3.timex3_mentions): its extent without a leading signal
    such as "by", and a range as its two ends."""
    return [
        {
            **row,
            "char_start": row["char_start"] + start,
            "char_end": row["char_start"] + end,
            "text": row["text"][start:end],
            "timex3_value": value,
        }
        for start, end, value in timex3_mentions(row)
    ]


def score_timexes(article: Article, times: pl.DataFrame) -> TimexScore:
    """One-to-one matching, exact spans first, then the largest overlaps."""
    predicted = [
        mention
        for row in times.to_dicts()
        if row["char_start"] < article.annotated_end
        and (article.dateline is None or not _overlap((row["char_start"], row["char_end"]), article.dateline))
        for mention in _timex3_spans(row)
    ]
    score = TimexScore(gold=len(article.timexes), predicted=len(predicted))
    score.gold_by_type.update(t.kind for t in article.timexes)
    free = set(range(len(predicted)))
    pairs: list[tuple[int, int]] = []
    for gold_index, gold in enumerate(article.timexes):
        exact = next(
            (
                i
                for i in free
                if (predicted[i]["char_start"], predicted[i]["char_end"]) == (gold.start, gold.end)
            ),
            None,
        )
        if exact is not None:
            free.discard(exact)
            pairs.append((gold_index, exact))
            score.strict += 1
    paired = {g for g, _ in pairs}
    for gold_index, gold in enumerate(article.timexes):
        if gold_index in paired:
            continue
        overlaps = [
            (_overlap((gold.start, gold.end), (predicted[i]["char_start"], predicted[i]["char_end"])), i)
            for i in free
        ]
        best = max(overlaps, default=(0, None))
        if best[0] > 0 and best[1] is not None:
            free.discard(best[1])
            pairs.append((gold_index, best[1]))
        else:
            score.misses.append(f"{article.document_id} {gold.kind} {gold.text!r} {gold.value}")
    score.relaxed = len(pairs)
    for gold_index, predicted_index in pairs:
        gold, row = article.timexes[gold_index], predicted[predicted_index]
        score.found_by_type[gold.kind] += 1
        if row.get("timex3_value") == gold.value:
            score.value_right += 1
        else:
            got = row.get("timex3_value")
            score.wrong_values.append(
                f"{article.document_id} {gold.text!r}/{row['text']!r}: {gold.value} got {got}"
            )
    score.extras = [f"{article.document_id} {predicted[i]['text']!r}" for i in sorted(free)]
    return score


_EMPTY_MENTIONS = rows_to_frame("mentions", [])
_EMPTY_FOOTNOTES = rows_to_frame("footnotes", [])


def _trigger_spans(article: Article, events: pl.DataFrame) -> list[tuple[int, int]]:
    spans = []
    for row in events.iter_rows(named=True):
        at = article.text.find(row["trigger"], row["char_start"], row["char_end"])
        start = at if at >= 0 else row["char_start"]
        spans.append((start, start + len(row["trigger"])))
    return spans


def score_events(article: Article, events: pl.DataFrame) -> EventScore:
    spans = [  # the dateline's own "event" is the article's creation time, not scored (as its timex)
        s
        for s in _trigger_spans(article, events)
        if s[0] < article.annotated_end and (article.dateline is None or not _overlap(s, article.dateline))
    ]
    gold_spans = [(e.start, e.end) for e in article.events]
    factual = [(e.start, e.end) for e in article.events if e.is_factual_past]
    verbs = [(e.start, e.end) for e in article.events if e.is_factual_past and e.pos == "VERB"]
    return EventScore(
        predicted=len(spans),
        predicted_right=sum(any(_overlap(s, g) for g in gold_spans) for s in spans),
        gold=len(factual),
        gold_found=sum(any(_overlap(s, g) for s in spans) for g in factual),
        gold_verbs=len(verbs),
        gold_verbs_found=sum(any(_overlap(s, g) for s in spans) for g in verbs),
    )


def run(article: Article) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The pipeline's time expressions and events for an article."""
    times = find_time_expressions(article.sentences, article.document_date)
    events, _, _ = extract_events(article.sentences, times, _EMPTY_MENTIONS, _EMPTY_FOOTNOTES)
    return times, events


def _print_timex(name: str, score: TimexScore) -> None:
    figures = score.figures()
    shown = "  ".join(f"{key} {value:5.1f}" for key, value in figures.items())
    print(f"{name:16} gold {score.gold:4} predicted {score.predicted:4}  {shown}")
    by_type = ", ".join(
        f"{kind} {score.found_by_type[kind]}/{count}" for kind, count in sorted(score.gold_by_type.items())
    )
    print(f"{'':16} found by gold type: {by_type}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=int, default=0, help="print this many misses, extras, wrong values")
    arguments = parser.parse_args()
    if not MEANTIME.is_dir():
        raise SystemExit(f"{MEANTIME}: MEANTIME English not found")
    by_topic: dict[str, tuple[TimexScore, EventScore]] = {}
    sentences = 0
    cpu = 0.0
    for article in articles():
        started = time.process_time()
        times, events = run(article)
        cpu += time.process_time() - started
        sentences += article.sentences.height
        timex_score, event_score = by_topic.setdefault(article.topic, (TimexScore(), EventScore()))
        timex_score.add(score_timexes(article, times))
        event_score.add(score_events(article, events))
    total = (TimexScore(), EventScore())
    print("Time expressions (TempEval-3 measures, %)")
    for topic, (timex_score, event_score) in sorted(by_topic.items()):
        _print_timex(topic, timex_score)
        total[0].add(timex_score)
        total[1].add(event_score)
    _print_timex("total", total[0])
    print("Events (precision against all gold mentions, recall of factual past ones)")
    for topic, (_, event_score) in [*sorted(by_topic.items()), ("total", total)]:
        precision = event_score.predicted_right / event_score.predicted if event_score.predicted else 0.0
        recall = event_score.gold_found / event_score.gold if event_score.gold else 0.0
        verbs = event_score.gold_verbs_found / event_score.gold_verbs if event_score.gold_verbs else 0.0
        print(
            f"{topic:16} predicted {event_score.predicted:4}  precision {precision:.3f}  "
            f"factual past gold {event_score.gold:4}  recall {recall:.3f}  "
            f"(verbs {event_score.gold_verbs:4}  recall {verbs:.3f})"
        )
    print(f"{sentences} sentences in {cpu:.2f} CPU s: {sentences / cpu:.0f} sentences per CPU second")
    for label, items in (
        ("missed", total[0].misses),
        ("extra", total[0].extras),
        ("value", total[0].wrong_values),
    ):
        for item in items[: arguments.misses]:
            print(f"  {label}: {item}")


if __name__ == "__main__":
    main()
