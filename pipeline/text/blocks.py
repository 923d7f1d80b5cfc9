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
from pipeline.vocab import alternation, load_mapping

HEADING = "heading"
BYLINE = "byline"
PARAGRAPH = "p"
QUOTE = "quote"
LIST_ITEM = "list_item"
SOURCE_NOTE = "source_note"
OPENER = "opener"
DATELINE = "dateline"
CLOSER = "closer"
TABLE_ROW = "table_row"
# Blocks that are the body's running text (the rest frame it).
BODY_BLOCK_KINDS = (PARAGRAPH, QUOTE, LIST_ITEM)
# Kinds a block's own shape decides; a page break never joins one of them to its neighbour.
FRAME_KINDS = (HEADING, SOURCE_NOTE, OPENER, DATELINE)

HEADING_MARKUP = re.compile(r"^\s*(#{1,6}\s+\S.*|\*\*[^*]+\*\*|__[^_]+__)\s*$", re.DOTALL)
# Closing marks after the stop, one the editors supplied in brackets too ("... both countries.[”]").
_CLOSING = r"(?:[\"”’'»)\]]|\[[\"”’']\])*"
TERMINAL = re.compile(rf"[.?!:…]{_CLOSING}$")
SENTENCE_END = re.compile(rf"[.?!…]{_CLOSING}$")
# A clause's end inside a sentence (treaty preambles, resolutions, lists of clauses): ";", "; and",
# an elision's asterisks, a dash; and a lead-in that announces what follows (":", ":—", "—").
CLAUSE_END = re.compile(r"(?:[;*]|\s(?:and|or))[\"”’'»)\]]*$")
# A complimentary close on a block of its own: "I have, etc.,", "Your obedient servant,", "I am [etc.]".
COMPLIMENTARY_CLOSE = re.compile(r"^(?=.{1,60}$)[A-Z][^.;:]*(?:,|\betc\.?\]?[,.]?)$")
LEAD_IN_END = re.compile(r"(?::|:?\s?[—–]|:-)[\"”’'»)\]]*$")
ELISION = re.compile(r"^[*.\s]+$")
OPENS_QUOTATION = re.compile(r"^(?:[“\"]|\[“\])")
OPENS_QUOTED = re.compile(r"^[\"“‘(\[]\s*[A-Z\d]")
_MONTH = "|".join(sorted(map(re.escape, MONTHS_AS_PRINTED), key=len, reverse=True))
# "May 8, 1936", "8 May, 1936", "February 27 [26], 1934", "July , 1934" (a day left blank).
# A day may be a pair: old and new style ("February 20/March 4", "8/20"), or a span ("4–17", "14 & 26").
_DAY = rf"\d{{0,2}}(?:\s?[/&–-]\s?(?:(?:{_MONTH})\s+)?\d{{1,2}})?(?:\s?\[[^\[\]]{{1,8}}\])?"
# The editors' correction of a misprinted year may follow it ("January 3, 1924 [1925]").
_DATE = rf"(?:circa\s+)?(?:(?:{_MONTH})\s+{_DAY}|\d{{1,2}}\s+(?:{_MONTH})),?\s+\d{{4}}(?:\s?\[\d{{4}}\])?"
# In a dateline with its place, the year may be left out ("Peking, December 20.").
_DATE_IN_YEAR = rf"(?:{_MONTH})\s+\d{{1,2}}"
NUMBER_LABEL = re.compile(r"^(?:[A-Z]\.\s?|[A-Z][a-z]+\s){0,3}No\.\s*(?:[A-Z]\s)?\d[\w\-–/.]*$")
# A despatch number whose opening bracket stands on another line: "No. 918.]", "F. O. No. 155.]".
CLOSED_LABEL = re.compile(r"^(?:[A-Z]\.\s?)*(?:No\.?\s*)?\d[\w\-–/.]*\.?[\])]$")
# A filing line: a decimal file number, perhaps with the document's form ("763.72119/9134: Telegram",
# "Paris Peace Conf. 183.9 China/6: Telegram", "890D.927/37", "NC/56").
# A supplement's or a copy's mark may follow the number ("860f.51/410 supp.: Telegram", "611.60 d 31/34b, c"),
# and the collection's name may hold a lower-case word ("Paris peace Conf. 184.44/1").
FILING_LINE = re.compile(
    r"^(?:[A-Z][\w.]*\s+(?:[a-z]+\s+(?=[A-Z]))?){0,3}(?:\d[\w.]*|[A-Z]{1,4})(?:\s+[\w.,’'\-]+){0,4}/[\w.\-–½/]*"
    r"(?:,?\s+(?:[a-z]{1,5}\.?|[A-Z]\.\s?[A-Z]\.|[a-z]))?"
    r"—?(?:\s*[:—–]\s*[A-Z][\w ]{0,30}(?:\s\([^()]{1,30}\))?)?$"
)
EDITORIAL_NOTE = re.compile(r"^\[[^\[\]]+(?:\[[^\[\]]*\][^\[\]]*)*\]\.?$")
# An enclosure's description, however long: "[Inclosure 1 in No. 51.—Translation of extract from ...]".
ENCLOSURE_DESCRIPTION = re.compile(r"^\[(\w+)\b[^\[\]]{0,240}\]\.?$")
SUBJECT_LINE = re.compile(r"^Subject\s?[:—–]\s?\S.{0,200}$")
BRACKETED = re.compile(r"^\[([^\[\]]{1,60})\]\.?$")
PAREN_LABEL = re.compile(r"^\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s+\S")
DOT_LABEL = re.compile(r"^(\d{1,2}|[a-z])\.\s+\S")
DOT_LABEL_PREFIX = re.compile(r"^\d{1,2}\.\s+(?=[A-Z])")
# "c) Whether ...", "2) A treaty ...": a label closed by a parenthesis only.
CLOSING_PAREN_LABEL = re.compile(r"^(\d{1,2}|[a-z])\.?\)\s+\S")
BULLET_LABEL = re.compile(r"^[-*•–]\s+\S")
QUOTED_PHRASE = re.compile(r"^[\"“‘]")
LOWER_START = re.compile(r"^[\"“‘(]?[a-z]")
BY_LINE = re.compile(r"^by\s+\S", re.IGNORECASE)
INITIAL = re.compile(r"^[A-Z]\.(?:[A-Z]\.)*$")
# A capitalised word ("Åström", "d’Affaires" of a title), perhaps with its period or comma.
NAME_WORD = re.compile(r"^(?:[dl][’'])?[^\W\d_a-z][\w’'\-]*\.?,?$")
MAX_NAME_WORDS = 10
# Signers printed one after another in a block: a full stop after a word (not an initial) ends one.
SIGNER_BREAK = re.compile(r"(?<=[^\W\d_][^\W\d_A-Z]\.)\s+(?=[^\W\d_])")
MAX_SIGNERS = 12
# A table's figures: "1893", "112,", "4.858", "$3.60", "32½", "15%"; a quarter of a row's words or more.
FIGURE = re.compile(r"^[$£(]?\d[\d,.½¼¾⅛⅜⅝⅞/]*%?\)?[,;]?$")
FIGURE_SHARE = 0.25
DIGITS = re.compile(r"\d+")
MIN_TABLE_ROWS = 3
MAX_SIGNATURE_RUN = 6  # signature blocks in a row; a longer run is a list of names
DATELINE_LENGTH = 200  # characters, with a bracketed note of its receipt
SHORT_LABEL = 80  # characters: an opener's description or address line
ADDRESS_WORDS = 8  # an address or salutation line ending in a colon ("The President:")
SHORT_BLOCK = 160  # characters
LIST_PHRASE = 100  # characters: an item of a list without labels (a commodity, a name and office)
MIN_UNLABELLED_RUN = 3  # such items in a row under a lead-in ending in a colon
FIRST_WORDS = 3  # a page break this few words into a paragraph leaves them looking like a name
# A sentence of at least this many characters ending in a colon introduces a block quotation; shorter
# ones are a telegram's address line ("For the Secretary:"), followed by the message itself.
QUOTE_LEAD_IN = 50
MAX_QUOTED_RUN = 30  # blocks a quotation's paragraphs may run before its closing mark
# A transcript's speaker label in capitals: "Mr. SMITH.", "The SPEAKER.", "Senator JONES."
SPEAKER_LABEL = re.compile(r"^(?:[A-Z][a-z]{0,9}\.?\s+)?[A-Z][A-Z’'\-]{2,}\.\s")


