"""The document list: a table model over ``store.documents.rows()``, which carries no text.

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
from PySide6.QtGui import QColor
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

from annotator.model import STATUS_NAMES, STATUSES

if TYPE_CHECKING:  # the store pulls in sqlite-utils, which start-up does without
    from annotator.changes import DocumentState
    from annotator.store.project import DocumentRow, Store

_Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the root, as Qt passes it when a view asks for the top level
# Each analyst's status in the "Everyone" column: "ana ✓ · bo … · cy –"
STATUS_MARKS = {"new": "–", "in_progress": "…", "done": "✓", "skipped": "↷"}
TEAM_LEGEND = "✓ done, … in progress, ↷ skipped, – not begun; ★ settled by a curator"


_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_SERVED = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _FOREGROUND})  # the roles data() answers
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_GREY = QColor("#808080")  # the Suggested column's counts


class DocumentListModel(QAbstractTableModel):
    COLUMNS = ("Title", "Status", "Spans")
    TEAM = 3  # the "Everyone" column, each analyst's status, when it is shown
    SUGGESTED = "Suggested"  # the last column: suggestions waiting, apart from the spans

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DocumentRow] = []
        self._row_of: dict[int, int] = {}
        # With everyone's statuses shown: the analysts, their statuses by document, the
        # documents a curator settled, and the current analyst (whose status rows carry).
        self.team: dict[int, dict[str, str]] | None = None
        self.analysts: list[str] = []
        self.settled: set[int] = set()
        self.me = ""
        # Suggestions waiting on each document (those with none are left out), in a last
        # column shown while there are any; the Spans column counts annotations only.
        self.suggested: dict[int, int] = {}
        self._suggested_shown = False

    def set_team(
        self,
        team: dict[int, dict[str, str]] | None,
        analysts: list[str],
        settled: set[int],
        me: str,
    ) -> None:
        """Everyone's statuses (None: the column is not shown); the rows follow with reset()."""
        self.team, self.analysts, self.settled, self.me = team, analysts, settled, me

    def team_text(self, row: DocumentRow) -> str:
        assert self.team is not None
        theirs = dict(self.team.get(row.id, {}))
        theirs[self.me] = row.status  # the current analyst's, as the row shows it
        names = list(self.analysts)
        if self.me not in names and row.status != "new":
            names = sorted([*names, self.me])
        text = " · ".join(f"{who} {STATUS_MARKS.get(theirs.get(who, 'new'), '?')}" for who in names)
        return ("★ " if row.id in self.settled else "") + text

    def team_tooltip(self, row: DocumentRow) -> str:
        assert self.team is not None
        theirs = dict(self.team.get(row.id, {}))
        theirs[self.me] = row.status
        lines = [
            f"{who}: {STATUS_NAMES.get(theirs.get(who, 'new'), '?')}"
            for who in sorted(set(self.analysts) | {self.me})
        ]
        if row.id in self.settled:
            lines.append("settled by a curator")
        return "\n".join(lines)

    def show_settled(self, document_id: int, settled: bool) -> None:
        if (document_id in self.settled) == settled:
            return
        if settled:
            self.settled.add(document_id)
        else:
            self.settled.discard(document_id)
        i = self._row_of.get(document_id)
        if i is not None and self.team is not None:
            self.dataChanged.emit(self.index(i, self.TEAM), self.index(i, self.TEAM))

    def reset(self, rows: list[DocumentRow]) -> None:
        self.beginResetModel()
        self._suggested_shown = bool(self.suggested)
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
            self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))

    def show_state(self, state: DocumentState) -> None:
        """A document's status and span count as a write returned them."""
        i = self._row_of.get(state.id)
        if i is not None:
            row = self.rows[i]
            if (row.status, row.span_count) != (state.status, state.span_count):
                self.replace(replace(row, status=state.status, span_count=state.span_count))

    @property
    def suggested_column(self) -> int:
        return len(self.COLUMNS) + int(self.team is not None)

    def show_suggested(self, document_id: int, count: int) -> None:
        """A document's number of suggestions, as the open document's model has it."""
        if self.suggested.get(document_id, 0) == count:
            return
        if count:
            self.suggested[document_id] = count
        else:
            self.suggested.pop(document_id, None)
        column = self.suggested_column
        if bool(self.suggested) != self._suggested_shown:
            if self.suggested:
                self.beginInsertColumns(_NO_PARENT, column, column)
                self._suggested_shown = True
                self.endInsertColumns()
            else:
                self.beginRemoveColumns(_NO_PARENT, column, column)
                self._suggested_shown = False
                self.endRemoveColumns()
            return
        i = self._row_of.get(document_id)
        if i is not None:
            self.dataChanged.emit(self.index(i, column), self.index(i, column))

    def show_span_count(self, document_id: int, count: int) -> None:
        i = self._row_of.get(document_id)
        if i is not None and self.rows[i].span_count != count:
            self.replace(replace(self.rows[i], span_count=count))

    def rowCount(self, parent: _Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else self.suggested_column + int(self._suggested_shown)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting the list asks for every role of every cell in view, hundreds of calls:
        # those the list never serves are answered first.
        if role not in _SERVED or not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if col == self.suggested_column:
            return self._suggested_data(row, role)
        if col == self.TEAM:
            if role == _DISPLAY:
                return self.team_text(row)
            if role == _TOOLTIP:
                return self.team_tooltip(row)
            return None
        if role in (_DISPLAY, _TOOLTIP):
            if col == 0:
                return row.title
            if col == 1:
                return STATUS_NAMES.get(row.status, row.status)
            return row.span_count
        if role == _ALIGNMENT and col == 2:
            return _RIGHT
        return None

    def _suggested_data(self, row: DocumentRow, role: int) -> Any:
        count = self.suggested.get(row.id, 0)
        if role == _DISPLAY:
            return count or ""
        if role == _TOOLTIP and count:
            return f"{count} suggested, not yet accepted or rejected (not counted in Spans)"
        if role == _FOREGROUND:
            return _GREY
        if role == _ALIGNMENT:
            return _RIGHT
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole and section == self.suggested_column:
            return self.SUGGESTED
        if role == Qt.ItemDataRole.ToolTipRole and section == self.suggested_column:
            return "Suggestions waiting to be accepted or rejected; Spans counts annotations"
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section] if section < len(self.COLUMNS) else "Everyone"
        if role == Qt.ItemDataRole.ToolTipRole and section == self.TEAM:
            return TEAM_LEGEND
        return None


