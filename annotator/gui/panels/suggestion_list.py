"""The open document's suggestions, listed apart from its spans: greyed rows under a heading.

A section of its own below the span list, so a proposal is never read as an annotation: the
heading says how many there are and which keys take them, or, when there are none, how to ask
for some. Rows follow the document model one at a time, in text order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.panels.span_list import HintedTable
from annotator.model import Span
from annotator.session.document_model import SUGGESTION, DocumentModel, ItemChanges

_Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
PREVIEW_CHARS = 60
_CELL = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren


def _key(span: Span) -> tuple[int, int, int]:
    return (span.start, span.end, span.id or 0)


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1] + "…"


def made_by(span: Span, *, short: bool = False) -> str:
    """The suggester and its score: "quotes (0.90)", or "quotes 0.90" where room is short."""
    who = span.suggester or "a suggester"
    if span.score is None:
        return who
    return f"{who} {span.score:.2f}" if short else f"{who} ({span.score:.2f})"


def describe(span: Span) -> str:
    """What hovering a suggestion says: "quote, suggested by quotes (0.90)"."""
    return f"{span.label}, suggested by {made_by(span)}"


def outline_icon(colour: str, size: int) -> QIcon:
    """A hollow square: suggestions are outlined, not filled."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    pen = painter.pen()
    pen.setColor(QColor(colour))
    pen.setWidth(2)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawRect(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pix)


class SuggestionListModel(QAbstractTableModel):
    COLUMNS = ("Label", "Text", "Suggested by")

    def __init__(
        self, colours: Callable[[], dict[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.spans: list[Span] = []
        self._keys: list[tuple[int, int, int]] = []
        self.colours = colours  # each label's colour by name, asked when a row is painted
        self._icons: dict[tuple[str, str], QIcon] = {}
        self._grey = QColor("#777777")
        self._italic = QFont()
        self._italic.setItalic(True)

    def attach(self, document: DocumentModel) -> None:
        document.events.loaded.connect(lambda: self.reset(list(document.suggestions.values())))
        document.events.changed.connect(self._changed)

    def set_palette(self, palette: QPalette) -> None:
        self._grey = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)

    def _changed(self, found: ItemChanges[Span]) -> None:
        if found.kind != SUGGESTION:
            return
        for span in found.removed:
            self._remove(span)
        for before, after in found.updated:
            self._remove(before)
            self._insert(after)
        for span in found.added:
            self._insert(span)

    def reset(self, spans: list[Span]) -> None:
        self.beginResetModel()
        self.spans = sorted(spans, key=_key)
        self._keys = [_key(s) for s in self.spans]
        self.endResetModel()

    def row_of_id(self, span_id: int) -> int | None:
        return next((i for i, s in enumerate(self.spans) if s.id == span_id), None)

    def _insert(self, span: Span) -> None:
        i = bisect_left(self._keys, _key(span))
        self.beginInsertRows(_NO_PARENT, i, i)
        self.spans.insert(i, span)
        self._keys.insert(i, _key(span))
        self.endInsertRows()

    def _remove(self, span: Span) -> None:
        i = bisect_left(self._keys, _key(span))
        if i >= len(self.spans) or self.spans[i].id != span.id:
            found = self.row_of_id(span.id) if span.id is not None else None
            if found is None:
                return
            i = found
        self.beginRemoveRows(_NO_PARENT, i, i)
        del self.spans[i]
        del self._keys[i]
        self.endRemoveRows()

    def rowCount(self, parent: _Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.spans)

    def columnCount(self, parent: _Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _CELL if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        span = self.spans[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (span.label, _preview(span.text), made_by(span, short=True))[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._grey
        if role == Qt.ItemDataRole.FontRole:
            return self._italic
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            colour = self.colours().get(span.label, "#888888")
            icon = self._icons.get((span.label, colour))
            if icon is None:
                icon = self._icons[(span.label, colour)] = outline_icon(colour, 12)
            return icon
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{describe(span)} [{span.start}, {span.end})\n{span.text}"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None


class SuggestionPanel(QWidget):
    """The heading (count, keys, a Suggest button) and the table of suggestions."""

    def __init__(self, model: SuggestionListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionPanel")
        self.model = model
        self.heading = QLabel()
        self.heading.setObjectName("suggestionHeading")
        self.heading.setWordWrap(True)
        self.suggest = QToolButton()
        self.suggest.setObjectName("suggestButton")
        self.suggest.setText("Suggest")
        self.suggest.setToolTip("Propose quotes, captions and concessions in this document (F8)")
        # the text keeps a share of a narrow panel; the label and suggester columns give way
        self.table = HintedTable()
        self.table.setObjectName("suggestionList")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        header.resizeSection(0, metrics.horizontalAdvance("concession") + 40)
        header.resizeSection(2, metrics.horizontalAdvance("concessions 0.55") + 16)
        header.setMinimumSectionSize(3 * metrics.averageCharWidth())
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 4, 0)
        top.addWidget(self.heading, 1)
        top.addWidget(self.suggest, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        # Rows come and go one at a time (a refresh brings many at once): the heading, laid
        # out again with each new text, follows them once a turn.
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(0)
        self._recount.timeout.connect(self.show_count)
        model.modelReset.connect(self.show_count)
        model.rowsInserted.connect(self._recount.start)
        model.rowsRemoved.connect(self._recount.start)
        self.show_count()

    def show_count(self) -> None:
        self._recount.stop()
        n = self.model.rowCount()
        if n:
            what = "1 suggestion" if n == 1 else f"{n} suggestions"
            self.heading.setText(
                f"<b>Suggested</b> · {what}<br><small>] / [ next / previous · Enter accepts ·"
                " a label's key accepts as that label · Delete rejects</small>"
            )
        else:
            self.heading.setText(
                "<b>Suggested</b> · none here<br><small>Tag → Suggest for this document (F8)"
                " proposes quotes, captions and concessions to accept or reject</small>"
            )
        self.table.setVisible(bool(n))

    def show_row(self, row: int | None) -> None:
        """Make ``row`` the selected row (None: none), without telling anyone it was chosen."""
        selection = self.table.selectionModel()
        blocked = selection.blockSignals(True)
        try:
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(
                    self.model.index(-1, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )
            else:
                index = self.model.index(row, 0)
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)
        finally:
            selection.blockSignals(blocked)
        self.table.viewport().update()
