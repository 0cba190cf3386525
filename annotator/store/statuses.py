"""Each analyst's own status for each document (part of the store).

A project may hold several analysts' work (a merged team project, or analysts taking turns
on one file). Each has their own status for each document in the ``statuses`` table: no row
means new. The window shows and changes the current analyst's (``store.annotator``).

``documents.status`` is kept as the document's overall status, written whenever an
analyst's status changes: new when no one has begun it, done when everyone who worked on it
is done or skipped it (and at least one did it), skipped when all of them skipped it, and in
progress otherwise. With one analyst it is simply theirs. Exports filter and write it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from annotator.changes import Change, Changes, DocumentState, with_changes
from annotator.model import STATUSES, SpanError, utc_now
from annotator.store.connection import Part

# The current analyst's status of document d, in a query over documents d.
MY_STATUS = (
    "COALESCE((SELECT s.status FROM statuses s WHERE s.document_id = d.id AND s.annotator = ?),"
    " 'new')"
)

# A document's overall status, from its analysts' statuses.
_OVERALL_OF = """(
        SELECT CASE
            WHEN count(*) = 0 OR sum(status = 'new') = count(*) THEN 'new'
            WHEN sum(status IN ('done', 'skipped')) = count(*) THEN
                CASE WHEN sum(status = 'done') > 0 THEN 'done' ELSE 'skipped' END
            ELSE 'in_progress'
        END
        FROM statuses WHERE document_id = documents.id)"""
_OVERALL = f"UPDATE documents SET status = {_OVERALL_OF} WHERE id = ?"
# The same for many documents, given as a JSON list of ids; a row whose status stays is not
# written again (a merge sets the statuses of thousands, most of them as they were).
_OVERALL_MANY = (
    f"UPDATE documents SET status = {_OVERALL_OF} WHERE id IN (SELECT value FROM json_each(?))"
    f" AND status IS NOT {_OVERALL_OF}"
)


def status_of(conn: sqlite3.Connection, document_id: int, annotator: str) -> str:
    row = conn.execute(
        "SELECT status FROM statuses WHERE document_id = ? AND annotator = ?",
        (document_id, annotator),
    ).fetchone()
    return row[0] if row else "new"


def write_status(
    conn: sqlite3.Connection, document_id: int, annotator: str, status: str, at: str
) -> None:
    """Set one analyst's status and the document's overall status, in the caller's
    transaction, without a history entry (the caller writes that)."""
    conn.execute(
        "INSERT INTO statuses (document_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (document_id, annotator) DO UPDATE SET status = excluded.status,"
        " updated_at = excluded.updated_at",
        (document_id, annotator, status, at),
    )
    conn.execute(_OVERALL, (document_id,))


def write_statuses(
    conn: sqlite3.Connection,
    rows: Sequence[tuple[int, str, str, str]],
    removed: Sequence[tuple[int, str]] = (),
) -> None:
    """Set many analysts' statuses, (document, analyst, status, at), and take others' away,
    (document, analyst), then write their documents' overall statuses: :func:`write_status`
    for a whole merge, in a few statements and the caller's transaction."""
    conn.executemany(
        "INSERT INTO statuses (document_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (document_id, annotator) DO UPDATE SET status = excluded.status,"
        " updated_at = excluded.updated_at",
        rows,
    )
    conn.executemany("DELETE FROM statuses WHERE document_id = ? AND annotator = ?", removed)
    documents = sorted({r[0] for r in rows} | {r[0] for r in removed})
    if documents:
        conn.execute(_OVERALL_MANY, (json.dumps(documents),))


def write_status_overall(conn: sqlite3.Connection, document_id: int) -> None:
    """Write a document's overall status again from its analysts' (after one was removed)."""
    conn.execute(_OVERALL, (document_id,))


