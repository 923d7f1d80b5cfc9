"""The documents a paper prints, joined to its other tables: which paragraphs, sentences, events and claims
lie inside which document, the persons its sender and recipient are, and each document's date and sender
as the reference for the dates and claims inside it. ``correspondence.py`` finds the documents.
"""

from __future__ import annotations

import re

import polars as pl


def reference_dates(source_documents: pl.DataFrame, paragraphs: pl.DataFrame) -> list[tuple[int, int, str]]:
    """(char_start, char_end, ISO day) of each document whose date sent is known to the day: inside it,
    "yesterday", "to-day" and "last week" count from its own date (``dates.find_time_expressions``)."""
    bounds = {
        row[0]: (row[1], row[2]) for row in paragraphs.select("paragraph_id", "char_start", "char_end").rows()
    }
    spans = []
    for first, last, sent in source_documents.select(
        "first_paragraph_id", "last_paragraph_id", "date_sent"
    ).rows():
        day = (sent or "")[:10]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) and first in bounds and last in bounds:
            spans.append((bounds[first][0], bounds[last][1], day))
    return spans


def sender_spans(source_documents: pl.DataFrame, paragraphs: pl.DataFrame) -> pl.DataFrame:
    """(char_start, char_end, sender_id, sender_name, recipient_id, recipient_name) of each document whose
    sender is known: the claims step makes the sender, not the paper's author, the writer of what the
    document asserts, and the recipient the "you" it addresses. Each party is the authority person or the
    paper-level person linked to it, else the name or office as printed."""
    schema = {
        "char_start": pl.Int64,
        "char_end": pl.Int64,
        "sender_id": pl.String,
        "sender_name": pl.String,
        "recipient_id": pl.String,
        "recipient_name": pl.String,
    }
    if not source_documents.height:
        return pl.DataFrame(schema=schema)
    columns = paragraphs.select("paragraph_id", "char_start", "char_end")
    bounds = {paragraph: (start, end) for paragraph, start, end in columns.rows()}
    rows = []
    for row in source_documents.iter_rows(named=True):
        sender = row.get("sender_entity_id") or row.get("sender_person_id")
        name = row.get("sender_name") or row.get("sender_office")
        first, last = bounds.get(row["first_paragraph_id"]), bounds.get(row["last_paragraph_id"])
        recipient = row.get("recipient_entity_id") or row.get("recipient_person_id")
        recipient_name = row.get("recipient_name") or row.get("recipient_office")
        if (sender or name) and first and last:
            rows.append((first[0], last[1], sender, name, recipient, recipient_name))
    return pl.DataFrame(rows, schema=schema, orient="row")


def renamed_paragraphs(source_documents: pl.DataFrame, renamed: dict[str, str]) -> pl.DataFrame:
    """The documents found before the paper's records got their stable IDs, pointing to the new IDs."""
    columns = [c for c in source_documents.columns if c.endswith("paragraph_id")]
    return source_documents.with_columns(pl.col(c).replace(renamed) for c in columns)


def paragraph_owners(paragraphs: pl.DataFrame, source_documents: pl.DataFrame) -> pl.DataFrame:
    """paragraph_id -> source_document_id for every paragraph inside a document (the rest have none)."""
    ordered = paragraphs.sort("paragraph_number")["paragraph_id"].to_list()
    position = {paragraph_id: i for i, paragraph_id in enumerate(ordered)}
    ids: list[str] = []
    owners: list[str] = []
    for row in source_documents.iter_rows(named=True):
        inside = ordered[position[row["first_paragraph_id"]] : position[row["last_paragraph_id"]] + 1]
        ids += inside
        owners += [row["source_document_id"]] * len(inside)
    return pl.DataFrame({"paragraph_id": ids, "source_document_id": owners}, schema=_OWNER_SCHEMA)


_OWNER_SCHEMA = {"paragraph_id": pl.String, "source_document_id": pl.String}


def attach_source_documents(
    owners: pl.DataFrame, frame: pl.DataFrame, sentences: pl.DataFrame | None = None
) -> pl.DataFrame:
    """``frame`` with its rows' source_document_id: by paragraph_id, or by sentence_id through
    ``sentences`` for rows that name only their sentence (events). Null outside documents."""
    if "source_document_id" in frame.columns:
        frame = frame.drop("source_document_id")
    if owners.is_empty():
        return frame.with_columns(pl.lit(None, dtype=pl.String).alias("source_document_id"))
    if "paragraph_id" in frame.columns:
        return frame.join(owners, on="paragraph_id", how="left", maintain_order="left")
    if sentences is None or "sentence_id" not in frame.columns:
        raise ValueError("a frame without paragraph_id needs sentence_id and the sentences table")
    by_sentence = sentences.select("sentence_id", "paragraph_id").join(owners, on="paragraph_id", how="inner")
    return frame.join(by_sentence.drop("paragraph_id"), on="sentence_id", how="left", maintain_order="left")


def link_parties(
    source_documents: pl.DataFrame, mentions: pl.DataFrame, unlinked_names: pl.DataFrame
) -> pl.DataFrame:
    """Senders and recipients linked to the persons found in their headings: the authority person a
    mention of the name links to (``*_entity_id``), else the paper-level person of an unlinked name there
    (``*_person_id``). Offices stay unlinked."""
    persons = (
        mentions.filter(pl.col("entity_type") == "person") if "entity_type" in mentions.columns else mentions
    )
    spans = [
        (row["char_start"], row["char_end"], row["entity_id"], None)
        for row in persons.select("char_start", "char_end", "entity_id").iter_rows(named=True)
    ]
    if "person_id" in unlinked_names.columns:
        spans += [
            (row["char_start"], row["char_end"], None, row["person_id"])
            for row in unlinked_names.select("char_start", "char_end", "person_id").iter_rows(named=True)
            if row["person_id"] and row["char_start"] is not None
        ]
    columns: dict[str, list[str | None]] = {
        f"{role}_{kind}": [] for role in ("sender", "recipient") for kind in ("entity_id", "person_id")
    }
    for row in source_documents.iter_rows(named=True):
        for role in ("sender", "recipient"):
            entity = person = None
            name, text, start = row[f"{role}_name"], row[role], row[f"{role}_char_start"]
            if name and text and start is not None and name in text:
                name_start = start + text.rindex(name)
                name_end = name_start + len(name)
                inside = [s for s in spans if s[0] < name_end and s[1] > name_start]
                entity = next((s[2] for s in inside if s[2]), None)
                person = None if entity else next((s[3] for s in inside if s[3]), None)
            columns[f"{role}_entity_id"].append(entity)
            columns[f"{role}_person_id"].append(person)
    return source_documents.with_columns(
        pl.Series(name, values, dtype=pl.String) for name, values in columns.items()
    )
