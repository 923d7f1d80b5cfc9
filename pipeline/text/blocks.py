"""Blocks of a printed history text: what each blank-line separated block of the body is.

Besides prose paragraphs, papers print short blocks that do not end in sentence punctuation: headings,
bylines, filing notes ("File No. ..."), openers ("[Telegram]", "No. 118", "Sir:"), datelines ("Oslo,
March 3, 1921, 4 p.m."), signatures, list items. Each is kept as its own block with its kind and is
never glued onto the prose around it. Kinds are told by the block's own shape first (local kinds), then by
its neighbours (bylines follow the opening heading, signatures close a document).
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.text.months import MONTHS_AS_PRINTED
from pipeline.text.pages import BreakEvidence
from pipeline.vocab import load_mapping

HEADING = "heading"
BYLINE = "byline"
PARAGRAPH = "p"
QUOTE = "quote"
LIST_ITEM = "list_item"
SOURCE_NOTE = "source_note"
OPENER = "opener"
DATELINE = "dateline"
CLOSER = "closer"
# Blocks that are the body's running text (the rest frame it).
BODY_BLOCK_KINDS = (PARAGRAPH, QUOTE, LIST_ITEM)
# Kinds a block's own shape decides; a page break never joins one of them to its neighbour.
FRAME_KINDS = (HEADING, SOURCE_NOTE, OPENER, DATELINE)

HEADING_MARKUP = re.compile(r"^\s*(#{1,6}\s+\S.*|\*\*[^*]+\*\*|__[^_]+__)\s*$", re.DOTALL)
TERMINAL = re.compile(r"[.?!:…][\"”’'»)\]]*$")
SENTENCE_END = re.compile(r"[.?!…][\"”’'»)\]]*$")
_MONTH = "|".join(sorted(map(re.escape, MONTHS_AS_PRINTED), key=len, reverse=True))
_DATE = rf"(?:(?:{_MONTH})\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTH})),?\s+\d{{4}}"
NUMBER_LABEL = re.compile(r"^No\.\s*(?:[A-Z]\s)?\d[\w\-–/]*\.?$")
# A despatch number whose opening bracket stands on another line: "No. 918.]", "F. O. No. 155.]".
CLOSED_LABEL = re.compile(r"^(?:[A-Z]\.\s?)*(?:No\.?\s*)?\d[\w\-–/.]*\.?[\])]$")
# A filing line: a decimal file number, perhaps with the document's form ("763.72119/9134: Telegram",
# "Paris Peace Conf. 183.9 China/6: Telegram", "890D.927/37", "NC/56").
FILING_LINE = re.compile(
    r"^(?:[A-Z][\w.]*\s+){0,3}(?:\d[\w.]*|[A-Z]{1,4})(?:\s+[\w.,’'\-]+){0,4}/[\w.\-–½/]*"
    r"(?:\s*[:—–]\s*[A-Z][\w ]{0,30})?$"
)
BRACKETED = re.compile(r"^\[([^\[\]]{1,60})\]\.?$")
PAREN_LABEL = re.compile(r"^\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s+\S")
DOT_LABEL = re.compile(r"^(\d{1,2}|[a-z])\.\s+\S")
BULLET_LABEL = re.compile(r"^[-*•–]\s+\S")
QUOTED_PHRASE = re.compile(r"^[\"“‘]")
LOWER_START = re.compile(r"^[\"“‘(]?[a-z]")
BY_LINE = re.compile(r"^by\s+\S", re.IGNORECASE)
INITIAL = re.compile(r"^[A-Z]\.(?:[A-Z]\.)*$")
NAME_WORD = re.compile(r"^[A-Z][\w’'\-]*\.?,?$")
MAX_NAME_WORDS = 10
DATELINE_LENGTH = 200  # characters, with a bracketed note of its receipt
SHORT_BLOCK = 160  # characters
# A sentence of at least this many characters ending in a colon introduces a block quotation; shorter
# ones are a telegram's address line ("For the Secretary:"), followed by the message itself.
QUOTE_LEAD_IN = 50
# A transcript's speaker label in capitals: "Mr. SMITH.", "The SPEAKER.", "Senator JONES."
SPEAKER_LABEL = re.compile(r"^(?:[A-Z][a-z]{0,9}\.?\s+)?[A-Z][A-Z’'\-]{2,}\.\s")


@cache
def _cues() -> dict[str, tuple[str, ...]]:
    return {kind: tuple(words) for kind, words in load_mapping("block_cues").items()}


@cache
def _dateline_shape() -> re.Pattern[str]:
    """ "[Place, ]Month Day, Year[, hour][. [Received ...]]", "Place [undated]. [...]" and the like.

    The place is a run of capitalised words (and "of", "the" ...) ending in a comma, or bracketed as the
    editors supplied it ("[Washington,] May 8, 1936."); a note in brackets or parentheses may follow.
    """
    undated = "|".join(map(re.escape, _cues()["undated"]))
    joiners = "|".join(map(re.escape, _cues()["place_joiner"]))
    word = r"[\[(]?[A-Z][\w.’'\-]*[\])]?"
    place = rf"(?:(?:{word},?|{joiners})\s+){{0,14}}"
    when = rf"\[?(?:{_DATE}|{undated})\]?(?:\s*[,—–-]\s*[\w. :]{{1,20}}?)?\.?\]?"
    return re.compile(
        rf"^\[?(?:{place}{word},\]?\s+|{place}{word}\s+(?=\[))?{when}(?:\s*[\[(][^\[\]()]{{1,80}}[\])]\.?)*$"
    )


@cache
def _source_note_shape() -> re.Pattern[str]:
    prefixes = "|".join(sorted(map(re.escape, _cues()["source_note"]), key=len, reverse=True))
    return re.compile(rf"^(?:{prefixes})\s*\d[\w./:,;\- ]{{0,80}}$")


def _is_opener(plain: str) -> bool:
    """A bracketed description ("[Letter—Extract]"), a despatch number ("No. 118", "No. 918.]"), a filing
    line ("763.72119/9134: Telegram"), the collection a document comes from, or a salutation."""
    bracketed = BRACKETED.match(plain)
    if bracketed:
        first = re.split(r"[—–\-:,.]|\s(?=[a-z\d—])", bracketed.group(1).strip(), maxsplit=1)[0].strip()
        return first.casefold() in {word.casefold() for word in _cues()["opener"]}
    if NUMBER_LABEL.match(plain) or CLOSED_LABEL.match(plain) or FILING_LINE.match(plain):
        return True
    words = plain.split()
    if 1 < len(words) <= 6 and words[-1] in _cues()["collection"] and all(w[0].isupper() for w in words):
        return True
    if len(plain.split()) <= 8 and plain.endswith((":", ",")):
        return any(plain.startswith(f"{cue} ") or plain[:-1] == cue for cue in _cues()["salutation"])
    return False


def local_kind(raw: str, plain: str) -> str | None:
    """The kind a block's own shape shows (heading, source note, opener, dateline), else None."""
    if HEADING_MARKUP.match(raw):
        return HEADING
    if _source_note_shape().match(plain):
        return SOURCE_NOTE
    if FILING_LINE.match(plain):
        return OPENER
    words = plain.split()
    if 0 < len(words) <= 12 and plain.isupper() and not TERMINAL.search(plain):
        return HEADING
    if _is_opener(plain):
        return OPENER
    if len(plain) <= DATELINE_LENGTH and _dateline_shape().match(plain):
        return DATELINE
    return None


