"""A page break at a full stop: the layout, not the words, says whether the paragraph goes on.

Small texts written here in three layouts (pages cut by a count of body characters, printed pages that
body and notes share, a hard-wrapped body), then the committed paper and the dev papers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.text_scoring import DEV_PAPERS, score_dev_papers
from pipeline.text.clean import clean_document, read_notes
from pipeline.text.frontmatter import read_front_matter
from pipeline.text.pages import BreakEvidence, break_evidence, read_pagination

REPO_ROOT = Path(__file__).resolve().parent.parent


def _pages(*pages: tuple[list[str], list[str]]) -> str:
    """Pages as OCR gives them: each page's paragraphs on one line each, then its notes ("- N text")."""
    blocks = []
    for paragraphs, notes in pages:
        blocks += paragraphs
        if notes:
            blocks.append("\n".join(notes))
    return "\n\n".join(blocks) + "\n"


OWNERS = (
    "The owners blamed the lock keepers, and the keepers blamed the weather.² The commission heard both "
    "sides and wrote a short report that pleased nobody. A second report followed in the spring, with a plan "
    "to deepen the channel below the weir. The towns could not agree on how to share the cost of the "
    "dredging,³ and two of"
)
FLOOD = (
    "them offered labour instead of money. The third refused to pay at all. The plan was shelved until a "
    "flood in 1884 carried away the old weir and most of the quay. At a meeting called in haste the "
    "engineer said,"
)
DIG = "the channel must be cut this year or never, for the river will not wait for the towns."
AUTUMN = (
    "The work began in May and went on through the summer, with two gangs on the banks and a steam dredger. "
    "In the autumn the barges came back to the quay, and the commission wrote its last report."
)


def _river_commission(notes_2_and_3: list[str], note_4: str) -> str:
    """Four pages about an invented river commission; the notes of pages 2 and 3 given."""
    return _pages(
        (
            [
                "# The River Commission",
                "The river commission was set up in the autumn of 1881 to settle the quarrels of the mill "
                "owners. Its three members were chosen by the towns along the upper reach, one for each "
                "town.¹",
                "They met in a rented room above the customs house and kept their minutes in a single "
                "ledger. In the first winter the ice closed the locks for nine weeks.",
            ],
            ["- 1 Minutes of the commission, ledger 1, folio 3."],
        ),
        ([OWNERS], notes_2_and_3),
        ([FLOOD, DIG, "Nobody spoke against him, and the towns found the money within a month.⁴"], [note_4]),
        ([AUTUMN], []),
    )


# Three full pages of about 320-370 body characters each, whatever their notes (45, 470 and 20
# characters): the pages were cut by a count of body characters. The breaks after "nine weeks." and
# "within a month." fall at a full stop and the paragraph goes on; the one after "two of" mid-sentence.
# "the engineer said," is followed by a blank line about 210 characters into its page, too early for a
# page break there: a paragraph gap.
COUNT_CUT = _river_commission(
    [
        "- 2 The keepers' petition of March 1882 survives only in a copy made for the town clerk of the "
        "lowest town on the reach, who sent it on to the commission with a covering letter of his own; the "
        "letter, not the petition, is what the later histories quote, and it puts the blame on the owners "
        "far more plainly than the keepers did.",
        "- 3 Report of the commission, second part, chapter 4, with the engineer's estimate and the towns' "
        "replies printed as an appendix in a smaller type.",
    ],
    "- 4 Ledger 2, folio 17.",
)

# The same words on printed pages: body plus notes is about 400 characters on every page, the body
# alone varies with the notes. A page's foot is as likely to end a paragraph as any other line end, so
# the breaks at a full stop end their paragraphs; the mid-sentence break still joins.
PRINTED = _river_commission(
    ["- 2 The keepers' petition of March 1882.", "- 3 Report of the commission, part 2, ch. 4."],
    "- 4 Ledger 2, folio 17, and a diary.",
)

# A hard-wrapped body: the line before the first page's notes runs to the full width and ends a
# sentence (the page cut the paragraph); the line before the second page's notes is a paragraph's
# short last line.
WRAPPED = """\
## The County School Board

The school board of the county met for the first time in a
barn, because the court house was let to a travelling circus
for the whole of that week.¹ The chairman read the statute
aloud and the members signed it one after another on the lid
of a grain bin, which was the only flat surface in the barn.

1 Minutes of the board, first volume, page 1.

The clerk kept a note of who came late, and the note was
read out at every meeting for the next ten years. Nobody
was ever fined, but nobody wished to be named twice in the
minutes that the whole county could read in the newspaper.

The first teachers came from the normal school in the
capital and stayed a year or two at most.² They were paid in
part by the parents, in part by the board, and in part in
kind: wood for the stove, a room in a farmhouse, and a seat
at the family table.

2 Letters of the teachers, bundle 3.

The board soon learned that the teachers left because of the
rooms rather than the pay. It bought a small house next to
the school and let it to the teacher for a nominal rent.
"""


