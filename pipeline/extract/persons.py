"""Find persons' names in a cleaned text by rules, whether or not the authority file knows them.

A capitalised pair says little on its own ("Popular Front", "Constitution Avenue"), so a name is taken only
where the layout or the words around it say it is a person's: a name in parentheses in a document heading
("The Minister in Ruritania (Surname) to ...", several names separated by commas), a signature (a paragraph
that is only a name, or a name before a record line such as "File No."), a name in capitals with a known
given name or initials ("GIVEN SURNAME"), a telegram's routing line ("For Surname from Surname"), a form of
address or an office before it ("Mr. Surname", "Ambassador Surname", "historian Given Surname"), an office
after it ("Surname, Vice Consul at ..."), the "Sender to Recipient, <month>" of an archival citation,
initials ("J. Surname"), a middle initial ("Given M. Surname"), a known given name ("Given Surname"), the
subject of a verb of saying ("Surname said"), or a capitalised pair whose last word the document also uses
alone. Names may be accented and carry particles ("von", "de la", "d’"). A bare capitalised word is then a
person's where it repeats the surname of a person so found in the same document.

Precision is a rule of its own: a one-word name found on weak evidence is dropped where the paper uses the
word as a place ("in Word", "at Word"), writes it in lower case (a common noun), or the caller says it names
a place or body; a name followed by an eponym noun ("Surname Library", "the Surname government") is a thing,
not a person. The vocabularies are data files in vocab/.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache

from pipeline.vocab import load_mapping, load_vocab, load_words

# Letters of the Latin alphabets (with accents) by case, so that "Vicuña", "Széchényi" and "Œuvre" are words.
UPPER = "A-ZÀ-ÖØ-Þ" + "".join(chr(c) for c in range(0x100, 0x250) if chr(c).isupper())
LOWER = "a-zß-öø-ÿ" + "".join(chr(c) for c in range(0x100, 0x250) if chr(c).islower())
# One word of a name: "Surname", "MacSurname", "Double-Barrelled"; at least two lower-case letters so
# that abbreviations such as "Ph" in "Ph.D." or "Co" are not names.
NAME_WORD = (
    rf"(?:[{UPPER}](?:[{LOWER}]+[{UPPER}])?[{LOWER}]{{2,}}(?:[-‐][{UPPER}]?[{LOWER}]+)*"
    rf"|[{UPPER}][{LOWER}](?=['’][{UPPER}]))"
)
NAME_WORD_RE = re.compile(NAME_WORD)
INITIAL = rf"[{UPPER}]\."
# A name ends at a word boundary; a possessive 's may follow ("Surname’s"), other apostrophes or hyphens not.
NOT_AFTER = r"(?!\w|[’'](?!s\b)|-|\.\w)"
NOT_BEFORE = r"(?<![\w.’'-])"
CAPITALISED_WORD = re.compile(rf"{NOT_BEFORE}[{UPPER}](?:[\w‐-]|['’](?!s\b))*[{LOWER}]{NOT_AFTER}")
NEXT_CAPITAL = re.compile(rf" [{UPPER}]")
WORD = re.compile(r"(?<![\w.’'-])[^\W\d_][\w'’]*\.?")
# A name in capitals ("GIVEN SURNAME", "G. M. SURNAME"): two to four words of capitals or initials.
CAPITALS_NAME = re.compile(
    rf"{NOT_BEFORE}(?P<name>(?:[{UPPER}]{{2,}}|[{UPPER}]\.)(?:[^\S\n]+(?:[{UPPER}]{{2,}}|[{UPPER}]\.)){{1,3}})"
    rf"(?=['’]S\b|(?![\w’'-]))"
)
# A word right after which a capitalised word is a place or a body, not a person ("in Word", "at Word").
PLACE_BEFORE = re.compile(
    rf"(?<![\w-])(?:in|at|near|of the Government of|(?:the\s+)?(?:[Ss]tate|[Cc]ity|[Pp]ort|[Pp]rovince)\s+of)"
    rf"\s+(?P<word>[{UPPER}][\w’'‐-]*(?: [{UPPER}][\w’'‐-]*)?)"
)
# Spaces within a line: a title at the end of one paragraph does not belong to a name in the next.
SPACE = r"[^\S\n]+"
SENTENCE_OPENERS = '.!?:;\n"“(['
# A post-nominal that belongs to the name it follows ("Given Surname, Esq.", "Surname Jr."); "Sen." and
# "Senior" only after a comma, where they are not a senator's title.
POST_NOMINAL = re.compile(
    rf",?{SPACE}(?:Esqs?|Jr|Sr)(?:\.|(?!\w))|,{SPACE}(?:Sen|Junior|Senior)(?:\.|(?!\w))"
)


@dataclass(frozen=True)
class PersonSpan:
    """A person's name found by a rule: where it stands, its parts, and what gave it away."""

    start: int
    end: int
    surname: str
    given: str | None
    gender: str | None
    reason: str
    title_start: int
    addressed: bool = False


