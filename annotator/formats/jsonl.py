"""The JSONL formats: annotator's own lossless record, Prodigy's task and doccano's line.

The three share one writer (one document per line, through ``exporting``'s filters, checks
and destination), so they live together here, apart from the export that drives every
format. Each record form is a plain function of a document and its spans.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

from annotator.formats.exporting import ExportJob, ExportReport, export_id
from annotator.model import Document, Span
from annotator.offsets import OffsetMap

# Characters some JSONL readers take for line ends (str.splitlines does): always escaped.
_LINE_BREAKERS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def write_jsonl(job: ExportJob, out: IO[str], report: ExportReport) -> None:
    """annotator's, Prodigy's and doccano's JSONL: one document per line."""
    make: Callable[[Document, list[Span]], dict[str, Any]]
    if job.format == "doccano":
        meta_keys = job.store.documents.meta_keys(statuses=job.statuses)
        entities = job.store.relations.any()
        utf16 = job.options.offsets == "utf16"

        def make_doccano(doc: Document, spans: list[Span]) -> dict[str, Any]:
            return doccano_record(doc, spans, meta_keys, utf16, entities)

        make = make_doccano
    elif job.format == "annotator":
        from annotator.store.activity import lead_times, per_document_by_analyst

        leads = per_document_by_analyst(lead_times(job.store))

        def make_native(doc: Document, spans: list[Span]) -> dict[str, Any]:
            return native_record(doc, spans, leads.get(doc.id))

        make = with_suggestion_fields(make_native) if job.include_suggestions else make_native
    else:
        make = with_suggestion_fields(prodigy_record) if job.include_suggestions else prodigy_record
    if job.made_by is not None and job.format != "doccano":  # doccano's spans have no place
        make = with_analysts(make, job.analysts_of)
    for doc, spans in job.counted(report):
        out.write(_dumps(make(doc, spans)) + "\n")


def native_record(
    doc: Document, spans: list[Span], lead_times: Mapping[str, float] | None = None
) -> dict[str, Any]:
    """annotator's own record. ``lead_times`` is each analyst's active time on the document in
    seconds (``activity.lead_times``); ``lead_time`` is their sum, 0.0 when no one's work on
    it is in the history."""
    lead = dict(lead_times or {})
    return {
        "id": export_id(doc),
        "title": doc.title,
        "text": doc.text,
        "meta": doc.meta,
        "status": doc.status,
        "statuses": doc.statuses,
        "lead_time": round(sum(lead.values()), 3),
        "lead_times": lead,
        "spans": [_native_span(s) for s in spans],
        "relations": [
            {
                "head": r.head,
                "child": r.child,
                "label": r.label,
                "annotator": r.annotator,
                "origin": r.origin,
                "created_at": r.created_at,
                "updated_at": r.updated_at,
            }
            for r in doc.relations
        ],
        "text_hash": doc.text_hash,
        "source": doc.source,
        "created_at": doc.created_at,
        "updated_at": doc.updated_at,
    }


def _native_span(s: Span) -> dict[str, Any]:
    """A span as annotator writes it: ``id`` is its id in the project, which the document's
    relations name (on import they are references within the record)."""
    out: dict[str, Any] = {
        "id": s.id,
        "start": s.start,
        "end": s.end,
        "label": s.label,
        "text": s.text,
        "annotator": s.annotator,
        "note": s.note,
        "origin": s.origin,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
    }
    if s.attributes:
        out["attributes"] = s.attributes
    return out


_TOKEN = re.compile(r"\w+(?:[’'.-]\w+)*|[^\w\s]")


def tokens(text: str) -> list[dict[str, Any]]:
    """Prodigy's tokens: words (with inner apostrophes, hyphens and points) and single marks,
    each with its character offsets and whether white space follows it."""
    out = []
    for i, m in enumerate(_TOKEN.finditer(text)):
        after = text[m.end() : m.end() + 1]
        out.append(
            {"text": m.group(), "start": m.start(), "end": m.end(), "id": i, "ws": after.isspace()}
        )
    return out


def _token_range(toks: list[dict[str, Any]], start: int, end: int) -> tuple[int, int]:
    """The first and last token (inclusive, as Prodigy counts) a span touches."""
    first = next((t["id"] for t in toks if t["end"] > start), len(toks) - 1)
    last = next((t["id"] for t in reversed(toks) if t["start"] < end), first)
    return first, max(first, last)


def prodigy_meta(doc: Document) -> dict[str, Any]:
    """What Prodigy shows beside a task: the document's own meta, with its id, title and
    source file added where the meta does not name them (a plain-text article has no meta)."""
    shown: dict[str, Any] = {"id": export_id(doc), "title": doc.title}
    if doc.source:
        shown["source"] = doc.source
    return {**shown, **doc.meta}


