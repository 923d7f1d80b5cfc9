"""Time expressions that count from a reference time, as news and dispatches write them.

Weekdays ("Friday", "Thursday night"), "today", "yesterday", "to-day", "tonight", "this morning"; "last /
next / this" week, month, year, quarter, weekend, season, month or weekday; quarters and halves ("the third
quarter of 1984", "third-quarter", "Q3"); "N units ago"; durations ("for three years", "the past five
days", "a 12-year"), sets ("annual", "every week"), deictic present/past/future ("now", "recently", "the
future") and clock times ("18:00 UTC"). Each is resolved against a reference date: the date of the
document (or of the document part) it stands in, else the narrative's last day-precision date.

A weekday or a bare month is before or after its reference by the tense of the words around it: "will",
"plans to" -> the next one on or after the reference; otherwise the last one on or before it. A duration
is an ISO 8601 value (P3Y) beside an EDTF interval only where it is anchored ("the past three years" ends
at the reference, "the next six months" starts there). Vocabularies: vocab/date_deictic.yaml,
vocab/date_tense_cues.yaml, vocab/date_numbers.yaml.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.vocab import load_mapping

NUMBER_WORDS: dict[str, int] = load_mapping("date_numbers")
DEICTIC_WORDS: dict[str, str] = {k.lower(): v for k, v in load_mapping("date_deictic").items()}
TENSE_CUES: dict[str, str] = {k.lower(): v for k, v in load_mapping("date_tense_cues").items()}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = "(?:" + "|".join(w.capitalize() for w in WEEKDAYS) + ")"
_PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_TOD = r"(?:\s+(?P<tod>morning|afternoon|evening|night))?"
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_ORDINALS |= {"final": 4, "last": 4}
_ORDINAL = "(?:" + "|".join(_ORDINALS) + ")"
_COUNT_WORDS = sorted(NUMBER_WORDS, key=len, reverse=True)
_COUNT = (
    r"(?:\d+(?:\.\d)?|(?i:" + "|".join(_COUNT_WORDS) + r"|several|few|many|some|a\s+few|a\s+couple\s+of))"
    r"(?:\s+and\s+a\s+half)?"  # "two and a half years": 2.5
)
_UNITS = {"minute": "TM", "hour": "TH", "day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE"}
_UNITS["quarter"] = "Q"
_UNIT = r"(?P<unit>minute|hour|day|week|month|year|decade|centur(?:y|ie))s?"
_RELATIONS = r"(?P<rel>last|next|this|coming|past|previous|current)"
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_NAMES = "(?:" + "|".join(m.capitalize() for m in _MONTHS) + ")"
_SEASON_CODES = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_DEICTIC_PHRASES = "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(DEICTIC_WORDS, key=len, reverse=True)
)
_YEAR = r"(?:1[0-9]|20)\d\d"

# "two consecutive quarters"; not "three quarters of the vote", not "a three-quarter majority"
_QUARTERS = (
    rf"(?P<n>{_COUNT})\s+(?:(?i:consecutive|straight|successive)\s+)?(?P<unit>(?i:quarter))s\b"
    r"(?!(?<!consecutive quarters)(?<!straight quarters)(?<!successive quarters)\s+of\b)"
)
# "between 60 and 90 days": the first count takes the unit written after the second
_COUNT_RANGE = (
    r"(?P<n>\d+)(?=\s*(?:and|or|to|[–-])\s*\d+\s+(?P<unit>(?i:minute|hour|day|week|month|year))s\b)"
)
# "in just minutes", "within hours"
_SOON_PLURAL = (
    r"(?P<plural>(?:(?<=\bjust\s)|(?<=\bwithin\s)|(?<=\bonly\s))(?P<unit>(?i:minutes|hours|days|weeks)))\b"
)

PATTERNS: list[tuple[str, str]] = [
    (
        "quarter",
        rf"(?i:the\s+)?(?P<q>(?i:{_ORDINAL}))[\s-]+(?P<qunit>(?i:quarter|half))"
        rf"(?:\s+(?i:of)\s+(?:(?P<qy>{_YEAR})|(?i:(?P<qrel>this|last|next|the)\s+year)))?",
    ),
    ("quarter", rf"\bQ(?P<qn>[1-4])(?:\s+(?P<qy>{_YEAR}))?\b"),
    ("ago", rf"(?P<n>{_COUNT})\s+{_UNIT}\s+(?i:ago)\b"),
    (
        "deictic_unit",
        rf"(?i:(?:the\s+)?{_RELATIONS}\s+)(?P<what>(?i:week(?:end)?|month|year|quarter|spring|summer|autumn|fall|"
        rf"winter)|{_MONTH_NAMES}|{_WEEKDAY})\b{_TOD}",
    ),
    (  # "at the beginning of the year", "by the middle of the month": the reference's own (the modifier is
        # read before it); "the end of the year" is pipeline/extract/date_scan.py's year_end
        "deictic_unit",
        r"(?:(?<=beginning\sof\s)|(?<=start\sof\s)|(?<=middle\sof\s))(?P<rel>the)\s+(?P<what>year|month|week|quarter)\b"
        r"|(?<=\bend\sof\s)(?P<rel2>the)\s+(?P<what2>month|week|quarter)\b",
    ),
    (
        "deictic_day",
        r"(?P<early>(?i:earlier|later)\s+)?(?P<day>(?i:today|to-day|yesterday|tomorrow|to-morrow|tonight|to-night))"
        rf"\b{_TOD}",
    ),
    ("deictic_day", r"(?P<day>(?i:this))\s+(?P<tod>morning|afternoon|evening)\b"),
    (
        "deictic_day",
        r"(?:(?<=end\s)|(?<=ending\s)|(?<=ended\s)|(?<=finish\s)|(?<=close\s)|(?<=in\s)|(?<=for\s)|(?<=For\s)|(?<=start\sof\s)|(?<=end\sof\s)"
        r"|(?<=close\sof\s)|(?<=rest\sof\s))(?P<day>the\s+day)\b",
    ),
    ("short_decade", r"(?<![\w$£.,])['’]?(?P<sd>[2-9]0)['’]?s\b"),
    ("short_year", r"(?<![\w$£.,])['’](?P<sy>[2-9]\d)\b(?![’'%]?\w)"),
    ("weekday", rf"(?P<wd>{_WEEKDAY})\b{_TOD}(?!,?\s+(?:\d|{_MONTH_NAMES}))"),
    (  # "over the weekend": the one its tense points to
        "weekend",
        r"(?:(?<=over\s)|(?<=during\s)|(?<=at\s)|(?<=on\s)|(?<=for\s)|(?<=through\s)|(?<=by\s))"
        r"(?i:the\s+weekend)\b",
    ),
    ("clock", r"(?P<h>[01]?\d|2[0-3]):?(?P<mi>[0-5]\d)\s*(?P<zone>UTC|GMT|Z)\b"),
    ("clock", r"(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)\s*(?P<ap>[ap]\.\s?m\.|[AP]M)"),
    (
        "duration",
        rf"(?P<dpre>(?i:the\s+(?:past|last|next|first|coming)|nearly|almost|over|more\s+than|less\s+than)\s+)?"
        r"(?!(?i:an?\s+\w+s\b))"  # "a decades-long": no count of a plural
        rf"(?P<n>{_COUNT})(?:\s+(?i:consecutive|straight|trading|full|whole))?[\s-]+(?i:{_UNIT})\b"
        r"(?!\s+(?i:later|earlier|afterwards?|ago)\b)",
    ),
    (
        "duration",
        r"(?P<plural>(?:\b(?i:over\s+the|recent)\s+|(?<=\bfor\s)|(?<=\bin\s))"
        r"(?P<unit>(?i:years|decades|months|weeks|days|hours|minutes)))\b"
        r"(?!-|(?<=[Mm]inutes)\s+of\b)",  # "the minutes of a meeting" are no span
    ),
    ("duration", r"(?P<plural>(?P<unit>(?i:years|decades|months|weeks|days|hours))-long)\b"),
    ("duration", _QUARTERS),
    ("duration", _COUNT_RANGE),
    ("duration", _SOON_PLURAL),
    ("duration", r"(?P<dpre>(?i:the\s+(?:past|last))\s+)(?P<unit>(?i:decade))\b"),
    (
        "deictic_word",
        rf"(?P<word>(?i:{_DEICTIC_PHRASES}))\b(?!\s+(?:[A-Z]|of\b|(?:\w+\s+)?(?i:day|week|month|year|decade)s?\b))",
    ),
]
CUES: dict[str, re.Pattern[str]] = {
    "quarter": re.compile(r"quarter|half|Q[1-4]", re.I),
    "ago": re.compile(r"\bago\b", re.I),
    "short_decade": re.compile(r"\d0['’]?s\b"),
    "short_year": re.compile(r"['’]\d\d\b"),
    "deictic_unit": re.compile(
        r"\b(?:last|next|this|coming|past|previous|current|(?:beginning|start|middle|end)\s+of\s+the)\s", re.I
    ),
    "deictic_day": re.compile(
        r"the\s+day\b|to-?day|yesterday|to-?morrow|to-?night|this\s+(?:morning|afternoon|evening)", re.I
    ),
    "weekday": re.compile(r"day\b"),
    "weekend": re.compile(r"the\s+weekend\b", re.I),
    "clock": re.compile(r"\d:?\d\d\s*(?:UTC|GMT|Z\b|[ap]\.\s?m\.|[AP]M)"),
    "duration": re.compile(r"(?:minute|hour|day|week|month|year|decade|centur|quarters)", re.I),
    "deictic_word": re.compile(rf"\b(?:{_DEICTIC_PHRASES})\b", re.I),
}
# Cheaper pre-checks for patterns that need more than their kind's cue word.
PATTERN_CUES: dict[str, re.Pattern[str]] = {
    _QUARTERS: re.compile(r"quarters\b", re.I),
    _COUNT_RANGE: re.compile(r"\d\s*(?:and|or|to|[–-])\s*\d"),
    _SOON_PLURAL: re.compile(r"\b(?:just|within|only)\s", re.I),
}
KINDS = frozenset(kind for kind, _ in PATTERNS)
_FUTURE_WORDS = sorted((w for w, t in TENSE_CUES.items() if t == "future"), key=len, reverse=True)
_FUTURE = re.compile(
    r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _FUTURE_WORDS) + r")\b", re.I
)
_PAST = re.compile(  # "will be finalized", "should be completed": a participle after "be" is no past
    r"\b(?:(?<!\bbe )[a-z]{2,}ed|"
    + "|".join(re.escape(w) for w, t in TENSE_CUES.items() if t == "past")
    + r")\b",
    re.I,
)
_UNTIL_BEFORE = re.compile(r"\b(?:until|till|by)\s+$", re.I)
_CUE_REACH = 80  # characters: about a dozen words
_CLAUSE_EDGE = re.compile(r"[;:()]|,\s+(?:and|but|while|which|who)\b|\.\s")


_SIDE = {"future": "on or after", "past": "on or before", "present": "on or before"}


@dataclass
class Resolved:
    """What an expression denotes: EDTF text and bounds (None when it names no calendar time), its
    precision, its TIMEX3 value and how it was resolved."""

    edtf: str | None
    earliest: date | None
    latest: date | None
    precision: str | None
    timex3: str | None
    note: str


def tense(text: str, start: int, end: int) -> str:
    """future, past or present: the tense cue nearest the expression in its clause (within a dozen words),
    "until Friday" future. Without a cue, present."""
    if _UNTIL_BEFORE.search(text, 0, start):
        return "future"
    left = max((m.end() for m in _CLAUSE_EDGE.finditer(text, 0, start)), default=0)
    edge = _CLAUSE_EDGE.search(text, end)
    right = edge.start() if edge else len(text)
    cues = [(start - m.end(), "future") for m in _FUTURE.finditer(text, left, start)]
    cues += [(start - m.end(), "past") for m in _PAST.finditer(text, left, start)]
    cues += [(m.start() - end, "future") for m in _FUTURE.finditer(text, end, right)]
    cues += [(m.start() - end, "past") for m in _PAST.finditer(text, end, right)]
    near = [c for c in cues if c[0] <= _CUE_REACH]
    return min(near)[1] if near else "present"


def future_before(text: str, start: int) -> bool:
    """Whether the tense cue nearest before the expression in its clause is a future one ("will arrive on
    November 11"), whatever follows it ("your inquiries of December 30, I will say")."""
    left = max((m.end() for m in _CLAUSE_EDGE.finditer(text, 0, start)), default=0)
    left = max(left, start - _CUE_REACH)
    cues = [(m.end(), "future") for m in _FUTURE.finditer(text, left, start)]
    cues += [(m.end(), "past") for m in _PAST.finditer(text, left, start)]
    return bool(cues) and max(cues)[1] == "future"


def _count(raw: str) -> float | None:
    """A count as a number; None for a vague one ("several")."""
    low = " ".join(raw.lower().split())
    if low.endswith(" and a half"):
        whole = _count(low.removesuffix(" and a half"))
        return None if whole is None else whole + 0.5
    if low in NUMBER_WORDS:
        return NUMBER_WORDS[low]
    try:
        return float(low)
    except ValueError:
        return None


def duration_value(count: float | None, unit: str) -> str:
    """ISO 8601 / TimeML duration: P3Y, PT30M, P10Y for a decade, PXY for "several years"."""
    unit = unit.lower().rstrip("s")
    if unit.startswith("centur"):
        count, unit = (count * 100 if count is not None else None), "year"
    elif unit == "decade":
        count, unit = (count * 10 if count is not None else None), "year"
    code = _UNITS[unit]
    number = "X" if count is None else (str(int(count)) if float(count).is_integer() else str(count))
    return f"PT{number}{code[1]}" if code.startswith("T") else f"P{number}{code}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _day(when: date, part: str | None, note: str) -> Resolved:
    timex3 = when.isoformat() + (f"T{_PART_OF_DAY[part]}" if part else "")
    return Resolved(when.isoformat(), when, when, "day", timex3, note)


def _month(year: int, month: int, note: str) -> Resolved:
    return Resolved(
        f"{year:04d}-{month:02d}", date(year, month, 1), _month_end(year, month), "month", None, note
    )


def _year(year: int, note: str) -> Resolved:
    return Resolved(f"{year:04d}", date(year, 1, 1), date(year, 12, 31), "year", None, note)


def _week(monday: date, weekend: bool, note: str) -> Resolved:
    iso = monday.isocalendar()
    first = monday + timedelta(days=5) if weekend else monday
    last = monday + timedelta(days=6)
    timex3 = f"{iso[0]:04d}-W{iso[1]:02d}" + ("-WE" if weekend else "")
    return Resolved(f"{first.isoformat()}/{last.isoformat()}", first, last, "day", timex3, note)


def _quarter(year: int, number: int, half: bool, note: str) -> Resolved:
    months = 6 if half else 3
    first = date(year, (number - 1) * months + 1, 1)
    last = _shift_months(first, months) - timedelta(days=1)
    edtf = f"{first:%Y-%m}/{last:%Y-%m}"
    return Resolved(edtf, first, last, "quarter", f"{year:04d}-{'H' if half else 'Q'}{number}", note)


def weekday_near(reference: date, weekday: int, direction: str) -> date:
    """The weekday on or before the reference (past or present tense), or on or after it (future)."""
    if direction == "future":
        return reference + timedelta(days=(weekday - reference.weekday()) % 7)
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)


