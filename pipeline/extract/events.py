"""Dated happenings narrated in the body: events, their participants and supporting footnotes.

An event is a clause whose predicate names a happening, dated by the narrative. The predicate is a verb or
verb phrase from vocab/event_verbs.yaml, an event noun from vocab/event_nouns.yaml that a date is attached
to, or any other finite past-tense verb after its subject that vocab/event_nonevent_verbs.yaml does not
call a state or a thought. Its date (``date_basis``):

- explicit / relative: a time expression in the predicate's clause picks its predicate (the event noun it
  is attached to, else the nearest predicate in its clause); predicates coordinated with that one ("gave
  it up and emigrated") share it. relative when that expression was resolved against another date.
- context: a clause with no date of its own takes the narrative's reference time, the last narrative date
  before it, carried over paragraph breaks until a new one is given (a new source document starts afresh);
  not a date that only ends a state ("Until 1990, Congress remained passive"), follows a modal in its own
  segment ("would be complete by 1988") or stands in a past-perfect reason clause ("because ... had").
  A clause that places itself "after" in words ("Soon", "With the
  Revolution") keeps an open-ended date from the reference time; one that places itself elsewhere ("On
  another occasion", "When ...") gets no date and no event: a wrong anchor is worse than a missed event.

Not events: negated, modal, habitual, conditional, infinitive or past-perfect predicates without their own
date, participle modifiers ("the papers published in 1950 were lost"; but "The directive, issued by Kennedy
in 1961," is dated), quoted words, what a document as subject says ("The report recommended";
event_documents.py), questions, titles over a period, clauses inside "that"-complements of
saying and thinking verbs, sentences about a plain decade or century (a range or a narrowed decade, "In the
mid-1970s", dates its own clause's predicate), and dates that only qualify a thing ("the 1941 borders").
Roles come from where linked mentions stand relative to the predicate; certainty from the author's hedges
in its clause (FactBank-style).
"""

from __future__ import annotations

import re
from collections import defaultdict

import polars as pl

from pipeline.extract.date_scan import ends_a_state
from pipeline.extract.event_clauses import (
    _ADVERB_CUE,
    _BETWEEN_BEFORE,
    _COORDINATED_DATES,
    _CUE_PATTERN,
    _DATELINE_PLACE,
    _DATELINE_TAIL,
    _EVENT_NOUN_TYPES,
    _HEDGE_PATTERN,
    _HEDGES,
    _RECOLLECTION_BEFORE,
    _REFERENCE_OPENING,
    _TIME_CUES,
    EVENT_TYPES,
    _clause_of,
    _inside_quotes,
    _is_predicate,
    _opening_end,
    _overlaps,
    _Sentence,
    _Trigger,
    _triggers,
    reported_before,
)
from pipeline.extract.event_dating import (
    _LOOK_BACK,
    _attached_noun,
    _caused_after,
    _coordinated,
    _dated_event_noun,
    _decade_by_its_verb,
    _eligible,
    _first_picks,
    _gerund_after,
    _in_other_time_expression,
    _main_after_opening_noun,
    _main_after_period_clause,
    _when_clause,
)
from pipeline.extract.event_participants import display_names, event_roles, label
from pipeline.package.schema import rows_to_frame

__all__ = ["EVENT_TYPES", "extract_events"]  # the event types are the vocabulary's (event_clauses)


def _certainty(text: str, trigger: _Trigger) -> tuple[str, str | None]:
    """The strongest hedge in the trigger's clause (FactBank: certain, probable, possible)."""
    start, end = _clause_of(text, trigger.start)
    cues = [m.group(0) for m in _HEDGE_PATTERN.finditer(text, start, end)]
    for level in ("probable", "possible"):
        cue = next((c for c in cues if _HEDGES[" ".join(c.lower().split())] == level), None)
        if cue:
            return level, cue
    return "certain", None


_QUALIFIED_PERIOD_BEFORE = re.compile(r"\b(?:covering|documenting|on|about|for|from)\s+$", re.I)


