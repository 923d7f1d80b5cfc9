"""Where the assets' values live between steps and runs: each table as its published files, the papers'
selection as JSON.

`TableFiles` is the table assets' I/O manager (PUDL's pattern): a table is written as the package
publishes it, CSV and Parquet, into ``.dagster_home/tables/`` (laid out like the package), and its rows,
bytes and hashes are recorded as its materialization's metadata, which `data_package` reads (`table_facts`)
to write the descriptor. A table whose rows are exactly those published is linked from the package rather
than written again (`table_files.stage_table`). Each file is written under a scratch name and renamed into
place, as the files there are often hard links to the published package's and must never be written
through. `SelectionFile` keeps the `papers` asset's value, so that one table can be materialised again on
its own (from Dagster's UI) against the papers' last selection.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from dagster import AssetKey, DagsterInstance, InputContext, IOManager, OutputContext

from pipeline.orchestration.batch import Selection
from pipeline.orchestration.stages import DocumentProblem
from pipeline.package.schema import load_table_spec
from pipeline.package.table_files import published_files, published_resources, stage_table

# The tables as last materialised, laid out like the package (data/csv, data/parquet).
TABLES = Path(".dagster_home") / "tables"
SELECTION = Path(".dagster_home") / "selection.json"
FILE_KINDS = {"csv": "data/csv/{}.csv", "parquet": "data/parquet/{}.parquet"}


def table_file(root: Path, name: str, kind: str) -> Path:
    return root / TABLES / FILE_KINDS[kind].format(name)


class TableRows:
    """A finished table, handed to its I/O manager once. An in-process Dagster run keeps every output
    value until it ends (for `output_for_node`); the manager takes the rows out as it writes them, so that
    the run holds the table in hand, not every table it has made (about 140 MiB more at 300 papers)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self._frame: pl.DataFrame | None = frame

    def take(self) -> pl.DataFrame:
        frame, self._frame = self._frame, None
        if frame is None:
            raise RuntimeError("a table's rows are handed to its I/O manager once")
        return frame


class TableFiles(IOManager):
    """A table asset's storage: its CSV and Parquet files; reading it back scans its Parquet file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def handle_output(self, context: OutputContext, obj: TableRows) -> None:
        name, frame = context.asset_key.path[-1], obj.take()
        folder = self.root / TABLES
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".write-", dir=folder))
        try:
            previous = published_files(published_resources(self.root), name)
            facts = stage_table(scratch, load_table_spec(name), frame, self.root, previous)
            for kind, pattern in FILE_KINDS.items():
                table_file(self.root, name, kind).parent.mkdir(parents=True, exist_ok=True)
                os.replace(scratch / pattern.format(name), table_file(self.root, name, kind))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        context.add_output_metadata(
            {"rows": frame.height}
            | {f"{k}_{key}": v for k, found in facts.items() for key, v in found.items()}
        )

    def load_input(self, context: InputContext) -> pl.LazyFrame:
        return pl.scan_parquet(table_file(self.root, context.asset_key.path[-1], "parquet"))


def table_facts(instance: DagsterInstance, root: Path, name: str) -> dict[str, Any]:
    """What the table's last materialization recorded: its rows, the corrections applied to it, whether
    its fresh rows were validated, and each file's bytes and hash (``csv``, ``parquet``). Files of another
    size than recorded (written by a run this instance did not record) are refused."""
    event = instance.get_latest_materialization_event(AssetKey(name))
    if event is None or event.asset_materialization is None:
        raise LookupError(f"table {name!r} has not been materialised; materialise the tables first")
    found = {key: value.value for key, value in event.asset_materialization.metadata.items()}
    files = {kind: {"bytes": found[f"{kind}_bytes"], "hash": found[f"{kind}_hash"]} for kind in FILE_KINDS}
    for kind, facts in files.items():
        path = table_file(root, name, kind)
        if not path.is_file() or path.stat().st_size != facts["bytes"]:
            raise LookupError(
                f"{path}: not the file table {name!r} was last materialised as; materialise it again"
            )
    return {**found, **files}


class SelectionFile(IOManager):
    """The `papers` asset's value (`batch.Selection`) as a JSON file."""

    def __init__(self, root: Path) -> None:
        self.path = root / SELECTION

    def handle_output(self, context: OutputContext, obj: Selection) -> None:
        found = {
            "builds": obj.builds,
            "fresh": sorted(obj.fresh),
            "left_out": {i: [[p.check, p.message] for p in found] for i, found in obj.left_out.items()},
            "kept_previous": sorted(obj.kept_previous),
            "recheck_all": obj.recheck_all,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps(found, sort_keys=True), encoding="utf-8")
        os.replace(scratch, self.path)

    def load_input(self, context: InputContext | None) -> Selection:
        found = json.loads(self.path.read_text(encoding="utf-8"))
        left_out = {i: [DocumentProblem(i, *p) for p in found] for i, found in found["left_out"].items()}
        return Selection(
            found["builds"], set(found["fresh"]), left_out, set(found["kept_previous"]), found["recheck_all"]
        )
