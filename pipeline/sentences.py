"""Rule-based sentence segmentation for scholarly English prose.

A period ends a sentence unless it closes an initial ("R.C."), a title or common abbreviation ("Mr.",
"vols."), or an ellipsis followed by lower case. Rules rather than a statistical model: they are
predictable, fast, and need no model download.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen col capt lt maj sgt adm cmdr gov sen rep pres sec amb st jr sr rev fr hon messrs
    mt ft vs etc cf ed eds trans vol vols no nos p pp ch chap fig sect art n nn ibid op loc
    jan feb mar apr jun jul aug sep sept oct nov dec approx ca c esp incl
    """.split()
)
# Words that start a new sentence often enough that a dotted acronym ("U.S.") before them ends one.
SENTENCE_STARTERS = frozenset(
    """
    The A An It He She They We I In On At By For But And So Yet Thus Indeed This That These Those There
    His Her Their Its When While After Before As If Although Only Even Such Soon Finally Nevertheless
    """.split()
)
BOUNDARY = re.compile(r"([.?!]+|…)([\"”’')\]]*)(\s+)(?=[\"“‘'(\[]?[A-Z0-9À-ÖØ-Þ])")
TOKEN_BEFORE = re.compile(r"(\S+)$")


def _is_abbreviation(token: str, next_word: str) -> bool:
    """Does the period at the end of ``token`` belong to an abbreviation rather than end the sentence?"""
    bare = token.rstrip(".").lstrip("\"“‘'([")
    if not bare:
        return False
    if bare.lower() in ABBREVIATIONS:
        return True
    if re.fullmatch(r"[A-Z]", bare):  # an initial: "C." in "Harry S. Truman"
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", bare):  # dotted acronym: U.S., D.C., R.C.
        return next_word not in SENTENCE_STARTERS
    return False


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in ``text``, covering all non-space characters."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in BOUNDARY.finditer(text):
        punctuation = match.group(1)
        end = match.end(2)
        next_word = re.match(r"[\"“‘'(\[]?(\w+)", text[match.end() :])
        token = TOKEN_BEFORE.search(text[: match.end(1)])
        if (
            punctuation == "."
            and token
            and _is_abbreviation(token.group(1), next_word.group(1) if next_word else "")
        ):
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans
