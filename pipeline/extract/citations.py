"""Footnote citations: split notes into references and commentary, parse fields, resolve Ibid./short forms.

Everything here is general rules over the cleaned note text plus the italic spans inside it (italics mark
titles of books, journals and newspapers). A note is cut into segments (sentences, then ``;``, then
`` and `` between two complete references); each segment is cut into tokens (italic runs, quoted runs,
parenthesised groups and comma-separated plain pieces) and the tokens are read left to right. Referring
forms (``Ibid.``, short titles, abbreviations defined with "Hereafter cited as") are resolved against the
earlier citations of the same document; a fuzzy or ambiguous match is kept but flagged as uncertain.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

import polars as pl

from pipeline.extract import reference_model
from pipeline.package.schema import RECORD_STATUS, load_table_spec
from pipeline.text.months import MONTHS
from pipeline.vocab import load_mapping

FIELDS = (
    "authors",
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
    "sender",
    "recipient",
    "interviewee",
    "abbreviation",
)

SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
MONTH_RE = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DASH = r"\s*[-–—]\s*"
DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})(?:{DASH}(\d{{1,2}}))?\s+({MONTH_RE})\s+(\d{{4}})$", re.I)
MONTH_DAY_YEAR = re.compile(rf"^({MONTH_RE})\s+(\d{{1,2}})(?:{DASH}(\d{{1,2}}))?,?\s+(\d{{4}})$", re.I)
MONTH_DAY = re.compile(rf"^{MONTH_RE}\s+\d{{1,2}}$", re.I)
MONTH_YEAR = re.compile(rf"^({MONTH_RE})\s+(\d{{4}})$", re.I)
SEASON_YEAR = re.compile(r"^(spring|summer|autumn|fall|winter)\s+(\d{4})$", re.I)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
BARE_YEAR = re.compile(r"^(\d{4})$")

CITATION_WORDS = load_mapping("citation_words")


def _alternation(words: list[str]) -> str:
    """A regex alternation of a vocabulary's words, in its order; "word*" matches words it begins."""
    return "|".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words)


