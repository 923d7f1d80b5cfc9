"""CPU cost of the source_documents stage on the dev corpus: ``python -m benchmarks.bench_source_documents``.

Each paper of ``../shared/dev-corpus/papers`` is cleaned (not timed), then the stage runs on it as the build
runs it (``paper_stages.document_source_documents``: find the documents, point paragraphs, sentences,
events and claims to them; events and claims are empty frames here, their join costs the same per row).
Prints the CPU seconds of the stage, characters per CPU second, and its share of a build's CPU given with
``--build-cpu``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pipeline.extract.paper_stages import document_source_documents
from pipeline.package.schema import rows_to_frame
from pipeline.text.clean import clean_document

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "dev-corpus" / "papers"


def main(argv: list[str]) -> None:
    build_cpu = float(argv[argv.index("--build-cpu") + 1]) if "--build-cpu" in argv else None
    cleaned_papers = []
    for path in sorted(CORPUS.glob("*.md")):
        try:
            cleaned_papers.append(
                clean_document(path.read_text(encoding="utf-8"), path.stem.lower(), path.name)
            )
        except Exception:  # the build leaves such a paper out as well
            continue
    characters = sum(len(c.text) for c in cleaned_papers)
    began = time.process_time()
    rows = 0
    for cleaned in cleaned_papers:
        events = {"events": rows_to_frame("events", [])}
        claims = {"claims": rows_to_frame("claims", [])}
        rows += document_source_documents(cleaned, events, claims)["source_documents"].height
    spent = time.process_time() - began
    print(f"{len(cleaned_papers)} papers, {characters:,} characters, {rows} source documents")
    print(f"source_documents stage: {spent:.2f} CPU s, {characters / spent:,.0f} characters per CPU second")
    if build_cpu:
        print(f"share of a build of {build_cpu:.1f} CPU s: {100 * spent / build_cpu:.1f} %")


if __name__ == "__main__":
    main(sys.argv[1:])
