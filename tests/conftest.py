"""Shared fixtures. Qt is told to draw offscreen before anything can import it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ANNOTATOR_USER", "tester")

import pytest

from annotator.store.project import Store


@pytest.fixture
def store(tmp_path):
    """A fresh project with the default labels."""
    s = Store(tmp_path / "project.db", "tester")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep the default project and Qt settings of a test run out of the real home folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    monkeypatch.delenv("ANNOTATOR_KEYS", raising=False)


# -- helpers shared by the core tests -----------------------------------------------------------


def dump_tables(path) -> dict[str, list[tuple]]:
    """Every row of every table (and the schema), to compare a project before and after."""
    import sqlite3

    conn = sqlite3.connect(str(path))
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        dumped = {"sqlite_master": sorted(conn.execute("SELECT * FROM sqlite_master"), key=repr)}
        for name in names:
            dumped[name] = sorted(conn.execute(f'SELECT * FROM "{name}"'), key=repr)
        return dumped
    finally:
        conn.close()


@pytest.fixture
def dump():
    """``dump(path)``: all rows of all tables of a project file."""
    return dump_tables


@pytest.fixture
def raw(store):
    """A second connection to the store's file, as another program would open it."""
    import sqlite3

    conn = sqlite3.connect(str(store.path))
    yield conn
    conn.close()


@pytest.fixture
def write(tmp_path):
    """``write(name, content)``: a file under tmp_path/in. ``content`` is bytes, text (written
    as UTF-8 exactly), or a list of tasks (one JSON line each for .jsonl, a JSON list for .json;
    a str item in a .jsonl list is written as the raw line)."""
    import json

    def _write(name: str, content) -> object:
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            data = content
        elif isinstance(content, str):
            data = content.encode("utf-8")
        elif name.endswith(".json"):
            data = json.dumps(content, ensure_ascii=False, indent=1).encode("utf-8")
        else:
            lines = [
                item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
                for item in content
            ]
            data = ("\n".join(lines) + "\n").encode("utf-8")
        path.write_bytes(data)
        return path

    return _write


@pytest.fixture
def add_doc(store):
    """``add_doc(text, ...)``: put a document straight into the store; returns its id."""
    from annotator.model import text_hash

    def _add(text: str, title: str | None = None, meta=None, status: str = "new", target=None):
        s = target or store
        with s.transaction():
            return s.documents.insert(
                text=text,
                text_hash=text_hash(text),
                title=title or text.split("\n")[0][:40],
                meta=meta,
                status=status,
            )

    return _add
