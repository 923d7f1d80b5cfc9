"""Persons named by a title alone: "the King", "the Emperor", "His Majesty", "the Duke of Place", "Capt. J.".

A sovereign's title after "the" stands for one person of the paper's time and place, and the HIPE-2020
guidelines and the FRUS publisher both tag it as a person; so do a noble's title with the place of the title
("the Duke of Place", "the Prince of Place") and a sovereign's style ("His Majesty", "His Holiness"). The
titles are vocab/sovereign_titles.yaml. A title followed by a name ("the Emperor Name") is left to the name
rules, a sovereign's style in the possessive names a government ("His Majesty’s Government", "Her
Majesty’s consul"), and a noble's title without its place
("the Duke") names no one in particular. The span keeps the article or possessive ("the King"), and the
person's name is the title as written, so that "the King" is never one person with a "Mr. King".
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.extract.person_words import (
    NAME_WORD,
    NOT_AFTER,
    SPACE,
    UPPER,
    PersonSpan,
    person_vocab,
    title_gender,
)
from pipeline.vocab import load_mapping

# A place after "of": one to three capitalised words ("of Place", "of New Place"), a name particle aside.
PLACE = rf"[{UPPER}][\w-]+(?:{SPACE}[{UPPER}][\w-]+){{0,2}}"


def _alternation(words: list[str]) -> str:
    """One alternative per title, longest first, spaces as any run of spaces in a line."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", SPACE) for w in ordered) + ")"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a sovereign or a noble of a place after "the", a sovereign's style after a possessive)."""
    titles = load_mapping("sovereign_titles")
    sovereigns, nobles, styles = (list(titles[key]) for key in ("sovereigns", "nobles_of", "styles"))
    of_place = rf"{SPACE}of{SPACE}(?:the{SPACE})?{PLACE}"
    titled = re.compile(
        rf"(?<![\w’'-])[Tt]he{SPACE}(?:(?P<sovereign>{_alternation(sovereigns)})(?:{of_place})?"
        rf"|(?P<noble>{_alternation(nobles)}){of_place}){NOT_AFTER}"
    )
    styled = re.compile(
        rf"(?<![\w’'-])(?:His|Her|his|her){SPACE}(?:(?:Imperial|Royal|Britannic|Catholic|Apostolic)"
        rf"{SPACE})?(?:{_long_s(_alternation(styles))})(?![\w-])"
    )
    return titled, styled


def _long_s(pattern: str) -> str:
    """A pattern whose "s" inside a word may also be an "f": OCR reads the long s of old print as "f"
    ("Majefty", "Highnefs")."""
    return re.sub(r"s(?=[a-z])|(?<=[a-z])s", "[sf]", pattern)


# A name after a sovereign's title is the person's name ("the Emperor Name"), left to the name rules.
NAME_AFTER = re.compile(rf"{SPACE}{NAME_WORD}")
# After a style, a possessive is the formula for a government and its servants ("His Majesty’s Government",
# "Her Majesty’s consul"), a name or a title is the person's name ("His Royal Highness Prince Name", "His
# Majesty the King"), left to the name rules and to the title.
STYLE_NOT_ALONE = re.compile(rf"['’]s(?!\w)|{SPACE}(?:the{SPACE})?[{UPPER}]")


def title_persons(text: str) -> list[PersonSpan]:
    """Persons named by a sovereign's or a noble's title ("the King", "the Duke of Place", "His Majesty")."""
    titled, styled = _patterns()
    found = []
    for match in titled.finditer(text):
        alone = match.group("sovereign") and match.end() == match.end("sovereign")
        if alone and NAME_AFTER.match(text, match.end()):
            continue
        title = match.group("sovereign") or match.group("noble")
        name = "the " + " ".join(text[match.start() + 4 : match.end()].split())
        found.append(_title_span(match, name, title_gender(title)))
    for match in styled.finditer(text):
        if STYLE_NOT_ALONE.match(text, match.end()):
            continue
        name = " ".join(match.group().split())
        gender = "female" if name.lower().startswith("her") else "male"
        found.append(_title_span(match, name[0].upper() + name[1:], gender))
    return sorted(found, key=lambda s: s.start)


def _title_span(match: re.Match[str], name: str, gender: str | None) -> PersonSpan:
    """The person a title names, addressed: the title is the evidence."""
    return PersonSpan(match.start(), match.end(), name, None, gender, "title_alone", match.start(), True)


@cache
def _withheld_name() -> re.Pattern[str]:
    """A form of address or an abbreviated rank ("Mr.", "Capt.", either case), one initial, and no name."""
    vocab = person_vocab()
    cues = [w for w in (*vocab.honorifics, *vocab.titles) if w.endswith(".") and len(w) > 2]
    cues += [w[0].lower() + w[1:] for w in cues]
    return re.compile(
        rf"(?<![\w.’'-])(?P<title>{_alternation(cues)})\s?(?P<initial>[{UPPER}]\.)(?=\s*(?:[a-z]|[^\w\s.]))"
    )


def withheld_names(text: str) -> list[PersonSpan]:
    """Persons named by a title and one initial only ("Capt. J. had", "Mrs. O."): a name withheld."""
    return [
        PersonSpan(
            m.start("initial"),
            m.end("initial"),
            m.group("initial"),
            None,
            title_gender(m.group("title")),
            "title_alone",
            m.start(),
            True,
        )
        for m in _withheld_name().finditer(text)
    ]
