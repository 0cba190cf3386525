"""The analysts' layers of a project, their agreement, and the curated (gold) layer.

An analyst's layer is the spans they made or imported (not suggestions, not curated spans).
The curated layer is the spans with origin ``curated``, made by a curator; a document is in it
once a curator has settled it (``curations``), even if nothing in it was kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.changes import Change, Changes
from annotator.model import LabelError, utc_now
from annotator.store.project import Store
from annotator.store.statuses import document_state
from annotator.team.agreement import PairAgreement, all_pairs, disagreements, pair_agreement

CURATED = "curated"  # the name the curated layer goes by in agreement tables
ANALYST_ORIGINS = ("manual", "imported")


def _labels(store: Store, wanted: Sequence[str] | None) -> list[str]:
    names = [lab.name for lab in store.labels.all()]
    if not wanted:
        return names
    unknown = [w for w in wanted if w not in names]
    if unknown:
        raise LabelError(f"unknown label {unknown[0]!r}; this project has {', '.join(names)}")
    return list(dict.fromkeys(wanted))


def analyst_layers(
    store: Store, document: int | None = None
) -> dict[str, list[tuple[int, int, int, str]]]:
    """Each analyst's spans as (document, start, end, label) (of one ``document``, if given)."""
    layers: dict[str, list[tuple[int, int, int, str]]] = {}
    one = " AND s.document_id = ?" if document is not None else ""
    rows = store.conn.execute(
        'SELECT s.annotator, s.document_id, s.start, s."end", l.name FROM spans s'
        f" JOIN labels l ON l.id = s.label_id WHERE s.origin IN ('manual', 'imported'){one}",
        () if document is None else (document,),
    )
    for who, doc, start, end, label in rows:
        layers.setdefault(who, []).append((doc, start, end, label))
    return layers


RelationKey = tuple[int, tuple[int, int, str], tuple[int, int, str], str]  # doc, head, child, type


def relation_layers(
    store: Store, *, curated: bool = False, document: int | None = None
) -> dict[str, list[RelationKey]]:
    """Each analyst's relations (or, with ``curated``, the curated layer's under CURATED), each
    by its document, its two ends (start, end, label) and its type: a relation agrees with
    another when all of these do. Of one ``document``, if given."""
    origin = "= 'curated'" if curated else "IN ('manual', 'imported')"
    one = " AND r.document_id = ?" if document is not None else ""
    rows = store.conn.execute(
        'SELECT h.annotator, r.document_id, h.start, h."end", hl.name, c.start, c."end",'
        " cl.name, t.name FROM relations r JOIN relation_types t ON t.id = r.type_id"
        " JOIN spans h ON h.id = r.head JOIN labels hl ON hl.id = h.label_id"
        " JOIN spans c ON c.id = r.child JOIN labels cl ON cl.id = c.label_id"
        f" WHERE h.origin {origin} AND c.origin {origin}{one}",
        () if document is None else (document,),
    )
    out: dict[str, list[RelationKey]] = {}
    for who, doc, hs, he, hl, cs, ce, cl, kind in rows:
        out.setdefault(CURATED if curated else who, []).append(
            (doc, (hs, he, hl), (cs, ce, cl), kind)
        )
    return out


def relation_agreement(
    a: list[RelationKey], b: list[RelationKey], documents: set[int], types: list[str]
) -> dict[str, dict[str, Any]]:
    """Per relation type: how many each analyst made, and exact F1 (ends and type agree)."""
    out: dict[str, dict[str, Any]] = {}
    for kind in types:
        mine = Counter(r for r in a if r[3] == kind and r[0] in documents)
        theirs = Counter(r for r in b if r[3] == kind and r[0] in documents)
        total = sum(mine.values()) + sum(theirs.values())
        matched = sum((mine & theirs).values())
        out[kind] = {
            "a_relations": sum(mine.values()),
            "b_relations": sum(theirs.values()),
            "exact_f1": 2 * matched / total if total else None,
        }
    return out


def curated_layer(store: Store) -> list[tuple[int, int, int, str]]:
    rows = store.conn.execute(
        'SELECT s.document_id, s.start, s."end", l.name FROM spans s'
        " JOIN labels l ON l.id = s.label_id WHERE s.origin = 'curated'"
    )
    return [tuple(r) for r in rows]


def done_by(store: Store) -> dict[str, set[int]]:
    done: dict[str, set[int]] = {}
    for who, doc in store.conn.execute(
        "SELECT annotator, document_id FROM statuses WHERE status = 'done'"
    ):
        done.setdefault(who, set()).add(doc)
    return done


def curated_documents(store: Store) -> set[int]:
    return {r[0] for r in store.conn.execute("SELECT document_id FROM curations")}


def lengths(store: Store) -> dict[int, int]:
    """Each document's length in characters (code points, as offsets count them).

    SQLite's length() stops counting at a NUL character, which a text may hold; the few
    texts that hold one (found by a byte search, which does not stop there) are counted
    here instead, so that no span reaches past its document's length."""
    out: dict[int, int] = {}
    for doc, size, nul in store.conn.execute(
        "SELECT id, length(text), instr(CAST(text AS BLOB), x'00') FROM documents"
    ):
        out[doc] = len(store.documents.text(doc)) if nul else size
    return out


