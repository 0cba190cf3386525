"""A one-key relabel never leaves a relation its type forbids: the window asks, and removes
those relations in the same undoable step; the store refuses it by every other road."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.model import RelationError
from annotator.store.project import Store

from .helpers import PLAIN_TEXT, quote_and_speaker


@pytest.fixture
def related(open_window, make_project):
    """A speaker with two said_by relations (from the quote and from the caption line)."""
    window = open_window(make_project(("Tram", PLAIN_TEXT)))
    quote, speaker = quote_and_speaker(window)
    store = window.store
    doc = window.current_document
    second = store.spans.add(doc, PLAIN_TEXT.index("Admittedly"), len(PLAIN_TEXT), "quote")
    window.apply_changes(second.changes)
    for head in (quote, second):
        window.apply_changes(store.relations.add(head.id, speaker.id, "said_by").changes)
    window.editor.select(speaker.id)
    return window, speaker


def relations(window) -> list[tuple[int, int, str]]:
    with Store(window.store.path) as other:
        return [(r.head, r.child, r.label) for r in other.relations.in_document(1)]


def test_saying_no_changes_nothing(related, monkeypatch):
    window, speaker = related
    asked: list[str] = []
    monkeypatch.setattr(window, "confirm", lambda _t, q: asked.append(q) or False)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    assert asked and "2 said_by relations" in asked[0]
    assert window.store.spans.get(speaker.id).label == "speaker"
    assert len(relations(window)) == 2
    assert "Not relabelled" in window.statusBar().currentMessage()


def test_saying_yes_relabels_and_removes_them_in_one_undoable_step(related, monkeypatch, tmp_path):
    window, speaker = related
    before = relations(window)
    monkeypatch.setattr(window, "confirm", lambda *_: True)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    assert window.store.spans.get(speaker.id).label == "claim"
    assert relations(window) == [] and window.document_model.relations == {}
    assert "removed 2 said_by relations" in window.statusBar().currentMessage()
    out = tmp_path / "all.jsonl"
    export(window.store, "annotator", out)  # the project's own export imports again
    with Store(tmp_path / "copy.db", "x") as copy:
        assert import_paths(copy, [out]).ok
    window.action("edit.undo").trigger()
    assert window.store.spans.get(speaker.id).label == "speaker"
    assert sorted(relations(window)) == sorted(before)
    assert len(window.document_model.relations) == 2
    window.action("edit.redo").trigger()
    assert relations(window) == []


def test_every_other_road_refuses_with_the_reason(related):
    window, speaker = related
    with Store(window.store.path) as other, pytest.raises(RelationError, match="said_by"):
        other.spans.relabel(speaker.id, "claim")
    assert len(relations(window)) == 2


def test_a_relabel_its_relations_still_fit_keeps_them(related):
    window, speaker = related
    window.store.relation_types.update("said_by", children=["speaker", "claim"])
    window.store.spans.relabel(speaker.id, "claim")
    assert len(relations(window)) == 2
