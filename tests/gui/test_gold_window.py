"""Gold in the window: Review → Gold document (Shift+F7) marks the open document, or those
selected in the list, as gold and takes them out again; a document without a curated layer is
refused in the status bar with nothing marked; the list marks the gold documents, reading
only the rows it shows; Assign work's gold documents per packet reach the packets; and the
agreement dialog shows each analyst against gold."""

from __future__ import annotations

import sqlite3

import pytest
from gold_project import relate
from packet_project import lead_project, uneven_texts
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from annotator.gui.dialogs.agreement import figure
from annotator.store.project import Store
from annotator.team.curation import settle
from annotator.team.gold import mark_gold
from annotator.team.gold_scores import score

SHIFT = Qt.KeyboardModifier.ShiftModifier
TINT = Qt.ItemDataRole.BackgroundRole
CURATED = (1, 2, 3, 4, 5)  # the documents with a curated layer; 6 and after have none


@pytest.fixture
def lead_db(tmp_path, monkeypatch):
    """A lead's project of 12 documents, the first five curated (settled, with a span)."""
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    with lead_project(tmp_path / "lead.db", uneven_texts(12)) as store:
        for doc in CURATED:
            store.spans.add(doc, 0, 7, "claim", origin="curated")
            settle(store, doc)
    return tmp_path / "lead.db"


def gold_in(path) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT document_id FROM gold")}
    finally:
        conn.close()


def marked(window) -> set[int]:
    """The documents whose titles show the gold tint."""
    model = window.documents.model
    return {
        row.id
        for i, row in enumerate(model.rows)
        if isinstance(model.data(model.index(i, 0), TINT), QColor)
    }


def said(window) -> str:
    return window.statusBar().currentMessage()


def press_gold(window) -> None:
    QTest.keyClick(window.article, Qt.Key.Key_F7, SHIFT)


def test_shift_f7_marks_the_open_document_gold_and_again_takes_it_out(open_window, lead_db):
    window = open_window(lead_db)
    action = window.action("review.gold")
    assert action.shortcut().toString() == "Shift+F7"
    review = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Review")
    assert action in review.actions()
    window.open_document(2)
    assert not action.isChecked() and marked(window) == set()
    press_gold(window)
    assert gold_in(lead_db) == {2}
    assert action.isChecked() and marked(window) == {2}
    assert said(window) == "Document 2 marked gold."
    window.open_document(3)
    assert not action.isChecked()  # the item follows the open document
    window.open_document(2)
    assert action.isChecked()
    review.actions()[review.actions().index(action)].trigger()  # the menu item, again
    assert gold_in(lead_db) == set() and marked(window) == set()
    assert not action.isChecked() and said(window) == "Document 2 no longer gold."


def test_a_document_without_a_curated_layer_is_refused_in_the_status_bar(
    open_window, lead_db, dump
):
    window = open_window(lead_db)
    window.open_document(7)
    before = dump(lead_db)
    press_gold(window)
    assert said(window).startswith("Not marked gold: document 7 ('t6') has no curated layer")
    assert said(window).endswith("nothing was marked gold.")
    assert dump(lead_db) == before
    assert not window.action("review.gold").isChecked() and marked(window) == set()


def select_rows(window, first: int, last: int) -> None:
    model = window.documents.model
    chosen = QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1))
    window.documents.view.selectionModel().select(
        chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def test_the_documents_selected_in_the_list_are_marked_together_or_not_at_all(
    open_window, lead_db, dump
):
    window = open_window(lead_db)
    window.open_document(1)
    select_rows(window, 2, 6)  # documents 3 to 7: 6 and 7 have no curated layer
    before = dump(lead_db)
    press_gold(window)
    assert "document 6 ('t5') has no curated layer" in said(window)
    assert dump(lead_db) == before and marked(window) == set()
    select_rows(window, 1, 4)  # documents 2 to 5
    press_gold(window)
    assert gold_in(lead_db) == marked(window) == {2, 3, 4, 5}
    assert said(window) == "Documents 2, 3, 4, 5 marked gold."
    select_rows(window, 0, 1)  # 1 is not gold yet: both are marked
    press_gold(window)
    assert gold_in(lead_db) == {1, 2, 3, 4, 5}
    assert said(window) == "Document 1 marked gold. Document 2 was gold already."
    press_gold(window)  # all gold now: both taken out
    assert gold_in(lead_db) == marked(window) == {3, 4, 5}


def test_the_list_marks_gold_documents_reading_only_the_rows_it_shows(
    open_window, tmp_path, monkeypatch
):
    """A gold document far down the list is read with its page when it is shown, not
    before; a row that is not gold has no mark and its own title as tooltip."""
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    with lead_project(tmp_path / "lead.db", uneven_texts(450, seed=3)) as store:
        for doc in (2, 420):
            store.spans.add(doc, 0, 7, "claim", origin="curated")
        mark_gold(store, ["2", "420"])
    window = open_window(tmp_path / "lead.db")
    model = window.documents.model
    assert set.__contains__(model.gold, 2)
    assert not set.__contains__(model.gold, 420)  # its page is not read yet
    assert set(model._pages) == {0}
    assert isinstance(model.data(model.index(1, 0), TINT), QColor)
    assert "Gold:" in model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 0), TINT) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "t0"
    assert isinstance(model.data(model.index(419, 0), TINT), QColor)
    assert set(model._pages) == {0, 4}


