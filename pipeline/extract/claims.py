"""Claims: quotations, reported statements and the author's hedged or boosted assertions.

A claim is something the text presents as said, written or judged by someone (see docs/claims-codebook.md).
Extraction is rule-based: quotation marks, a lexicon of reporting verbs, a subject search that skips
prepositional objects and relative clauses, pronoun and role-noun resolution by sentence topic, and a
lexicon of epistemic cues on a three-level certainty scale. Rules keep every attribution explainable:
each row says which rule attributed it (``attribution_rule``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from pipeline.text.months import FULL_MONTH_NAMES

CLAIM_COLUMNS = [
    "claim_id",
    "document_id",
    "kind",
    "sentence_id",
    "paragraph_id",
    "char_start",
    "char_end",
    "text",
    "quote_char_start",
    "quote_char_end",
    "quoted_text",
    "claimant_type",
    "claimant_id",
    "claimant_text",
    "claimant_name",
    "attribution_rule",
    "reporting_verb",
    "addressee_id",
    "addressee_name",
    "certainty",
    "cue",
    "cue_char_start",
    "cue_char_end",
    "statement_date_text",
    "statement_date",
    "footnote_id",
    "footnote_rule",
]
SUBJECT_COLUMNS = ["claim_id", "subject_type", "subject_id", "relation", "char_start", "char_end", "text"]
CLAIM_FOOTNOTE_COLUMNS = ["claim_id", "footnote_id", "rule"]
CITATION_COLUMNS = ["claim_id", "citation_id", "footnote_id", "work_id"]

# Verbs of saying and writing: they attribute quotations and, with a "that" clause, reported statements.
SPEECH_VERBS = """
said says told tells remarked asserted asserts declared declares insisted insists wrote writes exclaimed
stated noted observed observes recalled recalls replied replies answered suggested suggests argued argues
claimed complained emphasized emphasised emphasizes announced announces explained explains warned warns
lamented hinted reiterated confided reported added adds concluded expressed instructed acknowledged
admitted conceded urged proclaimed protested boasted joked commented cautioned predicted promised assured
informed responded retorted denied quipped maintained contended saying writing telling adding
""".split()
# Verbs of thinking and naming: they attribute quoted words but do not make a reported statement.
THOUGHT_VERBS = """thought believed considered called calls termed dubbed labelled labeled""".split()
VERB_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(SPEECH_VERBS + THOUGHT_VERBS, key=len, reverse=True)) + r"|referred to as|"
    r"the (?:remark|thought|words?|comment|reply|statement)(?= that|:))\b"
)
TITLE_INTRO = re.compile(r"\b(?:[Ee]ntitled|[Tt]itled|[Hh]eadlined)\s*$")
PREPOSITIONS = frozenset(
    "in on at by with to of from for than about against into onto upon toward towards under over between "
    "among after before during through via like unlike including".split()
)
PRONOUN = re.compile(r"\b(?:he|she|He|She|his|her|His|Her|they|They|their|Their)\b")
PLURAL_PRONOUNS = frozenset({"they", "their"})
POSSESSIVES = frozenset({"his", "her", "their"})
ROLE = re.compile(
    r"\b[Tt]he (?:(?:former|new|then|Soviet|American|British|French|German|old|future|latter)\s+)?"
    r"(?:commissar|ambassador|president|secretary|representative|general secretary|diplomat|premier|"
    r"minister|leader|chancellor|envoy|dictator|journalist|king|emperor|tsar|general|senator)\b"
)
RELATIVE_LINK = re.compile(r"^\s*,?\s*(?:who|which)\s+(?:\w+ly\s+)?$")
RELATIVE_CLAUSE = re.compile(r",\s+(?:who|whom|whose|which)\b[^,]*,")
ADDRESSEE_INTRO = re.compile(
    r"\b(?:[Ss]peaking|[Tt]alking)\s+(?:\w+ly\s+)?with\b|\b[Ii]n an interview with\b"
)
ADDRESSEE_VERBS = frozenset({"told", "tells", "telling", "instructed", "informed", "assured", "urged"})
MONTHS = "|".join(FULL_MONTH_NAMES)
MONTH_NUMBER = {name: index for index, name in enumerate(FULL_MONTH_NAMES, start=1)}
DATE = re.compile(
    rf"\b(?:[Ii]n|[Oo]n|[Dd]uring|[Bb]y)\s+(?:(?:early|late|mid-)\s*)?"
    rf"(?:(\d{{1,2}})\s+)?(?:({MONTHS})\s+)?((?:1[5-9]|20)\d{{2}})\b"
)
MANNER_CLEARLY = re.compile(
    r"\b(?:as|look|looks|looked|see|saw|seen|speak|spoke|write|wrote|think|state)\s+$"
)
NOT_REPORTED_STATEMENT = frozenset({"concluded"})

# Epistemic cues on FactBank's scale. Longer cues first so "almost certainly" beats "certainly".
CUES: dict[str, str] = {
    "almost certainly": "probable",
    "it is quite likely": "probable",
    "it is likely": "probable",
    "quite likely": "probable",
    "most likely": "probable",
    "very likely": "probable",
    "in all likelihood": "probable",
    "probably": "probable",
    "apparently": "probable",
    "presumably": "probable",
    "evidently": "probable",
    "must have": "probable",
    "could not have": "probable",
    "one can easily imagine": "probable",
    "it is not hard to imagine": "probable",
    "it takes little imagination": "certain",
    "seems to": "probable",
    "seemed to": "probable",
    "appears to": "probable",
    "appeared to": "probable",
    "perhaps": "possible",
    "possibly": "possible",
    "maybe": "possible",
    "may have": "possible",
    "might have": "possible",
    "could have": "possible",
    "one wonders": "possible",
    "it is possible": "possible",
    "conceivably": "possible",
    "certainly": "certain",
    "surely": "certain",
    "clearly": "certain",
    "undoubtedly": "certain",
    "doubtless": "certain",
    "without doubt": "certain",
    "indisputably": "certain",
    "obviously": "certain",
    "of course": "certain",
    "it is clear that": "certain",
    "it is well known that": "certain",
    "it is hardly surprising": "certain",
    "it is little wonder": "certain",
}
CUE_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in sorted(CUES, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
CERTAINTY_RANK = {"possible": 0, "probable": 1, "certain": 2}
SCARE_QUOTE_MAX_WORDS = 2
NOTE_AFTER_QUOTE_WINDOW = 3
IRREGULAR_PAST = """
told wrote said thought felt knew saw took made became began met led sought held gave went came got stood
understood left kept found broke fell rose spoke ran did had was were is has would could should might must
may will can shall
""".split()
FINITE_VERB = re.compile(
    r"\s+(?:(?:\w+ly|also|then|never|not|still|even|himself|herself|however,?)\s+)*(?:"
    + "|".join(IRREGULAR_PAST + SPEECH_VERBS + THOUGHT_VERBS)
    + r"|[a-z]+ed)\b"
)
OPENERS = {"“": "”", '"': '"'}


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


@dataclass(frozen=True)
class Candidate:
    """A possible speaker: a person mention, a pronoun, a role noun phrase or an italic work title."""

    start: int
    end: int
    text: str
    source: str
    entity_id: str | None = None


@dataclass
class Speaker:
    claimant_type: str
    claimant_id: str | None = None
    claimant_text: str | None = None
    claimant_name: str | None = None


@dataclass
class Attribution:
    speaker: Speaker
    rule: str
    verb: str | None = None
    verb_start: int | None = None
    subject_start: int | None = None
    end: int | None = None


@dataclass
class Context:
    """Everything the rules look at for one document."""

    text: str
    masked: str
    document_id: str
    author_id: str
    sentences: list[Sentence]
    candidates: list[Candidate]
    names: dict[str, str]
    footnotes: list[tuple[int, str, str | None]]
    topics: dict[str, Candidate | None] = field(default_factory=dict)


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


def _candidates(
    text: str, masked: str, mentions: pl.DataFrame, body_end: int, italic: list[tuple[int, int]]
) -> list[Candidate]:
    """Person mentions from the entities stage plus pronouns, role nouns and italic work titles found here."""
    found: dict[tuple[int, int], Candidate] = {}
    people = mentions.filter(pl.col("entity_type") == "person") if mentions.height else mentions
    for start, end, mention_text, entity_id, kind in people.select(
        "char_start", "char_end", "text", "entity_id", "match_kind"
    ).iter_rows():
        if start < body_end and masked[start:end].strip():
            source = (
                "pronoun" if kind in ("pronoun", "possessive") else "role" if kind == "role" else "mention"
            )
            found[(start, end)] = Candidate(start, end, mention_text, source, entity_id)
    occupied = [(s, e) for s, e in found]
    for pattern, source in ((PRONOUN, "pronoun"), (ROLE, "role")):
        for match in pattern.finditer(masked, 0, body_end):
            if not any(s < match.end() and match.start() < e for s, e in occupied):
                found[(match.start(), match.end())] = Candidate(
                    match.start(), match.end(), match.group(), source
                )
    for start, end in italic:
        if start < body_end and not any(s < end and start < e for s, e in occupied):
            found[(start, end)] = Candidate(start, end, text[start:end], "work")
    return sorted(found.values(), key=lambda c: c.start)


def _names(mentions: pl.DataFrame) -> dict[str, str]:
    """The fullest surface form seen for each person, used as a readable name in claimant_name."""
    names: dict[str, str] = {}
    if not mentions.height:
        return names
    for entity_id, mention_text in mentions.select("entity_id", "text").iter_rows():
        if entity_id and (entity_id not in names or len(mention_text) > len(names[entity_id])):
            names[entity_id] = mention_text
    return names


def _preceding_word(masked: str, position: int) -> str:
    match = re.search(r"([A-Za-z]+)\s+$", masked[max(0, position - 40) : position])
    return match.group(1) if match else ""


def _followed_by_verb(ctx: Context, candidate: Candidate) -> bool:
    return bool(FINITE_VERB.match(ctx.masked, candidate.end))


def _is_object_position(ctx: Context, candidate: Candidate) -> bool:
    """A candidate right after a preposition or a past-tense verb is an object, not a subject."""
    if _followed_by_verb(ctx, candidate):
        return False
    word = _preceding_word(ctx.masked, candidate.start)
    gap = ctx.masked[max(0, candidate.start - 3) : candidate.start]
    if "," in gap or "(" in gap:
        return False
    return word.lower() in PREPOSITIONS or (word.endswith("ed") and word.islower()) or word in SPEECH_VERBS


def _sentence_at(ctx: Context, position: int) -> int:
    for index, sentence in enumerate(ctx.sentences):
        if sentence.start <= position < sentence.end + 1:
            return index
    return -1


def _candidates_between(ctx: Context, start: int, end: int) -> list[Candidate]:
    return [c for c in ctx.candidates if start <= c.start and c.end <= end]


def _resolve(ctx: Context, candidate: Candidate, depth: int = 0) -> Speaker:
    """Turn a candidate into a speaker, resolving pronouns and role nouns through sentence topics."""
    if candidate.source == "work":
        return Speaker("work", None, candidate.text, candidate.text)
    if candidate.entity_id:
        name = ctx.names.get(candidate.entity_id, candidate.text)
        if candidate.entity_id == ctx.author_id:
            return Speaker("document_author", candidate.entity_id, candidate.text, name)
        return Speaker("person", candidate.entity_id, candidate.text, name)
    if candidate.text.lower() in PLURAL_PRONOUNS or depth > 6:
        return Speaker("unattributed", None, candidate.text, None)
    antecedent = _topic_before(ctx, candidate.start)
    if antecedent is None:
        return Speaker("unattributed", None, candidate.text, None)
    resolved = _resolve(ctx, antecedent, depth + 1)
    return Speaker(resolved.claimant_type, resolved.claimant_id, candidate.text, resolved.claimant_name)


def _sentence_topic(ctx: Context, sentence: Sentence, before: int | None = None) -> Candidate | None:
    """The first person-like candidate of a sentence that is not in object position (its likely subject)."""
    limit = sentence.end if before is None else before
    eligible = [
        c
        for c in _candidates_between(ctx, sentence.start, limit)
        if c.source != "work" and c.text.lower() not in PLURAL_PRONOUNS and c.text.lower() not in POSSESSIVES
    ]
    for candidate in eligible:
        if _followed_by_verb(ctx, candidate):
            return candidate
    for candidate in _candidates_between(ctx, sentence.start, limit):
        if candidate.source == "work" or candidate.text.lower() in PLURAL_PRONOUNS:
            continue
        if candidate.source == "mention" and _is_object_position(ctx, candidate):
            continue
        if candidate.source in ("pronoun", "role") and _is_object_position(ctx, candidate):
            continue
        return candidate
    return None


def _topic_before(ctx: Context, position: int) -> Candidate | None:
    """The most recent sentence topic before a position (same sentence first, then up to 5 back)."""
    index = _sentence_at(ctx, position)
    if index < 0:
        return None
    topic = _sentence_topic(ctx, ctx.sentences[index], before=position)
    if topic is not None and topic.start < position:
        return topic
    for back in range(index - 1, max(-1, index - 6), -1):
        topic = _sentence_topic(ctx, ctx.sentences[back])
        if topic is not None:
            return topic
    return None


def _subject_of(ctx: Context, verb_start: int, window_start: int) -> Candidate | None:
    """The speaker of a reporting verb: nearest subject-like candidate before it in the same sentence."""
    window = ctx.masked[window_start:verb_start]
    blanked = RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group()), window)
    candidates = _candidates_between(ctx, window_start, verb_start)
    for candidate in reversed(candidates):
        if RELATIVE_LINK.match(ctx.masked[candidate.end : verb_start]):
            return candidate
        local = candidate.start - window_start
        if not blanked[local : local + len(candidate.text)].strip():
            continue
        if candidate.text.lower() in POSSESSIVES or _is_object_position(ctx, candidate):
            continue
        return candidate
    return None


def _addressee(ctx: Context, sentence: Sentence, verb: re.Match[str]) -> Candidate | None:
    """The person spoken to: object of told/instructed, "to X" after the verb, or "Speaking with X"."""
    after = ctx.masked[verb.end() : verb.end() + 70]
    direct = verb.group() in ADDRESSEE_VERBS
    via_to = re.match(r"\s+(?:\w+ly\s+)?to\b", after)
    if direct or via_to:
        limit = verb.end() + (re.search(r"\bthat\b|[,:;]\s*[“\"]|$", after).start())
        for candidate in _candidates_between(ctx, verb.end(), limit + 1):
            if candidate.source in ("mention", "role"):
                return candidate
    intro = ADDRESSEE_INTRO.search(ctx.masked, sentence.start, verb.start())
    if intro:
        for candidate in _candidates_between(ctx, intro.end(), verb.start()):
            if candidate.source in ("mention", "role"):
                return candidate
    return None


def _statement_date(ctx: Context, start: int, end: int) -> tuple[str | None, str | None]:
    """A date written before the reporting verb ("In February 1926, he told ...") as text and EDTF."""
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


def _verb_after(ctx: Context, quote: Quote) -> tuple[re.Match[str], Candidate] | None:
    """Attribution after the quote: '"...?" he suggested' or '"...," said Brandt'."""
    if ctx.text[quote.start : quote.end].rstrip().endswith((".", "…")):
        return None
    tail_start = quote.close_mark + 1
    tail = ctx.masked[tail_start : tail_start + 60]
    lead = re.match(r"[ ,]*", tail).end()
    verb = VERB_PATTERN.match(ctx.masked, tail_start + lead)
    if verb:
        after = _candidates_between(ctx, verb.end(), verb.end() + 40)
        if after and after[0].start - verb.end() <= 2:
            return verb, after[0]
        return None
    heads = [c for c in _candidates_between(ctx, tail_start, tail_start + 60) if c.start == tail_start + lead]
    if heads:
        verb = re.compile(r"\s+(?:\w+ly\s+)?").match(ctx.masked, heads[0].end)
        verb = VERB_PATTERN.match(ctx.masked, verb.end()) if verb else None
        if verb:
            return verb, heads[0]
    return None


def _note_right_after(ctx: Context, position: int) -> str | None:
    for offset, footnote_id, _ in ctx.footnotes:
        if position <= offset <= position + NOTE_AFTER_QUOTE_WINDOW:
            return footnote_id
    return None


def _next_note(ctx: Context, position: int, paragraph_end: int) -> str | None:
    for offset, footnote_id, _ in ctx.footnotes:
        if position <= offset <= paragraph_end + 1:
            return footnote_id
    return None


def _attribute_quote(
    ctx: Context, quote: Quote, sentence: Sentence, carried: Attribution | None
) -> Attribution:
    """Who the quoted words belong to; tries the rules in the codebook's order."""
    window_start = max(sentence.start, _previous_quote_end(ctx, quote, sentence))
    verb = _verb_before(ctx, window_start, quote.open_mark)
    if verb is None and window_start > sentence.start:
        verb = _verb_before(ctx, sentence.start, quote.open_mark)
    if verb is not None:
        subject = _subject_of(ctx, verb.start(), sentence.start)
        speaker = _resolve(ctx, subject) if subject else Speaker("unattributed")
        return Attribution(
            speaker, "verb_subject", verb.group(), verb.start(), subject.start if subject else None
        )
    after = _verb_after(ctx, quote)
    if after is not None:
        verb_match, subject = after
        return Attribution(
            _resolve(ctx, subject),
            "verb_after_quote",
            verb_match.group(),
            verb_match.start(),
            end=subject.end,
        )
    if carried is not None:
        speaker = Speaker(
            carried.speaker.claimant_type, carried.speaker.claimant_id, None, carried.speaker.claimant_name
        )
        return Attribution(speaker, "carried_over")
    if _note_right_after(ctx, quote.close_mark + 1):
        return Attribution(Speaker("work"), "cited_source")
    paragraph = [s for s in ctx.sentences if s.paragraph_id == sentence.paragraph_id]
    topic = _topic_before(ctx, quote.open_mark)
    if topic is not None and topic.start >= paragraph[0].start:
        return Attribution(_resolve(ctx, topic), "paragraph_topic")
    if _next_note(ctx, quote.close_mark + 1, paragraph[-1].end):
        return Attribution(Speaker("work"), "next_note")
    for later in paragraph:
        topic = _sentence_topic(ctx, later) if later.start > quote.open_mark else None
        if topic is not None:
            return Attribution(_resolve(ctx, topic), "paragraph_topic")
    return Attribution(Speaker("unattributed"), "none")


