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

from pipeline.orchestration.definitions import build_definitions, project_root


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

    from pipeline.orchestration import stages

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

    from pipeline.orchestration.definitions import multiprocess_documents_job

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


def references(root: Path, args: argparse.Namespace) -> int:
    """The references sub-commands: train (writes the model and its JSON), parse (JSON lines or CSL-JSON)."""
    from pipeline.extract import reference_model, reference_parse, reference_training

    try:
        if args.references_command == "train":
            data = args.data or root.parent / "shared" / "training" / "references"
            info = reference_training.train_and_ship(data, args.out or reference_model.MODEL_DIR, args.limit)
            micro = info["dev_split"]["model"]["micro"]
            print(
                f"trained on {info['training_references']} references; held-out model micro F1 {micro['f1']}"
            )
            return 0
        if args.file == "-":
            lines = sys.stdin.read().splitlines()
        else:
            lines = Path(args.file).read_text(encoding="utf-8").splitlines()
        for chunk in reference_parse.render(lines, args.format):
            print(chunk)
        return 0
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
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
    references_parser = sub.add_parser("references", help="train the reference parser, or parse references")
    references_sub = references_parser.add_subparsers(dest="references_command", required=True)
    train_parser = references_sub.add_parser(
        "train", help="train the reference model (held-out scores, then the shipped model on all files)"
    )
    train_parser.add_argument("--data", type=Path, help="folder of anystyle-*.xml (default: ../shared/...)")
    train_parser.add_argument("--out", type=Path, help="model folder (default: models/reference-crf)")
    train_parser.add_argument("--limit", type=int, help="use only the first N references (quick runs)")
    parse_parser = references_sub.add_parser(
        "parse", help="parse one reference per line of FILE (- for stdin)"
    )
    parse_parser.add_argument("file", help="text file, one reference per line; - reads standard input")
    parse_parser.add_argument("--format", choices=["json", "csl-json"], default="json")
    args = parser.parse_args(argv)
    root = (args.root or project_root()).resolve()
    if args.command == "references":
        return references(root, args)
    try:
        if args.command == "build":
            return build(root, full=args.full, executor=args.executor)
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
