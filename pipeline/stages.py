"""The pipeline's stages as plain functions over plain values, called by the Dagster assets.

Each function here composes the pure modules (ingest, clean, citations, entities, ...) for one stage, so
that the Dagster layer only moves values between them and the whole chain can be tested without Dagster.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.clean import CleanedDocument, clean_document, footnote_problems
from pipeline.documents import document_row
from pipeline.ingest import SourceDocument, discover_documents, read_document
from pipeline.tables import combine

PACKAGE_DIR = Path(__file__).resolve().parent
FINGERPRINT_KEY = "input_fingerprint"
TEXT_TABLES = ("documents", "paragraphs", "sentences", "footnotes", "emphasis_spans")

__all__ = ["footnote_problems"]


class PipelineError(RuntimeError):
    """A run cannot produce a valid package; the message says which record and why."""


@dataclass(frozen=True)
class ProjectPaths:
    """Where a corpus lives: raw/ texts, corrections/, the authority file, and the package output."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def corrections(self) -> Path:
        return self.root / "corrections"

    @property
    def authority(self) -> Path:
        return self.root / "authority"

    def document_ids(self) -> list[str]:
        return sorted(discover_documents(self.raw))


@dataclass(frozen=True)
class CorrectedSource:
    """A paper's OCR text after text corrections, with the corrections that were applied to it."""

    document: SourceDocument
    text: str
    applied: list[Any] = field(default_factory=list)

    @property
    def document_id(self) -> str:
        return self.document.document_id

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def code_version() -> str:
    """A digest of the pipeline's code and table specs: any change to them rebuilds every document."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE_DIR.glob("*.py"), *(PACKAGE_DIR.parent / "schemas").glob("*.yaml")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _digest_files(digest: hashlib._Hash, base: Path, files: list[Path]) -> None:
    for path in sorted(files):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())


def input_fingerprint(paths: ProjectPaths, document_id: str) -> str:
    """Everything a document's own assets read: its raw files, its text corrections, the authority file, code.

    Two runs with the same fingerprint produce the same per-document outputs, so a re-run can skip it.
    """
    digest = hashlib.sha256(code_version().encode())
    entry = discover_documents(paths.raw)[document_id]
    _digest_files(
        digest, paths.root, [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
    )
    if paths.authority.exists():
        _digest_files(digest, paths.root, [p for p in paths.authority.rglob("*") if p.is_file()])
    return digest.hexdigest()


def load_source(paths: ProjectPaths, document_id: str) -> CorrectedSource:
    entry = discover_documents(paths.raw)[document_id]
    document = read_document(entry, paths.root)
    return CorrectedSource(document=document, text=document.text)


def clean(source: CorrectedSource) -> CleanedDocument:
    return clean_document(
        source.text,
        source.document.document_id,
        source.document.source_path,
        source.document.metadata.get("body_start_line"),
    )


def _hide_text(frame: pl.DataFrame, column: str, hidden: set[str]) -> pl.DataFrame:
    """Null a text column for documents whose metadata switches full-text publication off."""
    if not hidden:
        return frame
    return frame.with_columns(
        pl.when(pl.col("document_id").is_in(sorted(hidden)))
        .then(None)
        .otherwise(pl.col(column))
        .alias(column)
    )


def text_tables(
    paths: ProjectPaths, sources: dict[str, CorrectedSource], cleaned: dict[str, CleanedDocument]
) -> dict[str, Any]:
    """The text-level tables over all documents, and the texts to publish."""
    ids = sorted(cleaned)
    hidden = {i for i in ids if not sources[i].document.metadata.get("full_text", True)}
    tables = {
        "documents": combine(
            "documents", [pl.DataFrame([document_row(sources[i].document, cleaned[i])]) for i in ids]
        ),
        "paragraphs": combine("paragraphs", [cleaned[i].paragraphs for i in ids]),
        "sentences": combine("sentences", [cleaned[i].sentences for i in ids]),
        "footnotes": combine("footnotes", [cleaned[i].footnotes for i in ids]),
        "emphasis_spans": combine("emphasis_spans", [cleaned[i].emphasis_spans for i in ids]),
    }
    for name in ("paragraphs", "sentences", "footnotes", "emphasis_spans"):
        tables[name] = _hide_text(tables[name], "text", hidden)
    texts = {i: cleaned[i].text for i in ids if i not in hidden}
    return {"tables": tables, "texts": texts}
