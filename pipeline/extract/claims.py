"""Claims: quotations, reported statements and the author's hedged or boosted assertions.

A claim is something the text presents as said, written or judged by someone (see docs/claims-codebook.md).
Extraction is rule-based (no parser: a paper must cost well under a second): quotation marks, reporting
verbs and nouns, a subject search that skips prepositional objects and relative clauses, speakers found in
the text itself (linked mentions, names, bodies, newspapers, offices, groups) so a claimant is a span first
and a link second, pronoun and role-noun resolution by sentence topic, the supporting note's sender, and an
inventory of epistemic cues on a three-level certainty scale. Word lists live in vocab/. Rules keep every
attribution explainable: each row says which rule attributed it (``attribution_rule``) and how far that
rule is trusted (``attribution_confidence``). Lookups bisect sorted offsets, so time grows with the text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import polars as pl

from pipeline.extract.claim_speakers import (
    FINITE_VERB,
    IRREGULAR_PAST,
    PREPOSITIONS,
    REPORTING_NOUNS,
    REPORTING_VERBS,
    SPEAKER_BODIES,
    SPEAKER_ROLES,
    SPEECH_VERBS,
    THOUGHT_VERBS,
    Candidate,
    preceding_word,
    speaker_candidates,
)
from pipeline.package.schema import RECORD_STATUS, load_table_spec, rows_to_frame
from pipeline.text.blocks import BYLINE, CLOSER, FRAME_KINDS, LIST_ITEM, QUOTE, TABLE_ROW
from pipeline.text.months import FULL_MONTH_NAMES
from pipeline.vocab import load_mapping, load_words

VERB_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True)) + r"|referred to as|"
    r"the (?:remark|thought|words?|comment|reply|statement)(?= that|:))\b"
)
TITLE_INTRO = re.compile(r"\b(?:[Ee]ntitled|[Tt]itled|[Hh]eadlined),?\s*$")
PLURAL_PRONOUNS = frozenset({"they", "their"})
POSSESSIVES = frozenset({"his", "her", "their"})
GROUP_DETERMINERS = frozenset({"its", "their", "his", "her", "the", "whose", "our", "many", "most"})
APPOSITION_GAP = re.compile(r"\s*,\s*(?:the\s+)?")
PLACE_GAP = re.compile(r"\s+(?:in|at)\s+(?:the\s+)?")
RELATIVE_LINK = re.compile(r"\s*,?\s*(?:who|which)\s+(?:\w+ly\s+)?$")
RELATIVE_CLAUSE = re.compile(r",\s+(?:who|whom|whose|which)\b[^,]*,")
ADDRESSEE_INTRO = re.compile(
    r"\b(?:[Ss]peaking|[Tt]alking)\s+(?:\w+ly\s+)?with\b|\b[Ii]n an interview with\b"
)
ADDRESSEE_VERBS = frozenset(
    {"told", "tells", "telling", "instructed", "informed", "assured", "urged", "reminded"}
)
MONTHS = "|".join(FULL_MONTH_NAMES)
MONTH_NUMBER = {name: index for index, name in enumerate(FULL_MONTH_NAMES, start=1)}
DATE = re.compile(
    rf"\b(?:[Ii]n|[Oo]n|[Dd]uring|[Bb]y)\s+(?:(?:early|late|mid-)\s*)?"
    rf"(?:(\d{{1,2}})\s+)?(?:({MONTHS})\s+)?((?:1[5-9]|20)\d{{2}})\b"
)
MANNER_CLEARLY = re.compile(
    r"\b(?:as|look|looks|looked|see|saw|seen|speak|spoke|write|wrote|think|state)\s+$"
)
NOT_REPORTED_STATEMENT = frozenset(load_words("non_statement_verbs"))
ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+(?:the\s+)?$")
PASSIVE_AGENT = re.compile(r"\s+by\s+")
# "X heard from Y that ...": the words are Y's, not X's.
HEARSAY_VERBS = frozenset({"heard", "learned", "learnt"})
HEARD_FROM = re.compile(r"\s+from\s+")
PASSIVE_AUXILIARY = re.compile(r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+|not\s+)?$")
POSSESSIVE_MARK = re.compile(r"[’']s?((?:\s+[\w-]+){1,3})")
SENDER = re.compile(
    r"^\s*(?:(?:[A-Z][a-z]+\s+){0,2}(?:[Mm]emorandum|[Ll]etter|[Tt]elegram|[Dd]espatch|[Dd]ispatch|[Cc]able|"
    r"[Nn]ote|[Mm]emo|[Ii]nstruction|[Rr]eport)(?:\s+No\.\s*\d+)?\s+from\s+)?"
    r"((?:[A-Z][\w.’'-]*\s+){0,4}[A-Z][\w’'-]+)\s+to\s+(?:[A-Z]|all\b|the\b)"
)
QUOTE_SOURCE = re.compile(
    r"^\s*(?:Quoted?|Quotation|Words)\s+(?:is\s+|are\s+)?(?:from|of|by)\s+((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w’'-]+)"
)
NOUN_SOURCE = re.compile(r"\b(\w+)\s+from\s+(?:the\s+)?$")
RHETORICAL_QUESTION = re.compile(
    r"\s*(?:Why\s+(?!did\b|was\b|were\b|had\b)|How could\b|How can\b|Who could\b|Who would\b|"
    r"(?:Is|Was|Were|Are|Did|Does|Could|Would|Should)\s+(?:it|this|that|there|not)\b(?:\s+not\b)?)"
)
DIALOGUE_LABEL = re.compile(r"\s*(?:The\s+)?(?:Mr\.|Mrs\.|Senator|Representative)?\s*[A-Z]{3,}\.")
QUESTION_CUE = "?"

# Epistemic cues on FactBank's scale, from vocab/epistemic_cues.yaml. Longer cues first.
CUES: dict[str, str] = {cue.lower(): level for cue, level in load_mapping("epistemic_cues").items()}
CUE_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in sorted(CUES, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE
)
CUE_EXCEPTIONS = re.compile(
    r"\b(?:" + "|".join(re.escape(p) for p in load_words("epistemic_cue_exceptions")) + r")\b", re.IGNORECASE
)
CERTAINTY_RANK = {"possible": 0, "probable": 1, "certain": 2}
PARTICIPLE_ENDINGS = (
    "ed",
    "en",
    "wn",
    "ne",
    "de",
    "ught",
    "nt",
    "lt",
    "pt",
    "ung",
    "un",
    "ck",
    "od",
    "ead",
    "orn",
    "ost",
)
NOUN_PHRASE_OPENERS = frozenset(
    "a an the this that these those its their his her our my your some two three four five several".split()
)
# Blocks that frame documents (headings, addressee and date lines, openers, signatures): never claims.
NOT_CLAIM_BLOCKS = frozenset(FRAME_KINDS) | {BYLINE, CLOSER, TABLE_ROW}
NOBODYS_WORDS = ("scare_quote", "title")
SCARE_QUOTE_MAX_WORDS = 2
# A short quote counts as governed by a reporting verb only within this many characters after it.
SCARE_QUOTE_VERB_WINDOW = 150
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
    "cited_source": 0.6,
    "paragraph_topic": 0.5,
    "next_note": 0.4,
    "author": 1.0,
    "document_sender": 0.9,
    "none": 0.0,
}
RESOLVED_PENALTY = 0.1
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
    # Dated time expressions of the body: (start, end, text, EDTF), sorted by start.
    time_expressions: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    time_starts: list[int] = field(default_factory=list)

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


def _mask(text: str, quotes: list[Quote]) -> str:
    """The text with quoted words blanked (same length), so rules never read inside a quotation."""
    chars = list(text)
    for quote in quotes:
        for index in range(quote.start, quote.end):
            if chars[index] != "\n":
                chars[index] = " "
    return "".join(chars)


def _sentences(frame: pl.DataFrame) -> list[Sentence]:
    rows = frame.sort("char_start").select("sentence_id", "paragraph_id", "char_start", "char_end")
    return [Sentence(*row) for row in rows.iter_rows()]


def _paragraph_spans(sentences: list[Sentence]) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    for sentence in sentences:
        start, end = spans.get(sentence.paragraph_id, (sentence.start, sentence.end))
        spans[sentence.paragraph_id] = (min(start, sentence.start), max(end, sentence.end))
    return spans


def _lead_ins(
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
        ends_in_colon = text[: _content_end(text, paragraph_end[paragraph_id])].endswith(":")
        lead_start = last_sentence_start[paragraph_id] if ends_in_colon else None
    return lead_ins, units


def _scope(ctx: Context, sentence: Sentence) -> Sentence:
    """The span a quotation's attribution reads: its sentence, run on from a lead-in when it opens a block
    that continues one (its IDs stay the block's own)."""
    lead_start = ctx.lead_ins.get(sentence.paragraph_id)
    if lead_start is None or ctx.paragraph_sentences[sentence.paragraph_id][0] != _sentence_at(
        ctx, sentence.start
    ):
        return sentence
    return Sentence(sentence.sentence_id, sentence.paragraph_id, lead_start, sentence.end)


def _names(mentions: pl.DataFrame) -> dict[str, str]:
    """The fullest surface form seen for each linked person, used as a readable name in claimant_name."""
    names: dict[str, str] = {}
    if mentions.height:
        for entity_id, mention_text in mentions.select("entity_id", "text").iter_rows():
            if entity_id and (entity_id not in names or len(mention_text) > len(names[entity_id])):
                names[entity_id] = mention_text
    return names


def _full_names(candidates: list[Candidate]) -> dict[str, list[tuple[int, str]]]:
    """For each surname of an unlinked person, the full names it was written with, in text order."""
    full: dict[str, list[tuple[int, str]]] = {}
    for candidate in candidates:
        if candidate.source != "name" or candidate.kind != "person" or not candidate.name:
            continue
        tokens = [t for t in re.split(r"[\s-]+", candidate.name) if t[:1].isupper() and not t.endswith(".")]
        if len(candidate.name.split()) > 1:
            for token in tokens[1:]:
                full.setdefault(token, []).append((candidate.start, candidate.name))
    return full


def _full_name(ctx: Context, name: str, position: int) -> str:
    """The full name a surname stands for: the last one written before it ("Smith" after "John Smith"),
    else the first one after it, else the name itself."""
    if len(name.split()) > 1:
        return name
    written = ctx.full_names.get(re.split(r"[\s-]+", name)[-1], [])
    if not written:
        return name
    index = bisect.bisect_right(written, (position, "\uffff")) - 1
    return written[max(index, 0)][1]


def _followed_by_verb(ctx: Context, candidate: Candidate) -> bool:
    return bool(FINITE_VERB.match(ctx.masked, candidate.end, candidate.end + 80))


def _is_object_position(ctx: Context, candidate: Candidate) -> bool:
    """A candidate right after a preposition or a past-tense verb is an object, not a subject."""
    if _followed_by_verb(ctx, candidate):
        return False
    word = preceding_word(ctx.masked, candidate.start)
    gap = ctx.masked[max(0, candidate.start - 3) : candidate.start]
    if "," in gap or "(" in gap:
        return False
    return word.lower() in PREPOSITIONS or (word.endswith("ed") and word.islower()) or word in SPEECH_VERBS


def _possessed_noun(ctx: Context, candidate: Candidate) -> str | None:
    """The noun a possessive candidate owns ("Smith’s claim", "the Board’s last report" -> "claim", "report"):
    the first reporting noun among the next three words, else the next word; None without a possessive."""
    match = POSSESSIVE_MARK.match(ctx.masked, candidate.end, candidate.end + 60)
    if match is None:
        return None
    words = [word.lower() for word in match.group(1).split()]
    return next((word for word in words if word in REPORTING_NOUNS), words[0])


def _sentence_at(ctx: Context, position: int) -> int:
    index = bisect.bisect_right(ctx.sentence_starts, position) - 1
    if index >= 0 and ctx.sentences[index].start <= position < ctx.sentences[index].end + 1:
        return index
    return -1


def _candidates_between(ctx: Context, start: int, end: int) -> list[Candidate]:
    first = bisect.bisect_left(ctx.candidate_starts, start)
    last = bisect.bisect_left(ctx.candidate_starts, end)
    return [c for c in ctx.candidates[first:last] if c.end <= end]


def _resolve(ctx: Context, candidate: Candidate, depth: int = 0) -> Speaker:
    """Turn a candidate into a speaker, resolving pronouns and role nouns through sentence topics."""
    span = {"claimant_text": candidate.text, "claimant_start": candidate.start, "claimant_end": candidate.end}
    if candidate.entity_id:
        name = ctx.names.get(candidate.entity_id, candidate.text)
        kind = "document_author" if candidate.entity_id == ctx.author_id else "person"
        return Speaker(kind, candidate.entity_id, claimant_name=name, **span)
    if candidate.source == "work":
        return Speaker("work", None, claimant_name=candidate.text, **span)
    if candidate.source == "document":
        return Speaker(candidate.kind, None, claimant_name=candidate.name, **span)
    if candidate.source == "writer":
        writer = _writer_at(ctx, candidate.start)
        writer.claimant_text, writer.claimant_start, writer.claimant_end = (
            candidate.text,
            candidate.start,
            candidate.end,
        )
        return writer
    if candidate.source == "group" or candidate.text.lower() in PLURAL_PRONOUNS:
        return Speaker("group", **span)
    if candidate.source == "name":
        kind = "organisation" if candidate.kind == "organisation" else candidate.kind
        name = candidate.name or candidate.text
        person_id = None
        if kind == "person":
            name = _full_name(ctx, name, candidate.start)
            person_id = _document_person(ctx, candidate)
        return Speaker(kind, person_id, claimant_name=name, **span)
    if depth > 6:
        return Speaker("unknown", **span)
    antecedent = _topic_before(ctx, candidate.start, candidate.kind)
    if antecedent is None:
        return Speaker("unknown", **span)
    resolved = _resolve(ctx, antecedent, depth + 1)
    return Speaker(
        resolved.claimant_type,
        resolved.claimant_id,
        claimant_name=resolved.claimant_name,
        resolved=True,
        **span,
    )


def _writer_at(ctx: Context, position: int) -> Speaker:
    """Who writes the words at a position: the sender of the document inside the paper that holds it, when
    the caller gave one, else the paper's author."""
    index = bisect.bisect_right(ctx.sender_starts, position) - 1
    if index >= 0:
        start, end, sender_id, sender_name = ctx.senders[index]
        if start <= position < end and (sender_id or sender_name):
            return Speaker("person", sender_id, claimant_name=sender_name)
    return Speaker("document_author", ctx.author_id)


def _document_person(ctx: Context, candidate: Candidate) -> str | None:
    """The document-level person of an unlinked name inside the candidate's span ("Secretary Jane Doe")."""
    first = bisect.bisect_left(ctx.document_person_starts, candidate.start)
    for start, end, person_id in ctx.document_persons[first:]:
        if start >= candidate.end:
            break
        if end <= candidate.end:
            return person_id
    return None


def _document_persons(unlinked_names: pl.DataFrame | None) -> list[tuple[int, int, str]]:
    """Body names of the unlinked_names table that the entities stage gave a document-level person."""
    if unlinked_names is None or not unlinked_names.height:
        return []
    rows = unlinked_names.filter(pl.col("person_id").is_not_null() & pl.col("footnote_id").is_null())
    return sorted(rows.select("char_start", "char_end", "person_id").iter_rows())


def _topic_eligible(candidate: Candidate, kind: str) -> bool:
    if candidate.text.lower() in PLURAL_PRONOUNS or candidate.text.lower() in POSSESSIVES:
        return False
    if kind == "work":
        return candidate.kind == "work"
    return candidate.kind == "person" and candidate.source != "work"


def _sentence_topic(
    ctx: Context, index: int, before: int | None = None, kind: str = "person"
) -> Candidate | None:
    """The first candidate of the wanted kind that is not in object position (the likely subject)."""
    if before is None and (index, kind) in ctx.topics:
        return ctx.topics[(index, kind)]
    sentence = ctx.sentences[index]
    limit = sentence.end if before is None else before
    eligible = [c for c in _candidates_between(ctx, sentence.start, limit) if _topic_eligible(c, kind)]
    topic = next((c for c in eligible if _followed_by_verb(ctx, c)), None)
    if topic is None:
        topic = next((c for c in eligible if not _is_object_position(ctx, c)), None)
    if before is None:
        ctx.topics[(index, kind)] = topic
    return topic


def _topic_before(ctx: Context, position: int, kind: str = "person") -> Candidate | None:
    """The most recent sentence topic before a position (same sentence first, then up to 5 back)."""
    index = _sentence_at(ctx, position)
    if index < 0:
        return None
    topic = _sentence_topic(ctx, index, before=position, kind=kind)
    if topic is not None and topic.start < position:
        return topic
    for back in range(index - 1, max(-1, index - 6), -1):
        topic = _sentence_topic(ctx, back, kind=kind)
        if topic is not None:
            return topic
    return None


def _subject_of(ctx: Context, verb_start: int, window_start: int) -> Candidate | None:
    """The speaker of a reporting verb: nearest subject-like candidate before it in the same sentence."""
    window = ctx.masked[window_start:verb_start]
    blanked = RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group()), window)
    candidates = _candidates_between(ctx, window_start, verb_start)
    verb = VERB_PATTERN.match(ctx.masked, verb_start)
    participle = verb is not None and verb.group().endswith("ing")
    thought = verb is not None and verb.group() in THOUGHT_VERBS
    for candidate in reversed(candidates):
        if RELATIVE_LINK.match(ctx.masked, candidate.end, verb_start):
            return candidate
        if (
            participle
            and candidate.source == "document"
            and not ctx.masked[candidate.end : verb_start].strip()
        ):
            # A reduced relative ("a memorandum claiming that"): the noun before the participle speaks.
            return candidate
        local = candidate.start - window_start
        if not blanked[local : local + len(candidate.text)].strip():
            continue
        if candidate.text.lower() in POSSESSIVES or _is_object_position(ctx, candidate):
            continue
        if preceding_word(ctx.masked, candidate.start).lower() in ("whom", "which", "whose") and re.search(
            r"[a-z]{3,}", ctx.masked[candidate.end : verb_start]
        ):
            # "The President to whom I conveyed the reply indicated that": the relative clause's subject,
            # with a verb of its own; "to which Tonner replied" keeps Tonner.
            continue
        if candidate.kind == "document" and thought:
            # Documents do not think: 'a despatch labeled "..."' is the document named, not speaking.
            continue
        if (
            candidate.source == "group"
            and not _followed_by_verb(ctx, candidate)
            and preceding_word(ctx.masked, candidate.start).lower() not in GROUP_DETERMINERS
        ):
            continue
        possessed = _possessed_noun(ctx, candidate)
        if possessed is not None and possessed not in REPORTING_NOUNS:
            continue
        return _head_of(ctx, candidates, candidate)
    return None


