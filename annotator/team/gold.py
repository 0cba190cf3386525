"""Gold checks: curated documents the lead marks as gold, and mixes into analysts' packets
without telling them, so that each analyst can be scored against the curated layer on them
(:mod:`annotator.team.gold_scores`).

A document can be gold only once it has a curated layer: a curator settled it, or it holds
curated spans. ``gold`` lists the gold documents. ``gold_given`` records which went to which
analyst, in which packet, and where in their queue: ``place`` is a number between the
positions of the two assigned documents it sits between, so that a packet of everything
assigned (``packet --all``) puts it back where it was. A gold document is never handed out
by ``assign`` (it would go to some analysts twice): only as gold, and never to an analyst who
was given it before, was assigned it, or has worked on it in the lead's project.

A packet holds nothing that tells a gold document from another: the same columns, no spans,
no flag, no setting naming it; the record of it is the lead's alone.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.model import Refused, utc_now
from annotator.printable import printable
from annotator.store.project import Store

# A gold document still has a curated layer: settled, or holding curated spans.
_CURATED = (
    "(EXISTS (SELECT 1 FROM curations c WHERE c.document_id = {doc})"
    " OR EXISTS (SELECT 1 FROM spans s WHERE s.document_id = {doc} AND s.origin = 'curated'))"
)


class GoldError(Refused):
    """A gold mark, or gold documents for a packet, refused as asked; nothing was written."""


@dataclass
class GoldDocument:
    """A gold document as the lead's listing shows it."""

    number: int
    id: str
    title: str
    curated_spans: int
    settled: bool
    marked_at: str
    marked_by: str
    given_to: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "id": self.id,
            "title": self.title,
            "curated_spans": self.curated_spans,
            "settled": self.settled,
            "marked_at": self.marked_at,
            "marked_by": self.marked_by,
            "given_to": self.given_to,
        }


@dataclass
class GoldChange:
    """What ``gold add`` or ``gold remove`` did: the documents changed, those that already
    were as asked, and (for a removal) how many analysts had been given each as gold."""

    added: bool
    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    given: dict[int, int] = field(default_factory=dict)

    def summary(self) -> str:
        def docs(ids: Sequence[int]) -> str:
            return f"{'document' if len(ids) == 1 else 'documents'} {', '.join(map(str, ids))}"

        verb = "marked gold" if self.added else "no longer gold"
        lines = []
        if self.changed:
            lines.append(f"{docs(self.changed).capitalize()} {verb}.")
        if self.unchanged:
            was = "gold already" if self.added else "not gold"
            lines.append(
                f"{docs(self.unchanged).capitalize()} {'was' if len(self.unchanged) == 1 else 'were'} {was}."
            )
        for doc, count in sorted(self.given.items()):
            lines.append(
                f"Document {doc} went out as gold to {count} "
                f"{'analyst' if count == 1 else 'analysts'}: their work on it stays, and is no "
                "longer scored against gold."
            )
        return "\n".join(lines)


# -- marking ------------------------------------------------------------------------------------


def documents_named(store: Store, references: Iterable[str], *, doing: str) -> list[int]:
    """The documents ``references`` name (an id as exports write it, or a number), each once,
    in the order given; an unknown one is refused, saying what was not done."""
    found: list[int] = []
    for reference in references:
        doc = store.documents.find(reference)
        if doc is None:
            raise GoldError(
                f"no document {printable(reference)} in {printable(store.path)} "
                f"(`annotator documents` lists them); {doing}"
            )
        if doc not in found:
            found.append(doc)
    return found


def has_curated_layer(conn: sqlite3.Connection, document_id: int) -> bool:
    """Whether a curator settled the document or it holds curated spans."""
    sql = "SELECT " + _CURATED.format(doc="?")
    return bool(conn.execute(sql, (document_id, document_id)).fetchone()[0])


def mark_gold(store: Store, references: Sequence[str]) -> GoldChange:
    """Mark the documents gold (one transaction); refused, with nothing marked, when one is
    unknown or has no curated layer to score against."""
    change = GoldChange(added=True)
    with store.transaction():
        documents = documents_named(store, references, doing="nothing was marked gold")
        for doc in documents:
            if not has_curated_layer(store.conn, doc):
                title = store.documents.row(doc).title
                raise GoldError(
                    f"document {doc} ({printable(title)!r}) has no curated layer to score "
                    "against: a curator settles it first (review mode, or `annotator curate "
                    "--agreed`); nothing was marked gold"
                )
        now = utc_now()
        for doc in documents:
            cur = store.conn.execute(
                "INSERT INTO gold (document_id, marked_at, marked_by) VALUES (?, ?, ?)"
                " ON CONFLICT (document_id) DO NOTHING",
                (doc, now, store.annotator),
            )
            (change.changed if cur.rowcount else change.unchanged).append(doc)
        if change.changed:
            store.record_change("mark_gold", documents=change.changed)
    return change


