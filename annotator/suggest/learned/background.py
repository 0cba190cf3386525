"""Training and proposing for the window, in a process of its own.

A training is some seconds of Python and NumPy that hold the interpreter's lock for tens of
milliseconds at a time; in a thread of the window's process, the window would stall that long
again and again. So the window starts this module as a worker process and reads what it says,
one JSON object a line on its standard output:

    python -m annotator.suggest.learned.background train PROJECT ANALYST
        {"progress": [done, steps]}       as the training goes
        {"trained": {...}}                done: the model's record, parameters and all
        {"refused": "sentence"}           it cannot be done (too few examples ...); exit 2

    python -m annotator.suggest.learned.background propose PROJECT ANALYST MODEL_ID
        {"documents": n}                  the documents not done it proposes on
        {"document": id, "spans": [[start, end, label, score], ...], "uncertainty": u}

    python -m annotator.suggest.learned.background checkpoint PROJECT
        {"checkpointed": pages}           the project's write-ahead log copied into it

and, from either, ``{"unreadable": "sentence"}`` (the project could not be read; exit 2) or
``{"error": "Kind: message", "traceback": "..."}`` (anything unforeseen; exit 1).

The worker reads the project through a connection of its own and writes nothing to it: the
window stores the model (:func:`store_trained`, one short transaction) and the suggestions,
so every write takes the window's one road. Stopping a worker is killing it; nothing is lost.

While the window stores all that, the write-ahead log is not copied into the project by the
window's own commits (:func:`hold_checkpoints`): that copy, now and then, takes a tenth of a
second. A ``checkpoint`` worker copies it afterwards, beside the window, which goes on
writing meanwhile.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.model import Refused

if TYPE_CHECKING:
    from annotator.store.project import Store

NICENESS = 10  # how much lower the worker's priority is than the window's
AUTOCHECKPOINT = 1000  # pages: SQLite's default
CHUNK = 200  # documents proposed on at once (on every core from batch.PARALLEL_FROM up)
MODULE = "annotator.suggest.learned.background"
RECORD_KEYS = (
    "parameters", "library", "library_version", "layer", "labels", "documents", "figures",
)  # fmt: skip


def command(*args: str) -> tuple[str, list[str], dict[str, str]]:
    """The program, arguments and environment that run this module as a worker."""
    from annotator.suggest.learned.workers import worker_environment

    return sys.executable, ["-m", MODULE, *args], worker_environment()


def store_trained(store: Store, record: Any) -> int:
    """Store the model a worker trained (its ``trained`` line) in one short transaction,
    without waiting for the disk (see :func:`unsynced`); its id. Raises ValueError when the
    record is not what a worker writes."""
    if not isinstance(record, dict) or set(record) != set(RECORD_KEYS):
        raise ValueError("what the training worker wrote is not a trained model's record")
    with unsynced(store):
        return store.models.add(**record)


@contextlib.contextmanager
def unsynced(store: Store) -> Iterator[None]:
    """The window's writes of what a worker made (the model, the suggestions it proposed) do
    not wait for the disk: committed whole, in the log, without the sync that can take a
    tenth of a second on a busy disk. A power cut may take the latest of them back, never
    half of one; the next change an analyst makes is synced with them. (SQLite's
    ``synchronous = NORMAL`` in WAL mode: the file is never damaged.)"""
    before = store.conn.execute("PRAGMA synchronous").fetchone()[0]
    store.conn.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        store.conn.execute(f"PRAGMA synchronous = {int(before)}")


def hold_checkpoints(store: Store) -> None:
    """The window's commits leave the write-ahead log for a worker to copy into the project
    (a ``checkpoint``) instead of copying it themselves when it has grown."""
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")


def release_checkpoints(store: Store) -> None:
    """Back to SQLite's own way: a commit that finds the log grown copies it."""
    store.conn.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT}")


# -- the worker ---------------------------------------------------------------------------------


def _say(**line: Any) -> None:
    """One line of JSON: written whole, so a worker killed halfway leaves no line to be read."""
    sys.stdout.write(json.dumps(line, ensure_ascii=False, allow_nan=False) + "\n")
    sys.stdout.flush()


def train(project: str, analyst: str) -> int:
    from annotator.suggest.learned import training  # scikit-learn's side: the worker's alone

    trained = training.learn_file(
        project, analyst, progress=lambda done, steps, _what: _say(progress=[done, steps])
    )
    _say(trained=trained.record())
    return 0


def propose(project: str, analyst: str, model_id: int) -> int:
    from annotator.collector import collector_paused
    from annotator.store.project import Store
    from annotator.suggest.learned.batch import proposals
    from annotator.suggest.learned.model import DEFAULT_MIN_SCORE, loads
    from annotator.suggest.running import documents_to_suggest

    with collector_paused(), Store(project, analyst, create=False) as store:
        record = store.models.get(model_id)
        if record is None or record.parameters is None:
            _say(unreadable=f"the learned model #{model_id} is no longer in the project")
            return 2
        model = loads(record.parameters, f"the learned model #{model_id}")
        documents = documents_to_suggest(store)
        _say(documents=len(documents))
        for first in range(0, len(documents), CHUNK):
            chunk = documents[first : first + CHUNK]
            texts = [store.documents.text(doc) for doc in chunk]
            for doc, (found, unsure) in zip(
                chunk, proposals(model, texts, DEFAULT_MIN_SCORE), strict=True
            ):
                spans = [[s.start, s.end, s.label, s.score] for s in found]
                _say(document=doc, spans=spans, uncertainty=unsure)
    return 0


def _yield_to_the_window() -> None:
    """Run at a lower priority than the window, so that on a busy machine the window's
    thread is given the processor first."""
    with contextlib.suppress(AttributeError, OSError):  # no nice() (Windows), or not allowed
        os.nice(NICENESS)


def checkpoint(project: str) -> int:
    """Copy the write-ahead log into the project without keeping anyone waiting (PASSIVE:
    what a writer is appending meanwhile stays in the log for the next time)."""
    conn = sqlite3.connect(Path(project).resolve().as_uri() + "?mode=rw", uri=True, timeout=30)
    try:
        _busy, _log, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        conn.close()
    _say(checkpointed=copied)
    return 0


def main(argv: list[str]) -> int:
    from annotator.store.project import ProjectError

    _yield_to_the_window()
    try:
        if argv[:1] == ["train"] and len(argv) == 3:
            return train(argv[1], argv[2])
        if argv[:1] == ["propose"] and len(argv) == 4:
            return propose(argv[1], argv[2], int(argv[3]))
        if argv[:1] == ["checkpoint"] and len(argv) == 2:
            return checkpoint(argv[1])
        print(__doc__, file=sys.stderr)
        return 64
    except Refused as e:
        _say(refused=str(e))
        return 2
    except (ProjectError, sqlite3.Error) as e:
        _say(unreadable=str(e))
        return 2
    except Exception as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        _say(error=f"{type(e).__name__}: {first}".rstrip(": "), traceback=traceback.format_exc())
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
