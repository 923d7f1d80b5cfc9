"""Score person finding on the FRUS development corpus against the publisher's person tags, per volume.

Run ``python -m evaluation.corpus_person_scoring [CORPUS_DIR]`` (papers and answers from
``../shared/dev-corpus``, or a variant of it kept by ``evaluation.layout_variants --keep``; ``-v`` prints the
missed tags and the false finds in headings and signatures; ``--limit N`` scores the first N papers only).
For each volume it prints:

Papers the cleaner rejects (as the build leaves them out) are counted, not scored.

- people found: distinct tagged people of a paper (by surname) that the pipeline reports as a person
  anywhere in the paper (a linked mention or an unlinked name), summed over papers;
- tags found: tagged occurrences covered by a person span the pipeline reports, per block kind (heading,
  closer = signature, p = running text, ...); a tag is located through its block's text in the cleaned
  paper, and tags whose block the cleaner changed beyond recognition are left out (counted as "unplaced");
- precision in headings and signatures: where the publisher tags a person in a document heading ("Mr. X to
  Mr. Y.") or a signature it tags every person of that block, so there a person span the pipeline reports
  that overlaps no tag is a false find. Blocks without a tag are not judged (some volumes tag no
  signatures), nor is running text, where the tags are not exhaustive.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.person_scoring import surname_key
from pipeline.extract.entities import Authority, find_mentions, load_authority
from pipeline.text.clean import clean_document
from pipeline.text.ingest import InputError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_CORPUS = REPO_ROOT.parent / "shared" / "dev-corpus"
EXHAUSTIVE_KINDS = ("heading", "closer")

Span = tuple[int, int]


@dataclass
class VolumeScore:
    """Counts for one volume."""

    people_gold: int = 0
    people_found: int = 0
    tags: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    unplaced: int = 0
    judged_found: int = 0
    judged_true: int = 0
    papers: int = 0
    left_out: int = 0
    sentences: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    false_finds: list[str] = field(default_factory=list)


def _answers(paper: Path, kind: str) -> Path:
    """The paper's answer file of a kind, in the ``gold/`` beside its ``papers/``."""
    return paper.parent.parent / "gold" / f"{paper.stem}.{kind}.jsonl"


