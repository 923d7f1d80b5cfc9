"""Find the papers in raw/ and read each one's OCR text and metadata file, failing loudly on bad input.

A document is either a folder ``raw/<document_id>/`` holding one ``.md``/``.txt`` OCR file and an optional
``metadata.yaml``, or a bare ``raw/<document_id>.md`` file. The OCR file is never modified.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TEXT_SUFFIXES = (".md", ".txt")
METADATA_FILE = "metadata.yaml"
METADATA_KEYS = {
    "id": str,
    "title": str,
    "author": str,
    "author_affiliation": str,
    "series": str,
    "series_number": str,
    "publisher": str,
    "place": str,
    "date_published": str,
    "editor": str,
    "copyright": str,
    "rights": str,
    "language": str,
    "full_text": bool,
    "body_start_line": int,
    "source_url": str,
    "doi": str,
}
DOCUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class InputError(ValueError):
    """Bad input: the message names the file, the line where known, and what is wrong."""


@dataclass(frozen=True)
class SourceDocument:
    """One paper as found in raw/: its OCR text (unchanged) and the metadata given beside it."""

    document_id: str
    source_path: str
    text: str
    sha256: str
    metadata: dict[str, Any] = field(default_factory=dict)


def _entry_text_file(entry: Path) -> Path:
    if entry.is_file():
        return entry
    candidates = sorted(p for p in entry.iterdir() if p.is_file() and p.suffix in TEXT_SUFFIXES)
    if len(candidates) != 1:
        raise InputError(
            f"{entry}: a document folder must hold exactly one OCR text file (.md or .txt); "
            f"found {[p.name for p in candidates] or 'none'}"
        )
    return candidates[0]


def _document_entries(raw_dir: Path) -> list[Path]:
    if not raw_dir.is_dir():
        raise InputError(f"{raw_dir}: raw folder not found")
    return sorted(
        p
        for p in raw_dir.iterdir()
        if not p.name.startswith(".") and (p.is_dir() or p.suffix in TEXT_SUFFIXES)
    )


def read_metadata(path: Path) -> dict[str, Any]:
    """Read and check a document's metadata.yaml: known keys only, right types."""
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise InputError(f"{path}: expected a mapping of metadata fields, got {type(meta).__name__}")
    for key, value in meta.items():
        if key not in METADATA_KEYS:
            raise InputError(f"{path}: unknown metadata field {key!r}; known: {sorted(METADATA_KEYS)}")
        expected = METADATA_KEYS[key]
        if value is not None and not isinstance(value, expected):
            # YAML reads a bare 263 or 1996-06-01 as int/date; accept them as text where text is expected.
            if expected is str and not isinstance(value, bool):
                meta[key] = str(value)
            else:
                raise InputError(f"{path}: field {key!r} should be {expected.__name__}, got {value!r}")
    return meta


def _document_id(entry: Path, meta: dict[str, Any], meta_path: Path | None) -> str:
    document_id = meta.get("id") or re.sub(r"[^a-z0-9]+", "-", entry.stem.lower()).strip("-")
    if not DOCUMENT_ID.match(document_id):
        where = meta_path or entry
        raise InputError(f"{where}: document id {document_id!r} must be lowercase letters, digits and dashes")
    return document_id


def decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8 strictly; say which line holds the first undecodable byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-export the OCR text as UTF-8"
        ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return text


def read_document(entry: Path, repo_root: Path) -> SourceDocument:
    """Read one raw/ entry (folder or file) into a SourceDocument."""
    text_path = _entry_text_file(entry)
    meta_path = entry / METADATA_FILE if entry.is_dir() else entry.with_name(f"{entry.stem}.{METADATA_FILE}")
    meta = read_metadata(meta_path) if meta_path.exists() else {}
    data = text_path.read_bytes()
    return SourceDocument(
        document_id=_document_id(entry, meta, meta_path if meta_path.exists() else None),
        source_path=text_path.resolve().relative_to(repo_root.resolve()).as_posix(),
        text=decode_text(text_path, data),
        sha256=hashlib.sha256(data).hexdigest(),
        metadata=meta,
    )


def discover_documents(raw_dir: Path) -> dict[str, Path]:
    """Map document ID to raw/ entry, reading only metadata (cheap enough for Dagster's load time)."""
    found: dict[str, Path] = {}
    for entry in _document_entries(raw_dir):
        meta_path = (
            entry / METADATA_FILE if entry.is_dir() else entry.with_name(f"{entry.stem}.{METADATA_FILE}")
        )
        meta = read_metadata(meta_path) if meta_path.exists() else {}
        document_id = _document_id(entry, meta, meta_path if meta_path.exists() else None)
        if document_id in found:
            raise InputError(f"{entry}: document id {document_id!r} is already used by {found[document_id]}")
        found[document_id] = entry
    return found
