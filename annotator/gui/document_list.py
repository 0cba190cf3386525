"""The document list: a table model over ``store.document_rows()``, which carries no text.

One model row per document and no widget per row, so 100,000 documents stay quick. Filtering
asks the store again; a change to one document repaints its one row from what the write
returned, without asking the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.model import STATUSES

if TYPE_CHECKING:  # the store pulls in sqlite-utils, which start-up does without
    from annotator.changes import DocumentState
    from annotator.store import DocumentRow, Store

_Index = QModelIndex | QPersistentModelIndex
STATUS_NAMES = {"new": "new", "in_progress": "in progress", "done": "done", "skipped": "skipped"}


class DocumentListModel(QAbstractTableModel):
    COLUMNS = ("Title", "Status", "Spans")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DocumentRow] = []
        self._row_of: dict[int, int] = {}

    def reset(self, rows: list[DocumentRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._row_of = {r.id: i for i, r in enumerate(rows)}
        self.endResetModel()

    def row_of(self, document_id: int) -> int | None:
        return self._row_of.get(document_id)

    def replace(self, row: DocumentRow) -> None:
        """Show a document's new status or span count; only its row repaints."""
        i = self._row_of.get(row.id)
        if i is not None:
            self.rows[i] = row
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))

    def show_state(self, state: DocumentState) -> None:
        """A document's status and span count as a write returned them."""
        i = self._row_of.get(state.id)
        if i is not None:
            row = self.rows[i]
            if (row.status, row.span_count) != (state.status, state.span_count):
                self.replace(replace(row, status=state.status, span_count=state.span_count))

    def show_span_count(self, document_id: int, count: int) -> None:
        i = self._row_of.get(document_id)
        if i is not None and self.rows[i].span_count != count:
            self.replace(replace(self.rows[i], span_count=count))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return row.title
            if col == 1:
                return STATUS_NAMES.get(row.status, row.status)
            return row.span_count
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None


class DocumentList(QWidget):
    """Status filter, search box and the table; ``view.activated`` etc. are the window's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.model = DocumentListModel(self)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.status.addItem("All documents", None)
        for s in STATUSES:
            self.status.addItem(STATUS_NAMES[s].capitalize(), s)
        self.search = QLineEdit()
        self.search.setObjectName("documentSearch")
        self.search.setPlaceholderText("Search titles and text")
        self.search.setClearButtonEnabled(True)
        self.view = QTableView()
        self.view.setObjectName("documentList")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        # Fixed widths: "resize to contents" would measure all 100,000 rows.
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        metrics = self.fontMetrics()
        header.resizeSection(1, metrics.horizontalAdvance("in progress") + 12)
        header.resizeSection(2, metrics.horizontalAdvance("Spans") + 12)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.status)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)  # searching the text of every document is not free
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(self._debounce.start)
        self.status.currentIndexChanged.connect(self.reload)
        # The window says what a row's context menu holds (Reopen ...).
        self.menu_for: Callable[[int], QMenu] | None = None
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

    def _context_menu(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        document = self.document_at(index.row()) if index.isValid() else None
        if document is not None and self.menu_for is not None:
            menu = self.menu_for(document)
            menu.exec(self.view.viewport().mapToGlobal(point))
            menu.deleteLater()

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.reload()

    def reload(self) -> None:
        self._debounce.stop()
        if self.store is None:
            self.model.reset([])
            return
        search = self.search.text().strip() or None
        self.model.reset(self.store.document_rows(self.status.currentData(), search))

    def show_current(self, document_id: int | None) -> None:
        """Select the open document's row without telling anyone it was chosen."""
        row = None if document_id is None else self.model.row_of(document_id)
        selection = self.view.selectionModel()
        blocked = selection.blockSignals(True)
        try:
            if row is None:
                selection.clearSelection()
            else:
                index = self.model.index(row, 0)
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
        finally:
            selection.blockSignals(blocked)
        self.view.viewport().update()

    def document_at(self, row: int) -> int | None:
        return self.model.rows[row].id if 0 <= row < len(self.model.rows) else None
