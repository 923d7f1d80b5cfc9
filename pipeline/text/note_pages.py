"""Notes numbered afresh on every page: give notes and markers their place in the paper's sequence.

Many printed books number each page's notes from 1. The note reader (footnotes.py) pairs notes with
markers by number across the whole paper, so it would read the second page's "1" as a note repeated. When
a paper's pages restart their numbering, this pass renumbers, page by page, each page's notes and the
markers printed above them (since the page before's notes) as one sequence: the page's "1" after three
earlier notes becomes note 4. A page's notes are only taken for a restart on the evidence of that page:
a run of note-shaped lines numbered 1, 2, ... k under markers that call exactly 1 to k. A paper that
numbers its notes straight through is left exactly as it is.
"""

from __future__ import annotations

import re

from pipeline.text.footnotes import STYLE_FAMILY, line_blocks, match_note_line, paper_note_styles
from pipeline.text.inline import MARKER_PATTERNS, SUPERSCRIPT_DIGITS

TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
LABEL_NUMBER = re.compile(r"\d{1,4}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4}")


def _markers(line: str) -> list[int]:
    """The numbers a body line's markers call (after a note-shaped line's label, when it has one)."""
    shape = match_note_line(line)
    text = shape[2] if shape and shape[1] != "superscript" else line
    return [
        int(match.group(1).translate(SUPERSCRIPT_DIGITS))
        for _, pattern in MARKER_PATTERNS
        for match in pattern.finditer(text)
    ]


def _foot(lines: list[str], start: int, styles: set[str]) -> list[int]:
    """The first lines of the notes of a page's foot that opens at ``start`` with note 1: one block of lines,
    numbered on from 1, a note's continuation lines between them (a hard-wrapped line that starts with any
    other number, "6 to 31, 1929.", goes on the note above). Empty when ``start`` opens no such block: a
    foot opens a block, so a wrapped body line ("1 hour before ...") is none; a line that calls a note
    itself is a numbered paragraph, not a note; a block whose numbering goes on in the next block is a
    numbered list (a page's notes are printed one under the other); and a label in another style than the
    paper's notes show (``styles``) is a numbered paragraph's ("1." under "- 1")."""
    shape = match_note_line(lines[start])
    if not shape or shape[0] != 1 or _markers(lines[start]) or (start and lines[start - 1].strip()):
        return []
    if styles and STYLE_FAMILY.get(shape[1], shape[1]) not in styles:
        return []
    firsts, expected, index = [start], 2, start + 1
    while index < len(lines) and lines[index].strip():
        shape = match_note_line(lines[index])
        if shape and shape[0] == expected and not _markers(lines[index]):
            firsts.append(index)
            expected += 1
        index += 1
    following = next((line for line in lines[index:] if line.strip()), "")
    shape = match_note_line(following)
    return [] if shape and shape[0] == expected else firsts


def _pages(lines: list[str], start: int) -> list[tuple[int, list[int]]]:
    """(first body line, note lines) of each page whose foot numbers its notes from 1 and answers exactly the
    markers printed since the page before's foot (a numbered list under them is no foot: its items answer
    no marker, or not all of them)."""
    pages: list[tuple[int, list[int]]] = []
    styles = paper_note_styles(lines, line_blocks(lines, start))
    top, called, index = start, [], start
    while index < len(lines):
        foot = _foot(lines, index, styles) if called else []
        if foot and set(called) == set(range(1, len(foot) + 1)):
            pages.append((top, foot))
            index = foot[-1] + 1
            top, called = index, []
            continue
        called += _markers(lines[index])
        index += 1
    return pages


def _renumbered(line: str, offset: int, numbers: set[int], label: bool) -> str:
    """The line with its markers (and, for a note's first line, its label) moved on by ``offset``."""

    def moved(match: re.Match[str], group: int = 1) -> str:
        printed = match.group(group)
        number = int(printed.translate(SUPERSCRIPT_DIGITS))
        if number not in numbers:
            return match.group(0)
        new = str(number + offset)
        new = new.translate(TO_SUPERSCRIPT) if printed[0] in "⁰¹²³⁴⁵⁶⁷⁸⁹" else new
        return match.group(0).replace(printed, new, 1)

    head = ""
    if label:
        found = LABEL_NUMBER.search(line)
        if found:
            head, line = line[: found.start()] + moved(found, 0), line[found.end() :]
    for _, pattern in MARKER_PATTERNS:
        line = pattern.sub(moved, line)
    return head + line


def number_across_pages(lines: list[str], start: int) -> list[str]:
    """``lines`` with each page's notes and markers numbered in one sequence, when two pages or more
    number their notes from 1; otherwise ``lines`` unchanged."""
    if sum(1 for line in lines[start:] if (shape := match_note_line(line)) and shape[0] == 1) < 2:
        return lines  # no second "1": nothing restarts (the common case, checked cheaply)
    pages = _pages(lines, start)
    if len(pages) < 2:
        return lines
    out = list(lines)
    offset = 0
    for top, foot in pages:
        numbers = set(range(1, len(foot) + 1))
        for index in range(top, foot[0]):
            out[index] = _renumbered(out[index], offset, numbers, label=False)
        for index in foot:
            out[index] = _renumbered(out[index], offset, numbers, label=True)
        offset += len(foot)
    return out
