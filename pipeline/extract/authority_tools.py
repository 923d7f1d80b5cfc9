"""Draft authority entries from the persons the papers name but the authority file lacks.

``suggest_entries`` clusters the unlinked person names of all papers: within a paper they already share a
document-level person ID; across papers, persons with the same surname and compatible given names (the
same name, or an initial that fits it) are one proposed entry, and a bare surname joins the one person of
that surname with a given name, when there is exactly one. Each entry is in the authority file's format
(id, name, given_names, surname, variants, gender, documents, description) so accepting it is a copy into
``authority/persons.yaml``; the evidence a curator reads (name forms with counts, the rules that found
them, the first contexts, the papers, same-surname entries already in the authority) is under
``proposal``, which the loader ignores.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import yaml

from pipeline.extract.entities import Authority
from pipeline.extract.person_words import name_parts, title_gender
from pipeline.text.ingest import slug

CONTEXTS_PER_ENTRY = 3
CONTEXT_CHARS = 160
# The office in a heading such as "The Secretary of State to the Minister in Ruritania (Surname)": what
# stands before "(" after the last "The" or "to the".
HEADING_BOUNDARY = re.compile(r"\bThe\s+|\bto\s+the\s+")


@dataclass
class _Person:
    """The names of one person in one paper, or (after clustering) across papers."""

    surname: str
    given: str | None
    forms: Counter[str] = field(default_factory=Counter)
    full_forms: Counter[str] = field(default_factory=Counter)
    rules: set[str] = field(default_factory=set)
    genders: set[str] = field(default_factory=set)
    offices: Counter[str] = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)
    contexts: list[tuple[str, int, str]] = field(default_factory=list)

    def absorb(self, other: _Person) -> None:
        self.forms.update(other.forms)
        self.full_forms.update(other.full_forms)
        self.rules |= other.rules
        self.genders |= other.genders
        self.offices.update(other.offices)
        self.documents |= other.documents
        self.contexts += other.contexts
        self.given = self.given or other.given


def _context(text: str, start: int, end: int) -> str:
    left = max(0, start - CONTEXT_CHARS // 2)
    snippet = text[left : end + CONTEXT_CHARS // 2]
    return " ".join(snippet.split())


def _document_persons(unlinked: pl.DataFrame, texts: dict[str, str]) -> dict[str, _Person]:
    """One _Person per document-level person ID, from the unlinked names that are not ambiguous."""
    persons: dict[str, _Person] = {}
    rows = unlinked.filter(pl.col("person_id").is_not_null()).sort("document_id", "char_start")
    for row in rows.iter_rows(named=True):
        given, initials, surname, written = name_parts(row["text"])
        if surname is None:
            continue
        person = persons.setdefault(row["person_id"], _Person(surname=surname, given=None))
        person.given = person.given or given
        person.forms[row["text"]] += 1
        if given or initials:
            person.full_forms[written] += 1
        office = row["text"][: len(row["text"]) - len(written)].strip()
        if row["reason"] == "title_cue" and office and not title_gender(office):
            person.offices[office[0].upper() + office[1:]] += 1
        person.rules.add(row["reason"])
        gender = title_gender(row["text"])
        if gender:
            person.genders.add(gender)
        person.documents.add(row["document_id"])
        text = texts.get(row["document_id"], "")
        before = text[max(0, row["char_start"] - 120) : row["char_start"]].rstrip("( ")
        office = HEADING_BOUNDARY.split(before)[-1] if row["reason"] == "heading" else ""
        if office[:1].isupper() and HEADING_BOUNDARY.search(before):
            person.offices[" ".join(office.split())] += 1
        if len(person.contexts) < CONTEXTS_PER_ENTRY:
            context = _context(text, row["char_start"], row["char_end"])
            person.contexts.append((row["document_id"], row["char_start"], context))
    return persons


def _fits(given: str | None, other: str | None) -> bool:
    return given is None or other is None or given == other


@dataclass
class _Unresolved:
    """Bare surnames that may belong to several persons: left to the curator, listed with the evidence."""

    person: _Person
    named: list[_Person]
    authority_ids: list[str]


def _cluster(
    persons: list[_Person], authority: Authority
) -> tuple[list[tuple[_Person, list[str]]], list[_Unresolved]]:
    """Merge document-level persons across papers into entries (with review notes) and unresolved surnames.

    Persons with the same surname and given name are one; bare surnames join the only person of that
    surname with a given name, unless the authority knows a person of that surname too; otherwise, where
    several persons may be meant, they are unresolved rather than guessed.
    """
    by_surname: dict[str, list[_Person]] = defaultdict(list)
    for person in persons:
        by_surname[person.surname].append(person)
    clusters: list[tuple[_Person, list[str]]] = []
    unresolved: list[_Unresolved] = []
    for surname in sorted(by_surname):
        named: dict[str, _Person] = {}
        bare = _Person(surname=surname, given=None)
        for person in by_surname[surname]:
            if person.given:
                named.setdefault(person.given, _Person(surname=surname, given=person.given)).absorb(person)
            else:
                bare.absorb(person)
        sharers = sorted({f.entity_id for f in authority.forms.get(surname, []) if f.kind == "surname"})
        notes: list[str] = []
        if bare.forms and len(named) == 1 and not sharers:
            next(iter(named.values())).absorb(bare)
            notes.append(
                "bare surnames in other papers joined to the only person of this surname with a given name"
            )
        elif bare.forms and (named or sharers):
            unresolved.append(_Unresolved(bare, [named[g] for g in sorted(named)], sharers))
        elif bare.forms:
            clusters.append((bare, ["given name unknown: add given_names and a full name"]))
        clusters += [(named[given], list(notes)) for given in sorted(named)]
    return clusters, unresolved


def _entry(person: _Person, notes: list[str], authority: Authority, used_ids: set[str]) -> dict[str, Any]:
    base = f"person:{slug(person.surname)}" + (f"-{slug(person.given)}" if person.given else "")
    entity_id, number = base, 2
    while entity_id in authority.entities or entity_id in used_ids:
        entity_id, number = f"{base}-{number}", number + 1
    used_ids.add(entity_id)
    name = f"{person.given} {person.surname}" if person.given else person.surname
    full = sorted(person.full_forms, key=lambda f: (-person.full_forms[f], -len(f), f))
    if (
        full
        and full[0].split()[-1] == person.surname
        and (not person.given or full[0].split()[0] == person.given)
    ):
        name = full[0]
    known = {key.lower() for key in authority.forms}
    derived = {name, f"{person.given} {person.surname}" if person.given else "", person.surname}
    if person.given:
        derived.add(f"{person.given[0]}. {person.surname}")
    variants = sorted(f for f in full if f not in derived and f.lower() not in known)
    sharers = sorted({f.entity_id for f in authority.forms.get(person.surname, [])})
    if sharers:
        notes.append(
            "the authority has a person of this surname: a bare surname is ambiguous where both are in play"
        )
    if len(person.genders) > 1:
        notes.append("forms of address of both genders")
    offices = [office for office, _ in person.offices.most_common(2)]
    entry: dict[str, Any] = {"id": entity_id, "name": name}
    if person.given:
        entry["given_names"] = [person.given]
    entry["surname"] = person.surname
    if variants:
        entry["variants"] = variants
    if len(person.genders) == 1:
        entry["gender"] = next(iter(person.genders))
    entry["documents"] = sorted(person.documents)
    entry["description"] = (
        "; ".join(offices) if offices else f"Person named in {len(person.documents)} paper(s); describe."
    )
    entry["proposal"] = {
        "mentions": sum(person.forms.values()),
        "name_forms": dict(sorted(person.forms.items(), key=lambda item: (-item[1], item[0]))),
        "found_by": sorted(person.rules),
        "first_contexts": [f"{doc} @{start}: {text}" for doc, start, text in sorted(person.contexts)[:3]],
        "same_surname_in_authority": sharers,
        "review": notes,
    }
    return entry


def suggest_entries(
    unlinked: pl.DataFrame, texts: dict[str, str], authority: Authority
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Proposed authority entries for the unlinked persons of all papers, most mentioned first, and the bare
    surnames left unresolved (several persons may be meant), with the entries they may belong to.

    ``unlinked`` is the unlinked_names table of the papers (all documents), ``texts`` their cleaned texts
    by document ID (for contexts and heading offices).
    """
    persons = list(_document_persons(unlinked, texts).values())
    clusters, unresolved = _cluster(persons, authority)
    clusters.sort(key=lambda c: (-sum(c[0].forms.values()), c[0].surname, c[0].given or ""))
    used: set[str] = set()
    entries = [_entry(person, notes, authority, used) for person, notes in clusters]
    _drop_shared_variants(entries)
    entry_ids = {id(person): entry["id"] for (person, _), entry in zip(clusters, entries, strict=True)}
    open_names = [
        {
            "surname": item.person.surname,
            "may_be": [entry_ids[id(p)] for p in item.named] + item.authority_ids,
            "mentions": sum(item.person.forms.values()),
            "name_forms": dict(sorted(item.person.forms.items(), key=lambda kv: (-kv[1], kv[0]))),
            "documents": sorted(item.person.documents),
            "first_contexts": [
                f"{d} @{start}: {text}" for d, start, text in sorted(item.person.contexts)[:3]
            ],
        }
        for item in unresolved
    ]
    return entries, open_names


def _drop_shared_variants(entries: list[dict[str, Any]]) -> None:
    """A variant two drafted entries share would make the authority ambiguous: leave it out of both."""
    counts = Counter(v for entry in entries for v in entry.get("variants", []))
    for entry in entries:
        kept = [v for v in entry.get("variants", []) if counts[v] == 1]
        if kept:
            entry["variants"] = kept
        else:
            entry.pop("variants", None)


def draft_yaml(entries: list[dict[str, Any]], unresolved: list[dict[str, Any]] | None = None) -> str:
    """The draft as an authority file: accepted entries are copied into authority/persons.yaml."""
    header = (
        "# Draft person entries from `papers-dataset authority suggest`: persons the papers name that\n"
        "# the authority file lacks. Review each entry (name, given_names, description, the proposal's\n"
        "# evidence) and copy the ones you accept into authority/persons.yaml (the loader ignores\n"
        "# `proposal`). `unresolved_surnames` lists bare surnames that may be one of several persons.\n"
    )
    document: dict[str, Any] = {"entity_type": "person", "entities": entries}
    if unresolved:
        document["unresolved_surnames"] = unresolved
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
    return header + body
