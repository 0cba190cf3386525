"""Packets: one analyst's share of the documents as a project file of its own, to annotate
anywhere and merge back.

A packet is an ordinary project: the analyst's documents (text, metadata, external ids) in
the order of their queue, the lead's labels with their definitions (the guidelines) and
hotkeys, the relation types, and the patterns the built-in suggesters use. Its ``packet``
setting says where it comes from (the lead's project id), which packet it is, for whom and
when it was made; its own project id is the packet id, so the lead's project knows a packet
when `merge` brings it back (``merges.source_project``).

It is built under a temporary name beside its destination and renamed into place once whole,
and recorded in the lead's project (``packets``, and each assignment's ``packet_id``) in the
same step: a packet that could not be written leaves neither file nor record.

Documents sent back to the analyst for correction (:mod:`annotator.team.send_back`) come first
in a packet, with the analyst's work on them and the curator's note and changes.

Gold documents (:mod:`annotator.team.gold`) go into a packet like the others, at places in
the queue the seed chooses; every document of a packet is dated by when the packet was made,
so that none stands out by an older date.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.destinations import output, partial_name
from annotator.model import AnalystNameError, Refused, check_analyst_name, utc_now
from annotator.printable import as_text, printable
from annotator.store.migrations import ID_BLOCK_BITS, ID_BLOCKS, migration_set
from annotator.store.project import Store
from annotator.team.assign import AssignReport, assign
from annotator.team.gold import GoldPick, gold_for_packet, record_given
from annotator.team.send_back import Carried, record_carried, to_carry, write_into_packet

#: The project setting a packet carries: {"id", "lead_project", "lead_file", "analyst",
#: "made_at", "made_by", "documents"}.
PACKET_SETTING = "packet"
#: The lead's patterns, carried inside the packet too (the file beside it may not travel).
PATTERNS_SETTING = "patterns"
#: The block of span and relation ids a project's own start in (see the migrations).
ID_BLOCK_SETTING = "id_block"
ID_TABLES = "('spans', 'relations')"

# A function giving the patterns file of a project (the suggesters' own rule).
PatternsOf = Callable[[Path], Path]


class PacketError(Refused):
    """A packet that cannot be made as asked; nothing was written."""


@dataclass
class PacketReport:
    """A packet written: where, for whom, what it holds."""

    path: Path
    packet_id: str
    analyst: str
    documents: int
    lead_project: str
    patterns: Path | None = None
    gold: int = 0  # gold documents given with it (of ``documents``)
    seed: int | None = None  # the seed that chose and placed them
    sent_back: int = 0  # documents sent back for correction, first (of ``documents``)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": as_text(str(self.path)),
            "packet": self.packet_id,
            "analyst": self.analyst,
            "documents": self.documents,
            "lead_project": self.lead_project,
            "patterns": as_text(str(self.patterns)) if self.patterns else None,
            "gold": self.gold,
            "seed": self.seed,
            "sent_back": self.sent_back,
        }

    def summary(self) -> str:
        beside = f", with its patterns in {printable(self.patterns)}" if self.patterns else ""
        gold = ""
        if self.gold:
            gold = f", {self.gold:,} of them gold (placed by seed {self.seed})"
        if self.sent_back:
            gold += f", {self.sent_back:,} of them sent back for correction"
        return (
            f"Wrote {printable(self.path)}: {self.documents:,} "
            f"document{'' if self.documents == 1 else 's'} for "
            f"{printable(self.analyst)}{gold} (packet {self.packet_id}){beside}. "
            f"Open it with: annotator --db {printable(self.path)} --user "
            f"{printable(self.analyst)}"
        )


def project_id(store: Store) -> str:
    """The project's stable id, made (random, and kept) if it has none yet."""
    value = store.get_setting("id")
    if isinstance(value, str) and value:
        return value
    made = os.urandom(16).hex()
    store.set_setting("id", made)
    return made


