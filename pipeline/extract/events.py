"""Dated happenings narrated in the body: events, their participants and supporting footnotes.

An event is a clause whose predicate names a happening, dated by the narrative. The predicate is a verb or
verb phrase from vocab/event_verbs.yaml, an event noun from vocab/event_nouns.yaml that a date is attached
to, or any other finite past-tense verb after its subject that vocab/event_nonevent_verbs.yaml does not
call a state or a thought. Its date (``date_basis``):

- explicit / relative: a time expression in the predicate's clause picks its predicate (the event noun it
  is attached to, else the nearest predicate in its clause); predicates coordinated with that one ("gave
  it up and emigrated") share it. relative when that expression was resolved against another date.
- context: a clause with no date of its own takes the narrative's reference time, the last narrative date
  before it, carried over paragraph breaks until a new one is given (a new source document starts afresh).
  A clause that places itself "after" in words ("Soon", "With the
  Revolution") keeps an open-ended date from the reference time; one that places itself elsewhere ("On
  another occasion", "When ...") gets no date and no event: a wrong anchor is worse than a missed event.

Not events: negated, modal, habitual, conditional, infinitive or past-perfect predicates without their own
date, participle modifiers ("the papers published in 1950 were lost"), quoted words,
questions, clauses inside "that"-complements of saying and thinking verbs, sentences about a decade or
century, and dates that only qualify a thing ("the 1941 borders"). Roles come from where linked mentions
stand relative to the predicate; certainty from the author's hedges in its clause (FactBank-style).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from pipeline.extract.dates import EVENT_NOUNS
from pipeline.package.schema import load_table_spec, rows_to_frame
from pipeline.paths import VOCAB_DIR
from pipeline.vocab import VocabularyError, load_mapping, load_words

EVENT_TYPES: tuple[str, ...] = next(
    f.enum or () for f in load_table_spec("events").fields if f.name == "event_type"
)


def _checked_mapping(name: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """A vocabulary mapping whose values must be one of allowed; a typo fails here, naming the entry."""
    entries = load_mapping(name)
    for word, value in entries.items():
        if value not in allowed:
            raise VocabularyError(
                f"{VOCAB_DIR / (name + '.yaml')}: entry {word!r} has {value!r}, not one of {allowed}"
            )
    return {str(word).lower(): value for word, value in entries.items()}


_EVENT_VERBS = _checked_mapping("event_verbs", EVENT_TYPES)
_EVENT_NOUN_TYPES = _checked_mapping("event_nouns", EVENT_TYPES)
_NONEVENT_VERBS = frozenset(load_words("event_nonevent_verbs"))
_HEDGES = _checked_mapping("event_hedges", ("probable", "possible"))
_TIME_CUES = _checked_mapping("event_time_cues", ("after", "unknown"))


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of words and phrases, longest first, any whitespace between words."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _phrase_index(phrases: dict[str, str]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Phrases by their first word, longest first: a word lookup is much faster than one big regex."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, kind in phrases.items():
        words = tuple(phrase.lower().split())
        index.setdefault(words[0], []).append((words, kind))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


_VERB_INDEX = _phrase_index(_EVENT_VERBS)
_NOUN_INDEX = _phrase_index(
    {**{f"{noun}s": kind for noun, kind in _EVENT_NOUN_TYPES.items() if " " not in noun}, **_EVENT_NOUN_TYPES}
)
_WORD = re.compile(r"[A-Za-z]+")


def _phrases(words: list[tuple[int, int, str]], index: dict) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, type) of the index's phrases in a sentence's words, left to right."""
    found, position = [], 0
    while position < len(words):
        for phrase, kind in index.get(words[position][2], ()):
            end = position + len(phrase)
            if tuple(w[2] for w in words[position:end]) == phrase:
                found.append((words[position][0], words[end - 1][1], kind))
                position = end - 1
                break
        position += 1
    return found


_PAST_TENSE = re.compile(r"\b[a-z]{3,}ed\b")
_IRREGULAR_PAST = re.compile(rf"\b(?:{_alternation(load_words('event_irregular_past'))})\b(?![’']t)")  # won't
_EMPHATIC_PAST = re.compile(r"\bdid\s+(?!not\b|never\b)([a-z]{3,})\b")  # "He did secure funding"
_RECOLLECTION_BEFORE = re.compile(
    rf"\b(?:{_alternation(load_words('event_recollection_cues'))})\b(?:\s+[A-Za-z’'-]+){{0,4}}\s+$", re.I
)
_HABITUAL_BEFORE = re.compile(
    rf"\b(?:{_alternation(load_words('event_habitual_adverbs'))})\b(?:\s+(?:and\s+)?[a-z]+ly)*\s+$", re.I
)
_CONDITIONAL_OPENING = re.compile(r"^\W*(?:if|unless)\b[^,;:]*,", re.I)  # "Unless ..., the board dissolved"
_NEGATION_IN_CLAUSE = re.compile(
    r"\b(?:no|not|never|nobody|none|neither|nor|nothing)\b(?:(?!\band\b)[^,;:?])*$", re.I
)
_HEDGE_PATTERN = re.compile(rf"\b(?:{_alternation(_HEDGES)})\b", re.I)
_CUE_PATTERN = re.compile(
    rf"^\W*(?:(?:but|and|so|yet|thus|however|indeed),?\s+)?({_alternation(_TIME_CUES)})\b", re.I
)