def _head_of(ctx: Context, candidates: list[Candidate], candidate: Candidate) -> Candidate:
    """The head a subject candidate belongs to: the name before an apposition ("John Smith, the Deputy
    Chief of the Bureau, warned") or before a place ("the Embassy in Rome speculated")."""
    earlier = [c for c in candidates if c.end <= candidate.start]
    if not earlier or candidate.source == "pronoun":
        return candidate
    head = earlier[-1]
    gap = ctx.masked[head.end : candidate.start]
    if (
        head.kind == "person"
        and head.source in ("mention", "name")
        and APPOSITION_GAP.fullmatch(gap)
        and _describes(ctx, candidate, gap)
    ):
        return head
    if head.kind in ("organisation", "work", "person") and PLACE_GAP.fullmatch(gap):
        return head
    return candidate


def _describes(ctx: Context, candidate: Candidate, gap: str) -> bool:
    """An apposition describes the name before it: a role or title ("John Smith, the Deputy Chief ...,"),
    not another name (", Truman declared" after "a letter to Samuel Morison")."""
    if candidate.source == "role" or gap.rstrip().endswith(("the", "The")):
        return True
    first = candidate.text.split()[0].lower().rstrip(".") if candidate.text.split() else ""
    return first in SPEAKER_ROLES or first in ("the", "a", "an")


