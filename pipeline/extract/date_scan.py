"""Finding time expressions in a sentence: the patterns, the modifier written before one, and whether a
date is adverbial or qualifies a noun. What each expression means is resolved in pipeline/extract/dates.py.

Patterns are tried in order; the earliest start wins, then the longest, then the pattern listed first. A
pattern without a cue word is tried only on a sentence with a digit (cheap pre-checks, not a parser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract import date_deictic
from pipeline.extract.date_values import ORDINAL_CENTURIES, SEASONS
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
    (  # "the night before he signed ...", not "late in the day after falling 250 points" (a clause)
        "relative_event",
        r"(?i:the\s+(?:night|day|morning|evening|eve|week)\s+(?:before|after))\s+(?![a-z]+ing\b)[^,;:.()]+",
    ),
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
    ("season_alone", r"(?:(?i:the)\s+)?(?P<season>(?i:spring|summer|autumn|winter))\b(?!\s+of\b|-)"),
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
    "season_alone": re.compile(r"spring|summer|autumn|winter", re.I),
    **date_deictic.CUES,
}
_COMPILED: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]] = [  # with its pre-check (None: a digit)
    (kind, re.compile(rx), date_deictic.PATTERN_CUES.get(rx) or _CUES.get(kind)) for kind, rx in _PATTERNS
]
# A case-blind cue is tried, written in lower case, case-sensitively on the sentence in lower case: the same
# answer (no character but these four folds onto an ASCII letter otherwise than by str.lower; a sentence
# with one takes the cue itself), at a fraction of the cost of case-blind matching. Not for a cue with an
# escape such as \S, whose letter case is its meaning, or with flags of its own.
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")
_FOLDS_ODDLY = re.compile("[\u0130\u0131\u017f\u212a]")
_LOWER_CUES: dict[re.Pattern[str], re.Pattern[str]] = {
    cue: re.compile(cue.pattern.lower(), cue.flags & ~re.I)
    for _, _, cue in _COMPILED
    if cue is not None
    and cue.flags & re.I
    and not re.search(r"\\[A-Z]", cue.pattern)
    and not _INLINE_FLAGS.search(cue.pattern)
}
_NUMBER_OWNER_BEFORE = re.compile(r"\b(?:my|your|our|Department[’']s|Embassy[’']s|No\.?|number)\s+$")
_MONTH_ALONE_AFTER = re.compile(r"\b(?:in|of|during|since|from|until|early|late|mid|by|between)\s+$", re.I)
_SEASON_ALONE_AFTER = re.compile(r"\b(?:in|during|since|until|till|through|throughout|by)\s+$", re.I)
_POSSESSIVE_BEFORE = re.compile(r"\b(?:the|their|its|his|her|our)\s+$")  # "their January sales"
_NOUN_NEXT = re.compile(r"\s+(?!(?:of|and|or|to|in|on|at|by|for|was|were|is|had)\b)[a-z]{3,}")
_COORDINATED_AFTER = re.compile(r"^\s*(?:,|and|or|to|through|until|till|[–-])\s*$")  # "April and June"
_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|his|her|its|their|this|that)\s+(?:(?!(?:in|on|at|of|to|for|by|with|from)\s)[a-z-]+\s+){0,2}$",
    re.I,
)
_NOUN_AFTER = re.compile(r"\s+([A-Za-z-]+)(?:\s+([A-Za-z-]+))?")
_TITLE_BEFORE = re.compile(
    r"(?<![.!?]\s)\b([A-Z][a-z]+)\s+$"
)  # a year after a name: "Foreign Relations 1868"
_TITLE_COMMA_BEFORE = re.compile(
    r"(?<![.!?]\s)\b[A-Z][a-z]+\s+([A-Z][a-z]+),\s+$"
)  # "Foreign Relations, 1872"
_YEARS_BEFORE = re.compile(r"\b([A-Za-z]+)\s+the\s+years?\s+$")
_WORD_BEFORE = re.compile(r"\b([A-Za-z-]+)\s+$")
_FOR_BEFORE = re.compile(r"\b([a-z]+s)\s+for\s+(?:both\s+)?$")  # a plural noun and what it covers
_OF_BEFORE = re.compile(r"([A-Za-z-]+)\s+of\s+$")
_PART_ALIASES = {"middle": "mid", "beginning": "early", "start": "early", "end": "late", "close": "late"}
RELATIVE_KINDS = {"relative_event", "relative_shift", "relative_same", "relative_then", "day_month"}
RELATIVE_KINDS |= {"month_day", "month_alone", "season_alone", "ordinal_day", "year_end"}
DEICTIC_RELATIVE = {"weekday", "weekend", "deictic_day", "deictic_unit", "ago", "clock"}


@dataclass
class Found:
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


_UNTIL_BEFORE = re.compile(r"\b(?:until|till)\s+(?:the\s+)?$", re.I)
_NEGATED = re.compile(r"\b(?:not|never|no)\b|n[’']t\b", re.I)
_NEGATED_PARTICIPLE = re.compile(r",\s+(?:not|never)\s+[a-z]+ing\b[^,]*$", re.I)  # ", not moving ... until"
_WHEN_AFTER = re.compile(r"\s*,?\s*when\b", re.I)


def ends_a_state(text: str, start: int, end: int) -> bool:
    """A date that only ends what went on before it ("Until 1990, though, Congress remained passive",
    "stayed in office until 1882"): the story has not reached it, so it is no reference time. With a
    negation in its clause ("not published until 1909") the happening is then; "until March 1907, when
    ..." places a clause then. A negated participle after a comma (", not moving the capital until July
    1871") looks ahead from the story's time and does not move it."""
    if not _UNTIL_BEFORE.search(text, max(0, start - 12), start):
        return False
    clause = re.split(r"[;:(]", text[:start])[-1]
    if _NEGATED.search(clause) and not _NEGATED_PARTICIPLE.search(clause):
        return False
    return _WHEN_AFTER.match(text, end) is None


