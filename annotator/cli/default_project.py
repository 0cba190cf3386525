"""Which project to open: the one asked for, or a default one that starts with the samples."""

from __future__ import annotations

import os
from pathlib import Path

from annotator.store.project import ProjectError, Store

DEFAULT_NAME = "annotator.db"


def default_project_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("annotator", appauthor=False) / DEFAULT_NAME


def open_project(
    path: str | os.PathLike[str] | None, annotator: str | None = None, *, create: bool = True
) -> Store:
    """Open ``path``; without one, the default project, created with the sample articles.

    The samples are imported only when the default project is first made, so a new user
    sees real articles at once; a project named with ``--db`` starts empty, and is made only
    when ``create`` is True (a command that only reads refuses a path that names nothing).
    """
    if path is not None:
        return Store(path, annotator, create=create)
    target = default_project_path()
    if not target.exists():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ProjectError(
                f"{target.parent}: cannot create the data folder ({e.strerror})"
            ) from None
        _make_default_project(target, annotator)
    return Store(target, annotator)


def _make_default_project(target: Path, annotator: str | None) -> None:
    """Made whole beside its place and renamed into it: a first start that is stopped midway
    leaves no project without its samples (the next start would not add them)."""
    building = target.with_name(f".{target.name}.{os.getpid()}.new")
    for leftover in target.parent.glob(f".{target.name}.*.new*"):
        if not _alive(leftover.name.split(".")[-2].split("-")[0]):
            leftover.unlink(missing_ok=True)  # from a first start that was stopped
    try:
        with Store(building, annotator) as store:
            seed_samples(store)
        os.replace(building, target)
    finally:
        for part in (building, *(building.with_name(building.name + s) for s in ("-wal", "-shm"))):
            part.unlink(missing_ok=True)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except OSError:
        return True  # someone else's process
    return True


def seed_samples(store: Store) -> None:
    from annotator.formats.importing import import_paths
    from annotator.resources import sample_articles

    import_paths(store, sample_articles())
