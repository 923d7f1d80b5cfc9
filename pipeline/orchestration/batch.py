"""All changed documents in one run: built over a pool of processes, stored per document, then selected.

Each document's outcome is stored on its own (``.dagster_home/documents/<id>.latest.pickle``, a pickle
compressed with zstd: tens of kilobytes per paper), so a re-run rebuilds only the papers whose
fingerprint changed, and the cost of deciding that does not grow with the corpus. The version of each
paper that went into the last published package is kept beside it (``<id>.published.pickle``, a hard
link when the file system allows): a paper whose own checks fail is left out of the build and that last
good version is published in its place, while every other paper goes ahead.

A run never holds every paper's build at once: each outcome is read back as its worker stores it and its
rows stacked (`paper_rows.RowStack`, on disk a batch of papers at a time), then let go.
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow

from pipeline.extract import reference_parse
from pipeline.orchestration import stages
from pipeline.orchestration.fingerprints import (
    DEBUG_ENV,
    DOCUMENT_STORE,
    CorpusInputs,
    changed_documents,
    latest_build_fingerprint,
)
from pipeline.orchestration.head_start import HeadStart
from pipeline.orchestration.paper_rows import PaperRows, RowStack
from pipeline.package import corrections as fixes

# A stored outcome: this marker, the pickle's length (8 bytes, little-endian), the zstd-compressed pickle.
STORE_FORMAT = b"papers-outcome-zstd-1\n"
STORE_COMPRESSION_LEVEL = 3

# What reading an outcome stored by other code, or a damaged file, raises.
UNREADABLE = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, OSError)

# Below this many documents to build, starting worker processes (each imports the pipeline) costs more
# than it saves.
POOL_MIN_DOCUMENTS = 8


class DocumentStore:
    """Per-document outcomes on disk: the latest build of each paper and the version last published."""

    def __init__(self, root: Path) -> None:
        self.root, self.folder = root, root / DOCUMENT_STORE

    def _path(self, document_id: str, kind: str) -> Path:
        return self.folder / f"{document_id}.{kind}.pickle"

    def _write(self, path: Path, value: object) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        packed = _codec().compress(pickled, asbytes=True)
        scratch.write_bytes(STORE_FORMAT + len(pickled).to_bytes(8, "little") + packed)
        os.replace(scratch, path)

    def _read(self, path: Path) -> object | None:
        """A stored outcome, or None when there is none or it was stored by code that no longer reads it."""
        if not path.exists():
            return None
        stored = path.read_bytes()
        if not stored.startswith(STORE_FORMAT):
            return None
        header = len(STORE_FORMAT) + 8
        size = int.from_bytes(stored[len(STORE_FORMAT) : header], "little")
        try:
            return pickle.loads(_codec().decompress(stored[header:], decompressed_size=size, asbytes=True))
        except UNREADABLE:
            return None

    def latest_fingerprint(self, document_id: str) -> str | None:
        return latest_build_fingerprint(self.root, document_id)

    def save_latest(self, outcome: stages.DocumentOutcome, fingerprint: str) -> None:
        """The outcome first, then its fingerprint: a build stopped in between is redone next time."""
        self._write(self._path(outcome.document_id, "latest"), outcome)
        marker = self.folder / f"{outcome.document_id}.latest.fingerprint"
        scratch = marker.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(fingerprint, encoding="utf-8")
        os.replace(scratch, marker)

    def latest(self, document_id: str) -> stages.DocumentOutcome | None:
        return self._read(self._path(document_id, "latest"))  # type: ignore[return-value]

    def published(self, document_id: str) -> stages.DocumentResult | None:
        outcome = self._read(self._path(document_id, "published"))
        return outcome.result if outcome is not None else None  # type: ignore[attr-defined]

    def published_fingerprint(self, document_id: str) -> str | None:
        """The input fingerprint of the paper's last published version, without reading that version."""
        path = self.folder / f"{document_id}.published.fingerprint"
        if path.exists():
            return path.read_text(encoding="utf-8")
        published = self.published(document_id)  # stored before fingerprints were kept beside it
        return published.fingerprint if published is not None else None

    def mark_published(self, document_id: str) -> None:
        """The latest build of the paper went into the package: keep it as its last good version."""
        published = self._path(document_id, "published")
        scratch = published.with_suffix(f".{os.getpid()}.tmp")
        scratch.unlink(missing_ok=True)
        try:
            os.link(self._path(document_id, "latest"), scratch)
        except OSError:
            shutil.copyfile(self._path(document_id, "latest"), scratch)
        os.replace(scratch, published)
        marker = self.folder / f"{document_id}.published.fingerprint"
        scratch = marker.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(self.folder / f"{document_id}.latest.fingerprint", scratch)
        os.replace(scratch, marker)


