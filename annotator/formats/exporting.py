"""Exports: the filters, the destination and the report, shared by every format; and the
JSONL formats (annotator's own lossless form, Prodigy and doccano).

Documents go out in project order. Every span is checked against the text before it is
written; a mismatch stops the export and leaves no file. Files are written to a temporary
name and renamed into place, so a reader never sees half an export. The other formats' writers
live in modules of their own, named in ``annotator.formats.catalog``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from annotator.destinations import output, writes_in_place
from annotator.formats.catalog import FORMATS, FORMATS_BY_NAME
from annotator.model import Document, Span
from annotator.offsets import OffsetMap
from annotator.printable import printable
from annotator.store.project import Store

__all__ = ["FORMATS", "ExportError", "ExportJob", "ExportOptions", "ExportReport", "export"]

OFFSET_UNITS = ("codepoints", "utf16")

# Characters some JSONL readers take for line ends (str.splitlines does): always escaped.
_LINE_BREAKERS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


class ExportError(Exception):
    """An export that could not be written; nothing was left under the destination name."""


@dataclass
class ExportReport:
    format: str
    path: Path | None  # None when written to standard output
    documents: int = 0
    spans: int = 0
    #: Counts a format reports besides these, in the order they are shown, each as
    #: "<count> <key>" (spaCy's {"exact": 9, "snapped": 2, "dropped": 1}, say).
    details: dict[str, int] = field(default_factory=dict)
    #: Files written beside ``path`` (a Label Studio config, say).
    also_written: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class ExportOptions:
    """What some formats take besides the filters; each format reads only its own."""

    #: doccano: "codepoints" or "utf16".
    offsets: str = "codepoints"
    #: spaCy: the key of ``doc.spans`` the spans go under.
    spans_key: str = "sc"
    #: spaCy: what to do with a span off token boundaries: "strict", "contract" or "expand".
    align: str = "strict"
    #: spaCy: the language code for ``spacy.blank``.
    lang: str = "en"
    #: CSV: begin the file with a UTF-8 byte-order mark, for Microsoft Excel.
    bom: bool = False


@dataclass
class ExportJob:
    """One export as a writer sees it: the project, what is asked for, and the documents."""

    store: Store
    format: str
    options: ExportOptions
    include_suggestions: bool
    curated: bool
    documents: Callable[[], Iterable[tuple[Document, list[Span]]]]
    statuses: Sequence[str] | None = None
    progress: Callable[[int], None] | None = None

    def counted(self, report: ExportReport) -> Iterator[tuple[Document, list[Span]]]:
        """The documents, each checked against its text and counted into ``report`` (and the
        progress callback) as it is handed out."""
        for doc, spans in self.documents():
            check_spans(doc, spans)
            yield doc, spans
            report.documents += 1
            report.spans += len(spans)
            if self.progress:
                self.progress(report.documents)


#: ``write(job, out, report)``: write the documents to ``out`` (a text or binary file from
#: ``destinations.output``, or the destination folder for a format whose suffix is "").
Writer = Callable[[ExportJob, Any, ExportReport], None]


def writer_for(fmt: str) -> Writer:
    module, name = FORMATS_BY_NAME[fmt].writer.split(":")
    return getattr(importlib.import_module(module), name)


def default_export_path(
    store: Store, fmt: str, directory: str | os.PathLike[str] = "exports"
) -> Path:
    """``exports/<project>-<format>-<time>.jsonl``, never overwriting an earlier export."""
    folder = Path(directory)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{store.path.stem}-{fmt}-{stamp}"
    suffix = FORMATS_BY_NAME[fmt].suffix if fmt in FORMATS_BY_NAME else ".jsonl"
    candidate = folder / f"{base}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{base}-{n}{suffix}"
        n += 1
    return candidate


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


def export_id(doc: Document) -> str:
    return doc.external_id if doc.external_id is not None else str(doc.id)


def check_spans(doc: Document, spans: Iterable[Span]) -> None:
    for s in spans:
        if not (0 <= s.start < s.end <= len(doc.text)) or doc.text[s.start : s.end] != s.text:
            raise ExportError(
                f"document {doc.id} ({doc.title!r}): span {s.id} [{s.start}, {s.end}) "
                f"does not match the text it was made on; nothing was exported"
            )


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
    """``make``, with each span's origin, suggester and score (None where it has none)."""

    def record(doc: Document, spans: list[Span]) -> dict[str, Any]:
        out = make(doc, spans)
        for written, span in zip(out["spans"], spans, strict=True):
            written["origin"] = span.origin
            written["suggester"] = span.suggester
            written["score"] = span.score
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


