"""Exports and backups to things that are not regular files: written into, never replaced."""

from __future__ import annotations

import fcntl
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotator.destinations import output, remove_stale_partials
from annotator.formats.exporting import ExportError, export
from annotator.model import text_hash
from annotator.store.project import ProjectError, Store

HAS_DEV_FULL = Path("/dev/full").exists()


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.db"
    with Store(path, "tester") as store, store.transaction():
        for i in range(3):
            text = f"Article {i}: the minister said so. 🚀"
            store.documents.insert(text=text, text_hash=text_hash(text), title=f"a{i}")
    with Store(path, "tester") as store:
        store.spans.add(store.documents.ids()[0], 0, 7, "claim")
    return path


class FifoReader(threading.Thread):
    """Reads a named pipe to its end in the background, as another program would."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path, self.data = path, b""

    def run(self) -> None:
        with open(self.path, "rb") as f:
            self.data = f.read()


def _fifo(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


def test_export_into_a_named_pipe_writes_into_it(project, tmp_path):
    fifo = _fifo(tmp_path, "out.jsonl")
    reader = FifoReader(fifo)
    reader.start()
    with Store(project, "tester") as store:
        report = export(store, "annotator", fifo)
    reader.join(10)
    lines = reader.data.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == report.documents == 3
    assert json.loads(lines[0])["spans"][0]["text"] == "Article"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still the pipe, not a file put in its place
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
def test_export_to_a_full_device_says_the_disk_is_full_and_keeps_the_device(project):
    before = os.stat("/dev/full")
    with Store(project, "tester") as store, pytest.raises(ExportError, match="No space left"):
        export(store, "annotator", "/dev/full")
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
def test_backup_to_a_full_device_says_so_and_keeps_the_device(project):
    with Store(project, "tester") as store, pytest.raises(ProjectError, match="No space left"):
        store.backup("/dev/full")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_backup_into_a_named_pipe_streams_a_whole_project(project, tmp_path):
    fifo = _fifo(tmp_path, "copy.db")
    reader = FifoReader(fifo)
    reader.start()
    with Store(project, "tester") as store:
        store.backup(fifo)
    reader.join(10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    copy = tmp_path / "received.db"
    copy.write_bytes(reader.data)
    with Store(copy, "tester") as store:
        assert store.documents.count() == 3


def test_export_to_standard_output_by_its_device_name_goes_to_the_pipe(project, tmp_path):
    code = (
        "import sys; from annotator.cli.main import main; "
        f"sys.argv = ['annotator', '--db', {str(project)!r}, 'export', '-o', '/dev/stdout']; main()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().split("\n")) == 3
    assert "Exported 3 documents and 1 span" in result.stderr  # the message stays out of the data


def test_export_to_a_closed_pipe_is_reported_not_a_traceback(project):
    cmd = [sys.executable, "-m", "annotator", "--db", str(project), "export", "-o", "-"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # the reader goes away before anything is written
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert b"Traceback" not in err
    assert b"standard output was closed" in err


def test_export_through_a_symlink_replaces_the_file_it_points_to(project, tmp_path):
    target = tmp_path / "real.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    with Store(project, "tester") as store:
        export(store, "annotator", link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert len(target.read_text().splitlines()) == 3


def test_a_killed_exports_temporary_file_is_removed_by_the_next_export(project, tmp_path):
    out = tmp_path / "exports" / "o.jsonl"
    out.parent.mkdir()
    stale = out.parent / ".o.jsonl.0123456789ab.partial"
    stale.write_text("half an export")
    other = out.parent / ".other.jsonl.0123456789ab.partial"  # another export's: not ours
    other.write_text("someone else's")
    with Store(project, "tester") as store:
        export(store, "annotator", out)
    assert not stale.exists()
    assert other.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([out.name, other.name])


def test_a_temporary_file_still_being_written_is_left_alone(tmp_path):
    target = tmp_path / "o.jsonl"
    held = tmp_path / ".o.jsonl.aaaaaaaaaaaa.partial"
    held.write_text("in progress")
    fd = os.open(held, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a live export holds its own
    try:
        assert remove_stale_partials(target) == []
        assert held.exists()
    finally:
        os.close(fd)
    assert remove_stale_partials(target) == [held]


def test_an_export_that_fails_midway_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "o.jsonl"
    target.write_text("the earlier export\n")
    with pytest.raises(RuntimeError), output(target) as out:
        out.write("half")
        raise RuntimeError("stopped")
    assert target.read_text() == "the earlier export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["o.jsonl"]


def test_a_read_only_file_is_not_replaced_even_by_root(project, tmp_path):
    target = tmp_path / "kept.jsonl"
    target.write_text("keep me\n")
    target.chmod(0o444)
    with Store(project, "tester") as store, pytest.raises(ExportError, match="read-only"):
        export(store, "annotator", target)
    assert target.read_text() == "keep me\n"
    assert not list(tmp_path.glob(".kept.jsonl.*"))


def test_a_backup_does_not_replace_a_read_only_file(project, tmp_path):
    target = tmp_path / "old.bak"
    target.write_bytes(b"an older backup")
    target.chmod(0o444)
    with Store(project, "tester") as store, pytest.raises(ProjectError, match="read-only"):
        store.backup(target)
    assert target.read_bytes() == b"an older backup"
