"""Several analysts' projects brought into one team project, each analyst's work kept apart.

Documents are matched by their text hash, labels by name. Every span, note, status and history
entry keeps its analyst. A project has an id of its own, and the team project remembers,
for each analyst on each document, which project that work came from: merging the same file
again brings only what changed in it since (nothing, if nothing did), while the same analyst
name with different work on one document in two files is refused, so that two people who
share a name are never mixed (``renames`` tells them apart; a rename onto a name someone
else already has is refused, for the same reason).

A file whose history is shorter than what was merged from it before (an older copy, a
backup), or parts from it, would take its analysts' work back in time: that is refused,
with what it would undo, unless asked for (``allow_older``).

The team project never holds what it would itself refuse: a label's attribute declarations
come with it (the same attribute declared as free text in one file and as a choice in another
is refused; two choices take both lists of values), a relation type of the same name allows
the ends both files allow, and a span or relation that fits neither is refused.

A merge is one transaction: refused, it leaves the team project as it was. The sources are
only read, through a copy made without writing anything beside them (see
:mod:`annotator.store.snapshot`), so a file still open in a window, or in a folder the user may
only read, can be merged.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.model import (
    AnalystNameError,
    Label,
    LabelError,
    Refused,
    check_analyst_name,
    check_attributes,
    utc_now,
)
from annotator.printable import printable
from annotator.store.project import Store
from annotator.store.project_file import ProjectError
from annotator.store.snapshot import snapshot
from annotator.store.statuses import write_status, write_status_overall

# A span's identity within one analyst's work on one document.
SpanKey = tuple[int, int, str, str]  # (start, end, label, origin)


class MergeError(Refused):
    """A merge that cannot be made as asked; nothing was written."""


# What a file older than the work merged from it would undo, per analyst, in this order.
UNDONE = (
    ("span", "removed"),
    ("span", "added"),
    ("span", "changed"),
    ("relation", "removed"),
    ("relation", "added"),
    ("status", "changed"),
)


def _n(count: int, noun: str) -> str:
    plural = noun + ("es" if noun.endswith("s") else "s")
    return f"{count} {noun if count == 1 else plural}"


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
    #: Types of the team project that now also allow the ends this file's allow.
    relation_types_widened: list[dict[str, Any]] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    labels_missing: list[str] = field(default_factory=list)  # the team has them, it has not
    attributes_added: list[str] = field(default_factory=list)  # "label.attribute"
    attribute_values_added: dict[str, list[str]] = field(default_factory=dict)
    #: Why the file is older than the work merged from it before, when it replaced that work.
    older: str | None = None
    #: Per analyst, what this merge undid of the team project's copy of their work.
    undone: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict, repr=False)

    @property
    def changed_work(self) -> bool:
        return bool(
            self.spans_added
            or self.spans_removed
            or self.notes_changed
            or self.statuses_set
            or self.relations_added
            or self.relations_removed
        )

    @property
    def added_anything(self) -> bool:
        return bool(
            self.changed_work
            or self.documents_added
            or self.history_added
            or self.curations_added
            or self.relation_types_added
            or self.relation_types_widened
            or self.labels_added
            or self.attributes_added
            or self.attribute_values_added
        )

    def count_undone(self, who: str, what: tuple[str, str], count: int = 1) -> None:
        if count:
            self.undone.setdefault(who, Counter())[what] += count

    def undone_text(self) -> str:
        """``ana: 2 spans removed, 1 status changed; bo: ...``"""
        return "; ".join(
            f"{who}: "
            + ", ".join(f"{_n(counts[what], what[0])} {what[1]}" for what in UNDONE if counts[what])
            for who, counts in sorted(self.undone.items())
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
            "relation_types_widened": self.relation_types_widened,
            "labels_added": self.labels_added,
            "labels_missing": self.labels_missing,
            "attributes_added": self.attributes_added,
            "attribute_values_added": self.attribute_values_added,
            "older_copy": self.older is not None,
        }


@dataclass
class MergeReport:
    into: str
    sources: list[SourceReport] = field(default_factory=list)

    def summary(self) -> str:
        lines = []
        for s in self.sources:
            who = ", ".join(map(printable, s.analysts)) or "no analyst"
            if not s.added_anything:
                lines.append(
                    f"{printable(s.path)} ({who}): nothing new; "
                    f"{_n(s.documents_matched, 'document')} already there."
                )
            else:
                entries = f"{s.history_added} history entr{'y' if s.history_added == 1 else 'ies'}"
                lines.append(
                    f"{printable(s.path)} ({who}): {_n(s.documents_added, 'document')} added, "
                    f"{s.documents_matched} already there; {_n(s.spans_added, 'span')} added, "
                    f"{s.spans_removed} removed, {_n(s.notes_changed, 'note')} changed; "
                    f"{_n(s.statuses_set, 'status')} set; {entries} added."
                )
            lines.extend(_scheme_lines(s))
            if s.older is not None:
                lines.append(
                    f"  older than the work merged from it before ({s.older}); as "
                    f"--allow-older asked, its work replaced the newer ({s.undone_text()})"
                )
        if not any(s.added_anything for s in self.sources):
            lines.append(f"Nothing new was merged into {printable(self.into)}.")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"into": self.into, "sources": [s.to_json() for s in self.sources]}


def _scheme_lines(s: SourceReport) -> list[str]:
    """The report's lines on relations and on what the team project's scheme took from it."""
    lines = []
    if s.relations_added or s.relations_removed:
        lines.append(f"  relations: {s.relations_added} added, {s.relations_removed} removed")
    if s.relation_types_added:
        lines.append(f"  relation types added from it: {', '.join(s.relation_types_added)}")
    if s.relation_types_widened:
        widened = ", ".join(
            f"{t['name']} (now from {_ends(t['heads'])} to {_ends(t['children'])})"
            for t in s.relation_types_widened
        )
        lines.append(f"  relation types widened to allow its ends too: {widened}")
    if s.labels_added:
        lines.append(f"  labels added from it: {', '.join(s.labels_added)}")
    if s.attributes_added:
        lines.append(f"  label attributes added from it: {', '.join(s.attributes_added)}")
    if s.attribute_values_added:
        values = ", ".join(
            f"{name} ({' | '.join(added)})" for name, added in s.attribute_values_added.items()
        )
        lines.append(f"  attribute values added from it: {values}")
    if s.labels_missing:
        lines.append(f"  labels the team project has and it lacks: {', '.join(s.labels_missing)}")
    return lines


def _ends(labels: Sequence[str]) -> str:
    return " or ".join(labels) or "any label"


def parse_renames(values: Sequence[str]) -> dict[str, str]:
    """``OLD=NEW`` pairs, refused with a message when malformed or contradictory."""
    renames: dict[str, str] = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise MergeError(f"--rename {value!r}: write it as OLD=NEW")
        try:
            new = check_analyst_name(new)
        except AnalystNameError as e:
            raise MergeError(f"--rename {value!r}: {e}") from None
        if old in renames and renames[old] != new:
            raise MergeError(f"--rename gives {old!r} two new names")
        others = [name for name, given in renames.items() if given == new and name != old]
        if others:
            raise MergeError(
                f"--rename gives {others[0]!r} and {old!r} the same new name {new!r}, which "
                "would make two analysts one; give each a name of their own"
            )
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
    #: The analysts with work in it (spans, statuses, relations), by their names in the file.
    named: set[str] = field(default_factory=set)
    #: Its last history entry before this merge's copy of it was upgraded, when it was older.
    history_end: int = 0


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
            history_end = _last_change(copy)
        except (sqlite3.Error, OSError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise MergeError(f"{shown}: cannot be read ({reason})") from None
        try:
            with Store(copy, "merge") as store:  # checks it, and upgrades the copy if older
                source = _take(path, store, renames)
                source.history_end = history_end
                return source
        except ProjectError as e:  # said of the copy: say it of the file
            message = str(e).replace(printable(copy), shown)
            raise MergeError(message.replace(" It was left untouched.", "")) from None


def _last_change(copy: Path) -> int:
    """The id of a project's last history entry (0 for none, or for a file that is not a
    project, which opening it then refuses)."""
    conn = sqlite3.connect(copy)
    try:
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def _take(path: Path, store: Store, renames: Mapping[str, str]) -> _Source:
    def who(name: str) -> str:
        return renames.get(name, name)

    conn = store.conn
    labels = {
        r[0]: {
            "name": r[1],
            "color": r[2],
            "hotkey": r[3],
            "definition": r[4],
            "attributes": json.loads(r[5] or "[]"),
        }
        for r in conn.execute("SELECT id, name, color, hotkey, definition, attributes FROM labels")
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
        for t in store.relation_types.all()
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
        named={
            r[0]
            for r in conn.execute(
                "SELECT annotator FROM spans UNION SELECT annotator FROM statuses"
                " UNION SELECT annotator FROM relations"
            )
        },
    )


def merge_projects(
    into: Store,
    sources: Sequence[str | os.PathLike[str]],
    renames: Mapping[str, str] | None = None,
    *,
    allow_older: bool = False,
) -> MergeReport:
    """Merge each of ``sources`` into the project ``into``; one transaction for them all.

    A file older than the work merged from it before is refused, saying what it would undo,
    unless ``allow_older``: then its work replaces the newer.
    """
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
    declared: dict[tuple[str, str], Path] = {}  # (label, attribute): the file that declared it
    with into.bulk_writes(), into.transaction():
        _check_renames(into, read, renames)
        for source in read:
            report.sources.append(_merge_one(into, source, declared, allow_older))
        if any(s.added_anything for s in report.sources):
            into.record_change(
                "merge",
                sources=[s.path for s in report.sources],
                documents=sum(s.documents_added for s in report.sources),
                spans=sum(s.spans_added for s in report.sources),
            )
    return report


def _check_renames(into: Store, read: Sequence[_Source], renames: Mapping[str, str]) -> None:
    """Refuse a rename onto a name another analyst already has, in a file of this merge or in
    the team project: two people's work would become one person's."""
    for old, new in renames.items():
        renamed = [s for s in read if old in s.named]
        if not renamed or new == old:
            continue
        asked = f"--rename {old}={new}"
        if new not in renames:  # unless it is renamed too, an analyst of that name keeps it
            for other in read:
                if new in other.named:
                    raise MergeError(
                        f"{asked}: {printable(other.path)} already has an analyst {new!r}, and "
                        f"the work of {old!r} would become theirs; choose a name no one has. "
                        "Nothing was merged."
                    )
        allowed = {s.project_id for s in renamed}  # a file merged before under that rename
        for project in _team_sources_of(into.conn, new):
            if project not in allowed:
                where = (
                    f"from {_source_path(into.conn, project)}"
                    if project
                    else "made in the team project itself"
                )
                raise MergeError(
                    f"{asked}: the team project {printable(into.path)} already has work by an "
                    f"analyst {new!r} ({where}), and the work of {old!r} would become theirs; "
                    "choose a name no one has. Nothing was merged."
                )


def _team_sources_of(conn: sqlite3.Connection, who: str) -> list[str | None]:
    """The projects the team project's work by ``who`` came from (None: made in it)."""
    found = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT w.source_project FROM (SELECT document_id FROM spans"
            " WHERE annotator = ? UNION SELECT document_id FROM statuses WHERE annotator = ?"
            " UNION SELECT document_id FROM relations WHERE annotator = ?) AS held"
            " LEFT JOIN work_sources w ON w.document_id = held.document_id AND w.annotator = ?",
            (who, who, who, who),
        )
    }
    return sorted(found, key=lambda project: project or "")


