"""Mention linking on the committed paper and on small texts in other styles, against hand-checked facts."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from evaluation.entity_scoring import (
    FIXTURES,
    STYLES_AUTHORITY,
    frames_from_units,
    paper_gold_files,
    score_paper,
    score_styles,
)
from pipeline.extract.entities import AuthorityError, authority_tables, find_mentions, load_authority
from pipeline.package.schema import conform, load_table_spec, validate
from pipeline.text.clean import CleanedDocument
from tests.conftest import published_ids

PAPER_GOLD = FIXTURES / "entities_kennan_gold.yaml"


@pytest.fixture(scope="module")
def authority():
    return load_authority()


@pytest.fixture(scope="module")
def linked(paper: CleanedDocument, authority) -> tuple[pl.DataFrame, pl.DataFrame]:
    return find_mentions(paper.text, paper.sentences, paper.footnotes, authority, paper.emphasis_spans)


def _at(paper: CleanedDocument, mentions: pl.DataFrame, phrase: str, nth: int = 0) -> dict:
    """The mention that starts where the nth occurrence of phrase starts."""
    start = -1
    for _ in range(nth + 1):
        start = paper.text.index(phrase, start + 1)
    rows = mentions.filter(pl.col("char_start") == start).to_dicts()
    assert rows, f"no mention at {phrase!r}"
    return rows[0]


def test_paper_person_recall_and_precision_on_hand_checked_sample() -> None:
    assert PAPER_GOLD in paper_gold_files()
    score = score_paper(PAPER_GOLD)
    assert score.true_positives > 200
    assert score.recall >= 0.95, score.false_negatives
    assert score.precision >= 0.95, score.false_positives


def test_own_style_texts_are_linked_precisely() -> None:
    scores = score_styles()
    assert set(scores) == {"victorian-essay", "field-report", "cold-war-news"}
    for name, score in scores.items():
        assert score.precision == 1.0, (name, score.false_positives)
    found = sum(s.true_positives for s in scores.values())
    missed = sum(len(s.false_negatives) for s in scores.values())
    assert missed == 1  # "the young president": a true mention no rule here links
    assert found == 18


def test_tables_pass_their_specs(paper: CleanedDocument, authority, linked) -> None:
    found = published_ids(paper.text, {"mentions": linked[0], "unlinked_names": linked[1]})
    tables = {**authority_tables(authority), **found}
    for name, frame in tables.items():
        spec = load_table_spec(name)
        validate(spec, conform(spec, frame))


def test_mention_offsets_ids_and_locations(paper: CleanedDocument, linked) -> None:
    mentions = linked[0]
    assert mentions["mention_id"][0] == "kennan-op-263:m0001"
    assert mentions["char_start"].is_sorted()
    for row in mentions.iter_rows(named=True):
        assert paper.text[row["char_start"] : row["char_end"]] == row["text"]
        assert (row["sentence_id"] is None) != (row["footnote_id"] is None)
        assert (row["footnote_id"] is not None) == (row["char_start"] >= paper.body_char_end)


def test_name_forms_on_the_paper(paper: CleanedDocument, linked) -> None:
    mentions = linked[0]
    raack = _at(paper, mentions, "R.C. Raack")
    assert (raack["entity_id"], raack["text"]) == ("person:raack-rc", "R.C. Raack")
    harding = _at(paper, mentions, "President Warren Harding")
    assert (harding["entity_id"], harding["match_kind"]) == ("person:harding-warren", "title")
    assert harding["text"] == "President Warren Harding"
    stimson = _at(paper, mentions, "Secretary of State Henry Stimson")
    assert stimson["text"] == "Secretary of State Henry Stimson"
    possessive = _at(paper, mentions, "Stalin’s Foreign Minister")
    assert (possessive["entity_id"], possessive["match_kind"], possessive["text"]) == (
        "person:stalin-josef",
        "possessive",
        "Stalin",
    )
    assert _at(paper, mentions, "Tatiana Litvinov")["entity_id"] == "person:litvinov-tatiana"
    assert _at(paper, mentions, "Ivy Litvinov")["entity_id"] == "person:litvinov-ivy"
    assert _at(paper, mentions, "Litvinov possessed")["entity_id"] == "person:litvinov-maxim"
    assert _at(paper, mentions, "Kerenskii debts")["entity_id"] == "person:kerensky-alexander"
    pseudonym = _at(paper, mentions, "N. Malinin")
    assert (pseudonym["entity_id"], pseudonym["match_kind"]) == ("person:litvinov-maxim", "alias")


def test_role_phrases_follow_year_and_antecedent(paper: CleanedDocument, linked) -> None:
    mentions = linked[0]
    assert _at(paper, mentions, "the commissar")["entity_id"] == "person:litvinov-maxim"
    assert _at(paper, mentions, "the General Secretary actually")["entity_id"] == "person:stalin-josef"
    assert _at(paper, mentions, "the president.")["entity_id"] == "person:wilson-woodrow"
    assert _at(paper, mentions, "the president had made")["entity_id"] == "person:roosevelt-franklin"
    assert (
        _at(paper, mentions, "the Soviet representative in Paris")["entity_id"]
        == "person:rakovskii-khristian"
    )
    chamber = paper.text.index("the president of the New York Chamber")
    assert mentions.filter(pl.col("char_start") == chamber).height == 0


def test_pronouns_are_linked_only_without_a_rival(paper: CleanedDocument, linked) -> None:
    mentions = linked[0]
    assert _at(paper, mentions, "he realized the necessity")["entity_id"] == "person:litvinov-maxim"
    assert _at(paper, mentions, "he promised to pass")["entity_id"] == "person:bush-mr"
    rival = paper.text.index("he certainly was disappointed despite")
    assert mentions.filter(pl.col("char_start") == rival).height == 0
    quoted = paper.text.index("he does the opposite")
    assert mentions.filter(pl.col("char_start") == quoted).height == 0
    without = find_mentions(paper.text, paper.sentences, paper.footnotes, load_authority(), pronouns=False)[0]
    assert "pronoun" not in without["match_kind"].to_list()


def test_common_word_surname_is_not_matched_alone(paper: CleanedDocument, linked) -> None:
    white_house = paper.text.index("White House") + len("White ")
    assert linked[0].filter(pl.col("char_start") == white_house).height == 0


def _write_authority(directory: Path, entities: list[dict], entity_type: str = "person") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{entity_type}s.yaml"
    path.write_text(yaml.safe_dump({"entity_type": entity_type, "entities": entities}), encoding="utf-8")
    return directory


def test_missing_person_is_reported_not_dropped(paper: CleanedDocument, tmp_path: Path) -> None:
    raw = yaml.safe_load((Path(__file__).parent.parent / "authority" / "persons.yaml").read_text())
    kept = [e for e in raw["entities"] if e["id"] != "person:goodrich-james"]
    directory = _write_authority(tmp_path / "auth", kept)
    mentions, unlinked = find_mentions(
        paper.text, paper.sentences, paper.footnotes, load_authority(directory), paper.emphasis_spans
    )
    assert "person:goodrich-james" not in mentions["entity_id"].to_list()
    row = unlinked.filter(pl.col("text") == "James P. Goodrich").to_dicts()
    assert row and row[0]["sentence_id"] == "kennan-op-263:p015.s02"


def test_unlinked_names_in_another_style() -> None:
    text, sentences, footnotes = frames_from_units(
        "field-report",
        [
            [
                "The ministry spokesman, Peter Brandt, declined to comment.",
                "Mr. Okafor was not available either.",
            ]
        ],
        ["Smith, Adam. The Wealth of Nations (London, 1776), 12."],
    )
    mentions, unlinked = find_mentions(text, sentences, footnotes, load_authority(STYLES_AUTHORITY))
    assert {"Peter Brandt", "Mr. Okafor"} <= set(unlinked["text"].to_list())
    assert "The Wealth" not in " ".join(unlinked["text"].to_list())
    assert mentions.filter(pl.col("entity_type") == "person")["entity_id"].to_list() == ["person:smith-adam"]


def test_shared_surname_goes_to_the_person_in_play_never_the_default_by_guess() -> None:
    text, sentences, footnotes = frames_from_units(
        "doc", [["Jane Smith, the director, disagreed; Smith later resigned."], ["Smith wrote on trade."]], []
    )
    mentions, _ = find_mentions(text, sentences, footnotes, load_authority(STYLES_AUTHORITY))
    people = mentions.filter(pl.col("entity_type") == "person")
    # Adam Smith (the surname default) is not named in this text, so every Smith here is Jane Smith.
    assert people["entity_id"].to_list() == ["person:smith-jane"] * 3
    text, sentences, footnotes = frames_from_units(
        "doc",
        [
            ["Adam Smith wrote on trade; Jane Smith, the director, disagreed; Smith later resigned."],
            ["Smith?"],
        ],
        [],
    )
    mentions, _ = find_mentions(text, sentences, footnotes, load_authority(STYLES_AUTHORITY))
    people = mentions.filter(pl.col("entity_type") == "person")
    expected = ["person:smith-adam", "person:smith-jane", "person:smith-jane", "person:smith-adam"]
    assert people["entity_id"].to_list() == expected
    assert people["confidence"][3] < people["confidence"][2] < people["confidence"][1]


def _person(entity_id: str, name: str, **extra) -> dict:
    return {"id": entity_id, "name": name, "description": "test entry", **extra}


def test_duplicate_id_is_an_error_naming_file_and_entry(tmp_path: Path) -> None:
    directory = _write_authority(tmp_path, [_person("person:a-b", "A B"), _person("person:a-b", "A C")])
    with pytest.raises(AuthorityError, match=r"persons\.yaml.*person:a-b"):
        load_authority(directory)


def test_shared_variant_without_rule_is_an_error(tmp_path: Path) -> None:
    entities = [
        _person("person:one", "Ann Lee", variants=["A. Lee"]),
        _person("person:two", "Alan Lee", variants=["A. Lee"]),
    ]
    with pytest.raises(AuthorityError, match=r"'A\. Lee'.*person:one.*person:two"):
        load_authority(_write_authority(tmp_path, entities))


def test_shared_surname_takes_at_most_one_default(tmp_path: Path) -> None:
    entities = [
        _person("person:one", "Ann Lee", surname="Lee", given_names=["Ann"], surname_default=True),
        _person("person:two", "Bob Lee", surname="Lee", given_names=["Bob"], surname_default=True),
    ]
    with pytest.raises(AuthorityError, match="at most one with surname_default"):
        load_authority(_write_authority(tmp_path / "a", entities))
    entities[0]["surname_default"] = False
    assert len(load_authority(_write_authority(tmp_path / "b", entities)).entities) == 2
    # Without any default a shared surname still loads: where both are in play it is reported ambiguous.
    entities[1]["surname_default"] = False
    assert len(load_authority(_write_authority(tmp_path / "c", entities)).entities) == 2


def test_shared_role_needs_years_or_antecedent(tmp_path: Path) -> None:
    entities = [
        _person("person:one", "Ann Lee", roles=[{"phrase": "the chair"}]),
        _person("person:two", "Bob Ray", roles=[{"phrase": "the chair", "from": 1990, "to": 1995}]),
    ]
    with pytest.raises(AuthorityError, match="the chair"):
        load_authority(_write_authority(tmp_path, entities))


def test_wikidata_ids_are_well_formed_and_sparse(authority) -> None:
    tables = authority_tables(authority)
    qids = tables["entities"]["wikidata_qid"].drop_nulls().to_list()
    assert all(q.startswith("Q") and q[1:].isdigit() for q in qids)
    assert len(set(qids)) == len(qids)
    stalin = tables["entities"].filter(pl.col("entity_id") == "person:stalin-josef").to_dicts()[0]
    assert stalin["wikidata_qid"] == "Q855"


def test_latest_mention_index_agrees_with_the_plain_scan_on_the_paper(linked) -> None:
    """The index behind role antecedents picks the same earlier mention as scanning every mention would."""
    from pipeline.extract.mention_links import LatestMentions, Mention, latest

    named = [
        Mention(row["char_start"], row["char_end"], row["entity_id"], "name", 1.0, None)
        for row in linked[0].iter_rows(named=True)
    ]
    index = LatestMentions(named)
    offsets = sorted({m.start for m in named} | {m.end for m in named} | {0, 10**9})
    entity_ids = [*sorted({m.entity_id for m in named}), "person:nobody"]
    assert len(entity_ids) > 5 and len(named) > 100
    checked = 0
    for entity_id in entity_ids:
        for offset in offsets:
            assert index.before(entity_id, offset) is latest(named, entity_id, offset)
            checked += 1
    assert checked > 1000
