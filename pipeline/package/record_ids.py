"""Record IDs that outlive a version: content anchors, plus carry-over from the last package.

Extractors number their records in text order (``<document_id>:c076``), which means something only
within one build: a sentence added at the top renames every later record. This module takes one paper's
freshly extracted tables with those provisional IDs and gives every text-anchored record (a table whose
primary key is one column and whose rows have ``char_start``/``char_end``: paragraphs, sentences,
footnotes, citations, mentions, time expressions, events, claims, unlinked names) an ID that stays with
the record (docs/versioning.md):

1. A content anchor: ``<document_id>:<prefix>-<10 hex>``, a hash of the table, the record's own text and a
   local anchor. For a paragraph, sentence or footnote (a *unit*) the anchor is its occurrence among units
   of the same table with the same text; for any other record it is the anchor of the unit it starts in
   (the sentence, else the footnote, else the paragraph) and the occurrence of its text within that unit.
   Text inserted or deleted elsewhere changes nothing; editing a word changes only the anchors of the
   records of that sentence (and the paragraph's own).
2. Carry-over: where the paper's last published rows are given, a record whose anchor is not among the
   old IDs takes the ID of an old record of the same table that no new record claims by its anchor and
   whose span, mapped onto the new text, overlaps the record's span most. Old spans are mapped through a
   diff of the old and new cleaned text by lines, then by words within the changed lines. When the old
   text is not published (``full_text: false``) it is used only if the text is unchanged (same SHA-256).

Every column that refers to a rewritten ID is rewritten too: the tables' primary and foreign keys (from
``schemas/``), and the ``*_id`` columns that hold IDs of several tables (``claim_subjects.subject_id``)
or of kinds that are not tables (``claim_footnotes``).
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polars as pl

from pipeline.package.schema import SchemaSpecError, TableSpec, load_table_spec

# The short name each text-anchored table's IDs carry after the document ID.
ID_PREFIXES: dict[str, str] = {
    "paragraphs": "p",
    "sentences": "s",
    "footnotes": "fn",
    "citations": "cit",
    "mentions": "m",
    "unlinked_names": "u",
    "time_expressions": "t",
    "events": "e",
    "claims": "c",
}
# Units a record is anchored in, tried in this order: the first whose span holds the record's start.
UNIT_TABLES = ("sentences", "footnotes", "paragraphs")
HASH_BYTES = 5
# A changed stretch of more words than this is not diffed word by word (its records keep anchors only).
MAX_WORD_DIFF = 20_000
WORDS = re.compile(r"\S+|\s+")


def stable_id_pattern(table: str) -> str:
    """The regular expression of a stable ID of ``table`` (its schema's ``pattern``)."""
    return rf"^[a-z0-9][a-z0-9-]*:{ID_PREFIXES[table]}-[0-9a-f]{{{2 * HASH_BYTES}}}(-\d+)?$"


@cache
def _spec(name: str) -> TableSpec | None:
    try:
        return load_table_spec(name)
    except SchemaSpecError:
        return None


def _id_column(name: str, frame: pl.DataFrame) -> str | None:
    """The ID column of a text-anchored table, else None."""
    spec = _spec(name)
    if spec is None or name not in ID_PREFIXES or len(spec.primary_key) != 1:
        return None
    column = spec.primary_key[0]
    needed = (column, "char_start", "char_end")
    return column if all(c in frame.columns for c in needed) else None


@dataclass(frozen=True)
class PublishedRecords:
    """One paper's records as the last package published them: the ID and span of each, per table."""

    spans: Mapping[str, pl.DataFrame]  # table -> columns id, char_start, char_end
    text: str | None = None  # the cleaned text, when the package publishes it
    text_sha256: str | None = None
    reserved: frozenset[str] = field(default_factory=frozenset)  # IDs never carried (added by corrections)


@dataclass
class _Unit:
    """The paragraphs, sentences or footnotes of a paper, by start, with their content anchors."""

    starts: list[int]
    ends: list[int]
    anchors: list[str]

    def holding(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i if i >= 0 and offset < self.ends[i] else None


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=HASH_BYTES).hexdigest()


def _spans(frame: pl.DataFrame) -> tuple[list[int], list[int]]:
    return frame["char_start"].to_list(), frame["char_end"].to_list()


def _unplaced(name: str, provisional: str) -> str:
    """The anchor of a record without a span (a note whose text is missing from the source): the
    extractor's own ID, which for such records is the note's printed number."""
    return _digest(name, "\x00unplaced", provisional)


def _unit_anchors(
    name: str, text: str, starts: list[int], ends: list[int], provisional: list[str]
) -> list[str]:
    """A unit's anchor: its text and how many units of the table before it have the same text."""
    seen: dict[str, int] = {}
    anchors = []
    for start, end, own_id in zip(starts, ends, provisional, strict=True):
        if start is None or end is None:
            anchors.append(_unplaced(name, own_id))
            continue
        own = " ".join(text[start:end].split())
        occurrence = seen.get(own, 0)
        seen[own] = occurrence + 1
        anchors.append(_digest(name, own, str(occurrence)))
    return anchors


def _record_anchors(
    name: str,
    text: str,
    starts: list[int],
    ends: list[int],
    units: list[_Unit],
    provisional: list[str],
    kinds: list[str | None],
) -> list[str]:
    """A record's anchor: its kind and text, the unit it starts in, and its text's occurrence within the
    unit (two claims of different kinds over one sentence are two records)."""
    anchors = []
    for start, end, own_id, kind in zip(starts, ends, provisional, kinds, strict=True):
        if start is None or end is None:
            anchors.append(_unplaced(name, own_id))
            continue
        own = text[start:end]
        unit_anchor, unit_start = "", 0
        for unit in units:
            i = unit.holding(start)
            if i is not None:
                unit_anchor, unit_start = unit.anchors[i], unit.starts[i]
                break
        occurrence = text.count(own, unit_start, start) if own else 0
        anchors.append(_digest(name, str(kind), " ".join(own.split()), unit_anchor, str(occurrence)))
    return anchors


def _unique(ids: list[str]) -> list[str]:
    """IDs made unique in the order given: a repeated anchor (two records of one kind over one span) gets
    ``-2``, ``-3`` ... after it."""
    if len(set(ids)) == len(ids):
        return ids
    seen: dict[str, int] = {}
    unique = []
    for record_id in ids:
        count = seen.get(record_id, 0) + 1
        seen[record_id] = count
        unique.append(record_id if count == 1 else f"{record_id}-{count}")
    return unique


def _kinds(name: str, frame: pl.DataFrame) -> list[str | None]:
    """Each record's kind: its value in the first column with enumerated values in the table's spec."""
    spec = _spec(name)
    column = next((f.name for f in spec.fields if f.enum and f.name in frame.columns), None) if spec else None
    return frame[column].cast(pl.String).to_list() if column else [None] * frame.height


# --- mapping old spans onto the new text ---------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _offsets(pieces: list[str]) -> list[int]:
    offsets = [0]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    return offsets


def matching_blocks(old: str, new: str) -> list[tuple[int, int, int]]:
    """Stretches of text the two versions share, as (old start, new start, length), in order: a diff by
    lines, and by words within the lines that changed."""
    if old == new:
        return [(0, 0, len(old))]
    old_lines, new_lines = _lines(old), _lines(new)
    old_at, new_at = _offsets(old_lines), _offsets(new_lines)
    blocks: list[tuple[int, int, int]] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks.append((old_at[i1], new_at[j1], old_at[i2] - old_at[i1]))
        elif tag == "replace":
            old_words = WORDS.findall(old[old_at[i1] : old_at[i2]])
            new_words = WORDS.findall(new[new_at[j1] : new_at[j2]])
            if len(old_words) + len(new_words) > MAX_WORD_DIFF:
                continue
            old_word_at, new_word_at = _offsets(old_words), _offsets(new_words)
            words = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
            for a, b, size in words.get_matching_blocks():
                if size:
                    length = old_word_at[a + size] - old_word_at[a]
                    blocks.append((old_at[i1] + old_word_at[a], new_at[j1] + new_word_at[b], length))
    return [b for b in blocks if b[2] > 0]


def map_span(blocks: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int] | None:
    """An old span's place in the new text: from where its first surviving character went to where its
    last one did; None when none of it survives."""
    first = bisect.bisect_right([b[0] for b in blocks], start) - 1
    mapped: list[int] = []
    for old_start, new_start, length in blocks[max(first, 0) :]:
        if old_start >= end:
            break
        low, high = max(start, old_start), min(end, old_start + length)
        if low < high:
            mapped += [new_start + low - old_start, new_start + high - old_start]
    return (min(mapped), max(mapped)) if mapped else None


# --- carry-over ------------------------------------------------------------------------------------------


def _carry_over(new_spans: list[tuple[int, int]], old: list[tuple[str, int, int]]) -> dict[int, str]:
    """Which new record (by index) takes which old ID: the pairs of overlapping spans, the closest first
    (overlap over union), each record and each old ID at most once."""
    if not new_spans or not old:
        return {}
    old = sorted(old, key=lambda o: (o[1], o[2], o[0]))
    old_starts = [o[1] for o in old]
    longest = max(o[2] - o[1] for o in old)
    pairs = []
    for index, (start, end) in enumerate(new_spans):
        low = bisect.bisect_left(old_starts, start - longest)
        high = bisect.bisect_left(old_starts, end)
        for record_id, old_start, old_end in old[low:high]:
            overlap = min(end, old_end) - max(start, old_start)
            if overlap > 0:
                union = max(end, old_end) - min(start, old_start)
                pairs.append((-overlap / union, index, record_id))
    pairs.sort()
    taken: dict[int, str] = {}
    used: set[str] = set()
    for _, index, record_id in pairs:
        if index not in taken and record_id not in used:
            taken[index] = record_id
            used.add(record_id)
    return taken


def _old_spans(
    name: str, previous: PublishedRecords, blocks: list[tuple[int, int, int]] | None, claimed: set[str]
) -> list[tuple[str, int, int]]:
    """The old records of a table that may hand their ID on: stable IDs no new anchor claims, not added
    by a correction, whose span survives in the new text."""
    frame = previous.spans.get(name)
    if frame is None or blocks is None or frame.is_empty():
        return []
    pattern = re.compile(stable_id_pattern(name))
    spans = []
    for record_id, start, end in zip(*(frame[c].to_list() for c in frame.columns), strict=True):
        if start is None or end is None or record_id in claimed or record_id in previous.reserved:
            continue
        if not pattern.match(record_id):
            continue
        mapped = map_span(blocks, start, end)
        if mapped is not None:
            spans.append((record_id, *mapped))
    return spans


def _blocks(text: str, previous: PublishedRecords | None) -> list[tuple[int, int, int]] | None:
    if previous is None:
        return None
    if previous.text is not None:
        return matching_blocks(previous.text, text)
    if previous.text_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest():
        return [(0, 0, len(text))]
    return None


# --- the whole paper -------------------------------------------------------------------------------------


def _referring_columns(name: str, frame: pl.DataFrame) -> dict[str, str | None]:
    """The columns of a frame that may hold a record ID, with the table whose IDs they hold: its table's
    primary and foreign keys, and any other ``*_id`` column (None: IDs of several tables, or a frame that
    is not a published table)."""
    spec = _spec(name)
    keyed: dict[str, str | None] = {}
    schema = frame.schema
    if spec is not None:
        if len(spec.primary_key) == 1:
            keyed[spec.primary_key[0]] = name
        for fk in spec.foreign_keys:
            if len(fk.fields) == 1:
                keyed[fk.fields[0]] = fk.resource
    return {
        c: keyed.get(c) for c in frame.columns if schema[c] == pl.String and (c in keyed or c.endswith("_id"))
    }


def stable_ids(
    document_id: str,
    text: str,
    tables: Mapping[str, pl.DataFrame],
    previous: PublishedRecords | None = None,
) -> dict[str, pl.DataFrame]:
    """The paper's tables with stable record IDs in place of the extractors' provisional ones, and every
    column that refers to one rewritten with it. Rows keep their order; only ID values change."""
    blocks = _blocks(text, previous)
    units: dict[str, _Unit] = {}
    renamed: dict[str, str] = {}
    per_table: dict[str, tuple[list[str], list[str]]] = {}
    anchored = [n for n in (*UNIT_TABLES, *ID_PREFIXES) if n in tables and _id_column(n, tables[n])]
    for name in dict.fromkeys(anchored):
        frame = tables[name]
        id_column = _id_column(name, frame)
        assert id_column is not None
        starts, ends = _spans(frame)
        provisional = frame[id_column].to_list()
        if name in UNIT_TABLES:
            anchors = _unit_anchors(name, text, starts, ends, provisional)
            placed = [i for i in range(len(starts)) if starts[i] is not None and ends[i] is not None]
            order = sorted(placed, key=lambda i: starts[i])
            units[name] = _Unit(
                [starts[i] for i in order], [ends[i] for i in order], [anchors[i] for i in order]
            )
        else:
            present = [units[u] for u in UNIT_TABLES if u in units]
            anchors = _record_anchors(name, text, starts, ends, present, provisional, _kinds(name, frame))
        prefix = f"{document_id}:{ID_PREFIXES[name]}-"
        ids = _unique([prefix + a for a in anchors])
        if previous is not None:
            claimed = set(ids)
            old_ids = set(previous.spans[name][:, 0].to_list()) if name in previous.spans else set()
            open_records = [
                i for i, record_id in enumerate(ids) if record_id not in old_ids and starts[i] is not None
            ]
            carried = _carry_over(
                [(starts[i], ends[i]) for i in open_records], _old_spans(name, previous, blocks, claimed)
            )
            for position, record_id in carried.items():
                ids[open_records[position]] = record_id
        if len(set(ids)) != len(ids):
            raise ValueError(f"{document_id}: {name}: two records were given the same stable ID")
        per_table[name] = (provisional, ids)
        for old_id, new_id in zip(provisional, ids, strict=True):
            if renamed.setdefault(old_id, new_id) != new_id:
                raise ValueError(f"{document_id}: {name}: provisional ID {old_id!r} names two records")
    by_table: dict[str | None, Mapping[str, str]] = {None: renamed}
    for name, (old, new) in per_table.items():
        by_table[name] = dict(zip(old, new, strict=True))
    return {name: _rewrite(name, frame, by_table) for name, frame in tables.items()}


def _rewrite(name: str, frame: pl.DataFrame, renamed: Mapping[str | None, Mapping[str, str]]) -> pl.DataFrame:
    """The frame with every column that refers to a rewritten ID rewritten (a value not renamed stays).

    Looked up in Python: for a paper's few hundred rows a polars expression costs more to plan than to run.
    """
    rewritten = None
    for column, table in _referring_columns(name, frame).items():
        mapping = renamed.get(table)
        values = frame[column]
        if not mapping or values.null_count() == frame.height:
            continue
        new = pl.Series(column, [mapping.get(v, v) for v in values.to_list()], dtype=pl.String)
        rewritten = frame.clone() if rewritten is None else rewritten
        rewritten.replace_column(frame.get_column_index(column), new)
    return frame if rewritten is None else rewritten


# --- reading the last package ----------------------------------------------------------------------------


@cache
def _published_spans(root: Path, name: str, stamp: int) -> dict[str, pl.DataFrame]:
    """A published table's (ID, span) per paper; read once per process and package version (``stamp``)."""
    spec = _spec(name)
    assert spec is not None
    columns = [spec.primary_key[0], "char_start", "char_end", "document_id"]
    path = root / "data" / "parquet" / f"{name}.parquet"
    try:
        frame = pl.read_parquet(path, columns=columns)
    except Exception:  # a package of an older layout, or none: nothing to carry over
        return {}
    return {
        str(key[0]): part.drop("document_id")
        for key, part in frame.partition_by("document_id", as_dict=True, maintain_order=True).items()
    }


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def published_records(
    package_root: Path, document_id: str, reserved: Iterable[str] = ()
) -> PublishedRecords | None:
    """The paper's records in the package at ``package_root`` (the last build), or None when it has none."""
    parquet = package_root / "data" / "parquet"
    documents = _published_spans_documents(package_root, _stamp(parquet / "documents.parquet"))
    if document_id not in documents:
        return None
    spans = {}
    for name in ID_PREFIXES:
        table = _published_spans(package_root, name, _stamp(parquet / f"{name}.parquet"))
        if document_id in table:
            spans[name] = table[document_id]
    text_path = package_root / "text" / f"{document_id}.txt"
    text = text_path.read_text(encoding="utf-8") if text_path.exists() else None
    return PublishedRecords(spans, text, documents[document_id], frozenset(reserved))


@cache
def _published_spans_documents(root: Path, stamp: int) -> dict[str, str]:
    """Each published paper's text digest."""
    try:
        frame = pl.read_parquet(
            root / "data" / "parquet" / "documents.parquet", columns=["document_id", "text_sha256"]
        )
    except Exception:
        return {}
    return dict(frame.iter_rows())
