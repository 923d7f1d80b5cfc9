"""The text of a reader page: the cleaned text rendered once, with every record drawn from its offsets.

Records that cross each other (a claim that begins inside an event and ends after it) are drawn in pieces,
so the HTML stays well nested; note markers go in at their offsets, emphasis as <em>/<strong>.
"""

from __future__ import annotations

import html
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.package.database import TableSpec

# The record kinds shown on the text, in the order of their toggles: (table, kind column, label). Mentions
# are split by entity type, so persons, places and organisations toggle apart.
HIGHLIGHT_TABLES = (
    ("mentions", "entity_type", None),
    ("unlinked_names", None, "unlinked person"),
    ("time_expressions", None, "time expression"),
    ("events", None, "event"),
    ("claims", None, "claim"),
    ("citations", None, "citation"),
)
BLOCK_TAGS = {"heading": "h2", "quote": "blockquote"}


@dataclass
class Highlight:
    """One record's span on the text; a span that crosses another is drawn in pieces."""

    start: int
    end: int
    kind: str
    record: str
    anchor: str
    href: str | None = None
    order: int = 0


@dataclass
class PaperRecords:
    """The rows of one paper, by table, and what the page needs to link them."""

    document: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def record_key(table: str, spec: TableSpec, row: Mapping[str, Any]) -> str:
    """``table/<primary key>``, a composite key joined with "|" as corrections/ writes it."""
    return f"{table}/" + "|".join(str(row[c]) for c in spec.primary_key)


# --- the text with its highlights -------------------------------------------------------------------


def highlights_for(paper: PaperRecords, specs: Mapping[str, TableSpec]) -> list[Highlight]:
    """Every record of the paper with offsets, as a highlight of its kind, in text order."""
    found = []
    for order, (table, kind_column, label) in enumerate(HIGHLIGHT_TABLES):
        spec = specs.get(table)
        if spec is None:
            continue
        for row in paper.rows.get(table, []):
            if row.get("char_start") is None or row.get("char_end") is None:
                continue
            kind = str(row.get(kind_column) or table) if kind_column else str(label)
            key = record_key(table, spec, row)
            href = f"#work-{slug(row['work_id'])}" if row.get("work_id") and table == "citations" else None
            found.append(Highlight(row["char_start"], row["char_end"], kind, key, "", href, order))
    found.sort(key=lambda h: (h.start, -h.end, h.kind, h.record))
    for number, highlight in enumerate(found, 1):
        highlight.anchor = f"h{number}"
    return found


EMPHASIS_TAGS = {"italic": "em", "bold": "strong"}


def emphasis_for(paper: PaperRecords) -> list[Highlight]:
    """The paper's emphasis spans (titles, foreign words in italics), drawn as <em>/<strong>, no record."""
    return [
        Highlight(row["char_start"], row["char_end"], f"emphasis-{row['style']}", "", "")
        for row in paper.rows.get("emphasis_spans", [])
        if row.get("style") in EMPHASIS_TAGS and row.get("char_start") is not None
    ]


def _open_tag(highlight: Highlight, first: bool) -> str:
    if not highlight.record:
        return f"<{EMPHASIS_TAGS[highlight.kind.removeprefix('emphasis-')]}>"
    tag = "a" if highlight.href else "span"
    attributes = [
        f'class="hl k-{slug(highlight.kind)}{"" if first else " cont"}"',
        f'data-rec="{esc(highlight.record)}"',
        f'data-kind="{esc(highlight.kind)}"',
    ]
    if first:
        attributes += [f'id="{highlight.anchor}"', 'tabindex="0"']
    else:
        attributes.append('tabindex="-1"')
    if highlight.href:
        attributes.append(f'href="{highlight.href}"')
    return f"<{tag} {' '.join(attributes)}>"


def _close_tag(highlight: Highlight) -> str:
    if not highlight.record:
        return f"</{EMPHASIS_TAGS[highlight.kind.removeprefix('emphasis-')]}>"
    return "</a>" if highlight.href else "</span>"


