"""Edit → Preferences: the settings of the open project that an analyst may change, for now
how often the learned model is trained again as documents are marked done."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.session.learning import MAX_RETRAIN_EVERY


class PreferencesDialog(QDialog):
    """``every``: the project's setting (None: no project is open, nothing can be set)."""

    def __init__(self, every: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferences")
        self.setWindowTitle("Preferences")
        self.every = QSpinBox()
        self.every.setObjectName("retrainEvery")
        self.every.setRange(0, MAX_RETRAIN_EVERY)
        self.every.setSpecialValueText("never")
        self.every.setSuffix(" documents done")
        self.every.setValue(every if every is not None else 0)
        self.every.setEnabled(every is not None)
        form = QFormLayout()
        form.addRow("Train the learned model again after every", self.every)
        note = QLabel(
            "Kept in the project. The model is trained in the background once the project "
            "has one (Tag → Learn from the documents done, or annotator train); its "
            "suggestions on the documents not done are then refreshed."
            if every is not None
            else "Open a project to change its settings."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def retrain_every(self) -> int:
        return self.every.value()
