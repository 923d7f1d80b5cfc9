"""The documents a paper prints: telegrams, despatches, letters and memoranda as records of their own.

A paper that is a collection (a FRUS chapter, an edition of letters) is a run of documents, each framed by
short blocks: a filing line ("763.72119/1234: Telegram", "File No. 600.119/99"), a heading ("The Minister
in Switzerland (Wilson) to the Secretary of State", "Mr. Tower to Mr. Sherman."), a type line
("[Telegram]"), a dateline ("Berne, July 16, 1927—10 a.m. [Received 10:30 a.m.]"), a printed number
("No. 841"), then the body, a closing and a signature. This module reads those frames from the paragraphs
the text layer made (their texts, not only their block kinds, which older volumes type ``p``) and returns
one row per document with the range of paragraphs it spans. Papers with no such frames have no rows.

Dates are read with ``pipeline.extract.dates``; the words that mark types, enclosures and offices are in
``vocab/document_types.yaml`` and ``vocab/correspondence_cues.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from pipeline.extract import dates
from pipeline.package.schema import rows_to_frame
from pipeline.text.months import MONTHS_AS_PRINTED
from pipeline.vocab import alternation, load_mapping

TABLE = "source_documents"
_CUES = load_mapping("correspondence_cues")
_TYPES: dict[str, str] = {key.lower(): value for key, value in load_mapping("document_types").items()}
_FILE_LABELS = tuple(load_mapping("block_cues")["source_note"])


# A decimal file number: three digits, an optional suffix, a slash and a serial ("763.72119/1234",
# "611.60 d 31/15", "690D.11241/29", "763.72119/3302½"), alone on its line or followed by ": Telegram".
# A collection's name may come first ("Paris Peace Conf. 183.7/2").
_FILE_NUMBER = re.compile(
    r"^(?:[A-Z][\w.]*\s+){0,4}\d{1,4}(?:[.\s]?[0-9A-Za-z]+){0,4}/\d+(?:[A-Za-z]\b|[½¼¾]|\b)"
)
# A file number alone on its line, whatever follows the slash ("711.379/orig.", "711.3721/—").
_FILE_TOKEN = re.compile(r"^\d{3}[\w.]*/\S*$")
# A decimal file number with a subject inside ("740.0011 Mutual Guarantee (Mediterranean)/51: Telegram").
_FILE_SUBJECT = re.compile(r"^\d{3}\.\w+ [^/]{1,80}/\w+")
# A publication series' number alone on its line ("Treaty Series No. 709").
_SERIES_LINE = re.compile(rf"^(?:[A-Z][\w-]+\s+){{1,4}}(?:{alternation(_CUES['serial'])})\s*\d+[A-Za-z]?\.?$")
_FILE_LABEL = re.compile(rf"^(?:{alternation(_FILE_LABELS)})\s+\S")
_TYPE_WORDS = alternation(_TYPES)
# A filing line naming its source and type ("Edward M. House Papers: Telegram") or an archive's papers
# alone or with the file's subject ("Breckinridge Long Papers", "War Trade Board Files: Canal Tolls").
_ARCHIVE_LINE = re.compile(
    rf"^(?P<owner>[A-Z][^!?:]{{2,80}}?)"
    rf"(?::\s*(?i:{_TYPE_WORDS})\.?|\s(?i:{alternation(_CUES['archive'])})(?::[^.!?:]{{1,60}})?)$"
)
_ENCLOSURE = re.compile(rf"^[\[(]?\s*(?:{alternation(_CUES['enclosure'])})\b")
_TYPE_IN = re.compile(rf"(?<![\w-])(?i:{_TYPE_WORDS})(?![\w-])")
_SERIAL = re.compile(rf"^(?:{alternation(_CUES['serial'])})\s*(\d+[A-Za-z]?)\b[.\]\s]*$")
_LEADING_SERIAL = re.compile(r"^(\d{1,5})\.\s")
_OFFICE_TO = re.compile(rf"\b(?:{alternation(_CUES['office_to'])})$")
_DELIVERY_NOTE = re.compile(rf"(?:{alternation(_CUES['delivery_notes'])})\s+(?:to|at|by|in|from|with)\b")
_RECEIVED = re.compile(rf"[\[(]\s*\*?(?:{alternation(_CUES['received'])})\b([^\])]*)[\])]")
_MONTH = alternation(MONTHS_AS_PRINTED)
# A printed date in a dateline: "July 16, 1927", "28 December, 1918", "Dec. 27, 1897".
_DATE = re.compile(
    rf"(?:\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})|(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?),?\s+1\d{{3}}"
)
_CLOCK = re.compile(r"(\d{1,2})(?:[.:](\d{2}))?\s*([ap])\.\s?m\.?", re.I)
_TIME_WORD = re.compile(rf"\b(?:{alternation(_CUES['time_words'])})\b", re.I)
# "A to B": the heading of a letter or telegram; "to" splits it unless an office takes it ("Minister to").
_TO = re.compile(r"\s+to\s+(?=(?:the\s+)?[A-Z\u00c0-\u024f])")
_PARENTHESISED = re.compile(r"\(([A-Z\u00c0-\u024f][^()]*)\)")
_PARTICLES = ("von", "van", "de", "du", "del", "da", "do", "dos", "der", "di", "la", "le")
_LEADING_ARTICLE = re.compile(r"^(?:the|The)\s+")
_TITLES = sorted(
    {word.rstrip(".") for word in load_mapping("honorifics")} | set(_CUES["name_titles"]),
    key=len,
    reverse=True,
)
# A title before a name ("Mr. Tower", "Baron von Thielmann"): the name is what follows it.
_HONORIFIC = re.compile(
    rf"^(?:{alternation(_TITLES)})\.?\s+(?=[A-Z\u00c0-\u024f]|(?:{alternation(_PARTICLES)})\s)"
)
_UNDATED = re.compile(rf"\b(?:{alternation(load_mapping('block_cues')['undated'])})(?!\w)")
_HEADING_MAX = 700  # compilations describe a paper in a heading of several lines
_PLAIN_HEADING_MAX = 120
_JOINING_WORDS = frozenset(load_mapping("block_cues")["closer_joiner"]) | {
    "in",
    "at",
    "on",
    "to",
    "y",
    *_PARTICLES,
}
_FRAME_MAX = 200
# A firm or body after a person's full name: " of " after two words or more.
_NAME_OF_BODY = re.compile(r"^(\S+(?:\s+\S+)+?)\s+of\s+[A-Z].*$")
# An elided particle in an office or name ("Chargé d’Affaires", "Chargé d'affaires").
_ELIDED_PARTICLE = re.compile(r"^d[’']\w")
# A heading that names its author after its type: "Memorandum by the Chief of the Division (Wilson)",
# "Press Release Issued by the Department of State, March 2, 1934", "Memorandum by Mr. Hugh Doe, of ...".
_BY_AUTHOR = re.compile(
    rf"^(?i:{_TYPE_WORDS})(?:(?:\s+(?i:issued|prepared|drawn\s+up))?\s+by\s+(?=[A-Zt])"
    rf"|\s+of\s+(?=the\s+(?!(?i:conversations?|interviews?|meetings?|discussions?)\b)"
    rf"[A-Z][^()]*\([A-Z\u00c0-\u024f][^()]*\)\.?$))"
)
# "Memorandum of the Counselor (Doe)": "of" names the author only before an office with its holder's name.
# Where the author's stretch ends: a conversation the memorandum records, a date, a comma.
_AUTHOR_END = re.compile(r"\s+(?:of\s+(?:a\s+)?[Cc]onversations?|on)\s|,")
# A named author's division or office after the name ("Mr. Hugh Doe of the Division of ... Affairs").
_AUTHOR_UNIT = re.compile(r"\s+of\s+the\s+(?:Division|Office)\b")


@dataclass
class _Block:
    number: int
    paragraph_id: str
    text: str
    kind: str
    char_start: int


@dataclass
class _Document:
    first: int
    last: int
    rows: dict = field(default_factory=dict)


def is_filing_line(text: str) -> bool:
    """A filing or file-number line that opens a document ("File No. 600.119/99", "711.19/200a: Telegram")."""
    text = text.strip()
    if len(text) > 120:
        return False
    if (
        _FILE_NUMBER.match(text)
        or _FILE_LABEL.match(text)
        or _FILE_TOKEN.match(text)
        or _FILE_SUBJECT.match(text)
        or _SERIES_LINE.match(text)
    ):
        return True
    archive = _ARCHIVE_LINE.match(text)
    return bool(archive) and _names_only(archive.group("owner"))


def is_enclosure_line(text: str) -> bool:
    """A line that says the next document is enclosed in the one before ("[Enclosure 1—Translation]")."""
    return len(text) < _FRAME_MAX and bool(_ENCLOSURE.match(text.strip()))


def split_heading(heading: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The (start, end) offsets of sender and recipient in an "A to B" heading, or None.

    The split is the first " to " after a closing parenthesis (the sender's name), else the first one not
    taken by an office ("the Minister to Switzerland").
    """
    text = heading.rstrip()
    candidates = [m for m in _TO.finditer(text) if not _OFFICE_TO.search(text[: m.start()])]
    if not candidates:
        return None
    after_name = [m for m in candidates if text[: m.start()].endswith(")")]
    split = (after_name or candidates)[0]
    end = len(text.rstrip(".:;, "))
    if split.start() == 0 or split.end() >= end:
        return None
    return (0, split.start()), (split.end(), end)


