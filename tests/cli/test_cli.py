"""The ``annotator`` command: exit codes, messages, the default project, and every sub-command."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from annotator.cli.default_project import default_project_path
from annotator.cli.main import cli
from annotator.store.project import Store


def run(*args: str, env: dict[str, str] | None = None, expect: int = 0):
    """Invoke the command; a crash (an exception other than a clean exit) always fails."""
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed: {result.exception!r}\n{result.output}") from (
            result.exception
        )
    assert "Traceback" not in result.output
    assert result.exit_code == expect, result.output
    return result


@pytest.fixture
def db(tmp_path):
    return tmp_path / "project.db"


def count(db, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


# -- the project --------------------------------------------------------------------------------


def test_default_project_is_made_in_the_data_folder_with_the_sample_articles():
    result = run("stats", "--json")
    path = default_project_path()
    assert path.is_file()
    assert path.is_relative_to(os.environ["XDG_DATA_HOME"])  # the isolated home, not the real one
    assert json.loads(result.stdout)["documents"] >= 3
    with Store(path) as store:
        titles = [r.title for r in store.documents.rows()]
    assert "Northbrook council backs tram extension in 7–2 vote" in titles


def test_default_project_is_seeded_only_once(tmp_path):
    run("stats")
    with Store(default_project_path()) as store:
        first = store.documents.count()
        store.statuses.set(store.documents.ids()[0], "done")
    result = run("stats", "--json")
    assert json.loads(result.stdout)["documents"] == first
    assert json.loads(result.stdout)["documents_by_status"]["done"] == 1


def test_db_option_names_the_project_and_it_starts_empty(db):
    run("--db", str(db), "labels", "add", "rumour")
    result = run("--db", str(db), "stats", "--json")
    assert json.loads(result.stdout)["documents"] == 0
    assert db.is_file()
    assert not default_project_path().exists()


#: Commands that only read a project (or copy it, or write beside it): a --db naming no file
#: is a mistyped path, refused, not an empty project made.
READING_COMMANDS = [
    ["stats"],
    ["stats", "--json"],
    ["agreement"],
    ["agreement", "--json"],
    ["export", "-o", "-"],
    ["export", "--format", "csv"],
    ["report", "-o", "report.html"],
    ["documents"],
    ["documents", "--json"],
    ["labels"],
    ["relations"],
    ["reopen", "1"],
    ["backup"],
    ["patterns", "init"],
]


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_a_reading_command_refuses_a_db_that_names_no_file_and_makes_nothing(
    tmp_path, monkeypatch, command
):
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = run("--db", str(folder / "study.db"), *command, expect=1)
    assert result.stderr.startswith(f"Error: {folder / 'study.db'}: no such project file; ")
    assert "nothing was created" in result.stderr
    assert sorted(folder.iterdir()) == []  # no project, no -wal or -shm, no export or report
    assert not default_project_path().exists()


@pytest.mark.parametrize("command", READING_COMMANDS[:3], ids=" ".join)
def test_a_reading_command_refuses_an_annotator_db_that_names_no_file(tmp_path, command):
    missing = tmp_path / "study.db"
    result = run(*command, env={"ANNOTATOR_DB": str(missing)}, expect=1)
    assert f"{missing}: no such project file" in result.stderr
    assert sorted(tmp_path.iterdir()) == []


def test_a_reading_command_leaves_an_empty_file_as_it_is(tmp_path):
    empty = tmp_path / "study.db"
    empty.touch()
    result = run("--db", str(empty), "stats", expect=1)
    assert f"{empty}: the file is empty, not a project" in result.stderr
    assert sorted(tmp_path.iterdir()) == [empty] and empty.stat().st_size == 0


#: Commands that add to a project: a --db naming no file makes a new project.
WRITING_COMMANDS = [
    ["labels", "add", "rumour"],
    ["labels", "rename", "claim", "assertion"],
    ["labels", "color", "claim", "#123456"],
    ["labels", "hotkey", "claim", "x"],
    ["labels", "define", "claim", "A claim."],
    ["labels", "delete", "claim"],
    ["relations", "add", "cites"],
    ["relations", "rename", "said_by", "quoted"],
    ["relations", "delete", "said_by"],
    ["suggest"],
    ["curate", "--agreed"],
]


@pytest.mark.parametrize("command", WRITING_COMMANDS, ids=" ".join)
def test_a_command_that_adds_to_a_project_makes_it_when_missing(db, command):
    run("--db", str(db), *command)
    assert count(db, "SELECT count(*) FROM labels") >= 4


def test_import_makes_the_project_it_imports_into(db, write):
    run("--db", str(db), "import", str(write("a.txt", "An article.")))
    assert count(db, "SELECT count(*) FROM documents") == 1


def test_annotator_db_environment_variable_names_the_project(db, write):
    run("import", str(write("a.txt", "An article.")), env={"ANNOTATOR_DB": str(db)})
    assert count(db, "SELECT count(*) FROM documents") == 1
    assert not default_project_path().exists()


def test_db_option_wins_over_the_environment_variable(tmp_path, write):
    chosen, other = tmp_path / "chosen.db", tmp_path / "other.db"
    run(
        "--db",
        str(chosen),
        "import",
        str(write("a.txt", "Words.")),
        env={"ANNOTATOR_DB": str(other)},
    )
    assert count(chosen, "SELECT count(*) FROM documents") == 1
    assert not other.exists()


def test_a_file_that_is_not_a_project_is_refused_in_one_sentence(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("my notes")
    result = run("--db", str(notes), "stats", expect=1)
    assert "not an annotator project" in result.stderr
    assert notes.read_text() == "my notes"


def test_user_option_credits_imported_spans_to_that_person(db, write):
    path = write("t.jsonl", [{"text": "abc def", "label": [[0, 3, "claim"]]}])
    run("--db", str(db), "--user", "alice", "import", str(path))
    assert count(db, "SELECT count(*) FROM spans WHERE annotator = 'alice'") == 1


# -- usage errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["import"],
        ["export", "--format", "xlsx"],
        ["export", "--status", "finished"],
        ["export", "--offsets", "bytes"],
        ["frobnicate"],
        ["labels", "rename", "claim"],
        ["--no-such-option"],
    ],
    ids=[
        "import-no-path",
        "bad-format",
        "bad-status",
        "bad-offsets",
        "no-command",
        "missing-arg",
        "bad-option",
    ],
)
def test_usage_errors_exit_with_2(db, args):
    result = run("--db", str(db), *args, expect=2)
    assert "Usage:" in result.output


# -- import -------------------------------------------------------------------------------------


def test_import_prints_the_summary_and_exits_0(db, write):
    result = run("--db", str(db), "import", str(write("a.txt", "An article.")))
    assert "1 document added" in result.stdout
    assert count(db, "SELECT count(*) FROM documents") == 1


def test_import_prints_one_line_per_bad_record_and_exits_1(db, write):
    path = write("t.jsonl", ['{"text": "good"}', "not json", '{"text": 5}', '{"title": "x"}'])
    result = run("--db", str(db), "import", str(path), expect=1)
    lines = result.stderr.splitlines()
    assert [line.split(": ")[0] for line in lines] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "Nothing was imported from" in result.stdout
    assert count(db, "SELECT count(*) FROM documents") == 0


def test_import_skip_invalid_keeps_the_good_records_but_still_exits_1(db, write):
    path = write("t.jsonl", ['{"text": "good"}', "not json"])
    result = run("--db", str(db), "import", "--skip-invalid", str(path), expect=1)
    assert result.stderr.startswith(f"{path}:2: not valid JSON")
    assert count(db, "SELECT count(*) FROM documents") == 1


def test_import_create_labels_adds_the_file_labels(db, write):
    path = write("t.jsonl", [{"text": "abc", "label": [[0, 3, "rumour"]]}])
    result = run("--db", str(db), "import", "--create-labels", str(path))
    assert "New labels: rumour" in result.stdout
    assert count(db, "SELECT count(*) FROM labels WHERE name = 'rumour'") == 1


def test_import_of_a_missing_file_exits_1_naming_it(db, tmp_path):
    result = run("--db", str(db), "import", str(tmp_path / "gone.txt"), expect=1)
    assert f"{tmp_path / 'gone.txt'}: no such file or folder" in result.stderr


def test_import_of_a_binary_file_exits_1_without_a_traceback(db, write):
    path = write("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run("--db", str(db), "import", str(path), expect=1)
    assert "binary" in result.stderr


def test_import_of_hostile_records_never_crashes(db, write):
    lines = [
        '{"text": "a", "meta": {"x": 1e400}}',
        '{"text": "b", "id": "\\ud800"}',
        '{"text": "c", "label": [[0, 1, "' + "x" * 80 + '"]]}',
        '{"text": "d", "meta": ' + "[" * 50_000 + "]" * 50_000 + "}",
    ]
    path = write("t.jsonl", lines)
    result = run("--db", str(db), "import", "--create-labels", str(path), expect=1)
    assert len(result.stderr.splitlines()) == 4


def test_stats_counts_a_folder_of_articles_and_tasks_with_prodigy_and_doccano_spans(db, tmp_path):
    folder = tmp_path / "batch"
    (folder / "more").mkdir(parents=True)
    (folder / "one.txt").write_text("First article.\nBody.")
    (folder / "more" / "two.md").write_text("# Second article\nBody.")
    tasks = [
        {
            "text": "Officials said the line opens in 2027.",
            "status": "done",
            "spans": [
                {"start": 19, "end": 38, "label": "claim"},
                {"start": 0, "end": 9, "label": "quote"},
            ],
        },
        {"text": "Photo: the new tram.", "label": [[0, 20, "caption"], [7, 19, "claim"]]},
    ]
    (folder / "tasks.jsonl").write_text("\n".join(json.dumps(t) for t in tasks) + "\n")
    run("--db", str(db), "import", str(folder))
    figures = json.loads(run("--db", str(db), "stats", "--json").stdout)
    counts = {
        "documents": 4,
        "documents_by_status": {"new": 3, "in_progress": 0, "done": 1, "skipped": 0},
        "documents_by_status_by_analyst": {
            "tester": {"new": 3, "in_progress": 0, "done": 1, "skipped": 0}
        },
        "spans": 4,
        "spans_by_label": {"claim": 2, "quote": 1, "caption": 1, "concession": 0, "speaker": 0},
        "spans_by_annotator": {"tester": 4},
        "suggestions": 0,
        "suggestions_by_suggester": {},
    }
    assert {key: figures[key] for key in counts} == counts  # the progress figures follow
    text = run("--db", str(db), "stats").stdout
    assert "Documents: 4" in text and "Spans: 4" in text
    assert any(line.split() == ["claim", "2"] for line in text.splitlines())


# -- export -------------------------------------------------------------------------------------


def test_import_clean_leaves_page_debris_out_and_titles_past_a_caption(db, write):
    text = "\u00a9 Harbour Board\n\nTram vote\n\nRead more: Bus fares\n\nThe council voted.\n"
    path = write("scraped.txt", text)
    result = run("--db", str(db), "import", "--clean", str(path))
    assert "1 line of page debris left out of the text" in result.stdout
    with Store(db) as store:
        (row,) = store.documents.rows()
        assert store.documents.text(row.id) == (
            "\u00a9 Harbour Board\n\nTram vote\n\nThe council voted.\n"
        )
        assert row.title == "Tram vote"  # the captions suggester's patterns mark the first


@pytest.fixture
def filled(db, write):
    tasks = [
        {"text": "First text here.", "id": "a", "label": [[0, 5, "claim"]]},
        {"text": "Second text.", "id": "b", "status": "done", "label": [[0, 6, "quote"]]},
    ]
    run("--db", str(db), "import", str(write("t.jsonl", tasks)))
    return db


def test_export_to_stdout_writes_only_jsonl_there(filled):
    result = run("--db", str(filled), "export", "--format", "prodigy", "-o", "-")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == ["Second text."]  # the one marked done
    assert "Exported 1 document and 1 span" in result.stderr
    assert "1 document not done left out (--status any takes them)" in result.stderr


def test_export_to_stdout_is_utf8_jsonl_even_on_an_ascii_console(db, write, tmp_path):
    run("--db", str(db), "import", str(write("t.jsonl", [{"text": "🚀 café — مرحبا"}])))
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    command = [sys.executable, "-m", "annotator", "--db", str(db), "export", "-o", "-"]
    done = subprocess.run(command, capture_output=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"Traceback" not in done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["text"] == "🚀 café — مرحبا"


def test_export_to_a_file_writes_it_and_says_where(filled, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("--db", str(filled), "export", "-o", str(out))
    assert f"to {out}" in result.stdout
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b"]


def test_export_without_output_goes_to_exports_in_the_current_folder(filled, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    run("--db", str(filled), "export", "--format", "doccano", "--status", "any")
    (written,) = (work / "exports").iterdir()
    assert written.name.startswith("project-doccano-") and written.suffix == ".jsonl"
    assert len(written.read_text().splitlines()) == 2


def test_export_filters_by_status_label_and_annotator(filled):
    by_status = run("--db", str(filled), "export", "--status", "done", "-o", "-").stdout
    assert [json.loads(x)["id"] for x in by_status.splitlines()] == ["b"]
    by_label = run("--db", str(filled), "export", "--label", "quote", "-o", "-").stdout
    assert [len(json.loads(x)["spans"]) for x in by_label.splitlines()] == [0, 1]
    by_person = run("--db", str(filled), "export", "--annotator", "nobody", "-o", "-").stdout
    assert [len(json.loads(x)["spans"]) for x in by_person.splitlines()] == [0, 0]


@pytest.fixture
def half_done(db, write):
    """One document done, one in progress, two nobody has opened."""
    tasks = [
        {"text": "Done text.", "id": "done", "status": "done", "label": [[0, 4, "claim"]]},
        {"text": "Half text.", "id": "half", "status": "in_progress", "label": [[0, 4, "quote"]]},
        {"text": "Untouched one.", "id": "new1"},
        {"text": "Untouched two.", "id": "new2"},
    ]
    run("--db", str(db), "import", str(write("t.jsonl", tasks)))
    return db


def exported_ids(db, tmp_path, fmt: str, *args: str) -> tuple[list[str], str]:
    """The ids a format's export holds, and the summary line."""
    out = tmp_path / f"out-{fmt}"
    result = run("--db", str(db), "export", "--format", fmt, "-o", str(out), *args)
    if fmt == "csv":
        rows = out.read_text(encoding="utf-8").splitlines()[1:]
        return sorted({row.split(",")[0] for row in rows}), result.stdout
    if fmt == "brat":
        return sorted(p.stem for p in out.glob("*.ann")), result.stdout
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return sorted(pq.read_table(out).column("id").to_pylist()), result.stdout
    if fmt == "spacy":
        import spacy
        from spacy.tokens import DocBin

        docs = DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)
        return sorted(d.user_data["id"] for d in docs), result.stdout
    if fmt == "label-studio":
        tasks = json.loads(out.read_text(encoding="utf-8"))
        return sorted(t["data"]["doc_id"] for t in tasks), result.stdout
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    if fmt == "prodigy":
        return sorted(r["meta"]["id"] for r in records), result.stdout
    return sorted(r["id"] for r in records), result.stdout


