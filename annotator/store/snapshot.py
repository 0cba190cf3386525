"""A consistent copy of a project file, made without writing anything beside it.

A merge reads analysts' files that may sit in a folder the user may only read (a shared
drive, a mounted backup) and may be open in an analyst's window. SQLite's read-only mode
still creates a WAL project's -wal and -shm files beside it when they are missing (and
leaves them there), and fails where it cannot create them. So:

- when the file has both its -wal and -shm beside it, a program may have it open: the copy
  is made through SQLite, read-only, which takes the locks that keep it consistent and
  creates nothing, both files being there;
- otherwise no program has it open in WAL mode: the file is copied as it is, with its -wal
  or -journal (whose changes SQLite applies to the copy when it opens it), and copied again
  if any of them changed meanwhile: if one was opened, made or removed, or its size or times
  changed, or the copy differs from it when read again (timestamps may be too coarse to tell
  two quick writes apart).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

from annotator.printable import printable
from annotator.store.project_file import BUSY_TIMEOUT_MS, ProjectError

# The files SQLite keeps beside a project; a copy takes the journals that hold its changes.
_BESIDE = ("-wal", "-shm", "-journal")
_JOURNALS = ("-wal", "-journal")
_ATTEMPTS = 5

FileState = tuple[tuple[int, int, int, int] | None, ...]


def snapshot(path: Path, copy: Path) -> None:
    """Write a consistent copy of the project ``path`` to ``copy`` (in a folder of its own,
    since its journals go beside it), reading ``path`` only."""
    for attempt in range(_ATTEMPTS):
        _remove(copy)
        if _beside(path, "-wal").exists() and _beside(path, "-shm").exists():
            _copy_through_sqlite(path, copy)
            return
        if _copy_files(path, copy):
            return
        time.sleep(0.05 * (attempt + 1))
    _remove(copy)
    raise ProjectError(
        f"{printable(path)} kept changing while it was read; merge it again when it is not "
        "being saved"
    )


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove(copy: Path) -> None:
    for suffix in ("", *_BESIDE):
        _beside(copy, suffix).unlink(missing_ok=True)


def _copy_through_sqlite(path: Path, copy: Path) -> None:
    """SQLite's online backup from a read-only connection: it waits for a writer's
    checkpoint and reads the committed changes still in the -wal."""
    source = sqlite3.connect(
        f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _copy_files(path: Path, copy: Path) -> bool:
    """Copy the file and its journals; False when any of them changed while being copied."""
    before = _state(path)
    copied = [suffix for suffix in _JOURNALS if _beside(path, suffix).exists()]
    try:
        for suffix in ("", *copied):
            shutil.copyfile(_beside(path, suffix), _beside(copy, suffix))
        same = all(_same_bytes(_beside(path, s), _beside(copy, s)) for s in ("", *copied))
    except FileNotFoundError:
        if not path.exists():
            raise
        return False  # a journal went away: a program was just closing the file
    return same and _state(path) == before


def _same_bytes(one: Path, other: Path) -> bool:
    with open(one, "rb") as a, open(other, "rb") as b:
        while True:
            chunk = a.read(1 << 20)
            if chunk != b.read(1 << 20):
                return False
            if not chunk:
                return True


def _state(path: Path) -> FileState:
    """What a program writing to the file, or opening it, changes: the file and the files
    SQLite keeps beside it, each by inode, size and times (None when it is not there)."""
    out: list[tuple[int, int, int, int] | None] = []
    for suffix in ("", *_BESIDE):
        try:
            st = os.stat(_beside(path, suffix))
        except FileNotFoundError:
            out.append(None)
            continue
        out.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(out)