def is_name_shaped(plain: str) -> bool:
    """A short run of capitalised words and initials with no sentence punctuation: a signature or byline."""
    text = plain[1:-1] if plain.startswith("[") and plain.endswith("]") else plain
    words = text.split()
    if not words or len(words) > MAX_NAME_WORDS or re.search(r"\d", text):
        return False
    if text.endswith((".", ":", "?", "!", ";")) and not INITIAL.match(words[-1]):
        return False
    joiners = set(_cues()["closer_joiner"])
    return all(INITIAL.match(word) or NAME_WORD.match(word) or word in joiners for word in words) and bool(
        NAME_WORD.match(words[-1]) or INITIAL.match(words[-1])
    )


def is_signature_shaped(plain: str) -> bool:
    """A signature: a name, perhaps with its title after a comma and a closing period ("John Sherman.",
    "Alvey A. Adee, Acting Secretary."), perhaps signed on someone's behalf ("For the Secretary of State:
    Joseph C. Grew"); letters the editors supplied in brackets count ("C[ordell] H[ull]")."""
    prefixes = "|".join(map(re.escape, _cues()["signature_prefix"]))
    text = re.sub(rf"^(?:{prefixes})\s+[^:,]{{1,60}}[:,]\s+", "", plain.strip())
    text = re.sub(r"[\[\]]", "", text).rstrip(".")
    return bool(text) and is_name_shaped(text)


