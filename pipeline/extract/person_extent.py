"""A person's name with the title before it and the office in apposition after it: the extent of a mention.

The pipeline publishes names ("Given Surname", with a form of address or an office right before it). Some
conventions count more as the person's mention: CLEF-HIPE-2020 (impresso guidelines) takes the titles and
functions next to the name into the person span ("Judge and Mrs. G. Surname", "G. Surname, Auditor of
Dakota Territory", "GIVEN SURNAME, Esquire"). ``mention_extent`` widens a found name to that extent, by the
offices of vocab/person_titles.yaml and the forms of address of vocab/honorifics.yaml, so that a name can be
compared with such annotations; it adds no person.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.extract.person_words import SPACE, person_vocab

# An office in apposition runs to the next comma, semicolon, colon, line end, or full stop before a space.
APPOSITION_TAIL = (
    r"(?:[^\S\n]+(?:of|at|in)[^\S\n]+[^,;:\n]*?)?"
    r"(?=\s*(?:[,;:\n]|(?-i:(?<![A-Z]))\.(?:\s|\Z)|\Z))"
)
MAX_APPOSITION = 90


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a title or form of address right before an offset, an office in apposition right after one)."""
    vocab = person_vocab()
    office = _alternation(vocab.titles)
    address = _alternation(tuple(vocab.honorifics))
    cue = rf"(?:{office}|{address})"
    before = re.compile(rf"(?<![\w.’'-]){cue}(?:{SPACE}and{SPACE}{cue})?,?{SPACE}\Z", re.IGNORECASE)
    apposed = _alternation((*vocab.titles, "Esquire", "Esq."))
    # One lower-case word may qualify the office ("special agent"), a preposition may not ("for President").
    qualifier = rf"(?:(?!(?:for|of|to|and|the|an?|as)\b)[a-z]+{SPACE})?"
    after = re.compile(rf",{SPACE}{qualifier}{apposed}(?![\w’'-]){APPOSITION_TAIL}", re.IGNORECASE)
    return before, after


def _alternation(words: tuple[str, ...]) -> str:
    """One alternative per word or phrase, longest first, spaces as any run of spaces in a line."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", SPACE) for w in ordered) + ")"


def mention_extent(text: str, start: int, end: int) -> tuple[int, int]:
    """The (start, end) of the name text[start:end] with the titles right before it and an office in
    apposition right after it ("Surname, Secretary", "G. Surname, superintendent of the rural delivery")."""
    before, after = _patterns()
    while True:
        title = before.search(text, max(0, start - 40), start)
        if title is None:
            break
        start = title.start()
    office = after.match(text, end)
    if office is not None and office.end() - end <= MAX_APPOSITION:
        end = office.end()
    return start, end
