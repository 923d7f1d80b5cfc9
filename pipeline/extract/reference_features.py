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
from operator import itemgetter, methodcaller

from pipeline.vocab import load_mapping, load_vocab

# Bump when the features change: a model trained on other features must not be used with these.
FEATURE_SET_VERSION = "11"

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
    # Archival words by role (busta, filza: "arch_box") and month names of other languages ("date_word").
    for role, words in load_mapping("archival_terms").items():
        if role == "after_archive_only":  # a note to the rules, not a word class
            continue
        name = "date_word" if role.startswith("month_") else "arch_" + role
        for word in words:
            names = classes.setdefault(str(word).lower(), [])
            if name not in names:
                names.append(name)
    # Given names ("Giovanni", "Marie"): a name's first word, where an author begins.
    for word in load_vocab("given_names"):
        names = classes.setdefault(str(word).lower(), [])
        if "given" not in names:
            names.append("given")
    return {word: tuple(names) for word, names in classes.items()}


@lru_cache(maxsize=1)
def _phrases() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Multi-word phrases of vocab/reference_words.yaml ("a cura di", "edited by") by their first word:
    (class, the words of the phrase), longest first."""
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name, phrases in load_mapping("reference_phrases").items():
        for phrase in phrases:
            words = tuple(word.strip(EDGE_PUNCTUATION) for word in str(phrase).lower().split())
            by_first.setdefault(words[0], []).append((name, words))
    return {first: tuple(sorted(found, key=lambda item: -len(item[1]))) for first, found in by_first.items()}


def _phrase_names() -> tuple[str, ...]:
    return tuple(sorted({name for found in _phrases().values() for name, _ in found}))


PHRASE_WORDS = frozenset(word for found in _phrases().values() for _, words in found for word in words)


def _shape(word: str) -> str:
    return _collapsed_shape(word.translate(SHAPE_TABLE))


@lru_cache(maxsize=65_536)
def _collapsed_shape(classes: str) -> str:
    """Runs of one character class cut to two, first eight characters (few distinct inputs: cached)."""
    return SHAPE_RUN.sub(_two_of_run, classes)[:8]


def _two_of_run(run: re.Match[str]) -> str:
    """The first two characters of a run (what the template r"\1\1" gives, without expanding it)."""
    return run.group()[:2]


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
    classes = _word_classes()
    for name in classes.get(lower, ()):
        features.append("c=" + name)
    # A word OCR left hyphenated at a line end ("Ve-nezia", "Ri-vista") has the classes of the whole word.
    if "-" in lower and (joined := lower.replace("-", "")) in classes and lower not in classes:
        for name in classes[joined]:
            features.append("c=" + name)
    return tuple(features)


Feature = str | bytes
# Where a neighbour sits relative to the token that hears of it: three, two and one token before, one, two and
# three after. "1w=press" on a token: the token one before it reads "press".
OFFSETS = (3, 2, 1, -1, -2, -3)
# What the context flags need to know of a token: is it "in", a year, a field mark (see _is_field_mark), a
# container's lead word ("in", "dans": LEAD_CLASS), does it end in a field's punctuation (, . : ;), and its
# word for the phrases (see PHRASES), whether it is a place or a place's region ("Venezia", "MA", "France"),
# what it is to a place before it (PLACE_FOLLOWERS) and what it is as the first word after a container's
# lead word (LEAD_OPENERS).
TokenKinds = tuple[bool, bool, bool, bool, bool, str, bool, str, str]
TokenParts = tuple[tuple[Feature, ...], tuple[tuple[Feature, ...], ...], TokenKinds]


def _is_field_mark(token: str) -> bool:
    """A period after a word that is not an initial, or a colon: most fields end with one."""
    end = token[-1]
    return (end == "." and len(token) > 2 and not INITIAL_END.search(token)) or end == ":"


def _token_parts(token: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], TokenKinds]:
    """A token's own features; what it tells the tokens up to three after and three before it (its word;
    for the nearest ones also its shape, final punctuation and word classes, and to the next one its word
    classes joined with its final punctuation); and its kinds (TokenKinds)."""
    own = word_features(token)
    word, shape = own[0], own[1]
    near = [shape]
    if token[-1] in EDGE_PUNCTUATION:
        near.append("last=" + token[-1])
    classes = [feature for feature in own if feature.startswith("c=")]
    near += classes
    # To the token after: its word classes with the punctuation that ends it ("Venezia," before a
    # publisher, "Venezia" before a year).
    before = [f"{name}{token[-1]}" for name in classes] if token[-1] in FIELD_END else []
    told = tuple(
        (f"{offset}{word}", *(f"{offset}{feature}" for feature in near))
        + (tuple(f"1{feature}" for feature in before) if offset == 1 else ())
        if abs(offset) == 1
        else (f"{offset}{word}",)
        for offset in OFFSETS
    )
    return own, told, _kinds(token, own)


def _kinds(token: str, own: tuple[str, ...]) -> TokenKinds:
    """What the context flags need to know of a token (see TokenKinds), from its own features."""
    word = own[0]
    lower = word[2:]
    is_region, is_place = REGION_CLASS in own, PLACE_CLASS in own
    is_cap = "cap" in own
    if is_region:
        follower = "region"
    elif is_place:
        follower = "place"
    elif "year" in own:
        follower = "year"
    elif DATE_CLASS in own:
        follower = "date"
    elif "caps" in own and len(lower) <= 3:
        follower = "code"  # "PA", "OR", "BC": a state's or country's code, in capitals unlike "or"
    else:
        follower = "digit" if lower[:1].isdigit() else "cap" if is_cap else "other"
    if "initial" in own:
        opener = "initial"
    elif GIVEN_CLASS in own:
        opener = "given"
    elif is_cap:
        opener = "name," if token[-1] == "," else "cap"  # "in Smith, J. (ed.)" / "in La civiltà"
    else:
        opener = "lower" if "lower" in own else "other"
    return (
        word == "w=in",
        "year" in own,
        _is_field_mark(token),
        LEAD_CLASS in own,
        token[-1] in FIELD_END,
        lower if lower in PHRASE_WORDS else "",
        is_region or is_place,
        follower,
        opener,
    )


POSITIONS = tuple(f"pos={index}" for index in range(8))
# How many field-ending marks (a period after a word that is not an initial, a colon) came before a token.
SEGMENTS = tuple(f"seg={index}" for index in range(5))
# How many commas came before a token: footnote styles cut fields with commas ("A. Rossi, Titolo, Venezia
# 1990, p. 3"), where a period or colon rarely ends one.
COMMA_SEGMENTS = tuple(f"cseg={index}" for index in range(7))
FLAGS = (
    "quoted",
    "paren",
    "bracket",
    "after_in",
    "after_year",
    "start",
    "end",
    "italic",
    "lead",
    "after_lead",
    "quoted_again",
    "after_quote",
)
LEAD_CLASS = "c=container_mark"
PLACE_CLASS, REGION_CLASS = "c=place", "c=region"
# What a token is when a place and a comma come before it ("Venezia, Marsilio": a capitalised word that is no
# place or region is the publisher; "Cambridge, MA": a region is the place's second part).
PLACE_FOLLOWERS = ("region", "place", "year", "date", "code", "digit", "cap", "other")
DATE_CLASS, GIVEN_CLASS = "c=date_word", "c=given"
# What the word after a container's lead word is ("in J. Smith (ed.)": an editor follows; "in La civiltà",
# "in «Archivio veneto»": a title), given to the lead word and the tokens after it.
LEAD_OPENERS = ("initial", "given", "name,", "cap", "lower", "other")
FIELD_END = ",.:;"
EDGES = {3: (), 2: (), 1: ("1edge",), -1: ("-1edge",), -2: (), -3: ()}
INITIAL_END = re.compile(r"(?:^|[\s.\-])[A-Z]\.$")
# How many (shape, final punctuation, word classes) combinations FeatureReader keeps (a few thousand occur).
NEAR_CACHE = 100_000
IS_CLASS = methodcaller("startswith", "c=")
PHRASE_WORD = itemgetter(5)  # of TokenKinds: the token's word when a vocabulary phrase may hold it


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
        # What a neighbour tells, by its offset: its own feature ("w=press") -> the known attribute
        # ("1w=press"), so that a new token's parts are looked up without building the names of
        # attributes the model does not know (most words are not among them).
        self.told_by_offset: dict[int, dict[str, bytes]] = {offset: {} for offset in OFFSETS}
        for name, encoded in (self.encoded or {}).items():
            if name[0] == "-" and name[1:2].isdigit():
                offset, rest = -int(name[1]), name[2:]
            elif name[0] in "123":
                offset, rest = int(name[0]), name[1:]
            else:
                continue
            if offset in self.told_by_offset:
                self.told_by_offset[offset][rest] = encoded
        # A word's attribute for the tokens three, two, one after it, one, two, three before it (None where
        # the model knows none): one look-up per new token instead of six.
        told_words: dict[str, list[bytes | None]] = {}
        for index, offset in enumerate(OFFSETS):
            for rest, encoded in self.told_by_offset[offset].items():
                if rest[:2] == "w=":
                    told_words.setdefault(rest, [None] * len(OFFSETS))[index] = encoded
        self.word_told = {word: tuple(found) for word, found in told_words.items()}
        self.near: dict[tuple[str, str, tuple[str, ...]], tuple[tuple[bytes, ...], tuple[bytes, ...]]] = {}
        self.parts = lru_cache(maxsize=200_000)(self._parts if known is None else self._known_parts)
        # Every token has a position, a count of field marks and one of commas before it: the three
        # features of each combination, at [position][marks][commas].
        self.places = tuple(
            tuple(
                tuple(self._keep((position, segment, comma_segment)) for comma_segment in COMMA_SEGMENTS)
                for segment in SEGMENTS
            )
            for position in POSITIONS
        )
        self.flags = {name: self._keep((name,)) for name in FLAGS}
        self.edges = {offset: self._keep(edge) for offset, edge in EDGES.items()}
        self.phrase_features = {name: self._keep(("phrase=" + name,)) for name in _phrase_names()}
        self.after_place = {kind: self._keep(("apl=" + kind,)) for kind in PLACE_FOLLOWERS}
        self.lead_opener = {kind: self._keep(("lead=" + kind,)) for kind in LEAD_OPENERS}
        self.after_lead_opener = {kind: self._keep(("alead=" + kind,)) for kind in LEAD_OPENERS}

    def phrase_feature(self, name: str) -> tuple[Feature, ...]:
        return self.phrase_features[name]

    def _keep(self, features: tuple[str, ...]) -> tuple[Feature, ...]:
        if self.encoded is None:
            return features
        return tuple(filter(None, map(self.encoded.get, features)))

    def _parts(self, token: str) -> TokenParts:
        return _token_parts(token)

    def _known_parts(self, token: str) -> TokenParts:
        """_token_parts with only the model's attributes, as bytes, in the same order."""
        own = word_features(token)
        after_tail, before_tail = self._near_parts(own, token[-1])
        heard = self.word_told.get(own[0])
        if heard is None:  # most words: no neighbour's attribute names them
            told: tuple[tuple[Feature, ...], ...] = ((), (), after_tail, before_tail, (), ())
            return tuple(filter(None, map(self.encoded.get, own))), told, _kinds(token, own)  # type: ignore[union-attr]
        three_after, two_after, one_after, one_before, two_before, three_before = heard
        told = (  # in the order of OFFSETS
            (three_after,) if three_after else (),
            (two_after,) if two_after else (),
            (one_after, *after_tail) if one_after else after_tail,
            (one_before, *before_tail) if one_before else before_tail,
            (two_before,) if two_before else (),
            (three_before,) if three_before else (),
        )
        return tuple(filter(None, map(self.encoded.get, own))), told, _kinds(token, own)  # type: ignore[union-attr]

    def _near_parts(self, own: tuple[str, ...], last: str) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
        """What a token's shape, final punctuation and word classes tell the token after and the one before
        it (known attributes only). Few tokens differ in these (most words have no class): cached by them."""
        classes = tuple(filter(IS_CLASS, own))
        key = (own[1], last if last in EDGE_PUNCTUATION else "", classes)
        found = self.near.get(key)
        if found is None:
            near = [own[1], *(("last=" + last,) if key[1] else ()), *classes]
            after = [*near, *(f"{name}{last}" for name in classes)] if last in FIELD_END else near
            said = self.told_by_offset
            found = (
                tuple(filter(None, map(said[1].get, after))),
                tuple(filter(None, map(said[-1].get, near))),
            )
            if len(self.near) >= NEAR_CACHE:
                self.near.clear()
            self.near[key] = found
        return found