def _addressee(
    ctx: Context, sentence: Sentence, verb: re.Match[str], subject_before: bool = True
) -> Candidate | None:
    """The person spoken to: object of told/instructed, "to X" after the verb, a name between a verb and
    its "that" ("Smith wrote Jones that"), or "Speaking with X". With the subject after the verb (', wrote
    Smith,'), the name after the verb is the speaker, not the addressee."""
    after = ctx.masked[verb.end() : verb.end() + 70]
    named = _right_after(ctx, verb.end(), verb.end() + 70)
    if (
        subject_before
        and named is not None
        and named.source in ("mention", "name")
        and named.kind == "person"
        and re.match(r"\s*(?:that\b|,)", ctx.masked[named.end : named.end + 10])
    ):
        return named
    direct = verb.group() in ADDRESSEE_VERBS
    via_to = re.match(r"\s+(?:\w+ly\s+)?to\b", after)
    if direct or via_to:
        limit = verb.end() + (re.search(r"\bthat\b|[,:;]\s*[“\"]|$", after).start())
        for candidate in _candidates_between(ctx, verb.end(), limit + 1):
            if candidate.source in ("mention", "role") or (
                candidate.source == "name" and candidate.kind == "person"
            ):
                return candidate
    intro = ADDRESSEE_INTRO.search(ctx.masked, sentence.start, verb.start())
    if intro:
        for candidate in _candidates_between(ctx, intro.end(), verb.start()):
            if candidate.source in ("mention", "role") or (
                candidate.source == "name" and candidate.kind == "person"
            ):
                return candidate
    return None


