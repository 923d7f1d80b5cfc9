"""The documents a collection prints (pipeline/extract/correspondence.py): texts written here in the
layouts of diplomatic collections, the committed essay (no documents), and the scorer on the dev material."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation import source_document_scoring
from pipeline.extract.correspondence import find_source_documents, is_filing_line, split_heading
from pipeline.extract.paper_stages import document_source_documents
from pipeline.package.schema import rows_to_frame
from pipeline.text.clean import CleanedDocument, clean_document

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"

# A run of three documents as a modern volume prints them: filing line, bold heading, type line, dateline
# with a received note, body, signature; the second one encloses a letter with its own heading.
MODERN = """**Ruritania:**

**Negotiations for a trade agreement**

812.00/4471: Telegram

**The Minister in Ruritania (Haverford) to the Secretary of State**

[Telegram]

Strelsau, March 3, 1921—4 p.m. [Received March 4—9:15 a.m.]

52. The Foreign Minister told me today that the draft is acceptable to his Government in every point.

Haverford

812.00/4480

**The Secretary of State to the Minister in Ruritania (Haverford)**

Washington, March 12, 1921.

No. 118

Sir: I enclose a copy of a letter that the Department received from the Chamber of Commerce.

I am, Sir, your obedient servant,

Charles Pemberton

[Enclosure]

**The President of the Chamber of Commerce (Oakley) to the Secretary of State**

New York, March 8, 1921.

Sir: The merchants of this city ask that the agreement be concluded before the summer.

Thomas Oakley

812.00/4490

**Memorandum by the Under Secretary of State (Lowell)**

[Washington,] March 20, 1921.

The Minister of Ruritania called this morning and spoke at length about the agreement.

A. L.
"""

# The older layout: no filing lines, a plain "Mr. A to Mr. B." heading, the dateline with the office first.
OLDER = """**Correspondence with Ruritania**

**Mr. Haverford to Mr. Pemberton.**

Legation of the United States, Strelsau, December 27, 1897. (Received Jan. 15, 1898.)

No. 33.]

Sir: I have the honor to report that the question of the consular fees was settled yesterday.

I have, etc.,

John Haverford.

Mr. Pemberton to Mr. Haverford.

Department of State, Washington, January 20, 1898.

No. 41.]

Sir: Your despatch No. 33 has been received, and your action is approved.

I am, etc.,

Charles Pemberton.
"""


def _documents(text: str) -> tuple[CleanedDocument, list[dict]]:
    cleaned = clean_document(text, "test-paper", "test.md")
    return cleaned, find_source_documents(cleaned.paragraphs, "test-paper").to_dicts()


def _text_of(cleaned: CleanedDocument, paragraph_id: str) -> str:
    return cleaned.paragraphs.filter(cleaned.paragraphs["paragraph_id"] == paragraph_id)["text"][0]


def test_modern_collection_one_row_per_document_with_its_frame() -> None:
    cleaned, rows = _documents(MODERN)
    assert [row["number_in_paper"] for row in rows] == [1, 2, 3]
    telegram, despatch, memorandum = rows
    assert _text_of(cleaned, telegram["first_paragraph_id"]).startswith("812.00/4471")
    assert _text_of(cleaned, telegram["last_paragraph_id"]) == "Haverford"
    assert telegram["document_type"] == "telegram"
    assert telegram["file_number"] == "812.00/4471: Telegram"
    assert (telegram["sender_name"], telegram["sender_office"]) == ("Haverford", "Minister in Ruritania")
    assert (telegram["recipient_name"], telegram["recipient_office"]) == (None, "Secretary of State")
    assert cleaned.text[telegram["sender_char_start"] : telegram["sender_char_end"]] == telegram["sender"]
    assert telegram["place"] == "Strelsau"
    assert telegram["date_sent"] == "1921-03-03T16:00:00"
    assert telegram["date_received"] == "1921-03-04T09:15:00"
    assert telegram["printed_number"] == "52"
    # The enclosed letter and its heading stay inside the despatch that encloses it.
    assert _text_of(cleaned, despatch["last_paragraph_id"]) == "Thomas Oakley"
    assert despatch["printed_number"] == "118"
    assert despatch["recipient_name"] == "Haverford"
    assert despatch["date_sent"] == "1921-03-12"
    assert memorandum["document_type"] == "memorandum"
    assert memorandum["place"] == "Washington"
    assert memorandum["date_sent"] == "1921-03-20"
    # A memorandum's author, named after "by", is its sender.
    assert (memorandum["sender_name"], memorandum["sender_office"]) == ("Lowell", "Under Secretary of State")
    assert memorandum["recipient"] is None


def test_older_layout_plain_headings_and_office_datelines() -> None:
    cleaned, rows = _documents(OLDER)
    assert len(rows) == 2
    first, second = rows
    assert (first["sender_name"], first["recipient_name"]) == ("Haverford", "Pemberton")
    assert first["place"] == "Legation of the United States, Strelsau"
    assert first["date_sent"] == "1897-12-27"
    assert first["date_received"] == "1898-01-15"
    assert first["printed_number"] == "33"
    assert first["document_type"] is None  # nothing states it
    assert _text_of(cleaned, first["last_paragraph_id"]) == "John Haverford."
    assert _text_of(cleaned, second["first_paragraph_id"]) == "Mr. Pemberton to Mr. Haverford."
    assert second["place"] == "Department of State, Washington"


def test_an_editors_note_of_delivery_is_no_dateline() -> None:
    """ "[Handed to X by Y, date]" says how a paper reached its reader: no place, and not the date it was
    written; a dateline printed at the document's end is still read."""
    text = (
        "**Memorandum of the Strelsau Government on the loan.**\n\n"
        "[Handed to Mr. Harlow by Count Rassendyll, May 4, 1921—11 a.m.]\n\n"
        "The Government cannot agree to the terms.\n\n"
        "**Reply of the Government of the United States.**\n\n"
        "[Delivered to Count Rassendyll, May 6, 1921.]\n\n"
        "The Government regrets the delay.\n\n"
        "Department of State, *Washington, May 6, 1921.*\n"
    )
    _, rows = _documents(text)
    assert len(rows) == 2
    assert (rows[0]["place"], rows[0]["date_sent"]) == (None, None)
    assert (rows[1]["place"], rows[1]["date_sent"]) == ("Department of State, Washington", "1921-05-06")


