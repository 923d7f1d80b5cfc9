"""Where a blank line between two blocks of a body is a block boundary and where a page break split one.

A blank line inside a page is a block boundary; a page boundary (a page's notes standing between, or a
bare blank line where a page without notes ended) is a join only where the sentence demonstrably goes on:
the words on either side of the break and the page layout (``pages.BreakEvidence``) say so. The blocks'
own shapes (``blocks``) say which blocks never join their neighbours.
"""

from __future__ import annotations

import re

from pipeline.text.blocks import (
    CLAUSE_END,
    COMPLIMENTARY_CLOSE,
    ELISION,
    FIRST_WORDS,
    HEADING_MARKUP,
    LEAD_IN_END,
    OPENS_QUOTED,
    SENTENCE_END,
    SHORT_BLOCK,
    TERMINAL,
    block_cues,
    clause_start_shape,
    heading_like,
    is_name_shaped,
    is_signature_shaped,
    list_label,
    local_kind,
)
from pipeline.text.months import MONTHS_AS_PRINTED
from pipeline.text.pages import BreakEvidence


def starts_frame(raw: str, plain: str) -> bool:
    """A block a page break must not join to what comes before it: its shape marks a block of its own."""
    return (
        local_kind(raw, plain) is not None
        or is_name_shaped(plain)
        or is_signature_shaped(plain)
        or list_label(plain) is not None
        or bool(ELISION.match(plain))
        or bool(COMPLIMENTARY_CLOSE.match(plain))
    )


def _first_words(
    previous_raw: str, previous_plain: str, raw: str, plain: str, evidence: BreakEvidence
) -> bool:
    """A page break cuts a paragraph one or two words in ("I" | "have the honor ...", "His Majesty's" |
    "Government are ..."): the words before the break are no block of their own when what follows them
    goes on in lower case, or, where a page's notes stand between, is running text that no frame block's
    shape marks."""
    words = previous_plain.split()
    if not 0 < len(words) <= FIRST_WORDS:
        return False
    # Across a bare blank line only what goes on in lower case shows the break.
    if evidence is not BreakEvidence.PAGE_BREAK and not re.match(r"^[a-z]", plain):
        return False
    if (
        HEADING_MARKUP.match(previous_raw)
        or TERMINAL.search(previous_plain)
        or re.search(r"[,;]$", previous_plain)
    ):
        return False
    return is_name_shaped(previous_plain) and not starts_frame(raw, plain) and not heading_like(plain)


# Lower-case words of running text before a block's end: more than a title or an address line holds.
RUNNING_TEXT_WORDS = 6
LOWER_WORD = re.compile(r"(?:^|\s)[a-z][a-z’']+")
NUMBER_LABEL_ONLY = re.compile(r"^(?:\(?\d{1,4}[.)]|\(\w{1,3}\))$")


def _stops_mid_phrase(previous_plain: str, raw: str, plain: str, page_break: bool) -> bool:
    """The previous block demonstrably stops inside a sentence that this one goes on with.

    It ends on a word no printed block ends on (an article or preposition: "... received from" |
    "Consul-General Lee ..."), on an abbreviation that stands before a name or number ("despatch No." |
    "345"), on a month before the day ("dated March" | "4, 1925"), or is an article's or list item's bare
    label ("Article" | "16. The ..."; "57." | "The draft ..." where a page's notes stand between). Where a
    page's notes stand between, running text ending on a word without punctuation goes on too ("... as the
    United" | "States may ..."). This block must not open a block of its own (a heading, dateline, list
    item, quotation).
    """
    if not _phrase_runs_on(previous_plain, plain, page_break):
        return False
    return not (HEADING_MARKUP.match(raw) or ELISION.match(plain) or local_kind(raw, plain) is not None)


