"""Shared fixtures: the committed paper, cleaned once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.text.clean import CleanedDocument, clean_document

REPO_ROOT = Path(__file__).resolve().parent.parent
PAPER = REPO_ROOT / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md"


@pytest.fixture(scope="session")
def paper_text() -> str:
    return PAPER.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def paper(paper_text: str) -> CleanedDocument:
    return clean_document(paper_text, "kennan-op-263", "raw/kennan-op-263/kennan-op-263-phillips-1996.md")
