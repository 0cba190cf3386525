"""One file's work written into the team project: its documents matched by text (added when
missing), each analyst's spans, notes and status on each document made the file's, their
relations, the documents a curator settled, and the history entries not taken before.

The team project records which file each analyst's work on each document came from
(``work_sources``): work from the same file is replaced by the file's, so merging it again
brings only what changed; other work under the same name is refused, as it may be another
person's. Everything written is counted in the file's report.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.model import Label, check_attributes, utc_now
from annotator.printable import printable
from annotator.store.project import Store
from annotator.store.statuses import write_statuses
from annotator.team.merge_checks import (
    older_than_merged,
    project_path,
    settle_older,
    unchanged_since_merged,
)
from annotator.team.merge_ids import kept_ids, numbered
from annotator.team.merge_report import MergeError, SourceReport
from annotator.team.merge_scheme import merge_labels, merge_relation_types
from annotator.team.merge_source import Source
from annotator.team.send_back import carried_by, record_returned

# A span's identity within one analyst's work on one document.
SpanKey = tuple[int, int, str, str]  # (start, end, label, origin)
# A span as the merge reads it (a file's, or the team project's): its columns by name.
SpanRow = sqlite3.Row


@dataclass
class _TeamWork:
    """What the team project holds of every analyst's work on the file's documents, read with
    a query for each kind whatever the number of documents: where it came from, its spans and
    its status, by (team document, analyst)."""

    sources: dict[tuple[int, str], str] = field(default_factory=dict)
    spans: dict[tuple[int, str], list[SpanRow]] = field(default_factory=dict)
    statuses: dict[tuple[int, str], str] = field(default_factory=dict)


@dataclass
class _Writes:
    """What one file's work changes, gathered while its documents are compared, then written
    with a statement of each kind (in the merge's one transaction)."""

    notes: list[tuple[Any, ...]] = field(default_factory=list)  # (note, attributes, at, id)
    gone: list[int] = field(default_factory=list)  # spans to delete
    #: Spans to add: (the file's id, team document, team label id).
    incoming: list[tuple[int, int, int]] = field(default_factory=list)
    counted: Counter[int] = field(default_factory=Counter)  # span count change by document
    statuses: list[tuple[int, str, str, str]] = field(default_factory=list)
    unset: list[tuple[int, str]] = field(default_factory=list)  # statuses taken away
    sources: list[tuple[int, str, str]] = field(default_factory=list)  # work_sources rows


def merge_one(
    into: Store,
    source: Source,
    declared: dict[tuple[str, str], Path],
    allow_older: bool,
) -> SourceReport:
    """Merge one file into the team project: its scheme, its documents, each analyst's work
    on each, their relations, curations and history; what it brought, in its report."""
    conn = into.conn
    result = SourceReport(str(source.path))
    merge_labels(into, source, declared, result)
    merge_relation_types(into, source, result)
    labels = {lab.name: lab for lab in into.labels.all()}  # as the team project now declares them
    conn.execute(f"CREATE TABLE temp.{source.work}_names (old TEXT PRIMARY KEY, new TEXT)")
    conn.executemany(
        f"INSERT INTO temp.{source.work}_names (old, new) VALUES (?, ?)", source.renames.items()
    )
    doc_map = _match_documents(into, source, result)
    older = older_than_merged(conn, source, doc_map)

    # Each analyst's work on each document: spans and status.
    work: dict[tuple[int, str], list[SpanRow]] = {}
    for span in source.spans:
        work.setdefault((span["document"], span["annotator"]), []).append(span)
    status_of = {(d, who): (status, at) for d, who, status, at in source.statuses}
    keys = set(work) | set(status_of)
    team = _TeamWork(sources=_team_sources(conn, doc_map.values()))
    # Work this file gave before and no longer holds (its analyst removed it there) goes too.
    back = {tdoc: sdoc for sdoc, tdoc in doc_map.items()}
    for (tdoc, who), project in team.sources.items():
        if project == source.project_id and tdoc in back:
            keys.add((back[tdoc], who))
    _read_team(conn, doc_map.values(), {who for _, who in keys}, team)
    result.analysts = sorted({who for _, who in set(work) | set(status_of)})
    conflicts: list[str] = []
    conflicting: set[str] = set()
    unchanged = unchanged_since_merged(conn, source)
    span_map: dict[int, int] = {}
    replaced: list[tuple[int, int, str]] = []  # (source document, team document, analyst)
    writes = _Writes()
    for sdoc, who in sorted(keys):
        tdoc = doc_map[sdoc]
        mine = work.get((sdoc, who), [])
        status = status_of.get((sdoc, who))
        came_from = team.sources.get((tdoc, who))
        theirs = team.spans.get((tdoc, who), [])
        team_status = team.statuses.get((tdoc, who))
        has_work = bool(theirs) or team_status is not None
        # A packet carrying a send-back of the document to the analyst brings their correction.
        if (
            has_work
            and came_from != source.project_id
            and not carried_by(conn, source.project_id, tdoc, who)
        ):
            if _same_work(mine, status, theirs, team_status):
                _map_spans(mine, theirs, span_map)
                continue
            if unchanged:
                # Merged before and not changed since: what the team holds replaced this
                # file's work afterwards (a correction sent back and returned), nothing new.
                continue
            where = (
                f"from {project_path(conn, came_from)}"
                if came_from is not None
                else "made in the team project itself"
            )
            if came_from is not None and carried_by(conn, came_from, tdoc, who, returned=True):
                where += ", the correction it was sent back for: this file would take it back"
            conflicts.append(
                f"{printable(source.path)}: analyst {who!r} has other work on document "
                f"{into.documents.row(tdoc).title!r} than the team project holds ({where})"
            )
            conflicting.add(who)
            continue
        _replace_work(into, source.path, tdoc, who, mine, theirs, labels, span_map, writes, result)
        replaced.append((sdoc, tdoc, who))
        _replace_status(tdoc, who, status, team_status, writes, result)
        writes.sources.append((tdoc, who, source.project_id))
    if conflicts:
        more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
        raise MergeError(
            f"{conflicts[0]}{more}. If these are two people, give one a name of their own "
            f"with --rename {printable(sorted(conflicting)[0])}=NEW_NAME. Nothing was merged."
        )
    _write(into, source, writes, span_map, result)
    record_returned(  # the send-backs this file carried, corrected and marked done
        conn,
        source.project_id,
        [(t, who) for s, t, who in replaced if status_of.get((s, who), ("",))[0] == "done"],
    )
    _replace_relations(into, source, replaced, span_map, result)
    before = conn.total_changes
    conn.executemany(  # the documents a curator settled there
        "INSERT INTO curations (document_id, curator, curated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (document_id) DO NOTHING",
        [(doc_map[sdoc], curator, at) for sdoc, curator, at in source.curations],
    )
    result.curations_added += conn.total_changes - before
    _copy_history(conn, source, span_map, result)
    settle_older(source.path, older, result, allow_older)
    return result


def _team_sources(conn: sqlite3.Connection, documents: Iterable[int]) -> dict[tuple[int, str], str]:
    """Where the team project's work on ``documents`` came from, by (document, analyst)."""
    rows = conn.execute(
        "SELECT w.document_id, w.annotator, w.source_project FROM json_each(?) m"
        " JOIN work_sources w ON w.document_id = m.value",
        (json.dumps(sorted(set(documents))),),
    )
    return {(doc, who): project for doc, who, project in rows}


def _read_team(
    conn: sqlite3.Connection, documents: Iterable[int], analysts: set[str], team: _TeamWork
) -> None:
    """The statuses and spans ``analysts`` have in the team project on ``documents``: a query
    for each, every document's rows found through its index (the analyst is only checked:
    walking the analyst's index would read all their work on every other document)."""
    ids, names = json.dumps(sorted(set(documents))), json.dumps(sorted(analysts))
    for doc, who, status in conn.execute(
        "SELECT s.document_id, s.annotator, s.status FROM json_each(?) m"
        " JOIN statuses s ON s.document_id = m.value"
        " WHERE +s.annotator IN (SELECT value FROM json_each(?))",
        (ids, names),
    ):
        team.statuses[(doc, who)] = status
    rows = conn.cursor()
    rows.row_factory = sqlite3.Row
    for row in rows.execute(
        'SELECT s.document_id AS document, s.annotator, s.id, s.start, s."end",'
        " l.name AS label, s.origin, s.note, s.attributes FROM json_each(?) m"
        " JOIN spans s ON s.document_id = m.value JOIN labels l ON l.id = s.label_id"
        " WHERE +s.annotator IN (SELECT value FROM json_each(?)) ORDER BY s.id",
        (ids, names),
    ):
        team.spans.setdefault((row["document"], row["annotator"]), []).append(row)


def _match_documents(into: Store, source: Source, result: SourceReport) -> dict[int, int]:
    """The team project's document for each of the file's, by text hash; those missing are
    added, copied from the staged file in SQL (a text with a carriage return through
    ``documents.insert``, which makes its line endings the store's)."""
    conn = into.conn

    def team_ids(hashes: list[str]) -> dict[str, int]:
        return dict(
            conn.execute(
                "SELECT d.text_hash, d.id FROM json_each(?) h JOIN documents d"
                " ON d.text_hash = h.value",
                (json.dumps(hashes),),
            )
        )

    found = team_ids([doc["text_hash"] for doc in source.documents.values()])
    missing = [sid for sid, doc in source.documents.items() if doc["text_hash"] not in found]
    now = utc_now()
    staged = source.staged("documents")
    conn.execute(
        "INSERT INTO documents (external_id, title, text, text_hash, meta, status, source,"
        " span_count, created_at, updated_at) SELECT external_id, title, text, text_hash,"
        f" meta, 'new', source, 0, coalesce(created_at, ?1), ?1 FROM {staged}"
        " WHERE id IN (SELECT value FROM json_each(?2)) AND instr(text, char(13)) = 0"
        " ORDER BY id",
        (now, json.dumps(missing)),
    )
    returns = conn.execute(
        f"SELECT id FROM {staged} WHERE id IN (SELECT value FROM json_each(?))"
        " AND instr(text, char(13)) > 0 ORDER BY id",
        (json.dumps(missing),),
    )
    for (sid,) in returns.fetchall():
        _add_document(into, source, sid, now, found)
    found.update(team_ids([source.documents[sid]["text_hash"] for sid in missing]))
    result.documents_added += len(missing)
    result.documents_matched += len(source.documents) - len(missing)
    doc_map = {sid: found[doc["text_hash"]] for sid, doc in source.documents.items()}
    _staged_map(conn, source, "document_map", doc_map)
    return doc_map


def _add_document(into: Store, source: Source, sid: int, now: str, found: dict[str, int]) -> None:
    """One of the file's documents through ``documents.insert`` (which normalises a text's
    line endings, and its hash with them)."""
    row = into.conn.execute(
        "SELECT text, title, meta, external_id, source, created_at"
        f" FROM {source.staged('documents')} WHERE id = ?",
        (sid,),
    ).fetchone()
    team_id = into.documents.insert(
        text=row[0],
        text_hash=source.documents[sid]["text_hash"],
        title=row[1],
        meta=row[2],
        external_id=row[3],
        source=row[4],
        created_at=row[5],
        now=now,
    )
    assert team_id is not None
    found[source.documents[sid]["text_hash"]] = team_id


def _staged_map(
    conn: sqlite3.Connection, source: Source, name: str, mapping: Mapping[int, int]
) -> None:
    """A mapping of the file's ids to the team project's, as a temporary table beside the
    staged ones, for SQL to join on."""
    table = f"temp.{source.work}_{name}"
    conn.execute(f"CREATE TABLE {table} (source INTEGER PRIMARY KEY, team INTEGER NOT NULL)")
    conn.executemany(f"INSERT INTO {table} (source, team) VALUES (?, ?)", mapping.items())


def _replace_status(
    document_id: int,
    who: str,
    status: tuple[str, str] | None,
    team_status: str | None,
    writes: _Writes,
    result: SourceReport,
) -> None:
    """Make the team project's status of one analyst on one document the file's."""
    if status is not None and team_status != status[0]:
        writes.statuses.append((document_id, who, status[0], status[1]))
    elif status is None and team_status is not None:
        writes.unset.append((document_id, who))
    else:
        return
    result.statuses_set += 1
    result.count_undone(who, ("status", "changed"))


def _write(
    into: Store, source: Source, writes: _Writes, span_map: dict[int, int], result: SourceReport
) -> None:
    """The file's work as :func:`merge_one` gathered it, a statement of each kind; the spans
    added are copied from the staged file, under new ids, with SQL."""
    conn = into.conn
    conn.executemany(
        "UPDATE spans SET note = ?, attributes = ?, updated_at = ? WHERE id = ?", writes.notes
    )
    if writes.gone:
        _take_relations_going(conn, writes.gone, result)
        conn.executemany("DELETE FROM spans WHERE id = ?", [(i,) for i in writes.gone])
    ids = numbered(into, [span[0] for span in writes.incoming], into.spans.next_id())
    stage = f"temp.{source.work}"
    conn.execute(
        f"CREATE TABLE {stage}_new_spans (id INTEGER PRIMARY KEY, source INTEGER NOT NULL,"
        " document INTEGER NOT NULL, label INTEGER NOT NULL)"
    )
    conn.executemany(
        f"INSERT INTO {stage}_new_spans (id, source, document, label) VALUES (?, ?, ?, ?)",
        [(ids[i], *span) for i, span in enumerate(writes.incoming)],
    )
    conn.execute(
        'INSERT INTO spans (id, document_id, start, "end", label_id, text, annotator, note,'
        " origin, created_at, updated_at, suggester, score, attributes)"
        ' SELECT n.id, n.document, s.start, s."end", n.label, s.text,'
        " coalesce(r.new, s.annotator), s.note, s.origin, s.created_at, s.updated_at,"
        f" s.suggester, s.score, s.attributes FROM {stage}_new_spans n"
        f" JOIN {source.staged('spans')} s ON s.id = n.source"
        f" LEFT JOIN {stage}_names r ON r.old = s.annotator ORDER BY n.id"
    )
    conn.execute(f"CREATE INDEX {stage}_new_spans_source ON {source.work}_new_spans (source)")
    # The file's spans the team project already held, for its history (added ones: above).
    _staged_map(conn, source, "span_map", span_map)
    span_map.update((span[0], ids[i]) for i, span in enumerate(writes.incoming))
    into.spans.count_added(writes.counted)
    write_statuses(conn, writes.statuses, writes.unset)
    conn.executemany(
        "INSERT INTO work_sources (document_id, annotator, source_project) VALUES (?, ?, ?)"
        " ON CONFLICT (document_id, annotator) DO UPDATE SET"
        " source_project = excluded.source_project",
        writes.sources,
    )


def _replace_relations(
    into: Store,
    source: Source,
    replaced: list[tuple[int, int, str]],
    span_map: Mapping[int, int],
    result: SourceReport,
) -> None:
    """Each replaced piece of work's relations become the file's: an analyst's relations on
    a document, their ends mapped to the team project's spans."""
    conn = into.conn
    kinds = {kind.name: kind for kind in into.relation_types.all()}
    span_labels = {span["id"]: span["label"] for span in source.spans}
    by_work: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for rel in source.relations:
        by_work.setdefault((rel["document"], rel["annotator"]), []).append(rel)
    held: dict[tuple[int, str], dict[tuple[int, int, str], int]] = {}
    for rid, doc, who, head, child, kind in conn.execute(
        "SELECT r.id, r.document_id, r.annotator, r.head, r.child, t.name FROM json_each(?) m"
        " JOIN relations r ON r.document_id = m.value JOIN relation_types t ON t.id = r.type_id"
        " ORDER BY r.id",
        (json.dumps(sorted({tdoc for _, tdoc, _ in replaced})),),
    ):
        held.setdefault((doc, who), {})[(head, child, kind)] = rid
    removed: list[tuple[int]] = []
    added: list[tuple[Any, ...]] = []
    for sdoc, tdoc, who in replaced:
        have = held.get((tdoc, who), {})
        wanted = []
        for rel in by_work.get((sdoc, who), []):
            head, child = span_map.get(rel["head"]), span_map.get(rel["child"])
            if head is not None and child is not None and rel["label"] in kinds:
                wanted.append(((head, child, rel["label"]), rel))
        keep = {key for key, _ in wanted}
        for key, rid in have.items():
            if key not in keep:
                removed.append((rid,))
                result.relations_removed += 1
                result.count_undone(who, ("relation", "removed"))
        for key, rel in wanted:
            if key in have:
                continue
            ends = (span_labels[rel["head"]], span_labels[rel["child"]])
            if not kinds[key[2]].fits(*ends):
                raise MergeError(
                    f"{printable(source.path)}: a {key[2]} relation by {who} on document "
                    f"{into.documents.row(tdoc).title!r} goes from {ends[0]} to {ends[1]}, which "
                    f"the file's own {key[2]} type does not allow; change it there, then merge "
                    "again. Nothing was merged."
                )
            added.append(
                (rel["id"], tdoc, key[0], key[1], kinds[key[2]].id, who, rel["origin"],
                 rel["created_at"], rel["updated_at"])
            )  # fmt: skip
            have[key] = -1
            result.relations_added += 1
            result.count_undone(who, ("relation", "added"))
    conn.executemany("DELETE FROM relations WHERE id = ?", removed)
    kept = kept_ids(into, "relations", [row[0] for row in added])
    conn.executemany(
        "INSERT INTO relations (id, document_id, head, child, type_id, annotator, origin,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(row[0] if row[0] in kept else None, *row[1:]) for row in added],
    )


def _key(span: SpanRow) -> SpanKey:
    return (span["start"], span["end"], span["label"], span["origin"])


def _same_work(
    mine: list[SpanRow],
    status: tuple[str, str] | None,
    theirs: list[SpanRow],
    team_status: str | None,
) -> bool:
    if Counter((_key(s), s["note"]) for s in mine) != Counter((_key(s), s["note"]) for s in theirs):
        return False
    return (status[0] if status else "new") == (team_status or "new")


def _map_spans(mine: list[SpanRow], theirs: list[SpanRow], span_map: dict[int, int]) -> None:
    free: dict[SpanKey, list[int]] = {}
    for span in theirs:
        free.setdefault(_key(span), []).append(span["id"])
    for span in mine:
        ids = free.get(_key(span))
        if ids:
            span_map[span["id"]] = ids.pop(0)


def _replace_work(
    into: Store,
    path: Path,
    document_id: int,
    who: str,
    mine: list[SpanRow],
    theirs: list[SpanRow],
    labels: Mapping[str, Label],
    span_map: dict[int, int],
    writes: _Writes,
    result: SourceReport,
) -> None:
    """Make the team project's copy of one analyst's work on one document equal the file's
    (in ``writes``, which :func:`_write` writes)."""

    def checked(span: SpanRow) -> str | None:
        return _checked_attributes(into, path, document_id, span, labels[span["label"]])

    free: dict[SpanKey, list[SpanRow]] = {}
    for span in theirs:
        free.setdefault(_key(span), []).append(span)
    added = 0
    for span in mine:
        match = free.get(_key(span)) if free else None
        if match:
            kept = match.pop(0)
            span_map[span["id"]] = kept["id"]
            if (kept["note"], kept["attributes"]) != (span["note"], span["attributes"]):
                writes.notes.append((span["note"], checked(span), span["updated_at"], kept["id"]))
                result.notes_changed += 1
                result.count_undone(who, ("span", "changed"))
            continue
        if span["attributes"] is not None:
            checked(span)
        label = labels[span["label"]].id
        assert label is not None
        writes.incoming.append((span["id"], document_id, label))
        writes.counted[document_id] += span["origin"] != "suggested"
        added += 1
    gone = [s for spans in free.values() for s in spans]
    if gone:
        writes.gone += [s["id"] for s in gone]
        writes.counted[document_id] -= sum(1 for s in gone if s["origin"] != "suggested")
        result.spans_removed += len(gone)
        result.count_undone(who, ("span", "removed"), len(gone))
    if added:
        result.spans_added += added
        result.count_undone(who, ("span", "added"), added)


def _take_relations_going(
    conn: sqlite3.Connection, span_ids: Sequence[int], result: SourceReport
) -> None:
    """Count and delete the relations that go with spans about to be deleted (their ends):
    by name, as the merge writes without SQLite's cascade."""
    for at in range(0, len(span_ids), 500):
        chunk = span_ids[at : at + 500]
        marks = ", ".join("?" * len(chunk))
        for who, count in conn.execute(
            f"SELECT annotator, count(*) FROM relations WHERE head IN ({marks})"
            f" OR child IN ({marks}) GROUP BY annotator",
            [*chunk, *chunk],
        ):
            result.relations_removed += count
            result.count_undone(who, ("relation", "removed"), count)
        conn.execute(
            f"DELETE FROM relations WHERE head IN ({marks}) OR child IN ({marks})",
            [*chunk, *chunk],
        )


def _checked_attributes(
    into: Store, path: Path, document_id: int, span: SpanRow, label: Label
) -> str | None:
    """A span's attributes as stored, refused unless its label in the team project declares
    them (the file's own label may not: its declarations can change after values are given)."""
    if span["attributes"] is None:
        return None
    try:
        check_attributes(label, json.loads(span["attributes"]))
    except ValueError as e:  # SpanError, or a value that is not JSON
        raise MergeError(
            f"{printable(path)}: document {into.documents.row(document_id).title!r}: "
            f"{span['annotator']}'s {label.name} span {span['start']}-{span['end']}: {e}; "
            "change it there, then merge again. Nothing was merged."
        ) from None
    return str(span["attributes"])


# A history entry c's details as the team project keeps them: the file's (an object, else an
# empty one), the analyst named in "of" under the name the merge gives them, "merged_from" the
# file (?1), and "source_span" the file's span when it is no longer there (sm and ns: the
# spans the team project held and those it was given). Valid JSON that starts with "{" is an
# object: found so without parsing it, as most entries are parsed only by the one json_set.
_OBJECT = "substr(ltrim(c.details, char(32, 9, 10, 13)), 1, 1) = '{'"
_BASE = f"CASE WHEN {_OBJECT} THEN c.details ELSE '{{}}' END"
_OF = "(SELECT new FROM {names} WHERE old = json_extract(c.details, '$.of'))"
_RENAMED = (
    f"CASE WHEN {_OBJECT} AND json_type(c.details, '$.of') = 'text' AND {_OF} IS NOT NULL"
    f" THEN json_set({_BASE}, '$.of', {_OF}) ELSE {_BASE} END"
)


def _details(names: str | None) -> str:
    """The SQL of a copied entry's details (with ``names``, the table of the analysts the
    merge renames: without it, no "of" is renamed and none is looked at)."""
    stamped = (
        f"json_set({_RENAMED.replace('{names}', names) if names else _BASE}, '$.merged_from', ?1)"
    )
    return (
        "CASE WHEN c.span_id IS NOT NULL AND sm.team IS NULL AND ns.id IS NULL"
        f" THEN json_set({stamped}, '$.source_span', c.span_id) ELSE {stamped} END"
    )


def _copy_history(
    conn: sqlite3.Connection, source: Source, span_map: Mapping[int, int], result: SourceReport
) -> None:
    """The file's history entries not taken before, each with its analyst and time, pointing
    at the team project's documents and spans: copied from the staged file in one statement."""
    row = conn.execute(
        "SELECT last_change FROM merges WHERE source_project = ?", (source.project_id,)
    ).fetchone()
    last = row[0] if row else 0
    stage = f"temp.{source.work}"
    details = _details(f"{stage}_names" if source.renames else None)
    added = conn.execute(
        "INSERT INTO changes (at, annotator, action, document_id, span_id, details)"
        f" SELECT c.at, coalesce(n.new, c.annotator), c.action, dm.team,"
        f" coalesce(sm.team, ns.id), {details}"
        f" FROM {source.staged('changes')} c LEFT JOIN {stage}_names n ON n.old = c.annotator"
        f" LEFT JOIN {stage}_document_map dm ON dm.source = c.document_id"
        f" LEFT JOIN {stage}_span_map sm ON sm.source = c.span_id"
        f" LEFT JOIN {stage}_new_spans ns ON ns.source = c.span_id"
        " WHERE c.id > ?2 ORDER BY c.id",
        (source.project_id, last),
    ).rowcount
    result.history_added = added
    if added or row is None:
        conn.execute(
            "INSERT INTO merges (source_project, source_path, last_change, merged_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (source_project) DO UPDATE SET"
            " source_path = excluded.source_path, last_change = excluded.last_change,"
            " merged_at = excluded.merged_at",
            (source.project_id, str(source.path), max(last, source.changes_end), utc_now()),
        )
