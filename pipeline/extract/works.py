"""Works: the distinct sources behind the citations, with a Chicago-style rendering, and sentence links.

A work is what a reader would look up: a book, an article, an archival collection, an interview, a
newspaper, a documentary series. Referring citations (Ibid., short forms, abbreviations) take the work of
the citation they point at; a letter printed in a documentary collection belongs to that collection, a
letter in an archive to that archival collection.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipeline.extract.citations import FIELDS, GOVERNMENT_WORDS, MONTHS
from pipeline.extract.reference_pieces import CITATION_WORDS
from pipeline.package.schema import load_table_spec, rows_to_frame

# The bibliographic fields a work keeps: the citation fields that the works table has (pages, box, sender,
# recipient, et al. belong to one citation, not to the work).
WORK_FIELDS = tuple(name for name in load_table_spec("works").columns if name in FIELDS)
MONTH_NAMES = {number: name.capitalize() for name, number in MONTHS.items() if len(name) > 3 or name == "may"}


def _norm(text: str | None) -> str:
    if not text:
        return ""
    ascii_text = unicodedata.normalize("NFKD", text.replace("’", "").replace("'", "")).encode(
        "ascii", "ignore"
    )
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.decode().lower()))


def _surname(names: str | None) -> str:
    if not names:
        return ""
    first = re.sub(r",?\s*(?:Jr|Sr)\.?$", "", names.split(";")[0].strip())
    words = _norm(first).split()
    return words[-1] if words else ""


def _archive_norm(text: str | None) -> str:
    return re.sub(r"^(?:u s |us )", "", _norm(text))


def _describe(row: dict[str, Any]) -> tuple[tuple[str, ...], str, dict[str, Any]]:
    """The dedup key, work type and work fields a non-referring citation stands for."""
    kind = row["reference_type"]
    pick = lambda *names: {n: row.get(n) for n in names}  # noqa: E731
    if kind == "interview":
        key = ("interview", _norm(row["interviewee"]), row.get("item_date") or "")
        return key, "interview", pick("interviewee", "item_date", "place")
    if kind == "archival_document" and row.get("container_title"):
        creator = row.get("corporate_author") or ""
        work_type = (
            "government_document"
            if creator and GOVERNMENT_WORDS.search(creator)
            else "edited_book"
            if row.get("editors")
            else "book"
        )
        fields = pick("editors", "corporate_author", "place", "publisher", "year", "number_of_volumes")
        fields["title"] = row["container_title"]
        return ("title", _norm(row["container_title"])), work_type, fields
    if kind in ("archival_document", "archival_collection") and (row.get("collection") or row.get("archive")):
        holder = _archive_norm(row.get("collection") or row.get("archive"))
        file_part = "" if row.get("collection") or row.get("record_group") else row.get("file_number") or ""
        key = ("archive", holder, row.get("record_group") or "", _norm(file_part))
        fields = pick("archive", "collection", "record_group")
        fields["file_number"] = file_part or None
        return key, "archival_collection", fields
    if kind == "archival_document":
        key = ("document", _norm(row.get("sender")), _norm(row.get("recipient")), row.get("item_date") or "")
        fields = pick("authors", "title", "item_date")
        fields["title"] = row.get("title") or _correspondence_title(row)
        return key, "archival_document", fields
    if kind == "newspaper" and not row.get("title"):
        return ("periodical", _norm(row["container_title"])), "newspaper", {"title": row["container_title"]}
    creator = row.get("authors") or row.get("editors") or row.get("corporate_author")
    key = (
        "title",
        _surname(creator) if _is_person_list(creator) else _norm(creator),
        _norm(row.get("title")),
    )
    if not creator and row.get("year") and key[2]:
        # A title with no author cited with a year is often a series by year ("Foreign Relations, 1910"):
        # each year is a work of its own.
        key = (*key, str(row["year"]))
    fields = pick(*[f for f in WORK_FIELDS if f not in ("item_date", "interviewee", "volume")])
    if kind == "journal_article":
        fields["volume"] = row.get("volume")
    if kind in ("newspaper", "journal_article"):
        fields["item_date"] = row.get("item_date")
    return key, kind if kind not in ("short_form", "ibid") else "unknown", fields


def _is_person_list(names: str | None) -> bool:
    return bool(names) and not GOVERNMENT_WORDS.search(names or "")


def _correspondence_title(row: dict[str, Any]) -> str | None:
    if row.get("sender") and row.get("recipient"):
        return f"{row['sender']} to {row['recipient']}"
    return None


def _slug(text: str, words: int = 6) -> str:
    return "-".join(_norm(text).split()[:words])


def _work_slug(key: tuple[str, ...], work_type: str, fields: dict[str, Any]) -> str:
    if work_type == "interview":
        return "-".join(
            p for p in ("interview", _slug(fields.get("interviewee") or "", 3), _date_slug(key[2])) if p
        )
    if work_type == "archival_collection":
        parts = [_slug(fields.get("collection") or fields.get("archive") or "", 6)]
        if fields.get("record_group"):
            parts.append(f"rg{_norm(fields['record_group'])}")
        if fields.get("file_number"):
            parts.append(_slug(fields["file_number"]))
        return "-".join(p for p in parts if p) or "archival-collection"
    creator = fields.get("authors") or fields.get("editors") or fields.get("corporate_author") or ""
    head = _surname(creator) if _is_person_list(creator) else _slug(creator, 3)
    year = re.match(r"\d{4}", fields.get("year") or "")
    parts = [head, year.group() if year else "", _slug(fields.get("title") or "", 5)]
    return "-".join(p for p in parts if p) or "work"


def _date_slug(edtf: str) -> str:
    return edtf.split("/")[0].replace("-", "") if edtf else ""


def _resolve_target(citation_id: str, by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Follow refers_to to the citation that carries the work (cycles and dangling links stop the walk)."""
    seen = set()
    row = by_id[citation_id]
    while row.get("refers_to") and row["refers_to"] in by_id and row["citation_id"] not in seen:
        seen.add(row["citation_id"])
        row = by_id[row["refers_to"]]
    return row