class DocumentList(QWidget):
    """Status filter, search box and the table; ``view.activated`` etc. are the window's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.team_shown = False
        self.order = "project"  # one of store.documents.ORDERS
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
        self._suggested_width = metrics.horizontalAdvance(DocumentListModel.SUGGESTED) + 12
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

    def show_team(self, shown: bool) -> None:
        """Show (or hide) the column of every analyst's status."""
        self.team_shown = shown
        # the analyst's own status is in the Everyone column (a curator's own is no one's)
        self.view.setColumnHidden(1, shown)
        self.reload()

    def show_settled(self, document_id: int, settled: bool) -> None:
        self.model.show_settled(document_id, settled)

    def reload(self) -> None:
        self._debounce.stop()
        if self.store is None:
            self.model.set_team(None, [], set(), "")
            self.model.reset([])
            return
        if self.team_shown:
            from annotator.team.layers import curated_documents, statuses_by_document

            self.model.set_team(
                statuses_by_document(self.store),
                self.store.statuses.analysts(),
                curated_documents(self.store),
                self.store.annotator,
            )
        else:
            self.model.set_team(None, [], set(), "")
        search = self.search.text().strip() or None
        from annotator.suggest.running import suggestion_counts

        self.model.suggested = suggestion_counts(self.store)
        rows = self.store.documents.rows(self.status.currentData(), search, order=self.order)
        self.model.reset(rows)
        if self.team_shown:
            self._fit_team_column()
        self.show_suggested_column()

    def show_suggested_column(self) -> None:
        """The Suggested column, while some document has suggestions, keeps its width."""
        column = self.model.suggested_column
        if column < self.model.columnCount():
            header = self.view.horizontalHeader()
            if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Fixed:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            if header.sectionSize(column) != self._suggested_width:
                header.resizeSection(column, self._suggested_width)

    def width_for_team(self) -> int:
        """The width the list needs to show titles of about 25 characters beside the
        Everyone column."""
        header = self.view.horizontalHeader()
        return (
            25 * self.view.fontMetrics().averageCharWidth()
            + header.sectionSize(2)
            + header.sectionSize(self.model.TEAM)
            + self.view.verticalScrollBar().sizeHint().width()
            + 8
        )

    def _fit_team_column(self) -> None:
        """Wide enough for every analyst's name and mark, up to half the list."""
        metrics = self.view.fontMetrics()
        sample = "★ " + " · ".join(f"{who} ✓" for who in self.model.analysts)
        width = min(metrics.horizontalAdvance(sample) + 16, 40 * metrics.averageCharWidth())
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(self.model.TEAM, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(self.model.TEAM, width)

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
