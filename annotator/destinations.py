"""Where a written file goes: a regular file is replaced whole, anything else is written into.

An export or backup to a regular file is written under a temporary name beside it and renamed
into place when complete, so no one ever sees half of it (a symbolic link keeps pointing at
the file it named). A destination that exists and is not a regular file (a device such as
``/dev/full``, a named pipe, a terminal, ``/dev/stdout``) is written into as it is: renaming
over it would replace the device node or the pipe with a plain file, and the reader waiting
on the other end would get nothing.

Temporary files are locked while they are written. One left by a killed export is no
longer locked by anyone, and the next write to the same destination removes it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

try:  # POSIX: a lock that dies with the process holding it
    import fcntl
except ImportError:  # pragma: no cover - Windows, where an open file cannot be deleted instead
    fcntl = None  # type: ignore[assignment]

PARTIAL_SUFFIX = ".partial"


def writes_in_place(path: Path) -> bool:
    """True when ``path`` exists and is not a regular file that may be replaced.

    Names in ``/dev`` or ``/proc`` (``/dev/stdout`` is ``/proc/self/fd/1``) stand for a
    file another program opened, even when that is a regular file (``> out.jsonl`` in a
    shell): writing must go into that open file, at its end, not replace it.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:  # missing, or a path through something that is not a folder
        return False
    if not stat.S_ISREG(mode):
        return True
    given = os.path.abspath(path)
    real = os.path.realpath(path)
    return any(p.startswith(("/proc/", "/dev/")) for p in (given, real))


def partial_name(target: Path) -> str:
    return f".{target.name}.{os.urandom(6).hex()}{PARTIAL_SUFFIX}"


@contextlib.contextmanager
def output(path: str | os.PathLike[str], *, binary: bool = False) -> Iterator[IO[Any]]:
    """A file to write ``path``'s new content to; it takes effect when the block ends well.

    Errors are raised as ``OSError``: a full disk (``ENOSPC``) on a device included. When the
    block raises, a regular destination is left as it was and no temporary file remains.
    """
    target = Path(path)
    if writes_in_place(target):
        # Appending: a shell that opened the file with ">" has emptied it already, and one
        # that opened it with ">>" means it to grow; for devices and pipes it is the same.
        with _open_in_place(target, binary) as out:
            yield out
            out.flush()
        return
    real = Path(os.path.realpath(target))
    refuse_read_only(real)
    remove_stale_partials(real)
    fd, tmp = _create_locked(real)
    try:
        with _fdopen(fd, binary) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
            os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def refuse_read_only(real: Path) -> None:
    """A file marked read-only is not replaced, even by a user (root) who could: whoever
    marked it meant it to stay as it is (the same rule as for project files)."""
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return
    if not mode & 0o222 or not os.access(real, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is marked read-only", str(real))


def _open_in_place(target: Path, binary: bool) -> IO[Any]:
    if binary:
        return open(target, "ab")
    return open(target, "a", encoding="utf-8", newline="\n")


def _fdopen(fd: int, binary: bool) -> IO[Any]:
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


def _create_locked(real: Path) -> tuple[int, str]:
    """Create a new temporary file beside ``real``, locked for as long as it is open.

    Not mkstemp: its files are private (0600) and the result would stay so after the rename;
    created like any other file, it gets the user's usual permissions.
    """
    while True:
        tmp = str(real.parent / partial_name(real))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        if fcntl is None:
            return fd, tmp
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink > 0:
            return fd, tmp
        os.close(fd)  # another writer's clean-up took it before the lock was ours: again


def remove_stale_partials(real: Path) -> list[Path]:
    """Remove temporary files (or folders) for ``real`` that no running process is writing."""
    removed: list[Path] = []
    try:
        candidates = list(real.parent.glob(f".{_glob_escape(real.name)}.*{PARTIAL_SUFFIX}"))
    except OSError:
        return removed
    for candidate in candidates:
        if _remove_if_unheld(candidate):
            removed.append(candidate)
    return removed


def _remove_if_unheld(candidate: Path) -> bool:
    """Remove a temporary file, or a folder being built (a brat export), unless its writer
    still holds it locked."""
    folder = candidate.is_dir() and not candidate.is_symlink()

    def remove() -> None:
        if folder:
            shutil.rmtree(candidate)
        else:
            candidate.unlink()

    if fcntl is None:
        try:  # Windows refuses to delete a file a writer has open
            remove()
        except OSError:
            return False
        return True
    try:
        fd = os.open(candidate, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        remove()
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def _glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in name)
