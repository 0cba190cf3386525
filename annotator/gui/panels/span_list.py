"""The spans of the open document, in text order: colour, label, start of the text, note.

Rows are inserted, removed and changed one at a time, so the list never rebuilds while the
analyst works. The note column is editable; an edit goes to the window as an undoable change.

The list paints itself (:class:`SpanTable`) from the model's lists: each row's texts worked
out once and kept until the span changes, each cell's text laid out once for its width. A
table view's own painting asked ``data()`` about seven roles a cell and laid every text out
anew, a few milliseconds a repaint: a third of what adding a span to a long article cost.
``data()`` still answers whatever else asks (tooltips, the note's editor, tests).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QIcon,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QStaticText,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from annotator.gui.swatches import swatch
from annotator.model import Span
from annotator.session.document_model import SPAN, DocumentModel, ItemChanges

_Index = QModelIndex | QPersistentModelIndex
PREVIEW_CHARS = 60

# Roles as plain ints: ``data()`` receives an int, and comparing with an int is the cheapest test.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_NOTE_COLUMN = 2
_TEXT_MARGIN = 3  # between a cell's edge and what it shows, as the item views draw it
SWATCH_SLOT = 16  # the room for a label's swatch: the small icon size of the usual styles
ATTRIBUTES_COLUMN = 3  # double-clicking it edits the span's attributes (as A does)
# What QAbstractTableModel.flags() gives a valid index, and the note column's, made once.
_CELL = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
_NOTE_CELL = _CELL | Qt.ItemFlag.ItemIsEditable
_NO_CELL = Qt.ItemFlag.NoItemFlags


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# Marks a quoted span's text may open with already; such a text is shown without more of them.
_OPENING_MARKS = "\"'\u201c\u201e\u2018\u201a\u00ab\u00bb\u2039\u300c\u300e"


def quoted(text: str, limit: int = PREVIEW_CHARS) -> str:
    """A span's text as a short quotation: in quotation marks, unless it opens with its own."""
    shown = preview(text, limit)
    return shown if shown[:1] in _OPENING_MARKS and shown else f"\u201c{shown}\u201d"


def _key(span: Span) -> tuple[int, int, int]:
    return (span.start, span.end, span.id or 0)


def _shown(span: Span) -> tuple[str, str, str, str, str]:
    """What the columns display for ``span`` (the fifth, its analyst, only with everyone's
    spans shown)."""
    attributes = "; ".join(f"{k}: {v}" for k, v in span.attributes.items())
    return (span.label, preview(span.text), span.note or "", attributes, span.annotator)


