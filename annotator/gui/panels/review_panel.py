"""The review panel: every analyst's spans on the open document, for a curator to accept.

Identical spans (same start, end and label) are one row, with everyone who made it. A row is
accepted when the curated layer holds a span with its start, end and label; the panel learns
that from the curated spans the window shows, so an accept, an undo or a delete in the
article all show here the same way. Two filters narrow the rows to one analyst's layer and
one label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.panels.span_list import preview
from annotator.gui.swatches import swatch

if TYPE_CHECKING:  # the core's curation reads the store, which start-up does without
    from annotator.team.layers import LayerSpan

_Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the root, as Qt passes it when a view asks for the top level
Key = tuple[int, int, str]
# Colours told apart on light and dark backgrounds, one per analyst in name order.
ANALYST_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#9c755f")


def who_made(analysts: tuple[str, ...]) -> str:
    if len(analysts) == 1:
        return analysts[0]
    return f"{len(analysts)} analysts ({', '.join(analysts)})"


class ReviewRowsModel(QAbstractTableModel):
    COLUMNS = ("Curated", "Label", "Text", "Characters", "Made by")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.every: list[LayerSpan] = []
        self.rows: list[LayerSpan] = []
        self.accepted: set[Key] = set()
        self.analyst: str | None = None
        self.label: str | None = None
        self._label_colours: dict[str, str] = {}
        self._icons: dict[str, QIcon] = {}
        self._dots: dict[str, QIcon] = {}
        self.analyst_colours: dict[str, str] = {}

    def set_spans(self, spans: list[LayerSpan], accepted: set[Key]) -> None:
        self.beginResetModel()
        self.every = spans
        self.accepted = set(accepted)
        self._filter()
        self.endResetModel()

    def set_filter(self, analyst: str | None, label: str | None) -> None:
        self.beginResetModel()
        self.analyst, self.label = analyst, label
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        self.rows = [
            s
            for s in self.every
            if (self.analyst is None or self.analyst in s.analysts)
            and (self.label is None or s.label == self.label)
        ]

    def set_accepted(self, accepted: set[Key]) -> None:
        """Mark again which rows are in the curated layer; only rows that changed repaint."""
        changed = accepted ^ self.accepted
        self.accepted = set(accepted)
        for i, s in enumerate(self.rows):
            if s.key in changed:
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))

    def set_colours(self, labels: dict[str, str], analysts: list[str]) -> None:
        self._label_colours = dict(labels)
        self._icons.clear()
        self.analyst_colours = {
            who: ANALYST_COLOURS[i % len(ANALYST_COLOURS)] for i, who in enumerate(analysts)
        }

    def _dot(self, colour: str) -> QIcon:
        """An analyst's colour as a round dot, never taken for a label's square."""
        icon = self._dots.get(colour)
        if icon is None:
            pix = QPixmap(12, 12)
            pix.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pix)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QColor(0, 0, 0, 110))
            painter.setBrush(QColor(colour))
            painter.drawEllipse(1, 1, 10, 10)
            painter.end()
            icon = self._dots[colour] = QIcon(pix)
        return icon

    def _icon(self, colour: str) -> QIcon:
        icon = self._icons.get(colour)
        if icon is None:
            icon = self._icons[colour] = swatch(colour, 12)
        return icon

    def rowCount(self, parent: _Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        span = self.rows[index.row()]
        col = index.column()
        accepted = span.key in self.accepted
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return "✓ accepted" if accepted else ""
            if col == 1:
                return span.label
            if col == 2:
                return preview(span.text, 160)
            if col == 3:
                return f"{span.start}–{span.end}"
            return who_made(span.analysts)
        if role == Qt.ItemDataRole.DecorationRole:
            if col == 1:
                return self._icon(self._label_colours.get(span.label, "#888888"))
            if col == 4 and len(span.analysts) == 1:
                return self._dot(self.analyst_colours.get(span.analysts[0], "#888888"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            state = "in the curated layer" if accepted else "not accepted"
            return (
                f"{span.label} [{span.start}, {span.end}) by {', '.join(span.analysts)}"
                f" ({state})\n{span.text}"
            )
        if role == Qt.ItemDataRole.FontRole and accepted:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col == 0 and accepted:
            return QColor("#2e7d32")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None


class ReviewPanel(QWidget):
    """Filters, the rows, the accept buttons and whether the document is settled. The window
    connects the buttons to its actions, so a button, its menu item and its key are one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.model = ReviewRowsModel(self)
        self.analyst = QComboBox()
        self.analyst.setObjectName("reviewAnalyst")
        self.label = QComboBox()
        self.label.setObjectName("reviewLabel")
        for combo in (self.analyst, self.label):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.settled = QLabel()
        self.settled.setObjectName("reviewSettled")
        self.table = QTableView()
        self.table.setObjectName("reviewTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, self.fontMetrics().horizontalAdvance("✓ accepted") + 16)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 14 * char)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, self.fontMetrics().horizontalAdvance("00000–00000") + 16)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(4, 30 * char)
        self.accept = QPushButton("&Accept")
        self.accept.setObjectName("reviewAccept")
        self.accept_agreed = QPushButton("Accept all a&greed")
        self.accept_agreed.setObjectName("reviewAcceptAgreed")
        self.accept_layer = QPushButton("Accept all of this label from this anal&yst")
        self.accept_layer.setObjectName("reviewAcceptLayer")

        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 0)
        shown_analyst = QLabel("Analys&t:")
        shown_analyst.setBuddy(self.analyst)
        shown_label = QLabel("La&bel:")
        shown_label.setBuddy(self.label)
        top.addWidget(shown_analyst)
        top.addWidget(self.analyst)
        top.addSpacing(12)
        top.addWidget(shown_label)
        top.addWidget(self.label)
        top.addStretch(1)
        top.addWidget(self.settled)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(6, 0, 6, 4)
        for b in (self.accept, self.accept_agreed, self.accept_layer):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.analyst.currentIndexChanged.connect(self._filter)
        self.label.currentIndexChanged.connect(self._filter)

    def fit_labels(self, labels: list[str]) -> None:
        """The label column as wide as the longest label, swatch and all."""
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(name) for name in labels), default=0)
        self.table.horizontalHeader().resizeSection(
            1, max(widest + 40, 8 * metrics.averageCharWidth())
        )

    def set_choices(self, analysts: list[str], labels: list[str]) -> None:
        """The analysts and labels the filters offer (the current choice kept when it is
        still there)."""
        for combo, everyone, names in (
            (self.analyst, "Every analyst", analysts),
            (self.label, "Every label", labels),
        ):
            kept = combo.currentData()
            blocked = combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for name in names:
                combo.addItem(name, name)
            at = combo.findData(kept) if kept is not None else 0
            combo.setCurrentIndex(max(at, 0))
            combo.blockSignals(blocked)
        self._filter()

    def _filter(self) -> None:
        self.model.set_filter(self.analyst.currentData(), self.label.currentData())

    def current(self) -> LayerSpan | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def select_row(self, row: int | None) -> None:
        if row is None or not 0 <= row < len(self.model.rows):
            self.table.clearSelection()
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def show_settled(self, curator: str | None) -> None:
        self.settled.setText(
            f"Settled by {curator}" if curator else "Not settled yet (Ctrl+Enter settles it)"
        )