def _previous_quote_end(ctx: Context, quote: Quote, sentence: Sentence) -> int:
    closes = [m.end() for m in re.finditer(r"[”\"]", ctx.text[sentence.start : quote.open_mark])]
    return sentence.start + closes[-1] if closes and len(closes) % 2 == 0 else sentence.start


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def _sentence_ids(ctx: Context, start: int, end: int) -> list[str]:
    return [s.sentence_id for s in ctx.sentences if s.start < end and start < s.end]


def _support(
    ctx: Context, start: int, end: int, paragraph_end: int, follow: bool
) -> tuple[str | None, str | None]:
    """The supporting note: first marker at or after the claim in its sentences, else the next one."""
    sentence_ends = [s.end for s in ctx.sentences if s.start < end and start < s.end]
    last_end = max(sentence_ends) if sentence_ends else end
    in_sentence = [f for o, f, _ in ctx.footnotes if start <= o <= last_end + 1]
    if in_sentence:
        return in_sentence[0], "marker_in_sentence"
    if follow:
        following = _next_note(ctx, last_end, paragraph_end)
        if following:
            return following, "next_marker_in_paragraph"
    return None, None


def _quote_rows(ctx: Context, paragraphs: dict[str, tuple[int, int]]) -> list[Row]:
    rows: list[Row] = []
    for p_start, p_end in paragraphs.values():
        carried: Attribution | None = None
        for quote in find_quotes(ctx.text, p_start, p_end):
            index = _sentence_at(ctx, quote.open_mark)
            if index < 0:
                continue
            sentence = ctx.sentences[index]
            quoted = ctx.text[quote.start : quote.end]
            row = _quote_row(ctx, quote, sentence, quoted, carried, p_end)
            if row.values["kind"] == "quotation":
                carried = row.values.pop("_attribution")  # type: ignore[assignment]
            row.values.pop("_attribution", None)
            rows.append(row)
    return rows


