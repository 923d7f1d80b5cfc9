"""The ``papers-dataset`` command line: its parsers and errors, and the commands besides ``build`` (whose
run is `orchestration.cli.build`): checking the package, the changelog and the release, Zenodo, curating
the authority file, and the reference parser. Each imports what it needs when it runs, so that
``papers-dataset`` starts fast."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import NoReturn


def check(root: Path) -> int:
    """Verify the package on disk: descriptor, sizes, hashes, types, keys and foreign keys of every
    resource, and each Parquet file against its CSV twin. 0 when valid, 1 with the errors otherwise."""
    from pipeline.package.release import package_files
    from pipeline.package.validation import validate_staged_package

    descriptor = root / "datapackage.json"
    if not descriptor.is_file():
        print(f"error: {descriptor}: not found; build the package first (./run.sh)", file=sys.stderr)
        return 1
    # A file the package lists that is a link, or lies outside the package, is named as such first.
    package_files(root, json.loads(descriptor.read_text(encoding="utf-8")))
    errors = validate_staged_package(descriptor)
    if errors:
        for line in errors[:50]:
            print(f"  {line}", file=sys.stderr)
        more = f" (and {len(errors) - 50} more)" if len(errors) > 50 else ""
        print(
            f"error: the package in {root} is not valid{more}; rebuild it with `papers-dataset build --full` "
            "(./run.sh --full)",
            file=sys.stderr,
        )
        return 1
    print(f"{descriptor}: valid (descriptor, sizes, hashes, types, keys, foreign keys, Parquet twins)")
    return 0


def changelog(root: Path, since: str | None) -> int:
    """Regenerate the [Unreleased] CHANGELOG entry from the difference with the last release."""
    from pipeline.package.changelog import last_release_package, write_changelog
    from pipeline.package.package_diff import next_version, suggest_bump
    from pipeline.package.publish import DatasetMetadata

    version = DatasetMetadata.load(root / "dataset.yaml").version
    with tempfile.TemporaryDirectory() as scratch:
        old, label = last_release_package(root, since, Path(scratch))
        print(f"comparing with the package at {label}")
        diff, entry = write_changelog(old, root, root / "CHANGELOG.md")
    if entry is None:
        print("no changes since the last release; no [Unreleased] entry in CHANGELOG.md")
        return 0
    print(entry)
    bump = suggest_bump(diff)
    suggested = next_version(diff.old_version or version, bump)
    print(f"suggested bump: {bump} (from {diff.old_version}: {suggested}); dataset.yaml says {version}")
    return 0


def release(root: Path, out: Path | None, since: str | None, date: str) -> int:
    """Move the [Unreleased] entry under the version and date, write CITATION.cff and .zenodo.json, and
    build the reproducible, validated release zip. Re-running it for a released version only rebuilds
    the zip, and only when the package still equals that release."""
    from pipeline.package.changelog import Changelog, last_release_package, release_history, save_changelog
    from pipeline.package.database import build_release_database
    from pipeline.package.package_diff import diff_packages
    from pipeline.package.publish import DatasetMetadata
    from pipeline.package.release import build_release, default_release_path, write_root_metadata

    version = DatasetMetadata.load(root / "dataset.yaml").version
    history = Changelog.read(root / "CHANGELOG.md")
    with tempfile.TemporaryDirectory() as scratch:
        old, label = last_release_package(root, since, Path(scratch))
        diff = diff_packages(old, root)
    history, is_new = release_history(history, diff, version, date, label)
    if not is_new:
        print(f"version {version} is already released and the package is that release; rebuilding its zip")
    path = build_release(root, out or default_release_path(root), changelog_text=history.text)
    write_root_metadata(root)
    if save_changelog(root / "CHANGELOG.md", history):
        print(f"CHANGELOG.md: the [Unreleased] entry is now [{version}] - {date}")
    print(f"release: {path} ({path.stat().st_size} bytes)")
    database = build_release_database(root, path)
    print(f"database: {database} ({database.stat().st_size} bytes)")
    print(f"next: commit CHANGELOG.md and the package, then `git tag v{version}`")
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


def authority_suggest(root: Path, out: Path) -> int:
    """Draft authority entries for the persons all papers name but the authority lacks (a YAML to review)."""
    import polars as pl

    from pipeline.extract import paper_stages
    from pipeline.extract.authority_tools import draft_yaml, suggest_entries
    from pipeline.orchestration import stages
    from pipeline.text.ingest import discover_documents

    paths = stages.ProjectPaths(root)
    authority = stages.load_authority(paths)
    documents = discover_documents(paths.raw)
    corrections = stages.load_corrections(paths, list(documents))
    unlinked, texts = [], {}
    for document_id, entry in sorted(documents.items()):
        cleaned = stages.clean(stages.load_source(paths, document_id, entry, corrections))
        unlinked.append(paper_stages.document_mentions(cleaned, authority)["unlinked_names"])
        texts[document_id] = cleaned.text
    entries, unresolved = suggest_entries(pl.concat(unlinked, how="vertical"), texts, authority)
    out.write_text(draft_yaml(entries, unresolved), encoding="utf-8")
    print(
        f"{len(entries)} proposed person entries and {len(unresolved)} unresolved surnames from "
        f"{len(texts)} paper(s) written to {out}"
    )
    return 0


def authority_reconcile(draft: Path, out: Path | None, timeout: float) -> int:
    """Look the draft's entries up in Wikidata's search API and add proposed QIDs with their evidence."""
    import yaml

    from pipeline.extract.authority_tools import draft_yaml
    from pipeline.extract.wikidata import reconcile_entries, search_wikidata

    data = yaml.safe_load(draft.read_text(encoding="utf-8")) or {}
    entries = data.get("entities") or []
    counts = reconcile_entries(entries, lambda name: search_wikidata(name, timeout))
    (out or draft).write_text(draft_yaml(entries, data.get("unresolved_surnames")), encoding="utf-8")
    print(", ".join(f"{key} {value}" for key, value in counts.items()) + f" -> {out or draft}")
    if counts["failed"]:
        first = next(
            e["proposal"]["wikidata_error"] for e in entries if e.get("proposal", {}).get("wikidata_error")
        )
        print(
            f"error: {counts['failed']} look-up(s) failed ({first}); the draft keeps the reason in each "
            "entry's proposal.wikidata_error. Check the connection and run `authority reconcile` again",
            file=sys.stderr,
        )
        return 1
    return 0


def references(root: Path, args: argparse.Namespace) -> int:
    """The references sub-commands: train (writes the model and its JSON), parse (JSON lines or CSL-JSON)."""
    from pipeline.extract import reference_model, reference_parse, reference_training

    if args.references_command == "train":
        data = args.data or root.parent / "shared" / "training" / "references"
        info = reference_training.train_and_ship(data, args.out or reference_model.MODEL_DIR, args.limit)
        micro = info["dev_split"]["model"]["micro"]
        print(f"trained on {info['training_references']} references; held-out model micro F1 {micro['f1']}")
        return 0
    if args.file == "-":
        lines = sys.stdin.read().splitlines()
    else:
        lines = Path(args.file).read_text(encoding="utf-8").splitlines()
    reference_parse.load_reader()
    for chunk in reference_parse.render(lines, args.format):
        print(chunk)
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The sub-commands, on the ``papers-dataset`` parser."""
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
    sub.add_parser("check", help="verify the package on disk (descriptor, hashes, sizes, foreign keys)")
    log_parser = sub.add_parser("changelog", help="write the CHANGELOG entry against the last release")
    log_parser.add_argument(
        "--since", help="git revision, release zip or package folder (default: last v* tag, else HEAD)"
    )
    release_parser = sub.add_parser(
        "release", help="date the [Unreleased] changelog entry and build the Zenodo-ready release zip (dist/)"
    )
    release_parser.add_argument("--out", type=Path, help="zip path (default: dist/<name>-<version>.zip)")
    release_parser.add_argument(
        "--since", help="git revision, release zip or package folder (default: last v* tag, else HEAD)"
    )
    release_parser.add_argument("--date", default=dt.date.today().isoformat(), help="release date (ISO)")
    database_parser = sub.add_parser("database", help="write the package as a DuckDB database with its keys")
    database_parser.add_argument("--out", type=Path, help="file (default: dist/<name>-<version>.duckdb)")
    site_parser = sub.add_parser("site", help="write the static reader site (index and a page per paper)")
    site_parser.add_argument("out", type=Path, help="folder to write the site into")
    zenodo_parser = sub.add_parser("zenodo", help="upload the release to Zenodo (ZENODO_TOKEN)")
    zenodo_parser.add_argument("--zip", type=Path, help="release zip (default: dist/<name>-<version>.zip)")
    zenodo_parser.add_argument(
        "--dry-run", action="store_true", help="print the requests, connect to nothing"
    )
    zenodo_parser.add_argument("--publish", action="store_true", help="publish the deposition after upload")
    zenodo_parser.add_argument("--sandbox", action="store_true", help="use sandbox.zenodo.org")
    authority_parser = sub.add_parser("authority", help="curate the authority file from the papers")
    authority_sub = authority_parser.add_subparsers(dest="authority_command", required=True)
    suggest_parser = authority_sub.add_parser("suggest", help="draft entries for unlinked persons (YAML)")
    suggest_parser.add_argument("--out", type=Path, default=Path("authority-draft.yaml"), help="draft file")
    reconcile_parser = authority_sub.add_parser("reconcile", help="propose Wikidata QIDs for a draft")
    reconcile_parser.add_argument("draft", type=Path, help="draft written by `authority suggest`")
    reconcile_parser.add_argument("--out", type=Path, help="write here instead of updating the draft")
    reconcile_parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
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


