"""Score the text layer on the dev papers: ``python -m evaluation.text_scoring [-v] [DEV_PAPERS_DIR]``.

The dev papers (``../shared/dev-papers/docs/*.md``) come with answers taken from the publishers' own markup
(``gold/``). Each paper is run through the real cleaner and compared with them:

- paragraphs: our body paragraphs (block kinds p, quote, list_item) against ``gold/*.paragraphs.txt``,
  exact text after whitespace normalisation, as multisets;
- footnotes: note number and exact text against ``gold/*.footnotes.jsonl``;
- links: a note is linked right when the block that carries its marker has the text of the block the
  gold names;
- block kinds: for each kind, the blocks of that kind whose exact text the gold also gives that kind.

Precision is found / ours, recall is found / gold.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from evaluation.counts import Counts
from pipeline.text.blocks import BODY_BLOCK_KINDS
from pipeline.text.clean import CleanedDocument, clean_document

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_PAPERS = REPO_ROOT.parent / "shared" / "dev-papers"


def normalise(text: str) -> str:
    """Whitespace collapsed, ends stripped: the only difference the comparison forgives."""
    return re.sub(r"\s+", " ", text).strip()


def compare_multisets(ours: list[str], gold: list[str]) -> Counts:
    """Items compared as multisets of normalised strings."""
    ours_count, gold_count = Counter(map(normalise, ours)), Counter(map(normalise, gold))
    common = ours_count & gold_count
    return Counts(
        expected=len(gold),
        predicted=len(ours),
        found=sum(common.values()),
        missed=sorted((gold_count - common).elements()),
        extra=sorted((ours_count - common).elements()),
    )


def document_id_for(name: str) -> str:
    """A dev paper's file stem as a document ID of the package's shape."""
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class PaperScores:
    """The four comparisons for one paper."""

    name: str
    paragraphs: Counts
    footnotes: Counts
    links: Counts
    kinds: dict[str, Counts]


def score_paper(cleaned: CleanedDocument, gold_dir: Path, name: str) -> PaperScores:
    """Compare one cleaned dev paper with its answers."""
    rows = cleaned.paragraphs.to_dicts()
    body = [row["text"] for row in rows if row["block_kind"] in BODY_BLOCK_KINDS]
    gold_paragraphs = (gold_dir / f"{name}.paragraphs.txt").read_text(encoding="utf-8").splitlines()
    paragraphs = compare_multisets(body, [line for line in gold_paragraphs if line.strip()])

    gold_notes = _jsonl(gold_dir / f"{name}.footnotes.jsonl")
    notes = cleaned.footnotes.filter(cleaned.footnotes["text"].is_not_null())
    footnotes = compare_multisets(
        [f"{number}. {text}" for number, text in zip(notes["number"], notes["text"], strict=True)],
        [f"{note['number']}. {note['text']}" for note in gold_notes],
    )

    blocks = _jsonl(gold_dir / f"{name}.blocks.jsonl")
    text_of = {row["paragraph_id"]: normalise(row["text"] or "") for row in rows}
    ours_linked = {
        row["number"]: text_of.get(row["paragraph_id"])
        for row in cleaned.footnotes.iter_rows(named=True)
        if row["paragraph_id"] is not None
    }
    links = Counts(expected=len(gold_notes), predicted=len(ours_linked))
    for note in gold_notes:
        want = normalise(blocks[note["block_index"]]["text"])
        if ours_linked.get(note["number"]) == want:
            links.found += 1
        else:
            links.missed.append(f"note {note['number']}: gold block {want[:60]!r}")

    kinds: dict[str, Counts] = {}
    for kind in sorted({block["kind"] for block in blocks} | {row["block_kind"] for row in rows}):
        kinds[kind] = compare_multisets(
            [row["text"] for row in rows if row["block_kind"] == kind],
            [block["text"] for block in blocks if block["kind"] == kind],
        )
    return PaperScores(name, paragraphs, footnotes, links, kinds)


def score_dev_papers(dev_dir: Path = DEV_PAPERS) -> list[PaperScores]:
    """Run the cleaner over every dev paper and score it."""
    results = []
    for path in sorted((dev_dir / "docs").glob("*.md")):
        cleaned = clean_document(path.read_text(encoding="utf-8"), document_id_for(path.stem), str(path))
        results.append(score_paper(cleaned, dev_dir / "gold", path.stem))
    return results


def totals(results: list[PaperScores]) -> PaperScores:
    """All papers' counts added up."""
    total = PaperScores("total", Counts(), Counts(), Counts(), {})
    for result in results:
        total.paragraphs.add(result.paragraphs)
        total.footnotes.add(result.footnotes)
        total.links.add(result.links)
        for kind, score in result.kinds.items():
            total.kinds.setdefault(kind, Counts()).add(score)
    return total


def _line(label: str, score: Counts) -> str:
    return (
        f"  {label:<12} precision {score.precision:.3f}  recall {score.recall:.3f}  "
        f"({score.found} found, {score.predicted} ours, {score.expected} gold)"
    )


def main(argv: list[str]) -> None:
    paths = [arg for arg in argv if not arg.startswith("-")]
    dev_dir = Path(paths[0]) if paths else DEV_PAPERS
    verbose = "-v" in argv
    results = score_dev_papers(dev_dir)
    for result in [*results, totals(results)]:
        print(result.name)
        print(_line("paragraphs", result.paragraphs))
        print(_line("footnotes", result.footnotes))
        print(_line("links", result.links))
        for kind, score in result.kinds.items():
            print(_line(f"kind {kind}", score))
        if verbose and result.name != "total":
            for what in ("paragraphs", "footnotes", "links"):
                score = getattr(result, what)
                for item in score.missed:
                    print(f"    missed {what}: {item[:150]}")
                for item in score.extra:
                    print(f"    extra {what}: {item[:150]}")


if __name__ == "__main__":
    main(sys.argv[1:])