def usage_of(text: str, start: int, end: int) -> tuple[str, str | None]:
    """adverbial, or attributive with the noun it modifies ("the 1941 borders", "the borders of 1941")."""
    before = text[:start]
    of_noun = _OF_BEFORE.search(before)
    if of_noun and not before.rstrip().lower().endswith(
        ("end of", "beginning of", "middle of", "summer of", "course of", "under date of")
    ):  # "addressed to you under date of August 21": the letter's date, not a noun's
        return "attributive", of_noun.group(1).lower()
    named = _WORD_BEFORE.search(before)
    if named and named.group(1).lower() in EVENT_NOUNS:  # "the Anglo-Russian convention 1916"
        return "attributive", named.group(1).lower()
    title = (
        (_TITLE_BEFORE.search(before) or _TITLE_COMMA_BEFORE.search(before))
        if text[start].isdigit()
        else None
    )
    if title and title.group(1) not in MONTHS and title.group(1).lower() not in _NOT_TITLE_WORDS:
        return "attributive", title.group(1).lower()
    covered = _FOR_BEFORE.search(before) if text[start].isdigit() else None
    if covered and covered.group(1) not in _FUNCTION_WORDS:
        return "attributive", covered.group(1).lower()  # "two volumes for 1906", "the budget for 1907"
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
    cue_found: dict[re.Pattern[str], bool] = {}  # patterns of one kind share their cue: search it once
    lower = None if _FOLDS_ODDLY.search(text) else text.lower()
    for priority, (kind, pattern, cue) in enumerate(_COMPILED):
        if cue is None:
            if not has_digit:
                continue
        else:
            hit = cue_found.get(cue)
            if hit is None:
                fast = _LOWER_CUES.get(cue) if lower is not None else None
                hit = cue_found[cue] = (fast.search(lower) if fast else cue.search(text)) is not None
            if not hit:
                continue
        month_end = -1  # where the last month taken alone ends: a month coordinated with it is one too
        for core in pattern.finditer(text):
            match = _Match(core, text)
            if kind == "month_alone":
                if not (
                    _normalise_modifier(match.group("mod")) not in ("none", "circa")
                    or _MONTH_ALONE_AFTER.search(text, 0, match.start())
                    or (month_end >= 0 and _COORDINATED_AFTER.match(text[month_end : match.start()]))
                    or (
                        _POSSESSIVE_BEFORE.search(text, 0, match.start())
                        and _NOUN_NEXT.match(text, match.end())
                    )
                ):
                    continue
                month_end = match.end()
            if kind == "season_alone" and not (
                _normalise_modifier(match.group("mod")) not in ("none", "circa")
                or _SEASON_ALONE_AFTER.search(text, 0, match.start())
            ):
                continue
            if kind == "year" and _is_document_number(text, match):
                continue
            found.append((match.start(), match.start() - match.end(), priority, kind, match))
    return sorted(found, key=lambda c: c[:3])


def scan(text: str) -> list[Found]:
    """Non-overlapping expressions, preferring the earliest start, then the longest, then pattern order."""
    found: list[Found] = []
    taken_until = 0
    for start, _, _, kind, match in _candidates(text):
        if start < taken_until:
            continue
        modifier = "by" if kind == "relative_then" else _normalise_modifier(match.group("mod"))
        raw_part = match.groupdict().get("dpart") or match.groupdict().get("cpart")
        part = _normalise_modifier(raw_part) if raw_part else None
        if part and modifier == "none":
            modifier = part
        usage, _ = usage_of(text, match.start(), match.end())
        found.append(Found(kind, match, match.start(), match.end(), modifier, usage, part))
        taken_until = match.end()
    return found
