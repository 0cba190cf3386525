"""The main window: document list, article, span list, label bar, menus and status bar.

``MainWindow(path)`` opens a project and builds everything without showing a modal dialog
when ``ANNOTATOR_USER`` names the analyst. Every question to the analyst goes through a small
method (``ask_text``, ``choose_files``, ``confirm``, ``show_report``, ``exec_dialog`` ...)
that tests replace.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.gui import settings as prefs
from annotator.gui.article_view import ArticleView
from annotator.gui.dialogs import (
    ExportDialog,
    GuidelinesDialog,
    LabelsDialog,
    ReportDialog,
    ShortcutSheet,
)
from annotator.gui.document_list import DocumentList
from annotator.gui.editing import Editor
from annotator.gui.find_bar import FindBar
from annotator.gui.label_bar import LabelBar
from annotator.gui.span_list import SpanListModel, make_span_table

if TYPE_CHECKING:
    from annotator.model import Label
    from annotator.store import Store

PROJECT_FILTER = "annotator projects (*.db *.sqlite *.annotator);;All files (*)"
IMPORT_FILTER = "Articles and tasks (*.txt *.jsonl *.json);;All files (*)"
LAST_DOCUMENT = "ui.last_document"
# Keys without modifiers that window commands use; a label cannot take them as hotkey.
RESERVED_KEYS = {"n"}
# Keys handled by widgets rather than actions, listed on the shortcut sheet too.
WIDGET_KEYS = [
    ("Move the caret in the article", "Arrow keys, Home, End, PgUp, PgDown"),
    ("Select text in the article", "Shift+arrows, Shift+Ctrl+Left/Right (by word)"),
    ("Select a span", "Click its highlight (click again: the next overlapping span)"),
    ("Next / previous match (find bar)", "Enter / Shift+Enter"),
    ("Close the find bar", "Esc"),
    ("Edit a note in the span list", "F2 or double-click the Note cell"),
]


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some containers
        return "annotator"


class MainWindow(QMainWindow):
    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, defer_open: bool = False
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.store: Store | None = None
        self.current_document: int | None = None
        self.labels: list[Label] = []
        self.label_actions: list[QAction] = []
        self._windows: list[QWidget] = []  # non-modal help windows kept alive
        self._build_panels()
        self.editor = Editor(self)
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._restore_layout()
        self.annotator = self._annotator_name()
        self.annotator_label.setText(f"Annotator: {self.annotator}")
        self.setWindowTitle("annotator")
        if path is not None:
            self.open_project(path)

    # -- building --------------------------------------------------------------------------

    def _build_panels(self) -> None:
        self.documents = DocumentList()
        self.article = ArticleView()
        self.find_bar = FindBar(self.article)
        self.label_bar = LabelBar()
        self.label_bar.tag.connect(lambda name, exact: self.editor.tag(name, exact))
        self.span_model = SpanListModel(self)
        self.span_table = make_span_table(self.span_model)
        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.label_bar)
        column.addWidget(self.find_bar)
        column.addWidget(self.article, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.documents)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.span_table)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 760, 300])
        self.setCentralWidget(self.splitter)
        self.documents.view.selectionModel().currentRowChanged.connect(self._document_chosen)
        self.article.installEventFilter(self)
        self.documents.model.modelReset.connect(self._update_status)

    def _action(
        self,
        text: str,
        keys: str | list[str] | QKeySequence.StandardKey,
        slot: Any,
        *,
        widget: QWidget | None = None,
        checkable: bool = False,
    ) -> QAction:
        """An action with its shortcut(s); ``widget`` limits it to when that widget has focus."""
        action = QAction(text, self)
        if isinstance(keys, QKeySequence.StandardKey):
            action.setShortcuts(keys)
        else:
            action.setShortcuts(
                [QKeySequence(k) for k in ([keys] if isinstance(keys, str) else keys)]
            )
        action.setCheckable(checkable)
        action.triggered.connect(lambda checked=False: slot())
        if widget is None:
            self.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            widget.addAction(action)
        return action

    def _build_actions(self) -> None:
        ed = self.editor
        a = self._action
        self.new_action = a("&New project…", "Ctrl+N", self.new_project)
        self.open_action = a("&Open project…", "Ctrl+O", self.open_project_dialog)
        self.import_files_action = a("&Import files…", "Ctrl+I", self.import_files)
        self.import_folder_action = a("Import &folder…", "Ctrl+Shift+I", self.import_folder)
        self.export_action = a("&Export…", "Ctrl+E", self.export_dialog)
        self.name_action = a("Annotator &name…", "Ctrl+Shift+N", self.change_annotator)
        self.quit_action = a("&Quit", "Ctrl+Q", self.close)

        self.undo_action = ed.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = ed.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.undo_action, self.redo_action])
        self.delete_action = a("&Delete span", ["Delete", "Backspace"], ed.delete_selected)
        self.note_action = a("Write a &note on the span…", "N", ed.edit_note)
        self.start_left_action = a(
            "Move span start left", "Ctrl+Alt+Left", lambda: ed.move_edge("start", False)
        )
        self.start_right_action = a(
            "Move span start right", "Ctrl+Alt+Right", lambda: ed.move_edge("start", True)
        )
        self.end_left_action = a(
            "Move span end left", "Alt+Shift+Left", lambda: ed.move_edge("end", False)
        )
        self.end_right_action = a(
            "Move span end right", "Alt+Shift+Right", lambda: ed.move_edge("end", True)
        )
        self.next_span_action = a(
            "Next overlapping span", "Tab", lambda: ed.cycle(1), widget=self.article
        )
        self.prev_span_action = a(
            "Previous overlapping span", "Shift+Tab", lambda: ed.cycle(-1), widget=self.article
        )
        self.deselect_action = a("Deselect span", "Esc", ed.deselect, widget=self.article)
        self.find_action = a("&Find in article…", "Ctrl+F", self.find_bar.open_bar)
        self.find_next_action = a("Find next", "F3", lambda: self.find_bar.find(backward=False))
        self.find_prev_action = a(
            "Find previous", "Shift+F3", lambda: self.find_bar.find(backward=True)
        )
        self.snap_action = a(
            "&Snap selections to words", "Ctrl+Shift+W", self._snap_toggled, checkable=True
        )
        self.snap_action.setChecked(prefs.flag("view/snap_words", True))
        self.labels_action = a("&Labels…", "Ctrl+L", self.open_labels)

        self.done_action = a(
            "&Done, next document", ["Ctrl+Return", "Ctrl+Enter"], self.done_and_next
        )
        self.skip_action = a("&Skip, next document", "Ctrl+Shift+S", self.skip_and_next)
        self.next_doc_action = a("&Next document", "Ctrl+PgDown", lambda: self.step_document(1))
        self.prev_doc_action = a("&Previous document", "Ctrl+PgUp", lambda: self.step_document(-1))
        self.search_docs_action = a("Search &documents", "Ctrl+Shift+F", self._focus_search)
        self.focus_list_action = a(
            "Go to document &list", "Ctrl+Shift+D", self.documents.view.setFocus
        )
        self.focus_spans_action = a("Go to span lis&t", "Ctrl+Shift+P", self.span_table.setFocus)
        self.focus_article_action = a("Go to &article", "Ctrl+Shift+A", self.article.setFocus)

        self.zoom_in_action = a("Zoom &in", ["Ctrl+=", "Ctrl++"], lambda: self._zoom(1))
        self.zoom_out_action = a("Zoom &out", "Ctrl+-", lambda: self._zoom(-1))
        self.zoom_reset_action = a("&Reset zoom", "Ctrl+0", lambda: self._zoom(0))

        self.guidelines_action = a("Label &guidelines", "F1", self.show_guidelines)
        self.shortcuts_action = a(
            "&Keyboard shortcuts", ["Ctrl+/", "Shift+F1"], self.show_shortcuts
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.new_action, self.open_action])
        self.recent_menu = QMenu("Open &recent", self)
        file.addMenu(self.recent_menu)
        file.addSeparator()
        file.addActions([self.import_files_action, self.import_folder_action, self.export_action])
        file.addSeparator()
        file.addActions([self.name_action, self.quit_action])
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.delete_action, self.note_action])
        edit.addActions(
            [
                self.start_left_action,
                self.start_right_action,
                self.end_left_action,
                self.end_right_action,
            ]
        )
        edit.addActions([self.next_span_action, self.prev_span_action, self.deselect_action])
        edit.addSeparator()
        edit.addActions([self.find_action, self.find_next_action, self.find_prev_action])
        edit.addSeparator()
        edit.addActions([self.snap_action, self.labels_action])
        self.tag_menu = bar.addMenu("&Tag")
        doc = bar.addMenu("&Document")
        doc.addActions(
            [self.done_action, self.skip_action, self.next_doc_action, self.prev_doc_action]
        )
        doc.addSeparator()
        doc.addActions(
            [
                self.search_docs_action,
                self.focus_list_action,
                self.focus_spans_action,
                self.focus_article_action,
            ]
        )
        view = bar.addMenu("&View")
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.guidelines_action, self.shortcuts_action])
        self._rebuild_recent()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.position_label = QLabel()
        self.position_label.setObjectName("documentPosition")
        self.progress_label = QLabel()
        self.progress_label.setObjectName("projectProgress")
        self.annotator_label = QLabel()
        self.annotator_label.setObjectName("annotatorName")
        self.saved_label = QLabel("No changes yet")
        self.saved_label.setObjectName("savedState")
        for w in (self.position_label, self.progress_label, self.annotator_label, self.saved_label):
            bar.addPermanentWidget(w)

    # -- layout memory ---------------------------------------------------------------------

    def _restore_layout(self) -> None:
        s = prefs.settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1320, 820)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        zoom = float(s.value("view/zoom", 0) or 0)
        if zoom:
            self.article.zoom(int(zoom))

    def save_layout(self) -> None:
        s = prefs.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("view/zoom", self.article.zoom_level())
        s.setValue("view/snap_words", self.snap_action.isChecked())

    def _snap_toggled(self) -> None:
        prefs.settings().setValue("view/snap_words", self.snap_action.isChecked())

    def _zoom(self, steps: int) -> None:
        self.article.zoom(steps)
        prefs.settings().setValue("view/zoom", self.article.zoom_level())

    # -- the analyst's name ----------------------------------------------------------------

    def _annotator_name(self) -> str:
        """ANNOTATOR_USER, else the remembered name, else asked once (default: login name)."""
        env = os.environ.get("ANNOTATOR_USER", "").strip()
        if env:
            return env
        s = prefs.settings()
        name = str(s.value("user/name", "") or "").strip()
        if not name:
            default = login_name()
            name = (
                self.ask_text("Your name", "Your name, recorded on every span you make:", default)
                or ""
            ).strip()
            name = name or default
            s.setValue("user/name", name)
        return name

    def change_annotator(self) -> None:
        name = (
            self.ask_text(
                "Annotator name", "Your name, recorded on every span you make:", self.annotator
            )
            or ""
        ).strip()
        if not name:
            return
        prefs.settings().setValue("user/name", name)
        self.annotator = name
        if self.store is not None:
            self.store.annotator = name
        self.annotator_label.setText(f"Annotator: {name}")

    # -- projects --------------------------------------------------------------------------

    def open_project(self, path: str | os.PathLike[str], *, report_errors: bool = False) -> bool:
        """Open (or create) a project and resume where the analyst left off."""
        from annotator.store import ProjectError, Store

        try:
            store = Store(path, self.annotator)
        except ProjectError as e:
            if not report_errors:
                raise
            self.show_error(str(e))
            return False
        self.close_project()
        self.store = store
        self.editor.undo_stack.clear()
        self.setWindowTitle(f"{Path(path).name} — annotator")
        self._rebuild_recent(prefs.remember_project(str(Path(path).resolve())))
        self.reload_labels()
        self.documents.set_store(store)
        self._resume()
        return True

    def close_project(self) -> None:
        if self.store is None:
            return
        self.remember_position()
        self.editor.undo_stack.clear()
        self.store.close()
        self.store = None
        self.current_document = None
        self.article.clear_document()
        self.span_model.reset([])
        self.documents.set_store(None)

    def _resume(self) -> None:
        assert self.store is not None
        last = self.store.get_setting(LAST_DOCUMENT) or {}
        doc = last.get("document") if isinstance(last, dict) else None
        if doc is not None and self._exists(doc):
            self.open_document(doc, remember=False)
            caret, top = int(last.get("caret", 0)), int(last.get("scroll", 0))
            self.article.select_cp(caret, caret)
            QTimer.singleShot(0, lambda: self.article.scroll_to_cp(top))
            return
        first = self.store.next_open_document(None)
        if first is None and self.documents.model.rows:
            first = self.documents.model.rows[0].id
        if first is not None:
            self.open_document(first, remember=False)
        else:
            self._update_status()

    def _exists(self, document_id: int) -> bool:
        assert self.store is not None
        try:
            self.store.document_row(document_id)
        except KeyError:
            return False
        return True

    def remember_position(self) -> None:
        """Where to resume: saved on document switch and on close, not on every scroll."""
        if self.store is None or self.current_document is None:
            return
        position = {
            "document": self.current_document,
            "caret": self.article.caret_cp(),
            "scroll": self.article.first_visible_cp(),
        }
        try:
            self.store.set_setting(LAST_DOCUMENT, position)
        except Exception as e:  # noqa: BLE001 (a full disk must not stop a document switch)
            self.statusBar().showMessage(f"Could not remember the position: {e}", 5000)

    def new_project(self) -> None:
        path = self.choose_project("New project", save=True)
        if path:
            self.open_project(path, report_errors=True)

    def open_project_dialog(self) -> None:
        path = self.choose_project("Open project", save=False)
        if path:
            self.open_project(path, report_errors=True)

    def _rebuild_recent(self, recent: list[str] | None = None) -> None:
        self.recent_menu.clear()
        for n, path in enumerate(
            recent if recent is not None else prefs.recent_projects(), start=1
        ):
            action = self.recent_menu.addAction(path)
            if n <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+Alt+{n}"))
            action.triggered.connect(
                lambda _=False, p=path: self.open_project(p, report_errors=True)
            )
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    # -- labels ----------------------------------------------------------------------------

    def reload_labels(self) -> None:
        """Label buttons, tag actions and colours from the store."""
        assert self.store is not None
        self.labels = self.store.labels()
        for action in self.label_actions:
            self.removeAction(action)
            action.deleteLater()
        self.label_actions = []
        self.tag_menu.clear()
        taken = {k.casefold() for k in RESERVED_KEYS}
        keys: dict[str, str] = {}
        clashes = []
        for lab in self.labels:
            key = lab.hotkey if lab.hotkey and lab.hotkey.casefold() not in taken else None
            if lab.hotkey and key is None:
                clashes.append(lab.name)
            if key:
                keys[lab.name] = key
            tag = self._action(
                f"Tag as {lab.name}", [key] if key else [], lambda n=lab.name: self.editor.tag(n)
            )
            exact = self._action(
                f"Tag as {lab.name}, exact characters",
                [f"Alt+{key}"] if key else [],
                lambda n=lab.name: self.editor.tag(n, exact=True),
            )
            self.label_actions += [tag, exact]
            self.tag_menu.addActions([tag, exact])
        self.label_bar.set_labels(self.labels, keys)
        colours = {lab.name: lab.color for lab in self.labels}
        self.article.set_label_colours(colours)
        self.span_model.set_colours(colours)
        if clashes:
            self.statusBar().showMessage(
                f"Hotkeys of {', '.join(clashes)} clash with window commands; use their buttons.",
                8000,
            )

    def open_labels(self) -> None:
        if self.store is None:
            return
        dialog = LabelsDialog(
            self.store,
            reserved_keys=RESERVED_KEYS,
            confirm=self.confirm,
            changed=self._labels_changed,
            parent=self,
        )
        self.exec_dialog(dialog)

    def _labels_changed(self) -> None:
        """Renamed or deleted labels invalidate old undo steps; show the new state."""
        self.editor.undo_stack.clear()
        self.reload_labels()
        self.documents.reload()
        if self.current_document is not None:
            self.open_document(self.current_document, remember=False)
        self.mark_saved_now()

    # -- documents -------------------------------------------------------------------------

    def open_document(self, document_id: int, *, remember: bool = True) -> None:
        assert self.store is not None
        if remember and self.current_document not in (None, document_id):
            self.remember_position()
        text = self.store.document_text(document_id)
        spans = self.store.spans(document_id)
        self.current_document = document_id
        self.editor.selected = None
        self.article.load(text, spans)
        self.span_model.reset(spans)
        self.documents.show_current(document_id)
        self._update_status()

    def _document_chosen(self, current: Any, _previous: Any) -> None:
        doc = self.documents.document_at(current.row()) if current.isValid() else None
        if doc is not None and doc != self.current_document:
            self.open_document(doc)

    def step_document(self, step: int) -> None:
        """Next or previous in the list as filtered; the project order when not in it."""
        if self.store is None or self.current_document is None:
            return
        row = self.documents.model.row_of(self.current_document)
        if row is not None:
            target = self.documents.document_at(row + step)
        else:
            target = self.store.neighbour_document(self.current_document, step)
        if target is None:
            self.statusBar().showMessage("No more documents that way.", 4000)
            return
        self.open_document(target)

    def done_and_next(self) -> None:
        self._finish("done")

    def skip_and_next(self) -> None:
        self._finish("skipped")

    def _finish(self, status: str) -> None:
        if self.store is None or self.current_document is None:
            return
        doc = self.current_document
        if not self.editor.set_status(doc, status):
            return
        target = self.store.next_open_document(doc)
        if target is None:
            self.statusBar().showMessage("Every document is done or skipped.", 8000)
            return
        self.open_document(target)

    def document_changed(self, document_id: int) -> None:
        """A document's span count or status changed: its row and the counters follow."""
        self.documents.refresh(document_id)
        self._update_status()

    def _focus_search(self) -> None:
        self.documents.search.setFocus()
        self.documents.search.selectAll()

    # -- status bar --------------------------------------------------------------------------

    def _update_status(self) -> None:
        if self.store is None:
            for w in (self.position_label, self.progress_label):
                w.clear()
            return
        shown = self.documents.model.rowCount()
        row = self.documents.model.row_of(self.current_document) if self.current_document else None
        if row is not None:
            self.position_label.setText(f"Document {row + 1} of {shown}")
        elif self.current_document is not None:
            self.position_label.setText(f"Document #{self.current_document} (not in the list)")
        else:
            self.position_label.setText("No document")
        done, total = self.store.count_documents("done"), self.store.count_documents()
        self.progress_label.setText(f"Done {done}/{total}")

    def mark_saved(self, at: str) -> None:
        self.saved_label.setText(f"Saved {at}")

    def mark_saved_now(self) -> None:
        from PySide6.QtCore import QTime

        self.mark_saved(QTime.currentTime().toString("HH:mm:ss"))

    # -- import and export -------------------------------------------------------------------

    def import_files(self) -> None:
        paths = self.choose_files("Import articles or tasks", IMPORT_FILTER)
        if paths:
            self.import_paths(paths)

    def import_folder(self) -> None:
        folder = self.choose_folder("Import every article and task file in a folder")
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str]) -> Any:
        """Import with a progress dialog; each file is all-or-nothing (the core's promise)."""
        if self.store is None:
            self.show_error("Open or create a project first.")
            return None
        from annotator.importers import import_paths
        from annotator.store import ProjectError

        progress = QProgressDialog("Importing…", "", 0, 1000, self)
        progress.setObjectName("importProgress")
        progress.setCancelButton(None)  # a file is one transaction; stopping midway buys nothing
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)

        def step(done: int, total: int) -> None:
            progress.setValue(int(1000 * done / total) if total else 1000)

        try:
            report = import_paths(self.store, paths, progress=step)
        except (ProjectError, OSError) as e:
            self.show_error(f"The import stopped: {e}")
            return None
        finally:
            progress.reset()
            progress.deleteLater()
        self.documents.reload()
        if report.labels_created:
            self.reload_labels()
        if self.current_document is None:
            self._resume()
        self._update_status()
        self.mark_saved_now()
        refused = [str(r) for r in report.refused]
        self.show_report(
            "Import refused some records" if refused else "Import", report.summary(), refused
        )
        return report

    def export_dialog(self) -> Any:
        if self.store is None:
            self.show_error("Open a project first.")
            return None
        from annotator.exporters import FORMATS, ExportError, export

        dialog = ExportDialog(self.store, FORMATS, self)
        dialog.choose_destination = lambda current: self.choose_save_file("Export to", current)
        if not self.exec_dialog(dialog):
            return None
        options = dialog.options()
        try:
            Path(options["exports_dir"]).mkdir(parents=True, exist_ok=True)
            report = export(self.store, options.pop("fmt"), options.pop("destination"), **options)
        except (ExportError, OSError) as e:
            self.show_error(f"Nothing was exported: {e}")
            return None
        self.show_message(
            "Export",
            f"Wrote {report.documents} documents and {report.spans} spans "
            f"({report.format} format) to\n{report.path}",
        )
        return report

    # -- help ------------------------------------------------------------------------------

    def all_actions(self) -> list[QAction]:
        """Every action of the window in menu order: the shortcut sheet is built from these."""
        seen: list[QAction] = []

        def walk(menu: QMenu) -> None:
            for action in menu.actions():
                if action.menu() is not None:
                    walk(action.menu())
                elif not action.isSeparator() and action not in seen:
                    seen.append(action)

        for top in self.menuBar().actions():
            if top.menu() is not None:
                walk(top.menu())
        seen += [x for x in self.actions() + self.article.actions() if x not in seen]
        return seen

    def show_guidelines(self) -> None:
        self._show_window(GuidelinesDialog(self.labels, self))

    def show_shortcuts(self) -> None:
        self._show_window(ShortcutSheet(self.all_actions(), WIDGET_KEYS, self))

    def _show_window(self, dialog: QDialog) -> None:
        self._windows = [w for w in self._windows if w.isVisible()]
        self._windows.append(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    # -- questions to the analyst: one place each, replaced in tests -------------------------

    def exec_dialog(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_text(self, title: str, label: str, default: str = "") -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=default)
        return text if ok else None

    def choose_files(self, title: str, filters: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self, title, str(Path.cwd()), filters)
        return paths

    def choose_folder(self, title: str) -> str | None:
        return QFileDialog.getExistingDirectory(self, title, str(Path.cwd())) or None

    def choose_project(self, title: str, *, save: bool) -> str | None:
        ask = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        path, _ = ask(self, title, str(Path.cwd()), PROJECT_FILTER)
        return path or None

    def choose_save_file(self, title: str, current: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, current, "JSON Lines (*.jsonl)")
        return path or None

    def confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def show_report(self, title: str, summary: str, details: list[str]) -> None:
        self.exec_dialog(ReportDialog(title, summary, details, self))

    def show_message(self, title: str, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.exec_dialog(box)

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "annotator", text)

    # -- keys the shortcut system did not take ---------------------------------------------

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802
        """Run the action a key in the article belongs to when Qt's shortcut map did not.

        Qt matches shortcuts only for the active window. When the window is not active (a
        second screen grabbed focus, or a test drives a window it never activated), the key
        reaches the article instead; this finds the action it stands for. When the shortcut
        map did fire, the key never arrives here, so nothing runs twice.
        """
        if watched is self.article and event.type() == QEvent.Type.KeyPress:
            action = self.action_for_key(QKeySequence(event.keyCombination()))
            if action is not None:
                action.trigger()
                return True
        return super().eventFilter(watched, event)

    def action_for_key(self, keys: QKeySequence) -> QAction | None:
        for action in self.all_actions():
            if action.isEnabled() and any(
                s.matches(keys) == QKeySequence.SequenceMatch.ExactMatch for s in action.shortcuts()
            ):
                return action
        return None

    # -- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        self.close_project()
        super().closeEvent(event)
