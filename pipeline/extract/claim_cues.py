"""The author's hedged or boosted assertions: epistemic cues (vocab/epistemic_cues.yaml) on a
three-level certainty scale, outside quotations, reported speech, proposals and transcripts, and rhetorical
questions.
"""

from __future__ import annotations

import re

from pipeline.extract.claim_context import (
    RULE_CONFIDENCE,
    Context,
    Row,
    Sentence,
    content_end,
    inside_open_quotation,
)
from pipeline.extract.claim_resolution import writer_at
from pipeline.extract.claim_rows import (
    finish_row,
)
from pipeline.extract.claim_speakers import (
    IRREGULAR_PAST,
    SPEECH_VERBS,
    preceding_word,
)
from pipeline.extract.claim_subject import VERB_PATTERN, subject_of
from pipeline.vocab import alternation, load_mapping, load_words

# "clearly" after a verb of seeing or saying, or before a verb of saying ("it should be clearly stressed"), is
# manner.
# So is "clearly" in an infinitive ("to demonstrate clearly", "to clearly establish"), after a degree word
# ("pretty clearly set forth"), and between a form of "be" and a participle ("is clearly defined").
MANNER_CLEARLY = re.compile(
    r"\b(?:as|look|looks|looked|see|saw|seen|speak|spoke|write|wrote|think|state|to(?:\s+[a-z]+)?|very|"
    r"more|most|so|less|quite|sufficiently|fairly|pretty|too)\s+$"
)
BE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:(?:now|also|still|thus|then|already)\s+)?$")
NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
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
# A capitalised word right before a verb of saying: its subject, even when no speaker candidate.
NAMED_SUBJECT = re.compile(r"\b[A-Z][\w’'-]+\s+$")
# A present tense that is also a plural noun, after a name or a pronoun ("Wallenberg states that", "He
# notes that"): someone else's words; "small states that joined" has no such subject.
NOUN_VERB_SAYS = re.compile(
    r"\b(?:[A-Z][\w’'-]+|[Hh]e|[Ss]he|[Ii]t|[Tt]hey)\s+(?:also\s+|further\s+)?"
    r"(?:states|notes|reports|remarks|answers)\s+(?:\w+\s+){0,4}?that\b"
)
# A verb of saying's complement: a "that" soon after it, or a clause without one ("said he would probably").
THAT_SOON = re.compile(
    r"[\s,]+(?:(?:[\w’'.-]+,?\s+){0,6}?that\b|(?:he|she|they|it|we|I|there)\s+(?:\w+\s+)?"
    r"(?:would|will|had|was|were|could|might|should|is|are|has|have|did|may|must|can)\b)"
)
# A telegram's clause without "that" after a noun subject: "Wiseman said relief matter will doubtless".
BARE_CLAUSE_VERBS = frozenset({"said", "says", "stated", "states", "added", "adds", "replied", "told"})
BARE_CLAUSE = re.compile(
    r"\s+(?!(?:so|nothing|this|that|it|in|to|and|but|as|at|on|for|with|by|of|the|a|an|him|her|them|me|us|you)\b)"
    r"[a-z][\w’'-]*\s+(?:(?!(?:and|but|or|which|who|that)\b)[a-z][\w’'-]*\s+){0,2}?"
    r"(?:would|will|was|were|could|might|should|is|are|may|must|can)\b"
)
# "You should tell him that it seems ...", "Please inform X that", "You are authorized to state that", a
# telegram's "Inform Foreign Office that": what the addressee is to say is not the writer's judgement.
INSTRUCTION_WORDS = load_words("instruction_verbs")
INSTRUCTION_VERBS = alternation(INSTRUCTION_WORDS)
IMPERATIVE_VERBS = alternation([verb[:1].upper() + verb[1:] for verb in INSTRUCTION_WORDS])
ADDRESSEE_SAYS = re.compile(
    r"(?:\b[Yy]ou\s+(?:(?:could|would|should|may|might|can|will|shall|must|are to)\s+)?"
    r"|\b[Yy]ou\s+are\s+(?:\w+ly\s+)?(?:instructed|authorized|authorised|requested|directed|desired)\s+to\s+"
    r"|\b[Pp]lease\s+)"
    r"(?:(?:\w+ly|also|further|then|therefore|now|again)\s+)?"
    rf"(?:{INSTRUCTION_VERBS})\b[^.;]{{0,120}}?\bthat\b"
)
IMPERATIVE_SAYS = re.compile(
    rf"\s*(?:\d+\.\s+|\([a-z\d]\)\s+)?(?:{IMPERATIVE_VERBS})\b[^.;]{{0,120}}?\bthat\b"
)
# "But, he added, no one ...": a verb of saying set off by commas reports the sentence around it.
SAID_ASIDE = re.compile(
    r",\s*(?:he|she|they|[A-Z][\w’'-]+)\s+(?:added|said|continued|stated|observed|remarked|declared|"
    r"explained|insisted|replied|went on)\s*,"
)
# Someone else's view given as a noun: "Her argument was that ...", "the Mayor's impression is that ...".
REPORTED_VIEW = re.compile(
    r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[A-Z][\w-]*[’']s?)\s+(?:\w+\s+)?(?:contention|view|position|opinion|"
    r"argument|claim|belief|impression|understanding|idea|feeling|thought|reply|answer|statement|attitude)\s+"
    r"(?:was|is|had been|has been|seemed to be|seems to be|appeared to be|appears to be)\s+that\b"
)
# A modal perfect in an unreal condition ("if the bridge had stood, the army could have crossed") states
# what would have followed, not how sure the writer is.
COUNTERFACTUAL = re.compile(r"\b(?:[Ii]f\b[^;]{0,120}?\bhad|[Hh]ad\s+(?:it|he|she|they|we|I|the|this)\b)")
FUTURE_PROPOSAL = re.compile(r"\b(?:will|shall|[Ii]ntends? to|[Pp]ropose[sd]? to)\s+$")
# A modal perfect in an indefinite relative ("any remarks they may have made") is no judgement of
# likelihood: it says whatever there was.
INDEFINITE_RELATIVE = re.compile(r"\b(?:[Aa]ny|[Ww]hatever|[Ww]hichever|[Aa]ll|[Ss]uch)\b[^.,;:]{0,40}$")
# "although they may have entered", "even if it might have been": a possibility conceded, not the writer's
# hedge of what the sentence asserts.
CONCESSIVE = re.compile(
    r"\b(?:[Aa]lthough|[Tt]hough|[Nn]otwithstanding(?: that)?|[Ee]ven if|[Ee]ven though|[Hh]owever much)\b"
    r"[^.;:,]{0,60}$"
)
# "grew out of the idea that the powers might well demand": the cue is the idea's, whoever holds it.
THOUGHT_CLAUSE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Yy]our)\s+(?:[a-z]+\s+)?(?:"
    + alternation(load_words("thought_nouns"))
    # "the impression gained by them was that": the noun's holder named after it
    + r")(?:\s+[a-z]+ed\s+by\s+[\w’'-]+(?:\s+[\w’'-]+)?)?(?:\s+(?:was|is|were))?\s+that\b"
)
# "if the payment could be construed as a tax", "unless they may have": a modal in a condition is no
# assertion. The condition needs its own subject: in "if continued might well be" the modal is the main verb.
CONDITION_BEFORE = re.compile(
    r"\b(?:[Ii]f|[Uu]nless|[Ww]hether)\s+(?:the|a|an|this|that|these|those|it|they|he|she|we|you|such|any|"
    r"[A-Z][\w’'-]*)\b[^.;:,]{0,60}$"
)
# "I repeat recommendation that Red Cross send $50,000 and possibly more": a cue inside a proposal.
PROPOSAL_CLAUSE = re.compile(r"\b(?:recommendations?|proposals?|suggestions?|requests?|demands?)\s+that\b")
# "it was presumed that ... probably", "The Secretary will emphasize to them that ... presumably": a past
# presumption or words still to be said are not the writer's present judgement ("I would say that" is).
# "I plan soon to inquire, perhaps personally", "we intend to ask, possibly by cable": a cue in a plan says
# how the writer may act, not how sure the writer is of what the sentence asserts.
PLAN_CLAUSE = re.compile(
    r"\b(?:I|[Ww]e)\s+(?:\w+ly\s+)?(?:plan|planned|intend|intended|propose|proposed|expect|hope|shall|will)\b"
    r"(?:\s+\w+){0,3}?\s+to\b[^.;:]*$"
)
# ", in President Roosevelt's opinion,", "In their view": the cue that follows is in that person's view ("in
# my opinion" stays the writer's; "persist in their view" is no such aside).
HELD_VIEW = re.compile(
    r"(?:^\s*|[,;(]\s*)[Ii]n\s+(?:(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w-]*[’']s?|his|her|their)\s+(?:\w+\s+)?"
    r"(?:opinion|view|judgment|judgement|estimation|belief|mind)\b"
)
PAST_PRESUMPTION = re.compile(
    r"\b[Ii]t\s+was\s+(?:(?:\w+ly|also|then|generally|widely)\s+)?(?:presumed|believed|thought|expected|"
    r"supposed|assumed|feared|hoped|felt|rumou?red|considered|estimated|anticipated)\s+that\b"
)
FUTURE_SAYS = re.compile(
    r"\b(?!I\b|[Ww]e\b)(?:[A-Z][\w’'-]*|he|she|they|it)\s+(?:will|shall)\s+(?:(?:\w+ly|also|then|again)\s+)?"
    rf"(?:{INSTRUCTION_VERBS})\b[^.;]{{0,120}}?\bthat\b"
)
# "He was afraid that ... the impression seemed to be general": a third person's fear or confidence.
THIRD_PERSON_STANCE = re.compile(
    r"\b(?:[Hh]e|[Ss]he|[Tt]hey)\s+(?:was|were|is|are|felt|seemed)\s+(?:\w+ly\s+|not\s+)?"
    r"(?:afraid|confident|convinced|sure|certain|satisfied|hopeful|fearful|doubtful|apprehensive|"
    r"of the (?:opinion|view|belief))\s+that\b"
)
IMPERATIVE_LINK = re.compile(r"\b(?:and|to|please|[Pp]lease)\s+$")
# A question put to the addressee ("Would this plan suit your Government?") asks; it does not hedge.
ADDRESSED_QUESTION = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
YES_NO_QUESTION = re.compile(r"\s*(?:Is|Was|Were|Are|Did|Does|Could|Would|Should)\b")


