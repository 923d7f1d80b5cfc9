"""Swapping a validated package into place so that a kill at any instant leaves one whole package.

Standard library only: the build takes the lock and recovers a killed run's leftovers before it imports
anything heavy.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PACKAGE_ENTRIES = ("datapackage.json", "data", "text", "figures")
STAGING_PREFIX = ".staging-package-"
PENDING_DIR = ".package-pending"
PREVIOUS_DIR = ".package-previous"
LOCK_FILE = ".package.lock"

log = logging.getLogger(__name__)


class PackageLockedError(RuntimeError):
    """Another process is building or publishing the package in the same folder."""


_held_locks: dict[Path, int] = {}


@contextmanager
def package_lock(root: Path) -> Iterator[None]:
    """Hold the package folder's lock for a whole build, and finish or undo an interrupted publish first.

    The lock is an flock on ``.package.lock``: the kernel releases it when its holder dies, even by
    SIGKILL, so a killed build never leaves a stale lock. Re-entrant within one process, so the build
    command and the publishing step inside it can both ask for it.
    """
    root = root.resolve()
    if root in _held_locks:
        _held_locks[root] += 1
        try:
            yield
        finally:
            _held_locks[root] -= 1
        return
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_FILE
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise PackageLockedError(
                f"{path}: another build (process {holder}) is running in {root}; wait for it to finish "
                "(the lock goes away by itself when that process ends)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        _held_locks[root] = 1
        try:
            for note in recover_package(root):
                log.warning("%s", note)
            yield
        finally:
            del _held_locks[root]
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _move_in(root: Path) -> None:
    """Move every entry of the pending package into place, the replaced ones aside; resumable anywhere.

    Per entry: (1) the old one goes to PREVIOUS_DIR, (2) the new one comes from PENDING_DIR. A kill
    between or after any step leaves a state this same function completes on the next start.
    """
    pending, previous = root / PENDING_DIR, root / PREVIOUS_DIR
    previous.mkdir(exist_ok=True)
    for entry in PACKAGE_ENTRIES:
        if not (pending / entry).exists():
            continue
        if (root / entry).exists() or (root / entry).is_symlink():
            if (previous / entry).exists():
                _remove(previous / entry)
            os.replace(root / entry, previous / entry)
        os.replace(pending / entry, root / entry)
    pending.rmdir()
    shutil.rmtree(previous)


def recover_package(root: Path) -> list[str]:
    """Bring the package folder back to one whole package after a killed run; say what was done.

    A staged package that was never committed is deleted (the old package stays); a committed one
    (PENDING_DIR, renamed there in one step after validation) is moved in; leftovers are removed. Call it
    only while holding the package lock.
    """
    notes = []
    if (root / PENDING_DIR).is_dir():
        _move_in(root)
        notes.append(f"{root}: finished publishing the package a killed run had validated and committed")
    if (root / PREVIOUS_DIR).exists():
        _remove(root / PREVIOUS_DIR)
        notes.append(f"{root}: removed the previous package a killed run left in {PREVIOUS_DIR}")
    for leftover in sorted(root.glob(f"{STAGING_PREFIX}*")) + sorted(root.glob(".previous-package-*")):
        _remove(leftover)
        notes.append(f"{root}: removed {leftover.name}, left by a killed run")
    return notes


def swap_in(staging: Path, root: Path) -> None:
    """Commit a complete, validated staged package and move it into place.

    The commit point is a single rename of the staging folder to PENDING_DIR: before it the old package
    is the package, after it the new one is, and ``recover_package`` completes the move-in if the
    process dies half way. Every package entry is staged (empty folders included), so the new package
    replaces all of the old one.
    """
    for entry in PACKAGE_ENTRIES[1:]:
        (staging / entry).mkdir(exist_ok=True)
    os.replace(staging, root / PENDING_DIR)
    _move_in(root)
