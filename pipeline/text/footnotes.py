"""Footnote blocks: tell note lines from body lines, and pair notes with their markers.

OCR puts each page's notes at the page bottom, in several styles ("- 1 text", "10 text", "[1] text",
"1) text", "1. text", "[^1]: text"; not "(1) text", far more often a clause's label than a note's). A line
that looks like a note is only taken for one on the evidence of its page: it continues the note numbering
and answers a marker printed on the same page. This keeps numbered paragraphs, articles, telegram numbers
and years at a line start ("1944 was ...") in the body.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from pipeline.text.inline import SUPERSCRIPT_DIGITS

NOTE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("caret_bracket", re.compile(r"^\s*\[\^(\d{1,4})\]:\s*(\S.*)$")),
    # The space after a dash may be lost ("-12 text"); "*1." with no space is emphasis, not a bullet.
    ("dash_number", re.compile(r"^\s*(?:[-*•]\s+|-)(\d{1,4})\.?\s+(\S.*)$")),
    ("bracket", re.compile(r"^\s*\[(\d{1,4})\]\s+(\S.*)$")),
    ("number_paren", re.compile(r"^\s*(\d{1,4})\)\s+(\S.*)$")),
    ("number_dot", re.compile(r"^\s*(\d{1,4})\.\s+(\S.*)$")),
    ("number", re.compile(r"^\s*(\d{1,4})\s+(\S.*)$")),
    ("superscript", re.compile(r"^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4})\s*(\S.*)$")),
]
# A bare number before a time of day is a wrapped line's clock time ("received May 9, | 2 a.m."), no label.
CLOCK_TIME = re.compile(r"(?:[ap]\.\s?m\.|[AP]\.\s?M\.|o['’]clock)(?!\w)")
NOTES_HEADING = re.compile(
    r"^\s*(#{1,6}\s*)?[*_]*\s*(notes|endnotes|footnotes)\s*[*_]*\s*:?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class NoteLine:
    """The first line of a note: its number, numbering style and text after the label."""

    line: int  # 0-based index into the document's lines
    number: int
    style: str
    text: str


def match_note_line(line: str) -> tuple[int, str, str] | None:
    """If ``line`` is shaped like a note's first line, return (number, style, text after the label)."""
    for style, pattern in NOTE_PATTERNS:
        match = pattern.match(line)
        if match:
            if style == "number" and CLOCK_TIME.match(match.group(2)):
                return None
            return int(match.group(1).translate(SUPERSCRIPT_DIGITS)), style, match.group(2)
    return None


def line_blocks(lines: list[str], start: int) -> list[list[int]]:
    """Blank-line separated blocks of ``lines[start:]``, as lists of line indexes."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for index in range(start, len(lines)):
        if lines[index].strip():
            current.append(index)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


# The end of a sentence or a closing bracket, not an abbreviation's full stop ("Sept.", "pp."): a line
# ending otherwise goes on on the next line.
SENTENCE_END = re.compile(r"[.!?:;)\]\"”’*]\s*$")
ABBREVIATION_END = re.compile(r"(?:^|[\s(])[A-Za-z]{1,4}\.\s*$")
# Note styles that are one label with or without its bullet (OCR keeps or loses the dash).
STYLE_FAMILY = {"dash_number": "number", "number": "number"}


def paper_note_styles(lines: list[str], blocks: list[list[int]]) -> set[str]:
    """The note styles a paper shows in blocks of two or more consecutive, consecutively numbered notes.

    Numbered paragraphs stand in blocks of their own; a page's notes are printed one under the other.
    """
    styles: set[str] = set()
    for block in blocks:
        shapes = [match_note_line(lines[index]) for index in block]
        for first, second in itertools.pairwise(shapes):
            if first and second and second[0] == first[0] + 1 and first[1] == second[1]:
                styles.add(STYLE_FAMILY.get(first[1], first[1]))
    return styles


def _foot_further_down(
    note: NoteLine, following: tuple[int, str, str] | None, paper_styles: set[str]
) -> bool:
    """Whether the block right after a note-shaped line gives the same number in another label style that
    is the notes' (the paper's, or when the paper shows none, a label without the full stop a numbered
    paragraph takes): then that block is the page's notes and this line is body."""
    if following is None or following[0] != note.number or following[1] == note.style:
        return False
    style = STYLE_FAMILY.get(following[1], following[1])
    return style in paper_styles if paper_styles else following[1] != "number_dot"


def _stops_mid_sentence(line: str) -> bool:
    return not SENTENCE_END.search(line) or bool(ABBREVIATION_END.search(line))


def _rejection(
    note: NoteLine, last: int, called: set[int], line_markers: dict[int, list[int]], lost: frozenset[int]
) -> str | None:
    """Why a note-shaped line is not a note, or None when it is.

    Notes continue the paper's note numbering and answer markers printed above them (on their page, or
    at the foot of the page before when a note runs over). A line that calls a note still to come is body
    text that happens to start with a number (a numbered paragraph or telegram).
    """
    if note.number <= last:
        return f"its number {note.number} does not continue the notes (last note {last})"
    skipped = [n for n in range(last + 1, note.number) if n in called and n not in lost]
    if skipped:
        return f"its number {note.number} skips note {skipped[0]}, which a marker above calls"
    if note.number not in called:
        return f"no marker above calls note {note.number}"
    ahead = sorted(m for m in line_markers.get(note.line, ()) if m > note.number)
    if ahead:
        return f"it calls note {ahead[0]} itself"
    return None