_ADVERB_CUE = re.compile(r"\b(soon|later|eventually|subsequently|then)\s+(?:[a-z]+ly\s+)?$", re.I)
_CLAUSE_BREAK = re.compile(
    r";|:|\(|\)|\bbut\b|\bwhile\b|\bwhereas\b|,\s+and\b|\band\s+(?=(?:he|she|they|we|it|I)\b)"
    r"|,[”\"]?\s+(?=(?:[a-z]+\s+){0,4}?(?:which|whom|whose|who)\b)"  # a non-restrictive relative clause
)
_SUBORDINATE_OPENING = re.compile(
    r"^\W*(?:[A-Za-z]+ly\s+)?(?:when|while|after|before|as|although|though|if|once|since|until|because"
    r"|[A-Za-z]+ing)\b[^,;:]*,",
    re.I,
)
_QUOTES = re.compile(r"[\"“”]")
_ADVERB = re.compile(
    r"(?:[a-z]+ly|also|even|still|then|soon|thus|once|further|however|again|now|already|just)$"
)
_REJECT_BEFORE = frozenset(
    """to would could should might may must will can shall not never n't no be being been is are am
    the a an his her their its this these those our my your of in on at for with from by into upon about
    against over under through without before after think believe consider hope suppose""".split()
)
_MODAL_BEFORE = re.compile(
    r"\b(?:will|would|shall|may|might|could|should|must|can|cannot)\s+(?:[a-z]+\s+){0,3}$", re.I
)
_RELATIVE_CLAUSE_START = re.compile(r"[\s,\"”]*(?:[a-z]+\s+){0,4}?(?:which|whom|whose|who)\b")
_COMPARISON_BEFORE = re.compile(r"\bthan\s+(?:[a-z]+\s+){0,2}$", re.I)
_CONDITION_BEFORE = re.compile(r"\b(?:if|unless|whether)\b[^,;:]*$", re.I)
_PERFECT = frozenset({"had", "has", "have"})
_OBJECT_AFTER = re.compile(r"\s+(?:(?:the|a|an|his|her|their|its|this|that|these|those|him|them|it)\b|[A-Z])")
_NOUN_PHRASE_END = re.compile(
    r"\b(?:the|a|an|his|her|their|its|this|these|those|[A-Z][\w.’']*)(?:\s+[a-z-]+){1,3}$"
)
_LAST_NOUN_PHRASE = re.compile(rf"^.*({_NOUN_PHRASE_END.pattern.removesuffix('$')})$")  # its latest start
_DATELINE_PLACE = re.compile(r"(?:\[[^\]]*\]\s*)*(?:[A-Z][A-Za-z.’' -]{1,40},\s*)?")
_DATELINE_TAIL = re.compile(
    r"[.,]?\s*(?:\d{1,2}(?:[.:]\d{2})?\s*[ap]\.\s*m\.|noon|midnight)?\.?\s*(?:\[[^\]]*\]\.?\s*)*"
)
_NOUN_OF_BEFORE = re.compile(r"([A-Za-z-]+)(?:\s+(?:to|from)\s+(?:[A-Za-z.’']+\s+){1,3}?)?\s*of\s+$")
_GERUND_BEFORE = re.compile(r"\b(?:toward|towards|for|by|of|in|after|before|without|from|on)\s+$", re.I)
_CLOCK = r"\d{1,2}(?:[.:]\d{2})?\s*(?:[ap]\.\s*m\.|noon|midnight)"
_COORDINATED_DATES = re.compile(rf"\s*(?:,\s*{_CLOCK})?\s*,?\s*(?:and|or)\s+")
_REFERENCE_OPENING = re.compile(
    r"\W*(?:Your|My|Our|Referring|Reference|Department[’']s|Embassy[’']s|[A-Z][\w.]*[’']s\s+telegram)\b"
)
_UNTIL_BEFORE = re.compile(r"\b(?:until|till)\s+$", re.I)
_UNTIL_AFTER = re.compile(r"^\s+(?:[a-z]+\s+){0,3}?(?:until|till)\s+$")
_NOT_BEFORE = re.compile(r"\b(?:not|never)\s+(?:[a-z]+\s+){0,2}(?:until|till)\s+$")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:\S+\s+){0,3}?(?:and\s+)?$", re.I)
_PASSIVE_AGENT_AFTER = re.compile(r"(?:\s+(?:back|down|up|out|off))?\s+by\s+(?![\d$])", re.I)
_LATER_FINITE = re.compile(r"\b(?:was|were|is|are|has|have|had|will|would|did|does)\b")
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "who"})
_NEGATIVE_OBJECT = re.compile(r"\s+(?:nothing|none|no)\b", re.I)
_COORDINATION = re.compile(r"^\s*(?:,\s*)?(?:and|or)\s+(?:(?:[a-z]+ly|also|even|then|soon)\s+)?$")
_REPORTING_TYPES = {"statement", "correspondence", "publication", "proposal"}
_AUXILIARIES = frozenset({"was", "were", "had", "did"})
_THINKING_VERBS = sorted(_NONEVENT_VERBS - _AUXILIARIES)
_NOT_STATES = _AUXILIARIES | {"dated"}  # "the circular of the inspector dated January 22" dates the circular
_REPORTED = re.compile(
    rf"\b(?:{_alternation([w for w, t in _EVENT_VERBS.items() if t in _REPORTING_TYPES] + _THINKING_VERBS)})"
    r"\b[^;:]*?\b(?:that|why|whether|how)\b",
    re.I,
)

_ROLE_STRENGTH = {"agent": 0, "recipient": 1, "counterpart": 2, "place": 3, "mentioned": 4}
_DIRECTED = {"correspondence", "statement", "proposal", "appointment", "dismissal_or_resignation", "decision"}
_LABEL_WORDS = 7


@dataclass
class _Trigger:
    start: int
    end: int
    text: str
    event_type: str
    is_noun: bool = False
    generic: bool = False  # a past-tense verb outside the vocabulary (type "other")
    own_date_only: bool = False  # a common irregular verb ("gave", "took"): an event only with its own date


@dataclass
class _Sentence:
    """A body sentence with what the event rules need to know about it."""

    row: dict
    text: str
    triggers: list[_Trigger]
    predicates: list[_Trigger]
    times: list[dict] = field(default_factory=list)
    quoted_start: bool = False  # the sentence starts inside a quotation opened before it


def _overlaps(found: list[_Trigger], start: int, end: int) -> bool:
    return any(t.start < end and start < t.end for t in found)


