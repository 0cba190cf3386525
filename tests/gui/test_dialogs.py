"""Import, export, labels and help through the window, with every dialog replaced or driven."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from annotator.store.project import Store

from .helpers import HARD_TEXT, select_cp


@pytest.fixture
def reports(window, monkeypatch):
    seen: list[tuple[str, str, list[str]]] = []
    monkeypatch.setattr(
        window,
        "show_report",
        lambda title, summary, details, offer=None: seen.append((title, summary, details)),
    )
    return seen


def test_import_files_adds_documents_and_reports(window, reports, tmp_path, monkeypatch) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("A new article about 🚀 launches.\n", encoding="utf-8")
    b.write_text("Another article.\n", encoding="utf-8")
    monkeypatch.setattr(window, "choose_files", lambda title, filters: [str(a), str(b)])
    QTest.keyClick(window.article, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.store.documents.count() == 5
    assert window.documents.model.rowCount() == 5
    (title, summary, details) = reports[0]
    assert "2 documents added" in summary and details == []


def test_import_scraped_text_cleaned_leaves_page_debris_out(
    window, reports, tmp_path, monkeypatch
) -> None:
    scraped = tmp_path / "scraped.txt"
    scraped.write_text(
        "Photo: Ana Ruiz\n\nQuay reopens\n\nShare this article\n\nThe quay reopened.\n",
        encoding="utf-8",
    )
    asked = []

    def choose(title, filters):
        asked.append(filters)
        return [str(scraped)]

    monkeypatch.setattr(window, "choose_files", choose)
    window.action("import.clean").trigger()
    assert asked and "*.txt" in asked[0]
    with Store(window.store.path) as other:
        row = other.documents.rows()[-1]
        assert (
            other.documents.text(row.id)
            == "Photo: Ana Ruiz\n\nQuay reopens\n\nThe quay reopened.\n"
        )
        assert row.title == "Quay reopens"
    (title, summary, details) = reports[0]
    assert "1 line of page debris left out" in summary


def test_import_folder_with_a_refused_file_lists_refusals_and_keeps_nothing_of_it(
    window, reports, tmp_path, monkeypatch
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "good.txt").write_text("A good article.\n", encoding="utf-8")
    lines = [json.dumps({"text": "First task."}), "{not json", json.dumps({"text": "Third task."})]
    (folder / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(window, "choose_folder", lambda title: str(folder))
    window.action("import.folder").trigger()
    with Store(window.store.path) as other:
        texts = {other.documents.text(r.id) for r in other.documents.rows()}
    assert "A good article." in {t.strip() for t in texts}
    assert not any("task" in t for t in texts)  # the refused file left nothing
    title, summary, details = reports[0]
    assert "refused" in title.lower()
    assert len(details) == 1 and details[0].startswith(str(folder / "bad.jsonl") + ":2:")


def test_report_dialog_text_is_selectable(window) -> None:
    from annotator.gui.dialogs.questions import ReportDialog

    dialog = ReportDialog("Import", "1 record refused.", ["f.jsonl:2: not valid JSON"], window)
    assert dialog.details.isReadOnly()
    assert dialog.details.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert dialog.details.toPlainText() == "f.jsonl:2: not valid JSON"


def tick_statuses(dialog, wanted: set[str] | None) -> None:
    """Tick the statuses in ``wanted`` (None: every one) and untick the others."""
    for i in range(dialog.statuses.count()):
        item = dialog.statuses.item(i)
        on = wanted is None or item.data(Qt.ItemDataRole.UserRole) in wanted
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def ticked_statuses(dialog) -> set[str]:
    return {
        dialog.statuses.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(dialog.statuses.count())
        if dialog.statuses.item(i).checkState() == Qt.CheckState.Checked
    }


def test_export_dialog_ticks_done_for_other_tools_and_every_status_for_the_backup(
    window, tmp_path, monkeypatch
) -> None:
    start = HARD_TEXT.index("rocket")
    select_cp(window, start, start + 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)  # tagged, in progress: not done
    messages: list[str] = []
    every = {"new", "in_progress", "done", "skipped"}

    def drive(dialog) -> bool:
        assert ticked_statuses(dialog) == every  # annotator's own: the backup
        dialog.format.setCurrentText("prodigy")
        assert ticked_statuses(dialog) == {"done"}
        dialog.curated.setChecked(True)  # a settled document has been reviewed
        assert ticked_statuses(dialog) == every
        dialog.curated.setChecked(False)
        dialog.format.setCurrentText("annotator")
        assert ticked_statuses(dialog) == every
        dialog.format.setCurrentText("doccano")
        assert ticked_statuses(dialog) == {"done"}
        dialog.destination.setText(str(tmp_path / "out.jsonl"))
        return True

    monkeypatch.setattr(window, "exec_dialog", drive)
    monkeypatch.setattr(window, "show_message", lambda title, text: messages.append(text))
    report = window.export_dialog()
    assert report.documents == 0 and report.left_out == 3
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == ""
    assert "3 documents not done left out: tick their statuses" in messages[0]


def test_export_dialog_keeps_the_statuses_the_analyst_ticked(window, monkeypatch) -> None:
    def drive(dialog) -> bool:
        dialog.format.setCurrentText("prodigy")
        tick_statuses(dialog, {"done", "skipped"})
        dialog.format.setCurrentText("csv")  # another format keeps the analyst's choice
        assert ticked_statuses(dialog) == {"done", "skipped"}
        assert dialog.options()["statuses"] == ["done", "skipped"]
        return False

    monkeypatch.setattr(window, "exec_dialog", drive)
    assert window.export_dialog() is None


def test_export_dialog_writes_the_chosen_format_and_says_where(
    window, tmp_path, monkeypatch
) -> None:
    start = HARD_TEXT.index("rocket")
    select_cp(window, start, start + 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    target = tmp_path / "out"
    messages = []

    def drive(dialog) -> bool:
        assert dialog.objectName() == "exportDialog"
        assert dialog.destination.text().endswith("exports")
        dialog.format.setCurrentText("prodigy")
        dialog.destination.setText(str(target))
        tick_statuses(dialog, {"in_progress"})  # only documents in progress
        return True

    monkeypatch.setattr(window, "exec_dialog", drive)
    monkeypatch.setattr(window, "show_message", lambda title, text: messages.append(text))
    QTest.keyClick(window.article, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    (written,) = list(target.glob("*.jsonl"))
    records = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1
    assert records[0]["spans"] == [
        {"start": start, "end": start + 6, "label": "claim", "text": "rocket"}
    ]
    assert str(written) in messages[0]


def test_export_to_a_file_name_from_browse(window, tmp_path, monkeypatch) -> None:
    target = tmp_path / "mine.jsonl"
    monkeypatch.setattr(window, "choose_save_file", lambda title, current, filters: str(target))

    def drive(dialog) -> bool:
        dialog.findChild(QPushButton, "exportBrowse").click()
        return True

    monkeypatch.setattr(window, "exec_dialog", drive)
    monkeypatch.setattr(window, "show_message", lambda title, text: None)
    report = window.export_dialog()
    assert report.path == target and report.documents == 3
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3


def test_export_error_is_shown_not_raised(window, tmp_path, monkeypatch) -> None:
    errors = []
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setattr(
        window,
        "exec_dialog",
        lambda dialog: dialog.destination.setText(str(blocker / "sub")) or True,
    )
    monkeypatch.setattr(window, "show_error", errors.append)
    assert window.export_dialog() is None
    assert errors and errors[0].startswith("Nothing was exported")


def drive_labels(window, monkeypatch, steps) -> None:
    def drive(dialog) -> bool:
        steps(dialog)
        return True

    monkeypatch.setattr(window, "exec_dialog", drive)
    QTest.keyClick(window.article, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def test_labels_dialog_renames_recolours_and_rekeys(window, monkeypatch) -> None:
    def steps(dialog) -> None:
        dialog.list.setCurrentRow(0)
        dialog.name.setText("fact")
        dialog.ask_colour = lambda current: "#112233"
        dialog.colour.click()
        dialog.hotkey.setText("f")
        dialog.definition.setPlainText("A checkable assertion.")
        assert dialog.save_selected()

    drive_labels(window, monkeypatch, steps)
    label = window.store.labels.get("fact")
    assert (label.color, label.hotkey, label.definition) == (
        "#112233",
        "f",
        "A checkable assertion.",
    )
    assert window.findChild(QPushButton, "label:fact") is not None
    start = HARD_TEXT.index("rocket")
    select_cp(window, start, start + 6)
    QTest.keyClick(window.article, Qt.Key.Key_F)
    assert [s.label for s in window.store.spans.in_document(window.current_document)] == ["fact"]


def test_labels_dialog_refuses_a_hotkey_a_command_uses(window, monkeypatch) -> None:
    def steps(dialog) -> None:
        dialog.list.setCurrentRow(1)
        dialog.hotkey.setText("N")
        assert not dialog.save_selected()
        assert "taken" in dialog.error.text()

    drive_labels(window, monkeypatch, steps)
    assert window.store.labels.get("quote").hotkey == "2"


def test_deleting_a_label_in_use_asks_with_the_span_count(window, monkeypatch) -> None:
    for word in ("rocket", "dawn"):
        start = HARD_TEXT.index(word)
        select_cp(window, start, start + len(word))
        QTest.keyClick(window.article, Qt.Key.Key_2)
    questions = []
    answers = iter([False, True])
    monkeypatch.setattr(
        window, "confirm", lambda title, question: questions.append(question) or next(answers)
    )

    def steps(dialog) -> None:
        dialog.list.setCurrentRow(1)  # quote
        assert not dialog.delete_selected()
        assert dialog.delete_selected()

    drive_labels(window, monkeypatch, steps)
    assert "2 spans" in questions[0]
    assert [lab.name for lab in window.store.labels.all()] == [
        "claim",
        "caption",
        "concession",
        "speaker",
    ]
    assert window.store.spans.in_document(window.current_document) == []
    assert window.span_model.rowCount() == 0 and not window.article.highlighter.index.placed
    assert window.findChild(QPushButton, "label:quote") is None


def test_adding_a_label_makes_a_button(window, monkeypatch) -> None:
    drive_labels(window, monkeypatch, lambda dialog: dialog.add_label())
    assert window.findChild(QPushButton, "label:new label") is not None


def test_shortcut_sheet_lists_every_action_shortcut(window) -> None:
    window.action("help.shortcuts").trigger()
    sheet = next(w for w in window.side_windows if w.objectName() == "shortcutSheet")
    rows = {
        sheet.table.item(r, 0).text(): sheet.table.item(r, 1).text()
        for r in range(sheet.table.rowCount())
    }
    for action in window.all_actions():
        if action.shortcuts():
            assert action.text().replace("&", "") in rows
    assert rows["Tag as claim"] == "1"
    assert rows["Tag as claim, exact characters"] == QKeySequence("Alt+1").toString(
        QKeySequence.SequenceFormat.NativeText
    )
    assert "Ctrl+Y" in rows["Redo"]


def test_every_menu_action_has_a_shortcut(window) -> None:
    # a recent project is chosen by its digit in the open menu (Ctrl+Alt+digit is AltGr typing)
    recent = set(window.recent_menu.actions())
    missing = [a.text() for a in window.all_actions() if not a.shortcuts() and a not in recent]
    assert missing == []
    for n, action in enumerate(window.recent_menu.actions(), 1):
        assert action.text().startswith(f"&{n} ")


def test_guidelines_show_label_definitions_as_text(window) -> None:
    window.store.labels.update("claim", definition="Use <b> carefully & check.")
    window.reload_labels()
    window.action("help.guidelines").trigger()
    dialog = next(w for w in window.side_windows if w.objectName() == "guidelinesDialog")
    assert "Use <b> carefully & check." in dialog.browser.toPlainText()


def test_first_run_asks_the_name_once_and_remembers_it(project, monkeypatch, qtbot) -> None:
    from annotator.gui.main_window import MainWindow

    monkeypatch.delenv("ANNOTATOR_USER")
    window = MainWindow(project)
    qtbot.addWidget(window)
    assert not window.name_bar.isHidden() and window.name_bar.field.text()  # offered
    window.name_bar.field.setText("Ana")
    QTest.keyClick(window.name_bar.field, Qt.Key.Key_Return)
    assert window.store.annotator == "Ana"
    window.close()
    again = MainWindow(project)
    qtbot.addWidget(again)
    assert again.store.annotator == "Ana" and again.name_bar.isHidden()


def test_new_and_recent_projects(window, tmp_path, monkeypatch) -> None:
    fresh = tmp_path / "fresh.db"
    monkeypatch.setattr(window, "choose_project", lambda title, save: str(fresh))
    QTest.keyClick(window.article, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.store.path == fresh and window.store.documents.count() == 0
    recent = [a.data() for a in window.recent_menu.actions()]
    assert recent[0] == str(fresh.resolve()) and len(recent) == 2
    assert window.recent_menu.actions()[0].text() == f"&1 {fresh.resolve()}"
    window.recent_menu.actions()[1].trigger()
    assert window.store.documents.count() == 3


def test_unopenable_project_is_reported(window, tmp_path, monkeypatch) -> None:
    bad = tmp_path / "not-a-project.db"
    bad.write_text("hello")
    errors = []
    monkeypatch.setattr(window, "show_error", errors.append)
    assert not window.open_project(bad, report_errors=True)
    assert "not an annotator project" in errors[0]
    assert window.store is not None and window.store.documents.count() == 3  # still open


def test_import_offers_every_suffix_the_importer_reads(window, monkeypatch) -> None:
    from annotator.formats.suffixes import KNOWN_SUFFIXES

    offered = []
    monkeypatch.setattr(
        window, "choose_files", lambda title, filters: offered.append(filters) or []
    )
    window.action("import.files").trigger()
    for suffix in KNOWN_SUFFIXES | {".md", ".html"}:
        assert f"*{suffix}" in offered[0].split(";;")[0]


def test_a_refused_file_is_imported_again_without_its_bad_records_on_request(
    window, tmp_path, monkeypatch
) -> None:
    lines = [json.dumps({"text": "First task."}), "{not json", json.dumps({"text": "Third task."})]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen = []

    def report(title, summary, details, *, offer=None) -> bool:
        seen.append((summary, offer))
        return offer is not None

    monkeypatch.setattr(window, "show_report", report)
    window.import_paths([str(bad)])
    (first, offer), (second, again) = seen
    assert offer == "Import the good records" and "--skip-invalid" not in first
    assert again is None and "2 documents added" in second
    assert window.store.documents.count() == 5
    assert window.documents.model.rowCount() == 5
    assert window.progress_label.text() == "Done 0/5"


def test_the_report_dialog_offers_its_button(window) -> None:
    from annotator.gui.dialogs.questions import ReportDialog

    dialog = ReportDialog(
        "Import", "refused", ["f:2: bad"], window, offer="Import the good records"
    )
    assert dialog.offer.text() == "Import the good records"
    dialog.offer.click()
    assert dialog.offer_taken and dialog.result() == dialog.DialogCode.Accepted


def test_export_dialog_offers_the_cli_options(window, tmp_path, monkeypatch) -> None:
    target = tmp_path / "out.jsonl"
    start = HARD_TEXT.index("🚀")
    select_cp(window, start, start + 1)
    QTest.keyClick(window.article, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    texts = []

    def drive(dialog) -> bool:
        assert not dialog.offsets.isEnabled()  # the native format counts code points only
        dialog.format.setCurrentText("doccano")
        tick_statuses(dialog, None)
        assert dialog.offsets.isEnabled()
        dialog.offsets.setCurrentIndex(dialog.offsets.findData("utf16"))
        dialog.only_with_spans.setChecked(True)
        dialog.destination.setText(str(target))
        return True

    monkeypatch.setattr(window, "exec_dialog", drive)
    monkeypatch.setattr(window, "show_message", lambda title, text: texts.append(text))
    window.export_dialog()
    (record,) = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    utf16 = len(HARD_TEXT[:start].encode("utf-16-le")) // 2
    assert record["label"] == [[utf16, utf16 + 2, "claim"]]  # 🚀 is two UTF-16 units
    assert texts[0].startswith("Wrote 1 document and 1 span ")


def test_a_folder_format_exports_into_a_new_folder_named_or_made_inside(
    window, tmp_path, monkeypatch
) -> None:
    start = HARD_TEXT.index("rocket")
    select_cp(window, start, start + 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    messages: list[str] = []
    destination = {"path": tmp_path / "corpus"}

    def drive(dialog) -> bool:
        dialog.format.setCurrentText("brat")
        tick_statuses(dialog, None)
        assert dialog.file_filter() is None and not dialog.spans_key.isEnabled()
        dialog.destination.setText(str(destination["path"]))
        return True

    monkeypatch.setattr(window, "exec_dialog", drive)
    monkeypatch.setattr(window, "show_message", lambda title, text: messages.append(text))
    report = window.export_dialog()
    assert report.path == tmp_path / "corpus"
    assert (tmp_path / "corpus" / "annotation.conf").is_file()
    anns = sorted((tmp_path / "corpus").glob("*.ann"))
    assert len(anns) == 3 and any("\tclaim " in a.read_text(encoding="utf-8") for a in anns)
    # an existing folder gets a new folder inside, named after the project, format and time
    destination["path"] = tmp_path
    second = window.export_dialog()
    assert second.path.parent == tmp_path and second.path.name.startswith("project-brat-")
    assert str(second.path) in messages[-1]


def test_the_spacy_options_reach_the_export_and_its_counts_are_said(
    window, tmp_path, monkeypatch
) -> None:
    start = HARD_TEXT.index("rocket")
    select_cp(window, start + 1, start + 4)  # inside a word: off token boundaries
    QTest.keyClick(window.article, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    messages: list[str] = []

    def drive(dialog) -> bool:
        dialog.format.setCurrentText("spacy")
        tick_statuses(dialog, None)
        assert dialog.spans_key.isEnabled() and dialog.align.isEnabled()
        dialog.spans_key.setText("news")
        dialog.align.setCurrentIndex(dialog.align.findData("expand"))
        dialog.destination.setText(str(tmp_path / "out.spacy"))
        return True

    monkeypatch.setattr(window, "exec_dialog", drive)
    monkeypatch.setattr(window, "show_message", lambda title, text: messages.append(text))
    report = window.export_dialog()
    assert report.details["snapped"] == 1 and "1 snapped" in messages[0]
    import spacy
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(spacy.blank("en").vocab))
    [span] = [s for d in docs for s in d.spans.get("news", [])]
    assert (span.text, span.label_) == ("rocket", "claim")


def test_a_web_page_imports_as_an_article_with_its_captions_or_raw_as_its_characters(
    window, reports, monkeypatch
) -> None:
    from pathlib import Path

    page = Path(__file__).parent.parent / "fixtures" / "webpages" / "harrowfield-reservoir.html"
    monkeypatch.setattr(window, "choose_files", lambda title, filters: [str(page)])
    QTest.keyClick(window.article, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert "proposed as caption suggestions" in reports[-1][1]
    article = window.store.documents.get(window.store.documents.ids()[-1])
    assert "<" not in article.text and article.meta["captions"]
    # File → Import web pages as raw text: the same page, markup and all (a text of its own)
    filters: list[str] = []
    monkeypatch.setattr(window, "choose_files", lambda title, f: filters.append(f) or [str(page)])
    QTest.keyClick(
        window.article,
        Qt.Key.Key_H,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert "*.html" in filters[0]
    raw = window.store.documents.get(window.store.documents.ids()[-1])
    assert raw.text == page.read_text(encoding="utf-8") and "captions" not in raw.meta
    assert "1 document added" in reports[-1][1]
