"""The documents table: one row per paper, metadata file first, front matter second, gaps reported."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

import polars as pl

from pipeline.text.clean import CleanedDocument
from pipeline.text.ingest import SourceDocument

log = logging.getLogger(__name__)

# Metadata a user of the dataset expects for every paper; a gap is published in metadata_warnings.
EXPECTED_FIELDS = ("title", "author", "series", "publisher", "date_published", "copyright", "language")
FIELDS = (
    "title",
    "author",
    "author_affiliation",
    "series",
    "series_number",
    "publisher",
    "place",
    "date_published",
    "editor",
    "copyright",
    "rights",
    "language",
)


def document_metadata(
    source: SourceDocument, cleaned: CleanedDocument
) -> tuple[dict[str, str | None], list[str]]:
    """Merge the metadata file (wins) with the front matter; list what neither gives."""
    merged = {key: source.metadata.get(key) or cleaned.front_matter.get(key) for key in FIELDS}
    missing = [key for key in EXPECTED_FIELDS if not merged.get(key)]
    for key in missing:
        log.warning(
            "%s: no %s in %s's metadata file or front matter", source.source_path, key, source.document_id
        )
    if not merged["title"]:
        merged["title"] = source.document_id
    if not merged["language"]:
        merged["language"] = "und"
    return merged, missing


def publishes_full_text(metadata: Mapping[str, Any]) -> bool:
    """Only an explicit ``full_text: true`` republishes a paper's wording: the papers keep their own
    copyright, so a paper nobody has cleared stays closed."""
    return metadata.get("full_text") is True


def document_row(source: SourceDocument, cleaned: CleanedDocument) -> dict[str, object]:
    """The documents-table row of one paper."""
    metadata, missing = document_metadata(source, cleaned)
    full_text = publishes_full_text(source.metadata)
    if "full_text" not in source.metadata:
        log.warning(
            "%s: no full_text decision in %s's metadata file, so its text is withheld; add full_text: true "
            "to its metadata.yaml if the paper's rights allow republishing it",
            source.source_path,
            source.document_id,
        )
        missing.append("full_text")
    return {
        "document_id": source.document_id,
        **metadata,
        "full_text_published": full_text,
        "source_path": source.source_path,
        "source_sha256": source.sha256,
        "text_path": f"text/{source.document_id}.txt" if full_text else None,
        "text_sha256": hashlib.sha256(cleaned.text.encode("utf-8")).hexdigest(),
        "text_length": len(cleaned.text),
        "body_char_end": cleaned.body_char_end,
        "paragraph_count": cleaned.paragraphs.height,
        "sentence_count": cleaned.sentences.height,
        "footnote_count": cleaned.footnotes.filter(pl.col("text").is_not_null()).height,
        "metadata_warnings": "; ".join(f"no {key}" for key in missing) or None,
    }
