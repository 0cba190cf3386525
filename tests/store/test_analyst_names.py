"""Analysts' names: refused when they would print as something else, on every road they take
into a project, and printed escaped where an older project already holds one."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from annotator.analyst import default_annotator
from annotator.cli.main import cli
from annotator.formats.importing import import_paths
from annotator.model import ANALYST_NAME_MAX, AnalystNameError, check_analyst_name, text_hash
from annotator.store.project import Store

#: Names no road may store, and the words the refusal uses.
BAD_NAMES = [
    ("ana\nfake line", "control or formatting character (\\n)"),
    ("\x1b[2J\x1b[31mred", "control or formatting character (\\u001b)"),
    ("bo\u202eeno", "control or formatting character (\\u202e)"),  # right-to-left override
    ("cy\u2028", "control or formatting character (\\u2028)"),  # a line separator
    ("x" * 10_000, f"at most {ANALYST_NAME_MAX} characters; this one has 10,000"),
    ("   ", "cannot be blank"),
]
BAD = [name for name, _ in BAD_NAMES]
TEXT = "The minister said the bridge opens in 2027."


def run(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def project_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the one check ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "reason"), BAD_NAMES)
def test_the_check_refuses_control_characters_blank_and_overlong_names(name, reason):
    with pytest.raises(AnalystNameError, match="analyst") as refused:
        check_analyst_name(name)
    assert reason in str(refused.value)
    assert "\n" not in str(refused.value) and "\x1b" not in str(refused.value)


def test_the_check_keeps_every_printable_name_and_drops_the_spaces_around_it():
    for name in ["Ana Ruiz", "José Ñúñez", "李明", "ana@example.org", "o'brien; r&d", "x" * 100]:
        assert check_analyst_name(name) == name
    assert check_analyst_name("  Ana Ruiz ") == "Ana Ruiz"
    with pytest.raises(AnalystNameError):
        check_analyst_name("x" * 101)


@pytest.mark.parametrize("name", BAD)
def test_a_store_refuses_the_name_before_it_makes_anything(tmp_path, name):
    with pytest.raises(AnalystNameError):
        Store(tmp_path / "p.db", name)
    assert project_files(tmp_path) == []


def test_a_store_refuses_a_bad_name_set_on_an_open_project(store):
    for name in BAD:
        with pytest.raises(AnalystNameError):
            store.annotator = name
    assert store.annotator == "tester"


# -- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "reason"), BAD_NAMES)
def test_user_option_is_refused_with_a_message_and_nothing_is_made(tmp_path, name, reason):
    db = tmp_path / "p.db"
    result = run("--db", str(db), "--user", name, "import", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --user: ")
    assert reason in result.stderr
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr
    assert project_files(tmp_path) == []


def test_an_empty_user_option_is_refused(tmp_path):
    result = run("--db", str(tmp_path / "p.db"), "--user", "", "labels", "add", "rumour")
    assert result.exit_code == 1 and "--user: an analyst's name cannot be blank" in result.stderr
    assert project_files(tmp_path) == []


@pytest.mark.parametrize(("name", "reason"), BAD_NAMES)
def test_annotator_user_is_refused_naming_the_variable(tmp_path, name, reason):
    db = tmp_path / "p.db"
    result = run("--db", str(db), "labels", "add", "rumour", env={"ANNOTATOR_USER": name})
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ANNOTATOR_USER: ") and reason in result.stderr
    assert project_files(tmp_path) == []


@pytest.mark.parametrize("option", ["--user", "ANNOTATOR_USER"])
def test_the_window_is_not_started_for_a_bad_name(tmp_path, monkeypatch, option):
    import sys
    import types

    def window(path):  # pragma: no cover - must not be reached
        raise AssertionError("the window was started")

    monkeypatch.setitem(sys.modules, "annotator.gui.app", types.SimpleNamespace(run=window))
    monkeypatch.setattr("annotator.cli.desktop.window_problem", lambda environ=None: None)
    db = tmp_path / "p.db"
    if option == "--user":
        result = run("--db", str(db), "--user", "ana\nfake")
    else:
        result = run("--db", str(db), env={"ANNOTATOR_USER": "ana\nfake"})
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {option}: ")
    assert project_files(tmp_path) == []


def test_annotator_user_is_checked_where_no_option_reads_it(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_USER", "ana\nfake")
    with pytest.raises(AnalystNameError, match="^ANNOTATOR_USER: "):
        default_annotator()
    with pytest.raises(AnalystNameError):
        Store(tmp_path / "p.db")
    assert project_files(tmp_path) == []


def test_a_login_name_that_cannot_be_printed_gives_way_to_a_plain_one(monkeypatch):
    monkeypatch.delenv("ANNOTATOR_USER")
    monkeypatch.setenv("LOGNAME", "ana\x1b[31m")
    assert default_annotator() == "annotator"
    monkeypatch.setenv("LOGNAME", "ana")
    assert default_annotator() == "ana"


def test_a_good_name_is_stored_without_the_spaces_around_it(tmp_path):
    db = tmp_path / "p.db"
    assert run("--db", str(db), "--user", " Ana Ruiz ", "labels", "add", "rumour").exit_code == 0
    with Store(db, "t") as store:
        assert {c["annotator"] for c in store.history()} == {"Ana Ruiz"}


# -- names in imported files --------------------------------------------------------------------


def _span(**extra):
    return {"start": 4, "end": 12, "label": "claim", **extra}


def annotator_record(name):
    """annotator's own export: the name on a span, a relation and a status."""
    return [
        {"text": TEXT, "spans": [_span(annotator=name)]},
        {
            "text": TEXT + " Again.",
            "spans": [
                {"start": 0, "end": 12, "label": "quote", "id": 1},
                {"start": 13, "end": 17, "label": "speaker", "id": 2},
            ],
            "relations": [{"head": 1, "child": 2, "label": "said_by", "annotator": name}],
        },
        {"text": TEXT + " Twice.", "statuses": {name: "done"}},
    ]


