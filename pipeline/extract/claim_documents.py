"""Quotations of documents: the document a quotation's clause or lead-in names, and its source.

"according to your note", "Article 8 of the Covenant provides", "the text of a telegram from X:", "Please
say to the Minister:". The words are the document's (its source's, where the lead-in names one, "a note
from the minister of state"), not the covering writer's. ``claim_attribution`` tries these rules in the
codebook's order among the others.
"""

from __future__ import annotations

import re

from pipeline.extract.claim_context import (
    Attribution,
    Context,
    Quote,
    Sentence,
    Speaker,
    candidates_between,
    quoted_term,
    sentence_at,
)
from pipeline.extract.claim_names import document_owner
from pipeline.extract.claim_resolution import (
    resolve_speaker,
    writer_at,
)
from pipeline.extract.claim_speakers import (
    SPEAKER_DOCUMENTS,
    THOUGHT_VERBS,
    Candidate,
)
from pipeline.extract.claim_subject import (
    VERB_PATTERN,
    subject_of,
    verb_before,
)
from pipeline.vocab import alternation, load_words

# A lead-in that relays words to be passed on: "Please say to the Minister:", "You are instructed to inform
# him:".
RELAYED_LEAD_IN = re.compile(
    r"\b(?:[Pp]lease|[Yy]ou\s+(?:may|will|should|can|are to)"
    r"|[Yy]ou\s+are\s+(?:\w+\s+)?(?:instructed|authorized|authorised|directed|requested)\s+to)\s+(?:\w+ly\s+)?"
    r"(say|state|inform|tell|reply|answer|communicate|convey|transmit|deliver|repeat|hand|present|address)\b"
)
# The document a lead-in ending in a colon names: a determiner or possessive, up to four words, the noun.
QUOTED_DOCUMENT = re.compile(
    r"\b(?:([Mm]y|[Oo]ur|[Yy]our)|[Tt]he|[Tt]his|[Tt]hat|[Aa]n?|[Ff]ollowing|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)"
    r"((?:\s+(?!(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat)\b)[\w’'.-]+){0,4}?\s+(?i:"
    + alternation(load_words("quoted_documents"))
    + r"))\b(?![’'-])"
)
# "X published a pamphlet with these words:", "X handed me the following note:": X wrote the document.
ISSUED = re.compile(
    r"\b(?:" + alternation(load_words("issuing_verbs")) + r")\b(?:\s+(?:to\s+)?(?:me|us|him|her|them))?\s*$"
)
LEAD_IN_DATED = re.compile(r":\s*\([^()]{1,40}\)\.?$")
FOLLOWING = re.compile(r"\b(?:[Ff]ollowing|[Aa]s follows)\b")
# How many paragraphs of one quotation the lead-in search steps back over.
MAX_QUOTED_PARAGRAPHS = 20
# A person or body the lead-in gives as the document's source: "the text of a telegram from X:".
DOCUMENT_FROM = re.compile(r"\s+(?:from|by)\s+(?:the\s+)?$")
# Documents, and the parts of laws and treaties, that quoted words mid-sentence come from.
DOCUMENT_NOUN = re.compile(
    r"\b(?i:" + alternation([*load_words("quoted_documents"), *SPEAKER_DOCUMENTS]) + r")\b(?![’'-])"
)
DOCUMENT_WINDOW = 250
# "according to your note", "in that note for the", "from the treaty": a phrase taken from the document.
WORDS_OF_DOCUMENT = re.compile(r"\b(?:[Aa]ccording to|in|from)\s+(?:[\w’'-]+\s+){0,3}$")
# "the letter of Messrs. X", "a report from the Consul", "the note by X": the document's source.
DOCUMENT_SOURCE_GAP = re.compile(
    r"(?:\s+(?:No\.\s*)?\d+\w*)?(?:\s*,?\s+dated\s+[^,]{3,30},?)?\s+(?:of|from|by)\s+(?:the\s+)?"
)
# "Article 984 of the Code of Procedure", "paragraph 4 of article 8 of the Covenant": the document's name.
DOCUMENT_TAIL = re.compile(
    r"(?:\s+(?:No\.\s*)?[\dIVXL]+\w*)?(?:,?\s+(?:of|to)\s+(?:the\s+)?(?:[\dIVXL]+\s+|(?:[A-Z][\w.&’'-]*|of|and|the)\s*)+)?"
)


