"""Suggestions in the window: drawn apart, listed apart, counted apart, taken one key at a time.

The window composes one :class:`Suggestions` part (``window.suggestions``). It lays the outline
overlay over the article, makes the list of suggestions (its ``panel``, which the window puts
under the span list), and turns the analyst's gestures into undoable steps on the editor's
undo stack: the next and previous suggestion, accept (as its own label or another), reject,
accept every suggestion of a label, and asking the suggesters for more. Every change reaches
the views through the shell's ``apply_changes``.

A suggestion's edges move with the same keys as a span's (the editor's ``move_edge``), so an
analyst corrects it and then accepts it.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import QMenu, QProgressDialog, QToolTip

from annotator.changes import Changes, changes_of
from annotator.gui.article.suggestion_overlay import SuggestionOverlay
from annotator.gui.commands.suggestions import (
    AcceptSuggestions,
    RejectSuggestion,
    relations_in,
    removed_spans,
)
from annotator.gui.panels.suggestion_list import SuggestionListModel, SuggestionPanel, describe
from annotator.model import Span, SpanError
from annotator.session.document_model import Selection

if TYPE_CHECKING:
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.controllers.shell import Shell
    from annotator.session.document_model import DocumentModel
    from annotator.session.project_model import ProjectModel
    from annotator.suggest.learned.model import LearnedModel
    from annotator.suggest.running import SuggestReport

# "Suggest for all documents not done" stores each chunk in a transaction of its own, so the
# window stays responsive and Stop keeps what was done.
CHUNK = 20
KEYS_HINT = "Enter accepts · a label's key accepts as that label · Delete rejects"


def _key(span: Span) -> tuple[int, int, int]:
    return (span.start, span.end, span.id or 0)


def annotation_count(spans: list[Span]) -> int:
    """How many of a document's spans are annotations (as its Spans column counts them)."""
    return sum(1 for s in spans if s.origin != "suggested")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class _ViewportWatcher(QObject):
    """Hovering and clicking in the article, as far as suggestions are concerned."""

    def __init__(self, part: Suggestions) -> None:
        super().__init__(part.view)
        self.part = part
        self.released_at: QPoint | None = None
        self.selection_at_press: Selection | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            self.selection_at_press = self.part.document.selection
            self.released_at = None
        elif kind == QEvent.Type.MouseButtonRelease:
            self.released_at = event.position().toPoint()  # type: ignore[attr-defined]
        elif kind == QEvent.Type.ToolTip:
            return self.part.show_tooltip(event)
        return False


