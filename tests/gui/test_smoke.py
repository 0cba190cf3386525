from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QTableView

from .helpers import HARD_TEXT, select_cp, store_spans


def test_window_builds_with_named_widgets(window) -> None:
    assert isinstance(window.findChild(QPlainTextEdit, "articleView"), QPlainTextEdit)
    assert isinstance(window.findChild(QTableView, "documentList"), QTableView)
    assert isinstance(window.findChild(QTableView, "spanList"), QTableView)
    names = {
        b.objectName()
        for b in window.findChildren(QPushButton)
        if b.objectName().startswith("label:")
    }
    assert names == {
        "label:claim",
        "label:quote",
        "label:caption",
        "label:concession",
        "label:speaker",
    }
    assert window.article.text == HARD_TEXT


def test_hotkey_tags_selection(window) -> None:
    start = HARD_TEXT.index("rocket")
    select_cp(window, start, start + 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    assert store_spans(window) == [(start, start + 6, "claim", "rocket")]