def _triggers(text: str) -> list[_Trigger]:
    """Verb phrases from the vocabulary, then event nouns, then other past-tense verbs (type "other")."""
    found: list[_Trigger] = []
    words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]
    for start, end, kind in _phrases(words, _VERB_INDEX):
        found.append(_Trigger(start, end, text[start:end], kind))
    for start, end, kind in _phrases(words, _NOUN_INDEX):
        if text[start:end].lower().endswith("ing") and _GERUND_BEFORE.search(text[:start]):
            continue  # "toward meeting production targets" is a verb, not a meeting
        if not _overlaps(found, start, end):
            found.append(_Trigger(start, end, text[start:end], kind, is_noun=True))
    for match in _EMPHATIC_PAST.finditer(text):
        word = match.group(1)
        if word.lower() not in _NONEVENT_VERBS and not _overlaps(found, match.start(1), match.end(1)):
            words = re.findall(r"[A-Za-z’'-]+", text[: match.start()])
            if words and _has_subject(words, text, match.end(1)):
                found.append(_Trigger(match.start(1), match.end(1), word, "other"))
    for match in _IRREGULAR_PAST.finditer(text):
        word = match.group(0)
        if word not in _NONEVENT_VERBS and not _overlaps(found, match.start(), match.end()):
            found.append(_Trigger(match.start(), match.end(), word, "other", generic=True))
    for match in _PAST_TENSE.finditer(text):
        word = match.group(0)
        hyphenated = text[match.start() - 1 : match.start()] == "-"
        if (
            word not in _NONEVENT_VERBS
            and not hyphenated
            and not _overlaps(found, match.start(), match.end())
        ):
            found.append(_Trigger(match.start(), match.end(), word, "other", generic=True))
    return sorted(found, key=lambda t: t.start)


def _is_predicate(
    text: str, trigger: _Trigger, generic: bool = False, dated: bool = False, quoted: bool = False
) -> bool:
    """A finite past-tense predicate after its subject: not an infinitive, modal, negated or perfect form,
    not a participle after a determiner or preposition, not the first word of the sentence, not in quotation
    marks. A verb outside the vocabulary (generic) also needs a subject (see _has_subject). A predicate with
    its own date (dated) may be past perfect or quoted ("By that time, the envoy had 'retired.'")."""
    if trigger.is_noun or (not dated and _inside_quotes(text, trigger.start, quoted)):
        return False
    if text[trigger.start - 1 : trigger.start] == "-":
        return False
    words = re.findall(r"[A-Za-z’'-]+", text[: trigger.start])
    subject = _subject_words(text, trigger.start, words)
    if generic and not subject:
        return False
    words = subject or words
    while words and _ADVERB.fullmatch(words[-1].lower()) and len(words) > 1:
        words.pop()
    if not words:
        return False
    before = words[-1].lower()
    if dated and before in _PERFECT:
        before = words[-2].lower() if len(words) > 1 else ""
    elif before in _PERFECT:
        return False
    if before in _REJECT_BEFORE or (len(words) > 1 and words[-2].lower() in {"did", "not", "never"}):
        return False
    if generic and not _has_subject(words, text, trigger.end):
        return False
    if not generic and _participle_modifier(text, trigger, before):
        return False
    clause_start = _clause_of(text, trigger.start)[0]
    if _MODAL_BEFORE.search(text, clause_start, trigger.start):
        return False  # "will this afternoon execute", "would then sign": intended, not happened
    if _COMPARISON_BEFORE.search(text, clause_start, trigger.start):
        return False  # "more information than he deemed necessary"
    if _CONDITION_BEFORE.search(text, clause_start, trigger.start):
        return False  # "unless Congress provided the money": a condition, not a happening
    if not dated and (
        _CONDITIONAL_OPENING.match(text, 0, trigger.start)
        or _HABITUAL_BEFORE.search(text, clause_start, trigger.start)
        or _NEGATION_IN_CLAUSE.search(text, clause_start, trigger.start)
    ):
        return False  # "Fish always maintained", "no evidence anyone paid": a habit or a negation
    return not before.endswith("n't") and not _NEGATIVE_OBJECT.match(text, trigger.end)


_SUBORDINATOR = re.compile(
    r"\b(?:which|who|whom|whose|when|where|because|as|if|and|but|or|since|while|after|before|until"
    r"|that(?!\s+(?:year|month|week|day|time|date|period|spring|summer|autumn|fall|winter)\b))\b"
)


_COPULAS = frozenset({"was", "were", "is", "are", "be", "been", "became", "remained", "proved", "seemed"})
_JOINERS = frozenset({"and", "or", "but", "nor", "then", "yet"})


def _participle_modifier(text: str, trigger: _Trigger, before: str) -> bool:
    """ "The papers published in 1950 were lost", "the plan suggested by the Secretary": a participle after
    a common noun with a passive agent, or with no object after it and the clause's finite verb still to
    come, with no conjunction or relative word in between."""
    if not before.isalpha() or not before.islower() or before in _SUBJECT_PRONOUNS | _AUXILIARIES | _JOINERS:
        return False  # "the states were chartered end of last year ... would be sent": a passive verb
    if _OBJECT_AFTER.match(text, trigger.end):
        return False
    if _PASSIVE_AGENT_AFTER.match(text, trigger.end):
        return True  # "the plan suggested by the Secretary"
    finite = _LATER_FINITE.search(text, trigger.end, _clause_of(text, trigger.start)[1])
    return finite is not None and not _SUBORDINATOR.search(text, trigger.end, finite.start())


def _dated_passive(text: str, trigger: _Trigger, start: int) -> bool:
    """ "which were chartered on the 30 March": a passive verb with its date right after it."""
    passive = re.search(r"\b(?:was|were)\s+(?:[a-z]+ly\s+)?$", text[: trigger.start])
    return passive is not None and trigger.end <= start and len(text[trigger.end : start].split()) <= 3


def _negated_until(text: str, trigger: _Trigger, start: int) -> bool:
    """ "were not published until 1909": the happening is dated by the date after "until"."""
    negated = re.search(r"\b(?:not|never)\s+(?:[a-z]+\s+){0,1}$", text[: trigger.start])
    return negated is not None and _UNTIL_AFTER.match(text[trigger.end : start]) is not None


_RELATIVE_BEFORE = re.compile(  # a relative clause or an appositive between subject and verb
    r",\s*(?:(?i:who|whom|whose|which|the|a|an)\b|[A-Z])[^,;:]*,\s*$"
)
_PARENTHETICAL_BEFORE = re.compile(
    r"\s*,\s*(?:however|though|too|also|moreover|nevertheless|therefore|in turn"
    r"|for (?:his|her|its|their) part|[a-z]+ly)\s*,\s*$",
    re.I,
)


