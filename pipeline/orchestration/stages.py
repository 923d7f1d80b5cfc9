"""The pipeline's stages as plain functions over plain values, called by the Dagster assets.

Each function composes the pure modules (ingest, clean, citations, entities, events, claims, corrections)
for one stage, so the Dagster layer only moves values between them and the whole chain can be tested
without Dagster. Per-document stages take one document; corpus stages combine all of them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.extract import citations as citation_parser
from pipeline.extract import claims as claim_rules
from pipeline.extract import dates, entities, events, works
from pipeline.orchestration.fingerprints import DEBUG_ENV, code_version
from pipeline.package import corrections as fixes
from pipeline.package.publish import blank_empty_strings
from pipeline.package.schema import all_table_names, conform, load_table_spec
from pipeline.package.tables import combine, schema_failures
from pipeline.text.clean import CleanedDocument, clean_document, footnote_problems
from pipeline.text.documents import document_row
from pipeline.text.ingest import SourceDocument, discover_documents, read_document

# Which corpus stage produces which published tables (the corrections table is made by the package step).
STAGE_TABLES: dict[str, tuple[str, ...]] = {
    "text_tables": ("documents", "paragraphs", "sentences", "footnotes", "emphasis_spans"),
    "bibliography_tables": ("citations", "works", "sentence_works"),
    "entity_tables": ("entities", "entity_names", "mentions", "unlinked_names"),
    "event_tables": ("time_expressions", "events", "event_participants", "event_citations"),
    "claim_tables": ("claims", "claim_subjects", "claim_citations"),
}

# The papers' row kinds the corpus stages read, in the order they read them (the saved rows are read ahead
# in this order, see `paper_rows.load`); a kind missing here is still read, only not ahead.
STAGE_KINDS: tuple[str, ...] = (
    *STAGE_TABLES["text_tables"],
    "citations",
    "claim_footnotes",
    "claims",
    "claim_subjects",
    "mentions",
    "unlinked_names",
    *STAGE_TABLES["event_tables"],
)


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
    text, applied = fixes.apply_text_corrections(document_id, document.text, corrections)
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
    time_expressions: pl.DataFrame | None = None,
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
        time_expressions=time_expressions,
    )
    event_subjects = claim_rules.link_claim_events(output["claims"], found_events)
    output["claim_subjects"] = pl.concat([output["claim_subjects"], event_subjects], how="diagonal_relaxed")
    return output


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

    def own_tables(self) -> dict[str, pl.DataFrame]:
        """The rows this paper adds to the tables that are plain unions of per-paper rows."""
        cleaned = self.cleaned
        return {
            "documents": pl.DataFrame([document_row(self.source.document, cleaned)]),
            "paragraphs": cleaned.paragraphs,
            "sentences": cleaned.sentences,
            "footnotes": cleaned.footnotes,
            "emphasis_spans": cleaned.emphasis_spans,
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
        found_citations = _stage(document_id, "citations", lambda: document_citations(cleaned))
        mentions = _stage(document_id, "entities", lambda: document_mentions(cleaned, authority))
        metadata, front = source.document.metadata, cleaned.front_matter
        document_date = metadata.get("date_published") or front.get("date_published")
        author = metadata.get("author") or front.get("author")
        found_events = _stage(
            document_id, "events", lambda: document_events(cleaned, mentions["mentions"], document_date)
        )
        found_claims = _stage(
            document_id,
            "claims",
            lambda: document_claims(
                cleaned,
                mentions["mentions"],
                found_events["events"],
                author,
                authority,
                mentions["unlinked_names"],
                found_events["time_expressions"],
            ),
        )
        cited = _stage(document_id, "works", lambda: works.describe_citations(found_citations))
        work_table, linked = _stage(document_id, "works", lambda: works.merge_works(cited, found_citations))
    except _StageFailed as failed:
        return DocumentOutcome(document_id, None, [failed.problem])
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
    )
    problems = [
        DocumentProblem(document_id, "marker_note_pairing", line.removeprefix(f"{document_id}: "))
        for line in footnote_problems(cleaned.footnotes)
    ]
    return DocumentOutcome(document_id, result, problems)


def _as_published(name: str, frame: pl.DataFrame, keep: Sequence[str] = ()) -> pl.DataFrame:
    # As published: an empty string is a missing value (and fails a required column).
    return blank_empty_strings(conform(load_table_spec(name), frame, keep))


def _papers_table(
    name: str, stacked: pl.DataFrame, owner: str, problems: dict[tuple[str, str], DocumentProblem]
) -> tuple[pl.DataFrame | None, list[str]]:
    """One table of the papers' rows (``stacked``, each row's paper in column ``owner``), with the paper
    each row belongs to.

    Conformed in one go; when that fails, paper by paper, so that a paper whose rows cannot even be
    conformed is named. Rows shared by papers (a work cited in several) are one row in the published
    table: the first paper's.
    """
    spec = load_table_spec(name)
    if "document_id" not in spec.columns:
        stacked = stacked.unique(list(spec.primary_key), keep="first", maintain_order=True)
    try:
        table = _as_published(name, stacked, keep=[owner])
        return table.drop(owner), table[owner].to_list()
    except Exception:
        pass
    frames: dict[str, pl.DataFrame] = {}
    for (i,), rows in stacked.partition_by(owner, as_dict=True, maintain_order=True).items():
        try:
            frames[str(i)] = _as_published(name, rows, keep=[owner])
        except Exception as exc:
            problems.setdefault(
                (str(i), name), DocumentProblem(str(i), f"{name} schema", f"{type(exc).__name__}: {exc}")
            )
    if not frames:
        return None, []
    table = pl.concat(list(frames.values()), how="vertical")
    return table.drop(owner), table[owner].to_list()


def row_problems(tables: Mapping[str, pl.DataFrame], owner: str) -> list[DocumentProblem]:
    """The papers' rows checked against the tables' pandera models, all papers in one pass per table.

    ``tables`` holds each table's rows from every paper, stacked, with the row's paper in column ``owner``.
    A failing row is traced back to its paper, and named by its primary key and, where the table has one,
    its source line.
    """
    problems: dict[tuple[str, str], DocumentProblem] = {}
    for name, stacked in tables.items():
        spec = load_table_spec(name)
        # A paper without notes has no citations or works: nothing to check.
        table, owners = _papers_table(name, stacked, owner, problems) if stacked.height else (None, [])
        if table is None:
            continue
        failures = schema_failures(spec, table)
        if any(row is None for row, _ in failures):
            # A failure of the table as a whole: check each paper's rows on their own to find whose.
            for (i,), rows in stacked.partition_by(owner, as_dict=True, maintain_order=True).items():
                try:
                    found = [
                        message for _, message in schema_failures(spec, _as_published(name, rows.drop(owner)))
                    ]
                except Exception as exc:
                    found = [f"{type(exc).__name__}: {exc}"]
                for message in found:
                    problems.setdefault((str(i), name), DocumentProblem(str(i), f"{name} schema", message))
            continue
        for row, message in failures:
            problem = DocumentProblem(owners[row], f"{name} schema", message)
            problems.setdefault((owners[row], name), problem)
    return [problems[k] for k in sorted(problems)]


# Corpus stages


# Each corpus stage yields its tables one at a time, each made when the one before has been taken: the
# build holds the table in hand and those being written, not a stage's every table.
StageTables = Iterator[tuple[str, pl.DataFrame]]


def text_tables(stacked: Mapping[str, pl.DataFrame]) -> StageTables:
    """The text-level tables over all documents, from the papers' rows stacked by kind."""
    for name in STAGE_TABLES["text_tables"]:
        yield name, combine(name, [stacked[name]])


