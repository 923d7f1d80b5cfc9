"""Who a candidate is and which candidate is the subject of a verb of saying or thinking.

Pronouns and role nouns resolve through sentence topics; surnames to the full name written nearby; "I" and
"we" to the writer of the words (a document's sender, else the paper's author). The subject search skips
prepositional objects, relative clauses and possessors of non-reporting nouns, and climbs from a real
apposition ("John Smith, the Deputy Chief, warned") to its head.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from pipeline.extract.claim_context import (
    Context,
    Speaker,
    candidates_between,
    inside_open_quotation,
    sentence_at,
)
from pipeline.extract.claim_names import body_member, other_nation, qualified_body_name, sender_type
from pipeline.extract.claim_phrases import (
    COORDINATED_SUBJECT,
    PREPOSITION_BEFORE,
    QUANTIFIERS,
    owns_document,
    phrase_head,
    second_object,
)
from pipeline.extract.claim_speakers import (
    FINITE_VERB,
    NON_NAME_WORDS,
    PREPOSITIONS,
    REPORTING_NOUNS,
    REPORTING_VERBS,
    SPEAKER_DOCUMENTS,
    SPEAKER_ROLES,
    SPEECH_VERBS,
    THOUGHT_VERBS,
    Candidate,
    preceding_word,
)

VERB_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True)) + r"|referred to as|"
    r"the (?:remark|thought|words?|comment|reply|statement)(?= that|:))\b"
)
# Whose a bare body is: "His Majesty's Government", "my Government", "this Government", "his Government".
# "a reply from the Acting Secretary, of the 23d instant, stating": a date set off by commas is no clause.
DATE_ASIDE = re.compile(r",\s+(?:of|dated)\s+[^,;:]{1,40}$")
# Participles that go on with the speech of the clause before ("The Collector said that ..., adding:").
CONTINUING_PARTICIPLES = frozenset({"adding", "informing", "assuring", "reiterating", "concluding"})
PLURAL_PRONOUNS = frozenset({"they", "their"})
POSSESSIVES = frozenset({"his", "her", "their"})
GROUP_DETERMINERS = frozenset({"its", "their", "his", "her", "the", "whose", "our", "many", "most"})
OWN_DOCUMENT = re.compile(
    r"\b([Yy]our|[Mm]y|[Oo]ur)\s+(?:[\w-]+\s+){0,2}?(?:despatch|dispatch|telegram|note|letter|instruction|"
    r"memorandum|report|cable|cablegram|communication|No\.)(?:\s+No\.?\s*[\d,]+|\s*\d+)?"
    r"(?:,?\s+of\s+[^;]{3,30}?)?,?\s*$"
)
DESCRIBED_BY = re.compile(r"\s*,\s+(?:a|an|the)\s+(?:[a-z-]+\s+){1,4}(?:of|in|at|for|to)\s+(?:the\s+)?")
APPOSITION_GAP = re.compile(
    r"\s*,\s*(?:(?:formerly|former|now|then|later|until recently|recently|also)\s+)?(?:the\s+)?"
)
PLACE_GAP = re.compile(r"\s+(?:in|at)\s+(?:the\s+)?")
RELATIVE_LINK = re.compile(r"\s*,?\s*(?:who|which)\s+(?:\w+ly\s+)?$")
COORDINATED_VERB = re.compile(r"\s*,?\s*and\s+(?:\w+ly\s+)?")
RELATIVE_CLAUSE = re.compile(r",\s+(?:who|whom|whose|which)\b[^,]*,")
# "X, in handing the note to me, expressed": an aside with a participle of its own holds no subject.
PARTICIPLE_ASIDE = re.compile(r",\s+(?:in|on|after|before|while|when|upon)\s+[a-z]+ing\b[^,]*,")
DOCUMENT_FROM_GAP = re.compile(r"\s+(?:from|of|by)\s+")
# A verb of saying right before a pronoun, with an optional "that" ("who said he", "told me that he").
GOVERNING_VERB = re.compile(r"\b\w+(?:\s+(?:me|him|her|us|them|you))?\s*,?\s+(?:that\s+)?$")
POSSESSIVE_MARK = re.compile(r"[’']s?((?:\s+[\w-]+){1,3})")
# "I am directed by the President to inform you", "he was instructed to state", "your excellency is pleased
# to inform me": the infinitive's subject is the subject before the form of "be", not the passive's agent.
DIRECTED_INFINITIVE = re.compile(
    r"\b(?:am|is|are|was|were|been|being)\s+(?:(?:\w+ly|now|also)\s+)*"
    r"(?:[a-z]+ed|pleased|good enough|kind enough|glad|happy|able)\b"
    r"(?:\s+by\s+[^,;:.]{1,80}?)?\s+to\s+$"
)
# "I have the honor to acknowledge ... and to inform you that", "I have the honour, under instructions from
# X, to inform you": the writer's infinitive of courtesy.
HONOR_INFINITIVE = re.compile(
    r"\b(?:I|[Ww]e)\s+have\s+(?:now\s+)?the\s+hono(?:u)?r(?:,[^,;:]{1,120},)?\s+to\b"
)


def full_name(ctx: Context, name: str, position: int) -> str:
    """The full name a surname stands for: the last one written before it ("Smith" after "John Smith"),
    else the first one after it, else the name itself."""
    if len(name.split()) > 1:
        return name
    written = ctx.full_names.get(re.split(r"[\s-]+", name)[-1], [])
    if not written:
        return name
    index = bisect.bisect_right(written, (position, "\uffff")) - 1
    return written[max(index, 0)][1]


def followed_by_verb(ctx: Context, candidate: Candidate) -> bool:
    return bool(FINITE_VERB.match(ctx.masked, candidate.end, candidate.end + 80))


MODALS = frozenset({"would", "will", "shall", "should", "may", "might", "can", "could", "must", "to"})


def is_object_position(ctx: Context, candidate: Candidate) -> bool:
    """A candidate right after a preposition or a past-tense verb is an object, not a subject."""
    if followed_by_verb(ctx, candidate):
        return False
    word = preceding_word(ctx.masked, candidate.start)
    if word.lower() in ("the", "a", "an"):
        # "has written to the Department": the word before the article decides
        word = preceding_word(ctx.masked, candidate.start - len(word) - 1)
    gap = ctx.masked[max(0, candidate.start - 3) : candidate.start]
    if "," in gap or "(" in gap:
        return False
    verb_start = ctx.masked.rfind(word, 0, candidate.start)
    governed = word.isalpha() and word.islower() and preceding_word(ctx.masked, verb_start).lower() in MODALS
    # "would ask Congress to grant", "to inform the Minister": a verb after a modal or "to" takes an object
    return (
        word.lower() in PREPOSITIONS
        or (word.endswith("ed") and word.islower())
        or word in SPEECH_VERBS
        or governed
    )


def possessed_noun(ctx: Context, candidate: Candidate) -> str | None:
    """The noun a possessive candidate owns ("Smith’s claim", "the Board’s last report" -> "claim", "report"):
    the first reporting noun among the next three words, else the next word; None without a possessive."""
    match = POSSESSIVE_MARK.match(ctx.masked, candidate.end, candidate.end + 60)
    if match is None:
        return None
    words = [word.lower() for word in match.group(1).split()]
    return next((word for word in words if word in REPORTING_NOUNS), words[0])


def resolve_speaker(ctx: Context, candidate: Candidate, depth: int = 0) -> Speaker:
    """Turn a candidate into a speaker, resolving pronouns and role nouns through sentence topics."""
    span = {"claimant_text": candidate.text, "claimant_start": candidate.start, "claimant_end": candidate.end}
    if candidate.entity_id and candidate.kind == "organisation":
        return Speaker("organisation", candidate.entity_id, claimant_name=candidate.text, **span)
    if candidate.entity_id:
        name = ctx.names.get(candidate.entity_id, candidate.text)
        kind = "document_author" if candidate.entity_id == ctx.author_id else "person"
        return Speaker(kind, candidate.entity_id, claimant_name=name, **span)
    if candidate.source == "work":
        return Speaker("work", None, claimant_name=candidate.text, **span)
    if candidate.source == "document":
        return Speaker(candidate.kind, None, claimant_name=candidate.name, **span)
    if candidate.source in ("addressee", "writer"):
        party = (addressee_at if candidate.source == "addressee" else writer_at)(ctx, candidate.start)
        party.claimant_text, party.claimant_start, party.claimant_end = (
            candidate.text,
            candidate.start,
            candidate.end,
        )
        return party
    if candidate.source == "pronoun" and candidate.text.lower() in PLURAL_PRONOUNS:
        body = _body_before(ctx, candidate.start)
        if body is not None:
            resolved = resolve_speaker(ctx, body, depth + 1)
            resolved.claimant_text, resolved.claimant_start, resolved.claimant_end = (
                candidate.text,
                candidate.start,
                candidate.end,
            )
            resolved.resolved = True
            return resolved
    if candidate.source == "group":
        return Speaker("group", claimant_name=candidate.text, **span)
    if candidate.text.lower() in PLURAL_PRONOUNS:
        return Speaker("group", **span)
    if candidate.source == "name" and candidate.kind == "organisation":
        member = body_member(ctx.text, candidate)
        if member is not None:
            return Speaker(member[0], None, claimant_name=member[1], **span)
    if candidate.source == "name":
        kind = "organisation" if candidate.kind == "organisation" else candidate.kind
        if SPEAKER_DOCUMENTS.get(candidate.text.lower()) == "document":
            kind = "document"  # "the Note reads as follows:": a capitalised document noun, not a person
        name = qualified_body_name(ctx.text, candidate, kind, candidate.name or candidate.text)
        person_id = None
        if kind == "person":
            name = full_name(ctx, name, candidate.start)
            person_id = _document_person(ctx, candidate)
        return Speaker(kind, person_id, claimant_name=name, **span)
    if depth > 6:
        return Speaker("unknown", **span)
    antecedent = topic_before(ctx, candidate.start, candidate.kind, pronoun=candidate.source == "pronoun")
    if antecedent is None and candidate.source == "role" and candidate.kind == "person":
        return Speaker("person", None, claimant_name=candidate.text, **span)  # "the Minister told me"
    if antecedent is None:
        return Speaker("unknown", **span)
    resolved = resolve_speaker(ctx, antecedent, depth + 1)
    if candidate.source == "role" and (
        _other_holder(ctx, candidate, antecedent, resolved)
        or other_nation(candidate.text, antecedent.text, resolved.claimant_name)
    ):
        return Speaker("person", None, claimant_name=candidate.text, **span)
    return Speaker(
        resolved.claimant_type,
        resolved.claimant_id,
        claimant_name=resolved.claimant_name,
        resolved=True,
        **span,
    )


def addressee_at(ctx: Context, position: int) -> Speaker:
    """Whom the words at a position address ("you"): the recipient of the document inside the paper that
    holds them, else nobody the rules know."""
    index = bisect.bisect_right(ctx.sender_starts, position) - 1
    if index >= 0 and position < ctx.senders[index][1]:
        recipient = ctx.recipients.get(ctx.senders[index][0])
        if recipient is not None:
            return Speaker("person", recipient[0], claimant_name=recipient[1])
    return Speaker("unknown")


def _body_before(ctx: Context, position: int) -> Candidate | None:
    """What "they" stands for: the last body named before it in the same document, within the five
    sentences before its own ("The Foreign Office ... They informed me that"); a group noun nearer, in the
    same sentence or the one before, is ("the opposition groups declare they"), unless its capitalised
    qualifier may be a sentence opener ("When historians")."""
    index = sentence_at(ctx, position)
    if index < 0:
        return None
    start = max(ctx.sentences[max(0, index - 5)].start, document_start(ctx, position))
    near = ctx.sentences[max(0, index - 1)].start
    for candidate in reversed(candidates_between(ctx, start, position)):
        if candidate.source == "group" and candidate.start >= near and not _opens_sentence(ctx, candidate):
            return candidate  # "the opposition groups declare they will not": the nearer group
        if candidate.kind == "organisation" and candidate.source in ("mention", "name"):
            coordinated = re.search(
                r"\b(?:and|or)\s+(?:the\s+)?$", ctx.masked[max(0, candidate.start - 9) : candidate.start]
            )
            return None if coordinated else candidate  # "X and the Committee ... They": several
    return None


def _opens_sentence(ctx: Context, candidate: Candidate) -> bool:
    """A group whose capitalised qualifier may be a sentence opener ("When historians")."""
    return " " in candidate.text and candidate.text.split()[0] in NON_NAME_WORDS


def document_start(ctx: Context, position: int) -> int:
    """Where the document inside the paper that holds a position starts (0 outside any)."""
    index = bisect.bisect_right(ctx.sender_starts, position) - 1
    if index >= 0 and position < ctx.senders[index][1]:
        return ctx.senders[index][0]
    return 0


def _other_holder(ctx: Context, role: Candidate, antecedent: Candidate, resolved: Speaker) -> bool:
    """Inside a letter or telegram, "The Consul adds" names its own speaker: a topic that is no linked
    person and does not hold that title ("the Legal Secretary", "the Foreign Service") is someone else."""
    if resolved.claimant_id or antecedent.entity_id or role.kind != "person":
        return False
    inside = writer_at(ctx, role.start).claimant_type in ("person", "organisation")
    title = role.text.split()[-1].lower()
    return inside and title not in (resolved.claimant_name or antecedent.text).lower()


def writer_at(ctx: Context, position: int) -> Speaker:
    """Who writes the words at a position: the sender of the document inside the paper that holds it, when
    the caller gave one, else the paper's author."""
    if ctx.block_writers:
        at = sentence_at(ctx, position)
        block = ctx.block_writers.get(ctx.sentences[at].paragraph_id) if at >= 0 else None
        if block is not None:
            return replace(block)
    index = bisect.bisect_right(ctx.sender_starts, position) - 1
    if index >= 0:
        start, end, sender_id, sender_name = ctx.senders[index]
        if start <= position < end and (sender_id or sender_name):
            return Speaker(sender_type(sender_name, sender_id), sender_id, claimant_name=sender_name)
        if start <= position < end:
            return Speaker("unknown")  # an enclosure whose writer the paper does not name
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


