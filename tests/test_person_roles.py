"""Persons named by a title alone, names listed after a plural address or beside a person, salutations and
bracketed signatures: behaviour on short texts written for these layouts (names invented)."""

from pipeline.extract.persons import find_person_names


def _names(text: str) -> list[str]:
    return [text[s.title_start : s.end] for s in find_person_names(text)]


def _surnames(text: str) -> list[str]:
    return [s.surname for s in find_person_names(text)]


def test_a_sovereigns_title_alone_is_a_person_and_its_name_is_the_title() -> None:
    text = (
        "The news reached the King at noon. He said that the Emperor of Ruritania had left, "
        "and the Duke of Graustark wrote to His Majesty."
    )
    assert _names(text) == ["the King", "the Emperor of Ruritania", "the Duke of Graustark", "His Majesty"]
    # The title is the name, never a surname "King" that a "Mr. King" of the paper would share.
    assert _surnames(text)[0] == "the King"


def test_titles_that_name_no_one_alone_are_left() -> None:
    # A noble's title without its place, a style in the possessive (a government), a title before a name.
    text = "The Duke arrived. His Majesty’s Government agreed. The Emperor Ottokar left."
    assert _names(text) == ["Emperor Ottokar"]


def test_a_title_with_one_initial_and_no_name_is_a_person() -> None:
    assert _names("Capt. J. had the mate aboard, and capt. B. says he saw Mr. A. Vantorre.") == [
        "Capt. J.",
        "capt. B.",
        "Mr. A. Vantorre",
    ]
    assert _names("See Sec. A. of the act and Plan B. below.") == []


def test_every_name_after_a_plural_address_is_a_person() -> None:
    text = "The Director (Quellman) to Messrs. Beer, Day, Hornwick, and Young"
    assert _names(text) == ["Quellman", "Messrs. Beer", "Day", "Hornwick", "Young"]


def test_one_word_names_along_a_list_closed_by_and_beside_a_person() -> None:
    text = (
        "A committee headed by Albert Thomond, Renaud, Gerlach, and Cabrain, came. "
        "Vossler, Lord Derwent and Ombrelli met."
    )
    assert _names(text) == [
        "Albert Thomond",
        "Renaud",
        "Gerlach",
        "Cabrain",
        "Vossler",
        "Lord Derwent",
        "Ombrelli",
    ]


def test_words_after_a_name_and_its_comma_without_and_are_an_address_or_an_office() -> None:
    assert _names("Apply to Edward Shepworth, Harrowgate, Ill., for terms.") == ["Edward Shepworth"]
    assert _names("He wrote to Count Goluchin, Imperial and Royal minister of foreign affairs.") == [
        "Count Goluchin"
    ]


def test_a_salutation_names_the_addressee_but_not_an_office_or_sir() -> None:
    text = (
        "My Dear Lansworth: I have read it.\n\nDear Sir: Thank you.\n\n"
        "My Dear Ambassador: Yes.\n\nDear Walter, no."
    )
    assert _names(text) == ["Lansworth", "Walter"]


def test_a_relative_whom_marks_a_person() -> None:
    assert _names("The Treasury is represented by Daventry with whom I have talked.") == ["Daventry"]


def test_signatures_completed_in_brackets_and_esquire_after_a_name() -> None:
    text = (
        "I have the honor to be, etc.\n\nJ. C. G[renfell]\n\nI have, etc.\n\n[Robert] Lanning\n\n"
        "JOHN BRINKLEY, Esquire, Treasurer"
    )
    assert _names(text) == ["J. C. G[renfell]", "[Robert] Lanning", "JOHN BRINKLEY, Esquire"]
    assert _surnames(text)[:2] == ["Grenfell", "Lanning"]


def test_the_object_of_telling_or_asking_is_a_person_unless_the_paper_uses_it_as_a_place() -> None:
    text = "I told Debrancourt that the note was ready, and asked Vennholm to wait. We arrived in Oslavia."
    assert _names(text) == ["Debrancourt", "Vennholm"]
    assert _names("We arrived in Oslavia. I urged Oslavia to wait.") == []


def test_a_relative_who_after_of_marks_a_person() -> None:
    text = "This was also the view of Harlowe who told me so. The University of Brentmoor met."
    assert _names(text) == ["Harlowe"]


def test_lists_after_a_colon_adverbs_numbers_plurals_and_foreign_offices_are_no_one() -> None:
    # Read in a hand sample of person ids (seed 5309): each was an id that named no one.
    text = (
        "The commodities on which the country depends are chiefly the following:\n\nFruit\n\n"
        "Hides and skins\n\nIncidentally, the Minister said so. In the Year of Our Lord Nineteen Hundred "
        "and Twenty-four the five Republics who agreed to it, and every republic, signed.\n\n"
        "Monsieur le Ministre: I have the honor to write."
    )
    assert _names(text) == []


def test_peoples_places_after_of_weekdays_telegram_marks_and_offices_addressed_are_no_one() -> None:
    # Read in a hand sample of person ids (seed 8627): each was an id that named no one.
    text = (
        "He made this demand of the governor of Kiangsa, who resides at Soochow. The chairman requested "
        "Swedes to submit it. Mr. Prefect: The policy is plain. President Obrega tomorrow (Monday) thus "
        "leaves.\n\nFollowing for you from Wiseworth (Starts)"
    )
    assert _names(text) == ["President Obrega"]
