"""Front matter: where the body starts, and the bibliographic metadata printed before it.

Papers of this kind open with a series number, a title block ("Title ... by Author"), an author note,
institutional boilerplate, a copyright line and an editor line, sometimes a repeated title heading.
The body starts after the last of these landmarks that comes before the first footnote marker.
Chapters and document runs open instead with a bold or ``#`` heading (a second heading right after it is
a subtitle), then perhaps a byline and a date line; those stay in the body as its first blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.text.blocks import HEADING_MARKUP, is_name_shaped
from pipeline.text.inline import clean_inline
from pipeline.text.months import MONTHS

# "(c)" alone opens list items too: as a copyright sign it comes with a year.
COPYRIGHT = re.compile(
    r"^\s*(©|\(c\)(?=\s*(?:[A-Za-z]+\.?\s+)?(?:1[5-9]|20)\d\d)|copyright\b)", re.IGNORECASE
)
EDITED_BY = re.compile(r"^\s*edited by\s+(.+?)\s*$", re.IGNORECASE)
SERIES_NUMBER = re.compile(r"^\s*(?:#|no\.\s*|number\s+)(\d+[a-z]?)\s*$", re.IGNORECASE)
BY_LINE = re.compile(r"^\s*by\s+(.+?)\s*$", re.IGNORECASE)
SERIES_LINE = re.compile(r"^[\w .,'’&-]{3,80}\b(papers|series|reports|studies)$", re.IGNORECASE)
AUTHOR_SEPARATOR = re.compile(r"\s*(?:,\s*and\s+|\s+and\s+|&|;|,)\s*")
DATE_LINE = re.compile(r"^(?:([A-Za-z]+)\.?\s+(?:\d{1,2},?\s+)?)?(1[5-9]\d\d|20\d\d)\.?$")
SUBTITLE_SEPARATOR = " — "
PROSE_WORDS = 20  # a block this long is running text, not a front-matter line
TITLE_BLOCKS = 3  # the title block is among the paper's first blocks (after a series number)
MARKER = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]|<sup>\d|\[\^\d|(?<=\S)\^\d|(?<=[\w.,;:\"”’)])\[\d{1,4}\]")


@dataclass
class FrontMatter:
    """Metadata read from the front matter, and the 0-based line where the body starts."""

    body_start: int
    fields: dict[str, str] = field(default_factory=dict)


def _plain(text: str) -> str:
    return clean_inline(text, with_markers=False).text


def _normalised(text: str) -> str:
    return re.sub(r"[^\w]+", " ", _plain(text)).strip().casefold()


def _blocks(lines: list[str], end: int) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks of lines[:end], with the index of their first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for index in range(end):
        if lines[index].strip():
            if not current:
                first = index
            current.append(lines[index])
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def is_author_line(byline: str) -> bool:
    """What follows "by" in an author line: names ("Hugh Phillips", "A. Smith and B. Jones"), not a
    sentence that happens to start with "by" ("by a recent dispatch from ...")."""
    names = [name for name in AUTHOR_SEPARATOR.split(byline.strip()) if name]
    return bool(names) and all(is_name_shaped(name) and name[0].isupper() for name in names)


def _title_and_author(blocks: list[tuple[int, list[str]]]) -> tuple[dict[str, str], int | None]:
    """The opening block (or pair of blocks) shaped like "Title ... by Author", and the line of its "by".

    Only the paper's opening blocks are read: a title block stands before any running text, and a line
    starting "by" further down is part of the body.
    """
    for position, (first, block) in enumerate(blocks[:TITLE_BLOCKS]):
        plain_lines = [_plain(line).strip("*_# ") for line in block]
        for offset, line in enumerate(plain_lines):
            by = BY_LINE.match(line)
            if not by or not is_author_line(by.group(1)):
                continue
            if offset > 0:
                title = " ".join(plain_lines[:offset])
                return {"title": title, "author": _authors(by.group(1))}, first + offset
            if position > 0:
                title = " ".join(_plain(x).strip("*_# ") for x in blocks[position - 1][1])
                if len(title.split()) < PROSE_WORDS:
                    return {"title": title, "author": _authors(by.group(1))}, first + offset
        if sum(len(line.split()) for line in plain_lines) >= PROSE_WORDS:
            break
    return {}, None


def _authors(byline: str) -> str:
    """Several authors as printed ("A, B and C") joined by "; ", the package's separator."""
    names = [name for name in AUTHOR_SEPARATOR.split(byline.strip()) if name]
    return "; ".join(names)