# Words after which a period does not end a sentence inside a note.
ABBREVIATIONS = set(CITATION_WORDS["note_abbreviations"])
INSTITUTION_WORDS = re.compile(rf"\b({_alternation(CITATION_WORDS['institution'])})\b")
GOVERNMENT_WORDS = re.compile(rf"\b({_alternation(CITATION_WORDS['government'])})\b")
ARCHIVE_WORDS = re.compile(rf"\b({_alternation(CITATION_WORDS['archive'])})\b")
COLLECTION_RE = re.compile(rf"^(?:.+\s)?({_alternation(CITATION_WORDS['collection'])})$|^Papers of ")
NEWSPAPER_WORDS = re.compile(rf"\b({_alternation(CITATION_WORDS['newspaper'])})\b")
SIGNAL = re.compile(rf"^({_alternation(CITATION_WORDS['signal'])})\s+(?=\S)", re.I)
HEREAFTER = re.compile(r"(?:^|[.,;]\s*|\()\s*[Hh]ereafter(?: cited as| referred to as)?\s+(.+?)\)?\.?$")
IBID = re.compile(r"^Ibid\.?,?\s*(.*)$", re.I)
CORRESPONDENCE = re.compile(
    rf"^(?:(?P<kind>{_alternation(CITATION_WORDS['correspondence'])})\s+"
    r"(?:from|of|by)\s+)?(?P<sender>[A-Z][\w.'’\- ]*?)\s+to\s+(?P<recipient>(?:the\s+)?[A-Z][\w.,'’\-() ]*)$"
)
AUTHORED_DOCUMENT = re.compile(
    rf"^(?P<kind>{_alternation(CITATION_WORDS['authored_document'])})\s+(?:by|of)\s+"
    r"(?P<author>[A-Z][\w.'’\- ]*)$"
)
INTERVIEW = re.compile(r"^Interview (?:with|of) (?P<who>.+)$", re.I)
INTERVIEW_BY = re.compile(r"^interview(?:ed)? by (?:the )?author$", re.I)
HONORIFIC = re.compile(rf"^(?:{_alternation(CITATION_WORDS['interviewee_title'])})\s+")
BOX = re.compile(r"^Box(?:es)?\s+(\S+(?:\s*[-–]\s*\S+)?)$", re.I)
FOLDER = re.compile(r"^(?:Folder|File|Fol\.)\s+(\S+)$", re.I)
RECORD_GROUP = re.compile(r"^(?:Record Group|RG)\s+(\d+[A-Za-z]?)$")
# Further shelf marks kept as written in file_number: rolls, reels, entries, lots, cases, items, Russian
# fond/opis/delo/list (f., op., d., l.), microfilm publication codes (M862, T 1249). A number that looks
# like a year is not a shelf mark ("Jourdan, F. 2011" is an initial and a year).
SHELF_MARK = re.compile(
    r"^(?:(?:Roll|Reel|Entry|Lot|Case|Item|Fond|Opis[’']?|Op\.|Delo|D\.|d\.|List|L\.|l\.|ll\.|Ll\.|op\.|"
    r"f\.|F\.|Busta|b\.|fasc\.|Fasc\.|Fascicolo|Carton|Dossier|Bestand|Signatur)"
    r"\s*(?!(?:1[5-9]|20)\d\d\b)\d[\w./\-–]*|[MT]\s?\d{2,4})$",
    re.I,
)
MICROFILM = re.compile(
    r"^(?P<archive>.*?)\s*Microfilm(?: Publication)?(?: Number| No\.)?\s+(?P<number>[A-Z]?\s?\d+)$", re.I
)
DECIMAL_FILE = re.compile(r"^\d{2,4}\.[\w.]+(?:\s[A-Z]{1,4})?/\s?[\w\-–]+$")
ACRONYM_ARCHIVE = re.compile(r"^[A-Z]{3,6}$")
PAGES = r"(?:[\dIVXLCivxlc]+[a-z]?(?:\s*[-–]\s*[\dIVXLCivxlc]+)?)"
LOCATOR = re.compile(
    rf"^(?:(?P<year>\d{{4}})\s*:\s*)?(?:(?:vol\.\s*)?(?P<volume>\d+|[IVXLC]+)\s*:\s*)?(?:pp?\.\s*)?"
    rf"(?P<pages>{PAGES}(?:\s*,\s*{PAGES})*)$"
)
NOTE_LOCATOR = re.compile(r"^(?:note|n\.|nn\.)\s*\d+[a-z]?$", re.I)
VOLUME_ONLY = re.compile(r"^vol\.\s*(\d+|[IVXLC]+)$", re.I)
NUMBER_OF_VOLUMES = re.compile(r"^(\d+)\s+vols?\.?$")
EDITION = re.compile(r"^(\d+(?:st|nd|rd|th)|rev\.|revised|new)\s+ed(?:\.|ition)?$", re.I)
EDITOR_MARK = re.compile(r"^(?:eds?\.|editors?|ed\. by|edited by)$", re.I)
ET_AL = re.compile(r"^et al\.?$")
NAME_SUFFIX = re.compile(r"^(?:Jr\.?|Sr\.?|II|III|IV)$")
PUBFACTS_COLON = re.compile(
    r"^(?P<place>[^:\d][^:]*?):\s*(?:(?P<publisher>[^,\d][^:]*?),\s*)?(?P<year>\d{4}(?:\s*[-–]\s*(?:\d{2,4})?)?)$"
)
PUBFACTS = re.compile(
    r"^(?:(?P<place>[^:,\d][^:]*?)\s*[:,]\s*)?(?:(?P<publisher>[^,\d][^,]*?),\s*)?"
    r"(?P<year>\d{4}(?:\s*[-–]\s*(?:\d{2,4})?)?)$"
)
PLACE_PUBLISHER = re.compile(r"^(?P<place>[A-Z][^:]*?):\s*(?P<publisher>[A-Z].*)$")
SEASON_PAREN = re.compile(r"^(?P<issue>Spring|Summer|Autumn|Fall|Winter)\s+(?P<year>\d{4}(?:[-–/]\d{2,4})?)$")
AUTHOR_DATE = re.compile(
    r"^(?P<names>[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+)?(?:\s+et al\.)?),?\s+"
    r"(?P<year>\d{4}[a-z]?)(?:\s*[,:]\s*(?P<pages>.+?))?\.?$"
)
# An author-date (APA-style) head on its own: "Miller, J. A., & Lee, B. (2003)".
AUTHOR_YEAR_FRAGMENT = re.compile(
    r"[A-Z][\w'’\-]+,\s+(?:[A-Z][\w'’\-]*\.?\s?)+(?:,?\s+(?:(?:and|&)\s+)?[A-Z][\w.,'’\- ]+)*"
    r"\s*\((?:\d{4}[a-z]?|n\.d\.)\)"
)
NAME_WORD = re.compile(r"^(?:[A-Z][\w'’\-]*\.?|(?:[A-Z]\.)+[A-Z]?\.?|de|van|von|der|la|le|du|di|da|al-)$")

# Patterns of the token readers, compiled once.
QUOTED_OR_PARENTHESISED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»|\([^()]*\)")
SENTENCE_END = re.compile(r"\.[”\"’)]?\s+(?=[A-Z“\"(])")
WORD_RUN = re.compile(r"[\w.'’]+")
INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")
COMMA_PIECE = re.compile(r"[^,]+")
# Pieces whose final period belongs to them ("ed.", "pp.", "et al."), lower-cased; at most five letters.
PERIOD_ABBREVIATIONS = frozenset({"ed", "eds", "vols", "et al", "p", "pp", "jr", "sr"})
ENDS_IN_INITIAL = re.compile(r"(?:^|[\s.])[A-Z]$")
ENDS_IN_IN = re.compile(r"^(.*?)\s+in$")
IN_CONTAINER = re.compile(r"^(.*?)\s+in\s+([A-Z].*)$")
STARTS_WITH_IN = re.compile(r"^in\s+(.+)$")
UNDATED = re.compile(r"(?i)undated|n\.d\.")
DAY_NUMBER = re.compile(r"\d{1,2}")
EDITED_BY = re.compile(
    r"^(?:eds?\.|edited by|a cura di|hrsg\. von|hg\. von|herausgegeben von|éd\. par|sous la direction de)"
    r"\s+(.+)$",
    re.I,
)
VOLUMES_COUNT = re.compile(r"^(\d+)\s+vols?\.?\s*$")
DIGIT = re.compile(r"\d")
NUMBER = re.compile(r"\d+")
ISSUE_NUMBER = re.compile(r"(?i)(?:no\.|issue)\s*(\d+)")
FINAL_WORD = re.compile(r"([\w.]+)\.$")


