"""What stable record IDs cost: CPU of the ID step against the whole per-paper build, over many papers.

Run: ``.venv/bin/python benchmarks/bench_record_ids.py [papers_folder] [limit]`` (default: the dev corpus,
``../shared/dev-corpus/papers``, every paper; else the committed paper). Each paper goes through the
per-document stages of ``build_document`` (read, clean, citations, entities, events, claims, works), timed
in CPU seconds (``time.process_time``, one process: the machine may be shared), and through the ID step
(``record_ids.stable_ids``) three ways:

* ``first build``: no earlier package (content anchors only);
* ``rebuild``: the earlier package holds the paper with the same text (anchors, then the carry-over with
  the identity mapping: a build after a code change);
* ``edited``: the earlier package holds the paper before a sentence was added at the top of its body (a
  text correction: the line-and-word diff and the carry-over do their full work).

It prints the totals, the ID step's share of the per-paper build, and the IDs that the ``edited`` case
did not keep (should be 0). The per-paper build is most of a full build's CPU (README: 57 of 65 s at 300
papers), so the share bounds what the step adds to a full build.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from pipeline.extract import paper_stages
from pipeline.orchestration import stages
from pipeline.package.record_ids import ID_PREFIXES, PublishedRecords, stable_ids
from pipeline.package.schema import load_table_spec

ROOT = Path(__file__).resolve().parent.parent
DEV_CORPUS = ROOT.parent / "shared" / "dev-corpus" / "papers"
ADDED = "In May 1920 the commission wrote that it was tired of waiting for an answer. "


def _published(tables: dict[str, pl.DataFrame], text: str) -> PublishedRecords:
    spans = {}
    for name in ID_PREFIXES:
        frame = tables.get(name)
        if frame is not None and frame.height:
            key = load_table_spec(name).primary_key[0]
            spans[name] = frame.select(key, "char_start", "char_end")
    return PublishedRecords(spans, text, hashlib.sha256(text.encode()).hexdigest())


def _tables(paths: stages.ProjectPaths, document_id: str, entry: Path, authority) -> tuple:
    source = stages.load_source(paths, document_id, entry, [])
    cleaned = stages.clean(source)
    citations = paper_stages.document_citations(cleaned)
    mentions = paper_stages.document_mentions(cleaned, authority)
    found_events = paper_stages.document_events(cleaned, mentions["mentions"], None)
    found_claims = paper_stages.document_claims(
        cleaned, mentions["mentions"], found_events["events"], None, authority, mentions["unlinked_names"]
    )
    from pipeline.extract import works

    works.merge_works(works.describe_citations(citations), citations)
    tables = {
        "paragraphs": cleaned.paragraphs,
        "sentences": cleaned.sentences,
        "footnotes": cleaned.footnotes,
        "emphasis_spans": cleaned.emphasis_spans,
        "citations": citations,
        **mentions,
        **found_events,
        **found_claims,
    }
    return cleaned.text, tables


def main(folder: Path, limit: int | None) -> None:
    files = sorted(folder.glob("*.md"))[:limit] if folder.is_dir() else []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "raw").mkdir()
        for file in files:
            (root / "raw" / file.stem).mkdir()
            (root / "raw" / file.stem / file.name).write_bytes(file.read_bytes())
        if not files:
            paper = ROOT / "raw" / "kennan-op-263"
            (root / "raw" / paper.name).mkdir()
            for file in paper.iterdir():
                (root / "raw" / paper.name / file.name).write_bytes(file.read_bytes())
        paths = stages.ProjectPaths(root)
        authority = stages.load_authority(stages.ProjectPaths(ROOT))
        entries = stages.discover_documents(paths.raw)
        build = first = rebuild = edited = 0.0
        papers = records = lost = 0
        for document_id in sorted(entries):
            started = time.process_time()
            try:
                text, tables = _tables(paths, document_id, entries[document_id], authority)
            except Exception as exc:  # a paper the pipeline leaves out: not part of the comparison
                print(f"  skipped {document_id}: {type(exc).__name__}")
                continue
            build += time.process_time() - started
            started = time.process_time()
            published = stable_ids(document_id, text, tables)
            first += time.process_time() - started
            previous = _published(published, text)
            started = time.process_time()
            stable_ids(document_id, text, tables, previous)
            rebuild += time.process_time() - started
            # the same records after a sentence was added at the top: every offset moves by its length
            shift = len(ADDED)
            moved = {
                name: frame.with_columns(pl.col("char_start") + shift, pl.col("char_end") + shift)
                if name in ID_PREFIXES and frame.height
                else frame
                for name, frame in tables.items()
            }
            started = time.process_time()
            after = stable_ids(document_id, ADDED + text, moved, previous)
            edited += time.process_time() - started
            for name in ID_PREFIXES:
                if name in published and published[name].height:
                    key = load_table_spec(name).primary_key[0]
                    before, now = published[name][key].to_list(), after[name][key].to_list()
                    records += len(before)
                    lost += sum(a != b for a, b in zip(before, now, strict=True))
            papers += 1
    print(f"papers: {papers}, records with stable IDs: {records}")
    print(f"per-paper build (stages, no ID step): {build:.2f} s CPU")
    for label, seconds in (("first build", first), ("rebuild", rebuild), ("edited", edited)):
        share = 100 * seconds / build
        print(f"ID step, {label:11}: {seconds:.2f} s CPU = {share:.1f} % of the per-paper build")
    print(f"IDs not kept after a sentence was added at the top: {lost} of {records}")


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEV_CORPUS
    main(folder, int(sys.argv[2]) if len(sys.argv) > 2 else None)
