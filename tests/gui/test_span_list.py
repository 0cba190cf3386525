"""The span list and the article after each change: rows in text order, what each cell shows,
the selected row, and highlights painted as a fresh load would paint them.

The window updates these piece by piece (one row inserted, moved or changed; only the rows whose
selection changed repainted; shaped text kept for the lines on screen), so each test compares
with what a rebuild from scratch shows.
"""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from annotator.gui import theme
from annotator.gui.panels.span_list import SpanListModel, preview
from annotator.model import Span

from .helpers import HARD_TEXT, select_cp

LABEL_COLOURS = {"claim": "#d62728", "quote": "#1f77b4", "caption": "#2ca02c"}


def tag(window, start: int, end: int, label: str) -> int:
    select_cp(window, start, end)
    span = window.editor.tag(label, exact=True)
    assert span is not None and span.id is not None
    return span.id


def shown_rows(model: SpanListModel) -> list[tuple[str, ...]]:
    return [
        tuple(model.data(model.index(r, c)) for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def expected_rows(spans: list[Span]) -> list[tuple[str, ...]]:
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.id))
    return [
        (
            s.label,
            preview(s.text),
            s.note or "",
            "; ".join(f"{k}: {v}" for k, v in s.attributes.items()),
        )
        for s in ordered
    ]


def current_row(window) -> int | None:
    index = window.span_table.selectionModel().currentIndex()
    return index.row() if index.isValid() else None


def selected_rows(window) -> list[int]:
    return sorted(i.row() for i in window.span_table.selectionModel().selectedRows())


def on_screen(widget: QWidget) -> QImage:
    """What the window shows of ``widget`` now: its part of the window's backing store, after
    every pending (partial) repaint."""
    QApplication.processEvents()
    window = widget.window()
    image = window.backingStore().paintDevice()
    top_left = widget.mapTo(window, QPoint(0, 0))
    return image.copy(QRect(top_left, widget.size())).convertToFormat(QImage.Format.Format_RGB32)


def repainted(widget: QWidget) -> QImage:
    """The same widget painted afresh, all of it."""
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


# -- the model on its own ---------------------------------------------------------------------


def _span(
    span_id: int, start: int, end: int, label: str = "claim", note: str | None = None
) -> Span:
    return Span(1, start, end, label, f"text {span_id}  of\nspan", "tester", note, id=span_id)


def test_rows_stay_in_text_order_through_insert_replace_and_remove(qapp) -> None:
    model = SpanListModel()
    spans = [_span(i, 10 * i, 10 * i + 5) for i in range(1, 8)]
    model.reset(spans[::-1])
    assert shown_rows(model) == expected_rows(spans)
    new = _span(20, 33, 36)
    assert model.insert(new) == 3
    spans.append(new)
    for before, after in [
        (spans[0], _span(1, 11, 15, "quote")),  # stays between its neighbours
        (spans[1], _span(2, 65, 70, note="moved down")),  # past four rows
        (spans[5], _span(6, 1, 3)),  # to the top
        (spans[6], _span(7, 70, 71)),  # the last row stays last
    ]:
        row = model.replace(before, after)
        spans[spans.index(before)] = after
        assert row is not None and model.spans[row] is after
        assert shown_rows(model) == expected_rows(spans)
    model.remove(spans[3])
    del spans[3]
    assert shown_rows(model) == expected_rows(spans)
    assert model.row_of(spans[0]) == [s.id for s in model.spans].index(1)


def test_cells_colours_tooltips_and_editable_note(qapp) -> None:
    model = SpanListModel()
    model.set_colours(LABEL_COLOURS)
    model.reset([_span(1, 0, 4, "quote", note="check"), _span(2, 5, 9, "claim")])
    quote, claim = model.index(0, 0), model.index(1, 0)
    assert model.data(quote) == "quote" and model.data(model.index(0, 1)) == "text 1 of span"
    for index, label in ((quote, "quote"), (claim, "claim")):
        icon = model.data(index, Qt.ItemDataRole.DecorationRole)
        colour = icon.pixmap(12, 12).toImage().pixelColor(6, 6)
        assert colour == QColor(LABEL_COLOURS[label])
    assert model.data(model.index(0, 1), Qt.ItemDataRole.DecorationRole) is None
    assert model.data(model.index(0, 2), Qt.ItemDataRole.EditRole) == "check"
    assert model.data(model.index(1, 2), Qt.ItemDataRole.EditRole) == ""
    assert model.data(model.index(0, 1), Qt.ItemDataRole.EditRole) is None
    assert model.data(model.index(1, 1), Qt.ItemDataRole.ToolTipRole) == (
        "claim [5, 9) by tester\ntext 2  of\nspan"
    )
    for role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.BackgroundRole):
        assert model.data(quote, role) is None
    assert model.data(QModelIndex()) is None
    editable = [bool(model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable) for c in range(3)]
    assert editable == [False, False, True]
    assert model.flags(quote) & Qt.ItemFlag.ItemIsSelectable
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    model.set_colours({**LABEL_COLOURS, "quote": "#000000"})
    icon = model.data(quote, Qt.ItemDataRole.DecorationRole)
    assert icon.pixmap(12, 12).toImage().pixelColor(6, 6) == QColor("#000000")