@dataclass
class AgreementReport:
    pairs: list[PairAgreement]
    documents: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, dict[str, Any]]] = field(default_factory=list)  # by pair

    def to_json(self) -> dict[str, Any]:
        pairs = []
        for i, pair in enumerate(self.pairs):
            data = pair.to_json()
            if i < len(self.relations):
                data["relations"] = self.relations[i]
            pairs.append(data)
        return {"pairs": pairs, "documents": self.documents}


def agreement(
    store: Store, labels: Sequence[str] | None = None, *, against: str | None = None
) -> AgreementReport:
    """Every pair of analysts over the documents both marked done, or (``against="curated"``)
    each analyst against the curated layer over the documents they did that were curated."""
    chosen = _labels(store, labels)
    layers = analyst_layers(store)
    done = done_by(store)
    analysts = sorted(set(layers) | set(done))
    size = lengths(store)
    if against is None:
        pairs = all_pairs(analysts, done, size, layers, chosen)
    elif against == CURATED:
        settled = curated_documents(store)
        both = {**layers, CURATED: curated_layer(store)}
        pairs = [
            pair_agreement(who, CURATED, sorted(done.get(who, set()) & settled), size, both, chosen)
            for who in analysts
        ]
    else:
        raise ValueError(f"agreement can be measured against {CURATED!r} only, not {against!r}")
    linked = relation_layers(store)
    if against == CURATED:
        linked.update(relation_layers(store, curated=True))
    types = [kind.name for kind in store.relation_types.all()]
    by_pair = [
        relation_agreement(linked.get(p.a, []), linked.get(p.b, []), set(p.documents), types)
        for p in pairs
    ]
    rows = []
    for doc, unmatched, exact in disagreements(pairs):
        row = store.documents.row(doc)
        rows.append(
            {
                "number": doc,
                "id": row.external_id if row.external_id is not None else str(doc),
                "title": row.title,
                "unmatched_spans": unmatched,
                "exact_f1": exact,
            }
        )
    return AgreementReport(pairs, rows, by_pair)


@dataclass
class CurationReport:
    documents: int = 0  # documents settled
    spans: int = 0  # spans put into the curated layer
    skipped: int = 0  # documents fewer than two analysts marked done
    relations: int = 0  # relations put into the curated layer
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


def curate_agreed(store: Store) -> CurationReport:
    """The automatic part of curation: on every document at least two analysts marked done,
    the spans that every analyst who marked it done made identically (same start, end and
    label) go into the curated layer, by the current analyst as curator. A span already
    curated is not added twice.

    One transaction, which reads as well as writes: another curation run at the same time
    (or a label deleted meanwhile) is seen whole or not at all, so a second run adds nothing
    and no span is written with a label that is gone."""
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


def curated_layer_of(store: Store, document_id: int) -> list[tuple[int, int, int, str]]:
    rows = store.conn.execute(
        'SELECT s.document_id, s.start, s."end", l.name FROM spans s'
        " JOIN labels l ON l.id = s.label_id WHERE s.origin = 'curated' AND s.document_id = ?",
        (document_id,),
    )
    return [tuple(r) for r in rows]


# -- one document at a time, for the window's review mode -------------------------------------


@dataclass(frozen=True)
class LayerSpan:
    """A span as one or more analysts made it: identical spans (same start, end and label)
    are one, with everyone who made it."""

    start: int
    end: int
    label: str
    text: str
    analysts: tuple[str, ...]

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)


def document_layers(store: Store, document_id: int) -> list[LayerSpan]:
    """Every analyst's spans on one document (made or imported; not suggestions, not curated),
    identical ones once, in text order."""
    rows = store.conn.execute(
        'SELECT s.start, s."end", l.name, s.text, s.annotator FROM spans s'
        " JOIN labels l ON l.id = s.label_id"
        " WHERE s.document_id = ? AND s.origin IN ('manual', 'imported')"
        ' ORDER BY s.start, s."end", l.position, l.name, s.annotator',
        (document_id,),
    )
    found: dict[tuple[int, int, str], tuple[str, list[str]]] = {}
    for start, end, label, text, who in rows:
        _, analysts = found.setdefault((start, end, label), (text, []))
        if who not in analysts:
            analysts.append(who)
    return [
        LayerSpan(start, end, label, text, tuple(analysts))
        for (start, end, label), (text, analysts) in found.items()
    ]


def done_on(store: Store, document_id: int) -> list[str]:
    """The analysts who marked a document done, by name."""
    rows = store.conn.execute(
        "SELECT annotator FROM statuses WHERE document_id = ? AND status = 'done'"
        " ORDER BY annotator",
        (document_id,),
    )
    return [r[0] for r in rows]


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


def statuses_by_document(store: Store) -> dict[int, dict[str, str]]:
    """Every analyst's status on every document they have one for (no entry: new)."""
    out: dict[int, dict[str, str]] = {}
    for doc, who, status in store.conn.execute(
        "SELECT document_id, annotator, status FROM statuses ORDER BY annotator"
    ):
        out.setdefault(doc, {})[who] = status
    return out
