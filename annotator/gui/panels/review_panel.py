"""The review panel: every analyst's spans and relations on the open document, for a curator
to accept or reject.

Identical spans (same start, end and label) are one row, with everyone who made it; so are
identical relations (the same type between the same ends), listed after the spans. A row is
accepted when the curated layer holds its span (or its relation); the panel learns that from
the curated layer the window shows, so an accept, an undo or a delete in the article all show
here the same way. A row that every analyst who marked the document done made is "agreed".
Two filters narrow the rows to one analyst's layer and one label or relation type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
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

from annotator.gui.panels.delete_keys import keep_delete
from annotator.gui.panels.span_list import preview, quoted
from annotator.gui.swatches import swatch

if TYPE_CHECKING:  # the core's curation reads the store, which start-up does without
    from typing_extensions import TypeIs

    from annotator.team.layers import LayerRelation, LayerSpan

    Row = LayerSpan | LayerRelation

_Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the root, as Qt passes it when a view asks for the top level
Key = tuple[int, int, str]
RowKey = Key | tuple[Key, Key, str]  # a span's, or a relation's: its two ends and its type
# Colours told apart on light and dark backgrounds, one per analyst in name order.
ANALYST_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#9c755f")


def who_made(analysts: tuple[str, ...]) -> str:
    if len(analysts) == 1:
        return analysts[0]
    return f"{len(analysts)} analysts ({', '.join(analysts)})"


def is_relation(row: Row) -> TypeIs[LayerRelation]:
    return hasattr(row, "kind")


def row_label(row: Row) -> str:
    """What the Label column and filter call a row: a span's label, a relation's type."""
    return row.kind if is_relation(row) else row.label


class ReviewRowsModel(QAbstractTableModel):
    COLUMNS = ("Curated", "Label", "Text", "Characters", "Made by")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.every: list[Row] = []
        self.rows: list[Row] = []
        self.accepted: set[RowKey] = set()
        # Who marked the document done: a row all of them made is agreed (two at least).
        self.done: frozenset[str] = frozenset()
        self.analyst: str | None = None
        self.label: str | None = None
        self._label_colours: dict[str, str] = {}
        self._icons: dict[str, QIcon] = {}
        self._dots: dict[str, QIcon] = {}
        self.analyst_colours: dict[str, str] = {}

    def set_spans(
        self,
        spans: list[Row],
        accepted: set[RowKey],
        done: list[str] | None = None,
    ) -> None:
        """The rows (spans, then relations) and which are accepted; ``done``: who marked the
        document done."""
        self.beginResetModel()
        self.every = spans
        self.accepted = set(accepted)
        self.done = frozenset(done or ())
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
            and (self.label is None or row_label(s) == self.label)
        ]

    def agreed(self, row: Row) -> bool:
        return len(self.done) >= 2 and self.done <= set(row.analysts)

    def set_accepted(self, accepted: set[RowKey]) -> None:
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
        row = self.rows[index.row()]
        col = index.column()
        accepted = row.key in self.accepted
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown(row, col, accepted)
        if role == Qt.ItemDataRole.DecorationRole:
            if col == 1:
                colour = self._label_colours.get(row_label(row), "#888888")
                return None if is_relation(row) else self._icon(colour)
            if col == 4 and len(row.analysts) == 1:
                return self._dot(self.analyst_colours.get(row.analysts[0], "#888888"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, accepted)
        if role == Qt.ItemDataRole.FontRole and accepted:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col == 0 and accepted:
            return QColor("#2e7d32")
        return None

    def _shown(self, row: Row, col: int, accepted: bool) -> str:
        if col == 0:
            return "✓ accepted" if accepted else ""
        if col == 4:
            made = who_made(row.analysts)
            return f"{made} · agreed" if self.agreed(row) else made
        if is_relation(row):
            head, child = row.head, row.child
            if col == 1:
                return f"→ {row.kind}"
            if col == 2:
                return f"{quoted(head.text, 70)} → {quoted(child.text, 70)}"
            return f"{head.start} → {child.start}"
        span: LayerSpan = row
        if col == 1:
            return span.label
        if col == 2:
            return preview(span.text, 160)
        return f"{span.start}–{span.end}"

    def _tip(self, row: Row, accepted: bool) -> str:
        state = "in the curated layer" if accepted else "not accepted"
        agreed = ", agreed by all who marked it done" if self.agreed(row) else ""
        who = ", ".join(row.analysts)
        if is_relation(row):
            head, child = row.head, row.child
            return (
                f"{row.kind}: {head.label} [{head.start}, {head.end}) → "
                f"{child.label} [{child.start}, {child.end}) by {who} ({state}{agreed})\n"
                f"{head.text}\n→ {child.text}"
            )
        span: LayerSpan = row
        return f"{span.label} [{span.start}, {span.end}) by {who} ({state}{agreed})\n{span.text}"

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None


class ReviewPanel(QWidget):
    """Filters, the rows, the accept buttons and whether the document is settled. The window
    connects the buttons to its actions, so a button, its menu item and its key are one."""

    #: Delete or Backspace in the rows: the chosen row is rejected (not the window's span
    #: delete, which would take the curated span the article has selected).
    reject_pressed = Signal()

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
        self.reject = QPushButton("&Reject")
        self.reject.setObjectName("reviewReject")
        self.reject.setToolTip("Leave the chosen row out of the curated layer (Delete)")

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
        for b in (self.accept, self.reject, self.accept_agreed, self.accept_layer):
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
        self.table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return watched is self.table and keep_delete(event, self.reject_pressed.emit)

    def fit_labels(self, labels: list[str]) -> None:
        """The label column as wide as the longest label, swatch and all."""
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(name) for name in labels), default=0)
        self.table.horizontalHeader().resizeSection(
            1, max(widest + 40, 8 * metrics.averageCharWidth())
        )

    def set_choices(
        self, analysts: list[str], labels: list[str], kinds: list[str] | None = None
    ) -> None:
        """The analysts, labels and relation types (``kinds``) the filters offer (the current
        choice kept when it is still there)."""
        relations = [(f"\u2192 {kind}", kind) for kind in kinds or []]
        for combo, everyone, names in (
            (self.analyst, "Every analyst", [(name, name) for name in analysts]),
            (self.label, "Every label", [*((name, name) for name in labels), *relations]),
        ):
            kept = combo.currentData()
            blocked = combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for shown, name in names:
                combo.addItem(shown, name)
            at = combo.findData(kept) if kept is not None else 0
            combo.setCurrentIndex(max(at, 0))
            combo.blockSignals(blocked)
        self._filter()

    def _filter(self) -> None:
        self.model.set_filter(self.analyst.currentData(), self.label.currentData())

    def current(self) -> Row | None:
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