def render_span(
    text: str,
    start: int,
    end: int,
    highlights: list[Highlight],
    starts: list[int],
    markers: Mapping[int, list[str]],
) -> str:
    """text[start:end] as HTML, highlights nested by offsets (crossing ones drawn in pieces), note markers
    inserted at their offsets."""
    first = bisect_left(starts, start)
    inside = [h for h in highlights[first : bisect_left(starts, end)] if h.end > h.start]
    # Highlights that began before this block (none in practice) are clipped to it.
    points = {start, end}
    for h in inside:
        points.update((h.start, min(h.end, end)))
    points.update(p for p in markers if start <= p <= end)
    ordered = sorted(points)
    pending = sorted(inside, key=lambda h: (h.start, -h.end, h.kind))
    stack: list[Highlight] = []
    opened: set[str] = set()
    parts: list[str] = []
    index = 0
    for number, point in enumerate(ordered):
        closing = [h for h in stack if min(h.end, end) <= point]
        if closing:
            depth = min(stack.index(h) for h in closing)
            for h in reversed(stack[depth:]):
                parts.append(_close_tag(h))
            keep = [h for h in stack[depth:] if h not in closing]
            del stack[depth:]
            for h in keep:
                parts.append(_open_tag(h, False))
                stack.append(h)
        parts.extend(markers.get(point, ()))
        while index < len(pending) and pending[index].start <= point:
            h = pending[index]
            index += 1
            if min(h.end, end) <= point:
                continue
            parts.append(_open_tag(h, h.anchor not in opened))
            opened.add(h.anchor)
            stack.append(h)
        if number + 1 < len(ordered):
            parts.append(esc(text[point : ordered[number + 1]]))
    for h in reversed(stack):
        parts.append(_close_tag(h))
    return "".join(parts)


def note_anchor(note: Mapping[str, Any], back: bool = False) -> str:
    """The element ID of a note (or, with back, of its marker): from its footnote_id, which is unique,
    where note numbers might restart within a paper."""
    return f"{'fnref' if back else 'fn'}-{slug(note['footnote_id'])}"


def _marker(note: Mapping[str, Any]) -> str:
    number = note["number"]
    return (
        f'<sup class="fnref"><a id="{note_anchor(note, back=True)}" href="#{note_anchor(note)}" '
        f'aria-label="note {number}">{number}</a></sup>'
    )


def render_text(paper: PaperRecords, text: str, highlights: list[Highlight]) -> str:
    """The body's blocks and the notes, each rendered once from the text."""
    highlights = sorted(
        [*highlights, *emphasis_for(paper)], key=lambda h: (h.start, -h.end, h.kind, h.record)
    )
    starts = [h.start for h in highlights]
    notes = sorted(paper.rows.get("footnotes", []), key=lambda n: n["number"])
    markers: dict[int, list[str]] = defaultdict(list)
    for note in notes:
        if note.get("marker_offset") is not None:
            markers[note["marker_offset"]].append(_marker(note))
    blocks = []
    for block in sorted(paper.rows.get("paragraphs", []), key=lambda p: p["char_start"]):
        kind = block.get("block_kind") or "p"
        tag = BLOCK_TAGS.get(kind, "p")
        body = render_span(text, block["char_start"], block["char_end"], highlights, starts, markers)
        blocks.append(f'<{tag} class="blk blk-{slug(kind)}" id="{esc(block["paragraph_id"])}">{body}</{tag}>')
    items = []
    for note in notes:
        number = note["number"]
        body = render_span(text, note["char_start"], note["char_end"], highlights, starts, {})
        back = f' <a class="back" href="#{note_anchor(note, back=True)}" aria-label="back to the text">↩</a>'
        back = back if note.get("marker_offset") is not None else ""
        items.append(f'<li id="{note_anchor(note)}" value="{number}">{body}{back}</li>')
    notes_html = f'<section id="notes"><h2>Notes</h2><ol>{"".join(items)}</ol></section>' if items else ""
    return f'<div id="text" class="text">{"".join(blocks)}</div>{notes_html}'
