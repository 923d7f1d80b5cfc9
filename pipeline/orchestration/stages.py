"""The pipeline's stages as plain functions over plain values, called by the Dagster assets.

Each function composes the pure modules (ingest, clean, citations, entities, events, claims, corrections)
for one stage, so the Dagster layer only moves values between them and the whole chain can be tested
without Dagster. Per-document stages take one document; corpus stages combine all of them.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.extract import citations as citation_parser
from pipeline.extract import claims as claim_rules
from pipeline.extract import dates, entities, events, works
from pipeline.package import corrections as fixes
from pipeline.package import timeline
from pipeline.package.schema import all_table_names, load_table_spec
from pipeline.package.tables import combine
from pipeline.paths import REPO_ROOT, SCHEMA_DIR, VOCAB_DIR
from pipeline.text.clean import CleanedDocument, clean_document
from pipeline.text.documents import document_row, publishes_full_text
from pipeline.text.ingest import SourceDocument, discover_documents, read_document

FINGERPRINT_KEY = "input_fingerprint"

# Which corpus stage produces which published tables (the corrections table is made by the package step).
STAGE_TABLES: dict[str, tuple[str, ...]] = {
    "text_tables": ("documents", "paragraphs", "sentences", "footnotes", "emphasis_spans"),
    "bibliography_tables": ("citations", "works", "sentence_works"),
    "entity_tables": ("entities", "entity_names", "mentions", "unlinked_names"),
    "event_tables": ("time_expressions", "events", "event_participants", "event_citations"),
    "claim_tables": ("claims", "claim_subjects", "claim_citations"),
}


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


def load_corrections(paths: ProjectPaths) -> list[fixes.Correction]:
    """All correction entries, validated against the known documents, tables and columns."""
    corrections = fixes.load_corrections(paths.corrections)
    tables = {name: load_table_spec(name).columns for name in all_table_names()}
    fixes.check_targets(corrections, paths.document_ids(), tables)
    return corrections


def load_authority(paths: ProjectPaths) -> entities.Authority:
    return entities.load_authority(paths.authority)


def code_version() -> str:
    """A digest of the pipeline's code, table specs, vocabularies and trained models: any change to them
    rebuilds every document."""
    digest = hashlib.sha256()
    code = [*(REPO_ROOT / "pipeline").rglob("*.py"), *SCHEMA_DIR.glob("*.yaml"), *VOCAB_DIR.glob("*.yaml")]
    code += [path for path in (REPO_ROOT / "models").rglob("*") if path.is_file()]
    for path in sorted(code):
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _digest_files(digest: Any, base: Path, files: list[Path]) -> None:
    for path in sorted(files):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())


def input_fingerprint(paths: ProjectPaths, document_id: str) -> str:
    """Everything a document's own assets read: its raw files, its text corrections, the authority, code.

    Record corrections are applied to the combined tables, so they do not make a document stale.
    """
    digest = hashlib.sha256(code_version().encode())
    entry = discover_documents(paths.raw)[document_id]
    _digest_files(
        digest, paths.root, [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
    )
    if paths.authority.exists():
        _digest_files(digest, paths.root, [p for p in paths.authority.rglob("*") if p.is_file()])
    for correction in fixes.load_corrections(paths.corrections):
        if correction.kind == "text" and correction.document_id == document_id:
            digest.update(repr(correction).encode())
    return digest.hexdigest()


# Per-document stages


def load_source(paths: ProjectPaths, document_id: str) -> CorrectedSource:
    """Read one paper and apply its text corrections (OCR fixes) before any extraction."""
    document = read_document(discover_documents(paths.raw)[document_id], paths.root)
    text, applied = fixes.apply_text_corrections(document_id, document.text, load_corrections(paths))
    return CorrectedSource(document=document, text=text, applied=applied)


def clean(source: CorrectedSource) -> CleanedDocument:
    return clean_document(
        source.text,
        source.document_id,
        source.document.source_path,
        source.document.metadata.get("body_start_line"),
    )


def document_citations(cleaned: CleanedDocument) -> pl.DataFrame:
    """Every reference in the document's notes, typed and with Ibid./short forms resolved within it."""
    return citation_parser.extract_citations(cleaned.footnotes, cleaned.emphasis_spans)


def document_mentions(cleaned: CleanedDocument, authority: entities.Authority) -> dict[str, pl.DataFrame]:
    """Mentions of authority entities in body and notes, and names the authority does not know."""
    mentions, unlinked = entities.find_mentions(
        cleaned.text, cleaned.sentences, cleaned.footnotes, authority, cleaned.emphasis_spans
    )
    return {"mentions": mentions, "unlinked_names": unlinked}


def author_entity_id(authority: entities.Authority, author: str | None, document_id: str) -> str:
    """The authority ID of the paper's author, or a document-scoped ID when the authority lacks them."""
    for entity in authority.entities.values():
        if author and entity.entity_type == "person" and author in (entity.name, *entity.variants):
            return entity.entity_id
    return f"{document_id}:author"


def document_events(
    cleaned: CleanedDocument, mentions: pl.DataFrame, document_date: str | None
) -> dict[str, pl.DataFrame]:
    """Time expressions normalised to EDTF, and the dated events built on them."""
    time_expressions = dates.find_time_expressions(cleaned.sentences, document_date)
    found, participants, event_footnotes = events.extract_events(
        cleaned.sentences, time_expressions, mentions, cleaned.footnotes
    )
    return {
        "time_expressions": time_expressions,
        "events": found,
        "event_participants": participants,
        "event_citations": event_footnotes,
    }


