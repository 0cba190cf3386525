"""Files to documents: articles and JSON/JSONL tasks, encodings, spans, and every refusal."""

from __future__ import annotations

import codecs
import json
import os
import sys

import pytest
from project_reading import all_spans, docs, refusal_lines

from annotator.formats import readers
from annotator.formats.importing import import_paths
from annotator.model import text_hash
from annotator.store.project import Store

# -- plain-text articles ------------------------------------------------------------------------


def test_txt_title_is_the_first_non_empty_line(store, write):
    path = write("tram.txt", "\n   \n  Council backs tram  \nThe council voted.\n")
    report = import_paths(store, [path])
    assert report.ok and report.documents_added == 1
    assert docs(store) == [
        (
            "tram.txt",
            "Council backs tram",
            "\n   \n  Council backs tram  \nThe council voted.\n",
            {},
            "new",
        )
    ]


SCRAPED = (
    "Photo: Ana Ruiz/Reuters\n"
    "\n"
    "Council backs tram extension\n"
    "\n"
    "The council voted 7-2 on Tuesday to extend the tram line.\n"
    "\n"
    "Read More: Bus fares rise in May\n"
    "\n"
    "Don\u2019t miss\u2026\n"
    "Work starts in the spring, the mayor said.\n"
    "Share this article\n"
    "\n"
    "Sign up for our free Morning Briefing newsletter\n"
    "\n"
    "Readers who share rides can read more about the plan online.\n"
)


def test_a_txt_keeps_its_text_as_it_is_by_default(store, write):
    report = import_paths(store, [write("scraped.txt", SCRAPED)])
    assert report.ok and docs(store)[0][2] == SCRAPED
    assert "debris" not in report.summary()


def test_clean_leaves_out_the_lines_a_page_leaves_in_a_scraped_text(store, write):
    report = import_paths(store, [write("scraped.txt", SCRAPED)], clean=True)
    assert report.ok
    assert docs(store)[0][2] == (
        "Photo: Ana Ruiz/Reuters\n"
        "\n"
        "Council backs tram extension\n"
        "\n"
        "The council voted 7-2 on Tuesday to extend the tram line.\n"
        "\n"
        "Work starts in the spring, the mayor said.\n"
        "\n"
        "Readers who share rides can read more about the plan online.\n"
    )
    assert "4 lines of page debris left out of the text" in report.summary()


def test_clean_keeps_sentences_that_only_begin_like_debris(store, write):
    text = (
        "Don't miss the lantern parade on Saturday, organisers said.\n"
        "Read more about the parade's history in the town museum.\n"
        "Related stories from the valley are collected in a new book.\n"
    )
    report = import_paths(store, [write("parade.txt", text)], clean=True)
    assert docs(store)[0][2] == text and "debris" not in report.summary()


def test_clean_refuses_a_text_that_is_nothing_but_debris(store, write):
    path = write("links.txt", "Read more: Bus fares\nShare this article\n")
    report = import_paths(store, [path], clean=True)
    assert refusal_lines(report) == [
        f"{path}: the file holds nothing but lines a page leaves around an article"
    ]
    assert store.documents.count() == 0 and "debris" not in report.summary()


@pytest.mark.parametrize(
    "caption",
    [
        "Photo: Ana Ruiz",
        "Photograph: Tomas Reinholt/Lakeside Gazette",
        "Crowds on the quay on Sunday. Picture: Sam Oduya",
        "Miners gather outside the gate, November 4. MERIDIAN/Tomás Ariel",
        "(Image: Pennine Water)",
    ],
)
def test_a_txt_title_is_never_a_picture_caption_line(store, write, caption):
    import_paths(store, [write("scraped.txt", f"{caption}\n\nCouncil backs tram\n\nBody.\n")])
    assert docs(store)[0][1] == "Council backs tram"


def test_a_txt_title_passes_over_what_the_captions_patterns_mark(store, write):
    text = "\u00a9 Harbour Board 2024\nCouncil backs tram\nBody.\n"
    import_paths(store, [write("a.txt", text)])
    assert docs(store)[0][1] == "\u00a9 Harbour Board 2024"  # no credit word: a title
    with Store(store.path.with_name("b.db"), "ana") as other:
        from annotator.suggest.running import caption_lines

        import_paths(other, [write("b.txt", text)], caption_line=caption_lines(other))
        assert docs(other)[0][1] == "Council backs tram"  # "©" is a caption's, by the patterns