class Suggestions:
    def __init__(
        self,
        project: ProjectModel,
        document: DocumentModel,
        view: ArticleView,
        editor: Editor,
        shell: Shell,
    ) -> None:
        self.project = project
        self.document = document
        self.view = view
        self.editor = editor
        self.shell = shell
        self._colours_of: tuple[int, dict[str, str]] = (0, {})
        self.overlay = SuggestionOverlay(self.view, self.colours)
        self.list_model = SuggestionListModel(self.colours, view)
        self.list_model.set_palette(view.palette())
        self.list_model.attach(self.document)
        self.panel = SuggestionPanel(self.list_model)
        self.panel.suggest.clicked.connect(self.suggest_document)
        events = self.document.events
        events.selected.connect(self._selected)
        self.panel.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        # connected after the editor's: a click on a suggestion selects it once the editor
        # has looked for spans under it
        self.view.spansClicked.connect(self._clicked)
        self.watcher = _ViewportWatcher(self)
        self.view.viewport().installEventFilter(self.watcher)
        #: The project's learned model (None: it has none), run beside the built-in
        #: suggesters; the window's learning part gives it.
        self.learned_model: Callable[[], LearnedModel | None] = lambda: None

    def colours(self) -> dict[str, str]:
        """Each label's colour by name, as the project has its labels now."""
        labels = self.project.labels
        if self._colours_of[0] != id(labels):
            self._colours_of = (id(labels), {lab.name: lab.color for lab in labels})
        return self._colours_of[1]

    # -- selection: the list row, the status bar, clicks and hovering ----------------------

    def _selected(self, now: Selection | None, previous: Selection | None) -> None:
        chosen = self.document.selected_suggestion
        self.panel.show_row(self.list_model.row_of_id(chosen.id) if chosen and chosen.id else None)
        if chosen is not None and now != previous:
            self._say(f"{describe(chosen)} — {KEYS_HINT} · ] next")

    def _row_chosen(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            self.show(self.list_model.spans[current.row()])

    def _clicked(self, ids: list[int]) -> None:
        """A click on a suggestion selects it; clicking again cycles through the spans and
        suggestions under the point, innermost spans first."""
        point = self.watcher.released_at
        proposed = self.overlay.suggestions_at(point) if point is not None else []
        if not proposed:
            return  # the editor's choice stands
        every = [*ids, *proposed]
        before = self.watcher.selection_at_press
        if before is not None and before.id in every:
            choice = every[(every.index(before.id) + 1) % len(every)]
        else:
            choice = every[0]
        self.editor.select(choice)

    def show_tooltip(self, event: Any) -> bool:
        """Hovering a suggestion says what it is and who proposed it (and the spans there)."""
        ids = self.overlay.suggestions_at(event.pos())
        if not ids:
            return False  # the article's own tooltip
        cp = self.view.offsets.from_utf16(self.view.cursorForPosition(event.pos()).position())
        lines = list(self.view.labels_at(cp))
        lines += [
            describe(self.document.suggestions[i]) for i in ids if i in self.document.suggestions
        ]
        lines.append(KEYS_HINT)
        QToolTip.showText(event.globalPos(), "\n".join(lines), self.view.viewport())
        return True

    def show(self, suggestion: Span) -> None:
        """Select a suggestion and scroll to it; the article takes the keys, so that Enter,
        Shift+Enter and Delete act on it wherever the focus was."""
        assert suggestion.id is not None
        self.editor.select(suggestion.id)
        self.view.reveal_span(suggestion)
        self.view.setFocus()

    # -- gestures ------------------------------------------------------------------------

    def _say(self, message: str) -> None:
        self.shell.say(message, 6000)

    def ordered(self) -> list[Span]:
        return sorted(self.document.suggestions.values(), key=_key)

    def step(self, forward: bool) -> Span | None:
        """The next (or previous) suggestion after the selected one, or after the caret;
        past the last, the first again."""
        ordered = self.ordered()
        if not ordered:
            self._say(
                "No suggestions in this document: Tag → Suggest for this document (F8) asks"
                " for some."
            )
            return None
        keys = [_key(s) for s in ordered]
        chosen = self.document.selected_suggestion
        if chosen is not None:
            at = _key(chosen)
            i = bisect_right(keys, at) if forward else bisect_left(keys, at) - 1
        else:
            caret = (self.view.caret_cp(), -1, -1)
            i = bisect_left(keys, caret) if forward else bisect_left(keys, caret) - 1
        wrapped = not 0 <= i < len(ordered)
        suggestion = ordered[i % len(ordered)]
        self.show(suggestion)
        if wrapped and len(ordered) > 1:
            self._say(f"Back to the {'first' if forward else 'last'} suggestion.")
        return suggestion

    def _selected_or_say(self) -> Span | None:
        chosen = self.document.selected_suggestion
        if chosen is None:
            self._say("Select a suggestion first: ] goes to the next one, [ to the previous.")
            return None
        if not self.project.layer.editable(chosen):
            self._say("Review mode takes spans from the analysts' layers, not suggestions (F6).")
            return None
        return chosen

    def _write(self, action: Callable[[], Any]) -> Any:
        """A store write; a refusal becomes one sentence in the status bar or a dialog."""
        from annotator.store.project import ProjectError

        try:
            return action()
        except SpanError as e:
            self._say(f"Not changed: {e}")
            QTimer.singleShot(0, self.shell.refresh_if_changed)
        except ProjectError as e:
            self.shell.show_error(str(e))
        return None

    def _push(self, command: Any, changes: Changes) -> None:
        self.editor.undo_stack.push(command.pushed_after(changes))

    def accept(self, label: str | None = None) -> Span | None:
        """The selected suggestion becomes the analyst's span (its own label, or ``label``),
        with what was suggested along with it (a quote's speaker and the relation)."""
        from annotator.suggest.running import accept_with_partners

        shell, store = self.shell, self.project.store
        chosen = self._selected_or_say()
        if chosen is None or chosen.id is None or store is None:
            return None
        span_id = chosen.id
        done = self._write(lambda: accept_with_partners(store, span_id, label=label))
        if done is None:
            return None
        accepted, changes = done
        step = AcceptSuggestions(accepted, store, shell, relations_in(changes), one=True)
        self._push(step, changes)
        self._move_on(chosen, "Accepted")
        if len(accepted) > 1:  # "Accepted suggested quote with its speaker.", said last
            left = "" if self.ordered() else " That was the last suggestion here."
            self._say(f"Accepted {step.text().removeprefix('Accept ')}.{left}")
        return accepted[0][1]

    def accept_selected_label(self) -> list[Span]:
        """Every suggestion of the selected one's label in this document."""
        chosen = self._selected_or_say()
        return self.accept_all(chosen.label) if chosen is not None else []

    def accept_all(self, label: str) -> list[Span]:
        """Every suggestion of ``label`` in this document becomes the analyst's span: one step."""
        from annotator.suggest.running import accept_with_partners

        store = self.project.store
        todo = [s for s in self.ordered() if s.label == label and self.project.layer.editable(s)]
        if store is None or not todo:
            self._say(f"No suggested {label} in this document.")
            return []

        def accept_them() -> tuple[list[tuple[Span, Span]], Changes]:
            pairs: list[tuple[Span, Span]] = []
            changes = Changes()
            with store.transaction():
                for s in todo:
                    if s.id in {a.id for a, _ in pairs}:
                        continue  # accepted already, along with another
                    more, changed = accept_with_partners(store, s.id)  # type: ignore[arg-type]
                    pairs += more
                    changes |= changed
            return pairs, changes

        done = self._write(accept_them)
        if not done or not done[0]:
            return []
        accepted, changes = done
        step = AcceptSuggestions(accepted, store, self.shell, relations_in(changes), one=False)
        self._push(step, changes)
        self._choose_after(todo[0])  # the next decision is one key away again
        self._say(f"Accepted {_plural(len(todo), 'suggested ' + label)}.")
        return [span for suggestion, span in accepted if suggestion.label == label]

    def reject(self) -> Span | None:
        """The selected suggestion goes, and is never proposed again on this document."""
        from annotator.suggest.running import reject_suggestion

        shell, store = self.shell, self.project.store
        chosen = self._selected_or_say()
        if chosen is None or chosen.id is None or store is None:
            return None
        span_id = chosen.id
        gone = self._write(lambda: reject_suggestion(store, span_id))
        if gone is not None:
            changes = changes_of(gone)
            along = removed_spans(changes, but=span_id)
            step = RejectSuggestion(
                chosen, store, shell, along=along, relations=relations_in(changes)[0]
            )
            self._push(step, changes)
            self._move_on(chosen, "Rejected")
        return gone

    def _move_on(self, decided: Span, done: str) -> None:
        """One key per decision: after one, the next suggestion in the text is chosen (the
        span just accepted stays one key away, Ctrl+Up)."""
        wrapped = self._choose_after(decided)
        if wrapped is None:
            self._say(f"{done}: that was the last suggestion here (Ctrl+Enter: done, next).")
        elif wrapped:
            self._say(f"{done}. Back to the first suggestion left.")

    def _choose_after(self, decided: Span) -> bool | None:
        """Choose the first suggestion after ``decided`` in the text, or the first of all
        when none follows it (True); None when none is left."""
        ordered = self.ordered()
        if not ordered:
            return None
        after = _key(decided)
        following = next((s for s in ordered if _key(s) > after), None)
        self.show(following if following is not None else ordered[0])
        return following is None

    def fill_accept_menu(self, menu: QMenu) -> None:
        """Tag → Accept all suggested: one item per label, with how many wait here."""
        menu.clear()
        counts = Counter(s.label for s in self.document.suggestions.values())
        for lab in self.project.labels:
            n = counts.get(lab.name, 0)
            item = menu.addAction(f"{lab.name} ({n})")
            item.setEnabled(n > 0)
            item.triggered.connect(lambda _=False, name=lab.name: self.accept_all(name))

    # -- asking the suggesters -------------------------------------------------------------

    def _run(self, documents: list[int], progress: Any = None) -> SuggestReport | None:
        """The built-in suggesters on ``documents``, and the learned model when the project
        has one, in one transaction."""
        from annotator.store.project import ProjectError
        from annotator.suggest.builtin.patterns import PatternError
        from annotator.suggest.learned.suggesting import suggest_learned
        from annotator.suggest.running import SuggestError, run_suggesters

        store = self.project.require_store()
        model = self._learned_model()
        try:
            with store.transaction():
                report = run_suggesters(store, None, documents=documents, progress=progress)
                if model is not None:
                    report = report.merge(suggest_learned(store, documents, model=model))
            return report
        except (SuggestError, PatternError) as e:
            self.shell.show_error(f"No suggestions were made: {e}")
        except (ProjectError, sqlite3.Error) as e:
            self.shell.show_error(
                f"No suggestions were made: the project could not be written ({e})."
            )
        return None

    def _learned_model(self) -> LearnedModel | None:
        """The project's learned model, to run beside the rules; None when it has none, or
        one that cannot be read (said in the status bar: the rules run all the same)."""
        from annotator.suggest.learned.model import ModelError

        try:
            return self.learned_model()
        except ModelError as e:
            self._say(f"Only the built-in suggesters ran: {e}.")
            return None

    def _usable(self) -> bool:
        if self.project.store is None:
            self.shell.show_error("Open a project first.")
            return False
        if self.project.reviewing:
            self._say("Review mode shows the curated layer only: leave it (F6) to see suggestions.")
            return False
        return True

    def _show(self, report: SuggestReport, *, document_list: bool = False) -> None:
        """Show what the suggesters changed, as the run returned it (nothing is read back)."""
        changes = report.changes | Changes(document_list=document_list)
        self.shell.apply_changes(changes, ours=True)

    def suggest_document(self) -> SuggestReport | None:
        """Tag → Suggest for this document: the built-in suggesters on the open document, and
        the learned model when the project has one."""
        doc = self.document.document_id
        if not self._usable():
            return None
        if doc is None:
            self._say("Open a document first.")
            return None
        report = self._run([doc])
        if report is None:
            return None
        self._show(report)
        n = len(self.document.suggestions)
        if n:
            found = ", ".join(
                f"{label} {count}"
                for label, count in sorted(
                    Counter(s.label for s in self.document.suggestions.values()).items()
                )
            )
            self.step(True)  # the first after the caret, chosen: Enter or Delete decide it
            said = (
                f"{_plural(n, 'suggestion')} here ({found}): Enter accepts the chosen one,"
                " Delete rejects it, ] goes to the next one."
            )
        else:
            left = f" ({report.not_again} left out: rejected before, or tagged)"
            said = "No suggestions for this document" + (left if report.not_again else ".")
        # what would make a suggester that could not run here run, after what was found
        said += "".join(f" {k.capitalize()} not run: {why}." for k, why in report.skipped.items())
        self._say(said)
        return report

    def suggest_all(self) -> SuggestReport | None:
        """Tag → Suggest for all documents not done (the built-in suggesters and the learned
        model), with progress; Stop keeps what is done."""
        from annotator.suggest.running import SuggestReport, documents_to_suggest

        if not self._usable():
            return None
        documents = documents_to_suggest(self.project.require_store())
        if not documents:
            self.shell.show_message(
                "Suggestions", "Every document is done: there is nothing to suggest for."
            )
            return None
        progress = QProgressDialog("Suggesting…", "Stop", 0, len(documents), self.view.window())
        progress.setObjectName("suggestProgress")
        progress.setWindowTitle("Suggest for all documents not done")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        total = SuggestReport()
        stopped = failed = False
        try:
            for first in range(0, len(documents), CHUNK):
                chunk = documents[first : first + CHUNK]

                def step(done: int, _total: int, first: int = first) -> None:
                    progress.setValue(first + done)

                report = self._run(chunk, step)
                if report is None:
                    failed = True
                    break
                _add(total, report)
                if progress.wasCanceled() and first + CHUNK < len(documents):
                    stopped = True
                    break
        finally:
            progress.reset()
            progress.deleteLater()
        self._show(total, document_list=True)
        if failed and not total.documents:
            return None
        summary = total.summary()
        if stopped or failed:
            summary += (
                f"\nStopped after {total.documents} of {len(documents)} documents; the"
                " suggestions made so far are kept."
            )
        self.shell.show_report("Suggestions", summary, [])
        return total


def _add(total: SuggestReport, report: SuggestReport) -> None:
    """``report``'s figures added to ``total``'s (one run in chunks, one report)."""
    total.documents += report.documents
    for name, counts in report.proposed.items():
        total.proposed.setdefault(name, Counter()).update(counts)
    total.kept += report.kept
    total.withdrawn += report.withdrawn
    total.not_again += report.not_again
    total.changes |= report.changes