@dataclass
class Token:
    """A piece of a reference: an italic run, a quoted run, a parenthesised group or a plain piece."""

    kind: str
    text: str
    start: int
    end: int


@dataclass
class Segment:
    """A stretch of one note: a reference or commentary, with offsets relative to the note text."""

    start: int
    end: int
    text: str
    italics: list[tuple[int, int]] = field(default_factory=list)

    @property
    def stripped(self) -> str:
        return self.text


@lru_cache(maxsize=65536)
def _normalise(text: str) -> str:
    """Lower-case ASCII word string, for matching titles and names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _protected_spans(text: str, italics: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Italic runs, quotations and parentheses: no segment or token boundary falls inside them."""
    spans = list(italics)
    for match in QUOTED_OR_PARENTHESISED.finditer(text):
        spans.append((match.start() + 1, match.end() - 1))
    return spans


# ---------------------------------------------------------------- segmenting a note


def _last_word(text: str, end: int) -> str:
    """The run of word characters, periods and apostrophes that ends text[:end] (what a search for
    ``[\\w.'’]+$`` finds, without trying every position before it)."""
    if end and text[end - 1] == "\n":
        end -= 1
    match = WORD_RUN.match(text[end - 1 :: -1]) if end else None
    return match.group()[::-1] if match else ""


def _sentence_cuts(text: str, protected: list[tuple[int, int]]) -> list[int]:
    """Offsets where a new sentence starts inside a note."""
    if "." not in text:
        return []
    cuts = []
    for match in SENTENCE_END.finditer(text):
        dot = match.start()
        closes_quote = text[dot + 1 : dot + 2] in ("”", '"')
        if _inside(dot, protected) and not closes_quote:
            continue
        previous = _last_word(text, dot)
        bare = previous.lower().rstrip(".")
        if bare in ABBREVIATIONS or INITIALS.fullmatch(previous):
            continue
        if text[max(0, dot - 5) : dot] == "et al":
            continue
        cuts.append(match.end())
    return cuts


def _split_at(segment: Segment, pattern: re.Pattern[str], protected: list[tuple[int, int]], keep) -> list:
    """Split a segment at matches of pattern (outside protected spans) accepted by keep(left, right)."""
    pieces, start = [], 0
    for match in pattern.finditer(segment.text):
        if _inside(segment.start + match.start(), protected):
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
    return Segment(start, start + len(text), text, segment.italics)


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
    if parts and all(_is_location(p) for p in parts):
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


@lru_cache(maxsize=65536)
def _is_location(part: str) -> bool:
    return bool(
        BOX.match(part)
        or FOLDER.match(part)
        or RECORD_GROUP.match(part)
        or SHELF_MARK.match(part)
        or MICROFILM.match(part)
        or DECIMAL_FILE.match(part)
        or (ARCHIVE_WORDS.search(part) and not DIGIT.search(part))
    )


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


def _looks_like_reference(segment: Segment, known_abbreviations: set[str]) -> bool:
    """Commentary is prose: mostly lower-case words, no italic title, no reference furniture."""
    text = segment.text
    has_italic = any(segment.start <= a < segment.end for a, _ in segment.italics)
    if has_italic or IBID.match(text) or HEREAFTER.search(text):
        return True
    if re.search(r"[“\"][^”\"]+,[”\"]", text) or re.search(r"\([^()]*\b\d{4}\b[^()]*\)", text):
        return True
    if INTERVIEW.match(text) or CORRESPONDENCE.match(text.split(",")[0].strip()):
        return True
    if any(_is_location(p.strip()) for p in text.rstrip(".").split(",")):
        return True
    if AUTHOR_DATE.match(text) or _normalise(text.split(",")[0]) in known_abbreviations:
        return True
    return not _is_prose(text)


def _is_prose(text: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’\-]*", text)
    lower = sum(1 for w in words if w[0].islower())
    return len(words) >= 6 and lower / len(words) >= 0.4


def _is_lead_in(left: str, right: str) -> bool:
    """A colon ends a prose lead-in ("For more, the reader may consult: Author, Title") before a reference."""
    return _is_prose(left) and bool(re.match(r"\s*[A-Z]", right)) and not _is_prose(right)


