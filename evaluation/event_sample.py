"""Print a seeded sample of dated sentences of the FRUS history chapters with the events found in them, for
listing every dated happening by hand and comparing (the kept-back measure: same sentence, overlapping date,
one to one). The judgements of the last reading are in docs/events-hand-check.md.

Two draws, both seed 30: 15 dated sentences each of chapters 8 and 10 (no events fixture), and 10 each of
chapters 3 and 5 after the paragraphs tests/fixtures/events_dev-papers.yaml lists (p011, p008).

Run: ``python -m evaluation.event_sample [--seed N] [--sentences-only] [--unseen-after 30,2026] [--ids FILE]``
(needs ../shared/dev-papers). --sentences-only prints the drawn sentences without our output, for listing
the happenings first; --unseen-after draws only from sentences the draws of those seeds did not hold (rules
were fixed against them), counting a seed's kept IDs in evaluation/samples/ as well as its draw
today; --ids prints the sentences a file lists, one ID a line: a kept draw, since a change
that dates or undates a sentence shifts what a seed draws (evaluation/samples/).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from evaluation.event_scoring import REPO_ROOT, extract

DOCS = REPO_ROOT.parent / "shared" / "dev-papers" / "docs"
DRAWS = [  # (document ID, file, sentences drawn, first paragraph drawn from)
    ("dev-frus-history-ch8", "dev_frus_history_ch8.md", 15, 1),
    ("dev-frus-history-ch10", "dev_frus_history_ch10.md", 15, 1),
    ("dev-frus-history-ch3", "dev_frus_history_ch3.md", 10, 12),
    ("dev-frus-history-ch5", "dev_frus_history_ch5.md", 10, 9),
]
SEED = 30
SAMPLES = Path(__file__).resolve().parent / "samples"


def _paragraph_number(sentence_id: str) -> int:
    return int(sentence_id.rsplit(":p", 1)[1][:3])


def _draw(dated: list[str], size: int, seed: int) -> list[str]:
    """The sentence IDs a seed draws from a chapter's dated sentences, in text order."""
    return sorted(random.Random(seed).sample(dated, min(size, len(dated))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED, help=f"the draw's seed (default {SEED})")
    parser.add_argument("--sentences-only", action="store_true", help="print the sentences, not our output")
    parser.add_argument(
        "--ids", type=Path, help="print these sentence IDs (one a line, as an earlier draw listed) instead"
    )
    parser.add_argument(
        "--unseen-after", default="", help="comma-separated seeds whose drawn sentences are left out"
    )
    args = parser.parse_args()
    earlier = [int(seed) for seed in args.unseen_after.split(",") if seed.strip()]
    kept = {  # a kept draw's IDs: what that seed drew then, though a later change shifts what it draws now
        line.strip()
        for seed in earlier
        if (SAMPLES / f"events_seed{seed}.txt").is_file()
        for line in (SAMPLES / f"events_seed{seed}.txt").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    if not DOCS.is_dir():
        raise SystemExit(f"{DOCS}: the development papers are not there")
    for document_id, name, size, first in DRAWS:
        found = extract({"document_id": document_id, "source": str(DOCS / name)})
        times, events = found.time_expressions, found.events
        dated = sorted(set(times.filter(times["edtf"].is_not_null())["sentence_id"].to_list()))
        dated = [s for s in dated if _paragraph_number(s) >= first]
        seen = {s for seed in earlier for s in _draw(dated, size, seed)} | kept
        drawn = _draw([s for s in dated if s not in seen], size, args.seed)
        if args.ids:  # the same sentences after a change that dates or undates some of the chapter's
            listed = args.ids.read_text(encoding="utf-8").split()
            drawn = [s for s in listed if s.startswith(f"{document_id}:")]
        texts = dict(
            zip(found.document.sentences["sentence_id"], found.document.sentences["text"], strict=True)
        )
        print(f"### {document_id}: {len(drawn)} of {len(dated)} dated sentences from p{first:03d}")
        for sentence_id in drawn:
            print(f"\n[{sentence_id}] {texts[sentence_id]}")
            if args.sentences_only:
                continue
            for row in times.filter(times["sentence_id"] == sentence_id).iter_rows(named=True):
                print(f"   time  {row['text']!r} -> {row['edtf']}")
            for row in events.filter(events["sentence_id"] == sentence_id).iter_rows(named=True):
                print(f"   event {row['trigger']!r} {row['edtf']} ({row['date_basis']}, {row['event_type']})")


if __name__ == "__main__":
    main()
