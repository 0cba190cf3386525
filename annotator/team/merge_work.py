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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from annotator.model import Label, check_attributes, utc_now
from annotator.printable import printable
from annotator.store.project import Store
from annotator.store.statuses import write_status, write_status_overall
from annotator.team.merge_checks import older_than_merged, project_path, settle_older
from annotator.team.merge_report import MergeError, SourceReport
from annotator.team.merge_scheme import merge_labels, merge_relation_types
from annotator.team.merge_source import Source

# A span's identity within one analyst's work on one document.
SpanKey = tuple[int, int, str, str]  # (start, end, label, origin)


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
    doc_map = _match_documents(into, source, result)
    older = older_than_merged(conn, source, doc_map)

    # Each analyst's work on each document: spans and status.
    work: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for span in source.spans:
        work.setdefault((span["document"], span["annotator"]), []).append(span)
    status_of = {(d, who): (status, at) for d, who, status, at in source.statuses}
    keys = set(work) | set(status_of)
    # Work this file gave before and no longer holds (its analyst removed it there) goes too.
    back = {tdoc: sdoc for sdoc, tdoc in doc_map.items()}
    for tdoc, who in conn.execute(
        "SELECT document_id, annotator FROM work_sources WHERE source_project = ?",
        (source.project_id,),
    ).fetchall():
        if tdoc in back:
            keys.add((back[tdoc], who))
    result.analysts = sorted({who for _, who in set(work) | set(status_of)})
    conflicts: list[str] = []
    conflicting: set[str] = set()
    span_map: dict[int, int] = {}
    replaced: list[tuple[int, int, str]] = []  # (source document, team document, analyst)
    for sdoc, who in sorted(keys):
        tdoc = doc_map[sdoc]
        mine = work.get((sdoc, who), [])
        status = status_of.get((sdoc, who))
        came_from = conn.execute(
            "SELECT source_project FROM work_sources WHERE document_id = ? AND annotator = ?",
            (tdoc, who),
        ).fetchone()
        theirs = _team_work(conn, tdoc, who)
        team_status = conn.execute(
            "SELECT status FROM statuses WHERE document_id = ? AND annotator = ?", (tdoc, who)
        ).fetchone()
        has_work = bool(theirs) or team_status is not None
        same_file = came_from is not None and came_from[0] == source.project_id
        if has_work and not same_file:
            if _same_work(mine, status, theirs, team_status):
                _map_spans(mine, theirs, span_map)
                continue
            where = (
                f"from {project_path(conn, came_from[0])}"
                if came_from
                else "made in the team project itself"
            )
            conflicts.append(
                f"{printable(source.path)}: analyst {who!r} has other work on document "
                f"{into.documents.row(tdoc).title!r} than the team project holds ({where})"
            )
            conflicting.add(who)
            continue
        _replace_work(into, source.path, tdoc, who, mine, theirs, labels, span_map, result)
        replaced.append((sdoc, tdoc, who))
        _replace_status(conn, tdoc, who, status, team_status, result)
        conn.execute(
            "INSERT INTO work_sources (document_id, annotator, source_project) VALUES (?, ?, ?)"
            " ON CONFLICT (document_id, annotator) DO UPDATE SET"
            " source_project = excluded.source_project",
            (tdoc, who, source.project_id),
        )
    if conflicts:
        more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
        raise MergeError(
            f"{conflicts[0]}{more}. If these are two people, give one a name of their own "
            f"with --rename {printable(sorted(conflicting)[0])}=NEW_NAME. Nothing was merged."
        )
    _replace_relations(into, source, replaced, span_map, result)
    for sdoc, curator, at in source.curations:  # documents a curator settled there
        cur = conn.execute(
            "INSERT INTO curations (document_id, curator, curated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (document_id) DO NOTHING",
            (doc_map[sdoc], curator, at),
        )
        result.curations_added += cur.rowcount
    _copy_history(conn, source, doc_map, span_map, result)
    settle_older(source.path, older, result, allow_older)
    return result


