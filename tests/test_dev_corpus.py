"""The dev corpus (``../shared/dev-corpus/``, 354 FRUS papers from eight volumes, answers from the publisher's
markup): a sample spread over the volumes builds in one strict, fully checked run with no paper left out,
and the text layer rebuilds its paragraphs, notes and framing blocks. The whole corpus is measured by
``python -m evaluation.corpus_scoring`` and ``benchmarks/bench_corpus_text.py``. Skipped without ../shared."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from evaluation.corpus_scoring import DEV_CORPUS, paper_value, sample_papers, score_corpus
from evaluation.dev_corpus_project import make_project
from evaluation.text_scoring import document_id_for
from pipeline.orchestration.cli import build

pytestmark = pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/dev-corpus is absent")


@pytest.fixture(scope="module")
def sample() -> list[Path]:
    return sample_papers(DEV_CORPUS)


def test_the_sample_spreads_over_every_volume(sample):
    volumes = {path.stem.rsplit("-", 1)[0] for path in sample}
    assert len(volumes) == 8 and 20 <= len(sample) <= 30


def test_a_sample_of_the_dev_corpus_builds_strictly_with_no_paper_left_out(sample, tmp_path):
    root = make_project(tmp_path / "corpus", sample)
    assert build(root, strict=True, full_check=True) == 0
    documents = pl.read_csv(root / "data/csv/documents.csv")
    assert sorted(documents["document_id"]) == sorted(document_id_for(path.stem) for path in sample)
    paragraphs = pl.read_csv(root / "data/csv/paragraphs.csv", infer_schema_length=0)
    assert set(paragraphs["document_id"]) == set(documents["document_id"])


def test_the_sample_keeps_paragraphs_notes_and_framing_blocks(sample):
    papers = score_corpus(DEV_CORPUS, sample)
    assert [paper.name for paper in papers if paper.left_out] == []
    for measure, floor in (("paragraphs", 0.97), ("footnotes", 0.995), ("frame kinds", 0.90)):
        values = [value for paper in papers if (value := paper_value(paper, measure)) is not None]
        assert sum(values) / len(values) >= floor, measure
