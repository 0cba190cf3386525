"""The analysts' layers and the curated layer of a project, read for agreement, curation and review:
each analyst's spans and relations, who marked what done, what is settled, and one document's
spans by who made them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.store.document_marks import curated_among
from annotator.store.project import Store
from annotator.team.agreement import Layer

CURATED = "curated"  # the name the curated layer goes by in agreement tables


ANALYST_ORIGINS = ("manual", "imported")


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


def layers_by_document(store: Store, labels: set[str]) -> dict[str, Layer]:
    """Each analyst's spans of ``labels`` (made or imported), by document and label, as
    agreement compares them: read and sorted in one pass."""
    out: dict[str, Layer] = {}
    for who, doc, start, end, label in store.conn.execute(
        'SELECT s.annotator, s.document_id, s.start, s."end", l.name FROM spans s'
        " JOIN labels l ON l.id = s.label_id WHERE s.origin IN ('manual', 'imported')"
    ):
        if label in labels:
            layer = out.get(who)
            if layer is None:
                layer = out[who] = {}
            of_document = layer.get(doc)
            if of_document is None:
                of_document = layer[doc] = {}
            of_label = of_document.get(label)
            if of_label is None:
                of_document[label] = [(start, end)]
            else:
                of_label.append((start, end))
    return out


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


def curated_documents(store: Store, documents: Sequence[int] | None = None) -> set[int]:
    """The documents a curator settled (of ``documents``, when given)."""
    return curated_among(store.conn, documents)


def lengths(store: Store, documents: Iterable[int] | None = None) -> dict[int, int]:
    """Each document's length in characters (code points, as offsets count them), of every
    document or of ``documents``.

    SQLite's length() stops counting at a NUL character, which a text may hold; the few
    texts that hold one (found by a byte search, which does not stop there) are counted
    here instead, so that no span reaches past its document's length."""
    out: dict[int, int] = {}
    if documents is None:
        rows = store.conn.execute(
            "SELECT id, length(text), instr(CAST(text AS BLOB), x'00') FROM documents"
        )
    else:
        rows = store.conn.execute(
            "SELECT d.id, length(d.text), instr(CAST(d.text AS BLOB), x'00') FROM json_each(?) m"
            " JOIN documents d ON d.id = m.value",
            (json.dumps(sorted(documents)),),
        )
    for doc, size, nul in rows:
        out[doc] = len(store.documents.text(doc)) if nul else size
    return out


def curated_layer_of(store: Store, document_id: int) -> list[tuple[int, int, int, str]]:
    rows = store.conn.execute(
        'SELECT s.document_id, s.start, s."end", l.name FROM spans s'
        " JOIN labels l ON l.id = s.label_id WHERE s.origin = 'curated' AND s.document_id = ?",
        (document_id,),
    )
    return [tuple(r) for r in rows]


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


def statuses_by_document(store: Store) -> dict[int, dict[str, str]]:
    """Every analyst's status on every document they have one for (no entry: new)."""
    out: dict[int, dict[str, str]] = {}
    for doc, who, status in store.conn.execute(
        "SELECT document_id, annotator, status FROM statuses ORDER BY annotator"
    ):
        out.setdefault(doc, {})[who] = status
    return out


@dataclass(frozen=True)
class LayerRelation:
    """A relation as one or more analysts made it: identical relations (the same type between
    ends of the same start, end and label) are one, with everyone who made it."""

    head: LayerSpan
    child: LayerSpan
    kind: str
    analysts: tuple[str, ...]

    @property
    def key(self) -> tuple[tuple[int, int, str], tuple[int, int, str], str]:
        return (self.head.key, self.child.key, self.kind)


def document_relations(store: Store, document_id: int) -> list[LayerRelation]:
    """Every analyst's relations on one document (between spans made or imported), identical
    ones once, in the text order of their heads."""
    rows = store.conn.execute(
        'SELECT h.start, h."end", hl.name, h.text, c.start, c."end", cl.name, c.text, t.name,'
        " h.annotator FROM relations r JOIN relation_types t ON t.id = r.type_id"
        " JOIN spans h ON h.id = r.head JOIN labels hl ON hl.id = h.label_id"
        " JOIN spans c ON c.id = r.child JOIN labels cl ON cl.id = c.label_id"
        " WHERE r.document_id = ? AND h.origin IN ('manual', 'imported')"
        " AND c.origin IN ('manual', 'imported')"
        ' ORDER BY h.start, h."end", c.start, c."end", t.name, h.annotator',
        (document_id,),
    )
    found: dict[tuple, tuple[LayerSpan, LayerSpan, list[str]]] = {}
    for hs, he, hl, ht, cs, ce, cl, ct, kind, who in rows:
        key = ((hs, he, hl), (cs, ce, cl), kind)
        if key not in found:
            found[key] = (LayerSpan(hs, he, hl, ht, ()), LayerSpan(cs, ce, cl, ct, ()), [])
        analysts = found[key][2]
        if who not in analysts:
            analysts.append(who)
    return [
        LayerRelation(head, child, key[2], tuple(analysts))
        for key, (head, child, analysts) in found.items()
    ]