@dataclass(frozen=True)
class CitedWork:
    """What one citation stands for: the dedup key of its work, the work's type and fields as this citation
    gives them, and the raw text to fall back on."""

    citation_id: str
    key: tuple[str, ...]
    work_type: str
    fields: dict[str, Any]
    raw: str
    abbreviation: str | None


# A paper's cited works as stored with its build (`cited_works_frame`): the fields as JSON.
CITED_WORKS_SCHEMA = {
    "citation_id": pl.String,
    "key": pl.List(pl.String),
    "work_type": pl.String,
    "fields": pl.String,
    "raw": pl.String,
    "abbreviation": pl.String,
}


def cited_works_frame(described: Iterable[CitedWork]) -> pl.DataFrame:
    """The cited works as one frame, a row each, that `cited_works_of` gives back whole."""
    rows = [
        (c.citation_id, list(c.key), c.work_type, json.dumps(c.fields, default=str), c.raw, c.abbreviation)
        for c in described
    ]
    return pl.DataFrame(rows, schema=CITED_WORKS_SCHEMA, orient="row")


def cited_works_of(frame: pl.DataFrame) -> Iterable[CitedWork]:
    """The works described by a `cited_works_frame`, in its order."""
    for row in frame.iter_rows():
        yield CitedWork(row[0], tuple(row[1]), row[2], json.loads(row[3]), row[4], row[5])


# The description of a citation with no title, container, author, archive or sender: no work at all; so
# is a bare pointer elsewhere in the same volume ("Ante, p. 123"; vocab/citation_words.yaml).
NO_WORK = ("title", "", "")
CROSS_REFERENCES = {("title", "", word) for word in CITATION_WORDS["cross_reference"]}


