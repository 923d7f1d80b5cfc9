"""Memory bounded by a table, not by the corpus: each paper's rows kept in its own build, a kind read for
every paper when a stage asks for it, tables written and compared with their twins a slice at a time."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from pipeline.orchestration import definitions, io_managers, stages, store
from pipeline.orchestration.cli import build
from pipeline.orchestration.fingerprints import PAPER_STORE
from pipeline.package import corpus_tables as corpus
from pipeline.package import schema, table_files, validation
from pipeline.package.schema import conform, in_row_order, load_table_spec
from tests.conftest import REPO_ROOT, package_digest
from tests.test_pipeline import (
    _assert_a_fresh_build_gives_the_same_package,
    _copy_inputs,
    _edit_paper_b,
    _empty_corpus,
    _paper_copy,
    two_papers,
)

__all__ = ["two_papers"]


@pytest.fixture(scope="module")
def three_results(tmp_path_factory) -> dict[str, stages.DocumentResult]:
    """Three papers built: the committed one and two copies under other IDs."""
    paths = stages.ProjectPaths(REPO_ROOT)
    authority = stages.load_authority(paths)
    results = {}
    for document_id in ("paper-a", "paper-b", "paper-c"):
        root = _empty_corpus(tmp_path_factory.mktemp(document_id))
        _paper_copy(root, document_id)
        copy = stages.ProjectPaths(root)
        outcome = stages.build_document(copy, document_id, root / "raw" / document_id, "fp", authority, [])
        assert outcome.problems == []
        results[document_id] = outcome.result
    return results


@pytest.fixture(scope="module")
def three_builds(three_results, tmp_path_factory) -> store.Builds:
    """The three papers' builds, stored."""
    root = tmp_path_factory.mktemp("store")
    for document_id, result in three_results.items():
        store.write_build(root, stages.DocumentOutcome(document_id, result, []), "fp")
    return store.Builds(root, dict.fromkeys(three_results, "fp"))


def test_a_kind_is_every_papers_rows_in_paper_order_as_stacked_at_once(three_results, three_builds):
    for kind in ("paragraphs", "mentions", "claims", "claim_footnotes", "citations"):
        frames = [store.paper_frames(three_results[i])[kind] for i in sorted(three_results)]
        at_once = pl.concat(frames, how="diagonal_relaxed")
        assert three_builds.kind(kind).equals(at_once), kind
    tagged = three_builds.kind("paragraphs", tagged="paper")
    assert tagged["paper"].unique(maintain_order=True).to_list() == sorted(three_results)


def test_a_papers_cited_works_are_a_table_that_gives_them_back_whole(three_results, three_builds):
    described = [c for i in sorted(three_results) for c in three_results[i].cited_works]
    assert described and list(three_builds.cited_works()) == described


def test_the_papers_texts_are_read_from_their_builds_when_asked_for(three_results, three_builds):
    texts = three_builds.texts(["paper-c", "paper-a"])
    assert list(texts) == ["paper-a", "paper-c"]
    for document_id in texts:
        assert texts[document_id].read_text(encoding="utf-8") == three_results[document_id].cleaned.text
    with pytest.raises(KeyError):
        texts["paper-b"]


def _row_groups(path: Path) -> list[int]:
    metadata = pq.read_metadata(path)
    return [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]


def test_a_table_is_written_a_slice_of_rows_at_a_time_and_reads_back_whole(tmp_path, monkeypatch):
    frame = pl.read_parquet(REPO_ROOT / "data/parquet/mentions.parquet")
    assert frame.height > 250
    blanked = table_files.blank_empty_strings(frame)
    whole_csv = bytes(table_files.csv_bytes(blanked))
    monkeypatch.setattr(table_files, "WRITE_SLICE_ROWS", 100)
    size, digest = table_files.write_csv(frame, tmp_path / "t.csv", blank=True)
    table_files.write_parquet(frame, tmp_path / "t.parquet", blank=True)
    # Both files hold the whole table: the CSV byte for byte as written at once, the Parquet file one row
    # group per slice of rows.
    assert (tmp_path / "t.csv").read_bytes() == whole_csv and size == len(whole_csv)
    assert digest == hashlib.sha256(whole_csv).hexdigest()
    groups = _row_groups(tmp_path / "t.parquet")
    assert set(groups[:-1]) == {100} and 0 < groups[-1] <= 100 and sum(groups) == frame.height
    assert pl.read_parquet(tmp_path / "t.parquet").equals(blanked)


