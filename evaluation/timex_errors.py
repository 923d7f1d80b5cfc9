"""Every time-expression error on MEANTIME English, grouped by class:
``python -m evaluation.timex_errors [--list]``.

The errors are those of evaluation.timex_scoring (one to one, TempEval-3 matching): gold expressions no
prediction overlaps (missed), predictions that overlap no gold expression (invented), and matched ones whose
TIMEX3 value differs from the gold value (value). Each is put in the first class its text or value fits, so
that the largest classes can be fixed by a general rule rather than one example at a time.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

from evaluation.meantime import MEANTIME, articles
from evaluation.timex_scoring import TimexScore, run, score_timexes

_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend"
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"spring|summer|autumn|fall|winter"
)
CLASSES: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(r"^(?:from|between)\s|\s(?:to|and|through)\s\S*\d", re.I)),
    ("quarter", re.compile(r"quarter|\bhalf\b|\bQ[1-4]\b|\bH[12]\b|FY|-Q\d|-H\d", re.I)),
    ("set", re.compile(r"\b(?:annual\w*|yearly|monthly|weekly|daily|every|each)\b|SET", re.I)),
    ("ago / later / earlier", re.compile(r"\b(?:ago|later|earlier|before|after)\b", re.I)),
    ("last/next/this", re.compile(r"\b(?:last|next|this|past|coming|previous|current)\s+\w", re.I)),
    ("weekday", re.compile(rf"\b(?:{_WEEKDAYS})\b", re.I)),
    ("bare month / season", re.compile(rf"'(?:(?:in|the|early|late|mid)\s+)*(?:{_MONTHS})'", re.I)),
    ("clock time", re.compile(r"\d:\d\d|\bTIME\b|T\d\d|TMO|TAF|TEV|TNI")),
    (
        "reference-time choice",
        re.compile(r"\b(?:the|that|same)\s+(?:day|time|week|month|year|period)\b|today|tonight", re.I),
    ),
    (
        "deictic (PRESENT/PAST/FUTURE_REF)",
        re.compile(r"_REF|\b(?:now|current\w*|recent\w*|formerly)\b", re.I),
    ),
    ("duration", re.compile(r"\bP\w*\d|\bPX|\b(?:minute|hour|day|week|month|year|decade)s?\b", re.I)),
    ("explicit date", re.compile(r"\d")),
]


def error_class(text: str) -> str:
    """The first class whose pattern the error's text (its words and values) fits."""
    return next((name for name, pattern in CLASSES if pattern.search(text)), "other")


def classified(score: TimexScore) -> dict[str, Counter]:
    """Counts per class of missed, invented and wrong-value errors."""
    counts: dict[str, Counter] = {"missed": Counter(), "invented": Counter(), "value": Counter()}
    for label, items in (("missed", score.misses), ("invented", score.extras), ("value", score.wrong_values)):
        for item in items:
            counts[label][error_class(item.split(" ", 1)[1])] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every error under its class")
    arguments = parser.parse_args()
    if not MEANTIME.is_dir():
        raise SystemExit(f"{MEANTIME}: MEANTIME English not found")
    total = TimexScore()
    for article in articles():
        times, _ = run(article)
        total.add(score_timexes(article, times))
    counts = classified(total)
    names = [name for name, _ in CLASSES] + ["other"]
    print(f"{'class':36} {'missed':>7} {'invented':>9} {'value':>6} {'all':>5}")
    for name in names:
        row = [counts[label][name] for label in ("missed", "invented", "value")]
        if sum(row):
            print(f"{name:36} {row[0]:7} {row[1]:9} {row[2]:6} {sum(row):5}")
    print(f"{'total':36} {len(total.misses):7} {len(total.extras):9} {len(total.wrong_values):6}")
    if arguments.list:
        errors = (("missed", total.misses), ("invented", total.extras), ("value", total.wrong_values))
        for label, items in errors:
            for item in sorted(items, key=lambda i: error_class(i.split(" ", 1)[1])):
                print(f"  {error_class(item.split(' ', 1)[1]):24} {label:8} {item}")


if __name__ == "__main__":
    main()
