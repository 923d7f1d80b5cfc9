"""Corrections through the whole pipeline: exact effects, stale entries fail safely, changelog entries."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from pipeline.commands import changelog
from pipeline.orchestration.cli import build
from tests.conftest import citation_of_note, copy_corpus, package_digest, shared_folder

TEXT_AND_FIELD = """\
- id: C0001
  kind: text
  document_id: kennan-op-263
  line: 260
  old: "sozdarii"
  new: "sozdanii"
  reason: OCR read "n" as "r" in the Russian title of note 57.
  author: test
  date: 2026-11-27
- id: C0002
  kind: field
  table: citations
  record_id: "NOTE_13_CITATION"
  field: pages
  old: "112-120"
  new: "112–120"
  reason: The printed note uses an en dash.
  author: test
  date: 2026-11-27
"""


def _with_ids(root: Path, corrections: str) -> str:
    """Correction entries with the stable ID of note 13's citation in the package under ``root``."""
    return corrections.replace("NOTE_13_CITATION", citation_of_note(root, 13))


def _read(root: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(root / f"data/csv/{table}.csv", infer_schema_length=0)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    """The corpus without corrections, built once per test run (shared by the xdist workers)."""

    def make(root: Path) -> None:
        copy_corpus(root)
        shutil.rmtree(root / "corrections", ignore_errors=True)
        (root / "corrections").mkdir()
        assert build(root) == 0

    return shared_folder(tmp_path_factory, "corrections-baseline", make)


@pytest.fixture(scope="module")
def corrected(baseline, tmp_path_factory) -> Path:
    """The baseline with a text and a field correction, built once per test run."""

    def make(folder: Path) -> None:
        root = folder / "corpus"
        shutil.copytree(baseline, root)
        (root / "corrections/kennan-op-263.yaml").write_text(
            _with_ids(root, TEXT_AND_FIELD), encoding="utf-8"
        )
        assert build(root) == 0

    return shared_folder(tmp_path_factory, "corrections-corrected", make) / "corpus"


def test_text_correction_changes_only_its_span(baseline, corrected):
    before = (baseline / "text/kennan-op-263.txt").read_text(encoding="utf-8")
    after = (corrected / "text/kennan-op-263.txt").read_text(encoding="utf-8")
    assert len(before) == len(after)
    differing = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(differing) == 1 and before[differing[0]] == "r" and after[differing[0]] == "n"
    assert after[differing[0] - 5 : differing[0] + 3] == "sozdanii"
    # the raw OCR file itself is never edited
    assert (corrected / "raw/kennan-op-263/kennan-op-263-phillips-1996.md").read_text(encoding="utf-8") == (
        baseline / "raw/kennan-op-263/kennan-op-263-phillips-1996.md"
    ).read_text(encoding="utf-8")


def test_field_correction_changes_exactly_its_target(baseline, corrected):
    old, new = _read(baseline, "citations"), _read(corrected, "citations")
    assert old["citation_id"].to_list() == new["citation_id"].to_list()
    changed = []
    for column in old.columns:
        for cid, a, b in zip(old["citation_id"], old[column], new[column], strict=True):
            if a != b:
                changed.append((cid, column, a, b))
    note_13, note_57 = citation_of_note(baseline, 13), citation_of_note(baseline, 57)
    assert (note_13, "pages", "112-120", "112–120") in changed
    # The text correction changes note 57's title and raw text, and with the title the work's ID (work IDs
    # are slugs of their fields); nothing else in citations moves.
    assert {(cid, column) for cid, column, _, _ in changed} == {
        (note_13, "pages"),
        (note_57, "title"),
        (note_57, "raw"),
        (note_57, "work_id"),
    }
    table = _read(corrected, "corrections").sort("correction_id")
    assert table.select("correction_id", "kind", "record_id", "old_value", "new_value").rows() == [
        ("C0001", "text", None, "sozdarii", "sozdanii"),
        ("C0002", "field", note_13, "112-120", "112–120"),
    ]


def test_stale_correction_fails_and_keeps_the_last_good_package(corrected, tmp_path, capsys):
    root = tmp_path / "corpus"
    shutil.copytree(corrected, root)
    before = package_digest(root)
    stale = _with_ids(root, TEXT_AND_FIELD).replace('old: "112-120"', 'old: "200-210"')
    (root / "corrections/kennan-op-263.yaml").write_text(stale, encoding="utf-8")
    assert build(root) == 1
    err = capsys.readouterr().err
    assert "corrections/kennan-op-263.yaml, entry C0002" in err
    assert "112-120" in err  # what it found instead
    assert package_digest(root) == before


def test_correction_that_targets_nothing_fails(corrected, tmp_path, capsys):
    root = tmp_path / "corpus"
    shutil.copytree(corrected, root)
    missing = TEXT_AND_FIELD.replace("NOTE_13_CITATION", "kennan-op-263:cit-0000000000")
    (root / "corrections/kennan-op-263.yaml").write_text(missing, encoding="utf-8")
    assert build(root) == 1
    assert "C0002" in capsys.readouterr().err


def test_withdrawn_record_keeps_its_id(corrected, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(corrected, root)
    withdraw = (
        TEXT_AND_FIELD
        + """- id: C0003
  kind: withdraw
  table: mentions
  record_id: "FIRST_MENTION"
  reason: Test withdrawal.
  author: test
  date: 2026-11-27
"""
    )
    first = _read(corrected, "mentions").sort(pl.col("char_start").cast(pl.Int64))["mention_id"][0]
    withdraw = _with_ids(root, withdraw).replace("FIRST_MENTION", first)
    (root / "corrections/kennan-op-263.yaml").write_text(withdraw, encoding="utf-8")
    assert build(root) == 0
    mentions = _read(root, "mentions")
    assert mentions.height == _read(corrected, "mentions").height
    row = mentions.filter(pl.col("mention_id") == first)
    assert row["record_status"].to_list() == ["withdrawn"]


def test_changelog_lists_the_corrected_records(baseline, corrected, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(corrected, root)
    (root / "CHANGELOG.md").write_text("# Changelog\n", encoding="utf-8")
    assert changelog(root, str(baseline)) == 0
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert citation_of_note(baseline, 13) in text
    assert "C0002" in text
