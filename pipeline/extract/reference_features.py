"""Tokens and features for the reference sequence model (a CRF over the white-space tokens of one reference).

A reference is cut at white space, as in the labelled training data (AnyStyle's XML), so punctuation stays on
its token and is itself a strong feature ("Press," ends a publisher, "(1990)." is a date). Each token gets
features of its own word (identity, shape, affixes, word classes from vocab/reference_words.yaml), of its
place in the reference (position, inside quotation marks or parentheses, after "In"), of its neighbours and,
when the text comes from OCR markdown, whether it lies in an italic span. Word-level features are cached,
since the same words recur in every reference.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.vocab import load_mapping

# Bump when the features change: a model trained on other features must not be used with these.
FEATURE_SET_VERSION = "7"

EDGE_PUNCTUATION = ".,;:()[]{}“”„\"'‘’«»<>*†‡"
OPENING_QUOTES = ("“", '"', "„", "«", "‘")
CLOSING_QUOTES = ("”", '"', "»", "’")
OPENINGS = (*OPENING_QUOTES, "(")
YEAR = re.compile(r"^(?:1[4-9]\d\d|20\d\d)[a-z]?$")
PAGE_RANGE = re.compile(r"^\d+\s*[-–—]\s*\d+$")
ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
INITIAL = re.compile(r"^(?:[A-Z]\.)+-?(?:[A-Z]\.)?,?$|^[A-Z]\.?,?$")
TOKEN = re.compile(r"\S+")
DIGIT = re.compile(r"\d")
ASCII_LETTER = re.compile(r"[A-Za-z]")
SHAPE_RUN = re.compile(r"(.)\1+")
SHAPE_TABLE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "A" * 26 + "a" * 26 + "0" * 10,
)


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of each white-space separated token of a reference."""
    return [match.span() for match in TOKEN.finditer(text)]


@lru_cache(maxsize=1)
def _word_classes() -> dict[str, tuple[str, ...]]:
    classes: dict[str, list[str]] = {}
    for name, words in load_mapping("reference_words").items():
        for word in words:
            classes.setdefault(str(word).lower(), []).append(name)
    return {word: tuple(names) for word, names in classes.items()}


def _shape(word: str) -> str:
    return _collapsed_shape(word.translate(SHAPE_TABLE))


@lru_cache(maxsize=65_536)
def _collapsed_shape(classes: str) -> str:
    """Runs of one character class cut to two, first eight characters (few distinct inputs: cached)."""
    return SHAPE_RUN.sub(r"\1\1", classes)[:8]


def word_features(token: str) -> tuple[str, ...]:
    """Features of a token on its own: word, shape, affixes, punctuation at its edges, word classes."""
    word = token.strip(EDGE_PUNCTUATION)
    lower = word.lower()
    features = ["w=" + lower, "s=" + _shape(word)]
    if len(lower) > 3:
        features.append("x3=" + lower[-3:])  # a shorter word is its own last three letters
    # Punctuation at the edges; a plain letter or digit there is no feature (it would be on most tokens).
    if token[0] in EDGE_PUNCTUATION:
        features.append("first=" + token[0])
    if token[-1] in EDGE_PUNCTUATION:
        features.append("last=" + token[-1])
    if not word:
        features.append("punct")
    elif word.isdigit():
        features.append("digits=" + str(min(len(word), 5)))
    # Each pattern is tried only when the word's first character allows it (most words: none).
    first = word[:1]
    if first in ("1", "2") and YEAR.match(word):
        features.append("year")
    if first.isdigit() and PAGE_RANGE.match(word):
        features.append("range")
    if first and first.lower() in "ivxlcdm" and ROMAN.match(lower):
        features.append("roman")
    if "A" <= token[0] <= "Z" and INITIAL.match(token.rstrip(",;:")):
        features.append("initial")
    if word[:1].isupper():
        features.append("cap")
        if word.isupper() and len(word) > 1:
            features.append("caps")
    elif word[:1].islower():
        features.append("lower")
    if "http" in lower or "www." in lower or lower.startswith("doi"):
        features.append("url")
    if not word.isalpha() and DIGIT.search(word) and ASCII_LETTER.search(word):
        features.append("alnum")
    for name in _word_classes().get(lower, ()):
        features.append("c=" + name)
    return tuple(features)


Feature = str | bytes
TokenParts = tuple[tuple[Feature, ...], tuple[tuple[Feature, ...], ...], bool]


def _token_parts(token: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], bool]:
    """A token's own features; what it tells the tokens two after, one after, one before and two before it
    (its word, shape and final punctuation); and whether it is the word "in"."""
    own = word_features(token)
    word, shape = own[0], own[1]
    if token[-1] in EDGE_PUNCTUATION:
        last = "last=" + token[-1]
        to_next = ("1" + word, "1" + shape, "1" + last)
        to_previous = ("-1" + word, "-1" + shape, "-1" + last)
    else:
        to_next, to_previous = ("1" + word, "1" + shape), ("-1" + word, "-1" + shape)
    around = (("2" + word,), to_next, to_previous, ("-2" + word,))
    return own, around, word == "w=in"


