"""A note from the keyboard: N opens it with the span's words quoted, lines wrap, Enter makes a
new line, Ctrl+Enter saves, and the dialog stands beside the span, not over it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QPlainTextEdit

from .helpers import key, tag

TEXT = "Intro line.\n\n" + "Filler words go here. " * 8 + "\n\nThe council approved the budget."
CLAIM = "The council approved the budget."


def test_a_note_written_and_saved_from_the_keyboard(open_window, make_project, monkeypatch):
    window = open_window(make_project(("Budget", TEXT)))
    start = TEXT.index(CLAIM)
    tag(window, start, start + len(CLAIM), Qt.Key.Key_1)
    seen = {}

    def drive(dialog: QDialog) -> bool:
        dialog.show()
        QTest.qWaitForWindowExposed(dialog)
        seen["quote"] = dialog.quote.text()
        seen["wraps"] = dialog.edit.lineWrapMode()
        span_area = window.article.span_rect_global(window.document_model.selected_span)
        seen["covers"] = dialog.frameGeometry().intersects(span_area)
        QTest.keyClicks(dialog.edit, "Checked against")
        QTest.keyClick(dialog.edit, Qt.Key.Key_Return)  # a new line, not the end
        QTest.keyClicks(dialog.edit, "the minutes")
        assert dialog.isVisible()
        QTest.keyClick(dialog.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "exec_dialog", drive)
    key(window, Qt.Key.Key_N)
    assert seen["quote"] == f"\u201c{CLAIM}\u201d"
    assert seen["wraps"] == QPlainTextEdit.LineWrapMode.WidgetWidth
    assert not seen["covers"]
    (span,) = window.store.spans.in_document(window.current_document)
    assert span.note == "Checked against\nthe minutes"


def test_esc_leaves_the_note_as_it_was(open_window, make_project, monkeypatch):
    window = open_window(make_project(("Budget", TEXT)))
    start = TEXT.index(CLAIM)
    tag(window, start, start + len(CLAIM), Qt.Key.Key_1)

    def drive(dialog: QDialog) -> bool:
        dialog.show()
        QTest.keyClicks(dialog.edit, "never saved")
        QTest.keyClick(dialog.edit, Qt.Key.Key_Escape)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "exec_dialog", drive)
    key(window, Qt.Key.Key_N)
    (span,) = window.store.spans.in_document(window.current_document)
    assert span.note is None
