"""The project schema, as sqlite-utils migrations.

Each function is one step, applied once and recorded in ``_sqlite_migrations``. Never edit a
step that has shipped; add a new one. A project that records a step this list does not know
was written by a newer annotator and is refused.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from annotator.model import ORIGINS, STATUSES

MIGRATION_SET = "annotator"
migrations = Migrations(MIGRATION_SET)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


_SCHEMA_1 = [
    """
    CREATE TABLE project (
        key TEXT PRIMARY KEY,
        value TEXT CHECK (json_valid(value))
    )""",
    """
    CREATE TABLE labels (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        color TEXT NOT NULL,
        hotkey TEXT UNIQUE,
        definition TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    )""",
    f"""
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        external_id TEXT,
        title TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN {_in(STATUSES)}),
        span_count INTEGER NOT NULL DEFAULT 0,
        text_hash TEXT NOT NULL UNIQUE,
        meta TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(meta)),
        source TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        -- Last: the short columns before it are read without touching the text's pages.
        text TEXT NOT NULL
    )""",
    "CREATE INDEX documents_status ON documents (status)",
    # AUTOINCREMENT: a deleted span's id is never handed to another span, so undo can put a
    # span back under its own id even after other windows have added spans.
    f"""
    CREATE TABLE spans (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        start INTEGER NOT NULL CHECK (start >= 0),
        "end" INTEGER NOT NULL CHECK ("end" > start),
        label_id INTEGER NOT NULL REFERENCES labels (id),
        text TEXT NOT NULL,
        annotator TEXT NOT NULL,
        note TEXT,
        origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN {_in(ORIGINS)}),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX spans_document ON spans (document_id, start)",
    """
    CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        annotator TEXT NOT NULL,
        action TEXT NOT NULL,
        document_id INTEGER,
        span_id INTEGER,
        details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
    )""",
    "CREATE INDEX changes_document ON changes (document_id)",
    # The history is append-only.
    """
    CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes BEGIN
        SELECT RAISE(ABORT, 'the change history is append-only');
    END""",
    """
    CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes BEGIN
        SELECT RAISE(ABORT, 'the change history is append-only');
    END""",
]


@migrations(name="0001_initial_schema")
def initial_schema(db: Database) -> None:
    for statement in _SCHEMA_1:
        db.execute(statement)


def known_names() -> set[str]:
    """Every step this version knows (all of them are pending on an empty database)."""
    return {m.name for m in migrations.pending(Database(memory=True))}
