"""Headings of a text whose headings carry no markup, told by their shape and place.

A plain-text OCR export loses the bold and the "#" that mark headings in a Markdown one, and with them every
document's heading, its sender and recipient, and the datelines that only count after a heading. A paper that
marks none of its headings has them found here instead (a paper that marks some keeps the markup's word):

- the opening lines: the title, chapter and subject lines down to the first sentence or byline;
- a document's heading names its parties ("Mr. Olney to Mr. Buchanan.", "The Chargé in Iran (Merriam) to the
  Secretary of State") or its type ("Memorandum by the Secretary of State", "Press Release Issued by ...") in
  title case, and stands where a heading stands: over a dateline or an opener, or under a filing line, an
  enclosure's description, another heading or a signature;
- the subject and chapter lines over a document's heading (and over the filing line above it) end in no
  sentence, or are a single one ("Discrimination against American lumber", "Iran:", "Exclusion of American
  meats at Zurich."), and speak of their subject, not to a reader;
- in running prose without document headings, a section heading is a short line without final punctuation
  over a long paragraph, after a heading or a sentence's end.

A signature (a name after the document's text) and a byline (a person's name under the title) are never
taken for a heading.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.text.blocks import (
    COMPLIMENTARY_CLOSE,
    DATELINE,
    HEADING,
    HEADING_MARKUP,
    OPENER,
    PARAGRAPH,
    SENTENCE_END,
    SOURCE_NOTE,
    block_cues,
    is_signature_shaped,
)
from pipeline.vocab import alternation, load_mapping, load_words

MAX_DOCUMENT_HEADING = 300  # characters
MAX_TOPIC_HEADING = 600  # characters: a volume's subject lines run long ("Proposals for ... —British ...")
MAX_SECTION_HEADING = 120  # characters
MAX_LABEL_HEADING = 100  # characters of a chapter line ending in a colon ("Iran:")
MIN_SECTION_BODY = 200  # characters of the paragraph a section heading stands over
# Lower-case words other than joiners a title-case heading may hold ("Memorandum handed to ...").
MAX_LOWER_WORDS = 1
# A word of four or more lower-case letters and a full stop followed by more: a sentence ends inside.
SENTENCE_BREAK = re.compile(r"[a-z]{4,}[.?!][”\"’]?\s+\S")
# A heading speaks of its subject; "I", "we" and "you" speak to a reader (a letter's first sentence).
PERSONAL = re.compile(r"\b(?:I|[Ww]e|[Mm]y|[Oo]ur|[Yy]ou|[Yy]our)\b")
WORD = re.compile(r"[^\W\d_][\w’'\-.]*")
PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# "A to B": the sender is two words or more ending in a capitalised word ("Mr. Hay", "The Chargé in Iran"; not
# "Repeated to London"), the recipient starts with one or with "the".
SENDER = re.compile(r"^[^\W\d_a-z]\S*(?:\s+\S+)*\s+[^\W\d_a-z][\w’'.\-]*,?$")
TO = re.compile(r"\s+to\s+(?=(?:the\s+)?[^\W\d_a-z])")


@cache
def _office_to() -> re.Pattern[str]:
    """An office that takes "to" ("Ambassador to Belgium"): its "to" does not split a heading."""
    return re.compile(rf"\b(?:{alternation(load_mapping('correspondence_cues')['office_to'])})$")


def names_parties(plain: str) -> bool:
    """Whether a line is "sender to recipient", names in parentheses aside ("Mr. Hay to Mr. Conger.")."""
    text = plain.strip()
    splits = [
        m
        for m in TO.finditer(text)
        if text[: m.start()].endswith(")") or not _office_to().search(text[: m.start()])
    ]
    after_name = [m for m in splits if text[: m.start()].endswith(")")]
    split = (after_name or splits or [None])[0]
    return split is not None and bool(SENDER.match(PARENTHESES.sub("", text[: split.start()]).strip()))


@cache
def _joiners() -> frozenset[str]:
    return frozenset(word.casefold() for word in block_cues()["heading_joiner"])


@cache
def _type_start() -> re.Pattern[str]:
    """A heading opening with a document type, capitalised ("Memorandum by ...", "Aide-Mémoire")."""
    types = alternation(word[0].upper() + word[1:] for word in load_mapping("document_types"))
    return re.compile(rf"^(?:{types})(?=[\s,]+(?!(?:[IVXLC]+|\d+)\.?$)\S)")


def _lower_words(text: str) -> int:
    """How many words of a heading are in lower case and no joiner ("of", "the", "to" ...)."""
    words = WORD.findall(PARENTHESES.sub(" ", text))
    return sum(1 for word in words if word[0].islower() and word.rstrip(".").casefold() not in _joiners())


def is_document_heading_shaped(plain: str) -> bool:
    """A title-case line naming a document's parties or its type, with no sentence inside."""
    if not plain or len(plain) > MAX_DOCUMENT_HEADING or SENTENCE_BREAK.search(plain):
        return False
    if re.search(r"[;:]\s", plain) or plain.rstrip().endswith((",", ";", ":")):
        return False
    if _lower_words(plain) > MAX_LOWER_WORDS:
        return False
    return names_parties(plain) or bool(_type_start().match(plain))


