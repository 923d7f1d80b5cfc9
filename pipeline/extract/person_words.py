"""The words and patterns of persons' names, and how a candidate name becomes a PersonSpan.

Shared by the rules that find names (pipeline/extract/persons.py) and by the modules that read names found
elsewhere (linking, document correspondents): the letters of a name word, initials, titles and forms of
address, the vocabularies of vocab/ (given names, honorifics, offices, particles, eponym nouns, words that
are never names) and the compiled patterns of each rule. ``make_span`` is the common gate: a candidate
whose words are offices, nationalities or common words is no one's name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from pipeline.vocab import load_mapping, load_vocab, load_words

# Letters of the Latin alphabets (with accents) by case, so that "Vicuña", "Széchényi" and "Œuvre" are words.
UPPER = "A-ZÀ-ÖØ-Þ" + "".join(chr(c) for c in range(0x100, 0x250) if chr(c).isupper())
LOWER = "a-zß-öø-ÿ" + "".join(chr(c) for c in range(0x100, 0x250) if chr(c).islower())
# One word of a name: "Surname", "MacSurname", "Double-Barrelled", "O’Surname"; at least two lower-case
# letters so that abbreviations such as "Ph" in "Ph.D." or "Co" are not names.
NAME_WORD = (
    rf"(?:[{UPPER}](?:[{LOWER}]+[{UPPER}])?[{LOWER}]{{2,}}(?:[-‐][{UPPER}]?[{LOWER}]+)*"
    rf"|[{UPPER}][{LOWER}](?=['’][{UPPER}])|O['’][{UPPER}][{LOWER}]{{2,}})"
)
NAME_WORD_RE = re.compile(NAME_WORD)
INITIAL = rf"[{UPPER}]\."
# A name ends at a word boundary; a possessive 's may follow ("Surname’s"), and after a final s, x or z the
# possessive's bare apostrophe ("Surnames’ cable"); other apostrophes or hyphens not.
NOT_AFTER = r"(?!\w|(?<![sxz])[’'](?!s\b)|[’'](?=\w)(?!s\b)|-|\.\w)"
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
    rf",?{SPACE}(?:Esqs?|Jr|Sr)(?:\.|(?!\w))|,{SPACE}(?:Sen|Junior|Senior|Esquire|ESQUIRE)(?:\.|(?!\w))"
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
class PersonVocab:
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
    vessel_words: tuple[str, ...]
    firm_words: frozenset[str]
    place_starts: tuple[str, ...]
    countries: frozenset[str]
    adjective_offices: frozenset[str]


@cache
def person_vocab() -> PersonVocab:
    return PersonVocab(
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
        vessel_words=load_words("vessel_words"),
        firm_words=frozenset(load_words("firm_words")),
        place_starts=load_words("place_name_starts"),
        countries=frozenset(load_words("country_names")),
        adjective_offices=frozenset(load_words("adjective_offices")),
        saying_verbs=tuple(
            v for v in load_words("reporting_verbs") if not v.endswith("ing") and not v.startswith("to ")
        ),
    )


def _unaccented(word: str) -> str:
    """The word without its accents ("René" -> "Rene"), so that a given name is known however written."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def is_given_name(word: str) -> bool:
    """Whether a word is a common given name (vocab/given_names.yaml), with or without its accents."""
    given = person_vocab().given_names
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
class NamePatterns:
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
    vessel_before: re.Pattern[str]
    vessel_after: re.Pattern[str]
    firm_before: re.Pattern[str]
    place_before: re.Pattern[str]


@cache
def name_patterns() -> NamePatterns:
    vocab = person_vocab()
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
    vessels, prefixes = _vessel_patterns(vocab.vessel_words)
    vessels = rf"{vessels}(?![\w-])"
    firms = rf"{_alternation(sorted(vocab.firm_words))}(?![\w-])"
    return NamePatterns(
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
            rf"(?:{_alternation(vocab.saying_verbs + load_words('person_verbs'))}|himself|herself)(?![\w-])"
        ),
        eponym_after=re.compile(
            rf"(?:{SPACE}{_alternation(list(vocab.eponym_nouns))}(?![\w-])"
            rf"|(?:,{SPACE}{NAME_WORD})*,?{SPACE}(?:&|and{SPACE}{firms}))"
        ),
        vessel_before=re.compile(rf"(?:(?<![\w.-]){vessels}|(?<![\w.]){prefixes}){SPACE}[“\"‘']?\Z"),
        vessel_after=re.compile(rf"(?:{SPACE})?\({vessels}\)"),
        firm_before=re.compile(
            rf"(?:(?<![\w-])[Ff]irm(?:{SPACE}name)?(?:{SPACE}of)?(?:{SPACE}the)?"
            rf"|(?<![\w.’'-])[{UPPER}][\w’'-]*\.?,?{SPACE}&){SPACE}\Z"
        ),
        place_before=re.compile(
            rf"(?<![\w.’'-]){_alternation(vocab.place_starts)}{SPACE}(?:(?:{_alternation(vocab.particles)}){SPACE})?\Z"
        ),
    )


