"""Calendar values of time expressions: EDTF text with inclusive bounds and a precision, and the rules that
build them (days, months, seasons, decades, centuries, ranges) and narrow them (early / mid / late, by,
before, after, circa). Conventions: see pipeline/extract/dates.py and schemas/time_expressions.yaml."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.text.months import MONTHS_AS_PRINTED as MONTHS
from pipeline.vocab import load_mapping

SEASONS: dict[str, tuple[int, int]] = {
    word: (code, month) for word, (code, month) in load_mapping("date_seasons").items()
}
ORDINAL_CENTURIES: dict[str, int] = load_mapping("date_ordinal_centuries")


@dataclass
class Value:
    """A normalised time: EDTF text, bounds (None for an open end) and precision."""

    edtf: str
    earliest: date | None
    latest: date | None
    precision: str


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """Shift a date by whole months, clamping the day to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _year_value(year: int) -> Value:
    return Value(f"{year:04d}", date(year, 1, 1), date(year, 12, 31), "year")


def _month_value(year: int, month: int) -> Value:
    return Value(f"{year:04d}-{month:02d}", date(year, month, 1), _month_end(year, month), "month")


def _day_value(year: int, month: int, day: int) -> Value | None:
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    return Value(when.isoformat(), when, when, "day")


def _season_value(year: int, season: str) -> Value:
    code, first_month = SEASONS[season.lower()]
    start = date(year, first_month, 1)
    return Value(f"{year:04d}-{code}", start, add_months(start, 3) - timedelta(days=1), "season")


def _aligned(earliest: date, latest: date) -> str:
    """The coarsest unit whose boundaries both bounds fall on: year, month or day."""
    next_day = latest + timedelta(days=1)
    if earliest.day == 1 and next_day.day == 1:
        if earliest.month == 1 and next_day.month == 1:
            return "year"
        return "month"
    return "day"


def edtf_from_bounds(earliest: date, latest: date) -> str:
    """The simplest EDTF date or interval with exactly these bounds."""
    unit = _aligned(earliest, latest)
    formats = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
    first, last = earliest.strftime(formats[unit]), latest.strftime(formats[unit])
    return first if first == last else f"{first}/{last}"


def _narrow(value: Value, part: str) -> Value:
    """Apply early / mid / late to a value, keeping its precision as written."""
    assert value.earliest is not None and value.latest is not None
    if value.precision == "decade":
        decade = value.earliest.year
        first, last = {"early": (0, 3), "mid": (3, 6), "late": (7, 9)}[part]
        start, end = date(decade + first, 1, 1), date(decade + last, 12, 31)
    elif value.precision == "century":
        century = value.earliest.year
        first, last = {"early": (0, 32), "mid": (33, 66), "late": (67, 99)}[part]
        start, end = date(century + first, 1, 1), date(century + last, 12, 31)
    elif value.precision == "season":  # its first, middle or last month: "late summer" is August
        shift = {"early": 0, "mid": 1, "late": 2}[part]
        start = add_months(value.earliest, shift)
        end = add_months(start, 1) - timedelta(days=1)
    elif value.precision == "month":
        days = {"early": (1, 10), "mid": (11, 20), "late": (21, value.latest.day)}[part]
        start, end = value.earliest.replace(day=days[0]), value.earliest.replace(day=days[1])
    else:
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        year = value.earliest.year
        start, end = date(year, months[0], 1), _month_end(year, months[1])
    return Value(edtf_from_bounds(start, end), start, end, value.precision)


_UNIT_FORMATS = {"year": "%Y", "month": "%Y-%m"}


def _unit_before(value: Value) -> str:
    assert value.earliest is not None
    return (value.earliest - timedelta(days=1)).strftime(_UNIT_FORMATS.get(value.precision, "%Y-%m-%d"))


def _unit_after(value: Value) -> str:
    assert value.latest is not None
    return (value.latest + timedelta(days=1)).strftime(_UNIT_FORMATS.get(value.precision, "%Y-%m-%d"))


def apply_modifier(value: Value, modifier: str) -> Value:
    """Turn a base value into the modified one (see the module docstring for the conventions)."""
    if modifier in ("early", "mid", "late"):
        return _narrow(value, modifier)
    upper = value.edtf.split("/")[-1]
    if modifier == "by":
        return Value(f"../{upper}", None, value.latest, value.precision)
    if modifier == "before":
        assert value.earliest is not None
        return Value(f"../{_unit_before(value)}", None, value.earliest - timedelta(days=1), value.precision)
    if modifier == "after":
        assert value.latest is not None
        return Value(f"{_unit_after(value)}/..", value.latest + timedelta(days=1), None, value.precision)
    if modifier == "circa":
        approximate = "/".join(part + "~" for part in value.edtf.split("/"))
        if not is_valid_edtf(approximate):
            assert value.earliest is not None and value.latest is not None
            approximate = "/".join(
                part + "~" for part in edtf_from_bounds(value.earliest, value.latest).split("/")
            )
        return Value(approximate, value.earliest, value.latest, value.precision)
    return value


