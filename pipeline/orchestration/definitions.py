"""Dagster definitions: a thin shell of assets and checks around the stage functions in `stages`.

``papers`` builds every changed paper in one step (spread over worker processes, one stored build per
paper, see `batch` and `store`) and selects what goes into the package: papers whose checks fail are left
out and their last good build kept. One step makes the tables from the papers' builds, each kind of rows
one read of every paper's file of that kind (`store.Builds`): one asset per published table,
each with record corrections applied and a blocking check (pandera model, plus footnote pairing), and
``corpus_tables``, what the package step takes from it. A table asset's storage is its files, written as
the package publishes them into the run's scratch folder, their sizes and hashes its materialization's
metadata: it hands no value to an I/O manager (a value passed through Dagster costs its run three events),
and ``data_package`` depends on it for order and lineage, taking the files' facts through
``corpus_tables``. ``data_package`` writes the package only
when every check passed. The number of steps does not depend on the number of papers, and the tables pass
between steps on disk, so that memory holds a table or two, not the corpus.

``documents_dask_job`` runs the per-paper stage on a Dask cluster instead (one step per changed paper,
through dagster-dask), with the same per-paper function (`workers.PaperBuilder`) and the same
store; the package job then checks and publishes them.
"""

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetIn,
    AssetOut,
    AssetsDefinition,
    Config,
    Definitions,
    DynamicOut,
    DynamicOutput,
    MaterializeResult,
    MetadataValue,
    OpExecutionContext,
    Output,
    ResourceDefinition,
    asset,
    define_asset_job,
    in_process_executor,
    job,
    mem_io_manager,
    multi_asset,
    op,
)

from pipeline.extract import works
from pipeline.orchestration import batch, corpus, stages, store, workers
from pipeline.orchestration.fingerprints import CorpusInputs
from pipeline.orchestration.workers import HeadStart, build_one
from pipeline.package import corrections as fixes
from pipeline.package import figures as drawn
from pipeline.package.incremental_check import ChangedPartValidator, FreshRowsCheck
from pipeline.package.publish import (
    DatasetMetadata,
    PackageContents,
    publish,
    published_files,
    published_resources,
    readme_tables_section,
    stage_table,
    update_readme,
)
from pipeline.package.schema import load_table_spec
from pipeline.package.tables import collected, combine, foreign_key_errors, schema_errors
from pipeline.paths import REPO_ROOT
from pipeline.text.clean import footnote_problems


@dataclass(frozen=True)
class PublishedTable:
    """A finished table, written as the package publishes it (CSV and Parquet, `publish.stage_table`) into
    the run's scratch package: each file's size and hash (``files``), its rows, and the record corrections
    applied to it; ``frame`` reads it back from its Parquet file."""

    name: str
    files: dict[str, dict[str, Any]]
    parquet: Path
    rows: int
    applied: list[fixes.AppliedCorrection] = field(default_factory=list)

    @property
    def frame(self) -> pl.LazyFrame:
        return pl.scan_parquet(self.parquet)


def project_root() -> Path:
    """The folder with raw/, corrections/ and the package; DATASET_ROOT overrides it (tests, benchmarks)."""
    return Path(os.environ.get("DATASET_ROOT", REPO_ROOT)).resolve()


