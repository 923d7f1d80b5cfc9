"""The pieces of a reference the rules read (italic runs, quoted runs, parenthesised groups, comma pieces)
and the fields read from them so far (Parsed).

A period ends a sentence inside a note unless it follows an abbreviation of the note vocabulary
(vocab/citation_words.yaml) or an initial; sentence_cuts is shared with the note splitter (citations.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.extract.reference_dates import is_date
from pipeline.vocab import load_mapping

CITATION_WORDS = load_mapping("citation_words")


def alternation(words: list[str]) -> str:
    """A regex alternation of a vocabulary's words, in its order; "word*" matches words it begins."""
    return "|".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words)


# Words after which a period does not end a sentence inside a note.
ABBREVIATIONS = set(CITATION_WORDS["note_abbreviations"])
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


@dataclass(slots=True)
class Token:
    """A piece of a reference: an italic run, a quoted run, a parenthesised group or a plain piece."""

    kind: str
    text: str
    start: int
    end: int


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


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
        inner_cuts = sentence_cuts(stripped, [])
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
    if match and is_date(match.group(1)):
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


def last_word(text: str, end: int) -> str:
    """The run of word characters, periods and apostrophes that ends text[:end] (what a search for
    ``[\\w.'’]+$`` finds, without trying every position before it)."""
    if end and text[end - 1] == "\n":
        end -= 1
    match = WORD_RUN.match(text[end - 1 :: -1]) if end else None
    return match.group()[::-1] if match else ""


def sentence_cuts(text: str, protected: list[tuple[int, int]]) -> list[int]:
    """Offsets where a new sentence starts inside a note."""
    if "." not in text:
        return []
    cuts = []
    for match in SENTENCE_END.finditer(text):
        dot = match.start()
        closes_quote = text[dot + 1 : dot + 2] in ("”", '"')
        if inside(dot, protected) and not closes_quote:
            continue
        previous = last_word(text, dot)
        bare = previous.lower().rstrip(".")
        if bare in ABBREVIATIONS or INITIALS.fullmatch(previous):
            continue
        if text[max(0, dot - 5) : dot] == "et al":
            continue
        cuts.append(match.end())
    return cuts


@dataclass(slots=True)
class Parsed:
    """The fields of one reference while it is being read."""

    values: dict[str, Any] = field(default_factory=dict)
    reference_type: str | None = None
    signal: str | None = None
    container_ibid: bool = False
    in_container: bool = False
    unparsed: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    # Where the names before the title are printed (offsets in the text read), for authors_as_printed.
    names_span: tuple[int, int] | None = None
    short_candidate: bool = False
    # Russian fond/opis/delo citations: "f. 17" is a fond there, not a folio.
    fond_style: bool = False
    # "Rossi, op. cit.": the work of this author cited last, without its title.
    op_cit: bool = False
    # "Id., " / "Eadem, " as printed before a new work of the author cited just before (its authors are
    # taken from that citation when the notes are resolved).
    same_author: str | None = None
    method: str = "rules"
    model_probability: float | None = None

    def set(self, name: str, value: Any) -> None:
        if value not in (None, "") and self.values.get(name) in (None, ""):
            self.values[name] = value

    def add_pages(self, pages: str) -> None:
        current = self.values.get("pages")
        self.values["pages"] = f"{current}, {pages}" if current else pages
