"""Dagster definitions: a thin shell of assets and checks around the stage functions in `stages`.

``papers`` builds every changed paper in one step (spread over worker processes, one stored build per
paper, see `batch` and `store`) and selects what goes into the package: papers whose checks fail are left
out and their last good build kept. One step (``tables``) makes the tables from the papers' builds, each
kind of rows one read of every paper's file of that kind (`store.Builds`): one asset per published table,
each with record corrections applied and a blocking check (pandera model, plus footnote pairing), stored
by its I/O manager as its CSV and Parquet files, their sizes and hashes its materialization's metadata
(`io_managers`). ``data_package`` reads those facts and files and writes the package only when every check
passed. The number of steps does not depend on the number of papers, and the tables pass between steps on
disk, so that memory holds a table or two, not the corpus.

``documents_dask_job`` runs the per-paper stage on a Dask cluster instead (one step per changed paper,
through dagster-dask), with the same per-paper function (`workers.PaperBuilder`) and the same
store; the package job then checks and publishes them.
"""

import os
import shutil
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetOut,
    AssetsDefinition,
    Config,
    Definitions,
    DynamicOut,
    DynamicOutput,
    IOManagerDefinition,
    MaterializeResult,
    MetadataValue,
    OpExecutionContext,
    Output,
    ResourceDefinition,
    asset,
    define_asset_job,
    in_process_executor,
    job,
    multi_asset,
    op,
)

from pipeline.extract import works
from pipeline.orchestration import batch, stages, store, workers
from pipeline.orchestration.fingerprints import CorpusInputs
from pipeline.orchestration.io_managers import (
    FILE_KINDS,
    TABLES,
    SelectionFile,
    TableFiles,
    TableRows,
    table_facts,
    table_file,
)
from pipeline.orchestration.workers import HeadStart, build_one
from pipeline.package import corpus_tables as corpus
from pipeline.package import corrections as fixes
from pipeline.package import figures as drawn
from pipeline.package.incremental_check import ChangedPartValidator, FreshRowsCheck
from pipeline.package.publish import (
    DatasetMetadata,
    PackageContents,
    publish,
    readme_tables_section,
    update_readme,
)
from pipeline.package.schema import load_table_spec
from pipeline.package.tables import collected, combine, foreign_key_errors, schema_errors
from pipeline.paths import REPO_ROOT
from pipeline.text.clean import footnote_problems


def project_root() -> Path:
    """The folder with raw/, corrections/ and the package; DATASET_ROOT overrides it (tests, benchmarks)."""
    return Path(os.environ.get("DATASET_ROOT", REPO_ROOT)).resolve()


FIGURE_CACHE = Path(".dagster_home") / "figures"
# A run's own files (the fresh rows checked by frictionless), removed when the tables are made.
RUN_SCRATCH = Path(".dagster_home") / "run-scratch"
TABLE_FILES, SELECTION = "table_files", "selection_file"
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


# Checks beyond a table's pandera model: check name -> function listing the problems it finds.
TABLE_CHECKS: dict[str, dict[str, Callable[[pl.DataFrame], list[str]]]] = {
    "footnotes": {"marker_note_pairing": footnote_problems},
}


def _idle_workers(context: AssetExecutionContext) -> Executor | None:
    """The CLI's worker processes once the papers are built (`workers.HeadStart`); None in a UI run."""
    head_start: HeadStart | None = getattr(context.resources, HEAD_START)
    return head_start.pool if head_start is not None and not head_start.closed else None


def _check_result(table: str, name: str, problems: list[str]) -> AssetCheckResult:
    return AssetCheckResult(
        asset_key=table,
        check_name=name,
        passed=not problems,
        severity=AssetCheckSeverity.ERROR,
        metadata={"problems": MetadataValue.md("\n".join(f"- {e}" for e in problems) or "none")},
        description="; ".join(problems[:5]) or None,
    )