def _list_label(plain: str) -> tuple[str, int] | None:
    """A list item's label: ("paren" or "dot", its ordinal) or ("bullet", 0), else None."""
    if BULLET_LABEL.match(plain):
        return "bullet", 0
    if PAREN_LABEL.match(plain):
        label = plain[1 : plain.index(")")]
        return "paren", int(label) if label.isdigit() else ord(label[0]) - ord("a") + 1
    dot = DOT_LABEL.match(plain)
    if dot:
        label = dot.group(1)
        return "dot", int(label) if label.isdigit() else ord(label) - ord("a") + 1
    return None


def _mark_list_items(kinds: list[str], plains: list[str]) -> None:
    """Bulleted and (a)-style items always; "1."-style ones only in a run (else a numbered telegram)."""
    labels = [
        _list_label(plain) if kind == PARAGRAPH else None for plain, kind in zip(plains, kinds, strict=True)
    ]
    for index, label in enumerate(labels):
        if label is None:
            continue
        style, ordinal = label
        before = labels[index - 1] if index else None
        after = labels[index + 1] if index + 1 < len(labels) else None
        in_run = before == (style, ordinal - 1) or after == (style, ordinal + 1)
        if style in ("paren", "bullet") or in_run:
            kinds[index] = LIST_ITEM
    # A run of short quoted phrases, one per block, is a list whose bullets the print did not show.
    phrase = [
        kind == PARAGRAPH and len(plain) < SHORT_BLOCK and bool(QUOTED_PHRASE.match(plain))
        for plain, kind in zip(plains, kinds, strict=True)
    ]
    for index, is_phrase in enumerate(phrase):
        if is_phrase and ((index and phrase[index - 1]) or (index + 1 < len(phrase) and phrase[index + 1])):
            kinds[index] = LIST_ITEM


def _mark_quotes(kinds: list[str], plains: list[str]) -> None:
    """A block after a lead-in sentence ending in a colon, and a transcript's run of speaker labels.

    A paragraph of running text that starts in lower case after a lead-in ending in a comma or colon
    ("... the Tribune said,") is the quoted words that complete the lead-in's sentence, set off as a block.
    """
    for index in range(1, len(kinds)):
        if kinds[index] != PARAGRAPH or kinds[index - 1] not in (PARAGRAPH, QUOTE):
            continue
        previous_plain = plains[index - 1].rstrip()
        introduced = kinds[index - 1] == PARAGRAPH and previous_plain.endswith(":")
        speaker = SPEAKER_LABEL.match(plains[index]) and (introduced or SPEAKER_LABEL.match(previous_plain))
        runs_on = (
            kinds[index - 1] == PARAGRAPH
            and previous_plain.endswith((",", ":"))
            and LOWER_START.match(plains[index])
            and not _heading_like(plains[index])
        )
        if (introduced and len(previous_plain) >= QUOTE_LEAD_IN) or speaker or runs_on:
            kinds[index] = QUOTE


