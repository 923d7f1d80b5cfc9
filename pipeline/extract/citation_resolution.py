"""Resolving referring forms: Ibid. (and "Ivi", "Ebd."), abbreviations defined with "Hereafter cited as",
short titles and "op. cit." against the earlier citations of the same document; "Id." takes the authors of
the latest earlier citation that names some.

A fuzzy or ambiguous match is kept but flagged as uncertain; nothing earlier that matches leaves the form
unresolved. The index of earlier citations by first surname keeps this linear in a long paper.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from pipeline.extract.reference_pieces import Parsed


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower-case ASCII word string, for matching titles and names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


@dataclass
class Row:
    """A citation row while the document is being read."""

    citation_id: str
    footnote_id: str
    index: int
    raw: str
    char_start: int
    char_end: int
    parsed: Parsed
    is_commentary: bool = False
    refers_to: str | None = None
    resolution_status: str = "not_applicable"
    resolution_method: str | None = None
    resolution_note: str | None = None


def abbreviation_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@lru_cache(maxsize=65536)
def _title_match(short: str, full: str) -> float:
    """1.0 when the short title is a word prefix of the full title; a fuzzy ratio otherwise."""
    short_n, full_n = (re.sub(r"^(?:the|a|an) ", "", normalise(t)) for t in (short, full))
    if not short_n or not full_n:
        return 0.0
    if full_n == short_n or full_n.startswith(short_n + " "):
        return 1.0
    prefix = full_n[: len(short_n)]
    return SequenceMatcher(None, short_n, prefix).ratio() * 0.99


def _surname(names: str | None) -> str | None:
    if not names:
        return None
    first = names.split(";")[0].strip()
    first = re.sub(r",?\s*(?:Jr|Sr)\.?$", "", first)
    words = normalise(first).split()
    return words[-1] if words else None


def resolve(rows: list[Row]) -> None:
    """Fill refers_to and resolution columns for Ibid., abbreviations and short forms, in reading order."""
    abbreviations: dict[str, Row] = {}
    previous_note: list[Row] = []
    current_note: list[Row] = []
    current_fn: str | None = None
    earlier = _EarlierCitations()
    for row in rows:
        if row.footnote_id != current_fn:
            if current_note:
                previous_note = current_note
            current_note, current_fn = [], row.footnote_id
        if row.is_commentary:
            continue
        _resolve_row(row, earlier, current_note, previous_note, abbreviations)
        current_note.append(row)
        earlier.add(row)
        if row.parsed.values.get("abbreviation"):
            abbreviations[abbreviation_key(row.parsed.values["abbreviation"])] = row


class _EarlierCitations:
    """The citations read so far, indexed by what a short form can match on, so that resolving every short
    form of a long paper stays linear instead of scoring each against all earlier citations."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.by_surname: dict[str | None, list[int]] = {}
        self.with_collection: list[int] = []

    def add(self, row: Row) -> None:
        values = row.parsed.values
        self.by_surname.setdefault(_surname(values.get("authors") or values.get("editors")), []).append(
            len(self.rows)
        )
        if values.get("collection"):
            self.with_collection.append(len(self.rows))
        self.rows.append(row)

    def candidates(self, parsed: Parsed, surname: str | None) -> list[Row]:
        """Latest first, the earlier citations _candidate_score can give a score above zero for ``parsed``:
        same first surname, or a collection (archival collections), or any (an archival document naming
        neither author nor archive)."""
        if parsed.reference_type == "archival_document" and not parsed.values.get("archive") and not surname:
            return self.rows[::-1]
        found = set(self.by_surname.get(surname, [])) if surname else set()
        if parsed.reference_type == "archival_collection":
            found.update(self.with_collection)
        return [self.rows[i] for i in sorted(found, reverse=True)]


def _resolve_row(
    row: Row,
    earlier: _EarlierCitations,
    current_note: list[Row],
    previous_note: list[Row],
    abbreviations: dict,
) -> None:
    parsed = row.parsed
    if parsed.same_author and not parsed.values.get("authors"):
        _repeat_authors(parsed, earlier.rows)
    if parsed.reference_type == "ibid" or parsed.container_ibid:
        target = current_note[-1] if current_note else (previous_note[-1] if previous_note else None)
        method = "ibid" if parsed.reference_type == "ibid" else "ibid_container"
        if target is None:
            _mark(row, None, "unresolved", method, "Ibid. with no earlier citation")
        elif not current_note and len(previous_note) > 1:
            _mark(row, target, "uncertain", method, "previous note cites several works; took the last")
        else:
            _mark(row, target, "resolved", method, None)
        return
    for token in (parsed.values.get("title"), parsed.values.get("container_title")):
        if token:
            key = abbreviation_key(re.split(r",\s*\d{4}", token)[0])
            if key in abbreviations:
                _use_abbreviation(row, abbreviations[key], token)
                return
    if parsed.short_candidate or parsed.reference_type in ("archival_collection", "archival_document"):
        _resolve_short(row, earlier)