@pytest.mark.parametrize(
    "fmt", ["prodigy", "doccano", "label-studio", "spacy", "csv", "parquet", "brat"]
)
def test_an_export_for_other_tools_takes_the_documents_marked_done(half_done, tmp_path, fmt):
    # An untouched document in Prodigy's file would read "accept, nothing here".
    ids, summary = exported_ids(half_done, tmp_path, fmt)
    assert ids == ["done"]
    assert "3 documents not done left out (--status any takes them)" in summary


def test_status_any_takes_every_document_and_status_still_chooses(half_done, tmp_path):
    ids, summary = exported_ids(half_done, tmp_path, "prodigy", "--status", "any")
    assert ids == ["done", "half", "new1", "new2"] and "left out" not in summary
    ids, summary = exported_ids(half_done, tmp_path, "doccano", "--status", "in_progress")
    assert ids == ["half"]
    assert "3 documents not in progress left out" in summary
    two = ("--status", "done", "--status", "in_progress")
    ids, summary = exported_ids(half_done, tmp_path, "prodigy", *two)
    assert ids == ["done", "half"] and "2 documents not done or in progress left out" in summary


def test_annotators_own_export_keeps_every_document_as_the_backup(half_done, tmp_path):
    ids, summary = exported_ids(half_done, tmp_path, "annotator")
    assert ids == ["done", "half", "new1", "new2"] and "left out" not in summary


