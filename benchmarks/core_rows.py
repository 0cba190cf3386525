"""Rows that need no window: importing JSONL and exporting each format."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from benchmarks import reference
from benchmarks.context import ANNOTATOR, Context
from benchmarks.measure import Figure, Stats, paired

IMPORT_LIMIT = 2.0  # import-10k: at most this many times the reference
GROWTH_SLACK = 1.1  # import-100k: at most 10× the articles → 11× the time
EXPORT_LIMIT = 1.5
EXPORT_FORMATS = ("annotator", "prodigy", "doccano")


def _count(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def _read_through(path: Path) -> None:
    """Read a file once so that every timed run finds it in the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def _import_pair(ctx: Context, n: int, runs: int, warmup: int) -> tuple[Stats, Stats, Stats]:
    """Time annotator's import of ``articles(n)`` beside the reference's; keeps our project."""
    from annotator.importers import import_paths
    from annotator.store import Store

    source = ctx.articles_file(n)
    _read_through(source)
    ours_db, reference_db = ctx.work / f"import-{n}.db", ctx.work / f"import-{n}-reference.db"
    counts: dict[str, tuple[int, int]] = {}

    def ours() -> None:
        with Store(ours_db, ANNOTATOR) as store:
            report = import_paths(store, [source])
        if not report.ok:
            raise RuntimeError(f"the import refused records: {report.refused[:3]}")
        counts["ours"] = (report.documents_added, report.spans_added)

    def plain() -> None:
        counts["reference"] = reference.import_jsonl(reference_db, source, ANNOTATOR)

    def prepare(side: str) -> None:
        ctx.fresh_path((ours_db if side == "ours" else reference_db).name)

    ctx.say(f"  importing {n:,} articles, {warmup + runs} times each")
    result = paired(ours, plain, runs=runs, warmup=warmup, prepare=prepare)
    expected = (n, 5 * n)
    for side, got in counts.items():
        if got != expected:
            raise RuntimeError(f"{side} imported {got} (documents, spans), expected {expected}")
    ctx.fresh_path(reference_db.name)
    ctx.keep_project(f"articles-{n}", ours_db)
    return result


def import_small(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    ours, plain, ratio = _import_pair(ctx, s.articles, s.import_runs, s.warmup)
    return [
        Figure(
            row="import-10k",
            name="import-10k",
            what=f"import {s.articles:,} articles (~3 KB, 5 spans each) from JSONL",
            target=f"≤ {IMPORT_LIMIT:g}× reference",
            ours=ours,
            reference=plain,
            ratio=ratio,
            met=ratio.median <= IMPORT_LIMIT,
        )
    ]


def import_large(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    scale = s.many_articles / s.articles
    limit = GROWTH_SLACK * scale
    small = ctx.figure("import-10k")
    if small is None:  # run alone: time the smaller import too, for the growth
        ctx.say("  (import-10k was not run: timing it for the growth ratio)")
        small_ours, small_plain, _ = _import_pair(ctx, s.articles, s.import_runs, 0)
    else:
        assert small.ours is not None and small.reference is not None
        small_ours, small_plain = small.ours, small.reference
    ours, plain, ratio = _import_pair(ctx, s.many_articles, s.many_import_runs, 0)
    growth = ours.median / small_ours.median
    fastest_growth = ours.min / small_ours.min  # less noisy on a busy machine
    reference_growth = plain.median / small_plain.median
    return [
        Figure(
            row="import-100k",
            name="import-100k",
            what=f"import {s.many_articles:,} articles from JSONL",
            target=f"≤ {limit:g}× import-10k (linear)",
            ours=ours,
            reference=plain,
            ratio=ratio,
            met=growth <= limit,
            note=f"growth {_count(s.many_articles)}/{_count(s.articles)}: {growth:.2f}× of the "
            f"medians, {fastest_growth:.2f}× of the fastest runs (reference {reference_growth:.2f}×)",
            extra={
                "growth": growth,
                "fastest_growth": fastest_growth,
                "reference_growth": reference_growth,
                "scale": scale,
            },
        )
    ]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_row(fmt: str) -> Callable[[Context], list[Figure]]:
    def row(ctx: Context) -> list[Figure]:
        from annotator.exporters import export
        from annotator.store import Store

        s = ctx.sizes
        project = ctx.project(s.articles)
        ours_file = ctx.work / f"export-{fmt}.jsonl"
        reference_file = ctx.work / f"export-{fmt}-reference.jsonl"
        counts: dict[str, tuple[int, int]] = {}

        def ours() -> None:
            with Store(project, ANNOTATOR) as store:
                report = export(store, fmt, ours_file)
            counts["ours"] = (report.documents, report.spans)

        def plain() -> None:
            counts["reference"] = reference.export_jsonl(project, fmt, reference_file)

        ctx.say(
            f"  exporting {s.articles:,} articles as {fmt}, {s.warmup + s.export_runs} times each"
        )
        ours_t, plain_t, ratio = paired(ours, plain, runs=s.export_runs, warmup=s.warmup)
        same = _digest(ours_file) == _digest(reference_file)
        if counts["ours"] != counts["reference"] or counts["ours"][0] != s.articles:
            raise RuntimeError(f"exported {counts} (documents, spans) from {s.articles} articles")
        ours_file.unlink()
        reference_file.unlink()
        return [
            Figure(
                row=f"export-{fmt}",
                name=f"export-{fmt}",
                what=f"export {s.articles:,} articles as {fmt} JSONL",
                target=f"≤ {EXPORT_LIMIT:g}× reference",
                ours=ours_t,
                reference=plain_t,
                ratio=ratio,
                met=ratio.median <= EXPORT_LIMIT,
                note="same bytes as the reference" if same else "output differs from the reference",
                extra={"same_output": same},
            )
        ]

    return row
