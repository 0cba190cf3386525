"""Several analysts' projects brought into one team project, each analyst's work kept apart.

Documents are matched by their text hash, labels by name. Every span, note, status and history
entry keeps its analyst. A project has an id of its own, and the team project remembers,
for each analyst on each document, which project that work came from: merging the same file
again brings only what changed in it since (nothing, if nothing did), while the same analyst
name with different work on one document in two files is refused, so that two people who
share a name are never mixed (``renames`` tells them apart).

A merge is one transaction: refused, it leaves the team project as it was. The sources are
only read, through a copy made without writing anything beside them (see
:mod:`annotator.snapshot`), so a file still open in a window, or in a folder the user may
only read, can be merged.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.model import Refused, utc_now
from annotator.printable import printable
from annotator.project_file import ProjectError
from annotator.snapshot import snapshot
from annotator.statuses import write_status, write_status_overall
from annotator.store import Store

# A span's identity within one analyst's work on one document.
SpanKey = tuple[int, int, str, str]  # (start, end, label, origin)


class MergeError(Refused):
    """A merge that cannot be made as asked; nothing was written."""


@dataclass
class SourceReport:
    path: str
    analysts: list[str] = field(default_factory=list)
    documents_added: int = 0
    documents_matched: int = 0
    spans_added: int = 0
    spans_removed: int = 0
    notes_changed: int = 0
    statuses_set: int = 0
    history_added: int = 0
    curations_added: int = 0
    relations_added: int = 0
    relations_removed: int = 0
    relation_types_added: list[str] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    labels_missing: list[str] = field(default_factory=list)  # the team has them, it has not

    @property
    def added_anything(self) -> bool:
        return bool(
            self.documents_added
            or self.spans_added
            or self.spans_removed
            or self.notes_changed
            or self.statuses_set
            or self.history_added
            or self.curations_added
            or self.relations_added
            or self.relations_removed
            or self.relation_types_added
            or self.labels_added
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "analysts": self.analysts,
            "documents_added": self.documents_added,
            "documents_matched": self.documents_matched,
            "spans_added": self.spans_added,
            "spans_removed": self.spans_removed,
            "notes_changed": self.notes_changed,
            "statuses_set": self.statuses_set,
            "history_added": self.history_added,
            "curations_added": self.curations_added,
            "relations_added": self.relations_added,
            "relations_removed": self.relations_removed,
            "relation_types_added": self.relation_types_added,
            "labels_added": self.labels_added,
            "labels_missing": self.labels_missing,
        }


@dataclass
class MergeReport:
    into: str
    sources: list[SourceReport] = field(default_factory=list)

    def summary(self) -> str:
        def n(count: int, noun: str) -> str:
            return f"{count} {noun}{'' if count == 1 else 's'}"

        lines = []
        for s in self.sources:
            who = ", ".join(s.analysts) or "no analyst"
            if not s.added_anything:
                lines.append(
                    f"{printable(s.path)} ({who}): nothing new; "
                    f"{n(s.documents_matched, 'document')} already there."
                )
            else:
                entries = f"{s.history_added} history entr{'y' if s.history_added == 1 else 'ies'}"
                lines.append(
                    f"{printable(s.path)} ({who}): {n(s.documents_added, 'document')} added, "
                    f"{s.documents_matched} already there; {n(s.spans_added, 'span')} added, "
                    f"{s.spans_removed} removed, {n(s.notes_changed, 'note')} changed; "
                    f"{_statuses(s.statuses_set)} set; {entries} added."
                )
            if s.relations_added or s.relations_removed:
                lines.append(
                    f"  relations: {s.relations_added} added, {s.relations_removed} removed"
                )
            if s.relation_types_added:
                lines.append(f"  relation types added from it: {', '.join(s.relation_types_added)}")
            if s.labels_added:
                lines.append(f"  labels added from it: {', '.join(s.labels_added)}")
            if s.labels_missing:
                lines.append(
                    f"  labels the team project has and it lacks: {', '.join(s.labels_missing)}"
                )
        if not any(s.added_anything for s in self.sources):
            lines.append(f"Nothing new was merged into {printable(self.into)}.")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"into": self.into, "sources": [s.to_json() for s in self.sources]}


def _statuses(count: int) -> str:
    return f"{count} status" if count == 1 else f"{count} statuses"


def parse_renames(values: Sequence[str]) -> dict[str, str]:
    """``OLD=NEW`` pairs, refused with a message when malformed or contradictory."""
    renames: dict[str, str] = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise MergeError(f"--rename {value!r}: write it as OLD=NEW")
        if old in renames and renames[old] != new:
            raise MergeError(f"--rename gives {old!r} two new names")
        renames[old] = new
    return renames


@dataclass
class _Source:
    path: Path
    project_id: str
    labels: dict[int, dict[str, Any]]
    documents: dict[int, dict[str, Any]]
    spans: list[dict[str, Any]]
    statuses: list[tuple[int, str, str, str]]  # (document, analyst, status, updated_at)
    changes: list[dict[str, Any]]
    curations: list[tuple[int, str, str]]  # (document, curator, curated_at)
    relation_types: list[dict[str, Any]]
    relations: list[dict[str, Any]]


def _read_source(path: Path, renames: Mapping[str, str]) -> _Source:
    """Everything a merge takes from a project, from a consistent copy of it."""
    shown = printable(path)
    if not path.is_file():
        raise MergeError(
            f"{shown}: no such project file"
            if not path.exists()
            else f"{shown} is not a project file"
        )
    if path.stat().st_size == 0:
        raise MergeError(f"{shown}: the file is empty, not a project")
    with tempfile.TemporaryDirectory(prefix="annotator-merge-") as folder:
        copy = Path(folder) / "source.db"
        try:
            snapshot(path, copy)
        except (sqlite3.Error, OSError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise MergeError(f"{shown}: cannot be read ({reason})") from None
        try:
            with Store(copy, "merge") as store:  # checks it, and upgrades the copy if older
                return _take(path, store, renames)
        except ProjectError as e:  # said of the copy: say it of the file
            message = str(e).replace(printable(copy), shown)
            raise MergeError(message.replace(" It was left untouched.", "")) from None


def _take(path: Path, store: Store, renames: Mapping[str, str]) -> _Source:
    def who(name: str) -> str:
        return renames.get(name, name)

    conn = store.conn
    labels = {
        r[0]: {"name": r[1], "color": r[2], "hotkey": r[3], "definition": r[4]}
        for r in conn.execute("SELECT id, name, color, hotkey, definition FROM labels")
    }
    documents = {
        r[0]: {
            "title": r[1],
            "text": r[2],
            "text_hash": r[3],
            "meta": r[4],
            "external_id": r[5],
            "source": r[6],
            "created_at": r[7],
        }
        for r in conn.execute(
            "SELECT id, title, text, text_hash, meta, external_id, source, created_at"
            " FROM documents ORDER BY id"
        )
    }
    spans = [
        {
            "id": r[0],
            "document": r[1],
            "start": r[2],
            "end": r[3],
            "label": labels[r[4]]["name"],
            "text": r[5],
            "annotator": who(r[6]),
            "note": r[7],
            "origin": r[8],
            "created_at": r[9],
            "updated_at": r[10],
            "suggester": r[11],
            "score": r[12],
            "attributes": r[13],
        }
        for r in conn.execute(
            'SELECT id, document_id, start, "end", label_id, text, annotator, note, origin,'
            " created_at, updated_at, suggester, score, attributes FROM spans ORDER BY id"
        )
    ]
    relation_types = [
        {"name": t.name, "color": t.color, "heads": t.heads, "children": t.children,
         "definition": t.definition}
        for t in store.relation_types()
    ]  # fmt: skip
    relations = [
        {
            "document": r[0],
            "head": r[1],
            "child": r[2],
            "label": r[3],
            "annotator": who(r[4]),
            "origin": r[5],
            "created_at": r[6],
            "updated_at": r[7],
        }
        for r in conn.execute(
            "SELECT r.document_id, r.head, r.child, t.name, r.annotator, r.origin, r.created_at,"
            " r.updated_at FROM relations r JOIN relation_types t ON t.id = r.type_id ORDER BY r.id"
        )
    ]
    statuses = [
        (r[0], who(r[1]), r[2], r[3])
        for r in conn.execute("SELECT document_id, annotator, status, updated_at FROM statuses")
    ]
    changes = []
    for r in conn.execute(
        "SELECT id, at, annotator, action, document_id, span_id, details FROM changes ORDER BY id"
    ):
        details = json.loads(r[6])
        if isinstance(details, dict) and isinstance(details.get("of"), str):
            details["of"] = who(details["of"])
        changes.append(
            {
                "id": r[0],
                "at": r[1],
                "annotator": who(r[2]),
                "action": r[3],
                "document": r[4],
                "span": r[5],
                "details": details,
            }
        )
    curations = [
        (r[0], who(r[1]), r[2])
        for r in conn.execute("SELECT document_id, curator, curated_at FROM curations")
    ]
    return _Source(
        path,
        str(store.get_setting("id")),
        labels,
        documents,
        spans,
        statuses,
        changes,
        curations,
        relation_types,
        relations,
    )


def merge_projects(
    into: Store,
    sources: Sequence[str | os.PathLike[str]],
    renames: Mapping[str, str] | None = None,
) -> MergeReport:
    """Merge each of ``sources`` into the project ``into``; one transaction for them all."""
    renames = dict(renames or {})
    report = MergeReport(str(into.path))
    team_id = str(into.get_setting("id"))
    read = []
    for raw in sources:
        path = Path(raw)
        try:
            source = _read_source(path, renames)
        except ProjectError as e:
            raise MergeError(str(e)) from None
        if source.project_id == team_id:
            raise MergeError(f"{printable(path)} is the team project itself")
        read.append(source)
    with into.bulk_writes(), into.transaction():
        for source in read:
            report.sources.append(_merge_one(into, source))
        if any(s.added_anything for s in report.sources):
            into.record_change(
                "merge",
                sources=[s.path for s in report.sources],
                documents=sum(s.documents_added for s in report.sources),
                spans=sum(s.spans_added for s in report.sources),
            )
    return report


def _merge_one(into: Store, source: _Source) -> SourceReport:
    conn = into.conn
    result = SourceReport(str(source.path))
    now = utc_now()
    # Labels by name.
    team_labels = {lab.name: lab for lab in into.labels()}
    used_keys = {lab.hotkey for lab in team_labels.values() if lab.hotkey}
    for spec in source.labels.values():
        if spec["name"] not in team_labels:
            hotkey = spec["hotkey"] if spec["hotkey"] not in used_keys else None
            label = into.add_label(spec["name"], spec["color"], hotkey, spec["definition"] or "")
            team_labels[label.name] = label
            if hotkey:
                used_keys.add(hotkey)
            result.labels_added.append(label.name)
    team_types = {kind.name for kind in into.relation_types()}
    for spec in source.relation_types:
        if spec["name"] not in team_types:
            heads = [h for h in spec["heads"] if h in team_labels]
            children = [c for c in spec["children"] if c in team_labels]
            into.add_relation_type(spec["name"], spec["color"], heads, children, spec["definition"])
            result.relation_types_added.append(spec["name"])
    names = {spec["name"] for spec in source.labels.values()}
    result.labels_missing = sorted(set(team_labels) - names)
    label_ids = {name: lab.id for name, lab in team_labels.items()}

    # Documents by text hash.
    doc_map: dict[int, int] = {}
    for sid, doc in source.documents.items():
        found = into.document_id_by_hash(doc["text_hash"])
        if found is None:
            found = into.insert_document(
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
                f"from {_source_path(conn, came_from[0])}"
                if came_from
                else "made in the team project itself"
            )
            conflicts.append(
                f"{printable(source.path)}: analyst {who!r} has other work on document "
                f"{into.document_row(tdoc).title!r} than the team project holds ({where})"
            )
            conflicting.add(who)
            continue
        _replace_work(into, tdoc, who, mine, theirs, label_ids, span_map, result)
        replaced.append((sdoc, tdoc, who))
        if status is not None and (team_status is None or team_status[0] != status[0]):
            write_status(conn, tdoc, who, status[0], status[1])
            result.statuses_set += 1
        elif status is None and team_status is not None:
            conn.execute(
                "DELETE FROM statuses WHERE document_id = ? AND annotator = ?", (tdoc, who)
            )
            write_status_overall(conn, tdoc)
            result.statuses_set += 1
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
            f"with --rename {sorted(conflicting)[0]}=NEW_NAME. Nothing was merged."
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
    return result


def _source_path(conn: sqlite3.Connection, project_id: str) -> str:
    row = conn.execute(
        "SELECT source_path FROM merges WHERE source_project = ?", (project_id,)
    ).fetchone()
    return printable(row[0]) if row else f"project {project_id}"


def _replace_relations(
    into: Store,
    source: _Source,
    replaced: list[tuple[int, int, str]],
    span_map: Mapping[int, int],
    result: SourceReport,
) -> None:
    """Each replaced piece of work's relations become the file's: an analyst's relations on
    a document, their ends mapped to the team project's spans."""
    conn = into.conn
    type_ids = {kind.name: kind.id for kind in into.relation_types()}
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
            if head is not None and child is not None and rel["label"] in type_ids:
                wanted.append(((head, child, rel["label"]), rel))
        keep = {key for key, _ in wanted}
        for key, rid in have.items():
            if key not in keep:
                conn.execute("DELETE FROM relations WHERE id = ?", (rid,))
                result.relations_removed += 1
        for key, rel in wanted:
            if key in have:
                continue
            conn.execute(
                "INSERT INTO relations (document_id, head, child, type_id, annotator, origin,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    tdoc,
                    key[0],
                    key[1],
                    type_ids[key[2]],
                    who,
                    rel["origin"],
                    rel["created_at"],
                    rel["updated_at"],
                ),
            )
            have[key] = -1
            result.relations_added += 1


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
    document_id: int,
    who: str,
    mine: list[dict[str, Any]],
    theirs: list[dict[str, Any]],
    label_ids: Mapping[str, int | None],
    span_map: dict[int, int],
    result: SourceReport,
) -> None:
    """Make the team project's copy of one analyst's work on one document equal the file's."""
    conn = into.conn
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
                    (span["note"], span["attributes"], span["updated_at"], kept["id"]),
                )
                result.notes_changed += 1
            continue
        incoming.append(span)
        rows.append(
            (
                document_id,
                span["start"],
                span["end"],
                label_ids[span["label"]],
                span["text"],
                who,
                span["note"],
                span["origin"],
                span["created_at"],
                span["updated_at"],
                span["suggester"],
                span["score"],
                span["attributes"],
            )
        )
    gone = [s for spans in free.values() for s in spans]
    if gone:
        conn.executemany("DELETE FROM spans WHERE id = ?", [(s["id"],) for s in gone])
        counted = sum(1 for s in gone if s["origin"] != "suggested")
        into.count_new_spans(document_id, -counted)
        result.spans_removed += len(gone)
    for span, row in zip(incoming, rows, strict=True):
        span_map[span["id"]] = into.insert_span(row)
    if rows:
        into.count_new_spans(document_id, sum(1 for r in rows if r[7] != "suggested"))
        result.spans_added += len(rows)


def _copy_history(
    conn: sqlite3.Connection,
    source: _Source,
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