def _statement_date(ctx: Context, start: int, end: int) -> tuple[str | None, str | None]:
    """A date written before the reporting verb ("In February 1926, he told ...") as text and EDTF: the
    last dated time expression of the time-expressions table there, else this step's own date pattern."""
    first = bisect.bisect_left(ctx.time_starts, start)
    last = bisect.bisect_left(ctx.time_starts, end)
    dated = [(text, edtf) for s, e, text, edtf in ctx.time_expressions[first:last] if e <= end and edtf]
    if dated:
        return dated[-1]
    matches = list(DATE.finditer(ctx.masked, start, end))
    if not matches:
        return None, None
    match = matches[-1]
    day, month, year = match.groups()
    edtf = year
    if month:
        edtf += f"-{MONTH_NUMBER[month]:02d}"
        if day:
            edtf += f"-{int(day):02d}"
    return re.sub(r"^\w+\s+", "", match.group()), edtf


@dataclass
class Row:
    values: dict[str, object]
    sentence_ids: list[str]


def _verb_before(ctx: Context, start: int, end: int) -> re.Match[str] | None:
    matches = list(VERB_PATTERN.finditer(ctx.masked, start, end))
    return matches[-1] if matches else None


def _verb_after(ctx: Context, quote: Quote, sentence: Sentence) -> tuple[re.Match[str], Candidate] | None:
    """Attribution after the quote: '"...?" he suggested', '"...," said Smith', '"...," the paper said'."""
    if ctx.text[quote.start : quote.end].rstrip().endswith((".", "…")):
        return None
    tail_start = quote.close_mark + 1
    tail = ctx.masked[tail_start : tail_start + 60]
    lead = re.match(r"[ ,]*(?:as\s+)?", tail).end()
    verb = VERB_PATTERN.match(ctx.masked, tail_start + lead)
    if verb:
        subject = _right_after(ctx, verb.end(), verb.end() + 40)
        return (verb, subject) if subject is not None else None
    heads = [c for c in _candidates_between(ctx, tail_start, tail_start + 60) if c.start == tail_start + lead]
    if heads:
        gap = re.compile(r"\s+(?:\w+ly\s+)?").match(ctx.masked, heads[0].end)
        verb = VERB_PATTERN.match(ctx.masked, gap.end()) if gap else None
        if verb:
            return verb, heads[0]
    inverted = re.compile(r",\s+(" + VERB_PATTERN.pattern + r")\s+").search(
        ctx.masked, tail_start, sentence.end
    )
    if inverted and not ctx.masked[tail_start : inverted.start()].count("“"):
        subject = _right_after(ctx, inverted.end(), sentence.end)
        verb = VERB_PATTERN.match(ctx.masked, inverted.start(1))
        if subject is not None and verb is not None:
            return verb, subject
    return None


def _note_right_after(ctx: Context, position: int) -> str | None:
    index = bisect.bisect_left(ctx.footnote_offsets, position)
    if index < len(ctx.footnotes) and ctx.footnote_offsets[index] <= position + NOTE_AFTER_QUOTE_WINDOW:
        return ctx.footnotes[index][1]
    return None


def _next_note(ctx: Context, position: int, paragraph_end: int) -> str | None:
    index = bisect.bisect_left(ctx.footnote_offsets, position)
    if index < len(ctx.footnotes) and ctx.footnote_offsets[index] <= paragraph_end + 1:
        return ctx.footnotes[index][1]
    return None


def _verb_subject(ctx: Context, verb: re.Match[str], sentence: Sentence, quote: Quote) -> Attribution | None:
    """The subject of a reporting verb before the quote: before the verb, its passive agent or, for a
    participle clause ("Acknowledging that ..., he questioned"), the subject after the clause."""
    hearsay = HEARD_FROM.match(ctx.masked, verb.end(), verb.end() + 12)
    if verb.group() in HEARSAY_VERBS and hearsay is not None:
        told_by = _right_after(ctx, hearsay.end(), quote.open_mark)
        if told_by is not None:
            return Attribution(
                _resolve(ctx, told_by), "verb_subject", verb.group(), verb.start(), told_by.start
            )
    agent = PASSIVE_AGENT.match(ctx.masked, verb.end(), verb.end() + 8)
    if agent is not None:
        after = _candidates_between(ctx, agent.end(), quote.open_mark)
        if after and after[0].start == agent.end():
            return Attribution(
                _resolve(ctx, after[0]), "passive_agent", verb.group(), verb.start(), verb.start()
            )
    subject = _subject_of(ctx, verb.start(), sentence.start)
    if subject is not None:
        rule = "possessive" if _possessed_noun(ctx, subject) in REPORTING_NOUNS else "verb_subject"
        return Attribution(_resolve(ctx, subject), rule, verb.group(), verb.start(), subject.start)
    inverted = _right_after(ctx, verb.end(), quote.open_mark)
    if inverted is not None:
        return Attribution(_resolve(ctx, inverted), "verb_subject", verb.group(), verb.start(), verb.start())
    if verb.group()[:1].isupper() or verb.group().endswith("ing"):
        after = [c for c in _candidates_between(ctx, verb.end(), sentence.end) if c.start > quote.close_mark]
        follows = [c for c in after if _followed_by_verb(ctx, c)]
        if follows:
            return Attribution(_resolve(ctx, follows[0]), "clause_subject", verb.group(), verb.start())
    return None


def _right_after(ctx: Context, position: int, limit: int) -> Candidate | None:
    """A candidate standing right after a position (an inverted subject: ', said the Gazette,')."""
    for candidate in _candidates_between(ctx, position, min(limit, position + 80)):
        gap = ctx.masked[position : candidate.start]
        return candidate if re.fullmatch(r"\s*(?:the\s+)?", gap) else None
    return None


def _attribute_quote(
    ctx: Context, quote: Quote, sentence: Sentence, carried: Attribution | None
) -> Attribution:
    """Who the quoted words belong to; tries the rules in the codebook's order."""
    window_start = max(sentence.start, _previous_quote_end(ctx, quote, sentence))
    according = _according_to(ctx, sentence, quote)
    if according is not None:
        return according
    verb = _verb_before(ctx, window_start, quote.open_mark)
    if verb is None and window_start > sentence.start:
        verb = _verb_before(ctx, sentence.start, quote.open_mark)
    if verb is not None:
        found = _verb_subject(ctx, verb, sentence, quote)
        if found is not None and found.speaker.claimant_type == "document":
            # "The order demanded ..." with a note citing "Memorandum from X": the document is X's.
            return _note_sender(ctx, quote, sentence) or found
        if found is not None:
            return found
    possessive = _possessive_speaker(ctx, sentence, quote)
    if possessive is not None:
        return possessive
    after = _verb_after(ctx, quote, sentence)
    if after is not None:
        verb_match, subject = after
        return Attribution(
            _resolve(ctx, subject),
            "verb_after_quote",
            verb_match.group(),
            verb_match.start(),
            end=subject.end,
        )
    sender = _note_sender(ctx, quote, sentence)
    if sender is not None:
        return sender
    previous = _previous_sentence_speaker(ctx, quote, sentence)
    if previous is not None:
        return previous
    if carried is not None and not _new_source_named(ctx, carried, quote):
        speaker = Speaker(
            carried.speaker.claimant_type, carried.speaker.claimant_id, None, carried.speaker.claimant_name
        )
        return Attribution(speaker, "carried_over")
    if _note_right_after(ctx, quote.close_mark + 1):
        return Attribution(Speaker("work"), "cited_source")
    first, last = ctx.paragraph_sentences[sentence.paragraph_id]
    topic = _topic_before(ctx, quote.open_mark)
    if topic is not None and topic.start >= ctx.sentences[first].start:
        return Attribution(_resolve(ctx, topic), "paragraph_topic")
    if _next_note(ctx, quote.close_mark + 1, ctx.sentences[last].end):
        return Attribution(Speaker("work"), "next_note")
    for index in range(first, last + 1):
        later = ctx.sentences[index]
        topic = _sentence_topic(ctx, index) if later.start > quote.open_mark else None
        if topic is not None:
            return Attribution(_resolve(ctx, topic), "paragraph_topic")
    return Attribution(Speaker("unknown"), "none")


