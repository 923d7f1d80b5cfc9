"""Dagster definitions: a thin shell of assets and checks around the stage functions in `stages`.

Per-document assets are partitioned by the documents found in raw/ at load time; corpus assets combine
them into the published tables, each with a blocking check (pandera model, plus footnote pairing), and
``data_package`` writes the package only when every check passed.
"""

import os
import pickle
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
    AssetKey,
    AssetsDefinition,
    Definitions,
    InputContext,
    IOManager,
    MetadataValue,
    Output,
    OutputContext,
    StaticPartitionsDefinition,
    asset,
    define_asset_job,
    in_process_executor,
    multiprocess_executor,
)

from pipeline.orchestration import stages
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


class DocumentStore(IOManager):
    """Pickles each asset value to .dagster_home/storage/<asset>.pickle or <asset>/<partition>.pickle.

    A corpus asset reading a per-document asset always gets {document_id: value}, also when the corpus
    holds a single document (Dagster's default store hands over a lone partition bare).
    """

    def __init__(self, base_dir: Path) -> None:
        self.base_dir = base_dir

    def _path(self, asset_key: AssetKey, partition: str | None) -> Path:
        folder = self.base_dir.joinpath(*asset_key.path)
        return folder / f"{partition}.pickle" if partition else folder.with_suffix(".pickle")

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        path = self._path(context.asset_key, context.partition_key if context.has_partition_key else None)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))

    def load_input(self, context: InputContext) -> Any:
        key = context.asset_key
        if not context.has_asset_partitions:
            return pickle.loads(self._path(key, None).read_bytes())
        if context.has_partition_key:
            return pickle.loads(self._path(key, context.asset_partition_key).read_bytes())
        return {p: pickle.loads(self._path(key, p).read_bytes()) for p in context.asset_partition_keys}


# Checks beyond a table's pandera model: check name -> function listing the problems it finds.
TABLE_CHECKS: dict[str, dict[str, Callable[[pl.DataFrame], list[str]]]] = {
    "footnotes": {"marker_note_pairing": footnote_problems},
}


def _check_result(name: str, problems: list[str]) -> AssetCheckResult:
    return AssetCheckResult(
        check_name=name,
        passed=not problems,
        severity=AssetCheckSeverity.ERROR,
        metadata={"problems": MetadataValue.md("\n".join(f"- {e}" for e in problems) or "none")},
        description="; ".join(problems[:5]) or None,
    )


def _table_asset(name: str, stage: str, paths: stages.ProjectPaths) -> AssetsDefinition:
    """A published table from its stage's output: record corrections applied, blocking checks."""
    spec = load_table_spec(name)
    checks = {"schema": lambda frame: schema_errors(spec, frame), **TABLE_CHECKS.get(name, {})}

    @asset(
        name=name,
        ins={"text_tables": AssetIn("text_tables")}
        | ({} if stage == "text_tables" else {stage: AssetIn(stage)}),
        group_name="tables",
        description=spec.description,
        check_specs=[AssetCheckSpec(name=check, asset=name, blocking=True) for check in checks],
    )
    def table(context: AssetExecutionContext, text_tables: Any, **stage_output: Any):
        produced = stage_output.get(stage, text_tables)["tables"][name]
        frame, applied = stages.correct_table(name, produced, stages.load_corrections(paths))
        frame = stages.withhold_text(name, frame, text_tables["hidden"])
        yield Output(
            PublishedTable(name, frame, applied),
            metadata={
                "rows": frame.height,
                "corrections_applied": len(applied),
                "preview": MetadataValue.md(_preview(frame)),
            },
        )
        for check, find_problems in checks.items():
            yield _check_result(check, find_problems(frame))

    return table


