"""Claims, issue 33 round 9: pronouns and role nouns as claimants. A demonstrative with a person noun ("This
official said") is a speaker that later pronouns stand for; "both he and X assured me" names both; a titled
surname written with two given names in the paper is not expanded to either; a title joined by a dash ("Under–
Secretary") is one word. Small texts written in the shape of a FRUS letter."""

from __future__ import annotations

import polars as pl

from tests.test_claims import _letter_claims


def _said(claims: pl.DataFrame) -> list[tuple[str, str | None]]:
    rows = claims.filter(pl.col("kind") == "reported_statement").sort("char_start").to_dicts()
    return [(r["text"][:12], r["claimant_name"]) for r in rows]


def test_a_demonstrative_role_is_the_speaker_later_pronouns_stand_for() -> None:
    body = (
        "I called at the Ministry of Marine and saw Mr. Henri Dubois, the Director of Ports.\n\n"
        "This official said that the Government had no news and that the Danish Consul whom he had seen "
        "could add nothing. He (this official) believed however that the strike would end soon.\n\n"
        "He said that the harbour would reopen on Monday."
    )
    said = _said(_letter_claims(body))
    assert said, "the statements are found"
    assert all(name == "Henri Dubois" for _, name in said), said


def test_this_official_before_a_noun_is_no_speaker() -> None:
    body = (
        "Mr. Henri Dubois called on me yesterday.\n\n"
        "The complaint of this official intervention states that the court was misled."
    )
    names = [name for _, name in _said(_letter_claims(body))]
    assert "Henri Dubois" not in names


def test_both_he_and_another_name_both_speakers() -> None:
    body = (
        "Mr. Paul Hibbard does not see the need of a second letter but both he and Laval have assured me "
        "that they will sign it."
    )
    said = _said(_letter_claims(body, {"person:laval": ["Laval"]}))
    assert said and "Hibbard" in (said[0][1] or "") and "Laval" in (said[0][1] or ""), said


def test_a_surname_two_relatives_share_is_not_expanded() -> None:
    body = (
        "Mr. Juan Ortega and his brother Luis Ortega called at the Legation.\n\n"
        "President Ortega told me that the elections would be held in May."
    )
    said = _said(_letter_claims(body))
    assert said and said[0][1] and "Luis" not in said[0][1] and "Juan" not in said[0][1], said


def test_a_surname_one_person_bears_is_expanded() -> None:
    body = "Mr. Juan Ortega called.\n\nPresident Ortega told me that the elections will be held."
    said = _said(_letter_claims(body))
    assert said == [("President Or", "Juan Ortega")], said


def test_a_title_joined_by_a_dash_is_not_split() -> None:
    body = (
        "When discussing the matter, Dr. Karl Weber the Under–Secretary of State for Foreign Affairs who is "
        "now absent, stated that it would not be possible to reply soon."
    )
    said = _said(_letter_claims(body))
    assert said and "Weber" in (said[0][1] or ""), said


def test_a_titled_surname_takes_the_full_name_written_with_that_title() -> None:
    body = (
        "President Juan Ortega of Ruritania received me.\n\nHis brother Luis Ortega was present.\n\n"
        "President Ortega told me that the elections will be held in May."
    )
    said = _said(_letter_claims(body))
    assert said and said[-1][1] == "President Juan Ortega of Ruritania", said


def test_a_titled_surname_takes_the_name_written_after_that_title() -> None:
    body = (
        "General Pedro Ortega sent troops to the club.\n\nHis cousin Luis Ortega was arrested.\n\n"
        "General Ortega told me that he had avoided bloodshed."
    )
    said = _said(_letter_claims(body))
    assert said and said[-1][1] == "Pedro Ortega", said


def test_a_demonstrative_role_never_named_is_a_person_as_printed() -> None:
    body = (
        "In conversation with an official at the Ministry yesterday he said that the note was late.\n\n"
        "This official said that the Cabinet had not met. He said that the reply would come next week."
    )
    said = _said(_letter_claims(body))
    assert [name for _, name in said[-2:]] == ["This official", "This official"], said