def _is_topic_shaped(plain: str) -> bool:
    """A subject or chapter line: capitalised, not ending a clause, at most one sentence, and speaking of its
    subject, not to a reader: no salutation, no "I", "we" or "you" (a letter's first sentence is none)."""
    text = plain.strip()
    if not text or len(text) > MAX_TOPIC_HEADING or not (text[0].isupper() or text[0] in '“"0123456789'):
        return False
    if text.endswith(":") and (len(text) > MAX_LABEL_HEADING or _lower_words(text) > MAX_LOWER_WORDS):
        return False  # a lead-in ("The minister put it in one sentence:"), not a chapter line ("Iran:")
    if PERSONAL.search(text) or any(text.startswith(f"{cue} ") for cue in block_cues()["salutation"]):
        return False
    return not (text.endswith((",", ";", "—", "-")) or SENTENCE_BREAK.search(text))


def _ends_document(kinds: list[str], plains: list[str], index: int) -> bool:
    """Whether the block is a signature: name-shaped after a document's text (a sentence or a close)."""
    return (
        index > 0
        and kinds[index - 1] == PARAGRAPH
        and bool(re.search(r"[.?!,:;…][\"”’)\]]*$", plains[index - 1].rstrip()))
        and is_signature_shaped(plains[index])
    )


def _after_document(kinds: list[str], plains: list[str], index: int) -> bool:
    """Whether the block stands first, or after a frame block or a signature: where a new subject begins."""
    return index == 0 or kinds[index - 1] != PARAGRAPH or is_signature_shaped(plains[index - 1])


def _before_signature(plain: str) -> bool:
    """A complimentary close or a lead-in ("I have, etc.,", "Accept [etc.]", "... as follows:"): what stands
    before a signature or the text it introduces, never before a new subject."""
    return bool(COMPLIMENTARY_CLOSE.match(plain) or re.search(r"[,:;][\"”’)\]]*$", plain.rstrip()))


def _mark_document_headings(kinds: list[str], plains: list[str]) -> None:
    """Title-case lines naming a document's parties or type, where a document's heading stands."""
    for index, plain in enumerate(plains):
        if kinds[index] == DATELINE and _type_start().match(plain):
            # "Treaty Between ... and Austria, Signed at Vienna, January 31, 1930" has a dateline's shape.
            kinds[index] = HEADING
        if kinds[index] != PARAGRAPH or not is_document_heading_shaped(plain):
            continue
        previous = kinds[index - 1] if index else None
        following = kinds[index + 1 : index + 3]
        placed = (
            following[:1] in ([DATELINE], [OPENER])
            or previous in (None, OPENER, SOURCE_NOTE, HEADING, DATELINE)
            or _ends_document(kinds, plains, index - 1)
            # a dateline the OCR garbled between the heading and the despatch number: "No. 43.]"
            or (following[1:] == [OPENER] and names_parties(plain))
        )
        if placed and not _ends_document(kinds, plains, index):
            kinds[index] = HEADING