def _looks_like_heading(block: _Block) -> bool:
    text = block.text.strip()
    if not text or len(text) > _HEADING_MAX or not (text[0].isupper() or text[0] == "["):
        return False
    if block.kind == "heading":
        return not text.startswith("[")
    # Older volumes print the heading as a plain line: a short "A to B" of names and offices only.
    spans = split_heading(text) if len(text) < _PLAIN_HEADING_MAX and text[0] != "[" else None
    return spans is not None and all(_names_only(text[start:end]) for start, end in spans)


def _names_only(part: str) -> bool:
    """Every word capitalised (a name, title or office) or a short joining word ("of", "the", "von")."""
    words = re.findall(r"[^\s,()]+", part)
    return bool(words) and all(
        w[0].isupper() or w[0].isdigit() or w in _JOINING_WORDS or w == "&" or _ELIDED_PARTICLE.match(w)
        for w in words
    )


def _is_correspondence_heading(block: _Block) -> bool:
    spans = split_heading(block.text) if _looks_like_heading(block) else None
    return spans is not None and _names_only(block.text[spans[0][0] : spans[0][1]])


def _document_type_of(texts: list[str]) -> str | None:
    """The type the type line, filing line or heading states: the first text that names one."""
    for text in texts:
        found = [
            (m.end() - m.start(), -m.start(), _TYPES[m.group(0).lower()]) for m in _TYPE_IN.finditer(text)
        ]
        if found:
            return max(found)[2]
    return None


