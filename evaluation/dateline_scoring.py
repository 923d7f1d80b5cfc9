"""Dates of the dev corpus's documents: ``python -m evaluation.dateline_scoring [--misses N]``.

The publisher's markup of the development corpus (../shared/dev-corpus/gold/<paper>.dates.jsonl) dates
every document's dateline ("Washington, March 30, 1918, 4 p.m."), with the day (and hour) as an ISO value.
A gold date is found when a time expression of the same paper overlaps its text (compared as text, in
order, one to one, the same text first) and right when that expression's EDTF value is the gold day (or
month); the markup dates an Old Style/New Style pair by its Old Style day, which is then compared with the
expression's old_style_date. Printed per volume, with the share of found dates that are right; the markup
dates nothing else, so no precision. Papers the build leaves out (the cleaner rejects them) count as not
found.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from pipeline.extract.dates import find_time_expressions
from pipeline.text.clean import clean_document
from pipeline.text.ingest import InputError

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "dev-corpus"


def _squash(text: str) -> str:
    return " ".join(text.replace("*", "").replace("_", "").split()).strip(" .,")


def score_paper(paper_id: str) -> tuple[int, int, int, list[str]]:
    """(gold dates, found, right, misses) for one paper of the corpus."""
    raw = (CORPUS / "papers" / f"{paper_id}.md").read_text(encoding="utf-8")
    gold_path = CORPUS / "gold" / f"{paper_id}.dates.jsonl"
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    try:
        document = clean_document(raw, paper_id, f"{paper_id}.md")
    except InputError as error:  # the build leaves such a paper out too
        return len(gold), 0, 0, [f"{paper_id}: left out ({error})"]
    times = find_time_expressions(document.sentences, None).to_dicts()
    texts = [_squash(row["text"]) for row in times]
    position = 0  # gold dates and time expressions are both in text order
    found = right = 0
    misses: list[str] = []
    for item in gold:
        want, when = _squash(item["text"]), (item["when"] or "")[:10]
        later = range(position, len(times))
        match = next((i for i in later if texts[i] == want), None)
        if match is None:
            match = next((i for i in later if texts[i] and (texts[i] in want or want in texts[i])), None)
        if match is None:
            misses.append(f"{paper_id}: {item['text']!r} ({when}) not found")
            continue
        position = match + 1
        found += 1
        old_style = times[match].get("old_style_date")
        if times[match]["edtf"] == when or (old_style is not None and old_style.isoformat() == when):
            right += 1  # the markup dates an Old Style/New Style pair by its first (Old Style) date
        else:
            misses.append(f"{paper_id}: {item['text']!r} ({when}) read as {times[match]['edtf']}")
    return len(gold), found, right, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=int, default=0, help="print this many misses and wrong values")
    arguments = parser.parse_args()
    if not (CORPUS / "manifest.jsonl").is_file():
        raise SystemExit(f"{CORPUS}: development corpus not found")
    papers = [
        json.loads(line) for line in (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses: list[str] = []
    started = time.process_time()
    for paper in papers:
        gold, found, right, missed = score_paper(paper["id"])
        for key in (paper["volume"], "total"):
            totals[key][0] += gold
            totals[key][1] += found
            totals[key][2] += right
        misses += missed
    cpu = time.process_time() - started
    for volume, (gold, found, right) in sorted(totals.items(), key=lambda item: item[0] == "total"):
        recall = found / gold if gold else 1.0
        accuracy = right / found if found else 1.0
        print(f"{volume:20} dateline dates {gold:5}  found {recall:.3f}  right when found {accuracy:.3f}")
    print(f"{len(papers)} papers in {cpu:.1f} CPU s (cleaning included)")
    for line in misses[: arguments.misses]:
        print("  " + line)


if __name__ == "__main__":
    main()
