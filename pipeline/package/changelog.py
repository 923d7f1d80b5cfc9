"""Compare a new data package with the last release and write a record-level CHANGELOG entry.

A user deciding whether to move to a new version needs to know which records were added, withdrawn or
changed, not just that files differ. Both packages are read through their datapackage.json (tables,
primary keys, columns) and CSV files, compared as text so that the comparison does not depend on type
inference, and summarised per table with the record IDs. The bump rules are in docs/versioning.md.
"""

from __future__ import annotations

import json
import re
import subprocess
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
SHOWN_ROWS = 20
WITHHELD = "(withheld: the paper's text is not published)"
SHOWN_CHARS = 80
UNRELEASED = "Unreleased"
VERSION = re.compile(r"\d+\.\d+\.\d+")
ENTRY_HEADING = re.compile(r"(?m)^## \[")
RELEASED_HEADING = re.compile(r"(?m)^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$")
CHANGELOG_HEADER = (
    "# Changelog\n\n"
    "Record-level changes of each published version of the dataset, newest first.\n"
    "`papers-dataset changelog` regenerates the [Unreleased] entry from a comparison with the last release;\n"
    "`papers-dataset release` moves it under its version and date. Released entries are never edited.\n"
    "The bump rules are in [docs/versioning.md](docs/versioning.md).\n"
)


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


# --- rendering -----------------------------------------------------------------------------------------


def _cell(value: str | None) -> str:
    if value is None or value == "":
        return "*(empty)*"
    text = " ".join(value.split())
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 1] + "…"
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


def _id_list(label: str, ids: list[str], limit: int) -> list[str]:
    if not ids:
        return []
    shown = ", ".join(f"`{i}`" for i in ids[:limit])
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    noun = "record" if len(ids) == 1 else "records"
    return [f"- {label} {len(ids)} {noun}: {shown}{more}."]


def _render_table(table: TableDiff, limit: int, old_version: str | None = None) -> list[str]:
    lines = [f"### `{table.name}`", "", f"{table.old_rows} → {table.new_rows} rows.", ""]
    if table.primary_key_change:
        old, new = table.primary_key_change
        lines.append(f"- Primary key changed from `{', '.join(old)}` to `{', '.join(new)}`.")
    if table.columns_added:
        lines.append("- Columns added: " + ", ".join(f"`{c}`" for c in table.columns_added) + ".")
    if table.columns_removed:
        lines.append("- Columns removed: " + ", ".join(f"`{c}`" for c in table.columns_removed) + ".")
    for column, old, new in table.columns_retyped:
        lines.append(f"- Column `{column}` changed type from {old} to {new}.")
    lines += _id_list("Added", table.added, limit)
    lines += _id_list("Withdrawn", table.withdrawn, limit)
    lines += _id_list("Reinstated (withdrawn before, active again)", table.reinstated, limit)
    last = f"last published in {old_version}" if old_version else "last published in the previous version"
    lines += _id_list(
        f"Withdrawn, no longer found by extraction ({last}; IDs not reused)", table.retired, limit
    )
    if table.reissued:
        lines.append(
            "- Record IDs re-issued in the stable form that later versions keep (docs/versioning.md, "
            '"Finding a record across versions"): the IDs below are replaced by the added ones; match '
            "records by document_id and their text or offsets."
        )
    lines += _id_list("Removed without withdrawal (IDs no longer present)", table.vanished, limit)
    if table.changed:
        records = len({c.record_id for c in table.changed})
        lines += [
            f"- Changed {len(table.changed)} field value(s) in {records} record(s):",
            "",
            "| record | field | old | new |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| `{c.record_id}` | `{c.field}` | {_cell(c.old)} | {_cell(c.new)} |"
            for c in table.changed[:limit]
        ]
        if len(table.changed) > limit:
            lines.append(f"| … | | | {len(table.changed) - limit} more changes not shown |")
    lines.append("")
    return lines


