"""The curated export keeps where each gold span came from: the analysts who made that same
span (start, end, label), in every format with a place for it."""

from __future__ import annotations

import csv
import json

import pytest

from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.model import text_hash
from annotator.store.project import Store
from annotator.team.curation import curate_agreed, settle

TEXT = "Rates rise. “Not yet,” said Ruiz. Costs fell."
CLAIM = (0, 11)  # "Rates rise."
QUOTE = (12, 22)  # "“Not yet,”"
OWN = (34, 45)  # "Costs fell."

#: (start, end, label) of each curated span, and who made the same span.
EXPECTED = {
    (*CLAIM, "claim"): ["ana", "bo", "cy"],  # cy made it too, without marking the text done
    (*QUOTE, "quote"): ["ana", "bo"],  # a suggestion of the same span is nobody's work
    (*OWN, "claim"): [],  # the curator's own
}


@pytest.fixture
def gold(tmp_path):
    """Three analysts on one text, the agreed spans curated, and one span the curator added."""
    path = tmp_path / "team.db"
    with Store(path, "ana") as store:
        with store.transaction():
            doc = store.documents.insert(text=TEXT, text_hash=text_hash(TEXT), title="Rates")
        assert doc is not None
        other = "Another text, not settled."
        with store.transaction():
            store.documents.insert(text=other, text_hash=text_hash(other), title="Other")
    for who, spans in (
        ("ana", [(*CLAIM, "claim"), (*QUOTE, "quote")]),
        ("bo", [(*CLAIM, "claim"), (*QUOTE, "quote"), (0, 5, "claim")]),
        ("cy", [(*CLAIM, "claim")]),
    ):
        with Store(path, who) as store:
            for start, end, label in spans:
                store.spans.add(doc, start, end, label)
            if who != "cy":
                store.statuses.set(doc, "done")
    with Store(path, "dee") as store:
        store.spans.add(doc, *QUOTE, "quote", origin="suggested", suggester="rules", score=0.9)
    with Store(path, "cur") as store:
        curate_agreed(store)
        store.spans.add(doc, *OWN, "claim", origin="curated")
        settle(store, doc)
    assert TEXT[CLAIM[0] : CLAIM[1]] == "Rates rise." and TEXT[OWN[0] : OWN[1]] == "Costs fell."
    return path


def curated(path, fmt, out, **options):
    with Store(path, "reader") as store:
        return export(store, fmt, out, curated=True, **options)


def test_annotators_own_export_gives_each_gold_span_its_analysts(gold, tmp_path):
    out = tmp_path / "gold.jsonl"
    curated(gold, "annotator", out)
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    got = {(s["start"], s["end"], s["label"]): s["analysts"] for s in record["spans"]}
    assert got == EXPECTED
    assert all(s["annotator"] == "cur" for s in record["spans"])
    # and it reads back in (the field is where the span came from, not a span of its own)
    with Store(tmp_path / "again.db", "x") as again:
        assert import_paths(again, [out]).ok


def test_an_export_of_the_analysts_work_has_no_analysts_field(gold, tmp_path):
    out = tmp_path / "all.jsonl"
    with Store(gold, "reader") as store:
        export(store, "annotator", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all("analysts" not in s for r in records for s in r["spans"])


def test_prodigy_spans_carry_their_analysts(gold, tmp_path):
    out = tmp_path / "gold.jsonl"
    curated(gold, "prodigy", out)
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {(s["start"], s["end"], s["label"]): s["analysts"] for s in record["spans"]} == EXPECTED


def test_label_studio_regions_carry_their_analysts_in_meta(gold, tmp_path):
    out = tmp_path / "gold.json"
    curated(gold, "label-studio", out)
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    (annotation,) = task["annotations"]
    got = {
        (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]): r["meta"]["analysts"]
        for r in annotation["result"]
        if r["type"] == "labels"
    }
    assert got == EXPECTED


def test_spacy_user_data_carries_the_analysts(gold, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    out = tmp_path / "gold.spacy"
    curated(gold, "spacy", out, align="expand")
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)
    data = doc.user_data["spans"]  # msgpack gives lists back as tuples
    assert {(s["start"], s["end"], s["label"]): list(s["analysts"]) for s in data} == EXPECTED


def test_csv_has_an_analysts_column_in_a_curated_export(gold, tmp_path):
    out = tmp_path / "gold.csv"
    curated(gold, "csv", out)
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    got = {(int(r["start"]), int(r["end"]), r["label"]): json.loads(r["analysts"]) for r in rows}
    assert got == EXPECTED
    with Store(gold, "reader") as store:  # the analysts' own work has no such column
        export(store, "csv", tmp_path / "all.csv", statuses=["any"])
    assert "analysts" not in (tmp_path / "all.csv").read_text(encoding="utf-8").splitlines()[0]


def test_parquet_spans_carry_their_analysts(gold, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "gold.parquet"
    curated(gold, "parquet", out)
    (row,) = pq.read_table(out).to_pylist()
    assert {(s["start"], s["end"], s["label"]): s["analysts"] for s in row["spans"]} == EXPECTED
    with Store(gold, "reader") as store:
        export(store, "parquet", tmp_path / "all.parquet")
    rows = pq.read_table(tmp_path / "all.parquet").to_pylist()
    assert all(s["analysts"] is None for r in rows for s in r["spans"])


def test_brat_notes_carry_the_analysts_and_read_back_without_them(gold, tmp_path):
    out = tmp_path / "gold"
    curated(gold, "brat", out)
    (ann,) = out.glob("*.ann")
    lines = ann.read_text(encoding="utf-8").splitlines()
    spans = {}
    for line in lines:
        if line.startswith("T"):
            tid, middle, _ = line.split("\t")
            label, start, end = middle.split(" ")
            spans[tid] = (int(start), int(end), label)
    notes = {}
    for line in lines:
        if line.startswith("#"):
            _, target, note = line.split("\t")
            items = dict(part.split(": ", 1) for part in note.split("; "))
            notes[spans[target.split(" ")[1]]] = json.loads(items["analysts"])
    assert notes == EXPECTED
    with Store(tmp_path / "again.db", "x") as again:
        assert import_paths(again, [out]).ok
        (doc,) = again.documents.rows()
        assert all(s.note is None for s in again.spans.in_document(doc.id))
