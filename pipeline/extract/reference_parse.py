"""``papers-dataset references parse``: one reference per input line in, one JSON object per line out.

Each line goes through the same reader as the pipeline's notes (citations.read_reference: rules, trained
model, merge policy). Markdown emphasis in a line (``*Title*`` or ``_Title_``) is read as italics, as in
OCR markdown, and removed from the text. Output is the project's citation fields plus reference_type and
parse_confidence, or CSL-JSON items for Zotero and pandoc.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.extract import reference_model
from pipeline.extract.citations import FIELDS, REVIEW_BELOW, parse_confidence, read_reference
from pipeline.extract.csl import to_csl

# One encoder for every line (json.dumps with options builds a new one per call); same output. A record is
# made of plain values, never of itself: no check for circular references.
JSON_LINE = json.JSONEncoder(ensure_ascii=False, check_circular=False)
EMPHASIS = re.compile(
    r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])|(?<![\w_])_(?!\s)([^_]+?)(?<!\s)_(?![\w_])"
)


def strip_emphasis(line: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text and the italic spans (offsets in the plain text) of a line with markdown emphasis."""
    if "*" not in line and "_" not in line:  # most lines: no emphasis to look for
        return line, []
    pieces, italics, position, length = [], [], 0, 0
    for match in EMPHASIS.finditer(line):
        before = line[position : match.start()]
        inner = match.group(1) or match.group(2)
        pieces += [before, inner]
        start = length + len(before)
        italics.append((start, start + len(inner)))
        length = start + len(inner)
        position = match.end()
    pieces.append(line[position:])
    return "".join(pieces), italics


def load_reader() -> None:
    """Load the trained model and merge policy once, before a batch of references.

    They, and whatever the caller loaded before, live as long as the process; frozen out of the garbage
    collector's walks (``gc.freeze``), they are not visited again by every collection that parsing's many
    small objects set off (about 8% of the parsing time).
    """
    reference_model.shipped_model()
    reference_model.shipped_merge_policy()
    gc.freeze()


def parse_line(line: str) -> dict[str, Any]:
    """The project's fields of one reference, with reference_type, parse_confidence and parse_method."""
    text, italics = strip_emphasis(" ".join(line.split()))
    parsed = read_reference(text, italics)
    record: dict[str, Any] = {"raw": text, "reference_type": parsed.reference_type or "book"}
    if parsed.signal:
        record["signal"] = parsed.signal
    record |= {name: parsed.values[name] for name in FIELDS if parsed.values.get(name) not in (None, "")}
    if parsed.values.get("note"):
        record["note"] = parsed.values["note"]
    confidence = parse_confidence(parsed)
    record |= {"parse_confidence": confidence, "parse_method": parsed.method}
    record["needs_review"] = confidence < REVIEW_BELOW
    return record


def parse_lines(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for every non-blank line."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, parse_line(line)


def render(lines: Iterable[str], output_format: str) -> Iterator[str]:
    """JSON Lines of records, or (csl-json) one JSON array of CSL items, ids "ref-<line number>"."""
    if output_format == "json":
        for _, record in parse_lines(lines):
            yield JSON_LINE.encode(record)
        return
    items = [
        to_csl(f"ref-{number}", record["reference_type"], record) for number, record in parse_lines(lines)
    ]
    yield json.dumps(items, ensure_ascii=False, indent=2)
