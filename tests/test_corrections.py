"""Corrections: loading and validation, text fixes on the real paper, record fixes, the published table."""

from __future__ import annotations

import datetime as dt
import shutil
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from pipeline.package.corrections import (
    CorrectionError,
    apply_record_corrections,
    check_all_applied,
    check_targets,
    corrections_fingerprint,
    corrections_table,
    load_corrections,
)
from pipeline.package.schema import conform, load_table_spec, validate
from pipeline.package.text_corrections import apply_text_corrections
from pipeline.text.clean import clean_document
from tests.conftest import published_ids

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "corrections_example"
DOC = "kennan-op-263"
SOURCE = "raw/kennan-op-263/kennan-op-263-phillips-1996.md"
COMMON = "  reason: test\n  author: tester\n  date: 2026-11-27\n"


def write(directory: Path, name: str, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(body, encoding="utf-8")
    return path


def one(tmp_path: Path, body: str) -> list:
    write(tmp_path / "corrections", "x.yaml", body)
    return load_corrections(tmp_path / "corrections")


# --- loading -------------------------------------------------------------------------------------------


def test_example_files_load_sorted_by_id_with_their_source_file():
    corrections = load_corrections(FIXTURES)
    assert [c.id for c in corrections] == ["C0001", "C0002", "C0010", "C0011"]
    first = corrections[0]
    assert first.source_file == "corrections_example/kennan-op-263.yaml"
    assert (first.kind, first.line, first.old, first.new) == ("text", 260, "sozdarii", "sozdanii")
    assert first.date == dt.date(2026, 11, 27)
    # a record correction's document comes from its "<document_id>:..." record ID
    assert corrections[2].document_id == DOC


def test_missing_folder_means_no_corrections(tmp_path):
    assert load_corrections(tmp_path / "corrections") == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "- id: C1\n  kind: text\n  document_id: d\n  line: 1\n  old: a\n  new: b\n  colour: red\n"
            + COMMON,
            "x.yaml, entry C1: unknown key(s) ['colour']",
        ),
        ("- id: C1\n  kind: rewrite\n" + COMMON, "x.yaml, entry C1: kind 'rewrite' is not one of"),
        (
            "- id: C1\n  kind: withdraw\n  table: t\n  record_id: r\n  author: me\n  date: 2026-01-01\n",
            "x.yaml, entry C1: missing key(s) ['reason']",
        ),
        (
            "- id: C1\n  kind: withdraw\n  table: t\n  record_id: r\n  reason: ' '\n  author: me\n"
            "  date: 2026-01-01\n",
            "x.yaml, entry C1: 'reason' must be non-empty text",
        ),
        (
            "- id: C1\n  kind: withdraw\n  table: t\n  record_id: r\n  reason: r\n  author: me\n"
            "  date: soon\n",
            "x.yaml, entry C1: date 'soon' is not an ISO date",
        ),
        ("- kind: withdraw\n", "x.yaml, entry #1: missing or empty 'id'"),
        (
            "- id: C1\n  kind: text\n  document_id: d\n  line: 0\n  old: a\n  new: b\n" + COMMON,
            "x.yaml, entry C1: line must be a 1-based line number",
        ),
        (
            "- id: C1\n  kind: field\n  table: t\n  record_id: r\n  field: f\n  old: 1\n  new: '1'\n"
            + COMMON,
            "x.yaml, entry C1: old and new are the same value",
        ),
        (
            "- id: C1\n  kind: field\n  table: t\n  record_id: r\n  field: record_status\n  old: active\n"
            "  new: withdrawn\n" + COMMON,
            "use kind 'withdraw'",
        ),
        ("id: C1\n", "x.yaml: expected a list of correction entries"),
    ],
)
def test_invalid_entries_are_rejected_naming_file_and_entry(tmp_path, body, expected):
    with pytest.raises(CorrectionError) as error:
        one(tmp_path, body)
    assert expected in str(error.value)
    assert "corrections/x.yaml" in str(error.value)


