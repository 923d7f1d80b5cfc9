"""Block quotations after a lead-in: whose words a block set off after "a note from X, as follows:" or
"Mr. McKenna says:" holds (docs/claims-codebook.md). The claims step (claims.py) hands the result to
writer_at, so a block's cues and its "I" are its source's, not the covering letter's writer's.
"""

from __future__ import annotations

from pipeline.extract.claim_context import Context, Quote, Speaker, candidates_between
from pipeline.extract.claim_documents import QUOTED_DOCUMENT, RELAYED_LEAD_IN, document_source, lead_in_colon
from pipeline.extract.claim_resolution import resolve_speaker, writer_at
from pipeline.extract.claim_speakers import SPEECH_VERBS, THOUGHT_VERBS, Candidate, preceding_word
from pipeline.extract.claim_subject import subject_of, verb_before


def block_writers(ctx: Context, quoted: frozenset[str]) -> dict[str, Speaker]:
    """The writers of block quotations (``quoted``: paragraph IDs) set off after a lead-in ending in a colon
    that names another source: a document with its source or owner ("a note from the minister of state, as
    follows:", "Following statement received from Foreign Office:") or a verb of saying with a named subject
    ("Mr. McKenna says:"). A block after the writer's own lead-in ("I now have to say:", "the following
    suggestions:", "my telegram:"), or after one naming no source, keeps the document's writer; so do list
    items, which are mostly the writer's own points."""
    first_of_run: dict[int, int] = {}
    for paragraph_id, lead_start in ctx.lead_ins.items():
        first = ctx.paragraph_sentences.get(paragraph_id, (-1, -1))[0]
        if first >= 0 and paragraph_id in quoted:
            first_of_run[lead_start] = min(first, first_of_run.get(lead_start, first))
    writers: dict[int, Speaker] = {}
    for lead_start, first in first_of_run.items():
        sentence = ctx.sentences[first]
        colon = lead_in_colon(ctx, Quote(sentence.start, sentence.start), sentence)
        source = _block_source(ctx, lead_start, colon) if colon is not None else None
        if source is None:
            continue
        speaker, writer = resolve_speaker(ctx, source), writer_at(ctx, lead_start)
        own = (speaker.claimant_id or speaker.claimant_name) == (writer.claimant_id or writer.claimant_name)
        if speaker.claimant_type not in ("unknown", "document_author", "document") and not own:
            writers[lead_start] = speaker
    return {
        paragraph_id: writers[lead_start]
        for paragraph_id, lead_start in ctx.lead_ins.items()
        if lead_start in writers and paragraph_id in quoted
    }


def _block_source(ctx: Context, lead_start: int, colon: int) -> Candidate | None:
    """Who a lead-in says the block after it comes from: the source or owner of its last document, else
    the named subject of its verb of saying; never the writer, the addressee or a pronoun's guess."""
    if RELAYED_LEAD_IN.search(ctx.masked, lead_start, colon):
        return None  # "You may inform X as follows:": the writer's words to pass on
    if any(c.source == "writer" for c in candidates_between(ctx, lead_start, colon)) and not list(
        QUOTED_DOCUMENT.finditer(ctx.masked, lead_start, colon)
    ):
        return None  # "which I did, somewhat as follows:"
    if list(QUOTED_DOCUMENT.finditer(ctx.masked, lead_start, colon)):
        return document_source(ctx, lead_start, colon)
    verb = verb_before(ctx, lead_start, colon)
    if verb is None or verb.group() not in SPEECH_VERBS or verb.group() in THOUGHT_VERBS:
        return None
    if preceding_word(ctx.masked, verb.start()).lower() in ("the", "this", "that", "a", "an"):
        return None  # "the said trade": an adjective
    subject = subject_of(ctx, verb.start(), lead_start)
    if subject is None or subject.source in ("writer", "addressee", "pronoun"):
        return None
    if subject.text.lower().startswith(("this ", "our ", "my ")):
        return None  # "this Legation has replied as follows:": the writer's own office
    if any(c.source == "writer" for c in candidates_between(ctx, verb.end(), colon)):
        return None
    return subject