def _about_a_period(timex: dict, sentence: _Sentence) -> bool:
    """A decade or century the sentence talks about ("In the 1920s, officials conceded"): its undated clauses
    are no narrative at a point in time. Not one that only says what a thing covers ("the volumes covering
    the 1940s")."""
    if timex["precision"] not in ("decade", "century"):
        return False
    start = timex["char_start"] - sentence.row["char_start"]
    return _QUALIFIED_PERIOD_BEFORE.search(sentence.text, max(0, start - 16), start) is None


def _is_reference_time(timex: dict, sentence: _Sentence) -> bool:
    """A narrative date later clauses of the paragraph can take: dated, of year precision or finer, not an
    open "before/after" interval, not a date that only qualifies a thing, not inside reported words."""
    if not _eligible(timex, sentence.text) or timex["modifier"] in ("before", "after"):
        return False
    if any(t["precision"] in ("decade", "century") for t in sentence.times):
        return False  # a sentence about a period ("the goal of the 1960s by 1990") sets no narrative time
    if timex["date_earliest"] is None and timex["date_latest"] is None:
        return False
    start = timex["char_start"] - sentence.row["char_start"]
    if timex["usage"] == "attributive":
        noun = _attached_noun(sentence.text, start, timex["char_end"] - sentence.row["char_start"])
        if noun is None or _EVENT_NOUN_TYPES.get(noun[2]) == "correspondence":
            return False  # "referred him to the note of May 6": a cited paper, not the story's time
    if _is_period(timex, sentence.text[:start]) or _is_reference(sentence, start):
        return False
    if ends_a_state(sentence.text, start, timex["char_end"] - sentence.row["char_start"]):
        return False  # "Until 1990, Congress remained passive": the story is not there yet
    clause_start = _clause_of(sentence.text, start)[0]
    if "had" in sentence.text[clause_start:start] and _LOOK_BACK.search(sentence.text, clause_start, start):
        return False  # "because the planters had been able to block it in 1870": a look back
    segment = max(clause_start, sentence.text.rfind(",", 0, start), sentence.text.rfind(";", 0, start))
    if timex["usage"] != "attributive" and _MODAL_IN_CLAUSE.search(sentence.text, segment, start):
        return False  # "these volumes would be complete by the end of 1988": not yet the story's time
    if _RECOLLECTION_BEFORE.search(sentence.text, 0, start):
        return False  # "thinking of the 1936 crisis, the envoy lamented": the narrative stays where it was
    return reported_before(sentence.text, start) is None and not _inside_quotes(sentence.text, start)


