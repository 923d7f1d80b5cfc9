"""Compare a new data package with the last release, record by record, and say how big the change is.

A user deciding whether to move to a new version needs to know which records were added, withdrawn or
changed, not just that files differ. Both packages are read through their datapackage.json (tables,
primary keys, columns) and CSV files, compared as text so that the comparison does not depend on type
inference, and summarised per table with the record IDs (`diff_packages`); `suggest_bump` names the
change level by the rules of docs/versioning.md. `changelog` writes the comparison down.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.package.schema import SchemaSpecError, load_table_spec

RECORD_STATUS = "record_status"
KEY = "__record_id"
BUMPS = ("none", "patch", "minor", "major")
WITHHELD = "(withheld: the paper's text is not published)"


@dataclass(frozen=True)
class FieldChange:
    record_id: str
    field: str
    old: str | None
    new: str | None


@dataclass
class TableDiff:
    """What changed in one table that exists in both packages."""

    name: str
    old_rows: int = 0
    new_rows: int = 0
    added: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    # IDs of the stable form (docs/versioning.md) no longer present: records extraction no longer finds,
    # listed as withdrawn with the last version that had them; their IDs are never reused.
    retired: list[str] = field(default_factory=list)
    reissued: bool = False  # old IDs of an earlier form gone, stable ones added: the one-time ID change
    reinstated: list[str] = field(default_factory=list)
    changed: list[FieldChange] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_retyped: list[tuple[str, str, str]] = field(default_factory=list)
    primary_key_change: tuple[list[str], list[str]] | None = None

    @property
    def schema_changed(self) -> bool:
        return bool(
            self.columns_added or self.columns_removed or self.columns_retyped or self.primary_key_change
        )

    @property
    def breaking(self) -> bool:
        return bool(self.columns_removed or self.columns_retyped or self.primary_key_change or self.vanished)

    @property
    def records_changed(self) -> bool:
        return bool(
            self.added or self.withdrawn or self.vanished or self.retired or self.reinstated or self.changed
        )

    @property
    def empty(self) -> bool:
        return not (self.schema_changed or self.records_changed)


@dataclass
class PackageDiff:
    """Differences between two packages, table by table, plus their files (texts, figures)."""

    old_version: str | None
    new_version: str | None
    tables_added: dict[str, int] = field(default_factory=dict)
    tables_removed: list[str] = field(default_factory=list)
    tables: dict[str, TableDiff] = field(default_factory=dict)
    files_added: list[str] = field(default_factory=list)
    files_removed: list[str] = field(default_factory=list)
    files_changed: list[str] = field(default_factory=list)
    corrected: set[tuple[str, str, str]] = field(default_factory=set)
    """(table, record_id, field) targets of corrections new in this version, from the corrections table."""

    @property
    def empty(self) -> bool:
        return not (
            self.tables_added
            or self.tables_removed
            or self.files_added
            or self.files_removed
            or self.files_changed
            or any(not t.empty for t in self.tables.values())
        )


# --- reading packages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    name: str
    primary_key: list[str]
    types: dict[str, str]
    frame: pl.DataFrame


def _open(path: Path, scratch: Path) -> Path:
    """A package folder: the path itself, or a release zip unpacked into scratch."""
    if path.is_file() and zipfile.is_zipfile(path):
        target = scratch / path.stem
        with zipfile.ZipFile(path) as archive:
            archive.extractall(target)
        return target
    if not (path / "datapackage.json").exists():
        raise FileNotFoundError(f"{path}: no datapackage.json (expected a package folder or a release zip)")
    return path


def _read_tables(root: Path, descriptor: dict[str, Any]) -> dict[str, _Table]:
    tables = {}
    for resource in descriptor.get("resources", []):
        if resource.get("type") != "table" or resource.get("format", "csv") != "csv":
            continue
        schema = resource.get("schema", {})
        types = {f["name"]: f.get("type", "string") for f in schema.get("fields", [])}
        frame = pl.read_csv(root / resource["path"], infer_schema=False)
        primary_key = schema.get("primaryKey") or []
        primary_key = [primary_key] if isinstance(primary_key, str) else list(primary_key)
        tables[resource["name"]] = _Table(resource["name"], primary_key, types, frame)
    return tables


def _files(descriptor: dict[str, Any]) -> dict[str, str]:
    """Non-table resources (texts, figures) by path, with their hash."""
    return {
        r["path"]: r.get("hash", "")
        for r in descriptor.get("resources", [])
        if r.get("type") != "table" and isinstance(r.get("path"), str)
    }


def _with_key(frame: pl.DataFrame, primary_key: list[str]) -> pl.DataFrame:
    if not primary_key:
        raise ValueError("a table without a primary key cannot be compared record by record")
    key = pl.concat_str([pl.col(k).fill_null("") for k in primary_key], separator="|")
    return frame.with_columns(key.alias(KEY))


def _status(frame: pl.DataFrame) -> pl.Expr:
    if RECORD_STATUS in frame.columns:
        return pl.col(RECORD_STATUS).fill_null("active")
    return pl.lit("active")


# --- comparing -----------------------------------------------------------------------------------------


def _stable_id_patterns(descriptor: dict[str, Any]) -> list[re.Pattern[str]]:
    """The patterns of the package's one-column record IDs (those of the stable form carry a hash)."""
    patterns = []
    for resource in descriptor.get("resources", []):
        schema = resource.get("schema", {})
        key = schema.get("primaryKey")
        key = [key] if isinstance(key, str) else list(key or [])
        for f in schema.get("fields", []):
            pattern = f.get("constraints", {}).get("pattern")
            if len(key) == 1 and f["name"] == key[0] and pattern and "[0-9a-f]" in pattern:
                patterns.append(re.compile(pattern))
    return patterns