def test_a_txt_of_nothing_but_captions_is_titled_by_its_name(store, write):
    import_paths(store, [write("pier.txt", "Photo: Ana Ruiz\n")])
    assert docs(store)[0][1] == "pier"


def test_txt_with_lone_cr_line_breaks_takes_only_the_first_line_as_title(store, write):
    path = write("old-mac.txt", b"Council backs tram\rThe council voted.\rMore.")
    import_paths(store, [path])
    ((_, title, text, _, _),) = docs(store)
    assert text == "Council backs tram\nThe council voted.\nMore."
    assert title == "Council backs tram"


def test_md_title_drops_the_heading_marks(store, write):
    import_paths(store, [write("note.md", "## Tram vote\n\nBody.")])
    assert docs(store)[0][1] == "Tram vote"


def test_md_title_falls_back_to_the_file_name_when_the_first_line_is_only_marks(store, write):
    import_paths(store, [write("tram-vote.md", "#\nBody.")])
    assert docs(store)[0][1] == "tram-vote"


def test_txt_title_is_cut_to_200_characters(store, write):
    import_paths(store, [write("long.txt", "x" * 500 + "\nbody")])
    assert docs(store)[0][1] == "x" * 200


def test_txt_crlf_is_normalised_and_nothing_else_is_touched(store, write):
    body = "Title\r\nNBSP\u00a0tab\there 🚀 👍🏽 👨\u200d👩\u200d👧 e\u0301 \u2028 \u2029 مرحبا שלום\rend\r\n"
    import_paths(store, [write("a.txt", body)])
    expected = body.replace("\r\n", "\n").replace("\r", "\n")
    assert docs(store)[0][2] == expected
    row = store.conn.execute("SELECT text, text_hash FROM documents").fetchone()
    assert row == (expected, text_hash(expected))


def test_folders_are_imported_recursively_in_name_order_skipping_hidden_files(store, tmp_path):
    root = tmp_path / "articles"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text("First article.")
    (root / "b" / "c.md").write_text("Second article.")
    (root / "b" / "deeper" / "d.txt").write_text("Third article.")
    (root / ".hidden.txt").write_text("Hidden article.")
    (root / ".git" / "e.txt").write_text("Git article.")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    report = import_paths(store, [root])
    assert report.ok
    assert [d[2] for d in docs(store)] == ["First article.", "Second article.", "Third article."]
    assert report.skipped == [str(root / "photo.png")]
    assert "1 file of other types left alone" in report.summary()


def test_source_records_the_file_a_document_came_from(store, write):
    path = write("a.txt", "Words.")
    import_paths(store, [path])
    assert store.conn.execute("SELECT source FROM documents").fetchone()[0] == str(path)


def test_importing_the_same_text_again_adds_nothing_and_says_duplicate(store, write, dump):
    path = write("a.txt", "Same article.")
    import_paths(store, [path])
    before = dump(store.path)
    report = import_paths(store, [path])
    assert (report.documents_added, report.duplicates) == (0, 1)
    assert "0 documents added, 1 duplicate left out" in report.summary()
    assert dump(store.path) == before


def test_the_same_text_with_other_line_endings_is_a_duplicate(store, write):
    import_paths(store, [write("a.txt", "Line one\nLine two")])
    report = import_paths(store, [write("b.txt", "Line one\r\nLine two")])
    assert report.duplicates == 1
    assert store.documents.count() == 1


