"""Rows of the project's tables as the plain model's objects, and the columns each is read from.

Every part of the store reads spans, relations, labels and documents the same way; they are
built positionally because a long article reads ten thousand spans when it opens.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from annotator.model import Document, Label, Relation, RelationError, RelationType, Span

SPAN_COLUMNS = (
    's.id, s.document_id, s.start, s."end", l.name, s.text, s.annotator, s.note, s.origin,'
    " s.created_at, s.updated_at, s.suggester, s.score, s.attributes"
)

RELATION_COLUMNS = (
    "r.id, r.document_id, r.head, r.child, t.name, r.annotator, r.origin, r.created_at,"
    " r.updated_at"
)

LABEL_COLUMNS = "name, color, hotkey, definition, id, position, attributes"
TYPE_COLUMNS = "name, color, heads, children, definition, id, position"


def span_from_row(row: Sequence[Any]) -> Span:
    """A Span from the columns of :data:`SPAN_COLUMNS` (positional: a long article reads
    ten thousand of these when it opens)."""
    return Span(
        row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10],
        row[0], row[11], row[12], json.loads(row[13]) if row[13] else {},
    )  # fmt: skip


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


def type_from_row(row: Sequence[Any]) -> RelationType:
    return RelationType(
        name=row[0],
        color=row[1],
        heads=json.loads(row[2]),
        children=json.loads(row[3]),
        definition=row[4],
        id=row[5],
        position=row[6],
    )


def label_from_row(row: Sequence[Any]) -> Label:
    name, color, hotkey, definition, label_id, position, attributes = row
    return Label(
        name, color, hotkey, definition, label_id, position, json.loads(attributes or "[]")
    )


def document_from_row(row: Sequence[Any]) -> Document:
    """A Document from the ten columns the store selects, its meta read from JSON (and an
    eleventh, every analyst's status as a JSON object, where it is selected)."""
    doc = Document(*row[:10])
    doc.meta = json.loads(row[3])
    if len(row) > 10 and row[10]:
        doc.statuses = json.loads(row[10])
    return doc


def relation_type_named(conn: sqlite3.Connection, name: str) -> RelationType:
    """The relation type of this name; refused, naming the types there are, when none is."""
    row = conn.execute(
        f"SELECT {TYPE_COLUMNS} FROM relation_types WHERE name = ?", (name,)
    ).fetchone()
    if row is None:
        names = [
            r[0] for r in conn.execute("SELECT name FROM relation_types ORDER BY position, id")
        ]
        known = ", ".join(names) or "none"
        raise RelationError(f"there is no relation type {name!r} (this project has: {known})")
    return type_from_row(row)
