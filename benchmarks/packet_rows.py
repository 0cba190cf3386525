"""Rows for work packets: `annotator assign` giving a big project's documents to many analysts
with an overlap, and `annotator progress` counting their work, each a whole process beside a
plain-``sqlite3`` reference as a process of its own; and `annotator merge` bringing every
analyst's returned packet back at once.

The project is the generated articles imported (the one import-100k builds, at full size),
copied once; between runs the assignment is taken out again, untimed.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

from benchmarks.context import Context
from benchmarks.core_rows import _process, annotator_command, reference_command
from benchmarks.measure import Figure, paired

ASSIGN_LIMIT = 30.0  # seconds, whole process
PROGRESS_LIMIT = 1.0
MERGE_LIMIT = 60.0  # seconds, one whole process merging every packet
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


def _work_in_packet(path: Path, seed: int) -> tuple[int, int]:
    """An analyst's work in their packet, as their window writes it: one to three spans on
    nine documents in ten, each with its history entry, and eight in ten of them marked done
    (an entry each); the spans and the documents done."""
    from annotator.store.statuses import write_statuses

    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        about = json.loads(
            conn.execute("SELECT value FROM project WHERE key = 'packet'").fetchone()[0]
        )
        who = about["analyst"]
        labels = dict(conn.execute("SELECT name, id FROM labels WHERE name IN ('claim', 'quote')"))
        documents = conn.execute("SELECT id, text FROM documents ORDER BY id").fetchall()
        conn.execute("BEGIN")
        spans = done = 0
        statuses = []
        for n, (doc, text) in enumerate(documents):
            if rng.random() < 0.1:
                continue  # not begun
            at = f"2026-01-0{1 + n % 9}T{n % 24:02}:{n % 60:02}:00.000Z"
            for _ in range(rng.randint(1, 3)):
                start = rng.randrange(0, max(1, len(text) - 60))
                end = min(len(text), start + rng.randint(5, 60))
                label = rng.choice(sorted(labels))
                span = conn.execute(
                    'INSERT INTO spans (document_id, start, "end", label_id, text, annotator,'
                    " origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'manual', ?, ?)",
                    (doc, start, end, labels[label], text[start:end], who, at, at),
                ).lastrowid
                conn.execute(
                    "INSERT INTO changes (at, annotator, action, document_id, span_id, details)"
                    " VALUES (?, ?, 'add_span', ?, ?, ?)",
                    (at, who, doc, span,
                     json.dumps({"start": start, "end": end, "label": label})),
                )  # fmt: skip
                conn.execute(
                    "UPDATE documents SET span_count = span_count + 1 WHERE id = ?", (doc,)
                )
                spans += 1
            status = "done" if rng.random() < 0.9 else "in_progress"
            statuses.append((doc, who, status, at))
            conn.execute(
                "INSERT INTO changes (at, annotator, action, document_id, details)"
                " VALUES (?, ?, 'set_status', ?, ?)",
                (at, who, doc, json.dumps({"before": None, "after": status})),
            )
            done += status == "done"
        write_statuses(conn, statuses)
        conn.execute("COMMIT")
        return spans, done
    finally:
        conn.close()


def _merged(lead: Path) -> tuple[int, int, int]:
    """The spans, done statuses and packets merged back in the lead's project."""
    conn = sqlite3.connect(lead)
    try:
        return (
            conn.execute("SELECT count(*) FROM spans").fetchone()[0],
            conn.execute("SELECT count(*) FROM statuses WHERE status = 'done'").fetchone()[0],
            conn.execute(
                "SELECT count(*) FROM merges WHERE source_project IN (SELECT id FROM packets)"
            ).fetchone()[0],
        )
    finally:
        conn.close()


def _restore(copy: Path, lead: Path) -> None:
    """The lead's project as it was before the packets came back."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{lead}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(copy, lead)


def merge(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    names = _analysts(s.assign_analysts)
    lead = ctx.copy_project(ctx.project(s.assign_documents), "packets-merge.db")
    folder = ctx.work / "packets-merge"
    shutil.rmtree(folder, ignore_errors=True)
    ctx.say(
        f"  writing {s.assign_analysts} packets of {s.assign_documents:,} documents "
        f"(overlap {OVERLAP}) and the work in each"
    )
    _process(annotator_command(lead, "assign", *names, "--overlap", str(OVERLAP), "--seed", "1",
                               "--packets", str(folder)))  # fmt: skip
    packets = sorted(folder.glob("*.db"))
    if len(packets) != s.assign_analysts:
        raise RuntimeError(f"assign wrote {len(packets)} packets for {s.assign_analysts}")
    spans = done = 0
    for i, packet in enumerate(packets):
        made, finished = _work_in_packet(packet, seed=i)
        spans, done = spans + made, done + finished
    returned = spans
    spans += _merged(lead)[0]  # the lead's own (imported) spans stay
    pristine = ctx.copy_project(lead, "packets-merge-before.db")
    plain_team = ctx.work / "packets-merge-reference.db"
    sources = [str(p) for p in packets]
    command = annotator_command(lead, "merge", *sources, "--into", str(lead), "--json")
    expected = (spans, done, len(packets))

    def ours() -> None:
        _process(command)
        if _merged(lead) != expected:
            raise RuntimeError(f"merged {_merged(lead)}, not {expected}")

    def plain() -> None:
        _process(reference_command("merge-in-turns", str(plain_team), *sources))

    def prepare(side: str) -> None:
        if side == "ours":
            _restore(pristine, lead)
        else:
            ctx.fresh_path(plain_team.name)

    ctx.say(f"  merging the {len(packets)} packets back, {s.packet_merge_runs} times each side")
    ours_t, plain_t, ratio = paired(ours, plain, runs=s.packet_merge_runs, warmup=0,
                                    prepare=prepare)  # fmt: skip
    per = s.assign_documents * OVERLAP // s.assign_analysts
    return [
        Figure(
            row="packets-merge",
            name="packets-merge",
            what=f"`annotator merge` of {len(packets)} returned packets of {per:,} documents each "
            f"({returned:,} spans, {done:,} documents done, with their history) into the lead's "
            "project, a whole process",
            target=f"< {MERGE_LIMIT:g} s",
            ours=ours_t,
            reference=plain_t,
            ratio=ratio,
            met=ours_t.median < MERGE_LIMIT,
            note="reference: documents, spans, statuses and history copied with INSERT ... "
            "SELECT, eight files attached at a time, into a plain team project of its own; "
            "every span and done status checked in the lead's project",
            extra={"spans": returned, "done": done, "packets": len(packets)},
        )
    ]
