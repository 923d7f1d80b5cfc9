"""Context the reference model sees beyond ±3 tokens (feature set 10), and rule readings that must not claim
a reference they read only by accident. Small references written for these conventions."""

from __future__ import annotations

from pipeline.extract import reference_model as rm
from pipeline.extract import reference_relabel
from pipeline.extract.citations import parse_reference
from pipeline.extract.reference_features import sequence_features, word_features


def _flags(text: str, prefixes: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    return [
        (token, sorted(feature for feature in features if feature.startswith(prefixes)))
        for token, features in zip(text.split(), sequence_features(text), strict=True)
    ]


def test_a_container_lead_where_a_field_begins_marks_what_follows() -> None:
    flags = _flags("M. Fois, I religiosi in Venezia, in La Chiesa, Venezia 1989", ("lead", "after_lead"))
    ins = [found for token, found in flags if token == "in"]
    assert ins == [[], ["lead", "lead=cap"]]  # the "in" after "religiosi" is not at a field's start
    assert dict(flags)["La"] == ["after_lead"]
    assert dict(flags)["religiosi"] == []
    # An "in" inside the title (no comma, period or colon before it) leads nothing.
    assert [token for token, found in _flags("Women in Italy, Rome 1990", ("lead",)) if found] == []


def test_a_container_lead_tells_what_word_follows_it() -> None:
    """ "in J. Smith (ed.)" opens an editor, "in La civiltà" and "in «Archivio veneto»" a title."""
    for text, opener in (
        ("A. Rossi, Titolo, in J. Smith (ed.), Essays, London 1990", "initial"),
        ("A. Rossi, Titolo, in Smith, J. (ed.), Essays, London 1990", "name,"),
        ("A. Rossi, Titolo, in La civiltà veneziana, Firenze 1958", "cap"),
        ("A. Rossi, Titolo, in «Archivio veneto», XII (1990)", "cap"),
    ):
        flags = dict(_flags(text, ("lead=", "alead=")))
        assert flags["in"] == [f"lead={opener}"], text
        following = text.split()[text.split().index("in") + 1]
        assert flags[following] == [f"alead={opener}"], text


def test_what_follows_a_place_and_a_comma() -> None:
    """ "Venezia, Marsilio": a capitalised word that is no place is the publisher; "Cambridge, MA", "Paris,
    France", "Portland, OR": the place's region; a year or a month is the date."""
    flags = dict(_flags("Storia, Venezia, Marsilio, 1990", ("apl=",)))
    assert (flags["Marsilio,"], flags["Venezia,"], flags["1990"]) == (["apl=cap"], [], [])
    assert dict(_flags("Semantics. Cambridge, MA: MIT Press.", ("apl=",)))["MA:"] == ["apl=region"]
    assert dict(_flags("Droit. Paris, France, 1990", ("apl=",)))["France,"] == ["apl=region"]
    portland = dict(_flags("Proceedings, Portland, OR, April 1991", ("apl=",)))
    assert portland["OR,"] == ["apl=code"]  # capitals: a state's code, not the word "or"
    assert dict(_flags("Droit, Paris, 1990", ("apl=",)))["1990"] == ["apl=year"]
    # Only after a place: a comma after a title word tells nothing.
    assert dict(_flags("Storia, Marsilio, 1990", ("apl=",)))["Marsilio,"] == []


def test_a_reference_that_begins_with_its_year_is_read_from_the_author() -> None:
    """Bibliographies ordered by year print the year first ("1604 MARZARI Giacomo, ..."): the token after
    the year has the features of a reference's first token, and the year does not count as one before it."""
    text = "1604 MARZARI Giacomo, La historia di Vicenza, Vicenza."
    plain = "MARZARI Giacomo, La historia di Vicenza, Vicenza."
    prefixes = ("start", "pos=", "seg=", "cseg=", "after_year")
    with_year = dict(_flags(text, prefixes))
    without_year = dict(_flags(plain, prefixes))
    for token in ("MARZARI", "Giacomo,", "historia", "Vicenza."):
        assert with_year[token] == without_year[token], token
    assert with_year["1604"] == ["cseg=0", "pos=0", "seg=0", "start"]
    # A year later in the reference changes nothing before it.
    assert "after_year" in dict(_flags("Rossi, Storia 1990, Venezia", ("after_year",)))["Venezia"]


def test_an_editor_phrase_marks_its_words_and_ends_the_container() -> None:
    text = "A. Rossi, Titolo, in Scritti vari, a cura di G. Vian, Venezia 1990"
    flags = _flags(text, ("phrase=", "after_lead"))
    by_token = dict(flags)
    assert by_token["cura"] == ["phrase=editor"] and by_token["di"] == ["phrase=editor"]
    assert by_token["Scritti"] == ["after_lead"]
    assert by_token["Vian,"] == []  # the container's flag stops at the editor phrase
    assert dict(_flags("E. Zucchetta (a c. di), San Lazzaro", ("phrase=")))["c."] == ["phrase=editor"]


def test_quotation_marks_tell_a_second_quoted_field_and_what_follows_a_quotation() -> None:
    flags = dict(_flags("Rossi, «La guerra», «Studi storici», XII (1990)", ("quoted", "after_quote")))
    assert flags["«La"] == ["quoted"]
    assert flags["«Studi"] == ["quoted", "quoted_again"]
    assert flags["XII"] == ["after_quote"]


def test_ocr_variants_and_hyphenated_words_keep_their_word_classes() -> None:
    assert "c=volume_mark" in word_features("voi.") and "c=volume_mark" in word_features("voll.")
    assert "c=pages_mark" in word_features("pagg.")
    assert "c=place" in word_features("Ve-nezia,")  # a line-end hyphen OCR kept
    # The previous token's word class joined with its final comma: "Venezia," before a publisher.
    flags = dict(_flags("Venezia, Marsilio, 2004", ("1c=",)))
    assert "1c=place," in flags["Marsilio,"]


def test_rules_leave_to_the_model_what_they_would_read_as_an_archive_or_names_by_accident() -> None:
    long_title = (
        "Documenti per la storia della basilica di San Marco dall'Archivio di Stato e dalla Biblioteca "
        "Marciana, Venezia 1886"
    )
    assert "archive" not in parse_reference(long_title, []).values
    holding_words = "Serie dei dogi di Venezia intagliati in rame da Antonio Nani con notizie, Venezia 1840"
    assert "collection" not in parse_reference(holding_words, []).values
    title_case = parse_reference("P. Toesca, Quelques Miniatures Venetiennes du XIVe Siècle, Roma 1946", [])
    assert title_case.values.get("authors") == "P. Toesca"
    assert title_case.unparsed  # the title in title case is not read as more names


def test_a_bare_year_among_locators_is_the_year_not_a_page() -> None:
    parsed = parse_reference("P. Toesca, in “Scriptorium”, 1, 1946, pp. 70-74.", [])
    assert parsed.values["year"] == "1946"
    assert "1946" not in parsed.values["pages"]
    # Archive still read where it is short: the repository, a holding, a box.
    archival = parse_reference("Archivio di Stato di Venezia, Senato, busta 12", [])
    assert (archival.values["archive"], archival.values["box"]) == ("Archivio di Stato di Venezia", "12")


def test_a_model_reading_without_title_takes_its_first_note_as_the_title() -> None:
    text = "Girolamo Priuli, Diarii (voi. I, copia). Manoscritto autografo."
    labels = ["author", "author", "note", "note", "note", "note", "note", "note"]
    spans = rm.tokenize(text)
    fields = rm.to_fields(rm.Labelling(text, spans, labels, [1.0] * len(spans), 1.0))
    assert fields["title"] == "Diarii (voi. I, copia). Manoscritto autografo"
    assert "note" not in fields
    # With a title, the notes stay notes.
    labels = ["author", "author", "title", "note", "note", "note", "note", "note"]
    fields = rm.to_fields(rm.Labelling(text, spans, labels, [1.0] * len(spans), 1.0))
    assert (fields["title"], fields["note"]) == ("Diarii", "voi. I, copia). Manoscritto autografo")


def test_a_span_of_years_the_model_calls_pages_is_the_date_when_there_is_no_other() -> None:
    text = "A. Venturi, Storia dell'arte italiana, Milano, 1901-1936."
    labels = ["author", "author", "title", "title", "title", "place", "pages"]
    spans = rm.tokenize(text)
    fields = rm.to_fields(rm.Labelling(text, spans, labels, [1.0] * len(spans), 1.0))
    assert (fields["year"], fields.get("pages")) == ("1901-1936", None)
    for printed in ("pp. 1901-1936.", "1936-1901.", "1523-30,"):  # a page word, a span backwards, an article
        text = f"A. Venturi, Storia, 1990, {printed}"
        labels = ["author", "author", "title", "date", *["pages"] * len(printed.split())]
        spans = rm.tokenize(text)
        assert "pages" in rm.to_fields(rm.Labelling(text, spans, labels, [1.0] * len(spans), 1.0))


def test_a_quoted_container_ends_where_its_quotation_closes() -> None:
    text = "Patti e condizioni, in «Archivio storico italiano», ser. 1, t. ix."
    labels = [
        "title",
        "title",
        "title",
        "container",
        "container",
        "container",
        "container",
        "container",
        "container",
        "volume",
        "volume",
    ]
    spans = rm.tokenize(text)
    fields = rm.to_fields(rm.Labelling(text, spans, labels, [1.0] * len(spans), 1.0))
    assert fields["container_title"] == "Archivio storico italiano"
    unquoted = "Patti, in Archivio storico italiano, ser. 1"
    labels = ["title", *["container"] * 6]
    spans = rm.tokenize(unquoted)
    fields = rm.to_fields(rm.Labelling(unquoted, spans, labels, [1.0] * len(spans), 1.0))
    assert fields["container_title"] == "Archivio storico italiano, ser. 1"


def test_a_title_the_model_runs_on_through_in_and_a_quotation_ends_before_in() -> None:
    """ "Titolo, in «Archivio veneto», XII": the lead word and the quotation are the container, when the model
    read them as more title; what follows the closing mark keeps its label."""
    text = "A. Rossi, La guerra, in «Archivio veneto», XII, 1990."
    spans = rm.tokenize(text)
    labels = ["author", "author", "title", "title", "title", "title", "title", "volume", "date"]
    relabelled = reference_relabel.quoted_container_after_title(text, spans, labels)
    assert relabelled == [*labels[:4], "container", "container", "container", "volume", "date"]
    fields = rm.to_fields(rm.Labelling(text, spans, relabelled, [1.0] * len(spans), 1.0))
    assert (fields["title"], fields["container_title"]) == ("La guerra", "Archivio veneto")
    # Left alone: "in" inside a title (no comma before it), a quotation that does not close within the
    # title's tokens, and a title that does not run on ("in" already labelled otherwise).
    inside = "A. Rossi, La guerra in «Friuli» e altrove, 1990."
    labels = ["author", "author", "title", "title", "title", "title", "title", "title", "date"]
    assert reference_relabel.quoted_container_after_title(inside, rm.tokenize(inside), labels) == labels
    unclosed = "A. Rossi, La guerra, in «Archivio veneto, XII, 1990."
    labels = ["author", "author", "title", "title", "title", "title", "title", "volume", "date"]
    assert reference_relabel.quoted_container_after_title(unclosed, rm.tokenize(unclosed), labels) == labels
    labels = ["author", "author", "title", "title", "editor", "editor", "editor", "volume", "date"]
    assert reference_relabel.quoted_container_after_title(text, spans, labels) == labels


def test_an_unquoted_container_after_a_comma_and_in_ends_the_title() -> None:
    """ "Titolo, in Miscellanea di studi, Padova 1970": "in" and the rest of the title run are the
    container; "in" without a comma before it, or before a lower-case word, stays in the title."""
    text = "B. Conti, Le fiere, in Miscellanea di studi lombardi, Padova 1970."
    spans = rm.tokenize(text)
    labels = ["author", "author", *["title"] * 7, "place", "date"]
    relabelled = reference_relabel.unquoted_container_after_title(text, spans, labels)
    assert relabelled == [*labels[:4], *["container"] * 5, "place", "date"]
    fields = rm.to_fields(rm.Labelling(text, spans, relabelled, [1.0] * len(spans), 1.0))
    assert (fields["title"], fields["container_title"]) == ("Le fiere", "Miscellanea di studi lombardi")
    for kept in (
        "B. Conti, Le fiere in Lombardia, Padova 1970.",
        "B. Conti, Le fiere, in breve, Padova 1970.",
    ):
        kept_labels = ["author", "author", "title", "title", "title", "title", "place", "date"]
        assert (
            reference_relabel.unquoted_container_after_title(kept, rm.tokenize(kept), kept_labels)
            == kept_labels
        )
    editors = [*labels[:5], "editor", "editor", "editor", "editor", "place", "date"]
    assert reference_relabel.unquoted_container_after_title(text, spans, editors) == editors


def test_a_roman_numeral_piece_at_the_end_of_a_title_run_is_the_volume() -> None:
    text = "B. Conti, Cronache lombarde, III, Milano 1901."
    spans = rm.tokenize(text)
    labels = ["author", "author", "title", "title", "title", "place", "date"]
    relabelled = reference_relabel.roman_volume_after_title(text, spans, labels)
    assert relabelled == [*labels[:4], "volume", "place", "date"]
    assert rm.to_fields(rm.Labelling(text, spans, relabelled, [1.0] * len(spans), 1.0))["volume"] == "III"
    # Part of a name ("Gregorio XVI,": no comma before it) or inside the run: left alone.
    for kept in (
        "B. Conti, Papa Gregorio XVI, Milano 1901.",
        "B. Conti, Cronache, III, e altro, Milano 1901.",
    ):
        kept_spans = rm.tokenize(kept)
        kept_labels = ["author", "author", *["title"] * (len(kept_spans) - 4), "place", "date"]
        assert reference_relabel.roman_volume_after_title(kept, kept_spans, kept_labels) == kept_labels


def test_a_name_after_a_known_place_and_a_comma_is_the_publisher_unless_a_region_or_code() -> None:
    text = "B. Conti, Le fiere, Padova, Cleup, 1970."
    spans = rm.tokenize(text)
    labels = ["author", "author", "title", "title", "place", "place", "date"]
    relabelled = reference_relabel.publisher_after_place(text, spans, labels)
    assert relabelled == [*labels[:5], "publisher", "date"]
    fields = rm.to_fields(rm.Labelling(text, spans, relabelled, [1.0] * len(spans), 1.0))
    assert (fields["place"], fields["publisher"]) == ("Padova", "Cleup")
    for kept in (
        "B. Conti, Fairs, Boston, MA, 1970.",
        "B. Conti, Fairs, Lyon, France, 1970.",
        "B. Conti, Fairs, Venezia, Padova, 1970.",
        "B. Conti, Fairs, Ascoli, Cleup, 1970.",  # a place the lists do not know: the model decides
    ):
        kept_labels = ["author", "author", "title", "place", "place", "date"]
        assert reference_relabel.publisher_after_place(kept, rm.tokenize(kept), kept_labels) == kept_labels
    abbreviated = "B. Conti, Fairs, Austin, Tex., 1970."
    kept_labels = ["author", "author", "title", "place", "place", "date"]
    assert (
        reference_relabel.publisher_after_place(abbreviated, rm.tokenize(abbreviated), kept_labels)
        == kept_labels
    )
    found = "B. Conti, Fairs, Regency, Boston, Bay State, 1970."  # the model found the publisher
    found_labels = ["author", "author", "title", "publisher", "place", "place", "place", "date"]
    assert reference_relabel.publisher_after_place(found, rm.tokenize(found), found_labels) == found_labels
    colon = "B. Conti, Fairs, Boston, Bay State: Regency, 1970."  # a colon ends the place
    colon_labels = ["author", "author", "title", "place", "place", "place", "publisher", "date"]
    assert reference_relabel.publisher_after_place(colon, rm.tokenize(colon), colon_labels) == colon_labels
