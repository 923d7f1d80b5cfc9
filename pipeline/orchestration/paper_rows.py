"""The papers' rows stacked by kind, and kept from one build to the next.

Combining a corpus means concatenating every paper's frames kind by kind (paragraphs, citations, mentions,
...). ``PaperRows`` holds that concatenation, each row tagged with its paper, plus what each paper
contributes besides frames (its text, the works its citations describe, the text corrections applied).
The papers' own checks read the stacked rows, and the table step makes the tables from them.

The table step saves them in ``.dagster_home/paper-rows/``: parts (Arrow IPC, one file per kind) and a
manifest naming the papers each part holds, with the identity of each paper's build (its input
fingerprint, which covers the code). A build writes one more part with the rows of the papers it built,
and all rows as one part again once there would be more than MAX_PARTS. The next build reads back the rows
of every paper whose build is the same, and stacks only the papers built since: a one-paper edit neither
reads every paper's stored outcome nor writes every paper's rows again.

The stacked rows are exactly those a full build stacks: rows from several parts (or papers that arrived
out of order) are spliced back into paper order, as a stable sort on the paper would put them
(`_spliced`), so the tables made from them are the same, byte for byte.

The rows stay on disk until a stage reads them: each kind is a lazy frame (a saved part's kinds are read
when asked for, a few ahead of need on a thread, see `read_ahead`; a build's fresh rows are written to
the run's scratch folder a batch of papers at a time, see `RowStack`), and `Kinds` reads one kind when it
is asked for. The run holds the kinds one stage needs, not the corpus.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow

from pipeline.extract import works
from pipeline.orchestration import corpus, stages
from pipeline.orchestration.read_ahead import ReadAhead
from pipeline.package import corrections as fixes
from pipeline.text.documents import publishes_full_text

# The column that tags each stacked row with its paper; never part of a published table.
PAPER = "_paper"
FORMAT = "paper-rows-3"
PAPER_ROWS = Path(".dagster_home") / "paper-rows"
# A run's own files (fresh rows, finished tables), removed when its package is written.
RUN_SCRATCH = Path(".dagster_home") / "run-scratch"
# Files in the run's scratch folder are compressed: reading an uncompressed Arrow file holds it twice.
SCRATCH_COMPRESSION = "zstd"
# The kind that holds each paper's cleaned text (one row per paper).
TEXTS = "texts"
# Papers whose frames are stacked together before they join the rows stacked so far (`RowStack`). Each
# batch costs the build process a fixed part (checking, writing about twenty kinds): batches of 64 papers
# rather than 16 spared it about 1.3 s of 8-10 s of CPU in a 300-paper build, for about 25 MiB of rows.
STACK_BATCH = 64


@dataclass(frozen=True)
class PaperExtras:
    """What a paper contributes besides its frames. The works its citations describe are kept pickled
    (a sixth of their size as objects) and unpickled one paper at a time when the works are merged."""

    cited: bytes
    applied: tuple[fixes.AppliedCorrection, ...]
    hidden: bool

    def cited_works(self) -> tuple[works.CitedWork, ...]:
        return pickle.loads(self.cited)


# The kinds that hold a paper's citations and works as they come out for the paper alone: only its own
# checks read them (see `RowStack`); they are neither stacked with the rows nor saved.
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


def _checked_tables(kinds: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The rows the papers' own checks read, by table, tagged with their paper: their own tables' rows,
    and their citations and works as they come out for each paper alone."""
    kind_of = {name: CHECKED.get(name, name) for name in [*corpus.OWN_TABLES, *CHECKED]}
    return {name: kinds[kind] for name, kind in kind_of.items() if kind in kinds}


def _stack(frames: list[pl.DataFrame]) -> pl.DataFrame:
    if not frames:
        return pl.DataFrame(schema={PAPER: pl.String})
    return pl.concat(frames, how="diagonal_relaxed")


def _stack_lazy(frames: list[pl.LazyFrame]) -> pl.LazyFrame:
    if not frames:
        return pl.LazyFrame(schema={PAPER: pl.String})
    return frames[0] if len(frames) == 1 else pl.concat(frames, how="diagonal_relaxed")


class Kinds(Mapping[str, pl.DataFrame]):
    """Lazy frames by kind, each read when it is asked for and not kept: a stage holds only its kinds."""

    def __init__(self, frames: Mapping[str, pl.LazyFrame]) -> None:
        self._frames = dict(frames)

    def __getitem__(self, kind: str) -> pl.DataFrame:
        return self._frames[kind].collect()

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)


