"""Cleaning on the committed paper and on small texts in other OCR layouts (hand-checked expectations)."""

from __future__ import annotations

import re

import polars as pl
import pytest

from pipeline.text.clean import clean_document, footnote_problems
from pipeline.text.ingest import InputError


def _sentence_with(doc, needle: str) -> dict:
    rows = doc.sentences.filter(pl.col("text").str.contains(needle, literal=True)).to_dicts()
    assert len(rows) == 1, f"{needle!r} is in {len(rows)} sentences"
    return rows[0]


def test_front_matter_becomes_metadata(paper):
    fm = paper.front_matter
    assert fm["title"] == "Maxim M. Litvinov and Soviet-American Relations, 1918–1946"
    assert fm["author"] == "Hugh Phillips"
    assert fm["series_number"] == "263"
    assert fm["date_published"] == "1996-06"
    assert fm["editor"] == "Kate Moore"
    assert fm["copyright"].startswith("©June 1996 Woodrow Wilson")
    assert paper.text.startswith("When historians consider the history of Soviet-American relations")


def test_every_marker_pairs_with_one_note(paper):
    notes = paper.footnotes
    assert notes["number"].to_list() == list(range(1, 65))
    assert set(notes["status"]) == {"ok"}
    assert footnote_problems(notes) == []
    styles = dict(zip(notes["number"], notes["note_style"], strict=True))
    assert {styles[n] for n in range(1, 7)} == {"dash_number"}
    assert {styles[n] for n in range(7, 65)} == {"number"}


def test_offsets_point_into_the_published_text(paper):
    for table in (paper.paragraphs, paper.sentences, paper.footnotes, paper.emphasis_spans):
        for row in table.iter_rows(named=True):
            assert paper.text[row["char_start"] : row["char_end"]] == row["text"]
    assert paper.text[: paper.body_char_end].endswith(
        "“We won the war but lost the peace.”".replace("“", '"').replace("”", '"')
    )


def test_markup_is_gone_from_the_text(paper):
    assert not re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹*]", paper.text)
    assert "U.S. $75 million" in paper.text  # "\$" unescaped
    italic = set(paper.emphasis_spans.filter(pl.col("footnote_id").is_null())["text"])
    assert {"realpolitik", "New York Times", "Zvezda", "lebensraum"} <= italic
    note_titles = paper.emphasis_spans.filter(pl.col("footnote_id") == "kennan-op-263:fn01")["text"].to_list()
    assert note_titles == ["Stalin’s Drive to the West, 1938–1945: The Origins of the Cold War"]


def test_paragraphs_split_by_page_breaks_are_joined(paper):
    joined = paper.paragraphs.filter(pl.col("text").str.contains("his diplomatic career Litvinov understood"))
    assert joined.height == 1 and joined["joined_across_page_break"][0]
    # The continuation starts with a capital ("Carter") but the first piece ends mid-sentence.
    assert (
        paper.paragraphs.filter(
            pl.col("text").str.contains("But Litvinov told Edward Carter, an American")
        ).height
        == 1
    )
    assert paper.paragraphs.filter(pl.col("text").str.contains("Was I the right person to sign")).height == 1
    assert paper.paragraphs.height == 43


def test_markers_are_located_in_their_sentences(paper):
    raack = _sentence_with(paper, "R.C. Raack paints a convincing portrait")
    assert raack["text"].endswith("fostering world revolution.")
    fn1 = paper.footnotes.row(0, named=True)
    assert fn1["sentence_id"] == raack["sentence_id"]
    assert fn1["marker_offset"] == raack["char_end"]
    fn22 = paper.footnotes.filter(pl.col("number") == 22).row(0, named=True)
    assert paper.text[: fn22["marker_offset"]].endswith("gain acceptance of this proposal,")
    assert fn22["sentence_id"] == _sentence_with(paper, "Lenin used all his persuasive powers")["sentence_id"]


def test_sentences_respect_initials_and_abbreviations(paper):
    assert _sentence_with(paper, "Thus in March 1919 William C. Bullitt")["text"].endswith(
        "Litvinov and Chicherin."
    )
    assert _sentence_with(paper, "He arrived in Washington, D.C. as Japanese bombs")
    bush = _sentence_with(paper, "president of the New York Chamber of Commerce")
    assert bush["text"].endswith("a Mr. Bush.")


BRACKET_ENDNOTES = """\
**A Short Paper on Trade
by Ann Author**

©1999 Example Institute

The committee met three times.[1] Its members disagreed on two points:

1. tariffs on grain;
2. the gold standard.

1944 was a turning point for the inter-
national order.[2]

## Notes

[1] A. Smith, *Trade and Power* (London: 1990), 12.
[2] Ibid., 14.
"""


def test_bracket_markers_and_endnotes_leave_lists_and_years_alone():
    doc = clean_document(BRACKET_ENDNOTES, "test-bracket", "bracket.md")
    assert doc.footnotes["number"].to_list() == [1, 2]
    assert set(doc.footnotes["note_style"]) == {"bracket"}
    assert set(doc.footnotes["marker_style"]) == {"bracket"}
    body = doc.text[: doc.body_char_end]
    assert "1. tariffs on grain; 2. the gold standard." in body
    assert "1944 was a turning point for the international order." in body
    assert "Notes" not in body
    assert (
        doc.footnotes.filter(pl.col("number") == 1)["text"][0]
        == "A. Smith, Trade and Power (London: 1990), 12."
    )
    assert doc.front_matter["title"] == "A Short Paper on Trade"
    assert doc.front_matter["date_published"] == "1999"


