"""Validating a staged package incrementally: frictionless reads only the rows that are new.

Frictionless checks rows one by one in Python, so validating every table of a large corpus costs more than
building it. A file whose bytes are those of the last published package was validated then; of a table
that changed, only the rows of the freshly built papers are new (the others are the rows published
before), so those rows are written to a scratch resource with the same writer and validated there: taken
from each table as the table step makes it (`FreshRowsCheck`), or else read back from the staged files.
Foreign keys across the whole package are checked by the package step with polars; ``build --full-check``
validates everything with frictionless.

Where frictionless would only check again, row by row, what vectorised checks from the same table specs
have checked in this run, those stand in for it: the rows that can have changed were checked against their
table's pandera model, and every Parquet twin, with its Table Schema's types, is written as CSV and
compared byte for byte with the CSV file (`validation._twin_difference`), plus a check of the header. That
is the case for tables that cannot be split by paper (works, entities, claim_citations, corrections, and
tables with record corrections: the package step checks every row of them, and they grow with the corpus),
and for a batch of more than FRICTIONLESS_FRESH_PAPERS fresh papers (a first build of a large corpus),
where frictionless would take longer than the extractors. Frictionless still reads the texts, the figures
and the descriptor.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Collection
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.package.publish import DatasetMetadata, descriptor, document_sources, table_resources
from pipeline.package.schema import TableSpec
from pipeline.package.table_files import write_csv
from pipeline.package.validation import CHECK_THREADS, frictionless_errors, parquet_errors


def _previous_hashes(root: Path) -> dict[str, str]:
    path = root / "datapackage.json"
    if not path.exists():
        return {}
    resources = json.loads(path.read_text(encoding="utf-8")).get("resources", [])
    return {r["name"]: r.get("hash") or r.get("x-hash", "") for r in resources}


# Above this many freshly built papers their rows are checked by the vectorised checks (module docstring).
FRICTIONLESS_FRESH_PAPERS = 25


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


class FreshRowsCheck:
    """Frictionless on the freshly built papers' rows of each table split by paper, begun as soon as the
    table step has made the table: in the CLI's worker processes when they are there (idle once the papers
    are built), as frictionless reads rows in Python and on a thread of the build holds up
    the stages' own Python work; else on a thread. The rows are written to ``folder`` with the package's
    CSV writer; `verdicts` waits for them.

    Each table is validated as a package of its own resource. The first one validated carries the
    package's metadata and sources (from the documents table, the first the stages make); the others carry
    only the package's name and profile, as frictionless would otherwise check the metadata again for each
    table, and it grows with the corpus (a source per paper: about half of the check of a one-paper edit
    of 300 papers). A package-level error is reported once.
    """

    def __init__(
        self, meta: DatasetMetadata, fresh: set[str], folder: Path, workers: Executor | None = None
    ) -> None:
        self.meta, self.fresh, self.folder = meta, fresh, folder
        self.tables: list[str] = []
        self._sources: list[dict[str, Any]] | None = None
        self._waiting: list[tuple[str, dict[str, Any]]] = []
        self._verdicts: dict[str, Future[list[str]]] = {}
        self._thread = ThreadPoolExecutor(1) if workers is None else None
        self._workers = workers or self._thread
        self._workers.submit(_import_frictionless)  # while the first stage runs

    @staticmethod
    def wanted(fresh: Collection[str] | None) -> bool:
        """Whether frictionless reads these fresh papers' rows on their own: not for a full check (``fresh``
        None), nor for more than FRICTIONLESS_FRESH_PAPERS papers."""
        return fresh is not None and 0 < len(fresh) <= FRICTIONLESS_FRESH_PAPERS

    @classmethod
    def begin(
        cls, meta: DatasetMetadata, fresh: set[str] | None, folder: Path, workers: Executor | None = None
    ) -> FreshRowsCheck | None:
        """A check of these fresh papers' rows (`wanted`), on ``workers`` when given."""
        return cls(meta, fresh, folder, workers) if fresh is not None and cls.wanted(fresh) else None

    def add(self, spec: TableSpec, frame: pl.DataFrame, whole: bool) -> None:
        """Begin validating the fresh papers' rows of a finished table, unless it is checked ``whole`` (record
        corrections were applied to it) or has no rows by paper."""
        if spec.name == "documents":
            self._sources = document_sources(frame)
        if whole or "document_id" not in frame.columns:
            return
        rows = frame.filter(pl.col("document_id").is_in(sorted(self.fresh)))
        size, digest = write_csv(rows, self.folder / f"data/csv/{spec.name}.csv", blank=True)
        facts = {"bytes": size, "hash": f"sha256:{digest}"}
        resource = _without_keys(table_resources(spec, self.meta.version, {"csv": facts, "parquet": {}})[0])
        self.tables.append(spec.name)
        self._waiting.append((spec.name, resource))
        if self._sources is not None:
            self._submit_waiting()

    def _submit_waiting(self) -> None:
        package = descriptor(self.meta, [], self._sources or [])
        bare = {key: package[key] for key in ("$schema", "name")}
        for name, resource in self._waiting:
            metadata = bare if self._verdicts else package  # the package's own metadata, once
            self._verdicts[name] = self._workers.submit(
                frictionless_errors, {**metadata, "resources": [resource]}, self.folder
            )
        self._waiting = []

    def verdicts(self) -> dict[str, list[str]]:
        """Each table's errors, by table name (a package-level error with the first table's), once every
        table has been added."""
        self._submit_waiting()
        try:
            return {name: verdict.result() for name, verdict in self._verdicts.items()}
        finally:
            if self._thread is not None:
                self._thread.shutdown(cancel_futures=True)


def _import_frictionless() -> None:
    import frictionless  # noqa: F401


class ChangedPartValidator:
    """A validator for `publish` that runs frictionless on what differs from the package in
    ``previous_root`` (see the module docstring), and checks every Parquet twin against its CSV.

    ``whole_tables`` (tables with record corrections applied) are not split by paper. Called on a staged
    package, it reads the fresh papers' rows from the staged CSV files, except for the tables whose fresh
    rows were validated while the tables were made (``validated``, by `FreshRowsCheck`); the staged CSV
    files are then held to the same rows by the comparison of each CSV with its Parquet twin, which is
    written from the same frame.
    """

    def __init__(
        self, previous_root: Path, fresh: set[str], whole_tables: set[str], validated: Collection[str] = ()
    ) -> None:
        self.previous_root, self.fresh, self.whole_tables = previous_root, fresh, whole_tables
        self._validated = set(validated)

    def _split(self, name: str, columns: Collection[str]) -> bool:
        return "document_id" in columns and name not in self.whole_tables

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
            with ThreadPoolExecutor(CHECK_THREADS) as pool:
                resources += pool.map(
                    lambda r: _fresh_rows_resource(r, staged, scratch, self.fresh), to_narrow
                )
            # The twins are compared (polars, off the GIL) while frictionless reads rows in Python.
            with ThreadPoolExecutor(1) as background:
                twins = background.submit(
                    parquet_errors, staged, descriptor, _unchanged_twins(descriptor, previous)
                )
                if resources:
                    errors += frictionless_errors({**descriptor, "resources": resources}, scratch)
                return errors + twins.result()