def describe_citations(citations: pl.DataFrame) -> list[CitedWork]:
    """The work behind each citation of one document, in the frame's order. Commentary cites none, and
    neither does a citation that names no title, container and author ("p. 7", "vol. i, p. 542") or only
    points elsewhere in its volume ("Ante, p. 123"): such citations share no work, so their work_id stays
    null.

    Referring citations (Ibid., short forms) point within their own document, so a paper's descriptions
    do not change with the rest of the corpus and are worked out once, when the paper is built.
    """
    rows = citations.to_dicts()
    by_id = {r["citation_id"]: r for r in rows}
    described = []
    for row in rows:
        if row["reference_type"] == "commentary":
            continue
        base = _resolve_target(row["citation_id"], by_id)
        key, work_type, fields = _describe(base)
        if key == NO_WORK or key in CROSS_REFERENCES:
            continue
        raw = base.get("raw") or row.get("raw") or ""
        described.append(CitedWork(row["citation_id"], key, work_type, fields, raw, row.get("abbreviation")))
    return described


def build_works(citations: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Deduplicate the citations of all documents into works; return (works, citations with work_id)."""
    return merge_works(describe_citations(citations), citations)


def merge_works(cited: Iterable[CitedWork], citations: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Works from the citations' descriptions (in document order, then citation order): one per key, each
    field taken from the first citation that gives it; return (works, citations with work_id)."""
    keys: dict[str, tuple[str, ...]] = {}
    described: dict[tuple[str, ...], tuple[str, dict[str, Any]]] = {}
    raws: dict[tuple[str, ...], str] = {}
    for citation in cited:
        key = citation.key
        keys[citation.citation_id] = key
        if key not in described:
            described[key] = (citation.work_type, dict(citation.fields))
            raws[key] = citation.raw
        else:
            known = described[key][1]
            for name, value in citation.fields.items():
                if known.get(name) in (None, "") and value not in (None, ""):
                    known[name] = value
        if citation.abbreviation:
            described[key][1]["abbreviation"] = described[key][1].get("abbreviation") or citation.abbreviation
    work_ids = _assign_ids(described)
    # A join, not a replace: a mapping is converted once per chunk, and a corpus has a chunk per paper.
    citation_work = pl.DataFrame(
        {"citation_id": list(keys), "work_id": [work_ids[key] for key in keys.values()]},
        schema={"citation_id": pl.String, "work_id": pl.String},
    )
    with_ids = citations.drop("work_id", strict=False).join(
        citation_work, on="citation_id", how="left", maintain_order="left"
    )
    return _works_frame(described, work_ids, with_ids, raws), with_ids


def _assign_ids(described: dict[tuple[str, ...], tuple[str, dict[str, Any]]]) -> dict[tuple[str, ...], str]:
    """Readable slugs; keys that collide on a slug get a short digest of their normalised key."""
    slugs = {key: _work_slug(key, work_type, fields) for key, (work_type, fields) in described.items()}
    counts: dict[str, int] = {}
    for slug in slugs.values():
        counts[slug] = counts.get(slug, 0) + 1
    return {
        key: slug if counts[slug] == 1 else f"{slug}-{hashlib.sha1('|'.join(key).encode()).hexdigest()[:6]}"
        for key, slug in slugs.items()
    }


def _works_frame(
    described: dict[tuple[str, ...], tuple[str, dict[str, Any]]],
    work_ids: dict[tuple[str, ...], str],
    citations: pl.DataFrame,
    raws: dict[tuple[str, ...], str],
) -> pl.DataFrame:
    counts = (
        citations.filter(pl.col("work_id").is_not_null())
        .group_by("work_id")
        .agg(
            pl.len().alias("citation_count"),
            pl.col("document_id").n_unique().alias("document_count"),
            pl.col("citation_id").sort_by("document_id", "char_start").first().alias("first_citation_id"),
        )
    )
    count_map = {r["work_id"]: r for r in counts.iter_rows(named=True)}
    records = []
    for key, (work_type, fields) in described.items():
        work_id = work_ids[key]
        record = {"work_id": work_id, "work_type": work_type}
        record |= {name: fields.get(name) for name in WORK_FIELDS}
        record["chicago"], record["chicago_is_raw"] = chicago_or_raw(work_type, fields, raws[key])
        stats = count_map.get(work_id, {})
        record["citation_count"] = stats.get("citation_count", 0)
        record["document_count"] = stats.get("document_count", 0)
        record["first_citation_id"] = stats.get("first_citation_id")
        records.append(record)
    return rows_to_frame("works", records)


# ---------------------------------------------------------------- Chicago rendering


def _invert(name: str) -> str:
    """ "Hugh Phillips" -> "Phillips, Hugh"; "N. Gordon Levin, Jr." -> "Levin, N. Gordon, Jr."."""
    suffix = re.search(r",\s*(Jr\.?|Sr\.?|II|III|IV)$", name)
    core = name[: suffix.start()] if suffix else name
    words = core.split()
    if len(words) < 2:
        return name
    inverted = f"{words[-1]}, {' '.join(words[:-1])}"
    return f"{inverted}, {suffix.group(1)}" if suffix else inverted


def _names(names: str | None, invert_first: bool = True) -> str:
    people = [n.strip() for n in (names or "").split(";") if n.strip()]
    if not people:
        return ""
    rendered = [_invert(people[0]) if invert_first else people[0], *people[1:]]
    if len(rendered) == 1:
        return rendered[0]
    return ", ".join(rendered[:-1]) + ", and " + rendered[-1]


def _human_date(edtf: str | None) -> str:
    if not edtf:
        return ""
    start, _, end = edtf.partition("/")
    parts = start.split("-")
    if len(parts) == 3 and end:
        end_parts = end.split("-")
        if end_parts[:2] == parts[:2]:
            return f"{int(parts[2])}–{int(end_parts[2])} {MONTH_NAMES[int(parts[1])]} {parts[0]}"
        return f"{_human_date(start)}–{_human_date(end)}"
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTH_NAMES[int(parts[1])]} {parts[0]}"
    if len(parts) == 2 and int(parts[1]) <= 12:
        return f"{MONTH_NAMES[int(parts[1])]} {parts[0]}"
    return start