def _topic_eligible(candidate: Candidate, kind: str) -> bool:
    if candidate.text.lower() in PLURAL_PRONOUNS or candidate.text.lower() in POSSESSIVES:
        return False
    if kind == "work":
        return candidate.kind == "work"
    return candidate.kind == "person" and candidate.source not in ("work", "addressee")


def sentence_topic(
    ctx: Context, index: int, before: int | None = None, kind: str = "person"
) -> Candidate | None:
    """The first candidate of the wanted kind that is not in object position (the likely subject)."""
    if before is None and (index, kind) in ctx.topics:
        return ctx.topics[(index, kind)]
    sentence = ctx.sentences[index]
    limit = sentence.end if before is None else before
    eligible = [c for c in candidates_between(ctx, sentence.start, limit) if _topic_eligible(c, kind)]
    topic = next((c for c in eligible if followed_by_verb(ctx, c)), None)
    if topic is None:
        topic = next((c for c in eligible if not is_object_position(ctx, c)), None)
    if before is None:
        ctx.topics[(index, kind)] = topic
    return topic


def _governing_subject(ctx: Context, index: int, position: int) -> Candidate | None:
    """The subject of the verb of saying whose clause a pronoun opens ("Mr. X, who said he had seen",
    "the Minister told me that he would"): in indirect speech "he" is that speaker, not the sentence topic."""
    sentence = ctx.sentences[index]
    lead = GOVERNING_VERB.search(ctx.masked, max(sentence.start, position - 60), position)
    if lead is None:
        return None
    verb = VERB_PATTERN.match(ctx.masked, lead.start())
    if verb is None or verb.group() not in SPEECH_VERBS:
        return None
    subject = subject_of(ctx, verb.start(), sentence.start)
    return subject if subject is not None and _topic_eligible(subject, "person") else None


