"""Proposing over many documents at once, on every core of the machine.

Reading a document's candidates and scoring them is pure Python, some milliseconds a
document; over ten thousand documents that is a minute on one core. So when there are many
documents and more than one core, the documents are cut into runs: the calling process
proposes in a short first one (it stores everything, too), and each other run goes to a
worker, one for each core, a Python process of its own (``python -m annotator.suggest.learned.worker``) that
reads the model and the run's texts from files as JSON and writes what it proposes as JSON.
Nothing passes between the processes but JSON, and the workers run no code of the caller's
(a script with no ``if __name__ == "__main__"`` guard is not run again in them).

Where a worker cannot start (a frozen application, a sandbox), fails, or writes less than it
was asked for, its run is proposed in the calling process: the result is the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from annotator.suggest.builtin.suggestion import Suggestion
from annotator.suggest.learned.keeping import Read
from annotator.suggest.learned.model import LearnedModel
from annotator.suggest.learned.workers import worker_environment

PARALLEL_FROM = 300  # documents: fewer are proposed in the calling process alone
MAX_WORKERS = 8
OWN_SHARE = 0.8  # the calling process also stores: it takes this much of an equal run


def workers(documents: int) -> int:
    """How many worker processes to use for ``documents`` (0: none)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if documents < PARALLEL_FROM or (cores or 1) < 2:
        return 0
    return min(cores or 1, MAX_WORKERS)


def runs(count: int, workers: int) -> list[tuple[int, int]]:
    """Where each run of ``count`` documents starts and ends: the first, the caller's,
    somewhat shorter than the others."""
    if workers == 0:
        return [(0, count)]
    first = int(count / (workers + 1) * OWN_SHARE)
    rest = count - first
    edges = [first + rest * k // workers for k in range(workers + 1)]
    return [(0, first), *zip(edges, edges[1:], strict=False)]


def proposals(model: LearnedModel, texts: Sequence[str], floor: float) -> Iterator[Read]:
    """What ``model`` proposes in each of ``texts`` (see :meth:`LearnedModel.read`), in
    order."""
    cut = runs(len(texts), workers(len(texts)))
    if len(cut) == 1:
        for text in texts:
            yield model.read(text, floor)
        return
    with tempfile.TemporaryDirectory(prefix="annotator-learned-") as folder:
        started = _start(Path(folder), model, texts, cut[1:], floor)
        try:
            start, end = cut[0]
            for text in texts[start:end]:
                yield model.read(text, floor)
            for (start, end), worker in zip(cut[1:], started, strict=True):
                found = _collect(worker, end - start)
                if found is None:  # the worker failed: this process proposes instead
                    found = [model.read(text, floor) for text in texts[start:end]]
                yield from found
        finally:
            for worker in started:
                if worker[0] is not None and worker[0].poll() is None:
                    worker[0].kill()
                    worker[0].wait()


_Worker = tuple["subprocess.Popen[bytes] | None", Path]


def _start(
    folder: Path,
    model: LearnedModel,
    texts: Sequence[str],
    cut: list[tuple[int, int]],
    floor: float,
) -> list[_Worker]:
    """A worker for each run, started on files of its texts; (None, path) where one cannot
    start."""
    parameters = folder / "model.json"
    parameters.write_text(model.dumps(), encoding="utf-8")
    env = worker_environment()  # the same code as this process's
    started: list[_Worker] = []
    for k, (start, end) in enumerate(cut):
        given, out = folder / f"texts-{k}.jsonl", folder / f"proposed-{k}.jsonl"
        with open(given, "w", encoding="utf-8") as f:
            for text in texts[start:end]:
                f.write(json.dumps(text, ensure_ascii=False) + "\n")
        args = [sys.executable, "-m", "annotator.suggest.learned.worker"]
        args += [str(parameters), str(given), str(out), repr(floor)]
        try:
            process = subprocess.Popen(
                args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
        except OSError:
            process = None
        started.append((process, out))
    return started


def _collect(worker: _Worker, count: int) -> list[Read] | None:
    """What a worker proposed, once it has ended; None unless it ended well and wrote one
    line for each of its ``count`` texts."""
    process, out = worker
    if process is None or process.wait() != 0:
        return None
    try:
        lines = out.read_text(encoding="utf-8").splitlines()
        found = [_read(json.loads(line)) for line in lines]
    except (OSError, ValueError, TypeError):
        return None
    return found if len(found) == count else None


def _read(line: dict[str, object]) -> Read:
    spans = line["spans"]
    uncertainty = line["uncertainty"]
    if not isinstance(spans, list) or not isinstance(uncertainty, float):
        raise ValueError("not a worker's line")
    return [Suggestion(*span) for span in spans], uncertainty