@dataclass
class PaperRows:
    """Every included paper's frames, stacked by kind in paper order (lazily), and each paper's extras."""

    frames: dict[str, pl.LazyFrame]
    extras: dict[str, PaperExtras]
    identities: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_results(cls, results: Mapping[str, stages.DocumentResult]) -> PaperRows:
        """The papers' frames stacked."""
        stack = RowStack()
        for document_id in sorted(results):
            stack.add(document_id, results[document_id])
        return stack.rows()

    def keep(self, document_ids: Iterable[str]) -> PaperRows:
        """Only the rows and extras of the given papers."""
        kept = sorted(set(document_ids) & set(self.identities))
        every = len(kept) == len(self.extras)
        frames = {
            kind: frame if every else _spliced([frame], set(kept)) for kind, frame in self.frames.items()
        }
        return PaperRows(frames, {i: self.extras[i] for i in kept}, {i: self.identities[i] for i in kept})

    def view(self) -> Kinds:
        """The stacked rows by kind, without the paper tag."""
        return Kinds({kind: frame.drop(PAPER) for kind, frame in self.frames.items()})

    def texts(self, published: bool = False) -> PaperTexts:
        """Each paper's cleaned text, read when asked for (`PaperTexts`); with ``published``, only the texts
        the package republishes."""
        hidden = self.hidden if published else set()
        return PaperTexts(self.frames[TEXTS], [i for i in self.extras if i not in hidden])

    @property
    def hidden(self) -> set[str]:
        return {i for i, extra in self.extras.items() if extra.hidden}

    def save(self, folder: Path, unsaved: Iterable[PaperRows | None] = ()) -> None:
        """Save to ``folder`` the rows of the papers whose builds differ from those saved there, as one more
        part; all of them, as one part, when there would be more than MAX_PARTS. The manifest, replaced
        in one step, names the parts and the papers each holds: a build stopped halfway leaves the previous
        rows. The parts it no longer names stay until `prune`. ``unsaved`` may hold the pieces these rows
        were combined from that did not come from the saved parts: the papers to save are taken from them,
        without reading the others' rows."""
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
            fresh = combine(unsaved)
            if changed == set(self.identities):
                rows = self
            elif set(fresh.identities) == changed:
                rows = fresh
            else:
                rows = self.keep(changed)
            parts.append({"folder": rows._write_part(folder), "papers": rows.identities})
        manifest = {"format": FORMAT, "parts": parts}
        scratch = folder / f".manifest.{os.getpid()}.tmp"
        scratch.write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
        os.replace(scratch, folder / "manifest.json")

    def _write_part(self, folder: Path) -> str:
        """Write these rows as a part folder of ``folder``; its name."""
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".part-", dir=folder))
        try:
            for kind, frame in self.frames.items():  # streamed, a batch of rows at a time
                frame.sink_ipc(scratch / f"{kind}.arrow", compression="zstd")
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


# Papers whose texts are read together when the package writes them (`PaperTexts`).
TEXT_BATCH = 32


class PaperTexts(Mapping[str, str]):
    """The cleaned texts of the given papers, read from the stacked rows TEXT_BATCH papers at a time as
    they are asked for. The package writes them in paper order, so each batch is read once, and the
    package step holds a batch of texts, not the corpus's; asked for out of order, it reads from the first
    paper again."""

    def __init__(self, frame: pl.LazyFrame, document_ids: Iterable[str]) -> None:
        self._ids = sorted(set(document_ids))
        self._known = frozenset(self._ids)
        self._frame = frame.filter(pl.col(PAPER).is_in(self._ids)).select(PAPER, "text")
        self._batches: Iterator[pl.DataFrame] = iter(())
        self._batch: dict[str, str] = {}

    def __getitem__(self, document_id: str) -> str:
        if document_id not in self._batch:
            self._batch = self._read_on_to(document_id)
        return self._batch[document_id]

    def _read_on_to(self, document_id: str) -> dict[str, str]:
        """The batch holding the paper's text: read on from the last batch, else from the first paper."""
        if document_id not in self._known:
            raise KeyError(document_id)
        for again in (False, True):
            if again:
                self._batches = iter(self._frame.collect_batches(chunk_size=TEXT_BATCH))
            for batch in self._batches:
                texts = dict(zip(batch[PAPER].to_list(), batch["text"].to_list(), strict=True))
                if document_id in texts:
                    return texts
        raise KeyError(f"{document_id}: no text among the stacked rows")

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, document_id: object) -> bool:
        return document_id in self._known