def _match_documents(into: Store, source: Source, result: SourceReport) -> dict[int, int]:
    """The team project's document for each of the file's, by text hash (added if missing)."""
    now = utc_now()
    doc_map: dict[int, int] = {}
    for sid, doc in source.documents.items():
        found = into.documents.id_by_hash(doc["text_hash"])
        if found is None:
            found = into.documents.insert(
                text=doc["text"],
                text_hash=doc["text_hash"],
                title=doc["title"],
                meta=doc["meta"],
                external_id=doc["external_id"],
                source=doc["source"],
                created_at=doc["created_at"],
                now=now,
            )
            assert found is not None
            result.documents_added += 1
        else:
            result.documents_matched += 1
        doc_map[sid] = found
    return doc_map


def _replace_status(
    conn: sqlite3.Connection,
    document_id: int,
    who: str,
    status: tuple[str, str] | None,
    team_status: tuple[str] | None,
    result: SourceReport,
) -> None:
    """Make the team project's status of one analyst on one document the file's."""
    if status is not None and (team_status is None or team_status[0] != status[0]):
        write_status(conn, document_id, who, status[0], status[1])
    elif status is None and team_status is not None:
        conn.execute(
            "DELETE FROM statuses WHERE document_id = ? AND annotator = ?", (document_id, who)
        )
        write_status_overall(conn, document_id)
    else:
        return
    result.statuses_set += 1
    result.count_undone(who, ("status", "changed"))


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
    for sdoc, tdoc, who in replaced:
        have = {
            (r[1], r[2], r[3]): r[0]
            for r in conn.execute(
                "SELECT r.id, r.head, r.child, t.name FROM relations r JOIN relation_types t"
                " ON t.id = r.type_id WHERE r.document_id = ? AND r.annotator = ?",
                (tdoc, who),
            )
        }
        wanted = []
        for rel in by_work.get((sdoc, who), []):
            head, child = span_map.get(rel["head"]), span_map.get(rel["child"])
            if head is not None and child is not None and rel["label"] in kinds:
                wanted.append(((head, child, rel["label"]), rel))
        keep = {key for key, _ in wanted}
        for key, rid in have.items():
            if key not in keep:
                conn.execute("DELETE FROM relations WHERE id = ?", (rid,))
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
            conn.execute(
                "INSERT INTO relations (document_id, head, child, type_id, annotator, origin,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    tdoc,
                    key[0],
                    key[1],
                    kinds[key[2]].id,
                    who,
                    rel["origin"],
                    rel["created_at"],
                    rel["updated_at"],
                ),
            )
            have[key] = -1
            result.relations_added += 1
            result.count_undone(who, ("relation", "added"))


def _team_work(conn: sqlite3.Connection, document_id: int, who: str) -> list[dict[str, Any]]:
    return [
        {
            "id": r[0],
            "start": r[1],
            "end": r[2],
            "label": r[3],
            "origin": r[4],
            "note": r[5],
            "attributes": r[6],
        }
        for r in conn.execute(
            'SELECT s.id, s.start, s."end", l.name, s.origin, s.note, s.attributes FROM spans s'
            " JOIN labels l ON l.id = s.label_id WHERE s.document_id = ? AND s.annotator = ?"
            " ORDER BY s.id",
            (document_id, who),
        )
    ]


def _key(span: Mapping[str, Any]) -> SpanKey:
    return (span["start"], span["end"], span["label"], span["origin"])


def _same_work(
    mine: list[dict[str, Any]],
    status: tuple[str, str] | None,
    theirs: list[dict[str, Any]],
    team_status: tuple[str] | None,
) -> bool:
    if Counter((_key(s), s["note"]) for s in mine) != Counter((_key(s), s["note"]) for s in theirs):
        return False
    return (status[0] if status else "new") == (team_status[0] if team_status else "new")


