"""The checks a returned packet passes before its work is merged: it belongs to this project,
it is merged under the analyst it was made for, it is not a second copy of a packet annotated
apart, and it is not an older packet returning after a newer one for the same documents.

A packet is known by its ``packet`` setting (see :mod:`annotator.team.packets`); any other
project is merged as before, untouched by these checks. Each runs just before the packet's
work would be written, inside the merge's one transaction, so that a packet merged earlier in
the same merge counts, and a refusal leaves the team project as it was.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from annotator.printable import printable
from annotator.store.project import Store
from annotator.team.merge_checks import unchanged_since_merged
from annotator.team.merge_report import MergeError
from annotator.team.merge_source import Source

NOTHING = "Nothing was merged."


def check_packet(into: Store, source: Source, team_id: str, *, other_analyst: bool) -> None:
    """Refuse a packet from another project (or from a copy of this one), merged under another
    analyst than its own (unless ``other_analyst``), annotated apart in two copies, or
    returning after a newer packet for the same documents came back; a project that is no
    packet passes."""
    packet = source.packet
    if packet is None:
        return
    made_for = _made_here(into, source, packet, team_id)
    _check_analyst(source, made_for, other_analyst)
    _check_one_copy(into.conn, source, made_for)
    _check_not_stale(into.conn, source, made_for)


def record_history(conn: sqlite3.Connection, source: Source) -> None:
    """Keep the fingerprint of a packet's history as merged, for :func:`_check_one_copy` to
    know a copy annotated apart; an older copy's (shorter) never replaces it."""
    if source.packet is None:
        return
    conn.execute(
        "UPDATE merges SET history_hash = ?, hashed_to = ? WHERE source_project = ?"
        " AND coalesce(hashed_to, 0) <= ?",
        (
            history_hash(conn, source, source.history_end),
            source.history_end,
            source.project_id,
            source.history_end,
        ),
    )


def history_hash(conn: sqlite3.Connection, source: Source, upto: int) -> str:
    """A fingerprint of the file's history entries up to ``upto``: every column of each, in
    order (entries cannot be edited, so a later state of the same file has the same)."""
    rows = conn.execute(
        "SELECT json_array(id, at, annotator, action, document_id, span_id, details)"
        f" FROM {source.staged('changes')} WHERE id <= ? ORDER BY id",
        (upto,),
    ).fetchall()
    text = "".join(f"{row}\n" for (row,) in rows)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _made_here(into: Store, source: Source, packet: dict[str, Any], team_id: str) -> str:
    """The analyst the packet was made for, as this project recorded it; refused when another
    project made it, or a copy of this one did."""
    shown, here = printable(source.path), printable(into.path)
    lead_file = printable(str(packet.get("lead_file") or "an unknown file"))
    if packet.get("lead_project") != team_id:
        raise MergeError(
            f"{shown} is a packet of another project: it says it belongs to the project at "
            f"{lead_file}, and {here} is not that project. Merge it into the project that made "
            f"it. {NOTHING}"
        )
    row = into.conn.execute(
        "SELECT analyst FROM packets WHERE id = ?", (str(packet.get("id")),)
    ).fetchone()
    if row is None:
        raise MergeError(
            f"{shown} says it is a packet of this project, but {here} never made it: it was "
            f"made from a copy of this project (the copy at {lead_file}, or one copied before "
            f"it). Merge it into the copy that made it. {NOTHING}"
        )
    return str(row[0])


def _check_analyst(source: Source, made_for: str, other_analyst: bool) -> None:
    """Refuse work in the packet that would be merged under another name than its analyst's:
    a name the analyst gave inside it (unless ``--rename`` makes it theirs), or a rename onto
    another name (unless ``other_analyst`` asks for it)."""
    shown = printable(source.path)
    for name in sorted(source.named):
        merged_as = source.renames.get(name, name)
        if merged_as == made_for:
            continue
        if name not in source.renames:
            raise MergeError(
                f"{shown} is {printable(made_for)}'s packet, but holds work by "
                f"{printable(name)!r}, which would be merged as theirs, not "
                f"{printable(made_for)}'s. If they are {printable(made_for)}, merge it with "
                f"--rename {printable(name)}={printable(made_for)}. {NOTHING}"
            )
        if not other_analyst:
            raise MergeError(
                f"{shown} is {printable(made_for)}'s packet: --rename "
                f"{printable(name)}={printable(merged_as)} would merge its work as "
                f"{printable(merged_as)}'s. {NOTHING} To merge a packet under another name than "
                "the analyst it was made for, add --allow-other-analyst."
            )


def _check_one_copy(conn: sqlite3.Connection, source: Source, made_for: str) -> None:
    """Refuse a copy of the packet whose history forks from the one merged before: the packet
    was copied and annotated in two places. A copy whose history is shorter is an older copy,
    which the merge's own check answers."""
    row = conn.execute(
        "SELECT source_path, history_hash, hashed_to FROM merges WHERE source_project = ?",
        (source.project_id,),
    ).fetchone()
    if row is None or row[1] is None or source.history_end < row[2]:
        return
    merged_from, fingerprint, upto = row
    if history_hash(conn, source, upto) == fingerprint:
        return
    raise MergeError(
        f"{printable(source.path)} and {printable(merged_from)} are two copies of "
        f"{printable(made_for)}'s packet, opened and annotated apart: their histories part "
        f"within the first {upto} entries, and the work of {printable(merged_from)} was merged "
        f"already. Merging this copy would mix the two or replace that work. {NOTHING} Keep "
        "one copy (carry into it what the other holds) and merge that one."
    )


def _check_not_stale(conn: sqlite3.Connection, source: Source, made_for: str) -> None:
    """Refuse an older packet bringing work (new, or for the first time) once a newer packet
    that gave any of its documents to the same analyst again has come back: merged, it would
    take that analyst's work on them back in time. Merged before and unchanged since, it
    brings nothing and passes."""
    if unchanged_since_merged(conn, source):
        return
    hashes = json.dumps([doc["text_hash"] for doc in source.documents.values()])
    newer = conn.execute(
        "SELECT q.id, q.path, q.made_at, m.merged_at, count(*) FROM json_each(?1) h"
        " JOIN documents d ON d.text_hash = h.value"
        " JOIN (SELECT document_id, packet_id FROM assignments WHERE analyst = ?2"
        "  UNION SELECT document_id, packet_id FROM gold_given WHERE analyst = ?2) a"
        "  ON a.document_id = d.id"
        " JOIN packets q ON q.id = a.packet_id JOIN merges m ON m.source_project = q.id"
        " WHERE q.rowid > (SELECT rowid FROM packets WHERE id = ?3)"
        " GROUP BY q.id ORDER BY q.rowid DESC LIMIT 1",
        (hashes, made_for, str((source.packet or {}).get("id"))),
    ).fetchone()
    if newer is None:
        return
    packet_id, path, made_at, merged_at, shared = newer
    documents = "document" if shared == 1 else "documents"
    raise MergeError(
        f"{printable(source.path)} is a stale packet: {shared:,} of its {documents} went to "
        f"{printable(made_for)} again in a newer packet, {packet_id} ({printable(path)}, made "
        f"{made_at}), whose work came back on {merged_at}. Merging this older one would take "
        f"that work back in time. {NOTHING}"
    )