# -- in the window ------------------------------------------------------------------------------


def test_the_list_follows_adds_relabels_notes_deletes_and_undo(window) -> None:
    store, doc = window.store, window.current_document
    model = window.span_model
    fragments = ["rocket", "Launch", "family", "dawn", "The 🚀", "silence"]
    ids = []
    for label, fragment in zip(["claim", "quote", "caption"] * 2, fragments, strict=True):
        start = HARD_TEXT.index(fragment)
        ids.append(tag(window, start, start + len(fragment), label))
        assert shown_rows(model) == expected_rows(store.spans.in_document(doc))
        # the new span's row is the current, selected one
        assert model.spans[current_row(window)].id == ids[-1]
        assert selected_rows(window) == [current_row(window)]
    window.editor.select(ids[2])
    window.editor.tag("quote")  # relabel the selected span
    window.editor.set_note(ids[2], "see the photo")
    assert shown_rows(model) == expected_rows(store.spans.in_document(doc))
    row = current_row(window)
    assert model.spans[row].id == ids[2]
    assert model.data(model.index(row, 0)) == "quote"
    assert model.data(model.index(row, 2)) == "see the photo"
    window.editor.select(ids[0])
    window.editor.delete_selected()
    assert shown_rows(model) == expected_rows(store.spans.in_document(doc))
    assert current_row(window) is None and selected_rows(window) == []
    window.editor.undo_stack.undo()
    window.editor.undo_stack.undo()
    assert shown_rows(model) == expected_rows(store.spans.in_document(doc))
    assert model.data(model.index(model.row_of(store.spans.get(ids[2])), 2)) == ""


def test_selecting_in_the_article_moves_the_selected_row(window) -> None:
    first = tag(window, HARD_TEXT.index("rocket"), HARD_TEXT.index("rocket") + 6, "claim")
    second = tag(window, HARD_TEXT.index("Costs"), HARD_TEXT.index("Costs") + 5, "quote")
    model = window.span_model
    window.editor.select(first)
    assert selected_rows(window) == [model.row_of(window.editor.selected_span())]
    window.editor.select(second)
    assert selected_rows(window) == [model.row_of(window.editor.selected_span())]
    assert model.spans[current_row(window)].id == second
    window.editor.select(None)
    assert selected_rows(window) == [] and current_row(window) is None


def test_moving_an_edge_past_a_neighbour_keeps_the_caret_and_the_row(window) -> None:
    view = window.article
    rocket = HARD_TEXT.index("rocket rose")
    tag(window, rocket, rocket + len("rocket rose"), "claim")
    inner = tag(window, rocket + len("rocket "), rocket + len("rocket rose"), "quote")
    tag(window, HARD_TEXT.index("dawn"), HARD_TEXT.index("dawn") + 4, "caption")
    window.editor.select(inner)
    caret = view.textCursor().position()
    for steps in (1, 6):  # still after the claim, then past its start
        for _ in range(steps):
            window.editor.move_edge("start", forward=False)
        assert window.editor.selected == inner
        assert window.span_model.spans[current_row(window)].id == inner
        assert selected_rows(window) == [current_row(window)]
        assert view.textCursor().position() == caret  # no other span was revealed meanwhile
        assert shown_rows(window.span_model) == expected_rows(
            window.store.spans.in_document(window.current_document)
        )


def test_the_selected_span_takes_its_new_label_colour(window) -> None:
    start = HARD_TEXT.index("rocket")
    tag(window, start, start + 6, "claim")
    window.editor.tag("quote")
    view = window.article
    (selection,) = view.extraSelections()
    palette = view.palette()
    quote = view.highlighter.colour("quote")
    base = palette.color(QPalette.ColorRole.Base)
    expected = theme.mix(base, quote, theme.selected_alpha(palette))
    assert selection.format.background().color() == expected
    window.editor.select(None)
    assert view.extraSelections() == []