def test_duplicate_ids_across_files_are_rejected(tmp_path):
    entry = "- id: C7\n  kind: withdraw\n  table: t\n  record_id: r\n" + COMMON
    write(tmp_path / "corrections", "a.yaml", entry)
    write(tmp_path / "corrections", "b.yaml", entry)
    with pytest.raises(CorrectionError, match=r"corrections/b.yaml, entry C7: ID 'C7' is already used in "):
        load_corrections(tmp_path / "corrections")


def test_check_targets_names_unknown_document_table_and_column(tmp_path):
    corrections = one(
        tmp_path,
        "- id: C1\n  kind: field\n  table: footnotes\n  record_id: d:fn01\n  field: colour\n  old: a\n"
        "  new: b\n" + COMMON,
    )
    with pytest.raises(CorrectionError, match=r"entry C1: table 'footnotes' has no column\(s\) \['colour'\]"):
        check_targets(corrections, [DOC], {"footnotes": ["footnote_id", "text"]})
    with pytest.raises(CorrectionError, match="entry C1: no table 'footnotes'"):
        check_targets(corrections, [DOC], {"sentences": ["sentence_id"]})
    text = load_corrections(FIXTURES)[:1]
    with pytest.raises(CorrectionError, match="entry C0001: no document 'kennan-op-263' in raw/"):
        check_targets(text, ["other-paper"], {})


# --- text corrections on the real paper ----------------------------------------------------------------


def test_text_corrections_change_exactly_their_targets(paper_text):
    corrections = load_corrections(FIXTURES)
    corrected, applied = apply_text_corrections(DOC, paper_text, corrections)
    assert [a.correction.id for a in applied] == ["C0001", "C0002"]
    before, after = paper_text.split("\n"), corrected.split("\n")
    assert len(before) == len(after)
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [104, 260]
    assert after[259] == before[259].replace("sozdarii", "sozdanii")
    assert after[103] == before[103].replace("vnesheekonomicheskaiia", "vneshneekonomicheskaia")
    assert applied[0].source_line == 260 and applied[0].old_value == "sozdarii"


def test_text_corrections_of_other_documents_leave_the_text_alone(paper_text):
    text, applied = apply_text_corrections("another-paper", paper_text, load_corrections(FIXTURES))
    assert text == paper_text and applied == []


def test_corrected_text_flows_into_extraction(paper_text, paper):
    corrected, _ = apply_text_corrections(DOC, paper_text, load_corrections(FIXTURES))
    fixed = clean_document(corrected, DOC, SOURCE)
    note = fixed.footnotes.filter(pl.col("number") == 57)["text"][0]
    assert "K voprosu o sozdanii Mezhdunarodnoy" in note
    others = fixed.footnotes.filter(~pl.col("number").is_in([20, 57]))["text"].to_list()
    assert others == paper.footnotes.filter(~pl.col("number").is_in([20, 57]))["text"].to_list()


def test_stale_text_correction_fails_naming_file_entry_and_what_it_found(tmp_path, paper_text):
    corrections = one(
        tmp_path,
        f"- id: C9\n  kind: text\n  document_id: {DOC}\n  line: 259\n  old: sozdarii\n  new: sozdanii\n"
        + COMMON,
    )
    with pytest.raises(CorrectionError) as error:
        apply_text_corrections(DOC, paper_text, corrections)
    message = str(error.value)
    assert message.startswith("corrections/x.yaml, entry C9: expected 'sozdarii' on line 259")
    assert "but the line now reads ''" in message  # line 259 of the OCR file is blank


def test_already_applied_text_correction_is_stale(paper_text):
    corrections = load_corrections(FIXTURES)
    once, _ = apply_text_corrections(DOC, paper_text, corrections)
    with pytest.raises(
        CorrectionError, match=r"entry C0001: expected 'sozdarii' on line 260 .*K voprosu o sozdanii"
    ):
        apply_text_corrections(DOC, once, corrections)


