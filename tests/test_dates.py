"""Time expressions: every date of the paper's body, texts in other styles, and the EDTF conventions."""

from __future__ import annotations

import re
import sys
from datetime import date

import polars as pl
import pytest

from evaluation.event_scoring import gold_documents, score_time_expressions
from pipeline.extract import date_scan
from pipeline.extract.date_values import is_valid_edtf
from pipeline.extract.dates import find_time_expressions
from pipeline.package.schema import conform, load_table_spec, validate
from pipeline.text.clean import CleanedDocument, clean_document
from tests.conftest import published_ids


@pytest.fixture(scope="module")
def times(paper: CleanedDocument) -> pl.DataFrame:
    return find_time_expressions(paper.sentences, "1996-06")


def _sentences(markdown: str, document_id: str = "style-test") -> pl.DataFrame:
    return clean_document(markdown, document_id, f"{document_id}.md").sentences


def _one(markdown: str, document_date: str | None = None) -> list[dict]:
    return find_time_expressions(_sentences(f"# T\n\n{markdown}\n"), document_date).to_dicts()


def test_paper_every_body_expression_found_and_normalised(times: pl.DataFrame) -> None:
    gold = gold_documents()["kennan-op-263"]
    score = score_time_expressions(gold, times)
    assert score.expected == 54
    assert score.recall >= 0.95, score.missed
    assert score.precision >= 0.95, score.extra
    assert score.accuracy >= 0.95, score.wrong


def test_own_style_texts_are_found_and_normalised() -> None:
    for document_id, gold in gold_documents().items():
        if "markdown" not in gold:
            continue
        found = find_time_expressions(_sentences(gold["markdown"], document_id), gold["document_date"])
        score = score_time_expressions(gold, found)
        assert score.accuracy == 1.0 and score.precision == 1.0, (document_id, score.missed, score.wrong)


def test_every_value_parses_with_edtf_and_bounds_are_ordered(times: pl.DataFrame) -> None:
    for row in times.to_dicts():
        if row["edtf"] is None:  # a duration or the speaker's now/past/future: a TimeML value, no date
            assert row["timex3_value"].startswith("P") or row["timex3_value"].endswith("_REF"), row
            continue
        assert is_valid_edtf(row["edtf"]), row
        if row["date_earliest"] and row["date_latest"]:
            assert row["date_earliest"] <= row["date_latest"]


def test_offsets_point_at_the_text_in_the_document(paper: CleanedDocument, times: pl.DataFrame) -> None:
    for row in times.to_dicts():
        assert paper.text[row["char_start"] : row["char_end"]] == row["text"]
    assert times["time_expression_id"].to_list()[:2] == ["kennan-op-263:t001", "kennan-op-263:t002"]


def test_table_conforms_to_its_spec(paper: CleanedDocument, times: pl.DataFrame) -> None:
    spec = load_table_spec("time_expressions")
    validate(spec, conform(spec, published_ids(paper.text, {"time_expressions": times})["time_expressions"]))


def test_relative_expressions_name_their_anchor(times: pl.DataFrame) -> None:
    by_text = {row["text"]: row for row in times.to_dicts()}
    later = by_text["Four months later"]
    anchor = times.filter(pl.col("time_expression_id") == later["anchor_time_expression_id"]).row(
        0, named=True
    )
    assert anchor["text"] == "May 1943"
    assert later["is_relative"] and "4 month" in later["resolution_note"]
    # "the 1941 borders" must not anchor "Several months later"; the meeting of 12 March 1942 does.
    several = by_text["Several months later"]
    assert several["date_earliest"] == date(1942, 5, 1) and several["date_latest"] == date(1942, 9, 30)


def test_attributive_dates_are_marked(times: pl.DataFrame) -> None:
    usage = {(r["sentence_id"][-8:], r["text"]): r["usage"] for r in times.to_dicts()}
    assert usage[("p027.s04", "1941")] == "attributive"  # "the 1941 borders"
    assert usage[("p025.s01", "June 1941")] == "attributive"  # "the German invasion of June 1941"
    assert usage[("p014.s02", "1923")] == "adverbial"


@pytest.mark.parametrize(
    ("text", "edtf", "earliest", "latest", "precision", "modifier"),
    [
        (
            "It was signed on 12 March 1942.",
            "1942-03-12",
            date(1942, 3, 12),
            date(1942, 3, 12),
            "day",
            "none",
        ),
        ("They met in the summer of 1939.", "1939-22", date(1939, 6, 1), date(1939, 8, 31), "season", "none"),
        ("The talks came in winter 1941.", "1941-24", date(1941, 12, 1), date(1942, 2, 28), "season", "none"),
        ("He came in late 1933.", "1933-09/1933-12", date(1933, 9, 1), date(1933, 12, 31), "year", "late"),
        ("He left early in 1919.", "1919-01/1919-04", date(1919, 1, 1), date(1919, 4, 30), "year", "early"),
        ("By 1946 it was over.", "../1946", None, date(1946, 12, 31), "year", "by"),
        ("It was built after 1870.", "1871/..", date(1871, 1, 1), None, "year", "after"),
        ("It was built circa 1870.", "1870~", date(1870, 1, 1), date(1870, 12, 31), "year", "circa"),
        ("In the 1920s trade grew.", "192X", date(1920, 1, 1), date(1929, 12, 31), "decade", "none"),
        (
            "In the early 1960s trade grew.",
            "1960/1963",
            date(1960, 1, 1),
            date(1963, 12, 31),
            "decade",
            "early",
        ),
        ("In 1944–45 he wrote.", "1944/1945", date(1944, 1, 1), date(1945, 12, 31), "year", "none"),
        ("From 1917–1923 he served.", "1917/1923", date(1917, 1, 1), date(1923, 12, 31), "year", "none"),
        (
            "In March–April 1919 he waited.",
            "1919-03/1919-04",
            date(1919, 3, 1),
            date(1919, 4, 30),
            "month",
            "none",
        ),
        (
            "On 30–31 March 1981 we spoke.",
            "1981-03-30/1981-03-31",
            date(1981, 3, 30),
            date(1981, 3, 31),
            "day",
            "none",
        ),
        (
            "In the nineteenth century it grew.",
            "18XX",
            date(1800, 1, 1),
            date(1899, 12, 31),
            "century",
            "none",
        ),
    ],
)
def test_conventions(text, edtf, earliest, latest, precision, modifier) -> None:
    (row,) = _one(text)
    assert (row["edtf"], row["date_earliest"], row["date_latest"]) == (edtf, earliest, latest)
    assert (row["precision"], row["modifier"]) == (precision, modifier)
    assert is_valid_edtf(row["edtf"])


