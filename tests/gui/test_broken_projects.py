"""The window on damaged, foreign and killed-mid-session projects: a message, never a crash."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.store.project import Store

WORKER = Path(__file__).resolve().parent.parent / "workers" / "scripted_session.py"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sqlite_not_project(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


def _newer_project(path: Path) -> None:
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('annotator', '9999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()


def _damaged(path: Path) -> None:
    Store(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_text("just some notes\n"), "not an annotator project"),
        (_sqlite_not_project, "not an annotator project"),
        (_newer_project, "newer annotator"),
        (_damaged, "damaged"),
    ],
    ids=["text-file", "other-sqlite", "newer-version", "damaged"],
)
def test_window_refuses_a_bad_project_with_a_message_and_leaves_it(
    qtbot, tmp_path, monkeypatch, make, expected
) -> None:
    from annotator.gui.main_window import MainWindow

    path = tmp_path / "bad.db"
    make(path)
    before = _digest(path)
    window = MainWindow()
    qtbot.addWidget(window)
    errors: list[str] = []
    monkeypatch.setattr(window, "show_error", errors.append)
    assert not window.open_project(path, report_errors=True)
    assert len(errors) == 1 and expected in errors[0]
    assert window.store is None
    assert _digest(path) == before


def test_project_killed_mid_session_opens_in_the_window(qtbot, tmp_path) -> None:
    from annotator.gui.main_window import MainWindow
    from annotator.model import text_hash

    path = tmp_path / "killed.db"
    with Store(path) as store, store.transaction():
        for i in range(3):
            text = f"Article {i}: the minister said the 🚀 launch would go ahead. " * 5
            store.documents.insert(text=text, text_hash=text_hash(text), title=f"a{i}")
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), str(path), "7", "100000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout.readline().startswith("ready")
    while not worker.stdout.readline().startswith("done "):  # at least one change made
        pass
    time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.communicate()
    window = MainWindow(path)
    qtbot.addWidget(window)
    with Store(path) as check:
        expected = check.spans.in_document(window.current_document)
        assert check.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert window.span_model.rowCount() == len(expected)
