"""People, organisations and places in a paper: rule-based linking to the authority file (``authority.py``).

Statistical taggers mislabel Russian surnames as places, so linking here is rules
plus the authority file: every name form is matched case-sensitively on word boundaries, the longest form
wins. Linking is scoped to the document: a full name links anywhere, but a bare surname, a title with a
surname, a given name alone or a pronoun links only to a person the same paper introduces (by a full name,
or an authority entry whose ``documents`` lists the paper), so a surname never jumps to a namesake from
another paper. Persons the authority lacks (found by the rules in ``persons.py``) and names that fit several
persons in play are reported in ``unlinked_names``, with document-level person IDs or their candidates.
Role phrases and pronouns are linked by ``mention_links.py``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import polars as pl

from pipeline.extract.authority import (
    Authority,
    AuthorityError,
    Entity,
    NameForm,
    authority_tables,
    load_authority,
    normalise_form,
)
from pipeline.extract.mention_links import (
    CONFIDENCE,
    Locator,
    Mention,
    Unit,
    pronoun_mentions,
    role_mentions,
    sentence_units,
)
from pipeline.extract.person_ids import document_persons, overlaps
from pipeline.extract.person_words import (
    PersonSpan,
    known_given_names,
    name_patterns,
    non_name_words,
    post_nominal_end,
    sentence_initial,
    title_gender,
)
from pipeline.extract.persons import find_person_spans
from pipeline.package.schema import extracted_columns, rows_to_frame

# Re-exported: callers load the authority and link mentions through this module.
__all__ = [
    "MENTION_SCHEMA",
    "Authority",
    "AuthorityError",
    "authority_tables",
    "find_mentions",
    "load_authority",
]


SHARED_SURNAME_PENALTY = 0.1

# Generic English titles that may stand before a person's name; an optional nationality adjective may precede.
TITLE_BEFORE_NAME = re.compile(
    r"(?:\b(?:British|French|German|Soviet|American|Polish|Italian|Japanese|Chinese|Russian|U\.S\.)\s+)?"
    r"\b(?:President|Vice President|Prime Minister|Foreign Minister|Foreign Secretary|"
    r"(?:Under |Assistant )?Secretary of (?:State|War|the Treasury|Commerce)|Secretary|Ambassador|"
    r"Colonel|General|Admiral|Marshal|Commissar|Premier|Chancellor|Senator|Governor|Professor|"
    r"Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|Lord|Lady|King|Queen|Tsar|Czar|Emperor)\s+$"
)
POSSESSIVE = re.compile(r"^['’]s?(?!\w)")

# Forms that name a person in full and so introduce them in a document; other forms need an introduction.
INTRODUCING_KINDS = frozenset({"full_name", "initials"})
# A given name or an initial right before a surname: "Given Surname", "G. Surname".
GIVEN_BEFORE = re.compile(r"(?<![\w.’'-])([A-Z][a-z]+|[A-Z]\.)\s+\Z")


@dataclass
class _Match:
    """One occurrence of an authority name form, before it is linked."""

    title_start: int
    start: int
    end: int
    claims: list[NameForm]
    titled: bool
    given: str | None
    gender: str | None
    possessive: bool
    unit: Unit | None


@dataclass
class _Ambiguous:
    """A name that fits several persons in play, none of them preferred."""

    match: _Match
    candidates: list[str]


def _with_title(text: str, start: int) -> tuple[int, bool]:
    """Extend a name match leftwards over a title such as 'President' or 'Secretary of State'."""
    window = text[max(0, start - 60) : start]
    title = TITLE_BEFORE_NAME.search(window)
    if title:
        return start - (len(window) - title.start()), True
    return start, False


def _given_before(text: str, start: int) -> str | None:
    """The given name or initial written right before a surname ("Given Surname"), if any."""
    match = GIVEN_BEFORE.search(text, max(0, start - 40), start)
    if not match:
        return None
    word = match.group(1)
    if word in non_name_words() or word.rstrip(".") in non_name_words():
        return None
    if sentence_initial(text, match.start(1)) and word not in known_given_names() and not word.endswith("."):
        return None
    return word


def _given_fits(entity: Entity, given: str) -> bool:
    """Whether a given name or initial written before the surname can be this entity's."""
    names = [
        *entity.given_names,
        *(v.split()[0] for v in entity.variants if " " in v),
        entity.name.split()[0],
    ]
    if given.endswith("."):
        return any(n[0] == given[0] for n in names)
    return given in names


