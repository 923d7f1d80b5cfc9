"""One paper's extractors composed: its cleaned text in, its frames out, stage by stage.

Each function runs the extractors of one stage of one paper (citations, entities, events, claims, the
source documents a collection prints) over a `CleanedDocument`; `orchestration.stages.build_document`
runs them in order, each as a stage of its own that a problem is reported against. Pure functions, so the
chain can be tested and timed without the build around it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import polars as pl

from pipeline.extract import citations as citation_parser
from pipeline.extract import claims as claim_rules
from pipeline.extract import correspondence, dates, document_links, entities, events
from pipeline.text.clean import CleanedDocument


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
    cleaned: CleanedDocument,
    mentions: pl.DataFrame,
    document_date: str | None,
    reference_dates: list[tuple[int, int, str]] | None = None,
) -> dict[str, pl.DataFrame]:
    """Time expressions normalised to EDTF, and the dated events built on them; inside a source document
    (``reference_dates``) relative dates count from that document's date."""
    time_expressions = dates.find_time_expressions(cleaned.sentences, document_date, reference_dates)
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
    document_senders: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """Quotations, reported statements and hedged author assertions, with their notes and subjects; inside
    a source document (``document_senders``) its sender, not the paper's author, makes the assertions."""
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
        document_senders=document_senders,
    )
    event_subjects = claim_rules.link_claim_events(output["claims"], found_events)
    output["claim_subjects"] = pl.concat([output["claim_subjects"], event_subjects], how="diagonal_relaxed")
    return output


def document_source_documents(
    cleaned: CleanedDocument,
    found_events: dict[str, pl.DataFrame],
    found_claims: dict[str, pl.DataFrame],
    mentions: dict[str, pl.DataFrame] | None = None,
    found: pl.DataFrame | None = None,
) -> dict[str, Any]:
    """The documents a collection prints (``found``, its parties already linked; else found and linked
    here), and each paragraph, sentence, event and claim pointed to its document (``found_events`` and
    ``found_claims`` are updated in place; the cleaned document is new)."""
    if found is None:
        found = correspondence.find_source_documents(cleaned.paragraphs, cleaned.document_id)
        if mentions is not None and found.height:
            found = document_links.link_parties(found, mentions["mentions"], mentions["unlinked_names"])
    owners = document_links.paragraph_owners(cleaned.paragraphs, found)
    sentences = document_links.attach_source_documents(owners, cleaned.sentences)
    found_events["events"] = document_links.attach_source_documents(owners, found_events["events"], sentences)
    found_claims["claims"] = document_links.attach_source_documents(owners, found_claims["claims"])
    paragraphs = document_links.attach_source_documents(owners, cleaned.paragraphs)
    return {
        "source_documents": found,
        "cleaned": dataclasses.replace(cleaned, paragraphs=paragraphs, sentences=sentences),
    }
