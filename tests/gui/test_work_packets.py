"""The lead's work packets in the window: Review → Assign work (Shift+F6) previews each analyst's
share with the core's own plan, then writes the assignment and the packets, all or nothing;
View → Progress of the work (Shift+F9) shows the core's figures and follows the project."""

from __future__ import annotations

from collections import Counter

import pytest
from packet_project import add_texts, lead_project, uneven_texts
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QPushButton

from annotator.store.project import Store
from annotator.team.assign import assign, plan, unassigned_documents
from annotator.team.merge import merge_projects
from annotator.team.packet_progress import progress
from annotator.team.packets import assign_with_packets

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def lead_db(tmp_path, monkeypatch):
    """A lead's project of 30 documents of uneven lengths, opened as the lead."""
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    lead_project(tmp_path / "lead.db", uneven_texts(30)).close()
    return tmp_path / "lead.db"


@pytest.fixture
def reports(monkeypatch):
    """Make ``window.show_report`` keep what it was asked to show."""
    seen: list[tuple[str, str, list[str]]] = []

    def keep(window):
        monkeypatch.setattr(
            window,
            "show_report",
            lambda title, summary, details, offer=None: seen.append((title, summary, details)),
        )
        return seen

    return keep


def drive(window, monkeypatch, fill, *, press: bool = True) -> list:
    """Replace exec_dialog: the assign dialog is filled by ``fill``, then Assign is pressed
    (or the dialog cancelled); the dialogs seen are kept."""
    seen = []

    def run(dialog: QDialog) -> bool:
        seen.append(dialog)
        fill(dialog)
        if not press:
            return False
        QTest.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "exec_dialog", run)
    return seen


def settle(dialog, analysts: str, *, overlap=1, sample=None, seed=7, order="project", folder=None):
    """Fill the dialog's fields as a lead would, then show the preview at once."""
    dialog.analysts.setPlainText(analysts)
    dialog.overlap.setValue(overlap)
    dialog.sampled.setChecked(sample is not None)
    if sample is not None:
        dialog.sample.setValue(sample * 100)
    dialog.seed.setText(str(seed))
    dialog.order.setCurrentIndex(dialog.order.findData(order))
    if folder is not None:
        dialog.folder.setText(str(folder))
    dialog.show_preview()


def shown_shares(dialog) -> dict[str, tuple[int, int]]:
    table = dialog.shares
    return {
        table.item(r, 0).text(): (
            int(table.item(r, 1).text().replace(",", "")),
            int(table.item(r, 2).text().replace(",", "")),
        )
        for r in range(table.rowCount())
    }


def planned_shares(path, analysts, overlap, seed, sample=None) -> dict[str, tuple[int, int]]:
    """Each analyst's documents and characters as the core's plan gives them, read apart."""
    with Store(path) as store:
        documents = unassigned_documents(store.conn)
    chosen = plan(documents, analysts, overlap, seed=seed, sample=sample)
    lengths = dict(documents)
    counts: Counter = Counter()
    chars: Counter = Counter()
    for doc, given in chosen.given.items():
        for who in given:
            counts[who] += 1
            chars[who] += lengths[doc]
    return {who: (counts[who], chars[who]) for who in analysts}


def test_each_new_command_is_an_action_of_its_own(open_window, lead_db) -> None:
    window = open_window(lead_db)
    for command, menu in (("team.assign", "&Review"), ("view.progress", "&View")):
        action = window.findChild(QAction, f"action:{command}")
        assert action is window.action(command) and action.isEnabled()
        menus = {top.text(): top.menu().actions() for top in window.menuBar().actions()}
        assert action in menus[menu]
    assert window.action("team.assign").shortcut().toString() == "Shift+F6"
    assert window.action("view.progress").shortcut().toString() == "Shift+F9"


