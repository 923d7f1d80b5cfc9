"""Text corrections: replace a paper's OCR text, line by line, before any extraction.

Each correction names the raw file's line and the exact text it expects there, so one that no longer fits
(the OCR changed underneath it, or it was already applied) fails the run instead of editing the wrong place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from pipeline.package.corrections import AppliedCorrection, Correction, CorrectionError, shown


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


def _locate(correction: Correction, text: str, starts: list[int]) -> int:
    """Offset of the correction's old text, which must start exactly once on its line."""
    line = correction.line
    assert line is not None
    if line > len(starts):
        raise CorrectionError(
            f"{correction.where}: targets line {line} of {correction.document_id}, "
            f"but the OCR text has only {len(starts)} lines"
        )
    begin = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(text)
    hits = []
    position = text.find(correction.old, begin)
    while position != -1 and position <= end:
        hits.append(position)
        position = text.find(correction.old, position + 1)
    if len(hits) == 1:
        return hits[0]
    found = text[begin:end]
    if not hits:
        raise CorrectionError(
            f"{correction.where}: expected {shown(correction.old)} on line {line} of "
            f"{correction.document_id}, but the line now reads {shown(found)} "
            "(the OCR text changed underneath the correction, or it was already applied)"
        )
    raise CorrectionError(
        f"{correction.where}: {shown(correction.old)} occurs {len(hits)} times on line {line} of "
        f"{correction.document_id}; make 'old' longer so it is unique on the line"
    )


def apply_text_corrections(
    document_id: str, source_text: str, corrections: Iterable[Correction]
) -> tuple[str, list[AppliedCorrection]]:
    """Apply this document's text corrections to its OCR text, before any extraction.

    Every correction is located in the original text (line numbers are those of the raw file), the
    targets must not overlap, and replacements are made from the end so offsets stay valid.
    """
    mine = [c for c in corrections if c.kind == "text" and c.document_id == document_id]
    if not mine:
        return source_text, []
    starts = _line_starts(source_text)
    located = sorted(((_locate(c, source_text, starts), c) for c in mine), key=lambda x: x[0])
    for (start_a, a), (start_b, b) in pairwise(located):
        if start_a + len(a.old) > start_b:
            raise CorrectionError(f"{b.where}: its target overlaps that of {a.where}; merge the two")
    text = source_text
    for start, c in reversed(located):
        text = text[:start] + c.new + text[start + len(c.old) :]
    applied = [
        AppliedCorrection(
            correction=c,
            document_id=document_id,
            table_name=None,
            record_id=None,
            field=None,
            old_value=c.old,
            new_value=c.new,
            source_line=c.line,
        )
        for _, c in located
    ]
    return text, sorted(applied, key=lambda a: a.correction.id)