def prodigy_record(doc: Document, spans: list[Span]) -> dict[str, Any]:
    out_spans = [{"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in spans]
    if doc.relations:
        return _prodigy_with_relations(doc, spans, out_spans)
    input_hash = _hash32(doc.text)
    task_hash = _hash32(str(input_hash), json.dumps([(s.start, s.end, s.label) for s in spans]))
    return {
        "text": doc.text,
        "meta": prodigy_meta(doc),
        "spans": out_spans,
        "_input_hash": input_hash,
        "_task_hash": task_hash,
        "answer": "accept",
    }


def with_suggestion_fields(
    make: Callable[[Document, list[Span]], dict[str, Any]],
) -> Callable[[Document, list[Span]], dict[str, Any]]:
    """``make``, with each span's origin, suggester and score (None where it has none), and
    each relation's origin."""

    def record(doc: Document, spans: list[Span]) -> dict[str, Any]:
        out = make(doc, spans)
        for written, span in zip(out["spans"], spans, strict=True):
            written["origin"] = span.origin
            written["suggester"] = span.suggester
            written["score"] = span.score
        for written_relation, relation in zip(out.get("relations", []), doc.relations, strict=True):
            written_relation["origin"] = relation.origin
        return out

    return record


def with_analysts(
    make: Callable[[Document, list[Span]], dict[str, Any]],
    analysts_of: Callable[[Span], list[str] | None],
) -> Callable[[Document, list[Span]], dict[str, Any]]:
    """``make``, with each curated span's ``analysts``: who made that same span."""

    def record(doc: Document, spans: list[Span]) -> dict[str, Any]:
        out = make(doc, spans)
        for written, span in zip(out["spans"], spans, strict=True):
            written["analysts"] = analysts_of(span)
        return out

    return record


def _prodigy_with_relations(
    doc: Document, spans: list[Span], out_spans: list[dict[str, Any]]
) -> dict[str, Any]:
    """A document with relations as Prodigy's relation interface writes it: tokens, each span's
    first and last token, and relations whose head and child are the index of the last token
    of each end, with the two spans repeated."""
    toks = tokens(doc.text)
    by_id: dict[int | None, dict[str, Any]] = {}
    for span, out in zip(spans, out_spans, strict=True):
        out["token_start"], out["token_end"] = _token_range(toks, span.start, span.end)
        by_id[span.id] = out
    record = prodigy_record(Document(**{**doc.__dict__, "relations": []}), spans)
    record["spans"] = out_spans
    record["tokens"] = toks
    record["relations"] = [
        {
            "head": by_id[r.head]["token_end"],
            "child": by_id[r.child]["token_end"],
            "head_span": dict(by_id[r.head]),
            "child_span": dict(by_id[r.child]),
            "label": r.label,
        }
        for r in doc.relations
    ]
    return record


def doccano_record(
    doc: Document,
    spans: list[Span],
    meta_keys: Sequence[str],
    utf16: bool,
    entities: bool = False,
) -> dict[str, Any]:
    """doccano's JSONL; with ``entities``, its relation form: ``entities`` with ids and
    ``relations`` from one entity id to another (every line in that form, as doccano wants)."""
    unit = OffsetMap(doc.text).to_utf16 if utf16 else int
    record: dict[str, Any] = {"id": export_id(doc), "text": doc.text}
    if entities:
        record["entities"] = [
            {"id": s.id, "label": s.label, "start_offset": unit(s.start), "end_offset": unit(s.end)}
            for s in spans
        ]
        record["relations"] = [
            {"id": r.id, "from_id": r.head, "to_id": r.child, "type": r.label}
            for r in doc.relations
        ]
    else:
        record["label"] = [[unit(s.start), unit(s.end), s.label] for s in spans]
    # doccano refuses a file whose lines do not all carry the same meta keys, or that holds
    # null where other lines hold a value: every line gets every key, with "" for missing.
    for key in meta_keys:
        value = doc.meta.get(key)
        record[_doccano_key(key)] = "" if value is None else value
    return record


def _doccano_key(key: str) -> str:
    return f"meta_{key}" if key in ("id", "text", "label") else key


def _dumps(record: dict[str, Any]) -> str:
    line = json.dumps(record, ensure_ascii=False)
    for ch, escaped in _LINE_BREAKERS.items():
        if ch in line:
            line = line.replace(ch, escaped)
    return line


def _hash32(*parts: str) -> int:
    """A signed 32-bit hash, the type Prodigy uses for ``_input_hash`` and ``_task_hash``."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:4], "little", signed=True)