def segment_note(text: str, italics: list[tuple[int, int]]) -> list[Segment]:
    """Cut a note into reference-sized segments (commentary segments included), in reading order."""
    protected = _protected_spans(text, italics)
    whole = Segment(0, len(text), text, italics)
    cuts = [0, *_sentence_cuts(text, protected), len(text)]
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
        for piece in pieces:
            segments += _split_at(
                piece,
                re.compile(r"\s+and\s+"),
                protected,
                lambda left, right: bool(re.search(r"\d[.)]?$", left.strip()) and re.match(r"[A-Z]", right)),
            )
    return [s for s in segments if s.text]


# ---------------------------------------------------------------- tokens of one reference


def tokenize(text: str, italics: list[tuple[int, int]]) -> list[Token]:
    """Italic runs, quotations and parenthesised groups are atoms; plain text splits at commas."""
    atoms: list[tuple[int, int, str]] = [(a, b, "italic") for a, b in italics if 0 <= a < b <= len(text)]
    for match in QUOTED_OR_PARENTHESISED.finditer(text):
        if not any(a <= match.start() < b or a < match.end() <= b for a, b, _ in atoms):
            atoms.append((match.start(), match.end(), "quoted" if match.group()[0] != "(" else "paren"))
    atoms.sort()
    tokens: list[Token] = []
    position = 0
    for a, b, kind in [*atoms, (len(text), len(text), "end")]:
        tokens += _plain_tokens(text, position, a)
        if kind != "end":
            tokens.append(Token(kind, text[a:b], a, b))
        position = max(position, b)
    return tokens


def _plain_tokens(text: str, start: int, end: int) -> list[Token]:
    tokens = []
    for match in COMMA_PIECE.finditer(text[start:end]):
        piece = match.group()
        stripped = piece.strip(" .:;")
        keeps_period = (len(stripped) <= 5 and stripped.lower() in PERIOD_ABBREVIATIONS) or (
            "A" <= stripped.rstrip("\n")[-1:] <= "Z" and ENDS_IN_INITIAL.search(stripped)
        )
        if keeps_period:
            stripped = piece.strip(" :;")
        if not stripped or stripped in ("in", "In"):
            if stripped:
                tokens.append(Token("in", stripped, start + match.start(), start + match.end()))
            continue
        offset = start + match.start() + piece.index(stripped)
        inner_cuts = _sentence_cuts(stripped, [])
        if not inner_cuts:
            tokens += _split_in(stripped.strip(), offset)
            continue
        cuts = [0, *inner_cuts, len(stripped)]
        for a, b in itertools.pairwise(cuts):
            part = stripped[a:b].strip().rstrip(".") if b < len(stripped) else stripped[a:b].strip()
            tokens += _split_in(part, offset + a)
    return tokens


def _split_in(piece: str, offset: int) -> list[Token]:
    """A plain piece may end in " in" before a container, or start with "in"."""
    if "in" not in piece:
        return [Token("plain", piece, offset, offset + len(piece))]
    match = ENDS_IN_IN.match(piece)
    if match:
        head = match.group(1).strip(" ,.")
        return [Token("plain", head, offset, offset + len(head)), Token("in", "in", offset, offset)]
    match = IN_CONTAINER.match(piece)
    if match and _is_date(match.group(1)):
        head, tail = match.group(1), match.group(2)
        return [
            Token("plain", head, offset, offset + len(head)),
            Token("in", "in", offset, offset),
            Token("plain", tail, offset + piece.index(tail), offset + len(piece)),
        ]
    match = STARTS_WITH_IN.match(piece)
    if match:
        return [
            Token("in", "in", offset, offset),
            Token("plain", match.group(1), offset + 3, offset + len(piece)),
        ]
    return [Token("plain", piece, offset, offset + len(piece))]


def _clean_title(text: str) -> str:
    return text.strip().strip('“”"«»').strip().rstrip(",").strip()


# ---------------------------------------------------------------- dates

UNDATED_LEAD = re.compile(r"^(?:undated|n\.d\.)[,\s]*", re.I)
NAMES_JOINED = re.compile(r",?\s+(?:and|&)\s+")
LEADING_AND = re.compile(r"^(?:and|&)\s+")
WHITE_SPACE = re.compile(r"\s+")
TRAILING_NAME_SUFFIX = re.compile(r",\s*(?:Jr|Sr|II|III|IV)\.?$")


@lru_cache(maxsize=65536)
def to_edtf(text: str) -> str | None:
    """An EDTF date from "29 August 1929", "30–31 March 1981", "January 1919", "Winter 1990", "1943"."""
    if not DIGIT.search(text):
        return None
    text = UNDATED_LEAD.sub("", text.replace("(", " ").replace(")", " ").strip())
    text = " ".join(text.split()).rstrip(".,")
    if match := DAY_MONTH_YEAR.match(text):
        day, day_end, month, year = match.groups()
        return _day_range(year, MONTHS[month.lower().rstrip(".")], day, day_end)
    if match := MONTH_DAY_YEAR.match(text):
        month, day, day_end, year = match.groups()
        return _day_range(year, MONTHS[month.lower().rstrip(".")], day, day_end)
    if match := MONTH_YEAR.match(text):
        return f"{match.group(2)}-{MONTHS[match.group(1).lower().rstrip('.')]:02d}"
    if match := SEASON_YEAR.match(text):
        return f"{match.group(2)}-{SEASONS[match.group(1).lower()]}"
    if match := ISO_DATE.match(text):
        return text
    if match := BARE_YEAR.match(text):
        return text
    return None


