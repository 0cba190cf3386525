"""Documents handed out to analysts: each to as many analysts as promised, the shares balanced
by characters, the same seed giving the same assignment, and a later run giving out only the
documents no run gave out before.

A run gives every document it assigns to ``overlap`` distinct analysts, or, with ``sample``,
that many analysts on a chosen share of the documents (an agreement sample) and one on the
rest. The documents go out largest first, by powers of two of their length, in a seeded order
within each size; each to the analysts with the fewest characters so far (counting what
earlier runs gave them), ties broken by the seed. So the largest share exceeds the smallest by
at most the longest document, and in practice by little more than a short one.

Only ``random.Random(seed).random()`` is drawn from: Python promises that sequence stays the
same across versions, which it does not promise for ``shuffle`` or ``sample``.

The assignment is recorded in the lead's project: ``assignment_runs`` (when, by whom, the seed
and the settings) and ``assignments`` (each document's analysts, their place in each
analyst's queue, and later the packet it went out in).

Gold documents (:mod:`annotator.team.gold`) are left out: they go out only as gold, into
packets, so that none reaches an analyst twice.
"""

from __future__ import annotations

import bisect
import heapq
import json
import random
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.model import AnalystNameError, Refused, check_analyst_name, utc_now
from annotator.printable import printable
from annotator.store.project import Store
from annotator.team.gold import kept_for_gold

#: The orders an analyst's queue can take: the lead's document order, or a seeded shuffle.
QUEUE_ORDERS = ("project", "shuffled")


class AssignError(Refused):
    """An assignment refused as asked; nothing was written."""


@dataclass(frozen=True)
class Plan:
    """Who gets each document, and the seeded key that orders a shuffled queue."""

    given: dict[int, tuple[str, ...]]
    queue_keys: dict[int, float]
    sampled: int  # documents given to ``overlap`` analysts


@dataclass
class Share:
    """One analyst's part: what this run gave them, and everything assigned to them."""

    analyst: str
    documents: int = 0
    characters: int = 0
    total_documents: int = 0
    total_characters: int = 0


@dataclass
class AssignReport:
    """What a run of ``assign`` did (nothing, when every document was already assigned)."""

    seed: int
    overlap: int
    sample: float | None
    order: str
    run: int | None = None
    assigned: int = 0  # documents this run gave out
    sampled: int = 0  # of them, those given to ``overlap`` analysts
    already: int = 0  # documents earlier runs gave out
    gold: int = 0  # documents left out, not yet assigned: gold, or given out as gold
    shares: list[Share] = field(default_factory=list)

    def spread(self) -> float:
        """How far the largest share (in characters, everything assigned) exceeds the
        smallest, as a fraction of the smallest."""
        totals = [s.total_characters for s in self.shares]
        if not totals or min(totals) == 0:
            return 0.0 if not totals or max(totals) == 0 else float("inf")
        return (max(totals) - min(totals)) / min(totals)

    def to_json(self) -> dict[str, Any]:
        spread = self.spread()
        return {
            "run": self.run,
            "seed": self.seed,
            "overlap": self.overlap,
            "sample": self.sample,
            "order": self.order,
            "assigned": self.assigned,
            "sampled": self.sampled,
            "already_assigned": self.already,
            "gold": self.gold,
            "spread": None if spread == float("inf") else round(spread, 6),
            "analysts": [
                {
                    "analyst": s.analyst,
                    "documents": s.documents,
                    "characters": s.characters,
                    "total_documents": s.total_documents,
                    "total_characters": s.total_characters,
                }
                for s in self.shares
            ],
        }

    def summary(self) -> str:
        gold = (
            f"{self.gold:,} gold {'document goes' if self.gold == 1 else 'documents go'} out "
            "only as gold, into packets (`packet --gold`)."
        )
        if not self.assigned:
            return (
                f"Nothing to assign: all {self.already:,} documents are already assigned "
                "(documents imported later are assigned by running assign again)."
                + (f" {gold}" if self.gold else "")
            )
        how = f"{self.overlap} analyst{'s' if self.overlap != 1 else ''} each"
        if self.sample is not None:
            how = (
                f"{self.sampled:,} of them (the agreement sample) to {self.overlap} analysts, "
                "the rest to one"
            )
        lines = [
            f"Assigned {self.assigned:,} documents to {len(self.shares)} analysts, {how} "
            f"(run {self.run}, seed {self.seed}, {self.order} order)."
        ]
        if self.already:
            lines.append(f"{self.already:,} documents assigned before were left where they were.")
        if self.gold:
            lines.append(gold)
        width = max(8, *(len(printable(s.analyst)) for s in self.shares))
        lines.append(f"  {'analyst':<{width}}  {'new':>7}  {'documents':>9}  {'characters':>12}")
        for s in self.shares:
            lines.append(
                f"  {printable(s.analyst):<{width}}  {s.documents:>7,}  {s.total_documents:>9,}"
                f"  {s.total_characters:>12,}"
            )
        spread = self.spread()
        shown = "∞" if spread == float("inf") else f"{spread * 100:.1f} %"
        lines.append(f"The largest share is {shown} over the smallest, in characters.")
        return "\n".join(lines)