def _mark_opening_headings(kinds: list[str], plains: list[str]) -> None:
    """The paper's title or chapter line and the subject lines under it, down to the first sentence or name
    (a byline)."""
    for index, plain in enumerate(plains):
        opening = _is_topic_shaped(plain) and not SENTENCE_END.search(plain)
        if kinds[index] != PARAGRAPH or not opening or (index and is_signature_shaped(plain)):
            break
        kinds[index] = HEADING


def _mark_topic_headings(kinds: list[str], plains: list[str]) -> None:
    """Subject and chapter lines over a heading, perhaps with a filing line between, from the heading up."""
    for index in range(len(kinds) - 1, 0, -1):
        if kinds[index] != HEADING:
            continue
        above = index - 1
        if kinds[above] in (OPENER, SOURCE_NOTE) and above > 0 and not plains[above].startswith("["):
            above -= 1  # a filing line, not an enclosure's description (which follows a signature)
        name = is_signature_shaped(plains[above])
        if (
            kinds[above] == PARAGRAPH
            and _is_topic_shaped(plains[above])
            # a name-shaped line is a topic ("Austria-Hungary") only at the top or under a heading
            and (not name or above == 0 or kinds[above - 1] == HEADING)
            and (not SENTENCE_END.search(plains[above]) or _after_document(kinds, plains, above))
            and not (above and kinds[above - 1] == PARAGRAPH and _before_signature(plains[above - 1]))
        ):
            kinds[above] = HEADING


@cache
def _label() -> re.Pattern[str]:
    """A label alone ("Article II", "“Article 7", "IV"): the numbering of a document's text, not a heading."""
    words = alternation(block_cues()["list_label_word"])
    return re.compile(rf"^[“\"]?(?:(?:{words})\s+)?(?:[IVXLC]+|\d+|[A-Z])\.?$")


@cache
def _given_names() -> frozenset[str]:
    return frozenset(load_words("given_names"))


def _is_personal_name(plain: str) -> bool:
    """A name opening with a given name or an initial ("Peter Cozzens", "J. R. Smith"), not a phrase."""
    first = plain.split()[0] if plain.split() else ""
    return is_signature_shaped(plain) and (bool(re.match(r"^[A-Z]\.", first)) or first in _given_names())


def _mark_section_headings(kinds: list[str], plains: list[str]) -> None:
    """A short unpunctuated line after a heading or a sentence's end, and over a long paragraph."""
    for index in range(1, len(kinds) - 1):
        plain = plains[index].strip()
        if (
            kinds[index] == PARAGRAPH
            and not _label().match(plain)
            and kinds[index + 1] == PARAGRAPH
            and 0 < len(plain) <= MAX_SECTION_HEADING
            and _is_topic_shaped(plain)
            and not re.search(r"[.?!:]\W*$", plain)
            and (
                kinds[index - 1] == HEADING
                or (kinds[index - 1] == PARAGRAPH and SENTENCE_END.search(plains[index - 1]))
            )
            # a person's name under the paper's opening heading is its byline
            and not (set(kinds[:index]) == {HEADING} and _is_personal_name(plain))
            and len(plains[index + 1]) >= MIN_SECTION_BODY
        ):
            kinds[index] = HEADING


def mark_unmarked_headings(raws: list[str], kinds: list[str], plains: list[str]) -> None:
    """Headings by shape and place, in a body none of whose blocks is marked as a heading."""
    if any(HEADING_MARKUP.match(raw) for raw in raws):
        return
    _mark_opening_headings(kinds, plains)
    opening = kinds.count(HEADING)
    _mark_document_headings(kinds, plains)
    documents = kinds.count(HEADING) > opening
    _mark_topic_headings(kinds, plains)
    if not documents:
        # Running prose, not a collection of documents (whose "Article III" lines are the document's text).
        _mark_section_headings(kinds, plains)
