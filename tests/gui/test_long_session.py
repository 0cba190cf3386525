"""Thousands of tag / undo / redo steps in one process: no crash, no drift, no leak.

Guards the PySide6 6.12.0 + CPython 3.11 fault that drops a reference to ``None`` in every
void-returning call and aborts after a few thousand.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store import Store

from .helpers import HARD_TEXT, select_cp

WORDS = [
    "rocket",
    "dawn",
    "family",
    "silence",
    "pad",
    "Arabic",
    "Hebrew",
    "minister's",
    "Costs",
    "percent",
]


def test_thousands_of_actions_keep_view_and_database_in_step(window) -> None:
    none_refs = sys.getrefcount(None)
    view, editor = window.article, window.editor
    actions = 0
    for round_ in range(300):
        word = WORDS[round_ % len(WORDS)]
        start = HARD_TEXT.index(word)
        select_cp(window, start, start + len(word))
        if round_ % 25 == 0:  # now and then through the real key path
            QTest.keyClick(view, Qt.Key.Key_1)
        else:
            editor.tag("claim")
        editor.tag("quote")  # relabel the new span
        editor.move_edge("end", forward=False)
        editor.undo_stack.undo()
        editor.undo_stack.undo()
        editor.undo_stack.redo()
        editor.undo_stack.redo()
        if round_ % 3 == 0:
            editor.delete_selected()
            editor.undo_stack.undo()
        if round_ % 5 == 0:  # take it away again: the move, the relabel, the tag
            for _ in range(3):
                editor.undo_stack.undo()
        actions += 10
    assert actions >= 3000
    with Store(window.store.path) as other:
        stored = {(s.id, s.start, s.end, s.label) for s in other.spans(window.current_document)}
    shown = {(s.id, s.start, s.end, s.label) for s in view.spans.values()}
    listed = {(s.id, s.start, s.end, s.label) for s in window.span_model.spans}
    placed = {
        (p.span_id, view.offsets.from_qt(p.qs), view.offsets.from_qt(p.qe), p.label)
        for p in view.highlighter.index.placed.values()
    }
    assert stored == shown == listed == placed
    assert len(stored) == 300 - 60
    assert sys.getrefcount(None) >= none_refs - 200
    # the whole stack unwinds to an empty document, in the database too
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    with Store(window.store.path) as other:
        assert other.spans(window.current_document) == []
    assert window.span_model.rowCount() == 0 and len(view.highlighter.index) == 0
