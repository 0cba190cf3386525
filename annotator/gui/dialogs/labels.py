"""The labels dialog: add, rename, recolour, re-key, redefine and delete labels, declare the
attributes their spans carry, and (on its second page) edit the relation types.

Each field is saved as it is edited (the name and hotkey when typed or left, the colour when
picked, the definition and attributes when left or the dialog closes), each as one undoable
step on the window's undo stack. Nothing is lost by closing, and nothing needs a Save button.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.commands.labels import LabelEditor
from annotator.gui.commands.relation_types import RelationTypeEditor
from annotator.gui.dialogs.questions import confirm_deletion, free_name
from annotator.gui.dialogs.relation_types import RelationTypesPage
from annotator.gui.swatches import ColourButton, colour_icon
from annotator.model import Label, LabelError
from annotator.store.labels import attributes_as_lines, attributes_from_lines


class LabelsDialog(QDialog):
    def __init__(
        self,
        editor: LabelEditor,
        labels: Callable[[], list[Label]],
        *,
        reserved_keys: set[str],
        confirm: Callable[[str, str], bool],
        ask_colour: Callable[[str], str | None] | None = None,
        relation_types: RelationTypeEditor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("labelsDialog")
        self.setWindowTitle("Labels")
        self.editor = editor
        self.current_labels = labels
        self.reserved_keys = {k.casefold() for k in reserved_keys}
        self.confirm = confirm
        self.ask_colour = ask_colour
        self.labels: list[Label] = []
        self.list = QListWidget()
        self.list.setObjectName("labelList")
        self.name = QLineEdit()
        self.name.setObjectName("labelName")
        self.colour = ColourButton("Label colour")
        self.colour.setObjectName("labelColour")
        self.hotkey = QLineEdit()
        self.hotkey.setObjectName("labelHotkey")
        self.hotkey.setMaxLength(1)
        self.definition = QPlainTextEdit()
        self.definition.setObjectName("labelDefinition")
        self.attributes = QPlainTextEdit()
        self.attributes.setObjectName("labelAttributes")
        self.attributes.setPlaceholderText("speaker\nstance: for | against | neutral")
        self.attributes.setToolTip(
            "One attribute a line: a name for free text, or name: value | value for a choice."
            " A selected span's attributes are set with A."
        )
        self.attributes.setMaximumHeight(80)
        self.error = QLabel()
        self.error.setObjectName("labelError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Colour", self.colour)
        form.addRow("Hotkey", self.hotkey)
        form.addRow("Definition", self.definition)
        form.addRow("Attributes", self.attributes)
        hint = QLabel("One a line: a name for free text, or name: a | b | c for a choice.")
        hint.setEnabled(False)
        form.addRow("", hint)
        box = QGroupBox("Selected label (each change is saved as you make it)")
        box.setLayout(form)
        self.add = QPushButton("Add label")
        self.add.setObjectName("labelAdd")
        self.delete = QPushButton("Delete label…")
        self.delete.setObjectName("labelDelete")
        close = QPushButton("Close")
        close.setObjectName("labelClose")
        self.add.clicked.connect(self.add_label)
        self.delete.clicked.connect(self.delete_selected)
        close.clicked.connect(self.accept)
        self.name.editingFinished.connect(lambda: self.save_field("name"))
        self.hotkey.textEdited.connect(lambda _: self.save_field("hotkey"))
        self.colour.clicked.connect(self._recolour)
        self.definition.installEventFilter(self)
        self.attributes.installEventFilter(self)
        buttons = QHBoxLayout()
        for b in (self.add, self.delete):
            buttons.addWidget(b)
        buttons.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(box, 1)
        right.addWidget(self.error)
        main = QHBoxLayout()
        main.addWidget(self.list, 1)
        main.addLayout(right, 2)
        page = QWidget()
        page.setObjectName("labelsPage")
        column = QVBoxLayout(page)
        column.addLayout(main, 1)
        column.addLayout(buttons)
        self.pages = QTabWidget()
        self.pages.setObjectName("labelsPages")
        self.pages.addTab(page, "Labels")
        self.relation_types: RelationTypesPage | None = None
        if relation_types is not None:
            self.relation_types = RelationTypesPage(
                relation_types, self.current_labels, confirm=confirm, ask_colour=ask_colour
            )
            self.pages.addTab(self.relation_types, "Relation types")
            self.pages.currentChanged.connect(self._page_changed)
        closing = QHBoxLayout()
        closing.addStretch(1)
        closing.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(closing)
        self.list.currentRowChanged.connect(self._row_changed)
        self._row = -1
        self.resize(720, 520)
        self.reload()

    def _page_changed(self, index: int) -> None:
        """Each page shows the scheme as it is now (a label renamed on one is on the other)."""
        self.save_selected()
        if self.relation_types is not None and index == 1:
            current = self.relation_types._current()
            self.relation_types.reload(current.id if current else None)
        elif index == 0:
            current_label = self._current()
            self.reload(current_label.id if current_label else None)

    # -- the list ---------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Show the labels as the window has them, the one with id ``select`` chosen."""
        self.labels = self.current_labels()
        self.list.blockSignals(True)
        self.list.clear()
        for lab in self.labels:
            key = f"  [{lab.hotkey}]" if lab.hotkey else ""
            self.list.addItem(QListWidgetItem(colour_icon(lab.color), lab.name + key))
        ids = [lab.id for lab in self.labels]
        row = ids.index(select) if select in ids else (0 if ids else -1)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._show(row)

    def _current(self) -> Label | None:
        return self.labels[self._row] if 0 <= self._row < len(self.labels) else None

    def _row_changed(self, row: int) -> None:
        self.save_field("definition")  # what was typed there is kept
        self.save_field("attributes")
        chosen = self.labels[row].id if 0 <= row < len(self.labels) else None
        self.reload(chosen)

    def _show(self, row: int) -> None:
        self._row = row
        lab = self._current()
        self.name.setText(lab.name if lab else "")
        self.hotkey.setText((lab.hotkey or "") if lab else "")
        self.definition.setPlainText(lab.definition if lab else "")
        self.attributes.setPlainText(attributes_as_lines(lab.attributes) if lab else "")
        self.colour.show_colour(lab.color if lab else "#888888")
        for w in (
            self.name,
            self.colour,
            self.hotkey,
            self.definition,
            self.attributes,
            self.delete,
        ):
            w.setEnabled(lab is not None)

    # -- saving, one field at a time ---------------------------------------------------------

    def _value(self, field: str) -> Any:
        if field == "name":
            return self.name.text().strip()
        if field == "color":
            return self.colour.value
        if field == "hotkey":
            return self.hotkey.text().strip() or None
        if field == "attributes":
            lab = self._current()
            before = lab.attributes if lab else []
            return attributes_from_lines(self.attributes.toPlainText(), before)
        return self.definition.toPlainText().strip()

    def save_field(self, field: str) -> bool:
        """Save one field of the selected label if it was changed; False when refused."""
        lab = self._current()
        if lab is None:
            return False
        try:
            value = self._value(field)
            if value == getattr(lab, field):
                return True
            if field == "hotkey" and value and value.casefold() in self.reserved_keys:
                raise LabelError(f"hotkey {value!r} is taken by another command of the window")
            if field == "attributes":
                after = self.editor.set_attributes(lab, value)
            else:
                after = self.editor.update(lab, field, value)
        except LabelError as e:
            self.error.setText(str(e))
            return False
        self.error.clear()
        self._refresh_row(after)
        return True

    def save_selected(self) -> bool:
        """Save every field that differs from the stored label (each its own step)."""
        fields = ("name", "color", "hotkey", "definition", "attributes")
        return all([self.save_field(f) for f in fields])

    def _refresh_row(self, after: Label) -> None:
        """The list shows the saved label; the fields keep what is being typed."""
        self.labels = self.current_labels()
        row = next((i for i, lab in enumerate(self.labels) if lab.id == after.id), -1)
        if row >= 0:
            key = f"  [{after.hotkey}]" if after.hotkey else ""
            item = self.list.item(row)
            item.setText(after.name + key)
            item.setIcon(colour_icon(after.color))

    def _recolour(self) -> None:
        if self.colour.pick(self.ask_colour or self.colour.ask):
            self.save_field("color")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            if watched is self.definition:
                self.save_field("definition")
            elif watched is self.attributes:
                self.save_field("attributes")
        return super().eventFilter(watched, event)

    def done(self, result: int) -> None:
        """Closing (Close, Esc, the title bar) saves what is still being typed."""
        for field in ("name", "hotkey", "definition", "attributes"):
            self.save_field(field)
        if self.relation_types is not None:
            self.relation_types.save_all()
        super().done(result)

    # -- adding and deleting ------------------------------------------------------------------

    def add_label(self) -> bool:
        name = free_name({lab.name for lab in self.labels}, "new label", lambda n: f"new label {n}")
        try:
            lab = self.editor.add(name)
        except LabelError as e:
            self.error.setText(str(e))
            return False
        self.reload(lab.id)
        self.name.setFocus()
        self.name.selectAll()
        return True

    def delete_selected(self) -> bool:
        lab = self._current()
        if lab is None:
            return False
        if not confirm_deletion(self.confirm, "label", lab.name, self.editor.usage(lab), "span"):
            return False
        try:
            self.editor.delete(lab)
        except LabelError as e:
            self.error.setText(str(e))
            return False
        self.reload()
        return True
