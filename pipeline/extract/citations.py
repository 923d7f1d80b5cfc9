"""Footnote citations: split notes into references and commentary, parse fields, resolve Ibid./short forms.

A note is cut into segments (sentences, then ``;``, then `` and `` between two complete references) by
general rules over the cleaned note text and its italic spans. Each reference is read by the rules
(reference_rules.py, with reference_pieces.py and reference_locations.py) and the trained model
(reference_model.py), field by field as the merge policy says;
referring forms (``Ibid.``, short titles, "op. cit.", abbreviations defined with "Hereafter cited as") are
resolved against the earlier citations of the same document (citation_resolution.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from pipeline.extract import archival, reference_model
from pipeline.extract.citation_resolution import Row, abbreviation_key, normalise, resolve
from pipeline.extract.csl import name_parts
from pipeline.extract.reference_dates import BARE_YEAR
from pipeline.extract.reference_dates import MONTHS as MONTHS  # read by works.py
from pipeline.extract.reference_locations import is_location
from pipeline.extract.reference_pieces import (
    ABBREVIATIONS,
    CITATION_WORDS,
    QUOTED_OR_PARENTHESISED,
    Parsed,
    alternation,
    inside,
    sentence_cuts,
)
from pipeline.extract.reference_rules import (
    AUTHOR_DATE,
    AUTHOR_YEAR_FRAGMENT,
    CORRESPONDENCE,
    HEREAFTER,
    IBID,
    INTERVIEW,
    PLACE_PUBLISHER,
    SIGNAL,
    decide_type,
    parse_reference,
    split_corporate_title,
)
from pipeline.extract.reference_rules import GOVERNMENT_WORDS as GOVERNMENT_WORDS  # read by works.py
from pipeline.package.schema import RECORD_STATUS, load_table_spec
from pipeline.text.months import MONTHS_AS_PRINTED

ARCHIVAL_COLUMNS = ("archive", "collection", "box", "record_group", "file_number", "folio")
DIGIT = re.compile(r"\d")
ROMAN = re.compile(r"[ivxlc]+")
SEE_AFTER = re.compile(r",?\s+(?=see\s)")
SEE_LEAD_IN = re.compile(rf"^(?i:{alternation(CITATION_WORDS['see_lead_in'])})\s+[a-z]")
REMARK_OPENING = re.compile(
    rf"^(?:[A-Za-z]+\s+)?(?:{alternation(CITATION_WORDS['remark_participle'])})\b", re.I
)
# A lower-case word other than a particle or short function word: a letter's sender is a name or an office
# ("Chief Clerk R. S. Chew", "Secretary of the Treasury"), not a clause ("A similar note was sent").
PROSE_WORD = re.compile(r"\b(?!(?:the|and|for|von|van|der|den|des|del|della|dos|das|les)\b)[a-z]{3,}\b")
# A letter cited inside a sentence ("... approved Ana Ruiz to Ortega, May 2, 1986, ..."): name, "to", name,
# date. The sentence is commentary around a reference, which is kept.
_NAME_RUN = r"[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*)*"
_MONTH_AS_PRINTED = "|".join(re.escape(month) for month in sorted(MONTHS_AS_PRINTED, key=len, reverse=True))
EMBEDDED_LETTER = re.compile(
    rf"\b{_NAME_RUN}\s+to\s+{_NAME_RUN}(?:\s+\([^()]*\))?,\s+(?:{_MONTH_AS_PRINTED})\s+\d{{1,2}},\s+\d{{4}}"
)
# "ff." ending a reference, then a sentence: a capitalised word and a lower-case one ("The proceedings").
LOCATOR_END = re.compile(r"\bff\.\s+(?=[A-Z][a-z]+\s+[a-z])")
CROSS_REFERENCE = re.compile(rf"\b(?:{alternation(CITATION_WORDS['cross_reference'])})\b", re.I)
FIELDS = (
    "authors",
    "authors_as_printed",
    "author_family_names",
    "author_given_names",
    "editors",
    "et_al",
    "corporate_author",
    "title",
    "container_title",
    "place",
    "publisher",
    "year",
    "volume",
    "issue",
    "pages",
    "number_of_volumes",
    "edition",
    "item_date",
    "archive",
    "collection",
    "box",
    "record_group",
    "file_number",
    "folio",
    "sender",
    "recipient",
    "interviewee",
    "abbreviation",
)


@dataclass
class Segment:
    """A stretch of one note: a reference or commentary, with offsets relative to the note text."""

    start: int
    end: int
    text: str
    italics: list[tuple[int, int]] = field(default_factory=list)
    lead_in: bool = False  # an editor's words before "see" ("For the treaty's text, see ..."): commentary

    @property
    def stripped(self) -> str:
        return self.text


def _protected_spans(text: str, italics: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Italic runs, quotations and parentheses: no segment or token boundary falls inside them."""
    spans = list(italics)
    for match in QUOTED_OR_PARENTHESISED.finditer(text):
        spans.append((match.start() + 1, match.end() - 1))
    return spans


