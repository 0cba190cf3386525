"""Undoable relation steps: add one, delete one. Like the span commands, each write hands
what it changed to the window's one ``apply_changes``; a relation comes back under its own id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.changes import Change, Changes, changes_of
from annotator.gui.commands.spans import ChangedElsewhere, ChangeListener, StoreCommand
from annotator.model import Relation

if TYPE_CHECKING:
    from annotator.store.project import Store


def compare_relations(shown: dict[int, Relation], stored: list[Relation]) -> Changes:
    """The relation changes between what a view shows and what the store holds now."""
    now = {r.id: r for r in stored if r.id is not None}
    relations: dict[int, Change[Relation]] = {}
    for key in shown.keys() | now.keys():
        before, after = shown.get(key), now.get(key)
        if before != after:
            relations[key] = Change(before, after)
    return Changes(relations=relations)


def _expect_stored(store: Store, relation: Relation) -> None:
    from annotator.model import RelationError

    assert relation.id is not None
    try:
        store.relations.get(relation.id)
    except RelationError:
        raise ChangedElsewhere(
            f"the {relation.label} relation was deleted in another window or program"
        ) from None


class _OneRelation(StoreCommand):
    relation: Relation

    @property
    def document_id(self) -> int | None:
        return self.relation.document_id

    def _put_back(self) -> Changes:
        self.relation = self.store.relations.restore(self.relation)
        return changes_of(self.relation)

    def _take_away(self) -> Changes:
        with self.store.transaction():
            _expect_stored(self.store, self.relation)
            assert self.relation.id is not None
            return changes_of(self.store.relations.delete(self.relation.id))


class AddRelation(_OneRelation):
    def __init__(self, relation: Relation, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Relate {relation.label}", store, listener)
        self.relation = relation

    def _forward(self) -> Changes:
        return self._put_back()

    def _backward(self) -> Changes:
        return self._take_away()


class DeleteRelation(_OneRelation):
    def __init__(self, relation: Relation, store: Store, listener: ChangeListener) -> None:
        super().__init__(f"Delete {relation.label} relation", store, listener)
        self.relation = relation

    def _forward(self) -> Changes:
        return self._take_away()

    def _backward(self) -> Changes:
        return self._put_back()
