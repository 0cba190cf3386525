"""Rows that need no window: importing JSONL and exporting each format.

Each is timed as the user meets it: the ``annotator`` command as a whole process (start-up,
imports and all), beside the reference run as a process of its own
(``python -m benchmarks.reference``), so both sides pay the same interpreter start.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.context import ANNOTATOR, Context, child_env
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


def _process(args: list[str]) -> str:
    """Run one measured process; its standard output, or an error with what it said."""
    done = subprocess.run(args, capture_output=True, text=True, env=child_env(), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:6])}... failed: {done.stderr.strip()[-400:]}")
    return done.stdout


def annotator_command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "annotator", "--db", str(db), "--user", ANNOTATOR, *args]


def reference_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.reference", *args]


def _stored(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            conn.execute("SELECT count(*) FROM spans").fetchone()[0],
        )
    finally:
        conn.close()


def _import_pair(
    ctx: Context,
    n: int,
    runs: int,
    warmup: int,
    *,
    source: Path | None = None,
    spans_each: int = 5,
    keep: bool = True,
) -> tuple[Stats, Stats, Stats]:
    """Time `annotator import` of ``articles(n)`` (or of ``source``, ``n`` records of
    ``spans_each`` spans) beside the reference's; keeps our project unless told not to."""
    source = source or ctx.articles_file(n)
    _read_through(source)
    ours_db, reference_db = ctx.work / f"import-{n}.db", ctx.work / f"import-{n}-reference.db"
    counts: dict[str, tuple[int, int]] = {}

    def ours() -> None:
        out = _process(annotator_command(ours_db, "import", str(source)))
        if "0 records refused" not in out:
            raise RuntimeError(f"the import refused records: {out[:300]}")

    def plain() -> None:
        documents, spans = _process(
            reference_command("import", str(reference_db), str(source))
        ).split()
        counts["reference"] = (int(documents), int(spans))

    def prepare(side: str) -> None:
        ctx.fresh_path((ours_db if side == "ours" else reference_db).name)

    ctx.say(f"  importing {n:,} articles, {warmup + runs} times each (whole processes)")
    result = paired(ours, plain, runs=runs, warmup=warmup, prepare=prepare)
    counts["ours"] = _stored(ours_db)
    expected = (n, spans_each * n)
    for side, got in counts.items():
        if got != expected:
            raise RuntimeError(f"{side} imported {got} (documents, spans), expected {expected}")
    ctx.fresh_path(reference_db.name)
    if keep:
        ctx.keep_project(f"articles-{n}", ours_db)
    else:
        ctx.fresh_path(ours_db.name)
    return result


