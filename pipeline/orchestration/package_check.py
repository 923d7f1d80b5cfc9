"""Validating a staged package incrementally: frictionless reads only what changed since the last package.

Frictionless checks rows one by one in Python, so validating every table of a large corpus costs more than
building it. A file whose bytes are those of the last published package was validated then; of a table
that changed, only the rows of the freshly built papers are new (the others are the rows published
before), so those rows are written to a scratch resource with the same writer and validated there. Tables
that cannot be split by paper (works, entities, corrections, ...) are validated whole when they change.
Foreign keys across the whole package are checked by the package step with polars; ``build --full-check``
validates everything with frictionless.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.package.publish import POLARS_TYPES, _parquet_errors, _report_lines, write_table


def _previous_hashes(root: Path) -> dict[str, str]:
    path = root / "datapackage.json"
    if not path.exists():
        return {}
    resources = json.loads(path.read_text(encoding="utf-8")).get("resources", [])
    return {r["name"]: r.get("hash") or r.get("x-hash", "") for r in resources}


def _fresh_rows_resource(resource: dict[str, Any], staged: Path, scratch: Path, fresh: set[str]) -> dict:
    """The resource narrowed to the rows of the freshly built papers, written to ``scratch``."""
    schema = {f["name"]: POLARS_TYPES[f["type"]] for f in resource["schema"]["fields"]}
    rows = pl.read_csv(staged / resource["path"], schema=schema).filter(
        pl.col("document_id").is_in(sorted(fresh))
    )
    path = scratch / resource["path"]
    write_table(rows, path, path.with_suffix(".parquet"))
    return {k: v for k, v in resource.items() if k not in ("bytes", "hash")}


def changed_part_validator(
    previous_root: Path, fresh: set[str], whole_tables: set[str]
) -> Callable[[Path], list[str]]:
    """A validator for `publish` that runs frictionless on what differs from the package in
    ``previous_root`` (see the module docstring), and checks every Parquet twin against its CSV.

    ``whole_tables`` (tables with record corrections applied) are validated whole when they change."""

    def validate(descriptor_path: Path) -> list[str]:
        from frictionless import Package, system

        staged = descriptor_path.parent
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        previous = _previous_hashes(previous_root)
        with tempfile.TemporaryDirectory() as folder:
            scratch = Path(folder)
            resources = []
            for resource in descriptor["resources"]:
                if resource.get("format") == "parquet" or previous.get(resource["name"]) == resource.get(
                    "hash"
                ):
                    continue
                if resource["type"] == "table":
                    fields = {f["name"] for f in resource["schema"]["fields"]}
                    split = "document_id" in fields and resource["name"] not in whole_tables
                    resource = (
                        _fresh_rows_resource(resource, staged, scratch, fresh)
                        if split
                        else {**resource, "path": str((staged / resource["path"]).resolve())}
                    )
                    # Foreign keys are checked over the whole package by the package step, and the
                    # primary key of the rows of fresh papers by their pandera check; frictionless would
                    # hold every key of the table in memory.
                    dropped = ("foreignKeys", "primaryKey") if split else ("foreignKeys",)
                    schema = {k: v for k, v in resource["schema"].items() if k not in dropped}
                    resource = {**resource, "schema": schema}
                else:
                    resource = {**resource, "path": str((staged / resource["path"]).resolve())}
                resources.append(resource)
            errors: list[str] = []
            if resources:
                with system.use_context(trusted=True):
                    package = Package({**descriptor, "resources": resources}, basepath=str(scratch))
                    errors = _report_lines(package.validate())
        return errors + _parquet_errors(staged, descriptor)

    return validate
