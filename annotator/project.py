"""Which project to open: the one asked for, or a default one that starts with the samples."""

from __future__ import annotations

import os
from pathlib import Path

from annotator.store import ProjectError, Store

DEFAULT_NAME = "annotator.db"


def default_project_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("annotator", appauthor=False) / DEFAULT_NAME


def open_project(path: str | os.PathLike[str] | None, annotator: str | None = None) -> Store:
    """Open ``path``; without one, the default project, created with the sample articles.

    The samples are imported only when the default project is first made, so a new user
    sees real articles at once; a project named with ``--db`` starts empty.
    """
    if path is not None:
        return Store(path, annotator)
    target = default_project_path()
    fresh = not target.exists()
    if fresh:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ProjectError(
                f"{target.parent}: cannot create the data folder ({e.strerror})"
            ) from None
    store = Store(target, annotator)
    if fresh:
        seed_samples(store)
    return store


def seed_samples(store: Store) -> None:
    from annotator.importers import import_paths
    from annotator.resources import sample_articles

    import_paths(store, sample_articles())