def _table_assets(root: Path) -> AssetsDefinition:
    """Every published table, all made in one step, each with blocking checks and stored by `TableFiles`.

    Each stage reads its kinds of rows from the papers' accepted builds (`store.Builds`), one kind at a
    time, and makes its tables one at a time (`corpus.corpus_tables`). Each table gets its record
    corrections and is handed to its I/O manager, which writes its files, before the next is made: the
    table in hand is in memory, no more. Last comes the ``corrections`` table: every correction applied
    exactly once, and what each changed. One asset per table, all in one step (a step costs Dagster more
    than correcting and checking a table does); a subset (one table re-materialised from the UI) runs only
    its tables' stages, and the ``corrections`` table all. The ``schema`` check covers the rows that may
    have changed since last checked (`corpus.rows_to_check`; ``build --full-check``: every row) with the
    table's model, and a few fresh papers' rows with frictionless (`incremental_check.FreshRowsCheck`)."""
    paths = stages.ProjectPaths(root)
    made = [name for tables in corpus.STAGE_TABLES.values() for name in tables]
    specs = {name: load_table_spec(name) for name in [*made, CORRECTIONS]}
    outs = {
        name: AssetOut(
            group_name="tables", description=spec.description, io_manager_key=TABLE_FILES, is_required=False
        )
        for name, spec in specs.items()
    }

    @multi_asset(
        name="tables",
        required_resource_keys={HEAD_START},
        outs=outs,
        check_specs=[
            AssetCheckSpec(name=check, asset=name, blocking=True)
            for name in specs
            for check in ["schema", *TABLE_CHECKS.get(name, {})]
        ],
        can_subset=True,
    )
    def tables(context: AssetExecutionContext, papers: batch.Selection):
        selected = set(context.op_execution_context.selected_output_names)
        builds = store.Builds(root, papers.builds)
        records = builds.records()
        hidden = {i for i, found in records.items() if found.get("hidden")}
        corrections = fixes.without_left_out(
            stages.load_corrections(paths), set(papers.left_out), papers.kept_previous
        )
        checked = None if papers.recheck_all else papers.fresh
        idle = _idle_workers(context)
        meta = DatasetMetadata.load(paths.root / "dataset.yaml")
        fresh_check = FreshRowsCheck.begin(meta, checked, root / RUN_SCRATCH / "fresh-rows", idle)
        problems: dict[tuple[str, str], list[str]] = {}
        all_applied: list[fixes.AppliedCorrection] = list(store.applied_corrections(records, corrections))

        def finish(name: str, corrected: pl.DataFrame, applied: list[fixes.AppliedCorrection]):
            """Check the finished table and hand it to its I/O manager, which writes its files."""
            all_applied.extend(applied)
            if name not in selected:
                return
            if fresh_check is not None:
                fresh_check.add(specs[name], corrected, whole=bool(applied))
            to_check = corpus.rows_to_check(name, corrected, checked, bool(applied))
            problems[name, "schema"] = schema_errors(specs[name], to_check)
            for check, find_problems in TABLE_CHECKS.get(name, {}).items():
                problems[name, check] = find_problems(corrected)
            validated = fresh_check is not None and name in fresh_check.tables
            metadata = {"corrections_applied": len(applied), "fresh_rows_validated": validated}
            yield Output(TableRows(corrected), output_name=name, metadata=metadata)

        work_changes: list[works.FieldChange] = []  # the citations' corrected fields, for their works
        wanted, made = None if CORRECTIONS in selected else selected, set()  # that table needs every table
        authority = stages.load_authority(paths)
        for name, frame in corpus.corpus_tables(builds, builds.cited_works(), authority, wanted):
            corrected, applied = corpus.correct_table(name, frame, corrections, work_changes)
            if name == "citations":
                work_changes = corpus.work_changes(corrected, applied)
            yield from finish(name, corpus.withhold_text(name, corrected, hidden), applied)
            del frame, corrected  # before the next table is made
            made.add(name)
        # Every correction (of the tables made) applied exactly once, and what each changed, as its table.
        fixes.check_all_applied([c for c in corrections if c.table is None or c.table in made], all_applied)
        if wanted is None:
            corrections_table = combine(CORRECTIONS, [fixes.corrections_table(all_applied, hidden)])
            yield from finish(CORRECTIONS, corrections_table, [])
        verdicts = fresh_check.verdicts() if fresh_check is not None else {}
        shutil.rmtree(root / RUN_SCRATCH, ignore_errors=True)
        for (name, check), found in problems.items():
            yield _check_result(name, check, found + (verdicts.get(name, []) if check == "schema" else []))

    return tables