def _paragraphs(text: str) -> list[str]:
    return clean_document(text, "page-test", "page-test.md").paragraphs["text"].to_list()


def _pagination(text: str):
    lines = text.split("\n")
    body_start = read_front_matter(lines, None).body_start
    return lines, read_pagination(lines, body_start, read_notes(lines, body_start)[1])


def test_pages_cut_by_a_count_of_body_text_go_on_across_a_full_stop():
    _, pagination = _pagination(COUNT_CUT)
    assert pagination.cut_by_body_count and pagination.wrap_width is None
    assert _paragraphs(COUNT_CUT) == [
        "The River Commission",
        "The river commission was set up in the autumn of 1881 to settle the quarrels of the mill owners. "
        "Its three members were chosen by the towns along the upper reach, one for each town.",
        "They met in a rented room above the customs house and kept their minutes in a single ledger. In the "
        "first winter the ice closed the locks for nine weeks. The owners blamed the lock keepers, and the "
        "keepers blamed the weather. The commission heard both sides and wrote a short report that pleased "
        "nobody. A second report followed in the spring, with a plan to deepen the channel below the weir. "
        "The towns could not agree on how to share the cost of the dredging, and two of them offered labour "
        "instead of money. The third refused to pay at all. The plan was shelved until a flood in 1884 "
        "carried away the old weir and most of the quay. At a meeting called in haste the engineer said,",
        "the channel must be cut this year or never, for the river will not wait for the towns.",
        f"Nobody spoke against him, and the towns found the money within a month. {AUTUMN}",
    ]
    doc = clean_document(COUNT_CUT, "page-test", "page-test.md")
    linked = dict(zip(doc.footnotes["number"], doc.footnotes["paragraph_id"], strict=True))
    assert linked[2] == linked[3] == "page-test:p003"
    assert linked[4] == "page-test:p005"
    # The words that complete "the engineer said," are a quotation set off as a block of their own.
    assert doc.paragraphs["block_kind"].to_list() == ["heading", "p", "p", "quote", "p"]


def test_printed_pages_end_a_paragraph_at_a_full_stop():
    _, pagination = _pagination(PRINTED)
    assert not pagination.cut_by_body_count
    paragraphs = _paragraphs(PRINTED)
    assert paragraphs[2] == (
        "They met in a rented room above the customs house and kept their minutes in a single ledger. In the "
        "first winter the ice closed the locks for nine weeks."
    )
    assert paragraphs[3].startswith("The owners blamed the lock keepers")
    assert "dredging, and two of them offered" in paragraphs[3]
    # Without a page count a blank line may be a page break: the lower-case quotation is taken for the
    # rest of its lead-in, as before.
    assert paragraphs[3].endswith(
        "the engineer said, the channel must be cut this year or never, for the river "
        "will not wait for the towns."
    )
    assert paragraphs[4:] == [
        "Nobody spoke against him, and the towns found the money within a month.",
        AUTUMN,
    ]


def test_a_wrapped_line_running_to_the_full_width_goes_on_and_a_short_last_line_ends():
    lines, pagination = _pagination(WRAPPED)
    assert pagination.wrap_width is not None and 55 <= pagination.wrap_width <= 60
    assert not pagination.cut_by_body_count
    assert break_evidence(pagination, lines, 6, 10) is BreakEvidence.CUT_IN_TEXT
    assert break_evidence(pagination, lines, 19, 23) is BreakEvidence.PAGE_BREAK
    paragraphs = _paragraphs(WRAPPED)
    assert [paragraph[:30] for paragraph in paragraphs] == [
        "The County School Board",
        "The school board of the county",
        "The first teachers came from t",
        "The board soon learned that th",
    ]
    assert "the only flat surface in the barn. The clerk kept a note" in paragraphs[1]
    assert paragraphs[2].endswith("and a seat at the family table.")


def test_the_committed_paper_reads_as_printed_pages(paper):
    source = next((REPO_ROOT / "raw" / "kennan-op-263").glob("*.md")).read_text(encoding="utf-8")
    _, pagination = _pagination(source)
    assert len(pagination.page_starts) == 12
    assert not pagination.cut_by_body_count and pagination.wrap_width is None
    assert paper.paragraphs.height == 43


@pytest.mark.skipif(not DEV_PAPERS.exists(), reason="dev papers not present")
def test_every_dev_footnote_is_linked_to_the_paragraph_the_gold_names():
    for paper in score_dev_papers(DEV_PAPERS):
        assert paper.links.found == paper.links.expected, (paper.name, paper.links.missed)