def test_assign_works_gold_per_packet_reach_the_packets_written(
    open_window, lead_db, tmp_path, monkeypatch
):
    with Store(lead_db, "lead") as store:
        mark_gold(store, ["1", "2", "3", "4"])
    window = open_window(lead_db)
    seen: list[QDialog] = []

    def run(dialog) -> bool:
        seen.append(dialog)
        dialog.analysts.setPlainText("ana\nbo")
        dialog.seed.setText("5")
        dialog.folder.setText(str(tmp_path / "out"))
        dialog.gold.setValue(5)
        dialog.show_preview()
        assert dialog.gold_left.text().startswith("4 documents are gold")
        assert dialog.said.text().startswith(
            "Only 4 of the 4 gold documents are left that ana never had, fewer than the 5 asked"
        )
        assert not dialog.assign_button.isEnabled()
        dialog.gold.setValue(3)
        dialog.show_preview()
        assert "Each packet also holds 3 gold documents its analyst never had" in (
            dialog.summary.text()
        )
        assert dialog.assign() is True
        return True

    monkeypatch.setattr(window, "exec_dialog", run)
    monkeypatch.setattr(window, "show_report", lambda *args, **kwargs: False)
    window.action("team.assign").trigger()
    [dialog] = seen
    gold_hashes = {
        r[0]
        for r in window.store.conn.execute(
            "SELECT d.text_hash FROM gold g JOIN documents d ON d.id = g.document_id"
        )
    }
    for packet in dialog.packets:
        conn = sqlite3.connect(packet.path)
        try:
            held = {r[0] for r in conn.execute("SELECT text_hash FROM documents")}
        finally:
            conn.close()
        assert len(held & gold_hashes) == 3 == packet.gold
        given = window.store.conn.execute(
            "SELECT count(*) FROM gold_given WHERE analyst = ? AND seed = 5", (packet.analyst,)
        ).fetchone()[0]
        assert given == 3
    assert sorted(p.analyst for p in dialog.packets) == ["ana", "bo"]


def test_the_agreement_dialog_shows_each_analyst_against_gold(open_window, lead_db):
    text_spans = [(0, 7, "claim"), (8, 12, "claim")]
    with Store(lead_db, "lead") as store:
        relate(store, 1, (14, 18, "quote"), (19, 23, "speaker"), "said_by", origin="curated")
        mark_gold(store, ["1", "2"])
    with Store(lead_db, "ana") as ana:
        for start, end, label in text_spans:
            ana.spans.add(1, start, end, label)
        relate(ana, 1, (14, 18, "quote"), (20, 23, "speaker"), "said_by")
        ana.statuses.set(1, "done")
    window = open_window(lead_db)
    window.action("view.agreement").trigger()
    dialog = next(w for w in window.side_windows if w.objectName() == "agreementDialog")
    dialog.against.setChecked(True)
    dialog.against_gold.setChecked(True)
    assert not dialog.against.isChecked() and dialog.below.isHidden()  # one at a time
    with Store(lead_db) as other:
        ana = score(other).to_json()["analysts"][0]
    [shown] = dialog.shown_pairs()
    every = ana["all"]
    assert shown["title"] == "ana against gold, 1 document"
    assert shown["all"] == [
        figure(every["analyst_spans"]),
        figure(every["gold_spans"]),
        figure(every["exact_f1"]),
        figure(every["overlap_f1"]),
        "",
    ]
    assert shown["labels"]["said_by (relations)"] == ["1", "1", "0.000", "1.000", ""]
    assert shown["labels"]["claim"][:3] == ["2", "1", figure(ana["labels"]["claim"]["exact_f1"])]
    top = dialog.pairs.topLevelItem(0)
    assert top.toolTip(3) == (
        f"exact precision {figure(every['exact_precision'])}, "
        f"recall {figure(every['exact_recall'])}"
    )
    dialog.against_gold.setChecked(False)
    assert dialog.pairs.headerItem().text(5) == "κ" and not dialog.below.isHidden()


def test_the_lists_context_menu_marks_its_row_or_the_rows_selected(open_window, lead_db):
    window = open_window(lead_db)
    window.open_document(1)

    def gold_item(document_id):
        menu = window.documents.menu_for(document_id)
        (item,) = [a for a in menu.actions() if a.objectName() == "goldDocument"]
        return item

    assert any(a.objectName() == "reopenDocument" for a in window.documents.menu_for(3).actions())
    item = gold_item(3)  # a row that is not the open document
    assert not item.isChecked()
    item.trigger()
    assert gold_in(lead_db) == marked(window) == {3} and gold_item(3).isChecked()
    select_rows(window, 3, 4)  # documents 4 and 5, right-clicked on 5
    gold_item(5).trigger()
    assert gold_in(lead_db) == {3, 4, 5}
    gold_item(7).trigger()  # outside the selection: its own row, refused
    assert "document 7 ('t6') has no curated layer" in said(window)
    assert gold_in(lead_db) == {3, 4, 5}


def test_more_rows_selected_than_marked_at_once_are_left_to_the_command_line(
    open_window, lead_db, monkeypatch
):
    from annotator.gui.controllers import gold

    monkeypatch.setattr(gold, "MOST_AT_ONCE", 2)
    window = open_window(lead_db)
    window.open_document(1)
    select_rows(window, 0, 2)
    press_gold(window)
    assert said(window).startswith("Select at most 2 documents to mark gold at once")
    menu = window.documents.menu_for(2)
    (item,) = [a for a in menu.actions() if a.objectName() == "goldDocument"]
    assert not item.isEnabled() and gold_in(lead_db) == set()


def test_gold_marked_by_another_program_shows_on_refresh(open_window, lead_db):
    window = open_window(lead_db)
    window.open_document(4)
    with Store(lead_db, "lead") as other:  # `annotator gold add 4 5` meanwhile
        mark_gold(other, ["4", "5"])
    assert not window.action("review.gold").isChecked() and marked(window) == set()
    window.refresh()
    assert window.action("review.gold").isChecked() and marked(window) == {4, 5}
