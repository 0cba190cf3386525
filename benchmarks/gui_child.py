"""The window rows, run in a process of their own: ``python -m benchmarks.gui_child ROW JSON``.

Qt is started offscreen here, never in the runner, so a crash or a leak in the window costs
one row and not the whole report. The last line printed is ``RESULT {json}``: timings in
seconds, or ``{"na": reason}`` when the window cannot do what the row needs.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ANNOTATOR_USER"] = "bench"

import json
import random
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate import LABELS


class Unavailable(Exception):
    """The window lacks what a row needs; the message says what."""


def peak_mb() -> float:
    """This process's peak resident memory in MB: from /proc (VmHWM) where there is one, since
    getrusage's ru_maxrss in a new process starts from its parent's size (Linux keeps it across
    the exec of a process its parent spawned), and the runner may be large."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _result(data: dict[str, Any]) -> None:
    print("RESULT " + json.dumps(data), flush=True)


def _app() -> Any:
    from PySide6.QtCore import QSettings

    # The analyst's own settings stay untouched: the runner gives each run a fresh folder.
    folder = os.environ.get("XDG_CONFIG_HOME") or tempfile.mkdtemp(prefix="annotator-bench-")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    try:
        from annotator.gui.app import make_application

        return make_application([sys.argv[0]])
    except ImportError:
        from PySide6.QtWidgets import QApplication

        return QApplication.instance() or QApplication([sys.argv[0]])


def _window_class() -> Any:
    try:
        from annotator.gui.main_window import MainWindow
    except ImportError as e:
        raise Unavailable(f"window not available: {e}") from None
    return MainWindow


def _need(obj: Any, *names: str) -> None:
    missing = [n for n in names if not hasattr(obj, n)]
    if missing:
        raise Unavailable(f"window not available: {type(obj).__name__} has no {', '.join(missing)}")


def _document_id(project: str, external_id: str) -> int:
    conn = sqlite3.connect(project)
    try:
        row = conn.execute("SELECT id FROM documents WHERE external_id = ?", (external_id,))
        found = row.fetchone()
    finally:
        conn.close()
    if found is None:
        raise RuntimeError(f"{project} holds no document {external_id!r}")
    return found[0]


def _settle(app: Any, view: Any) -> None:
    """Let the window finish what it queued, then paint the visible part of the article now."""
    app.processEvents()
    view.viewport().repaint()


def _settle_highlights(app: Any, view: Any, limit: float = 30.0) -> float:
    """Let the article finish highlighting while idle; the seconds that took."""
    highlighter = view.highlighter
    start = time.perf_counter()
    while not getattr(highlighter, "settled", True):
        if time.perf_counter() - start > limit:
            raise RuntimeError(f"the article was still highlighting after {limit:.0f} s")
        app.processEvents()
    return time.perf_counter() - start


