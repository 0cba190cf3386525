"""A file to merge, as the merge reads it: everything it takes from the file, read at once from
a consistent copy (see :mod:`annotator.store.snapshot`), its analysts already under the names
``--rename`` gives them.

Read whole before anything is written, so that a file that cannot be read, or is not a
project, is refused with nothing written; and from a copy, so that the file itself is never
written, even when it is older and opening it upgrades it.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.printable import printable
from annotator.store.project import Store
from annotator.store.project_file import ProjectError
from annotator.store.snapshot import snapshot
from annotator.team.merge_report import MergeError


@dataclass
class Source:
    """What a merge takes from one project file, its analysts under their merged names."""

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


def read_source(path: Path, renames: Mapping[str, str]) -> Source:
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


def _take(path: Path, store: Store, renames: Mapping[str, str]) -> Source:
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
    return Source(
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