def _merge_one(
    into: Store,
    source: _Source,
    declared: dict[tuple[str, str], Path],
    allow_older: bool,
) -> SourceReport:
    conn = into.conn
    result = SourceReport(str(source.path))
    _merge_labels(into, source, declared, result)
    _merge_relation_types(into, source, result)
    labels = {lab.name: lab for lab in into.labels.all()}  # as the team project now declares them
    doc_map = _match_documents(into, source, result)
    older = _older_than_merged(conn, source, doc_map)

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
    if older is not None and result.changed_work:
        if not allow_older:
            raise MergeError(
                f"{printable(source.path)} is older than the work merged from it before "
                f"({older}): merging it would undo newer work ({result.undone_text()}). "
                "Nothing was merged; to take the team project back to this file's work, "
                "merge it with --allow-older."
            )
        result.older = older
    return result


def _merge_labels(
    into: Store, source: _Source, declared: dict[tuple[str, str], Path], result: SourceReport
) -> None:
    """The file's labels in the team project by name: a missing one added, with the attributes
    it declares; one the team project has takes the file's attribute declarations too."""
    team_labels = {lab.name: lab for lab in into.labels.all()}
    used_keys = {lab.hotkey for lab in team_labels.values() if lab.hotkey}
    for spec in source.labels.values():
        label = team_labels.get(spec["name"])
        if label is not None:
            _merge_attributes(into, label, spec["attributes"], source.path, declared, result)
            continue
        hotkey = spec["hotkey"] if spec["hotkey"] not in used_keys else None
        try:
            label = into.labels.add(spec["name"], spec["color"], hotkey, spec["definition"] or "")
        except LabelError as e:  # one differing from a team label in case alone, say
            raise MergeError(
                f"{printable(source.path)}: its label {spec['name']!r} cannot be added to the "
                f"team project ({e}); rename one of the two, then merge again. Nothing was merged."
            ) from None
        if spec["attributes"]:
            _declare_attributes(into, label.name, spec["attributes"], source.path)
        for attribute in spec["attributes"]:
            declared[(label.name, attribute["name"])] = source.path
        team_labels[label.name] = label
        if hotkey:
            used_keys.add(hotkey)
        result.labels_added.append(label.name)
    names = {spec["name"] for spec in source.labels.values()}
    result.labels_missing = sorted(set(team_labels) - names)


