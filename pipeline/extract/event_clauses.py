"""Clauses and predicates for the event rules: the vocabularies, the trigger words of a sentence, whether
a trigger is a finite predicate after its subject (not a participle modifier, a habit, a negation, a
condition), and the clause a position stands in. Pure functions of a sentence's text; the dating and the
participants are in pipeline.extract.events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from pipeline.extract.event_documents import document_speaks
from pipeline.package.schema import load_table_spec
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
_DATED_ONLY_VERBS = frozenset(load_words("event_ambiguous_verbs"))  # "held talks" / "held the view"
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


def _phrases(words: list[tuple[int, int, str]], index: dict, text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, type) of the index's phrases in a sentence's words, left to right; the
    words of a phrase stand apart by spaces only ("were called, on the pretext" is no "called on")."""
    found, position = [], 0
    while position < len(words):
        for phrase, kind in index.get(words[position][2], ()):
            end = position + len(phrase)
            span = words[position:end]
            if tuple(w[2] for w in span) == phrase and all(
                text[a[1] : b[0]].isspace() for a, b in pairwise(span)
            ):
                found.append((words[position][0], words[end - 1][1], kind))
                position = end - 1
                break
        position += 1
    return found


_PAST_TENSE = re.compile(r"\b(?!(?:hundred|kindred|sacred)\b)[a-z]{3,}ed\b")  # "one hundred" is no verb
_VERB_PREFIX_BEFORE = re.compile(r"(?<![A-Za-z-])(?:re|co|pre)-$", re.I)
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
    r"|despite|far\s+from|instead\s+of|rather\s+than|apart\s+from|[A-Za-z]+ing)\b"  # "Far from ...,"
    r"(?:[^,;:]|,(?=\s*\d{4}\b))*,",  # a comma before a year ("May 8, 1873") goes on
    re.I,
)
_QUOTES = re.compile(r"[\"“”]")
_ADVERB = re.compile(
    r"(?:[a-z]+ly|also|even|still|then|soon|thus|once|further|however|again|now|already|just)$"
)
_REJECT_BEFORE = frozenset(
    """to would could should might may must will can shall not never n't no be being been is are am
    the a an his her their its this these those our my your of in on at for with from by into upon about
    against over under through without before after think believe consider hope suppose
    felt whenever""".split()
)
_MODAL_BEFORE = re.compile(
    r"\b(?:will|would|shall|may|might|could|should|must|can|cannot)\s+(?:[a-z]+\s+){0,3}$", re.I
)
_RELATIVE_CLAUSE_START = re.compile(r"[\s,\"”]*(?:[a-z]+\s+){0,4}?(?:which|whom|whose|who)\b")
_COMPARISON_BEFORE = re.compile(r"\bthan\s+(?:[a-z]+\s+){0,2}$", re.I)
_CONDITION_BEFORE = re.compile(r"\b(?:if|unless|whether)\b[^,;:]*$", re.I)
_PERFECT = frozenset({"had", "has", "have"})
_DROPPED_SUBJECT_PERFECT = re.compile(r"\W*(?:Have|Has)\s+(?:(?:just|now|already|today|to-day)\s+)?")
_OBJECT_AFTER = re.compile(r"\s+(?:(?:the|a|an|his|her|their|its|this|that|these|those|him|them|it)\b|[A-Z])")
_NOUN_PHRASE_END = re.compile(
    r"\b(?:the|a|an|his|her|their|its|this|these|those|[A-Z][\w.’']*)(?:\s+[a-z-]+(?:[’']s)?){1,3}$"
)
_RIGHT_BEFORE_VERB = r"(?:\s*,\s*[a-z]+\s*,)?\s+(?:[a-z]+ly\s+|again\s+|also\s+)?[A-Za-z-]+$"  # ", however,"
_NOT_NOMINAL = frozenset(
    "as is are was were has have had be been very much so too himself herself itself themselves it he she "
    "they who which that there here not also still".split()
)
_CLAUSE_OPENERS = frozenset("and but as when while after before since because then of".split())
_BARE_PLURAL = re.compile(r"[a-z]{3,}[^su]s")
_LAST_NOUN_PHRASE = re.compile(rf"^.*({_NOUN_PHRASE_END.pattern.removesuffix('$')})$")  # its latest start
_DATELINE_PLACE = re.compile(  # "Washington,", "Department of State, Washington,", "[Washington,]";
    # an office, its department and the city
    r"(?:\[[^\]]*\]\s*)*(?:[A-Z][A-Za-z.’' -]{1,40},\s*){0,3}"
)
_DATELINE_TAIL = re.compile(  # its hour after a comma or a dash: "—7 p.m."
    r"[.,—–-]?\s*(?:\d{1,2}(?:[.:]\d{2})?\s*[ap]\.\s*m\.|noon|midnight)?\.?\s*(?:\[[^\]]*\]\.?\s*)*"
)
_NOUN_OF_BEFORE = re.compile(  # "the mission to Paris of 1919", not "a retreat from the posture of the 1970s"
    r"([A-Za-z-]+)(?:\s+(?:to|from)\s+(?:(?:the|you|him|her|them|us|me|[A-Z][A-Za-z.’']*)\s+){1,3}?)?\s*of\s+$"
)
_GERUND_BEFORE = re.compile(r"\b(?:toward|towards|for|by|of|in|after|before|without|from|on)\s+$", re.I)
_COMPOUND_HEAD_AFTER = re.compile(  # a common noun right after: not a verb, a function word or an adverb
    r" (?!(?:was|were|is|are|had|has|have|did|of|in|on|at|to|for|by|with|and|or|but|that|which|who|from|as|"
    r"between|after|before|during|until|since|into|about|over|under|itself|themselves|took|began|ended|"
    r"number|no|concerning|regarding|relating|respecting|relative|dated|upon|which|whereby)\b)"
    r"[a-z]+(?<!ed)(?<!ly)\b(?![’'])"
)
_CAUSED_INFINITIVE = re.compile(  # "forced the Department to impose", "inspired a team, led by X, to embark"
    rf"\b({_alternation(load_words('event_causative_verbs'))})\s+(?:[^\s;:()]+\s+){{1,9}}?to\s+"
    r"(?!(?:be|have|the|a|an)\b)([a-z]{3,})\b"
)
_DURATIVE_AFTER = re.compile(
    r"\s+(?:on\b|for\s+(?:[a-z]+\s+){0,2}(?:years|months|weeks|days|decades|generations)\b)", re.I
)
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
_NEGATIVE_OBJECT = re.compile(r"\s+(?:with\s+|in\s+)?(?:nothing|none|no)\b", re.I)  # "met with no success"
_REDUCED_CLAUSE_BEFORE = re.compile(  # opening its clause: "but when completed,", not "was once named"
    r"(?:^|[,;]\s*|\b(?:but|and|or)\s+)(?:when|while|once|if|unless|though|although|until)\s+$", re.I
)
_COORDINATION = re.compile(r"^\s*(?:,\s*)?(?:and|or|but)\s+(?:(?:[a-z]+ly|also|even|then|soon)\s+)?$")
_REPORTING_TYPES = {"statement", "correspondence", "publication", "proposal"}
_AUXILIARIES = frozenset({"was", "were", "had", "did"})
_THINKING_VERBS = sorted((_NONEVENT_VERBS | _DATED_ONLY_VERBS) - _AUXILIARIES)
_NOT_STATES = _AUXILIARIES | {"dated"}  # "the circular of the inspector dated January 22" dates the circular
_REPORTED = re.compile(
    rf"\b(?:{_alternation([w for w, t in _EVENT_VERBS.items() if t in _REPORTING_TYPES] + _THINKING_VERBS)})"
    r"\b[^;:]*?\b(?:that|why|whether|how)\b",
    re.I,
)


