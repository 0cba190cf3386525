"""Moving and selecting by meaning from the keyboard: the next and previous span in the text,
the sentence or paragraph at the caret (again: the next one added), the caret by sentence;
every command found by its id, and the keys a user chose in keys.json."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest

from annotator import keymap

from .helpers import click_cp, key, select_cp, tag

FIRST = "Mr. Osei met U.S. officials on Monday."
SECOND = "\u201cWe are on budget,\u201d he said."
THIRD = "Costs rose\u2026 and rose again."
PARAGRAPH = f"{FIRST} {SECOND} {THIRD}"
TEXT = f"Tram talks\n\n{PARAGRAPH}\n\nA second paragraph here. It ends."
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def at(text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    return start, start + len(text)


def selected(window) -> str | None:
    chosen = window.article.selection_cp()
    return None if chosen is None else TEXT[chosen[0] : chosen[1]]


def test_every_command_is_its_window_action_by_id(open_window, make_project):
    window = open_window(make_project(("Tram", TEXT)))
    for command in keymap.COMMANDS:
        action = window.findChild(QAction, f"action:{command.id}")
        assert action is window.action(command.id), command.id
        assert [k.toString() for k in action.shortcuts()] == [
            QKeySequence(k).toString() for k in command.keys
        ], command.id


def test_sentence_by_sentence_then_the_paragraph(open_window, make_project):
    window = open_window(make_project(("Tram", TEXT)))
    click_cp(window, TEXT.index("Osei"))
    key(window, Qt.Key.Key_S)
    assert selected(window) == FIRST  # "Mr." and "U.S." end no sentence
    key(window, Qt.Key.Key_S)
    assert selected(window) == f"{FIRST} {SECOND}"  # the closing mark stays with it
    key(window, Qt.Key.Key_S)
    assert selected(window) == PARAGRAPH  # "…" before a small letter ends none
    key(window, Qt.Key.Key_1)  # a label's key tags what is selected
    assert [(s.start, s.end, s.label) for s in window.document_model.spans.values()] == [
        (*at(PARAGRAPH), "claim")
    ]
    click_cp(window, TEXT.index("second"))
    key(window, Qt.Key.Key_P)
    assert selected(window) == "A second paragraph here. It ends."
    key(window, Qt.Key.Key_P)  # the last paragraph: nothing more to add, and it says so
    assert selected(window) == "A second paragraph here. It ends."
    assert "last paragraph" in window.statusBar().currentMessage()


def test_the_caret_moves_by_sentence(open_window, make_project):
    window = open_window(make_project(("Tram", TEXT)))
    click_cp(window, TEXT.index("Osei"))
    QTest.keyClick(window.article, Qt.Key.Key_Down, ALT)
    assert window.article.caret_cp() == TEXT.index(SECOND)
    QTest.keyClick(window.article, Qt.Key.Key_Down, ALT)
    assert window.article.caret_cp() == TEXT.index(THIRD)
    QTest.keyClick(window.article, Qt.Key.Key_Up, ALT)
    assert window.article.caret_cp() == TEXT.index(SECOND)
    key(window, Qt.Key.Key_S)
    assert selected(window) == SECOND


def test_next_and_previous_span_in_text_order(open_window, make_project):
    window = open_window(make_project(("Tram", TEXT)))
    tag(window, *at("officials"), Qt.Key.Key_1)
    tag(window, *at("Osei"), Qt.Key.Key_5)
    tag(window, *at(SECOND[: SECOND.index(" he")]), Qt.Key.Key_2)
    window.editor.deselect()
    click_cp(window, 0)

    def chosen() -> str:
        span = window.document_model.selected_span
        assert span is not None
        return span.text

    QTest.keyClick(window.article, Qt.Key.Key_Down, CTRL)
    assert chosen() == "Osei"
    QTest.keyClick(window.article, Qt.Key.Key_Down, CTRL)
    assert chosen() == "officials"
    QTest.keyClick(window.article, Qt.Key.Key_Down, CTRL)
    assert chosen().startswith("\u201cWe are")
    QTest.keyClick(window.article, Qt.Key.Key_Down, CTRL)  # round to the first again
    assert chosen() == "Osei" and "first span" in window.statusBar().currentMessage()
    QTest.keyClick(window.article, Qt.Key.Key_Up, CTRL)
    assert chosen().startswith("\u201cWe are")


def test_the_keys_a_user_chose_are_the_windows(open_window, make_project, tmp_path, monkeypatch):
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"select.sentence": ["Ctrl+J"], "span.next": []}))
    monkeypatch.setenv("ANNOTATOR_KEYS", str(path))
    window = open_window(make_project(("Tram", TEXT)))
    assert window.action("select.sentence").shortcut().toString() == "Ctrl+J"
    assert window.action("span.next").shortcuts() == []
    click_cp(window, TEXT.index("Osei"))
    QTest.keyClick(window.article, Qt.Key.Key_J, CTRL)
    assert selected(window) == FIRST
    select_cp(window, 0, 4)
    key(window, Qt.Key.Key_S)  # S is free again: it selects nothing now
    assert selected(window) == "Tram"


def test_a_keys_file_that_cannot_be_read_leaves_the_usual_keys(
    open_window, make_project, tmp_path, monkeypatch
):
    path = tmp_path / "keys.json"
    path.write_text("{")
    monkeypatch.setenv("ANNOTATOR_KEYS", str(path))
    window = open_window(make_project(("Tram", TEXT)))
    assert window.action("select.sentence").shortcut().toString() == "S"
    assert "Your keys were not read" in window.statusBar().currentMessage()


def test_the_shortcut_sheet_is_grouped_by_task_and_filtered(open_window, make_project):
    window = open_window(make_project(("Tram", TEXT)))
    window.action("help.shortcuts").trigger()
    sheet = next(w for w in window.side_windows if w.objectName() == "shortcutSheet")
    headings = [
        sheet.table.item(r, 0).text()
        for r in range(sheet.table.rowCount())
        if not sheet.table.item(r, 1).text()
    ]
    assert headings[0] == "Tagging" and headings.index("Tagging") < headings.index("Review")
    assert "Tag as claim" in dict(sheet.shown_rows())  # the labels' own keys, with tagging
    sheet.filter.setText("sentence")
    shown = dict(sheet.shown_rows())
    assert set(shown) == {"Select sentence", "Caret to next sentence", "Caret to previous sentence"}
    assert shown["Select sentence"] == "S"
    hidden = [r for r in range(sheet.table.rowCount()) if sheet.table.isRowHidden(r)]
    assert len(hidden) > sheet.table.rowCount() - 10  # the other tasks' headings went too


def test_the_article_has_the_keys_when_the_window_opens(open_window, make_project):
    window = open_window(make_project(("Tram", TEXT)))
    window.show()
    QTest.qWaitForWindowExposed(window)
    assert window.focusWidget() is window.article


def test_q_selects_each_quotation_with_its_marks(open_window, make_project):
    window = open_window(make_project(("Tram", TEXT)))
    click_cp(window, 0)
    key(window, Qt.Key.Key_Q)
    assert selected(window) == "\u201cWe are on budget,\u201d"
    key(window, Qt.Key.Key_Q)  # no other quotation: it says so, and keeps the selection
    assert "No quotation" in window.statusBar().currentMessage()


def test_an_edge_moves_by_a_word_with_alt(open_window, make_project):
    window = open_window(make_project(("Tram", TEXT)))
    select_cp(window, *at(SECOND))  # “We are on budget,” he said.
    key(window, Qt.Key.Key_2)
    QTest.keyClick(window.article, Qt.Key.Key_Comma, ALT)  # the end: before "said."
    QTest.keyClick(window.article, Qt.Key.Key_Comma, ALT)  # before "he": the quote whole
    span = window.document_model.selected_span
    assert span.text == "\u201cWe are on budget,\u201d"
    QTest.keyClick(window.article, Qt.Key.Key_BracketRight, ALT)  # the start: "are"
    assert window.document_model.selected_span.text == "are on budget,\u201d"
    window.action("edit.undo").trigger()  # presses of one key are one step
    assert window.document_model.selected_span.text == "\u201cWe are on budget,\u201d"