def month_near(reference: date, month: int, direction: str) -> int:
    """The year of a bare month: the last such month on or before the reference (past), the next on or
    after it (future), the nearest (present)."""
    if direction == "future":
        return reference.year if month >= reference.month else reference.year + 1
    if direction == "past":
        return reference.year if month <= reference.month else reference.year - 1
    return min(
        (reference.year - 1, reference.year, reference.year + 1),
        key=lambda year: abs(year * 12 + month - reference.year * 12 - reference.month),
    )


def _general(groups: dict[str, str | None]) -> Resolved:
    word = " ".join((groups["word"] or "").lower().split())
    return Resolved(
        None, None, None, None, DEICTIC_WORDS[word], "names the speaker's time, not a calendar date"
    )


def resolve(kind: str, groups: dict[str, str | None], reference: date | None, direction: str) -> Resolved:
    """The value of a deictic expression against a reference date (None: only what needs none)."""
    if kind == "deictic_word":
        return _general(groups)
    if kind == "duration":
        return _duration(groups, reference)
    if kind in ("short_decade", "short_year"):
        return _short(groups, reference)
    if kind == "quarter" and groups.get("qy"):
        return _quarter(int(groups["qy"] or 0), *_quarter_number(groups), "year as written")
    if reference is None:
        raise ValueError("no reference date (no document date and no earlier date of day precision)")
    if kind == "quarter":
        return _quarter_near(groups, reference, direction)
    if kind == "weekday":
        when = weekday_near(reference, WEEKDAYS.index(groups["wd"].lower()), direction)
        return _day(
            when,
            groups.get("tod"),
            f"the {groups['wd']} {_SIDE[direction]} the reference date",
        )
    if kind == "weekend":
        saturday = weekday_near(reference, 5, direction)
        if direction == "present" and reference.weekday() < 5:
            saturday = weekday_near(reference, 5, "future")
        return _week(saturday - timedelta(days=5), True, f"the weekend {_SIDE[direction]} the reference date")
    if kind == "deictic_day":
        word = (groups["day"] or "").lower().replace("-", "")
        step = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        part = "night" if word == "tonight" else groups.get("tod")
        return _day(reference + timedelta(days=step), part, f"{word} of the reference date")
    if kind == "ago":
        return _ago(groups, reference)
    if kind == "clock":
        return _clock(groups, reference)
    return _deictic_unit(groups, reference)


