"""Document-level person IDs for the names the authority does not link: one ID per person of a paper.

Names with the same surname and compatible given names are one person; a given name one letter off another
of the same surname in the paper (an OCR slip: "Water" beside "Walter") is that name; initials fit the
given name they start.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Protocol

from pipeline.extract.authority import Authority
from pipeline.extract.person_words import PersonSpan
from pipeline.text.ingest import slug


class UnlinkedMatch(Protocol):
    """An authority name form found in the text but linked to nobody (entities._Match)."""

    title_start: int
    start: int
    end: int
    claims: list
    given: str | None
    gender: str | None


@dataclass
class Candidate:
    """A name of a person the authority does not link here, with the document-level person it belongs to."""

    name: PersonSpan
    person_id: str | None = None
    status: str = "new_person"
    candidates: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        """Where the name starts, with its title if it has one."""
        return self.name.title_start


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted spans (which may overlap each other)."""
    i = bisect.bisect_left(spans, (end,))
    return any(s < end and start < e for s, e in spans[max(0, i - 4) : i])


def document_persons(
    document_id: str,
    spans: list[PersonSpan],
    unlinked: list[UnlinkedMatch],
    linked: list[tuple[int, int]],
    authority: Authority,
) -> list[Candidate]:
    """Person names not linked to the authority, grouped into document-level persons by surname.

    ``linked`` are the (start, end) spans of the names linked to the authority (not pronouns).
    Names with the same surname and compatible given names (or none) are one person, with the ID
    "<document_id>:person:<surname>[-<given>]"; a bare surname that fits several such persons is ambiguous.
    Authority surnames that found no person in play here are document-level persons too, never a guess.
    """
    taken = sorted(linked)
    found: list[Candidate] = []
    for span in spans:
        if not overlaps(taken, span.start, span.end):
            found.append(Candidate(span))
    spans_taken = sorted((c.start, c.name.end) for c in found)
    for match in unlinked:
        if not overlaps(spans_taken, match.start, match.end) and not overlaps(taken, match.start, match.end):
            entity = authority.entities[match.claims[0].entity_id]
            surname = entity.surname or match.claims[0].form
            name = PersonSpan(
                match.start, match.end, surname, match.given, match.gender, "known_surname", match.title_start
            )
            found.append(Candidate(name))
    found.sort(key=lambda c: c.start)
    by_surname: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in found:
        by_surname[candidate.name.surname].append(candidate)
    for surname, names in by_surname.items():
        spelled = _usual_spellings(
            [c.name.given for c in names if c.name.given and not c.name.given.endswith(".")]
        )
        for candidate in names:
            if candidate.name.given in spelled:
                candidate.name = replace(candidate.name, given=spelled[candidate.name.given])
        givens = sorted({c.name.given for c in names if c.name.given and not c.name.given.endswith(".")})
        if len(givens) <= 1:
            suffix = f"-{slug(givens[0])}" if givens else ""
            for candidate in names:
                candidate.person_id = f"{document_id}:person:{slug(surname)}{suffix}"
            continue
        ids = {g: f"{document_id}:person:{slug(surname)}-{slug(g)}" for g in givens}
        for candidate in names:
            given = candidate.name.given
            fitting = [g for g in givens if given and g.startswith(given.rstrip("."))]
            if len(fitting) == 1:
                candidate.person_id = ids[fitting[0]]
            else:
                candidate.status, candidate.candidates = "ambiguous", tuple(ids[g] for g in givens)
    return found


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether two words differ by one letter changed, dropped or added."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _usual_spellings(givens: list[str]) -> dict[str, str]:
    """Each given name of four letters or more mapped to a more frequent one a single letter away, if any."""
    counts = Counter(givens)
    ranked = sorted(counts, key=lambda g: (-counts[g], g))
    usual: dict[str, str] = {}
    for index, given in enumerate(ranked):
        for other in ranked[:index]:
            if len(given) >= 4 and other not in usual and _one_edit_apart(given, other):
                usual[given] = other
                break
    return usual
