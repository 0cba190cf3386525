"""Undoable steps on suggestions: accepting (one, or all of a label) and rejecting.

Like every step in ``commands``, each is pushed after its first write succeeded, writes to the
store in one transaction on undo and redo, refuses to write over what another window or program
changed meanwhile, and hands what it changed to the window's one ``apply_changes``.

Undoing an accept puts the suggestion back under its own id and takes the span away; redoing
it puts the same span back (same id), so later steps that name the span still find it. What
was accepted along with a suggestion (the speaker of a quote, and the relation between them)
is undone and redone with it. Undoing a rejection brings the suggestion back, with the
speaker and relations that went with it, and lifts the rejection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.changes import Changes, changes_of
from annotator.gui.commands.spans import ChangeListener, StoreCommand, _renamed, expect_stored
from annotator.model import Relation, Span

if TYPE_CHECKING:
    from annotator.store.project import Store


def relations_in(changes: Changes) -> tuple[list[Relation], list[Relation]]:
    """The relations a write removed (as they were) and those it added (as they are)."""
    removed = [c.before for c in changes.relations.values() if c.after is None and c.before]
    added = [c.after for c in changes.relations.values() if c.before is None and c.after]
    return removed, added


def removed_spans(changes: Changes, but: int | None = None) -> list[Span]:
    """The spans a write removed (as they were), leaving out the one numbered ``but``."""
    return [
        c.before
        for key, c in changes.spans.items()
        if c.after is None and c.before is not None and key != but
    ]


class AcceptSuggestions(StoreCommand):
    """Suggestions became the analyst's spans: ``accepted`` holds (suggestion, span) pairs,
    ``relations`` the relations that went with the suggestions and those made with the spans
    (a quote's speaker and the relation between them, accepted with the quote)."""

    def __init__(
        self,
        accepted: list[tuple[Span, Span]],
        store: Store,
        listener: ChangeListener,
        relations: tuple[list[Relation], list[Relation]] = ([], []),
        *,
        one: bool | None = None,
    ) -> None:
        super().__init__(_describe(accepted), store, listener)
        self.accepted = accepted
        self.relations_before, self.relations_after = relations
        #: One suggestion was accepted (with what came along): it is selected after.
        self.one = len(accepted) == 1 if one is None else one

    @property
    def document_id(self) -> int | None:
        return self.accepted[0][0].document_id

    def _select(self, forward: bool) -> int | None:
        if not self.one:
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
            for relation in self.relations_after:
                changes |= changes_of(self.store.relations.restore(relation))
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
            for relation in self.relations_before:
                changes |= changes_of(self.store.relations.restore(relation))
        self.accepted = back
        return changes


def _describe(accepted: list[tuple[Span, Span]]) -> str:
    """The step's name on the Edit menu: "Accept suggested quote", "... with its speaker",
    "Accept 3 suggested quote"."""
    suggestion, span = accepted[0]
    main = [s for s, _ in accepted if s.label == suggestion.label]
    along = sorted({s.label for s, _ in accepted if s.label != suggestion.label})
    if len(main) == 1:
        text = f"Accept suggested {suggestion.label}"
        if span.label != suggestion.label:
            text += f" as {span.label}"
    else:
        text = f"Accept {len(main)} suggested {suggestion.label}"
    if along:
        text += f" with {'its' if len(main) == 1 else 'their'} {' and '.join(along)}"
    return text


class RejectSuggestion(StoreCommand):
    """A suggestion was rejected: gone, and not proposed again on its document."""

    def __init__(
        self,
        suggestion: Span,
        store: Store,
        listener: ChangeListener,
        *,
        along: list[Span] | None = None,
        relations: list[Relation] | None = None,
    ) -> None:
        super().__init__(f"Reject suggested {suggestion.label}", store, listener)
        self.suggestion = suggestion
        #: What went with it: a speaker proposed for it alone, and its relations.
        self.along = along or []
        self.relations = relations or []

    @property
    def document_id(self) -> int | None:
        return self.suggestion.document_id

    def _select(self, forward: bool) -> int | None:
        return None if forward else self.suggestion.id

    def follow_rename(self, old: str, new: str) -> None:
        self.suggestion = _renamed(self.suggestion, old, new)
        self.along = [_renamed(s, old, new) for s in self.along]

    def _forward(self) -> Changes:
        from annotator.suggest.running import reject_suggestion  # the store: not at import

        assert self.suggestion.id is not None
        with self.store.transaction():
            expect_stored(self.store, self.suggestion)
            return changes_of(reject_suggestion(self.store, self.suggestion.id))

    def _backward(self) -> Changes:
        from annotator.suggest.running import unreject_suggestion

        self.suggestion = unreject_suggestion(
            self.store, self.suggestion, along=self.along, relations=self.relations
        )
        return changes_of(self.suggestion)
