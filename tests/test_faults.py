"""Bad inputs and faults, replayed as a user meets them: through the command, on small corpora. Each must end
with a message naming the file, line or record and what to do, leave the last good package valid (and
byte-identical where nothing was published), and publish every other paper."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.package.publish import validate_staged_package
from tests.conftest import REPO_ROOT, package_digest, shared_folder

PAPER = """\
**{title}
by Ann Author**

The harbour board met in March 1921 to set the grain tariffs.¹ Its members disagreed on credit.

In 1923 the board asked the ministry for a loan.² The minister said that "no money is left."

1 B. Smith, *Ports and Power* (London: 1990), 12.

2 Ibid., 14.
"""


def cli(root: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline.orchestration.cli", "--root", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def add_paper(root: Path, document_id: str, text: str | bytes, metadata: str = "") -> Path:
    folder = root / "raw" / document_id
    folder.mkdir(parents=True)
    paper = folder / "paper.md"
    if isinstance(text, bytes):
        paper.write_bytes(text)
    else:
        paper.write_text(text, encoding="utf-8")
    (folder / "metadata.yaml").write_text(metadata or "language: en\nfull_text: true\n", encoding="utf-8")
    return paper


def text_correction(root: Path, document_id: str, line: int, old: str, number: int = 1) -> None:
    entry = (
        f"- id: C{number:04d}\n  kind: text\n  document_id: {document_id}\n  line: {line}\n  old: {old!r}\n"
        "  new: 'anything'\n  reason: a test\n  author: tests\n  date: 2026-12-07\n"
    )
    (root / "corrections").mkdir(exist_ok=True)
    (root / "corrections" / f"{document_id}.yaml").write_text(entry, encoding="utf-8")


@pytest.fixture(scope="module")
def two_papers(tmp_path_factory) -> Path:
    """Two small papers built once per test run; tests copy the folder before changing anything."""

    def make(root: Path) -> None:
        shutil.copy2(REPO_ROOT / "dataset.yaml", root / "dataset.yaml")
        shutil.copytree(REPO_ROOT / "authority", root / "authority")
        add_paper(root, "grain", PAPER.format(title="Grain and Credit in the Baltic Ports"))
        add_paper(root, "harbour", PAPER.format(title="Harbour Dues in the Baltic"))
        result = cli(root, "build")
        assert result.returncode == 0, result.stderr

    return shared_folder(tmp_path_factory, "faults-two-papers", make)


def copy_of(corpus: Path, target: Path) -> Path:
    shutil.copytree(corpus, target, symlinks=True)
    return target


def published_documents(root: Path) -> list[str]:
    lines = (root / "data/csv/documents.csv").read_text(encoding="utf-8").splitlines()[1:]
    return sorted(line.split(",", 1)[0] for line in lines)


def test_papers_with_bad_inputs_are_left_out_alone_each_with_its_reason(two_papers, tmp_path):
    root = copy_of(two_papers, tmp_path / "corpus")
    # a published paper whose new text correction does not match its line: its last good version stays
    text_correction(root, "grain", 4, "March 1922")
    # new papers: a failing text correction, bad metadata, NUL bytes, UTF-16 without a byte-order mark
    add_paper(root, "newcomer", PAPER.format(title="Newcomer"))
    text_correction(root, "newcomer", 6, "no such words", number=2)
    add_paper(root, "badmeta", PAPER.format(title="Bad Metadata"), "language: en\nfull_text: maybe\n")
    add_paper(root, "nulls", b"The board met.\n\x00\x00\x00\n")
    add_paper(root, "utf16", "The board met in 1921.\n\nIt asked for a loan.\n".encode("utf-16-le"))

    result = cli(root, "build")

    assert result.returncode == 1
    err = result.stderr
    assert "targets nothing" not in err and "Traceback" not in err
    assert "left out of this build: grain (its last good version is published)" in err
    assert "expected 'March 1922' on line 4 of grain, but the line now reads" in err
    assert "left out of this build: newcomer (it has no rows in the package)" in err
    assert "line 6 of newcomer, but the line now reads 'In 1923 the board" in err
    assert "badmeta/metadata.yaml: field 'full_text' should be bool, got 'maybe'" in err
    assert "nulls/paper.md:2: holds NUL bytes" in err
    assert "utf16/paper.md:1: holds NUL bytes" in err and "it looks like UTF-16" in err
    assert published_documents(root) == ["grain", "harbour"]
    assert validate_staged_package(root / "datapackage.json") == []

    again = cli(root, "build")
    assert again.returncode == 1
    assert "0 of 6 to (re)build, 1 up to date, 5 left out" in again.stdout
    assert "left out of this build: newcomer" in again.stderr


def test_a_swap_that_cannot_finish_is_refused_before_it_starts(two_papers, tmp_path):
    root = copy_of(two_papers, tmp_path / "corpus")
    before = package_digest(root)
    paper = root / "raw/harbour/paper.md"
    paper.write_text(paper.read_text(encoding="utf-8").replace("on credit", "on dues"), encoding="utf-8")
    # As root the only way to make a folder unmovable is the immutable flag (a non-root user's read-only
    # folder fails the same check).
    if subprocess.run(["chattr", "+i", str(root / "data")], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here")
    try:
        result = cli(root, "build")
    finally:
        subprocess.run(["chattr", "-i", str(root / "data")], check=True)

    assert result.returncode == 1
    assert f"{root / 'data'}: not writable, so it cannot be moved aside" in result.stderr
    assert "the previous package was left unchanged" in result.stderr
    assert package_digest(root) == before
    assert not (root / ".package-pending").exists() and not (root / ".package-previous").exists()
    assert cli(root, "check").returncode == 0
    # with the folder writable again the same build goes through
    assert cli(root, "build").returncode == 0
    assert package_digest(root) != before


def test_check_names_a_file_that_no_longer_matches_its_descriptor(two_papers, tmp_path):
    root = copy_of(two_papers, tmp_path / "corpus")
    assert cli(root, "check").returncode == 0
    csv = root / "data/csv/sentences.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("harbour", "harbor", 1), encoding="utf-8")

    result = cli(root, "check")

    assert result.returncode == 1
    assert "sentences" in result.stderr and "hash" in result.stderr
    assert "rebuild it" in result.stderr
    # the changelog, which would describe the bad package, refuses to run on it
    assert cli(root, "changelog").returncode == 1


def test_a_refused_release_writes_nothing(two_papers, tmp_path):
    root = copy_of(two_papers, tmp_path / "corpus")
    meta = root / "dataset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.2.0"))

    result = cli(root, "release", "--since", str(REPO_ROOT))

    assert result.returncode == 1
    assert "rebuild the package after bumping the version" in result.stderr
    assert not (root / "CITATION.cff").exists() and not (root / ".zenodo.json").exists()


def test_an_older_version_than_the_last_release_is_refused_with_what_to_set(two_papers, tmp_path):
    root = copy_of(two_papers, tmp_path / "corpus")
    changelog = root / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [0.3.0] - 2026-01-01\n\nA release.\n", encoding="utf-8")

    result = cli(root, "release", "--since", str(REPO_ROOT))

    assert result.returncode == 1
    assert "version 0.1.0 is older than the released 0.3.0; set a newer version: in dataset.yaml" in (
        result.stderr
    )
    assert "0.3.1" in result.stderr


def test_a_version_with_a_v_is_refused_by_the_build(two_papers, tmp_path):
    root = copy_of(two_papers, tmp_path / "corpus")
    before = package_digest(root)
    meta = root / "dataset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("version: 0.1.0", "version: v0.2"))

    result = cli(root, "build")

    assert result.returncode == 1
    assert "dataset.yaml: version 'v0.2' is not a MAJOR.MINOR.PATCH version" in result.stderr
    assert package_digest(root) == before


def _incomplete_entry(entities: list[dict]) -> None:
    entities.append({"id": "person:someone-new"})


def _duplicate_entry(entities: list[dict]) -> None:
    entities.append(dict(entities[0]))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_incomplete_entry, "persons.yaml: entry 'person:someone-new' lacks"),
        (_duplicate_entry, "persons.yaml: duplicate id"),
    ],
    ids=["incomplete", "duplicate"],
)
def test_an_unreadable_authority_file_stops_the_run_with_its_message(two_papers, tmp_path, change, message):
    import yaml

    root = copy_of(two_papers, tmp_path / "corpus")
    before = package_digest(root)
    persons = root / "authority/persons.yaml"
    content = yaml.safe_load(persons.read_text(encoding="utf-8"))
    change(content["entities"])
    persons.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")

    result = cli(root, "build", "--full")

    assert result.returncode == 1
    assert message in result.stderr
    assert "BrokenProcessPool" not in result.stderr and "Traceback" not in result.stderr
    assert package_digest(root) == before


def test_an_unreachable_dask_scheduler_is_named_at_once(two_papers, tmp_path):
    root = copy_of(two_papers, tmp_path / "corpus")
    started = time.monotonic()

    result = cli(root, "build", "--full", "--executor", "dask", "--dask-address", "tcp://127.0.0.1:9")

    assert result.returncode == 1
    assert "--dask-address tcp://127.0.0.1:9: no Dask scheduler answers there" in result.stderr
    assert time.monotonic() - started < 30


def test_a_build_on_a_local_dask_cluster_prints_nothing_a_user_cannot_act_on(two_papers, tmp_path):
    pytest.importorskip("dagster_dask")
    root = copy_of(two_papers, tmp_path / "corpus")
    before = package_digest(root)

    result = cli(root, "build", "--full", "--executor", "dask")

    assert result.returncode == 0, result.stderr
    assert "leaked semaphore" not in result.stderr and "sizeof" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert package_digest(root) == before


def test_reconcile_that_cannot_reach_wikidata_exits_with_an_error(tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text(
        "entities:\n  - id: person:smith-ann\n    name: Ann Smith\n    given_names: [Ann]\n"
        "    surname: Smith\n",
        encoding="utf-8",
    )
    # An address that refuses at once stands for a machine without a network.
    env_proxy = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    command = [sys.executable, "-m", "pipeline.orchestration.cli", "authority", "reconcile", str(draft)]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env={**os.environ, **env_proxy}
    )

    assert result.returncode == 1
    assert "failed 1" in result.stdout
    assert "look-up(s) failed" in result.stderr and "run `authority reconcile` again" in result.stderr


def test_the_release_readme_describes_each_table_whole_and_says_which_carry_offsets():
    from pipeline.package.release import package_readme

    descriptor = json.loads((REPO_ROOT / "datapackage.json").read_text(encoding="utf-8"))
    readme = package_readme(REPO_ROOT, descriptor).decode("utf-8")

    row = next(line for line in readme.splitlines() if line.startswith("| `entity_names`"))
    assert '"G. Surname"' in row  # the first sentence does not end at an initial
    assert "Every record carries `document_id`" not in readme
    for resource in descriptor["resources"]:
        if resource.get("format") != "csv":
            continue
        fields = {f["name"] for f in resource["schema"]["fields"]}
        if "document_id" not in fields:
            assert f"`{resource['name']}`" in readme.split("carry no `document_id`")[0].rsplit(". ", 1)[-1]


@pytest.mark.parametrize("failing_move", [2, 3, 4])
def test_a_swap_that_fails_half_way_is_undone_and_says_so(tmp_path, monkeypatch, failing_move):
    from pipeline.package import swap

    root, staging = tmp_path / "root", tmp_path / "root" / ".staging-package-x"
    for folder, content in ((root, "old"), (staging, "new")):
        (folder / "data").mkdir(parents=True)
        (folder / "data/table.csv").write_text(content)
        (folder / "datapackage.json").write_text(content)
        (folder / "text").mkdir()
    real_replace, moves = os.replace, []

    def replace(source, target):
        moves.append((source, target))
        if len(moves) == failing_move:  # the first move is the commit (staging -> pending)
            raise PermissionError(13, "Permission denied", str(source))
        return real_replace(source, target)

    monkeypatch.setattr(swap.os, "replace", replace)
    with pytest.raises(swap.SwapError, match="the previous package was put back and is unchanged"):
        swap.swap_in(staging, root)
    monkeypatch.setattr(swap.os, "replace", real_replace)

    assert (root / "datapackage.json").read_text() == "old"
    assert (root / "data/table.csv").read_text() == "old"
    assert sorted(p.name for p in root.iterdir()) == ["data", "datapackage.json", "text"]


def test_a_plain_text_papers_title_and_by_line_are_front_matter_not_paragraphs():
    from pipeline.text.clean import clean_document

    text = (
        "Grain and Credit in the Baltic Ports\n\nby Ann Author\n\n"
        "The harbour board met in March 1921 to set the grain tariffs.\n\nIn 1923 it asked for a loan.\n"
    )
    cleaned = clean_document(text, "grain", "raw/grain.txt")

    assert cleaned.front_matter["title"] == "Grain and Credit in the Baltic Ports"
    assert cleaned.front_matter["author"] == "Ann Author"
    assert cleaned.paragraphs["text"].to_list() == [
        "The harbour board met in March 1921 to set the grain tariffs.",
        "In 1923 it asked for a loan.",
    ]


def test_a_citations_corrected_field_reaches_its_work_and_its_chicago_entry(two_papers, tmp_path):
    import csv

    root = copy_of(two_papers, tmp_path / "corpus")

    def rows(table: str) -> list[dict[str, str]]:
        with (root / f"data/csv/{table}.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    citation = next(r for r in rows("citations") if r["document_id"] == "grain" and r["year"])
    work = next(r for r in rows("works") if r["work_id"] == citation["work_id"])
    assert work["year"] == citation["year"] and citation["year"] in work["chicago"]
    year = int(citation["year"])
    (root / "corrections").mkdir(exist_ok=True)
    (root / "corrections" / "grain.yaml").write_text(
        f"- id: C0001\n  kind: field\n  table: citations\n  record_id: '{citation['citation_id']}'\n"
        f"  field: year\n  old: '{year}'\n  new: '{year + 1}'\n  reason: a test\n  author: tests\n"
        "  date: 2026-12-07\n"
        f"- id: C0002\n  kind: field\n  table: works\n  record_id: '{work['work_id']}'\n  field: publisher\n"
        "  old: null\n  new: Harbour Press\n  reason: a test\n  author: tests\n  date: 2026-12-07\n",
        encoding="utf-8",
    )

    result = cli(root, "build")

    assert result.returncode == 0, result.stderr
    corrected = next(r for r in rows("works") if r["work_id"] == work["work_id"])
    assert corrected["year"] == str(year + 1) and corrected["publisher"] == "Harbour Press"
    assert str(year + 1) in corrected["chicago"] and "Harbour Press" in corrected["chicago"]
    assert str(year) not in corrected["chicago"].replace(str(year + 1), "")
    assert validate_staged_package(root / "datapackage.json") == []


def test_a_second_build_of_the_same_folder_is_refused_while_the_first_runs(two_papers, tmp_path):
    from pipeline.package.swap import package_lock

    root = copy_of(two_papers, tmp_path / "corpus")
    before = package_digest(root)
    (root / "raw/harbour/paper.md").write_text(PAPER.format(title="Harbour Dues Revised"), encoding="utf-8")

    with package_lock(root):  # the first build, as another process would hold it
        result = cli(root, "build")

    assert result.returncode == 1
    assert "another build" in result.stderr and "wait for it to finish" in result.stderr
    assert "Traceback" not in result.stderr
    assert package_digest(root) == before


def test_a_note_the_printed_paper_lacks_is_acknowledged_by_one_correction_and_the_paper_builds(
    two_papers, tmp_path
):
    import re

    root = copy_of(two_papers, tmp_path / "corpus")
    text = PAPER.format(title="Lost Notes").replace("on credit.", "on credit.³")
    add_paper(root, "lost", text.replace("\n2 Ibid., 14.\n", "\n3 Minutes of the board.\n"))

    failed = cli(root, "build")

    assert failed.returncode == 1
    assert "lost: marker_note_pairing: footnote 2: marker on source line 6 has no note" in failed.stderr
    assert "footnote 3" not in failed.stderr  # the note after the lost one still pairs
    footnote_id = re.search(r"has no note \((lost:fn-[0-9a-f]{10})\)", failed.stderr).group(1)
    (root / "corrections").mkdir(exist_ok=True)
    (root / "corrections" / "lost.yaml").write_text(
        f"- id: C0001\n  kind: field\n  table: footnotes\n  record_id: '{footnote_id}'\n  field: status\n"
        "  old: marker_without_note\n  new: note_missing_in_source\n  reason: the page has no note 2\n"
        "  author: tests\n  date: 2026-12-07\n",
        encoding="utf-8",
    )

    result = cli(root, "build")

    assert result.returncode == 0, result.stderr
    assert published_documents(root) == ["grain", "harbour", "lost"]
    lines = (root / "data/csv/footnotes.csv").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith(f"{footnote_id},") and "note_missing_in_source" in line for line in lines)
    assert validate_staged_package(root / "datapackage.json") == []