class SpanListModel(QAbstractTableModel):
    COLUMNS = ("Label", "Text", "Note", "Attributes")
    BY_COLUMN = "By"  # a fifth column, each span's analyst, while everyone's spans are shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spans: list[Span] = []
        self._keys: list[tuple[int, int, int]] = []
        # Per row, beside ``spans``: the displayed texts, made when the row is first painted.
        self._texts: list[tuple[str, str, str, str, str] | None] = []
        self.columns = len(self.COLUMNS)
        self._icons: dict[str, QIcon] = {}
        self._colours: dict[str, str] = {}
        self.note_edited: Callable[[int, str | None], None] | None = None

    def attach(self, document: DocumentModel) -> None:
        """Show ``document``'s spans and follow its changes, one row at a time."""
        document.events.loaded.connect(lambda: self.reset(list(document.spans.values())))
        document.events.changed.connect(self._changed)

    def _changed(self, found: ItemChanges[Span]) -> None:
        if found.kind != SPAN:  # suggestions have a list of their own (suggestion_list)
            return
        for span in found.removed:
            self.remove(span)
        for span in found.added:
            self.insert(span)
        for before, after in found.updated:
            self.replace(before, after)

    def set_colours(self, colours: dict[str, str]) -> None:
        self._colours = dict(colours)
        self._icons.clear()
        if self.spans:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.spans) - 1, 0))

    def _icon(self, label: str) -> QIcon:
        icon = self._icons.get(label)
        if icon is None:
            icon = self._icons[label] = swatch(self._colours.get(label, "#888888"), 12)
        return icon

    def show_annotators(self, shown: bool) -> None:
        """Add (or take away) the column saying whose each span is."""
        columns = len(self.COLUMNS) + int(shown)
        if columns == self.columns:
            return
        if shown:
            self.beginInsertColumns(QModelIndex(), self.columns, self.columns)
            self.columns = columns
            self.endInsertColumns()
        else:
            self.beginRemoveColumns(QModelIndex(), columns, columns)
            self.columns = columns
            self.endRemoveColumns()

    def reset(self, spans: list[Span]) -> None:
        # The store hands spans over in text order already: sort only when they are not.
        keys = [(s.start, s.end, s.id or 0) for s in spans]
        if any(a > b for a, b in pairwise(keys)):
            order = sorted(range(len(keys)), key=keys.__getitem__)
            spans, keys = [spans[i] for i in order], [keys[i] for i in order]
        self.beginResetModel()
        self.spans = list(spans)
        self._keys = keys
        self._texts = [None] * len(self.spans)
        self.endResetModel()

    def row_of(self, span: Span) -> int | None:
        i = bisect_left(self._keys, _key(span))
        return i if i < len(self.spans) and self.spans[i].id == span.id else None

    def row_of_id(self, span_id: int) -> int | None:
        return next((i for i, s in enumerate(self.spans) if s.id == span_id), None)

    def insert(self, span: Span) -> int:
        i = bisect_left(self._keys, _key(span))
        self.beginInsertRows(QModelIndex(), i, i)
        self.spans.insert(i, span)
        self._keys.insert(i, _key(span))
        self._texts.insert(i, None)
        self.endInsertRows()
        return i

    def remove(self, span: Span) -> None:
        i = self.row_of(span)
        if i is None:
            return
        self.beginRemoveRows(QModelIndex(), i, i)
        del self.spans[i]
        del self._keys[i]
        del self._texts[i]
        self.endRemoveRows()

    def replace(self, before: Span, after: Span) -> int | None:
        """Show a changed span; a moved one changes place in the text order."""
        i = self.row_of(before)
        if i is None:
            return None
        key = _key(after)
        to = bisect_left(self._keys, key)  # where it goes, counting its old row
        if to not in (i, i + 1):
            # Past a neighbour: the row moves, and a selection (or the current row) with it.
            # Removing and inserting it would make the row after it current for a moment.
            row = to - 1 if to > i else to  # its row once moved
            self.beginMoveRows(QModelIndex(), i, i, QModelIndex(), to)
            self.spans.insert(row, self.spans.pop(i))
            self._keys.insert(row, self._keys.pop(i))
            self._texts.insert(row, self._texts.pop(i))
            self.endMoveRows()
            i = row
        # In place (a relabel, a note, most edge moves): only this row is painted again.
        self.spans[i] = after
        self._keys[i] = key
        self._texts[i] = None
        self.dataChanged.emit(self.index(i, 0), self.index(i, self.columns - 1))
        return i

    def texts(self, row: int) -> tuple[str, str, str, str, str]:
        """What row ``row`` shows, column by column (worked out once, kept until it changes)."""
        texts = self._texts[row]
        if texts is None:
            texts = self._texts[row] = _shown(self.spans[row])
        return texts

    def icon(self, row: int) -> QIcon:
        return self._icon(self.spans[row].label)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spans)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.columns

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_CELL
        return _NOTE_CELL if index.column() == _NOTE_COLUMN else _CELL

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # The delegate asks about seven roles per cell; most get None straight away.
        if role == _DISPLAY:
            if not index.isValid():
                return None
            return self.texts(index.row())[index.column()]
        if role == _DECORATION:
            if index.column() != 0 or not index.isValid():
                return None
            return self._icon(self.spans[index.row()].label)
        if role == _EDIT:
            if index.column() != _NOTE_COLUMN or not index.isValid():
                return None
            return self.spans[index.row()].note or ""
        if role == _TOOLTIP and index.isValid():
            span = self.spans[index.row()]
            tip = f"{span.label} [{span.start}, {span.end}) by {span.annotator}\n{span.text}"
            if span.attributes:
                tip += "\n" + "\n".join(f"{k}: {v}" for k, v in span.attributes.items())
            return tip
        return None

    def setData(self, index: _Index, value: Any, role: int = _EDIT) -> bool:
        if not index.isValid() or index.column() != _NOTE_COLUMN or role != _EDIT:
            return False
        span = self.spans[index.row()]
        note = str(value).strip() or None
        if note != span.note and self.note_edited is not None and span.id is not None:
            self.note_edited(span.id, note)  # the change comes back through replace()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section] if section < len(self.COLUMNS) else self.BY_COLUMN
        return None


def fit_label_column(view: QTableView, labels: list[str]) -> None:
    """Make the label column wide enough for the longest label name, swatch and all."""
    metrics = view.fontMetrics()
    widest = max((metrics.horizontalAdvance(name) for name in labels), default=0)
    width = max(widest + 12 + 28, 8 * metrics.averageCharWidth())
    if isinstance(view, HintedTable):
        view.remember_width(0, width)
    else:
        view.horizontalHeader().resizeSection(0, width)