# ---------------------------------------------------------------- segmenting a note


def _split_at(segment: Segment, pattern: re.Pattern[str], protected: list[tuple[int, int]], keep) -> list:
    """Split a segment at matches of pattern (outside protected spans) accepted by keep(left, right)."""
    pieces, start = [], 0
    for match in pattern.finditer(segment.text):
        if inside(segment.start + match.start(), protected):
            continue
        left, right = segment.text[start : match.start()], segment.text[match.end() :]
        if keep(left, right):
            pieces.append((start, match.start()))
            start = match.end()
    pieces.append((start, len(segment.text)))
    return [_sub(segment, a, b) for a, b in pieces]


def _sub(segment: Segment, a: int, b: int) -> Segment:
    text = segment.text[a:b]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    start = segment.start + a + lead
    return Segment(start, start + len(text), text, segment.italics, segment.lead_in)


def _fragment_kind(fragment: Segment) -> str:
    """What a sentence-sized fragment holds on its own (bibliography-style entries come in pieces)."""
    text = fragment.text.rstrip(".").strip()
    relative = [(a - fragment.start, b - fragment.start) for a, b in fragment.italics]
    if any(a <= 0 and b >= len(text) for a, b in relative):
        return "ibid" if IBID.match(text) else "title"
    if re.fullmatch(r"“[^”]+”|\"[^\"]+\"", text.rstrip(".,")):
        return "title"
    if HEREAFTER.match(fragment.text):
        return "hereafter"
    parts = [p.strip() for p in text.split(",")]
    if parts and all(is_location(p) for p in parts):
        return "location"
    if re.fullmatch(
        r"[A-Z][\w'’\-]+,\s+(?:[A-Z][\w'’\-]*\.?\s?)+(?:,?\s+(?:and|&)\s+[A-Z][\w.'’\- ]+)?", text
    ):
        return "names"
    if AUTHOR_YEAR_FRAGMENT.fullmatch(text):
        return "names_year"
    if PLACE_PUBLISHER.match(parts[0]) and BARE_YEAR.match(parts[-1].strip()):
        return "pubfacts"
    return "full"


def _merge_fragments(fragments: list[Segment], note_text: str) -> list[Segment]:
    """Glue bibliography-style pieces ("Last, First." + title + "Place: Publisher, Year.") back together."""
    merged: list[Segment] = []
    kinds: list[str] = []
    for fragment in fragments:
        kind = _fragment_kind(fragment)
        glue = merged and (
            kind in ("hereafter", "location", "pubfacts")
            or (kinds[-1] in ("names", "names_year") and kind in ("title", "full", "pubfacts"))
            or (kinds[-1] == "names+title" and kind in ("pubfacts", "full"))
            or (kinds[-1] == "names_year+title" and kind == "full" and bool(re.search(r"\d", fragment.text)))
        )
        if glue:
            last = merged[-1]
            merged[-1] = Segment(last.start, fragment.end, note_text[last.start : fragment.end], last.italics)
            if kinds[-1] == "names" and kind == "title":
                kinds[-1] = "names+title"
            elif kinds[-1] == "names_year" and kind in ("title", "full"):
                kinds[-1] = "names_year+title"
            elif kind not in ("hereafter", "location"):
                kinds[-1] = "full"
        else:
            merged.append(fragment)
            kinds.append(kind)
    return merged


