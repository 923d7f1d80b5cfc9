"""Shared fixtures: the committed paper cleaned once, and one pipeline build of the committed corpus per
test run, so every test that reads a package reads the same one.

The suite runs on pytest-xdist workers (``-n`` in pyproject's addopts): a build that several tests read is
made once per run with ``shared_folder``, by whichever worker asks first, while the others wait for it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest

from pipeline.package.record_ids import stable_ids
from pipeline.text.clean import CleanedDocument, clean_document

REPO_ROOT = Path(__file__).resolve().parent.parent
PAPER = REPO_ROOT / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md"
PACKAGE_FILES = ("datapackage.json", "data", "text", "figures")


def package_digest(root: Path) -> dict[str, str]:
    """sha256 of every file of the package under ``root``, by relative path."""
    files = [root / "datapackage.json"]
    for folder in PACKAGE_FILES[1:]:
        files += sorted(p for p in (root / folder).rglob("*") if p.is_file())
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files
        if p.exists()
    }


def published_ids(text: str, tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Extractor output with the record IDs the build publishes (``record_ids``): what the specs check."""
    ids = [f["document_id"][0] for f in tables.values() if "document_id" in f.columns and f.height]
    return stable_ids(ids[0], text, tables) if ids else dict(tables)


def citation_of_note(root: Path, note: int, position: int = 1) -> str:
    """The stable ID of a note's ``position``-th citation in the package under ``root``."""
    notes = pl.read_csv(root / "data/csv/footnotes.csv", columns=["footnote_id", "number"])
    citations = pl.read_csv(
        root / "data/csv/citations.csv", columns=["citation_id", "footnote_id", "citation_number"]
    )
    found = citations.join(notes, on="footnote_id").filter(
        (pl.col("number") == note) & (pl.col("citation_number") == position)
    )
    return found["citation_id"][0]


def copy_corpus(target: Path) -> Path:
    """A corpus folder with the repository's inputs and no package yet."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in ("raw", "corrections", "authority"):
        if (REPO_ROOT / entry).exists():
            shutil.copytree(REPO_ROOT / entry, target / entry)
    for entry in ("dataset.yaml", "README.md", "CHANGELOG.md"):
        if (REPO_ROOT / entry).exists():
            shutil.copy2(REPO_ROOT / entry, target / entry)
    return target


# Modules whose tests build packages end to end (seconds each). They run first, so that the xdist workers
# end the run on quick unit tests, taking them from each other's queues, and finish together.
END_TO_END_MODULES = (
    "test_pipeline.py",
    "test_publish_atomic.py",
    "test_release_workflow.py",
    "test_corrections_pipeline.py",
    "test_rights.py",
    "test_release.py",
    "test_ingest.py",
    "test_dev_corpus.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in END_TO_END_MODULES)


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder ``name``, made by ``make`` once per test run and shared by every xdist worker.

    The documented xdist pattern: the workers' temporary folders share a parent, so the first worker to get
    the lock there makes the folder and the others wait and read it. A ``make`` that fails leaves no folder,
    so the next worker to ask tries again (and fails the same way, with its own message).
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = shared / name, shared / f"{name}.done"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def paper_text() -> str:
    return PAPER.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def paper(paper_text: str) -> CleanedDocument:
    return clean_document(paper_text, "kennan-op-263", "raw/kennan-op-263/kennan-op-263-phillips-1996.md")


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory) -> Path:
    """The committed corpus built once through Dagster; tests copy it before changing anything."""
    from pipeline.orchestration.cli import build

    def make(root: Path) -> None:
        copy_corpus(root)
        assert build(root, strict=True, full_check=True) == 0

    return shared_folder(tmp_path_factory, "built-corpus", make)


@pytest.fixture
def cli_in_process(monkeypatch, capsys) -> Iterator[Callable[..., subprocess.CompletedProcess]]:
    """``papers-dataset ARGS`` run by the CLI's own ``main`` in this process, answered like a subprocess.

    The same code path as the command without a new interpreter and its imports (seconds per call). What
    it prints comes back as stdout and stderr; log records go to pytest's log capture (caplog) instead, so
    a test of the exact lines a user sees runs the command in a subprocess. The environment variables
    and logging level a command sets (DATASET_ROOT, DAGSTER_HOME, --debug) are put back afterwards.
    """
    from pipeline import commands

    saved_environment = dict(os.environ)

    def run(*args: str) -> subprocess.CompletedProcess:
        capsys.readouterr()
        code = commands.main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["papers-dataset", *args], code, out, err)

    yield run
    os.environ.clear()
    os.environ.update(saved_environment)


_release_checks: dict[str, list[str]] = {}


@pytest.fixture
def validate_each_release_once(monkeypatch) -> None:
    """Validate each distinct release archive once per test process: a zip with the same bytes as one
    already validated gets that one's result. Frictionless takes seconds over the whole package, and most
    release tests zip the same committed package; an archive that differs in any byte is validated anew."""
    from pipeline.package import release

    validate_release = release.validate_release

    def validate_once(zip_path: Path) -> list[str]:
        key = hashlib.sha256(Path(zip_path).read_bytes()).hexdigest()
        if key not in _release_checks:
            _release_checks[key] = validate_release(zip_path)
        return list(_release_checks[key])

    monkeypatch.setattr(release, "validate_release", validate_once)
