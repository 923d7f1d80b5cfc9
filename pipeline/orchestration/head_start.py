"""Changed papers start building before Dagster is imported.

Importing Dagster and the pipeline and starting a run take about a second and a half of one core, while
the other cores idle. The CLI knows from the fingerprints which papers changed before it imports anything
heavy, so it starts worker processes on them first (`HeadStart.begin`); the run's ``papers`` asset then
takes their outcomes as they are stored (`batch.build_documents`), as it does from a pool it starts itself
(runs launched from Dagster's UI). Once the papers are built, a small edit's run hands the idle workers
frictionless's check of the fresh rows (`package_check.FreshRowsCheck`). This module imports neither
polars nor Dagster: starting costs the CLI a few milliseconds. Every worker process the project starts
ends with the process that started it (`exit_with_parent`).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path

from pipeline.orchestration.fingerprints import CorpusInputs


@dataclass
class HeadStart:
    """Papers building in worker processes; each future answers with its paper's ID once the paper's
    outcome is stored (`batch.DocumentStore`), in the order of ``todo``. Once the papers are built, the
    run may hand the workers other work that would hold up its own Python (`package_check.FreshRowsCheck`),
    or let them go (`close`)."""

    todo: list[str]
    builds: list[Future[str]]
    pool: ProcessPoolExecutor
    closed: bool = False

    @classmethod
    def begin(cls, inputs: CorpusInputs, todo: list[str], workers: int) -> HeadStart:
        """Build ``todo`` over at most ``workers`` processes; each loads the corrections and the authority
        once, checked against every document in ``inputs``."""
        pool = ProcessPoolExecutor(
            max_workers=max(1, min(workers, len(todo))),
            # spawn, not fork: polars' thread pool does not survive a fork.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(inputs.root, list(inputs.documents)),
        )
        builds = [pool.submit(_build, i, inputs.documents[i], inputs.fingerprints[i]) for i in todo]
        return cls(todo, builds, pool)

    def close(self) -> None:
        """Let the workers go; papers not yet begun are dropped (the run failed before it needed them)."""
        self.closed = True
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> HeadStart:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def exit_with_parent() -> None:
    """Make this worker process end when the process that started it ends, even when that one is killed:
    a pool's worker otherwise waits for work forever (it holds its own end of the queue it reads)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_after, args=(parent,), daemon=True).start()


def _exit_after(parent: BaseProcess) -> None:
    parent.join()
    os._exit(1)


# The pool's functions import the pipeline in the worker, not here.


def _start_worker(root: Path, document_ids: list[str]) -> None:
    exit_with_parent()
    from pipeline.orchestration import batch

    batch.start_pool_worker(root, document_ids)


def _build(document_id: str, entry: Path, fingerprint: str) -> str:
    from pipeline.orchestration import batch

    return batch.build_and_store(document_id, entry, fingerprint).document_id