def test_text_correction_beyond_the_file_targets_nothing(tmp_path, paper_text):
    corrections = one(
        tmp_path, f"- id: C9\n  kind: text\n  document_id: {DOC}\n  line: 9999\n  old: a\n  new: b\n" + COMMON
    )
    with pytest.raises(
        CorrectionError,
        match="entry C9: targets line 9999 of kennan-op-263, but the OCR text has only 284 lines",
    ):
        apply_text_corrections(DOC, paper_text, corrections)


def test_ambiguous_and_overlapping_text_corrections_are_rejected(tmp_path):
    text = "first line\nthe cat and the dog\n"
    ambiguous = one(
        tmp_path, "- id: C1\n  kind: text\n  document_id: d\n  line: 2\n  old: the\n  new: a\n" + COMMON
    )
    with pytest.raises(CorrectionError, match="'the' occurs 2 times on line 2"):
        apply_text_corrections("d", text, ambiguous)
    overlapping = one(
        tmp_path,
        "- id: C1\n  kind: text\n  document_id: d\n  line: 2\n  old: cat and\n  new: cow and\n"
        + COMMON
        + "- id: C2\n  kind: text\n  document_id: d\n  line: 2\n  old: and the dog\n  new: and a dog\n"
        + COMMON,
    )
    with pytest.raises(
        CorrectionError, match=r"entry C2: its target overlaps that of corrections/x\.yaml, entry C1"
    ):
        apply_text_corrections("d", text, overlapping)


def test_several_corrections_on_one_line_use_original_positions(tmp_path):
    text = "title\nTbe cat sat on tbe mat\n"
    corrections = one(
        tmp_path,
        "- id: C1\n  kind: text\n  document_id: d\n  line: 2\n  old: Tbe cat\n  new: The cat\n"
        + COMMON
        + "- id: C2\n  kind: text\n  document_id: d\n  line: 2\n  old: tbe mat\n  new: the rug\n"
        + COMMON,
    )
    fixed, applied = apply_text_corrections("d", text, corrections)
    assert fixed == "title\nThe cat sat on the rug\n"
    assert len(applied) == 2


def test_old_text_may_run_onto_the_next_line(tmp_path):
    text = "A hyphen-\nated word\n"
    corrections = one(
        tmp_path,
        '- id: C1\n  kind: text\n  document_id: d\n  line: 1\n  old: "hyphen-\\nated"\n  new: hyphenated\n'
        + COMMON,
    )
    fixed, _ = apply_text_corrections("d", text, corrections)
    assert fixed == "A hyphenated word\n"


# --- record corrections --------------------------------------------------------------------------------


@cache
def corrected_paper_tables() -> dict[str, pl.DataFrame]:
    """The paper's text tables after the example's text corrections, with the IDs the build publishes."""
    corrections = load_corrections(FIXTURES)
    text, _ = apply_text_corrections(DOC, (REPO_ROOT / SOURCE).read_text("utf-8"), corrections)
    cleaned = clean_document(text, DOC, SOURCE)
    frames = {
        "paragraphs": cleaned.paragraphs,
        "sentences": cleaned.sentences,
        "footnotes": cleaned.footnotes,
    }
    return published_ids(cleaned.text, frames)


def note_id(number: int) -> str:
    notes = corrected_paper_tables()["footnotes"]
    return notes.filter(pl.col("number") == number)["footnote_id"][0]


def footnotes_frame() -> pl.DataFrame:
    spec = load_table_spec("footnotes")
    return conform(spec, corrected_paper_tables()["footnotes"])


def test_record_corrections_change_only_their_targets(paper):
    spec = load_table_spec("footnotes")
    frame = footnotes_frame()
    corrected, applied = apply_record_corrections(
        "footnotes", frame, list(spec.primary_key), load_corrections(FIXTURES), DOC
    )
    assert [a.correction.id for a in applied] == ["C0010", "C0011"]
    assert corrected.height == frame.height  # a withdrawal keeps the row
    validate(spec, corrected)
    diff = []
    for column in frame.columns:
        for row, (a, b) in enumerate(zip(frame[column], corrected[column], strict=True)):
            if a != b:
                diff.append((frame["footnote_id"][row], column, a, b))
    assert sorted(diff) == sorted(
        [
            (note_id(57), "note_style", "number", "number_dot"),
            (note_id(64), "record_status", "active", "withdrawn"),
        ]
    )
    assert (applied[1].field, applied[1].old_value, applied[1].new_value) == (
        "record_status",
        "active",
        "withdrawn",
    )