def _blocks(paper: Path) -> dict[int, dict]:
    path = _answers(paper, "blocks")
    return {b["block_index"]: b for b in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def _place_blocks(text: str, blocks: dict[int, dict]) -> dict[int, Span]:
    """Where each block's text stands in the cleaned text, in order; blocks not found are left out."""
    placed: dict[int, Span] = {}
    position = 0
    for index in sorted(blocks):
        block_text = blocks[index]["text"]
        if not block_text:
            continue
        at = text.find(block_text, position)
        if at >= 0:
            placed[index] = (at, at + len(block_text))
            position = at + len(block_text)
    return placed


def _overlaps(spans: list[Span], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def score_paper(path: Path, authority: Authority, volume: VolumeScore) -> None:
    """Add one paper's counts to its volume's."""
    paper_id = path.stem
    try:
        document = clean_document(path.read_text(encoding="utf-8"), paper_id, path.name)
    except InputError:
        volume.left_out += 1
        return
    started = time.process_time()
    mentions, unlinked = find_mentions(
        document.text, document.sentences, document.footnotes, authority, document.emphasis_spans
    )
    volume.seconds += time.process_time() - started
    volume.sentences += document.sentences.height
    volume.papers += 1
    text = document.text
    persons = mentions.filter((mentions["entity_type"] == "person") & (mentions["match_kind"] != "pronoun"))
    spans = list(zip(persons["char_start"].to_list(), persons["char_end"].to_list(), strict=True))
    spans += list(zip(unlinked["char_start"].to_list(), unlinked["char_end"].to_list(), strict=True))
    found_keys = {surname_key(text[s:e]) for s, e in spans if text[s:e].strip()}
    found_keys |= {
        surname_key(authority.entities[e].surname or authority.entities[e].name)
        for e in persons["entity_id"].to_list()
    }
    tags = [json.loads(line) for line in _answers(path, "persons").open()]
    gold_keys = {surname_key(t["name"] or t["text"]) for t in tags if (t["name"] or t["text"]).strip()}
    volume.people_gold += len(gold_keys)
    volume.people_found += len(gold_keys & found_keys)
    blocks = _blocks(path)
    placed = _place_blocks(text, blocks)
    tag_spans: dict[int, list[Span]] = defaultdict(list)
    for tag in tags:
        block = placed.get(tag["block_index"]) if tag["block_index"] is not None else None
        kind = tag["block_kind"] or "none"
        if block is None or tag["start_in_text"] is None:
            volume.unplaced += 1
            continue
        start, end = block[0] + tag["start_in_text"], block[0] + tag["end_in_text"]
        tag_spans[tag["block_index"]].append((start, end))
        hit = _overlaps(spans, start, end)
        volume.tags[kind][0] += hit
        volume.tags[kind][1] += 1
        if not hit:
            volume.misses.append(f"{paper_id} [{kind}] {text[block[0] : block[1]][:90]!r} -> {tag['text']!r}")
    for index, (block_start, block_end) in placed.items():
        if blocks[index]["kind"] not in EXHAUSTIVE_KINDS or not tag_spans.get(index):
            continue
        for start, end in spans:
            if block_start <= start < block_end:
                volume.judged_found += 1
                if _overlaps(tag_spans.get(index, []), start, end):
                    volume.judged_true += 1
                else:
                    volume.false_finds.append(
                        f"{paper_id} {text[start:end]!r} in {text[block_start:block_end]!r}"
                    )


def _ratio(hit: int, total: int) -> str:
    return f"{hit / total:.3f} ({hit}/{total})" if total else "-"


def main(argv: list[str]) -> None:
    corpus = next((Path(a) for a in argv if not a.startswith("-") and not a.isdigit()), DEV_CORPUS)
    if not (corpus / "papers").exists():
        sys.exit(f"{corpus}: the development corpus is not there")
    papers = sorted((corpus / "papers").glob("*.md"))
    if "--limit" in argv:
        papers = papers[: int(argv[argv.index("--limit") + 1])]
    authority = load_authority()
    volumes: dict[str, VolumeScore] = defaultdict(VolumeScore)
    for path in papers:
        score_paper(path, authority, volumes[path.stem.split("-")[0]])
    total = VolumeScore()
    for name in [*sorted(volumes), "all"]:
        volume = volumes[name] if name != "all" else total
        if name != "all":
            for attribute in (
                "papers",
                "left_out",
                "people_gold",
                "people_found",
                "unplaced",
                "judged_found",
                "judged_true",
            ):
                setattr(total, attribute, getattr(total, attribute) + getattr(volume, attribute))
            for kind, (hit, count) in volume.tags.items():
                total.tags[kind][0] += hit
                total.tags[kind][1] += count
            total.sentences += volume.sentences
            total.seconds += volume.seconds
        tag_hit = sum(h for h, _ in volume.tags.values())
        tag_all = sum(c for _, c in volume.tags.values())
        by_kind = "  ".join(f"{k} {_ratio(*volume.tags[k])}" for k in sorted(volume.tags))
        print(
            f"{name} ({volume.papers} papers, {volume.left_out} left out): "
            f"people found {_ratio(volume.people_found, volume.people_gold)}  "
            f"tags found {_ratio(tag_hit, tag_all)}  precision in headings/signatures "
            f"{_ratio(volume.judged_true, volume.judged_found)}  unplaced {volume.unplaced}"
        )
        print(f"    tags by block kind: {by_kind}")
    print(
        f"find_mentions: {total.sentences} sentences in {total.seconds:.2f} CPU s "
        f"({total.sentences / max(total.seconds, 1e-9):.0f} sentences/s)"
    )
    if "-v" in argv:
        for volume in volumes.values():
            for line in volume.misses:
                print("missed:", line)
            for line in volume.false_finds:
                print("false find:", line)


if __name__ == "__main__":
    main(sys.argv[1:])