def _heading_type(heading: str) -> str | None:
    """A heading states its type in its first words ("Memorandum by ...", "Aide-Mémoire ...")."""
    match = _TYPE_IN.match(heading.strip())
    return _TYPES[match.group(0).lower()] if match else None


def _party(heading: str, span: tuple[int, int]) -> dict:
    """Sender or recipient from its stretch of the heading: the text, the person's name and the office."""
    start, end = span
    raw = heading[start:end]
    stripped = raw.strip().rstrip(".,;:")
    lead = len(raw) - len(raw.lstrip())
    start, end = start + lead, start + lead + len(stripped)
    text = heading[start:end]
    name = office = None
    name_start = name_end = None
    parenthesised = _PARENTHESISED.search(text)
    if parenthesised:
        name = parenthesised.group(1).strip()
        name_start = start + parenthesised.start(1)
        name_end = name_start + len(parenthesised.group(1))
        office = _LEADING_ARTICLE.sub("", text[: parenthesised.start()]).strip() or None
    else:
        body = _LEADING_ARTICLE.sub("", text)
        honorific = _HONORIFIC.match(body)
        if honorific:
            name = body[honorific.end() :].strip()
            # "Mr. Thomas Doe of Doe & Co.": the person, not the firm after "of".
            name = _NAME_OF_BODY.sub(r"\1", name)
            name_start = start + (len(text) - len(body)) + honorific.end()
            name_end = name_start + len(name)
        else:
            office = body.strip() or None
    return {
        "text": text,
        "start": start,
        "end": end,
        "name": name,
        "name_start": name_start,
        "name_end": name_end,
        "office": office,
    }