def _looks_like_reference(segment: Segment, known_abbreviations: set[str], marks_titles: bool) -> bool:
    """Commentary is prose: mostly lower-case words, no italic title, no reference furniture.

    In a paper whose OCR kept italics (``marks_titles``), a stretch with no italic, quotation,
    figure or pointer ("Supra") is not a reference either: it identifies a person ("Jan Novak, Minister of
    Trade.") or remarks on a document.
    """
    text = SIGNAL.sub("", segment.text)
    if segment.lead_in or (SEE_LEAD_IN.match(text) and not DIGIT.search(text)):
        return False  # an editor's lead-in ("For the text of the *note verbale*"), "see ..." cut off or not
    has_italic = any(segment.start <= a < segment.end for a, _ in segment.italics)
    if has_italic or IBID.match(text) or HEREAFTER.search(text):
        return True
    if re.search(r"[“\"][^”\"]+,[”\"]", text) or re.search(r"\([^()]*\b\d{4}\b[^()]*\)", text):
        return True
    if SEE_LEAD_IN.match(text) or (REMARK_OPENING.match(text) and not re.search(r"[“\"«]", text)):
        return False
    letter = CORRESPONDENCE.match(text.split(",")[0].strip())
    if (
        INTERVIEW.match(text)
        or (letter and not PROSE_WORD.search(letter["sender"]))
        or EMBEDDED_LETTER.search(text)
    ):
        return True
    if any(is_location(p.strip()) for p in text.rstrip(".").split(",")):
        return True
    if AUTHOR_DATE.match(text) or normalise(text.split(",")[0]) in known_abbreviations:
        return True
    if marks_titles and not DIGIT.search(text) and not CROSS_REFERENCE.search(text):
        return False
    return not _is_prose(text) and not _is_remark(text)


def _is_remark(text: str) -> bool:
    """A short editorial remark ("Not printed.", "Telegram not found in files."): no figure or locator
    ("vol. i"), and half its words or more in lower case, where a short reference is mostly names and title
    words."""
    words = re.findall(r"[A-Za-z][\w'’\-]*", text)
    lower = sum(1 for w in words if w[0].islower())
    figures = re.search(r"\d|\b(?:vols?|pp?|nos?|art|ch|fol|ff)\.", text, re.IGNORECASE)
    return bool(words) and not figures and lower / len(words) >= 0.5


def _is_prose(text: str) -> bool:
    """Six words or more, two in five in lower case; locators ("vol. ii", "pp.") do not count as words."""
    words = [
        w for w in re.findall(r"[A-Za-z][\w'’\-]*", text) if w not in ABBREVIATIONS and not ROMAN.fullmatch(w)
    ]
    lower = sum(1 for w in words if w[0].islower())
    return len(words) >= 6 and lower / len(words) >= 0.4


def _cut_lead_in(piece: Segment, protected: list[tuple[int, int]]) -> list[Segment]:
    """An editor's lead-in before "see" ("For the treaty's text, see ...") cut off as its own segment."""
    parts = _split_at(piece, SEE_AFTER, protected, lambda left, _r: bool(SEE_LEAD_IN.match(left.strip())))
    return [replace(part, lead_in=True) for part in parts[:-1]] + parts[-1:]


def _is_lead_in(left: str, right: str) -> bool:
    """A colon ends a prose lead-in ("For more, the reader may consult: Author, Title") before a reference."""
    return _is_prose(left) and bool(re.match(r"\s*[A-Z]", right)) and not _is_prose(right)


def _after_locator_cuts(text: str, protected: list[tuple[int, int]]) -> list[int]:
    """Where a sentence of prose starts after a reference's last page ("pp. 65 ff. The proceedings were"):
    "ff." is an abbreviation, so the sentence splitter goes on past it."""
    return [m.end() for m in LOCATOR_END.finditer(text) if not inside(m.start(), protected)]


