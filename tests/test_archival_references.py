"""Archival references in Italian, French, German and Spanish conventions; folios, "op. cit.", dates in
those languages; the cross-source split of the training data. The references are written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.citation_scoring import markdown_notes_to_frames
from pipeline.extract import reference_model as rm
from pipeline.extract import reference_training as rt
from pipeline.extract.archival import archival_part, read_shelf_mark
from pipeline.extract.citations import extract_citations, parse_reference, read_reference
from pipeline.extract.csl import name_parts, to_csl
from pipeline.extract.reference_dates import to_edtf


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Archivio di Stato di Venezia, Senato, Dispacci, busta 12, fasc. 3, c. 12v",
            {
                "archive": "Archivio di Stato di Venezia",
                "collection": "Senato, Dispacci",
                "box": "12",
                "file_number": "fasc. 3",
                "folio": "12v",
            },
        ),
        (
            "ASVe, Inquisitori di Stato, filza 1200, ff. 3r-5v",
            {"archive": "ASVe", "collection": "Inquisitori di Stato", "box": "1200", "folio": "3r-5v"},
        ),
        (
            "Archives nationales, fonds Colbert, carton 4, dossier 7",
            {
                "archive": "Archives nationales",
                "collection": "Colbert",
                "box": "4",
                "file_number": "dossier 7",
            },
        ),
        (
            "Archives nationales, AF III 64, dossier 261, pièce 3",
            {"archive": "Archives nationales", "file_number": "AF III 64, dossier 261, pièce 3"},
        ),
        (
            "Archivio di Stato di Venezia (Frari), Scuole piccole e suffragi, b. 613, Atti diversi 1616-1806",
            {
                "archive": "Archivio di Stato di Venezia (Frari)",
                "collection": "Scuole piccole e suffragi, Atti diversi 1616-1806",
                "box": "613",
            },
        ),
        (
            "Bundesarchiv, Bestand R 43, Nr. 1234, Bl. 12",
            {"archive": "Bundesarchiv", "collection": "R 43", "file_number": "Nr. 1234", "folio": "12"},
        ),
        (
            "Archivo General de Simancas, Estado, legajo 1345, folio 23v",
            {"archive": "Archivo General de Simancas", "collection": "Estado", "box": "1345", "folio": "23v"},
        ),
    ],
)
def test_the_rules_read_shelf_marks_of_four_languages(text: str, expected: dict[str, str]) -> None:
    parsed = parse_reference(text, [])
    assert parsed.reference_type == "archival_collection"
    assert not parsed.unparsed
    assert {name: parsed.values.get(name) for name in expected} == expected
    assert read_reference(text, []).method == "rules"


def test_a_dispatch_with_its_date_in_italian() -> None:
    parsed = parse_reference("ASVe, Senato, Dispacci, filza 118, Padova, 4 marzo 1761", [])
    assert parsed.values["archive"] == "ASVe"
    assert parsed.values["box"] == "118"
    assert parsed.values["item_date"] == "1761-03-04"


def test_an_archival_reference_the_rules_read_only_in_part_goes_to_the_model() -> None:
    text = "Archivio di Stato di Venezia, busta 12, (lettera del podestà al Senato sulle acque)"
    assert parse_reference(text, []).unparsed
    assert read_reference(text, []).method == "rules+model"


def test_a_shelf_mark_segment_of_the_model_fills_the_same_columns() -> None:
    assert read_shelf_mark("Senato, Dispacci, b. 12, fasc. 3, cc. 12v-13r") == {
        "collection": "Senato, Dispacci",
        "box": "12",
        "file_number": "fasc. 3",
        "folio": "12v-13r",
    }
    assert read_shelf_mark("Miscellanea Codici, c. 1770") == {"collection": "Miscellanea Codici, c. 1770"}


def _labelled(words_and_labels: list[tuple[str, str]]) -> dict[str, str]:
    text = " ".join(words for words, _ in words_and_labels)
    labels = [label for words, label in words_and_labels for _ in words.split()]
    spans = rm.tokenize(text)
    return rm.to_fields(rm.Labelling(text, spans, labels, [1.0] * len(spans), 1.0))


def test_model_fields_keep_pages_words_whole_and_read_folios_and_dates() -> None:
    fields = _labelled([("G. Rossi,", "author"), ("Storia,", "title"), ("pagg. 131-140.", "pages")])
    assert fields["pages"] == "131-140"
    assert _labelled([("Storia,", "title"), ("S. 12-15.", "pages")])["pages"] == "12-15"
    fields = _labelled([("ASVe,", "archive"), ("Senato, b. 3,", "shelfmark"), ("f. 492r.", "pages")])
    assert (fields["archive"], fields["collection"], fields["box"], fields["folio"]) == (
        "ASVe",
        "Senato",
        "3",
        "492r",
    )
    assert "pages" not in fields
    fields = _labelled([("Lettera,", "title"), ("13 ottobre 1772.", "date")])
    assert (fields["year"], fields["item_date"]) == ("1772", "1772-10-13")


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("13 ottobre 1772", "1772-10-13"),
        ("5. März 1848", "1848-03-05"),
        ("3 janvier 1790", "1790-01-03"),
        ("12 de mayo de 1600", "1600-05-12"),
        ("luglio 1915", "1915-07"),
    ],
)
def test_dates_in_the_languages_of_archival_references(text: str, edtf: str) -> None:
    assert to_edtf(text) == edtf


def test_op_cit_and_cit_short_forms_are_read_and_resolved() -> None:
    notes = [
        "Mario Rossi, *Storia della Repubblica di Venezia* (Milano: Feltrinelli, 1980), 12.",
        "Anna Bianchi, *Il porto e la città* (Roma: Laterza, 1991), 40.",
        "Rossi, op. cit., p. 14.",
        "Bianchi, *Il porto* cit., pagg. 131-140.",
    ]
    _, footnotes, spans = markdown_notes_to_frames("test-opcit", notes)
    rows = {
        row["footnote_id"].rsplit("-", 1)[-1]: row for row in extract_citations(footnotes, spans).to_dicts()
    }
    by_number = [
        rows[key] for key in sorted(rows, key=lambda key: int("".join(c for c in key if c.isdigit())))
    ]
    first, second, op_cit, cit = by_number
    assert (op_cit["reference_type"], op_cit["pages"]) == ("short_form", "14")
    assert op_cit["refers_to"] == first["citation_id"]
    assert (cit["title"], cit["pages"]) == ("Il porto", "131-140")
    assert cit["refers_to"] == second["citation_id"]
    assert cit["resolution_status"] == "resolved"


def test_name_as_printed_and_its_parts() -> None:
    parsed = read_reference("Rossi, Mario, and Anna Bianchi, Il porto e la città (Roma: Laterza, 1991).", [])
    assert parsed.values["authors"] == "Mario Rossi; Anna Bianchi"
    assert parsed.values["authors_as_printed"] == "Rossi, Mario, and Anna Bianchi"
    assert name_parts(parsed.values["authors"]) == ("Rossi; Bianchi", "Mario; Anna")
    assert parsed.values["author_family_names"] == "Rossi; Bianchi"


def test_csl_carries_the_item_date_beside_the_edition_year() -> None:
    item = to_csl("x", "archival_document", {"title": "Dispaccio", "item_date": "1772-10-13", "year": "1990"})
    assert item["issued"] == {"date-parts": [[1990]]}
    assert item["original-date"] == {"date-parts": [[1772, 10, 13]]}
    item = to_csl("y", "journal_article", {"title": "T", "item_date": "1990-03", "year": "1990"})
    assert item["issued"] == {"date-parts": [[1990, 3]]} and "original-date" not in item


SOURCE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<dataset>
  <sequence><author>{name},</author><title>{title}.</title><date>1990.</date></sequence>
  <sequence><author>Shared, A.,</author><title>Common title.</title><date>1991.</date></sequence>
</dataset>
"""