def _merge_attributes(
    into: Store,
    label: Label,
    theirs: Sequence[dict[str, Any]],
    path: Path,
    declared: dict[tuple[str, str], Path],
    result: SourceReport,
) -> None:
    """Declare on the team project's label the attributes the file's label declares: a missing
    one is added, a choice takes the values of both; an attribute that is free text in one and
    a choice in the other is refused, as no declaration fits both files' values."""
    ours = [dict(a) for a in label.attributes]
    by_name = {a["name"]: a for a in ours}
    changed = False
    for attribute in theirs:
        name = attribute["name"]
        shown = f"{label.name}.{name}"
        have = by_name.get(name)
        if have is None:
            ours.append(dict(attribute))
            by_name[name] = ours[-1]
            declared[(label.name, name)] = path
            result.attributes_added.append(shown)
            changed = True
        elif have.get("kind", "text") != attribute.get("kind", "text"):
            other = declared.get((label.name, name))
            where = printable(other) if other else f"the team project {printable(into.path)}"
            raise MergeError(
                f"{printable(path)}: label {label.name!r} declares attribute {name!r} as "
                f"{_declared_as(attribute)}, but {where} declares it as {_declared_as(have)}; "
                "make the two declarations agree, then merge again. Nothing was merged."
            )
        elif have.get("kind") == "choice":
            added = [v for v in attribute.get("values", []) if v not in have["values"]]
            if added:
                have["values"] = [*have["values"], *added]
                result.attribute_values_added.setdefault(shown, []).extend(added)
                changed = True
    if changed:
        _declare_attributes(into, label.name, ours, path)


