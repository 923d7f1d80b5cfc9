"""The papers' rows stacked by kind, and kept from one build to the next.

Combining a corpus means concatenating every paper's frames kind by kind (paragraphs, citations, mentions,
...). ``PaperRows`` holds that concatenation, each row tagged with its paper, plus what each paper
contributes besides frames (its text, the works its citations describe, the text corrections applied).
The papers' own checks read the stacked rows, and the corpus step makes the tables from them.

The corpus step saves them in ``.dagster_home/paper-rows/``: parts (Arrow IPC, one file per kind) and a
manifest naming the papers each part holds, with the identity of each paper's build (its input
fingerprint, which covers the code). A build writes one more part with the rows of the papers it built,
and all rows as one part again once there would be more than MAX_PARTS. The next build reads back the rows
of every paper whose build is the same, and stacks only the papers built since: a one-paper edit neither
reads every paper's stored outcome nor writes every paper's rows again.

The stacked rows are exactly those a full build stacks: rows from several parts are put back in paper
order (a stable sort on the paper), so the tables made from them are the same, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow

from pipeline.extract import works
from pipeline.orchestration import stages
from pipeline.package import corrections as fixes
from pipeline.text.documents import publishes_full_text

# The column that tags each stacked row with its paper; never part of a published table.
PAPER = "_paper"
FORMAT = "paper-rows-2"
PAPER_ROWS = Path(".dagster_home") / "paper-rows"
# The kind that holds each paper's cleaned text (one row per paper).
TEXTS = "texts"
IO_THREADS = 4


@dataclass(frozen=True)
class PaperExtras:
    """What a paper contributes besides its frames."""

    cited: tuple[works.CitedWork, ...]
    applied: tuple[fixes.AppliedCorrection, ...]
    hidden: bool


# The kinds that hold a paper's citations and works as they come out for the paper alone: only its own
# checks read them (see `PaperRows.checked_tables`); they are neither combined nor saved.
CHECKED = {"citations": "checked:citations", "works": "checked:works"}


def result_frames(result: stages.DocumentResult, checked: bool = False) -> dict[str, pl.DataFrame]:
    """One paper's frames by kind: its own tables' rows plus what the cross-paper tables are made from
    (and, with ``checked``, the rows its own checks read)."""
    alone = {CHECKED[name]: frame for name, frame in result.bibliography_alone.items()} if checked else {}
    return alone | {
        **result.own_tables(),
        "citations": result.citations,
        "claims": result.claims["claims"],
        "claim_footnotes": result.claims["claim_footnotes"],
        TEXTS: pl.DataFrame({"text": [result.cleaned.text]}, schema={"text": pl.String}),
    }


def _stack(frames: list[pl.DataFrame]) -> pl.DataFrame:
    if not frames:
        return pl.DataFrame(schema={PAPER: pl.String})
    return pl.concat(frames, how="diagonal_relaxed")


@dataclass
class PaperRows:
    """Every included paper's frames, stacked by kind in paper order, and each paper's extras."""

    frames: dict[str, pl.DataFrame]
    extras: dict[str, PaperExtras]
    identities: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_results(cls, results: Mapping[str, stages.DocumentResult], checked: bool = False) -> PaperRows:
        """The papers' frames stacked; with ``checked``, also the rows their own checks read."""
        ids = sorted(results)
        tagged: dict[str, list[pl.DataFrame]] = {}
        extras = {}
        for document_id in ids:
            result = results[document_id]
            for kind, frame in result_frames(result, checked).items():
                tagged.setdefault(kind, []).append(frame.with_columns(pl.lit(document_id).alias(PAPER)))
            source = result.source
            extras[document_id] = PaperExtras(
                tuple(result.cited_works or works.describe_citations(result.citations)),
                tuple(source.applied),
                not publishes_full_text(source.document.metadata),
            )
        frames = {kind: _stack(parts) for kind, parts in tagged.items()}
        return cls(frames, extras, {i: results[i].fingerprint for i in ids})

    def keep(self, document_ids: Iterable[str]) -> PaperRows:
        """Only the rows and extras of the given papers, without the rows only their checks read."""
        kept = sorted(set(document_ids) & set(self.identities))
        every = len(kept) == len(self.extras)
        frames = {
            kind: frame if every else frame.filter(pl.col(PAPER).is_in(kept))
            for kind, frame in self.frames.items()
            if kind not in CHECKED.values()
        }
        return PaperRows(frames, {i: self.extras[i] for i in kept}, {i: self.identities[i] for i in kept})

    def checked_tables(self) -> dict[str, pl.DataFrame]:
        """The rows each paper's own checks read, by table, tagged with their paper (`stages.row_problems`):
        its own tables' rows, and its citations and works as they come out for the paper alone."""
        names = [*stages.OWN_TABLES, *CHECKED]
        return {
            name: self.frames[CHECKED.get(name, name)]
            for name in names
            if CHECKED.get(name, name) in self.frames
        }

    def view(self) -> dict[str, pl.DataFrame]:
        """The stacked rows by kind, without the paper tag (the columns are shared, not copied)."""
        return {kind: frame.drop(PAPER) for kind, frame in self.frames.items()}

    def texts(self) -> dict[str, str]:
        """Each paper's cleaned text."""
        frame = self.frames[TEXTS]
        return dict(zip(frame[PAPER].to_list(), frame["text"].to_list(), strict=True))

    @property
    def hidden(self) -> set[str]:
        return {i for i, extra in self.extras.items() if extra.hidden}

    def save(self, folder: Path) -> None:
        """Save to ``folder`` the rows of the papers whose builds differ from those saved there, as one more
        part; all of them, as one part, when there would be more than MAX_PARTS. The manifest, replaced
        in one step, names the parts and the papers each holds: a build stopped halfway leaves the previous
        rows."""
        manifest = _manifest(folder)
        saved = {i: fp for part in manifest["parts"] for i, fp in part["papers"].items()}
        changed = {i for i, fp in self.identities.items() if saved.get(i) != fp}
        parts = [
            {
                **part,
                "papers": {
                    i: fp for i, fp in part["papers"].items() if i in self.identities and i not in changed
                },
            }
            for part in manifest["parts"]
        ]
        parts = [part for part in parts if part["papers"]]
        if len(parts) >= MAX_PARTS:
            parts, changed = [], set(self.identities)
        if changed:
            rows = self if changed == set(self.identities) else self.keep(changed)
            parts.append({"folder": rows._write_part(folder), "papers": rows.identities})
        manifest = {"format": FORMAT, "parts": parts}
        scratch = folder / f".manifest.{os.getpid()}.tmp"
        scratch.write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
        os.replace(scratch, folder / "manifest.json")
        kept = {part["folder"] for part in parts} | {"manifest.json"}
        for stale in folder.iterdir():
            if stale.name in kept:
                continue
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)

    def _write_part(self, folder: Path) -> str:
        """Write these rows as a part folder of ``folder``; its name."""
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".part-", dir=folder))
        try:
            with ThreadPoolExecutor(IO_THREADS) as pool:  # the writers let go of the GIL
                written = [
                    pool.submit(frame.write_ipc, scratch / f"{kind}.arrow", compression="zstd")
                    for kind, frame in self.frames.items()
                ]
                for future in written:
                    future.result()
            pickled = pickle.dumps(self.extras, protocol=pickle.HIGHEST_PROTOCOL)
            (scratch / "extras.pickle.zst").write_bytes(
                len(pickled).to_bytes(8, "little") + _codec().compress(pickled, asbytes=True)
            )
            name = (
                "part-"
                + hashlib.sha256(json.dumps(self.identities, sort_keys=True).encode()).hexdigest()[:16]
            )
            shutil.rmtree(folder / name, ignore_errors=True)
            os.replace(scratch, folder / name)
            return name
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def combine(pieces: Iterable[PaperRows]) -> PaperRows:
    """The rows of several sets of papers (no paper in two), stacked in paper order again."""
    present = [piece for piece in pieces if piece.extras]
    if len(present) == 1:
        return present[0]
    frames = {}
    for kind in sorted({kind for piece in present for kind in piece.frames}):
        parts = [piece.frames[kind] for piece in present if kind in piece.frames]
        frames[kind] = _stack(parts).sort(PAPER, maintain_order=True)
    extras = dict(sorted((i, e) for piece in present for i, e in piece.extras.items()))
    identities = dict(sorted((i, fp) for piece in present for i, fp in piece.identities.items()))
    return PaperRows(frames, extras, identities)