def test_record_corrections_for_another_document_are_ignored_in_this_partition(paper):
    frame = footnotes_frame()
    same, applied = apply_record_corrections(
        "footnotes", frame, ["footnote_id"], load_corrections(FIXTURES), "other"
    )
    assert applied == [] and same.equals(frame)


def small_table() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "work_id": ["w1", "w2"],
            "document_id": ["d", "d"],
            "title": ["Men and Politcs", None],
            "year": [1941, 1962],
        }
    )


RECORD_CASES = """\
- id: C1
  kind: field
  table: works
  record_id: w1
  field: title
  old: Men and Politcs
  new: Men and Politics
{c}- id: C2
  kind: field
  table: works
  record_id: w2
  field: year
  old: 1962
  new: "1963"
{c}- id: C3
  kind: add
  table: works
  record:
    work_id: w3
    document_id: d
    title: Journey into the Past
    year: 1962
{c}- id: C4
  kind: field
  table: works
  record_id: w2
  field: title
  old: null
  new: Journey into the Past
{c}"""


def test_field_add_and_coercion_on_a_small_table(tmp_path):
    corrections = one(tmp_path, RECORD_CASES.format(c=COMMON))
    frame, applied = apply_record_corrections("works", small_table(), ["work_id"], corrections, None)
    assert frame.to_dicts() == [
        {
            "work_id": "w1",
            "document_id": "d",
            "title": "Men and Politics",
            "year": 1941,
            "record_status": "active",
        },
        {
            "work_id": "w2",
            "document_id": "d",
            "title": "Journey into the Past",
            "year": 1963,
            "record_status": "active",
        },
        {
            "work_id": "w3",
            "document_id": "d",
            "title": "Journey into the Past",
            "year": 1962,
            "record_status": "active",
        },
    ]
    assert frame.schema["year"] == pl.Int64
    check_all_applied(corrections, applied)
    add = next(a for a in applied if a.correction.id == "C3")
    assert add.record_id == "w3" and add.old_value is None
    assert (
        add.new_value
        == '{"document_id": "d", "title": "Journey into the Past", "work_id": "w3", "year": 1962}'
    )


def test_stale_field_correction_names_what_it_found(tmp_path):
    corrections = one(
        tmp_path,
        "- id: C1\n  kind: field\n  table: works\n  record_id: w1\n  field: title\n  old: Men and Politics\n"
        "  new: Men & Politics\n" + COMMON,
    )
    with pytest.raises(CorrectionError) as error:
        apply_record_corrections("works", small_table(), ["work_id"], corrections)
    assert str(error.value) == (
        "corrections/x.yaml, entry C1: expected works.title of 'w1' to be 'Men and Politics', but found "
        "'Men and Politcs' (the extractor or an earlier correction changed it)"
    )


def test_targetless_record_corrections_fail(tmp_path):
    missing = one(tmp_path, "- id: C1\n  kind: withdraw\n  table: works\n  record_id: w9\n" + COMMON)
    with pytest.raises(
        CorrectionError, match="entry C1: works has no record 'w9' \\(the correction targets nothing\\)"
    ):
        apply_record_corrections("works", small_table(), ["work_id"], missing)
    bad_value = one(
        tmp_path,
        "- id: C2\n  kind: field\n  table: works\n  record_id: w1\n  field: year\n  old: 1941\n  new: soon\n"
        + COMMON,
    )
    with pytest.raises(CorrectionError, match="entry C2: 'soon' is not a valid Int64 for column 'year'"):
        apply_record_corrections("works", small_table(), ["work_id"], bad_value)


