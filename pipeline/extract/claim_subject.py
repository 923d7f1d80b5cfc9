"""Which candidate is the subject of a verb of saying or thinking.

The search skips prepositional objects, relative clauses, asides and possessors of non-reporting nouns,
climbs from a real apposition ("John Smith, the Deputy Chief, warned") to its head, and takes the source of
a document ("a note from X") or the subject of an infinitive ("I am directed by the President to inform
you") where the verb's own subject is no speaker. Who the subject then is (a person, a role, a document's
sender) is ``claim_resolution``'s job.
"""

from __future__ import annotations

import re

from pipeline.extract.claim_context import (
    Context,
    candidates_between,
)
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
    PREPOSITIONS,
    REPORTING_NOUNS,
    REPORTING_VERBS,
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
# "a reply from the Acting Secretary, of the 23d instant, stating": a date set off by commas is no clause.
DATE_ASIDE = re.compile(r",\s+(?:of|dated)\s+[^,;:]{1,40}$")
# Participles that go on with the speech of the clause before ("The Collector said that ..., adding:").
CONTINUING_PARTICIPLES = frozenset({"adding", "informing", "assuring", "reiterating", "concluding"})
POSSESSIVES = frozenset({"his", "her", "their"})
PERSONAL_PRONOUNS = frozenset({"he", "she"})
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
# A possessive and up to three words after it ("Smith’s last report").
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
    if candidate.source == "pronoun" and candidate.text.lower() in PERSONAL_PRONOUNS:
        later = [c for c in candidates if c.start >= candidate.end]
        if later and later[0].source not in ("pronoun", "writer", "addressee"):
            return _coordinated(ctx, candidates, later[0])  # "both he and X assured me", X in a phrase
    earlier = [c for c in candidates if c.end <= candidate.start]
    if not earlier or candidate.source in ("pronoun", "writer", "addressee"):
        return None
    first = earlier[-1]
    pronoun_first = first.source == "pronoun" and first.text.lower() in PERSONAL_PRONOUNS
    if (
        (first.source in ("pronoun", "writer", "addressee") and not pronoun_first)
        or first.kind not in ("person", "organisation")
        or candidate.kind not in ("person", "organisation")
        or not COORDINATED_SUBJECT.fullmatch(ctx.masked, first.end, candidate.start)
        or is_object_position(ctx, first)
        or PREPOSITION_BEFORE.search(ctx.masked, max(0, first.start - 60), first.start)
    ):
        return None
    text = ctx.text[first.start : candidate.end]
    # "both he and X assured me": a group whose first member is a pronoun, resolved with the group
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


def verb_before(ctx: Context, start: int, end: int) -> re.Match[str] | None:
    matches = list(VERB_PATTERN.finditer(ctx.masked, start, end))
    return matches[-1] if matches else None