def _authority_matches(text: str, authority: Authority, locate: Locator) -> list[_Match]:
    """Every occurrence of an authority name form, with its title, given name and possessive noted."""
    matches = []
    for match in authority.name_regex.finditer(text):
        claims = authority.forms.get(normalise_form(match.group()))
        if not claims:
            continue
        start, end = match.start(), match.end()
        person = authority.entities[claims[0].entity_id].entity_type == "person"
        title_start, titled = _with_title(text, start) if person else (start, False)
        given = None if titled or not person else _given_before(text, start)
        gender = title_gender(text[title_start:start]) if titled else None
        possessive = person and bool(POSSESSIVE.match(text[end : end + 3]))
        end = post_nominal_end(text, end) if person else end
        matches.append(
            _Match(title_start, start, end, claims, titled, given, gender, possessive, locate(start))
        )
    return matches


def _introduced(authority: Authority, matches: list[_Match], document_id: str) -> set[str]:
    """Entities this document introduces by a full form, or that the authority says it concerns."""
    concerned = {e.entity_id for e in authority.entities.values() if document_id in e.documents}
    return concerned | {m.claims[0].entity_id for m in matches if m.claims[0].kind in INTRODUCING_KINDS}


def _resolve_names(
    text: str,
    authority: Authority,
    matches: list[_Match],
    introduced: set[str],
    rivals: dict[str, int],
) -> tuple[list[Mention], list[_Ambiguous], list[_Match]]:
    """Link each name match to one entity in play in this document, or say why not.

    A full form links to its entity. A bare surname, a title with a surname, a given name alone or a
    possessive links only to an entity introduced in this document, of the title's gender, whose given names
    fit one written before the surname, and only when no other person of that surname is in play (an
    authority sharer or a person found here); several in play: the one named last in this paragraph or note,
    else the curated surname_default, else the mention is ambiguous. Matches left unlinked are returned too.
    """
    mentions: list[Mention] = []
    ambiguous: list[_Ambiguous] = []
    unlinked: list[_Match] = []
    last_strong: dict[str, Mention] = {}
    named_in_group: dict[str, list[Mention]] = defaultdict(list)
    for match in matches:
        first = match.claims[0]
        entity = authority.entities[first.entity_id]
        group = match.unit.group if match.unit is not None else ""
        if entity.entity_type != "person" or first.kind in INTRODUCING_KINDS:
            kind = (
                "title"
                if match.titled
                else "possessive"
                if match.possessive and first.kind != "name"
                else first.kind
            )
            mention = Mention(
                match.title_start, match.end, first.entity_id, kind, CONFIDENCE[kind], match.unit
            )
            mentions.append(mention)
            last_strong[first.entity_id] = mention
            named_in_group[group].append(mention)
            continue
        pool = [
            c
            for c in match.claims
            if c.entity_id in introduced
            and (match.gender is None or authority.entities[c.entity_id].gender in (None, match.gender))
            and (match.given is None or _given_fits(authority.entities[c.entity_id], match.given))
        ]
        surname = authority.entities[first.entity_id].surname or first.form
        if not pool:
            # An authority surname before an eponym noun names a thing ("the Surname Company").
            if not name_patterns().eponym_after.match(text, match.end):
                unlinked.append(match)
            continue
        chosen, penalty = None, 0.0
        if len(pool) == 1 and not rivals.get(surname):
            chosen = pool[0]
        else:
            by_entity = {c.entity_id: c for c in pool}
            recent = [m for m in reversed(named_in_group[group]) if m.entity_id in by_entity]
            defaults = [c for c in pool if authority.entities[c.entity_id].surname_default]
            if recent:
                chosen, penalty = by_entity[recent[0].entity_id], SHARED_SURNAME_PENALTY / 3
            elif len(defaults) == 1 and not rivals.get(surname):
                chosen, penalty = defaults[0], SHARED_SURNAME_PENALTY
        if chosen is None:
            ambiguous.append(_Ambiguous(match, sorted(c.entity_id for c in pool)))
            continue
        kind = "title" if match.titled else "possessive" if match.possessive else chosen.kind
        antecedent = last_strong.get(chosen.entity_id)
        mention = Mention(
            match.title_start,
            match.end,
            chosen.entity_id,
            kind,
            round(CONFIDENCE[kind] - penalty, 2),
            match.unit,
            antecedent,
        )
        mentions.append(mention)
        named_in_group[group].append(mention)
    return mentions, ambiguous, unlinked


