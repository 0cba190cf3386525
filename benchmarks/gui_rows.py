"""Rows that need the window: start-up, a long article, editing it, and a big project.

The window runs offscreen in child processes (``benchmarks.gui_child``, or the real
``annotator`` command for start-up). A row whose window code is missing or lacks what it
needs reports "n/a (...)" instead of failing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.context import REPO, Context, child_env
from benchmarks.measure import Figure, Stats

FIRST_PAINT_ENV = "ANNOTATOR_BENCH_FIRST_PAINT"
FIRST_PAINT_LINE = "first-paint"
STARTUP_LIMIT = 0.5
OPEN_LONG_LIMIT = 0.3
OPEN_LONG_RATIO = 4.0
EDIT_P95_LIMIT = 0.016
BIG_OPEN_LIMIT = 1.0
BIG_MEMORY_LIMIT_MB = 300
STALL_LIMIT = 0.016  # one frame
REFERENCE_STARTUP = (
    "from PySide6 import QtWidgets; app=QtWidgets.QApplication([]); w=QtWidgets.QMainWindow();"
    f" w.show(); app.processEvents(); print({FIRST_PAINT_LINE!r}, flush=True)"
)


def window_problem() -> str | None:
    """Why the window cannot be benchmarked here, or None."""
    if importlib.util.find_spec("PySide6") is None:
        return "PySide6 is not installed"
    try:
        spec = importlib.util.find_spec("annotator.gui.main_window")
    except ImportError as e:
        return str(e)
    return None if spec is not None else "annotator/gui/main_window.py does not exist"


def _na(row: str, name: str, what: str, target: str, reason: str) -> Figure:
    return Figure(row=row, name=name, what=what, target=target, na=reason)


def _child(ctx: Context, row: str, args: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one window measurement in a fresh process; its ``RESULT`` line, parsed."""
    command = [sys.executable, "-m", "benchmarks.gui_child", row, json.dumps(args)]
    try:
        proc = subprocess.run(
            command,
            cwd=REPO,
            env=child_env(XDG_CONFIG_HOME=str(ctx.work / "config")),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"the window process ({row}) took over {timeout:.0f} s") from None
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    raise RuntimeError(f"the window process ({row}) exited with {proc.returncode}: {tail}")


# -- startup ----------------------------------------------------------------------------------


def _hook_present() -> bool:
    spec = importlib.util.find_spec("annotator")
    assert spec is not None and spec.origin is not None
    package = Path(spec.origin).parent
    return any(FIRST_PAINT_ENV in p.read_text(encoding="utf-8") for p in package.rglob("*.py"))


def annotator_command() -> list[str]:
    script = Path(sys.executable).with_name("annotator")
    return [str(script)] if script.exists() else [sys.executable, "-m", "annotator"]


