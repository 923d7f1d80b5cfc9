"""Which predicate a date dates and which others share it, on small written history texts (invented names)."""

from __future__ import annotations

import polars as pl

from pipeline.extract.dates import find_time_expressions
from pipeline.extract.entities import MENTION_SCHEMA
from pipeline.extract.events import extract_events
from pipeline.text.clean import clean_document


def _dated(markdown: str) -> list[tuple[str, str]]:
    """(trigger, EDTF date) of each event of a written text, in text order."""
    document = clean_document(markdown, "dating", "dating.md")
    times = find_time_expressions(document.sentences, None)
    events, _, _ = extract_events(
        document.sentences, times, pl.DataFrame(schema=MENTION_SCHEMA), document.footnotes
    )
    return [(row["trigger"], row["edtf"]) for row in events.to_dicts()]


def test_an_appositive_in_an_opening_clause_keeps_its_verb_and_the_main_clause_follows_it() -> None:
    got = _dated(
        "# T\n\nAfter Ada Quill, a veteran envoy of the old school, joined the board in 1931, the plan for "
        "reform vanished completely.\n"
    )
    assert ("joined", "1931") in got
    assert ("vanished", "1931/..") in got  # after the opening clause's date, open-ended


def test_a_date_right_by_its_verb_wins_over_an_earlier_one_and_a_concessive_opening_dates_nothing() -> None:
    got = _dated(
        "# T\n\nDespite early gains toward meeting its quotas in 1926, the scheme collapsed in 1928. "
        "The 1921 almanac was still at the bindery in 1922 and the 1922 almanac went to the shops in 1923.\n"
    )
    assert ("collapsed", "1928") in got
    assert not any(date == "1926" for _, date in got)
    assert ("went to", "1923") in got
    assert not any(date == "1922" for _, date in got)  # "was still at the bindery": a state


def test_a_dated_meeting_in_an_opening_phrase_dates_the_main_clause_but_a_report_stays_one_event() -> None:
    got = _dated(
        "# T\n\nAt the council meeting in November 1925, the ministry failed to placate the envoys. "
        "In its 1930 report, the commission urged the bureau to print more.\n"
    )
    assert ("meeting", "1925-11") in got
    assert ("failed", "1925-11") in got
    assert [trigger for trigger, date in got if date == "1930"] == ["report"]


def test_a_date_in_an_intended_infinitive_does_not_date_the_agreeing() -> None:
    got = _dated("# T\n\nIn March 1927 the bureau moved. The envoy agreed to meet the king in June 1927.\n")
    assert ("agreed", "1927-06") not in got
    assert ("agreed", "1927-03") in got  # the narrative's time, not the meeting's


def test_a_long_object_then_comma_but_shares_the_date_but_a_verb_with_its_own_date_keeps_it() -> None:
    got = _dated(
        "# T\n\nIn the early 1930s, the ministry consented to releasing papers on the border dispute of "
        "1917 and the grain talks, but declined to print the cables.\n\n"
        "The envoy arrived in Lisbon in May 1920 and signed the accord in June 1921.\n"
    )
    assert ("consented", "1930/1933") in got
    assert ("declined", "1930/1933") in got
    assert ("arrived", "1920-05") in got
    assert ("signed", "1920-05") not in got  # "in June 1921" is its own


def test_a_when_clause_after_a_date_happened_then_too() -> None:
    got = _dated(
        "# T\n\nThe bureau asserted its control over the archive in 1950, when the director accepted the "
        "advice of his deputies.\n"
    )
    assert ("asserted", "1950") in got
    assert ("accepted", "1950") in got


def test_verbs_of_a_happening_or_a_state_are_events_only_with_their_own_date() -> None:
    got = _dated(
        "# T\n\nIn 1921 the two ministers clashed over the treaty. The envoy found the lost seal in "
        "Riga in May 1922. The ministers clashed over the tariff.\n"
    )
    assert ("clashed", "1921") in got
    assert ("found", "1922-05") in got
    assert len([trigger for trigger, _ in got if trigger == "clashed"]) == 1  # the undated one is none


def test_a_verb_inside_another_time_expression_is_not_dated_by_the_date_beside_it() -> None:
    got = _dated(
        "# T\n\nOn March 3, 1925, the day after the envoy landed, the minister received him.\n\n"
        "In 1872 the minister wrote to the envoy. The envoy arrived the day before the king's speech was "
        "to go forward.\n"
    )
    assert ("received", "1925-03-03") in got
    assert not any(trigger == "landed" and date == "1925-03-03" for trigger, date in got)
    assert ("arrived", "1872") in got  # a day before an event of some year is no day: the narrative's year