def document_claims(
    cleaned: CleanedDocument,
    mentions: pl.DataFrame,
    found_events: pl.DataFrame,
    author: str | None,
    authority: entities.Authority,
    unlinked_names: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """Quotations, reported statements and hedged author assertions, with their notes and subjects."""
    output = claim_rules.extract_claims(
        cleaned.text,
        cleaned.sentences,
        mentions,
        cleaned.footnotes,
        author_entity_id(authority, author, cleaned.document_id),
        cleaned.emphasis_spans,
        cleaned.paragraphs,
        unlinked_names,
    )
    event_subjects = claim_rules.link_claim_events(output["claims"], found_events)
    output["claim_subjects"] = pl.concat([output["claim_subjects"], event_subjects], how="diagonal_relaxed")
    return output


# Corpus stages


def text_tables(sources: dict[str, CorrectedSource], cleaned: dict[str, CleanedDocument]) -> dict[str, Any]:
    """The text-level tables over all documents, and the texts to publish."""
    ids = sorted(cleaned)
    rows = [pl.DataFrame([document_row(sources[i].document, cleaned[i])]) for i in ids]
    tables = {
        "documents": combine("documents", rows),
        "paragraphs": combine("paragraphs", [cleaned[i].paragraphs for i in ids]),
        "sentences": combine("sentences", [cleaned[i].sentences for i in ids]),
        "footnotes": combine("footnotes", [cleaned[i].footnotes for i in ids]),
        "emphasis_spans": combine("emphasis_spans", [cleaned[i].emphasis_spans for i in ids]),
    }
    return {
        "tables": tables,
        "texts": {i: cleaned[i].text for i in ids},
        "applied": [a for i in ids for a in sources[i].applied],
    }


def bibliography_tables(
    cleaned: dict[str, CleanedDocument], citations: dict[str, pl.DataFrame]
) -> dict[str, Any]:
    """Citations with their works, deduplicated across all documents, and sentence-to-work links."""
    ids = sorted(cleaned)
    all_citations = pl.concat([citations[i] for i in ids], how="diagonal_relaxed")
    work_table, linked = works.build_works(all_citations)
    footnotes = pl.concat([cleaned[i].footnotes for i in ids], how="vertical")
    return {
        "tables": {
            "citations": combine("citations", [linked]),
            "works": combine("works", [work_table]),
            "sentence_works": combine("sentence_works", [works.link_sentences_to_works(footnotes, linked)]),
        }
    }


def entity_tables(
    authority: entities.Authority, mentions: dict[str, dict[str, pl.DataFrame]]
) -> dict[str, Any]:
    """The authority file as tables, plus every document's mentions and unlinked names."""
    ids = sorted(mentions)
    authority_frames = entities.authority_tables(authority)
    return {
        "tables": {
            "entities": combine("entities", [authority_frames["entities"]]),
            "entity_names": combine("entity_names", [authority_frames["entity_names"]]),
            "mentions": combine("mentions", [mentions[i]["mentions"] for i in ids]),
            "unlinked_names": combine("unlinked_names", [mentions[i]["unlinked_names"] for i in ids]),
        }
    }


def event_tables(found: dict[str, dict[str, pl.DataFrame]]) -> dict[str, Any]:
    """Time expressions, events, their participants and supporting notes over all documents."""
    ids = sorted(found)
    return {
        "tables": {
            name: combine(name, [found[i][name] for i in ids]) for name in STAGE_TABLES["event_tables"]
        }
    }


def claim_tables(claims: dict[str, dict[str, pl.DataFrame]], citations: pl.DataFrame) -> dict[str, Any]:
    """Claims with the citations behind them; quotations of a cited work name that work as claimant."""
    ids = sorted(claims)
    claim_footnotes = pl.concat([claims[i]["claim_footnotes"] for i in ids], how="vertical")
    claim_citations = claim_rules.link_claim_citations(claim_footnotes, citations)
    all_claims = pl.concat([claims[i]["claims"] for i in ids], how="diagonal_relaxed")
    return {
        "tables": {
            "claims": combine("claims", [claim_rules.attribute_cited_works(all_claims, claim_citations)]),
            "claim_subjects": combine("claim_subjects", [claims[i]["claim_subjects"] for i in ids]),
            "claim_citations": combine("claim_citations", [claim_citations]),
        }
    }


def timeline_figure(
    events_table: pl.DataFrame, participants: pl.DataFrame, entity_table: pl.DataFrame
) -> bytes:
    """The timeline of events by person, as SVG bytes (deterministic)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "timeline.svg"
        active = events_table.filter(pl.col("record_status") == "active")
        timeline.render_timeline(active, participants, entity_table, path)
        return path.read_bytes()


# Finishing a table: corrections, text withheld where the metadata says so


def correct_table(
    name: str, frame: pl.DataFrame, corrections: list[fixes.Correction]
) -> tuple[pl.DataFrame, list[fixes.AppliedCorrection]]:
    """Apply the record corrections (field, add, withdraw) aimed at this table."""
    spec = load_table_spec(name)
    corrected, applied = fixes.apply_record_corrections(name, frame, list(spec.primary_key), corrections)
    return combine(name, [corrected]), applied


def withhold_text(name: str, frame: pl.DataFrame, hidden_documents: set[str]) -> pl.DataFrame:
    """Null the columns that republish the paper's wording for documents whose full text is off."""
    spec = load_table_spec(name)
    columns = [f.name for f in spec.fields if f.source_text]
    if not hidden_documents or not columns or "document_id" not in frame.columns:
        return frame
    hidden = pl.col("document_id").is_in(sorted(hidden_documents))
    return frame.with_columns(pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in columns)


def hidden_documents(sources: dict[str, CorrectedSource]) -> set[str]:
    return {i for i, s in sources.items() if not publishes_full_text(s.document.metadata)}
