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

import os
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMenu,
)

from annotator.changes import Changes
from annotator.gui import settings as prefs
from annotator.gui import window_layout
from annotator.gui.article.find_bar import FindBar
from annotator.gui.article.view import ArticleView
from annotator.gui.commands.labels import LabelEditor
from annotator.gui.commands.relation_types import RelationTypeEditor
from annotator.gui.controllers import actions
from annotator.gui.controllers.corrections import Corrections
from annotator.gui.controllers.display import Display
from annotator.gui.controllers.editing import Editor
from annotator.gui.controllers.gold import GoldMarks
from annotator.gui.controllers.learning import Learning
from annotator.gui.controllers.moving_on import MovingOn
from annotator.gui.controllers.project_flows import PROJECT_FILTER, ProjectFlows
from annotator.gui.controllers.relating import Relating
from annotator.gui.controllers.relation_panel import RelationPanel
from annotator.gui.controllers.review import Review
from annotator.gui.controllers.selecting import Selecting
from annotator.gui.controllers.suggestions import Suggestions
from annotator.gui.controllers.work_packets import WorkPackets
from annotator.gui.dialogs.side_windows import SideWindows
from annotator.gui.panels.correction_bar import CorrectionBar
from annotator.gui.panels.document_list import DocumentList
from annotator.gui.panels.label_bar import LabelBar
from annotator.gui.panels.name_bar import NameBar
from annotator.gui.panels.span_list import (
    HintedTable,
    SpanListModel,
    fit_label_column,
    make_span_table,
)
from annotator.gui.panels.status_bar import StatusFields
from annotator.session.document_model import DocumentModel, Selection
from annotator.session.layers import Layer
from annotator.session.project_model import ProjectModel

if TYPE_CHECKING:
    from annotator.model import Label, Span
    from annotator.store.project import Store


def team_line(analysts: list[str]) -> str:
    """What a team project says of itself when it opens."""
    shown = ", ".join(analysts[:6]) + (", …" if len(analysts) > 6 else "")
    return f"Team project ({shown}): your own spans; Ctrl+Shift+E everyone's, F6 review"


# The actions that act on the review panel, offered only in review mode.
REVIEW_ACTIONS = (
    "review.accept",
    "review.reject",
    "review.accept_agreed",
    "review.accept_layer",
    "review.send_back",
    "focus.review",
)


def empty_span_list_hint(keys: dict[str, str], sentence: str = "", paragraph: str = "") -> str:
    """How to tag, said in the empty span list: the labels' own keys, in order, and the keys
    that select a sentence and a paragraph."""
    hotkeys = [key for key in keys.values() if key]
    if not hotkeys:
        return "No spans yet. Select text in the article, then choose a label above it."
    shown = f"{hotkeys[0]}\u2013{hotkeys[-1]}" if len(hotkeys) > 2 else " or ".join(hotkeys)
    units = [
        f"{key} selects the {unit} at the caret"
        for key, unit in ((sentence, "sentence"), (paragraph, "paragraph"))
        if key
    ]
    more = f"; {', '.join(units)}" if units else ""
    return f"No spans yet. Select text in the article, then press {shown} (a label's key){more}."


