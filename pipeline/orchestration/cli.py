"""Command line: build the package through Dagster, validate it, and (re)generate the docs."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.orchestration.fingerprints import BuildState, CorpusInputs, descriptor_digest, is_up_to_date

# Dagster, polars and the extractors are imported only once a build has something to do.


def project_root() -> Path:
    """The folder with raw/, corrections/ and the package; DATASET_ROOT overrides it (tests, benchmarks)."""
    from pipeline.paths import REPO_ROOT

    return Path(os.environ.get("DATASET_ROOT", REPO_ROOT)).resolve()


def dagster_instance(root: Path):
    """A persistent, project-local Dagster instance (telemetry off), which runs over several processes need.

    Local builds run on an ephemeral instance instead: the SQLite event log of ~30 steps cost more than
    the papers' own work, and the build's state is its fingerprints (`fingerprints`), not Dagster's runs.
    """
    from dagster import DagsterInstance

    home = root / ".dagster_home"
    home.mkdir(exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return DagsterInstance.get()


QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


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


def _run_dask_documents(root: Path, instance, rebuild_all: bool, address: str | None) -> bool:
    """Build the changed papers on a Dask cluster: the scheduler at ``address``, or a local cluster of 2."""
    from dagster import execute_job, reconstructable

    from pipeline.orchestration.definitions import dask_documents_job

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
            **QUIET,
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
    paper fails. When nothing changed since the last build, this returns before Dagster is imported.
    """
    started = time.perf_counter()
    os.environ["DATASET_ROOT"] = str(root)
    inputs = CorpusInputs.scan(root)
    count = len(inputs.documents)
    state = BuildState.load(root)
    if not (full or full_check) and is_up_to_date(inputs, state):
        print(f"documents: 0 of {count} to (re)build, {count} up to date; the package is up to date")
        if state.left_out:
            _report_left_out(state.left_out, set(state.kept_previous))
            return 1
        return 0

    # Memory goes back to the system as soon as a table is written, not kept by the allocators of Arrow
    # and polars (jemalloc) for reuse: the package step's peak is then the tables, not their copies.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
    from dagster import DagsterInstance

    from pipeline.orchestration import batch
    from pipeline.orchestration.definitions import build_definitions

    todo = list(inputs.fingerprints) if full else batch.stale_documents(inputs, batch.DocumentStore(root))
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
        "workers": workers or os.cpu_count() or 1,
        "rebuild_all": full and executor != "dask",
        "full_check": full_check,
        "strict": strict,
    }
    result = (
        build_definitions(root)
        .resolve_job_def("package_job")
        .execute_in_process(
            instance=DagsterInstance.ephemeral(),
            raise_on_error=False,
            run_config={"ops": {"papers": {"config": config}}, **QUIET},
        )
    )
    if not result.success:
        return _report_failure(result)
    selection = result.output_for_node("papers")
    left_out = {i: [str(p) for p in found] for i, found in selection.left_out.items()}
    BuildState(inputs.package, descriptor_digest(root), left_out, sorted(selection.kept_previous)).save(root)
    elapsed = time.perf_counter() - started
    print(f"built the package from {len(selection.results)} document(s) in {elapsed:.1f} s")
    if left_out:
        _report_left_out(left_out, selection.kept_previous)
        return 1
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