ALL_FEATURES = FeatureReader()


def sequence_features(
    text: str,
    italics: list[tuple[int, int]] | None = None,
    spans: list[tuple[int, int]] | None = None,
    reader: FeatureReader = ALL_FEATURES,
) -> list[list[Feature]]:
    """Features of every token of one reference (see tokenize), with context from its neighbours.

    spans are the tokens' offsets when the caller has them already (see tokenize). A neighbour's features
    are named by where the neighbour sits relative to the token (see OFFSETS).
    """
    spans = spans if spans is not None else tokenize(text)
    tokens = [text[a:b] for a, b in spans]
    count = len(tokens)
    if not count:
        return []
    owns, told, kinds = zip(*map(reader.parts, tokens), strict=True)
    flags_of = _context_flags(text, tokens, spans, italics, kinds, reader)
    rows = [own + flags for own, flags in zip(owns, flags_of, strict=True)]
    if count <= 3:  # a neighbour three away may be missing on both sides: pad each offset on its own
        heard = []
        for said, offset in zip(zip(*told, strict=True), OFFSETS, strict=True):
            edge = reader.edges[offset]
            if offset > 0:  # from the token `offset` before
                heard.append((*([edge] * min(offset, count)), *said[: max(count - offset, 0)]))
            else:
                heard.append((*said[-offset:], *([edge] * min(-offset, count))))
        return [
            [*row, *a3, *a2, *a1, *b1, *b2, *b3]
            for row, a3, a2, a1, b1, b2, b3 in zip(rows, *heard, strict=True)
        ]
    # What each token hears from the tokens three, two and one before it and one, two and three after it
    # (see OFFSETS), the missing ones at the edges as reader.edges says.
    three, two, one, one_back, two_back, three_back = zip(*told, strict=True)
    edges = reader.edges
    return [
        [*row, *a3, *a2, *a1, *b1, *b2, *b3]
        for row, a3, a2, a1, b1, b2, b3 in zip(
            rows,
            (edges[3],) * 3 + three[:-3],
            (edges[2],) * 2 + two[:-2],
            (edges[1], *one[:-1]),
            (*one_back[1:], edges[-1]),
            two_back[2:] + (edges[-2],) * 2,
            three_back[3:] + (edges[-3],) * 3,
            strict=True,
        )
    ]


