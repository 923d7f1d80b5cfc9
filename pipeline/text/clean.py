"""Clean one OCR'd paper: separate front matter, notes and body, rejoin paragraphs, strip markup.

The result is one cleaned text per document (body paragraphs, then the notes) and the tables that
point into it. Every offset is a 0-based, end-exclusive code point position in ``CleanedDocument.text``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

import polars as pl

from pipeline.package.schema import rows_to_frame
from pipeline.text.block_kinds import classify_blocks
from pipeline.text.breaks import continues_across_break
from pipeline.text.footnotes import NOTES_HEADING, NoteLine, find_note_lines, match_note_line, note_extent
from pipeline.text.frontmatter import MARKER, read_front_matter
from pipeline.text.furniture import page_furniture
from pipeline.text.ingest import InputError
from pipeline.text.inline import InlineText, clean_inline
from pipeline.text.note_pages import number_across_pages
from pipeline.text.pages import BreakEvidence, Pagination, break_evidence, read_pagination
from pipeline.text.plain_markers import read_plain_markers
from pipeline.text.sentences import split_sentences

NOTES_TITLE = "Notes"
UNPAIRED = ["marker_without_note", "note_without_marker"]
PLAIN_HINT = (
    'the paper prints its markers as plain digits, and a marker glued to a number ("No. 25" + "1" '
    'printed "No. 251") cannot be read: if the marker is there, a correction marker_missing_in_source '
    "publishes the note without it"
)
# Emphasis around nothing ("****"): the OCR of a printed rule between parts, layout and not text.
EMPTY_EMPHASIS = re.compile(r"^\s*(?:\*{4}|_{4})\s*$")
# Characters that print as nothing: a soft hyphen (where a line ends, the hyphen of a word broken there),
# zero-width spaces and joiners, a word joiner and the byte-order mark. They would split words and labels.
SOFT_HYPHEN_AT_LINE_END = re.compile("\u00ad[ \t]*(?=\n)")
INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
# A speck of dirt read as a character, alone on its line: layout noise, read as a blank line.
SPECK = re.compile(r"^[ \t]*[|•·'’‘`,.:;_~^°¦]{1,2}[ \t]*$", re.MULTILINE)


@dataclass
class CleanedDocument:
    """The cleaned text of one paper and its text-level tables."""

    document_id: str
    text: str
    body_char_end: int
    front_matter: dict[str, str]
    paragraphs: pl.DataFrame
    sentences: pl.DataFrame
    footnotes: pl.DataFrame
    emphasis_spans: pl.DataFrame
    warnings: list[str] = field(default_factory=list)
    # Note-shaped lines read as body, by the note number they show: (1-based line, why not a note).
    note_decisions: dict[int, tuple[int, str]] = field(default_factory=dict)


@dataclass
class _Piece:
    """Raw source lines that form (part of) one paragraph or one note."""

    lines: list[int]
    raw: list[str]


def _join_raw(a: str, b: str, document_text: str) -> str:
    """Join two pieces of a paragraph; undo a line-end hyphen unless the hyphenated form occurs elsewhere."""
    hyphen = re.search(r"(\w+)-$", a)
    head = re.match(r"([a-z]\w*)", b)
    if hyphen and head:
        kept = f"{hyphen.group(1)}-{head.group(1)}" in document_text.replace(f"{hyphen.group(1)}-\n", "")
        return a + b if kept else a[:-1] + b
    return f"{a} {b}"


def _body_pieces(lines: list[str], start: int, note_lines: set[int]) -> list[_Piece]:
    """Blank-line separated runs of body lines (notes, the notes heading and printed rules excluded)."""
    pieces: list[_Piece] = []
    current = _Piece([], [])
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.strip() or index in note_lines or EMPTY_EMPHASIS.match(line):
            if current.lines:
                pieces.append(current)
                current = _Piece([], [])
            continue
        current.lines.append(index)
        current.raw.append(line.strip())
    if current.lines:
        pieces.append(current)
    return pieces


def _paragraphs(pieces: list[_Piece], lines: list[str], pagination: Pagination) -> list[tuple[_Piece, bool]]:
    """Rejoin pieces of one block split by a page break (see ``breaks.continues_across_break``)."""
    joined: list[tuple[_Piece, bool]] = []
    previous_raw = previous_plain = ""
    for piece in pieces:
        raw = " ".join(piece.raw)
        plain = clean_inline(raw).text
        evidence = (
            break_evidence(pagination, lines, joined[-1][0].lines[-1], piece.lines[0])
            if joined
            else BreakEvidence.UNKNOWN
        )
        if joined and continues_across_break(previous_raw, previous_plain, raw, plain, evidence):
            previous, _ = joined[-1]
            joined[-1] = (_Piece(previous.lines + piece.lines, [*previous.raw, *piece.raw]), True)
            previous_raw, previous_plain = f"{previous_raw} {raw}", f"{previous_plain} {plain}"
            continue
        joined.append((piece, False))
        previous_raw, previous_plain = raw, plain
    return joined


def _assemble(piece: _Piece, document_text: str) -> tuple[str, list[int], list[int]]:
    """Join a piece's raw lines into one string; return it with each line's start offset and line number."""
    raw = ""
    starts: list[int] = []
    for line in piece.raw:
        raw = _join_raw(raw, line, document_text) if raw else line
        starts.append(len(raw) - len(line))
    return raw, starts, [i + 1 for i in piece.lines]


def _line_of(offset: int, starts: list[int], line_numbers: list[int]) -> int:
    return line_numbers[max(bisect.bisect_right(starts, offset) - 1, 0)]


def read_notes(
    lines: list[str], body_start: int, unread: dict[int, list[int]] | None = None
) -> tuple[list[tuple[NoteLine, list[int]]], set[int], dict[int, tuple[int, str]]]:
    """Each note's first line with the lines it spans, every line that is notes' layout, not body, and the
    note-shaped lines read as body (by number: 1-based line, why). ``unread`` gives, by line, notes taken
    as called there although no marker could be read (``plain_markers``)."""
    # The markers each line calls. A line shaped like a note's first line ("4402. Following for ...³")
    # may be body text: the markers after its label count.
    line_markers: dict[int, list[int]] = {}
    for index in range(body_start, len(lines)):
        if MARKER.search(lines[index]):
            note_shaped = match_note_line(lines[index])
            # A superscript label is the line's own marker should the line be body ("¹ Frank Cobb.").
            after_label = note_shaped and note_shaped[1] != "superscript"
            markers = clean_inline(note_shaped[2] if after_label else lines[index]).markers
            line_markers[index] = [marker.number for marker in markers]
    for index, numbers in (unread or {}).items():
        line_markers[index] = line_markers.get(index, []) + numbers
    note_starts, rejected = find_note_lines(lines, body_start, line_markers)
    first_lines = {note.line for note in note_starts}
    note_lines: set[int] = set()
    note_sources: list[tuple[NoteLine, list[int]]] = []
    for note in note_starts:
        extent = note_extent(lines, note, first_lines)
        note_lines.update(extent)
        note_sources.append((note, extent))
    # A "Notes" heading right before a note block is layout, not body text.
    for note in note_starts:
        previous = note.line - 1
        while previous >= 0 and not lines[previous].strip():
            previous -= 1
        if previous >= 0 and NOTES_HEADING.match(lines[previous]):
            note_lines.add(previous)
    decisions = {number: (line + 1, why) for number, (line, why) in rejected.items()}
    return note_sources, note_lines, decisions


def clean_document(
    source_text: str, document_id: str, source_name: str, body_start_line: int | None = None
) -> CleanedDocument:
    """Clean one paper's OCR text into its cleaned text and the paragraphs/sentences/footnotes tables."""
    text = unicodedata.normalize("NFC", source_text.replace("\r\n", "\n").replace("\r", "\n"))
    text = SPECK.sub("", INVISIBLE.sub("", SOFT_HYPHEN_AT_LINE_END.sub("-", text)))
    lines = text.split("\n")
    front = read_front_matter(lines, body_start_line)
    if front.body_start >= len(lines):
        raise InputError(f"{source_name}: no body text found after the front matter")
    for index in page_furniture(lines, front.body_start):
        lines[index] = ""
    plain = read_plain_markers(lines, front.body_start)
    lines = number_across_pages(plain.lines, front.body_start)

    note_sources, note_lines, note_decisions = read_notes(lines, front.body_start, plain.unread)
    pagination = read_pagination(lines, front.body_start, note_lines)
    paragraphs = _paragraphs(_body_pieces(lines, front.body_start, note_lines), lines, pagination)
    if not paragraphs:
        raise InputError(f"{source_name}: the document has no body paragraphs")

    out: list[str] = []
    offset = 0
    paragraph_rows, sentence_rows, emphasis_rows, marker_rows = [], [], [], []
    assembled = [_assemble(piece, text) for piece, _ in paragraphs]
    inlines = [clean_inline(raw) for raw, _, _ in assembled]
    kinds = classify_blocks([raw for raw, _, _ in assembled], [inline.text for inline in inlines])
    for number, ((_, was_joined), (_, starts, line_numbers), inline, kind) in enumerate(
        zip(paragraphs, assembled, inlines, kinds, strict=True), start=1
    ):
        paragraph_id = f"{document_id}:p{number:03d}"
        if out:
            out.append("\n\n")
            offset += 2
        out.append(inline.text)
        paragraph_rows.append(
            {
                "paragraph_id": paragraph_id,
                "document_id": document_id,
                "paragraph_number": number,
                "char_start": offset,
                "char_end": offset + len(inline.text),
                "text": inline.text,
                "source_line_start": line_numbers[0],
                "source_line_end": line_numbers[-1],
                "joined_across_page_break": was_joined,
                "block_kind": kind,
            }
        )
        spans = split_sentences(inline.text)
        for sentence_number, (start, end) in enumerate(spans, start=1):
            sentence_rows.append(
                {
                    "sentence_id": f"{paragraph_id}.s{sentence_number:02d}",
                    "document_id": document_id,
                    "paragraph_id": paragraph_id,
                    "sentence_number": sentence_number,
                    "char_start": offset + start,
                    "char_end": offset + end,
                    "text": inline.text[start:end],
                }
            )
        emphasis_rows += _emphasis_rows(document_id, inline, offset, None)
        for marker in inline.markers:
            sentence = next(
                (
                    s
                    for s in reversed(sentence_rows)
                    if s["paragraph_id"] == paragraph_id and s["char_start"] <= offset + marker.offset
                ),
                None,
            )
            marker_rows.append(
                {
                    "number": marker.number,
                    "marker_style": "plain" if plain.found else marker.style,
                    "marker_offset": offset + marker.offset,
                    "marker_source_line": _line_of(marker.source_offset, starts, line_numbers),
                    "paragraph_id": paragraph_id,
                    "sentence_id": sentence["sentence_id"] if sentence else None,
                }
            )
        offset += len(inline.text)
    body_end = offset

    note_rows = []
    if note_sources:
        heading = f"\n\n{NOTES_TITLE}\n\n"
        out.append(heading)
        offset += len(heading)
    for position, (note, extent) in enumerate(note_sources):
        raw, _, _ = _assemble(_Piece(extent, [note.text] + [lines[i].strip() for i in extent[1:]]), text)
        inline = clean_inline(raw, with_markers=False)
        label = f"{note.number}. "
        if position:
            out.append("\n")
            offset += 1
        out.append(label + inline.text)
        offset += len(label)
        footnote_id = f"{document_id}:fn{note.number:02d}"
        note_rows.append(
            {
                "number": note.number,
                "text": inline.text,
                "char_start": offset,
                "char_end": offset + len(inline.text),
                "note_style": note.style,
                "source_line": note.line + 1,
            }
        )
        emphasis_rows += _emphasis_rows(document_id, inline, offset, footnote_id)
        offset += len(inline.text)

    footnotes = _pair_notes(document_id, source_name, marker_rows, note_rows)
    return CleanedDocument(
        document_id=document_id,
        text="".join(out),
        body_char_end=body_end,
        front_matter=front.fields,
        paragraphs=rows_to_frame("paragraphs", paragraph_rows),
        sentences=rows_to_frame("sentences", sentence_rows),
        footnotes=footnotes,
        emphasis_spans=rows_to_frame("emphasis_spans", emphasis_rows),
        note_decisions=note_decisions,
    )


