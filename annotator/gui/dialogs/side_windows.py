"""Windows beside the main one (the guidelines, the shortcut sheet, agreement, statistics).

One of each kind at a time, kept here while the program runs. Opening one that is open brings
it to the front; opening one that was closed makes it afresh (its figures are read again) where
it stood when it was closed. A window is never deleted behind this keeper's back, so closing
one with its button, Esc or the window manager never leaves a dead object to trip over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


class SideWindows:
    def __init__(self) -> None:
        self._windows: dict[str, QWidget] = {}
        self._places: dict[str, QByteArray] = {}

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
