"""Properties over arbitrary text: offsets survive import and every export, and fuzzed input
never crashes the importer.

Projects are made inside each example (function-scoped fixtures do not mix with @given).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.formats.catalog import FORMATS_BY_NAME
from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.model import LineEndings
from annotator.store.project import Store

pytestmark = pytest.mark.slow

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that break naive offset handling: astral characters and emoji sequences, combining
# marks, right-to-left scripts, invisible formatting, every kind of line break.
PIECES = [
    "🚀",
    "👍🏽",
    "👨\u200d👩\u200d👧",
    "e\u0301",
    "\u0301",
    "\u0915\u094d\u0937",
    "مرحبا",
    "שָׁלוֹם",
    "\u200f",
    "\u202e",
    "\u00a0",
    "\t",
    "\r\n",
    "\r",
    "\n",
    "\r\r\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0c",
    "\x0b",
    "\x1c",
    "\ufeff",
    "\x00",
    " ",
    "word",
    "Ω",
]
LABELS = ["claim", "quote", "caption", "concession"]

raw_texts = (
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(max_size=4)),
        min_size=1,
        max_size=25,
    )
    .map("".join)
    .filter(lambda t: t.strip())
)


def normalise_reference(text: str) -> tuple[str, list[int]]:
    """Brute force: the normalised text, and for each raw index the index of the character
    it became (the "\\r" of a "\\r\\n" becomes the same "\\n" as its "\\n")."""
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(text):
        if text[i] == "\r" and text[i + 1 : i + 2] == "\n":
            where += [len(out), len(out)]
            out.append("\n")
            i += 2
        else:
            where.append(len(out))
            out.append("\n" if text[i] == "\r" else text[i])
            i += 1
    return "".join(out), where


def expected_span(text: str, start: int, end: int) -> tuple[int, int]:
    _, where = normalise_reference(text)
    return where[start], where[end - 1] + 1


@st.composite
def texts_with_spans(draw):
    text = draw(raw_texts)
    n = len(text)
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(1, n), st.sampled_from(LABELS)).filter(
                lambda p: p[0] < p[1]
            ),
            max_size=6,
        )
    )
    return text, pairs


# -- LineEndings against a brute-force reference -----------------------------------------------


@SETTINGS
@given(raw_texts)
def test_line_endings_text_matches_the_reference(text):
    assert LineEndings(text).text == normalise_reference(text)[0]


@SETTINGS
@given(raw_texts)
def test_line_endings_offsets_match_the_reference(text):
    endings = LineEndings(text)
    new, where = normalise_reference(text)
    for offset in range(len(text) + 1):
        expected_start = where[offset] if offset < len(text) else len(new)
        assert endings.start(offset) == expected_start
        if offset > 0:
            assert endings.end(offset) == where[offset - 1] + 1


@SETTINGS
@given(raw_texts)
def test_line_endings_keep_every_span_on_the_same_characters(text):
    endings = LineEndings(text)
    reference = normalise_reference(text)[0]
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            new_start, new_end = endings.start(start), endings.end(end)
            assert new_start < new_end
            assert endings.text[new_start:new_end] == normalise_reference(text[start:end])[0]
            assert reference[new_start:new_end] == endings.text[new_start:new_end]


@SETTINGS
@given(st.text().filter(lambda t: "\r" not in t))
def test_line_endings_leave_text_without_cr_and_its_offsets_alone(text):
    endings = LineEndings(text)
    assert endings.text == text and not endings.changed
    assert all(endings.start(i) == i and endings.end(i) == i for i in range(len(text) + 1))


# -- import then export -------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    data = path.read_bytes().decode("utf-8")
    return [json.loads(line) for line in data.split("\n") if line]


# The formats written as JSON Lines (the others have property tests of their own).
JSONL_FORMATS = [f.name for f in FORMATS_BY_NAME.values() if f.suffix == ".jsonl"]


def exported(store: Store, folder: Path) -> dict[str, list[dict]]:
    out = {}
    for fmt in JSONL_FORMATS:
        export(store, fmt, folder / f"{fmt}.jsonl")
        out[fmt] = read_jsonl(folder / f"{fmt}.jsonl")
    export(store, "doccano", folder / "utf16.jsonl", offsets="utf16")
    out["utf16"] = read_jsonl(folder / "utf16.jsonl")
    return out


@SETTINGS
@given(texts_with_spans())
def test_jsonl_task_spans_survive_import_and_every_export_format(case):
    raw, pairs = case
    task = {
        "text": raw,
        "spans": [{"start": s, "end": e, "label": lab, "text": raw[s:e]} for s, e, lab in pairs],
    }
    normalised = normalise_reference(raw)[0]
    expected = sorted({(*expected_span(raw, s, e), lab) for s, e, lab in pairs})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "task.jsonl").write_text(json.dumps(task) + "\n", encoding="utf-8")
        with Store(folder / "p.db", "tester") as store:
            report = import_paths(store, [folder / "task.jsonl"])
            assert report.ok, [str(r) for r in report.refused]
            ((doc, spans),) = list(store.documents.stream())
            assert doc.text == normalised
            assert sorted((s.start, s.end, s.label) for s in spans) == expected
            out = exported(store, folder)

    for fmt in ("annotator", "prodigy"):
        (record,) = out[fmt]
        assert record["text"] == normalised
        got = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        assert sorted(got) == expected
        assert [g[:2] for g in got] == sorted(g[:2] for g in got)  # in text order
        for s in record["spans"]:
            assert normalised[s["start"] : s["end"]] == s["text"]
    (native,) = out["annotator"]
    (doccano,) = out["doccano"]
    assert doccano["text"] == normalised
    assert doccano["label"] == [[s["start"], s["end"], s["label"]] for s in native["spans"]]
    for (start, end, _), span in zip(doccano["label"], native["spans"], strict=True):
        assert normalised[start:end] == span["text"]
    (utf16,) = out["utf16"]
    units = normalised.encode("utf-16-le", "surrogatepass")
    for (start, end, _), span in zip(utf16["label"], native["spans"], strict=True):
        assert units[2 * start : 2 * end].decode("utf-16-le", "surrogatepass") == span["text"]


@SETTINGS
@given(raw_texts)
def test_txt_article_is_stored_and_exported_with_only_line_endings_normalised(text):
    text = text.replace("\x00", " ")  # a NUL marks a binary file
    assume(not text.startswith("\ufeff"))  # a leading BOM is an encoding mark, not text
    assume(text.strip())
    crlf = text.replace("\n", "\r\n")  # Windows line endings on top of whatever is there
    normalised = normalise_reference(crlf)[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "article.txt").write_bytes(crlf.encode("utf-8"))
        with Store(folder / "p.db", "tester") as store:
            report = import_paths(store, [folder / "article.txt"])
            assert report.ok, [str(r) for r in report.refused]
            (doc_id,) = store.documents.ids()
            doc = store.documents.get(doc_id)
            assert doc.text == normalised
            first_line = next(line.strip() for line in normalised.split("\n") if line.strip())
            assert doc.title == first_line[:200]
            out = exported(store, folder)
    for fmt in JSONL_FORMATS:
        assert [r["text"] for r in out[fmt]] == [normalised]


# -- fuzzing the importers ----------------------------------------------------------------------


def check_report(store: Store, report, path: Path, jsonl: bool) -> None:
    """What must hold whatever the input: refusals name the file (and line), nothing is half
    imported, and every stored span matches its text."""
    (result,) = report.files
    for refusal in result.refused:
        assert refusal.path == str(path)
        assert str(refusal).startswith(f"{path}:")
        if jsonl:
            assert refusal.line is not None or len(result.refused) == 1
    assert store.documents.count() == report.documents_added
    stored = [(doc, spans) for doc, spans in store.documents.stream()]
    assert sum(len(spans) for _, spans in stored) == report.spans_added
    for doc, spans in stored:
        assert "\r" not in doc.text
        for s in spans:
            assert doc.text[s.start : s.end] == s.text
            assert 0 <= s.start < s.end <= len(doc.text)


@FUZZ
@given(
    data=st.binary(max_size=300),
    suffix=st.sampled_from([".txt", ".md", ".jsonl", ".json"]),
    skip_invalid=st.booleans(),
)
def test_import_of_arbitrary_bytes_never_raises(data, suffix, skip_invalid):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        with Store(folder / "p.db", "tester") as store:
            report = import_paths(store, [path], skip_invalid=skip_invalid)
            check_report(store, report, path, suffix == ".jsonl")
            if not data.strip():
                assert not report.ok


any_text = st.text(
    st.one_of(
        st.characters(),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
        st.sampled_from(["\r", "\n", "\u2028", "\x85"]),
    ),
    max_size=12,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | any_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=12,
)
offsets = st.one_of(st.integers(-2, 14), json_values)
labels = st.one_of(
    st.sampled_from([*LABELS, "Claim", "new label", "New Label", " pad", "a\tb", "x" * 70]),
    any_text,
    json_values,
)
span_fields = {
    "text": any_text,
    "note": st.one_of(any_text, json_values),
    "annotator": st.one_of(any_text, json_values),
    "origin": st.one_of(st.sampled_from(["manual", "imported", "robot"]), json_values),
    "created_at": st.one_of(any_text, json_values),
}
task_fields = {
    "id": st.one_of(any_text, json_values),
    "title": st.one_of(any_text, json_values),
    "meta": st.one_of(st.dictionaries(any_text, json_values, max_size=3), json_values),
    "status": st.one_of(st.sampled_from(["new", "done", "finished"]), json_values),
}


plausible_values = {
    "id": st.one_of(st.integers(0, 99), any_text),
    "title": any_text,
    "meta": st.dictionaries(st.text(max_size=3), json_values, max_size=3),
    "status": st.sampled_from(["new", "in_progress", "done", "skipped"]),
    "note": any_text,
    "annotator": any_text,
    "origin": st.sampled_from(["manual", "imported", "suggested"]),
    "created_at": any_text,
}


@st.composite
def plausible_tasks(draw):
    """Tasks that are mostly right, so the checks after the first ones get exercised: each
    field is usually plausible and only now and then something odd."""

    def usually(valid, odd):
        # One field in ten is odd. Hypothesis favours the first choice, so "valid" comes first.
        return draw(valid if draw(st.sampled_from(["valid"] * 9 + ["odd"])) == "valid" else odd)

    pieces = st.one_of(st.characters(), st.sampled_from(["\r\n", "\r", "🚀", " "]))
    text = draw(st.sampled_from(["Abc", "🚀x", "مرحبا"])) + "".join(
        draw(st.lists(pieces, max_size=10))
    )
    n = len(text)
    spans = []
    for _ in range(draw(st.sampled_from([1, 2, 3]))):
        start = usually(st.integers(0, n - 1), offsets)
        end = usually(
            st.integers(start + 1, n) if isinstance(start, int) and start < n else offsets, offsets
        )
        span = {"start": start, "end": end, "label": usually(st.sampled_from(LABELS), labels)}
        right = st.just(text[start:end] if isinstance(start, int) and isinstance(end, int) else "")
        for key, values in span_fields.items():
            if draw(st.booleans()):
                span[key] = usually(plausible_values.get(key, right), values)
        spans.append(span)
    task = {"text": text}
    if draw(st.booleans()):
        task["spans"] = spans
    else:
        task["label"] = [[s["start"], s["end"], s["label"]] for s in spans]
    for key, values in task_fields.items():
        if draw(st.booleans()):
            task[key] = usually(plausible_values[key], values)
    return task


# Mostly plausible tasks (three in five), with arbitrary JSON values and odd shapes mixed in.
tasks = st.one_of(
    plausible_tasks(),
    plausible_tasks(),
    plausible_tasks(),
    json_values,
    st.fixed_dictionaries(
        {"text": st.one_of(any_text, json_values)},
        optional={
            **task_fields,
            "spans": json_values,
            "label": json_values,
            "entities": st.one_of(
                st.lists(
                    st.fixed_dictionaries(
                        {"start_offset": offsets, "end_offset": offsets, "label": labels}
                    ),
                    max_size=2,
                ),
                json_values,
            ),
        },
    ),
)


def dumps(value) -> str:
    """JSON as other tools write it; huge numbers stand in for the infinities json.dumps writes."""
    return json.dumps(value).replace("Infinity", "1e400")


@FUZZ
@given(
    records=st.lists(tasks, min_size=1, max_size=5),
    as_json=st.booleans(),
    skip_invalid=st.booleans(),
    create_labels=st.booleans(),
)
def test_import_of_arbitrary_json_tasks_never_raises(records, as_json, skip_invalid, create_labels):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if as_json:
            path = folder / "tasks.json"
            path.write_text(dumps(records), encoding="utf-8")
        else:
            path = folder / "tasks.jsonl"
            path.write_text("\n".join(dumps(r) for r in records) + "\n", encoding="utf-8")
        with Store(folder / "p.db", "tester") as store:
            report = import_paths(
                store, [path], skip_invalid=skip_invalid, create_labels=create_labels
            )
            check_report(store, report, path, not as_json)
            if not as_json:
                assert all(r.line is not None for r in report.refused)
            if report.refused and not skip_invalid:
                assert store.documents.count() == 0
                assert len(store.labels.all()) == 5