def load_published(root: Path, document_ids: set[str], scratch: Path | None = None) -> PaperRows:
    """The rows of these papers' last published builds, read from the store (and kept in ``scratch``)."""
    store = DocumentStore(root)
    stack, lost = RowStack(spill=scratch), []
    for document_id in sorted(document_ids):
        published = store.published(document_id)
        if published is None:
            lost.append(document_id)
        else:
            stack.add(document_id, published)
    if lost:
        raise stages.PipelineError(
            f"neither the saved rows nor the last published builds of {', '.join(lost)} can be read "
            f"(from {store.folder}); build with --full --full-check, which reads neither"
        )
    return stack.rows()


def _codec() -> pyarrow.Codec:
    return pyarrow.Codec("zstd", compression_level=STORE_COMPRESSION_LEVEL)


def stale_documents(inputs: CorpusInputs, store: DocumentStore) -> list[str]:
    """Documents never built, or built from other inputs than the ones in the folder now; under --debug
    also those whose last build failed, so that their errors come with the traceback."""
    stale = changed_documents(inputs)
    if os.environ.get(DEBUG_ENV):
        stale = sorted({*stale, *(i for i in inputs.fingerprints if _last_build_failed(store, i))})
    return stale


def _last_build_failed(store: DocumentStore, document_id: str) -> bool:
    outcome = store.latest(document_id)
    return outcome is not None and bool(outcome.problems)


# One worker process's read-only inputs, loaded once when the worker starts.
_WORKER: dict[str, object] = {}


def _start_worker(root: Path, corrections: list[fixes.Correction]) -> None:
    paths = stages.ProjectPaths(root)
    _WORKER.update(paths=paths, corrections=corrections, authority=stages.load_authority(paths))
    reference_parse.load_reader()


def start_pool_worker(root: Path, document_ids: list[str]) -> None:
    """A worker process's start (`head_start`): the corrections, checked against these documents, read
    here rather than sent by the process that starts the pool, which has not imported the pipeline.

    An input of the whole corpus that cannot be read (an authority file with a duplicate ID) is kept and
    raised by each build, so the run stops with its message instead of a broken pool's traceback."""
    try:
        _start_worker(root, stages.load_corrections(stages.ProjectPaths(root), document_ids))
    except Exception as exc:
        _WORKER["start_error"] = str(exc)


def build_and_store(document_id: str, entry: Path, fingerprint: str) -> stages.DocumentOutcome:
    """Build one paper with the worker's inputs (`_start_worker`) and store its outcome."""
    if "start_error" in _WORKER:
        raise stages.PipelineError(str(_WORKER["start_error"]))
    outcome = stages.build_document(
        _WORKER["paths"],  # type: ignore[arg-type]
        document_id,
        entry,
        fingerprint,
        _WORKER["authority"],  # type: ignore[arg-type]
        _WORKER["corrections"],  # type: ignore[arg-type]
    )
    DocumentStore(_WORKER["paths"].root).save_latest(outcome, fingerprint)  # type: ignore[attr-defined]
    return outcome


def build_one(
    root: Path, corrections: list[fixes.Correction], document_id: str, entry: Path, fingerprint: str
) -> int:
    """Build and store one paper (the unit of work of a distributed run); the number of its problems."""
    if _WORKER.get("paths") != stages.ProjectPaths(root) or _WORKER.get("corrections") != corrections:
        _start_worker(root, corrections)
    return len(build_and_store(document_id, entry, fingerprint).problems)


@dataclass
class BuiltPapers:
    """What a run built: each paper's problems (none when its own checks passed), and the rows of every
    paper whose stages all ran without a problem, stacked as the builds came in."""

    rows: RowStack
    problems: dict[str, list[stages.DocumentProblem]] = field(default_factory=dict)

    def take(self, outcome: stages.DocumentOutcome | None, document_id: str) -> None:
        if outcome is None:
            return
        self.problems[document_id] = outcome.problems
        if outcome.result is not None and not outcome.problems:
            self.rows.add(document_id, outcome.result)