def test_a_jsonl_task_with_the_text_of_an_imported_article_is_a_duplicate(store, write):
    import_paths(store, [write("a.txt", "Line one\nLine two")])
    report = import_paths(store, [write("t.jsonl", [{"text": "Line one\r\nLine two"}])])
    assert (report.documents_added, report.duplicates) == (0, 1)


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
def test_an_article_whose_file_name_is_not_utf8_is_imported(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("Un article.")
    report = import_paths(store, [folder])
    assert report.ok, refusal_lines(report)
    external_id, source = store.conn.execute("SELECT external_id, source FROM documents").fetchone()
    assert external_id == "caf\ufffd.txt"
    assert source == str(folder / "caf\ufffd.txt")
    assert store.history()[-1]["details"]["source"] == source


def test_a_missing_path_is_refused_by_name(store, tmp_path):
    report = import_paths(store, [tmp_path / "nope.txt"])
    assert refusal_lines(report) == [f"{tmp_path / 'nope.txt'}: no such file or folder"]


# -- encodings ----------------------------------------------------------------------------------

TEXT = "Café “quoted” — 🚀 مرحبا\nSecond line"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_txt_in_utf8_or_utf16_with_bom_is_read_exactly_with_no_note(store, write, data):
    report = import_paths(store, [write("a.txt", data)])
    assert report.ok
    assert report.files[0].note is None
    assert docs(store)[0][2] == TEXT


@pytest.mark.parametrize(
    "codec",
    ["utf-8", "utf-8-sig", "utf-16"],
)
def test_jsonl_in_utf8_or_utf16_with_bom_is_read_exactly(store, write, codec):
    line = json.dumps({"text": TEXT, "spans": [{"start": 0, "end": 4, "label": "claim"}]})
    report = import_paths(store, [write("t.jsonl", (line + "\n").encode(codec))])
    assert report.ok, refusal_lines(report)
    assert docs(store)[0][2] == TEXT
    assert [s[4] for s in all_spans(store)] == ["Café"]


def test_latin1_txt_is_read_and_the_detected_encoding_is_reported(store, write):
    text = "Le café a fermé après trente ans; les habitués regrettent déjà."
    path = write("latin.txt", text.encode("latin-1"))
    report = import_paths(store, [path])
    assert report.ok
    assert docs(store)[0][2] == text
    assert "cp1252" in report.files[0].note
    assert f"{path}: not UTF-8; read as cp1252 (detected)" in report.summary()


def test_cp1252_jsonl_is_read_and_the_detected_encoding_is_reported(store, write):
    text = "“We won’t close,” said the owner — but the café shut on Friday."
    line = json.dumps({"text": text}, ensure_ascii=False) + "\n"
    report = import_paths(store, [write("t.jsonl", line.encode("cp1252"))])
    assert report.ok, refusal_lines(report)
    assert docs(store)[0][2] == text
    assert "cp1252" in report.files[0].note


@pytest.mark.parametrize("name", ["a.txt", "a.jsonl", "a.json"])
def test_a_binary_file_is_refused_with_a_clear_message(store, write, name, dump):
    path = write(name, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    before = dump(store.path)
    report = import_paths(store, [path])
    (line,) = refusal_lines(report)
    assert line.startswith(f"{path}: ") and "binary" in line
    assert dump(store.path) == before


@pytest.mark.parametrize("name", ["a.txt", "a.jsonl", "a.json"])
def test_an_empty_file_is_refused_with_a_clear_message(store, write, name):
    path = write(name, b"")
    assert refusal_lines(import_paths(store, [path])) == [f"{path}: the file is empty"]
    assert store.documents.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("a.txt", " \n\t\r\n", "only white space"),
        ("a.jsonl", "\n\n  \n", "only blank lines"),
        ("a.json", "  \n", "only white space"),
        ("a.json", "[]", "empty list"),
    ],
)
def test_a_file_with_nothing_in_it_is_refused_with_a_clear_message(
    store, write, name, content, why
):
    path = write(name, content)
    (line,) = refusal_lines(import_paths(store, [path]))
    assert line.startswith(f"{path}: ") and why in line
    assert store.documents.count() == 0


@pytest.mark.parametrize(
    ("name", "limit"),
    [("a.txt", "MAX_ARTICLE_BYTES"), ("a.jsonl", "MAX_JSONL_BYTES"), ("a.json", "MAX_JSON_BYTES")],
)
def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(
    store, write, monkeypatch, name, limit
):
    monkeypatch.setattr(readers, limit, 1000)
    path = write(name, [{"text": "x" * 2000}] if name.startswith("a.json") else "x" * 2000)
    (line,) = refusal_lines(import_paths(store, [path]))
    assert line.startswith(f"{path}: ") and "over the" in line and "limit" in line
    assert store.documents.count() == 0


