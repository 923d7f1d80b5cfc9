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
from datetime import date

import polars as pl

from pipeline.extract import date_deictic
from pipeline.extract.date_ranges import join_ranges
from pipeline.extract.date_relative import _relative
from pipeline.extract.date_scan import (
    DEICTIC_RELATIVE,
    EVENT_NOUNS,
    RELATIVE_KINDS,
    Found,
    ends_a_state,
    scan,
    usage_of,
)
from pipeline.extract.date_values import (
    SEASONS,
    Value,
    _absolute,
    _day_value,
    _month_value,
    _season_value,
    _year_value,
    apply_modifier,
    old_style_date,
)
from pipeline.extract.timex3 import timex3_value
from pipeline.package.schema import rows_to_frame
from pipeline.text.months import MONTHS_AS_PRINTED as MONTHS


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


_PAST_PERFECT = re.compile(r"\bhad\s+(?:[a-z]+ly\s+)?(?:been\s+)?[a-z]+(?:ed|en|wn|ne|ht|de)\b")


def _is_anchor(found: Found, text: str, value: Value) -> bool:
    """Narrative dates of year precision or finer anchor; periods, open intervals and attributes do not."""
    if found.kind == "relative_then" or found.modifier in ("before", "after"):
        return False
    if value.precision in ("decade", "century"):
        return False
    if ends_a_state(text, found.start, found.end):
        return False
    clause = re.split(r"[;:,(]", text[: found.start])[-1]
    if _PAST_PERFECT.search(clause):
        return False  # "since the guild had managed to stop the bill in 1911": a look back, not the story's
    if found.usage == "adverbial":
        return True
    _, noun = usage_of(text, found.start, found.end)
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
        scanned = scan(text)
        sentence_start = len(rows)
        said: tuple[str, Value, str] | None = None  # the sentence's last resolved expression
        for position, found in enumerate(scanned):
            row = _row(sentence, found, len(rows) + 1)
            following = scanned[position + 1 : position + 2]
            shared = _shared_year(text, found, following) or _said_year(
                text, found, following, _deictic_reference(fallback, anchors)
            )
            if found.kind in date_deictic.KINDS:
                reference = _deictic_reference(  # "the day", a clock time: the last day the story named
                    fallback,  # ("London, November 27, 1918. [Received 7:40 p.m.]")
                    anchors,
                    narrative=found.kind == "clock"
                    or (found.match.group("core") or "").startswith("the day"),
                )
                _fill_deictic(row, found, text, reference)
                resolved = _resolved_value(row)
                # a day counted from the reference ("Monday", "yesterday") carries the narrative; "last year"
                # names the speaker's time, not the story's, so it anchors nothing
                if (
                    resolved is not None
                    and resolved.precision == "day"
                    and found.kind in DEICTIC_RELATIVE
                    and _is_anchor(found, text, resolved)
                ):
                    anchors.append((index, row["time_expression_id"], resolved))
                    deictic_ids.add(row["time_expression_id"])
            elif shared is not None:  # "in May and August 1987": May takes 1987
                value, _ = _relative(found, shared[1])
                _fill(row, apply_modifier(value, found.modifier))
                row["resolution_note"] = f"year of {shared[0]!r}, the date it is coordinated with"
            elif found.kind in RELATIVE_KINDS:
                anchor = (
                    _event_anchor(found, texts[:index], anchors) if found.kind == "relative_event" else None
                )
                if found.kind == "relative_same" and found.match.group("back") and said:
                    anchor = said  # "fell in January, against the same month a year ago": that January
                speech = _speech_time(found, text, fallback, anchors, deictic_ids)
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
                elif speech is not None and resolved is not None and resolved.precision == "day":
                    # "arrives on November 11, three days later than planned": the next dates count from it
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
                    if span is None and fallback is not None and value == fallback:
                        # a news story's dateline: speech time, not the story's (but a letter's dateline
                        # in a collection is followed by "(Received June 2.)", after it, in past tense)
                        deictic_ids.add(row["time_expression_id"])
            if anchors and anchors[-1][1] == row["time_expression_id"] and _quoted(text, found.start, opened):
                anchors.pop()  # a date in quoted words does not set the narrative's time
            rows.append(row)
            value_said = _resolved_value(row)
            if value_said is not None:
                said = (row["time_expression_id"], value_said, repr(row["text"]))
        _date_clock_times(rows[sentence_start:])
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
    precision, else the narrative's last date of day precision; "the day" (narrative) the other way round,
    taking the last day the narrative named even when a month or year was named after it."""
    if narrative:  # "ending the day at 8,017" after "on Friday ... jobs lost in March": that Friday
        day = next((a[2] for a in reversed(anchors) if a[2].precision == "day"), None)
        if day is not None:
            return day.earliest
    if fallback is not None and fallback.precision == "day":
        return fallback.earliest
    if anchors and anchors[-1][2].precision == "day":
        return anchors[-1][2].earliest
    return None


def _speech_time(
    found: Found,
    text: str,
    fallback: Value | None,
    anchors: list[tuple[int, str, Value]],
    deictic_ids: set[str],
) -> date | None:
    """The reference date a bare month or day counts from by tense, when the narrative has no date of its
    own yet (or only ones counted from the reference, such as the dateline), or when its clause speaks of
    the future ("will arrive on November 11": from the speaker's date, whatever the story last dated):
    None where a narrative anchor decides instead."""
    if found.kind not in ("month_alone", "season_alone", "day_month", "month_day") or fallback is None:
        return None
    if fallback.precision not in ("day", "month"):
        return None
    if fallback.precision == "day" and date_deictic.future_before(text, found.start):
        return fallback.latest
    # in a dispatch dated to the day, a narrative year ("launched in 2003") does not take its months away
    narrative_decides = (
        fallback.precision != "day" or anchors[-1][2].precision != "year" if anchors else False
    )
    if anchors and anchors[-1][1] not in deictic_ids and narrative_decides:
        return None
    return fallback.latest if fallback.precision == "day" else fallback.earliest


def _fill_bare_month(row: dict, found: Found, text: str, reference: date) -> None:
    direction = date_deictic.tense(text, found.start, found.end)
    groups = found.match.groupdict()
    if found.kind == "season_alone":  # by its middle month: "rose in the spring" said in April is this one
        season = groups["season"].lower()
        middle = (SEASONS[season][1] + 1 - 1) % 12 + 1
        year = date_deictic.month_near(reference, middle, direction) - (season == "winter")
        _fill(row, apply_modifier(_season_value(year, season), found.modifier))
        row["resolution_note"] = f"the season {direction} by the tense of its clause, from the document date"
        return
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


def _fill_deictic(row: dict, found: Found, text: str, reference: date | None) -> None:
    """Resolve a deictic expression (date_deictic) into the row, with its modifier where it has bounds."""
    direction = date_deictic.tense(text, found.start, found.end)
    try:
        resolved = date_deictic.resolve(found.kind, found.match.groupdict(), reference, direction)
    except ValueError as error:
        row["resolution_note"] = f"unresolved: {error}"
        return
    row["resolution_note"] = resolved.note
    row["is_relative"] = found.kind in DEICTIC_RELATIVE or (
        found.kind == "quarter" and not found.match.group("qy")
    )
    if resolved.edtf is not None and resolved.precision is not None:
        value = Value(resolved.edtf, resolved.earliest, resolved.latest, resolved.precision)
        narrowable = found.modifier not in ("early", "mid", "late") or value.precision in ("year", "month")
        if found.modifier != "none" and narrowable:
            value = apply_modifier(value, found.modifier)
        _fill(row, value)
    row["timex3_value"] = resolved.timex3 or row["timex3_value"]


def _shared_year(text: str, found: Found, following: list[Found]) -> tuple[str, Value] | None:
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


def _date_clock_times(rows: list[dict]) -> None:
    """A clock time takes the day its sentence names nearest to it ("first flight Tuesday ... at 18:00
    UTC", "at 16:15 UTC, June 1st"), not the reference date."""
    clocks = [r for r in rows if r["expression_type"] == "clock" and r["timex3_value"]]
    days = [
        r
        for r in rows
        if r["expression_type"] != "clock"
        and r["precision"] == "day"
        and r["date_earliest"] == r["date_latest"]
    ]
    for clock in clocks:
        nearest = min(days, key=lambda r: abs(r["char_start"] - clock["char_start"]), default=None)
        if nearest is None or nearest["date_earliest"] is None:
            continue
        day = nearest["date_earliest"]
        clock.update(edtf=day.isoformat(), date_earliest=day, date_latest=day)
        clock["timex3_value"] = day.isoformat() + clock["timex3_value"][10:]
        clock["resolution_note"] = f"a time of the day named beside it ({nearest['text']!r})"


def _said_year(
    text: str, found: Found, following: list[Found], reference: date | None
) -> tuple[str, Value] | None:
    """The year a bare month names with "of next year", "of last year" ("after October of next year"), or a
    month and day with ", last year" ("note of August 15, last year")."""
    if found.kind not in ("month_alone", "month_day", "day_month") or not following or reference is None:
        return None
    after = following[0]
    if after.kind != "deictic_unit" or (after.match.group("what") or "").lower() != "year":
        return None
    if not re.fullmatch(
        r"\s+of\s+" if found.kind == "month_alone" else r",\s*", text[found.end : after.start]
    ):
        return None  # "October of next year", "his note of August 15, last year"
    said = date_deictic.resolve(after.kind, after.match.groupdict(), reference, "present")
    return (after.match.group(0), _year_value(said.earliest.year)) if said.earliest else None


def _resolved_value(row: dict) -> Value | None:
    """A resolved relative expression as a value that can anchor later ones (both bounds known)."""
    if row["edtf"] is None or row["date_earliest"] is None or row["date_latest"] is None:
        return None
    return Value(row["edtf"], row["date_earliest"], row["date_latest"], row["precision"])


def _event_anchor(
    found: Found, earlier: list[str], anchors: list[tuple[int, str, Value]]
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


def _row(sentence: dict, found: Found, number: int) -> dict:
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
        "is_relative": found.kind in RELATIVE_KINDS,
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


def _resolve(row: dict, found: Found, anchor: tuple | None, fallback: Value | None) -> None:
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
    if found.kind == "year_end" and value.latest is not None:  # TimeML: the year, its end a modifier
        row["timex3_value"] = f"{value.latest.year:04d}"
    row["anchor_time_expression_id"] = anchor_id
    row["resolution_note"] = note if anchor_id else f"{note} (the document date)"
