"""What a build reads, as digests, and what the last build made of it: decided before Dagster is imported.

A document's fingerprint covers everything its own stages read (its raw files, its text corrections, the
authority files, and the code, specs, vocabularies and models that build a paper: `PAPER_CODE`); the
package fingerprint covers every document's fingerprint plus what only the package step reads (record
corrections, dataset.yaml). When the package fingerprint and the published descriptor are those the last
build recorded, there is nothing to do. This module imports only the standard library, PyYAML and the
ingest module, so that answer costs a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.paths import REPO_ROOT
from pipeline.text.ingest import discover_documents
from pipeline.vocab import load_yaml

STATE_FILE = Path(".dagster_home") / "build-state.json"
# Each paper's builds, one folder per build (`store`).
PAPER_STORE = Path(".dagster_home") / "papers"
PACKAGE_DESCRIPTOR = "datapackage.json"

# Set by `papers-dataset --debug`: errors keep their tracebacks, also from the worker processes.
DEBUG_ENV = "PAPERS_DATASET_DEBUG"


def _digest_files(digest: Any, base: Path, files: Iterable[Path]) -> None:
    for path in sorted(files):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())


# What builds a paper: the per-paper stages (`stages`) and every module they import (the test layer, the
# extractors, text corrections, table specs), the specs, vocabularies and trained models. Editing anything
# else (the corpus stages, the package step, the command line) rebuilds no paper; tests/test_table_specs.py
# checks that `stages` imports nothing outside this list.
PAPER_CODE = (
    "pipeline/__init__.py",
    "pipeline/paths.py",
    "pipeline/vocab.py",
    "pipeline/text",
    "pipeline/extract",
    "pipeline/package/corrections.py",
    "pipeline/package/text_corrections.py",
    "pipeline/package/record_ids.py",
    "pipeline/package/schema.py",
    "pipeline/orchestration/stages.py",
    "schemas",
    "vocab",
    "models",
)


def paper_code_files() -> list[Path]:
    """The files whose digest is in every paper's fingerprint (`PAPER_CODE`)."""
    files: list[Path] = []
    for name in PAPER_CODE:
        path = REPO_ROOT / name
        files += [path] if path.is_file() else [p for p in _files_under(path) if "__pycache__" not in p.parts]
    return files


def code_version() -> str:
    """A digest of what builds a paper (`PAPER_CODE`): any change of it rebuilds every paper."""
    digest = hashlib.sha256()
    _digest_files(digest, REPO_ROOT, paper_code_files())
    return digest.hexdigest()[:16]


def _files_under(folder: Path) -> list[Path]:
    """The files under ``folder`` (os.walk: a third of what Path.rglob costs the no-change run)."""
    return [p for top, _, names in os.walk(folder) for n in names if (p := Path(top, n)).is_file()]


def _own_document(entry: dict) -> str | None:
    """The paper whose own build a text or footnote status correction changes (`acknowledged_gaps`)."""
    if entry.get("kind") == "text":
        return str(entry.get("document_id"))
    status = (entry.get("kind"), entry.get("table"), entry.get("field")) == ("field", "footnotes", "status")
    return str(entry.get("record_id")).split(":", 1)[0] if status else None


def _text_corrections(corrections: Path) -> tuple[dict[str, str], str]:
    """Digest of each document's own corrections (``_own_document``), and of all correction files.

    Those make that document stale; other record corrections act on the combined tables and only make the
    package stale. A file that does not parse here counts as a whole; the corrections loader reports what
    is wrong with it when the package step runs."""
    by_document: dict[str, list[str]] = {}
    whole = hashlib.sha256()
    for path in sorted([*corrections.glob("*.yaml"), *corrections.glob("*.yml")]):
        data = path.read_bytes()
        whole.update(path.name.encode() + b"\0" + data)
        try:
            entries = load_yaml(data) or []
        except yaml.YAMLError:
            entries = []
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and (document_id := _own_document(entry)):
                by_document.setdefault(document_id, []).append(json.dumps(entry, sort_keys=True, default=str))
    digests = {k: hashlib.sha256("\n".join(sorted(v)).encode()).hexdigest() for k, v in by_document.items()}
    return digests, whole.hexdigest()


@dataclass(frozen=True)
class CorpusInputs:
    """The documents found in raw/ (metadata parsed once per run) and the digests of every input."""

    root: Path
    documents: dict[str, Path]
    fingerprints: dict[str, str]
    package: str

    @classmethod
    def scan(cls, root: Path) -> CorpusInputs:
        documents = discover_documents(root / "raw")
        shared = hashlib.sha256(code_version().encode())
        _digest_files(shared, root, _files_under(root / "authority"))
        text_fixes, all_fixes = _text_corrections(root / "corrections")
        fingerprints = {}
        for document_id, entry in sorted(documents.items()):
            digest = shared.copy()
            _digest_files(digest, root, [entry] if entry.is_file() else _files_under(entry))
            digest.update(text_fixes.get(document_id, "").encode())
            fingerprints[document_id] = digest.hexdigest()
        package = hashlib.sha256(all_fixes.encode())
        dataset = root / "dataset.yaml"
        package.update(dataset.read_bytes() if dataset.exists() else b"")
        package.update(json.dumps(fingerprints, sort_keys=True).encode())
        return cls(root, documents, fingerprints, package.hexdigest())


@dataclass
class BuildState:
    """What the last finished build published: its package fingerprint, the descriptor's digest, and the
    documents it left out with the problems that made it do so."""

    package: str = ""
    descriptor_sha256: str = ""
    left_out: dict[str, list[str]] = field(default_factory=dict)
    kept_previous: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> BuildState:
        path = root / STATE_FILE
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            left_out, kept = raw.get("left_out", {}), raw.get("kept_previous", [])
            return cls(raw["package"], raw["descriptor_sha256"], left_out, kept)
        except (ValueError, KeyError, TypeError):
            return cls()

    def save(self, root: Path) -> None:
        """Write atomically: a build stopped half-way leaves the previous state, so it is redone."""
        path = root / STATE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(".tmp")
        scratch.write_text(json.dumps(self.__dict__, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(scratch, path)


def changed_documents(inputs: CorpusInputs) -> list[str]:
    """Documents never built from the inputs now in the folder (a build's folder is its fingerprint)."""
    store = inputs.root / PAPER_STORE
    return [i for i, fp in inputs.fingerprints.items() if not (store / i / fp).is_dir()]


def descriptor_digest(root: Path) -> str:
    path = root / PACKAGE_DESCRIPTOR
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def is_up_to_date(inputs: CorpusInputs, state: BuildState) -> bool:
    """The package was built from exactly these inputs and its descriptor is the one that build wrote."""
    same_inputs = bool(state.package) and state.package == inputs.package
    return same_inputs and state.descriptor_sha256 == descriptor_digest(inputs.root)
