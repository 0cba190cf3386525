"""CSV and Parquet: every field read back as a spreadsheet user, pandas, pyarrow or DuckDB
would read it."""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.formats import tables as table_exports
from annotator.formats.exporting import ExportError, export
from annotator.model import text_hash
from annotator.store.project import Store

# Emoji, a line break, commas, quotation marks, and span texts a spreadsheet would take for
# formulas. (Stored text never holds "\r"; titles, notes and attribute values may: CRLF there.)
TEXT_A = (
    '“We will build it, "soon",” said Mayor Ana Ruiz 🚀👍🏽.\n'
    "=SUM(1,2) is not a formula; -3 degrees; +44 dials; @council replied."
)
TEXT_B = "Nurse shortfall grows, at St Aldric's.\nNo one, “officially”, agrees."


def span_of(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.db"
    with Store(path, "ana") as store:
        with store.transaction():
            a = store.documents.insert(
                text=TEXT_A,
                text_hash=text_hash(TEXT_A),
                title='Tram, "at last" 🚀\r\nsecond line',
                meta={"outlet": "Post", "tags": ["a", "b"]},
                external_id="tram-1",
            )
            b = store.documents.insert(text=TEXT_B, text_hash=text_hash(TEXT_B), title="Nurses")
            store.documents.insert(
                text="Nothing here.", text_hash=text_hash("Nothing here."), title="Empty"
            )
        quote = store.spans.add(a, *span_of(TEXT_A, '“We will build it, "soon",”'), "quote")
        speaker = store.spans.add(a, *span_of(TEXT_A, "Mayor Ana Ruiz 🚀👍🏽"), "speaker")
        store.spans.add(a, *span_of(TEXT_A, ".\n=SUM(1,2)"), "claim", note='line one\r\n"two", 3')
        store.spans.add(a, *span_of(TEXT_A, "=SUM(1,2)"), "claim")
        store.spans.add(a, *span_of(TEXT_A, "-3 degrees"), "claim")
        store.spans.add(a, *span_of(TEXT_A, "+44 dials"), "claim", note="=1+1")
        store.spans.add(a, *span_of(TEXT_A, "@council"), "speaker")
        store.spans.set_attributes(quote.id, {"speaker": 'the mayor,\r\n"Ana"'})
        store.relations.add(quote.id, speaker.id, "said_by")
        with Store(path, "bo") as bo:
            concession = bo.spans.add(
                b, *span_of(TEXT_B, "No one, “officially”, agrees"), "concession"
            )
            claim = bo.spans.add(b, *span_of(TEXT_B, "Nurse shortfall grows"), "claim")
            bo.relations.add(concession.id, claim.id, "concedes")
    return path


def all_spans(path) -> list[tuple]:
    """Every span in project order, as the exports should write it."""
    with Store(path, "check") as store:
        out = []
        for doc, spans in store.documents.stream():
            for s in spans:
                ident = doc.external_id or str(doc.id)
                out.append((ident, doc.title, doc.text, s))
        return out


# -- CSV ----------------------------------------------------------------------------------------


def read_csv(path) -> list[dict[str, str]]:
    """As a program reads it: plain UTF-8, Python's csv module."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_gives_back_every_field_of_every_span(project, tmp_path):
    out = tmp_path / "s.csv"
    with Store(project, "ana") as store:
        report = export(store, "csv", out)
    assert (report.documents, report.spans) == (3, 9)
    rows = read_csv(out)
    expected = all_spans(project)
    assert len(rows) == len(expected) == 9
    for row, (ident, title, text, s) in zip(rows, expected, strict=True):
        assert row == {
            "document_id": ident,
            "title": title,
            "start": str(s.start),
            "end": str(s.end),
            "label": s.label,
            "text": s.text,
            "annotator": s.annotator,
            "note": s.note or "",
            "origin": s.origin,
            "attributes": json.dumps(s.attributes, ensure_ascii=False) if s.attributes else "",
        }
        assert text[int(row["start"]) : int(row["end"])] == row["text"]
    texts = [r["text"] for r in rows]
    # Nothing is prefixed: cells a spreadsheet reads as formulas keep their exact text.
    assert {"=SUM(1,2)", "-3 degrees", "+44 dials", "@council", ".\n=SUM(1,2)"} <= set(texts)
    assert rows[0]["title"] == 'Tram, "at last" 🚀\r\nsecond line'
    assert rows[0]["note"] == ""
    assert json.loads(rows[0]["attributes"]) == {"speaker": 'the mayor,\r\n"Ana"'}
    assert [r["note"] for r in rows if r["note"]] == ['line one\r\n"two", 3', "=1+1"]


def test_csv_says_how_many_relations_it_left_out(project, tmp_path):
    # A row is one span: the two relations have no cell, and the summary says so.
    with Store(project, "ana") as store:
        report = export(store, "csv", tmp_path / "s.csv")
        assert report.details == {"relations not written: CSV has no relation columns": 2}
        # Relations whose ends are filtered out are not in the export at all, so not counted.
        report = export(store, "csv", tmp_path / "q.csv", labels=["quote", "concession"])
        assert report.details == {}


def test_the_csv_summary_counts_the_relations_not_written(project, tmp_path):
    from click.testing import CliRunner

    from annotator.cli.main import cli

    args = ["--db", str(project), "export", "--format", "csv", "--status", "any"]
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "s.csv")])
    assert result.exit_code == 0, result.output
    assert "; 2 relations not written: CSV has no relation columns" in result.stdout


def test_csv_is_plain_utf8_and_ends_rows_in_crlf_without_doubling(project, tmp_path):
    out = tmp_path / "s.csv"
    with Store(project, "ana") as store:
        export(store, "csv", out)
    data = out.read_bytes()
    assert data.startswith(b"document_id,title,")
    assert b"\r\r" not in data
    assert data.endswith(b"\r\n")
    # Line breaks inside a cell stay as they were, inside quotes.
    assert b'".\n=SUM(1,2)"' in data
    assert b'"line one\r\n""two"", 3"' in data
    # The header, nine rows, the title's CRLF on each of its document's seven rows, and the
    # note's (the attribute's is escaped inside its JSON).
    assert data.count(b"\r\n") == 1 + 9 + 7 + 1


def test_csv_for_excel_begins_with_a_bom_but_never_on_standard_output(
    project, tmp_path, monkeypatch
):
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="utf-8"))
    with Store(project, "ana") as store:
        export(store, "csv", "-", bom=True)
        sys.stdout.flush()
        export(store, "csv", tmp_path / "excel.csv", bom=True)
        export(store, "csv", tmp_path / "plain.csv")
    excel = (tmp_path / "excel.csv").read_bytes()
    assert excel.startswith("\ufeffdocument_id,".encode())
    assert excel[len("\ufeff".encode()) :] == (tmp_path / "plain.csv").read_bytes()
    assert raw.getvalue() == (tmp_path / "plain.csv").read_bytes()
    with open(tmp_path / "excel.csv", encoding="utf-8-sig", newline="") as f:
        assert list(csv.DictReader(f)) == read_csv(tmp_path / "plain.csv")


def test_csv_with_suggestions_has_their_columns(project, tmp_path):
    with Store(project, "bot") as store:
        store.spans.add(2, 0, 5, "claim", origin="suggested", suggester="claims", score=0.25)
        out = tmp_path / "s.csv"
        export(store, "csv", out, include_suggestions=True)
        rows = read_csv(out)
        (suggested,) = [r for r in rows if r["origin"] == "suggested"]
        assert (suggested["suggester"], suggested["score"], suggested["text"]) == (
            "claims",
            "0.25",
            "Nurse",
        )
        assert {r["suggester"] for r in rows if r is not suggested} == {""}
        export(store, "csv", out)
        assert "suggester" not in read_csv(out)[0]


def test_csv_has_no_attributes_column_when_no_label_declares_any(project, tmp_path):
    with Store(project, "ana") as store:
        first = store.conn.execute("SELECT min(id) FROM spans").fetchone()[0]
        store.spans.set_attributes(first, {})
        store.labels.set_attributes("quote", [])
        out = tmp_path / "s.csv"
        export(store, "csv", out)
    with open(out, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == list(table_exports.CSV_COLUMNS)


def test_csv_of_an_empty_selection_is_the_header_alone(project, tmp_path):
    out = tmp_path / "s.csv"
    with Store(project, "ana") as store:
        export(store, "csv", out, labels=["caption"])
    header = ",".join([*table_exports.CSV_COLUMNS, "attributes"])
    assert out.read_bytes() == f"{header}\r\n".encode()


# -- Parquet ------------------------------------------------------------------------------------


@pytest.fixture
def pq():
    return pytest.importorskip("pyarrow.parquet")


def test_parquet_holds_each_document_with_its_spans_and_relations(pq, project, tmp_path):
    out = tmp_path / "p.parquet"
    with Store(project, "ana") as store:
        report = export(store, "parquet", out)
        meta = {doc.id: doc.meta for doc, _ in store.documents.stream()}
    assert (report.documents, report.spans) == (3, 9)
    table = pq.read_table(out)
    assert table.schema.names == ["id", "title", "text", "meta", "status", "spans", "relations"]
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == ["tram-1", "2", "3"]
    assert [json.loads(r["meta"]) for r in rows] == list(meta.values())
    assert rows[0]["text"] == TEXT_A
    assert rows[0]["title"] == 'Tram, "at last" 🚀\r\nsecond line'
    assert rows[2]["spans"] == rows[2]["relations"] == []
    got = [(r["id"], r["title"], r["text"], s) for r in rows for s in r["spans"]]
    for (ident, title, text, s), expected in zip(got, all_spans(project), strict=True):
        e = expected[3]
        assert (ident, title) == expected[:2]
        assert s == {
            "start": e.start,
            "end": e.end,
            "label": e.label,
            "text": e.text,
            "annotator": e.annotator,
            "note": e.note,
            "origin": e.origin,
            "suggester": None,
            "score": None,
            "attributes": list(e.attributes.items()) or None,
            "analysts": None,  # a curated export's only
        }
        assert text[s["start"] : s["end"]] == s["text"]
    for row in rows:
        spans = row["spans"]
        joined = {
            (r["label"], spans[r["head"]]["label"], spans[r["child"]]["label"])
            for r in row["relations"]
        }
        assert (
            joined
            == {
                "tram-1": {("said_by", "quote", "speaker")},
                "2": {("concedes", "concession", "claim")},
                "3": set(),
            }[row["id"]]
        )


def test_parquet_reads_in_duckdb_span_by_span(project, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "p.parquet"
    with Store(project, "ana") as store:
        export(store, "parquet", out)
    path = str(out).replace("'", "''")
    got = duckdb.sql(
        "SELECT id, title, s.start, s.end, s.label, s.text, s.annotator, s.note, s.origin,"
        " list_extract(map_extract(s.attributes, 'speaker'), 1),"
        # DuckDB counts characters as Python does: the offsets cut the same text there.
        " substring(text, s.start + 1, s.end - s.start) = s.text"
        f" FROM (SELECT *, unnest(spans) AS s FROM read_parquet('{path}'))"
    ).fetchall()
    expected = [
        (
            ident,
            title,
            s.start,
            s.end,
            s.label,
            s.text,
            s.annotator,
            s.note,
            s.origin,
            s.attributes.get("speaker"),
            True,
        )
        for ident, title, _, s in all_spans(project)
    ]
    assert got == expected
    relations = duckdb.sql(
        "SELECT id, r.label, spans[r.head + 1].text, spans[r.child + 1].text"
        f" FROM (SELECT *, unnest(relations) AS r FROM read_parquet('{path}')) ORDER BY id"
    ).fetchall()
    assert relations == [
        ("2", "concedes", "No one, “officially”, agrees", "Nurse shortfall grows"),
        ("tram-1", "said_by", '“We will build it, "soon",”', "Mayor Ana Ruiz 🚀👍🏽"),
    ]


def test_parquet_is_written_in_row_groups(pq, project, tmp_path, monkeypatch):
    monkeypatch.setattr(table_exports, "ROW_GROUP_DOCUMENTS", 2)
    out = tmp_path / "p.parquet"
    with Store(project, "ana") as store:
        for n in range(4):
            text = f"Extra article {n}."
            with store.transaction():
                store.documents.insert(text=text, text_hash=text_hash(text), title=f"x{n}")
        export(store, "parquet", out)
    file = pq.ParquetFile(out)
    assert file.metadata.num_rows == 7
    assert [file.metadata.row_group(i).num_rows for i in range(file.num_row_groups)] == [2, 2, 2, 1]


def test_parquet_of_no_documents_is_a_file_with_the_schema(pq, project, tmp_path):
    out = tmp_path / "p.parquet"
    with Store(project, "ana") as store:
        report = export(store, "parquet", out, statuses=["done"])
    assert report.documents == 0
    table = pq.read_table(out)
    assert table.num_rows == 0 and "spans" in table.schema.names


def test_without_pyarrow_the_export_says_how_to_install_it(project, tmp_path, monkeypatch):
    for name in [n for n in sys.modules if n == "pyarrow" or n.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with Store(project, "ana") as store, pytest.raises(ExportError) as refused:
        export(store, "parquet", tmp_path / "p.parquet")
    # "annotator" on the package index is another project: the library is named instead.
    assert "-m pip install pyarrow" in str(refused.value)
    assert "annotator[" not in str(refused.value)
    assert not (tmp_path / "p.parquet").exists()


def test_parquet_cannot_go_to_standard_output(project):
    with Store(project, "ana") as store, pytest.raises(ExportError, match="standard output"):
        export(store, "parquet", "-")


# -- any text, any spans ------------------------------------------------------------------------

PIECES = [
    "🚀",
    "👨\u200d👩\u200d👧",
    "e\u0301",
    "مرحبا",
    ",",
    '"',
    "'",
    "\n",
    "\u2028",
    "=",
    "+",
    "-",
]
PIECES += ["@", "\t", " ", "word", "\u00a0", "\ufeff", ";"]


@st.composite
def documents(draw):
    text = draw(
        st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), min_size=1, max_size=20)
        .map("".join)
        .map(lambda t: t.replace("\r", "\n").replace("\x00", " "))
        .filter(lambda t: t.strip())
    )
    spans = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(text) - 1),
                st.integers(1, len(text)),
                st.sampled_from(["claim", "quote", "speaker"]),
            ).filter(lambda p: p[0] < p[1]),
            max_size=5,
        )
    )
    note = draw(st.one_of(st.none(), st.text(max_size=8).filter(lambda t: "\x00" not in t)))
    return text, spans, note


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_text_and_spans_come_back_exactly_from_csv_and_parquet(case):
    pq = pytest.importorskip("pyarrow.parquet")
    text, pairs, note = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Store(folder / "p.db", "ana") as store:
            with store.transaction():
                doc = store.documents.insert(text=text, text_hash=text_hash(text), title=text)
            for start, end, label in pairs:
                store.spans.add(doc, start, end, label, note=note)
            stored = store.spans.in_document(doc)
            export(store, "csv", folder / "s.csv")
            export(store, "parquet", folder / "s.parquet")
        expected = sorted((s.start, s.end, s.label, s.text, s.note or "") for s in stored)
        rows = read_csv(folder / "s.csv")
        got = [(int(r["start"]), int(r["end"]), r["label"], r["text"], r["note"]) for r in rows]
        assert sorted(got) == expected
        assert [g[:2] for g in got] == sorted(g[:2] for g in got)  # in text order
        assert all(r["title"] == text for r in rows)
        (row,) = pq.read_table(folder / "s.parquet").to_pylist()
        assert row["text"] == row["title"] == text
        assert (
            sorted(
                (s["start"], s["end"], s["label"], s["text"], s["note"] or "") for s in row["spans"]
            )
            == expected
        )
        assert all(text[s["start"] : s["end"]] == s["text"] for s in row["spans"])


def test_bom_is_asked_for_on_the_command_line_and_refused_for_other_formats(project, tmp_path):
    from click.testing import CliRunner

    from annotator.cli.main import cli

    out = tmp_path / "excel.csv"
    done = CliRunner().invoke(
        cli, ["--db", str(project), "export", "--format", "csv", "--bom", "-o", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert out.read_bytes().startswith("\ufeffdocument_id".encode())
    refused = CliRunner().invoke(cli, ["--db", str(project), "export", "--bom", "-o", "x.jsonl"])
    assert refused.exit_code == 2 and "--bom applies to the csv format only" in refused.output
