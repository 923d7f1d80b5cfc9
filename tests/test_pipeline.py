"""The whole pipeline through Dagster on a copy of the corpus: package valid, reproducible, failure-safe."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from pipeline.orchestration.cli import build

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


def _empty_corpus(root: Path) -> Path:
    """A corpus folder with the repository's dataset metadata and authority files but no papers."""
    (root / "raw").mkdir(parents=True)
    shutil.copy2(REPO_ROOT / "dataset.yaml", root / "dataset.yaml")
    shutil.copytree(REPO_ROOT / "authority", root / "authority")
    return root


def _paper_copy(root: Path, document_id: str, extra_metadata: str = "") -> None:
    folder = root / "raw" / document_id
    folder.mkdir(parents=True)
    shutil.copy2(REPO_ROOT / "raw/kennan-op-263/kennan-op-263-phillips-1996.md", folder / "paper.md")
    rights = "" if "full_text" in extra_metadata else "full_text: true\n"
    metadata = f"id: {document_id}\nlanguage: en\n{rights}{extra_metadata}"
    (folder / "metadata.yaml").write_text(metadata, encoding="utf-8")


def test_rerun_rebuilds_only_the_changed_document(tmp_path, capsys):
    root = _empty_corpus(tmp_path / "corpus")
    for document_id in ("paper-a", "paper-b", "paper-c"):
        _paper_copy(root, document_id)
    assert build(root) == 0
    assert "documents: 3 of 3 to (re)build" in capsys.readouterr().out
    assert build(root) == 0
    assert "documents: 0 of 3 to (re)build, 3 up to date" in capsys.readouterr().out
    paper = root / "raw/paper-b/paper.md"
    paper.write_text(paper.read_text(encoding="utf-8").replace("Bolshevik", "Bolshevist"), encoding="utf-8")
    assert build(root) == 0
    out = capsys.readouterr().out
    assert "documents: 1 of 3 to (re)build, 2 up to date" in out
    assert "rebuilding: paper-b" in out
    paragraphs = pl.read_csv(root / "data/csv/paragraphs.csv")
    changed = paragraphs.filter(pl.col("text").str.contains("Bolshevist"))
    assert set(changed["document_id"]) == {"paper-b"}
    documents = pl.read_csv(root / "data/csv/documents.csv")
    # Without front-matter fields in metadata.yaml, the copies still carry what the front matter gives.
    assert documents["author"].to_list() == ["Hugh Phillips"] * 3


def test_multiprocess_executor_builds_the_same_package(tmp_path):
    root = _empty_corpus(tmp_path / "corpus")
    _paper_copy(root, "paper-a")
    assert build(root, executor="multiprocess") == 0
    in_process = tmp_path / "in-process"
    shutil.copytree(
        root, in_process, ignore=shutil.ignore_patterns(".dagster_home", "data", "text", "figures")
    )
    (in_process / "datapackage.json").unlink()
    assert build(in_process) == 0
    assert package_digest(root) == package_digest(in_process)


def test_full_text_switch_withholds_wording_but_keeps_offsets_and_hashes(tmp_path):
    root = _empty_corpus(tmp_path / "corpus")
    _paper_copy(root, "open-paper")
    _paper_copy(root, "closed-paper", "full_text: false\n")
    assert build(root) == 0
    assert (root / "text/open-paper.txt").exists()
    assert not (root / "text/closed-paper.txt").exists()
    documents = pl.read_csv(root / "data/csv/documents.csv").sort("document_id")
    assert documents["full_text_published"].to_list() == [False, True]
    assert documents["text_path"].to_list() == [None, "text/open-paper.txt"]
    assert documents["text_sha256"][0] == documents["text_sha256"][1]
    for table, column in [
        ("paragraphs", "text"),
        ("citations", "raw"),
        ("mentions", "text"),
        ("claims", "quoted_text"),
    ]:
        frame = pl.read_csv(root / f"data/csv/{table}.csv", infer_schema_length=0)
        closed = frame.filter(pl.col("document_id") == "closed-paper")
        assert closed.height > 0 and closed[column].null_count() == closed.height, table
        assert closed["char_start"].null_count() == 0
        assert frame.filter(pl.col("document_id") == "open-paper")[column].null_count() < closed.height


