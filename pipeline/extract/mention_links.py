"""Mentions by role or pronoun: a role phrase ("the Secretary of State") or he/his/she/her linked to the one
person named just before it, or the one the year makes the holder of that office.

Also the units (sentences and notes) that scope antecedents and the mention record that entities.py links.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

import polars as pl

from pipeline.extract.authority import Authority, Role, normalise_form

# How sure a link of each kind is: a full name most, a pronoun least.
CONFIDENCE = {
    "full_name": 0.99,
    "title": 0.99,
    "initials": 0.97,
    "surname": 0.95,
    "alias": 0.9,
    "possessive": 0.95,
    "role": 0.8,
    "pronoun": 0.6,
    "name": 0.95,
}

YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
PRONOUNS = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}
PRONOUN_RE = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Ss]he|[Hh]er)\b")
ANTECEDENT_SENTENCES = 2
# "the president of the Chamber of Commerce" names another office than the bare role phrase.
QUALIFIED_ROLE = re.compile(r"\s+of\s")


@dataclass
class Unit:
    """A sentence of the body or a note: the scope for antecedents and for reporting a location."""

    start: int
    end: int
    sentence_id: str | None
    footnote_id: str | None
    group: str
    index: int


@dataclass
class Mention:
    """A linked mention; the antecedent is the earlier mention that introduced or named the entity."""

    start: int
    end: int
    entity_id: str
    kind: str
    confidence: float
    unit: Unit | None
    antecedent: Mention | None = None


def sentence_units(sentences: pl.DataFrame, footnotes: pl.DataFrame) -> list[Unit]:
    units = [
        Unit(r["char_start"], r["char_end"], r["sentence_id"], None, r["paragraph_id"], 0)
        for r in sentences.select("char_start", "char_end", "sentence_id", "paragraph_id").iter_rows(
            named=True
        )
    ]
    notes = footnotes.filter(pl.col("char_start").is_not_null() & pl.col("char_end").is_not_null())
    units += [
        Unit(r["char_start"], r["char_end"], None, r["footnote_id"], r["footnote_id"], 0)
        for r in notes.select("char_start", "char_end", "footnote_id").iter_rows(named=True)
    ]
    units.sort(key=lambda u: u.start)
    for index, unit in enumerate(units):
        unit.index = index
    return units


class Locator:
    """Find the sentence or note that contains an offset."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.starts = [u.start for u in units]

    def __call__(self, offset: int) -> Unit | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.units[i].end:
            return self.units[i]
        return None


class _Years:
    """Positions of the years written in the text, to find the last one before an offset quickly."""

    def __init__(self, text: str) -> None:
        found = [(m.start(), int(m.group())) for m in YEAR.finditer(text)]
        self.starts = [start for start, _ in found]
        self.values = [value for _, value in found]

    def before(self, offset: int, unit: Unit | None) -> int | None:
        """The last year written before the offset (within the note when the mention is in a note)."""
        floor = unit.start if unit is not None and unit.footnote_id else 0
        i = bisect.bisect_left(self.starts, offset) - 1
        return self.values[i] if i >= 0 and self.starts[i] >= floor else None


def _by_unit(mentions: list[Mention]) -> dict[int, list[Mention]]:
    grouped: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.unit is not None:
            grouped[mention.unit.index].append(mention)
    return grouped


def _recent_entities(
    by_unit: dict[int, list[Mention]], unit: Unit, units: list[Unit], before: int
) -> set[str]:
    """Entities named (not by pronoun) in this paragraph or note, this sentence and the ones just before."""
    first = max(0, unit.index - ANTECEDENT_SENTENCES)
    scope = [u.index for u in units[first : unit.index + 1] if u.group == unit.group]
    return {m.entity_id for i in scope for m in by_unit.get(i, []) if m.end <= before and m.kind != "pronoun"}


def _role_candidates(claims: list[tuple[str, Role]], recent: set[str], year: int | None) -> list[str]:
    """Who a role phrase can mean: a claimant named just before wins; else the year decides.

    A named antecedent is stronger evidence than the last year written, which may be about something else.
    """
    named = [(entity_id, role) for entity_id, role in claims if entity_id in recent]
    if len({e for e, _ in named}) == 1:
        return [named[0][0]]
    pool = named or [(e, r) for e, r in claims if not r.requires_antecedent]
    return sorted({e for e, r in pool if r.fits_year(year)})