def _reported_span(ctx: Context, sentence: Sentence, position: int) -> bool:
    """True when a position lies in the complement of someone else's reporting verb (not parenthesised)."""
    before = ctx.masked[sentence.start : position]
    if before.count("(") > before.count(")"):
        return False
    for verb in VERB_PATTERN.finditer(ctx.masked, sentence.start, position):
        if THAT_SOON.match(ctx.masked, verb.end(), verb.end() + 200) and (
            verb.group().endswith("ed")
            or subject_of(ctx, verb.start(), sentence.start) is not None
            or NAMED_SUBJECT.search(ctx.masked, max(sentence.start, verb.start() - 40), verb.start())
        ):
            # "Wallenberg states that ... will probably": his words, whoever the rules take him for
            return True
        if (
            verb.group() in BARE_CLAUSE_VERBS
            and BARE_CLAUSE.match(ctx.masked, verb.end(), verb.end() + 80)
            and subject_of(ctx, verb.start(), sentence.start) is not None
        ):
            return True
    said = NOUN_VERB_SAYS.search(ctx.masked, sentence.start, position)
    if said is not None and not said.group().startswith(("The ", "These ", "Those ", "All ")):
        return True
    if SAID_ASIDE.search(ctx.masked, sentence.start, sentence.end):
        return True  # "But, he added, no one seemed willing": the whole sentence is his
    view = REPORTED_VIEW.search(ctx.masked, sentence.start, sentence.end)
    if view is not None and view.start() <= position:
        return True
    return bool(
        re.search(r"\b[Aa]ccording to\b", before)
        or THOUGHT_CLAUSE.search(before)
        or PROPOSAL_CLAUSE.search(before)
        or THIRD_PERSON_STANCE.search(before)
        or HELD_VIEW.search(before)
        or HELD_THAT.search(before)
        or PLAN_CLAUSE.search(before)
        or PAST_PRESUMPTION.search(before)
        or FUTURE_SAYS.search(before)
        or ADDRESSEE_SAYS.search(before)
        or IMPERATIVE_SAYS.match(before)
    )