def _quote_row(
    ctx: Context, quote: Quote, sentence: Sentence, quoted: str, carried: Attribution | None, p_end: int
) -> Row:
    base: dict[str, object] = {
        "paragraph_id": sentence.paragraph_id,
        "sentence_id": sentence.sentence_id,
        "quote_char_start": quote.start,
        "quote_char_end": quote.end,
        "quoted_text": quoted,
    }
    if TITLE_INTRO.search(ctx.masked[sentence.start : quote.open_mark]):
        base |= {"kind": "title", "claimant_type": "unattributed", "attribution_rule": "none"}
        return _finish(ctx, base, quote.open_mark, quote.close_mark + 1, p_end, follow=False)
    window_start = max(sentence.start, _previous_quote_end(ctx, quote, sentence))
    has_verb = _verb_before(ctx, window_start, quote.open_mark) or _verb_after(ctx, quote)
    if _word_count(quoted) <= SCARE_QUOTE_MAX_WORDS and not has_verb:
        base |= {"kind": "scare_quote", "claimant_type": "unattributed", "attribution_rule": "none"}
        return _finish(ctx, base, quote.open_mark, quote.close_mark + 1, p_end, follow=False)
    attribution = _attribute_quote(ctx, quote, sentence, carried)
    start = min(
        x for x in (attribution.subject_start, attribution.verb_start, quote.open_mark) if x is not None
    )
    start = start if start >= sentence.start and start <= quote.open_mark else quote.open_mark
    end = max(quote.close_mark + 1, attribution.end or 0)
    base |= _speaker_values(attribution.speaker) | {
        "kind": "quotation",
        "attribution_rule": attribution.rule,
        "reporting_verb": attribution.verb,
        "_attribution": attribution,
    }
    if attribution.verb_start is not None and attribution.rule != "carried_over":
        base |= _verb_details(ctx, sentence, attribution.verb_start)
    follow = attribution.rule != "cited_source"
    return _finish(ctx, base, start, end, p_end, follow=follow)