def role_mentions(
    text: str, authority: Authority, locate: Locator, units: list[Unit], named: list[Mention]
) -> list[Mention]:
    regex = authority.role_regex
    if regex is None:
        return []
    taken = sorted((m.start, m.end) for m in named if authority.entities[m.entity_id].entity_type == "person")
    taken_starts = [start for start, _ in taken]
    by_unit = _by_unit(named)
    named_latest = LatestMentions(named)
    years = _Years(text)
    mentions = []
    for match in regex.finditer(text):
        i = bisect.bisect_left(taken_starts, match.end())
        if any(s < match.end() and match.start() < e for s, e in taken[max(0, i - 3) : i]):
            continue
        unit = locate(match.start())
        if unit is None or QUALIFIED_ROLE.match(text, match.end()):
            continue
        claims = authority.roles[normalise_form(match.group()).lower()]
        recent = _recent_entities(by_unit, unit, units, match.start())
        year = years.before(match.start(), unit)
        fitting = _role_candidates(claims, recent, year)
        if len(fitting) == 1:
            antecedent = named_latest.before(fitting[0], match.start())
            mentions.append(
                Mention(match.start(), match.end(), fitting[0], "role", CONFIDENCE["role"], unit, antecedent)
            )
    return mentions


class LatestMentions:
    """_latest over one fixed list of mentions in logarithmic time, so that linking every role mention of
    a long paper to its antecedent stays linear: each entity's mentions by end offset, with the
    latest-starting one (the first in list order on a tie, as max() picks) among each prefix."""

    def __init__(self, mentions: list[Mention]) -> None:
        grouped: dict[str, list[tuple[int, int, Mention]]] = defaultdict(list)
        for index, mention in enumerate(mentions):
            grouped[mention.entity_id].append((mention.end, index, mention))
        self.ends: dict[str, list[int]] = {}
        self.latest: dict[str, list[Mention]] = {}
        for entity_id, items in grouped.items():
            items.sort(key=lambda item: item[0])
            self.ends[entity_id] = [end for end, _, _ in items]
            prefix: list[Mention] = []
            best: tuple[int, int] | None = None
            for _, index, mention in items:
                if best is None or (mention.start, -index) > best:
                    best = (mention.start, -index)
                    prefix.append(mention)
                else:
                    prefix.append(prefix[-1])
            self.latest[entity_id] = prefix

    def before(self, entity_id: str, before: int) -> Mention | None:
        """The same mention as ``latest(mentions, entity_id, before)``."""
        count = bisect.bisect_right(self.ends.get(entity_id, []), before)
        return self.latest[entity_id][count - 1] if count else None


def latest(mentions: list[Mention], entity_id: str, before: int) -> Mention | None:
    """The last mention of the entity that ends before an offset: the evidence for a role or pronoun link."""
    earlier = [m for m in mentions if m.entity_id == entity_id and m.end <= before]
    return max(earlier, key=lambda m: m.start) if earlier else None


def _inside_quote(text: str, unit: Unit, offset: int) -> bool:
    before = text[unit.start : offset]
    straight = before.count('"') % 2 == 1
    curly = before.rfind("“") > before.rfind("”")
    return straight or curly


def pronoun_mentions(
    text: str,
    authority: Authority,
    units: list[Unit],
    named: list[Mention],
    others: list[tuple[int, str | None]],
) -> list[Mention]:
    """Link he/his/she/her only when one person of that gender is in play in this and the previous sentence.

    Persons already resolved from pronouns in the window count too, so a second candidate blocks the link;
    so do persons found in the document but not in the authority (``others``: start and gender, if known).
    """
    mentions: list[Mention] = []
    by_unit = _by_unit(named)
    resolved: dict[int, list[Mention]] = defaultdict(list)
    other_starts = [start for start, _ in others]
    for unit in units:
        if unit.footnote_id:
            continue
        window = [u for u in units[max(0, unit.index - 1) : unit.index + 1] if u.group == unit.group]
        for match in PRONOUN_RE.finditer(text, unit.start, unit.end):
            if _inside_quote(text, unit, match.start()):
                continue
            gender = PRONOUNS[match.group().lower()]
            earlier = [m for u in window for m in by_unit.get(u.index, []) if m.end <= match.start()]
            earlier += [m for u in window for m in resolved.get(u.index, [])]
            candidates = {m.entity_id for m in earlier if authority.entities[m.entity_id].gender == gender}
            lo = bisect.bisect_left(other_starts, window[0].start)
            hi = bisect.bisect_left(other_starts, match.start())
            rivals = [g for _, g in others[lo:hi] if g in (None, gender)]
            if len(candidates) == 1 and not rivals:
                entity_id = candidates.pop()
                antecedent = latest(earlier, entity_id, match.start())
                pronoun = Mention(
                    match.start(), match.end(), entity_id, "pronoun", CONFIDENCE["pronoun"], unit, antecedent
                )
                mentions.append(pronoun)
                resolved[unit.index].append(pronoun)
    return mentions
