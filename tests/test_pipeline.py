"""The whole pipeline through Dagster on a copy of the corpus: package valid, reproducible, failure-safe,
incremental, and one bad paper never blocks the others."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pytest
from dagster import AssetKey

from pipeline.extract import paper_stages
from pipeline.orchestration import batch, definitions, stages, store, workers
from pipeline.orchestration.cli import build
from pipeline.orchestration.fingerprints import CorpusInputs
from pipeline.package import corpus_tables as corpus
from pipeline.package import incremental_check
from pipeline.package.publish import DatasetMetadata
from pipeline.package.schema import load_table_spec
from pipeline.package.validation import frictionless_errors
from tests.conftest import PACKAGE_FILES, REPO_ROOT, copy_corpus, package_digest, shared_folder

DEV_PAPERS = REPO_ROOT.parent / "shared" / "dev-papers" / "docs"
__all__ = ["copy_corpus", "package_digest"]


def test_materialisation_publishes_every_table(built_corpus, paper):
    sentences = pl.read_csv(built_corpus / "data/csv/sentences.csv")
    assert sentences.height == paper.sentences.height
    footnotes = pl.read_parquet(built_corpus / "data/parquet/footnotes.parquet")
    assert footnotes["number"].to_list() == list(range(1, 65))
    text = (built_corpus / "text/kennan-op-263.txt").read_text(encoding="utf-8")
    assert text == paper.text


def test_each_table_is_an_asset_with_its_checks_upstream_of_the_package(built_corpus):
    graph = definitions.build_definitions(built_corpus).resolve_asset_graph()
    tables = {AssetKey(path.stem) for path in (built_corpus / "data/parquet").glob("*.parquet")}
    assert tables | {AssetKey("papers")} == graph.get(AssetKey("data_package")).parent_keys
    checks = {(key.asset_key, key.name) for key in graph.asset_check_keys}
    assert checks >= {(table, "schema") for table in tables}
    assert (AssetKey("footnotes"), "marker_note_pairing") in checks


def test_frictionless_cli_validates_the_package(built_corpus):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "datapackage.json"],
        cwd=built_corpus,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_committed_package_is_what_a_build_over_it_makes(tmp_path):
    """Building the repository's inputs again over the committed package gives it byte for byte (as CI
    checks): its record IDs, carried over from the versions before it (docs/versioning.md), stay."""
    root = copy_corpus(tmp_path / "over")
    for entry in PACKAGE_FILES:
        source = REPO_ROOT / entry
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / entry)
    assert build(root, full=True) == 0
    assert package_digest(root) == package_digest(REPO_ROOT)


def test_second_run_is_byte_identical(built_corpus, tmp_path):
    root = copy_corpus(tmp_path / "again")
    assert build(root) == 0
    assert package_digest(root) == package_digest(built_corpus)


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
    files_before = {p.name: p.stat().st_ino for p in (root / "data/csv").iterdir()}
    paper = root / "raw/paper-b/paper.md"
    paper.write_text(paper.read_text(encoding="utf-8").replace("Bolshevik", "Bolshevist"), encoding="utf-8")
    assert build(root) == 0
    out = capsys.readouterr().out
    assert "documents: 1 of 3 to (re)build, 2 up to date" in out
    assert "rebuilding: paper-b" in out
    # Tables the edit cannot touch (the authority's) keep their files; the papers' text tables are new.
    files_after = {p.name: p.stat().st_ino for p in (root / "data/csv").iterdir()}
    assert files_after["entities.csv"] == files_before["entities.csv"]
    assert files_after["paragraphs.csv"] != files_before["paragraphs.csv"]
    # The incremental package is byte for byte the package a build of every paper writes from the same
    # inputs, the published package included (record IDs are carried over from it, docs/versioning.md).
    _assert_a_fresh_build_gives_the_same_package(root, tmp_path / "fresh")
    paragraphs = pl.read_csv(root / "data/csv/paragraphs.csv")
    changed = paragraphs.filter(pl.col("text").str.contains("Bolshevist"))
    assert set(changed["document_id"]) == {"paper-b"}
    documents = pl.read_csv(root / "data/csv/documents.csv")
    # Without front-matter fields in metadata.yaml, the copies still carry what the front matter gives.
    assert documents["author"].to_list() == ["Hugh Phillips"] * 3


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
    from pipeline.package.validation import validate_staged_package

    root = tmp_path / "package"
    shutil.copytree(built_corpus, root, ignore=shutil.ignore_patterns(".dagster_home"))
    assert validate_staged_package(root / "datapackage.json") == []
    parquet = root / "data/parquet/sentences.parquet"
    frame = pl.read_parquet(parquet)
    frame.with_columns(pl.col("char_end") + (pl.int_range(pl.len()) == 0)).write_parquet(parquet)
    errors = validate_staged_package(root / "datapackage.json")
    assert "sentences-parquet: size or hash differs from the descriptor" in errors
    assert "sentences-parquet: rows differ from line 2 of data/csv/sentences.csv" in errors


def test_package_metadata_frictionless_will_not_read_is_reported_not_raised(built_corpus, tmp_path):
    from pipeline.package.validation import validate_package, validate_staged_package

    root = tmp_path / "package"
    shutil.copytree(built_corpus, root, ignore=shutil.ignore_patterns(".dagster_home"))
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["licenses"] = [{"title": "a licence with neither name nor path"}]
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    for validate in (validate_package, validate_staged_package):
        errors = validate(path)
        assert errors and all(e.startswith("package: ") for e in errors), errors
        assert any('license requires "path" or "name"' in e for e in errors), errors


def _package_with_a_bad_paragraph_number(built_corpus: Path, root: Path) -> Path:
    """A copy of the built package whose first paragraphs.csv row has "one" as its paragraph_number."""
    shutil.copytree(built_corpus, root, ignore=shutil.ignore_patterns(".dagster_home"))
    csv = root / "data/csv/paragraphs.csv"
    lines = csv.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("paragraph_number")] = "one"
    lines[1] = ",".join(cells)
    csv.write_text("\n".join(lines), encoding="utf-8")
    return root


def test_staged_validation_reports_a_bad_csv_cell_by_row_and_field(built_corpus, tmp_path):
    from pipeline.package.validation import validate_staged_package

    root = _package_with_a_bad_paragraph_number(built_corpus, tmp_path / "package")
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
    notes = pl.read_csv(root / "data/csv/footnotes.csv", infer_schema_length=0).filter(
        pl.col("document_id") == "trade-paper-12"
    )
    note = dict(zip(notes["number"].cast(pl.Int64), notes["footnote_id"], strict=True))
    ibid = citations.filter(pl.col("footnote_id") == note[2]).row(0, named=True)
    first = citations.filter(pl.col("footnote_id") == note[1]).row(0, named=True)
    assert (ibid["reference_type"], ibid["refers_to"]) == ("ibid", first["citation_id"])
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


# One bad paper never blocks the corpus (issue 10, item 2)

BAD_NOTES = (
    "**A Paper\nby Some One**\n\n©2001 Some Press\n\nFirst claim.¹ Second claim.² Third claim.³\n\n"
    "1 A note.\n\n2 Another note.\n"
)


def _add_bad_paper(root: Path) -> None:
    (root / "raw" / "bad-notes").mkdir()
    (root / "raw" / "bad-notes" / "bad-notes.md").write_text(BAD_NOTES, encoding="utf-8")


def test_a_paper_failing_its_checks_is_left_out_and_the_others_publish(built_corpus, tmp_path, capsys):
    root = tmp_path / "corpus"
    shutil.copytree(built_corpus, root)
    before = package_digest(root)
    _add_bad_paper(root)
    assert build(root) == 1
    err = capsys.readouterr().err
    assert "left out of this build: bad-notes (it has no rows in the package)" in err
    assert "bad-notes: marker_note_pairing: footnote 3: marker on source line 6 has no note" in err
    assert "1 paper(s) left out; every other paper is published" in err
    # The seed paper is published as before; nothing of the bad paper is in the package.
    assert package_digest(root) == before
    assert pl.read_csv(root / "data/csv/documents.csv")["document_id"].to_list() == ["kennan-op-263"]
    assert not list(root.glob(".staging-package-*"))
    # Nothing changed since: the answer comes without a build, and it is still a failure.
    assert build(root) == 1
    captured = capsys.readouterr()
    assert "0 of 2 to (re)build, 1 up to date, 1 left out" in captured.out
    assert "bad-notes: marker_note_pairing" in captured.err


def test_strict_build_publishes_nothing_when_a_paper_fails(built_corpus, tmp_path, capsys):
    root = tmp_path / "corpus"
    shutil.copytree(built_corpus, root)
    before = package_digest(root)
    _add_bad_paper(root)
    assert build(root, strict=True) == 1
    err = capsys.readouterr().err
    assert "--strict: papers failed their checks" in err
    assert "bad-notes: marker_note_pairing: footnote 3: marker on source line 6 has no note" in err
    assert package_digest(root) == before


@pytest.fixture(scope="module")
def two_papers(tmp_path_factory) -> Path:
    """Two copies of the paper built one after the other in this process: the reference package (once
    per test run, shared by the xdist workers)."""

    def make(folder: Path) -> None:
        root = _empty_corpus(folder / "corpus")
        _paper_copy(root, "paper-a")
        _paper_copy(root, "paper-b")
        assert build(root, workers=1) == 0

    return shared_folder(tmp_path_factory, "two-papers", make) / "corpus"


def _copy_inputs(built: Path, target: Path) -> Path:
    ignore = shutil.ignore_patterns(".dagster_home", "data", "text", "figures", "datapackage.json")
    shutil.copytree(built, target, ignore=ignore)
    return target


def _assert_a_fresh_build_gives_the_same_package(root: Path, folder: Path) -> None:
    """The package under ``root`` is byte for byte what building its inputs afresh in ``folder`` gives: every
    paper built again, without the build state, over the same published package (the record IDs carried
    over from it are an input, docs/versioning.md)."""
    fresh = folder
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(".dagster_home"))
    assert build(fresh) == 0
    assert package_digest(fresh) == package_digest(root)


def test_a_paper_that_fails_later_keeps_its_last_good_rows(two_papers, tmp_path, capsys):
    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    before = package_digest(root)
    paper = root / "raw/paper-b/paper.md"
    good = paper.read_text(encoding="utf-8")
    paper.write_text(good.replace("Bolshevik", "Bolshevik⁹⁹", 1), encoding="utf-8")
    assert build(root) == 1
    err = capsys.readouterr().err
    assert "left out of this build: paper-b (its last good version is published)" in err
    assert "paper-b: marker_note_pairing: footnote" in err
    assert package_digest(root) == before
    paper.write_text(good, encoding="utf-8")
    assert build(root) == 0
    assert package_digest(root) == before


def test_a_paper_whose_rows_fail_a_tables_model_keeps_its_last_good_rows(
    two_papers, tmp_path, monkeypatch, capsys
):
    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    before = package_digest(root)
    _edit_paper_b(root)
    original = stages.build_document

    def with_a_bad_row(paths, document_id, *args):
        outcome = original(paths, document_id, *args)
        if document_id == "paper-b":
            paragraphs = outcome.result.cleaned.paragraphs
            outcome.result.cleaned.paragraphs = paragraphs.with_columns(char_start=pl.lit(-5))
        return outcome

    monkeypatch.setattr(stages, "build_document", with_a_bad_row)
    assert build(root, workers=1) == 1
    err = capsys.readouterr().err
    assert "left out of this build: paper-b (its last good version is published)" in err
    assert "paper-b: paragraphs schema: " in err
    assert package_digest(root) == before


def _row_problems(root: Path, *outcomes: stages.DocumentOutcome) -> list[stages.DocumentProblem]:
    """The problems the papers' builds have against the tables' models, checked together in one pass."""
    for outcome in outcomes:
        store.write_build(root, outcome, "fingerprint")
    found = batch.check_builds(store.Builds(root, {o.document_id: "fingerprint" for o in outcomes}))
    return [problem for document_id in sorted(found) for problem in found[document_id]]


def _edit_paper_b(root: Path) -> None:
    paper = root / "raw/paper-b/paper.md"
    paper.write_text(paper.read_text(encoding="utf-8").replace("Bolshevik", "Bolshevist"), encoding="utf-8")


def _builds(root: Path) -> dict[str, list[Path]]:
    """Each paper's build folders in the store."""
    folder = root / ".dagster_home/papers"
    return {paper.name: sorted(p for p in paper.iterdir() if p.is_dir()) for paper in sorted(folder.iterdir())
            if paper.is_dir()}  # fmt: skip


