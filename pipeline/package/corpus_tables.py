"""The corpus stages: the published tables made from every paper's rows, checked, corrected.

A paper's own stages are in `orchestration.stages`; here the papers' rows, stacked by kind, become the
published tables, one stage after another (`corpus_tables`, in the order of `schema.STAGES`), and the rows
are checked against the tables' models, a failing row traced back to its paper (`row_problems`). The
table lists come from the specs: each ``schemas/<table>.yaml`` names its stage and whether its rows are a
paper's own (``scope: paper``) or made from the whole corpus. Pure functions over frames: where the rows
are stored and how the work is spread is the orchestration's business.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Protocol

import polars as pl

from pipeline.extract import claims as claim_rules
from pipeline.extract import entities, works
from pipeline.package import corrections as fixes
from pipeline.package.schema import STAGES, conform, load_table_spec, tables_of
from pipeline.package.table_files import blank_empty_strings
from pipeline.package.tables import combine, schema_failures

# Which corpus stage produces which published tables, from the specs (each names its stage; the
# corrections table is made once every other table is corrected).
STAGE_TABLES: dict[str, tuple[str, ...]] = {
    stage: tuple(tables_of(stage)) for stage in STAGES if stage != "package"
}

# Tables whose rows are exactly the papers' own rows (``scope: paper``), checked per paper before they are
# combined.
OWN_TABLES: tuple[str, ...] = tuple(tables_of(scope="paper"))


def _as_published(name: str, frame: pl.DataFrame, keep: Sequence[str] = ()) -> pl.DataFrame:
    # As published: an empty string is a missing value (and fails a required column).
    return blank_empty_strings(conform(load_table_spec(name), frame, keep))


# A problem of one paper's rows: the paper, the check that failed, and why.
RowProblem = tuple[str, str, str]


def _papers_table(
    name: str, stacked: pl.DataFrame, owner: str, problems: dict[tuple[str, str], RowProblem]
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
            problems.setdefault((str(i), name), (str(i), f"{name} schema", f"{type(exc).__name__}: {exc}"))
    if not frames:
        return None, []
    table = pl.concat(list(frames.values()), how="vertical")
    return table.drop(owner), table[owner].to_list()


def row_problems(tables: Mapping[str, pl.DataFrame], owner: str) -> list[RowProblem]:
    """The papers' rows checked against the tables' pandera models, all papers in one pass per table.

    ``tables`` holds each table's rows from every paper, stacked, with the row's paper in column ``owner``.
    A failing row is traced back to its paper, and named by its primary key and, where the table has one,
    its source line.
    """
    problems: dict[tuple[str, str], RowProblem] = {}
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
                    problems.setdefault((str(i), name), (str(i), f"{name} schema", message))
            continue
        for row, message in failures:
            problems.setdefault((owners[row], name), (owners[row], f"{name} schema", message))
    return [problems[k] for k in sorted(problems)]


# Corpus stages


class RowsByKind(Protocol):
    """The papers' rows stacked by kind (`store.Builds`, or a dict of frames): each read when asked for."""

    def __getitem__(self, kind: str) -> pl.DataFrame: ...


# Each corpus stage yields its tables one at a time, each made when the one before has been taken: the
# build holds the table in hand and those being written, not a stage's every table.
StageTables = Iterator[tuple[str, pl.DataFrame]]


def text_tables(stacked: RowsByKind) -> StageTables:
    """The text-level tables over all documents, from the papers' rows stacked by kind."""
    for name in STAGE_TABLES["text"]:
        yield name, combine(name, [stacked[name]])


def bibliography_tables(stacked: RowsByKind, described: Iterable[works.CitedWork]) -> StageTables:
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


def entity_tables(authority: entities.Authority, stacked: RowsByKind) -> StageTables:
    """The authority file as tables, plus every document's mentions and unlinked names."""
    authority_frames = entities.authority_tables(authority)
    yield "entities", combine("entities", [authority_frames["entities"]])
    yield "entity_names", combine("entity_names", [authority_frames["entity_names"]])
    yield "mentions", combine("mentions", [stacked["mentions"]])
    yield "unlinked_names", combine("unlinked_names", [stacked["unlinked_names"]])


def event_tables(stacked: RowsByKind) -> StageTables:
    """Time expressions, events, their participants and supporting notes over all documents."""
    for name in STAGE_TABLES["events"]:
        yield name, combine(name, [stacked[name]])