def _object_before(ctx: Context, index: int, opened: int, before: int | None = None) -> Candidate | None:
    """A person in object position in the sentence before ("I saw the Minister and informed him ... He
    declared"), or earlier in the pronoun's own sentence ("In conversation with the minister, the proposals
    were submitted to him, and he assured"): the antecedent when that sentence has no third-person subject
    of its own."""
    if index < 0 or ctx.sentences[index].end <= opened:
        return None
    sentence = ctx.sentences[index]
    if sentence.paragraph_id in ctx.framing or inside_open_quotation(ctx, sentence, sentence.start + 1):
        return None
    found = [
        c
        for c in candidates_between(ctx, max(sentence.start, opened), before or sentence.end)
        if _topic_eligible(c, "person")
        and c.source not in ("pronoun", "writer")
        and not (before is not None and _in_noun_phrase(ctx, c))
    ]
    return found[0] if len(found) == 1 else None


def _in_noun_phrase(ctx: Context, candidate: Candidate) -> bool:
    """ "the services of Major Keyser", "the Company's business": a name inside another noun phrase is not
    the person the writer spoke with."""
    return preceding_word(ctx.masked, candidate.start).lower() == "of" or bool(
        re.match(r"[’']s?\b", ctx.masked[candidate.end : candidate.end + 2])
    )


