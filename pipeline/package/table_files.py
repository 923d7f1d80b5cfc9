"""One table written as the package publishes it: UTF-8 CSV (header, ISO dates, empty = missing, LF) and
Parquet (zstd, a row group per slice), a slice of rows at a time so that writing holds a slice, not the
table. Same rows, same bytes, however the rows were stacked. A table whose rows are exactly those already
published is linked from the package instead of written again (`stage_table`).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import polars as pl
import pyarrow
import pyarrow.parquet as pq

from pipeline.package.schema import TableSpec, frictionless_schema
from pipeline.package.tables import Frame, collected

# Rows of a table written at a time (`write_csv`, `write_parquet`): writing holds copies of a slice (its
# CSV text, its Arrow form), not of the whole table, however many papers the corpus has. Each slice is one
# Parquet row group.
WRITE_SLICE_ROWS = 65_536


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_facts(root: Path, relative: str) -> dict[str, Any]:
    path = root / relative
    return {"bytes": path.stat().st_size, "hash": f"sha256:{sha256_file(path)}"}


def blank_empty_strings(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty strings become nulls: in CSV an empty cell means missing, so the two must not differ."""
    return frame.with_columns(
        pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )


def write_table(frame: pl.DataFrame, csv_path: Path, parquet_path: Path) -> None:
    """Write one table as UTF-8 CSV (header, ISO dates, empty = missing) and as Parquet."""
    write_csv(frame, csv_path)
    write_parquet(frame, parquet_path)


def csv_bytes(frame: pl.DataFrame, header: bool = True) -> memoryview:
    """The table as published in CSV: header, ISO dates, empty = missing, LF line ends (the buffer's
    bytes, not a copy of them)."""
    buffer = io.BytesIO()
    frame.write_csv(
        buffer, include_header=header, line_terminator="\n", null_value="", date_format="%Y-%m-%d"
    )
    return buffer.getbuffer()


def _slice_starts(height: int) -> range:
    """The first row of each slice a table of ``height`` rows is written in (an empty table is one slice)."""
    return range(0, max(height, 1), WRITE_SLICE_ROWS)


def _slices(frame: pl.DataFrame, blank: bool) -> Iterator[pl.DataFrame]:
    """The frame WRITE_SLICE_ROWS rows at a time, with empty strings made missing (`blank_empty_strings`)
    when ``blank``."""
    for offset in _slice_starts(frame.height):
        rows = frame.slice(offset, WRITE_SLICE_ROWS)
        yield blank_empty_strings(rows) if blank else rows


def write_csv(frame: pl.DataFrame, path: Path, blank: bool = False) -> tuple[int, str]:
    """Write the table's CSV (`csv_bytes`) a slice of rows at a time; the file's size and SHA-256. The
    file is the one the whole table written at once gives, byte for byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        for index, rows in enumerate(_slices(frame, blank)):
            content = csv_bytes(rows, header=index == 0)
            digest.update(content)
            size += out.write(content)
            del rows, content  # before the next slice is made: one slice's rows and text at a time
    return size, digest.hexdigest()


def write_parquet(frame: pl.DataFrame, path: Path, blank: bool = False) -> None:
    """Write the table's Parquet file a slice of rows at a time, each slice one row group (a table of up to
    WRITE_SLICE_ROWS rows is one row group, as writing it whole gives). Each slice is made contiguous
    first: pyarrow pages a column of several chunks differently, and the same rows must give the same
    file however they were stacked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer: pq.ParquetWriter | None = None
    try:
        for rows in _slices(frame, blank):
            table = rows.rechunk().to_arrow()
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd", write_statistics=True)
            writer.write_table(table)
            del rows, table  # before the next slice is made
    finally:
        if writer is not None:
            writer.close()


def published_resources(root: Path | None) -> Mapping[str, dict[str, Any]]:
    """The resources of the package published under ``root``, by name (none when there is none): read
    once per version of the descriptor (a swap replaces the file), not once per table written."""
    path = root / "datapackage.json" if root else None
    try:
        found = path.stat() if path is not None else None
    except OSError:
        found = None
    return _resources(path, found.st_ino, found.st_mtime_ns, found.st_size) if found else {}


@functools.lru_cache(maxsize=4)
def _resources(path: Path, *_version: int) -> Mapping[str, dict[str, Any]]:
    try:
        return MappingProxyType(
            {r["name"]: r for r in json.loads(path.read_text(encoding="utf-8"))["resources"]}
        )
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _reusable_parquet(
    root: Path, csv_digest: str, schema: dict[str, Any], previous: dict, rows: int
) -> Path | None:
    """The published Parquet twin of a table whose new CSV is byte for byte the published one, when it is
    exactly what writing the table's ``rows`` now would give: same Table Schema, intact, written by this
    pyarrow in the same row groups."""
    csv_resource, parquet_resource = previous.get("csv"), previous.get("parquet")
    if not csv_resource or not parquet_resource:
        return None
    if csv_resource.get("schema") != json.loads(json.dumps(schema)):  # as read back from the descriptor
        return None
    published_csv, published_parquet = root / csv_resource["path"], root / parquet_resource["path"]
    if not published_csv.is_file() or not published_parquet.is_file():
        return None
    # The recorded hash tells a changed table without reading it; the file itself must agree too.
    if csv_resource.get("hash") != f"sha256:{csv_digest}" or sha256_file(published_csv) != csv_digest:
        return None
    if parquet_resource.get("x-hash") != f"sha256:{sha256_file(published_parquet)}":
        return None
    try:
        metadata = pq.read_metadata(published_parquet)
    except (OSError, ValueError):
        return None
    groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    written = [min(WRITE_SLICE_ROWS, rows - start) for start in _slice_starts(rows)]
    same_writer = metadata.created_by.endswith(f"version {pyarrow.__version__}")
    return published_parquet if same_writer and groups == written else None


def published_files(published: Mapping[str, dict[str, Any]], name: str) -> dict[str, Any]:
    """A table's CSV and Parquet resources in the published package (``published_resources``), for
    `stage_table`."""
    return {"csv": published.get(name), "parquet": published.get(f"{name}-parquet")}


def link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def stage_table(
    staging: Path, spec: TableSpec, frame: Frame, published_root: Path | None, previous: dict
) -> dict[str, dict[str, Any]]:
    """Write one table's CSV and Parquet into ``staging``; a table whose rows are those already published
    under ``published_root`` is linked from there instead of written again. Returns each file's size and
    hash (``csv``, ``parquet``), worked out here where the bytes are at hand."""
    csv_path = staging / f"data/csv/{spec.name}.csv"
    parquet_path = staging / f"data/parquet/{spec.name}.parquet"
    rows = collected(frame)
    size, digest = write_csv(rows, csv_path, blank=True)
    reusable = (
        _reusable_parquet(published_root, digest, frictionless_schema(spec), previous, rows.height)
        if published_root is not None
        else None
    )
    if reusable is not None:
        csv_path.unlink()
        link_or_copy(published_root / previous["csv"]["path"], csv_path)
        link_or_copy(reusable, parquet_path)
    else:
        write_parquet(rows, parquet_path, blank=True)
    return {
        "csv": {"bytes": size, "hash": f"sha256:{digest}"},
        "parquet": file_facts(staging, f"data/parquet/{spec.name}.parquet"),
    }
