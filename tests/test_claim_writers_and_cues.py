"""Claims, issue 33 round 7: whose words a block after a lead-in holds, bodies as senders, infinitives and
passives that report nothing, and adverbs that are no hedges. Small texts in the three kinds of paper the
project reads: a FRUS document collection (letters with senders), a monograph chapter, and an occasional
paper on Soviet diplomacy like the committed one."""

from __future__ import annotations

import polars as pl

from evaluation.claim_scoring import mentions_from_names
from pipeline.extract.claims import extract_claims
from pipeline.text.clean import clean_document
from tests.test_claims import _extract, _letter, _letter_claims


def _claims_from(body: str, sender: str) -> pl.DataFrame:
    """The claims of a one-document collection sent by ``sender``."""
    document = clean_document("# A Test Paper\n\n" + body + "\n", "test-doc", "test.md", body_start_line=3)
    return extract_claims(
        document.text,
        document.sentences,
        mentions_from_names(document.text, {}, "test-doc"),
        document.footnotes,
        "person:author",
        document.emphasis_spans,
        document.paragraphs,
        document_senders=_letter(0, len(document.text), None, sender),
    )["claims"]


def _assertions(claims: pl.DataFrame) -> list[dict]:
    return claims.filter(pl.col("kind") == "author_assertion").to_dicts()


def test_a_block_after_a_lead_in_naming_another_source_is_that_sources() -> None:
    body = (
        "Sir: In further reply to your instruction, I have the honor to inform you of the receipt of a note "
        "from the minister of state, as follows:\n\n"
        "The accused was probably arrested while paying for arms sold to the insurgents.\n\n"
        "I am, etc.\n\n"
        "Referring to my dispatch of last month on the same case, I now have to say:\n\n"
        "It seems wise, in my judgment, to wait for the court before approaching the Government again.\n\n"
        "13. Your telegram of January 8. The following is the full text of Foreign Office note No. 14, dated "
        "January 7th:\n\n"
        "The President would certainly regret the withdrawal of the guard at this time."
    )
    rows = {r["cue"]: r for r in _assertions(_letter_claims(body))}
    office = rows["certainly"]  # a body's note: "of" names its source
    assert (office["claimant_type"], office["claimant_name"]) == ("organisation", "Foreign Office")
    note = rows["probably"]  # the quoted note's, not the covering letter's
    assert (note["claimant_name"], note["attribution_rule"]) == ("the minister", "lead_in_document")
    assert rows["It seems"]["claimant_name"] == "Jo Sender"  # the writer's own lead-in keeps the writer


def test_a_block_quoted_in_a_monograph_is_not_the_authors_hedge() -> None:
    body = (
        "Years later, recalling the talks of that winter at considerable length, Maxim Orlov wrote:\n\n"
        "The commissar was probably tired of the whole affair and wanted it over before the spring.\n\n"
        "Orlov's account is probably coloured by his later disgrace."
    )
    _, out = _extract(body, {"person:orlov": ["Maxim Orlov", "Orlov"]})
    rows = _assertions(out["claims"])
    assert [r["claimant_type"] for r in rows] == ["person", "document_author"]
    assert rows[0]["claimant_id"] == "person:orlov"


def test_a_body_that_sends_a_document_is_an_organisation() -> None:
    body = "It appears a right assumption that the Royal Government will exclude such exports."
    council = _assertions(_claims_from(body, "Exports Council"))
    embassy = _assertions(_claims_from(body, "British Embassy"))
    navy = _assertions(_claims_from(body, "Acting Secretary of the Navy"))
    house = _assertions(_claims_from(body, "E. M. House"))
    types = [r["claimant_type"] for r in council + embassy + navy + house]
    assert types == ["organisation", "organisation", "person", "person"]


