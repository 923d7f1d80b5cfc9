"""Claims: hand-checked expectations on the committed paper and on short texts in other styles."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from evaluation.claim_scoring import FIXTURES, mentions_from_names, run_gold, score
from pipeline.extract.claim_context import find_quotes
from pipeline.extract.claims import (
    attribute_cited_works,
    extract_claims,
    link_claim_citations,
    link_claim_events,
)
from pipeline.package.schema import conform, load_table_spec, validate
from pipeline.text.clean import clean_document
from tests.conftest import published_ids

GOLD = FIXTURES / "claims_gold_kennan-op-263.yaml"
DEV_PAPERS = Path(__file__).resolve().parent.parent.parent / "shared" / "dev-papers" / "docs"
DEV_GOLDS = sorted(FIXTURES.glob("claims_gold_dev-*.yaml"))
AUTHOR = "person:author"


def _extract(
    body: str, persons: dict[str, list[str]], notes: str = ""
) -> tuple[str, dict[str, pl.DataFrame]]:
    """Clean a small markdown paper and extract its claims with name-list mentions."""
    source = "# A Test Paper\n\n" + body + ("\n\n" + notes if notes else "") + "\n"
    document = clean_document(source, "test-doc", "test.md", body_start_line=3)
    mentions = mentions_from_names(document.text, persons, "test-doc")
    return document.text, extract_claims(
        document.text,
        document.sentences,
        mentions,
        document.footnotes,
        AUTHOR,
        document.emphasis_spans,
        document.paragraphs,
    )


def _row(claims: pl.DataFrame, quoted_prefix: str) -> dict:
    rows = claims.filter(pl.col("quoted_text").str.starts_with(quoted_prefix)).to_dicts()
    assert len(rows) == 1, f"expected one claim quoting {quoted_prefix!r}, got {len(rows)}"
    return rows[0]


def _letter(start: int, end: int, sender_id: str | None, sender_name: str) -> pl.DataFrame:
    """One source document's span and sender, as `document_links.sender_spans` gives them to the claims."""
    columns = {"char_start": pl.Int64, "char_end": pl.Int64, "sender_id": pl.String, "sender_name": pl.String}
    return pl.DataFrame([[start], [end], [sender_id], [sender_name]], schema=columns)


def _letter_claims(body: str, people: dict | None = None, recipient: str | None = None) -> pl.DataFrame:
    """The claims of a one-letter collection sent by Jo Sender (to ``recipient``), whose text is ``body``."""
    document = clean_document("# A Test Paper\n\n" + body + "\n", "test-doc", "test.md", body_start_line=3)
    letter = _letter(0, len(document.text), None, "Jo Sender")
    if recipient:
        letter = letter.with_columns(
            pl.lit(None, dtype=pl.String).alias("recipient_id"), pl.lit(recipient).alias("recipient_name")
        )
    return extract_claims(
        document.text,
        document.sentences,
        mentions_from_names(document.text, people or {}, "test-doc"),
        document.footnotes,
        AUTHOR,
        document.emphasis_spans,
        document.paragraphs,
        document_senders=letter,
    )["claims"]


@pytest.fixture(scope="module")
def paper() -> tuple[dict, pl.DataFrame]:
    return run_gold(GOLD, stand_in=True)


def test_paper_meets_the_quality_bar(paper: tuple[dict, pl.DataFrame]) -> None:
    gold, claims = paper
    metrics = score(gold, claims)
    assert metrics["recall"].value >= 0.95
    assert metrics["precision"].value >= 0.95
    assert metrics["speaker"].value >= 0.9
    assert metrics["hedged_recall"].value >= 0.9
    assert metrics["hedged_precision"].value >= 0.9


def test_paper_tables_validate(paper: tuple[dict, pl.DataFrame], paper_text: str) -> None:
    _, claims = paper
    spec = load_table_spec("claims")
    text = clean_document(paper_text, "kennan-op-263", "paper.md").text
    validate(spec, conform(spec, published_ids(text, {"claims": claims})["claims"]))
    assert claims["claim_id"][0] == "kennan-op-263:c001"


def test_paper_spans_point_into_the_text() -> None:
    gold = yaml.safe_load(GOLD.read_text())
    source = Path(__file__).resolve().parent.parent / gold["source"]
    document = clean_document(source.read_text(), gold["document_id"], source.name)
    _, claims = run_gold(GOLD, stand_in=True)
    for row in claims.filter(pl.col("quoted_text").is_not_null()).to_dicts():
        assert document.text[row["quote_char_start"] : row["quote_char_end"]] == row["quoted_text"]
        assert document.text[row["quote_char_start"] - 1] in '“"'
        assert document.text[row["char_start"] : row["char_end"]] == row["text"]


def test_paper_stalin_quotation_and_its_note(paper: tuple[dict, pl.DataFrame]) -> None:
    _, claims = paper
    row = _row(claims, "Litvinov does not see")
    assert (row["claimant_id"], row["reporting_verb"]) == ("person:stalin-josef", "remarked")
    assert row["footnote_id"] == "kennan-op-263:fn05"
    assert row["text"].startswith("Josef Stalin remarked that")


def test_paper_pronoun_role_and_addressee(paper: tuple[dict, pl.DataFrame]) -> None:
    _, claims = paper
    former = _row(claims, "Was I the right person")
    assert (former["claimant_text"], former["claimant_id"]) == (
        "The former commissar",
        "person:litvinov-maxim",
    )
    daughter = _row(claims, "We won the war")
    assert (daughter["claimant_text"], daughter["addressee_id"]) == ("he", "person:litvinov-tatiana")
    fischer = _row(claims, "wanted Moscow to appear")
    assert fischer["claimant_id"] == "person:fischer-louis"  # not Litvinov, named in "who knew Litvinov well"


def test_paper_scare_quotes_are_never_attributed(paper: tuple[dict, pl.DataFrame]) -> None:
    _, claims = paper
    scare = claims.filter(pl.col("kind") == "scare_quote")
    assert set(scare["quoted_text"].str.strip_chars(".,")) == {
        "memoirs",
        "Great Leader",
        "loan",
        "credit",
        "saved",
        "retired",
        "Malinin",
        "real cause",
        "capitalist",
    }
    assert scare["claimant_id"].is_null().all()
    assert (scare["claimant_type"] == "unattributed").all()


def test_paper_reported_statement_with_date_and_addressee(paper: tuple[dict, pl.DataFrame]) -> None:
    _, claims = paper
    rows = claims.filter(
        (pl.col("kind") == "reported_statement") & pl.col("text").str.contains("Paris, that Moscow")
    ).to_dicts()
    assert len(rows) == 1
    row = rows[0]
    assert (row["claimant_id"], row["addressee_id"]) == (
        "person:litvinov-maxim",
        "person:rakovskii-khristian",
    )
    assert (row["statement_date_text"], row["statement_date"]) == ("February 1926", "1926-02")


def test_straight_and_curly_quotes_pair_up() -> None:
    text = 'He said “one” and then "two words" and “three"'
    quotes = find_quotes(text, 0, len(text))
    assert [text[q.start : q.end] for q in quotes] == ["one", "two words", "three"]


def test_other_style_said_after_quote_and_role_noun() -> None:
    persons = {
        "person:brandt-willy": ["Willy Brandt", "Brandt"],
        "person:nixon-richard": ["Richard Nixon", "Nixon"],
    }
    body = (
        "In 1970 Willy Brandt travelled to Warsaw. "
        '"We must accept the border as it is," said Brandt to the assembled journalists.\n\n'
        "Richard Nixon met the chancellor in Washington. "
        "The president told him that détente was “a policy for the long haul.”"
    )
    _, out = _extract(body, persons)
    claims = out["claims"]
    border = _row(claims, "We must accept")
    assert (border["claimant_id"], border["attribution_rule"]) == ("person:brandt-willy", "verb_after_quote")
    haul = _row(claims, "a policy for the long haul")
    assert haul["claimant_id"] == "person:nixon-richard"
    assert haul["reporting_verb"] == "told"


def test_other_style_hedges_and_reported_speech_not_the_authors() -> None:
    persons = {"person:eden-anthony": ["Anthony Eden", "Eden"]}
    body = (
        "Anthony Eden probably never read the memorandum. "
        "Eden insisted that perhaps a settlement was near. "
        "It is possible that the cabinet knew more than it admitted. "
        "The talks certainly failed."
    )
    _, out = _extract(body, persons)
    assertions = out["claims"].filter(pl.col("kind") == "author_assertion")
    assert assertions.select("certainty", "cue").rows() == [
        ("probable", "probably"),
        ("possible", "It is possible"),
        ("certain", "certainly"),
    ]
    reported = out["claims"].filter(pl.col("kind") == "reported_statement").to_dicts()
    assert [(r["claimant_id"], r["reporting_verb"]) for r in reported] == [
        ("person:eden-anthony", "insisted")
    ]