def check_analysts(names: Sequence[str]) -> list[str]:
    """The analysts' names as they will be stored; a bad or repeated name is refused."""
    if not names:
        raise AssignError("name the analysts to assign documents to")
    checked: list[str] = []
    for name in names:
        try:
            checked.append(check_analyst_name(name))
        except AnalystNameError as e:
            raise AssignError(f"{e}; nothing was assigned") from None
    for name in checked:
        if checked.count(name) > 1:
            raise AssignError(
                f"the analyst {printable(name)!r} is named twice; name each analyst once"
            )
    return checked


def check_settings(analysts: Sequence[str], overlap: int, sample: float | None) -> None:
    """Refuse an overlap or sample that cannot be kept with these analysts."""
    if overlap < 1:
        raise AssignError(f"--overlap must be 1 or more, not {overlap}")
    if overlap > len(analysts):
        raise AssignError(
            f"--overlap {overlap} needs at least {overlap} analysts; {len(analysts)} "
            f"{'was' if len(analysts) == 1 else 'were'} named"
        )
    if sample is not None:
        if not 0 < sample <= 1:
            raise AssignError(f"--sample must be a fraction over 0 and at most 1, not {sample}")
        if overlap < 2:
            raise AssignError(
                "--sample gives a share of the documents to several analysts: give --overlap "
                "2 or more with it"
            )


def plan(
    documents: Sequence[tuple[int, int]],
    analysts: Sequence[str],
    overlap: int,
    *,
    seed: int,
    sample: float | None = None,
    loads: Mapping[str, int] | None = None,
) -> Plan:
    """Who gets each of ``documents`` (``(id, characters)`` pairs): ``overlap`` distinct
    analysts each (or, with ``sample``, on that share of them and one on the rest), every
    document to the analysts with the fewest characters so far (``loads``: what they hold
    already)."""
    check_settings(analysts, overlap, sample)
    rng = random.Random(seed)
    ordered = sorted(documents)
    sample_key = {doc: rng.random() for doc, _ in ordered}
    order_key = {doc: rng.random() for doc, _ in ordered}
    queue_key = {doc: rng.random() for doc, _ in ordered}
    many = len(ordered)
    if sample is not None:
        many = min(len(ordered), max(1, round(sample * len(ordered))))
    chosen = set(sorted(sample_key, key=lambda d: (sample_key[d], d))[:many])
    heap = [(int((loads or {}).get(name, 0)), rng.random(), i) for i, name in enumerate(analysts)]
    heapq.heapify(heap)
    holdings: list[set[int]] = [set() for _ in analysts]
    for doc, length in sorted(ordered, key=lambda d: (-d[1].bit_length(), order_key[d[0]])):
        taken = [heapq.heappop(heap) for _ in range(overlap if doc in chosen else 1)]
        for load, _, i in taken:
            holdings[i].add(doc)
            heapq.heappush(heap, (load + length, rng.random(), i))
    totals = [0] * len(analysts)
    for load, _, i in heap:
        totals[i] = load
    _even_out(holdings, totals, dict(ordered), limit=10 * len(analysts))
    given: dict[int, list[str]] = {}
    for i, docs in enumerate(holdings):
        for doc in docs:
            given.setdefault(doc, []).append(analysts[i])
    return Plan(
        {doc: tuple(given[doc]) for doc, _ in ordered},
        queue_key,
        len(chosen) if documents else 0,
    )


