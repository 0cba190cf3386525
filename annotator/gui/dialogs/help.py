"""Help beside the article: the label guidelines (F1) and the sheet of every shortcut (Ctrl+/)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Label

if TYPE_CHECKING:
    pass


class GuidelinesDialog(QDialog):
    """The labels' definitions: the annotation guidelines as the project states them, in the
    article's reading size."""

    def __init__(
        self, labels: list[Label], parent: QWidget | None = None, *, font: QFont | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("guidelinesDialog")
        self.setWindowTitle("Label guidelines")
        parts = []
        for lab in labels:
            key = f" — hotkey <b>{html.escape(lab.hotkey)}</b>" if lab.hotkey else ""
            parts.append(
                f'<h3><span style="color:{lab.color}">■</span> {html.escape(lab.name)}{key}</h3>'
                f"<p>{html.escape(lab.definition or 'No definition yet.')}</p>"
            )
        self.browser = QTextBrowser()
        self.browser.setObjectName("guidelines")
        if font is not None:
            self.browser.setFont(font)
        self.browser.setHtml("".join(parts))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(620, 520)


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(what it does, keys) for every action that has a shortcut, in menu order."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys:
            rows.append((action.text().replace("&", ""), ", ".join(keys)))
    return rows


class ShortcutSheet(QDialog):
    """Every shortcut, read from the window's actions so the sheet cannot drift from them."""

    def __init__(
        self, actions: list[QAction], extra: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions) + extra
        self.table = QTableWidget(len(rows), 2)
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, (what, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 640)