@cache
def block_cues() -> dict[str, tuple[str, ...]]:
    return {kind: tuple(words) for kind, words in load_mapping("block_cues").items()}


@cache
def _folded_cues(kind: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in block_cues()[kind])


@cache
def _dateline_shape() -> re.Pattern[str]:
    """ "[Place, ]Month Day, Year[, hour][. [Received ...]]", "Place [undated]. [...]" and the like.

    The place is a run of capitalised words (and "of", "the" ...) ending in a comma, or bracketed as the
    editors supplied it ("[Washington,] May 8, 1936.", "[Rio de Janeiro] May 29, 1929."); a note in
    brackets or parentheses may follow. With a place, the year may be left out.
    """
    undated = "|".join(map(re.escape, block_cues()["undated"]))
    joiners = "|".join(map(re.escape, block_cues()["place_joiner"]))
    word = r"[\[(“\"]?[A-Z][\w.’'\-”\"]*[\])]?"
    place = rf"(?:(?:{word},?[”\"]?|{joiners})\s+){{0,14}}"
    with_place = rf"{place}{word},[”\"]?\]?\s+|{place}{word}\]\s+|{place}{word}\s+(?=\[)"
    hour = r"(?:\s*[,—–-]\s*[\w. :]{1,20}?)?\.?\]?"
    note = r"(?:\s*(?:\[[^\[\]]{1,80}\]|\([^()]{1,80}\))\.?)*"
    return re.compile(
        rf"^\[?(?:(?:{with_place})?\[?(?:{_DATE}|{undated})\]?|(?:{with_place}){_DATE_IN_YEAR}){hour}{note}$"
    )