def test_add_with_an_existing_id_and_double_withdrawal_are_errors(tmp_path):
    add = one(
        tmp_path,
        "- id: C1\n  kind: add\n  table: works\n  record:\n    work_id: w1\n    title: Again\n" + COMMON,
    )
    with pytest.raises(
        CorrectionError, match="entry C1: works already has a record 'w1'; IDs are never reused"
    ):
        apply_record_corrections("works", small_table(), ["work_id"], add)
    withdraw = one(tmp_path, "- id: C2\n  kind: withdraw\n  table: works\n  record_id: w1\n" + COMMON)
    once, _ = apply_record_corrections("works", small_table(), ["work_id"], withdraw)
    assert once.height == 2 and once["record_status"].to_list() == ["withdrawn", "active"]
    with pytest.raises(CorrectionError, match="entry C2: works record 'w1' is already withdrawn"):
        apply_record_corrections("works", once, ["work_id"], withdraw)


def test_composite_keys_join_values_with_a_bar(tmp_path):
    frame = pl.DataFrame(
        {"document_id": ["d", "d"], "char_start": [0, 5], "char_end": [4, 9], "style": ["italic"] * 2}
    )
    key = ["document_id", "char_start", "char_end", "style"]
    corrections = one(
        tmp_path, "- id: C1\n  kind: withdraw\n  table: spans\n  record_id: d|5|9|italic\n" + COMMON
    )
    fixed, applied = apply_record_corrections("spans", frame, key, corrections)
    assert fixed["record_status"].to_list() == ["active", "withdrawn"]
    assert applied[0].record_id == "d|5|9|italic"
    key_change = one(
        tmp_path,
        "- id: C2\n  kind: field\n  table: spans\n  record_id: d|5|9|italic\n  field: style\n  old: italic\n"
        "  new: bold\n" + COMMON,
    )
    with pytest.raises(
        CorrectionError, match="entry C2: 'style' is part of the primary key; IDs never change"
    ):
        apply_record_corrections("spans", frame, key, key_change)


def test_check_all_applied_names_unapplied_and_repeated(tmp_path):
    corrections = load_corrections(FIXTURES)
    _, applied = apply_text_corrections(
        DOC, Path(__file__).parent.parent.joinpath(SOURCE).read_text("utf-8"), corrections
    )
    with pytest.raises(CorrectionError) as error:
        check_all_applied(corrections, [*applied, applied[0]])
    message = str(error.value)
    assert "entry C0001: was applied 2 times" in message
    assert (
        "corrections_example/footnotes.yaml, entry C0010: targets nothing "
        f"(footnotes record '{note_id(57)}'" in message
    )
    assert "entry C0011: targets nothing" in message
    assert "C0002" not in message


# --- published table -----------------------------------------------------------------------------------


def test_corrections_table_validates_and_says_what_changed(paper_text, paper):
    corrections = load_corrections(FIXTURES)
    _, text_applied = apply_text_corrections(DOC, paper_text, corrections)
    _, record_applied = apply_record_corrections(
        "footnotes", footnotes_frame(), ["footnote_id"], corrections, DOC
    )
    check_all_applied(corrections, [*text_applied, *record_applied])
    spec = load_table_spec("corrections")
    table = validate(spec, conform(spec, corrections_table([*record_applied, *text_applied])))
    assert table["correction_id"].to_list() == ["C0001", "C0002", "C0010", "C0011"]
    first = table.row(0, named=True)
    assert first["kind"] == "text" and first["source_line"] == 260 and first["table_name"] is None
    assert (first["old_value"], first["new_value"]) == ("sozdarii", "sozdanii")
    assert first["source_file"] == "corrections_example/kennan-op-263.yaml"
    third = table.row(2, named=True)
    assert (third["table_name"], third["record_id"], third["field"]) == (
        "footnotes",
        note_id(57),
        "note_style",
    )
    assert set(table["status"]) == {"applied"}


def test_empty_corrections_table_still_has_its_columns():
    spec = load_table_spec("corrections")
    table = validate(spec, conform(spec, corrections_table([])))
    assert table.height == 0 and table.columns == spec.columns


