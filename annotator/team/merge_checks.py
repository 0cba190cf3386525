"""The checks that refuse a merge that would mix two people's work or take work back in time:
a rename onto a name another analyst already has (in a file of the merge or in the team
project), and a file older than the one merged from it before, or whose history parts from it
(unless asked for).

They read the team project's record of where its work came from (``merges``, ``work_sources``)
and write nothing to it. An older file is only known to undo anything once its work has been
written, inside the merge's transaction: refused then, that work is rolled back with the rest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from annotator.printable import printable
from annotator.store.project import Store
from annotator.team.merge_report import MergeError, SourceReport
from annotator.team.merge_source import Source


def check_renames(into: Store, read: Sequence[Source], renames: Mapping[str, str]) -> None:
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
                    f"from {project_path(into.conn, project)}"
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


def project_path(conn: sqlite3.Connection, project_id: str) -> str:
    """The file a project was last merged from, as printed (its id, if it never was)."""
    row = conn.execute(
        "SELECT source_path FROM merges WHERE source_project = ?", (project_id,)
    ).fetchone()
    return printable(row[0]) if row else f"project {project_id}"


def unchanged_since_merged(conn: sqlite3.Connection, source: Source) -> bool:
    """Whether this file was merged before and holds no change made since: it brings nothing
    new, whatever the team project came to hold meanwhile."""
    row = conn.execute(
        "SELECT last_change FROM merges WHERE source_project = ?", (source.project_id,)
    ).fetchone()
    return row is not None and source.changes_end <= row[0]


def older_than_merged(
    conn: sqlite3.Connection, source: Source, doc_map: Mapping[int, int]
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
    end = source.changes_end
    if end < last:
        return f"its history has {end} entries; {last} were merged from {printable(merged_from)}"
    entry = conn.execute(
        f"SELECT at, action, document_id FROM {source.staged('changes')} WHERE id = ?", (last,)
    ).fetchone()
    if entry is None or last > source.history_end:  # made by upgrading the copy: not comparable
        return None
    at, action, document = entry
    copied = conn.execute(
        "SELECT 1 FROM changes WHERE document_id IS ? AND at = ? AND action = ?"
        " AND json_extract(details, '$.merged_from') = ? LIMIT 1",
        (doc_map.get(document) if document is not None else None, at, action, source.project_id),
    ).fetchone()
    if copied is None:
        return (
            f"its history parts from the one merged from {printable(merged_from)} "
            f"before entry {last}"
        )
    return None


def settle_older(path: Path, older: str | None, result: SourceReport, allow_older: bool) -> None:
    """Refuse a file older than the work merged from it before (``older`` says why) once
    merging it has changed that work, saying what it would undo; unless ``allow_older``:
    then the report says its work replaced the newer."""
    if older is not None and result.changed_work:
        if not allow_older:
            raise MergeError(
                f"{printable(path)} is older than the work merged from it before "
                f"({older}): merging it would undo newer work ({result.undone_text()}). "
                "Nothing was merged; to take the team project back to this file's work, "
                "merge it with --allow-older."
            )
        result.older = older
