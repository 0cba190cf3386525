"""Other programs on a project while an import writes: readers read, writers wait their turn.

Every test runs real processes, several rounds: the import in ``workers/held_import.py`` is
annotator's own import, held mid-transaction so the others are sure to meet it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.importers import import_paths
from annotator.store import Store

pytestmark = pytest.mark.slow

HELD_IMPORT = Path(__file__).parent / "workers" / "held_import.py"
ROUNDS = 3


def _articles(path: Path, count: int, tag: str) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(count):
            text = f"{tag} article {i}. The ministry said exports rose {i} per cent. 🚀 " * 20
            f.write(json.dumps({"text": text, "spans": [{"start": 0, "end": 3, "label": "claim"}]}))
            f.write("\n")
    return path


def _cli(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _held(db: Path, source: Path, hold: float) -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, str(HELD_IMPORT), str(db), str(source), str(hold)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert line.strip() == "writing", worker.stderr.read() if worker.stderr else line
    return worker


def _finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    """Wait for a process and read what it wrote; through the text streams, because a
    readline() before may hold lines in their buffers that communicate() would not see."""
    assert proc.stdout is not None and proc.stderr is not None
    proc.wait(timeout=timeout)
    out, err = proc.stdout.read(), proc.stderr.read()
    return proc.returncode, out, err


def _count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "team.db"
    Store(path, "setup").close()
    return path


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_second_import_waits_for_the_first_and_both_land(project, tmp_path, round_):
    first = _articles(tmp_path / "first.jsonl", 200, f"first{round_}")
    second = _articles(tmp_path / "second.jsonl", 150, f"second{round_}")
    held = _held(project, first, hold=1.5)
    started = time.monotonic()
    other = _cli(project, "import", str(second))
    code, out, err = _finish(other)
    assert code == 0, err
    assert "150 documents added" in out
    assert time.monotonic() - started >= 1.0  # it waited for the held import, then wrote
    code, out, err = _finish(held)
    assert code == 0 and out.strip() == "done 200", err
    assert _count(project, "documents") == 350
    assert _count(project, "spans") == 350


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_readers_read_while_an_import_writes(project, tmp_path, round_):
    with Store(project, "setup") as store:
        import_paths(store, [_articles(tmp_path / "before.jsonl", 5, f"before{round_}")])
    held = _held(project, _articles(tmp_path / "big.jsonl", 200, f"big{round_}"), hold=3)
    readers = [_cli(project, "stats", "--json") for _ in range(6)]
    results = [_finish(r, timeout=60) for r in readers]
    still_writing = held.poll() is None
    assert _finish(held)[0] == 0
    for code, out, err in results:
        assert code == 0, err
        assert json.loads(out)["documents"] == 5  # the import's rows are not visible yet
    assert still_writing  # the readers did not wait for the import to end
    assert _count(project, "documents") == 205


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_the_same_file_imported_twice_at_once_is_stored_once(project, tmp_path, round_):
    source = _articles(tmp_path / "same.jsonl", 300, f"same{round_}")
    imports = [_cli(project, "import", str(source)) for _ in range(2)]
    results = [_finish(p) for p in imports]
    for code, _, err in results:
        assert code == 0, err
    outputs = sorted(out for _, out, _ in results)
    assert any("300 documents added" in out for out in outputs)
    assert any("0 documents added, 300 duplicates left out" in out for out in outputs)
    assert _count(project, "documents") == 300
    assert _count(project, "spans") == 300


def test_the_window_store_waits_for_an_import_then_saves(project, tmp_path):
    with Store(project, "setup") as store:
        import_paths(store, [_articles(tmp_path / "one.jsonl", 1, "one")])
    held = _held(project, _articles(tmp_path / "big.jsonl", 100, "big"), hold=1.5)
    with Store(project, "analyst") as store:  # as the window opens it, mid-import
        (doc,) = store.document_ids()
        span = store.add_span(doc, 0, 3, "quote")
    assert _finish(held)[0] == 0
    with Store(project, "check") as store:
        assert store.span(span.id).label == "quote"


def test_a_writer_that_cannot_get_its_turn_says_how_long_it_waited(project, monkeypatch):
    import annotator.store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 600)
    with Store(project, "setup") as store, store.transaction():
        from annotator.model import text_hash

        store.insert_document(text="A text.", text_hash=text_hash("A text."), title="a")
    blocker = sqlite3.connect(project, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Store(project, "analyst") as store:
            from annotator.store import ProjectError

            with pytest.raises(ProjectError, match=r"waited 0\.[5-9] s|waited 1\.\d s"):
                store.add_span(store.document_ids()[0], 0, 1, "claim")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_a_patient_import_waits_past_the_busy_timeout(project, tmp_path, monkeypatch):
    import threading

    import annotator.store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 300)
    source = _articles(tmp_path / "late.jsonl", 3, "late")
    blocker = sqlite3.connect(project, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(1.5, lambda: blocker.execute("ROLLBACK"))
    timer.start()
    told: list[float] = []
    try:
        with Store(project, "importer") as store:
            report = import_paths(store, [source], on_wait=told.append)
    finally:
        timer.join()
        blocker.close()
    assert report.ok and report.documents_added == 3
    assert len(told) == 1
