"""Footnote markers printed as plain digits: OCR that lost the superscript ("was signed.3 The treaty").

Many OCR engines and PDF text layers print a superscript marker as an ordinary digit run glued to the word
or punctuation before it. Read blindly, every such digit would be a marker ("No.3", "B52", "1.5 million")
and a paper that prints its markers so would lose all its notes to the body. So this pass reads plain
markers only in a paper that prints no marker in any other style, and only with evidence on both sides: the
note reader (``footnotes``) picks the notes as for printed markers, every candidate digit run offered as a
marker, and a digit run is a marker when a note below answers it, in the notes' order. The markers
taken are rewritten as superscript digits, one character for one, so the rest of the text layer reads
them as it reads printed superscripts and every offset into the source stays true. A paper with a marker
of another style, or in which no plain marker is answered by a note, is returned unchanged.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.text.footnotes import find_note_lines, match_note_line, note_extent
from pipeline.text.inline import MARKER_PATTERNS
from pipeline.text.months import MONTHS_AS_PRINTED

TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# What may stand right after a marker: a space, punctuation, a dash, emphasis or the line's end.
AFTER_MARKER = r"(?=[\s,;:.)\]*_—–”’\"]|$)"
# A digit run glued to the letter, closing quote or bracket, emphasis, punctuation or ellipsis before it:
# "signed.3 The", "Paris,12 and", "*Aide-Mémoire*6", "p.m.8", "vote …2".
PLAIN_MARKER = re.compile(r"(?<=[^\W\d_]|[.,;:!?)\]”’\"'*_…])(\d{1,3})" + AFTER_MARKER)
# After a number and a full stop a digit run is a decimal ("1.5 million"), unless a sentence starts after
# it ("of April 27.9 I have"), and even then it may be a file number ("183.9 Brazil"): a glued reading. After
# a number and a comma, three digits are a thousands group ("5,001"); after a colon, minutes ("5:45").
AFTER_NUMBER_STOP = re.compile(r"\d\.$")
AFTER_NUMBER_COMMA = re.compile(r"\d,$")
AFTER_NUMBER_COLON = re.compile(r"\d:$")
ADDRESS = re.compile(r"/|www|http|@")
CODE = re.compile(r"(?<![^\W\d_])[A-Z]{1,2}$")
INSIDE_CODE = re.compile(r"[.,:;][^\W_]")  # "C.4.M.4.1931.IX": a code goes on after the punctuation
# An emphasis mark that opens a run ("*2. Imports*") is no word for a marker to follow.
OPENING_EMPHASIS = re.compile(r"(?:^|\s)[*_]+$")
SENTENCE_START = re.compile(r"\s+[\"“‘(\[*_]*[A-Z]|\s*$")
# A marker glued to a number: a year ("1917" + "7" printed "19177") or the day after a month's name
# ("August 18" + "7" printed "August 187", "December 7" + "2" printed "December 72": days no month
# has). The run may split more than one way; the
# note reader decides which, if any, a note answers.
YEAR = re.compile(r"1[0-9]{3}|20[0-9]{2}")
GLUED_YEAR = re.compile(r"(?<![\w.,/–-])(" + YEAR.pattern + r")([1-9]\d?)" + AFTER_MARKER)
MONTH_DAY = re.compile(
    r"\b(?:" + "|".join(re.escape(name) for name in sorted(MONTHS_AS_PRINTED, key=len, reverse=True)) + r")"
    r" (\d{2,4})" + AFTER_MARKER
)


class Candidate(NamedTuple):
    """A digit run that may be a marker: the note it would call, its column, and whether it is glued to a
    number (the less certain reading)."""

    number: int
    column: int
    glued: bool


def _glued(line: str) -> list[Candidate]:
    """Markers a year or a month's day may carry."""
    found = [Candidate(int(match.group(2)), match.start(2), True) for match in GLUED_YEAR.finditer(line)]
    for match in MONTH_DAY.finditer(line):
        run = match.group(1)
        if (len(run) == 2 and int(run) <= 31) or YEAR.fullmatch(run):
            continue  # a day ("May 17") or a year ("March 1981"), whatever marker it may hide
        for cut in (1, 2):
            day, marker = run[:cut], run[cut:]
            if 1 <= int(day) <= 31 and marker[0] != "0" and len(marker) <= 2:
                found.append(Candidate(int(marker), match.start(1) + cut, True))
    return found


def _prints_other_markers(lines: list[str], start: int) -> bool:
    return any(pattern.search(line) for line in lines[start:] for _, pattern in MARKER_PATTERNS)


def _candidates(line: str) -> list[Candidate]:
    """Each digit run in a line that could be a plain marker, in column order. Not in a web address or a
    file number ("9005NOTE1.cfm", "811.34512/68"), nor in a code ("p. A22", "B52", "C.4.M.4.1931.IX")."""
    found = _glued(line)
    for match in PLAIN_MARKER.finditer(line):
        before, after = line[: match.start()], line[match.end() :]
        digits = match.group(1)
        if ADDRESS.search(_token(line, match.start())) or CODE.search(before) or INSIDE_CODE.match(after):
            continue
        after_number = bool(AFTER_NUMBER_STOP.search(before))
        decimal = after_number and not SENTENCE_START.match(after)
        thousands = AFTER_NUMBER_COMMA.search(before) and len(digits) == 3
        minutes = AFTER_NUMBER_COLON.search(before)
        if digits[0] == "0" or decimal or thousands or minutes or OPENING_EMPHASIS.search(before):
            continue
        found.append(Candidate(int(digits), match.start(), after_number))
    return sorted(found, key=lambda candidate: candidate.column)