def _day_range(year: str, month: int, day: str, day_end: str | None) -> str:
    start = f"{year}-{month:02d}-{int(day):02d}"
    return f"{start}/{year}-{month:02d}-{int(day_end):02d}" if day_end else start


@lru_cache(maxsize=65536)
def _is_date(text: str) -> bool:
    if not DIGIT.search(text):
        return False
    stripped = UNDATED_LEAD.sub("", text.strip())
    return bool(stripped) and not BARE_YEAR.match(stripped.strip("()")) and to_edtf(text) is not None


# ---------------------------------------------------------------- reading one reference


@dataclass
class Parsed:
    """The fields of one reference while it is being read."""

    values: dict[str, Any] = field(default_factory=dict)
    reference_type: str | None = None
    signal: str | None = None
    container_ibid: bool = False
    in_container: bool = False
    unparsed: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    short_candidate: bool = False
    method: str = "rules"
    model_probability: float | None = None

    def set(self, name: str, value: Any) -> None:
        if value not in (None, "") and self.values.get(name) in (None, ""):
            self.values[name] = value

    def add_pages(self, pages: str) -> None:
        current = self.values.get("pages")
        self.values["pages"] = f"{current}, {pages}" if current else pages


def _split_names(text: str) -> list[str]:
    """Personal names joined by "and" / "&" / ", and"."""
    parts = NAMES_JOINED.split(LEADING_AND.sub("", text.strip()))
    return [HONORIFIC.sub("", p).strip() for p in parts if p.strip()]


@lru_cache(maxsize=65536)
def _is_names(text: str) -> bool:
    words = [w for w in WHITE_SPACE.split(text.strip()) if w not in ("and", "&")]
    return 0 < len(words) <= 8 and all(NAME_WORD.match(w) for w in words) and not DIGIT.search(text)


def _apply_locator(parsed: Parsed, text: str) -> bool:
    text = text.strip().rstrip(".")
    if match := LOCATOR.match(text):
        if match.group("year"):
            parsed.set("year", match.group("year"))
        if match.group("volume"):
            parsed.set("volume", match.group("volume"))
        parsed.add_pages(match.group("pages"))
        return True
    if NOTE_LOCATOR.match(text):
        parsed.add_pages(text)
        return True
    if match := VOLUME_ONLY.match(text):
        parsed.set("volume", match.group(1))
        return True
    return False


def _apply_pubfacts(parsed: Parsed, text: str) -> bool:
    inner = text.strip("()").strip()
    if match := SEASON_PAREN.match(inner):
        parsed.set("issue", match.group("issue"))
        parsed.set("year", match.group("year"))
        return True
    match = PUBFACTS_COLON.match(inner) or PUBFACTS.match(inner)
    if not match:
        return False
    place, publisher = match.group("place"), match.group("publisher")
    if match.re is PUBFACTS and place and "," in inner and not publisher and ":" not in inner:
        place = inner.rsplit(",", 1)[0].strip()
    parsed.set("place", place.strip() if place else None)
    parsed.set("publisher", publisher.strip() if publisher else None)
    parsed.set("year", match.group("year").replace(" ", ""))
    return True


def _apply_location(parsed: Parsed, text: str) -> bool:
    # A folder needs an F, a shelf mark, microfilm or decimal file a digit: most pieces have neither.
    folder = FOLDER.match(text) if text[:1] in ("F", "f") else None
    if match := BOX.match(text):
        parsed.set("box", match.group(1))
    elif match := RECORD_GROUP.match(text):
        parsed.set("record_group", match.group(1))
    elif text.rstrip("\n")[-1:].isdigit() and (match := MICROFILM.match(text)):
        parsed.set("file_number", match.group("number"))
        parsed.set("archive", match.group("archive").strip() or None)
    elif (match := folder) and not parsed.values.get("file_number"):
        parsed.set("file_number", match.group(1))
    elif (DIGIT.search(text) and SHELF_MARK.match(text)) or folder:
        current = parsed.values.get("file_number")
        parsed.values["file_number"] = f"{current}, {text}" if current else text
    elif text[:1].isdigit() and DECIMAL_FILE.match(text):
        parsed.set("file_number", text)
    elif COLLECTION_RE.match(text):
        parsed.set("collection", text)
    elif ARCHIVE_WORDS.search(text) and not DIGIT.search(text):
        if parsed.values.get("archive"):
            parsed.set("collection", text)
        else:
            parsed.set("archive", text)
    else:
        return False
    return True


