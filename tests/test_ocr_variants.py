"""The text layer on OCR that differs from the dev corpus's layout: invisible characters, specks of dirt,
labels that lost their space or end in a parenthesis, hard-wrapped notes, notes gathered at the end or
numbered afresh on each page, and a note OCR missed. Small texts written here, and the dev corpus rewritten by
``evaluation.layout_variants``."""

from __future__ import annotations

import random
import statistics

import pytest

from evaluation.corpus_scoring import DEV_CORPUS, paper_value, sample_papers, score_corpus
from evaluation.layout_variants import TRANSFORMS, lost_note, write_variants
from pipeline.text.clean import clean_document, footnote_problems

REPORT = """\
**The Minister in Norway (Lund) to the Secretary of State**

Christiania, *April 2, 1902.*

Sir: The harbour board met on Monday¹ and voted the new dues, which the shipowners opposed.² The vote

- 1 March 31.
- 2 Their petition was sent by pouch.

was close. The board also heard the pilots,³ who asked for a larger share of the dues.⁴

- 3 Of the outer harbour.
- 4 Not granted.

I have, etc.,

Lund
"""

NOTE_TEXTS = ["March 31.", "Their petition was sent by pouch.", "Of the outer harbour.", "Not granted."]

PARAGRAPH = (
    "Sir: The harbour board met on Monday and voted the new dues, which the shipowners opposed. "
    "The vote was close. The board also heard the pilots, who asked for a larger share of the dues."
)


def _clean(text: str):
    return clean_document(text, "report", "report.md")


def _body(text: str) -> list[str]:
    return _clean(text).paragraphs["text"].to_list()


def _notes(text: str) -> dict[int, str]:
    notes = _clean(text).footnotes
    return dict(zip(notes["number"], notes["text"], strict=True))


def test_the_report_as_printed_reads_one_paragraph_and_four_notes():
    assert PARAGRAPH in _body(REPORT)
    assert _notes(REPORT) == dict(enumerate(NOTE_TEXTS, start=1))


def test_invisible_characters_do_not_split_words_or_labels():
    text = "\ufeff" + REPORT.replace("harbour board", "har\u200bbour\u00a0board").replace(
        "- 3 Of", "- 3\u200b Of"
    )
    wrapped = text.replace("shipowners opposed.", "shipown\u00ad\ners opposed.")
    body = _body(wrapped)
    assert any("harbour board met" in paragraph and "shipowners opposed" in paragraph for paragraph in body)
    assert _notes(wrapped)[3] == "Of the outer harbour."
    assert footnote_problems(_clean(wrapped).footnotes) == []


def test_a_speck_on_its_own_line_is_not_text_and_does_not_hide_the_notes_below_it():
    specked = REPORT.replace("\n- 3 Of", "\n|\n- 3 Of").replace("\nI have, etc.", "\n•\nI have, etc.")
    assert PARAGRAPH in _body(specked)
    assert len(_notes(specked)) == 4
    assert "I have, etc.," in _body(specked)


def _paged(folios: list[str], head: str) -> str:
    """Four pages of one long paragraph, each page's folio (and the head on the first two) after its note."""
    pages = [
        ("The board met in March and heard the harbour master's report on the", "1 Minutes, fol. 3."),
        ("winter's ice, which had closed the port for six weeks,² and then the", "2 Log of the port."),
        ("pilots' petition for higher dues,³ which it sent on to the ministry with", "3 Petition of May 2."),
        ("its own opinion that the dues should stay as they were.⁴", "4 Opinion of May 9."),
    ]
    text = "**Harbour Board**\n\n"
    for number, ((body, note), folio) in enumerate(zip(pages, folios, strict=True), start=1):
        marker = "¹" if number == 1 else ""
        text += f"{body}{marker}\n\n- {note}\n\n{folio}\n\n" + (f"{head}\n\n" if number < 3 else "")
    return text


def test_folios_and_running_heads_are_not_text_and_the_paragraph_runs_across_them():
    for folios in (
        ["14", "15", "16", "17"],
        ["— 8 —", "— 9 —", "— 10 —", "— 11 —"],
        ["[3]", "[4]", "[6]", "[7]"],
    ):
        body = _body(_paged(folios, "FOREIGN RELATIONS, 1921"))
        assert body[1].startswith("The board met in March") and body[1].endswith("stay as they were.")
        assert len(body) == 2, folios