def topic_before(
    ctx: Context, position: int, kind: str = "person", pronoun: bool = False
) -> Candidate | None:
    """The most recent sentence topic before a position (same sentence first, then up to 5 back). A pronoun
    opening the clause of a verb of saying is that verb's subject; one whose previous sentence names a single
    person, in object position only, is that person."""
    index = sentence_at(ctx, position)
    if index < 0:
        return None
    if pronoun:
        governing = _governing_subject(ctx, index, position)
        if governing is not None and governing.source != "pronoun":
            return governing
    topic = sentence_topic(ctx, index, before=position, kind=kind)
    if topic is not None and topic.start < position:
        return topic
    opened = document_start(ctx, position)
    if pronoun and kind == "person":
        lone = _object_before(ctx, index, opened, before=position)
        if lone is not None:
            return lone
    for back in range(index - 1, max(-1, index - 6), -1):
        if ctx.sentences[back].end <= opened:
            break  # a pronoun does not reach into the document before its own
        earlier = ctx.sentences[back]
        if earlier.paragraph_id in ctx.framing or inside_open_quotation(ctx, earlier, earlier.start + 1):
            continue  # "The Minister in X (Y) to the Secretary of State" heads a letter; it is nobody's topic
        topic = sentence_topic(ctx, back, kind=kind)
        if topic is not None:
            return topic
        if pronoun and back == index - 1:
            lone = _object_before(ctx, back, opened)
            if lone is not None:
                return lone
    return None