def test_staged_validation_catches_a_parquet_twin_that_differs_from_its_csv(built_corpus, tmp_path):
    from pipeline.package.publish import validate_staged_package

    root = tmp_path / "package"
    shutil.copytree(built_corpus, root, ignore=shutil.ignore_patterns(".dagster_home"))
    assert validate_staged_package(root / "datapackage.json") == []
    parquet = root / "data/parquet/sentences.parquet"
    frame = pl.read_parquet(parquet)
    frame.with_columns(pl.col("char_end") + (pl.int_range(pl.len()) == 0)).write_parquet(parquet)
    errors = validate_staged_package(root / "datapackage.json")
    assert "sentences-parquet: size or hash differs from the descriptor" in errors
    assert "sentences-parquet: rows differ from data/csv/sentences.csv" in errors


def test_staged_validation_reports_a_bad_csv_cell_by_row_and_field(built_corpus, tmp_path):
    from pipeline.package.publish import validate_staged_package

    root = tmp_path / "package"
    shutil.copytree(built_corpus, root, ignore=shutil.ignore_patterns(".dagster_home"))
    csv = root / "data/csv/paragraphs.csv"
    lines = csv.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("paragraph_number")] = "one"
    lines[1] = ",".join(cells)
    csv.write_text("\n".join(lines), encoding="utf-8")
    errors = validate_staged_package(root / "datapackage.json")
    assert any(e.startswith("paragraphs: row 2, field paragraph_number") for e in errors), errors


OTHER_LAYOUT = """\
**A Short Paper on Trade
by Ann Author**

©1999 Example Institute

The committee met three times in 1921.[1] Its members disagreed on two points:

1. tariffs on grain;
2. the gold standard.

1944 was a turning point for the inter-
national order. As the minister said, "nothing will be the same."[2]

## Notes

[1] A. Smith, *Trade and Power* (London: 1990), 12.
[2] Ibid., 14.
[3] Interview with John Doe, 3 April 1990.
"""


def test_a_new_paper_in_another_layout_without_metadata_runs_end_to_end(tmp_path, caplog):
    root = _empty_corpus(tmp_path / "corpus")
    (root / "raw/Trade Paper 12.md").write_text(OTHER_LAYOUT.replace("order.", "order.[3]"), encoding="utf-8")
    (root / "raw/no-notes.txt").write_text(
        "A plain essay. It mentions the summer of 1939.\n", encoding="utf-8"
    )
    assert build(root) == 0
    documents = pl.read_csv(root / "data/csv/documents.csv").sort("document_id")
    assert documents["document_id"].to_list() == ["no-notes", "trade-paper-12"]
    trade = documents.row(1, named=True)
    assert (trade["title"], trade["author"], trade["date_published"]) == (
        "A Short Paper on Trade",
        "Ann Author",
        1999,
    )
    assert "no language" in trade["metadata_warnings"]
    assert "no language in trade-paper-12's metadata file or front matter" in caplog.text
    citations = pl.read_csv(root / "data/csv/citations.csv", infer_schema_length=0)
    ibid = citations.filter(pl.col("citation_id") == "trade-paper-12:fn02.1").row(0, named=True)
    assert (ibid["reference_type"], ibid["refers_to"]) == ("ibid", "trade-paper-12:fn01.1")
    # No metadata file means no rights decision: the names are found, their wording withheld.
    assert "no full_text" in trade["metadata_warnings"] and not trade["full_text_published"]
    unlinked = pl.read_csv(root / "data/csv/unlinked_names.csv", infer_schema_length=0)
    found = unlinked.filter(pl.col("document_id") == "trade-paper-12")
    assert found.height >= 1 and found["text"].null_count() == found.height
    summer = pl.read_csv(root / "data/csv/time_expressions.csv").filter(pl.col("document_id") == "no-notes")
    assert summer.select("edtf", "date_earliest", "date_latest").row(0) == (
        "1939-22",
        "1939-06-01",
        "1939-08-31",
    )
