"""Bare names made persons by their affiliation or their company, and rows of places or numerals that are
no one (issue 31, round 9).

The small texts are written for these tests in the style of a telegram or a treaty's annex: a name with its
body before a verb of saying, a name joined by "and" to a bare surname the paper elsewhere gives a person
with a given name or an office, and a table of countries and their letters.
"""

from __future__ import annotations

from pipeline.extract.persons import find_person_names


def _names(text: str) -> list[str]:
    return [text[s.title_start : s.end] for s in find_person_names(text)]


def test_a_name_with_its_body_before_a_verb_of_saying_is_a_person() -> None:
    text = "Prices rose again. Harcourt of British Treasury told Davis that Harcourt would report."
    names = _names(text)
    assert names.count("Harcourt") == 2
    # A body's own words before "of" are no one ("the Bank of Ruritania said"), nor a place after "in".
    assert _names("Then the Bank of Ruritania said no. The Commission of Inquiry stated the facts.") == []
    assert "Ruritania" not in _names("Delegates in Ruritania of the Northern Provinces said so.")


def test_a_name_joined_by_and_to_a_surname_the_paper_gives_a_person_is_a_person() -> None:
    text = (
        "The Governor takes with him Ormsby and Vantress, not Lyle.\n\n"
        "1. Rear Admiral Lucius T. Ormsby, surgeon to the Governor."
    )
    assert "Vantress" in _names(text)
    # Without the person elsewhere in the paper the pair says nothing about either word.
    assert "Vantress" not in _names("The Governor takes with him Ormsby and Vantress, not Lyle.")
    # A surname opening a quotation is a title's first word ("“Ormsby and Health”" is a book).
    quoted = text.replace("with him Ormsby and Vantress", "with him “Ormsby and Vantress”")
    assert "Vantress" not in _names(quoted)


def test_countries_in_a_row_and_a_numeral_after_numerals_are_no_one() -> None:
    table = "The letters are: Mexico MEX Nicaragua NIC Panama R. P. Paraguay PY Peru PE."
    assert _names(table) == []
    numerals = "As noted in Articles II, III and V. References to lines are to the draft of J. Whitcombe."
    assert _names(numerals) == ["J. Whitcombe"]
    assert _names("Then I and V. Whitcombe left.") == ["V. Whitcombe"]


def test_a_numbered_thing_and_a_firm_without_its_full_stop_are_no_one() -> None:
    assert _names("Referring to General Directive No. 554 of May 7, Mr. Hay wrote.") == ["Mr. Hay"]
    rows = "Omaha, May 1, 1897 Dunmore Canning Co Do\n\nDunmore Canning Co Do. Then Canning."
    assert _names(rows) == []
    # The same words without the number or the firm's word still name persons.
    assert _names("General Grant wrote again.") == ["General Grant"]