COLON_BREAK = re.compile(r":\s")


def subject_of(ctx: Context, verb_start: int, window_start: int) -> Candidate | None:
    """The speaker of a reporting verb: nearest subject-like candidate before it in the same sentence, not
    across a semicolon (a clause of its own)."""
    window_start += ctx.masked[window_start:verb_start].rfind(";") + 1
    # "Your Excellency: The princes and ministers have the honor to inform": a salutation or lead-in before
    # a colon is no subject of the clause after it ("5:30 p.m." has no space after its colon).
    colons = [m.end() for m in COLON_BREAK.finditer(ctx.masked, window_start, verb_start)]
    window_start = colons[-1] if colons else window_start
    window = ctx.masked[window_start:verb_start]
    blanked = RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group()), window)
    blanked = PARTICIPLE_ASIDE.sub(lambda m: " " * len(m.group()), blanked)
    # "(Annex 1, Stad X, 1896)": a reference aside, not the subject; "(almost certainly X)" names it
    blanked = re.sub(r"\([^()]*\d[^()]*\)", lambda m: " " * len(m.group()), blanked)
    candidates = candidates_between(ctx, window_start, verb_start)
    verb = VERB_PATTERN.match(ctx.masked, verb_start)
    participle = verb is not None and verb.group().endswith("ing")
    thought = verb is not None and verb.group() in THOUGHT_VERBS
    own = re.search(r"\b(?:me|us)\s+(?:to\s+)?$", ctx.masked[max(window_start, verb_start - 12) : verb_start])
    own = (
        own
        if own is not None and (verb is None or verb.group().startswith("to ") or own.group().endswith("to "))
        else None
    )
    if own is not None:
        # "he authorizes me to say that": the writer says it.
        start = window_start + window.rfind(own.group().split()[0], 0, len(window))
        return Candidate(start, start + 2, ctx.text[start : start + 2], "writer", kind="writer")
    infinitive = _infinitive_subject(ctx, verb, verb_start, window_start)
    if infinitive is not None:
        return infinitive
    owned = (
        OWN_DOCUMENT.search(ctx.masked, max(window_start, verb_start - 120), verb_start)
        if participle
        else None
    )
    if owned is not None:
        # "your despatch No. 1139 of July 5, reporting that": the addressee reports; "my telegram, stating"
        source = "addressee" if owned.group(1).lower() == "your" else "writer"
        start = owned.start(1)
        return Candidate(start, owned.end(1), ctx.text[start : owned.end(1)], source, kind="person")
    if participle and verb is not None and not ctx.masked[verb_start - 2 : verb_start].strip(" \n,"):
        source = _document_source_before(ctx, candidates, verb_start)
        if source is not None:
            return source
        said = [
            v
            for v in VERB_PATTERN.finditer(ctx.masked, window_start, verb_start)
            if v.group() in SPEECH_VERBS
        ]
        if (
            said
            and not said[-1].group().endswith("ing")
            and (
                verb.group() in CONTINUING_PARTICIPLES
                or not re.match(r"\s+(?:[\w’'-]+\s+){0,3}?that\b", ctx.masked[said[-1].end() : verb_start])
            )
        ):
            # "The Collector said that ... so that Mexicans could buy them, adding:": the sayer adds; "X
            # objected to its ratification in view of the fact that ..., saying": X says it. After "I report
            # that the Minister called ..., explaining" the participle is the Minister's.
            return subject_of(ctx, said[-1].start(), window_start)
    for candidate in reversed(candidates):
        if RELATIVE_LINK.match(ctx.masked, candidate.end, verb_start):
            return _coordinated(ctx, candidates, candidate) or candidate  # "Messrs. X and Y who reported"
        if COORDINATED_VERB.fullmatch(ctx.masked, candidate.end, verb_start):
            # "I called on the Adviser, Mr. Smith, and advised him that": the name closes the first verb's
            # object; the subject of both verbs stands before it.
            continue
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
        reduced_relative = participle and not ctx.masked[candidate.end : verb_start].strip(" \n,")
        if candidate.source not in ("pronoun", "writer", "addressee") and not reduced_relative:
            # "a note from the Minister informing me": the participle's own noun, whatever governs it
            phrase = PREPOSITION_BEFORE.search(
                ctx.masked, max(window_start, candidate.start - 60), candidate.start
            )
            if phrase is not None and (phrase.group(1) or "").lower() not in QUANTIFIERS:
                if owns_document(candidates, phrase, candidate):
                    return candidate  # "The memorandum of the Department indicated": the Department's
                head = phrase_head(ctx, candidates, phrase, window_start, candidate.end)
                if head is not None:
                    return head
                continue
            if second_object(ctx, candidates, candidate):
                continue  # "the contract between X and Brazil ... reads": Brazil is no subject
        if candidate.text.lower() in POSSESSIVES or is_object_position(ctx, candidate):
            continue
        if preceding_word(ctx.masked, candidate.start).lower() in ("whom", "which", "whose") and re.search(
            r"\b[a-z]{3,}", ctx.masked[candidate.end : verb_start]
        ):
            # "The President to whom I conveyed the reply indicated that": the relative clause's subject,
            # with a verb of its own; "to which Tonner replied" keeps Tonner.
            continue
        if candidate.kind == "document" and thought:
            # Documents do not think: 'a despatch labeled "..."' is the document named, not speaking.
            continue
        if (
            candidate.source == "group"
            and not followed_by_verb(ctx, candidate)
            and preceding_word(ctx.masked, candidate.start).lower() not in GROUP_DETERMINERS
            and not _heads_subject_phrase(ctx, candidates, candidate)
        ):
            continue
        possessed = possessed_noun(ctx, candidate)
        if possessed is not None and possessed not in REPORTING_NOUNS:
            continue
        return _coordinated(ctx, candidates, candidate) or _head_of(ctx, candidates, candidate)
    return None


