"""Relations between spans (part of the store).

A relation joins a head span to a child span of the same document under a type (``said_by``:
quote → speaker; ``concedes``: concession → claim). A type names the labels allowed at each
end; a relation whose ends are missing, in two documents, or of labels the type does not
allow is refused. Deleting a span deletes its relations (the change says which, so an undo
can bring them all back).
"""

from __future__ import annotations

from annotator.changes import Change, Changes, with_changes
from annotator.model import ORIGINS, Relation, RelationError, RelationType, SpanError, utc_now
from annotator.store.connection import Connection, Part
from annotator.store.rows import RELATION_COLUMNS, relation_from_row, relation_type_named
from annotator.store.spans import Spans


class Relations(Part):
    """``store.relations``: relations between spans of one document, each checked against
    its type (the ends must be spans of labels the type allows)."""

    def __init__(self, connection: Connection, spans: Spans) -> None:
        super().__init__(connection)
        self._spans = spans

    def any(self) -> bool:
        return self.conn.execute("SELECT 1 FROM relations LIMIT 1").fetchone() is not None

    def in_document(self, document_id: int) -> list[Relation]:
        rows = self.conn.execute(
            f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t ON t.id = r.type_id"
            " WHERE r.document_id = ? ORDER BY r.id",
            (document_id,),
        )
        return [relation_from_row(r) for r in rows]

    def get(self, relation_id: int) -> Relation:
        row = self.conn.execute(
            f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t ON t.id = r.type_id"
            " WHERE r.id = ?",
            (relation_id,),
        ).fetchone()
        if row is None:
            raise RelationError(f"there is no relation {relation_id}")
        return relation_from_row(row)

    def of_span(self, span_id: int) -> list[Relation]:
        rows = self.conn.execute(
            f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t ON t.id = r.type_id"
            " WHERE r.head = ? OR r.child = ? ORDER BY r.id",
            (span_id, span_id),
        )
        return [relation_from_row(r) for r in rows]

    def add(self, head_id: int, child_id: int, label: str, *, origin: str = "manual") -> Relation:
        """Relate ``head_id`` to ``child_id``; both ends in one document, labels the type allows."""
        now = utc_now()
        return self.restore(
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

    def restore(self, relation: Relation, *, action: str = "restore_relation") -> Relation:
        """Put a relation back (under its own id when it has one), checked as a new one is."""
        if relation.origin not in ORIGINS:
            raise RelationError(f"origin must be one of {', '.join(ORIGINS)}")
        with self.transaction():
            try:
                head, child = self._spans.get(relation.head), self._spans.get(relation.child)
            except (KeyError, SpanError):
                raise RelationError(
                    f"a relation needs both its spans; span {relation.head} or "
                    f"{relation.child} is not there"
                ) from None
            if head.id == child.id:
                raise RelationError("a span cannot be related to itself")
            if head.document_id != child.document_id:
                raise RelationError("a relation joins two spans of the same document")
            kind = relation_type_named(self.conn, relation.label)
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
            added = self.get(cur.lastrowid)  # type: ignore[arg-type]
            self.record_change(
                action, added.document_id, None, relation=added.id, head=head.id, child=child.id,
                label=kind.name,
            )  # fmt: skip
            return with_changes(added, Changes(relations={added.id: Change(None, added)}))  # type: ignore[dict-item]

    def delete(self, relation_id: int) -> Relation:
        """Delete a relation; returns it as it was (restore_relation puts it back)."""
        with self.transaction():
            relation = self.get(relation_id)
            self.conn.execute("DELETE FROM relations WHERE id = ?", (relation_id,))
            self.record_change(
                "delete_relation", relation.document_id, None, relation=relation_id,
                head=relation.head, child=relation.child, label=relation.label,
            )  # fmt: skip
            return with_changes(relation, Changes(relations={relation_id: Change(relation, None)}))

    def with_label(self, label_id: int) -> list[Relation]:
        """The relations with a span of this label at either end (what deleting it takes)."""
        rows = self.conn.execute(
            f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t ON t.id = r.type_id"
            " WHERE r.head IN (SELECT id FROM spans WHERE label_id = ?)"
            " OR r.child IN (SELECT id FROM spans WHERE label_id = ?) ORDER BY r.id",
            (label_id, label_id),
        )
        return [relation_from_row(r) for r in rows]

    def of_type(self, kind: RelationType) -> list[Relation]:
        return [
            relation_from_row(r)
            for r in self.conn.execute(
                f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t"
                " ON t.id = r.type_id WHERE r.type_id = ?",
                (kind.id,),
            )
        ]
