"""Works: deduplication, stable IDs, Chicago rendering and sentence links on the committed paper."""

from __future__ import annotations

import polars as pl
import pytest

from evaluation.citation_scoring import markdown_notes_to_frames
from pipeline.extract.citations import extract_citations
from pipeline.extract.works import (
    build_works,
    describe_citations,
    link_sentences_to_works,
    merge_works,
    render_chicago,
)
from pipeline.package.schema import conform, load_table_spec, validate
from tests.conftest import published_ids


@pytest.fixture(scope="module")
def built(paper) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    citations = extract_citations(paper.footnotes, paper.emphasis_spans)
    works, with_ids = build_works(citations)
    return works, with_ids, link_sentences_to_works(paper.footnotes, with_ids)


def _work_of(citations: pl.DataFrame, note: int, index: int = 1) -> str:
    return citations.filter(pl.col("citation_id") == f"kennan-op-263:fn{note:02d}.{index}")["work_id"][0]


def test_tables_validate(paper, built) -> None:
    names = ("works", "citations", "sentence_works")
    for name, frame in published_ids(paper.text, dict(zip(names, built, strict=True))).items():
        spec = load_table_spec(name)
        validate(spec, conform(spec, frame))


def test_same_interview_cited_six_times_is_one_work(built) -> None:
    works, citations, _ = built
    interview = _work_of(citations, 8)
    assert {_work_of(citations, n) for n in (38, 40, 51, 54, 64)} == {interview}
    # note 55 is Ibid. after note 54: it counts too
    assert works.filter(pl.col("work_id") == interview)["citation_count"][0] == 7


def test_referring_forms_take_the_work_they_point_at(built) -> None:
    _, citations, _ = built
    assert _work_of(citations, 16) == _work_of(citations, 12)  # short title
    assert _work_of(citations, 27) == _work_of(citations, 24)  # Ibid. after an abbreviation
    assert _work_of(citations, 30, 2) == _work_of(citations, 17) == _work_of(citations, 46)  # FRUS series
    assert _work_of(citations, 6) == _work_of(citations, 5)  # letter in Ibid. = the edited collection


def test_letters_belong_to_their_collection(built) -> None:
    works, citations, _ = built
    freeman = _work_of(citations, 47)
    assert {_work_of(citations, n) for n in (48, 49, 50, 62)} == {freeman}
    assert works.filter(pl.col("work_id") == freeman)["work_type"][0] == "archival_collection"
    assert _work_of(citations, 45) == _work_of(citations, 43) == _work_of(citations, 60)


def test_distinct_works_stay_apart(built) -> None:
    _, citations, _ = built
    assert _work_of(citations, 4) != _work_of(citations, 32)  # two books by the same author
    assert _work_of(citations, 29) != _work_of(citations, 33)  # two microfilm publications


def test_work_ids_are_readable_and_stable(paper, built) -> None:
    works, _, _ = built
    assert "fischer-1941-men-and-politics" in set(works["work_id"])
    again, _ = build_works(extract_citations(paper.footnotes, paper.emphasis_spans))
    assert sorted(again["work_id"]) == sorted(works["work_id"])


def test_chicago_rendering() -> None:
    book = {
        "authors": "W. Averell Harriman; Eli Abel",
        "title": "Special Envoy",
        "place": "New York",
        "year": "1975",
    }
    assert (
        render_chicago("book", book) == "Harriman, W. Averell, and Eli Abel. *Special Envoy*. New York, 1975."
    )
    edited = {
        "editors": "Jane Doe",
        "title": "Papers",
        "number_of_volumes": 3,
        "place": "Oxford",
        "year": "1951",
    }
    assert render_chicago("edited_book", edited) == "Doe, Jane, ed. *Papers*. 3 vols. Oxford, 1951."
    interview = {"interviewee": "Ann Lee", "item_date": "1981-03-30/1981-03-31"}
    assert render_chicago("interview", interview) == "Lee, Ann. Interview. 30–31 March 1981."


def test_sentence_links_follow_the_marker(paper, built) -> None:
    _, _, links = built
    note_20 = links.filter(pl.col("footnote_id") == "kennan-op-263:fn20")
    marker_sentence = paper.footnotes.filter(pl.col("number") == 20)["sentence_id"][0]
    assert note_20["sentence_id"].unique().to_list() == [marker_sentence]
    assert note_20.height == 2  # two works cited in note 20
    assert links.filter(pl.col("footnote_id") == "kennan-op-263:fn10").height == 1  # commentary not linked


