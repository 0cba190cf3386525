"""Send-back in the window: the curator's one key in review mode, and the analyst's packet
showing the documents sent back first, with the curator's note and changes above the
article."""

from __future__ import annotations

import pytest
from packet_project import lead_project
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from annotator.store.project import Store
from annotator.team.assign import assign
from annotator.team.merge import merge_projects
from annotator.team.packets import write_packet
from annotator.team.send_back import send_back

TEXTS = [
    "The minister said the bridge opens in 2027. Critics doubt it.",
    "\u201cWe are on budget,\u201d said Ana Ruiz. Costs rose anyway.",
    "Photo: the river at dawn. Admittedly, the works are late.",
]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def lead(tmp_path):
    """A lead's project whose three documents went to ana in a packet and came back: a claim
    on each, done; the curator moved the first claim's end and added a quote."""
    path = tmp_path / "lead.db"
    with lead_project(path, TEXTS) as store:
        assign(store, ["ana"], seed=1)
        write_packet(store, "ana", tmp_path / "ana-1.db")
        with Store(tmp_path / "ana-1.db", "ana") as packet:
            for doc in packet.documents.ids():
                packet.spans.add(doc, 0, 12, "claim")
                packet.statuses.set(doc, "done")
        merge_projects(store, [tmp_path / "ana-1.db"])
        store.spans.add(1, 0, 16, "claim", origin="curated")
        store.spans.add(1, 44, 60, "quote", origin="curated")
    return path


def open_as(monkeypatch, open_window, path, name: str):
    monkeypatch.setenv("ANNOTATOR_USER", name)
    return open_window(path)


def answering(window, keys: list[tuple[str | Qt.Key, bool]]):
    """The window's dialogs answered by typing: each (text, False) typed into the note, each
    (key, True) pressed there."""

    def run(dialog: QDialog) -> bool:
        dialog.show()
        for what, pressed in keys:
            if pressed:
                QTest.keyClick(dialog.note, what)
            else:
                QTest.keyClicks(dialog.note, what)
        return dialog.result() == QDialog.DialogCode.Accepted

    window.exec_dialog = run


def send_backs(path) -> list[tuple]:
    with Store(path) as store:
        return store.conn.execute(
            "SELECT document_id, analyst, note, spans, sent_by FROM send_backs ORDER BY id"
        ).fetchall()


def test_one_key_in_review_mode_sends_the_document_back_with_a_note(
    lead, monkeypatch, open_window
) -> None:
    window = open_as(monkeypatch, open_window, lead, "lead")
    window.open_document(1)
    assert window.action("review.send_back").isEnabled() is False  # review mode only
    QTest.keyClick(window.article, Qt.Key.Key_F6)
    assert window.action("review.send_back").isEnabled()
    review = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Review")
    assert window.action("review.send_back") in review.actions()

    # Esc cancels: nothing is sent back
    answering(window, [("Look again", False), (Qt.Key.Key_Escape, True)])
    QTest.keyClick(window.article, Qt.Key.Key_B, CTRL_SHIFT)
    assert send_backs(lead) == []

    # Enter sends, about ana's claim chosen in the panel
    window.review.panel.select_row(0)
    answering(window, [("The claim runs to 2027.", False), (Qt.Key.Key_Return, True)])
    QTest.keyClick(window.article, Qt.Key.Key_B, CTRL_SHIFT)
    with Store(lead) as store:
        (claim,) = [s.id for s in store.spans.in_document(1) if s.annotator == "ana"]
    assert send_backs(lead) == [(1, "ana", "The claim runs to 2027.", f"[{claim}]", "lead")]
    assert "Sent back to ana" in window.statusBar().currentMessage()

    # View → Progress of the work counts it
    QTest.keyClick(window.article, Qt.Key.Key_F9, Qt.KeyboardModifier.ShiftModifier)
    [shown] = [w for w in window.side_windows if w.objectName() == "workProgressWindow"]
    assert shown.rows()["ana"]["Sent back"] == "1" and shown.rows()["Everyone"]["Sent back"] == "1"

    # sent back already: said in the status bar, nothing written
    answering(window, [("again", False), (Qt.Key.Key_Return, True)])
    QTest.keyClick(window.article, Qt.Key.Key_B, CTRL_SHIFT)
    assert "already sent back to ana" in window.statusBar().currentMessage()
    assert len(send_backs(lead)) == 1