# Parts a save may leave before it writes all the rows again as one.
MAX_PARTS = 8


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": FORMAT, "parts": []}
    return manifest if manifest.get("format") == FORMAT else {"format": FORMAT, "parts": []}


def saved_identities(folder: Path) -> dict[str, str]:
    """Paper -> the input fingerprint of the build whose rows ``folder`` holds (it covers the code too, so
    rows that other code made never match); empty when there are none."""
    return {i: fp for part in _manifest(folder)["parts"] for i, fp in part["papers"].items()}


def load(folder: Path) -> list[PaperRows] | None:
    """The parts saved in ``folder`` (each with the papers it holds for the manifest), or None when there
    are none or they cannot be read."""
    parts = _manifest(folder)["parts"]
    if not parts:
        return None
    try:
        return [_read_part(folder / part["folder"], part["papers"]) for part in parts]
    except (OSError, ValueError, KeyError, pickle.UnpicklingError, EOFError, pl.exceptions.PolarsError):
        return None


def _read_part(part: Path, papers: dict[str, str]) -> PaperRows:
    kinds = [path.stem for path in sorted(part.glob("*.arrow"))]
    with ThreadPoolExecutor(IO_THREADS) as pool:
        read = {kind: pool.submit(pl.read_ipc, part / f"{kind}.arrow") for kind in kinds}
        frames = {kind: future.result() for kind, future in read.items()}
    stored = (part / "extras.pickle.zst").read_bytes()
    size = int.from_bytes(stored[:8], "little")
    extras = pickle.loads(_codec().decompress(stored[8:], decompressed_size=size, asbytes=True))
    return PaperRows(frames, extras, {i: fp for i, fp in papers.items() if i in extras})


def _codec() -> pyarrow.Codec:
    return pyarrow.Codec("zstd", compression_level=3)