_REPORTED_LOWER = re.compile(_REPORTED.pattern)  # written in lower case: read on the lower-cased sentence
_FOLDS_ODDLY = re.compile("[\u0130\u0131\u017f\u212a]")  # see pipeline/extract/date_scan.py


@lru_cache(maxsize=64)
def _first_report(text: str) -> re.Match[str] | None:
    if _FOLDS_ODDLY.search(text):
        return _REPORTED.search(text)
    lower = text.lower()  # the same length and positions as the text
    if "th" not in lower and "wh" not in lower and "how" not in lower:
        return None  # none of "that", "why", "whether", "how"
    return _REPORTED_LOWER.search(lower)


def reported_before(text: str, position: int) -> re.Match[str] | None:
    """What _REPORTED.search(text, 0, position) finds ("said that ..." wholly before a position), from one
    search of the whole sentence: its first match ends soonest, so it is the answer whenever it ends by the
    position. A position inside a word (where cutting the text could make a word) is searched as asked. The
    match may be one of the lower-cased sentence: read its positions only."""
    if (
        0 < position < len(text)
        and (text[position - 1].isalnum() or text[position - 1] == "_")
        and (text[position].isalnum() or text[position] == "_")
    ):
        return _REPORTED.search(text, 0, position)
    found = _first_report(text)
    return found if found is not None and found.end() <= position else None


