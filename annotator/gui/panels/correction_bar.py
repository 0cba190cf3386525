"""The bar above the article on a document sent back for correction: who sent it back, their
note, and the curator's changes to the analyst's spans, one a line; choosing a line selects
that place in the text."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

_PLACE = Qt.ItemDataRole.UserRole


class CorrectionBar(QFrame):
    #: A change chosen: the place in the text (start, end), in code points.
    chosen = Signal(int, int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("correctionBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.heading = QLabel()
        self.heading.setObjectName("correctionHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.note = QLabel()
        self.note.setObjectName("correctionNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changes = QListWidget()
        self.changes.setObjectName("correctionChanges")
        self.changes.itemClicked.connect(self._chosen)
        self.changes.itemActivated.connect(self._chosen)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 10, 6)
        column.addWidget(self.heading)
        column.addWidget(self.note)
        column.addWidget(self.changes)
        self.hide()

    def show_correction(
        self, curator: str, note: str, changes: list[tuple[str, tuple[int, int]]]
    ) -> None:
        """Show a send-back: the curator, their note and each change as (line, place)."""
        self.heading.setText(
            f"Sent back to you for correction by {curator}."
            + (" The curator's changes to your spans (click one to see it):" if changes else "")
        )
        self.note.setText(f"\u201c{note}\u201d")
        self.changes.clear()
        for line, (start, end) in changes:
            item = QListWidgetItem(line)
            item.setData(_PLACE, (start, end))
            self.changes.addItem(item)
        self.changes.setVisible(bool(changes))
        if changes:  # as high as its lines, up to six (then it scrolls)
            high = self.changes.sizeHintForRow(0)
            frame = 2 * self.changes.frameWidth() + 2
            self.changes.setFixedHeight(min(len(changes), 6) * high + frame)
        self.show()

    def lines(self) -> list[str]:
        return [self.changes.item(i).text() for i in range(self.changes.count())]

    def _chosen(self, item: QListWidgetItem) -> None:
        start, end = item.data(_PLACE)
        self.chosen.emit(int(start), int(end))
