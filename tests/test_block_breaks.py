"""Where a blank line falls inside a sentence, and where it ends a block: small texts written here.

A page break without notes leaves only a blank line in the OCR text. The words on either side say when the
sentence demonstrably goes on: a block never ends on an article or preposition, on "No." before its
number, or on a month before its day, and an article's bare label is no block of its own. Clauses ending
"; and" or "," before a capital, a lead-in's colon and headings keep their own blocks.
"""

from __future__ import annotations

from pipeline.text.blocks import local_kind
from pipeline.text.clean import clean_document


def _blocks(text: str) -> list[tuple[str, str]]:
    paragraphs = clean_document(text, "break-test", "break-test.md").paragraphs
    return list(zip(paragraphs["block_kind"], paragraphs["text"], strict=True))


def test_a_block_ending_on_a_preposition_or_article_goes_on_in_the_next():
    text = (
        "## The Harbour Dues\n\n"
        "On the second of the month a letter on the harbour dues was received from\n\n"
        "Captain Morrow and was read to the board at once.\n\n"
        "The board asked the clerk to answer it before the\n\n"
        "Annual Meeting, and the clerk did so.\n"
    )
    assert [text for _, text in _blocks(text)] == [
        "The Harbour Dues",
        "On the second of the month a letter on the harbour dues was received from Captain Morrow and was "
        "read to the board at once.",
        "The board asked the clerk to answer it before the Annual Meeting, and the clerk did so.",
    ]


def test_an_abbreviation_or_a_month_before_its_number_goes_on():
    text = (
        "## Replies\n\n"
        "Your letter arrived with the copy of my despatch No.\n\n"
        "17 and the list of the ships.\n\n"
        "The second letter, dated April\n\n"
        "9, 1902, gave the dues for the year.\n"
    )
    assert [text for _, text in _blocks(text)][1:] == [
        "Your letter arrived with the copy of my despatch No. 17 and the list of the ships.",
        "The second letter, dated April 9, 1902, gave the dues for the year.",
    ]


def test_a_bare_article_label_joins_its_text():
    text = (
        "## The Agreement\n\n"
        "The two parties agree as follows:\n\n"
        "Article\n\n"
        "1. The dues shall be paid each quarter at the harbour office.\n"
    )
    assert _blocks(text)[-1][1] == "Article 1. The dues shall be paid each quarter at the harbour office."


def test_clauses_lead_ins_and_headings_keep_their_own_blocks():
    text = (
        "## The Resolution\n\n"
        "Whereas the dues were raised in the spring without notice to the owners; and\n\n"
        "Whereas the owners have paid them under protest since then;\n\n"
        "The undersigned, members of the board and duly authorized by the towns of the reach,\n\n"
        "Having met in the customs house on the first of May,\n\n"
        "The board resolves as follows about the dues of the\n\n"
        "(a) coastal trade and the river trade alike.\n\n"
        "Dues of the coastal trade\n\n"
        "The dues of the coastal trade shall be halved.\n"
    )
    assert [text[:30] for _, text in _blocks(text)] == [
        "The Resolution",
        "Whereas the dues were raised i",
        "Whereas the owners have paid t",
        "The undersigned, members of th",
        "Having met in the customs hous",
        "The board resolves as follows ",
        "(a) coastal trade and the rive",
        "Dues of the coastal trade",
        "The dues of the coastal trade ",
    ]


def test_labelled_items_in_a_run_are_a_list_and_a_single_one_is_a_paragraph():
    text = (
        "## The Harbour Rules\n\n"
        "The board made the following rules for the harbour, which came into force on the first of June.\n\n"
        "Article 1. No vessel shall anchor within the fairway between sunset and sunrise.\n\n"
        "Article 2. Every master shall report his cargo to the harbour office on arrival.\n\n"
        "First. That the dues of the coastal trade be halved for the coming year.\n\n"
        "Second. That the river trade pay the dues of the year before.\n\n"
        "Article 7 of the old rules, which the owners disliked, was not renewed by the board.\n"
    )
    assert [kind for kind, _ in _blocks(text)] == ["heading", "p", *["list_item"] * 4, "p"]


def test_short_phrases_under_a_colon_are_a_list_without_bullets():
    text = (
        "## Cargoes\n\n"
        "The ships carried the following goods to the river ports:\n\n"
        "Coal and coke\n\n"
        "Timber, sawn and rough\n\n"
        "Salt fish\n\n"
        "The board thought the list too short to be of use, and asked for the figures as well.\n"
    )
    assert [kind for kind, _ in _blocks(text)] == ["heading", "p", "list_item", "list_item", "list_item", "p"]


def test_signatures_with_titles_on_behalf_or_missing_and_the_editors_note_under_them_close_a_document():
    text = (
        "## Mr. Lund to Mr. Hay\n\n"
        "Sir: I have the honour to report that the harbour dues were paid in full this quarter, and that the "
        "owners have asked for a receipt from the Department.\n\n"
        "I have, etc.,\n\n"
        "Nils Åberg, Chargé d’Affaires ad interim.\n\n"
        "[For the reply of the Department, see the letter of June 3, printed below.]\n\n"
        "## Mr. Hay to Mr. Lund\n\n"
        "Sir: The Department has received your report on the dues and thanks you for it.\n\n"
        "(For the Secretary of State) Alvin B. Carr\n\n"
        "## Mr. Lund to Mr. Hay\n\n"
        "Sir: The dues for the next quarter will be paid in the same way.\n\n"
        "[File copy not signed]\n"
    )
    kinds = [kind for kind, _ in _blocks(text)]
    assert kinds == [
        *["heading", "p", "p", "closer", "closer"],
        *["heading", "p", "closer"],
        *["heading", "p", "closer"],
    ]


