"""Command line: build the package through Dagster, validate it, and (re)generate the docs."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pipeline.definitions import build_definitions, project_root


def dagster_instance(root: Path):
    """A persistent, project-local Dagster instance (telemetry off), so re-runs can skip fresh documents."""
    from dagster import DagsterInstance

    home = root / ".dagster_home"
    home.mkdir(exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return DagsterInstance.get()


QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def stale_documents(instance, defs, root: Path, document_ids: list[str]) -> list[str]:
    """Documents whose per-document assets were never built or were built from other inputs."""
    from dagster import AssetKey, AssetRecordsFilter

    from pipeline import stages

    paths = stages.ProjectPaths(root)
    asset_keys = [key for key in defs.resolve_job_def("documents_job").asset_layer.executable_asset_keys]
    stale = []
    for document_id in document_ids:
        expected = stages.input_fingerprint(paths, document_id)
        for key in asset_keys:
            records = instance.fetch_materializations(
                AssetRecordsFilter(asset_key=AssetKey(key.path), asset_partitions=[document_id]), limit=1
            ).records
            metadata = records[0].asset_materialization.metadata if records else {}
            recorded = metadata.get(stages.FINGERPRINT_KEY)
            if recorded is None or recorded.value != expected:
                stale.append(document_id)
                break
    return stale


def _run_document(job, instance, document_id: str, executor: str):
    """Materialise one document partition in-process, or with the multiprocess executor."""
    if executor == "in_process":
        return job.execute_in_process(
            partition_key=document_id, instance=instance, raise_on_error=False, run_config=QUIET
        )
    from dagster import execute_job, reconstructable

    from pipeline.definitions import multiprocess_documents_job

    return execute_job(
        reconstructable(multiprocess_documents_job),
        instance=instance,
        tags={"dagster/partition": document_id},
        raise_on_error=False,
        run_config=QUIET,
    )


def build(root: Path, full: bool = False, executor: str = "in_process") -> int:
    """Materialise the document partitions whose inputs changed, then the corpus tables and the package."""
    started = time.perf_counter()
    os.environ["DATASET_ROOT"] = str(root)
    instance = dagster_instance(root)
    defs = build_definitions(root)
    job = defs.resolve_job_def("documents_job")
    document_ids = job.partitions_def.get_partition_keys()
    todo = document_ids if full else stale_documents(instance, defs, root, document_ids)
    print(
        f"documents: {len(todo)} of {len(document_ids)} to (re)build, "
        f"{len(document_ids) - len(todo)} up to date"
    )
    if todo and len(todo) <= 10:
        print("  rebuilding: " + ", ".join(todo))
    for document_id in todo:
        result = _run_document(job, instance, document_id, executor)
        if not result.success:
            return _report_failure(result)
    result = defs.resolve_job_def("package_job").execute_in_process(
        instance=instance, raise_on_error=False, run_config=QUIET
    )
    if not result.success:
        return _report_failure(result)
    print(f"built the package from {len(document_ids)} document(s) in {time.perf_counter() - started:.1f} s")
    return 0


def _report_failure(result) -> int:
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            while error.cause is not None:
                error = error.cause
            print(f"error in {event.step_key}: {error.message.strip()}", file=sys.stderr)
    for check in result.get_asset_check_evaluations():
        if not check.passed:
            print(
                f"check failed: {check.asset_key.to_user_string()}.{check.check_name}: {check.description}",
                file=sys.stderr,
            )
    print("the run failed; the previous package was left unchanged", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="papers-dataset", description=__doc__)
    parser.add_argument("--root", type=Path, default=None, help="corpus folder (default: this repository)")
    sub = parser.add_subparsers(dest="command", required=True)
    build_parser = sub.add_parser(
        "build", help="run the pipeline (changed documents only) and publish the package"
    )
    build_parser.add_argument("--full", action="store_true", help="rebuild every document, changed or not")
    build_parser.add_argument(
        "--executor",
        choices=["in_process", "multiprocess"],
        default="in_process",
        help="multiprocess runs each step of a document in its own process (the route to cluster executors)",
    )
    args = parser.parse_args(argv)
    root = (args.root or project_root()).resolve()
    if args.command == "build":
        return build(root, full=args.full, executor=args.executor)
    return 2


if __name__ == "__main__":
    sys.exit(main())
