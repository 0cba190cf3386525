"""A file of tasks with overlapping spans and relations, in annotator's and Prodigy's forms,
through every format: each relation joins the same two spans (by offsets and labels), and
importing an export again gives the same project."""

from __future__ import annotations

import json

import pytest

from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.store.project import Store

ONE = "“We will build it by 2027,” said Mayor Ana Ruiz 🚀. Admittedly, costs rose by a third."
TWO = "Critics said “the plan is a postcard”.\nThe minister, Bo Lind, replied: “It is not.”"


def _at(text: str, piece: str, label: str, **extra) -> dict:
    start = text.index(piece)
    return {"start": start, "end": start + len(piece), "label": label, **extra}


def _tokens(text: str) -> list[dict]:
    import re

    return [
        {"text": m.group(), "start": m.start(), "end": m.end(), "id": i}
        for i, m in enumerate(re.finditer(r"\w+|[^\w\s]", text))
    ]


def _token_span(toks: list[dict], span: dict) -> dict:
    first = next(t["id"] for t in toks if t["end"] > span["start"])
    last = max(t["id"] for t in toks if t["start"] < span["end"])
    return {**span, "token_start": first, "token_end": last}


@pytest.fixture
def tasks(tmp_path):
    """Two records: annotator's form (ids within the record) and Prodigy's relation form."""
    quote = _at(ONE, "“We will build it by 2027,”", "quote", id=10)
    quote["attributes"] = {"speaker": "the mayor"}
    speaker = _at(ONE, "Mayor Ana Ruiz", "speaker", id=11)
    inner = _at(ONE, "Ana Ruiz", "claim", id=12)  # nested in the speaker
    overlapping = _at(ONE, "build it by 2027,” said", "claim", id=13)  # crosses the quote's end
    concession = _at(ONE, "Admittedly, costs rose by a third.", "concession", id=14)
    first = {
        "id": "one",
        "title": "One",
        "text": ONE,
        "spans": [quote, speaker, inner, overlapping, concession],
        "relations": [
            {"head": 10, "child": 11, "label": "said_by"},
            {"head": 14, "child": 13, "label": "concedes"},
        ],
    }
    toks = _tokens(TWO)
    q1 = _token_span(toks, _at(TWO, "“the plan is a postcard”", "quote"))
    q2 = _token_span(toks, _at(TWO, "“It is not.”", "quote"))
    who = _token_span(toks, _at(TWO, "Bo Lind", "speaker"))
    role = _token_span(toks, _at(TWO, "The minister, Bo Lind", "claim"))  # holds the speaker
    second = {
        "text": TWO,
        "meta": {"id": "two"},
        "tokens": toks,
        "spans": [q1, q2, who, role],
        "relations": [
            {
                "head": q2["token_end"],
                "child": who["token_end"],
                "head_span": q2,
                "child_span": who,
                "label": "said_by",
            }
        ],
    }
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in (first, second)) + "\n")
    project = tmp_path / "project.db"
    with Store(project, "ana") as store:
        report = import_paths(store, [path])
        assert report.ok, report.refused
    return project


def picture(path) -> dict[str, tuple]:
    """A project by text: its spans (offsets, label, attributes) and relations by their ends."""
    with Store(path, "check") as store:
        out = {}
        for doc in store.documents.ids():
            text = store.documents.get(doc).text
            spans = {s.id: s for s in store.spans.in_document(doc)}
            out[text] = (
                sorted((s.start, s.end, s.label, s.annotator) for s in spans.values()),
                sorted(
                    (
                        r.label,
                        (spans[r.head].start, spans[r.head].end, spans[r.head].label),
                        (spans[r.child].start, spans[r.child].end, spans[r.child].label),
                    )
                    for r in store.relations.in_document(doc)
                ),
                sorted(
                    (s.start, s.label, tuple(sorted(s.attributes.items()))) for s in spans.values()
                ),
            )
        return out


EXPORTS = {
    "annotator": "out.jsonl",
    "prodigy": "out.jsonl",
    "doccano": "out.jsonl",
    "label-studio": "out.json",
    "brat": "out",
}
KEEPS_ATTRIBUTES = {"annotator", "label-studio", "brat"}


