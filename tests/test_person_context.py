"""Bare one-word names that only the sentence marks as persons: numerals, lists after nouns for people,
"who" and possessives; and the common nouns, titles and things that look the same.

The texts are written for these tests; the benchmark and the dev corpus are scored as a whole
(tests/test_person_names.py, evaluation/).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from evaluation.entity_scoring import frames_from_units
from pipeline.extract.entities import find_mentions, load_authority
from pipeline.extract.persons import find_person_names
from pipeline.package.schema import conform, load_table_spec, validate
from tests.conftest import published_ids


def _names(text: str) -> list[str]:
    return [text[s.title_start : s.end] for s in find_person_names(text)]


def test_a_given_name_with_a_rulers_numeral_is_one_person() -> None:
    text = "The crown passed to Frederick IX. after the war, and the court of Charles VII. moved south."
    assert _names(text) == ["Frederick IX", "Charles VII"]


def test_a_numeral_that_is_a_misread_initial_does_not_make_a_ruler() -> None:
    names = _names("Among the signers were Thomas V. Pelkington and others.")
    assert "Thomas V" not in names


def test_names_listed_after_a_noun_for_people_are_persons_and_recur() -> None:
    text = (
        "The league honours such statesmen as Vordell, Quarrish and Tamberlyn. "
        "Nobody now reads Quarrish, though Vordell is still quoted."
    )
    assert _names(text) == ["Vordell", "Quarrish", "Tamberlyn", "Quarrish", "Vordell"]


def test_a_list_after_a_noun_for_people_stops_at_a_place_of_the_paper() -> None:
    text = "He admired such leaders as Vordell and Brennick. The congress met in Brennick in May."
    assert _names(text) == ["Vordell"]


def test_who_and_a_possessive_mark_a_bare_surname_as_a_person() -> None:
    text = (
        "The note was handed to Ostrevik, who read it at once. "
        "Nobody doubted Ostrevik’s good faith, and Pellacott’s reply came the next day; Pellacott sailed."
    )
    assert _names(text) == ["Ostrevik", "Ostrevik", "Pellacott", "Pellacott"]


def test_a_possessive_used_once_is_as_often_a_thing_as_a_person() -> None:
    assert _names("Messages go in Harwell’s fifth edition or in plain language.") == []


def test_common_nouns_titles_and_things_before_who_or_a_possessive_are_no_one() -> None:
    text = (
        "An Ally who keeps faith is rare, said the envoy, and the Ally would not yield. "
        "The Sultan’s delegate left. Tomorrow’s meeting is at Hartigan’s Hotel."
    )
    # "The Sultan" is a person named by his title (person_roles.py), never a surname "Sultan".
    assert _names(text) == ["The Sultan"]


def test_and_his_marks_a_person_but_not_a_place_after_a_preposition() -> None:
    text = "Vantorre and his aides left; trade with Quellbrook and his partners grew. Vantorre came back."
    assert _names(text) == ["Vantorre", "Vantorre"]


def test_a_middle_initial_without_its_full_stop_after_a_known_given_name() -> None:
    assert _names("The report was signed by Harold Q Bellamy yesterday.") == ["Harold Q Bellamy"]


def test_unlinked_names_found_by_these_rules_pass_the_table_spec(tmp_path: Path) -> None:
    (tmp_path / "persons.yaml").write_text(yaml.safe_dump({"entity_type": "person", "entities": []}))
    paragraphs = [
        [
            "The crown passed to Frederick IX. in the spring.",
            "He praised such statesmen as Vordell and Quarrish.",
            "The note went to Ostrevik, who read it.",
            "Vantorre and his aides left, and Pellacott’s reply came.",
            "Vantorre and Pellacott met.",
        ]
    ]
    text, sentences, footnotes = frames_from_units("essay", paragraphs, [])
    mentions, unlinked = find_mentions(text, sentences, footnotes, load_authority(tmp_path))
    reasons = set(unlinked["reason"].to_list())
    assert {"regnal", "person_list", "relative_who", "and_his", "possessive"} <= reasons
    for name, frame in published_ids(text, {"mentions": mentions, "unlinked_names": unlinked}).items():
        spec = load_table_spec(name)
        validate(spec, conform(spec, frame))


def test_a_name_after_the_and_an_epithet_for_a_person() -> None:
    text = "We honour the immortal Vordell; the famous Vordell Doctrine is taught; the late Quarrish wrote."
    assert _names(text) == ["Vordell", "Quarrish"]


def test_a_body_after_the_and_an_editors_omission_are_not_speakers() -> None:
    text = "The commander of the Garde d’Ostrava informs the Legation. Omission indicated in original."
    assert _names(text) == []


def test_verbs_of_thinking_mark_their_subject_but_not_a_plural_group() -> None:
    text = "Ostrevik believes the republic will sign. The two Republics agreed, and Pellacott hoped so."
    assert _names(text) == ["Ostrevik", "Pellacott"]