def studio_tasks(name):
    """Label Studio: the name as ``completed_by``, as its e-mail, and as a region's annotator."""
    result = {
        "id": "r1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": 4, "end": 12, "labels": ["claim"]},
    }
    return [
        {"data": {"text": TEXT}, "annotations": [{"completed_by": name, "result": [result]}]},
        {
            "data": {"text": TEXT + " Again."},
            "annotations": [{"completed_by": {"email": name}, "result": [result]}],
        },
        {
            "data": {"text": TEXT + " Twice."},
            "annotations": [{"result": [{**result, "meta": {"annotator": name}}]}],
        },
    ]


@pytest.mark.parametrize(("name", "reason"), BAD_NAMES)
@pytest.mark.parametrize(
    ("make", "places"),
    [
        (annotator_record, ["spans[0]", "relations[0]", '"statuses"']),
        (studio_tasks, ["annotations[0].completed_by", "annotations[0].completed_by", "result[0]"]),
    ],
)
def test_an_imported_name_is_refused_with_its_file_line_and_place(
    store, write, dump, make, places, name, reason
):
    path = write("work.jsonl", make(name))
    before = dump(store.path)
    report = import_paths(store, [path], skip_invalid=True)
    assert [r.line for r in report.refused] == [1, 2, 3]
    for refusal, place in zip(report.refused, places, strict=True):
        message = str(refusal)
        assert message.startswith(f"{path}:{refusal.line}: ") and place in message
        assert reason in message and "\n" not in message and "\x1b" not in message
    assert dump(store.path) == before


def test_an_imported_name_keeps_its_text_without_the_spaces_around_it(store, write):
    path = write("work.jsonl", annotator_record(" Ana Ruiz "))
    assert import_paths(store, [path]).ok
    names = {r[0] for r in store.conn.execute("SELECT annotator FROM spans")}
    names |= {r[0] for r in store.conn.execute("SELECT annotator FROM relations")}
    names |= {r[0] for r in store.conn.execute("SELECT annotator FROM statuses")}
    assert names == {"Ana Ruiz", "tester"}