def test_the_tasks_went_in_with_every_relation(tasks):
    (spans_one, relations_one, _), (spans_two, relations_two, _) = picture(tasks).values()
    assert len(spans_one) == 5 and len(relations_one) == 2
    assert len(spans_two) == 4 and relations_two == [
        (
            "said_by",
            (TWO.index("“It"), len(TWO), "quote"),
            (TWO.index("Bo"), TWO.index("Bo") + 7, "speaker"),
        )
    ]


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_every_relation_joins_the_same_spans_after_an_export_and_a_new_import(tasks, tmp_path, fmt):
    out = tmp_path / EXPORTS[fmt]
    with Store(tasks, "ana") as store:
        export(store, fmt, out)
    again = tmp_path / f"again-{fmt}.db"
    with Store(again, "bo") as store:
        report = import_paths(store, [out])
        assert report.ok, report.refused
    before, after = picture(tasks), picture(again)
    assert set(after) == set(before)
    for text, (spans, relations, attributes) in before.items():
        got_spans, got_relations, got_attributes = after[text]
        # offsets and labels always; the analyst where the format carries it
        assert [s[:3] for s in got_spans] == [s[:3] for s in spans]
        assert got_relations == relations
        if fmt in KEEPS_ATTRIBUTES:
            assert got_spans == spans and got_attributes == attributes


def test_a_second_round_gives_the_same_project(tasks, tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    with Store(tasks, "ana") as store:
        export(store, "annotator", first)
    again = tmp_path / "again.db"
    with Store(again, "bo") as store:
        import_paths(store, [first])
        export(store, "annotator", second)

    def stable(path):
        records = [
            json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line
        ]
        for r in records:
            ids = {s["id"]: n for n, s in enumerate(r["spans"])}
            for s in r["spans"]:
                for key in ("id", "created_at", "updated_at"):
                    s.pop(key)
            for rel in r["relations"]:
                rel["head"], rel["child"] = ids[rel["head"]], ids[rel["child"]]
                for key in ("created_at", "updated_at"):
                    rel.pop(key)
            for key in ("created_at", "updated_at", "source", "lead_time", "lead_times"):
                r.pop(key)
        return records

    assert stable(second) == stable(first)


def test_spacy_and_parquet_keep_every_relation_by_its_ends(tasks, tmp_path):
    import duckdb
    import spacy
    from spacy.tokens import DocBin

    with Store(tasks, "ana") as store:
        export(store, "spacy", tmp_path / "out.spacy", align="expand")
        export(store, "parquet", tmp_path / "out.parquet")
    expected = {text: relations for text, (_, relations, _) in picture(tasks).items()}
    docs = DocBin().from_disk(tmp_path / "out.spacy").get_docs(spacy.blank("en").vocab)
    for doc in docs:
        group = doc.spans["sc"]
        got = sorted(
            (
                r["label"],
                (group[r["head"]].start_char, group[r["head"]].end_char, group[r["head"]].label_),
                (
                    group[r["child"]].start_char,
                    group[r["child"]].end_char,
                    group[r["child"]].label_,
                ),
            )
            for r in doc.user_data["relations"]
        )
        assert got == expected[doc.text]
    rows = duckdb.sql(
        'SELECT text, r.label, spans[r.head + 1].start, spans[r.head + 1]."end", '
        'spans[r.head + 1].label, spans[r.child + 1].start, spans[r.child + 1]."end", '
        "spans[r.child + 1].label FROM (SELECT text, spans, unnest(relations) AS r "
        f"FROM read_parquet('{tmp_path / 'out.parquet'}'))"
    ).fetchall()
    got_parquet: dict[str, list] = {}
    for text, label, hs, he, hl, cs, ce, cl in rows:
        got_parquet.setdefault(text, []).append((label, (hs, he, hl), (cs, ce, cl)))
    assert {t: sorted(r) for t, r in got_parquet.items()} == expected


def test_an_import_leaves_every_reference_whole_and_the_checks_on_after(tasks):
    import sqlite3

    with Store(tasks, "tester") as store:
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        quote = next(s for s in store.spans.in_document(1) if s.label == "quote")
        assert store.relations.in_document(1)
        store.spans.delete(quote.id)  # its relation goes with it
        assert [r.label for r in store.relations.in_document(1)] == ["concedes"]
    conn = sqlite3.connect(tasks)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_a_span_deleted_while_checks_are_off_takes_its_relations(tasks):
    with Store(tasks, "tester") as store, store.references_made_here():
        quote = next(s for s in store.spans.in_document(1) if s.label == "quote")
        store.spans.delete(quote.id)
        assert [r.label for r in store.relations.in_document(1)] == ["concedes"]
