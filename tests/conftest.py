"""Shared fixtures. Qt is told to draw offscreen before anything can import it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ANNOTATOR_USER", "tester")

import pytest  # noqa: E402

from annotator.store import Store  # noqa: E402


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