def authored_heading(heading: str) -> bool:
    """A heading that names its author after its type ("Memorandum by the Legal Adviser (Doe)")."""
    return bool(_BY_AUTHOR.match(heading.strip()))


def _author_from_by(heading: _Block, rows: dict) -> None:
    """The sender of a document headed "<type> by <author>": the author's office and name, as in an
    "A to B" heading; none where the author is not a capitalised name or office."""
    text = heading.text
    by = _BY_AUTHOR.match(text.strip())
    if by is None:
        return
    start = len(text) - len(text.lstrip()) + by.end()
    rest = text[start:]
    cut = _AUTHOR_END.search(rest)
    rest = rest[: cut.start()] if cut else rest.rstrip().rstrip(".")
    closing = rest.find(")")
    named = "(" in rest and closing > rest.find("(")
    rest = rest[: closing + 1] if named else _AUTHOR_UNIT.split(rest)[0]
    end = start + len(rest)
    if not _names_only(_LEADING_ARTICLE.sub("", text[start:end])):
        return
    party = _party(text, (start, end))
    rows["sender"] = party["text"]
    rows["sender_name"] = party["name"]
    rows["sender_office"] = party["office"]
    rows["sender_char_start"] = heading.char_start + party["start"]
    rows["sender_char_end"] = heading.char_start + party["end"]


def _time_of(text: str) -> str | None:
    """The clock time a dateline prints ("6 p.m.", "10.50 a.m.", "noon") as HH:MM:SS, or None."""
    clock = _CLOCK.search(text)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
        if hour > 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if clock.group(3).lower() == "p" else 0)
        return f"{hour:02d}:{minute:02d}:00"
    word = _TIME_WORD.search(text)
    if word:
        return f"{_CUES['time_words'][word.group(0).lower()]}:00"
    return None


def _dateline_match(text: str) -> re.Match[str] | re.Match[str] | None:
    """The date of a dateline: a short block whose date comes early (after a place) or is all it has; for
    a dateline that prints "undated", that word (its received note may still give a date)."""
    if len(text) > _FRAME_MAX:
        return None
    undated = _UNDATED.search(text)
    match = _DATE.search(text)
    if undated and (match is None or undated.start() < match.start()) and undated.start() < 120:
        return undated
    if match is None or match.start() > 120:
        return None
    before = text[: match.start()]
    opened = before.count("[") > before.count("]") or before.count("(") > before.count(")")
    note = re.sub(r"[\[\]()*]", "", before).strip()
    if opened and (not _names_only(note) or _DELIVERY_NOTE.match(note)):
        return None  # a date inside an editor's note ("[Handed to Mr. Adee by Mr. Wu, May 2, 1900.]")
    return match


def _place_of(text: str, date_start: int) -> str | None:
    place = text[:date_start].replace("*", "")
    place = re.sub(r"[\[\]]", "", place).strip().rstrip(",;:—-").strip()
    return place or None


def _with_time(day: str | None, time: str | None) -> str | None:
    if day is None or time is None or len(day) != 10:
        return day
    return f"{day}T{time}"


def _titled_series_line(blocks: list[_Block], filing: list[bool], i: int) -> bool:
    """A series line ("Treaty Series No. 743") printed under its document's title, which names a type
    ("Convention Between ..., Signed at London"), with the text right below: the title opens the document."""
    return (
        0 < i < len(blocks) - 1
        and bool(_SERIES_LINE.match(blocks[i].text.strip()))
        and blocks[i - 1].kind == "heading"
        and not filing[i - 1]
        and blocks[i + 1].kind != "heading"
        and _heading_type(blocks[i - 1].text) is not None
    )