def test_a_date_in_a_past_perfect_look_back_does_not_set_the_narratives_year() -> None:
    got = _dated(
        "# T\n\nIn October 1872 the minister wrote to the envoy. He protested because the planters had "
        "blocked the law in 1870.\n\nOn November 24, the envoy left the capital.\n"
    )
    assert ("left", "1872-11-24") in got


def test_a_period_in_an_opening_as_clause_dates_the_main_clause_and_a_when_clause_keeps_its_date() -> None:
    got = _dated(
        "# T\n\nAs relations with the board worsened in the late 1920s, the office struggled to keep its "
        "staff.\n\nThe bureau asserted its control in 1950, when the director (a veteran) accepted the "
        "advice of his deputies about the papers of the war office during 1942.\n"
    )
    assert ("worsened", "1927/1929") in got
    assert ("struggled", "1927/1929") in got
    assert ("accepted", "1950") in got


def test_a_decade_that_only_says_what_a_thing_covers_leaves_the_narratives_time() -> None:
    got = _dated(
        "# T\n\nIn 1955 the bureau moved to a new building. To calm its critics, the bureau delayed the "
        "volumes covering the 1940s. In the 1940s, the bureau expanded.\n"
    )
    assert ("delayed", "1955") in got
    assert not any(trigger == "expanded" for trigger, _ in got)  # a sentence about a decade


def test_a_state_a_later_act_and_a_participle_after_a_phrase_do_not_share_a_date() -> None:
    got = _dated(
        "# T\n\nThe settler was naturalized in Ohio in 1856, and resided in the state until 1871. On May 5, "
        "1897 the mayor refused to let the consul send a cipher message to his colleague in the capital, "
        "and subsequently refused to forward a letter. The stand was made plain in the note of March 4, "
        "1920, and by the earlier notes referred to in it.\n"
    )
    assert ("naturalized", "1856") in got
    assert ("resided", "1856") not in got
    assert [date for trigger, date in got if trigger == "refused"] == ["1897-05-05", "1897-05-05/.."]
    assert not any(trigger == "referred" for trigger, _ in got)


def test_a_later_act_a_renewal_with_its_own_date_and_a_far_report_date_are_not_shared() -> None:
    got = _dated(
        "# T\n\nThe envoy landed at Lisbon on May 21, 1897, and went afterwards to Porto. The convention "
        "concluded on May 2, 1908, and renewed by agreements dated May 9, 1914, might serve. I called the "
        "attention of the minister to the report made by the commission of the council in May, 1888.\n"
    )
    assert ("landed", "1897-05-21") in got
    assert ("went", "1897-05-21") not in got
    assert ("concluded", "1908-05-02") in got
    assert ("renewed", "1908-05-02") not in got
    assert ("called", "1888-05") not in got


def test_time_going_by_is_not_the_happening_its_date_names() -> None:
    got = _dated("# T\n\nEleven months passed until, on June 3, 1910, the minister summoned his staff.\n")
    assert ("summoned", "1910-06-03") in got
    assert not any(trigger == "passed" for trigger, _ in got)


def test_a_plain_decade_right_after_its_verb_dates_it_but_a_decade_the_sentence_is_about_does_not() -> None:
    got = _dated(
        "# T\n\nOne close partnership that began in the 1960s was the bureau's work with the archive. "
        "In the 1920s, officials conceded the point. By the 1930s the office had grown.\n"
    )
    assert ("began", "196X") in got
    assert not any(trigger in ("conceded", "grown") for trigger, _ in got)


def test_a_statement_before_a_question_and_a_possessive_subject_are_events() -> None:
    got = _dated(
        "# T\n\nAt the first board meeting in March 1957, Ada Quill asked members two questions: should the "
        "series keep its standards, and should it print other files? "
        "The Bureau\u2019s review staff resisted foreign pressures in 1986.\n"
    )
    assert ("meeting", "1957-03") in got and ("asked", "1957-03") in got
    assert ("resisted", "1986") in got


def test_a_date_of_a_thing_dates_no_event_noun_before_it_nor_a_coordinated_adjective() -> None:
    got = _dated(
        "# T\n\nThe accord of 1985 marked a retreat from the rigid posture of the late 1970s and "
        "early 1980s. "
        "The staff cited the parallels to justify the 1980 re-review and expanded regional consultations.\n"
    )
    assert not any(trigger == "retreat" for trigger, _ in got)
    assert not any(date in ("1977/1979", "1980/1983") for _, date in got)
    assert ("re-review", "1980") in got
    assert not any(trigger == "expanded" for trigger, _ in got)


def test_a_verb_after_and_a_date_of_its_own_shares_the_subject() -> None:
    got = _dated(
        "# T\n\nParliament moved in 1912 to limit costs, and in 1914 cut off the funds for late reports.\n"
    )
    assert ("moved", "1912") in got and ("cut", "1914") in got
