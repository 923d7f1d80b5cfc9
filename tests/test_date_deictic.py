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


def test_unmeasured_spans_and_the_past_decade_are_durations() -> None:
    values = _values(
        "Shares fell in minutes to their lowest level in years, ending a decades-long rally. "
        "It was the worst week of the past decade."
    )
    assert values["minutes"] == "PTXM" and values["years"] == "PXY"
    assert values["decades-long"] == "PXY" and values["the past decade"] == "P10Y"
    assert "hours" not in _values("He walked in hours-old snow.")
    assert _values("He sent under separate cover the minutes of the meeting.") == {}
    assert _values("With the circulation in recent months of rumors, trade fell.") == {"recent months": "PXM"}


def test_the_same_month_a_year_ago_is_the_month_just_named_one_year_back_and_anchors_nothing() -> None:
    rows = _times(
        "Sales fell in January, against the same month a year ago. "
        "Exports of wheat rose in March from the same quarter of the previous year.",
        "2009-02-03",
    )
    values = {row["text"]: row["edtf"] for row in rows}
    assert values["the same month a year ago"] == "2008-01"
    assert values["March"] == "2008-03"  # the comparison did not become the narrative's date
    assert values["the same quarter of the previous year"] == "2007-03"
    plain = {
        row["text"]: row["edtf"] for row in _times("He left in May 1990. He came back the same month.", None)
    }
    assert plain["the same month"] == "1990-05"


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
    assert figures["strict F1"] >= 87 and figures["relaxed F1"] >= 91 and figures["value F1"] >= 83, figures


def _rows(markdown: str, document_date: str | None = None) -> dict[str, dict]:
    return {row["text"]: row for row in _times(markdown, document_date)}


def test_old_style_new_style_pair_is_the_new_style_date_with_both_kept() -> None:
    rows = _rows(
        "The decree of January 26/February 8, 1918 abolished the ranks. It was read on 13/26 March 1918."
    )
    pair = rows["January 26/February 8, 1918"]
    assert (pair["edtf"], str(pair["old_style_date"])) == ("1918-02-08", "1918-01-26")
    assert str(rows["13/26 March 1918"]["old_style_date"]) == "1918-03-13"
    # two days that are not the calendars' distance apart are not a double dating
    assert "5/6 March 1918" not in _rows("The raids of 5/6 March 1918 failed.")


def test_ranges_keep_both_ends() -> None:
    rows = _rows(
        "Shipments between June 1, 1918 and January 1, 1919 were stopped. "
        "From the 1950s to the 1980s the policy held."
    )
    between = rows["between June 1, 1918 and January 1, 1919"]
    assert (between["edtf"], str(between["date_latest"])) == ("1918-06-01/1919-01-01", "1919-01-01")
    assert rows["From the 1950s to the 1980s"]["edtf"] == "1950/1989"
    ids = [
        r["time_expression_id"]
        for r in _times("From May 5 until June 1, 1918 the port was closed in 1918.", None)
    ]
    assert ids == ["deictic-test:t001", "deictic-test:t002"]


def test_up_to_and_including_is_an_open_start_and_ordinal_days_take_the_anchor_month() -> None:
    rows = _rows("In March 1918 the board met. Payments continued up to and including July 1.")
    assert rows["up to and including July 1"]["edtf"] == "../1918-07-01"
    rows = _rows("In March 1918 the board met. On July 25 it paid. On the 23rd it rose.")
    assert rows["the 23rd"]["edtf"] == "1918-08-23"  # the 23rd after July 25 is in August


def test_a_quoted_year_does_not_set_the_narrative_year() -> None:
    rows = _rows('In May 1920 he spoke. "In 1905 we met often," he said. On June 20 he left.')
    assert rows["June 20"]["edtf"] == "1920-06-20"


def test_old_style_pair_within_one_month() -> None:
    rows = _rows("The note of January 13/26, 1918 was sent.")
    pair = rows["January 13/26, 1918"]
    assert (pair["edtf"], str(pair["old_style_date"])) == ("1918-01-26", "1918-01-13")


def test_a_modifier_lets_a_bare_month_stand_after_any_word() -> None:
    rows = _rows(
        "In 1987 the office opened. At the end of March, the Under Secretary agreed. He wrote about May."
    )
    assert rows["the end of March"]["edtf"] == "1987-03-21/1987-03-31"
    assert "about May" not in rows  # "about" before a name is no date
    (season,) = _times("By the fall of 1987 the office was ready.", None)
    assert (season["edtf"], season["timex3_value"]) == ("../1987-23", "1987-FA")


