"""The text layer on other layouts: small texts written here by hand, and the dev papers against gold."""

from __future__ import annotations

import polars as pl
import pytest

from evaluation.text_scoring import DEV_PAPERS, score_dev_papers, totals
from pipeline.text.clean import clean_document, footnote_problems
from pipeline.text.documents import document_metadata
from pipeline.text.ingest import SourceDocument

TELEGRAM = """\
**The Consul at Bergen (Hansen) to the Secretary of State**

File No. 123.45/6

[Telegram]

Oslo, *March 3, 1921, 4 p.m.* [*Received March 4, 9 a.m.*]

8812. Following for Berg¹ or Dahl²: ship cargo held at port pending instructions from the ministry.

Hansen

- 1 Trade adviser at the Legation.
- 2 Not identified.
"""

LETTER = """\
# Letter on the grain loans

Agnes Moller

No. 412

Sir:

I have the honour to report the proposals that the committee adopted at its meeting of the fourth:

(a) That the loan be repaid in grain, at prices fixed each autumn by the joint commission of the two

governments, within two years of the first delivery.

(b) That no interest be charged.

I have the honour to be, Sir, your obedient servant,

Agnes Moller
"""

PAGE_BREAK = """\
Terms of the Loan

The committee met in the spring of 1920 and decided, after a long debate that lasted into the night,¹ that the

- 1 Minutes of the committee, box 4.

loan would be repaid in grain. The three options it weighed were these:

1. Use the old notes;

2. Use foreign notes;

3. Print new notes.

In the hearing on the estimates, the following exchange took place before the committee:

The CHAIRMAN. When will the volume be printed?

Mr. HOLM. Next year, we hope.
"""


def _clean(text: str):
    return clean_document(text, "layout-test", "layout-test.md")


def _kinds(doc) -> list[tuple[str, str]]:
    return list(zip(doc.paragraphs["block_kind"], doc.paragraphs["text"], strict=True))


def test_telegram_blocks_are_kept_apart_and_a_numbered_paragraph_keeps_its_markers():
    doc = _clean(TELEGRAM)
    assert _kinds(doc) == [
        ("heading", "The Consul at Bergen (Hansen) to the Secretary of State"),
        ("source_note", "File No. 123.45/6"),
        ("opener", "[Telegram]"),
        ("dateline", "Oslo, March 3, 1921, 4 p.m. [Received March 4, 9 a.m.]"),
        (
            "p",
            "8812. Following for Berg or Dahl: ship cargo held at port pending instructions from the "
            "ministry.",
        ),
        ("closer", "Hansen"),
    ]
    assert footnote_problems(doc.footnotes) == []
    body = doc.paragraphs.row(4, named=True)
    assert doc.footnotes["paragraph_id"].to_list() == [body["paragraph_id"]] * 2
    assert doc.footnotes["text"].to_list() == ["Trade adviser at the Legation.", "Not identified."]


def test_letter_byline_opener_list_items_and_signature():
    doc = _clean(LETTER)
    assert [kind for kind, _ in _kinds(doc)] == [
        "heading",
        "byline",
        "opener",
        "opener",
        "p",
        "list_item",
        "list_item",
        "p",
        "closer",
    ]
    assert doc.paragraphs["text"][0] == "Letter on the grain loans"  # the hashes are markup
    item = doc.paragraphs.filter(pl.col("text").str.starts_with("(a)")).row(0, named=True)
    assert item["text"].endswith(
        "joint commission of the two governments, within two years of the first delivery."
    )
    assert item["joined_across_page_break"]


def test_page_break_rejoined_while_headings_lists_and_dialogue_stay_apart():
    doc = _clean(PAGE_BREAK)
    assert _kinds(doc) == [
        ("heading", "Terms of the Loan"),  # a title line over the text, without markup
        (
            "p",
            "The committee met in the spring of 1920 and decided, after a long debate that lasted into the "
            "night, that the loan would be repaid in grain. The three options it weighed were these:",
        ),
        ("list_item", "1. Use the old notes;"),
        ("list_item", "2. Use foreign notes;"),
        ("list_item", "3. Print new notes."),
        ("p", "In the hearing on the estimates, the following exchange took place before the committee:"),
        ("quote", "The CHAIRMAN. When will the volume be printed?"),
        ("quote", "Mr. HOLM. Next year, we hope."),
    ]
    assert doc.footnotes["number"].to_list() == [1]
    assert doc.footnotes["paragraph_id"][0] == doc.paragraphs["paragraph_id"][1]


@pytest.fixture(scope="module")
def dev_scores():
    if not DEV_PAPERS.is_dir():
        pytest.skip("the development papers live in ../shared/dev-papers")
    return score_dev_papers(DEV_PAPERS)