def _preview(frame: pl.DataFrame, rows: int = 5) -> str:
    head = frame.head(rows)
    cells = [
        [("" if v is None else str(v))[:60].replace("|", "\\|") for v in row] for row in head.iter_rows()
    ]
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * len(head.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


FIGURE_CACHE = Path(".dagster_home") / "figures"
# A run's own files (the tables as written, the fresh rows checked), removed when its package is written.
RUN_SCRATCH = Path(".dagster_home") / "run-scratch"
# The run's scratch folder where the tables are written, laid out like the package, as they are made.
PRESTAGED = "package"
CORRECTIONS = "corrections"  # the table of what the corrections changed, made once every table is corrected
CORPUS_INPUTS = "corpus_inputs"
# The changed papers' builds the CLI started before the run (`workers.HeadStart`); None for runs from the UI.
HEAD_START = "head_start"


class PapersConfig(Config):
    """How the per-paper stage runs: worker processes, rebuild every paper, check every row."""

    workers: int = 1
    rebuild_all: bool = False
    full_check: bool = False
    strict: bool = False


class TablesConfig(Config):
    """Whether each table's materialization carries a preview of its first rows, for Dagster's UI. The CLI
    turns it off: the previews cost its run's event log more than correcting and checking the tables."""

    previews: bool = True


# Checks beyond a table's pandera model: check name -> function listing the problems it finds.
TABLE_CHECKS: dict[str, dict[str, Callable[[pl.DataFrame], list[str]]]] = {
    "footnotes": {"marker_note_pairing": footnote_problems},
}


def _check_result(table: str, name: str, problems: list[str]) -> AssetCheckResult:
    return AssetCheckResult(
        asset_key=table,
        check_name=name,
        passed=not problems,
        severity=AssetCheckSeverity.ERROR,
        metadata={"problems": MetadataValue.md("\n".join(f"- {e}" for e in problems) or "none")},
        description="; ".join(problems[:5]) or None,
    )


def _table_assets(root: Path, scratch: Path) -> AssetsDefinition:
    """``corpus_tables`` and every published table, all made in one step, with blocking checks.

    Each stage reads its kinds of rows from the papers' accepted builds (`store.Builds`), one kind at a
    time, and makes its tables one at a time (`corpus.corpus_tables`). Each table gets its record
    corrections and checks as soon as its stage has made it, and is written as the package publishes it
    into the run's ``scratch`` folder before the next is made: the table in hand is in memory, no more.
    Its files' sizes and hashes are its materialization's metadata. Last comes the ``corrections`` table:
    every correction applied exactly once, and what each changed. One asset per table, all in one step: a
    step costs Dagster more than correcting and checking a table does. The pandera check covers the rows
    that may have changed since they were last checked (see `corpus.rows_to_check`); ``build --full-check``
    checks every row.
    """
    paths = stages.ProjectPaths(root)
    made = [name for tables in corpus.STAGE_TABLES.values() for name in tables]
    specs = {name: load_table_spec(name) for name in [*made, CORRECTIONS]}
    corpus_out = AssetOut(
        group_name="corpus",
        description="What the package step takes from the table step: each table as written into the "
        "run's scratch package (its files, their facts, the record corrections applied to it), the texts "
        "it publishes, and the frictionless check of the fresh papers' rows, begun as each table was made.",
    )

    @multi_asset(
        name="tables",
        ins={"papers": AssetIn("papers")},
        required_resource_keys={HEAD_START},
        outs={"corpus_tables": corpus_out}
        | {name: AssetOut(group_name="tables", description=spec.description) for name, spec in specs.items()},
        check_specs=[
            AssetCheckSpec(name=check, asset=name, blocking=True)
            for name in specs
            for check in ["schema", *TABLE_CHECKS.get(name, {})]
        ],
    )
    def tables(context: AssetExecutionContext, config: TablesConfig, papers: batch.Selection):
        builds = store.Builds(root, papers.builds)
        records = builds.records()
        hidden = {i for i, found in records.items() if found.get("hidden")}
        checked = None if papers.recheck_all else papers.fresh
        previous, prestaged = published_resources(root), scratch / PRESTAGED
        meta = DatasetMetadata.load(paths.root / "dataset.yaml")
        head_start: HeadStart | None = getattr(context.resources, HEAD_START)
        idle = head_start.pool if head_start is not None and not head_start.closed else None
        fresh_check = FreshRowsCheck.begin(meta, checked, scratch / "fresh-rows", idle)
        published: dict[str, PublishedTable] = {}
        authority = stages.load_authority(paths)

        def finish(name: str, corrected: pl.DataFrame, applied: list[fixes.AppliedCorrection]):
            """Write the finished table into the run's package, then report it and its checks to Dagster."""
            if fresh_check is not None:
                fresh_check.add(specs[name], corrected, whole=bool(applied))
            files = stage_table(prestaged, specs[name], corrected, root, published_files(previous, name))
            parquet = prestaged / f"data/parquet/{name}.parquet"
            published[name] = PublishedTable(name, files, parquet, corrected.height, applied)
            # The table's storage is its files, written here; their facts are its materialization's metadata.
            yield MaterializeResult(
                asset_key=name,
                metadata={
                    "rows": corrected.height,
                    "corrections_applied": len(applied),
                    **{f"{kind}_{key}": v for kind, facts in files.items() for key, v in facts.items()},
                }
                | ({"preview": MetadataValue.md(_preview(corrected))} if config.previews else {}),
            )
            to_check = corpus.rows_to_check(name, corrected, checked, bool(applied))
            yield _check_result(name, "schema", schema_errors(specs[name], to_check))
            for check, find_problems in TABLE_CHECKS.get(name, {}).items():
                yield _check_result(name, check, find_problems(corrected))

        work_changes: list[works.FieldChange] = []  # the citations' corrected fields, for their works
        for name, frame in corpus.corpus_tables(builds, builds.cited_works(), authority):
            corrected, applied = corpus.correct_table(name, frame, papers.corrections, work_changes)
            if name == "citations":
                work_changes = corpus.work_changes(corrected, applied)
            yield from finish(name, corpus.withhold_text(name, corrected, hidden), applied)
            del frame, corrected  # before the next table is made
        # Every correction applied exactly once, and what each changed, as the corrections table.
        applied = [
            *store.applied_corrections(records, papers.corrections),
            *(a for t in published.values() for a in t.applied),
        ]
        fixes.check_all_applied(papers.corrections, applied)
        yield from finish(CORRECTIONS, combine(CORRECTIONS, [fixes.corrections_table(applied, hidden)]), [])
        yield Output(
            {
                "texts": builds.texts(i for i in papers.builds if i not in hidden),
                "fresh_check": fresh_check,
                "tables": published,
            },
            output_name="corpus_tables",
        )

    return tables


def build_definitions(root: Path) -> Definitions:
    """Assets, checks and jobs for the corpus under ``root``; nothing here depends on how many papers.

    Papers' rows and finished tables pass between the steps on disk, in the run's scratch folder
    (removed once the package is written): the run holds what one stage needs, not the corpus."""
    paths = stages.ProjectPaths(root)
    scratch = root / RUN_SCRATCH

    @asset(group_name="documents", required_resource_keys={CORPUS_INPUTS, HEAD_START})
    def papers(context: AssetExecutionContext, config: PapersConfig) -> batch.Selection:
        """Every paper whose inputs changed, built in one step; the papers that go into the package."""
        inputs: CorpusInputs = getattr(context.resources, CORPUS_INPUTS)
        head_start: HeadStart | None = getattr(context.resources, HEAD_START)
        corrections = stages.load_corrections(paths, list(inputs.documents))
        if head_start is not None:
            todo = head_start.todo
        elif config.rebuild_all:
            todo = list(inputs.fingerprints)
        else:
            todo = batch.stale_documents(inputs)
        shutil.rmtree(scratch, ignore_errors=True)  # a killed run's
        built = workers.build_papers(inputs, corrections, todo, config.workers, head_start)
        selection = batch.select_papers(inputs, built, config.full_check)
        if head_start is not None and not FreshRowsCheck.wanted(None if config.full_check else todo):
            head_start.close()  # nothing else for the workers to do: their memory goes back now
        selection.corrections = fixes.without_left_out(
            corrections, set(selection.left_out), selection.kept_previous
        )
        problems = [str(p) for found in selection.left_out.values() for p in found]
        if config.strict and problems:
            raise stages.PipelineError("--strict: papers failed their checks:\n  " + "\n  ".join(problems))
        if problems and not selection.published:
            raise stages.PipelineError(
                "nothing to publish, no paper passed its checks: " + "; ".join(problems)
            )
        context.add_output_metadata(
            {
                "documents": len(inputs.documents),
                "built": len(todo),
                "published": len(selection.published),
                "left_out": MetadataValue.md(
                    "\n".join(f"- {p}" for found in selection.left_out.values() for p in found) or "none"
                ),
            }
        )
        return selection

    table_names = [name for tables in corpus.STAGE_TABLES.values() for name in tables] + [CORRECTIONS]
    table_assets = _table_assets(root, scratch)

    @asset(
        group_name="package",
        ins={"corpus_tables": AssetIn("corpus_tables"), "papers": AssetIn("papers")},
        deps=table_names,
    )
    def data_package(
        context: AssetExecutionContext, corpus_tables: dict[str, Any], papers: batch.Selection
    ) -> str:
        """Check corrections and foreign keys; write CSV, Parquet, texts and datapackage.json; swap in."""
        tables: dict[str, PublishedTable] = corpus_tables["tables"]
        figure = drawn.timeline_figure(
            *(collected(tables[name].frame) for name in ("events", "event_participants", "entities")),
            root / FIGURE_CACHE,
        )
        specs = {name: (load_table_spec(name), t.frame) for name, t in tables.items()}
        # Every table passed its own asset's blocking checks; what is left is how they hold together.
        errors = foreign_key_errors(specs)
        if errors:
            raise stages.PipelineError("the tables do not hold together:\n  " + "\n  ".join(errors[:40]))
        meta = DatasetMetadata.load(paths.root / "dataset.yaml")
        figures = {"figures/timeline.svg": figure}
        staged = {name: t.files for name, t in tables.items()}
        contents = PackageContents(
            specs, corpus_tables["texts"], figures, staged, prestaged=scratch / PRESTAGED
        )
        if papers.recheck_all:
            package = publish(paths.root, meta, contents)
        else:
            corrected = {name for name, t in tables.items() if t.applied} | {CORRECTIONS}
            fresh_check = corpus_tables["fresh_check"]
            validator = ChangedPartValidator(paths.root, papers.fresh, corrected, fresh_check)
            package = publish(paths.root, meta, contents, validator)
        counts = {name: t.rows for name, t in tables.items()}
        tables_section = readme_tables_section(
            meta, {name: spec for name, (spec, _) in specs.items()}, counts
        )
        update_readme(paths.root / "README.md", tables_section)
        store.mark_published(root, papers.builds)
        shutil.rmtree(scratch, ignore_errors=True)
        context.add_output_metadata(
            {"version": meta.version, "resources": len(package["resources"])} | counts
        )
        return meta.version

    corpus_assets = [papers, table_assets, data_package]
    return Definitions(
        assets=corpus_assets,
        jobs=[define_asset_job("package_job", selection=[k for a in corpus_assets for k in a.keys])],
        executor=in_process_executor,
        resources={
            "io_manager": mem_io_manager,
            # The papers and their fingerprints, read when a run starts; the CLI, which has just read
            # them to decide whether there is anything to do, hands its reading to the run instead.
            CORPUS_INPUTS: ResourceDefinition(lambda _: CorpusInputs.scan(root)),
            HEAD_START: ResourceDefinition.none_resource(),
        },
    )


# The distributed route: one step per changed paper on a Dask cluster (dagster-dask), same stored outcomes.


class PlanConfig(Config):
    rebuild_all: bool = False


@op(out=DynamicOut(tuple))
def plan_documents(context: OpExecutionContext, config: PlanConfig):
    """One output per paper to (re)build: its ID, raw/ entry and input fingerprint."""
    inputs = CorpusInputs.scan(project_root())
    todo = list(inputs.fingerprints) if config.rebuild_all else batch.stale_documents(inputs)
    context.log.info(f"{len(todo)} of {len(inputs.documents)} papers to (re)build")
    for document_id in todo:
        job_input = (document_id, str(inputs.documents[document_id]), inputs.fingerprints[document_id])
        yield DynamicOutput(job_input, mapping_key=document_id.replace("-", "_"))


@op
def build_paper(job_input: tuple) -> str:
    """Build one paper and store it (`workers.PaperBuilder`, as every route does); its ID."""
    document_id, entry, fingerprint = job_input
    return build_one(project_root(), document_id, Path(entry), fingerprint)


@op
def papers_built(document_ids: list[str]) -> int:
    return len(document_ids)


@job(description="The per-paper stage, one step per changed paper; run with dagster-dask's executor.")
def documents_dask_job():
    papers_built(plan_documents().map(build_paper).collect())


# The corpus the module-level definitions (what `dagster dev` loads) are built for.
DEFS_ROOT = project_root()
defs = build_definitions(DEFS_ROOT)


def dask_documents_job():
    """The per-paper job with dagster-dask's executor, reconstructable in every Dask worker.

    Workers find the corpus through DATASET_ROOT, which the CLI sets before launching the run.
    """
    from dagster_dask import dask_executor

    return documents_dask_job.with_executor_def(dask_executor)
