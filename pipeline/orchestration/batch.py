"""All changed papers in one run: built over worker processes, checked a batch at a time, swapped in.

Each paper's build is stored on its own (`store`), so a re-run rebuilds only the papers whose fingerprint
changed, and the cost of deciding that does not grow with the corpus. A build that passed its own stages
is checked against the tables' models with the other builds of its batch (`check_builds`: one pass per
table over CHECK_BATCH papers, while the later papers still build) and becomes the paper's accepted build
only when its rows pass (`store.accept`); a paper whose build fails is left out and its last accepted build
published in its place, while every other paper goes ahead. Builds stored by another route (the Dask job)
are checked the same way when the package job next runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.orchestration import stages, store
from pipeline.orchestration.fingerprints import DEBUG_ENV, CorpusInputs, changed_documents
from pipeline.package import corpus_tables as corpus

# Builds checked together against the tables' models: each check costs a fixed part per table, so
# batches of 64 papers rather than 16 spare a 300-paper build about 1.3 s of CPU.
CHECK_BATCH = 64
# The column that tags each row with its paper while a batch is checked.
PAPER = "_paper"


@dataclass
class Selection:
    """The papers that go into this build's package (each with the fingerprint of its accepted build),
    those accepted in this run (``fresh``: their rows are new to the package's checks), and those left
    out, with why (``kept_previous``: an earlier accepted build is published in their place)."""

    builds: dict[str, str] = field(default_factory=dict)
    fresh: set[str] = field(default_factory=set)
    left_out: dict[str, list[stages.DocumentProblem]] = field(default_factory=dict)
    kept_previous: set[str] = field(default_factory=set)
    recheck_all: bool = False

    @property
    def published(self) -> list[str]:
        return sorted(self.builds)


def stale_documents(inputs: CorpusInputs) -> list[str]:
    """Documents never built, or built from other inputs than the ones in the folder now; under --debug
    also those whose last build failed, so that their errors come with the traceback."""
    stale = changed_documents(inputs)
    if os.environ.get(DEBUG_ENV):
        failed = []
        for document_id, fingerprint in inputs.fingerprints.items():
            found = store.record(inputs.root, document_id, fingerprint)
            if found is not None and found["problems"]:
                failed.append(document_id)
        stale = sorted({*stale, *failed})
    return stale


def check_builds(builds: store.Builds) -> dict[str, list[stages.DocumentProblem]]:
    """The builds' rows checked against the tables' models, every paper in one pass per table; a failing
    row is its own paper's problem. Checked: the paper-scope tables' rows, and each paper's citations and
    works as they come out for the paper alone (the rows of the corpus tables it is answerable for)."""
    tables = {name: builds.kind(name, PAPER) for name in corpus.OWN_TABLES}
    tables |= {name: builds.kind(kind, PAPER) for name, kind in store.CHECKED.items()}
    found: dict[str, list[stages.DocumentProblem]] = {}
    for document_id, check, message in corpus.row_problems(tables, PAPER):
        found.setdefault(document_id, []).append(stages.DocumentProblem(document_id, check, message))
    return found


def select_papers(inputs: CorpusInputs, built: Iterable[str], recheck_all: bool = False) -> Selection:
    """Each paper's build from the current inputs if it passes its checks, else its last accepted build.

    The papers in ``built`` (this run's, as they are stored) are checked a batch at a time as they come,
    then any other build not yet checked (stored by the Dask job, or by a run stopped before its checks),
    and with ``recheck_all`` every paper's build again."""
    root, selection = inputs.root, Selection(recheck_all=recheck_all)
    records: dict[str, dict | None] = {}
    accepted: dict[str, str | None] = {}
    pending: dict[str, str] = {}

    def settle() -> None:
        found = check_builds(store.Builds(root, pending)) if pending else {}
        for document_id, fingerprint in pending.items():
            if found.get(document_id):
                records[document_id] = store.reject(root, document_id, fingerprint, found[document_id])
            else:
                store.accept(root, document_id, fingerprint)
                accepted[document_id] = fingerprint
                selection.fresh.add(document_id)
        pending.clear()

    def take(document_id: str) -> None:
        if document_id in records:
            return
        fingerprint = inputs.fingerprints[document_id]
        found = records[document_id] = store.record(root, document_id, fingerprint)
        accepted[document_id] = store.accepted(root, document_id)
        if (
            found is not None
            and not found["problems"]
            and (recheck_all or accepted[document_id] != fingerprint)
        ):
            pending[document_id] = fingerprint
            if len(pending) >= CHECK_BATCH:
                settle()

    for document_id in built:
        take(document_id)
    store.forget_others(root, inputs.fingerprints)
    for document_id in inputs.fingerprints:
        take(document_id)
    settle()
    for document_id, found in records.items():
        if found is None:
            missing = stages.DocumentProblem(document_id, "build", "no build from the current inputs")
            selection.left_out[document_id] = [missing]
        elif found["problems"]:
            selection.left_out[document_id] = store.problems(found, document_id)
        if accepted[document_id] is not None:
            selection.builds[document_id] = accepted[document_id]
            if document_id in selection.left_out:
                selection.kept_previous.add(document_id)
    if not recheck_all:  # an accepted build the last package did not publish is new to its checks
        published = store.published(root)
        selection.fresh |= {i for i, fp in selection.builds.items() if published.get(i) != fp}
    return selection