def test_every_kind_of_expression_and_its_events_conform_to_the_schemas() -> None:
    from pipeline.extract.entities import MENTION_SCHEMA
    from pipeline.extract.events import extract_events
    from pipeline.package.schema import conform, load_table_spec, validate
    from tests.conftest import published_ids

    text = (
        "# T\n\nThe minister resigned on Monday, in the third quarter of 1984. He left Thursday night at "
        "18:00 UTC and came back in the 70s and in '82. The council met twenty years ago, last year and "
        "yesterday, and meets every week for three years now. The decree of January 26/February 8, 1918 was "
        "signed between June 1, 1918 and January 1, 1919. The envoy arrived on the 23rd. In the first half "
        "of 1920 the board sold the ships. Trade stopped over the weekend and resumed in the spring.\n"
    )
    document = clean_document(text, "kinds", "kinds.md")
    times = find_time_expressions(document.sentences, "2013-03-14")
    kinds = set(times["expression_type"].to_list())
    assert {"weekday", "quarter", "clock", "short_decade", "short_year", "ago", "deictic_unit"} <= kinds
    assert {"deictic_day", "deictic_word", "duration", "old_new_style", "date_range", "ordinal_day"} <= kinds
    assert {"weekend", "season_alone"} <= kinds
    events, _, _ = extract_events(
        document.sentences, times, pl.DataFrame(schema=MENTION_SCHEMA), document.footnotes
    )
    assert "quarter" in events["precision"].to_list()
    published = published_ids(document.text, {"time_expressions": times, "events": events})
    for name in ("time_expressions", "events"):
        spec = load_table_spec(name)
        validate(spec, conform(spec, published[name]))


def test_by_years_end_is_december_of_the_narrative_year_and_its_timex3_the_year() -> None:
    rows = _rows("In March 1869 Fish took office. By year\u2019s end, Fish was disgusted.")
    assert (rows["By year\u2019s end"]["edtf"], rows["By year\u2019s end"]["timex3_value"]) == (
        "../1869-12",
        "1869",
    )


def test_the_beginning_or_end_of_the_year_month_or_week_is_the_reference_ones() -> None:
    values = _values(
        "Apple passed Wal-Mart at the beginning of the year. He will leave at the end of the month, "
        "and talks resume by the middle of the week."
    )
    assert values == {
        "the beginning of the year": "2013",
        "the end of the month": "2013-03",
        "the middle of the week": "2013-W11",
    }


def test_a_month_and_day_with_last_year_take_that_year() -> None:
    values = _values("With reference to his note of August 15, last year, the draft was sent.", "1897-03-10")
    assert values["August 15"] == "1896-08-15"


def test_the_day_is_the_last_day_the_story_named_and_a_gerund_clause_is_no_event_anchor() -> None:
    values = _values(
        "Stocks rose on Monday. Jobs were lost in February. The index ended the day at 8,017. "
        "The Dow rebounded late in the day after falling 250 points."
    )
    assert values["the day"] == "2013-03-11"
    assert values["late in the day"] == "2013-03-11"


def test_the_timex3_extent_leaves_out_a_leading_signal_but_keeps_modifiers() -> None:
    from pipeline.extract.timex3 import timex3_extent

    rows = {
        row["text"]: row for row in _times("The deal will close by June 10 and after October.", "2011-05-29")
    }
    for text, extent in (("by June 10", "June 10"), ("after October", "October")):
        start, end = timex3_extent(text)
        assert text[start:end] == extent
        assert rows[text]["edtf"].startswith("..") or rows[text]["edtf"].endswith("..")  # the row keeps "by"
    assert timex3_extent("late 1933") == (0, len("late 1933"))
    assert timex3_extent("more than three years") == (0, len("more than three years"))


def test_a_quarter_without_its_year_follows_the_tense_of_its_clause() -> None:
    # 2007-03-13: a past clause naming the fourth quarter means last year's; "the last quarter" alone is the
    # quarter before the reference date's
    assert _values("Foreclosures rose in the fourth quarter.", "2007-03-13") == {
        "the fourth quarter": "2006-Q4"
    }
    assert _values("Profits grew during the last quarter.", "2007-01-18") == {"the last quarter": "2006-Q4"}
    assert _values("Sales will recover in the third quarter.", "2007-03-13") == {
        "the third quarter": "2007-Q3"
    }