def _new_source_named(ctx: Context, carried: Attribution, quote: Quote) -> bool:
    """Whether a speaker other than the carried one is named as a subject between the quotation that set
    it and this one: then the carried speaker stops ('Smith wrote "...". His source predicted ... "..."')."""
    if carried.anchor is None:
        return False
    for candidate in _candidates_between(ctx, carried.anchor, quote.open_mark):
        if candidate.source not in ("mention", "name", "document") or not _followed_by_verb(ctx, candidate):
            continue
        speaker = _resolve(ctx, candidate)
        if (speaker.claimant_id, speaker.claimant_name) != (
            carried.speaker.claimant_id,
            carried.speaker.claimant_name,
        ) and not (speaker.claimant_id and speaker.claimant_id == carried.speaker.claimant_id):
            return True
    return False


def _according_to(ctx: Context, sentence: Sentence, quote: Quote) -> Attribution | None:
    """ "According to X, ..." before the quote in its sentence, or right after it."""
    for candidate in _candidates_between(ctx, sentence.start, sentence.end):
        near = candidate.start < quote.open_mark or candidate.start - quote.close_mark <= 20
        if near and ACCORDING_TO.search(
            ctx.masked, max(sentence.start, candidate.start - 20), candidate.start
        ):
            return Attribution(_resolve(ctx, candidate), "according_to", "according to", candidate.start - 13)
    return None


def _possessive_speaker(ctx: Context, sentence: Sentence, quote: Quote) -> Attribution | None:
    """ "X's memo called it ...", "X's claim that ... would be "..."": the possessor of a reporting noun."""
    for candidate in reversed(_candidates_between(ctx, sentence.start, quote.open_mark)):
        source = NOUN_SOURCE.search(ctx.masked, max(sentence.start, candidate.start - 40), candidate.start)
        if source is not None and source.group(1).lower() in REPORTING_NOUNS:
            # "policy guidance from the Board that "..."": the noun's source speaks.
            between = ctx.masked[candidate.end : quote.open_mark]
            if re.fullmatch(r"\s*(?:that|:|,)?\s*", between):
                speaker = _resolve(ctx, candidate)
                return Attribution(speaker, "possessive", subject_start=candidate.start, carries=False)
        if _possessed_noun(ctx, candidate) not in REPORTING_NOUNS:
            continue
        noun = POSSESSIVE_MARK.match(ctx.masked, candidate.end, candidate.end + 60)
        between = ctx.masked[noun.end() : quote.open_mark]
        if re.search(r"\bthat\b", between) or VERB_PATTERN.search(between) or _word_count(between) <= 3:
            return Attribution(_resolve(ctx, candidate), "possessive", subject_start=candidate.start)
    return None


def _note_sender(ctx: Context, quote: Quote, sentence: Sentence) -> Attribution | None:
    """The sender of the document the supporting note cites first ("Memorandum from X to Y", "X to Y, date"),
    when the note's marker closes the quotation's sentence and the text names no speaker."""
    index = bisect.bisect_left(ctx.footnote_offsets, quote.close_mark)
    if index >= len(ctx.footnotes) or ctx.footnote_offsets[index] > sentence.end + 1:
        return None
    sender = ctx.note_senders.get(ctx.footnotes[index][1])
    if sender is None:
        return None
    bodies = [SPEAKER_BODIES[t] for t in sender.split() if t in SPEAKER_BODIES]
    if bodies:
        return Attribution(Speaker(bodies[-1], None, None, sender), "note_sender")
    return Attribution(Speaker("person", None, None, _full_name(ctx, sender, quote.open_mark)), "note_sender")


def _previous_sentence_speaker(ctx: Context, quote: Quote, sentence: Sentence) -> Attribution | None:
    """A quotation that opens its sentence continues the speaker of the previous sentence's reporting verb
    ("The Gazette expressed more skepticism. "Since ..."")."""
    if ctx.masked[sentence.start : quote.open_mark].strip():
        return None
    index = _sentence_at(ctx, sentence.start)
    first, _ = ctx.paragraph_sentences[sentence.paragraph_id]
    if index <= first:
        return None
    previous = ctx.sentences[index - 1]
    verbs = [v for v in VERB_PATTERN.finditer(ctx.masked, previous.start, previous.end)]
    if not verbs:
        return None
    subject = _subject_of(ctx, verbs[-1].start(), previous.start)
    if subject is None:
        return None
    return Attribution(_resolve(ctx, subject), "previous_sentence", verbs[-1].group())


def _previous_quote_end(ctx: Context, quote: Quote, sentence: Sentence) -> int:
    closes = [m.end() for m in re.finditer(r"[”\"]", ctx.text[sentence.start : quote.open_mark])]
    return sentence.start + closes[-1] if closes and len(closes) % 2 == 0 else sentence.start