def _token(line: str, column: int) -> str:
    start = line.rfind(" ", 0, column) + 1
    end = line.find(" ", column)
    return line[start : end if end >= 0 else len(line)]


def _line_candidates(lines: list[str], start: int) -> dict[int, list[Candidate]]:
    """Candidates by line; on a note-shaped line, after its label (as the note reader reads markers). A
    number higher than any note label ("9:720") calls no note, and would make a note line look like body."""
    shapes = {index: match_note_line(lines[index]) for index in range(start, len(lines))}
    highest = max((shape[0] for shape in shapes.values() if shape), default=0)
    found: dict[int, list[Candidate]] = {}
    for index, shape in shapes.items():
        offset = len(lines[index]) - len(shape[2]) if shape else 0
        candidates = [
            candidate._replace(column=offset + candidate.column)
            for candidate in _candidates(lines[index][offset:])
            if candidate.number <= highest
        ]
        if candidates:
            found[index] = candidates
    return found


def _calls(candidates: dict[int, list[Candidate]]) -> dict[int, list[int]]:
    """The note numbers each line calls, for the note reader. A number no digit run gives before the next
    number's first call (its marker glued beyond reading, "No. 25" + "1") is taken as called where the
    number before it is first called (note 1: on the first line that calls any), so that its note is read,
    and reported as a note without a marker, rather than ending its page or hiding every note."""
    calls = {index: [candidate.number for candidate in found] for index, found in candidates.items()}
    first_line: dict[int, int] = {}
    for index in sorted(calls):
        for number in calls[index]:
            first_line.setdefault(number, index)
    if not first_line:
        return calls
    last_line = max(calls)
    for number in range(1, max(first_line)):
        earlier = first_line.get(number - 1, min(calls)) if number > 1 else min(calls)
        if (number == 1 or number - 1 in first_line) and first_line.get(
            number, last_line + 1
        ) > first_line.get(number + 1, last_line):
            first_line[number] = earlier
            calls[earlier].append(number)
    return calls


class PlainMarkers(NamedTuple):
    """The lines with their plain markers printed as superscripts, whether any was found, and by line the
    notes taken as called there whose marker is glued beyond reading (for the note reader)."""

    lines: list[str]
    found: bool
    unread: dict[int, list[int]]


def plain_marker_positions(
    lines: list[str], start: int
) -> tuple[list[tuple[int, int, int]], dict[int, list[int]]]:
    """(line index, column, width) of each plain marker of ``lines[start:]`` that a note answers, and by
    line the notes read whose marker could not be (taken as called at the marker before theirs).

    A paper that numbers its notes afresh on every page is read page by page: after the notes read, the
    reading starts again, and a page whose notes start at 1 again gives its markers too (``note_pages``
    then numbers them on). A marker that cannot be read is only allowed for on the first run.
    """
    taken, unread, end = _read_run(lines, start)
    while end is not None:
        more, _, end = _read_run(lines, end + 1)
        taken += more
    return taken, unread


def _read_run(
    lines: list[str], start: int
) -> tuple[list[tuple[int, int, int]], dict[int, list[int]], int | None]:
    """The markers and unread notes of one run of notes numbered from 1, and the run's last note line.

    Every candidate digit run is offered to the note reader as a marker; it picks the notes on the evidence
    of their page as it does for printed superscripts. Then each note, in order, takes a candidate calling
    its number after the previous note's marker and above the note, outside the notes: the first one not
    glued to a number, else the first glued one.
    """
    candidates = _line_candidates(lines, start)
    if not candidates:
        return [], {}, None
    notes, _ = find_note_lines(lines, start, _calls(candidates))
    firsts = {note.line for note in notes}
    in_notes = {index for note in notes for index in note_extent(lines, note, firsts)}
    ordered = [
        (index, candidate)
        for index in sorted(candidates)
        if index not in in_notes
        for candidate in candidates[index]
    ]
    taken: list[tuple[int, int, int]] = []
    unread: dict[int, list[int]] = {}
    position, last_line = 0, min(candidates)
    for note in notes:
        calling = [
            (candidate.glued, at)
            for at in range(position, len(ordered))
            if ordered[at][0] < note.line and (candidate := ordered[at][1]).number == note.number
        ]
        if not calling:
            unread.setdefault(last_line, []).append(note.number)
            continue
        at = min(calling)[1]
        last_line, candidate = ordered[at]
        taken.append((last_line, candidate.column, len(str(candidate.number))))
        position = at + 1
    # Notes start at 1, and most have their marker: else the digits are a table's or a list's, not notes'.
    if not notes or notes[0].number != 1 or 2 * len(taken) < len(notes):
        return [], {}, None
    return taken, unread, max(in_notes)


def read_plain_markers(lines: list[str], start: int) -> PlainMarkers:
    """``lines`` with their plain markers printed as superscripts (unchanged in a paper that prints any
    marker in another style, or none that a note answers)."""
    if _prints_other_markers(lines, start):
        return PlainMarkers(lines, False, {})
    positions, unread = plain_marker_positions(lines, start)
    if not positions:
        return PlainMarkers(lines, False, {})
    out = list(lines)
    for index, column, width in positions:
        line, end = out[index], column + width
        out[index] = line[:column] + line[column:end].translate(TO_SUPERSCRIPT) + line[end:]
    return PlainMarkers(out, True, unread)
