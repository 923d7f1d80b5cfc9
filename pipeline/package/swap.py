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


class SwapError(RuntimeError):
    """The new package could not be moved into place; the message says whether the old one is intact."""


class PackageMixedError(SwapError):
    """A swap failed half way and could not be undone: the folder holds parts of two packages."""


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


def swap_problems(staging: Path, root: Path) -> list[str]:
    """What would stop the swap half way, found before it starts: folders it cannot write, renames across
    file systems. Moving a folder to another parent rewrites its ``..`` entry, so each published folder
    must be writable itself, not only the package folder."""
    problems = []
    if not os.access(root, os.W_OK | os.X_OK):
        problems.append(f"{root}: not writable, so the new package cannot be moved in")
    device = staging.stat().st_dev
    for entry in PACKAGE_ENTRIES:
        path = root / entry
        if not path.exists() or path.is_symlink():
            continue
        if path.stat().st_dev != device:
            problems.append(f"{path}: on another file system than {staging.parent}; it cannot be swapped")
        if path.is_dir() and not os.access(path, os.W_OK | os.X_OK):
            problems.append(f"{path}: not writable, so it cannot be moved aside for the new package")
    return problems


def _move_back(root: Path) -> None:
    """Undo a move-in that failed half way: the new entries back to PENDING_DIR, the old ones back in
    place, then the new package discarded."""
    pending, previous = root / PENDING_DIR, root / PREVIOUS_DIR
    for entry in reversed(PACKAGE_ENTRIES):
        if not (previous / entry).exists() and not (previous / entry).is_symlink():
            continue
        if (root / entry).exists() or (root / entry).is_symlink():
            os.replace(root / entry, pending / entry)
        os.replace(previous / entry, root / entry)
    shutil.rmtree(pending)
    shutil.rmtree(previous)


def swap_in(staging: Path, root: Path) -> None:
    """Commit a complete, validated staged package and move it into place.

    What could stop the move half way (permissions, another file system) is checked first, while the old
    package is still the package. The commit point is a single rename of the staging folder to
    PENDING_DIR: before it the old package is the package, after it the new one is, and
    ``recover_package`` completes the move-in if the process dies half way. A move-in that fails with an
    error (not a kill) is undone at once, so the message can say which package is in place. Every
    package entry is staged (empty folders included), so the new package replaces all of the old one.
    """
    problems = swap_problems(staging, root)
    if problems:
        raise SwapError(
            "the new package cannot be moved into place; the previous package is unchanged:\n  "
            + "\n  ".join(problems)
        )
    for entry in PACKAGE_ENTRIES[1:]:
        (staging / entry).mkdir(exist_ok=True)
    os.replace(staging, root / PENDING_DIR)
    try:
        _move_in(root)
    except OSError as failed:
        try:
            _move_back(root)
        except OSError as undo_failed:
            raise PackageMixedError(
                f"moving the new package into {root} failed ({failed}) and so did putting the previous one "
                f"back ({undo_failed}): the folder holds parts of two packages. Fix the cause and build "
                "again; the next build finishes moving the new package in"
            ) from failed
        raise SwapError(
            f"moving the new package into {root} failed ({failed}); the previous package was put back "
            "and is unchanged"
        ) from failed
