"""One store per paper: each paper's build is a folder of Arrow files, one per kind of rows.

``.dagster_home/papers/<document_id>/<fingerprint>/`` holds the build of a paper from the inputs with
that fingerprint: an Arrow IPC file per kind of rows (`paper_frames`: the paper's own tables' rows, the
rows the corpus stages combine, the rows its own checks read, the works its citations describe), its
cleaned text (``text.txt``) and ``paper.json`` (its problems, the text corrections applied to it, whether
its text is published). The worker that builds the paper writes the folder under a scratch name and renames
it: a folder with a fingerprint's name is a whole build. ``accepted`` beside the builds names the build
that passed every check (`accept`), the paper's last good version: a later build that fails keeps its
folder with its problems (`reject`), so that the same inputs are not built again, and the accepted one
stays what the package publishes. Nothing else is kept: a table is one read of the accepted builds' files
of its kind, in paper order (`Builds.kind`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.extract import works
from pipeline.orchestration import stages
from pipeline.orchestration.fingerprints import PAPER_STORE
from pipeline.package import corrections as fixes
from pipeline.text.documents import publishes_full_text

FORMAT = "paper-build-1"
ACCEPTED = "accepted"
RECORD = "paper.json"
TEXT = "text.txt"
# The kinds that hold a paper's citations and works as they come out for the paper alone: only its own
# checks read them (the corpus stages merge the works of all papers from ``cited_works``).
CHECKED = {"citations": "checked-citations", "works": "checked-works"}
CITED_WORKS = "cited_works"
# Arrow files are not compressed: a table's step reads every paper's file of a kind (a one-paper edit of 300
# papers reads them all), and reading LZ4-compressed files cost it a third more CPU (1.2 s against 0.8 s)
# for about half the disk space.
COMPRESSION = "uncompressed"


def paper_frames(result: stages.DocumentResult) -> dict[str, pl.DataFrame]:
    """One paper's rows by kind: its own tables' rows, what the corpus stages make the other tables from,
    the rows its own checks read, and the works its citations describe (one row per citation)."""
    return {
        **result.own_tables(),
        "citations": result.citations,
        "claims": result.claims["claims"],
        "claim_footnotes": result.claims["claim_footnotes"],
        **{CHECKED[name]: frame for name, frame in result.bibliography_alone.items()},
        CITED_WORKS: works.cited_works_frame(result.cited_works),
    }


def _folder(root: Path, document_id: str) -> Path:
    return root / PAPER_STORE / document_id


def write_build(root: Path, outcome: stages.DocumentOutcome, fingerprint: str) -> None:
    """Write a paper's build as its folder (the worker's last step): under a scratch name, then renamed.
    A build whose own checks failed keeps only its record, with the problems."""
    folder = _folder(root, outcome.document_id)
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=folder))
    result = outcome.result
    record: dict[str, Any] = {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "problems": [[p.check, p.message] for p in outcome.problems],
    }
    if result is not None and not outcome.problems:
        for kind, frame in paper_frames(result).items():
            frame.write_ipc(scratch / f"{kind}.arrow", compression=COMPRESSION)
        (scratch / TEXT).write_text(result.cleaned.text, encoding="utf-8")
        record["hidden"] = not publishes_full_text(result.source.document.metadata)
        record["applied"] = [
            {k: v for k, v in dataclasses.asdict(a).items() if k != "correction"} | {"id": a.correction.id}
            for a in result.source.applied
        ]
    (scratch / RECORD).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    target = folder / fingerprint
    if target.exists():  # built again from the same inputs (build --full)
        old = Path(tempfile.mkdtemp(prefix=".old-", dir=folder))
        os.replace(target, old / "build")
        shutil.rmtree(old, ignore_errors=True)
    os.replace(scratch, target)


def record(root: Path, document_id: str, fingerprint: str) -> dict[str, Any] | None:
    """A build's record (`write_build`), or None when there is no whole build of these inputs, or one
    written by code that no longer reads it."""
    try:
        found = json.loads((_folder(root, document_id) / fingerprint / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if found.get("format") == FORMAT else None


def problems(found: dict[str, Any], document_id: str) -> list[stages.DocumentProblem]:
    return [stages.DocumentProblem(document_id, check, message) for check, message in found["problems"]]


def accepted(root: Path, document_id: str) -> str | None:
    """The fingerprint of the paper's last good build, if it is still there."""
    try:
        fingerprint = (_folder(root, document_id) / ACCEPTED).read_text(encoding="utf-8")
    except OSError:
        return None
    return fingerprint if record(root, document_id, fingerprint) is not None else None


def accept(root: Path, document_id: str, fingerprint: str) -> None:
    """The build passed every check: it is now the paper's last good version; the others go."""
    folder = _folder(root, document_id)
    scratch = folder / f".{ACCEPTED}.{os.getpid()}.tmp"
    scratch.write_text(fingerprint, encoding="utf-8")
    os.replace(scratch, folder / ACCEPTED)
    _prune(folder, {fingerprint})


