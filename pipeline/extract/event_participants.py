"""Who took part in an event: roles of the entity mentions in its sentence, and a readable label.

Roles come from where a linked mention stands relative to the trigger (docs/event-types.md): before it in its
clause and not after a preposition, the agent; after it, "to" a recipient, "with" a counterpart, "by" the
agent of a passive; places are places; anything else is mentioned.
"""

from __future__ import annotations

import re

import polars as pl

from pipeline.extract.event_clauses import _clause_of, _Trigger

_ROLE_STRENGTH = {"agent": 0, "recipient": 1, "counterpart": 2, "place": 3, "mentioned": 4}
_DIRECTED = {"correspondence", "statement", "proposal", "appointment", "dismissal_or_resignation", "decision"}
_LABEL_WORDS = 7
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


def event_roles(event: dict, mentions: list[dict], trigger: _Trigger, text: str, offset: int) -> list[dict]:
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


def label(text: str, trigger: _Trigger, agent_name: str | None) -> str:
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


def display_names(mentions: pl.DataFrame) -> dict[str, str]:
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
