"""The claim rows of quotations (including titles and scare quotes) and reported statements, with
their supporting note, span and sentence IDs.
"""

from __future__ import annotations

import bisect
import re

from pipeline.extract.claim_attribution import (
    according_to,
    addressee_of,
    attribute_quote,
    statement_date_of,
    verb_after,
)
from pipeline.extract.claim_context import (
    Attribution,
    Context,
    Quote,
    Row,
    Sentence,
    attribution_scope,
    candidates_between,
    content_end,
    find_quotes,
    inside_open_quotation,
    next_note,
    overlapping_sentences,
    quoted_term,
    sentence_at,
    sentence_ids_between,
    word_count,
)
from pipeline.extract.claim_resolution import resolve_speaker
from pipeline.extract.claim_speakers import (
    SPEECH_VERBS,
    Candidate,
    preceding_word,
)
from pipeline.extract.claim_subject import VERB_PATTERN, subject_of, verb_before
from pipeline.vocab import alternation, load_words

TITLE_INTRO = re.compile(r"\b(?:[Ee]ntitled|[Tt]itled|[Hh]eadlined),?\s*$")
# "a copy of an act, “to define, regulate and punish trading with the enemy ...”": a law named by the
# infinitive of its long title.
LAW_BEFORE = re.compile(
    r"\b(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hat|[Ss]aid)\s+(?:[Aa]ct|[Bb]ill|[Ll]aw|[Ss]tatute),?\s*$"
)
NOT_REPORTED_STATEMENT = frozenset(load_words("non_statement_verbs"))
NON_STATEMENT_VERB = re.compile(r"\b(?:" + alternation(NOT_REPORTED_STATEMENT) + r")\b")
# A modal before a verb of saying with a subject other than the writer: what may or will be said.
MODAL_BEFORE = re.compile(
    r"(?<!\bI )(?<!\bwe )(?<!\bWe )\b(?:will|shall|would|may|might|could|should|can)\s+"
    r"(?:\w+ly\s+|also\s+|then\s+)?$"
)
# What the addressee is to do ("you may then submit the outline, stating that"): nothing said yet.
ADDRESSEE_TO_DO = re.compile(r"\b[Yy]ou\s+(?:may|will|should|shall|can|are to|must)\b")
# "insists that the ship, when repaired, shall be chartered": a demand, not a statement.
DEMAND_VERBS = frozenset({"insist", "insists", "insisted", "insisting"})
DEMANDED = re.compile(
    r"[^.;:]{0,80}?(?:\b(?:shall|should|must)\b|(?<!would )(?<!will )(?<!could )(?<!might )(?<!may )\bbe\b)"
)
# Verbs that say only with a "that" right after them: "maintained that", not "maintained prompt payment".
AMBIGUOUS_SAYING = frozenset({"maintained", "maintains", "held", "holds", "observed", "observes", "noted"})
DIRECT_THAT = re.compile(r"\s*,?\s*(?:\w+ly\s+)?(?:\([^()]{0,40}\)\s*)?(?:,\s*)?that\b")
# Case-blind: a telegram's "Am informed that ..." drops its "I".
PASSIVE_AUXILIARY = re.compile(
    r"\b(?i:am|is|are|was|were|be|been|being)\s+"
    r"(?:(?:\w+ly|not|now|also|further|again|just|already|today|since|then|heretofore|so|doubtless)\s+){0,3}$"
)
# A past participle with its auxiliary left out: "if not already advised that", "as reported in", "as
# having acknowledged that": nobody here says it.
ELIDED_PASSIVE = re.compile(
    r"\b(?:[Aa]s|[Ii]f|[Uu]nless|[Ww]hen|[Aa]s having)\s+(?:(?:not|\w+ly|already)\s+){0,3}$"
)
# An instruction to the addressee ("You are directed to inform", "You will state"): nothing said yet.
INSTRUCTED = re.compile(
    r"\b[Yy]ou\s+(?:(?:are|were|will be)\s+(?:(?:also|hereby|now|therefore|accordingly|\w+ly)\s+)?"
    r"(?:directed|instructed|requested|authorized|authorised|desired|asked)\b[^.;]{0,240}?(?:\bto\s+)?"
    r"|(?:will|should|may|must|are to|shall)\s+(?:\w+ly\s+|also\s+|then\s+)?)$"
)
# "so that", "such that": a clause of purpose or result, not what was said.
# "I think it is safe to say that", "needless to say": an impersonal infinitive of saying reports nobody's
# words; the sentence is the writer's own judgement.
IMPERSONAL_SAY = re.compile(
    r"\b(?:safe|fair|true|correct|accurate|needless|suffice it|is|was)\s+(?:to\s+(?:\w+ly\s+)?)?$"
)
# "X was requested to inform you": asked to say, not said ("has been instructed to state" is said).
REQUESTED_TO = re.compile(
    r"\b(?:was|were|has been|have been|had been|is|are)\s+(?:\w+ly\s+)?"
    r"(?:requested|asked)\b[^.;:]{0,80}?\s+$"
)
# "The Government instructed its Ambassador, Signor X, to call upon M. Y and to state that": an instruction.
INSTRUCTED_OTHER = re.compile(
    r"\b(?:instructed|directed|asked|requested|urged|instructing|directing|asking|requesting|urging)\s+"
    r"(?!to\b|me\b|us\b)(?:(?!\bI\b|\b[Ww]e\b)[^;:]){1,100}?\s+$"
)
# "The Department hesitates to declare that", "declined to state that": an infinitive of saying after a
# verb of holding back reports nothing said.
HELD_BACK = re.compile(r"\b(?:hesitat\w*|declin\w*|refus\w*|unable|reluctant|unwilling)\b[^.;:]{0,60}?\s$")
# A participle with its agent and no auxiliary: "the sentiments expressed by your excellency", a
# telegram's "Department informed by Legation at La Paz that": passive, its agent (if any) says it.
BARE_PASSIVE = re.compile(r"\s+by\s")
# "Keeley has just reported by telephone that": an active perfect, "by" a means.
PERFECT_BEFORE = re.compile(r"\b(?i:has|have|had|having)\s+(?:\w+ly\s+|just\s+|not\s+|also\s+){0,2}$")
# Verbs whose hearer is their object: "that" right after them and before a lone noun with a preposition is a
# determiner ("I informed that legation in official note"), not a clause ("informed that his Government had").
HEARER_VERBS = frozenset({"told", "tells", "informed", "informs", "to inform", "informing", "reminded"})
THAT_DETERMINER = re.compile(
    r"\s+that\s+[a-z][\w’'-]*(?:\s+(?:in|of|on|at|by|with|to|for|from|as|and)\b|\s*[,.;:])"
)
# "explained the circumstances that might prevent me": "that" right before a verb after a noun object is a
# relative pronoun; no clause of saying follows.
RELATIVE_THAT = re.compile(
    r"\s+(?:the|a|an|this|these|those|its|his|her|their|all|any|some)\s+(?:[a-z][\w’'-]*\s+){0,3}?"
    r"that\s+(?:(?:[a-z]+ly|also|not)\s+)?(?:would|will|could|might|may|must|should|can|is|are|was|were|has|have|"
    r"had|[a-z]+ed)\b"
)
# "the opinion expressed in the instruction that", "the hope expressed by ... that": a participle after a
# noun of opinion describes that noun's words, not a statement by the sentence's subject.
NOUN_BEFORE_PARTICIPLE = re.compile(
    r"\b(?:opinion|view|views|hope|hopes|wish|wishes|desire|fear|fears|belief|conviction|sentiment|sentiments|"
    r"statement|assurance|assurances)\s+$"
)
# "to have it said that", "having it stated that": nobody is said to have said it.
CAUSED_SAYING = re.compile(r"\b(?:have|has|had|having)\s+it\s+$")
NOT_COMPLEMENT = re.compile(r"\b(?:so|such|now|provided|except)\s+that\b")
# A negated verb of saying reports no statement: "the council has never conceded that ...".
NEGATED = re.compile(r"\b(?:not|never|n[’']t)\s+(?:(?:\w+ly|yet|ever|been|have|has)\s+)?$")
SCARE_QUOTE_MAX_WORDS = 2
# Words mentioned as words, whatever their length: 'the so-called "..."', 'the so-called tax "..."',
# 'the words "..."'.
MENTIONED_WORDS = re.compile(
    r"\b(?:[Ss]o-called(?:\s+[a-z]+){0,2}|(?:known|designated)\s+as(?:\s+the)?|"
    r"[Tt]he\s+(?:[a-z]+\s+)?(?:words?|terms?|phrases?|expressions?|wording)"
    r"(?:\s+(?:beginning|ending|reading|used))?|(?:of|by)\s+(?:the\s+)?phrase(?:\s+beginning)?|"
    r"(?:substituted|exchanged)\s+for|"
    r"(?:insertion|substitution|deletion|omission|addition)(?:\s+of)?(?:\s+the)?(?:\s+words?)?|"
    r"(?:insert|inserting|substitute|substituting|delete|deleting|omit|omitting|strike out|striking out|"
    r"eliminate|eliminating)"
    r"(?:\s+the\s+words?)?)\s*$"
)
# A short quote counts as governed by a reporting verb only within this many characters after it.
SCARE_QUOTE_VERB_WINDOW = 150


