"""References that are, or begin with, a shelf mark: a holding and its box with no repository named, a
manuscript's call number before its author and title, a bracketed shelf mark after a repository, and a
repository cited by spaced initials. The references are written for these tests."""

from __future__ import annotations

import pytest

from pipeline.extract import archival
from pipeline.extract.citations import parse_reference, read_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Senato, Deliberazioni secrete, reg. 41.",
            {"collection": "Senato, Deliberazioni secrete", "box": "41"},
        ),
        ("Notarile: Buste 12-15, 19", {"collection": "Notarile", "box": "12-15, 19"}),
        ("Conseil du Roi, carton 7, f. 12v", {"collection": "Conseil du Roi", "box": "7", "folio": "12v"}),
        (
            "Consejo de Castilla, Sala de Gobierno, leg. 912.",
            {"collection": "Consejo de Castilla, Sala de Gobierno", "box": "912"},
        ),
    ],
)
def test_a_holding_and_its_box_is_read_whole_without_a_repository(
    text: str, expected: dict[str, str]
) -> None:
    parsed = parse_reference(text, [])
    assert parsed.reference_type == "archival_collection"
    assert not parsed.unparsed
    assert {name: parsed.values.get(name) for name in expected} == expected
    assert not parsed.values.get("authors")


@pytest.mark.parametrize(
    "text",
    [
        "Storia di Milano, vol. 3",  # a volume of a book, not a box
        "Smith, J. Phys. B 12, 345",  # a journal series letter without its period
        "Annali veneti, b. 1612",  # a number that looks like a year
        "Archivio di Stato di Napoli, Sommaria, b. 12",  # a named repository: the piecewise reader's
    ],
)
def test_what_is_not_a_bare_holding(text: str) -> None:
    assert archival.whole_holding(text) is None


def test_a_manuscript_call_number_before_author_and_title() -> None:
    text = "Cod. Lat. XIV. 102 (= 4283), ff. 12r-30v, Marco Barbaro, Genealogie delle famiglie patrizie."
    head = archival.shelf_mark_head(text)
    assert head is not None
    assert head.values == {"file_number": "Cod. Lat. XIV. 102 (= 4283)", "folio": "12r-30v"}
    assert text[head.end :].startswith("Marco Barbaro")
    parsed = read_reference(text, [])
    assert parsed.values["file_number"] == "Cod. Lat. XIV. 102 (= 4283)"
    assert parsed.values["folio"] == "12r-30v"
    assert "Cod" not in (parsed.values.get("authors") or "")
    assert parsed.reference_type in ("archival_document", "archival_collection")


def test_a_bracketed_shelf_mark_after_a_repository() -> None:
    head = archival.shelf_mark_head("Biblioteca Estense: [ms. 1207], Cronaca di Modena.")
    assert head is not None
    assert head.values["archive"] == "Biblioteca Estense"
    assert head.values["file_number"] == "ms. 1207"  # a call number, as at a reference's start
    named = archival.shelf_mark_head("Biblioteca Estense: [ms. 1207 (Campori)].")
    assert named is not None and named.values["file_number"] == "ms. 1207 (Campori)"


@pytest.mark.parametrize(
    "text",
    [
        "Ms. thesis, University of Padua, 1998",  # no number before the comma
        "Mann, Thomas. Der Zauberberg. Berlin: Fischer, 1924.",
        "Biblioteca italiana [1820], 12-14",  # a journal of that name, its year in brackets
    ],
)
def test_what_does_not_begin_with_a_shelf_mark(text: str) -> None:
    assert archival.shelf_mark_head(text) is None


def test_a_repository_by_spaced_initials_only_at_the_start() -> None:
    parsed = parse_reference("A. S. T., Corte, Materie politiche, mazzo 4, c. 18.", [])
    assert parsed.values["archive"] == "A. S. T."
    assert parsed.values["box"] == "4"
    assert parsed.values["folio"] == "18"
    person = parse_reference("Bianchi, G. L., Lettere inedite, mazzo 4, c. 18.", [])
    assert person.values.get("archive") in (None, "")


def test_a_date_in_parentheses_in_an_archival_reference_is_its_item_date() -> None:
    parsed = parse_reference("Archivio di Stato di Genova, Notai antichi, b. 301, (12 marzo 1541)", [])
    assert parsed.values["item_date"] == "1541-03-12"
    assert not parsed.unparsed


def test_a_document_described_after_its_box_is_the_title_not_part_of_the_box() -> None:
    parsed = parse_reference(
        "ASMi, Culto, PA, busta 1456: supplica dei fabbricieri, Monza, 4 aprile 1788", []
    )
    assert parsed.values["box"] == "1456"
    assert parsed.values["title"] == "supplica dei fabbricieri"
    assert parsed.values["item_date"] == "1788-04-04"
    assert "PA" in parsed.values["collection"]
    assert parsed.reference_type == "archival_document"


def test_a_year_before_a_colon_is_not_a_box() -> None:
    parsed = parse_reference("Li, X. and Peng, B. 2007: Geography in higher education. Journal 31, 19-37", [])
    assert parsed.values.get("box") != "2007"