AUXILIARY_AFTER = re.compile(r"\s+(?:(?:have|has|had|were|was|are|is|will|would)\s+)?(?:\w+ly\s+)?")


def _heads_subject_phrase(ctx: Context, candidates: list[Candidate], candidate: Candidate) -> bool:
    """ "members of his Government have stated": a group noun heading an "of" phrase whose object is
    followed by the verb."""
    after = [c for c in candidates if c.start >= candidate.end]
    if not after or re.fullmatch(r"\s+of\s+(?:the\s+)?", ctx.masked[candidate.end : after[0].start]) is None:
        return False
    last = after[0]
    for following in after[1:]:  # "of his Government": the possessive and its noun
        if ctx.masked[last.end : following.start].strip():
            break
        last = following
    auxiliary = AUXILIARY_AFTER.match(ctx.masked, last.end)
    return followed_by_verb(ctx, last) or VERB_PATTERN.match(ctx.masked, auxiliary.end()) is not None


def _infinitive_subject(
    ctx: Context, verb: re.Match[str] | None, verb_start: int, window_start: int
) -> Candidate | None:
    """The subject of an infinitive of saying: the writer after "I have the honor to ... and to inform you",
    the passive's subject in "I am directed by the President to inform you" (not its agent)."""
    before_end = verb_start + 3 if verb is not None and verb.group().startswith("to ") else verb_start
    if ctx.masked[max(window_start, before_end - 3) : before_end] != "to ":
        return None
    directed = DIRECTED_INFINITIVE.search(ctx.masked, max(window_start, before_end - 140), before_end)
    if directed is not None:
        return subject_of(ctx, directed.start(), window_start)
    honor = HONOR_INFINITIVE.search(ctx.masked, window_start, before_end)
    if honor is not None and not re.search(r"[;:]", ctx.masked[honor.end() : before_end]):
        first = honor.group().split()[0]
        return Candidate(honor.start(), honor.start() + len(first), first, "writer", kind="writer")
    return None