def _vessel_patterns(entries: tuple[str, ...]) -> tuple[str, str]:
    """Alternations of vessel words (either initial case) and of ships' prefixes ("S.S." also as "S. S.")."""
    words = [e for e in entries if e.lower() == e]
    prefixes = [r"\.\s?".join(e.rstrip(".").split(".")) + (r"\." if e.endswith(".") else "") for e in entries]
    prefixes = [p + r"(?!\w)" for e, p in zip(entries, prefixes, strict=True) if e.lower() != e]
    upper_first = [w[0].upper() + w[1:] for w in words]
    return _alternation(words + upper_first), "(?:" + "|".join(sorted(prefixes, key=len, reverse=True)) + ")"


def name_words(name: str) -> tuple[list[str], list[str]]:
    """The full words and the initials of a name."""
    tokens = [ELIDED_PARTICLE.sub("", t) for t in name.replace(".", ". ").split()]
    words = [t for t in tokens if NAME_WORD_RE.fullmatch(t)]
    initials = [t for t in tokens if re.fullmatch(INITIAL, t)]
    return words, initials


def make_span(
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
    vocab = person_vocab()
    words, initials = name_words(text[start:end])
    # A common word the name pattern took after a full name is not part of it ("Major Surname Both").
    while reason in TRIMMED_REASONS and not common_ok and len(words) > 1 and words[-1] in vocab.non_names:
        cut = text[start:end].rstrip()[: -len(words[-1])].rstrip()
        if not cut.endswith(words[-2]):
            break
        end = start + len(cut)
        words, initials = name_words(text[start:end])
    # Two initials before a surname are evidence enough for a common word ("E. M. House"); one is not
    # ("A. Large dining room" in a lettered list).
    # One word is a surname even where it is a month or a form of address in a heading's parentheses after an
    # office ("Chief of Staff (March)", "(Lord)"), or a form of address or a people after two initials and
    # before no other capitalised word ("R. H. Lord, ", "C. B. Welsh,"). A weekday or a number word never is.
    lone = len(words) == 1 and not NEXT_CAPITAL.match(text, end)
    two_initials = len(initials) >= 2 and len(words) == 1 and words[0] not in vocab.sentence_starters
    surname_only = lone and ((reason == "heading" and common_ok) or two_initials)
    # So is a form of address among the names after "Messrs." ("Messrs. Surname, Lord, Surname").
    listed = reason == "title_cue" and common_ok and len(words) == 1 and text.startswith(",", end)
    if listed:
        common = weekdays() | number_words() | vocab.nationalities | frozenset(vocab.months)
    elif surname_only and reason == "heading":
        common = weekdays() | number_words() | vocab.nationalities
    elif surname_only:
        common = weekdays() | number_words() | frozenset(vocab.months)
    elif common_ok or two_initials:
        common = vocab.nationalities | address_words()
    else:
        common = vocab.non_names | number_words()
    # A common word before a full stop may be an abbreviation ("Co."); after a form of address it is a
    # surname unless it is short and the paper writes it only so ("Rev. Stat.", "Mr. House." a surname).
    abbreviations = vocab.given_abbreviations | month_abbreviations()
    if text.startswith(".", end) and words and words[-1] in abbreviations | vocab.non_names:
        last = words[-1]
        short = len(last) <= ABBREVIATION_MAX and not _written_without_stop(text, last)
        if not common_ok or last in abbreviations or short:
            return None
    # A known given name first is a given name even where it is also a common word ("Bill Surname").
    checked = words[1:] if reason == "given_name" else words
    # A month before a surname is a given name ("Miss May Surname"); as the last word it is a date.
    checked = [w for w in checked[:-1] if w not in vocab.months] + checked[-1:]
    if not words or any(
        w in common or (is_people(w) and not surname_only) or is_title_word(w) for w in checked
    ):
        return None
    # A hyphened word of non-name words is none either ("Aide-Mémoire").
    if any("-" in w and all(part in vocab.non_names for part in w.split("-")) for w in words):
        return None
    # Initials that abbreviate a body ("U.S.") are no one's, unless a title stands before them ("Col. U. S.").
    if initials and "".join(initials) in vocab.non_names and reason != "title_cue":
        return None
    # A form of address after an office, before a capitalised word, is a second title ("Viceroy Earl Given").
    second_title = reason == "title_cue" and not initials and len(words) == 1 and words[0] in vocab.honorifics
    if second_title and NEXT_CAPITAL.match(text, end):
        return None
    given = words[0] if len(words) > 1 else None
    return PersonSpan(
        start, end, words[-1], given, gender, reason, start if title_start is None else title_start, common_ok
    )


# Abbreviations among the non-name words are this short or shorter ("Stat", "Supp", "Conf", "Esqs").
ABBREVIATION_MAX = 4


def _written_without_stop(text: str, word: str) -> bool:
    """Whether the text has the word somewhere not followed by a full stop (so it is no abbreviation)."""
    return re.search(rf"{NOT_BEFORE}{re.escape(word)}(?![\w.])", text) is not None


def is_people(word: str) -> bool:
    """Whether a word names a nation or a people, in the singular or plural ("Indian", "Indians")."""
    nationalities = person_vocab().nationalities
    return word in nationalities or (word.endswith("s") and word[:-1] in nationalities)


@cache
def month_abbreviations() -> frozenset[str]:
    """Months' printed abbreviations ("Oct", "Sept"): before a full stop, never the end of a name."""
    return frozenset(form for forms in load_vocab("months") for form in forms[1:])


def is_title_word(word: str) -> bool:
    """Whether a word is an office's last word, or a hyphened office ("Commander-in-Chief")."""
    titles = title_words()
    plural = word.endswith("s") and word[:-1] in titles
    return word in titles or plural or ("-" in word and any(part in titles for part in word.split("-")))


@cache
def address_words() -> frozenset[str]:
    """Forms of address, months, weekdays and number words: never a surname, even after "Mr." or "Lord"
    ("Dear Sir", "the Year of Our Lord Nineteen Hundred"; "Mr. May" aside)."""
    vocab = person_vocab()
    dates = frozenset(vocab.months) | weekdays()
    return frozenset(w.rstrip(".") for w in vocab.honorifics) | dates | number_words()


@cache
def weekdays() -> frozenset[str]:
    """The days of the week (vocab/weekdays.yaml)."""
    return frozenset(load_words("weekdays"))


@cache
def number_words() -> frozenset[str]:
    """Number words with a capital ("Nineteen", "Hundred"), vocab/date_numbers.yaml."""
    return frozenset(w.capitalize() for w in load_mapping("date_numbers") if len(w) > 2)


@cache
def title_words() -> frozenset[str]:
    """Offices' last words, without an elided particle ("Affaires" of "Chargé d'Affaires")."""
    return frozenset(ELIDED_PARTICLE.sub("", title.split()[-1]) for title in person_vocab().titles)


def title_gender(title: str) -> str | None:
    """The gender a form of address implies ("Mrs." female, "Sir" male), None for offices and "Dr."."""
    words = title.split()
    if not words or "and" in words:
        return None
    gender = person_vocab().honorifics.get(words[0]) or person_vocab().honorifics.get(words[0].rstrip("."))
    return gender if gender in ("male", "female") else None


def name_parts(name: str) -> tuple[str | None, tuple[str, ...], str | None, str]:
    """(given name, initials, surname, the name as written) of a found name, without address or office."""
    vocab = person_vocab()
    tokens = [t for t in re.sub(r"\.(?=\S)", ". ", name).split() if t]
    while tokens and (tokens[0] in vocab.honorifics or tokens[0].rstrip(".") in vocab.honorifics):
        tokens = tokens[1:]
    kept: list[str] = []
    for token in tokens:
        if token in title_words() or token in vocab.non_names or token[:1].islower():
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
    return person_vocab().given_names


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, paragraph or quotation, where capitals say nothing."""
    before = text[max(0, start - 3) : start].rstrip(" ")
    return not before or before[-1] in SENTENCE_OPENERS


def non_name_words() -> frozenset[str]:
    """Capitalised words that are not parts of personal names (vocab/non_name_words.yaml)."""
    return person_vocab().non_names


ELIDED_PARTICLE = re.compile(r"^[dD]['’](?=\w)")
TRIMMED_REASONS = frozenset({"title_cue"})
LOWER_WORD = re.compile(rf"(?<![\w-])[{LOWER}]+(?![\w-])")


def post_nominal_end(text: str, end: int) -> int:
    """Where a name ending at ``end`` ends with its post-nominal ("Esq.", "Jr."), if one follows."""
    match = POST_NOMINAL.match(text, end)
    return match.end() if match else end
