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
    _COORDINATED_DATES,
    _DATED_ONLY_VERBS,
    _EVENT_NOUN_TYPES,
    _IRREGULAR_PAST,
    _LATER_FINITE,
    _MODAL_BEFORE,
    _NEGATION_IN_CLAUSE,
    _NONEVENT_VERBS,
    _NOT_BEFORE,
    _NOT_STATES,
    _NOUN_OF_BEFORE,
    _REJECT_BEFORE,
    _RELATIVE_CLAUSE_START,
    _SUBJECT_PRONOUNS,
    _UNTIL_BEFORE,
    _clause_of,
    _dated_participle,
    _dated_passive,
    _inside_quotes,
    _is_predicate,
    _negated_until,
    _opening_end,
    _overlaps,
    _Sentence,
    _Trigger,
    reported_before,
)
from pipeline.vocab import load_words


def _pick_trigger(sentence: _Sentence, timex: dict, taken: frozenset[int] = frozenset()) -> _Trigger | None:
    """The trigger a time expression dates: its event noun, else the nearest predicate in its clause (not
    one starting at a position in taken: a closer date has it)."""
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
        if t.start not in taken
        and not _intended(text, t, start)
        and not _in_other_time_expression(sentence, t, timex)
        and not (t.own_date_only and t.end <= start and len(text[t.end : start].split()) > 8)  # "called ...
        # the attention of the board to the report made by the council in May": the report's date
        and (
            t.is_noun
            or _is_predicate(text, t, generic=t.generic, dated=True)
            or _negated_until(text, t, start)
            or _dated_passive(text, t, start)
            or _dated_participle(text, t, start)
            or _dated_verb(text, t, start)
            or _joined_verb(sentence, t)
        )
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
    reported = reported_before(text, start)
    if reported:  # a date inside what someone said dates what they said happened, not the saying
        usable = [t for t in usable if t.start >= reported.end()]
    until = _UNTIL_BEFORE.search(text[:start]) and not _NOT_BEFORE.search(text[:start])
    when_clause = re.match(r",?\s+when\s+", text[end:])
    if when_clause and until:  # "until May, when the Senate acquitted him"
        following = [t for t in usable if not t.is_noun and t.start >= end + when_clause.end()]
        if following:
            return following[0]
    if until:
        usable = [
            t for t in usable if _negated_until(text, t, start)
        ]  # "a delay until the fall" dates no verb
    candidates = [t for t in usable if t.end <= start or t.start >= end]
    clause = _clause_of(text, start)
    inside = [t for t in candidates if clause[0] <= t.start < clause[1]]
    look_back = "had" in text[clause[0] : start] and _LOOK_BACK.search(text, clause[0], start)
    if look_back:  # the look-back's date is not the main clause's after it
        inside = [t for t in inside if t.end <= start]
    if not inside and timex["precision"] == "decade":
        return None  # "the mid-1990s" dates only a predicate of its own clause
    if (
        not inside
        and not taken  # a date that lost its predicate to a closer one takes no other clause's
        and not _RELATIVE_CLAUSE_START.match(text, clause[0])
        and not _CONCESSIVE.match(text, clause[0])
        and not look_back  # "because ... had been able to block ... in 1870"
    ):
        # a date in a clause without a predicate of its own dates the sentence's, but not from inside a
        # relative clause ("The minister, who had served since 1920, resigned in 1925")
        inside = [  # a verb that is a happening only with a date in its own clause takes none from another
            t for t in candidates if (t.is_noun or not reported_before(text, t.start)) and not t.own_date_only
        ]
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
    verbs = _NONEVENT_VERBS | _DATED_ONLY_VERBS  # a verb in between ("led to", "held by") has the date
    states = {w.lower() for w in re.findall(r"[A-Za-z]+", between)} & (verbs - _NOT_STATES)
    return None if states else nearest


def _in_other_time_expression(sentence: _Sentence, trigger: _Trigger, timex: dict | None) -> bool:
    """ "On March 9, the day after the courier landed, the consul wrote": a verb inside
    another time expression describes that expression's anchor; the date beside it is not its date."""
    offset = sentence.row["char_start"]
    return any(
        other is not timex and other["char_start"] - offset <= trigger.start < other["char_end"] - offset
        for other in sentence.times
    )


_CONCESSIVE = re.compile(r"\W*(?:despite|in\s+spite\s+of|although|though|notwithstanding)\b", re.I)
_INTENTION_VERBS = frozenset(load_words("event_intention_verbs"))
_INFINITIVE_AFTER = re.compile(r"\s+(?:[a-z]+\s+){0,2}?to\s+(?!(?:the|a|an|his|her|their|its)\b)[a-z]+\b")