def segment_note(text: str, italics: list[tuple[int, int]]) -> list[Segment]:
    """Cut a note into reference-sized segments (commentary segments included), in reading order."""
    protected = _protected_spans(text, italics)
    whole = Segment(0, len(text), text, italics)
    cuts = [0, *sorted({*sentence_cuts(text, protected), *_after_locator_cuts(text, protected)}), len(text)]
    sentences = [_sub(whole, a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip()]
    sentences = _merge_fragments(sentences, text)
    segments: list[Segment] = []
    for sentence in sentences:
        pieces = _split_at(sentence, re.compile(r";\s*"), protected, lambda _l, _r: True)
        pieces = [
            p
            for piece in pieces
            for p in _split_at(piece, re.compile(r"(?<=\w):\s+"), protected, _is_lead_in)
        ]
        pieces = [p for piece in pieces for p in _cut_lead_in(piece, protected)]
        for piece in pieces:
            segments += _split_at(
                piece,
                re.compile(r"\s+and\s+"),
                protected,
                lambda left, right: bool(re.search(r"\d[.)]?$", left.strip()) and re.match(r"[A-Z]", right)),
            )
    return [s for s in segments if s.text]


# Referring forms, interviews and archival items: the rules read these (signals, Ibid., shelf marks, letters).
# Referring forms are the rules' alone (the model knows no Ibid.); the others only when the rules read the
# whole reference, else the model decides field by field like any other reference.
RULE_TYPES = ("ibid", "short_form", "interview", "archival_document", "archival_collection")
REFERRING_TYPES = ("ibid", "short_form")
# Policies that keep a complete rule reading: when all fields have one, the model is not consulted for it.
RULES_WHEN_CLEAN = ("rules", "clean_rules_else_model")


def read_reference(
    text: str,
    italics: list[tuple[int, int]],
    model: reference_model.ReferenceModel | None = None,
    policy: dict[str, str] | None = None,
) -> Parsed:
    """Read one reference with the rules and the trained model, field by field as the merge policy says.

    The policy (which of rules and model to trust for each field) comes from the held-out scores recorded
    beside the shipped model; ``papers-dataset references parse`` and the pipeline both come through here.
    The authors' family and given names are split from the names kept, whoever read them.
    """
    head = archival.shelf_mark_head(text) if DIGIT.search(text) else None
    if head is None:
        parsed = _read_reference(text, italics, model, policy)
    else:
        parsed = _read_after_shelf_mark(text, italics, head, model, policy)
    if parsed.same_author:  # the authors are the previous citation's, filled in when the notes are resolved
        parsed.values.pop("authors", None)
        parsed.values["authors_as_printed"] = parsed.same_author.rstrip(" ,")
    families, givens = name_parts(parsed.values.get("authors"))
    parsed.set("author_family_names", families)
    parsed.set("author_given_names", givens)
    return parsed


def _read_after_shelf_mark(
    text: str,
    italics: list[tuple[int, int]],
    head: archival.ShelfMarkHead,
    model: reference_model.ReferenceModel | None,
    policy: dict[str, str] | None,
) -> Parsed:
    """A reference that opens with a shelf mark ("Cod. It. VII. 794 (= 8503), Giorgio Dolfin, Cronaca
    veneta"): the shelf mark is the rules', the rest (author, title ...) is read like any reference."""
    rest = text[head.end :]
    manuscript = archival.manuscript_text(rest)
    if not rest.strip(" .,;:"):
        parsed = Parsed(values=dict(head.values))
    else:
        shifted = [(a - head.end, b - head.end) for a, b in italics if b > head.end]
        parsed = _read_reference(rest, [(max(a, 0), b) for a, b in shifted], model, policy)
        for column in ARCHIVAL_COLUMNS:
            if column in head.values:
                parsed.values[column] = head.values[column]
    _apply_manuscript_text(parsed, manuscript)
    # A manuscript or a document in a holding, whatever the rest looked like on its own.
    parsed.reference_type = "archival_document" if parsed.values.get("title") else "archival_collection"
    return parsed


def _apply_manuscript_text(parsed: Parsed, manuscript: archival.ManuscriptText) -> None:
    """A manuscript's attribution, writer and title with the years it covers, over whatever the reading
    of the rest made of them; a manuscript is not in a container, so a lone container is its title."""
    values = parsed.values
    for name in ("title", "container_title"):  # the model ran the bracketed name into the title
        if manuscript.attribution and "]" in (values.get(name) or ""):
            values[name] = values[name].rsplit("]", 1)[1].strip(" ,;.") or values[name]
    if manuscript.attribution or manuscript.writer:
        values["authors"] = manuscript.attribution or manuscript.writer
        values["authors_as_printed"] = (
            f"[{manuscript.attribution}]" if manuscript.attribution else manuscript.writer
        )
    if manuscript.title:
        values["title"] = manuscript.title
        if values.get("year") and values["year"] in manuscript.title:
            values.pop("year")
            values.pop("item_date", None)
        if values.get("container_title") and values["container_title"] in manuscript.title:
            values.pop("container_title")  # the title's words read as a container
    if not values.get("title") and values.get("container_title"):
        values["title"] = values.pop("container_title")


def _read_reference(
    text: str,
    italics: list[tuple[int, int]],
    model: reference_model.ReferenceModel | None,
    policy: dict[str, str] | None,
) -> Parsed:
    parsed = parse_reference(text, italics)
    split_corporate_title(parsed)
    clean = reference_model.is_clean(parsed)
    if parsed.reference_type in REFERRING_TYPES or (parsed.reference_type in RULE_TYPES and clean):
        return parsed
    policy = policy or reference_model.shipped_merge_policy()
    if clean and all(policy.get(name, "rules") in RULES_WHEN_CLEAN for name in reference_model.SCORED):
        return parsed
    model = model or reference_model.shipped_model()
    cut = len(parsed.signal) + 1 if parsed.signal else 0
    while cut < len(text) and text[cut] == " ":
        cut += 1
    labelling = model.label(text[cut:], [(a - cut, b - cut) for a, b in italics if b > cut])
    segments = labelling.segments()
    model_values = reference_model.to_fields(labelling, segments)
    merged = reference_model.merge(parsed.values, model_values, policy, clean)
    if merged != parsed.values:
        parsed.values = merged
        parsed.method = "rules+model"
        if not clean:
            parsed.unparsed = [labelling.text[a:b] for label, a, b, _ in segments if label == "other"]
        parsed.reference_type = None
        decide_type(parsed)
    parsed.model_probability = labelling.probability
    return parsed


# ---------------------------------------------------------------- the table


REVIEW_BELOW = 0.5


def parse_confidence(parsed: Parsed) -> float:
    """How sure the reading of one reference is, 0 to 1.

    The rules' reading starts at 0.95 and loses 0.2 per piece left unread; when the model's fields were
    taken, the model's probability of its whole labelling caps it (the CRF's sequence probability, which
    tracks how often every field comes out right: see docs/reference-parser.md).
    """
    score = 0.95 - 0.2 * len(parsed.unparsed)
    if parsed.reference_type in ("book", "edited_book") and parsed.short_candidate:
        score -= 0.25
    if parsed.method == "rules+model" and parsed.model_probability is not None:
        score = min(score, parsed.model_probability)
    return round(max(score, 0.05), 2)


def _confidence(row: Row) -> float:
    if row.is_commentary:
        return 0.5
    score = parse_confidence(row.parsed)
    if row.resolution_status == "uncertain":
        score -= 0.2
    if row.resolution_status == "unresolved":
        score -= 0.3
    return round(max(score, 0.05), 2)


def _note_rows(
    note: dict[str, Any],
    spans: list[tuple[int, int]],
    known: set[str],
    policy: dict[str, str] | None,
    marks_titles: bool,
) -> list[Row]:
    text: str = note["text"]
    base: int = note["char_start"]
    relative = [(a - base, b - base) for a, b in spans]
    rows = []
    for index, segment in enumerate(segment_note(text, relative), start=1):
        seg_italics = [
            (a - segment.start, b - segment.start) for a, b in relative if segment.start <= a < segment.end
        ]
        is_reference = _looks_like_reference(segment, known, marks_titles)
        parsed = read_reference(segment.text, seg_italics, policy=policy) if is_reference else Parsed()
        if parsed.values.get("abbreviation"):
            known.add(abbreviation_key(parsed.values["abbreviation"]))
        if not is_reference:
            parsed.reference_type = "commentary"
        signal_cut = len(parsed.signal) + 1 if parsed.signal else 0
        start = base + segment.start + signal_cut
        rows.append(
            Row(
                citation_id=f"{note['footnote_id']}.{index}",
                footnote_id=note["footnote_id"],
                index=index,
                raw=segment.text[signal_cut:].lstrip(),
                char_start=start + (len(segment.text[signal_cut:]) - len(segment.text[signal_cut:].lstrip())),
                char_end=base + segment.end,
                parsed=parsed,
                is_commentary=not is_reference,
            )
        )
    return rows


def extract_citations(
    footnotes: pl.DataFrame, emphasis_spans: pl.DataFrame, policy: dict[str, str] | None = None
) -> pl.DataFrame:
    """One row per reference (and per commentary stretch) of a document's notes, resolved, without work_id.

    policy overrides the shipped merge policy (rules or model per field); the evaluation compares policies.
    """
    italics = emphasis_spans.filter(pl.col("style") == "italic")
    # OCR that kept italics anywhere in a paper kept them in its notes' titles too.
    italic_documents = set(italics["document_id"].unique())
    spans_by_note: dict[str, list[tuple[int, int]]] = {}
    for span in italics.iter_rows(named=True):
        if span.get("footnote_id"):
            spans_by_note.setdefault(span["footnote_id"], []).append((span["char_start"], span["char_end"]))
    notes = footnotes.filter((pl.col("status") == "ok") & pl.col("text").is_not_null()).sort(
        ["document_id", "number"]
    )
    records: list[dict[str, Any]] = []
    for document_id in notes["document_id"].unique(maintain_order=True):
        rows: list[Row] = []
        known: set[str] = set()
        own = notes.filter(pl.col("document_id") == document_id)
        marks_titles = document_id in italic_documents
        for note in own.iter_rows(named=True):
            spans = sorted(spans_by_note.get(note["footnote_id"], []))
            rows += _note_rows(note, spans, known, policy, marks_titles)
        resolve(rows)
        records += [_record(document_id, row) for row in rows]
    return pl.DataFrame(records, schema=citation_schema(), orient="row") if records else _empty()


def citation_schema() -> dict[str, pl.DataType]:
    """Column types of the citations table as this stage makes it (from schemas/citations.yaml; works
    are attached later by pipeline/extract/works.py)."""
    spec = load_table_spec("citations")
    return {f.name: f.dtype for f in spec.fields if f.name not in ("work_id", RECORD_STATUS)}


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=citation_schema())


def _record(document_id: str, row: Row) -> dict[str, Any]:
    values = row.parsed.values
    record: dict[str, Any] = {
        "citation_id": row.citation_id,
        "document_id": document_id,
        "footnote_id": row.footnote_id,
        "citation_number": row.index,
        "char_start": row.char_start,
        "char_end": row.char_end,
        "raw": row.raw,
        "reference_type": row.parsed.reference_type,
        "signal": row.parsed.signal,
    }
    for name in FIELDS:
        record[name] = values.get(name)
    record["et_al"] = bool(values.get("et_al")) if not row.is_commentary else None
    confidence = _confidence(row)
    record |= {
        "refers_to": row.refers_to,
        "resolution_status": row.resolution_status,
        "resolution_method": row.resolution_method,
        "resolution_note": row.resolution_note,
        "parse_confidence": confidence,
        "parse_method": None if row.is_commentary else row.parsed.method,
        "needs_review": confidence < REVIEW_BELOW,
        "unparsed": " | ".join(row.parsed.unparsed) or None,
    }
    return record