@pytest.mark.parametrize(
    "settings",
    [
        {"overlap": 2, "seed": 41},
        {"overlap": 2, "sample": 0.3, "seed": 5},
        {"overlap": 1, "seed": 123456},
    ],
)
def test_the_preview_is_the_cores_plan_for_the_same_seed_and_writes_nothing(
    open_window, lead_db, monkeypatch, dump, settings
) -> None:
    window = open_window(lead_db)
    before = dump(lead_db)
    names = ["ana", "bo", "cy"]
    seen = drive(window, monkeypatch, lambda d: settle(d, "ana, bo\ncy", **settings), press=False)
    QTest.keyClick(window.article, Qt.Key.Key_F6, SHIFT)
    [dialog] = seen
    want = planned_shares(
        lead_db, names, settings["overlap"], settings["seed"], settings.get("sample")
    )
    assert shown_shares(dialog) == want
    assert "30 documents not yet assigned go out" in dialog.summary.text()
    assert dialog.assign_button.isEnabled() and dialog.said.text() == ""
    assert dump(lead_db) == before  # a preview, then Cancel: nothing written


def test_assign_writes_the_packets_into_the_chosen_folder_and_the_assignment_into_the_project(
    open_window, lead_db, monkeypatch, reports, tmp_path
) -> None:
    window = open_window(lead_db)
    said = reports(window)
    folder = tmp_path / "out" / "packets"
    drive(window, monkeypatch, lambda d: settle(d, "ana\nbo\ncy", overlap=2, seed=9, folder=folder))
    window.action("team.assign").trigger()
    assert sorted(p.name for p in folder.iterdir()) == ["ana-1.db", "bo-1.db", "cy-1.db"]
    # the same assignment as the core's for the same settings, on a copy assigned apart
    twin = lead_project(tmp_path / "twin.db", uneven_texts(30))
    assign(twin, ["ana", "bo", "cy"], overlap=2, seed=9)
    query = (
        "SELECT d.text_hash, a.analyst, a.position FROM assignments a"
        " JOIN documents d ON d.id = a.document_id ORDER BY 1, 2"
    )
    assert window.store.conn.execute(query).fetchall() == twin.conn.execute(query).fetchall()
    twin.close()
    [(title, summary, details)] = said
    assert title == "Work assigned" and str(folder) in summary
    assert "Assigned 30 documents among 3 analysts, each to 2 of them (seed 9)." in summary
    held = dict(window.store.conn.execute("SELECT analyst, count(*) FROM assignments GROUP BY 1"))
    assert details == [
        f"{who}-1.db: {held[who]} documents for {who}" for who in ("ana", "bo", "cy")
    ]
    with Store(folder / "ana-1.db") as packet:
        assert packet.documents.count() == held["ana"]

    # Again after an import: the last run's analysts are offered, only the new documents go
    # out, and the dialog says so before and after.
    add_texts(window.store, uneven_texts(4, seed=8))
    offered = []

    def again(dialog):
        offered.append(dialog.analysts.toPlainText())
        settle(dialog, dialog.analysts.toPlainText(), overlap=2, seed=3, folder=folder)
        offered.append(dialog.summary.text())

    drive(window, monkeypatch, again)
    window.action("team.assign").trigger()
    assert offered[0] == "ana\nbo\ncy"
    assert "4 documents not yet assigned go out" in offered[1]
    assert "The 30 assigned before stay where they are" in offered[1]
    assert "The 30 assigned before stay where they were" in said[1][1]
    new = [line for line in said[1][2]]
    assert sum(int(line.split(": ")[1].split()[0]) for line in new) == 8  # 4 documents × 2
    assert all("-2.db" in line for line in new)


