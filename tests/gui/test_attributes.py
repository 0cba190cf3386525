"""A span's attributes from the keyboard: A asks for them, each change one undoable step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store.project import Store

from .helpers import select_cp


def test_a_gives_the_selected_quote_a_speaker_and_undo_takes_it_back(
    open_window, make_project, monkeypatch
) -> None:
    text = "“We will build it,” the spokesperson said. 🚀 More text follows here."
    path = make_project(("Tram", text))
    window = open_window(path)
    select_cp(window, 0, 19)
    QTest.keyClick(window.article, Qt.Key.Key_2)  # a quote
    (span,) = window.store.spans.in_document(window.current_document)
    asked: list[tuple] = []

    def answer(label, declared, current):
        asked.append((label, [d["name"] for d in declared], current))
        return {"speaker": "a council spokesperson"}

    monkeypatch.setattr(window, "ask_attributes", answer)
    QTest.keyClick(window.article, Qt.Key.Key_A)
    assert asked == [("quote", ["speaker"], {})]
    with Store(path, "check") as store:
        assert store.spans.get(span.id).attributes == {"speaker": "a council spokesperson"}
    window.action("edit.undo").trigger()
    with Store(path, "check") as store:
        assert store.spans.get(span.id).attributes == {}
        assert len(store.spans.in_document(window.current_document)) == 1  # the span itself stays


def test_a_label_without_attributes_says_so(open_window, make_project, monkeypatch) -> None:
    path = make_project(("Claim", "A claim to tag here, and more words."))
    window = open_window(path)
    select_cp(window, 0, 7)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    monkeypatch.setattr(window, "ask_attributes", lambda *a: (_ for _ in ()).throw(AssertionError))
    QTest.keyClick(window.article, Qt.Key.Key_A)
    assert "declares no attributes" in window.statusBar().currentMessage()
