"""Deictic time expressions (news and dispatch style) and the TempEval-3 scorer on MEANTIME."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.extract.dates import find_time_expressions
from pipeline.text.clean import clean_document


def _times(markdown: str, document_date: str | None, reference_dates=None) -> list[dict]:
    sentences = clean_document(f"# T\n\n{markdown}\n", "deictic-test", "deictic-test.md").sentences
    return find_time_expressions(sentences, document_date, reference_dates).to_dicts()


def _values(markdown: str, document_date: str | None = "2013-03-14") -> dict[str, str | None]:
    return {row["text"]: row["timex3_value"] for row in _times(markdown, document_date)}


def test_weekdays_count_back_in_past_tense_and_forward_in_future() -> None:
    # 2013-03-14 is a Thursday
    assert _values("The minister resigned on Monday.") == {"Monday": "2013-03-11"}
    assert _values("The minister will resign on Monday.") == {"Monday": "2013-03-18"}
    assert _values("The markets stay closed until Friday.") == {"Friday": "2013-03-15"}
    assert _values("Talks ended Thursday night.") == {"Thursday night": "2013-03-14TNI"}


def test_bare_month_takes_the_year_its_tense_points_to() -> None:
    assert _values("Sales rose sharply in August.") == {"August": "2012-08"}
    assert _values("The plant will reopen in August.") == {"August": "2013-08"}


def test_last_next_this_quarters_and_ago() -> None:
    values = _values(
        "Profits fell last year and in the third quarter of 1984; they rose this week, "
        "and will rise next month. The company was founded 20 years ago."
    )
    assert values == {
        "last year": "2012",
        "the third quarter of 1984": "1984-Q3",
        "this week": "2013-W11",
        "next month": "2013-04",
        "20 years ago": "1993",
    }


def test_durations_are_iso_values_anchored_only_when_the_text_anchors_them() -> None:
    rows = {
        r["text"]: r
        for r in _times("He ruled for three years. Prices rose over the past five days.", "2013-03-14")
    }
    assert rows["three years"]["timex3_value"] == "P3Y" and rows["three years"]["edtf"] is None
    anchored = rows["the past five days"]
    assert anchored["timex3_value"] == "P5D"
    assert (anchored["edtf"], str(anchored["date_latest"])) == ("2013-03-09/2013-03-14", "2013-03-14")


def test_speaker_time_words_and_sets() -> None:
    assert _values("Shares are now cheaper than the annual average; the future looks bleak.") == {
        "now": "PRESENT_REF",
        "annual": "P1Y",
        "the future": "FUTURE_REF",
    }


def test_without_a_reference_date_a_weekday_stays_unresolved() -> None:
    (row,) = _times("The envoy left on Friday.", None)
    assert row["edtf"] is None and row["resolution_note"].startswith("unresolved")


def test_each_document_part_counts_from_its_own_date() -> None:
    markdown = "Telegram one. The Minister called yesterday.\n\nTelegram two. The Minister called yesterday."
    sentences = clean_document(f"# T\n\n{markdown}\n", "parts", "parts.md").sentences
    second = sentences.filter(pl.col("text").str.starts_with("Telegram two"))["char_start"][0]
    spans = [(0, second, "1918-06-12"), (second, 10**6, "1918-06-20")]
    values = [r["edtf"] for r in find_time_expressions(sentences, "1918", spans).to_dicts()]
    assert values == ["1918-06-11", "1918-06-19"]


MEANTIME = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "meantime-en"


@pytest.mark.skipif(not MEANTIME.is_dir(), reason="MEANTIME English not available (../shared)")
def test_meantime_tempeval_scores_stay_above_the_measured_level() -> None:
    from evaluation.meantime import articles
    from evaluation.timex_scoring import TimexScore, run, score_timexes

    total = TimexScore()
    for article in articles():
        times, _ = run(article)
        total.add(score_timexes(article, times))
    figures = total.figures()
    assert total.gold == 370
    assert figures["strict F1"] >= 78 and figures["relaxed F1"] >= 87 and figures["value F1"] >= 74, figures
