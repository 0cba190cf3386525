"""The note on a span: the span's words quoted above, lines that wrap, Ctrl+Enter to save, and
a place beside the span, never over it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.panels.span_list import quoted


class NoteDialog(QDialog):
    def __init__(self, title: str, label: str, text: str, default: str, parent: QWidget | None):
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(title)
        self.quote = QLabel(quoted(text, 280))
        self.quote.setObjectName("noteQuote")
        self.quote.setWordWrap(True)
        self.quote.setStyleSheet("font-style: italic;")
        self.edit = QPlainTextEdit(default)
        self.edit.setObjectName("noteEdit")
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.edit.setTabChangesFocus(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setToolTip("Save the note (Ctrl+Enter)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        hint = QLabel(
            f"{label}  Enter starts a new line; Ctrl+Enter saves, Esc leaves it as it was."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quote)
        layout.addWidget(hint)
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)
        self.resize(460, 260)
        self.edit.setFocus()
        cursor = self.edit.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.edit.setTextCursor(cursor)

    def text(self) -> str:
        return self.edit.toPlainText()

    def stand_clear_of(self, area: QRect) -> None:
        """Below ``area`` (the span on screen, global coordinates) if the screen has room,
        else above it; never over it."""
        screen = self.screen()
        room = screen.availableGeometry() if screen is not None else None
        size = self.frameGeometry().size().expandedTo(self.size())
        x = area.left()
        y = area.bottom() + 12
        if room is not None:
            if y + size.height() > room.bottom():
                y = area.top() - 12 - size.height()
            x = max(room.left(), min(x, room.right() - size.width()))
            y = max(room.top(), y)
        self.move(QPoint(x, y))
