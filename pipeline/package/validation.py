"""Validating a written package: frictionless reads the CSV tables (types, keys, foreign keys), the texts
and the descriptor; each Parquet twin is held to its CSV table byte for byte (`parquet_errors`), which is
both stricter and much faster than frictionless reading Parquet through pandas.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow
import pyarrow.parquet as pq

from pipeline.package.schema import POLARS_TYPES
from pipeline.package.table_files import csv_bytes, sha256_file

# Parquet twins compared with their CSV tables at once: polars and hashlib let go of the GIL, and two keep
# both cores busy.
CHECK_THREADS = 2


def _report_lines(report: Any) -> list[str]:
    errors = []
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            where = ", ".join(
                x for x in (f"row {row}" if row else "", f"field {field}" if field else "") if x
            )
            errors.append(f"{task.name}: {where + ': ' if where else ''}{error.message}")
    return errors + [f"package: {error.message}" for error in report.errors]


def frictionless_errors(descriptor: dict[str, Any] | Path, basepath: Path | None = None) -> list[str]:
    """Frictionless's verdict on a package (a descriptor, or its file) as readable error lines, empty when
    valid. A descriptor frictionless will not read (package metadata it finds invalid) is reported the same
    way, as ``package:`` lines, not raised."""
    from frictionless import FrictionlessException, Package, system

    source = str(descriptor) if isinstance(descriptor, Path) else descriptor
    options = {"basepath": str(basepath)} if basepath is not None else {}
    with system.use_context(trusted=True):
        try:
            package = Package(source, **options)
        except FrictionlessException as exc:
            reasons = [reason.message for reason in exc.reasons] or [exc.error.message]
            return [f"package: {reason}" for reason in reasons]
        return _report_lines(package.validate())


def validate_package(path: Path) -> list[str]:
    """Run frictionless on a whole descriptor; return readable error lines (empty when valid)."""
    return frictionless_errors(path)


def parquet_errors(root: Path, descriptor: dict[str, Any], checked: Collection[str] = ()) -> list[str]:
    """Each Parquet twin must hold exactly its CSV table's rows and match its recorded size and hash;
    twins named in ``checked`` (already checked when the same files were published) are skipped."""
    resources = {r["name"]: r for r in descriptor["resources"]}
    twins = [
        (resource, resources[resource["name"].removesuffix("-parquet")])
        for resource in resources.values()
        if resource.get("format") == "parquet" and resource["name"] not in checked
    ]
    twins.sort(key=lambda pair: -pair[1].get("bytes", 0))  # the largest first
    with ThreadPoolExecutor(CHECK_THREADS) as pool:
        found = {
            resource["name"]: pool.submit(_twin_errors, root, resource, table) for resource, table in twins
        }
    return [error for name in resources if name in found for error in found[name].result()]


def _twin_errors(root: Path, resource: dict[str, Any], twin: dict[str, Any]) -> list[str]:
    errors = []
    path = root / resource["path"]
    if resource["x-hash"] != f"sha256:{sha256_file(path)}" or resource["x-bytes"] != path.stat().st_size:
        errors.append(f"{resource['name']}: size or hash differs from the descriptor")
    schema = {f["name"]: POLARS_TYPES[f["type"]] for f in twin["schema"]["fields"]}
    try:
        difference = _twin_difference(path, schema, root / twin["path"])
    except (OSError, pl.exceptions.PolarsError, pyarrow.ArrowException) as exc:
        return [*errors, f"{resource['name']}: cannot compare with {twin['path']}: {exc}".splitlines()[0]]
    if difference:
        errors.append(f"{resource['name']}: {difference} {twin['path']}")
    return errors


def _twin_difference(parquet_path: Path, schema: Mapping[str, Any], csv_path: Path) -> str | None:
    """How the Parquet file parts from its CSV twin, or None when its columns have the table's types and its
    rows, written as the package writes CSV (`csv_bytes`), give the CSV file byte for byte. Read a row group
    at a time: the comparison holds a group and its CSV text, never the table."""
    metadata = pq.read_metadata(parquet_path)
    groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] or [0]
    parquet = pl.scan_parquet(parquet_path)
    start = lines = 0  # rows read from the Parquet file, lines matched in the CSV file
    with csv_path.open("rb") as csv:
        for index, rows in enumerate(groups):
            group = parquet.slice(start, rows).collect()
            start += rows
            if list(group.schema.items()) != list(schema.items()):
                types = ", ".join(f"{name} {dtype}" for name, dtype in group.schema.items())
                return f"has columns ({types}) other than the Table Schema's of"
            content = csv_bytes(group, header=index == 0)
            del group
            found = csv.read(len(content))
            if found != content:
                pairs = enumerate(zip(found, content, strict=False))
                same = next((i for i, (got, wanted) in pairs if got != wanted), len(found))
                line = lines + found.count(b"\n", 0, same) + 1
                return f"rows differ from line {line} of"
            lines += found.count(b"\n")
            del content, found  # before the next group is read: one group and its text at a time
        return f"rows differ from line {lines + 1} of" if csv.read(1) else None


def validate_staged_package(path: Path) -> list[str]:
    """Validate a freshly written package: frictionless checks the CSV tables (types, keys, foreign keys)
    and the text files; each Parquet twin is checked to hold the same rows as its validated CSV table,
    which is both stricter and much faster than frictionless reading Parquet through pandas."""
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    primary = {
        **descriptor,
        "resources": [r for r in descriptor["resources"] if r.get("format") != "parquet"],
    }
    return frictionless_errors(primary, path.parent) + parquet_errors(path.parent, descriptor)
