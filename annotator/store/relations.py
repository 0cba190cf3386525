"""Relations between spans and their types, and attributes on spans (part of the store).

A relation joins a head span to a child span of the same document under a type (``said_by``:
quote → speaker; ``concedes``: concession → claim). A type names the labels allowed at each
end; a relation whose ends are missing, in two documents, or of labels the type does not
allow is refused. Deleting a span deletes its relations (the change says which, so an undo
can bring them all back). Attributes are values on a span that its label declares: free text,
or one of a list of values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from annotator.changes import Change, Changes, changes_of, with_changes
from annotator.model import (
    ORIGINS,
    Label,
    LabelError,
    Refused,
    Relation,
    RelationType,
    Span,
    SpanError,
    check_color,
    check_label_name,
    utc_now,
)

RELATION_COLUMNS = (
    "r.id, r.document_id, r.head, r.child, t.name, r.annotator, r.origin, r.created_at,"
    " r.updated_at"
)


class RelationError(Refused):
    """A relation that cannot be made as asked; the message says why."""


def relation_from_row(row: Sequence[Any]) -> Relation:
    return Relation(
        id=row[0],
        document_id=row[1],
        head=row[2],
        child=row[3],
        label=row[4],
        annotator=row[5],
        origin=row[6],
        created_at=row[7],
        updated_at=row[8],
    )


def _type_from_row(row: Sequence[Any]) -> RelationType:
    return RelationType(
        name=row[0],
        color=row[1],
        heads=json.loads(row[2]),
        children=json.loads(row[3]),
        definition=row[4],
        id=row[5],
        position=row[6],
    )


def check_attributes(label: Label, values: Any) -> dict[str, str]:
    """A span's attributes, as its label declares them; refused with a reason otherwise."""
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise SpanError("attributes must be an object of name: value")
    declared = {a["name"]: a for a in label.attributes}
    out: dict[str, str] = {}
    for name, value in values.items():
        spec = declared.get(name)
        if spec is None:
            known = ", ".join(declared) or "none"
            raise SpanError(f"label {label.name!r} has no attribute {name!r} (it has: {known})")
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise SpanError(f"attribute {name!r} must be text, not {type(value).__name__}")
        if spec["kind"] == "choice" and value not in spec["values"]:
            raise SpanError(
                f"attribute {name!r} must be one of {', '.join(spec['values'])}, not {value!r}"
            )
        out[name] = value
    return out