def test_other_style_quote_without_verb_is_carried_or_cited() -> None:
    persons = {"person:kennan-george": ["George Kennan", "Kennan"]}
    body = (
        'George Kennan wrote that Soviet power was "impervious to the logic of reason." '
        'It was, in his words, "highly sensitive to the logic of force."\n\n'
        'Critics called the policy "a strategic monstrosity."^1'
    )
    notes = "1 Walter Lippmann, *The Cold War* (New York, 1947), 10."
    _, out = _extract(body, persons, notes)
    claims = out["claims"]
    force = _row(claims, "highly sensitive")
    assert (force["claimant_id"], force["attribution_rule"]) == ("person:kennan-george", "carried_over")
    monstrosity = _row(claims, "a strategic monstrosity")
    assert monstrosity["claimant_type"] == "group"  # "Critics" is a group, not a person
    assert monstrosity["footnote_id"] == "test-doc:fn01"


def test_citation_and_event_links() -> None:
    claim_notes = pl.DataFrame({"claim_id": ["d:c001", "d:c002"], "footnote_id": ["d:fn01", "d:fn02"]})
    citations = pl.DataFrame(
        {"citation_id": ["d:fn01.1", "d:fn01.2", "d:fn03.1"], "footnote_id": ["d:fn01", "d:fn01", "d:fn03"]}
    ).with_columns(pl.Series("work_id", ["work:a", "work:b", "work:c"]))
    linked = link_claim_citations(claim_notes, citations)
    assert linked.select("claim_id", "citation_id").rows() == [("d:c001", "d:fn01.1"), ("d:c001", "d:fn01.2")]
    spec = load_table_spec("claim_citations")
    validate(spec, conform(spec, linked))
    claims = pl.DataFrame({"claim_id": ["d:c001"], "char_start": [10], "char_end": [50]})
    events = pl.DataFrame({"event_id": ["d:e1", "d:e2"], "char_start": [40, 60], "char_end": [45, 70]})
    assert link_claim_events(claims, events)["subject_id"].to_list() == ["d:e1"]


def test_cited_work_becomes_the_claimant_when_the_note_cites_one_work() -> None:
    claims = pl.DataFrame(
        {
            "claim_id": ["d:c001", "d:c002"],
            "claimant_type": ["work", "person"],
            "claimant_id": [None, "person:x"],
        }
    )
    claim_citations = pl.DataFrame(
        {
            "claim_id": ["d:c001", "d:c002"],
            "citation_id": ["d:fn01.1", "d:fn02.1"],
            "work_id": ["work:a", "work:b"],
        }
    )
    assert attribute_cited_works(claims, claim_citations)["claimant_id"].to_list() == ["work:a", "person:x"]


@pytest.mark.skipif(not DEV_PAPERS.is_dir(), reason="the shared dev papers are not beside the repository")
@pytest.mark.parametrize("gold_path", DEV_GOLDS, ids=lambda p: p.stem)
def test_dev_chapters_meet_the_speaker_bar(gold_path: Path) -> None:
    """Monograph chapters whose people are not in authority/: speakers come from the text itself."""
    gold, claims = run_gold(gold_path, stand_in=True)
    metrics = score(gold, claims)
    assert metrics["recall"].value >= 0.9
    assert metrics["speaker"].value >= 0.85
    if gold.get("hedged"):
        assert metrics["hedged_recall"].value >= 0.8
    attributed = claims.filter(pl.col("kind") == "quotation")
    assert attributed["attribution_confidence"].is_not_null().all()
    named = attributed.filter(pl.col("claimant_char_start").is_not_null()).to_dicts()
    assert named
    for row in named:
        assert row["claimant_text"] is not None


def test_unlinked_speakers_stay_text_with_offsets() -> None:
    body = (
        "Secretary of State Robert Lansing replied that the series was “the only publication issued "
        "regularly.” According to the Senate Committee on Printing, “the cost of paper had enormously "
        "increased.” The proposal was described by Elihu Root as “a waste of good paper and ink.”"
    )
    text, out = _extract(body, {})
    claims = out["claims"]
    lansing = _row(claims, "the only publication")
    assert (lansing["claimant_type"], lansing["claimant_name"], lansing["claimant_id"]) == (
        "person",
        "Robert Lansing",
        None,
    )
    assert text[lansing["claimant_char_start"] : lansing["claimant_char_end"]] == lansing["claimant_text"]
    committee = _row(claims, "the cost of paper")
    assert (committee["claimant_type"], committee["attribution_rule"]) == ("organisation", "according_to")
    root = _row(claims, "a waste of good paper")
    assert (root["claimant_name"], root["attribution_rule"]) == ("Elihu Root", "passive_agent")


def test_possessive_note_sender_and_unknown_speaker() -> None:
    body = (
        "Ivan Petrov arrived in March. Petrov’s memo called the plan “a castle built on sand and wishful "
        "thinking.”\n\n"
        "The budget was cut again. The order demanded “the strictest economy in every bureau.”^1\n\n"
        "Nothing was said of it. “Whatever happens, the volumes will appear on time.”"
    )
    notes = "1 Memorandum from Anna Kowalska to all division chiefs, May 3, 1913, file 119."
    _, out = _extract(body, {}, notes)
    claims = out["claims"]
    memo = _row(claims, "a castle built")
    assert (memo["claimant_name"], memo["attribution_rule"]) == ("Ivan Petrov", "possessive")
    order = _row(claims, "the strictest economy")
    assert (order["claimant_name"], order["attribution_rule"]) == ("Anna Kowalska", "note_sender")
    orphan = _row(claims, "Whatever happens")
    assert (orphan["claimant_type"], orphan["attribution_confidence"]) == ("unknown", 0.0)


def test_hedges_from_the_literature_in_another_style() -> None:
    body = (
        "In part, the delay reflected the war; to some extent it was partly the budget. "
        "The archive could conceivably have opened sooner. "
        "There is no evidence that the minister read the file. The reform was not necessarily popular. "
        "Why publish documents that nobody would read? The decision, of course, was final. "
        "The ship made a change of course at dawn. Officials declared that the series might well end. "
        "The files were withheld in whole or in part."
    )
    _, out = _extract(body, {})
    assertions = out["claims"].filter(pl.col("kind") == "author_assertion")
    # approximators ("in part", "partly", "to some extent") narrow the statement, not the writer's certainty
    assert assertions.select("certainty", "cue").rows() == [
        ("possible", "could conceivably"),
        ("probable", "There is no evidence"),
        ("possible", "not necessarily"),
        ("probable", "?"),
        ("certain", "of course"),
    ]


def test_list_items_after_a_colon_go_on_the_lead_in_sentence() -> None:
    """Each lettered item is its own block, yet its quotation is the lead-in sentence's speaker's."""
    body = (
        "The harbour board met twice that winter. Its chairman, Ivan Petrov, proposed three remedies:\n\n"
        "(a) “dredge the eastern channel before the spring floods,”\n\n"
        "(b) “raise the wharf dues for foreign steamers,” and\n\n"
        "(c) “close the old pier to all but fishing boats.”\n\n"
        "The board adopted none of them."
    )
    text, out = _extract(body, {"person:petrov": ["Ivan Petrov", "Petrov"]})
    rows = out["claims"].filter(pl.col("kind") == "quotation").sort("char_start").to_dicts()
    assert [(r["claimant_id"], r["reporting_verb"]) for r in rows] == [("person:petrov", "proposed")] * 3
    assert [r["paragraph_id"] for r in rows] == ["test-doc:p002", "test-doc:p003", "test-doc:p004"]
    for row in rows:
        assert text[row["char_start"]] == "“"
        assert text[row["claimant_char_start"] : row["claimant_char_end"]] == "Ivan Petrov"


