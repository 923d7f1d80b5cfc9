"""Blocks of a printed history text: what each blank-line separated block of the body is.

Besides prose paragraphs, papers print short blocks that do not end in sentence punctuation: headings,
bylines, filing notes ("File No. ..."), openers ("[Telegram]", "No. 53", "Sir:"), datelines ("Peking,
January 28, 1918, 5 p.m."), signatures, list items. Each is kept as its own block with its kind and is
never glued onto the prose around it. Kinds are told by the block's own shape first (local kinds), then by
its neighbours (bylines follow the opening heading, signatures close a document).
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.text.months import MONTHS_AS_PRINTED
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
_MONTH = "|".join(sorted(map(re.escape, MONTHS_AS_PRINTED), key=len, reverse=True))
_DATE = rf"(?:(?:{_MONTH})\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTH})),?\s+\d{{4}}"
DATELINE_SHAPE = re.compile(
    rf"^[A-Z][\w.’'\- ]{{0,40}}?(?:\s\([^()]{{1,40}}\))?,\s+{_DATE}"
    r"(?:,\s*[\w. ]{1,20}?)?\.?(?:\s*\[[^\[\]]{1,60}\]\.?)?$"
)
NUMBER_LABEL = re.compile(r"^No\.\s*\d+[a-z]?\.?$")
BRACKETED = re.compile(r"^\[([^\[\]]{1,60})\]\.?$")
PAREN_LABEL = re.compile(r"^\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s+\S")
DOT_LABEL = re.compile(r"^(\d{1,2}|[a-z])\.\s+\S")
BY_LINE = re.compile(r"^by\s+\S", re.IGNORECASE)
INITIAL = re.compile(r"^[A-Z]\.(?:[A-Z]\.)*$")
NAME_WORD = re.compile(r"^[A-Z][\w’'\-]*\.?,?$")
MAX_NAME_WORDS = 10


@cache
def _cues() -> dict[str, tuple[str, ...]]:
    return {kind: tuple(words) for kind, words in load_mapping("block_cues").items()}


@cache
def _source_note_shape() -> re.Pattern[str]:
    prefixes = "|".join(sorted(map(re.escape, _cues()["source_note"]), key=len, reverse=True))
    return re.compile(rf"^(?:{prefixes})\s*\d[\w./:,;\- ]{{0,80}}$")


def _is_opener(plain: str) -> bool:
    bracketed = BRACKETED.match(plain)
    if bracketed:
        first = re.split(r"[—–\-:,]|\s(?=[a-z—])", bracketed.group(1).strip(), maxsplit=1)[0].strip()
        return first.casefold() in {word.casefold() for word in _cues()["opener"]}
    if NUMBER_LABEL.match(plain):
        return True
    if len(plain.split()) <= 8 and plain.endswith((":", ",")):
        return any(plain.startswith(f"{cue} ") or plain[:-1] == cue for cue in _cues()["salutation"])
    return False


def local_kind(raw: str, plain: str) -> str | None:
    """The kind a block's own shape shows (heading, source note, opener, dateline), else None."""
    if HEADING_MARKUP.match(raw):
        return HEADING
    words = plain.split()
    if 0 < len(words) <= 12 and plain.isupper() and not TERMINAL.search(plain):
        return HEADING
    if _source_note_shape().match(plain):
        return SOURCE_NOTE
    if _is_opener(plain):
        return OPENER
    if len(plain) <= 120 and DATELINE_SHAPE.match(plain):
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


def _list_label(plain: str) -> tuple[str, int] | None:
    """A numbered list item's label: ("paren" or "dot", its ordinal), else None."""
    if PAREN_LABEL.match(plain):
        label = plain[1 : plain.index(")")]
        return "paren", int(label) if label.isdigit() else ord(label[0]) - ord("a") + 1
    dot = DOT_LABEL.match(plain)
    if dot:
        label = dot.group(1)
        return "dot", int(label) if label.isdigit() else ord(label) - ord("a") + 1
    return None


def classify_blocks(raws: list[str], plains: list[str]) -> list[str]:
    """The kind of every block of a body, in order (blocks already joined across page breaks)."""
    kinds = [local_kind(raw, plain) or PARAGRAPH for raw, plain in zip(raws, plains, strict=True)]
    labels = [_list_label(plain) if kind == PARAGRAPH else None for plain, kind in zip(plains, kinds, strict=True)]
    for index, label in enumerate(labels):
        if label is None:
            continue
        style, ordinal = label
        before = labels[index - 1] if index else None
        after = labels[index + 1] if index + 1 < len(labels) else None
        in_run = (before is not None and before == (style, ordinal - 1)) or (
            after is not None and after == (style, ordinal + 1)
        )
        if style == "paren" or in_run:
            kinds[index] = LIST_ITEM

    seen_body = False
    for index, plain in enumerate(plains):
        kind = kinds[index]
        previous = kinds[index - 1] if index else None
        following = kinds[index + 1] if index + 1 < len(kinds) else None
        if kind == PARAGRAPH and not seen_body and previous in (HEADING, BYLINE):
            if BY_LINE.match(plain) or is_name_shaped(plain):
                kinds[index] = BYLINE
                continue
        if (
            kind == PARAGRAPH
            and previous in (*BODY_BLOCK_KINDS, CLOSER)
            and following in (None, *FRAME_KINDS)
            and is_name_shaped(plain)
        ):
            kinds[index] = CLOSER
            continue
        seen_body = seen_body or kind in BODY_BLOCK_KINDS
    return kinds


def starts_frame(raw: str, plain: str) -> bool:
    """A block a page break must not join to its neighbour: its own shape marks it as a frame block."""
    return local_kind(raw, plain) is not None or is_name_shaped(plain)