def test_a_series_line_under_its_title_and_a_reference_under_a_dateline_open_no_document() -> None:
    """A treaty's title opens it even with its series line printed below; the writer's own reference
    number between a dateline and the text stays in the letter, with the enclosure it belongs to."""
    text = (
        "**Ruritania:**\n\n"
        "**Convention Between the United States of America and Ruritania, Signed at Strelsau, May 2, 1921**"
        "\n\n"
        "Treaty Series No. 801\n\n"
        "Whereas the two Governments desire to settle the claims of their nationals;\n\n"
        "File No. 711.60/12\n\n"
        "**The Minister in Ruritania (Harlow) to the Secretary of State**\n\n"
        "Strelsau, May 9, 1921.\n\n"
        "Sir: I have the honor to enclose the Foreign Minister's note.\n\n"
        "[Enclosure]\n\n"
        "**The Ruritanian Minister for Foreign Affairs (Sapt) to the American Minister (Harlow)**\n\n"
        "[Strelsau,] *8 May, 1921*.\n\n"
        "No. R 1946/5/98\n\n"
        "Sir: The Government accepts the terms.\n"
    )
    cleaned, rows = _documents(text)
    assert [_text_of(cleaned, row["first_paragraph_id"])[:22] for row in rows] == [
        "Convention Between the",
        "File No. 711.60/12",
    ]
    assert rows[0]["document_type"] == "treaty"
    assert _text_of(cleaned, rows[1]["last_paragraph_id"]) == "Sir: The Government accepts the terms."


def test_a_file_number_with_a_fraction_opens_a_document() -> None:
    """The Department's files number a paper put between two others "3302½"."""
    text = (
        "763.72119/3302: Telegram\n\n"
        "**The Secretary of State to the Minister in Ruritania (Harlow)**\n\n"
        "Washington, May 2, 1921—4 p.m.\n\n"
        "Proceed as instructed.\n\n"
        "Hughes\n\n"
        "763.72119/3302½: Telegram\n\n"
        "**The Acting Secretary of State to the Minister in Ruritania (Harlow)**\n\n"
        "Washington, May 3, 1921—1 p.m.\n\n"
        "Await further instructions.\n"
    )
    _, rows = _documents(text)
    assert [(row["printed_number"], row["date_sent"][:10]) for row in rows] == [
        (None, "1921-05-02"),
        (None, "1921-05-03"),
    ]


