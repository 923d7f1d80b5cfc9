"""The whole pipeline through Dagster on a copy of the corpus: package valid, reproducible, failure-safe."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from pipeline.cli import build

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_FILES = ("datapackage.json", "data", "text", "figures")


def package_digest(root: Path) -> dict[str, str]:
    """sha256 of every file of the package under ``root``, by relative path."""
    files = [root / "datapackage.json"]
    for folder in PACKAGE_FILES[1:]:
        files += sorted(p for p in (root / folder).rglob("*") if p.is_file())
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files
        if p.exists()
    }


def copy_corpus(target: Path) -> Path:
    """A corpus folder with the repository's inputs and no package yet."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in ("raw", "corrections", "authority"):
        if (REPO_ROOT / entry).exists():
            shutil.copytree(REPO_ROOT / entry, target / entry)
    for entry in ("dataset.yaml", "README.md", "CHANGELOG.md"):
        if (REPO_ROOT / entry).exists():
            shutil.copy2(REPO_ROOT / entry, target / entry)
    return target


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory) -> Path:
    root = copy_corpus(tmp_path_factory.mktemp("corpus"))
    assert build(root) == 0
    return root


def test_materialisation_publishes_every_table(built_corpus, paper):
    sentences = pl.read_csv(built_corpus / "data/csv/sentences.csv")
    assert sentences.height == paper.sentences.height
    footnotes = pl.read_parquet(built_corpus / "data/parquet/footnotes.parquet")
    assert footnotes["number"].to_list() == list(range(1, 65))
    text = (built_corpus / "text/kennan-op-263.txt").read_text(encoding="utf-8")
    assert text == paper.text


def test_frictionless_cli_validates_the_package(built_corpus):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "datapackage.json"],
        cwd=built_corpus,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_committed_package_equals_a_fresh_run(built_corpus):
    assert package_digest(built_corpus) == package_digest(REPO_ROOT)


def test_second_run_is_byte_identical(built_corpus, tmp_path):
    root = copy_corpus(tmp_path / "again")
    assert build(root) == 0
    assert package_digest(root) == package_digest(built_corpus)


def test_failed_run_keeps_the_last_good_package(built_corpus, tmp_path, capsys):
    root = tmp_path / "corpus"
    shutil.copytree(built_corpus, root, ignore=shutil.ignore_patterns(".dagster_home"))
    before = package_digest(root)
    bad = root / "raw" / "bad-notes"
    bad.mkdir()
    (bad / "bad-notes.md").write_text(
        "**A Paper\nby Some One**\n\n©2001 Some Press\n\nFirst claim.¹ Second claim.² Third claim.³\n\n"
        "1 A note.\n\n2 Another note.\n",
        encoding="utf-8",
    )
    assert build(root) == 1
    assert "bad-notes: footnote 3: marker on source line 6 has no note" in capsys.readouterr().err
    assert package_digest(root) == before
    assert not list(root.glob(".staging-package-*"))