def _is_stable(record_key: str, patterns: list[re.Pattern[str]]) -> bool:
    """Whether a record's key holds a stable record ID (a composite key: in any of its parts)."""
    return any(p.fullmatch(part) for part in record_key.split("|") for p in patterns)


def _diff_table(old: _Table, new: _Table, stable: list[re.Pattern[str]] | None = None) -> TableDiff:
    diff = TableDiff(old.name, old_rows=old.frame.height, new_rows=new.frame.height)
    diff.columns_added = [c for c in new.types if c not in old.types]
    diff.columns_removed = [c for c in old.types if c not in new.types]
    diff.columns_retyped = [
        (c, old.types[c], new.types[c]) for c in old.types if c in new.types and old.types[c] != new.types[c]
    ]
    if old.primary_key != new.primary_key:
        diff.primary_key_change = (old.primary_key, new.primary_key)
    key = new.primary_key if all(k in old.frame.columns for k in new.primary_key) else old.primary_key
    if not all(k in new.frame.columns for k in key):
        return diff
    a = _with_key(old.frame, key).with_columns(_status(old.frame).alias("__status"))
    b = _with_key(new.frame, key).with_columns(_status(new.frame).alias("__status"))
    diff.added = sorted(b.join(a, on=KEY, how="anti")[KEY].to_list())
    gone = sorted(a.join(b, on=KEY, how="anti")[KEY].to_list())
    diff.retired = [k for k in gone if _is_stable(k, stable or [])]
    diff.vanished = [k for k in gone if not _is_stable(k, stable or [])]
    diff.reissued = bool(diff.vanished) and any(_is_stable(k, stable or []) for k in diff.added)
    both = a.select(KEY, "__status").join(b.select(KEY, "__status"), on=KEY, suffix="__new")
    diff.withdrawn = sorted(
        both.filter((pl.col("__status") != "withdrawn") & (pl.col("__status__new") == "withdrawn"))[
            KEY
        ].to_list()
    )
    diff.reinstated = sorted(
        both.filter((pl.col("__status") == "withdrawn") & (pl.col("__status__new") != "withdrawn"))[
            KEY
        ].to_list()
    )
    diff.changed = _field_changes(a, b, [c for c in new.types if c in old.types and c != RECORD_STATUS])
    return diff


def _field_changes(a: pl.DataFrame, b: pl.DataFrame, columns: list[str]) -> list[FieldChange]:
    """Changed values of the common columns of records present in both packages (null equals empty)."""
    compared = [c for c in columns if c in a.columns and c in b.columns]
    if not compared:
        return []
    joined = a.select(KEY, *compared).join(b.select(KEY, *compared), on=KEY, suffix="__new")
    parts = []
    for column in compared:
        old, new = pl.col(column).fill_null(""), pl.col(f"{column}__new").fill_null("")
        parts.append(
            joined.filter(old != new).select(
                pl.col(KEY).alias("record_id"),
                pl.lit(column).alias("field"),
                pl.col(column).alias("old"),
                pl.col(f"{column}__new").alias("new"),
            )
        )
    changes = pl.concat(parts).sort("record_id", "field") if parts else pl.DataFrame()
    return [FieldChange(**row) for row in changes.iter_rows(named=True)]


def _corrected_targets(old: dict[str, _Table], new: dict[str, _Table]) -> set[tuple[str, str, str]]:
    """Targets of corrections in the new package's corrections table that the old one did not have."""
    if "corrections" not in new:
        return set()
    seen = set(old["corrections"].frame["correction_id"].to_list()) if "corrections" in old else set()
    frame = new["corrections"].frame.filter(~pl.col("correction_id").is_in(sorted(seen)))
    targets = set()
    for row in frame.iter_rows(named=True):
        if row.get("table_name") and row.get("record_id"):
            targets.add((row["table_name"], row["record_id"], row.get("field") or "*"))
    return targets


