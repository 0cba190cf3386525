"""What a hostile tester fed the importer: nothing dropped or guessed in silence, and
messages that say exactly what is wrong."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from annotator.cli.main import cli
from annotator.formats.importing import import_paths


def spans_of(store, document_id):
    return sorted(
        (s.start, s.end, s.label, s.annotator) for s in store.spans.in_document(document_id)
    )


# -- the same text twice ------------------------------------------------------------------------


def test_the_same_text_twice_in_one_file_keeps_both_records_spans(store, write):
    text = "The minister said costs would fall. Critics disagreed."
    path = write(
        "twice.jsonl",
        [
            {"text": text, "spans": [{"start": 0, "end": 35, "label": "claim"}]},
            {"text": text, "spans": [{"start": 36, "end": 54, "label": "claim"}]},
        ],
    )
    report = import_paths(store, [path])
    (doc,) = store.documents.ids()
    assert spans_of(store, doc) == [(0, 35, "claim", "tester"), (36, 54, "claim", "tester")]
    assert store.documents.row(doc).span_count == 2
    assert report.duplicates == 1 and report.spans_added_to_duplicates == 1
    assert "1 new span from them was added to the stored document" in report.summary()


def test_identical_spans_of_a_repeated_text_are_not_doubled(store, write):
    record = {"text": "A quote here.", "spans": [{"start": 2, "end": 7, "label": "quote"}]}
    path = write("same.jsonl", [record, record])
    import_paths(store, [path])
    report = import_paths(store, [path])  # and the whole file again
    (doc,) = store.documents.ids()
    assert spans_of(store, doc) == [(2, 7, "quote", "tester")]
    assert store.documents.row(doc).span_count == 1
    assert report.spans_already_there == 2 and report.spans_added == 0
    assert "2 spans it already had left out" in report.summary()


def test_another_analysts_identical_span_on_a_repeated_text_is_kept(store, write):
    text = "Shared text to tag."
    path = write(
        "two.jsonl",
        [
            {"text": text, "spans": [{"start": 0, "end": 6, "label": "claim", "annotator": "ana"}]},
            {"text": text, "spans": [{"start": 0, "end": 6, "label": "claim", "annotator": "bo"}]},
        ],
    )
    import_paths(store, [path])
    (doc,) = store.documents.ids()
    assert spans_of(store, doc) == [(0, 6, "claim", "ana"), (0, 6, "claim", "bo")]


# -- duplicate keys -----------------------------------------------------------------------------


def test_a_record_with_a_key_twice_is_refused_by_line(store, write):
    path = write("dup.jsonl", ['{"text": "ok"}', '{"text": "First", "text": "Second"}'])
    report = import_paths(store, [path])
    assert [str(r) for r in report.refused] == [f'{path}:2: duplicate key "text"']
    assert store.documents.count() == 0


def test_a_key_twice_inside_a_span_or_meta_is_refused_too(store, write):
    path = write(
        "nested.jsonl",
        [
            '{"text": "abc", "meta": {"k": 1, "k": 2}}',
            '{"text": "abcd", "spans": [{"start": 0, "end": 1, "end": 2, "label": "claim"}]}',
        ],
    )
    report = import_paths(store, [path], skip_invalid=True)
    assert [r.reason for r in report.refused] == ['duplicate key "k"', 'duplicate key "end"']


def test_a_json_list_with_a_key_twice_refuses_that_task_and_reads_on(store, write):
    path = write(
        "list.json",
        '[\n{"text": "one"},\n{"text": "two", "title": "a", "title": "b"},\n{"text": "three"}\n]',
    )
    report = import_paths(store, [path], skip_invalid=True)
    assert [str(r) for r in report.refused] == [f'{path}:3: duplicate key "title"']
    assert store.documents.count() == 2


# -- UTF-8 with a stray byte --------------------------------------------------------------------


def test_utf8_lines_with_one_stray_byte_refuse_that_line_and_read_the_rest_as_utf8(store, write):
    good1 = '{"text": "Crème brûlée, déjà vu"}\n'.encode()
    bad = b'{"text": "a stray \xff byte"}\n'
    good2 = '{"text": "Café «noir» — 🚀"}\n'.encode()
    path = write("mixed.jsonl", good1 + bad + good2)
    report = import_paths(store, [path])
    offset = len(good1) + bad.index(b"\xff")
    assert [str(r) for r in report.refused] == [
        f"{path}:2: not valid UTF-8 at byte {offset} (0xff)"
    ]
    assert store.documents.count() == 0  # all-or-nothing, as for any bad record
    report = import_paths(store, [path], skip_invalid=True)
    texts = sorted(store.documents.get(d).text for d in store.documents.ids())
    assert texts == ["Café «noir» — 🚀", "Crème brûlée, déjà vu"]  # no mojibake
    assert all(f.note is None for f in report.files)  # not "read as cp1252"


def test_a_utf8_article_with_a_stray_byte_is_refused_naming_its_line(store, write):
    path = write("article.txt", "Crème brûlée\nsecond line\n".encode() + b"th\xe9 third\n")
    report = import_paths(store, [path])
    (refusal,) = report.refused
    assert refusal.line == 3
    offset = len("Crème brûlée\nsecond line\nth".encode())
    assert refusal.reason == f"not valid UTF-8 at byte {offset} (0xe9)"
    assert store.documents.count() == 0


def test_a_real_cp1252_file_is_still_read_as_cp1252(store, write):
    path = write("western.txt", "Crème brûlée, déjà vu, naïve café.\n".encode("cp1252"))
    report = import_paths(store, [path])
    assert report.ok
    (doc,) = store.documents.ids()
    assert store.documents.get(doc).text.startswith("Crème brûlée")
    assert "cp1252" in report.files[0].note


# -- special files and names --------------------------------------------------------------------


def test_a_named_pipe_given_by_name_is_said_to_be_a_pipe(store, tmp_path):
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    report = import_paths(store, [fifo])  # and it must not wait for a writer
    (refusal,) = report.refused
    assert "named pipe, not a regular file" in refusal.reason
    assert "no such file" not in refusal.reason


def test_a_named_pipe_in_a_folder_is_said_to_be_a_pipe_not_empty(store, tmp_path, write):
    write("good.txt", "A real article.\n")
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    report = import_paths(store, [tmp_path / "in"], skip_invalid=True)
    reasons = [r.reason for r in report.refused]
    assert len(reasons) == 1 and "named pipe, not a regular file" in reasons[0]
    assert store.documents.count() == 1


def test_file_names_with_control_characters_are_printed_escaped(store, write, tmp_path):
    path = write("forged.jsonl:99: all good\nx.jsonl", "not json\n")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "p.db"), "import", str(path)])
    assert result.exit_code == 1
    refusals = [line for line in result.output.split("\n") if "not valid JSON" in line]
    assert len(refusals) == 1
    assert "forged.jsonl:99: all good\\nx.jsonl:1: not valid JSON" in refusals[0]
    assert not any(line.startswith("x.jsonl") for line in result.output.split("\n"))


def test_label_studio_prediction_ids_are_passed_over_and_said(store, write):
    task = {
        "id": 7,
        "data": {"text": "Ana said it."},
        "annotations": [
            {"result": [{"type": "labels", "value": {"start": 0, "end": 3, "labels": ["quote"]}}]}
        ],
        "predictions": [1, 2],
    }
    path = write("ls.json", [task])
    report = import_paths(store, [path])
    assert report.ok and report.spans_added == 1
    assert "2 Label Studio prediction ids passed over" in report.summary()


@pytest.mark.parametrize("name", ["/dev/null"])
def test_a_device_as_the_project_is_refused_and_nothing_is_left_beside_it(name, tmp_path):
    if not os.path.exists(name):
        pytest.skip(f"no {name}")
    beside = [name + suffix for suffix in ("-journal", "-wal", "-shm")]
    there = [os.path.exists(p) for p in beside]
    result = CliRunner().invoke(cli, ["--db", name, "stats"])
    assert result.exit_code == 1
    assert "character device, not a project file" in result.output
    assert [os.path.exists(p) for p in beside] == there  # nothing made beside the device


def test_a_named_pipe_as_the_project_is_refused(tmp_path):
    fifo = tmp_path / "p.db"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["--db", str(fifo), "stats"])
    assert result.exit_code == 1
    assert "named pipe, not a project file" in result.output


def test_import_into_a_damaged_project_writes_nothing(tmp_path, write):
    import sqlite3

    from annotator.store.project import Store

    db = tmp_path / "p.db"
    Store(db, "tester").close()
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE spans")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    path = write("a.jsonl", [{"text": "An article."}])
    for args in (["import", str(path)], ["stats"], ["export", "-o", "-"]):
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 1, args
        assert "damaged: the table spans is missing" in result.output
        assert "Traceback" not in result.output
    assert db.read_bytes() == before


def test_a_cp1252_jsonl_found_out_late_is_read_again_whole(store, write):
    """Lines are read as UTF-8 until one is not; a file that is not UTF-8 at all is then read
    again from the start in its own encoding, with nothing of the first reading kept."""
    lines = [
        json.dumps(
            {"text": f"Plain line {i}.", "spans": [{"start": 0, "end": 5, "label": "rumour"}]}
        )
        for i in range(50)
    ]
    lines.append(json.dumps({"text": "Crème brûlée à la française, déjà vu."}, ensure_ascii=False))
    path = write("late.jsonl", ("\n".join(lines) + "\n").encode("cp1252"))
    report = import_paths(store, [path], create_labels=True)
    assert report.ok, report.refused
    assert report.documents_added == 51 and report.spans_added == 50
    assert report.labels_created == ["rumour"]
    assert "cp1252" in report.files[0].note
    texts = {store.documents.get(d).text for d in store.documents.ids()}
    assert "Crème brûlée à la française, déjà vu." in texts
    assert store.documents.count() == 51


def test_jsonl_files_joined_with_cat_keep_every_record_despite_their_byte_order_marks(store, write):
    path = write("joined.jsonl", b'\xef\xbb\xbf{"text": "one"}\n\xef\xbb\xbf{"text": "two"}\n')
    report = import_paths(store, [path])
    assert report.ok and report.documents_added == 2
    assert sorted(store.documents.get(d).text for d in store.documents.ids()) == ["one", "two"]


def test_an_empty_folder_is_said_to_hold_nothing(store, tmp_path):
    folder = tmp_path / "nothing.jsonl"
    folder.mkdir()
    report = import_paths(store, [folder])
    assert "nothing.jsonl: the folder holds no files annotator reads" in report.summary()


def test_a_truncated_project_is_refused_with_how_to_restore_it(tmp_path):
    from annotator.store.project import ProjectError, Store

    path = tmp_path / "p.db"
    with Store(path, "t") as store, store.transaction():
        from annotator.model import text_hash

        for i in range(200):
            text = f"article {i} " * 50
            store.documents.insert(text=text, text_hash=text_hash(text), title=str(i))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with (
        pytest.raises(ProjectError, match="damaged.*copy a backup over the project file"),
        Store(path, "t") as store,
    ):
        store.stats()