def _support(
    ctx: Context, start: int, end: int, paragraph_end: int, follow: bool
) -> tuple[str | None, str | None]:
    """The supporting note: first marker at or after the claim in its sentences, else the next one."""
    sentence_ends = [s.end for s in overlapping_sentences(ctx, start, end)]
    last_end = max(sentence_ends) if sentence_ends else end
    index = bisect.bisect_left(ctx.footnote_offsets, start)
    if index < len(ctx.footnotes) and ctx.footnote_offsets[index] <= last_end + 1:
        return ctx.footnotes[index][1], "marker_in_sentence"
    if follow:
        following = next_note(ctx, last_end, paragraph_end)
        if following:
            return following, "next_marker_in_paragraph"
    return None, None


def quotation_rows(ctx: Context, paragraphs: dict[str, tuple[int, int]], units: list[list[str]]) -> list[Row]:
    """Quotations paragraph by paragraph; a lead-in and the blocks that go on it carry a speaker as one."""
    rows: list[Row] = []
    for unit in units:
        carried: Attribution | None = None
        unit_end = paragraphs[unit[-1]][1]
        for paragraph_id in unit:
            p_start, p_end = paragraphs[paragraph_id]
            for quote in find_quotes(ctx.text, p_start, p_end):
                index = sentence_at(ctx, quote.open_mark)
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


