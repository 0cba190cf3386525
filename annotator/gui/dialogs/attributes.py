"""A small form for a span's attributes, as its label declares them: a line of text for a
free-text attribute, a list for one with values (with an empty choice to leave it unset)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)


class AttributesDialog(QDialog):
    def __init__(
        self,
        label: str,
        declared: list[dict[str, Any]],
        current: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("attributesDialog")
        self.setWindowTitle(f"Attributes of this {label}")
        form = QFormLayout(self)
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        for spec in declared:
            name = spec["name"]
            field: QLineEdit | QComboBox
            if spec.get("kind") == "choice":
                field = QComboBox(self)
                field.addItems(["", *spec.get("values", [])])
                field.setCurrentText(current.get(name, ""))
            else:
                field = QLineEdit(current.get(name, ""), self)
            if spec.get("definition"):
                field.setToolTip(spec["definition"])
            field.setObjectName(f"attribute:{name}")
            field.setMinimumWidth(30 * field.fontMetrics().averageCharWidth())
            form.addRow(name, field)
            self.fields[name] = field
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        return {
            name: field.currentText() if isinstance(field, QComboBox) else field.text()
            for name, field in self.fields.items()
        }
