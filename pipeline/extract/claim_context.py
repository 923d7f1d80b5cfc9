"""What the claim rules read in one document: its sentences, quotations, speaker candidates, notes,
the senders of the documents inside it and its dated time expressions, with sorted offsets so every lookup
bisects (time grows with the text). Also the records the rules pass around (Speaker, Attribution, Row) and
how far each attribution rule is trusted.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import polars as pl

from pipeline.extract.claim_speakers import (
    Candidate,
)
from pipeline.extract.correspondence import is_enclosure_line, split_heading
from pipeline.text.blocks import LIST_ITEM, QUOTE
from pipeline.vocab import load_mapping

SENDER = re.compile(
    r"^\s*(?:(?:[A-Z][a-z]+\s+){0,2}(?:[Mm]emorandum|[Ll]etter|[Tt]elegram|[Dd]espatch|[Dd]ispatch|[Cc]able|"
    r"[Nn]ote|[Mm]emo|[Ii]nstruction|[Rr]eport)(?:\s+No\.\s*\d+)?\s+from\s+)?"
    r"((?:[A-Z][\w.’'-]*\s+){0,4}[A-Z][\w’'-]+)\s+to\s+(?:[A-Z]|all\b|the\b)"
)
QUOTE_SOURCE = re.compile(
    r"^\s*(?:Quoted?|Quotation|Words)\s+(?:is\s+|are\s+)?(?:from|of|by)\s+((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w’'-]+)"
)
NOTE_AFTER_QUOTE_WINDOW = 3
OPENERS = {"“": "”", '"': '"'}
# How far the rules trust each way of finding a speaker (attribution_confidence).
RULE_CONFIDENCE = {
    "verb_subject": 0.9,
    "verb_after_quote": 0.9,
    "according_to": 0.9,
    "passive_agent": 0.85,
    "possessive": 0.8,
    "clause_subject": 0.75,
    "previous_sentence": 0.7,
    "carried_over": 0.7,
    "note_sender": 0.6,
    "lead_in_document": 0.6,
    "document_in_clause": 0.5,
    "cited_source": 0.6,
    "paragraph_topic": 0.5,
    "next_note": 0.4,
    "author": 1.0,
    "document_sender": 0.9,
    "none": 0.0,
}
RESOLVED_PENALTY = 0.1
# A quoted phrase of at most this many words that no rule gives a speaker is a term (scare_quote).
TERM_MAX_WORDS = 6
# Blocks that go on the sentence of a lead-in ending in a colon ("X proposed: / "..." / "...""): their
# quotations are attributed in that sentence, as if the blocks were run into it.
LEAD_IN_BLOCK_KINDS = (LIST_ITEM, QUOTE)


@dataclass(frozen=True)
class Sentence:
    sentence_id: str
    paragraph_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Quote:
    open_mark: int
    close_mark: int

    @property
    def start(self) -> int:
        return self.open_mark + 1

    @property
    def end(self) -> int:
        return self.close_mark


@dataclass
class Speaker:
    claimant_type: str
    claimant_id: str | None = None
    claimant_text: str | None = None
    claimant_name: str | None = None
    claimant_start: int | None = None
    claimant_end: int | None = None
    resolved: bool = False


@dataclass
class Attribution:
    speaker: Speaker
    rule: str
    verb: str | None = None
    verb_start: int | None = None
    subject_start: int | None = None
    end: int | None = None
    carries: bool = True  # whether later unattributed quotations of the paragraph continue this speaker
    anchor: int | None = None  # where the quotation it was found for ends, for the carry-over rule

    @property
    def confidence(self) -> float:
        penalty = RESOLVED_PENALTY if self.speaker.resolved else 0.0
        if self.speaker.claimant_type == "unknown":
            return 0.0
        return round(max(0.0, RULE_CONFIDENCE[self.rule] - penalty), 2)


@dataclass
class Context:
    """Everything the rules look at for one document, with sorted offsets for bisection (linear time)."""

    text: str
    masked: str
    document_id: str
    author_id: str
    sentences: list[Sentence]
    candidates: list[Candidate]
    names: dict[str, str]
    footnotes: list[tuple[int, str, str | None]]
    note_senders: dict[str, str] = field(default_factory=dict)
    full_names: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    topics: dict[tuple[int, str], Candidate | None] = field(default_factory=dict)
    sentence_starts: list[int] = field(default_factory=list)
    candidate_starts: list[int] = field(default_factory=list)
    footnote_offsets: list[int] = field(default_factory=list)
    paragraph_sentences: dict[str, tuple[int, int]] = field(default_factory=dict)
    lead_ins: dict[str, int] = field(default_factory=dict)  # block's paragraph ID -> its lead-in's start
    # Names the entities stage found but could not link, with their document-level person: (start, end, ID).
    document_persons: list[tuple[int, int, str]] = field(default_factory=list)
    document_person_starts: list[int] = field(default_factory=list)
    # Documents inside the paper with their sender: (start, end, sender ID, sender name), sorted by start.
    senders: list[tuple[int, int, str | None, str | None]] = field(default_factory=list)
    sender_starts: list[int] = field(default_factory=list)
    # The recipient (ID, name) of each of those documents, by its start: the "you" the document addresses.
    recipients: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)
    # Dated time expressions of the body: (start, end, text, EDTF), sorted by start.
    time_expressions: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    time_starts: list[int] = field(default_factory=list)
    # Sentences of headings, addressee and date lines, openers and signatures: never a pronoun's antecedent.
    framing: frozenset[str] = frozenset()
    # Blocks after a lead-in naming another writer ("a note from the minister, as follows:"): their writer.
    block_writers: dict[str, Speaker] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.time_starts = [start for start, _, _, _ in self.time_expressions]
        self.sender_starts = [start for start, _, _, _ in self.senders]
        self.sentence_starts = [s.start for s in self.sentences]
        self.candidate_starts = [c.start for c in self.candidates]
        self.footnote_offsets = [offset for offset, _, _ in self.footnotes]
        self.document_person_starts = [start for start, _, _ in self.document_persons]
        for index, sentence in enumerate(self.sentences):
            first, _ = self.paragraph_sentences.get(sentence.paragraph_id, (index, index))
            self.paragraph_sentences[sentence.paragraph_id] = (first, index)


def find_quotes(text: str, start: int, end: int) -> list[Quote]:
    """Pairs of double quotation marks (curly or straight) within one paragraph; unclosed ones are dropped."""
    quotes: list[Quote] = []
    open_at: int | None = None
    closers = ""
    for index in range(start, end):
        char = text[index]
        if open_at is None and char in OPENERS:
            open_at, closers = index, OPENERS[char] + ('"' if char == "“" else "")
        elif open_at is not None and char in closers:
            if index > open_at + 1:
                quotes.append(Quote(open_at, index))
            open_at = None
    return quotes


def mask_quotes(text: str, quotes: list[Quote]) -> str:
    """The text with quoted words blanked (same length), so rules never read inside a quotation."""
    chars = list(text)
    for quote in quotes:
        for index in range(quote.start, quote.end):
            if chars[index] != "\n":
                chars[index] = " "
    return "".join(chars)


def read_sentences(frame: pl.DataFrame) -> list[Sentence]:
    rows = frame.sort("char_start").select("sentence_id", "paragraph_id", "char_start", "char_end")
    return [Sentence(*row) for row in rows.iter_rows()]


def paragraph_spans(sentences: list[Sentence]) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    for sentence in sentences:
        start, end = spans.get(sentence.paragraph_id, (sentence.start, sentence.end))
        spans[sentence.paragraph_id] = (min(start, sentence.start), max(end, sentence.end))
    return spans


def find_lead_ins(
    text: str, paragraphs: pl.DataFrame | None, sentences: list[Sentence]
) -> tuple[dict[str, int], list[list[str]]]:
    """Lead-ins and the runs of blocks that go on them.

    A list item or block quotation right after a body paragraph whose text ends in a colon (or after an
    earlier block of the same run) continues that paragraph's last sentence. Returns, for each such block,
    the start of the lead-in sentence, and the units of paragraph IDs read together (a lead-in and its
    run, or one paragraph), in text order.
    """
    order = list(dict.fromkeys(s.paragraph_id for s in sentences))
    if paragraphs is None or not paragraphs.height:
        return {}, [[paragraph_id] for paragraph_id in order]
    kinds = dict(paragraphs.select("paragraph_id", "block_kind").iter_rows())
    last_sentence_start = {s.paragraph_id: s.start for s in sentences}
    paragraph_end = {s.paragraph_id: s.end for s in sentences}
    lead_ins: dict[str, int] = {}
    units: list[list[str]] = []
    lead_start: int | None = None
    for paragraph_id in order:
        if lead_start is not None and kinds.get(paragraph_id) in LEAD_IN_BLOCK_KINDS:
            lead_ins[paragraph_id] = lead_start
            units[-1].append(paragraph_id)
            continue
        units.append([paragraph_id])
        ends_in_colon = text[: content_end(text, paragraph_end[paragraph_id])].endswith(":")
        lead_start = last_sentence_start[paragraph_id] if ends_in_colon else None
    return lead_ins, units


def attribution_scope(ctx: Context, sentence: Sentence) -> Sentence:
    """The span a quotation's attribution reads: its sentence, run on from a lead-in when it opens a block
    that continues one (its IDs stay the block's own)."""
    lead_start = ctx.lead_ins.get(sentence.paragraph_id)
    if lead_start is None or ctx.paragraph_sentences[sentence.paragraph_id][0] != sentence_at(
        ctx, sentence.start
    ):
        return sentence
    return Sentence(sentence.sentence_id, sentence.paragraph_id, lead_start, sentence.end)


def linked_names(mentions: pl.DataFrame) -> dict[str, str]:
    """The fullest surface form seen for each linked person, used as a readable name in claimant_name; a
    capitalised name before a description ("the representative of President X" names X's envoy, not X)."""
    names: dict[str, str] = {}
    if mentions.height:
        for entity_id, mention_text in mentions.select("entity_id", "text").iter_rows():
            if entity_id and (
                entity_id not in names or _name_rank(mention_text) > _name_rank(names[entity_id])
            ):
                names[entity_id] = mention_text
    return names


def _name_rank(text: str) -> tuple[bool, int]:
    return not re.match(r"(?:the|a|an|his|her|its|their)\s+[a-z]", text), len(text)


def surname_full_names(candidates: list[Candidate]) -> dict[str, list[tuple[int, str]]]:
    """For each surname of an unlinked person, the full names it was written with, in text order."""
    full: dict[str, list[tuple[int, str]]] = {}
    for candidate in candidates:
        if candidate.source != "name" or candidate.kind != "person" or not candidate.name:
            continue
        if not _name_rank(candidate.name)[0]:
            continue  # "the representative of President X" describes someone else
        tokens = [t for t in re.split(r"[\s-]+", candidate.name) if t[:1].isupper() and not t.endswith(".")]
        if len(candidate.name.split()) > 1:
            for token in tokens[1:]:
                full.setdefault(token, []).append((candidate.start, candidate.name))
    return full


def sentence_at(ctx: Context, position: int) -> int:
    index = bisect.bisect_right(ctx.sentence_starts, position) - 1
    if index >= 0 and ctx.sentences[index].start <= position < ctx.sentences[index].end + 1:
        return index
    return -1


def candidates_between(ctx: Context, start: int, end: int) -> list[Candidate]:
    first = bisect.bisect_left(ctx.candidate_starts, start)
    last = bisect.bisect_left(ctx.candidate_starts, end)
    return [c for c in ctx.candidates[first:last] if c.end <= end]


def named_persons(unlinked_names: pl.DataFrame | None) -> list[tuple[int, int, str]]:
    """Body names of the unlinked_names table that the entities stage gave a document-level person."""
    if unlinked_names is None or not unlinked_names.height:
        return []
    rows = unlinked_names.filter(pl.col("person_id").is_not_null() & pl.col("footnote_id").is_null())
    return sorted(rows.select("char_start", "char_end", "person_id").iter_rows())


@dataclass
class Row:
    values: dict[str, object]
    sentence_ids: list[str]


def note_right_after(ctx: Context, position: int) -> str | None:
    index = bisect.bisect_left(ctx.footnote_offsets, position)
    if index < len(ctx.footnotes) and ctx.footnote_offsets[index] <= position + NOTE_AFTER_QUOTE_WINDOW:
        return ctx.footnotes[index][1]
    return None


def next_note(ctx: Context, position: int, paragraph_end: int) -> str | None:
    index = bisect.bisect_left(ctx.footnote_offsets, position)
    if index < len(ctx.footnotes) and ctx.footnote_offsets[index] <= paragraph_end + 1:
        return ctx.footnotes[index][1]
    return None


def content_end(text: str, end: int) -> int:
    """``end`` moved back over trailing whitespace (without copying the text before it)."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def quoted_term(quoted: str) -> bool:
    """A phrase rather than a statement: at most TERM_MAX_WORDS words, and no sentence end unless it opens in
    lower case ("the extremity of Punta de Castilla.")."""
    fragment = quoted.lstrip()[:1].islower() or not quoted.rstrip(" ,;").endswith((".", "?", "!", "…"))
    return word_count(quoted) <= TERM_MAX_WORDS and fragment


def overlapping_sentences(ctx: Context, start: int, end: int) -> list[Sentence]:
    first = max(0, bisect.bisect_right(ctx.sentence_starts, start) - 1)
    last = bisect.bisect_left(ctx.sentence_starts, end)
    return [s for s in ctx.sentences[first:last] if s.start < end and start < s.end]


def sentence_ids_between(ctx: Context, start: int, end: int) -> list[str]:
    return [s.sentence_id for s in overlapping_sentences(ctx, start, end)]


def senders_of_notes(footnotes: pl.DataFrame) -> dict[str, str]:
    """The sender named at the start of each note ("Memorandum from X to Y, ...", "X to Y, date, ...",
    "Quote from X, ...")."""
    senders: dict[str, str] = {}
    if not footnotes.height:
        return senders
    for footnote_id, note_text in footnotes.select("footnote_id", "text").iter_rows():
        match = SENDER.match(note_text or "") or QUOTE_SOURCE.match(note_text or "")
        if match:
            senders[footnote_id] = match.group(1)
    return senders


def dated_expressions(
    time_expressions: pl.DataFrame | None,
) -> list[tuple[int, int, str, str | None]]:
    if time_expressions is None or not time_expressions.height:
        return []
    # Single days, months and years only: statement_date is one point, not an interval or a season.
    dated = time_expressions.filter(pl.col("edtf").str.contains(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"))
    return sorted(dated.select("char_start", "char_end", "text", "edtf").iter_rows())


def document_recipients(document_senders: pl.DataFrame) -> dict[int, tuple[str | None, str | None]]:
    """Each document's recipient (ID, name) by the document's start, when the caller gives recipients."""
    if not {"recipient_id", "recipient_name"} <= set(document_senders.columns):
        return {}
    rows = document_senders.select("char_start", "recipient_id", "recipient_name").iter_rows()
    return {start: (rid, name) for start, rid, name in rows if rid or name}


def sender_spans(
    document_senders: pl.DataFrame | None,
    paragraphs: pl.DataFrame | None = None,
    recipients: dict[int, tuple[str | None, str | None]] | None = None,
) -> list[tuple[int, int, str | None, str | None]]:
    """The documents inside the paper with their writers, each enclosure cut out of the document that
    encloses it and given its own writer (``enclosure_writer``; (None, None) when none is named).
    ``recipients`` (optional) is filled with each span's recipient, by the span's start."""
    recipients = {} if recipients is None else recipients
    if document_senders is None or not document_senders.height:
        return []
    columns = ("char_start", "char_end", "sender_id", "sender_name")
    missing = [c for c in columns if c not in document_senders.columns]
    if missing:
        raise ValueError(f"document_senders lacks column(s) {', '.join(missing)}")
    spans = sorted(document_senders.select(*columns).iter_rows())
    recipients.update(document_recipients(document_senders))
    if paragraphs is None or "text" not in paragraphs.columns or not paragraphs.height:
        return spans
    blocks = sorted(paragraphs.select("char_start", "char_end", "text", "block_kind").iter_rows())
    cut: list[tuple[int, int, str | None, str | None]] = []
    for start, end, sender_id, sender_name in spans:
        inside = [b for b in blocks if start <= b[0] and b[1] <= end]
        lines = [i for i, b in enumerate(inside) if is_enclosure_line(b[2] or "")]
        if not lines:
            cut.append((start, end, sender_id, sender_name))
            continue
        cut.append((start, inside[lines[0]][0], sender_id, sender_name))
        covering = " ".join(b[2] or "" for b in inside[: lines[0]])
        named = covering_sources(covering)
        for number, line in enumerate(lines):
            stop = inside[lines[number + 1]][0] if number + 1 < len(lines) else end
            writer, addressee = enclosure_parties(inside[line + 1 : line + 3])
            if writer is None and len(named) in (1, len(lines)):
                writer = named[min(number, len(named) - 1)]
            recipients.pop(inside[line][0], None)
            if addressee:
                recipients[inside[line][0]] = (None, addressee)
            cut.append((inside[line][0], stop, None, writer))
    return cut


# "copy of a note from the Foreign Office", "a letter from Mr. X, of which I inclose a copy".
COVERING_SOURCE = re.compile(
    r"\b(?:note|letter|despatch|dispatch|telegram|memorandum|communication|reply|answer|report|statement|"
    r"decree|circular|proclamation|message)s?\s+(?:\w+\s+){0,3}?(?:from|of|by)\s+"
    r"((?:the\s+|our\s+|his\s+)?(?:[A-Z][\w.’'-]*|[a-z]+)(?:\s+(?:[A-Z][\w.’'-]*|of|the|at|for|in)){0,5})"
)
ENCLOSING = re.compile(r"\b(?:in|en)clos", re.IGNORECASE)


def covering_sources(covering: str) -> list[str]:
    """Who the covering text says the enclosed documents come from, in its order ("I have the honor to
    inclose copy of a note from the foreign office ... and a letter from our consul at Warsaw")."""
    sentences = [s for s in re.split(r"(?<=[.;])\s+", covering) if ENCLOSING.search(s)]
    return [
        re.sub(r"\s+(?:of|the|at|for|in)$", "", m.group(1)).strip(" ,")
        for s in sentences
        for m in COVERING_SOURCE.finditer(s)
        if not re.match(
            r"(?:the\s+)?(?:\d|January|February|March|April|May|June|July|August|September|"
            r"October|November|December)",
            m.group(1),
        )
    ]


def enclosure_parties(blocks: list[tuple[int, int, str, str]]) -> tuple[str | None, str | None]:
    """Sender and recipient of the heading right after an enclosure line ("Count Lamsdorff to Mr.
    Breckinridge", "The Minister for Foreign Affairs (X) to ..." -> X)."""
    for _, _, text, kind in blocks:
        if kind != "heading" or is_enclosure_line(text or ""):
            continue
        heading = (text or "").strip().strip("*[]").strip()
        parts = split_heading(heading) or _split_before_honorific(heading)
        if parts is None:
            return None, None
        return tuple(_person_of(heading[start:end].strip()) for start, end in parts)  # type: ignore[return-value]
    return None, None


# "Foreign Minister to Mr. Barrett.": "to" before a form of address joins two parties, even after an office
# word that elsewhere takes a place ("the Minister to Switzerland").
TO_ADDRESSED = re.compile(
    r"\s+to\s+(?=(?:"
    + "|".join(re.escape(h) for h in sorted(load_mapping("honorifics"), key=len, reverse=True))
    + r")\s)"
)


def _split_before_honorific(heading: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    split = TO_ADDRESSED.search(heading)
    end = len(heading.rstrip(".:;, "))
    if split is None or split.start() == 0 or split.end() >= end:
        return None
    return (0, split.start()), (split.end(), end)


def _person_of(party: str) -> str:
    """The person of a heading's party: the name in parentheses after an office, else the party."""
    inner = re.search(r"\(([^)]+)\)\s*$", party)
    return inner.group(1) if inner else party


def inside_open_quotation(ctx: Context, sentence: Sentence, position: int) -> bool:
    """Whether a position follows an opening mark its paragraph never closes, or precedes a closing mark its
    paragraph never opens: a quoted letter or statement running over several paragraphs (each opens with a
    mark, the last one closes)."""
    first, last = ctx.paragraph_sentences[sentence.paragraph_id]
    before = ctx.masked[ctx.sentences[first].start : position]
    after = ctx.masked[position : ctx.sentences[last].end]
    return before.count("“") > before.count("”") or after.count("”") > after.count("“")