def _subject_words(text: str, start: int, words: list[str]) -> list[str]:
    """The words a verb's subject ends: those right before it, or, when a non-restrictive relative clause,
    an appositive or a parenthetical adverb stands between ("The ambassador, who had arrived the week
    before, protested", "Ryanair's CEO, Michael O'Leary, justified"), those before it; none after another
    comma ("The delegates, tired after the journey,": not a predicate)."""
    before = text[:start].rstrip()
    before = re.sub(r"(?:\s+[A-Za-z]+ly)+$", "", before)  # "The envoy, who was ill, promptly resigned"
    parenthetical = _PARENTHETICAL_BEFORE.search(before)  # "Litvinov, however, penned"
    if parenthetical:
        return re.findall(r"[A-Za-z’'-]+", before[: parenthetical.start()])
    if before.endswith(("—", "–", " -")):
        return []  # "complaints—heard many times before—": an aside, not a predicate
    if not before.endswith(","):
        return words
    relative = _RELATIVE_BEFORE.search(before)
    if relative is None:
        return []
    return re.findall(r"[A-Za-z’'-]+", before[: relative.start()])


def _has_subject(words: list[str], text: str, end: int) -> bool:
    """A verb outside the vocabulary needs a pronoun or a name right before it, or a common noun that ends
    a noun phrase ("Department officials", "the printing policy") with an object after the verb."""
    last = words[-1]
    if last.lower() in _SUBJECT_PRONOUNS or (last[0].isupper() and not last.endswith(("’s", "'s"))):
        return True
    if not last.isalpha() or last.endswith(("ly", "ing")) or last.lower() in _NONEVENT_VERBS | _REJECT_BEFORE:
        return False
    if len(words) > 1 and words[-2].lower() == "to":  # "Pressure on Fish to respond rapidly reached"
        return False
    phrase = " ".join(words[-5:])
    noun_phrase = _LAST_NOUN_PHRASE.match(phrase)
    if not noun_phrase:
        return False
    before = phrase[: noun_phrase.start(1)].split()
    first = noun_phrase.group(1).split()[0]
    if (
        before
        and (before[-1].lower() in _REJECT_BEFORE | _PERFECT | _COPULAS or before[-1].endswith("ing"))
        and re.search(rf"\b{re.escape(before[-1])}\s+{re.escape(first)}\b", text)  # not "of 1920 the board"
    ):
        return False  # "confirming the position laid out", "This was an issue guaranteed to": not a subject
    if _OBJECT_AFTER.match(text, end):
        return True
    # "Global stock markets fell today", "indexes posted gains": no object with a determiner, but no finite
    # verb later in the clause either (before a conjunction or relative word), which a participle modifier
    # would need ("the papers published in 1950 were lost"); "dragged down by the crisis" is a passive
    if _PASSIVE_AGENT_AFTER.match(text, end):
        return False
    clause_end = _clause_of(text, end)[1]
    subordinate = _SUBORDINATOR.search(text, end, clause_end)
    return not _LATER_FINITE.search(text, end, subordinate.start() if subordinate else clause_end)


def _inside_quotes(text: str, position: int, opened: bool = False) -> bool:
    """True inside a quotation (straight quotes counted, curly ones paired); opened when the sentence
    starts inside one that an earlier sentence of the paragraph opened."""
    for match in _QUOTES.finditer(text, 0, position):
        mark = match.group(0)
        opened = True if mark == "“" else False if mark == "”" else not opened
    return opened


@lru_cache(maxsize=8192)  # asked many times per sentence by the predicate, date and certainty rules
def _clause_of(text: str, position: int) -> tuple[int, int]:
    """The stretch of the sentence between clause breaks around a position; an opening subordinate or
    participial clause ("When ... ,", "Writing publicly in 1944,") is a clause of its own."""
    start, end = 0, len(text)
    opening = _SUBORDINATE_OPENING.match(text)
    if opening and not _QUOTES.search(opening.group(0)):
        if position < opening.end():
            end = opening.end() - 1
        else:
            start = opening.end()
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = match.start()
            break
    if start > 0 and _RELATIVE_CLAUSE_START.match(text, start):  # ", who had served since 1920, resigned"
        comma = text.find(",", position, end)
        end = comma if comma != -1 else end
    return start, end


def _pick_trigger(sentence: _Sentence, timex: dict) -> _Trigger | None:
    """The trigger a time expression dates: its event noun, else the nearest predicate in its clause."""
    text, offset = sentence.text, sentence.row["char_start"]
    start, end = timex["char_start"] - offset, timex["char_end"] - offset
    if timex["usage"] == "attributive":
        noun = _attached_noun(text, start, end)
        if noun is None:
            return None
        return _Trigger(
            noun[0], noun[1], text[noun[0] : noun[1]], _EVENT_NOUN_TYPES.get(noun[2], "other"), True
        )
    usable = [
        t
        for t in sentence.triggers
        if t.is_noun
        or _is_predicate(text, t, generic=t.generic, dated=True)
        or _negated_until(text, t, start)
        or _dated_passive(text, t, start)
    ]
    if _inside_quotes(text, start, sentence.quoted_start):  # a quoted date dates only quoted words
        usable = [t for t in usable if _inside_quotes(text, t.start, sentence.quoted_start)]
    if _MODAL_BEFORE.search(text, _clause_of(text, start)[0], start):
        return None  # "will this afternoon execute": a date of what is intended
    usable = [  # "the Board will execute the charters": the object of an intention
        t
        for t in usable
        if not (t.is_noun and _MODAL_BEFORE.search(text, _clause_of(text, t.start)[0], t.start))
    ]
    reported = _REPORTED.search(text[:start])
    if reported:  # a date inside what someone said dates what they said happened, not the saying
        usable = [t for t in usable if t.start >= reported.end()]
    when_clause = re.match(r",?\s+when\s+", text[end:])
    if when_clause:  # "until May, when the Senate acquitted him"
        following = [t for t in usable if not t.is_noun and t.start >= end + when_clause.end()]
        if following:
            return following[0]
    if _UNTIL_BEFORE.search(text[:start]) and not _NOT_BEFORE.search(text[:start]):
        usable = [
            t for t in usable if _negated_until(text, t, start)
        ]  # "a delay until the fall" dates no verb
    candidates = [t for t in usable if t.end <= start or t.start >= end]
    clause = _clause_of(text, start)
    inside = [t for t in candidates if clause[0] <= t.start < clause[1]]
    if not inside and not _RELATIVE_CLAUSE_START.match(text, clause[0]):
        # a date in a clause without a predicate of its own dates the sentence's, but not from inside a
        # relative clause ("The minister, who had served since 1920, resigned in 1925")
        inside = [t for t in candidates if t.is_noun or not _REPORTED.search(text, 0, t.start)]
    if not inside:
        return None
    accompanying = re.match(r"\s+with\s+the\s+", text[end:])
    if accompanying:
        joined = [t for t in inside if t.is_noun and t.start == end + accompanying.end()]
        if joined:
            return joined[0]
    leading = [t for t in inside if t.is_noun and t.end <= start and len(text[t.end : start].split()) <= 3]
    if leading and not any(leading[-1].end <= t.start < start for t in inside if not t.is_noun):
        return leading[-1]
    verbs = [t for t in inside if not t.is_noun]
    if verbs:
        return min(verbs, key=lambda t: (_distance(text, start, end, t), t.start))
    nearest = min(inside, key=lambda t: (_distance(text, start, end, t), t.start))
    between = text[nearest.end : start] if nearest.end <= start else text[end : nearest.start]
    states = {w.lower() for w in re.findall(r"[A-Za-z]+", between)} & (_NONEVENT_VERBS - _NOT_STATES)
    return None if states else nearest