def _segment(blocks: list[_Block]) -> list[_Document]:
    """Documents as (first, last) block indices: each starts at a filing line or, where the paper prints
    none before its headings, at a correspondence heading that no enclosure line introduces."""
    filing = [is_filing_line(b.text) for b in blocks]
    uses_filing_lines = any(filing)
    starts: list[int] = []
    for i, block in enumerate(blocks):
        if filing[i]:
            # A number between a dateline and the text is the writer's own reference ("No. W 1946/5/98").
            own_reference = 0 < i < len(blocks) - 1 and blocks[i - 1].kind == "dateline"
            own_reference = own_reference and blocks[i + 1].kind != "heading"
            if not (i and filing[i - 1]) and not own_reference:
                starts.append(i - 1 if _titled_series_line(blocks, filing, i) else i)
            continue
        if not _looks_like_heading(block) or is_enclosure_line(block.text):
            continue  # an "Appendix A." heading, like an enclosure line, goes on with the document it is in
        if i and (filing[i - 1] or is_enclosure_line(blocks[i - 1].text)):
            continue
        # A heading right after section headings opens a document (a treaty, an announcement) ...
        follows_section = i == 0 or blocks[i - 1].kind == "heading"
        next_kind = blocks[i + 1].kind if i + 1 < len(blocks) else "heading"
        if (follows_section and next_kind != "heading" and not filing[i + 1]) or (
            not uses_filing_lines
            and (_is_correspondence_heading(block) or (block.kind == "heading" and next_kind != "heading"))
        ):
            starts.append(i)
    documents = []
    for position, first in enumerate(starts):
        last = (starts[position + 1] if position + 1 < len(starts) else len(blocks)) - 1
        # Section headings between two documents belong to neither.
        while last > first and blocks[last].kind == "heading" and not is_enclosure_line(blocks[last].text):
            last -= 1
        documents.append(_Document(first, last))
    return documents


def _describe(document: _Document, blocks: list[_Block], datelines: list) -> None:
    """Fill one document's frame fields from its first blocks (and its last, for a closing dateline)."""
    rows = document.rows
    span = blocks[document.first : document.last + 1]
    head: list[_Block] = []
    for block in span:
        if len(head) >= 8:
            break
        head.append(block)
        if len(block.text) > _FRAME_MAX and block.kind not in ("heading",):
            break
    filing = next((b for b in head[:2] if is_filing_line(b.text)), None)
    heading = next((b for b in head if b is not filing and _looks_like_heading(b)), None)
    rows["file_number"] = filing.text.strip() if filing else None
    rows["heading"] = heading.text.strip() if heading else None
    rows["heading_paragraph_id"] = heading.paragraph_id if heading else None
    after_heading = [b for b in head if heading is None or b.number > heading.number]
    type_lines = [
        b.text for b in after_heading[:3] if b.text.strip().startswith("[") and len(b.text) < _FRAME_MAX
    ]
    stated = _document_type_of(type_lines)
    if stated is None and filing is not None and ":" in filing.text:
        stated = _document_type_of([filing.text.split(":", 1)[1]])
    if stated is None and heading is not None:
        stated = _heading_type(heading.text)
    rows["document_type"] = stated
    for role in ("sender", "recipient"):
        for suffix in ("", "_name", "_office", "_char_start", "_char_end"):
            rows[role + suffix] = None
    if heading is not None:
        spans = split_heading(heading.text)
        # The sender is a name or an office, all capitalised ("Memorandum in response to ..." has none).
        # A title-cased heading that opens with its type ("Memorandum in Reply to the Note") has no sender.
        opens_with_type = _heading_type(heading.text) is not None
        if spans is not None and not opens_with_type and _names_only(heading.text[spans[0][0] : spans[0][1]]):
            for role, part in zip(("sender", "recipient"), spans, strict=True):
                party = _party(heading.text, part)
                rows[role] = party["text"]
                rows[role + "_name"] = party["name"]
                rows[role + "_office"] = party["office"]
                rows[role + "_char_start"] = heading.char_start + party["start"]
                rows[role + "_char_end"] = heading.char_start + party["end"]
        elif spans is None or opens_with_type:
            _author_from_by(heading, rows)
    serial = next((m.group(1) for b in after_heading[:4] if (m := _SERIAL.match(b.text.strip()))), None)
    rows["printed_number"] = serial
    dateline = None
    for block in [*after_heading[:4], *span[-2:]]:
        if block is filing or block is heading:
            continue
        match = _dateline_match(block.text)
        if match:
            dateline = (block, match)
            break
    rows["dateline"] = rows["place"] = rows["dateline_paragraph_id"] = None
    if dateline is not None:
        block, match = dateline
        rows["dateline"] = block.text.strip()
        rows["dateline_paragraph_id"] = block.paragraph_id
        rows["place"] = _place_of(block.text, match.start())
        datelines.append((document, block, match))