def _apply_item(parsed: Parsed, text: str) -> bool:
    """Correspondence ("Letter from A to B"), authored documents ("Memo by A") and interviews."""
    if text[1:2] in ("n", "N") and (match := INTERVIEW.match(text)):
        parsed.reference_type = "interview"
        parsed.set("interviewee", HONORIFIC.sub("", match.group("who").strip()))
        return True
    if ("by" in text or "of" in text) and (match := AUTHORED_DOCUMENT.match(text)):
        parsed.reference_type = "archival_document"
        parsed.set("authors", match.group("author").strip())
        return True
    if "to" in text and (match := CORRESPONDENCE.match(text)) and _is_names(match.group("sender")):
        parsed.reference_type = "archival_document"
        parsed.set("sender", match.group("sender").strip())
        recipient = re.sub(r"^the\s+", "", match.group("recipient").strip())
        parsed.set("recipient", recipient)
        return True
    return False


def parse_reference(text: str, italics: list[tuple[int, int]]) -> Parsed:
    """Read the fields of one reference from its text and the italic spans (relative offsets) in it."""
    parsed = Parsed()
    body = text.strip()
    if match := SIGNAL.match(body):
        parsed.signal = match.group(1)
        cut = match.end()
        body = body[cut:]
        italics = [(a - cut, b - cut) for a, b in italics]
    if "ereafter" in body and (match := HEREAFTER.search(body)):
        abbreviation = match.group(1).strip().rstrip(")")
        if re.fullmatch(r"(?:\w\.)+\w", abbreviation) and body.rstrip().endswith("."):
            abbreviation += "."
        parsed.set("abbreviation", abbreviation)
        body = body[: match.start()].rstrip(" ,.(") + "."
    trimmed = _trim_final_period(body, italics)
    tokens = tokenize(trimmed, [(a, b) for a, b in italics if b <= len(trimmed) or a < len(trimmed)])
    if not tokens:
        return parsed
    if tokens[0].kind in ("italic", "plain") and IBID.match(tokens[0].text):
        parsed.reference_type = "ibid"
        _read_tail(parsed, tokens[1:])
        return parsed
    if match := AUTHOR_DATE.match(trimmed):
        parsed.reference_type = "short_form"
        parsed.set("authors", "; ".join(_split_names(match.group("names").replace(" et al.", ""))))
        if "et al." in match.group("names"):
            parsed.set("et_al", True)
        parsed.set("year", match.group("year"))
        if match.group("pages"):
            _apply_locator(parsed, match.group("pages")) or parsed.add_pages(match.group("pages"))
        parsed.short_candidate = True
        return parsed
    _read_tokens(parsed, _merge_date_tokens(tokens))
    _decide_type(parsed)
    return parsed


def _trim_final_period(body: str, italics: list[tuple[int, int]]) -> str:
    if not body.endswith(".") or _inside(len(body) - 1, italics):
        return body
    # The final word lies in the last white-space separated piece: searching only that piece is the same.
    word = FINAL_WORD.search(body.rsplit(None, 1)[-1])
    if word and (word.group(1).lower() in ABBREVIATIONS or INITIALS.fullmatch(word.group(1))):
        return body
    return body[:-1]


def _merge_date_tokens(tokens: list[Token]) -> list[Token]:
    """Join "12" + "(March 1942)", "Undated" + "(1943)" and "March 3" + "1947" into one date token."""
    merged: list[Token] = []
    for token in tokens:
        if (
            merged
            and token.kind == "paren"
            and merged[-1].kind == "plain"
            and (DAY_NUMBER.fullmatch(merged[-1].text) or UNDATED.fullmatch(merged[-1].text))
            and to_edtf(f"{merged[-1].text} {token.text}")
        ):
            last = merged.pop()
            merged.append(Token("date", f"{last.text} {token.text}", last.start, token.end))
        elif (
            merged
            and token.kind == "plain"
            and merged[-1].kind == "plain"
            and BARE_YEAR.match(token.text)
            and MONTH_DAY.match(merged[-1].text)
        ):
            last = merged.pop()
            merged.append(Token("date", f"{last.text}, {token.text}", last.start, token.end))
        else:
            merged.append(token)
    return merged


