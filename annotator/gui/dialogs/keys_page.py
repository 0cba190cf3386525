"""Preferences → Keys: every command with its keys, a filter, and a key of one's own for any
of them; a key another command has is refused, naming it. The keys are the user's, kept in
``keys.json`` in the configuration folder (see :mod:`annotator.keymap`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import keymap


def _shown(keys: tuple[str, ...]) -> str:
    return ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


class KeysPage(QWidget):
    #: Every command's keys, after one was changed (the window gives its actions them).
    changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keysPage")
        self.filter = QLineEdit()
        self.filter.setObjectName("keysFilter")
        self.filter.setPlaceholderText("Filter: a word of the command, its group or its key")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("keysTable")
        self.table.setHorizontalHeaderLabels(["Command", "Keys", "Group", "Id"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.editor = QKeySequenceEdit()
        self.editor.setObjectName("keysEditor")
        self.editor.setMaximumSequenceLength(1)
        self.set_key = QPushButton("&Set key")
        self.set_key.setObjectName("keysSet")
        self.no_key = QPushButton("&No key")
        self.default = QPushButton("&Default")
        self.problem = QLabel()
        self.problem.setObjectName("keysProblem")
        self.problem.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Press the new key:"))
        row.addWidget(self.editor, 1)
        for button in (self.set_key, self.no_key, self.default):
            row.addWidget(button)
        where = QLabel(f"Your keys are kept in {keymap.keys_file()}.")
        where.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(where)
        self.filter.textChanged.connect(self._filter)
        self.set_key.clicked.connect(self._set)
        self.no_key.clicked.connect(lambda: self._bind(()))
        self.default.clicked.connect(self._default)
        self._fill()

    def _fill(self) -> None:
        try:
            self.bound = keymap.bindings()
        except keymap.KeyError_ as e:
            self.problem.setText(str(e))
            self.bound = keymap.defaults()
        commands = [c for task in keymap.TASKS for c in keymap.COMMANDS if c.task == task]
        self.table.setRowCount(len(commands))
        for row, command in enumerate(commands):
            cells = (
                command.text.replace("&", ""),
                _shown(self.bound[command.id]),
                command.task,
                command.id,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(command.does)
                item.setData(Qt.ItemDataRole.UserRole, command.id)
                self.table.setItem(row, column, item)
        self._filter(self.filter.text())

    def _filter(self, typed: str) -> None:
        words = typed.casefold().split()
        for row in range(self.table.rowCount()):
            text = " ".join(self._text(row, c) for c in range(4)).casefold()
            self.table.setRowHidden(row, not all(w in text for w in words))

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def chosen(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def choose(self, command_id: str) -> None:
        for row in range(self.table.rowCount()):
            if self._text(row, 3) == command_id:
                self.table.setCurrentCell(row, 0)
                return

    def _set(self) -> None:
        key = self.editor.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        if not key:
            self.problem.setText("Press a key in the box first.")
            return
        self._bind((key,))

    def _default(self) -> None:
        command = self.chosen()
        if command is not None:
            self._bind(keymap.BY_ID[command].keys)

    def _bind(self, keys: tuple[str, ...]) -> None:
        command = self.chosen()
        if command is None:
            self.problem.setText("Choose a command in the list first.")
            return
        try:
            self.bound = keymap.rebind(command, keys)
        except keymap.KeyError_ as e:
            self.problem.setText(f"Not changed: {e}.")
            return
        except OSError as e:
            self.problem.setText(f"Not saved in {keymap.keys_file()}: {e.strerror or e}")
            return
        shown = _shown(self.bound[command]) or "no key"
        self.problem.setText(f"{keymap.BY_ID[command].text.replace('&', '')}: {shown}.")
        cell = self.table.item(self.table.currentRow(), 1)
        if cell is not None:
            cell.setText(_shown(self.bound[command]))
        self.editor.clear()
        self.changed.emit(dict(self.bound))
