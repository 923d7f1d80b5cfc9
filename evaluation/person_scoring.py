"""Score person finding and linking on the development papers against the publishers' own person tags.

Run ``python -m evaluation.person_scoring`` (the dev papers are read from ``../shared/dev-papers`` beside
the repository). For each paper it prints:

- people found: the share of distinct tagged people (FRUS ``persons.jsonl``; person entries of the
  monograph's back-of-book ``index_terms.jsonl`` whose surname occurs in the excerpt) that the pipeline
  found, linked to the authority or proposed as a document-level person; recall with precision over the
  distinct surnames the pipeline reports that the gold does not know (a lower bound: the gold is not
  exhaustive);
- wrong links: mentions linked to an authority person while the gold says the paper's person of that
  surname is somebody else (different given name), or knows nobody of that surname at all.

A person is identified by surname, since the gold tags give "Surname, Given" and the text mostly the
surname alone.
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.extract.entities import Authority, find_mentions, load_authority
from pipeline.text.clean import clean_document

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_PAPERS = REPO_ROOT.parent / "shared" / "dev-papers"
# "Surname, Given ..." (the index's person form); the given part starts with a capital or "Sir".
INDEX_PERSON = re.compile(r"^(?P<surname>[A-Z][\w'’‐-]+(?: [a-z]+ [A-Z][\w'’-]+)*), (?P<given>[A-Z].*)$")


def surname_key(text: str) -> str:
    """Lower-case, accent-free surname: the last word of a name, or what stands before a comma."""
    text = text.split(",")[0] if "," in text else text.split()[-1] if text.split() else text
    text = re.sub(r"['’]s$", "", text.strip())
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def given_key(name: str) -> str | None:
    """The first given name of "Surname, Given" (titles such as Sir, Col. skipped), lower-cased."""
    if "," not in name:
        return None
    words = [w for w in re.split(r"[\s.]+", name.split(",", 1)[1]) if w]
    words = [w for w in words if w not in {"Sir", "Col", "Gen", "Maj", "Earl", "of"}]
    return words[0].lower() if words else None


@dataclass
class GoldPerson:
    """One distinct person the source tags, with the given name when the tag resolves it."""

    surname: str
    given: str | None
    label: str


@dataclass
class PaperScore:
    document_id: str
    gold: dict[str, GoldPerson]
    found: set[str]
    reported: set[str]
    wrong_links: list[tuple[str, str, str]] = field(default_factory=list)
    unverified_links: list[tuple[str, str]] = field(default_factory=list)
    sentences: int = 0
    seconds: float = 0.0

    @property
    def recall(self) -> float:
        return len(self.found & set(self.gold)) / len(self.gold) if self.gold else 1.0

    @property
    def precision(self) -> float:
        return len(self.reported & set(self.gold)) / len(self.reported) if self.reported else 1.0


def gold_persons(name: str) -> dict[str, GoldPerson]:
    """Distinct tagged people of a dev paper, keyed by surname."""
    gold_dir = DEV_PAPERS / "gold"
    people: dict[str, GoldPerson] = {}
    tags = gold_dir / f"{name}.persons.jsonl"
    if tags.exists():
        for line in tags.read_text(encoding="utf-8").splitlines():
            tag = json.loads(line)
            label = tag["name"] or tag["text"]
            key = surname_key(tag["name"] or tag["text"])
            given = given_key(tag["name"]) if tag["name"] else None
            if key not in people or (given and not people[key].given):
                people[key] = GoldPerson(key, given, label)
    terms = gold_dir / f"{name}.index_terms.jsonl"
    if terms.exists():
        text = (DEV_PAPERS / "docs" / f"{name}.md").read_text(encoding="utf-8")
        for line in terms.read_text(encoding="utf-8").splitlines():
            term = json.loads(line)["term_path"][0]
            match = INDEX_PERSON.match(term)
            if not match or not re.search(rf"\b{re.escape(match['surname'])}\b", text):
                continue
            key = surname_key(match["surname"])
            people[key] = GoldPerson(key, given_key(term), term)
    return people


def _given_names(authority: Authority, entity_id: str) -> set[str]:
    entity = authority.entities[entity_id]
    names = {g.lower() for g in entity.given_names}
    return names | {entity.name.split()[0].lower()}


def score_dev_paper(path: Path, authority: Authority) -> PaperScore:
    name = path.stem
    document_id = name.replace("_", "-")
    document = clean_document(path.read_text(encoding="utf-8"), document_id, path.name)
    started = time.perf_counter()
    mentions, unlinked = find_mentions(
        document.text, document.sentences, document.footnotes, authority, document.emphasis_spans
    )
    seconds = time.perf_counter() - started
    gold = gold_persons(name)
    persons = mentions.filter((pl.col("entity_type") == "person") & (pl.col("match_kind") != "pronoun"))
    found: set[str] = set()
    wrong: list[tuple[str, str, str]] = []
    unverified: list[tuple[str, str]] = []
    for row in persons.iter_rows(named=True):
        entity = authority.entities[row["entity_id"]]
        key = surname_key(entity.surname or entity.name)
        found.add(key)
        person = gold.get(key)
        if person is None:
            unverified.append((row["text"], row["entity_id"]))
        elif person.given and person.given not in _given_names(authority, row["entity_id"]):
            wrong.append((row["text"], row["entity_id"], person.label))
    proposed = unlinked.filter(pl.col("person_id").is_not_null())
    for row in proposed.iter_rows(named=True):
        found.add(surname_key(row["text"]))
    return PaperScore(
        document_id, gold, found, set(found), wrong, unverified, document.sentences.height, seconds
    )


def dev_paper_files() -> list[Path]:
    return sorted((DEV_PAPERS / "docs").glob("*.md"))


def main(argv: list[str]) -> None:
    authority = load_authority()
    verbose = "-v" in argv
    scores = [score_dev_paper(path, authority) for path in dev_paper_files()]
    for score in scores:
        missed = sorted(set(score.gold) - score.found)
        print(
            f"{score.document_id}: people found {len(score.found & set(score.gold))}/{len(score.gold)} "
            f"recall {score.recall:.3f}  precision {score.precision:.3f}  "
            f"wrong links {len(score.wrong_links)}  unverifiable links {len(score.unverified_links)}"
        )
        if verbose:
            print(f"  missed: {missed}")
            print(f"  reported, not in the gold: {sorted(score.reported - set(score.gold))}")
            for text, entity_id, person in score.wrong_links:
                print(f"  wrong link: {text!r} -> {entity_id} (gold: {person})")
            for text, entity_id in sorted(set(score.unverified_links)):
                print(f"  link the gold cannot check: {text!r} -> {entity_id}")
    gold_total = sum(len(s.gold) for s in scores)
    found_total = sum(len(s.found & set(s.gold)) for s in scores)
    reported_total = sum(len(s.reported) for s in scores)
    sentences = sum(s.sentences for s in scores)
    seconds = sum(s.seconds for s in scores)
    print(
        f"all dev papers: people found {found_total}/{gold_total} recall {found_total / gold_total:.3f}  "
        f"precision {found_total / max(reported_total, 1):.3f}  "
        f"wrong links {sum(len(s.wrong_links) for s in scores)}  "
        f"linking {sentences / seconds:.0f} sentences/s ({sentences} sentences, {seconds:.2f} s)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