def _verb_details(ctx: Context, sentence: Sentence, verb_start: int) -> dict[str, object]:
    verb = VERB_PATTERN.match(ctx.masked, verb_start)
    details: dict[str, object] = {}
    if verb is None:
        return details
    addressee = _addressee(ctx, sentence, verb)
    if addressee is not None:
        resolved = _resolve(ctx, addressee)
        details |= {"addressee_id": resolved.claimant_id, "addressee_name": resolved.claimant_name}
    date_text, date = _statement_date(ctx, sentence.start, verb_start)
    details |= {"statement_date_text": date_text, "statement_date": date}
    return details


def _speaker_values(speaker: Speaker) -> dict[str, object]:
    return {
        "claimant_type": speaker.claimant_type,
        "claimant_id": speaker.claimant_id,
        "claimant_text": speaker.claimant_text,
        "claimant_name": speaker.claimant_name,
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
            tail = ctx.masked[verb.end() : sentence.end]
            if not re.match(r"\s+(?:\w+ly\s+)?(?:(?:to\s+)?[^.;:]{0,80}?,?\s+)?that\b", tail):
                continue
            subject = _subject_of(ctx, verb.start(), sentence.start)
            if subject is None:
                continue
            speaker = _resolve(ctx, subject)
            values: dict[str, object] = {
                "kind": "reported_statement",
                "paragraph_id": sentence.paragraph_id,
                "sentence_id": sentence.sentence_id,
                "attribution_rule": "verb_subject",
                "reporting_verb": verb.group(),
                **_speaker_values(speaker),
                **_verb_details(ctx, sentence, verb.start()),
            }
            end = len(ctx.text[: sentence.end].rstrip())
            rows.append(_finish(ctx, values, subject.start, end, paragraphs[sentence.paragraph_id][1], True))
            break
    return rows


def _reported_span(ctx: Context, sentence: Sentence, position: int) -> bool:
    """True when a position lies in the complement of someone else's reporting verb (not parenthesised)."""
    before = ctx.masked[sentence.start : position]
    if before.count("(") > before.count(")"):
        return False
    for verb in VERB_PATTERN.finditer(ctx.masked, sentence.start, position):
        if verb.group() in SPEECH_VERBS + THOUGHT_VERBS and re.match(
            r"\s+(?:\w+\s+){0,6}?that\b", ctx.masked[verb.end() :]
        ):
            return True
    return False


def _assertion_rows(ctx: Context, paragraphs: dict[str, tuple[int, int]]) -> list[Row]:
    """Sentences where the author marks their own certainty with a cue outside quotes and reported speech."""
    rows: list[Row] = []
    for sentence in ctx.sentences:
        cues = [
            m
            for m in CUE_PATTERN.finditer(ctx.masked, sentence.start, sentence.end)
            if not _reported_span(ctx, sentence, m.start())
            and not (
                m.group().lower() == "clearly"
                and MANNER_CLEARLY.search(ctx.masked[sentence.start : m.start()])
            )
        ]
        if not cues:
            continue
        weakest = min(cues, key=lambda m: CERTAINTY_RANK[CUES[m.group().lower()]])
        end = len(ctx.text[: sentence.end].rstrip())
        values: dict[str, object] = {
            "kind": "author_assertion",
            "paragraph_id": sentence.paragraph_id,
            "sentence_id": sentence.sentence_id,
            "claimant_type": "document_author",
            "claimant_id": ctx.author_id,
            "attribution_rule": "author",
            "certainty": CUES[weakest.group().lower()],
            "cue": "; ".join(m.group() for m in cues),
            "cue_char_start": weakest.start(),
            "cue_char_end": weakest.end(),
        }
        rows.append(_finish(ctx, values, sentence.start, end, paragraphs[sentence.paragraph_id][1], False))
    return rows


def _subject_rows(ctx: Context, claim_id: str, row: Row) -> list[dict[str, object]]:
    """Persons mentioned in the claim's content (the quoted words, or the claim span), except its claimant."""
    values = row.values
    start = values.get("quote_char_start") or values["char_start"]
    end = values.get("quote_char_end") or values["char_end"]
    subjects: dict[str, dict[str, object]] = {}
    people = [c for c in ctx.candidates if c.entity_id and c.source != "work"]
    for candidate in people:
        if (
            start <= candidate.start
            and candidate.end <= end
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


def extract_claims(
    document_text: str,
    sentences: pl.DataFrame,
    mentions: pl.DataFrame,
    footnotes: pl.DataFrame,
    document_author_id: str,
    emphasis_spans: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """Quotations, reported statements and cued author assertions of one document's body.

    Returns {"claims", "claim_subjects", "claim_footnotes"}; claim IDs are "<document_id>:cNNN" in text
    order. ``emphasis_spans`` (optional) lets an italic title ("The New York Times wrote") be a claimant.
    """
    sentence_list = _sentences(sentences)
    if not sentence_list:
        return _empty()
    document_id = sentences["document_id"][0]
    body_end = max(s.end for s in sentence_list)
    paragraphs = _paragraph_spans(sentence_list)
    quotes = [q for start, end in paragraphs.values() for q in find_quotes(document_text, start, end)]
    masked = _mask(document_text, quotes)
    notes = footnotes.filter(pl.col("marker_offset").is_not_null()).sort("marker_offset")
    ctx = Context(
        text=document_text,
        masked=masked,
        document_id=document_id,
        author_id=document_author_id,
        sentences=sentence_list,
        candidates=_candidates(document_text, masked, mentions, body_end, _italic_spans(emphasis_spans)),
        names=_names(mentions),
        footnotes=list(notes.select("marker_offset", "footnote_id", "sentence_id").iter_rows()),
    )
    quote_rows = _quote_rows(ctx, paragraphs)
    rows = quote_rows + _reported_rows(ctx, quote_rows, paragraphs) + _assertion_rows(ctx, paragraphs)
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
        "claims": _frame(claims, CLAIM_COLUMNS),
        "claim_subjects": _frame(subjects, SUBJECT_COLUMNS),
        "claim_footnotes": _frame(claim_notes, CLAIM_FOOTNOTE_COLUMNS),
    }


INTEGER_COLUMNS = {
    "char_start",
    "char_end",
    "quote_char_start",
    "quote_char_end",
    "cue_char_start",
    "cue_char_end",
}


def _frame(rows: list[dict[str, object]], columns: list[str]) -> pl.DataFrame:
    schema = {c: pl.Int64 if c in INTEGER_COLUMNS else pl.String for c in columns}
    return pl.DataFrame([{c: r.get(c) for c in columns} for r in rows], schema=schema, orient="row")


def _empty() -> dict[str, pl.DataFrame]:
    return {
        "claims": _frame([], CLAIM_COLUMNS),
        "claim_subjects": _frame([], SUBJECT_COLUMNS),
        "claim_footnotes": _frame([], CLAIM_FOOTNOTE_COLUMNS),
    }


def link_claim_citations(claim_footnotes: pl.DataFrame, citations: pl.DataFrame) -> pl.DataFrame:
    """claim_citations: each claim joined to the citations of its supporting note (claim_id, citation_id)."""
    joined = claim_footnotes.select("claim_id", "footnote_id").join(
        citations.select("citation_id", "footnote_id", "work_id"), on="footnote_id", how="inner"
    )
    return (
        joined.select(CITATION_COLUMNS)
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
    """claim_subjects rows of subject_type "event": events whose span overlaps the claim span."""
    pairs = claims.select(
        "claim_id", pl.col("char_start").alias("c_start"), pl.col("char_end").alias("c_end")
    ).join(events.select("event_id", "char_start", "char_end"), how="cross")
    linked = pairs.filter((pl.col("char_start") < pl.col("c_end")) & (pl.col("c_start") < pl.col("char_end")))
    return linked.select(
        "claim_id",
        pl.lit("event").alias("subject_type"),
        pl.col("event_id").alias("subject_id"),
        pl.lit("overlaps_claim_span").alias("relation"),
        "char_start",
        "char_end",
        pl.lit(None, dtype=pl.String).alias("text"),
    ).sort("claim_id", "subject_id")
