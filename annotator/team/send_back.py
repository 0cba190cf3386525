"""Send-backs: a curator returns a document (or some spans on it) to the analyst who made
them, for correction, with a note.

A send-back is recorded in the team project (``send_backs``) and stays open until the
correction comes back. The analyst's next packet (:mod:`annotator.team.packets`) carries every
open send-back not carried yet: the document with the analyst's own spans, relations and
status as last merged (the status set back to in progress, so they correct rather than
redo), first in the queue, and a row in the packet's own ``send_backs`` with the note and the
curator's changes to the analyst's spans, computed when the packet is made (the curated
layer against the analyst's spans). Merging that packet takes the analyst's corrected work
on the document in place of their earlier work (see :func:`carried_by`), and records the
send-back returned once the analyst marked the document done.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.model import AnalystNameError, Refused, check_analyst_name, utc_now
from annotator.printable import printable
from annotator.store.document_marks import own_project_id
from annotator.store.project import Store

# A span as the changes compare it: (start, end, label).
Edge = tuple[int, int, str]


class SendBackError(Refused):
    """A send-back refused as asked; nothing was written."""


@dataclass
class SentBack:
    """One document sent back to one analyst."""

    id: int
    document: int
    title: str
    analyst: str
    note: str
    spans: list[int]
    sent_at: str
    sent_by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document": self.document,
            "title": self.title,
            "analyst": self.analyst,
            "note": self.note,
            "spans": self.spans,
            "sent_at": self.sent_at,
            "sent_by": self.sent_by,
        }


@dataclass
class SendBackReport:
    """What ``send-back`` recorded."""

    sent: list[SentBack] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"sent_back": [s.to_json() for s in self.sent]}

    def summary(self) -> str:
        lines = []
        for s in self.sent:
            about = f" ({len(s.spans)} of their spans)" if s.spans else ""
            lines.append(
                f"Sent document {s.document} ({printable(s.title)!r}) back to "
                f"{printable(s.analyst)}{about} for correction."
            )
        if self.sent:
            who = printable(self.sent[0].analyst)
            lines.append(
                f"Their next packet carries it, with the note: `annotator packet {who} --out FILE`."
            )
        return "\n".join(lines)


# -- sending back ------------------------------------------------------------------------------


def send_back(
    store: Store,
    references: Sequence[str],
    analyst: str,
    note: str,
    spans: Sequence[int] = (),
) -> SendBackReport:
    """Send the documents ``references`` name back to ``analyst`` with ``note`` (about
    ``spans`` of theirs on them, if given), in one transaction. Refused, with nothing
    written, for an unknown document or span, an analyst with no work on a document, a span
    not theirs, an empty note, or a send-back of a document to them still open."""
    with store.transaction():
        return send_back_documents(store, _documents(store, references), analyst, note, spans)


def send_back_documents(
    store: Store,
    documents: Sequence[int],
    analyst: str,
    note: str,
    spans: Sequence[int] = (),
) -> SendBackReport:
    """:func:`send_back` of documents given by their ids (as the window knows them)."""
    note = note.strip()
    if not note:
        raise SendBackError("the note is empty: say what to correct; nothing was sent back")
    try:
        analyst = check_analyst_name(analyst)
    except AnalystNameError as e:
        raise SendBackError(f"{e}; nothing was sent back") from None
    report = SendBackReport()
    with store.transaction():
        for doc in documents:
            _check_open(store, doc, analyst)
        about = _spans_about(store, spans, documents, analyst)
        now = utc_now()
        for doc in documents:
            mine = about.get(doc, [])
            cur = store.conn.execute(
                "INSERT INTO send_backs (document_id, analyst, note, spans, sent_at, sent_by)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (doc, analyst, note, json.dumps(mine), now, store.annotator),
            )
            assert cur.lastrowid is not None
            title = store.documents.row(doc).title
            report.sent.append(
                SentBack(cur.lastrowid, doc, title, analyst, note, mine, now, store.annotator)
            )
            store.record_change("send_back", document_id=doc, analyst=analyst, spans=mine)
    return report


def _documents(store: Store, references: Iterable[str]) -> list[int]:
    """The documents named, each once, in the order given."""
    found: list[int] = []
    for reference in references:
        doc = store.documents.find(reference)
        if doc is None:
            raise SendBackError(
                f"no document {printable(reference)} in {printable(store.path)} "
                "(`annotator documents` lists them); nothing was sent back"
            )
        if doc not in found:
            found.append(doc)
    if not found:
        raise SendBackError("name the documents to send back; nothing was sent back")
    return found


def _check_open(store: Store, doc: int, analyst: str) -> None:
    """Refuse a document the analyst has no work on here, or one sent back to them and not
    returned yet."""
    conn = store.conn
    worked = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM statuses WHERE document_id = ?1 AND annotator = ?2)"
        " OR EXISTS (SELECT 1 FROM spans WHERE document_id = ?1 AND annotator = ?2"
        " AND origin IN ('manual', 'imported'))",
        (doc, analyst),
    ).fetchone()[0]
    title = printable(store.documents.row(doc).title)
    if not worked:
        raise SendBackError(
            f"{printable(analyst)} has no work on document {doc} ({title!r}) in "
            f"{printable(store.path)}; nothing was sent back"
        )
    if open_send_back(conn, doc, analyst) is not None:
        raise SendBackError(
            f"document {doc} ({title!r}) is already sent back to {printable(analyst)} and "
            "has not come back corrected yet; nothing was sent back"
        )


def _spans_about(
    store: Store, spans: Sequence[int], documents: Sequence[int], analyst: str
) -> dict[int, list[int]]:
    """The spans named, by their document; each must be the analyst's own, on one of the
    documents sent back."""
    about: dict[int, list[int]] = {}
    for span in spans:
        row = store.conn.execute(
            "SELECT document_id, annotator, origin FROM spans WHERE id = ?", (span,)
        ).fetchone()
        if row is None:
            raise SendBackError(f"no span {span} in {printable(store.path)}; nothing was sent back")
        doc, who, origin = row
        if who != analyst or origin == "curated":
            whose = "the curated layer's" if origin == "curated" else f"{printable(who)}'s"
            raise SendBackError(
                f"span {span} is {whose}, not {printable(analyst)}'s; nothing was sent back"
            )
        if doc not in documents:
            raise SendBackError(
                f"span {span} is on document {doc}, which is not among those sent back; "
                "nothing was sent back"
            )
        if span not in about.setdefault(doc, []):
            about[doc].append(span)
    return about


def spans_at(
    conn: sqlite3.Connection, document: int, analyst: str, keys: Iterable[Edge]
) -> list[int]:
    """The analyst's own spans on a document at these places, (start, end, label), by id:
    the spans a curator chose in review mode, which shows places rather than ids."""
    wanted = set(keys)
    rows = conn.execute(
        'SELECT s.id, s.start, s."end", l.name FROM spans s JOIN labels l ON l.id = s.label_id'
        " WHERE s.document_id = ? AND s.annotator = ? AND s.origin IN ('manual', 'imported')"
        " ORDER BY s.id",
        (document, analyst),
    )
    return [sid for sid, start, end, label in rows if (start, end, label) in wanted]


def open_send_back(conn: sqlite3.Connection, document: int, analyst: str) -> int | None:
    """The open send-back of ``document`` to ``analyst`` (its id), if there is one."""
    row = conn.execute(
        "SELECT id FROM send_backs WHERE document_id = ? AND analyst = ? AND returned_at IS NULL",
        (document, analyst),
    ).fetchone()
    return int(row[0]) if row else None


def open_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """The open send-backs of each analyst (a small table, read whole)."""
    return dict(
        conn.execute(
            "SELECT analyst, count(*) FROM send_backs WHERE returned_at IS NULL GROUP BY analyst"
        )
    )


# -- the curator's changes ---------------------------------------------------------------------


def curator_changes(text: str, analyst: Sequence[Edge], curated: Sequence[Edge]) -> list[dict]:
    """The curated layer against the analyst's spans on one text: the spans the curator
    removed, added, relabelled (same place, another label) or whose edges moved (same label,
    overlapping), in the order of the text."""
    mine, theirs = sorted(analyst), sorted(curated)
    for edge in list(mine):
        if edge in theirs:
            mine.remove(edge)
            theirs.remove(edge)
    changes: list[dict] = []
    for edge in list(mine):
        same_place = [c for c in theirs if c[:2] == edge[:2]]
        if same_place:
            changes.append(_change("relabelled", text, edge, same_place[0]))
            mine.remove(edge)
            theirs.remove(same_place[0])
    for edge in list(mine):
        moved = [c for c in theirs if c[2] == edge[2] and c[0] < edge[1] and edge[0] < c[1]]
        if moved:
            best = max(moved, key=lambda c: (min(c[1], edge[1]) - max(c[0], edge[0]), -c[0]))
            changes.append(_change("moved", text, edge, best))
            mine.remove(edge)
            theirs.remove(best)
    changes += [_change("removed", text, edge) for edge in mine]
    changes += [_change("added", text, edge) for edge in theirs]
    return sorted(changes, key=lambda c: (*place_of(c), c["change"]))


def _change(kind: str, text: str, edge: Edge, to: Edge | None = None) -> dict:
    start, end, label = edge
    change: dict[str, Any] = {
        "change": kind,
        "label": label,
        "start": start,
        "end": end,
        "text": text[start:end],
    }
    if to is not None:
        change["to"] = {"label": to[2], "start": to[0], "end": to[1], "text": text[to[0] : to[1]]}
    return change


def place_of(change: dict) -> tuple[int, int]:
    """Where a change is in the text as the curator left it: the curated span, or the
    analyst's where the curator removed it."""
    where = change.get("to") or change
    return int(where["start"]), int(where["end"])


