"""The schema as sqlite-utils migrations, and which files a Store refuses to open (untouched)."""

from __future__ import annotations

import hashlib
import random
import sqlite3

import pytest
from sqlite_utils import Database

from annotator.store.migrations import MIGRATION_SET, applied_names, known_names, migration_set
from annotator.store.project import ProjectError, Store


def fingerprint(folder) -> dict[str, str]:
    """Every file in the folder with the hash of its bytes: catches writes and side files."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def make_project(path) -> None:
    Store(path, "tester").close()


def assert_refused_untouched(path, match: str) -> None:
    before = fingerprint(path.parent)
    with pytest.raises(ProjectError, match=match):
        Store(path, "tester")
    assert fingerprint(path.parent) == before


# -- applying the schema ------------------------------------------------------------------------


def test_fresh_project_records_the_initial_schema_step(tmp_path):
    make_project(tmp_path / "p.db")
    conn = sqlite3.connect(tmp_path / "p.db")
    rows = conn.execute("SELECT migration_set, name FROM _sqlite_migrations").fetchall()
    conn.close()
    assert rows == [
        ("annotator", "0001_initial_schema"),
        ("annotator", "0002_teams"),
        ("annotator", "0003_suggestions"),
        ("annotator", "0004_relations"),
        ("annotator", "0005_learned_models"),
        ("annotator", "0006_uncertainties"),
        ("annotator", "0007_scale"),
        ("annotator", "0008_packets"),
        ("annotator", "0009_gold"),
        ("annotator", "0010_send_backs"),
        ("annotator", "0011_packet_returns"),
    ]


def test_fresh_project_has_nothing_pending(store):
    assert migration_set().pending(store.db) == []
    assert {m.name for m in migration_set().applied(store.db)} == known_names()


def test_known_steps_start_with_the_initial_schema():
    assert MIGRATION_SET == "annotator"
    assert "0001_initial_schema" in known_names()
    assert sorted(known_names())[0] == "0001_initial_schema"


def test_initial_schema_creates_the_project_tables(store):
    tables = set(store.db.table_names())
    assert {"project", "labels", "documents", "spans", "changes", "_sqlite_migrations"} <= tables
    columns = {c.name for c in store.db["spans"].columns}
    assert {"document_id", "start", "end", "label_id", "text", "annotator", "note"} <= columns


def test_initial_schema_applies_to_an_empty_database_through_sqlite_utils():
    db = Database(memory=True)
    migration_set().apply(db)
    assert [m.name for m in migration_set().applied(db)] == [
        "0001_initial_schema",
        "0002_teams",
        "0003_suggestions",
        "0004_relations",
        "0005_learned_models",
        "0006_uncertainties",
        "0007_scale",
        "0008_packets",
        "0009_gold",
        "0010_send_backs",
        "0011_packet_returns",
    ]
    assert db["documents"].exists()


def test_reopening_a_project_applies_nothing_and_makes_no_backup(tmp_path):
    make_project(tmp_path / "p.db")
    make_project(tmp_path / "p.db")
    conn = sqlite3.connect(tmp_path / "p.db")
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(
        known_names()
    )
    conn.close()
    assert not list(tmp_path.glob("*.bak"))


def test_schema_refuses_a_span_that_ends_before_it_starts(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO documents (title, text, text_hash, created_at, updated_at)"
            " VALUES ('t', 'text', 'h', 'now', 'now')"
        )
        store.conn.execute(
            'INSERT INTO spans (document_id, start, "end", label_id, text, annotator,'
            " created_at, updated_at) VALUES (1, 3, 3, 1, '', 't', 'now', 'now')"
        )


def test_schema_refuses_an_unknown_status(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO documents (title, text, text_hash, status, created_at, updated_at)"
            " VALUES ('t', 'text', 'h', 'finished', 'now', 'now')"
        )


# -- refusing files -----------------------------------------------------------------------------


def test_project_from_a_newer_annotator_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "p.db"
    make_project(path)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('annotator', '0002_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    assert_refused_untouched(path, "newer")


def test_project_from_a_newer_annotator_names_the_unknown_step(tmp_path):
    path = tmp_path / "p.db"
    make_project(path)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('annotator', '0009_spans_v2', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="0009_spans_v2"):
        Store(path)


def test_migrations_of_another_set_do_not_count_as_newer(tmp_path):
    path = tmp_path / "p.db"
    make_project(path)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('some-plugin', '0001_plugin', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.documents.count() == 0


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("These are my notes, not a database.\n" * 50)
    assert_refused_untouched(path, "not an SQLite database")


def test_an_sqlite_database_that_is_not_a_project_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('Ada')")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, "not an annotator project")


def test_a_database_with_a_documents_table_but_no_schema_record_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, "not an annotator project")


def test_an_empty_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "empty.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")  # writes the header page: a real, empty database
    conn.commit()
    conn.close()
    assert path.stat().st_size > 0
    assert_refused_untouched(path, "not an annotator project")


def test_a_corrupt_project_is_refused_and_left_untouched(tmp_path):
    good = tmp_path / "good.db"
    make_project(good)
    path = tmp_path / "corrupt.db"
    # A valid header and first page, then garbage where the tables should be.
    path.write_bytes(good.read_bytes()[:100] + random.Random(7).randbytes(16 * 1024))
    good.unlink()
    assert_refused_untouched(path, "damaged")


def test_a_file_with_only_the_sqlite_magic_and_garbage_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    assert_refused_untouched(path, "damaged")


def test_a_folder_is_refused_as_a_project(tmp_path):
    (tmp_path / "folder.db").mkdir()
    with pytest.raises(ProjectError, match="folder"):
        Store(tmp_path / "folder.db")


def test_a_project_in_a_missing_folder_is_refused_without_creating_it(tmp_path):
    with pytest.raises(ProjectError, match="does not exist"):
        Store(tmp_path / "missing" / "p.db")
    assert not (tmp_path / "missing").exists()


def test_an_empty_file_becomes_a_new_project(tmp_path):
    path = tmp_path / "p.db"
    path.touch()
    with Store(path) as store:
        assert len(store.labels.all()) == 5


# -- a damaged schema ---------------------------------------------------------------------------


def _damage(path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("statements", "says"),
    [
        (["DROP TABLE spans"], "the table spans is missing"),
        (["ALTER TABLE spans DROP COLUMN note"], "the column spans.note is missing"),
        (["DROP INDEX spans_document"], "the index spans_document is missing"),
        (["DROP TRIGGER changes_no_delete"], "the trigger changes_no_delete is missing"),
        (
            ["DROP TABLE labels", "CREATE TABLE labels (id INTEGER PRIMARY KEY, name BLOB)"],
            "the column labels.name was changed",
        ),
    ],
)
def test_a_project_with_a_damaged_schema_is_refused_untouched(tmp_path, statements, says):
    path = tmp_path / "p.db"
    make_project(path)
    _damage(path, "PRAGMA foreign_keys = OFF", *statements)
    assert_refused_untouched(path, f"damaged: {says}")


def test_a_damaged_project_is_refused_with_how_to_restore_it_from_its_backup(tmp_path):
    path = tmp_path / "p.db"
    make_project(path)
    with Store(path, "tester") as store:
        backup = store.backup(tmp_path)
    _damage(path, "DROP TABLE spans")
    with pytest.raises(ProjectError) as refused:
        Store(path, "tester")
    message = str(refused.value)
    assert "left untouched" in message
    assert "copy a backup over the project file" in message
    assert backup.name in message
    with Store(backup, "tester") as store:  # and the backup it names opens
        assert store.documents.count() == 0


def test_extra_tables_and_columns_of_ones_own_are_not_damage(tmp_path):
    path = tmp_path / "p.db"
    make_project(path)
    _damage(path, "CREATE TABLE my_notes (x)", "ALTER TABLE documents ADD COLUMN mine TEXT")
    Store(path, "tester").close()


def test_the_expected_schema_is_what_sqlite_utils_applies():
    """The schema rebuilt with plain sqlite3 is the one the migration set makes."""
    from annotator.store.migrations import expected_schema, schema_of

    db = Database(memory=True)
    migration_set().apply(db)
    assert schema_of(db.conn) == expected_schema(tuple(sorted(known_names())))


# -- the teams step -----------------------------------------------------------------------------


def _project_at_step_one(path, monkeypatch) -> None:
    """A project as annotator made it before the teams step, with work in it, written with
    plain SQL (today's store writes columns that step did not have)."""
    from annotator.model import text_hash
    from annotator.store.migrations import STEPS

    conn = sqlite3.connect(path)
    for statement in STEPS[0][1]:
        conn.execute(statement)
    conn.execute(
        "CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT,"
        " PRIMARY KEY (migration_set, name))"
    )
    conn.execute(
        "INSERT INTO _sqlite_migrations VALUES ('annotator', '0001_initial_schema', 'then')"
    )
    conn.execute("INSERT INTO labels (name, color, hotkey) VALUES ('claim', '#4a90d9', '1')")
    conn.execute("INSERT INTO labels (name, color, hotkey) VALUES ('quote', '#e8923a', '2')")
    for i, status in enumerate(["done", "new", "skipped", "in_progress"]):
        text = f"Document {i} with words."
        conn.execute(
            "INSERT INTO documents (title, text, text_hash, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 'then', 'then')",
            (f"d{i}", text, text_hash(text), status),
        )
    for sid, (doc, who) in enumerate([(1, "ana"), (1, "ana"), (4, "bo"), (1, "ana")], start=1):
        conn.execute(
            'INSERT INTO spans (id, document_id, start, "end", label_id, text, annotator, origin,'
            " created_at, updated_at) VALUES (?, ?, 0, 8, 1, 'Document', ?, 'manual', 'then',"
            " 'then')",
            (sid if sid < 4 else 40, doc, who),
        )
    conn.execute("DELETE FROM spans WHERE id = 40")  # the highest id, deleted
    conn.execute(
        "INSERT INTO changes (at, annotator, action, document_id, details)"
        " VALUES ('then', 'ana', 'set_status', 3, '{\"before\": \"new\", \"after\": \"skipped\"}')"
    )
    conn.commit()
    conn.close()


def test_the_teams_step_gives_each_status_to_the_analyst_who_set_it(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    _project_at_step_one(path, monkeypatch)
    with Store(path, "lead") as store:
        assert store.statuses.of_document(1) == {"ana": "done"}  # the analyst with its spans
        assert store.statuses.of_document(2) == {}
        assert store.statuses.of_document(3) == {"ana": "skipped"}  # who set it, by the history
        assert store.statuses.of_document(4) == {"bo": "in_progress"}
        assert [d.status for d, _ in store.documents.stream()] == [
            "done",
            "new",
            "skipped",
            "in_progress",
        ]
    assert list(tmp_path.glob("old.db.before-0002_teams.*.bak"))


def test_the_teams_step_keeps_span_ids_and_never_reuses_a_deleted_one(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    _project_at_step_one(path, monkeypatch)
    with Store(path, "ana") as store:
        assert [s.id for s in store.spans.in_document(1)] == [1, 2]
        added = store.spans.add(2, 0, 8, "quote")
        assert added.id == (store.get_setting("id_block") << 32) + 1  # above all 40, in its block
        store.spans.add(2, 9, 13, "quote", origin="curated")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_every_project_gets_an_id_of_its_own(tmp_path):
    make_project(tmp_path / "a.db")
    make_project(tmp_path / "b.db")
    ids = []
    for name in ("a.db", "b.db"):
        with Store(tmp_path / name, "t") as store:
            ids.append(store.get_setting("id"))
    assert all(len(i) == 32 for i in ids) and ids[0] != ids[1]


def test_an_upgraded_project_gets_the_relation_types_and_the_missing_default_labels(
    tmp_path, monkeypatch
):
    path = tmp_path / "old.db"
    _project_at_step_one(path, monkeypatch)
    with Store(path, "ana") as store:
        assert [k.name for k in store.relation_types.all()] == ["said_by", "concedes"]
        names = [lab.name for lab in store.labels.all()]
        assert names[:2] == ["claim", "quote"] and "speaker" in names
        assert store.labels.get("quote").attributes  # its default speaker attribute


def test_a_new_project_has_the_steps_and_their_record_sqlite_utils_would_give_it(tmp_path):
    import sys

    made = tmp_path / "new.db"
    make_project(made)
    db = Database(memory=True)
    migration_set().apply(db)
    conn = sqlite3.connect(made)
    try:
        ours = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            " ORDER BY type, name"
        ).fetchall()
        records = conn.execute(
            "SELECT id, migration_set, name FROM _sqlite_migrations ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    theirs = db.conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        " ORDER BY type, name"
    ).fetchall()
    assert ours == theirs
    assert records == [(i, MIGRATION_SET, name) for i, name in enumerate(sorted(known_names()), 1)]
    assert migration_set().pending(Database(made)) == []
    assert "sqlite_utils" in sys.modules  # this test's own import; a new project needs none


def test_making_a_project_does_not_import_sqlite_utils(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from annotator.store.project import Store; "
        f"Store({str(tmp_path / 'p.db')!r}, 'tester').close(); "
        "print('sqlite_utils' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_project_with_the_uncertainties_step_gets_the_scale_step_and_keeps_its_figures(
    tmp_path, monkeypatch
):
    import annotator.store.migrations as schema
    from annotator.model import text_hash

    path = tmp_path / "learned.db"
    with monkeypatch.context() as before:
        before.setattr(schema, "STEPS", schema.STEPS[:6])  # as annotator made it before
        with Store(path, "ana") as store, store.transaction():
            docs = [
                store.documents.insert(text=t, text_hash=text_hash(t), title=t)
                for t in ("One article.", "Two articles.", "Three articles.")
            ]
            store.conn.execute(
                "INSERT INTO uncertainties (document_id, model_id, uncertainty)"
                " VALUES (?, 1, 0.25), (?, 1, 0.75)",
                (docs[0], docs[2]),
            )
    assert applied_names(sqlite3.connect(path))[-1] == "0006_uncertainties"
    with Store(path, "ana") as store:
        assert applied_names(store.conn)[5:] == [
            "0006_uncertainties",
            "0007_scale",
            "0008_packets",
            "0009_gold",
            "0010_send_backs",
            "0011_packet_returns",
        ]
        assert store.documents.ids(order="uncertain") == [docs[2], docs[0], docs[1]]
        assert store.documents.page(0, 2, order="uncertain") == [docs[2], docs[0]]
    assert list(tmp_path.glob("learned.db.before-0007_scale.*.bak"))


# -- the packets step ---------------------------------------------------------------------------


def test_a_project_made_before_work_packets_gets_their_tables_and_keeps_its_own(tmp_path, add_doc):
    """The packets step adds its three tables to a project of the steps before it, after a
    backup, and leaves the project's documents and id as they were."""
    path = tmp_path / "old.db"
    with Store(path, "lead") as store:
        add_doc("A text.", target=store)
        old_id = store.get_setting("id")
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP TABLE assignments; DROP TABLE packets; DROP TABLE assignment_runs;"
        " ALTER TABLE merges DROP COLUMN history_hash; ALTER TABLE merges DROP COLUMN hashed_to;"
        " DELETE FROM _sqlite_migrations WHERE name IN ('0008_packets', '0011_packet_returns');"
    )
    conn.close()
    with Store(path, "lead") as store:
        assert {"assignments", "assignment_runs", "packets"} <= set(store.db.table_names())
        assert store.documents.count() == 1
        assert store.get_setting("id") == old_id
    assert list(tmp_path.glob("old.db.before-0008_packets.*.bak"))


def test_a_project_with_the_packets_step_but_not_the_scale_step_gets_it_after(
    tmp_path, monkeypatch, add_doc
):
    import annotator.store.migrations as schema

    path = tmp_path / "packets.db"
    # the steps up to the packets one, as annotator made them before, without the scale one
    without_scale = [step for step in schema.STEPS[:8] if step[0] != "0007_scale"]
    with monkeypatch.context() as before:
        before.setattr(schema, "STEPS", without_scale)  # as annotator made it before
        with Store(path, "lead") as store:
            doc = add_doc("A text to hand out.", target=store)
            store.conn.execute(
                "INSERT INTO assignment_runs (assigned_at, assigned_by, seed, overlap,"
                " queue_order, analysts, documents) VALUES ('then', 'lead', 1, 1, 'project',"
                " '[\"ana\"]', 1)"
            )
            store.conn.execute(
                "INSERT INTO assignments (document_id, analyst, run_id, position)"
                " VALUES (?, 'ana', 1, 0)",
                (doc,),
            )
    assert applied_names(sqlite3.connect(path))[-1] == "0008_packets"
    with Store(path, "lead") as store:
        assert applied_names(store.conn)[-5:] == [
            "0008_packets",
            "0007_scale",
            "0009_gold",
            "0010_send_backs",
            "0011_packet_returns",
        ]
        assert store.documents.page(0, 5) == [doc]
        assert store.conn.execute("SELECT count(*) FROM assignments").fetchone()[0] == 1
    with Store(path, "lead") as store:  # and it opens again as it is
        assert schema.pending_names(applied_names(store.conn)) == []
    assert list(tmp_path.glob("packets.db.before-0007_scale.*.bak"))


# -- the gold step ------------------------------------------------------------------------------


def test_a_project_made_before_gold_checks_gets_their_tables_and_keeps_its_own(tmp_path, add_doc):
    """The gold step adds its two tables to a project of the steps before it, after a
    backup, and leaves its documents and assignments as they were."""
    from annotator.team.assign import assign

    path = tmp_path / "old.db"
    with Store(path, "lead") as store:
        add_doc("A text.", target=store)
        assign(store, ["ana"], seed=1)
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP TABLE gold_given; DROP TABLE gold;"
        " DELETE FROM _sqlite_migrations WHERE name = '0009_gold';"
    )
    conn.close()
    with Store(path, "lead") as store:
        assert {"gold", "gold_given"} <= set(store.db.table_names())
        assert store.documents.count() == 1
        assert store.conn.execute("SELECT analyst FROM assignments").fetchall() == [("ana",)]
    assert list(tmp_path.glob("old.db.before-0009_gold.*.bak"))


# -- the send-backs step ------------------------------------------------------------------------


def test_a_project_made_before_send_backs_gets_their_table_and_keeps_its_own(tmp_path, add_doc):
    """The send-backs step adds its table to a project of the steps before it, after a
    backup; one open send-back of a document to an analyst, and no empty note, are kept."""
    path = tmp_path / "old.db"
    with Store(path, "lead") as store:
        doc = add_doc("A text.", target=store)
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP TABLE send_backs; DELETE FROM _sqlite_migrations WHERE name = '0010_send_backs';"
    )
    conn.close()
    with Store(path, "lead") as store:
        assert store.documents.count() == 1
        add = (
            "INSERT INTO send_backs (document_id, analyst, note, sent_at, sent_by)"
            " VALUES (?, 'ana', ?, 'now', 'lead')"
        )
        store.conn.execute(add, (doc, "Look again."))
        for note in ("Once more.", "  "):
            with pytest.raises(sqlite3.IntegrityError):
                store.conn.execute(add, (doc, note))
    assert list(tmp_path.glob("old.db.before-0010_send_backs.*.bak"))