class MainWindow(QMainWindow):
    """One project in one window. Its actions are made from the table ``actions.ACTIONS``
    (``window.action("edit.undo")``, or ``window.action("edit.undo")``); opening, importing, exporting,
    labels and help are :class:`ProjectFlows`, reached through the methods of the same names
    here."""

    # Made in __init__ and _build_panels; named here so that the actions table (which reaches
    # them through the window) is checked against their types.
    editor: Editor
    relating: Relating
    find_bar: FindBar
    documents: DocumentList
    span_table: HintedTable
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
        self.label_actions: list[QAction] = []
        self._held_actions: dict[QAction, bool] = {}  # while the name question waits
        self._build_panels()
        project, document, view = self.project, self.document_model, self.article
        self.editor = Editor(
            project,
            document,
            view,
            self.span_model,
            self.span_table,
            self,
            snapping=lambda: self.action("view.snap").isChecked(),
            parent=self,
        )
        # after the editor: clicks reach it second
        self.suggestions = Suggestions(project, document, view, self.editor, self)
        self.editor.accept_suggestion = self.suggestions.accept
        self.editor.reject_suggestion = self.suggestions.reject
        # its key filter on the article after the window's
        self.relating = Relating(project, document, view, self.editor, self)
        self.relation_panel = RelationPanel(project, document, view, self.editor, self)
        self.selecting = Selecting(document, view, self.editor, self)
        self._lay_out_side_pane()
        self.side_windows = SideWindows(beside=self, clear_of=self.article)
        self.label_editor = LabelEditor(lambda: self.store, self.editor.undo_stack, self)
        self.relation_type_editor = RelationTypeEditor(
            lambda: self.store, self.editor.undo_stack, self
        )
        self.review = Review(project, document, view, self.editor, self.documents, self)
        self._dock_review()
        self.corrections = Corrections(project, document, view, self.editor, self.correction_bar)
        self._hint_when_empty()
        self.moving_on = MovingOn(project, document, self.documents, self.editor, self.review, self)
        self.documents.menu_for = self.moving_on.document_menu
        # the learning loop: the model trained again as documents are done, its suggestions
        # beside the rules', and the documents least certain first (before the project's
        # other listeners: the document list's order is set when a project opens)
        self.learning = Learning(project, self.documents, self, self.statusBar(), parent=self)
        self.packets = WorkPackets(
            project, self, self.side_windows, parent=self, keys_of=self._keys_of
        )
        self.learning.open_document = lambda: self.document_model.document_id
        self.gold = GoldMarks(project, document, self.documents, self)
        self.documents.menu_for = self.gold.with_gold_item(self.moving_on.document_menu)
        self.suggestions.learned_model = self.learning.model
        self.actions_by_id = actions.build_actions(self)
        actions.build_menus(self)
        self.gold.action = self.action("review.gold")
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
        self.display = Display(
            project,
            document,
            view,
            self.span_model,
            self.span_table,
            self.documents,
            self.status,
            self.editor,
            self,
            remember_position=self.flows.remember_position,
            suggestions_shown=self._suggestions_shown,
        )
        self.document_model.events.selected.connect(self._suggestion_chosen)
        # A document opened from its list by a click or Enter takes the keys: Enter, Delete
        # and a label's key act on it at once (arrows in the list still move in the list).
        self.documents.view.clicked.connect(lambda _index: self.article.setFocus())
        self.documents.view.activated.connect(lambda _index: self.article.setFocus())
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
        if path is not None:
            self.open_project(path)
        if self.flows.name_pending:
            self._ask_name_inside()
        else:
            self.article.setFocus()  # the keys tag at once: S, a label's key, F8

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
        self.display.seen_version = store.data_version()
        self.setWindowTitle(f"{store.path.name} — annotator")
        if self.project.team:
            self.say(team_line(store.statuses.analysts()), 15000)
        self._team_shown: bool | None = None  # the mode event that follows shows it
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
        if project.team != getattr(self, "_team_shown", None):
            # a project holding several analysts' work shows the analyst's own spans (the
            # project model chose) and everyone's statuses; one analyst's work shows every span
            self._team_shown = project.team
            self.action("view.everyone_statuses").setChecked(project.team)
            self.documents.show_team(project.team)
            QTimer.singleShot(0, self._room_for_team)  # once the splitter has its sizes
        self.action("review.mode").setChecked(project.reviewing)
        self.action("view.everyone_spans").setChecked(project.everyone)
        self.action("view.everyone_spans").setEnabled(not project.reviewing)
        for name in REVIEW_ACTIONS:
            self.action(name).setEnabled(project.reviewing)
        self.review_dock.setVisible(project.reviewing)
        self.show_layer()

    def _lay_out_side_pane(self) -> None:
        self.side_pane, self.side_column = window_layout.side_pane(
            self.splitter, self.span_table, self.suggestions.panel, self.relation_panel.widget
        )

    def _dock_review(self) -> None:
        self.review_dock = window_layout.review_dock(self, self.review.panel)

    def _connect_review_buttons(self) -> None:
        """The review panel's buttons trigger the window's actions (their keys and menu
        items)."""
        panel = self.review.panel
        panel.accept.clicked.connect(self.action("review.accept").trigger)
        panel.reject.clicked.connect(self.action("review.reject").trigger)
        panel.reject_pressed.connect(self.action("review.reject").trigger)
        panel.accept_agreed.clicked.connect(self.action("review.accept_agreed").trigger)
        panel.accept_layer.clicked.connect(self.action("review.accept_layer").trigger)
        for name in REVIEW_ACTIONS:
            self.action(name).setEnabled(False)

    def toggle_review(self) -> None:
        """F6: review mode on or off."""
        self.review.set_active(self.action("review.mode").isChecked())

    def _suggestions_shown(self, count: int) -> None:
        """The list of suggestions takes room under the span list only while it has rows."""
        self.side_column.setStretchFactor(self.suggestions.panel, 2 if count else 0)

    def _suggestion_chosen(self, _now: Selection | None, _previous: Selection | None) -> None:
        """Enter and Shift+Enter take a suggestion only while one is chosen, and leave Enter
        to other widgets (a list, a dialog) meanwhile."""
        chosen = self.document_model.selected_suggestion is not None
        for name in ("suggestion.accept", "suggestion.accept_label"):
            self.action(name).setEnabled(chosen)

    def open_preferences(self, keys: bool = False) -> None:
        """Edit → Preferences (``keys``: on its Keys page). Keys are used as each is set; the
        project's setting when the dialog is accepted."""
        from annotator.gui.dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.learning.retrain_setting(), self)
        dialog.keys.changed.connect(self.apply_keys)
        if keys:
            dialog.show_keys()
        if self.exec_dialog(dialog):
            self.learning.set_retrain_every(dialog.retrain_every())

    def apply_keys(self, bound: dict[str, tuple[str, ...]]) -> None:
        """The keys a user chose (Preferences → Keys), given to the actions at once."""
        for command, keys in bound.items():
            action = self.actions_by_id.get(command)
            if action is not None:
                action.setShortcuts([QKeySequence(k) for k in keys])

    # -- the first start's question, inside the window ----------------------------------------

    def _ask_name_inside(self) -> None:
        """The name question over the project, which waits: nothing is recorded under a name
        the analyst has not chosen (only help and Quit stay at hand)."""
        self._held_actions = {
            a: a.isEnabled()
            for a in [*self.actions_by_id.values(), *self.label_actions]
            if not (a.objectName().startswith("action:help.") or a is self.action("app.quit"))
        }
        for action in self._held_actions:
            action.setEnabled(False)
        self.splitter.setEnabled(False)
        self.name_bar.ask(self.project.annotator)

    def _name_answered(self, typed: str) -> None:
        why = self.flows.answer_name(typed)
        if why is not None:
            self.name_bar.refuse(why)
            return
        self.name_bar.hide()
        self.splitter.setEnabled(True)
        for action, enabled in self._held_actions.items():
            action.setEnabled(enabled)
        self._held_actions = {}
        self.article.setFocus()
        self.say(f"Welcome, {self.project.annotator}: select text, then press a label's key.", 8000)

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
        self.correction_bar = CorrectionBar()
        self.splitter = window_layout.main_splitter(
            self.documents,
            [self.label_bar, self.find_bar, self.correction_bar],
            self.article,
            self.span_table,
        )
        self.name_bar = NameBar()
        self.name_bar.answered.connect(self._name_answered)
        self.setCentralWidget(window_layout.with_bar_above(self.name_bar, self.splitter))
        self.article.installEventFilter(self)

    # -- layout memory (see window_layout) -------------------------------------------------

    def _restore_layout(self) -> None:
        window_layout.restore(self, self.splitter, self.article)

    def save_layout(self) -> None:
        window_layout.save(
            self, self.splitter, self.article, snap=self.action("view.snap").isChecked()
        )

    def snap_toggled(self) -> None:
        prefs.settings().setValue("view/snap_words", self.action("view.snap").isChecked())

    def zoom_article(self, steps: int) -> None:
        self.article.zoom(steps)
        prefs.settings().setValue("view/zoom", self.article.zoom_level())

    # -- the project as a whole (see project_flows) ------------------------------------------

    def open_project(self, path: str | os.PathLike[str], *, report_errors: bool = False) -> bool:
        """Open (or create) a project and resume where the analyst left off."""
        return self.flows.open_project(path, report_errors=report_errors)

    def change_annotator(self) -> None:
        self.flows.change_annotator()

    def import_paths(self, paths: list[str]) -> Any:
        """Import with a progress dialog; returns the importer's report (None if stopped)."""
        return self.flows.import_paths(paths)

    def export_dialog(self) -> Any:
        """Ask for format and destination, export; returns the exporter's report or None."""
        return self.flows.export_dialog()

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
        self.span_table.set_hint(
            empty_span_list_hint(
                keys,
                self.action("select.sentence").shortcut().toString(),
                self.action("select.paragraph").shortcut().toString(),
            )
        )
        if clashes:
            self.statusBar().showMessage(
                f"Hotkeys of {', '.join(clashes)} clash with window commands; use their buttons.",
                8000,
            )

    # -- documents -------------------------------------------------------------------------

    def _hint_when_empty(self) -> None:
        """What an empty article says: how to bring articles into the project."""
        self.article.setPlaceholderText(
            "No article is open. Bring some in with File \u2192 Import files (Ctrl+I) or Import"
            " folder (Ctrl+Shift+I): text, Markdown, JSONL, saved web pages or Word files."
        )

    def open_document(self, document_id: int, *, remember: bool = True) -> None:
        """Show a document with its spans as the store has them now (other windows' too)."""
        self.display.open_document(document_id, remember=remember)

    def apply_changes(
        self,
        changes: Changes,
        *,
        document: int | None = None,
        select: int | None = None,
        ours: bool = True,
    ) -> None:
        """Every change takes one road to every view: the project model's (see
        :class:`~annotator.gui.controllers.display.Display`)."""
        self.project.apply(changes, document=document, select=select, ours=ours)

    def refresh(self) -> bool:
        """F5: show what other windows and programs changed (see ``Display.refresh``)."""
        return self.display.refresh()

    def refresh_if_changed(self) -> bool:
        return self.display.refresh_if_changed()

    def update_status(self) -> None:
        self.display.update_status()

    def mark_saved(self, at: str) -> None:
        self.status.mark_saved(at)

    @property
    def current_document(self) -> int | None:
        """The open document's id (the document model's)."""
        return self.document_model.document_id

    # -- whose spans and statuses are shown (see layers) ----------------------------------

    @property
    def layer(self) -> Layer:
        """The spans the article shows (the project model's layer)."""
        return self.project.layer

    def show_layer(self) -> None:
        """View → Everyone's spans, or the layer changed: the open document's spans as the
        layer has them."""
        self.project.set_everyone(self.action("view.everyone_spans").isChecked())
        self.display.show_layer()

    def show_team_statuses(self) -> None:
        self.documents.show_team(self.action("view.everyone_statuses").isChecked())
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

    def _keys_of(self, command: str) -> str:
        """The keys of one of the window's commands, as its menu shows them."""
        return self.action(command).shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    def open_from_agreement(self, document_id: int, review: bool) -> None:
        if review:
            self.review.set_active(True)
        self.open_document(document_id)
        self.raise_()  # in front of the Agreement window, with the keys
        self.activateWindow()

    def change_failed(self, error: Exception) -> None:
        self.editor.change_failed(error)

    def focus_search(self) -> None:
        self.documents.search.setFocus()
        self.documents.search.selectAll()

    # -- other windows and programs on the same project ------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A narrower window keeps the article the widest panel: the side panels give way."""
        super().resizeEvent(event)
        window_layout.keep_article_widest(self.splitter)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.refresh_if_changed()

    # -- status bar ------------------------------------------------------------------------

    # -- questions to the analyst: one place each, replaced in tests -------------------------
    # (the dialogs' module, and the Qt dialogs it builds on, load with the first question)

    def exec_dialog(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_text(self, title: str, label: str, default: str = "") -> str | None:
        from annotator.gui.dialogs import questions

        return questions.ask_text(self, title, label, default)

    def ask_attributes(
        self, label: str, declared: list[dict[str, Any]], current: dict[str, str]
    ) -> dict[str, str] | None:
        """The values of a span's attributes, asked in a small form (None: cancelled)."""
        from annotator.gui.dialogs import questions

        return questions.ask_attributes(self, label, declared, current, self.exec_dialog)

    def ask_note(
        self, title: str, label: str, default: str = "", *, span: Span | None = None
    ) -> str | None:
        """A note, the span's words quoted above it, the dialog beside the span (not over it)."""
        from annotator.gui.dialogs import questions

        area = self.article.span_rect_global(span) if span is not None else None
        return questions.ask_note(
            self,
            title,
            label,
            default,
            quote=span.text if span is not None else "",
            clear_of=area,
            run=self.exec_dialog,
        )

    def choose_files(self, title: str, filters: str) -> list[str]:
        from annotator.gui.dialogs import questions

        return questions.choose_files(self, title, filters)

    def choose_folder(self, title: str) -> str | None:
        from annotator.gui.dialogs import questions

        return questions.choose_folder(self, title)

    def choose_project(self, title: str, *, save: bool) -> str | None:
        from annotator.gui.dialogs import questions

        return questions.choose_project(self, title, save=save, filters=PROJECT_FILTER)

    def choose_save_file(
        self, title: str, current: str, filters: str = "JSON Lines (*.jsonl)"
    ) -> str | None:
        from annotator.gui.dialogs import questions

        return questions.choose_save_file(self, title, current, filters)

    def confirm(self, title: str, question: str) -> bool:
        """A yes-or-no question whose default answer (Enter) is No."""
        from PySide6.QtWidgets import QMessageBox

        from annotator.gui.dialogs.questions import question_box

        return question_box(title, question, self).exec() == QMessageBox.StandardButton.Yes

    def show_report(
        self, title: str, summary: str, details: list[str], *, offer: str | None = None
    ) -> bool:
        """A report with its details; True when the analyst chose the ``offer`` button."""
        from annotator.gui.dialogs.questions import ReportDialog

        dialog = ReportDialog(title, summary, details, self, offer=offer)
        self.exec_dialog(dialog)
        return dialog.offer_taken

    def show_message(self, title: str, text: str) -> None:
        from annotator.gui.dialogs import questions

        self.exec_dialog(questions.message_box(self, title, text))

    def show_error(self, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

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
        self.flows.close_project()
        super().closeEvent(event)