def _map_spans(
    mine: list[dict[str, Any]], theirs: list[dict[str, Any]], span_map: dict[int, int]
) -> None:
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
    mine: list[dict[str, Any]],
    theirs: list[dict[str, Any]],
    labels: Mapping[str, Label],
    span_map: dict[int, int],
    result: SourceReport,
) -> None:
    """Make the team project's copy of one analyst's work on one document equal the file's."""
    conn = into.conn

    def checked(span: dict[str, Any]) -> str | None:
        return _checked_attributes(into, path, document_id, span, labels[span["label"]])

    free: dict[SpanKey, list[dict[str, Any]]] = {}
    for span in theirs:
        free.setdefault(_key(span), []).append(span)
    rows = []
    incoming = []
    for span in mine:
        match = free.get(_key(span))
        if match:
            kept = match.pop(0)
            span_map[span["id"]] = kept["id"]
            if (kept["note"], kept["attributes"]) != (span["note"], span["attributes"]):
                conn.execute(
                    "UPDATE spans SET note = ?, attributes = ?, updated_at = ? WHERE id = ?",
                    (span["note"], checked(span), span["updated_at"], kept["id"]),
                )
                result.notes_changed += 1
                result.count_undone(who, ("span", "changed"))
            continue
        incoming.append(span)
        rows.append(
            (
                document_id,
                span["start"],
                span["end"],
                labels[span["label"]].id,
                span["text"],
                who,
                span["note"],
                span["origin"],
                span["created_at"],
                span["updated_at"],
                span["suggester"],
                span["score"],
                checked(span),
            )
        )
    gone = [s for spans in free.values() for s in spans]
    if gone:
        _count_relations_going(conn, [s["id"] for s in gone], result)
        conn.executemany("DELETE FROM spans WHERE id = ?", [(s["id"],) for s in gone])
        counted = sum(1 for s in gone if s["origin"] != "suggested")
        into.spans.count_new(document_id, -counted)
        result.spans_removed += len(gone)
        result.count_undone(who, ("span", "removed"), len(gone))
    for span, row in zip(incoming, rows, strict=True):
        span_map[span["id"]] = into.spans.insert(row)
    if rows:
        into.spans.count_new(document_id, sum(1 for r in rows if r[7] != "suggested"))
        result.spans_added += len(rows)
        result.count_undone(who, ("span", "added"), len(rows))


def _count_relations_going(
    conn: sqlite3.Connection, span_ids: Sequence[int], result: SourceReport
) -> None:
    """Count the relations that go with spans about to be deleted (their ends)."""
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


def _checked_attributes(
    into: Store, path: Path, document_id: int, span: Mapping[str, Any], label: Label
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


def _copy_history(
    conn: sqlite3.Connection,
    source: Source,
    doc_map: Mapping[int, int],
    span_map: Mapping[int, int],
    result: SourceReport,
) -> None:
    """The file's history entries not taken before, each with its analyst and time, pointing
    at the team project's documents and spans."""
    row = conn.execute(
        "SELECT last_change FROM merges WHERE source_project = ?", (source.project_id,)
    ).fetchone()
    last = row[0] if row else 0
    new = [c for c in source.changes if c["id"] > last]
    for change in new:
        details = dict(change["details"]) if isinstance(change["details"], dict) else {}
        details["merged_from"] = source.project_id
        span = span_map.get(change["span"]) if change["span"] is not None else None
        if change["span"] is not None and span is None:
            details["source_span"] = change["span"]  # a span no longer in the file
        conn.execute(
            "INSERT INTO changes (at, annotator, action, document_id, span_id, details)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                change["at"],
                change["annotator"],
                change["action"],
                doc_map.get(change["document"]) if change["document"] is not None else None,
                span,
                json.dumps(details, ensure_ascii=False),
            ),
        )
    result.history_added = len(new)
    if new or row is None:
        conn.execute(
            "INSERT INTO merges (source_project, source_path, last_change, merged_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (source_project) DO UPDATE SET"
            " source_path = excluded.source_path, last_change = excluded.last_change,"
            " merged_at = excluded.merged_at",
            (
                source.project_id,
                str(source.path),
                max([last, *(c["id"] for c in new)]),
                utc_now(),
            ),
        )