class RowStack:
    """Papers' rows stacked as their builds arrive, a batch of papers at a time.

    A paper's build holds much more than its rows (its source, its cleaned document, Python objects);
    stacking each build as it comes and letting it go keeps memory to one batch of papers. With a
    ``spill`` folder each full batch's rows are written there (Arrow IPC, a file per kind) and read back
    only when a stage asks for them. Papers may arrive in any order: the rows come out in paper order, as
    `PaperRows.from_results` stacks them.

    With ``checked``, each batch's rows are checked against the tables' models as the batch is stacked
    (`corpus.row_problems`, one pass per table over the batch; a row's problem is its own paper's), while
    the papers still to come build: ``problems`` holds what was found, by paper. The checks never hold
    more than a batch of papers' rows, and the rows they alone read (`CHECKED`) are then let go."""

    def __init__(self, checked: bool = False, spill: Path | None = None, batch: int | None = None) -> None:
        self.checked, self.spill, self.batch = checked, spill, batch or STACK_BATCH
        self.problems: dict[str, list[stages.DocumentProblem]] = {}
        self._pending: dict[str, list[pl.DataFrame]] = {}
        self._pending_papers = 0
        self._chunks: dict[str, list[pl.LazyFrame]] = {}
        self._extras: dict[str, PaperExtras] = {}
        self._identities: dict[str, str] = {}

    def __contains__(self, document_id: str) -> bool:
        return document_id in self._extras

    @property
    def document_ids(self) -> list[str]:
        return sorted(self._extras)

    def add(self, document_id: str, result: stages.DocumentResult) -> None:
        """Stack one paper's rows; the build itself is not kept."""
        for kind, frame in result_frames(result, self.checked).items():
            self._pending.setdefault(kind, []).append(frame.with_columns(pl.lit(document_id).alias(PAPER)))
        source = result.source
        cited = tuple(result.cited_works or works.describe_citations(result.citations))
        self._extras[document_id] = PaperExtras(
            pickle.dumps(cited, protocol=pickle.HIGHEST_PROTOCOL),
            tuple(source.applied),
            not publishes_full_text(source.document.metadata),
        )
        self._identities[document_id] = result.fingerprint
        self._pending_papers += 1
        if self._pending_papers >= self.batch:
            self._flush(to_disk=self.spill is not None)

    def _flush(self, to_disk: bool) -> None:
        batch = {kind: _stack(parts) for kind, parts in self._pending.items()}
        self._pending = {}
        if self.checked and batch:
            for problem in corpus.row_problems(_checked_tables(batch), PAPER):
                self.problems.setdefault(problem.document_id, []).append(problem)
        for kind, stacked in batch.items():
            if kind in CHECKED.values():
                continue
            chunks = self._chunks.setdefault(kind, [])
            if not to_disk:
                chunks.append(stacked.lazy())
                continue
            path = self.spill / kind.replace(":", "-") / f"{len(chunks):05d}.arrow"
            path.parent.mkdir(parents=True, exist_ok=True)
            stacked.write_ipc(path, compression=SCRATCH_COMPRESSION)
            chunks.append(pl.scan_ipc(path))
        self._pending_papers = 0

    def rows(self) -> PaperRows:
        """The rows stacked, in paper order; the stack is empty afterwards. The last batch, short of a
        full one, stays in memory: an edit's few papers are not written to disk and read back."""
        self._flush(to_disk=False)
        arrived = list(self._identities)
        in_order = arrived == sorted(arrived)
        frames = {
            kind: _stack_lazy(chunks) if in_order else _spliced(chunks)
            for kind, chunks in self._chunks.items()
        }
        rows = PaperRows(frames, dict(sorted(self._extras.items())), dict(sorted(self._identities.items())))
        self._chunks, self._extras, self._identities = {}, {}, {}
        return rows


def combine(pieces: Iterable[PaperRows | None]) -> PaperRows:
    """The rows of several sets of papers (no paper in two), stacked in paper order again."""
    present = [piece for piece in pieces if piece is not None and piece.extras]
    if len(present) == 1:
        return present[0]
    frames = {}
    for kind in sorted({kind for piece in present for kind in piece.frames}):
        frames[kind] = _spliced([piece.frames[kind] for piece in present if kind in piece.frames])
    extras = dict(sorted((i, e) for piece in present for i, e in piece.extras.items()))
    identities = dict(sorted((i, fp) for piece in present for i, fp in piece.identities.items()))
    return PaperRows(frames, extras, identities)