@dataclass
class _Trigger:
    start: int
    end: int
    text: str
    event_type: str
    is_noun: bool = False
    generic: bool = False  # a past-tense verb outside the vocabulary (type "other")
    own_date_only: bool = False  # vocab/event_ambiguous_verbs.yaml ("held"): an event only with its own date
    cause_start: int = (
        -1
    )  # an infinitive after a causative verb ("forced them to impose"): where that verb is


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
    for start, end, kind in _phrases(words, _VERB_INDEX, text):
        found.append(_Trigger(start, end, text[start:end], kind))
    for start, end, kind in _phrases(words, _NOUN_INDEX, text):
        if text[start:end].lower().endswith("ing") and _GERUND_BEFORE.search(text[:start]):
            continue  # "toward meeting production targets" is a verb, not a meeting
        if _COMPOUND_HEAD_AFTER.match(text, end) and not _IRREGULAR_PAST.match(text, end + 1):
            continue  # "the publication lag", "the 1990 publication deadline": a modifier of another noun
        if not _overlaps(found, start, end):
            found.append(_Trigger(start, end, text[start:end], kind, is_noun=True))
    for match in _EMPHATIC_PAST.finditer(text):
        word = match.group(1)
        if word.lower() in _REJECT_BEFORE:
            continue  # "did the government decide": an inverted subject, not "did secure"
        if word.lower() not in _NONEVENT_VERBS and not _overlaps(found, match.start(1), match.end(1)):
            words = re.findall(r"[A-Za-z’'-]+", text[: match.start()])
            if words and _has_subject(words, text, match.end(1)):
                dated_only = word.lower() in _DATED_ONLY_VERBS
                found.append(_Trigger(match.start(1), match.end(1), word, "other", own_date_only=dated_only))
    for match in _IRREGULAR_PAST.finditer(text):
        word = match.group(0)
        if word not in _NONEVENT_VERBS and not _overlaps(found, match.start(), match.end()):
            dated_only = word in _DATED_ONLY_VERBS
            found.append(
                _Trigger(match.start(), match.end(), word, "other", generic=True, own_date_only=dated_only)
            )
    for match in _CAUSED_INFINITIVE.finditer(text):
        if (
            not _overlaps(found, match.start(2), match.end(2))
            and "to" not in text[match.end(1) : match.start(2) - 4].split()
        ):
            found.append(
                _Trigger(match.start(2), match.end(2), match.group(2), "other", cause_start=match.start(1))
            )
    for match in _PAST_TENSE.finditer(text):
        word, start = match.group(0), match.start()
        prefix = _VERB_PREFIX_BEFORE.search(text, 0, start)
        if prefix:  # "co-opted", "re-opened": a verb; "long-established" stays an adjective
            start = prefix.start()
        hyphenated = text[start - 1 : start] == "-"
        if word not in _NONEVENT_VERBS and not hyphenated and not _overlaps(found, start, match.end()):
            dated_only = word in _DATED_ONLY_VERBS
            verb = text[start : match.end()]
            found.append(_Trigger(start, match.end(), verb, "other", generic=True, own_date_only=dated_only))
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
    if trigger.cause_start >= 0:  # "forced the Department to impose": an event when "forced" is a predicate
        cause = _WORD.match(text, trigger.cause_start)
        return _is_predicate(
            text, _Trigger(cause.start(), cause.end(), cause.group(0), "other"), False, dated, quoted
        )
    if text[trigger.start - 1 : trigger.start] == "-":
        return False
    if _DROPPED_SUBJECT_PERFECT.fullmatch(text, 0, trigger.start) and not text.rstrip().endswith("?"):
        return True  # telegraphese "Have received your 535", "Have just seen the Minister": I have, just now
    words = re.findall(r"[A-Za-z’'-]+", text[: trigger.start])
    subject = _subject_words(text, trigger.start, words)
    if generic and not subject:
        return False
    if document_speaks(subject, trigger.text, text, trigger.end):
        return False  # "The committee's report recommended": the document's content, not a happening
    words = subject or words
    while words and _ADVERB.fullmatch(words[-1].lower()) and len(words) > 1:
        words.pop()
    if not words:
        return False
    before = words[-1].lower()
    if dated and before in _PERFECT:  # "By 1979, the series had largely shifted": the subject is before "had"
        words = words[:-1]
        if not words or _DURATIVE_AFTER.match(text, trigger.end):
            return False  # "By 1872 the rebellion had dragged on for four years": a state, not a happening
        before = words[-1].lower()
    elif before in _PERFECT:
        return False
    if before in _REJECT_BEFORE or (len(words) > 1 and words[-2].lower() in {"did", "not", "never"}):
        return False
    if not dated and _REDUCED_CLAUSE_BEFORE.search(text, 0, trigger.start):
        return False  # "but when completed, manuscripts gathered dust": a participle, no subject
    if (
        generic
        and not _has_subject(words, text, trigger.end)
        and not (dated and _relative_subject(text, trigger.start, trigger.end))
    ):
        return False
    if (
        not generic
        and _participle_modifier(text, trigger, before)
        and not (dated and _relative_subject(text, trigger.start, trigger.end))
    ):
        return False  # but "a relationship that began in 1960 was": a relative clause's own dated verb
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


