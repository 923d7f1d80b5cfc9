"""Citations: parsing, resolution and offsets on the committed paper and on notes in other styles."""

from __future__ import annotations

import polars as pl
import pytest
from edtf import parse_edtf

from evaluation.citation_scoring import (
    expected_by_note,
    format_table,
    load_fixture,
    markdown_notes_to_frames,
    predicted_citations,
    score,
)
from pipeline.extract.citations import extract_citations
from pipeline.extract.reference_dates import to_edtf
from pipeline.extract.reference_pieces import last_word
from pipeline.package.schema import conform, load_table_spec, validate
from tests.conftest import published_ids


@pytest.fixture(scope="module")
def fixture() -> dict:
    return load_fixture()


@pytest.fixture(scope="module")
def predicted(fixture: dict) -> pl.DataFrame:
    return predicted_citations(fixture)


@pytest.fixture(scope="module")
def paper_citations(paper) -> pl.DataFrame:
    return extract_citations(paper.footnotes, paper.emphasis_spans)


def test_fixture_covers_enough_notes_and_every_type(fixture: dict) -> None:
    assert len(fixture["paper"]["notes"]) >= 35
    assert len(fixture["styles"]["notes"]) >= 15
    types = {c["reference_type"] for cs in expected_by_note(fixture).values() for c in cs}
    assert types >= {
        "book", "edited_book", "chapter", "journal_article", "newspaper", "archival_document",
        "archival_collection", "interview", "government_document", "ibid", "short_form", "commentary",
    }  # fmt: skip


def test_overall_f1_and_referring_forms(fixture: dict, predicted: pl.DataFrame) -> None:
    result = score(predicted, expected_by_note(fixture))
    assert result.overall.f1 >= 0.95, format_table(result) + "\n" + "\n".join(result.mismatches)
    assert result.referring_correct == result.referring_total, "\n".join(result.mismatches)


def test_raw_is_the_exact_substring_of_the_document_text(paper, paper_citations: pl.DataFrame) -> None:
    for row in paper_citations.iter_rows(named=True):
        assert paper.text[row["char_start"] : row["char_end"]] == row["raw"]


def test_every_note_yields_at_least_one_reference(paper, paper_citations: pl.DataFrame) -> None:
    references = paper_citations.filter(pl.col("reference_type") != "commentary")
    assert set(references["footnote_id"]) == set(paper.footnotes["footnote_id"])


def test_commentary_of_mixed_notes_is_kept_apart(paper_citations: pl.DataFrame) -> None:
    commentary = paper_citations.filter(pl.col("reference_type") == "commentary")
    assert set(commentary["footnote_id"].str.extract(r"fn(\d+)$").cast(int)) >= {4, 10, 33}
    note_10 = commentary.filter(pl.col("footnote_id").str.ends_with("fn10"))["raw"][0]
    assert note_10.startswith("In 1921") and "Sheinis" not in note_10


def test_transliterated_titles_survive_untouched(paper_citations: pl.DataFrame) -> None:
    titles = set(paper_citations["title"].drop_nulls()) | set(paper_citations["container_title"].drop_nulls())
    assert "K voprosu o sozdarii Mezhdunarodnoy organizatsii bezopasnosti" in titles
    assert "Sovetsko-amerikanskii otnosheniia" in titles
    assert "V.I. Lenin i vnesheekonomicheskaiia politika Sovetskogo gosudarstva, 1917–1923 gg." in titles


def test_fuzzy_short_title_is_flagged_uncertain(paper_citations: pl.DataFrame) -> None:
    row = paper_citations.filter(pl.col("citation_id") == "kennan-op-263:fn60.1").row(0, named=True)
    assert row["refers_to"] == "kennan-op-263:fn43.1"
    assert row["resolution_status"] == "uncertain"


def test_item_dates_are_valid_edtf(predicted: pl.DataFrame) -> None:
    dates = predicted["item_date"].drop_nulls().to_list()
    assert len(dates) > 20
    for value in dates:
        parse_edtf(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29 August 1929", "1929-08-29"),
        ("30–31 March 1981", "1981-03-30/1981-03-31"),
        ("January 1919", "1919-01"),
        ("undated, January 1919", "1919-01"),
        ("Undated (1943)", "1943"),
        ("March 4, 1933", "1933-03-04"),
        ("Winter 1990", "1990-24"),
        ("12 (March 1942)", "1942-03-12"),
        ("last week", None),
    ],
)
def test_to_edtf(text: str, expected: str | None) -> None:
    assert to_edtf(text) == expected


