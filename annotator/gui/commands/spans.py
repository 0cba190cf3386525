"""Undoable changes. Each command's redo() and undo() write to the store (one committed
transaction each) and hand what the write returned (its ``Changes``) to the window's one
``apply_changes``, so every view updates only what it shows of it.

A command is pushed after its first write has succeeded (the window does that write, so a
refused change never reaches the stack); the first redo() only updates the view. Do not give
these classes an attribute named ``id``: it hides ``QUndoCommand.id()`` and crashes Qt.

Another window or program may change the project between a step and its undo. An undo or redo
first checks, in the same transaction as its write, that the span (or status) is still what
this step left; if not, it is refused rather than written over the other's work, and the step
is dropped from the stack.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QUndoCommand

from annotator.changes import Changes, changes_of
from annotator.gui.panels.span_list import preview
from annotator.model import LabelError, Relation, Span, SpanError

if TYPE_CHECKING:
    from annotator.store.project import Store


class ChangedElsewhere(Exception):
    """What an undo or redo would write over was changed by another window or program."""


def _what(span: Span) -> str:
    return f"the {span.label} span \u201c{preview(span.text, 40)}\u201d"


def expect_stored(store: Store, span: Span) -> None:
    """Refuse unless the store holds ``span`` as this window left it (edges, label, note)."""
    assert span.id is not None
    try:
        stored = store.spans.get(span.id)
    except SpanError:
        raise ChangedElsewhere(f"{_what(span)} was deleted in another window or program") from None
    if (stored.start, stored.end, stored.label, stored.note) != (
        span.start,
        span.end,
        span.label,
        span.note,
    ):
        raise ChangedElsewhere(f"{_what(span)} was changed in another window or program")


def _user_errors() -> tuple[type[Exception], ...]:
    """What a user can cause or suffer; anything else is a bug and raises."""
    from annotator.model import RelationError
    from annotator.store.project import (
        ProjectError,  # the store pulls in sqlite-utils: not at import
    )

    return (ProjectError, SpanError, LabelError, RelationError, sqlite3.Error, ChangedElsewhere)


class ChangeListener(Protocol):
    """What the window offers the commands: one road for every change, and a way to say that
    one could not be made."""

    def apply_changes(
        self, changes: Changes, *, document: int | None = None, select: int | None = None
    ) -> None: ...
    def change_failed(self, error: Exception) -> None: ...


class StoreCommand(QUndoCommand):
    def __init__(self, text: str, store: Store, listener: ChangeListener) -> None:
        super().__init__(text)
        self.store = store
        self.listener = listener
        self._first: Changes | None = None

    def pushed_after(self, changes: Changes) -> StoreCommand:
        """This command's first write was made already and changed ``changes``: its first
        redo() shows them instead of writing again."""
        self._first = changes
        return self

    def redo(self) -> None:
        first, self._first = self._first, None
        if first is not None:
            self._show(first, forward=True)
        else:
            self._run(self._forward, forward=True)

    def undo(self) -> None:
        self._run(self._backward, forward=False)

    def _run(self, step: object, *, forward: bool) -> None:
        try:
            changes = step()  # type: ignore[operator]
        except _user_errors() as e:  # the disk, a lock, another program: say so, drop the step
            self.setObsolete(True)
            self.listener.change_failed(e)
            return
        self._show(changes, forward=forward)

    def _show(self, changes: Changes, *, forward: bool) -> None:
        self.listener.apply_changes(
            changes, document=self.document_id, select=self._select(forward)
        )

    @property
    def document_id(self) -> int | None:
        """The document this step is in (opened to show it), if any."""
        return None

    def _select(self, forward: bool) -> int | None:
        return None

    def _forward(self) -> Changes:
        raise NotImplementedError

    def _backward(self) -> Changes:
        raise NotImplementedError

    def follow_rename(self, old: str, new: str) -> None:
        """A label was renamed: what this step remembers of spans takes the new name."""


def _renamed(span: Span, old: str, new: str) -> Span:
    if span.label != old:
        return span
    return Span(**{**span.to_dict(), "label": new})


class _OneSpan(StoreCommand):
    span: Span

    @property
    def document_id(self) -> int | None:
        return self.span.document_id

    def follow_rename(self, old: str, new: str) -> None:
        self.span = _renamed(self.span, old, new)


class AddSpan(_OneSpan):
    def __init__(self, span: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Tag {span.label}", store, listener)
        self.span = span

    def _select(self, forward: bool) -> int | None:
        return self.span.id if forward else None

    def _forward(self) -> Changes:
        self.span = self.store.spans.restore(self.span)
        return changes_of(self.span)

    def _backward(self) -> Changes:
        with self.store.transaction():
            expect_stored(self.store, self.span)
            assert self.span.id is not None
            return changes_of(self.store.spans.delete(self.span.id))


class DeleteSpan(_OneSpan):
    """Deleting a span deletes its relations; the undo puts the span back, then them."""

    def __init__(self, span: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Delete {span.label}", store, listener)
        self.span = span
        self.relations: list[Relation] = []

    def pushed_after(self, changes: Changes) -> StoreCommand:
        self._keep_relations(changes)
        return super().pushed_after(changes)

    def _keep_relations(self, changes: Changes) -> None:
        self.relations = [c.before for c in changes.relations.values() if c.before is not None]

    def _select(self, forward: bool) -> int | None:
        return None if forward else self.span.id

    def _forward(self) -> Changes:
        assert self.span.id is not None
        with self.store.transaction():
            expect_stored(self.store, self.span)
            changes = changes_of(self.store.spans.delete(self.span.id))
        self._keep_relations(changes)
        return changes

    def _backward(self) -> Changes:
        with self.store.transaction():
            self.span = self.store.spans.restore(self.span)
            changes = changes_of(self.span)
            for relation in self.relations:
                changes = changes | changes_of(self.store.relations.restore(relation))
        return changes


class _UpdateSpan(StoreCommand):
    """A change from one stored state of a span to another (label, edges or note)."""

    def __init__(
        self, text: str, before: Span, after: Span, store: Store, listener: ChangeListener
    ) -> None:
        super().__init__(text, store, listener)
        self.before = before
        self.after = after

    @property
    def document_id(self) -> int | None:
        return self.after.document_id

    def _select(self, forward: bool) -> int | None:
        return self.after.id

    def follow_rename(self, old: str, new: str) -> None:
        self.before = _renamed(self.before, old, new)
        self.after = _renamed(self.after, old, new)

    def _write(self, target: Span) -> Span:
        raise NotImplementedError

    def _forward(self) -> Changes:
        with self.store.transaction():
            expect_stored(self.store, self.before)
            self.after = self._write(self.after)
        return changes_of(self.after)

    def _backward(self) -> Changes:
        with self.store.transaction():
            expect_stored(self.store, self.after)
            self.before = self._write(self.before)
        return changes_of(self.before)


class RelabelSpan(_UpdateSpan):
    """A new label; the relations it left unfit (the analyst was asked) went with it, and the
    undo puts them back after the old label."""

    def __init__(self, before: Span, after: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Relabel {before.label} as {after.label}", before, after, store, listener)
        self.relations: list[Relation] = []

    def pushed_after(self, changes: Changes) -> StoreCommand:
        self._keep_relations(changes)
        return super().pushed_after(changes)

    def _keep_relations(self, changes: Changes) -> None:
        self.relations = [c.before for c in changes.relations.values() if c.before is not None]

    def _write(self, target: Span) -> Span:
        assert target.id is not None
        return self.store.spans.relabel(target.id, target.label, drop_unfit=True)

    def _forward(self) -> Changes:
        changes = super()._forward()
        self._keep_relations(changes)
        return changes

    def _backward(self) -> Changes:
        with self.store.transaction():
            changes = super()._backward()
            for relation in self.relations:
                changes = changes | changes_of(self.store.relations.restore(relation))
        return changes


# Qt merges consecutive commands that return the same id(): one id per edge and direction,
# so pressing the same key again extends the step, and any other key starts a new one.
_MOVE_IDS = {
    ("start", False): 1001,
    ("start", True): 1002,
    ("end", False): 1003,
    ("end", True): 1004,
}


class MoveSpan(_UpdateSpan):
    def __init__(
        self,
        before: Span,
        after: Span,
        store: Store,
        listener: ChangeListener,
        *,
        edge: str = "start",
        forward: bool = True,
        merges: bool = True,
    ) -> None:
        super().__init__(f"Move edge of {before.label}", before, after, store, listener)
        self.edge = edge
        self.forward = forward
        self.merges = merges  # a drag is a step of its own; presses of one key are one

    def _write(self, target: Span) -> Span:
        assert target.id is not None
        return self.store.spans.move(target.id, target.start, target.end)

    def id(self) -> int:  # Qt's merge key, a method: never assign self.id
        return _MOVE_IDS[(self.edge, self.forward)] if self.merges else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Presses of the same key on the same edge of one span are one undo step (each is
        still saved); a different edge or direction is a step of its own."""
        if (
            not isinstance(other, MoveSpan)
            or other.after.id != self.after.id
            or (other.edge, other.forward) != (self.edge, self.forward)
        ):
            return False
        self.after = other.after
        return True


