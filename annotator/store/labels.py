"""The project's label scheme: names, colours, hotkeys and the definitions analysts follow.

A label is referred to by its id in ``spans``, so renaming one moves every span with it. A
label in use is deleted only when asked to take its spans along, and only after saying how many.
Every write returns its usual value with ``.changes`` (see :mod:`annotator.changes`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from annotator.changes import Change, Changes, changes_of, with_changes
from annotator.model import (
    Label,
    LabelError,
    Relation,
    RelationType,
    Span,
    check_color,
    check_hotkey,
    check_label_name,
)
from annotator.store.connection import Connection, Part
from annotator.store.relations import Relations
from annotator.store.rows import (
    SPAN_COLUMNS,
    TYPE_COLUMNS,
    label_from_row,
    span_from_row,
    type_from_row,
)
from annotator.store.spans import Spans
from annotator.store.statuses import document_state

_UNSET: Any = object()

# Colours handed to new labels that were given none; readable on light and dark backgrounds.
_PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324"]


class LabelInUse(LabelError):
    def __init__(self, name: str, count: int) -> None:
        self.count = count
        noun = "span" if count == 1 else "spans"
        super().__init__(
            f"label {name!r} is used by {count} {noun}; deleting it would delete them too"
        )


def check_attribute_declarations(value: Any) -> list[dict[str, Any]]:
    """A label's attributes: each {"name", "kind": "text"} or {"name", "kind": "choice",
    "values": [...]}, with an optional "definition"."""
    if not isinstance(value, list):
        raise LabelError("a label's attributes must be a list")
    out, names = [], set()
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise LabelError("each attribute needs a name")
        name = item["name"].strip()
        kind = item.get("kind", "text")
        if not name or name in names:
            raise LabelError(f"attribute name {name!r} is empty or given twice")
        if kind not in ("text", "choice"):
            raise LabelError(f"attribute {name!r}: kind must be text or choice")
        clean: dict[str, Any] = {"name": name, "kind": kind}
        if kind == "choice":
            values = item.get("values")
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) and v for v in values)
            ):
                raise LabelError(f"attribute {name!r}: a choice needs a list of values")
            clean["values"] = list(dict.fromkeys(values))
        if isinstance(item.get("definition"), str):
            clean["definition"] = item["definition"]
        names.add(name)
        out.append(clean)
    return out


def attributes_as_lines(declared: list[dict[str, Any]]) -> str:
    """A label's attributes as the labels dialog shows them: one a line, ``name`` for free
    text or ``name: value | value`` for a choice."""
    lines = []
    for item in declared:
        if item.get("kind") == "choice":
            lines.append(f"{item['name']}: {' | '.join(item.get('values', []))}")
        else:
            lines.append(item["name"])
    return "\n".join(lines)


def attributes_from_lines(text: str, before: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """The attributes written one a line (see :func:`attributes_as_lines`), checked; an
    attribute that keeps its name keeps its definition from ``before``."""
    definitions = {d["name"]: d["definition"] for d in before if "definition" in d}
    out: list[dict[str, Any]] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        name, colon, rest = line.partition(":")
        item: dict[str, Any] = {"name": name.strip(), "kind": "text"}
        if colon:
            values = [v.strip() for v in rest.split("|") if v.strip()]
            if not values:
                raise LabelError(f"line {n}: after the colon, give the values (a | b | c)")
            item = {"name": name.strip(), "kind": "choice", "values": values}
        if item["name"] in definitions:
            item["definition"] = definitions[item["name"]]
        out.append(item)
    return check_attribute_declarations(out)


class Labels(Part):
    """``store.labels``: the label scheme. Deleting a label takes its spans along (when
    asked), and their relations, so it holds those parts to put them back on undo."""

    def __init__(self, connection: Connection, spans: Spans, relations: Relations) -> None:
        super().__init__(connection)
        self._spans = spans
        self._relations = relations

    def all(self) -> list[Label]:
        rows = self.conn.execute(
            "SELECT name, color, hotkey, definition, id, position, attributes FROM labels"
            " ORDER BY position, id"
        )
        return [label_from_row(row) for row in rows]

    def get(self, name: str) -> Label:
        row = self.conn.execute(
            "SELECT name, color, hotkey, definition, id, position, attributes FROM labels"
            " WHERE name = ?",
            (name,),
        ).fetchone()
        if row is None:
            raise LabelError(f"there is no label {name!r}")
        return label_from_row(row)

    def ids(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT name, id FROM labels"))

    def former_names(self) -> dict[str, str]:
        """Each name a label of this project was renamed from, to the name it bears now.

        Suggesters and patterns files name labels as they were written; this is how their
        suggestions still reach a label renamed since. It is read from the history (renames
        merged from analysts' projects left out), so it keeps no state an undo must restore.
        A name some label bears now is its own, and a label deleted since is left out.
        """
        follows: dict[str, str] = {}
        for old, new in self.conn.execute(
            "SELECT json_extract(details, '$.changed.name[0]'),"
            " json_extract(details, '$.changed.name[1]') FROM changes"
            " WHERE action = 'update_label' AND json_extract(details, '$.merged_from') IS NULL"
            " AND json_extract(details, '$.changed.name') IS NOT NULL ORDER BY id"
        ):
            follows = {was: new if now == old else now for was, now in follows.items()}
            follows[old] = new
        current = set(self.ids())
        return {was: now for was, now in follows.items() if was not in current and now in current}

    def _check_label_free(self, name: str, hotkey: str | None, except_id: int | None) -> None:
        for other in self.all():
            if other.id == except_id:
                continue
            if other.name.casefold() == name.casefold():
                raise LabelError(f"there is already a label {other.name!r}")
            if hotkey is not None and other.hotkey == hotkey:
                raise LabelError(f"hotkey {hotkey!r} already belongs to label {other.name!r}")

    def insert(self, label: Label, action: str = "add_label") -> Label:
        """Insert a label as given (its id and place too, when it has them)."""
        name = check_label_name(label.name)
        color = check_color(label.color)
        hotkey = check_hotkey(label.hotkey)
        self._check_label_free(name, hotkey, None)
        if (
            label.id is not None
            and self.conn.execute("SELECT 1 FROM labels WHERE id = ?", (label.id,)).fetchone()
        ):
            raise LabelError(f"label {label.id} is already there")
        attributes = check_attribute_declarations(label.attributes)
        cur = self.conn.execute(
            "INSERT INTO labels (id, name, color, hotkey, definition, position, attributes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                label.id,
                name,
                color,
                hotkey,
                label.definition or "",
                label.position,
                json.dumps(attributes, ensure_ascii=False),
            ),
        )
        self.record_change(action, label=name, color=color, hotkey=hotkey)
        added = Label(
            name, color, hotkey, label.definition or "", cur.lastrowid, label.position, attributes
        )
        return with_changes(added, Changes(labels={added.id: Change(None, added)}))  # type: ignore[dict-item]

    def restore(
        self,
        label: Label,
        spans: Sequence[Span] = (),
        relations: Sequence[Relation] = (),
        types: Sequence[RelationType] = (),
    ) -> Label:
        """Put a deleted label back with its id and place, its spans with theirs, the relation
        types that named it as they were, and the relations its deletion took (undo)."""
        with self.transaction():
            restored = self.insert(label, action="restore_label")
            changes = changes_of(restored)
            for span in spans:
                changes = changes | changes_of(self._spans.restore(span))
            for kind in types:
                changes = changes | _put_type_back(self.conn, kind)
            for relation in relations:
                changes = changes | changes_of(self._relations.restore(relation))
            return with_changes(restored, changes)

    def add(
        self,
        name: str,
        color: str | None = None,
        hotkey: str | None = None,
        definition: str = "",
    ) -> Label:
        with self.transaction():
            existing = self.all()
            if color is None:
                used = {lab.color for lab in existing}
                color = next((c for c in _PALETTE if c not in used), _PALETTE[0])
            position = max((lab.position for lab in existing), default=-1) + 1
            return self.insert(Label(name, color, hotkey, definition, None, position))

    def update(
        self,
        name: str,
        *,
        new_name: str = _UNSET,
        color: str = _UNSET,
        hotkey: str | None = _UNSET,
        definition: str = _UNSET,
    ) -> tuple[Label, Label]:
        """Rename, recolour, re-key or redefine a label; spans follow a rename. Returns (before, after)."""
        with self.transaction():
            before = self.get(name)
            after = Label(**before.to_dict())
            if new_name is not _UNSET:
                after.name = check_label_name(new_name)
            if color is not _UNSET:
                after.color = check_color(color)
            if hotkey is not _UNSET:
                after.hotkey = check_hotkey(hotkey)
            if definition is not _UNSET:
                after.definition = definition or ""
            self._check_label_free(after.name, after.hotkey, before.id)
            self.conn.execute(
                "UPDATE labels SET name = ?, color = ?, hotkey = ?, definition = ? WHERE id = ?",
                (after.name, after.color, after.hotkey, after.definition, before.id),
            )
            followed = Changes()
            if after.name != before.name:
                followed = self._follow_rename(before.name, after.name)
            changed = {
                k: [getattr(before, k), getattr(after, k)]
                for k in ("name", "color", "hotkey", "definition")
                if getattr(before, k) != getattr(after, k)
            }
            self.record_change("update_label", label=before.name, changed=changed)
            changes = Changes(labels={before.id: Change(before, after)}) | followed  # type: ignore[dict-item]
            return with_changes((before, after), changes)

    def _follow_rename(self, old: str, new: str) -> Changes:
        """Everywhere else the project names a label by its name takes the new one: the
        relation types that allow it at an end (so their relations still fit, and exports
        name no label that is gone) and the suggestions rejected with it (so they stay
        rejected). Spans, suggestions and curated spans hold the label by its id.

        A rejection already stored under the new name is kept as it is, and the old one
        beside it, so that renaming back restores both exactly."""
        self.conn.execute("UPDATE OR IGNORE rejections SET label = ? WHERE label = ?", (new, old))
        changes = Changes()
        rows = self.conn.execute(f"SELECT {TYPE_COLUMNS} FROM relation_types").fetchall()
        for kind in map(type_from_row, rows):
            if not kind.names(old):
                continue
            after = kind.with_label_renamed(old, new)
            self.conn.execute(
                "UPDATE relation_types SET heads = ?, children = ? WHERE id = ?",
                (json.dumps(after.heads), json.dumps(after.children), kind.id),
            )
            changes.relation_types[kind.id] = Change(kind, after)  # type: ignore[index]
        return changes

    def rename(self, name: str, new_name: str) -> Label:
        pair = self.update(name, new_name=new_name)
        return with_changes(pair[1], changes_of(pair))

    def usage(self, name: str) -> int:
        label = self.get(name)
        return self.conn.execute(
            "SELECT count(*) FROM spans WHERE label_id = ?", (label.id,)
        ).fetchone()[0]

    def spans_with(self, name: str) -> list[Span]:
        """Every span with this label, in every document (what deleting it would take along)."""
        label = self.get(name)
        rows = self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM spans s JOIN labels l ON l.id = s.label_id"
            ' WHERE s.label_id = ? ORDER BY s.document_id, s.start, s."end", s.id',
            (label.id,),
        )
        return [span_from_row(r) for r in rows]

    def delete(self, name: str, *, delete_spans: bool = False) -> int:
        """Delete a label. A label in use is refused unless ``delete_spans``; returns spans deleted.

        The label leaves every relation type that allowed it at an end; a type left with no
        label at an end (it would then allow any) goes too, since its relations all went with
        the spans. Its ``.changes`` name every span, relation and type it took or changed, so
        an undo can put them back with their ids.
        """
        with self.transaction():
            label = self.get(name)
            count = self.usage(name)
            if count and not delete_spans:
                raise LabelInUse(name, count)
            spans = self.spans_with(name) if count else []
            assert label.id is not None
            taken = self._relations.with_label(label.id) if count else []
            documents = sorted({s.document_id for s in spans})
            states_before = {d: document_state(self.conn, d, self.annotator) for d in documents}
            self.conn.execute(
                "UPDATE documents SET span_count = span_count - (SELECT count(*) FROM spans"
                " WHERE spans.document_id = documents.id AND spans.label_id = ?"
                " AND spans.origin != 'suggested')"
                " WHERE id IN (SELECT document_id FROM spans WHERE label_id = ?)",
                (label.id, label.id),
            )
            self.conn.execute("DELETE FROM spans WHERE label_id = ?", (label.id,))
            self.conn.execute("DELETE FROM labels WHERE id = ?", (label.id,))
            kinds = _leave_types(self.conn, name)
            self.record_change(
                "delete_label",
                label=name,
                spans_deleted=count,
                relations_deleted=len(taken),
                relation_types={
                    c.before.name: (c.after.name if c.after else None)
                    for c in kinds.relation_types.values()
                    if c.before is not None
                },
            )
            changes = kinds | Changes(
                spans={s.id: Change(s, None) for s in spans},  # type: ignore[misc]
                documents={
                    d: Change(states_before[d], document_state(self.conn, d, self.annotator))
                    for d in documents
                },
                labels={label.id: Change(label, None)},
                relations={r.id: Change(r, None) for r in taken if r.id is not None},
            )
            return with_changes(count, changes)

    def set_attributes(self, name: str, attributes: list[dict[str, Any]]) -> Label:
        """Declare the attributes a label's spans may carry."""
        with self.transaction():
            before = self.get(name)
            clean = check_attribute_declarations(attributes)
            self.conn.execute(
                "UPDATE labels SET attributes = ? WHERE id = ?",
                (json.dumps(clean, ensure_ascii=False), before.id),
            )
            self.record_change("set_label_attributes", label=name, attributes=clean)
            after = self.get(name)
            return with_changes(after, Changes(labels={after.id: Change(before, after)}))  # type: ignore[dict-item]


def _leave_types(conn: sqlite3.Connection, name: str) -> Changes:
    """A deleted label leaves every relation type that named it at an end; a type with no
    label left at an end is deleted (a type with no ends listed would allow any label)."""
    changes = Changes()
    rows = conn.execute(f"SELECT {TYPE_COLUMNS} FROM relation_types").fetchall()
    for kind in map(type_from_row, rows):
        if not kind.names(name):
            continue
        heads = [h for h in kind.heads if h != name]
        children = [c for c in kind.children if c != name]
        if (kind.heads and not heads) or (kind.children and not children):
            conn.execute("DELETE FROM relation_types WHERE id = ?", (kind.id,))
            changes.relation_types[kind.id] = Change(kind, None)  # type: ignore[index]
            continue
        after = replace(kind, heads=heads, children=children)
        conn.execute(
            "UPDATE relation_types SET heads = ?, children = ? WHERE id = ?",
            (json.dumps(heads), json.dumps(children), kind.id),
        )
        changes.relation_types[kind.id] = Change(kind, after)  # type: ignore[index]
    return changes


def _put_type_back(conn: sqlite3.Connection, kind: RelationType) -> Changes:
    """A relation type as it was before a label's deletion changed or deleted it."""
    row = conn.execute(f"SELECT {TYPE_COLUMNS} FROM relation_types WHERE id = ?", (kind.id,))
    now = next(map(type_from_row, row), None)
    conn.execute(
        "INSERT INTO relation_types (id, name, color, heads, children, definition, position)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET heads = excluded.heads,"
        " children = excluded.children",
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
    return Changes(relation_types={kind.id: Change(now, kind)})  # type: ignore[dict-item]
