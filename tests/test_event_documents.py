"""A document's content is not its author's act (issue 30 round 9), on small written texts with invented
names: a document as subject of a saying verb, a verb joined to it by "and", what happens to a document
itself, and states with an event verb."""

from __future__ import annotations

import polars as pl

from pipeline.extract.dates import find_time_expressions
from pipeline.extract.entities import MENTION_SCHEMA
from pipeline.extract.event_documents import document_speaks
from pipeline.extract.events import extract_events
from pipeline.text.clean import clean_document


def _events(markdown: str) -> list[tuple[str, str]]:
    """(trigger, EDTF date) of each event of a written text, in text order."""
    document = clean_document(markdown, "documents", "documents.md")
    times = find_time_expressions(document.sentences, None)
    events, _, _ = extract_events(
        document.sentences, times, pl.DataFrame(schema=MENTION_SCHEMA), document.footnotes
    )
    return [(row["trigger"], row["edtf"]) for row in events.to_dicts()]


def test_what_a_document_says_is_not_a_happening() -> None:
    events = _events(
        "# T\n\nOn May 4, 1921, the envoy sent a long note to the minister. The note protested the seizure "
        "of the schooner. The board’s annual report determined that the office cost too much and "
        "recommended closing it. On May 9 the minister protested in person.\n"
    )
    assert ("sent", "1921-05-04") in events
    assert ("protested", "1921-05-09") in events
    assert [trigger for trigger, _ in events].count("protested") == 1
    assert not {"determined", "recommended"} & {trigger for trigger, _ in events}


def test_what_happens_to_a_document_is_still_an_event() -> None:
    events = _events("# T\n\nThe consul wrote in April 1922. His letter reached the capital on June 3.\n")
    assert ("reached", "1922-06-03") in events


def _speaks(subject: str, verb: str, text: str) -> bool:
    return document_speaks(subject.split(), verb, text, text.index(verb) + len(verb))


def test_the_rule_reads_the_subject_and_the_verb() -> None:
    assert _speaks("The second memorandum", "warned", "The second memorandum warned them.")
    assert not _speaks("The envoy", "warned", "The envoy warned them.")
    assert not _speaks("The telegram", "arrived", "The telegram arrived.")
    assert not _speaks("penned a letter", "labeled", "He penned a letter labeled secret.")
    assert _speaks("and", "urged", "The report found that all was lost and urged reform.")
    assert not _speaks("and", "urged", "The envoy objected and urged reform.")
    assert not _speaks("Urgent reply", "requested", "Urgent reply requested.")  # telegraphese passive


def test_a_document_inside_a_prepositional_phrase_or_a_relative_clause_is_no_subject() -> None:
    assert not _speaks("the envoy in an open letter", "answered", "the envoy in an open letter answered that")
    assert not _speaks("the adoption of the resolution", "completed", "the resolution completed the work")
    assert not _speaks("The envoy to whom I gave the reply", "said", "the reply said that")


def test_a_relation_or_a_situation_faced_is_not_a_happening() -> None:
    events = _events(
        "# T\n\nThe 1924 quarrel illustrated the old rivalry. In the 1930s the clerks faced long delays.\n"
    )
    assert not {"illustrated", "faced"} & {trigger for trigger, _ in events}
