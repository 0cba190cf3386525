"""Send-back update files: a send-back carried to the packet an analyst already has, instead of
waiting for their next packet.

The lead writes the file with the send-back (``send-back ... --out FILE``): a small JSON file
naming the packet the analyst's work on the documents came back in, and for each document its
text hash, the curator's note, name and changes, and the places of the spans it is about. The
send-back is recorded as carried by that packet, so merging the packet again takes the
correction, as it takes any later work from it. The analyst applies the file to that packet
(``apply-update FILE``): each document gets the send-back row a packet carrying it would have,
and the analyst's status on it goes back to in progress.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.destinations import output
from annotator.model import Refused, utc_now
from annotator.printable import as_text, printable
from annotator.store.project import Store
from annotator.team.packets import packet_of, project_id
from annotator.team.send_back import (
    SendBackReport,
    record_carried,
    send_back,
    spans_at,
    to_carry,
)

#: The kinds of a curator's change.
CHANGES = ("removed", "added", "relabelled", "moved")
#: What an update file says it is, first thing in it.
KIND = "annotator send-back update"


class UpdateError(Refused):
    """An update file that cannot be written or applied as asked; nothing was written."""


@dataclass
class Applied:
    """What applying an update file did to a packet."""

    path: Path
    added: list[int] = field(default_factory=list)  # the packet's documents sent back
    already: list[int] = field(default_factory=list)  # applied before: left as they were

    def to_json(self) -> dict[str, Any]:
        return {"update": as_text(str(self.path)), "sent_back": self.added, "already": self.already}

    def summary(self) -> str:
        lines = []
        if self.added:
            lines.append(
                f"{len(self.added)} document{'s' if len(self.added) != 1 else ''} sent back for "
                "correction, first in the document list with the curator's note above the "
                f"article: {', '.join(map(str, self.added))}."
            )
        if self.already:
            lines.append(f"Applied before, left as they are: {', '.join(map(str, self.already))}.")
        return "\n".join(lines)


# -- the lead writes it ------------------------------------------------------------------------


def send_back_to_packet(
    store: Store,
    references: Sequence[str],
    analyst: str,
    note: str,
    spans: Sequence[int],
    out: Path,
) -> SendBackReport:
    """:func:`~annotator.team.send_back.send_back`, carried by an update file ``out`` for the
    packet the analyst's work on the documents came back in. Refused, with neither record
    nor file, when that work came from no packet of this project (or from several), or
    ``out`` is already there."""
    if os.path.lexists(out):
        raise UpdateError(
            f"{printable(out)} is already there; an update file never replaces a file: choose "
            "another name; nothing was sent back"
        )
    if not out.parent.is_dir():
        raise UpdateError(
            f"{printable(out)}: the folder {printable(out.parent)} does not exist; nothing was "
            "sent back"
        )
    with store.transaction():
        report = send_back(store, references, analyst, note, spans)
        packet = _packet_holding(store, report)
        ids = {s.id for s in report.sent}
        carried = [c for c in to_carry(store.conn, analyst, everything=False) if c.id in ids]
        record_carried(store.conn, carried, packet, everything=False)
        items = []
        for item in carried:
            places = store.conn.execute(
                'SELECT s.start, s."end", l.name FROM spans s JOIN labels l'
                " ON l.id = s.label_id WHERE s.id IN (SELECT value FROM json_each(?))",
                (json.dumps(item.spans),),
            ).fetchall()
            items.append(
                {
                    "text_hash": item.text_hash,
                    "note": item.note,
                    "sent_by": item.sent_by,
                    "sent_at": item.sent_at,
                    "spans": [list(p) for p in places],
                    "changes": item.changes,
                }
            )
        update = {
            "kind": KIND,
            "lead_project": project_id(store),
            "packet": packet,
            "analyst": report.sent[0].analyst,
            "made_at": utc_now(),
            "send_backs": items,
        }
        try:
            with output(out) as file:
                file.write(json.dumps(update, ensure_ascii=False, indent=2) + "\n")
        except OSError as e:
            raise UpdateError(
                f"{printable(out)}: the update could not be written ({e.strerror or e}); "
                "nothing was sent back"
            ) from None
    return report


def _packet_holding(store: Store, report: SendBackReport) -> str:
    """The one packet of this project the analyst's work on every document sent back came
    back in."""
    found: dict[str, list[int]] = {}
    for sent in report.sent:
        row = store.conn.execute(
            "SELECT w.source_project FROM work_sources w JOIN packets p"
            " ON p.id = w.source_project AND p.analyst = w.annotator"
            " WHERE w.document_id = ? AND w.annotator = ?",
            (sent.document, sent.analyst),
        ).fetchone()
        if row is None:
            raise UpdateError(
                f"{printable(sent.analyst)}'s work on document {sent.document} did not come "
                "back in a packet of this project, so no packet of theirs can take an update: "
                "leave out --out, and their next packet carries it; nothing was sent back"
            )
        found.setdefault(row[0], []).append(sent.document)
    if len(found) > 1:
        shown = "; ".join(
            f"documents {', '.join(map(str, docs))} from packet {packet}"
            for packet, docs in found.items()
        )
        raise UpdateError(
            f"the documents came back in different packets ({shown}): send each packet's "
            "documents back with an update of their own; nothing was sent back"
        )
    return next(iter(found))


# -- the analyst applies it --------------------------------------------------------------------


def apply_update(store: Store, path: Path) -> Applied:
    """Apply the update file ``path`` to the packet ``store`` (one transaction). Refused,
    with nothing written, for a file that is no update, an update for another packet, or a
    document the packet does not hold."""
    update = _read(path)
    about = packet_of(store)
    if about is None or about.get("id") != update["packet"]:
        what = "is not a packet" if about is None else f"is packet {about.get('id')}"
        raise UpdateError(
            f"{printable(path)} is an update for packet {update['packet']}, and "
            f"{printable(store.path)} {what}: apply it to that packet; nothing was changed"
        )
    analyst = str(about.get("analyst"))
    done = Applied(path)
    with store.transaction():
        for item in update["send_backs"]:
            doc = _document(store, path, item["text_hash"])
            seen = store.conn.execute(
                "SELECT 1 FROM send_backs WHERE document_id = ? AND analyst = ? AND sent_at = ?",
                (doc, analyst, item["sent_at"]),
            ).fetchone()
            if seen:
                done.already.append(doc)
                continue
            _add(store, doc, analyst, about["id"], item)
            done.added.append(doc)
        if done.added:
            store.record_change("apply_update", update=as_text(path.name), documents=done.added)
    return done


def _add(store: Store, doc: int, analyst: str, packet: str, item: dict[str, Any]) -> None:
    """One send-back of the update in the packet: the earlier one of the document, if any,
    taken over; the analyst's status in progress again."""
    conn = store.conn
    now = utc_now()
    conn.execute(
        "UPDATE send_backs SET returned_at = ? WHERE document_id = ? AND analyst = ?"
        " AND returned_at IS NULL",
        (now, doc, analyst),
    )
    places = [(int(s), int(e), str(label)) for s, e, label in item["spans"]]
    conn.execute(
        "INSERT INTO send_backs (document_id, analyst, note, spans, sent_at, sent_by, packet_id,"
        " changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc,
            analyst,
            item["note"],
            json.dumps(spans_at(conn, doc, analyst, places)),
            item["sent_at"],
            item["sent_by"],
            packet,
            json.dumps(item["changes"], ensure_ascii=False),
        ),
    )
    store.statuses.set(doc, "in_progress", analyst)