def test_unlinked_person_of_the_entities_stage_becomes_the_claimant_id() -> None:
    """A speaker the authority lacks points to the document-level person the entities stage gave the name."""
    from pipeline.extract.entities import find_mentions, load_authority

    body = (
        "Harbour Commissioner Matthias Orwendel replied that the dredging was “far beyond the city’s means "
        "this year.” The council minutes are silent on the matter."
    )
    source = "# A Test Paper\n\n" + body + "\n"
    document = clean_document(source, "test-doc", "test.md", body_start_line=3)
    mentions, unlinked = find_mentions(
        document.text, document.sentences, document.footnotes, load_authority(), document.emphasis_spans
    )
    person_ids = unlinked.filter(pl.col("text").str.contains("Orwendel"))["person_id"].unique().to_list()
    assert len(person_ids) == 1 and person_ids[0].startswith("test-doc:person:")
    args = (document.text, document.sentences, mentions, document.footnotes, AUTHOR, document.emphasis_spans)
    with_persons = _row(extract_claims(*args, document.paragraphs, unlinked)["claims"], "far beyond")
    assert (with_persons["claimant_type"], with_persons["claimant_id"]) == ("person", person_ids[0])
    assert with_persons["claimant_name"] == "Matthias Orwendel"
    without = _row(extract_claims(*args, document.paragraphs)["claims"], "far beyond")
    assert (without["claimant_type"], without["claimant_id"]) == ("person", None)