def _sentence(*parts: str) -> str:
    text = ". ".join(p.rstrip(".") if not p.endswith(".*") else p for p in parts if p)
    return text + "." if text and not text.endswith(".*") else text


def _publication(fields: dict[str, Any]) -> str:
    place, publisher, year = fields.get("place"), fields.get("publisher"), fields.get("year")
    head = f"{place}: {publisher}" if place and publisher else place or publisher or ""
    return f"{head}, {year}" if head and year else head or (year or "")


def chicago_or_raw(work_type: str, fields: dict[str, Any], raw: str) -> tuple[str, bool]:
    """The Chicago entry, or, when the fields give nothing to render, the citation's own text (flagged)."""
    rendered = render_chicago(work_type, fields)
    if re.search(r"[^\W_]", rendered):
        return rendered, False
    return raw, True


def render_chicago(work_type: str, fields: dict[str, Any]) -> str:
    """A Chicago bibliography entry built only from the fields; titles in italics as *Markdown*."""
    title = fields.get("title")
    italic = f"*{title}*" if title else ""
    volumes = f"{fields['number_of_volumes']} vols" if fields.get("number_of_volumes") else ""
    edition = f"{fields['edition']} ed" if fields.get("edition") else ""
    if work_type == "interview":
        return _sentence(_names(fields.get("interviewee")), "Interview", _human_date(fields.get("item_date")))
    if work_type == "archival_collection":
        group = f"Record Group {fields['record_group']}" if fields.get("record_group") else ""
        film = f"Microfilm publication {fields['file_number']}" if fields.get("file_number") else ""
        collection = fields.get("collection")
        archive = fields.get("archive") if fields.get("archive") != collection else None
        return _sentence(collection or "", group, film, archive or "")
    if work_type == "newspaper" and not fields.get("container_title"):
        return _sentence(italic)
    if work_type in ("journal_article", "chapter", "newspaper"):
        author = _names(fields.get("authors"))
        quoted = f"“{title}.”" if title else ""
        container = f"*{fields['container_title']}*" if fields.get("container_title") else ""
        if work_type == "chapter":
            editors = (
                f", edited by {_names(fields.get('editors'), invert_first=False)}"
                if fields.get("editors")
                else ""
            )
            published = _sentence(_publication(fields))
            return f"{_sentence(author)} {quoted} In {container}{editors}. {published}".strip()
        detail = container
        if fields.get("volume"):
            detail += f" {fields['volume']}"
        when = (f"{fields['issue']} " if fields.get("issue") else "") + (fields.get("year") or "")
        when = when.strip() or _human_date(fields.get("item_date"))
        if when:
            detail += f" ({when})" if work_type == "journal_article" else f", {when}"
        return f"{_sentence(author)} {quoted} {detail}.".replace("  ", " ").strip()
    if work_type == "archival_document":
        return _sentence(
            _names(fields.get("authors")), f"“{title}”" if title else "", _human_date(fields.get("item_date"))
        )
    creator = fields.get("authors")
    if creator:
        author = _names(creator)
    elif fields.get("editors"):
        editors = fields["editors"]
        author = f"{_names(editors)}, {'eds' if ';' in editors else 'ed'}"
    else:
        author = fields.get("corporate_author") or ""
    return _sentence(author, italic, edition, volumes, _publication(fields))