def _is_dialogue(ctx: Context, sentence: Sentence) -> bool:
    """A sentence of a transcript set as a block ("Mr. SMITH. ..."): others' words, not the author's."""
    first, _ = ctx.paragraph_sentences[sentence.paragraph_id]
    return bool(DIALOGUE_LABEL.match(ctx.masked, ctx.sentences[first].start, ctx.sentences[first].end))


# "No country can possibly tolerate", "cannot possibly": under negation "possibly" stresses, not hedges.
NEGATED_CAN = re.compile(
    r"(?:\b(?:[Nn]o|not|never|[Nn]othing|[Nn]obody)\b[^.;:,]{0,30}?\b(?:can|could)(?:\s+not)?|"
    r"\bcannot|\bcan[’']t|\bcouldn[’']t)\s+$"
)
# "By a recent dispatch from the consul, it appears that", "From the documents sent by X it appears that":
# what a named source shows (as "it appears from the report that"), not the writer's hedge.
SOURCE_FRONTED = re.compile(
    r"\s*(?:\(?\w{1,3}\)\s*)?(?:[Ff]rom|[Bb]y)\s+(?:the|a|an|this|that|these|his|her|its|their|your|my|our|"
    r"(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w-]*[’']s)\s+"
    r"(?!(?:end|beginning|middle|close|time|way|start|outset|first|date|then)\b)[^;:]{3,160}$"
)
# "From British and other good sources it appears that": sources named without a determiner.
SOURCES_FRONTED = re.compile(
    r"\s*(?:\(?\w{1,3}\)\s*)?[Ff]rom\s+(?:[\w’'-]+,?\s+){0,5}?(?:sources|reports|information|statements|"
    r"accounts|despatches|dispatches|telegrams|letters|documents|papers|newspapers)\b[^;:]{0,100}$"
)
# "He held, however, that", "They contend that": a third person's view with a verb of holding.
HELD_THAT = re.compile(
    r"\b(?:[Hh]e|[Ss]he|[Tt]hey|(?!We\b)[A-Z][\w’'-]+)\s+(?:also\s+)?(?:held|holds|contended|contends|maintained|"
    r"maintains)\s*,?\s*(?:[a-z]+\s*,\s*)?that\b"
)
MANNER_PREPOSITIONS = frozenset({"within", "under", "into", "outside", "beyond", "inside", "upon"})
# Verbs of position after which "clearly" before a preposition is manner ("come clearly within").
MANNER_VERBS = frozenset(
    {
        "come",
        "comes",
        "came",
        "coming",
        "fall",
        "falls",
        "fell",
        "falling",
        "lie",
        "lies",
        "lay",
        "lying",
        "stand",
        "stands",
        "stood",
        "standing",
        "bring",
        "brings",
        "brought",
        "put",
        "set",
        "place",
        "placed",
    }
)


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
            and (
                MANNER_CLEARLY.search(ctx.masked, max(sentence.start, m.start() - 30), m.start())
                or _speech_verb_at(ctx, m.end() + 1)
                or _passive_manner(ctx, sentence, m)
                or _manner_before_phrase(ctx, m)
            )
        )
        and not (
            m.group().lower() in ("it appears", "it appeared")
            and (
                SOURCE_FRONTED.match(ctx.masked, sentence.start, m.start())
                or SOURCES_FRONTED.match(ctx.masked, sentence.start, m.start())
            )
        )
        and not (
            m.group().lower() == "possibly"
            and NEGATED_CAN.search(ctx.masked, max(sentence.start, m.start() - 40), m.start())
        )
        and not any(
            e.start() <= m.start() < e.end()
            for e in CUE_EXCEPTIONS.finditer(ctx.masked, max(sentence.start, m.start() - 30), m.end() + 30)
        )
        and not _modifies_a_word(ctx, m)
        and not _possession(ctx, m)
        and not _counterfactual(ctx, sentence, m)
        and not (
            m.group().lower().startswith(("may ", "might ", "could "))
            and CONDITION_BEFORE.search(ctx.masked, max(sentence.start, m.start() - 70), m.start())
        )
        and not (
            m.group().lower() in ("may have", "might have", "could have")
            and (
                INDEFINITE_RELATIVE.search(ctx.masked, max(sentence.start, m.start() - 45), m.start())
                or CONCESSIVE.search(ctx.masked, max(sentence.start, m.start() - 80), m.start())
            )
        )
        and not inside_open_quotation(ctx, sentence, m.start())
    ]
    stripped = ctx.masked[sentence.start : sentence.end].rstrip()
    if stripped.endswith("?") and RHETORICAL_QUESTION.match(ctx.masked, sentence.start, sentence.end):
        asked = YES_NO_QUESTION.match(ctx.masked, sentence.start, sentence.end) and (
            writer_at(ctx, sentence.start).claimant_type != "document_author"
        )
        if not asked and not ADDRESSED_QUESTION.search(stripped):
            end = sentence.start + len(stripped)
            cues.append((QUESTION_CUE, end - 1, end))
    return cues


