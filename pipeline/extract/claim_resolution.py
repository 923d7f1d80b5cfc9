"""Who a candidate is: the person, body or document a name, pronoun or role stands for.

Pronouns and role nouns resolve through sentence topics ("This official" always to the person before it,
whatever the office); surnames to the full name written nearby, a titled one ("President Smith") to the
name printed with that title, never to a relative's; "he and X" names both; "I" and "we" to the writer of
the words (a document's sender, else the paper's author). Which candidate is the subject of a verb of
saying or thinking is found by ``claim_subject``.
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
from pipeline.extract.claim_names import (
    body_member,
    other_nation,
    other_title,
    qualified_body_name,
    sender_type,
)
from pipeline.extract.claim_speakers import (
    NON_NAME_WORDS,
    SPEAKER_DOCUMENTS,
    SPEAKER_ROLES,
    SPEECH_VERBS,
    Candidate,
    preceding_word,
)
from pipeline.extract.claim_subject import (
    POSSESSIVES,
    VERB_PATTERN,
    followed_by_verb,
    is_object_position,
    subject_of,
)

PLURAL_PRONOUNS = frozenset({"they", "their"})
# "This official", "that gentleman": a role that points back to the person just named, whatever the office.
DEMONSTRATIVE = re.compile(r"[Tt]h(?:is|at)\s")
# A group whose first member is a personal pronoun ("he and Laleau").
PRONOUN_CONJUNCT = re.compile(r"(he|she)\s*,?\s+and\b", re.IGNORECASE)
# A verb of saying right before a pronoun, with an optional "that" ("who said he", "told me that he").
GOVERNING_VERB = re.compile(r"\b\w+(?:\s+(?:me|him|her|us|them|you))?\s*,?\s+(?:that\s+)?$")


def full_name(ctx: Context, name: str, position: int, title: str | None = None) -> str:
    """The full name a surname stands for: the last one written before it ("Smith" after "John Smith"),
    else the first one after it, else the name itself. A titled surname ("President Smith") takes a full
    name written with the same title; else, when the paper writes the surname with two given names, it is
    kept: the office, not the last relative named, says who it is."""
    if len(name.split()) > 1:
        return name
    written = ctx.full_names.get(re.split(r"[\s-]+", name)[-1], [])
    if title is not None:
        same = [
            (start, full)
            for start, full in written
            if full.split()[0].lower() == title.lower() or ctx.text.startswith(title + " ", start)
        ]
        if same:
            written = same
        elif len(_given_initials(written)) > 1:
            return name
    if not written:
        return name
    index = bisect.bisect_right(written, (position, "\uffff")) - 1
    return written[max(index, 0)][1]


def _given_initials(written: list[tuple[int, str]]) -> set[str]:
    """The initials of the given names a surname is written with ("Juan", "J." -> J), titles left out."""
    return {
        full[0]
        for _, full in written
        if full[:1].isupper()
        and full.split()[0].lower().rstrip(".") not in SPEAKER_ROLES
        and not re.fullmatch(r"[A-Z][a-z]{1,3}\.", full.split()[0])  # "Mr.", "Gen.": honorifics
    }


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
        return Speaker("group", claimant_name=_group_name(ctx, candidate, depth), **span)
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
            title = candidate.text.split()[0] if len(candidate.text.split()) > len(name.split()) else None
            name = full_name(ctx, name, candidate.start, title)
            person_id = _document_person(ctx, candidate)
        return Speaker(kind, person_id, claimant_name=name, **span)
    if depth > 6:
        return Speaker("unknown", **span)
    demonstrative = candidate.source == "role" and DEMONSTRATIVE.match(candidate.text) is not None
    antecedent = topic_before(
        ctx, candidate.start, candidate.kind, pronoun=candidate.source == "pronoun" or demonstrative
    )
    if antecedent is None and candidate.source == "role" and candidate.kind == "person":
        return Speaker("person", None, claimant_name=candidate.text, **span)  # "the Minister told me"
    if antecedent is None:
        return Speaker("unknown", **span)
    resolved = resolve_speaker(ctx, antecedent, depth + 1)
    if candidate.source == "role" and (
        (demonstrative and resolved.claimant_type == "unknown")  # "This official", never named
        or (
            not demonstrative
            and (
                _other_holder(ctx, candidate, antecedent, resolved)
                or other_nation(candidate.text, antecedent.text, resolved.claimant_name)
                or other_title(candidate.text, antecedent.text, resolved.claimant_name)
            )
        )
    ):
        return Speaker("person", None, claimant_name=candidate.text, **span)
    return Speaker(
        resolved.claimant_type,
        resolved.claimant_id,
        claimant_name=resolved.claimant_name,
        resolved=True,
        **span,
    )


def _group_name(ctx: Context, group: Candidate, depth: int) -> str:
    """ "he and Laleau": a coordinated group opening with a pronoun is named with whom the pronoun stands
    for, so the group names both its members."""
    first = PRONOUN_CONJUNCT.match(group.text)
    if first is None or depth > 6:
        return group.text
    pronoun = Candidate(group.start, group.start + first.end(1), first.group(1), "pronoun", kind="person")
    resolved = resolve_speaker(ctx, pronoun, depth + 1)
    if resolved.claimant_type != "person" or not resolved.claimant_name:
        return group.text
    return resolved.claimant_name + group.text[first.end(1) :]


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


def _topic_eligible(candidate: Candidate, kind: str, ctx: Context | None = None) -> bool:
    """A candidate that can be a sentence topic of the wanted kind; for a person, also a body's one member
    ("The Foreign Office spokesman said ... Such a policy, he says, ...")."""
    if candidate.text.lower() in PLURAL_PRONOUNS or candidate.text.lower() in POSSESSIVES:
        return False
    if kind == "work":
        return candidate.kind == "work"
    if ctx is not None and candidate.kind == "organisation" and candidate.source == "name":
        member = body_member(ctx.text, candidate)
        return member is not None and member[0] == "person"
    return candidate.kind == "person" and candidate.source not in ("work", "addressee")


# A verb of saying or thinking with its "that": what follows is the clause said or thought.
CLAUSE_OF_SAYING = re.compile(VERB_PATTERN.pattern + r"\s*,?\s+(?:[\w’'-]+,?\s+){0,3}?that\b")


def sentence_topic(
    ctx: Context, index: int, before: int | None = None, kind: str = "person"
) -> Candidate | None:
    """The first candidate of the wanted kind that is not in object position (the likely subject)."""
    if before is None and (index, kind) in ctx.topics:
        return ctx.topics[(index, kind)]
    sentence = ctx.sentences[index]
    limit = sentence.end if before is None else before
    eligible = [c for c in candidates_between(ctx, sentence.start, limit) if _topic_eligible(c, kind, ctx)]
    said = CLAUSE_OF_SAYING.search(ctx.masked, sentence.start, limit)
    main = [c for c in eligible if said is not None and c.end <= said.start()]
    if main:
        eligible = main  # "He believed that Mussolini had ...": the topic is who believed, not Mussolini
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
    return subject if subject is not None and _topic_eligible(subject, "person", ctx) else None


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
        if _topic_eligible(c, "person", ctx)
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
