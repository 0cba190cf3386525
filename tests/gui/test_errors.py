"""An error nobody foresaw is shown in a dialog of one line, naming the log file that holds its
traceback; the window goes on and the project stays as its last saved change left it."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.gui import errors

from .helpers import select_cp, store_spans


@pytest.fixture
def shown(tmp_path, monkeypatch):
    monkeypatch.setattr(errors, "log_path", lambda: tmp_path / "logs" / "annotator.log")
    seen: list[str] = []
    before = sys.excepthook
    errors.install(seen.append)
    yield seen
    sys.excepthook = before


def test_the_report_is_one_line_naming_the_log_which_holds_the_traceback(shown, tmp_path):
    try:
        {}["missing"]
    except KeyError as e:
        errors.report(type(e), e, e.__traceback__, shown.append)
    [text] = shown
    log = tmp_path / "logs" / "annotator.log"
    assert "\n" not in text and "KeyError" in text and str(log) in text
    written = log.read_text()
    assert "Traceback (most recent call last)" in written and "'missing'" in written


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_key_is_a_dialog_and_the_window_goes_on(window, shown, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the tagger fell over\nsecond line")

    spans = window.store.spans
    real_add = spans.add
    monkeypatch.setattr(spans, "add", broken)
    select_cp(window, 0, 3)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    assert len(shown) == 1 and "RuntimeError: the tagger fell over." in shown[0]
    assert store_spans(window) == []  # nothing half-made
    monkeypatch.setattr(spans, "add", real_add)
    select_cp(window, 0, 3)
    QTest.keyClick(window.article, Qt.Key.Key_1)  # the window still works
    assert len(store_spans(window)) == 1


def test_ctrl_c_still_ends_the_program(shown, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "__excepthook__", lambda *a: seen.append(a[0]))
    sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt] and shown == []
