"""One file's checked records into the store, in the file's one transaction.

A new text becomes a document with its spans, relations and statuses; a text the project
already holds brings the spans and statuses the stored document lacks, so the same article
imported twice loses no one's work. Any refusal undoes the whole file unless bad records are
to be skipped. Apart from ``importing``, which finds the files and reads each one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from annotator.formats.import_report import FileResult, Refusal
from annotator.formats.records import ImportedSpan, RecordError, Scheme
from annotator.formats.suffixes import WEB_PAGE_SUFFIXES, WORD_SUFFIXES
from annotator.formats.tasks import CheckedTask, check_task
from annotator.model import utc_now
from annotator.printable import as_text
from annotator.store.project import Store
from annotator.store.statuses import write_status

CAPTIONED_SUFFIXES = WEB_PAGE_SUFFIXES | WORD_SUFFIXES

_BATCH = 500

#: Given the documents a file brought with captions marked, in the file's transaction: how many
#: caption suggestions it proposed.
ProposeCaptions = Callable[[Store, list[int]], int]


def write_records(
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
    """Check and write one file's records in one transaction, counting into ``result``; a
    refusal, unless ``skip_invalid``, undoes the file and marks it rolled back."""
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
                if new_labels:  # labels a record brought (--create-labels)
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
                    statuses = _statuses_of_repeat(record, store.annotator)
                    if statuses:
                        stored = store.documents.id_by_hash(record.text_hash)
                        _add_statuses(store, stored, statuses)
                        if stored is not None:
                            result.touched.add(stored)
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
        result.touched.clear()
        return
    labels_created.extend(added_labels)


def _statuses_of_repeat(record: CheckedTask, annotator: str) -> dict[str, str]:
    """The statuses a record whose text is already stored brings: each analyst's, or, from a
    file that gives one status only (done, skipped, in progress), the importing analyst's, so
    that work done elsewhere on a document they already have (a packet's) counts as theirs."""
    if record.statuses:
        return record.statuses
    return {} if record.status == "new" else {annotator: record.status}


def _add_statuses(store: Store, document_id: int | None, statuses: dict[str, str]) -> None:
    """A repeated text's statuses, for analysts who have none yet on the stored document, each
    in the history as the window's own status changes are (statistics count them)."""
    if document_id is None or not statuses:
        return
    have = store.statuses.of_document(document_id)
    for who, status in statuses.items():
        if who not in have and status != "new":
            write_status(store.conn, document_id, who, status, utc_now())
            details: dict[str, Any] = {"before": "new", "after": status}
            if who != store.annotator:
                details["of"] = who
            store.record_change("set_status", document_id, **details)


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
        result.touched.add(document_id)


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