def test_ibid_after_a_note_with_several_works_is_uncertain() -> None:
    _, footnotes, spans = markdown_notes_to_frames(
        "doc-a",
        ["Ann Lee, *First Book* (Boston, 1990), 4; Bo Ma, *Second Book* (Paris, 1991), 7.", "Ibid., 9."],
    )
    rows = extract_citations(footnotes, spans).filter(pl.col("footnote_id") == "doc-a:fn02")
    assert rows["refers_to"].to_list() == ["doc-a:fn01.2"]
    assert rows["resolution_status"].to_list() == ["uncertain"]


def test_unmatched_short_form_is_unresolved_not_guessed() -> None:
    _, footnotes, spans = markdown_notes_to_frames("doc-b", ["Smith, *Lost Book*, 12."])
    row = extract_citations(footnotes, spans).row(0, named=True)
    assert row["refers_to"] is None
    assert row["resolution_status"] == "unresolved"


def test_short_form_takes_the_latest_full_citation_of_its_author() -> None:
    notes = [
        "Ann Lee, *First Book* (Boston, 1990), 4.",
        "Bo Ma, *First Book* (Paris, 1991), 7.",
        "Ann Lee, *First Book* (London, 1995), 2.",
        "Ma, *First Book*, 9.",
        "Lee, *First Book*, 10.",
    ]
    _, footnotes, spans = markdown_notes_to_frames("doc-d", notes)
    rows = extract_citations(footnotes, spans).filter(
        pl.col("footnote_id").is_in(["doc-d:fn04", "doc-d:fn05"])
    )
    assert rows["refers_to"].to_list() == ["doc-d:fn02.1", "doc-d:fn03.1"]
    assert rows["resolution_status"].to_list() == ["resolved", "resolved"]


def test_skips_notes_without_text_or_not_ok() -> None:
    _, footnotes, spans = markdown_notes_to_frames("doc-c", ["Ann Lee, *A Book* (Boston, 1990), 4."])
    footnotes = footnotes.with_columns(pl.lit("note_missing_in_source").alias("status"))
    assert extract_citations(footnotes, spans).height == 0


def test_citations_table_validates(paper, paper_citations: pl.DataFrame) -> None:
    spec = load_table_spec("citations")
    validate(spec, conform(spec, published_ids(paper.text, {"citations": paper_citations})["citations"]))


def test_every_reference_says_how_it_was_read(paper_citations: pl.DataFrame) -> None:
    references = paper_citations.filter(pl.col("reference_type") != "commentary")
    assert set(references["parse_method"]) <= {"rules", "rules+model"}
    assert paper_citations.filter(pl.col("reference_type") == "commentary")["parse_method"].null_count() == (
        paper_citations.filter(pl.col("reference_type") == "commentary").height
    )
    referring = references.filter(pl.col("reference_type").is_in(["ibid", "short_form"]))
    assert set(referring["parse_method"]) == {"rules"}
    review = paper_citations["needs_review"]
    assert review.null_count() == 0
    assert (review == (paper_citations["parse_confidence"] < 0.5)).all()


def test_a_reference_the_rules_cannot_read_is_read_by_the_model() -> None:
    notes = ["Miller, J. A. (2003). Grain exports and the Soviet state. Slavic Review, 62(4), 711-732."]
    _, footnotes, spans = markdown_notes_to_frames("doc-m", notes)
    row = extract_citations(footnotes, spans).row(0, named=True)
    assert row["parse_method"] == "rules+model"
    assert (row["reference_type"], row["container_title"], row["volume"], row["pages"]) == (
        "journal_article",
        "Slavic Review",
        "62",
        "711-732",
    )


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("Ibid. p. 4", 4, "Ibid"),
        ("in the U.S. Army", 10, "U.S"),
        ("Europe’s. Next", 8, "Europe’s"),
        ("a word\n. Next", 7, "word"),
        ("pp. 3, . Next", 7, ""),
        (". Next", 0, ""),
    ],
)
def test_last_word_before_a_period(text: str, end: int, expected: str) -> None:
    assert text[end] == "."
    assert last_word(text, end) == expected