def last_release_reference(root: Path) -> str:
    """The newest git tag v*, or HEAD: the package as last committed is the last release."""
    tags = subprocess.run(
        ["git", "tag", "--list", "v*", "--sort=-v:refname"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return tags[0] if tags else "HEAD"


def export_package(root: Path, reference: str, target: Path) -> Path:
    """Unpack the package files of a git revision into ``target``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", reference, "--", "datapackage.json", "data", "text"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def changelog(root: Path, since: str | None, date: str) -> int:
    """Compare the package with the last release and write the CHANGELOG entry for dataset.yaml's version."""
    from pipeline.package.changelog import next_version, write_changelog
    from pipeline.package.publish import DatasetMetadata

    version = DatasetMetadata.load(root / "dataset.yaml").version
    with tempfile.TemporaryDirectory() as scratch:
        if since and Path(since).exists():
            old = Path(since)
        else:
            reference = since or last_release_reference(root)
            old = export_package(root, reference, Path(scratch))
            print(f"comparing with the package at {reference}")
        bump, entry = write_changelog(old, root, root / "CHANGELOG.md", version, date)
    print(entry)
    print(
        f"suggested bump: {bump}"
        + (f" (from the last release: {next_version(version, bump)})" if bump != "none" else "")
    )
    return 0


def release(root: Path, out: Path | None) -> int:
    """Write CITATION.cff and .zenodo.json, then build the reproducible, validated release zip."""
    from pipeline.package.release import build_release, default_release_path, write_root_metadata

    write_root_metadata(root)
    path = build_release(root, out or default_release_path(root))
    print(f"release: {path} ({path.stat().st_size} bytes)")
    return 0


def zenodo(root: Path, zip_path: Path | None, dry_run: bool, publish: bool, sandbox: bool) -> int:
    """Upload the release zip to a new Zenodo deposition (token from ZENODO_TOKEN); --dry-run only prints."""
    from pipeline.package.release import (
        default_release_path,
        load_dataset_meta,
        read_documents,
        zenodo_metadata,
    )
    from pipeline.package.zenodo import SANDBOX_API, ZENODO_API, upload

    metadata = zenodo_metadata(load_dataset_meta(root), read_documents(root))
    upload(
        zip_path or default_release_path(root),
        metadata,
        os.environ.get("ZENODO_TOKEN"),
        dry_run=dry_run,
        base_url=SANDBOX_API if sandbox else ZENODO_API,
        publish=publish,
    )
    return 0


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
        choices=["local", "dask"],
        default="local",
        help="local: changed papers over a pool of processes on this machine; dask: one step per changed "
        "paper on a Dask cluster through dagster-dask (--dask-address, default a local cluster of 2)",
    )
    build_parser.add_argument("--workers", type=int, help="worker processes for local (default: CPU count)")
    build_parser.add_argument("--dask-address", help="scheduler address of an existing Dask cluster")
    build_parser.add_argument(
        "--strict", action="store_true", help="publish nothing and fail if any paper fails its checks (CI)"
    )
    build_parser.add_argument(
        "--full-check",
        action="store_true",
        help="check every row with pandera and validate every resource with frictionless, changed or not",
    )
    log_parser = sub.add_parser("changelog", help="write the CHANGELOG entry against the last release")
    log_parser.add_argument(
        "--since", help="git revision, release zip or package folder (default: last v* tag)"
    )
    log_parser.add_argument("--date", default=dt.date.today().isoformat(), help="release date for the entry")
    release_parser = sub.add_parser("release", help="build the Zenodo-ready release zip (dist/)")
    release_parser.add_argument("--out", type=Path, help="zip path (default: dist/<name>-<version>.zip)")
    zenodo_parser = sub.add_parser("zenodo", help="upload the release to Zenodo (ZENODO_TOKEN)")
    zenodo_parser.add_argument("--zip", type=Path, help="release zip (default: dist/<name>-<version>.zip)")
    zenodo_parser.add_argument(
        "--dry-run", action="store_true", help="print the requests, connect to nothing"
    )
    zenodo_parser.add_argument("--publish", action="store_true", help="publish the deposition after upload")
    zenodo_parser.add_argument("--sandbox", action="store_true", help="use sandbox.zenodo.org")
    args = parser.parse_args(argv)
    root = (args.root or project_root()).resolve()
    try:
        if args.command == "build":
            return build(
                root,
                full=args.full,
                executor=args.executor,
                workers=args.workers,
                strict=args.strict,
                full_check=args.full_check,
                dask_address=args.dask_address,
            )
        if args.command == "changelog":
            return changelog(root, args.since, args.date)
        if args.command == "release":
            return release(root, args.out)
        return zenodo(root, args.zip, args.dry_run, args.publish, args.sandbox)
    except (ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