def test_dev_papers_meet_the_text_targets(dev_scores):
    total = totals(dev_scores)
    assert len(dev_scores) == 8
    assert total.paragraphs.precision >= 0.97 and total.paragraphs.recall >= 0.97
    assert total.footnotes.precision == 1.0 and total.footnotes.recall == 1.0
    assert total.links.found == total.links.expected == 227
    for kind in ("heading", "source_note", "opener", "dateline", "closer", "byline"):
        assert total.kinds[kind].precision >= 0.97 and total.kinds[kind].recall >= 0.97, kind


def test_every_dev_paper_pairs_all_its_notes(dev_scores):
    for paper in dev_scores:
        assert paper.footnotes.found == paper.footnotes.expected, paper.name
        assert paper.paragraphs.recall >= 0.9, paper.name


def _metadata(text: str) -> tuple[dict, list[str]]:
    source = SourceDocument("layout-test", "raw/layout-test.md", text, "0" * 64)
    return document_metadata(source, _clean(text))


def test_metadata_from_a_heading_a_byline_of_two_authors_and_a_date_line():
    text = (
        "# The Grain Loans of 1921\n\nby Agnes Moller and Per Holm\n\nMarch 1998\n\n"
        "The committee met in the spring of 1921 and argued about the loans.¹\n\n1 Minutes, box 4.\n"
    )
    metadata, missing = _metadata(text)
    assert (metadata["title"], metadata["author"], metadata["date_published"]) == (
        "The Grain Loans of 1921",
        "Agnes Moller; Per Holm",
        "1998-03",
    )
    assert missing == ["series", "publisher", "copyright", "language"]


def test_metadata_from_a_bold_chapter_heading_and_a_bare_byline():
    text = (
        "**Chapter 4: Ports and Railways, 1919–1922**\n\nIngrid Dahl\n\n"
        "The ports were closed for most of the winter, and the railways ran two trains a week.\n"
    )
    metadata, missing = _metadata(text)
    assert (metadata["title"], metadata["author"]) == (
        "Chapter 4: Ports and Railways, 1919–1922",
        "Ingrid Dahl",
    )
    assert "date_published" in missing and "author" not in missing
    doc = _clean(text)
    assert doc.paragraphs["block_kind"].to_list() == ["heading", "byline", "p"]


def test_metadata_of_a_document_run_takes_the_section_heading_as_subtitle_and_reports_no_author():
    metadata, missing = _metadata(TELEGRAM.replace("**The Consul", "**Chapter VI. Relief**\n\n**The Consul"))
    assert metadata["title"] == "Chapter VI. Relief — The Consul at Bergen (Hansen) to the Secretary of State"
    assert metadata["author"] is None and "author" in missing
    assert metadata["series_number"] is None


def test_bulleted_and_quoted_phrase_lists_are_list_items():
    text = (
        "The commission proposed a range of options, each argued at length over the winter, including:\n\n"
        "“cut the print run,”\n\n“delay the index,” and\n\n“drop the maps.”\n\n"
        "None of them was adopted, and the volumes went on as before for another decade.\n\n"
        "- a bulleted point the printer kept\n"
    )
    assert [kind for kind, _ in _kinds(_clean(text))] == [
        "p",
        "list_item",
        "list_item",
        "list_item",
        "p",
        "list_item",
    ]


def test_undated_dateline_heads_a_document_and_a_date_at_its_foot_is_text():
    text = (
        "**The Consul at Riga (Lund) to the Secretary of State**\n\n[Telegram]\n\n"
        "Riga, undated. [Received March 9, 1921, 2 p.m.]\n\n"
        "Harbour frozen; the steamers wait at the outer roads until the ice breaks up in April.\n\n"
        "Lund\n\n**Memorandum by the Trade Adviser**\n\n"
        "The cargo of flour may be landed at the free port without duty, as last year's treaty allows.\n\n"
        "Washington, *March 12, 1921.*\n"
    )
    assert [kind for kind, _ in _kinds(_clean(text))] == [
        "heading",
        "opener",
        "dateline",
        "p",
        "closer",
        "heading",
        "p",
        "p",
    ]


def test_a_block_starting_in_lower_case_after_a_colon_is_the_quotation_that_completes_it():
    doc = _clean(
        "The minister put the terms in one sentence:\n\n"
        "that the loan be repaid in grain within two years of the first delivery, at the autumn price.\n\n"
        "The committee accepted them.\n"
    )
    assert _kinds(doc) == [
        ("p", "The minister put the terms in one sentence:"),
        (
            "quote",
            "that the loan be repaid in grain within two years of the first delivery, at the autumn price.",
        ),
        ("p", "The committee accepted them."),
    ]
