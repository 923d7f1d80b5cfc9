"""Back-references in the languages of historical scholarship ("Ivi", "Ebd.", "art. cit.", "Id.") and folios
with their recto/verso in the locators of shelf marks and back-references. The references are written for
these tests."""

from __future__ import annotations

import pytest

from evaluation.citation_scoring import markdown_notes_to_frames
from pipeline.extract.citations import extract_citations, parse_reference, read_reference


def _rows(doc: str, notes: list[str]) -> list[dict]:
    _, footnotes, spans = markdown_notes_to_frames(doc, notes)
    return sorted(
        (
            row
            for row in extract_citations(footnotes, spans).to_dicts()
            if row["reference_type"] != "commentary"
        ),
        key=lambda row: int(row["footnote_id"].rsplit("fn", 1)[-1]),
    )


@pytest.mark.parametrize(
    ("text", "column", "value"),
    [
        ("Ivi, p. 45.", "pages", "45"),
        ("ivi, pp. 45-46.", "pages", "45-46"),
        ("Ibidem, pagg. 3-4.", "pages", "3-4"),
        ("Ebd., S. 112.", "pages", "112"),
        ("Ebenda, S. 7-9.", "pages", "7-9"),
        ("Ibíd., págs. 20-22.", "pages", "20-22"),
        ("Ivi, c. 12v.", "folio", "12v"),
        ("Ibid., ff. 3r-5v.", "folio", "3r-5v"),
        ("Ibid. p. 8.", "pages", "8"),
    ],
)
def test_words_for_the_same_work_are_read_as_ibid_with_their_locator(
    text: str, column: str, value: str
) -> None:
    parsed = parse_reference(text, [])
    assert parsed.reference_type == "ibid"
    assert parsed.values[column] == value
    assert not parsed.unparsed


@pytest.mark.parametrize("text", ["Ivins, The Art of War, p. 3.", "Ebdon, A History, 1990."])
def test_a_surname_that_begins_with_a_back_reference_word_is_not_one(text: str) -> None:
    assert parse_reference(text, []).reference_type != "ibid"


def test_ivi_and_ebd_point_at_the_citation_before_with_folio_or_page() -> None:
    notes = [
        "Paolo Neri, *La laguna e i suoi porti* (Venezia: Marsilio, 1988), 12.",
        "Ivi, c. 14r.",
        "Karl Weber, *Die Stadt am Fluss* (Berlin: Akademie, 1975), 30.",
        "Ebd., S. 31.",
    ]
    book, ivi, weber, ebd = _rows("test-ivi", notes)
    assert (ivi["reference_type"], ivi["refers_to"], ivi["folio"]) == ("ibid", book["citation_id"], "14r")
    assert (ebd["reference_type"], ebd["refers_to"], ebd["pages"]) == ("ibid", weber["citation_id"], "31")
    assert ivi["resolution_status"] == ebd["resolution_status"] == "resolved"


@pytest.mark.parametrize(
    ("text", "pages"),
    [
        ("Neri, art. cit., p. 5.", "5"),
        ("Neri, ob. cit., pág. 5.", "5"),
        ("Weber, a.a.O., S. 5.", "5"),
        ("Neri, op.cit., p. 5.", "5"),
        ("Neri, op. laud., p. 5.", "5"),
    ],
)
def test_cited_marks_of_several_languages_make_an_author_short_form(text: str, pages: str) -> None:
    parsed = parse_reference(text, [])
    assert parsed.reference_type == "short_form"
    assert parsed.op_cit
    assert "title" not in parsed.values
    assert parsed.values["pages"] == pages


def test_surname_and_initials_are_not_a_cited_mark() -> None:
    parsed = parse_reference("Neri, O. C.", [])
    assert parsed.reference_type != "short_form"
    assert "Neri" in parsed.values["authors"]


