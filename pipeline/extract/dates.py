"""Temporal expressions in body sentences, normalised to EDTF with explicit bounds.

Rules, not a parser of free dates: each pattern knows what it means (a day, a month, a season, a decade...),
so imprecise dates keep their imprecision. ``dateparser`` is not used because it fills missing parts from
today's date. Bounds are computed here rather than taken from the ``edtf`` package, whose season bounds
are approximate. Conventions (documented in schemas/time_expressions.yaml):

- seasons are northern-hemisphere meteorological: spring Mar-May, summer Jun-Aug, autumn Sep-Nov, winter
  of year Y = Dec Y to Feb Y+1; EDTF level 1 season codes 21-24.
- early / mid / late narrow a year to Jan-Apr / May-Aug / Sep-Dec, a decade to years 0-3 / 3-6 / 7-9,
  a century to years 0-32 / 33-66 / 67-99, a month to days 1-10 / 11-20 / 21-end; the EDTF value is then
  an interval of those bounds (e.g. "late 1933" -> 1933-09/1933-12).
- "5 or 6 April 1907" -> the EDTF set [1907-04-05,1907-04-06] (one of them) with the bounds of both.
- by X -> open start "../X" (no earliest bound); before X -> "../<unit before X>"; after X -> "<unit after
  X>/.."; circa X -> "X~" with the bounds of X unchanged.
- relative expressions ("Three years later", "in August", "the night before he signed ...") are resolved
  against the most recent narrative (not attributive) expression before them in document order, absolute
  or itself resolved from an earlier one (a chain: "On December 8, 1869 ... Five days later ... The day
  after ..."); "by that time" does not anchor;
  a month written without a year takes the year that puts it nearest to an anchor of month or day
  precision ("On December 17 ... in early February" -> the February after);
  "several" and "a few" mean 2 to 6 units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import polars as pl

from pipeline.extract import date_deictic
from pipeline.extract.date_ranges import join_ranges
from pipeline.extract.date_relative import _relative
from pipeline.extract.date_values import (
    ORDINAL_CENTURIES,
    SEASONS,
    Value,
    _absolute,
    _day_value,
    _month_value,
    _year_value,
    apply_modifier,
    old_style_date,
)
from pipeline.extract.timex3 import timex3_value
from pipeline.package.schema import rows_to_frame
from pipeline.text.months import MONTHS_AS_PRINTED as MONTHS
from pipeline.vocab import load_mapping, load_words

MODIFIERS = ("early", "mid", "late", "before", "after", "by", "circa", "none")

NUMBER_WORDS: dict[str, int] = load_mapping("date_numbers")
VAGUE_QUANTITIES: dict[str, tuple[int, int]] = {
    words: (low, high) for words, (low, high) in load_mapping("date_vague_quantities").items()
}
# Nouns naming happenings: a date attached to one of these still dates something that happened.
EVENT_NOUNS = frozenset(load_mapping("event_nouns"))

_MONTH = "(?:" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + r")(?![a-z])"
_YEAR = r"(?:1[0-9]|20)\d\d"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DASH = r"\s*[–—-]\s*"
_DAYS_SEPARATOR = rf"(?:{_DASH}|\s+(?P<alt>or)\s+)"
_YEAR_BACK = (
    r"(?P<back>\s+(?i:a\s+year\s+(?:ago|earlier|before)|(?:of\s+)?(?:the\s+)?(?:last|previous|prior)\s+year|"
    r"the\s+year\s+before))"
)
_SEASON = "(?i:" + "|".join(sorted(SEASONS, key=len, reverse=True)) + ")"
_NUMBER = "(?i:" + "|".join(sorted((*NUMBER_WORDS, *VAGUE_QUANTITIES), key=len, reverse=True)) + r"|\d{1,2})"
_UNIT = r"(?i:day|night|week|month|year|decade)s?"
_CENTURY = "(?i:" + "|".join(sorted(ORDINAL_CENTURIES, key=len, reverse=True)) + r"|\d{1,2}(?:st|nd|rd|th))"
_PART = r"(?i:early|mid|middle|late)"

_NOT_YEAR_AFTER = "|".join(re.escape(word) for word in load_words("date_not_year_after"))

_PATTERNS: list[tuple[str, str]] = [
    ("relative_event", r"(?i:the\s+(?:night|day|morning|evening|eve|week)\s+(?:before|after))\s+[^,;:.()]+"),
    (
        "relative_shift",
        rf"(?P<qty>{_NUMBER})\s+(?P<unit>{_UNIT})\s+(?P<dir>(?i:later|earlier|afterwards?))\b",
    ),
    (
        "relative_same",
        rf"(?i:(?:the\s+(?P<which>same|following|next|previous|preceding)|that(?:\s+same)?)\s+)"
        rf"(?P<sunit>(?i:day|week|month|year)|{_SEASON})\b(?:{_YEAR_BACK})?",
    ),
    (  # "the same quarter a year earlier": only as a comparison one year back
        "relative_same",
        rf"(?i:the\s+(?P<which>same)\s+)(?P<sunit>(?i:quarter|period))\b{_YEAR_BACK}",
    ),
    ("relative_then", r"(?P<bythen>(?i:by)\s+(?:that\s+time|then))\b"),
    ("year_end", r"(?i:year[’']s\s+end|the\s+end\s+of\s+the\s+year)\b"),
    (  # Old Style / New Style: "January 26/February 8, 1918", "13/26 March 1918"
        "old_new_style",
        rf"(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})\s*/\s*(?:(?P<m>{_MONTH})\s+)?(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b",
    ),
    (
        "old_new_style",
        rf"(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?\s*/\s*(?P<d>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})\b",
    ),
    (
        "old_new_style",
        rf"(?P<d1>{_DAY})\s+(?P<m1>{_MONTH})\s+(?P<y1>{_YEAR})\s*/\s*(?P<d>{_DAY})\s+(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b",
    ),
    (
        "old_new_style",
        rf"(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR})\s*/\s*(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+"
        rf"(?P<y>{_YEAR})\b",
    ),
    (
        "ordinal_day",
        rf"(?<=\b[Oo]n\s)(?:the\s+)(?P<od>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?{_MONTH})",
    ),
    (
        "day_range",
        rf"(?P<d1>{_DAY}){_DAYS_SEPARATOR}(?P<d2>{_DAY})\s+(?P<m>{_MONTH})\s*,?\s+(?P<y>{_YEAR})\b",
    ),
    ("day_range", rf"(?P<m>{_MONTH})\s+(?P<d1>{_DAY}){_DAYS_SEPARATOR}(?P<d2>{_DAY}),?\s+(?P<y>{_YEAR})\b"),
    ("day_month_year", rf"(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})\s*,?\s+(?P<y>{_YEAR})\b"),
    ("month_day_year", rf"(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b"),
    ("month_range", rf"(?P<m1>{_MONTH}){_DASH}(?P<m2>{_MONTH})\s+(?P<y>{_YEAR})\b"),
    ("month_year", rf"(?P<m>{_MONTH})\s*,?\s+(?:of\s+)?(?P<y>{_YEAR})\b"),
    (
        "season",
        rf"(?:(?i:the)\s+)?(?P<season>{_SEASON})\s+(?:of\s+)?(?P<y>{_YEAR})(?:\s*[–/-]\s*(?P<y2>\d{{2}}|{_YEAR}))?\b",
    ),
    ("decade", rf"(?:(?i:the)\s+)?(?:(?P<dpart>{_PART})[\s-]+)?(?P<decade>\d{{3}}0)[’']?s\b"),
    ("century", rf"(?:(?i:the)\s+)?(?:(?P<cpart>{_PART})[\s-]+)?(?P<century>{_CENTURY})[\s-]+(?i:century)\b"),
    (
        "year_range",
        rf"(?P<y1>{_YEAR})(?:{_DASH}|\s+(?:to|until|till|through)\s+)(?P<y2>{_YEAR}|\d{{2}})\b(?!\s*[–-])",
    ),
    ("year_range", rf"(?i:between)\s+(?P<y1>{_YEAR})\s+and\s+(?P<y2>{_YEAR})\b"),
    ("day_month", rf"(?P<d>{_DAY})\s+(?P<m>{_MONTH})(?!\s*,?\s*\d{{3}})"),
    ("month_day", rf"(?P<m>{_MONTH})\s+(?P<d>{_DAY})\b(?!\s*,?\s*\d{{3}})"),
    ("month_alone", rf"(?P<m>{_MONTH})\b(?!\s+\d)"),
    ("year", rf"(?<![\d,.$£/])(?P<y>{_YEAR})\b(?![,.]?\d|\s*(?:{_NOT_YEAR_AFTER})\b)"),
    *date_deictic.PATTERNS,
]
# A modifier before an expression ("late 1933", "By 14 March", "up to and including July 1"), found by
# looking back from where the expression starts: far cheaper than an optional prefix tried at every position.
_PREFIX_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:early\s+in|late\s+in|in\s+the\s+(?:early|middle|late)\s+part\s+of|"
    r"the\s+(?:beginning|start|middle|end|close)\s+of|up\s+to\s+and\s+including|up\s+to|by|before|after|"
    r"circa|c\.|ca\.|around|about|early|mid|middle|late)[\s-]+$",
    re.I,
)
_PREFIX_REACH = 40
_COMPILED = [(kind, re.compile(rx)) for kind, rx in _PATTERNS]


class _Match:
    """A pattern's match with the modifier written before it: group(0) and start() include the modifier,
    group("mod") is the modifier, group("core") the expression without it."""

    def __init__(self, core: re.Match[str], text: str) -> None:
        self._core = core
        prefix = _PREFIX_BEFORE.search(text, max(0, core.start() - _PREFIX_REACH), core.start())
        self._start = prefix.start() if prefix else core.start()
        self._text = text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._core.end()

    def group(self, name: int | str = 0) -> str | None:
        if name == 0:
            return self._text[self._start : self._core.end()]
        if name == "mod":
            return self._text[self._start : self._core.start()] or None
        if name == "core":
            return self._core.group(0)
        return self._core.group(name)

    def groupdict(self) -> dict[str, str | None]:
        return {**self._core.groupdict(), "mod": self.group("mod"), "core": self._core.group(0)}


# Cheap pre-checks: a pattern without a cue needs a digit; the others need their cue word.
_DIGIT = re.compile(r"\d")
_CUES = {
    "relative_event": re.compile(r"\b(?:before|after)\b", re.I),
    "relative_shift": re.compile(r"\b(?:later|earlier|afterwards?)\b", re.I),
    "relative_same": re.compile(r"\b(?:same|following|next|previous|preceding|that)\b", re.I),
    "relative_then": re.compile(r"\bby\s+(?:that|then)\b", re.I),
    "ordinal_day": re.compile(r"\b[Oo]n\s+the\s+\d"),
    "year_end": re.compile(r"year[’']s\s+end|end\s+of\s+the\s+year", re.I),
    "old_new_style": re.compile(r"\d\s*/\s*[\dA-Z]"),
    "century": re.compile(r"\bcentury\b", re.I),
    "day_month": re.compile(_MONTH),
    "month_day": re.compile(_MONTH),
    "month_alone": re.compile(_MONTH),
    **date_deictic.CUES,
}
_NUMBER_OWNER_BEFORE = re.compile(r"\b(?:my|your|our|Department[’']s|Embassy[’']s|No\.?|number)\s+$")
_MONTH_ALONE_AFTER = re.compile(r"\b(?:in|of|during|since|from|until|early|late|mid|by)\s+$", re.I)
_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|his|her|its|their|this|that)\s+(?:(?!(?:in|on|at|of|to|for|by|with|from)\s)[a-z-]+\s+){0,2}$",
    re.I,
)
_NOUN_AFTER = re.compile(r"\s+([A-Za-z-]+)(?:\s+([A-Za-z-]+))?")
_TITLE_BEFORE = re.compile(
    r"(?<![.!?]\s)\b([A-Z][a-z]+)\s+$"
)  # a year after a name: "Foreign Relations 1868"
_YEARS_BEFORE = re.compile(r"\b([A-Za-z]+)\s+the\s+years?\s+$")
_WORD_BEFORE = re.compile(r"\b([A-Za-z-]+)\s+$")
_OF_BEFORE = re.compile(r"([A-Za-z-]+)\s+of\s+$")
_PART_ALIASES = {"middle": "mid", "beginning": "early", "start": "early", "end": "late", "close": "late"}
_RELATIVE_KINDS = {"relative_event", "relative_shift", "relative_same", "relative_then", "day_month"}
_RELATIVE_KINDS |= {"month_day", "month_alone", "ordinal_day", "year_end"}
_DEICTIC_RELATIVE = {"weekday", "deictic_day", "deictic_unit", "ago", "clock"}


@dataclass
class _Found:
    kind: str
    match: _Match
    start: int
    end: int
    modifier: str
    usage: str
    part: str | None = None


def _normalise_modifier(raw: str | None) -> str:
    if not raw:
        return "none"
    words = raw.lower().replace("-", " ").split()
    for word in words:
        if word in ("early", "mid", "middle", "late", "beginning", "start", "end", "close"):
            return _PART_ALIASES.get(word, word)
    first = words[0]
    if first in ("c.", "ca.", "circa", "around", "about"):
        return "circa"
    return "by" if first == "up" else first  # "up to and including July 1": no later than


def _usage(text: str, start: int, end: int) -> tuple[str, str | None]:
    """adverbial, or attributive with the noun it modifies ("the 1941 borders", "the borders of 1941")."""
    before = text[:start]
    of_noun = _OF_BEFORE.search(before)
    if of_noun and not before.rstrip().lower().endswith(
        ("end of", "beginning of", "middle of", "summer of", "course of")
    ):
        return "attributive", of_noun.group(1).lower()
    named = _WORD_BEFORE.search(before)
    if named and named.group(1).lower() in EVENT_NOUNS:  # "the Anglo-Russian convention 1916"
        return "attributive", named.group(1).lower()
    title = _TITLE_BEFORE.search(before) if text[start : start + 1].isdigit() else None
    if title and title.group(1) not in MONTHS and title.group(1).lower() not in _NOT_TITLE_WORDS:
        return "attributive", title.group(1).lower()
    years = _YEARS_BEFORE.search(before)  # "covering the years 1940 through 1951", but "in the year 1920"
    if years:
        return ("adverbial", None) if years.group(1).lower() in _NOT_TITLE_WORDS else ("attributive", "years")
    after = _NOUN_AFTER.match(text, end)
    if _DETERMINER_BEFORE.search(before) and after:
        words = [w.lower() for w in after.groups() if w]
        if words[0] not in _FUNCTION_WORDS:
            noun = next((w for w in words if w in EVENT_NOUNS), words[-1] if len(words) > 1 else words[0])
            return "attributive", noun
    return "adverbial", None


_NOT_TITLE_WORDS = frozenset(
    "in on at of to for by with from since until till during after before about around circa through the a "
    "an early late over throughout mid middle and or but as when while that this".split()
)
_FUNCTION_WORDS = frozenset(
    "in on at of to for by with and or but as was were had has is are when while that which the a an".split()
)


def _is_document_number(text: str, match: _Match) -> bool:
    """A four-digit number that numbers a telegram or file: alone as a sentence ("1979."), or after a
    telegram's owner or "No." ("cabled you in my 1973", "Department's 7086"). "Wilson's 1918 speech" is
    a year."""
    if re.fullmatch(r"\W*\d{4}\W*", text):
        return True
    return _NUMBER_OWNER_BEFORE.search(text, 0, match.start()) is not None


def _candidates(text: str) -> list[tuple[int, int, int, str, _Match]]:
    """Every pattern match as (start, -length, priority, kind, match)."""
    found = []
    has_digit = _DIGIT.search(text) is not None
    for priority, (kind, pattern) in enumerate(_COMPILED):
        cue = _CUES.get(kind)
        if (cue is None and not has_digit) or (cue is not None and not cue.search(text)):
            continue
        for core in pattern.finditer(text):
            match = _Match(core, text)
            if kind == "month_alone" and not (
                _normalise_modifier(match.group("mod")) not in ("none", "circa")
                or _MONTH_ALONE_AFTER.search(text, 0, match.start())
            ):
                continue
            if kind == "year" and _is_document_number(text, match):
                continue
            found.append((match.start(), match.start() - match.end(), priority, kind, match))
    return sorted(found, key=lambda c: c[:3])


def _scan(text: str) -> list[_Found]:
    """Non-overlapping expressions, preferring the earliest start, then the longest, then pattern order."""
    found: list[_Found] = []
    taken_until = 0
    for start, _, _, kind, match in _candidates(text):
        if start < taken_until:
            continue
        modifier = "by" if kind == "relative_then" else _normalise_modifier(match.group("mod"))
        raw_part = match.groupdict().get("dpart") or match.groupdict().get("cpart")
        part = _normalise_modifier(raw_part) if raw_part else None
        if part and modifier == "none":
            modifier = part
        usage, _ = _usage(text, match.start(), match.end())
        found.append(_Found(kind, match, match.start(), match.end(), modifier, usage, part))
        taken_until = match.end()
    return found


def _document_anchor(document_date: str | None) -> Value | None:
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", document_date or "")
    if match is None:
        return None
    parts = [int(p) for p in match.groups() if p]
    if len(parts) == 3:
        return _day_value(*parts)
    if len(parts) == 2:
        return _month_value(*parts)
    return _year_value(parts[0])


def _is_anchor(found: _Found, text: str, value: Value) -> bool:
    """Narrative dates of year precision or finer anchor; periods, open intervals and attributes do not."""
    if found.kind == "relative_then" or found.modifier in ("before", "after"):
        return False
    if value.precision in ("decade", "century"):
        return False
    if found.usage == "adverbial":
        return True
    _, noun = _usage(text, found.start, found.end)
    return noun in EVENT_NOUNS


def find_time_expressions(
    sentences: pl.DataFrame,
    document_date: str | None = None,
    reference_dates: list[tuple[int, int, str]] | None = None,
) -> pl.DataFrame:
    """Every temporal expression in the body sentences, in text order, normalised to EDTF.

    Needs sentence_id, document_id, char_start and text. Relative expressions are resolved against the
    most recent narrative absolute date (then the document date); "the night before he signed the
    agreement" against the date current where that happening ("agreement") was last mentioned.
    reference_dates, (char_start, char_end, ISO date) spans such as the letters and telegrams inside a
    paper, give the sentences starting inside a span their own document date: "yesterday", "Friday", "last
    week" count from it, and the narrative's anchors start afresh in each span. Deictic expressions
    ("today", "Friday", "last year", "the third quarter") count from the reference date, else from the last
    narrative date of day precision (see pipeline/extract/date_deictic.py).
    Unresolvable ones keep a null EDTF value and say why in resolution_note.
    """
    rows: list[dict] = []
    anchors: list[tuple[int, str, Value]] = []
    document_anchor = fallback = _document_anchor(document_date)
    spans = sorted(reference_dates or [])
    span: tuple[int, int, str] | None = None
    deictic_ids: set[str] = set()  # anchors counted from the reference date (speech time, not narrative)
    paragraph, opened = None, False  # the paragraph, and whether a quotation is open where a sentence starts
    texts = [t or "" for t in sentences.sort("char_start")["text"].to_list()]
    for index, sentence in enumerate(sentences.sort("char_start").iter_rows(named=True)):
        text = texts[index]
        inside = next((s for s in reversed(spans) if s[0] <= sentence["char_start"] < s[1]), None)
        if sentence.get("paragraph_id") != paragraph:
            paragraph, opened = sentence.get("paragraph_id"), False
        if inside != span:  # a new document inside the paper: its own date, a fresh narrative
            span, anchors = inside, []
            fallback = _document_anchor(inside[2]) if inside else document_anchor
        scanned = _scan(text)
        said: tuple[str, Value, str] | None = None  # the sentence's last resolved expression
        for position, found in enumerate(scanned):
            row = _row(sentence, found, len(rows) + 1)
            shared = _shared_year(text, found, scanned[position + 1 : position + 2])
            if found.kind in date_deictic.KINDS:
                reference = _deictic_reference(
                    fallback, anchors, narrative=found.match.group(0).startswith("the day")
                )
                _fill_deictic(row, found, text, reference)
                resolved = _resolved_value(row)
                # a day counted from the reference ("Monday", "yesterday") carries the narrative; "last year"
                # names the speaker's time, not the story's, so it anchors nothing
                if (
                    resolved is not None
                    and resolved.precision == "day"
                    and found.kind in _DEICTIC_RELATIVE
                    and _is_anchor(found, text, resolved)
                ):
                    anchors.append((index, row["time_expression_id"], resolved))
                    deictic_ids.add(row["time_expression_id"])
            elif shared is not None:  # "in May and August 1987": May takes 1987
                value, _ = _relative(found, shared[1])
                _fill(row, apply_modifier(value, found.modifier))
                row["resolution_note"] = f"year of {shared[0]!r}, the date it is coordinated with"
            elif found.kind in _RELATIVE_KINDS:
                anchor = (
                    _event_anchor(found, texts[:index], anchors) if found.kind == "relative_event" else None
                )
                if found.kind == "relative_same" and found.match.group("back") and said:
                    anchor = said  # "fell in January, against the same month a year ago": that January
                speech = _speech_time(found, fallback, anchors, deictic_ids)
                if speech is not None:  # "in January" of a news story: the last January before its date
                    _fill_bare_month(row, found, text, speech)
                else:
                    _resolve(row, found, anchor or (anchors[-1][1:] if anchors else None), fallback)
                if anchor:
                    row["resolution_note"] += f" (last mentioned {anchor[2]})"
                resolved = _resolved_value(row)
                if (
                    resolved is not None
                    and row["anchor_time_expression_id"]
                    and not (found.kind == "relative_same" and found.match.group("back"))  # a comparison
                    and _is_anchor(found, text, resolved)
                ):
                    anchors.append((index, row["time_expression_id"], resolved))
            else:
                base = _absolute(found.kind, found.match.groupdict())
                if base is None:
                    continue
                value = apply_modifier(base, found.part) if found.part else base
                if found.modifier != found.part:
                    value = apply_modifier(value, found.modifier)
                _fill(row, value)
                if _is_anchor(found, text, value):
                    anchors.append((index, row["time_expression_id"], value))
            if anchors and anchors[-1][1] == row["time_expression_id"] and _quoted(text, found.start, opened):
                anchors.pop()  # a date in quoted words does not set the narrative's time
            rows.append(row)
            value_said = _resolved_value(row)
            if value_said is not None:
                said = (row["time_expression_id"], value_said, repr(row["text"]))
        opened = _quoted(text, len(text), opened)
    offsets = {
        row["sentence_id"]: (row["char_start"], row["text"] or "") for row in sentences.iter_rows(named=True)
    }
    return rows_to_frame("time_expressions", join_ranges(rows, offsets))


_QUOTES = re.compile(r"[\"“”]")


def _quoted(text: str, position: int, opened: bool) -> bool:
    """Inside a quotation at position (straight quotes counted, curly ones paired); opened when the
    sentence starts inside one an earlier sentence of its paragraph opened."""
    for match in _QUOTES.finditer(text, 0, position):
        mark = match.group(0)
        opened = True if mark == "“" else False if mark == "”" else not opened
    return opened


def _deictic_reference(
    fallback: Value | None, anchors: list[tuple[int, str, Value]], narrative: bool = False
) -> date | None:
    """The date deictic expressions count from: the document's (or document part's) date of day
    precision, else the narrative's last date of day precision; "the day" (narrative) the other way round."""
    if narrative and anchors and anchors[-1][2].precision == "day":
        return anchors[-1][2].earliest
    if fallback is not None and fallback.precision == "day":
        return fallback.earliest
    if anchors and anchors[-1][2].precision == "day":
        return anchors[-1][2].earliest
    return None


