"""Undoable changes. Each command's redo() and undo() write to the store (one committed
transaction each) and then tell the window exactly what changed, so the view updates only that.

A command is pushed after its first write has succeeded (the window does that write, so a
refused change never reaches the stack); the first redo() only updates the view. Do not give
these classes an attribute named ``id``: it hides ``QUndoCommand.id()`` and crashes Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QUndoCommand

from annotator.model import Span

if TYPE_CHECKING:
    from annotator.store import Store

_MOVE_ID = 1001  # lets consecutive edge moves of one span merge into one undo step


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
        except Exception as e:  # the disk, a lock, another program: say so, drop the step
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
            self.after = self._write(self.after)
        self.listener.span_changed(self.before, self.after)

    def _backward(self, write: bool) -> None:
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
            self.store.set_status(self.document_id, self.after)
        self.listener.status_changed(self.document_id, self.after)

    def _backward(self, write: bool) -> None:
        self.store.set_status(self.document_id, self.before)
        self.listener.status_changed(self.document_id, self.before)