def _read_tokens(parsed: Parsed, tokens: list[Token]) -> None:
    """Read the tokens before the title (names, items), the title(s), then the tail."""
    titles: list[Token] = []
    in_container = False
    editors_pending: list[str] = []
    for index, token in enumerate(tokens):
        text = token.text
        if token.kind == "in":
            in_container = parsed.in_container = True
            continue
        if token.kind in ("italic", "quoted"):
            if (IBID.match(text) and token.kind == "italic") or (token.kind == "plain" and IBID.match(text)):
                parsed.container_ibid = True
                continue
            titles.append(token)
            is_item = parsed.reference_type == "archival_document" and token.kind == "italic"
            if (
                is_item
                or (token.kind == "italic" and (in_container or any(t.kind == "quoted" for t in titles[:-1])))
            ) or (
                token.kind == "italic"
                and parsed.values.get("title")
                and not parsed.values.get("container_title")
            ):
                parsed.set("container_title", _clean_title(text))
            else:
                parsed.set("title", _clean_title(text))
            if in_container and editors_pending:
                parsed.set("editors", "; ".join(editors_pending))
                editors_pending = []
            continue
        if token.kind == "plain" and text[1:2] in ("b", "B") and IBID.match(text):
            parsed.container_ibid = True
            rest = IBID.match(text).group(1)
            if rest:
                _apply_locator(parsed, rest)
            continue
        if token.kind == "paren":
            if _apply_pubfacts(parsed, text):
                continue
            if tokens[index - 1].kind == "italic" and _is_names(text.strip("()")):
                parsed.set("place", text.strip("()"))
                continue
            if tokens[index - 1].kind == "plain" and parsed.values.get("recipient") and index > 0:
                parsed.values["recipient"] += f" {text}"
                continue
            parsed.unparsed.append(text)
            continue
        if token.kind == "date" or _is_date(text):
            parsed.set("item_date", to_edtf(text))
            continue
        if len(text) in (4, 7) and UNDATED.fullmatch(text):
            continue
        if _apply_item(parsed, text):
            if titles and parsed.values.get("title") and not parsed.values.get("container_title"):
                parsed.values["container_title"] = parsed.values.pop("title")
            continue
        if (match := EDITED_BY.match(text)) and _is_names(match.group(1)):
            parsed.set("editors", "; ".join(_split_names(match.group(1))))
            continue
        if len(text) <= 10 and EDITOR_MARK.match(text):
            _mark_editors(parsed, editors_pending, in_container, text)
            editors_pending = []
            continue
        if text.startswith("et al") and ET_AL.match(text):
            parsed.set("et_al", True)
            continue
        if len(text) <= 4 and NAME_SUFFIX.match(text) and parsed.names:
            parsed.names[-1] += f", {text}"
            continue
        if parsed.reference_type == "interview" and re.fullmatch(r"[A-Z][\w\- ]+", text):
            parsed.set("place", text)
            continue
        if in_container and _is_names(text) and not parsed.values.get("container_title"):
            editors_pending += _split_names(text)
            continue
        if titles and _read_tail_token(
            parsed,
            text,
            tokens[index - 1].kind == "italic" and bool(parsed.values.get("container_title")),
        ):
            continue
        if _apply_location(parsed, text):
            continue
        if ACRONYM_ARCHIVE.match(text) and any(_is_location(t.text) for t in tokens[index + 1 :]):
            parsed.set("archive", text)
            continue
        if not titles and (_is_names(text) or _is_corporate(text)):
            if in_container:
                editors_pending += _split_names(text)
            else:
                parsed.names += _split_names(text) if _is_names(text) else [text]
            continue
        if not titles and text[1:2] in ("n", "N") and INTERVIEW_BY.match(text):
            parsed.reference_type = "interview"
            parsed.set("interviewee", "; ".join(parsed.names))
            parsed.names = []
            continue
        if _apply_locator(parsed, text):
            continue
        parsed.unparsed.append(text)
    if parsed.names:
        _assign_names(parsed)


def _is_corporate(text: str) -> bool:
    return bool(INSTITUTION_WORDS.search(text)) and not DIGIT.search(text) and len(text.split()) <= 10


def _mark_editors(parsed: Parsed, pending: list[str], in_container: bool, mark: str) -> None:
    if in_container:
        parsed.set("editors", "; ".join(pending))
        return
    parsed.set("editors", "; ".join(parsed.names))
    parsed.names = []


def _assign_names(parsed: Parsed) -> None:
    people = [n for n in parsed.names if _is_names(TRAILING_NAME_SUFFIX.sub("", n))]
    corporate = [n for n in parsed.names if n not in people]
    if len(people) >= 2 and len(people[0].split()) == 1 and len(people[1].split()) <= 3:
        people = [f"{people[1]} {people[0]}", *people[2:]]
    if corporate:
        parsed.set("corporate_author", "; ".join(corporate))
    if people:
        parsed.set("authors", "; ".join(people))
    parsed.names = []


def _read_tail_token(parsed: Parsed, text: str, after_container: bool) -> bool:
    """Publication facts after a title: editions, volumes, locators, journal volume numbers."""
    if match := NUMBER_OF_VOLUMES.match(text):
        parsed.set("number_of_volumes", int(match.group(1)))
        return True
    if match := EDITION.match(text):
        parsed.set("edition", match.group(1))
        return True
    if match := VOLUMES_COUNT.match(text):
        parsed.set("number_of_volumes", int(match.group(1)))
        return True
    if (match := PLACE_PUBLISHER.match(text)) and not DIGIT.search(text):
        parsed.set("place", match.group("place"))
        parsed.set("publisher", match.group("publisher"))
        return True
    if after_container and NUMBER.fullmatch(text) and not parsed.values.get("volume"):
        parsed.set("volume", text)
        return True
    if ISSUE_NUMBER.fullmatch(text):
        parsed.set("issue", re.search(r"\d+", text).group())
        return True
    if BARE_YEAR.match(text) and not parsed.values.get("year") and not parsed.values.get("pages"):
        parsed.set("year", text)
        return True
    return False