def _emphasis_rows(document_id: str, inline: InlineText, offset: int, footnote_id: str | None) -> list[dict]:
    return [
        {
            "document_id": document_id,
            "char_start": offset + span.start,
            "char_end": offset + span.end,
            "style": span.style,
            "text": inline.text[span.start : span.end],
            "footnote_id": footnote_id,
        }
        for span in inline.emphasis
    ]


def _pair_notes(document_id: str, source_name: str, markers: list[dict], notes: list[dict]) -> pl.DataFrame:
    """One row per footnote number: marker and note side by side, with a status for unpaired sides."""
    for rows, what, line_key in ((markers, "marker", "marker_source_line"), (notes, "note", "source_line")):
        seen: dict[int, int] = {}
        for row in rows:
            if row["number"] in seen:
                raise InputError(
                    f"{source_name}:{row[line_key]}: {document_id}: footnote {what} {row['number']} appears "
                    f"twice (first on line {seen[row['number']]})"
                )
            seen[row["number"]] = row[line_key]
    by_marker = {row["number"]: row for row in markers}
    by_note = {row["number"]: row for row in notes}
    rows = []
    for number in sorted(by_marker.keys() | by_note.keys()):
        marker, note = by_marker.get(number, {}), by_note.get(number, {})
        status = "ok" if marker and note else ("marker_without_note" if marker else "note_without_marker")
        rows.append(
            {
                "footnote_id": f"{document_id}:fn{number:02d}",
                "document_id": document_id,
                "number": number,
                "status": status,
                **{k: note.get(k) for k in ("text", "char_start", "char_end", "note_style", "source_line")},
                **{
                    k: marker.get(k)
                    for k in (
                        "marker_style",
                        "marker_offset",
                        "marker_source_line",
                        "paragraph_id",
                        "sentence_id",
                    )
                },
            }
        )
    return rows_to_frame("footnotes", rows)