def test_an_empty_imported_name_gives_the_work_to_the_importing_analyst(store, write):
    path = write("work.jsonl", [{"text": TEXT, "spans": [_span(annotator="")]}])
    assert import_paths(store, [path]).ok
    assert [s.annotator for s in store.spans.in_document(1)] == ["tester"]


# -- merge --rename -----------------------------------------------------------------------------


def analyst_project(path, who):
    with Store(path, who) as store:
        with store.transaction():
            doc = store.documents.insert(text=TEXT, text_hash=text_hash(TEXT), title="t")
        store.spans.add(doc, 4, 12, "claim")
        store.statuses.set(doc, "done")
    return path


@pytest.mark.parametrize(("name", "reason"), BAD_NAMES)
def test_merge_refuses_a_rename_to_a_bad_name_and_makes_no_team_project(tmp_path, name, reason):
    source = analyst_project(tmp_path / "ana.db", "ana")
    team = tmp_path / "team.db"
    result = run("merge", str(source), "--into", str(team), "--rename", f"ana={name}")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --rename 'ana=")
    assert (reason if name.strip() else "write it as OLD=NEW") in result.stderr
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr
    assert not team.exists()


# -- names an older project already holds -------------------------------------------------------

FORGED = "ana\nbo and eve: 99 documents both marked done\x1b[2J\u202e"


def forge(path, old: str, new: str) -> None:
    """Rename an analyst behind annotator's back, as an older version let a name in."""
    conn = sqlite3.connect(path)
    with conn:
        for table in ("spans", "statuses"):  # the history is append-only
            conn.execute(f"UPDATE {table} SET annotator = ? WHERE annotator = ?", (new, old))
    conn.close()


def assert_printed_escaped(output: str) -> None:
    assert "ana\\nbo and eve: 99 documents both marked done\\u001b[2J\\u202e" in output
    assert "\x1b" not in output and "\u202e" not in output
    assert not any(line.startswith("bo and eve") for line in output.splitlines())


@pytest.fixture
def old_team(tmp_path):
    """A merged project of two analysts, one of them with a name that forges a line."""
    team = tmp_path / "team.db"
    sources = [analyst_project(tmp_path / f"{who}.db", who) for who in ("ana", "cy")]
    assert run("merge", *map(str, sources), "--into", str(team)).exit_code == 0
    forge(team, "ana", FORGED)
    return team


def test_stats_prints_an_old_projects_names_escaped(old_team):
    result = run("--db", str(old_team), "stats")
    assert result.exit_code == 0, result.output
    assert_printed_escaped(result.stdout)
    figures = json.loads(run("--db", str(old_team), "stats", "--json").stdout)
    assert FORGED in figures["spans_by_annotator"]  # JSON keeps the name, escaped by JSON


def test_agreement_prints_an_old_projects_names_escaped(old_team):
    result = run("--db", str(old_team), "agreement")
    assert result.exit_code == 0, result.output
    assert_printed_escaped(result.stdout)


def test_merge_prints_an_old_projects_names_escaped(tmp_path):
    source = analyst_project(tmp_path / "ana.db", "ana")
    forge(source, "ana", FORGED)
    result = run("merge", str(source), "--into", str(tmp_path / "team.db"))
    assert result.exit_code == 0, result.output
    assert_printed_escaped(result.stdout)


def test_a_suggesters_name_is_printed_escaped(tmp_path, write):
    db = tmp_path / "p.db"
    run("--db", str(db), "import", str(write("a.txt", TEXT)))
    program = write(
        "suggest.py",
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    doc = json.loads(line)\n"
        '    print(json.dumps({"id": doc["id"], "spans": '
        '[{"start": 4, "end": 12, "label": "claim", "score": 0.9}]}))\n',
    )
    import sys

    name = "rules\nfake: 99 (claim 99)"
    command = f"{sys.executable} {program}"
    result = run("--db", str(db), "suggest", "--command", command, "--name", name)
    assert result.exit_code == 0, result.output
    assert "rules\\nfake: 99 (claim 99): 1 (claim 1)" in result.stdout
    assert "rules\\nfake" in run("--db", str(db), "stats").stdout
