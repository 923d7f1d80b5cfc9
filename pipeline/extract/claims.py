"""Claims: quotations, reported statements and the author's hedged or boosted assertions.

A claim is something the text presents as said, written or judged by someone (see docs/claims-codebook.md).
Extraction is rule-based (no parser: a paper must cost well under a second): quotation marks, reporting
verbs and nouns, a subject search that skips prepositional objects and relative clauses, speakers found in
the text itself (linked mentions, names, bodies, newspapers, offices, groups) so a claimant is a span first
and a link second, pronoun and role-noun resolution by sentence topic, the supporting note's sender, and an
inventory of epistemic cues on a three-level certainty scale. Word lists live in vocab/. Rules keep every
attribution explainable: each row says which rule attributed it (``attribution_rule``) and how far that
rule is trusted (``attribution_confidence``). The rules live in claim_context (what they read),
claim_speakers (speaker candidates), claim_resolution (who a candidate is), claim_subject (whose verb it
is), claim_names (how a speaker is named and told apart), claim_attribution (who a quotation belongs to;
claim_documents for the words of a document a clause or lead-in names),
claim_blocks (whose words a block after a lead-in holds), claim_rows (quotation and reported-statement rows)
and claim_cues (author assertions); this module puts them together and links claims to citations and events.
"""

from __future__ import annotations

import polars as pl

from pipeline.extract.claim_blocks import block_writers
from pipeline.extract.claim_context import (
    Context,
    Row,
    candidates_between,
    dated_expressions,
    find_lead_ins,
    find_quotes,
    linked_names,
    mask_quotes,
    named_persons,
    paragraph_spans,
    read_sentences,
    sender_spans,
    senders_of_notes,
    surname_full_names,
)
from pipeline.extract.claim_cues import (
    assertion_rows,
)
from pipeline.extract.claim_rows import (
    quotation_rows,
    reported_statement_rows,
)
from pipeline.extract.claim_speakers import (
    speaker_candidates,
)
from pipeline.package.schema import RECORD_STATUS, load_table_spec, rows_to_frame
from pipeline.text.blocks import BYLINE, CLOSER, FRAME_KINDS, QUOTE, TABLE_ROW

# Blocks that frame documents (headings, addressee and date lines, openers, signatures): never claims.
NOT_CLAIM_BLOCKS = frozenset(FRAME_KINDS) | {BYLINE, CLOSER, TABLE_ROW}
NOBODYS_WORDS = ("scare_quote", "title")


def _subject_rows(ctx: Context, claim_id: str, row: Row) -> list[dict[str, object]]:
    """Persons mentioned in the claim's content (the quoted words, or the claim span), except its claimant."""
    values = row.values
    start = values.get("quote_char_start") or values["char_start"]
    end = values.get("quote_char_end") or values["char_end"]
    subjects: dict[str, dict[str, object]] = {}
    for candidate in candidates_between(ctx, start, end):
        if (
            candidate.entity_id
            and candidate.kind == "person"
            and candidate.entity_id != values.get("claimant_id")
        ):
            subjects.setdefault(
                candidate.entity_id,
                {
                    "claim_id": claim_id,
                    "subject_type": "person",
                    "subject_id": candidate.entity_id,
                    "relation": "mentioned",
                    "char_start": candidate.start,
                    "char_end": candidate.end,
                    "text": candidate.text,
                },
            )
    return list(subjects.values())


def _italic_spans(emphasis_spans: pl.DataFrame | None) -> list[tuple[int, int]]:
    if emphasis_spans is None or not emphasis_spans.height:
        return []
    body = emphasis_spans.filter((pl.col("style") == "italic") & pl.col("footnote_id").is_null())
    return [(s, e) for s, e in body.select("char_start", "char_end").iter_rows()]


