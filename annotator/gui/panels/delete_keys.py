"""Delete and Backspace kept by a list: the window's own Delete (which deletes the selected
span) must not take them while the list has the focus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def keep_delete(event: QEvent, pressed: Callable[[], object]) -> bool:
    """For an event filter: True when ``event`` is Delete or Backspace (the shortcut's
    question is answered "mine", the press calls ``pressed``), False for any other."""
    if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
        return False
    assert isinstance(event, QKeyEvent)
    if event.key() not in _KEYS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
        return False
    if event.type() == QEvent.Type.ShortcutOverride:
        event.accept()
    else:
        pressed()
    return True
