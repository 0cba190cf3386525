"""JSONL out: the three formats, filters, atomic files, and the native round trip."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from annotator.formats.exporting import ExportError, export
from annotator.formats.importing import import_paths
from annotator.store.project import Store

TEXT_A = "🚀 Council backs tram.\nThe vote was 7–2, officials said."
TEXT_B = "Nurse shortfall\u00a0grows\u2028at St Aldric's."


def read_jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    assert data.endswith("\n")
    return [json.loads(line) for line in data.split("\n")[:-1]]


@pytest.fixture
def project(store, add_doc):
    """Two documents with spans by two annotators, and one empty skipped document."""
    a = add_doc(TEXT_A, title="Tram", meta={"source": "wire", "page": 3})
    b = add_doc(TEXT_B, title="Nurses", meta={"desk": "health"})
    add_doc("Nothing tagged here.", title="Empty", status="skipped")
    store.spans.add(a, 2, 21, "claim", note="check minutes")
    store.spans.add(a, 35, 38, "quote")
    with Store(store.path, "alice") as alice:
        alice.spans.add(b, 0, 15, "claim")
        alice.spans.add(b, 23, 25, "caption")
        alice.statuses.set(b, "done")  # everyone who worked on it is done
    store.statuses.set(b, "done")
    return {"a": a, "b": b}


# -- formats ------------------------------------------------------------------------------------


def test_native_export_holds_every_document_field_and_span_field(store, project, tmp_path):
    out = tmp_path / "out.jsonl"
    report = export(store, "annotator", out)
    assert (report.documents, report.spans) == (3, 4)
    first, second, third = read_jsonl(out)
    assert {k: first[k] for k in ("id", "title", "text", "meta", "status")} == {
        "id": str(project["a"]),
        "title": "Tram",
        "text": TEXT_A,
        "meta": {"source": "wire", "page": 3},
        "status": "in_progress",
    }
    assert [
        {k: s[k] for k in ("start", "end", "label", "text", "annotator", "note", "origin")}
        for s in first["spans"]
    ] == [
        {
            "start": 2,
            "end": 21,
            "label": "claim",
            "text": "Council backs tram.",
            "annotator": "tester",
            "note": "check minutes",
            "origin": "manual",
        },
        {
            "start": 35,
            "end": 38,
            "label": "quote",
            "text": "7–2",
            "annotator": "tester",
            "note": None,
            "origin": "manual",
        },
    ]
    assert all(s["created_at"] and s["updated_at"] for s in first["spans"])
    assert second["status"] == "done" and [s["annotator"] for s in second["spans"]] == ["alice"] * 2
    assert third["spans"] == [] and third["status"] == "skipped"


def test_prodigy_export_has_text_meta_spans_hashes_and_answer(store, project, tmp_path):
    out = tmp_path / "out.jsonl"
    export(store, "prodigy", out)
    first = read_jsonl(out)[0]
    assert first["text"] == TEXT_A
    assert first["meta"]["source"] == "wire" and first["meta"]["page"] == 3  # its own meta wins
    assert first["meta"]["title"] and first["meta"]["id"]
    assert [(s["start"], s["end"], s["label"]) for s in first["spans"]] == [
        (2, 21, "claim"),
        (35, 38, "quote"),
    ]
    assert first["answer"] == "accept"
    for key in ("_input_hash", "_task_hash"):
        assert isinstance(first[key], int) and not isinstance(first[key], bool)
        assert -(2**31) <= first[key] < 2**31


def test_prodigy_hashes_are_stable_and_tell_tasks_apart(store, project, tmp_path):
    export(store, "prodigy", tmp_path / "one.jsonl")
    export(store, "prodigy", tmp_path / "two.jsonl")
    one, two = read_jsonl(tmp_path / "one.jsonl"), read_jsonl(tmp_path / "two.jsonl")
    assert one == two
    assert len({r["_input_hash"] for r in one}) == 3
    store.spans.add(project["a"], 23, 26, "claim")
    export(store, "prodigy", tmp_path / "three.jsonl")
    three = read_jsonl(tmp_path / "three.jsonl")
    assert three[0]["_input_hash"] == one[0]["_input_hash"]
    assert three[0]["_task_hash"] != one[0]["_task_hash"]


def test_prodigy_hashes_have_both_signs_over_many_texts(store, add_doc, tmp_path):
    for i in range(40):
        add_doc(f"Text number {i}.")
    export(store, "prodigy", tmp_path / "p.jsonl")
    hashes = [r["_input_hash"] for r in read_jsonl(tmp_path / "p.jsonl")]
    assert min(hashes) < 0 < max(hashes)


def test_doccano_export_has_id_text_label_triples_and_meta_on_every_line(store, project, tmp_path):
    out = tmp_path / "out.jsonl"
    export(store, "doccano", out)
    first, second, third = read_jsonl(out)
    assert first == {
        "id": str(project["a"]),
        "text": TEXT_A,
        "label": [[2, 21, "claim"], [35, 38, "quote"]],
        "source": "wire",
        "page": 3,
        "desk": "",
    }
    assert second["label"] == [[0, 15, "claim"], [23, 25, "caption"]]
    assert (second["source"], second["page"], second["desk"]) == ("", "", "health")
    assert set(third) == set(first)


def test_doccano_meta_keys_that_clash_with_its_own_fields_are_renamed(store, add_doc, tmp_path):
    add_doc("Words.", meta={"id": "wire-1", "text": "other", "label": "x"})
    export(store, "doccano", tmp_path / "d.jsonl")
    (line,) = read_jsonl(tmp_path / "d.jsonl")
    assert line["text"] == "Words."
    assert (line["meta_id"], line["meta_text"], line["meta_label"]) == ("wire-1", "other", "x")


def test_doccano_utf16_offsets_count_astral_characters_twice(store, project, tmp_path):
    export(store, "doccano", tmp_path / "d.jsonl", offsets="utf16")
    first = read_jsonl(tmp_path / "d.jsonl")[0]
    assert first["label"][0] == [3, 22, "claim"]  # "🚀" is two UTF-16 units
    units = TEXT_A.encode("utf-16-le")
    start, end, _ = first["label"][0]
    assert units[2 * start : 2 * end].decode("utf-16-le") == "Council backs tram."


def test_utf16_offsets_are_refused_for_formats_other_than_doccano(store, project, tmp_path):
    with pytest.raises(ExportError, match="doccano"):
        export(store, "prodigy", tmp_path / "p.jsonl", offsets="utf16")
    assert not (tmp_path / "p.jsonl").exists()


def test_unknown_format_is_refused(store, tmp_path):
    with pytest.raises(ExportError, match="unknown format"):
        export(store, "xlsx", tmp_path / "x.jsonl")


def test_export_escapes_characters_that_other_readers_take_for_line_ends(store, add_doc, tmp_path):
    text = "a\u2028b\u2029c\x85d\x0ce\x1cf\x0bg"  # no CR: stored text never holds one
    add_doc(text)
    out = tmp_path / "out.jsonl"
    export(store, "annotator", out)
    raw = out.read_text(encoding="utf-8")
    assert len(raw.splitlines()) == 1
    assert read_jsonl(out)[0]["text"] == text


def test_export_writes_non_ascii_as_utf8_not_escapes(store, project, tmp_path):
    export(store, "annotator", tmp_path / "out.jsonl")
    assert "🚀" in (tmp_path / "out.jsonl").read_text(encoding="utf-8")


# -- order and filters --------------------------------------------------------------------------


def test_export_is_in_project_order_with_spans_in_text_order(store, add_doc, tmp_path):
    ids = [add_doc(f"Document {n} text.") for n in "CAB"]
    store.spans.add(ids[0], 9, 13, "claim")
    store.spans.add(ids[0], 0, 8, "quote")
    store.spans.add(ids[0], 0, 3, "claim")
    export(store, "annotator", tmp_path / "one.jsonl")
    export(store, "annotator", tmp_path / "two.jsonl")
    one = read_jsonl(tmp_path / "one.jsonl")
    assert [r["id"] for r in one] == [str(i) for i in ids]
    assert [(s["start"], s["end"]) for s in one[0]["spans"]] == [(0, 3), (0, 8), (9, 13)]
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_export_filters_documents_by_status(store, project, tmp_path):
    export(store, "annotator", tmp_path / "o.jsonl", statuses=["done", "skipped"])
    assert [r["title"] for r in read_jsonl(tmp_path / "o.jsonl")] == ["Nurses", "Empty"]


def test_export_filters_spans_by_label(store, project, tmp_path):
    report = export(store, "annotator", tmp_path / "o.jsonl", labels=["claim"])
    records = read_jsonl(tmp_path / "o.jsonl")
    assert [[s["text"] for s in r["spans"]] for r in records] == [
        ["Council backs tram."],
        ["Nurse shortfall"],
        [],
    ]
    assert report.spans == 2


def test_export_filters_spans_by_annotator(store, project, tmp_path):
    export(store, "prodigy", tmp_path / "o.jsonl", annotators=["alice"])
    assert [len(r["spans"]) for r in read_jsonl(tmp_path / "o.jsonl")] == [0, 2, 0]


def test_export_only_with_spans_leaves_out_documents_left_without_any(store, project, tmp_path):
    export(store, "doccano", tmp_path / "o.jsonl", labels=["caption"], only_with_spans=True)
    (line,) = read_jsonl(tmp_path / "o.jsonl")
    assert line["label"] == [[23, 25, "caption"]]


def test_export_refuses_a_label_filter_naming_no_label(store, project, tmp_path):
    with pytest.raises(ExportError, match="unknown label 'opinion'"):
        export(store, "annotator", tmp_path / "o.jsonl", labels=["opinion"])
    assert not list(tmp_path.glob("o.jsonl*"))


# -- where it goes ------------------------------------------------------------------------------


def test_default_destination_is_a_new_file_in_exports_named_for_project_and_format(
    store, project, tmp_path, monkeypatch
):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    first = export(store, "prodigy")
    second = export(store, "prodigy")
    assert first.path.parent == second.path.parent == Path("exports")
    for report in (first, second):
        assert report.path.name.startswith("project-prodigy-")
        assert report.path.suffix == ".jsonl"
        assert len(read_jsonl(work / report.path)) == 3
    assert first.path != second.path
    assert first.path.name[len("project-prodigy-") :][:8].isdigit()


def test_a_folder_destination_gets_a_default_file_name_inside_it(store, project, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    report = export(store, "doccano", folder)
    assert report.path.parent == folder and report.path.name.startswith("project-doccano-")


def test_dash_writes_to_standard_output(store, project, capsys, tmp_path):
    report = export(store, "prodigy", "-")
    assert report.path is None
    out = capsys.readouterr().out
    export(store, "prodigy", tmp_path / "p.jsonl")
    assert out == (tmp_path / "p.jsonl").read_text(encoding="utf-8")


def test_dash_writes_utf8_with_lf_whatever_the_console_encoding(
    store, project, monkeypatch, tmp_path
):
    raw = io.BytesIO()
    console = io.TextIOWrapper(raw, encoding="cp1252", newline="\r\n")  # a pipe on Windows
    monkeypatch.setattr(sys, "stdout", console)
    export(store, "annotator", "-")
    console.write("still usable\n")
    console.flush()
    export(store, "annotator", tmp_path / "f.jsonl")
    assert raw.getvalue() == (tmp_path / "f.jsonl").read_bytes() + b"still usable\r\n"


def test_export_replaces_an_existing_file_whole(store, project, tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_text("old content\n" * 1000)
    export(store, "annotator", out)
    assert len(read_jsonl(out)) == 3


def test_export_that_fails_leaves_no_file_and_no_partial_file(store, project, tmp_path):
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE spans SET text = 'x' WHERE id = (SELECT max(id) FROM spans)")
    conn.commit()
    conn.close()
    folder = tmp_path / "exports"
    with pytest.raises(ExportError, match="does not match"):
        export(store, "annotator", folder / "o.jsonl")
    assert list(folder.iterdir()) == []


def test_export_that_fails_leaves_an_earlier_file_as_it_was(store, project, tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_text("earlier export\n")
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE spans SET text = 'x'")
    conn.commit()
    conn.close()
    with pytest.raises(ExportError):
        export(store, "prodigy", out)
    assert out.read_text() == "earlier export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_export_file_gets_the_usual_permissions_not_those_of_a_private_temp_file(
    store, project, tmp_path
):
    umask = os.umask(0o022)
    try:
        report = export(store, "annotator", tmp_path / "o.jsonl")
    finally:
        os.umask(umask)
    assert report.path.stat().st_mode & 0o777 == 0o644


def test_export_to_an_unwritable_place_is_an_export_error(store, project, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError, match="cannot write there"):
        export(store, "annotator", blocker / "o.jsonl")


# -- round trip ---------------------------------------------------------------------------------


def test_native_export_reimported_into_an_empty_project_gives_everything_back(
    store, project, tmp_path
):
    out = tmp_path / "native.jsonl"
    export(store, "annotator", out)
    with Store(tmp_path / "copy.db", "someone-else") as copy:
        report = import_paths(copy, [out])
        assert report.ok, [str(r) for r in report.refused]

        def documents(s):
            return [
                (d.external_id or str(d.id), d.title, d.text, d.meta, d.status)
                for d, _ in s.documents.stream()
            ]

        def spans(s):
            return [
                (d.text, x.start, x.end, x.label, x.text, x.annotator, x.note)
                for d, sp in s.documents.stream()
                for x in sp
            ]

        assert documents(copy) == documents(store)
        assert spans(copy) == spans(store)


def test_round_trip_keeps_identical_spans_by_two_annotators(store, add_doc, tmp_path):
    doc = add_doc("Both of us tagged this.")
    store.spans.add(doc, 0, 4, "claim")
    with Store(store.path, "alice") as alice:
        alice.spans.add(doc, 0, 4, "claim")
    export(store, "annotator", tmp_path / "n.jsonl")
    with Store(tmp_path / "copy.db") as copy:
        import_paths(copy, [tmp_path / "n.jsonl"])
        assert sorted(s.annotator for s in copy.spans.in_document(1)) == ["alice", "tester"]


def test_prodigy_export_reimports_with_the_same_spans(store, project, tmp_path):
    export(store, "prodigy", tmp_path / "p.jsonl")
    with Store(tmp_path / "copy.db") as copy:
        assert import_paths(copy, [tmp_path / "p.jsonl"]).ok
        got = [(s.start, s.end, s.label, s.text) for _, sp in copy.documents.stream() for s in sp]
    want = [(s.start, s.end, s.label, s.text) for _, sp in store.documents.stream() for s in sp]
    assert got == want


def test_doccano_export_reimports_with_the_same_spans(store, project, tmp_path):
    export(store, "doccano", tmp_path / "d.jsonl")
    with Store(tmp_path / "copy.db") as copy:
        assert import_paths(copy, [tmp_path / "d.jsonl"]).ok
        got = [(s.start, s.end, s.label, s.text) for _, sp in copy.documents.stream() for s in sp]
    want = [(s.start, s.end, s.label, s.text) for _, sp in store.documents.stream() for s in sp]
    assert got == want


def test_prodigy_export_of_a_text_file_shows_its_title_and_source(store, write, tmp_path):
    from annotator.formats.importing import import_paths

    article = write("bridge.txt", "Bridge to open in 2027\n\nThe minister said so.\n")
    import_paths(store, [article])
    out = tmp_path / "p.jsonl"
    export(store, "prodigy", out)
    (task,) = read_jsonl(out)
    assert task["meta"] == {
        "id": "bridge.txt",
        "title": "Bridge to open in 2027",
        "source": str(article),
    }
