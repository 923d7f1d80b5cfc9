"""Stable record IDs: an edit of the text or a better extractor renames nothing else.

End to end through the build (the committed corpus, then an edited copy built over its package), and at the
function level for an extractor that finds one more record. Records of the two packages are compared by
their content: the span each covers, mapped through the edit, and the text there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from pipeline.orchestration.cli import build
from pipeline.package.changelog import render_changelog_entry
from pipeline.package.package_diff import diff_packages
from pipeline.package.record_ids import ID_PREFIXES, map_span, matching_blocks, stable_ids
from pipeline.package.schema import load_table_spec

DOCUMENT = "kennan-op-263"
RAW = Path("raw/kennan-op-263/kennan-op-263-phillips-1996.md")
INSERTED = "In May 1920 Litvinov wrote that he was “tired of waiting” for an answer from Washington. "
LINK_TABLES = ("claim_citations", "claim_subjects", "event_citations", "event_participants", "sentence_works")


def _table(root: Path, name: str) -> pl.DataFrame:
    return pl.read_parquet(root / f"data/parquet/{name}.parquet")


def _text(root: Path) -> str:
    return (root / f"text/{DOCUMENT}.txt").read_text(encoding="utf-8")


def _edit(old: str, new: str) -> tuple[int, int, int]:
    """The one stretch the edit replaced: its start, its end in the old text and its end in the new."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    old_end, new_end = len(old), len(new)
    while old_end > start and new_end > start and old[old_end - 1] == new[new_end - 1]:
        old_end, new_end = old_end - 1, new_end - 1
    return start, old_end, new_end


def _places(span: tuple[int, int], edit: tuple[int, int, int]) -> list[tuple[int, int]]:
    """Where an old span can stand in the new text (an insertion at a record's edge can go either side);
    none when the edit touches the span's inside."""
    (start, end), (at, old_end, new_end) = span, edit
    shift = new_end - old_end
    if end <= at and start < at:
        return [(start, end), (start, end + shift)] if end == at else [(start, end)]
    if start >= old_end:
        return (
            [(start + shift, end + shift), (start, end + shift)]
            if start == old_end == at
            else [(start + shift, end + shift)]
        )
    return []


def _compare(
    before: Path, after: Path, edit: tuple[int, int, int] | None = None
) -> dict[str, tuple[int, list[str], list[tuple[int, int]]]]:
    """Per table: how many old records outside the edit kept their ID, the IDs of those that did not, and
    the spans of new records no old record maps onto. ``edit`` is the replaced stretch when the texts alone
    leave its edges ambiguous (a deleted paragraph that starts like the next one)."""
    old_text, new_text = _text(before), _text(after)
    edit = edit or _edit(old_text, new_text)
    found = {}
    for name in ID_PREFIXES:
        id_column = load_table_spec(name).primary_key[0]
        old, new = _table(before, name), _table(after, name)
        by_span = {(s, e): i for i, s, e in new.select(id_column, "char_start", "char_end").iter_rows()}
        kept, renamed, matched = 0, [], set()
        for record_id, start, end in old.select(id_column, "char_start", "char_end").iter_rows():
            places = [p for p in _places((start, end), edit) if p in by_span]
            if not places:
                continue
            place = places[0]
            if start >= edit[1] or end <= edit[0]:
                assert new_text[place[0] : place[1]] == old_text[start:end] or place != (start, end)
            matched.add(place)
            if by_span[place] == record_id:
                kept += 1
            else:
                renamed.append(record_id)
        fresh = [span for span in by_span if span not in matched]
        found[name] = (kept, renamed, fresh)
    return found


def _build_edited(built_corpus: Path, folder: Path, change) -> Path:
    root = folder / "corpus"
    shutil.copytree(built_corpus, root, symlinks=True)
    change(root)
    assert build(root) == 0
    return root