@dataclass(frozen=True)
class _Vocab:
    non_names: frozenset[str]
    given_names: frozenset[str]
    honorifics: dict[str, str]
    titles: tuple[str, ...]
    record_lines: tuple[str, ...]
    months: tuple[str, ...]
    nationalities: frozenset[str]
    particles: tuple[str, ...]
    eponym_nouns: frozenset[str]
    saying_verbs: tuple[str, ...]
    given_abbreviations: frozenset[str]
    sentence_starters: frozenset[str]


@cache
def _vocab() -> _Vocab:
    return _Vocab(
        non_names=frozenset(load_words("non_name_words")),
        given_names=frozenset(w for name in load_words("given_names") for w in (name, _unaccented(name))),
        honorifics={str(k): str(v) for k, v in load_mapping("honorifics").items()},
        titles=load_words("person_titles"),
        record_lines=load_words("record_line_starts"),
        months=tuple(form for forms in load_vocab("months") for form in forms),
        nationalities=frozenset(load_words("nationalities")),
        particles=load_words("name_particles"),
        eponym_nouns=frozenset(load_words("eponym_nouns")),
        given_abbreviations=frozenset(load_words("given_name_abbreviations")),
        sentence_starters=frozenset(load_words("sentence_starters")),
        saying_verbs=tuple(
            v for v in load_words("reporting_verbs") if not v.endswith("ing") and not v.startswith("to ")
        ),
    )