def _intended(text: str, trigger: _Trigger, start: int) -> bool:
    """ "agreed to meet the envoy in June": a date inside the infinitive after a verb of intending, promising
    or agreeing (vocab/event_intention_verbs.yaml) dates what was intended, not the agreeing."""
    if trigger.is_noun or trigger.end > start or trigger.text.lower() not in _INTENTION_VERBS:
        return False
    infinitive = _INFINITIVE_AFTER.match(text, trigger.end)
    if infinitive is None or re.search(r"[,;:()]", text[trigger.end : start]):
        return False
    return _CALENDAR_PLACING.search(text, max(0, start - 12), start) is not None  # not "four years earlier"


_CALENDAR_PLACING = re.compile(r"\b(?:in|on|by|during|until|before|after|at)\s+(?:the\s+)?$", re.I)


_DATE_RIGHT_AFTER = re.compile(r"\s+(?:in|on|during)\s+(?:(?:early|mid|late)\s+)?$")


def _dated_verb(text: str, trigger: _Trigger, start: int) -> bool:
    """ "the ministry's ties with the board worsened in 1927": a past verb with its date right after it, after
    a subject that holds a prepositional phrase, is a predicate unless a finite verb follows in its clause
    (then it modifies a noun: "the papers published in 1950 were lost")."""
    if trigger.is_noun or not trigger.generic or not _DATE_RIGHT_AFTER.fullmatch(text, trigger.end, start):
        return False
    before = re.search(r"([A-Za-z’'-]+)\s+$", text[: trigger.start])
    if before is None or not before.group(1).isalpha() or before.group(1).lower() in _NOT_A_SUBJECT_END:
        return False
    clause_start, clause_end = _clause_of(text, trigger.start)
    if _NEGATION_IN_CLAUSE.search(text, clause_start, trigger.start):
        return False  # "was by no means assured in 1958"
    return _LATER_FINITE.search(text, trigger.end, clause_end) is None and _is_predicate(
        text, trigger, generic=False, dated=True
    )


_NOT_A_SUBJECT_END = frozenset({"to", "had", "has", "have", "was", "were", "is", "are", "be", "been", "not"})


def _joined_verb(sentence: _Sentence, trigger: _Trigger) -> bool:
    """ "removed the clause but in its place inserted a new one": a verb after "and"/"but" (and a short
    phrase) whose subject is a predicate's before it in the sentence."""
    if trigger.is_noun or not _PHRASE_JOINED_VERB_BEFORE.search(
        sentence.text, max(0, trigger.start - 48), trigger.start
    ):
        return False
    return any(p.end <= trigger.start for p in sentence.predicates)


def _first_picks(sentence: _Sentence) -> tuple[dict[int, _Trigger], dict[int, int]]:
    """Each dating time expression's first pick (by its index), and for each picked predicate the index of
    the closest expression right by it that picks it: "lay at the bindery in 1922 and the next almanac went
    to the shops in 1923" dates "went" 1923, not 1922; a date coordinated with the one before ("in both 1906
    and 1907") shares its predicate."""
    text, offset = sentence.text, sentence.row["char_start"]
    picks: dict[int, _Trigger] = {}
    closest: dict[int, tuple[int, int]] = {}
    previous_end = None
    for number, timex in enumerate(sentence.times):
        if not _eligible(timex, text, dating=True):
            continue
        start, end = timex["char_start"] - offset, timex["char_end"] - offset
        coordinated = previous_end is not None and _COORDINATED_DATES.fullmatch(text, previous_end, start)
        previous_end = end
        trigger = _pick_trigger(sentence, timex)
        if trigger is None:
            continue
        picks[number] = trigger
        distance = _distance(text, start, end, trigger)  # under 40: right by its verb, not a noun's date
        placed = _TIME_PREPOSITION.search(text, max(0, start - 12), start) or _TIME_PREPOSITION_START.match(
            timex["text"]
        )  # "in 1923", "about April 1", not "its 1919 objections"
        if (
            placed
            and not coordinated
            and not trigger.is_noun
            and distance < closest.get(trigger.start, (40,))[0]
        ):
            closest[trigger.start] = (distance, number)
    return picks, {start: number for start, (_, number) in closest.items()}


_LOOK_BACK = re.compile(  # a reason or concession told in the past perfect: "because ... had been able to"
    r"\b(?:because|as|although|though|since)\s+[^,;:]*?\bhad\s+(?:[a-z]+ly\s+)?(?:been\s+)?[a-z]+"
    r"(?:ed|en|wn|ne|ht|de|le)\b"
)
_TIME_PREPOSITION = re.compile(r"\b(?:in|on|during|at|by|until|since|before|after|from)\s+(?:the\s+)?$", re.I)
_TIME_PREPOSITION_START = re.compile(  # or a deictic date: "called this morning"
    r"(?:in|on|during|at|by|until|since|before|after|from|about|around|this|last|yesterday|to-?day)\b", re.I
)
_WHEN_CLAUSE_END = re.compile(r"[;:]|,\s+(?:and|but|which|who)\b")
_WHEN_AFTER = re.compile(r",?\s+when\s+")


