"""Page evidence: what the layout of a paper says about a break between two blocks of its body.

A page's notes standing between two body blocks show a page break there. Whether such a break at a full
stop before a capital also ends the paragraph cannot be read from the words; it can be read from the layout:

- how the pages were cut. On a printed page, body and notes share the page, so body plus notes is about
  the same on every page and the body alone varies with the notes; a paragraph ending at a page's foot is
  as likely as any other line end there. A layout whose pages hold about the same amount of body text
  whatever their notes was cut by a count of characters, which falls in running text (anywhere on a
  line); the same count says that a blank line early in such a page is a paragraph gap and not a page
  break (whose notes the page might not have had);
- otherwise, a hard-wrapped body shows it in the line before the break: a paragraph's last line is
  usually short, while a line cut by the page's end runs to the full width.

The figures come from the paper itself; a paper with too few pages, or with a spread that tells neither
way, keeps the word-level rules of ``breaks.continues_across_break``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from enum import Enum

# Complete pages (ended by their notes) needed before the page lengths are read as evidence.
MIN_PAGES = 3
# A page whose body is this many times the median holds more than one page.
MULTI_PAGE = 1.5
# One spread must be this many times smaller than the other to tell how the pages were cut.
SPREAD_RATIO = 2.0
# In a layout cut by a count of body characters, no page break comes before this share of a page.
EARLIEST_BREAK = 0.85
# Lines of a hard-wrapped body: how many full lines show the width, and what share of it is "full".
MIN_WRAPPED_LINES = 12
WRAP_WIDTHS = (30, 120)  # characters: a printed line; a longer one is a paragraph on one line
FULL_LINE = 0.85


class BreakEvidence(Enum):
    """What the layout says about the break between two consecutive body blocks."""

    UNKNOWN = "unknown"  # a blank line: a paragraph gap, or a page break without notes
    PAGE_BREAK = "page_break"  # a page's notes stand between: a page break the layout says no more about
    CUT_IN_TEXT = "cut_in_text"  # a page break that fell in running text: the paragraph goes on
    PARAGRAPH_GAP = "paragraph_gap"  # a blank line where the layout prints no page break


@dataclass(frozen=True)
class Pagination:
    """How one paper's pages were cut, from its body and note lines."""

    page_starts: tuple[int, ...]  # 0-based line of the first body line after each page's notes
    cut_by_body_count: bool
    page_chars: float | None  # a page's body characters, when the pages were cut by that count
    wrap_width: float | None  # a full line of a hard-wrapped body
    body_offsets: tuple[int, ...]  # body characters before each line, from the body's start


def _spread(values: list[int]) -> float:
    """Standard deviation relative to the mean."""
    mean = statistics.fmean(values)
    return statistics.pstdev(values) / mean if mean else 0.0


def _cut_by_body_count(pages: list[tuple[int, int]]) -> float | None:
    """A page's body characters if the pages hold about the same body text whatever their notes, else None.

    A span of more than one page (a page without notes runs on into the next behind a bare blank line)
    is left out: it holds several pages' body text in either layout.
    """
    if not pages:
        return None
    middle = statistics.median(body for body, _ in pages)
    single = [(body, notes) for body, notes in pages if body <= MULTI_PAGE * middle]
    if len(single) < MIN_PAGES:
        return None
    body_spread = _spread([body for body, _ in single])
    page_spread = _spread([body + notes for body, notes in single])
    return statistics.median(body for body, _ in single) if body_spread * SPREAD_RATIO < page_spread else None


def read_pagination(lines: list[str], body_start: int, note_lines: set[int]) -> Pagination:
    """Page starts, body character offsets and how the pages were cut, for a body with its note lines."""
    offsets: list[int] = [0] * (len(lines) + 1)
    page_starts: list[int] = []
    # (body characters, note characters) of each page that its notes end and another page follows; the
    # document's last page is seldom full.
    pages: list[tuple[int, int]] = []
    body = notes = 0
    in_notes = False
    for index in range(len(lines)):
        offsets[index + 1] = offsets[index]
        if index < body_start or not lines[index].strip():
            continue
        if index in note_lines:
            notes += len(lines[index].strip())
            in_notes = True
            continue
        if in_notes:
            pages.append((body, notes))
            page_starts.append(index)
            body = notes = 0
            in_notes = False
        body += len(lines[index].strip())
        offsets[index + 1] += len(lines[index].strip())

    page_chars = _cut_by_body_count(pages)
    return Pagination(
        page_starts=tuple(page_starts),
        cut_by_body_count=page_chars is not None,
        page_chars=page_chars,
        wrap_width=_wrap_width(lines, body_start, note_lines),
        body_offsets=tuple(offsets),
    )


def _wrap_width(lines: list[str], body_start: int, note_lines: set[int]) -> float | None:
    """The median length of body lines that another body line follows, when the body is hard-wrapped."""
    followed = [
        len(lines[index].strip())
        for index in range(body_start, len(lines) - 1)
        if index not in note_lines
        and lines[index].strip()
        and lines[index + 1].strip()
        and index + 1 not in note_lines
    ]
    if len(followed) < MIN_WRAPPED_LINES:
        return None
    width = statistics.median(followed)
    return width if WRAP_WIDTHS[0] <= width <= WRAP_WIDTHS[1] else None


def break_evidence(
    pagination: Pagination, lines: list[str], previous_last_line: int, next_first_line: int
) -> BreakEvidence:
    """What the layout says about the break between a block ending on one line and one starting on another."""
    page_break = next_first_line in pagination.page_starts
    if page_break:
        # A count of characters cuts a page anywhere on a line, so the line width says nothing then.
        if pagination.cut_by_body_count:
            return BreakEvidence.CUT_IN_TEXT
        width = pagination.wrap_width
        full = width is not None and len(lines[previous_last_line].strip()) >= FULL_LINE * width
        return BreakEvidence.CUT_IN_TEXT if full else BreakEvidence.PAGE_BREAK
    if pagination.cut_by_body_count and pagination.page_chars:
        earlier = [start for start in pagination.page_starts if start <= next_first_line]
        page_start = earlier[-1] if earlier else 0
        into_page = pagination.body_offsets[next_first_line] - pagination.body_offsets[page_start]
        if into_page < EARLIEST_BREAK * pagination.page_chars:
            return BreakEvidence.PARAGRAPH_GAP
    return BreakEvidence.UNKNOWN