def test_instructions_held_back_infinitives_and_bare_passives_report_nothing_said() -> None:
    body = (
        "You are therefore authorized to inform President Arroyo that the embargo will be lifted.\n\n"
        "You are instructed to inform the Dominion Government of the views of this Government in regard "
        "to the amended draft submitted in the note to the Legation from the Department of External "
        "Affairs of October 3, 1929, and to state that this Government is now prepared to sign.\n\n"
        "The Department hesitates, in any case, to declare that a citizen has forfeited his citizenship.\n\n"
        "The Government feels grateful for the sentiments of sympathy expressed by your excellency, and "
        "in its name I beg that your excellency will transmit its thanks.\n\n"
        "Department informed by Legation at La Paz that a special embassy will come in January."
    )
    reported = _letter_claims(body).filter(pl.col("kind") == "reported_statement")
    assert reported["attribution_rule"].to_list() == ["passive_agent"]
    assert "Legation" in reported["claimant_text"][0]


def test_manner_clearly_and_negated_possibly_are_no_hedges_in_a_chapter() -> None:
    body = (
        "Since the agreement was to come into force under the new statute, its terms had to come clearly "
        "within the authority of that statute. No government could possibly accept such terms, the "
        "ministers said.\n\n"
        "The treaty was clearly within the powers of the Senate. Its aim was an object clearly within the "
        "purview of the award. The dispute could possibly have been settled in a week."
    )
    _, out = _extract(body, {})
    rows = _assertions(out["claims"])
    assert [(r["cue"], r["certainty"]) for r in rows] == [
        ("clearly", "certain"),
        ("clearly", "certain"),
        ("possibly", "possible"),
    ]


def test_what_a_named_source_shows_is_no_hedge_and_a_salutation_is_no_speaker() -> None:
    body = (
        "By a recent dispatch from the consul-general at Havana, under date of July 3, it appears that the "
        "prisoner has been acquainted with the charges.\n\n"
        "It appears from the records of the court that the sentence was commuted.\n\n"
        "By the end of the month it appears that the court will have finished.\n\n"
        "Your Excellency: The princes and ministers have the honor to inform the minister of the United "
        "States that a communication was received."
    )
    claims = _letter_claims(body)
    assert [r["text"][:6] for r in _assertions(claims)] == ["By the"]  # only the writer's own guess
    reported = claims.filter(pl.col("kind") == "reported_statement")
    assert "addressee" not in reported["claimant_type"].to_list()
    assert reported.filter(pl.col("claimant_text") == "Your").height == 0


def test_a_quoted_note_after_a_verb_of_saying_belongs_to_the_document_it_names() -> None:
    body = (
        "Mr. Ruiz, the Minister for Foreign Affairs, has declined the terms. In his note of June 30 he made "
        "the following statement:\n\n"
        "“My Government would be able to accept only the terms of the inventory of 1871.”\n\n"
        "I have the honor to inform you of the receipt of a note from Mr. Ruiz, as follows:\n\n"
        "“The jewels will be received at the Ministry on the first of the month.”"
    )
    claims = _letter_claims(body, {"person:ruiz": ["Mr. Ruiz", "Ruiz"]})
    quotations = claims.filter(pl.col("kind") == "quotation")
    assert quotations["claimant_id"].to_list() == ["person:ruiz", "person:ruiz"]  # not the writer


def test_an_object_after_a_modal_verb_is_no_subject_and_a_group_heads_its_of_phrase() -> None:
    body = (
        "It is believed unlikely that President Lopez would ask Congress to grant him power, not only "
        "because members of his Government have stated on several occasions that an open discussion "
        "would be permitted."
    )
    reported = _letter_claims(body, {"person:lopez": ["President Lopez"]}).filter(
        pl.col("kind") == "reported_statement"
    )
    assert reported.select("claimant_type", "claimant_text").rows() == [("group", "members")]


def test_a_cue_in_what_another_intimated_or_advised_is_not_the_writers() -> None:
    body = (
        "Mr. Renwick had advised Mr. Lavis that in his own opinion it would probably be impossible to keep "
        "the present rates.\n\n"
        "In speaking of the commission he intimated that perhaps an official might be designated.\n\n"
        "The rates will probably be lowered in the spring."
    )
    rows = _assertions(
        _letter_claims(body, {"person:renwick": ["Mr. Renwick"], "person:lavis": ["Mr. Lavis"]})
    )
    assert [r["text"][:9] for r in rows] == ["The rates"]
