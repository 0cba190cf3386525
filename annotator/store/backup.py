"""Backups: a consistent copy of a live project, made with SQLite's online backup.

To a regular file (or a folder) the copy is made under a temporary name and renamed into
place; a device, a named pipe or standard output is written into, never replaced.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from annotator.destinations import output, refuse_read_only, writes_in_place
from annotator.model import utc_now
from annotator.printable import printable
from annotator.store.project_file import ProjectError


def backup_path(project: Path, tag: str) -> Path:
    """A name beside the project for a copy tagged ``tag`` and the time."""
    stamp = utc_now().replace(":", "").replace("-", "").replace(".", "")
    return project.with_name(f"{project.name}.{tag}.{stamp}.bak")


def copy_project(
    conn: sqlite3.Connection, project: Path, destination: str | os.PathLike[str]
) -> Path:
    """Copy the project open on ``conn`` to ``destination`` (a file, a folder, or something
    written into); the path written."""
    dest = Path(destination)
    if dest.is_dir():
        dest = dest / backup_path(project, "backup").name
    shown = printable(dest)
    if dest.exists() and dest.resolve() == project.resolve():
        raise ProjectError(f"{shown}: a backup cannot replace the project it copies")
    try:
        if writes_in_place(dest):
            _copy_into(conn, dest)
        else:
            real = Path(os.path.realpath(dest))
            refuse_read_only(real)
            tmp = real.with_name(real.name + ".partial")
            try:
                _copy_to(conn, tmp)
                os.replace(tmp, real)
            finally:
                tmp.unlink(missing_ok=True)
    except (sqlite3.Error, OSError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise ProjectError(f"{shown}: the backup could not be written ({reason})") from None
    return dest


def _copy_to(conn: sqlite3.Connection, path: Path) -> None:
    target = sqlite3.connect(str(path))
    try:
        conn.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _copy_into(conn: sqlite3.Connection, dest: Path) -> None:
    """Copy into something that is not a regular file, through a private temporary copy."""
    with tempfile.TemporaryDirectory(prefix="annotator-backup-") as folder:
        copy = Path(folder) / "backup.db"
        _copy_to(conn, copy)
        with open(copy, "rb") as source, output(dest, binary=True) as out:
            shutil.copyfileobj(source, out, 1 << 20)