def reject(
    root: Path, document_id: str, fingerprint: str, found: list[stages.DocumentProblem]
) -> dict[str, Any]:
    """The build failed the checks of its rows: its record keeps the problems (so that the same inputs are
    not built again), its rows go, and the last good version stays. Its record."""
    folder = _folder(root, document_id)
    keep = {fingerprint, *filter(None, [accepted(root, document_id)])}
    build = folder / fingerprint
    kept = record(root, document_id, fingerprint) or {"format": FORMAT, "fingerprint": fingerprint}
    kept["problems"] = [*kept.get("problems", []), *([p.check, p.message] for p in found)]
    for path in build.iterdir():
        path.unlink()
    (build / RECORD).write_text(json.dumps(kept, sort_keys=True), encoding="utf-8")
    _prune(folder, keep)
    return kept


def forget_others(root: Path, document_ids: Iterable[str]) -> None:
    """Remove the builds of papers no longer in the corpus (their raw/ entry is gone)."""
    keep = set(document_ids)
    folder = root / PAPER_STORE
    for path in folder.iterdir() if folder.is_dir() else ():
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _prune(folder: Path, keep: set[str]) -> None:
    for path in folder.iterdir():
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


@dataclass(frozen=True)
class Builds:
    """The builds of a set of papers (paper -> fingerprint), read kind by kind in paper order."""

    root: Path
    fingerprints: dict[str, str]

    def _paths(self, name: str) -> list[str]:
        base = str(self.root / PAPER_STORE)
        return [f"{base}/{i}/{self.fingerprints[i]}/{name}" for i in sorted(self.fingerprints)]

    def kind(self, kind: str, tagged: str | None = None) -> pl.DataFrame:
        """Every paper's rows of this kind, in paper order (with ``tagged``, each row's paper in that
        column): one scan of the papers' files, or, where their columns differ (a column no paper of the
        first filled, say), each file read and the frames stacked as `polars.concat` relaxes them."""
        papers = sorted(self.fingerprints)
        paths = self._paths(f"{kind}.arrow")
        if not paths:
            return pl.DataFrame(schema={tagged: pl.String} if tagged else {})
        try:
            frame = pl.scan_ipc(paths, include_file_paths=tagged).collect()
        except (pl.exceptions.SchemaError, pl.exceptions.ColumnNotFoundError):
            frames = [pl.read_ipc(path) for path in paths]
            if tagged:
                frames = [f.with_columns(pl.lit(p).alias(tagged)) for f, p in zip(frames, paths, strict=True)]
            frame = pl.concat(frames, how="diagonal_relaxed")
        if tagged:
            frame = frame.with_columns(pl.col(tagged).replace_strict(dict(zip(paths, papers, strict=True))))
        return frame

    def __getitem__(self, kind: str) -> pl.DataFrame:
        return self.kind(kind)

    def records(self) -> dict[str, dict[str, Any]]:
        paths = self._paths(RECORD)
        return {
            i: json.loads(Path(p).read_text(encoding="utf-8"))
            for i, p in zip(sorted(self.fingerprints), paths, strict=True)
        }

    def cited_works(self) -> Iterable[works.CitedWork]:
        """Every paper's cited works, in paper order: one scan of their files."""
        return works.cited_works_of(self.kind(CITED_WORKS))

    def texts(self, document_ids: Iterable[str]) -> dict[str, Path]:
        """The papers' cleaned texts: each one's file, read when the package writes it."""
        return {i: _folder(self.root, i) / self.fingerprints[i] / TEXT for i in sorted(document_ids)}


def applied_corrections(
    records: Mapping[str, dict[str, Any]], corrections: list[fixes.Correction]
) -> list[fixes.AppliedCorrection]:
    """The text corrections the papers' builds applied, in paper order, with their entries."""
    by_id = {c.id: c for c in corrections}
    return [
        fixes.AppliedCorrection(by_id[a["id"]], **{k: v for k, v in a.items() if k != "id"})
        for found in records.values()
        for a in found.get("applied", [])
    ]


PUBLISHED = "published.json"


def published(root: Path) -> dict[str, str]:
    """Paper -> the fingerprint of its build in the last package written (`mark_published`)."""
    try:
        return json.loads((root / PAPER_STORE / PUBLISHED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def mark_published(root: Path, builds: Mapping[str, str]) -> None:
    """The package now holds these builds: their rows are no longer new to its checks."""
    path = root / PAPER_STORE / PUBLISHED
    scratch = path.with_suffix(f".{os.getpid()}.tmp")
    scratch.write_text(json.dumps(dict(sorted(builds.items())), sort_keys=True), encoding="utf-8")
    os.replace(scratch, path)