def _distance(text: str, start: int, end: int, trigger: _Trigger) -> int:
    """Characters between date and trigger; a coordination ("and", a comma) in between costs a clause."""
    between = text[end : trigger.start] if trigger.start >= end else text[trigger.end : start]
    return len(between) + (1000 if re.search(r",|\band\b", between) else 0)


def _event_noun(word: str) -> str | None:
    """The vocabulary form of an event noun, singular or plural ("telegrams" -> "telegram")."""
    low = word.lower()
    if low in EVENT_NOUNS:
        return low
    return low[:-1] if low.endswith("s") and low[:-1] in EVENT_NOUNS else None


def _attached_noun(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The event noun an attributive date modifies ("the 1922 memo", "the Conference of 1922")."""
    before = _NOUN_OF_BEFORE.search(text[:start])
    if before and _event_noun(before.group(1)):
        return before.start(1), before.end(1), _event_noun(before.group(1))
    named = re.search(r"([A-Za-z-]+)\s+$", text[:start])  # "the Anglo-Russian convention 1916"
    if named and _event_noun(named.group(1)):
        return named.start(1), named.end(1), _event_noun(named.group(1))
    after = re.match(r"(\s+[A-Za-z-]+){1,2}(?:\s+[A-Z][A-Za-z-]*){0,3}(?:\s+[a-z-]+){0,2}", text[end:])
    if after:
        for word in re.finditer(r"[A-Za-z-]+", after.group(0)):
            if _event_noun(word.group(0)):
                return end + word.start(), end + word.end(), _event_noun(word.group(0))
    return None


def _certainty(text: str, trigger: _Trigger) -> tuple[str, str | None]:
    """The strongest hedge in the trigger's clause (FactBank: certain, probable, possible)."""
    start, end = _clause_of(text, trigger.start)
    cues = [m.group(0) for m in _HEDGE_PATTERN.finditer(text, start, end)]
    for level in ("probable", "possible"):
        cue = next((c for c in cues if _HEDGES[" ".join(c.lower().split())] == level), None)
        if cue:
            return level, cue
    return "certain", None


_PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|with|from|by|of|in|at|for|on|about|against)\s+(?:[A-Za-z.’']+\s+){0,3}$"
)
_POSSESSIVE_PRONOUNS = {"his", "her", "their", "its"}
_SHARED_TYPES = {"meeting", "agreement", "conference"}
_FALLBACK_AGENT_TYPES = {"correspondence", "statement", "proposal", "publication", "travel", "meeting"}
_OBJECT_GAP = r"^\s*(?:[A-Za-z]+,?\s+){0,6}%s\s+(?:[A-Za-z.,’']+\s+){0,3}$"


def _can_be_agent(mention: dict, trigger: _Trigger, text: str, offset: int) -> bool:
    """Before the trigger, in its clause, not after a preposition, not set off by a comma (an appositive)."""
    start, end = mention["char_start"] - offset, mention["char_end"] - offset
    if mention["entity_type"] == "place" or start >= trigger.start:
        return False
    if start < _clause_of(text, trigger.start)[0] or _PREPOSITION_BEFORE.search(text[:start]):
        return False
    between = text[end : trigger.start]
    if trigger.is_noun:
        possessive = mention["match_kind"] == "possessive" or mention["text"].lower() in _POSSESSIVE_PRONOUNS
        return possessive and len(between.split()) <= 2
    if mention["match_kind"] == "possessive":
        return len(between.split()) <= 3 and "," not in between
    return "," not in between


def _object_role(gap: str, event_type: str) -> str | None:
    """Role of a mention standing gap characters after the trigger."""
    if re.match(_OBJECT_GAP % "by", gap):
        return "agent"
    if re.match(_OBJECT_GAP % "from", gap) and event_type == "correspondence":
        return "agent"
    if re.match(_OBJECT_GAP % "(?:with|and)", gap):
        return "counterpart"
    directed = "recipient" if event_type in _DIRECTED else "counterpart"
    if re.match(_OBJECT_GAP % "to", gap) or re.match(r"^\s*(?:[a-z]+,?\s+){0,3}$", gap):
        return directed
    return None


def _participants(event: dict, mentions: list[dict], trigger: _Trigger, text: str, offset: int) -> list[dict]:
    """One row per entity with its strongest role (see docs/event-types.md for the rules)."""
    roles: dict[str, tuple[str, dict]] = {}

    def assign(mention: dict, role: str) -> None:
        previous = roles.get(mention["entity_id"])
        if previous is None or _ROLE_STRENGTH[role] < _ROLE_STRENGTH[previous[0]]:
            roles[mention["entity_id"]] = (role, mention)

    agents = [m for m in mentions if _can_be_agent(m, trigger, text, offset)]
    if agents:
        nearest = agents[-1]
        assign(nearest, "agent")
        for other in agents[:-1]:
            joined = text[other["char_end"] - offset : nearest["char_start"] - offset]
            if re.fullmatch(r"\s+and\s+(?:[A-Z][\w.]*\s+){0,4}", joined):
                assign(other, "agent")
    clause_end = _clause_of(text, trigger.start)[1]
    previous: tuple[dict, str] | None = None
    for mention in mentions:
        start = mention["char_start"] - offset
        role = "place" if mention["entity_type"] == "place" else "mentioned"
        if mention["text"].lower() in _POSSESSIVE_PRONOUNS:
            assign(mention, role)
            continue
        if role == "place":
            assign(mention, role)
            continue
        if trigger.end <= start <= clause_end:
            if previous is None:
                role = _object_role(text[trigger.end : start], event["event_type"]) or "mentioned"
            elif re.fullmatch(r"\s+and\s+", text[previous[0]["char_end"] - offset : start]):
                role = previous[1]
            previous = (mention, role)
        assign(mention, role)
    if event["event_type"] in _FALLBACK_AGENT_TYPES and not any(r == "agent" for r, _ in roles.values()):
        fallback = next(
            (
                m
                for m in mentions
                if roles[m["entity_id"]][0] == "mentioned"
                and m["entity_type"] != "place"
                and (trigger.is_noun or m["char_start"] - offset < trigger.start)
                and not _PREPOSITION_BEFORE.search(text[: m["char_start"] - offset])
            ),
            None,
        )
        if fallback is not None:
            roles[fallback["entity_id"]] = ("agent", fallback)
    if event["event_type"] in _SHARED_TYPES:
        clause = _clause_of(text, trigger.start)
        for entity_id, (role, mention) in list(roles.items()):
            if role == "mentioned" and clause[0] <= mention["char_start"] - offset < clause[1]:
                roles[entity_id] = ("counterpart", mention)
    return [
        {
            "event_id": event["event_id"],
            "document_id": event["document_id"],
            "entity_id": entity_id,
            "entity_type": mention["entity_type"],
            "role": role,
            "mention_id": mention["mention_id"],
        }
        for entity_id, (role, mention) in roles.items()
    ]


def _label(text: str, trigger: _Trigger, agent_name: str | None) -> str:
    words = re.findall(r"\S+", text[trigger.start :])[:_LABEL_WORDS]
    clause_end = _clause_of(text, trigger.start)[1]
    phrase = " ".join(words)
    phrase = phrase[: max(len(trigger.text), clause_end - trigger.start)].rstrip(' ,.;:"”')
    return f"{agent_name}: {phrase}" if agent_name else phrase


_NAME_PREFERENCE = [
    "full_name",
    "title",
    "name",
    "surname",
    "alias",
    "initials",
    "possessive",
    "role",
    "pronoun",
]


def _display_names(mentions: pl.DataFrame) -> dict[str, str]:
    """A readable name per entity: its fullest mention (full name before surname, never a pronoun)."""
    rank = {kind: i for i, kind in enumerate(_NAME_PREFERENCE)}
    names: dict[str, tuple[int, int, str]] = {}
    for row in mentions.iter_rows(named=True):
        key = (rank.get(row["match_kind"], len(rank)), -len(row["text"]), row["text"])
        if row["match_kind"] != "pronoun" and (
            row["entity_id"] not in names or key < names[row["entity_id"]]
        ):
            names[row["entity_id"]] = key
    return {entity_id: key[2] for entity_id, key in names.items()}


def _eligible(timex: dict, sentence_text: str) -> bool:
    if timex["edtf"] is None or timex["precision"] in ("decade", "century"):
        return False
    return not sentence_text.rstrip().endswith("?")


def _is_reference_time(timex: dict, sentence: _Sentence) -> bool:
    """A narrative date later clauses of the paragraph can take: dated, of year precision or finer, not an
    open "before/after" interval, not a date that only qualifies a thing, not inside reported words."""
    if not _eligible(timex, sentence.text) or timex["modifier"] in ("before", "after"):
        return False
    if any(t["precision"] in ("decade", "century") for t in sentence.times):
        return False  # a sentence about a period ("the goal of the 1960s by 1990") sets no narrative time
    if timex["date_earliest"] is None and timex["date_latest"] is None:
        return False
    start = timex["char_start"] - sentence.row["char_start"]
    if (
        timex["usage"] == "attributive"
        and _attached_noun(sentence.text, start, timex["char_end"] - sentence.row["char_start"]) is None
    ):
        return False
    if _is_period(timex, sentence.text[:start]) or _is_reference(sentence, start):
        return False
    if _RECOLLECTION_BEFORE.search(sentence.text, 0, start):
        return False  # "thinking of the 1936 crisis, Litvinov lamented": the narrative stays where it was
    return _REPORTED.search(sentence.text, 0, start) is None and not _inside_quotes(sentence.text, start)


def extract_events(
    sentences: pl.DataFrame, time_expressions: pl.DataFrame, mentions: pl.DataFrame, footnotes: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Events, event_participants and event_citations (event -> supporting footnote) for one document.

    Needs the sentences, time_expressions (from pipeline.extract.dates), mentions
    (pipeline.extract.entities) and footnotes tables of the same cleaned text; IDs are
    "<document_id>:e001" in text order.
    """
    by_sentence = {row["sentence_id"]: row for row in sentences.iter_rows(named=True)}
    body_mentions = mentions.filter(pl.col("sentence_id").is_not_null()).sort("char_start")
    mentions_by_sentence: dict[str, list[dict]] = {}
    for mention in body_mentions.iter_rows(named=True):
        mentions_by_sentence.setdefault(mention["sentence_id"], []).append(mention)
    names = _display_names(body_mentions) if body_mentions.height else {}
    found = _find_events(sentences, time_expressions)
    events: list[dict] = []
    participants: list[dict] = []
    for number, (sentence, trigger, timex, basis, note) in enumerate(found, start=1):
        row, text, offset = sentence.row, sentence.text, sentence.row["char_start"]
        event = _event_row(sentence, trigger, timex, basis, note, number)
        rows = _participants(event, mentions_by_sentence.get(row["sentence_id"], []), trigger, text, offset)
        agent = next((r["entity_id"] for r in rows if r["role"] == "agent"), None)
        event["label"] = _label(text, trigger, names.get(agent) if agent else None)
        events.append(event)
        participants.extend(rows)
    citations = _supporting_notes(events, by_sentence, footnotes)
    return (
        rows_to_frame("events", events),
        rows_to_frame("event_participants", participants),
        rows_to_frame("event_citations", citations),
    )


_Found = tuple[_Sentence, _Trigger, dict, str, str | None]


def _find_events(sentences: pl.DataFrame, time_expressions: pl.DataFrame) -> list[_Found]:
    """Every (sentence, trigger, time expression, date basis, note) in text order."""
    times_by_sentence: dict[str, list[dict]] = {}
    for timex in time_expressions.sort("char_start").iter_rows(named=True):
        times_by_sentence.setdefault(timex["sentence_id"], []).append(timex)
    found: list[_Found] = []
    reference: dict | None = None
    carried: dict | None = None  # the last narrative date of an earlier paragraph
    paragraph: str | None = None
    source_document: str | None = None
    quoted = False
    for row in sentences.sort("char_start").iter_rows(named=True):
        if row.get("source_document_id") != source_document:  # a new letter or telegram: its own dates
            source_document, reference, carried = row.get("source_document_id"), None, None
        if row["paragraph_id"] != paragraph:  # the narrative's date carries over the paragraph break
            paragraph, quoted = row["paragraph_id"], False
            carried, reference = reference or carried, None
        text = row["text"] or ""
        triggers = _triggers(text)
        predicates = [
            t
            for t in triggers
            if not t.own_date_only and _is_predicate(text, t, generic=t.generic, quoted=quoted)
        ]
        sentence = _Sentence(row, text, triggers, predicates, quoted_start=quoted)
        quoted = _inside_quotes(text, len(text), quoted)
        sentence.times = times_by_sentence.get(row["sentence_id"], [])
        dateline = _dateline(sentence)
        if dateline is not None:
            end = dateline["char_end"] - row["char_start"]
            trigger = _Trigger(0, end, text[:end], "correspondence")
            basis = "relative" if dateline["is_relative"] else "explicit"
            found.append((sentence, trigger, dateline, basis, "dateline of a letter or telegram"))
            reference = dateline
            continue
        if text.rstrip().endswith("?"):
            reference = _last_reference(sentence, reference, len(text))
            continue
        found_here: list[tuple[_Trigger, dict, str, str | None]] = []
        dated_clauses: list[tuple[int, int]] = []
        for timex in sentence.times:
            if not _eligible(timex, text):
                continue
            start = timex["char_start"] - row["char_start"]
            if _is_period(timex, text[:start]):  # "between 1905 and the mid-1920s" is a period
                continue
            if _is_reference(sentence, start):  # "Your 2321, February 2, 9 p.m.": a cited telegram
                continue
            previous = found_here[-1] if found_here else None
            between = text[previous[1]["char_end"] - row["char_start"] : start] if previous else ""
            if previous and _COORDINATED_DATES.fullmatch(between):
                trigger = previous[0]  # "In both 1906 and 1907, Congress refused": one event per date
            else:
                trigger = _pick_trigger(sentence, timex)
                if trigger is None or _overlaps([f[0] for f in found_here], trigger.start, trigger.end):
                    continue  # one predicate, one date
            dated_clauses.append(_clause_of(text, start))
            basis = "relative" if timex["is_relative"] else "explicit"
            found_here.append((trigger, timex, basis, None))
            found_here.extend((t, timex, basis, None) for t in _coordinated(sentence, trigger))
        found_here.extend(_context_events(sentence, found_here, dated_clauses, reference, carried))
        found.extend((sentence, *item) for item in sorted(found_here, key=lambda f: f[0].start))
        reference = _last_reference(sentence, reference, len(text))
    return found


def _is_period(timex: dict, before: str) -> bool:
    """ "between 1905 and the mid-1920s", found as one range or as its two ends, spans a period."""
    return timex["text"].lower().startswith("between") or _BETWEEN_BEFORE.search(before) is not None


def _is_reference(sentence: _Sentence, start: int) -> bool:
    """A date in the reference that opens a telegram ("Your 2321, February 2, 9 p.m.", "Referring to your
    telegram April 25", "Stevens's telegram of May 21"): it cites a message, it narrates nothing new."""
    if not _REFERENCE_OPENING.match(sentence.text):
        return False
    return not any(t.start < start for t in sentence.predicates)


def _dateline(sentence: _Sentence) -> dict | None:
    """The date of a dateline, a paragraph that is only a place and a date with its hour ("[Telegram]
    Washington, March 30, 1918, 4 p.m. [Received ...]", "April 27, 2 p.m."): the letter or telegram under
    it was written or sent then. Dates inside the bracketed notes after it (receipt) are not its date."""
    if not sentence.times or sentence.times[0]["precision"] != "day":
        return None
    timex, offset = sentence.times[0], sentence.row["char_start"]
    before = sentence.text[: timex["char_start"] - offset]
    after = sentence.text[timex["char_end"] - offset :]
    if _DATELINE_PLACE.fullmatch(before) and _DATELINE_TAIL.fullmatch(after):
        return timex
    return None


def _coordinated(sentence: _Sentence, trigger: _Trigger) -> list[_Trigger]:
    """Predicates joined to a dated one by "and" with no new subject ("gave it up and emigrated")."""
    joined: list[_Trigger] = []
    last = trigger
    for other in sentence.predicates:
        if other.start < last.end:
            continue
        between = sentence.text[last.end : other.start]
        object_removed = re.sub(r"^(?:\s+[A-Za-z’'-]+){0,6}?(?=\s*,?\s*(?:and|or)\s)", "", between)
        if not _COORDINATION.match(object_removed) or re.search(r"[;:()]", between):
            break
        joined.append(other)
        last = other
    return joined


def _context_events(
    sentence: _Sentence,
    found_here: list[tuple[_Trigger, dict, str, str | None]],
    dated_clauses: list[tuple[int, int]],
    reference: dict | None,
    carried: dict | None = None,
) -> list[tuple[_Trigger, dict, str, str | None]]:
    """Undated clauses take the reference time current where they stand (see the module docstring): the
    paragraph's last narrative date before them, else the one carried from an earlier paragraph."""
    text = sentence.text
    if any(t["precision"] in ("decade", "century") for t in sentence.times):
        return []
    used = [f[0] for f in found_here]
    out: list[tuple[_Trigger, dict, str, str | None]] = []
    opening = _dated_time_clause(sentence)
    for trigger in sentence.predicates:
        if _overlaps(used, trigger.start, trigger.end):
            continue
        clause = _clause_of(text, trigger.start)
        if any(clause[0] <= start < clause[1] for start, _ in dated_clauses):
            continue
        anchor = _last_reference(sentence, reference, trigger.start)
        if _REPORTED.search(text, 0, trigger.start):
            continue
        if _in_background_opening(text, trigger.start):
            continue  # "Although many hoped ... after the war ended,": background to the main clause
        main_of_dated = opening is not None and trigger.start >= opening[0]
        cue = (
            _CUE_PATTERN.match(text, clause[0], trigger.start)
            or (None if main_of_dated else _CUE_PATTERN.match(text, 0, trigger.start))
            or _ADVERB_CUE.search(text, clause[0], trigger.start)
        )
        placement = _TIME_CUES[" ".join(cue.group(1).lower().split())] if cue else "same"
        if main_of_dated and opening is not None and opening[1] in _AFTER_OPENERS:
            placement = "after"  # "After the armistice of November 1918, he returned": from that date on
        note_source = "of the paragraph"
        if anchor is None:
            anchor, note_source = carried, "carried from an earlier paragraph"
        if placement == "unknown" or anchor is None:
            continue
        note = f"reference time {note_source}: {anchor['text']!r}"
        if placement == "after":
            if anchor["date_earliest"] is None:
                continue
            said = cue.group(1).strip() if cue else (opening[1] if opening else "after")
            note = f"after the reference time {anchor['text']!r} ({said!r}); open end"
        out.append((trigger, anchor, "context", note))
        used.append(trigger)
    return out


_TIME_OPENERS = frozenset({"when", "after", "once", "as", "while", "before"})
_AFTER_OPENERS = frozenset({"after", "once"})


_BACKGROUND_OPENING = re.compile(r"^\W*(?:although|though|because|if|unless|whether)\b[^,;:]*,", re.I)


def _in_background_opening(text: str, position: int) -> bool:
    """Inside an opening concessive, causal or conditional clause; such an opener does not place the main
    clause in time, so the main clause is dated as if it were not there."""
    opening = _BACKGROUND_OPENING.match(text)
    return opening is not None and position < opening.end()


def _dated_time_clause(sentence: _Sentence) -> tuple[int, str] | None:
    """(end, opener) of an opening time clause that has a narrative date of its own ("When the treaty was
    signed in May 1918, ..."): it dates its own clause, and the main clause takes that date as its
    reference (from it on, for "After ..."). An undated one places the sentence nowhere we know."""
    opening = _SUBORDINATE_OPENING.match(sentence.text)
    if opening is None or _QUOTES.search(opening.group(0)):
        return None
    opener = opening.group(0).lstrip(" \"“'(").split()[0].lower().rstrip(",")
    if opener not in _TIME_OPENERS:
        return None
    offset = sentence.row["char_start"]
    dated = any(
        t["char_start"] - offset < opening.end() and _is_reference_time(t, sentence) for t in sentence.times
    )
    return (opening.end(), opener) if dated else None


def _last_reference(sentence: _Sentence, reference: dict | None, before: int) -> dict | None:
    """The reference time after the sentence's own narrative dates that stand before a position."""
    for timex in sentence.times:
        if timex["char_start"] - sentence.row["char_start"] < before and _is_reference_time(timex, sentence):
            reference = timex
    return reference


def _open_end(timex: dict) -> str:
    first = timex["edtf"].split("/")[0].rstrip("~")
    return f"{first}/.."


def _event_row(
    sentence: _Sentence, trigger: _Trigger, timex: dict, basis: str, note: str | None, number: int
) -> dict:
    offset = sentence.row["char_start"]
    certainty, cue = _certainty(sentence.text, trigger)
    own_date = basis != "context"
    after = note is not None and note.startswith("after")
    start, end = offset + trigger.start, offset + trigger.end
    if own_date:
        start, end = min(start, timex["char_start"]), max(end, timex["char_end"])
    return {
        "event_id": f"{sentence.row['document_id']}:e{number:03d}",
        "document_id": sentence.row["document_id"],
        "sentence_id": sentence.row["sentence_id"],
        "char_start": start,
        "char_end": end,
        "event_type": trigger.event_type,
        "trigger": trigger.text,
        "label": None,
        "time_expression_id": timex["time_expression_id"],
        "date_basis": basis,
        "date_note": note,
        "date_text": timex["text"],
        "edtf": _open_end(timex) if after else timex["edtf"],
        "date_earliest": timex["date_earliest"],
        "date_latest": None if after else timex["date_latest"],
        "precision": timex["precision"],
        "certainty": certainty,
        "certainty_cue": cue,
    }


def _supporting_notes(
    events: list[dict], by_sentence: dict[str, dict], footnotes: pl.DataFrame
) -> list[dict]:
    """The note whose marker is in the event's sentence, else the next marker later in the same paragraph."""
    notes = footnotes.filter(pl.col("sentence_id").is_not_null()).sort("marker_offset").to_dicts()
    # Grouped once (in marker order), so a long paper's events do not each scan all its notes.
    notes_in_sentence: dict[str, list[dict]] = defaultdict(list)
    notes_in_paragraph: dict[str, list[dict]] = defaultdict(list)
    for note in notes:
        notes_in_sentence[note["sentence_id"]].append(note)
        notes_in_paragraph[note["paragraph_id"]].append(note)
    rows = []
    for event in events:
        sentence = by_sentence[event["sentence_id"]]
        own = notes_in_sentence.get(sentence["sentence_id"], [])
        rule = "marker_in_sentence"
        if not own:
            rule = "next_marker_in_paragraph"
            later = [
                n
                for n in notes_in_paragraph.get(sentence["paragraph_id"], [])
                if n["marker_offset"] >= sentence["char_end"]
            ]
            own = later[:1]
        rows.extend(
            {
                "event_id": event["event_id"],
                "document_id": event["document_id"],
                "footnote_id": note["footnote_id"],
                "link_rule": rule,
            }
            for note in own
        )
    return rows
