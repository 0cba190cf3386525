"""Selecting, relabelling, deleting, moving and annotating spans, with undo and redo.

After each step the database is read again: undo and redo must write, not only repaint.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from .helpers import HARD_TEXT, click_cp, select_cp, store_spans

ALT, CTRL, SHIFT = (
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
)
ROCKET = HARD_TEXT.index("rocket")
LAUNCH = HARD_TEXT.index("The 🚀 rocket rose")


def key(window, k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.article, k, modifiers)


def undo(window) -> None:
    key(window, Qt.Key.Key_Z, CTRL)


def redo(window, ctrl_y: bool = False) -> None:
    if ctrl_y:
        key(window, Qt.Key.Key_Y, CTRL)
    else:
        key(window, Qt.Key.Key_Z, CTRL | SHIFT)


def add(window, start: int, end: int, k: Qt.Key = Qt.Key.Key_1) -> None:
    select_cp(window, start, end)
    key(window, k)


@pytest.fixture
def nested(window):
    """An outer claim over "The 🚀 rocket rose" and an inner quote over "rocket"."""
    add(window, LAUNCH, LAUNCH + len("The 🚀 rocket rose"), Qt.Key.Key_1)
    add(window, ROCKET, ROCKET + 6, Qt.Key.Key_2)
    window.editor.select(None)
    return window


def selected(window):
    span = window.editor.selected_span()
    return None if span is None else (span.start, span.end, span.label)


def test_click_selects_innermost_then_cycles_outward(nested) -> None:
    click_cp(nested, ROCKET + 2)
    assert selected(nested) == (ROCKET, ROCKET + 6, "quote")
    click_cp(nested, ROCKET + 2)
    assert selected(nested) == (LAUNCH, LAUNCH + len("The 🚀 rocket rose"), "claim")
    click_cp(nested, ROCKET + 2)
    assert selected(nested)[2] == "quote"
    row = nested.span_table.currentIndex().row()
    assert nested.span_model.spans[row].label == "quote"  # the span list follows
    click_cp(nested, HARD_TEXT.index("Costs"))
    assert selected(nested) is None


def test_tab_cycles_overlapping_spans_and_tooltip_lists_them(nested) -> None:
    click_cp(nested, ROCKET + 1)
    key(nested, Qt.Key.Key_Tab)
    assert selected(nested)[2] == "claim"
    key(nested, Qt.Key.Key_Tab)
    assert selected(nested)[2] == "quote"
    key(nested, Qt.Key.Key_Backtab, SHIFT)
    assert selected(nested)[2] == "claim"
    assert nested.article.labels_at(ROCKET + 1) == ["quote", "claim"]


def test_span_list_click_selects_and_scrolls(nested) -> None:
    row = next(i for i, s in enumerate(nested.span_model.spans) if s.label == "quote")
    nested.span_table.setCurrentIndex(nested.span_model.index(row, 1))
    assert selected(nested) == (ROCKET, ROCKET + 6, "quote")
    assert nested.article.caret_cp() == ROCKET


@pytest.mark.parametrize("delete_key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace])
def test_delete_then_undo_restores_the_same_span_then_redo(nested, delete_key) -> None:
    ids_before = {s.id for s in nested.store.spans.in_document(nested.current_document)}
    click_cp(nested, ROCKET + 2)
    key(nested, delete_key)
    assert [s[2] for s in store_spans(nested)] == ["claim"]
    assert nested.span_model.rowCount() == 1
    undo(nested)
    assert {s.id for s in nested.store.spans.in_document(nested.current_document)} == ids_before
    assert nested.span_model.rowCount() == 2
    redo(nested, ctrl_y=True)
    assert [s[2] for s in store_spans(nested)] == ["claim"]


def test_hotkey_without_selection_relabels_the_selected_span(nested) -> None:
    click_cp(nested, ROCKET + 2)
    key(nested, Qt.Key.Key_4)
    assert sorted(s[2] for s in store_spans(nested)) == ["claim", "concession"]
    assert len(store_spans(nested)) == 2  # relabelled, not added
    undo(nested)
    assert sorted(s[2] for s in store_spans(nested)) == ["claim", "quote"]
    redo(nested)
    assert sorted(s[2] for s in store_spans(nested)) == ["claim", "concession"]


def test_move_edges_by_characters_never_half_an_emoji(window) -> None:
    start = HARD_TEXT.index("rocket")
    add(window, start, start + 6)  # "rocket"
    key(window, Qt.Key.Key_BracketLeft, CTRL)  # start left: the space
    key(window, Qt.Key.Key_BracketLeft, CTRL)  # start left: the whole 🚀
    assert store_spans(window) == [(start - 2, start + 6, "claim", "🚀 rocket")]
    key(window, Qt.Key.Key_Period, CTRL)  # end right: the space
    key(window, Qt.Key.Key_Comma, CTRL)
    key(window, Qt.Key.Key_Comma, CTRL)  # end left: "rocke"
    assert store_spans(window) == [(start - 2, start + 5, "claim", "🚀 rocke")]
    key(window, Qt.Key.Key_BracketRight, CTRL)
    assert store_spans(window) == [(start - 1, start + 5, "claim", " rocke")]
    # the highlight followed
    view = window.article
    (placed,) = view.highlighter.index.placed.values()
    assert (placed.qs, placed.qe) == (
        view.offsets.to_utf16(start - 1),
        view.offsets.to_utf16(start + 5),
    )
    # each run of presses of one key is one undo step (every press was saved)
    for edges in [(-2, 5), (-2, 7), (-2, 6), (0, 6)]:
        undo(window)
        assert [s[:2] for s in store_spans(window)] == [(start + edges[0], start + edges[1])]
    for _ in range(4):
        redo(window)
    assert store_spans(window) == [(start - 1, start + 5, "claim", " rocke")]


def test_two_edge_moves_undo_one_at_a_time_and_never_take_the_span(window) -> None:
    add(window, ROCKET, ROCKET + 6)  # "rocket"
    key(window, Qt.Key.Key_BracketRight, CTRL)  # start right: "ocket"
    key(window, Qt.Key.Key_Comma, CTRL)  # end left: "ocke"
    assert store_spans(window) == [(ROCKET + 1, ROCKET + 5, "claim", "ocke")]
    undo(window)
    assert store_spans(window) == [(ROCKET + 1, ROCKET + 6, "claim", "ocket")]
    undo(window)
    assert store_spans(window) == [(ROCKET, ROCKET + 6, "claim", "rocket")]
    undo(window)  # only now the step that made it
    assert store_spans(window) == []


def test_move_skips_a_whole_grapheme_cluster(window) -> None:
    family = HARD_TEXT.index("👨")
    add(window, family - 4, family)  # "the ", snapped to "the"
    key(window, Qt.Key.Key_Period, CTRL)
    key(window, Qt.Key.Key_Period, CTRL)
    assert store_spans(window)[0][3] == "the 👨\u200d👩\u200d👧"


def test_a_span_cannot_be_moved_to_nothing(window) -> None:
    select_cp(window, ROCKET, ROCKET + 1)
    key(window, Qt.Key.Key_1, ALT)
    key(window, Qt.Key.Key_BracketRight, CTRL)
    assert store_spans(window) == [(ROCKET, ROCKET + 1, "claim", "r")]


def test_note_with_n_key_and_undo(nested, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(
        nested,
        "ask_note",
        lambda title, label, default="", span=None: asked.append(default) or "  checks out  ",
    )
    click_cp(nested, ROCKET + 2)
    key(nested, Qt.Key.Key_N)
    notes = {s.label: s.note for s in nested.store.spans.in_document(nested.current_document)}
    assert notes == {"claim": None, "quote": "checks out"}
    assert asked == [""]
    undo(nested)
    assert {s.note for s in nested.store.spans.in_document(nested.current_document)} == {None}
    redo(nested)
    assert "checks out" in {s.note for s in nested.store.spans.in_document(nested.current_document)}


def test_note_edited_in_the_span_list(nested) -> None:
    row = next(i for i, s in enumerate(nested.span_model.spans) if s.label == "claim")
    assert nested.span_model.setData(nested.span_model.index(row, 2), "see budget table")
    (claim,) = [
        s for s in nested.store.spans.in_document(nested.current_document) if s.label == "claim"
    ]
    assert claim.note == "see budget table"
    assert nested.span_model.data(nested.span_model.index(row, 2)) == "see budget table"
    undo(nested)
    (claim,) = [
        s for s in nested.store.spans.in_document(nested.current_document) if s.label == "claim"
    ]
    assert claim.note is None


def test_undo_and_redo_follow_the_database_step_by_step(window) -> None:
    states = [store_spans(window)]
    add(window, ROCKET, ROCKET + 6, Qt.Key.Key_1)
    states.append(store_spans(window))
    key(window, Qt.Key.Key_2)  # relabel the new (selected) span
    states.append(store_spans(window))
    key(window, Qt.Key.Key_Period, CTRL)
    states.append(store_spans(window))
    add(window, LAUNCH, LAUNCH + 3, Qt.Key.Key_3)
    states.append(store_spans(window))
    key(window, Qt.Key.Key_Delete)
    states.append(store_spans(window))
    assert all(a != b for a, b in zip(states[:-1], states[1:], strict=True))
    for expected in reversed(states[:-1]):
        undo(window)
        assert store_spans(window) == expected
        assert sorted((s.start, s.end, s.label) for s in window.span_model.spans) == [
            e[:3] for e in expected
        ]
    for expected in states[1:]:
        redo(window)
        assert store_spans(window) == expected
    assert len(window.article.spans) == len(states[-1])


def test_undo_in_another_document_opens_it(window) -> None:
    add(window, ROCKET, ROCKET + 6)
    first = window.current_document
    QTest.keyClick(window.article, Qt.Key.Key_PageDown, CTRL)
    assert window.current_document != first
    undo(window)
    assert window.current_document == first
    assert store_spans(window) == []


def test_an_undo_the_project_refuses_is_shown_and_dropped(window, monkeypatch) -> None:
    import sqlite3

    add(window, ROCKET, ROCKET + 6)
    errors: list[str] = []
    monkeypatch.setattr(window, "show_error", errors.append)

    def disk_error(span_id: int) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(window.store.spans, "delete", disk_error)
    undo(window)
    (error,) = errors  # one sentence naming the file and the reason, no traceback
    assert error.startswith("The change could not be made: ")
    assert str(window.store.path) in error and "disk I/O error" in error
    assert not window.editor.undo_stack.canUndo()
    assert store_spans(window) == [(ROCKET, ROCKET + 6, "claim", "rocket")]
    assert [s.label for s in window.span_model.spans] == ["claim"]  # the view shows the store


def test_a_programming_error_in_undo_still_raises(window, monkeypatch) -> None:
    add(window, ROCKET, ROCKET + 6)

    def bug(span) -> None:
        raise ZeroDivisionError("a bug, not the analyst's doing")

    monkeypatch.setattr(window.document_model, "apply", bug)
    monkeypatch.setattr(window, "show_error", lambda text: pytest.fail(text))
    with pytest.raises(ZeroDivisionError):
        window.editor.undo_stack.undo()