# ---------------------------------------------------------------- corrections


@dataclass(frozen=True)
class FieldChange:
    """A corrected value of one work field, as text (how the corrections table publishes values)."""

    work_id: str
    field: str
    old: str | None
    new: str | None


def _as_text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def follow_corrections(work_table: pl.DataFrame, changes: Iterable[FieldChange]) -> pl.DataFrame:
    """The works with their citations' corrected values, where the work had taken the old value from them.

    A work is made from its citations before record corrections apply, so a corrected citation field
    (its publisher, year, title ...) would otherwise leave the work as printed. A value the work took from
    another citation (it differs from the corrected one's old value) is left alone: the work's own
    correction is the way to change it.
    """
    changes = [c for c in changes if c.field in WORK_FIELDS]
    if not changes:
        return work_table
    rows = {work_id: row for row, work_id in enumerate(work_table.get_column("work_id").to_list())}
    columns = {name: work_table.get_column(name).to_list() for name in {c.field for c in changes}}
    for change in changes:
        row = rows.get(change.work_id)
        if row is not None and _as_text(columns[change.field][row]) == change.old:
            columns[change.field][row] = change.new
    schema = work_table.schema
    return work_table.with_columns(
        pl.Series(name, values, dtype=pl.String).cast(schema[name]) for name, values in columns.items()
    )


def rerender_chicago(work_table: pl.DataFrame, work_ids: Iterable[str]) -> pl.DataFrame:
    """Render the Chicago entry again for works whose fields a correction changed; a work whose fields give
    nothing to render keeps the citation text it shows (``chicago_is_raw``)."""
    wanted = set(work_ids)
    if not wanted:
        return work_table
    chicago = work_table.get_column("chicago").to_list()
    is_raw = work_table.get_column("chicago_is_raw").to_list()
    for row, record in enumerate(work_table.iter_rows(named=True)):
        if record["work_id"] in wanted:
            fields = {name: record[name] for name in WORK_FIELDS}
            rendered, raw = chicago_or_raw(record["work_type"], fields, chicago[row] if is_raw[row] else "")
            if not raw or is_raw[row]:
                chicago[row], is_raw[row] = rendered, raw
    return work_table.with_columns(
        pl.Series("chicago", chicago, dtype=work_table.schema["chicago"]),
        pl.Series("chicago_is_raw", is_raw, dtype=work_table.schema["chicago_is_raw"]),
    )


# ---------------------------------------------------------------- sentence links


def link_sentences_to_works(footnotes: pl.DataFrame, citations: pl.DataFrame) -> pl.DataFrame:
    """sentence_works: the sentence carrying a note marker is supported by every work that note cites."""
    markers = footnotes.filter(pl.col("sentence_id").is_not_null()).select(
        "footnote_id", "sentence_id", "paragraph_id"
    )
    cited = citations.filter(pl.col("work_id").is_not_null()).select(
        "document_id", "footnote_id", "citation_id", "work_id"
    )
    return markers.join(cited, on="footnote_id", how="inner").select(
        "sentence_id", "paragraph_id", "document_id", "footnote_id", "citation_id", "work_id"
    )