class SetNote(_UpdateSpan):
    def __init__(self, before: Span, after: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__("Edit note", before, after, store, listener)

    def _write(self, target: Span) -> Span:
        assert target.id is not None
        return self.store.spans.set_note(target.id, target.note)


class SetAttributes(_UpdateSpan):
    def __init__(self, before: Span, after: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__("Edit attributes", before, after, store, listener)

    def _write(self, target: Span) -> Span:
        assert target.id is not None
        return self.store.spans.set_attributes(target.id, target.attributes)


class SetStatus(StoreCommand):
    def __init__(
        self, document: int, before: str, after: str, store: Store, listener: ChangeListener
    ) -> None:
        super().__init__(f"Mark {after.replace('_', ' ')}", store, listener)
        self._document = document
        self.before = before
        self.after = after

    @property
    def document_id(self) -> int | None:
        return self._document

    def _forward(self) -> Changes:
        return self._write(self.before, self.after)

    def _backward(self) -> Changes:
        return self._write(self.after, self.before)

    def _write(self, expected: str, status: str) -> Changes:
        with self.store.transaction():
            now = self.store.documents.row(self._document).status
            if now != expected:
                raise ChangedElsewhere(
                    f"the document was marked {now.replace('_', ' ')} in another window or program"
                )
            return changes_of(self.store.statuses.set(self._document, status))