def test_works_span_documents() -> None:
    notes = ["Ann Lee, *One Book* (Boston, 1990), 4.", "Interview with Bo Ma, 3 May 1999."]
    frames = [markdown_notes_to_frames(doc, notes)[1:] for doc in ("doc-a", "doc-b")]
    citations = pl.concat([extract_citations(f, s) for f, s in frames])
    works, with_ids = build_works(citations)
    assert works.height == 2
    assert set(works["document_count"]) == {2}
    assert with_ids["work_id"].null_count() == 0


def test_bare_locators_cite_no_work_and_are_not_merged_across_papers() -> None:
    notes = [
        "Ann Lee, *One Book* (Boston, 1990), 4.",
        "Vol. i, p. 542.",
        "P. 7 (Washington, 1896).",
        "*Ante*, p. 3.",
    ]
    frames = [markdown_notes_to_frames(doc, notes)[1:] for doc in ("doc-a", "doc-b")]
    citations = pl.concat([extract_citations(f, s) for f, s in frames])
    works, with_ids = build_works(citations)
    assert works.height == 1 and works["title"].to_list() == ["One Book"]
    located = with_ids.filter(pl.col("raw").str.contains(r"^(?:Vol\.|P\. 7|Ante)"))
    assert located.height == 6 and located["work_id"].null_count() == 6


def test_an_authorless_series_cited_by_year_is_a_work_per_year() -> None:
    notes = [
        "*Foreign Relations*, 1910, p. 12.",
        "*Foreign Relations*, 1923, vol. ii, p. 29.",
        "*Foreign Relations*, 1910, p. 40.",
    ]
    _, footnotes, spans = markdown_notes_to_frames("doc-s", notes)
    works, with_ids = build_works(extract_citations(footnotes, spans))
    assert sorted(works["year"].to_list()) == ["1910", "1923"]
    assert with_ids["work_id"].n_unique() == 2


def test_chicago_is_never_empty_and_says_when_it_is_raw(built) -> None:
    works, _, _ = built
    assert works["chicago"].null_count() == 0
    assert (works["chicago"].str.strip_chars() != "").all()
    assert works["chicago_is_raw"].null_count() == 0
    # every work of the committed paper renders from its fields
    assert not works["chicago_is_raw"].any()


def test_a_citation_with_nothing_that_identifies_a_work_cites_none() -> None:
    _, footnotes, spans = markdown_notes_to_frames(
        "doc-r", ["Box 14.", "Ann Lee, *One Book* (Boston, 1990), 4."]
    )
    citations = extract_citations(footnotes, spans)
    box_only = citations.filter(pl.col("footnote_id") == "doc-r:fn01").row(0, named=True)
    assert box_only["reference_type"] == "archival_collection" and box_only["box"] == "14"
    works, with_ids = build_works(citations)
    assert with_ids.filter(pl.col("footnote_id") == "doc-r:fn01")["work_id"].to_list() == [None]
    book = works.row(0, named=True)
    assert works.height == 1
    assert (book["chicago"], book["chicago_is_raw"]) == ("Lee, Ann. *One Book*. Boston, 1990.", False)
    spec = load_table_spec("works")
    validate(spec, conform(spec, works))


def test_a_corpus_merges_each_papers_own_descriptions(paper) -> None:
    """Works over two papers from descriptions made paper by paper equal works made over both at once, and
    a work both papers cite is one work counted in two documents."""
    first = extract_citations(paper.footnotes, paper.emphasis_spans)
    renamed = [pl.col(c).str.replace("^kennan-op-263", "other-paper") for c in ("citation_id", "refers_to")]
    second = first.with_columns(*renamed, pl.lit("other-paper").alias("document_id"))
    both = pl.concat([first, second], how="diagonal_relaxed")
    together, together_ids = build_works(both)
    merged, merged_ids = merge_works([*describe_citations(first), *describe_citations(second)], both)
    assert merged.equals(together) and merged_ids.equals(together_ids)
    alone, _ = build_works(first)
    assert merged["work_id"].to_list() == alone["work_id"].to_list()
    cited_by_both = merged.filter(pl.col("document_count") == 2)
    assert len(cited_by_both) == len(alone) - len(alone.filter(pl.col("citation_count") == 0))