def _declare_attributes(
    into: Store, label: str, attributes: Sequence[dict[str, Any]], path: Path
) -> None:
    try:
        into.labels.set_attributes(label, list(attributes))
    except LabelError as e:  # a file whose declarations were not written by annotator
        raise MergeError(
            f"{printable(path)}: label {label!r} declares its attributes wrongly ({e}). "
            "Nothing was merged."
        ) from None


def _declared_as(attribute: Mapping[str, Any]) -> str:
    if attribute.get("kind") == "choice":
        return f"a choice of {' | '.join(attribute.get('values', []))}"
    return "free text"


def _merge_relation_types(into: Store, source: _Source, result: SourceReport) -> None:
    """The file's relation types in the team project by name: a missing one added; one the
    team project has is widened to allow the ends the file's allows too, so that every
    relation the file holds fits it."""
    labels = set(into.labels.ids())
    team_types = {kind.name: kind for kind in into.relation_types.all()}
    for spec in source.relation_types:
        kind = team_types.get(spec["name"])
        try:
            if kind is None:
                heads = [h for h in spec["heads"] if h in labels]
                children = [c for c in spec["children"] if c in labels]
                into.relation_types.add(
                    spec["name"], spec["color"], heads, children, spec["definition"]
                )
                result.relation_types_added.append(spec["name"])
                continue
            heads = _wider(kind.heads, spec["heads"], labels)
            children = _wider(kind.children, spec["children"], labels)
            if (heads, children) == (kind.heads, kind.children):
                continue
            into.relation_types.update(kind.name, heads=heads, children=children)
        except (Refused, LabelError) as e:
            raise MergeError(
                f"{printable(source.path)}: its relation type {spec['name']!r} cannot be "
                f"taken into the team project ({e}). Nothing was merged."
            ) from None
        result.relation_types_widened.append(
            {"name": kind.name, "heads": heads, "children": children}
        )


