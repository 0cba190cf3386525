"""A first start that teaches: an empty span list says how to tag, with the labels' own keys,
and an empty project says how to bring articles in."""

from __future__ import annotations

from PySide6.QtCore import Qt

from .helpers import tag

TEXT = "The council approved the budget. Costs rose."


def test_an_empty_span_list_says_how_to_tag_until_there_is_a_span(open_window, make_project):
    window = open_window(make_project(("Budget", TEXT)))
    hint = window.span_table.hint
    assert "Select text in the article, then press 1\u20135" in hint
    assert "S selects the sentence" in hint and "P selects the paragraph" in hint
    before = window.span_table.grab().toImage()
    tag(window, 0, 3, Qt.Key.Key_1)
    window.span_table.viewport().repaint()
    window.action("edit.undo").trigger()
    window.span_table.viewport().repaint()
    assert window.span_table.grab().toImage() == before  # the hint is drawn again
    window.span_table.set_hint("")
    assert window.span_table.grab().toImage() != before  # and it was drawn: there is ink


def test_an_empty_project_says_how_to_import(open_window, make_project):
    window = open_window(make_project())
    assert window.article.toPlainText() == ""
    assert "Import files (Ctrl+I)" in window.article.placeholderText()