@pytest.fixture(scope="module")
def sentence_on_top(built_corpus, tmp_path_factory) -> Path:
    """The issue's scenario: a sentence added at the start of the first paper's body (a text correction)."""

    def change(root: Path) -> None:
        raw = (root / RAW).read_text(encoding="utf-8").splitlines()
        line = next(i for i, text in enumerate(raw, start=1) if text.startswith("When historians consider"))
        entry = (
            f"- id: C0005\n  kind: text\n  document_id: {DOCUMENT}\n  line: {line}\n"
            f'  old: "When historians consider"\n  new: "{INSERTED}When historians consider"\n'
            "  reason: The OCR dropped the paper's first sentence.\n  author: test\n  date: 2026-12-07\n"
        )
        with (root / f"corrections/{DOCUMENT}.yaml").open("a", encoding="utf-8") as corrections:
            corrections.write(entry)

    return _build_edited(built_corpus, tmp_path_factory.mktemp("sentence-on-top"), change)


def test_a_sentence_added_on_top_renames_no_record(built_corpus, sentence_on_top):
    compared = _compare(built_corpus, sentence_on_top)
    for name, (kept, renamed, fresh) in compared.items():
        assert renamed == [], f"{name}: renamed {renamed}"
        assert kept == _table(built_corpus, name).height, f"{name}: only {kept} records found again"
        # what is new stands in the paragraph that was edited (extractors read the added sentence as context),
        # or is an event the added date now dates: the narrative's date carries over paragraph breaks
        first = _paragraph_holding(sentence_on_top, 0)
        outside = [(start, end) for start, end in fresh if not (first[0] <= start and end <= first[1])]
        if name == "events":
            events = _table(sentence_on_top, "events")
            dated = events.filter(
                pl.struct("char_start", "char_end").is_in(
                    [{"char_start": s, "char_end": e} for s, e in outside]
                )
            )
            assert dated.height == len(outside) and set(dated["date_text"]) <= {"May 1920"}, dated
            assert set(dated["date_basis"]) <= {"context"}, dated
        else:
            assert outside == [], f"{name}: {fresh}"
    assert compared["claims"][2] and compared["time_expressions"][2] and compared["mentions"][2]
    # the links between records survive with them
    for name in LINK_TABLES:
        key = list(load_table_spec(name).primary_key)
        old_keys = set(_table(built_corpus, name).select(key).iter_rows())
        assert old_keys <= set(_table(sentence_on_top, name).select(key).iter_rows()), name


def test_record_corrections_still_apply_after_the_sentence_is_added(built_corpus, sentence_on_top):
    applied = _table(sentence_on_top, "corrections").filter(pl.col("correction_id").is_in(["C0001", "C0004"]))
    targets = applied["record_id"].to_list()
    claims = _table(sentence_on_top, "claims").filter(pl.col("claim_id").is_in(targets))
    assert set(claims["claim_id"]) == set(targets) == set(_table(built_corpus, "corrections")["record_id"])
    assert set(claims["kind"]) == {"quotation"} and set(claims["claimant_id"]) == {"person:litvinov-maxim"}


