"""The review panel lists the analysts' relations beside their spans: who made each, whether
everyone who marked the document done made it, and a curator accepts or rejects them like
spans, one undoable step each."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.model import text_hash
from annotator.store.project import Store
from annotator.team.merge import merge_projects

TEXT = "\u201cWe are on budget,\u201d said Ana Ruiz. Costs rose anyway, critics said."
QUOTE = (0, TEXT.index(",\u201d") + 2, "quote")
FULL_NAME = (TEXT.index("Ana"), TEXT.index(". Costs"), "speaker")
FIRST_NAME = (TEXT.index("Ana"), TEXT.index(" Ruiz"), "speaker")
CLAIM = (TEXT.index("Costs"), TEXT.index(", critics"), "claim")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def analyst(path, who, speaker):
    with Store(path, who) as store:
        with store.transaction():
            doc = store.documents.insert(text=TEXT, text_hash=text_hash(TEXT), title="Budget")
        quote = store.spans.add(doc, *QUOTE)
        named = store.spans.add(doc, *speaker)
        store.relations.add(quote.id, named.id, "said_by")
        store.spans.add(doc, *CLAIM)
        store.statuses.set(doc, "done")
    return path


@pytest.fixture
def window(tmp_path, open_window, monkeypatch):
    """ana links the quote to "Ana Ruiz", bo to "Ana"; both marked the document done."""
    sources = [
        analyst(tmp_path / "ana.db", "ana", FULL_NAME),
        analyst(tmp_path / "bo.db", "bo", FIRST_NAME),
    ]
    path = tmp_path / "team.db"
    with Store(path, "lead") as store:
        merge_projects(store, sources)
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    window = open_window(path)
    window.action("review.mode").trigger()
    window.open_document(1)
    return window


def rows(window) -> list[tuple[str, str, str, str]]:
    """Each row as the panel shows it: accepted, label, text, made by."""
    model = window.review.panel.model
    return [
        tuple(model.data(model.index(r, c)) for c in (0, 1, 2, 4)) for r in range(model.rowCount())
    ]


def curated(window) -> tuple[list[tuple[int, int, str]], list[tuple]]:
    with Store(window.store.path) as store:
        spans = {
            s.id: (s.start, s.end, s.label)
            for s in store.spans.in_document(1)
            if s.origin == "curated"
        }
        links = sorted(
            (spans[r.head], spans[r.child], r.label)
            for r in store.relations.in_document(1)
            if r.origin == "curated"
        )
    return sorted(spans.values()), links


def choose(window, label: str, text: str) -> None:
    """Choose the panel's row of ``label`` whose text ends with ``text``, and focus the rows."""
    panel = window.review.panel
    at = next(i for i, row in enumerate(rows(window)) if row[1] == label and row[2].endswith(text))
    panel.select_row(at)
    panel.table.setFocus()


def test_the_panel_lists_each_relation_with_who_made_it_and_whether_it_is_agreed(window):
    shown = rows(window)
    links = [row for row in shown if row[1] == "\u2192 said_by"]
    assert [(text, who) for _, _, text, who in links] == [
        ("\u201cWe are on budget,\u201d \u2192 \u201cAna\u201d", "bo"),
        ("\u201cWe are on budget,\u201d \u2192 \u201cAna Ruiz\u201d", "ana"),
    ]
    agreed = [row[1] for row in shown if row[3].endswith("· agreed")]
    assert agreed == ["quote", "claim"]  # both made these alike; neither relation is agreed
    panel = window.review.panel
    panel.label.setCurrentIndex(panel.label.findData("said_by"))
    assert [row[1] for row in rows(window)] == ["\u2192 said_by"] * 2


def test_enter_accepts_a_relation_with_its_ends_in_one_step(window):
    choose(window, "\u2192 said_by", "Ana Ruiz\u201d")
    QTest.keyClick(window.review.panel.table, Qt.Key.Key_Return)
    assert curated(window) == ([QUOTE, FULL_NAME], [(QUOTE, FULL_NAME, "said_by")])
    assert len(window.document_model.relations) == 1  # the article shows it at once
    accepted = [row[1] for row in rows(window) if row[0] == "✓ accepted"]
    assert sorted(accepted) == ["quote", "speaker", "\u2192 said_by"]
    window.action("edit.undo").trigger()
    assert curated(window) == ([], [])
    window.action("edit.redo").trigger()
    assert curated(window) == ([QUOTE, FULL_NAME], [(QUOTE, FULL_NAME, "said_by")])


def test_accepting_the_other_variant_takes_the_place_of_the_first(window):
    choose(window, "\u2192 said_by", "Ana Ruiz\u201d")
    window.action("review.accept").trigger()
    choose(window, "\u2192 said_by", "\u201cAna\u201d")
    window.action("review.accept").trigger()
    # one speaker in the gold, not two overlapping ones, and one relation
    assert curated(window) == ([QUOTE, FIRST_NAME], [(QUOTE, FIRST_NAME, "said_by")])
    assert "in place of" in window.statusBar().currentMessage()
    window.action("edit.undo").trigger()
    assert curated(window) == ([QUOTE, FULL_NAME], [(QUOTE, FULL_NAME, "said_by")])


def test_delete_in_the_panel_rejects_the_chosen_row(window):
    choose(window, "\u2192 said_by", "Ana Ruiz\u201d")
    window.action("review.accept").trigger()
    choose(window, "\u2192 said_by", "Ana Ruiz\u201d")
    QTest.keyClick(window.review.panel.table, Qt.Key.Key_Delete)
    # the relation is out; its ends, accepted with it, stay until rejected themselves
    assert curated(window) == ([QUOTE, FULL_NAME], [])
    assert "out of the curated layer" in window.statusBar().currentMessage()
    window.action("edit.undo").trigger()
    assert curated(window) == ([QUOTE, FULL_NAME], [(QUOTE, FULL_NAME, "said_by")])
    choose(window, "speaker", "Ana Ruiz")
    QTest.keyClick(window.review.panel.table, Qt.Key.Key_Delete)
    assert curated(window) == ([QUOTE], [])  # a span rejected takes its relation with it
    choose(window, "claim", "anyway")
    window.action("review.accept").trigger()
    choose(window, "claim", "anyway")
    window.article.setFocus()  # Ctrl+Shift+X rejects the panel's row from anywhere
    QTest.keyClick(window.article, Qt.Key.Key_X, CTRL_SHIFT)
    assert curated(window) == ([QUOTE], [])
    choose(window, "claim", "anyway")
    QTest.keyClick(window.review.panel.table, Qt.Key.Key_Delete)
    assert curated(window) == ([QUOTE], [])
    assert "stays out of the curated layer" in window.statusBar().currentMessage()


def test_every_relation_of_a_type_from_one_analyst(window):
    panel = window.review.panel
    panel.analyst.setCurrentIndex(panel.analyst.findData("bo"))
    panel.label.setCurrentIndex(panel.label.findData("said_by"))
    window.action("review.accept_layer").trigger()
    assert curated(window) == ([QUOTE, FIRST_NAME], [(QUOTE, FIRST_NAME, "said_by")])
    assert "bo's said_by relations" in window.statusBar().currentMessage()
