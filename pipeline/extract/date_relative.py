"""Relative time expressions resolved against an anchor: "Four months later", "the same year", "the night
before he signed ...", "By year's end", "on the 23rd", and months or days written without a year. The
anchor is chosen by pipeline/extract/dates.py (the narrative's last date, else the document date); the
conventions are in its docstring and in schemas/time_expressions.yaml."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Protocol

from pipeline.extract.date_values import (
    SEASONS,
    Value,
    _day_value,
    _month_end,
    _month_value,
    _season_value,
    _year_value,
    add_months,
    edtf_from_bounds,
)
from pipeline.text.months import MONTHS_AS_PRINTED as MONTHS
from pipeline.vocab import load_mapping


class _Found(Protocol):
    """What `_relative` reads of an expression found by `dates` (its ``_Found``)."""

    kind: str
    match: Any


NUMBER_WORDS: dict[str, int] = load_mapping("date_numbers")
VAGUE_QUANTITIES: dict[str, tuple[int, int]] = {
    words: (low, high) for words, (low, high) in load_mapping("date_vague_quantities").items()
}
PRECISIONS = ("day", "month", "season", "year", "decade", "century")


def _shift(
    anchor: Value, months: tuple[int, int] = (0, 0), days: tuple[int, int] = (0, 0)
) -> tuple[date, date]:
    assert anchor.earliest is not None and anchor.latest is not None
    earliest = add_months(anchor.earliest, months[0]) + timedelta(days=days[0])
    latest = anchor.latest + timedelta(days=days[1])
    if months[1]:
        latest = add_months(latest + timedelta(days=1), months[1]) - timedelta(days=1)
    return earliest, latest


def _widen(earliest: date, latest: date, precision: str) -> tuple[date, date]:
    """Round bounds out to whole months or years: "Four months later" names a month, not a day."""
    if precision == "year":
        return date(earliest.year, 1, 1), date(latest.year, 12, 31)
    if precision == "month":
        return earliest.replace(day=1), _month_end(latest.year, latest.month)
    return earliest, latest


def _coarser(first: str, second: str) -> str:
    return max(first, second, key=PRECISIONS.index)


def _quantity(raw: str) -> tuple[int, int]:
    low = raw.lower()
    if low in VAGUE_QUANTITIES:
        return VAGUE_QUANTITIES[low]
    number = NUMBER_WORDS.get(low) or int(low)
    return number, number


_UNIT_SPANS = {
    "day": (0, 1),
    "night": (0, 1),
    "week": (0, 7),
    "month": (1, 0),
    "year": (12, 0),
    "decade": (120, 0),
}
_UNIT_PRECISION = {
    "day": "day",
    "night": "day",
    "week": "day",
    "month": "month",
    "year": "year",
    "decade": "year",
}


def _relative(found: _Found, anchor: Value) -> tuple[Value, str]:
    """Resolve a relative or year-less expression against its anchor; returns the value and a note."""
    g = found.match.groupdict()
    if found.kind == "year_end":  # "By year's end": the last month of the anchor's year
        when = anchor.earliest or anchor.latest
        assert when is not None
        return _month_value(when.year, 12), "last month of the anchor's year"
    if found.kind == "ordinal_day":  # "on the 23rd": that day of the anchor's month, or of the next one
        if anchor.precision not in ("day", "month") or anchor.earliest is None:
            raise ValueError("the anchor names no month")
        first = anchor.earliest.replace(day=1)
        if anchor.precision == "day" and int(g["od"]) < anchor.earliest.day:
            first = add_months(first, 1)
        day = _day_value(first.year, first.month, int(g["od"]))
        if day is None:
            raise ValueError("no such day")
        return day, "day of the anchor's month (the next month when the day is before the anchor's)"
    if found.kind == "season_alone":  # "in the spring": the anchor's year's, or the one starting nearest it
        when = anchor.earliest or anchor.latest
        assert when is not None
        season = g["season"].lower()
        if anchor.precision not in ("day", "month", "season"):
            return _season_value(when.year, season), "season in the anchor's year"
        start = when.year * 12 + when.month
        year = min(  # ties go forward: "In the winter he fell ill; in the summer he returned"
            (when.year + 1, when.year, when.year - 1),
            key=lambda y: abs(y * 12 + SEASONS[season][1] - start),
        )
        return _season_value(year, season), "the season starting nearest the anchor"
    if found.kind in ("day_month", "month_day", "month_alone"):
        assert anchor.earliest is not None or anchor.latest is not None
        when = anchor.earliest or anchor.latest
        assert when is not None
        month, year, note = MONTHS[g["m"]], when.year, "year taken from the anchor"
        if anchor.precision in ("month", "day"):
            year = min(
                (when.year, when.year - 1, when.year + 1),
                key=lambda y: abs(y * 12 + month - when.year * 12 - when.month),
            )
            if year != when.year:
                note = "year that puts the month nearest to the anchor"
        if found.kind == "month_alone":
            return _month_value(year, month), note
        day = _day_value(year, month, int(re.sub(r"\D", "", g["d"])))
        if day is None:
            raise ValueError("no such day")
        return day, note
    if anchor.earliest is None or anchor.latest is None:
        raise ValueError("anchor is open-ended")
    if found.kind == "relative_then":
        return anchor, "same time as the anchor"
    if found.kind == "relative_same":
        unit = g["sunit"].lower()
        step = {"next": 1, "following": 1, "previous": -1, "preceding": -1}.get((g["which"] or "").lower(), 0)
        back = -1 if g.get("back") else 0  # "the same month a year ago"
        if unit in SEASONS:
            return _season_value(anchor.earliest.year + step + back, unit), "season in the anchor's year"
        if unit == "year":
            return _year_value(
                anchor.earliest.year + step + back
            ), "year of the anchor" if not step else "year next to it"
        if unit in ("quarter", "period"):  # the anchor's own span, a year back when so said
            earliest, latest = _shift(anchor, (12 * back, 12 * back))
            note = "the anchor's span a year earlier" if back else "the anchor's span"
            return Value(edtf_from_bounds(earliest, latest), earliest, latest, anchor.precision), note
        months, days = {"month": (step, step), "week": (0, 0), "day": (0, 0)}[unit], (0, 0)
        months = (months[0] + 12 * back, months[1] + 12 * back)
        if unit in ("week", "day"):
            days = (7 * step, 7 * step) if unit == "week" else (step, step)
        earliest, latest = _shift(anchor, (months[0], months[1]), days)
        precision = _coarser(anchor.precision, _UNIT_PRECISION[unit])
        return Value(edtf_from_bounds(earliest, latest), earliest, latest, precision), f"{unit} of the anchor"
    if found.kind == "relative_event":
        whole_years = anchor.earliest is not None and (anchor.earliest.month, anchor.earliest.day) == (1, 1)
        if anchor.precision in ("decade", "century") or (anchor.precision == "year" and whole_years):
            raise ValueError("the anchor names no part of a year")  # a day before an event of 1911: unknown
        unit = found.match.group(0).split()[1].lower()
        step = 1 if " after" in found.match.group(0).lower() else -1
        span = 7 if unit == "week" else 1
        earliest, latest = _shift(anchor, days=(step * span, step * span))
        precision = _coarser(anchor.precision, "day")
        return Value(edtf_from_bounds(earliest, latest), earliest, latest, precision), (
            f"one {unit} {'after' if step > 0 else 'before'} the event it names, dated by the anchor"
        )
    low, high = _quantity(g["qty"])
    unit = g["unit"].lower().rstrip("s")
    sign = -1 if g["dir"].lower() == "earlier" else 1
    months_per, days_per = _UNIT_SPANS[unit]
    shifts = sorted((sign * low, sign * high))
    earliest, latest = _shift(
        anchor,
        (shifts[0] * months_per, shifts[1] * months_per),
        (shifts[0] * days_per, shifts[1] * days_per),
    )
    precision = _UNIT_PRECISION[unit]
    earliest, latest = _widen(earliest, latest, precision)
    amount = str(low) if low == high else f"{low} to {high}"
    return Value(edtf_from_bounds(earliest, latest), earliest, latest, precision), (
        f"{amount} {unit}(s) {'before' if sign < 0 else 'after'} the anchor"
    )
