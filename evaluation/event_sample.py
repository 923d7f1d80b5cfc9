"""Print a seeded sample of dated sentences of the FRUS history chapters with the events found in them, for
listing every dated happening by hand and comparing (the kept-back measure: same sentence, overlapping date,
one to one). The judgements of the last reading are in docs/events-hand-check.md.

Two draws, both seed 30: 15 dated sentences each of chapters 8 and 10 (no events fixture), and 10 each of
chapters 3 and 5 after the paragraphs tests/fixtures/events_dev-papers.yaml lists (p011, p008).

Round 7 adds ``--runs``: the two FRUS 1918 runs no fixture lists (currency proposals, railway
uncertainty), 10 dated sentences each; and ``--corpus N``: N papers of ../shared/dev-corpus drawn by the
seed, two dated sentences each, for the collections the dev-papers draw does not hold; ``--paragraphs N``:
N whole paragraphs of each history chapter instead of dated sentences (every sentence, dated or not, for
recall of carried dates; the dated sentences of chapters 8 and 10 are all in earlier draws).

Run: ``python -m evaluation.event_sample [--seed N] [--sentences-only] [--unseen-after 30,2026] [--ids FILE]
[--runs] [--corpus N] [--paragraphs N]`` (needs ../shared/dev-papers). --sentences-only prints the drawn
sentences without our output, for listing the happenings first; --unseen-after draws only from sentences
the draws of those seeds did not hold (rules were fixed against them), counting a seed's kept IDs in
evaluation/samples/ as well as its draw today; --ids prints the sentences a file lists, one ID a line: a
kept draw, since a change that dates or undates a sentence shifts what a seed draws (evaluation/samples/).
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from evaluation.event_scoring import REPO_ROOT, extract

DOCS = REPO_ROOT.parent / "shared" / "dev-papers" / "docs"
CORPUS = REPO_ROOT.parent / "shared" / "dev-corpus" / "papers"
DRAWS = [  # (document ID, file, sentences drawn, first paragraph drawn from)
    ("dev-frus-history-ch8", "dev_frus_history_ch8.md", 15, 1),
    ("dev-frus-history-ch10", "dev_frus_history_ch10.md", 15, 1),
    ("dev-frus-history-ch3", "dev_frus_history_ch3.md", 10, 12),
    ("dev-frus-history-ch5", "dev_frus_history_ch5.md", 10, 9),
]
RUNS = [
    ("dev-frus1918-currency-proposals", "dev_frus1918_russia_v3_currency_proposals.md", 10, 1),
    ("dev-frus1918-railway-uncertainty", "dev_frus1918_russia_v3_railway_uncertainty.md", 10, 1),
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
    parser.add_argument("--paragraphs", type=int, default=0, help="draw this many whole paragraphs a chapter")
    parser.add_argument("--runs", action="store_true", help="draw from the two unlisted FRUS 1918 runs too")
    parser.add_argument("--corpus", type=int, default=0, help="draw from this many dev-corpus papers too")
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
    draws = [(i, DOCS / n, size, first, False) for i, n, size, first in DRAWS]
    draws += [(i, DOCS / n, size, first, True) for i, n, size, first in (RUNS if args.runs else [])]
    if args.corpus:
        papers = random.Random(args.seed).sample(sorted(CORPUS.glob("*.md")), args.corpus)
        draws += [(path.stem, path, 2, 1, True) for path in sorted(papers)]
    for document_id, path, size, first, collection in draws:
        found = extract({"document_id": document_id, "source": str(path), "collection": collection})
        times, events = found.time_expressions, found.events
        dated = sorted(set(times.filter(times["edtf"].is_not_null())["sentence_id"].to_list()))
        dated = [s for s in dated if _paragraph_number(s) >= first]
        seen = {s for seed in earlier for s in _draw(dated, size, seed)} | kept
        drawn = _draw([s for s in dated if s not in seen], size, args.seed)
        if args.paragraphs and not collection:  # whole paragraphs, for recall of carried dates too
            ids = found.document.sentences["sentence_id"].to_list()
            sizes = Counter(i.rsplit(".s", 1)[0] for i in ids if _paragraph_number(i) >= first)
            units = sorted(u for u, n in sizes.items() if n >= 3)  # narrative, not a heading or quoted line
            chosen = set(_draw(units, args.paragraphs, args.seed))
            drawn = [i for i in ids if i.rsplit(".s", 1)[0] in chosen]
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