def _even_out(
    holdings: list[set[int]], totals: list[int], lengths: Mapping[int, int], *, limit: int
) -> None:
    """Narrow the gap between the largest share and the smallest: move a document of this
    run from the one to the other, or swap two, whichever leaves the two closest, until
    neither narrows it or the gap is under 1 % (the greedy pass leaves little to do but
    with a few long documents)."""
    for _ in range(limit):
        heavy = max(range(len(totals)), key=lambda i: (totals[i], -i))
        light = min(range(len(totals)), key=lambda i: (totals[i], i))
        gap = totals[heavy] - totals[light]
        if gap * 100 <= totals[light]:
            return
        best = _best_exchange(holdings[heavy], holdings[light], lengths, gap)
        if best is None:
            return
        give, take = best
        holdings[heavy].discard(give)
        holdings[light].add(give)
        delta = lengths[give]
        if take is not None:
            holdings[light].discard(take)
            holdings[heavy].add(take)
            delta -= lengths[take]
        totals[heavy] -= delta
        totals[light] += delta


def _best_exchange(
    heavy: set[int], light: set[int], lengths: Mapping[int, int], gap: int
) -> tuple[int, int | None] | None:
    """The document to move from the heavier share to the lighter (and the one to move back,
    for a swap) that leaves the two closest; None when nothing narrows the gap."""
    movable = sorted((lengths[d], d) for d in heavy - light)
    back = sorted((lengths[d], d) for d in light - heavy)
    best: tuple[int, int, int | None] | None = None  # (the gap left, given, taken)
    for length, doc in movable:
        if 0 < length < gap:
            left = abs(gap - 2 * length)
            if best is None or left < best[0]:
                best = (left, doc, None)
        # The document to take back whose length is nearest length - gap / 2.
        at = bisect.bisect_left(back, (length - gap // 2, -1))
        for length_back, other in back[max(0, at - 1) : at + 1]:
            delta = length - length_back
            if 0 < delta < gap:
                left = abs(gap - 2 * delta)
                if best is None or left < best[0]:
                    best = (left, doc, other)
    return None if best is None else (best[1], best[2])


def unassigned_documents(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """The documents no run has given out, with their lengths in characters; not the gold
    ones (nor those given out as gold)."""
    return conn.execute(
        "SELECT d.id, length(d.text) FROM documents d WHERE NOT EXISTS"
        " (SELECT 1 FROM assignments a WHERE a.document_id = d.id)"
        " AND NOT EXISTS (SELECT 1 FROM gold g WHERE g.document_id = d.id)"
        " AND NOT EXISTS (SELECT 1 FROM gold_given x WHERE x.document_id = d.id) ORDER BY d.id"
    ).fetchall()


def assigned_loads(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Each analyst's documents and characters, over everything assigned to them."""
    rows = conn.execute(
        "SELECT a.analyst, count(*), sum(length(d.text)) FROM assignments a"
        " JOIN documents d ON d.id = a.document_id GROUP BY a.analyst"
    )
    return {who: (int(n), int(chars or 0)) for who, n, chars in rows}


def assign(
    store: Store,
    analysts: Sequence[str],
    *,
    overlap: int = 1,
    sample: float | None = None,
    seed: int,
    order: str = "project",
) -> AssignReport:
    """Give the documents no run gave out before to ``analysts``, and record it (one
    transaction). Refused with nothing written when the settings cannot be kept or the
    project has no documents."""
    with store.transaction():
        names, report, chosen = _planned(store, analysts, overlap, sample, seed, order)
        if chosen is not None:
            report.run = _record(store, names, chosen, report)
    return report


def preview(
    store: Store,
    analysts: Sequence[str],
    *,
    overlap: int = 1,
    sample: float | None = None,
    seed: int,
    order: str = "project",
) -> AssignReport:
    """What :func:`assign` would give each analyst now with these settings, written nowhere:
    the lead sees the shares before choosing. Refused as :func:`assign` refuses."""
    return _planned(store, analysts, overlap, sample, seed, order)[1]


@dataclass(frozen=True)
class RunSettings:
    """The settings a run was made with, as the lead chose them."""

    analysts: list[str]
    overlap: int
    sample: float | None
    order: str
    seed: int


def last_run(store: Store) -> RunSettings | None:
    """The settings of the project's latest run (None before the first): assigning the
    documents imported since is most often the same team with the same overlap again."""
    row = store.conn.execute(
        "SELECT analysts, overlap, sample, queue_order, seed FROM assignment_runs"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    analysts, overlap, sample, order, seed = row
    try:
        names = json.loads(analysts)
    except ValueError:
        names = []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        names = []
    return RunSettings(names, int(overlap), sample, str(order), int(seed))


def _planned(
    store: Store,
    analysts: Sequence[str],
    overlap: int,
    sample: float | None,
    seed: int,
    order: str,
) -> tuple[list[str], AssignReport, Plan | None]:
    """The checked names, the report of the shares and the plan (None when every document
    is assigned already), read from the project as it is; nothing is written."""
    names = check_analysts(analysts)
    check_settings(names, overlap, sample)
    if order not in QUEUE_ORDERS:
        raise AssignError(f"--order must be one of {', '.join(QUEUE_ORDERS)}, not {order!r}")
    report = AssignReport(seed=seed, overlap=overlap, sample=sample, order=order)
    conn = store.conn
    total = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    if total == 0:
        raise AssignError(f"{printable(store.path)} has no documents to assign; import some first")
    todo = unassigned_documents(conn)
    report.gold = kept_for_gold(conn)
    report.already = total - len(todo) - report.gold
    before = assigned_loads(conn)
    added = {who: Share(who) for who in names}
    chosen = None
    if todo:
        chosen = plan(
            todo,
            names,
            overlap,
            seed=seed,
            sample=sample,
            loads={who: before.get(who, (0, 0))[1] for who in names},
        )
        report.assigned, report.sampled = len(chosen.given), chosen.sampled
        for doc, length in todo:
            for who in chosen.given[doc]:
                added[who].documents += 1
                added[who].characters += length
    for who, share in added.items():
        documents, characters = before.get(who, (0, 0))
        share.total_documents = documents + share.documents
        share.total_characters = characters + share.characters
        report.shares.append(share)
    return names, report, chosen


def _record(store: Store, names: Sequence[str], chosen: Plan, report: AssignReport) -> int:
    """Write the run and its assignments, each analyst's new documents after those already
    in their queue, in the order the lead chose; the run's number."""
    conn = store.conn
    cur = conn.execute(
        "INSERT INTO assignment_runs (assigned_at, assigned_by, seed, overlap, sample,"
        " queue_order, analysts, documents) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            utc_now(),
            store.annotator,
            report.seed,
            report.overlap,
            report.sample,
            report.order,
            json.dumps(list(names), ensure_ascii=False),
            len(chosen.given),
        ),
    )
    run = cur.lastrowid
    assert run is not None
    if report.order == "shuffled":
        queue = sorted(chosen.given, key=lambda d: (chosen.queue_keys[d], d))
    else:
        queue = sorted(chosen.given)
    next_place = dict(
        conn.execute("SELECT analyst, max(position) + 1 FROM assignments GROUP BY analyst")
    )
    rows = []
    for doc in queue:
        for who in chosen.given[doc]:
            place = next_place.get(who, 0)
            next_place[who] = place + 1
            rows.append((doc, who, run, place))
    conn.executemany(
        "INSERT INTO assignments (document_id, analyst, run_id, position) VALUES (?, ?, ?, ?)",
        rows,
    )
    store.record_change(
        "assign",
        run=run,
        seed=report.seed,
        overlap=report.overlap,
        sample=report.sample,
        analysts=list(names),
        documents=len(chosen.given),
    )
    return run