def extract_events(
    sentences: pl.DataFrame, time_expressions: pl.DataFrame, mentions: pl.DataFrame, footnotes: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Events, event_participants and event_citations (event -> supporting footnote) for one document.

    Needs the sentences, time_expressions (from pipeline.extract.dates), mentions
    (pipeline.extract.entities) and footnotes tables of the same cleaned text; IDs are
    "<document_id>:e001" in text order.
    """
    by_sentence = {row["sentence_id"]: row for row in sentences.iter_rows(named=True)}
    body_mentions = mentions.filter(pl.col("sentence_id").is_not_null()).sort("char_start")
    mentions_by_sentence: dict[str, list[dict]] = {}
    for mention in body_mentions.iter_rows(named=True):
        mentions_by_sentence.setdefault(mention["sentence_id"], []).append(mention)
    names = display_names(body_mentions) if body_mentions.height else {}
    found = _find_events(sentences, time_expressions)
    events: list[dict] = []
    participants: list[dict] = []
    for number, (sentence, trigger, timex, basis, note) in enumerate(found, start=1):
        row, text, offset = sentence.row, sentence.text, sentence.row["char_start"]
        event = _event_row(sentence, trigger, timex, basis, note, number)
        rows = event_roles(event, mentions_by_sentence.get(row["sentence_id"], []), trigger, text, offset)
        agent = next((r["entity_id"] for r in rows if r["role"] == "agent"), None)
        event["label"] = label(text, trigger, names.get(agent) if agent else None)
        events.append(event)
        participants.extend(rows)
    citations = _supporting_notes(events, by_sentence, footnotes)
    return (
        rows_to_frame("events", events),
        rows_to_frame("event_participants", participants),
        rows_to_frame("event_citations", citations),
    )


_Found = tuple[_Sentence, _Trigger, dict, str, str | None]


def _find_events(sentences: pl.DataFrame, time_expressions: pl.DataFrame) -> list[_Found]:
    """Every (sentence, trigger, time expression, date basis, note) in text order."""
    times_by_sentence: dict[str, list[dict]] = {}
    for timex in time_expressions.sort("char_start").iter_rows(named=True):
        times_by_sentence.setdefault(timex["sentence_id"], []).append(timex)
    found: list[_Found] = []
    reference: dict | None = None
    carried: dict | None = None  # the last narrative date of an earlier paragraph
    paragraph: str | None = None
    source_document: str | None = None
    quoted = False
    for row in sentences.sort("char_start").iter_rows(named=True):
        if row.get("source_document_id") != source_document:  # a new letter or telegram: its own dates
            source_document, reference, carried = row.get("source_document_id"), None, None
        if row["paragraph_id"] != paragraph:  # the narrative's date carries over the paragraph break
            paragraph, quoted = row["paragraph_id"], False
            carried, reference = reference or carried, None
        text = _statement_part(row["text"] or "")
        triggers = _triggers(text)
        predicates = [
            t
            for t in triggers
            if not t.own_date_only and _is_predicate(text, t, generic=t.generic, quoted=quoted)
        ]
        sentence = _Sentence(row, text, triggers, predicates, quoted_start=quoted)
        quoted = _inside_quotes(text, len(text), quoted)
        sentence.times = [  # not a date of a question after the statement's colon
            t
            for t in times_by_sentence.get(row["sentence_id"], [])
            if t["char_end"] - row["char_start"] <= len(text)
        ]
        dateline = _dateline(sentence)
        if dateline is not None:
            end = dateline["char_end"] - row["char_start"]
            trigger = _Trigger(0, end, text[:end], "correspondence")
            basis = "relative" if dateline["is_relative"] else "explicit"
            found.append((sentence, trigger, dateline, basis, "dateline of a letter or telegram"))
            reference = dateline
            continue
        if text.rstrip().endswith("?") or _is_period_heading(text, sentence.times):
            reference = _last_reference(sentence, reference, len(text))
            continue
        found_here: list[tuple[_Trigger, dict, str, str | None]] = []
        dated_clauses: list[tuple[int, int]] = []
        picks, owners = _first_picks(sentence)
        for number, timex in enumerate(sentence.times):
            decade_noun = (
                None
                if _eligible(timex, text, dating=True)
                else _dated_event_noun(timex, sentence) or _decade_by_its_verb(timex, sentence)
            )
            if decade_noun is None and not _eligible(timex, text, dating=True):
                continue
            start = timex["char_start"] - row["char_start"]
            if _is_reference(sentence, start):  # "Your 2321, February 2, 9 p.m.": a cited telegram
                continue
            if number and _qualifies_with(sentence, sentence.times[number - 1], start):
                continue  # "the posture of the late 1970s and early 1980s": both qualify the posture
            previous = found_here[-1] if found_here else None
            between = text[previous[1]["char_end"] - row["char_start"] : start] if previous else ""
            if previous and _COORDINATED_DATES.fullmatch(between):
                if re.search(r"\bor\b", between):
                    continue  # "in late December 1869 or early January 1870": one happening, the first date
                trigger = previous[0]  # "In both 1906 and 1907, Congress refused": one event per date
            else:
                trigger = decade_noun or picks.get(number)
                if trigger is not None and owners.get(trigger.start, number) != number:
                    continue  # a closer date has its predicate: this one dates nothing else
                if trigger is None or _overlaps([f[0] for f in found_here], trigger.start, trigger.end):
                    continue  # one predicate, one date
            if not _dates_only_its_noun(sentence, trigger):
                dated_clauses.append(_clause_of(text, start))
            basis = "relative" if timex["is_relative"] else "explicit"
            found_here.append((trigger, timex, basis, None))
            for when in _when_clause(sentence, timex, trigger):  # before any later date can take it
                if not _overlaps([f[0] for f in found_here], when.start, when.end):
                    found_here.append((when, timex, basis, None))
        for trigger, timex, basis, _ in list(found_here):  # after all own dates: they beat shared ones
            main = _main_after_opening_noun(sentence, trigger) or _main_after_period_clause(
                sentence, timex, trigger
            )
            sharing = [trigger, *([main] if main else [])]
            for shared in list(sharing):
                sharing.extend(_coordinated(sentence, shared))
                sharing.extend(_gerund_after(sentence, shared))
                sharing.extend(_caused_after(sentence, shared))
            for shared in sharing[1:]:
                if not _overlaps([f[0] for f in found_here], shared.start, shared.end):
                    found_here.append((shared, timex, basis, None))
        found_here.extend(_context_events(sentence, found_here, dated_clauses, reference, carried))
        found.extend((sentence, *item) for item in sorted(found_here, key=lambda f: f[0].start))
        reference = _last_reference(sentence, reference, len(text))
    return found


def _qualifies_with(sentence: _Sentence, previous: dict, start: int) -> bool:
    """A date coordinated with one before it that only qualifies a thing (no event noun it dates)."""
    offset = sentence.row["char_start"]
    if previous["usage"] != "attributive" or not _COORDINATED_DATES.fullmatch(
        sentence.text[previous["char_end"] - offset : start]
    ):
        return False
    return (
        _attached_noun(sentence.text, previous["char_start"] - offset, previous["char_end"] - offset) is None
    )


_QUESTION_AFTER_COLON = re.compile(
    r":\s+[\"“]?(?=(?:should|would|could|can|will|is|are|was|were|do|does|did|what|how|why|whether|who|which)\b)",
    re.I,
)


def _statement_part(text: str) -> str:
    """The statement before a question it introduces ("Noble asked members ... two questions: should FRUS
    ...?" is a happening, the question after the colon is none); the whole text otherwise."""
    if not text.rstrip().endswith("?"):
        return text
    colon = _QUESTION_AFTER_COLON.search(text)
    return text[: colon.start()] if colon else text


def _is_period_heading(text: str, times: list[dict]) -> bool:
    """A title over a period ("Chapter 3: The Death and Resurrection of FRUS, 1868–1876"): no closing stop or
    colon, most of its longer words capitalised, and only spans for dates. It names a subject, not a
    happening; a document's title with its day ("Convention ..., Signed at London, February 10, 1925") is
    one."""
    if text.rstrip().endswith((".", "!", "?", ":", ".”", '."')) or not times:
        return False
    if any("/" not in (t["edtf"] or "/") for t in times):
        return False
    words = [w for w in re.findall(r"[A-Za-z’'-]+", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _is_period(timex: dict, before: str) -> bool:
    """ "between 1905 and the mid-1920s", found as one range or as its two ends, spans a period."""
    return timex["text"].lower().startswith("between") or _BETWEEN_BEFORE.search(before) is not None


def _is_reference(sentence: _Sentence, start: int) -> bool:
    """A date in the reference that opens a telegram ("Your 2321, February 2, 9 p.m.", "Referring to your
    telegram April 25", "Stevens's telegram of May 21"): it cites a message, it narrates nothing new."""
    if not _REFERENCE_OPENING.match(sentence.text):
        return False
    return not any(t.start < start for t in sentence.predicates)


_OBJECT_DETERMINER = re.compile(
    r"\s+(?:(?:your|my|our|his|her|their|the|a|an|this|that|[A-Z][\w.]*[’']s)\s+)?(?:[a-z]+\s+)?"
)
_TEMPORAL_PREPOSITION_BEFORE = re.compile(  # the date inside may hold a comma: "a February 11, 1986 meeting"
    r"\b(?i:before|after|until|till|since|following|ahead\s+of|in\s+advance\s+of|prior\s+to)\s+"
    r"(?:[^,;:()]|,(?=\s*\d))*$"
)


def _dates_only_its_noun(sentence: _Sentence, trigger: _Trigger) -> bool:
    """A dated noun whose date leaves the clause's verb undated, so that the verb takes the reference time:
    a message named as a verb's object ("Have received your telegram December 16", "Just received telegram
    dated January 31"), and a happening the clause is only placed before or after ("In advance of a
    February 11, 1986 meeting, the office honed its strategy", "scrambled ... before the 1987 meeting")."""
    if not trigger.is_noun:
        return False
    text = sentence.text
    if trigger.event_type == "correspondence" and any(
        _OBJECT_DETERMINER.fullmatch(text, p.end, trigger.start) for p in sentence.predicates
    ):
        return True
    if trigger.event_type in _DOCUMENT_EVENT_TYPES:
        return False  # "after his 1922 memorandum, he stated": what the document said
    before = _TEMPORAL_PREPOSITION_BEFORE.search(text, max(0, trigger.start - 80), trigger.start)
    return before is not None and not any(
        before.start() < p.start < trigger.start for p in sentence.predicates
    )


_DOCUMENT_EVENT_TYPES = frozenset({"correspondence", "publication", "statement"})


def _dateline(sentence: _Sentence) -> dict | None:
    """The date of a dateline, a paragraph that is only a place and a date with its hour ("[Telegram]
    Washington, March 30, 1918, 4 p.m. [Received ...]", "April 27, 2 p.m."): the letter or telegram under
    it was written or sent then. Dates inside the bracketed notes after it (receipt) are not its date."""
    if not sentence.times or sentence.times[0]["precision"] != "day":
        return None
    timex, offset = sentence.times[0], sentence.row["char_start"]
    before = sentence.text[: timex["char_start"] - offset]
    after = sentence.text[timex["char_end"] - offset :]
    if _DATELINE_PLACE.fullmatch(before) and _DATELINE_TAIL.fullmatch(after):
        return timex
    return None


def _context_events(
    sentence: _Sentence,
    found_here: list[tuple[_Trigger, dict, str, str | None]],
    dated_clauses: list[tuple[int, int]],
    reference: dict | None,
    carried: dict | None = None,
) -> list[tuple[_Trigger, dict, str, str | None]]:
    """Undated clauses take the reference time current where they stand (see the module docstring): the
    paragraph's last narrative date before them, else the one carried from an earlier paragraph."""
    text = sentence.text
    if any(_about_a_period(t, sentence) for t in sentence.times):
        return []
    used = [f[0] for f in found_here]
    out: list[tuple[_Trigger, dict, str, str | None]] = []
    opening = _dated_time_clause(sentence)
    for trigger in sentence.predicates:
        if _overlaps(used, trigger.start, trigger.end):
            continue
        clause = _clause_of(text, trigger.start)
        if any(clause[0] <= start < clause[1] for start, _ in dated_clauses):
            continue
        anchor = _last_reference(sentence, reference, trigger.start)
        if reported_before(text, trigger.start) or _in_other_time_expression(sentence, trigger, None):
            continue  # reported words; "the day after the courier landed": part of a date
        if _in_background_opening(text, trigger.start):
            continue  # "Although many hoped ... after the war ended,": background to the main clause
        main_of_dated = opening is not None and trigger.start >= opening[0]
        cue = (
            _CUE_PATTERN.match(text, clause[0], trigger.start)
            or (None if main_of_dated else _CUE_PATTERN.match(text, 0, trigger.start))
            or _ADVERB_CUE.search(text, clause[0], trigger.start)
        )
        placement = _TIME_CUES[" ".join(cue.group(1).lower().split())] if cue else "same"
        if cue and _OWN_ACT_AFTER.match(text, cue.end(1)):
            placement = "after"  # "After meeting with Perkins, Spiers decided": his own act, right after
        if main_of_dated and opening is not None and opening[1] in _AFTER_OPENERS:
            placement = "after"  # "After the armistice of November 1918, he returned": from that date on
        note_source = "of the paragraph"
        if anchor is None:
            anchor, note_source = carried, "carried from an earlier paragraph"
        if placement == "unknown" or anchor is None:
            continue
        note = f"reference time {note_source}: {anchor['text']!r}"
        if placement == "after":
            if anchor["date_earliest"] is None:
                continue
            said = cue.group(1).strip() if cue else (opening[1] if opening else "after")
            note = f"after the reference time {anchor['text']!r} ({said!r}); open end"
        out.append((trigger, anchor, "context", note))
        used.append(trigger)
    return out


_MODAL_IN_CLAUSE = re.compile(r"\b(?:will|would|shall|could|should|might|must)\b", re.I)
_OWN_ACT_AFTER = re.compile(r"(?<=after)\s+[a-z]{2,}ing\b(?=[^,;]*,)", re.I)
_TIME_OPENERS = frozenset({"when", "after", "once", "as", "while", "before"})
_AFTER_OPENERS = frozenset({"after", "once"})


_BACKGROUND_OPENING = re.compile(r"^\W*(?:although|though|despite|because|if|unless|whether)\b[^,;:]*,", re.I)


def _in_background_opening(text: str, position: int) -> bool:
    """Inside an opening concessive, causal or conditional clause; such an opener does not place the main
    clause in time, so the main clause is dated as if it were not there."""
    opening = _BACKGROUND_OPENING.match(text)
    return opening is not None and position < opening.end()


def _dated_time_clause(sentence: _Sentence) -> tuple[int, str] | None:
    """(end, opener) of an opening time clause that has a narrative date of its own ("When the treaty was
    signed in May 1918, ..."): it dates its own clause, and the main clause takes that date as its
    reference (from it on, for "After ..."). An undated one places the sentence nowhere we know."""
    opening = _opening_end(sentence.text)
    if opening is None:
        return None
    opener = sentence.text[:opening].lstrip(" \"“'(").split()[0].lower().rstrip(",")
    if opener not in _TIME_OPENERS:
        return None
    offset = sentence.row["char_start"]
    dated = any(
        t["char_start"] - offset < opening and _is_reference_time(t, sentence) for t in sentence.times
    )
    return (opening, opener) if dated else None


def _last_reference(sentence: _Sentence, reference: dict | None, before: int) -> dict | None:
    """The reference time after the sentence's own narrative dates that stand before a position."""
    for timex in sentence.times:
        if timex["char_start"] - sentence.row["char_start"] < before and _is_reference_time(timex, sentence):
            reference = timex
    return reference


def _open_end(timex: dict) -> str:
    first = timex["edtf"].split("/")[0].rstrip("~")
    return f"{first}/.."


def _event_row(
    sentence: _Sentence, trigger: _Trigger, timex: dict, basis: str, note: str | None, number: int
) -> dict:
    offset = sentence.row["char_start"]
    certainty, cue = _certainty(sentence.text, trigger)
    own_date = basis != "context"
    after = note is not None and note.startswith("after")
    start, end = offset + trigger.start, offset + trigger.end
    if own_date:
        start, end = min(start, timex["char_start"]), max(end, timex["char_end"])
    return {
        "event_id": f"{sentence.row['document_id']}:e{number:03d}",
        "document_id": sentence.row["document_id"],
        "sentence_id": sentence.row["sentence_id"],
        "char_start": start,
        "char_end": end,
        "event_type": trigger.event_type,
        "trigger": trigger.text,
        "label": None,
        "time_expression_id": timex["time_expression_id"],
        "date_basis": basis,
        "date_note": note,
        "date_text": timex["text"],
        "edtf": _open_end(timex) if after else timex["edtf"],
        "date_earliest": timex["date_earliest"],
        "date_latest": None if after else timex["date_latest"],
        "precision": timex["precision"],
        "certainty": certainty,
        "certainty_cue": cue,
    }


def _supporting_notes(
    events: list[dict], by_sentence: dict[str, dict], footnotes: pl.DataFrame
) -> list[dict]:
    """The note whose marker is in the event's sentence, else the next marker later in the same paragraph."""
    notes = footnotes.filter(pl.col("sentence_id").is_not_null()).sort("marker_offset").to_dicts()
    # Grouped once (in marker order), so a long paper's events do not each scan all its notes.
    notes_in_sentence: dict[str, list[dict]] = defaultdict(list)
    notes_in_paragraph: dict[str, list[dict]] = defaultdict(list)
    for note in notes:
        notes_in_sentence[note["sentence_id"]].append(note)
        notes_in_paragraph[note["paragraph_id"]].append(note)
    rows = []
    for event in events:
        sentence = by_sentence[event["sentence_id"]]
        own = notes_in_sentence.get(sentence["sentence_id"], [])
        rule = "marker_in_sentence"
        if not own:
            rule = "next_marker_in_paragraph"
            later = [
                n
                for n in notes_in_paragraph.get(sentence["paragraph_id"], [])
                if n["marker_offset"] >= sentence["char_end"]
            ]
            own = later[:1]
        rows.extend(
            {
                "event_id": event["event_id"],
                "document_id": event["document_id"],
                "footnote_id": note["footnote_id"],
                "link_rule": rule,
            }
            for note in own
        )
    return rows
