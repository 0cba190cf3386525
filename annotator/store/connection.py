"""The project's one connection, as every part of the store writes through it.

A write takes the file's write lock in its turn (waiting for another program's write to end),
commits as one transaction (nested writes join it as savepoints), and records itself in the
append-only ``changes`` table under the analyst whose write it is.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotator.model import SpanError
from annotator.store.project_file import BUSY_TIMEOUT_MS, is_busy, sqlite_problem


class Connection:
    """One open project file: its ``sqlite3`` connection, the analyst writing, and the clock
    each history entry records."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, annotator: str, clock: Callable[[], str]
    ) -> None:
        self.path = path
        self.conn = conn
        self.annotator = annotator
        #: The time each history entry records (``utc_now``'s form); a test may set its own.
        self.clock = clock
        #: Told once, after a second, that a patient write is waiting for another program.
        self.on_wait: Callable[[float], None] | None = None
        #: A patient connection (an import) waits as long as another writer takes.
        self.patient = False
        self._savepoints = 0
        self._texts: dict[int, str] = {}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One committed write. Nested calls join the outer one (as a savepoint)."""
        if self.conn.in_transaction:
            self._savepoints += 1
            name = f"nested_{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            finally:
                self._savepoints -= 1
            self.conn.execute(f"RELEASE {name}")
            return
        self._begin()
        try:
            yield
        except sqlite3.Error as e:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise sqlite_problem(self.path, e) or e from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as e:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise sqlite_problem(self.path, e) or e from None

    def _begin(self) -> None:
        """Take the write lock, waiting for another program's write to end.

        Normally the wait is the busy timeout (30 s), and a message says how long it really
        was. A patient connection (an import) waits as long as the other writer takes, and
        tells ``on_wait`` once, after a second, that it is waiting.
        """
        started = time.monotonic()
        told = False
        if self.patient:
            self.conn.execute("PRAGMA busy_timeout = 1000")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as e:
                    waited = time.monotonic() - started
                    if not (self.patient and is_busy(e)):
                        raise sqlite_problem(self.path, e, waited=waited) or e from None
                    if not told:
                        told = True
                        if self.on_wait:
                            self.on_wait(waited)
                        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        finally:
            if self.patient:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def record_change(
        self,
        action: str,
        document_id: int | None = None,
        span_id: int | None = None,
        **details: Any,
    ) -> None:
        """Write one history entry, in the caller's transaction."""
        self.conn.execute(
            "INSERT INTO changes (at, annotator, action, document_id, span_id, details)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                self.clock(),
                self.annotator,
                action,
                document_id,
                span_id,
                json.dumps(details, ensure_ascii=False),
            ),
        )

    def record_changes(
        self, entries: Iterable[tuple[str, int | None, int | None, dict[str, Any]]]
    ) -> None:
        """Write many history entries at once (action, document, span, details each), in the
        caller's transaction: what :meth:`record_change` writes for each, in one statement."""
        at, who = self.clock(), self.annotator
        self.conn.executemany(
            "INSERT INTO changes (at, annotator, action, document_id, span_id, details)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (at, who, action, doc, span, json.dumps(details, ensure_ascii=False))
                for action, doc, span, details in entries
            ],
        )

    def remember_text(self, document_id: int, text: str) -> None:
        if len(self._texts) > 4:
            self._texts.clear()
        self._texts[document_id] = text

    def document_text(self, document_id: int) -> str:
        """The stored text, which never changes after import (so it is safe to cache)."""
        text = self._texts.get(document_id)
        if text is None:
            row = self.conn.execute(
                "SELECT text FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
            if row is None:
                raise SpanError(f"there is no document {document_id}")
            text = row[0]
            self.remember_text(document_id, text)
        return text


class Part:
    """A part of the store (``store.spans``, ``store.labels``, ...): one kind of thing, read
    and written through the project's one :class:`Connection`."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @property
    def conn(self) -> sqlite3.Connection:
        return self.connection.conn

    @property
    def annotator(self) -> str:
        return self.connection.annotator

    def transaction(self) -> Any:
        return self.connection.transaction()

    def record_change(
        self,
        action: str,
        document_id: int | None = None,
        span_id: int | None = None,
        **details: Any,
    ) -> None:
        self.connection.record_change(action, document_id, span_id, **details)