def claim_tables(stacked: RowsByKind, citations: pl.DataFrame) -> StageTables:
    """Claims with the citations behind them; quotations of a cited work name that work as claimant."""
    claim_citations = claim_rules.link_claim_citations(stacked["claim_footnotes"], citations)
    del citations
    yield "claims", combine("claims", [claim_rules.attribute_cited_works(stacked["claims"], claim_citations)])
    yield "claim_subjects", combine("claim_subjects", [stacked["claim_subjects"]])
    yield "claim_citations", combine("claim_citations", [claim_citations])


def corpus_tables(
    stacked: RowsByKind,
    described: Iterable[works.CitedWork],
    authority: entities.Authority,
    wanted: Collection[str] | None = None,
) -> StageTables:
    """Every table the stages make from the papers' rows stacked by kind, stage by stage in the order of
    `schema.STAGES`, each made when the one before has been taken: a stage reads only its own kinds, and
    makes one table at a time. ``described`` holds every paper's ``works.describe_citations``. With
    ``wanted``, only the stages that make those tables run (and the bibliography for the claims stage):
    a table re-materialised alone costs its stage, not the corpus's every stage."""

    def runs(*stages: str) -> bool:
        return wanted is None or any(name in wanted for stage in stages for name in STAGE_TABLES[stage])

    if runs("text"):
        yield from text_tables(stacked)
    if runs("bibliography", "claims"):
        bibliography = bibliography_tables(stacked, described)
        name, citations = next(bibliography)  # the citations, first: the claims stage links claims to them
        yield name, citations
        yield from bibliography
        claims = claim_tables(stacked, citations) if runs("claims") else iter(())
        del citations  # the claims stage lets go of it once it has linked the claims to their citations
        yield from claims
    if runs("entities"):
        yield from entity_tables(authority, stacked)
    if runs("events"):
        yield from event_tables(stacked)


# Finishing a table: corrections, text withheld where the metadata says so


def correct_table(
    name: str,
    frame: pl.DataFrame,
    corrections: list[fixes.Correction],
    work_changes: Sequence[works.FieldChange] = (),
) -> tuple[pl.DataFrame, list[fixes.AppliedCorrection]]:
    """Apply the record corrections (field, add, withdraw) aimed at this table. The works first take the
    values corrected in their citations (``work_changes``), and a work whose fields changed is rendered
    again in Chicago style unless its rendering was corrected itself."""
    spec = load_table_spec(name)
    followed = works.follow_corrections(frame, work_changes) if name == "works" else frame
    corrected, applied = fixes.apply_record_corrections(name, followed, list(spec.primary_key), corrections)
    if name == "works":
        fixed = {a.record_id for a in applied if a.field in works.WORK_FIELDS}
        changed = fixed | {c.work_id for c in work_changes}
        rendered = {a.record_id for a in applied if a.field == "chicago"}
        corrected = works.rerender_chicago(corrected, changed - rendered)
    # Without a correction the frame is already conformed; another copy would only cost memory.
    return (frame if corrected is frame else combine(name, [corrected])), applied


def work_changes(
    citations: pl.DataFrame, applied: Iterable[fixes.AppliedCorrection]
) -> list[works.FieldChange]:
    """The corrected citation fields a work keeps, with the work each citation cites."""
    fields = [a for a in applied if a.field in works.WORK_FIELDS]
    if not fields:
        return []
    cited = dict(citations.select("citation_id", "work_id").iter_rows())
    return [
        works.FieldChange(cited[a.record_id], a.field, a.old_value, a.new_value)
        for a in fields
        if cited.get(a.record_id)
    ]


def withhold_text(name: str, frame: pl.DataFrame, hidden_documents: set[str]) -> pl.DataFrame:
    """Null the columns that republish the paper's wording for documents whose full text is off."""
    spec = load_table_spec(name)
    columns = [f.name for f in spec.fields if f.source_text]
    if not hidden_documents or not columns or "document_id" not in frame.columns:
        return frame
    hidden = pl.col("document_id").is_in(sorted(hidden_documents))
    return frame.with_columns(pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in columns)


def rows_to_check(name: str, frame: pl.DataFrame, fresh: set[str] | None, corrected: bool) -> pl.DataFrame:
    """The rows of a finished table not yet checked against its model: all of them when ``fresh`` is None
    (a full check), after record corrections, or when rows cannot be told apart by paper; otherwise the
    rows of the freshly built papers, except in tables whose rows were checked paper by paper."""
    if fresh is None or corrected or "document_id" not in frame.columns:
        return frame
    if name in OWN_TABLES:
        return frame.clear()
    return frame.filter(pl.col("document_id").is_in(sorted(fresh)))
