"""A file to merge, as the merge reads it: everything it takes from the file, read at once from
a consistent copy (see :mod:`annotator.store.snapshot`), its analysts already under the names
``--rename`` gives them.

Read whole before anything is written, so that a file that cannot be read, or is not a
project, is refused with nothing written; and from a copy, so that the file itself is never
written, even when it is older and opening it upgrades it.

What the merge compares is read into Python; what it only copies (the texts, the spans' text,
the history's details) is staged in a scratch database beside the team project's connection,
for the merge to copy with SQL: a hundred thousand spans are then never Python objects.
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
from annotator.team.packets import PACKET_SETTING


@dataclass
class Source:
    """What a merge takes from one project file, its analysts under their merged names."""

    path: Path
    project_id: str
    labels: dict[int, dict[str, Any]]
    documents: dict[int, dict[str, Any]]  # by id, the text hash (the text is staged)
    spans: list[sqlite3.Row]  # without their text (staged)
    statuses: list[tuple[int, str, str, str]]  # (document, analyst, status, updated_at)
    curations: list[tuple[int, str, str]]  # (document, curator, curated_at)
    relation_types: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    #: The analysts with work in it (spans, statuses, relations), by their names in the file.
    named: set[str] = field(default_factory=set)
    #: Its last history entry before this merge's copy of it was upgraded, when it was older.
    history_end: int = 0
    #: Its last history entry (of the copy, upgraded if it was older).
    changes_end: int = 0
    #: The names its analysts are given (only those renamed), for the staged history.
    renames: dict[str, str] = field(default_factory=dict)
    #: The name of the merge's temporary tables for it (``temp.{work}_...``).
    work: str = ""
    #: The prefix of its staged tables' names (see :meth:`staged`), once staged.
    stage: str = ""
    #: What a packet says of itself (its ``packet`` setting); None for any other project.
    packet: dict[str, Any] | None = None

    def staged(self, table: str) -> str:
        """The staged table holding the file's ``documents``, ``spans`` or ``changes``."""
        assert self.stage, "the file was read without staging its tables"
        return f"{self.stage}{table}"


# The tables the merge copies from: the columns it reads, as the file's tables have them (those
# copied into the scratch database have these alone).
STAGED = {
    "documents": "id INTEGER PRIMARY KEY, external_id, title, text, text_hash, meta, source,"
    " created_at",
    "spans": 'id INTEGER PRIMARY KEY, start, "end", text, annotator, note, origin, created_at,'
    " updated_at, suggester, score, attributes",
    "changes": "id INTEGER PRIMARY KEY, at, annotator, action, document_id, span_id, details",
}


def read_source(path: Path, renames: Mapping[str, str], staging: Staging) -> Source:
    """Everything a merge takes from a project, from a consistent copy of it: what it compares
    read, the copy kept in ``staging`` for the merge to copy texts, spans and history from."""
    shown = printable(path)
    if not path.is_file():
        raise MergeError(
            f"{shown}: no such project file"
            if not path.exists()
            else f"{shown} is not a project file"
        )
    if path.stat().st_size == 0:
        raise MergeError(f"{shown}: the file is empty, not a project")
    copy = staging.next_copy()
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
    except ProjectError as e:  # said of the copy: say it of the file
        message = str(e).replace(printable(copy), shown)
        raise MergeError(message.replace(" It was left untouched.", "")) from None
    try:
        source.work, source.stage = staging.stage(copy)
    except sqlite3.Error as e:
        raise MergeError(f"{shown}: cannot be read ({e})") from None
    source.changes_end = staging.team.execute(
        f"SELECT coalesce(max(id), 0) FROM {source.staged('changes')}"
    ).fetchone()[0]
    return source


