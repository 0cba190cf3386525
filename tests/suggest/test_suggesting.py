"""Suggestions in the store: made, kept apart, accepted, rejected, and from a user's program."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli.main import cli
from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.suggest.running import (
    SuggestError,
    accept_suggestion,
    reject_suggestion,
    run_command,
    run_suggesters,
    suggestions,
    unreject_suggestion,
)

MODEL = Path(__file__).parent.parent / "workers" / "model.py"
TEXT = (
    "Council backs the tram\n"
    "“We will build it,” the mayor said. Admittedly, costs rose.\n"
    "Photo: The bridge at dawn. (Ana Ruiz / City Courier)\n"
)


@pytest.fixture
def doc(add_doc):
    return add_doc(TEXT, title="Tram")


def test_suggestions_are_stored_apart_and_change_no_status(store, doc):
    report = run_suggesters(store, documents=[doc])
    found = {(TEXT[s.start : s.end], s.label, s.suggester) for s in suggestions(store, doc)}
    assert found == {
        ("“We will build it,”", "quote", "quotes"),
        ("Admittedly, costs rose.", "concession", "concessions"),
        ("Photo: The bridge at dawn. (Ana Ruiz / City Courier)", "caption", "captions"),
        ("the mayor", "speaker", "speakers"),
    }
    assert sum(sum(c.values()) for c in report.proposed.values()) == 4
    assert store.documents.row(doc).status == "new"
    assert store.documents.row(doc).span_count == 0  # counted apart
    stats = store.stats()
    assert stats["spans"] == 0 and stats["suggestions"] == 4


def test_running_again_keeps_what_is_there_and_adds_nothing(store, doc):
    run_suggesters(store, documents=[doc])
    ids = {s.id for s in suggestions(store, doc)}
    report = run_suggesters(store, documents=[doc])
    assert {s.id for s in suggestions(store, doc)} == ids and report.kept == 4


def test_default_export_has_no_suggestions_and_include_writes_them_whole(store, doc, tmp_path):
    run_suggesters(store, documents=[doc])
    plain, full = tmp_path / "plain.jsonl", tmp_path / "full.jsonl"
    export(store, "annotator", plain)
    export(store, "annotator", full, include_suggestions=True)
    assert json.loads(plain.read_text())["spans"] == []
    spans = json.loads(full.read_text())["spans"]
    assert {s["origin"] for s in spans} == {"suggested"}
    assert all(TEXT[s["start"] : s["end"]] == s["text"] and 0 <= s["score"] <= 1 for s in spans)
    assert {s["suggester"] for s in spans} == {"quotes", "concessions", "captions", "speakers"}


def test_accepting_makes_it_the_analysts_span_and_the_history_says_from_what(store, doc, tmp_path):
    run_suggesters(store, documents=[doc])
    quote = next(s for s in suggestions(store, doc) if s.label == "quote")
    span = accept_suggestion(store, quote.id)
    assert (span.origin, span.annotator, span.label) == ("manual", "tester", "quote")
    assert store.documents.row(doc).status == "in_progress"
    entry = next(c for c in store.history(doc) if c["action"] == "accept_suggestion")
    assert entry["details"]["suggestion"] == quote.id and entry["details"]["suggester"] == "quotes"
    out = tmp_path / "o.jsonl"
    export(store, "annotator", out)
    record = json.loads(out.read_text())
    assert [s["text"] for s in record["spans"]] == ["“We will build it,”", "the mayor"]
    (said_by,) = record["relations"]  # the speaker came with the quote, and who said it
    assert (said_by["label"], said_by["origin"]) == ("said_by", "manual")


def test_accepting_with_another_label_or_moved_edges(store, doc):
    run_suggesters(store, documents=[doc])
    concession = next(s for s in suggestions(store, doc) if s.label == "concession")
    span = accept_suggestion(store, concession.id, label="claim", end=concession.end - 1)
    assert span.label == "claim" and span.end == concession.end - 1


def test_a_rejected_suggestion_is_not_proposed_again_and_undo_brings_it_back(store, doc):
    run_suggesters(store, documents=[doc])
    caption = next(s for s in suggestions(store, doc) if s.label == "caption")
    gone = reject_suggestion(store, caption.id)
    run_suggesters(store, documents=[doc])
    assert caption.id not in {s.id for s in suggestions(store, doc)}
    assert all(s.label != "caption" for s in suggestions(store, doc))
    unreject_suggestion(store, gone)
    assert caption.id in {s.id for s in suggestions(store, doc)}


def test_what_is_already_tagged_is_not_suggested(store, doc):
    start = TEXT.index("Photo")
    store.spans.add(doc, start, TEXT.index(")") + 1, "caption")
    run_suggesters(store, documents=[doc])
    assert all(s.label != "caption" for s in suggestions(store, doc))


def command(mode: str) -> str:
    return f"{sys.executable} {MODEL} {mode}"


def test_a_users_own_model_suggests_through_its_standard_streams(store, doc):
    report, said = run_command(store, command("good"), documents=[doc], name="mine")
    (s,) = suggestions(store, doc)
    assert (s.start, s.end, s.label, s.suggester, s.score) == (0, 7, "claim", "mine", 0.7)
    assert "read 1 tasks" in said and report.documents == 1


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("garbage", "line 1: not JSON"),
        ("out-of-range", "line 1: spans[0]: span [0, "),
        ("fail", "failed (exit code 3)"),
    ],
)
def test_a_bad_model_is_refused_and_nothing_is_stored(store, doc, mode, says):
    with pytest.raises(SuggestError, match=re_escape(says)):
        run_command(store, command(mode), documents=[doc])
    assert suggestions(store, doc) == []


def test_a_model_that_hangs_is_stopped_after_the_timeout(store, doc):
    with pytest.raises(SuggestError, match="did not finish within 1 s"):
        run_command(store, command("hang"), documents=[doc], timeout=1)
    assert suggestions(store, doc) == []


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ('python "my model.py', 'a quotation mark is not closed: python "my model.py'),
        ("python model.py 'fast", "a quotation mark is not closed"),
        ("python model.py \\", "it ends in a backslash with nothing after it"),
        ("  ", "--command is empty"),
    ],
)
def test_a_command_that_cannot_be_split_is_refused_in_a_sentence(tmp_path, dump, typed, says):
    db = tmp_path / "p.db"
    runner = CliRunner()
    runner.invoke(cli, ["--db", str(db), "suggest"])
    before = dump(db)
    result = runner.invoke(cli, ["--db", str(db), "suggest", "--command", typed])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert says in result.output and "Traceback" not in result.output
    assert dump(db) == before


# A model that starts a helper: the helper holds standard output open, and either the model
# ends at once, leaving it running ("ends"), or waits for it ("waits").
HELPERS = {
    "ends": "sleep 60 & echo $! > {pid}",
    "waits": "sleep 60 & echo $! > {pid}; wait",
}
STOPPED = {
    "ends": "it ended, but a process it started kept its output open",
    "waits": "was stopped, with every process it started",
}


def _helper_command(mode: str, pidfile: Path) -> str:
    return "sh -c " + shlex.quote(HELPERS[mode].format(pid=shlex.quote(str(pidfile))))


def _running(pid: int) -> bool:
    """Whether a process runs (a zombie that no one has reaped yet does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the system
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state != "Z"


def _stopped_soon(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while _running(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)  # leave nothing behind, whatever the test says
            return False
        time.sleep(0.05)
    return True


def _read_pid(pidfile: Path, within: float = 20) -> int:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            return int(pidfile.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{pidfile} was never written")


@pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")
@pytest.mark.parametrize("mode", ["ends", "waits"])
def test_on_timeout_every_process_the_model_started_is_stopped(tmp_path, write, dump, mode):
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    runner.invoke(cli, ["--db", db, "import", str(write("a.txt", TEXT))])
    before = dump(db)
    for round in range(2):
        pidfile = tmp_path / f"helper-{round}"
        command = _helper_command(mode, pidfile)
        started = time.monotonic()
        result = runner.invoke(cli, ["--db", db, "suggest", "--command", command, "--timeout", "1"])
        took = time.monotonic() - started
        helper = _read_pid(pidfile)
        assert _stopped_soon(helper), "the helper the model started is still running"
        assert result.exit_code == 1, result.output
        assert f"sh did not finish within 1 s{'' if mode == 'ends' else ' and'}" in result.output
        assert STOPPED[mode] in result.output and "nothing was stored" in result.output
        assert took < 4, f"suggest took {took:.1f} s with a timeout of 1 s"
        assert dump(db) == before


@pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")
def test_ctrl_c_on_suggest_stops_every_process_the_model_started(tmp_path, write):
    db = str(tmp_path / "p.db")
    CliRunner().invoke(cli, ["--db", db, "import", str(write("a.txt", TEXT))])
    pidfile = tmp_path / "helper"
    args = ["--db", db, "suggest", "--command", _helper_command("waits", pidfile)]
    # Started as a terminal starts a foreground command: with Ctrl+C's default handling, even
    # when these tests run where it is ignored (a shell's background job ignores it).
    suggest = subprocess.Popen(
        [sys.executable, "-m", "annotator", *args],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        helper = _read_pid(pidfile)
        suggest.send_signal(signal.SIGINT)  # what Ctrl+C sends to the terminal's foreground
        _, said = suggest.communicate(timeout=30)
    finally:
        suggest.kill()
    assert _stopped_soon(helper), "the helper the model started is still running"
    assert suggest.returncode != 0 and "Traceback" not in said


def test_a_file_that_is_no_program_is_refused_in_a_sentence(store, doc, tmp_path):
    script = tmp_path / "model"
    script.write_text("print('no #! line')\n")
    script.chmod(0o755)
    with pytest.raises(SuggestError, match="model: cannot be run"):
        run_command(store, str(script), documents=[doc])
    assert suggestions(store, doc) == []


def re_escape(text: str) -> str:
    import re

    return re.escape(text)


def test_import_as_suggestions(store, write):
    path = write(
        "model.jsonl",
        [
            {
                "text": "Ana said so.",
                "spans": [{"start": 0, "end": 3, "label": "quote", "score": 0.4}],
            }
        ],
    )
    import_paths(store, [path], as_suggestions=True)
    (s,) = suggestions(store, 1)
    assert (s.origin, s.suggester, s.score) == ("suggested", "import model.jsonl", 0.4)


def test_the_suggest_command(tmp_path, write):
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    runner.invoke(cli, ["--db", db, "import", str(write("a.txt", TEXT))])
    result = runner.invoke(cli, ["--db", db, "suggest"])
    assert result.exit_code == 0, result.output
    assert "quotes: 1 (quote 1)" in result.output and "captions: 1 (caption 1)" in result.output
    stats = runner.invoke(cli, ["--db", db, "stats"]).output
    assert "Suggestions (not yet accepted or rejected): 4" in stats
    bad = runner.invoke(cli, ["--db", db, "suggest", "--command", command("garbage")])
    assert bad.exit_code == 1 and "nothing was stored" in bad.output
    out = runner.invoke(cli, ["--db", db, "export", "--include-suggestions", "-o", "-"]).stdout
    assert len(json.loads(out)["spans"]) == 4


# -- the patterns file ----------------------------------------------------------------------------


@pytest.fixture
def project_db(tmp_path, write):
    db = tmp_path / "p.db"
    CliRunner().invoke(cli, ["--db", str(db), "import", str(write("a.txt", TEXT))])
    return db


def test_patterns_init_on_a_full_disk_says_so_and_leaves_no_file(project_db, monkeypatch):
    import errno

    from annotator import destinations
    from annotator.suggest.builtin.patterns import default_path

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    runner = CliRunner()
    monkeypatch.setattr(destinations.os, "fsync", full)
    result = runner.invoke(cli, ["--db", str(project_db), "patterns", "init"])
    assert result.exit_code == 1, result.output
    assert "p.db.patterns.jsonl: could not be written (the disk is full); no file was left" in (
        result.output
    )
    assert "Traceback" not in result.output
    assert not [p.name for p in project_db.parent.iterdir() if "patterns" in p.name]
    monkeypatch.undo()
    result = runner.invoke(cli, ["--db", str(project_db), "patterns", "init"])
    assert result.exit_code == 0, result.output
    written = project_db.with_name("p.db.patterns.jsonl")
    assert written.read_bytes() == default_path().read_bytes()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "p.db.patterns.jsonl: holds no patterns, so the suggesters would find nothing"),
        (b"\n  \n", "p.db.patterns.jsonl: holds no patterns"),
        (b"// the quotes\n", "p.db.patterns.jsonl: holds no patterns"),
        (b'{"suggester": "quotes", "wo', "p.db.patterns.jsonl:1: "),
        (b"\xff\xfe{}", "p.db.patterns.jsonl: cannot be read"),
    ],
)
def test_suggest_says_what_is_wrong_with_an_empty_or_broken_patterns_file(
    project_db, dump, content, says
):
    patterns = project_db.with_name("p.db.patterns.jsonl")
    patterns.write_bytes(content)
    before = dump(project_db)
    runner = CliRunner()
    for given in ([], ["--patterns", str(patterns)]):
        result = runner.invoke(cli, ["--db", str(project_db), "suggest", *given])
        assert result.exit_code == 1, result.output
        assert says in result.output and "Traceback" not in result.output
    assert dump(project_db) == before


def test_patterns_init_replaces_an_empty_file_and_no_other(project_db):
    """An empty file is what a full disk left before patterns were written whole."""
    patterns = project_db.with_name("p.db.patterns.jsonl")
    patterns.write_bytes(b"")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(project_db), "patterns", "init"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["--db", str(project_db), "suggest"]).exit_code == 0
    patterns.write_text('{"suggester": "quotes", "word": "said"}\n')
    again = runner.invoke(cli, ["--db", str(project_db), "patterns", "init"])
    assert again.exit_code == 1 and "is already there; edit it" in again.output
    assert patterns.read_text() == '{"suggester": "quotes", "word": "said"}\n'