def unmark_gold(store: Store, references: Sequence[str]) -> GoldChange:
    """Take the documents out of the gold ones (one transaction). What went out as gold stays
    recorded, so such a document is still never assigned to anyone."""
    change = GoldChange(added=False)
    with store.transaction():
        documents = documents_named(store, references, doing="nothing was changed")
        for doc in documents:
            cur = store.conn.execute("DELETE FROM gold WHERE document_id = ?", (doc,))
            (change.changed if cur.rowcount else change.unchanged).append(doc)
            given = store.conn.execute(
                "SELECT count(*) FROM gold_given WHERE document_id = ?", (doc,)
            ).fetchone()[0]
            if cur.rowcount and given:
                change.given[doc] = int(given)
        if change.changed:
            store.record_change("unmark_gold", documents=change.changed)
    return change


def gold_ids(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute("SELECT document_id FROM gold ORDER BY document_id")]


def gold_documents(store: Store) -> list[GoldDocument]:
    """Every gold document in project order, with its curated layer and whom it went to."""
    given: dict[int, list[str]] = {}
    for doc, who in store.conn.execute(
        "SELECT document_id, analyst FROM gold_given ORDER BY analyst"
    ):
        given.setdefault(doc, []).append(who)
    rows = store.conn.execute(
        "SELECT g.document_id, d.external_id, d.title, g.marked_at, g.marked_by,"
        " (SELECT count(*) FROM spans s WHERE s.document_id = g.document_id"
        "  AND s.origin = 'curated'),"
        " EXISTS (SELECT 1 FROM curations c WHERE c.document_id = g.document_id)"
        " FROM gold g JOIN documents d ON d.id = g.document_id ORDER BY g.document_id"
    )
    return [
        GoldDocument(
            doc,
            external if external is not None else str(doc),
            title,
            int(spans),
            bool(settled),
            marked_at,
            marked_by,
            given.get(doc, []),
        )
        for doc, external, title, marked_at, marked_by, spans, settled in rows
    ]


def kept_for_gold(conn: sqlite3.Connection) -> int:
    """The documents ``assign`` leaves out, not yet assigned: gold, or given out as gold."""
    return int(
        conn.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS"
            " (SELECT 1 FROM assignments a WHERE a.document_id = d.id)"
            " AND (EXISTS (SELECT 1 FROM gold g WHERE g.document_id = d.id)"
            " OR EXISTS (SELECT 1 FROM gold_given x WHERE x.document_id = d.id))"
        ).fetchone()[0]
    )


# -- into packets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldPick:
    """The gold documents of one packet: those given now (``new``) and, in a packet of
    everything assigned, those given before (``again``), each with its place in the queue;
    and the packet's whole queue, assigned and gold documents together."""

    analyst: str
    seed: int | None
    new: dict[int, float]
    again: dict[int, float]
    queue: list[int]


def candidates(conn: sqlite3.Connection, analyst: str) -> list[int]:
    """The gold documents (with a curated layer still) that ``analyst`` has never had: not
    assigned to them, not given to them as gold, and with no status or span of theirs here."""
    rows = conn.execute(
        "SELECT g.document_id FROM gold g WHERE"
        " NOT EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = g.document_id"
        "  AND a.analyst = :who)"
        " AND NOT EXISTS (SELECT 1 FROM gold_given x WHERE x.document_id = g.document_id"
        "  AND x.analyst = :who)"
        " AND NOT EXISTS (SELECT 1 FROM statuses s WHERE s.document_id = g.document_id"
        "  AND s.annotator = :who)"
        " AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.document_id = g.document_id"
        "  AND s.annotator = :who AND s.origin IN ('manual', 'imported'))"
        f" AND {_CURATED.format(doc='g.document_id')} ORDER BY g.document_id",
        {"who": analyst},
    )
    return [r[0] for r in rows]


def left_for(conn: sqlite3.Connection, analysts: Sequence[str]) -> dict[str, int]:
    """How many gold documents each analyst never had: the most ``--gold`` may ask of them."""
    return {who: len(candidates(conn, who)) for who in dict.fromkeys(analysts)}


def given_before(conn: sqlite3.Connection, analyst: str) -> dict[int, float]:
    """The gold documents given to ``analyst`` before, with their places."""
    return dict(
        conn.execute("SELECT document_id, place FROM gold_given WHERE analyst = ?", (analyst,))
    )


def _random(seed: int, analyst: str) -> random.Random:
    """The draws for one analyst's gold: the same seed gives each analyst draws of their own.
    (A string seed is hashed with SHA-512, the same on every Python; only ``random()`` is
    drawn from, whose sequence Python keeps.)"""
    return random.Random(f"gold {seed} {analyst}")