# What ends the reach of a verb of saying over a short quotation: a clause break, or a relative clause still
# open at the quotation ("complained to the authorities, who instituted proceedings for “disturbing the
# peace”": the relative clause's verb governs it).
CLAUSE_BREAK = re.compile(r"[;:]|\s[–—]\s|,\s+(?:who|whom|which)\b(?=[^,]*$)")
OPEN_RELATIVE = re.compile(r",\s+(?:who|whom|which)\b[^,;:]*$")


def _quote_row(
    ctx: Context, quote: Quote, own_sentence: Sentence, quoted: str, carried: Attribution | None, p_end: int
) -> Row:
    """One quotation's row; ``p_end`` ends its paragraph, or the run of blocks it belongs to."""
    sentence = attribution_scope(ctx, own_sentence)
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
    heading = ctx.text[content_end(ctx.text, p_end) - 1 : p_end][:1] not in (
        ".",
        "?",
        "!",
        "”",
        '"',
        ":",
        ";",
    )
    law_title = quoted.startswith("to ") and LAW_BEFORE.search(
        ctx.masked, max(sentence.start, quote.open_mark - 30), quote.open_mark
    )
    if (
        (title_cased(quoted) and not heading)
        or law_title
        or TITLE_INTRO.search(ctx.masked, max(sentence.start, quote.open_mark - 30), quote.open_mark)
    ):
        base |= {"kind": "title"} | unattributed
        return finish_row(ctx, base, quote.open_mark, quote.close_mark + 1, p_end, follow=False)
    if MENTIONED_WORDS.search(ctx.masked, max(sentence.start, quote.open_mark - 30), quote.open_mark):
        base |= {"kind": "scare_quote"} | unattributed
        return finish_row(ctx, base, quote.open_mark, quote.close_mark + 1, p_end, follow=False)
    # The window may reach back over an earlier quotation: the verb that governs a clause governs every
    # quotation in it ('he believed that "the mechanics" would be "difficult"'), up to a clause break.
    near_start = max(sentence.start, quote.open_mark - SCARE_QUOTE_VERB_WINDOW)
    near_start += ctx.masked[near_start : quote.open_mark].rfind("(") + 1
    breaks = list(re.finditer(CLAUSE_BREAK, ctx.masked[near_start : quote.open_mark]))
    near_start += breaks[-1].end() if breaks else 0
    has_verb = (
        verb_before(ctx, near_start, quote.open_mark)
        or verb_after(ctx, quote, sentence)
        or according_to(ctx, sentence, quote)
    )
    if (word_count(quoted) <= SCARE_QUOTE_MAX_WORDS or heading) and not has_verb:
        base |= {"kind": "scare_quote"} | unattributed
        return finish_row(ctx, base, quote.open_mark, quote.close_mark + 1, p_end, follow=False)
    governing = verb_before(ctx, sentence.start, quote.open_mark)
    if (
        quoted_term(quoted)
        and governing is not None
        and OPEN_RELATIVE.search(ctx.masked, governing.end(), quote.open_mark)
        and not (verb_after(ctx, quote, sentence) or according_to(ctx, sentence, quote))
    ):
        base |= {"kind": "scare_quote"} | unattributed  # the relative clause's own verb holds the phrase
        return finish_row(ctx, base, quote.open_mark, quote.close_mark + 1, p_end, follow=False)
    attribution = attribute_quote(ctx, quote, sentence, carried)
    if quoted_term(quoted) and _writers_own(ctx, attribution):
        base |= {"kind": "scare_quote"} | unattributed  # "I do not consider my presence “essential”"
        return finish_row(ctx, base, quote.open_mark, quote.close_mark + 1, p_end, follow=False)
    if attribution.speaker.claimant_type == "unknown" and attribution.verb is None and quoted_term(quoted):
        # A short phrase no rule gives a source is a term quoted, not somebody's words.
        base |= {"kind": "scare_quote"} | unattributed
        return finish_row(ctx, base, quote.open_mark, quote.close_mark + 1, p_end, follow=False)
    start = min(
        x for x in (attribution.subject_start, attribution.verb_start, quote.open_mark) if x is not None
    )
    start = start if start >= own_sentence.start and start <= quote.open_mark else quote.open_mark
    end = max(quote.close_mark + 1, attribution.end or 0)
    base |= speaker_values(attribution) | {
        "kind": "quotation",
        "reporting_verb": attribution.verb,
        "_attribution": attribution,
    }
    if attribution.verb_start is not None and attribution.rule not in ("carried_over", "according_to"):
        subject_before = (
            attribution.subject_start is not None and attribution.subject_start < attribution.verb_start
        )
        base |= verb_details(ctx, sentence, attribution.verb_start, subject_before)
    follow = attribution.rule != "cited_source"
    return finish_row(ctx, base, start, end, p_end, follow=follow)