def _phrase_runs_on(previous_plain: str, plain: str, page_break: bool) -> bool:
    """The words on either side of a break (see ``_stops_mid_phrase``), before the block's own shape."""
    words = previous_plain.split()
    if not words:
        return False
    last = words[-1]
    cues = block_cues()
    if len(words) == 1 and last in cues["bare_label"]:
        return True
    if page_break and NUMBER_LABEL_ONLY.match(previous_plain.strip()):
        return True
    if list_label(plain) is not None:
        return False
    if last in cues["run_on_word"]:
        return not re.match(r"^[\"“‘\[(]", plain)
    if last in cues["run_on_abbreviation"] or (last.rstrip(",") in MONTHS_AS_PRINTED and plain[:1].isdigit()):
        return bool(re.match(r"^[A-Z\d]", plain))
    return (
        page_break
        and bool(re.search(r"\w$", previous_plain))
        and len(LOWER_WORD.findall(previous_plain)) >= RUNNING_TEXT_WORDS
    )


def continues_across_break(
    previous_raw: str,
    previous_plain: str,
    raw: str,
    plain: str,
    evidence: BreakEvidence = BreakEvidence.UNKNOWN,
) -> bool:
    """Whether a block is the rest of the previous one, split from it by a page break.

    Never when either is a frame block (heading, dateline, signature, elision ...) or this one opens a
    list item, nor after a lead-in that announces what follows (":", ":—", "—"). A blank line alone may be
    a page break without notes but is most often a paragraph gap, so across it only a sentence that
    demonstrably goes on is joined: this block starts in lower case after no full stop, or the previous one
    stops mid-sentence without a clause's end (";", "; and") and this one does not open a quotation or a
    complimentary close ("I have, etc.,").
    A block ending in a comma before one starting with a capital is a preamble's clause or a closing ("...
    duly authorized by their Governments," | "Have agreed ..."), unless a page's notes stand between.
    Where a page's notes stand between (``BreakEvidence.PAGE_BREAK``), a clause's end goes on too. Two
    short blocks in a row that do not go on in lower case are a list of phrases or a complimentary close:
    a page break seldom falls in so little text. A block that starts with a capital after a full stop is a
    new paragraph even when a page's notes stand between them: printed pages often end with a paragraph.
    The page layout can say otherwise (``pages.break_evidence``): a page break it shows fell in running
    text goes on after a sentence's end too, and a blank line where it prints no page break is a paragraph
    gap.
    """
    if evidence is BreakEvidence.PARAGRAPH_GAP:
        return False
    page_break = evidence in (BreakEvidence.PAGE_BREAK, BreakEvidence.CUT_IN_TEXT)
    if _stops_mid_phrase(previous_plain.rstrip(), raw, plain, page_break):
        return True
    if _first_words(previous_raw, previous_plain, raw, plain, evidence):
        return True
    if clause_start_shape().match(plain):
        return False  # a resolution's or preamble's clause opens a block ("Resolved, That ...")
    if local_kind(previous_raw, previous_plain) is not None or is_name_shaped(previous_plain):
        return False
    if starts_frame(raw, plain) or ELISION.match(previous_plain):
        return False
    previous_plain, plain = previous_plain.rstrip(), plain.rstrip()
    if previous_plain.endswith(":") or (LEAD_IN_END.search(previous_plain) and not page_break):
        return False
    if not page_break and re.search(r"[;*][\"”’'»)\]]*$", previous_plain):
        return False  # a clause or an elision ends the block: across a bare blank line the next is its own
    if not page_break and previous_plain.endswith(",") and re.match(r"^[A-Z]", plain):
        return False  # a preamble's clause ("... duly authorized by their Governments,") or a closing
    if re.match(r"^[a-z]", plain) and not heading_like(plain):
        return page_break or not SENTENCE_END.search(previous_plain)
    if not page_break and (
        CLAUSE_END.search(previous_plain) or OPENS_QUOTED.match(plain) or re.search(r"\d$", previous_plain)
    ):
        return False  # nor does a figure at a block's end (a table's last cell) go on into a capital
    # A page's foot in the middle of a phrase ("... a letter from the" | "Secretary of Commerce ..."): no
    # paragraph ends on a lower-case word without punctuation.
    if page_break and re.search(r"\s[a-z]+$", previous_plain):
        return True
    if len(previous_plain) < SHORT_BLOCK and len(plain) < SHORT_BLOCK:
        return False
    if evidence is BreakEvidence.CUT_IN_TEXT and SENTENCE_END.search(previous_plain):
        return True
    if re.match(r"^[\"“‘(][a-z]", plain):
        return True
    return not TERMINAL.search(previous_plain) and not heading_like(previous_plain)