def choose(
    available: Sequence[int], count: int, positions: Sequence[int], *, seed: int, analyst: str
) -> dict[int, float]:
    """``count`` of the ``available`` gold documents, chosen by the seed, each with a place
    among the queue's ``positions`` (sorted): in one of the gaps before, between or after
    them, chosen by the seed too, strictly between the two positions around it."""
    rng = _random(seed, analyst)
    keys = {doc: rng.random() for doc in sorted(available)}
    chosen = sorted(sorted(keys, key=lambda d: (keys[d], d))[:count])
    places: dict[int, float] = {}
    for doc in chosen:
        spread = rng.random() * (len(positions) + 1)
        gap = int(spread)
        before = positions[gap - 1] if gap > 0 else positions[0] - 1
        places[doc] = before + 0.25 + 0.5 * (spread - gap)
    return places


def gold_for_packet(
    conn: sqlite3.Connection,
    analyst: str,
    documents: Sequence[int],
    *,
    count: int,
    seed: int | None,
    everything: bool,
) -> GoldPick | None:
    """The gold documents of ``analyst``'s packet of ``documents`` (assigned to them, in
    their queue's order): ``count`` new ones, and with ``everything`` those given before.
    None when the packet holds no gold. Refused when fewer than ``count`` gold documents
    are left that the analyst never had."""
    if count < 0:
        raise GoldError(f"--gold must be 0 or more, not {count}")
    again = given_before(conn, analyst) if everything else {}
    if not count and not again:
        return None
    new: dict[int, float] = {}
    if count:
        if seed is None:
            raise GoldError("gold documents are placed by a seed: give one")
        available = candidates(conn, analyst)
        if len(available) < count:
            raise GoldError(_too_few(conn, analyst, count, len(available)))
        positions = _positions(conn, analyst, documents)
        new = choose(available, count, positions, seed=seed, analyst=analyst)
    place = _positions_by_document(conn, analyst, documents)
    place.update(again)
    place.update(new)
    queue = sorted(place, key=lambda doc: (place[doc], doc))
    return GoldPick(analyst, seed if count else None, new, again, queue)


def _too_few(conn: sqlite3.Connection, analyst: str, count: int, left: int) -> str:
    total = conn.execute("SELECT count(*) FROM gold").fetchone()[0]
    if not total:
        return (
            "no document is gold yet: `annotator gold add DOCUMENT...` marks curated "
            "documents gold; no packet was written"
        )
    return (
        f"--gold {count} asks for {count} gold documents {printable(analyst)!r} has never had, "
        f"but {left:,} of the {total:,} gold documents are left for them: mark more documents "
        "gold or ask for fewer; no packet was written"
    )


def _positions_by_document(
    conn: sqlite3.Connection, analyst: str, documents: Sequence[int]
) -> dict[int, float]:
    return {
        doc: float(position)
        for doc, position in conn.execute(
            "SELECT a.document_id, a.position FROM json_each(?) j JOIN assignments a"
            " ON a.document_id = j.value WHERE a.analyst = ?",
            (json.dumps(list(documents)), analyst),
        )
    }


def _positions(conn: sqlite3.Connection, analyst: str, documents: Sequence[int]) -> list[int]:
    return sorted(int(p) for p in _positions_by_document(conn, analyst, documents).values())


def record_given(store: Store, packet_id: str, pick: GoldPick) -> None:
    """The gold documents of a packet, in the lead's project (in the caller's transaction).
    A gold document another packet for the same analyst gave them meanwhile refuses this
    one, as a document taken by another packet does."""
    conn = store.conn
    taken = conn.execute(
        "SELECT count(*) FROM gold_given WHERE analyst = ?"
        " AND document_id IN (SELECT value FROM json_each(?))",
        (pick.analyst, json.dumps(sorted(pick.new))),
    ).fetchone()[0]
    if taken:
        raise GoldError(
            f"{taken:,} of these gold documents went to {printable(pick.analyst)!r} in another "
            "packet while this one was made; nothing was written"
        )
    conn.executemany(
        "INSERT INTO gold_given (document_id, analyst, packet_id, place, seed)"
        " VALUES (?, ?, ?, ?, ?)",
        [(doc, pick.analyst, packet_id, place, pick.seed) for doc, place in pick.new.items()],
    )
    conn.executemany(
        "UPDATE gold_given SET packet_id = ? WHERE document_id = ? AND analyst = ?",
        [(packet_id, doc, pick.analyst) for doc in pick.again],
    )
    if pick.new:
        store.record_change(
            "give_gold",
            packet=packet_id,
            analyst=pick.analyst,
            documents=sorted(pick.new),
            seed=pick.seed,
        )
