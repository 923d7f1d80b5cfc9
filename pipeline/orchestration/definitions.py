"""Dagster definitions: a thin shell of assets and checks around the stage functions in `stages`.

``papers`` builds every changed paper in one step (spread over worker processes, one stored outcome
per paper, see `batch`) and selects what goes into the package: papers whose own checks fail are left out
and their last good version kept. ``corpus_tables`` combines the papers' rows into the tables (the rows
of papers built before come from the last build's saved rows, see `paper_rows`); one asset per published
table, all made in one step, applies record corrections and carries a blocking check (pandera model, plus
footnote pairing), and ``data_package`` writes the package only when every check passed. The number of
steps does not depend on the number of papers.

``documents_dask_job`` runs the per-paper stage on a Dask cluster instead (one step per changed paper,
through dagster-dask), storing the same per-paper outcomes; the package job then picks them up.
"""

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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

from pipeline.extract.entities import Authority
from pipeline.orchestration import batch, paper_rows, stages
from pipeline.orchestration.fingerprints import CorpusInputs
from pipeline.orchestration.package_check import ChangedPartValidator
from pipeline.package import corrections as fixes
from pipeline.package.publish import (
    DatasetMetadata,
    PackageContents,
    publish,
    readme_tables_section,
    update_readme,
)
from pipeline.package.schema import load_table_spec
from pipeline.package.tables import combine, foreign_key_errors, schema_errors
from pipeline.paths import REPO_ROOT
from pipeline.text.clean import footnote_problems


@dataclass(frozen=True)
class PublishedTable:
    """A finished table on its way to the package, with the record corrections applied to it."""

    name: str
    frame: pl.DataFrame
    applied: list[fixes.AppliedCorrection] = field(default_factory=list)


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
CORPUS_INPUTS = "corpus_inputs"


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


def _check_result(table: str, name: str, problems: list[str]) -> AssetCheckResult:
    return AssetCheckResult(
        asset_key=table,
        check_name=name,
        passed=not problems,
        severity=AssetCheckSeverity.ERROR,
        metadata={"problems": MetadataValue.md("\n".join(f"- {e}" for e in problems) or "none")},
        description="; ".join(problems[:5]) or None,
    )


def _table_assets() -> AssetsDefinition:
    """Every published table from its stage's output, record corrections applied, with blocking checks.

    One asset per table, all made in one step: a step costs Dagster more than correcting and checking
    a table does. The pandera check covers the rows that may have changed since they were last checked
    (see `stages.rows_to_check`); ``build --full-check`` checks every row.
    """
    stage_of = {name: stage for stage, tables in stages.STAGE_TABLES.items() for name in tables}
    specs = {name: load_table_spec(name) for name in stage_of}

    @multi_asset(
        name="tables",
        ins={"corpus_tables": AssetIn("corpus_tables")},
        outs={
            name: AssetOut(group_name="tables", description=spec.description) for name, spec in specs.items()
        },
        check_specs=[
            AssetCheckSpec(name=check, asset=name, blocking=True)
            for name in specs
            for check in ["schema", *TABLE_CHECKS.get(name, {})]
        ],
    )
    def tables(context: AssetExecutionContext, corpus_tables: dict[str, Any]):
        text_tables = corpus_tables["text_tables"]
        for name, stage in stage_of.items():
            produced = corpus_tables[stage]["tables"][name]
            frame, applied = stages.correct_table(name, produced, text_tables["corrections"])
            frame = stages.withhold_text(name, frame, text_tables["hidden"])
            yield Output(
                PublishedTable(name, frame, applied),
                output_name=name,
                metadata={
                    "rows": frame.height,
                    "corrections_applied": len(applied),
                    "preview": MetadataValue.md(_preview(frame)),
                },
            )
            to_check = stages.rows_to_check(name, frame, text_tables["checked"], bool(applied))
            yield _check_result(name, "schema", schema_errors(specs[name], to_check))
            for check, find_problems in TABLE_CHECKS.get(name, {}).items():
                yield _check_result(name, check, find_problems(frame))

    return tables


