"""The curation loop: `authority suggest` drafts entries across papers; `authority reconcile` proposes QIDs.

Reconcile runs against responses in tests/fixtures/wikidata/ (the API's format, hand-written), never the
network.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
from pathlib import Path

import polars as pl
import pytest
import yaml

from evaluation.entity_scoring import STYLES_AUTHORITY, frames_from_units
from pipeline.commands import main
from pipeline.extract import wikidata
from pipeline.extract.authority_tools import draft_yaml, suggest_entries
from pipeline.extract.entities import find_mentions, load_authority

FIXTURES = Path(__file__).parent / "fixtures"
RESPONSES = json.loads((FIXTURES / "wikidata" / "search_responses.json").read_text(encoding="utf-8"))

PAPERS = {
    "paper-a": [
        [
            "In 1952 the historian Margit Oyelaran joined the office.",
            "Oyelaran soon clashed with the director.",
        ],
        ["Oyelaran left in 1960.", "Deputy Director Tomasz Wrobel replaced her."],
    ],
    "paper-b": [
        ["The Secretary of State to the Ambassador in Ruritania (Oyelaran)"],
        ["Oyelaran File No. 12/3"],
    ],
    "paper-c": [["Historian Margit Oyelaran wrote to Ines Halvorsen.", "Halvorsen did not reply."]],
    "paper-d": [["Mr. Halvorsen of the consulate answered."]],
    "paper-e": [["Paul Halvorsen, the consul, did not."]],
}


@pytest.fixture(scope="module")
def suggestion() -> tuple[list[dict], list[dict]]:
    """The proposed entries and the unresolved surnames for the small papers above."""
    authority = load_authority(STYLES_AUTHORITY)
    frames, texts = [], {}
    for document_id, paragraphs in PAPERS.items():
        text, sentences, footnotes = frames_from_units(document_id, paragraphs, [])
        frames.append(find_mentions(text, sentences, footnotes, authority)[1])
        texts[document_id] = text
    return suggest_entries(pl.concat(frames), texts, authority)


@pytest.fixture(scope="module")
def draft(suggestion) -> list[dict]:
    return suggestion[0]


@pytest.fixture(scope="module")
def unresolved(suggestion) -> list[dict]:
    return suggestion[1]


def _entry(entries: list[dict], entity_id: str) -> dict:
    found = [e for e in entries if e["id"] == entity_id]
    assert found, [e["id"] for e in entries]
    return found[0]


def test_one_person_across_papers_is_one_entry_with_forms_counts_and_contexts(draft) -> None:
    entry = _entry(draft, "person:oyelaran-margit")
    assert entry["name"] == "Margit Oyelaran"
    assert entry["given_names"] == ["Margit"] and entry["surname"] == "Oyelaran"
    assert entry["documents"] == ["paper-a", "paper-b", "paper-c"]
    forms = {"Oyelaran": 4, "Historian Margit Oyelaran": 1, "historian Margit Oyelaran": 1}
    assert entry["proposal"]["name_forms"] == forms
    assert entry["proposal"]["mentions"] == 6
    assert entry["description"] == "Historian; Ambassador in Ruritania"
    first = entry["proposal"]["first_contexts"][0]
    assert first.startswith("paper-a @") and "historian Margit Oyelaran joined" in first
    assert {"heading", "signature"} <= set(entry["proposal"]["found_by"])


def test_bare_surname_is_not_merged_when_several_persons_share_it(draft, unresolved) -> None:
    ids = [e["id"] for e in draft]
    assert "person:halvorsen-ines" in ids and "person:halvorsen-paul" in ids
    assert "person:halvorsen" not in ids
    assert len(unresolved) == 1
    assert unresolved[0]["surname"] == "Halvorsen" and unresolved[0]["documents"] == ["paper-d"]
    assert unresolved[0]["may_be"] == ["person:halvorsen-ines", "person:halvorsen-paul"]
    assert unresolved[0]["name_forms"] == {"Mr. Halvorsen": 1}
    assert _entry(draft, "person:wrobel-tomasz")["description"] == "Deputy Director"


def test_draft_is_an_authority_file_that_loads_beside_the_existing_one(draft, tmp_path: Path) -> None:
    folder = tmp_path / "authority"
    shutil.copytree(STYLES_AUTHORITY, folder)
    (folder / "draft.yaml").write_text(draft_yaml(draft), encoding="utf-8")
    authority = load_authority(folder)
    assert authority.entities["person:oyelaran-margit"].documents == ("paper-a", "paper-b", "paper-c")
    # Accepted, the entry links the bare surname in the papers it names.
    text, sentences, footnotes = frames_from_units("paper-b", PAPERS["paper-b"], [])
    mentions, unlinked = find_mentions(text, sentences, footnotes, authority)
    assert mentions["entity_id"].to_list() == ["person:oyelaran-margit"] * 2
    assert unlinked.height == 0


def _recorded(name: str) -> dict:
    return RESPONSES.get(name, {"searchinfo": {"search": name}, "search": [], "success": 1})


def test_reconcile_proposes_a_qid_only_for_a_single_person_like_match(draft) -> None:
    entries = [dict(e) for e in draft if e["id"] in {"person:oyelaran-margit", "person:wrobel-tomasz"}]
    bare = {"id": "person:halvorsen", "name": "Halvorsen", "surname": "Halvorsen", "proposal": {}}
    entries += [dict(_entry(draft, "person:halvorsen-ines")), bare]
    for entry in entries:
        entry["proposal"] = dict(entry["proposal"])
    counts = wikidata.reconcile_entries(entries, _recorded)
    assert counts == {"proposed": 1, "several": 1, "none": 1, "skipped": 1, "failed": 0}
    oyelaran, wrobel, ines, bare = entries
    assert oyelaran["proposal"]["wikidata_proposed"] == "Q990000101"
    assert oyelaran["proposal"]["wikidata_candidates"] == [
        {
            "qid": "Q990000101",
            "label": "Margit Oyelaran",
            "description": "American historian (1921–2004)",
            "url": "https://www.wikidata.org/wiki/Q990000101",
        }
    ]
    assert "wikidata_proposed" not in wrobel["proposal"]
    assert [c["qid"] for c in wrobel["proposal"]["wikidata_candidates"]] == ["Q990000201", "Q990000202"]
    assert ines["proposal"]["wikidata_candidates"] == []
    assert "wikidata" not in oyelaran and "wikidata_candidates" not in bare["proposal"]


def test_reconcile_offline_reports_and_stops_trying(draft, monkeypatch) -> None:
    calls = []

    def unreachable(request, timeout):
        calls.append(request.full_url)
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr(wikidata.urllib.request, "urlopen", unreachable)
    entries = [dict(e, proposal=dict(e["proposal"])) for e in draft if e.get("given_names")][:3]
    counts = wikidata.reconcile_entries(entries, lambda name: wikidata.search_wikidata(name, timeout=0.1))
    assert counts["failed"] == 3 and len(calls) == 1
    assert "wbsearchentities" in calls[0] and "name resolution" in entries[0]["proposal"]["wikidata_error"]
    assert entries[1]["proposal"]["wikidata_error"].startswith("not tried")


def test_cli_suggest_and_reconcile_on_a_small_corpus(tmp_path: Path, monkeypatch, capsys) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(STYLES_AUTHORITY, root / "authority")
    for document_id, paragraphs in PAPERS.items():
        folder = root / "raw" / document_id
        folder.mkdir(parents=True)
        body = "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)
        (folder / f"{document_id}.md").write_text(body + "\n", encoding="utf-8")
    draft_path = tmp_path / "draft.yaml"
    assert main(["--root", str(root), "authority", "suggest", "--out", str(draft_path)]) == 0
    entries = yaml.safe_load(draft_path.read_text(encoding="utf-8"))["entities"]
    assert "person:oyelaran-margit" in [e["id"] for e in entries]
    monkeypatch.setattr(wikidata, "search_wikidata", lambda name, timeout: _recorded(name))
    monkeypatch.setattr("pipeline.extract.wikidata.search_wikidata", lambda name, timeout: _recorded(name))
    assert main(["authority", "reconcile", str(draft_path)]) == 0
    reconciled = yaml.safe_load(draft_path.read_text(encoding="utf-8"))["entities"]
    assert _entry(reconciled, "person:oyelaran-margit")["proposal"]["wikidata_proposed"] == "Q990000101"
    assert "proposed 1" in capsys.readouterr().out
