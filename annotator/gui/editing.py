"""Tagging and correcting spans: the analyst's gestures turned into undoable commands.

Each gesture writes to the store first (so a refused change never reaches the undo stack),
then pushes its command; the commands call back the ``span_*`` methods here, which update
exactly the pieces of the window that show that span.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QTime, QTimer
from PySide6.QtGui import QUndoStack

from annotator.gui.commands import AddSpan, DeleteSpan, MoveSpan, RelabelSpan, SetNote, SetStatus
from annotator.gui.snapping import tidy_selection
from annotator.model import Span, SpanError

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class Editor:
    """Owns the undo stack and the selected span; implements ``commands.ChangeListener``."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.view = window.article
        self.model = window.span_model
        self.table = window.span_table
        self.undo_stack = QUndoStack(window)
        self.undo_stack.setUndoLimit(0)  # unlimited: every step is already saved
        self.selected: int | None = None
        self.model.note_edited = self.set_note
        self.view.spansClicked.connect(self._clicked)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)

    # -- helpers --------------------------------------------------------------------------

    @property
    def store(self):  # noqa: ANN201 (Store, imported lazily)
        return self.window.store

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 5000)

    def _saved(self) -> None:
        self.window.mark_saved(QTime.currentTime().toString("HH:mm:ss"))

    def _guard(self, action, *args):  # noqa: ANN001, ANN202
        """Run a store write; a refusal becomes one sentence in the status bar or a dialog."""
        from annotator.store import ProjectError

        try:
            return action(*args)
        except SpanError as e:
            self._say(f"Not changed: {e}")
            # perhaps another window or program changed the project: show it (after this
            # gesture's button or action has finished, as a refresh may replace them)
            QTimer.singleShot(0, self.window.refresh_if_changed)
        except ProjectError as e:
            self.window.show_error(str(e))
        return None

    def selected_span(self) -> Span | None:
        return self.view.spans.get(self.selected) if self.selected is not None else None

    # -- gestures -------------------------------------------------------------------------

    def tag(self, label: str, exact: bool = False) -> Span | None:
        """With text selected: a new span (always). Without: relabel the selected span."""
        doc = self.window.current_document
        if self.store is None or doc is None:
            return None
        selected = self.view.selection_cp()
        if selected is None:
            span = self.selected_span()
            if span is None:
                self._say("Select some text to tag, or click a span to change its label.")
                return None
            return self.relabel(span, label)
        snap = self.window.snap_action.isChecked() and not exact
        edges = tidy_selection(self.view.text, *selected, snap=snap)
        if edges is None:
            self._say("Only white space is selected: nothing to tag.")
            return None
        span = self._guard(self.store.add_span, doc, edges[0], edges[1], label)
        if span is None:
            return None
        self.view.clear_selection()
        self.undo_stack.push(AddSpan(span, self.store, self))
        return span

    def relabel(self, span: Span, label: str) -> Span | None:
        if span.label == label:
            return span
        after = self._guard(self.store.relabel_span, span.id, label)
        if after is not None:
            self.undo_stack.push(RelabelSpan(span, after, self.store, self))
        return after

    def delete_selected(self) -> None:
        span = self.selected_span()
        if span is None:
            self._say("Click a span first to delete it.")
            return
        if self._guard(self.store.delete_span, span.id) is not None:
            self.undo_stack.push(DeleteSpan(span, self.store, self))

    def move_edge(self, edge: str, forward: bool) -> None:
        """Move the selected span's start or end by one character (a whole grapheme)."""
        span = self.selected_span()
        if span is None:
            self._say("Click a span first to move its edges.")
            return
        start, end = span.start, span.end
        if edge == "start":
            start = self.view.step_cp(start, forward)
        else:
            end = self.view.step_cp(end, forward)
        if start >= end:
            self._say("A span cannot become empty.")
            return
        if (start, end) == (span.start, span.end):
            return
        after = self._guard(self.store.move_span, span.id, start, end)
        if after is not None:
            self.undo_stack.push(MoveSpan(span, after, self.store, self))

    def edit_note(self) -> None:
        span = self.selected_span()
        if span is None:
            self._say("Click a span first to write a note on it.")
            return
        note = self.window.ask_text("Note", f"Note on this {span.label}:", span.note or "")
        if note is not None:
            self.set_note(span.id, note)

    def set_note(self, span_id: int, note: str | None) -> None:
        span = self.view.spans.get(span_id)
        note = (note or "").strip() or None
        if span is None or note == span.note:
            return
        after = self._guard(self.store.set_note, span_id, note)
        if after is not None:
            self.undo_stack.push(SetNote(span, after, self.store, self))

    def set_status(self, document_id: int, status: str) -> bool:
        before = self._guard(self.store.set_status, document_id, status)
        if before is None:
            return False
        if before != status:
            self.undo_stack.push(SetStatus(document_id, before, status, self.store, self))
        return True

    def cycle(self, step: int = 1) -> None:
        """Tab: the next of the spans overlapping at the caret (or at the selected span)."""
        ids = self.view.spans_near_caret()
        current = self.selected_span()
        if not ids and current is not None:
            ids = self.view.spans_at_cp(current.start)
        if not ids:
            self._say("No span here.")
            return
        i = ids.index(self.selected) + step if self.selected in ids else 0
        self.select(ids[i % len(ids)])

    def deselect(self) -> None:
        self.view.clear_selection()
        self.select(None)

    # -- selection of a span --------------------------------------------------------------

    def _clicked(self, ids: list[int]) -> None:
        """A click on a highlight selects its innermost span; clicking again cycles outward."""
        if not ids:
            self.select(None)
        elif self.selected in ids and len(ids) > 1:
            self.select(ids[(ids.index(self.selected) + 1) % len(ids)])
        else:
            self.select(ids[0])

    def _row_chosen(self, current, _previous) -> None:  # noqa: ANN001
        if current.isValid():
            span = self.model.spans[current.row()]
            self.select(span.id, reveal=True)

    def select(self, span_id: int | None, *, reveal: bool = False) -> None:
        self.selected = span_id if span_id in self.view.spans else None
        self.view.set_selected_span(self.selected)
        span = self.selected_span()
        self._show_row(self.model.row_of(span) if span else None)
        if span is not None and reveal:
            self.view.reveal_span(span)
        if span is not None:
            self.window.statusBar().showMessage(
                f"{span.label} [{span.start}, {span.end}) by {span.annotator}"
                + (f" — {span.note}" if span.note else ""),
                4000,
            )

    def _show_row(self, row: int | None) -> None:
        """Make ``row`` the span list's current, selected row (None: no row), scrolled into
        view. The selection model's signals are blocked, so this is never taken for the analyst
        choosing a row (nor does it close a note being edited); the view, which is not told
        either, repaints just the rows that were and are selected."""
        selection = self.table.selectionModel()
        before = {index.row() for index in selection.selectedRows()}
        current = selection.currentIndex()
        if current.isValid():
            before.add(current.row())
        blocked = selection.blockSignals(True)
        try:
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(
                    self.model.index(-1, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )
            else:
                index = self.model.index(row, 0)
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)  # EnsureVisible: does not move a visible row
        finally:
            selection.blockSignals(blocked)
        if row is not None:
            before.add(row)
        viewport = self.table.viewport()
        width = viewport.width()
        for n in before:
            cell = self.table.visualRect(self.model.index(n, 0))
            if cell.isValid():
                viewport.update(0, cell.y(), width, cell.height())

    # -- ChangeListener: what the commands report ------------------------------------------

    def _show_document_of(self, document_id: int) -> bool:
        """True when the change is in the open document; otherwise open the one it is in."""
        if document_id == self.window.current_document:
            return True
        self.window.open_document(document_id)
        return False

    def span_added(self, span: Span) -> None:
        if self._show_document_of(span.document_id):
            shown = self.view.spans.get(span.id) if span.id is not None else None
            if shown is None:
                self.view.add_span(span)
                self.model.insert(span)
            else:  # already read back from the store by a refresh
                self.view.update_span(span)
                self.model.replace(shown, span)
        self.select(span.id)
        self.window.document_changed(span.document_id)
        self._saved()

    def span_removed(self, span: Span) -> None:
        if self._show_document_of(span.document_id):
            if self.selected == span.id:
                self.select(None)
            self.view.remove_span(span.id)
            self.model.remove(span)
            # The table lays itself out again after a row goes on a zero timer, a pass of the
            # event loop after this change is painted: the rows below showed stale until then,
            # and the whole list was painted twice. At once: one paint, right the first time.
            # (After an add or a move, selecting the row does this through scrollTo.)
            self.table.doItemsLayout()
        self.window.document_changed(span.document_id)
        self._saved()

    def span_changed(self, before: Span, after: Span) -> None:
        if self._show_document_of(after.document_id):
            self.view.update_span(after)
            self.model.replace(before, after)
        self.select(after.id)
        self._saved()

    def status_changed(self, document_id: int, status: str) -> None:
        self._show_document_of(document_id)
        self.window.document_changed(document_id)
        self._saved()

    def change_failed(self, error: Exception) -> None:
        """An undo or redo was refused (or could not be written): show the project as it is
        now, then say why. The command marked itself obsolete, so the stack drops the step."""
        self.window.refresh()
        self.window.show_error(
            f"The change could not be made: {error}. It was taken off the undo history."
        )

    # -- a refresh: what other windows and programs changed --------------------------------

    def show_stored_spans(self, spans: list[Span]) -> bool:
        """Make highlights and the span list show ``spans`` (the store's, for the open
        document), repainting only the spans that differ. True when any did."""
        stored = {s.id: s for s in spans if s.id is not None}
        shown = dict(self.view.spans)
        differ = False
        for span_id, old in shown.items():
            if span_id not in stored:
                self.view.remove_span(span_id)
                self.model.remove(old)
                differ = True
        for span_id, new in stored.items():
            old = shown.get(span_id)
            if old is None:
                self.view.add_span(new)
                self.model.insert(new)
                differ = True
            elif old != new:
                self.view.update_span(new)
                self.model.replace(old, new)
                differ = True
        if differ:
            self.select(self.selected)  # gone: deselected; moved: its row again
        return differ