def _passive_manner(ctx: Context, sentence: Sentence, cue: re.Match[str]) -> bool:
    """ "is clearly set forth", "were clearly defined": "clearly" says how the thing was done."""
    if not BE_BEFORE.search(ctx.masked, max(sentence.start, cue.start() - 22), cue.start()):
        return False
    following = NEXT_WORD.match(ctx.masked, cue.end(), cue.end() + 30)
    return following is not None and (
        following.group(1) in IRREGULAR_PAST
        or following.group(1) in ("set", "put", "laid", "shown")
        or following.group(1).endswith(("ed", "en", "wn"))
    )


def _manner_before_phrase(ctx: Context, cue: re.Match[str]) -> bool:
    """ "come clearly within the authority", "fall clearly under": after a verb other than "be" and before a
    preposition, "clearly" says how the thing stands, not how sure the writer is ("is clearly within" is)."""
    before = preceding_word(ctx.masked, cue.start()).lower()
    following = NEXT_WORD.match(ctx.masked, cue.end(), cue.end() + 30)
    return following is not None and following.group(1) in MANNER_PREPOSITIONS and before in MANNER_VERBS


def _speech_verb_at(ctx: Context, position: int) -> bool:
    """A verb of saying at a position ("clearly stressed"); a verb of thinking is not ("clearly felt")."""
    verb = VERB_PATTERN.match(ctx.masked, position)
    return verb is not None and verb.group() in SPEECH_VERBS


