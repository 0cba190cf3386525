"""What a merge promises: a source is only read (no file is made beside it, and a folder the
user may only read is fine), and every merge here is followed by an export read back in."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.exporters import export
from annotator.importers import import_paths
from annotator.merge import MergeError, merge_projects
from annotator.model import text_hash
from annotator.relations import check_attributes
from annotator.store import Store

TEXTS = [
    "The minister said the bridge opens in 2027. Critics doubt it.",
    "“We are on budget,” said Ana Ruiz. Costs rose anyway.",
    "Photo: Ana Ruiz at dawn. Admittedly, the works are late.",
]
STANCE = [{"name": "stance", "kind": "choice", "values": ["for", "against"]}]


def documents(store: Store) -> list[int]:
    """The three texts in a project (added when it lacks them), by index."""
    with store.transaction():
        return [
            store.document_id_by_hash(text_hash(t))
            or store.insert_document(text=t, text_hash=text_hash(t), title=f"t{i}")
            for i, t in enumerate(TEXTS)
        ]


def analyst(path: Path, who: str, spans=(), statuses=None) -> Path:
    """A project of one analyst: ``spans`` as (text index, start, end, label)."""
    with Store(path, who) as store:
        ids = documents(store)
        for index, start, end, label in spans:
            store.add_span(ids[index], start, end, label)
        for index, status in (statuses or {0: "done"}).items():
            store.set_status(ids[index], status)
    return path


def with_stance(path: Path, who: str, declared, value: str) -> Path:
    """An analyst whose claim label declares ``declared`` and whose one claim has ``value``."""
    with Store(path, who) as store:
        store.set_label_attributes("claim", declared)
        doc = documents(store)[0]
        claim = store.add_span(doc, 0, 12, "claim")
        store.set_attributes(claim.id, {"stance": value})
        store.set_status(doc, "done")
    return path


def assert_accepts_its_export(team: Path, folder: Path) -> None:
    """The team project holds nothing it would refuse: every span's attributes are declared
    by its label, every relation fits its type, and its own exports are read back without a
    refusal (a copy of it reads them, so that the project itself stays as the merge left it)."""
    folder.mkdir(exist_ok=True)
    jsonl = folder / "team.jsonl"
    with Store(team, "check") as store:
        labels = {label.name: label for label in store.labels()}
        kinds = {kind.name: kind for kind in store.relation_types()}
        for doc, spans in store.iter_documents():
            by_id = {s.id: s for s in spans}
            for span in spans:
                check_attributes(labels[span.label], span.attributes)
            for rel in store.relations(doc.id):
                assert kinds[rel.label].fits(by_id[rel.head].label, by_id[rel.child].label)
        export(store, "annotator", jsonl)
        export(store, "label-studio", folder / "team.json")
        copy = store.backup(folder / "copy.db")
    with Store(copy, "check") as again:
        report = import_paths(again, [jsonl])
    assert [str(r) for r in report.refused] == []
    shutil.rmtree(folder)


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of the tables a merge writes, to see that a refused merge wrote nothing."""
    conn = sqlite3.connect(path)
    try:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}"), key=repr)
            for table in (
                "documents", "labels", "spans", "statuses", "relations", "relation_types",
                "changes", "merges", "work_sources", "curations",
            )
        }  # fmt: skip
    finally:
        conn.close()


def merged(team: Path, sources, renames=None, **options):
    with Store(team, "lead") as store:
        report = merge_projects(store, sources, renames, **options)
    assert_accepts_its_export(team, team.parent / "export-check")
    return report


def refused(team: Path, sources, renames=None, **options) -> str:
    """The refusal's message; the team project is left exactly as it was."""
    before = table_rows(team) if team.exists() else None
    with Store(team, "lead") as store, pytest.raises(MergeError) as refusal:
        merge_projects(store, sources, renames, **options)
    if before is not None:
        assert table_rows(team) == before
    message = str(refusal.value)
    assert "\n" not in message and "Nothing was merged" in message
    return message


@pytest.fixture
def ana_bo(tmp_path):
    ana = analyst(tmp_path / "ana.db", "ana", [(0, 0, 12, "claim")], {0: "done"})
    bo = analyst(tmp_path / "bo.db", "bo", [(1, 0, 20, "quote")], {1: "in_progress"})
    return ana, bo


# -- reading a source ---------------------------------------------------------------------