def _writers_own(ctx: Context, attribution: Attribution) -> bool:
    """A subject that is the writer ("I", "we", "this Consulate General", "this report"): a short phrase the
    writer quotes in their own clause is a term set off, not somebody's words ("we have heard of such an
    “understanding”")."""
    speaker = attribution.speaker
    if attribution.rule != "verb_subject" or speaker.claimant_start is None:
        return False
    if speaker.claimant_text in ("I", "we", "We"):
        return True
    return preceding_word(ctx.masked, speaker.claimant_start) in ("this", "This") or (
        speaker.claimant_text or ""
    ).startswith(("this ", "This "))


def title_cased(quoted: str) -> bool:
    """A quoted title of an act, a proclamation or an article: four or more words, every word of four or more
    letters capitalised, and no sentence end ("Rules for the Safety and Lighting of the Harbours")."""
    words = re.findall(r"[A-Za-z][\w’'-]*", quoted)
    content = [word for word in words if len(word) > 3]
    return (
        len(words) >= 4
        and bool(content)
        and all(word[0].isupper() for word in content)
        and not quoted.rstrip(" ,").endswith((".", "?", "!", "…"))
    )


def verb_details(
    ctx: Context, sentence: Sentence, verb_start: int, subject_before: bool = True
) -> dict[str, object]:
    verb = VERB_PATTERN.match(ctx.masked, verb_start)
    details: dict[str, object] = {}
    if verb is None:
        return details
    addressee = addressee_of(ctx, sentence, verb, subject_before)
    if addressee is not None:
        resolved = resolve_speaker(ctx, addressee)
        details |= {"addressee_id": resolved.claimant_id, "addressee_name": resolved.claimant_name}
    date_text, date = statement_date_of(ctx, sentence.start, verb_start)
    details |= {"statement_date_text": date_text, "statement_date": date}
    return details