def _unhighlighted_blocks(view: Any) -> int:
    """Blocks that hold a span but show no highlight (0 when every highlight is applied)."""
    index = view.highlighter.index
    missing = 0
    block = view.document().firstBlock()
    while block.isValid():
        if index.in_block(block.blockNumber()) and not block.layout().formats():
            missing += 1
        block = block.next()
    return missing


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def open_long(project: str, runs: int, warmup: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QPlainTextEdit

    app = _app()
    window_class = _window_class()
    window = window_class(project)
    _need(window, "open_document", "article", "store")
    _need(window.article, "highlighter", "viewport")
    window.show()
    app.processEvents()
    long_id = _document_id(project, "bench-long")
    small_id = _document_id(project, "bench-000001")
    view = window.article
    text = window.store.documents.text(long_id)
    # The reference: the same text in a bare read-only QPlainTextEdit of the article's size
    # and font (read-only as the article is: no undo history, no editing cursor).
    plain = QPlainTextEdit()
    plain.setReadOnly(True)
    plain.setFont(view.font())
    plain.resize(view.size())
    plain.show()

    def ours() -> None:
        window.open_document(long_id)
        _settle(app, view)

    def reference() -> None:
        plain.setPlainText(text)
        _settle(app, plain)

    times: dict[str, list[float]] = {"ours": [], "reference": []}
    settling: list[float] = []
    for i in range(warmup + runs):
        window.open_document(small_id)
        plain.setPlainText("")
        app.processEvents()
        order = [("ours", ours), ("reference", reference)]
        for key, fn in order if i % 2 == 0 else order[::-1]:
            t = _timed(fn)
            if i >= warmup:
                times[key].append(t)
        # what is off screen is highlighted while idle: let that finish before the next run
        settled = _settle_highlights(app, view)
        if i >= warmup:
            settling.append(settled)
    return {
        **times,
        "extra": {
            "characters": len(text),
            "spans": len(view.spans),
            "blocks": view.document().blockCount(),
            "unhighlighted_blocks": _unhighlighted_blocks(view),
            "idle_highlighting": settling,
        },
    }


def _tag_actions(window: Any) -> dict[str, Any]:
    """The window's label actions by label name (what the hotkeys 1–4 trigger)."""
    actions = {}
    for action in getattr(window, "label_actions", []):
        name = action.text()
        if name.startswith("Tag as ") and "," not in name:
            actions[name.removeprefix("Tag as ")] = action
    return actions


def edit_long(project: str, reference_project: str, ops: int) -> dict[str, Any]:
    from annotator.store.project import Store

    app = _app()
    window_class = _window_class()
    window = window_class(project)
    _need(window, "open_document", "article", "store", "editor", "action")
    _need(window.editor, "select", "selected")
    _need(window.article, "select_cp", "text", "viewport")
    actions = _tag_actions(window)
    labels = list(LABELS)
    if set(labels) - actions.keys():
        raise Unavailable(
            f"window not available: no 'Tag as' action for {set(labels) - actions.keys()}"
        )
    window.show()
    app.processEvents()
    long_id = _document_id(project, "bench-long")
    window.open_document(long_id)
    app.processEvents()
    view = window.article
    _settle_highlights(app, view)  # the analyst reads before tagging: the article is settled
    text = view.text

    # Word-aligned ranges spread over the whole article, the same for both sides.
    rng = random.Random(7)
    starts = [i + 1 for i, ch in enumerate(text) if ch == " " and text[i + 1 : i + 2].isalpha()]
    ranges = []
    for start in sorted(rng.sample(starts, ops)):
        end = text.find(" ", start + rng.randint(5, 60))
        ranges.append((start, end if end > start else start + 1))

    times: dict[str, dict[str, list[float]]] = {
        k: {"ours": [], "reference": []} for k in ("add", "relabel", "delete")
    }
    ours_ids: list[int] = []
    with Store(reference_project, "bench") as store:
        reference_ids: list[int] = []
        for i, (start, end) in enumerate(ranges):
            label = labels[i % 4]
            view.select_cp(start, end)
            app.processEvents()  # the selection is on screen before the key, as for a user

            def tag(label: str = label) -> None:
                actions[label].trigger()
                _settle(app, view)

            def add(start: int = start, end: int = end, label: str = label) -> None:
                reference_ids.append(store.spans.add(long_id, start, end, label).id)

            times["add"]["ours"].append(_timed(tag))
            if window.editor.selected is None:
                raise RuntimeError(f"tagging [{start}, {end}) made no span")
            ours_ids.append(window.editor.selected)
            times["add"]["reference"].append(_timed(add))
        for i, (span_id, reference_id) in enumerate(zip(ours_ids, reference_ids, strict=True)):
            label = labels[(i + 1) % 4]
            window.editor.select(span_id)
            app.processEvents()

            def relabel(label: str = label) -> None:
                actions[label].trigger()
                _settle(app, view)

            times["relabel"]["ours"].append(_timed(relabel))
            times["relabel"]["reference"].append(
                _timed(lambda r=reference_id, lab=label: store.spans.relabel(r, lab))
            )
        for span_id, reference_id in zip(ours_ids, reference_ids, strict=True):
            window.editor.select(span_id)
            app.processEvents()

            def delete() -> None:
                window.action("span.delete").trigger()
                _settle(app, view)

            times["delete"]["ours"].append(_timed(delete))
            times["delete"]["reference"].append(
                _timed(lambda r=reference_id: store.spans.delete(r))
            )
    with Store(project, "bench") as check:
        left = len(check.spans.in_document(long_id))
    return {**times, "extra": {"spans_after": left, "undo_steps": window.editor.undo_stack.count()}}


def big_project(project: str) -> dict[str, Any]:
    """One measurement per process, so that peak memory is this project's alone."""
    from PySide6.QtWidgets import QTableView

    from annotator.store.documents import Documents

    app = _app()
    window_class = _window_class()
    reads = {"texts": 0}
    for name in ("get", "text"):  # count every document text read
        original = getattr(Documents, name)

        def counting(self: Any, *args: Any, _original: Any = original, **kw: Any) -> Any:
            reads["texts"] += 1
            return _original(self, *args, **kw)

        setattr(Documents, name, counting)
    before = peak_mb()
    start = time.perf_counter()
    window = window_class(project)
    window.show()
    app.processEvents()
    opened = time.perf_counter() - start
    texts_at_open = reads["texts"]
    table = window.findChild(QTableView, "documentList")
    if table is None:
        raise Unavailable("window not available: no QTableView named documentList")
    start = time.perf_counter()
    table.scrollToBottom()
    app.processEvents()
    table.viewport().repaint()
    scrolled = time.perf_counter() - start
    peak = peak_mb()
    return {
        "open": opened,
        "scroll": scrolled,
        "peak_mb": peak,
        "peak_before_window_mb": before,
        "rows": table.model().rowCount(),
        "texts_read_at_open": texts_at_open,
        "texts_read_by_scroll": reads["texts"] - texts_at_open,
    }


def _ticking(
    app: Any, begin: Callable[[Callable[[], None]], None]
) -> tuple[list[float], list[float], float]:
    """The gaps between the ticks of a 1 ms timer in the window's thread, from ``begin(done)``
    until ``done()`` is called; the processor time the thread spent in each gap (its own
    work, apart from waiting for the disk or for the processor); and how long it all took."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    ticks: list[tuple[float, float]] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append((time.perf_counter(), time.thread_time())))
    loop = QEventLoop()
    finished: list[bool] = []

    def done() -> None:
        finished.append(True)
        loop.quit()

    QTimer.singleShot(600_000, loop.quit)  # a guard: a retrain that never ends is an error
    timer.start()
    start = time.perf_counter()
    begin(done)
    loop.exec()
    timer.stop()
    took = time.perf_counter() - start
    if not finished:
        raise RuntimeError("the retrain did not end within 600 s")
    pairs = list(zip(ticks, ticks[1:], strict=False))
    return [b[0] - a[0] for a, b in pairs], [b[1] - a[1] for a, b in pairs], took


def learn_stall(project: str, runs: int) -> dict[str, Any]:
    """The longest the window's thread was kept from a 1 ms timer while the learned model was
    trained in the background, stored, and its suggestions refreshed; beside the same timer
    in the window left idle for as long."""
    from PySide6.QtCore import QTimer

    app = _app()
    window = _window_class()(project)
    _need(window, "learning")
    _need(window.learning, "train", "on_stored", "on_refreshed")
    window.show()
    app.processEvents()
    times: dict[str, list[float]] = {"ours": [], "reference": []}
    extra: dict[str, list[Any]] = {
        "seconds": [], "gaps_over_16_ms": [], "p99_gap": [], "longest_own_work": [],
    }  # fmt: skip
    took = 1.0

    def retrain(done: Callable[[], None]) -> None:
        window.learning.on_refreshed = done
        window.learning.train()

    def idle(done: Callable[[], None]) -> None:
        QTimer.singleShot(int(took * 1000), done)

    for i in range(runs):
        order = [("ours", retrain), ("reference", idle)]
        for key, begin in order if i % 2 == 0 else order[::-1]:
            gaps, busy, seconds = _ticking(app, begin)
            times[key].append(max(gaps))
            if key == "ours":
                took = seconds
                extra["seconds"].append(seconds)
                extra["gaps_over_16_ms"].append(sum(1 for g in gaps if g > 0.016))
                extra["p99_gap"].append(sorted(gaps)[int(0.99 * (len(gaps) - 1))])
                extra["longest_own_work"].append(max(busy))
    return {**times, "extra": extra}


def keys(project: str, gold: str, families: list[str], suggestions: bool) -> dict[str, Any]:
    """A keyboard-only session tagging the documents of ``gold`` (JSONL records whose ids
    are the project's external ids) at 1600×1000, as a user would see it."""
    from PySide6.QtTest import QTest

    os.environ.pop("ANNOTATOR_KEYS", None)  # the default keys, whatever the user chose
    app = _app()
    window = _window_class()(project)
    _need(window, "action", "article", "find_bar", "relating", "document_model", "editor")
    from benchmarks.keyboard import COMMANDS, replay

    missing = [c for c in COMMANDS if c not in getattr(window, "actions_by_id", {})]
    if missing:
        raise Unavailable(f"window not available: no command {', '.join(missing)}")

    window.resize(1600, 1000)
    window.show()
    window.activateWindow()
    if not QTest.qWaitForWindowActive(window):
        raise RuntimeError("the window did not become active")
    lines = Path(gold).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    documents = [(_document_id(project, r["id"]), r) for r in records]
    return {"documents": replay(app, window, documents, families, suggestions)}


def main(argv: list[str]) -> int:
    row, args = argv[0], json.loads(argv[1])
    rows = {
        "open-long": open_long,
        "edit-long": edit_long,
        "big-project": big_project,
        "learn-stall": learn_stall,
        "keys": keys,
    }
    try:
        result = rows[row](**args)
    except Unavailable as e:
        result = {"na": str(e)}
    _result(result)
    sys.stdout.flush()
    os._exit(0)  # skip Qt's teardown: its time and its crashes are not what is measured


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
