"""Human corrections: load, validate and apply the entries in corrections/*.yaml.

Users fix errors in the open by adding entries to YAML files instead of editing code or generated data.
Text fixes are applied to a paper's OCR text before extraction (``text_corrections``); record fixes
(field, add, withdraw) to a table after it. Every entry states the value it expects to replace, so a
correction that no longer fits the data (the OCR or an extractor changed underneath it) fails the run
loudly instead of being applied to the wrong thing, and every correction must be applied exactly once
per run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipeline.package.schema import rows_to_frame

RECORD_STATUS = "record_status"
KEY_SEPARATOR = "|"
COMMON_REQUIRED = ("id", "kind", "reason", "author", "date")
KIND_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required keys, optional keys) besides the common ones
    "text": (("document_id", "line", "old", "new"), ()),
    "field": (("table", "record_id", "field", "old", "new"), ("document_id",)),
    "add": (("table", "record"), ("document_id",)),
    "withdraw": (("table", "record_id"), ("document_id",)),
}
SCALAR_TYPES = (str, int, float, bool, type(None), dt.date)
SHOWN_CHARS = 200


# Footnote statuses by which a correction says the printed paper itself lacks a note's marker or its note.
ACKNOWLEDGED_GAPS = {"note_missing_in_source", "marker_missing_in_source"}


class CorrectionError(ValueError):
    """A correction file or entry is invalid, stale or targets nothing; the message says where and why."""


@dataclass(frozen=True)
class Correction:
    """One entry of a correction file, validated."""

    id: str
    kind: str
    reason: str
    author: str
    date: dt.date
    source_file: str
    document_id: str | None = None
    table: str | None = None
    record_id: str | None = None
    field: str | None = None
    line: int | None = None
    old: Any = None
    new: Any = None
    record: Mapping[str, Any] | None = None

    @property
    def where(self) -> str:
        """How an error message names this entry: the file and the entry ID."""
        return f"{self.source_file}, entry {self.id}"


@dataclass(frozen=True)
class AppliedCorrection:
    """What one correction changed, as published in the corrections table."""

    correction: Correction
    document_id: str | None
    table_name: str | None
    record_id: str | None
    field: str | None
    old_value: str | None
    new_value: str | None
    source_line: int | None = None
    status: str = "applied"


def _as_text(value: Any) -> str | None:
    """A value as it is shown in the corrections table and in messages (records as sorted JSON)."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return json.dumps(dict(value), ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def shown(value: Any) -> str:
    text = _as_text(value)
    if text is None:
        return "null"
    return repr(text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…")


# --- loading and validation -------------------------------------------------------------------------


def _parse_date(where: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CorrectionError(f"{where}: date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _check_keys(where: str, entry: Mapping[str, Any], kind: str) -> None:
    required, optional = KIND_KEYS[kind]
    allowed = {*COMMON_REQUIRED, *required, *optional}
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise CorrectionError(
            f"{where}: unknown key(s) {unknown} for kind {kind!r}; allowed: {sorted(allowed)}"
        )
    missing = [k for k in (*COMMON_REQUIRED, *required) if k not in entry]
    if missing:
        raise CorrectionError(f"{where}: missing key(s) {missing} for kind {kind!r}")


def _nonempty_text(where: str, entry: Mapping[str, Any], key: str) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise CorrectionError(f"{where}: {key!r} must be non-empty text, got {value!r}")
    return value.strip()


def _parse_entry(source_file: str, index: int, entry: Any) -> Correction:
    if not isinstance(entry, Mapping):
        raise CorrectionError(f"{source_file}, entry #{index + 1}: expected a mapping, got {entry!r}")
    entry_id = entry.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise CorrectionError(f"{source_file}, entry #{index + 1}: missing or empty 'id'")
    where = f"{source_file}, entry {entry_id}"
    kind = entry.get("kind")
    if kind not in KIND_KEYS:
        raise CorrectionError(f"{where}: kind {kind!r} is not one of {sorted(KIND_KEYS)}")
    _check_keys(where, entry, kind)
    common = {
        "id": entry_id.strip(),
        "kind": kind,
        "reason": _nonempty_text(where, entry, "reason"),
        "author": _nonempty_text(where, entry, "author"),
        "date": _parse_date(where, entry["date"]),
        "source_file": source_file,
    }
    document_id = entry.get("document_id")
    if document_id is not None and (not isinstance(document_id, str) or not document_id.strip()):
        raise CorrectionError(f"{where}: document_id must be text, got {document_id!r}")
    if kind == "text":
        return _parse_text_entry(where, entry, common)
    table = _nonempty_text(where, entry, "table")
    if kind == "add":
        record = entry["record"]
        if not isinstance(record, Mapping) or not record:
            raise CorrectionError(f"{where}: 'record' must be a mapping of column to value")
        bad = [k for k, v in record.items() if not isinstance(v, SCALAR_TYPES)]
        if bad:
            raise CorrectionError(f"{where}: record values must be single values (no lists); see {bad}")
        document_id = document_id or record.get("document_id")
        return Correction(**common, table=table, record=dict(record), document_id=document_id)
    record_id = entry["record_id"]
    if not isinstance(record_id, str | int) or isinstance(record_id, bool) or str(record_id) == "":
        raise CorrectionError(f"{where}: record_id must be the record's primary-key value, got {record_id!r}")
    record_id = str(record_id)
    document_id = document_id or _document_of(record_id)
    if kind == "withdraw":
        return Correction(**common, table=table, record_id=record_id, document_id=document_id)
    field_name = _nonempty_text(where, entry, "field")
    if field_name == RECORD_STATUS:
        raise CorrectionError(f"{where}: use kind 'withdraw' to change {RECORD_STATUS}")
    for key in ("old", "new"):
        if not isinstance(entry[key], SCALAR_TYPES):
            raise CorrectionError(f"{where}: {key!r} must be a single value, got {entry[key]!r}")
    if _as_text(entry["old"]) == _as_text(entry["new"]):
        raise CorrectionError(f"{where}: old and new are the same value")
    return Correction(
        **common,
        table=table,
        record_id=record_id,
        field=field_name,
        old=entry["old"],
        new=entry["new"],
        document_id=document_id,
    )


def _parse_text_entry(where: str, entry: Mapping[str, Any], common: dict[str, Any]) -> Correction:
    line = entry["line"]
    if not isinstance(line, int) or isinstance(line, bool) or line < 1:
        raise CorrectionError(f"{where}: line must be a 1-based line number, got {line!r}")
    old, new = entry["old"], entry["new"]
    if not isinstance(old, str) or old == "":
        raise CorrectionError(f"{where}: 'old' must be the exact, non-empty text to replace")
    if not isinstance(new, str):
        raise CorrectionError(f"{where}: 'new' must be text (quote it in YAML), got {new!r}")
    if old == new:
        raise CorrectionError(f"{where}: old and new are the same text")
    return Correction(
        **common, document_id=_nonempty_text(where, entry, "document_id"), line=line, old=old, new=new
    )


def _document_of(record_id: str) -> str | None:
    """The document a record ID belongs to, when IDs follow the "<document_id>:..." convention."""
    head, sep, _ = record_id.partition(":")
    return head if sep and head else None


def load_correction_file(path: Path, source_file: str) -> list[Correction]:
    """Read and validate one YAML file holding a list of correction entries."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CorrectionError(f"{source_file}: not valid YAML: {exc}") from exc
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CorrectionError(
            f"{source_file}: expected a list of correction entries, got {type(raw).__name__}"
        )
    return [_parse_entry(source_file, i, entry) for i, entry in enumerate(raw)]


def load_corrections(directory: Path) -> list[Correction]:
    """Load every corrections/*.yaml file, validating all entries and ID uniqueness up front.

    Returns the corrections sorted by ID so that application order never depends on file layout.
    """
    if not directory.is_dir():
        return []
    corrections: list[Correction] = []
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    for path in files:
        corrections += load_correction_file(path, f"{directory.name}/{path.name}")
    seen: dict[str, str] = {}
    for correction in corrections:
        if correction.id in seen:
            raise CorrectionError(
                f"{correction.where}: ID {correction.id!r} is already used in {seen[correction.id]}; "
                "correction IDs must be unique across all files"
            )
        seen[correction.id] = correction.source_file
    return sorted(corrections, key=lambda c: c.id)


def check_targets(
    corrections: Iterable[Correction], document_ids: Iterable[str], tables: Mapping[str, Sequence[str]]
) -> None:
    """Fail early on corrections naming an unknown document, table or column (tables: name -> columns)."""
    documents = set(document_ids)
    for c in corrections:
        if c.kind == "text" and c.document_id not in documents:
            raise CorrectionError(
                f"{c.where}: no document {c.document_id!r} in raw/; known: {sorted(documents)}"
            )
        if c.kind == "text":
            continue
        if c.table not in tables:
            raise CorrectionError(f"{c.where}: no table {c.table!r}; known: {sorted(tables)}")
        columns = tables[c.table]
        named = [c.field] if c.kind == "field" else list(c.record or {})
        unknown = [n for n in named if n not in columns]
        if unknown:
            raise CorrectionError(f"{c.where}: table {c.table!r} has no column(s) {unknown}")


# --- record corrections ------------------------------------------------------------------------------


def record_ids(frame: pl.DataFrame, primary_key: Sequence[str]) -> pl.Series:
    """The record ID of every row: the primary-key value, or the key values joined by "|"."""
    if len(primary_key) == 1:
        return frame.get_column(primary_key[0]).cast(pl.String).alias("record_id")
    return (
        frame.select(pl.concat_str([pl.col(k).cast(pl.String) for k in primary_key], separator=KEY_SEPARATOR))
        .to_series()
        .alias("record_id")
    )


def _coerce(correction: Correction, column: str, dtype: pl.DataType, value: Any) -> Any:
    """A YAML value cast to the column's type, so 1944 and "1944" mean the same in an integer column."""
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = value.isoformat()
    try:
        return pl.Series([value]).cast(pl.String).cast(dtype, strict=True)[0]
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError):
        raise CorrectionError(
            f"{correction.where}: {value!r} is not a valid {dtype} for column {column!r}"
        ) from None


def _in_partition(correction: Correction, document_id: str | None, found: bool) -> bool:
    """Whether this call is the one that should apply the correction.

    Called per document, a correction belongs to the document named in it (or in its record ID); one
    without a known document applies wherever its record is found. Called for a whole table
    (document_id None), every correction for the table applies.
    """
    if document_id is None:
        return True
    if correction.document_id is not None:
        return correction.document_id == document_id
    return found


def _apply_field(
    c: Correction, frame: pl.DataFrame, row: int, primary_key: Sequence[str]
) -> tuple[pl.DataFrame, AppliedCorrection]:
    if c.field not in frame.columns:
        raise CorrectionError(f"{c.where}: table {c.table!r} has no column {c.field!r}")
    if c.field in primary_key:
        raise CorrectionError(f"{c.where}: {c.field!r} is part of the primary key; IDs never change")
    dtype = frame.schema[c.field]
    expected = _coerce(c, c.field, dtype, c.old)
    current = frame.get_column(c.field)[row]
    if current != expected and not (current in (None, "") and expected in (None, "")):
        raise CorrectionError(
            f"{c.where}: expected {c.table}.{c.field} of {c.record_id!r} to be {shown(c.old)}, "
            f"but found {shown(current)} (the extractor or an earlier correction changed it)"
        )
    new_value = _coerce(c, c.field, dtype, c.new)
    column = frame.get_column(c.field).scatter(row, new_value)
    applied = AppliedCorrection(
        c, c.document_id, c.table, c.record_id, c.field, _as_text(current), _as_text(new_value)
    )
    return frame.with_columns(column.alias(c.field)), applied


def _apply_withdraw(c: Correction, frame: pl.DataFrame, row: int) -> tuple[pl.DataFrame, AppliedCorrection]:
    status = frame.get_column(RECORD_STATUS)[row]
    if status == "withdrawn":
        raise CorrectionError(f"{c.where}: {c.table} record {c.record_id!r} is already withdrawn")
    column = frame.get_column(RECORD_STATUS).scatter(row, "withdrawn")
    applied = AppliedCorrection(c, c.document_id, c.table, c.record_id, RECORD_STATUS, status, "withdrawn")
    return frame.with_columns(column), applied


def _apply_add(
    c: Correction, frame: pl.DataFrame, ids: Mapping[str, int], primary_key: Sequence[str]
) -> tuple[pl.DataFrame, AppliedCorrection]:
    record = dict(c.record or {})
    unknown = [k for k in record if k not in frame.columns]
    if unknown:
        raise CorrectionError(f"{c.where}: table {c.table!r} has no column(s) {unknown}")
    missing_key = [k for k in primary_key if record.get(k) in (None, "")]
    if missing_key:
        raise CorrectionError(f"{c.where}: the added record needs its primary key {missing_key}")
    if record.get(RECORD_STATUS, "active") != "active":
        raise CorrectionError(f"{c.where}: an added record starts active; withdraw it with another entry")
    record[RECORD_STATUS] = "active"
    row = {name: _coerce(c, name, dtype, record.get(name)) for name, dtype in frame.schema.items()}
    new_id = KEY_SEPARATOR.join(_as_text(row[k]) or "" for k in primary_key)
    if new_id in ids:
        raise CorrectionError(f"{c.where}: {c.table} already has a record {new_id!r}; IDs are never reused")
    added = pl.DataFrame([row], schema=frame.schema)
    applied = AppliedCorrection(c, c.document_id, c.table, new_id, None, None, _as_text(c.record))
    return pl.concat([frame, added], how="vertical"), applied


def apply_record_corrections(
    table: str,
    frame: pl.DataFrame,
    primary_key: Sequence[str],
    corrections: Iterable[Correction],
    document_id: str | None = None,
) -> tuple[pl.DataFrame, list[AppliedCorrection]]:
    """Apply the field, add and withdraw corrections for one table (or one document's part of it).

    Rows are never removed: a withdrawn record keeps its ID with record_status "withdrawn". Corrections
    are applied in ID order, each checked against the current value before it changes anything.
    """
    if RECORD_STATUS not in frame.columns:
        frame = frame.with_columns(pl.lit("active").alias(RECORD_STATUS))
    applied: list[AppliedCorrection] = []
    mine = sorted((c for c in corrections if c.kind != "text" and c.table == table), key=lambda c: c.id)
    if not mine:
        return frame, applied
    ids = {record_id: row for row, record_id in enumerate(record_ids(frame, primary_key).to_list())}
    for c in mine:
        if c.kind == "add":
            # An add names its document (or carries a document_id column); without one it is corpus-level.
            if document_id is not None and c.document_id != document_id:
                continue
            frame, done = _apply_add(c, frame, ids, primary_key)
            ids[done.record_id or ""] = frame.height - 1
            applied.append(done)
            continue
        row = ids.get(c.record_id or "")
        if not _in_partition(c, document_id, found=row is not None):
            continue
        if row is None:
            raise CorrectionError(
                f"{c.where}: {table} has no record {c.record_id!r} (the correction targets nothing)"
            )
        frame, done = (
            _apply_withdraw(c, frame, row)
            if c.kind == "withdraw"
            else _apply_field(c, frame, row, primary_key)
        )
        applied.append(done)
    return frame, applied


def without_left_out(
    corrections: Iterable[Correction], left_out: set[str], kept_previous: set[str]
) -> list[Correction]:
    """The corrections a build applies and accounts for once some papers are left out of it.

    A left-out paper's problems (a text correction that no longer matches among them) are reported with
    the paper, which must not stop the others: its text corrections are not expected to apply, and when
    no earlier version of it is published its record corrections have no rows to apply to.
    """
    return [
        c
        for c in corrections
        if c.document_id not in left_out or (c.kind != "text" and c.document_id in kept_previous)
    ]


def check_all_applied(corrections: Iterable[Correction], applied: Iterable[AppliedCorrection]) -> None:
    """At the end of a run: every correction applied exactly once, or a CorrectionError naming the others."""
    counts = Counter(a.correction.id for a in applied)
    problems = []
    for c in corrections:
        if counts[c.id] == 0:
            target = (
                f"line {c.line} of document {c.document_id!r}"
                if c.kind == "text"
                else f"{c.table} record {c.record_id or _as_text(c.record)!r}"
            )
            problems.append(f"{c.where}: targets nothing ({target} was never reached in this run)")
        elif counts[c.id] > 1:
            problems.append(f"{c.where}: was applied {counts[c.id]} times; it must apply exactly once")
    if problems:
        raise CorrectionError("corrections not applied exactly once:\n  " + "\n  ".join(problems))


def corrections_fingerprint(corrections: Iterable[Correction], document_id: str | None = None) -> str:
    """A stable hash of the corrections that can change a document (all of them when document_id is None).

    Part of a document's input fingerprint, so that adding, editing or removing a correction re-runs
    exactly the documents it concerns.
    """
    digest = hashlib.sha256()
    for c in sorted(corrections, key=lambda c: c.id):
        if document_id is not None and c.document_id not in (document_id, None):
            continue
        fields = {k: _as_text(v) for k, v in vars(c).items() if k != "source_file"}
        digest.update(json.dumps(fields, sort_keys=True).encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]


# --- published table ---------------------------------------------------------------------------------

WITHHELD_REASON = "Withheld with the paper's text: its metadata does not say full_text: true."


def corrections_table(
    applied: Iterable[AppliedCorrection], withheld_documents: Iterable[str] = ()
) -> pl.DataFrame:
    """The published corrections table: one row per applied correction, saying what it changed.

    A correction of a paper whose text is withheld quotes that text in its old and new values and, often,
    its reason; those cells are withheld with the text (a withdrawal's active/withdrawn values stay).
    """
    withheld = set(withheld_documents)
    rows = [
        {
            "correction_id": a.correction.id,
            "kind": a.correction.kind,
            "document_id": a.document_id,
            "table_name": a.table_name,
            "record_id": a.record_id,
            "field": a.field,
            "source_line": a.source_line,
            "old_value": a.old_value,
            "new_value": a.new_value,
            "reason": " ".join(a.correction.reason.split()),
            "author": a.correction.author,
            "date": a.correction.date.isoformat(),
            "source_file": a.correction.source_file,
            "status": a.status,
        }
        for a in applied
    ]
    for row in rows:
        if row["document_id"] in withheld:
            row["reason"] = WITHHELD_REASON
            if row["kind"] != "withdraw":
                row["old_value"] = row["new_value"] = None
    return rows_to_frame("corrections", rows).sort("correction_id")


__all__ = [
    "AppliedCorrection",
    "Correction",
    "CorrectionError",
    "apply_record_corrections",
    "check_all_applied",
    "check_targets",
    "corrections_fingerprint",
    "corrections_table",
    "load_corrections",
    "record_ids",
]


def acknowledged_gaps(corrections: Iterable[Correction]) -> frozenset[str]:
    """The footnote IDs whose missing side a correction acknowledges (``status`` set to one of
    ``ACKNOWLEDGED_GAPS``: the printed paper itself has no note, or no marker, there)."""
    return frozenset(
        str(c.record_id)
        for c in corrections
        if c.kind == "field" and c.table == "footnotes" and c.field == "status" and c.new in ACKNOWLEDGED_GAPS
    )