def _date_dateline(documents_with_datelines: list, document_id: str) -> None:
    """Sent and received dates of every dateline, read in one pass of ``dates.find_time_expressions``."""
    if not documents_with_datelines:
        return
    sentences = pl.DataFrame(
        {
            "sentence_id": [f"{document_id}:dl{i}" for i in range(len(documents_with_datelines))],
            "document_id": [document_id] * len(documents_with_datelines),
            "char_start": [i * 1000 for i in range(len(documents_with_datelines))],
            "text": [block.text for _, block, _ in documents_with_datelines],
        }
    )
    found = dates.find_time_expressions(sentences)
    by_sentence: dict[str, list[dict]] = {}
    for row in found.iter_rows(named=True):
        by_sentence.setdefault(row["sentence_id"], []).append(row)
    for i, (document, block, match) in enumerate(documents_with_datelines):
        text = block.text
        received = _RECEIVED.search(text)
        expressions = [
            row
            for row in by_sentence.get(f"{document_id}:dl{i}", [])
            if row["edtf"] and row["precision"] in ("day", "month", "year")
        ]
        offset = i * 1000
        sent = None
        if not _UNDATED.match(text, match.start()):
            sent = next((r for r in expressions if r["char_start"] - offset >= match.start()), None)
        sent_day = sent["edtf"] if sent else None
        before_received = text[match.end() : received.start()] if received else text[match.end() :]
        document.rows["date_sent"] = _with_time(sent_day, _time_of(before_received))
        received_day = None
        if received:
            inside = [r for r in expressions if received.start() <= r["char_start"] - offset < received.end()]
            received_day = inside[0]["edtf"] if inside else sent_day
            document.rows["date_received"] = _with_time(received_day, _time_of(received.group(1)))
        else:
            document.rows["date_received"] = None


def find_source_documents(paragraphs: pl.DataFrame, document_id: str) -> pl.DataFrame:
    """One row per document the paper prints, in reading order; none for a paper that is not a collection.

    ``paragraphs`` is the text layer's paragraphs table of one paper (all block kinds, reading order).
    """
    blocks = [
        _Block(
            row["paragraph_number"],
            row["paragraph_id"],
            row["text"] or "",
            row["block_kind"],
            row["char_start"],
        )
        for row in paragraphs.sort("paragraph_number").iter_rows(named=True)
    ]
    documents = _segment(blocks)
    datelines: list = []
    for document in documents:
        _describe(document, blocks, datelines)
    # A paper none of whose "documents" has a correspondence heading, a dateline or a filing line is not
    # a collection.
    if not any(d.rows["sender"] or d.rows["dateline"] or d.rows["file_number"] for d in documents):
        documents, datelines = [], []
    for document in documents:
        document.rows.setdefault("date_sent", None)
        document.rows.setdefault("date_received", None)
    _date_dateline(datelines, document_id)
    rows = []
    for number, document in enumerate(documents, start=1):
        first, last = blocks[document.first], blocks[document.last]
        serial = document.rows["printed_number"]
        if serial is None and document.rows["document_type"] == "telegram":
            # A telegram's serial opens its text: the first block after its dateline (or heading).
            frame_ids = (document.rows["dateline_paragraph_id"], document.rows["heading_paragraph_id"])
            after = max((b.number for b in blocks if b.paragraph_id in frame_ids), default=None)
            body = next(
                (b for b in blocks[document.first : document.last + 1] if after and b.number > after), None
            )
            leading = _LEADING_SERIAL.match(body.text) if body else None
            serial = leading.group(1) if leading else None
        rows.append(
            {
                **document.rows,
                "source_document_id": f"{document_id}:sd{number:03d}",
                "document_id": document_id,
                "number_in_paper": number,
                "printed_number": serial,
                "first_paragraph_id": first.paragraph_id,
                "last_paragraph_id": last.paragraph_id,
                "paragraph_count": document.last - document.first + 1,
            }
        )
    return rows_to_frame(TABLE, rows)