# -- JSONL tasks --------------------------------------------------------------------------------


def test_jsonl_imports_one_document_per_line_with_id_title_meta_and_status(store, write):
    path = write(
        "t.jsonl",
        [
            {"text": "First text.", "id": "a-1", "title": "First", "meta": {"src": "wire"}},
            {"text": "Second text.\nMore.", "id": 7, "status": "done"},
            "",
            {"text": "Third text.", "meta": None},
        ],
    )
    report = import_paths(store, [path])
    assert report.ok and report.documents_added == 3
    assert docs(store) == [
        ("a-1", "First", "First text.", {"src": "wire"}, "new"),
        ("7", "Second text.", "Second text.\nMore.", {}, "done"),
        (None, "Third text.", "Third text.", {}, "new"),
    ]


def test_jsonl_prodigy_spans_are_imported(store, write):
    text = "The council approved the budget, officials said."
    task = {
        "text": text,
        "spans": [
            {"start": 4, "end": 11, "label": "claim", "text": "council"},
            {"start": 12, "end": 31, "label": "quote"},
        ],
    }
    report = import_paths(store, [write("t.jsonl", [task])])
    assert report.spans_added == 2
    assert [s[1:5] for s in all_spans(store)] == [
        (4, 11, "claim", "council"),
        (12, 31, "quote", "approved the budget"),
    ]


def test_jsonl_doccano_label_lists_are_imported_as_spans(store, write):
    task = {
        "text": "The council approved the budget.",
        "label": [[4, 11, "claim"], [0, 3, "quote"]],
    }
    report = import_paths(store, [write("t.jsonl", [task])])
    assert report.spans_added == 2
    assert [s[1:5] for s in all_spans(store)] == [
        (0, 3, "quote", "The"),
        (4, 11, "claim", "council"),
    ]


def test_jsonl_doccano_entities_are_imported_as_spans(store, write):
    task = {
        "text": "The council approved the budget.",
        "entities": [{"id": 1, "start_offset": 4, "end_offset": 11, "label": "claim"}],
    }
    import_paths(store, [write("t.jsonl", [task])])
    assert [s[1:5] for s in all_spans(store)] == [(4, 11, "claim", "council")]


def test_imported_spans_are_marked_imported_and_credited_to_the_importer(store, write):
    import_paths(store, [write("t.jsonl", [{"text": "abc def", "label": [[0, 3, "claim"]]}])])
    assert all_spans(store) == [(1, 0, 3, "claim", "abc", "tester", None, "imported")]


def test_native_span_fields_annotator_note_and_origin_are_kept(store, write):
    span = {"start": 0, "end": 3, "label": "claim", "annotator": "alice", "note": "check"}
    import_paths(
        store, [write("t.jsonl", [{"text": "abc def", "spans": [{**span, "origin": "manual"}]}])]
    )
    assert all_spans(store) == [(1, 0, 3, "claim", "abc", "alice", "check", "manual")]


def test_the_same_span_listed_twice_by_one_annotator_is_imported_once(store, write):
    span = {"start": 0, "end": 3, "label": "claim"}
    report = import_paths(store, [write("t.jsonl", [{"text": "abc def", "spans": [span, span]}])])
    assert report.spans_added == 1


def test_the_same_span_by_two_annotators_is_imported_twice(store, write):
    spans = [
        {"start": 0, "end": 3, "label": "claim", "annotator": "alice"},
        {"start": 0, "end": 3, "label": "claim", "annotator": "bob"},
    ]
    report = import_paths(store, [write("t.jsonl", [{"text": "abc def", "spans": spans}])])
    assert report.spans_added == 2
    assert [s[5] for s in all_spans(store)] == ["alice", "bob"]


def test_jsonl_crlf_in_text_moves_the_spans_with_it(store, write):
    raw = "a\r\nb claim"
    start = raw.index("claim")
    task = {
        "text": raw,
        "spans": [{"start": start, "end": start + 5, "label": "claim", "text": "claim"}],
    }
    report = import_paths(store, [write("t.jsonl", [task])])
    assert report.ok, refusal_lines(report)
    assert docs(store)[0][2] == "a\nb claim"
    assert all_spans(store)[0][1:5] == (start - 1, start + 4, "claim", "claim")


