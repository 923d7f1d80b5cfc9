"""Inline markup of OCR markdown: emphasis, escapes and footnote markers, removed with their positions kept.

Removing markup shifts offsets, so everything here works on one string and reports positions in the
*cleaned* string: emphasis as spans, footnote markers as the point where the marker stood.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate

SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# Footnote markers, most specific first. A bracket or caret marker must follow a word or punctuation
# directly, so "[1]" opening a line or "see [3] below" in a list is not taken for a marker; a bracketed
# digit after a digit is the editors' completion of a number ("file 891.711/3[9]", "19[3]6").
MARKER_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("sup_tag", re.compile(r"<sup>\s*(\d{1,4})\s*</sup>")),
    ("caret_bracket", re.compile(r"\[\^(\d{1,4})\]")),
    ("superscript", re.compile(r"(?:(?<=\S)|^)([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4})")),
    ("caret", re.compile(r"(?<=[^\s\\])\^(\d{1,4})(?!\d)")),
    ("bracket", re.compile(r"(?<=[^\W\d]|[.,;:!?\"”’)])\[(\d{1,4})\](?!\()")),
]
# Matched emphasis pairs; the content may not start or end with a space (CommonMark flanking rule).
# Asterisks may open inside a word ("1921*.*"), underscores may not; a run of three or more underscores
# is a printed blank to fill in ("the ________ Company"), not emphasis.
EMPHASIS = re.compile(
    r"(?<![\\*])(\*{1,3})(?=\S)(.+?)(?<=[^\s\\])\1(?!\*)"
    r"|(?<![\\_\w])(_{1,2})(?=[^\s_])(.+?)(?<=[^\s\\_])\3(?![_\w])"
)
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$<>|~\"'])")
WHITESPACE = re.compile(r"\s+")
NON_SPACE = re.compile(r"\S+")
ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+")
ATX_CLOSING = re.compile(r"[ \t]+#+[ \t]*$")
DROPPED_RUN = re.compile(rb"\x01+")


@dataclass(frozen=True)
class Marker:
    """A footnote marker: its number, the cleaned-text offset where it stood, its style and source offset."""

    number: int
    offset: int
    style: str
    source_offset: int


@dataclass(frozen=True)
class Emphasis:
    start: int
    end: int
    style: str


@dataclass(frozen=True)
class InlineText:
    text: str
    emphasis: tuple[Emphasis, ...]
    markers: tuple[Marker, ...]


def _emphasis_style(delimiter: str) -> list[str]:
    return {1: ["italic"], 2: ["bold"], 3: ["bold", "italic"]}[len(delimiter)]


def clean_inline(source: str, with_markers: bool = True) -> InlineText:
    """Strip emphasis, escapes, a heading's hashes and (optionally) footnote markers; fold white space.

    Offsets of emphasis spans and markers refer to the returned text.
    """
    drop = bytearray(len(source))  # 1 where a source character is removed
    markers: list[tuple[int, int, str]] = []  # (number, source start, style)

    for match in ESCAPE.finditer(source):
        drop[match.start()] = 1
    heading = ATX_HEADING.match(source)
    if heading:  # "## Title ##": the hashes are markup, the title is text
        drop[: heading.end()] = b"\x01" * heading.end()
        closing = ATX_CLOSING.search(source, heading.end())
        if closing:
            drop[closing.start() : closing.end()] = b"\x01" * (closing.end() - closing.start())
    if with_markers:
        for style, pattern in MARKER_PATTERNS:
            for match in pattern.finditer(source):
                if any(drop[match.start() : match.end()]):
                    continue
                if match.start() > 0 and drop[match.start() - 1] and source[match.start() - 1] == "\\":
                    continue
                number = int(match.group(1).translate(SUPERSCRIPT_DIGITS))
                markers.append((number, match.start(), style))
                for i in range(match.start(), match.end()):
                    drop[i] = 1
    spans = _emphasis_spans(source, drop)
    text, position = _fold(source, drop)
    length = len(text)

    emphasis = tuple(
        sorted(
            (
                Emphasis(_skip_space(text, position[s]), _trim_end(text, position[e]), style)
                for s, e, style in spans
                if position[e] > position[s]
            ),
            key=lambda m: (m.start, m.end, m.style),
        )
    )
    marker_rows = tuple(
        sorted(
            (Marker(n, min(_trim_end(text, position[s]), length), style, s) for n, s, style in markers),
            key=lambda m: m.source_offset,
        )
    )
    return InlineText(text=text, emphasis=emphasis, markers=marker_rows)


class _Positions:
    """Where each source index lands in the folded text: the output index of the next character kept.

    A source index inside a run of white space (or of removed characters) after some text lands after the
    single space that run becomes; at the end of the source (trailing space trimmed) it lands at the end.
    """

    def __init__(self, source_length: int, dropped: list[tuple[int, int]], tokens: list[tuple[int, int]]):
        self.source_length = source_length
        self.drop_starts = [start for start, _ in dropped]
        self.drop_ends = [end for _, end in dropped]
        self.dropped_before = list(accumulate((end - start for start, end in dropped), initial=0))
        self.token_starts = [start for start, _ in tokens]
        self.tokens = tokens
        self.out_starts = list(accumulate((end - start + 1 for start, end in tokens), initial=0))
        self.length = max(self.out_starts[-1] - 1, 0)

    def _kept_before(self, index: int) -> int:
        """How many characters before ``index`` are kept (not removed as markup)."""
        run = bisect.bisect_right(self.drop_starts, index - 1) - 1
        if run < 0:
            return index
        removed = self.dropped_before[run] + min(index, self.drop_ends[run]) - self.drop_starts[run]
        return index - removed

    def __getitem__(self, index: int) -> int:
        if index >= self.source_length:
            return self.length
        kept = self._kept_before(index)
        token = bisect.bisect_left(self.token_starts, kept) - 1
        if token < 0:
            return 0
        start, end = self.tokens[token]
        if kept <= end:
            return self.out_starts[token] + kept - start
        return min(self.out_starts[token] + end - start + 1, self.length)


def _fold(source: str, drop: bytearray) -> tuple[str, _Positions]:
    """The source without removed characters, white space runs folded to one space and ends trimmed."""
    dropped = [match.span() for match in DROPPED_RUN.finditer(drop)]
    kept, previous = [], 0
    for start, end in dropped:
        kept.append(source[previous:start])
        previous = end
    kept.append(source[previous:])
    kept_text = "".join(kept)
    tokens = [match.span() for match in NON_SPACE.finditer(kept_text)]
    text = " ".join(kept_text[start:end] for start, end in tokens)
    return text, _Positions(len(source), dropped, tokens)


def _masked(source: str, drop: bytearray) -> str:
    """The source with every removed character replaced by NUL, so patterns cannot match across them."""
    parts, previous = [], 0
    for match in DROPPED_RUN.finditer(drop):
        parts += [source[previous : match.start()], "\x00" * (match.end() - match.start())]
        previous = match.end()
    parts.append(source[previous:])
    return "".join(parts)


def _emphasis_spans(source: str, drop: bytearray) -> list[tuple[int, int, str]]:
    """Find emphasis pairs, innermost last: each pass masks the delimiters it consumed (nested emphasis)."""
    spans: list[tuple[int, int, str]] = []
    masked = _masked(source, drop)
    while True:
        found = False
        for match in EMPHASIS.finditer(masked):
            delimiter = match.group(1) or match.group(3)
            content = 2 if match.group(1) else 4
            found = True
            for i in [*range(match.start(), match.start(content)), *range(match.end(content), match.end())]:
                drop[i] = 1
            for style in _emphasis_style(delimiter):
                spans.append((match.start(content), match.end(content), style))
        if not found:
            return spans
        masked = _masked(source, drop)


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] == " ":
        index += 1
    return index


def _trim_end(text: str, index: int) -> int:
    while index > 0 and text[index - 1] == " ":
        index -= 1
    return index