def _unaccented(word: str) -> str:
    """The word without its accents ("René" -> "Rene"), so that a given name is known however written."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def is_given_name(word: str) -> bool:
    """Whether a word is a common given name (vocab/given_names.yaml), with or without its accents."""
    given = _vocab().given_names
    return word in given or _unaccented(word) in given


def _alternation(words: tuple[str, ...] | list[str], any_case_first: bool = False) -> str:
    """One regex alternative per word or phrase, longest first; optionally also with a lower-case initial."""
    escaped = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        pattern = re.escape(word).replace(r"\ ", r"\s+")
        if any_case_first and word[0].isupper() and word[1:2].islower():
            pattern = f"[{word[0]}{word[0].lower()}]{pattern[1:]}"
        escaped.append(pattern)
    return "(?:" + "|".join(escaped) + ")"


@dataclass(frozen=True)
class _Patterns:
    titled: re.Pattern[str]
    heading: re.Pattern[str]
    initials: re.Pattern[str]
    middle_initial: re.Pattern[str]
    given_name: re.Pattern[str]
    signature: re.Pattern[str]
    office_before: re.Pattern[str]
    office_after: re.Pattern[str]
    correspondents: re.Pattern[str]
    pair: re.Pattern[str]
    routing: re.Pattern[str]
    eponym_after: re.Pattern[str]
    speaker: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    vocab = _vocab()
    honorifics = _alternation([w for w in vocab.honorifics if w[-1] == "." or len(w) > 1])
    offices = _alternation(vocab.titles, any_case_first=True)
    cue = f"(?:{honorifics}|{offices})"
    # A surname may follow a particle ("von Surname", "de la Surname", "d’Surname").
    surname = rf"(?:(?:{_alternation(vocab.particles)}){SPACE}|[dD]['’])?{NAME_WORD}"
    word = rf"(?:{INITIAL}\s?)*{NAME_WORD}"
    name = rf"(?P<name>(?:{INITIAL}\s?){{0,3}}{surname}(?:\s(?:{INITIAL}\s)*{surname}){{0,2}})"
    short_name = rf"(?:{INITIAL}\s?){{0,3}}{NAME_WORD}(?:\s{NAME_WORD})?"
    months = _alternation(vocab.months)
    # An abbreviated given name with its full stop ("Wm.", "Benj.") stands where an initial does.
    abbreviated = rf"{_alternation(sorted(vocab.given_abbreviations))}\."
    return _Patterns(
        titled=re.compile(
            rf"{NOT_BEFORE}(?P<title>(?:{cue}{SPACE}(?:and{SPACE}{honorifics}{SPACE})?)+)"
            rf"(?:of{SPACE}State{SPACE})?{name}{NOT_AFTER}"
        ),
        heading=re.compile(
            rf"\((?P<name>{surname}(?:\s{surname}){{0,2}}(?:,\s(?:and\s)?{surname}(?:\s{surname}){{0,2}})*)\)"
        ),
        initials=re.compile(
            rf"{NOT_BEFORE}(?P<name>(?:{abbreviated}\s?(?:{INITIAL}\s?){{0,2}}|(?:{INITIAL}\s?){{1,3}})"
            rf"(?:{NAME_WORD}\s)?{surname}){NOT_AFTER}"
        ),
        middle_initial=re.compile(
            rf"{NOT_BEFORE}(?P<name>{NAME_WORD}\s(?:{INITIAL}\s?){{1,2}}\s?{surname}){NOT_AFTER}"
        ),
        given_name=re.compile(
            rf"{NOT_BEFORE}(?=(?P<name>{NAME_WORD}\s{surname}(?:{SPACE}(?P<third>{NAME_WORD}))?){NOT_AFTER})"
        ),
        signature=re.compile(
            rf"^(?P<name>{word}(?:\s(?:{INITIAL}\s)*{NAME_WORD}){{0,2}})"
            rf"(?:\s*$|\s+(?={_alternation(vocab.record_lines)}))"
        ),
        office_before=re.compile(rf"\b{_alternation(list(vocab.titles))}\b[^()]{{0,60}}$"),
        office_after=re.compile(rf"{NOT_BEFORE}(?P<name>{short_name}),\s+(?:the\s+)?(?:{offices})\b"),
        correspondents=re.compile(
            rf"{NOT_BEFORE}(?P<sender>{short_name})\s+to\s+(?P<name>{short_name}),\s+(?:{months})\b"
        ),
        pair=re.compile(rf"{NOT_BEFORE}(?=(?P<name>{NAME_WORD}\s{NAME_WORD}){NOT_AFTER})"),
        routing=re.compile(
            rf"(?<![\w-])(?:[Ff]or{SPACE}(?P<to>{NAME_WORD}){SPACE}from|\[From){SPACE}(?P<name>{surname})"
            rf"(?=[.:\]])|(?<![\w-])From{SPACE}(?P<sender>{surname}){SPACE}for{SPACE}"
        ),
        speaker=re.compile(
            rf"{NOT_BEFORE}(?P<name>{NAME_WORD}(?:{SPACE}{surname})?){SPACE}"
            rf"(?:(?:has|had|will|would|also|just|now|then|again|further){SPACE}){{0,2}}"
            rf"{_alternation(vocab.saying_verbs)}(?![\w-])"
        ),
        eponym_after=re.compile(
            rf"(?:{SPACE}{_alternation(list(vocab.eponym_nouns))}(?![\w-])"
            rf"|,?{SPACE}&|(?:,{SPACE}{NAME_WORD})*,?{SPACE}(?:&|and){SPACE}(?:Co\.|Company\b))"
        ),
    )


def _parts(name: str) -> tuple[list[str], list[str]]:
    """The full words and the initials of a name."""
    tokens = [ELIDED_PARTICLE.sub("", t) for t in name.replace(".", ". ").split()]
    words = [t for t in tokens if NAME_WORD_RE.fullmatch(t)]
    initials = [t for t in tokens if re.fullmatch(INITIAL, t)]
    return words, initials


def _make(
    text: str,
    start: int,
    end: int,
    reason: str,
    title_start: int | None = None,
    gender: str | None = None,
    common_ok: bool = False,
) -> PersonSpan | None:
    """A PersonSpan for text[start:end], or None when a word of it is a common non-name word.

    ``common_ok`` also marks the span as addressed (by a form of address or a heading's office).

    With ``common_ok`` (a form of address or an office in a document heading stands before it), a common
    word is a surname too ("Mr. White", "(House)"); offices and nationalities never are.
    """
    vocab = _vocab()
    words, initials = _parts(text[start:end])
    # A common word the name pattern took after a full name is not part of it ("Major Surname Both").
    while reason in TRIMMED_REASONS and not common_ok and len(words) > 1 and words[-1] in vocab.non_names:
        cut = text[start:end].rstrip()[: -len(words[-1])].rstrip()
        if not cut.endswith(words[-2]):
            break
        end = start + len(cut)
        words, initials = _parts(text[start:end])
    # Two initials before a surname are evidence enough for a common word ("E. M. House"); one is not
    # ("A. Large dining room" in a lettered list).
    if common_ok or (len(initials) >= 2 and len(words) == 1 and words[0] not in vocab.sentence_starters):
        common = vocab.nationalities | _address_words()
    else:
        common = vocab.non_names
    abbreviations = vocab.given_abbreviations | _month_abbreviations() | vocab.non_names
    if text.startswith(".", end) and words and words[-1] in abbreviations:
        return None
    # A known given name first is a given name even where it is also a common word ("Bill Surname").
    checked = words[1:] if reason == "given_name" else words
    # A month before a surname is a given name ("Miss May Surname"); as the last word it is a date.
    checked = [w for w in checked[:-1] if w not in vocab.months] + checked[-1:]
    if not words or any(w in common or w in vocab.nationalities or _is_title_word(w) for w in checked):
        return None
    if initials and "".join(initials) in vocab.non_names:
        return None
    given = words[0] if len(words) > 1 else None
    return PersonSpan(
        start, end, words[-1], given, gender, reason, start if title_start is None else title_start, common_ok
    )


@cache
def _month_abbreviations() -> frozenset[str]:
    """Months' printed abbreviations ("Oct", "Sept"): before a full stop, never the end of a name."""
    return frozenset(form for forms in load_vocab("months") for form in forms[1:])


def _is_title_word(word: str) -> bool:
    """Whether a word is an office's last word, or a hyphened office ("Commander-in-Chief")."""
    titles = _title_words()
    plural = word.endswith("s") and word[:-1] in titles
    return word in titles or plural or ("-" in word and any(part in titles for part in word.split("-")))


@cache
def _address_words() -> frozenset[str]:
    """Forms of address and months: never a surname, even after "Mr." ("Dear Sir", "Mr. May" aside)."""
    vocab = _vocab()
    return frozenset(w.rstrip(".") for w in vocab.honorifics) | frozenset(vocab.months)


@cache
def _title_words() -> frozenset[str]:
    """Offices' last words, without an elided particle ("Affaires" of "Chargé d'Affaires")."""
    return frozenset(ELIDED_PARTICLE.sub("", title.split()[-1]) for title in _vocab().titles)


def title_gender(title: str) -> str | None:
    """The gender a form of address implies ("Mrs." female, "Sir" male), None for offices and "Dr."."""
    words = title.split()
    if not words or "and" in words:
        return None
    gender = _vocab().honorifics.get(words[0]) or _vocab().honorifics.get(words[0].rstrip("."))
    return gender if gender in ("male", "female") else None


def name_parts(name: str) -> tuple[str | None, tuple[str, ...], str | None, str]:
    """(given name, initials, surname, the name as written) of a found name, without address or office."""
    vocab = _vocab()
    tokens = [t for t in re.sub(r"\.(?=\S)", ". ", name).split() if t]
    while tokens and (tokens[0] in vocab.honorifics or tokens[0].rstrip(".") in vocab.honorifics):
        tokens = tokens[1:]
    kept: list[str] = []
    for token in tokens:
        if token in _title_words() or token in vocab.non_names or token[:1].islower():
            kept = []
            continue
        kept.append(token)
    words = [t for t in kept if NAME_WORD_RE.fullmatch(t)]
    initials = tuple(t for t in kept if re.fullmatch(INITIAL, t))
    if not words:
        return None, initials, None, " ".join(kept)
    return (words[0] if len(words) > 1 else None), initials, words[-1], " ".join(kept)


def known_given_names() -> frozenset[str]:
    """Common given names (vocab/given_names.yaml)."""
    return _vocab().given_names


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, paragraph or quotation, where capitals say nothing."""
    before = text[max(0, start - 3) : start].rstrip(" ")
    return not before or before[-1] in SENTENCE_OPENERS


def non_name_words() -> frozenset[str]:
    """Capitalised words that are not parts of personal names (vocab/non_name_words.yaml)."""
    return _vocab().non_names


def find_person_spans(
    text: str, paragraphs: list[tuple[int, int]], not_persons: frozenset[str] = frozenset()
) -> list[PersonSpan]:
    """Person names in the text, found by the layout and word rules in this module's docstring.

    ``paragraphs`` are (start, end) spans of the paragraphs and notes, for heading and signature rules;
    ``not_persons`` are words known to name places or bodies (the authority file's), never a one-word
    person on weak evidence.
    Returns non-overlapping spans in text order; where rules overlap, the longest span (then the first) wins.
    """
    patterns, vocab = _patterns(), _vocab()
    lower = frozenset(LOWER_WORD.findall(text))
    found: list[PersonSpan | None] = []
    for index, (start, end) in enumerate(paragraphs):
        paragraph = text[start:end]
        signature = patterns.signature.match(paragraph)
        if signature and len(paragraph) < 200 and _after_a_letter(text, paragraphs, index):
            found.append(_make(text, start, start + signature.end("name"), "signature"))
        heading = len(paragraph) < 250 and not paragraph.rstrip().endswith(".")
        for match in patterns.heading.finditer(paragraph):
            office = patterns.office_before.search(paragraph[: match.start()]) is not None
            if heading or office:
                for piece in LIST_ITEM.finditer(match.group("name")):
                    piece_start = start + match.start("name") + piece.start("item")
                    found.append(
                        _make(
                            text,
                            piece_start,
                            piece_start + len(piece.group("item")),
                            "heading",
                            common_ok=office,
                        )
                    )
        found += _capitals_names(text, start, end)
    for match in _titled_matches(text):
        title = match.group("title")
        before = text[max(0, match.start() - 30) : match.start()].split()
        if before and before[-1] in vocab.nationalities and " " not in match.group("name"):
            continue
        addressed = title.split()[0] in vocab.honorifics
        found.append(
            _make(
                text,
                match.start("name"),
                match.end("name"),
                "title_cue",
                match.start(),
                title_gender(title),
                common_ok=addressed,
            )
        )
    for match in patterns.routing.finditer(text):
        for group in ("to", "name", "sender"):
            if match.group(group):
                found.append(_make(text, match.start(group), match.end(group), "routing"))
    for match in patterns.office_after.finditer(text):
        found.append(_make(text, match.start("name"), match.end("name"), "office_after"))
    for match in patterns.correspondents.finditer(text):
        found.append(_make(text, match.start("sender"), match.end("sender"), "correspondent"))
        found.append(_make(text, match.start("name"), match.end("name"), "correspondent"))
    for match in patterns.initials.finditer(text):
        found.append(_make(text, match.start("name"), match.end("name"), "initials"))
    for match in patterns.middle_initial.finditer(text):
        found.append(_make(text, match.start("name"), match.end("name"), "middle_initial"))
    for match in patterns.given_name.finditer(text):
        if is_given_name(match.group("name").split()[0]):
            third = match.group("third")
            if third is None:
                found.append(_make(text, match.start("name"), match.end("name"), "given_name"))
            elif third.lower() in lower and not _is_title_word(third) and third not in vocab.non_names:
                # A third word the paper also writes in lower case makes the run a thing ("Given Word Guns");
                # an office there follows a name ("Given Surname Chief, Division of ...").
                continue
            else:
                # A known given name there starts the next name ("Given Surname Given Surname").
                whole = not is_given_name(third)
                span = _make(text, match.start("name"), match.end("name"), "given_name") if whole else None
                end = match.start("third")
                while text[end - 1].isspace():
                    end -= 1
                found.append(span or _make(text, match.start("name"), end, "given_name"))
    for match in patterns.speaker.finditer(text):
        # After a preposition the word is not the verb's subject ("the deputation from Word proposed"); an
        # adverb opens a sentence ("Reliably reported").
        adverb = match.group("name").endswith("ly") and sentence_initial(text, match.start())
        body = " " not in match.group("name") and _after_the(text, match.start())
        if (
            not adverb
            and not body
            and not PREPOSITION_BEFORE.search(text, max(0, match.start() - 12), match.start())
        ):
            found.append(_make(text, match.start("name"), match.end("name"), "speaker"))
    found += _recurring_pairs(text, {span.surname for span in found if span is not None}, lower)
    found += _conjuncts(text, [s for s in found if s is not None and s.reason in STRONG_REASONS])
    found += _list_items(text, [s for s in found if s is not None and s.reason in STRONG_REASONS], lower)
    spans = _with_evidence(text, _longest_first([s for s in found if s is not None]), not_persons, lower)
    spans = _with_repeated_surnames(text, spans, lower)
    return [replace(s, end=post_nominal_end(text, s.end)) for s in spans]


def post_nominal_end(text: str, end: int) -> int:
    """Where a name ending at ``end`` ends with its post-nominal ("Esq.", "Jr."), if one follows."""
    match = POST_NOMINAL.match(text, end)
    return match.end() if match else end


def find_person_names(text: str) -> list[PersonSpan]:
    """Person names in any span of text (a sentence, a heading, a note) by the rules of this module.

    The one name model of the pipeline for callers outside linking (senders and recipients of documents,
    claim subjects): each blank-line-separated block of the text is a paragraph for the heading and
    signature rules. Returns non-overlapping spans in text order, offsets into ``text``.
    """
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n](?:[^\n]|\n(?!\s*\n))*", text)]
    return find_person_spans(text, paragraphs)


# Reasons that need no more evidence: the layout or a form of address says "person" at that very place.
STRONG_REASONS = frozenset(
    {"heading", "signature", "title_cue", "initials", "middle_initial", "given_name", "capitals", "routing"}
)
CONJUNCT_AFTER = re.compile(
    rf"{SPACE}and{SPACE}(?P<name>{NAME_WORD}){NOT_AFTER}(?!\s[{UPPER}]|\.\s[{UPPER}])"
)
CONJUNCT_BEFORE = re.compile(rf"(?<![\w.’'-])(?<!, )(?P<name>{NAME_WORD}){SPACE}and{SPACE}\Z")
INITIAL_RE = re.compile(rf"{INITIAL}")
LOWER_WORD = re.compile(rf"(?<![\w-])[{LOWER}]+(?![\w-])")
LIST_GOES_ON = re.compile(rf",|{SPACE}and(?!\w)")
GIVEN_BEFORE = re.compile(rf"(?<![\w.’'-])(?P<given>{NAME_WORD})[^\S\n]\Z")
ELIDED_PARTICLE = re.compile(r"^[dD]['’](?=\w)")
TRIMMED_REASONS = frozenset({"title_cue"})
PREPOSITION_BEFORE = re.compile(
    r"(?<![\w-])(?:of|from|to|in|at|by|with|for|on|upon|into|against|between|among|under)\s+\Z"
)
LIST_NAME = rf"(?P<name>{NAME_WORD}(?:{SPACE}(?:{INITIAL}{SPACE}?)*{NAME_WORD}){{1,2}})"
LIST_NEXT = re.compile(
    rf"(?:,{SPACE}(?:and{SPACE})?|{SPACE}and{SPACE}){LIST_NAME}{NOT_AFTER}(?=,|;|\.|{SPACE}(?:and{SPACE}|[{LOWER}]))"
)
LIST_BEFORE = re.compile(rf"(?:(?<=, )|(?<=\n)|(?<=: )){LIST_NAME},{SPACE}(?:and{SPACE})?\Z")
LIST_ITEM = re.compile(r"(?:^|,\s(?:and\s)?)(?P<item>[^,]+)")


def _place_words(text: str) -> tuple[frozenset[str], frozenset[int]]:
    """Words the paper uses as places or bodies ("in Word", "at Word"), and where those uses stand."""
    eponyms = _vocab().eponym_nouns
    found = [
        m
        for m in PLACE_BEFORE.finditer(text)
        if m.group("word").split()[-1] not in eponyms and not _patterns().eponym_after.match(text, m.end())
    ]
    words = {word for m in found for word in m.group("word").split()}
    starts = {m.start("word") + i for m in found for i in (0, m.group("word").find(" ") + 1) if i >= 0}
    return frozenset(words) | _vocab().nationalities, frozenset(starts)


def _with_evidence(
    text: str, spans: list[PersonSpan], not_persons: frozenset[str], lower: frozenset[str]
) -> list[PersonSpan]:
    """Drop names that are things named after a person ("Surname Library", "the Surname government"), and
    one-word names found by a weak cue (a name after it, a verb of saying, a repeated pair) whose word the
    paper uses as a place, the authority knows as a place or body, or the paper also writes in lower case
    (a common noun: "Peace", "Division")."""
    places, _ = _place_words(text)
    places |= not_persons
    eponym_after, eponyms = _patterns().eponym_after, _vocab().eponym_nouns
    kept = []
    for span in spans:
        if span.reason not in ("heading", "signature") and eponym_after.match(text, span.end):
            continue
        lone_signature = span.reason == "signature" and span.given is None
        weak = (span.reason not in STRONG_REASONS or lone_signature) and not span.addressed
        common = span.surname in places or span.surname.lower() in lower or span.surname in eponyms
        lettered = (
            span.reason == "initials" and span.given is None and text[span.start + 1 : span.start + 2] == "."
        )
        lettered = lettered and not INITIAL_RE.match(text, span.start + 3) and span.surname.lower() in lower
        # "Minister of Word", "University of Word": a body or a place, unless something stronger says person.
        after_of = span.given is None and text[max(0, span.title_start - 4) : span.title_start] == " of "
        common = common or after_of
        if lettered or (weak and (span.given is None or span.reason == "recurring_surname") and common):
            continue
        # A repeated pair whose first word the paper uses as a place ("Place Surname") is no one's name, nor
        # an office before a place ("Consul Place inquired"), nor a signature-like line of two common words
        # ("Aircraft Carriers").
        if span.reason == "recurring_surname" and span.given in places:
            continue
        office_only = span.reason == "title_cue" and not span.addressed and span.given is None
        if office_only and (span.surname in places or span.surname in eponyms):
            continue
        # An office in lower case before a common noun of the paper ("each member Power") names no one.
        if office_only and text[span.title_start].islower() and span.surname.lower() in lower:
            continue
        # "the Given Surname" is a building or a thing named after someone ("the Given Hall").
        if span.reason in ("given_name", "recurring_surname") and _after_the(text, span.start):
            continue
        unknown = span.given is not None and not is_given_name(span.given)
        if (
            span.reason == "signature"
            and unknown
            and span.surname.lower() in lower
            and "." not in text[span.start : span.end]
        ):
            continue
        kept.append(span)
    return kept


def _conjuncts(text: str, persons: list[PersonSpan]) -> list[PersonSpan | None]:
    """One-word names joined by "and" to a person found by a strong rule ("Surname and Mr. Surname")."""
    found: list[PersonSpan | None] = []
    for person in persons:
        after = CONJUNCT_AFTER.match(text, person.end)
        if after:
            found.append(_make(text, after.start("name"), after.end("name"), "conjunct"))
        before = CONJUNCT_BEFORE.search(text, max(0, person.title_start - 40), person.title_start)
        if before and not sentence_initial(text, before.start("name")):
            found.append(_make(text, before.start("name"), before.end("name"), "conjunct"))
    return found


def _list_items(text: str, persons: list[PersonSpan], lower: frozenset[str]) -> list[PersonSpan | None]:
    """Full names in a list beside a person found by a strong rule ("Given Surname, Given Surname, and
    Given Surname", "Given Surname and Given Surname played"), item by item along the list. An item with a
    word the paper also writes in lower case ("Cotton Yarn") is a thing, and ends the list."""
    found: list[PersonSpan | None] = []
    todo = [p for p in persons if p.given is not None or p.reason == "initials"]
    seen = {(p.start, p.end) for p in todo}
    while todo:
        person = todo.pop()
        items = [LIST_NEXT.match(text, post_nominal_end(text, person.end))]
        items.append(LIST_BEFORE.search(text, max(0, person.title_start - 60), person.title_start))
        for item in items:
            if item is None or (item.start("name"), item.end("name")) in seen:
                continue
            seen.add((item.start("name"), item.end("name")))
            words = item.group("name").split()
            if any(w.lower() in lower for w in words if not is_given_name(w)):
                continue
            span = _make(text, item.start("name"), item.end("name"), "list_item")
            if span is not None:
                found.append(span)
                todo.append(span)
    return found


def _after_a_letter(text: str, paragraphs: list[tuple[int, int]], index: int) -> bool:
    """Whether a paragraph stands where a signature does: after running text (a letter or telegram body,
    or its closing "I have, etc."), not after another short line as in a list of ships or a heading."""
    if index == 0:
        return False
    start, end = paragraphs[index - 1]
    before = text[start:end].rstrip()
    return len(before) >= 40 or "etc" in before or before.endswith(",")


def _capitals_names(text: str, start: int, end: int) -> list[PersonSpan | None]:
    """Names in capitals in a paragraph: "GIVEN SURNAME" with a known given name, or a paragraph that is
    only a name in capitals (a signature)."""
    vocab = _vocab()
    found: list[PersonSpan | None] = []
    paragraph = text[start:end]
    for match in CAPITALS_NAME.finditer(paragraph):
        tokens = match.group("name").replace(".", ". ").split()
        words = [t.capitalize() for t in tokens if not t.endswith(".")]
        if not words or any(
            w in vocab.non_names or w in _title_words() or w in vocab.honorifics for w in words
        ):
            continue
        alone = paragraph.strip(" ,.;:") == match.group("name").rstrip(".")
        initials = len(words) < len(tokens)
        if not is_given_name(words[0]) and not (alone and len(words) >= 2) and not initials:
            continue
        given = words[0] if len(words) > 1 else None
        found.append(
            PersonSpan(
                start + match.start("name"),
                start + match.end("name"),
                words[-1],
                given,
                None,
                "capitals",
                start + match.start("name"),
            )
        )
    return found


@cache
def _cue_first_words() -> frozenset[str]:
    """First words of the forms of address and offices, as written and with a lower-case initial."""
    vocab = _vocab()
    words = {w.split()[0] for w in [*vocab.honorifics, *vocab.titles]}
    return frozenset(words | {w[0].lower() + w[1:] for w in words})


def _titled_matches(text: str) -> list[re.Match[str]]:
    """Matches of the title-cue pattern, tried only where a word that starts a cue stands (much faster)."""
    titled, cues = _patterns().titled, _cue_first_words()
    found = []
    end = 0
    for word in WORD.finditer(text):
        if word.start() >= end and word.group() in cues:
            match = titled.match(text, word.start())
            if match:
                found.append(match)
                end = match.end()
    return found


def _recurring_pairs(text: str, surnames: set[str], lower: frozenset[str]) -> list[PersonSpan | None]:
    """Capitalised pairs "Given Surname" whose last word the document also uses alone (not before a name).

    A pair whose first word is the surname of a person found by another rule ("Surname Place’s ...") is not
    a name, nor one whose first word the paper also writes in lower case ("Electric Word").
    """
    pairs = list(_patterns().pair.finditer(text))
    if not pairs:
        return []
    in_pairs = {m.start("name") for m in pairs} | {
        m.end("name") - len(m.group("name").split()[1]) for m in pairs
    }
    lasts = {m.group("name").split()[1] for m in pairs}
    used = {
        m.group()
        for m in CAPITALISED_WORD.finditer(text)
        if m.group() in lasts
        and m.start() not in in_pairs
        and not NEXT_CAPITAL.match(text, m.end())
        and not _after_the(text, m.start())
    }
    return [
        _make(text, m.start("name"), m.end("name"), "recurring_surname")
        for m in pairs
        if m.group("name").split()[1] in used
        and m.group("name").split()[0] not in surnames
        and m.group("name").split()[0].lower() not in lower
        and (is_given_name(m.group("name").split()[0]) or not sentence_initial(text, m.start("name")))
    ]


class _Taken:
    """Non-overlapping (start, end) spans kept in order, for quick overlap tests."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self.spans = sorted(spans or [])
        self.starts = [start for start, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)
        return any(s < end and start < e for s, e in self.spans[max(0, i - 2) : i])

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.spans.insert(i, (start, end))


def _longest_first(spans: list[PersonSpan]) -> list[PersonSpan]:
    """Non-overlapping spans: a recurring pair only where no stronger rule found a name; then the longest."""
    kept: list[PersonSpan] = []
    taken = _Taken()
    ranked = sorted(
        spans, key=lambda s: (s.reason == "recurring_surname", -(s.end - s.title_start), s.title_start)
    )
    for span in ranked:
        if not taken.overlaps(span.title_start, span.end):
            kept.append(span)
            taken.add(span.title_start, span.end)
    return sorted(kept, key=lambda s: s.title_start)


def _with_repeated_surnames(text: str, spans: list[PersonSpan], lower: frozenset[str]) -> list[PersonSpan]:
    """Add bare occurrences of the surnames already found, outside the spans found."""
    places, place_uses = _place_words(text)
    non_names = _vocab().non_names
    surnames = {
        s.surname
        for s in spans
        if (s.reason in STRONG_REASONS or s.addressed or s.surname not in places)
        and (s.surname not in non_names or s.addressed)
    }
    taken = _Taken([(s.title_start, s.end) for s in spans])
    eponym_after = _patterns().eponym_after
    extra = [
        _with_given_before(text, m.start(), m.end(), places | surnames, lower, taken)
        for m in CAPITALISED_WORD.finditer(text)
        if m.group() in surnames
        and not taken.overlaps(m.start(), m.end())
        and m.start() not in place_uses
        and not eponym_after.match(text, m.end())
        and not _after_the(text, m.start())
    ]
    return sorted(spans + extra, key=lambda s: s.title_start)


def _after_the(text: str, start: int) -> bool:
    """Whether "the" stands right before a word: "the Word replied" is a body or a place, not a person."""
    return text[max(0, start - 4) : start].lower() == "the "


def _with_given_before(
    text: str, start: int, end: int, not_given: frozenset[str], lower: frozenset[str], taken: _Taken
) -> PersonSpan:
    """A bare surname, with the unknown name word right before it as its given name ("Given Surname" in a
    list of names, or a known given name), unless that word is a place, a surname found or a common word of
    the paper."""
    surname = text[start:end]
    before = GIVEN_BEFORE.search(text, max(0, start - 30), start)
    if before is not None and not taken.overlaps(before.start(), start):
        given = before.group("given")
        vocab = _vocab()
        word_like = given not in not_given and given.lower() not in lower and given not in vocab.non_names
        listed = text[max(0, before.start() - 2) : before.start()] in (", ", ": ") and LIST_GOES_ON.match(
            text, end
        )
        known = is_given_name(given) and not sentence_initial(text, before.start())
        if word_like and (known or listed) and not _is_title_word(given) and given not in _address_words():
            return PersonSpan(before.start(), end, surname, given, None, "surname", before.start())
    return PersonSpan(start, end, surname, None, None, "surname", start)