def _short(groups: dict[str, str | None], reference: date | None) -> Resolved:
    """ "the 70s", "'82": the decade or year of the reference's century that is not after it (1900s without
    a reference)."""
    digits = int(groups.get("sd") or groups.get("sy") or 0)
    century = (reference.year // 100 * 100) if reference else 1900
    if reference and century + digits > reference.year:
        century -= 100
    year = century + digits
    if groups.get("sd"):
        return Resolved(
            f"{year // 10:03d}X",
            date(year, 1, 1),
            date(year + 9, 12, 31),
            "decade",
            f"{year // 10:03d}",
            "decade of the reference's century",
        )
    return Resolved(
        f"{year:04d}", date(year, 1, 1), date(year, 12, 31), "year", None, "year of the reference's century"
    )


def _quarter_near(groups: dict[str, str | None], reference: date, direction: str) -> Resolved:
    """A quarter or half written without its year: "of last/next year" as said; "the last quarter" alone is
    the one before the reference date's; otherwise the reference year's, a year earlier when a past-tense
    clause names one that has not begun yet ("rose in the fourth quarter" in March), a year later when a
    future one names one that has ended."""
    relation = (groups.get("qrel") or "").lower()
    number, half = _quarter_number(groups)
    if relation:
        year = reference.year + {"last": -1, "next": 1}.get(relation, 0)
        return _quarter(year, number, half, "year of the reference date")
    if (groups.get("q") or "").lower() == "last" and not half:
        previous = (reference.month - 1) // 3 - 1
        return _quarter(
            reference.year + previous // 4, previous % 4 + 1, False, "the quarter before the reference"
        )
    months = 6 if half else 3
    first, last = (number - 1) * months + 1, number * months
    year = reference.year
    if direction == "past" and date(year, first, 1) > reference:
        year -= 1
    elif direction == "future" and last < reference.month:
        year += 1
    return _quarter(year, number, half, f"the reference year's, {_SIDE[direction]} it by the clause's tense")


def _quarter_number(groups: dict[str, str | None]) -> tuple[int, bool]:
    if groups.get("qn"):
        return int(groups["qn"] or 1), False
    half = (groups.get("qunit") or "").lower() == "half"
    number = _ORDINALS[(groups["q"] or "").lower()]
    return (min(number, 2), True) if half else (number, False)


def _duration(groups: dict[str, str | None], reference: date | None) -> Resolved:
    if groups.get("plural"):
        return Resolved(
            None, None, None, None, duration_value(None, groups["unit"] or "year"), "an unmeasured span"
        )
    count = _count(groups["n"] or "") if groups.get("n") else 1  # "the past decade": one
    unit = (groups["unit"] or "").lower().rstrip("s")
    value = duration_value(count, unit)
    lead = " ".join((groups.get("dpre") or "").lower().split())
    if (
        reference is None
        or count is None
        or not float(count).is_integer()
        or unit not in ("day", "week", "month", "year")
    ):
        return Resolved(None, None, None, None, value, "a span, not anchored")
    months = {"month": 1, "year": 12}.get(unit, 0) * int(count)
    days = {"day": 1, "week": 7}.get(unit, 0) * int(count)
    if lead in ("the past", "the last"):
        first = _shift_months(reference, -months) - timedelta(days=days)
        return Resolved(
            f"{first.isoformat()}/{reference.isoformat()}",
            first,
            reference,
            "day",
            value,
            "span ending at the reference date",
        )
    if lead in ("the next", "the coming"):
        last = _shift_months(reference, months) + timedelta(days=days)
        return Resolved(
            f"{reference.isoformat()}/{last.isoformat()}",
            reference,
            last,
            "day",
            value,
            "span starting at the reference date",
        )
    return Resolved(None, None, None, None, value, "a span, not anchored")


def _ago(groups: dict[str, str | None], reference: date) -> Resolved:
    count = _count(groups["n"] or "")
    unit = (groups["unit"] or "").lower().rstrip("s")
    if count is None or not float(count).is_integer():
        return Resolved(None, None, None, None, "PAST_REF", "a vague distance back")
    number = int(count)
    if unit in ("year", "decade", "centurie", "century"):
        years = number * {"year": 1, "decade": 10}.get(unit, 100)
        return _year(reference.year - years, f"{years} year(s) before the reference date")
    if unit == "month":
        when = _shift_months(reference, -number)
        return _month(when.year, when.month, f"{number} month(s) before the reference date")
    days = number * {"week": 7, "day": 1}.get(unit, 0)
    return _day(reference - timedelta(days=days), None, f"{days} day(s) before the reference date")


def _clock(groups: dict[str, str | None], reference: date) -> Resolved:
    hour, minute = int(groups["h"] or 0), int(groups["mi"] or 0)
    marker = (groups.get("ap") or "").lower()
    if marker.startswith("p") and hour < 12:
        hour += 12
    zone = "Z" if groups.get("zone") else ""
    value = f"{reference.isoformat()}T{hour:02d}:{minute:02d}{zone}"
    return Resolved(reference.isoformat(), reference, reference, "day", value, "a time of the reference date")


def _deictic_unit(groups: dict[str, str | None], reference: date) -> Resolved:
    relation = (groups["rel"] or groups.get("rel2") or "").lower()
    what = groups["what"] or groups.get("what2") or ""
    low = what.lower()
    step = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get(relation, 0)
    note = f"{relation} {low} from the reference date"
    if low in WEEKDAYS:
        weekday = WEEKDAYS.index(low)
        when = weekday_near(reference, weekday, "future" if step > 0 else "past")
        if step and when == reference:
            when += timedelta(days=7 * step)
        return _day(when, groups.get("tod"), note)
    if low in _MONTHS:
        month = _MONTHS.index(low) + 1
        year = month_near(reference, month, "future" if step > 0 else "past")
        if step < 0 and month == reference.month:
            year -= 1
        return _month(year if step else reference.year, month, note)
    if low in _SEASON_CODES:
        year = reference.year + step
        start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[_SEASON_CODES[low]]
        first = date(year, start_month, 1)
        last = _shift_months(first, 3) - timedelta(days=1)
        codes = {"SP": 21, "SU": 22, "FA": 23, "WI": 24}
        return Resolved(
            f"{year:04d}-{codes[_SEASON_CODES[low]]}",
            first,
            last,
            "season",
            f"{year:04d}-{_SEASON_CODES[low]}",
            note,
        )
    if low in ("week", "weekend"):
        monday = reference - timedelta(days=reference.weekday()) + timedelta(days=7 * step)
        return _week(monday, low == "weekend", note)
    if low == "month":
        when = _shift_months(reference, step)
        return _month(when.year, when.month, note)
    if low == "quarter":
        quarter = (reference.month - 1) // 3 + step
        year, quarter = reference.year + quarter // 4, quarter % 4
        return _quarter(year, quarter + 1, False, note)
    return _year(reference.year + step, note)