def _wider(ours: list[str], theirs: Sequence[str], labels: Iterable[str]) -> list[str]:
    """One end of a relation type once it also allows a file's (no label named: any label)."""
    if not ours:
        return ours
    if not theirs:
        return []
    known = set(labels)
    added = [name for name in theirs if name in known and name not in ours]
    return [*(name for name in ours if name in known), *added] if added else ours


def _match_documents(into: Store, source: _Source, result: SourceReport) -> dict[int, int]:
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


def _older_than_merged(
    conn: sqlite3.Connection, source: _Source, doc_map: Mapping[int, int]
) -> str | None:
    """Why the file is not a later state of the one merged from it before (an older copy of
    it, or a copy whose history parts from it), or None.

    A project's history only grows, and every entry merged is copied with its time: a later
    state of the file holds the last entry merged, as it was copied.
    """
    row = conn.execute(
        "SELECT last_change, source_path FROM merges WHERE source_project = ?",
        (source.project_id,),
    ).fetchone()
    if row is None:
        return None
    last, merged_from = row
    entries = {c["id"]: c for c in source.changes}
    end = max(entries, default=0)
    if end < last:
        return f"its history has {end} entries; {last} were merged from {printable(merged_from)}"
    entry = entries.get(last)
    if entry is None or last > source.history_end:  # made by upgrading the copy: not comparable
        return None
    document = doc_map.get(entry["document"]) if entry["document"] is not None else None
    copied = conn.execute(
        "SELECT 1 FROM changes WHERE document_id IS ? AND at = ? AND action = ?"
        " AND json_extract(details, '$.merged_from') = ? LIMIT 1",
        (document, entry["at"], entry["action"], source.project_id),
    ).fetchone()
    if copied is None:
        return (
            f"its history parts from the one merged from {printable(merged_from)} "
            f"before entry {last}"
        )
    return None


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
