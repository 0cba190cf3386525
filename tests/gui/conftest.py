"""GUI test setup: no screen, a fixed analyst name, and per-test QSettings.

The environment is set before anything imports Qt: without a display, ``QApplication()``
aborts the process unless the platform is offscreen.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ANNOTATOR_USER"] = "tester"

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.model import text_hash
from annotator.store.project import Store

from .helpers import HARD_TEXT, PLAIN_TEXT


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[None]:
    """Each test gets its own QSettings file, so remembered layout/snap never leak."""
    folder = tmp_path / "qsettings"
    folder.mkdir()
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    yield


def add_documents(path: Path, documents: list[tuple[str, str]]) -> list[int]:
    with Store(path) as store, store.transaction():
        return [
            store.documents.insert(text=text, text_hash=text_hash(text), title=title)
            for title, text in documents
        ]


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    def make(*documents: tuple[str, str], name: str = "project.db") -> Path:
        path = tmp_path / name
        add_documents(path, list(documents))
        return path

    return make


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    return make_project(("Hard text", HARD_TEXT), ("Plain text", PLAIN_TEXT), ("Third", "Three."))


@pytest.fixture
def open_window(qtbot):
    """Build, show and activate a window on a project (shortcuts need an active window)."""
    from annotator.gui.main_window import MainWindow

    def make(path: Path) -> MainWindow:
        window = MainWindow(path)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.article.setFocus()
        return window

    return make


@pytest.fixture
def window(open_window, project):
    return open_window(project)
