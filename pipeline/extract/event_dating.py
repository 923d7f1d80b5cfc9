"""Which trigger a time expression in a sentence dates, and which other triggers share that date: the event
noun the date is attached to, else the nearest predicate of its clause; predicates coordinated with it, a
gerund after "after", an infinitive it caused. Pure functions of a sentence; the narrative's reference time
and the event rows are in pipeline.extract.events.
"""

from __future__ import annotations

import re

from pipeline.extract.date_scan import EVENT_NOUNS
from pipeline.extract.event_clauses import (
    _COMPOUND_HEAD_AFTER,
    _COORDINATION,
    _EVENT_NOUN_TYPES,
    _IRREGULAR_PAST,
    _MODAL_BEFORE,
    _NONEVENT_VERBS,
    _NOT_BEFORE,
    _NOT_STATES,
    _NOUN_OF_BEFORE,
    _RELATIVE_CLAUSE_START,
    _REPORTED,
    _UNTIL_BEFORE,
    _clause_of,
    _dated_participle,
    _dated_passive,
    _inside_quotes,
    _is_predicate,
    _negated_until,
    _overlaps,
    _Sentence,
    _Trigger,
)


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
        or _dated_participle(text, t, start)
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
    if not inside and timex["precision"] == "decade":
        return None  # "the mid-1990s" dates only a predicate of its own clause
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
                at = end + word.end()
                if _COMPOUND_HEAD_AFTER.match(text, at) and not _IRREGULAR_PAST.match(text, at + 1):
                    return None  # "the 1990 publication deadline" dates a deadline
                return end + word.start(), at, _event_noun(word.group(0))
    return None


def _eligible(timex: dict, sentence_text: str, dating: bool = False) -> bool:
    """A date an event can take: not a question's; a decade only narrowed ("in the mid-1970s, HO elected")
    and only for the events of its own clause (dating), never a century."""
    if timex["edtf"] is None or timex["precision"] == "century":
        return False
    if timex["precision"] == "decade" and not (dating and timex["modifier"] in ("early", "mid", "late")):
        return False
    return not sentence_text.rstrip().endswith("?")


def _dated_event_noun(timex: dict, sentence: _Sentence) -> _Trigger | None:
    """A plain decade that dates an event noun it is attached to ("the 1980s retreat"): an event, though a
    decade never dates a predicate."""
    if timex["edtf"] is None or timex["precision"] != "decade" or timex["modifier"] not in (None, "none"):
        return None
    start = timex["char_start"] - sentence.row["char_start"]
    end = timex["char_end"] - sentence.row["char_start"]
    noun = _attached_noun(sentence.text, start, end)
    if noun is None or noun[0] != end + 1 or sentence.text.rstrip().endswith("?"):
        return None  # not "the 1920s saw the reorganization"
    return _Trigger(
        noun[0], noun[1], sentence.text[noun[0] : noun[1]], _EVENT_NOUN_TYPES.get(noun[2], "other"), True
    )


_GERUND_AFTER = re.compile(r"\s+(?:after|upon)\s+([a-z]{3,}ing)\s+(?!(?:to|that|of|in|on|at)\b)[A-Za-z]")


def _gerund_after(sentence: _Sentence, trigger: _Trigger) -> list[_Trigger]:
    """ "postponed release ... after receiving protests from the ambassador": a gerund with its object
    after "after" in the dated predicate's clause happened then too (just before)."""
    if trigger.is_noun:
        return []
    end = _clause_of(sentence.text, trigger.start)[1]
    found = []
    for match in _GERUND_AFTER.finditer(sentence.text, trigger.end, end):
        start, stop = match.span(1)
        if not _overlaps(sentence.triggers, start, stop):
            found.append(_Trigger(start, stop, match.group(1), "other"))
    return found


_JOINED_VERB_BEFORE = re.compile(r"\b(?:and|but)\s+(?:[a-z]+ly\s+)?$")


def _caused_after(sentence: _Sentence, trigger: _Trigger) -> list[_Trigger]:
    """The infinitive a dated happening caused, when its causative verb is the trigger or follows it in the
    same clause ("The reduction in 1912 forced the Department to impose economy")."""
    text = sentence.text
    return [
        t
        for t in sentence.triggers
        if t.cause_start >= trigger.start
        and t is not trigger
        and not re.search(r"[,;:()]", text[trigger.end : t.cause_start])
        and len(text[trigger.end : t.cause_start].split()) <= 4
        and (trigger.is_noun or _is_predicate(text, t, dated=True))  # a noun is the causative verb's subject
    ]


def _coordinated(sentence: _Sentence, trigger: _Trigger) -> list[_Trigger]:
    """Predicates joined to a dated one by "and" with no new subject ("gave it up and emigrated")."""
    joined: list[_Trigger] = []
    last = trigger
    verbs = [  # a verb right after "and" / "but" shares the dated one's subject ("denounced, but admitted")
        t
        for t in sentence.triggers
        if t in sentence.predicates
        or (not t.is_noun and _JOINED_VERB_BEFORE.search(sentence.text, max(0, t.start - 24), t.start))
    ]
    for other in verbs:
        if other.start < last.end:
            continue
        between = sentence.text[last.end : other.start]
        object_removed = re.sub(
            r"^(?:\s+[“\"]?[A-Za-z’'-]+[,.]?[”\"]?){0,8}?(?=\s*,?\s*(?:and|or|but)\s)", "", between
        )
        if not _COORDINATION.match(object_removed) or re.search(r"[;:()]", between):
            break
        joined.append(other)
        last = other
    return joined