def test_jsonl_span_across_a_crlf_keeps_covering_the_same_characters(store, write):
    raw = "x\r\nfirst line\r\nsecond\r\n"
    task = {"text": raw, "label": [[3, 21, "quote"], [14, 15, "claim"]]}
    import_paths(store, [write("t.jsonl", [task])])
    spans = {s[3]: s for s in all_spans(store)}
    assert spans["quote"][1:3] == (2, 19)
    assert spans["quote"][4] == "first line\nsecond"
    assert spans["claim"][4] == "\n"  # only the "\r" was tagged: it stands for the whole break


@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
def test_jsonl_splits_records_on_newline_only(store, write, codec):
    text = "One\u2028two\u2029three\x0cfour\x85five\x1csix\x0bseven"
    line = json.dumps({"text": text, "label": [[0, 3, "claim"]]}, ensure_ascii=False)
    # Raw form feed and vertical tab inside the string, as some writers leave them.
    line = line.replace("\\f", "\x0c").replace("\\u000b", "\x0b")
    data = (line + "\n" + json.dumps({"text": "Next record."}) + "\n").encode(codec)
    assert "\x0c" in data.decode(codec) and "\u2028" in data.decode(codec)
    report = import_paths(store, [write("t.jsonl", data)])
    assert report.ok, refusal_lines(report)
    assert report.files[0].records == 2
    assert [d[2] for d in docs(store)] == [text, "Next record."]


def test_jsonl_with_windows_line_endings_reads_every_record(store, write):
    data = b'{"text": "one"}\r\n{"text": "two"}\r\n'
    report = import_paths(store, [write("t.jsonl", data)])
    assert report.ok and [d[2] for d in docs(store)] == ["one", "two"]


def test_jsonl_duplicates_within_one_file_are_counted(store, write):
    report = import_paths(store, [write("t.jsonl", [{"text": "same"}, {"text": "same"}])])
    assert (report.documents_added, report.duplicates) == (1, 1)


# -- JSON files ---------------------------------------------------------------------------------


def test_json_list_of_tasks_is_imported(store, write):
    tasks = [
        {"text": "First.", "id": "a", "spans": [{"start": 0, "end": 5, "label": "claim"}]},
        {"text": "Second.", "title": "Two", "label": [[0, 6, "quote"]]},
    ]
    report = import_paths(store, [write("t.json", tasks)])
    assert report.ok and report.documents_added == 2 and report.spans_added == 2
    assert [d[:3] for d in docs(store)] == [("a", "First.", "First."), (None, "Two", "Second.")]


def test_json_single_task_is_imported_as_a_list_of_one(store, write):
    report = import_paths(store, [write("t.json", json.dumps({"text": "Alone."}))])
    assert report.ok and [d[2] for d in docs(store)] == ["Alone."]


def test_json_holding_several_tasks_without_a_list_is_refused_not_cut_short(store, write):
    path = write("t.json", '{"text": "alpha"}\n{"text": "beta"}\n')
    report = import_paths(store, [path])
    (refusal,) = refusal_lines(report)
    assert refusal.startswith(f"{path}:2: ")
    assert store.documents.count() == 0


def test_json_bad_task_is_refused_with_its_line(store, write):
    path = write("t.json", '[\n {"text": "good"},\n {"text": 3}\n]')
    report = import_paths(store, [path])
    assert refusal_lines(report) == [f'{path}:3: "text" must be a string, not a number']
    assert store.documents.count() == 0


def test_json_that_is_not_a_list_of_tasks_is_refused(store, write):
    path = write("t.json", '"just a string"')
    (refusal,) = refusal_lines(import_paths(store, [path]))
    assert "must hold a list of tasks" in refusal


def test_json_syntax_error_is_refused_with_its_line(store, write):
    path = write("t.json", '[\n {"text": "good"},\n {"text": "bad",,}\n]')
    (refusal,) = refusal_lines(import_paths(store, [path]))
    assert refusal.startswith(f"{path}:3: not valid JSON")
    assert store.documents.count() == 0


