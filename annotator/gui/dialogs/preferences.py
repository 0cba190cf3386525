"""Edit → Preferences: the open project's settings an analyst may change (how often the
learned model is trained again as documents are marked done), and the user's keys."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.dialogs.keys_page import KeysPage
from annotator.session.learning import MAX_RETRAIN_EVERY


class PreferencesDialog(QDialog):
    """``every``: the project's setting (None: no project is open, nothing can be set).

    The Learning page is kept with OK; each key set on the Keys page is saved and used at
    once (its ``changed`` signal), whatever button closes the dialog.
    """

    def __init__(self, every: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferences")
        self.setWindowTitle("Preferences")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("preferencesTabs")
        self.tabs.addTab(self._learning_page(every), "&Learning")
        self.keys = KeysPage()
        self.tabs.addTab(self.keys, "&Keys")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _learning_page(self, every: int | None) -> QWidget:
        page = QWidget()
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
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        return page

    def show_keys(self) -> None:
        self.tabs.setCurrentWidget(self.keys)

    def retrain_every(self) -> int:
        return self.every.value()
