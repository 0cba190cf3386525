"""The project schema, as sqlite-utils migrations, and the check that a project still has it.

Each step is a list of SQL statements, applied once and recorded in ``_sqlite_migrations`` by
sqlite-utils. Never edit a step that has shipped; add a new one. A project that records a step
this list does not know was written by a newer annotator and is refused. Because the steps
are plain SQL, the schema a project must have after the steps it records can be rebuilt in
memory with the standard ``sqlite3`` module and compared with the file's own (a dropped table
or column is damage, and the project is refused rather than written into).

sqlite-utils itself is imported only when a step is to be applied to an older project (an
upgrade): opening an existing project needs nothing but ``sqlite3``, and a new project gets
every step, and the same record of them, from :func:`apply_to_new`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from annotator.model import ORIGINS, STATUSES

if TYPE_CHECKING:
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "annotator"
MIGRATIONS_TABLE = "_sqlite_migrations"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


# The values each step allowed, frozen with it: a step that has shipped never changes.
_STATUSES_1 = ("new", "in_progress", "done", "skipped")
_ORIGINS_1 = ("manual", "imported", "suggested")
_ORIGINS_2 = ("manual", "imported", "suggested", "curated")
assert STATUSES == _STATUSES_1 and ORIGINS == _ORIGINS_2, "add a step for new values"

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
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN {_in(_STATUSES_1)}),
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
        origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN {_in(_ORIGINS_1)}),
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


_SPANS_2 = f"""
    CREATE TABLE spans_next (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        start INTEGER NOT NULL CHECK (start >= 0),
        "end" INTEGER NOT NULL CHECK ("end" > start),
        label_id INTEGER NOT NULL REFERENCES labels (id),
        text TEXT NOT NULL,
        annotator TEXT NOT NULL,
        note TEXT,
        origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN {_in(_ORIGINS_2)}),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )"""

# Teams: each analyst's own status, a curated layer, and what was merged from where.
_SCHEMA_2 = [
    f"""
    CREATE TABLE statuses (
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        annotator TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN {_in(_STATUSES_1)}),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (document_id, annotator)
    ) WITHOUT ROWID""",
    "CREATE INDEX statuses_by_annotator ON statuses (annotator, status)",
    # A document's status so far belongs to whoever set it: the last status change, else the
    # analyst with most spans on it, else whoever imported its file, else the first analyst.
    """
    INSERT INTO statuses (document_id, annotator, status, updated_at)
    SELECT d.id, COALESCE(
        (SELECT c.annotator FROM changes c
          WHERE c.document_id = d.id AND c.action = 'set_status' ORDER BY c.id DESC LIMIT 1),
        (SELECT s.annotator FROM spans s
          WHERE s.document_id = d.id GROUP BY s.annotator ORDER BY count(*) DESC, s.annotator
          LIMIT 1),
        (SELECT c.annotator FROM changes c
          WHERE c.action = 'import' AND json_extract(c.details, '$.source') = d.source
          ORDER BY c.id DESC LIMIT 1),
        (SELECT c.annotator FROM changes c ORDER BY c.id LIMIT 1),
        'annotator'
    ), d.status, d.updated_at
    FROM documents d WHERE d.status != 'new'""",
    # Spans may now be curated: SQLite changes a CHECK only by rebuilding the table. Ids and
    # the AUTOINCREMENT counter are kept, so no deleted span's id is ever handed out again.
    _SPANS_2,
    "INSERT INTO spans_next SELECT * FROM spans",
    """
    INSERT INTO sqlite_sequence (name, seq)
    SELECT 'spans_next', seq FROM sqlite_sequence WHERE name = 'spans'
      AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'spans_next')""",
    """
    UPDATE sqlite_sequence SET seq = max(seq, coalesce(
        (SELECT seq FROM sqlite_sequence WHERE name = 'spans'), 0))
    WHERE name = 'spans_next'""",
    "DROP TABLE spans",
    "ALTER TABLE spans_next RENAME TO spans",
    "CREATE INDEX spans_document ON spans (document_id, start)",
    "CREATE INDEX spans_annotator ON spans (annotator)",
    # Merging: the last history entry taken from each project, and where each analyst's work on
    # a document came from (absent: made in this project).
    """
    CREATE TABLE merges (
        source_project TEXT PRIMARY KEY,
        source_path TEXT NOT NULL,
        last_change INTEGER NOT NULL,
        merged_at TEXT NOT NULL
    )""",
    """
    CREATE TABLE work_sources (
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        annotator TEXT NOT NULL,
        source_project TEXT NOT NULL,
        PRIMARY KEY (document_id, annotator)
    ) WITHOUT ROWID""",
    # The documents a curator has settled: their curated spans are the gold layer.
    """
    CREATE TABLE curations (
        document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        curator TEXT NOT NULL,
        curated_at TEXT NOT NULL
    )""",
    # Every project has an id of its own, which merges use to know a file they have seen.
    """
    INSERT OR IGNORE INTO project (key, value)
    VALUES ('id', json_quote(lower(hex(randomblob(16)))))""",
]

# Suggestions: which suggester made a suggested span, its score, and what analysts rejected.
_SCHEMA_3 = [
    "ALTER TABLE spans ADD COLUMN suggester TEXT",
    "ALTER TABLE spans ADD COLUMN score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1))",
    # The suggestions alone, so that counting them reads only them.
    "CREATE INDEX spans_suggested ON spans (document_id) WHERE origin = 'suggested'",
    """
    CREATE TABLE rejections (
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        label TEXT NOT NULL,
        suggester TEXT NOT NULL,
        annotator TEXT NOT NULL,
        rejected_at TEXT NOT NULL,
        PRIMARY KEY (document_id, start, "end", label, suggester)
    ) WITHOUT ROWID""",
]

# Relations between spans (who said a quote, which claim a concession answers), their types,
# and attributes on spans that labels declare.
_SCHEMA_4 = [
    """
    CREATE TABLE relation_types (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        color TEXT NOT NULL,
        heads TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(heads)),
        children TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(children)),
        definition TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    )""",
    f"""
    CREATE TABLE relations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        head INTEGER NOT NULL REFERENCES spans (id) ON DELETE CASCADE,
        child INTEGER NOT NULL REFERENCES spans (id) ON DELETE CASCADE,
        type_id INTEGER NOT NULL REFERENCES relation_types (id),
        annotator TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN {_in(_ORIGINS_2)}),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (head != child)
    )""",
    "CREATE INDEX relations_document ON relations (document_id)",
    "CREATE INDEX relations_head ON relations (head)",
    "CREATE INDEX relations_child ON relations (child)",
    "ALTER TABLE spans ADD COLUMN attributes TEXT CHECK (attributes IS NULL OR json_valid(attributes))",
    "ALTER TABLE labels ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attributes))",
]

# Learned models: each training's record (the library, labels, documents, when, held-out
# figures), and the parameters of the newest, as JSON (never anything that runs code).
_SCHEMA_5 = [
    """
    CREATE TABLE models (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        library TEXT NOT NULL,
        library_version TEXT NOT NULL,
        made_by TEXT NOT NULL,
        layer TEXT NOT NULL CHECK (layer IN ('done', 'curated')),
        labels TEXT NOT NULL CHECK (json_valid(labels)),
        documents TEXT NOT NULL CHECK (json_valid(documents)),
        trained_at TEXT NOT NULL,
        trained_by TEXT NOT NULL,
        figures TEXT NOT NULL CHECK (json_valid(figures)),
        parameters TEXT CHECK (parameters IS NULL OR json_valid(parameters))
    )""",
]

# How unsure the learned model is about each document (from 0 to 1), written with its learned
# suggestions, so that the documents can be ordered least certain first in SQL.
_SCHEMA_6 = [
    """
    CREATE TABLE uncertainties (
        document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        model_id INTEGER NOT NULL,
        uncertainty REAL NOT NULL CHECK (uncertainty >= 0 AND uncertainty <= 1)
    )""",
    "CREATE INDEX uncertainties_order ON uncertainties (uncertainty DESC, document_id)",
]

# Projects of a million articles: what their figures count and the document list shows are
# read from indexes. Every span by its analyst, layer, label and suggester (all that
# statistics group by, so that counting two million spans reads no span); it begins with the
# analyst, as the index it replaces did (a query that asks for most spans by their layer
# still reads the table).
_SCHEMA_7 = [
    "CREATE INDEX spans_tally ON spans (annotator, origin, label_id, suggester)",
    "DROP INDEX spans_annotator",
    # The documents in project order by their ids alone: the document list skips to the
    # millionth along these few pages instead of reading every document's row (and text).
    "CREATE INDEX documents_order ON documents (id)",
]

# Work packets: the documents handed out to each analyst (by which run of `assign`, with what
# seed, in which place of their queue) and the packets they went out in.
_SCHEMA_8 = [
    """
    CREATE TABLE assignment_runs (
        id INTEGER PRIMARY KEY,
        assigned_at TEXT NOT NULL,
        assigned_by TEXT NOT NULL,
        seed INTEGER NOT NULL,
        overlap INTEGER NOT NULL CHECK (overlap >= 1),
        sample REAL CHECK (sample IS NULL OR (sample > 0 AND sample <= 1)),
        queue_order TEXT NOT NULL,
        analysts TEXT NOT NULL CHECK (json_valid(analysts)),
        documents INTEGER NOT NULL
    )""",
    """
    CREATE TABLE packets (
        id TEXT PRIMARY KEY,
        analyst TEXT NOT NULL,
        made_at TEXT NOT NULL,
        made_by TEXT NOT NULL,
        path TEXT NOT NULL,
        documents INTEGER NOT NULL
    )""",
    """
    CREATE TABLE assignments (
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        analyst TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES assignment_runs (id),
        position INTEGER NOT NULL,
        packet_id TEXT REFERENCES packets (id),
        PRIMARY KEY (document_id, analyst)
    ) WITHOUT ROWID""",
    "CREATE INDEX assignments_queue ON assignments (analyst, position)",
]

# Gold checks: the curated documents the lead marked gold, and which of them went to which
# analyst, in which packet and at which place in their queue (between two assignments'
# positions), unknown to the analyst.
_SCHEMA_9 = [
    """
    CREATE TABLE gold (
        document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        marked_at TEXT NOT NULL,
        marked_by TEXT NOT NULL
    )""",
    """
    CREATE TABLE gold_given (
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        analyst TEXT NOT NULL,
        packet_id TEXT NOT NULL REFERENCES packets (id),
        place REAL NOT NULL,
        seed INTEGER NOT NULL,
        PRIMARY KEY (document_id, analyst)
    ) WITHOUT ROWID""",
    "CREATE INDEX gold_given_queue ON gold_given (analyst, place)",
]

# Send-backs: a document (or some spans) of one analyst returned to them for correction,
# with the curator's note. In the lead's project: who sent it and when, the packet that
# carried it and when the correction came back; in a packet: the same row for each document
# it carries back, with the curator's changes to the analyst's spans (computed when it was
# made) and the packet's own span ids. One open send-back of a document to an analyst.
_SCHEMA_10 = [
    """
    CREATE TABLE send_backs (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        analyst TEXT NOT NULL,
        note TEXT NOT NULL CHECK (length(trim(note)) > 0),
        spans TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(spans)),
        sent_at TEXT NOT NULL,
        sent_by TEXT NOT NULL,
        packet_id TEXT,
        changes TEXT CHECK (changes IS NULL OR json_valid(changes)),
        returned_at TEXT,
        returned_in TEXT
    )""",
    "CREATE UNIQUE INDEX send_backs_open ON send_backs (document_id, analyst)"
    " WHERE returned_at IS NULL",
    "CREATE INDEX send_backs_packet ON send_backs (packet_id)",
]

# Packets that come back safely, and ids unique across project files. A merge keeps, for each
# packet it took from, a fingerprint of that packet's history up to an entry (a copy of the
# packet annotated apart forks from it). Each project draws a block of span and relation ids of
# its own (the ``id_block`` setting: its counters start at block × 2^32, every id below 2^53 so
# that it is exact in JSON): a project made on its own draws one of the upper half, and a
# packet is given one of the lower half by its lead (``packets.id_block``), so that a packet's
# ids never reach into its lead's block.
ID_BLOCK_BITS = 32
ID_BLOCKS = 1 << 21  # blocks 1 .. ID_BLOCKS - 1; the upper half for projects made on their own
_SCHEMA_11 = [
    "ALTER TABLE merges ADD COLUMN history_hash TEXT",
    "ALTER TABLE merges ADD COLUMN hashed_to INTEGER",
    "ALTER TABLE packets ADD COLUMN id_block INTEGER",
    f"""
    INSERT OR IGNORE INTO project (key, value)
    VALUES ('id_block', json_quote({ID_BLOCKS // 2} + abs(random() % {ID_BLOCKS // 2 - 1})))""",
    f"""
    UPDATE sqlite_sequence SET seq = (SELECT value FROM project WHERE key = 'id_block')
        << {ID_BLOCK_BITS}
    WHERE name IN ('spans', 'relations') AND seq < 1 << {ID_BLOCK_BITS}""",
    f"""
    INSERT INTO sqlite_sequence (name, seq)
    SELECT kind.name, (SELECT value FROM project WHERE key = 'id_block') << {ID_BLOCK_BITS}
    FROM (SELECT 'spans' AS name UNION ALL SELECT 'relations') AS kind
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = kind.name)""",
]

STEPS: list[tuple[str, list[str]]] = [
    ("0001_initial_schema", _SCHEMA_1),
    ("0002_teams", _SCHEMA_2),
    ("0003_suggestions", _SCHEMA_3),
    ("0004_relations", _SCHEMA_4),
    ("0005_learned_models", _SCHEMA_5),
    ("0006_uncertainties", _SCHEMA_6),
    ("0007_scale", _SCHEMA_7),
    ("0008_packets", _SCHEMA_8),
    ("0009_gold", _SCHEMA_9),
    ("0010_send_backs", _SCHEMA_10),
    ("0011_packet_returns", _SCHEMA_11),
]


def known_names() -> set[str]:
    """Every step this version knows."""
    return {name for name, _ in STEPS}


def migration_set() -> Migrations:
    """The steps as a sqlite-utils migration set (sqlite-utils is imported here, on demand)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, statements in STEPS:
        migrations(name=name)(_runner(name, statements))
    return migrations


# The record sqlite-utils keeps of the steps applied, as its Migrations class makes it.
_RECORD_TABLE = (
    'CREATE TABLE "_sqlite_migrations" (\n   "id" INTEGER PRIMARY KEY,\n'
    '   "migration_set" TEXT,\n   "name" TEXT,\n   "applied_at" TEXT\n)'
)
_RECORD_INDEX = (
    'CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"\n'
    '    ON "_sqlite_migrations" ("migration_set", "name")'
)


def apply_to_new(conn: sqlite3.Connection) -> None:
    """Apply every step to a new, empty project with the standard ``sqlite3`` module, each in
    a transaction with its record, as sqlite-utils' :func:`migration_set` would: the same
    schema and the same record, without importing sqlite-utils (a second at start-up, which
    an import into a new project would otherwise wait for)."""
    conn.execute(_RECORD_TABLE)
    conn.execute(_RECORD_INDEX)
    for name, statements in STEPS:
        conn.execute("BEGIN")
        try:
            for statement in statements:
                conn.execute(statement)
            conn.execute(
                f"INSERT INTO {MIGRATIONS_TABLE} (migration_set, name, applied_at)"
                " VALUES (?, ?, ?)",
                (MIGRATION_SET, name, str(datetime.now(timezone.utc))),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _runner(name: str, statements: list[str]) -> Any:
    def step(db: Any) -> None:
        for statement in statements:
            db.execute(statement)

    step.__name__ = name
    return step


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """The steps a project records, in the order they were applied (a read, nothing more)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
        (MIGRATION_SET,),
    )
    return [r[0] for r in rows]


def pending_names(applied: list[str]) -> list[str]:
    done = set(applied)
    return [name for name, _ in STEPS if name not in done]


@dataclass(frozen=True)
class Schema:
    """What the steps make: tables with their columns, and the named indexes and triggers."""

    tables: dict[str, tuple[tuple[str, str, bool, int], ...]] = field(default_factory=dict)
    indexes: frozenset[str] = frozenset()
    triggers: frozenset[str] = frozenset()


def schema_of(conn: sqlite3.Connection) -> Schema:
    tables: dict[str, tuple[tuple[str, str, bool, int], ...]] = {}
    indexes: set[str] = set()
    triggers: set[str] = set()
    for kind, name, table in conn.execute("SELECT type, name, tbl_name FROM sqlite_master"):
        if name.startswith("sqlite_") or table == MIGRATIONS_TABLE:
            continue  # SQLite's own, and sqlite-utils' record of the steps
        if kind == "table":
            tables[name] = tuple(
                (row[1], str(row[2]).upper(), bool(row[3]), int(row[5]))
                for row in conn.execute(f"PRAGMA table_info({_quote(name)})")
            )
        elif kind == "index":
            indexes.add(name)
        elif kind == "trigger":
            triggers.add(name)
    return Schema(tables, frozenset(indexes), frozenset(triggers))


@lru_cache(maxsize=8)
def expected_schema(applied: tuple[str, ...]) -> Schema:
    """The schema the recorded steps make, rebuilt in an empty in-memory database."""
    conn = sqlite3.connect(":memory:")
    try:
        for name, statements in STEPS:
            if name in applied:
                for statement in statements:
                    conn.execute(statement)
        return schema_of(conn)
    finally:
        conn.close()


def schema_problems(conn: sqlite3.Connection, applied: list[str]) -> list[str]:
    """What the project lacks of the schema its recorded steps made, in words; [] when whole.

    Extra tables, columns or indexes are allowed (someone may keep their own beside ours);
    anything of ours that is missing or changed is damage.
    """
    want, have = expected_schema(tuple(applied)), schema_of(conn)
    problems: list[str] = []
    for table, columns in want.tables.items():
        present = have.tables.get(table)
        if present is None:
            problems.append(f"the table {table} is missing")
            continue
        by_name = {c[0]: c for c in present}
        for column in columns:
            found = by_name.get(column[0])
            if found is None:
                problems.append(f"the column {table}.{column[0]} is missing")
            elif found != column:
                problems.append(f"the column {table}.{column[0]} was changed")
    for index in sorted(want.indexes - have.indexes):
        problems.append(f"the index {index} is missing")
    for trigger in sorted(want.triggers - have.triggers):
        problems.append(f"the trigger {trigger} is missing")
    return problems


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
