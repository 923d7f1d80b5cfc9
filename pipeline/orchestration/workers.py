"""Where the build runs in parallel: papers built over worker processes (`concurrent.futures`), and the
one function every route builds and stores a paper with (`PaperBuilder.build`).

`build_papers` builds the changed papers in the run's own process when there are few, else over a process
pool. The CLI knows from the fingerprints which papers changed before it imports anything heavy, so it
starts that pool first (`HeadStart.begin`) and hands it to the run; runs launched from Dagster's UI start
their own. The Dask job builds one paper per step with the same `PaperBuilder` (`build_one`). Once the
papers are built, the run hands the idle workers what would hold up its own Python: a small edit's
frictionless check of the fresh rows (`incremental_check.FreshRowsCheck`), the package's figure
(`figures.timeline_figure`; the workers import its drawing module once they have taken the papers). This
module imports neither polars nor Dagster at its top: starting costs the CLI a few milliseconds. Every
worker process ends with the process that started it (`exit_with_parent`).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from pipeline.orchestration.fingerprints import CorpusInputs


class PaperBuilder:
    """What every paper's build reads besides the paper (the authority, the corrections, the reference
    model), loaded once; `build` builds one paper and stores it."""

    def __init__(self, root: Path, corrections: list[Any] | None = None) -> None:
        from pipeline.extract import reference_parse
        from pipeline.orchestration import stages

        self.paths = stages.ProjectPaths(root)
        self.corrections = stages.load_corrections(self.paths) if corrections is None else corrections
        self.authority = stages.load_authority(self.paths)
        reference_parse.load_reader()

    def build(self, document_id: str, entry: Path, fingerprint: str) -> str:
        """Build the paper (`stages.build_document`) and store it (`store.write_build`); its ID."""
        from pipeline.orchestration import stages, store

        outcome = stages.build_document(
            self.paths, document_id, entry, fingerprint, self.authority, self.corrections
        )
        store.write_build(self.paths.root, outcome, fingerprint)
        return document_id


# Below this many documents to build, starting worker processes (each imports the pipeline) costs more
# than it saves.
POOL_MIN_DOCUMENTS = 8


@dataclass
class HeadStart:
    """Papers building in worker processes; each future answers with its paper's ID once the paper's
    build is stored (`store.write_build`), in the order of ``todo``. Once the papers are built, the run
    hands the workers other work that would hold up its own Python (see the module docstring); the CLI lets
    them go (`close`) when the run ends."""

    todo: list[str]
    builds: list[Future[str]]
    pool: ProcessPoolExecutor
    closed: bool = False

    @classmethod
    def begin(cls, inputs: CorpusInputs, todo: list[str], workers: int) -> HeadStart:
        """Build ``todo`` over at most ``workers`` processes; each loads the corrections and the authority
        once, checked against every document in ``inputs``."""
        pool = ProcessPoolExecutor(
            max_workers=(count := max(1, min(workers, len(todo)))),
            # spawn, not fork: polars' thread pool does not survive a fork.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(inputs.root, list(inputs.documents)),
        )
        builds = [pool.submit(_build, i, inputs.documents[i], inputs.fingerprints[i]) for i in todo]
        for _ in range(count):  # after the papers, one each: the timeline's drawing (matplotlib) starts warm
            pool.submit(importlib.import_module, "pipeline.package.timeline")
        return cls(todo, builds, pool)

    def close(self) -> None:
        """Let the workers go; papers not yet begun are dropped (the run failed before it needed them)."""
        self.closed = True
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> HeadStart:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def build_papers(
    inputs: CorpusInputs,
    corrections: list[Any],
    todo: list[str],
    workers: int,
    head_start: HeadStart | None = None,
) -> Iterator[str]:
    """Build and store every document in ``todo``; yields each paper's ID once its build is stored, in the
    order of ``todo``. Over ``workers`` processes when that pays, or from the workers the CLI started
    (``head_start``, which then holds ``todo``, and is left open)."""
    if not todo:
        return
    if head_start is None and (workers <= 1 or len(todo) < POOL_MIN_DOCUMENTS):
        builder = PaperBuilder(inputs.root, corrections)
        for document_id in todo:
            yield builder.build(document_id, inputs.documents[document_id], inputs.fingerprints[document_id])
        return
    building = head_start or HeadStart.begin(inputs, todo, workers)
    try:
        for future in building.builds:
            yield future.result()
    finally:
        if head_start is None:
            building.close()


def exit_with_parent() -> None:
    """Make this worker process end when the process that started it ends, even when that one is killed:
    a pool's worker otherwise waits for work forever (it holds its own end of the queue it reads)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_after, args=(parent,), daemon=True).start()


def _exit_after(parent: BaseProcess) -> None:
    parent.join()
    os._exit(1)


# A pool worker's builder, made once when the worker starts (a process pool's functions are module-level),
# or why it could not be made.
_builder: PaperBuilder | None = None
_start_error: str | None = None


def _start_worker(root: Path, document_ids: list[str]) -> None:
    """The corrections, checked against these documents, are read here rather than sent by the process that
    starts the pool, which has not imported the pipeline. An input of the whole corpus that cannot be read
    (an authority file with a duplicate ID) is kept and raised by each build, so that the run stops with its
    message rather than a broken pool's traceback."""
    global _builder, _start_error
    exit_with_parent()
    from pipeline.orchestration import stages

    try:
        _builder = PaperBuilder(root, stages.load_corrections(stages.ProjectPaths(root), document_ids))
    except Exception as exc:
        _start_error = str(exc)


def _build(document_id: str, entry: Path, fingerprint: str) -> str:
    if _builder is None:
        raise WorkerStartError(_start_error or "the worker process could not start")
    return _builder.build(document_id, entry, fingerprint)


class WorkerStartError(RuntimeError):
    """A worker could not read the corpus's shared inputs; the message says which file and why."""


def build_one(root: Path, document_id: str, entry: Path, fingerprint: str) -> str:
    """A distributed run's unit of work (one Dask step): build and store one paper, reusing the worker's
    builder while the corpus and its corrections are the same."""
    global _builder
    from pipeline.orchestration import stages

    corrections = stages.load_corrections(stages.ProjectPaths(root))
    if _builder is None or _builder.paths.root != root or _builder.corrections != corrections:
        _builder = PaperBuilder(root, corrections)
    return _builder.build(document_id, entry, fingerprint)
