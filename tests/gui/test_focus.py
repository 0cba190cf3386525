"""The keys go where the analyst works: after a document is opened from the list, after F8
and after ], Enter and Delete act on the suggestion, not on the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

TEXT = "The council met.\n“We will build the tram by May,” said Mayor Ana Ruiz.\n"


def test_a_document_clicked_in_the_list_takes_the_keys(open_window, make_project):
    window = open_window(make_project(("One", "First text."), ("Tram", TEXT)))
    view = window.documents.view
    view.setFocus()
    index = window.documents.model.index(1, 0)
    rect = view.visualRect(index)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_document == 2
    assert QApplication.focusWidget() is window.article


def test_after_f8_and_bracket_enter_accepts_even_from_the_list(open_window, make_project):
    window = open_window(make_project(("Tram", TEXT)))
    window.documents.view.setFocus()
    QTest.keyClick(window.documents.view, Qt.Key.Key_F8)
    assert QApplication.focusWidget() is window.article
    window.documents.view.setFocus()
    QTest.keyClick(window.documents.view, Qt.Key.Key_BracketRight)
    assert window.document_model.selected_suggestion is not None
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    taken = [s for s in window.store.spans.in_document(1) if s.origin == "manual"]
    assert {s.label for s in taken} == {"quote", "speaker"}  # a quote and who said it, together