def speaker_values(attribution: Attribution) -> dict[str, object]:
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


def finish_row(
    ctx: Context, values: dict[str, object], start: int, end: int, p_end: int, follow: bool
) -> Row:
    footnote_id, rule = _support(ctx, start, end, p_end, follow)
    values |= {
        "document_id": ctx.document_id,
        "char_start": start,
        "char_end": end,
        "text": ctx.text[start:end],
        "footnote_id": footnote_id,
        "footnote_rule": rule,
    }
    return Row(values, sentence_ids_between(ctx, start, end))


THAT_CLAUSE = re.compile(r"\s+(?:\w+ly\s+)?(?:(?:to\s+)?[^.;:]{0,80}?,?\s+)?that\b")
# An infinitive between the verb and "that" owns the clause: "warned the consuls to tell travellers that" is
# an instruction, not the subject's statement ("wrote to him that", "said to the press that" stay statements).
# A finite verb between them does too: in "told me of a risk of conflict it is possible that ..." the clause
# is the writer's, not what was told.
OTHER_CLAUSE = re.compile(
    r"\b(?:is|was|are|were|has|have|had|will|would|shall|should|can|could|may|might|must|whether|if)\b|"
    r"\bto\s+(?!(?:him|her|them|me|us|you|it|the|a|an|this|that|these|those|his|its|their|our|my|your|all|"
    r"each|every|both|some|any|one|two|three|several|many|such)\b)[a-z]+"
)


# A noun of saying between the verb and "that" owns the clause: in "which explains the statement in your note
# that ..." or "I note the assurance of the Minister that ..." the clause is the note's or the Minister's,
# not the verb's subject's; "your" gives it to the addressee, another owner ("of the Minister", "made by
# officials", "in the press") leaves it unread. Without an owner the noun is the subject's own ("expressed
# the view that", "reiterated the assurance that"; "lamented the fact that").
CONTENT_NOUN = re.compile(
    r"\b(?:statement|assertion|assurance|allegation|contention|report|rumou?r|news|information|suggestion|"
    r"opinion|impression|view|understanding|declaration|intimation|hint)s?\b",
    re.IGNORECASE,
)
NOUN_OWNER = re.compile(r"\s+(?:of|in|from|by|made by|contained in|received from)\s+\S")
# A that-clause in the subjunctive asks for something ("asking that the bridge be repaired", "urged that
# the duty be halved"): a proposal, not a statement.
SUBJUNCTIVE = re.compile(
    r"\s+(?:(?!(?:would|will|could|can|may|might|must|should|shall|to|not|is|are|was|were|has|have|had)\b)"
    r"[\w’'-]+,?\s+){1,5}?be\b"
)


def _instructs_another(ctx: Context, sentence: Sentence, verb_start: int) -> bool:
    """An active verb of instructing before the infinitive ("instructed its Ambassador to state"), not a
    passive one ("I am now directed by the Prime Minister to inform you" is the writer's statement)."""
    found = INSTRUCTED_OTHER.search(ctx.masked, max(sentence.start, verb_start - 120), verb_start)
    return found is not None and not re.search(
        r"\b(?i:am|is|are|was|were|be|been|being)\b[^.;:]{0,20}$",
        ctx.masked[max(sentence.start, found.start() - 30) : found.start()],
    )


