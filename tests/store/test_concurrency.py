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
from processes import _articles, _cli, _count, _finish, _held, _release

from annotator.formats.importing import import_paths
from annotator.store.project import Store

pytestmark = pytest.mark.slow

HELD_DELETE = Path(__file__).parent.parent / "workers" / "held_label_delete.py"
ROUNDS = 3


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
    held = _held(project, _articles(tmp_path / "big.jsonl", 200, f"big{round_}"), hold=None)
    readers = [_cli(project, "stats", "--json") for _ in range(6)]
    results = [_finish(r, timeout=60) for r in readers]
    still_writing = held.poll() is None
    _release(held)  # held until every reader has read, however slowly they started
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
        (doc,) = store.documents.ids()
        span = store.spans.add(doc, 0, 3, "quote")
    assert _finish(held)[0] == 0
    with Store(project, "check") as store:
        assert store.spans.get(span.id).label == "quote"


def test_a_writer_that_cannot_get_its_turn_says_how_long_it_waited(project, monkeypatch):
    import annotator.store.project as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 600)
    with Store(project, "setup") as store, store.transaction():
        from annotator.model import text_hash

        store.documents.insert(text="A text.", text_hash=text_hash("A text."), title="a")
    blocker = sqlite3.connect(project, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Store(project, "analyst") as store:
            from annotator.store.project import ProjectError

            with pytest.raises(ProjectError, match=r"waited 0\.[5-9] s|waited 1\.\d s"):
                store.spans.add(store.documents.ids()[0], 0, 1, "claim")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_a_patient_import_waits_past_the_busy_timeout(project, tmp_path, monkeypatch):
    import threading

    import annotator.store.project as store_module

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


# -- curation against curation, and against a label deleted meanwhile ------------------------

TEAM_DOCUMENTS = 200


@pytest.fixture(scope="module")
def team_project(tmp_path_factory):
    """Two analysts who both marked every document done, each with the same quote, speaker
    and said_by relation on it: curation agrees on 2 spans and 1 relation a document."""
    from annotator.model import text_hash

    path = tmp_path_factory.mktemp("team") / "team.db"
    with Store(path, "setup") as store, store.transaction():
        for i in range(TEAM_DOCUMENTS):
            text = f"Article {i}: “We will build it,” said Mayor Ana Ruiz on day {i}."
            store.documents.insert(text=text, text_hash=text_hash(text), title=f"Article {i}")
    for analyst in ("ana", "ben"):
        with Store(path, analyst) as store, store.transaction():
            for doc in store.documents.ids():
                text = store.documents.text(doc)
                quote = store.spans.add(doc, text.index("“"), text.index("”") + 1, "quote")
                speaker = store.spans.add(
                    doc, text.index("Mayor"), text.index(" on day"), "speaker"
                )
                store.relations.add(quote.id, speaker.id, "said_by")
                store.statuses.set(doc, "done")
    return path


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "curating.db"
    target.write_bytes(source.read_bytes())
    return target


def _held_lock(db: Path) -> sqlite3.Connection:
    """Another program's write under way: whoever starts now reads the project as it is, then
    waits for its turn to write."""
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    return blocker


def _curate(db: Path) -> subprocess.Popen:
    return _cli(db, "--user", "cleo", "curate", "--agreed")


def _whole(db: Path) -> None:
    """The project is consistent: no broken reference, every span count right, every relation
    of labels its type allows, and nothing curated twice."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute(
            "SELECT count(*) FROM documents d WHERE span_count != (SELECT count(*) FROM spans s"
            " WHERE s.document_id = d.id AND s.origin != 'suggested')"
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM relations r JOIN relation_types t ON t.id = r.type_id"
            " JOIN spans h ON h.id = r.head JOIN labels hl ON hl.id = h.label_id"
            " JOIN spans c ON c.id = r.child JOIN labels cl ON cl.id = c.label_id"
            " WHERE hl.name NOT IN (SELECT value FROM json_each(t.heads))"
            " OR cl.name NOT IN (SELECT value FROM json_each(t.children))"
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM spans WHERE origin = 'curated'"
            ' GROUP BY document_id, start, "end", label_id HAVING count(*) > 1)'
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM relations WHERE origin = 'curated'"
            " GROUP BY head, child, type_id HAVING count(*) > 1)"
        ).fetchone() == (0,)
    finally:
        conn.close()


def _curated(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE origin = 'curated'").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_curations_at_once_curate_each_span_and_relation_once(team_project, tmp_path, round_):
    db = _copy(team_project, tmp_path)
    blocker = _held_lock(db) if round_ else None  # the first round: both simply start at once
    runs = [_curate(db), _curate(db)]
    if blocker is not None:
        time.sleep(1.5 * round_)  # both have read the project, and wait to write
        blocker.execute("ROLLBACK")
        blocker.close()
    results = sorted(_finish(run) for run in runs)
    for code, _, err in results:
        assert code == 0 and "Traceback" not in err, err
    outputs = [out for _, out, _ in results]
    assert any(
        f"{2 * TEAM_DOCUMENTS} agreed spans and {TEAM_DOCUMENTS} agreed relations" in out
        for out in outputs
    ), outputs
    assert any("0 agreed spans put into the curated layer" in out for out in outputs), outputs
    assert _curated(db, "spans") == 2 * TEAM_DOCUMENTS
    assert _curated(db, "relations") == TEAM_DOCUMENTS
    _whole(db)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_curation_meets_a_label_deleted_meanwhile_and_the_project_stays_whole(
    team_project, tmp_path, round_
):
    db = _copy(team_project, tmp_path)
    blocker = _held_lock(db)
    curation = _curate(db)
    time.sleep(1.5)  # the curation has read the project, speakers and all, and waits to write
    deletion = _cli(db, "--user", "cleo", "labels", "delete", "speaker", "--force")
    time.sleep(0.5 * round_)
    blocker.execute("ROLLBACK")
    blocker.close()
    for code, _, err in (_finish(curation), _finish(deletion)):
        assert "Traceback" not in err, err
        assert code == 0 or (err.startswith("Error: ") and err.count("\n") == 1), err
    _whole(db)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM labels WHERE name = 'speaker'").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM relations").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM spans WHERE origin = 'curated'").fetchone() in (
            (0,),
            (TEAM_DOCUMENTS,),
        )
    finally:
        conn.close()


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_label_deleted_while_a_curation_waits_is_seen_by_it(team_project, tmp_path, round_):
    """The deletion is written (and committed) while the curation waits for its turn, after
    it started: it must curate without the label, not write spans of a label that is gone."""
    db = _copy(team_project, tmp_path)
    deletion = subprocess.Popen(
        [sys.executable, str(HELD_DELETE), str(db), "speaker", str(1.5 + 0.5 * round_)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert deletion.stdout is not None
    assert deletion.stdout.readline().strip() == "writing"
    curation = _curate(db)
    code, out, err = _finish(deletion)
    assert code == 0 and out.strip() == f"done {2 * TEAM_DOCUMENTS}", err
    code, out, err = _finish(curation)
    assert code == 0 and "Traceback" not in err, err
    assert f"{TEAM_DOCUMENTS} agreed spans put into the curated layer" in out
    _whole(db)
    assert _curated(db, "spans") == TEAM_DOCUMENTS and _curated(db, "relations") == 0
