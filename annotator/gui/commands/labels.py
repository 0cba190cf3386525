"""Label edits as undoable steps, on the same undo stack as span edits.

Adding, renaming, recolouring, re-keying, redefining and deleting a label: each is one step
whose redo() and undo() write to the store and hand what changed to the window, like a span
edit. None clears the stack or reloads the article. Deleting a label in use takes its spans
along, and its undo puts the label and every one of those spans back with their ids.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from annotator.changes import Changes, changes_of
from annotator.gui.commands.spans import ChangedElsewhere, ChangeListener, StoreCommand
from annotator.model import Label, LabelError, RelationType, Span

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from annotator.store.project import Store

FIELDS = ("name", "color", "hotkey", "definition")
_WHAT = {
    "name": "Rename",
    "color": "Recolour",
    "hotkey": "Set the hotkey of",
    "definition": "Define",
}


T = TypeVar("T", Label, RelationType)


def as_left(now: list[T], item: T, what: str) -> T:
    """``item`` as ``now`` (the store's current list) has it; refused when another window or
    program changed or deleted it since this window wrote it. ``what`` names it."""
    assert item.id is not None
    stored = next((x for x in now if x.id == item.id), None)
    if stored is None:
        raise ChangedElsewhere(f"{what} {item.name!r} was deleted in another window or program")
    if stored != item:
        raise ChangedElsewhere(f"{what} {item.name!r} was changed in another window or program")
    return stored


def _stored(store: Store, label: Label) -> Label:
    return as_left(store.labels.all(), label, "the label")


class AddLabel(StoreCommand):
    def __init__(self, label: Label, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Add label {label.name}", store, listener)
        self.label = label

    def _forward(self) -> Changes:
        return changes_of(self.store.labels.restore(self.label))

    def _backward(self) -> Changes:
        with self.store.transaction():
            _stored(self.store, self.label)
            return changes_of(self.store.labels.delete(self.label.name))


class UpdateLabel(StoreCommand):
    """One field of one label changed (a rename, a colour, a hotkey or a definition)."""

    def __init__(
        self, before: Label, after: Label, field: str, store: Store, listener: ChangeListener
    ) -> None:
        super().__init__(f"{_WHAT[field]} label {before.name}", store, listener)
        self.before = before
        self.after = after

    def _write(self, expected: Label, target: Label) -> Changes:
        with self.store.transaction():
            _stored(self.store, expected)
            pair = self.store.labels.update(
                expected.name,
                new_name=target.name,
                color=target.color,
                hotkey=target.hotkey,
                definition=target.definition,
            )
        return changes_of(pair)

    def _forward(self) -> Changes:
        return self._write(self.before, self.after)

    def _backward(self) -> Changes:
        return self._write(self.after, self.before)


class SetLabelAttributes(StoreCommand):
    """The attributes a label declares, replaced as one step."""

    def __init__(self, before: Label, after: Label, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Set the attributes of label {before.name}", store, listener)
        self.before = before
        self.after = after

    def _write(self, expected: Label, target: Label) -> Changes:
        with self.store.transaction():
            _stored(self.store, expected)
            return changes_of(self.store.labels.set_attributes(expected.name, target.attributes))

    def _forward(self) -> Changes:
        return self._write(self.before, self.after)

    def _backward(self) -> Changes:
        return self._write(self.after, self.before)


class DeleteLabel(StoreCommand):
    def __init__(
        self, label: Label, spans: list[Span], store: Store, listener: ChangeListener
    ) -> None:
        super().__init__(f"Delete label {label.name}", store, listener)
        self.label = label
        self.spans = spans

    def _forward(self) -> Changes:
        with self.store.transaction():
            _stored(self.store, self.label)
            changes = changes_of(self.store.labels.delete(self.label.name, delete_spans=True))
        self._took(changes)
        return changes

    def pushed_after(self, changes: Changes) -> StoreCommand:
        self._took(changes)
        return super().pushed_after(changes)

    def _took(self, changes: Changes) -> None:
        """What the deletion took besides the spans: relations, and relation types it changed
        or deleted (as they were), for the undo to put back."""
        self.relations = [c.before for c in changes.relations.values() if c.before is not None]
        self.types = [c.before for c in changes.relation_types.values() if c.before is not None]

    def _backward(self) -> Changes:
        restored = self.store.labels.restore(self.label, self.spans, self.relations, self.types)
        return changes_of(restored)


class SchemeEditor:
    """What a page of the labels dialog does: each write made, then pushed as its own undo
    step. ``refusal`` is the error a page shows (raised here when no project is open)."""

    refusal: type[Exception] = LabelError

    def __init__(
        self, store: Callable[[], Store | None], stack: QUndoStack, window: ChangeListener
    ) -> None:
        self._store = store
        self.stack = stack
        self.window = window

    @property
    def store(self) -> Store:
        store = self._store()
        if store is None:
            raise self.refusal("no project is open")
        return store

    def _push(self, command: StoreCommand, result: object) -> None:
        self.stack.push(command.pushed_after(changes_of(result)))


class LabelEditor(SchemeEditor):
    """The Labels page's writes. A refused write raises :class:`LabelError` with the reason,
    for the dialog to show."""

    def add(self, name: str) -> Label:
        label = self.store.labels.add(name)
        self._push(AddLabel(label, self.store, self.window), label)
        return label

    def update(self, label: Label, field: str, value: Any) -> Label:
        """Change one field of ``label``; returns the label as it is now."""
        assert field in FIELDS
        if getattr(label, field) == value:
            return label
        keyword = "new_name" if field == "name" else field
        pair = self.store.labels.update(label.name, **{keyword: value})
        before, after = pair
        self._push(UpdateLabel(before, after, field, self.store, self.window), pair)
        return after

    def set_attributes(self, label: Label, attributes: list[dict[str, Any]]) -> Label:
        """Declare ``label``'s attributes; returns the label as it is now."""
        if attributes == label.attributes:
            return label
        after = self.store.labels.set_attributes(label.name, attributes)
        self._push(SetLabelAttributes(label, after, self.store, self.window), after)
        return after

    def usage(self, label: Label) -> int:
        return self.store.labels.usage(label.name)

    def delete(self, label: Label) -> int:
        """Delete ``label`` and the spans that carry it (asked first by the caller)."""
        store = self.store
        with store.transaction():
            spans = store.labels.spans_with(label.name)
            count = store.labels.delete(label.name, delete_spans=True)
        self._push(DeleteLabel(label, spans, store, self.window), count)
        return int(count)
