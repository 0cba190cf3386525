"""A selected span's edges dragged with the mouse: the edge follows to where it is let go, one
undoable step; a press elsewhere still selects text."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from .helpers import tag

TEXT = "The council approved the budget on Tuesday night."


def point_at(window, cp: int) -> QPoint:
    view = window.article
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(cp))
    return view.cursorRect(cursor).center()


def drag(window, from_cp: int, to_cp: int) -> None:
    viewport = window.article.viewport()
    left = Qt.MouseButton.LeftButton
    QTest.mousePress(viewport, left, Qt.KeyboardModifier.NoModifier, point_at(window, from_cp))
    QTest.mouseMove(viewport, point_at(window, to_cp))
    QTest.mouseRelease(viewport, left, Qt.KeyboardModifier.NoModifier, point_at(window, to_cp))


def spans(window) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in window.store.spans.in_document(window.current_document)]


def test_dragging_the_end_then_the_start(open_window, make_project):
    window = open_window(make_project(("Budget", TEXT)))
    start, end = TEXT.index("approved"), TEXT.index(" on Tuesday")
    tag(window, start, end, Qt.Key.Key_1)
    assert window.document_model.selected_span is not None
    drag(window, end, len(TEXT) - 1)  # the end, to before the full stop
    assert spans(window) == [(start, len(TEXT) - 1)]
    drag(window, start, TEXT.index("council"))
    assert spans(window) == [(TEXT.index("council"), len(TEXT) - 1)]
    window.action("edit.undo").trigger()  # each drag is a step of its own
    assert spans(window) == [(start, len(TEXT) - 1)]
    window.action("edit.undo").trigger()
    assert spans(window) == [(start, end)]


def test_an_edge_cannot_be_dragged_past_the_other(open_window, make_project):
    window = open_window(make_project(("Budget", TEXT)))
    start, end = TEXT.index("budget"), TEXT.index(" on Tuesday")
    tag(window, start, end, Qt.Key.Key_1)
    drag(window, end, 0)
    assert spans(window) == [(start, end)]
    assert "cannot become empty" in window.statusBar().currentMessage()