class Staging:
    """Where a merge keeps the copies of its files while it runs: a folder of its own, each
    copy attached to the team project's connection, so that what the merge only copies
    (texts, the spans' text, the history) is copied with SQL, never through Python.

    A file is attached only outside a transaction: this is done before the merge's. SQLite
    attaches ten files at most; past ``DIRECT`` of them, a file's tables are copied into one
    scratch database instead (attached once), and its copy detached again. At the end
    everything is detached, the merge's temporary tables dropped and the folder removed.
    """

    DIRECT = 8  # files attached as they are; two more places: the scratch, and a file to copy
    SCRATCH = "merge_staged"

    def __init__(self, team: sqlite3.Connection) -> None:
        self.team = team
        self.works: list[str] = []
        self.attached: list[str] = []
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Staging:
        self._folder = tempfile.TemporaryDirectory(prefix="annotator-merge-")
        return self

    def next_copy(self) -> Path:
        """Where to copy the next file (in a folder of the merge's own, with its journals)."""
        assert self._folder is not None
        return Path(self._folder.name) / f"source-{len(self.works)}.db"

    def stage(self, copy: Path) -> tuple[str, str]:
        """Attach a file's copy (or copy its tables into the scratch database); the name of
        the merge's temporary tables for it, and the prefix of its tables' names."""
        work = f"merge_{len(self.works)}"
        self.works.append(work)
        if len(self.works) <= self.DIRECT:
            self._attach(copy, f"{work}_file")
            return work, f"{work}_file."
        if self.SCRATCH not in self.attached:
            assert self._folder is not None
            self._attach(Path(self._folder.name) / "staged.db", self.SCRATCH)
            self.team.execute(f"PRAGMA {self.SCRATCH}.journal_mode = OFF")
            self.team.execute(f"PRAGMA {self.SCRATCH}.synchronous = OFF")
        self.team.execute("ATTACH DATABASE ? AS merge_file", (str(copy),))
        try:
            for table, columns in STAGED.items():
                names = ", ".join(c.split()[0] for c in columns.split(", "))
                target = f"{self.SCRATCH}.{work}_{table}"
                self.team.execute(f"CREATE TABLE {target} ({columns})")
                self.team.execute(
                    f"INSERT INTO {target} ({names}) SELECT {_taken(table, names)}"
                    f" FROM merge_file.{table} AS f"
                )
        finally:
            self.team.execute("DETACH DATABASE merge_file")
        return work, f"{self.SCRATCH}.{work}_"

    def _attach(self, path: Path, schema: str) -> None:
        self.team.execute(f"ATTACH DATABASE ? AS {schema}", (str(path),))
        self.attached.append(schema)

    def __exit__(self, *exc: object) -> None:
        try:
            for work in self.works:
                for table in WORK_TABLES:
                    self.team.execute(f"DROP TABLE IF EXISTS temp.{work}_{table}")
            for schema in self.attached:
                self.team.execute(f"DETACH DATABASE {schema}")
        finally:
            assert self._folder is not None
            self._folder.cleanup()


def _taken(table: str, names: str) -> str:
    """The columns copied into the scratch database: a document's text only when the team
    project has no document of that text (the merge adds only those; a returned packet's
    documents are all its lead's, and their texts are most of the file)."""
    if table != "documents":
        return names
    return names.replace(
        "text,",
        "CASE WHEN EXISTS (SELECT 1 FROM main.documents d WHERE d.text_hash = f.text_hash)"
        " THEN NULL ELSE f.text END,",
        1,
    )


def check_staged_texts(team: sqlite3.Connection, source: Source) -> None:
    """Refuse, before anything is written, a file whose document the team project lost
    between staging and the merge's transaction (its text was not staged, as the team project
    had it): said plainly, to merge again."""
    lost = team.execute(
        f"SELECT count(*) FROM {source.staged('documents')} s WHERE s.text IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.text_hash = s.text_hash)"
    ).fetchone()[0]
    if lost:
        raise MergeError(
            f"{printable(source.path)}: {lost:,} of its documents were deleted from the team "
            "project while the merge began; nothing was merged. Merge again."
        )


# The temporary tables the merge makes beside the staged ones (see merge_work).
WORK_TABLES = ("document_map", "span_map", "new_spans", "names")


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
    # From the text hash's index alone (the rows hold the texts, which the merge copies in SQL).
    documents = {
        r[0]: {"text_hash": r[1]}
        for r in sorted(conn.execute("SELECT id, text_hash FROM documents").fetchall())
    }
    # Read as rows SQLite builds (a hundred thousand spans are no dicts made in Python), each
    # analyst under the name the merge gives them.
    conn.execute("CREATE TEMP TABLE merge_names (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    conn.executemany("INSERT INTO merge_names (old, new) VALUES (?, ?)", renames.items())
    rows = conn.cursor()
    rows.row_factory = sqlite3.Row
    spans = rows.execute(
        'SELECT s.id, s.document_id AS document, s.start, s."end", l.name AS label,'
        " coalesce(n.new, s.annotator) AS annotator, s.note, s.origin, s.updated_at,"
        " s.attributes FROM spans s JOIN labels l ON l.id = s.label_id"
        " LEFT JOIN temp.merge_names n ON n.old = s.annotator ORDER BY s.id"
    ).fetchall()
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
            "id": r[8],
        }
        for r in conn.execute(
            "SELECT r.document_id, r.head, r.child, t.name, r.annotator, r.origin, r.created_at,"
            " r.updated_at, r.id FROM relations r JOIN relation_types t ON t.id = r.type_id"
            " ORDER BY r.id"
        )
    ]
    statuses = [
        (r[0], who(r[1]), r[2], r[3])
        for r in conn.execute("SELECT document_id, annotator, status, updated_at FROM statuses")
    ]
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
        renames=dict(renames),
        packet=packet if isinstance(packet := store.get_setting(PACKET_SETTING), dict) else None,
    )