@cache
def _source_note_shape() -> re.Pattern[str]:
    prefixes = "|".join(sorted(map(re.escape, block_cues()["source_note"]), key=len, reverse=True))
    return re.compile(rf"^(?:{prefixes})\s*\d[\w./:,;\- ]{{0,80}}$")


def _is_opener(plain: str) -> bool:
    """A bracketed description ("[Letter—Extract]"), a despatch number ("No. 118", "No. 918.]"), a filing
    line ("763.72119/9134: Telegram"), the collection a document comes from, or a salutation."""
    bracketed = BRACKETED.match(plain)
    if bracketed and NUMBER_LABEL.match(bracketed.group(1).strip()):
        return True
    enclosure = ENCLOSURE_DESCRIPTION.match(plain)
    if enclosure and enclosure.group(1).casefold() in _folded_cues("enclosure"):
        return True  # "[Subinclosure in No. 887.—From Supplement to The London Gazette, of ...]"
    if SUBJECT_LINE.match(plain):
        return True  # a memorandum's subject line ("Subject: Revision of the Reciprocity Treaty.")
    opening = re.match(r"^\[(\w[\w\-]*)", plain)
    if not bracketed and opening and plain.endswith("]") and len(plain) <= SHORT_LABEL:
        # "[Inclosure] in No. 56.]": a description whose brackets the OCR misplaced.
        return opening.group(1).casefold() in _folded_cues("opener")
    if bracketed:
        first = re.split(r"[—–\-:,.]|\s(?=[a-z\d—])", bracketed.group(1).strip(), maxsplit=1)[0].strip()
        return first.casefold() in _folded_cues("opener")
    # Letters the editors supplied in brackets count as printed ("[No.] 360").
    unbracketed = re.sub(r"\[([\w.]+)\]", r"\1", plain)
    if NUMBER_LABEL.match(unbracketed) or CLOSED_LABEL.match(plain) or FILING_LINE.match(plain):
        return True
    # "Woodrow Wilson Papers", "Edward M. House Papers: Telegram".
    words = re.sub(r":\s*[A-Z]\w*$", "", plain).split()
    if 1 < len(words) <= 6 and words[-1] in block_cues()["collection"] and all(w[0].isupper() for w in words):
        return True
    if len(plain.split()) <= 8 and plain.endswith((":", ",")):
        return any(plain.startswith(f"{cue} ") or plain[:-1] == cue for cue in block_cues()["salutation"])
    return False