def _context_flags(
    text: str,
    tokens: list[str],
    spans: list[tuple[int, int]],
    italics: list[tuple[int, int]] | None,
    kinds: tuple[TokenKinds, ...],
    reader: FeatureReader,
) -> list[tuple[Feature, ...]]:
    """Per token: position, field marks and commas before it, inside quotation marks, parentheses or
    brackets, after "In", after a year, start, end, italic, what it is after a place and a comma.

    A reference that begins with its year ("1604 MARZARI Giacomo, La historia ...", a bibliography ordered
    by year) is read from the token after the year: that token is a start, and position, field marks,
    commas and "after a year" are counted without the year, so its author looks like any other author.
    """
    places, flag = reader.places, reader.flags
    after_place = reader.after_place
    quoted, paren, bracket = flag["quoted"], flag["paren"], flag["bracket"]
    after_in_flag, after_year_flag = flag["after_in"], flag["after_year"]
    count, last = len(tokens), len(tokens) - 1
    skip = 1 if count > 2 and kinds[0][1] else 0
    length = count - skip
    opens = any(opening in text for opening in OPENINGS) or "[" in text
    phrase_of = _phrase_classes(kinds, reader) if any(map(PHRASE_WORD, kinds)) else {}
    quoted_again, after_quote = flag["quoted_again"], flag["after_quote"]
    lead, after_lead_flag, start, end = flag["lead"], flag["after_lead"], flag["start"], flag["end"]
    flags_of = []
    in_quote = in_paren = in_bracket = after_in = after_year = after_lead = False
    opener = "other"
    quotes = 0
    marks = commas = 0
    # Of the token before: whether it ends a field, and whether it is a place followed by a comma.
    previous_ends_field, place_comma = True, False
    for index, (token, kind) in enumerate(zip(tokens, kinds, strict=True)):
        is_in, is_year, is_mark, is_lead, ends_field, _, is_place, follower, _ = kind
        position = (index - skip) * 8 // length if index > skip else 0
        flags = places[position][marks if marks < 4 else 4][commas if commas < 6 else 6]
        if opens:
            first_char = token[0]
            if first_char in OPENING_QUOTES and not in_quote:
                in_quote = True
                quotes += 1
            elif first_char == "(":
                in_paren = True
            elif first_char == "[":
                in_bracket = True
            if in_quote:
                flags += quoted
                if quotes > 1:
                    flags += quoted_again
            elif quotes:
                flags += after_quote
            if in_paren:
                flags += paren
            if in_bracket:
                flags += bracket
        if after_in:
            flags += after_in_flag
        if index in phrase_of:
            flags += phrase_of[index]
            after_lead = False  # "in Title, a cura di X": the container ends where the editor begins
        if is_lead and previous_ends_field:
            flags += lead  # "in" where a field begins: ", in", ". In", "in:" at the start
            after_lead = True
            opener = kinds[index + 1][8] if index < last else "other"
            flags += reader.lead_opener[opener]
        elif after_lead:
            flags += after_lead_flag + reader.after_lead_opener[opener]
        if after_year:
            flags += after_year_flag
        if index == 0 or index == skip:
            flags += start
        if place_comma:
            flags += after_place[follower]
        if index == last:
            flags += end
        if italics:
            a_token, b_token = spans[index]
            if any(a < b_token and a_token < b for a, b in italics):
                flags += flag["italic"]
        flags_of.append(flags)
        if opens:
            if in_quote and token.rstrip(".,;:").endswith(CLOSING_QUOTES):
                in_quote = False
            if in_paren and ")" in token:
                in_paren = False
            if in_bracket and "]" in token:
                in_bracket = False
        after_in = after_in or is_in
        previous_ends_field, place_comma = ends_field, is_place and token[-1] == ","
        if index >= skip:
            after_year = after_year or is_year
            marks += is_mark
            commas += token[-1] == ","
    return flags_of


def _phrase_classes(kinds: tuple[TokenKinds, ...], reader: FeatureReader) -> dict[int, tuple[Feature, ...]]:
    """Token index -> "phrase=<class>" for the tokens of a vocabulary phrase ("a cura di": editor)."""
    words = [kind[5] for kind in kinds]
    found: dict[int, tuple[Feature, ...]] = {}
    phrases = _phrases()
    for index, word in enumerate(words):
        for name, phrase in phrases.get(word, ()):
            if tuple(words[index : index + len(phrase)]) == phrase:
                feature = reader.phrase_feature(name)
                for inside in range(index, index + len(phrase)):
                    found[inside] = feature
                break
    return found