def _content_end(text: str, end: int) -> int:
    """``end`` moved back over trailing whitespace (without copying the text before it)."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def _overlapping_sentences(ctx: Context, start: int, end: int) -> list[Sentence]:
    first = max(0, bisect.bisect_right(ctx.sentence_starts, start) - 1)
    last = bisect.bisect_left(ctx.sentence_starts, end)
    return [s for s in ctx.sentences[first:last] if s.start < end and start < s.end]


def _sentence_ids(ctx: Context, start: int, end: int) -> list[str]:
    return [s.sentence_id for s in _overlapping_sentences(ctx, start, end)]


def _support(
    ctx: Context, start: int, end: int, paragraph_end: int, follow: bool
) -> tuple[str | None, str | None]:
    """The supporting note: first marker at or after the claim in its sentences, else the next one."""
    sentence_ends = [s.end for s in _overlapping_sentences(ctx, start, end)]
    last_end = max(sentence_ends) if sentence_ends else end
    index = bisect.bisect_left(ctx.footnote_offsets, start)
    if index < len(ctx.footnotes) and ctx.footnote_offsets[index] <= last_end + 1:
        return ctx.footnotes[index][1], "marker_in_sentence"
    if follow:
        following = _next_note(ctx, last_end, paragraph_end)
        if following:
            return following, "next_marker_in_paragraph"
    return None, None


def _quote_rows(ctx: Context, paragraphs: dict[str, tuple[int, int]], units: list[list[str]]) -> list[Row]:
    """Quotations paragraph by paragraph; a lead-in and the blocks that go on it carry a speaker as one."""
    rows: list[Row] = []
    for unit in units:
        carried: Attribution | None = None
        unit_end = paragraphs[unit[-1]][1]
        for paragraph_id in unit:
            p_start, p_end = paragraphs[paragraph_id]
            for quote in find_quotes(ctx.text, p_start, p_end):
                index = _sentence_at(ctx, quote.open_mark)
                if index < 0:
                    continue
                sentence = ctx.sentences[index]
                quoted = ctx.text[quote.start : quote.end]
                row = _quote_row(ctx, quote, sentence, quoted, carried, unit_end)
                attribution = row.values.pop("_attribution", None)
                if row.values["kind"] == "quotation" and attribution.carries:  # type: ignore[union-attr]
                    carried = attribution  # type: ignore[assignment]
                    carried.anchor = quote.close_mark  # type: ignore[union-attr]
                rows.append(row)
    return rows


def _quote_row(
    ctx: Context, quote: Quote, own_sentence: Sentence, quoted: str, carried: Attribution | None, p_end: int
) -> Row:
    """One quotation's row; ``p_end`` ends its paragraph, or the run of blocks it belongs to."""
    sentence = _scope(ctx, own_sentence)
    base: dict[str, object] = {
        "paragraph_id": sentence.paragraph_id,
        "sentence_id": sentence.sentence_id,
        "quote_char_start": quote.start,
        "quote_char_end": quote.end,
        "quoted_text": quoted,
    }
    unattributed = {
        "claimant_type": "unattributed",
        "attribution_rule": "none",
        "attribution_confidence": None,
    }
    if TITLE_INTRO.search(ctx.masked, max(sentence.start, quote.open_mark - 30), quote.open_mark):
        base |= {"kind": "title"} | unattributed
        return _finish(ctx, base, quote.open_mark, quote.close_mark + 1, p_end, follow=False)
    # The window may reach back over an earlier quotation: the verb that governs a clause governs every
    # quotation in it ('he believed that "the mechanics" would be "difficult"'), up to a clause break.
    near_start = max(sentence.start, quote.open_mark - SCARE_QUOTE_VERB_WINDOW)
    near_start += ctx.masked[near_start : quote.open_mark].rfind("(") + 1
    breaks = list(re.finditer(r"[;:]|\s[–—]\s", ctx.masked[near_start : quote.open_mark]))
    near_start += breaks[-1].end() if breaks else 0
    has_verb = (
        _verb_before(ctx, near_start, quote.open_mark)
        or _verb_after(ctx, quote, sentence)
        or _according_to(ctx, sentence, quote)
    )
    heading = ctx.text[_content_end(ctx.text, p_end) - 1 : p_end][:1] not in (
        ".",
        "?",
        "!",
        "”",
        '"',
        ":",
        ";",
    )
    if (_word_count(quoted) <= SCARE_QUOTE_MAX_WORDS or heading) and not has_verb:
        base |= {"kind": "scare_quote"} | unattributed
        return _finish(ctx, base, quote.open_mark, quote.close_mark + 1, p_end, follow=False)
    attribution = _attribute_quote(ctx, quote, sentence, carried)
    start = min(
        x for x in (attribution.subject_start, attribution.verb_start, quote.open_mark) if x is not None
    )
    start = start if start >= own_sentence.start and start <= quote.open_mark else quote.open_mark
    end = max(quote.close_mark + 1, attribution.end or 0)
    base |= _speaker_values(attribution) | {
        "kind": "quotation",
        "reporting_verb": attribution.verb,
        "_attribution": attribution,
    }
    if attribution.verb_start is not None and attribution.rule not in ("carried_over", "according_to"):
        subject_before = (
            attribution.subject_start is not None and attribution.subject_start < attribution.verb_start
        )
        base |= _verb_details(ctx, sentence, attribution.verb_start, subject_before)
    follow = attribution.rule != "cited_source"
    return _finish(ctx, base, start, end, p_end, follow=follow)


def _verb_details(
    ctx: Context, sentence: Sentence, verb_start: int, subject_before: bool = True
) -> dict[str, object]:
    verb = VERB_PATTERN.match(ctx.masked, verb_start)
    details: dict[str, object] = {}
    if verb is None:
        return details
    addressee = _addressee(ctx, sentence, verb, subject_before)
    if addressee is not None:
        resolved = _resolve(ctx, addressee)
        details |= {"addressee_id": resolved.claimant_id, "addressee_name": resolved.claimant_name}
    date_text, date = _statement_date(ctx, sentence.start, verb_start)
    details |= {"statement_date_text": date_text, "statement_date": date}
    return details


def _speaker_values(attribution: Attribution) -> dict[str, object]:
    speaker = attribution.speaker
    return {
        "claimant_type": speaker.claimant_type,
        "claimant_id": speaker.claimant_id,
        "claimant_text": speaker.claimant_text,
        "claimant_char_start": speaker.claimant_start,
        "claimant_char_end": speaker.claimant_end,
        "claimant_name": speaker.claimant_name,
        "attribution_rule": attribution.rule,
        "attribution_confidence": attribution.confidence,
    }


def _finish(ctx: Context, values: dict[str, object], start: int, end: int, p_end: int, follow: bool) -> Row:
    footnote_id, rule = _support(ctx, start, end, p_end, follow)
    values |= {
        "document_id": ctx.document_id,
        "char_start": start,
        "char_end": end,
        "text": ctx.text[start:end],
        "footnote_id": footnote_id,
        "footnote_rule": rule,
    }
    return Row(values, _sentence_ids(ctx, start, end))


THAT_CLAUSE = re.compile(r"\s+(?:\w+ly\s+)?(?:(?:to\s+)?[^.;:]{0,80}?,?\s+)?that\b")
THAT_SOON = re.compile(r"[\s,]+(?:[\w’'-]+,?\s+){0,6}?that\b")


def _reported_rows(ctx: Context, quote_rows: list[Row], paragraphs: dict[str, tuple[int, int]]) -> list[Row]:
    """Speech verb + "that" clause without a quotation of the same speaker in the sentence."""
    quoted_sentences = {sid for r in quote_rows if r.values["kind"] == "quotation" for sid in r.sentence_ids}
    rows: list[Row] = []
    for sentence in ctx.sentences:
        if sentence.sentence_id in quoted_sentences:
            continue
        for verb in VERB_PATTERN.finditer(ctx.masked, sentence.start, sentence.end):
            if verb.group() not in SPEECH_VERBS or verb.group() in NOT_REPORTED_STATEMENT:
                continue
            if not THAT_CLAUSE.match(ctx.masked, verb.end(), sentence.end):
                continue
            if not verb.group().endswith("ing") and PASSIVE_AUXILIARY.search(
                ctx.masked, max(sentence.start, verb.start() - 30), verb.start()
            ):
                continue  # "The Embassy is informed that ...": the subject heard it; someone else said it
            subject = _subject_of(ctx, verb.start(), sentence.start)
            if subject is None:
                continue
            attribution = Attribution(_resolve(ctx, subject), "verb_subject", verb.group(), verb.start())
            values: dict[str, object] = {
                "kind": "reported_statement",
                "paragraph_id": sentence.paragraph_id,
                "sentence_id": sentence.sentence_id,
                "reporting_verb": verb.group(),
                **_speaker_values(attribution),
                **_verb_details(ctx, sentence, verb.start()),
            }
            end = _content_end(ctx.text, sentence.end)
            rows.append(_finish(ctx, values, subject.start, end, paragraphs[sentence.paragraph_id][1], True))
            break
    return rows