class Statuses(Part):
    """``store.statuses``: each analyst's own status for each document."""

    def of(self, document_id: int, annotator: str | None = None) -> str:
        """An analyst's status for a document (the current analyst's by default)."""
        return status_of(self.conn, document_id, annotator or self.annotator)

    def of_document(self, document_id: int) -> dict[str, str]:
        """Every analyst's status for a document, by name."""
        rows = self.conn.execute(
            "SELECT annotator, status FROM statuses WHERE document_id = ? ORDER BY annotator",
            (document_id,),
        )
        return dict(rows)

    def of_documents(self, document_ids: Sequence[int]) -> dict[int, dict[str, str]]:
        """Every analyst's status for each of ``document_ids`` that has any, by name."""
        out: dict[int, dict[str, str]] = {}
        for doc, who, status in self.conn.execute(
            "SELECT s.document_id, s.annotator, s.status FROM json_each(?) m"
            " JOIN statuses s ON s.document_id = m.value ORDER BY s.annotator",
            (json.dumps(list(document_ids)),),
        ):
            out.setdefault(doc, {})[who] = status
        return out

    def analysts(self) -> list[str]:
        """Everyone who has a status or a span of their own in the project, by name.

        Walked name by name along the annotator indexes (a few lookups for each analyst), not
        by reading every span: a big project has millions of spans and a handful of analysts.
        """
        found: set[str] = set()
        for table, own in (("statuses", ""), ("spans", " AND origin != 'curated'")):
            name = self.conn.execute(f"SELECT min(annotator) FROM {table}").fetchone()[0]
            while name is not None:
                mine = self.conn.execute(
                    f"SELECT 1 FROM {table} WHERE annotator = ?{own} LIMIT 1", (name,)
                ).fetchone()
                if mine:
                    found.add(name)
                name = self.conn.execute(
                    f"SELECT min(annotator) FROM {table} WHERE annotator > ?", (name,)
                ).fetchone()[0]
        return sorted(found)

    def set(self, document_id: int, status: str, annotator: str | None = None) -> str:
        """Set an analyst's status for a document (the current analyst's by default).

        Returns the status they had (with ``.changes``, whose document state is the current
        analyst's, as the window shows it).
        """
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        who = annotator or self.annotator
        with self.transaction():
            before = document_state(self.conn, document_id, self.annotator)
            old = status_of(self.conn, document_id, who)
            changes = Changes()
            if old != status:
                write_status(self.conn, document_id, who, status, utc_now())
                details: dict[str, Any] = {"before": old, "after": status}
                if who != self.annotator:
                    details["of"] = who
                self.record_change("set_status", document_id, **details)
                mine = status if who == self.annotator else before.status
                was = DocumentState(document_id, before.status, before.span_count)
                now = DocumentState(document_id, mine, before.span_count)
                changes = Changes(documents={document_id: Change(was, now)})
            return with_changes(old, changes)

    def reopen(self, document_id: int) -> tuple[str, str]:
        """Put a document the current analyst marked done or skipped back in their queue.

        It becomes in progress when it has spans, else new. Returns (before, after).
        """
        with self.transaction():
            row = document_state(self.conn, document_id, self.annotator)
            after = "in_progress" if row.span_count else "new"
            if row.status in ("done", "skipped"):
                self.set(document_id, after)
                return row.status, after
            return row.status, row.status

    def by_analyst(self) -> dict[str, dict[str, int]]:
        """For each analyst, how many documents they have in each status."""
        total = self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        out: dict[str, dict[str, int]] = {}
        for who in self.analysts():
            counts = dict.fromkeys(STATUSES, 0)
            counts.update(
                self.conn.execute(
                    "SELECT status, count(*) FROM statuses WHERE annotator = ? GROUP BY status",
                    (who,),
                )
            )
            counts["new"] += total - sum(counts.values())
            out[who] = counts
        return out


def document_state(conn: sqlite3.Connection, document_id: int, annotator: str) -> DocumentState:
    """A document's status (``annotator``'s own) and span count as the current transaction
    sees them."""
    row = conn.execute(
        f"SELECT {MY_STATUS}, d.span_count FROM documents d WHERE d.id = ?",
        (annotator, document_id),
    ).fetchone()
    if row is None:
        raise SpanError(f"there is no document {document_id}")
    return DocumentState(document_id, row[0], row[1])
