"""TimeML TIMEX3 values for time expressions, so the table can be scored and used with TimeML tools.

EDTF says what a date's bounds are; TIMEX3 says what the expression names, at the precision it is written
in. The value is derived from a row's EDTF, bounds, precision and modifier: "late 1933" (EDTF
1933-09/1933-12) is the year 1933 with a modifier; "before 1945" (../1944) names 1945; the summer of 1938
(1938-22) is 1938-SU; the 1940s (194X) are 194; the nineteenth century (18XX) is 18. A duration keeps its
ISO 8601 value ("P3Y"), a deictic present/past/future its TimeML token (PRESENT_REF ...).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

SEASON_CODES = {"21": "SP", "22": "SU", "23": "FA", "24": "WI"}
_MONTH_SEASONS = "WI WI SP SP SP SU SU SU FA FA FA WI".split()


def _unit(day: date, precision: str) -> str:
    if precision == "decade":
        return f"{day.year // 10:03d}"
    if precision == "century":
        return f"{day.year // 100:02d}"
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _season(edtf: str) -> str | None:
    core = next(part for part in edtf.split("/") if part != "..").strip("~?%")
    year, _, code = core.partition("-")
    return f"{year}-{SEASON_CODES[code]}" if code in SEASON_CODES else None


def timex3_value(
    edtf: str | None,
    earliest: date | None,
    latest: date | None,
    precision: str | None,
    modifier: str,
) -> str | None:
    """The TIMEX3 value of a dated expression (None when it has no value)."""
    if edtf is None or precision is None:
        return None
    if edtf.startswith("P") or edtf.endswith("_REF"):
        return edtf
    if precision == "season":  # "late summer" (narrowed to August) is still the summer's value
        season = _season(edtf)
        if season is None and earliest is not None:  # the winter of Y runs to February Y+1
            year = earliest.year - (earliest.month <= 2)
            season = f"{year:04d}-{_MONTH_SEASONS[earliest.month - 1]}"
        return season
    if modifier == "before" and latest is not None:
        return _unit(latest + timedelta(days=1), precision)
    if modifier == "after" and earliest is not None:
        return _unit(earliest - timedelta(days=1), precision)
    if modifier == "by" and latest is not None:
        return _unit(latest, precision)
    if edtf.startswith("[") and earliest is not None:  # one of several days: the first
        return _unit(earliest, precision)
    # early / mid / late and ranges: the unit the expression starts in, at its written precision
    return _unit(earliest, precision) if earliest is not None else None


# Prepositions TimeML calls SIGNALs: they relate an expression to an event and are not part of its TIMEX3
# extent ("by June 10" is the TIMEX3 "June 10" with the signal "by"; "more than", "about", "early" stay in).
_SIGNALS = ("by", "after", "before", "since", "until", "till", "from", "for", "on", "in", "at", "during")


def timex3_extent(text: str) -> tuple[int, int]:
    """(start, end) offsets within a time expression's text of its TIMEX3 extent: without a leading signal
    preposition, which the row keeps because its EDTF depends on it ("by June 10" -> ../X-06-10)."""
    first, _, rest = text.partition(" ")
    if rest and first.lower() in _SIGNALS:
        return len(first) + 1, len(text)
    return 0, len(text)


_RANGE = re.compile(
    r"^(?:(?:from|between)\s+)?(?P<first>.+?)\s*(?:\s(?:to|and|through|until|till)\s|[–—-])\s*(?P<second>.+)$",
    re.I,
)


def timex3_mentions(row: dict) -> list[tuple[int, int, str | None]]:
    """The TIMEX3s a time_expressions row stands for, as (start, end, value) with offsets in the row's text:
    one, narrowed to its extent; a range ("from 2009 to 2011", "between June 1, 1918 and January 1, 1919")
    is two in TimeML, one per end, each with its own value."""
    text = row["text"]
    earliest, latest, precision = row.get("date_earliest"), row.get("date_latest"), row.get("precision")
    if row.get("expression_type") in ("date_range", "year_range") and earliest and latest and precision:
        match = _RANGE.match(text)
        if match:
            return [
                (match.start("first"), match.end("first"), _unit(earliest, precision)),
                (match.start("second"), match.end("second"), _unit(latest, precision)),
            ]
    start, end = timex3_extent(text)
    return [(start, end, row.get("timex3_value"))]
