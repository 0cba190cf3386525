"""The main window: document list, article, span list, label bar, menus and status bar.

``MainWindow(path)`` opens a project and builds everything without showing a modal dialog
when ``ANNOTATOR_USER`` names the analyst. Every question to the analyst goes through a small
method here (``ask_text``, ``choose_files``, ``confirm``, ``show_report``, ``exec_dialog`` ...)
that tests replace on the window.

The window assembles the panels and moves between documents; the rest lives beside it:
``actions`` (every command, its keys and menus), ``project_flows`` (open, resume, import,
export, labels, help), ``editing`` (tagging and correcting, with undo) and ``status_bar``.
"""

from __future__ import annotations

import gc
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.changes import Changes, apply_to_labels, compare_labels, compare_spans
from annotator.gui import settings as prefs
from annotator.gui.article.find_bar import FindBar
from annotator.gui.article.view import ArticleView
from annotator.gui.commands.labels import LabelEditor
from annotator.gui.commands.relation_types import RelationTypeEditor
from annotator.gui.controllers import actions
from annotator.gui.controllers.editing import Editor
from annotator.gui.controllers.moving_on import MovingOn
from annotator.gui.controllers.project_flows import PROJECT_FILTER, ProjectFlows
from annotator.gui.controllers.relating import Relating
from annotator.gui.controllers.relation_panel import RelationPanel
from annotator.gui.controllers.review import Review
from annotator.gui.controllers.suggestions import Suggestions, annotation_count
from annotator.gui.dialogs.questions import ReportDialog, question_box
from annotator.gui.dialogs.side_windows import SideWindows
from annotator.gui.panels.document_list import DocumentList
from annotator.gui.panels.label_bar import LabelBar
from annotator.gui.panels.span_list import (
    SpanListModel,
    fit_label_column,
    make_span_table,
    show_row,
)
from annotator.gui.panels.status_bar import StatusFields
from annotator.session.document_model import DocumentModel, Selection
from annotator.session.layers import EVERYONE, Layer
from annotator.session.project_model import ProjectModel

if TYPE_CHECKING:
    from annotator.model import Label
    from annotator.store.project import Store


def _labels_named(changes: Changes) -> set[str]:
    """Every name the changed labels had or have: the highlights to paint again."""
    names = {c.before.name for c in changes.labels.values() if c.before is not None}
    return names | {c.after.name for c in changes.labels.values() if c.after is not None}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a document's spans are read and placed.

    A long article brings tens of thousands of objects that live as long as it is open; the
    collector would otherwise scan them again and again while they are made (a full pass of
    10–25 ms, now and then, in the middle of opening). They hold no cycles: reference
    counting frees them when the next document replaces them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_PANEL_SIZES = (340, 640, 340)  # document list, article, span list
_ARTICLE_MIN_WIDTH = 320
_MIN_RESTORED = (700, 450)
_DEFAULT_SIZE = (1320, 820)  # a desktop's window manager fits it to a smaller screen