def _quoted(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def change_line(change: dict) -> str:
    """One change as the analyst reads it, e.g. ``removed claim “…” [120, 164)``."""
    kind, label = change["change"], printable(change["label"])
    at = f"[{change['start']}, {change['end']})"
    quoted = _quoted(change["text"])
    to = change.get("to") or {}
    if kind == "relabelled":
        return f"relabelled {label} {quoted} {at} as {printable(to['label'])}"
    if kind == "moved":
        return f"moved edges of {label} {quoted} {at} to [{to['start']}, {to['end']})"
    return f"{kind} {label} {quoted} {at}"


# -- carried in a packet -----------------------------------------------------------------------


@dataclass
class Carried:
    """An open send-back as the next packet carries it."""

    id: int
    document: int  # in the team project
    text_hash: str
    note: str
    spans: list[int]  # the team project's span ids
    sent_at: str
    sent_by: str
    changes: list[dict]


def to_carry(conn: sqlite3.Connection, analyst: str, *, everything: bool) -> list[Carried]:
    """The analyst's open send-backs that no packet carried yet (every open one, with
    ``everything``), each with the curator's changes as they are now (none on a document
    with no curated layer yet)."""
    uncarried = "" if everything else " AND b.packet_id IS NULL"
    rows = conn.execute(
        "SELECT b.id, b.document_id, d.text_hash, b.note, b.spans, b.sent_at, b.sent_by, d.text"
        " FROM send_backs b JOIN documents d ON d.id = b.document_id"
        f" WHERE b.analyst = ? AND b.returned_at IS NULL{uncarried} ORDER BY b.id",
        (analyst,),
    ).fetchall()
    carried = []
    for sid, doc, digest, note, spans, at, by, text in rows:
        layers: dict[bool, list[Edge]] = {True: [], False: []}
        for start, end, label, origin, who in conn.execute(
            'SELECT s.start, s."end", l.name, s.origin, s.annotator FROM spans s'
            " JOIN labels l ON l.id = s.label_id WHERE s.document_id = ?"
            " AND s.origin IN ('manual', 'imported', 'curated')",
            (doc,),
        ):
            if origin == "curated":
                layers[True].append((start, end, label))
            elif who == analyst:
                layers[False].append((start, end, label))
        settled = conn.execute("SELECT 1 FROM curations WHERE document_id = ?", (doc,)).fetchone()
        # No curated layer yet (nothing curated, not settled): the curator changed nothing.
        changes = (
            curator_changes(text, layers[False], layers[True]) if layers[True] or settled else []
        )
        carried.append(Carried(sid, doc, digest, note, json.loads(spans), at, by, changes))
    return carried


def write_into_packet(
    lead: sqlite3.Connection,
    packet: sqlite3.Connection,
    carried: Sequence[Carried],
    analyst: str,
    about: dict[str, Any],
) -> None:
    """Into a packet being built (its documents already in, in the caller's transaction):
    the analyst's spans, relations and status on each sent-back document, the status in
    progress, and the send-back with its note and changes."""
    columns = [r[1] for r in lead.execute("PRAGMA table_info(spans)")][2:]  # after id, document
    listed = ", ".join(f'"{c}"' for c in columns)
    for item in carried:
        doc = packet.execute(
            "SELECT id FROM documents WHERE text_hash = ?", (item.text_hash,)
        ).fetchone()[0]
        ids: dict[int, int] = {}
        for old, *values in lead.execute(
            f"SELECT id, {listed} FROM spans WHERE document_id = ? AND annotator = ?"
            " AND origin != 'curated' ORDER BY id",
            (item.document, analyst),
        ).fetchall():
            cur = packet.execute(
                f"INSERT INTO spans (document_id, {listed}) VALUES (?{', ?' * len(columns)})",
                (doc, *values),
            )
            assert cur.lastrowid is not None
            ids[old] = cur.lastrowid
        _copy_relations(lead, packet, item.document, doc, analyst, ids)
        packet.execute(
            "INSERT INTO statuses (document_id, annotator, status, updated_at)"
            " VALUES (?, ?, 'in_progress', ?)",
            (doc, analyst, about["made_at"]),
        )
        packet.execute(
            "UPDATE documents SET status = 'in_progress', span_count = (SELECT count(*) FROM"
            " spans WHERE document_id = ?1 AND origin != 'suggested') WHERE id = ?1",
            (doc,),
        )
        packet.execute(
            "INSERT INTO send_backs (document_id, analyst, note, spans, sent_at, sent_by,"
            " packet_id, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc,
                analyst,
                item.note,
                json.dumps([ids[s] for s in item.spans if s in ids]),
                item.sent_at,
                item.sent_by,
                about["id"],
                json.dumps(item.changes, ensure_ascii=False),
            ),
        )


