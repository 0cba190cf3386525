"""Documents: the articles of a project, their texts (which never change after import) and
their places in the project's order (part of the store).

``store.documents`` lists them as the document list shows them (each analyst's own status),
finds one by the id exports write or its number, inserts checked ones for the importer, and
streams every document with its spans and relations for an export.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.model import STATUSES, Document, Relation, Span, normalise_newlines, utc_now
from annotator.model import text_hash as hash_text
from annotator.store.connection import Part
from annotator.store.project_file import BUSY_TIMEOUT_MS
from annotator.store.rows import (
    RELATION_COLUMNS,
    SPAN_COLUMNS,
    document_from_row,
    relation_from_row,
    span_from_row,
)
from annotator.store.statuses import MY_STATUS, write_status

# Documents an export reads at a time, with their spans.
_BATCH = 500

# The documents read in project order along the narrow index of their ids (documents_order),
# not through the table, whose rows hold the texts.
_BY_ID = "INDEXED BY documents_order"

# The current analyst's status row, joined onto documents d (a lookup by primary key).
_MINE = "LEFT JOIN statuses my ON my.document_id = d.id AND my.annotator = ?"
# The orders the documents can be listed in: the project's, or the learned model's least
# certain first (those it has said nothing about last, in project order).
ORDERS = ("project", "uncertain")
_UNSURE = " LEFT JOIN uncertainties u ON u.document_id = d.id"
_ORDER_BY = {
    "project": "ORDER BY d.id",
    "uncertain": "ORDER BY u.uncertainty IS NULL, u.uncertainty DESC, d.id",
}
# Least certain first without a sort: the figures along their own index, most uncertain first,
# then the documents without one (a lookup each by its id).
_UNSURE_ORDER = "INDEXED BY uncertainties_order"
_UNSAID = "NOT EXISTS (SELECT 1 FROM uncertainties n WHERE n.document_id = d.id)"


@dataclass
class DocumentRow:
    """What the document list shows: everything but the text."""

    id: int
    title: str
    status: str
    span_count: int
    external_id: str | None = None


class Documents(Part):
    """``store.documents``: the project's documents, in project order."""

    def get(self, document_id: int) -> Document:
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

    def text(self, document_id: int) -> str:
        """The stored text, which never changes after import (so it is safe to cache)."""
        return self.connection.document_text(document_id)

    def rows(
        self, status: str | None = None, search: str | None = None, *, order: str = "project"
    ) -> list[DocumentRow]:
        """The documents in project order (or another of ``ORDERS``), without their text; the
        status is the current analyst's."""
        where, params = self._filter(status, search)
        rows = self.conn.execute(
            "SELECT d.id, d.title, COALESCE(my.status, 'new'), d.span_count, d.external_id"
            f" FROM documents d {_MINE}{_joined(order)}{where} {_ORDER_BY[order]}",
            [self.annotator, *params],
        )
        return [DocumentRow(*r) for r in rows]

    def listing(
        self, statuses: Sequence[str] = (), search: str | None = None
    ) -> Iterator[DocumentRow]:
        """The documents with any of ``statuses`` (the current analyst's; all, when none is
        given) in project order, without their text, as they are read: the first comes at
        once however many there are.

        Documents with a status of the analyst's own are found along the statuses index, one
        status at a time, in project order each (merged here); the new ones, which have no
        status row, by walking the documents.
        """
        wanted = set(statuses) or set(STATUSES)
        unknown = wanted - set(STATUSES)
        if unknown:
            raise ValueError(f"no status {sorted(unknown)[0]!r}; the statuses are {STATUSES}")
        where, params = self._filter(None, search)
        if "new" in wanted:
            clause = f"COALESCE(my.status, 'new') IN ({', '.join('?' * len(wanted))})"
            joiner = " AND " if where else " WHERE "
            rows = self.conn.execute(
                "SELECT d.id, d.title, COALESCE(my.status, 'new'), d.span_count, d.external_id"
                f" FROM documents d {_MINE}{where}{joiner}{clause} ORDER BY d.id",
                [self.annotator, *params, *sorted(wanted)],
            )
            yield from (DocumentRow(*r) for r in rows)
            return
        search_clause = where.replace(" WHERE ", " AND ", 1)
        streams = [
            (
                DocumentRow(*r)
                for r in self.conn.execute(
                    "SELECT d.id, d.title, my.status, d.span_count, d.external_id FROM statuses my"
                    " CROSS JOIN documents d ON d.id = my.document_id"
                    f" WHERE my.annotator = ? AND my.status = ?{search_clause} ORDER BY my.document_id",
                    [self.annotator, status, *params],
                )
            )
            for status in sorted(wanted)
        ]
        yield from streams[0] if len(streams) == 1 else heapq.merge(*streams, key=_by_id)

    def ids(
        self, status: str | None = None, search: str | None = None, *, order: str = "project"
    ) -> list[int]:
        """The ids of the documents with the current analyst's ``status`` whose title or text
        holds ``search``, in ``order`` (one of ``ORDERS``). Without a search no document is
        read in project order: a status of the analyst's own is found along the statuses
        index, the new ones along the ids; least certain first, along the uncertainties."""
        if _joined(order):
            return self._ids_least_certain_first(status, search)
        if search:
            where, params = self._filter(status, search)
            sql = f"SELECT d.id FROM documents d {_MINE}{where} ORDER BY d.id"
            return [r[0] for r in self.conn.execute(sql, [self.annotator, *params])]
        if status is None:
            rows = self.conn.execute(f"SELECT id FROM documents {_BY_ID} ORDER BY id")
        elif status == "new":
            rows = self.conn.execute(
                f"SELECT d.id FROM documents d {_BY_ID} WHERE NOT EXISTS (SELECT 1 FROM statuses s"
                " WHERE s.document_id = d.id AND s.annotator = ? AND s.status != 'new')"
                " ORDER BY d.id",
                (self.annotator,),
            )
        else:
            rows = self.conn.execute(
                "SELECT document_id FROM statuses WHERE annotator = ? AND status = ?"
                " ORDER BY document_id",
                (self.annotator, status),
            )
        return [r[0] for r in rows]

    def _ids_least_certain_first(self, status: str | None, search: str | None) -> list[int]:
        """:meth:`ids` least certain first, with no sort: those the model said something
        about along the uncertainties' own index, then the others along the ids."""
        where, params = self._filter(status, search)
        more = where.replace(" WHERE ", " AND ", 1)
        said = self.conn.execute(
            f"SELECT d.id FROM uncertainties u {_UNSURE_ORDER} CROSS JOIN documents d"
            f" ON d.id = u.document_id {_MINE}{where} ORDER BY u.uncertainty DESC, u.document_id",
            [self.annotator, *params],
        )
        ids = [r[0] for r in said]
        unsaid = self.conn.execute(
            f"SELECT d.id FROM documents d {_MINE} WHERE {_UNSAID}{more} ORDER BY d.id",
            [self.annotator, *params],
        )
        ids += [r[0] for r in unsaid]
        return ids

    def page(
        self, offset: int, limit: int, after: int | None = None, *, order: str = "project"
    ) -> list[int]:
        """``limit`` ids of the project's documents in ``order`` from the ``offset``-th,
        read along the narrow index of ids, or least certain first along the uncertainties'
        (a million are skipped in milliseconds, not a read of every document). ``after``, the
        id just before that place when the caller knows it, starts there without counting."""
        if _joined(order):
            return self._page_least_certain_first(offset, limit, after)
        if after is not None:
            rows = self.conn.execute(
                f"SELECT id FROM documents {_BY_ID} WHERE id > ? ORDER BY id LIMIT ?",
                (after, limit),
            )
        else:
            rows = self.conn.execute(
                f"SELECT id FROM documents {_BY_ID} ORDER BY id LIMIT ? OFFSET ?",
                (limit, offset),
            )
        return [r[0] for r in rows]

    def _page_least_certain_first(self, offset: int, limit: int, after: int | None) -> list[int]:
        """:meth:`page` least certain first: the documents the model said something about,
        most uncertain first, then the others in project order."""
        said = None
        if after is not None:
            row = self.conn.execute(
                "SELECT uncertainty FROM uncertainties WHERE document_id = ?", (after,)
            ).fetchone()
            said = None if row is None else row[0]
        if after is not None and said is not None:
            ids = self._said_after(said, after, limit)
            return ids + self._unsaid(0, 0, limit - len(ids)) if len(ids) < limit else ids
        if after is not None:
            return self._unsaid(after, 0, limit)
        many = int(self.conn.execute("SELECT count(*) FROM uncertainties").fetchone()[0])
        if offset >= many:
            return self._unsaid(0, offset - many, limit)
        rows = self.conn.execute(
            f"SELECT document_id FROM uncertainties {_UNSURE_ORDER}"
            " ORDER BY uncertainty DESC, document_id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        ids = [r[0] for r in rows]
        return ids + self._unsaid(0, 0, limit - len(ids)) if len(ids) < limit else ids

    def _said_after(self, uncertainty: float, after: int, limit: int) -> list[int]:
        """Up to ``limit`` documents the model said something about, after document ``after``
        (whose uncertainty is ``uncertainty``), least certain first."""
        same = self.conn.execute(
            f"SELECT document_id FROM uncertainties {_UNSURE_ORDER} WHERE uncertainty = ?"
            " AND document_id > ? ORDER BY document_id LIMIT ?",
            (uncertainty, after, limit),
        )
        ids = [r[0] for r in same]
        if len(ids) < limit:
            surer = self.conn.execute(
                f"SELECT document_id FROM uncertainties {_UNSURE_ORDER} WHERE uncertainty < ?"
                " ORDER BY uncertainty DESC, document_id LIMIT ?",
                (uncertainty, limit - len(ids)),
            )
            ids += [r[0] for r in surer]
        return ids

    def _unsaid(self, after: int, offset: int, limit: int) -> list[int]:
        """Up to ``limit`` documents the model said nothing about, in project order, from the
        ``offset``-th after document ``after``: the ids less those with a figure, both read in
        order and merged (skipping half a million takes a third of the time of a lookup
        each)."""
        rows = self.conn.execute(
            f"SELECT id FROM documents {_BY_ID} WHERE id > ?1 EXCEPT SELECT document_id"
            " FROM uncertainties WHERE document_id > ?1 ORDER BY 1 LIMIT ?2 OFFSET ?3",
            (after, limit, offset),
        )
        return [r[0] for r in rows]

    def position(self, document_id: int, *, order: str = "project") -> int | None:
        """Where a document is in ``order`` (0 for the first); None when there is none.
        Counted along the indexes, not by reading the documents before it."""
        if not _joined(order):
            row = self.conn.execute(
                f"SELECT (SELECT count(*) FROM documents {_BY_ID} WHERE id < ?1)"
                " FROM documents WHERE id = ?1",
                (document_id,),
            ).fetchone()
            return None if row is None else int(row[0])
        row = self.conn.execute(
            "SELECT u.uncertainty, u.document_id IS NOT NULL FROM documents d"
            " LEFT JOIN uncertainties u ON u.document_id = d.id WHERE d.id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            return None
        uncertainty, said = row
        if said:
            sql = (
                f"SELECT (SELECT count(*) FROM uncertainties {_UNSURE_ORDER} WHERE uncertainty > ?1)"
                f" + (SELECT count(*) FROM uncertainties {_UNSURE_ORDER}"
                " WHERE uncertainty = ?1 AND document_id < ?2)"
            )
            return int(self.conn.execute(sql, (uncertainty, document_id)).fetchone()[0])
        sql = (
            "SELECT (SELECT count(*) FROM uncertainties)"
            f" + (SELECT count(*) FROM documents {_BY_ID} WHERE id < ?1)"
            " - (SELECT count(*) FROM uncertainties WHERE document_id < ?1)"
        )
        return int(self.conn.execute(sql, (document_id,)).fetchone()[0])

    def rows_of(self, ids: Sequence[int]) -> list[DocumentRow]:
        """The rows of the documents ``ids`` (those there are), in that order, without their
        text; the status is the current analyst's."""
        rows = self.conn.execute(
            "SELECT d.id, d.title, COALESCE(my.status, 'new'), d.span_count, d.external_id"
            f" FROM json_each(?) m JOIN documents d ON d.id = m.value {_MINE} ORDER BY m.key",
            (json.dumps(list(ids)), self.annotator),
        )
        return [DocumentRow(*r) for r in rows]

    def row(self, document_id: int) -> DocumentRow:
        row = self.conn.execute(
            f"SELECT d.id, d.title, {MY_STATUS}, d.span_count, d.external_id FROM documents d"
            " WHERE d.id = ?",
            (self.annotator, document_id),
        ).fetchone()
        if row is None:
            raise KeyError(f"no document {document_id}")
        return DocumentRow(*row)

    def _filter(self, status: str | None, search: str | None) -> tuple[str, list[Any]]:
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

    def next_open(
        self, after: int | None, *, wrap: bool = True, order: str = "project"
    ) -> int | None:
        """The next document (in project order) the current analyst has neither done nor
        skipped; least certain first, the most uncertain such document but ``after``."""
        if _joined(order):
            return self._next_least_certain(after or 0)
        sql = (
            f"SELECT d.id FROM documents d WHERE d.id > ? AND {MY_STATUS}"
            " IN ('new', 'in_progress') ORDER BY d.id LIMIT 1"
        )
        row = self.conn.execute(sql, (after or 0, self.annotator)).fetchone()
        if row is None and wrap:
            row = self.conn.execute(sql, (0, self.annotator)).fetchone()
        return row[0] if row else None

    def _next_least_certain(self, after: int) -> int | None:
        """The most uncertain document but ``after`` the analyst has neither done nor skipped,
        else the first such one without a figure: each found along its index, with no sort
        of the documents."""
        open_ = f"{MY_STATUS} IN ('new', 'in_progress')"
        for sql in (
            f"SELECT d.id FROM uncertainties u {_UNSURE_ORDER} CROSS JOIN documents d"
            f" ON d.id = u.document_id WHERE d.id != ? AND {open_}"
            " ORDER BY u.uncertainty DESC, u.document_id LIMIT 1",
            f"SELECT d.id FROM documents d {_BY_ID} WHERE d.id != ? AND {_UNSAID} AND {open_}"
            " ORDER BY d.id LIMIT 1",
        ):
            row = self.conn.execute(sql, (after, self.annotator)).fetchone()
            if row is not None:
                return int(row[0])
        return None

    def count(self, status: str | None = None) -> int:
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

    def find(self, reference: str) -> int | None:
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

    def neighbour(self, document_id: int, step: int) -> int | None:
        """The document before (step -1) or after (step +1) in project order."""
        if step > 0:
            sql = "SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT 1"
        else:
            sql = "SELECT id FROM documents WHERE id < ? ORDER BY id DESC LIMIT 1"
        row = self.conn.execute(sql, (document_id,)).fetchone()
        return row[0] if row else None

    def insert(
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

    def id_by_hash(self, digest: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM documents WHERE text_hash = ?", (digest,)
        ).fetchone()
        return row[0] if row else None

    def stream(
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
        """Every document in project order with its spans, streamed: a few hundred documents at
        a time, each batch's spans read with one query.

        ``labels`` and ``annotators`` narrow the spans; ``statuses`` narrows the documents, by
        their overall status, or with ``annotators``, by any of those analysts' own status.
        Each document carries every analyst's status in ``statuses``. ``curated`` keeps the
        curated layer alone: the documents a curator settled, with their curated spans.
        ``suggestions=False`` leaves suggested spans and relations out. ``with_statuses`` and
        ``with_relations`` can be turned off by a reader that does not write them (they cost a
        lookup per document).
        """
        doc_where, doc_params = _document_filter(statuses, annotators, curated)
        span_clauses, span_params = ["s.document_id BETWEEN ? AND ?"], []
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
        span_sql = (
            f"SELECT {SPAN_COLUMNS} FROM spans s JOIN labels l ON l.id = s.label_id"
            f' WHERE {" AND ".join(span_clauses)} ORDER BY s.document_id, s.start, s."end", s.id'
        )
        relation_sql = (
            f"SELECT {RELATION_COLUMNS} FROM relations r JOIN relation_types t"
            " ON t.id = r.type_id WHERE r.document_id BETWEEN ? AND ?"
            + ("" if suggestions else " AND r.origin != 'suggested'")
            + " ORDER BY r.document_id, r.id"
        )
        # One read transaction on a connection of its own keeps every query consistent.
        reader = sqlite3.connect(
            str(self.connection.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
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
            # The documents a few hundred at a time, with the spans (and relations) of each
            # batch read by one query over its range of ids and sorted out here.
            while batch := docs.fetchmany(_BATCH):
                first, last = batch[0][0], batch[-1][0]
                spans: dict[int, list[Span]] = {}
                for row in reader.execute(span_sql, [first, last, *span_params]):
                    spans.setdefault(row[1], []).append(span_from_row(row))
                linked: dict[int, list[Relation]] = {}
                if with_relations:
                    for row in reader.execute(relation_sql, (first, last)):
                        linked.setdefault(row[1], []).append(relation_from_row(row))
                for row in batch:
                    doc = document_from_row(row)
                    mine = spans.get(doc.id, [])
                    if doc.id in linked:
                        shown = {s.id for s in mine}
                        doc.relations += [  # both ends are in this export
                            r for r in linked[doc.id] if r.head in shown and r.child in shown
                        ]
                    yield doc, mine
            reader.execute("COMMIT")
        finally:
            reader.close()

    def count_streamed(
        self,
        *,
        statuses: Sequence[str] | None = None,
        annotators: Sequence[str] | None = None,
        curated: bool = False,
    ) -> int:
        """How many documents :meth:`stream` gives for these filters (an export counts what
        its status filter left out with it)."""
        where, params = _document_filter(statuses, annotators, curated)
        return int(
            self.conn.execute(f"SELECT count(*) FROM documents{where}", params).fetchone()[0]
        )

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


def _by_id(row: DocumentRow) -> int:
    return row.id


def _joined(order: str) -> str:
    """What an order needs joined onto documents d; a name not in ``ORDERS`` is refused."""
    if order not in _ORDER_BY:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    return _UNSURE if order == "uncertain" else ""


def _document_filter(
    statuses: Sequence[str] | None, annotators: Sequence[str] | None, curated: bool
) -> tuple[str, list[Any]]:
    """The WHERE clause over ``documents`` that :meth:`Documents.stream` picks documents by:
    their overall status, or with ``annotators``, any of those analysts' own status."""
    where, params = "", []
    marks = ", ".join("?" * len(statuses or ()))
    if statuses and annotators:
        where = (
            " WHERE EXISTS (SELECT 1 FROM json_each(?) a WHERE COALESCE((SELECT s.status"
            " FROM statuses s WHERE s.document_id = documents.id AND s.annotator = a.value),"
            f" 'new') IN ({marks}))"
        )
        params = [json.dumps(list(annotators)), *statuses]
    elif statuses:
        where = f" WHERE status IN ({marks})"
        params = list(statuses)
    if curated:
        joiner = " AND " if where else " WHERE "
        where += f"{joiner}id IN (SELECT document_id FROM curations)"
    return where, params
