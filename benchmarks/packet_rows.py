"""Rows for work packets: `annotator assign` giving a big project's documents to many analysts
with an overlap, and `annotator progress` counting their work, each a whole process beside a
plain-``sqlite3`` reference as a process of its own.

The project is the generated articles imported (the one import-100k builds, at full size),
copied once; between runs the assignment is taken out again, untimed.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from benchmarks.context import Context
from benchmarks.core_rows import _process, annotator_command, reference_command
from benchmarks.measure import Figure, paired

ASSIGN_LIMIT = 30.0  # seconds, whole process
PROGRESS_LIMIT = 1.0
OVERLAP = 2
BALANCE = 0.10  # the largest share at most this much over the smallest, in characters


def _analysts(n: int) -> list[str]:
    return [f"analyst-{i:02}" for i in range(n)]


def _unassign(db: Path) -> None:
    """Take the assignment out again (the reference's too), for the next run."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("DELETE FROM assignments")
        conn.execute("DELETE FROM assignment_runs")
        conn.execute("DROP TABLE IF EXISTS reference_assignments")
        conn.commit()
    finally:
        conn.close()


def _check_assignment(db: Path, documents: int, analysts: int) -> float:
    """Every document with exactly ``OVERLAP`` analysts; the spread of the shares."""
    conn = sqlite3.connect(db)
    try:
        given = conn.execute(
            "SELECT count(*), min(n), max(n) FROM"
            " (SELECT count(DISTINCT analyst) AS n FROM assignments GROUP BY document_id)"
        ).fetchone()
        shares = [
            r[0]
            for r in conn.execute(
                "SELECT sum(length(d.text)) FROM assignments a JOIN documents d"
                " ON d.id = a.document_id GROUP BY a.analyst"
            )
        ]
    finally:
        conn.close()
    if given != (documents, OVERLAP, OVERLAP) or len(shares) != analysts:
        raise RuntimeError(f"assigned {given} (documents, fewest, most analysts) to {len(shares)}")
    return (max(shares) - min(shares)) / min(shares)


def assign(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    db = ctx.copy_project(ctx.project(s.assign_documents), "packets.db")
    names = _analysts(s.assign_analysts)

    def ours() -> None:
        out = _process(
            annotator_command(
                db, "assign", *names, "--overlap", str(OVERLAP), "--seed", "1", "--json"
            )  # fmt: skip
        )
        if json.loads(out)["assigned"] != s.assign_documents:
            raise RuntimeError(f"assign gave out other documents: {out[:300]}")

    def plain() -> None:
        _process(reference_command("assign", str(db), str(s.assign_analysts), str(OVERLAP)))

    def prepare(side: str) -> None:
        _unassign(db)

    ctx.say(
        f"  assigning {s.assign_documents:,} documents to {s.assign_analysts} analysts, "
        f"{s.warmup + s.assign_runs} times each (whole processes)"
    )
    ours_t, plain_t, ratio = paired(ours, plain, runs=s.assign_runs, warmup=s.warmup,
                                    prepare=prepare)  # fmt: skip
    _unassign(db)
    ours()  # the last word is ours: its assignment stays for progress
    spread = _check_assignment(db, s.assign_documents, s.assign_analysts)
    ctx.keep_project("packets-assigned", db)
    return [
        Figure(
            row="packets-assign",
            name="packets-assign",
            what=f"`annotator assign` of {s.assign_documents:,} documents to "
            f"{s.assign_analysts} analysts, overlap {OVERLAP}, balanced by characters",
            target=f"< {ASSIGN_LIMIT:g} s median",
            ours=ours_t,
            reference=plain_t,
            ratio=ratio,
            met=ours_t.median < ASSIGN_LIMIT and spread <= BALANCE,
            note=f"reference: round robin, no balance, no record; largest share "
            f"{spread * 100:.2f} % over the smallest (≤ {BALANCE * 100:g} %)",
            extra={"spread": spread},
        )
    ]


def _returns(db: Path, seed: int = 1) -> int:
    """Statuses for most assignments, as merging the returned packets leaves them: a third
    done, a sixth in progress, a few skipped, the rest not begun."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    try:
        pairs = conn.execute("SELECT document_id, analyst FROM assignments").fetchall()
        rows = []
        for doc, who in pairs:
            status = rng.choice(["done", "done", "in_progress", "skipped", None, None])
            if status:
                rows.append((doc, who, status, "2026-01-01T00:00:00.000Z"))
        conn.execute("DELETE FROM statuses")
        conn.executemany("INSERT INTO statuses VALUES (?, ?, ?, ?)", rows)
        conn.commit()
        return len(rows)
    finally:
        conn.close()


def progress(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    db = ctx.kept("packets-assigned")
    if db is None:  # run alone: assign first, untimed
        db = ctx.copy_project(ctx.project(s.assign_documents), "packets.db")
        _process(annotator_command(db, "assign", *_analysts(s.assign_analysts), "--overlap",
                                   str(OVERLAP), "--seed", "1"))  # fmt: skip
    statuses = _returns(db)
    said: dict[str, dict[str, list[int]]] = {}

    def ours() -> None:
        data = json.loads(_process(annotator_command(db, "progress", "--json")))
        said["ours"] = {
            a["analyst"]: [a["assigned"], a["in_progress"], a["done"], a["skipped"]]
            for a in data["analysts"]
        }

    def plain() -> None:
        said["reference"] = json.loads(_process(reference_command("progress", str(db))))

    ctx.say(f"  progress of {s.assign_analysts} analysts × {s.assign_documents:,} documents")
    ours_t, plain_t, ratio = paired(ours, plain, runs=s.progress_runs, warmup=s.warmup)
    if said["ours"] != said["reference"]:
        raise RuntimeError("progress counted otherwise than the reference")
    return [
        Figure(
            row="packets-progress",
            name="packets-progress",
            what=f"`annotator progress --json` of {s.assign_analysts} analysts × "
            f"{s.assign_documents:,} documents (overlap {OVERLAP}, {statuses:,} statuses)",
            target=f"< {PROGRESS_LIMIT:g} s median",
            ours=ours_t,
            reference=plain_t,
            ratio=ratio,
            met=ours_t.median < PROGRESS_LIMIT,
            note="reference: one GROUP BY in plain sqlite3, its own process; the same counts",
        )
    ]