CARET_AND_SUP = """\
# Working Paper

The treaty was signed in 1922.^1 A well-known critic disagreed<sup>2</sup> and wrote at
length about it.[^3]

Later the well-
known critic recanted.

1. First note.
2. Second note,
continued on a second line.
[^3]: Third note.
"""


def test_caret_sup_and_markdown_footnotes():
    doc = clean_document(CARET_AND_SUP, "test-caret", "caret.md", body_start_line=3)
    rows = doc.footnotes.sort("number").to_dicts()
    assert [r["marker_style"] for r in rows] == ["caret", "sup_tag", "caret_bracket"]
    assert [r["note_style"] for r in rows] == ["number_dot", "number_dot", "caret_bracket"]
    assert rows[1]["text"] == "Second note, continued on a second line."
    body = doc.text[: doc.body_char_end]
    assert "disagreed and wrote at length about it." in body
    # "well-known" occurs hyphenated elsewhere, so the line-end hyphen is kept.
    assert "Later the well-known critic recanted." in body


def test_unpaired_markers_and_notes_are_reported_by_number():
    text = "Body text one.¹ Body text two.³\n\n1 First note.\n2 Second note.\n"
    doc = clean_document(text, "test-orphans", "orphans.md")
    problems = footnote_problems(doc.footnotes, doc.note_decisions)
    assert problems == [
        "test-orphans: footnote 2: note on source line 4 has no marker in the body (test-orphans:fn02)",
        "test-orphans: footnote 3: marker on source line 1 has no note (test-orphans:fn03)",
    ]


def test_a_failing_paper_names_the_line_its_note_decision_rested_on():
    # "3 Third." stands in a block of its own after the notes, and no marker calls note 3: body text.
    text = "Body text one.¹ Body text two.²\n\n1 First note.\n\n3 Third.\n\nMore text.⁴\n"
    doc = clean_document(text, "test-why", "why.md")
    assert footnote_problems(doc.footnotes, doc.note_decisions) == [
        "test-why: footnote numbering skips 3 (no marker and no note); line 5 looks like note 3 but was read "
        "as body: its number 3 skips note 2, which a marker above calls",
        "test-why: footnote 2: marker on source line 1 has no note (test-why:fn02)",
        "test-why: footnote 4: marker on source line 7 has no note (test-why:fn04)",
    ]
    assert "3 Third." in doc.paragraphs["text"].to_list()


def test_numbering_gap_is_reported():
    text = "One.¹ Two.³\n\n1 First.\n\n3 Third.\n"
    problems = footnote_problems(clean_document(text, "test-gap", "gap.md").footnotes)
    assert problems == ["test-gap: footnote numbering skips 2 (no marker and no note)"]


def test_duplicate_note_is_an_error_naming_file_and_line():
    text = "One.¹ Two.²\n\n1 First.\n2 Second.\n2 Second again.\n"
    with pytest.raises(
        InputError, match=r"dup\.md:5: test-dup: footnote note 2 appears twice \(first on line 4\)"
    ):
        clean_document(text, "test-dup", "dup.md")


def test_document_without_body_is_an_error():
    with pytest.raises(InputError, match=r"nobody\.md: no body text"):
        clean_document("**Title\nby Someone**\n\n©2001 Press\n", "test-nobody", "nobody.md")


def test_marker_or_emphasis_before_trailing_space_lands_at_the_text_end():
    from pipeline.text.inline import clean_inline

    marked = clean_inline("the treaty¹ ")
    assert (marked.text, [(m.number, m.offset) for m in marked.markers]) == ("the treaty", [(1, 10)])
    emphasised = clean_inline("*Izvestiia* ")
    assert (emphasised.text, [(e.start, e.end) for e in emphasised.emphasis]) == ("Izvestiia", [(0, 9)])


NUMBERED_PARAGRAPHS = """\
**The Minister to the Secretary of State**

1. Your telegram of March 3 [*4?*].¹ The Government has accepted the proposal and asks that the terms be sent
by the next mail.²

2. The Minister for Foreign Affairs

1 Not printed.
2 Not printed either.

said that the text would follow.³

3. A first point of the draft.

4 per cent of the loan remains unpaid.

- 3 See the preceding telegram.
"""


def test_numbered_paragraphs_stay_body_and_notes_are_read_at_the_page_foot():
    doc = clean_document(NUMBERED_PARAGRAPHS, "test-numbered", "numbered.md")
    assert footnote_problems(doc.footnotes, doc.note_decisions) == []
    assert doc.footnotes["text"].to_list() == [
        "Not printed.",
        "Not printed either.",
        "See the preceding telegram.",
    ]
    body = doc.paragraphs["text"].to_list()
    assert any(text.startswith("1. Your telegram") for text in body)
    assert "2. The Minister for Foreign Affairs said that the text would follow." in body
    assert "3. A first point of the draft." in body
    assert "4 per cent of the loan remains unpaid." in body


def test_a_numbered_paragraph_cut_by_a_page_whose_note_has_its_number_stays_body():
    # The page's foot gives note 2 right under a paragraph numbered 2 that the page break cut.
    text = (
        "The owners asked for terms.¹\n\n- 1 Not printed.\n\nThe terms were these:²\n\n"
        "1. The ships are to be chartered for six months.\n\n"
        "2. Repairs to the engines are to be paid by the owners of the\n\n"
        "2 See the next despatch.\n\nships, whatever their flag.\n"
    )
    doc = clean_document(text, "test-foot", "foot.md")
    assert footnote_problems(doc.footnotes, doc.note_decisions) == []
    assert doc.footnotes["text"].to_list() == ["Not printed.", "See the next despatch."]
    assert (
        "2. Repairs to the engines are to be paid by the owners of the ships, whatever their flag."
        in doc.paragraphs["text"].to_list()
    )