def packet_of(store: Store) -> dict[str, Any] | None:
    """What a packet says of itself (its ``packet`` setting); None for any other project."""
    value = store.get_setting(PACKET_SETTING)
    return value if isinstance(value, dict) else None


def write_packet(
    store: Store,
    analyst: str,
    out: Path,
    *,
    everything: bool = False,
    patterns_of: PatternsOf | None = None,
    gold: int = 0,
    seed: int | None = None,
) -> PacketReport:
    """Write ``analyst``'s packet to ``out``: the documents assigned to them that no packet
    has carried yet (every one, with ``everything``), and ``gold`` gold documents they never
    had, placed in the queue by ``seed``. Refused, with nothing written, when they have
    none, too few gold documents are left, or ``out`` (or its patterns file) is already
    there."""
    analyst = _checked(analyst)
    rows = _queue(store.conn, analyst, everything=everything)
    carried = to_carry(store.conn, analyst, everything=everything)
    if not rows and not carried:
        raise PacketError(_nothing_to_send(store.conn, analyst))
    rows, pick = _with_gold(store.conn, analyst, rows, gold, seed, everything=everything)
    patterns = _patterns(store.path, out, patterns_of)
    _check_destination(out, patterns[1] if patterns else None)
    return _write(
        store, analyst, out, rows, patterns, everything=everything, gold=pick, carried=carried
    )


def write_packets(
    store: Store,
    analysts: Sequence[str],
    folder: Path,
    *,
    patterns_of: PatternsOf | None = None,
    gold: int = 0,
    seed: int | None = None,
) -> list[PacketReport]:
    """A packet in ``folder`` for each of ``analysts`` that has documents no packet carried
    yet, named ``<analyst>-<n>.db`` (their n-th packet), each with ``gold`` gold documents.
    Every destination, and every analyst's gold, is checked before the first packet is
    written."""
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise PacketError(f"{printable(folder)} {what}; the packets go into a folder")
    plans = []
    for analyst in (_checked(a) for a in analysts):
        rows = _queue(store.conn, analyst, everything=False)
        carried = to_carry(store.conn, analyst, everything=False)
        if not rows and not carried:
            continue
        rows, pick = _with_gold(store.conn, analyst, rows, gold, seed, everything=False)
        out = folder / packet_file_name(store.conn, analyst)
        patterns = _patterns(store.path, out, patterns_of)
        _check_destination(out, patterns[1] if patterns else None)
        plans.append((analyst, out, rows, patterns, pick, carried))
    written: list[PacketReport] = []
    try:
        with store.transaction():
            for analyst, out, rows, patterns, pick, carried in plans:
                written.append(
                    _write(store, analyst, out, rows, patterns, gold=pick, carried=carried)
                )
    except BaseException:
        _remove(written)
        raise
    return written


def assign_with_packets(
    store: Store,
    analysts: Sequence[str],
    folder: Path,
    *,
    patterns_of: PatternsOf | None = None,
    gold: int = 0,
    **settings: Any,
) -> tuple[AssignReport, list[PacketReport]]:
    """Assign (see :func:`annotator.team.assign.assign`, which takes ``settings``) and write
    the packets of the documents not yet sent into ``folder`` (made when missing), each with
    ``gold`` gold documents placed by the assignment's seed, all or nothing: a packet that
    cannot be written takes the assignment back with it."""
    made = not folder.exists()
    written: list[PacketReport] = []
    try:
        with store.transaction():
            report = assign(store, analysts, **settings)
            if made:
                folder.mkdir(parents=True)
            written = write_packets(
                store,
                analysts,
                folder,
                patterns_of=patterns_of,
                gold=gold,
                seed=settings.get("seed"),
            )
    except BaseException:
        _remove(written)
        if made and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        raise
    return report, written


def last_folder(store: Store) -> Path | None:
    """The folder the project's latest packet was written into (None before the first):
    the lead's next packets most often go beside it."""
    row = store.conn.execute(
        "SELECT path FROM packets ORDER BY made_at DESC, rowid DESC LIMIT 1"
    ).fetchone()
    return Path(row[0]).parent if row is not None else None