REPEATED_AUTHOR_FIELDS = ("authors", "author_family_names", "author_given_names", "et_al")


def _repeat_authors(parsed: Parsed, rows: list[Row]) -> None:
    """ "Id., Title ...": the authors of the latest earlier citation that names some (an Ibid. in between
    names none and repeats the same work). The printed form ("Id.") stays in authors_as_printed."""
    for candidate in reversed(rows):
        values = candidate.parsed.values
        if values.get("authors"):
            for name in REPEATED_AUTHOR_FIELDS:
                if values.get(name) not in (None, ""):
                    parsed.values[name] = values[name]
            return


def _use_abbreviation(row: Row, target: Row, token: str) -> None:
    parsed = row.parsed
    if parsed.reference_type not in ("archival_document", "chapter", "journal_article"):
        parsed.reference_type = "short_form"
    for name in ("title", "container_title"):
        if (
            parsed.values.get(name) == token
            and name == "container_title"
            and parsed.reference_type == "short_form"
        ):
            parsed.values["title"] = parsed.values.pop(name)
    _mark(row, target, "resolved", "abbreviation", None)


def _resolve_short(row: Row, earlier: _EarlierCitations) -> None:
    parsed = row.parsed
    values = parsed.values
    short_title = values.get("container_title") if parsed.reference_type == "archival_document" else None
    short_title = short_title or values.get("title")
    surname = _surname(values.get("authors") or values.get("editors"))
    best: tuple[float, Row] | None = None
    for candidate in earlier.candidates(parsed, surname):
        if candidate.refers_to and candidate.parsed.reference_type in ("short_form", "ibid"):
            continue
        score = _candidate_score(parsed, short_title, surname, candidate)
        if score > 0 and (best is None or score > best[0] + 1e-9):
            best = (score, candidate)
        if score >= 1.0:  # no score is higher: later (earlier-read) candidates cannot replace this one
            break
    if best is None:
        creators = values.get("authors") or values.get("editors") or ""
        surname_only = bool(creators) and all(len(n.split()) == 1 for n in creators.split("; "))
        if parsed.short_candidate and (not values.get("title") or surname_only):
            _mark(row, None, "unresolved", "short_title", "no earlier full citation matches")
        return
    score, target = best
    if parsed.reference_type not in ("archival_document",):
        parsed.reference_type = "short_form"
    status = "resolved" if score >= 1.0 else "uncertain"
    note = None if status == "resolved" else f"fuzzy title match ({score:.2f})"
    _mark(row, target, status, "short_title", note)


def _candidate_score(parsed: Parsed, short_title: str | None, surname: str | None, candidate: Row) -> float:
    """How well ``candidate`` fits as the full citation of a short form: 0 (no) to 1.0 (exact), never more."""
    values = candidate.parsed.values
    if parsed.reference_type in ("archival_collection",) and values.get("collection"):
        short = normalise(parsed.values.get("collection") or "")
        full = normalise(values["collection"])
        if short and short != full and full.endswith(" " + short):
            return 1.0
        return 0.0
    if not short_title:
        # "op. cit.": the author's work cited last (candidates come latest first).
        same_author = parsed.op_cit and surname and _surname(values.get("authors") or values.get("editors"))
        return 1.0 if same_author == surname else 0.0
    if parsed.reference_type == "archival_document" and not parsed.values.get("archive"):
        fields = [values.get("title"), values.get("container_title")]
    elif parsed.reference_type == "archival_document":
        return 0.0
    else:
        fields = [values.get("title")]
    if not surname and parsed.reference_type != "archival_document":
        return 0.0
    if surname and _surname(values.get("authors") or values.get("editors")) != surname:
        return 0.0
    title_score = max((_title_match(short_title, f) for f in fields if f), default=0.0)
    return title_score if title_score >= 0.85 else 0.0


def _mark(row: Row, target: Row | None, status: str, method: str, note: str | None) -> None:
    row.refers_to = target.citation_id if target else None
    row.resolution_status = status
    row.resolution_method = method
    row.resolution_note = note
