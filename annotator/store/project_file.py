"""The project file before and around SQLite: what is refused, and how SQLite's errors read.

Everything here speaks to the analyst: one sentence naming the file and what is wrong.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from annotator.printable import printable

BUSY_TIMEOUT_MS = 30_000
_SQLITE_MAGIC = b"SQLite format 3\x00"


class ProjectError(Exception):
    """A project file that cannot be opened or written as asked; the message is for the user."""


def is_busy(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def sqlite_problem(
    path: Path, error: sqlite3.Error, *, waited: float | None = None
) -> ProjectError | None:
    """Turn the SQLite errors a user can cause (or suffer) into one clear sentence.

    ``waited`` is how long the call really waited for another program, when it was measured.
    """
    text = str(error).lower()
    name = printable(path)
    if is_busy(error):
        how_long = (
            f"waited {waited:.1f} s for it to free up"
            if waited is not None
            else f"did not free up within {BUSY_TIMEOUT_MS // 1000} s"
        )
        return ProjectError(
            f"{name}: the project is busy in another program ({how_long}); nothing was "
            "changed, try again"
        )
    if "full" in text:
        return ProjectError(f"{name}: the disk is full; the change was not saved")
    if "readonly" in text or "read-only" in text:
        return ProjectError(f"{name}: the project file or its folder is read-only")
    if "no such table" in text or "no such column" in text:
        return ProjectError(f"{name}: the project is damaged ({error}). {restore_advice(path)}")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return ProjectError(
            f"{name}: the project file is damaged ({error}). {restore_advice(path)}"
        )
    if "disk i/o" in text or "unable to open" in text:
        return ProjectError(f"{name}: the project file could not be read or written ({error})")
    return None


def restore_advice(path: Path) -> str:
    """How to get a damaged project back, naming the newest backup beside it if there is one."""
    try:
        backups = sorted(path.parent.glob(f"{path.name}.*.bak"), key=lambda p: p.stat().st_mtime)
    except OSError:
        backups = []
    where = (
        f"the newest beside it is {printable(backups[-1])}"
        if backups
        else "`annotator backup` makes them, and one is made before every upgrade"
    )
    return (
        "To restore it, close annotator and copy a backup over the project file "
        f"({where}), or open the backup itself with --db."
    )


def kind_of_file(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def check_file(path: Path, *, create: bool = True) -> bool:
    """Refuse what is plainly not a project before SQLite touches it; True when new.

    Without ``create``, a missing or empty file is refused too: a command that only reads
    must not leave an empty project behind a mistyped path.
    """
    p = path
    name = printable(p)
    if p.is_dir():
        raise ProjectError(f"{name} is a folder, not a project file")
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise ProjectError(f"{name}: cannot be read ({e.strerror})") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise ProjectError(
            f"{name} is {kind_of_file(mode)}, not a project file; a project is a regular file"
        )
    if mode is None or p.stat().st_size == 0:
        if not create:
            raise ProjectError(_no_project(name, missing=mode is None))
        if not p.parent.is_dir():
            raise ProjectError(f"{name}: the folder {printable(p.parent)} does not exist")
        if not _writable(p.parent):
            raise ProjectError(
                f"{name}: cannot create a project in read-only folder {printable(p.parent)}"
            )
        return True
    try:
        with open(p, "rb") as f:
            head = f.read(len(_SQLITE_MAGIC))
    except OSError as e:
        raise ProjectError(f"{name}: cannot be read ({e.strerror})") from None
    if head != _SQLITE_MAGIC:
        raise ProjectError(f"{name} is not an annotator project (not an SQLite database)")
    if not _writable(p):
        raise ProjectError(f"{name}: the project file is read-only; annotator needs to save")
    if not _writable(p.parent):
        raise ProjectError(
            f"{name}: its folder is read-only; SQLite needs to write its journal beside it"
        )
    return False


def _no_project(name: str, *, missing: bool) -> str:
    what = "no such project file" if missing else "the file is empty, not a project"
    return (
        f"{name}: {what}; nothing was created (a command that adds to a project, such as "
        "import, creates it)"
    )


def _writable(path: Path) -> bool:
    """Writable, and not marked read-only: a mark is honoured even where the user (root) could
    write anyway, because whoever set it meant the file to stay as it is."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)