def test_status_any_goes_alone(half_done, tmp_path):
    args = ("export", "--status", "any", "--status", "done", "-o", str(tmp_path / "x.jsonl"))
    result = run("--db", str(half_done), *args, expect=1)
    assert "'any' takes every document; give it alone" in result.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_the_curated_layer_takes_every_settled_document(half_done, tmp_path):
    with Store(half_done, "cur") as store:
        from annotator.team.curation import settle

        half = store.documents.find("half")
        settle(store, half)
    ids, summary = exported_ids(half_done, tmp_path, "prodigy", "--curated")
    assert ids == ["half"] and "left out" not in summary


def test_export_that_fails_exits_1_and_leaves_no_file(filled, tmp_path):
    conn = sqlite3.connect(filled)
    conn.execute("UPDATE spans SET text = 'x'")
    conn.commit()
    conn.close()
    out = tmp_path / "out" / "o.jsonl"
    result = run("--db", str(filled), "export", "-o", str(out), expect=1)
    assert "does not match" in result.stderr
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_export_unknown_label_filter_exits_1(filled):
    result = run("--db", str(filled), "export", "--label", "opinion", "-o", "-", expect=1)
    assert "unknown label 'opinion'" in result.stderr
    assert result.stdout == ""


# -- labels -------------------------------------------------------------------------------------


