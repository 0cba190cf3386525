"""One person, one name: suggestions made from the command line under another name are the
analyst's to take in the window, and a change of name shows that analyst's statuses at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store.project import Store
from annotator.suggest.running import run_suggesters


def test_suggestions_made_under_another_name_are_taken_in_the_window(open_window, make_project):
    text = "The council met on Monday.\n“We will build the tram by May,” said Mayor Ana Ruiz.\n"
    project = make_project(("Tram", text))
    with Store(project, "root") as other:  # `annotator suggest` run as the login name
        doc = other.documents.ids()[0]
        run_suggesters(other, ["quotes"], documents=[doc])
    window = open_window(project)
    window.open_document(doc)
    assert window.document_model.suggestions, "the quotes suggester found nothing"
    QTest.keyClick(window.article, Qt.Key.Key_BracketRight)  # ] the first suggestion
    QTest.keyClick(window.article, Qt.Key.Key_Return)  # Enter: take it
    spans = window.store.spans.in_document(doc)
    assert [(s.annotator, s.origin) for s in spans if s.origin != "suggested"] == [
        ("tester", "manual")
    ]


def test_a_change_of_name_shows_that_analysts_statuses_without_a_refresh(window, monkeypatch):
    first = window.current_document
    QTest.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    row = window.documents.model.row_of(first)
    assert window.documents.model.rows[row].status == "done"
    assert window.status.progress.text() == "Done 1/3"
    monkeypatch.setattr(window, "ask_text", lambda *_a, **_k: "bo")
    window.flows.change_annotator()
    row = window.documents.model.row_of(first)
    assert window.documents.model.rows[row].status == "new"  # bo has not begun it
    assert window.status.progress.text() == "Done 0/3"
