"""Relations in the window: kept with the open document, made from the keyboard, undone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store.project import Store

from .helpers import PLAIN_TEXT, key, quote_and_speaker

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def related(open_window, make_project):
    """A window on an article with a quote and a speaker."""
    window = open_window(make_project(("Tram", PLAIN_TEXT)))
    quote, speaker = quote_and_speaker(window)
    assert (quote.label, speaker.label) == ("quote", "speaker")
    return window, quote, speaker


def stored_relations(window) -> list[tuple[int | None, int, int, str]]:
    with Store(window.store.path) as other:
        return [
            (r.id, r.head, r.child, r.label)
            for r in other.relations.in_document(window.current_document)
        ]


def shown_relations(window) -> list[tuple[int | None, int, int, str]]:
    return [(r.id, r.head, r.child, r.label) for r in window.document_model.relations.values()]


def test_deleting_a_span_takes_its_relation_and_undo_brings_both_back(related) -> None:
    window, quote, speaker = related
    relation = window.store.relations.add(quote.id, speaker.id, "said_by")
    window.apply_changes(relation.changes)
    assert shown_relations(window) == [(relation.id, quote.id, speaker.id, "said_by")]

    window.editor.select(quote.id)
    key(window, Qt.Key.Key_Delete)
    assert stored_relations(window) == []
    assert shown_relations(window) == []
    assert quote.id not in window.document_model.spans

    key(window, Qt.Key.Key_Z, CTRL)
    assert quote.id in window.document_model.spans
    assert stored_relations(window) == [(relation.id, quote.id, speaker.id, "said_by")]
    assert shown_relations(window) == [(relation.id, quote.id, speaker.id, "said_by")]

    key(window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert stored_relations(window) == []
    assert shown_relations(window) == []


def test_a_relation_made_elsewhere_is_shown_on_refresh(related) -> None:
    window, quote, speaker = related
    with Store(window.store.path) as other:
        made = other.relations.add(quote.id, speaker.id, "said_by")
    window.refresh()
    assert shown_relations(window) == [(made.id, quote.id, speaker.id, "said_by")]
    with Store(window.store.path) as other:
        other.relations.delete(made.id)
    window.refresh()
    assert shown_relations(window) == []


def test_a_relation_made_from_the_keyboard_is_saved_exported_and_undone(related, tmp_path) -> None:
    import json

    from annotator.formats.exporting import export

    window, quote, speaker = related
    window.editor.select(quote.id)
    key(window, Qt.Key.Key_R)
    assert window.relating.active
    assert "Relation from quote" in window.statusBar().currentMessage()
    key(window, Qt.Key.Key_Tab)
    assert window.editor.selected_span().id == speaker.id
    key(window, Qt.Key.Key_Return)
    assert not window.relating.active
    [made] = stored_relations(window)
    assert made[1:] == (quote.id, speaker.id, "said_by")
    assert shown_relations(window) == [made]

    out = tmp_path / "out.jsonl"
    export(window.store, "annotator", out)
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["label"] for r in record["relations"]] == ["said_by"]

    key(window, Qt.Key.Key_Z, CTRL)
    assert stored_relations(window) == []
    assert shown_relations(window) == []
    key(window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert stored_relations(window) == [made]  # back under its own id


def test_started_from_the_child_end_the_relation_runs_the_way_its_type_allows(related) -> None:
    window, quote, speaker = related
    window.editor.select(speaker.id)
    key(window, Qt.Key.Key_R)
    key(window, Qt.Key.Key_Left)  # the quote: speaker → quote fits no type, quote → speaker does
    assert window.editor.selected_span().id == quote.id
    key(window, Qt.Key.Key_Enter)
    assert not window.relating.active
    assert [r[1:] for r in stored_relations(window)] == [(quote.id, speaker.id, "said_by")]


def test_no_fitting_type_is_said_and_esc_cancels(related) -> None:
    from .helpers import tag

    window, quote, speaker = related
    caption = tag(window, PLAIN_TEXT.index("Photo"), PLAIN_TEXT.index("bridge."), Qt.Key.Key_3)
    window.editor.select(speaker.id)
    key(window, Qt.Key.Key_R)
    window.editor.select(caption.id)  # clicked: no type joins a speaker and a caption
    key(window, Qt.Key.Key_Enter)
    assert "No relation type goes from speaker to caption" in window.statusBar().currentMessage()
    assert window.relating.active
    key(window, Qt.Key.Key_Escape)
    assert not window.relating.active
    assert window.editor.selected_span().id == speaker.id
    assert stored_relations(window) == []


def test_tab_offers_the_spans_a_type_allows_nearest_first(related) -> None:
    from .helpers import tag

    window, quote, speaker = related
    tag(window, PLAIN_TEXT.index("Photo"), PLAIN_TEXT.index("bridge."), Qt.Key.Key_3)  # caption
    window.editor.select(quote.id)
    key(window, Qt.Key.Key_R)
    seen = []
    for _ in range(3):
        key(window, Qt.Key.Key_Tab)
        seen.append(window.editor.selected_span().id)
    assert seen == [speaker.id] * 3  # the caption is never offered: no type allows it


def test_a_relation_started_in_the_span_list_is_finished_there(related) -> None:
    window, quote, speaker = related
    table = window.span_table
    window.editor.select(quote.id)
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_R)
    assert window.relating.active
    assert window.relating.banner.isVisible()  # relation mode shows where the eye is
    focus = window.focusWidget()
    QTest.keyClick(focus, Qt.Key.Key_2)  # a label key does not relabel the other end
    QTest.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    QTest.keyClick(window.focusWidget(), Qt.Key.Key_Return)
    assert [r[1:] for r in stored_relations(window)] == [(quote.id, speaker.id, "said_by")]
    assert not window.relating.banner.isVisible()
    with Store(window.store.path) as other:
        assert [s.label for s in other.spans.in_document(window.current_document)] == [
            "quote",
            "speaker",
        ]


def test_several_fitting_types_are_chosen_by_number(related) -> None:
    window, quote, speaker = related
    window.store.relation_types.add("attributed", heads=["quote"], children=["speaker"])
    window.editor.select(quote.id)
    key(window, Qt.Key.Key_R)
    key(window, Qt.Key.Key_Down)
    key(window, Qt.Key.Key_Return)
    assert "1 said_by · 2 attributed" in window.statusBar().currentMessage()
    key(window, Qt.Key.Key_2)
    assert [r[3] for r in stored_relations(window)] == ["attributed"]
    assert len(window.document_model.spans) == 2  # the number key tagged nothing


def test_relations_are_drawn_listed_chosen_and_deleted_from_the_panel(related, qtbot) -> None:
    window, quote, speaker = related
    relation = window.store.relations.add(quote.id, speaker.id, "said_by")
    window.apply_changes(relation.changes)
    panel = window.relation_panel
    assert panel.rows() == [
        "said_by: \u201cWe waited twenty years,\u201d \u2192 \u201cthe mayor\u201d"
    ]
    window.article.viewport().repaint()
    panel.overlay.repaint()
    assert panel.overlay.drawn == [relation.id]

    window.editor.select(None)
    panel.choose(relation.id)
    assert panel.overlay.chosen == relation.id
    assert window.editor.selected_span().id == quote.id
    panel.list.setFocus()
    QTest.keyClick(panel.list, Qt.Key.Key_Delete)
    assert stored_relations(window) == []
    assert panel.rows() == []
    assert quote.id in window.document_model.spans  # the span stays
    key(window, Qt.Key.Key_Z, CTRL)
    assert stored_relations(window) == [(relation.id, quote.id, speaker.id, "said_by")]
    assert len(panel.rows()) == 1
