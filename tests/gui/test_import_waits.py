"""The window's import meets an import from the command line: it waits its turn, then lands."""

from __future__ import annotations

import pytest
from processes import _articles, _count, _finish, _held

from annotator.gui.main_window import MainWindow
from annotator.store.project import Store

pytestmark = pytest.mark.slow


def test_the_windows_import_waits_for_an_import_from_the_command_line(tmp_path, qtbot, monkeypatch):
    import annotator.store.project as store_module

    project = tmp_path / "team.db"
    Store(project, "setup").close()
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 300)  # so a wait would show
    held = _held(project, _articles(tmp_path / "big.jsonl", 100, "cli"), hold=1.5)
    window = MainWindow(project)
    qtbot.addWidget(window)
    seen: list[str] = []
    monkeypatch.setattr(
        window, "show_report", lambda title, summary, *_, **__: seen.append(summary)
    )
    monkeypatch.setattr(window, "show_error", lambda message: seen.append(message))
    report = window.flows.import_paths([str(_articles(tmp_path / "mine.jsonl", 3, "win"))])
    assert _finish(held)[0] == 0
    assert report is not None and report.documents_added == 3, seen
    assert _count(project, "documents") == 103