def _date_line(text: str) -> str | None:
    """A line that is only a date ("March 1998", "1932", "June 4, 2015") as EDTF year or year-month."""
    match = DATE_LINE.match(text.strip())
    if not match:
        return None
    month = MONTHS.get((match.group(1) or "").lower().rstrip("."))
    if match.group(1) and not month:
        return None
    return f"{match.group(2)}-{month:02d}" if month else match.group(2)


def _heading_title_and_byline(blocks: list[tuple[int, list[str]]]) -> dict[str, str]:
    """Title from the opening heading(s) (a second one is a subtitle), author from the byline under them."""
    found: dict[str, str] = {}
    headings: list[str] = []
    position = 0
    while position < len(blocks) and HEADING_MARKUP.match("\n".join(blocks[position][1])):
        headings.append(clean_inline(" ".join(blocks[position][1])).text.strip(" #*_"))
        position += 1
    if not headings:
        return found
    found["title"] = SUBTITLE_SEPARATOR.join(headings[:2])
    for _, block in blocks[position : position + 2]:
        plain = clean_inline(" ".join(block)).text.strip()
        if _date_line(plain):
            continue
        if "author" not in found and (by := BY_LINE.match(plain)) and is_author_line(by.group(1)):
            found["author"] = _authors(by.group(1))
        elif "author" not in found and len(plain.split()) > 1 and is_name_shaped(plain):
            found["author"] = _authors(plain)
        else:
            break
    return found


def _copyright_fields(line: str) -> dict[str, str]:
    plain = _plain(line)
    found = {"copyright": plain}
    date = re.search(r"(?:([A-Za-z]+)\.?\s+)?(1[5-9]\d\d|20\d\d)", plain)
    if date:
        month = MONTHS.get((date.group(1) or "").lower())
        found["date_published"] = f"{date.group(2)}-{month:02d}" if month else date.group(2)
        holder = plain[date.end() :].strip(" ,.")
        if holder:
            found["publisher"] = holder
    return found


def read_front_matter(lines: list[str], body_start_line: int | None = None) -> FrontMatter:
    """Find where the body starts and read title, author, series number, copyright, editor."""
    first_marker = next((i for i, line in enumerate(lines) if MARKER.search(line)), len(lines))
    blocks = _blocks(lines, first_marker)
    fields, by_line = _title_and_author(blocks)
    fields = fields or _heading_title_and_byline(blocks)
    # A "Title ... by Author" block is the paper's front matter, not its first paragraphs.
    landmarks: list[int] = [] if by_line is None else [by_line]
    title_key = _normalised(fields.get("title", "")) or None
    prose_seen = False  # a series number is printed before any running text ("No. 118" later is a despatch's)
    prose_since_landmark = False
    for first, block in blocks:
        joined = " ".join(block)
        # The title repeated as a heading before running text or right after another landmark (a copyright
        # line); once the body has begun, a heading of the same words is a document's own ("Mr. Lund to
        # Mr. Hay" over each letter of a run).
        landmarks_before = len(landmarks)
        if (
            title_key
            and _normalised(joined) == title_key
            and first > blocks[0][0]
            and not prose_since_landmark
        ):
            landmarks.append(first + len(block) - 1)
        for index, line in enumerate(block, start=first):
            if COPYRIGHT.match(_plain(line)):
                fields.update(_copyright_fields(line))
                landmarks.append(index)
            elif edited := EDITED_BY.match(_plain(line)):
                fields["editor"] = edited.group(1)
                landmarks.append(index)
            elif (number := SERIES_NUMBER.match(line)) and not prose_seen:
                fields.setdefault("series_number", number.group(1))
            elif len(block) == 1 and not prose_seen and (date := _date_line(_plain(line))):
                fields.setdefault("date_published", date)
            elif len(block) == 1 and SERIES_LINE.match(_plain(line)):
                fields.setdefault("series", _plain(line))
        prose_seen = prose_seen or len(joined.split()) >= PROSE_WORDS
        if len(landmarks) > landmarks_before:
            prose_since_landmark = False
        elif len(joined.split()) >= PROSE_WORDS:
            prose_since_landmark = True
        author = fields.get("author")
        if author and _plain(joined).startswith(f"{author} is ") and "author_affiliation" not in fields:
            sentence = _plain(joined)[len(author) + 4 :].split(". ")[0].rstrip(".")
            fields["author_affiliation"] = sentence
    if body_start_line is not None:
        start = body_start_line - 1
    elif landmarks:
        start = max(landmarks) + 1
    else:
        start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return FrontMatter(body_start=start, fields=fields)