def bibliography_tables(
    stacked: Mapping[str, pl.DataFrame], described: Iterable[works.CitedWork]
) -> StageTables:
    """Citations with their works, deduplicated across all documents, and sentence-to-work links.

    ``described`` holds every paper's ``works.describe_citations``, in paper order."""
    work_table, linked = works.merge_works(described, stacked["citations"])
    yield "citations", combine("citations", [linked])
    yield "works", combine("works", [work_table])
    del work_table
    yield (
        "sentence_works",
        combine("sentence_works", [works.link_sentences_to_works(stacked["footnotes"], linked)]),
    )


def entity_tables(authority: entities.Authority, stacked: Mapping[str, pl.DataFrame]) -> StageTables:
    """The authority file as tables, plus every document's mentions and unlinked names."""
    authority_frames = entities.authority_tables(authority)
    yield "entities", combine("entities", [authority_frames["entities"]])
    yield "entity_names", combine("entity_names", [authority_frames["entity_names"]])
    yield "mentions", combine("mentions", [stacked["mentions"]])
    yield "unlinked_names", combine("unlinked_names", [stacked["unlinked_names"]])


def event_tables(stacked: Mapping[str, pl.DataFrame]) -> StageTables:
    """Time expressions, events, their participants and supporting notes over all documents."""
    for name in STAGE_TABLES["event_tables"]:
        yield name, combine(name, [stacked[name]])


