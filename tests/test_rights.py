"""Rights are closed by default: a paper without a full_text decision leaves none of its wording anywhere.

A dev paper is dropped into raw/ without a metadata file, with a text correction whose reason quotes the
paper, and the build and the release are searched, file by file, for every sentence of its body.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest
import yaml

from pipeline.orchestration.cli import build
from pipeline.package.release import build_release
from tests.conftest import shared_folder

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_PAPERS = REPO_ROOT.parent / "shared" / "dev-papers"
PAPER = "dev_frus_history_ch3"
WINDOW = 40


def _normal(text: str) -> str:
    return " ".join(text.replace('""', '"').split())


def body_sentences() -> list[str]:
    """The paper's body sentences of six words or more, from the hand-made answer file."""
    paragraphs = (DEV_PAPERS / "gold" / f"{PAPER}.paragraphs.txt").read_text(encoding="utf-8").splitlines()
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", p)]
    return [_normal(s) for s in sentences if len(s.split()) >= 6]


def fragments(sentence: str) -> list[str]:
    """The sentence itself and, for long ones, its first and last stretch of WINDOW characters."""
    if len(sentence) <= WINDOW:
        return [sentence]
    return [sentence, sentence[:WINDOW], sentence[-WINDOW:]]


def parquet_strings(data: bytes) -> str:
    frame = pl.read_parquet(io.BytesIO(data))
    return "\n".join(
        str(v) for c, t in frame.schema.items() if t == pl.String for v in frame[c].to_list() if v is not None
    )


def published_texts(files: dict[str, bytes]) -> dict[str, str]:
    """Every published file as searchable text (Parquet by its string cells), whitespace normalised."""
    return {
        name: _normal(parquet_strings(data) if name.endswith(".parquet") else data.decode("utf-8", "replace"))
        for name, data in files.items()
    }


def leaks(files: dict[str, bytes], sentences: list[str]) -> list[tuple[str, str]]:
    texts = published_texts(files)
    return [
        (name, fragment)
        for sentence in sentences
        for fragment in fragments(sentence)
        for name, text in texts.items()
        if fragment in text
    ]


@pytest.fixture(scope="module")
def closed_corpus(tmp_path_factory) -> Path:
    """The seed paper and a dev paper without a rights decision, built once per test run (shared by the
    xdist workers)."""
    if not (DEV_PAPERS / "docs" / f"{PAPER}.md").exists():
        pytest.skip("the dev papers are not beside the repository")
    return shared_folder(tmp_path_factory, "rights", _make_closed_corpus) / "corpus"


def _make_closed_corpus(folder: Path) -> None:
    root = folder / "corpus"
    (root / "raw" / PAPER).mkdir(parents=True)
    source = (DEV_PAPERS / "docs" / f"{PAPER}.md").read_text(encoding="utf-8")
    (root / "raw" / PAPER / "paper.md").write_text(source, encoding="utf-8")
    shutil.copytree(REPO_ROOT / "raw" / "kennan-op-263", root / "raw" / "kennan-op-263")
    for name in ("dataset.yaml", "LICENSE-DATA", "CHANGELOG.md", "README.md"):
        shutil.copy2(REPO_ROOT / name, root / name)
    shutil.copytree(REPO_ROOT / "authority", root / "authority")
    shutil.copytree(REPO_ROOT / "corrections", root / "corrections")
    line_number, line = next((i, t) for i, t in enumerate(source.splitlines(), 1) if "Civil War" in t)
    quoted = body_sentences()[0]
    entry = {
        "id": "R0001",
        "kind": "text",
        "document_id": PAPER.replace("_", "-"),
        "line": line_number,
        "old": "Civil War",
        "new": "Civil war",
        "reason": f'The paper says "{quoted}" and the test quotes it here.',
        "author": "test",
        "date": "2026-11-29",
    }
    (root / "corrections" / f"{PAPER}.yaml").write_text(yaml.safe_dump([entry], width=200), encoding="utf-8")
    assert "Civil War" in line
    assert build(root) == 0


def test_a_paper_without_a_decision_is_withheld(closed_corpus):
    documents = pl.read_csv(closed_corpus / "data/csv/documents.csv", infer_schema_length=0)
    closed = documents.filter(pl.col("document_id") == PAPER.replace("_", "-")).row(0, named=True)
    assert closed["full_text_published"] == "false" and closed["text_path"] is None
    assert "no full_text" in closed["metadata_warnings"]
    assert not (closed_corpus / "text" / f"{closed['document_id']}.txt").exists()
    # the committed paper says full_text: true and stays published
    assert (closed_corpus / "text/kennan-op-263.txt").exists()
    corrections = pl.read_csv(closed_corpus / "data/csv/corrections.csv", infer_schema_length=0)
    withheld = corrections.filter(pl.col("correction_id") == "R0001").row(0, named=True)
    assert withheld["old_value"] is None and withheld["new_value"] is None
    assert withheld["reason"].startswith("Withheld with the paper's text")


def test_the_log_names_the_paper_without_a_decision(tmp_path, caplog):
    root = tmp_path / "corpus"
    (root / "raw").mkdir(parents=True)
    shutil.copy2(REPO_ROOT / "dataset.yaml", root / "dataset.yaml")
    shutil.copytree(REPO_ROOT / "authority", root / "authority")
    (root / "raw" / "open-question.md").write_text(
        "A plain essay on trade in 1921.¹\n\n1 A. Smith, *Trade and Power* (London: 1990), 12.\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        assert build(root) == 0
    assert "no full_text decision in open-question's metadata file, so its text is withheld" in caplog.text


def test_no_sentence_of_the_withheld_paper_is_in_any_published_file(closed_corpus):
    sentences = body_sentences()
    assert len(sentences) > 30
    package = ["datapackage.json", "README.md", "docs/data-dictionary.md"]
    for folder in ("data", "text", "figures"):
        package += [p.relative_to(closed_corpus).as_posix() for p in (closed_corpus / folder).rglob("*")]
    files = {n: (closed_corpus / n).read_bytes() for n in package if (closed_corpus / n).is_file()}
    assert "data/parquet/paragraphs.parquet" in files and "data/csv/corrections.csv" in files
    assert leaks(files, sentences) == []


def test_no_sentence_of_the_withheld_paper_is_in_the_release(closed_corpus, tmp_path):
    path = build_release(closed_corpus, tmp_path / "release.zip", validate=False)
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert "CHANGELOG.md" in files and "LICENSE-DATA" in files
    assert leaks(files, body_sentences()) == []


def test_the_search_finds_the_text_of_an_open_paper(closed_corpus):
    """The search itself works: the committed, open paper's sentences are found in its text file."""
    text = (closed_corpus / "text/kennan-op-263.txt").read_text(encoding="utf-8")
    sentence = _normal(text[: text.index(".", 200) + 1].split("\n")[-1])
    assert leaks({"text/kennan-op-263.txt": text.encode("utf-8")}, [sentence])
