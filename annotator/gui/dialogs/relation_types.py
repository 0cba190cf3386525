"""The labels dialog's Relation types page: add, rename, recolour, choose the labels allowed
at each end, define and delete relation types.

As on the Labels page, each field is saved as it is edited, each as one undoable step; a
change the stored relations forbid (ends they would not fit) is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.commands.relation_types import RelationTypeEditor
from annotator.gui.dialogs.questions import confirm_deletion, free_name
from annotator.gui.swatches import ColourButton, colour_icon
from annotator.model import Label, LabelError, Refused, RelationType

_ROLE = Qt.ItemDataRole.UserRole


def _ends(kind: RelationType) -> str:
    return f"{', '.join(kind.heads) or 'any'} \u2192 {', '.join(kind.children) or 'any'}"


class RelationTypesPage(QWidget):
    def __init__(
        self,
        editor: RelationTypeEditor,
        labels: Callable[[], list[Label]],
        *,
        confirm: Callable[[str, str], bool],
        ask_colour: Callable[[str], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("relationTypesPage")
        self.editor = editor
        self.current_labels = labels
        self.confirm = confirm
        self.ask_colour = ask_colour
        self.types: list[RelationType] = []
        self.list = QListWidget()
        self.list.setObjectName("relationTypeList")
        self.name = QLineEdit()
        self.name.setObjectName("relationTypeName")
        self.colour = ColourButton("Relation colour")
        self.colour.setObjectName("relationTypeColour")
        self.head_labels = self._label_list("relationTypeHeads")
        self.child_labels = self._label_list("relationTypeChildren")
        self.definition = QPlainTextEdit()
        self.definition.setObjectName("relationTypeDefinition")
        self.definition.setPlaceholderText("When to use it, for the analysts")
        self.error = QLabel()
        self.error.setObjectName("relationTypeError")
        self.error.setWordWrap(True)
        ends = QHBoxLayout()
        for title, box in (("From (head)", self.head_labels), ("To (child)", self.child_labels)):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(box)
            ends.addLayout(column)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Colour", self.colour)
        form.addRow("Labels", ends)
        form.addRow("Definition", self.definition)
        hint = QLabel("No label ticked at an end allows any label there.")
        hint.setEnabled(False)
        form.addRow("", hint)
        group = QGroupBox("Selected relation type (each change is saved as you make it)")
        group.setLayout(form)
        self.add = QPushButton("Add relation type")
        self.add.setObjectName("relationTypeAdd")
        self.delete = QPushButton("Delete relation type…")
        self.delete.setObjectName("relationTypeDelete")
        self.add.clicked.connect(self.add_type)
        self.delete.clicked.connect(self.delete_selected)
        self.name.editingFinished.connect(lambda: self.save_field("name"))
        self.colour.clicked.connect(self._recolour)
        self.head_labels.itemChanged.connect(lambda _item: self.save_field("heads"))
        self.child_labels.itemChanged.connect(lambda _item: self.save_field("children"))
        self.definition.installEventFilter(self)
        right = QVBoxLayout()
        right.addWidget(group, 1)
        right.addWidget(self.error)
        main = QHBoxLayout()
        main.addWidget(self.list, 1)
        main.addLayout(right, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.delete)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(main, 1)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(self._row_changed)
        self._row = -1
        self.reload()

    @staticmethod
    def _label_list(name: str) -> QListWidget:
        box = QListWidget()
        box.setObjectName(name)
        box.setMaximumHeight(130)
        return box

    # -- the list ---------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        self.types = self.editor.types()
        self.list.blockSignals(True)
        self.list.clear()
        for kind in self.types:
            item = QListWidgetItem(colour_icon(kind.color), f"{kind.name}   {_ends(kind)}")
            self.list.addItem(item)
        ids = [k.id for k in self.types]
        row = ids.index(select) if select in ids else (0 if ids else -1)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._show(row)

    def _current(self) -> RelationType | None:
        return self.types[self._row] if 0 <= self._row < len(self.types) else None

    def _row_changed(self, row: int) -> None:
        self.save_field("definition")
        chosen = self.types[row].id if 0 <= row < len(self.types) else None
        self.reload(chosen)

    def _show(self, row: int) -> None:
        self._row = row
        kind = self._current()
        self.name.setText(kind.name if kind else "")
        self.definition.setPlainText(kind.definition if kind else "")
        self.colour.show_colour(kind.color if kind else "#888888")
        names = [lab.name for lab in self.current_labels()]
        for box, chosen in (
            (self.head_labels, kind.heads if kind else []),
            (self.child_labels, kind.children if kind else []),
        ):
            box.blockSignals(True)
            box.clear()
            for name in names:
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                ticked = name in chosen
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                item.setData(_ROLE, name)
                box.addItem(item)
            box.blockSignals(False)
        for w in (
            self.name,
            self.colour,
            self.head_labels,
            self.child_labels,
            self.definition,
            self.delete,
        ):
            w.setEnabled(kind is not None)

    # -- saving, one field at a time ---------------------------------------------------------

    def _ticked(self, box: QListWidget) -> list[str]:
        return [
            box.item(n).data(_ROLE)
            for n in range(box.count())
            if box.item(n).checkState() == Qt.CheckState.Checked
        ]

    def _value(self, field: str) -> Any:
        if field == "name":
            return self.name.text().strip()
        if field == "color":
            return self.colour.value
        if field == "heads":
            return self._ticked(self.head_labels)
        if field == "children":
            return self._ticked(self.child_labels)
        return self.definition.toPlainText().strip()

    def save_field(self, field: str) -> bool:
        """Save one field of the selected type if it was changed; False when refused (the
        field then shows the stored value again, with the reason)."""
        kind = self._current()
        if kind is None:
            return False
        value = self._value(field)
        if value == getattr(kind, field):
            return True
        try:
            after = self.editor.update(kind, field, value)
        except (Refused, LabelError) as e:
            self.error.setText(str(e))
            if field in ("heads", "children"):
                self._show(self._row)
            return False
        self.error.clear()
        self.types[self._row] = after
        item = self.list.item(self._row)
        item.setText(f"{after.name}   {_ends(after)}")
        item.setIcon(colour_icon(after.color))
        return True

    def save_all(self) -> None:
        for field in ("name", "definition"):
            self.save_field(field)

    def _recolour(self) -> None:
        if self.colour.pick(self.ask_colour or self.colour.ask):
            self.save_field("color")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.definition and event.type() == QEvent.Type.FocusOut:
            self.save_field("definition")
        return super().eventFilter(watched, event)

    # -- adding and deleting ------------------------------------------------------------------

    def add_type(self) -> bool:
        taken = {k.name for k in self.types}
        name = free_name(taken, "new_relation", lambda n: f"new_relation_{n}")
        try:
            kind = self.editor.add(name)
        except (Refused, LabelError) as e:
            self.error.setText(str(e))
            return False
        self.reload(kind.id)
        self.name.setFocus()
        self.name.selectAll()
        return True

    def delete_selected(self) -> bool:
        kind = self._current()
        if kind is None:
            return False
        count = self.editor.usage(kind)
        if not confirm_deletion(self.confirm, "relation type", kind.name, count, "relation"):
            return False
        try:
            self.editor.delete(kind)
        except (Refused, LabelError) as e:
            self.error.setText(str(e))
            return False
        self.reload()
        return True