def _corpus_tables(
    rows: paper_rows.PaperRows, papers: batch.DocumentSelection, authority: Authority
) -> dict[str, Any]:
    """The tables of every stage from the papers' stacked rows, plus what the package step needs."""
    stacked = rows.view()
    text = stages.text_tables(stacked)
    text["texts"] = rows.texts()
    text["applied"] = [a for extra in rows.extras.values() for a in extra.applied]
    text["hidden"] = rows.hidden
    text["corrections"] = papers.corrections
    text["checked"] = None if papers.recheck_all else papers.fresh
    described = (cited for extra in rows.extras.values() for cited in extra.cited)
    bibliography = stages.bibliography_tables(stacked, described)
    return {
        "text_tables": text,
        "bibliography_tables": bibliography,
        "entity_tables": stages.entity_tables(authority, stacked),
        "event_tables": stages.event_tables(stacked),
        "claim_tables": stages.claim_tables(stacked, bibliography["tables"]["citations"]),
    }


def build_definitions(root: Path) -> Definitions:
    """Assets, checks and jobs for the corpus under ``root``; nothing here depends on how many papers."""
    paths = stages.ProjectPaths(root)

    @asset(group_name="documents", required_resource_keys={CORPUS_INPUTS})
    def papers(context: AssetExecutionContext, config: PapersConfig) -> batch.DocumentSelection:
        """Every paper whose inputs changed, built in one step; the papers that go into the package."""
        inputs: CorpusInputs = getattr(context.resources, CORPUS_INPUTS)
        corrections = stages.load_corrections(paths, list(inputs.documents))
        store = batch.DocumentStore(root)
        todo = list(inputs.fingerprints) if config.rebuild_all else batch.stale_documents(inputs, store)
        folder = root / paper_rows.PAPER_ROWS
        saved = {} if config.full_check else paper_rows.saved_identities(folder)
        with ThreadPoolExecutor(1) as reader:
            # The other papers' saved rows are read (Arrow lets go of the GIL) while the changed ones build.
            reading = reader.submit(paper_rows.load, folder) if set(saved) - set(todo) else None
            built = batch.build_documents(inputs, corrections, todo, config.workers)
            selection = batch.select_documents(inputs, store, config.full_check, saved, built)
            del built
            selection.saved_rows = reading.result() if reading and selection.reused else None
        selection.corrections = corrections
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

    @asset(group_name="corpus")
    def corpus_tables(context: AssetExecutionContext, papers: batch.DocumentSelection) -> dict[str, Any]:
        """Every table the stages make, over all papers, by stage: text (documents, paragraphs,
        sentences, footnotes, emphasis_spans, and the texts), bibliography (citations, works deduplicated
        across papers, sentence_works), entities (from the authority files; mentions, unlinked_names),
        events and claims.

        The papers' rows are stacked by kind (`paper_rows`): those of papers built before come from the
        last build's saved rows, the others from this build or their stored builds. The stacked rows are
        saved for the next build in the background (``saving``, which the package step waits for)."""
        saved = papers.saved_rows or []
        if not papers.reused <= {i for part in saved for i in part.identities}:
            papers.results.update(batch.load_published(root, papers.reused))  # saved rows unreadable
            saved = []
        pieces = [part.keep(papers.reused) for part in saved]
        pieces.append(paper_rows.PaperRows.from_results(papers.results))
        if papers.fresh_rows is not None:
            pieces.append(papers.fresh_rows)
        rows = paper_rows.combine(pieces)
        papers.release_frames()
        output: dict[str, Any] = _corpus_tables(rows, papers, stages.load_authority(paths))
        context.add_output_metadata(
            {name: frame.height for stage in output.values() for name, frame in stage["tables"].items()}
        )
        # Saved while the tables go on to the package, which waits for it before it ends.
        background = ThreadPoolExecutor(1)
        output["saving"] = background.submit(rows.save, root / paper_rows.PAPER_ROWS)
        background.shutdown(wait=False)
        return output

    table_names = [name for tables in stages.STAGE_TABLES.values() for name in tables]
    table_assets = _table_assets()

    @asset(
        group_name="package",
        ins={name: AssetIn(name) for name in table_names}
        | {"corpus_tables": AssetIn("corpus_tables"), "papers": AssetIn("papers")},
    )
    def data_package(
        context: AssetExecutionContext,
        corpus_tables: dict[str, Any],
        papers: batch.DocumentSelection,
        **tables: PublishedTable,
    ) -> str:
        """Check corrections and foreign keys; write CSV, Parquet, texts and datapackage.json; swap in."""
        text_tables = corpus_tables["text_tables"]
        # Drawn (matplotlib, in Python) while the tables are checked and written (mostly off the GIL).
        drawing = ThreadPoolExecutor(1)
        figure = drawing.submit(
            stages.timeline_figure,
            tables["events"].frame,
            tables["event_participants"].frame,
            tables["entities"].frame,
            root / FIGURE_CACHE,
        )
        drawing.shutdown(wait=False)
        applied = [*text_tables["applied"], *(a for t in tables.values() for a in t.applied)]
        fixes.check_all_applied(text_tables["corrections"], applied)
        frames = {name: t.frame for name, t in tables.items()}
        withheld = text_tables["hidden"]
        frames["corrections"] = combine("corrections", [fixes.corrections_table(applied, withheld)])
        specs = {name: (load_table_spec(name), frame) for name, frame in frames.items()}
        # Every other table passed its own asset's blocking checks.
        errors = schema_errors(*specs["corrections"]) + foreign_key_errors(specs)
        if errors:
            raise stages.PipelineError("the tables do not hold together:\n  " + "\n  ".join(errors[:40]))
        meta = DatasetMetadata.load(paths.root / "dataset.yaml")
        texts = {i: t for i, t in text_tables["texts"].items() if i not in text_tables["hidden"]}
        contents = PackageContents(specs, texts, {"figures/timeline.svg": figure})
        if papers.recheck_all:
            package = publish(paths.root, meta, contents)
        else:
            corrected = {name for name, t in tables.items() if t.applied} | {"corrections"}
            validator = ChangedPartValidator(paths.root, papers.fresh, corrected)
            package = publish(paths.root, meta, contents, validator, validator.start)
        update_readme(paths.root / "README.md", readme_tables_section(meta, specs))
        store = batch.DocumentStore(root)
        for document_id in sorted(papers.fresh):
            store.mark_published(document_id)
        try:
            corpus_tables["saving"].result()
        except OSError as exc:  # the saved rows only spare work; the next build reads the stored builds
            context.log.warning(f"the papers' rows were not saved: {exc}")
        context.add_output_metadata(
            {"version": meta.version, "resources": len(package["resources"])}
            | {name: frame.height for name, frame in frames.items()}
        )
        return meta.version

    corpus_assets = [
        papers,
        corpus_tables,
        table_assets,
        data_package,
    ]
    return Definitions(
        assets=corpus_assets,
        jobs=[define_asset_job("package_job", selection=[k for a in corpus_assets for k in a.keys])],
        executor=in_process_executor,
        resources={
            "io_manager": mem_io_manager,
            # The papers and their fingerprints, read when a run starts; the CLI, which has just read
            # them to decide whether there is anything to do, hands its reading to the run instead.
            CORPUS_INPUTS: ResourceDefinition(lambda _: CorpusInputs.scan(root)),
        },
    )