def test_a_number_on_its_own_line_is_text_unless_it_belongs_to_a_run_of_folios():
    text = "**Despatch**\n\nLondon, *April 3, 1917*.\n\n710\n\nDear Mr. Ambassador: I have returned.\n"
    assert "710" in _body(text)
    two = " | ".join(_body(_paged(["14", "15", "Sir:", "Sir:"], "HEAD")))
    assert "the 14" in two and "the 15" in two and "HEAD" in two


def test_a_note_label_that_lost_its_space_is_still_a_note():
    assert _notes(REPORT.replace("- 2 Their", "-2 Their"))[2] == "Their petition was sent by pouch."


def test_notes_labelled_with_a_closing_parenthesis_pair_and_a_clause_label_stays_text():
    text = REPORT.replace("- ", "").replace("1 March", "1) March").replace("2 Their", "2) Their")
    text = text.replace("3 Of", "3) Of").replace("4 Not", "4) Not")
    text = text.replace("I have, etc.,", "(1) The dues.\n\n(2) The pilots.\n\nI have, etc.,")
    cleaned = _clean(text)
    assert footnote_problems(cleaned.footnotes) == []
    assert set(cleaned.footnotes["note_style"]) == {"number_paren"}
    assert _notes(text)[4] == "Not granted."
    assert "(1) The dues." in _body(text)


def test_emphasis_opening_a_numbered_heading_is_not_a_note_label():
    text = "**Trade**\n\n*1. Exports*\n\nThe exports fell.¹\n\n- 1 By a third.\n"
    cleaned = _clean(text)
    assert "1. Exports" in cleaned.paragraphs["text"].to_list()
    assert cleaned.footnotes["text"].to_list() == ["By a third."]


def test_a_hard_wrapped_note_may_continue_on_a_line_that_starts_with_a_number():
    wrapped = REPORT.replace(
        "- 2 Their petition was sent by pouch.", "- 2 Their petition was sent on\n1 May."
    )
    assert _notes(wrapped)[2] == "Their petition was sent on 1 May."
    assert footnote_problems(_clean(wrapped).footnotes) == []


def test_a_wrapped_note_line_starting_with_a_later_notes_number_does_not_make_the_notes_a_list():
    """ "... arrive on | 3 or 4 May" inside note 1, while a marker further down calls note 3: the block is
    still the page's notes, not a numbered list calling note 3 before its marker."""
    wrapped = REPORT.replace("- 1 March 31.", "- 1 March 31; the pilots arrive on\n3 or 4 April.")
    cleaned = _clean(wrapped)
    assert footnote_problems(cleaned.footnotes) == []
    first = "March 31; the pilots arrive on 3 or 4 April."
    assert cleaned.footnotes["text"].to_list() == [first, *NOTE_TEXTS[1:]]


def test_a_wrapped_note_line_that_starts_with_a_clock_time_is_not_the_next_note():
    """ "received April 1, | 2 a.m." when note 2 comes next: the hour goes on with note 1."""
    wrapped = REPORT.replace("- 1 March 31.", "- 1 March 31; received April 1,\n2 a.m.")
    cleaned = _clean(wrapped)
    assert footnote_problems(cleaned.footnotes) == []
    assert cleaned.footnotes["text"].to_list() == ["March 31; received April 1, 2 a.m.", *NOTE_TEXTS[1:]]


def test_a_note_ocr_missed_is_reported_alone_and_the_notes_after_it_still_pair():
    missing = REPORT.replace("- 3 Of the outer harbour.\n", "")
    cleaned = _clean(missing)
    problems = footnote_problems(cleaned.footnotes)
    assert len(problems) == 1 and "footnote 3: marker on source line" in problems[0]
    assert _notes(missing)[4] == "Not granted."


def test_notes_gathered_at_the_end_pair_with_their_markers_and_numbered_clauses_stay_text():
    text = (
        "**Convention between the Republic and the Kingdom**¹\n\n"
        "The parties agree as follows:\n\n"
        "1 Vessels of either party may enter the ports of the other.\n\n"
        "2 Dues shall be those paid by national vessels.²\n\n"
        "Done at Lisbon, May 3, 1911.\n\n"
        "Notes\n\n"
        "1 Ratified by both parties in 1912.\n"
        "2 The dues were fixed in a schedule, not printed.\n"
    )
    cleaned = _clean(text)
    assert _notes(text) == {
        1: "Ratified by both parties in 1912.",
        2: "The dues were fixed in a schedule, not printed.",
    }
    body = cleaned.paragraphs["text"].to_list()
    assert "1 Vessels of either party may enter the ports of the other." in body
    assert not any(paragraph.startswith("Notes") for paragraph in body)
    assert footnote_problems(cleaned.footnotes) == []


