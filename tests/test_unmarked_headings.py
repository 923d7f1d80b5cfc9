"""Headings of papers printed without heading markup (a plain-text OCR export): small texts written here
in the layouts of a documents volume and of a prose chapter, and dev-corpus papers with their bold and italics
removed by ``evaluation.layout_variants``. Names and events are invented."""

from __future__ import annotations

import statistics

import pytest

from evaluation.corpus_scoring import DEV_CORPUS, paper_value, sample_papers, score_corpus
from evaluation.layout_variants import TRANSFORMS, write_variants
from pipeline.extract.correspondence import find_source_documents
from pipeline.text.clean import clean_document

VOLUME = """\
Norland:

Dispute over the harbour dues at Vessby

811.512/40: Telegram

The Minister in Norland (Lund) to the Secretary of State

Vessby, April 2, 1902—4 p.m. [Received April 3—9 a.m.]

12. The harbour board met on Monday and voted the new dues, which the shipowners opposed. The vote was close.

Lund

811.512/41: Instruction

The Secretary of State to the Minister in Norland (Lund)

Washington, April 5, 1902.

Sir: Your telegram of April 2 has been received. You will inform the board that the dues are under study.

I am, etc.,

John Hale.

811.512/52

Mr. Lund to Mr. Hale.

Legation of the United States, Vessby, April 20, 1902.

No. 77.]

Sir: The board has withdrawn the dues. I have, etc.,

Lund.
"""

CHAPTER = """\
Chapter 4: Harbours and Their Keepers, 1890–1910

Early Disputes

The first quarrels over harbour dues began in the 1890s, when the boards of the northern ports raised their \
charges without warning. Shipowners petitioned the ministry, and the ministry referred the matter to a \
commission that met twice and then adjourned for a year. Nothing came of it.

The Commission of 1902

When the commission met again, its members had changed. The new chairman, a former pilot, wanted the dues \
lowered for small vessels and raised for steamers, and he brought figures from every port of the coast to \
show that the small vessels paid more than their share.
"""

TREATY = """\
The Minister in Norland (Lund) to the Secretary of State

Vessby, May 1, 1902.

Sir: I have the honor to transmit the text of the convention signed to-day. It reads as follows in \
translation, and its articles are those the Department approved in its instruction of March last.

Article I

The dues of the port of Vessby shall be the same for the vessels of both countries, whatever their cargo, \
and no higher dues shall be charged on vessels arriving in ballast than on those arriving with cargo.

Article II

The present convention shall come into force on the day of its signature and remain in force for ten years \
unless either party gives notice of its end.
"""


def _kinds(text: str) -> list[tuple[str, str]]:
    paragraphs = clean_document(text, "plain", "plain.md").paragraphs
    return list(zip(paragraphs["block_kind"], paragraphs["text"], strict=True))


def _kind_of(text: str, block: str) -> str:
    return next(kind for kind, body in _kinds(text) if body == block)


def test_a_documents_volume_without_markup_has_its_headings_datelines_and_signatures():
    kinds = _kinds(VOLUME)
    headings = [body for kind, body in kinds if kind == "heading"]
    assert headings == [
        "Norland:",
        "Dispute over the harbour dues at Vessby",
        "The Minister in Norland (Lund) to the Secretary of State",
        "The Secretary of State to the Minister in Norland (Lund)",
        "Mr. Lund to Mr. Hale.",
    ]
    assert next(body for kind, body in kinds if kind == "dateline").startswith("Vessby, April 2, 1902")
    assert [body for kind, body in kinds if kind == "closer"] == ["Lund", "John Hale.", "Lund."]


def test_the_documents_of_a_volume_without_markup_get_their_senders_and_recipients():
    cleaned = clean_document(VOLUME, "plain", "plain.md")
    documents = find_source_documents(cleaned.paragraphs, "plain").to_dicts()
    parties = [
        (d["sender_name"] or d["sender_office"], d["recipient_name"] or d["recipient_office"])
        for d in documents
    ]
    assert parties == [("Lund", "Secretary of State"), ("Secretary of State", "Lund"), ("Lund", "Hale")]
    assert [d["date_sent"][:10] for d in documents] == ["1902-04-02", "1902-04-05", "1902-04-20"]


def test_a_prose_chapter_without_markup_has_its_title_and_section_headings():
    headings = [body for kind, body in _kinds(CHAPTER) if kind == "heading"]
    assert headings == [
        "Chapter 4: Harbours and Their Keepers, 1890–1910",
        "Early Disputes",
        "The Commission of 1902",
    ]


def test_article_labels_inside_a_document_stay_text():
    assert _kind_of(TREATY, "The Minister in Norland (Lund) to the Secretary of State") == "heading"
    assert _kind_of(TREATY, "Article I") != "heading"
    assert _kind_of(TREATY, "Article II") != "heading"


def test_a_paper_that_marks_its_headings_keeps_the_markups_word():
    marked = VOLUME.replace("Norland:\n", "**Norland:**\n", 1)
    kinds = dict((body, kind) for kind, body in _kinds(marked))
    assert kinds["Norland:"] == "heading"
    assert kinds["The Minister in Norland (Lund) to the Secretary of State"] == "p"


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/dev-corpus is absent")
def test_dev_corpus_papers_without_bold_or_italics_keep_their_notes_and_nearly_all_their_frame(tmp_path):
    papers = sample_papers(DEV_CORPUS, 2)
    originals = score_corpus(DEV_CORPUS, papers)
    variants = score_corpus(write_variants(papers, TRANSFORMS["plain_text"], tmp_path / "plain", seed=3))
    assert [paper.name for paper in variants if paper.left_out] == []
    for measure, loss in (("footnotes", 0.0), ("links", 0.01), ("paragraphs", 0.02), ("frame kinds", 0.08)):
        before = statistics.fmean(v for p in originals if (v := paper_value(p, measure)) is not None)
        after = statistics.fmean(v for p in variants if (v := paper_value(p, measure)) is not None)
        assert after >= before - loss, (measure, before, after)
    headings = [paper.scores.kinds["heading"] for paper in variants if "heading" in paper.scores.kinds]
    # The compilations of 1901 head documents with sentences ("Cablegram from ..., received by ...").
    found = sum(c.found for c in headings)
    assert found >= 0.8 * sum(c.expected for c in headings)
    assert found >= 0.95 * sum(c.predicted for c in headings)
