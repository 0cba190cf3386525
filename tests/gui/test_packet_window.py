"""A packet opened in the window as its analyst: an ordinary project whose queue is the lead's
order, with the lead's labels and their keys; what is tagged there merges back."""

from __future__ import annotations

from packet_project import lead_project, uneven_texts
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store.project import Store
from annotator.team.assign import assign
from annotator.team.merge import merge_projects
from annotator.team.packets import write_packet

from .helpers import select_cp

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_analyst_works_through_a_packet_in_the_window_and_it_merges_back(
    tmp_path, open_window
) -> None:
    with lead_project(tmp_path / "lead.db", uneven_texts(12)) as lead:
        lead.labels.add("hedge", "#cc6677", "6", "A claim softened by its speaker.")
        assign(lead, ["tester", "bo"], overlap=1, seed=2, order="shuffled")
        write_packet(lead, "tester", tmp_path / "mine.db")
        queue = [
            r[0]
            for r in lead.conn.execute(
                "SELECT d.title FROM assignments a JOIN documents d ON d.id = a.document_id"
                " WHERE a.analyst = 'tester' ORDER BY a.position"
            )
        ]
    window = open_window(tmp_path / "mine.db")
    assert [r.title for r in window.documents.model.rows] == queue
    assert window.store.documents.row(window.current_document).title == queue[0]
    select_cp(window, 0, 7)
    QTest.keyClick(window.article, Qt.Key.Key_6)  # the lead's own label, by its key
    QTest.keyClick(window.article, Qt.Key.Key_Return, CTRL)  # done, and the next in the queue
    assert window.store.documents.row(window.current_document).title == queue[1]
    window.close()
    with Store(tmp_path / "lead.db", "lead") as lead:
        merge_projects(lead, [tmp_path / "mine.db"])
        [(label, who, title)] = lead.conn.execute(
            "SELECT l.name, s.annotator, d.title FROM spans s JOIN labels l ON l.id = s.label_id"
            " JOIN documents d ON d.id = s.document_id"
        ).fetchall()
        assert (label, who, title) == ("hedge", "tester", queue[0])
        [(document,)] = lead.conn.execute("SELECT id FROM documents WHERE title = ?", (title,))
        assert lead.statuses.of_document(document) == {"tester": "done"}
