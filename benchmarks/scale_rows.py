"""Rows at the size real datasets are made at.

The team rows take three analysts' projects of 10,000 articles each (~3,000 characters, ~8
spans; see ``scale_corpus.py``) through what a team does with them: ``merge`` them into one
team project, ``curate --agreed``, ``agreement --json`` and ``stats --json``, each as a whole
process; then again at twice the size, since nothing in the team path may grow faster than
the work (3 × 20,000 at most 2.2× 3 × 10,000).

The archive rows take one project of a million briefs (~600 characters, two spans each):
``stats``, ``documents --status done`` (to its first line, and to its last), the window opened
on it, and (with ``--big``, or named) importing the million from JSONL.

Each beside a reference doing the same work with plain ``sqlite3`` (``reference.py``), so a
busy machine shows in both; the targets are the times themselves.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import generate, gui_rows
from benchmarks.context import ANNOTATOR, Context, child_env
from benchmarks.core_rows import _import_pair, _process, annotator_command, reference_command
from benchmarks.measure import Figure, Stats, paired

TEAM_LIMITS = {"merge": 10.0, "curate": 5.0, "agreement": 2.0, "stats": 2.0}
GROWTH_LIMIT = 2.2
ARCHIVE_STATS_LIMIT = 2.0
FIRST_LINE_LIMIT = 1.0
LISTING_LIMIT = 2.0  # the whole listing, against the plain loop printing the same lines
IMPORT_LIMIT = 2.0

_WHAT = {
    "merge": "`annotator merge` of 3 analysts' projects × {n} articles",
    "curate": "`annotator curate --agreed` over {n} articles of 3 analysts",
    "agreement": "`annotator agreement --json` over {n} articles of 3 analysts",
    "stats": "`annotator stats --json` on the team project of {n} articles",
}
_REFERENCE = {
    "merge": "reference: documents, spans, statuses and history copied with INSERT ... SELECT",
    "curate": "reference: one INSERT ... SELECT of the agreed spans",
    "agreement": "reference: the layers read once, exact matches counted with Counter",
    "stats": "reference: four GROUP BY counts",
}


def _count(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


# -- the team ---------------------------------------------------------------------------------


def _merge_command(team: Path, sources: list[Path]) -> list[str]:
    return [
        sys.executable, "-m", "annotator", "--user", ANNOTATOR, "merge",
        *map(str, sources), "--into", str(team),
    ]  # fmt: skip


def team_project(ctx: Context, n: int) -> Path:
    """The three analysts' projects of ``n`` articles merged (by the merge row, or now)."""
    key = f"team-{n}"
    team = ctx.kept(key)
    if team is None:
        ctx.say(f"  merging the team's {n:,} articles once")
        team = ctx.fresh_path(f"{key}.db")
        _process(_merge_command(team, ctx.team_sources(n)))
        ctx.keep_project(key, team)
    return team


def _timed_team(ctx: Context, command: str, n: int) -> tuple[Stats, Stats, Stats]:
    """Our command and the reference, each a whole process, on the team of ``n`` articles."""
    s = ctx.sizes
    prepare: Callable[[str], None] | None = None
    if command == "merge":
        sources = ctx.team_sources(n)
        team = ctx.work / f"team-{n}.db"
        plain_team = ctx.work / f"team-{n}-reference.db"
        ours_args = _merge_command(team, sources)
        reference_args = reference_command("merge", str(plain_team), *map(str, sources))

        def prepare(side: str) -> None:
            ctx.fresh_path((team if side == "ours" else plain_team).name)

    elif command == "curate":
        project = team_project(ctx, n)
        copies = {"ours": ctx.work / f"curate-{n}.db", "reference": ctx.work / f"curate-{n}-r.db"}
        ours_args = annotator_command(copies["ours"], "curate", "--agreed")
        reference_args = reference_command("curate", str(copies["reference"]))

        def prepare(side: str) -> None:
            ctx.copy_project(project, copies[side].name)

    else:
        project = team_project(ctx, n)
        flag = ["--json"]
        ours_args = annotator_command(project, command, *flag)
        reference_args = reference_command(command, str(project))

    ctx.say(f"  {command}: {n:,} articles × 3 analysts, {s.warmup + s.team_runs} times each")
    result = paired(
        lambda: _process(ours_args),
        lambda: _process(reference_args),
        runs=s.team_runs,
        warmup=s.warmup,
        prepare=prepare,
    )
    if command == "merge":
        ctx.keep_project(f"team-{n}", team)
        ctx.fresh_path(plain_team.name)
    elif command == "curate":
        for path in copies.values():
            ctx.fresh_path(path.name)
    return result