def _read_tail(parsed: Parsed, tokens: list[Token]) -> None:
    for token in tokens:
        if not _apply_locator(parsed, token.text):
            parsed.unparsed.append(token.text)


def _decide_type(parsed: Parsed) -> None:
    values = parsed.values
    if parsed.reference_type in ("interview", "archival_document"):
        return
    has_location = any(values.get(k) for k in ("archive", "collection", "box", "record_group", "file_number"))
    if values.get("item_date") and has_location and values.get("title") and not values.get("container_title"):
        parsed.reference_type = "archival_document"
        return
    if has_location and not values.get("title"):
        parsed.reference_type = "archival_collection"
        if values.get("corporate_author") and not values.get("collection"):
            values["collection"] = values.pop("corporate_author")
        return
    if values.get("container_title") and values.get("title"):
        if values.get("editors") or parsed.container_ibid or parsed.in_container:
            parsed.reference_type = "chapter"
        elif NEWSPAPER_WORDS.search(values["container_title"]):
            parsed.reference_type = "newspaper"
        else:
            parsed.reference_type = "journal_article"
        return
    has_pubfacts = any(values.get(k) for k in ("place", "publisher", "year"))
    dated_issue = values.get("item_date") and not values.get("year") and not values.get("publisher")
    if values.get("title") and dated_issue and not values.get("authors"):
        parsed.values["container_title"] = parsed.values.pop("title")
        parsed.reference_type = "newspaper"
        return
    if values.get("corporate_author") and GOVERNMENT_WORDS.search(values["corporate_author"]):
        parsed.reference_type = "government_document"
    elif values.get("editors") and not values.get("authors"):
        parsed.reference_type = "edited_book"
    else:
        parsed.reference_type = "book"
    if not has_pubfacts:
        parsed.short_candidate = True


def split_corporate_title(parsed: Parsed) -> None:
    """An italic run "Ministry of X, Title of Series" carries a corporate author before the title."""
    for name in ("title", "container_title"):
        title = parsed.values.get(name)
        if not title or parsed.values.get("corporate_author"):
            continue
        head, sep, rest = title.partition(", ")
        if sep and INSTITUTION_WORDS.search(head) and len(head.split()) <= 8 and rest[:1].isupper():
            parsed.values["corporate_author"] = head
            parsed.values[name] = rest
            if name == "title" and parsed.reference_type in ("book", "edited_book"):
                parsed.reference_type = "government_document" if GOVERNMENT_WORDS.search(head) else "book"


# Referring forms, interviews and archival items: the rules read these (signals, Ibid., shelf marks, letters)
# and the model, trained on bibliographies, does not know them.
RULE_TYPES = ("ibid", "short_form", "interview", "archival_document", "archival_collection")
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
    """
    parsed = parse_reference(text, italics)
    split_corporate_title(parsed)
    if parsed.reference_type in RULE_TYPES:
        return parsed
    policy = policy or reference_model.shipped_merge_policy()
    clean = reference_model.is_clean(parsed)
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
        _decide_type(parsed)
    parsed.model_probability = labelling.probability
    return parsed


# ---------------------------------------------------------------- resolution


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


def _abbreviation_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@lru_cache(maxsize=65536)
def _title_match(short: str, full: str) -> float:
    """1.0 when the short title is a word prefix of the full title; a fuzzy ratio otherwise."""
    short_n, full_n = (re.sub(r"^(?:the|a|an) ", "", _normalise(t)) for t in (short, full))
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
    words = _normalise(first).split()
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
            abbreviations[_abbreviation_key(row.parsed.values["abbreviation"])] = row


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
            key = _abbreviation_key(re.split(r",\s*\d{4}", token)[0])
            if key in abbreviations:
                _use_abbreviation(row, abbreviations[key], token)
                return
    if parsed.short_candidate or parsed.reference_type in ("archival_collection", "archival_document"):
        _resolve_short(row, earlier)


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
        short = _normalise(parsed.values.get("collection") or "")
        full = _normalise(values["collection"])
        if short and short != full and full.endswith(" " + short):
            return 1.0
        return 0.0
    if not short_title:
        return 0.0
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
    note: dict[str, Any], spans: list[tuple[int, int]], known: set[str], policy: dict[str, str] | None
) -> list[Row]:
    text: str = note["text"]
    base: int = note["char_start"]
    relative = [(a - base, b - base) for a, b in spans]
    rows = []
    for index, segment in enumerate(segment_note(text, relative), start=1):
        seg_italics = [
            (a - segment.start, b - segment.start) for a, b in relative if segment.start <= a < segment.end
        ]
        is_reference = _looks_like_reference(segment, known)
        parsed = read_reference(segment.text, seg_italics, policy=policy) if is_reference else Parsed()
        if parsed.values.get("abbreviation"):
            known.add(_abbreviation_key(parsed.values["abbreviation"]))
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
        for note in notes.filter(pl.col("document_id") == document_id).iter_rows(named=True):
            rows += _note_rows(note, sorted(spans_by_note.get(note["footnote_id"], [])), known, policy)
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
