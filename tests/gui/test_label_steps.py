"""Label edits are undoable steps like span edits: none clears the undo history, reloads the
article or moves the reading position, and the dialog saves each field as it is edited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton

from annotator.store.project import Store

from .helpers import HARD_TEXT, select_cp, store_spans

CTRL = Qt.KeyboardModifier.ControlModifier
TEXT = "\n".join(f"Paragraph {i} about the tram and its costs." for i in range(300))


def key(window, k: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.article, k, mods)


def in_dialog(window, monkeypatch, steps) -> None:
    """Open the labels dialog (Ctrl+L), run ``steps`` on it, then close it."""

    def drive(dialog) -> bool:
        steps(dialog)
        dialog.accept()
        return True

    monkeypatch.setattr(window, "exec_dialog", drive)
    key(window, Qt.Key.Key_L, CTRL)


@pytest.fixture
def long_window(make_project, open_window, monkeypatch):
    window = open_window(make_project(("Long", TEXT)))
    window.errors = []
    monkeypatch.setattr(window, "show_error", window.errors.append)
    return window


def position(window) -> tuple[int, int]:
    return window.article.first_visible_cp(), window.article.caret_cp()


def test_label_steps_elsewhere_and_here_then_every_span_undone_keeps_the_reading_place(
    long_window, monkeypatch
) -> None:
    window = long_window
    starts = [TEXT.index(f"Paragraph {i} ") for i in (200, 205, 210)]
    for start in starts:
        select_cp(window, start, start + 9)
        key(window, Qt.Key.Key_1)
    window.article.scroll_to_cp(starts[0] - 40)
    place = position(window)
    with Store(window.store.path) as other:
        other.labels.update("claim", new_name="fact")
        other.labels.update("fact", color="#123456")
    key(window, Qt.Key.Key_F5)
    assert position(window) == place
    in_dialog(window, monkeypatch, lambda dialog: dialog.add_label())
    assert "new label" in [lab.name for lab in window.store.labels.all()]
    assert position(window) == place
    key(window, Qt.Key.Key_Z, CTRL)  # the label added
    assert "new label" not in [lab.name for lab in window.store.labels.all()]
    for left in (2, 1, 0):
        key(window, Qt.Key.Key_Z, CTRL)
        assert len(store_spans(window)) == left
        assert position(window) == place
    assert window.errors == []
    assert window.findChild(QPushButton, "label:fact") is not None


def test_each_field_is_saved_as_it_is_edited_and_undone_one_at_a_time(window, monkeypatch) -> None:
    def steps(dialog) -> None:
        dialog.list.setCurrentRow(0)
        dialog.name.setText("fact")
        dialog.name.editingFinished.emit()  # as when the field is left, or Enter pressed
        assert window.store.labels.get("fact").hotkey == "1"
        dialog.ask_colour = lambda current: "#112233"
        dialog.colour.click()
        assert window.store.labels.get("fact").color == "#112233"
        dialog.hotkey.clear()
        QTest.keyClicks(dialog.hotkey, "f")
        assert window.store.labels.get("fact").hotkey == "f"
        dialog.definition.setPlainText("A checkable assertion.")  # saved on closing

    in_dialog(window, monkeypatch, steps)
    fact = window.store.labels.get("fact")
    assert (fact.color, fact.hotkey, fact.definition) == ("#112233", "f", "A checkable assertion.")
    stack = window.editor.undo_stack
    assert stack.count() == 4  # name, colour, hotkey, definition
    stack.undo()
    assert window.store.labels.get("fact").definition != "A checkable assertion."
    stack.undo()
    assert window.store.labels.get("fact").hotkey == "1"
    stack.undo()
    stack.undo()
    claim = window.store.labels.get("claim")
    assert (claim.color, claim.definition) != ("#112233", "A checkable assertion.")
    assert window.findChild(QPushButton, "label:claim") is not None
    start = HARD_TEXT.index("rocket")
    select_cp(window, start, start + 6)
    key(window, Qt.Key.Key_1)
    assert [s[2] for s in store_spans(window)] == ["claim"]


def test_deleting_a_label_in_use_is_undone_with_its_spans_and_their_ids(
    window, monkeypatch
) -> None:
    for word in ("rocket", "dawn"):
        start = HARD_TEXT.index(word)
        select_cp(window, start, start + len(word))
        key(window, Qt.Key.Key_2)
    ids = sorted(s.id for s in window.store.spans.in_document(window.current_document))
    window.editor.select(ids[0])
    monkeypatch.setattr(window, "confirm", lambda title, question: True)

    def steps(dialog) -> None:
        dialog.list.setCurrentRow(1)  # quote
        assert dialog.delete_selected()

    in_dialog(window, monkeypatch, steps)
    assert window.store.spans.in_document(window.current_document) == []
    assert window.span_model.rowCount() == 0 and window.editor.selected is None
    assert window.findChild(QPushButton, "label:quote") is None
    key(window, Qt.Key.Key_Z, CTRL)
    assert sorted(s.id for s in window.store.spans.in_document(window.current_document)) == ids
    assert [lab.name for lab in window.store.labels.all()][1] == "quote"
    assert sorted(s.id for s in window.span_model.spans) == ids
    assert len(window.article.highlighter.index.placed) == 2
    assert window.findChild(QPushButton, "label:quote") is not None
    assert window.documents.model.rows[0].span_count == 2
    key(window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.store.spans.in_document(window.current_document) == []
    key(window, Qt.Key.Key_Z, CTRL)
    key(window, Qt.Key.Key_Z, CTRL)  # and the steps before it still undo
    assert len(store_spans(window)) == 1


def test_the_delete_question_says_no_by_default(window) -> None:
    from annotator.gui.dialogs.questions import question_box

    box = question_box("Delete 2 spans?", "The label is used by 2 spans.", window)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.No)