def team_row(command: str) -> Callable[[Context], list[Figure]]:
    """The command on the team's articles, then on twice as many (the growth)."""

    def row(ctx: Context) -> list[Figure]:
        s = ctx.sizes
        small, big = s.team_articles, s.team_articles * s.team_growth
        limit = TEAM_LIMITS[command]
        ours, plain, ratio = _timed_team(ctx, command, small)
        big_ours, big_plain, big_ratio = _timed_team(ctx, command, big)
        growth = big_ours.median / ours.median
        fastest = big_ours.min / ours.min
        plain_growth = big_plain.median / plain.median
        name = f"scale-{command}"
        return [
            Figure(
                row=name,
                name=f"{name}-{_count(small)}",
                what=_WHAT[command].format(n=f"{small:,}"),
                target=f"< {limit:g} s median",
                ours=ours,
                reference=plain,
                ratio=ratio,
                met=ours.median < limit,
                note=_REFERENCE[command],
            ),
            Figure(
                row=name,
                name=f"{name}-{_count(big)}",
                what=_WHAT[command].format(n=f"{big:,}"),
                target=f"≤ {GROWTH_LIMIT:g}× {_count(small)} (linear)",
                ours=big_ours,
                reference=big_plain,
                ratio=big_ratio,
                met=growth <= GROWTH_LIMIT,
                note=f"growth {_count(big)}/{_count(small)}: {growth:.2f}× of the medians, "
                f"{fastest:.2f}× of the fastest runs (reference {plain_growth:.2f}×)",
                extra={
                    "growth": growth,
                    "fastest_growth": fastest,
                    "reference_growth": plain_growth,
                },
            ),
        ]

    return row


# -- the archive ------------------------------------------------------------------------------


def archive_stats(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    project = ctx.archive(s.archive_articles)
    ctx.say(f"  stats on {s.archive_articles:,} articles, {s.warmup + s.archive_runs} times each")
    ours, plain, ratio = paired(
        lambda: _process(annotator_command(project, "stats")),
        lambda: _process(reference_command("stats", str(project))),
        runs=s.archive_runs,
        warmup=s.warmup,
    )
    return [
        Figure(
            row="scale-1m-stats",
            name="scale-1m-stats",
            what=f"`annotator stats` on a project of {s.archive_articles:,} articles",
            target=f"< {ARCHIVE_STATS_LIMIT:g} s median",
            ours=ours,
            reference=plain,
            ratio=ratio,
            met=ours.median < ARCHIVE_STATS_LIMIT,
            note=_REFERENCE["stats"],
        )
    ]


def _listing(args: list[str]) -> tuple[float, float, int]:
    """Seconds from spawning ``args`` to its first line and to its end, and its lines."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(), bufsize=0
    )
    assert proc.stdout is not None and proc.stderr is not None
    first_line = None
    lines = 0
    while chunk := proc.stdout.read(1 << 16):
        if first_line is None and b"\n" in chunk:
            first_line = time.perf_counter() - start
        lines += chunk.count(b"\n")
    error = proc.stderr.read()
    code = proc.wait()
    total = time.perf_counter() - start
    if code != 0:
        raise RuntimeError(f"{' '.join(args[:6])}... failed: {error.decode()[-400:]}")
    return (total if first_line is None else first_line), total, lines


def archive_documents(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    project = ctx.archive(s.archive_articles)
    ours_args = annotator_command(project, "documents", "--status", "done")
    reference_args = reference_command("documents", str(project), "done")
    firsts: dict[str, list[float]] = {"ours": [], "reference": []}
    totals: dict[str, list[float]] = {"ours": [], "reference": []}
    lines: dict[str, int] = {}
    ctx.say(f"  listing the done of {s.archive_articles:,} articles")
    for i in range(s.warmup + s.archive_runs):
        order = [("ours", ours_args), ("reference", reference_args)]
        for key, args in order if i % 2 == 0 else order[::-1]:
            first, total, lines[key] = _listing(args)
            if i >= s.warmup:
                firsts[key].append(first)
                totals[key].append(total)
    if lines["ours"] != lines["reference"]:
        raise RuntimeError(f"listed {lines} lines (ours, reference)")

    def ratio(of: dict[str, list[float]]) -> Stats:
        return Stats([a / b for a, b in zip(of["ours"], of["reference"], strict=True)])

    first, total = Stats(firsts["ours"]), Stats(totals["ours"])
    what = f"`annotator documents --status done` on {s.archive_articles:,} articles"
    return [
        Figure(
            row="scale-1m-documents",
            name="scale-1m-documents-first",
            what=what + ", to its first line",
            target=f"< {FIRST_LINE_LIMIT:g} s median",
            ours=first,
            reference=Stats(firsts["reference"]),
            ratio=ratio(firsts),
            met=first.median < FIRST_LINE_LIMIT,
            note="reference: the same lines from one SELECT, each printed as it is read",
        ),
        Figure(
            row="scale-1m-documents",
            name="scale-1m-documents-all",
            what=what + ", to its last line",
            target=f"≤ {LISTING_LIMIT:g}× reference",
            ours=total,
            reference=Stats(totals["reference"]),
            ratio=ratio(totals),
            met=ratio(totals).median <= LISTING_LIMIT,
            note=f"{lines['ours']:,} lines",
        ),
    ]


def archive_window(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    return gui_rows.window_on(
        ctx, "scale-1m-window", lambda: ctx.archive(s.archive_articles), s.archive_articles
    )


def archive_import(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    n = s.archive_articles
    source = generate.short_articles_file(ctx.cache, n)
    ours, plain, ratio = _import_pair(
        ctx, n, s.archive_import_runs, 0, source=source, spans_each=2, keep=False
    )
    return [
        Figure(
            row="scale-1m-import",
            name="scale-1m-import",
            what=f"`annotator import` of {n:,} articles (~600 characters, 2 spans each) from JSONL",
            target=f"≤ {IMPORT_LIMIT:g}× reference",
            ours=ours,
            reference=plain,
            ratio=ratio,
            met=ratio.median <= IMPORT_LIMIT,
        )
    ]
