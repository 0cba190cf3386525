"""Spans: tagged stretches of a document's text, added, corrected and removed one at a time.

Offsets are code points, half-open ``[start, end)``; a span's text is always cut from the
stored text here, never taken from the caller. Each method is one committed transaction that
also keeps the document's ``span_count`` and the change history up to date, and returns the
span with ``.changes`` (see :mod:`annotator.changes`) saying what it changed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Any

from annotator.changes import Change, Changes, changes_of, with_changes
from annotator.model import (
    ORIGINS,
    Label,
    Relation,
    RelationError,
    Span,
    SpanError,
    check_attributes,
    check_span,
    utc_now,
)
from annotator.store.connection import Part
from annotator.store.rows import (
    LABEL_COLUMNS,
    RELATION_COLUMNS,
    SPAN_COLUMNS,
    label_from_row,
    relation_from_row,
    relation_type_named,
    span_from_row,
)
from annotator.store.statuses import document_state, status_of, write_status


def relations_of(conn: sqlite3.Connection, span_id: int) -> list[Relation]:
    """The relations a span is an end of (before a delete takes them with it)."""
    rows = conn.execute(
        f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t ON t.id = r.type_id"
        " WHERE r.head = ? OR r.child = ? ORDER BY r.id",
        (span_id, span_id),
    )
    return [relation_from_row(r) for r in rows]


_TEXT_ORDER = itemgetter(2, 3, 0)  # start, end, id in SPAN_COLUMNS


class Spans(Part):
    """``store.spans``: the spans of every document, each write one committed transaction."""

    def in_document(self, document_id: int) -> list[Span]:
        """The document's spans in text order (by start, end, then id)."""
        # Read in the index's order (by start) and the ties put in order here: SQLite's own
        # sort of every column, texts and all, took a tenth of opening a long article.
        rows = self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM spans s JOIN labels l ON l.id = s.label_id"
            " WHERE s.document_id = ? ORDER BY s.start",
            (document_id,),
        ).fetchall()
        rows.sort(key=_TEXT_ORDER)
        return [span_from_row(r) for r in rows]

    def get(self, span_id: int) -> Span:
        row = self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM spans s JOIN labels l ON l.id = s.label_id WHERE s.id = ?",
            (span_id,),
        ).fetchone()
        if row is None:
            raise SpanError(f"there is no span {span_id}")
        return span_from_row(row)

    def _label_id(self, name: str) -> int:
        row = self.conn.execute("SELECT id FROM labels WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise SpanError(f"unknown label {name!r}")
        return row[0]

    def add(
        self,
        document_id: int,
        start: int,
        end: int,
        label: str,
        *,
        note: str | None = None,
        origin: str = "manual",
        suggester: str | None = None,
        score: float | None = None,
    ) -> Span:
        """Tag ``text[start:end]`` with ``label``. The span's text is cut from the stored text.

        A suggestion has origin ``suggested``, the ``suggester`` that made it and a ``score``.
        """
        text = self.connection.document_text(document_id)
        check_span(text, start, end)
        if origin not in ORIGINS:
            raise SpanError(f"origin must be one of {', '.join(ORIGINS)}")
        now = utc_now()
        span = Span(
            document_id=document_id,
            start=start,
            end=end,
            label=label,
            text=text[start:end],
            annotator=self.annotator,
            note=note or None,
            origin=origin,
            created_at=now,
            updated_at=now,
            suggester=suggester,
            score=score,
        )
        return self.restore(span, action="add_span")

    def add_suggestions(
        self, document_id: int, found: Iterable[tuple[int, int, str, str, float]]
    ) -> list[Span]:
        """Add a suggester's suggestions on one document, (start, end, label, suggester,
        score) each, checked as :meth:`add` checks a span and recorded in the history as it
        records one. Suggestions change no status and no span count, so nothing else is read
        or written: what a run over thousands of documents needs."""
        return self.add_suggestions_in([(document_id, *f) for f in found])

    def add_suggestions_in(
        self,
        found: Sequence[tuple[int, int, int, str, str, float]],
        texts: Mapping[int, str] | None = None,
    ) -> list[Span]:
        """:meth:`add_suggestions` on many documents, (document, start, end, label,
        suggester, score) each: written by one statement for the spans and one for the
        history. ``texts`` may give the documents' texts, read already."""
        texts = self._texts_of({f[0] for f in found}, texts or {})
        label_ids: dict[str, int] = {}
        out: list[Span] = []
        now = utc_now()
        for doc, start, end, label, suggester, score in found:
            text = texts[doc]
            check_span(text, start, end)
            if label not in label_ids:
                label_ids[label] = self._label_id(label)
            out.append(
                Span(
                    document_id=doc,
                    start=start,
                    end=end,
                    label=label,
                    text=text[start:end],
                    annotator=self.annotator,
                    origin="suggested",
                    created_at=now,
                    updated_at=now,
                    suggester=suggester,
                    score=score,
                )  # fmt: skip
            )
        if not out:
            return out
        with self.transaction():
            self.conn.executemany(
                'INSERT INTO spans (document_id, start, "end", label_id, text, annotator,'
                " origin, created_at, updated_at, suggester, score)"
                " VALUES (?, ?, ?, ?, ?, ?, 'suggested', ?, ?, ?, ?)",
                [
                    (s.document_id, s.start, s.end, label_ids[s.label], s.text, s.annotator,
                     now, now, s.suggester, s.score)
                    for s in out
                ],
            )  # fmt: skip
            # AUTOINCREMENT gives the rows of one statement consecutive ids, ending at the
            # table's sequence
            last = self.conn.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = 'spans'"
            ).fetchone()[0]
            for i, span in enumerate(out):
                span.id = last - len(out) + 1 + i
            self.connection.record_changes(
                (
                    "add_span", s.document_id, s.id,
                    {"start": s.start, "end": s.end, "label": s.label},
                )
                for s in out
            )  # fmt: skip
        return out

    def _texts_of(self, documents: set[int], known: Mapping[int, str]) -> dict[int, str]:
        """The texts of ``documents``: those ``known``, the rest read."""
        texts = {doc: known[doc] for doc in documents if doc in known}
        for doc in documents - texts.keys():
            texts[doc] = self.connection.document_text(doc)
        return texts

    def restore(self, span: Span, *, action: str = "restore_span") -> Span:
        """Put a span back exactly as it was (same id, author and times), for undo and redo."""
        text = self.connection.document_text(span.document_id)
        check_span(text, span.start, span.end, span.text)
        with self.transaction():
            document_before = document_state(self.conn, span.document_id, self.annotator)
            label_id = self._label_id(span.label)
            if (
                span.id is not None
                and self.conn.execute("SELECT 1 FROM spans WHERE id = ?", (span.id,)).fetchone()
            ):
                raise SpanError(f"span {span.id} is already there")
            cur = self.conn.execute(
                'INSERT INTO spans (id, document_id, start, "end", label_id, text, annotator,'
                " note, origin, created_at, updated_at, suggester, score, attributes)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    span.id,
                    span.document_id,
                    span.start,
                    span.end,
                    label_id,
                    span.text,
                    span.annotator,
                    span.note,
                    span.origin,
                    span.created_at,
                    span.updated_at,
                    span.suggester,
                    span.score,
                    json.dumps(span.attributes, ensure_ascii=False) if span.attributes else None,
                ),
            )
            if span.origin != "suggested":  # suggestions are counted apart
                self._count_spans(span.document_id, +1)
            restored = Span(**{**span.to_dict(), "id": cur.lastrowid})
            self.record_change(
                action,
                span.document_id,
                restored.id,
                start=span.start,
                end=span.end,
                label=span.label,
            )
            if span.origin != "curated" and span.origin != "suggested":
                self._mark_started(span.document_id, span.annotator)
            changes = Changes(
                spans={restored.id: Change(None, restored)},  # type: ignore[dict-item]
                documents={
                    span.document_id: Change(
                        document_before, document_state(self.conn, span.document_id, self.annotator)
                    )
                },
            )
            return with_changes(restored, changes)

    def _count_spans(self, document_id: int, change: int) -> None:
        self.conn.execute(
            "UPDATE documents SET span_count = span_count + ? WHERE id = ?", (change, document_id)
        )

    def _mark_started(self, document_id: int, annotator: str) -> None:
        """An analyst's first span on a document they had not begun puts it in progress."""
        if status_of(self.conn, document_id, annotator) == "new":
            write_status(self.conn, document_id, annotator, "in_progress", utc_now())
            details: dict[str, Any] = {"before": "new", "after": "in_progress"}
            if annotator != self.annotator:
                details["of"] = annotator
            self.record_change("set_status", document_id, **details)

    def delete(self, span_id: int) -> Span:
        """Delete a span and its relations; returns it as it was, so it can be restored.

        The relations it took are in the changes (``changes.relations``), each as it was, so
        an undo can put them back after the span.
        """
        with self.transaction():
            span = self.get(span_id)
            document_before = document_state(self.conn, span.document_id, self.annotator)
            taken = relations_of(self.conn, span_id)
            for relation in taken:
                self.record_change(
                    "delete_relation", relation.document_id, None, relation=relation.id,
                    head=relation.head, child=relation.child, label=relation.label,
                )  # fmt: skip
            # Its relations go first, by name: the delete never leans on the schema's cascade.
            self.conn.executemany("DELETE FROM relations WHERE id = ?", [(r.id,) for r in taken])
            self.conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            if span.origin != "suggested":
                self._count_spans(span.document_id, -1)
            self.record_change(
                "delete_span",
                span.document_id,
                span_id,
                start=span.start,
                end=span.end,
                label=span.label,
            )
            changes = Changes(
                spans={span_id: Change(span, None)},
                documents={
                    span.document_id: Change(
                        document_before, document_state(self.conn, span.document_id, self.annotator)
                    )
                },
                relations={r.id: Change(r, None) for r in taken},  # type: ignore[misc]
            )
            return with_changes(span, changes)

    def _update_span(self, span_id: int, action: str, **fields: Any) -> Span:
        with self.transaction():
            before = self.get(span_id)
            after = Span(**{**before.to_dict(), **fields, "updated_at": utc_now()})
            if "start" in fields or "end" in fields:
                text = self.connection.document_text(before.document_id)
                check_span(text, after.start, after.end)
                after.text = text[after.start : after.end]
            self.conn.execute(
                'UPDATE spans SET start = ?, "end" = ?, label_id = ?, text = ?, note = ?,'
                " updated_at = ? WHERE id = ?",
                (
                    after.start,
                    after.end,
                    self._label_id(after.label),
                    after.text,
                    after.note,
                    after.updated_at,
                    span_id,
                ),
            )
            changed = {
                k: [getattr(before, k), getattr(after, k)]
                for k in ("start", "end", "label", "note")
                if getattr(before, k) != getattr(after, k)
            }
            self.record_change(action, before.document_id, span_id, **changed)
            return with_changes(after, Changes(spans={span_id: Change(before, after)}))

    def relabel(self, span_id: int, label: str, *, drop_unfit: bool = False) -> Span:
        """Give a span another label. Its relations must still fit their types: a relabel that
        would leave one unfit is refused, saying which, unless ``drop_unfit`` deletes those
        relations in the same transaction (the change lists them, for an undo)."""
        with self.transaction():
            before = self.get(span_id)
            unfit = self.unfit_relations(before, label)
            if unfit and not drop_unfit:
                raise RelationError(_unfit_message(before, label, unfit))
            changes = Changes()
            for relation in unfit:
                self.conn.execute("DELETE FROM relations WHERE id = ?", (relation.id,))
                self.record_change(
                    "delete_relation", relation.document_id, None, relation=relation.id,
                    head=relation.head, child=relation.child, label=relation.label,
                )  # fmt: skip
                changes.relations[relation.id] = Change(relation, None)  # type: ignore[index]
            after = self._update_span(span_id, "relabel_span", label=label)
            return with_changes(after, changes_of(after) | changes)

    def unfit_relations(self, span: Span, label: str) -> list[Relation]:
        """The relations of ``span`` that would not fit their types were it ``label``."""
        assert span.id is not None
        unfit = []
        for relation in relations_of(self.conn, span.id):
            kind = relation_type_named(self.conn, relation.label)
            other = self.get(relation.child if relation.head == span.id else relation.head)
            head, child = (label, other.label) if relation.head == span.id else (other.label, label)
            if not kind.fits(head, child):
                unfit.append(relation)
        return unfit

    def restamp(self, span_id: int, suggester: str, score: float) -> Span:
        """A suggestion proposed again by another suggester (a newer learned model) keeps its
        id and records the new suggester and score."""
        return self.restamp_many([(span_id, suggester, score)])[0]

    def restamp_many(self, found: Sequence[tuple[int, str, float]]) -> list[Span]:
        """:meth:`restamp` for each of ``found`` (span id, suggester, score), in one
        transaction and a few statements; each span returned carries its ``.changes``."""
        if not found:
            return []
        ids = [span_id for span_id, _, _ in found]
        marks = ", ".join("?" * len(ids))
        before = {
            span.id: span
            for span in map(
                span_from_row,
                self.conn.execute(
                    f"SELECT {SPAN_COLUMNS} FROM spans s JOIN labels l ON l.id = s.label_id"
                    f" WHERE s.id IN ({marks})",
                    ids,
                ),
            )
        }
        now = utc_now()
        out: list[Span] = []
        for span_id, suggester, score in found:
            was = before.get(span_id)
            if was is None:
                raise SpanError(f"there is no span {span_id}")
            if was.origin != "suggested":
                raise SpanError(f"span {span_id} is not a suggestion")
            after = replace(was, suggester=suggester, score=score, updated_at=now)
            out.append(with_changes(after, Changes(spans={span_id: Change(was, after)})))
        with self.transaction():
            self.conn.executemany(
                "UPDATE spans SET suggester = ?, score = ?, updated_at = ? WHERE id = ?",
                [(suggester, score, now, span_id) for span_id, suggester, score in found],
            )
            self.connection.record_changes(
                (
                    "restamp_suggestion",
                    before[span_id].document_id,
                    span_id,
                    {"suggester": [before[span_id].suggester, suggester],
                     "score": [before[span_id].score, score]},
                )
                for span_id, suggester, score in found
            )  # fmt: skip
        return out

    def move(self, span_id: int, start: int, end: int) -> Span:
        return self._update_span(span_id, "move_span", start=start, end=end)

    def set_note(self, span_id: int, note: str | None) -> Span:
        return self._update_span(span_id, "set_note", note=(note or None))

    def set_attributes(self, span_id: int, values: dict[str, Any]) -> Span:
        """Give a span the attributes its label declares (an empty value removes one)."""
        with self.transaction():
            before = self.get(span_id)
            clean = check_attributes(self._label(before.label), values)
            self.conn.execute(
                "UPDATE spans SET attributes = ?, updated_at = ? WHERE id = ?",
                (json.dumps(clean, ensure_ascii=False) if clean else None, utc_now(), span_id),
            )
            self.record_change(
                "set_attributes", before.document_id, span_id, before=before.attributes, after=clean
            )
            after = self.get(span_id)
            return with_changes(after, Changes(spans={span_id: Change(before, after)}))

    def _label(self, name: str) -> Label:
        row = self.conn.execute(
            f"SELECT {LABEL_COLUMNS} FROM labels WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise SpanError(f"unknown label {name!r}")
        return label_from_row(row)

    def keys(self, document_id: int) -> set[tuple[int, int, int, str]]:
        """(start, end, label id, annotator) of every span on a document."""
        rows = self.conn.execute(
            'SELECT start, "end", label_id, annotator FROM spans WHERE document_id = ?',
            (document_id,),
        )
        return {tuple(r) for r in rows}

    def tally(self) -> list[tuple[str, str, str, str | None, int]]:
        """How many spans there are of each origin, analyst, label and suggester, as
        (origin, analyst, label, suggester, spans): every count a project's figures are made
        of, read along one index (spans_tally) without reading a span."""
        rows = self.conn.execute(
            "SELECT t.origin, t.annotator, l.name, t.suggester, t.spans FROM (SELECT annotator,"
            " origin, label_id, suggester, count(*) AS spans FROM spans"
            " GROUP BY annotator, origin, label_id, suggester) t JOIN labels l ON l.id = t.label_id"
        )
        return [tuple(r) for r in rows]

    def suggested_counts(self, documents: Sequence[int]) -> dict[int, int]:
        """How many suggestions each of ``documents`` has waiting; those with none are left
        out (read along the suggestions' own index)."""
        rows = self.conn.execute(
            "SELECT s.document_id, count(*) FROM json_each(?) m JOIN spans s"
            " ON s.document_id = m.value AND s.origin = 'suggested' GROUP BY s.document_id",
            (json.dumps(list(documents)),),
        )
        return {doc: n for doc, n in rows}

    def any_suggested(self) -> bool:
        """Whether any document has a suggestion waiting."""
        found = self.conn.execute("SELECT 1 FROM spans WHERE origin = 'suggested' LIMIT 1")
        return found.fetchone() is not None

    def analysts_of_settled(self) -> dict[tuple[int, int, int, str], list[str]]:
        """Where each curated span came from: for every document a curator settled, the
        analysts (by name, sorted) who made each span, keyed by (document, start, end, label).
        Suggestions and the curated layer itself are nobody's own work, and are left out."""
        made: dict[tuple[int, int, int, str], list[str]] = {}
        rows = self.conn.execute(
            'SELECT DISTINCT s.document_id, s.start, s."end", l.name, s.annotator FROM spans s'
            " JOIN labels l ON l.id = s.label_id WHERE s.origin IN ('manual', 'imported')"
            " AND s.document_id IN (SELECT document_id FROM curations) ORDER BY s.annotator"
        )
        for document_id, start, end, label, annotator in rows:
            made.setdefault((document_id, start, end, label), []).append(annotator)
        return made

    def count_new(self, document_id: int, added: int) -> None:
        """Keep a document's span count right after :meth:`insert_many` added to it."""
        self.conn.execute(
            "UPDATE documents SET span_count = span_count + ?, updated_at = ? WHERE id = ?",
            (added, utc_now(), document_id),
        )

    def insert_many(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Insert already-checked spans: (document_id, start, end, label_id, text, annotator,
        note, origin, created_at, updated_at), optionally followed by (suggester, score) or
        (suggester, score, attributes as JSON). Used by the importer inside its transaction."""
        full = [r if len(r) == 13 else (*r, *(None,) * (13 - len(r))) for r in rows]
        return self.conn.executemany(
            'INSERT INTO spans (document_id, start, "end", label_id, text, annotator, note,'
            " origin, created_at, updated_at, suggester, score, attributes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            full,
        ).rowcount

    def next_id(self) -> int:
        """The id the next span takes: one past the largest any span ever had (the
        AUTOINCREMENT counter), so never a deleted span's. Read in the caller's transaction,
        which holds the write lock, it holds until that transaction ends."""
        assert self.conn.in_transaction, "next_id is read in the caller's transaction"
        return int(
            self.conn.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'spans'), 0),"
                " coalesce((SELECT max(id) FROM spans), 0)) + 1"
            ).fetchone()[0]
        )

    def insert_numbered(self, rows: list[tuple[Any, ...]]) -> list[int]:
        """:meth:`insert_many` under ids taken in order from :meth:`next_id`: their ids (for
        relations to them), with one statement for them all."""
        if not rows:
            return []
        first = self.next_id()
        self.conn.executemany(
            'INSERT INTO spans (id, document_id, start, "end", label_id, text, annotator, note,'
            " origin, created_at, updated_at, suggester, score, attributes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(first + i, *r, *(None,) * (13 - len(r))) for i, r in enumerate(rows)],
        )
        return list(range(first, first + len(rows)))

    def count_added(self, added: dict[int, int]) -> None:
        """:meth:`count_new` for many documents at once: ``added`` spans by document."""
        now = utc_now()
        self.conn.executemany(
            "UPDATE documents SET span_count = span_count + ?, updated_at = ? WHERE id = ?",
            [(count, now, doc) for doc, count in sorted(added.items()) if count],
        )

    def insert(self, row: tuple[Any, ...]) -> int:
        """One span as :meth:`insert_many` takes them; its new id (for relations to it)."""
        full = row if len(row) == 13 else (*row, *(None,) * (13 - len(row)))
        cur = self.conn.execute(
            'INSERT INTO spans (document_id, start, "end", label_id, text, annotator, note,'
            " origin, created_at, updated_at, suggester, score, attributes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            full,
        )
        assert cur.lastrowid is not None
        return cur.lastrowid


def _unfit_message(span: Span, label: str, unfit: list[Relation]) -> str:
    kinds = sorted({r.label for r in unfit})
    noun = "relation" if len(unfit) == 1 else "relations"
    return (
        f"this {span.label} as {label} would no longer fit its {len(unfit)} "
        f"{' and '.join(kinds)} {noun}; delete {'it' if len(unfit) == 1 else 'them'} first"
    )