def _counterfactual(ctx: Context, sentence: Sentence, cue: re.Match[str]) -> bool:
    """A modal perfect after an unreal condition ("if ... had", "Had American companies made ...")."""
    inverted = ctx.masked[sentence.start : sentence.end].lstrip().startswith("Had ")
    return cue.group().lower().endswith(" have") and bool(
        inverted or COUNTERFACTUAL.search(ctx.masked, sentence.start, sentence.end)
    )


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
    if not ctx.masked[sentence.start : cue.start()].strip(" (\n0123456789."):
        return True  # a telegram's "Suggests that ...": its subject is dropped, not absent
    if re.match(r"\s+(?:that\s+)?you\b", ctx.masked[cue.end() : cue.end() + 12]):
        return True  # "I would also suggest that you instruct": a proposal to the addressee
    if IMPERATIVE_LINK.search(ctx.masked, max(sentence.start, cue.start() - 22), cue.start()):
        return True  # "Inform the Foreign Office and suggest that ...": an instruction
    if FUTURE_PROPOSAL.search(ctx.masked, max(sentence.start, cue.start() - 22), cue.start()):
        return True  # "The delegation will suggest that ...": a proposal to come ("would suggest" may hedge)
    return subject_of(ctx, cue.start(), sentence.start) is not None


def _certainty(cue: str) -> str:
    return "probable" if cue == QUESTION_CUE else CUES[cue.lower()]


def assertion_rows(ctx: Context, paragraphs: dict[str, tuple[int, int]]) -> list[Row]:
    """Sentences where the author marks their own certainty with a cue outside quotes and reported speech."""
    rows: list[Row] = []
    for sentence in ctx.sentences:
        cues = _sentence_cues(ctx, sentence)
        if not cues or _is_dialogue(ctx, sentence):
            continue
        weakest = min(cues, key=lambda c: CERTAINTY_RANK[_certainty(c[0])])
        end = content_end(ctx.text, sentence.end)
        writer = writer_at(ctx, sentence.start)
        rule = {"document_author": "author", "unknown": "none"}.get(writer.claimant_type, "document_sender")
        if sentence.paragraph_id in ctx.block_writers:
            rule = "lead_in_document"  # a block after "a note from X, as follows:" holds X's words
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
        rows.append(finish_row(ctx, values, sentence.start, end, paragraphs[sentence.paragraph_id][1], False))
    return rows