POSITIONS = tuple(f"pos={index}" for index in range(8))
FLAGS = ("quoted", "paren", "after_in", "start", "end", "italic")
EDGES = ((), ("1edge",), ("-1edge",), ())


class FeatureReader:
    """Turns tokens into feature tuples, caching each distinct token's part (the same words recur in every
    reference).

    Without ``known`` it gives every feature as a string (what training needs). With ``known``, the
    attributes of a trained model, it keeps only those and gives them as UTF-8 bytes: a CRF ignores
    attributes it was not trained on, so the labelling is the same, and python-crfsuite then neither looks
    up the unknown ones nor re-encodes the rest, which is most of its cost per reference.
    """

    def __init__(self, known: frozenset[str] | None = None) -> None:
        self.encoded = {name: name.encode() for name in known} if known is not None else None
        self.parts = lru_cache(maxsize=200_000)(self._parts)
        self.positions = tuple(self._keep((name,)) for name in POSITIONS)
        self.flags = {name: self._keep((name,)) for name in FLAGS}
        self.edges = tuple(self._keep(edge) for edge in EDGES)

    def _keep(self, features: tuple[str, ...]) -> tuple[Feature, ...]:
        if self.encoded is None:
            return features
        get = self.encoded.get
        return tuple([encoded for feature in features if (encoded := get(feature))])

    def _parts(self, token: str) -> TokenParts:
        own, around, is_in = _token_parts(token)
        if self.encoded is None:
            return own, around, is_in
        keep, get = self._keep, self.encoded.get
        (to_second_next,), to_next, to_previous, (to_second_previous,) = around
        told = (
            (encoded,) if (encoded := get(to_second_next)) else (),
            keep(to_next),
            keep(to_previous),
            (encoded,) if (encoded := get(to_second_previous)) else (),
        )
        return keep(own), told, is_in


ALL_FEATURES = FeatureReader()


def sequence_features(
    text: str,
    italics: list[tuple[int, int]] | None = None,
    spans: list[tuple[int, int]] | None = None,
    reader: FeatureReader = ALL_FEATURES,
) -> list[list[Feature]]:
    """Features of every token of one reference (see tokenize), with context from its neighbours.

    spans are the tokens' offsets when the caller has them already (see tokenize). A neighbour's features
    are named by where the neighbour sits relative to the token: "1w=press" on a token means the token one
    before it reads "press" ("-1w=" one after, "2w=" two before).
    """
    spans = spans if spans is not None else tokenize(text)
    tokens = [text[a:b] for a, b in spans]
    count = len(tokens)
    if not count:
        return []
    parts = list(map(reader.parts, tokens))
    positions, flag, edges = reader.positions, reader.flags, reader.edges
    # What each token hears from the token two before, one before, one after and two after it.
    owns, told, in_words = zip(*parts, strict=True)
    to_second_next, to_next, to_previous, to_second_previous = zip(*told, strict=True)
    from_two_before = [edges[0], edges[0], *to_second_next]
    from_one_before = [edges[1], *to_next]
    from_one_after = [*to_previous[1:], edges[2]]
    from_two_after = [*to_second_previous[2:], edges[3], edges[3]]
    last = count - 1
    if italics or any(in_words) or any(opening in text for opening in OPENINGS):
        flags_of = _context_flags(tokens, spans, italics, in_words, reader)
    else:  # nothing opens a quotation or parenthesis, no "in": only position, start and end
        flags_of = [positions[index * 8 // count] for index in range(count)]
        flags_of[0] += flag["start"]
        flags_of[last] += flag["end"]
    return [
        [*own, *flags, *two_before, *one_before, *one_after, *two_after]
        for own, flags, two_before, one_before, one_after, two_after in zip(
            owns, flags_of, from_two_before, from_one_before, from_one_after, from_two_after, strict=False
        )
    ]


def _context_flags(
    tokens: list[str],
    spans: list[tuple[int, int]],
    italics: list[tuple[int, int]] | None,
    in_words: tuple[bool, ...],
    reader: FeatureReader,
) -> list[tuple[Feature, ...]]:
    """Per token: position, inside quotation marks or parentheses, after "In", start, end, italic."""
    positions, flag = reader.positions, reader.flags
    quoted, paren, after_in_flag = flag["quoted"], flag["paren"], flag["after_in"]
    count, last = len(tokens), len(tokens) - 1
    flags_of = []
    in_quote = in_paren = after_in = False
    for index, token in enumerate(tokens):
        flags = positions[index * 8 // count]
        first_char = token[0]
        if first_char in OPENING_QUOTES:
            in_quote = True
        elif first_char == "(":
            in_paren = True
        if in_quote:
            flags += quoted
        if in_paren:
            flags += paren
        if after_in:
            flags += after_in_flag
        if index == 0:
            flags += flag["start"]
        if index == last:
            flags += flag["end"]
        if italics:
            a_token, b_token = spans[index]
            if any(a < b_token and a_token < b for a, b in italics):
                flags += flag["italic"]
        flags_of.append(flags)
        if in_quote and token.rstrip(".,;:").endswith(CLOSING_QUOTES):
            in_quote = False
        if in_paren and ")" in token:
            in_paren = False
        if in_words[index]:
            after_in = True
    return flags_of