def _reported_span(ctx: Context, sentence: Sentence, position: int) -> bool:
    """True when a position lies in the complement of someone else's reporting verb (not parenthesised)."""
    before = ctx.masked[sentence.start : position]
    if before.count("(") > before.count(")"):
        return False
    for verb in VERB_PATTERN.finditer(ctx.masked, sentence.start, position):
        if THAT_SOON.match(ctx.masked, verb.end(), verb.end() + 200) and (
            verb.group().endswith("ed") or _subject_of(ctx, verb.start(), sentence.start) is not None
        ):
            return True
    return bool(re.search(r"\b[Aa]ccording to\b", before))


def _is_dialogue(ctx: Context, sentence: Sentence) -> bool:
    """A sentence of a transcript set as a block ("Mr. SMITH. ..."): others' words, not the author's."""
    first, _ = ctx.paragraph_sentences[sentence.paragraph_id]
    return bool(DIALOGUE_LABEL.match(ctx.masked, ctx.sentences[first].start, ctx.sentences[first].end))


def _sentence_cues(ctx: Context, sentence: Sentence) -> list[tuple[str, int, int]]:
    """The author's cues in a sentence: (cue as written, start, end), outside quotes, reported speech and
    what a person or body proposes."""
    found = list(CUE_PATTERN.finditer(ctx.masked, sentence.start, sentence.end))
    proposed = next((m.start() for m in found if _proposal(ctx, sentence, m)), sentence.end)
    cues = [
        (m.group(), m.start(), m.end())
        for m in found
        if m.start() < proposed
        and not _reported_span(ctx, sentence, m.start())
        and not (
            m.group().lower() == "clearly"
            and MANNER_CLEARLY.search(ctx.masked, max(sentence.start, m.start() - 30), m.start())
        )
        and not any(
            e.start() <= m.start() < e.end()
            for e in CUE_EXCEPTIONS.finditer(ctx.masked, max(sentence.start, m.start() - 30), m.end() + 30)
        )
        and not _modifies_a_word(ctx, m)
        and not _possession(ctx, m)
    ]
    stripped = ctx.masked[sentence.start : sentence.end].rstrip()
    if stripped.endswith("?") and RHETORICAL_QUESTION.match(ctx.masked, sentence.start, sentence.end):
        end = sentence.start + len(stripped)
        cues.append((QUESTION_CUE, end - 1, end))
    return cues


def _modifies_a_word(ctx: Context, cue: re.Match[str]) -> bool:
    """An adverb inside a noun phrase ("an apparently regular shipment", "two seemingly simple questions")
    qualifies a word, not the sentence: it is not the author's hedge."""
    return cue.group().lower().endswith("ly") and preceding_word(ctx.masked, cue.start()).lower() in (
        NOUN_PHRASE_OPENERS
    )


def _possession(ctx: Context, cue: re.Match[str]) -> bool:
    """ "may have bunker licenses", "such conversation as you may have": a modal with "have" hedges only as a
    perfect, before a past participle ("may have made", "might have been")."""
    if not cue.group().lower().endswith(" have"):
        return False
    following = re.match(r"\s+(?:\w+ly\s+)?([a-z]+)\b", ctx.masked[cue.end() : cue.end() + 40])
    if following is None:
        return True
    word = following.group(1)
    return not (word in IRREGULAR_PAST or word.endswith(PARTICIPLE_ENDINGS))


def _proposal(ctx: Context, sentence: Sentence, cue: re.Match[str]) -> bool:
    """ "His Majesty's Government suggest that ...", "I suggest that you authorize me ...": a person or
    body proposing, not the author hedging."""
    if not cue.group().lower().startswith("suggest"):
        return False
    return _subject_of(ctx, cue.start(), sentence.start) is not None


def _certainty(cue: str) -> str:
    return "probable" if cue == QUESTION_CUE else CUES[cue.lower()]


def _assertion_rows(ctx: Context, paragraphs: dict[str, tuple[int, int]]) -> list[Row]:
    """Sentences where the author marks their own certainty with a cue outside quotes and reported speech."""
    rows: list[Row] = []
    for sentence in ctx.sentences:
        cues = _sentence_cues(ctx, sentence)
        if not cues or _is_dialogue(ctx, sentence):
            continue
        weakest = min(cues, key=lambda c: CERTAINTY_RANK[_certainty(c[0])])
        end = _content_end(ctx.text, sentence.end)
        writer = _writer_at(ctx, sentence.start)
        rule = "author" if writer.claimant_type == "document_author" else "document_sender"
        values: dict[str, object] = {
            "kind": "author_assertion",
            "paragraph_id": sentence.paragraph_id,
            "sentence_id": sentence.sentence_id,
            "claimant_type": writer.claimant_type,
            "claimant_id": writer.claimant_id,
            "claimant_name": writer.claimant_name,
            "attribution_rule": rule,
            "attribution_confidence": RULE_CONFIDENCE[rule],
            "certainty": _certainty(weakest[0]),
            "cue": "; ".join(c[0] for c in cues),
            "cue_char_start": weakest[1],
            "cue_char_end": weakest[2],
        }
        rows.append(_finish(ctx, values, sentence.start, end, paragraphs[sentence.paragraph_id][1], False))
    return rows


def _subject_rows(ctx: Context, claim_id: str, row: Row) -> list[dict[str, object]]:
    """Persons mentioned in the claim's content (the quoted words, or the claim span), except its claimant."""
    values = row.values
    start = values.get("quote_char_start") or values["char_start"]
    end = values.get("quote_char_end") or values["char_end"]
    subjects: dict[str, dict[str, object]] = {}
    for candidate in _candidates_between(ctx, start, end):
        if (
            candidate.entity_id
            and candidate.source != "work"
            and candidate.entity_id != values.get("claimant_id")
        ):
            subjects.setdefault(
                candidate.entity_id,
                {
                    "claim_id": claim_id,
                    "subject_type": "person",
                    "subject_id": candidate.entity_id,
                    "relation": "mentioned",
                    "char_start": candidate.start,
                    "char_end": candidate.end,
                    "text": candidate.text,
                },
            )
    return list(subjects.values())


def _italic_spans(emphasis_spans: pl.DataFrame | None) -> list[tuple[int, int]]:
    if emphasis_spans is None or not emphasis_spans.height:
        return []
    body = emphasis_spans.filter((pl.col("style") == "italic") & pl.col("footnote_id").is_null())
    return [(s, e) for s, e in body.select("char_start", "char_end").iter_rows()]


def _note_senders(footnotes: pl.DataFrame) -> dict[str, str]:
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


