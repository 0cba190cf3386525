"""Exports: the filters, the job a writer is given, the destination and the report, shared by
every format.

Documents go out in project order. Every span is checked against the text before it is
written; a mismatch stops the export and leaves no file. Files are written to a temporary
name and renamed into place, so a reader never sees half an export. The writers live in
modules of their own (the JSONL formats in ``jsonl``), named in ``annotator.formats.catalog``.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from annotator.destinations import output, writes_in_place
from annotator.formats.catalog import ANY_STATUS, FORMATS, FORMATS_BY_NAME, default_statuses
from annotator.model import STATUS_NAMES, STATUSES, Document, Span
from annotator.printable import printable
from annotator.store.project import Store

__all__ = [
    "ANY_STATUS",
    "FORMATS",
    "ExportError",
    "ExportJob",
    "ExportOptions",
    "ExportReport",
    "export",
]

OFFSET_UNITS = ("codepoints", "utf16")


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
    #: The statuses the documents were picked by (None: every document), and how many
    #: documents of other statuses that left out.
    statuses: tuple[str, ...] | None = None
    left_out: int = 0

    def left_out_summary(self) -> str:
        """What the summary says of them ("12 documents not done left out"); "" for none."""
        if not self.left_out or not self.statuses:
            return ""
        names = " or ".join(STATUS_NAMES[s] for s in self.statuses)
        documents = "document" if self.left_out == 1 else "documents"
        return f"{self.left_out} {documents} not {names} left out"


def chosen_statuses(
    fmt: str, curated: bool, statuses: Sequence[str] | None
) -> tuple[str, ...] | None:
    """The statuses an export takes: ``statuses`` as asked, else the format's default (what
    the command line and the window do when no status is chosen)."""
    return asked_statuses(statuses) if statuses else default_statuses(fmt, curated)


def asked_statuses(statuses: Sequence[str] | None) -> tuple[str, ...] | None:
    """``statuses`` checked; None (every document) for none, or for ``"any"`` alone."""
    if not statuses:
        return None
    if ANY_STATUS in statuses:
        if len(statuses) > 1:
            raise ExportError(f"status {ANY_STATUS!r} takes every document; give it alone")
        return None
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise ExportError(
            f"unknown status {unknown[0]!r}; choose from {', '.join(STATUSES)} or {ANY_STATUS}"
        )
    return tuple(statuses)


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
    #: For the curated layer: the analysts who made each span, by (document, start, end,
    #: label), read once for the whole export (``store.spans.analysts_of_settled``).
    made_by: Mapping[tuple[int, int, int, str], list[str]] | None = None

    def analysts_of(self, span: Span) -> list[str] | None:
        """Where a gold span came from: the analysts who made the same span (start, end,
        label), [] when none did (the curator added it); None outside a curated export."""
        if self.made_by is None:
            return None
        return list(self.made_by.get((span.document_id, span.start, span.end, span.label), []))

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


def export_id(doc: Document) -> str:
    return doc.external_id if doc.external_id is not None else str(doc.id)


def check_spans(doc: Document, spans: Iterable[Span]) -> None:
    for s in spans:
        if not (0 <= s.start < s.end <= len(doc.text)) or doc.text[s.start : s.end] != s.text:
            raise ExportError(
                f"document {doc.id} ({doc.title!r}): span {s.id} [{s.start}, {s.end}) "
                f"does not match the text it was made on; nothing was exported"
            )


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
    ``statuses`` picks documents (None, or ``"any"`` alone, takes every one; the command line
    and the window ask ``chosen_statuses`` for a format's default); the report counts the
    documents they left out.
    Suggestions (suggested spans and relations) are left out unless ``include_suggestions``;
    then every span in the formats that can say so carries its ``origin``, ``suggester`` and
    ``score``, and every relation its ``origin``.
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
    statuses = asked_statuses(statuses)
    spec = FORMATS_BY_NAME[fmt]
    write = writer_for(fmt)
    left_out = 0
    if statuses is not None:
        every = store.documents.count_streamed(annotators=annotators, curated=curated)
        picked = store.documents.count_streamed(
            statuses=statuses, annotators=annotators, curated=curated
        )
        left_out = every - picked

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
        store.spans.analysts_of_settled() if curated else None,
    )

    if destination is not None and str(destination) == "-":
        if not spec.streams:
            raise ExportError(f"the {fmt} format cannot be written to standard output; name a file")
        report = ExportReport(fmt, None, statuses=statuses, left_out=left_out)
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
    report = ExportReport(fmt, path, statuses=statuses, left_out=left_out)
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
