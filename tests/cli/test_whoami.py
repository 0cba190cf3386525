"""One name everywhere: the command line records the name the window saved (``--user`` and
ANNOTATOR_USER still come first); ``whoami`` says which name is in use and where it comes from,
and ``whoami --set`` changes it for both."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from annotator.analyst import name_file, save_name, saved_name
from annotator.cli.main import cli
from annotator.store.project import Store


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env or {})


def test_whoami_names_the_source_of_each_name(monkeypatch):
    monkeypatch.delenv("ANNOTATOR_USER")
    monkeypatch.setenv("LOGNAME", "root")
    monkeypatch.setenv("USER", "root")
    assert run("whoami").output.startswith("root (the login name; none is saved")
    save_name("Ana Ruiz")
    assert run("whoami").output == f"Ana Ruiz (saved in {name_file()})\n"
    assert run("whoami", env={"ANNOTATOR_USER": "bo"}).output == "bo (from ANNOTATOR_USER)\n"
    assert run("--user", "cy", "whoami").output == "cy (from --user)\n"


def test_whoami_set_saves_a_checked_name_for_both(monkeypatch):
    monkeypatch.delenv("ANNOTATOR_USER")
    result = run("whoami", "--set", "  Bo Lind ")
    assert result.exit_code == 0 and saved_name() == "Bo Lind"
    bad = run("whoami", "--set", "bo\nfake")
    assert bad.exit_code == 1 and "--set:" in bad.output and "\\n" in bad.output
    assert saved_name() == "Bo Lind"


def test_the_command_line_records_the_name_the_window_saved(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_USER")
    save_name("ana")  # as the window's first-start question does
    db = tmp_path / "p.db"
    source = tmp_path / "a.txt"
    source.write_text("Officials said the bridge would open in May.\n")
    assert run("--db", str(db), "import", str(source)).exit_code == 0
    assert run("--db", str(db), "suggest", "--suggester", "quotes").exit_code == 0
    with Store(db) as store:
        assert store.annotator == "ana"
        assert {h["annotator"] for h in store.history()} == {"ana"}
