"""Which documents carry a team's marks (settled by a curator, gold, sent back for correction),
asked for the rows a list shows.

Plain queries, apart from the team modules that make and read the marks in full: the document
list asks them as the window first paints, and loading those modules would cost it a few
hundredths of a second.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence


def curated_among(conn: sqlite3.Connection, documents: Sequence[int] | None = None) -> set[int]:
    """The documents a curator settled (of ``documents``, when given)."""
    if documents is None:
        return {r[0] for r in conn.execute("SELECT document_id FROM curations")}
    rows = conn.execute(
        "SELECT c.document_id FROM json_each(?) m JOIN curations c ON c.document_id = m.value",
        (json.dumps(list(documents)),),
    )
    return {r[0] for r in rows}


def gold_among(conn: sqlite3.Connection, documents: Sequence[int]) -> set[int]:
    """Which of ``documents`` are gold: one look-up by the gold table's key each, so that a
    list shows the rows on screen without reading every gold document."""
    rows = conn.execute(
        "SELECT g.document_id FROM json_each(?) m JOIN gold g ON g.document_id = m.value",
        (json.dumps(list(documents)),),
    )
    return {r[0] for r in rows}


def own_project_id(conn: sqlite3.Connection) -> str | None:
    """The project's id (a packet's is its packet id), or None when it has none."""
    row = conn.execute("SELECT value FROM project WHERE key = 'id'").fetchone()
    value = json.loads(row[0]) if row else None
    return value if isinstance(value, str) else None


def sent_back_documents(conn: sqlite3.Connection, analyst: str) -> list[int]:
    """The documents this packet carries back to ``analyst`` for correction, in queue order
    (none in a project that is not such a packet)."""
    rows = conn.execute(
        "SELECT document_id FROM send_backs WHERE analyst = ? AND packet_id = ?"
        " AND returned_at IS NULL ORDER BY document_id",
        (analyst, own_project_id(conn)),
    )
    return [int(r[0]) for r in rows]


def is_sent_back(conn: sqlite3.Connection, document: int, analyst: str) -> bool:
    """Whether this packet carries ``document`` back to ``analyst`` for correction."""
    row = conn.execute(
        "SELECT 1 FROM send_backs WHERE document_id = ? AND analyst = ? AND packet_id = ?"
        " AND returned_at IS NULL",
        (document, analyst, own_project_id(conn)),
    ).fetchone()
    return row is not None
