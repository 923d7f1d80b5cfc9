"""CPU throughput of people detection alone (``persons.find_person_spans``) over the FRUS dev corpus.

Run: ``.venv/bin/python benchmarks/bench_persons.py [papers]``. Papers are cleaned outside the timing;
the figure is body sentences plus notes per CPU second (``time.process_time``, so other load on the
machine counts less than in wall-clock time). The issue's target is 3,000 sentences per second. Papers the
cleaner rejects are skipped, as the build leaves them out.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pipeline.extract.entities import load_authority, paragraph_spans, place_and_body_words
from pipeline.extract.persons import find_person_spans
from pipeline.text.clean import clean_document
from pipeline.text.ingest import InputError

ROOT = Path(__file__).resolve().parent.parent
DEV_CORPUS = ROOT.parent / "shared" / "dev-corpus" / "papers"


def main() -> None:
    if not DEV_CORPUS.exists():
        sys.exit(f"{DEV_CORPUS}: the development corpus is not there")
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else None
    not_persons = place_and_body_words(load_authority())
    documents = []
    for path in sorted(DEV_CORPUS.glob("*.md"))[:limit]:
        try:
            documents.append(clean_document(path.read_text(encoding="utf-8"), path.stem, path.name))
        except InputError:
            continue
    units = sum(d.sentences.height + d.footnotes.height for d in documents)
    characters = sum(len(d.text) for d in documents)
    started = time.process_time()
    found = 0
    for document in documents:
        paragraphs = paragraph_spans(document.sentences, document.footnotes)
        found += len(find_person_spans(document.text, paragraphs, not_persons))
    seconds = time.process_time() - started
    print(
        f"people detection: {len(documents)} papers, {units} sentences+notes, {characters:,} characters, "
        f"{found} person spans in {seconds:.2f} CPU s: {units / seconds:,.0f} sentences/s, "
        f"{characters / seconds:,.0f} characters/s"
    )


if __name__ == "__main__":
    main()