@pytest.mark.parametrize(
    ("analysts", "settings", "says"),
    [
        ("ana, bo", {"overlap": 3}, "Overlap 3 needs at least 3 analysts; 2 were named."),
        (
            "ana, bo",
            {"sample": 0.5},
            "The agreement sample gives a share of the documents to several analysts: give "
            "overlap 2 or more with it.",
        ),
        ("ana\nana", {}, "The analyst 'ana' is named twice; name each analyst once."),
        ("", {}, "Name the analysts to assign documents to."),
    ],
)
def test_bad_settings_are_refused_in_the_dialog_with_nothing_written(
    open_window, lead_db, monkeypatch, reports, tmp_path, dump, analysts, settings, says
) -> None:
    window = open_window(lead_db)
    said = reports(window)
    before = dump(lead_db)
    folder = tmp_path / "packets"
    seen = drive(window, monkeypatch, lambda d: settle(d, analysts, folder=folder, **settings))
    window.action("team.assign").trigger()
    [dialog] = seen
    assert dialog.said.text() == says
    assert not dialog.assign_button.isEnabled() and dialog.shares.rowCount() == 0
    assert dialog.assign() is False  # even pressed by force
    assert dump(lead_db) == before and not folder.exists() and said == []


def test_a_packets_folder_that_is_a_file_is_refused_with_nothing_assigned(
    open_window, lead_db, monkeypatch, reports, tmp_path, dump
) -> None:
    window = open_window(lead_db)
    said = reports(window)
    blocker = tmp_path / "packets"
    blocker.write_text("not a folder", encoding="utf-8")
    before = dump(lead_db)
    seen = drive(window, monkeypatch, lambda d: settle(d, "ana, bo", folder=blocker))
    window.action("team.assign").trigger()
    [dialog] = seen
    assert dialog.said.text() == (
        f"Nothing was assigned: {blocker} is not a folder; the packets go into a folder."
    )
    assert dialog.result() != QDialog.DialogCode.Accepted and said == []
    assert dump(lead_db) == before


def test_the_dialog_offers_the_folder_of_the_last_packets(open_window, lead_db, tmp_path) -> None:
    from annotator.gui.dialogs.assign import AssignDialog

    window = open_window(lead_db)
    first = AssignDialog(window.store, window)
    assert first.folder.text() == str(tmp_path / "exports" / "packets")
    assert first.said.text() == "Name the analysts to assign documents to."
    assign_with_packets(window.store, ["ana"], tmp_path / "sent", seed=1)
    later = AssignDialog(window.store, window)
    assert later.folder.text() == str(tmp_path / "sent")
    assert later.analysts.toPlainText() == "ana"


# -- progress ----------------------------------------------------------------------------------


def core_rows(path) -> dict[str, tuple[int, int, int]]:
    with Store(path) as store:
        figures = progress(store)
    rows = {a.analyst: (a.assigned, a.in_progress, a.done) for a in figures.analysts}
    overall = figures.overall
    rows["Everyone"] = (overall.assigned, overall.in_progress, overall.done)
    return rows


def window_rows(progress_window) -> dict[str, tuple[int, int, int]]:
    return {
        name: tuple(int(row[h].replace(",", "")) for h in ("Assigned", "In progress", "Done"))
        for name, row in progress_window.rows().items()
    }


def work_in(path, analyst: str, *, done: int, in_progress: int = 0) -> None:
    """Work in a packet as its analyst would: a claim on each of the first documents, the
    first ``done`` of them marked done."""
    with Store(path, analyst) as packet:
        ids = packet.documents.ids()
        for n, doc in enumerate(ids[: done + in_progress]):
            packet.spans.add(doc, 0, 7, "claim")
            packet.statuses.set(doc, "done" if n < done else "in_progress")