_NOT_ANTECEDENTS = frozenset(
    "as so such than and or but now then all those these this that what said was were is are".split()
)
_KIND_NOUNS = frozenset({"sort", "kind", "type", "way", "manner", "one", "thing", "something", "anything"})
_WORD_AFTER = re.compile(r"\s+[A-Za-z]")
_RELATIVE_DATE_AFTER = re.compile(
    r"(?:\s+[A-Za-z]+){0,3}?\s+(?:in|on|at|during|since)\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?"
    r"(?:\d|(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)"
)
_RELATIVE_SUBJECT_BEFORE = re.compile(r"\b([A-Za-z]+)\s+(?:that|which|who)\s+(?:[a-z]+ly\s+)?$")


def _relative_subject(text: str, start: int, end: int) -> bool:
    """ "a relationship that began in 1960", "the Conference which met at Panama in October, 1929": a
    restrictive relative clause's verb with its date right after it (within three words), whose subject is
    the noun right before "that"/"which"/"who"; not "said that began", not "the budget, which held steady"
    (a comma's relative clause is read by _subject_words), not "the erosion which shifted the channel of the
    river from its course in 1889" (the date of another noun)."""
    match = _RELATIVE_SUBJECT_BEFORE.search(text, max(0, start - 40), start)
    if match is None or not _RELATIVE_DATE_AFTER.match(text, end):
        return False
    noun = match.group(1).lower()
    if noun in _KIND_NOUNS or noun in _NOT_ANTECEDENTS:
        return False  # "an arrangement, but not of the sort that came about in August": a kind, not a thing
    return not noun.endswith(("ed", "ly")) and noun not in _REJECT_BEFORE | _NONEVENT_VERBS