def test_the_analyst_sees_the_document_sent_back_first_with_the_note_and_changes(
    lead, tmp_path, monkeypatch, open_window
) -> None:
    with Store(lead, "lead") as store:
        send_back(store, ["3"], "ana", "Caption, not claim.")
        send_back(store, ["1"], "ana", "The claim runs to 2027.")
        write_packet(store, "ana", tmp_path / "ana-2.db")
    window = open_as(monkeypatch, open_window, tmp_path / "ana-2.db", "ana")
    titles = [row.title for row in window.documents.model.rows]
    assert titles == ["t2", "t0"]
    model = window.documents.model
    shown = [model.data(model.index(i, 0)) for i in range(2)]
    assert shown == ["↩ t2", "↩ t0"]

    window.open_document(2)  # t0
    bar = window.correction_bar
    assert bar.isVisible()
    assert "by lead" in bar.heading.text() and "The claim runs to 2027." in bar.note.text()
    assert bar.lines() == [
        "moved edges of claim “The minister” [0, 12) to [0, 16)",
        "added quote “Critics doubt it” [44, 60)",
    ]
    item = bar.changes.item(1)
    QTest.mouseClick(
        bar.changes.viewport(),
        Qt.MouseButton.LeftButton,
        pos=bar.changes.visualItemRect(item).center(),
    )
    assert window.article.selection_cp() == (44, 60)


def test_the_bar_is_hidden_on_a_document_not_sent_back_and_pinned_rows_survive_a_filter(
    lead, tmp_path, monkeypatch, open_window
) -> None:
    with Store(lead, "lead") as store:
        send_back(store, ["2"], "ana", "Who speaks?")
        store.documents.insert(text="A fresh article.", text_hash="fresh", title="fresh")
        store.conn.execute(
            "INSERT INTO documents (title, text, text_hash, created_at, updated_at)"
            " VALUES ('newer', 'Another fresh one.', 'newer', 'now', 'now')"
        )
        assign(store, ["ana"], seed=2)
        write_packet(store, "ana", tmp_path / "ana-2.db")
    with Store(tmp_path / "ana-2.db", "ana") as packet:  # a document started after it
        packet.spans.add(3, 0, 7, "claim")
    window = open_as(monkeypatch, open_window, tmp_path / "ana-2.db", "ana")
    assert [row.title for row in window.documents.model.rows] == ["t1", "fresh", "newer"]
    window.open_document(2)
    assert not window.correction_bar.isVisible()
    window.open_document(1)
    assert window.correction_bar.isVisible()
    assert window.correction_bar.lines() == []  # the curator changed nothing there
    status = window.documents.status
    status.setCurrentIndex(status.findData("in_progress"))
    model = window.documents.model
    assert [model.data(model.index(i, 0)) for i in range(model.rowCount())] == [
        "↩ t1",
        "newer",
    ]
    # least certain first would put another before it: the one sent back stays first
    status.setCurrentIndex(0)
    window.store.conn.execute(
        "INSERT INTO uncertainties (document_id, model_id, uncertainty) VALUES (3, 1, 0.9)"
    )
    window.documents.order = "uncertain"
    window.documents.reload()
    assert [model.data(model.index(i, 0)) for i in range(model.rowCount())] == [
        "↩ t1",
        "newer",
        "fresh",
    ]
    assert model.row_of(1) == 0 and model.row_of(2) == 2