def _speech_time(
    found: _Found, fallback: Value | None, anchors: list[tuple[int, str, Value]], deictic_ids: set[str]
) -> date | None:
    """The reference date a bare month or day counts from by tense, when the narrative has no date of its
    own yet (or only ones counted from the reference): None where a narrative anchor decides instead."""
    if found.kind not in ("month_alone", "day_month", "month_day") or fallback is None:
        return None
    if fallback.precision not in ("day", "month"):
        return None
    # in a dispatch dated to the day, a narrative year ("launched in 2003") does not take its months away
    narrative_decides = (
        fallback.precision != "day" or anchors[-1][2].precision != "year" if anchors else False
    )
    if anchors and anchors[-1][1] not in deictic_ids and narrative_decides:
        return None
    return fallback.latest if fallback.precision == "day" else fallback.earliest


def _fill_bare_month(row: dict, found: _Found, text: str, reference: date) -> None:
    direction = date_deictic.tense(text, found.start, found.end)
    groups = found.match.groupdict()
    month = MONTHS[groups["m"]]
    year = date_deictic.month_near(reference, month, direction)
    if found.kind == "month_alone":
        value: Value | None = _month_value(year, month)
    else:
        value = _day_value(year, month, int(re.sub(r"\D", "", groups["d"])))
    if value is None:
        row["resolution_note"] = "unresolved: no such day"
        return
    _fill(row, apply_modifier(value, found.modifier))
    side = "next on or after" if direction == "future" else "last on or before"
    row["resolution_note"] = f"the {side} the document date, by the tense of its clause"