# -- the article keeps shaped text for the lines on screen only ---------------------------------


def _long_text() -> str:
    return "\n".join(
        f"Paragraph {i}: the council met and the mayor\u00a0said the 🚀 plan costs {i} euros."
        for i in range(400)
    )


def _grab(window) -> QImage:
    window.documents.search.setFocus()  # no caret in the picture
    window.article.viewport().repaint()
    return window.article.viewport().grab().toImage()


def test_highlights_after_changes_paint_as_a_fresh_load(make_project, open_window) -> None:
    text = _long_text()
    window = open_window(make_project(("Long", text), ("Other", "Short.")))
    doc = window.current_document
    view = window.article
    spans = []
    for i, label in zip(range(0, 20, 2), ["claim", "quote", "caption"] * 4, strict=False):
        start = text.index(f"Paragraph {i}:")
        spans.append(tag(window, start, start + 40, label))
    nested = text.index("mayor", text.index("Paragraph 4:"))
    spans.append(tag(window, nested, nested + 5, "quote"))
    window.editor.select(spans[1])
    window.editor.tag("caption")
    window.editor.select(spans[2])
    window.editor.delete_selected()
    window.editor.select(None)
    view.verticalScrollBar().setValue(0)
    changed = _grab(window)
    window.open_document(window.store.documents.neighbour(doc, 1))
    window.open_document(doc)
    view.verticalScrollBar().setValue(0)
    assert _grab(window) == changed


def test_only_the_blocks_on_screen_keep_their_glyphs(make_project, open_window) -> None:
    window = open_window(make_project(("Long", _long_text())))
    view = window.article

    def check() -> set[int]:
        view.viewport().repaint()
        doc = view.document()
        keeping = {
            n for n in range(doc.blockCount()) if doc.findBlockByNumber(n).layout().cacheEnabled()
        }
        first = view.firstVisibleBlock().blockNumber()
        bottom = QPoint(0, view.viewport().height() - 1)
        last = view.cursorForPosition(bottom).block().blockNumber()
        assert set(range(first, last + 1)) <= keeping <= set(range(first, last + 2))
        return keeping

    top = check()
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    assert not check() & top
    bar.setValue(bar.maximum())
    check()
    window.open_document(window.current_document)  # the same text again, in new blocks
    check()


def test_gui_package_turns_off_qt_threaded_fills_unless_set() -> None:
    code = "import os, annotator.gui; print(os.environ['QT_NO_GUI_THREADPOOL'])"
    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "1"
    env["QT_NO_GUI_THREADPOOL"] = "0"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "0"


def test_what_is_on_screen_is_what_a_full_repaint_shows(make_project, open_window) -> None:
    """Each change repaints only what it touched (rows of the list, blocks of the article):
    after every step the window must still look exactly as if all of it were repainted."""
    text = _long_text()
    window = open_window(make_project(("Long", text)))
    window.documents.search.setFocus()  # no blinking caret
    editor, table, view = window.editor, window.span_table, window.article
    ids = []

    def check() -> None:
        assert on_screen(table.viewport()) == repainted(table.viewport())
        assert on_screen(view.viewport()) == repainted(view.viewport())

    check()
    for n in (3, 1, 40, 2, 8, 5):
        start = text.index(f"Paragraph {n}:")
        ids.append(tag(window, start + 4, start + 30, ["claim", "quote", "caption"][n % 3]))
        check()
    for span_id in (ids[1], ids[4], ids[0], None, ids[2]):
        editor.select(span_id)
        check()
    editor.tag("claim")  # relabel ids[2]
    check()
    editor.move_edge("start", forward=False)
    check()
    editor.select(ids[3])
    editor.delete_selected()
    check()
    editor.undo_stack.undo()
    check()
    table.setCurrentIndex(window.span_model.index(0, 1))  # the analyst clicks a row
    check()


# -- the list painted from the model's own lists ------------------------------------------------


def _ink(image: QImage, area: QRect, background: QColor) -> QRect:
    """The smallest rectangle inside ``area`` holding every pixel that is not ``background``."""
    xs, ys = [], []
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            if image.pixelColor(x, y) != background:
                xs.append(x)
                ys.append(y)
    return QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1) if xs else QRect()


