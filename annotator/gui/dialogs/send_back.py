"""The note a curator sends back with a document: one line, Enter sends, Esc cancels."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class SendBackDialog(QDialog):
    def __init__(self, analyst: str, title: str, span: str | None, parent: QWidget | None):
        super().__init__(parent)
        self.setObjectName("sendBackDialog")
        self.setWindowTitle(f"Send back to {analyst}")
        heading = QLabel(
            f"Send \u201c{title}\u201d back to {analyst} for correction. Your note, which "
            f"{analyst} reads above the article (Enter sends, Esc cancels):"
        )
        heading.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setObjectName("sendBackNote")
        self.note.setPlaceholderText("What to correct")
        #: Whether the send-back is about the span chosen in the review panel.
        self.about = QCheckBox(f"About their {span}" if span else "")
        self.about.setObjectName("sendBackAbout")
        self.about.setChecked(span is not None)
        self.about.setVisible(span is not None)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        send = buttons.addButton("&Send back", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        for button in (send, cancel):  # Enter in the note sends; no button takes it
            button.setAutoDefault(False)
            button.setDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.note.returnPressed.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.note)
        layout.addWidget(self.about)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())
        self.note.setFocus()

    def accept(self) -> None:
        """An empty note sends nothing: the dialog stays, saying so."""
        if not self.note.text().strip():
            self.note.setPlaceholderText("Say what to correct first (Esc cancels)")
            return
        super().accept()

    def text(self) -> str:
        return self.note.text()