def test_art_cit_resolves_to_the_authors_article() -> None:
    notes = [
        "Paolo Neri, “I porti minori,” *Studi veneziani* 12 (1986): 40-60.",
        "Anna Verdi, *Il sale* (Roma: Laterza, 1990), 3.",
        "Neri, art. cit., p. 45.",
    ]
    article, _, short = _rows("test-artcit", notes)
    assert short["reference_type"] == "short_form"
    assert short["refers_to"] == article["citation_id"]
    assert short["pages"] == "45"


def test_idem_takes_the_authors_of_the_citation_before_and_names_a_new_work() -> None:
    notes = [
        "Paolo Neri, *La laguna e i suoi porti* (Venezia: Marsilio, 1988), 12.",
        "Id., *Le saline di Chioggia* (Venezia: Marsilio, 1992), 7.",
        "Eadem, *Altro libro* (Padova: Cleup, 1995), 2.",
    ]
    first, idem, eadem = _rows("test-idem", notes)
    assert idem["authors"] == first["authors"]
    assert idem["authors_as_printed"] == "Id."
    assert idem["title"] == "Le saline di Chioggia"
    assert idem["refers_to"] is None  # a new work: not the same work as the citation before
    assert eadem["authors"] == first["authors"]


def test_idem_read_alone_has_no_author_and_keeps_the_printed_word() -> None:
    parsed = read_reference("Idem, Le saline di Chioggia, Venezia 1992.", [])
    assert not parsed.values.get("authors")
    assert parsed.values["authors_as_printed"] == "Idem"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AGS, Estado, leg. 1234, fol. 3v", {"box": "1234", "folio": "3v"}),
        ("Archives nationales, carton K 1234", {"archive": "Archives nationales", "box": "K 1234"}),
        ("Box 3, Fol. 12", {"box": "3", "file_number": "12"}),
        (
            "Biblioteca Ambrosiana, Cod. D 120 inf., ff. 7r-9v",
            {"archive": "Biblioteca Ambrosiana", "file_number": "Cod. D 120 inf", "folio": "7r-9v"},
        ),
    ],
)
def test_folios_with_their_side_and_boxes_with_a_series_letter(text: str, expected: dict[str, str]) -> None:
    parsed = parse_reference(text, [])
    assert {name: parsed.values.get(name) for name in expected} == expected
    assert parsed.reference_type == "archival_collection"


def test_a_year_after_c_is_circa_not_a_folio() -> None:
    assert "folio" not in parse_reference("Ivi, c. 1650.", []).values


@pytest.mark.parametrize(
    ("text", "authors", "title"),
    [
        ("Ms. Lat. 4410, [Pietro Gradenigo] Memorie della città 1701-1748.", "Pietro Gradenigo", None),
        (
            "Cod. Ven. 88, Tommaso Zen, Giornale di bordo 1612-1615.",
            "Tommaso Zen",
            "Giornale di bordo 1612-1615",
        ),
    ],
)
def test_after_a_manuscript_call_number_an_attribution_writer_and_covered_years_are_read(
    text: str, authors: str, title: str | None
) -> None:
    parsed = read_reference(text, [])
    assert parsed.values["authors"] == authors
    assert parsed.reference_type == "archival_document"
    if title:
        assert parsed.values["title"] == title
        assert "year" not in parsed.values


@pytest.mark.parametrize(
    ("text", "signal"),
    [("Cfr. ivi, p. 9.", "Cfr."), ("Vgl. ebd., S. 9.", "Vgl."), ("Voir ibid., p. 9.", "Voir")],
)
def test_signals_of_other_languages_are_set_apart_from_the_back_reference(text: str, signal: str) -> None:
    parsed = parse_reference(text, [])
    assert (parsed.signal, parsed.reference_type, parsed.values["pages"]) == (signal, "ibid", "9")


def test_an_abbreviated_same_author_word_needs_its_period() -> None:
    assert parse_reference("Eid, Nabil, Storia del Cairo, Roma 1990.", []).same_author is None
    assert parse_reference("Eid., Storia del Cairo, Roma 1990.", []).same_author == "Eid., "
    assert parse_reference("Idem, Storia del Cairo, Roma 1990.", []).same_author == "Idem, "
