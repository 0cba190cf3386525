"""The labels dialog edits the whole scheme: label attributes on the Labels page, relation
types on the Relation types page; each field one undoable step, seen at once in the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from annotator.gui.panels.span_list import ATTRIBUTES_COLUMN
from annotator.store.project import Store

from .helpers import PLAIN_TEXT, key, quote_and_speaker, tag

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def related(open_window, make_project):
    """A window on an article with a quote, a speaker and said_by between them."""
    window = open_window(make_project(("Tram", PLAIN_TEXT)))
    quote, speaker = quote_and_speaker(window)
    relation = window.store.relations.add(quote.id, speaker.id, "said_by")
    window.apply_changes(relation.changes)
    return window, quote, speaker


def in_dialog(window, monkeypatch, steps, *, confirm: bool = True) -> None:
    """Open the labels dialog (Ctrl+L), run ``steps`` on it, then close it."""

    def drive(dialog) -> bool:
        steps(dialog)
        dialog.accept()
        return True

    monkeypatch.setattr(window, "exec_dialog", drive)
    monkeypatch.setattr(window, "confirm", lambda *_: confirm)
    key(window, Qt.Key.Key_L, CTRL)


def stored_types(window) -> dict[str, tuple[list[str], list[str], str]]:
    with Store(window.store.path) as other:
        return {t.name: (t.heads, t.children, t.color) for t in other.relation_types.all()}


def page_on(dialog, name: str):
    page = dialog.relation_types
    dialog.pages.setCurrentWidget(page)
    row = [t.name for t in page.types].index(name)
    page.list.setCurrentRow(row)
    return page


def tick(box, name: str, on: bool) -> None:
    for n in range(box.count()):
        if box.item(n).text() == name:
            box.item(n).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def test_renaming_a_relation_type_is_seen_in_the_panel_and_undone(related, monkeypatch) -> None:
    window, _quote, _speaker = related
    assert window.relation_panel.rows()[0].startswith("said_by:")

    def rename(dialog) -> None:
        page = page_on(dialog, "said_by")
        page.name.setText("attributed_to")
        page.name.editingFinished.emit()
        page.ask_colour = lambda _current: "#aa3377"
        page.colour.click()

    in_dialog(window, monkeypatch, rename)
    assert "attributed_to" in stored_types(window) and "said_by" not in stored_types(window)
    assert stored_types(window)["attributed_to"][2] == "#aa3377"
    assert window.relation_panel.rows()[0].startswith("attributed_to:")
    assert window.relation_panel._colours["attributed_to"] == "#aa3377"
    with Store(window.store.path) as other:
        [relation] = other.relations.in_document(window.current_document)
        assert relation.label == "attributed_to"

    window.action("edit.undo").trigger()  # the colour
    window.action("edit.undo").trigger()  # the name
    assert stored_types(window)["said_by"][2] != "#aa3377"
    assert window.relation_panel.rows()[0].startswith("said_by:")


def test_ends_that_stored_relations_would_not_fit_are_refused(related, monkeypatch) -> None:
    window, _quote, _speaker = related
    seen: dict[str, object] = {}

    def narrow(dialog) -> None:
        page = page_on(dialog, "said_by")
        tick(page.head_labels, "quote", False)
        tick(page.head_labels, "claim", True)  # a claim → speaker type: the quote's relation
        seen["error"] = page.error.text()
        seen["ticked"] = page._ticked(page.head_labels)

    in_dialog(window, monkeypatch, narrow)
    # unticking quote leaves no head ticked (any label): allowed; then claim alone is refused
    assert "1 said_by relation joins labels these ends would not allow" in seen["error"]
    assert seen["ticked"] == []  # the ticks show what is stored again
    assert stored_types(window)["said_by"][0] == []
    window.action("edit.undo").trigger()
    assert stored_types(window)["said_by"][0] == ["quote"]


def test_deleting_a_type_in_use_takes_its_relations_and_undo_brings_them_back(
    related, monkeypatch
) -> None:
    window, quote, speaker = related

    def delete(dialog) -> None:
        page_on(dialog, "said_by").delete.click()

    in_dialog(window, monkeypatch, delete)
    assert "said_by" not in stored_types(window)
    assert window.document_model.relations == {}
    assert window.relation_panel.rows() == []
    window.action("edit.undo").trigger()
    assert "said_by" in stored_types(window)
    [(head, child, label)] = [
        (r.head, r.child, r.label) for r in window.document_model.relations.values()
    ]
    assert (head, child, label) == (quote.id, speaker.id, "said_by")


def test_a_new_type_is_added_with_its_ends(related, monkeypatch) -> None:
    window, _quote, _speaker = related

    def add(dialog) -> None:
        page = dialog.relation_types
        dialog.pages.setCurrentWidget(page)
        page.add.click()
        page.name.setText("supports")
        page.name.editingFinished.emit()
        tick(page.head_labels, "quote", True)
        tick(page.child_labels, "claim", True)

    in_dialog(window, monkeypatch, add)
    assert stored_types(window)["supports"][:2] == (["quote"], ["claim"])
    for _ in range(4):  # the children, the heads, the name, the type itself
        window.action("edit.undo").trigger()
    assert "supports" not in stored_types(window)


def test_label_attributes_are_declared_in_the_dialog_and_undone(
    open_window, make_project, monkeypatch
) -> None:
    window = open_window(make_project(("Tram", PLAIN_TEXT)))
    seen: dict[str, str] = {}

    def declare(dialog) -> None:
        row = [lab.name for lab in dialog.labels].index("claim")
        dialog.list.setCurrentRow(row)
        dialog.attributes.setPlainText("stance:\n")
        dialog.save_field("attributes")
        seen["error"] = dialog.error.text()
        dialog.attributes.setPlainText("stance: for | against\nsource")
        dialog.save_field("attributes")

    in_dialog(window, monkeypatch, declare)
    assert "line 1: after the colon, give the values" in seen["error"]
    with Store(window.store.path) as other:
        assert other.labels.get("claim").attributes == [
            {"name": "stance", "kind": "choice", "values": ["for", "against"]},
            {"name": "source", "kind": "text"},
        ]
    claim = tag(window, 0, 5, Qt.Key.Key_1)
    answers = iter([{"stance": "against"}])
    monkeypatch.setattr(window, "ask_attributes", lambda *_: next(answers))
    # double-clicking the span's Attributes cell asks for them, as A does
    row = window.span_model.row_of(claim)
    index = window.span_model.index(row, ATTRIBUTES_COLUMN)
    window.span_table.doubleClicked.emit(index)
    assert window.store.spans.get(claim.id).attributes == {"stance": "against"}
    assert window.span_model.data(index) == "stance: against"
    window.span_table.doubleClicked.emit(QModelIndex())  # nowhere: nothing asked
    window.action("edit.undo").trigger()  # the attribute value
    window.action("edit.undo").trigger()  # the span
    window.action("edit.undo").trigger()  # the declaration
    with Store(window.store.path) as other:
        assert other.labels.get("claim").attributes == []


def test_renaming_a_label_reaches_the_relation_types_and_undo_takes_it_all_back(
    related, monkeypatch
) -> None:
    window, quote, speaker = related

    def narrow_then_rename(dialog) -> None:
        page = page_on(dialog, "said_by")
        tick(page.head_labels, "claim", True)  # a step that remembers the type's ends
        dialog.pages.setCurrentIndex(0)
        dialog.list.setCurrentRow([lab.name for lab in dialog.labels].index("quote"))
        dialog.name.setText("statement")
        dialog.name.editingFinished.emit()
        page = page_on(dialog, "said_by")
        seen["ticked"] = page._ticked(page.head_labels)

    seen: dict[str, object] = {}
    errors: list[object] = []
    monkeypatch.setattr(window, "show_error", errors.append)
    in_dialog(window, monkeypatch, narrow_then_rename)
    assert seen["ticked"] == ["claim", "statement"]
    assert stored_types(window)["said_by"][:2] == (["claim", "statement"], ["speaker"])
    with Store(window.store.path) as other:
        [relation] = other.relations.in_document(window.current_document)
        assert (relation.head, relation.child, relation.label) == (quote.id, speaker.id, "said_by")

    window.action("edit.undo").trigger()  # the rename
    assert stored_types(window)["said_by"][:2] == (["claim", "quote"], ["speaker"])
    window.action("edit.undo").trigger()  # the heads, as the step left them before the rename
    assert stored_types(window)["said_by"][:2] == (["quote"], ["speaker"])
    window.action("edit.redo").trigger()
    window.action("edit.redo").trigger()
    assert stored_types(window)["said_by"][:2] == (["claim", "statement"], ["speaker"])
    assert errors == []


def test_a_label_renamed_by_another_program_leaves_relation_type_steps_undoable(
    related, monkeypatch
) -> None:
    window, _quote, _speaker = related
    errors: list[object] = []
    monkeypatch.setattr(window, "show_error", errors.append)

    def widen(dialog) -> None:
        tick(page_on(dialog, "said_by").head_labels, "claim", True)

    in_dialog(window, monkeypatch, widen)
    with Store(window.store.path) as other:
        other.labels.rename("quote", "statement")
    key(window, Qt.Key.Key_F5)
    window.action("edit.undo").trigger()  # the heads, as they are named now
    assert errors == []
    assert stored_types(window)["said_by"][:2] == (["statement"], ["speaker"])


def test_deleting_a_label_takes_its_relations_and_types_and_undo_brings_all_back(
    related, monkeypatch
) -> None:
    window, quote, speaker = related

    def delete_speaker(dialog) -> None:
        dialog.list.setCurrentRow([lab.name for lab in dialog.labels].index("speaker"))
        dialog.delete.click()

    in_dialog(window, monkeypatch, delete_speaker)
    assert "said_by" not in stored_types(window)  # its only child label went
    assert window.document_model.relations == {}
    assert window.relation_panel.rows() == []
    window.action("edit.undo").trigger()
    assert stored_types(window)["said_by"][:2] == (["quote"], ["speaker"])
    [(head, child, label)] = [
        (r.head, r.child, r.label) for r in window.document_model.relations.values()
    ]
    assert (head, child, label) == (quote.id, speaker.id, "said_by")
    window.action("edit.redo").trigger()
    assert "said_by" not in stored_types(window)
