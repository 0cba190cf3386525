"""Who said each quote, suggested in the window: Enter takes the quote, its speaker and the
relation in one undoable step; Delete drops the speaker with the quote; each part can still be
corrected after. Assertions read the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store.project import Store

TEXT = (
    "Union warns of strike\n"
    "\u201cWe have no choice,\u201d said Abena Osei. Costs rose again.\n"
    "The board's chair, Edith Carver, told reporters: \u201cWe are ready to talk.\u201d\n"
)
QUOTE = "\u201cWe have no choice,\u201d"
READY = "\u201cWe are ready to talk.\u201d"


def stored(window) -> dict[str, list[tuple]]:
    """Spans, suggestions and relations of the open document, through a fresh connection."""
    with Store(window.store.path) as other:
        doc = window.current_document
        spans = {s.id: s for s in other.spans.in_document(doc)}
        relations = [
            (spans[r.head].text, r.label, spans[r.child].text, r.origin)
            for r in other.relations.in_document(doc)
        ]
    return {
        "spans": sorted((s.text, s.label) for s in spans.values() if s.origin != "suggested"),
        "suggested": sorted((s.text, s.label) for s in spans.values() if s.origin == "suggested"),
        "relations": sorted(relations),
    }


def key(window, k: Qt.Key) -> None:
    QTest.keyClick(window.article, k)


def choose(window, text: str) -> None:
    suggestion = next(s for s in window.document_model.suggestions.values() if s.text == text)
    window.suggestions.show(suggestion)


def suggested_window(open_window, make_project):
    window = open_window(make_project(("Strike", TEXT)))
    window.action("suggest.document").trigger()
    return window


def test_f8_suggests_the_speaker_and_the_relation_beside_each_quote(open_window, make_project):
    window = suggested_window(open_window, make_project)
    assert stored(window)["relations"] == [
        (READY, "said_by", "Edith Carver", "suggested"),
        (QUOTE, "said_by", "Abena Osei", "suggested"),
    ]
    assert ("Abena Osei", "speaker") in stored(window)["suggested"]
    assert not window.document_model.relations  # drawn once accepted, not before


def test_enter_on_a_quote_takes_its_speaker_and_the_relation_in_one_step(open_window, make_project):
    window = suggested_window(open_window, make_project)
    before = stored(window)
    ids = {s.text: s.id for s in window.document_model.suggestions.values()}
    choose(window, QUOTE)
    key(window, Qt.Key.Key_Return)
    after = stored(window)
    assert after["spans"] == [("Abena Osei", "speaker"), (QUOTE, "quote")]
    assert (QUOTE, "said_by", "Abena Osei", "manual") in after["relations"]
    shown = list(window.document_model.relations.values())
    assert [(r.label, r.origin) for r in shown] == [("said_by", "manual")]  # drawn now
    assert "with its speaker" in window.statusBar().currentMessage()
    accepted = {s.text: s.id for s in window.document_model.spans.values()}
    window.action("edit.undo").trigger()  # one step: quote, speaker and relation back as suggested
    assert stored(window) == before
    assert {s.text: s.id for s in window.document_model.suggestions.values()} == ids
    assert not window.document_model.relations
    window.action("edit.redo").trigger()
    assert stored(window) == after
    assert {s.text: s.id for s in window.document_model.spans.values()} == accepted


def test_enter_on_a_speaker_takes_the_quote_it_said(open_window, make_project):
    window = suggested_window(open_window, make_project)
    choose(window, "Edith Carver")
    key(window, Qt.Key.Key_Return)
    assert stored(window)["spans"] == [("Edith Carver", "speaker"), (READY, "quote")]
    assert (READY, "said_by", "Edith Carver", "manual") in stored(window)["relations"]


def test_delete_on_a_quote_drops_its_speaker_and_undo_brings_all_back(open_window, make_project):
    window = suggested_window(open_window, make_project)
    before = stored(window)
    choose(window, READY)
    key(window, Qt.Key.Key_Delete)
    after = stored(window)
    assert (READY, "quote") not in after["suggested"]
    assert ("Edith Carver", "speaker") not in after["suggested"]
    assert not [r for r in after["relations"] if r[0] == READY]
    assert "Edith Carver" not in [s.text for s in window.document_model.suggestions.values()]
    window.action("edit.undo").trigger()
    assert stored(window) == before
    window.action("edit.redo").trigger()
    assert stored(window) == after


def test_each_part_can_be_corrected_after_it_was_accepted(open_window, make_project):
    window = suggested_window(open_window, make_project)
    choose(window, QUOTE)
    key(window, Qt.Key.Key_Return)
    speaker = next(s for s in window.document_model.spans.values() if s.label == "speaker")
    window.editor.select(speaker.id)
    key(window, Qt.Key.Key_Delete)  # the speaker was wrong: it goes, and its relation with it
    assert stored(window)["spans"] == [(QUOTE, "quote")]
    assert not [r for r in stored(window)["relations"] if r[0] == QUOTE]
    window.action("edit.undo").trigger()
    assert (QUOTE, "said_by", "Abena Osei", "manual") in stored(window)["relations"]


def test_f8_says_why_no_speaker_was_suggested(open_window, make_project):
    path = make_project(("Strike", TEXT))
    with Store(path) as store:
        for kind in store.relation_types.all():
            store.relation_types.delete(kind.name)
    window = open_window(path)
    window.action("suggest.document").trigger()
    said = window.statusBar().currentMessage()
    assert said.startswith("2 suggestions here")  # the quotes were still found
    assert "Speakers not run: no relation type goes from quote to another label" in said
    assert stored(window)["relations"] == []