def test_json_text_after_the_list_is_refused(store, write):
    path = write("t.json", '[{"text": "good"}] trailing')
    (refusal,) = refusal_lines(import_paths(store, [path]))
    assert "after the list" in refusal
    assert store.documents.count() == 0


def test_json_nested_too_deeply_is_refused(store, write):
    path = write("t.json", "[" + "[" * 100_000 + "]" * 100_000 + "]")
    (refusal,) = refusal_lines(import_paths(store, [path]))
    assert "nested too deeply" in refusal


# -- progress -----------------------------------------------------------------------------------


def test_progress_reports_bytes_up_to_the_total(store, write):
    paths = [write("a.txt", "First."), write("b.jsonl", [{"text": "x"}, {"text": "y"}])]
    calls = []
    import_paths(store, paths, progress=lambda done, total: calls.append((done, total)))
    total = sum(p.stat().st_size for p in paths)
    assert calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_import_is_committed_when_it_returns(store, write, raw):
    path = write("t.jsonl", [{"text": "abc", "label": [[0, 3, "claim"]]}, {"text": "def"}])
    import_paths(store, [path])
    assert not store.conn.in_transaction
    assert raw.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    assert raw.execute("SELECT count(*) FROM spans").fetchone()[0] == 1


def test_import_is_recorded_in_the_history(store, write):
    path = write("t.jsonl", [{"text": "abc", "label": [[0, 3, "claim"]]}])
    import_paths(store, [path])
    change = store.history()[-1]
    assert change["action"] == "import"
    assert change["details"]["documents"] == 1 and change["details"]["spans"] == 1


def test_meta_nested_too_deeply_is_refused_with_its_line(store, write):
    deep: dict = {}
    cursor = deep
    for _ in range(100):
        cursor["a"] = {}
        cursor = cursor["a"]
    path = write("deep.jsonl", [{"text": "fine"}, {"text": "nested", "meta": deep}])
    report = import_paths(store, [path])
    assert [str(r) for r in report.refused] == [
        f'{path}:2: "meta" is nested more than 64 levels deep'
    ]
    assert store.documents.count() == 0


def test_a_huge_line_is_refused_with_its_line_and_the_rest_checked(store, write):
    from annotator.formats.tasks import MAX_RECORD_CHARS

    huge = json.dumps({"text": "x" * (MAX_RECORD_CHARS + 1)})
    path = write("huge.jsonl", [{"text": "first"}, huge, "{not json"])
    report = import_paths(store, [path])
    assert [str(r) for r in report.refused] == [
        f'{path}:2: "text" is longer than {MAX_RECORD_CHARS:,} characters',
        f"{path}:3: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
    ]
    assert store.documents.count() == 0


def test_a_repeated_text_with_one_status_gives_it_to_the_importing_analyst(store, write):
    """Work done elsewhere on a document the project already has (an analyst's packet, say)
    comes in with its status as the importing analyst's, and the history says so; a status an
    analyst already has is kept."""
    text = "The minister said the plan would work."
    import_paths(store, [write("a.txt", text)])
    (doc,) = store.documents.ids()
    record = {"text": text, "status": "done", "spans": [{"start": 0, "end": 12, "label": "claim"}]}
    report = import_paths(store, [write("t.jsonl", [record])])
    assert (report.duplicates, report.spans_added) == (1, 1)
    assert store.statuses.of(doc) == "done"
    assert store.documents.get(doc).status == "done"
    entries = store.conn.execute(
        "SELECT action, details FROM changes WHERE document_id = ? AND action = 'set_status'",
        (doc,),
    ).fetchall()
    assert [(a, json.loads(d)["after"]) for a, d in entries] == [("set_status", "done")]
    again = import_paths(store, [write("u.jsonl", [{**record, "status": "skipped"}])])
    assert again.duplicates == 1 and store.statuses.of(doc) == "done"
    import_paths(store, [write("v.jsonl", [{"text": text, "status": "new"}])])
    assert store.statuses.of(doc) == "done"
    import_paths(store, [write("b.txt", "Critics disagree.")])
    other = store.documents.ids()[-1]
    exported = {"text": "Critics disagree.", "status": "skipped", "statuses": {}}
    import_paths(store, [write("w.jsonl", [exported])])  # as annotator exports a packet's
    assert store.statuses.of(other) == "skipped"