class HintedTable(QTableView):
    """A table that, while it has no rows, says in its empty space how to fill it; and whose
    one stretching column (the span's text) keeps a share of a narrow table, the other
    columns giving way."""

    TEXT_SHARE = 0.4  # of the table's width, kept for the stretching column at least

    def __init__(self, stretch: int = 1) -> None:
        super().__init__()
        self.hint = ""
        self.stretch = stretch
        self._wanted: dict[int, int] = {}  # the other columns' widths when there is room
        self._fitting = False
        self.horizontalHeader().sectionResized.connect(self._resized_by_hand)

    def _resized_by_hand(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column != self.stretch and column in self._wanted:
            self._wanted[column] = new

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Narrow the other columns (the last first, the label last, to no less than the
        header allows) while the text column would get less than its share; give them back
        when there is room."""
        header = self.horizontalHeader()
        model = self.model()
        if model is None:
            return
        others = [
            c
            for c in range(model.columnCount())
            if c != self.stretch and not header.isSectionHidden(c)
        ]
        for c in others:
            self._wanted.setdefault(c, header.sectionSize(c))
        room = int(self.viewport().width() * (1 - self.TEXT_SHARE))
        excess = sum(self._wanted[c] for c in others) - room
        least = header.minimumSectionSize()
        self._fitting = True
        try:
            for c in reversed(others):  # the last columns give way first, the label last
                take = max(0, min(excess, self._wanted[c] - least))
                header.resizeSection(c, self._wanted[c] - take)
                excess -= take
        finally:
            self._fitting = False

    def remember_width(self, column: int, width: int) -> None:
        """A column's width when there is room (the label column fitted to the labels)."""
        self._wanted[column] = width
        self.fit_columns()

    def set_hint(self, hint: str) -> None:
        self.hint = hint
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if not self.hint or model is None or model.rowCount() > 0:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = self.viewport().rect().adjusted(12, 12, -12, -12)
        painter.drawText(
            area, int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap), self.hint
        )
        painter.end()