# --- a run with corrections, up to the publisher -------------------------------------------------------


def run_with_corrections(root: Path) -> None:
    """The corrections contract of a run: text fixes, extraction, record fixes, checks, then publish."""
    from pipeline.package.publish import DatasetMetadata, PackageContents, publish
    from pipeline.package.tables import combine
    from pipeline.text.documents import document_row
    from pipeline.text.ingest import read_document

    corrections = load_corrections(root / "corrections")
    document = read_document(root / "raw" / DOC, root)
    text, applied = apply_text_corrections(DOC, document.text, corrections)
    cleaned = clean_document(text, DOC, document.source_path)
    text_tables = published_ids(
        cleaned.text,
        {"paragraphs": cleaned.paragraphs, "sentences": cleaned.sentences, "footnotes": cleaned.footnotes},
    )
    footnotes, record_applied = apply_record_corrections(
        "footnotes", combine("footnotes", [text_tables["footnotes"]]), ["footnote_id"], corrections, DOC
    )
    applied += record_applied
    check_all_applied(corrections, applied)
    frames = {
        "documents": combine("documents", [pl.DataFrame([document_row(document, cleaned)])]),
        "paragraphs": combine("paragraphs", [text_tables["paragraphs"]]),
        "sentences": combine("sentences", [text_tables["sentences"]]),
        "footnotes": footnotes,
        "corrections": combine("corrections", [corrections_table(applied)]),
        # paragraphs and sentences point to it (the essay has none)
        "source_documents": combine("source_documents", []),
    }
    tables = {name: (load_table_spec(name), frame) for name, frame in frames.items()}
    meta = DatasetMetadata.load(root / "dataset.yaml")
    publish(root, meta, PackageContents(tables, {DOC: cleaned.text}, {}))


def package_bytes(root: Path) -> dict[str, bytes]:
    files = [
        root / "datapackage.json",
        *sorted((root / "data").rglob("*")),
        *sorted((root / "text").rglob("*")),
    ]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files if p.is_file()}


def test_stale_correction_fails_cleanly_and_leaves_the_last_good_package_untouched(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "raw", root / "raw")
    shutil.copy(REPO_ROOT / "dataset.yaml", root)
    shutil.copytree(FIXTURES, root / "corrections")
    run_with_corrections(root)
    good = package_bytes(root)
    published = pl.read_csv(root / "data/csv/corrections.csv")
    assert published["correction_id"].to_list() == ["C0001", "C0002", "C0010", "C0011"]
    assert "sozdanii" in (root / f"text/{DOC}.txt").read_text(encoding="utf-8")
    withdrawn = pl.read_csv(root / "data/csv/footnotes.csv").filter(pl.col("record_status") == "withdrawn")
    assert withdrawn["footnote_id"].to_list() == [note_id(64)]

    # the extractor "changed underneath" the field correction: its old value no longer matches
    stale = (
        (root / "corrections/footnotes.yaml")
        .read_text(encoding="utf-8")
        .replace("old: number\n", "old: bracket\n")
    )
    (root / "corrections/footnotes.yaml").write_text(stale, encoding="utf-8")
    with pytest.raises(
        CorrectionError,
        match=r"footnotes\.yaml, entry C0010: expected footnotes\.note_style .* found 'number'",
    ):
        run_with_corrections(root)
    assert package_bytes(root) == good


def test_fingerprint_changes_only_for_the_documents_a_correction_concerns(tmp_path):
    base = load_corrections(FIXTURES)
    other = one(
        tmp_path, "- id: C9\n  kind: text\n  document_id: other\n  line: 1\n  old: a\n  new: b\n" + COMMON
    )
    assert corrections_fingerprint(base, DOC) == corrections_fingerprint([*base, *other], DOC)
    assert corrections_fingerprint(base, "other") != corrections_fingerprint([*base, *other], "other")
    assert corrections_fingerprint(base, DOC) != corrections_fingerprint(base[1:], DOC)