def find_note_lines(
    lines: list[str], start: int, line_markers: dict[int, list[int]]
) -> tuple[list[NoteLine], dict[int, tuple[int, str]]]:
    """Pick the note lines among ``lines[start:]`` by the evidence of their page (``_read_notes``).

    When OCR lost a note, every later note would skip it and be read as body. So a called note that no
    line gives is taken as lost, in number order, as long as that reads more notes: the report then names
    the one lost note, and a correction saying so (``note_missing_in_source``) is all the paper needs.
    """
    called = sorted({number for numbers in line_markers.values() for number in numbers})
    start = _endnotes_start(lines, start, called[0]) if called else start
    notes, rejected = _read_notes(lines, start, line_markers, frozenset())
    lost: frozenset[int] = frozenset()
    for number in called:
        given = {note.number for note in notes}
        if number in given or not any(later > number for later in rejected):
            continue
        tried = _read_notes(lines, start, line_markers, lost | {number})
        if len(tried[0]) > len(notes):
            lost = lost | {number}
            notes, rejected = tried
    return notes, rejected


def _endnotes_start(lines: list[str], start: int, first_called: int) -> int:
    """Where the notes may begin: after a "Notes" heading whose next line gives the first called note, when
    the paper gathers its notes at its end (a book's endnotes); else ``start``. Before that heading, a
    numbered line ("1 The parties agree ...") is the body's, whatever markers stand above it."""
    for index in range(start, len(lines)):
        if not NOTES_HEADING.match(lines[index]):
            continue
        following = next((line for line in lines[index + 1 :] if line.strip()), "")
        shape = match_note_line(following)
        if shape and shape[0] == first_called:
            return index + 1
    return start


def _read_notes(
    lines: list[str], start: int, line_markers: dict[int, list[int]], lost: frozenset[int]
) -> tuple[list[NoteLine], dict[int, tuple[int, str]]]:
    """Pick the note lines, the numbers in ``lost`` taken for notes that OCR lost.

    ``line_markers`` gives the footnote numbers each line calls (after a note-shaped line's label). Notes
    are blocks of note-shaped lines whose numbers continue the note numbering and answer markers printed
    in the body above them, in the label style the paper's blocks of notes show (when it shows one: a
    numbered paragraph has the style of its own). Within a block of notes, a line that goes on with the
    next number (in the block's label style, or called by a marker) or repeats one is a note too, so that
    a note no marker calls, or a number given twice, is reported. But after a line that stops
    mid-sentence, a line that repeats a number already given or that no marker calls goes on with the
    note above it (a hard-wrapped note's line may start with a number: "August" | "6 to 31, 1929.").
    Any other block, however it starts, is body text. Returns the note lines and, by note number, each
    note-shaped first line read as body (0-based) and why: the line a failing paper's report names.
    """
    notes: list[NoteLine] = []
    rejected: dict[int, tuple[int, str]] = {}
    given: set[int] = set()
    last = 0
    # Markers above ``start`` (the body before an endnotes heading) are all called.
    called = {number for index, numbers in line_markers.items() if index < start for number in numbers}
    first_call: dict[int, int] = {}
    for index in sorted(line_markers):
        for number in line_markers[index]:
            first_call.setdefault(number, index)
    blocks = line_blocks(lines, start)
    paper_styles = paper_note_styles(lines, blocks)
    for position, block in enumerate(blocks):
        entries = [
            NoteLine(index, *shape) for index in block if (shape := match_note_line(lines[index])) is not None
        ]
        following = match_note_line(lines[blocks[position + 1][0]]) if position + 1 < len(blocks) else None
        accepted = False
        # A block calling for a note that a marker further down calls first is a numbered list; a line that
        # starts with a number after a line stopping mid-sentence is a wrapped line's, not a call.
        later = [
            e
            for e in entries
            if e.number not in called
            and first_call.get(e.number, -1) > block[-1]
            and (e.line == block[0] or not _stops_mid_sentence(lines[e.line - 1]))
        ]
        first_of_block = bool(entries) and entries[0].line == block[0]
        if first_of_block and _foot_further_down(entries[0], following, paper_styles):
            # The page's foot is further down: the next block gives the same number in the notes' style.
            why = f"the block after it gives note {entries[0].number} at the page's foot"
            rejected.setdefault(entries[0].number, (entries[0].line, why))
        elif later:
            below = first_call[later[0].number] + 1
            why = f"note {later[0].number} is first called below, on line {below}"
            rejected.setdefault(entries[0].number, (entries[0].line, why))
        elif entries and entries[0].line == block[0]:
            for entry in entries:
                wrapped = accepted and _stops_mid_sentence(lines[entry.line - 1])
                if wrapped and entry.number in given:
                    continue  # a hard-wrapped note's line that starts with a number: the note goes on
                follows_notes = accepted and (
                    entry.number in given
                    or (
                        entry.number == last + 1
                        and (entry.style == notes[-1].style or entry.number in called)
                    )
                )
                reason = None if follows_notes else _rejection(entry, last, called, line_markers, lost)
                style = STYLE_FAMILY.get(entry.style, entry.style)
                if not reason and not follows_notes and paper_styles and style not in paper_styles:
                    reason = f"its label is not in the style of the paper's notes ({entry.style})"
                if reason:
                    rejected.setdefault(entry.number, (entry.line, reason))
                    if wrapped:
                        continue
                    break
                notes.append(entry)
                given.add(entry.number)
                last = max(last, entry.number)
                accepted = True
        if not accepted:
            for index in block:
                called.update(line_markers.get(index, ()))
    return notes, rejected


def note_extent(lines: list[str], note: NoteLine, note_line_indexes: set[int]) -> list[int]:
    """The line indexes a note spans: its first line and any unlabelled continuation lines right after it."""
    extent = [note.line]
    index = note.line + 1
    while index < len(lines) and lines[index].strip() and index not in note_line_indexes:
        extent.append(index)
        index += 1
    return extent