def test_cross_source_split_tests_on_the_held_out_source_only(tmp_path: Path) -> None:
    for source, names in rt.SOURCES.items():
        for name in names:
            xml = SOURCE_XML.format(name=f"{source.title()}, {name[:3].upper()}", title=f"Book of {name}")
            (tmp_path / name).write_text(xml, encoding="utf-8")
    train, test = rt.cross_source(tmp_path, "linkedbooks")
    assert {ref.source.split("#")[0] for ref in test} == {"linkedbooks-valid-test.xml"}
    assert "linkedbooks-valid-test.xml" not in {ref.source.split("#")[0] for ref in train}
    # the reference that also occurs in the training sources is not tested on
    assert [ref.text for ref in test] == ["Linkedbooks, LIN, Book of linkedbooks-valid-test.xml. 1990."]


@pytest.mark.parametrize(
    ("piece", "expected"),
    [
        ("BUSTA 12", ("box", "12")),
        ("Legajo 7", ("box", "7")),
        ("Fasc. 3", ("file_number", "Fasc. 3")),
        ("C. 12v", ("folio", "12v")),
        ("Fondo Senato", ("collection", "Senato")),
        ("Opere complete 12", None),
        ("Journal of Modern History 12", None),
        ("1848", None),
    ],
)
def test_archival_words_lead_a_piece_in_any_case_and_other_pieces_are_not_read(
    piece: str, expected: tuple[str, str] | None
) -> None:
    assert archival_part(piece) == expected


@pytest.mark.parametrize(
    ("piece", "expected"),
    [
        ("F.za 27", ("box", "27")),  # a box word with a period inside it
        ("Sous-dossier 4", ("file_number", "Sous-dossier 4")),  # a file word with a hyphen
        ("FASC. 9", ("file_number", "FASC. 9")),  # words in capitals
        ("Record Group 84", ("collection", "84")),  # a collection word of two words
        ("ff. 17v-18r", ("folio", "17v-18r")),
    ],
)
def test_archival_words_that_are_not_plain_letters_still_open_a_part(piece: str, expected: tuple) -> None:
    assert archival_part(piece) == expected


def test_repository_and_collection_words_are_read_where_they_end_or_begin_a_word() -> None:
    # "Archiv*" and "Bibliot*" begin words: "Archivum ...", "Bibliothèque ..." name repositories.
    parsed = parse_reference("Archivum Capituli Tridentini, Acta varia, Karton 12", [])
    assert parsed.values["archive"] == "Archivum Capituli Tridentini"
    assert parsed.values["box"] == "12"
    library = parse_reference("Bibliothèque municipale de Dole, fonds Chifflet, carton 2", [])
    assert library.values["archive"] == "Bibliothèque municipale de Dole"
    collection = parse_reference("Archivio Comunale di Lucca, Carteggi Minutoli Papers, b. 3", [])
    assert collection.values["archive"] == "Archivio Comunale di Lucca"
    assert "Carteggi Minutoli Papers" in collection.values["collection"]