# The distributed route: one step per changed paper on a Dask cluster (dagster-dask), same stored outcomes.


class PlanConfig(Config):
    rebuild_all: bool = False


@op(out=DynamicOut(tuple))
def plan_documents(context: OpExecutionContext, config: PlanConfig):
    """One output per paper to (re)build: its ID, raw/ entry and input fingerprint."""
    inputs = CorpusInputs.scan(project_root())
    store = batch.DocumentStore(inputs.root)
    todo = list(inputs.fingerprints) if config.rebuild_all else batch.stale_documents(inputs, store)
    context.log.info(f"{len(todo)} of {len(inputs.documents)} papers to (re)build")
    for document_id in todo:
        job_input = (document_id, str(inputs.documents[document_id]), inputs.fingerprints[document_id])
        yield DynamicOutput(job_input, mapping_key=document_id.replace("-", "_"))


@op
def build_paper(job_input: tuple) -> int:
    """Build one paper and store its outcome; returns the number of problems its own checks found."""
    document_id, entry, fingerprint = job_input
    root = project_root()
    corrections = fixes.load_corrections(root / "corrections")
    return batch.build_one(root, corrections, document_id, Path(entry), fingerprint)


@op
def papers_built(problem_counts: list[int]) -> int:
    return len(problem_counts)


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
