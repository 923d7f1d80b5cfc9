"""One paper's build: its stages as plain functions over plain values, and `build_document`, which runs
them all.

Each stage is a pure function (reading and text corrections here, the extractors composed in
`extract.paper_stages`, stable record IDs here), run as a stage a problem is reported against
(`_stage`), so the whole chain can be tested without Dagster. What this module and the modules it
imports contain is what a paper's build depends on: their digest is in each paper's fingerprint
(`fingerprints.PAPER_CODE`). The stages over the whole corpus are in `package.corpus_tables`.
"""

from __future__ import annotations

import dataclasses
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.extract import correspondence, document_links, entities, paper_stages, works
from pipeline.orchestration.fingerprints import DEBUG_ENV
from pipeline.package import corrections as fixes
from pipeline.package.record_ids import published_records, stable_ids
from pipeline.package.schema import all_table_names, load_table_spec
from pipeline.package.text_corrections import apply_text_corrections
from pipeline.text.clean import CleanedDocument, clean_document, footnote_problems
from pipeline.text.documents import document_row
from pipeline.text.ingest import SourceDocument, discover_documents, read_document


class PipelineError(RuntimeError):
    """A run cannot produce a valid package; the message says which record and why."""


@dataclass(frozen=True)
class ProjectPaths:
    """Where a corpus lives: raw/ texts, corrections/, the authority files, and the package output."""

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
    applied: list[fixes.AppliedCorrection] = field(default_factory=list)

    @property
    def document_id(self) -> str:
        return self.document.document_id


def load_corrections(paths: ProjectPaths, document_ids: list[str] | None = None) -> list[fixes.Correction]:
    """All correction entries, validated against the known documents, tables and columns."""
    corrections = fixes.load_corrections(paths.corrections)
    tables = {name: load_table_spec(name).columns for name in all_table_names()}
    known = paths.document_ids() if document_ids is None else document_ids
    fixes.check_targets(corrections, known, tables)
    return corrections


def load_authority(paths: ProjectPaths) -> entities.Authority:
    return entities.load_authority(paths.authority)


# Per-document stages


def load_source(
    paths: ProjectPaths, document_id: str, entry: Path, corrections: list[fixes.Correction]
) -> CorrectedSource:
    """Read one paper (its raw/ entry) and apply its text corrections (OCR fixes) before any extraction."""
    document = read_document(entry, paths.root)
    text, applied = apply_text_corrections(document_id, document.text, corrections)
    return CorrectedSource(document=document, text=text, applied=applied)


def clean(source: CorrectedSource) -> CleanedDocument:
    return clean_document(
        source.text,
        source.document_id,
        source.document.source_path,
        source.document.metadata.get("body_start_line"),
    )


def with_stable_ids(
    paths: ProjectPaths,
    cleaned: CleanedDocument,
    found_citations: pl.DataFrame,
    mentions: dict[str, pl.DataFrame],
    found_events: dict[str, pl.DataFrame],
    found_claims: dict[str, pl.DataFrame],
    corrections: list[fixes.Correction],
) -> tuple[
    CleanedDocument, pl.DataFrame, dict[str, pl.DataFrame], dict[str, pl.DataFrame], dict[str, pl.DataFrame]
]:
    """The paper's records with stable IDs (``record_ids``) in place of the extractors' ordinal ones,
    carried over from the package at the project's root where it has the paper."""
    added = [c.record_id for c in corrections if c.kind == "add" and c.record_id]
    previous = published_records(paths.root, cleaned.document_id, added)
    text_frames = {
        "paragraphs": cleaned.paragraphs,
        "sentences": cleaned.sentences,
        "footnotes": cleaned.footnotes,
        "emphasis_spans": cleaned.emphasis_spans,
    }
    tables = {**text_frames, "citations": found_citations, **mentions, **found_events, **found_claims}
    done = stable_ids(cleaned.document_id, cleaned.text, tables, previous)
    return (
        dataclasses.replace(cleaned, **{name: done[name] for name in text_frames}),
        done["citations"],
        {name: done[name] for name in mentions},
        {name: done[name] for name in found_events},
        {name: done[name] for name in found_claims},
    )


# One document through every per-document stage, with its own checks


@dataclass(frozen=True)
class DocumentProblem:
    """Why a document is left out of a build: which document, which check, and where (line or record)."""

    document_id: str
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.document_id}: {self.check}: {self.message}"


