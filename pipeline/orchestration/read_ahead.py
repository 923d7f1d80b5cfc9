"""Arrow files read on a thread ahead of need, a few at a time, and handed over once.

The table step reads the saved rows kind by kind, in the order its stages ask for them. Reading a kind
(decoding Arrow) happens in Rust, off the GIL, so it can go on while a paper builds or a stage computes
(in Python). `ReadAhead` reads the files in that order on its own thread, keeping frames read and not
yet taken up to a budget (READ_AHEAD_BYTES, or one frame when a single frame is larger): memory holds a
few kinds, never the corpus. A file asked for before its
turn is read by the caller, and one the reader could not read is read by the caller too, so that any
error is raised where the frame was wanted.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from pathlib import Path

import polars as pl

# How much may be read ahead and not yet taken (polars' estimate of the frames' size).
READ_AHEAD_BYTES = 32 * 2**20


class ReadAhead:
    """Reads ``paths`` in order on a daemon thread, keeping at most ``budget`` bytes of frames (or one
    frame) waiting to be taken.

    The reading stops, and the frames not taken are let go, once nothing refers to this object any more
    (the lazy frames that take from it are gone) or `close` is called."""

    def __init__(self, paths: Iterable[Path], budget: int = READ_AHEAD_BYTES) -> None:
        self._reader = _Reader(list(paths), budget)
        weakref.finalize(self, self._reader.close)
        # A daemon: a reader waiting for frames to be taken never keeps the process from ending.
        threading.Thread(target=self._reader.run, name="read-ahead", daemon=True).start()

    def take(self, path: Path) -> pl.DataFrame:
        """The frame in ``path``: as read ahead (and no longer held here), or read now."""
        return self._reader.take(path)

    def close(self) -> None:
        self._reader.close()


class _Reader:
    def __init__(self, paths: list[Path], budget: int) -> None:
        self._pending = paths
        self._ready: dict[Path, pl.DataFrame] = {}
        self._held = 0
        self._reading: Path | None = None
        self._budget = budget
        self._closed = False
        self._turn = threading.Condition()

    def run(self) -> None:
        while True:
            with self._turn:
                while not self._closed and self._pending and self._ready and self._held >= self._budget:
                    self._turn.wait()
                if self._closed or not self._pending:
                    return
                path = self._reading = self._pending.pop(0)
            try:
                frame: pl.DataFrame | None = pl.read_ipc(path)
            except Exception:  # the caller reads it again and gets the error itself
                frame = None
            with self._turn:
                self._reading = None
                if frame is not None and not self._closed:
                    self._ready[path] = frame
                    self._held += frame.estimated_size()
                self._turn.notify_all()

    def take(self, path: Path) -> pl.DataFrame:
        with self._turn:
            if path in self._pending:
                self._pending.remove(path)
            while self._reading == path:
                self._turn.wait()
            frame = self._ready.pop(path, None)
            self._held -= frame.estimated_size() if frame is not None else 0
            self._turn.notify_all()
        return frame if frame is not None else pl.read_ipc(path)

    def close(self) -> None:
        with self._turn:
            self._closed = True
            self._ready.clear()
            self._held = 0
            self._turn.notify_all()
