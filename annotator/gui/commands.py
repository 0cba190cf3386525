"""Undoable changes. Each command's redo() and undo() write to the store (one committed
transaction each) and then tell the window exactly what changed, so the view updates only that.

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

from annotator.gui.span_list import preview
from annotator.model import LabelError, Span, SpanError

if TYPE_CHECKING:
    from annotator.store import Store

_MOVE_ID = 1001  # lets consecutive edge moves of one span merge into one undo step


class ChangedElsewhere(Exception):
    """What an undo or redo would write over was changed by another window or program."""


def _what(span: Span) -> str:
    return f"the {span.label} span \u201c{preview(span.text, 40)}\u201d"


def expect_stored(store: Store, span: Span) -> None:
    """Refuse unless the store holds ``span`` as this window left it (edges, label, note)."""
    assert span.id is not None
    try:
        stored = store.span(span.id)
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
    from annotator.store import ProjectError  # the store pulls in sqlite-utils: not at import

    return (ProjectError, SpanError, LabelError, sqlite3.Error, ChangedElsewhere)


class ChangeListener(Protocol):
    """What the window offers the commands: one call per kind of change."""

    def span_added(self, span: Span) -> None: ...
    def span_removed(self, span: Span) -> None: ...
    def span_changed(self, before: Span, after: Span) -> None: ...
    def status_changed(self, document_id: int, status: str) -> None: ...
    def change_failed(self, error: Exception) -> None: ...


class _StoreCommand(QUndoCommand):
    def __init__(self, text: str, store: Store, listener: ChangeListener) -> None:
        super().__init__(text)
        self.store = store
        self.listener = listener
        self._first = True

    def redo(self) -> None:
        first, self._first = self._first, False
        self._run(self._forward, write=not first)

    def undo(self) -> None:
        self._run(self._backward, write=True)

    def _run(self, step: object, *, write: bool) -> None:
        try:
            step(write)  # type: ignore[operator]
        except _user_errors() as e:  # the disk, a lock, another program: say so, drop the step
            self.setObsolete(True)
            self.listener.change_failed(e)

    def _forward(self, write: bool) -> None:
        raise NotImplementedError

    def _backward(self, write: bool) -> None:
        raise NotImplementedError


class AddSpan(_StoreCommand):
    def __init__(self, span: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Tag {span.label}", store, listener)
        self.span = span

    def _forward(self, write: bool) -> None:
        if write:
            self.span = self.store.restore_span(self.span)
        self.listener.span_added(self.span)

    def _backward(self, write: bool) -> None:
        with self.store.transaction():
            expect_stored(self.store, self.span)
            self.store.delete_span(self.span_id)
        self.listener.span_removed(self.span)

    @property
    def span_id(self) -> int:
        assert self.span.id is not None
        return self.span.id


class DeleteSpan(_StoreCommand):
    def __init__(self, span: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Delete {span.label}", store, listener)
        self.span = span

    def _forward(self, write: bool) -> None:
        if write:
            assert self.span.id is not None
            with self.store.transaction():
                expect_stored(self.store, self.span)
                self.store.delete_span(self.span.id)
        self.listener.span_removed(self.span)

    def _backward(self, write: bool) -> None:
        self.span = self.store.restore_span(self.span)
        self.listener.span_added(self.span)


class _UpdateSpan(_StoreCommand):
    """A change from one stored state of a span to another (label, edges or note)."""

    def __init__(
        self, text: str, before: Span, after: Span, store: Store, listener: ChangeListener
    ) -> None:
        super().__init__(text, store, listener)
        self.before = before
        self.after = after

    def _write(self, target: Span) -> Span:
        raise NotImplementedError

    def _forward(self, write: bool) -> None:
        if write:
            with self.store.transaction():
                expect_stored(self.store, self.before)
                self.after = self._write(self.after)
        self.listener.span_changed(self.before, self.after)

    def _backward(self, write: bool) -> None:
        with self.store.transaction():
            expect_stored(self.store, self.after)
            self.before = self._write(self.before)
        self.listener.span_changed(self.after, self.before)


class RelabelSpan(_UpdateSpan):
    def __init__(self, before: Span, after: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Relabel {before.label} as {after.label}", before, after, store, listener)

    def _write(self, target: Span) -> Span:
        assert target.id is not None
        return self.store.relabel_span(target.id, target.label)


class MoveSpan(_UpdateSpan):
    def __init__(self, before: Span, after: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Move edge of {before.label}", before, after, store, listener)

    def _write(self, target: Span) -> Span:
        assert target.id is not None
        return self.store.move_span(target.id, target.start, target.end)

    def id(self) -> int:  # Qt's merge key, a method: never assign self.id
        return _MOVE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        """Arrow-key steps on one span become one undo step (each step is still saved)."""
        if not isinstance(other, MoveSpan) or other.after.id != self.after.id:
            return False
        self.after = other.after
        return True


class SetNote(_UpdateSpan):
    def __init__(self, before: Span, after: Span, store: Store, listener: ChangeListener) -> None:
        super().__init__("Edit note", before, after, store, listener)

    def _write(self, target: Span) -> Span:
        assert target.id is not None
        return self.store.set_note(target.id, target.note)


class SetStatus(_StoreCommand):
    def __init__(
        self, document_id: int, before: str, after: str, store: Store, listener: ChangeListener
    ) -> None:
        super().__init__(f"Mark {after.replace('_', ' ')}", store, listener)
        self.document_id = document_id
        self.before = before
        self.after = after

    def _forward(self, write: bool) -> None:
        if write:
            self._write(self.before, self.after)
        self.listener.status_changed(self.document_id, self.after)

    def _backward(self, write: bool) -> None:
        self._write(self.after, self.before)
        self.listener.status_changed(self.document_id, self.before)

    def _write(self, expected: str, status: str) -> None:
        with self.store.transaction():
            now = self.store.document_row(self.document_id).status
            if now != expected:
                raise ChangedElsewhere(
                    f"the document was marked {now.replace('_', ' ')} in another window or program"
                )
            self.store.set_status(self.document_id, status)
