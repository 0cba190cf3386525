"""What the window shows of the project, kept true: the open document, every change, and what
other programs did.

:class:`Display` listens to the project model's ``changed`` event, the one road of every change
(the analyst's own edits, undo and redo, the dialogs, an import, a refresh), and hands each view
only its part: the open document's spans and relations (through the layer shown), the
highlights of renamed or recoloured labels, the document list's rows, the status bar. It opens
documents, shows the layer chosen, and compares the project with what is shown when another
program may have changed it (``refresh``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QTableView

from annotator.changes import Changes, compare_labels, compare_spans
from annotator.collector import collector_paused
from annotator.gui.controllers.suggestions import annotation_count
from annotator.gui.panels.span_list import SpanListModel, show_row
from annotator.session.layers import EVERYONE

if TYPE_CHECKING:
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.controllers.shell import Shell
    from annotator.gui.panels.document_list import DocumentList
    from annotator.gui.panels.status_bar import StatusFields
    from annotator.session.document_model import DocumentModel, Selection
    from annotator.session.project_model import Applied, ProjectModel


def _labels_named(changes: Changes) -> set[str]:
    """Every name the changed labels had or have: the highlights to paint again."""
    names = {c.before.name for c in changes.labels.values() if c.before is not None}
    return names | {c.after.name for c in changes.labels.values() if c.after is not None}


class Display:
    def __init__(
        self,
        project: ProjectModel,
        document: DocumentModel,
        view: ArticleView,
        span_model: SpanListModel,
        span_table: QTableView,
        documents: DocumentList,
        status: StatusFields,
        editor: Editor,
        shell: Shell,
        *,
        remember_position: Callable[[], None],
        suggestions_shown: Callable[[int], None] = lambda _n: None,
    ) -> None:
        self.project = project
        self.document = document
        self.view = view
        self.span_model = span_model
        self.span_table = span_table
        self.documents = documents
        self.status = status
        self.editor = editor
        self.shell = shell
        self.remember_position = remember_position
        self.suggestions_shown = suggestions_shown
        #: store.data_version() when the project was last read (see ``refresh``)
        self.seen_version: int | None = None
        project.events.changed.connect(self._changed)
        document.events.selected.connect(self._span_selected)
        document.events.loaded.connect(self.update_status)
        document.events.loaded.connect(self._counted)
        document.events.changed.connect(lambda _found: self._counted())
        documents.view.selectionModel().currentRowChanged.connect(self._document_chosen)
        documents.model.modelReset.connect(self._list_reset)

    # -- documents ---------------------------------------------------------------------------

    def open_document(self, document_id: int, *, remember: bool = True) -> None:
        """Show a document with its spans as the store has them now (other windows' too)."""
        store = self.project.require_store()
        if remember and self.document.document_id not in (None, document_id):
            self.remember_position()
        # A long article brings tens of thousands of objects that live while it is open: the
        # collector would walk them again and again while they are made (10-25 ms a pass).
        with collector_paused():
            text = store.documents.text(document_id)
            spans = store.spans.in_document(document_id)
            self.documents.model.show_span_count(document_id, annotation_count(spans))
            self.documents.show_current(document_id)
            relations = store.relations.in_document(document_id)
            layer = self.project.layer
            self.document.load(document_id, text, layer.spans(spans), relations)

    def _span_selected(self, now: Selection | None, previous: Selection | None) -> None:
        """The span list's row and the status bar follow the selected span."""
        span = self.document.selected_span
        show_row(self.span_table, self.span_model, self.span_model.row_of(span) if span else None)
        if span is not None and now != previous:
            self.status.show_span(span)

    def _document_chosen(self, current: Any, _previous: Any) -> None:
        doc = self.documents.document_at(current.row()) if current.isValid() else None
        if doc is not None and doc != self.document.document_id:
            self.open_document(doc)

    def _list_reset(self) -> None:
        """The list was filtered or read again: mark the open document's row, recount."""
        self.documents.show_current(self.document.document_id)
        self.update_status()

    # -- the one road ------------------------------------------------------------------------

    def _changed(self, applied: Applied) -> None:
        """Show what a change changed. ``applied.document`` is opened first when another is
        open (an undo in another document), and ``applied.select`` is the span to select
        afterwards. Nothing is read back that the change says."""
        changes, store = applied.changes, self.project.store
        if applied.document not in (None, self.document.document_id) and store is not None:
            self.open_document(applied.document)
        self.document.apply(self.project.layer.changes(changes))
        if self.document.document_id in changes.reread:
            self.show_layer()  # a bulk write changed its spans without listing them
        if changes.labels:
            self.view.repaint_labels(_labels_named(changes))
        for change in changes.documents.values():
            if change.after is not None:
                self.documents.model.show_state(change.after)
        for doc, curator in changes.settled.items():
            self.documents.show_settled(doc, curator is not None)
        self.status.follow(changes)
        if changes.document_list and store is not None:
            self.documents.reload()
            self.status.count(store)
        if applied.select is not None:
            self.editor.select(applied.select)
        self.update_status()
        if applied.ours and changes:
            self.status.mark_saved()

    # -- the layer shown ---------------------------------------------------------------------

    def show_layer(self) -> None:
        """The open document's spans as the chosen layer has them: only the spans that
        differ are painted again, and the caret and the scroll position stay."""
        self.span_model_shows_analysts()
        store, doc = self.project.store, self.document.document_id
        if store is None or doc is None:
            return
        stored = self.project.layer.spans(store.spans.in_document(doc))
        changes = compare_spans(self.document.all_spans(), stored)
        self.document.apply(changes | self._relations_compared())

    def span_model_shows_analysts(self) -> None:
        shown = self.project.layer.kind == EVERYONE and self.project.team
        self.span_model.show_annotators(shown)
        store = self.project.store
        if shown and store is not None:
            metrics = self.span_table.fontMetrics()
            names = [*store.statuses.analysts(), "By"]
            widest = max(metrics.horizontalAdvance(n) for n in names)
            width = min(widest + 20, 16 * metrics.averageCharWidth())
            self.span_table.horizontalHeader().resizeSection(len(SpanListModel.COLUMNS), width)

    # -- other windows and programs on the same project --------------------------------------

    def refresh(self) -> bool:
        """Show the project as it is now, with what other windows and programs changed.

        Compares the labels and the open document's spans with the store's, and hands what
        differs to the project model like any other change; the document list (as filtered)
        and the progress are read again. A document's text never changes, so the article is
        not reloaded: the caret and the scroll position stay, only spans that differ are
        painted again, and a selected span stays selected while it exists. A text selection
        is dropped. False when the project could not be read (said in the status bar).
        """
        from annotator.store.project import ProjectError

        store = self.project.store
        if store is None:
            return False
        try:
            self.seen_version = store.data_version()
            changes = compare_labels(self.project.labels, store.labels.all())
            doc = self.document.document_id
            if doc is not None:
                self.view.clear_selection()
                stored = self.project.layer.spans(store.spans.in_document(doc))
                changes = changes | compare_spans(self.document.all_spans(), stored)
                changes = changes | self._relations_compared()
            changes.document_list = True
            self.project.set_team(len(store.statuses.analysts()) > 1)  # a merge meanwhile
            self.project.apply(changes, ours=False)
        except (ProjectError, sqlite3.Error) as e:
            self.shell.say(f"Could not read the project again: {e}", 8000)
            return False
        return True

    def _relations_compared(self) -> Changes:
        """The open document's relations as the store has them, against the model's."""
        from annotator.gui.commands.relations import compare_relations

        store, doc = self.project.store, self.document.document_id
        if store is None or doc is None:
            return Changes()
        stored = store.relations.in_document(doc)
        return compare_relations(self.document.relations, stored)

    def refresh_if_changed(self) -> bool:
        """Refresh when another connection committed since the project was last read.

        The window's own commits do not change ``data_version``, so its own work never
        triggers a refresh. True when it refreshed.
        """
        store = self.project.store
        if store is None:
            return False
        try:
            changed = store.data_version() != self.seen_version
        except sqlite3.Error as e:
            self.shell.say(f"Could not read the project again: {e}", 8000)
            return False
        return changed and self.refresh()

    # -- the status bar ----------------------------------------------------------------------

    def _counted(self) -> None:
        """Annotations and suggestions counted apart: in the status bar and the document
        list's Suggested column, which comes and goes with them."""
        doc = self.document.document_id
        suggested = len(self.document.suggestions)
        if doc is None:
            self.status.show_counts(None)
        else:
            self.status.show_counts(len(self.document.spans), suggested)
            model = self.documents.model
            columns = model.columnCount()
            model.show_suggested(doc, suggested)
            if model.columnCount() != columns:  # the Suggested column came or went
                self.documents.show_suggested_column()
                self.documents.show_current(doc)
        self.suggestions_shown(suggested)

    def update_status(self) -> None:
        store = self.project.store
        self.status.show(store is not None, self.documents.model, self.document.document_id)