def _fill_deictic(row: dict, found: _Found, text: str, reference: date | None) -> None:
    """Resolve a deictic expression (date_deictic) into the row, with its modifier where it has bounds."""
    direction = date_deictic.tense(text, found.start, found.end)
    try:
        resolved = date_deictic.resolve(found.kind, found.match.groupdict(), reference, direction)
    except ValueError as error:
        row["resolution_note"] = f"unresolved: {error}"
        return
    row["resolution_note"] = resolved.note
    row["is_relative"] = found.kind in _DEICTIC_RELATIVE or (
        found.kind == "quarter" and not found.match.group("qy")
    )
    if resolved.edtf is not None and resolved.precision is not None:
        value = Value(resolved.edtf, resolved.earliest, resolved.latest, resolved.precision)
        narrowable = found.modifier not in ("early", "mid", "late") or value.precision in ("year", "month")
        if found.modifier != "none" and narrowable:
            value = apply_modifier(value, found.modifier)
        _fill(row, value)
    row["timex3_value"] = resolved.timex3 or row["timex3_value"]


def _shared_year(text: str, found: _Found, following: list[_Found]) -> tuple[str, Value] | None:
    """The year of the next date when a year-less month or day is coordinated with it ("May and August
    1987", "5 May or 6 June 1920"), as (its text, its year)."""
    if found.kind not in ("day_month", "month_day", "month_alone") or not following:
        return None
    after = following[0]
    year = after.match.groupdict().get("y")
    if year is None or not re.fullmatch(
        r"\s*,?\s*(?:and|or|to|until|through|[–-])\s*", text[found.end : after.start]
    ):
        return None
    return after.match.group(0), _year_value(int(year))


