"""Tagging and correcting spans: the analyst's gestures turned into undoable commands.

Each gesture writes to the store first (so a refused change never reaches the undo stack),
then pushes its command with what the write changed; every command hands its changes to the
shell's ``apply_changes``, the one road to the views. The selected span is the document
model's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QTableView

from annotator.changes import changes_of
from annotator.gui.article.snapping import tidy_selection
from annotator.gui.commands.spans import (
    AddSpan,
    DeleteSpan,
    MoveSpan,
    RelabelSpan,
    SetAttributes,
    SetNote,
    SetStatus,
)
from annotator.model import Span, SpanError

if TYPE_CHECKING:
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.shell import Shell
    from annotator.gui.panels.span_list import SpanListModel
    from annotator.session.document_model import DocumentModel
    from annotator.session.project_model import Applied, ProjectModel


class Editor:
    """Owns the undo stack and the selected span; turns gestures into commands."""

    def __init__(
        self,
        project: ProjectModel,
        document: DocumentModel,
        view: ArticleView,
        span_model: SpanListModel,
        span_table: QTableView,
        shell: Shell,
        *,
        snapping: Callable[[], bool],
        parent: QObject,
    ) -> None:
        self.project = project
        self.shell = shell
        self.view = view
        self.model = span_model
        self.table = span_table
        self.snapping = snapping
        self.undo_stack: QUndoStack = QUndoStack(parent)
        self.undo_stack.setUndoLimit(0)  # unlimited: every step is already saved
        self.document = document
        #: The keys that tag and delete spans accept and reject a selected suggestion: the
        #: window hands these over once the suggestions' controller is made.
        self.accept_suggestion: Callable[[str | None], Span | None] = lambda _label: None
        self.reject_suggestion: Callable[[], Span | None] = lambda: None
        self.model.note_edited = self.set_note
        self.view.spansClicked.connect(self._clicked)
        self.view.edgeDragged.connect(self.drag_edge)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.table.doubleClicked.connect(self._cell_double_clicked)
        project.events.changed.connect(self._follow)

    # -- helpers --------------------------------------------------------------------------

    @property
    def store(self) -> Any:
        return self.project.store

    def _say(self, message: str) -> None:
        self.shell.say(message, 5000)

    def _guard(self, action, *args):
        """Run a store write; a refusal becomes one sentence in the status bar or a dialog."""
        from annotator.store.project import ProjectError

        try:
            return action(*args)
        except SpanError as e:
            self._say(f"Not changed: {e}")
            # perhaps another window or program changed the project: show it (after this
            # gesture's button or action has finished, as a refresh may replace them)
            QTimer.singleShot(0, self.shell.refresh_if_changed)
        except ProjectError as e:
            self.shell.show_error(str(e))
        return None

    def selected_span(self) -> Span | None:
        return self.document.selected_span

    def _own(self, span: Span) -> bool:
        """Edits apply to the analyst's own spans (another's is shown, not changed)."""
        if self.project.layer.editable(span):
            return True
        self._say(f"This {span.label} is {span.annotator}'s: you can change only your own spans.")
        return False

    # -- gestures -------------------------------------------------------------------------

    def tag(self, label: str, exact: bool = False) -> Span | None:
        """With text selected: a new span (always). Without: relabel the selected span."""
        doc = self.document.document_id
        if self.store is None or doc is None:
            return None
        selected = self.view.selection_cp()
        if selected is None and self.document.selected_suggestion is not None:
            return self.accept_suggestion(label)  # accepted as this label
        if selected is None:
            span = self.selected_span()
            if span is None:
                self._say("Select some text to tag, or click a span to change its label.")
                return None
            return self.relabel(span, label)
        snap = self.snapping() and not exact
        edges = tidy_selection(self.view.text, *selected, snap=snap)
        if edges is None:
            self._say("Only white space is selected: nothing to tag.")
            return None
        origin = self.project.layer.new_origin
        span = self._guard(
            lambda: self.store.spans.add(doc, edges[0], edges[1], label, origin=origin)
        )
        if span is None:
            return None
        self.view.clear_selection()
        self._push(AddSpan(span, self.store, self.shell), span)
        return span

    def relabel(self, span: Span, label: str) -> Span | None:
        """Give the span ``label``. Relations that would no longer fit their types are named
        and removed with it, in one undo step, once the analyst says yes (No is the default)."""
        if span.label == label or not self._own(span):
            return span
        unfit = self._guard(self.store.spans.unfit_relations, span, label)
        if unfit is None:
            return None
        if unfit:
            kinds = " and ".join(sorted({r.label for r in unfit}))
            those = f"{len(unfit)} {kinds} relation{'s' if len(unfit) > 1 else ''}"
            question = (
                f"This {span.label} has {those} that a {label} cannot have. Relabel it as "
                f"{label} and remove {'them' if len(unfit) > 1 else 'it'}? (Ctrl+Z undoes both.)"
            )
            if not self.shell.confirm("Relabel", question):
                self._say(f"Not relabelled: its {those} would no longer fit.")
                return None
        assert span.id is not None
        span_id = span.id
        after = self._guard(lambda: self.store.spans.relabel(span_id, label, drop_unfit=True))
        if after is not None:
            self._push(RelabelSpan(span, after, self.store, self.shell), after)
            if unfit:
                self._say(f"Relabelled {span.label} \u2192 {label} and removed {those}.")
        return after

    def delete_selected(self) -> None:
        if self.document.selected_suggestion is not None:
            self.reject_suggestion()
            return
        span = self.selected_span()
        if span is None:
            self._say("Click a span first to delete it.")
            return
        if not self._own(span):
            return
        gone = self._guard(self.store.spans.delete, span.id)
        if gone is not None:
            self._push(DeleteSpan(span, self.store, self.shell), gone)

    def move_edge(self, edge: str, forward: bool, *, by_word: bool = False) -> None:
        """Move the selected span's (or suggestion's) start or end by one character (a whole
        grapheme), or ``by_word`` to the next start or end of a word."""
        from annotator.session.text_units import word_edge

        span = self.selected_span() or self.document.selected_suggestion
        if span is None:
            self._say("Click a span first to move its edges.")
            return
        if not self._own(span):
            return
        start, end = span.start, span.end
        at = start if edge == "start" else end
        if by_word:
            moved = word_edge(self.view.text, at, start=edge == "start", forward=forward)
            if moved is None:
                self._say(f"No word {'after' if forward else 'before'} the span's {edge}.")
                return
        else:
            moved = self.view.step_cp(at, forward)
        if edge == "start":
            start = moved
        else:
            end = moved
        if start >= end:
            self._say("A span cannot become empty.")
            return
        if (start, end) == (span.start, span.end):
            return
        after = self._guard(self.store.spans.move, span.id, start, end)
        if after is not None:
            command = MoveSpan(span, after, self.store, self.shell, edge=edge, forward=forward)
            self._push(command, after)

    def drag_edge(self, span_id: int, edge: str, cp: int) -> None:
        """The selected span's edge dragged with the mouse to ``cp``: one undoable step."""
        span = self.selected_span()
        if span is None or span.id != span_id or not self._own(span):
            return
        start, end = (cp, span.end) if edge == "start" else (span.start, cp)
        if start >= end:
            self._say("A span cannot become empty: its start stays before its end.")
            return
        if (start, end) == (span.start, span.end):
            return
        after = self._guard(self.store.spans.move, span.id, start, end)
        if after is not None:
            forward = (start if edge == "start" else end) > (
                span.start if edge == "start" else span.end
            )
            command = MoveSpan(
                span, after, self.store, self.shell, edge=edge, forward=forward, merges=False
            )
            self._push(command, after)

    def edit_note(self) -> None:
        if self.document.selected_suggestion is not None:
            self._say("Accept the suggestion first (Enter), then write a note on it.")
            return
        span = self.selected_span()
        if span is None:
            self._say("Click a span first to write a note on it.")
            return
        if not self._own(span):
            return
        note = self.shell.ask_note(
            "Note", f"Note on this {span.label}.", span.note or "", span=span
        )
        if note is not None and span.id is not None:
            self.set_note(span.id, note)

    def _cell_double_clicked(self, index: Any) -> None:
        """Double-clicking a span's Attributes cell edits them, as A does (the row was made
        the selected span by the first click)."""
        from annotator.gui.panels.span_list import ATTRIBUTES_COLUMN

        if index.isValid() and index.column() == ATTRIBUTES_COLUMN:
            self.edit_attributes()

    def edit_attributes(self) -> None:
        """The selected span's attributes, as its label declares them (A)."""
        span = self.selected_span()
        if span is None:
            self._say("Click a span first to give it attributes.")
            return
        if not self._own(span):
            return
        declared = self.store.labels.get(span.label).attributes
        if not declared:
            self._say(f"The label {span.label} declares no attributes (Edit → Labels…).")
            return
        values = self.shell.ask_attributes(span.label, declared, dict(span.attributes))
        if values is not None and span.id is not None:
            self.set_attributes(span.id, values)

    def set_attributes(self, span_id: int, values: dict[str, str]) -> None:
        span = self.document.spans.get(span_id)
        clean = {k: v.strip() for k, v in values.items() if v and v.strip()}
        if span is None or clean == span.attributes or not self._own(span):
            return
        after = self._guard(self.store.spans.set_attributes, span_id, clean)
        if after is not None:
            self._push(SetAttributes(span, after, self.store, self.shell), after)

    def set_note(self, span_id: int, note: str | None) -> None:
        span = self.document.spans.get(span_id)
        note = (note or "").strip() or None
        if span is None or note == span.note or not self._own(span):
            return
        after = self._guard(self.store.spans.set_note, span_id, note)
        if after is not None:
            self._push(SetNote(span, after, self.store, self.shell), after)

    def set_status(self, document_id: int, status: str) -> bool:
        before = self._guard(self.store.statuses.set, document_id, status)
        if before is None:
            return False
        if before != status:
            command = SetStatus(document_id, str(before), status, self.store, self.shell)
            self._push(command, before)
        return True

    def _push(self, command, result: object) -> None:
        """Push a command whose first write returned ``result``; its first redo shows it."""
        self.undo_stack.push(command.pushed_after(changes_of(result)))

    def _follow(self, applied: Applied) -> None:
        renamed = applied.changes.renamed_labels()
        if renamed:
            self.follow_rename(renamed)

    def follow_rename(self, renamed: dict[str, str]) -> None:
        """Labels were renamed: the steps on the undo stack remember spans by the new names."""
        for n in range(self.undo_stack.count()):
            command = self.undo_stack.command(n)
            for old, new in renamed.items():
                follow = getattr(command, "follow_rename", None)
                if follow is not None:
                    follow(old, new)

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

    # -- selection of a span (held by the document model) --------------------------------

    @property
    def selected(self) -> int | None:
        span = self.document.selected_span
        return span.id if span is not None else None

    def _clicked(self, ids: list[int]) -> None:
        """A click on a highlight selects its innermost span; clicking again cycles outward."""
        if not ids:
            self.select(None)
        elif self.selected in ids and len(ids) > 1:
            self.select(ids[(ids.index(self.selected) + 1) % len(ids)])
        else:
            self.select(ids[0])

    def _row_chosen(self, current, _previous) -> None:
        if current.isValid():
            span = self.model.spans[current.row()]
            self.select(span.id, reveal=True)

    def select(self, span_id: int | None, *, reveal: bool = False) -> None:
        self.document.select(span_id)
        span = self.document.selected_span
        if span is not None and reveal:
            self.view.reveal_span(span)

    def change_failed(self, error: Exception) -> None:
        """An undo or redo was refused (or could not be written): show the project as it is
        now, then say why. The command marked itself obsolete, so the stack drops the step."""
        self.shell.refresh()
        self.shell.show_error(
            f"The change could not be made: {error}. It was taken off the undo history."
        )