def _beside(path: Path) -> dict[str, bytes | None]:
    """The files in a source's folder, with what they hold: all but the -shm, SQLite's index
    of the -wal, which every program reading the file keeps up to date."""
    return {
        p.name: None if p.name.endswith("-shm") else p.read_bytes()
        for p in sorted(path.parent.iterdir())
    }


def _in_a_folder(path: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(path, folder / (name or path.name)))


@pytest.mark.parametrize("name", ["ana.db", "ana #1?%.db"])  # the second, URIs would misread
def test_a_merge_writes_nothing_beside_its_sources(ana_bo, tmp_path, name):
    ana = _in_a_folder(ana_bo[0], tmp_path / "sources", name)
    before = _beside(ana)
    report = merged(tmp_path / "team.db", [ana])
    assert report.sources[0].spans_added == 1
    assert _beside(ana) == before


WRITER = """
import sys, time
from annotator.store import Store
store = Store(sys.argv[1], "ana")
store.add_span(3, 0, 24, "caption")
store.set_status(3, "done")
print("saved", flush=True)
time.sleep(60)
"""


def _writer(path: Path) -> subprocess.Popen:
    """Another program (an analyst's window) that saved a span and keeps the file open."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "saved\n"
    return proc


def _left_by_killed_writer(path: Path, keep_shm: bool) -> None:
    """The file as a killed window leaves it: its last save still in the -wal."""
    proc = _writer(path)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert Path(f"{path}-wal").stat().st_size > 0
    if not keep_shm:
        Path(f"{path}-shm").unlink()


def _caption_merged(team: Path) -> bool:
    with Store(team, "lead") as store:
        return any(s.label == "caption" and s.annotator == "ana" for s in store.spans(3))


def test_a_source_open_in_a_window_is_read_with_its_latest_save(ana_bo, tmp_path):
    ana = _in_a_folder(ana_bo[0], tmp_path / "sources")
    proc = _writer(ana)
    try:
        before = _beside(ana)
        merged(tmp_path / "team.db", [ana])
        assert _beside(ana) == before
    finally:
        proc.kill()
        proc.wait()
    assert _caption_merged(tmp_path / "team.db")


@pytest.mark.parametrize("keep_shm", [True, False], ids=["wal-and-shm", "wal-alone"])
def test_a_source_a_killed_window_left_is_read_with_its_last_save(ana_bo, tmp_path, keep_shm):
    ana = _in_a_folder(ana_bo[0], tmp_path / "sources")
    _left_by_killed_writer(ana, keep_shm)
    before = _beside(ana)
    merged(tmp_path / "team.db", [ana])
    assert _caption_merged(tmp_path / "team.db")
    assert _beside(ana) == before


READ_ONLY_VIEW = """
folder=$1; shift
mount --bind "$folder" "$folder" && mount -o remount,bind,ro "$folder" || exit 97
touch "$folder/.probe" 2>/dev/null && exit 98
exec "$@"
"""


def _merge_from_read_only_folder(folder: Path, source: Path, team: Path) -> str:
    """`annotator merge` run where ``folder`` may only be read: chmod'ed for a user, and for
    root (whom chmod does not stop) a read-only view of it in a mount namespace of its own."""
    command = [sys.executable, "-m", "annotator", "merge", str(source), "--into", str(team)]
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            done = subprocess.run(command, capture_output=True, text=True)
        finally:
            folder.chmod(0o755)
    else:
        if shutil.which("unshare") is None:
            pytest.skip("root, and no unshare to make a read-only folder with")
        done = subprocess.run(
            ["unshare", "-m", "sh", "-c", READ_ONLY_VIEW, "sh", str(folder), *command],
            capture_output=True,
            text=True,
        )
        if done.returncode in (97, 98):
            pytest.skip("root, and no read-only view of a folder can be made here")
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("state", ["closed", "wal-and-shm", "wal-alone"])
def test_a_source_in_a_folder_the_user_may_only_read_is_merged(ana_bo, tmp_path, state):
    folder = tmp_path / "shared"
    ana = _in_a_folder(ana_bo[0], folder)
    if state != "closed":
        _left_by_killed_writer(ana, keep_shm=state == "wal-and-shm")
    before = _beside(ana)
    team = tmp_path / "team.db"
    out = _merge_from_read_only_folder(folder, ana, team)
    assert f"{ana} (ana): 3 documents added" in out
    assert _caption_merged(team) is (state != "closed")
    assert _beside(ana) == before
    assert_accepts_its_export(team, tmp_path / "check")