def footnote_problems(
    footnotes: pl.DataFrame,
    note_decisions: dict[int, tuple[int, str]] | None = None,
    acknowledged: frozenset[str] = frozenset(),
) -> list[str]:
    """Gaps, orphan markers and orphan notes, each named by document, number and footnote ID.

    ``note_decisions`` (``CleanedDocument.note_decisions``) names, for a number whose note is missing, the
    note-shaped line that was read as body and why, so that the report shows the line the decision rested on.
    An unpaired footnote whose ID is in ``acknowledged`` is no problem: a correction says the printed paper
    itself lacks that side (``corrections.acknowledged_gaps``) and sets its status in the corrected table.
    """
    decisions = note_decisions or {}

    def rested_on(number: int) -> str:
        if number not in decisions:
            return ""
        line, why = decisions[number]
        return f"; line {line} looks like note {number} but was read as body: {why}"

    problems = []
    for document_id, numbers in (
        footnotes.group_by("document_id", maintain_order=True).agg(pl.col("number")).iter_rows()
    ):
        present = set(numbers)
        problems += [
            f"{document_id}: footnote numbering skips {n} (no marker and no note){rested_on(n)}"
            for n in range(1, max(present, default=0) + 1)
            if n not in present
        ]
    unpaired = footnotes.filter(
        pl.col("status").is_in(UNPAIRED) & ~pl.col("footnote_id").is_in(list(acknowledged))
    )
    for row in unpaired.iter_rows(named=True):
        if row["status"] == "marker_without_note":
            problems.append(
                f"{row['document_id']}: footnote {row['number']}: marker on source line "
                f"{row['marker_source_line']} has no note{rested_on(row['number'])} ({row['footnote_id']})"
            )
        else:
            plain = footnotes.filter(
                (pl.col("document_id") == row["document_id"]) & (pl.col("marker_style") == "plain")
            ).height
            hint = f"; {PLAIN_HINT}" if plain else ""
            problems.append(
                f"{row['document_id']}: footnote {row['number']}: note on source line {row['source_line']} "
                f"has no marker in the body{hint} ({row['footnote_id']})"
            )
    return problems