def _dropoverlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the earliest, then longest, of overlapping mentions (a title-extended name wins over a role)."""
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


# The mentions table's column types, read from schemas/mentions.yaml, for callers that need an empty frame.
MENTION_SCHEMA = extracted_columns("mentions")


def _italics(emphasis_spans: pl.DataFrame | None) -> list[tuple[int, int]]:
    if emphasis_spans is None or emphasis_spans.height == 0:
        return []
    italic = emphasis_spans.filter(pl.col("style") == "italic")
    return list(zip(italic["char_start"].to_list(), italic["char_end"].to_list(), strict=True))


def _document_id(sentences: pl.DataFrame, footnotes: pl.DataFrame) -> str:
    for frame in (sentences, footnotes):
        if frame.height:
            return str(frame["document_id"][0])
    raise ValueError("find_mentions needs at least one sentence or footnote to know the document")


def paragraph_spans(sentences: pl.DataFrame, footnotes: pl.DataFrame) -> list[tuple[int, int]]:
    """(start, end) of each body paragraph (from its sentences) and each note, in text order."""
    spans = []
    if sentences.height:
        grouped = sentences.group_by("paragraph_id").agg(pl.col("char_start").min(), pl.col("char_end").max())
        spans += list(zip(grouped["char_start"].to_list(), grouped["char_end"].to_list(), strict=True))
    notes = footnotes.filter(pl.col("char_start").is_not_null() & pl.col("char_end").is_not_null())
    spans += list(zip(notes["char_start"].to_list(), notes["char_end"].to_list(), strict=True))
    return sorted(spans)


def _rival_counts(authority: Authority, spans: list[PersonSpan], strong: list[Mention]) -> dict[str, int]:
    """How many persons found here by a given name share each surname without being an authority sharer."""
    taken = sorted((m.start, m.end) for m in strong)
    givens: dict[str, set[str]] = defaultdict(set)
    for span in spans:
        sharers = authority.forms.get(span.surname, [])
        fits = any(_given_fits(authority.entities[f.entity_id], span.given or "") for f in sharers)
        if span.given and not fits and not overlaps(taken, span.start, span.end):
            givens[span.surname].add(span.given)
    return {surname: len(names) for surname, names in givens.items()}


def place_and_body_words(authority: Authority) -> frozenset[str]:
    """One-word names of the authority's places and organisations ("Moscow", "Comintern")."""
    return frozenset(
        form
        for entity in authority.entities.values()
        if entity.entity_type != "person"
        for form in (entity.name, *entity.variants)
        if " " not in form
    )