def document_in_clause(ctx: Context, quote: Quote, sentence: Sentence) -> Attribution | None:
    """Quoted words whose clause names the document they come from and no speaker ("according to your
    note, “...”", "Article III, which prescribes that ... shall “...”", "the report from the Consul that
    “...”"): the person or body the document is from, the writer for "my"/"our", else the document."""
    window_start = max(sentence.start, quote.open_mark - DOCUMENT_WINDOW)
    breaks = list(re.finditer(r"[;.!?]\s", ctx.masked[window_start : quote.open_mark]))
    window_start += breaks[-1].end() if breaks else 0
    nouns = list(DOCUMENT_NOUN.finditer(ctx.masked, window_start, quote.open_mark))
    if not nouns:
        return None
    noun = nouns[-1]
    for earlier in reversed(nouns[:-1]):
        tail = DOCUMENT_TAIL.match(ctx.masked, earlier.end(), quote.open_mark)
        if tail is None or tail.end() < noun.end():
            break
        noun = earlier  # "Article 12 of the Penal Code": the article, named with its code
    named_as = VERB_PATTERN.search(ctx.masked, noun.end(), quote.open_mark)
    if named_as is not None and named_as.group() in THOUGHT_VERBS:
        return None  # 'a despatch labeled “Urgent”': the document is named, it does not speak
    if (
        quoted_term(ctx.text[quote.start : quote.end])
        and named_as is None
        and not WORDS_OF_DOCUMENT.search(ctx.masked, max(0, noun.start() - 40), noun.start())
    ):
        return None  # 'the old treaty had become a “dead letter”': a phrase about the document, not from it
    for candidate in candidates_between(ctx, noun.end(), min(quote.open_mark, noun.end() + 60)):
        gap = ctx.masked[noun.end() : candidate.start]
        if (
            candidate.source != "document"
            and candidate.kind != "document"
            and DOCUMENT_SOURCE_GAP.fullmatch(gap)
        ):
            return Attribution(resolve_speaker(ctx, candidate), "document_in_clause", carries=False)
        break
    owner = re.search(
        r"\b([Mm]y|[Oo]ur|[Yy]our|[Tt]he|[Tt]his|[Tt]hat|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)"
        r"(?:\s+(?!(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hat)\b)[\w’'-]+){0,2}?\s+$",
        ctx.masked[max(window_start, noun.start() - 40) : noun.start()],
    )
    start = noun.start() - (len(owner.group()) if owner else 0)
    if owner and owner.group(1).lower() in ("my", "our"):
        writer = writer_at(ctx, start)
        writer.claimant_text, writer.claimant_start, writer.claimant_end = (
            ctx.text[start : noun.end()],
            start,
            noun.end(),
        )
        return Attribution(writer, "document_in_clause", carries=False)
    tail = DOCUMENT_TAIL.match(ctx.masked, noun.end(), quote.open_mark)
    end = tail.end() if tail else noun.end()
    phrase = ctx.text[start:end]
    return Attribution(
        Speaker("document", None, phrase, phrase, start, end), "document_in_clause", carries=False
    )


def lead_in_document(ctx: Context, quote: Quote, sentence: Sentence) -> Attribution | None:
    """A quotation right after a colon whose lead-in names no speaker but a document ("The last paragraph of
    the note reads as follows:", "the text of a telegram from the Consul:"): the person or body it comes
    from, the writer for "my telegram", else the document itself. The lead-in of a quotation running over
    several paragraphs counts for its last paragraph too, and then its verb of saying as well."""
    colon = lead_in_colon(ctx, quote, sentence)
    if colon is None:
        return None
    index = sentence_at(ctx, colon)
    if index < 0:
        return None
    lead_start = min(sentence.start, ctx.sentences[index].start)
    relayed = RELAYED_LEAD_IN.search(ctx.masked, lead_start, colon)
    if relayed is not None and writer_at(ctx, relayed.start()).claimant_type != "document_author":
        # "You may inform Gilbert as follows:", "Please say to the President for me:": the writer's words,
        # which the addressee is to pass on
        return Attribution(
            writer_at(ctx, relayed.start()), "document_sender", relayed.group(1), carries=False
        )
    documents = list(QUOTED_DOCUMENT.finditer(ctx.masked, lead_start, colon))
    if colon < sentence.start:
        verb = verb_before(ctx, lead_start, colon)
        subject = subject_of(ctx, verb.start(), lead_start) if verb is not None else None
        nearer = verb is not None and any(
            d.start() > verb.end() and (d.group(1) or "").lower() not in ("my", "our") for d in documents
        )
        if verb is not None and subject is not None and not nearer:
            return Attribution(resolve_speaker(ctx, subject), "lead_in_document", verb.group(), carries=False)
        # "I have the honor to inform you of the receipt of a note from X, as follows:": the note is X's
    if not documents:
        return None
    # "The party has issued a manifesto:", "In his note of June 30 he made the following statement:"
    issued = next(
        (m for d in documents if (m := ISSUED.search(ctx.masked, lead_start, d.start())) is not None), None
    )
    subject = subject_of(ctx, issued.start(), lead_start) if issued is not None else None
    if subject is not None:
        return Attribution(resolve_speaker(ctx, subject), "lead_in_document", carries=False)
    for document in reversed(documents):
        owner = document_owner(ctx, document)
        if owner is not None:
            return Attribution(resolve_speaker(ctx, owner), "lead_in_document", carries=False)
        for candidate in candidates_between(ctx, document.end(), colon):
            if candidate.start - document.end() > 60 or re.search(
                r"[,;]", ctx.masked[document.end() : candidate.start]
            ):
                break
            if candidate.source != "document" and DOCUMENT_FROM.search(
                ctx.masked, document.end(), candidate.start
            ):
                return Attribution(resolve_speaker(ctx, candidate), "lead_in_document", carries=False)
    own = next((d for d in documents if d.group(1) and d.group(1).lower() in ("my", "our")), None)
    if own is not None:
        writer = writer_at(ctx, own.start())
        writer.claimant_text, writer.claimant_start, writer.claimant_end = own.group(), own.start(), own.end()
        return Attribution(writer, "lead_in_document", carries=False)
    last = documents[-1]
    phrase = ctx.text[last.start() : last.end()]
    speaker = Speaker("document", None, phrase, phrase, last.start(), last.end())
    return Attribution(speaker, "lead_in_document", carries=False)


