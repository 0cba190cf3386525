"""The windows beside the main one — guidelines (F1), shortcuts (Ctrl+/), agreement (F7) and
statistics (F9) — open, close and open again any number of times, in any order, closed by their
Close button, Esc or the window manager, and come back where they stood."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

KEYS = {
    "guidelinesDialog": (Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),
    "shortcutSheet": (Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier),
    "agreementDialog": (Qt.Key.Key_F7, Qt.KeyboardModifier.NoModifier),
    "statisticsWindow": (Qt.Key.Key_F9, Qt.KeyboardModifier.NoModifier),
}


def open_side(window, name: str) -> QWidget:
    key, mods = KEYS[name]
    QTest.keyClick(window.article, key, mods)
    QApplication.processEvents()
    shown = [w for w in window.side_windows if w.objectName() == name]
    assert len(shown) == 1, f"{name} did not open"
    return shown[0]


def close_by(side: QWidget, how: str) -> None:
    if how == "button":
        buttons = [
            b for b in side.findChildren(QAbstractButton) if b.text().replace("&", "") == "Close"
        ]
        assert buttons, (side.objectName(), [b.text() for b in side.findChildren(QAbstractButton)])
        button = buttons[0]
        button.click()
    elif how == "esc":
        QTest.keyClick(side, Qt.Key.Key_Escape)
    else:
        side.close()
    QApplication.processEvents()
    assert not side.isVisible()


@pytest.mark.parametrize("how", ["button", "esc", "window"])
def test_each_side_window_opens_closes_and_opens_again_three_times(window, how, capfd):
    for _round in range(3):
        for name in KEYS:
            close_by(open_side(window, name), how)
    QApplication.processEvents()
    assert "already deleted" not in capfd.readouterr().err


def test_in_any_order_and_with_others_open(window, capfd):
    opened = [open_side(window, name) for name in KEYS]
    close_by(opened[1], "esc")
    close_by(opened[3], "button")
    again = open_side(window, "statisticsWindow")
    assert open_side(window, "guidelinesDialog") is opened[0]  # open: brought to the front
    close_by(again, "window")
    for name in reversed(list(KEYS)):
        open_side(window, name)
    assert "already deleted" not in capfd.readouterr().err


def test_a_side_window_comes_back_where_it_stood(window):
    side = open_side(window, "guidelinesDialog")
    side.move(QPoint(37, 41))
    QApplication.processEvents()
    where = side.pos()
    close_by(side, "esc")
    assert open_side(window, "guidelinesDialog").pos() == where


def test_the_first_time_it_stands_beside_the_main_window(qtbot):
    from annotator.gui.dialogs.side_windows import _place_beside

    main, side = QWidget(), QWidget()
    qtbot.addWidget(main)
    qtbot.addWidget(side)
    side.setMinimumSize(200, 150)
    side.resize(200, 150)
    room = main.screen().availableGeometry()
    main.setGeometry(room.left() + 10, room.top() + 10, 300, 300)
    _place_beside(side, main)
    assert side.x() > main.frameGeometry().right()  # right of it: the screen has room there
    main.setGeometry(room.right() - 310, room.top() + 10, 300, 300)
    _place_beside(side, main)
    assert side.x() + side.minimumWidth() < main.frameGeometry().left()  # else left of it