def test_the_progress_window_shows_the_cores_figures_and_follows_packets_merged_back(
    open_window, lead_db, tmp_path
) -> None:
    with Store(lead_db, "lead") as lead:
        _, packets = assign_with_packets(lead, ["ana", "bo"], tmp_path / "packets", seed=2)
    window = open_window(lead_db)
    QTest.keyClick(window.article, Qt.Key.Key_F9, SHIFT)
    [shown] = [w for w in window.side_windows if w.objectName() == "workProgressWindow"]
    settled(window)
    assert window_rows(shown) == core_rows(lead_db)
    assert shown.rows()["ana"]["Finished"] == "0 %"
    assert shown.documents.text().endswith("0 of 2 packets have come back; still out: ana, bo.")
    assert "No work has come back yet" in shown.said.text()
    assert "Skipped" not in shown.headings

    by = {p.analyst: p.path for p in packets}
    work_in(by["ana"], "ana", done=3, in_progress=1)
    work_in(by["bo"], "bo", done=2)
    with Store(lead_db, "lead") as other:  # another program merges the packets back
        merge_projects(other, [by["ana"], by["bo"]])
    QTest.keyClick(window.article, Qt.Key.Key_F5)  # read what other programs wrote
    qtbot_wait(lambda: window_rows(shown)["ana"][2] == 3)
    assert window_rows(shown) == core_rows(lead_db)
    assigned = window_rows(shown)["ana"][0]
    assert shown.rows()["ana"]["Finished"] == f"{3 * 100 // assigned} %"
    assert shown.said.text() == ""
    with Store(lead_db) as store:
        docs = progress(store).documents
    assert shown.documents.text() == (
        f"30 of 30 documents are assigned: {docs.done} done by every analyst given them, "
        f"{docs.in_progress} in progress, {docs.not_started} not started."
        "\n2 of 2 packets have come back."
    )
    assert (docs.done, docs.in_progress) == (5, 1)  # each document given to one analyst


def test_the_progress_window_follows_the_analysts_own_done_in_the_window(
    open_window, lead_db, monkeypatch, tmp_path
) -> None:
    with Store(lead_db, "lead") as lead:
        assign(lead, ["ana", "lead"], overlap=2, seed=4)  # every document is the lead's too
    window = open_window(lead_db)
    shown = window.packets.show_progress()
    settled(window)
    before = window_rows(shown)["lead"][2]
    QTest.keyClick(window.article, Qt.Key.Key_Return, CTRL)  # done, and the next
    qtbot_wait(lambda: window_rows(shown)["lead"][2] == before + 1)
    assert window_rows(shown) == core_rows(lead_db)


def test_a_project_with_no_assignment_says_how_to_assign(open_window, lead_db) -> None:
    window = open_window(lead_db)
    window.action("view.progress").trigger()
    [shown] = [w for w in window.side_windows if w.objectName() == "workProgressWindow"]
    assert shown.table.isHidden()
    text = shown.said.text()
    assert "No documents are assigned yet" in text
    assert "Review → Assign work… (Shift+F6)" in text and "annotator assign" in text
    assert shown.documents.text() == ""


def settled(window) -> None:
    """Wait for the progress reading the window has in hand (opening the project asks for
    one), so that what follows is read only if the window follows it."""
    qtbot_wait(lambda: not window.packets.pending.isActive())


def qtbot_wait(condition, timeout: int = 3000) -> None:
    from PySide6.QtCore import QDeadlineTimer
    from PySide6.QtWidgets import QApplication

    deadline = QDeadlineTimer(timeout)
    while not condition():
        assert not deadline.hasExpired(), "the window did not follow"
        QApplication.processEvents()
        QTest.qWait(20)


def test_the_progress_window_follows_the_project_the_window_opens_and_offers_to_assign(
    open_window, lead_db, monkeypatch, tmp_path
) -> None:
    other = tmp_path / "other.db"
    with lead_project(other, uneven_texts(6, seed=5)) as store:
        assign(store, ["dee"], seed=1)
    window = open_window(lead_db)
    shown = window.packets.show_progress()
    settled(window)
    assert shown.table.isHidden() and shown.windowTitle().endswith("lead.db")
    window.open_project(other)
    qtbot_wait(lambda: not shown.table.isHidden())
    assert shown.windowTitle().endswith("other.db") and window_rows(shown) == core_rows(other)
    seen = drive(window, monkeypatch, lambda d: None, press=False)
    shown.findChild(QPushButton, "workProgressAssign").click()
    assert [d.objectName() for d in seen] == ["assignDialog"]
    assert seen[0].analysts.toPlainText() == "dee"  # the last run's analysts, offered again
