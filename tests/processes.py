"""Real processes for the concurrency tests: an import held open mid-write, the command line,
and reading a project's row counts from outside."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

HELD_IMPORT = Path(__file__).parent / "workers" / "held_import.py"


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


def _held(db: Path, source: Path, hold: float | None) -> subprocess.Popen:
    """An import held mid-write for ``hold`` seconds, or (None) until :func:`_release`."""
    worker = subprocess.Popen(
        [
            sys.executable,
            str(HELD_IMPORT),
            str(db),
            str(source),
            "release" if hold is None else str(hold),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert line.strip() == "writing", worker.stderr.read() if worker.stderr else line
    return worker


def _release(worker: subprocess.Popen) -> None:
    """Let an import held until released go on to its end."""
    assert worker.stdin is not None
    worker.stdin.write("go\n")
    worker.stdin.close()


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
