"""Tooltips over overlaps, and highlight colours that follow a light or dark palette."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from .helpers import HARD_TEXT, select_cp

ROCKET = HARD_TEXT.index("rocket")


def background_at(view, cp: int) -> QColor:  # noqa: ANN001
    u16 = view.offsets.to_utf16(cp)
    block = view.document().findBlock(u16)
    for r in block.layout().formats():
        if r.start <= u16 - block.position() < r.start + r.length:
            return r.format.background().color()
    raise AssertionError("no highlight there")


def test_tooltip_lists_every_label_at_the_point(window, qtbot) -> None:
    select_cp(window, ROCKET - 4, ROCKET + 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    select_cp(window, ROCKET, ROCKET + 6)
    QTest.keyClick(window.article, Qt.Key.Key_2)
    view = window.article
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(ROCKET + 2))
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text().splitlines() == ["quote", "claim"]


def test_highlights_follow_a_dark_palette(window) -> None:
    select_cp(window, ROCKET, ROCKET + 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    view = window.article
    light = background_at(view, ROCKET)
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    view.setPalette(dark)
    shaded = background_at(view, ROCKET)
    assert shaded.lightnessF() < 0.45 < light.lightnessF()
    assert shaded != QColor("#1e1e1e")  # still visibly tinted
