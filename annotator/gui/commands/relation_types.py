"""Relation-type edits as undoable steps, beside the label edits on the same undo stack.

Adding a type, changing its name, colour, ends or definition, and deleting it (with the
relations that use it, which its undo brings back under their ids).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from annotator.changes import Changes, changes_of
from annotator.gui.commands.labels import SchemeEditor, as_left
from annotator.gui.commands.spans import ChangeListener, StoreCommand
from annotator.model import Relation, RelationType

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from annotator.store.project import Store

FIELDS = ("name", "color", "heads", "children", "definition")
_WHAT = {
    "name": "Rename",
    "color": "Recolour",
    "heads": "Change the heads of",
    "children": "Change the children of",
    "definition": "Define",
}


def _stored(store: Store, kind: RelationType) -> RelationType:
    return as_left(store.relation_types.all(), kind, "the relation type")


class AddRelationType(StoreCommand):
    def __init__(self, kind: RelationType, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Add relation type {kind.name}", store, listener)
        self.kind = kind

    def _forward(self) -> Changes:
        return changes_of(self.store.relation_types.restore(self.kind))

    def follow_rename(self, old: str, new: str) -> None:
        self.kind = self.kind.with_label_renamed(old, new)

    def _backward(self) -> Changes:
        with self.store.transaction():
            _stored(self.store, self.kind)
            return changes_of(self.store.relation_types.delete(self.kind.name))


class UpdateRelationType(StoreCommand):
    def __init__(
        self,
        before: RelationType,
        after: RelationType,
        field: str,
        store: Store,
        listener: ChangeListener,
    ) -> None:
        super().__init__(f"{_WHAT[field]} relation type {before.name}", store, listener)
        self.before = before
        self.after = after

    def _write(self, expected: RelationType, target: RelationType) -> Changes:
        with self.store.transaction():
            _stored(self.store, expected)
            pair = self.store.relation_types.update(
                expected.name,
                new_name=target.name,
                color=target.color,
                heads=target.heads,
                children=target.children,
                definition=target.definition,
            )
        return changes_of(pair)

    def _forward(self) -> Changes:
        return self._write(self.before, self.after)

    def follow_rename(self, old: str, new: str) -> None:
        self.before = self.before.with_label_renamed(old, new)
        self.after = self.after.with_label_renamed(old, new)

    def _backward(self) -> Changes:
        return self._write(self.after, self.before)


class DeleteRelationType(StoreCommand):
    def __init__(
        self,
        kind: RelationType,
        relations: list[Relation],
        store: Store,
        listener: ChangeListener,
    ) -> None:
        super().__init__(f"Delete relation type {kind.name}", store, listener)
        self.kind = kind
        self.relations = relations

    def _forward(self) -> Changes:
        with self.store.transaction():
            _stored(self.store, self.kind)
            return changes_of(
                self.store.relation_types.delete(self.kind.name, delete_relations=True)
            )

    def _backward(self) -> Changes:
        return changes_of(self.store.relation_types.restore(self.kind, self.relations))

    def follow_rename(self, old: str, new: str) -> None:
        self.kind = self.kind.with_label_renamed(old, new)


class RelationTypeEditor(SchemeEditor):
    """The Relation types page's writes. A refused write raises ``RelationError`` for the
    dialog to show."""

    def __init__(
        self, store: Callable[[], Store | None], stack: QUndoStack, window: ChangeListener
    ) -> None:
        from annotator.model import RelationError

        super().__init__(store, stack, window)
        self.refusal = RelationError

    def types(self) -> list[RelationType]:
        store = self._store()
        return store.relation_types.all() if store is not None else []

    def add(self, name: str) -> RelationType:
        kind = self.store.relation_types.add(name)
        self._push(AddRelationType(kind, self.store, self.window), kind)
        return kind

    def update(self, kind: RelationType, field: str, value: Any) -> RelationType:
        """Change one field of ``kind``; returns the type as it is now."""
        assert field in FIELDS
        if getattr(kind, field) == value:
            return kind
        keyword = "new_name" if field == "name" else field
        pair = self.store.relation_types.update(kind.name, **{keyword: value})
        before, after = pair
        self._push(UpdateRelationType(before, after, field, self.store, self.window), pair)
        return after

    def usage(self, kind: RelationType) -> int:
        return len(self.store.relations.of_type(kind))

    def delete(self, kind: RelationType) -> int:
        """Delete ``kind`` and the relations that use it (asked first by the caller)."""
        store = self.store
        with store.transaction():
            relations = store.relations.of_type(kind)
            count = store.relation_types.delete(kind.name, delete_relations=True)
        self._push(DeleteRelationType(kind, relations, store, self.window), count)
        return int(count)