def _copy_relations(
    lead: sqlite3.Connection,
    packet: sqlite3.Connection,
    lead_doc: int,
    doc: int,
    analyst: str,
    ids: dict[int, int],
) -> None:
    """The analyst's relations on one document, between the spans copied (``ids``)."""
    rows = lead.execute(
        "SELECT head, child, type_id, origin, created_at, updated_at FROM relations"
        " WHERE document_id = ? AND annotator = ? ORDER BY id",
        (lead_doc, analyst),
    ).fetchall()
    packet.executemany(
        "INSERT INTO relations (document_id, head, child, type_id, annotator, origin,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (doc, ids[head], ids[child], kind, analyst, origin, made, changed)
            for head, child, kind, origin, made, changed in rows
            if head in ids and child in ids
        ],
    )


def record_carried(
    conn: sqlite3.Connection, carried: Sequence[Carried], packet_id: str, *, everything: bool
) -> int:
    """In the team project: the packet that carries each send-back (the latest, whose
    correction a merge takes), and the changes it showed. The send-backs were read before
    the packet was built: how many of them came back, or went out in another packet
    (unless ``everything``), meanwhile."""
    again = "" if everything else " AND packet_id IS NULL"
    before = conn.total_changes
    conn.executemany(
        "UPDATE send_backs SET packet_id = ?, changes = ? WHERE id = ? AND returned_at IS NULL"
        + again,
        [(packet_id, json.dumps(c.changes, ensure_ascii=False), c.id) for c in carried],
    )
    return len(carried) - (conn.total_changes - before)


