"""The document list: a table model that reads the documents a page at a time as they are
shown (:class:`~annotator.session.document_listing.DocumentListing`), carrying no text.

One model row per document and no widget per row, and only the pages on screen (and the last
few) in memory: a million documents open in a moment, and scrolling to the end reads one page.
The count comes from the database, and filtering asks the store again. A change to one
document repaints its one row from what the write returned, without asking the store.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, overload

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
    from annotator.session.document_listing import DocumentListing, Page
    from annotator.store.project import DocumentRow, Store

_Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the root, as Qt passes it when a view asks for the top level
# Each analyst's status in the "Everyone" column: "ana ✓ · bo … · cy –"
STATUS_MARKS = {"new": "–", "in_progress": "…", "done": "✓", "skipped": "↷"}
SENT_BACK_MARK = "↩"  # before the title of a document sent back for correction
TEAM_LEGEND = "✓ done, … in progress, ↷ skipped, – not begun; ★ settled by a curator"


class _Rows(Sequence["DocumentRow"]):
    """The list's rows as a sequence (``model.rows[i]``, ``len(model.rows)``), each page read
    when one of its rows is first asked for."""

    def __init__(self, model: DocumentListModel) -> None:
        self._model = model

    def __len__(self) -> int:
        return self._model.rowCount()

    @overload
    def __getitem__(self, i: int) -> DocumentRow: ...

    @overload
    def __getitem__(self, i: slice) -> list[DocumentRow]: ...

    def __getitem__(self, i: int | slice) -> DocumentRow | list[DocumentRow]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        row = self._model.row_at(i) if 0 <= i < len(self) else None
        if row is None:
            raise IndexError(f"no row {i} in the document list")
        return row

    def __iter__(self) -> Iterator[DocumentRow]:
        for i in range(len(self)):
            row = self._model.row_at(i)
            if row is not None:
                yield row


class _Suggested(dict[int, int]):
    """Suggestions waiting, by document: each document's read with its page, when it is first
    asked for."""

    def __init__(self, model: DocumentListModel) -> None:
        super().__init__()
        self._model = model

    def get(self, document_id: int, default: Any = None) -> Any:
        self._model.read_page_of(document_id)
        return super().get(document_id, default)


class _ReadWithPage(set[int]):
    """Documents of a kind (settled by a curator, gold): each read with its page, when first
    asked about."""

    def __init__(self, model: DocumentListModel) -> None:
        super().__init__()
        self._model = model

    def __contains__(self, document_id: object) -> bool:
        if isinstance(document_id, int):
            self._model.read_page_of(document_id)
        return super().__contains__(document_id)


_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
# the roles data() answers
_SERVED = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _FOREGROUND, _BACKGROUND})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_GREY = QColor("#808080")  # the Suggested column's counts
GOLD_TIP = "Gold: the analysts given it are scored against its curated layer"
# A gold document's title cell is tinted gold: it takes no room from a narrow list's titles,
# and, half transparent, reads on a light list and a dark one.
GOLD_TINT = QColor(232, 185, 35, 110)


class DocumentListModel(QAbstractTableModel):
    COLUMNS = ("Title", "Status", "Spans")
    TEAM = 3  # the "Everyone" column, each analyst's status, when it is shown
    SUGGESTED = "Suggested"  # the last column: suggestions waiting, apart from the spans
    PAGES = 30  # pages kept: a few screens either way of the one shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.listing: DocumentListing | None = None
        self.rows = _Rows(self)
        self._pages: OrderedDict[int, Page] = OrderedDict()
        self._row_of: dict[int, int] = {}  # of the documents on the pages kept
        # With everyone's statuses shown: the analysts, their statuses by document, the
        # documents a curator settled, and the current analyst (whose status rows carry).
        # The statuses, settled documents and suggestions are those of the pages read.
        self.team: dict[int, dict[str, str]] | None = None
        self.analysts: list[str] = []
        self.settled: set[int] = _ReadWithPage(self)
        self.me = ""
        # Suggestions waiting on each document (those with none are left out), in a last
        # column shown while there are any; the Spans column counts annotations only.
        self.suggested: dict[int, int] = _Suggested(self)
        self._suggested_shown = False
        # The gold documents (those the lead scores analysts on), their titles tinted gold.
        self.gold: set[int] = _ReadWithPage(self)

    def set_team(self, shown: bool, me: str) -> None:
        """Whether everyone's statuses are shown; the rows follow with :meth:`show`."""
        self.team = {} if shown else None
        self.me = me

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

    def show_gold(self, document_id: int, gold: bool) -> None:
        """Mark a document gold, or take the mark off: only its title repaints."""
        if (document_id in self.gold) == gold:
            return
        if gold:
            self.gold.add(document_id)
        else:
            self.gold.discard(document_id)
        i = self._row_of.get(document_id)
        if i is not None:
            self.dataChanged.emit(self.index(i, 0), self.index(i, 0))

    def show(self, listing: DocumentListing | None) -> None:
        """Show ``listing``'s documents (none: an empty list); nothing is read until a row is
        asked for."""
        self.beginResetModel()
        self.listing = listing
        self._pages.clear()
        self._row_of.clear()
        self.settled.clear()
        self.suggested.clear()
        self.gold.clear()
        if self.team is not None:
            self.team = {}
        self.analysts = listing.analysts if listing is not None else []
        self._suggested_shown = listing is not None and listing.suggestions
        self.endResetModel()

    def row_at(self, i: int) -> DocumentRow | None:
        """The ``i``-th row, its page read when it is not kept."""
        if self.listing is None:
            return None
        number, at = divmod(i, self.listing.page_size)
        page = self._pages.get(number)
        if page is None:
            page = self._read(number)
        else:
            self._pages.move_to_end(number)
        return page.rows[at] if at < len(page.rows) else None

    def _read(self, number: int) -> Page:
        assert self.listing is not None
        before = self._pages.get(number - 1)
        page = self.listing.page(number, before.ids[-1] if before and before.ids else None)
        self._pages[number] = page
        for at, doc in enumerate(page.ids):
            self._row_of[doc] = number * self.listing.page_size + at
        if self.team is not None:
            self.team.update(page.team)
        self.settled |= page.settled
        self.gold |= page.gold
        for doc in page.ids:
            if doc in page.suggested:
                self.suggested[doc] = page.suggested[doc]
        while len(self._pages) > self.PAGES:
            _, old = self._pages.popitem(last=False)
            self._forget(old)
        return page

    def _forget(self, page: Page) -> None:
        """Drop what was read with a page no longer kept: memory stays a few pages' worth."""
        for doc in page.ids:
            self._row_of.pop(doc, None)
            self.settled.discard(doc)
            self.gold.discard(doc)
            self.suggested.pop(doc, None)
            if self.team is not None:
                self.team.pop(doc, None)

    def read_page_of(self, document_id: int) -> None:
        """Read the page of a document in the list, unless it is kept."""
        if document_id not in self._row_of and self.listing is not None:
            i = self.listing.position(document_id)
            if i is not None:
                self.row_at(i)

    def row_of(self, document_id: int) -> int | None:
        found = self._row_of.get(document_id)
        if found is not None or self.listing is None:
            return found
        return self.listing.position(document_id)

    def _kept(self, document_id: int) -> tuple[Page, int] | None:
        """The page kept holding a document, and its place there."""
        i = self._row_of.get(document_id)
        if i is None:
            return None
        assert self.listing is not None
        page = self._pages.get(i // self.listing.page_size)
        return None if page is None else (page, i % self.listing.page_size)

    def replace(self, row: DocumentRow) -> None:
        """Show a document's new status or span count; only its row repaints (a row not
        kept is read afresh when it is shown)."""
        kept = self._kept(row.id)
        if kept is not None:
            page, at = kept
            page.rows[at] = row
            i = self._row_of[row.id]
            self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))

    def show_state(self, state: DocumentState) -> None:
        """A document's status and span count as a write returned them."""
        kept = self._kept(state.id)
        if kept is not None:
            row = kept[0].rows[kept[1]]
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
        shown = bool(count) or (self.listing is not None and self.listing.any_suggestions())
        if shown != self._suggested_shown:
            if shown:
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
        kept = self._kept(document_id)
        if kept is not None and kept[0].rows[kept[1]].span_count != count:
            self.replace(replace(kept[0].rows[kept[1]], span_count=count))

    def rowCount(self, parent: _Index = _NO_PARENT) -> int:
        if parent.isValid() or self.listing is None:
            return 0
        return self.listing.count

    def columnCount(self, parent: _Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else self.suggested_column + int(self._suggested_shown)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting the list asks for every role of every cell in view, hundreds of calls:
        # those the list never serves are answered first.
        if role not in _SERVED or not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        col = index.column()
        if col == self.suggested_column:
            return self._suggested_data(row, role)
        if col == self.TEAM and self.team is not None:
            if role == _DISPLAY:
                return self.team_text(row)
            if role == _TOOLTIP:
                return self.team_tooltip(row)
            return None
        if col == 0 and role in (_BACKGROUND, _TOOLTIP) and row.id in self.gold:
            return f"{row.title}\n{GOLD_TIP}" if role == _TOOLTIP else GOLD_TINT
        if role in (_DISPLAY, _TOOLTIP):
            if col == 0:
                return self._title(row, role)
            if col == 1:
                return STATUS_NAMES.get(row.status, row.status)
            return row.span_count
        if role == _ALIGNMENT and col == 2:
            return _RIGHT
        return None

    def _title(self, row: DocumentRow, role: int) -> str:
        """A document's title, marked when it was sent back for correction."""
        if self.listing is None or row.id not in self.listing.sent_back:
            return row.title
        if role == _DISPLAY:
            return f"{SENT_BACK_MARK} {row.title}"
        return f"{row.title}\nSent back to you for correction: the curator's note is above the article."

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
        if role == Qt.ItemDataRole.ToolTipRole and section == 0:
            return "The documents' titles; a gold document's is tinted gold"
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
        # Several rows may be chosen (Shift, Ctrl): the lead marks gold documents together.
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
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

    def show_gold(self, document_id: int, gold: bool) -> None:
        self.model.show_gold(document_id, gold)

    def selected_count(self) -> int:
        """How many rows are selected, counted by ranges (no row is read)."""
        selection = self.view.selectionModel().selection()
        return sum(selection.at(i).height() for i in range(selection.count()))

    def selected_documents(self) -> list[int]:
        """The documents of the rows selected, in the list's order (each row read)."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        found = (self.document_at(row) for row in rows)
        return [doc for doc in found if doc is not None]

    def reload(self) -> None:
        self._debounce.stop()
        if self.store is None:
            self.model.set_team(False, "")
            self.model.show(None)
            return
        from annotator.session.document_listing import DocumentListing

        self.model.set_team(self.team_shown, self.store.annotator)
        search = self.search.text().strip() or None
        listing = DocumentListing(
            self.store, self.status.currentData(), search, team=self.team_shown, order=self.order
        )
        self.model.show(listing)
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
        found = self.model.row_at(row) if 0 <= row < self.model.rowCount() else None
        return found.id if found is not None else None