def test_labels_lists_hotkey_name_colour_and_use(filled):
    lines = run("--db", str(filled), "labels").stdout.splitlines()
    assert [line.split() for line in lines] == [
        ["1", "claim", "#4a90d9", "1", "span"],
        ["2", "quote", "#e8923a", "1", "span"],
        ["3", "caption", "#3fae6a", "0", "spans"],
        ["4", "concession", "#a86cc1", "0", "spans"],
        ["5", "speaker", "#c0504d", "0", "spans"],
    ]


def test_labels_add_creates_a_label(db):
    run("--db", str(db), "labels", "add", "rumour", "--color", "#112233", "--hotkey", "6")
    with Store(db) as store:
        label = store.labels.get("rumour")
    assert (label.color, label.hotkey) == ("#112233", "6")


def test_labels_add_with_a_taken_hotkey_exits_1(db):
    result = run("--db", str(db), "labels", "add", "rumour", "--hotkey", "1", expect=1)
    assert "already belongs to label 'claim'" in result.stderr
    assert count(db, "SELECT count(*) FROM labels") == 5


def test_labels_rename_takes_the_spans_along(filled):
    result = run("--db", str(filled), "labels", "rename", "claim", "assertion")
    assert "(1 span)" in result.stdout
    sql = (
        "SELECT count(*) FROM spans s JOIN labels l ON l.id = s.label_id WHERE l.name = 'assertion'"
    )
    assert count(filled, sql) == 1