def _resolved_value(row: dict) -> Value | None:
    """A resolved relative expression as a value that can anchor later ones (both bounds known)."""
    if row["edtf"] is None or row["date_earliest"] is None or row["date_latest"] is None:
        return None
    return Value(row["edtf"], row["date_earliest"], row["date_latest"], row["precision"])


def _event_anchor(
    found: _Found, earlier: list[str], anchors: list[tuple[int, str, Value]]
) -> tuple[str, Value, str] | None:
    """The anchor current where the happening named after "the night before ..." was last mentioned."""
    head = found.match.group("core").split()[-1].lower()
    pattern = re.compile(rf"\b{re.escape(head)}\b", re.I)
    for index in range(len(earlier) - 1, -1, -1):
        if pattern.search(earlier[index]):
            usable = [a for a in anchors if a[0] <= index]
            if usable:
                return usable[-1][1], usable[-1][2], f"'{head}' in sentence {index + 1} of the body"
            return None
    return None


def _row(sentence: dict, found: _Found, number: int) -> dict:
    document_id = sentence["document_id"]
    return {
        "time_expression_id": f"{document_id}:t{number:03d}",
        "document_id": document_id,
        "sentence_id": sentence["sentence_id"],
        "char_start": sentence["char_start"] + found.start,
        "char_end": sentence["char_start"] + found.end,
        "text": found.match.group(0),
        "expression_type": found.kind,
        "edtf": None,
        "timex3_value": None,
        "old_style_date": old_style_date(found.match.groupdict()) if found.kind == "old_new_style" else None,
        "date_earliest": None,
        "date_latest": None,
        "precision": None,
        "modifier": found.modifier,
        "usage": found.usage,
        "is_relative": found.kind in _RELATIVE_KINDS,
        "anchor_time_expression_id": None,
        "resolution_note": None,
    }


def _fill(row: dict, value: Value) -> None:
    row.update(
        edtf=value.edtf, date_earliest=value.earliest, date_latest=value.latest, precision=value.precision
    )
    row["timex3_value"] = timex3_value(
        value.edtf, value.earliest, value.latest, value.precision, row["modifier"]
    )


def _resolve(row: dict, found: _Found, anchor: tuple | None, fallback: Value | None) -> None:
    anchor_id, anchor_value = (anchor[0], anchor[1]) if anchor else (None, fallback)
    if anchor_value is None:
        row["resolution_note"] = "unresolved: no earlier absolute date and no document date"
        return
    try:
        value, note = _relative(found, anchor_value)
    except ValueError as error:
        row["resolution_note"] = f"unresolved: {error}"
        return
    value = (
        apply_modifier(value, found.modifier)
        if found.kind != "relative_then"
        else apply_modifier(value, "by")
    )
    _fill(row, value)
    row["anchor_time_expression_id"] = anchor_id
    row["resolution_note"] = note if anchor_id else f"{note} (the document date)"
