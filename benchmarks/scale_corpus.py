"""Projects at the size real datasets are made at, built once and cached.

- a team: three analysts' projects over the same articles (~3,000 characters, ~8 spans
  each), each analyst's spans a little different from the others' (a span left out, an end
  moved by a word, another label, one more span), most documents marked done, and the
  history a window writes (an entry for every span added and every status set);
- an archive: one project of a million briefs (~600 characters, two imported spans each),
  a third of them done, some in progress.

Each is written with plain ``sqlite3`` into a project file that annotator itself created (so
the schema, labels and settings are annotator's own), in one transaction, then cached under
a name that holds the sizes, the seed, this module's version and the schema's last step: a
project built for an older schema is never measured with a newer annotator.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from benchmarks import generate

CORPUS_VERSION = 1
ANALYSTS = ("ana", "bo", "cy")
ARCHIVIST = "bench"
_START = datetime(2025, 3, 3, 8, 0, tzinfo=timezone.utc)
_SENTENCE = re.compile(r"[A-Z“][^.!?\n]{20,}[.!?]")

Work = tuple[dict[str, Any], list[tuple[int, int, str]], str]  # (article, spans, status)


def schema_tag() -> str:
    """The schema's last step and a digest of all the steps' SQL, so that a cached project is
    built again whenever the schema changes."""
    from annotator.store.migrations import STEPS

    digest = hashlib.sha256(repr(STEPS).encode("utf-8")).hexdigest()[:8]
    return f"{STEPS[-1][0].split('_', 1)[0]}-{digest}"


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- the team ---------------------------------------------------------------------------------


def team_articles(n: int, seed: int = generate.SEED) -> list[dict[str, Any]]:
    """``n`` articles of ~3,000 characters, each with its five spans and three more claims."""
    rng = random.Random(seed + 11)
    out = []
    for article in generate.articles(n, seed=seed + 10, size=3000):
        text = article["text"]
        sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
        extra = rng.sample(sentences, min(3, len(sentences)))
        article["spans"] += [
            {"start": a, "end": b, "label": "claim", "text": text[a:b]} for a, b in extra
        ]
        article["sentences"] = sentences
        out.append(article)
    return out


def analyst_work(articles: list[dict[str, Any]], who: str, seed: int) -> Iterator[Work]:
    """One analyst's spans and status on each article: the article's spans, each left out,
    shortened by a word or given another label now and then, and sometimes one more."""
    rng = random.Random(f"{seed}-{who}")
    for article in articles:
        text = article["text"]
        spans = []
        for s in article["spans"]:
            start, end, label = s["start"], s["end"], s["label"]
            r = rng.random()
            if r < 0.05:
                continue
            if r < 0.10:
                cut = text.rfind(" ", start + 1, end - 1)
                end = cut if cut > start else end
            elif r < 0.14:
                label = rng.choice([x for x in generate.LABELS if x != label])
            spans.append((start, end, label))
        if rng.random() < 0.1:
            a, b = rng.choice(article["sentences"])
            spans.append((a, b, "claim"))
        r = rng.random()
        status = "done" if r < 0.9 else "in_progress" if r < 0.96 else "new"
        yield article, sorted(set(spans)), status


def team_projects(cache: Path, n: int, seed: int = generate.SEED) -> list[Path]:
    """The three analysts' project files over ``n`` articles, built once into ``cache``."""
    folder = cache / f"team-{n}-seed{seed}-v{CORPUS_VERSION}-schema{schema_tag()}"
    paths = [folder / f"{who}.db" for who in ANALYSTS]
    if all(p.exists() for p in paths):
        return paths
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    articles = team_articles(n, seed)
    for i, who in enumerate(ANALYSTS):
        build_project(
            partial / f"{who}.db",
            who,
            analyst_work(articles, who, seed),
            origin="manual",
            started=_START + timedelta(hours=i),
            history=True,
        )
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return paths


# -- the archive ------------------------------------------------------------------------------