def test_labels_color_sets_the_colour(db):
    run("--db", str(db), "labels", "color", "quote", "#ABCDEF")
    assert count(db, "SELECT count(*) FROM labels WHERE name = 'quote' AND color = '#abcdef'") == 1


def test_labels_color_refuses_a_bad_colour(db):
    result = run("--db", str(db), "labels", "color", "quote", "orange", expect=1)
    assert "#rrggbb" in result.stderr


def test_labels_hotkey_sets_and_removes_a_hotkey(db):
    run("--db", str(db), "labels", "hotkey", "quote", "q")
    assert count(db, "SELECT count(*) FROM labels WHERE name = 'quote' AND hotkey = 'q'") == 1
    run("--db", str(db), "labels", "hotkey", "quote")
    assert count(db, "SELECT count(*) FROM labels WHERE name = 'quote' AND hotkey IS NULL") == 1


def test_labels_hotkey_refuses_a_duplicate(db):
    run("--db", str(db), "labels", "hotkey", "quote", "1", expect=1)
    assert count(db, "SELECT count(*) FROM labels WHERE name = 'quote' AND hotkey = '2'") == 1


def test_labels_define_sets_the_guideline(db):
    run("--db", str(db), "labels", "define", "quote", "Words in quotation marks.")
    with Store(db) as store:
        assert store.labels.get("quote").definition == "Words in quotation marks."


def test_labels_delete_refuses_a_label_in_use_and_says_how_many(filled):
    result = run("--db", str(filled), "labels", "delete", "claim", expect=1)
    assert "used by 1 span" in result.stderr and "--force" in result.stderr
    assert count(filled, "SELECT count(*) FROM spans") == 2


def test_labels_delete_force_removes_the_label_and_its_spans(filled):
    result = run("--db", str(filled), "labels", "delete", "claim", "--force")
    assert "and its 1 span" in result.stdout
    assert count(filled, "SELECT count(*) FROM spans") == 1
    assert count(filled, "SELECT count(*) FROM labels WHERE name = 'claim'") == 0


def test_labels_delete_of_an_unknown_label_exits_1(db):
    result = run("--db", str(db), "labels", "delete", "opinion", expect=1)
    assert "no label 'opinion'" in result.stderr


# -- backup -------------------------------------------------------------------------------------


def test_backup_writes_a_copy_that_opens_with_the_same_documents(filled, tmp_path):
    target = tmp_path / "copy.db"
    result = run("--db", str(filled), "backup", str(target))
    assert f"to {target}" in result.stdout
    with Store(target) as copy:
        assert [r.external_id for r in copy.documents.rows()] == ["a", "b"]
        assert copy.stats()["spans"] == 2


