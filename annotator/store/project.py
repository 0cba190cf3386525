"""The project database: one SQLite file per project, read and written through sqlite-utils.

Every public method that changes something runs as its own committed transaction (or joins
the caller's, inside ``with store.transaction():``) and records itself in the append-only
``changes`` table. Methods return what they changed, so a view can update exactly that.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import __version__
from annotator.destinations import output, refuse_read_only, writes_in_place
from annotator.model import (
    STATUSES,
    Document,
    Label,
    Span,
    check_analyst_name,
    normalise_newlines,
    utc_now,
)
from annotator.model import text_hash as hash_text
from annotator.printable import printable
from annotator.resources import default_labels, default_relation_types
from annotator.store.connection import Connection
from annotator.store.labels import LabelInUse, Labels
from annotator.store.migrations import (
    MIGRATION_SET,
    applied_names,
    known_names,
    migration_set,
    pending_names,
    schema_problems,
)
from annotator.store.project_file import (
    BUSY_TIMEOUT_MS,
    ProjectError,
    check_file,
    default_annotator,
    restore_advice,
    sqlite_problem,
)
from annotator.store.relation_types import RelationTypes
from annotator.store.relations import Relations
from annotator.store.rows import (
    RELATION_COLUMNS,
    SPAN_COLUMNS,
    document_from_row,
    relation_from_row,
    span_from_row,
)
from annotator.store.spans import Spans
from annotator.store.statuses import MY_STATUS, Statuses, write_status

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass
class DocumentRow:
    """What the document list shows: everything but the text."""

    id: int
    title: str
    status: str
    span_count: int
    external_id: str | None = None


class Store:
    """An open project. Use as a context manager or call :meth:`close`.

    Its parts each hold one kind of thing: ``store.spans``, ``store.labels``,
    ``store.relations``, ``store.relation_types`` and ``store.statuses``; the documents and
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
        self.spans = Spans(self.connection)
        self.statuses = Statuses(self.connection)
        self.labels = Labels(self.connection, self.spans)
        self.relations = Relations(self.connection, self.spans)
        self.relation_types = RelationTypes(self.connection, self.labels, self.relations)
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
        if not new:
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
        stamp = utc_now().replace(":", "").replace("-", "").replace(".", "")
        return self.path.with_name(f"{self.path.name}.{tag}.{stamp}.bak")

    def backup(self, destination: str | os.PathLike[str]) -> Path:
        """A consistent copy of the live project, made with SQLite's online backup.

        To a regular file (or a folder) the copy is made under a temporary name and renamed
        into place; a device, a named pipe or standard output is written into, never replaced.
        """
        dest = Path(destination)
        if dest.is_dir():
            dest = dest / self._backup_path("backup").name
        shown = printable(dest)
        if dest.exists() and dest.resolve() == self.path.resolve():
            raise ProjectError(f"{shown}: a backup cannot replace the project it copies")
        try:
            if writes_in_place(dest):
                self._backup_into(dest)
            else:
                real = Path(os.path.realpath(dest))
                refuse_read_only(real)
                tmp = real.with_name(real.name + ".partial")
                try:
                    self._backup_to(tmp)
                    os.replace(tmp, real)
                finally:
                    tmp.unlink(missing_ok=True)
        except (sqlite3.Error, OSError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise ProjectError(f"{shown}: the backup could not be written ({reason})") from None
        return dest

    def _backup_to(self, path: Path) -> None:
        target = sqlite3.connect(str(path))
        try:
            self.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        with open(path, "rb+") as f:
            os.fsync(f.fileno())

    def _backup_into(self, dest: Path) -> None:
        """Copy into something that is not a regular file, through a private temporary copy."""
        with tempfile.TemporaryDirectory(prefix="annotator-backup-") as folder:
            copy = Path(folder) / "backup.db"
            self._backup_to(copy)
            with open(copy, "rb") as source, output(dest, binary=True) as out:
                shutil.copyfileobj(source, out, 1 << 20)

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
    def bulk_writes(self) -> Iterator[None]:
        """A larger page cache for a big import, so the indexes stay in memory.

        The project stays in WAL mode throughout: other programs keep reading while an import
        writes, and wait their turn to write. (Switching to a rollback journal for speed made
        them fail at once instead.)
        """
        previous = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute("PRAGMA cache_size = -65536")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {previous}")

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

    # -- documents -------------------------------------------------------------------------

    def document(self, document_id: int) -> Document:
        row = self.conn.execute(
            "SELECT id, title, text, meta, status, external_id, text_hash, source, created_at,"
            " updated_at FROM documents WHERE id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            raise KeyError(f"no document {document_id}")
        doc = document_from_row(row)
        self.connection.remember_text(doc.id, doc.text)
        return doc

    def document_text(self, document_id: int) -> str:
        """The stored text, which never changes after import (so it is safe to cache)."""
        return self.connection.document_text(document_id)

    def document_rows(
        self, status: str | None = None, search: str | None = None
    ) -> list[DocumentRow]:
        """The documents in project order, without their text; the status is the current
        analyst's."""
        where, params = self._document_filter(status, search)
        rows = self.conn.execute(
            "SELECT d.id, d.title, COALESCE(my.status, 'new'), d.span_count, d.external_id"
            f" FROM documents d {_MINE}{where} ORDER BY d.id",
            [self.annotator, *params],
        )
        return [DocumentRow(*r) for r in rows]

    def document_ids(self, status: str | None = None, search: str | None = None) -> list[int]:
        where, params = self._document_filter(status, search)
        sql = f"SELECT d.id FROM documents d {_MINE}{where} ORDER BY d.id"
        return [r[0] for r in self.conn.execute(sql, [self.annotator, *params])]

    def document_row(self, document_id: int) -> DocumentRow:
        row = self.conn.execute(
            f"SELECT d.id, d.title, {MY_STATUS}, d.span_count, d.external_id FROM documents d"
            " WHERE d.id = ?",
            (self.annotator, document_id),
        ).fetchone()
        if row is None:
            raise KeyError(f"no document {document_id}")
        return DocumentRow(*row)

    def _document_filter(self, status: str | None, search: str | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if status:
            clauses.append("COALESCE(my.status, 'new') = ?")
            params.append(status)
        if search:
            # LIKE ignores ASCII case as lower() would, and scans five times faster (0.13 s
            # against 0.65 s over 100,000 articles); the pattern's own % and _ are escaped.
            pattern = (
                "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            )
            clauses.append("(d.title LIKE ? ESCAPE '\\' OR d.text LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def next_open_document(self, after: int | None, *, wrap: bool = True) -> int | None:
        """The next document (in project order) the current analyst has neither done nor
        skipped."""
        sql = (
            f"SELECT d.id FROM documents d WHERE d.id > ? AND {MY_STATUS}"
            " IN ('new', 'in_progress') ORDER BY d.id LIMIT 1"
        )
        row = self.conn.execute(sql, (after or 0, self.annotator)).fetchone()
        if row is None and wrap:
            row = self.conn.execute(sql, (0, self.annotator)).fetchone()
        return row[0] if row else None

    def count_documents(self, status: str | None = None) -> int:
        """Documents in the project, or those with the current analyst's ``status``."""
        if status is None:
            return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        if status == "new":
            row = self.conn.execute(
                "SELECT (SELECT count(*) FROM documents) - (SELECT count(*) FROM statuses"
                " WHERE annotator = ? AND status != 'new')",
                (self.annotator,),
            ).fetchone()
        else:
            row = self.conn.execute(
                "SELECT count(*) FROM statuses WHERE annotator = ? AND status = ?",
                (self.annotator, status),
            ).fetchone()
        return int(row[0])

    def find_document(self, reference: str) -> int | None:
        """The document a user names: its id as exports write it, or its number here."""
        row = self.conn.execute(
            "SELECT id FROM documents WHERE external_id = ? ORDER BY id LIMIT 1", (reference,)
        ).fetchone()
        if row:
            return row[0]
        if reference.isdigit():
            row = self.conn.execute(
                "SELECT id FROM documents WHERE id = ?", (int(reference),)
            ).fetchone()
            return row[0] if row else None
        return None

    def neighbour_document(self, document_id: int, step: int) -> int | None:
        """The document before (step -1) or after (step +1) in project order."""
        if step > 0:
            sql = "SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT 1"
        else:
            sql = "SELECT id FROM documents WHERE id < ? ORDER BY id DESC LIMIT 1"
        row = self.conn.execute(sql, (document_id,)).fetchone()
        return row[0] if row else None

    def insert_document(
        self,
        *,
        text: str,
        text_hash: str,
        title: str,
        meta: dict[str, Any] | str | None = None,
        external_id: str | None = None,
        source: str | None = None,
        status: str = "new",
        created_at: str | None = None,
        span_count: int = 0,
        now: str | None = None,
    ) -> int | None:
        """Insert one already-checked document; None when its text is already in the project.

        The importer calls this inside its own transaction, so a refused file leaves nothing.
        ``span_count`` is the number of spans the caller then adds with :meth:`insert_spans` in
        that transaction. (The count is kept by the store's methods, not by a trigger: a
        trigger rewrites the whole document row, text and all, for every span imported.)
        Stored text never holds "\\r": line endings that reach here unnormalised are
        normalised (and the hash taken again), since every offset counts "\\n" as one.
        ``meta`` may be given as its JSON already (the importer built it to check it).
        """
        if "\r" in text:
            text = normalise_newlines(text)
            text_hash = hash_text(text)
        now = now or utc_now()
        cur = self.conn.execute(
            "INSERT INTO documents (external_id, title, text, text_hash, meta, status, source,"
            " span_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (text_hash) DO NOTHING",
            (
                external_id,
                title,
                text,
                text_hash,
                meta if isinstance(meta, str) else json.dumps(meta or {}, ensure_ascii=False),
                status,
                source,
                span_count,
                created_at or now,
                now,
            ),
        )
        if cur.rowcount != 1:
            return None
        document_id = cur.lastrowid
        assert document_id is not None
        if status != "new":  # an imported status is the importing analyst's
            write_status(self.conn, document_id, self.annotator, status, now)
        return document_id

    def document_id_by_hash(self, digest: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM documents WHERE text_hash = ?", (digest,)
        ).fetchone()
        return row[0] if row else None

    def span_keys(self, document_id: int) -> set[tuple[int, int, int, str]]:
        """(start, end, label id, annotator) of every span on a document."""
        rows = self.conn.execute(
            'SELECT start, "end", label_id, annotator FROM spans WHERE document_id = ?',
            (document_id,),
        )
        return {tuple(r) for r in rows}

    def count_new_spans(self, document_id: int, added: int) -> None:
        """Keep a document's span count right after :meth:`insert_spans` added to it."""
        self.conn.execute(
            "UPDATE documents SET span_count = span_count + ?, updated_at = ? WHERE id = ?",
            (added, utc_now(), document_id),
        )

    def insert_spans(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Insert already-checked spans: (document_id, start, end, label_id, text, annotator,
        note, origin, created_at, updated_at), optionally followed by (suggester, score) or
        (suggester, score, attributes as JSON). Used by the importer inside its transaction."""
        full = [r if len(r) == 13 else (*r, *(None,) * (13 - len(r))) for r in rows]
        return self.conn.executemany(
            'INSERT INTO spans (document_id, start, "end", label_id, text, annotator, note,'
            " origin, created_at, updated_at, suggester, score, attributes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            full,
        ).rowcount

    def insert_span(self, row: tuple[Any, ...]) -> int:
        """One span as :meth:`insert_spans` takes them; its new id (for relations to it)."""
        full = row if len(row) == 13 else (*row, *(None,) * (13 - len(row)))
        cur = self.conn.execute(
            'INSERT INTO spans (document_id, start, "end", label_id, text, annotator, note,'
            " origin, created_at, updated_at, suggester, score, attributes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            full,
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    # -- export and statistics -------------------------------------------------------------

    def iter_documents(
        self,
        *,
        statuses: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        annotators: Sequence[str] | None = None,
        curated: bool = False,
        suggestions: bool = True,
        with_statuses: bool = True,
        with_relations: bool = True,
    ) -> Iterator[tuple[Document, list[Span]]]:
        """Every document in project order with its spans, streamed with two queries.

        ``labels`` and ``annotators`` narrow the spans; ``statuses`` narrows the documents, by
        their overall status, or with ``annotators``, by any of those analysts' own status.
        Each document carries every analyst's status in ``statuses``. ``curated`` keeps the
        curated layer alone: the documents a curator settled, with their curated spans.
        ``suggestions=False`` leaves suggested spans out. ``with_statuses`` and
        ``with_relations`` can be turned off by a reader that does not write them (they cost a
        lookup per document).
        """
        doc_where, doc_params = "", []
        marks = ", ".join("?" * len(statuses or ()))
        if statuses and annotators:
            doc_where = (
                " WHERE EXISTS (SELECT 1 FROM json_each(?) a WHERE COALESCE((SELECT s.status"
                " FROM statuses s WHERE s.document_id = documents.id AND s.annotator = a.value),"
                f" 'new') IN ({marks}))"
            )
            doc_params = [json.dumps(list(annotators)), *statuses]
        elif statuses:
            doc_where = f" WHERE status IN ({marks})"
            doc_params = list(statuses)
        if curated:
            joiner = " AND " if doc_where else " WHERE "
            doc_where += f"{joiner}id IN (SELECT document_id FROM curations)"
        span_clauses, span_params = [], []
        if statuses or curated:
            span_clauses.append(f"s.document_id IN (SELECT id FROM documents{doc_where})")
            span_params += doc_params
        if curated:
            span_clauses.append("s.origin = 'curated'")
        if not suggestions:
            span_clauses.append("s.origin != 'suggested'")
        if labels:
            span_clauses.append(f"l.name IN ({', '.join('?' * len(labels))})")
            span_params += list(labels)
        if annotators:
            span_clauses.append(f"s.annotator IN ({', '.join('?' * len(annotators))})")
            span_params += list(annotators)
        span_where = " WHERE " + " AND ".join(span_clauses) if span_clauses else ""
        # Two cursors on one connection, read in step: a read transaction keeps them consistent.
        reader = sqlite3.connect(
            str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
        try:
            reader.execute("BEGIN")
            statuses_column = (
                ", (SELECT json_group_object(annotator, status) FROM (SELECT annotator, status"
                " FROM statuses WHERE document_id = documents.id ORDER BY annotator))"
                if with_statuses
                else ""
            )
            docs = reader.execute(
                "SELECT id, title, text, meta, status, external_id, text_hash, source,"
                f" created_at, updated_at{statuses_column} FROM documents{doc_where} ORDER BY id",
                doc_params,
            )
            spans = reader.execute(
                f"SELECT {SPAN_COLUMNS} FROM spans s JOIN labels l ON l.id = s.label_id"
                f'{span_where} ORDER BY s.document_id, s.start, s."end", s.id',
                span_params,
            )
            relations = reader.execute(
                f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t"
                " ON t.id = r.type_id"
                + ("" if with_relations else " WHERE 0")
                + " ORDER BY r.document_id, r.id"
            )
            pending = spans.fetchone()
            linked = relations.fetchone()
            for row in docs:
                doc = document_from_row(row)
                mine: list[Span] = []
                while pending is not None and pending[1] < doc.id:
                    pending = spans.fetchone()
                while pending is not None and pending[1] == doc.id:
                    mine.append(span_from_row(pending))
                    pending = spans.fetchone()
                while linked is not None and linked[1] < doc.id:
                    linked = relations.fetchone()
                if linked is not None and linked[1] == doc.id:
                    shown = {s.id for s in mine}
                    while linked is not None and linked[1] == doc.id:
                        relation = relation_from_row(linked)
                        if relation.head in shown and relation.child in shown:
                            doc.relations.append(relation)  # both ends are in this export
                        linked = relations.fetchone()
                yield doc, mine
            reader.execute("COMMIT")
        finally:
            reader.close()

    def meta_keys(self, *, statuses: Sequence[str] | None = None) -> list[str]:
        """Every key used in the documents' meta, in order of first use (read by SQLite)."""
        where, params = "", []
        if statuses:
            where = f" WHERE d.status IN ({', '.join('?' * len(statuses))})"
            params = list(statuses)
        rows = self.conn.execute(
            f"SELECT j.key FROM documents d, json_each(d.meta) j{where}"
            " GROUP BY j.key ORDER BY min(d.id), j.key",
            params,
        )
        return [r[0] for r in rows]

    def stats(self) -> dict[str, Any]:
        by_status = dict.fromkeys(STATUSES, 0)
        by_status.update(
            self.conn.execute("SELECT status, count(*) FROM documents GROUP BY status")
        )
        by_label = {lab.name: 0 for lab in self.labels.all()}
        by_label.update(
            self.conn.execute(
                "SELECT l.name, count(s.id) FROM labels l JOIN spans s ON s.label_id = l.id"
                " WHERE s.origin != 'suggested' GROUP BY l.id"
            )
        )
        by_annotator = dict(
            self.conn.execute(
                "SELECT annotator, count(*) FROM spans WHERE origin != 'suggested'"
                " GROUP BY annotator ORDER BY annotator"
            )
        )
        by_suggester: dict[str, dict[str, int]] = {}
        for suggester, label, count in self.conn.execute(
            "SELECT s.suggester, l.name, count(*) FROM spans s JOIN labels l ON l.id = s.label_id"
            " WHERE s.origin = 'suggested' GROUP BY s.suggester, l.name ORDER BY 1, 2"
        ):
            by_suggester.setdefault(suggester or "", {})[label] = count
        return {
            "documents": sum(by_status.values()),
            "documents_by_status": by_status,
            "documents_by_status_by_analyst": self.statuses.by_analyst(),
            "spans": sum(by_label.values()),
            "spans_by_label": by_label,
            "spans_by_annotator": by_annotator,
            "suggestions": sum(sum(c.values()) for c in by_suggester.values()),
            "suggestions_by_suggester": by_suggester,
        }


# The current analyst's status row, joined onto documents d (a lookup by primary key).
_MINE = "LEFT JOIN statuses my ON my.document_id = d.id AND my.annotator = ?"


__all__ = [
    "MIGRATION_SET",
    "DocumentRow",
    "LabelInUse",
    "ProjectError",
    "Store",
    "default_annotator",
]