def test_the_same_rows_give_the_same_parquet_file_however_they_were_stacked(tmp_path):
    # Rows stacked from many papers come in many chunks; sorted or written whole, in one. A corpus of
    # copies of the committed paper, large enough that pyarrow pages a column of many chunks differently.
    frame = pl.read_parquet(REPO_ROOT / "data/parquet/mentions.parquet")
    copies = [
        frame.with_columns(pl.col("mention_id") + f"-{i}", pl.col("document_id") + f"-{i}")
        for i in range(110)
    ]
    stacked = pl.concat(copies, rechunk=False)
    assert stacked.n_chunks() == 110 and stacked.height <= table_files.WRITE_SLICE_ROWS
    table_files.write_parquet(stacked, tmp_path / "stacked.parquet")
    table_files.write_parquet(stacked.rechunk(), tmp_path / "whole.parquet")
    assert (tmp_path / "stacked.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()


def test_rows_are_conformed_into_row_order_whether_or_not_they_came_in_it(monkeypatch):
    monkeypatch.setattr(schema, "ORDER_CHECK_ROWS", 100)  # the committed paper's table is a small one
    spec = load_table_spec("mentions")
    published = pl.read_parquet(REPO_ROOT / "data/parquet/mentions.parquet")
    assert conform(spec, published).equals(published)
    shuffled = published.sample(fraction=1.0, shuffle=True, seed=7)
    assert conform(spec, shuffled).equals(published)
    few = shuffled.head(99)  # below ORDER_CHECK_ROWS
    kept = published.filter(pl.col("mention_id").is_in(few["mention_id"].to_list()))
    assert conform(spec, few).equals(kept)


def test_the_row_order_check_agrees_with_a_stable_sort_nulls_last():
    rng = random.Random(3)
    for _ in range(2000):
        height = rng.randint(0, 7)
        frame = pl.DataFrame(
            {
                "a": [rng.choice(["x", "y", "xy", "", None]) for _ in range(height)],
                "b": [rng.choice([-1, 1, 2, None]) for _ in range(height)],
                "row": list(range(height)),
            },
            schema={"a": pl.String, "b": pl.Int64, "row": pl.Int64},
        )
        columns = rng.choice([["a"], ["b"], ["a", "b"], ["b", "a"]])
        ordered = frame.sort(columns, nulls_last=True, maintain_order=True)
        assert in_row_order(ordered, columns)
        assert in_row_order(frame, columns) == ordered["row"].equals(frame["row"])
    # Keys of other types are left to the sort (NaN's place differs between comparing and sorting).
    assert not in_row_order(pl.DataFrame({"f": [1.0, 2.0]}), ["f"])


def test_a_stage_makes_each_table_when_the_one_before_has_been_taken(three_builds):
    asked: list[str] = []

    class Recording:
        def __getitem__(self, kind: str) -> pl.DataFrame:
            asked.append(kind)
            return three_builds[kind]

    stacked = Recording()
    for stage in (corpus.text_tables(stacked), corpus.event_tables(stacked)):
        taken = []
        for name, table in stage:
            assert asked[-1] == name  # its own kind, read just now
            taken.append(name)
            assert table.columns == list(load_table_spec(name).columns)
        assert asked[-len(taken) :] == taken


def test_a_published_parquet_file_is_reused_only_when_it_has_the_row_groups_writing_would_give(
    tmp_path, monkeypatch
):
    published = table_files.published_resources(REPO_ROOT)
    spec = load_table_spec("mentions")
    frame = pl.read_parquet(REPO_ROOT / "data/parquet/mentions.parquet")
    previous = table_files.published_files(published, "mentions")
    facts = table_files.stage_table(tmp_path / "same", spec, frame, REPO_ROOT, previous)
    staged = tmp_path / "same/data/parquet/mentions.parquet"
    assert staged.samefile(REPO_ROOT / "data/parquet/mentions.parquet")
    assert facts["parquet"]["hash"] == previous["parquet"]["x-hash"]
    # Rows written in other row groups than the published file's: the same rows, written again.
    monkeypatch.setattr(table_files, "WRITE_SLICE_ROWS", 100)
    facts = table_files.stage_table(tmp_path / "sliced", spec, frame, REPO_ROOT, previous)
    staged = tmp_path / "sliced/data/parquet/mentions.parquet"
    assert not staged.samefile(REPO_ROOT / "data/parquet/mentions.parquet")
    assert max(_row_groups(staged)) == 100 and pl.read_parquet(staged).equals(frame)
    assert facts["csv"]["hash"] == previous["csv"]["hash"]


def test_a_parquet_twin_is_compared_with_its_csv_row_by_row(tmp_path, monkeypatch):
    spec = load_table_spec("mentions")
    schema = {f.name: f.dtype for f in spec.fields}
    frame = pl.read_parquet(REPO_ROOT / "data/parquet/mentions.parquet")
    monkeypatch.setattr(table_files, "WRITE_SLICE_ROWS", 100)
    csv, parquet = tmp_path / "mentions.csv", tmp_path / "mentions.parquet"
    table_files.write_csv(frame, csv, blank=True)
    table_files.write_parquet(frame, parquet, blank=True)
    assert validation._twin_difference(parquet, schema, csv) is None
    text = csv.read_bytes()
    lines = text.count(b"\n")
    last_row = text.rstrip(b"\n").rsplit(b"\n", 1)[1]
    changed = last_row.replace(b",", b",x", 1)
    (tmp_path / "changed.csv").write_bytes(text[: -len(last_row) - 1] + changed + b"\n")
    assert (
        validation._twin_difference(parquet, schema, tmp_path / "changed.csv")
        == f"rows differ from line {lines} of"
    )
    (tmp_path / "longer.csv").write_bytes(text + last_row + b"\n")
    assert (
        validation._twin_difference(parquet, schema, tmp_path / "longer.csv")
        == f"rows differ from line {lines + 1} of"
    )
    # The same cells under another type (a count as text) are not the table's twin either.
    other = validation._twin_difference(parquet, schema | {"char_start": pl.String}, csv)
    assert other is not None and other.startswith("has columns (")


def test_a_build_over_a_pool_gives_the_same_package_and_clears_its_scratch(two_papers, tmp_path):
    root = _copy_inputs(two_papers, tmp_path / "corpus")
    assert build(root, workers=2) == 0
    assert package_digest(root) == package_digest(two_papers)
    assert not (root / definitions.RUN_SCRATCH).exists()


def _text_files(root: Path) -> dict[str, int]:
    return {path.name: path.stat().st_ino for path in (root / "text").iterdir()}


def test_an_edit_links_the_unchanged_papers_texts_from_the_published_package(two_papers, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    published = _text_files(root)
    _edit_paper_b(root)
    assert build(root) == 0
    # The unchanged paper's text file is the published one, linked; the edited paper's is written anew.
    now = _text_files(root)
    assert now["paper-a.txt"] == published["paper-a.txt"] and now["paper-b.txt"] != published["paper-b.txt"]
    assert "Bolshevist" in (root / "text/paper-b.txt").read_text(encoding="utf-8")
    _assert_a_fresh_build_gives_the_same_package(root, tmp_path / "fresh")


def test_a_published_text_file_not_as_its_descriptor_says_is_written_again(two_papers, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    text = root / "text/paper-a.txt"
    original = text.read_bytes()
    text.write_bytes(original + b"damaged")
    _edit_paper_b(root)
    assert build(root) == 0
    assert text.read_bytes() == original  # from the paper's rows, not the damaged file
    _assert_a_fresh_build_gives_the_same_package(root, tmp_path / "fresh")


def test_a_kind_is_one_scan_and_stacked_as_concat_relaxes_it_where_the_papers_columns_differ(tmp_path):
    frames = {
        "a": pl.DataFrame({"n": [1, 2], "note": ["x", None]}),
        "b": pl.DataFrame({"note": [None], "n": [3]}),  # another column order, a column of nulls only
        "c": pl.DataFrame({"n": [4.5]}),  # another type, a column missing
    }
    for paper, frame in frames.items():
        folder = tmp_path / PAPER_STORE / paper / "fp"
        folder.mkdir(parents=True)
        frame.write_ipc(folder / "kind.arrow")
    for papers in (["a", "b"], ["a", "b", "c"], ["b", "c"]):
        builds = store.Builds(tmp_path, dict.fromkeys(papers, "fp"))
        expected = pl.concat([frames[i] for i in papers], how="diagonal_relaxed")
        assert builds.kind("kind").equals(expected), papers
        tagged = builds.kind("kind", tagged="paper")
        assert tagged.drop("paper").equals(expected)
        assert tagged["paper"].to_list() == [i for i in papers for _ in range(frames[i].height)]


def test_one_table_is_materialised_on_its_own_as_the_full_build_wrote_it(two_papers, tmp_path):
    """A table asset re-materialised alone (as from Dagster's UI) writes its files through its I/O manager,
    byte for byte those of the full build and the package, records their facts, and touches no other table;
    it runs its own stage only: the rows of the other stages are not read (here, they are gone)."""
    from dagster import AssetKey, DagsterInstance, materialize

    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    footnotes = {kind: io_managers.table_file(root, "footnotes", kind) for kind in io_managers.FILE_KINDS}
    built = {kind: path.read_bytes() for kind, path in footnotes.items()}
    assert built["csv"] == (root / "data/csv/footnotes.csv").read_bytes()
    assert built["parquet"] == (root / "data/parquet/footnotes.parquet").read_bytes()
    for path in footnotes.values():
        path.unlink()
    sentences = io_managers.table_file(root, "sentences", "csv").stat().st_mtime_ns
    for kind in ("mentions", "events", "claims", "citations"):
        for path in (root / PAPER_STORE).glob(f"*/*/{kind}.arrow"):
            path.unlink()
    defs = definitions.build_definitions(root)
    result = materialize(
        defs.assets, selection=["footnotes"], instance=DagsterInstance.ephemeral(), resources=defs.resources
    )
    assert result.success
    assert {kind: path.read_bytes() for kind, path in footnotes.items()} == built
    assert io_managers.table_file(root, "sentences", "csv").stat().st_mtime_ns == sentences
    (materialized,) = result.asset_materializations_for_node("tables")
    assert materialized.asset_key == AssetKey("footnotes")
    facts = {key: value.value for key, value in materialized.metadata.items()}
    assert facts["rows"] == pl.read_csv(footnotes["csv"]).height
    assert facts["csv_hash"] == f"sha256:{hashlib.sha256(built['csv']).hexdigest()}"
    assert facts["parquet_bytes"] == len(built["parquet"])
    checked = {(c.asset_key.to_user_string(), c.check_name) for c in result.get_asset_check_evaluations()}
    assert checked == {("footnotes", "schema"), ("footnotes", "marker_note_pairing")}


def test_the_package_step_refuses_table_files_not_as_their_materialization_recorded(two_papers, tmp_path):
    from dagster import DagsterInstance, materialize

    root = tmp_path / "corpus"
    shutil.copytree(two_papers, root)
    published = package_digest(root)
    defs = definitions.build_definitions(root)
    instance = DagsterInstance.ephemeral()
    assert materialize(defs.assets, instance=instance, resources=defs.resources).success
    assert package_digest(root) == published
    # Another file in the table's place (a new file: the old one is a link to the published package's).
    footnotes = io_managers.table_file(root, "footnotes", "csv")
    content = footnotes.read_bytes()
    footnotes.unlink()
    footnotes.write_bytes(content + content.splitlines(keepends=True)[-1])
    result = materialize(
        defs.assets,
        selection=["data_package"],
        instance=instance,
        resources=defs.resources,
        raise_on_error=False,
    )
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert (
        "not the file table 'footnotes' was last materialised as"
        in failure.step_failure_data.error.cause.message
    )
    assert package_digest(root) == published


def test_the_published_descriptor_is_read_as_it_is_now(tmp_path):
    """The published resources are read once per version of datapackage.json: a package swapped in (a
    new file in its place) is read again."""
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text('{"resources": [{"name": "documents", "hash": "sha256:1"}]}', encoding="utf-8")
    assert table_files.published_resources(tmp_path)["documents"]["hash"] == "sha256:1"
    replacement = tmp_path / "new.json"
    replacement.write_text('{"resources": [{"name": "documents", "hash": "sha256:22"}]}', encoding="utf-8")
    replacement.replace(descriptor)
    assert table_files.published_resources(tmp_path)["documents"]["hash"] == "sha256:22"
    descriptor.unlink()
    assert table_files.published_resources(tmp_path) == {}
