"""Dagster definitions: a thin shell of assets and checks around the pure stage functions.

Per-document assets are partitioned by the documents found in raw/ at load time; corpus assets combine
them into the published tables, each with a blocking pandera check, and ``data_package`` writes the
package only when every check passed.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetIn,
    AssetsDefinition,
    Definitions,
    MetadataValue,
    Output,
    StaticPartitionsDefinition,
    asset,
    define_asset_job,
    in_process_executor,
    multiprocess_executor,
)

from pipeline import stages
from pipeline.publish import DatasetMetadata, publish, readme_tables_section, update_readme
from pipeline.schema import load_table_spec
from pipeline.tables import foreign_key_errors, schema_errors

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PublishedTable:
    """A finished table on its way to the package."""

    name: str
    frame: pl.DataFrame


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


def _by_document(loaded: Any) -> dict[str, Any]:
    """Partitioned inputs arrive as {partition: value}, except that a single partition arrives bare."""
    if isinstance(loaded, dict):
        return loaded
    return {loaded.document_id: loaded}


def _table_asset(name: str, group: str) -> AssetsDefinition:
    """A published table taken from its stage's output, with a blocking schema check."""
    spec = load_table_spec(name)

    @asset(
        name=name,
        ins={"stage_output": AssetIn(group)},
        group_name="tables",
        description=spec.description,
        check_specs=[AssetCheckSpec(name="schema", asset=name, blocking=True, description="pandera model")],
    )
    def table(context: AssetExecutionContext, stage_output: dict[str, Any]):
        frame = stage_output["tables"][name]
        errors = schema_errors(spec, frame)
        if name == "footnotes":
            errors += stages.footnote_problems(frame)
        yield Output(
            PublishedTable(name, frame),
            metadata={"rows": frame.height, "preview": MetadataValue.md(_preview(frame))},
        )
        yield AssetCheckResult(
            check_name="schema",
            passed=not errors,
            severity=AssetCheckSeverity.ERROR,
            metadata={"errors": MetadataValue.md("\n".join(f"- {e}" for e in errors) or "none")},
            description="; ".join(errors[:5]) or None,
        )

    return table


def build_definitions(root: Path) -> Definitions:
    """Assets, checks and jobs for the corpus under ``root``."""
    paths = stages.ProjectPaths(root)
    documents = StaticPartitionsDefinition(paths.document_ids())
    code_version = stages.code_version()

    def fingerprint(context: AssetExecutionContext) -> dict[str, str]:
        return {stages.FINGERPRINT_KEY: stages.input_fingerprint(paths, context.partition_key)}

    @asset(partitions_def=documents, group_name="documents", code_version=code_version)
    def source_document(context: AssetExecutionContext) -> stages.CorrectedSource:
        """The OCR text of one paper with its text corrections applied."""
        source = stages.load_source(paths, context.partition_key)
        context.add_output_metadata(
            {"source_path": source.document.source_path, "text_corrections": len(source.applied)}
            | fingerprint(context)
        )
        return source

    @asset(partitions_def=documents, group_name="documents", code_version=code_version)
    def cleaned_document(context: AssetExecutionContext, source_document: stages.CorrectedSource):
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

    @asset(group_name="corpus")
    def text_tables(
        context: AssetExecutionContext,
        source_document: Any,
        cleaned_document: Any,
    ) -> dict[str, Any]:
        """documents, paragraphs, sentences, footnotes and emphasis_spans over all papers."""
        output = stages.text_tables(paths, _by_document(source_document), _by_document(cleaned_document))
        context.add_output_metadata({name: frame.height for name, frame in output["tables"].items()})
        return output

    table_assets = [_table_asset(name, "text_tables") for name in stages.TEXT_TABLES]

    @asset(
        group_name="package",
        ins={name: AssetIn(name) for name in stages.TEXT_TABLES} | {"text_tables": AssetIn("text_tables")},
    )
    def data_package(context: AssetExecutionContext, text_tables: dict[str, Any], **tables: PublishedTable):
        """Validate foreign keys, write CSV/Parquet/texts/datapackage.json, and swap the package in."""
        specs = {name: (load_table_spec(name), table.frame) for name, table in tables.items()}
        errors = foreign_key_errors(specs)
        if errors:
            raise stages.PipelineError("foreign keys do not hold:\n  " + "\n  ".join(errors))
        meta = DatasetMetadata.load(paths.root / "dataset.yaml")
        package = publish(paths.root, meta, specs, text_tables["texts"], {})
        update_readme(paths.root / "README.md", readme_tables_section(meta, specs))
        context.add_output_metadata(
            {"version": meta.version, "resources": len(package["resources"])}
            | {name: t.frame.height for name, t in tables.items()}
        )
        return package["version"]

    document_assets = [source_document, cleaned_document]
    corpus_assets = [text_tables, *table_assets, data_package]
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
    )


defs = build_definitions(project_root())


def multiprocess_documents_job():
    """The per-document job with the multiprocess executor, reconstructable in each worker process.

    Workers rebuild the definitions from DATASET_ROOT, so the CLI sets it before launching the run.
    """
    return build_definitions(project_root()).resolve_job_def("documents_multiprocess_job")
