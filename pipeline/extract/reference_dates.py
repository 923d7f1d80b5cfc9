"""Dates of references: EDTF strings from the dates references print, in English and the languages of
archival references ("29 August 1929", "13 ottobre 1772", "Winter 1990", "30–31 March 1981").

The citation rules read item dates with these; the model's date segments get the same EDTF beside the year.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.extract import archival
from pipeline.text.months import MONTHS

SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
# English month names and those of Italian, French, German and Spanish archival dates ("13 ottobre 1772").
MONTH_NUMBERS = {**archival.month_numbers(), **MONTHS}
MONTH_RE = r"(?:" + "|".join(re.escape(m) for m in sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
DASH = r"\s*[-–—]\s*"
# "13 ottobre 1772", "5. März 1848" (German days take a period), "12 de mayo de 1600", "30–31 March 1981".
DAY_MONTH_YEAR = re.compile(
    rf"^(\d{{1,2}})\.?(?:{DASH}(\d{{1,2}})\.?)?\s+(?:de\s+)?({MONTH_RE})\s+(?:de\s+)?(\d{{4}})$", re.I
)
MONTH_DAY_YEAR = re.compile(rf"^({MONTH_RE})\s+(\d{{1,2}})(?:{DASH}(\d{{1,2}}))?,?\s+(\d{{4}})$", re.I)
MONTH_DAY = re.compile(rf"^{MONTH_RE}\s+\d{{1,2}}$", re.I)
MONTH_YEAR = re.compile(rf"^({MONTH_RE})\s+(\d{{4}})$", re.I)
SEASON_YEAR = re.compile(r"^(spring|summer|autumn|fall|winter)\s+(\d{4})$", re.I)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
BARE_YEAR = re.compile(r"^(\d{4})$")

DIGIT = re.compile(r"\d")
UNDATED_LEAD = re.compile(r"^(?:undated|n\.d\.)[,\s]*", re.I)


@lru_cache(maxsize=65536)
def to_edtf(text: str) -> str | None:
    """An EDTF date from "29 August 1929", "30–31 March 1981", "January 1919", "Winter 1990", "1943"."""
    if not DIGIT.search(text):
        return None
    text = UNDATED_LEAD.sub("", text.replace("(", " ").replace(")", " ").strip())
    text = " ".join(text.split()).rstrip(".,")
    if not text[-2:].isdecimal():  # every form below ends in a year or an ISO day: spare the month names
        return None
    if match := DAY_MONTH_YEAR.match(text):
        day, day_end, month, year = match.groups()
        return _day_range(year, MONTH_NUMBERS[month.lower().rstrip(".")], day, day_end)
    if match := MONTH_DAY_YEAR.match(text):
        month, day, day_end, year = match.groups()
        return _day_range(year, MONTH_NUMBERS[month.lower().rstrip(".")], day, day_end)
    if match := MONTH_YEAR.match(text):
        return f"{match.group(2)}-{MONTH_NUMBERS[match.group(1).lower().rstrip('.')]:02d}"
    if match := SEASON_YEAR.match(text):
        return f"{match.group(2)}-{SEASONS[match.group(1).lower()]}"
    if match := ISO_DATE.match(text):
        return text
    if match := BARE_YEAR.match(text):
        return text
    return None


def _day_range(year: str, month: int, day: str, day_end: str | None) -> str:
    start = f"{year}-{month:02d}-{int(day):02d}"
    return f"{start}/{year}-{month:02d}-{int(day_end):02d}" if day_end else start


@lru_cache(maxsize=65536)
def is_date(text: str) -> bool:
    """A date more precise than a bare year (a day, month or season)."""
    if not DIGIT.search(text):
        return False
    stripped = UNDATED_LEAD.sub("", text.strip())
    return bool(stripped) and not BARE_YEAR.match(stripped.strip("()")) and to_edtf(text) is not None