def test_a_passive_after_a_modal_is_future_and_a_narrative_year_leaves_a_dispatchs_months_alone() -> None:
    assert _values("The sale should be completed in October.", "2009-06-05") == {"October": "2009-10"}
    values = _values("The store opened in 2003. As of February, it sells 70% of all music.", "2008-04-09")
    assert values == {"2003": "2003", "February": "2008-02"}


def test_a_range_is_two_timex3s_one_per_end() -> None:
    from pipeline.extract.timex3 import timex3_mentions

    rows = _times(
        "Production ran from 2009 to 2011, then between June 1, 2012 and January 1, 2013.", "2013-03-14"
    )
    got = [[(row["text"][s:e], value) for s, e, value in timex3_mentions(row)] for row in rows]
    assert got == [
        [("2009", "2009"), ("2011", "2011")],
        [("June 1, 2012", "2012-06-01"), ("January 1, 2013", "2013-01-01")],
    ]


def test_a_dateline_is_speech_time_so_bare_months_follow_their_tense() -> None:
    # the dateline repeats the document date: it anchors nothing a tense cannot decide
    values = _values("Dublin\n\nMarch 14, 2013\n\nThe board approved the plan in November.")
    assert values["November"] == "2012-11"


def test_a_future_clause_counts_from_the_speaker_not_the_last_date_of_the_story() -> None:
    values = _values(
        "The airline will start services in November 2014. The first jet will land on March 20, "
        "two days later than planned."
    )
    assert values["March 20"] == "2013-03-20"
    assert values["two days later"] == "2013-03-22"


def test_months_coordinated_with_a_month_are_months_and_of_next_year_gives_the_year() -> None:
    from pipeline.extract.timex3 import timex3_mentions

    rows = _times(
        "Output contracted between April and June. Leases end after October of next year.", "2013-03-14"
    )
    got = [(row["text"][s:e], value) for row in rows for s, e, value in timex3_mentions(row)]
    assert got == [("April", "2012-04"), ("June", "2012-06"), ("October", "2014-10"), ("next year", "2014")]


def test_a_clock_time_takes_the_day_named_in_its_sentence() -> None:
    values = _values("The prototype flew Tuesday at 18:00 UTC. At 09:15 UTC, March 4, the crew landed.")
    assert values["18:00 UTC"] == "2013-03-12T18:00Z"
    assert values["09:15 UTC"] == "2013-03-04T09:15Z"


def test_halves_quarters_count_ranges_and_the_day_as_durations_and_dates() -> None:
    values = _values(
        "The project is almost three and a half years late. Exports fell for three consecutive quarters. "
        "Three quarters of the staff left. Repairs will take between 30 and 45 days. "
        "Prices collapsed within minutes. For the day, the index lost 4 percent."
    )
    assert values["almost three and a half years"] == "P3.5Y"
    assert values["three consecutive quarters"] == "P3Q"
    assert values["30"] == "P30D" and values["45 days"] == "P45D"
    assert values["minutes"] == "PTXM"
    assert values["the day"] == "2013-03-14"
    assert "Three quarters" not in values


def test_the_weekend_and_bare_seasons_follow_the_tense_of_their_clause() -> None:
    # 2013-03-14 is the Thursday of ISO week 11
    assert _values("Stocks fell over the weekend.") == {"the weekend": "2013-W10-WE"}
    assert _values("Talks will go on over the weekend.") == {"the weekend": "2013-W11-WE"}
    assert _values("Shares rallied in the spring.") == {"the spring": "2012-SP"}
    assert _values("The plant will reopen in late summer.") == {"late summer": "2013-SU"}
    assert _values("The hot spring was closed. The summer offensive failed.") == {}


def test_a_bare_season_in_a_narrative_takes_the_anchors_year() -> None:
    rows = _rows(
        "On 4 January 1942 the envoy left Moscow. In the winter he fell ill; in the summer he returned."
    )
    assert rows["the winter"]["edtf"] == "1941-24"
    assert rows["the summer"]["edtf"] == "1942-22"


def test_a_month_between_a_determiner_and_its_noun_is_a_month() -> None:
    assert _values("Dealers reported their January sales.") == {"January": "2013-01"}
    assert _values("He joined the May Fourth movement. She met the august visitors.") == {}
