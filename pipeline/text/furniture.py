"""Page furniture: the folios and running heads OCR keeps from a printed page, which are not the paper's text.

A bare number on a line of its own may be text (a despatch's number, a figure of a table), so a folio is
known by its sequence, not its shape: three or more number lines ("14", "[15]") whose numbers go up by
one or two from line to line down the paper. A number set off by dashes ("— 16 —") or named a page
("Page 17") is a folio wherever it stands. A running head is a line in capitals that
stands beside such a folio (only blank lines between) and whose words, figures aside, stand beside
folios at least twice in the paper, or a line that carries a folio of the sequence at either end
("FOREIGN RELATIONS, 1925 142"). Both are read as blank lines, so the blocks on either side meet as
they do at any page break.
"""

from __future__ import annotations

import re

# A number set off by dashes or named a page is a folio alone; a bare or bracketed one needs the sequence.
DECORATED_FOLIO = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|(?:page|p\.)\s*\d{1,4})\s*$", re.IGNORECASE)
FOLIO = re.compile(r"^\s*(?:[-—–]\s*)?(?:page\s+|p\.\s*)?\[?(\d{1,4})\]?(?:\s*[-—–])?\s*$", re.IGNORECASE)
HEAD_WITH_FOLIO = re.compile(r"^\s*(?:(\d{1,4})\s+(\D.*?)|(\D.*?)\s+(\d{1,4}))\s*$")
MIN_FOLIOS = 3
MAX_STEP = 2  # a folio may skip one page (a plate, a blank page)
MIN_HEAD_REPEATS = 2
MAX_HEAD_CHARS = 80


def _longest_sequence(candidates: list[tuple[int, int]]) -> list[int]:
    """The lines of the longest run of candidates (line, number) whose numbers rise by 1..MAX_STEP."""
    best: list[list[int]] = []
    for j, (line, number) in enumerate(candidates):
        chain = [line]
        for i in range(j):
            if 1 <= number - candidates[i][1] <= MAX_STEP and len(best[i]) + 1 > len(chain):
                chain = [*best[i], line]
        best.append(chain)
    return max(best, key=len, default=[])


def _neighbours(lines: list[str], index: int) -> list[int]:
    """The nearest non-blank line above and below a line."""
    found = []
    for step in (-1, 1):
        other = index + step
        while 0 <= other < len(lines) and not lines[other].strip():
            other += step
        if 0 <= other < len(lines):
            found.append(other)
    return found


def _in_capitals(line: str) -> bool:
    """Running heads are set in capitals (or small capitals, which OCR reads as capitals)."""
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _head_key(line: str) -> str:
    return re.sub(r"[\d\s]+", " ", line).strip().casefold()


def page_furniture(lines: list[str], start: int) -> set[int]:
    """The indexes of ``lines[start:]`` that are folios or running heads (see the module docstring)."""
    candidates = [(i, int(m.group(1))) for i in range(start, len(lines)) if (m := FOLIO.match(lines[i]))]
    with_heads = [
        (i, int(m.group(1) or m.group(4)))
        for i in range(start, len(lines))
        if len(lines[i]) <= MAX_HEAD_CHARS
        and _in_capitals(lines[i])
        and (m := HEAD_WITH_FOLIO.match(lines[i]))
    ]
    folios = _longest_sequence(sorted(candidates + with_heads))
    if len(folios) < MIN_FOLIOS:
        folios = []
    folios = sorted({*folios, *(i for i, _ in candidates if DECORATED_FOLIO.match(lines[i]))})
    furniture = set(folios)
    beside: dict[str, list[int]] = {}
    for folio in folios:
        for other in _neighbours(lines, folio):
            if other not in furniture and len(lines[other].strip()) <= MAX_HEAD_CHARS:
                beside.setdefault(_head_key(lines[other]), []).append(other)
    for key, indexes in beside.items():
        if key.upper() != key and len(indexes) >= MIN_HEAD_REPEATS and _in_capitals(lines[indexes[0]]):
            furniture.update(indexes)
    return furniture