def build_definitions(root: Path) -> Definitions:
    """Assets, checks and jobs for the corpus under ``root``; nothing here depends on how many papers.

    The papers' rows pass between the steps in their store, the tables as their files (`io_managers`):
    the run holds what one stage needs, not the corpus."""
    paths = stages.ProjectPaths(root)

    @asset(
        group_name="documents", required_resource_keys={CORPUS_INPUTS, HEAD_START}, io_manager_key=SELECTION
    )
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
        shutil.rmtree(root / RUN_SCRATCH, ignore_errors=True)  # a killed run's
        built = workers.build_papers(inputs, corrections, todo, config.workers, head_start)
        selection = batch.select_papers(inputs, built, config.full_check)
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
                "left_out": MetadataValue.md("\n".join(f"- {p}" for p in problems) or "none"),
            }
        )
        return selection

    table_names = [name for tables in corpus.STAGE_TABLES.values() for name in tables] + [CORRECTIONS]

    @asset(group_name="package", deps=table_names, required_resource_keys={HEAD_START})
    def data_package(context: AssetExecutionContext, papers: batch.Selection) -> MaterializeResult:
        """Check foreign keys across the tables as their last materializations wrote them (their files and
        the facts recorded with them); write texts, figures and datapackage.json; swap the package in."""
        facts = {name: table_facts(context.instance, root, name) for name in table_names}
        frames = {name: pl.scan_parquet(table_file(root, name, "parquet")) for name in table_names}
        specs = {name: (load_table_spec(name), frame) for name, frame in frames.items()}
        figure = drawn.timeline_figure(
            *(collected(frames[name]) for name in ("events", "event_participants", "entities")),
            root / FIGURE_CACHE,
            _idle_workers(context),
        )
        # Every table passed its own asset's blocking checks; what is left is how they hold together.
        errors = foreign_key_errors(specs)
        if errors:
            raise stages.PipelineError("the tables do not hold together:\n  " + "\n  ".join(errors[:40]))
        builds = store.Builds(root, papers.builds)
        hidden = {i for i, found in builds.records().items() if found.get("hidden")}
        texts = builds.texts(i for i in papers.builds if i not in hidden)
        staged = {name: {kind: found[kind] for kind in FILE_KINDS} for name, found in facts.items()}
        meta = DatasetMetadata.load(paths.root / "dataset.yaml")
        contents = PackageContents(specs, texts, {"figures/timeline.svg": figure}, staged, root / TABLES)
        if papers.recheck_all:
            package = publish(paths.root, meta, contents)
        else:
            corrected = {name for name, found in facts.items() if found["corrections_applied"]}
            validated = {name for name, found in facts.items() if found["fresh_rows_validated"]}
            validator = ChangedPartValidator(paths.root, papers.fresh, corrected | {CORRECTIONS}, validated)
            package = publish(paths.root, meta, contents, validator)
        counts = {name: found["rows"] for name, found in facts.items()}
        tables_section = readme_tables_section(
            meta, {name: spec for name, (spec, _) in specs.items()}, counts
        )
        update_readme(paths.root / "README.md", tables_section)
        store.mark_published(root, papers.builds)
        return MaterializeResult(
            metadata={"version": meta.version, "resources": len(package["resources"])} | counts
        )

    corpus_assets = [papers, _table_assets(root), data_package]
    return Definitions(
        assets=corpus_assets,
        jobs=[define_asset_job("package_job", selection=[k for a in corpus_assets for k in a.keys])],
        executor=in_process_executor,
        resources={
            TABLE_FILES: IOManagerDefinition.hardcoded_io_manager(TableFiles(root)),
            SELECTION: IOManagerDefinition.hardcoded_io_manager(SelectionFile(root)),
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


@job(description="The per-paper stage, one step per changed paper; run with dagster-dask's executor.")
def documents_dask_job():
    plan_documents().map(build_paper)


# The corpus the module-level definitions (what `dagster dev` loads) are built for.
DEFS_ROOT = project_root()
defs = build_definitions(DEFS_ROOT)


def dask_documents_job():
    """The per-paper job with dagster-dask's executor, reconstructable in every Dask worker.

    Workers find the corpus through DATASET_ROOT, which the CLI sets before launching the run.
    """
    from dagster_dask import dask_executor

    return documents_dask_job.with_executor_def(dask_executor)