def test_an_appendix_heading_goes_on_with_its_despatch() -> None:
    text = (
        "**Mr. Harlow to Mr. Hughes.**\n\n"
        "Strelsau, May 2, 1921.\n\n"
        "Sir: I enclose the list of claims, in two appendixes.\n\n"
        "I have, etc.,\n\n"
        "John Harlow.\n\n"
        "**Appendix A.**\n\n"
        "Claims of naturalized citizens, with the dates of their naturalization.\n\n"
        "**Appendix B.**\n\n"
        "Claims of citizens by birth.\n\n"
        "**Mr. Hughes to Mr. Harlow.**\n\n"
        "Washington, June 1, 1921.\n\n"
        "Sir: Your despatch has been received.\n"
    )
    cleaned, rows = _documents(text)
    assert [row["sender_name"] for row in rows] == ["Harlow", "Hughes"]
    assert _text_of(cleaned, rows[0]["last_paragraph_id"]) == "Claims of citizens by birth."


def test_a_compilations_long_descriptive_heading_opens_a_document() -> None:
    """Compilations describe each paper in a heading of several lines' length."""
    long_heading = (
        "An edict of the Government of Ruritania forwarded by the council of state at Strelsau under date of "
        "the fourteenth day of the seventh month to the governor of the eastern province, who transmitted it "
        "on the seventeenth to the Ruritanian minister at Washington, by whom it was communicated to the "
        "Department of State in translation."
    )
    assert len(long_heading) > 300
    text = (
        "**Mr. Hughes to Mr. Harlow.**\n\n"
        "Washington, June 1, 1921.\n\n"
        "Sir: Copies of these documents are sent you.\n\n"
        "Hughes.\n\n"
        f"**{long_heading}**\n\n"
        "The council of state has the honour to order the governor to protect all foreigners.\n"
    )
    cleaned, rows = _documents(text)
    assert len(rows) == 2
    assert _text_of(cleaned, rows[1]["first_paragraph_id"]) == long_heading


# Authors named after the type, firms and offices with "&" and "d'affaires", a person of a firm.
AUTHORED = """**Memorandum by the Secretary of State of a Conversation With the Minister (Rassendyll)**

[Washington,] May 2, 1921.

The Minister called this morning.

**Memorandum by Mr. John Q. Harlow, of the Division of Ruritanian Affairs**

[Washington,] May 3, 1921.

The tariff question is unsettled.

**Press Release Issued by the Department of State, May 4, 1921**

The Department announces the conclusion of the agreement.

**Harlow & Company, Incorporated, to the Secretary of State**

New York, May 5, 1921.

Sir: We have the honor to enclose our proposal.

**The Ruritanian Chargé d’Affaires to the Secretary of State**

Washington, May 6, 1921.

Sir: I am instructed to inform you of the ratification.

**Mr. Peter Vance of Vance & Sons to the Secretary of State**

Chicago, May 7, 1921.

Dear Mr. Secretary: I write about the loan.

**Memorandum of the Counselor for the Department of State (Lindqvist)**

[Washington,] May 7, 1921.

The Ambassador called on me.

**Memorandum of the Conversation With the Minister (Rassendyll)**

[Washington,] May 7, 1921.

The Minister called on me.

**Memorandum in Reply to the Ruritanian Note of May 1**

Washington, May 8, 1921.

The Government cannot agree.
"""


def test_authors_after_by_firms_and_elided_particles_are_senders() -> None:
    cleaned, rows = _documents(AUTHORED)
    parties = [(row["sender_name"], row["sender_office"]) for row in rows]
    assert parties == [
        (None, "Secretary of State"),
        ("John Q. Harlow", None),
        (None, "Department of State"),
        (None, "Harlow & Company, Incorporated"),
        (None, "Ruritanian Chargé d’Affaires"),
        ("Peter Vance", None),
        ("Lindqvist", "Counselor for the Department of State"),
        (None, None),
        (None, None),
    ]
    for row in rows[:-2]:
        assert cleaned.text[row["sender_char_start"] : row["sender_char_end"]] == row["sender"]


def test_heading_split_keeps_offices_that_take_to() -> None:
    heading = "The Minister to Ruritania (Haverford) to the Secretary of State"
    sender, recipient = split_heading(heading)
    assert heading[slice(*sender)] == "The Minister to Ruritania (Haverford)"
    assert heading[slice(*recipient)] == "the Secretary of State"
    assert split_heading("A similar request was made through the legation.") is None


def test_filing_lines_and_prose_told_apart() -> None:
    assert is_filing_line("File No. 600.119/99")
    assert is_filing_line("711.19/200a: Telegram")
    assert is_filing_line("740.0011 Mutual Guarantee (Ruritania)/51: Telegram")
    assert not is_filing_line("The Minister called on the 3d instant and left a note on the tariff.")
    assert not is_filing_line("No. 33.]")