@cache
def _address_starts() -> frozenset[str]:
    return frozenset(block_cues()["address_start"]) | frozenset(load_mapping("honorifics"))


def _is_address(plain: str) -> bool:
    """A line naming whom a document addresses: it starts with a form of address or a salutation."""
    first = plain.split()[0] if plain.split() else ""
    return first in _address_starts() or any(
        plain.startswith(f"{cue} ") for cue in block_cues()["salutation"]
    )


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
    if not words or len(words) > MAX_NAME_WORDS or re.search(r"\d", text) or not words[0][0].isupper():
        return False
    if text.endswith((".", ":", "?", "!", ";")) and not INITIAL.match(words[-1]):
        return False
    joiners = set(block_cues()["closer_joiner"])
    # It ends on a name, an initial or a title's last word ("ad interim"), not on "of" or "and".
    last = words[-1]
    return all(INITIAL.match(word) or NAME_WORD.match(word) or word in joiners for word in words) and bool(
        NAME_WORD.match(last) or INITIAL.match(last) or (last in joiners and last.isalpha() and len(last) > 3)
    )


@cache
def _signature_shapes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Signed on someone's behalf ("For the Secretary of State: "), the same in parentheses, seal marks."""
    prefixes = "|".join(map(re.escape, block_cues()["signature_prefix"]))
    marks = "|".join(map(re.escape, block_cues()["signature_mark"]))
    return (
        re.compile(rf"^(?:{prefixes})\s+[^:,]{{1,60}}[:,]\s+"),
        re.compile(rf"^\((?:{prefixes})\s[^()]{{1,60}}\)\s+"),
        re.compile(rf"\s*(?:{marks})\s*"),
    )


def is_signature_shaped(plain: str) -> bool:
    """A signature: a name, perhaps with its title after a comma and a closing period ("John Sherman.",
    "Alvey A. Adee, Acting Secretary."), perhaps signed on someone's behalf ("For the Secretary of State:
    Joseph C. Grew"); letters the editors supplied in brackets count ("C[ordell] H[ull]")."""
    if plain.rstrip().endswith(","):
        return False  # a complimentary close ("Respectfully,"), not a name
    on_behalf, in_parentheses, marks = _signature_shapes()
    text = on_behalf.sub("", plain.strip())
    # "(For the Ambassador) Colville Barclay", "(In the absence of the Secretary of State) G. H. Villiers"
    text = in_parentheses.sub("", text)
    text = marks.sub(" ", text).strip()
    # A note in parentheses after the name: "F. H. Villiers. (In the absence of the Marquis of Salisbury.)"
    text = re.sub(r"(?<=\S)\s+\([^()]{1,80}\)\.?$", "", text)
    text = re.sub(r"[\[\]]", "", text).rstrip(".")
    if not text:
        return False
    # Several signers in one block: "Giers. Portella. Pichon.", "J. Smith, Consul. K. Berg, Vice-Consul."
    signers = SIGNER_BREAK.split(text)
    return len(signers) <= MAX_SIGNERS and all(is_name_shaped(signer.rstrip(".")) for signer in signers)


