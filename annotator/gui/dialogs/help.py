"""Help beside the article: the label guidelines (F1) and the sheet of every shortcut (Ctrl+/)."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator import keymap
from annotator.model import Label


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


# The group of the keys lists and panels take themselves (not commands of the window).
WIDGET_TASK = "In lists, panels and the find bar"


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str, str, str]]:
    """(task, what it does, keys, the whole sentence) for every action that has a shortcut,
    grouped by task in the keymap's order (tagging first), menu order within a task."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if not keys:
            continue
        name = action.objectName()
        command = keymap.BY_ID.get(name.removeprefix("action:")) if name else None
        task = command.task if command is not None else "Tagging"  # the labels' own keys
        does = command.does if command is not None else action.statusTip()
        rows.append((task, action.text().replace("&", ""), ", ".join(keys), does))
    order = {task: i for i, task in enumerate(keymap.TASKS)}
    return sorted(rows, key=lambda row: order.get(row[0], len(order)))


class ShortcutSheet(QDialog):
    """Every shortcut, read from the window's actions so the sheet cannot drift from them:
    grouped by task, tagging first, with a filter above."""

    changeKeys = Signal()  # the user asked to change keys (Preferences → Keys)

    def __init__(
        self, actions: list[QAction], extra: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions) + [(WIDGET_TASK, what, keys, "") for what, keys in extra]
        self.filter = QLineEdit()
        self.filter.setObjectName("shortcutFilter")
        self.filter.setPlaceholderText("Filter: a word of what it does, or a key")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels(["Action", "Keys", "What it does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self._groups: list[tuple[int, list[int]]] = []  # a task's heading row, its rows
        bold = QFont()
        bold.setBold(True)
        current = None
        for task, what, keys, does in rows:
            if task != current:
                current = task
                heading = self.table.rowCount()
                self.table.insertRow(heading)
                item = QTableWidgetItem(task)
                item.setFont(bold)
                self.table.setItem(heading, 0, item)
                for column in (1, 2):
                    self.table.setItem(heading, column, QTableWidgetItem(""))
                self._groups.append((heading, []))
            r = self.table.rowCount()
            self.table.insertRow(r)
            for column, text in enumerate((what, keys, does)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(does or what)
                self.table.setItem(r, column, cell)
            self._groups[-1][1].append(r)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.filter.textChanged.connect(self._filter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        change = buttons.addButton("&Change keys…", QDialogButtonBox.ButtonRole.ActionRole)
        change.setObjectName("changeKeys")
        change.clicked.connect(self._change_keys)
        change = buttons.addButton("&Change keys…", QDialogButtonBox.ButtonRole.ActionRole)
        change.setObjectName("changeKeys")
        change.clicked.connect(self._change_keys)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 640)

    def _change_keys(self) -> None:
        """To Preferences → Keys; the sheet closes (it shows the new keys when reopened)."""
        self.close()
        self.changeKeys.emit()

    def _filter(self, typed: str) -> None:
        """Only the rows whose action, keys or sentence hold every typed word, under their
        task's heading; a heading with none left goes too."""
        words = typed.casefold().split()
        for heading, members in self._groups:
            shown = 0
            for r in members:
                text = " ".join(self._text(r, c) for c in range(3)).casefold()
                keep = all(w in text for w in words)
                self.table.setRowHidden(r, not keep)
                shown += keep
            self.table.setRowHidden(heading, shown == 0)

    def shown_rows(self) -> list[tuple[str, str]]:
        """(action, keys) of the rows shown, headings left out."""
        members = {r for _, rows in self._groups for r in rows}
        return [
            (self._text(r, 0), self._text(r, 1))
            for r in range(self.table.rowCount())
            if r in members and not self.table.isRowHidden(r)
        ]

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