def _spliced(frames: list[pl.LazyFrame], papers: set[str] | None = None) -> pl.LazyFrame:
    """The rows of frames that each hold a paper's rows together (no paper in two frames), in paper order,
    and only those of ``papers`` when given: each paper's run of rows is sliced out of its frame (no copy)
    and the runs put in order, which is what a stable sort on the paper gives, without copying the rows."""
    schema = _stack_lazy(frames).collect_schema()

    def splice() -> pl.DataFrame:
        collected = [frame.collect() for frame in frames]
        runs = sorted(
            (paper, index, start, length)
            for index, frame in enumerate(collected)
            for paper, start, length in _paper_runs(frame)
            if papers is None or paper in papers
        )
        slices: list[list[int]] = []  # [frame, first row, rows], neighbouring runs of a frame joined
        for _, index, start, length in runs:
            if slices and slices[-1][0] == index and sum(slices[-1][1:]) == start:
                slices[-1][2] += length
            else:
                slices.append([index, start, length])
        empty = pl.concat([frame.clear() for frame in collected], how="diagonal_relaxed")
        pieces = [collected[index].slice(start, length) for index, start, length in slices]
        return pl.concat([empty, *pieces], how="diagonal_relaxed", rechunk=False)

    return pl.defer(splice, schema=schema)


def _paper_runs(frame: pl.DataFrame) -> list[tuple[str, int, int]]:
    """(paper, first row, rows) of each run of one paper's rows in a frame."""
    runs = frame.get_column(PAPER).rle().struct.unnest()
    lengths = runs["len"].to_list()
    return list(zip(runs["value"].to_list(), [0, *itertools.accumulate(lengths)], lengths, strict=False))


# Parts a save may leave before it writes all the rows again as one.
MAX_PARTS = 8


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": FORMAT, "parts": []}
    return manifest if manifest.get("format") == FORMAT else {"format": FORMAT, "parts": []}


def prune(folder: Path) -> None:
    """Remove from ``folder`` the parts its manifest no longer names. Separate from `PaperRows.save`: the
    build that saved may still be reading them (the texts, as the package writes them)."""
    kept = {part["folder"] for part in _manifest(folder)["parts"]} | {"manifest.json"}
    for stale in folder.iterdir() if folder.is_dir() else ():
        if stale.name in kept:
            continue
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def saved_identities(folder: Path) -> dict[str, str]:
    """Paper -> the input fingerprint of the build whose rows ``folder`` holds (it covers the code too, so
    rows that other code made never match); empty when there are none."""
    return {i: fp for part in _manifest(folder)["parts"] for i, fp in part["papers"].items()}


def load(folder: Path, order: Sequence[str] = ()) -> list[PaperRows] | None:
    """The parts saved in ``folder`` (each with the papers it holds for the manifest), or None when there
    are none or they cannot be read. Their kinds are read when they are asked for; those in ``order`` are
    read ahead on a thread, in that order (`ReadAhead`)."""
    parts = _manifest(folder)["parts"]
    if not parts:
        return None
    ahead = ReadAhead(folder / part["folder"] / f"{kind}.arrow" for kind in order for part in parts)
    try:
        return [_read_part(folder / part["folder"], part["papers"], ahead) for part in parts]
    except (OSError, ValueError, KeyError, pickle.UnpicklingError, EOFError, pl.exceptions.PolarsError):
        ahead.close()
        return None


def _read_part(part: Path, papers: dict[str, str], ahead: ReadAhead) -> PaperRows:
    """A saved part, each kind read when a stage asks for it (from ``ahead``); each file's schema is read
    now, so that a damaged part is found before the build relies on it."""
    frames = {}
    for path in sorted(part.glob("*.arrow")):
        schema = pl.read_ipc_schema(path)
        frames[path.stem] = pl.defer(lambda path=path: ahead.take(path), schema=schema)
    stored = (part / "extras.pickle.zst").read_bytes()
    size = int.from_bytes(stored[:8], "little")
    extras = pickle.loads(_codec().decompress(stored[8:], decompressed_size=size, asbytes=True))
    return PaperRows(frames, extras, {i: fp for i, fp in papers.items() if i in extras})


def _codec() -> pyarrow.Codec:
    return pyarrow.Codec("zstd", compression_level=3)