def _is_unsigned(plain: str) -> bool:
    """The editors' mark where a signature would stand ("[File copy not signed]", "[Not signed]")."""
    bracketed = BRACKETED.match(plain)
    return bool(bracketed) and any(cue in bracketed.group(1) for cue in block_cues()["unsigned"])


def list_label(plain: str) -> tuple[str, int] | None:
    """A list item's label: ("paren", "dot" or "closing", its ordinal) or ("bullet", 0), else None."""
    if BULLET_LABEL.match(plain):
        return "bullet", 0
    if PAREN_LABEL.match(plain):
        label = plain[1 : plain.index(")")]
        return "paren", int(label) if label.isdigit() else ord(label[0]) - ord("a") + 1
    for style, shape in (("dot", DOT_LABEL), ("closing", CLOSING_PAREN_LABEL)):
        if labelled := shape.match(plain):
            label = labelled.group(1)
            return style, int(label) if label.isdigit() else ord(label) - ord("a") + 1
    return None


@cache
def clause_start_shape() -> re.Pattern[str]:
    return re.compile(rf"^[“\"]?(?:{alternation(block_cues()['clause_start'])})\b")


@cache
def _item_label_shapes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Item labels that make a list only in a run of two or more: (style, pattern)."""
    words = alternation(block_cues()["list_label_word"])
    ordinals = alternation(block_cues()["list_ordinal"])
    opening = r"^[\"“‘]?"
    return (
        # "Article 3. The ...", "Art. II: ...", not "Article V is designed ..." (named in a sentence)
        (
            "labelled",
            re.compile(rf"{opening}(?:{words})\s+(?:\d{{1,3}}|[IVXLC]{{1,6}}|[A-Z])[.:,—–)]\s*\S.{{20}}"),
        ),
        ("ordinal", re.compile(rf"{opening}(?:{ordinals})[.,:;—]\s")),
        ("closing_paren", re.compile(rf"{opening}(?:\d{{1,2}}\.?|[a-z])\)\s")),
        ("ordinal_number", re.compile(rf"{opening}\d{{1,2}}(?:st|nd|rd|th)\.?\s")),
        ("letter", re.compile(rf"{opening}[A-Z]\.\s")),
        ("roman", re.compile(rf"{opening}[IVXLC]{{1,6}}\.\s")),
    )


# Label styles that are a list only under a lead-in ending in a colon: elsewhere "A." opens a signature's
# initials and "II." a section heading as often.
LEAD_IN_ONLY = ("letter", "roman")


def _item_label(plain: str) -> str | None:
    """The style of a label that makes a list in a run ("Article 3.", "Second, ...", "b) ..."), else None."""
    for style, shape in _item_label_shapes():
        if shape.match(plain):
            return style
    return None


def mark_labelled_runs(kinds: list[str], plains: list[str]) -> None:
    """Two or more paragraphs in a row opening with labels of one style are a list's items ("Article 1.",
    "Article 2."; "First. That ...", "Second. That ..."); letters and Roman numerals only under a lead-in
    ending in a colon."""
    styles = [
        _item_label(plain) if kind == PARAGRAPH else None for plain, kind in zip(plains, kinds, strict=True)
    ]
    start = 0
    while start < len(styles):
        end = start
        while end + 1 < len(styles) and styles[start] is not None and styles[end + 1] == styles[start]:
            end += 1
        style = styles[start]
        led_in = start > 0 and LEAD_IN_END.search(plains[start - 1].rstrip()) is not None
        if style is not None and end > start and (style not in LEAD_IN_ONLY or led_in):
            for index in range(start, end + 1):
                kinds[index] = LIST_ITEM
        start = end + 1


def mark_unlabelled_runs(kinds: list[str], plains: list[str]) -> None:
    """Three or more short paragraphs in a row under a lead-in ending in a colon, none ending a sentence,
    are a list whose bullets the print did not show ("... supplies of:" | "Cereals and fodder" | "Meat" |
    "Hides and skins")."""
    candidate = [
        kind == PARAGRAPH and len(plain) < LIST_PHRASE and not SENTENCE_END.search(plain.rstrip(" ,;"))
        for kind, plain in zip(kinds, plains, strict=True)
    ]
    for index in range(1, len(kinds)):
        if not plains[index - 1].rstrip().endswith(":"):
            continue
        end = index
        while end < len(kinds) and candidate[end]:
            end += 1
        if end - index >= MIN_UNLABELLED_RUN:
            for member in range(index, end):
                kinds[member] = LIST_ITEM


def mark_list_items(kinds: list[str], plains: list[str]) -> None:
    """Bulleted and (a)-style items always; "1."-style ones only in a run (else a numbered telegram)."""
    labels = [
        list_label(plain) if kind == PARAGRAPH else None for plain, kind in zip(plains, kinds, strict=True)
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


def _quoted_blocks(kinds: list[str], plains: list[str]) -> list[int]:
    """Body blocks that open with a quotation mark, and those up to the block that closes the quotation
    when it closes within a few blocks and before a frame block (a stray mark opens no run)."""
    quoted: list[int] = []
    for index, plain in enumerate(plains):
        if kinds[index] not in BODY_BLOCK_KINDS or not OPENS_QUOTATION.match(plain):
            continue
        quoted.append(index)
        if plain.count("“") <= plain.count("”"):
            continue
        for end in range(index + 1, min(index + 1 + MAX_QUOTED_RUN, len(plains))):
            if kinds[end] not in BODY_BLOCK_KINDS:
                break
            if plains[end].count("”") > plains[end].count("“"):
                quoted += range(index + 1, end + 1)
                break
    return quoted


def mark_quotes(kinds: list[str], plains: list[str]) -> None:
    """A block after a lead-in sentence ending in a colon, and a transcript's run of speaker labels.

    A paragraph of running text that starts in lower case after a lead-in ending in a comma or colon
    ("... the Tribune said,") is the quoted words that complete the lead-in's sentence, set off as a block.
    A paragraph that opens with a quotation mark is quoted text set off as a block, wherever it stands: each
    paragraph of a quotation opens with one (only the last closes it), and the paragraphs between a
    quotation's opening mark and its closing one are quoted too.
    """
    for index in _quoted_blocks(kinds, plains):
        if kinds[index] == PARAGRAPH:
            kinds[index] = QUOTE
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
            and not heading_like(plains[index])
        )
        if (introduced and len(previous_plain) >= QUOTE_LEAD_IN) or speaker or runs_on:
            kinds[index] = QUOTE


def _unmark_long_signature_runs(kinds: list[str], signed: list[bool]) -> None:
    """A longer run of name-shaped blocks than a document's signers is a list of names (members of a
    board, residents of a district) printed one to a line: its blocks stay paragraphs."""
    start = 0
    while start < len(kinds):
        end = start
        while end < len(kinds) and kinds[end] == CLOSER and signed[end]:
            end += 1
        if end - start > MAX_SIGNATURE_RUN:
            for index in range(start, end):
                kinds[index] = PARAGRAPH
        start = max(end, start + 1)


def _is_figure_row(plain: str) -> bool:
    """A row of a table: two or more figures, a quarter or more of its words."""
    if len(DIGITS.findall(plain)) < 2:
        return False
    words = plain.split()
    figures = sum(bool(FIGURE.match(word)) for word in words)
    return figures >= 2 and figures >= FIGURE_SHARE * len(words)


def mark_table_rows(kinds: list[str], plains: list[str]) -> None:
    """Three or more paragraphs in a row that are mostly figures are a table's rows ("1893 112, 547 8,
    000"), not paragraphs: a table printed without its rules comes out of OCR one row to a block. A run
    of labelled items ("Article 16: Pork, 18 francs instead of 12 francs.") stays a list."""
    rows = [
        kind in (PARAGRAPH, QUOTE) and _is_figure_row(plain)
        for kind, plain in zip(kinds, plains, strict=True)
    ]
    start = 0
    while start < len(rows):
        end = start
        while end < len(rows) and rows[end]:
            end += 1
        if end - start >= MIN_TABLE_ROWS:
            for index in range(start, end):
                kinds[index] = TABLE_ROW
        start = max(end, start + 1)


def mark_frame_by_place(kinds: list[str], plains: list[str]) -> None:
    """Bylines under the opening heading, signatures closing a document, dates at a document's foot.

    A signature follows a document's text (or another signature) and comes before the next document's
    frame (its heading, filing line or dateline) or the paper's end; a place and date printed under the
    signature belongs to it.
    """
    signed = [
        kind == PARAGRAPH and (is_signature_shaped(plain) or _is_unsigned(plain))
        for kind, plain in zip(kinds, plains, strict=True)
    ]
    for index in range(len(kinds) - 1, 0, -1):
        following = kinds[index + 1] if index + 1 < len(kinds) else None
        if (
            kinds[index] == PARAGRAPH
            and EDITORIAL_NOTE.match(plains[index])
            and signed[index - 1]
            and following in (None, CLOSER, SOURCE_NOTE, HEADING)
        ):
            # The editors' note under a signature at a document's end ("[For text of the agreement, ...]").
            kinds[index] = CLOSER
        elif (
            signed[index]
            and kinds[index - 1] in (*BODY_BLOCK_KINDS, CLOSER)
            and following in (None, CLOSER, *FRAME_KINDS)
        ):
            kinds[index] = CLOSER
    _unmark_long_signature_runs(kinds, signed)
    for index, plain in enumerate(plains):
        kind = kinds[index]
        previous = kinds[index - 1] if index else None
        # A byline stands under the paper's opening heading(s), before anything else.
        opening = kind == PARAGRAPH and 0 < index <= 2 and all(k in (HEADING, BYLINE) for k in kinds[:index])
        by = BY_LINE.match(plain)
        person = len(plain.split()) > 1 and is_name_shaped(plain)
        if opening and (person or (by and plain[by.end() - 1].isupper() and is_name_shaped(plain))):
            kinds[index] = BYLINE
        elif kind == DATELINE and previous == CLOSER:
            kinds[index] = CLOSER
        elif kind == DATELINE and previous in BODY_BLOCK_KINDS:
            # A place and date printed after a document's text (a memorandum's date at its foot) belongs
            # to that text, as the publishers' own markup has it; a dateline heads a document.
            kinds[index] = PARAGRAPH
        elif (
            kind == PARAGRAPH
            and previous in (HEADING, DATELINE, OPENER, SOURCE_NOTE)
            and plain.endswith(":")
            and len(plain.split()) <= ADDRESS_WORDS
            and not re.search(r"\d", plain)
            and _is_address(plain)
        ):
            # An address heading a document's text ("The President:", "Mr. Cotton:"); a telegram's
            # routing line ("For Willard:") is the message's first paragraph.
            kinds[index] = OPENER


def heading_like(plain: str) -> bool:
    """Short, with no sentence punctuation at its end or inside: an unmarked (sub)heading, perhaps
    numbered ("4. Transit to Russia")."""
    plain = DOT_LABEL_PREFIX.sub("", plain, count=1)
    return (
        len(plain) < SHORT_BLOCK
        and not TERMINAL.search(plain)
        and not re.search(r"[.?!:;]\s", plain)
        and not re.search(r"[,;]$", plain)
    )
