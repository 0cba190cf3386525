"""Windows beside the main one (the guidelines, the shortcut sheet, agreement, statistics).

One of each kind at a time, kept here while the program runs. Opening one that is open brings
it to the front; opening one that was closed makes it afresh (its figures are read again) where
it stood when it was closed. The first time, it stands beside the main window (right of it,
else left of it, else over its right-hand edge, where the lists are), never over the article
being tagged. A window is never deleted behind this keeper's back, so closing one with its
button, Esc or the window manager never leaves a dead object to trip over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QByteArray, QPoint, Qt
from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


class SideWindows:
    def __init__(self, beside: QWidget | None = None, clear_of: QWidget | None = None) -> None:
        self._windows: dict[str, QWidget] = {}
        self._places: dict[str, QByteArray] = {}
        self._beside = beside
        self._clear_of = clear_of

    def open(self, name: str, make: Callable[[], W]) -> W:
        """The window of kind ``name``, shown and in front (made by ``make`` unless open)."""
        current = self._windows.get(name)
        if current is not None and shiboken6.isValid(current) and current.isVisible():
            current.raise_()
            current.activateWindow()
            return current  # type: ignore[return-value]
        if current is not None and shiboken6.isValid(current):
            self._places[name] = current.saveGeometry()
            current.deleteLater()
        window = make()
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        place = self._places.get(name)
        if place is not None:
            window.restoreGeometry(place)
        elif self._beside is not None:
            _place_beside(window, self._beside, self._clear_of)
        self._windows[name] = window
        window.show()
        window.raise_()
        return window

    def __iter__(self) -> Iterator[QWidget]:
        """The windows that are open now."""
        return iter([w for w in self._windows.values() if shiboken6.isValid(w) and w.isVisible()])

    def close_all(self) -> None:
        for window in list(self):
            window.close()


def _place_beside(window: QWidget, main: QWidget, clear_of: QWidget | None = None) -> None:
    """Right of the main window if the screen has room, else left of it; else beside the
    widget to keep clear (the article), over the wider of the main window's side panels, made
    narrower to fit there when it can be. Top edges level."""
    screen = main.screen()
    room = screen.availableGeometry() if screen is not None else None
    frame = main.frameGeometry()
    size = window.size().expandedTo(window.sizeHint()).expandedTo(window.minimumSize())
    width = min(size.width(), room.width() if room else size.width())
    least = max(window.minimumSizeHint().width(), window.minimumWidth(), 200)
    gap = 8
    x = frame.right() + gap
    if room is not None and x + width > room.right():
        x = frame.left() - gap - width
        if x < room.left():
            x = max(room.left(), frame.right() - width)
            if clear_of is not None:
                area = clear_of.rect().translated(clear_of.mapToGlobal(QPoint(0, 0)))
                right = (area.right() + gap, room.right())
                left = (room.left(), area.left() - gap)
                start, end = max(right, left, key=lambda r: r[1] - r[0])
                if end - start >= least:
                    width = min(width, end - start)
                    window.resize(width, size.height())
                    x = start if (start, end) == right else end - width
    y = frame.top()
    if room is not None:
        y = max(room.top(), min(y, room.bottom() - size.height()))
    window.move(QPoint(x, y))
