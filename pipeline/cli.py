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


def build(root: Path) -> int:
    """Materialise every document partition, then the corpus tables and the package."""
    started = time.perf_counter()
    instance = dagster_instance(root)
    defs = build_definitions(root)
    document_ids = defs.resolve_job_def("documents_job").partitions_def.get_partition_keys()
    for document_id in document_ids:
        result = defs.resolve_job_def("documents_job").execute_in_process(
            partition_key=document_id, instance=instance, raise_on_error=False, run_config=QUIET
        )
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
    sub.add_parser("build", help="run the whole pipeline and publish the package")
    args = parser.parse_args(argv)
    root = (args.root or project_root()).resolve()
    if args.command == "build":
        return build(root)
    return 2


if __name__ == "__main__":
    sys.exit(main())
