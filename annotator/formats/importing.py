"""Files to documents: plain-text articles and JSON/JSONL tasks, with every refusal explained.

A file is all-or-nothing by default: if any record in it is bad, nothing from it is written
and every bad record is listed as ``file:line: why``. With ``skip_invalid`` the good records
go in and the bad ones are listed. Line endings are normalised to ``\\n`` and imported spans
move with the text; nothing else in the text is touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.formats.brat.reading import PART as BRAT_PART
from annotator.formats.brat.reading import brat_role
from annotator.formats.decoding import DecodeError
from annotator.formats.label_studio_results import LABEL_STUDIO_PREDICTION_ID
from annotator.formats.readers import (
    KNOWN_SUFFIXES,
    WEB_PAGE_SUFFIXES,
    WORD_SUFFIXES,
    ReadAgain,
    read_records,
)
from annotator.formats.records import ImportedSpan, RecordError, Scheme
from annotator.formats.tasks import CheckedTask, check_task
from annotator.model import utc_now
from annotator.printable import as_text, printable
from annotator.store.project import ProjectError, Store
from annotator.store.project_file import kind_of_file
from annotator.store.statuses import write_status

CAPTIONED_SUFFIXES = WEB_PAGE_SUFFIXES | WORD_SUFFIXES

_BATCH = 500
_WHY_PASSED_OVER = {
    LABEL_STUDIO_PREDICTION_ID: (
        " (Label Studio's JSON export lists predictions by id, without their spans; "
        "its snapshot export holds them whole)"
    ),
}

Progress = Callable[[int, int], None]


#: Given the documents a file brought with captions marked, in the file's transaction: how many
#: caption suggestions it proposed.
ProposeCaptions = Callable[[Store, list[int]], int]


@dataclass
class Refusal:
    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        name = printable(self.path)
        return f"{name}:{self.line}: {self.reason}" if self.line else f"{name}: {self.reason}"


@dataclass
class FileResult:
    path: str
    documents_added: int = 0
    duplicates: int = 0
    spans_added: int = 0
    relations_added: int = 0
    # Captions of web pages and Word files, proposed as caption suggestions.
    captions_suggested: int = 0
    # Of the duplicates: spans they brought that the stored document lacked (added to it),
    # and spans it already had (left out).
    spans_added_to_duplicates: int = 0
    spans_already_there: int = 0
    passed_over: dict[str, int] = field(default_factory=dict)  # what was not imported, why
    records: int = 0
    refused: list[Refusal] = field(default_factory=list)
    rolled_back: bool = False
    note: str | None = None  # e.g. the encoding that was detected


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files of a type not imported
    empty_folders: list[str] = field(default_factory=list)  # folders with nothing to import
    labels_created: list[str] = field(default_factory=list)

    @property
    def documents_added(self) -> int:
        return sum(f.documents_added for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def spans_added(self) -> int:
        return sum(f.spans_added for f in self.files)

    @property
    def spans_added_to_duplicates(self) -> int:
        return sum(f.spans_added_to_duplicates for f in self.files)

    @property
    def spans_already_there(self) -> int:
        return sum(f.spans_already_there for f in self.files)

    @property
    def refused(self) -> list[Refusal]:
        return [r for f in self.files for r in f.refused]

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        def n(count: int, noun: str) -> str:
            return f"{count} {noun}{'' if count == 1 else 's'}"

        lines = [
            f"{n(self.documents_added, 'document')} added, {n(self.duplicates, 'duplicate')} "
            f"left out, {n(self.spans_added, 'span')} added, "
            f"{n(len(self.refused), 'record')} refused."
        ]
        if self.spans_added_to_duplicates or self.spans_already_there:
            lines.append(
                f"The duplicates' text was already in the project: "
                f"{n(self.spans_added_to_duplicates, 'new span')} from them "
                f"{'was' if self.spans_added_to_duplicates == 1 else 'were'} added to the stored "
                f"document, {n(self.spans_already_there, 'span')} it already had left out."
            )
        rolled_back = [printable(f.path) for f in self.files if f.rolled_back]
        if rolled_back:
            lines.append(
                "Nothing was imported from "
                + ", ".join(rolled_back)
                + " because of the refusals above (use --skip-invalid to import the good records)."
            )
        for f in self.files:
            if f.note:
                lines.append(f"{printable(f.path)}: {f.note}")
            for what, count in f.passed_over.items():
                why = _WHY_PASSED_OVER.get(what, "")
                lines.append(f"{printable(f.path)}: {n(count, what)} passed over{why}")
        captions = sum(f.captions_suggested for f in self.files)
        if captions:
            lines.append(
                f"{n(captions, 'image caption')} proposed as caption suggestions "
                "(accept them with Enter in the window, or reject them)."
            )
        if self.labels_created:
            lines.append("New labels: " + ", ".join(self.labels_created))
        for folder in self.empty_folders:
            lines.append(f"{printable(folder)}: the folder holds no files annotator reads")
        if self.skipped:
            lines.append(
                f"{n(len(self.skipped), 'file')} of other types left alone "
                f"(annotator reads {', '.join(sorted(KNOWN_SUFFIXES))})."
            )
        return "\n".join(lines)


def collect_files(
    paths: Sequence[str | os.PathLike[str]],
) -> tuple[list[Path], list[str], list[Refusal], list[str]]:
    """Expand folders (recursively, skipping hidden entries) into the files to import.

    Returns the files, those of other types, refusals for what cannot be read, and the
    folders that held nothing to import.
    """
    files: list[Path] = []
    skipped: list[str] = []
    missing: list[Refusal] = []
    empty: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            before = len(files) + len(missing)
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    f = Path(root) / name
                    if name.startswith("."):
                        continue
                    if f.suffix.lower() not in KNOWN_SUFFIXES:
                        if (role := brat_role(f)) is None:
                            skipped.append(str(f))
                        elif role != BRAT_PART:
                            missing.append(Refusal(str(f), None, role))
                    elif (why := _not_regular(f)) is not None:
                        missing.append(Refusal(str(f), None, why))
                    else:
                        files.append(f)
            if len(files) + len(missing) == before:
                empty.append(str(p))
        elif p.is_file() and (role := brat_role(p)) is not None:
            if role != BRAT_PART:
                missing.append(Refusal(str(p), None, role))
            elif p.suffix.lower() != ".ann":
                skipped.append(str(p))  # a brat folder's .conf
            elif p.with_suffix(".txt") not in files:
                files.append(p.with_suffix(".txt"))  # the document is its .txt with this .ann
        elif p.is_file():
            if p not in files or p.suffix.lower() != ".txt":  # a brat .txt, named with its .ann
                files.append(p)
        elif (why := _not_regular(p)) is not None:
            missing.append(Refusal(str(p), None, why))
        else:
            missing.append(Refusal(str(p), None, "no such file or folder"))
    return files, skipped, missing, empty


def _not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (it exists but is a pipe, a device...), or None.

    A named pipe is never opened: opening one waits until another program writes into it.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return f"it is {kind_of_file(mode)}, not a regular file; annotator imports files"


def import_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    skip_invalid: bool = False,
    create_labels: bool = False,
    progress: Progress | None = None,
    on_wait: Callable[[float], None] | None = None,
    as_suggestions: bool = False,
    raw: bool = False,
    propose_captions: ProposeCaptions | None = None,
) -> ImportReport:
    """Import files and folders into ``store``; each file in its own transaction.

    With ``on_wait``, a file whose turn to write comes while another program is writing
    waits for it as long as it takes (another import may hold the project for minutes), and
    ``on_wait`` is told once, after a second, so the user knows why nothing moves. Without
    it, the store's usual 30-second wait applies. With ``as_suggestions`` every span a file
    brings is stored as a suggestion (origin ``suggested``; its suggester is the span's own, or
    "import <file name>"; its score the span's own ``score``). With ``raw``, a web page
    (.html, .htm) is imported as the characters it holds, not as the article in it.
    ``propose_captions`` is given the documents whose captions a web page or Word file marked
    (``meta["captions"]``), in the file's transaction, and says how many it proposed as
    suggestions (the command line and the window pass the captions suggester).
    """
    files, skipped, missing, empty = collect_files(paths)
    report = ImportReport(skipped=skipped, empty_folders=empty)
    for refusal in missing:
        report.files.append(FileResult(path=refusal.path, refused=[refusal]))
    sizes = []
    for f in files:
        try:
            sizes.append(f.stat().st_size)
        except OSError:
            sizes.append(0)
    total = sum(sizes)
    done = 0
    with store.bulk_writes(), _patient(store, on_wait):
        for f, size in zip(files, sizes, strict=False):

            def file_progress(read: int, _base: int = done, _size: int = size) -> None:
                if progress:
                    progress(_base + min(read, _size), total)

            report.files.append(
                _import_file(
                    store,
                    f,
                    skip_invalid,
                    create_labels,
                    report.labels_created,
                    file_progress,
                    as_suggestions,
                    raw,
                    propose_captions,
                )
            )
            done += size
            if progress:
                progress(done, total)
    return report


@contextlib.contextmanager
def _patient(store: Store, on_wait: Callable[[float], None] | None) -> Iterator[None]:
    if on_wait is None:
        yield
        return
    before = store.patient, store.on_wait
    store.patient, store.on_wait = True, on_wait
    try:
        yield
    finally:
        store.patient, store.on_wait = before


def _import_file(
    store: Store,
    path: Path,
    skip_invalid: bool,
    create_labels: bool,
    labels_created: list[str],
    progress: Callable[[int], None],
    as_suggestions: bool = False,
    raw: bool = False,
    propose_captions: ProposeCaptions | None = None,
) -> FileResult:
    result = FileResult(path=str(path))
    try:
        # Read as UTF-8 first; a file that is not UTF-8 at all is read again in its own
        # encoding, its first reading's transaction undone (ReadAgain).
        for utf8 in (True, False):
            result = FileResult(path=str(path))
            records = read_records(path, result, utf8=utf8, raw=raw)
            try:
                _write(
                    store,
                    path,
                    records,
                    result,
                    skip_invalid,
                    create_labels,
                    labels_created,
                    progress,
                    as_suggestions,
                    propose_captions,
                )
                break
            except ReadAgain:
                continue
    except (DecodeError, OSError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        result.refused.append(Refusal(str(path), getattr(e, "line", None), reason))
        result.documents_added = result.duplicates = result.spans_added = 0
    return result


# -- writing --------------------------------------------------------------------------------


def _write(
    store: Store,
    path: Path,
    records: Iterator[tuple[int, int, Any]],
    result: FileResult,
    skip_invalid: bool,
    create_labels: bool,
    labels_created: list[str],
    progress: Callable[[int], None],
    as_suggestions: bool = False,
    propose_captions: ProposeCaptions | None = None,
) -> None:
    label_ids = store.labels.ids()
    scheme = Scheme(
        attributes={lab.name: lab.attributes for lab in store.labels.all()},
        relation_types={kind.name: kind for kind in store.relation_types.all()},
    )
    relation_ids = {n: k.id for n, k in scheme.relation_types.items() if k.id is not None}
    suggester = f"import {as_text(path.name)}"
    new_labels: set[str] = set()
    source = str(path)
    stored_source = as_text(source)
    now = utc_now()
    pending_spans: list[tuple[Any, ...]] = []
    added_labels: list[str] = []
    # A page's or Word file's captions (meta "captions"), proposed once it is in.
    articles = (
        propose_captions is not None
        and path.suffix.lower() in CAPTIONED_SUFFIXES
        and not as_suggestions
    )
    captioned: list[int] = []
    try:
        with store.transaction():
            for number, read, value in records:
                result.records += 1
                try:
                    record = check_task(
                        value, number, set(label_ids), create_labels, new_labels, scheme
                    )
                except RecordError as e:
                    # A brat .ann's line names the .ann, not the .txt read with it.
                    result.refused.append(Refusal(getattr(e, "path", source), number, str(e)))
                    continue
                if result.refused and not skip_invalid:
                    continue  # keep checking, so every bad record is listed
                if as_suggestions:
                    record.spans = [
                        (*span[:5], "suggested", *span[6:8], span[8] or suggester, *span[9:])
                        for span in record.spans
                    ]
                for name in sorted(new_labels - label_ids.keys()):
                    label_ids[name] = store.labels.add(name).id  # type: ignore[assignment]
                    added_labels.append(name)
                document_id = store.documents.insert(
                    text=record.text,
                    text_hash=record.text_hash,
                    title=record.title,
                    meta=record.meta_json,
                    external_id=record.external_id,
                    source=stored_source,
                    status=record.status if record.statuses is None else "new",
                    span_count=sum(1 for s in record.spans if s[5] != "suggested"),
                    now=now,
                )
                if document_id is None:
                    result.duplicates += 1
                    if record.statuses:
                        _add_statuses(store, store.documents.id_by_hash(record.text_hash), record)
                    if record.spans:
                        if pending_spans:
                            result.spans_added += store.spans.insert_many(pending_spans)
                            pending_spans.clear()
                        _add_to_stored(store, record, label_ids, now, result)
                    progress(read)
                    continue
                result.documents_added += 1
                if articles and record.meta.get("captions"):
                    captioned.append(document_id)
                if record.statuses:
                    for who, status in record.statuses.items():
                        write_status(store.conn, document_id, who, status, now)
                for what, count in record.passed_over.items():
                    result.passed_over[what] = result.passed_over.get(what, 0) + count
                if record.relations:
                    result.spans_added += _with_relations(
                        store, document_id, record, label_ids, relation_ids, now
                    )
                    result.relations_added += len(record.relations)
                else:
                    for span in record.spans:
                        pending_spans.append(
                            _row(document_id, record.text, span, label_ids, store.annotator, now)
                        )
                if len(pending_spans) >= _BATCH:
                    result.spans_added += store.spans.insert_many(pending_spans)
                    pending_spans.clear()
                progress(read)
            if result.refused and not skip_invalid:
                raise _RollBack
            if pending_spans:
                result.spans_added += store.spans.insert_many(pending_spans)
            if captioned and propose_captions is not None:
                result.captions_suggested = propose_captions(store, captioned)
            if result.documents_added or result.spans_added:
                store.record_change(
                    "import",
                    source=stored_source,
                    documents=result.documents_added,
                    spans=result.spans_added,
                    duplicates=result.duplicates,
                    spans_added_to_duplicates=result.spans_added_to_duplicates,
                    refused=len(result.refused),
                )
    except _RollBack:
        result.rolled_back = True
        result.documents_added = result.duplicates = result.spans_added = 0
        result.spans_added_to_duplicates = result.spans_already_there = 0
        result.passed_over.clear()
        return
    labels_created.extend(added_labels)


def _add_statuses(store: Store, document_id: int | None, record: CheckedTask) -> None:
    """A repeated text's statuses, for analysts who have none yet on the stored document."""
    if document_id is None or not record.statuses:
        return
    have = store.statuses.of_document(document_id)
    for who, status in record.statuses.items():
        if who not in have:
            write_status(store.conn, document_id, who, status, utc_now())


def _add_to_stored(
    store: Store, record: CheckedTask, label_ids: dict[str, int], now: str, result: FileResult
) -> None:
    """A record whose text is already stored brings its spans to the stored document.

    A span the document already has (same start, end, label and analyst) is left out; any
    other is added, so that the same text twice with different spans loses no one's work.
    """
    document_id = store.documents.id_by_hash(record.text_hash)
    if document_id is None:  # pragma: no cover - the insert just found it
        return
    have = store.spans.keys(document_id)
    rows = []
    for span in record.spans:
        row = _row(document_id, record.text, span, label_ids, store.annotator, now)
        key = (row[1], row[2], row[3], row[5])
        if key in have:
            result.spans_already_there += 1
            continue
        have.add(key)
        rows.append(row)
    if rows:
        added = store.spans.insert_many(rows)
        store.spans.count_new(document_id, sum(1 for r in rows if r[7] != "suggested"))
        result.spans_added += added
        result.spans_added_to_duplicates += added


def _with_relations(
    store: Store,
    document_id: int,
    record: CheckedTask,
    label_ids: dict[str, int],
    relation_ids: dict[str, int],
    now: str,
) -> int:
    """A record's spans one at a time (each new id is needed), then its relations."""
    ids = [
        store.spans.insert(_row(document_id, record.text, span, label_ids, store.annotator, now))
        for span in record.spans
    ]
    for head, child, label, annotator, origin, created in record.relations:
        store.conn.execute(
            "INSERT INTO relations (document_id, head, child, type_id, annotator, origin,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                document_id,
                ids[head],
                ids[child],
                relation_ids[label],
                annotator or record.spans[head][4] or store.annotator,
                origin,
                created or now,
                now,
            ),
        )
    return len(ids)


def _row(
    document_id: int,
    text: str,
    span: ImportedSpan,
    label_ids: dict[str, int],
    annotator: str,
    now: str,
) -> tuple[Any, ...]:
    """The row :meth:`Store.insert_spans` takes for one checked span."""
    start, end, label, note, who, origin, created, _, suggester, score, attributes = span
    if origin != "suggested":
        suggester = score = None
    return (
        document_id,
        start,
        end,
        label_ids[label],
        text[start:end],
        who or annotator,
        note,
        origin,
        created or now,
        now,
        suggester,
        score,
        json.dumps(attributes, ensure_ascii=False) if attributes else None,
    )


class _RollBack(Exception):
    """Raised inside the file's transaction to undo it after its records were all checked."""


__all__ = ["FileResult", "ImportReport", "Refusal", "import_paths", "ProjectError"]
