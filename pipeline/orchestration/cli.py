"""``papers-dataset build``: decide what to do, start the changed papers' workers, run the Dagster job,
report. The command line itself (its parsers, its errors) is `pipeline.commands`."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from pathlib import Path

from pipeline.orchestration.fingerprints import (
    DEBUG_ENV,
    BuildState,
    CorpusInputs,
    changed_documents,
    descriptor_digest,
    is_up_to_date,
)

# Dagster, polars, the extractors and the worker pool are imported only once a build has something to do.

# Allocations between two collections of the youngest generation during a build (Python's default is 700).
GC_THRESHOLD = 50_000


def dagster_instance(root: Path):
    """A persistent, project-local Dagster instance (telemetry off), which runs over several processes need.

    Local builds run on an ephemeral instance instead: the SQLite event log of ~30 steps cost more than
    the papers' own work, and the build's state is its fingerprints (`fingerprints`), not Dagster's runs."""
    from dagster import DagsterInstance

    home = root / ".dagster_home"
    home.mkdir(exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return DagsterInstance.get()


def _quiet() -> dict:
    """Dagster's console logs a step failure with its whole trace; the CLI reports the error itself in one
    or two lines (see _report_failure), and --debug brings the trace back."""
    level = "WARNING" if os.environ.get(DEBUG_ENV) else "CRITICAL"
    return {"loggers": {"console": {"config": {"log_level": level}}}}


def _report_left_out(left_out: dict[str, list[str]], kept: set[str]) -> None:
    for document_id, problems in sorted(left_out.items()):
        fate = (
            "its last good version is published" if document_id in kept else "it has no rows in the package"
        )
        print(f"left out of this build: {document_id} ({fate})", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    print(
        f"{len(left_out)} paper(s) left out; every other paper is published. Fix the paper or add a "
        "correction (corrections/README.md), then build again.",
        file=sys.stderr,
    )


class DaskAddressError(RuntimeError):
    """Nothing answers at the Dask scheduler address given."""


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail at once, with what to do, when nothing answers at a Dask scheduler address (instead of
    Dagster's 'the run failed' after the client's half-minute of retries)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        with socket.create_connection((parts.hostname or "", parts.port or 8786), timeout=timeout):
            return
    except OSError as exc:
        raise DaskAddressError(
            f"--dask-address {address}: no Dask scheduler answers there ({exc.strerror or exc}); start one "
            "(`dask scheduler`) or check the address, or leave --dask-address out for a local cluster"
        ) from None


def _run_dask_documents(root: Path, instance, rebuild_all: bool, address: str | None) -> bool:
    """Build the changed papers on a Dask cluster: the scheduler at ``address``, or a local cluster of 2."""
    from dagster import execute_job, reconstructable

    from pipeline.orchestration.definitions import dask_documents_job

    if address:
        _check_reachable(address)
    # Read by the client and by the worker processes it starts (dask-config/logging.yaml says why).
    os.environ.setdefault("DASK_CONFIG", str(Path(__file__).with_name("dask-config")))
    # A local cluster's nannies leave semaphores that Python's resource tracker cleans up at exit, with a
    # warning a user can do nothing about (dask/distributed#1078); the tracker starts with the cluster, so
    # it reads this filter from its environment.
    os.environ.setdefault("PYTHONWARNINGS", "ignore:resource_tracker:UserWarning")
    cluster = (
        {"existing": {"address": address}}
        if address
        else {"local": {"n_workers": 2, "threads_per_worker": 1}}
    )
    result = execute_job(
        reconstructable(dask_documents_job),
        instance=instance,
        raise_on_error=False,
        run_config={
            "execution": {"config": {"cluster": cluster}},
            "ops": {"plan_documents": {"config": {"rebuild_all": rebuild_all}}},
            **_quiet(),
        },
    )
    if not result.success:
        _report_failure(result)
    return result.success


def build(
    root: Path,
    full: bool = False,
    executor: str = "local",
    workers: int | None = None,
    strict: bool = False,
    full_check: bool = False,
    dask_address: str | None = None,
) -> int:
    """Build the papers whose inputs changed (all in one run), then the corpus tables and the package.

    A paper whose own checks fail is left out (its last good version kept) and the others are published;
    the exit status is then 1, as it is for any failure. With ``strict`` nothing is published when any
    paper fails. When nothing changed since the last build, this returns before Dagster is imported."""
    started = time.perf_counter()
    os.environ["DATASET_ROOT"] = str(root)
    inputs = CorpusInputs.scan(root)
    count = len(inputs.documents)
    state = BuildState.load(root)
    if not (full or full_check) and is_up_to_date(inputs, state):
        failing = len(state.left_out)
        if failing:
            print(
                f"documents: 0 of {count} to (re)build, {count - failing} up to date, {failing} left out "
                "(unchanged since they failed; fix them and build again)"
            )
        else:
            print(f"documents: 0 of {count} to (re)build, {count} up to date; the package is up to date")
        if state.left_out:
            _report_left_out(state.left_out, set(state.kept_previous))
            return 1
        return 0

    # Memory goes back to the system soon after a table is written, not kept by the allocators of Arrow
    # and polars (jemalloc) for reuse: the package step's peak is then the tables, not their copies.
    # jemalloc's own thread returns it half a second after it is freed (at once, on the thread that
    # freed it, cost a one-paper edit of 300 papers a twentieth of its time). One arena for all of polars'
    # threads (one per thread kept about 15 MiB more at the peak of a 300-paper build, no faster).
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    os.environ.setdefault(
        "_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:500,muzzy_decay_ms:0,narenas:1"
    )
    from pipeline.orchestration.workers import HeadStart

    workers = workers or os.cpu_count() or 1
    debug = bool(os.environ.get(DEBUG_ENV))
    todo = list(inputs.fingerprints) if full else changed_documents(inputs)
    # The changed papers build on the other cores while this process imports Dagster and starts the run;
    # a process that has imported Dagster already (the tests') would only pay for the workers' imports.
    head_start = (
        HeadStart.begin(inputs, todo, workers)
        if todo and executor == "local" and workers > 1 and not debug and "dagster" not in sys.modules
        else None
    )
    with head_start or contextlib.nullcontext():
        # Importing Dagster and the pipeline makes hundreds of thousands of objects that live as long as
        # the process: with fewer collections while they are made, and kept out of the collector's walks
        # after, a run spends about a tenth less time.
        gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
        from dagster import DagsterInstance

        from pipeline.orchestration import batch, definitions

        gc.freeze()
        if (root / ".dagster_home" / "history" / "runs.db").exists():
            fail_interrupted_runs(root)
        if debug and not full:  # with the papers whose last build failed
            todo = batch.stale_documents(inputs)
        print(f"documents: {len(todo)} of {count} to (re)build, {count - len(todo)} up to date")
        if todo and len(todo) <= 10:
            print("  rebuilding: " + ", ".join(todo))
        if (
            executor == "dask"
            and todo
            and not _run_dask_documents(root, dagster_instance(root), full, dask_address)
        ):
            return 1
        config = {
            "workers": workers,
            "rebuild_all": full and executor != "dask",
            "full_check": full_check,
            "strict": strict,
        }
        # Imported for the first time, the module built its definitions for DATASET_ROOT, set above.
        reuse = root.resolve() == definitions.DEFS_ROOT
        result = (
            (definitions.defs if reuse else definitions.build_definitions(root))
            .resolve_job_def("package_job")
            .execute_in_process(
                instance=DagsterInstance.ephemeral(),
                raise_on_error=False,
                run_config={
                    "ops": {"papers": {"config": config}},
                    **_quiet(),
                },
                resources={definitions.CORPUS_INPUTS: inputs, definitions.HEAD_START: head_start},
            )
        )
    if not result.success:
        return _report_failure(result)
    selection = result.output_for_node("papers")
    left_out = {i: [str(p) for p in found] for i, found in selection.left_out.items()}
    BuildState(inputs.package, descriptor_digest(root), left_out, sorted(selection.kept_previous)).save(root)
    elapsed = time.perf_counter() - started
    print(f"built the package from {len(selection.published)} document(s) in {elapsed:.1f} s")
    if left_out:
        _report_left_out(left_out, selection.kept_previous)
        return 1
    return 0


def _user_error(error):
    """The error our code raised, under Dagster's wrappers (not the low-level cause it chained)."""
    while error.cause is not None and (error.cls_name or "").startswith("Dagster"):
        error = error.cause
    return error


def _report_failure(result) -> int:
    mixed = False
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            if os.environ.get(DEBUG_ENV):
                print(error.to_string(), file=sys.stderr)
            mixed = mixed or _user_error(error).cls_name == "PackageMixedError"
            message = _user_error(error).message.strip()
            message = message.split(": ", 1)[1] if message.startswith("pipeline.") else message
            print(f"error in {event.step_key}: {message}", file=sys.stderr)
    for check in result.get_asset_check_evaluations():
        if not check.passed:
            print(
                f"check failed: {check.asset_key.to_user_string()}.{check.check_name}: {check.description}",
                file=sys.stderr,
            )
    if mixed:
        print("the run failed and left the package half swapped (see above)", file=sys.stderr)
    else:
        print("the run failed; the previous package was left unchanged", file=sys.stderr)
    return 1


def fail_interrupted_runs(root: Path) -> None:
    """Mark the Dagster runs a killed build left unfinished as failed.

    Only call it holding the package lock: no other build of this folder is running then, so every run
    still STARTED (or never started) in its history was interrupted. Runs launched from Dagster's UI on
    the same folder are not covered by the lock; do not build from the UI and the CLI at once."""
    from dagster import DagsterRunStatus, RunsFilter

    instance = dagster_instance(root)
    unfinished = [
        DagsterRunStatus.NOT_STARTED,
        DagsterRunStatus.STARTING,
        DagsterRunStatus.STARTED,
        DagsterRunStatus.CANCELING,
    ]
    for run in instance.get_runs(filters=RunsFilter(statuses=unfinished)):
        instance.report_run_failed(run, "interrupted: the build that ran it was killed")
        print(f"marked the interrupted Dagster run {run.run_id} ({run.job_name}) as failed")
