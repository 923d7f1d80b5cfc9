"""The evidence a found name needs to be a person's, and the names that are things or places.

Rules in persons.py propose names; ``with_evidence`` keeps those the evidence bears out. A name is a thing
where a vessel word, a firm word, a place-name start or an eponym noun stands by it ("the tug Name", "Surname
Brothers", "San Given", "Surname Library") or a number follows it ("Word Word No. 554"); a one-word name found
on weak evidence is dropped where the paper uses the word as a place ("in Word"), writes it in lower case (a
common noun) or the caller says it names a place or body; and an office that is also an adjective, peoples,
lettered list items, phrases of common nouns, countries in a row and a Roman numeral after a list of them are
no one. The vocabularies are data files in vocab/.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipeline.extract.person_words import (
    INITIAL,
    LOWER,
    PLACE_BEFORE,
    SPACE,
    UPPER,
    PersonSpan,
    is_given_name,
    is_title_word,
    name_patterns,
    person_vocab,
    post_nominal_end,
    sentence_initial,
)

# Reasons that need no more evidence: the layout or a form of address says "person" at that very place.
STRONG_REASONS = frozenset(
    {
        "heading",
        "signature",
        "title_cue",
        "initials",
        "middle_initial",
        "given_name",
        "capitals",
        "routing",
        "regnal",
        "salutation",
    }
)
INITIAL_RE = re.compile(rf"{INITIAL}")
NUMBERED_AFTER = re.compile(rf"{SPACE}No\.{SPACE}?\d")
# Roman numerals in a list ending right before a capital and its full stop ("II, III and |V. Word"); not the
# pronoun ("I and V. Surname").
ROMAN_LIST_BEFORE = re.compile(
    r"(?<![\w.])(?:[IVXL]{1,5},[^\S\n]+(?:and[^\S\n]+)?|[IVXL]{2,5}[^\S\n]+and[^\S\n]+)\Z"
)
COMMON_NOUN_AND = re.compile(rf"(?<![\w.’'-])(?P<word>[{UPPER}][{LOWER}]+){SPACE}and{SPACE}\Z")


@lru_cache(maxsize=2)
def place_words(text: str, known: frozenset[str] = frozenset()) -> tuple[frozenset[str], frozenset[int]]:
    """Words the paper uses as places or bodies ("in Word", "at Word"), and where those uses stand; kept for
    the paper at hand, as three rules of one paper ask for them.

    After a ``known`` place the next capitalised word is not part of it ("in Place Surname will be", a
    sentence without its comma), so only the known place counts."""
    eponyms = person_vocab().eponym_nouns
    found = [
        m
        for m in PLACE_BEFORE.finditer(text)
        if m.group("word").split()[-1] not in eponyms
        and not name_patterns().eponym_after.match(text, m.end())
    ]
    words: set[str] = set()
    starts: set[int] = set()
    for m in found:
        parts = m.group("word").split()
        if len(parts) > 1 and parts[0] in known:
            parts = parts[:1]
        words.update(parts)
        starts.add(m.start("word"))
        if len(parts) > 1:
            starts.add(m.start("word") + m.group("word").find(" ") + 1)
    return frozenset(words) | person_vocab().nationalities | person_vocab().countries, frozenset(starts)


def with_evidence(
    text: str, spans: list[PersonSpan], not_persons: frozenset[str], lower: frozenset[str]
) -> list[PersonSpan]:
    """Drop names that are things named after a person ("Surname Library", "the Surname government"), and
    one-word names found by a weak cue (a name after it, a verb of saying, a repeated pair) whose word the
    paper uses as a place, the authority knows as a place or body, or the paper also writes in lower case
    (a common noun: "Peace", "Division")."""
    places, _ = place_words(text, not_persons)
    places |= not_persons
    eponym_after, eponyms = name_patterns().eponym_after, person_vocab().eponym_nouns
    kept = []
    lettered_items = _lettered_items(text)
    countries = person_vocab().countries
    for span in spans:
        if span.reason not in ("heading", "signature") and eponym_after.match(text, span.end):
            continue
        # A name that is a country's, unaddressed, is the country ("Salvador and Word Word denounced").
        if not span.addressed and " ".join(text[span.start : span.end].split()) in countries:
            continue
        if names_a_thing(text, span) or _is_lettered_item(text, span, lettered_items):
            continue
        # Names of countries only, unaddressed, are countries in a row ("Country R. P. Country" in a table);
        # a numeral after a list of Roman numerals is one more ("Articles II, III and V. Word").
        words = [w for w in text[span.start : span.end].split() if not INITIAL_RE.fullmatch(w)]
        if not span.addressed and len(words) >= 2 and all(w in countries for w in words):
            continue
        roman = span.reason == "initials" and text[span.start] in "IVXL"
        if roman and ROMAN_LIST_BEFORE.search(text, max(0, span.start - 30), span.start):
            continue
        lone_signature = span.reason == "signature" and span.given is None
        weak = (span.reason not in STRONG_REASONS or lone_signature) and not span.addressed
        common = span.surname in places or span.surname.lower() in lower or span.surname in eponyms
        # A verb's subject or object that is the plural of a common noun of the paper is a group
        # ("Republics agreed", "the five Republics who").
        plural_cues = ("speaker", "relative_who", "told", "conjunct")
        common = common or (span.reason in plural_cues and _plural_of_common(span.surname, lower))
        lettered = (
            span.reason == "initials" and span.given is None and text[span.start + 1 : span.start + 2] == "."
        )
        lettered = lettered and not INITIAL_RE.match(text, span.start + 3) and span.surname.lower() in lower
        # "Minister of Word", "University of Word": a body or a place, unless something stronger says person.
        # A relative "who" right after it says person all the same ("the view of Surname who told me"); after
        # a comma it may be a place's ("the governor of Province, who resides").
        after_of = span.given is None and text[max(0, span.title_start - 4) : span.title_start] == " of "
        after_of = after_of and not (span.reason == "relative_who" and text[span.end : span.end + 1] == " ")
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
        # So does an office opening a sentence, where its capital says nothing ("Officer Couriers depart").
        lower_office = text[span.title_start].islower() or sentence_initial(text, span.title_start)
        if office_only and lower_office and span.surname.lower() in lower:
            continue
        # An office that is also an adjective, before a noun of the paper, is the adjective ("General
        # Instruction No. 554", "Major Powers"), by vocab/adjective_offices.yaml.
        office = text[span.title_start : span.start].split()
        adjective = bool(office) and office[0] in person_vocab().adjective_offices
        if office_only and adjective and _common_noun(span.surname, lower):
            continue
        # A weak pair of words the paper both writes in lower case is a phrase ("Consular Rights concluded"),
        # and initials before a plural common noun a firm's or a thing's name ("A. P. G. Tankers").
        words = text[span.start : span.end].split()
        unknown_given = span.given is not None and not is_given_name(span.given)
        phrase = weak and len(words) >= 2 and unknown_given
        if phrase and all(_common_noun(w.strip(".,"), lower) for w in words):
            continue
        # A weak name after "Word and", the Word a common noun of the paper, ends a title's pair of nouns
        # ("Treaty of Peace and Amity concluded").
        paired = COMMON_NOUN_AND.search(text, max(0, span.title_start - 30), span.title_start)
        if (
            weak
            and paired
            and _common_noun(paired.group("word"), lower)
            and not is_title_word(paired["word"])
        ):
            continue
        # A common noun, a letter and a common noun is a lettered item, not a middle initial ("Resolution A.
        # Regret that ..."); so is an unknown first word the paper writes before two letters or more
        # ("Resolution A. Word", "Resolution B. Word": labels).
        if span.reason == "middle_initial" and unknown_given:
            common_pair = _common_noun(span.given or "", lower) and _common_noun(span.surname, lower)
            if common_pair or _lettered_label(text, span.given or ""):
                continue
        plural = span.surname.endswith("s") and span.surname[:-1].lower() in lower
        if span.reason == "initials" and plural and span.surname.lower() in lower:
            continue
        # "the Given Surname" is a building or a thing named after someone ("the Given Hall").
        if span.reason in ("given_name", "recurring_surname") and after_the(text, span.start):
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


@cache
def _vessel_noun_after() -> re.Pattern[str]:
    """A vessel word in lower case (vocab/vessel_words.yaml) right after a name; not its plural, a verb too
    ("Surname ships")."""
    words = sorted((w for w in person_vocab().vessel_words if w.islower()), key=lambda w: (-len(w), w))
    alternation = "|".join(re.escape(w).replace(r"\ ", SPACE) for w in words)
    return re.compile(rf"{SPACE}(?:{alternation})(?![\w-])")


def _lettered_label(text: str, word: str) -> bool:
    """Whether the text writes the word before two successive capital letters with full stops ("Annex A.",
    "Annex B.") or before a Roman numeral: a label of items, not a given name (whose middle initial may vary
    by a misprint)."""
    letters = set(re.findall(rf"(?<![\w.’'-]){re.escape(word)}[^\S\n]+([{UPPER}]|[IVXL]{{2,}})\.", text))
    # A Roman numeral of two letters or more there numbers items too ("Article X." beside "Article XI.").
    return any(len(label) > 1 or chr(ord(label) + 1) in letters for label in letters)


def _plural_of_common(word: str, lower: frozenset[str]) -> bool:
    """Whether a word is the plural of a word the paper writes in lower case ("Republics", "Parties")."""
    low = word.lower()
    return (low.endswith("ies") and low[:-3] + "y" in lower) or (low.endswith("s") and low[:-1] in lower)


def _common_noun(word: str, lower: frozenset[str]) -> bool:
    """Whether the paper writes the word in lower case, itself or (a plural) its singular."""
    low = word.lower()
    return low in lower or (low.endswith("s") and low[:-1] in lower)


def names_a_thing(text: str, span: PersonSpan) -> bool:
    """Whether a name is a ship's ("the tug Name", "S.S. Name", "Name (Lighter)"), a firm's ("Surname
    Brothers", "Surname, Surname & Co.", "the firm of Name", "Surname & Surname"), a place's ("San Given",
    "Punta de Surname") or a thing's ("Surname Convention provides"), by vocab/vessel_words.yaml,
    firm_words.yaml, place_name_starts.yaml and eponym_nouns.yaml."""
    patterns, vocab = name_patterns(), person_vocab()
    before = text[max(0, span.title_start - 40) : span.title_start]
    if patterns.vessel_before.search(before) or patterns.vessel_after.match(text, span.end):
        return True
    # A name before a vessel noun qualifies it: a shipping line's or a ship class's ("by Word Line steamer").
    if not span.addressed and span.reason != "heading" and _vessel_noun_after().match(text, span.end):
        return True
    if patterns.place_before.search(before):
        return True
    # A name with a number after it is a numbered thing's ("Word Word No. 554"), a document's or a unit's.
    if span.reason not in ("heading", "signature") and NUMBERED_AFTER.match(text, span.end):
        return True
    # An eponym noun ending a name found on weak evidence ("Surname Convention provides"), or a line of three
    # words or more ("Given Surname Papers"), names a thing.
    weak = span.reason not in STRONG_REASONS or len(text[span.start : span.end].split()) >= 3
    if span.surname in vocab.eponym_nouns and not span.addressed and span.reason != "heading" and weak:
        return True
    if span.reason == "heading" and span.given is None and span.surname.lower() in vocab.vessel_words:
        return True
    words = text[span.start : post_nominal_end(text, span.end)].split()
    # "Given Brothers" is a man in a list of names; "Messrs. Given Brothers" and "Surname Brothers" firms.
    man = len(words) == 2 and is_given_name(words[0]) and "Messrs" not in text[span.title_start : span.start]
    if not man and any(w in vocab.firm_words or w.rstrip(".,") in vocab.firm_words for w in words):
        return True
    return patterns.firm_before.search(before) is not None


LETTERED_ITEM = re.compile(rf"(?:^|(?<=[\n“\"(:]))[^\S\n]*(?P<letter>[{UPPER}])\.[^\S\n]", re.MULTILINE)
# A Roman numeral of two letters or more opening a line ("II. Word ..."), an item of a numbered list.
ROMAN_ITEM = re.compile(r"^[^\S\n]*(?P<numeral>[IVX]{2,5})\.[^\S\n]", re.MULTILINE)
# The one-letter Roman numerals and the numerals next to them in a list.
ROMAN_NEIGHBOURS = {"I": ("II",), "V": ("IV", "VI"), "X": ("IX", "XI")}


def _lettered_items(text: str) -> dict[int, str]:
    """Capitals with a full stop opening a line or a quotation (a lettered list's items), by their place;
    the Roman numerals of two letters or more opening a line are listed under the key -1 and up."""
    items = {m.start("letter"): m.group("letter") for m in LETTERED_ITEM.finditer(text)}
    numerals = {m.group("numeral") for m in ROMAN_ITEM.finditer(text)}
    items.update({-1 - i: numeral for i, numeral in enumerate(sorted(numerals))})
    return items


def _is_lettered_item(text: str, span: PersonSpan, items: dict[int, str]) -> bool:
    """Whether a one-initial name opening a line or quotation is an item of a lettered list ("C. Renewals of
    ..."): the letter before or after it also opens a line or quotation of the paper; or of a numbered one
    ("I. Word Word" where a line opens with "II.")."""
    if span.reason != "initials" or span.start not in items or INITIAL_RE.match(text, span.start + 3):
        return False
    letter, letters = items[span.start], set(items.values())
    if any(numeral in letters for numeral in ROMAN_NEIGHBOURS.get(letter, ())):
        return True
    if span.given is not None:
        return False
    return chr(ord(letter) - 1) in letters or chr(ord(letter) + 1) in letters


def after_the(text: str, start: int) -> bool:
    """Whether "the" stands right before a word: "the Word replied" is a body or a place, not a person."""
    return text[max(0, start - 4) : start].lower() == "the "
