"""People across papers: document-scoped linking, same-surname pairs, titles, pronouns, headings, signatures.

The small texts are written for these tests in the layouts of other papers (a document collection with
headings and signatures, scholarly prose with archival notes); the dev papers are scored as a whole.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from evaluation.entity_scoring import frames_from_units
from evaluation.person_scoring import DEV_PAPERS, dev_paper_files, score_dev_paper
from pipeline.extract.entities import find_mentions, load_authority
from pipeline.package.schema import conform, load_table_spec, validate
from tests.conftest import published_ids


def _authority(tmp_path: Path, entries: list[dict]) -> object:
    for entry in entries:
        entry.setdefault("description", "test entry")
    (tmp_path / "persons.yaml").write_text(
        yaml.safe_dump({"entity_type": "person", "entities": entries}), encoding="utf-8"
    )
    return load_authority(tmp_path)


@pytest.fixture
def roosevelts(tmp_path: Path):
    """Two persons who share a surname and no default, as in many corpora."""
    return _authority(
        tmp_path,
        [
            {
                "id": "person:roosevelt-theodore",
                "name": "Theodore Roosevelt",
                "given_names": ["Theodore"],
                "surname": "Roosevelt",
                "gender": "male",
            },
            {
                "id": "person:roosevelt-franklin",
                "name": "Franklin D. Roosevelt",
                "given_names": ["Franklin"],
                "surname": "Roosevelt",
                "gender": "male",
            },
            {
                "id": "person:hay-john",
                "name": "John Hay",
                "given_names": ["John"],
                "surname": "Hay",
                "gender": "male",
                "documents": ["memoir"],
            },
        ],
    )


def _run(document_id: str, paragraphs: list[list[str]], authority, notes: list[str] | None = None):
    text, sentences, footnotes = frames_from_units(document_id, paragraphs, notes or [])
    mentions, unlinked = find_mentions(text, sentences, footnotes, authority)
    return text, mentions, unlinked


def test_bare_surname_of_a_person_the_paper_never_introduces_is_not_linked(roosevelts) -> None:
    _, mentions, unlinked = _run("essay", [["Roosevelt spoke first.", "Mr. Hay listened."]], roosevelts)
    assert mentions.filter(pl.col("entity_type") == "person").height == 0
    rows = {r["text"]: r for r in unlinked.to_dicts()}
    # Two authority persons share "Roosevelt" and neither is in play: a new person here, never a guess.
    assert rows["Roosevelt"]["person_id"] == "essay:person:roosevelt"
    assert rows["Roosevelt"]["reason"] == "known_surname"
    assert rows["Mr. Hay"]["person_id"] == "essay:person:hay"


def test_authority_documents_field_scopes_a_bare_surname_to_its_papers(roosevelts) -> None:
    _, mentions, _ = _run("memoir", [["Mr. Hay listened."]], roosevelts)
    assert mentions["entity_id"].to_list() == ["person:hay-john"]
    assert mentions["match_kind"].to_list() == ["title"]


def test_same_surname_pair_follows_the_last_named_then_is_ambiguous(roosevelts) -> None:
    text, mentions, unlinked = _run(
        "history",
        [
            [
                "Theodore Roosevelt admired the navy.",
                "Franklin D. Roosevelt, his cousin, served it.",
                "Roosevelt resigned.",
            ],
            ["Years later Roosevelt returned."],
        ],
        roosevelts,
    )
    people = mentions.filter(pl.col("match_kind") != "pronoun")
    assert people["entity_id"].to_list() == [
        "person:roosevelt-theodore",
        "person:roosevelt-franklin",
        "person:roosevelt-franklin",
    ]
    ambiguous = unlinked.filter(pl.col("status") == "ambiguous").to_dicts()
    assert [r["text"] for r in ambiguous] == ["Roosevelt"]
    assert ambiguous[0]["char_start"] == text.index("Roosevelt returned")
    assert ambiguous[0]["candidates"] == "person:roosevelt-franklin person:roosevelt-theodore"
    assert ambiguous[0]["person_id"] is None


def test_surname_links_carry_their_antecedent(roosevelts) -> None:
    _, mentions, _ = _run(
        "history",
        [["Theodore Roosevelt admired the navy.", "Roosevelt built it up, and he sent it round."]],
        roosevelts,
    )
    rows = mentions.to_dicts()
    assert [r["match_kind"] for r in rows] == ["full_name", "surname", "pronoun"]
    assert rows[0]["antecedent_mention_id"] is None
    assert rows[1]["antecedent_mention_id"] == rows[0]["mention_id"]
    assert rows[2]["antecedent_mention_id"] == rows[1]["mention_id"]


def test_another_given_name_before_the_surname_is_another_person(roosevelts) -> None:
    _, mentions, unlinked = _run(
        "history",
        [["Theodore Roosevelt wrote to Eleanor Roosevelt.", "Mrs. Roosevelt answered."]],
        roosevelts,
    )
    assert mentions.filter(pl.col("match_kind") != "pronoun")["entity_id"].to_list() == [
        "person:roosevelt-theodore"
    ]
    rows = {r["text"]: r for r in unlinked.to_dicts()}
    assert rows["Eleanor Roosevelt"]["person_id"] == "history:person:roosevelt-eleanor"
    # "Mrs." excludes the male authority person; the only Roosevelt left is the one named Eleanor here.
    assert rows["Mrs. Roosevelt"]["person_id"] == "history:person:roosevelt-eleanor"


def test_pronoun_after_an_unlinked_person_is_not_given_to_the_authority_person(roosevelts) -> None:
    _, mentions, _ = _run(
        "history",
        [["Theodore Roosevelt met Colonel Brandt at noon.", "He argued for an hour."]],
        roosevelts,
    )
    assert "pronoun" not in mentions["match_kind"].to_list()


def test_document_collection_headings_signatures_and_titles(roosevelts) -> None:
    heading = "The Secretary of State to the Ambassador in Ruritania (Okonkwo)"
    _, mentions, unlinked = _run(
        "telegrams",
        [
            ["File No. 711.00/12"],
            [heading],
            ["Washington, March 3, 1921."],
            ["Inform the Foreign Office that Ambassador Okonkwo has full powers.", "Consult the Counselor."],
            ["Halvorsen File No. 711.00/13"],
            ["The Counselor for the Department of State (Halvorsen) to the Minister in Freedonia (Vasquez)"],
            ["Please see Mr. Vasquez on Constitution Avenue about the Popular Front."],
            ["Halvorsen"],
        ],
        roosevelts,
    )
    assert mentions.filter(pl.col("entity_type") == "person").height == 0
    rows = unlinked.to_dicts()
    found = {(r["text"], r["reason"]) for r in rows}
    assert ("Okonkwo", "heading") in found
    assert ("Ambassador Okonkwo", "title_cue") in found
    assert ("Halvorsen", "signature") in found
    assert ("Vasquez", "heading") in found
    assert ("Mr. Vasquez", "title_cue") in found
    assert {r["person_id"] for r in rows} == {
        "telegrams:person:okonkwo",
        "telegrams:person:halvorsen",
        "telegrams:person:vasquez",
    }
    names = " ".join(r["text"] for r in rows)
    assert "Constitution" not in names and "Popular" not in names and "Foreign Office" not in names


def test_scholarly_prose_and_archival_notes() -> None:
    authority = load_authority(Path(__file__).parent / "fixtures" / "entities_authority")
    _, _, unlinked = _run(
        "chapter",
        [
            [
                "In 1952 the historian Margit Oyelaran, a Harvard Ph.D., joined the office.",
                "Oyelaran soon clashed with Deputy Director Tomasz Wrobel, who wanted speed.",
            ]
        ],
        authority,
        notes=["Oyelaran to Wrobel, March 3, 1953, Office Files, Box 4."],
    )
    texts = unlinked["text"].to_list()
    assert "Margit Oyelaran" in " ".join(texts) and "Tomasz Wrobel" in " ".join(texts)
    assert not any("Harvard" in t for t in texts)
    ids = set(unlinked["person_id"].to_list())
    assert ids == {"chapter:person:oyelaran-margit", "chapter:person:wrobel-tomasz"}
    note_rows = unlinked.filter(pl.col("footnote_id").is_not_null())
    assert sorted(note_rows["text"].to_list()) == ["Oyelaran", "Wrobel"]


def test_tables_with_new_columns_pass_their_specs(roosevelts) -> None:
    text, mentions, unlinked = _run(
        "history",
        [["Theodore Roosevelt and Franklin D. Roosevelt met.", "Roosevelt spoke; Mr. Quist did not."]],
        roosevelts,
    )
    for name, frame in published_ids(text, {"mentions": mentions, "unlinked_names": unlinked}).items():
        spec = load_table_spec(name)
        validate(spec, conform(spec, frame))
        assert frame.columns == [f.name for f in spec.fields if f.name != "record_status"]


@pytest.mark.skipif(not DEV_PAPERS.exists(), reason="the dev papers live in ../shared/dev-papers")
def test_dev_papers_people_found_and_no_wrong_links() -> None:
    authority = load_authority()
    scores = [score_dev_paper(path, authority) for path in dev_paper_files()]
    assert len(scores) == 8
    found = sum(len(s.found & set(s.gold)) for s in scores)
    tagged = sum(len(s.gold) for s in scores)
    assert tagged > 100
    assert found / tagged >= 0.90, [(s.document_id, sorted(set(s.gold) - s.found)) for s in scores]
    assert [w for s in scores for w in s.wrong_links] == []


def test_an_authority_surname_before_an_eponym_noun_is_a_thing_not_a_new_person(roosevelts) -> None:
    _, _, unlinked = _run(
        "essay", [["The Roosevelt Company shipped it.", "Roosevelt spoke first."]], roosevelts
    )
    assert unlinked["text"].to_list() == ["Roosevelt"]
    assert unlinked["reason"].to_list() == ["known_surname"]