class SpanTable(HintedTable):
    """The span list, painted row by row from the model's own lists.

    A table view paints each cell through its delegate, which asks the model about seven
    roles a cell (about 650 calls into Python for a screenful) and lays every text out anew.
    Here a repaint reads the shown texts straight from the model and draws each as a
    ``QStaticText`` kept from the last paint, elided to its column: when a span is added,
    only its own row is laid out, and the list's repaint stays well inside a frame.
    Everything else (selection, keys, scrolling, the note's editor) is the table view's own.
    """

    KEPT = 4096  # laid-out texts kept between paints (a few screenfuls, every column)

    def __init__(self, stretch: int = 1) -> None:
        super().__init__(stretch)
        self._laid_out: dict[tuple[str, int], QStaticText] = {}

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.LayoutDirectionChange):
            self._laid_out.clear()
        super().changeEvent(event)

    def _static(self, text: str, width: int) -> QStaticText:
        """``text`` elided to ``width`` and laid out, once."""
        laid_out = self._laid_out.get((text, width))
        if laid_out is None:
            if len(self._laid_out) >= self.KEPT:
                self._laid_out.clear()
            shown = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)
            laid_out = QStaticText(shown)
            laid_out.setTextFormat(Qt.TextFormat.PlainText)  # a span's text is never markup
            option = QTextOption()
            option.setTextDirection(self.layoutDirection())  # as the item views read a text
            laid_out.setTextOption(option)
            laid_out.prepare(font=self.font())
            self._laid_out[(text, width)] = laid_out
        return laid_out

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self.model()
        if not isinstance(model, SpanListModel) or not model.spans:
            super().paintEvent(event)  # the hint, or nothing
            return
        area = event.rect()
        first = self.rowAt(area.top())
        if first < 0:
            return  # below the last row: the viewport's own background is all there is
        last = self.rowAt(area.bottom())
        if last < 0:
            last = len(model.spans) - 1
        header = self.horizontalHeader()
        columns = []
        for column in range(model.columnCount()):
            if header.isSectionHidden(column):
                continue
            x, width = header.sectionViewportPosition(column), header.sectionSize(column)
            if width > 0 and x < area.right() + 1 and x + width > area.left():
                columns.append((column, x, width))
        if not columns:
            return
        palette = self.palette()
        group = (
            QPalette.ColorGroup.Disabled
            if not self.isEnabled()
            else QPalette.ColorGroup.Active
            if self.isActiveWindow()
            else QPalette.ColorGroup.Inactive
        )
        text_colour = palette.color(group, QPalette.ColorRole.Text)
        chosen_colour = palette.color(group, QPalette.ColorRole.HighlightedText)
        chosen_fill = palette.brush(group, QPalette.ColorRole.Highlight)
        selection = self.selectionModel()
        chosen = {index.row() for index in selection.selectedRows()} if selection else set()
        leftwards = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        line = self.fontMetrics().height()
        margin = _TEXT_MARGIN
        icon_size = self.iconSize().height()
        left = min(x for _, x, _ in columns)
        right = max(x + width for _, x, width in columns)
        painter = QPainter(self.viewport())
        try:
            for row in range(first, last + 1):
                y, height = self.rowViewportPosition(row), self.rowHeight(row)
                if row in chosen:
                    painter.fillRect(QRect(left, y, right - left, height), chosen_fill)
                    painter.setPen(chosen_colour)
                else:
                    painter.setPen(text_colour)
                texts = model.texts(row)
                top = y + (height - line) // 2
                for column, x, width in columns:
                    # From the cell's leading edge: its left, or its right when the window
                    # runs right to left (the header gives the cell's place on screen).
                    start, room = x + margin, width - 2 * margin
                    if column == 0:
                        at = x + width - margin - icon_size if leftwards else start
                        place = QRect(at, y + (height - icon_size) // 2, icon_size, icon_size)
                        model.icon(row).paint(painter, place)
                        room -= icon_size + margin
                        if not leftwards:
                            start += icon_size + margin
                    text = texts[column]
                    if not text or room <= 0:
                        continue
                    laid_out = self._static(text, room)
                    if leftwards:
                        start = x + width - margin - (column == 0) * (icon_size + margin)
                        start -= int(laid_out.size().width())
                    painter.drawStaticText(start, top, laid_out)
            self._paint_focus(painter, group, chosen, first, last)
        finally:
            painter.end()

    def _paint_focus(
        self, painter: QPainter, group: QPalette.ColorGroup, chosen: set[int], first: int, last: int
    ) -> None:
        """The frame a table view draws round its current cell while it has the focus."""
        selection = self.selectionModel()
        current = selection.currentIndex() if selection else QModelIndex()
        if not current.isValid() or not first <= current.row() <= last:
            return
        if not (self.hasFocus() or self.viewport().hasFocus()):
            return
        from PySide6.QtWidgets import QStyle, QStyleOptionFocusRect  # with the focus only

        option = QStyleOptionFocusRect()
        option.initFrom(self)
        option.rect = self.visualRect(current)
        option.state |= QStyle.StateFlag.State_KeyboardFocusChange | QStyle.StateFlag.State_Item
        role = (
            QPalette.ColorRole.Highlight if current.row() in chosen else QPalette.ColorRole.Window
        )
        option.backgroundColor = self.palette().color(group, role)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, option, painter, self)


def make_span_table(model: SpanListModel) -> SpanTable:
    view = SpanTable()
    view.setObjectName("spanList")
    view.setIconSize(QSize(SWATCH_SLOT, SWATCH_SLOT))
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
    )
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 6)
    # Fixed widths: "resize to contents" would measure every row on every change.
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(ATTRIBUTES_COLUMN, QHeaderView.ResizeMode.Interactive)
    char = view.fontMetrics().averageCharWidth()
    header.resizeSection(0, 14 * char)
    # Note and Attributes as wide as their headings: the text takes the rest (its whole
    # text on hover); either widens by dragging its edge.
    for column, name in ((2, "Note"), (ATTRIBUTES_COLUMN, "Attributes")):
        header.resizeSection(column, header.fontMetrics().horizontalAdvance(name) + 2 * char + 8)
    header.setMinimumSectionSize(3 * char)
    return view


def show_row(table: QTableView, model: SpanListModel, row: int | None) -> None:
    """Make ``row`` the span list's current, selected row (None: no row), scrolled into view.

    The selection model's signals are blocked, so this is never taken for the analyst
    choosing a row (nor does it close a note being edited); the view, which is not told
    either, repaints just the rows that were and are selected.
    """
    selection = table.selectionModel()
    before = {index.row() for index in selection.selectedRows()}
    current = selection.currentIndex()
    if current.isValid():
        before.add(current.row())
    blocked = selection.blockSignals(True)
    try:
        if row is None:
            selection.clearSelection()
            selection.setCurrentIndex(
                model.index(-1, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        else:
            index = model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            table.scrollTo(index)  # EnsureVisible: does not move a visible row
    finally:
        selection.blockSignals(blocked)
    if row is not None:
        before.add(row)
    viewport = table.viewport()
    width = viewport.width()
    for n in before:
        cell = table.visualRect(model.index(n, 0))
        if cell.isValid():
            viewport.update(0, cell.y(), width, cell.height())