def extract_claims(
    document_text: str,
    sentences: pl.DataFrame,
    mentions: pl.DataFrame,
    footnotes: pl.DataFrame,
    document_author_id: str,
    emphasis_spans: pl.DataFrame | None = None,
    paragraphs_table: pl.DataFrame | None = None,
    unlinked_names: pl.DataFrame | None = None,
    document_senders: pl.DataFrame | None = None,
    time_expressions: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """Quotations, reported statements and cued author assertions of one document's body.

    Returns {"claims", "claim_subjects", "claim_footnotes"}; claim IDs are "<document_id>:cNNN" in text
    order. ``emphasis_spans`` (optional) lets an italic title ("The New York Times wrote") be a claimant;
    ``paragraphs_table`` (optional, with block_kind) lets list items and block quotations after a lead-in
    ending in a colon be attributed in that lead-in's sentence; ``unlinked_names`` (optional) gives a
    claimant the entities stage found but could not link its document-level person as claimant_id;
    ``document_senders`` (optional: char_start, char_end, sender_id, sender_name) are the letters and
    telegrams inside the paper: their sender, not the paper's author, makes the assertions and is the "I"
    or "we" of the words they span; ``time_expressions`` (optional, the time_expressions table) gives a
    statement its date before this step's own date pattern does.
    """
    sentence_list = _sentences(sentences)
    if not sentence_list:
        return _empty()
    document_id = sentences["document_id"][0]
    body_end = max(s.end for s in sentence_list)
    paragraphs = _paragraph_spans(sentence_list)
    lead_ins, units = _lead_ins(document_text, paragraphs_table, sentence_list)
    quotes = [q for start, end in paragraphs.values() for q in find_quotes(document_text, start, end)]
    masked = _mask(document_text, quotes)
    notes = footnotes.filter(pl.col("marker_offset").is_not_null()).sort("marker_offset")
    candidates = speaker_candidates(
        document_text, masked, mentions, body_end, _italic_spans(emphasis_spans), unlinked_names
    )
    ctx = Context(
        text=document_text,
        masked=masked,
        document_id=document_id,
        author_id=document_author_id,
        sentences=sentence_list,
        candidates=candidates,
        names=_names(mentions),
        full_names=_full_names(candidates),
        footnotes=list(notes.select("marker_offset", "footnote_id", "sentence_id").iter_rows()),
        note_senders=_note_senders(notes),
        lead_ins=lead_ins,
        document_persons=_document_persons(unlinked_names),
        senders=_senders(document_senders),
        time_expressions=_dated_expressions(time_expressions),
    )
    quote_rows = _quote_rows(ctx, paragraphs, units)
    rows = quote_rows + _reported_rows(ctx, quote_rows, paragraphs) + _assertion_rows(ctx, paragraphs)
    framing = _framing_paragraphs(paragraphs_table)
    rows = [r for r in rows if r.values["paragraph_id"] not in framing or r.values["kind"] in NOBODYS_WORDS]
    rows.sort(key=lambda r: (r.values["char_start"], r.values.get("quote_char_start") or 0, r.values["kind"]))
    claims, subjects, claim_notes = [], [], []
    for number, row in enumerate(rows, start=1):
        claim_id = f"{document_id}:c{number:03d}"
        claims.append({"claim_id": claim_id, **row.values})
        subjects += _subject_rows(ctx, claim_id, row)
        if row.values.get("footnote_id"):
            claim_notes.append(
                {
                    "claim_id": claim_id,
                    "footnote_id": row.values["footnote_id"],
                    "rule": row.values["footnote_rule"],
                }
            )
    return {
        "claims": rows_to_frame("claims", claims),
        "claim_subjects": rows_to_frame("claim_subjects", subjects),
        "claim_footnotes": _claim_footnotes_frame(claim_notes),
    }


def _framing_paragraphs(paragraphs_table: pl.DataFrame | None) -> frozenset[str]:
    """Headings, addressee and date lines, openers and signatures: they frame a document and say nothing."""
    if paragraphs_table is None or "block_kind" not in paragraphs_table.columns:
        return frozenset()
    framing = paragraphs_table.filter(pl.col("block_kind").is_in(list(NOT_CLAIM_BLOCKS)))
    return frozenset(framing["paragraph_id"])


def _dated_expressions(
    time_expressions: pl.DataFrame | None,
) -> list[tuple[int, int, str, str | None]]:
    if time_expressions is None or not time_expressions.height:
        return []
    # Single days, months and years only: statement_date is one point, not an interval or a season.
    dated = time_expressions.filter(pl.col("edtf").str.contains(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"))
    return sorted(dated.select("char_start", "char_end", "text", "edtf").iter_rows())


def _senders(document_senders: pl.DataFrame | None) -> list[tuple[int, int, str | None, str | None]]:
    if document_senders is None or not document_senders.height:
        return []
    columns = ("char_start", "char_end", "sender_id", "sender_name")
    missing = [c for c in columns if c not in document_senders.columns]
    if missing:
        raise ValueError(f"document_senders lacks column(s) {', '.join(missing)}")
    return sorted(document_senders.select(*columns).iter_rows())


def _claim_footnotes_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    """The claim-to-note pairs that link_claim_citations joins to citations (an intermediate, not a table)."""
    schema = {"claim_id": pl.String, "footnote_id": pl.String, "rule": pl.String}
    return pl.DataFrame(rows, schema=schema)


def _empty() -> dict[str, pl.DataFrame]:
    return {
        "claims": rows_to_frame("claims", []),
        "claim_subjects": rows_to_frame("claim_subjects", []),
        "claim_footnotes": _claim_footnotes_frame([]),
    }


def link_claim_citations(claim_footnotes: pl.DataFrame, citations: pl.DataFrame) -> pl.DataFrame:
    """claim_citations: each claim joined to the citations of its supporting note (claim_id, citation_id)."""
    joined = claim_footnotes.select("claim_id", "footnote_id").join(
        citations.select("citation_id", "footnote_id", "work_id"), on="footnote_id", how="inner"
    )
    return (
        joined.select([c for c in load_table_spec("claim_citations").columns if c != RECORD_STATUS])
        .unique(["claim_id", "citation_id"], keep="first")
        .sort("claim_id", "citation_id")
    )


def attribute_cited_works(claims: pl.DataFrame, claim_citations: pl.DataFrame) -> pl.DataFrame:
    """Fill claimant_id of claims attributed to a cited work when their note cites exactly one work."""
    single = (
        claim_citations.filter(pl.col("work_id").is_not_null())
        .group_by("claim_id")
        .agg(pl.col("work_id").unique().alias("works"))
        .filter(pl.col("works").list.len() == 1)
        .select("claim_id", pl.col("works").list.first().alias("_work_id"))
    )
    return (
        claims.join(single, on="claim_id", how="left")
        .with_columns(
            pl.when((pl.col("claimant_type") == "work") & pl.col("claimant_id").is_null())
            .then(pl.col("_work_id"))
            .otherwise(pl.col("claimant_id"))
            .alias("claimant_id")
        )
        .drop("_work_id")
    )


def link_claim_events(claims: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """claim_subjects rows of subject_type "event": events whose span overlaps the claim span.

    An inequality join (sort-based), so a long paper's claims and events are not crossed pair by pair.
    """
    spans = claims.select(
        "claim_id", pl.col("char_start").alias("c_start"), pl.col("char_end").alias("c_end")
    )
    linked = spans.join_where(
        events.select("event_id", "char_start", "char_end"),
        pl.col("char_start") < pl.col("c_end"),
        pl.col("c_start") < pl.col("char_end"),
    )
    return linked.select(
        "claim_id",
        pl.lit("event").alias("subject_type"),
        pl.col("event_id").alias("subject_id"),
        pl.lit("overlaps_claim_span").alias("relation"),
        "char_start",
        "char_end",
        pl.lit(None, dtype=pl.String).alias("text"),
    ).sort("claim_id", "subject_id")