def dispatch(root: Path, args: argparse.Namespace) -> int:
    """Run the sub-command ``args`` names; its exit status."""
    if args.command == "build":
        from pipeline.orchestration.cli import build
        from pipeline.package.swap import package_lock

        with package_lock(root):
            options = ("full", "executor", "workers", "strict", "full_check", "dask_address")
            return build(root, **{name: getattr(args, name) for name in options})
    if args.command == "check":
        return check(root)
    if args.command in ("changelog", "release") and check(root) != 0:
        return 1
    if args.command == "changelog":
        return changelog(root, args.since)
    if args.command == "authority" and args.authority_command == "suggest":
        return authority_suggest(root, args.out)
    if args.command == "authority":
        return authority_reconcile(args.draft, args.out, args.timeout)
    if args.command == "references":
        return references(root, args)
    if args.command == "release":
        return release(root, args.out, args.since, args.date)
    if args.command == "database":
        from pipeline.package.database import database_command

        return database_command(root, args.out)
    if args.command == "site":
        from pipeline.package.site import site_command

        return site_command(root, args.out)
    return zenodo(root, args.zip, args.dry_run, args.publish, args.sandbox)


def _one_error(exc: BaseException) -> str:
    """An error as the user should read it: our own errors say file, place and what to do; others get
    their type and a pointer to --debug."""
    if type(exc).__module__.startswith("pipeline."):
        return str(exc)
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc} (run with --debug for the traceback)"
    return f"{type(exc).__name__}: {exc} (run with --debug for the traceback)"


def main(argv: list[str] | None = None) -> int:
    from pipeline.orchestration.fingerprints import DEBUG_ENV
    from pipeline.paths import REPO_ROOT

    parser = argparse.ArgumentParser(prog="papers-dataset", description=__doc__)
    parser.add_argument("--root", type=Path, default=None, help="corpus folder (default: this repository)")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    root = (args.root or Path(os.environ.get("DATASET_ROOT", REPO_ROOT))).resolve()
    if args.debug:
        os.environ[DEBUG_ENV] = "1"
    try:
        return dispatch(root, args)
    except Exception as exc:
        if args.debug:
            raise
        print(f"error: {_one_error(exc)}", file=sys.stderr)
        return 1


def run() -> NoReturn:
    """The ``papers-dataset`` command: `main`, then out without the interpreter's teardown.

    A build imports Dagster, polars and the pipeline; taking their objects apart at exit costs a build
    about 0.15 s (a twentieth of a one-paper edit of a 300-paper corpus) and changes nothing, as by then
    every file is written and closed and every worker process has ended.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
