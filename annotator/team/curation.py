"""The curated (gold) layer: what the analysts agree on put into it, and documents settled.

The curated layer is the spans with origin ``curated``, made by a curator; a document is in it
once a curator has settled it (``curations``), even if nothing in it was kept. The analysts'
layers it is built from are read by :mod:`annotator.team.layers`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.changes import Change, Changes
from annotator.model import utc_now
from annotator.store.project import Store
from annotator.store.statuses import document_state
from annotator.team.layers import (
    CURATED,
    RelationKey,
    curated_layer_of,
    done_on,
    relation_layers,
)


@dataclass
class CurationReport:
    documents: int = 0  # documents settled
    spans: int = 0  # spans put into the curated layer
    skipped: int = 0  # documents fewer than two analysts marked done
    relations: int = 0  # relations put into the curated layer
    kept: int = 0  # documents left as they were, as asked (gold ones)
    #: Documents settled, and every list of documents to read again (the curated spans and
    #: relations of many documents are not listed one by one).
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        def n(count: int, noun: str) -> str:
            return f"{count} {noun}{'' if count == 1 else 's'}"

        relations = f" and {n(self.relations, 'agreed relation')}" if self.relations else ""
        return (
            f"{n(self.spans, 'agreed span')}{relations} put into the curated layer, over "
            f"{n(self.documents, 'document')}; {n(self.skipped, 'document')} left out "
            "(fewer than two analysts marked them done)."
        )


def curate_agreed(store: Store, *, keep: Collection[int] = ()) -> CurationReport:
    """The automatic part of curation: on every document at least two analysts marked done,
    the spans that every analyst who marked it done made identically (same start, end and
    label) go into the curated layer, by the current analyst as curator. A span already
    curated is not added twice.

    One transaction, which reads as well as writes: another curation run at the same time
    (or a label deleted meanwhile) is seen whole or not at all, so a second run adds nothing
    and no span is written with a label that is gone. What it reads and writes is a few
    statements whatever the number of documents. The documents in ``keep`` (the gold ones,
    the reference analysts are scored against) are left as they are."""
    report = CurationReport()
    now = utc_now()
    with store.bulk_writes(), store.transaction():
        by_doc = _chosen(store)
        kept = {doc for doc in by_doc if doc in keep}
        report.kept = len(kept)
        chosen = {
            doc: analysts
            for doc, analysts in by_doc.items()
            if len(analysts) >= 2 and doc not in kept
        }
        report.skipped = len(by_doc) - len(chosen) - len(kept)
        added = _curate(store, chosen, now)
        store.conn.executemany(
            "INSERT INTO curations (document_id, curator, curated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (document_id) DO NOTHING",
            [(doc, store.annotator, now) for doc in chosen],
        )
        store.connection.record_changes(
            ("curate_agreed", doc, None, {"spans": added[doc][0]}) for doc in chosen
        )
        for doc in chosen:
            report.spans += added[doc][0]
            report.relations += added[doc][1]
            report.documents += 1
            report.changes.settled[doc] = store.annotator
            report.changes.reread.add(doc)
        report.changes.document_list = bool(chosen)
    return report


# The spans to put into the curated layer, in SQL over the whole project (or, with {one}, one
# document ?1): on each document two or more analysts marked done, each span every one of them
# made (as many times as each made it), less the curated spans there already; with its text,
# and its attributes when every analyst gave the same. In the order they go in: by document,
# then start, end and label name. The whole project's spans are read in one pass over the
# table ({scan}: not along an index, which would fetch them one by one).
_AGREED = """
    WITH chosen AS (
        SELECT document_id AS id, count(*) AS analysts FROM statuses
        WHERE status = 'done'{one}
        GROUP BY document_id HAVING count(*) >= 2),
    made AS (
        SELECT s.document_id AS doc, s.start, s."end" AS stop, s.label_id AS label,
            count(*) AS times, min(s.text) AS text, count(s.attributes) AS given,
            min(s.attributes) AS low, max(s.attributes) AS high
        FROM spans s {scan} CROSS JOIN statuses d ON d.document_id = s.document_id
            AND d.annotator = s.annotator AND d.status = 'done'
        WHERE s.origin IN ('manual', 'imported'){one_span}
        GROUP BY s.document_id, s.start, s."end", s.label_id, s.annotator),
    agreed AS MATERIALIZED (
        SELECT m.doc, m.start, m.stop, m.label, min(m.times) - (
                SELECT count(*) FROM spans h WHERE h.document_id = m.doc AND h.start = m.start
                AND h."end" = m.stop AND h.label_id = m.label AND h.origin = 'curated'
            ) AS missing,
            min(m.text) AS text,
            sum(m.times) = sum(m.given) AND min(m.low) = max(m.high) AS alike, min(m.low) AS value
        FROM made m JOIN chosen c ON c.id = m.doc
        GROUP BY m.doc, m.start, m.stop, m.label HAVING count(*) = min(c.analysts))
    SELECT a.doc, a.start, a.stop, l.name, a.missing, a.text, CASE WHEN a.alike THEN a.value END
    FROM agreed a JOIN labels l ON l.id = a.label
    WHERE a.missing > 0 ORDER BY a.doc, a.start, a.stop, l.name"""


def _agreed_sql(document: int | None) -> str:
    if document is None:
        return _AGREED.format(one="", one_span="", scan="NOT INDEXED")
    return _AGREED.format(one=" AND document_id = ?1", one_span=" AND s.document_id = ?1", scan="")


def _chosen(store: Store, document: int | None = None) -> dict[int, list[str]]:
    """The documents (of the project, or the one ``document``) and the analysts who marked
    each done, by name."""
    out: dict[int, list[str]] = {}
    for doc, who in store.conn.execute(
        "SELECT document_id, annotator FROM statuses WHERE status = 'done'"
        " AND (?1 IS NULL OR document_id = ?1) ORDER BY document_id, annotator",
        (document,),
    ):
        out.setdefault(doc, []).append(who)
    return out


def _agreed(counts: list[Counter[Any]], have: Counter[Any]) -> list[tuple[Any, int]]:
    """What every one of ``counts`` holds (as many times as each holds it), less ``have``."""
    agreed = counts[0].copy()
    for other in counts[1:]:
        agreed &= other
    return sorted((agreed - have).items())


def _curate(
    store: Store, chosen: Mapping[int, list[str]], now: str, document: int | None = None
) -> dict[int, tuple[int, int]]:
    """Each chosen document's agreed spans and relations into its curated layer, less what is
    there already (in the caller's transaction): how many spans and relations each got. The
    spans are found by one query and go in with one statement, under ids taken in order; then
    the relations between them."""
    label_ids = store.labels.ids()
    rows: list[tuple[Any, ...]] = []
    made: list[tuple[int, int, int, str]] = []  # (document, start, end, label) of each row
    added: dict[int, list[int]] = {doc: [0, 0] for doc in chosen}
    found = store.conn.execute(_agreed_sql(document), () if document is None else (document,))
    for doc, start, end, label, count, text, alike in found:
        if doc not in added:
            continue  # a document left as it is (a gold one)
        row = (doc, start, end, label_ids[label], text, store.annotator, None, "curated",
               now, now, None, None, alike)  # fmt: skip
        rows += [row] * count
        made += [(doc, start, end, label)] * count
        added[doc][0] += count
    ids = store.spans.insert_numbered(rows)
    store.spans.count_added({doc: spans for doc, (spans, _) in added.items()})
    links = _agreed_links(store, chosen, document)
    if links:
        type_ids = {kind.name: kind.id for kind in store.relation_types.all()}
        ends: dict[tuple[int, int, int, str], int] = {}
        for sid, doc, start, end, label in store.conn.execute(
            'SELECT s.id, s.document_id, s.start, s."end", l.name FROM json_each(?) m'
            " JOIN spans s ON s.document_id = m.value JOIN labels l ON l.id = s.label_id"
            " WHERE s.origin = 'curated' ORDER BY s.id",
            (json.dumps(sorted(links)),),
        ):
            ends.setdefault((doc, start, end, label), sid)
        rows_of_links = []
        for doc, agreed in sorted(links.items()):
            for (_, (hs, he, hl), (cs, ce, cl), kind), count in agreed:
                head, child = ends.get((doc, hs, he, hl)), ends.get((doc, cs, ce, cl))
                if head is not None and child is not None and kind in type_ids:
                    link = (doc, head, child, type_ids[kind], store.annotator, now, now)
                    rows_of_links += [link] * count
                    added[doc][1] += count
        store.conn.executemany(
            "INSERT INTO relations (document_id, head, child, type_id, annotator, origin,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'curated', ?, ?)",
            rows_of_links,
        )
    assert len(ids) == len(made)
    return {doc: (spans, relations) for doc, (spans, relations) in added.items()}


def _agreed_links(
    store: Store, chosen: Mapping[int, list[str]], document: int | None
) -> dict[int, list[tuple[RelationKey, int]]]:
    """For each chosen document with any, the relations every analyst who marked it done made
    identically, less those in its curated layer."""
    linked: dict[tuple[int, str], Counter[RelationKey]] = {}
    for who, keys in relation_layers(store, document=document).items():
        for key in keys:
            if who in chosen.get(key[0], ()):
                linked.setdefault((key[0], who), Counter())[key] += 1
    if not linked:
        return {}
    have: dict[int, Counter[RelationKey]] = {}
    for key in relation_layers(store, curated=True, document=document).get(CURATED, []):
        have.setdefault(key[0], Counter())[key] += 1
    out = {}
    for doc, analysts in chosen.items():
        counts = [linked.get((doc, who), Counter()) for who in analysts]
        agreed = _agreed(counts, have.get(doc, Counter()))
        if agreed:
            out[doc] = agreed
    return out


# -- one document at a time, for the window's review mode -------------------------------------


def curate_document(store: Store, document_id: int) -> Changes:
    """What ``curate --agreed`` does for one document, without settling it: the spans and the
    relations every analyst who marked it done made identically go into its curated layer
    (less what is there). The changes list every span and relation added, for a window to
    show and an undo to take out."""
    with store.transaction():
        analysts = done_on(store, document_id)
        if len(analysts) < 2:
            return Changes()
        shown = {s.id: s for s in store.spans.in_document(document_id) if s.origin == "curated"}
        linked_before = {r.id for r in store.relations.in_document(document_id)}
        state = document_state(store.conn, document_id, store.annotator)
        _curate(store, {document_id: analysts}, utc_now(), document_id)
        spans = [
            s
            for s in store.spans.in_document(document_id)
            if s.origin == "curated" and s.id not in shown
        ]
        relations = [
            r for r in store.relations.in_document(document_id) if r.id not in linked_before
        ]
        if spans or relations:
            store.record_change("curate_agreed", document_id, spans=len(spans))
        after = document_state(store.conn, document_id, store.annotator)
        return Changes(
            spans={s.id: Change(None, s) for s in spans if s.id is not None},
            relations={r.id: Change(None, r) for r in relations if r.id is not None},
            documents={document_id: Change(state, after)} if spans else {},
        )


def agreed_spans(store: Store, document_id: int) -> list[tuple[int, int, str]]:
    """What :func:`curate_agreed` puts into the curated layer for one document: the spans
    every analyst who marked it done made identically (start, end, label), less those curated
    already. Empty when fewer than two analysts marked it done."""
    analysts = done_on(store, document_id)
    if len(analysts) < 2:
        return []
    mine: dict[str, Counter[tuple[int, int, str]]] = {who: Counter() for who in analysts}
    for who, start, end, label in store.conn.execute(
        'SELECT s.annotator, s.start, s."end", l.name FROM spans s'
        " JOIN labels l ON l.id = s.label_id"
        " WHERE s.document_id = ? AND s.origin IN ('manual', 'imported')",
        (document_id,),
    ):
        if who in mine:
            mine[who][(start, end, label)] += 1
    counts = list(mine.values())
    agreed = counts[0]
    for other in counts[1:]:
        agreed &= other
    have = Counter((s, e, lab) for _, s, e, lab in curated_layer_of(store, document_id))
    out: list[tuple[int, int, str]] = []
    for key, count in sorted((agreed - have).items()):
        out += [key] * count
    return out


def is_settled(store: Store, document_id: int) -> bool:
    row = store.conn.execute(
        "SELECT 1 FROM curations WHERE document_id = ?", (document_id,)
    ).fetchone()
    return row is not None


def settle(store: Store, document_id: int) -> Changes:
    """Mark a document settled by the current analyst as curator: its curated spans are its
    gold layer, even when none was kept. The changes say so (nothing, when it was settled
    before)."""
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO curations (document_id, curator, curated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (document_id) DO NOTHING",
            (document_id, store.annotator, utc_now()),
        )
        if not cur.rowcount:
            return Changes()
        store.record_change("settle", document_id)
        return Changes(settled={document_id: store.annotator})


def unsettle(store: Store, document_id: int) -> Changes:
    """Take a document out of the settled ones (its curated spans stay). The changes say so
    (nothing, when it was not settled)."""
    with store.transaction():
        cur = store.conn.execute("DELETE FROM curations WHERE document_id = ?", (document_id,))
        if not cur.rowcount:
            return Changes()
        store.record_change("unsettle", document_id)
        return Changes(settled={document_id: None})


def curator_of(store: Store, document_id: int) -> str | None:
    """Who settled a document (None: no one has)."""
    row = store.conn.execute(
        "SELECT curator FROM curations WHERE document_id = ?", (document_id,)
    ).fetchone()
    return row[0] if row else None


def next_unsettled(store: Store, after: int | None) -> int | None:
    """The next document in project order (wrapping round) that no curator has settled."""
    sql = (
        "SELECT d.id FROM documents d WHERE d.id > ? AND NOT EXISTS"
        " (SELECT 1 FROM curations c WHERE c.document_id = d.id) ORDER BY d.id LIMIT 1"
    )
    row = store.conn.execute(sql, (after or 0,)).fetchone()
    if row is None and after:
        row = store.conn.execute(sql, (0,)).fetchone()
    return row[0] if row else None