def test_paragraphs_of_a_quotation_are_quotes_until_its_closing_mark():
    text = (
        "## The Petition\n\n"
        "The owners sent the board a petition, which was read at the meeting of the second of May.\n\n"
        "“We, the undersigned owners of the barges, have paid the dues since the spring.\n\n"
        "We ask the board to halve them until the channel is deepened below the weir.\n\n"
        "We remain the board’s obedient servants.”\n\n"
        "The board refused the petition and wrote to the owners to say so before the end of the month.\n"
    )
    assert [kind for kind, _ in _blocks(text)] == ["heading", "p", "quote", "quote", "quote", "p"]


def test_a_numbered_subheading_a_bracketed_closing_quote_and_a_resolution_end_their_blocks():
    long = " The work was paid for by the towns of the upper reach in equal shares, as the board had asked."
    text = (
        "## The Harbour Report\n\n"
        "4. Dredging of the channel\n\n"
        f"The dredger worked through the summer, and the channel is now twelve feet deep.{long}\n\n"
        f"The owners wrote: “We thank the board for the new channel and the lower dues.{long}[”]\n\n"
        f"The board received the letter and entered it in the minutes of its June meeting.{long} Be it\n\n"
        f"Resolved, That the clerk thank the owners for their letter on behalf of the board.{long}\n"
    )
    assert [text[:20] for _, text in _blocks(text)] == [
        "The Harbour Report",
        "4. Dredging of the c",
        "The dredger worked t",
        "The owners wrote: “W",
        "The board received t",
        "Resolved, That the c",
    ]


def test_datelines_with_double_dates_spans_corrected_years_and_place_particles():
    for line in (
        "Imperial Ministry of the Interior, Kazan, March 3/15, 1899.",
        "Ministry for Foreign Affairs, Lisbon, April 28/May 10, 1902.",
        "Port au Prince, June 4–9, 1903.",
        "Quito, January 3, 1910 [1911]—8 p.m.",
        "Frankfurt am Main, May 2 & 14, 1905.",
    ):
        assert local_kind(line, line) == "dateline", line
    assert local_kind("The dues were paid on May 2, 1905.", "The dues were paid on May 2, 1905.") is None


def test_several_signers_in_one_block_sign_but_a_long_list_of_names_does_not():
    letter = (
        "## The Protocol\n\n"
        "The undersigned have signed the present protocol and affixed their seals, in duplicate, "
        "at the harbour office on the first of June.\n\n"
        "[L. S.] Pedro Alvarez. [L. S.] Nils Berg.\n\n"
        "J. Olsen, Consul. (In the absence of the Consul-General.)\n"
    )
    assert [kind for kind, _ in _blocks(letter)] == ["heading", "p", "closer", "closer"]
    names = [
        "Anna Berg.",
        "Carl Dahl.",
        "Emil Falk.",
        "Gustav Holm.",
        "Ivar Jung.",
        "Karl Lind.",
        "Max Nord.",
    ]
    members = (
        "## The Board\n\nThe board had the following members in the year of the great flood.\n\n"
        + "\n\n".join(names)
    )
    assert [kind for kind, _ in _blocks(members)][2:] == ["p"] * len(names)


def test_three_rows_of_figures_are_a_table_and_a_paragraph_with_figures_is_not():
    text = (
        "## Harbour Dues\n\n"
        "The dues collected at the harbour office in the three years after the dredging were as follows.\n\n"
        "1903 12, 410 3, 115\n\n"
        "1904 14, 022 3, 870\n\n"
        "1905 15, 930 4, 402\n\n"
        "In 1905 the board collected 15,930 dollars from 412 vessels, more than in any year before.\n"
    )
    assert [kind for kind, _ in _blocks(text)] == ["heading", "p", "table_row", "table_row", "table_row", "p"]


def test_a_long_enclosure_description_and_a_subject_line_are_openers():
    for line in (
        "[Inclosure 2 in No. 77.—Translation of an extract from the Gazette of the Harbour Board, 1902.]",
        "Subject: The harbour dues of the coastal trade.",
    ):
        assert local_kind(line, line) == "opener", line
    remark = "[Here follows a long list of the vessels that paid the dues in the spring, not printed.]"
    assert local_kind(remark, remark) is None


def test_an_empty_emphasis_line_is_a_printed_rule_not_a_paragraph():
    text = (
        "## The Report\n\n"
        "The report of the harbour board for the year was sent to the towns of the upper reach in June.\n\n"
        "****\n\n"
        "The President:\n\n"
        "I have the honour to send you the report of the harbour board, with the figures of the year.\n"
    )
    assert "**" not in [text for _, text in _blocks(text)]


def test_a_stray_opening_mark_starts_no_run_of_quotes():
    text = (
        "## The Plan\n\n"
        "“The plan of the board, as the clerk wrote it down at the meeting of the second of May\n\n"
        "The board will meet in the customs house on the first Monday of every month, at ten.\n\n"
        "The clerk will keep the minutes in a ledger and read them out at the next meeting.\n"
    )
    assert [kind for kind, _ in _blocks(text)] == ["heading", "quote", "p", "p"]


def test_every_preposition_of_the_vocabulary_runs_on_even_one_yaml_reads_as_a_boolean():
    """ "on" unquoted in a YAML list is the boolean true: the block after "... by train on" was split off."""
    text = (
        "## The Visit\n\n"
        "The admiral and his staff came to the capital by special train on\n\n"
        "Saturday, the 13th instant, and were met at the station.\n"
    )
    assert [text for _, text in _blocks(text)][1] == (
        "The admiral and his staff came to the capital by special train on Saturday, the 13th instant, and "
        "were met at the station."
    )
