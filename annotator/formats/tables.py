"""Tables out: CSV with one row per span, for spreadsheets; Parquet with one row per
document, for DuckDB, pandas, polars and Spark.

CSV choices, each made for the person who opens the file:

- Plain UTF-8 by default, which Python's ``csv`` module, pandas, DuckDB, LibreOffice and
  Google Sheets read as it is. ``bom`` (``--bom``) begins a file with a UTF-8 byte-order mark,
  which Microsoft Excel needs to read a double-clicked file as UTF-8 (Python then reads it with
  ``encoding="utf-8-sig"``); standard output, a pipe or a device never gets one.
- Rows end in CRLF as RFC 4180 has it; a field holding a line break, a comma or a quotation
  mark is quoted, so ``csv.reader`` gives it back exactly. The file object from
  ``destinations.output`` translates no line ends (``newline="\\n"``), so no ``\\r`` is doubled.
- Cells are the data, untouched: a span text beginning with ``=``, ``+``, ``-`` or ``@`` is not
  prefixed with a quote, because ``text`` must stay equal to ``text[start:end]`` of the article
  for anyone who checks offsets. A spreadsheet may take such a cell for a formula; the README
  says how to open the file with every column as text.

pyarrow is an optional extra, imported only by the Parquet writer.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from annotator.destinations import writes_in_place
from annotator.formats.exporting import ExportError, ExportJob, ExportReport, export_id
from annotator.formats.installing import install_advice
from annotator.model import Document, Span

BOM = "\ufeff"

CSV_COLUMNS = (
    "document_id",
    "title",
    "start",
    "end",
    "label",
    "text",
    "annotator",
    "note",
    "origin",
)

#: The summary's count of the relations a CSV file leaves out: a row is one span, and a
#: relation between two rows has no cell to go in (Parquet and annotator's own JSONL keep them).
RELATIONS_NOT_WRITTEN = "relations not written: CSV has no relation columns"

#: Documents in one Parquet row group, at most; a group is also closed once the text it holds
#: passes ``ROW_GROUP_CHARACTERS``, so a project of long articles is never held whole.
ROW_GROUP_DOCUMENTS = 1000
ROW_GROUP_CHARACTERS = 64_000_000


def csv_columns(job: ExportJob) -> list[str]:
    """The header: suggestion columns only when suggestions are written, and an attributes
    column (a JSON object) only when some label declares attributes."""
    columns = list(CSV_COLUMNS)
    if job.include_suggestions:
        columns += ["suggester", "score"]
    if any(label.attributes for label in job.store.labels.all()):
        columns.append("attributes")
    if job.made_by is not None:
        columns.append("analysts")
    return columns


def write_csv(job: ExportJob, out: IO[str], report: ExportReport) -> None:
    """One row per span, with its document's id and title, under a header row."""
    columns = csv_columns(job)
    if job.options.bom and report.path is not None and not writes_in_place(report.path):
        out.write(BOM)
    rows = csv.writer(out, lineterminator="\r\n")
    rows.writerow(columns)
    relations = 0
    for doc, spans in job.counted(report):
        for span in spans:
            rows.writerow(_csv_row(doc, span, columns, job.analysts_of(span)))
        relations += len(doc.relations)
    if relations:
        report.details[RELATIONS_NOT_WRITTEN] = relations


def _csv_row(
    doc: Document, span: Span, columns: list[str], analysts: list[str] | None = None
) -> list[Any]:
    values: dict[str, Any] = {
        "document_id": export_id(doc),
        "title": doc.title,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "annotator": span.annotator,
        "note": span.note,
        "origin": span.origin,
        "suggester": span.suggester,
        "score": span.score,
        "attributes": (
            json.dumps(span.attributes, ensure_ascii=False, sort_keys=True)
            if span.attributes
            else None
        ),
        "analysts": None if analysts is None else json.dumps(analysts, ensure_ascii=False),
    }
    # None is an empty cell (the csv module writes "" for it).
    return [values[c] for c in columns]


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ExportError(
            "the parquet format needs pyarrow, which is not installed; install it with "
            + install_advice("pyarrow", "parquet")
        ) from None
    return pyarrow


def parquet_schema(pa: Any) -> Any:
    """One row per document; ``spans`` in project order (by start, end), and each relation's
    ``head`` and ``child`` the index of its ends in that list."""
    span = pa.struct(
        [
            pa.field("start", pa.int64(), nullable=False),
            pa.field("end", pa.int64(), nullable=False),
            pa.field("label", pa.string(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("annotator", pa.string()),
            pa.field("note", pa.string()),
            pa.field("origin", pa.string()),
            pa.field("suggester", pa.string()),
            pa.field("score", pa.float64()),
            pa.field("attributes", pa.map_(pa.string(), pa.string())),
            # A curated span's analysts (who made the same span); null in other exports.
            pa.field("analysts", pa.list_(pa.string())),
        ]
    )
    relation = pa.struct(
        [
            pa.field("head", pa.int32(), nullable=False),
            pa.field("child", pa.int32(), nullable=False),
            pa.field("label", pa.string(), nullable=False),
            pa.field("annotator", pa.string()),
            pa.field("origin", pa.string()),
        ]
    )
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("title", pa.string()),
            pa.field("text", pa.string(), nullable=False),
            pa.field("meta", pa.string()),  # a JSON object
            pa.field("status", pa.string()),
            pa.field("spans", pa.list_(pa.field("item", span, nullable=False))),
            pa.field("relations", pa.list_(pa.field("item", relation, nullable=False))),
        ]
    )


def parquet_row(
    doc: Document,
    spans: list[Span],
    analysts_of: Callable[[Span], list[str] | None] = lambda _span: None,
) -> dict[str, Any]:
    index = {s.id: i for i, s in enumerate(spans)}
    return {
        "id": export_id(doc),
        "title": doc.title,
        "text": doc.text,
        "meta": json.dumps(doc.meta, ensure_ascii=False),
        "status": doc.status,
        "spans": [
            {
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "text": s.text,
                "annotator": s.annotator,
                "note": s.note,
                "origin": s.origin,
                "suggester": s.suggester,
                "score": s.score,
                "attributes": list(s.attributes.items()) or None,
                "analysts": analysts_of(s),
            }
            for s in spans
        ],
        "relations": [
            {
                "head": index[r.head],
                "child": index[r.child],
                "label": r.label,
                "annotator": r.annotator,
                "origin": r.origin,
            }
            for r in doc.relations
        ],
    }


def _row_groups(job: ExportJob, report: ExportReport) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    characters = 0
    for doc, spans in job.counted(report):
        batch.append(parquet_row(doc, spans, job.analysts_of))
        characters += len(doc.text)
        if len(batch) >= ROW_GROUP_DOCUMENTS or characters >= ROW_GROUP_CHARACTERS:
            yield batch
            batch, characters = [], 0
    if batch:
        yield batch


def write_parquet(job: ExportJob, out: IO[bytes], report: ExportReport) -> None:
    """The documents in row groups of up to ``ROW_GROUP_DOCUMENTS``, each written as soon as
    it is full. An empty export is still a file with the schema and no rows."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    schema = parquet_schema(pa)
    writer = pq.ParquetWriter(out, schema, compression="zstd")
    try:
        for batch in _row_groups(job, report):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    finally:
        writer.close()