def test_an_edit_builds_only_the_edited_paper_and_leaves_the_others_builds_alone(two_papers, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    before = _builds(root)
    untouched = {p.name: p.stat().st_mtime_ns for p in before["paper-a"][0].iterdir()}
    _edit_paper_b(root)
    assert build(root) == 0
    after = _builds(root)
    # One build per paper: the edited paper's new build replaced its old one, the other's is as it was.
    assert after["paper-a"] == before["paper-a"]
    assert {p.name: p.stat().st_mtime_ns for p in after["paper-a"][0].iterdir()} == untouched
    assert len(after["paper-b"]) == 1 and after["paper-b"] != before["paper-b"]
    assert "Bolshevist" in (after["paper-b"][0] / "text.txt").read_text(encoding="utf-8")
    _assert_a_fresh_build_gives_the_same_package(root, tmp_path / "fresh")


def test_a_papers_build_is_arrow_files_one_per_kind_and_nothing_is_pickled(two_papers):
    builds = {paper: found for paper, (found,) in _builds(two_papers).items()}
    for paper, folder in builds.items():
        assert (two_papers / f".dagster_home/papers/{paper}/accepted").read_text() == folder.name
        assert set(corpus.OWN_TABLES) <= {p.stem for p in folder.glob("*.arrow")}
    # A table of the papers' own rows is their builds' rows of that kind, all of them.
    for name in corpus.OWN_TABLES:
        published = pl.read_parquet(two_papers / f"data/parquet/{name}.parquet")
        assert (
            sum(pl.read_ipc(folder / f"{name}.arrow").height for folder in builds.values())
            == published.height
        )
    assert not [p for p in (two_papers / ".dagster_home").rglob("*") if "pickle" in p.name]


def test_a_full_rebuild_gives_the_same_package_and_keeps_one_build_per_paper(two_papers, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    assert build(root, full=True) == 0
    assert package_digest(root) == package_digest(two_papers)
    assert {paper: len(found) for paper, found in _builds(root).items()} == {"paper-a": 1, "paper-b": 1}


def test_a_paper_whose_build_is_gone_is_built_again(two_papers, tmp_path, capsys):
    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    shutil.rmtree(root / ".dagster_home/papers/paper-a")
    (root / "datapackage.json").unlink()  # else the package is up to date, and nothing is built
    assert build(root) == 0
    assert "rebuilding: paper-a" in capsys.readouterr().out
    assert package_digest(root) == package_digest(two_papers)


def test_a_paper_removed_from_the_corpus_leaves_the_package_and_the_store(two_papers, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    shutil.rmtree(root / "raw/paper-b")
    assert build(root) == 0
    assert list(_builds(root)) == ["paper-a"]
    assert pl.read_csv(root / "data/csv/documents.csv")["document_id"].to_list() == ["paper-a"]


def test_an_exception_in_an_extractor_leaves_only_that_paper_out(two_papers, tmp_path, capsys, monkeypatch):
    root = _copy_inputs(two_papers, tmp_path / "corpus")
    real = paper_stages.document_events

    def failing_for_paper_b(cleaned, mentions, document_date, *reference_dates):
        if cleaned.document_id == "paper-b":
            raise ValueError("an extractor met something it cannot read")
        return real(cleaned, mentions, document_date, *reference_dates)

    monkeypatch.setattr(paper_stages, "document_events", failing_for_paper_b)
    assert build(root, workers=1) == 1
    err = capsys.readouterr().err
    assert "left out of this build: paper-b (it has no rows in the package)" in err
    assert (
        "paper-b: events: ValueError: an extractor met something it cannot read (at test_pipeline.py:" in err
    )
    documents = pl.read_csv(root / "data/csv/documents.csv")
    assert documents["document_id"].to_list() == ["paper-a"]
    events = pl.read_csv(root / "data/csv/events.csv")
    assert set(events["document_id"]) == {"paper-a"}


def test_a_row_failing_its_table_model_is_traced_to_its_paper_and_line(tmp_path):
    paths = stages.ProjectPaths(REPO_ROOT)
    corrections = stages.load_corrections(paths)
    entry = REPO_ROOT / "raw" / "kennan-op-263"
    outcome = stages.build_document(
        paths, "kennan-op-263", entry, "fingerprint", stages.load_authority(paths), corrections
    )
    assert outcome.problems == []
    assert _row_problems(tmp_path / "good", outcome) == []
    paragraphs = outcome.result.cleaned.paragraphs
    bad_row = 2
    outcome.result.cleaned.paragraphs = paragraphs.with_columns(
        pl.when(pl.int_range(pl.len()) == bad_row)
        .then(-5)
        .otherwise(pl.col("char_start"))
        .alias("char_start")
    )
    problems = _row_problems(tmp_path / "bad", outcome)
    assert [(p.document_id, p.check) for p in problems] == [("kennan-op-263", "paragraphs schema")]
    paragraph_id = paragraphs["paragraph_id"][bad_row]
    line = paragraphs["source_line_start"][bad_row]
    assert f"record {paragraph_id}, source line {line}: column char_start" in problems[0].message
    assert "-5" in problems[0].message
    # Checked with another paper's rows in one pass, the failing row is still traced to its own paper.
    copy = tmp_path / "another-copy"
    _paper_copy(_empty_corpus(copy), "another-copy")
    other = stages.build_document(
        stages.ProjectPaths(copy),
        "another-copy",
        copy / "raw/another-copy",
        "fingerprint",
        stages.load_authority(paths),
        [],
    )
    together = _row_problems(tmp_path / "together", other, outcome)
    assert [(p.document_id, p.check, p.message) for p in together] == [
        (p.document_id, p.check, p.message) for p in problems
    ]


# Corpus speed: nothing to do is known early; papers over a pool or a Dask cluster, same bytes


def test_a_build_with_nothing_to_do_answers_before_importing_dagster(two_papers, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    script = (
        "import sys\nfrom pipeline.commands import main\n"
        f"code = main(['--root', {str(root)!r}, 'build'])\n"
        "print(code, sorted(m for m in ('dagster', 'polars', 'pandera') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "documents: 0 of 2 to (re)build, 2 up to date; the package is up to date" in run.stdout
    assert run.stdout.strip().endswith("0 []")


def test_the_changed_papers_start_building_before_dagster_is_imported(two_papers, tmp_path):
    """A fresh CLI process starts the changed papers' workers first (`workers.HeadStart`), which then
    check the fresh rows; its package is the one this process, which has Dagster imported and does all of it
    itself, makes from the same inputs."""
    edited = tmp_path / "edited"
    shutil.copytree(two_papers, edited)
    _edit_paper_b(edited)
    shutil.rmtree(edited / definitions.FIGURE_CACHE)  # the timeline is drawn again, as the reference's is
    # the same inputs, the published package included (record IDs are carried over from it)
    reference = tmp_path / "reference"
    shutil.copytree(edited, reference, ignore=shutil.ignore_patterns(".dagster_home"))
    assert build(reference, workers=1) == 0
    script = (
        "import sys\nfrom pipeline.orchestration import workers\n"
        "from pipeline.commands import main\n"
        "begin = workers.HeadStart.begin\n"
        "def recording(inputs, todo, workers):\n"
        "    print('head start:', todo, 'dagster' in sys.modules)\n"
        "    return begin(inputs, todo, workers)\n"
        "workers.HeadStart.begin = staticmethod(recording)\n"
        f"sys.exit(main(['--root', {str(edited)!r}, 'build', '--workers', '2']))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "head start: ['paper-b'] False" in run.stdout
    assert package_digest(edited) == package_digest(reference)


def test_a_head_start_gives_the_builds_of_the_run_itself(two_papers, tmp_path):
    roots = {way: _copy_inputs(two_papers, tmp_path / way) for way in ("pool", "in-process")}
    todo = ["paper-b", "paper-a"]
    inputs = {way: CorpusInputs.scan(root) for way, root in roots.items()}
    corrections = stages.load_corrections(stages.ProjectPaths(roots["pool"]))
    with workers.HeadStart.begin(inputs["pool"], todo, workers=2) as started:
        # Each paper's ID once its worker stored it, in the order asked for.
        assert list(workers.build_papers(inputs["pool"], corrections, todo, 2, head_start=started)) == todo
    assert list(workers.build_papers(inputs["in-process"], corrections, todo, workers=1)) == todo
    pool, in_process = _builds(roots["pool"]), _builds(roots["in-process"])
    assert [p.name for found in pool.values() for p in found] == [
        inputs["pool"].fingerprints[i] for i in sorted(todo)
    ]
    for paper, (folder,) in pool.items():
        (theirs,) = in_process[paper]
        assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in theirs.iterdir())
        for kind in folder.glob("*.arrow"):
            assert pl.read_ipc(kind).equals(pl.read_ipc(theirs / kind.name)), kind.name


def test_a_deleted_package_is_rebuilt_without_rebuilding_the_papers(two_papers, tmp_path, capsys):
    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    before = package_digest(root)
    (root / "datapackage.json").unlink()
    shutil.rmtree(root / "data")
    assert build(root) == 0
    assert "documents: 0 of 2 to (re)build, 2 up to date" in capsys.readouterr().out
    assert package_digest(root) == before
    state = json.loads((root / ".dagster_home/build-state.json").read_text(encoding="utf-8"))
    assert state["left_out"] == {}


def test_papers_built_over_a_pool_of_processes_give_the_same_package(two_papers, tmp_path, monkeypatch):
    root = _copy_inputs(two_papers, tmp_path / "corpus")
    monkeypatch.setattr(workers, "POOL_MIN_DOCUMENTS", 1)
    assert build(root, workers=2) == 0
    assert package_digest(root) == package_digest(two_papers)


def test_papers_built_on_a_dask_cluster_give_the_same_package(two_papers, tmp_path):
    pytest.importorskip("dagster_dask")
    root = _copy_inputs(two_papers, tmp_path / "corpus")
    assert build(root, executor="dask") == 0
    assert package_digest(root) == package_digest(two_papers)
    assert {paper: len(found) for paper, found in _builds(root).items()} == {"paper-a": 1, "paper-b": 1}


def test_the_seed_and_all_dev_papers_build_in_one_strict_run(built_corpus, tmp_path, capsys):
    papers = sorted(DEV_PAPERS.glob("*.md"))
    if not papers:
        pytest.skip(f"no dev papers in {DEV_PAPERS}")
    root = tmp_path / "corpus"
    shutil.copytree(built_corpus, root)
    for paper in papers:
        shutil.copy2(paper, root / "raw" / paper.name)
    code = build(root)
    err = capsys.readouterr().err
    left_out = sorted(
        line.split()[5] for line in err.splitlines() if line.startswith("left out of this build:")
    )
    published = pl.read_csv(root / "data/csv/documents.csv")["document_id"].to_list()
    # Every paper is either published or left out with its reason, and one run decides all of them.
    assert sorted(published + left_out) == sorted(
        ["kennan-op-263", *(p.stem.replace("_", "-") for p in papers)]
    )
    assert "kennan-op-263" in published
    assert left_out == [] and code == 0, err[-3000:]
    assert build(root, strict=True, full_check=True) == 0, capsys.readouterr().err[-3000:]


def test_incremental_validation_reads_the_fresh_rows_as_published(built_corpus, tmp_path):
    root = _package_with_a_bad_paragraph_number(built_corpus, tmp_path / "package")
    no_previous = tmp_path / "empty"
    no_previous.mkdir()
    validate = incremental_check.ChangedPartValidator(no_previous, {"kennan-op-263"}, {"corrections"})
    errors = validate(root / "datapackage.json")
    assert any(e.startswith("paragraphs: row 2, field paragraph_number: Type error") for e in errors), errors
    # The rows of a paper not built in this run are not read by frictionless again (they were when it
    # was built); the comparison of every CSV with its Parquet twin still finds the bad cell's line.
    unchanged = incremental_check.ChangedPartValidator(no_previous, set(), {"corrections"})
    errors = unchanged(root / "datapackage.json")
    assert not any(e.startswith("paragraphs: ") for e in errors), errors
    assert "paragraphs-parquet: rows differ from line 2 of data/csv/paragraphs.csv" in errors, errors


def _package_with_swapped_header(built_corpus: Path, root: Path, table: str) -> Path:
    """A copy of the package whose CSV of ``table`` names its first two columns the other way round."""
    shutil.copytree(built_corpus, root, ignore=shutil.ignore_patterns(".dagster_home"))
    csv = root / f"data/csv/{table}.csv"
    header, rest = csv.read_text(encoding="utf-8").split("\n", 1)
    names = header.split(",")
    names[0], names[1] = names[1], names[0]
    csv.write_text(",".join(names) + "\n" + rest, encoding="utf-8")
    return root


class SubmissionLog(ThreadPoolExecutor):
    """A thread pool that keeps the package descriptors it was handed to validate."""

    def __init__(self, workers: int) -> None:
        super().__init__(workers)
        self.packages: list[dict] = []

    def submit(self, fn, /, *args, **kwargs):
        if fn is frictionless_errors:
            self.packages.append(args[0])
        return super().submit(fn, *args, **kwargs)


def test_the_fresh_rows_are_validated_as_each_table_is_made(built_corpus, tmp_path):
    names = ("documents", "paragraphs")
    tables = {
        n: (load_table_spec(n), pl.read_parquet(built_corpus / f"data/parquet/{n}.parquet")) for n in names
    }
    spec, paragraphs = tables["paragraphs"]
    bad_row = 1
    tables["paragraphs"] = (
        spec,
        paragraphs.with_columns(
            pl.when(pl.int_range(pl.len()) == bad_row)
            .then(-5)
            .otherwise(pl.col("char_start"))
            .alias("char_start")
        ),
    )
    meta = DatasetMetadata.load(built_corpus / "dataset.yaml")
    expected = f"paragraphs: row {bad_row + 2}, field char_start: "

    folders = (tmp_path / f"fresh-{n}" for n in range(100))

    def check(fresh: set[str], whole: bool = False, workers=None) -> incremental_check.FreshRowsCheck:
        checking = incremental_check.FreshRowsCheck(meta, fresh, next(folders), workers)
        for table_spec, frame in tables.values():
            checking.add(table_spec, frame, whole)
        return checking

    # On a thread, and in a worker process as the CLI's head start gives it; only the fresh papers' rows.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as process:
        for fresh, workers, found in (
            ({"kennan-op-263"}, None, True),
            ({"kennan-op-263"}, process, True),
            ({"another-paper"}, None, False),
        ):
            verdicts = check(fresh, workers=workers).verdicts()
            assert any(e.startswith(expected) for e in verdicts["paragraphs"]) is found, verdicts
            assert verdicts["documents"] == []
    # The package's own metadata (a source per paper) is read by frictionless once, not with each table;
    # a fault in it is still found, and every table's rows are still read.
    faulty = DatasetMetadata({**meta.raw, "licenses": [{"title": "a licence with neither name nor path"}]})
    with SubmissionLog(1) as recorded:
        checking = incremental_check.FreshRowsCheck(faulty, {"kennan-op-263"}, next(folders), recorded)
        for table_spec, frame in tables.values():
            checking.add(table_spec, frame, whole=False)
        verdicts = checking.verdicts()
    assert [("sources" in package, package["resources"][0]["name"]) for package in recorded.packages] == [
        (True, "documents"),
        (False, "paragraphs"),
    ]
    errors = [e for found in verdicts.values() for e in found]
    assert sum(e.startswith("package: ") for e in errors) == 1, errors
    assert any(e.startswith(expected) for e in verdicts["paragraphs"]), verdicts
    # A table checked whole (record corrections applied to it) is left to the package step.
    assert check({"kennan-op-263"}, whole=True).tables == []
    # The staged file's header is still read for a table whose fresh rows were validated as it was made:
    # columns swapped there are named.
    staged = _package_with_swapped_header(built_corpus, tmp_path / "staged", "paragraphs")
    validator = incremental_check.ChangedPartValidator(
        tmp_path / "none", {"kennan-op-263"}, {"corrections"}, validated={"paragraphs"}
    )
    assert any(e.startswith("paragraphs: header ") for e in validator(staged / "datapackage.json"))


def test_a_large_fresh_batch_is_checked_by_the_vectorised_checks(built_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(incremental_check, "FRICTIONLESS_FRESH_PAPERS", 0)
    no_previous = tmp_path / "empty"
    no_previous.mkdir()
    validate = incremental_check.ChangedPartValidator(no_previous, {"kennan-op-263"}, {"corrections"})
    root = tmp_path / "good"
    shutil.copytree(built_corpus, root, ignore=shutil.ignore_patterns(".dagster_home"))
    assert validate(root / "datapackage.json") == []
    # A cell that is not of its column's type is not what its Parquet twin's value writes as.
    root = _package_with_a_bad_paragraph_number(built_corpus, tmp_path / "bad-cell")
    errors = validate(root / "datapackage.json")
    assert "paragraphs-parquet: rows differ from line 2 of data/csv/paragraphs.csv" in errors, errors
    # Columns swapped in the header are named.
    root = _package_with_swapped_header(built_corpus, tmp_path / "bad-header", "sentences")
    errors = validate(root / "datapackage.json")
    assert any(e.startswith("sentences: header ") for e in errors), errors


def test_a_table_not_split_by_paper_is_held_to_its_parquet_twin_not_read_by_frictionless(
    built_corpus, tmp_path
):
    no_previous = tmp_path / "empty"
    no_previous.mkdir()
    validate = incremental_check.ChangedPartValidator(no_previous, {"kennan-op-263"}, {"corrections"})
    root = tmp_path / "package"
    shutil.copytree(built_corpus, root, ignore=shutil.ignore_patterns(".dagster_home"))
    csv = root / "data/csv/works.csv"
    cells = pl.read_csv(csv, infer_schema=False)
    first = pl.int_range(pl.len()) == 0
    cells = cells.with_columns(
        pl.when(first).then(pl.lit("many")).otherwise("citation_count").alias("citation_count")
    )
    cells.write_csv(csv, line_terminator="\n", null_value="")
    errors = validate(root / "datapackage.json")
    assert "works-parquet: rows differ from line 2 of data/csv/works.csv" in errors, errors
