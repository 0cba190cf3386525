"""Nothing acknowledged is lost: a session killed at random moments, and two writers at once."""

from __future__ import annotations

import copy
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli.main import cli
from annotator.store.project import Store

WORKER = Path(__file__).parent.parent / "workers" / "scripted_session.py"
ARTICLES = [
    "Ministers said the bridge would open in 2027. “It is on budget,” Ana Ruiz said. 🚀 " * 3,
    "Admittedly, costs rose.\nPhoto: the river at dawn (Staff)\n مرحبا بالعالم " * 4,
    "Short text with NBSP\u00a0and a tab\tand 👍🏽 in it, then more words to tag. " * 3,
]


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "crash.db"
    with Store(path, "setup") as store, store.transaction():
        from annotator.model import text_hash

        for i, text in enumerate(ARTICLES):
            store.documents.insert(text=text, text_hash=text_hash(text), title=f"article {i}")
    return path


def _start(path: Path, seed: int, count: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(path), str(seed), str(count), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _apply(state: dict, record: dict, new_span_id: int | None = None) -> None:
    spans, statuses = state["spans"], state["statuses"]
    action = record["action"]
    if action == "add":
        spans[new_span_id if new_span_id is not None else record["span"]] = {
            "document": record["document"],
            "start": record["start"],
            "end": record["end"],
            "label": record["label"],
            "note": None,
        }
        if statuses[record["document"]] == "new":
            statuses[record["document"]] = "in_progress"
    elif action == "relabel":
        spans[record["span"]]["label"] = record["label"]
    elif action == "note":
        spans[record["span"]]["note"] = record["note"]
    elif action == "delete":
        del spans[record["span"]]
    elif action == "status":
        statuses[record["document"]] = record["status"]


def _read(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        spans = {
            row[0]: {
                "document": row[1],
                "start": row[2],
                "end": row[3],
                "label": row[4],
                "note": row[5],
            }
            for row in conn.execute(
                'SELECT s.id, s.document_id, s.start, s."end", l.name, s.note'
                " FROM spans s JOIN labels l ON l.id = s.label_id"
            )
        }
        statuses = dict(conn.execute("SELECT id, status FROM documents"))
        counts = dict(conn.execute("SELECT id, span_count FROM documents"))
        real = dict(conn.execute("SELECT document_id, count(*) FROM spans GROUP BY document_id"))
        assert all(counts[d] == real.get(d, 0) for d in counts), "span_count drifted"
    finally:
        conn.close()
    return {"spans": spans, "statuses": statuses}


def _expected_states(path_initial: dict, lines: list[str]) -> list[dict]:
    """The state after every acknowledged action, and after the one in flight too."""
    state = {"spans": {}, "statuses": dict(path_initial["statuses"])}
    in_flight = None
    for line in lines:
        kind, _, payload = line.partition(" ")
        if kind == "begin":
            in_flight = json.loads(payload)
        elif kind == "done":
            record = json.loads(payload)
            _apply(state, record)
            in_flight = None
    options = [state]
    if in_flight is not None:
        options.append(in_flight)
    return options


def _matches(db: dict, options: list) -> bool:
    acknowledged = options[0]
    if db == acknowledged:
        return True
    if len(options) == 1:
        return False
    record = options[1]
    after = copy.deepcopy(acknowledged)
    if record["action"] == "add":
        extra = set(db["spans"]) - set(after["spans"])
        if len(extra) != 1:
            return False
        _apply(after, record, new_span_id=extra.pop())
    else:
        _apply(after, record)
    return db == after


@pytest.mark.slow
def test_session_killed_at_random_moments_keeps_every_acknowledged_change(project):
    rng = random.Random(20261125)
    initial = {"statuses": _read(project)["statuses"]}
    runner = CliRunner()
    acknowledged = 0
    for round_ in range(25):
        worker = _start(project, seed=round_, count=100_000)
        assert worker.stdout.readline().startswith("ready"), worker.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
        worker.send_signal(signal.SIGKILL)
        # Read on through the same text stream readline() used: communicate() would read the
        # pipe beneath it and lose the lines readline() had already taken into its buffer.
        out = worker.stdout.read()
        worker.stderr.read()
        worker.wait()
        lines = [line for line in out.split("\n") if line.startswith(("begin ", "done "))]
        acknowledged += sum(line.startswith("done ") for line in lines)
        db = _read(project)
        options = _expected_states(initial, lines)
        assert _matches(db, options), f"round {round_}: the project lost an acknowledged change"
        initial = {"statuses": db["statuses"]}
        # The project still opens, in the command line too.
        result = runner.invoke(cli, ["--db", str(project), "stats"])
        assert result.exit_code == 0, result.output
        # The next round starts from what is there now.
        _reset_spans_baseline(project)
    assert acknowledged > 25, "the sessions were killed before they did any work"


def _reset_spans_baseline(path: Path) -> None:
    """Remove the spans left by a round, so each round's model starts from no spans."""
    with Store(path, "cleanup") as store:
        for doc in store.documents.ids():
            for span in store.spans.in_document(doc):
                store.spans.delete(span.id)


@pytest.mark.slow
def test_two_processes_writing_one_project_lose_nothing(project):
    workers = [_start(project, 100 + n, 1500, "adds-only") for n in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    acknowledged = {
        json.loads(line.partition(" ")[2])["span"]
        for out, _ in outputs
        for line in out.split("\n")
        if line.startswith("done ")
    }
    assert len(acknowledged) == 3000
    assert set(_read(project)["spans"]) == acknowledged


def test_a_writer_waits_for_another_instead_of_failing(project):
    """While one connection holds the write lock, the store's next change waits, then succeeds."""
    blocker = sqlite3.connect(project, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    with Store(project, "waiter") as store:
        doc = store.documents.ids()[0]
        release_at = time.monotonic() + 0.5
        import threading

        threading.Timer(0.5, lambda: blocker.execute("COMMIT")).start()
        span = store.spans.add(doc, 0, 9, "claim")
        assert time.monotonic() >= release_at - 0.05
        assert store.spans.get(span.id).label == "claim"
    blocker.close()


def test_read_only_project_is_refused_untouched(project):
    from annotator.store.project import ProjectError

    before = project.read_bytes()
    project.chmod(0o444)
    try:
        with pytest.raises(ProjectError, match="read-only"):
            Store(project)
    finally:
        project.chmod(0o644)
    assert project.read_bytes() == before


@pytest.mark.slow
def test_export_killed_midway_leaves_no_file_under_its_name(tmp_path):
    from annotator.model import text_hash

    path = tmp_path / "big.db"
    with Store(path, "setup") as store, store.transaction():
        for i in range(20_000):
            text = f"Article {i}: the council said the tram would run by 2027. 🚀 " * 20
            store.documents.insert(text=text, text_hash=text_hash(text), title=f"a{i}")
    target = tmp_path / "out" / "export.jsonl"
    for delay in (0.35, 0.5, 0.7):
        proc = subprocess.Popen(
            [sys.executable, "-m", "annotator", "--db", str(path), "export", "-o", str(target)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        if target.exists():  # it finished before the kill: then it must be whole
            assert len(target.read_bytes().split(b"\n")) == 20_001
            target.unlink()
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(path), "export", "-o", str(target)],
        capture_output=True,
    )
    assert proc.returncode == 0
    assert len(target.read_bytes().split(b"\n")) == 20_001


def test_project_in_a_read_only_folder_is_refused_untouched(project):
    from annotator.store.project import ProjectError

    before = project.read_bytes()
    folder = project.parent
    folder.chmod(0o555)
    try:
        with pytest.raises(ProjectError, match="folder is read-only"):
            Store(project)
        with pytest.raises(ProjectError, match="read-only folder"):
            Store(folder / "new.db")
    finally:
        folder.chmod(0o755)
    assert project.read_bytes() == before
    assert not (folder / "new.db").exists()


def _fill_disk(store: Store) -> None:
    """Let the project grow by a couple of pages at most: SQLite then reports a full disk."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")


def test_full_disk_during_a_change_says_so_and_leaves_the_project_consistent(project):
    from annotator.model import text_hash
    from annotator.store.project import ProjectError

    with Store(project, "writer") as store:
        doc = store.documents.ids()[0]
        kept = store.spans.add(doc, 0, 9, "claim")
        _fill_disk(store)
        with pytest.raises(ProjectError, match="disk is full"), store.transaction():
            for i in range(200):
                text = f"a long article {i} " * 400
                store.documents.insert(text=text, text_hash=text_hash(text), title=str(i))
        assert store.documents.count() == len(ARTICLES)
        assert [s.id for s in store.spans.in_document(doc)] == [kept.id]
    db = _read(project)
    assert list(db["spans"]) == [kept.id]


def test_full_disk_during_an_export_leaves_no_file(project, monkeypatch, tmp_path):
    import errno

    from annotator.formats import exporting as exporters
    from annotator.formats.exporting import ExportError

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exporters.os, "fsync", full)
    target = tmp_path / "out" / "export.jsonl"
    with Store(project) as store, pytest.raises(ExportError, match="No space left"):
        exporters.export(store, "annotator", target)
    assert list(target.parent.iterdir()) == []


def test_a_backup_is_made_before_a_schema_upgrade(project, monkeypatch):
    """A newer annotator's migration runs only after a consistent copy sits beside the file."""
    import annotator.store.migrations as schema

    steps = [
        *schema.STEPS,
        ("0002_test_add_column", ["ALTER TABLE documents ADD COLUMN reviewer TEXT"]),
    ]
    monkeypatch.setattr(schema, "STEPS", steps)
    with Store(project, "upgrader") as store:
        columns = {c.name for c in store.db["documents"].columns}
        assert "reviewer" in columns
    (backup,) = project.parent.glob(f"{project.name}.before-0002_test_add_column.*.bak")
    old = sqlite3.connect(backup)
    try:
        assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        old_columns = {row[1] for row in old.execute("PRAGMA table_info(documents)")}
        assert "reviewer" not in old_columns
        assert old.execute("SELECT count(*) FROM documents").fetchone()[0] == len(ARTICLES)
    finally:
        old.close()


def _journal_mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def _articles_file(folder: Path, count: int) -> Path:
    path = folder / "many.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(count):
            text = f"Article {i}. The ministry said 🚀 exports rose {i} per cent. " * 30
            f.write(json.dumps({"text": text, "spans": [{"start": 0, "end": 7, "label": "claim"}]}))
            f.write("\n")
    return path


def test_an_import_returns_the_project_to_wal_mode(project, tmp_path):
    from annotator.formats.importing import import_paths

    source = _articles_file(tmp_path, 50)
    with Store(project, "importer") as store:
        report = import_paths(store, [source])
        assert report.documents_added == 50
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert _journal_mode(project) == "wal"


def test_an_import_beside_another_open_connection_works_and_stays_in_wal(project, tmp_path):
    from annotator.formats.importing import import_paths

    source = _articles_file(tmp_path, 50)
    with Store(project, "window") as window, Store(project, "importer") as store:
        doc = window.documents.ids()[0]
        report = import_paths(store, [source])
        window.spans.add(doc, 0, 7, "quote")  # the other connection keeps working
        assert report.documents_added == 50
        assert window.documents.count() == len(ARTICLES) + 50
    assert _journal_mode(project) == "wal"


@pytest.mark.slow
def test_an_import_killed_midway_leaves_the_project_as_it_was(project, tmp_path):
    source = _articles_file(tmp_path, 20_000)
    before = _read(project)
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(project), "import", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    finished = proc.returncode == 0  # a fast machine may have finished before the kill
    after = _read(project)  # integrity_check inside
    if not finished:
        assert after == before
    with Store(project) as store:  # it opens, and in WAL mode again
        assert store.documents.count() == len(ARTICLES) + (20_000 if finished else 0)
    assert _journal_mode(project) == "wal"