# -- coming back -------------------------------------------------------------------------------


def carried_by(
    conn: sqlite3.Connection,
    packet_id: str,
    document: int,
    analyst: str,
    *,
    returned: bool = False,
) -> bool:
    """Whether the packet ``packet_id`` carries an open send-back of ``document`` to
    ``analyst`` from this team project: then its work on the document replaces theirs.
    With ``returned``, one that came back too (the work it brought is a correction)."""
    still = "" if returned else " AND returned_at IS NULL"
    row = conn.execute(
        "SELECT 1 FROM send_backs WHERE packet_id = ? AND document_id = ? AND analyst = ?" + still,
        (packet_id, document, analyst),
    ).fetchone()
    return row is not None


def record_returned(
    conn: sqlite3.Connection, packet_id: str, done: Iterable[tuple[int, str]]
) -> int:
    """The send-backs carried by ``packet_id`` of the (document, analyst) pairs the analyst
    marked done there, recorded returned; how many."""
    now = utc_now()
    cur = conn.executemany(
        "UPDATE send_backs SET returned_at = ?, returned_in = ? WHERE packet_id = ?"
        " AND document_id = ? AND analyst = ? AND returned_at IS NULL",
        [(now, packet_id, packet_id, doc, who) for doc, who in done],
    )
    return cur.rowcount


# -- in the analyst's packet -------------------------------------------------------------------


@dataclass
class Correction:
    """A send-back as the analyst sees it in their packet."""

    document: int
    curator: str
    note: str
    sent_at: str
    spans: list[int]
    changes: list[dict]

    def lines(self) -> list[str]:
        return [change_line(c) for c in self.changes]


def correction_of(conn: sqlite3.Connection, document: int, analyst: str) -> Correction | None:
    """The curator's note and changes on a document this packet carries back to
    ``analyst``; None when it carries none."""
    row = conn.execute(
        "SELECT sent_by, note, sent_at, spans, changes FROM send_backs WHERE document_id = ?"
        " AND analyst = ? AND packet_id = ? AND returned_at IS NULL",
        (document, analyst, own_project_id(conn)),
    ).fetchone()
    if row is None:
        return None
    by, note, at, spans, changes = row
    return Correction(document, by, note, at, json.loads(spans), json.loads(changes or "[]"))