def is_valid_edtf(text: str) -> bool:
    """True when the edtf package parses the value (levels 0-2)."""
    # Imported here, in the processes that extract dates: building its grammar takes a tenth of a second,
    # which a build's main process, importing this module for the corpus stages, never needs.
    import edtf

    try:
        edtf.parse_edtf(text)
    except Exception:  # the package raises its own error types and sometimes plain ones
        return False
    return True


def _second_year(first: int, raw: str) -> int:
    if len(raw) == 2:
        return first // 100 * 100 + int(raw)
    return int(raw)


def _absolute(kind: str, groups: dict[str, str | None]) -> Value | None:
    """The value of an expression that needs no anchor (or None when it is not a real date)."""
    g = groups
    if kind == "old_new_style":
        return (
            _day_value(int(g["y"]), MONTHS[g.get("m") or g["m1"]], int(re.sub(r"\D", "", g["d"])))
            if old_style_date(g)
            else None
        )
    if kind in ("day_month_year", "month_day_year"):
        return _day_value(int(g["y"]), MONTHS[g["m"]], int(re.sub(r"\D", "", g["d"])))
    if kind == "day_range":
        first = _day_value(int(g["y"]), MONTHS[g["m"]], int(re.sub(r"\D", "", g["d1"])))
        last = _day_value(int(g["y"]), MONTHS[g["m"]], int(re.sub(r"\D", "", g["d2"])))
        if first is None or last is None or last.earliest <= first.earliest:
            return None
        if g.get("alt"):  # "April 5 or 6, 1907": one of the days (an EDTF set), bounds of both
            return Value(f"[{first.edtf},{last.edtf}]", first.earliest, last.latest, "day")
        return Value(f"{first.edtf}/{last.edtf}", first.earliest, last.latest, "day")
    if kind == "month_year":
        return _month_value(int(g["y"]), MONTHS[g["m"]])
    if kind == "month_range":
        first, last = _month_value(int(g["y"]), MONTHS[g["m1"]]), _month_value(int(g["y"]), MONTHS[g["m2"]])
        if last.earliest <= first.earliest:
            return None
        return Value(f"{first.edtf}/{last.edtf}", first.earliest, last.latest, "month")
    if kind == "season":
        return _season_value(int(g["y"]), g["season"])
    if kind == "decade":
        decade = int(g["decade"])
        value = Value(f"{decade // 10:03d}X", date(decade, 1, 1), date(decade + 9, 12, 31), "decade")
        return value
    if kind == "century":
        raw = g["century"].lower()
        number = ORDINAL_CENTURIES.get(raw) or int(re.sub(r"\D", "", raw))
        start = (number - 1) * 100
        value = Value(f"{start // 100:02d}XX", date(start, 1, 1), date(start + 99, 12, 31), "century")
        return value
    if kind == "year_range":
        first, last = int(g["y1"]), _second_year(int(g["y1"]), g["y2"])
        if last <= first or last - first > 100:
            return None
        return Value(f"{first}/{last}", date(first, 1, 1), date(last, 12, 31), "year")
    if kind == "year":
        return _year_value(int(g["y"]))
    return None


# Days the Julian calendar is behind the Gregorian: 10 in the 1600s, 11 in the 1700s, 12 in the 1800s,
# 13 from 1 March 1900 to 1923 (when the last countries changed).
_JULIAN_LAG = {16: 10, 17: 11, 18: 12, 19: 13}


def old_style_date(groups: dict[str, str | None]) -> date | None:
    """The Old Style (Julian) date of an Old Style / New Style pair ("January 26/February 8, 1918"), or
    None when the two are not the calendars' distance apart (then the pair is not a double dating)."""
    year, month = int(groups["y"] or 0), MONTHS[groups.get("m") or groups.get("m1") or ""]
    new = _day_value(year, month, int(re.sub(r"\D", "", groups["d"] or "")))
    old_month = MONTHS[groups["m1"]] if groups.get("m1") else month
    old_year = year - 1 if old_month == 12 and month == 1 else year
    old_year = int(groups["y1"]) if groups.get("y1") else old_year
    old = _day_value(old_year, old_month, int(re.sub(r"\D", "", groups["d1"] or "")))
    if new is None or old is None or new.earliest is None or old.earliest is None:
        return None
    lag = _JULIAN_LAG.get(year // 100)
    return old.earliest if lag is not None and (new.earliest - old.earliest).days in (lag - 1, lag) else None