def _no_clause_of_saying(ctx: Context, sentence: Sentence, verb: re.Match[str]) -> bool:
    """The "that" after the verb opens no clause of what was said: a determiner after a verb whose object is
    its hearer, a relative pronoun after a noun object, or the verb is a participle describing a noun of
    opinion, or "have it said"."""
    before = ctx.masked[max(sentence.start, verb.start() - 30) : verb.start()]
    if verb.group() in HEARER_VERBS and THAT_DETERMINER.match(ctx.masked, verb.end(), sentence.end):
        return True
    return bool(
        RELATIVE_THAT.match(ctx.masked, verb.end(), sentence.end)
        or (
            verb.group().endswith("ed")
            and NOUN_BEFORE_PARTICIPLE.search(before)
            and not BARE_PASSIVE.match(ctx.masked, verb.end())  # "the view expressed by X that": X's
        )
        or CAUSED_SAYING.search(before)
    )


def passive_agent(ctx: Context, verb: re.Match[str], limit: int) -> Candidate | None:
    """The agent of a passive verb of saying ("I have been informed by the legal adviser that"): a person or
    body right after "by"."""
    agent = re.compile(r"\s+(?:\w+ly\s+)?by\s+(?:the\s+)?").match(ctx.masked, verb.end(), limit)
    if agent is None:
        return None
    for candidate in candidates_between(ctx, agent.end(), limit):
        usable = candidate.source not in ("pronoun", "writer", "addressee") and candidate.kind != "work"
        return candidate if candidate.start == agent.end() and usable else None
    return None


def _reported_row(
    ctx: Context,
    sentence: Sentence,
    verb: re.Match[str],
    speaker: Candidate,
    rule: str,
    start: int,
    paragraphs: dict[str, tuple[int, int]],
    details: dict[str, object] | None = None,
) -> Row:
    """One reported statement: ``speaker`` said, by ``rule``, what runs from ``start`` to the sentence end."""
    attribution = Attribution(resolve_speaker(ctx, speaker), rule, verb.group(), verb.start())
    values: dict[str, object] = {
        "kind": "reported_statement",
        "paragraph_id": sentence.paragraph_id,
        "sentence_id": sentence.sentence_id,
        "reporting_verb": verb.group(),
        **speaker_values(attribution),
        **(details or {}),
    }
    end = content_end(ctx.text, sentence.end)
    return finish_row(ctx, values, start, end, paragraphs[sentence.paragraph_id][1], True)