def _as_a_table_view_paints(table) -> QImage:
    """The same rows painted cell by cell by a plain table view through its delegate."""
    from PySide6.QtWidgets import QTableView

    plain = QTableView()
    plain.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no frame round its current cell
    plain.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    plain.setLayoutDirection(table.layoutDirection())
    plain.setModel(table.model())
    plain.setSelectionModel(table.selectionModel())
    plain.setShowGrid(False)
    plain.setWordWrap(False)
    plain.verticalHeader().hide()
    plain.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
    plain.setFont(table.font())
    plain.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    plain.resize(table.size())
    for column in range(table.model().columnCount()):
        plain.horizontalHeader().resizeSection(column, table.horizontalHeader().sectionSize(column))
    plain.show()
    plain.verticalScrollBar().setValue(table.verticalScrollBar().value())
    QApplication.processEvents()
    image = repainted(plain.viewport())
    plain.setModel(None)
    plain.deleteLater()
    return image


def _cells_alike(window) -> None:
    table, model = window.span_table, window.span_model
    ours, theirs = repainted(table.viewport()), _as_a_table_view_paints(table)
    common = QRect(0, 0, min(ours.width(), theirs.width()), min(ours.height(), theirs.height()))
    header = table.horizontalHeader()
    selected = {i.row() for i in table.selectionModel().selectedRows()}
    background = table.palette().color(QPalette.ColorRole.Base)
    highlight = table.palette().color(QPalette.ColorRole.Highlight)
    metrics = table.fontMetrics()
    checked = 0
    for row in range(model.rowCount()):
        y, height = table.rowViewportPosition(row), table.rowHeight(row)
        if y < 0 or y + height > common.height():
            continue
        fill = highlight if row in selected else background
        for column in range(model.columnCount()):
            x, width = header.sectionViewportPosition(column), header.sectionSize(column)
            cell = QRect(x, y, width, height).intersected(common)
            if cell.width() < 8:
                continue
            # Away from the cell's edges, where the style may draw a frame of its own and a
            # table view lets an elided neighbour's last dot run over.
            inside = cell.adjusted(3, 2, -3, -2)
            assert ours.pixelColor(inside.center().x(), y + 1) == fill
            a, b = _ink(ours, inside, fill), _ink(theirs, inside, fill)
            assert a.isNull() == b.isNull(), (row, column)
            if not a.isNull():
                edges = [(a.left(), b.left())]
                whole = metrics.horizontalAdvance(model.texts(row)[column]) + 3 * 6 + 16
                if whole <= width:  # not elided (a very narrow column may differ by a letter)
                    edges += [(a.right(), b.right()), (a.top(), b.top()), (a.bottom(), b.bottom())]
                for ours_edge, their_edge in edges:
                    assert abs(ours_edge - their_edge) <= 2, (row, column, a, b)
                checked += 1
    assert checked >= 6


def test_the_list_paints_each_cell_where_a_table_view_would_without_asking_cell_by_cell(
    window, monkeypatch, qtbot
) -> None:
    """Rows come straight from the model's lists, each text laid out once: a repaint asks
    the model nothing, and shows what the table view's own painting shows, swatch, elided
    text and selected row alike, left to right and right to left."""
    text = window.article.text
    window.resize(1500, 800)
    sizes = window.splitter.sizes()
    window.splitter.setSizes([*sizes[:-1], 520])  # room for every column
    ids = [tag(window, 0, 5, "claim"), tag(window, 6, 40, "quote"), tag(window, 3, 9, "caption")]
    window.editor.set_note(ids[0], "a note long enough to be cut short in its column")
    window.editor.select(ids[1])
    QApplication.processEvents()
    assert text  # the window's own hard text: emoji, right-to-left, combining marks
    asked = []
    original = SpanListModel.data
    monkeypatch.setattr(
        SpanListModel, "data", lambda self, *a: asked.append(a) or original(self, *a)
    )
    window.span_table.viewport().repaint()
    assert asked == []
    monkeypatch.setattr(SpanListModel, "data", original)
    _cells_alike(window)
    window.span_table.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    QApplication.processEvents()
    _cells_alike(window)
    # With the focus, the current cell gets the frame a table view draws, and only it changes.
    table = window.span_table
    window.activateWindow()  # the plain table view was a window of its own
    qtbot.waitUntil(window.isActiveWindow)
    unfocused = repainted(table.viewport())
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    focused = repainted(table.viewport())
    current = table.visualRect(table.currentIndex())
    changed = [
        (x, y)
        for y in range(focused.height())
        for x in range(focused.width())
        if focused.pixelColor(x, y) != unfocused.pixelColor(x, y)
    ]
    assert changed and all(current.adjusted(-1, -1, 1, 1).contains(x, y) for x, y in changed)
