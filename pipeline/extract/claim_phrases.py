"""The noun phrases around a subject candidate: a name inside a prepositional phrase is no subject of a
verb of saying; the phrase's head speaks when it is a role, body, group or document noun ("The chiefs of the
missions of this Government", "The Vice Consul at X", "Paragraph 12 of the Regulations"), a document's
owner after "of", "from" or "by" speaks for it, and the second of two names in a phrase is no subject.
"""

from __future__ import annotations

import re

from pipeline.extract.claim_context import Context
from pipeline.extract.claim_speakers import (
    GROUP_WORDS,
    QUOTED_DOCUMENT_WORDS,
    SPEAKER_BODIES,
    SPEAKER_DOCUMENTS,
    SPEAKER_ROLES,
    Candidate,
)

# A candidate inside a prepositional phrase ("the chiefs of the missions of this Government informed",
# "Article I of the treaty with Ruritania provides"): the head word, the preposition, a determiner or title.
PREPOSITION_BEFORE = re.compile(
    r"(?:\b([\w’'-]+)(?:\s+(?:No\.\s*)?(?:\d+\w*|[IVXLC]+\b))?\s+)?\b(of|with|to|from|for|at|in|on|by|between|among|against|upon)\s+"
    r"(?:(?:the|this|that|these|those|his|her|its|their|our|your|my|said|Messrs\.|Mr\.|Mrs\.|Dr\.)\s+)?"
    r"(?:(?:two|three|four|five|both|several|other|various|respective)\s+)?$"
)
# "most of the delegates said": the delegates speak.
DOCUMENT_PARTICIPLES = frozenset("received sent signed transmitted forwarded".split())
QUANTIFIERS = frozenset("most many some all one none each several few both any either neither part".split())
# The noun phrase a head word opens: its determiner and modifiers before it ("The leading merchants").
HEAD_PHRASE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Oo]ur|[Yy]our|[Mm]y)"
    r"(?:\s+[\w’'-]+){0,3}?\s+$"
)
# "the Ambassador of Italy and the Minister of Ecuador informed": both speak.
COORDINATED_SUBJECT = re.compile(r"\s*,?\s+and\s+(?:the\s+)?")


def phrase_head(
    ctx: Context,
    candidates: list[Candidate],
    phrase: re.Match[str],
    window_start: int,
    end: int,
    depth: int = 0,
) -> Candidate | None:
    """The noun phrase a name inside "of ..." belongs to, when its head is a speaker noun no candidate holds
    ("The chiefs of the missions of this Government", "Article 1 of the decree", "the committee of the
    Council"): a group, a role, a body or a document; None when the head speaks for nobody ("the
    intervention on behalf of X")."""
    word = phrase.group(1)
    if phrase.group(2) not in ("of", "at", "in", "for", "to") or word is None:
        return None
    head_start = phrase.start(1)
    if any(c.start <= head_start < c.end for c in candidates):
        return None  # the head is a candidate of its own; the search reaches it next
    lower = word.lower()
    singular = lower[:-1] if lower.endswith("s") and not lower.endswith("ss") else lower
    plural = singular != lower
    body = SPEAKER_BODIES.get(singular.capitalize())
    if singular in SPEAKER_ROLES and SPEAKER_ROLES[singular] == "person":
        source, kind = ("group", "group") if plural else ("name", "person")
    elif lower in GROUP_WORDS:
        source, kind = "group", "group"
    elif body == "organisation":
        source, kind = ("group", "group") if plural else ("name", "organisation")
    elif phrase.group(2) != "of":
        return None  # a posting ("the Consul at X") makes a role or body speak, nothing else
    elif body == "document" or singular in SPEAKER_DOCUMENTS or singular in QUOTED_DOCUMENT_WORDS:
        source, kind = "document", "document"
    else:
        source = kind = ""
    opener = HEAD_PHRASE.search(ctx.masked, max(window_start, head_start - 40), head_start)
    start = opener.start() if opener is not None else head_start
    # "the chiefs of the foreign missions of X", "The chief of the press section of X": the phrase may
    # itself hang on a speaker noun, which speaks rather than the inner one
    outer = PREPOSITION_BEFORE.search(ctx.masked, max(window_start, start - 60), start)
    if depth < 3 and outer is not None and outer.group(2) == "of":
        if outer.group(1) and any(c.start <= outer.start(1) < c.end for c in candidates):
            return None  # the outer head is a candidate ("The chief of the section of X"); it comes next
        up = phrase_head(ctx, candidates, outer, window_start, end, depth + 1)
        if up is not None or not source:
            return up
    if not source:
        return None
    text = ctx.text[start:end]
    return Candidate(start, end, text, source, kind=kind, name=text)


def owns_document(candidates: list[Candidate], phrase: re.Match[str], candidate: Candidate) -> bool:
    """A person or body after "of", "from" or "by" whose head is a document names the document's source."""
    if phrase.group(1) is None or phrase.group(2) not in ("of", "from", "by"):
        return False
    head = next((c for c in candidates if c.start <= phrase.start(1) < c.end), None)
    if head is None and phrase.group(1) in DOCUMENT_PARTICIPLES and phrase.group(2) in ("from", "by"):
        # "a telegram received from Consul-General X says": the document before the participle
        head = next(
            (
                c
                for c in candidates
                if c.end <= phrase.start(1) and not phrase.string[c.end : phrase.start(1)].strip()
            ),
            None,
        )
    return (
        head is not None
        and (head.source == "document" or head.kind == "document")
        and candidate.kind in ("person", "organisation")
    )


def second_object(ctx: Context, candidates: list[Candidate], candidate: Candidate) -> bool:
    """The second of two names joined by "and" when the first stands in a prepositional phrase."""
    earlier = [c for c in candidates if c.end <= candidate.start]
    if not earlier or not COORDINATED_SUBJECT.fullmatch(ctx.masked, earlier[-1].end, candidate.start):
        return False
    first = earlier[-1]
    return PREPOSITION_BEFORE.search(ctx.masked, max(0, first.start - 60), first.start) is not None