def _coordinated(ctx: Context, candidates: list[Candidate], candidate: Candidate) -> Candidate | None:
    """Two subjects joined by "and" ("the Ambassador of Italy and the Minister of Ecuador informed"): a
    group of both, not the second alone."""
    earlier = [c for c in candidates if c.end <= candidate.start]
    if not earlier or candidate.source in ("pronoun", "writer", "addressee"):
        return None
    first = earlier[-1]
    if (
        first.source in ("pronoun", "writer", "addressee")
        or first.kind not in ("person", "organisation")
        or candidate.kind not in ("person", "organisation")
        or not COORDINATED_SUBJECT.fullmatch(ctx.masked, first.end, candidate.start)
        or is_object_position(ctx, first)
        or PREPOSITION_BEFORE.search(ctx.masked, max(0, first.start - 60), first.start)
    ):
        return None
    text = ctx.text[first.start : candidate.end]
    return Candidate(first.start, candidate.end, text, "group", kind="group", name=text)


def _document_source_before(ctx: Context, candidates: list[Candidate], verb_start: int) -> Candidate | None:
    """A reduced relative after a document and its source ("a note from the Spanish minister of state
    informing me that"): the source speaks, else the document."""
    for index in range(len(candidates) - 1, -1, -1):
        document = candidates[index]
        if verb_start - document.end > 80:
            return None
        if document.source != "document":
            continue
        gap = DATE_ASIDE.sub("", ctx.masked[document.end : verb_start].rstrip(" \n,"))
        if not DOCUMENT_FROM_GAP.match(gap) or re.search(r"[,;:]|\.\s", gap):
            return None  # "a note from the chargé, stating that": one comma before the participle only
        inside = [c for c in candidates[index + 1 :] if c.kind in ("person", "organisation")]
        return inside[0] if inside else document
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
    for earlier_head in reversed(earlier[-3:]):
        # "Mr. Oishi, a former leader of the Kenseikai Party, asks": the body describes the person
        if (
            earlier_head.kind == "person"
            and earlier_head.source in ("mention", "name")
            and DESCRIBED_BY.fullmatch(ctx.masked, earlier_head.end, candidate.start)
        ):
            return earlier_head
    return candidate


def _describes(ctx: Context, candidate: Candidate, gap: str) -> bool:
    """An apposition describes the name before it: a role or title ("John Smith, the Deputy Chief ...,"),
    not another name (", Truman declared" after "a letter to Helen Avery")."""
    if candidate.source == "role" or gap.rstrip().endswith(("the", "The")):
        return True
    first = candidate.text.split()[0].lower().rstrip(".") if candidate.text.split() else ""
    return first in SPEAKER_ROLES or first in ("the", "a", "an")
