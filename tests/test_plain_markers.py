"""Footnote markers printed as plain digits (OCR that lost the superscript): small texts written here, and
dev-corpus papers with their superscripts printed as ordinary digits (``evaluation.layout_variants``)."""

from __future__ import annotations

import random

import pytest

from evaluation.corpus_scoring import DEV_CORPUS, paper_value, sample_papers, score_corpus
from evaluation.layout_variants import TRANSFORMS, plain_markers, write_variants
from pipeline.text.clean import clean_document, footnote_problems
from tests.test_ocr_variants import NOTE_TEXTS, numbered_per_page
from tests.test_ocr_variants import REPORT as PRINTED

PAGED = numbered_per_page(PRINTED)  # the other layout tests' report, each page's notes numbered from 1

REPORT = """\
**The Minister in Norway (Lund) to the Secretary of State**

Christiania, *April 2, 1902.*

Sir: The harbour board met on Monday1 and voted the new dues of 1.5 crowns a ton, which 3,500 shipowners
opposed.2 The vote, taken at 5:45 p.m., was close. In 1901.3 The pilots, who had asked for a larger share
in their letter of March 1902,4 were heard on the 4th of April as item B12 of the agenda.

- 1 March 31.
- 2 Their petition was sent by pouch.
- 3 Of the outer harbour.
- 4 Not granted.

I have, etc.,

Lund
"""


def _clean(text: str):
    return clean_document(text, "report", "report.md")


def test_plain_digit_markers_pair_with_their_notes_and_leave_the_text():
    cleaned = _clean(REPORT)
    notes = cleaned.footnotes
    assert footnote_problems(notes) == []
    assert notes["text"].to_list() == NOTE_TEXTS
    assert set(notes["marker_style"]) == {"plain"}
    body = " ".join(cleaned.paragraphs["text"])
    for kept in ("1.5 crowns", "3,500 shipowners", "5:45 p.m.", "In 1901. The pilots", "March 1902, were"):
        assert kept in body
    assert "B12" in body and "Monday and voted" in body and "opposed. The vote" in body


def test_marker_offsets_point_just_after_the_word_they_follow():
    cleaned = _clean(REPORT)
    before = [cleaned.text[offset - 6 : offset] for offset in cleaned.footnotes["marker_offset"]]
    assert before == ["Monday", "posed.", " 1901.", " 1902,"]


def test_a_marker_glued_to_a_year_is_read_when_its_note_answers_it():
    text = REPORT.replace("In 1901.3 The pilots", "The pilots of 19013 came.")
    cleaned = _clean(text)
    assert footnote_problems(cleaned.footnotes) == []
    assert "The pilots of 1901 came." in " ".join(cleaned.paragraphs["text"])


def test_a_marker_that_cannot_be_read_is_reported_by_its_note_with_the_reason():
    text = REPORT.replace("Monday1", "the day of the No. 251")
    problems = footnote_problems(_clean(text).footnotes)
    assert len(problems) == 1
    assert "footnote 1: note on source line" in problems[0] and "plain digits" in problems[0]


def test_digits_with_no_notes_below_are_left_alone():
    text = REPORT.split("\n- 1")[0] + "\n\nI have, etc.,\n"
    cleaned = _clean(text)
    assert cleaned.footnotes.height == 0
    assert "Monday1 and voted" in " ".join(cleaned.paragraphs["text"])


def test_a_paper_with_superscript_markers_is_read_as_printed():
    text = REPORT.replace("Monday1", "Monday¹").replace("opposed.2", "opposed.²")
    notes = _clean(text).footnotes
    assert notes.filter(notes["number"] <= 2)["marker_style"].to_list() == ["superscript", "superscript"]
    assert notes.filter(notes["number"] > 2)["status"].to_list() == ["note_without_marker"] * 2


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/dev-corpus is absent")
def test_dev_corpus_papers_printed_with_plain_markers_keep_their_notes(tmp_path):
    """Most papers read exactly as with superscripts; a paper whose marker is glued to a number ("No. 25" +
    "1") is left out with a report naming that note, never built with a wrong pairing."""
    papers = sample_papers(DEV_CORPUS, 4)
    originals = {paper.name: paper for paper in score_corpus(DEV_CORPUS, papers)}
    variants = score_corpus(write_variants(papers, TRANSFORMS["plain_markers"], tmp_path / "plain", seed=3))
    built = [paper for paper in variants if not paper.left_out]
    assert len(built) >= 0.8 * len(variants)
    for paper in built:
        for measure in ("paragraphs", "footnotes", "links"):
            assert paper_value(paper, measure) == paper_value(originals[paper.name], measure), (
                paper.name,
                measure,
            )
    for paper in variants:
        if paper.left_out:
            assert "footnote" in paper.left_out, paper.name


def test_plain_markers_numbered_afresh_on_each_page_are_read_page_by_page():
    paged = plain_markers(PAGED, random.Random(0))
    cleaned = _clean(paged)
    assert footnote_problems(cleaned.footnotes) == []
    assert cleaned.footnotes["text"].to_list() == NOTE_TEXTS
    assert set(cleaned.footnotes["marker_style"]) == {"plain"}
    assert "heard the pilots, who asked" in " ".join(cleaned.paragraphs["text"])