def test_rows_of_the_paper_point_to_their_documents() -> None:
    cleaned = clean_document(MODERN, "test-paper", "test.md")
    events = {"events": rows_to_frame("events", [])}
    claims = {"claims": rows_to_frame("claims", [])}
    out = document_source_documents(cleaned, events, claims)
    paragraphs = out["cleaned"].paragraphs
    owners = dict(zip(paragraphs["text"], paragraphs["source_document_id"], strict=True))
    assert owners["Ruritania:"] is None  # a section heading belongs to no document
    assert owners["Thomas Oakley"] == "test-paper:sd002"
    sentences = out["cleaned"].sentences
    assert sentences["source_document_id"].null_count() < sentences.height
    assert "source_document_id" in events["events"].columns


def test_the_essay_has_no_documents(paper: CleanedDocument) -> None:
    assert find_source_documents(paper.paragraphs, paper.document_id).is_empty()


@pytest.mark.skipif(not (SHARED / "dev-papers" / "gold").exists(), reason="../shared/dev-papers not present")
def test_scores_on_the_dev_papers() -> None:
    per_volume, _, papers, _ = source_document_scoring.score_corpora([SHARED / "dev-papers"])
    total = per_volume["total"]
    assert papers and total["range"].expected > 20
    for what in ("range", "sender", "recipient", "place", "date"):
        assert total[what].recall >= 0.9, what
        assert total[what].precision >= 0.9, what


def test_senders_and_recipients_link_to_the_persons_found_in_the_heading() -> None:
    from pipeline.extract import paper_stages
    from pipeline.orchestration import stages

    cleaned = clean_document(MODERN, "test-paper", "test.md")
    authority = stages.load_authority(stages.ProjectPaths(Path(__file__).resolve().parent.parent))
    mentions = paper_stages.document_mentions(cleaned, authority)
    events = {"events": rows_to_frame("events", [])}
    claims = {"claims": rows_to_frame("claims", [])}
    rows = document_source_documents(cleaned, events, claims, mentions)["source_documents"].to_dicts()
    telegram, despatch, _ = rows
    # Haverford is not in the authority: both documents point to the paper's one person of that name.
    assert telegram["sender_person_id"] is not None
    assert telegram["sender_person_id"] == despatch["recipient_person_id"]
    assert telegram["recipient_person_id"] is None  # an office, not a person


# Two telegrams: each one's "today" and "yesterday" count from its own dateline, not from the last date
# the narrative mentioned (the treaty's, the earlier telegram's).
TELEGRAMS = """**The Minister in Ruritania (Haverford) to the Secretary of State**

[Telegram]

Strelsau, March 3, 1921—4 p.m.

52. The treaty of June 4, 1919, was discussed at length. The Foreign Minister told me today that the draft
is acceptable. It is apparently too late to amend it.

Haverford

**The Secretary of State to the Minister in Ruritania (Haverford)**

[Telegram]

Washington, March 9, 1921—6 p.m.

31. Your 52, March 3. The Senate met yesterday and approved the draft.

Pemberton
"""


def test_a_document_dates_its_relative_dates_and_its_sender_makes_its_assertions(tmp_path: Path) -> None:
    import shutil

    import polars as pl

    from pipeline.orchestration.cli import build

    repo = Path(__file__).resolve().parent.parent
    (tmp_path / "raw" / "telegrams").mkdir(parents=True)
    (tmp_path / "raw" / "telegrams" / "paper.md").write_text(TELEGRAMS, encoding="utf-8")
    (tmp_path / "raw" / "telegrams" / "metadata.yaml").write_text("language: en\nfull_text: true\n")
    shutil.copy2(repo / "dataset.yaml", tmp_path / "dataset.yaml")
    shutil.copytree(repo / "authority", tmp_path / "authority")

    assert build(tmp_path) == 0

    found = pl.read_csv(tmp_path / "data/csv/time_expressions.csv").filter(
        pl.col("text").is_in(["today", "yesterday"])
    )
    dated = dict(zip(found["text"], found["edtf"], strict=True))
    assert dated == {"today": "1921-03-03", "yesterday": "1921-03-08"}
    # The hedge is the Minister's, who signs the telegram, not the paper's author's.
    claims = pl.read_csv(tmp_path / "data/csv/claims.csv").filter(pl.col("kind") == "author_assertion")
    assert claims.select("claimant_name", "attribution_rule").rows() == [("Haverford", "document_sender")]
