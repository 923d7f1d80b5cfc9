"""Dated happenings narrated in the body: events, their participants and supporting footnotes.

An event is a trigger (a verb or event noun from a small lexicon, see docs/event-types.md) dated by a time
expression in the same sentence. Generic statements without a time are not events; nor are periods written
as decades or centuries, questions, or dates that only modify a thing ("the 1941 borders"). A sentence with
two dating expressions gives two events. Roles come from where linked mentions stand relative to the
trigger; certainty from the author's hedges (FactBank-style certain / probable / possible).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from pipeline.extract.dates import EVENT_NOUNS

EVENT_TYPES = (
    "meeting",
    "correspondence",
    "appointment",
    "dismissal_or_resignation",
    "agreement",
    "decision",
    "proposal",
    "statement",
    "travel",
    "publication",
    "conference",
    "military",
    "other",
)

# Trigger lexicon: (pattern over the sentence, event type), most specific first; whole words, any case.
_TRIGGER_WORDS: list[tuple[str, str]] = [
    (
        r"end of the war|outbreak of (?:the )?war|invasion|invaded|invade[sd]?|bombed|bombing|offensive",
        "military",
    ),
    (r"conference|congress|summit", "conference"),
    (r"wrote an article|wrote a book|published|publication of|appeared in|writing publicly", "publication"),
    (r"letter|memo(?:randum)?|telegram|dispatch|cabled|penned|wrote to|wrote", "correspondence"),
    (
        r"met|meets?|meeting|talks|conversation|session|negotiated|negotiations|discussed|questioned",
        "meeting",
    ),
    (
        r"dismissed|dismissal|resigned|resignation|retired|retirement|ousted|removed from office|recalled|"
        r"fired",
        "dismissal_or_resignation",
    ),
    (r"appointed|appointment|named|took over|elected|promoted|succeeded|became", "appointment"),
    (r"signed|hammered out|agreement|treaty|pact|alliance|accord|arrangement|concluded", "agreement"),
    (r"approved|ordered|decided|decreed|ratified|adopted|rejected|vetoed", "decision"),
    (r"proposed|proposal|requested|suggested|offered|urged|appealed|demanded", "proposal"),
    (
        r"told|said|declared|asserted|remarked|observed|announced|stated|asked|replied|confided|hinted|"
        r"complained|warned|insisted|spoke|speech",
        "statement",
    ),
    (
        r"arrived|returned|came to|went to|travell?ed|emigrated|left for|visited|sailed|flew|moved to|fled",
        "travel",
    ),
    (r"crisis|election|revolution|died|born|arrested|founded|collapsed", "other"),
]
_TRIGGERS = [(re.compile(rf"\b(?:{rx})\b", re.I), kind) for rx, kind in _TRIGGER_WORDS]
_NOUN_TYPES = {
    noun: next((kind for pattern, kind in _TRIGGERS if pattern.fullmatch(noun)), "other")
    for noun in EVENT_NOUNS
}

# Hedge cues, strongest first (FactBank: CT+ certain, PR+ probable, PS+ possible).
_HEDGES: list[tuple[str, str]] = [
    (
        r"almost certainly|it is (?:quite |very |highly )?likely|probably|apparently|presumably|likely|"
        r"reportedly|allegedly|seems? to have|appears? to have",
        "probable",
    ),
    (r"perhaps|possibly|may have|might have|could have|it is possible", "possible"),
]
_HEDGE_PATTERNS = [(re.compile(rf"\b(?:{rx})\b", re.I), level) for rx, level in _HEDGES]

_CLAUSE_BREAK = re.compile(r";|:|\(|\)|\bbut\b|\bwhile\b|\bwhereas\b")
_ROLE_STRENGTH = {"agent": 0, "recipient": 1, "counterpart": 2, "place": 3, "mentioned": 4}
_DIRECTED = {"correspondence", "statement", "proposal", "appointment", "dismissal_or_resignation", "decision"}
_LABEL_WORDS = 7


_NOUN_TRIGGERS = EVENT_NOUNS | {
    "end of the war",
    "outbreak of war",
    "outbreak of the war",
    "invasion",
    "bombing",
    "offensive",
    "publication of",
    "dismissal",
    "resignation",
    "retirement",
    "appointment",
    "alliance",
    "arrangement",
    "proposal",
    "election",
    "negotiations",
    "conversation",
    "session",
    "memorandum",
    "dispatch",
    "telegram",
    "accord",
}


@dataclass
class _Trigger:
    start: int
    end: int
    text: str
    event_type: str

    @property
    def is_noun(self) -> bool:
        return self.text.lower() in _NOUN_TRIGGERS


def _triggers(text: str) -> list[_Trigger]:
    found: list[_Trigger] = []
    for pattern, kind in _TRIGGERS:
        for match in pattern.finditer(text):
            if not any(
                t.start <= match.start() < t.end or match.start() <= t.start < match.end() for t in found
            ):
                found.append(_Trigger(match.start(), match.end(), match.group(0), kind))
    return sorted(found, key=lambda t: t.start)


def _clause_of(text: str, position: int) -> tuple[int, int]:
    """The stretch of the sentence between clause breaks around a position."""
    start, end = 0, len(text)
    for match in _CLAUSE_BREAK.finditer(text):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = match.start()
            break
    return start, end


def _pick_trigger(text: str, timex: dict, offset: int) -> _Trigger | None:
    """The trigger a time expression dates: its event noun, else the nearest trigger in its clause."""
    start, end = timex["char_start"] - offset, timex["char_end"] - offset
    candidates = _triggers(text)
    if timex["usage"] == "attributive":
        noun = _attached_noun(text, start, end)
        if noun is None:
            return None
        return _Trigger(noun[0], noun[1], text[noun[0] : noun[1]], _NOUN_TYPES.get(noun[2], "other"))
    candidates = [t for t in candidates if t.end <= start or t.start >= end]
    clause = _clause_of(text, start)
    inside = [t for t in candidates if clause[0] <= t.start < clause[1]] or candidates
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
    verbs = [t for t in inside if not t.is_noun] or inside
    return min(verbs, key=lambda t: (_distance(text, start, end, t), t.start))


def _distance(text: str, start: int, end: int, trigger: _Trigger) -> int:
    """Characters between date and trigger; a coordination ("and", a comma) in between costs a clause."""
    between = text[end : trigger.start] if trigger.start >= end else text[trigger.end : start]
    return len(between) + (1000 if re.search(r",|\band\b", between) else 0)


def _attached_noun(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The event noun an attributive date modifies ("the 1922 memo", "the Conference of 1922")."""
    before = re.search(r"([A-Za-z-]+)\s+of\s+$", text[:start])
    if before and before.group(1).lower() in EVENT_NOUNS:
        return before.start(1), before.end(1), before.group(1).lower()
    after = re.match(r"(\s+[A-Za-z-]+){1,2}", text[end:])
    if after:
        for word in re.finditer(r"[A-Za-z-]+", after.group(0)):
            if word.group(0).lower() in EVENT_NOUNS:
                return end + word.start(), end + word.end(), word.group(0).lower()
    return None


