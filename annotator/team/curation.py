"""The curated (gold) layer: what the analysts agree on put into it, and documents settled.

The curated layer is the spans with origin ``curated``, made by a curator; a document is in it
once a curator has settled it (``curations``), even if nothing in it was kept. The analysts'
layers it is built from are read by :mod:`annotator.team.layers`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from annotator.changes import Change, Changes
from annotator.model import utc_now
from annotator.store.project import Store
from annotator.store.statuses import document_state
from annotator.team.layers import (
    CURATED,
    RelationKey,
    analyst_layers,
    curated_layer_of,
    done_by,
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
    and no span is written with a label that is gone. The documents in ``keep`` (the gold
    ones, the reference analysts are scored against) are left as they are."""
    report = CurationReport()
    now = utc_now()
    with store.transaction():
        done = done_by(store)
        layers = analyst_layers(store)
        by_doc: dict[int, list[str]] = {}
        for who, docs in done.items():
            for doc in docs:
                by_doc.setdefault(doc, []).append(who)
        label_ids = store.labels.ids()
        linked = relation_layers(store)  # read once for every document
        curated_links = relation_layers(store, curated=True).get(CURATED, [])
        for doc in sorted(by_doc):
            analysts = by_doc[doc]
            if doc in keep:
                report.kept += 1
                continue
            if len(analysts) < 2:
                report.skipped += 1
                continue
            added = _curate_one(store, doc, analysts, layers, linked, curated_links, label_ids, now)
            report.spans += added[0]
            report.relations += added[1]
            store.conn.execute(
                "INSERT INTO curations (document_id, curator, curated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (document_id) DO NOTHING",
                (doc, store.annotator, now),
            )
            store.record_change("curate_agreed", doc, spans=added[0])
            report.documents += 1
            report.changes.settled[doc] = store.annotator
            report.changes.reread.add(doc)
            report.changes.document_list = True
    return report


def _curate_one(
    store: Store,
    doc: int,
    analysts: list[str],
    layers: dict[str, list[tuple[int, int, int, str]]],
    linked: dict[str, list[RelationKey]],
    curated_links: list[RelationKey],
    label_ids: dict[str, int],
    now: str,
) -> tuple[int, int]:
    """One document's agreed spans and relations into its curated layer, less what is there
    already (in the caller's transaction); how many spans and relations were added."""
    counts = [
        Counter((s, e, lab) for d, s, e, lab in layers.get(who, []) if d == doc) for who in analysts
    ]
    agreed = counts[0]
    for other in counts[1:]:
        agreed &= other
    have = Counter((s, e, lab) for d, s, e, lab in curated_layer_of(store, doc) if d == doc)
    text = store.documents.text(doc)
    given = _attributes_given(store, doc, analysts)
    rows = []
    for (start, end, label), count in sorted((agreed - have).items()):
        alike = given.get((start, end, label))
        rows += [
            (
                doc,
                start,
                end,
                label_ids[label],
                text[start:end],
                store.annotator,
                None,
                "curated",
                now,
                now,
                None,
                None,
                alike,
            )
        ] * count
    if rows:
        store.spans.insert_many(rows)
        store.spans.count_new(doc, len(rows))
    return len(rows), _curate_relations(store, doc, analysts, linked, curated_links, now)


def _attributes_given(
    store: Store, doc: int, analysts: list[str]
) -> dict[tuple[int, int, str], str | None]:
    """For each span the analysts made, the attributes (as stored, JSON) when they all gave
    them alike, else None."""
    seen: dict[tuple[int, int, str], set[str | None]] = {}
    marks = ", ".join("?" * len(analysts))
    for start, end, label, attributes in store.conn.execute(
        'SELECT s.start, s."end", l.name, s.attributes FROM spans s JOIN labels l'
        f" ON l.id = s.label_id WHERE s.document_id = ? AND s.annotator IN ({marks})"
        " AND s.origin IN ('manual', 'imported')",
        (doc, *analysts),
    ):
        seen.setdefault((start, end, label), set()).add(attributes)
    return {key: next(iter(values)) if len(values) == 1 else None for key, values in seen.items()}


def _curate_relations(
    store: Store,
    doc: int,
    analysts: list[str],
    linked: dict[str, list[RelationKey]],
    curated_links: list[RelationKey],
    now: str,
) -> int:
    """The relations every analyst made identically on a document (``linked``: each analyst's
    relations), between its curated spans (both ends must be there already). Returns how many
    were added."""
    counts = [Counter(r for r in linked.get(who, []) if r[0] == doc) for who in analysts]
    agreed = counts[0]
    for other in counts[1:]:
        agreed &= other
    have = Counter(r for r in curated_links if r[0] == doc)
    ends: dict[tuple[int, int, str], int] = {}
    for sid, start, end, label in store.conn.execute(
        'SELECT s.id, s.start, s."end", l.name FROM spans s JOIN labels l ON l.id = s.label_id'
        " WHERE s.document_id = ? AND s.origin = 'curated' ORDER BY s.id",
        (doc,),
    ):
        ends.setdefault((start, end, label), sid)
    type_ids = {kind.name: kind.id for kind in store.relation_types.all()}
    added = 0
    for (_, head, child, kind), count in sorted((agreed - have).items()):
        if head in ends and child in ends and kind in type_ids:
            for _ in range(count):
                store.conn.execute(
                    "INSERT INTO relations (document_id, head, child, type_id, annotator, origin,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'curated', ?, ?)",
                    (doc, ends[head], ends[child], type_ids[kind], store.annotator, now, now),
                )
                added += 1
    return added


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
        _curate_one(
            store,
            document_id,
            analysts,
            analyst_layers(store, document_id),
            relation_layers(store, document=document_id),
            relation_layers(store, curated=True, document=document_id).get(CURATED, []),
            store.labels.ids(),
            utc_now(),
        )
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