def build_documents(
    inputs: CorpusInputs,
    corrections: list[fixes.Correction],
    todo: list[str],
    workers: int,
    scratch: Path | None = None,
    head_start: HeadStart | None = None,
) -> BuiltPapers:
    """Build and store every document in ``todo``, spread over ``workers`` processes when that pays, or
    take them from the workers the CLI started (``head_start``, which then holds ``todo``, and is left
    open). Each outcome is read back, in paper order, once its worker stored it (while the others still
    build) and its rows stacked (in ``scratch`` when given), so that the run never holds every paper's
    build at once."""
    built = BuiltPapers(RowStack(checked=True, spill=scratch))
    if not todo:
        return built
    if head_start is None and (workers <= 1 or len(todo) < POOL_MIN_DOCUMENTS):
        _start_worker(inputs.root, corrections)
        for document_id in todo:
            entry, fingerprint = inputs.documents[document_id], inputs.fingerprints[document_id]
            built.take(build_and_store(document_id, entry, fingerprint), document_id)
        return built
    building = head_start or HeadStart.begin(inputs, todo, workers)
    store = DocumentStore(inputs.root)
    # A worker answers with the paper's ID only; the outcome it stored is read here, not sent. The
    # outcomes are taken in paper order (the workers go on meanwhile), so the rows come stacked in order.
    try:
        for future in building.builds:
            document_id = future.result()
            built.take(store.latest(document_id), document_id)
    finally:
        if head_start is None:
            building.close()
    return built


@dataclass
class DocumentSelection:
    """The papers that go into this build's package, and those left out, with why.

    A paper goes in one of three ways: freshly built and checked (``fresh``, its rows in ``fresh_rows``);
    as the rows of the same build saved by the last table step (``reused``, those rows in
    ``saved_rows``, see `paper_rows`), so that its stored outcome is not read; or as a published build
    read from the store (its rows in ``stored_rows``)."""

    stored_rows: PaperRows | None = None
    fresh: set[str] = field(default_factory=set)
    left_out: dict[str, list[stages.DocumentProblem]] = field(default_factory=dict)
    kept_previous: set[str] = field(default_factory=set)
    recheck_all: bool = False
    corrections: list[fixes.Correction] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    reused: set[str] = field(default_factory=set)
    fresh_rows: PaperRows | None = None
    saved_rows: list[PaperRows] | None = None

    def release_frames(self) -> None:
        """Let go of the papers' frames once they are combined into the tables; ``published`` stays."""
        self.stored_rows = self.fresh_rows = self.saved_rows = None


def select_documents(
    inputs: CorpusInputs,
    store: DocumentStore,
    recheck_all: bool,
    saved: Mapping[str, str] | None = None,
    built: BuiltPapers | None = None,
    scratch: Path | None = None,
) -> DocumentSelection:
    """Each paper's latest build if it passes its own checks, else its last published version if any.

    Rows are checked against the pandera models only for papers whose latest build is not the one
    already published (all papers with ``recheck_all``). A published build whose rows are saved
    (``saved``: paper -> fingerprint of the saved build) is reused from there, not read; the builds of
    this run (``built``) are not read again either. Rows are kept in ``scratch`` when given.
    """
    built = built or BuiltPapers(RowStack(checked=True, spill=scratch and scratch / "built"))
    saved = {} if recheck_all or saved is None else saved
    selection = DocumentSelection(recheck_all=recheck_all)
    stored = RowStack(spill=scratch and scratch / "stored")
    candidates: set[str] = set()

    def take_published(document_id: str, fingerprint: str | None) -> bool:
        if fingerprint is not None and saved.get(document_id) == fingerprint:
            selection.reused.add(document_id)
            return True
        published = store.published(document_id)
        if published is None:
            return False
        stored.add(document_id, published)
        return True

    for document_id, fingerprint in inputs.fingerprints.items():
        published = store.published_fingerprint(document_id)
        # A paper this run built again from the inputs of its published build (build --full) is taken
        # as built: its published build is not read back.
        rebuilt = document_id in built.problems
        if (
            not (recheck_all or rebuilt)
            and published == fingerprint
            and take_published(document_id, published)
        ):
            continue
        if not rebuilt:  # not built by this run: its stored latest build, if built from these inputs
            current = store.latest_fingerprint(document_id) == fingerprint
            outcome = store.latest(document_id) if current else None
            if outcome is None:
                missing = stages.DocumentProblem(document_id, "build", "no build from the current inputs")
                selection.left_out[document_id] = [missing]
                continue
            built.take(outcome, document_id)
        problems = built.problems[document_id]
        if problems or document_id not in built.rows:
            selection.left_out[document_id] = problems
        else:
            candidates.add(document_id)
    # Each paper's rows were checked against the tables' models as they were stacked (`RowStack`).
    fresh_rows = built.rows.rows()
    for document_id in sorted(candidates):
        for problem in built.rows.problems.get(document_id, []):
            selection.left_out.setdefault(document_id, []).append(problem)
    selection.fresh = candidates - set(selection.left_out)
    selection.fresh_rows = fresh_rows.keep(selection.fresh)
    for document_id in selection.left_out:
        if take_published(document_id, store.published_fingerprint(document_id)):
            selection.kept_previous.add(document_id)
    selection.published = sorted({*stored.document_ids, *selection.reused, *selection.fresh})
    selection.stored_rows = stored.rows()
    return selection