class MainWindow(QMainWindow):
    """One project in one window. Its actions are made from the table ``actions.ACTIONS``
    (``window.action("undo")``, or ``window.action("undo")``); opening, importing, exporting,
    labels and help are :class:`ProjectFlows`, reached through the methods of the same names
    here."""

    # Made in __init__ and _build_panels; named here so that the actions table (which reaches
    # them through the window) is checked against their types.
    editor: Editor
    relating: Relating
    find_bar: FindBar
    documents: DocumentList
    span_table: QTableView
    article: ArticleView
    review: Review
    tag_menu: QMenu
    recent_menu: QMenu

    def _lay_out_rows_if_one_went(self, found: Any) -> None:
        if found.removed:  # after the list model's own handler: lay the rows out at once
            self.span_table.doItemsLayout()

    def action(self, action_id: str) -> QAction:
        """The action of one row of ``actions.ACTIONS``."""
        return self.actions_by_id[action_id]

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, defer_open: bool = False
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.project = ProjectModel()
        self.document_model = DocumentModel()
        # store.data_version() when this window last read the project (see ``refresh``)
        self.seen_version: int | None = None
        self.label_actions: list[QAction] = []
        self.side_windows = SideWindows()
        self._build_panels()
        project, document, view = self.project, self.document_model, self.article
        self.editor = Editor(
            project,
            document,
            view,
            self.span_model,
            self.span_table,
            self,
            snapping=lambda: self.action("snap").isChecked(),
            parent=self,
        )
        # after the editor: clicks reach it second
        self.suggestions = Suggestions(project, document, view, self.editor, self)
        self.editor.accept_suggestion = self.suggestions.accept
        self.editor.reject_suggestion = self.suggestions.reject
        # its key filter on the article after the window's
        self.relating = Relating(project, document, view, self.editor, self)
        self.relation_panel = RelationPanel(project, document, view, self.editor, self)
        self._lay_out_side_pane()
        self.label_editor = LabelEditor(lambda: self.store, self.editor.undo_stack, self)
        self.relation_type_editor = RelationTypeEditor(
            lambda: self.store, self.editor.undo_stack, self
        )
        self.review = Review(project, document, view, self.editor, self.documents, self)
        self._dock_review()
        self.moving_on = MovingOn(project, document, self.documents, self.editor, self.review, self)
        self.documents.menu_for = self.moving_on.document_menu
        self.actions_by_id = actions.build_actions(self)
        actions.build_menus(self)
        self._connect_review_buttons()
        self.flows = ProjectFlows(
            project,
            document,
            view,
            self.documents,
            self.editor.undo_stack,
            self,
            parent=self,
            recent_menu=self.recent_menu,
            label_editor=self.label_editor,
            relation_type_editor=self.relation_type_editor,
            actions=self.all_actions,
            side_windows=self.side_windows,
        )
        self.flows.rebuild_recent()
        self.status = StatusFields(self.statusBar())
        self.document_model.events.loaded.connect(self.update_status)
        self.document_model.events.loaded.connect(self._counted)
        self.document_model.events.changed.connect(lambda _found: self._counted())
        self.document_model.events.selected.connect(self._suggestion_chosen)
        self.position_label = self.status.position
        self.progress_label = self.status.progress
        self.annotator_label = self.status.annotator
        self.saved_label = self.status.saved
        self._restore_layout()
        events = self.project.events
        events.opened.connect(self._project_opened)
        events.closed.connect(self._project_closed)
        events.labels.connect(lambda _labels: self._show_labels())
        events.mode.connect(self._mode_changed)
        events.analyst.connect(self.status.show_annotator)
        self.project.annotator = self.flows.annotator_name()
        self.setWindowTitle("annotator")
        self.documents.model.modelReset.connect(self._list_reset)
        if path is not None:
            self.open_project(path)

    # -- the project model's state, as the window's (tests and the actions read these) -------

    @property
    def store(self) -> Store | None:
        return self.project.store

    @property
    def labels(self) -> list[Label]:
        return self.project.labels

    @property
    def annotator(self) -> str:
        return self.project.annotator

    @property
    def team_project(self) -> bool:
        return self.project.team

    def _project_opened(self, store: Store) -> None:
        self.seen_version = store.data_version()
        self.setWindowTitle(f"{store.path.name} — annotator")
        # a project holding several analysts' work shows the analyst's own spans (the project
        # model chose) and everyone's statuses; one analyst's work shows every span
        self.action("everyone_statuses").setChecked(self.project.team)
        self.documents.show_team(self.project.team)
        QTimer.singleShot(0, self._room_for_team)  # once the splitter has its sizes
        self.documents.set_store(store)
        self.status.count(store)
        self.update_status()

    def _project_closed(self) -> None:
        self.documents.set_store(None)
        self.setWindowTitle("annotator")
        self.update_status()

    def _mode_changed(self) -> None:
        """Review mode, everyone's spans, a team project or the analyst's name changed: the
        actions, the review dock and the article follow the project model."""
        project = self.project
        self.action("review").setChecked(project.reviewing)
        self.action("everyone_spans").setChecked(project.everyone)
        self.action("everyone_spans").setEnabled(not project.reviewing)
        for name in ("accept", "accept_agreed", "accept_layer", "focus_review"):
            self.action(name).setEnabled(project.reviewing)
        self.review_dock.setVisible(project.reviewing)
        self.show_layer()

    def _lay_out_side_pane(self) -> None:
        """The span list and, under it, the suggestions and the relations, in the right-hand
        pane."""
        side = QWidget()
        side.setObjectName("spanPane")
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        index = self.splitter.indexOf(self.span_table)
        self.splitter.replaceWidget(index, side)
        column.addWidget(self.span_table, 3)
        column.addWidget(self.suggestions.panel, 0)
        column.addWidget(self.relation_panel.widget, 1)
        self.span_table.show()
        self.side_pane, self.side_column = side, column

    def _dock_review(self) -> None:
        self.review_dock = QDockWidget("Review: every analyst's spans on this document", self)
        self.review_dock.setObjectName("reviewDock")
        self.review_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.review_dock.setWidget(self.review.panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.review_dock)
        self.review_dock.hide()

    def _connect_review_buttons(self) -> None:
        """The review panel's buttons trigger the window's actions (their keys and menu
        items)."""
        panel = self.review.panel
        panel.accept.clicked.connect(self.action("accept").trigger)
        panel.accept_agreed.clicked.connect(self.action("accept_agreed").trigger)
        panel.accept_layer.clicked.connect(self.action("accept_layer").trigger)
        for name in ("accept", "accept_agreed", "accept_layer", "focus_review"):
            self.action(name).setEnabled(False)

    def toggle_review(self) -> None:
        """F6: review mode on or off."""
        self.review.set_active(self.action("review").isChecked())

    def _counted(self) -> None:
        """Annotations and suggestions counted apart: in the status bar and the document
        list's Suggested column, which comes and goes with them."""
        doc = self.document_model.document_id
        suggested = len(self.document_model.suggestions)
        if doc is None:
            self.status.show_counts(None)
        else:
            self.status.show_counts(len(self.document_model.spans), suggested)
            model = self.documents.model
            columns = model.columnCount()
            model.show_suggested(doc, suggested)
            if model.columnCount() != columns:  # the Suggested column came or went
                self.documents.show_suggested_column()
                self.documents.show_current(doc)
        self.side_column.setStretchFactor(self.suggestions.panel, 2 if suggested else 0)

    def _suggestion_chosen(self, _now: Selection | None, _previous: Selection | None) -> None:
        chosen = self.document_model.selected_suggestion is not None
        for name in ("accept_suggestion", "accept_suggested_label"):
            self.action(name).setEnabled(chosen)

    def say(self, message: str, timeout: int = 5000) -> None:
        """One line in the status bar."""
        self.statusBar().showMessage(message, timeout)

    def _build_panels(self) -> None:
        self.documents = DocumentList()
        self.article = ArticleView(self.document_model)
        self.find_bar = FindBar(self.article)
        self.label_bar = LabelBar()
        self.label_bar.tag.connect(lambda name, exact: self.editor.tag(name, exact))
        self.span_model = SpanListModel(self)
        self.span_model.attach(self.document_model)
        self.span_table = make_span_table(self.span_model)
        events = self.document_model.events
        # after the list model's own handler: lay the rows out at once when one went
        events.changed.connect(self._lay_out_rows_if_one_went)
        events.selected.connect(self._span_selected)
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
        # The article can never be squeezed away: no panel collapses, and it keeps room for a
        # line of text whatever size a window is restored at.
        self.splitter.setChildrenCollapsible(False)
        middle.setMinimumWidth(_ARTICLE_MIN_WIDTH)
        # Room for titles of about 40 characters and for the longest label in the span list.
        self.splitter.setSizes(list(_PANEL_SIZES))
        self.setCentralWidget(self.splitter)
        self.documents.view.selectionModel().currentRowChanged.connect(self._document_chosen)
        self.article.installEventFilter(self)

    # -- layout memory ---------------------------------------------------------------------

    def _restore_layout(self) -> None:
        s = prefs.settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if not (isinstance(geometry, QByteArray) and not geometry.isEmpty()) or (
            self.width() < _MIN_RESTORED[0] or self.height() < _MIN_RESTORED[1]
        ):
            # Nothing saved, or a size no one works at (saved by a window that never really
            # showed, say): the default.
            self.resize(*_DEFAULT_SIZE)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
            if self.splitter.sizes()[1] < _ARTICLE_MIN_WIDTH:
                self.splitter.setSizes(list(_PANEL_SIZES))
        zoom = float(str(s.value("view/zoom", 0) or 0))
        if zoom:
            self.article.zoom(int(zoom))

    def save_layout(self) -> None:
        s = prefs.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("view/zoom", self.article.zoom_level())
        s.setValue("view/snap_words", self.action("snap").isChecked())

    def snap_toggled(self) -> None:
        prefs.settings().setValue("view/snap_words", self.action("snap").isChecked())

    def zoom_article(self, steps: int) -> None:
        self.article.zoom(steps)
        prefs.settings().setValue("view/zoom", self.article.zoom_level())

    # -- the project as a whole (see project_flows) ------------------------------------------

    def open_project(self, path: str | os.PathLike[str], *, report_errors: bool = False) -> bool:
        """Open (or create) a project and resume where the analyst left off."""
        return self.flows.open_project(path, report_errors=report_errors)

    def close_project(self) -> None:
        self.flows.close_project()

    def remember_position(self) -> None:
        self.flows.remember_position()

    def new_project(self) -> None:
        self.flows.new_project()

    def open_project_dialog(self) -> None:
        self.flows.open_project_dialog()

    def change_annotator(self) -> None:
        self.flows.change_annotator()

    def open_labels(self) -> None:
        self.flows.open_labels()

    def import_files(self) -> None:
        self.flows.import_files()

    def import_folder(self) -> None:
        self.flows.import_folder()

    def import_pages_raw(self) -> None:
        self.flows.import_pages_raw()

    def import_paths(self, paths: list[str]) -> Any:
        """Import with a progress dialog; returns the importer's report (None if stopped)."""
        return self.flows.import_paths(paths)

    def export_dialog(self) -> Any:
        """Ask for format and destination, export; returns the exporter's report or None."""
        return self.flows.export_dialog()

    def show_guidelines(self) -> None:
        self.flows.show_guidelines()

    def show_shortcuts(self) -> None:
        self.flows.show_shortcuts()

    def all_actions(self) -> list[QAction]:
        """Every action of the window in menu order: the shortcut sheet is built from these."""
        return actions.all_actions(self)

    def reload_labels(self) -> None:
        """Label buttons, tag actions and colours from the store."""
        self.project.set_labels(self.project.require_store().labels.all())

    def _show_labels(self) -> None:
        keys, clashes = actions.build_label_actions(self, self.labels)
        self.label_bar.set_labels(self.labels, keys)
        colours = {lab.name: lab.color for lab in self.labels}
        self.article.set_label_colours(colours, repaint=False)
        self.span_model.set_colours(colours)
        fit_label_column(self.span_table, [lab.name for lab in self.labels])
        if clashes:
            self.statusBar().showMessage(
                f"Hotkeys of {', '.join(clashes)} clash with window commands; use their buttons.",
                8000,
            )

    # -- documents -------------------------------------------------------------------------

    def open_document(self, document_id: int, *, remember: bool = True) -> None:
        """Show a document with its spans as the store has them now (other windows' too)."""
        assert self.store is not None
        if remember and self.current_document not in (None, document_id):
            self.remember_position()
        with _collector_paused():
            text = self.store.documents.text(document_id)
            spans = self.store.spans.in_document(document_id)
            self.documents.model.show_span_count(document_id, annotation_count(spans))
            self.documents.show_current(document_id)
            relations = self.store.relations.in_document(document_id)
            self.document_model.load(document_id, text, self.layer.spans(spans), relations)

    @property
    def current_document(self) -> int | None:
        """The open document's id (the document model's)."""
        return self.document_model.document_id

    def _span_selected(self, now: Selection | None, previous: Selection | None) -> None:
        """The span list's row and the status bar follow the selected span."""
        span = self.document_model.selected_span
        show_row(self.span_table, self.span_model, self.span_model.row_of(span) if span else None)
        if span is not None and now != previous:
            self.status.show_span(span)

    def _document_chosen(self, current: Any, _previous: Any) -> None:
        doc = self.documents.document_at(current.row()) if current.isValid() else None
        if doc is not None and doc != self.current_document:
            self.open_document(doc)

    def _list_reset(self) -> None:
        """The list was filtered or read again: mark the open document's row, recount."""
        self.documents.show_current(self.current_document)
        self.update_status()

    # -- one road for every change ---------------------------------------------------------

    def apply_changes(
        self,
        changes: Changes,
        *,
        document: int | None = None,
        select: int | None = None,
        ours: bool = True,
    ) -> None:
        """Show what a change changed: the analyst's own edits, undo and redo, the labels
        dialog, an import and (``ours=False``) what a refresh found another program did.

        ``document`` is opened first when another is open (an undo in another document), and
        ``select`` is the span to select afterwards. Each view takes only its part: the
        labels, the open document's spans, the rows of the documents whose status or span
        count changed, and the progress. Nothing is read back that ``changes`` says.
        """
        if document is not None and document != self.current_document and self.store:
            self.open_document(document)
        if changes.labels:
            self._apply_label_changes(changes)
        if changes.relation_types:
            self.relation_panel.follow_types(changes)
        self.document_model.apply(self.layer.changes(changes))
        if changes.labels:
            self.article.repaint_labels(_labels_named(changes))
        for change in changes.documents.values():
            if change.after is not None:
                self.documents.model.show_state(change.after)
        self.status.follow(changes)
        if changes.document_list and self.store is not None:
            self.documents.reload()
            self.status.count(self.store)
        if select is not None:
            self.editor.select(select)
        self.update_status()
        if ours and changes:
            self.mark_saved_now()

    # -- whose spans and statuses are shown (see layers) ----------------------------------

    @property
    def layer(self) -> Layer:
        """The spans the article shows (the project model's layer)."""
        return self.project.layer

    def show_layer(self) -> None:
        """The open document's spans as the chosen layer has them: only the spans that
        differ are painted again, and the caret and the scroll position stay."""
        self.project.set_everyone(self.action("everyone_spans").isChecked())
        self.span_model_shows_analysts()
        if self.store is None or self.current_document is None:
            return
        stored = self.layer.spans(self.store.spans.in_document(self.current_document))
        changes = compare_spans(self.document_model.all_spans(), stored)
        self.document_model.apply(changes | self._relations_compared())

    def span_model_shows_analysts(self) -> None:
        shown = self.layer.kind == EVERYONE and self.project.team
        self.span_model.show_annotators(shown)
        if shown and self.store is not None:
            metrics = self.span_table.fontMetrics()
            names = [*self.store.statuses.analysts(), "By"]
            widest = max(metrics.horizontalAdvance(n) for n in names)
            width = min(widest + 20, 16 * metrics.averageCharWidth())
            self.span_table.horizontalHeader().resizeSection(len(SpanListModel.COLUMNS), width)

    def show_team_statuses(self) -> None:
        self.documents.show_team(self.action("everyone_statuses").isChecked())
        self._room_for_team()

    def _room_for_team(self) -> None:
        """Widen the document list for the Everyone column, taking the room from the article."""
        if not self.documents.team_shown or self.store is None:
            return
        sizes = self.splitter.sizes()
        need = self.documents.width_for_team()
        if len(sizes) == 3 and sizes[0] < need and sizes[1] - (need - sizes[0]) > 400:
            self.splitter.setSizes([need, sizes[1] - (need - sizes[0]), sizes[2]])

    def open_agreement(self) -> None:
        """View → Agreement: every pair of analysts, per label; documents by disagreement."""
        from annotator.gui.dialogs.agreement import AgreementDialog

        if self.store is None:
            return
        store = self.store
        self.side_windows.open(
            "agreement", lambda: AgreementDialog(store, self.open_from_agreement, self)
        )

    def open_statistics(self) -> None:
        """View → Statistics: progress, time spent and charts, as the report shows them."""
        from annotator.gui.dialogs.statistics import StatisticsWindow

        if self.store is None:
            return
        store = self.store
        self.side_windows.open(
            "statistics", lambda: StatisticsWindow(store, self.choose_save_file, self)
        )

    def open_from_agreement(self, document_id: int, review: bool) -> None:
        if review:
            self.review.set_active(True)
        self.open_document(document_id)
        self.activateWindow()

    def _apply_label_changes(self, changes: Changes) -> None:
        """The label bar, keys and colours follow; undo steps take renamed labels' new names
        (the document model renames the spans it holds)."""
        self.project.set_labels(apply_to_labels(self.labels, changes))
        renamed = changes.renamed_labels()
        if renamed:
            self.editor.follow_rename(renamed)

    def change_failed(self, error: Exception) -> None:
        self.editor.change_failed(error)

    def focus_search(self) -> None:
        self.documents.search.setFocus()
        self.documents.search.selectAll()

    # -- other windows and programs on the same project ------------------------------------

    def refresh(self) -> bool:
        """Show the project as it is now, with what other windows and programs changed.

        Compares the labels and the open document's spans with the store's, and hands what
        differs to :meth:`apply_changes` like any other change; the document list (as
        filtered) and the progress are read again. A document's text never changes, so the
        article is not reloaded: the caret and the scroll position stay, only spans that
        differ are painted again, and a selected span stays selected while it exists. A text
        selection is dropped. False when the project could not be read (said in the status
        bar).
        """
        from annotator.store.project import ProjectError

        if self.store is None:
            return False
        try:
            self.seen_version = self.store.data_version()
            changes = compare_labels(self.labels, self.store.labels.all())
            if self.current_document is not None:
                self.article.clear_selection()
                stored = self.layer.spans(self.store.spans.in_document(self.current_document))
                changes = changes | compare_spans(self.document_model.all_spans(), stored)
                changes = changes | self._relations_compared()
            changes.document_list = True
            self.apply_changes(changes, ours=False)
            self.review.reread()
        except (ProjectError, sqlite3.Error) as e:
            self.statusBar().showMessage(f"Could not read the project again: {e}", 8000)
            return False
        return True

    def _relations_compared(self) -> Changes:
        """The open document's relations as the store has them, against the model's."""
        from annotator.gui.commands.relations import compare_relations

        if self.store is None or self.current_document is None:
            return Changes()
        stored = self.store.relations.in_document(self.current_document)
        return compare_relations(self.document_model.relations, stored)

    def refresh_if_changed(self) -> bool:
        """Refresh when another connection committed since this window last read the project.

        The window's own commits do not change ``data_version``, so its own work never
        triggers a refresh. True when it refreshed.
        """
        if self.store is None:
            return False
        try:
            changed = self.store.data_version() != self.seen_version
        except sqlite3.Error as e:
            self.statusBar().showMessage(f"Could not read the project again: {e}", 8000)
            return False
        return changed and self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.refresh_if_changed()

    # -- status bar ------------------------------------------------------------------------

    def update_status(self) -> None:
        self.status.show(self.store is not None, self.documents.model, self.current_document)

    def mark_saved(self, at: str) -> None:
        self.status.mark_saved(at)

    def mark_saved_now(self) -> None:
        self.status.mark_saved()

    # -- questions to the analyst: one place each, replaced in tests -------------------------

    def exec_dialog(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_text(self, title: str, label: str, default: str = "") -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=default)
        return text if ok else None

    def ask_attributes(
        self, label: str, declared: list[dict[str, Any]], current: dict[str, str]
    ) -> dict[str, str] | None:
        """The values of a span's attributes, asked in a small form (None: cancelled)."""
        from annotator.gui.dialogs.attributes import AttributesDialog

        dialog = AttributesDialog(label, declared, current, self)
        if not self.exec_dialog(dialog):
            return None
        return dialog.values()

    def ask_note(self, title: str, label: str, default: str = "") -> str | None:
        """Several lines of text (a note on a span)."""
        text, ok = QInputDialog.getMultiLineText(self, title, label, default)
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

    def choose_save_file(
        self, title: str, current: str, filters: str = "JSON Lines (*.jsonl)"
    ) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, current, filters)
        return path or None

    def confirm(self, title: str, question: str) -> bool:
        """A yes-or-no question whose default answer (Enter) is No."""
        return question_box(title, question, self).exec() == QMessageBox.StandardButton.Yes

    def show_report(
        self, title: str, summary: str, details: list[str], *, offer: str | None = None
    ) -> bool:
        """A report with its details; True when the analyst chose the ``offer`` button."""
        dialog = ReportDialog(title, summary, details, self, offer=offer)
        self.exec_dialog(dialog)
        return dialog.offer_taken

    def show_message(self, title: str, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.exec_dialog(box)

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "annotator", text)

    # -- keys the shortcut system did not take ---------------------------------------------

    def eventFilter(self, watched: Any, event: Any) -> bool:
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
        return actions.action_for_key(self, keys)

    # -- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.close_project()
        super().closeEvent(event)