def diff_packages(old_dir: Path, new_dir: Path) -> PackageDiff:
    """Compare two packages (folders with datapackage.json, or release zips) record by record."""
    with tempfile.TemporaryDirectory(prefix="package-diff-") as scratch:
        old_root, new_root = _open(Path(old_dir), Path(scratch)), _open(Path(new_dir), Path(scratch) / "new")
        old_desc = json.loads((old_root / "datapackage.json").read_text(encoding="utf-8"))
        new_desc = json.loads((new_root / "datapackage.json").read_text(encoding="utf-8"))
        old_tables, new_tables = _read_tables(old_root, old_desc), _read_tables(new_root, new_desc)
    diff = PackageDiff(old_desc.get("version"), new_desc.get("version"))
    diff.tables_added = {n: new_tables[n].frame.height for n in sorted(new_tables) if n not in old_tables}
    diff.tables_removed = sorted(n for n in old_tables if n not in new_tables)
    stable = _stable_id_patterns(new_desc)
    for name in sorted(set(old_tables) & set(new_tables)):
        diff.tables[name] = _diff_table(old_tables[name], new_tables[name], stable)
    old_files, new_files = _files(old_desc), _files(new_desc)
    diff.files_added = sorted(p for p in new_files if p not in old_files)
    diff.files_removed = sorted(p for p in old_files if p not in new_files)
    diff.files_changed = sorted(p for p in new_files if p in old_files and new_files[p] != old_files[p])
    diff.corrected = _corrected_targets(old_tables, new_tables)
    _withhold_wording(diff, new_tables)
    return diff


def _wording_columns(name: str) -> set[str]:
    """Columns of a table that quote a paper (source_text in its spec), plus what corrections quote."""
    if name == "corrections":
        return {"old_value", "new_value", "reason"}
    try:
        return {f.name for f in load_table_spec(name).fields if f.source_text}
    except SchemaSpecError:
        return set()


def _withhold_wording(diff: PackageDiff, new_tables: dict[str, _Table]) -> None:
    """Values quoting a paper whose text the new package withholds are not shown in the changelog either
    (a paper closed since the last release would otherwise have its wording printed as the old value)."""
    if "documents" not in new_tables:
        return
    documents = new_tables["documents"].frame
    if "full_text_published" not in documents.columns:
        return
    closed = documents.filter(pl.col("full_text_published").str.to_lowercase() != "true")["document_id"]
    if closed.is_empty():
        return
    for name, table in diff.tables.items():
        new = new_tables[name]
        wording = _wording_columns(name)
        if not wording or "document_id" not in new.frame.columns or not new.primary_key:
            continue
        keyed = _with_key(new.frame.filter(pl.col("document_id").is_in(closed.to_list())), new.primary_key)
        hidden = set(keyed[KEY].to_list())
        table.changed = [
            FieldChange(c.record_id, c.field, WITHHELD, WITHHELD)
            if c.record_id in hidden and c.field in wording
            else c
            for c in table.changed
        ]


# --- version bump --------------------------------------------------------------------------------------


def _only_corrections(name: str, table: TableDiff, corrected: set[tuple[str, str, str]]) -> bool:
    """Whether every record change in a table is the target of a new correction."""
    added = all((name, r, "*") in corrected for r in table.added)
    withdrawn = all((name, r, RECORD_STATUS) in corrected for r in table.withdrawn)
    changed = all((name, c.record_id, c.field) in corrected for c in table.changed)
    gone = table.vanished or table.retired
    return added and withdrawn and changed and not table.reinstated and not gone


def suggest_bump(diff: PackageDiff) -> str:
    """major, minor, patch or none, by the rules of docs/versioning.md."""
    if diff.tables_removed or any(t.breaking for t in diff.tables.values()):
        return "major"
    if diff.tables_added or diff.files_added or any(t.columns_added for t in diff.tables.values()):
        return "minor"
    if any(
        t.records_changed and not _only_corrections(n, t, diff.corrected) and n != "corrections"
        for n, t in diff.tables.items()
    ):
        return "minor"
    if diff.files_removed:
        return "minor"
    if not diff.empty:
        return "patch"
    return "none"


def next_version(version: str, bump: str) -> str:
    """The semantic version after a bump."""
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version)
    if not match:
        raise ValueError(f"{version!r} is not a MAJOR.MINOR.PATCH version")
    major, minor, patch = (int(x) for x in match.groups())
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    if bump == "none":
        return version
    raise ValueError(f"unknown bump {bump!r}; use one of {BUMPS}")