def test_clause_structure_picks_the_speaker_of_the_governing_verb() -> None:
    body = (
        "In a long letter to the historian Helen Marsh Avery, Truman declared that the records would "
        "“stay closed until every participant had died.”\n\n"
        "Harding explained that the files were “a mess of duplicates and drafts.”\n\n"
        "Ruth Ames heard from Tomás Núñez that the committee did “not think the volume could be saved.”\n\n"
        "The delay was, as Ruth Ames put it, “a scandal of the first order.”\n\n"
        "Harding believed that “the mechanics” of clearance would be “difficult” for years."
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    assert "Truman" in _row(claims, "stay closed")["claimant_name"]
    assert _row(claims, "a mess of")["claimant_name"] == "Harding"
    assert _row(claims, "not think the volume")["claimant_name"] == "Tomás Núñez"
    assert _row(claims, "a scandal of")["claimant_name"] == "Ruth Ames"
    for short in ("the mechanics", "difficult"):
        row = _row(claims, short)
        assert (row["kind"], row["claimant_name"]) == ("quotation", "Harding")


def test_real_apposition_names_the_person_before_it() -> None:
    body = (
        "As Walter Brandt, the Chief of the Records Branch, noted, the files held “nothing of value to the "
        "compilers.”\n\n"
        "Mary Lowe, Truman wrote, “would never have allowed such a thing.”"
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    assert _row(claims, "nothing of value")["claimant_name"] == "Walter Brandt"
    assert "Truman" in (_row(claims, "would never")["claimant_name"] or "")


def test_documents_and_unnamed_sources_speak() -> None:
    body = (
        "Ruth Ames received a letter that quoted from an unattributed memorandum claiming that the archive "
        "was “beyond repair.”\n\n"
        "Ruth Ames wrote that the budget was “already spent.” Ames’s source explained that the board "
        "would “never fund a second volume.” The telegram warned that delay would be “fatal to the "
        "series.”\n\n"
        "The clerk sent a despatch labeled “Urgent” to the legation."
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    memo = _row(claims, "beyond repair")
    assert (memo["claimant_type"], memo["claimant_text"]) == ("document", "an unattributed memorandum")
    assert _row(claims, "already spent")["claimant_name"] == "Ruth Ames"
    source = _row(claims, "never fund")
    assert (source["claimant_type"], source["claimant_name"]) == ("unnamed_source", "Ames’s source")
    assert _row(claims, "fatal to")["claimant_type"] == "document"
    assert _row(claims, "Urgent")["claimant_type"] != "document"


def test_a_carried_speaker_stops_when_a_new_source_is_named() -> None:
    body = (
        "Ruth Ames wrote that the budget was “already spent.” Later the board met. “Nobody will "
        "pay for the index,” she added. Tomás Núñez disagreed with the board. “The index pays for itself "
        "within a decade.”"
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    assert _row(claims, "Nobody will")["claimant_name"] == "Ruth Ames"
    assert _row(claims, "The index pays")["claimant_name"] != "Ruth Ames"


def test_a_documents_sender_makes_its_assertions_and_is_its_writer() -> None:
    body = (
        "The minister’s reply is printed below.\n\n"
        "The treaty will probably be signed in May. I told the Minister that delay would cost both "
        "governments dearly.\n\n"
        "The editor adds that the reply apparently never reached the Senate."
    )
    text, unsent = _extract(body, {})
    letter_start = text.index("The treaty")
    letter_end = text.index("The editor")
    senders = _letter(letter_start, letter_end, "person:sender", "Jane Sender")
    document = clean_document("# A Test Paper\n\n" + body + "\n", "test-doc", "test.md", body_start_line=3)
    claims = extract_claims(
        document.text,
        document.sentences,
        mentions_from_names(document.text, {}, "test-doc"),
        document.footnotes,
        AUTHOR,
        document.emphasis_spans,
        document.paragraphs,
        None,
        senders,
    )["claims"]
    rows = claims.sort("char_start").to_dicts()
    treaty = next(r for r in rows if r["text"].startswith("The treaty"))
    assert (treaty["claimant_id"], treaty["attribution_rule"]) == ("person:sender", "document_sender")
    told = next(r for r in rows if r["kind"] == "reported_statement" and "told" in r["text"])
    assert told["claimant_id"] == "person:sender"
    editor = next(r for r in rows if r["kind"] == "author_assertion" and "apparently" in r["text"])
    assert editor["claimant_id"] == AUTHOR
    unsent_assertions = unsent["claims"].filter(pl.col("kind") == "author_assertion")
    assert set(unsent_assertions["claimant_id"]) == {AUTHOR}
    with pytest.raises(ValueError, match="sender_name"):
        extract_claims(
            document.text,
            document.sentences,
            mentions_from_names(document.text, {}, "test-doc"),
            document.footnotes,
            AUTHOR,
            None,
            None,
            None,
            senders.drop("sender_name"),
        )


def test_proposals_noun_phrase_adverbs_passives_and_labels_are_not_claims() -> None:
    body = (
        "The Foreign Office suggest that the colliers should probably sail in June.\n\n"
        "The evidence suggests that the colliers sailed in June.\n\n"
        "Customs opened an apparently regular shipment of grain.\n\n"
        "The Legation is informed that the colliers sailed in June. Ruth Ames was saying that they "
        "sailed.\n\n"
        "Ruth Ames enclosed a copy, marked Enclosure No. 2, with her letter. She said that the colliers "
        "sailed in June."
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    assertions = claims.filter(pl.col("kind") == "author_assertion")["text"].to_list()
    assert not any("Foreign Office" in a or "apparently regular" in a for a in assertions)
    assert any(a.startswith("The evidence suggests") for a in assertions)
    reported = claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    assert not any("is informed" in r["text"] for r in reported)
    assert any("was saying" in r["text"] for r in reported)
    said = next(r for r in reported if "She said" in r["text"])
    assert said["claimant_name"] == "Ruth Ames"


def test_headings_and_addressee_lines_are_never_claims() -> None:
    source = (
        "# Papers on a Loan\n\n"
        "## The Minister in Ruritania (Ames) to the Secretary of State\n\n"
        "The loan will probably fail, and the Minister told me that “nothing can be done before spring.”\n"
    )
    document = clean_document(source, "test-doc", "test.md", body_start_line=3)
    claims = extract_claims(
        document.text,
        document.sentences,
        mentions_from_names(document.text, {}, "test-doc"),
        document.footnotes,
        AUTHOR,
        document.emphasis_spans,
        document.paragraphs,
    )["claims"]
    headings = set(document.paragraphs.filter(pl.col("block_kind") == "heading")["paragraph_id"])
    assert headings
    assert not set(claims["paragraph_id"]) & headings
    assert set(claims["kind"]) >= {"author_assertion", "quotation"}


def test_the_entities_stages_names_complete_the_speaker() -> None:
    body = "After the vote Willem ter Horst said that the harbour was “far beyond the city’s means.”"
    source = "# A Test Paper\n\n" + body + "\n"
    document = clean_document(source, "test-doc", "test.md", body_start_line=3)
    start = document.text.index("Willem")
    unlinked = pl.DataFrame(
        {
            "char_start": [start],
            "char_end": [start + len("Willem ter Horst")],
            "text": ["Willem ter Horst"],
            "person_id": [None],
            "footnote_id": [None],
        },
        schema_overrides={"person_id": pl.String, "footnote_id": pl.String},
    )
    args = (
        document.text,
        document.sentences,
        mentions_from_names(document.text, {}, "test-doc"),
        document.footnotes,
        AUTHOR,
        document.emphasis_spans,
        document.paragraphs,
    )
    assert _row(extract_claims(*args)["claims"], "far beyond")["claimant_name"] != "Willem ter Horst"
    assert (
        _row(extract_claims(*args, unlinked)["claims"], "far beyond")["claimant_name"] == "Willem ter Horst"
    )


def test_modal_possession_ability_and_reported_boosters_are_not_hedges() -> None:
    body = (
        "Passenger vessels may have bunker licenses.\n\n"
        "The clerks may have misread the order.\n\n"
        "It is possible to impose stricter conditions on neutral ships.\n\n"
        "The Afghans would almost surely ask why the text had changed.\n\n"
        "Ruth Ames added, in that connection, that she would of course keep the legation informed.\n\n"
        "Ruth Ames to whom I conveyed the reply stated that she would wait."
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    assertions = {
        r["text"]: r["certainty"] for r in claims.filter(pl.col("kind") == "author_assertion").to_dicts()
    }
    assert not any("bunker" in a or "impose" in a or "of course" in a for a in assertions)
    assert any("misread" in a for a in assertions)
    assert next(c for a, c in assertions.items() if "almost surely" in a) == "probable"
    stated = next(r for r in claims.to_dicts() if r["reporting_verb"] == "stated")
    assert stated["claimant_type"] != "document_author"


def test_a_capitalised_role_is_a_speaker() -> None:
    _, out = _extract("Ruth Ames arrived in May. The Secretary stated that the volume would wait.", {})
    row = out["claims"].filter(pl.col("kind") == "reported_statement").to_dicts()[0]
    assert row["claimant_text"] == "The Secretary"


def test_treaty_articles_speak_as_documents_and_the_writers_proposal_is_no_hedge() -> None:
    body = (
        "The act was signed in Berlin. Article III, section 2, declares that the council shall elect "
        "a judge.\n\n"
        "I suggest that you authorize me to state that the United States probably agrees."
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    article = claims.filter(pl.col("kind") == "reported_statement").to_dicts()[0]
    assert (article["claimant_type"], article["claimant_text"]) == ("document", "Article III")
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0


def test_statement_dates_come_from_the_time_expressions_table() -> None:
    from pipeline.extract.dates import find_time_expressions

    body = "On February 12, 1926, Ruth Ames told the board that the series was late."
    document = clean_document("# A Test Paper\n\n" + body + "\n", "test-doc", "test.md", body_start_line=3)
    args = (
        document.text,
        document.sentences,
        mentions_from_names(document.text, {}, "test-doc"),
        document.footnotes,
        AUTHOR,
    )
    own = extract_claims(*args)["claims"].filter(pl.col("kind") == "reported_statement").to_dicts()[0]
    assert own["statement_date"] is None
    times = find_time_expressions(document.sentences, None)
    dated = extract_claims(*args, time_expressions=times)["claims"]
    row = dated.filter(pl.col("kind") == "reported_statement").to_dicts()[0]
    assert (row["statement_date"], row["statement_date_text"]) == ("1926-02-12", "February 12, 1926")


def test_instructions_recommendations_and_telegraphic_passives_are_not_statements() -> None:
    body = (
        "Am informed that the harbour will close on Monday.\n\n"
        "Ruth Ames warned the clerks to tell visitors that the archive was shut.\n\n"
        "The Treasury recommended that the duty be halved.\n\n"
        "I called on the Acting Director, Mr. Paul Brandt, and advised him that the loan would wait.\n\n"
        "Ruth Ames wrote to him that the reading room was shut."
    )
    _, out = _extract(body, {})
    reported = out["claims"].filter(pl.col("kind") == "reported_statement").to_dicts()
    texts = [r["text"] for r in reported]
    assert not any("harbour" in t or "visitors" in t or "duty" in t for t in texts)
    advised = next(r for r in reported if "advised" in r["text"])
    assert advised["claimant_type"] == "document_author"
    wrote = next(r for r in reported if "reading room" in r["text"])
    assert wrote["claimant_name"] == "Ruth Ames"


def test_words_mentioned_titles_and_a_statement_by_a_named_speaker() -> None:
    body = (
        "The so-called “open door in the east” was never open.\n\n"
        "The clerk struck out the words “without delay or reservation” from the draft.\n\n"
        "A copy of the decree for the “Protection and Management of the Northern Fisheries” is enclosed.\n\n"
        "The statement by Ruth Ames last week that “the archive will never reopen” alarmed the staff."
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    assert _row(claims, "open door")["kind"] == "scare_quote"
    assert _row(claims, "without delay")["kind"] == "scare_quote"
    assert _row(claims, "Protection and")["kind"] == "title"
    statement = _row(claims, "the archive will")
    assert (statement["kind"], statement["claimant_name"]) == ("quotation", "Ruth Ames")


def test_questions_to_the_addressee_counterfactuals_idioms_and_quoted_letters_are_not_hedges() -> None:
    body = (
        "Does this plan meet with your approval?\n\n"
        "Even if the grain had been stored, it could have been sold at a loss.\n\n"
        "The note should leave no doubt about our resolve.\n\n"
        "You should tell him that it seems wise to wait.\n\n"
        "The mayor wrote as follows:\n\n"
        "“The council will probably meet in May.\n\n"
        "“It will certainly reject the plan.”\n\n"
        "Was it wise to wait so long?\n\n"
        "The clerks could have misread the order."
    )
    _, out = _extract(body, {})
    assertions = out["claims"].filter(pl.col("kind") == "author_assertion")["text"].to_list()
    assert len(assertions) == 2
    assert assertions[0].startswith("Was it wise") and "misread" in assertions[1]


def test_an_infinitive_after_the_first_that_does_not_cancel_the_statement() -> None:
    _, out = _extract("The Embassy adds that it has been told to express the hope that trade resumes.", {})
    reported = out["claims"].filter(pl.col("kind") == "reported_statement").to_dicts()
    assert [r["reporting_verb"] for r in reported] == ["adds"]


def test_block_quotations_after_a_lead_in_naming_a_document_and_subjunctive_requests() -> None:
    body = (
        "The harbour was closed in March, and following is the last paragraph of the decree of the "
        "governor:\n\n"
        "“No vessel shall leave the port without a licence from the harbour master.”\n\n"
        "The governor knows our objections, set out at length in my telegram No. 40 in the "
        "following words:\n\n"
        "“The harbour master will grant licences only to vessels flying a neutral flag.”\n\n"
        "Ruth Ames wrote the Treasury requesting that the licences be printed at once.\n\n"
        "The treaty says nothing of licences, but Article 4 of the convention reads as follows:\n\n"
        "“Each party shall publish its tariff.”"
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    decree = _row(claims, "No vessel")
    assert (decree["claimant_type"], decree["attribution_rule"]) == ("document", "lead_in_document")
    assert "decree" in decree["claimant_text"]
    telegram = _row(claims, "The harbour master")
    assert (telegram["claimant_type"], telegram["attribution_rule"]) == (
        "document_author",
        "lead_in_document",
    )
    assert claims.filter(pl.col("kind") == "reported_statement").height == 0
    article = _row(claims, "Each party")
    assert (article["claimant_type"], article["reporting_verb"]) == ("document", "reads")


def test_another_clause_before_that_a_view_given_as_a_noun_and_letter_words_are_not_the_speakers() -> None:
    body = (
        "Ruth Ames told me of the unrest in the provinces it is possible that the army will move.\n\n"
        "Her argument was that the payment should probably wait.\n\n"
        "Received March 3. You will recall that the harbour was closed."
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    reported = claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    assert not any("unrest" in r["text"] for r in reported)
    assert all((r["claimant_name"] or "") not in ("You", "Received March") for r in reported)
    assertions = claims.filter(pl.col("kind") == "author_assertion")["text"].to_list()
    assert not any("argument" in a for a in assertions)
    assert any("possible" in a for a in assertions)


def test_the_last_paragraph_of_a_quotation_over_several_paragraphs_keeps_its_lead_in() -> None:
    body = (
        "Ruth Ames arrived in May.\n\n"
        "She wrote:\n\n"
        "“The harbour is closed and the grain rots on the quays.\n\n"
        "“Nothing will move before the licences arrive from the capital.”\n\n"
        "Later the circular of the ministry was printed:\n\n"
        "“All licences are suspended until further notice.\n\n"
        "“Vessels in port may leave only under escort of the navy.”"
    )
    _, out = _extract(body, {"person:ames": ["Ruth Ames", "Ames"]})
    claims = out["claims"]
    letter = _row(claims, "Nothing will move")
    assert letter["claimant_id"] == "person:ames"
    circular = _row(claims, "Vessels in port")
    assert circular["claimant_type"] == "document" and "circular" in circular["claimant_text"]
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0


def test_inside_a_letter_a_quotation_without_a_named_source_is_not_given_to_the_paragraphs_topic() -> None:
    body = (
        "Ruth Ames came to see me yesterday. The tariff remains “a measure of the gravest injustice to our "
        "trade and shipping” in every port."
    )
    document = clean_document("# A Test Paper\n\n" + body + "\n", "test-doc", "test.md", body_start_line=3)
    args = (
        document.text,
        document.sentences,
        mentions_from_names(document.text, {"person:ames": ["Ruth Ames"]}, "test-doc"),
        document.footnotes,
        AUTHOR,
    )
    outside = _row(extract_claims(*args)["claims"], "a measure")
    assert (outside["claimant_id"], outside["attribution_rule"]) == ("person:ames", "paragraph_topic")
    letter = _letter(0, len(document.text), None, "Jo Sender")
    inside = _row(extract_claims(*args, document_senders=letter)["claims"], "a measure")
    assert (inside["claimant_type"], inside["attribution_rule"]) == ("unknown", "none")


def test_the_issuer_of_a_quoted_document_negated_and_passive_reports_and_manner_adverbs() -> None:
    body = (
        "The Farmers Party has published a pamphlet with these words on its cover:\n\n"
        "“The party will oppose every tariff on imported grain until the harvest is safely in.”\n\n"
        "The council has never conceded that a tariff may be raised without notice.\n\n"
        "I am now advised by the customs officers that the duty has been raised.\n\n"
        "It should be clearly stated that the duty is provisional."
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    manifesto = _row(claims, "The party will")
    assert manifesto["claimant_name"] == "Farmers Party"
    assert manifesto["attribution_rule"] == "lead_in_document"
    reported = claims.filter(pl.col("kind") == "reported_statement")["text"].to_list()
    assert not any("never conceded" in r or "now advised" in r for r in reported)
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0


def test_passive_pronoun_agents_treaty_names_and_partial_quotations() -> None:
    persons = {"person:ames": ["Ruth Ames", "Ames"]}
    body = (
        "Ruth Ames, the consul at the port, reported as follows:\n\n"
        "“The quays are quiet tonight and the ships are all at anchor in the roads.”\n\n"
        "Ruth Ames came at noon. I was told by her that she would not “give way to the strikers at any "
        "price”.\n\n"
        "The Northern Convention reads as follows: “Each party shall light its own coast.”\n\n"
        "Suggests that the talks resume in May.\n\n"
        "In her statement she said in part: “The harbour will reopen when the strike ends.”\n\n"
        "The mayor asked whether in the event that the strike ends the ships may sail."
    )
    _, out = _extract(body, persons)
    claims = out["claims"]
    assert _row(claims, "The quays")["claimant_id"] == "person:ames"
    told = _row(claims, "give way")
    assert (told["claimant_id"], told["attribution_rule"]) == ("person:ames", "passive_agent")
    assert _row(claims, "Each party")["claimant_type"] == "document"
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0
    assert not any("asked whether" in t for t in claims["text"].to_list())


def test_capitalised_documents_passive_hearsay_instructions_and_announced_telegrams() -> None:
    persons = {"person:ames": ["Ruth Ames", "Ames"]}
    body = (
        "The last sentence of the Note reads as follows: “No licence will be granted before June.”\n\n"
        "I have been told that they will make an offer of “a new cabinet of national union”.\n\n"
        "Inform the Ministry and suggest that the talks resume in May.\n\n"
        "The census report states in part: “The island has eleven thousand inhabitants.”\n\n"
        "The mayor struck out the weakening phrase “in due course” from the draft.\n\n"
        "I send for your information following telegram from Ruth Ames to the mayor.\n\n"
        "“The harbour reopened this morning and the first ships have sailed.”"
    )
    _, out = _extract(body, persons)
    claims = out["claims"]
    assert _row(claims, "No licence")["claimant_type"] == "document"
    assert _row(claims, "a new cabinet")["claimant_type"] != "document_author"
    assert _row(claims, "in due course")["kind"] == "scare_quote"
    assert _row(claims, "The harbour reopened")["claimant_id"] == "person:ames"
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0


def test_a_role_with_its_posting_is_the_speaker_not_the_last_person_named() -> None:
    persons = {"person:doe-jane": ["Jane Doe", "Doe"]}
    body = (
        "Jane Doe reached the port on Monday. "
        "The American consul at Port Amber cabled that the harvest was failing. "
        "The Minister in Strelsau reported that the treaty was signed."
    )
    _, out = _extract(body, persons)
    reported = out["claims"].filter(pl.col("kind") == "reported_statement").to_dicts()
    assert [(r["claimant_name"], r["claimant_id"]) for r in reported] == [
        ("The American consul at Port Amber", None),
        ("The Minister in Strelsau", None),
    ]


def test_inside_a_letter_a_role_is_not_resolved_to_a_topic_of_another_title() -> None:
    body = (
        "The Legal Secretary of the Ruritanian Government has refused our request. "
        "The Consul adds that he has lodged a written protest."
    )
    source = "# A Test Paper\n\n" + body + "\n"
    document = clean_document(source, "test-doc", "test.md", body_start_line=3)
    mentions = mentions_from_names(document.text, {}, "test-doc")
    args = (document.text, document.sentences, mentions, document.footnotes, AUTHOR)
    letter = _letter(0, len(document.text), None, "Jo Sender")
    reported = extract_claims(*args, document_senders=letter)["claims"].filter(
        pl.col("kind") == "reported_statement"
    )
    assert reported.select("claimant_type", "claimant_id", "claimant_name").rows() == [
        ("person", None, "The Consul")
    ]


COLLECTION = """# Release of a Prisoner

**Mr. Grey to Mr. Olney.**

Legation of the United States, *Lisbon*, *March 3, 1897*.

No. 12.]

Sir: I have the honor to inclose copy of a note from the Foreign Office on the case. The case, however, \
appears to be now closed. The Foreign Office had promised an early release. They informed me on Monday that \
the prisoner would be freed within the week. Your instruction No. 8 stated that the family had paid the fine.
An amnesty explains the statement in your note of February 2 that the court had not sat.

I have, etc.,

Edward Grey.

[Inclosure—Translation.]

Ministry of Foreign Affairs, *Lisbon*, *February 27, 1897*.

Mr. Minister: I have the honor to inform you that the prisoner has left the country.

[Inclosure 2.]

**Mr. Soares to Mr. Grey.**

Ministry of Justice, *Lisbon*, *February 25, 1897*.

Sir: The court has doubtless acted within the law, and Article 12 of the Penal Code, which prescribes that \
a fine “shall be paid within thirty days of the sentence,” was observed.
"""


def test_enclosures_have_their_own_writers_and_they_and_you_resolve_inside_a_letter() -> None:
    from pipeline.extract import correspondence, document_links

    document = clean_document(COLLECTION, "test-doc", "test.md")
    found = correspondence.find_source_documents(document.paragraphs, "test-doc")
    senders = document_links.sender_spans(found, document.paragraphs)
    claims = extract_claims(
        document.text,
        document.sentences,
        mentions_from_names(document.text, {}, "test-doc"),
        document.footnotes,
        AUTHOR,
        document.emphasis_spans,
        document.paragraphs,
        document_senders=senders,
    )["claims"]

    def by_text(start: str) -> dict:
        rows = claims.filter(pl.col("text").str.contains(start, literal=True)).to_dicts()
        assert len(rows) == 1, f"expected one claim with {start!r}, got {len(rows)}"
        return rows[0]

    assert by_text("appears to be now closed")["claimant_name"] == "Grey"  # the covering letter's sender
    they = by_text("They informed me")
    assert (they["claimant_type"], they["claimant_name"]) == ("organisation", "Foreign Office")
    assert by_text("Your instruction No. 8 stated")["claimant_name"] == "Olney"  # the letter's recipient
    # a noun of saying owns its "that" clause: the note's, hence the addressee's, not the amnesty's
    noted = by_text("the court had not sat")
    assert (noted["claimant_name"], noted["attribution_rule"]) == ("Olney", "possessive")
    # An enclosure without a heading: the source the covering text names; with one: its sender.
    assert by_text("inform you that the prisoner")["claimant_name"] == "the Foreign Office"
    assert by_text("doubtless acted")["claimant_name"] == "Mr. Soares"
    article = _row(claims, "shall be paid")
    assert (article["claimant_name"], article["attribution_rule"]) == (
        "Article 12 of the Penal Code",
        "document_in_clause",
    )


def test_quoted_wording_and_unattributed_phrases_are_terms_and_coordinated_bodies_stay_a_group() -> None:
    body = (
        "Honduras cannot accept the insertion of the words “as a basis of the settlement” in the "
        "preamble.\n\n"
        "The Canadians desire the substitution of “under guard by the authorities of the port” in line 4.\n\n"
        "The old treaty had long been a “dead letter among the coast towns” there.\n\n"
        "The Senate and the Committee met in March. They declared that the treaty had “lapsed beyond any "
        "hope of revival by either party.”"
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    for phrase in ("as a basis", "under guard", "dead letter"):
        assert _row(claims, phrase)["kind"] == "scare_quote"
    lapsed = _row(claims, "lapsed beyond")
    assert (lapsed["kind"], lapsed["claimant_type"]) == ("quotation", "group")


def test_a_document_source_before_a_participle_the_writer_told_to_say_and_telegram_imperatives() -> None:
    body = (
        "I have the honor to inform you of the receipt of a note from the Minister of State informing me "
        "that the prisoner was freed.\n\n"
        "The President has read your note, and he authorizes me to say that the duty will be lowered.\n\n"
        "Inform Van Deman that the codes have arrived."
    )
    claims = _letter_claims(body)
    reported = {
        r["reporting_verb"]: r for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    assert reported["informing"]["claimant_name"] == "the Minister of State"
    assert reported["to say"]["claimant_name"] == "Jo Sender"
    assert set(reported) == {"informing", "to say"}  # "Inform Van Deman that" is an instruction, not a name


def test_passive_agents_own_documents_reports_and_unreal_conditions_in_a_letter() -> None:
    body = (
        "The Department has received your despatch No. 1139 of July 5, 1934, reporting that the embargo "
        "remains in effect.\n\n"
        "I have been heretofore informed by Ruth Ames that the claims continue without limit.\n\n"
        "Before sailing, according to the Gazette, Dr. Grau wrote the following message: “I shall continue "
        "working for the liberty of our country.”\n\n"
        "Had the companies made stronger efforts, other concessions could have been secured.\n\n"
        "The consul asks for a guard so that the archives are kept safe."
    )
    claims = _letter_claims(body, {"person:ames": ["Ruth Ames"]}, recipient="Jay Lay")
    reported = {
        r["reporting_verb"]: r for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    assert reported["reporting"]["claimant_name"] == "Jay Lay"  # "your despatch": the recipient's
    assert (reported["informed"]["claimant_id"], reported["informed"]["attribution_rule"]) == (
        "person:ames",
        "passive_agent",
    )
    assert set(reported) == {"reporting", "informed"}  # "asks for ... so that" reports nothing
    assert _row(claims, "I shall continue")["claimant_name"] == "Grau"  # the paper reports what Grau wrote
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0  # an unreal condition


def test_a_quoted_note_over_several_paragraphs_is_not_the_covering_writers_statement() -> None:
    body = (
        "I have received the following note from the Minister of Foreign Affairs.\n\n"
        "“Mr. Chargé d’Affaires: I have the honor to inform you that the President has resigned.\n\n"
        "I also have the honor to inform you that the Council of Ministers will continue to govern.”\n\n"
        "The Minister told me that the Council would meet daily."
    )
    claims = _letter_claims(body)
    reported = claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    assert [(r["claimant_name"], r["reporting_verb"]) for r in reported] == [("The Minister", "told")]


def test_a_relayed_block_a_present_tense_report_and_a_note_with_its_source_before_a_comma() -> None:
    body = (
        "I transmit herewith a copy of a note from the Foreign Office, stating that it has received "
        "instructions to raise the question.\n\n"
        "Wallenberg informs me that a large part of the ore will probably be exported to Denmark.\n\n"
        "This Government has no objection to the word in the Preamble, as it appears in the Canadian "
        "draft.\n\n"
        "You may inform Gilbert as follows:\n\n"
        "“Department is still using the form of letter contained in its earlier instruction. Department has "
        "noted the views of the Committee.”"
    )
    claims = _letter_claims(body)
    reported = {
        r["reporting_verb"]: r for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    assert reported["stating"]["claimant_name"] == "Foreign Office"  # the note's source, not the writer
    assert reported["informs"]["claimant_name"] == "Wallenberg"
    assert (
        claims.filter(pl.col("kind") == "author_assertion").height == 0
    )  # his "probably"; "as it appears in"
    relayed = _row(claims, "Department is still")
    assert (relayed["claimant_name"], relayed["attribution_rule"]) == ("Jo Sender", "document_sender")


def test_a_pronoun_in_indirect_speech_is_its_speaker_and_a_lone_object_is_the_antecedent() -> None:
    """'X, who said he had ... informed the board that': X, not the sentence topic; after 'I ... informed
    him' with one person named, 'He declared' is that person."""
    persons = {"person:ames": ["Ruth Ames", "Ames"], "person:berg": ["Otto Berg", "Berg"]}
    body = (
        "Ruth Ames wrote from the port. She then informed Otto Berg, who said he had informed the board that "
        "the quays would close.\n\n"
        "I called on Otto Berg this morning and informed him of our views. He declared that the strike would "
        "end soon.\n\n"
        "Ruth Ames stayed at the port. She wrote that the ships would sail."
    )
    _, out = _extract(body, persons)
    statements = out["claims"].filter(pl.col("kind") == "reported_statement")
    by_clause = {
        text.split(" that ")[-1][:12]: who for text, who in statements.select("text", "claimant_id").rows()
    }
    assert by_clause == {
        "the quays wo": "person:berg",
        "the strike w": "person:berg",
        "the ships wo": "person:ames",
    }


def test_present_tense_verbs_of_saying_attribute_quotations_and_statements() -> None:
    persons = {"person:berg": ["Otto Berg", "Berg"]}
    body = (
        "The Harbour Board concedes that the pier “was not inspected after the storm”.\n\n"
        "Otto Berg denies that the dues were raised. Berg's remarks “were not meant for the press.”"
    )
    _, out = _extract(body, persons)
    claims = out["claims"]
    assert _row(claims, "was not inspected")["claimant_name"] == "Harbour Board"
    denied = claims.filter(pl.col("reporting_verb") == "denies").to_dicts()
    assert [row["claimant_id"] for row in denied] == ["person:berg"]
    assert "remarks" not in claims["reporting_verb"].drop_nulls().to_list()


def test_a_cue_after_a_noun_like_verb_of_saying_is_not_the_writers() -> None:
    body = (
        "Wallenberg states that the ships will probably sail.\n\n"
        "The small states that joined the league were probably right.\n\n"
        "He notes that the army has apparently withdrawn."
    )
    _, out = _extract(body, {})
    assertions = out["claims"].filter(pl.col("kind") == "author_assertion")
    assert [text[:9] for text in assertions["text"].to_list()] == ["The small"]


def test_a_noun_of_saying_with_another_owner_keeps_its_clause_from_the_verbs_subject() -> None:
    persons = {"person:berg": ["Otto Berg", "Berg"]}
    body = (
        "Otto Berg confirmed the statement of the mayor that the quays were closed.\n\n"
        "Otto Berg expressed the view that the strike would end."
    )
    _, out = _extract(body, persons)
    statements = out["claims"].filter(pl.col("kind") == "reported_statement")
    assert statements.select("claimant_id", "reporting_verb").rows() == [("person:berg", "expressed")]


def test_an_italic_list_marker_is_no_work_that_speaks() -> None:
    body = (
        "The convention reads as follows:\n\n(*a*) provides that “the duties shall be halved in May.”\n\n"
        "The *Gazette* wrote that “the harbour is closed to all shipping.”"
    )
    _, out = _extract(body, {})
    claims = out["claims"]
    assert _row(claims, "the duties")["claimant_name"] != "a"
    assert _row(claims, "the harbour")["claimant_name"] == "Gazette"


def test_a_proposal_to_come_and_an_indefinite_relative_are_no_hedges() -> None:
    body = (
        "The Czechs will suggest that the province be made autonomous.\n\n"
        "Any remarks they may have made should be forgotten.\n\n"
        "He may have left the city.\n\n"
        "The evidence would suggest that the fort fell early."
    )
    _, out = _extract(body, {})
    assertions = out["claims"].filter(pl.col("kind") == "author_assertion")
    assert assertions["cue"].to_list() == ["may have", "suggest that"]


def test_an_apposition_with_formerly_describes_the_name_before_it() -> None:
    body = (
        "Cordero Reyes, formerly Chief Justice and also a member of the Delegation at Montevideo, told me "
        "today that our policy would be the greatest influence for tranquility."
    )
    _, out = _extract(body, {})
    statement = out["claims"].filter(pl.col("kind") == "reported_statement").to_dicts()
    assert [row["claimant_name"] for row in statement] == ["Cordero Reyes"]


def test_heads_of_phrases_coordinated_subjects_directed_infinitives_and_instructed_cues() -> None:
    body = (
        "I am now directed by the Prime Minister to inform you that the harbour dues will be lowered.\n\n"
        "The chiefs of the foreign missions of this Government informed the Council that the bridge was "
        "closed.\n\n"
        "The envoy of Freedonia and the Minister of Ruritania informed me that the frontier was quiet.\n\n"
        "The Vice Consul at Port Amber stated that the cholera had abated.\n\n"
        "Paragraph 12 of the Harbour Regulations adds that no vessel may anchor there.\n\n"
        "I have the honor to acknowledge your note relative to the claim of Messrs. Dane & Co., and to "
        "inform you that the papers have been sent.\n\n"
        "You will inform the Minister of Foreign Affairs of the Republic of Freedonia that this Government "
        "will probably accept the terms.\n\n"
        "Inform the Foreign Office that the inquiries indicate that the supply is probably exhausted.\n\n"
        "The western road is probably closed by now."
    )
    claims = _letter_claims(body)
    reported = claims.filter(pl.col("kind") == "reported_statement")

    def speaker(start: str) -> tuple[str, str]:
        rows = reported.filter(pl.col("text").str.starts_with(start)).to_dicts()
        assert len(rows) == 1, f"expected one statement opening {start!r}, got {len(rows)}"
        return rows[0]["claimant_type"], rows[0]["claimant_name"]

    # the passive's subject speaks, not its agent; "I have the honor ... and to inform you": the writer
    assert [
        r["claimant_name"] for r in reported.filter(pl.col("reporting_verb") == "to inform").to_dicts()
    ] == [
        "Jo Sender",
        "Jo Sender",
    ]
    assert speaker("The chiefs of the foreign missions") == (
        "group",
        "The chiefs of the foreign missions of this Government",
    )
    assert speaker("The envoy of Freedonia and") == (
        "group",
        "The envoy of Freedonia and the Minister of Ruritania",
    )
    assert speaker("The Vice Consul") == ("person", "The Vice Consul at Port Amber")
    assert speaker("Paragraph 12") == ("document", "Paragraph 12 of the Harbour Regulations")
    # what the addressee is told to say carries no cue of the writer's; the writer's own sentence does
    assertions = claims.filter(pl.col("kind") == "author_assertion")["text"].to_list()
    assert assertions == ["The western road is probably closed by now."]


def test_a_decree_after_a_dated_lead_in_is_the_decrees_text() -> None:
    body = (
        "The council has communicated to me the imperial edict of the fifth moon: (May 2, 1901).\n\n"
        "“We command the Viceroy to proceed at once to the capital.”"
    )
    claims = _letter_claims(body)
    quoted = _row(claims, "We command")
    assert (quoted["kind"], quoted["claimant_type"]) == ("quotation", "document")
    assert "edict" in quoted["claimant_name"]


def test_titles_without_names_countries_one_word_bodies_lead_in_subjects_and_manner_clearly() -> None:
    body = (
        "The President directs the following reply:\n\n"
        "“I accept the invitation with pleasure.”\n\n"
        "The High Commissioner considers that “it would be very difficult to persuade the delegation.”\n\n"
        "The Ministry points out that the law established the so-called tax “on the total amount of "
        "business,” which is resented.\n\n"
        "M. Dubois, in handing the draft note to me this morning, expressed the hope that a reply could be "
        "sent.\n\n"
        "Bolivia replied that the troops had left. He added that the frontier was quiet.\n\n"
        "The Porte replied that all was well.\n\n"
        "Our aims are pretty clearly set forth in the enclosed memorandum.\n\n"
        "We are urging them, in order to demonstrate clearly our desire, to publish a statement.\n\n"
        "The Government was clearly wrong in detaining the goods."
    )
    claims = _letter_claims(body)
    assert _row(claims, "I accept the invitation")["claimant_name"] == "The President"
    assert _row(claims, "it would be very difficult")["claimant_name"] == "The High Commissioner"
    assert _row(claims, "on the total amount")["kind"] == "scare_quote"
    reported = {
        r["reporting_verb"]: r for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    assert reported["expressed"]["claimant_name"] == "M. Dubois"  # not the note in the aside
    replies = claims.filter(pl.col("reporting_verb") == "replied")
    assert replies.select("claimant_type", "claimant_name").rows() == [
        ("organisation", "Bolivia"),
        ("organisation", "Porte"),
    ]
    assert reported["added"]["claimant_name"] != "Bolivia"  # "He" is no country
    # "clearly" of manner is no cue; "clearly wrong" is the writer's judgement
    assertions = claims.filter(pl.col("kind") == "author_assertion")["text"].to_list()
    assert assertions == ["The Government was clearly wrong in detaining the goods."]


def test_courtesy_infinitives_interrupted_numbered_despatches_pleased_addressees_and_unmarked_clauses() -> (
    None
):
    body = (
        "I have the honour, under instructions from the Principal Secretary of State for Foreign Affairs, to "
        "inform you that the wave is no longer required.\n\n"
        "I have to acknowledge the receipt of your No. 635 of the 23d ultimo, reporting that the application "
        "had been granted.\n\n"
        "I acknowledge your note, in which your excellency is pleased to inform me that it is made.\n\n"
        "The Minister said he would probably send me a note soon."
    )
    claims = _letter_claims(body, recipient="Kay Reader")
    reported = {
        r["reporting_verb"]: r for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    by_text = {
        r["text"][:20]: r["claimant_name"]
        for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    assert by_text["I have the honour, u"] == "Jo Sender"  # the writer informs, not the Secretary
    assert reported["reporting"]["claimant_name"] == "Kay Reader"  # "your No. 635 ..., reporting"
    pleased = claims.filter(pl.col("text").str.contains("is pleased to inform", literal=True))
    assert pleased["claimant_name"].to_list() == ["Kay Reader"]  # the addressee informs the writer
    # the Minister's "probably" is his, not the writer's
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0


def test_instructions_requests_document_owners_relatives_after_pairs_and_said_asides() -> None:
    body = (
        "You are also directed, in accordance with the report, to inform the authorities that the bonds "
        "will be offered.\n\n"
        "The memorandum of the Department of State dated August 28 indicated that the Government desired a "
        "treaty.\n\n"
        "Have received note from Persian Chargé stating that he is ready.\n\n"
        "The President consulted Messrs. John Dane and Paul Moss who reported that the loan was welcome.\n\n"
        "The contract between the United States of America and Brazil for the mission, which paragraph reads "
        "as follows: “No member shall take part.”\n\n"
        "But, he added, no one seemed to be willing to act.\n\n"
        "The Secretary of the Treasury asks that I make clear the fact that the Treasury will not yield."
    )
    claims = _letter_claims(body)
    reported = {
        r["reporting_verb"]: r for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    # an instruction and a request say nothing yet
    assert set(reported) == {"indicated", "stating", "reported"}
    assert reported["indicated"]["claimant_name"] == "Department of State"  # the memorandum's source
    assert reported["stating"]["claimant_name"] == "Persian Chargé"  # "Have" opens a telegram, no name
    assert (reported["reported"]["claimant_type"], reported["reported"]["claimant_name"]) == (
        "group",
        "John Dane and Paul Moss",
    )
    assert _row(claims, "No member shall")["claimant_type"] == "document"  # not the country
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0  # "he added": his words


def test_relative_clause_subjects_outer_heads_of_phrases_and_thoughts_without_that() -> None:
    body = (
        "I acknowledge Your Excellency's communication of May 23rd, in which Your Excellency was good enough "
        "to inform me that the treaty is acceptable.\n\n"
        "The chief of the press section of the Foreign Office stated today that he would be given notice.\n\n"
        "The Secretary thought there might be some advantage in waiting, possibly until June."
    )
    claims = _letter_claims(body, recipient="Kay Reader")
    reported = {
        r["reporting_verb"]: r for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    assert reported["to inform"]["claimant_name"] == "Kay Reader"  # the addressee, subject of "was"
    assert reported["stated"]["claimant_type"] == "person"  # the chief, not the press section
    assert reported["stated"]["claimant_text"] == "The chief"
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0  # the Secretary's "possibly"


def test_nationality_roles_nearer_groups_partners_in_conversation_and_relative_clauses() -> None:
    body = (
        "From Gibson and Wilson. The British Ambassador has informed Wilson that the talks are over.\n\n"
        "The Minister expects elections in April but the opposition groups declare they will not take part, "
        "asserting that the count is unfair.\n\n"
        "In conversation with the Spanish minister, the proposals were submitted to him, and he assured the "
        "Department that he would cable Madrid.\n\n"
        "I inquired whether the services of Major Kay to command the guard were acceptable and he indicated "
        "that he would agree.\n\n"
        "Ortins complained to the local authorities, who instituted proceedings against Seely for "
        "“disturbing the peace.”\n\n"
        "I think it is safe to say that the new cabinet will stand."
    )
    claims = _letter_claims(body)
    reported = {
        r["reporting_verb"]: r for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    # a role qualified by a nationality is no topic of another nation, nor the addressee
    assert reported["informed"]["claimant_name"] == "The British Ambassador"
    assert (reported["asserting"]["claimant_type"], reported["asserting"]["claimant_name"]) == (
        "group",
        "groups",
    )
    assert reported["assured"]["claimant_name"] == "the Spanish minister"  # the partner in conversation
    assert reported["indicated"]["claimant_name"] != "Major Kay"  # a name inside "the services of"
    assert "say" not in reported and "to say" not in reported  # "safe to say" reports nobody's words
    assert _row(claims, "disturbing")["kind"] == "scare_quote"  # the relative clause's verb holds it


def test_cues_in_ideas_past_presumptions_and_words_still_to_be_said_are_not_the_writers() -> None:
    body = (
        "The reports grew out of the idea that the powers might well demand reforms.\n\n"
        "It was presumed that if anything was to happen it would happen on that day, and probably in the "
        "capital.\n\n"
        "The Secretary will emphasize to the Ambassadors that an increase would presumably anger Tokyo.\n\n"
        "I would say that the plan will probably fail."
    )
    claims = _letter_claims(body)
    assertions = claims.filter(pl.col("kind") == "author_assertion")
    assert assertions["cue"].to_list() == ["probably"]  # only the writer's own "I would say that"
    assert assertions["claimant_name"].to_list() == ["Jo Sender"]


def test_quotation_sources_in_lead_ins_document_parts_continuing_participles_and_writers_terms() -> None:
    body = (
        "Article I of the Treaty of Peace provides that: “Spain relinquishes all claim of sovereignty.”\n\n"
        "In replying, the Department in a note of September 17 stated that—\n\n"
        "“While I am constrained to make reservations, the Government is gratified.”\n\n"
        "The committee quotes the following words from the Tsung-li Yamên’s memorial to the Throne:\n\n"
        "“It is very necessary to settle uniform tariff regulations for all.”\n\n"
        "But a telegram received from Consul-General Goodnow says, “Li will leave for the north soon.”\n\n"
        "The Collector said that Mexico could abolish the tariff, so that many more Mexicans could buy cars, "
        "adding: “The Government would derive more revenue from gasoline.”\n\n"
        "I do not consider my continued presence here as “essential” to the work."
    )
    claims = _letter_claims(body)
    assert _row(claims, "Spain relinquishes")["claimant_type"] == "document"  # "Article I" is no writer
    assert _row(claims, "While I am")["claimant_name"] == "Department"  # a lead-in ending "stated that—"
    assert _row(claims, "It is very necessary")["claimant_name"] == "Tsung-li Yamên"  # the memorial's owner
    assert _row(claims, "Li will leave")["claimant_name"] == "Consul-General Goodnow"  # not "a telegram"
    assert _row(claims, "The Government would")["claimant_name"] == "Collector"  # who said it adds it
    assert _row(claims, "essential")["kind"] == "scare_quote"  # the writer's own term


def test_bodies_named_with_their_owner_officials_requests_and_third_person_stances() -> None:
    body = (
        "His Majesty’s Government asserted that it had no desire to act.\n\n"
        "Article 17 of the Civil Code declares that a Frenchman may not renounce his nationality.\n\n"
        "Foreign Office official informs me that the loan is agreed.\n\n"
        "In a letter of June 19 the Secretary of Agriculture was requested to inform you that the plan is "
        "approved.\n\n"
        "He was afraid that the impression seemed to be general that France would yield.\n\n"
        "It may be omitted if it appears in the translation filed by the sender.\n\n"
        "I would also suggest that you instruct the Ambassador to call."
    )
    claims = _letter_claims(body)
    reported = {
        r["reporting_verb"]: r for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    assert reported["asserted"]["claimant_name"] == "His Majesty’s Government"
    assert (reported["declares"]["claimant_type"], reported["declares"]["claimant_name"]) == (
        "document",
        "Article 17 of the Civil Code",
    )
    assert (reported["informs"]["claimant_type"], reported["informs"]["claimant_name"]) == (
        "person",
        "Foreign Office official",
    )
    assert "to inform" not in reported  # requested to inform: not yet said
    # a third person's fear, a literal "appears in" and a proposal to the addressee are no hedges
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0


def test_a_dated_reply_from_someone_and_an_instruction_to_another_to_state() -> None:
    body = (
        "I am now in receipt of a reply from the Acting Secretary, of the 23d instant, stating that the "
        "Treasury needs a statement of the taxes.\n\n"
        "The Italian Government instructed its Ambassador in Paris, Signor Cerruti, to call upon M. Laval "
        "and to state that an embargo on oil would mean war."
    )
    claims = _letter_claims(body)
    reported = {
        r["reporting_verb"]: r for r in claims.filter(pl.col("kind") == "reported_statement").to_dicts()
    }
    assert reported["stating"]["claimant_name"] == "the Acting Secretary"  # not the writer
    assert "to state" not in reported  # what the Ambassador is to say


def test_words_still_to_be_said_requests_between_and_verbs_that_only_say_before_that() -> None:
    body = (
        "Your excellency will observe that the act also provides for relief.\n\n"
        "He is reporting matter to London and requests that I inform the Department.\n\n"
        "During this depression your Government has maintained prompt payment of interest, and that it now "
        "plans amortization.\n\n"
        "Hamilton Fish always maintained that staff cuts precluded the volume.\n\n"
        "I repeat recommendation that Red Cross send $50,000 immediately and possibly more later."
    )
    claims = _letter_claims(body)
    reported = claims.filter(pl.col("kind") == "reported_statement")
    assert reported["reporting_verb"].to_list() == ["maintained"]
    assert reported["claimant_name"].to_list() == ["Hamilton Fish"]
    assert claims.filter(pl.col("kind") == "author_assertion").height == 0  # "possibly" proposes


def test_in_reply_is_no_document_and_a_view_noun_lets_maintains_say() -> None:
    body = (
        "The Minister replied at once. His excellency in reply stated that the subject was for the minister "
        "of agriculture.\n\n"
        "Hamilton Fish maintained the position that the volume was late."
    )
    claims = _letter_claims(body)
    assert claims.filter(pl.col("claimant_type") == "document").height == 0  # "in reply" is no document
    reported = claims.filter(pl.col("kind") == "reported_statement")
    assert reported["claimant_name"].to_list() == ["Hamilton Fish"]  # "maintained the position that"


def test_demands_what_the_addressee_may_say_requests_to_inform_and_notes_to_be_handed() -> None:
    body = (
        "The British Government therefore insists in each case that the ship, when repaired, shall be "
        "chartered to the Executive.\n\n"
        "The Minister for Foreign Affairs insists that the formula is not in accord with the terms.\n\n"
        "You may then submit the following outline, stating that similar action is taken at Managua.\n\n"
        "In requesting you to convey this to the authorities, I beg to state that a copy will follow.\n\n"
        "It seems proper that the Yamên should address the ministers, requesting them to inform their "
        "Governments that a permit will be necessary.\n\n"
        "You are therefore instructed to hand to the Secretary of State the following note:\n\n"
        "“If the Government should see fit to act upon the foregoing suggestions, I should be grateful.”"
    )
    claims = _letter_claims(body)
    reported = claims.filter(pl.col("kind") == "reported_statement")
    # the statement, not the demand; the writer's own "I beg to state" after "In requesting you to"
    assert reported["reporting_verb"].to_list() == ["insists", "to state"]
    assert "formula" in reported["text"].to_list()[0]
    assert _row(claims, "If the Government")["claimant_name"] == "Jo Sender"  # the writer's note, handed on
