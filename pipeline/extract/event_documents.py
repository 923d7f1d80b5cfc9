"""A document as a clause's subject: what it says is its author's words, not a happening.

"The committee's final report recommended limiting the series" and "His September 9 note retracted the
assessment" report a document's content; the happening, if any, is the document's writing or sending,
narrated elsewhere. A verb that tells what happened to the document itself ("the despatch arrived") still
makes an event, and so does a verb after an indefinite object ("penned a despatch labeled ..." is a
participle, read elsewhere) or after a document inside a prepositional phrase ("in an open letter
answered"). A verb joined by "and" to a sentence's opening document subject ("The report determined that
... and recommended") shares that subject. Both word lists are in vocab/ (event_document_subjects,
event_document_happenings).
"""

from __future__ import annotations

import re

from pipeline.vocab import load_words

_DOCUMENTS = frozenset(word.lower() for word in load_words("event_document_subjects"))
_HAPPENINGS = frozenset(word.lower() for word in load_words("event_document_happenings"))
_INDEFINITE = frozenset({"a", "an", "another"})
_PREPOSITIONS = "of in by with through under from to on at for into upon"
_CLAUSE_WORDS = "whom which who whose that i he she we they you"
_NOT_HEAD = frozenset(f"{_PREPOSITIONS} {_CLAUSE_WORDS}".split())  # before the document: not its subject
_PAST = "|".join(map(re.escape, sorted(load_words("event_irregular_past"), key=len, reverse=True)))
_OPENING_SUBJECT = re.compile(  # "The HAC’s final report determined", "His second note retracted"
    r"(?:The|This|That|These|Those|His|Her|Its|Their|Our|[A-Z][\w.-]*[’']s)"
    rf"(?:\s+[\w’'-]+){{0,4}}?\s+([a-z-]+)\s+(?:[a-z]+ly\s+)?(?:[a-z]+ed|{_PAST})\b"
)


def document_speaks(subject_words: list[str], verb: str, text: str, end: int) -> bool:
    """True when the subject's last word names a document and the verb reports what it says."""
    if verb.split()[0].lower() in _HAPPENINGS or not subject_words or not text[end:].strip(' .;:)]"”'):
        return False  # "Urgent reply requested.": telegraphese for a passive, what was done to the document
    last = subject_words[-1].lower()
    if last in ("and", "but"):
        opening = _OPENING_SUBJECT.match(text)
        return (
            opening is not None
            and opening.group(1) in _DOCUMENTS
            and opening.group(0).rsplit(None, 1)[-1] not in _HAPPENINGS  # "The letter arrived and was read"
        )
    if last not in _DOCUMENTS or (len(subject_words) > 1 and subject_words[-2].lower() in _INDEFINITE):
        return False
    # "in an open letter answered", "the adoption of the resolution completed", "The President to whom I
    # conveyed the reply indicated": the document is no subject
    return not any(word.lower() in _NOT_HEAD for word in subject_words[-5:-1])