def _read(path: Path) -> dict[str, Any]:
    """An update file's content, checked for what applying it reads."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise UpdateError(f"{printable(path)}: cannot be read ({e.strerror or e})") from None
    except (UnicodeDecodeError, ValueError):
        raise UpdateError(
            f"{printable(path)} is not a send-back update (not JSON text); nothing was changed"
        ) from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise UpdateError(
            f"{printable(path)} is not a send-back update (`send-back --out` writes them); "
            "nothing was changed"
        )
    items = data.get("send_backs")
    if (
        not isinstance(data.get("packet"), str)
        or not isinstance(items, list)
        or not all(_well_formed(item) for item in items)
    ):
        raise UpdateError(
            f"{printable(path)}: the update is damaged (a field is missing or of the wrong "
            "kind); ask for it again; nothing was changed"
        )
    return data


def _well_formed(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    texts = ("text_hash", "note", "sent_by", "sent_at")
    if not all(isinstance(item.get(k), str) for k in texts) or not item["note"].strip():
        return False
    spans, changes = item.get("spans"), item.get("changes")
    if not isinstance(spans, list) or not isinstance(changes, list):
        return False
    return all(
        isinstance(s, list)
        and len(s) == 3
        and all(isinstance(v, int) for v in s[:2])
        and isinstance(s[2], str)
        for s in spans
    ) and all(_change_ok(c) for c in changes)


def _change_ok(change: Any, kinds: tuple[str, ...] = CHANGES) -> bool:
    """A curator's change as :func:`~annotator.team.send_back.change_line` reads it."""
    if not isinstance(change, dict) or change.get("change", "to") not in kinds:
        return False
    if not all(isinstance(change.get(k), int) for k in ("start", "end")):
        return False
    if not all(isinstance(change.get(k), str) for k in ("label", "text")):
        return False
    if change["change"] in ("relabelled", "moved"):
        return _change_ok({**change.get("to", {}), "change": "to"}, ("to",))
    return True


def _document(store: Store, path: Path, digest: str) -> int:
    row = store.conn.execute("SELECT id FROM documents WHERE text_hash = ?", (digest,)).fetchone()
    if row is None:
        raise UpdateError(
            f"{printable(path)}: {printable(store.path)} does not hold a document it sends back "
            "(its text differs); nothing was changed"
        )
    return int(row[0])
