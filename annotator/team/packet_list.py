"""The lead's packets, each with where it went and what came back of it: when it was last
merged into this project, and how many of its documents the analyst's work there, taken from
it (``work_sources``), marks done.

Read with two queries whatever the number of packets: the packets with their last merge, and
the documents done counted per source project in one grouped pass.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from annotator.printable import as_text, printable
from annotator.store.project import Store


@dataclass
class PacketRow:
    """One packet the project made, and what came back of it."""

    id: str
    analyst: str
    made_at: str
    made_by: str
    documents: int
    path: str
    returned_at: str | None  # when it was last merged here (None: not back yet)
    done: int  # of its documents, those the analyst's work from it marks done

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "path": as_text(self.path)}


def packets(store: Store) -> list[PacketRow]:
    """The project's packets in the order they were made."""
    conn = store.conn
    done = dict(
        conn.execute(
            "SELECT w.source_project, count(*) FROM work_sources w JOIN statuses s"
            " ON s.document_id = w.document_id AND s.annotator = w.annotator"
            " WHERE s.status = 'done' AND w.source_project IN (SELECT id FROM packets)"
            " GROUP BY w.source_project"
        )
    )
    return [
        PacketRow(pid, who, made_at, made_by, int(count), path, back, int(done.get(pid, 0)))
        for pid, who, made_at, made_by, count, path, back in conn.execute(
            "SELECT p.id, p.analyst, p.made_at, p.made_by, p.documents, p.path, m.merged_at"
            " FROM packets p LEFT JOIN merges m ON m.source_project = p.id ORDER BY p.rowid"
        )
    ]


def lines(rows: list[PacketRow]) -> list[str]:
    """The table: a packet a row, its file last (a path is long)."""
    if not rows:
        return ["No packet has been made yet; `annotator packet ANALYST --out FILE` makes one."]
    width = max(8, *(len(printable(r.analyst)) for r in rows))
    out = [
        f"{'packet':<32}  {'analyst':<{width}}  {'made':<24}  {'documents':>9}  "
        f"{'returned':<24}  {'done':>9}  file"
    ]
    for r in rows:
        out.append(
            f"{r.id:<32}  {printable(r.analyst):<{width}}  {r.made_at:<24}  {r.documents:>9,}  "
            f"{r.returned_at or 'not yet':<24}  {r.done:>9,}  {printable(r.path)}"
        )
    back = sum(1 for r in rows if r.returned_at)
    out.append(f"{len(rows):,} packets, {back:,} of them returned.")
    return out
