"""Every write reaches every view: an import onto the open document, a merge while the window
is open, settling, and a label renamed in review mode are shown at once, without a refresh."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.model import text_hash
from annotator.store.project import Store
from annotator.team.merge import merge_projects

from .test_team_window import TEXTS, analyst_project, as_analyst, review_rows, team

assert as_analyst and team  # the team window's fixtures, used below

CTRL = Qt.KeyboardModifier.ControlModifier


def test_an_import_that_adds_spans_to_the_open_document_shows_them(window, tmp_path, monkeypatch):
    monkeypatch.setattr(window, "show_report", lambda *_a, **_k: False)
    doc = window.current_document
    text = window.store.documents.text(doc)
    source = tmp_path / "more.jsonl"
    spans = [{"start": 0, "end": 3, "label": "claim"}, {"start": 4, "end": 9, "label": "quote"}]
    source.write_text(json.dumps({"text": text, "spans": spans}) + "\n")
    window.flows.import_paths([str(source)])
    assert sorted((s.start, s.end) for s in window.document_model.spans.values()) == [
        (0, 3),
        (4, 9),
    ]
    row = window.documents.model.row_of(doc)
    assert window.documents.model.rows[row].span_count == 2


def test_a_merge_while_the_window_is_open_makes_it_a_team_window(open_window, tmp_path):
    path = tmp_path / "lead.db"
    with Store(path, "tester") as store, store.transaction():
        for t in TEXTS:
            store.documents.insert(text=t, text_hash=text_hash(t), title="t")
    window = open_window(path)
    assert not window.team_project
    sources = [
        analyst_project(tmp_path / "ana.db", "ana", {0: [(0, 12, "claim")]}, {0: "done"}),
        analyst_project(tmp_path / "bo.db", "bo", {0: [(4, 12, "claim")]}, {0: "done"}),
    ]
    with Store(path, "lead") as other:  # another program, while the window is open
        merge_projects(other, sources)
    window.open_document(1)
    QTest.keyClick(window.article, Qt.Key.Key_F5)
    assert window.team_project
    assert not window.action("view.everyone_spans").isChecked()
    assert window.document_model.spans == {}  # not ana's and bo's as the tester's own


def test_settling_is_shown_by_the_change_it_made_and_undone(as_analyst):
    window = as_analyst("lead")
    window.action("review.mode").trigger()
    window.open_document(2)
    QTest.keyClick(window.article, Qt.Key.Key_Return, CTRL)  # settle and go on
    assert 2 in window.documents.model.settled
    window.action("edit.undo").trigger()
    assert 2 not in window.documents.model.settled


def test_a_label_renamed_in_review_mode_is_renamed_in_the_review_panel(as_analyst, monkeypatch):
    window = as_analyst("lead")
    window.action("review.mode").trigger()
    window.open_document(2)
    assert any(key[2] == "quote" for key, *_ in review_rows(window))
    window.label_editor.update(window.store.labels.get("quote"), "name", "statement")
    assert {key[2] for key, *_ in review_rows(window)} == {"statement"}
    window.review.panel.select_row(0)
    window.action("review.accept").trigger()
    assert "unknown label" not in window.statusBar().currentMessage()
    with Store(window.store.path) as other:
        assert [s.label for s in other.spans.in_document(2) if s.origin == "curated"] == [
            "statement"
        ]


def test_settle_and_unsettle_return_the_changes_they_made(team):
    from annotator.team.curation import settle, unsettle

    with Store(team, "lead") as store:
        assert settle(store, 2).settled == {2: "lead"}
        assert not settle(store, 2)  # settled already: nothing changed
        assert unsettle(store, 2).settled == {2: None}
        assert not unsettle(store, 2)