def render_changelog_entry(
    diff: PackageDiff, version: str | None, date: str | None, limit: int = SHOWN_ROWS
) -> str:
    """A markdown CHANGELOG entry: tables and records added, withdrawn and changed, with their IDs.

    Without a version the entry is the ``## [Unreleased]`` one; a release renders the same body under
    ``## [<version>] - <date>``.
    """
    bump = suggest_bump(diff)
    heading = f"## [{version}] - {date}" if version else f"## [{UNRELEASED}]"
    lines = [heading, ""]
    compared = f"Compared with {diff.old_version}" if diff.old_version else "First release"
    lines += [f"{compared}; change level: {bump} (see docs/versioning.md).", ""]
    if diff.empty:
        return "\n".join([*lines, "No changes to tables or files.", ""])
    overview = []
    for name, rows in diff.tables_added.items():
        overview.append(f"- New table `{name}` ({rows} row{'' if rows == 1 else 's'}).")
    overview += [f"- Table `{name}` removed." for name in diff.tables_removed]
    overview += [f"- New file `{p}`." for p in diff.files_added]
    overview += [f"- File `{p}` removed." for p in diff.files_removed]
    overview += [f"- File `{p}` changed." for p in diff.files_changed]
    if overview:
        lines += ["### Package", "", *overview, ""]
    for name in sorted(diff.tables):
        if not diff.tables[name].empty:
            lines += _render_table(diff.tables[name], limit, diff.old_version)
    return "\n".join(lines).rstrip("\n") + "\n"


# --- the CHANGELOG.md file -----------------------------------------------------------------------------


class ChangelogError(ValueError):
    """CHANGELOG.md cannot be read or a release would rewrite history; the message says what to do."""


def _version_key(version: str) -> tuple[int, ...]:
    if not VERSION.fullmatch(version):
        raise ChangelogError(f"{version!r} is not a MAJOR.MINOR.PATCH version")
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class Changelog:
    """CHANGELOG.md split into its parts. Released entries are kept as the exact text they were written
    as, so no command can alter an earlier version's history; only the unreleased entry is regenerated."""

    header: str
    unreleased: str | None
    released: str

    @classmethod
    def parse(cls, text: str, where: str = "CHANGELOG.md") -> Changelog:
        starts = [m.start() for m in ENTRY_HEADING.finditer(text)]
        header = text[: starts[0]] if starts else text
        unreleased, released = None, ""
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            heading = text[start:].split("\n", 1)[0]
            line = text[:start].count("\n") + 1
            if heading == f"## [{UNRELEASED}]":
                if index != 0:
                    raise ChangelogError(
                        f"{where}:{line}: the [{UNRELEASED}] entry must come first, above every release"
                    )
                unreleased = text[start:end]
            elif not RELEASED_HEADING.fullmatch(heading):
                raise ChangelogError(
                    f"{where}:{line}: {heading!r} is neither '## [{UNRELEASED}]' nor "
                    "'## [X.Y.Z] - YYYY-MM-DD'; fix the heading by hand"
                )
            elif not released:
                released = text[start:]
        return cls(header, unreleased, released)

    @classmethod
    def read(cls, path: Path) -> Changelog:
        if not path.exists():
            return cls(CHANGELOG_HEADER, None, "")
        return cls.parse(path.read_text(encoding="utf-8"), str(path))

    @property
    def released_versions(self) -> list[str]:
        """Versions with a released entry, newest first as written."""
        return [m.group(1) for m in RELEASED_HEADING.finditer(self.released)]

    def released_entry(self, version: str) -> tuple[str, str] | None:
        """(date, entry text) of a released version, as written."""
        matches = list(RELEASED_HEADING.finditer(self.released))
        for index, match in enumerate(matches):
            if match.group(1) == version:
                end = matches[index + 1].start() if index + 1 < len(matches) else len(self.released)
                return match.group(2), self.released[match.start() : end]
        return None

    @property
    def text(self) -> str:
        parts = [self.header.rstrip("\n") + "\n"]
        if self.unreleased:
            parts.append(self.unreleased.rstrip("\n") + "\n")
        if self.released:
            parts.append(self.released)
        return "\n".join(parts)

    def with_unreleased(self, entry: str | None) -> Changelog:
        """The same history with the unreleased entry replaced (None removes it)."""
        return Changelog(self.header, entry, self.released)

    def with_release(self, entry: str) -> Changelog:
        """The unreleased entry moved under its version and date, above every earlier release."""
        match = RELEASED_HEADING.fullmatch(entry.split("\n", 1)[0])
        if not match:
            raise ChangelogError("a released entry starts with '## [X.Y.Z] - YYYY-MM-DD'")
        check_new_version(self, match.group(1))
        body = entry.rstrip("\n") + "\n"
        released = body + ("\n" + self.released if self.released else "")
        return Changelog(self.header, None, released)


