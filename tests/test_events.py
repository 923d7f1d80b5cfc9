"""Events, participants, supporting notes and the timeline, on the paper and on texts in other styles."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from evaluation.event_scoring import gold_documents, score_all
from pipeline.extract.dates import find_time_expressions
from pipeline.extract.entities import MENTION_SCHEMA, authority_tables, find_mentions, load_authority
from pipeline.extract.events import EVENT_TYPES, extract_events
from pipeline.package.schema import conform, load_table_spec, validate
from pipeline.package.timeline import render_timeline, timeline_marks, timeline_rows
from pipeline.text.clean import CleanedDocument, clean_document
from pipeline.vocab import load_mapping
from tests.conftest import published_ids


@pytest.fixture(scope="module")
def authority():
    return load_authority()


@pytest.fixture(scope="module")
def extracted(paper: CleanedDocument, authority) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    times = find_time_expressions(paper.sentences, "1996-06")
    mentions, _ = find_mentions(paper.text, paper.sentences, paper.footnotes, authority, paper.emphasis_spans)
    return extract_events(paper.sentences, times, mentions, paper.footnotes)


@pytest.fixture(scope="module")
def scores():
    if not DEV_PAPERS.is_dir():  # the scores include the development papers' answers
        pytest.skip("the development papers live in ../shared/dev-papers")
    return score_all()


def _event(events: pl.DataFrame, sentence: str) -> dict:
    rows = events.filter(pl.col("sentence_id") == f"kennan-op-263:{sentence}").to_dicts()
    assert len(rows) == 1, sentence
    return rows[0]


def _roles(participants: pl.DataFrame, event_id: str) -> dict[str, str]:
    rows = participants.filter(pl.col("event_id") == event_id).to_dicts()
    return {r["entity_id"]: r["role"] for r in rows}


def test_paper_event_recall_and_dates_meet_the_target(scores) -> None:
    events = scores["kennan-op-263"]["events"]
    assert events.expected >= 30
    assert events.recall >= 0.9, events.missed
    # the target (0.85); the fixture now holds the events dated across paragraph breaks too
    assert events.precision >= 0.85, events.extra
    assert events.accuracy >= 0.85, events.wrong  # found with the right type


def test_paper_main_participants_are_found(scores) -> None:
    participants = scores["kennan-op-263"]["participants"]
    assert participants.expected >= 40
    assert participants.recall >= 0.85, participants.missed


def test_own_style_texts_give_their_events(scores) -> None:
    styles = {k: v for k, v in scores.items() if "markdown" in gold_documents()[k]}
    assert len(styles) == 2
    for document_id, result in styles.items():
        events = result["events"]
        assert events.recall == 1.0 and events.precision == 1.0, (document_id, events.missed, events.extra)


def test_roles_on_hand_checked_sentences(extracted) -> None:
    events, participants, _ = extracted
    letter = _event(events, "p029.s02")  # "Four months later he wrote to his wife, Ivy, ..."
    assert (letter["event_type"], letter["edtf"]) == ("correspondence", "1943-09")
    roles = _roles(participants, letter["event_id"])
    assert roles["person:litvinov-maxim"] == "agent" and roles["person:litvinov-ivy"] == "recipient"
    mission = _event(events, "p011.s04")  # Bullitt arrived in Moscow for talks with Litvinov and Chicherin
    roles = _roles(participants, mission["event_id"])
    assert roles["person:bullitt-william"] == "agent"
    assert roles["person:house-edward"] == "mentioned"  # in the appositive, not the subject
    assert roles["person:chicherin-georgii"] == "counterpart" and roles["place:moscow"] == "place"
    alliance = _event(events, "p022.s06")  # "Litvinov and ... Barthou worked out ... signed in 1935"
    roles = _roles(participants, alliance["event_id"])
    assert roles["person:litvinov-maxim"] == roles["person:barthou-louis"] == "agent"


def test_relative_and_event_anchored_dates_reach_events(extracted) -> None:
    events, _, _ = extracted
    night = _event(
        events, "p021.s02"
    )  # "The night before he signed the agreement, Litvinov told Walter Duranty"
    assert night["event_type"] == "statement" and night["date_latest"].isoformat() == "1933-12-30"
    assert _event(events, "p011.s05")["edtf"] == "../1919-03-14"


def test_not_events(extracted) -> None:
    events, _, _ = extracted
    sentences = set(events["sentence_id"].to_list())
    for sentence in ("p017.s01", "p022.s01", "p043.s02", "p003.s10"):
        # a question about the 1920s, a decade, a state ("By 1946 he looked upon"), the article's own span
        assert f"kennan-op-263:{sentence}" not in sentences
    # "Roosevelt ... accepted the 1941 borders": 1941 dates the borders, not the acceptance, which is dated
    # by the meeting of 12 March 1942 two sentences before (checked by reading the paragraph).
    accepted = _event(events, "p027.s04")
    assert (accepted["trigger"], accepted["edtf"], accepted["date_basis"]) == (
        "accepted",
        "1942-03-12",
        "context",
    )


def test_paper_date_basis_matches_the_reading(scores) -> None:
    basis = scores["kennan-op-263"]["date_basis"]
    assert basis.found >= 50 and basis.accuracy >= 0.9, basis.wrong
    bases = {"explicit", "relative", "context"}
    assert bases == {item["basis"] for item in gold_documents()["kennan-op-263"]["events"]}


DEV_PAPERS = Path(__file__).resolve().parent.parent.parent / "shared" / "dev-papers" / "docs"


@pytest.mark.skipif(not DEV_PAPERS.is_dir(), reason="the development papers live in ../shared/dev-papers")
def test_dev_papers_meet_the_target(scores) -> None:
    dev = {k: v for k, v in scores.items() if k.startswith("dev-")}
    assert len(dev) >= 2
    for document_id, result in dev.items():
        events = result["events"]
        assert events.expected >= 20, document_id
        assert events.recall >= 0.8, (document_id, events.missed)
        # the target for unseen chapters; the reference time now carries over paragraph breaks,
        # so these fixtures hold that harder class too
        assert events.precision >= 0.8, (document_id, events.extra)


def _events_of(markdown: str) -> list[dict]:
    document = clean_document(markdown, "style", "style.md")
    times = find_time_expressions(document.sentences, None)
    events, _, _ = extract_events(
        document.sentences, times, pl.DataFrame(schema=MENTION_SCHEMA), document.footnotes
    )
    return events.to_dicts()


def test_undated_sentences_take_the_narratives_reference_time() -> None:
    text = (
        "# T\n\nIn June 1920 the delegates arrived in Riga. They signed an armistice and the commission "
        "published its report. Soon the treaty was ratified. On another occasion the envoy complained.\n\n"
        "The minister resigned.\n"
    )
    got = [(r["trigger"], r["edtf"], r["date_basis"]) for r in _events_of(text)]
    assert got == [
        ("arrived", "1920-06", "explicit"),
        ("signed", "1920-06", "context"),
        ("published", "1920-06", "context"),
        ("ratified", "1920-06/..", "context"),  # "Soon": after the reference time, open end
        ("resigned", "1920-06", "context"),  # the narrative date carries over the paragraph break
    ]  # "On another occasion" places itself elsewhere


def test_negated_hypothetical_and_quoted_happenings_are_not_events() -> None:
    text = (
        "# T\n\nIn May 1931 the council met in Geneva. The envoy never signed the pact. He would have "
        "resigned. The press called it \u201ca treaty signed in haste.\u201d The clerks did not protest.\n"
    )
    assert [(r["trigger"], r["edtf"]) for r in _events_of(text)] == [("met", "1931-05")]


def test_coordinated_predicates_and_dates_each_give_an_event() -> None:
    text = "# T\n\nIn 1908 he gave it up and emigrated. In both 1906 and 1907, Parliament refused the bill.\n"
    got = [(r["trigger"], r["edtf"], r["event_type"]) for r in _events_of(text)]
    assert got == [
        ("gave it up", "1908", "other"),
        ("emigrated", "1908", "travel"),
        ("refused", "1906", "decision"),
        ("refused", "1907", "decision"),
    ]


def test_dateline_dates_its_letter() -> None:
    text = (
        "# T\n\n**The Consul to the Secretary**\n\n[Telegram] Vladivostok, April 17, 1918, 4 p.m.\n\n"
        "Your 42, July 10.\n"  # a reference to an earlier telegram, not a dateline
    )
    got = [(r["event_type"], r["edtf"], r["date_note"]) for r in _events_of(text)]
    assert got == [("correspondence", "1918-04-17", "dateline of a letter or telegram")]


def test_event_vocabularies_use_the_schemas_types() -> None:
    types = set(EVENT_TYPES)
    for name in ("event_verbs", "event_nouns"):
        assert set(load_mapping(name).values()) <= types, name
    assert set(load_mapping("event_hedges").values()) == {"probable", "possible"}
    assert set(load_mapping("event_time_cues").values()) == {"after", "unknown"}


def test_certainty_from_hedges() -> None:
    text = (
        "# T\n\nIn 1920 he apparently met the envoy. In 1921 he perhaps wrote to the king. "
        "In 1922 he returned home.\n"
    )
    document = clean_document(text, "hedges", "hedges.md")
    times = find_time_expressions(document.sentences, None)
    events, _, _ = extract_events(
        document.sentences, times, pl.DataFrame(schema=MENTION_SCHEMA), document.footnotes
    )
    got = [(r["event_type"], r["certainty"], r["certainty_cue"]) for r in events.to_dicts()]
    assert got == [
        ("meeting", "probable", "apparently"),
        ("correspondence", "possible", "perhaps"),
        ("travel", "certain", None),
    ]


def test_two_dates_in_one_sentence_give_two_events() -> None:
    text = "# T\n\nHe arrived in Paris in May 1920 and signed the treaty in June 1921.\n"
    document = clean_document(text, "two", "two.md")
    times = find_time_expressions(document.sentences, None)
    events, _, _ = extract_events(
        document.sentences, times, pl.DataFrame(schema=MENTION_SCHEMA), document.footnotes
    )
    assert [(r["event_type"], r["edtf"]) for r in events.to_dicts()] == [
        ("travel", "1920-05"),
        ("agreement", "1921-06"),
    ]


def test_supporting_notes_follow_the_documented_rule(extracted, paper: CleanedDocument) -> None:
    events, _, citations = extracted
    by_event = {r["event_id"]: r for r in citations.to_dicts()}
    own = by_event[_event(events, "p006.s03")["event_id"]]  # Chicherin's letter carries note 12
    assert (own["footnote_id"], own["link_rule"]) == ("kennan-op-263:fn12", "marker_in_sentence")
    later = by_event[_event(events, "p011.s04")["event_id"]]  # no marker; the paragraph's next one is 20
    assert (later["footnote_id"], later["link_rule"]) == ("kennan-op-263:fn20", "next_marker_in_paragraph")


def test_tables_conform_to_their_specs(extracted, paper: CleanedDocument) -> None:
    names = ("events", "event_participants", "event_citations")
    published = published_ids(paper.text, dict(zip(names, extracted, strict=True)))
    for name, frame in published.items():
        spec = load_table_spec(name)
        validate(spec, conform(spec, frame))
    events = extracted[0]
    assert events["event_id"].to_list()[0] == "kennan-op-263:e001"
    for row in events.to_dicts():
        assert paper.text[row["char_start"] : row["char_end"]]


def test_timeline_is_byte_identical_across_runs(extracted, authority, tmp_path: Path) -> None:
    events, participants, _ = extracted
    entities = authority_tables(authority)["entities"]
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    render_timeline(events, participants, entities, first)
    render_timeline(events, participants, entities, second)
    assert first.read_bytes() == second.read_bytes()
    svg = first.read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<dc:date>" not in svg
    people = timeline_rows(events, participants)["entity_id"].unique().to_list()
    assert "person:litvinov-maxim" in people and all(p.startswith("person:") for p in people)


def test_timeline_draws_each_mark_once_however_many_papers_tell_it(extracted, authority, tmp_path) -> None:
    """A corpus repeating the same events (as copies of a paper do) gives the picture of one telling, so
    drawing time follows the distinct marks, not the number of papers."""
    events, participants, _ = extracted
    entities = authority_tables(authority)["entities"]
    copies = [(events, participants)] + [
        (
            events.with_columns(pl.col("event_id") + f"-copy{i}"),
            participants.with_columns(pl.col("event_id") + f"-copy{i}"),
        )
        for i in range(3)
    ]
    once, many = tmp_path / "once.svg", tmp_path / "many.svg"
    render_timeline(events, participants, entities, once)
    render_timeline(pl.concat([e for e, _ in copies]), pl.concat([p for _, p in copies]), entities, many)
    assert once.read_bytes() == many.read_bytes()
    rows = timeline_rows(events, participants)
    marks = timeline_marks(rows)
    assert 0 < len(marks) <= len(rows)
    assert marks.select("row", "event_type", "start", "end").is_unique().all()
    ranged = marks.filter(pl.col("end") > pl.col("start"))
    assert len(ranged) > 0  # the paper has imprecise dates, drawn as lines over their bounds
    assert once.read_text(encoding="utf-8").count("<use ") >= len(marks)


def test_timeline_cache_redraws_when_a_drawn_column_changes(tmp_path: Path, monkeypatch) -> None:
    """The drawn figure is reused for the same drawn columns (and drawing code), redrawn when one changes."""
    from datetime import date

    from pipeline.package import figures, timeline

    events = pl.DataFrame(
        {
            "event_id": ["d:e1"],
            "event_type": ["meeting"],
            "date_earliest": [date(1921, 3, 1)],
            "date_latest": [date(1921, 3, 31)],
            "record_status": ["active"],
        }
    )
    participants = pl.DataFrame(
        {"event_id": ["d:e1"], "entity_id": ["person:a"], "entity_type": ["person"], "role": ["agent"]}
    )
    entities = pl.DataFrame({"entity_id": ["person:a"], "preferred_name": ["A. Person"]})
    drawn: list[Path] = []

    def draw(*args) -> None:
        drawn.append(args[-1])
        args[-1].write_bytes(f"<svg>{len(drawn)}</svg>".encode())

    monkeypatch.setattr(timeline, "render_timeline", draw)
    first = figures.timeline_figure(events, participants, entities, tmp_path)
    assert figures.timeline_figure(events, participants, entities, tmp_path) == first and len(drawn) == 1
    undrawn = entities.with_columns(pl.lit("a note").alias("note"))
    assert figures.timeline_figure(events, participants, undrawn, tmp_path) == first and len(drawn) == 1
    renamed = entities.with_columns(pl.lit("B. Person").alias("preferred_name"))
    assert figures.timeline_figure(events, participants, renamed, tmp_path) != first and len(drawn) == 2


def test_telegram_references_cite_and_documents_are_dated() -> None:
    text = (
        "# T\n\n**The Minister to the Secretary**\n\n[Telegram] Peking, February 19, 1918, 7 p.m. "
        "[Received 9 p.m.]\n\nYour February 14, 4 p.m. Foodstuffs are now allowed to go to Irkutsk.\n\n"
        "The attitude is set forth in the Department's telegrams of January 16, 4 p.m., and January 21, "
        "7 p.m., and in the circular of the inspector dated January 22.\n\nApril 27, 2 p.m.\n"
    )
    got = [(r["trigger"], r["edtf"], r["date_basis"]) for r in _events_of(text)]
    assert got == [
        ("[Telegram] Peking, February 19, 1918", "1918-02-19", "explicit"),
        ("telegrams", "1918-01-16", "relative"),  # "Your February 14" only cites a telegram
        ("telegrams", "1918-01-21", "relative"),
        ("circular", "1918-01-22", "relative"),
        ("April 27", "1918-04-27", "relative"),  # a dateline without a place
    ]


def test_time_clauses_date_the_main_clause_and_concessive_openers_do_not_block_it() -> None:
    text = (
        "# T\n\nWhen the delegates arrived in Riga in June 1920, the commission published its report.\n\n"
        "In May 1921 the council met. Although the envoy was ill, the council adopted the plan. "
        "Unless Congress provided the funds, the board dissolved. The board wanted more money than it deemed "
        "necessary.\n\nSoon the treaty was ratified. The minister resigned.\n"
    )
    got = [(r["trigger"], r["edtf"], r["date_basis"]) for r in _events_of(text)]
    assert got == [
        ("arrived", "1920-06", "explicit"),
        ("published", "1920-06", "context"),  # the main clause takes the time clause's date
        ("met", "1921-05", "explicit"),
        ("adopted", "1921-05", "context"),  # "Although ..." places nothing in time
        (
            "ratified",
            "1921-05/..",
            "context",
        ),  # "Soon": after the last date, carried across the paragraph
        ("resigned", "1921-05", "context"),  # a plain clause of the next paragraph: the carried date
    ]  # the conditional, the comparison, an "Unless ..." sentence: none


def test_future_and_modal_clauses_are_not_dated_happenings() -> None:
    text = (
        "# T\n\nOn March 29, 1918 the Board will execute the charters. "
        "The Board could sign on March 30, 1918.\n"
    )
    assert _events_of(text) == []


def test_an_opening_after_clause_with_a_date_gives_the_main_clause_an_open_end() -> None:
    text = "# T\n\nAfter the armistice of November 1918, the delegates returned to Moscow.\n"
    got = [(r["trigger"], r["edtf"], r["date_basis"]) for r in _events_of(text)]
    assert got == [("armistice", "1918-11", "explicit"), ("returned", "1918-11/..", "context")]


def test_habits_negations_and_recollections_are_not_narrative() -> None:
    text = (
        "# T\n\nIn March 1944 the minister arrived in London. The envoy always maintained his view. "
        "There is no evidence anyone paid attention. Probably thinking of the 1936 crisis, the minister "
        "lamented the failure.\n\nThe minister resigned.\n"
    )
    got = [(r["trigger"], r["edtf"]) for r in _events_of(text)]
    # "crisis" is the event the 1936 date creates; it does not move the narrative back to 1936
    assert ("arrived", "1944-03") in got and ("resigned", "1944-03") in got
    assert ("lamented", "1944-03") in got
    assert not any(trigger in {"maintained", "paid"} for trigger, _ in got)


def test_a_verb_without_object_after_its_subject_is_a_happening_but_a_participle_modifier_is_not() -> None:
    text = (
        "# T\n\nOn October 3, 1929 the stock markets fell. The index dropped 5 percent. "
        "The papers published in that year were lost. He revealed a letter confirming the position laid "
        "out by the minister.\n"
    )
    got = [r["trigger"] for r in _events_of(text)]
    assert "fell" in got and "dropped" in got and "revealed" in got
    assert "published" not in got and "laid" not in got


def test_a_relative_clause_or_appositive_between_subject_and_verb_keeps_the_verb() -> None:
    text = (
        "# T\n\nIn March 1925 the cabinet met. The ambassador, who had arrived the week before, protested "
        "the decision. The envoy, the most senior of them, penned a note. The delegates, tired after the "
        "journey, slept.\n"
    )
    got = [r["trigger"] for r in _events_of(text)]
    assert "protested" in got and "penned" in got
    assert "tired" not in got and "arrived" not in got  # a participle after a comma; a past perfect


def test_a_verb_with_a_bare_object_is_a_happening_but_a_noun_after_a_copula_is_no_subject() -> None:
    text = (
        "# T\n\nOn Friday, March 6, 2009 the stock indexes posted gains. This was an issue guaranteed to "
        "produce heat. The delays proved irreversible. Dealers whose franchises won't be renewed protested.\n"
    )
    got = [r["trigger"] for r in _events_of(text)]
    assert "posted" in got
    assert not {"guaranteed", "proved", "won"} & set(got)


def test_ranges_narrowed_decades_dated_participles_and_event_nouns_date_their_happenings() -> None:
    text = (
        "# T\n\nBetween 1921 and 1925, the commission drafted new rules. In the mid-1930s, the bureau "
        "adopted them. The guideline, issued by the delegates in 1936, created a council. The minister's "
        "action in 1938 surprised the council. The delegates consistently failed to agree. "
        "In the 1950s, the archive held many files. The office aimed to meet the 1962 publication deadline.\n"
    )
    got = [(r["trigger"], r["edtf"]) for r in _events_of(text)]
    assert ("drafted", "1921/1925") in got
    assert ("adopted", "1933/1936") in got
    assert ("issued", "1936") in got
    assert ("action", "1938") in got
    assert not any(trigger in ("failed", "held") for trigger, _ in got)  # a habit; a state of a whole decade
    assert "1962" not in [edtf for _, edtf in got]  # a deadline, not a publication


def test_a_verb_after_but_shares_the_date_a_passive_reaches_its_date_a_titles_year_dates_nothing() -> None:
    text = (
        "# T\n\nIn 1931 the director praised the plan as \u201cbold,\u201d but warned that costs would rise. "
        "The last volume was handed to the printers in 1934. When Annual Reports, 1935 was issued on "
        "March 3, 1936, the critics reacted. The envoy stayed in Rome until his death in 1940. In 1937 the "
        "board closed the office after receiving complaints from the staff.\n\n"
        "Part Two: The Death and Rebirth of the Archive, 1941–1950\n"
    )
    got = [(r["trigger"], r["edtf"]) for r in _events_of(text)]
    assert ("praised", "1931") in got and ("warned", "1931") in got
    assert ("handed", "1934") in got
    assert ("issued", "1936-03-03") in got and ("issued", "1935") not in got
    assert ("reacted", "1936-03-03") in got  # the main clause of the dated "When" clause
    assert ("death", "1940") in got and ("Death", "1941/1950") not in got  # a heading names no happening
    assert ("closed", "1937") in got and ("receiving", "1937") in got


def test_caused_infinitives_perfects_with_their_date_and_decade_event_nouns_are_happenings() -> None:
    text = (
        "# T\n\nThe 1931 reduction of the budget compelled the bureau to close two offices. By 1936, the "
        "agency had quietly moved its archive to Leeds. By 1938 the strike had dragged on for two years. "
        "The council urged the mayor to resign in 1939. The 1940s expansion of the port was costly. The "
        "1920s reorganization of the bureau was not. Not until the surrender on May 8, 1945 did the "
        "garrison leave. The board met in late May 1946 or early June 1946.\n"
    )
    got = [(r["trigger"], r["edtf"]) for r in _events_of(text)]
    assert ("close", "1931") in got  # what the cut compelled happened
    assert ("moved", "../1936") in got  # a past perfect dated by its own "By" date
    assert not any(trigger == "dragged" for trigger, _ in got)  # a duration, not a happening
    assert not any(trigger == "resign" for trigger, _ in got)  # urged: asked for, not known to happen
    assert ("reorganization", "192X") in got  # a plain decade dates the event noun right after it
    assert ("expansion", "194X") not in got  # not an event noun in the vocabulary
    assert not any(trigger.lower() == "the" for trigger, _ in got)  # "did the garrison": no verb "the"
    assert ("surrender", "1945-05-08") in got
    assert [edtf for trigger, edtf in got if trigger == "met"] == ["1946-05-21/1946-05-31"]


def test_timeline_drawn_in_another_process_is_the_same_figure_and_is_kept(tmp_path: Path) -> None:
    """Drawn on a worker process (as the CLI's idle workers draw it), the timeline is the figure drawn in
    the build's own process, byte for byte, and is kept for the next build of the same inputs."""
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from datetime import date

    from pipeline.package import figures

    events = pl.DataFrame(
        {
            "event_id": ["d:e1", "d:e2"],
            "event_type": ["meeting", "statement"],
            "date_earliest": [date(1921, 3, 1), date(1922, 5, 2)],
            "date_latest": [date(1921, 3, 31), date(1922, 5, 2)],
            "record_status": ["active", "active"],
        }
    )
    participants = pl.DataFrame(
        {
            "event_id": ["d:e1", "d:e2"],
            "entity_id": ["person:a", "person:b"],
            "entity_type": ["person", "person"],
            "role": ["agent", "recipient"],
        }
    )
    entities = pl.DataFrame({"entity_id": ["person:a", "person:b"], "preferred_name": ["A. One", "B. Two"]})
    here = figures.timeline_figure(events, participants, entities)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        drawing = figures.timeline_figure(events, participants, entities, tmp_path, pool)
        assert isinstance(drawing, Future)
        assert drawing.result() == here and here.startswith(b"<?xml")
    kept = list(tmp_path.glob("timeline-*.svg"))
    assert len(kept) == 1 and kept[0].read_bytes() == here
    assert figures.timeline_figure(events, participants, entities, tmp_path) == here  # no drawing now