def _when_clause(sentence: _Sentence, timex: dict, trigger: _Trigger) -> list[_Trigger]:
    """ "claimed the archive in 1951, when the director took the advice": the predicate of a "when"
    clause right after the date happened then too."""
    end = timex["char_end"] - sentence.row["char_start"]
    when = _WHEN_AFTER.match(sentence.text, end)
    if when is None or trigger.start > end:
        return []
    stop = _WHEN_CLAUSE_END.search(sentence.text, when.end())  # a bracketed title inside does not end it
    clause_end = stop.start() if stop else len(sentence.text)
    return [
        t
        for t in sentence.triggers
        if when.end() <= t.start < clause_end
        and not t.is_noun
        and (
            _is_predicate(sentence.text, t, generic=t.generic, dated=True)
            or _after_long_subject(sentence.text, t)
        )
    ][:1]


def _after_long_subject(text: str, trigger: _Trigger) -> bool:
    """ "when a sudden shortage in the supply chain brought the program to a halt": in a "when" clause the
    first past verb after a noun (its subject may hold a prepositional phrase) is the clause's predicate."""
    before = re.search(r"([A-Za-z’'-]+)\s+$", text[: trigger.start])
    if trigger.cause_start >= 0 or before is None or not before.group(1).isalpha():
        return False
    word = before.group(1).lower()
    return word not in _NOT_A_SUBJECT_END and word not in _REJECT_BEFORE and not word.endswith("ly")


_OPENING_PHRASE = re.compile(  # not "In advance of the meeting,": before it
    r"\W*(?:At|During|In|On|Throughout)\s+(?:the|their|his|her|its|this|that|a|an)\s[^,;:]*,"
)
_DOCUMENT_TYPES = frozenset({"correspondence", "publication", "statement"})


def _main_after_period_clause(sentence: _Sentence, timex: dict, trigger: _Trigger) -> _Trigger | None:
    """ "As ties with the board worsened in the late 1920s, the office struggled": an opening "as", "while"
    or "when" clause dated by a period (a narrowed decade, a range) that no later clause can take as its
    reference time still dates its main clause's first predicate, as happening over the same period."""
    end = _opening_end(sentence.text)
    if end is None or trigger.is_noun or trigger.start >= end:
        return None
    opener = sentence.text[:end].lstrip(" \"“'(").split()[0].lower()
    if opener not in ("as", "while", "when") or "/" not in (timex["edtf"] or ""):
        return None
    clause_end = _clause_of(sentence.text, end + 1)[1]
    return next(
        (
            t
            for t in sentence.triggers
            if end <= t.start < clause_end
            and not t.is_noun
            and _is_predicate(sentence.text, t, generic=t.generic, dated=True)
        ),
        None,
    )


def _main_after_opening_noun(sentence: _Sentence, trigger: _Trigger) -> _Trigger | None:
    """ "At the council meeting in November, the ministry failed to placate the council": a dated event noun
    in an opening phrase sets the time of the main clause's first predicate. Not a document's ("In its 1933
    survey, the guild proposed"): what the document said is the document's event."""
    opening = _OPENING_PHRASE.match(sentence.text)
    if not trigger.is_noun or opening is None or trigger.end > opening.end():
        return None
    if trigger.event_type in _DOCUMENT_TYPES:
        return None
    clause_end = _clause_of(sentence.text, opening.end() + 1)[1]
    return next(
        (
            t
            for t in sentence.triggers
            if opening.end() <= t.start < clause_end
            and not t.is_noun
            and _is_predicate(sentence.text, t, generic=t.generic, dated=True)
        ),
        None,
    )


def _distance(text: str, start: int, end: int, trigger: _Trigger) -> int:
    """Characters between date and trigger; a coordination ("and", a comma) in between costs a clause."""
    between = text[end : trigger.start] if trigger.start >= end else text[trigger.end : start]
    return len(between) + (1000 if re.search(r",|\band\b", between) else 0)


def _event_noun(word: str) -> str | None:
    """The vocabulary form of an event noun, singular or plural ("telegrams" -> "telegram")."""
    low = word.lower()
    if low in EVENT_NOUNS:
        return low
    if low.endswith("s") and low[:-1] in EVENT_NOUNS:
        return low[:-1]
    return _event_noun(low[3:]) if low.startswith("re-") else None  # "the 1980 re-review": a review


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


_VERB_THEN_IN = re.compile(r"\s+(?:[a-z]+\s+){0,2}?in\s+$")