_SUBORDINATOR = re.compile(
    r"\b(?:which|who|whom|whose|when|where|because|as|if|and|but|or|since|while|after|before|until"
    r"|that(?!\s+(?:year|month|week|day|time|date|period|spring|summer|autumn|fall|winter)\b))\b"
)


_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "this", "these", "those", "our"})
_CONJUNCTIONS = frozenset({"after", "before", "until", "since"})  # prepositions that can open a clause
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
    between = text[trigger.end : start]  # "was delivered to the printers in 1920"
    if _DURATION_THEN_DATE.fullmatch(between):
        return passive is not None  # "was delayed for five years, between 1932 and 1937"
    return passive is not None and trigger.end <= start and len(between.split()) <= 5 and "," not in between


_DURATION_THEN_DATE = re.compile(r"\s+for\s+(?:[a-z]+\s+){1,2}(?:years|months|weeks|days),\s+")


_PARTICIPLE_TO_DATE = re.compile(r"\s+(?:by\s+(?:[\w’'-]+\.?\s+){1,4})?(?:in|on|during)\s+")


def _dated_participle(text: str, trigger: _Trigger, start: int) -> bool:
    """ "The directive, issued by Kennedy in 1961, ...": a participle set off by a comma or with its agent,
    its own date right after it (and at most the agent in between), names a dated happening, though no
    predicate; "the papers published in 1950 were lost" stays a modifier."""
    if trigger.is_noun or trigger.end > start:
        return False
    before = re.search(r"([a-z]+?)s?\s+$", text[: trigger.start])
    if before and before.group(1) in _EVENT_NOUN_TYPES:
        return False  # "its suggestions made on May 1": the event noun names it
    between = _PARTICIPLE_TO_DATE.fullmatch(text, trigger.end, start)
    if between is None:
        return False  # an agent or a comma before it: not "the papers published in 1950 were lost"
    return text[trigger.end : start].lstrip().startswith("by") or text[: trigger.start].rstrip().endswith(",")


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
    parenthetical = _PARENTHETICAL_BEFORE.search(before)  # "The envoy, however, penned"
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


_DURATION_UNITS = frozenset({"years", "months", "weeks", "days", "hours", "decades", "minutes"})


def _nominal(words: list[str]) -> bool:
    """Words after a capitalised one that can end its noun phrase ("Italian army"), not a verb, adverb or
    function word ("Swiss are very much", "Department has hitherto", "Minister expressed himself")."""
    return all(
        w.isalpha() and w.islower() and not w.endswith(("ed", "ly")) and w not in _NOT_NOMINAL for w in words
    )


