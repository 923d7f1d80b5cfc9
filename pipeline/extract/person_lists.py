"""Names in lists beside a person: conjuncts, list items and the names after a plural form of address.

A one-word name joined by "and" to a person ("Surname and Mr. Surname", "Given Surname, Surname and
Surname") is a person on weak evidence; so is a full name along a list of full names; and the names after
"Messrs." are addressed as the first is. A person here is one found by a strong rule (a title, a given name,
the layout), or a bare use of a surname the paper gives a person by such a rule ("Surname and Surname are
going", where the paper elsewhere writes "Given Surname"): an editor's note or a heading that names the
person once makes the name a person's wherever the paper uses it. Each name found goes through the checks
of a weak name (person_evidence.py).
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.extract.person_evidence import after_the
from pipeline.extract.person_words import (
    CAPITALISED_WORD,
    INITIAL,
    LOWER,
    NAME_WORD,
    NEXT_CAPITAL,
    NOT_AFTER,
    SPACE,
    UPPER,
    PersonSpan,
    is_given_name,
    is_title_word,
    make_span,
    post_nominal_end,
    sentence_initial,
)
from pipeline.vocab import load_words

CONJUNCT_AFTER = re.compile(
    rf"(?:,{SPACE}(?:and{SPACE})?|{SPACE}and{SPACE})(?P<name>{NAME_WORD}){NOT_AFTER}(?!\s[{UPPER}]|\.\s[{UPPER}])"
)
OFFICE_NEXT = re.compile(rf"{SPACE}(?P<word>[{LOWER}]+)")
# A one-word item before a name in a list ("Surname, Mr. Surname"), itself after a list's comma or a
# sentence's start: a capitalised word after a lower-case one is more often a place ("in Place, Mr. Surname").
LIST_ITEM_BEFORE = re.compile(
    rf"(?:(?<=, )|(?<=^)|(?<=[.:;] ))(?P<name>{NAME_WORD}),{SPACE}(?P<and>and{SPACE})?\Z", re.MULTILINE
)
CONJUNCT_BEFORE = re.compile(rf"(?<![\w.’'-])(?<!, )(?P<name>{NAME_WORD}){SPACE}and{SPACE}\Z")
CAPITAL_BEFORE = re.compile(rf"(?<![\w.’'-])[{UPPER}][\w’'-]*[^\S\n]\Z")
LIST_NAME = rf"(?P<name>{NAME_WORD}(?:{SPACE}(?:{INITIAL}{SPACE}?)*{NAME_WORD}){{1,2}})"
LIST_NEXT = re.compile(
    rf"(?:,{SPACE}(?:and{SPACE})?|{SPACE}and{SPACE}){LIST_NAME}{NOT_AFTER}(?=,|;|\.|{SPACE}(?:and{SPACE}|[{LOWER}]))"
)
LIST_BEFORE = re.compile(rf"(?:(?<=, )|(?<=\n)|(?<=: )){LIST_NAME},{SPACE}(?:and{SPACE})?\Z")


def conjuncts(text: str, persons: list[PersonSpan]) -> list[PersonSpan | None]:
    """One-word names joined by "and" to a person found by a strong rule ("Surname and Mr. Surname"), and
    along a list of them closed by "and" ("Given Surname, Surname, Surname and Surname", "Surname, Mr.
    Surname and Surname"); without the "and", words after a name and its comma are an address ("Given
    Surname, Place"). Each goes through the checks of a weak name."""
    found: list[PersonSpan | None] = []
    for person in persons:
        position, items = post_nominal_end(text, person.end), []
        while (after := CONJUNCT_AFTER.match(text, position)) is not None:
            items.append(after)
            position = after.end("name")
        # A list of names is closed by "and", and has no word that is never a name ("Imperial and Royal").
        listed = [make_span(text, m.start("name"), m.end("name"), "conjunct") for m in items]
        closed = bool(items) and "and" in items[-1].group().split() and None not in listed
        # ... and is not an office's description ("Given Surname, Imperial and Royal minister").
        office = closed and OFFICE_NEXT.match(text, items[-1].end("name"))
        closed = closed and not (office and is_title_word(office.group("word").capitalize()))
        found += listed if closed else []
        before = CONJUNCT_BEFORE.search(text, max(0, person.title_start - 40), person.title_start)
        # Beside a bare surname, a capitalised word right before the word makes it the end of a longer name
        # ("Given Surname and Surname").
        at = before.start() if before else 0
        inside = person.reason == "surname" and CAPITAL_BEFORE.search(text, max(0, at - 30), at) is not None
        if before and not inside and not sentence_initial(text, before.start("name")):
            found.append(make_span(text, before.start("name"), before.end("name"), "conjunct"))
        end = person.title_start
        while (item := LIST_ITEM_BEFORE.search(text, max(0, end - 40), end)) is not None:
            if closed or item.group("and"):
                found.append(make_span(text, item.start("name"), item.end("name"), "conjunct"))
            end = item.start("name")
    return found


def list_items(text: str, persons: list[PersonSpan], lower: frozenset[str]) -> list[PersonSpan | None]:
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
            span = make_span(text, item.start("name"), item.end("name"), "list_item")
            if span is not None:
                found.append(span)
                todo.append(span)
    return found


@cache
def plural_honorifics() -> frozenset[str]:
    """Forms of address for several persons ("Messrs."), vocab/plural_honorifics.yaml."""
    return frozenset(load_words("plural_honorifics"))


ADDRESSED_NEXT = re.compile(
    rf"(?:,{SPACE}(?:and{SPACE})?|{SPACE}and{SPACE})(?P<name>(?:{INITIAL}{SPACE}?)*{NAME_WORD}"
    rf"(?:{SPACE}{NAME_WORD})?){NOT_AFTER}"
)


def addressed_list(text: str, position: int) -> list[PersonSpan | None]:
    """The names that follow the first after a plural form of address ("Messrs. Surname, Surname and
    Surname"), each addressed as the first is."""
    found: list[PersonSpan | None] = []
    while (item := ADDRESSED_NEXT.match(text, position)) is not None:
        found.append(make_span(text, item.start("name"), item.end("name"), "title_cue", common_ok=True))
        position = item.end("name")
    return found


def bare_uses(
    text: str, strong: list[PersonSpan], places: frozenset[str], lower: frozenset[str]
) -> list[PersonSpan]:
    """Bare uses of a surname that a strong rule gives a person in the paper ("Surname" beside "Given
    Surname"), as persons to join conjuncts to; not a surname the paper uses as a place or writes in lower
    case, nor a word after "the", beside another capitalised word or opening a quotation (a title's first
    word: "“Surname and Word”")."""
    surnames = {
        s.surname
        for s in strong
        if " " not in s.surname and s.surname not in places and s.surname.lower() not in lower
    }
    if not surnames:
        return []
    return [
        PersonSpan(m.start(), m.end(), m.group(), None, None, "surname", m.start())
        for m in CAPITALISED_WORD.finditer(text)
        if m.group() in surnames
        and not NEXT_CAPITAL.match(text, m.end())
        and not after_the(text, m.start())
        and text[m.start() - 1 : m.start()] not in OPENING_QUOTES
    ]


OPENING_QUOTES = frozenset("“\"‘'")