def relayed_lead_in(ctx: Context, quote: Quote, sentence: Sentence) -> Attribution | None:
    """A lead-in that has the addressee pass the writer's words on ("Please say to X:", "You are instructed
    to hand to X the following note:"): the lead-in rule, before any verb of the lead-in."""
    colon = lead_in_colon(ctx, quote, sentence)
    index = sentence_at(ctx, colon) if colon is not None else -1
    if colon is None or index < 0:
        return None
    lead_start = min(sentence.start, ctx.sentences[index].start)
    if RELAYED_LEAD_IN.search(ctx.masked, lead_start, colon) is None:
        return None
    found = lead_in_document(ctx, quote, sentence)
    return found if found is not None and found.rule == "document_sender" else None


def lead_in_colon(ctx: Context, quote: Quote, sentence: Sentence) -> int | None:
    """Where the lead-in of a quotation ends in a colon: right before the quotation, or, for a quotation that
    opens its paragraph, at the end of the paragraph before it or before the earlier paragraphs of the same
    quotation (each opens with a mark it never closes)."""
    colon = ctx.masked.rfind(":", sentence.start, quote.open_mark)
    if colon >= 0 and not ctx.masked[colon + 1 : quote.open_mark].strip(" \n—–-"):
        return colon
    index = sentence_at(ctx, quote.open_mark)
    if index < 0:
        return None
    first, _ = ctx.paragraph_sentences[ctx.sentences[index].paragraph_id]
    if ctx.masked[ctx.sentences[first].start : quote.open_mark].strip():
        return None
    back = first - 1
    for _ in range(MAX_QUOTED_PARAGRAPHS):
        if back < 0:
            return None
        paragraph_first, _ = ctx.paragraph_sentences[ctx.sentences[back].paragraph_id]
        start = ctx.sentences[paragraph_first].start
        body = ctx.masked[start : ctx.sentences[back].end].rstrip()
        if body.endswith((":", "—", ":—", ":-")):
            return start + len(body) - 1  # "the Department ... stated that—" above a block quotation
        dated = LEAD_IN_DATED.search(body)
        if dated is not None:
            return start + dated.start()  # "the decree of the 3d of the 8th moon: (August 27, 1900)."
        if body.endswith(".") and FOLLOWING.search(ctx.masked, ctx.sentences[back].start, start + len(body)):
            return start + len(body) - 1  # "I send for your information following telegram from X."
        opened = body.lstrip()
        if not (opened.startswith("“") and opened.count("“") > opened.count("”")):
            return None
        back = paragraph_first - 1
    return None


def document_source(ctx: Context, start: int, colon: int) -> Candidate | None:
    """The source or owner of the last document a lead-in names between ``start`` and its colon ("a note
    from the minister of state, as follows:", "the Council's reply:", "the full text of Foreign Office note
    No. 14:"); none for the writer's own ("my telegram:") or a document without one."""
    for document in reversed(list(QUOTED_DOCUMENT.finditer(ctx.masked, start, colon))):
        if (document.group(1) or "").lower() in ("my", "our"):
            return None
        owner = document_owner(ctx, document)
        if owner is not None:
            return owner
        for candidate in candidates_between(ctx, document.end(), colon):
            if candidate.start - document.end() > 80 or ";" in ctx.masked[document.end() : candidate.start]:
                break
            if candidate.source not in ("document", "writer", "addressee", "pronoun") and re.search(
                r"\b(?:from|by|of)\s+(?:the\s+)?$", ctx.masked[document.end() : candidate.start]
            ):
                return candidate
        return None
    return None
