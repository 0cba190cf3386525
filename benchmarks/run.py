"""Run the benchmarks, print the table and write the same figures as JSON.

    python -m benchmarks                  # every row at full size (several minutes)
    python -m benchmarks --quick          # small sizes, for a first look
    python -m benchmarks --only import-10k --only export
    python -m benchmarks --only scale --big     # the team and million-article rows
    python -m benchmarks --compare benchmarks/results/OLD.json

Each figure times annotator beside a reference (the simplest code that does the same work)
in the same run, pair by pair, and reports the median, min–max and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from importlib import metadata
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (
    core_rows,
    gui_rows,
    keys_rows,
    learned_rows,
    packet_rows,
    scale_rows,
    speaker_rows,
    suggest_rows,
)
from benchmarks.context import HERE, REPO, Context, Sizes
from benchmarks.measure import Figure, format_stats, format_value

Row = Callable[[Context], list[Figure]]
ROWS: dict[str, Row] = {
    "import-10k": core_rows.import_small,
    "import-100k": core_rows.import_large,
    **{f"export-{fmt}": core_rows.export_row(fmt) for fmt in core_rows.EXPORT_FORMATS},
    "export-formats": core_rows.other_formats,
    "cli-start": core_rows.cli_start,
    "startup": gui_rows.startup,
    "open-long": gui_rows.open_long,
    "edit-long": gui_rows.edit_long,
    "big-project": gui_rows.big_project,
    "suggest-quality": suggest_rows.quality,
    "suggest-actions": suggest_rows.actions,
    "speakers": speaker_rows.quality,
    "learn-quality": learned_rows.quality,
    "learn-actions": learned_rows.actions,
    "learn-train": learned_rows.train_speed,
    "learn-suggest": learned_rows.suggest_speed,
    "learn-stall": gui_rows.learn_stall,
    "keys-article": keys_rows.article,
    "keys-samples": keys_rows.samples,
    **{f"scale-{command}": scale_rows.team_row(command) for command in scale_rows.TEAM_LIMITS},
    "scale-1m-stats": scale_rows.archive_stats,
    "scale-1m-documents": scale_rows.archive_documents,
    "scale-1m-window": scale_rows.archive_window,
    "scale-1m-import": scale_rows.archive_import,
    "packets-assign": packet_rows.assign,
    "packets-progress": packet_rows.progress,
    "packets-merge": packet_rows.merge,
}
# Rows that take many minutes: run only with --big, or when named in full with --only.
BIG = {"scale-1m-import"}
RESULTS = HERE / "results"
CACHE = HERE / ".cache"


def select_rows(only: Sequence[str], big: bool = False) -> list[str]:
    """Row names from ``--only`` values: exact names or prefixes, comma-separated or repeated.

    The rows in ``BIG`` are left out unless ``big`` is given or they are named in full."""
    if not only:
        return [name for name in ROWS if big or name not in BIG]
    wanted = [w.strip() for value in only for w in value.split(",") if w.strip()]
    chosen = []
    for w in wanted:
        matches = [name for name in ROWS if name == w or name.startswith(w + "-")]
        if not matches:
            raise SystemExit(f"no benchmark row {w!r}; the rows are: {', '.join(ROWS)}")
        chosen += [m for m in matches if m not in chosen and (big or m == w or m not in BIG)]
    return [name for name in ROWS if name in chosen]


def machine() -> dict[str, object]:
    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "sqlite": sqlite3.sqlite_version,
        "annotator": version("annotator"),
        "sqlite_utils": version("sqlite-utils"),
        "pyside6": version("PySide6-Essentials") or version("PySide6"),
        "commit": commit or None,
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }


def run(
    sizes: Sizes,
    rows: Sequence[str],
    *,
    cache: Path = CACHE,
    results: Path = RESULTS,
    mode: str = "custom",
    log: bool = True,
    keep_work: bool = False,
) -> tuple[list[Figure], Path]:
    """Run ``rows`` and write their figures to a new JSON file in ``results``."""
    started = datetime.now()
    work = cache / f"work-{os.getpid()}"
    ctx = Context(sizes=sizes, cache=cache, work=work, log=log)
    work.mkdir(parents=True, exist_ok=True)
    record: dict[str, object] = {
        "format": 1,
        "started": started.isoformat(timespec="seconds"),
        "mode": mode,
        "rows": list(rows),
        "sizes": asdict(sizes),
        "machine": machine(),
    }
    try:
        for name in rows:
            ctx.say(f"{name}:")
            try:
                ctx.figures += ROWS[name](ctx)
            except Exception as e:
                traceback.print_exc()
                ctx.figures.append(
                    Figure(
                        row=name,
                        name=name,
                        what="",
                        target="",
                        na=f"error: {e}",
                        extra={"error": True},
                    )
                )
    finally:
        if not keep_work:
            shutil.rmtree(work, ignore_errors=True)
    record["finished"] = datetime.now().isoformat(timespec="seconds")
    record["load_average_after"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    record["figures"] = [f.to_json() for f in ctx.figures]
    results.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    path = results / f"{stamp}{'' if mode == 'full' else '-' + mode}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return ctx.figures, path


def _table(header: list[str], lines: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(cells) for cells in lines)])


def result_word(f: Figure) -> str:
    if f.na is not None:
        return f"n/a ({f.na})"
    return {True: "ok", False: "MISSED", None: "—"}[f.met]


def table(figures: Sequence[Figure]) -> str:
    lines = []
    for f in figures:
        if f.na is not None:
            lines.append([f.name, "—", "—", "—", f.target, result_word(f), ""])
            continue
        lines.append(
            [
                f.name,
                format_stats(f.ours, f.unit, f.headline),
                format_stats(f.reference, f.unit, f.headline),
                format_stats(f.ratio, "x") if f.ratio else "—",
                f.target,
                result_word(f),
                f.note,
            ]
        )
    header = ["row", "ours", "reference", "ratio ours/ref", "target", "result", "note"]
    return _table(header, lines)


def compare(old_path: Path, figures: Sequence[Figure]) -> str:
    """Before and after, figure by figure (matched by name)."""
    old_data = json.loads(old_path.read_text(encoding="utf-8"))
    old = {f["name"]: Figure.from_json(f) for f in old_data.get("figures", [])}
    lines = []
    for f in figures:
        before = old.get(f.name)
        if before is None or before.na is not None or f.na is not None:
            lines.append([f.name, "—", "—", "—", "—"])
            continue
        a, b = before.value(), f.value()
        change = f"{(b / a - 1) * 100:+.0f}%" if a and b is not None else "—"
        ratio_before = format_value(before.ratio.median, "x") if before.ratio else "—"
        ratio_after = format_value(f.ratio.median, "x") if f.ratio else "—"
        lines.append(
            [
                f.name,
                format_value(a, before.unit),
                format_value(b, f.unit),
                change,
                f"{ratio_before} → {ratio_after}",
            ]
        )
    note = ""
    if old_data.get("sizes") and old_data.get("mode") not in (None, "custom"):
        note = f"\n(before: {old_path.name}, mode {old_data.get('mode')})"
    header = ["row", "before", "after", "change", "ratio before → after"]
    return _table(header, lines) + note


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="small sizes and few runs")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="ROW",
        help=f"run only these rows (repeatable, comma-separated, prefixes allowed): {', '.join(ROWS)}",
    )
    parser.add_argument("--runs", type=int, help="timed runs of every repeated measurement")
    parser.add_argument(
        "--compare", type=Path, metavar="OLD.json", help="show the change since a run"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the JSON")
    parser.add_argument("--cache", type=Path, default=CACHE, help="folder for generated corpora")
    parser.add_argument("--keep-work", action="store_true", help="keep the projects built")
    parser.add_argument(
        "--big",
        action="store_true",
        help=f"also run the rows that take many minutes ({', '.join(sorted(BIG))})",
    )
    parser.add_argument("--list", action="store_true", help="list the rows and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(ROWS))
        return 0
    rows = select_rows(args.only, args.big)
    sizes = Sizes.quick() if args.quick else Sizes.full()
    mode = "quick" if args.quick else "full"
    if args.runs:
        sizes, mode = sizes.with_runs(args.runs), mode + f"-runs{args.runs}"
    figures, path = run(
        sizes, rows, cache=args.cache, results=args.results, mode=mode, keep_work=args.keep_work
    )
    print(table(figures))
    print(f"\nFigures written to {path}")
    if args.compare:
        print("\n" + compare(args.compare, figures))
    return 1 if any(f.extra.get("error") for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