def archive_work(n: int, seed: int = generate.SEED) -> Iterator[Work]:
    rng = random.Random(seed + 5)
    for article in generate.short_articles(n, seed=seed):
        spans = [(s["start"], s["end"], s["label"]) for s in article["spans"]]
        r = rng.random()
        status = "done" if r < 0.3 else "in_progress" if r < 0.4 else "new"
        yield article, spans, status


def archive_project(cache: Path, n: int, seed: int = generate.SEED) -> Path:
    """One analyst's project of ``n`` briefs with their imported spans, built once."""
    path = cache / f"archive-{n}-seed{seed}-v{CORPUS_VERSION}-schema{schema_tag()}.db"
    if path.exists():
        return path
    partial = path.with_name(path.name + ".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    build_project(
        partial, ARCHIVIST, archive_work(n, seed), origin="imported", started=_START, history=False
    )
    partial.rename(path)
    return path


# -- writing a project ------------------------------------------------------------------------


def build_project(
    path: Path,
    who: str,
    work: Iterable[Work],
    *,
    origin: str,
    started: datetime,
    history: bool,
) -> None:
    """Write ``work`` into a new project at ``path`` made by annotator, in one transaction.

    With ``history``, every span and status has the entry a window writes for it, a minute
    or so apart, as an analyst tagging article after article; without, the statuses came
    with the file, as an import brings them, and the history has the import alone.
    """
    from annotator.store.project import Store

    Store(path, who).close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")
        labels = dict(conn.execute("SELECT name, id FROM labels"))
        rng = random.Random(f"{path.name}-times")
        clock = started
        conn.execute("BEGIN")
        imported = _stamp(clock)
        conn.execute(
            "INSERT INTO changes (at, annotator, action, details) VALUES (?, ?, 'import', ?)",
            (imported, who, json.dumps({"source": "articles.jsonl"})),
        )
        documents: list[tuple[Any, ...]] = []
        spans: list[tuple[Any, ...]] = []
        statuses: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        span_id = 0
        for doc_id, (article, mine, status) in enumerate(work, start=1):
            text = article["text"]
            documents.append(
                (
                    doc_id,
                    article["id"],
                    article["title"],
                    status,
                    len(mine),
                    hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    json.dumps(article["meta"], ensure_ascii=False),
                    "articles.jsonl",
                    imported,
                    imported,
                    text,
                )
            )
            for start, end, label in mine:
                span_id += 1
                at = imported
                if history:
                    clock += timedelta(seconds=rng.uniform(8, 60))
                    at = _stamp(clock)
                    details = {"start": start, "end": end, "label": label}
                    changes.append((at, who, "add_span", doc_id, span_id, json.dumps(details)))
                spans.append(
                    (span_id, doc_id, start, end, labels[label], text[start:end], who, origin, at)
                )
            if status != "new":
                at = imported
                if history:
                    clock += timedelta(seconds=rng.uniform(5, 40))
                    at = _stamp(clock)
                    details = {"before": "in_progress" if mine else "new", "after": status}
                    changes.append((at, who, "set_status", doc_id, None, json.dumps(details)))
                statuses.append((doc_id, who, status, at))
            if history:
                clock += timedelta(seconds=rng.uniform(30, 900 if rng.random() < 0.9 else 40000))
            if len(documents) >= 5000:
                _flush(conn, documents, spans, statuses, changes)
        _flush(conn, documents, spans, statuses, changes)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _flush(
    conn: sqlite3.Connection,
    documents: list[tuple[Any, ...]],
    spans: list[tuple[Any, ...]],
    statuses: list[tuple[Any, ...]],
    changes: list[tuple[Any, ...]],
) -> None:
    conn.executemany(
        "INSERT INTO documents (id, external_id, title, status, span_count, text_hash, meta,"
        " source, created_at, updated_at, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        documents,
    )
    conn.executemany(
        'INSERT INTO spans (id, document_id, start, "end", label_id, text, annotator, origin,'
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?9)",
        spans,
    )
    conn.executemany(
        "INSERT INTO statuses (document_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)",
        statuses,
    )
    conn.executemany(
        "INSERT INTO changes (at, annotator, action, document_id, span_id, details)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        changes,
    )
    for rows in (documents, spans, statuses, changes):
        rows.clear()