def test_short_editorial_remarks_are_commentary_and_short_references_are_not() -> None:
    notes = [
        "Not printed.",
        "Despatch in two sections; enclosure not found in the files.",
        "Foreign Relations, 1910, pp. 12 ff.",
        "Smith, Ports and Power.",
        "Post, p. 504.",
        "Vol. ii, index.",
    ]
    _, footnotes, spans = markdown_notes_to_frames("doc-r", notes)
    rows = extract_citations(footnotes, spans)
    kinds = dict(zip(rows["raw"], rows["reference_type"], strict=True))
    assert kinds["Not printed."] == "commentary"
    assert kinds["enclosure not found in the files."] == "commentary"
    assert all(kind != "commentary" for raw, kind in kinds.items() if raw[0] in "FSPV"), kinds


def test_identifications_history_remarks_and_lead_ins_are_commentary_where_titles_are_italic() -> None:
    notes = [
        "*Foreign Relations*, 1910, p. 4.",
        "Jan Novak, Minister of Trade of the Republic.",
        "Ratified by the President, May 2, 1921.",
        "For previous correspondence, see *Foreign Relations*, 1920, vol. ii, pp. 5 ff.",
        "Supra.",
        "A similar note was sent on the same date to Olaf Berg, Consul at Bergen.",
        "The draft went out only after Ana Ruiz approved Kay Bell to Ruiz, May 2, 1986, Department files.",
    ]
    _, footnotes, spans = markdown_notes_to_frames("doc-f", notes)
    rows = extract_citations(footnotes, spans)
    kinds = dict(zip(rows["raw"], rows["reference_type"], strict=True))
    assert kinds["Jan Novak, Minister of Trade of the Republic."] == "commentary"
    assert kinds["Ratified by the President, May 2, 1921."] == "commentary"
    assert kinds["For previous correspondence"] == "commentary"
    assert kinds["A similar note was sent on the same date to Olaf Berg, Consul at Bergen."] == "commentary"
    assert kinds["Supra."] != "commentary"
    lead_in = rows.filter(pl.col("footnote_id") == "doc-f:fn04", pl.col("reference_type") != "commentary")
    assert lead_in["raw"].str.starts_with("Foreign Relations, 1920").to_list() == [True]
    assert lead_in["signal"].to_list() == ["see"] and lead_in["year"].to_list() == ["1920"]
    embedded = rows.filter(pl.col("footnote_id") == "doc-f:fn07")
    assert embedded["reference_type"].to_list() != ["commentary"]


def test_a_name_and_office_without_italics_stays_a_reference_where_no_title_is_italic() -> None:
    """Papers whose OCR lost the italics give no such evidence: "Smith, Ports and Power" is a short form."""
    _, footnotes, spans = markdown_notes_to_frames(
        "doc-g", ["Smith, Ports and Power.", "Lee, Trade Winds, 4."]
    )
    assert "commentary" not in extract_citations(footnotes, spans)["reference_type"].to_list()


def test_a_sentence_after_a_references_last_pages_is_its_own_segment() -> None:
    note = "*Foreign Relations*, 1929, vol. i, pp. 65 ff. The proceedings of the session were not printed."
    _, footnotes, spans = markdown_notes_to_frames("doc-h", [note])
    rows = extract_citations(footnotes, spans)
    assert rows["raw"].to_list() == [
        "Foreign Relations, 1929, vol. i, pp. 65 ff.",
        "The proceedings of the session were not printed.",
    ]
    assert rows["reference_type"].to_list()[1] == "commentary"


def test_a_lead_in_with_a_date_and_an_italic_title_is_still_commentary_before_see() -> None:
    note = "For orders of June 3, 1917, under the *Naval Code*, see *Foreign Relations*, 1917, p. 3."
    _, footnotes, spans = markdown_notes_to_frames("doc-i", [note])
    rows = extract_citations(footnotes, spans)
    assert rows["reference_type"].to_list()[0] == "commentary"
    assert rows["raw"].to_list()[1].startswith("Foreign Relations, 1917")