def test_backup_without_a_path_goes_beside_the_project(filled):
    run("--db", str(filled), "backup")
    (copy,) = filled.parent.glob("project.db.backup.*.bak")
    assert count(copy, "SELECT count(*) FROM documents") == 2


def test_no_command_opens_the_window_on_the_project_with_the_given_name(tmp_path, monkeypatch):
    """Without a sub-command the window starts; a stand-in window records what it was given."""
    import types

    opened = {}

    def run(path):
        opened["path"] = path
        opened["user"] = os.environ.get("ANNOTATOR_USER")
        return 0

    monkeypatch.setitem(sys.modules, "annotator.gui.app", types.SimpleNamespace(run=run))
    monkeypatch.delenv("ANNOTATOR_USER", raising=False)
    project = tmp_path / "p.db"
    result = CliRunner().invoke(cli, ["--db", str(project), "--user", "alice"])
    assert result.exit_code == 0, result.output
    assert opened == {"path": str(project), "user": "alice"}
    assert project.exists()


def test_no_command_refuses_a_bad_project_before_any_window(tmp_path, monkeypatch):
    import types

    def run(path):  # pragma: no cover - must not be reached
        raise AssertionError("the window was started")

    monkeypatch.setitem(sys.modules, "annotator.gui.app", types.SimpleNamespace(run=run))
    bad = tmp_path / "notes.db"
    bad.write_text("not a project")
    result = CliRunner().invoke(cli, ["--db", str(bad)])
    assert result.exit_code == 1
    assert "not an annotator project" in result.output
    assert "Traceback" not in result.output


def test_documents_lists_number_status_spans_title_and_id(filled):
    lines = run("--db", str(filled), "documents").stdout.splitlines()
    assert [line.split() for line in lines] == [
        ["1", "new", "1", "First", "text", "here.", "[a]"],
        ["2", "done", "1", "Second", "text.", "[b]"],
    ]
    done = run("--db", str(filled), "documents", "--status", "done", "--json").stdout
    assert [json.loads(line) for line in done.splitlines()] == [
        {"number": 2, "id": "b", "status": "done", "spans": 1, "title": "Second text."}
    ]


def test_documents_prints_the_first_line_at_once_and_the_rest_a_thousand_at_a_time(
    tmp_path, monkeypatch
):
    from annotator.cli import project as documents_command
    from annotator.model import text_hash

    with Store(tmp_path / "many.db", "ana") as store, store.transaction():
        for n in range(2500):
            text = f"Article number {n}."
            doc = store.documents.insert(text=text, text_hash=text_hash(text), title=text)
            store.statuses.set(doc, "done")
    printed: list[str] = []
    monkeypatch.setattr(documents_command.click, "echo", printed.append)
    run("--db", str(tmp_path / "many.db"), "--user", "ana", "documents", "--status", "done")
    assert [text.count("\n") + 1 for text in printed] == [1, 1000, 1000, 499]
    assert printed[0].split()[:2] == ["1", "done"] and printed[-1].endswith("[2500]")


def test_reopen_puts_a_done_document_back_in_progress(filled):
    out = run("--db", str(filled), "reopen", "b").stdout
    assert "Reopened 'Second text.': done -> in_progress" in out
    with Store(filled) as store:
        assert store.documents.row(2).status == "in_progress"
        assert store.history(2)[-1]["details"] == {"before": "done", "after": "in_progress"}


def test_reopen_a_skipped_document_without_spans_makes_it_new(db, write):
    run(
        "--db",
        str(db),
        "import",
        str(write("s.jsonl", [{"text": "Skipped.", "status": "skipped"}])),
    )
    run("--db", str(db), "reopen", "1")
    with Store(db) as store:
        assert store.documents.row(1).status == "new"


def test_reopen_refuses_an_unknown_document_and_changes_nothing(filled):
    result = run("--db", str(filled), "reopen", "b", "nope", expect=1)
    assert "no document nope" in result.output
    with Store(filled) as store:
        assert store.documents.row(2).status == "done"


def test_a_command_collects_reference_cycles_less_often_than_the_window(filled, monkeypatch):
    import gc

    from annotator.cli.main import COMMAND_GC_THRESHOLD

    monkeypatch.setattr(gc, "set_threshold", lambda *given: calls.append(given))
    calls: list[tuple[int, ...]] = []
    run("--db", str(filled), "stats")
    assert calls and calls[-1][0] == COMMAND_GC_THRESHOLD > 700  # Python's own