def extract_claims(
    document_text: str,
    sentences: pl.DataFrame,
    mentions: pl.DataFrame,
    footnotes: pl.DataFrame,
    document_author_id: str,
    emphasis_spans: pl.DataFrame | None = None,
    paragraphs_table: pl.DataFrame | None = None,
    unlinked_names: pl.DataFrame | None = None,
    document_senders: pl.DataFrame | None = None,
    time_expressions: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """Quotations, reported statements and cued author assertions of one document's body.

    Returns {"claims", "claim_subjects", "claim_footnotes"}; claim IDs are "<document_id>:cNNN" in text
    order. ``emphasis_spans`` (optional) lets an italic title ("The New York Times wrote") be a claimant;
    ``paragraphs_table`` (optional, with block_kind) lets list items and block quotations after a lead-in
    ending in a colon be attributed in that lead-in's sentence; ``unlinked_names`` (optional) gives a
    claimant the entities stage found but could not link its document-level person as claimant_id;
    ``document_senders`` (optional: char_start, char_end, sender_id, sender_name) are the letters and
    telegrams inside the paper: their sender, not the paper's author, makes the assertions and is the "I"
    or "we" of the words they span; ``time_expressions`` (optional, the time_expressions table) gives a
    statement its date before this step's own date pattern does.
    """
    sentence_list = read_sentences(sentences)
    if not sentence_list:
        return _empty()
    document_id = sentences["document_id"][0]
    body_end = max(s.end for s in sentence_list)
    paragraphs = paragraph_spans(sentence_list)
    lead_ins, units = find_lead_ins(document_text, paragraphs_table, sentence_list)
    quotes = [q for start, end in paragraphs.values() for q in find_quotes(document_text, start, end)]
    masked = mask_quotes(document_text, quotes)
    notes = footnotes.filter(pl.col("marker_offset").is_not_null()).sort("marker_offset")
    candidates = speaker_candidates(
        document_text, masked, mentions, body_end, _italic_spans(emphasis_spans), unlinked_names
    )
    recipients: dict[int, tuple[str | None, str | None]] = {}
    ctx = Context(
        text=document_text,
        masked=masked,
        document_id=document_id,
        author_id=document_author_id,
        sentences=sentence_list,
        candidates=candidates,
        names=linked_names(mentions),
        full_names=surname_full_names(candidates),
        footnotes=list(notes.select("marker_offset", "footnote_id", "sentence_id").iter_rows()),
        note_senders=senders_of_notes(notes),
        lead_ins=lead_ins,
        document_persons=named_persons(unlinked_names),
        senders=sender_spans(document_senders, paragraphs_table, recipients),
        recipients=recipients,
        time_expressions=dated_expressions(time_expressions),
        framing=_framing_paragraphs(paragraphs_table),
    )
    ctx.block_writers = block_writers(ctx, _quote_blocks(paragraphs_table))
    quote_rows = quotation_rows(ctx, paragraphs, units)
    rows = quote_rows + reported_statement_rows(ctx, quote_rows, paragraphs) + assertion_rows(ctx, paragraphs)
    framing = _framing_paragraphs(paragraphs_table)
    rows = [r for r in rows if r.values["paragraph_id"] not in framing or r.values["kind"] in NOBODYS_WORDS]
    rows.sort(key=lambda r: (r.values["char_start"], r.values.get("quote_char_start") or 0, r.values["kind"]))
    claims, subjects, claim_notes = [], [], []
    for number, row in enumerate(rows, start=1):
        claim_id = f"{document_id}:c{number:03d}"
        claims.append({"claim_id": claim_id, **row.values})
        subjects += _subject_rows(ctx, claim_id, row)
        if row.values.get("footnote_id"):
            claim_notes.append(
                {
                    "claim_id": claim_id,
                    "footnote_id": row.values["footnote_id"],
                    "rule": row.values["footnote_rule"],
                }
            )
    return {
        "claims": rows_to_frame("claims", claims),
        "claim_subjects": rows_to_frame("claim_subjects", subjects),
        "claim_footnotes": _claim_footnotes_frame(claim_notes),
    }


def _framing_paragraphs(paragraphs_table: pl.DataFrame | None) -> frozenset[str]:
    """Headings, addressee and date lines, openers and signatures: they frame a document and say nothing."""
    if paragraphs_table is None or "block_kind" not in paragraphs_table.columns:
        return frozenset()
    framing = paragraphs_table.filter(pl.col("block_kind").is_in(list(NOT_CLAIM_BLOCKS)))
    return frozenset(framing["paragraph_id"])


def _quote_blocks(paragraphs_table: pl.DataFrame | None) -> frozenset[str]:
    """Block quotations: text set off after a lead-in, which may be another writer's."""
    if paragraphs_table is None or "block_kind" not in paragraphs_table.columns:
        return frozenset()
    return frozenset(paragraphs_table.filter(pl.col("block_kind") == QUOTE)["paragraph_id"])


def _claim_footnotes_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    """The claim-to-note pairs that link_claim_citations joins to citations (an intermediate, not a table)."""
    schema = {"claim_id": pl.String, "footnote_id": pl.String, "rule": pl.String}
    return pl.DataFrame(rows, schema=schema)


def _empty() -> dict[str, pl.DataFrame]:
    return {
        "claims": rows_to_frame("claims", []),
        "claim_subjects": rows_to_frame("claim_subjects", []),
        "claim_footnotes": _claim_footnotes_frame([]),
    }


def link_claim_citations(claim_footnotes: pl.DataFrame, citations: pl.DataFrame) -> pl.DataFrame:
    """claim_citations: each claim joined to the citations of its supporting note (claim_id, citation_id)."""
    joined = claim_footnotes.select("claim_id", "footnote_id").join(
        citations.select("citation_id", "footnote_id", "work_id"), on="footnote_id", how="inner"
    )
    return (
        joined.select([c for c in load_table_spec("claim_citations").columns if c != RECORD_STATUS])
        .unique(["claim_id", "citation_id"], keep="first")
        .sort("claim_id", "citation_id")
    )


def attribute_cited_works(claims: pl.DataFrame, claim_citations: pl.DataFrame) -> pl.DataFrame:
    """Fill claimant_id of claims attributed to a cited work when their note cites exactly one work."""
    single = (
        claim_citations.filter(pl.col("work_id").is_not_null())
        .group_by("claim_id")
        .agg(pl.col("work_id").unique().alias("works"))
        .filter(pl.col("works").list.len() == 1)
        .select("claim_id", pl.col("works").list.first().alias("_work_id"))
    )
    return (
        claims.join(single, on="claim_id", how="left")
        .with_columns(
            pl.when((pl.col("claimant_type") == "work") & pl.col("claimant_id").is_null())
            .then(pl.col("_work_id"))
            .otherwise(pl.col("claimant_id"))
            .alias("claimant_id")
        )
        .drop("_work_id")
    )


def link_claim_events(claims: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """claim_subjects rows of subject_type "event": events whose span overlaps the claim span.

    An inequality join (sort-based), so a long paper's claims and events are not crossed pair by pair.
    """
    spans = claims.select(
        "claim_id", pl.col("char_start").alias("c_start"), pl.col("char_end").alias("c_end")
    )
    linked = spans.join_where(
        events.select("event_id", "char_start", "char_end"),
        pl.col("char_start") < pl.col("c_end"),
        pl.col("c_start") < pl.col("char_end"),
    )
    return linked.select(
        "claim_id",
        pl.lit("event").alias("subject_type"),
        pl.col("event_id").alias("subject_id"),
        pl.lit("overlaps_claim_span").alias("relation"),
        "char_start",
        "char_end",
        pl.lit(None, dtype=pl.String).alias("text"),
    ).sort("claim_id", "subject_id")
