"""Checking one task: every reason a record is refused, and labels made on import."""

from __future__ import annotations

import json

import pytest
from project_reading import all_spans, docs, refusal_lines

from annotator.formats.importing import import_paths

# -- bad records --------------------------------------------------------------------------------

BAD_RECORDS = {
    "not-json": ('{"text": "abc", ', "not valid JSON"),
    "not-an-object": ('["abc"]', "must be a JSON object, not a list"),
    "no-text": ('{"title": "t"}', 'no "text" field'),
    "text-not-string": ('{"text": 5}', '"text" must be a string, not a number'),
    "text-empty": ('{"text": "  \\n"}', '"text" is empty'),
    "span-out-of-range": (
        '{"text": "abc", "spans": [{"start": 0, "end": 9, "label": "claim"}]}',
        "ends after the text",
    ),
    "span-reversed": ('{"text": "abc", "label": [[2, 1, "claim"]]}', "reversed"),
    "span-empty": ('{"text": "abc", "label": [[1, 1, "claim"]]}', "empty"),
    "span-negative": ('{"text": "abc", "label": [[-1, 2, "claim"]]}', "negative"),
    "span-not-integer": ('{"text": "abc", "label": [[0.0, 2, "claim"]]}', "integer"),
    "unknown-label": ('{"text": "abc", "label": [[0, 2, "opinion"]]}', "unknown label 'opinion'"),
    "span-text-differs": (
        '{"text": "abc", "spans": [{"start": 0, "end": 2, "label": "claim", "text": "bc"}]}',
        "differs",
    ),
    "meta-not-object": ('{"text": "abc", "meta": ["x"]}', '"meta" must be an object'),
    "lone-surrogate": ('{"text": "ab\\ud800c"}', "unpaired surrogate"),
    "nan": ('{"text": "abc", "meta": {"x": NaN}}', "NaN is not valid JSON"),
    "infinity": ('{"text": "abc", "meta": {"x": Infinity}}', "Infinity is not valid JSON"),
    "huge-number": ('{"text": "abc", "meta": {"x": 1e400}}', "too large"),
    "deeply-nested": ('{"text": "abc", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested"),
    "bad-status": ('{"text": "abc", "status": "finished"}', '"status" must be one of'),
    "bad-id": ('{"text": "abc", "id": [1]}', '"id" must be a string or a whole number'),
    "title-not-string": ('{"text": "abc", "title": 3}', '"title" must be a string'),
    "doccano-whole-text-label": ('{"text": "abc", "label": ["positive"]}', "whole text"),
    "spans-not-list": ('{"text": "abc", "spans": {"start": 0}}', '"spans" must be a list'),
}


@pytest.mark.parametrize(("line", "why"), BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_a_bad_record_is_refused_by_file_and_line_with_the_reason(store, write, dump, line, why):
    path = write("t.jsonl", ['{"text": "A good record."}', line, '{"text": "Another good one."}'])
    before_stats, before = store.stats(), dump(store.path)
    report = import_paths(store, [path])
    (refusal,) = refusal_lines(report)
    assert refusal.startswith(f"{path}:2: "), refusal
    assert why in refusal
    assert report.files[0].rolled_back
    assert store.stats() == before_stats
    assert dump(store.path) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", "a\ud800"), ("note", "n\udfff"), ("annotator", "\ud83d"), ("created_at", "\udc00")],
)
def test_a_lone_surrogate_in_any_stored_field_is_refused_not_raised(store, write, field, value):
    task = {"text": "abc def", "spans": [{"start": 0, "end": 3, "label": "claim"}]}
    if field == "id":
        task["id"] = value
    else:
        task["spans"][0][field] = value
    path = write("t.jsonl", [json.dumps(task)])  # json.dumps writes the surrogate as \\uXXXX
    report = import_paths(store, [path])
    (refusal,) = refusal_lines(report)
    assert refusal.startswith(f"{path}:1: ") and "surrogate" in refusal
    assert store.documents.count() == 0


def test_import_refuses_whole_file_when_one_line_is_bad(store, write, dump):
    path = write("t.jsonl", [{"text": f"Good record {i}."} for i in range(5)] + ["{oops"])
    before_stats, before = store.stats(), dump(store.path)
    report = import_paths(store, [path])
    assert report.documents_added == 0
    assert report.files[0].rolled_back
    assert f"Nothing was imported from {path}" in report.summary()
    assert store.stats() == before_stats
    assert dump(store.path) == before


def test_import_lists_every_bad_record_not_just_the_first(store, write):
    path = write(
        "t.jsonl",
        [
            '{"text": "good"}',
            "not json",
            '{"text": 1}',
            '{"text": "ok"}',
            "",
            '{"text": "abc", "label": [[0, 9, "claim"]]}',
        ],
    )
    report = import_paths(store, [path])
    assert [(r.line, r.path) for r in report.refused] == [
        (2, str(path)),
        (3, str(path)),
        (6, str(path)),
    ]
    assert "3 records refused" in report.summary()


def test_skip_invalid_imports_the_good_records_and_lists_the_bad(store, write):
    path = write(
        "t.jsonl",
        [
            {"text": "good one", "label": [[0, 4, "claim"]]},
            {"text": "bad one", "label": [[0, 40, "claim"]]},
            {"text": "good two"},
        ],
    )
    report = import_paths(store, [path], skip_invalid=True)
    assert [d[2] for d in docs(store)] == ["good one", "good two"]
    assert [s[4] for s in all_spans(store)] == ["good"]
    assert refusal_lines(report) == [
        f"{path}:2: label[0]: span [0, 40) ends after the text (7 characters)"
    ]
    assert not report.files[0].rolled_back
    assert (report.documents_added, report.spans_added) == (2, 1)


def test_a_refused_file_does_not_stop_the_other_files(store, write):
    bad = write("bad.jsonl", ["{oops"])
    good = write("good.txt", "A good article.")
    report = import_paths(store, [bad, good])
    assert report.documents_added == 1
    assert [d[2] for d in docs(store)] == ["A good article."]


def test_utf16_offsets_get_a_hint_in_the_refusal(store, write):
    text = "🚀 launch"
    task = {"text": text, "spans": [{"start": 3, "end": 9, "label": "claim", "text": "launch"}]}
    (refusal,) = refusal_lines(import_paths(store, [write("t.jsonl", [task])]))
    assert "UTF-16" in refusal


def test_a_refusal_never_repeats_the_whole_text(store, write):
    text = "secret " * 1000
    task = {"text": text, "spans": [{"start": 0, "end": 6000, "label": "claim", "text": "nope"}]}
    (refusal,) = refusal_lines(import_paths(store, [write("t.jsonl", [task])]))
    assert len(refusal) < 400


# -- labels -------------------------------------------------------------------------------------


def test_create_labels_adds_the_labels_a_file_uses(store, write):
    task = {"text": "abc def", "label": [[0, 3, "source"], [4, 7, "claim"]]}
    report = import_paths(store, [write("t.jsonl", [task])], create_labels=True)
    assert report.labels_created == ["source"]
    assert "New labels: source" in report.summary()
    assert store.labels.all()[-1].name == "source"
    assert [s[3] for s in all_spans(store)] == ["source", "claim"]


def test_create_labels_adds_nothing_when_the_file_is_refused(store, write):
    path = write("t.jsonl", [{"text": "abc", "label": [[0, 3, "source"]]}, "{oops"])
    report = import_paths(store, [path], create_labels=True)
    assert report.labels_created == []
    assert "source" not in {lab.name for lab in store.labels.all()}


def test_create_labels_does_not_report_labels_undone_by_a_broken_json_file(store, write):
    path = write("t.json", '[{"text": "abc", "label": [[0, 3, "source"]]}, {"text": "x"} oops]')
    report = import_paths(store, [path], create_labels=True)
    assert not report.ok
    assert "source" not in {lab.name for lab in store.labels.all()}
    assert report.labels_created == []
    assert "New labels" not in report.summary()


def test_create_labels_skips_the_labels_of_refused_records(store, write):
    path = write(
        "t.jsonl",
        [
            {
                "text": "bad",
                "spans": [
                    {"start": 0, "end": 3, "label": "rumour"},
                    {"start": 0, "end": 9, "label": "claim"},
                ],
            },
            {"text": "good", "label": [[0, 4, "claim"]]},
        ],
    )
    report = import_paths(store, [path], create_labels=True, skip_invalid=True)
    assert report.documents_added == 1
    assert "rumour" not in {lab.name for lab in store.labels.all()}
    assert report.labels_created == []


@pytest.mark.parametrize(
    ("label", "why"),
    [
        ("x" * 65, "longer than"),
        ("a\tb", "tab"),
        ("Claim", "only in case"),
        ("bad\ud800", "surrogate"),
    ],
    ids=["too-long", "tab", "case-clash", "surrogate"],
)
def test_create_labels_refuses_a_label_the_project_cannot_hold(store, write, label, why):
    path = write("t.jsonl", [json.dumps({"text": "abc", "label": [[0, 3, label]]})])
    report = import_paths(store, [path], create_labels=True)
    (refusal,) = refusal_lines(report)
    assert refusal.startswith(f"{path}:1: label[0]: ") and why in refusal
    assert len(store.labels.all()) == 5


def test_create_labels_refuses_two_new_labels_that_differ_only_in_case(store, write):
    path = write(
        "t.jsonl",
        [
            {"text": "one", "label": [[0, 3, "Rumour"]]},
            {"text": "two", "label": [[0, 3, "rumour"]]},
        ],
    )
    report = import_paths(store, [path], create_labels=True)
    assert [r.line for r in report.refused] == [2]
    assert len(store.labels.all()) == 5


# -- Label Studio -------------------------------------------------------------------------------

LABEL_STUDIO_TEXT = "Ministers said 🚀 exports rose. “We are pleased,” Ana Ruiz said."


def _label_studio_task(**extra):
    quote_start = LABEL_STUDIO_TEXT.index("“")
    quote_end = LABEL_STUDIO_TEXT.index("”") + 1
    task = {
        "id": 41,
        "data": {"text": LABEL_STUDIO_TEXT},
        "annotations": [
            {
                "completed_by": 3,
                "result": [
                    {
                        "id": "a1",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "value": {
                            "start": quote_start,
                            "end": quote_end,
                            "text": LABEL_STUDIO_TEXT[quote_start:quote_end],
                            "labels": ["quote"],
                        },
                    },
                ],
            },
            {
                "was_cancelled": True,
                "result": [
                    {"type": "labels", "value": {"start": 0, "end": 9, "labels": ["claim"]}}
                ],
            },
        ],
        "predictions": [
            {
                "model_version": "v1",
                "result": [
                    {"type": "labels", "value": {"start": 15, "end": 29, "labels": ["claim"]}}
                ],
            }
        ],
    }
    task.update(extra)
    return task


def test_label_studio_tasks_import_with_annotations_and_predictions(store, write):
    path = write("ls.json", [_label_studio_task()])
    report = import_paths(store, [path])
    assert report.ok, refusal_lines(report)
    assert docs(store) == [("41", LABEL_STUDIO_TEXT, LABEL_STUDIO_TEXT, {}, "new")]
    spans = sorted((s[1], s[2], s[3], s[4], s[7]) for s in all_spans(store))
    quote_start = LABEL_STUDIO_TEXT.index("“")
    assert spans == [
        (15, 29, "claim", "🚀 exports rose", "suggested"),
        (quote_start, LABEL_STUDIO_TEXT.index("”") + 1, "quote", "“We are pleased,”", "imported"),
    ]


def test_label_studio_span_text_that_differs_is_refused_with_where(store, write):
    task = _label_studio_task()
    task["annotations"][0]["result"][0]["value"]["text"] = "We are pleased"  # trimmed quotes
    path = write("ls.json", [task])
    (line,) = refusal_lines(import_paths(store, [path]))
    assert line.startswith(f"{path}:2: annotations[0].result[0]: span text")  # [ on line 1
    assert store.documents.count() == 0


def test_label_studio_result_without_offsets_is_refused(store, write):
    task = _label_studio_task()
    task["predictions"][0]["result"][0]["value"] = {"labels": ["claim"]}
    path = write("ls.jsonl", [task])
    (line,) = refusal_lines(import_paths(store, [path]))
    assert "predictions[0].result[0]: expected value.start, value.end and value.labels" in line