def find_mentions(
    document_text: str,
    sentences: pl.DataFrame,
    footnotes: pl.DataFrame,
    authority: Authority,
    emphasis_spans: pl.DataFrame | None = None,
    pronouns: bool = True,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Link names, titles, roles and (conservatively) pronouns to the authority; report other persons.

    Returns (mentions, unlinked_names), both in text order with IDs "<document_id>:m0001" and
    "<document_id>:u0001". Needs the sentences and footnotes tables of the same cleaned text; the
    optional emphasis_spans keep capitalised words of italic titles out of the person report. A name that
    is not linked is an unlinked name with a document-level person ID, or ambiguous with its candidates.
    """
    document_id = _document_id(sentences, footnotes)
    units = sentence_units(sentences, footnotes)
    locate = Locator(units)
    matches = _authority_matches(document_text, authority, locate)
    introduced = _introduced(authority, matches, document_id)
    spans = find_person_spans(
        document_text, paragraph_spans(sentences, footnotes), place_and_body_words(authority)
    )
    strong = [
        Mention(m.start, m.end, m.claims[0].entity_id, m.claims[0].kind, 0.0, m.unit)
        for m in matches
        if m.claims[0].kind in INTRODUCING_KINDS
    ]
    named, ambiguous, unlinked_matches = _resolve_names(
        document_text, authority, matches, introduced, _rival_counts(authority, spans, strong)
    )
    named += role_mentions(document_text, authority, locate, units, named)
    named = _dropoverlaps(named)
    italics = sorted(_italics(emphasis_spans))
    # An authority surname after a place name's first word is the place's ("Point Surname").
    place_before = name_patterns().place_before
    unlinked_matches = [
        m
        for m in unlinked_matches
        if not place_before.search(document_text, max(0, m.title_start - 40), m.title_start)
    ]
    candidates = document_persons(
        document_id,
        spans,
        unlinked_matches,
        [(m.start, m.end) for m in named if m.kind != "pronoun"],
        authority,
    )
    persons = [
        c
        for c in candidates
        if c.name.reason in ("initials", "heading", "signature")
        or c.name.addressed
        or not overlaps(italics, c.start, c.name.end)
    ]
    # A surname known only from names in italics (a ship's, a book's) is no person's where it stands bare.
    sources = {c.name.surname for c in persons if c.name.reason != "surname"}
    kept = {id(c) for c in persons}
    italic_only = {c.name.surname for c in candidates if id(c) not in kept} - sources
    persons = [c for c in persons if c.name.reason != "surname" or c.name.surname not in italic_only]
    others = [(c.start, c.name.gender) for c in persons]
    found = named + (pronoun_mentions(document_text, authority, units, named, others) if pronouns else [])
    found = _dropoverlaps(found)
    ids = {id(m): f"{document_id}:m{i:04d}" for i, m in enumerate(found, start=1)}
    rows = [
        {
            "mention_id": ids[id(m)],
            "document_id": document_id,
            "entity_id": m.entity_id,
            "entity_type": authority.entities[m.entity_id].entity_type,
            "char_start": m.start,
            "char_end": m.end,
            "text": document_text[m.start : m.end],
            "sentence_id": m.unit.sentence_id if m.unit else None,
            "footnote_id": m.unit.footnote_id if m.unit else None,
            "match_kind": m.kind,
            "confidence": m.confidence,
            "antecedent_mention_id": ids.get(id(m.antecedent)) if m.antecedent is not None else None,
        }
        for m in found
    ]
    reported = [(c.start, c.name.end, c.name.reason, c.person_id, c.status, c.candidates) for c in persons]
    reported += [
        (a.match.title_start, a.match.end, "shared_surname", None, "ambiguous", tuple(a.candidates))
        for a in ambiguous
    ]
    unlinked = []
    for number, (start, end, reason, person_id, status, candidates) in enumerate(sorted(reported), start=1):
        unit = locate(start)
        unlinked.append(
            {
                "unlinked_id": f"{document_id}:u{number:04d}",
                "document_id": document_id,
                "char_start": start,
                "char_end": end,
                "text": document_text[start:end],
                "reason": reason,
                "person_id": person_id,
                "status": status,
                "candidates": " ".join(candidates) or None,
                "sentence_id": unit.sentence_id if unit else None,
                "footnote_id": unit.footnote_id if unit else None,
            }
        )
    return rows_to_frame("mentions", rows), rows_to_frame("unlinked_names", unlinked)
