"""Undoable steps on suggestions: accepting (one, or all of a label) and rejecting.

Like every step in ``commands``, each is pushed after its first write succeeded, writes to the
store in one transaction on undo and redo, refuses to write over what another window or program
changed meanwhile, and hands what it changed to the window's one ``apply_changes``.

Undoing an accept puts the suggestion back under its own id and takes the span away; redoing
it puts the same span back (same id), so later steps that name the span still find it.
Undoing a rejection brings the suggestion back and lifts the rejection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.changes import Changes, changes_of
from annotator.gui.commands.spans import ChangeListener, StoreCommand, _renamed, expect_stored
from annotator.model import Span

if TYPE_CHECKING:
    from annotator.store.project import Store


class AcceptSuggestions(StoreCommand):
    """Suggestions became the analyst's spans: ``accepted`` holds (suggestion, span) pairs."""

    def __init__(
        self, accepted: list[tuple[Span, Span]], store: Store, listener: ChangeListener
    ) -> None:
        if len(accepted) == 1:
            suggestion, span = accepted[0]
            text = f"Accept suggested {suggestion.label}"
            if span.label != suggestion.label:
                text += f" as {span.label}"
        else:
            text = f"Accept {len(accepted)} suggested {accepted[0][0].label}"
        super().__init__(text, store, listener)
        self.accepted = accepted

    @property
    def document_id(self) -> int | None:
        return self.accepted[0][0].document_id

    def _select(self, forward: bool) -> int | None:
        if len(self.accepted) != 1:
            return None
        suggestion, span = self.accepted[0]
        return span.id if forward else suggestion.id

    def follow_rename(self, old: str, new: str) -> None:
        self.accepted = [(_renamed(a, old, new), _renamed(b, old, new)) for a, b in self.accepted]

    def _forward(self) -> Changes:
        changes = Changes()
        again = []
        with self.store.transaction():
            for suggestion, span in self.accepted:
                assert suggestion.id is not None
                expect_stored(self.store, suggestion)
                changes |= changes_of(self.store.spans.delete(suggestion.id))
                span = self.store.spans.restore(span)
                self.store.record_change(
                    "accept_suggestion",
                    span.document_id,
                    span.id,
                    suggestion=suggestion.id,
                    suggester=suggestion.suggester,
                    score=suggestion.score,
                    label=span.label,
                )
                changes |= changes_of(span)
                again.append((suggestion, span))
        self.accepted = again
        return changes

    def _backward(self) -> Changes:
        changes = Changes()
        back = []
        with self.store.transaction():
            for suggestion, span in self.accepted:
                assert span.id is not None
                expect_stored(self.store, span)
                changes |= changes_of(self.store.spans.delete(span.id))
                suggestion = self.store.spans.restore(suggestion)
                changes |= changes_of(suggestion)
                back.append((suggestion, span))
        self.accepted = back
        return changes


class RejectSuggestion(StoreCommand):
    """A suggestion was rejected: gone, and not proposed again on its document."""

    def __init__(self, suggestion: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Reject suggested {suggestion.label}", store, listener)
        self.suggestion = suggestion

    @property
    def document_id(self) -> int | None:
        return self.suggestion.document_id

    def _select(self, forward: bool) -> int | None:
        return None if forward else self.suggestion.id

    def follow_rename(self, old: str, new: str) -> None:
        self.suggestion = _renamed(self.suggestion, old, new)

    def _forward(self) -> Changes:
        from annotator.suggest.running import reject_suggestion  # the store: not at import

        assert self.suggestion.id is not None
        with self.store.transaction():
            expect_stored(self.store, self.suggestion)
            return changes_of(reject_suggestion(self.store, self.suggestion.id))

    def _backward(self) -> Changes:
        from annotator.suggest.running import unreject_suggestion

        self.suggestion = unreject_suggestion(self.store, self.suggestion)
        return changes_of(self.suggestion)
