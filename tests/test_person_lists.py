"""Names in lists, headings and telegrams, and the words there that are no one (issue 31, round 8).

The small texts are written for these tests, in the style of a document collection: numbered outlines, lists
of captions and entries, countries of two words, shipping lines, offices that are stacked, headings whose
holder's name is also a month or a form of address, and ships' names in italics.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.extract.entities import find_mentions, load_authority
from pipeline.extract.persons import find_person_names
from pipeline.text.clean import clean_document


def _names(text: str) -> list[str]:
    return [text[s.title_start : s.end] for s in find_person_names(text)]


def test_a_roman_numbered_outline_item_is_no_initial_and_surname() -> None:
    outline = "Topics\n\nI. Neglected Provinces, their history.\n\nII. Trade and Tariffs.\n\nIII. Law."
    assert _names(outline) == []
    # Without the numbered list around it the same form is a person's initial and surname.
    assert _names("The report of I. Hartwell was read.") == ["I. Hartwell"]


def test_a_caption_in_a_list_of_captions_and_entries_is_no_signature() -> None:
    listing = "Shipping\n\nOdell and another (Ask Brant) Fenwick.\n\nCoal\n\nTrask and another.\n\nAviation"
    assert "Coal" not in _names(listing)
    telegram = (
        "The Secretary of State to the Minister in Ruritania (Odell)\n\n"
        "Washington, May 4, 1917, 6 p.m.\n\n"
        "Ascertain the attitude of the Government at once.\n\n"
        "Fenwick"
    )
    assert _names(telegram) == ["Odell", "Fenwick"]


def test_a_country_of_two_words_is_no_speaker_and_a_line_before_a_ship_no_person() -> None:
    text = (
        "Both Salvador and Costa Rica denounced the treaty. He sails by Grace Line steamer today, "
        "and Grace Holbrook said she would follow."
    )
    assert _names(text) == ["Grace Holbrook"]


def test_a_stacked_office_or_a_title_after_an_office_is_no_name() -> None:
    text = (
        "A Governor General Viceroy was vested with full powers. Cables from Viceroy Earl Li Hung, dated "
        "today, reached Senator King, who said so."
    )
    names = _names(text)
    assert "Senator King" in names
    assert not any("Viceroy" in n or "Earl" in n for n in names)


def test_an_ordinal_after_a_name_is_not_its_surname() -> None:
    assert _names("For the Secretary of State: Alvey A. Hendee Second Assistant Secretary") == [
        "Alvey A. Hendee"
    ]


def test_a_heading_holder_named_like_a_month_or_a_title_is_found_but_not_as_a_date() -> None:
    text = (
        "The Attaché at London (Slocum) to the Chief of Staff, War Department (March)\n\n"
        "London, May 2, 1918.\n\nYour 6913, March 16, 6 p.m. received.\n\n"
        "The Officer of the Section (Lord) to the Secretary (Monday)"
    )
    found = [(text[s.start : s.end], s.reason) for s in find_person_names(text)]
    assert ("March", "heading") in found
    assert ("Lord", "heading") in found
    assert ("March", "surname") not in found  # the date
    assert all(name != "Monday" for name, _ in found)
    assert "Swedish" not in _names("The Minister in Sweden (Swedish) to the Secretary of State")


def test_two_initials_before_a_title_word_or_a_people_make_a_surname() -> None:
    names = _names("Clerks: R. H. Lord, W. L. Trask, C. B. Welsh, H. C. Coney. At 10 P.M. April 3.")
    assert "R. H. Lord" in names
    assert "C. B. Welsh" in names
    assert not any("April" in n for n in names)
    # A form of address after two initials and before a name is a title ("H. M. Lord Chancellor").
    assert not any(n.endswith("Lord") for n in _names("Then H. M. Lord Chancellor Brandt spoke."))


def test_a_possessive_apostrophe_after_a_final_s_or_z_ends_the_name() -> None:
    names = _names("Mr. Dulles’ letter and M. Pilz’ application were read; Mr. O’Brien’s was not.")
    assert names == ["Mr. Dulles", "M. Pilz", "Mr. O’Brien"]


def test_a_pair_that_ends_an_office_before_its_holder_is_no_recurring_name() -> None:
    text = (
        "The Secretary of the Commission to Negotiate Peace (Grew) to the Ambassador in France (Sharp)\n\n"
        "The Commission to Negotiate Peace met. Peace is near."
    )
    assert _names(text) == ["Grew", "Sharp"]


def test_a_surname_known_only_from_a_ship_in_italics_is_no_person(tmp_path: Path) -> None:
    (tmp_path / "persons.yaml").write_text(yaml.safe_dump({"entity_type": "person", "entities": []}))
    authority = load_authority(tmp_path)
    source = (
        "The vessels *Kronprinz Albrecht* and *Prinz Eitel Wendelin* are at the yard.\n\n"
        "The ships are the following:\n\nKronprinz Albrecht\n\nWendelin der Grosse\n\nRhein\n\n"
        "Mr. Hartwell reported it."
    )
    document = clean_document(source, "t", "t.md")
    _, unlinked = find_mentions(
        document.text, document.sentences, document.footnotes, authority, document.emphasis_spans
    )
    assert unlinked["text"].to_list() == ["Mr. Hartwell"]


def test_a_numbered_telegram_for_someone_names_its_addressee() -> None:
    text = (
        "Paris, May 2, 1918.\n\n177. For House. The Department has your cable to House’s staff.\n\n"
        "118. Secret for Hartwell only. The matter is urgent.\n\n3. For the President. Noted."
    )
    assert _names(text) == ["House", "House", "Hartwell"]  # the bare surname after it too
    # A common word after a form of address before a full stop is a surname where the paper also writes it
    # without the stop; a word it writes only so is an abbreviation ("Rev. Stat.", the Revised Statutes).
    names = _names("He saw Mr. House. House agreed. Messrs. Hartwell and Co. replied under Rev. Stat. 5.")
    assert names == ["Mr. House", "House"]


def test_a_form_of_address_listed_after_messrs_is_a_surname() -> None:
    names = _names("To Messrs. Beer, Day, Lord, Lunt, and Young. Messrs. Hartwell, May, and Trask.")
    assert "Lord" in names
    assert "May" not in names  # a month stays a date even there
    assert "Col. U. S. Hartwell" in _names("Present: Col. U. S. Hartwell, Genl. Staff. The U. S. Army came.")


def test_an_office_a_hyphened_common_word_or_a_lettered_phrase_is_no_one() -> None:
    text = (
        "The British Embassy to the Department of State, sent in full as follows today.\n\n"
        "Aide-Mémoire\n\n"
        "Resolution A. Regret that the cabling was delayed; we regret the resolution. Foreign "
        "Trade Controller having asked for a conference stated his view. John A. Hartwell and "
        "Saint-Aulaire said."
    )
    assert _names(text) == ["John A. Hartwell", "Saint-Aulaire"]


def test_a_word_before_several_letters_labels_items_and_is_no_given_name() -> None:
    text = "Resolution A. Exact question of supply. Resolution B. Establishment of a board."
    assert _names(text) == []
    assert _names("John A. Hartwell and John B. Trask signed.") == ["John A. Hartwell", "John B. Trask"]
    assert _names("Article X. Everything stands. Article XI. Nothing changes.") == []
    # A middle initial that varies by a misprint ("M." and "A.") is still a name's.
    names = _names("Signed: Ernesto A. da Rocha. Later Ernesto M. [A.] da Rocha wrote.")
    assert "Ernesto A. da Rocha" in names