def claim_tables(stacked: Mapping[str, pl.DataFrame], citations: pl.DataFrame) -> StageTables:
    """Claims with the citations behind them; quotations of a cited work name that work as claimant."""
    claim_citations = claim_rules.link_claim_citations(stacked["claim_footnotes"], citations)
    del citations
    yield "claims", combine("claims", [claim_rules.attribute_cited_works(stacked["claims"], claim_citations)])
    yield "claim_subjects", combine("claim_subjects", [stacked["claim_subjects"]])
    yield "claim_citations", combine("claim_citations", [claim_citations])


# The columns the timeline draws from: a figure is redrawn only when one of them changes.
TIMELINE_INPUTS = {
    "events": ("event_id", "event_type", "date_earliest", "date_latest"),
    "event_participants": ("event_id", "entity_id", "entity_type", "role"),
    "entities": ("entity_id", "preferred_name", "name", "label"),
}


def timeline_figure(
    events_table: pl.DataFrame,
    participants: pl.DataFrame,
    entity_table: pl.DataFrame,
    cache: Path | None = None,
) -> bytes:
    """The timeline of events by person, as SVG bytes (deterministic).

    Importing matplotlib and drawing cost about a second; with a ``cache`` folder, a figure is drawn only
    for inputs not drawn before by the same code.
    """
    active = events_table.filter(pl.col("record_status") == "active")
    digest = hashlib.sha256(code_version().encode())
    for frame, drawn in (
        (active, TIMELINE_INPUTS["events"]),
        (participants, TIMELINE_INPUTS["event_participants"]),
        (entity_table, TIMELINE_INPUTS["entities"]),
    ):
        buffer = io.BytesIO()
        frame.select(c for c in drawn if c in frame.columns).write_csv(buffer)
        digest.update(buffer.getvalue())
    cached = cache / f"timeline-{digest.hexdigest()[:32]}.svg" if cache else None
    if cached and cached.exists():
        return cached.read_bytes()
    from pipeline.package import timeline

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "timeline.svg"
        timeline.render_timeline(active, participants, entity_table, path)
        figure = path.read_bytes()
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("timeline-*.svg"):
            old.unlink()
        scratch_file = cached.with_suffix(f".{os.getpid()}.tmp")
        scratch_file.write_bytes(figure)
        os.replace(scratch_file, cached)
    return figure


# Finishing a table: corrections, text withheld where the metadata says so


def correct_table(
    name: str, frame: pl.DataFrame, corrections: list[fixes.Correction]
) -> tuple[pl.DataFrame, list[fixes.AppliedCorrection]]:
    """Apply the record corrections (field, add, withdraw) aimed at this table."""
    spec = load_table_spec(name)
    corrected, applied = fixes.apply_record_corrections(name, frame, list(spec.primary_key), corrections)
    # Without a correction the frame is already conformed; another copy would only cost memory.
    return (combine(name, [corrected]) if applied else frame), applied


def withhold_text(name: str, frame: pl.DataFrame, hidden_documents: set[str]) -> pl.DataFrame:
    """Null the columns that republish the paper's wording for documents whose full text is off."""
    spec = load_table_spec(name)
    columns = [f.name for f in spec.fields if f.source_text]
    if not hidden_documents or not columns or "document_id" not in frame.columns:
        return frame
    hidden = pl.col("document_id").is_in(sorted(hidden_documents))
    return frame.with_columns(pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in columns)


# Tables whose rows are exactly the papers' own rows, checked per paper before they are combined.
OWN_TABLES = (
    "documents",
    "paragraphs",
    "sentences",
    "footnotes",
    "emphasis_spans",
    "mentions",
    "unlinked_names",
    *STAGE_TABLES["event_tables"],
    "claim_subjects",
)


def rows_to_check(name: str, frame: pl.DataFrame, fresh: set[str] | None, corrected: bool) -> pl.DataFrame:
    """The rows of a finished table not yet checked against its model: all of them when ``fresh`` is None
    (a full check), after record corrections, or when rows cannot be told apart by paper; otherwise the
    rows of the freshly built papers, except in tables whose rows were checked paper by paper."""
    if fresh is None or corrected or "document_id" not in frame.columns:
        return frame
    if name in OWN_TABLES:
        return frame.clear()
    return frame.filter(pl.col("document_id").is_in(sorted(fresh)))
