"""Relations and attributes through every format, both ways: each relation joins the same two
spans (by offsets and labels) after an export and an import."""

from __future__ import annotations

import json

import pytest

from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.store.project import Store

TEXT = "“We will build it,” said Mayor Ana Ruiz 🚀. Admittedly, costs rose. The line opens in 2027."


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "source.db"
    with Store(path, "ana") as store:
        with store.transaction():
            from annotator.model import text_hash

            doc = store.documents.insert(text=TEXT, text_hash=text_hash(TEXT), title="t")
        quote = store.spans.add(doc, 0, 19, "quote")
        speaker = store.spans.add(doc, 25, 39, "speaker")
        nested = store.spans.add(doc, 31, 39, "claim")  # overlaps the speaker
        concession = store.spans.add(doc, 43, 66, "concession")
        claim = store.spans.add(doc, 67, 90, "claim")
        store.relations.add(quote.id, speaker.id, "said_by")
        store.relations.add(concession.id, claim.id, "concedes")
        store.spans.set_attributes(quote.id, {"speaker": "the mayor"})
        assert nested.id
    return path


def joined(path) -> set[tuple]:
    """Every relation as (type, head start, end, label, child start, end, label)."""
    with Store(path, "check") as store:
        out = set()
        for doc in store.documents.ids():
            spans = {s.id: s for s in store.spans.in_document(doc)}
            for r in store.relations.in_document(doc):
                h, c = spans[r.head], spans[r.child]
                out.add((r.label, h.start, h.end, h.label, c.start, c.end, c.label))
        return out


@pytest.mark.parametrize("fmt", ["annotator", "prodigy", "doccano"])
def test_relations_survive_an_export_and_an_import_in_each_format(source, tmp_path, fmt):
    out = tmp_path / f"{fmt}.jsonl"
    with Store(source, "ana") as store:
        export(store, fmt, out)
    again = tmp_path / f"again-{fmt}.db"
    with Store(again, "bo") as store:
        report = import_paths(store, [out])
        assert report.ok, report.refused
    assert joined(again) == joined(source) != set()


def test_the_annotator_format_names_span_ids_and_carries_attributes(source, tmp_path):
    out = tmp_path / "a.jsonl"
    with Store(source, "ana") as store:
        export(store, "annotator", out)
    record = json.loads(out.read_text())
    ids = {s["id"] for s in record["spans"]}
    assert {r["head"] for r in record["relations"]} <= ids
    assert record["spans"][0]["attributes"] == {"speaker": "the mayor"}
    again = tmp_path / "again.db"
    with Store(again, "bo") as store:
        import_paths(store, [out])
        (quote,) = [s for s in store.spans.in_document(1) if s.label == "quote"]
        assert quote.attributes == {"speaker": "the mayor"}
        assert {r.annotator for r in store.relations.in_document(1)} == {"ana"}


def test_prodigy_relations_point_at_the_last_token_of_each_span(source, tmp_path):
    out = tmp_path / "p.jsonl"
    with Store(source, "ana") as store:
        export(store, "prodigy", out)
    task = json.loads(out.read_text())
    tokens = task["tokens"]
    for rel in task["relations"]:
        for end, span in (("head", "head_span"), ("child", "child_span")):
            assert rel[end] == rel[span]["token_end"]
            last = tokens[rel[end]]
            assert last["start"] < rel[span]["end"] <= last["end"]


def test_doccano_writes_the_entities_and_relations_form(source, tmp_path):
    out = tmp_path / "d.jsonl"
    with Store(source, "ana") as store:
        export(store, "doccano", out)
    record = json.loads(out.read_text())
    assert "label" not in record
    entity_ids = {e["id"] for e in record["entities"]}
    assert all(r["from_id"] in entity_ids and r["to_id"] in entity_ids for r in record["relations"])


@pytest.mark.parametrize(
    ("relations", "says"),
    [
        ([{"head": 1, "child": 9, "label": "said_by"}], "child: 9 is not the id of a span"),
        ([{"head": 2, "child": 1, "label": "said_by"}], "said_by goes from quote to speaker"),
        ([{"head": 1, "child": 2, "label": "cites"}], "unknown relation type 'cites'"),
        (
            [
                {
                    "head_span": {"start": 0, "end": 5, "label": "quote"},
                    "child_span": {},
                    "label": "said_by",
                }
            ],
            "head_span: no span [0, 5) 'quote'",
        ),
    ],
)
def test_a_relation_that_does_not_fit_is_refused_by_line(store, write, relations, says):
    task = {
        "text": "“Yes,” said Bo.",
        "spans": [
            {"id": 1, "start": 0, "end": 6, "label": "quote"},
            {"id": 2, "start": 12, "end": 14, "label": "speaker"},
        ],
        "relations": relations,
    }
    path = write("r.jsonl", ["{}", task])
    report = import_paths(store, [path])
    (refusal,) = [str(r) for r in report.refused if r.line == 2]
    assert refusal.startswith(f"{path}:2: relations[0]: ") and says in refusal
    assert store.documents.count() == 0
