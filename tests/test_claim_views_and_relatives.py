"""Claims, issue 33 round 8: cues that are no hedge of the writer's (someone's view, a plan, a concession, a
comparison with what was expected, a condition, a telegram's "said" without "that"), "that" clauses that
report nothing said (a determiner, a relative pronoun, a participle after a noun of opinion, "have it said"),
role nouns that name another office holder, and the words of a law's title. Small texts written in the
shapes of a FRUS letter and a monograph chapter."""

from __future__ import annotations

import polars as pl

from tests.test_claims import _extract, _letter_claims


def _kinds(claims: pl.DataFrame, kind: str) -> list[dict]:
    return claims.filter(pl.col("kind") == kind).to_dicts()


def test_cues_in_another_view_a_plan_a_concession_or_a_condition_are_not_the_writers() -> None:
    body = (
        "It has always been manifest, in President Ruiz’s opinion, that there will probably be "
        "further work.\n\n"
        "I plan soon to call at the Foreign Office, perhaps personally, about the claim.\n\n"
        "The owners are liable, although they may have entered the port in good faith.\n\n"
        "The papers did not comment as extensively as might have been expected.\n\n"
        "If it seems best that the agreements should be ended, the Allies should share the blame.\n\n"
        "Wiseman said relief matter will now doubtless await the President’s arrival.\n\n"
        "The Minister is probably right about the harbour dues."
    )
    rows = _kinds(_letter_claims(body), "author_assertion")
    assert [r["cue"] for r in rows] == ["probably"]
    assert rows[0]["text"].startswith("The Minister is probably right")


def test_clearly_after_be_and_an_adverb_before_a_participle_is_manner() -> None:
    body = (
        "It is now clearly recognized that friendly assistance must be the basis of relations.\n\n"
        "The treaty is clearly within the powers of the Executive."
    )
    rows = _kinds(_letter_claims(body), "author_assertion")
    assert [r["text"][:10] for r in rows] == ["The treaty"]


def test_that_after_a_verb_of_telling_need_open_no_clause_of_saying() -> None:
    body = (
        "So I informed that legation in an official note of the decision.\n\n"
        "I explained the circumstances that might prevent me from attending.\n\n"
        "I am of the opinion expressed in the instruction that the box should be handed over.\n\n"
        "I refused to put my Government in a position to have it said that we supported those views.\n\n"
        "The Department is doubtless informed that the agreement was signed.\n\n"
        "I informed the Minister that the agreement was signed."
    )
    rows = _kinds(_letter_claims(body), "reported_statement")
    assert [r["text"][:24] for r in rows] == ["I informed the Minister "]
    doubtless = _kinds(_letter_claims(body), "author_assertion")
    assert [r["cue"] for r in doubtless] == ["doubtless"]


def test_a_role_noun_is_not_a_topic_holding_another_office() -> None:
    body = (
        "I recommend that Lieutenant Commander Ames be detailed as Attaché. He informs me that he will "
        "gladly serve.\n\n"
        "The Foreign Minister has told me that only one attaché will be kept abroad."
    )
    people = {"person:ames": ["Lieutenant Commander Ames", "Ames"]}
    rows = _kinds(_letter_claims(body, people), "reported_statement")
    minister = [r for r in rows if r["text"].startswith("The Foreign Minister")]
    assert len(minister) == 1
    assert (minister[0]["claimant_id"], minister[0]["claimant_name"]) == (None, "The Foreign Minister")


def test_in_the_words_of_names_the_speaker_and_a_laws_long_title_is_a_title() -> None:
    body = (
        "The canal will be, in the words of Senator Marsh in a recent speech, “the greatest work of the "
        "age.”\n\n"
        "I enclose a copy of an act, “to define, regulate and punish trading with the enemy,” for your "
        "guidance."
    )
    _, out = _extract(body, {"person:marsh": ["Senator Marsh", "Marsh"]})
    quotes = {r["quoted_text"][:12]: r for r in out["claims"].to_dicts() if r["quoted_text"]}
    assert quotes["the greatest"]["claimant_id"] == "person:marsh"
    assert quotes["to define, r"]["kind"] == "title"


def test_a_modal_in_a_condition_or_a_cue_in_anothers_statement_is_no_hedge() -> None:
    body = (
        "The Government pays the surcharge, which would not be the case if the payment could be construed "
        "as a tax.\n\n"
        "Considering his statement that the talks will probably fail, I authorize him to sign.\n\n"
        "The impression gained by them was that he seemed to be in favour of the plan.\n\n"
        "The plan could be construed as a guarantee."
    )
    rows = _kinds(_letter_claims(body), "author_assertion")
    assert [r["text"][:8] for r in rows] == ["The plan"]


def test_a_modal_after_a_subjectless_condition_is_the_main_clauses() -> None:
    body = "This action if continued might well be considered evidence of unconstitutional action."
    rows = _kinds(_letter_claims(body), "author_assertion")
    assert [r["cue"] for r in rows] == ["might well"]