def reported_statement_rows(
    ctx: Context, quote_rows: list[Row], paragraphs: dict[str, tuple[int, int]]
) -> list[Row]:
    """Speech verb + "that" clause without a quotation of the same speaker in the sentence."""
    quoted_sentences = {sid for r in quote_rows if r.values["kind"] == "quotation" for sid in r.sentence_ids}
    rows: list[Row] = []
    for sentence in ctx.sentences:
        if sentence.sentence_id in quoted_sentences or inside_open_quotation(
            ctx, sentence, sentence.start + 1
        ):
            continue  # a quoted letter running over several paragraphs: its writer's, not this one's
        for verb in VERB_PATTERN.finditer(ctx.masked, sentence.start, sentence.end):
            if verb.group() not in SPEECH_VERBS or verb.group() in NOT_REPORTED_STATEMENT:
                continue
            clause = THAT_CLAUSE.match(ctx.masked, verb.end(), sentence.end)
            if (
                clause is None
                or OTHER_CLAUSE.search(clause.group()[: re.search(r"\bthat\b", clause.group()).start()])
                or SUBJUNCTIVE.match(ctx.masked, clause.end(), sentence.end)
            ):
                continue
            if NEGATED.search(ctx.masked, max(sentence.start, verb.start() - 30), verb.start()):
                continue
            that_end = verb.end() + re.search(r"\bthat\b", clause.group()).start()
            if any(
                later.group() in SPEECH_VERBS
                for later in VERB_PATTERN.finditer(ctx.masked, verb.end(), that_end)
            ) or NON_STATEMENT_VERB.search(ctx.masked, verb.end(), that_end):
                continue  # "inform you of a note from X informing me that", "reporting ... and requests that"
            if MODAL_BEFORE.search(ctx.masked, max(sentence.start, verb.start() - 25), verb.start()) or (
                verb.group().endswith("ing")
                and ADDRESSEE_TO_DO.search(ctx.masked, sentence.start, verb.start())
            ):
                continue  # "Your excellency will observe that", "you may then submit ..., stating": not said
            if verb.group() in DEMAND_VERBS and DEMANDED.match(ctx.masked, clause.end(), sentence.end):
                continue  # "insists that the ship ... shall be chartered": a demand
            if (
                verb.group() in AMBIGUOUS_SAYING
                and not DIRECT_THAT.match(ctx.masked, verb.end(), that_end + 4)
                and not CONTENT_NOUN.search(ctx.masked, verb.end(), that_end)
                and not re.search(r"\b(?:position|attitude|stand)\b", ctx.masked[verb.end() : that_end])
            ):
                continue  # "has maintained prompt payment ... and that": kept up, not said
            if NOT_COMPLEMENT.search(clause.group()) or _no_clause_of_saying(ctx, sentence, verb):
                continue
            that_at = verb.end() + re.search(r"\bthat\b", clause.group()).start()
            noun = CONTENT_NOUN.search(ctx.masked, verb.end(), that_at)
            if noun is not None:
                owner = next(
                    (c for c in candidates_between(ctx, verb.end(), that_at) if c.source == "addressee"), None
                )
                if owner is not None:
                    # "the statement in your note that ...": the addressee's words
                    rows.append(
                        _reported_row(ctx, sentence, verb, owner, "possessive", owner.start, paragraphs)
                    )
                    break
                if NOUN_OWNER.match(ctx.masked, noun.end(), that_at):
                    continue  # "confirmed the statement of the Minister that": the Minister's
            if ELIDED_PASSIVE.search(ctx.masked, max(sentence.start, verb.start() - 30), verb.start()):
                continue
            impersonal = IMPERSONAL_SAY.search(
                ctx.masked, max(sentence.start, verb.start() - 30), verb.start()
            )
            if impersonal and (verb.group().startswith("to ") or impersonal.group().rstrip().endswith("to")):
                continue
            if INSTRUCTED.search(ctx.masked, max(sentence.start, verb.start() - 260), verb.start()):
                continue  # "You are also directed ... to inquire": what the addressee is to do
            held = HELD_BACK.search(ctx.masked, max(sentence.start, verb.start() - 80), verb.start())
            if (
                verb.group().startswith("to ")
                and held is not None
                and not NEGATED.search(ctx.masked, max(sentence.start, held.start() - 20), held.start())
            ):
                continue  # "hesitates ... to declare that": not said
            passive = not verb.group().endswith("ing") and (
                PASSIVE_AUXILIARY.search(ctx.masked, max(sentence.start, verb.start() - 40), verb.start())
                or (
                    verb.group().endswith("ed")
                    and BARE_PASSIVE.match(ctx.masked, verb.end())
                    and not PERFECT_BEFORE.search(
                        ctx.masked, max(sentence.start, verb.start() - 30), verb.start()
                    )
                )
            )
            if passive:
                agent = passive_agent(ctx, verb, clause.end())
                if agent is None:
                    continue  # "The Embassy is informed that ...": the subject heard it; someone else said it
                start = min(agent.start, verb.start())
                rows.append(_reported_row(ctx, sentence, verb, agent, "passive_agent", start, paragraphs))
                break
            subject = subject_of(ctx, verb.start(), sentence.start)
            if subject is None:
                continue
            if verb.group().startswith("to ") and (
                (
                    subject.source != "writer"
                    and REQUESTED_TO.search(ctx.masked, max(sentence.start, verb.start() - 100), verb.start())
                )
                or _instructs_another(ctx, sentence, verb.start())
            ):
                continue  # "X was requested to inform you", "instructed its Ambassador to state": not said
            details = verb_details(ctx, sentence, verb.start())
            rows.append(
                _reported_row(
                    ctx, sentence, verb, subject, "verb_subject", subject.start, paragraphs, details
                )
            )
            break
    return rows
