"""The project database: one SQLite file per project, read and written through sqlite-utils.

Every public method that changes something runs as its own committed transaction (or joins
the caller's, inside ``with store.transaction():``) and records itself in the append-only
``changes`` table. Methods return what they changed, so a view can update exactly that.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import __version__
from annotator.analyst import default_annotator
from annotator.model import (
    STATUSES,
    Label,
    check_analyst_name,
    utc_now,
)
from annotator.printable import printable
from annotator.resources import default_labels, default_relation_types
from annotator.store.backup import backup_path, copy_project
from annotator.store.connection import Connection
from annotator.store.documents import DocumentRow, Documents
from annotator.store.labels import LabelInUse, Labels
from annotator.store.migrations import (
    MIGRATION_SET,
    applied_names,
    apply_to_new,
    known_names,
    migration_set,
    pending_names,
    schema_problems,
)
from annotator.store.models import Models
from annotator.store.project_file import (
    BUSY_TIMEOUT_MS,
    ProjectError,
    check_file,
    restore_advice,
    sqlite_problem,
)
from annotator.store.relation_types import RelationTypes
from annotator.store.relations import Relations
from annotator.store.spans import Spans
from annotator.store.statuses import Statuses

if TYPE_CHECKING:
    from sqlite_utils import Database


class Store:
    """An open project. Use as a context manager or call :meth:`close`.

    Its parts each hold one kind of thing: ``store.spans``, ``store.labels``,
    ``store.relations``, ``store.relation_types``, ``store.statuses`` and ``store.models``
    (learned models); the documents and
    the project as a whole (opening, history, settings, backup, export) are the store's own.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        annotator: str | None = None,
        *,
        clock: Callable[[], str] | None = None,
        create: bool = True,
    ) -> None:
        """Open the project at ``path``; a missing one is made unless ``create`` is False.

        ``annotator`` is who the changes are recorded for (default: ``default_annotator``).
        """
        self.path = Path(path)
        self._database: Database | None = None
        # the name is checked before anything is made
        who = check_analyst_name(annotator if annotator is not None else default_annotator())
        new = check_file(self.path, create=create)
        try:
            conn = sqlite3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
        except sqlite3.Error as e:
            raise sqlite_problem(self.path, e) or ProjectError(f"{self.path}: {e}") from None
        self.conn = conn
        self.connection = Connection(self.path, conn, who, clock or utc_now)
        self.documents = Documents(self.connection)
        self.spans = Spans(self.connection)
        self.statuses = Statuses(self.connection)
        self.relations = Relations(self.connection, self.spans)
        self.labels = Labels(self.connection, self.spans, self.relations)
        self.relation_types = RelationTypes(self.connection, self.labels, self.relations)
        self.models = Models(self.connection)
        started = time.monotonic()
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            applied = self._check_project(new)
            self._use_wal()
            conn.execute("PRAGMA synchronous = FULL")
            self._migrate(new, applied)
        except sqlite3.Error as e:
            conn.close()
            problem = sqlite_problem(self.path, e, waited=time.monotonic() - started)
            raise problem or ProjectError(f"{self.path}: {e}") from None
        except BaseException:
            conn.close()
            raise

    @property
    def db(self) -> Database:
        """The project as a sqlite-utils ``Database`` (imported on first use: opening a
        project and everyday reads and writes need only ``sqlite3``)."""
        if self._database is None:
            from sqlite_utils import Database

            self._database = Database(self.conn)
        return self._database

    # -- opening ---------------------------------------------------------------------------

    def _check_project(self, new: bool) -> list[str]:
        """Refuse a file that is not a whole annotator project; the steps it records."""
        if new:
            return []
        tables = {
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        applied = applied_names(self.conn)
        if "documents" not in tables or not applied:
            raise ProjectError(
                f"{printable(self.path)} is an SQLite database but not an annotator project"
            )
        unknown = set(applied) - known_names()
        if unknown:
            raise ProjectError(
                f"{printable(self.path)} was upgraded by a newer annotator (it records schema step "
                f"{', '.join(sorted(unknown))}); install the newer annotator to open it. "
                "The file was left untouched."
            )
        problems = schema_problems(self.conn, applied)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ProjectError(
                f"{printable(self.path)}: the project is damaged: {problems[0]}{more}. It was left "
                f"untouched. {restore_advice(self.path)}"
            )
        return applied

    def _use_wal(self) -> None:
        """Every project is kept in WAL mode, so readers never wait for a writer.

        A project found in another mode (a copy made by other tools, or by an older annotator
        killed mid-import) is switched back; if another program has it open in that mode the
        switch cannot be made now, and the project is used as it is rather than refused.
        """
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            return
        with contextlib.suppress(sqlite3.OperationalError):
            self.conn.execute("PRAGMA journal_mode = WAL")

    def _migrate(self, new: bool, applied: list[str]) -> None:
        pending = pending_names(applied)
        if not pending:
            return
        if new:
            apply_to_new(self.conn)
        else:
            self.backup(self._backup_path(f"before-{pending[0]}"))
            migration_set().apply(self.db)
        if not new and "0004_relations" in pending:
            with self.transaction():
                self._add_missing_default_labels()
                self.relation_types.seed(default_relation_types())
        if new:
            with self.transaction():
                self.set_setting("created_at", utc_now())
                self.set_setting("created_by", f"annotator {__version__}")
                for position, spec in enumerate(default_labels()):
                    self.labels.insert(
                        Label(
                            name=spec["name"],
                            color=spec["color"],
                            hotkey=spec.get("hotkey"),
                            definition=spec.get("definition", ""),
                            position=position,
                            attributes=spec.get("attributes", []),
                        )
                    )
                self.relation_types.seed(default_relation_types())

    def _add_missing_default_labels(self) -> None:
        """After an upgrade, the default labels a project lacks (its hotkey only when free),
        and the default attributes of labels it has that declare none."""
        have = {lab.name: lab for lab in self.labels.all()}
        keys = {lab.hotkey for lab in have.values() if lab.hotkey}
        for spec in default_labels():
            existing = have.get(spec["name"])
            if existing is None:
                self.labels.insert(
                    Label(
                        name=spec["name"],
                        color=spec["color"],
                        hotkey=spec.get("hotkey") if spec.get("hotkey") not in keys else None,
                        definition=spec.get("definition", ""),
                        position=len(have),
                        attributes=spec.get("attributes", []),
                    )
                )
            elif spec.get("attributes") and not existing.attributes:
                self.labels.set_attributes(existing.name, spec["attributes"])

    def _backup_path(self, tag: str) -> Path:
        return backup_path(self.path, tag)

    def backup(self, destination: str | os.PathLike[str]) -> Path:
        """A consistent copy of the live project (see :func:`annotator.store.backup.copy`)."""
        return copy_project(self.conn, self.path, destination)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the connection's, for whole-project work -------------------------------------------

    @property
    def annotator(self) -> str:
        """The analyst every change is recorded for (the window's name, or ``--user``);
        checked whenever it is set, so no road stores a name that prints as something else."""
        return self.connection.annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self.connection.annotator = check_analyst_name(name)

    @property
    def clock(self) -> Callable[[], str]:
        return self.connection.clock

    @clock.setter
    def clock(self, clock: Callable[[], str]) -> None:
        self.connection.clock = clock

    @property
    def on_wait(self) -> Callable[[float], None] | None:
        return self.connection.on_wait

    @on_wait.setter
    def on_wait(self, told: Callable[[float], None] | None) -> None:
        self.connection.on_wait = told

    @property
    def patient(self) -> bool:
        return self.connection.patient

    @patient.setter
    def patient(self, patient: bool) -> None:
        self.connection.patient = patient

    def transaction(self) -> AbstractContextManager[None]:
        """One committed write; nested calls join the outer one (as a savepoint)."""
        return self.connection.transaction()

    def record_change(
        self,
        action: str,
        document_id: int | None = None,
        span_id: int | None = None,
        **details: Any,
    ) -> None:
        self.connection.record_change(action, document_id, span_id, **details)

    @contextmanager
    def bulk_writes(self, megabytes: int = 64) -> Iterator[None]:
        """A larger page cache for a big import or merge, so the indexes stay in memory (and
        pages changed many times in one transaction are written once).

        The project stays in WAL mode throughout: other programs keep reading while an import
        writes, and wait their turn to write. (Switching to a rollback journal for speed made
        them fail at once instead.)
        """
        previous = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = {-1024 * megabytes}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {previous}")

    @contextmanager
    def references_made_here(self) -> Iterator[None]:
        """For a writer that only adds rows whose references it made itself (an import, a
        document and its spans): SQLite's check of every new span's document and label, a
        lookup each, is left off while it writes, and turned back on after.

        Nothing may be deleted meanwhile, as no deletion cascades. SQLite turns the checks
        on and off only outside a transaction: inside one, they stay as they are."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    def history(self, document_id: int | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE document_id = ?", [document_id]) if document_id else ("", [])
        cur = self.conn.execute(f"SELECT * FROM changes {where} ORDER BY id", params)
        names = [c[0] for c in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur]
        return [{**r, "details": json.loads(r["details"])} for r in rows]

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the project.

        A window compares it when it regains focus to see whether another program (or window)
        changed the project meanwhile, without reading anything else.
        """
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    # -- project settings ------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM project WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO project (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    def stats(
        self, tally: list[tuple[str, str, str, str | None, int]] | None = None
    ) -> dict[str, Any]:
        """The project's counts: documents by status, spans (not suggestions) by label and by
        annotator, suggestions by suggester and label. ``tally`` is :meth:`Spans.tally`, when
        the caller has it already."""
        by_status = dict.fromkeys(STATUSES, 0)
        by_status.update(
            self.conn.execute("SELECT status, count(*) FROM documents GROUP BY status")
        )
        by_label = {lab.name: 0 for lab in self.labels.all()}
        by_annotator: dict[str, int] = {}
        by_suggester: dict[str, dict[str, int]] = {}
        for origin, annotator, label, suggester, count in sorted(
            self.spans.tally() if tally is None else tally, key=lambda t: (t[3] or "", t[2])
        ):
            if origin == "suggested":
                mine = by_suggester.setdefault(suggester or "", {})
                mine[label] = mine.get(label, 0) + count
            else:
                by_label[label] = by_label.get(label, 0) + count
                by_annotator[annotator] = by_annotator.get(annotator, 0) + count
        return {
            "documents": sum(by_status.values()),
            "documents_by_status": by_status,
            "documents_by_status_by_analyst": self.statuses.by_analyst(),
            "spans": sum(by_label.values()),
            "spans_by_label": by_label,
            "spans_by_annotator": dict(sorted(by_annotator.items())),
            "suggestions": sum(sum(c.values()) for c in by_suggester.values()),
            "suggestions_by_suggester": dict(sorted(by_suggester.items())),
        }


__all__ = [
    "MIGRATION_SET",
    "DocumentRow",
    "LabelInUse",
    "ProjectError",
    "Store",
    "default_annotator",
]