def _has_subject(words: list[str], text: str, end: int) -> bool:
    """A verb outside the vocabulary needs a pronoun or a name right before it, or a common noun that ends
    a noun phrase ("Department officials", "the printing policy") with an object after the verb."""
    last = words[-1]
    if last.lower() in _SUBJECT_PRONOUNS or (last[0].isupper() and not last.endswith(("’s", "'s"))):
        return True
    if not last.isalpha() or last.endswith(("ly", "ing")) or last.lower() in _NONEVENT_VERBS | _REJECT_BEFORE:
        return False
    if last.lower() in _DURATION_UNITS:
        return False  # "Fourteen months passed", "Two years elapsed": time going by, not a happening
    if len(words) > 1 and words[-2].lower() == "to":  # "Pressure on Fish to respond rapidly reached"
        return False
    cut = _opening_end(text)  # "Although ... enable compromise, officials seized": not "compromise officials"
    after_cut = (  # the words between the opening and the verb, less adverbs ("officials quickly seized")
        len([w for w in re.findall(r"[A-Za-z’'-]+", text[cut:end])[:-1] if not _ADVERB.fullmatch(w.lower())])
        if cut is not None and cut < end
        else 5
    )
    if cut is not None and re.search(r"\b(?:which|who|that)\b", text[cut:end], re.I):
        after_cut = 5  # "According to The Times, who first broke": the antecedent is before the comma
    phrase = " ".join(words[-min(5, max(after_cut, 1)) :])
    noun_phrase = _LAST_NOUN_PHRASE.match(phrase)
    if not noun_phrase and after_cut == 1 and _BARE_PLURAL.fullmatch(last):
        return _OBJECT_AFTER.match(text, end) is not None  # "Although ..., officials co-opted the process"
    if not noun_phrase:
        return False
    before = phrase[: noun_phrase.start(1)].split()
    first = noun_phrase.group(1).split()[0]
    if (
        before
        and (before[-1].lower() in _REJECT_BEFORE | _PERFECT | _COPULAS or before[-1].endswith("ing"))
        and before[-1].lower() not in _CONJUNCTIONS  # "After the envoy joined the board": a clause
        and not (  # "The Italian army crossed", "and the Spanish government raised": a clause's subject
            before[-1] in ("The", "the")
            and (len(before) == 1 or before[-2].lower() in _CLAUSE_OPENERS)
            and first[0].isupper()
            and first[-2:] not in ("’s", "'s")
            and _nominal(noun_phrase.group(1).split()[1:])
            and re.search(rf"\b{re.escape(last)}{_RIGHT_BEFORE_VERB}", text[:end])
        )
        and not (  # "the Department’s staff resisted pressures", not "the Legation’s despatch mentioned."
            before[-1].lower() in _DETERMINERS
            and first.endswith(("’s", "'s"))
            and last.lower() not in ("which", "who", "that")
            and _WORD_AFTER.match(text, end)
        )
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
    if len(before) > 1 and before[-2].lower() == "to" and before[-1].isalpha() and before[-1].islower():
        return False  # "to mitigate the size limitations imposed on the volumes": an infinitive's object
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


_VERB_LIKE = re.compile(rf"\b(?:[a-z]{{3,}}ed|was|were|had|has|is|are)\b|{_IRREGULAR_PAST.pattern}")
_APPOSITIVE = re.compile(r"\s*(?:a|an|the|then|now|formerly)\s[^,;:]*,(?=\s+(?:[a-z]+ly\s+)?[a-z]{3,}\b)")


@lru_cache(maxsize=4096)
def _opening_end(text: str) -> int | None:
    """Where an opening subordinate or participial clause ("When ... ,", "Writing publicly in 1944,") ends;
    a conjunction's subject with an appositive ("After Ada Quill, a veteran envoy, joined the board in 1931,")
    runs on to the comma after its verb."""
    opening = _SUBORDINATE_OPENING.match(text)
    if opening is None or _QUOTES.search(opening.group(0)):
        return None
    end = opening.end()
    if opening.group(0).lstrip(" \"“'(").lower().endswith("ing,") or _VERB_LIKE.search(opening.group(0)):
        return end
    appositive = _APPOSITIVE.match(text, end)
    if appositive is None or _VERB_LIKE.search(appositive.group(0)):
        return end
    verb = re.match(r"\s+(?:[a-z]+ly\s+)?([a-z]{3,})\b", text[appositive.end() :])
    if verb is None or not _VERB_LIKE.fullmatch(verb.group(1)):
        return end
    rest = re.match(r"[^,;:]*,", text[appositive.end() :])
    return appositive.end() + rest.end() if rest and not _QUOTES.search(rest.group(0)) else end


@lru_cache(maxsize=8192)  # asked many times per sentence by the predicate, date and certainty rules
def _clause_of(text: str, position: int) -> tuple[int, int]:
    """The stretch of the sentence between clause breaks around a position; an opening subordinate or
    participial clause ("When ... ,", "Writing publicly in 1944,") is a clause of its own."""
    start, end = 0, len(text)
    opening = _opening_end(text)
    if opening is not None:
        if position < opening:
            end = opening - 1
        else:
            start = opening
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
