"""Find the papers in raw/ and read each one's OCR text and metadata file, failing loudly on bad input.

A document is either a folder ``raw/<document_id>/`` holding one ``.md``/``.markdown``/``.txt`` OCR file (any
case) and an optional ``metadata.yaml``, or a bare ``raw/<document_id>.md`` file. The OCR file is never
modified. Hidden entries and files of other kinds are skipped and listed in the log, and a symbolic link
that leads outside the corpus folder is refused before anything is read through it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.vocab import load_yaml

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
OTHER_KIND = "not a .md, .markdown or .txt file"
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
# Letters NFKD does not split into a base letter and a mark, with their usual Latin spelling.
NOT_DECOMPOSED = {
    "ß": "ss",
    "Œ": "Oe",
    "œ": "oe",
    "Æ": "Ae",
    "æ": "ae",
    "Ø": "O",
    "ø": "o",
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Þ": "Th",
    "þ": "th",
    "ı": "i",
}
YAML_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*\n)*?(?:---|\.\.\.)[ \t]*(?:\n|\Z)")

log = logging.getLogger(__name__)
_reported_ignored: set[Path] = set()


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


def _is_text_file(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


def _report_ignored(path: Path, why: str) -> None:
    """List a skipped raw/ entry in the log once per run, so nothing is dropped silently."""
    if path not in _reported_ignored:
        _reported_ignored.add(path)
        log.warning("%s: ignored (%s)", path, why)


def _check_inside(path: Path, corpus_root: Path) -> None:
    """Refuse a symbolic link that leads outside the corpus folder, before reading anything through it."""
    if path.is_symlink() and not path.resolve().is_relative_to(corpus_root.resolve()):
        raise InputError(
            f"{path}: a symbolic link to {path.resolve()}, outside {corpus_root}; copy the file into raw/ "
            "instead of linking to it"
        )


def _entry_text_file(entry: Path) -> Path:
    if entry.is_file():
        return entry
    files = sorted(p for p in entry.iterdir())
    candidates = [p for p in files if p.is_file() and not p.name.startswith(".") and _is_text_file(p)]
    for path in files:
        if path not in candidates and path.name != METADATA_FILE:
            _report_ignored(path, "hidden" if path.name.startswith(".") else OTHER_KIND)
    if len(candidates) != 1:
        raise InputError(
            f"{entry}: a document folder must hold exactly one OCR text file (.md, .markdown or .txt); "
            f"found {[p.name for p in candidates] or 'none'}"
        )
    return candidates[0]


def _document_entries(raw_dir: Path) -> list[Path]:
    if not raw_dir.is_dir():
        raise InputError(f"{raw_dir}: raw folder not found")
    entries = []
    for path in sorted(raw_dir.iterdir()):
        _check_inside(path, raw_dir.parent)
        if path.name.startswith("."):
            _report_ignored(path, "hidden")
        elif path.is_dir():
            for inner in sorted(path.iterdir()):
                _check_inside(inner, raw_dir.parent)
            entries.append(path)
        elif _is_text_file(path):
            entries.append(path)
        elif not path.name.endswith(f".{METADATA_FILE}"):
            _report_ignored(path, OTHER_KIND)
    return entries


def read_metadata(path: Path) -> dict[str, Any]:
    """Read and check a document's metadata.yaml: known keys only, right types."""
    text = decode_text(path, path.read_bytes(), allow_empty=True)
    try:
        meta = load_yaml(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{where}: not valid YAML ({problem}); fix the file") from exc
    if not isinstance(meta, dict):
        raise InputError(
            f"{path}: expected metadata fields (key: value lines, e.g. 'title: ...'), "
            f"got a {type(meta).__name__}; remove the leading '- ' if the fields are written as a list"
        )
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


def slug(name: str) -> str:
    """A document ID from a file name: accents and compatibility forms transliterated (NFKD), then
    lowercase letters, digits and dashes ("Ñandú Papér — 1933" gives "nandu-paper-1933")."""
    spelled = "".join(NOT_DECOMPOSED.get(c, c) for c in name)
    ascii_name = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _document_id(entry: Path, meta: dict[str, Any], meta_path: Path | None) -> str:
    document_id = meta.get("id") or slug(entry.stem)
    if not document_id:
        raise InputError(
            f"{entry}: no document id can be made from this name; rename it with letters or digits, or "
            "set id: in its metadata.yaml"
        )
    if not DOCUMENT_ID.match(document_id):
        where = meta_path or entry
        raise InputError(f"{where}: document id {document_id!r} must be lowercase letters, digits and dashes")
    return document_id


def decode_text(path: Path, data: bytes, allow_empty: bool = False) -> str:
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
    if "\x00" in text:
        at = text.index("\x00")
        looks_utf16 = data.count(0) * 3 >= len(data)
        hint = "it looks like UTF-16; " if looks_utf16 else ""
        raise InputError(
            f"{path}:{text.count(chr(10), 0, at) + 1}: holds NUL bytes (the first at offset {at}), which no "
            f"text has; {hint}re-export the OCR text as UTF-8"
        )
    if not text.strip() and not allow_empty:
        raise InputError(f"{path}: the file is empty")
    return text


def check_has_body(path: Path, text: str) -> None:
    """A text that is nothing but a YAML front-matter block has no paper in it to publish."""
    block = YAML_FRONT_MATTER.match(text)
    if block and not text[block.end() :].strip():
        lines = block.group(0).count("\n")
        raise InputError(
            f"{path}:1-{lines}: the file holds only a YAML front-matter block and no text; add the paper's "
            f"text after the closing '---' (and put its metadata in {METADATA_FILE})"
        )


def read_document(entry: Path, repo_root: Path) -> SourceDocument:
    """Read one raw/ entry (folder or file) into a SourceDocument."""
    _check_inside(entry, repo_root)
    text_path = _entry_text_file(entry)
    meta_path = entry / METADATA_FILE if entry.is_dir() else entry.with_name(f"{entry.stem}.{METADATA_FILE}")
    for path in (text_path, meta_path):
        _check_inside(path, repo_root)
    meta = read_metadata(meta_path) if meta_path.exists() else {}
    data = text_path.read_bytes()
    text = decode_text(text_path, data)
    check_has_body(text_path, text)
    return SourceDocument(
        document_id=_document_id(entry, meta, meta_path if meta_path.exists() else None),
        source_path=text_path.resolve().relative_to(repo_root.resolve()).as_posix(),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        metadata=meta,
    )


def _metadata_for_id(path: Path) -> dict[str, Any]:
    """A paper's metadata as far as its ID needs it. Metadata that fails its checks is reported when the
    paper itself is read (`read_document`), so that one paper's bad metadata leaves that paper out of
    the build, not every paper."""
    try:
        return read_metadata(path)
    except InputError:
        try:
            raw = yaml.safe_load(path.read_bytes())
        except (yaml.YAMLError, ValueError):
            return {}
        found = raw.get("id") if isinstance(raw, dict) else None
        return {"id": found} if isinstance(found, str) else {}


def discover_documents(raw_dir: Path) -> dict[str, Path]:
    """Map document ID to raw/ entry, reading only metadata (cheap enough for Dagster's load time)."""
    found: dict[str, Path] = {}
    for entry in _document_entries(raw_dir):
        meta_path = (
            entry / METADATA_FILE if entry.is_dir() else entry.with_name(f"{entry.stem}.{METADATA_FILE}")
        )
        meta = _metadata_for_id(meta_path) if meta_path.exists() else {}
        document_id = _document_id(entry, meta, meta_path if meta_path.exists() else None)
        if document_id in found:
            raise InputError(f"{entry}: document id {document_id!r} is already used by {found[document_id]}")
        found[document_id] = entry
    return found