class RelationMethods:
    """Mixed into :class:`~annotator.store.project.Store`."""

    conn: sqlite3.Connection
    annotator: str
    transaction: Callable[[], AbstractContextManager[None]]
    record_change: Callable[..., None]
    span: Callable[[int], Span]
    label: Callable[[str], Label]

    # -- types ---------------------------------------------------------------------------

    def relation_types(self) -> list[RelationType]:
        rows = self.conn.execute(
            "SELECT name, color, heads, children, definition, id, position FROM relation_types"
            " ORDER BY position, id"
        )
        return [_type_from_row(r) for r in rows]

    def relation_type(self, name: str) -> RelationType:
        row = self.conn.execute(
            "SELECT name, color, heads, children, definition, id, position FROM relation_types"
            " WHERE name = ?",
            (name,),
        ).fetchone()
        if row is None:
            known = ", ".join(t.name for t in self.relation_types()) or "none"
            raise RelationError(f"there is no relation type {name!r} (this project has: {known})")
        return _type_from_row(row)

    def add_relation_type(
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
                self.label(label)  # refuses an unknown label
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

    def rename_relation_type(self, name: str, new_name: str) -> RelationType:
        return self.update_relation_type(name, new_name=new_name)[1]

    def update_relation_type(
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
            before = self.relation_type(name)
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
                self.label(label)  # refuses an unknown label
            renamed = self.relations_of_type(before) if target != before.name else []
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
            after = self.relation_type(target)
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

    def rename_label_in_types(self, old: str, new: str) -> Changes:
        """A label was renamed from ``old`` to ``new``: every type that allows it at an end
        names it anew (part of the rename's transaction, which records it)."""
        changes = Changes()
        for kind in self.relation_types():
            if not kind.names(old):
                continue
            after = kind.with_label_renamed(old, new)
            self.conn.execute(
                "UPDATE relation_types SET heads = ?, children = ? WHERE id = ?",
                (json.dumps(after.heads), json.dumps(after.children), kind.id),
            )
            changes.relation_types[kind.id] = Change(kind, after)  # type: ignore[index]
        return changes

    def restore_relation_type(
        self, kind: RelationType, relations: Sequence[Relation] = ()
    ) -> RelationType:
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
            restored = self.relation_type(kind.name)
            changes = Changes(relation_types={restored.id: Change(None, restored)})  # type: ignore[dict-item]
            for relation in relations:
                changes = changes | changes_of(self.restore_relation(relation))
            return with_changes(restored, changes)

    def relations_of_type(self, kind: RelationType) -> list[Relation]:
        return [
            relation_from_row(r)
            for r in self.conn.execute(
                f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t"
                " ON t.id = r.type_id WHERE r.type_id = ?",
                (kind.id,),
            )
        ]

    def delete_relation_type(self, name: str, *, delete_relations: bool = False) -> int:
        """Delete a type; refused while relations use it, unless ``delete_relations``."""
        with self.transaction():
            kind = self.relation_type(name)
            used = self.relations_of_type(kind)
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

    # -- relations -----------------------------------------------------------------------

    def has_relations(self) -> bool:
        return self.conn.execute("SELECT 1 FROM relations LIMIT 1").fetchone() is not None

    def relations(self, document_id: int) -> list[Relation]:
        rows = self.conn.execute(
            f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t ON t.id = r.type_id"
            " WHERE r.document_id = ? ORDER BY r.id",
            (document_id,),
        )
        return [relation_from_row(r) for r in rows]

    def relation(self, relation_id: int) -> Relation:
        row = self.conn.execute(
            f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t ON t.id = r.type_id"
            " WHERE r.id = ?",
            (relation_id,),
        ).fetchone()
        if row is None:
            raise RelationError(f"there is no relation {relation_id}")
        return relation_from_row(row)

    def relations_of_span(self, span_id: int) -> list[Relation]:
        rows = self.conn.execute(
            f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t ON t.id = r.type_id"
            " WHERE r.head = ? OR r.child = ? ORDER BY r.id",
            (span_id, span_id),
        )
        return [relation_from_row(r) for r in rows]

    def fitting_types(self, head: Span, child: Span) -> list[RelationType]:
        """The relation types that allow these two spans' labels, head first."""
        return [t for t in self.relation_types() if t.fits(head.label, child.label)]

    def add_relation(
        self, head_id: int, child_id: int, label: str, *, origin: str = "manual"
    ) -> Relation:
        """Relate ``head_id`` to ``child_id``; both ends in one document, labels the type allows."""
        now = utc_now()
        return self.restore_relation(
            Relation(
                document_id=0,
                head=head_id,
                child=child_id,
                label=label,
                annotator=self.annotator,
                origin=origin,
                created_at=now,
                updated_at=now,
            ),
            action="add_relation",
        )

    def restore_relation(self, relation: Relation, *, action: str = "restore_relation") -> Relation:
        """Put a relation back (under its own id when it has one), checked as a new one is."""
        if relation.origin not in ORIGINS:
            raise RelationError(f"origin must be one of {', '.join(ORIGINS)}")
        with self.transaction():
            try:
                head, child = self.span(relation.head), self.span(relation.child)
            except (KeyError, SpanError):
                raise RelationError(
                    f"a relation needs both its spans; span {relation.head} or "
                    f"{relation.child} is not there"
                ) from None
            if head.id == child.id:
                raise RelationError("a span cannot be related to itself")
            if head.document_id != child.document_id:
                raise RelationError("a relation joins two spans of the same document")
            kind = self.relation_type(relation.label)
            if not kind.fits(head.label, child.label):
                raise RelationError(
                    f"{kind.name} goes from {' or '.join(kind.heads) or 'any label'} to "
                    f"{' or '.join(kind.children) or 'any label'}, not from {head.label} to "
                    f"{child.label}"
                )
            cur = self.conn.execute(
                "INSERT INTO relations (id, document_id, head, child, type_id, annotator, origin,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    relation.id,
                    head.document_id,
                    head.id,
                    child.id,
                    kind.id,
                    relation.annotator or self.annotator,
                    relation.origin,
                    relation.created_at or utc_now(),
                    relation.updated_at or utc_now(),
                ),
            )
            added = self.relation(cur.lastrowid)  # type: ignore[arg-type]
            self.record_change(
                action, added.document_id, None, relation=added.id, head=head.id, child=child.id,
                label=kind.name,
            )  # fmt: skip
            return with_changes(added, Changes(relations={added.id: Change(None, added)}))  # type: ignore[dict-item]

    def delete_relation(self, relation_id: int) -> Relation:
        """Delete a relation; returns it as it was (restore_relation puts it back)."""
        with self.transaction():
            relation = self.relation(relation_id)
            self.conn.execute("DELETE FROM relations WHERE id = ?", (relation_id,))
            self.record_change(
                "delete_relation", relation.document_id, None, relation=relation_id,
                head=relation.head, child=relation.child, label=relation.label,
            )  # fmt: skip
            return with_changes(relation, Changes(relations={relation_id: Change(relation, None)}))

    # -- attributes ------------------------------------------------------------------------

    def set_attributes(self, span_id: int, values: dict[str, Any]) -> Span:
        """Give a span the attributes its label declares (an empty value removes one)."""
        with self.transaction():
            before = self.span(span_id)
            clean = check_attributes(self.label(before.label), values)
            self.conn.execute(
                "UPDATE spans SET attributes = ?, updated_at = ? WHERE id = ?",
                (json.dumps(clean, ensure_ascii=False) if clean else None, utc_now(), span_id),
            )
            self.record_change(
                "set_attributes", before.document_id, span_id, before=before.attributes, after=clean
            )
            after = self.span(span_id)
            return with_changes(after, Changes(spans={span_id: Change(before, after)}))

    def set_label_attributes(self, name: str, attributes: list[dict[str, Any]]) -> Label:
        """Declare the attributes a label's spans may carry."""
        from annotator.store.labels import check_attribute_declarations

        with self.transaction():
            before = self.label(name)
            clean = check_attribute_declarations(attributes)
            self.conn.execute(
                "UPDATE labels SET attributes = ? WHERE id = ?",
                (json.dumps(clean, ensure_ascii=False), before.id),
            )
            self.record_change("set_label_attributes", label=name, attributes=clean)
            after = self.label(name)
            return with_changes(after, Changes(labels={after.id: Change(before, after)}))  # type: ignore[dict-item]


def seed_relation_types(store: Any, specs: Sequence[dict[str, Any]]) -> None:
    """The default relation types, for a project that has none yet (labels it lacks are left
    out of a type's ends rather than refused)."""
    if store.conn.execute("SELECT 1 FROM relation_types LIMIT 1").fetchone():
        return
    have = {lab.name for lab in store.labels()}
    for spec in specs:
        heads = [h for h in spec.get("heads", []) if h in have]
        children = [c for c in spec.get("children", []) if c in have]
        try:
            store.add_relation_type(
                spec["name"], spec.get("color"), heads, children, spec.get("definition", "")
            )
        except (RelationError, LabelError):
            continue
