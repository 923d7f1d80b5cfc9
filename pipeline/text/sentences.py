"""Rule-based sentence segmentation for scholarly English prose.

A period ends a sentence unless it closes an initial ("R.C."), a title or common abbreviation ("Mr.",
"vols."), or an ellipsis followed by lower case. Rules rather than a statistical model: they are
predictable, fast, and need no model download.
"""

from __future__ import annotations

import re

from pipeline.vocab import load_words

ABBREVIATIONS = frozenset(load_words("abbreviations"))
# Words that start a new sentence often enough that a dotted acronym ("U.S.") before them ends one.
SENTENCE_STARTERS = frozenset(load_words("sentence_starters"))
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
