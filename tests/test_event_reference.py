"""The narrative's reference time and the clause tests of issue 30 round 7, on small written texts (invented
names): a date after "until" that only ends a state, look-back reason clauses, datelines, openers that place
a sentence elsewhere or right after the story's time, and subjects the word-order rules used to miss."""

from __future__ import annotations

import polars as pl

from pipeline.extract.dates import find_time_expressions
from pipeline.extract.entities import MENTION_SCHEMA
from pipeline.extract.events import extract_events
from pipeline.text.clean import clean_document


def _found(markdown: str, document_date: str | None = None) -> tuple[pl.DataFrame, list[tuple[str, str]]]:
    """The time expressions and (trigger, EDTF date) of each event of a written text, in text order."""
    document = clean_document(markdown, "reference", "reference.md")
    times = find_time_expressions(document.sentences, document_date)
    events, _, _ = extract_events(
        document.sentences, times, pl.DataFrame(schema=MENTION_SCHEMA), document.footnotes
    )
    return times, [(row["trigger"], row["edtf"]) for row in events.to_dicts()]


def _value(times: pl.DataFrame, text: str) -> str | None:
    return times.filter(pl.col("text") == text)["edtf"][0]


def test_a_date_that_only_ends_a_state_does_not_move_the_story() -> None:
    times, events = _found(
        "# T\n\nIn the spring of 1928, the board met in Lisbon. Until 1931, though, the assembly remained "
        "passive.\n\nOn June 14, the envoy informed the board. The secretary resigned the next day.\n"
    )
    assert _value(times, "June 14") == "1928-06-14"
    assert ("informed", "1928-06-14") in events
    assert ("resigned", "1928-06-15") in events
    assert not any(date.startswith("1931") for _, date in events)


def test_a_negated_until_and_an_until_when_still_place_the_story_there() -> None:
    times, events = _found(
        "# T\n\nThe almanacs were not printed until 1909. In June the printer resigned.\n\nThe office stayed "
        "shut until March 1907, when the minister arrived. In May he dismissed the clerk.\n"
    )
    assert ("resigned", "1909-06") in events
    assert ("arrived", "1907-03") in events
    assert _value(times, "May") == "1907-05"


def test_a_negated_participle_after_a_comma_looks_ahead_without_moving_the_story() -> None:
    times, events = _found(
        "# T\n\nOn September 20, 1870, the royal army entered the city. The cabinet again hesitated, not "
        "moving the court to the city until July 1871.\n\nThe envoy sent four letters home on September 23.\n"
    )
    assert _value(times, "September 23") == "1870-09-23"
    assert ("sent", "1870-09-23") in events


def test_a_past_perfect_reason_clause_keeps_its_date_to_itself() -> None:
    _, events = _found(
        "# T\n\nOn October 29, 1872, the minister wrote to the envoy. Conceding that reform was hard because "
        "the planters had been able to block such laws in 1870, he questioned the crown's claim to the "
        "island. Tensions increased as the colonial government raised tariffs on imports.\n"
    )
    assert ("questioned", "1870") not in events
    assert ("questioned", "1872-10-29") in events
    assert ("raised", "1872-10-29") in events  # the story's time, not the look-back's 1870


def test_an_opening_clause_comma_does_not_join_its_last_noun_to_a_bare_plural_subject() -> None:
    _, events = _found(
        "# T\n\nIn March 1887 the envoy reached the capital.\n\nAlthough the talks seemed to favour "
        "compromise, officials co-opted the follow-up process. The ministry re-opened the file. The "
        "long-established rules stood.\n"
    )
    assert ("co-opted", "1887-03") in events
    assert ("re-opened", "1887-03") in events
    assert not any(trigger.endswith("established") for trigger, _ in events)


def test_a_determiner_before_a_capitalised_noun_phrase_is_part_of_the_subject() -> None:
    _, events = _found(
        "# T\n\nOn September 10, 1870, the kingdom declared war. The Italian army crossed the frontier the "
        "next day, and the Italian government again hesitated.\n"
    )
    assert ("crossed", "1870-09-11") in events
    assert ("hesitated", "1870-09-11") in events


def test_after_a_gerund_opening_the_main_clause_follows_the_story_but_other_times_are_elsewhere() -> None:
    _, events = _found(
        "# T\n\nIn March 1887 the envoy reached the capital.\n\nAfter meeting with the consul, the envoy "
        "decided to stay. At the same time, he called upon the staff to review the accounts. At other times, "
        "such plans threatened the bank's credit. On occasion, old quarrels militated against reform.\n"
    )
    assert ("decided", "1887-03/..") in events
    assert ("called upon", "1887-03") in events
    assert not any(trigger in ("threatened", "militated") for trigger, _ in events)


