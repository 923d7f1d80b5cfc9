"""Shared fixtures: the committed paper cleaned once, and one pipeline build of the committed corpus,
both per test session, so every test that reads a package reads the same one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from pipeline.text.clean import CleanedDocument, clean_document

REPO_ROOT = Path(__file__).resolve().parent.parent
PAPER = REPO_ROOT / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md"
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
def paper_text() -> str:
    return PAPER.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def paper(paper_text: str) -> CleanedDocument:
    return clean_document(paper_text, "kennan-op-263", "raw/kennan-op-263/kennan-op-263-phillips-1996.md")


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory) -> Path:
    """The committed corpus built once through Dagster; tests copy it before changing anything."""
    from pipeline.orchestration.cli import build

    root = copy_corpus(tmp_path_factory.mktemp("corpus"))
    assert build(root, strict=True, full_check=True) == 0
    return root
