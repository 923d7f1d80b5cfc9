"""Validating a staged package incrementally: frictionless reads only the rows that are new.

Frictionless checks rows one by one in Python, so validating every table of a large corpus costs more than
building it. A file whose bytes are those of the last published package was validated then; of a table
that changed, only the rows of the freshly built papers are new (the others are the rows published
before), so those rows are written to a scratch resource with the same writer and validated there: taken
from the frames while the package is written (`ChangedPartValidator.start`), or else read back from the
staged files. Foreign keys across the whole package are checked by the package step with polars;
``build --full-check`` validates everything with frictionless.

Where frictionless would only check again, row by row, what vectorised checks from the same table specs
have checked in this run, those stand in for it: the rows that can have changed were checked against their
table's pandera model, and every written CSV is read back with its Table Schema's types and compared cell
by cell with its Parquet twin, plus a check of its header. That is the case for tables that cannot be
split by paper (works, entities, claim_citations, corrections, and tables with record corrections: the
package step checks every row of them, and they grow with the corpus), and for a batch of more than
FRICTIONLESS_FRESH_PAPERS fresh papers (a first build of a large corpus), where frictionless would take
longer than the extractors. Frictionless still reads the texts, the figures and the descriptor.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Collection
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.package.publish import (
    WRITER_THREADS,
    DatasetMetadata,
    PackageContents,
    _parquet_errors,
    _report_lines,
    blank_empty_strings,
    csv_bytes,
    descriptor,
    document_sources,
    table_resources,
)
from pipeline.package.schema import TableSpec
from pipeline.package.tables import Frame, collected


def _previous_hashes(root: Path) -> dict[str, str]:
    path = root / "datapackage.json"
    if not path.exists():
        return {}
    resources = json.loads(path.read_text(encoding="utf-8")).get("resources", [])
    return {r["name"]: r.get("hash") or r.get("x-hash", "") for r in resources}


# Above this many freshly built papers their rows are checked by the vectorised checks (module docstring).
FRICTIONLESS_FRESH_PAPERS = 25


def rows_to_validate(frame: pl.DataFrame, fresh: set[str] | None) -> pl.DataFrame | None:
    """The freshly built papers' rows of a table that `ChangedPartValidator.start` will validate, taken
    while the table is in memory (the package step has it on disk); None when it will not read them: a
    full check (``fresh`` None), too many fresh papers, or a table not split by paper."""
    if fresh is None or len(fresh) > FRICTIONLESS_FRESH_PAPERS or "document_id" not in frame.columns:
        return None
    return frame.filter(pl.col("document_id").is_in(sorted(fresh)))


def _header_errors(resource: dict[str, Any], staged: Path) -> list[str]:
    """The CSV's header must name the Table Schema's fields, in order."""
    with (staged / resource["path"]).open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    expected = [f["name"] for f in resource["schema"]["fields"]]
    if header != expected:
        return [f"{resource['name']}: header {header} is not the schema's fields {expected}"]
    return []


def _unchanged_twins(descriptor: dict[str, Any], previous: dict[str, str]) -> set[str]:
    """The Parquet resources whose file and CSV twin are byte for byte the published ones (checked then)."""
    hashes = {r["name"]: r.get("hash") or r.get("x-hash", "") for r in descriptor["resources"]}
    return {
        name
        for name, digest in hashes.items()
        if name.endswith("-parquet")
        and previous.get(name) == digest
        and previous.get(name.removesuffix("-parquet")) == hashes.get(name.removesuffix("-parquet"))
    }


def _fresh_rows_resource(resource: dict[str, Any], staged: Path, scratch: Path, fresh: set[str]) -> dict:
    """The resource narrowed to the rows of the freshly built papers, written to ``scratch``.

    Cells are read and written back as the text they are, so frictionless judges exactly what was
    published."""
    rows = (
        pl.scan_csv(staged / resource["path"], infer_schema=False)
        .filter(pl.col("document_id").is_in(sorted(fresh)))
        .collect()
    )
    path = scratch / resource["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    rows.write_csv(path, line_terminator="\n", null_value="")
    return _without_keys({k: v for k, v in resource.items() if k not in ("bytes", "hash")})


def _without_keys(resource: dict[str, Any]) -> dict[str, Any]:
    """Foreign keys are checked over the whole package by the package step, and the primary key of the
    rows of fresh papers by their pandera check; frictionless would hold every key of the table in memory."""
    schema = {k: v for k, v in resource["schema"].items() if k not in ("foreignKeys", "primaryKey")}
    return {**resource, "schema": schema}


# Above this many bytes of rows to validate, the resources are validated in worker processes, one group per
# core (each worker first spends about a second importing frictionless).
PARALLEL_VALIDATION_BYTES = 16 << 20


def _validate_group(descriptor: dict[str, Any], basepath: str) -> list[str]:
    from frictionless import Package, system

    with system.use_context(trusted=True):
        return _report_lines(Package(descriptor, basepath=basepath).validate())


def _size(resource: dict[str, Any], scratch: Path) -> int:
    path = Path(resource["path"])
    path = path if path.is_absolute() else scratch / path
    return path.stat().st_size


def _validate_resources(
    descriptor: dict[str, Any], resources: list[dict[str, Any]], scratch: Path
) -> list[str]:
    """Frictionless over the given resources; large ones spread over the cores, errors in resource order."""
    if not resources:
        return []
    sizes = [_size(r, scratch) for r in resources]
    workers = min(os.cpu_count() or 1, len(resources))
    if workers < 2 or sum(sizes) < PARALLEL_VALIDATION_BYTES:
        return _validate_group({**descriptor, "resources": resources}, str(scratch))
    # Largest first onto the least loaded group: groups of about equal bytes.
    groups: list[list[int]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for index in sorted(range(len(resources)), key=lambda k: (-sizes[k], k)):
        target = loads.index(min(loads))
        groups[target].append(index)
        loads[target] += sizes[index]
    context = multiprocessing.get_context("spawn")  # polars' thread pool does not survive a fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [
            pool.submit(
                _validate_group,
                {**descriptor, "resources": [resources[k] for k in sorted(group)]},
                str(scratch),
            )
            for group in groups
            if group
        ]
        found = [future.result() for future in futures]
    by_resource = {r["name"]: i for i, r in enumerate(resources)}
    errors = [line for lines in found for line in lines]
    return sorted(errors, key=lambda line: by_resource.get(line.split(":", 1)[0], len(resources)))


class ChangedPartValidator:
    """A validator for `publish` that runs frictionless on what differs from the package in
    ``previous_root`` (see the module docstring), and checks every Parquet twin against its CSV.

    ``whole_tables`` (tables with record corrections applied) are not split by paper. Called on a staged
    package, it reads the fresh papers' rows from the staged CSV files. When `publish` first hands it the
    tables (`start`), it validates those rows from ``fresh_rows`` (taken by `rows_to_validate` while each
    table was in memory) or else from the frames, while the package is written (frictionless works in
    Python, the writers mostly off the GIL); the staged CSV files are then held to the same rows by the
    typed comparison of each CSV with its Parquet twin, which is written from the same frame.
    """

    def __init__(
        self,
        previous_root: Path,
        fresh: set[str],
        whole_tables: set[str],
        fresh_rows: dict[str, pl.DataFrame] | None = None,
    ) -> None:
        self.previous_root, self.fresh, self.whole_tables = previous_root, fresh, whole_tables
        self.fresh_rows = fresh_rows or {}
        self._early: Future[list[str]] | None = None
        self._validated: set[str] = set()

    def _split(self, name: str, columns: Collection[str]) -> bool:
        return "document_id" in columns and name not in self.whole_tables

    def start(self, meta: DatasetMetadata, contents: PackageContents) -> None:
        """Validate the fresh papers' rows of every table split by paper, from the frames, in a thread."""
        if len(self.fresh) > FRICTIONLESS_FRESH_PAPERS:
            return
        tables = {n: t for n, t in sorted(contents.tables.items()) if self._split(n, t[0].columns)}
        package = descriptor(meta, [], document_sources(collected(contents.tables["documents"][1])))
        worker = ThreadPoolExecutor(1)
        self._early = worker.submit(self._validate_fresh_rows, meta.version, package, tables)
        worker.shutdown(wait=False)
        self._validated = set(tables)

    def _validate_fresh_rows(
        self, version: str, package: dict[str, Any], tables: dict[str, tuple[TableSpec, Frame]]
    ) -> list[str]:
        with tempfile.TemporaryDirectory() as folder:
            scratch = Path(folder)
            resources = []
            for name, (spec, frame) in tables.items():
                rows = self.fresh_rows.get(name)
                if rows is None:
                    rows = frame.lazy().filter(pl.col("document_id").is_in(sorted(self.fresh))).collect()
                content = csv_bytes(blank_empty_strings(rows))
                path = scratch / f"data/csv/{name}.csv"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                facts = {"bytes": len(content), "hash": f"sha256:{hashlib.sha256(content).hexdigest()}"}
                resources.append(
                    _without_keys(table_resources(spec, version, {"csv": facts, "parquet": {}})[0])
                )
            return _validate_resources(package, resources, scratch)

    def __call__(self, descriptor_path: Path) -> list[str]:
        staged = descriptor_path.parent
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        previous = _previous_hashes(self.previous_root)
        vectorised = len(self.fresh) > FRICTIONLESS_FRESH_PAPERS
        errors: list[str] = []
        with tempfile.TemporaryDirectory() as folder:
            scratch = Path(folder)
            resources = []
            to_narrow = []
            for resource in descriptor["resources"]:
                name = resource["name"]
                if resource.get("format") == "parquet" or previous.get(name) == resource.get("hash"):
                    continue
                if resource["type"] == "table":
                    split = self._split(name, {f["name"] for f in resource["schema"]["fields"]})
                    if vectorised or not split or name in self._validated:
                        errors += _header_errors(resource, staged)
                    else:
                        to_narrow.append(resource)
                    continue
                resources.append({**resource, "path": str((staged / resource["path"]).resolve())})
            with ThreadPoolExecutor(WRITER_THREADS) as pool:
                resources += pool.map(
                    lambda r: _fresh_rows_resource(r, staged, scratch, self.fresh), to_narrow
                )
            # The twins are compared (polars, off the GIL) while frictionless reads rows in Python.
            with ThreadPoolExecutor(1) as background:
                twins = background.submit(
                    _parquet_errors, staged, descriptor, _unchanged_twins(descriptor, previous)
                )
                if resources:
                    errors += _validate_resources(descriptor, resources, scratch)
                early = self._early.result() if self._early is not None else []
                return early + errors + twins.result()
