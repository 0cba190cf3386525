"""The first start's question, asked inside the window: the analyst's name, recorded on every
span they make. The window behind stays in view, waiting, until it is answered."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout


class _NameField(QLineEdit):
    skipped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.skipped.emit()
            return
        super().keyPressEvent(event)


class NameBar(QFrame):
    #: The name typed ("" when the analyst passed, taking the name offered first).
    answered = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("nameBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        title = QLabel("<b>Welcome to annotator.</b> Your name, recorded on every span you make:")
        self.field = _NameField()
        self.field.setObjectName("nameField")
        self.use = QPushButton("&Use this name")
        self.use.setObjectName("nameUse")
        self.use.setDefault(True)
        self.problem = QLabel()
        self.problem.setObjectName("nameProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.hide()
        later = QLabel(
            "Enter keeps it (Esc keeps the name offered). The command line records the same "
            "name; File \u2192 Annotator name (Ctrl+Shift+N) changes it later."
        )
        later.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(title)
        row.addWidget(self.field, 1)
        row.addWidget(self.use)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 8, 10, 8)
        column.addLayout(row)
        column.addWidget(self.problem)
        column.addWidget(later)
        self.field.returnPressed.connect(lambda: self.answered.emit(self.field.text()))
        self.field.skipped.connect(lambda: self.answered.emit(""))
        self.use.clicked.connect(lambda: self.answered.emit(self.field.text()))
        self.hide()

    def ask(self, offered: str) -> None:
        self.field.setText(offered)
        self.field.selectAll()
        self.problem.hide()
        self.show()
        self.field.setFocus()

    def refuse(self, why: str) -> None:
        """Say why the name typed cannot be used, and leave it there to be corrected."""
        self.problem.setText(f"That name cannot be used: {why}")
        self.problem.show()
        self.field.setFocus()
