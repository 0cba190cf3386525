"""The simplest code that does the same work as annotator, to time it against.

No checks beyond what the work needs, no history, no abstractions: plain ``sqlite3``,
``json`` and ``hashlib``. The import reference writes its own minimal schema (the same
columns, a unique text hash and the spans-by-document index a reader needs); the export
reference reads an annotator project and writes the same bytes annotator writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from datetime import datetime, timezone
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from benchmarks.generate import LABELS

_SCHEMA = """
CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, external_id TEXT, title TEXT NOT NULL, text TEXT NOT NULL,
    text_hash TEXT NOT NULL UNIQUE, meta TEXT NOT NULL, status TEXT NOT NULL, source TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE spans (
    id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents (id),
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, label_id INTEGER NOT NULL REFERENCES labels (id),
    text TEXT NOT NULL, annotator TEXT NOT NULL, note TEXT, origin TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX spans_document ON spans (document_id, start);
"""


def import_jsonl(db_path: Path, jsonl_path: Path, annotator: str = "bench") -> tuple[int, int]:
    """Import annotator JSONL tasks: one transaction, WAL, sha256 of each text.

    Returns (documents, spans) written.
    """
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    source = str(jsonl_path)
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(_SCHEMA)
        conn.executemany("INSERT INTO labels (name) VALUES (?)", [(n,) for n in LABELS])
        label_ids = dict(conn.execute("SELECT name, id FROM labels"))
        documents = spans = 0
        conn.execute("BEGIN")
        with open(jsonl_path, encoding="utf-8") as f:
            for line in f:
                task = json.loads(line)
                text = task["text"]
                cur = conn.execute(
                    "INSERT INTO documents (external_id, title, text, text_hash, meta, status,"
                    " source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'new', ?, ?, ?)",
                    (
                        task.get("id"),
                        task.get("title", ""),
                        text,
                        hashlib.sha256(text.encode("utf-8")).hexdigest(),
                        json.dumps(task.get("meta", {}), ensure_ascii=False),
                        source,
                        now,
                        now,
                    ),
                )
                doc_id = cur.lastrowid
                rows = [
                    (
                        doc_id,
                        s["start"],
                        s["end"],
                        label_ids[s["label"]],
                        text[s["start"] : s["end"]],
                        annotator,
                        "imported",
                        now,
                        now,
                    )
                    for s in task["spans"]
                ]
                conn.executemany(
                    'INSERT INTO spans (document_id, start, "end", label_id, text, annotator,'
                    " origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                documents += 1
                spans += len(rows)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return documents, spans


def _hash32(*parts: str) -> int:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "little", signed=True)


def export_jsonl(db_path: Path, fmt: str, destination: Path) -> tuple[int, int]:
    """Export an annotator project: one SELECT for documents, one for spans (read as a set,
    grouped by document), json.dumps a row, no fsync (annotator syncs its file once).

    Each span is checked against its text, as annotator does. Returns (documents, spans)
    written.
    """
    conn = sqlite3.connect(str(db_path))
    try:
        labels = dict(conn.execute("SELECT id, name FROM labels"))
        meta_keys: list[str] = []
        if fmt == "doccano":  # every line carries every meta key, in order of first use
            meta_keys = [
                key
                for (key,) in conn.execute(
                    "SELECT j.key FROM documents d, json_each(d.meta) j"
                    " GROUP BY j.key ORDER BY min(d.id), j.key"
                )
            ]
        docs = conn.execute(
            "SELECT id, external_id, title, text, meta, status, text_hash, source, created_at,"
            " updated_at, (SELECT json_group_object(annotator, status) FROM (SELECT annotator,"
            " status FROM statuses WHERE document_id = documents.id ORDER BY annotator))"
            " FROM documents ORDER BY id"
        )
        span_rows = conn.execute(
            'SELECT document_id, start, "end", label_id, text, annotator, note, origin,'
            " created_at, updated_at, id FROM spans WHERE origin != 'suggested'"
            ' ORDER BY document_id, start, "end", id'
        )
        # Each analyst's active time on each document: the gaps of 300 s or less between their
        # consecutive changes, each credited to the later change's document.
        lead: dict[int, dict[str, float]] = {}
        if fmt == "annotator":
            for doc_id, who, seconds in conn.execute(
                "SELECT document_id, annotator, round(sum(CASE WHEN gap <= 300.0005 THEN gap"
                " ELSE 0 END), 3) FROM (SELECT document_id, annotator, (day - lag(day) OVER"
                " (PARTITION BY annotator ORDER BY day, id)) * 86400.0 AS gap FROM (SELECT id,"
                " document_id, annotator, julianday(at) AS day FROM changes WHERE document_id"
                " IS NOT NULL AND julianday(at) IS NOT NULL)) GROUP BY document_id, annotator"
                " ORDER BY annotator"
            ):
                lead.setdefault(doc_id, {})[who] = float(seconds)
        # The spans read as a set, each document's taken in turn (no call per span).
        by_document = groupby(span_rows, key=itemgetter(0))
        pending = next(by_document, None)
        documents = spans = 0
        with open(destination, "w", encoding="utf-8", newline="\n") as out:
            for row in docs:
                doc_id, ext, title, text, meta, status, text_hash, source, created, updated = row[
                    :10
                ]
                statuses = json.loads(row[10])
                mine = []
                while pending is not None and pending[0] < doc_id:
                    pending = next(by_document, None)
                if pending is not None and pending[0] == doc_id:
                    mine = list(pending[1])
                    pending = next(by_document, None)
                for s in mine:
                    if text[s[1] : s[2]] != s[4]:
                        raise ValueError(f"document {doc_id}: span {s[1]}-{s[2]} does not match")
                meta = json.loads(meta)
                if fmt == "annotator":
                    record = {
                        "id": ext if ext is not None else str(doc_id),
                        "title": title,
                        "text": text,
                        "meta": meta,
                        "status": status,
                        "statuses": statuses,
                        "lead_time": round(sum(lead.get(doc_id, {}).values()), 3),
                        "lead_times": lead.get(doc_id, {}),
                        "spans": [
                            {
                                "id": s[10],
                                "start": s[1],
                                "end": s[2],
                                "label": labels[s[3]],
                                "text": s[4],
                                "annotator": s[5],
                                "note": s[6],
                                "origin": s[7],
                                "created_at": s[8],
                                "updated_at": s[9],
                            }
                            for s in mine
                        ],
                        "relations": [],  # the generated corpus has none
                        "text_hash": text_hash,
                        "source": source,
                        "created_at": created,
                        "updated_at": updated,
                    }
                elif fmt == "prodigy":
                    input_hash = _hash32(text)
                    triples = [(s[1], s[2], labels[s[3]]) for s in mine]
                    shown = {"id": ext if ext is not None else str(doc_id), "title": title}
                    if source:
                        shown["source"] = source
                    record = {
                        "text": text,
                        "meta": {**shown, **meta},
                        "spans": [
                            {"start": s[1], "end": s[2], "label": labels[s[3]], "text": s[4]}
                            for s in mine
                        ],
                        "_input_hash": input_hash,
                        "_task_hash": _hash32(str(input_hash), json.dumps(triples)),
                        "answer": "accept",
                    }
                else:
                    record = {
                        "id": ext if ext is not None else str(doc_id),
                        "text": text,
                        "label": [[s[1], s[2], labels[s[3]]] for s in mine],
                    }
                    for key in meta_keys:
                        value = meta.get(key)
                        name = f"meta_{key}" if key in ("id", "text", "label") else key
                        record[name] = "" if value is None else value
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                documents += 1
                spans += len(mine)
    finally:
        conn.close()
    return documents, spans


def _documents_with_spans(conn: sqlite3.Connection):
    """(id, title, text, [(start, end, label)]) in project order, two queries in step."""
    labels = dict(conn.execute("SELECT id, name FROM labels"))
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for doc, start, end, label in conn.execute(
        "SELECT document_id, start, \"end\", label_id FROM spans WHERE origin != 'suggested'"
        ' ORDER BY document_id, start, "end", id'
    ):
        spans.setdefault(doc, []).append((start, end, labels[label]))
    for doc, title, text in conn.execute("SELECT id, title, text FROM documents ORDER BY id"):
        yield doc, title, text, spans.get(doc, [])


def export_docbin(db_path: Path, destination: Path) -> tuple[int, int]:
    """The spaCy work alone: each text tokenized by ``spacy.blank("en")``, the spans that lie
    on token edges in ``doc.spans["sc"]``, the id and title in user data, one DocBin."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docs = DocBin(store_user_data=True)
    conn = sqlite3.connect(str(db_path))
    documents = written = 0
    try:
        for doc_id, title, text, spans in _documents_with_spans(conn):
            made = nlp.make_doc(text)
            group = [made.char_span(a, b, label=label) for a, b, label in spans]
            made.spans["sc"] = [g for g in group if g is not None]
            made.user_data["id"], made.user_data["title"] = str(doc_id), title
            docs.add(made)
            documents += 1
            written += len(made.spans["sc"])
    finally:
        conn.close()
    docs.to_disk(destination)
    return documents, written


def export_brat(db_path: Path, destination: Path) -> tuple[int, int]:
    """A folder of .txt and .ann pairs (T lines only), synced to disk once at the end."""
    destination.mkdir()
    conn = sqlite3.connect(str(db_path))
    documents = written = 0
    try:
        for doc_id, _title, text, spans in _documents_with_spans(conn):
            (destination / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")
            lines = [
                f"T{n}\t{label} {a} {b}\t{text[a:b]}\n" for n, (a, b, label) in enumerate(spans, 1)
            ]
            (destination / f"{doc_id}.ann").write_text("".join(lines), encoding="utf-8")
            documents += 1
            written += len(spans)
    finally:
        conn.close()
    os.sync()
    return documents, written


# -- a team's work, and a big project ---------------------------------------------------------

_TEAM_SCHEMA = """
CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, external_id TEXT, title TEXT NOT NULL, text_hash TEXT NOT NULL UNIQUE,
    meta TEXT NOT NULL, status TEXT NOT NULL, source TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE spans (
    id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents (id),
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, label_id INTEGER NOT NULL REFERENCES labels (id),
    text TEXT NOT NULL, annotator TEXT NOT NULL, note TEXT, origin TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX spans_document ON spans (document_id, start);
CREATE TABLE statuses (
    document_id INTEGER NOT NULL, annotator TEXT NOT NULL, status TEXT NOT NULL,
    updated_at TEXT NOT NULL, PRIMARY KEY (document_id, annotator)
) WITHOUT ROWID;
CREATE TABLE changes (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, annotator TEXT NOT NULL, action TEXT NOT NULL,
    document_id INTEGER, span_id INTEGER, details TEXT NOT NULL
);
"""


def _copy_source(conn: sqlite3.Connection, i: int) -> None:
    """One attached file's (``s{i}``) labels, documents, spans, statuses and history copied."""
    conn.execute(f"INSERT OR IGNORE INTO labels (name) SELECT name FROM s{i}.labels")
    conn.execute(
        "INSERT INTO documents (external_id, title, text_hash, meta, status, source,"
        " created_at, updated_at, text) SELECT external_id, title, text_hash, meta,"
        f" status, source, created_at, updated_at, text FROM s{i}.documents ORDER BY id"
        " ON CONFLICT (text_hash) DO NOTHING"
    )
    conn.execute(
        f"CREATE TEMP TABLE map{i} AS SELECT sd.id AS old, d.id AS new FROM"
        f" s{i}.documents sd JOIN documents d ON d.text_hash = sd.text_hash"
    )
    conn.execute(f"CREATE INDEX temp.map{i}_old ON map{i} (old)")
    conn.execute(
        'INSERT INTO spans (document_id, start, "end", label_id, text, annotator, note,'
        ' origin, created_at, updated_at) SELECT m.new, s.start, s."end", l.id, s.text,'
        " s.annotator, s.note, s.origin, s.created_at, s.updated_at"
        f" FROM s{i}.spans s JOIN map{i} m ON m.old = s.document_id"
        f" JOIN s{i}.labels sl ON sl.id = s.label_id JOIN labels l ON l.name = sl.name"
        " ORDER BY s.id"
    )
    conn.execute(
        "INSERT OR REPLACE INTO statuses SELECT m.new, s.annotator, s.status,"
        f" s.updated_at FROM s{i}.statuses s JOIN map{i} m ON m.old = s.document_id"
    )
    conn.execute(
        "INSERT INTO changes (at, annotator, action, document_id, details)"
        f" SELECT c.at, c.annotator, c.action, m.new, c.details FROM s{i}.changes c"
        f" LEFT JOIN map{i} m ON m.old = c.document_id ORDER BY c.id"
    )


def merge_plain(team_path: Path, sources: list[Path]) -> tuple[int, int]:
    """Several analysts' projects copied into one, documents matched by text hash and labels
    by name, in one transaction: every document, span, status and history entry, with SQL
    alone (no check that two files' analysts differ, no record of where work came from)."""
    return merge_in_turns(team_path, sources, at_once=max(1, len(sources)))


def merge_in_turns(team_path: Path, sources: list[Path], at_once: int = 8) -> tuple[int, int]:
    """The plain merge of :func:`merge_plain`, ``at_once`` files at a time (SQLite attaches
    only so many): attached, copied in one transaction and detached, then the next ones."""
    conn = sqlite3.connect(str(team_path), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(_TEAM_SCHEMA)
        for first in range(0, len(sources), at_once):
            turn = sources[first : first + at_once]
            conn.execute("BEGIN")
            for i, source in enumerate(turn):
                conn.execute(f"ATTACH DATABASE ? AS s{i}", (str(source),))
                _copy_source(conn, i)
            conn.execute("COMMIT")
            for i in range(len(turn)):
                conn.execute(f"DETACH DATABASE s{i}")
                conn.execute(f"DROP TABLE temp.map{i}")
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
    finally:
        conn.close()
    return documents, spans


def curate_plain(db_path: Path, curator: str = "bench") -> tuple[int, int]:
    """The spans every analyst who marked a document done made alike, on the documents two or
    more marked done, put in as curated spans by one INSERT ... SELECT; the documents settled."""
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TEMP TABLE settled (document_id INTEGER PRIMARY KEY, analysts)")
        conn.execute(
            "INSERT INTO settled SELECT document_id, count(*) FROM statuses"
            " WHERE status = 'done' GROUP BY document_id HAVING count(*) >= 2"
        )
        spans = conn.execute(
            'INSERT INTO spans (document_id, start, "end", label_id, text, annotator, origin,'
            ' created_at, updated_at) SELECT a.document_id, a.start, a."end", a.label_id,'
            " a.text, ?, 'curated', ?, ? FROM (SELECT s.document_id, s.start, s.\"end\","
            " s.label_id, min(s.text) AS text, count(DISTINCT s.annotator) AS made FROM spans s"
            " CROSS JOIN statuses d ON d.document_id = s.document_id AND d.annotator = s.annotator"
            " AND d.status = 'done' WHERE s.origin IN ('manual', 'imported')"
            ' GROUP BY s.document_id, s.start, s."end", s.label_id) a'
            " JOIN temp.settled t ON t.document_id = a.document_id WHERE a.made = t.analysts"
            ' ORDER BY a.document_id, a.start, a."end"',
            (curator, now, now),
        ).rowcount
        documents = conn.execute(
            "INSERT INTO curations (document_id, curator, curated_at) SELECT document_id, ?, ?"
            " FROM temp.settled WHERE true ON CONFLICT (document_id) DO NOTHING",
            (curator, now),
        ).rowcount
        conn.execute("COMMIT")
    finally:
        conn.close()
    return documents, spans


def agreement_plain(db_path: Path) -> tuple[int, int]:
    """Each pair of analysts' exact matches per label over the documents both marked done:
    the layers read with one query and counted with ``Counter``. Prints them as JSON."""
    from collections import Counter
    from itertools import combinations

    conn = sqlite3.connect(str(db_path))
    try:
        done: dict[str, set[int]] = {}
        for who, doc in conn.execute(
            "SELECT annotator, document_id FROM statuses WHERE status = 'done'"
        ):
            done.setdefault(who, set()).add(doc)
        layers: dict[str, list[tuple[int, int, int, int]]] = {}
        for who, doc, start, end, label in conn.execute(
            'SELECT annotator, document_id, start, "end", label_id FROM spans'
            " WHERE origin IN ('manual', 'imported')"
        ):
            layers.setdefault(who, []).append((doc, start, end, label))
    finally:
        conn.close()
    out = []
    for a, b in combinations(sorted(layers), 2):
        both = done.get(a, set()) & done.get(b, set())
        mine = Counter(s for s in layers[a] if s[0] in both)
        theirs = Counter(s for s in layers[b] if s[0] in both)
        out.append({"a": a, "b": b, "documents": len(both), "exact": sum((mine & theirs).values())})
    print(json.dumps(out))
    return len(out), sum(p["exact"] for p in out)


def stats_plain(db_path: Path) -> tuple[int, int]:
    """Documents by status, spans by label and by analyst, and each analyst's statuses: the
    counts ``stats`` starts with, one GROUP BY each. Prints them as JSON."""
    conn = sqlite3.connect(str(db_path))
    try:
        by_status = dict(conn.execute("SELECT status, count(*) FROM documents GROUP BY status"))
        by_label = dict(
            conn.execute(
                "SELECT l.name, count(*) FROM spans s JOIN labels l ON l.id = s.label_id"
                " WHERE s.origin != 'suggested' GROUP BY l.name"
            )
        )
        by_annotator = dict(
            conn.execute(
                "SELECT annotator, count(*) FROM spans WHERE origin != 'suggested'"
                " GROUP BY annotator"
            )
        )
        statuses = [
            list(r)
            for r in conn.execute(
                "SELECT annotator, status, count(*) FROM statuses GROUP BY annotator, status"
            )
        ]
    finally:
        conn.close()
    print(
        json.dumps(
            {
                "documents_by_status": by_status,
                "spans_by_label": by_label,
                "spans_by_annotator": by_annotator,
                "statuses": statuses,
            }
        )
    )
    return sum(by_status.values()), sum(by_label.values())


def documents_plain(db_path: Path, status: str, annotator: str = "bench") -> tuple[int, int]:
    """The lines ``annotator documents --status S`` prints, each written as it is read."""
    import sys

    conn = sqlite3.connect(str(db_path))
    count = 0
    try:
        rows = conn.execute(
            "SELECT d.id, d.title, d.span_count, d.external_id FROM documents d JOIN statuses s"
            " ON s.document_id = d.id AND s.annotator = ? AND s.status = ? ORDER BY d.id",
            (annotator, status),
        )
        write = sys.stdout.write
        for doc, title, spans, external in rows:
            ident = external if external is not None else str(doc)
            write(f"{doc:>6}  {status:<11} {spans:>5}  {title}  [{ident}]\n")
            count += 1
    finally:
        conn.close()
    sys.stdout.flush()
    return count, 0


def assign_round_robin(db_path: Path, analysts: int, overlap: int) -> tuple[int, int]:
    """Give each document of an annotator project to ``overlap`` analysts in turn (no
    balancing by length, no seed, no record of the run), as rows of a table of its own.

    Returns (documents, assignments) written.
    """
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    try:
        documents = conn.execute("SELECT id, length(text) FROM documents ORDER BY id").fetchall()
        rows = [
            (doc, f"analyst-{(i * overlap + j) % analysts:02}")
            for i, (doc, _) in enumerate(documents)
            for j in range(overlap)
        ]
        conn.execute("BEGIN")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS reference_assignments (document_id INTEGER NOT NULL,"
            " analyst TEXT NOT NULL, PRIMARY KEY (document_id, analyst)) WITHOUT ROWID"
        )
        conn.execute("DELETE FROM reference_assignments")
        conn.executemany("INSERT INTO reference_assignments VALUES (?, ?)", rows)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return len(documents), len(rows)


def progress_counts(db_path: Path) -> dict[str, list[int]]:
    """Each analyst's assigned documents, and those in progress, done and skipped by their own
    status: one GROUP BY over an annotator project's assignments."""
    conn = sqlite3.connect(str(db_path))
    try:
        return {
            who: [assigned, begun or 0, done or 0, skipped or 0]
            for who, assigned, begun, done, skipped in conn.execute(
                "SELECT a.analyst, count(*), sum(s.status = 'in_progress'),"
                " sum(s.status = 'done'), sum(s.status = 'skipped') FROM assignments a"
                " LEFT JOIN statuses s ON s.document_id = a.document_id"
                " AND s.annotator = a.analyst GROUP BY a.analyst ORDER BY a.analyst"
            )
        }
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> None:
    """The reference as a process of its own, timed the way the user runs annotator:

        python -m benchmarks.reference import DB FILE
        python -m benchmarks.reference export DB FORMAT OUT
        python -m benchmarks.reference docbin DB OUT
        python -m benchmarks.reference brat DB FOLDER
        python -m benchmarks.reference merge TEAM SOURCE...
        python -m benchmarks.reference merge-in-turns TEAM SOURCE...
        python -m benchmarks.reference curate DB
        python -m benchmarks.reference agreement DB
        python -m benchmarks.reference stats DB
        python -m benchmarks.reference documents DB STATUS
        python -m benchmarks.reference assign DB ANALYSTS OVERLAP
        python -m benchmarks.reference progress DB

    Prints the (documents, spans) it wrote; assign the (documents, assignments), progress
    each analyst's counts as JSON.
    """
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args[0] == "import":
        counts = import_jsonl(Path(args[1]), Path(args[2]))
    elif args[0] == "export":
        counts = export_jsonl(Path(args[1]), args[2], Path(args[3]))
    elif args[0] == "docbin":
        counts = export_docbin(Path(args[1]), Path(args[2]))
    elif args[0] == "brat":
        counts = export_brat(Path(args[1]), Path(args[2]))
    elif args[0] == "merge":
        counts = merge_plain(Path(args[1]), [Path(a) for a in args[2:]])
    elif args[0] == "merge-in-turns":
        counts = merge_in_turns(Path(args[1]), [Path(a) for a in args[2:]])
    elif args[0] == "curate":
        counts = curate_plain(Path(args[1]))
    elif args[0] == "agreement":
        counts = agreement_plain(Path(args[1]))
    elif args[0] == "stats":
        counts = stats_plain(Path(args[1]))
    elif args[0] == "assign":
        counts = assign_round_robin(Path(args[1]), int(args[2]), int(args[3]))
    elif args[0] == "documents":
        documents_plain(Path(args[1]), args[2])
        return
    elif args[0] == "progress":
        print(json.dumps(progress_counts(Path(args[1]))))
        return
    else:
        raise SystemExit(f"unknown work {args[0]!r}")
    print(*counts)


if __name__ == "__main__":
    main()