def _decade_by_its_verb(timex: dict, sentence: _Sentence) -> _Trigger | None:
    """A plain decade right after "in" and a predicate ("a relationship that began in the 1960s", "created
    the committee in the 1950s") dates that predicate: the text says when it happened, to the decade. A
    decade elsewhere ("In the 1920s, officials conceded", "By the 1960s") stays a period the sentence is
    about."""
    if timex["edtf"] is None or timex["precision"] != "decade" or timex["modifier"] not in (None, "none"):
        return None
    text, offset = sentence.text, sentence.row["char_start"]
    start = timex["char_start"] - offset
    for trigger in reversed(sentence.triggers):
        if trigger.end > start:
            continue
        if trigger.is_noun or not _VERB_THEN_IN.fullmatch(text, trigger.end, start):
            return None
        dated = trigger in sentence.predicates or _is_predicate(
            text, trigger, generic=trigger.generic, dated=True
        )
        return trigger if dated and not text.rstrip().endswith("?") else None
    return None


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


# "but in its place", "and with his approval", "and in 1914 cut off"; not "and by the notes"
_PHRASE_JOINED_VERB_BEFORE = re.compile(
    r"\b(?:and|but)\s+(?:(?:in|at|on|with|for)\s+(?:its|his|her|their|the|this|that)\s+[a-z’']+\s+"
    r"|(?:in|on|during)\s+(?:[A-Z][a-z]+\.?\s+)?\d{1,4}(?:(?:st|nd|rd|th)?,?\s+\d{4})?,?\s+)"
    r"(?:[a-z]+ly\s+|then\s+)?$"
)
_JOINED_VERB_BEFORE = re.compile(  # "and then", "but in its place", "and in return"
    r"\b(?:and|but)\s+(?:(?:in|at|on|with|by|for|from|after|instead\s+of)\s+(?:[a-z’']+\s+){1,3}?)?"
    r"(?:[a-z]+ly\s+|then\s+)?$"
)


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


_JOINT_BEFORE = re.compile(  # the "and"/"but" before a joined verb ("..., but refused", "and then left")
    r"\s*(,\s*)?(?:and|or|but)\s+(?:(?:in|at|on|with|for)\s+(?:its|his|her|their|the|this|that)\s+[a-z’']+\s+)?"
    r"(?:(?:[a-z]+ly|also|even|then|soon)\s+)?$"
)


_DETERMINED_OBJECT = re.compile(
    r"\s+(?:the|a|an|his|her|their|its|this|that|these|those|him|them|it|to\s+[a-z]+)\b"
)
_DATE_SOON_AFTER = re.compile(
    r"(?:\s+[^\s\d;:,]+){0,5}?\s+(?:in|on|during|by|until|till|since|from|dated)\s+(?:\w+\s+)?\d"
)
_LATER_ADVERB_AFTER = re.compile(r"\s+(?:afterwards?|later|subsequently|thereafter)\b")
_LATER_ADVERB = re.compile(r"\b(?:subsequently|later|afterwards?|thereafter|then|eventually)\s+$")


def _coordinated(sentence: _Sentence, trigger: _Trigger) -> list[_Trigger]:
    """Predicates joined to a dated one by "and"/"but" with no new subject ("gave it up and emigrated"); after
    an object of more than eight words only with a comma before the conjunction ("consented to printing
    the letters ..., but refused to"), and never across a semicolon, colon or bracket."""
    joined: list[_Trigger] = []
    last = trigger
    verbs = [  # a verb right after "and" / "but" shares the dated one's subject ("denounced, but admitted")
        t
        for t in sentence.triggers
        if t in sentence.predicates
        or (not t.is_noun and _JOINED_VERB_BEFORE.search(sentence.text, max(0, t.start - 48), t.start))
    ]
    for other in verbs:
        if other.start < last.end:
            continue
        if trigger.is_noun and not _DETERMINED_OBJECT.match(sentence.text, other.end):
            break  # "the 1980 re-review and expanded consultations": an adjective, not "and signaled his"
        between = sentence.text[last.end : other.start]
        joint = _JOINT_BEFORE.search(between)
        if joint is None or re.search(r"[;:()]", between):
            break
        object_words = between[: joint.start()].split()
        if len(object_words) > 30 or (len(object_words) > 8 and not joint.group(1)):
            break
        if any(w.lower() in _SUBJECT_PRONOUNS for w in object_words):
            break  # "said that he resigned and left": a new clause inside the object
        if (
            _DATE_SOON_AFTER.match(sentence.text, other.end)
            or _LATER_ADVERB.search(between)
            or _LATER_ADVERB_AFTER.match(sentence.text, other.end)
        ):
            break  # "arrived in May 1920 and signed the treaty in June 1921", "and subsequently refused"
        joined.append(other)
        last = other
    return joined