def first_line(
    command: list[str], env: dict[str, str], timeout: float
) -> tuple[float, float | None, int] | None:
    """Seconds from spawning ``command`` to its ``first-paint`` line, the seconds the line
    reports (if any) and the exit code; None when no such line came within ``timeout``."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=REPO
    )
    assert proc.stdout is not None
    found: tuple[float, float | None] | None = None
    buffer = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while found is None:
            left = timeout - (time.perf_counter() - start)
            if left <= 0 or not sel.select(left):
                break
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buffer += chunk
            for line in buffer.decode("utf-8", "replace").splitlines():
                if line.startswith(FIRST_PAINT_LINE):
                    elapsed = time.perf_counter() - start
                    words = line.split()
                    try:
                        reported = float(words[1]) if len(words) > 1 else None
                    except ValueError:
                        reported = None
                    found = (elapsed, reported)
                    break
    if found is None:
        proc.kill()
        proc.wait()
        return None
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    proc.stdout.close()
    return found[0], found[1], code


def startup(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    what = f"`annotator --db P` to the first painted window ({s.articles:,} articles)"
    target = f"< {STARTUP_LIMIT:g} s median"
    problem = window_problem()
    if problem:
        return [_na("startup", "startup", what, target, f"window not available: {problem}")]
    if not _hook_present():
        return [_na("startup", "startup", what, target, "hook missing")]
    project = ctx.copy_project(ctx.project(s.articles), "startup.db")
    env = child_env(XDG_CONFIG_HOME=str(ctx.work / "config"), **{FIRST_PAINT_ENV: "1"})
    commands = {
        "ours": [*annotator_command(), "--db", str(project)],
        "reference": [sys.executable, "-c", REFERENCE_STARTUP],
    }
    times: dict[str, list[float]] = {"ours": [], "reference": []}
    reported: list[float] = []
    ctx.say(f"  starting the window {s.warmup + s.startup_runs} times")
    for i in range(s.warmup + s.startup_runs):
        if i == s.warmup:
            _wait_compiled(env)  # what a second start finds: the package compiled
        order = ["ours", "reference"] if i % 2 == 0 else ["reference", "ours"]
        for key in order:
            got = first_line(commands[key], env, timeout=30)
            if got is None and key == "ours":
                reason = f"hook missing: no {FIRST_PAINT_LINE} line within 30 s"
                return [_na("startup", "startup", what, target, reason)]
            if got is None:
                raise RuntimeError("the reference Qt process printed nothing")
            elapsed, seconds, code = got
            if code != 0:
                raise RuntimeError(f"{commands[key][0]} exited with {code} after the first paint")
            if i >= s.warmup:
                times[key].append(elapsed)
                if key == "ours" and seconds is not None:
                    reported.append(seconds)
    ours, plain = Stats(times["ours"]), Stats(times["reference"])
    note = "spawn to the first-paint line"
    if reported:
        note += f"; the app reports {Stats(reported).median * 1000:.0f} ms median since its start"
    return [
        Figure(
            row="startup",
            name="startup",
            what=what,
            target=target,
            ours=ours,
            reference=plain,
            ratio=Stats([a / b for a, b in zip(times["ours"], times["reference"], strict=True)]),
            met=ours.median < STARTUP_LIMIT,
            note=note,
            extra={"reported": reported},
        )
    ]


def _wait_compiled(env: dict[str, str], limit: float = 60.0) -> None:
    """Where Python keeps no compiled modules, the first start has the package compiled in
    the background (``annotator.compiled``): let that finish before the timed starts."""
    if not env.get("PYTHONDONTWRITEBYTECODE"):
        return  # Python kept what the warm-up compiled
    from annotator.compiled import is_compiled

    package = REPO / "annotator"
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if all(is_compiled(str(p)) for p in package.rglob("*.py")):
            return
        time.sleep(0.2)


# -- the long article ------------------------------------------------------------------------


def _long_what(ctx: Context) -> str:
    s = ctx.sizes
    return f"a {s.long_chars / 1e6:g} M-character article with {s.long_spans:,} spans"


def open_long(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    what = f"open {_long_what(ctx)}, the visible part painted with its highlights"
    target = f"≤ {OPEN_LONG_RATIO:g}× median, < {OPEN_LONG_LIMIT * 1000:.0f} ms"
    problem = window_problem()
    if problem:
        return [_na("open-long", "open-long", what, target, f"window not available: {problem}")]
    project = ctx.copy_project(ctx.long_project(), "open-long.db")
    ctx.say(f"  opening the long article {s.warmup + s.open_runs} times")
    args = {"project": str(project), "runs": s.open_runs, "warmup": s.warmup}
    data = _child(ctx, "open-long", args, timeout=900)
    if "na" in data:
        return [_na("open-long", "open-long", what, target, data["na"])]
    ours, plain = Stats(data["ours"]), Stats(data["reference"])
    ratio = Stats([a / b for a, b in zip(data["ours"], data["reference"], strict=True)])
    missing = data["extra"]["unhighlighted_blocks"]
    idle = data["extra"].get("idle_highlighting") or [0.0]
    return [
        Figure(
            row="open-long",
            name="open-long",
            what=what,
            target=target,
            ours=ours,
            reference=plain,
            ratio=ratio,
            met=ratio.median <= OPEN_LONG_RATIO and ours.median < OPEN_LONG_LIMIT and missing == 0,
            note="reference: setPlainText in a read-only QPlainTextEdit; "
            + (
                f"{missing} blocks left unhighlighted"
                if missing
                else "every highlight applied once idle"
            )
            + f" ({Stats(idle).median * 1000:.0f} ms later)",
            extra=data["extra"],
        )
    ]


def edit_long(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    target = f"p95 < {EDIT_P95_LIMIT * 1000:.0f} ms"
    kinds = ("add", "relabel", "delete")
    whats = {k: f"{k} a span in {_long_what(ctx)}, view updated and saved" for k in kinds}
    problem = window_problem()
    if problem:
        return [
            _na("edit-long", f"edit-long-{k}", whats[k], target, f"window not available: {problem}")
            for k in kinds
        ]
    long = ctx.long_project()
    args = {
        "project": str(ctx.copy_project(long, "edit-long.db")),
        "reference_project": str(ctx.copy_project(long, "edit-long-reference.db")),
        "ops": s.edit_ops,
    }
    ctx.say(f"  {s.edit_ops} of each edit in the long article")
    data = _child(ctx, "edit-long", args, timeout=900)
    if "na" in data:
        return [_na("edit-long", f"edit-long-{k}", whats[k], target, data["na"]) for k in kinds]
    figures = []
    for k in kinds:
        ours, plain = Stats(data[k]["ours"]), Stats(data[k]["reference"])
        figures.append(
            Figure(
                row="edit-long",
                name=f"edit-long-{k}",
                what=whats[k],
                target=target,
                ours=ours,
                reference=plain,
                ratio=Stats([ours.percentile(95) / plain.percentile(95)]),
                headline="p95",
                met=ours.percentile(95) < EDIT_P95_LIMIT,
                note=f"{len(ours.samples)} operations; reference: the bare store call",
                extra=data["extra"],
            )
        )
    return figures


# -- a big project ---------------------------------------------------------------------------


def big_project(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    return window_on(ctx, "big-project", lambda: ctx.project(s.many_articles), s.many_articles)


def window_on(ctx: Context, row: str, project: Callable[[], Path], documents: int) -> list[Figure]:
    """Open the window on a big ``project`` of ``documents`` documents, scroll its list to the
    end, and take its peak memory, beside the same on a project of a hundred."""
    s = ctx.sizes
    names = {
        "open": (f"open a project of {documents:,} documents", f"< {BIG_OPEN_LIMIT:g} s median"),
        "scroll": ("scroll the document list to the end", "reads no document text"),
        "memory": ("peak memory of the window process", f"< {BIG_MEMORY_LIMIT_MB} MB"),
    }
    problem = window_problem()
    if problem:
        return [
            _na(row, f"{row}-{k}", w, t, f"window not available: {problem}")
            for k, (w, t) in names.items()
        ]
    projects = {"ours": project(), "reference": ctx.project(s.small_project)}
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "reference": []}
    ctx.say(f"  opening the window on {documents:,} and {s.small_project} documents")
    for i in range(s.warmup + s.big_project_runs):
        for key in ("ours", "reference") if i % 2 == 0 else ("reference", "ours"):
            data = _child(ctx, "big-project", {"project": str(projects[key])}, timeout=600)
            if "na" in data:
                return [_na(row, f"{row}-{k}", w, t, data["na"]) for k, (w, t) in names.items()]
            if i >= s.warmup:
                runs[key].append(data)

    def stats(key: str, field: str) -> Stats:
        return Stats([r[field] for r in runs[key]])

    def ratio(field: str) -> Stats:
        return Stats(
            [a[field] / b[field] for a, b in zip(runs["ours"], runs["reference"], strict=True)]
        )

    reference_note = f"reference: {s.small_project} documents"
    open_t = stats("ours", "open")
    texts = max(r["texts_read_by_scroll"] for r in runs["ours"])
    texts_at_open = max(r["texts_read_at_open"] for r in runs["ours"])
    memory = stats("ours", "peak_mb")
    before = Stats([r["peak_before_window_mb"] for r in runs["ours"]]).median
    return [
        Figure(
            row=row,
            name=f"{row}-open",
            what=names["open"][0],
            target=names["open"][1],
            ours=open_t,
            reference=stats("reference", "open"),
            ratio=ratio("open"),
            met=open_t.median < BIG_OPEN_LIMIT,
            note=f"{reference_note}; {texts_at_open} document text(s) read while opening",
            extra={"runs": runs},
        ),
        Figure(
            row=row,
            name=f"{row}-scroll",
            what=names["scroll"][0],
            target=names["scroll"][1],
            ours=stats("ours", "scroll"),
            reference=stats("reference", "scroll"),
            ratio=ratio("scroll"),
            met=texts == 0,
            note=f"{texts} document texts read while scrolling {runs['ours'][0]['rows']:,} rows",
        ),
        Figure(
            row=row,
            name=f"{row}-memory",
            what=names["memory"][0],
            target=names["memory"][1],
            unit="MB",
            ours=memory,
            reference=stats("reference", "peak_mb"),
            ratio=ratio("peak_mb"),
            met=memory.median < BIG_MEMORY_LIMIT_MB,
            note=f"{reference_note}; {before:.0f} MB before the window was built",
        ),
    ]


# -- a retrain in the window ------------------------------------------------------------------


def learn_stall(ctx: Context) -> list[Figure]:
    """The longest stall of the window's thread while the learned model retrains: training
    (a worker process), storing the model, refreshing its suggestions on the documents not
    done, each run on the same project."""
    from benchmarks import conventions
    from benchmarks.learned_rows import library_problem, project, records_file

    s = ctx.sizes
    what = (
        f"longest gap between 1 ms timer ticks in the window while it retrains on "
        f"{s.learn_stall:,} done articles, stores the model and refreshes its suggestions on "
        f"{s.learn_stall:,} not done"
    )
    target = f"≤ {STALL_LIMIT * 1000:.0f} ms (one frame)"
    problem = window_problem() or library_problem()
    if problem:
        return [_na("learn-stall", "learn-stall", what, target, f"window not available: {problem}")]
    done = records_file(
        ctx, f"negotiation-train-{s.learn_stall}",
        conventions.articles(s.learn_stall, "negotiation", seed=1),
    )  # fmt: skip
    new = records_file(
        ctx,
        f"negotiation-new-{s.learn_stall}",
        (
            {**r, "status": "new", "spans": []}
            for r in conventions.articles(s.learn_stall, "negotiation", seed=5)
        ),
    )
    path = project(ctx, "learn-stall", [done, new])
    ctx.say(f"  retraining in the window {s.learn_runs} times")
    data = _child(ctx, "learn-stall", {"project": str(path), "runs": s.learn_runs}, timeout=1800)
    if "na" in data:
        return [_na("learn-stall", "learn-stall", what, target, data["na"])]
    ours, idle = Stats(data["ours"]), Stats(data["reference"])
    extra = data["extra"]
    return [
        Figure(
            row="learn-stall",
            name="learn-stall",
            what=what,
            target=target,
            ours=ours,
            reference=idle,
            ratio=Stats([a / b for a, b in zip(ours.samples, idle.samples, strict=True)]),
            met=ours.max <= STALL_LIMIT,
            note=f"the longest gap of each run; the window's own work in one gap at most "
            f"{max(extra['longest_own_work']) * 1000:.1f} ms of processor time (the rest of a "
            f"gap is waiting for the processor or the disk); gaps over 16 ms: "
            f"{extra['gaps_over_16_ms']}; a retrain took {Stats(extra['seconds']).median:.1f} s; "
            "reference: the same timer with the window idle for as long",
            extra=extra,
        )
    ]
