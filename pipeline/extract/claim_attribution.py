"""Who a quotation belongs to: the attribution rules in the codebook's order (according to, verb
subject or passive agent, possessive, verb after the quote, the supporting note's sender, the previous
sentence's speaker, the carried speaker, the cited source, the paragraph's topic), and the addressee and
date of the statement.
"""

from __future__ import annotations

import bisect
import re

from pipeline.extract.claim_context import (
    Attribution,
    Context,
    Quote,
    Sentence,
    Speaker,
    candidates_between,
    next_note,
    note_right_after,
    sentence_at,
    word_count,
)
from pipeline.extract.claim_documents import (
    document_in_clause,
    document_source,
    lead_in_colon,
    lead_in_document,
    relayed_lead_in,
)
from pipeline.extract.claim_resolution import (
    full_name,
    resolve_speaker,
    sentence_topic,
    topic_before,
    writer_at,
)
from pipeline.extract.claim_speakers import (
    REPORTING_NOUNS,
    SPEAKER_BODIES,
    Candidate,
)
from pipeline.extract.claim_subject import (
    POSSESSIVE_MARK,
    VERB_PATTERN,
    followed_by_verb,
    possessed_noun,
    subject_of,
    verb_before,
)
from pipeline.text.months import FULL_MONTH_NAMES

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
# "According to X", "in the words of X in a recent speech": X's words.
ACCORDING_TO = re.compile(r"\b(?:[Aa]ccording to|[Ii]n the (?:very |exact )?words of)\s+(?:the\s+)?$")
# "it is stated that", "it was reported that": an unnamed source takes over from a carried speaker.
IMPERSONAL_REPORT = re.compile(
    r"\b[Ii]t\s+(?:is|was|has been|had been)\s+(?:\w+ly\s+|also\s+)?"
    r"(?:stated|said|reported|alleged|claimed|asserted|declared|charged|announced)\b"
)
PASSIVE_BEFORE = re.compile(r"\b(?i:am|is|are|was|were|be|been|being)\s+(?:(?:\w+ly|not|now|also|just)\s+)?$")
OBJECT_PRONOUN = re.compile(r"(?:him|her)\b")
PASSIVE_AGENT = re.compile(r"\s+by\s+")
# An instruction to pass words on: "Please say to X:", "You may inform X as follows:".
RELAYED = re.compile(
    r"(?:^|[.:;)]\s+|\d+\.\s+|\n)(?:[Pp]lease\s+|[Yy]ou\s+(?:may|will|should|can|are to)\s+(?:\w+ly\s+)?)$"
)
# "X heard from Y that ...": the words are Y's, not X's.
HEARSAY_VERBS = frozenset({"heard", "learned", "learnt"})
HEARD_FROM = re.compile(r"\s+from\s+")
# "guidance from the Board that", "the statement by the Minister last night that": the noun's source.
NOUN_SOURCE = re.compile(r"\b(\w+)\s+(?:from|by)\s+(?:the\s+)?$")
NOUN_SOURCE_GAP = re.compile(r"(?:\s+[\w’'-]+){0,3}?\s*(?:that|:|,)?\s*")


