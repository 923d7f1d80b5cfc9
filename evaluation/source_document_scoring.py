"""Score the source_documents table against the publishers' markup of the documents a paper prints.

Run ``python -m evaluation.source_document_scoring [-v] [CORPUS_DIR ...]`` (default: ``../shared/dev-corpus``
and ``../shared/dev-papers``). Each paper goes through the real cleaner and
``correspondence.find_source_documents`` and is compared with ``gold/<paper>.documents.jsonl``:

- range: a document is found with the right range when its first and last paragraphs start on the source
  lines where the gold's first and last blocks start (so the comparison does not depend on block kinds);
- start: the same for the first block only (the document is found, whatever its end);
- sender, recipient: the gold's first ``from``/``to`` (a person's name tag, or an office such as
  "Secretary of State") against our name, or our office where the heading gives no name; persons by
  surname (the last word: the tags include a title in some headings and not in others), offices in full;
  case, a leading article and final punctuation ignored;
- place: the gold's place against ours, brackets and final punctuation ignored;
- date: the day of the gold's ``date_when`` against the day of our ``date_sent``; time: the full value
  where the gold prints a time of day;
- type: where the gold's own heading, filing line or bracketed type line (the frame blocks before the
  document's first paragraph) names a type (the same vocabulary
  the extractor reads, applied to the publisher's blocks), against ours.

Fields are compared on documents matched by their first block. Precision is right / ours with a value,
recall is right / gold with a value. Papers the cleaner rejects are counted and skipped.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.counts import Counts
from pipeline.extract import correspondence
from pipeline.text.clean import clean_document

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = (REPO_ROOT.parent / "shared" / "dev-corpus", REPO_ROOT.parent / "shared" / "dev-papers")
FIELDS = ("range", "start", "sender", "recipient", "place", "date", "time", "type")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def party_key(text: str | None) -> str | None:
    """A sender or recipient as compared: lower case, no leading article, no final punctuation."""
    if not text:
        return None
    text = re.sub(r"\s+", " ", text).strip().rstrip(".,;:").lower()
    return re.sub(r"^the ", "", text) or None


def person_key(text: str | None) -> str | None:
    """A person as compared: the surname (last word), since the publisher's name tags sometimes include
    a title ("Colonel E. M. House", "M. Patenôtre") and sometimes not ("von Thielmann")."""
    key = party_key(text)
    return key.split()[-1] if key else None


def place_key(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"\s+", " ", re.sub(r"[\[\]*“”\"]", "", text)).strip()
    return text.rstrip(".,;:—- ").lower() or None


def _line_of(offsets: list[int], position: int) -> int:
    """1-based line of a character position, from the sorted offsets of the line starts."""
    low, high = 0, len(offsets)
    while low + 1 < high:
        middle = (low + high) // 2
        if offsets[middle] <= position:
            low = middle
        else:
            high = middle
    return low + 1


def _gold_type(blocks: list[dict], document: dict) -> str | None:
    """The type the publisher's frame blocks state, read with the extractor's own vocabulary."""
    frame = []  # the frame blocks before the document's first body paragraph
    for i in range(document["block_first"], document["block_last"] + 1):
        if blocks[i]["kind"] in ("p", "quote", "list_item"):
            break
        if blocks[i]["kind"] in ("opener", "source_note", "heading"):
            frame.append(blocks[i])
    lines = [b["text"] for b in frame if b["text"].strip().startswith("[")]
    typed = correspondence._document_type_of(lines)
    if typed is None:
        filing = [b["text"] for b in frame if correspondence.is_filing_line(b["text"]) and ":" in b["text"]]
        typed = correspondence._document_type_of([f.split(":", 1)[1] for f in filing[:1]])
    if typed is None and document.get("heading"):
        typed = correspondence._heading_type(document["heading"])
    return typed


def _gold_party(party: dict | None) -> str | None:
    if party is None:
        return None
    return person_key(party["text"]) if party["element"] == "persName" else party_key(party["text"])


def _our_party(row: dict, role: str) -> str | None:
    return person_key(row[f"{role}_name"]) if row[f"{role}_name"] else party_key(row[f"{role}_office"])


@dataclass
class PaperScore:
    name: str
    volume: str
    counts: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    # Documents headed "<type> by <author>": how many, with our sender, with our sender in the heading.
    by_author: list[int] = field(default_factory=lambda: [0, 0, 0])


def _compare(score: PaperScore, what: str, ours: str | None, gold: str | None, label: str) -> None:
    counts = score.counts[what]
    counts.expected += gold is not None
    counts.predicted += ours is not None
    if ours is not None and ours == gold:
        counts.found += 1
    elif gold is not None:
        counts.missed.append(f"{label}: gold {gold!r}, ours {ours!r}")
    elif ours is not None:
        counts.extra.append(f"{label}: ours {ours!r}")


def score_paper(markdown: str, gold_dir: Path, name: str, volume: str) -> PaperScore:
    """Run the cleaner and the extractor on one paper and compare with its gold documents."""
    score = PaperScore(name, volume)
    cleaned = clean_document(markdown, "paper", name)
    ours = correspondence.find_source_documents(cleaned.paragraphs, "paper").to_dicts()
    line_of_paragraph = dict(
        zip(cleaned.paragraphs["paragraph_id"], cleaned.paragraphs["source_line_start"], strict=True)
    )
    starts = [0] + [m.end() for m in re.finditer("\n", _answered_text(gold_dir, name) or markdown)]
    blocks = _jsonl(gold_dir / f"{name}.blocks.jsonl")
    gold = _jsonl(gold_dir / f"{name}.documents.jsonl")

    def block_line(index: int) -> int:
        return _line_of(starts, blocks[index]["doc_segments"][0][0])

    ours_by_start = {line_of_paragraph[row["first_paragraph_id"]]: row for row in ours}
    ours_ranges = {
        (line_of_paragraph[r["first_paragraph_id"]], line_of_paragraph[r["last_paragraph_id"]]) for r in ours
    }
    gold_ranges = {(block_line(d["block_first"]), block_line(d["block_last"])) for d in gold}
    for what, mine, theirs in (
        ("range", ours_ranges, gold_ranges),
        ("start", set(ours_by_start), {r[0] for r in gold_ranges}),
    ):
        counts = score.counts[what]
        counts.expected += len(theirs)
        counts.predicted += len(mine)
        counts.found += len(mine & theirs)
        counts.missed += [f"{name}: line {x}" for x in sorted(theirs - mine)]
        counts.extra += [f"{name}: line {x}" for x in sorted(mine - theirs)]
    matched_gold: set[int] = set()
    for document in gold:
        start = block_line(document["block_first"])
        row = ours_by_start.get(start)
        matched_gold.add(start)
        label = f"{name} line {start}"
        sender = document["from"][0] if document["from"] else None
        recipient = document["to"][0] if document["to"] else None
        when = document.get("date_when")
        gold_values = {
            "sender": _gold_party(sender),
            "recipient": _gold_party(recipient),
            "place": place_key(document.get("place")),
            "date": when[:10] if when and len(when) >= 10 else None,
            "time": when if when and "T" in when else None,
            "type": _gold_type(blocks, document),
        }
        our_values = dict.fromkeys(gold_values)
        if row is not None:
            sent = row["date_sent"]
            our_values = {
                "sender": _our_party(row, "sender"),
                "recipient": _our_party(row, "recipient"),
                "place": place_key(row["place"]),
                "date": sent[:10] if sent and len(sent) >= 10 else None,
                "time": sent if sent and "T" in sent else None,
                "type": row["document_type"],
            }
            if gold_values["time"] is None and our_values["time"] is not None:
                our_values["time"] = None  # a time the gold does not give is not scored
        fields = ("sender", "recipient", "place", "date", "time", "type")
        heading = (document.get("heading") or "").strip()
        if not document["from"] and not document["to"] and correspondence.authored_heading(heading):
            # The publisher tags parties in "A to B" headings only: an author named after "by" is
            # checked against the heading's text, not scored as a sender the gold lacks.
            fields = fields[2:]
            score.by_author[0] += 1
            score.by_author[1] += our_values["sender"] is not None
            score.by_author[2] += bool(our_values["sender"]) and our_values["sender"] in heading.lower()
        for what in fields:
            _compare(score, what, our_values[what], gold_values[what], label)
    for start, row in ours_by_start.items():
        if start in matched_gold:
            continue
        for what, value in (
            ("sender", row["sender_name"] or row["sender_office"]),
            ("recipient", row["recipient_name"] or row["recipient_office"]),
            ("place", row["place"]),
            ("date", row["date_sent"]),
            ("type", row["document_type"]),
        ):
            if value is not None:
                score.counts[what].predicted += 1
                score.counts[what].extra.append(f"{name} line {start}: unmatched document, ours {value!r}")
    return score


def _paper_folder(corpus: Path) -> Path:
    return corpus / "papers" if (corpus / "papers").is_dir() else corpus / "docs"


def _answered_text(gold_dir: Path, name: str) -> str | None:
    """The paper the answers' character offsets count in: the one beside the gold folder's real place. A
    variant corpus (``evaluation.layout_variants --keep``) links the dev corpus's gold and keeps the lines."""
    original = _paper_folder(gold_dir.resolve().parent) / f"{name}.md"
    return original.read_text(encoding="utf-8") if original.exists() else None