def export(
    store: Store,
    fmt: str = "annotator",
    destination: str | os.PathLike[str] | None = None,
    *,
    statuses: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    annotators: Sequence[str] | None = None,
    only_with_spans: bool = False,
    curated: bool = False,
    include_suggestions: bool = False,
    offsets: str = "codepoints",
    spans_key: str = "sc",
    align: str = "strict",
    lang: str = "en",
    bom: bool = False,
    exports_dir: str | os.PathLike[str] = "exports",
    progress: Callable[[int], None] | None = None,
) -> ExportReport:
    """Write the project (or the filtered part of it) in format ``fmt``.

    ``destination`` is a file path (a folder's for brat), ``"-"`` for standard output (text
    formats), or None for a new file in ``exports_dir``. ``offsets="utf16"`` applies to the
    doccano format only; ``spans_key``, ``align`` and ``lang`` to spaCy; ``bom`` to CSV. ``curated`` exports
    the curated layer alone (the documents a curator settled, their curated spans).
    Suggestions are left out unless ``include_suggestions``; then every span in the formats
    that can say so carries its ``origin``, ``suggester`` and ``score``.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if offsets not in OFFSET_UNITS:
        raise ExportError(f"offsets must be one of {', '.join(OFFSET_UNITS)}")
    if offsets == "utf16" and fmt != "doccano":
        raise ExportError("UTF-16 offsets are only offered for the doccano format")
    known = {lab.name for lab in store.labels.all()}
    unknown = [name for name in labels or () if name not in known]
    if unknown:
        raise ExportError(
            f"unknown label {unknown[0]!r}; this project has {', '.join(sorted(known))}"
        )
    spec = FORMATS_BY_NAME[fmt]
    write = writer_for(fmt)

    def documents() -> Iterable[tuple[Document, list[Span]]]:
        for doc, spans in store.documents.stream(
            statuses=statuses,
            labels=labels,
            annotators=annotators,
            curated=curated,
            suggestions=include_suggestions,
            with_statuses=fmt == "annotator",
        ):
            if only_with_spans and not spans:
                continue
            yield doc, spans

    job = ExportJob(
        store,
        fmt,
        ExportOptions(offsets=offsets, spans_key=spans_key, align=align, lang=lang, bom=bom),
        include_suggestions,
        curated,
        documents,
        statuses,
        progress,
    )

    if destination is not None and str(destination) == "-":
        if not spec.streams:
            raise ExportError(f"the {fmt} format cannot be written to standard output; name a file")
        report = ExportReport(fmt, None)
        try:
            with _stdout() as out:
                write(job, out, report)
        except BrokenPipeError:
            _quiet_stdout()
            raise ExportError(
                "standard output was closed before the export ended (the reading program "
                f"stopped after {report.documents} document{'' if report.documents == 1 else 's'})"
            ) from None
        except OSError as e:
            raise ExportError(
                f"standard output: the export could not be written ({e.strerror or e})"
            ) from None
        return report

    path = (
        Path(destination)
        if destination is not None
        else default_export_path(store, fmt, exports_dir)
    )
    if path.is_dir() and spec.suffix:
        path = default_export_path(store, fmt, path)
    report = ExportReport(fmt, path)
    shown = printable(path)
    try:
        if not writes_in_place(path):
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"{shown}: cannot write there ({e.strerror or e})") from None
    try:
        if not spec.suffix:
            write(job, path, report)
        else:
            with output(path, binary=spec.suffix in BINARY_SUFFIXES) as out:
                write(job, out, report)
    except OSError as e:
        left = "" if writes_in_place(path) else "; no file was left"
        raise ExportError(
            f"{shown}: the export could not be written ({e.strerror or e}){left}"
        ) from None
    return report


#: Formats whose file is bytes, not text.
BINARY_SUFFIXES = (".spacy", ".parquet")


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
    for doc, spans in job.counted(report):
        out.write(_dumps(make(doc, spans)))
        out.write("\n")


def _quiet_stdout() -> None:
    """After the reader of a pipe has gone, send what is left to nowhere, so that Python's
    own flush at exit does not fail a second time."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


@contextlib.contextmanager
def _stdout() -> Iterator[IO[str]]:
    """Standard output as UTF-8 with "\\n" line ends, as JSONL must be, whatever the console's
    encoding (a pipe on Windows would otherwise be cp1252 with "\\r\\n")."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stand-in for the console
        yield sys.stdout
        sys.stdout.flush()
        return
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
    try:
        yield out
    finally:
        out.detach()  # flushes, and leaves sys.stdout open