def addressee_of(
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
        for candidate in candidates_between(ctx, verb.end(), limit + 1):
            if candidate.source in ("mention", "role") or (
                candidate.source == "name" and candidate.kind == "person"
            ):
                return candidate
    intro = ADDRESSEE_INTRO.search(ctx.masked, sentence.start, verb.start())
    if intro:
        for candidate in candidates_between(ctx, intro.end(), verb.start()):
            if candidate.source in ("mention", "role") or (
                candidate.source == "name" and candidate.kind == "person"
            ):
                return candidate
    return None


def statement_date_of(ctx: Context, start: int, end: int) -> tuple[str | None, str | None]:
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


def verb_after(ctx: Context, quote: Quote, sentence: Sentence) -> tuple[re.Match[str], Candidate] | None:
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
    heads = [c for c in candidates_between(ctx, tail_start, tail_start + 60) if c.start == tail_start + lead]
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


def _verb_subject(ctx: Context, verb: re.Match[str], sentence: Sentence, quote: Quote) -> Attribution | None:
    """The subject of a reporting verb before the quote: before the verb, its passive agent or, for a
    participle clause ("Acknowledging that ..., he questioned"), the subject after the clause."""
    hearsay = HEARD_FROM.match(ctx.masked, verb.end(), verb.end() + 12)
    if verb.group() in HEARSAY_VERBS and hearsay is not None:
        told_by = _right_after(ctx, hearsay.end(), quote.open_mark)
        if told_by is not None:
            return Attribution(
                resolve_speaker(ctx, told_by), "verb_subject", verb.group(), verb.start(), told_by.start
            )
    agent = PASSIVE_AGENT.match(ctx.masked, verb.end(), verb.end() + 8)
    if agent is not None:
        after = candidates_between(ctx, agent.end(), quote.open_mark)
        if after and after[0].start == agent.end():
            return Attribution(
                resolve_speaker(ctx, after[0]), "passive_agent", verb.group(), verb.start(), verb.start()
            )
        if OBJECT_PRONOUN.match(ctx.masked, agent.end()):
            # "was told by him that": the pronoun's antecedent, as for "he"
            antecedent = topic_before(ctx, agent.end())
            if antecedent is not None:
                speaker = resolve_speaker(ctx, antecedent)
                speaker.resolved = True
                return Attribution(speaker, "passive_agent", verb.group(), verb.start(), verb.start())
    if not verb.group().endswith("ing") and PASSIVE_BEFORE.search(
        ctx.masked, max(sentence.start, verb.start() - 30), verb.start()
    ):
        return None  # "I have been told that ...": the subject heard the words; nobody here says them
    subject = subject_of(ctx, verb.start(), sentence.start)
    if subject is None and RELAYED.search(ctx.masked, max(sentence.start, verb.start() - 40), verb.start()):
        # "Please say to the President for me:", "You may inform X as follows:": the writer's own words,
        # which the addressee is to pass on.
        writer = writer_at(ctx, verb.start())
        if writer.claimant_type != "document_author":
            return Attribution(writer, "document_sender", verb.group(), verb.start(), carries=False)
    if subject is not None:
        rule = "possessive" if possessed_noun(ctx, subject) in REPORTING_NOUNS else "verb_subject"
        return Attribution(resolve_speaker(ctx, subject), rule, verb.group(), verb.start(), subject.start)
    inverted = _right_after(ctx, verb.end(), quote.open_mark)
    if inverted is not None:
        return Attribution(
            resolve_speaker(ctx, inverted), "verb_subject", verb.group(), verb.start(), verb.start()
        )
    if verb.group()[:1].isupper() or verb.group().endswith("ing"):
        after = [c for c in candidates_between(ctx, verb.end(), sentence.end) if c.start > quote.close_mark]
        follows = [c for c in after if followed_by_verb(ctx, c)]
        if follows:
            return Attribution(resolve_speaker(ctx, follows[0]), "clause_subject", verb.group(), verb.start())
    return None


def _right_after(ctx: Context, position: int, limit: int) -> Candidate | None:
    """A candidate standing right after a position (an inverted subject: ', said the Gazette,')."""
    for candidate in candidates_between(ctx, position, min(limit, position + 80)):
        gap = ctx.masked[position : candidate.start]
        return candidate if re.fullmatch(r"\s*(?:the\s+)?", gap) else None
    return None


def attribute_quote(
    ctx: Context, quote: Quote, sentence: Sentence, carried: Attribution | None
) -> Attribution:
    """Who the quoted words belong to; tries the rules in the codebook's order."""
    window_start = max(sentence.start, _previous_quote_end(ctx, quote, sentence))
    according = according_to(ctx, sentence, quote)
    if according is not None:
        after = according.speaker.claimant_end
        verb = verb_before(ctx, after, quote.open_mark) if after and after < quote.open_mark else None
        found = _verb_subject(ctx, verb, sentence, quote) if verb is not None else None
        if found is not None and found.subject_start is not None and found.subject_start >= after:
            return found  # "according to the paper, Dr. Grau wrote: “...”": the paper reports, Grau speaks
        return according
    relayed = relayed_lead_in(ctx, quote, sentence)
    if relayed is not None:
        return relayed  # "You are instructed to hand to X the following note:": the writer's words
    verb = verb_before(ctx, window_start, quote.open_mark)
    if verb is None and window_start > sentence.start:
        verb = verb_before(ctx, sentence.start, quote.open_mark)
    if verb is not None:
        found = _verb_subject(ctx, verb, sentence, quote)
        colon = lead_in_colon(ctx, quote, sentence) if found is not None else None
        source = None
        if colon is not None and verb.end() < colon:
            source = document_source(ctx, verb.end(), colon)
        if source is not None:
            # "I have the honor to inform you of the receipt of a note from X, as follows:": X's note
            return Attribution(resolve_speaker(ctx, source), "lead_in_document", carries=False)
        if found is not None and found.speaker.claimant_type == "document":
            # "The order demanded ..." with a note citing "Memorandum from X": the document is X's.
            return _note_sender(ctx, quote, sentence) or found
        if found is not None:
            return found
    possessive = _possessive_speaker(ctx, sentence, quote)
    if possessive is not None:
        return possessive
    after = verb_after(ctx, quote, sentence)
    if after is not None:
        verb_match, subject = after
        return Attribution(
            resolve_speaker(ctx, subject),
            "verb_after_quote",
            verb_match.group(),
            verb_match.start(),
            end=subject.end,
        )
    sender = _note_sender(ctx, quote, sentence)
    if sender is not None:
        return sender
    lead_in = lead_in_document(ctx, quote, sentence)
    if lead_in is not None:
        return lead_in
    previous = _previous_sentence_speaker(ctx, quote, sentence)
    if previous is not None:
        return previous
    if (
        carried is not None
        and carried.speaker.claimant_type != "unknown"
        and not _new_source_named(ctx, carried, quote)
    ):
        speaker = Speaker(
            carried.speaker.claimant_type, carried.speaker.claimant_id, None, carried.speaker.claimant_name
        )
        return Attribution(speaker, "carried_over")
    if note_right_after(ctx, quote.close_mark + 1):
        return Attribution(Speaker("work"), "cited_source")
    first, last = ctx.paragraph_sentences[sentence.paragraph_id]
    named = document_in_clause(ctx, quote, sentence)
    if writer_at(ctx, quote.open_mark).claimant_type != "document_author":
        # Inside a letter or telegram, quoted words are mostly documents' texts and terms, not the words of
        # the person the paragraph is about: no guess from the topic (2 of 10 right in a dev-corpus sample).
        return named or Attribution(Speaker("unknown"), "none")
    topic = topic_before(ctx, quote.open_mark)
    if topic is not None and topic.start >= ctx.sentences[first].start:
        return Attribution(resolve_speaker(ctx, topic), "paragraph_topic")
    if next_note(ctx, quote.close_mark + 1, ctx.sentences[last].end):
        return Attribution(Speaker("work"), "next_note")
    for index in range(first, last + 1):
        later = ctx.sentences[index]
        topic = sentence_topic(ctx, index) if later.start > quote.open_mark else None
        if topic is not None:
            return Attribution(resolve_speaker(ctx, topic), "paragraph_topic")
    return named or Attribution(Speaker("unknown"), "none")


def _new_source_named(ctx: Context, carried: Attribution, quote: Quote) -> bool:
    """Whether a speaker other than the carried one is named as a subject between the quotation that set
    it and this one: then the carried speaker stops ('Smith wrote "...". His source predicted ... "..."')."""
    if carried.anchor is None:
        return False
    if IMPERSONAL_REPORT.search(ctx.masked, carried.anchor, quote.open_mark):
        return True
    for candidate in candidates_between(ctx, carried.anchor, quote.open_mark):
        if candidate.source not in ("mention", "name", "document") or not followed_by_verb(ctx, candidate):
            continue
        speaker = resolve_speaker(ctx, candidate)
        if (speaker.claimant_id, speaker.claimant_name) != (
            carried.speaker.claimant_id,
            carried.speaker.claimant_name,
        ) and not (speaker.claimant_id and speaker.claimant_id == carried.speaker.claimant_id):
            return True
    return False


def according_to(ctx: Context, sentence: Sentence, quote: Quote) -> Attribution | None:
    """ "According to X, ..." before the quote in its sentence, or right after it."""
    for candidate in candidates_between(ctx, sentence.start, sentence.end):
        near = candidate.start < quote.open_mark or candidate.start - quote.close_mark <= 20
        if near and ACCORDING_TO.search(
            ctx.masked, max(sentence.start, candidate.start - 20), candidate.start
        ):
            return Attribution(
                resolve_speaker(ctx, candidate), "according_to", "according to", candidate.start - 13
            )
    return None


def _possessive_speaker(ctx: Context, sentence: Sentence, quote: Quote) -> Attribution | None:
    """ "X's memo called it ...", "X's claim that ... would be "..."": the possessor of a reporting noun."""
    for candidate in reversed(candidates_between(ctx, sentence.start, quote.open_mark)):
        source = NOUN_SOURCE.search(ctx.masked, max(sentence.start, candidate.start - 40), candidate.start)
        if (
            source is not None
            and source.group(1).lower() in REPORTING_NOUNS
            and NOUN_SOURCE_GAP.fullmatch(ctx.masked, candidate.end, quote.open_mark)
        ):
            # "policy guidance from the Board that "..."": the noun's source speaks.
            speaker = resolve_speaker(ctx, candidate)
            return Attribution(speaker, "possessive", subject_start=candidate.start, carries=False)
        if possessed_noun(ctx, candidate) not in REPORTING_NOUNS:
            continue
        noun = POSSESSIVE_MARK.match(ctx.masked, candidate.end, candidate.end + 60)
        between = ctx.masked[noun.end() : quote.open_mark]
        if re.search(r"\bthat\b", between) or VERB_PATTERN.search(between) or word_count(between) <= 3:
            return Attribution(resolve_speaker(ctx, candidate), "possessive", subject_start=candidate.start)
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
    return Attribution(Speaker("person", None, None, full_name(ctx, sender, quote.open_mark)), "note_sender")


def _previous_sentence_speaker(ctx: Context, quote: Quote, sentence: Sentence) -> Attribution | None:
    """A quotation that opens its sentence continues the speaker of the previous sentence's reporting verb
    ("The Gazette expressed more skepticism. "Since ..."")."""
    if ctx.masked[sentence.start : quote.open_mark].strip():
        return None
    index = sentence_at(ctx, sentence.start)
    first, _ = ctx.paragraph_sentences[sentence.paragraph_id]
    if index <= first:
        return None
    previous = ctx.sentences[index - 1]
    verbs = [v for v in VERB_PATTERN.finditer(ctx.masked, previous.start, previous.end)]
    if not verbs:
        return None
    subject = subject_of(ctx, verbs[-1].start(), previous.start)
    if subject is None:
        return None
    speaker = resolve_speaker(ctx, subject)
    if speaker.claimant_type == "unknown":
        return None  # a pronoun the rules cannot resolve: the speaker carried from before may hold
    return Attribution(speaker, "previous_sentence", verbs[-1].group())


def _previous_quote_end(ctx: Context, quote: Quote, sentence: Sentence) -> int:
    closes = [m.end() for m in re.finditer(r"[”\"]", ctx.text[sentence.start : quote.open_mark])]
    return sentence.start + closes[-1] if closes and len(closes) % 2 == 0 else sentence.start