def _papers(corpus: Path) -> list[tuple[Path, str]]:
    """(markdown file, volume) for each paper of a corpus with documents in its gold."""
    found = []
    by_volume = (corpus / "gold").resolve().parent.name == "dev-corpus"
    for path in sorted(_paper_folder(corpus).glob("*.md")):
        if not (corpus / "gold" / f"{path.stem}.documents.jsonl").exists():
            continue
        volume = path.stem.split("-")[0] if by_volume else corpus.name
        found.append((path, volume))
    return found


def score_corpora(
    corpora: list[Path],
) -> tuple[dict[str, dict[str, Counts]], list[str], list[PaperScore], float]:
    """Counts per volume (and "total"), the papers the cleaner rejected, each paper's scores, CPU seconds."""
    per_volume: dict[str, dict[str, Counts]] = defaultdict(lambda: {f: Counts() for f in FIELDS})
    rejected: list[str] = []
    papers: list[PaperScore] = []
    cpu = 0.0
    for corpus in corpora:
        for path, volume in _papers(corpus):
            markdown = path.read_text(encoding="utf-8")
            try:
                clean_document(markdown, "paper", path.stem)
            except Exception as exc:  # the build leaves such a paper out too
                rejected.append(f"{path.stem}: {type(exc).__name__}")
                continue
            began = time.process_time()
            score = score_paper(markdown, corpus / "gold", path.stem, volume)
            cpu += time.process_time() - began
            papers.append(score)
            for what, counts in score.counts.items():
                per_volume[volume][what].add(counts)
                per_volume["total"][what].add(counts)
    return dict(per_volume), rejected, papers, cpu


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    corpora = [Path(a) for a in argv if not a.startswith("-")] or [c for c in DEFAULT_CORPORA if c.exists()]
    per_volume, rejected, papers, cpu = score_corpora(corpora)
    print(f"{len(papers)} papers scored, {len(rejected)} rejected by the cleaner; {cpu:.1f} CPU s")
    print(f"{'volume':<20}" + "".join(f"{w:>16}" for w in FIELDS))
    for volume in sorted(per_volume, key=lambda v: (v == "total", v)):
        cells = [
            f"{c.precision:.3f}/{c.recall:.3f}".rjust(16) + ("" if c.expected else "?")
            for c in (per_volume[volume][w] for w in FIELDS)
        ]
        print(f"{volume:<20}" + "".join(cells))
    print(
        "cells: precision/recall; gold counts (total): "
        + ", ".join(f"{w} {per_volume['total'][w].expected}" for w in FIELDS)
    )
    total, given, in_heading = (sum(p.by_author[i] for p in papers) for i in range(3))
    print(
        f"documents headed '<type> by <author>' (the gold tags no party there; not in the sender column): "
        f"{total}, our sender given {given}, found in the heading {in_heading}"
    )
    if verbose:
        for paper in papers:
            for what, counts in paper.counts.items():
                for item in counts.missed:
                    print(f"  missed {what}: {item[:160]}")
                for item in counts.extra:
                    print(f"  extra {what}: {item[:160]}")
        for line in rejected:
            print(f"  rejected: {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