def test_datelines_with_a_dashed_hour_or_an_office_before_the_place_date_their_letters() -> None:
    _, events = _found(
        "# T\n\nThe Minister in Ruritania to the Secretary of State\n\nStrelsau, November 4, 1925—7 p.m.\n\n"
        "The cabinet fell this morning.\n\nThe Secretary of State to the Minister\n\nDepartment of State, "
        "Washington, April 29, 1926.\n\nSir: Your despatch has been read with interest.\n"
    )
    assert ("Strelsau, November 4, 1925", "1925-11-04") in events
    assert ("Department of State, Washington, April 29, 1926", "1926-04-29") in events


def test_a_clock_time_without_a_day_takes_the_last_day_the_story_named() -> None:
    times, _ = _found(
        "# T\n\nApril 27, 2005\n\nThe airliner was shown in January 2005. Its first take-off, at 08:30 UTC, "
        "was normal.\n"
    )
    row = times.filter(pl.col("text") == "08:30 UTC").to_dicts()[0]
    assert row["timex3_value"] == "2005-04-27T08:30Z"


def test_a_date_of_what_would_happen_later_is_no_reference_time() -> None:
    _, events = _found(
        "# T\n\nIn February 1926 the board met in Lisbon. These almanacs, the clerk promised, would be "
        "complete by the end of 1928.\n\nThe bureau tightened its page limits for the almanacs.\n"
    )
    assert ("tightened", "1926-02") in events


def test_a_participle_after_a_subordinator_and_a_negative_outcome_are_no_happenings() -> None:
    _, events = _found(
        "# T\n\nIn April 1917 the bureau moved to Lisbon. Compilation went on, but when completed, the "
        "manuscripts waited at the press. The clerks appealed for funds, but they met with no success. The "
        "almanac was once named the Register.\n"
    )
    triggers = [trigger for trigger, _ in events]
    assert "completed" not in triggers
    assert "met" not in triggers
    assert "appealed" in triggers
    assert "named" in triggers  # "was once named": "once" here is an adverb, not a clause's opener


def test_a_verb_phrase_does_not_run_across_a_comma() -> None:
    _, events = _found(
        "# T\n\nIn May 1925 the notables were called, on the pretext of a conference, to the capital. Next "
        "the envoy called on the prime minister.\n"
    )
    triggers = [trigger for trigger, _ in events]
    assert "called, on" not in triggers
    assert "called on" in triggers


def test_a_cited_message_dates_itself_and_the_verb_takes_the_letter_date() -> None:
    _, events = _found(
        "# T\n\nLisbon, March 9, 1921.\n\nHave received your telegram March 2. Just received despatch dated "
        "February 27 from the consul. In a 1920 memorandum to the board, Ferreira stated his view.\n"
    )
    assert ("received", "1921-03-09") in events  # telegraphese, the receipt on the letter's day
    assert ("telegram", "1921-03-02") in events  # the cited message keeps its own date
    assert sum(1 for trigger, date in events if trigger == "received" and date == "1921-03-09") == 2
    assert not any(trigger == "stated" for trigger, _ in events)  # the memorandum is the statement


def test_a_three_part_dateline_and_a_letter_under_date_of() -> None:
    _, events = _found(
        "# T\n\nMinistry of Foreign Affairs, Consular Division, Lisbon, May 4, 1921.\n\n"
        "Sir: I addressed a note to the Minister under date of April 20, 1921, on this subject.\n"
    )
    assert any(date == "1921-05-04" and trigger.startswith("Ministry") for trigger, date in events)
    assert ("addressed", "1921-04-20") in events


def test_states_are_no_happenings() -> None:
    _, events = _found(
        "# T\n\nIn May 1921 the board suspected the envoy. The losses equaled the gains in 1921.\n"
    )
    assert not any(trigger in ("suspected", "equaled") for trigger, _ in events)


def test_a_participle_after_an_infinitives_object_is_no_predicate() -> None:
    _, events = _found(
        "# T\n\nIn 1921 the board met. Ferreira sought to ease the limits imposed on printed volumes. "
        "The envoys imposed new limits.\n"
    )
    assert sum(1 for trigger, _ in events if trigger == "imposed") == 1
    assert ("sought", "1921") in events


def test_a_far_from_opening_and_an_adverb_leave_the_bare_plural_subject() -> None:
    _, events = _found(
        "# T\n\nIn March 1911 the envoy resigned. Far from praising the decision, newspapers bitterly "
        "ridiculed the cabinet.\n"
    )
    assert ("ridiculed", "1911-03") in events