def _remove(written: Sequence[PacketReport]) -> None:
    """Take back packets written by a step that then failed as a whole."""
    for report in written:
        for path in (report.path, report.patterns):
            if path is not None:
                path.unlink(missing_ok=True)


def packet_file_name(conn: sqlite3.Connection, analyst: str) -> str:
    """``<analyst>-<n>.db`` for the analyst's n-th packet, the name made safe for any file
    system (with a short hash of the real name when it had to be changed, so that two
    analysts never get one file)."""
    made = conn.execute("SELECT count(*) FROM packets WHERE analyst = ?", (analyst,)).fetchone()
    safe = re.sub(r"[^\w.-]", "_", analyst).lstrip(".") or "analyst"
    if safe != analyst:
        safe += "-" + hashlib.sha256(analyst.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return f"{safe}-{made[0] + 1}.db"


# -- what goes in it ----------------------------------------------------------------------------


def _checked(analyst: str) -> str:
    try:
        return check_analyst_name(analyst)
    except AnalystNameError as e:
        raise PacketError(f"{e}; no packet was written") from None


# What a packet takes of each document (the id only to find it by).
_COLUMNS = "d.id, d.external_id, d.title, d.text, d.text_hash, d.meta, d.source"


def _queue(conn: sqlite3.Connection, analyst: str, *, everything: bool) -> list[tuple[Any, ...]]:
    """The analyst's documents for the packet, in their queue's order."""
    unsent = "" if everything else " AND a.packet_id IS NULL"
    return conn.execute(
        f"SELECT {_COLUMNS} FROM assignments a JOIN documents d ON d.id = a.document_id"
        f" WHERE a.analyst = ?{unsent} ORDER BY a.position",
        (analyst,),
    ).fetchall()


def _with_gold(
    conn: sqlite3.Connection,
    analyst: str,
    rows: list[tuple[Any, ...]],
    gold: int,
    seed: int | None,
    *,
    everything: bool,
) -> tuple[list[tuple[Any, ...]], GoldPick | None]:
    """The packet's rows with its gold documents in their places, and which they are
    (``rows`` as they are, and None, when it holds no gold)."""
    pick = gold_for_packet(
        conn, analyst, [row[0] for row in rows], count=gold, seed=seed, everything=everything
    )
    if pick is None:
        return rows, None
    extra = [doc for doc in pick.queue if doc in pick.new or doc in pick.again]
    found = conn.execute(
        f"SELECT {_COLUMNS} FROM json_each(?) j JOIN documents d ON d.id = j.value",
        (json.dumps(extra),),
    ).fetchall()
    by_id = {row[0]: row for row in [*rows, *found]}
    return [by_id[doc] for doc in pick.queue], pick


def _sent_back_first(
    conn: sqlite3.Connection, rows: list[tuple[Any, ...]], carried: Sequence[Carried]
) -> list[tuple[Any, ...]]:
    """The packet's documents: those sent back first, then the others in their order."""
    if not carried:
        return rows
    ids = [c.document for c in carried]
    found = conn.execute(
        f"SELECT {_COLUMNS} FROM json_each(?) j JOIN documents d ON d.id = j.value ORDER BY j.key",
        (json.dumps(ids),),
    ).fetchall()
    return [*found, *(row for row in rows if row[0] not in ids)]


def _nothing_to_send(conn: sqlite3.Connection, analyst: str) -> str:
    held = conn.execute(
        "SELECT count(*) FROM assignments WHERE analyst = ?", (analyst,)
    ).fetchone()[0]
    if held:
        return (
            f"every one of the {held:,} documents assigned to {printable(analyst)!r} has gone "
            "out in a packet already; --all makes a packet of them all again"
        )
    names = [r[0] for r in conn.execute("SELECT DISTINCT analyst FROM assignments ORDER BY 1")]
    if not names:
        return "no documents are assigned yet; `annotator assign` gives them out"
    shown = ", ".join(printable(n) for n in names[:10]) + (" ..." if len(names) > 10 else "")
    return f"no documents are assigned to {printable(analyst)!r}; the analysts are {shown}"


def _patterns(lead: Path, out: Path, patterns_of: PatternsOf | None) -> tuple[Path, Path] | None:
    """The lead's patterns file and where the packet's goes, when the lead has one."""
    if patterns_of is None:
        return None
    source = patterns_of(lead)
    return (source, patterns_of(out)) if source.is_file() else None


def _read_patterns(path: Path) -> bytes:
    """The lead's patterns file as it is; refused when it cannot be read as UTF-8 text."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except OSError as e:
        raise PacketError(f"{printable(path)}: cannot be read ({e.strerror or e})") from None
    except UnicodeDecodeError as e:
        raise PacketError(
            f"{printable(path)}: the patterns are not UTF-8 text (byte {e.start}); no packet "
            "was written"
        ) from None
    return data


def _check_destination(out: Path, patterns: Path | None) -> None:
    for path in (out, patterns):
        if path is not None and os.path.lexists(path):
            raise PacketError(
                f"{printable(path)} is already there; a packet never replaces a file (it may "
                "be an analyst's work): choose another name or move it away"
            )
    if not out.parent.is_dir():
        raise PacketError(f"{printable(out)}: the folder {printable(out.parent)} does not exist")


# -- writing it ---------------------------------------------------------------------------------


def _write(
    store: Store,
    analyst: str,
    out: Path,
    rows: list[tuple[Any, ...]],
    patterns: tuple[Path, Path] | None,
    *,
    everything: bool = False,
    gold: GoldPick | None = None,
    carried: Sequence[Carried] = (),
) -> PacketReport:
    """Build the packet beside ``out``, then record it in the lead's project and rename it
    into place in one step. The documents sent back (``carried``) come first in its queue."""
    packet_id = os.urandom(16).hex()
    queue = _sent_back_first(store.conn, rows, carried)
    lead_id = project_id(store)
    block = _free_block(store.conn)
    now = utc_now()
    patterns_bytes = _read_patterns(patterns[0]) if patterns else None
    about = {
        "id": packet_id,
        "lead_project": lead_id,
        "lead_file": as_text(store.path.name),
        "analyst": analyst,
        "made_at": now,
        "made_by": store.annotator,
        "documents": len(queue),
    }
    temporary = out.parent / partial_name(out)
    placed: list[Path] = []
    try:
        try:
            _build(temporary, store.conn, queue, about, patterns_bytes, block, carried)
            with store.transaction():
                _record(store, about, out, rows, everything=everything, block=block)
                if record_carried(store.conn, carried, packet_id, everything=everything):
                    raise PacketError(
                        f"a document sent back to {printable(analyst)!r} went out in another "
                        "packet, or came back, while this one was made; nothing was written"
                    )
                if gold is not None:
                    record_given(store, packet_id, gold)
                if patterns is not None and patterns_bytes is not None:
                    with output(patterns[1], binary=True) as file:
                        file.write(patterns_bytes)
                    placed.append(patterns[1])
                os.replace(temporary, out)
                placed.append(out)
        except BaseException:
            for path in placed:
                path.unlink(missing_ok=True)
            raise
    except (OSError, sqlite3.Error) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise PacketError(f"{printable(out)}: the packet could not be written ({reason})") from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    return PacketReport(
        out,
        packet_id,
        analyst,
        len(queue),
        lead_id,
        patterns[1] if patterns else None,
        len(gold.new) if gold else 0,
        gold.seed if gold else None,
        len(carried),
    )


def _build(
    path: Path,
    lead: sqlite3.Connection,
    rows: list[tuple[Any, ...]],
    about: dict[str, Any],
    patterns: bytes | None,
    block: int,
    carried: Sequence[Carried] = (),
) -> None:
    """A new project at ``path`` holding the documents, the lead's scheme and the packet's
    settings, its span and relation ids in the ``block`` its lead gave it, and the analyst's
    work on the documents sent back to them; no history (the
    analyst's begins when they start)."""
    from sqlite_utils import Database

    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        migration_set().apply(Database(conn))
        conn.execute("BEGIN")
        settings = {
            "id": about["id"],
            "created_at": about["made_at"],
            "created_by": f"annotator {__version__}",
            PACKET_SETTING: about,
            ID_BLOCK_SETTING: block,
        }
        if patterns is not None:
            settings[PATTERNS_SETTING] = patterns.decode("utf-8")
        conn.executemany(
            "INSERT INTO project (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET"
            " value = excluded.value",
            [(k, json.dumps(v, ensure_ascii=False)) for k, v in settings.items()],
        )
        conn.execute(
            f"UPDATE sqlite_sequence SET seq = ? WHERE name IN {ID_TABLES}",
            (block << ID_BLOCK_BITS,),
        )
        for table in ("labels", "relation_types"):
            _copy_table(lead, conn, table)
        conn.executemany(
            "INSERT INTO documents (external_id, title, text, text_hash, meta, source,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row[1:], about["made_at"], about["made_at"]) for row in rows],
        )
        write_into_packet(lead, conn, carried, about["analyst"], about)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _free_block(conn: sqlite3.Connection) -> int:
    """A block of span and relation ids for a new packet: in the lower half (below every
    block a project made on its own draws, its lead's included), and none of the lead's
    other packets'."""
    taken = {r[0] for r in conn.execute("SELECT id_block FROM packets WHERE id_block IS NOT NULL")}
    rng = random.SystemRandom()
    while True:
        block = rng.randrange(1, ID_BLOCKS // 2)
        if block not in taken:
            return block


def _copy_table(lead: sqlite3.Connection, packet: sqlite3.Connection, table: str) -> None:
    """Every row of one of the lead's scheme tables, as it is (ids, positions, hotkeys)."""
    columns = [r[1] for r in lead.execute(f"PRAGMA table_info({table})")]
    listed = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    packet.execute(f"DELETE FROM {table}")
    packet.executemany(
        f"INSERT INTO {table} ({listed}) VALUES ({marks})",
        lead.execute(f"SELECT {listed} FROM {table}").fetchall(),
    )


def _record(
    store: Store,
    about: dict[str, Any],
    out: Path,
    rows: list[tuple[Any, ...]],
    *,
    everything: bool,
    block: int,
) -> None:
    """The packet in the lead's project: its row (with the block of ids it was given), and the
    packet each document went out in.

    The documents were read before the packet was built, outside this transaction: one that
    another packet took meanwhile (a second `packet` for the same analyst at the same time)
    refuses this one, so no document goes out twice unasked."""
    conn = store.conn
    if not everything:
        taken = conn.execute(
            "SELECT count(*) FROM assignments WHERE analyst = ? AND packet_id IS NOT NULL"
            " AND document_id IN (SELECT value FROM json_each(?))",
            (about["analyst"], json.dumps([row[0] for row in rows])),
        ).fetchone()[0]
        if taken:
            raise PacketError(
                f"{taken:,} of these documents went out in another packet for "
                f"{printable(about['analyst'])!r} while this one was made; nothing was written"
            )
    conn.execute(
        "INSERT INTO packets (id, analyst, made_at, made_by, path, documents, id_block)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            about["id"],
            about["analyst"],
            about["made_at"],
            about["made_by"],
            as_text(os.path.abspath(out)),
            about["documents"],
            block,
        ),
    )
    conn.executemany(
        "UPDATE assignments SET packet_id = ? WHERE document_id = ? AND analyst = ?",
        [(about["id"], row[0], about["analyst"]) for row in rows],
    )
    store.record_change(
        "make_packet", packet=about["id"], analyst=about["analyst"], documents=about["documents"]
    )