def import_small(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    ours, plain, ratio = _import_pair(ctx, s.articles, s.import_runs, s.warmup)
    return [
        Figure(
            row="import-10k",
            name="import-10k",
            what=f"`annotator import` of {s.articles:,} articles (~4 KB, 5 spans each) from JSONL",
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
            what=f"`annotator import` of {s.many_articles:,} articles from JSONL",
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


def _lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_row(fmt: str) -> Callable[[Context], list[Figure]]:
    def row(ctx: Context) -> list[Figure]:
        s = ctx.sizes
        project = ctx.project(s.articles)
        ours_file = ctx.work / f"export-{fmt}.jsonl"
        reference_file = ctx.work / f"export-{fmt}-reference.jsonl"
        counts: dict[str, tuple[int, int]] = {}

        def ours() -> None:
            # Every document, as the reference writes them (the other formats' default is
            # the documents marked done).
            command = annotator_command(project, "export", "--format", fmt, "--status", "any")
            _process([*command, "-o", str(ours_file)])
            counts["ours"] = (_lines(ours_file), -1)

        def plain() -> None:
            documents, spans = _process(
                reference_command("export", str(project), fmt, str(reference_file))
            ).split()
            counts["reference"] = (int(documents), int(spans))

        ctx.say(
            f"  exporting {s.articles:,} articles as {fmt}, {s.warmup + s.export_runs} times each"
        )
        ours_t, plain_t, ratio = paired(ours, plain, runs=s.export_runs, warmup=s.warmup)
        same = _digest(ours_file) == _digest(reference_file)
        if counts["ours"][0] != counts["reference"][0] or counts["ours"][0] != s.articles:
            raise RuntimeError(f"exported {counts} (documents, spans) from {s.articles} articles")
        ours_file.unlink()
        reference_file.unlink()
        return [
            Figure(
                row=f"export-{fmt}",
                name=f"export-{fmt}",
                what=f"`annotator export` of {s.articles:,} articles as {fmt} JSONL",
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


# The other formats. Those whose work is annotator's own are timed against annotator's JSONL
# export of the same project (what a format costs on top of reading the project and writing a
# line per document); spaCy's and brat's against the simplest code doing their work (the
# tokenizing and DocBin, a file pair per article), in benchmarks/reference.py.
OTHER_FORMATS = {  # format: (file name, reference work, target: at most this many times it)
    "label-studio": ("out.json", "jsonl", 2.0),
    "csv": ("out.csv", "jsonl", 2.0),
    "parquet": ("out.parquet", "jsonl", 2.0),
    "brat": ("out-brat", "brat", 2.0),
    "spacy": ("out.spacy", "docbin", 1.5),
}
_REFERENCE_NOTE = {
    "jsonl": "reference: the same project exported as annotator JSONL",
    "brat": "reference: plain .txt and .ann (T lines) per article, one sync at the end",
    "docbin": "reference: spacy.blank tokenizing each text, its spans, one DocBin",
}


def other_formats(ctx: Context) -> list[Figure]:
    s = ctx.sizes
    project = ctx.project(s.articles)
    figures = []
    for fmt, (name, work, limit) in OTHER_FORMATS.items():
        target = ctx.work / name
        baseline = ctx.work / f"reference-{name}"

        def clear(path: Path) -> None:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

        def ours(fmt: str = fmt, target: Path = target) -> None:
            clear(target)
            command = annotator_command(project, "export", "--format", fmt, "--status", "any")
            _process([*command, "-o", str(target)])

        def reference(work: str = work, baseline: Path = baseline) -> None:
            clear(baseline)
            if work == "jsonl":
                _process(annotator_command(project, "export", "-o", str(baseline)))
            else:
                _process(reference_command(work, str(project), str(baseline)))

        ctx.say(f"  exporting {s.articles:,} articles as {fmt}, against {work}")
        ours_t, base_t, ratio = paired(ours, reference, runs=max(3, s.export_runs - 2), warmup=1)
        figures.append(
            Figure(
                row="export-formats",
                name=f"export-{fmt}",
                what=f"`annotator export --format {fmt}` of {s.articles:,} articles",
                target=f"≤ {limit:g}× reference",
                ours=ours_t,
                reference=base_t,
                ratio=ratio,
                met=ratio.median <= limit,
                note=_REFERENCE_NOTE[work],
            )
        )
        clear(target)
        clear(baseline)
    return figures


CLI_START_LIMIT = 0.1  # seconds: `annotator --version` from spawn to exit


def cli_start(ctx: Context) -> list[Figure]:
    """The cost of starting the command at all, which every import and export pays."""
    s = ctx.sizes

    def ours() -> None:
        _process([sys.executable, "-m", "annotator", "--version"])

    def plain() -> None:
        _process([sys.executable, "-c", "pass"])

    ctx.say(f"  starting `annotator --version` {s.warmup + s.startup_runs} times")
    ours_t, plain_t, ratio = paired(ours, plain, runs=s.startup_runs, warmup=s.warmup)
    return [
        Figure(
            row="cli-start",
            name="cli-start",
            what="`annotator --version`, spawn to exit, beside `python -c pass`",
            target=f"median < {CLI_START_LIMIT * 1000:.0f} ms",
            ours=ours_t,
            reference=plain_t,
            ratio=ratio,
            met=ours_t.median < CLI_START_LIMIT,
        )
    ]