def check_new_version(changelog: Changelog, version: str) -> None:
    """A release needs a version newer than every released one (released entries are never rewritten)."""
    released = changelog.released_versions
    if version in released:
        raise ChangelogError(
            f"CHANGELOG.md: version {version} is already released and its entry is final; set a new "
            "version: in dataset.yaml (see docs/versioning.md), rebuild, and release again"
        )
    newest = max(released, key=_version_key) if released else None
    if newest and _version_key(version) < _version_key(newest):
        raise ChangelogError(
            f"dataset.yaml: version {version} is older than the released {newest}; set a newer version: "
            f"in dataset.yaml (for example {next_version(newest, 'patch')}, see docs/versioning.md), "
            "rebuild, and release again"
        )


def release_history(
    history: Changelog, diff: PackageDiff, version: str, date: str, baseline: str
) -> tuple[Changelog, bool]:
    """The changelog after releasing ``version``, and whether that is a new release.

    A new version gets the comparison with the last release as its entry (the [Unreleased] entry moves
    under it). A version that is already released is never written again: it may only be rebuilt while
    the package still is that release (no difference from it, or exactly the difference its entry
    records), otherwise the maintainer is told which version to set.
    """
    released = history.released_entry(version)
    if released:
        date_released, entry = released
        recorded = render_changelog_entry(diff, version, date_released).rstrip("\n") == entry.rstrip("\n")
        if not (diff.empty or recorded):
            raise ChangelogError(
                f"dataset.yaml: version {version} is already released, but the package differs from "
                f"{baseline}; set version: {next_version(version, suggest_bump(diff))} (suggested), rebuild, "
                "and release"
            )
        return history, False
    if diff.empty:
        raise ChangelogError(f"nothing changed since the package at {baseline}; there is nothing to release")
    return history.with_release(render_changelog_entry(diff, version, date)), True


def save_changelog(path: Path, changelog: Changelog) -> bool:
    """Write CHANGELOG.md only when its text changes; True when it was written."""
    text = changelog.text
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def write_changelog(last_release: Path, new_package: Path, changelog: Path) -> tuple[PackageDiff, str | None]:
    """Regenerate the unreleased entry of CHANGELOG.md from the difference with the last release.

    Released entries are left byte for byte as they are; with no difference the unreleased entry is
    removed (and a file without one is not touched). Returns the difference and the entry written.
    """
    diff = diff_packages(last_release, new_package)
    entry = None if diff.empty else render_changelog_entry(diff, None, None)
    save_changelog(changelog, Changelog.read(changelog).with_unreleased(entry))
    return diff, entry


# --- the last release ----------------------------------------------------------------------------------


def last_release_reference(root: Path) -> str:
    """The newest git tag v*, or HEAD: the package as last committed is the last release."""
    tags = subprocess.run(
        ["git", "tag", "--list", "v*", "--sort=-v:refname"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return tags[0] if tags else "HEAD"


def export_package(root: Path, reference: str, target: Path) -> Path:
    """Unpack the package files of a git revision into ``target``."""
    result = subprocess.run(
        ["git", "archive", "--format=tar", reference, "--", "datapackage.json", "data", "text"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangelogError(
            f"{root}: cannot read the package at git revision {reference!r} "
            f"({message[0] if message else 'git archive failed'}); pass --since with a release zip or folder"
        )
    subprocess.run(["tar", "-x", "-C", str(target)], input=result.stdout, check=True)
    return target


def last_release_package(root: Path, since: str | None, scratch: Path) -> tuple[Path, str]:
    """The package to compare with: a folder or zip given as ``since``, else a git revision unpacked."""
    if since and Path(since).exists():
        return Path(since), since
    reference = since or last_release_reference(root)
    return export_package(root, reference, scratch), reference