def build_definitions(root: Path) -> Definitions:
    """Assets, checks and jobs for the corpus under ``root``."""
    paths = stages.ProjectPaths(root)
    documents = StaticPartitionsDefinition(paths.document_ids())
    code_version = stages.code_version()

    def document_asset(**kwargs: Any):
        return asset(partitions_def=documents, group_name="documents", code_version=code_version, **kwargs)

    def fingerprint(context: AssetExecutionContext) -> dict[str, str]:
        return {stages.FINGERPRINT_KEY: stages.input_fingerprint(paths, context.partition_key)}

    @document_asset()
    def source_document(context: AssetExecutionContext) -> stages.CorrectedSource:
        """The OCR text of one paper with its text corrections applied."""
        source = stages.load_source(paths, context.partition_key)
        context.add_output_metadata(
            {"source_path": source.document.source_path, "text_corrections": len(source.applied)}
            | fingerprint(context)
        )
        return source

    @document_asset()
    def cleaned_document(context: AssetExecutionContext, source_document: Any):
        """Cleaned text, paragraphs, sentences, footnotes and emphasis spans of one paper."""
        cleaned = stages.clean(source_document)
        context.add_output_metadata(
            {
                "paragraphs": cleaned.paragraphs.height,
                "sentences": cleaned.sentences.height,
                "footnotes": cleaned.footnotes.height,
                "text_length": len(cleaned.text),
            }
            | fingerprint(context)
        )
        return cleaned

    @document_asset()
    def document_citations(context: AssetExecutionContext, cleaned_document: Any) -> pl.DataFrame:
        """Typed references parsed from the paper's notes, referring forms resolved."""
        frame = stages.document_citations(cleaned_document)
        context.add_output_metadata({"citations": frame.height} | fingerprint(context))
        return frame

    @document_asset()
    def document_mentions(context: AssetExecutionContext, cleaned_document: Any) -> dict[str, pl.DataFrame]:
        """People, organisations and places mentioned, linked to the authority files."""
        output = stages.document_mentions(cleaned_document, stages.load_authority(paths))
        context.add_output_metadata({k: v.height for k, v in output.items()} | fingerprint(context))
        return output

    @document_asset()
    def document_events(
        context: AssetExecutionContext, source_document: Any, cleaned_document: Any, document_mentions: Any
    ) -> dict[str, pl.DataFrame]:
        """Time expressions (EDTF) and dated events with participants and supporting notes."""
        metadata = source_document.document.metadata
        document_date = metadata.get("date_published") or cleaned_document.front_matter.get("date_published")
        output = stages.document_events(cleaned_document, document_mentions["mentions"], document_date)
        context.add_output_metadata({k: v.height for k, v in output.items()} | fingerprint(context))
        return output

    @document_asset()
    def document_claims(
        context: AssetExecutionContext,
        source_document: Any,
        cleaned_document: Any,
        document_mentions: Any,
        document_events: Any,
    ) -> dict[str, pl.DataFrame]:
        """Quotations, reported statements and hedged assertions of the paper."""
        metadata = source_document.document.metadata
        author = metadata.get("author") or cleaned_document.front_matter.get("author")
        output = stages.document_claims(
            cleaned_document,
            document_mentions["mentions"],
            document_events["events"],
            author,
            stages.load_authority(paths),
            document_mentions["unlinked_names"],
        )
        context.add_output_metadata({k: v.height for k, v in output.items()} | fingerprint(context))
        return output

    @asset(group_name="corpus")
    def text_tables(
        context: AssetExecutionContext, source_document: Any, cleaned_document: Any
    ) -> dict[str, Any]:
        """documents, paragraphs, sentences, footnotes and emphasis_spans over all papers."""
        sources = source_document
        output = stages.text_tables(sources, (cleaned_document))
        output["hidden"] = stages.hidden_documents(sources)
        context.add_output_metadata({name: frame.height for name, frame in output["tables"].items()})
        return output

    @asset(group_name="corpus")
    def bibliography_tables(
        context: AssetExecutionContext, cleaned_document: Any, document_citations: Any
    ) -> dict[str, Any]:
        """citations, works (deduplicated across papers) and sentence_works."""
        output = stages.bibliography_tables(cleaned_document, document_citations)
        context.add_output_metadata({name: frame.height for name, frame in output["tables"].items()})
        return output

    @asset(group_name="corpus")
    def entity_tables(context: AssetExecutionContext, document_mentions: Any) -> dict[str, Any]:
        """entities and entity_names from the authority files; mentions and unlinked_names of all papers."""
        output = stages.entity_tables(stages.load_authority(paths), document_mentions)
        context.add_output_metadata({name: frame.height for name, frame in output["tables"].items()})
        return output

    @asset(group_name="corpus")
    def event_tables(context: AssetExecutionContext, document_events: Any) -> dict[str, Any]:
        """time_expressions, events, event_participants and event_citations of all papers."""
        output = stages.event_tables(document_events)
        context.add_output_metadata({name: frame.height for name, frame in output["tables"].items()})
        return output

    @asset(group_name="corpus")
    def claim_tables(
        context: AssetExecutionContext, document_claims: Any, bibliography_tables: Any
    ) -> dict[str, Any]:
        """claims, claim_subjects and claim_citations of all papers."""
        output = stages.claim_tables(document_claims, bibliography_tables["tables"]["citations"])
        context.add_output_metadata({name: frame.height for name, frame in output["tables"].items()})
        return output

    table_names = [name for tables in stages.STAGE_TABLES.values() for name in tables]
    table_assets = [
        _table_asset(name, stage, paths) for stage, tables in stages.STAGE_TABLES.items() for name in tables
    ]

    @asset(
        group_name="package",
        ins={name: AssetIn(name) for name in table_names} | {"text_tables": AssetIn("text_tables")},
    )
    def data_package(context: AssetExecutionContext, text_tables: Any, **tables: PublishedTable) -> str:
        """Check corrections and foreign keys; write CSV, Parquet, texts and datapackage.json; swap in."""
        applied = [*text_tables["applied"], *(a for t in tables.values() for a in t.applied)]
        fixes.check_all_applied(stages.load_corrections(paths), applied)
        frames = {name: t.frame for name, t in tables.items()}
        withheld = text_tables["hidden"]
        frames["corrections"] = combine("corrections", [fixes.corrections_table(applied, withheld)])
        specs = {name: (load_table_spec(name), frame) for name, frame in frames.items()}
        errors = [e for name, (spec, frame) in specs.items() for e in schema_errors(spec, frame)]
        errors += foreign_key_errors(specs)
        if errors:
            raise stages.PipelineError("the tables do not hold together:\n  " + "\n  ".join(errors[:40]))
        meta = DatasetMetadata.load(paths.root / "dataset.yaml")
        texts = {i: t for i, t in text_tables["texts"].items() if i not in text_tables["hidden"]}
        figure = stages.timeline_figure(frames["events"], frames["event_participants"], frames["entities"])
        package = publish(paths.root, meta, PackageContents(specs, texts, {"figures/timeline.svg": figure}))
        update_readme(paths.root / "README.md", readme_tables_section(meta, specs))
        context.add_output_metadata(
            {"version": meta.version, "resources": len(package["resources"])}
            | {name: frame.height for name, frame in frames.items()}
        )
        return meta.version

    document_assets = [
        source_document,
        cleaned_document,
        document_citations,
        document_mentions,
        document_events,
        document_claims,
    ]
    corpus_assets = [
        text_tables,
        bibliography_tables,
        entity_tables,
        event_tables,
        claim_tables,
        *table_assets,
        data_package,
    ]
    return Definitions(
        assets=[*document_assets, *corpus_assets],
        jobs=[
            define_asset_job("documents_job", selection=[a.key for a in document_assets]),
            define_asset_job("package_job", selection=[a.key for a in corpus_assets]),
            define_asset_job(
                "documents_multiprocess_job",
                selection=[a.key for a in document_assets],
                executor_def=multiprocess_executor,
            ),
        ],
        executor=in_process_executor,
        resources={"io_manager": DocumentStore(root / ".dagster_home" / "storage")},
    )


defs = build_definitions(project_root())


def multiprocess_documents_job():
    """The per-document job with the multiprocess executor, reconstructable in each worker process.

    Workers rebuild the definitions from DATASET_ROOT, so the CLI sets it before launching the run.
    """
    return build_definitions(project_root()).resolve_job_def("documents_multiprocess_job")