@dataclass
class DocumentResult:
    """Everything one paper contributes to the package, built from inputs with the given fingerprint."""

    document_id: str
    fingerprint: str
    source: CorrectedSource
    cleaned: CleanedDocument
    citations: pl.DataFrame
    mentions: dict[str, pl.DataFrame]
    events: dict[str, pl.DataFrame]
    claims: dict[str, pl.DataFrame]
    # The paper's citations and works as they come out for the paper alone: the cross-paper tables' rows
    # this paper is answerable for, which its own checks read.
    bibliography_alone: dict[str, pl.DataFrame] = field(default_factory=dict)
    # What each citation stands for, worked out with the paper: combining the corpus only merges them.
    cited_works: tuple[works.CitedWork, ...] = ()
    # The documents the paper prints when it is a collection (correspondence.find_source_documents).
    source_documents: pl.DataFrame | None = None

    def own_tables(self) -> dict[str, pl.DataFrame]:
        """The rows this paper adds to the tables that are plain unions of per-paper rows."""
        cleaned = self.cleaned
        return {
            "documents": pl.DataFrame([document_row(self.source.document, cleaned)]),
            "paragraphs": cleaned.paragraphs,
            "sentences": cleaned.sentences,
            "footnotes": cleaned.footnotes,
            "emphasis_spans": cleaned.emphasis_spans,
            "source_documents": self.source_documents,
            **self.mentions,
            **self.events,
            "claim_subjects": self.claims["claim_subjects"],
        }


@dataclass(frozen=True)
class DocumentOutcome:
    """A document's build: its result when every stage ran, and the problems its own checks found."""

    document_id: str
    result: DocumentResult | None
    problems: list[DocumentProblem]


def _stage(document_id: str, name: str, run: Callable[[], Any]) -> Any:
    """Run one stage; an exception becomes a DocumentProblem naming the stage and where it was raised."""
    try:
        return run()
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"{type(exc).__name__}: {exc} (at {Path(frame.filename).name}:{frame.lineno})"
        if os.environ.get(DEBUG_ENV):
            message += "\n" + "".join(traceback.format_exception(exc))
        raise _StageFailed(DocumentProblem(document_id, name, message)) from exc


class _StageFailed(Exception):
    def __init__(self, problem: DocumentProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def build_document(
    paths: ProjectPaths,
    document_id: str,
    entry: Path,
    fingerprint: str,
    authority: entities.Authority,
    corrections: list[fixes.Correction],
) -> DocumentOutcome:
    """Read, clean and extract one paper, then run its own checks (footnote pairing); never raises for
    a problem of the paper itself, so one bad paper cannot stop the others."""
    try:
        source = _stage(document_id, "read", lambda: load_source(paths, document_id, entry, corrections))
        cleaned = _stage(document_id, "clean", lambda: clean(source))
        found_citations = _stage(document_id, "citations", lambda: paper_stages.document_citations(cleaned))
        mentions = _stage(document_id, "entities", lambda: paper_stages.document_mentions(cleaned, authority))
        metadata, front = source.document.metadata, cleaned.front_matter
        document_date = metadata.get("date_published") or front.get("date_published")
        author = metadata.get("author") or front.get("author")
        printed = _stage(
            document_id,
            "source_documents",
            lambda: correspondence.find_source_documents(cleaned.paragraphs, document_id),
        )
        if printed.height:
            printed = document_links.link_parties(printed, mentions["mentions"], mentions["unlinked_names"])
        spans = document_links.reference_dates(printed, cleaned.paragraphs)
        senders = document_links.sender_spans(printed, cleaned.paragraphs)
        found_events = _stage(
            document_id,
            "events",
            lambda: paper_stages.document_events(cleaned, mentions["mentions"], document_date, spans),
        )
        found_claims = _stage(
            document_id,
            "claims",
            lambda: paper_stages.document_claims(
                cleaned,
                mentions["mentions"],
                found_events["events"],
                author,
                authority,
                mentions["unlinked_names"],
                found_events["time_expressions"],
                senders,
            ),
        )
        ordinal_paragraphs = cleaned.paragraphs["paragraph_id"]
        cleaned, found_citations, mentions, found_events, found_claims = _stage(
            document_id,
            "record ids",
            lambda: with_stable_ids(
                paths, cleaned, found_citations, mentions, found_events, found_claims, corrections
            ),
        )
        renamed = dict(zip(ordinal_paragraphs, cleaned.paragraphs["paragraph_id"], strict=True))
        printed = document_links.renamed_paragraphs(printed, renamed)
        cited = _stage(document_id, "works", lambda: works.describe_citations(found_citations))
        work_table, linked = _stage(document_id, "works", lambda: works.merge_works(cited, found_citations))
        printed = _stage(
            document_id,
            "source_documents",
            lambda: paper_stages.document_source_documents(
                cleaned, found_events, found_claims, mentions, printed
            ),
        )
    except _StageFailed as failed:
        return DocumentOutcome(document_id, None, [failed.problem])
    cleaned = printed["cleaned"]
    # The OCR text is not needed once extracted (the package keeps its digest): stored and combined
    # results stay small, which bounds the package step's memory in large corpora.
    slim = CorrectedSource(dataclasses.replace(source.document, text=""), "", source.applied)
    result = DocumentResult(
        document_id,
        fingerprint,
        slim,
        cleaned,
        found_citations,
        mentions,
        found_events,
        found_claims,
        {"citations": linked, "works": work_table},
        tuple(cited),
        printed["source_documents"],
    )
    gaps = fixes.acknowledged_gaps(corrections)
    problems = [
        DocumentProblem(document_id, "marker_note_pairing", line.removeprefix(f"{document_id}: "))
        for line in footnote_problems(cleaned.footnotes, cleaned.note_decisions, gaps)
    ]
    return DocumentOutcome(document_id, result, problems)
