"""How far the work handed out has come: the documents assigned to each analyst, by the status
that analyst has for them in the lead's project (their own work there, or what `merge` brought
back from their packets), per analyst, overall and per document.

Counted by SQLite in a few grouped queries over ``assignments``, each assignment's status found
by the key of ``statuses``: 50 analysts × 100,000 documents take a fraction of a second.

Documents sent back for correction (:mod:`annotator.team.send_back`) and not returned yet are
counted per analyst from their own small table.

Gold documents given to an analyst (:mod:`annotator.team.gold`) are no assignment: they are
counted apart, in columns of their own (given, and of those done), and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from annotator.printable import printable
from annotator.store.project import Store
from annotator.team.send_back import open_counts

# What each analyst's documents count, in the order the table shows them.
COUNTS = ("assigned", "not_started", "in_progress", "done", "skipped")
_HEADINGS = {
    "assigned": "assigned",
    "not_started": "not started",
    "in_progress": "in progress",
    "done": "done",
    "skipped": "skipped",
    "packets": "packets",
    "packets_returned": "returned",
    "gold": "gold",
    "gold_done": "gold done",
    "sent_back": "sent back",
}


@dataclass
class Tally:
    """Documents assigned, and how many of them the analyst has in each status."""

    assigned: int = 0
    in_progress: int = 0
    done: int = 0
    skipped: int = 0

    @property
    def not_started(self) -> int:
        return self.assigned - self.in_progress - self.done - self.skipped

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS}


@dataclass
class AnalystProgress(Tally):
    analyst: str = ""
    packets: int = 0  # packets made for them
    packets_returned: int = 0  # of those, merged back into this project
    gold: int = 0  # gold documents given to them (not among ``assigned``)
    gold_done: int = 0  # of those, done
    sent_back: int = 0  # documents sent back to them for correction, not returned yet


@dataclass
class DocumentProgress:
    """The documents, each counted once: done when every analyst given it has finished it
    (done, or skipped), in progress when any has begun, else not started."""

    total: int = 0
    assigned: int = 0
    done: int = 0
    in_progress: int = 0
    gold: int = 0  # documents marked gold (handed out only as gold)

    @property
    def unassigned(self) -> int:
        return self.total - self.assigned

    @property
    def not_started(self) -> int:
        return self.assigned - self.done - self.in_progress


@dataclass
class Progress:
    analysts: list[AnalystProgress] = field(default_factory=list)
    documents: DocumentProgress = field(default_factory=DocumentProgress)
    #: Documents sent back for correction and not returned yet, to anyone (an analyst with
    #: no assignment too).
    sent_back: int = 0

    @property
    def overall(self) -> Tally:
        return Tally(
            sum(a.assigned for a in self.analysts),
            sum(a.in_progress for a in self.analysts),
            sum(a.done for a in self.analysts),
            sum(a.skipped for a in self.analysts),
        )

    @property
    def has_work(self) -> bool:
        """Whether any analyst has begun any document given them (in this project, or in a
        packet merged back): else there is nothing but the assignment to show."""
        overall = self.overall
        return overall.assigned > overall.not_started

    def to_json(self) -> dict[str, Any]:
        docs = self.documents
        return {
            "documents": {
                "total": docs.total,
                "assigned": docs.assigned,
                "unassigned": docs.unassigned,
                "not_started": docs.not_started,
                "in_progress": docs.in_progress,
                "done": docs.done,
                "gold": docs.gold,
            },
            "overall": {**self.overall.counts(), "sent_back": self.sent_back},
            "analysts": [
                {
                    "analyst": a.analyst,
                    **a.counts(),
                    "packets": a.packets,
                    "packets_returned": a.packets_returned,
                    "gold": a.gold,
                    "gold_done": a.gold_done,
                    "sent_back": a.sent_back,
                }
                for a in self.analysts
            ],
        }

    def lines(self) -> list[str]:
        """The table: a row per analyst and one for everyone, the columns that hold
        something; then the documents."""
        if not self.analysts:
            return ["No documents are assigned yet; `annotator assign` gives them out."]
        columns = ["assigned"]
        if self.has_work:
            columns += ["not_started", "in_progress", "done"]
            if self.overall.skipped:
                columns.append("skipped")
        if any(a.packets for a in self.analysts):
            columns += ["packets", "packets_returned"]
        if any(a.gold for a in self.analysts):
            columns += ["gold", "gold_done"]
        if self.sent_back:
            columns.append("sent_back")
        width = max(8, *(len(printable(a.analyst)) for a in self.analysts))
        widths = [max(9, len(_HEADINGS[c])) for c in columns]
        heading = "  ".join(f"{_HEADINGS[c]:>{w}}" for c, w in zip(columns, widths, strict=True))
        out = [f"{'analyst':<{width}}  {heading}"]
        for a in self.analysts:
            out.append(_row(printable(a.analyst), width, asdict(a) | a.counts(), columns, widths))
        total = {
            **self.overall.counts(),
            "packets": sum(a.packets for a in self.analysts),
            "packets_returned": sum(a.packets_returned for a in self.analysts),
            "gold": sum(a.gold for a in self.analysts),
            "gold_done": sum(a.gold_done for a in self.analysts),
            "sent_back": self.sent_back,
        }
        out.append(_row("all", width, total, columns, widths))
        docs = self.documents
        out.append(
            f"Documents: {docs.assigned:,} of {docs.total:,} assigned"
            + (f" ({docs.unassigned:,} not yet)" if docs.unassigned else "")
            + (
                f"; {docs.done:,} done by every analyst given them, {docs.in_progress:,} in "
                f"progress, {docs.not_started:,} not started."
                if self.has_work
                else "."
            )
            + (
                f" {docs.gold:,} of the {docs.total:,} documents are gold (`annotator gold`)."
                if docs.gold
                else ""
            )
        )
        if not self.has_work:
            out.append(
                "No work has come back yet: merge the returned packets into this project "
                "(`annotator merge PACKET... --into` it) and their statuses count here."
            )
        return out


def _row(
    name: str, width: int, values: dict[str, Any], columns: list[str], widths: list[int]
) -> str:
    cells = "  ".join(f"{values[c]:>{w},}" for c, w in zip(columns, widths, strict=True))
    return f"{name:<{width}}  {cells}"


@contextmanager
def _reading(store: Store) -> Iterator[None]:
    """One consistent reading of the counts, taking no write lock (a writer goes on)."""
    conn = store.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def progress(store: Store) -> Progress:
    """Each analyst's assigned documents by their status, and the documents' own progress."""
    conn = store.conn
    result = Progress()
    with _reading(store):
        packets = {
            who: (int(made), int(back or 0))
            for who, made, back in conn.execute(
                "SELECT p.analyst, count(*), sum(m.source_project IS NOT NULL) FROM packets p"
                " LEFT JOIN merges m ON m.source_project = p.id GROUP BY p.analyst"
            )
        }
        sent_back = open_counts(conn)
        gold = {
            who: (int(given), int(done or 0))
            for who, given, done in conn.execute(
                "SELECT g.analyst, count(*), sum(s.status = 'done') FROM gold_given g"
                " LEFT JOIN statuses s ON s.document_id = g.document_id"
                " AND s.annotator = g.analyst GROUP BY g.analyst"
            )
        }
        for who, assigned, begun, done, skipped in conn.execute(
            "SELECT a.analyst, count(*), sum(s.status = 'in_progress'), sum(s.status = 'done'),"
            " sum(s.status = 'skipped') FROM assignments a LEFT JOIN statuses s"
            " ON s.document_id = a.document_id AND s.annotator = a.analyst"
            " GROUP BY a.analyst ORDER BY a.analyst"
        ):
            made, back = packets.get(who, (0, 0))
            result.analysts.append(
                AnalystProgress(
                    int(assigned), int(begun or 0), int(done or 0), int(skipped or 0), who,
                    made, back, *gold.get(who, (0, 0)), sent_back.get(who, 0),
                )
            )  # fmt: skip
        total = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        assigned, finished, begun = conn.execute(
            "SELECT count(*), sum(finished = given), sum(finished < given AND begun > 0) FROM"
            " (SELECT count(*) AS given, sum(s.status IN ('done', 'skipped')) AS finished,"
            " sum(s.status IN ('in_progress', 'done', 'skipped')) AS begun"
            " FROM assignments a LEFT JOIN statuses s"
            " ON s.document_id = a.document_id AND s.annotator = a.analyst"
            " GROUP BY a.document_id)"
        ).fetchone()
        marked = int(conn.execute("SELECT count(*) FROM gold").fetchone()[0])
    result.sent_back = sum(sent_back.values())
    result.documents = DocumentProgress(
        total, int(assigned), int(finished or 0), int(begun or 0), marked
    )
    return result