def numbered_per_page(text: str) -> str:
    """The report with its second page's notes numbered from 1, as many books print them."""
    for old, new in (("³", "¹"), ("⁴", "²"), ("- 3 Of", "- 1 Of"), ("- 4 Not", "- 2 Not")):
        text = text.replace(old, new)
    return text


def test_notes_numbered_afresh_on_each_page_pair_with_the_markers_of_their_page():
    cleaned = _clean(numbered_per_page(REPORT))
    assert footnote_problems(cleaned.footnotes) == []
    assert cleaned.footnotes["text"].to_list() == NOTE_TEXTS
    assert PARAGRAPH in cleaned.paragraphs["text"].to_list()
    offsets = cleaned.footnotes["marker_offset"].to_list()
    assert offsets == sorted(offsets) and len(set(offsets)) == 4


def test_a_numbered_list_under_the_markers_is_not_taken_for_a_page_of_notes():
    listed = numbered_per_page(REPORT).replace(
        "\n\n- 1 March 31.",
        "\n\n1. The harbour dues.\n\n2. The pilots' dues.\n\n3. The light dues.\n\n- 1 March 31.",
    )
    cleaned = _clean(listed)
    assert footnote_problems(cleaned.footnotes) == []
    assert cleaned.footnotes["text"].to_list()[0] == "March 31."
    assert "2. The pilots' dues." in cleaned.paragraphs["text"].to_list()


def test_a_wrapped_line_starting_with_a_number_neither_ends_a_page_of_notes_nor_opens_one():
    """Hard-wrapped pages numbered afresh: "7 weeks" continues the note above it, and "1 hour", a body line
    under a marker 1, is not the page's notes (those open a block)."""
    wrapped = (
        numbered_per_page(REPORT)
        .replace("- 1 March 31.", "- 1 March 31, after\n7 weeks of talks.")
        .replace("opposed.²", "opposed.²\n1 hour was given to them.")
    )
    cleaned = _clean(wrapped)
    assert footnote_problems(cleaned.footnotes) == []
    assert cleaned.footnotes["text"].to_list() == ["March 31, after 7 weeks of talks.", *NOTE_TEXTS[1:]]
    assert any("1 hour was given to them." in paragraph for paragraph in cleaned.paragraphs["text"])


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/dev-corpus is absent")
@pytest.mark.parametrize(
    "transform", sorted(set(TRANSFORMS) - {"page_furniture", "endnotes", "plain_markers", "plain_text"})
)
def test_dev_corpus_papers_rewritten_in_another_layout_still_build_and_score(transform, tmp_path):
    papers = sample_papers(DEV_CORPUS, 2)
    originals = {paper.name: paper for paper in score_corpus(DEV_CORPUS, papers)}
    variants = score_corpus(write_variants(papers, TRANSFORMS[transform], tmp_path / transform, seed=3))
    assert [paper.name for paper in variants if paper.left_out] == []
    for paper in variants:
        for measure in ("paragraphs", "footnotes", "links"):
            assert paper_value(paper, measure) == paper_value(originals[paper.name], measure), (
                paper.name,
                measure,
            )


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/dev-corpus is absent")
@pytest.mark.parametrize("transform", ["page_furniture", "endnotes"])
def test_dev_corpus_papers_printed_with_folios_or_endnotes_lose_little(transform, tmp_path):
    """Folios and running heads, or notes moved to the end, take away the page breaks' evidence: a paragraph
    split by a page break may stay split, but no paper is left out and no note is lost."""
    papers = sample_papers(DEV_CORPUS, 2)
    originals = score_corpus(DEV_CORPUS, papers)
    variants = score_corpus(write_variants(papers, TRANSFORMS[transform], tmp_path / transform, seed=3))
    assert [paper.name for paper in variants if paper.left_out] == []
    for measure in ("paragraphs", "footnotes", "links"):
        before = statistics.fmean(v for p in originals if (v := paper_value(p, measure)) is not None)
        after = statistics.fmean(v for p in variants if (v := paper_value(p, measure)) is not None)
        assert after >= before - 0.02, measure


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/dev-corpus is absent")
def test_dev_corpus_papers_with_one_note_lost_report_only_that_note():
    changed = 0
    for path in sample_papers(DEV_CORPUS, 3):
        text = path.read_text(encoding="utf-8")
        variant = lost_note(text, random.Random(path.stem))
        if variant != text:
            changed += 1
            assert len(footnote_problems(clean_document(variant, path.stem, path.name).footnotes)) == 1, (
                path.stem
            )
    assert changed >= 10