def _mark_frame_by_place(kinds: list[str], plains: list[str]) -> None:
    """Bylines under the opening heading, signatures closing a document, dates at a document's foot.

    A signature follows a document's text (or another signature) and comes before the next document's
    frame (its heading, filing line or dateline) or the paper's end; a place and date printed under the
    signature belongs to it.
    """
    for index, plain in enumerate(plains):
        kind = kinds[index]
        previous = kinds[index - 1] if index else None
        # A byline stands under the paper's opening heading(s), before anything else.
        opening = kind == PARAGRAPH and 0 < index <= 2 and all(k in (HEADING, BYLINE) for k in kinds[:index])
        by = BY_LINE.match(plain)
        person = len(plain.split()) > 1 and is_name_shaped(plain)
        if opening and (person or (by and plain[by.end() - 1].isupper() and is_name_shaped(plain))):
            kinds[index] = BYLINE
        elif kind == DATELINE and previous in BODY_BLOCK_KINDS:
            # A place and date printed after a document's text (a memorandum's date at its foot) belongs
            # to that text, as the publishers' own markup has it; a dateline heads a document.
            kinds[index] = PARAGRAPH
    signed = [
        kind == PARAGRAPH and is_signature_shaped(plain) for kind, plain in zip(kinds, plains, strict=True)
    ]
    for index in range(len(kinds) - 1, 0, -1):
        following = kinds[index + 1] if index + 1 < len(kinds) else None
        if (
            signed[index]
            and kinds[index - 1] in (*BODY_BLOCK_KINDS, CLOSER)
            and following in (None, CLOSER, *FRAME_KINDS)
        ):
            kinds[index] = CLOSER
    for index in range(1, len(kinds)):
        if kinds[index] == DATELINE and kinds[index - 1] == CLOSER:
            kinds[index] = CLOSER


def classify_blocks(raws: list[str], plains: list[str]) -> list[str]:
    """The kind of every block of a body, in order (blocks already joined across page breaks)."""
    kinds = [local_kind(raw, plain) or PARAGRAPH for raw, plain in zip(raws, plains, strict=True)]
    _mark_list_items(kinds, plains)
    _mark_quotes(kinds, plains)
    _mark_frame_by_place(kinds, plains)
    return kinds


def starts_frame(raw: str, plain: str) -> bool:
    """A block a page break must not join to what comes before it: its shape marks a block of its own."""
    return local_kind(raw, plain) is not None or is_name_shaped(plain) or _list_label(plain) is not None


def _heading_like(plain: str) -> bool:
    """Short, with no sentence punctuation at its end or inside: an unmarked (sub)heading."""
    return len(plain) < SHORT_BLOCK and not TERMINAL.search(plain) and not re.search(r"[.?!:;]\s", plain)


def continues_across_break(
    previous_raw: str,
    previous_plain: str,
    raw: str,
    plain: str,
    evidence: BreakEvidence = BreakEvidence.UNKNOWN,
) -> bool:
    """Whether a block is the rest of the previous one, split from it by a page break.

    Never when either is a frame block (heading, dateline, signature ...) or this one opens a list item.
    Otherwise it is when this one starts with a lower-case word after anything but a colon (unless it is
    a short line without punctuation, an unmarked subheading), or the previous one stops mid-sentence and
    is no unmarked heading itself. Two short blocks in a row that do not go on in lower case are a list of
    phrases or a complimentary close: a page break seldom falls in so little text. A block that starts
    with a capital after a full stop is a new paragraph even when a page's notes stand between them:
    printed pages often end with a paragraph. The page layout can say otherwise (``pages.break_evidence``):
    a page break it shows fell in running text goes on after a sentence's end too, and a blank line where
    it prints no page break is a paragraph gap.
    """
    if evidence is BreakEvidence.PARAGRAPH_GAP:
        return False
    if local_kind(previous_raw, previous_plain) is not None or is_name_shaped(previous_plain):
        return False
    if starts_frame(raw, plain):
        return False
    previous_plain, plain = previous_plain.rstrip(), plain.rstrip()
    if re.match(r"^[a-z]", plain) and not _heading_like(plain):
        return not previous_plain.endswith(":")
    if len(previous_plain) < SHORT_BLOCK and len(plain) < SHORT_BLOCK:
        return False
    if evidence is BreakEvidence.CUT_IN_TEXT and SENTENCE_END.search(previous_plain):
        return True
    if re.match(r"^[\"“‘(][a-z]", plain):
        return not previous_plain.endswith(":")
    return not TERMINAL.search(previous_plain) and not _heading_like(previous_plain)
