"""The project file before and around SQLite: what is refused, and how SQLite's errors read.

Everything here speaks to the analyst: one sentence naming the file and what is wrong.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from pathlib import Path

BUSY_TIMEOUT_MS = 30_000
_SQLITE_MAGIC = b"SQLite format 3\x00"


class ProjectError(Exception):
    """A project file that cannot be opened or written as asked; the message is for the user."""


def default_annotator() -> str:
    name = os.environ.get("ANNOTATOR_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name on some containers
        return "annotator"


def sqlite_problem(path: Path, error: sqlite3.Error) -> ProjectError | None:
    """Turn the SQLite errors a user can cause (or suffer) into one clear sentence."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return ProjectError(
            f"{path}: the project is busy in another program and did not free up within "
            f"{BUSY_TIMEOUT_MS // 1000} s; nothing was changed, try again"
        )
    if "full" in text:
        return ProjectError(f"{path}: the disk is full; the change was not saved")
    if "readonly" in text or "read-only" in text:
        return ProjectError(f"{path}: the project file or its folder is read-only")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return ProjectError(f"{path}: the project file is damaged ({error})")
    if "disk i/o" in text or "unable to open" in text:
        return ProjectError(f"{path}: the project file could not be read or written ({error})")
    return None


def check_file(path: Path) -> bool:
    """Refuse what is plainly not a project before SQLite touches it; True when new."""
    p = path
    if p.is_dir():
        raise ProjectError(f"{p} is a folder, not a project file")
    if not p.exists() or p.stat().st_size == 0:
        if not p.parent.is_dir():
            raise ProjectError(f"{p}: the folder {p.parent} does not exist")
        if not _writable(p.parent):
            raise ProjectError(f"{p}: cannot create a project in read-only folder {p.parent}")
        return True
    try:
        with open(p, "rb") as f:
            head = f.read(len(_SQLITE_MAGIC))
    except OSError as e:
        raise ProjectError(f"{p}: cannot be read ({e.strerror})") from None
    if head != _SQLITE_MAGIC:
        raise ProjectError(f"{p} is not an annotator project (not an SQLite database)")
    if not _writable(p):
        raise ProjectError(f"{p}: the project file is read-only; annotator needs to save")
    if not _writable(p.parent):
        raise ProjectError(
            f"{p}: its folder is read-only; SQLite needs to write its journal beside it"
        )
    return False


def _writable(path: Path) -> bool:
    """Writable, and not marked read-only: a mark is honoured even where the user (root) could
    write anyway, because whoever set it meant the file to stay as it is."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)