def test_a_stale_record_correction_still_fails_the_build(sentence_on_top, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(sentence_on_top, root, symlinks=True)
    corrections = root / f"corrections/{DOCUMENT}.yaml"
    # C0004 expects the claimant the extractor gives; a record that changed that value makes it stale
    text = corrections.read_text(encoding="utf-8").replace(
        "old: person:roosevelt-franklin", "old: person:wiley-john"
    )
    corrections.write_text(text, encoding="utf-8")
    assert build(root) != 0


@pytest.fixture(scope="module")
def word_corrected(built_corpus, tmp_path_factory) -> Path:
    """One word corrected in the middle of the paper (a text correction)."""

    def change(root: Path) -> None:
        raw = (root / RAW).read_text(encoding="utf-8").splitlines()
        line = next(i for i, text in enumerate(raw, start=1) if text.startswith("Three years later Litvinov"))
        entry = (
            f"- id: C0005\n  kind: text\n  document_id: {DOCUMENT}\n  line: {line}\n"
            '  old: "was still at it."\n  new: "was still at work."\n'
            "  reason: test of a word corrected mid-paper.\n  author: test\n  date: 2026-12-07\n"
        )
        with (root / f"corrections/{DOCUMENT}.yaml").open("a", encoding="utf-8") as corrections:
            corrections.write(entry)

    return _build_edited(built_corpus, tmp_path_factory.mktemp("word-corrected"), change)


def _paragraph_holding(root: Path, offset: int) -> tuple[int, int]:
    paragraphs = _table(root, "paragraphs").filter(
        (pl.col("char_start") <= offset) & (pl.col("char_end") > offset)
    )
    return paragraphs.row(0, named=True)["char_start"], paragraphs.row(0, named=True)["char_end"]


def test_a_word_corrected_mid_paper_changes_only_records_of_its_paragraph(built_corpus, word_corrected):
    old_text, new_text = _text(built_corpus), _text(word_corrected)
    at, _, _ = _edit(old_text, new_text)
    paragraph = _paragraph_holding(built_corpus, at)
    for name, (kept, renamed, _) in _compare(built_corpus, word_corrected).items():
        assert renamed == [], f"{name}: renamed {renamed}"
        old = _table(built_corpus, name)
        outside = old.filter((pl.col("char_end") <= paragraph[0]) | (pl.col("char_start") >= paragraph[1]))
        assert kept >= outside.height, name
    # the changelog: records added, withdrawn or changed (other than moved offsets) are of that paragraph
    diff = diff_packages(built_corpus, word_corrected)
    shift = len(new_text) - len(old_text)
    for name in ID_PREFIXES:
        table = diff.tables[name]
        assert not table.vanished and not table.retired and not table.withdrawn, name
        new = _table(word_corrected, name)
        id_column = load_table_spec(name).primary_key[0]
        spans = {i: (s, e) for i, s, e in new.select(id_column, "char_start", "char_end").iter_rows()}
        touched = {c.record_id for c in table.changed if c.field not in OFFSET_FIELDS} | set(table.added)
        for record_id in touched:
            start, end = spans[record_id]
            assert paragraph[0] <= start and end <= paragraph[1] + shift, f"{name}: {record_id}"


OFFSET_FIELDS = {"char_start", "char_end", "quote_char_start", "quote_char_end", "claimant_char_start"}
OFFSET_FIELDS |= {"claimant_char_end", "cue_char_start", "cue_char_end", "marker_offset"}


@pytest.fixture(scope="module")
def paragraph_deleted(built_corpus, tmp_path_factory) -> tuple[Path, tuple[int, int], int]:
    """A paragraph of one line, with no note and no corrected record, deleted from an edited copy of raw/."""
    paragraphs = _table(built_corpus, "paragraphs")
    noted = set(_table(built_corpus, "footnotes")["paragraph_id"].drop_nulls())
    corrected = set(_table(built_corpus, "corrections")["record_id"].drop_nulls())
    claims = _table(built_corpus, "claims").filter(pl.col("claim_id").is_in(sorted(corrected)))
    candidates = paragraphs.filter(
        (pl.col("block_kind") == "p")
        & (pl.col("source_line_start") == pl.col("source_line_end"))
        & ~pl.col("paragraph_id").is_in(sorted(noted))
        & ~pl.col("paragraph_id").is_in(claims["paragraph_id"].to_list())
    )
    chosen = candidates.row(candidates.height // 2, named=True)

    def change(root: Path) -> None:
        raw = (root / RAW).read_text(encoding="utf-8").split("\n")
        del raw[chosen["source_line_start"] - 1 : chosen["source_line_start"] + 1]
        (root / RAW).write_text("\n".join(raw), encoding="utf-8")

    root = _build_edited(built_corpus, tmp_path_factory.mktemp("paragraph-deleted"), change)
    following = paragraphs.filter(pl.col("char_start") > chosen["char_end"])["char_start"].min()
    return root, (chosen["char_start"], chosen["char_end"]), following


def test_deleting_a_paragraph_withdraws_its_records_and_renames_nothing(built_corpus, paragraph_deleted):
    root, (start, end), following = paragraph_deleted
    diff = diff_packages(built_corpus, root)
    for name, (kept, renamed, fresh) in _compare(built_corpus, root, (start, following, start)).items():
        old = _table(built_corpus, name)
        inside = old.filter((pl.col("char_start") >= start) & (pl.col("char_end") <= end))
        assert renamed == [] and fresh == [], name
        assert kept == old.height - inside.height, name
        id_column = load_table_spec(name).primary_key[0]
        assert sorted(diff.tables[name].retired) == sorted(inside[id_column]), name
        assert diff.tables[name].vanished == [], name
    assert diff.tables["paragraphs"].retired
    entry = render_changelog_entry(diff, None, None)
    assert f"last published in {diff.old_version}" in entry


# --- function level --------------------------------------------------------------------------------------


def _extracted(paper) -> dict[str, pl.DataFrame]:
    """The paper's text-layer tables and time expressions, with the extractors' ordinal IDs."""
    from pipeline.extract import dates

    return {
        "paragraphs": paper.paragraphs,
        "sentences": paper.sentences,
        "footnotes": paper.footnotes,
        "time_expressions": dates.find_time_expressions(paper.sentences, "1996"),
    }


def test_an_extractor_finding_one_more_record_renames_nothing_else(paper):
    found = _extracted(paper)
    times = found["time_expressions"]
    missed = times.height // 3
    # the extractor before its improvement: the same records but one, numbered in text order without it
    older = times.filter(pl.int_range(pl.len()) != missed).with_columns(
        time_expression_id=pl.format(f"{DOCUMENT}:t{{}}", pl.int_range(1, pl.len() + 1)),
        anchor_time_expression_id=pl.lit(None, dtype=pl.String),
    )
    before = stable_ids(DOCUMENT, paper.text, {**found, "time_expressions": older})
    after = stable_ids(DOCUMENT, paper.text, found)
    spans = ["char_start", "char_end"]
    old_ids = before["time_expressions"].select(*spans, "time_expression_id")
    new_ids = after["time_expressions"].select(*spans, "time_expression_id")
    joined = old_ids.join(new_ids, on=spans, suffix="_new")
    assert joined.height == older.height
    assert (joined["time_expression_id"] == joined["time_expression_id_new"]).all()
    added = new_ids.join(old_ids, on=spans, how="anti")
    assert added.height == 1 and added["time_expression_id"][0] not in set(old_ids["time_expression_id"])
    for name in ("paragraphs", "sentences", "footnotes"):
        assert before[name].equals(after[name])


def test_references_follow_the_rewritten_ids(paper):
    found = stable_ids(DOCUMENT, paper.text, _extracted(paper))
    sentences = set(found["sentences"]["sentence_id"])
    paragraphs = set(found["paragraphs"]["paragraph_id"])
    assert set(found["sentences"]["paragraph_id"]) <= paragraphs
    assert set(found["time_expressions"]["sentence_id"]) <= sentences
    assert set(found["footnotes"]["sentence_id"].drop_nulls()) <= sentences
    anchors = set(found["time_expressions"]["anchor_time_expression_id"].drop_nulls())
    assert anchors and anchors <= set(found["time_expressions"]["time_expression_id"])
    # the extractors' row order is kept; only the IDs change
    assert found["sentences"]["char_start"].equals(paper.sentences["char_start"])


def test_old_spans_map_through_a_line_and_word_diff():
    old = "First line here.\nSecond line with a word.\nThird line.\n"
    new = "Inserted line.\nFirst line here.\nSecond line with one word.\nThird line.\n"
    blocks = matching_blocks(old, new)
    third = old.index("Third")
    assert map_span(blocks, third, third + 5) == (new.index("Third"), new.index("Third") + 5)
    word = old.index("word")
    assert map_span(blocks, word, word + 4) == (new.index("word"), new.index("word") + 4)
    assert map_span(blocks, old.index(" a "), old.index(" a ") + 3) is not None
    assert map_span(blocks, old.index("a word"), old.index("a word") + 1) is None
