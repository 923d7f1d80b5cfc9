"""The build's table lists come from the table specs: each spec names its stage and its scope (rows per
paper, or made from the whole corpus), and the code that makes the tables must agree with them."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.extract import works
from pipeline.orchestration import fingerprints, stages
from pipeline.package import corpus_tables as corpus
from pipeline.package.schema import (
    STAGES,
    SchemaSpecError,
    all_table_names,
    load_table_spec,
    parse_table_spec,
)
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def committed_paper() -> stages.DocumentResult:
    paths = stages.ProjectPaths(REPO_ROOT)
    document_id = paths.document_ids()[0]
    entry = REPO_ROOT / "raw" / document_id
    outcome = stages.build_document(paths, document_id, entry, "fp", stages.load_authority(paths), [])
    assert outcome.problems == [] and outcome.result is not None
    return outcome.result


def test_a_papers_own_rows_are_those_of_the_tables_whose_specs_say_per_paper(committed_paper):
    per_paper = {name for name in all_table_names() if load_table_spec(name).scope == "paper"}
    assert set(committed_paper.own_tables()) == per_paper


def test_the_stages_make_exactly_the_tables_their_specs_name_in_stage_order(committed_paper):
    kinds = {
        **committed_paper.own_tables(),
        "citations": committed_paper.citations,
        "claims": committed_paper.claims["claims"],
        "claim_footnotes": committed_paper.claims["claim_footnotes"],
    }
    described = works.describe_citations(committed_paper.citations)
    authority = stages.load_authority(stages.ProjectPaths(REPO_ROOT))
    made = [name for name, _ in corpus.corpus_tables(kinds, described, authority)]
    assert len(made) == len(set(made))
    # Every table but those the package step makes (corrections), each in its spec's stage, stage by stage.
    assert set(made) == {name for name in all_table_names() if load_table_spec(name).stage != "package"}
    order = [STAGES.index(load_table_spec(name).stage) for name in made]
    assert order == sorted(order)
    for stage, names in corpus.STAGE_TABLES.items():
        assert {load_table_spec(name).stage for name in names} == {stage}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stage": "layout"}, "stage 'layout' is not one of"),
        ({"scope": "volume"}, "scope 'volume' is not one of"),
    ],
)
def test_a_spec_with_an_unknown_stage_or_scope_is_rejected_by_name(change, message):
    raw = {
        "title": "Probe",
        "description": "A table made for one rule.",
        "primary_key": ["id"],
        "stage": "text",
        "scope": "paper",
        "fields": [{"name": "id", "type": "string", "description": "Row ID."}],
    }
    with pytest.raises(SchemaSpecError, match=f"schemas/probe.yaml: {message}"):
        parse_table_spec("probe", raw | change)
    without = {k: v for k, v in raw.items() if k != next(iter(change))}
    with pytest.raises(SchemaSpecError, match="missing top-level key"):
        parse_table_spec("probe", without)


def test_a_papers_fingerprint_digests_every_module_that_builds_a_paper_and_no_other():
    """Everything the per-paper stages import is in `PAPER_CODE` (so an edit of it rebuilds the papers), and
    the command line, the corpus stages and the package step are not (an edit of them rebuilds none)."""
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, pipeline.orchestration.stages; print(*sys.modules, sep='\\n')"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    ).stdout.split()
    digested = {path.resolve() for path in fingerprints.paper_code_files()}
    for name in imported:
        if not name.startswith("pipeline.") or name == "pipeline.orchestration.fingerprints":
            continue  # the fingerprints module only lends the debug switch's name
        origin = importlib.util.find_spec(name).origin
        if origin and not origin.endswith("__init__.py"):
            assert Path(origin).resolve() in digested, name
    for module in ("cli", "definitions", "fingerprints"):
        assert REPO_ROOT / f"pipeline/orchestration/{module}.py" not in digested
    for module in ("corpus_tables", "publish"):
        assert REPO_ROOT / f"pipeline/package/{module}.py" not in digested