def test_relative_without_anchor_uses_document_date_or_stays_unresolved() -> None:
    (unresolved,) = _one("Two years later the treaty was signed.")
    assert unresolved["edtf"] is None and unresolved["resolution_note"].startswith("unresolved")
    (resolved,) = _one("Two years later the treaty was signed.", document_date="1950-05")
    # "years later" names a year: the result has year precision.
    assert resolved["edtf"] == "1952" and resolved["anchor_time_expression_id"] is None


def test_decades_do_not_anchor_dates_without_a_year() -> None:
    rows = _one("Mid-1944 was hard. In the 1920s and 1930s trade grew. On 5 May he arrived.")
    assert [(r["text"], r["edtf"]) for r in rows][-1] == ("5 May", "1944-05-05")


def test_not_dates() -> None:
    assert _one("He paid $1950 and 1,945 men marched 2000 miles.") == []
    assert _one("The ship may sail; it will march on.") == []


def test_month_without_a_year_takes_the_year_nearest_its_anchor() -> None:
    rows = _one("On December 8, 1869 the Senate asked. In early February the House passed a resolution.")
    assert [(r["text"], r["edtf"]) for r in rows][-1] == ("early February", "1870-02-01/1870-02-10")
    rows = _one("In 1939 the talks failed. In August the pact was signed.")  # a year anchor: same year
    assert rows[-1]["edtf"] == "1939-08"


def test_resolved_relative_dates_anchor_the_next_ones() -> None:
    rows = _one(
        "On 8 December 1869 the Senate asked. Five days later the House asked. Two days later he wrote."
    )
    assert [r["edtf"] for r in rows] == ["1869-12-08", "1869-12-13", "1869-12-15"]
    assert rows[2]["anchor_time_expression_id"] == rows[1]["time_expression_id"]


def test_one_of_two_days_is_an_edtf_set() -> None:
    (row,) = _one("An exchange took place on April 5 or 6, 1907.")
    assert (row["edtf"], row["date_earliest"], row["date_latest"]) == (
        "[1907-04-05,1907-04-06]",
        date(1907, 4, 5),
        date(1907, 4, 6),
    )
    assert is_valid_edtf(row["edtf"])


def test_between_two_years_is_a_range_and_a_coordinated_month_takes_the_next_year() -> None:
    rows = _one("Between 1986 and 1989 the office published 26 volumes. In 1980 he wrote.")
    assert (rows[0]["text"], rows[0]["edtf"]) == ("Between 1986 and 1989", "1986/1989")
    rows = _one("In 1980 he wrote. In meetings in May and August 1987 he promised changes.")
    assert [(r["text"], r["edtf"]) for r in rows][1:] == [("May", "1987-05"), ("August 1987", "1987-08")]


def test_telegram_and_file_numbers_are_not_years() -> None:
    assert _one("1979.") == []
    assert _one("He delivered my telegram, copy of which cabled you in my 1973.") == []
    assert _one("Referring Department’s 1975, he left in 1917.")[0]["text"] == "1917"
    assert _one("Wilson’s 1918 speech was read.")[0]["edtf"] == "1918"


def test_dates_that_name_the_years_a_thing_covers_are_attributive() -> None:
    rows = _one("Between 1958 and 1979, the office published volumes covering the years 1940 through 1951.")
    assert [(r["text"], r["usage"]) for r in rows] == [
        ("Between 1958 and 1979", "adverbial"),
        ("1940 through 1951", "attributive"),
    ]
    assert _one("In the year 1920 he left.")[0]["usage"] == "adverbial"


def test_lower_case_cues_answer_as_the_case_blind_ones() -> None:
    """The cheap pre-check reads a case-blind cue on the sentence in lower case. Only the characters it
    sends to the case-blind cue fold onto an ASCII letter other than by str.lower."""
    folds = [
        chr(c)
        for c in range(128, sys.maxunicode + 1)
        if re.fullmatch("[a-z]", chr(c), re.I) or len(chr(c).lower()) != 1
    ]
    assert folds and all(date_scan._FOLDS_ODDLY.match(c) for c in folds)
    texts = ("In the SPRING of that year", "THE NEXT DAY", "a year AGO", "For The Time Being", "no cue")
    for cue, lowered in date_scan._LOWER_CUES.items():
        for text in texts:
            assert (lowered.search(text.lower()) is None) == (cue.search(text) is None)
    assert [f.kind for f in date_scan.scan("In the \u017fPRING of 1918 the army moved")] == ["season"]
