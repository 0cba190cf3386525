"""Relation types: what a relation between two spans may be, and the labels allowed at each
end (part of the store)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from annotator.changes import Change, Changes, changes_of, with_changes
from annotator.model import (
    LabelError,
    Relation,
    RelationError,
    RelationType,
    Span,
    check_color,
    check_label_name,
)
from annotator.store.connection import Connection, Part
from annotator.store.labels import Labels
from annotator.store.relations import Relations
from annotator.store.rows import (
    TYPE_COLUMNS,
    relation_type_named,
    type_from_row,
)


class RelationTypes(Part):
    """``store.relation_types``: the types a relation may have. Changing a type's ends is
    refused while a stored relation would no longer fit them."""

    def __init__(self, connection: Connection, labels: Labels, relations: Relations) -> None:
        super().__init__(connection)
        self._labels = labels
        self._relations = relations

    def all(self) -> list[RelationType]:
        rows = self.conn.execute(f"SELECT {TYPE_COLUMNS} FROM relation_types ORDER BY position, id")
        return [type_from_row(r) for r in rows]

    def get(self, name: str) -> RelationType:
        return relation_type_named(self.conn, name)

    def fitting(self, head: Span, child: Span) -> list[RelationType]:
        """The relation types that allow these two spans' labels, head first."""
        return [t for t in self.all() if t.fits(head.label, child.label)]

    def add(
        self,
        name: str,
        color: str | None = None,
        heads: Sequence[str] = (),
        children: Sequence[str] = (),
        definition: str = "",
    ) -> RelationType:
        """A new relation type; ``heads`` and ``children`` name labels (empty: any label)."""
        name = check_label_name(name)
        color = check_color(color or "#888888")
        with self.transaction():
            if self.conn.execute("SELECT 1 FROM relation_types WHERE name = ?", (name,)).fetchone():
                raise RelationError(f"there is already a relation type {name!r}")
            for label in [*heads, *children]:
                self._labels.get(label)  # refuses an unknown label
            position = self.conn.execute(
                "SELECT coalesce(max(position), -1) + 1 FROM relation_types"
            ).fetchone()[0]
            cur = self.conn.execute(
                "INSERT INTO relation_types (name, color, heads, children, definition, position)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    name,
                    color,
                    json.dumps(list(heads)),
                    json.dumps(list(children)),
                    definition,
                    position,
                ),
            )
            self.record_change("add_relation_type", relation_type=name)
            added = RelationType(
                name, color, list(heads), list(children), definition, cur.lastrowid, position
            )
            return with_changes(added, Changes(relation_types={added.id: Change(None, added)}))  # type: ignore[dict-item]

    def rename(self, name: str, new_name: str) -> RelationType:
        return self.update(name, new_name=new_name)[1]

    def update(
        self,
        name: str,
        *,
        new_name: str | None = None,
        color: str | None = None,
        heads: Sequence[str] | None = None,
        children: Sequence[str] | None = None,
        definition: str | None = None,
    ) -> tuple[RelationType, RelationType]:
        """Change a type's name, colour, allowed ends or definition; returns (before, after).

        New ends are refused while relations of the type join labels they would not allow
        (the message says how many), so no stored relation is ever left unfit. A rename is
        seen in every relation of the type, which the change lists.
        """
        with self.transaction():
            before = self.get(name)
            target = new_name if new_name is not None else before.name
            target = check_label_name(target)
            if (
                target != before.name
                and self.conn.execute(
                    "SELECT 1 FROM relation_types WHERE name = ?", (target,)
                ).fetchone()
            ):
                raise RelationError(f"there is already a relation type {target!r}")
            colour = check_color(color) if color is not None else before.color
            new_heads = list(dict.fromkeys(heads)) if heads is not None else before.heads
            new_children = (
                list(dict.fromkeys(children)) if children is not None else before.children
            )
            for label in [*new_heads, *new_children]:
                self._labels.get(label)  # refuses an unknown label
            renamed = self._relations.of_type(before) if target != before.name else []
            if heads is not None or children is not None:
                proposed = RelationType(target, colour, new_heads, new_children)
                ends = self.conn.execute(
                    "SELECT hl.name, cl.name FROM relations r"
                    " JOIN spans h ON h.id = r.head JOIN labels hl ON hl.id = h.label_id"
                    " JOIN spans c ON c.id = r.child JOIN labels cl ON cl.id = c.label_id"
                    " WHERE r.type_id = ?",
                    (before.id,),
                )
                unfit = [pair for pair in ends if not proposed.fits(*pair)]
                if unfit:
                    raise RelationError(
                        f"{len(unfit)} {before.name} relation"
                        f"{' joins' if len(unfit) == 1 else 's join'} labels these ends would "
                        "not allow; delete or change them first"
                    )
            self.conn.execute(
                "UPDATE relation_types SET name = ?, color = ?, heads = ?, children = ?,"
                " definition = ? WHERE id = ?",
                (
                    target,
                    colour,
                    json.dumps(new_heads),
                    json.dumps(new_children),
                    definition if definition is not None else before.definition,
                    before.id,
                ),
            )
            after = self.get(target)
            if target != before.name:
                self.record_change("rename_relation_type", relation_type=name, to=target)
            else:
                self.record_change("update_relation_type", relation_type=name)
            changes = Changes(
                relation_types={after.id: Change(before, after)},  # type: ignore[dict-item]
                relations={
                    r.id: Change(r, Relation(**{**r.__dict__, "label": target}))  # type: ignore[misc]
                    for r in renamed
                },
            )
            return with_changes((before, after), changes)

    def restore(self, kind: RelationType, relations: Sequence[Relation] = ()) -> RelationType:
        """Put a deleted type back under its id and place, with the relations it took along
        (an undo of a deletion)."""
        with self.transaction():
            if self.conn.execute(
                "SELECT 1 FROM relation_types WHERE name = ?", (kind.name,)
            ).fetchone():
                raise RelationError(f"there is already a relation type {kind.name!r}")
            self.conn.execute(
                "INSERT INTO relation_types (id, name, color, heads, children, definition,"
                " position) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    kind.id,
                    kind.name,
                    kind.color,
                    json.dumps(kind.heads),
                    json.dumps(kind.children),
                    kind.definition,
                    kind.position,
                ),
            )
            self.record_change("restore_relation_type", relation_type=kind.name)
            restored = self.get(kind.name)
            changes = Changes(relation_types={restored.id: Change(None, restored)})  # type: ignore[dict-item]
            for relation in relations:
                changes = changes | changes_of(self._relations.restore(relation))
            return with_changes(restored, changes)

    def delete(self, name: str, *, delete_relations: bool = False) -> int:
        """Delete a type; refused while relations use it, unless ``delete_relations``."""
        with self.transaction():
            kind = self.get(name)
            used = self._relations.of_type(kind)
            if used and not delete_relations:
                raise RelationError(
                    f"relation type {name!r} is used by {len(used)} relation"
                    f"{'' if len(used) == 1 else 's'}"
                )
            self.conn.execute("DELETE FROM relations WHERE type_id = ?", (kind.id,))
            self.conn.execute("DELETE FROM relation_types WHERE id = ?", (kind.id,))
            self.record_change("delete_relation_type", relation_type=name, relations=len(used))
            changes = Changes(
                relation_types={kind.id: Change(kind, None)},  # type: ignore[dict-item]
                relations={r.id: Change(r, None) for r in used},  # type: ignore[misc]
            )
            return with_changes(len(used), changes)

    def seed(self, specs: Sequence[dict[str, Any]]) -> None:
        """The default relation types, for a project that has none yet (labels it lacks are
        left out of a type's ends rather than refused)."""
        if self.conn.execute("SELECT 1 FROM relation_types LIMIT 1").fetchone():
            return
        have = {lab.name for lab in self._labels.all()}
        for spec in specs:
            heads = [h for h in spec.get("heads", []) if h in have]
            children = [c for c in spec.get("children", []) if c in have]
            try:
                self.add(
                    spec["name"], spec.get("color"), heads, children, spec.get("definition", "")
                )
            except (RelationError, LabelError):
                continue
