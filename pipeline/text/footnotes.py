"""Footnote blocks: tell note lines from body lines, and pair notes with their markers.

OCR puts each page's notes at the page bottom, in several styles ("- 1 text", "10 text", "[1] text",
"1. text", "[^1]: text"). A line that looks like a note is only taken for one when it continues the
note numbering and its block holds a number that some marker in the body calls. This keeps numbered
lists and years at a line start ("1944 was ...") in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text.inline import SUPERSCRIPT_DIGITS

NOTE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("caret_bracket", re.compile(r"^\s*\[\^(\d{1,4})\]:\s*(\S.*)$")),
    ("dash_number", re.compile(r"^\s*[-*•]\s+(\d{1,4})\.?\s+(\S.*)$")),
    ("bracket", re.compile(r"^\s*\[(\d{1,4})\]\s+(\S.*)$")),
    ("number_dot", re.compile(r"^\s*(\d{1,4})\.\s+(\S.*)$")),
    ("number", re.compile(r"^\s*(\d{1,4})\s+(\S.*)$")),
    ("superscript", re.compile(r"^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4})\s*(\S.*)$")),
]
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
            return int(match.group(1).translate(SUPERSCRIPT_DIGITS)), style, match.group(2)
    return None


def _zones(lines: list[str], start: int) -> list[list[tuple[int, int, str, str]]]:
    """Runs of note-shaped lines separated only by blank lines (and their continuation lines)."""
    zones: list[list[tuple[int, int, str, str]]] = []
    current: list[tuple[int, int, str, str]] = []
    previous_in_zone = False  # the previous non-blank line belongs to the current run
    previous_blank = True
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.strip():
            previous_blank = True
            continue
        candidate = match_note_line(line)
        if candidate:
            number, style, text = candidate
            if current and not previous_in_zone:
                zones.append(current)
                current = []
            current.append((index, number, style, text))
            previous_in_zone = True
        elif previous_in_zone and not previous_blank:
            pass  # a continuation line of the note above: stays in the zone
        else:
            if current:
                zones.append(current)
            current = []
            previous_in_zone = False
        previous_blank = False
    if current:
        zones.append(current)
    return zones


def find_note_lines(lines: list[str], start: int, marker_lines: dict[int, int]) -> list[NoteLine]:
    """Pick the note lines among ``lines[start:]``.

    ``marker_lines`` maps each footnote number called in the body to the first line calling it. A run of
    note-shaped lines is taken for notes when it continues the numbering, some marker calls it from
    above, and none of its numbers is called only further down (a numbered list fails that test).
    A number that repeats one just accepted is kept too, so that the duplicate is reported.
    """
    notes: list[NoteLine] = []
    last = 0
    for zone in _zones(lines, start):
        zone_has_notes = False
        while zone:
            run = [zone[0]]
            for item in zone[1:]:
                if item[1] != run[-1][1] + 1:
                    break
                run.append(item)
            zone = zone[len(run) :]
            numbers = [number for _, number, _, _ in run]
            continues = numbers[0] == last + 1 or (numbers[0] > last and numbers[0] in marker_lines)
            called_above = any(marker_lines.get(n, len(lines)) < run[0][0] for n in numbers)
            called_below = any(marker_lines.get(n, -1) > run[-1][0] for n in numbers)
            duplicate = zone_has_notes and numbers[0] in {note.number for note in notes}
            if (continues and called_above and not called_below) or duplicate:
                notes.extend(NoteLine(index, number, style, text) for index, number, style, text in run)
                last = max(last, numbers[-1])
                zone_has_notes = True
    return notes


def note_extent(lines: list[str], note: NoteLine, note_line_indexes: set[int]) -> list[int]:
    """The line indexes a note spans: its first line and any unlabelled continuation lines right after it."""
    extent = [note.line]
    index = note.line + 1
    while index < len(lines) and lines[index].strip() and index not in note_line_indexes:
        extent.append(index)
        index += 1
    return extent