def _certainty(text: str) -> tuple[str, str | None]:
    for pattern, level in _HEDGE_PATTERNS:
        match = pattern.search(text)
        if match:
            return level, match.group(0)
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
    events: list[dict] = []
    participants: list[dict] = []
    for timex in time_expressions.sort("char_start").iter_rows(named=True):
        sentence = by_sentence.get(timex["sentence_id"])
        if sentence is None or not _eligible(timex, sentence["text"] or ""):
            continue
        offset, text = sentence["char_start"], sentence["text"]
        trigger = _pick_trigger(text, timex, offset)
        if trigger is None:
            continue
        event = _event_row(sentence, timex, trigger, len(events) + 1)
        rows = _participants(
            event, mentions_by_sentence.get(sentence["sentence_id"], []), trigger, text, offset
        )
        agent = next((r["entity_id"] for r in rows if r["role"] == "agent"), None)
        event["label"] = _label(text, trigger, names.get(agent) if agent else None)
        events.append(event)
        participants.extend(rows)
    citations = _supporting_notes(events, by_sentence, footnotes)
    return (
        pl.DataFrame(events, schema=EVENT_SCHEMA),
        pl.DataFrame(participants, schema=PARTICIPANT_SCHEMA),
        pl.DataFrame(citations, schema=EVENT_CITATION_SCHEMA),
    )


def _event_row(sentence: dict, timex: dict, trigger: _Trigger, number: int) -> dict:
    offset = sentence["char_start"]
    certainty, cue = _certainty(sentence["text"])
    return {
        "event_id": f"{sentence['document_id']}:e{number:03d}",
        "document_id": sentence["document_id"],
        "sentence_id": sentence["sentence_id"],
        "char_start": min(offset + trigger.start, timex["char_start"]),
        "char_end": max(offset + trigger.end, timex["char_end"]),
        "event_type": trigger.event_type,
        "trigger": trigger.text,
        "label": None,
        "time_expression_id": timex["time_expression_id"],
        "date_text": timex["text"],
        "edtf": timex["edtf"],
        "date_earliest": timex["date_earliest"],
        "date_latest": timex["date_latest"],
        "precision": timex["precision"],
        "certainty": certainty,
        "certainty_cue": cue,
    }


def _supporting_notes(
    events: list[dict], by_sentence: dict[str, dict], footnotes: pl.DataFrame
) -> list[dict]:
    """The note whose marker is in the event's sentence, else the next marker later in the same paragraph."""
    notes = footnotes.filter(pl.col("sentence_id").is_not_null()).sort("marker_offset").to_dicts()
    rows = []
    for event in events:
        sentence = by_sentence[event["sentence_id"]]
        own = [n for n in notes if n["sentence_id"] == sentence["sentence_id"]]
        rule = "marker_in_sentence"
        if not own:
            rule = "next_marker_in_paragraph"
            later = [
                n
                for n in notes
                if n["paragraph_id"] == sentence["paragraph_id"]
                and n["marker_offset"] >= sentence["char_end"]
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


EVENT_SCHEMA: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "document_id": pl.String(),
    "sentence_id": pl.String(),
    "char_start": pl.Int64(),
    "char_end": pl.Int64(),
    "event_type": pl.String(),
    "trigger": pl.String(),
    "label": pl.String(),
    "time_expression_id": pl.String(),
    "date_text": pl.String(),
    "edtf": pl.String(),
    "date_earliest": pl.Date(),
    "date_latest": pl.Date(),
    "precision": pl.String(),
    "certainty": pl.String(),
    "certainty_cue": pl.String(),
}
PARTICIPANT_SCHEMA: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "document_id": pl.String(),
    "entity_id": pl.String(),
    "entity_type": pl.String(),
    "role": pl.String(),
    "mention_id": pl.String(),
}
EVENT_CITATION_SCHEMA: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "document_id": pl.String(),
    "footnote_id": pl.String(),
    "link_rule": pl.String(),
}
