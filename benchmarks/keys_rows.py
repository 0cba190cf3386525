"""How many keys an analyst presses to tag an article from the keyboard alone, counted by
replaying a keyboard-only session through the real window (see ``keyboard.py``).

Each session runs in a window process of its own (``gui_child``) on a fresh project holding
the articles' text alone. A count is reported only when the project then holds exactly the
gold spans and relations, and no suggestion is left undecided: the project is exported (as
``annotator export --include-suggestions`` writes it) and compared with the gold.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.context import ANNOTATOR, HERE, Context
from benchmarks.gui_rows import _child, window_problem
from benchmarks.measure import Figure, Stats

ARTICLE = HERE / "gold" / "keyboard.jsonl"
SAMPLES = HERE / "gold" / "samples.jsonl"
ARTICLE_TARGETS = {"plain": 150, "suggested": 90}
EVERY_KEY = ["meaning", "word", "char", "find"]
QT_KEYS = ["word", "char", "find"]
KINDS = ("navigation", "selection", "label", "relation", "suggestion")
# The sessions of one gold set: the window's keys, with F8 first, and Qt's own keys only.
MODES = {
    "plain": (EVERY_KEY, False),
    "suggested": (EVERY_KEY, True),
    "qt": (QT_KEYS, False),
}
QT_NOTE = (
    "Qt's own keys: Find, Ctrl/Shift+arrows, the label keys and the edge keys by character, "
    "without S, P, Q, Alt+Up/Down, Ctrl+Up/Down and the edge keys by word"
)


def gold_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line) for line in lines[:limit]]


def _project(ctx: Context, records: list[dict[str, Any]], name: str) -> Path:
    """A fresh project holding the records' text alone (no spans, no suggestions)."""
    from annotator.formats.importing import import_paths
    from annotator.store.project import Store

    texts = ctx.work / f"{name}.jsonl"
    texts.write_text(
        "".join(
            json.dumps(
                {"id": r["id"], "title": r.get("title") or r["id"], "text": r["text"]},
                ensure_ascii=False,
            )
            + "\n"
            for r in records
        ),
        encoding="utf-8",
    )
    path = ctx.fresh_path(f"{name}.db")
    with Store(path, ANNOTATOR) as store:
        report = import_paths(store, [texts])
    if not report.ok:
        raise RuntimeError(f"building {name}: {report.summary()}")
    return path


def _held(record: dict[str, Any]) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """A record's spans as (start, end, label) and relations as (head, child, type), each end
    by its span's (start, end, label)."""
    by_id = {s["id"]: (s["start"], s["end"], s["label"]) for s in record["spans"] if "id" in s}
    spans = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
    relations = {
        (by_id[r["head"]], by_id[r["child"]], r["label"]) for r in record.get("relations", [])
    }
    return spans, relations


def differences(project: Path, records: list[dict[str, Any]]) -> list[str]:
    """How the project differs from the gold records (nothing: it holds exactly them)."""
    from annotator.formats.exporting import export
    from annotator.store.project import Store

    out = project.with_suffix(".export.jsonl")
    with Store(project, ANNOTATOR) as store:
        export(store, "annotator", out, include_suggestions=True)
    exported = {r["id"]: r for r in gold_records(out)}
    problems = []
    for gold in records:
        got = exported.get(gold["id"])
        if got is None:
            problems.append(f"{gold['id']}: not exported")
            continue
        pending = [s for s in got["spans"] if s.get("origin") == "suggested"]
        if pending:
            problems.append(f"{gold['id']}: {len(pending)} suggestions left undecided")
        got_spans, got_relations = _held(
            {**got, "spans": [s for s in got["spans"] if s not in pending]}
        )
        want_spans, want_relations = _held(gold)
        for what, got_set, want_set in (
            ("spans", got_spans, want_spans),
            ("relations", got_relations, want_relations),
        ):
            if got_set != want_set:
                problems.append(
                    f"{gold['id']}: {what} missing {sorted(want_set - got_set)[:3]}, "
                    f"extra {sorted(got_set - want_set)[:3]}"
                )
    return problems


def session(ctx: Context, records: list[dict[str, Any]], name: str, mode: str) -> dict[str, Any]:
    """One keyboard session over ``records`` in a window process; its keys by document."""
    families, suggestions = MODES[mode]
    project = _project(ctx, records, f"keys-{name}-{mode}")
    chosen = ctx.work / f"keys-{name}.gold.jsonl"
    chosen.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    args = {
        "project": str(project),
        "gold": str(chosen),
        "families": families,
        "suggestions": suggestions,
    }
    data = _child(ctx, "keys", args, timeout=1800)
    if "na" in data:
        return data
    problems = differences(project, records)
    if problems:
        raise RuntimeError(f"the {mode} session did not end with the gold: {'; '.join(problems)}")
    return data


def totals(data: dict[str, Any]) -> dict[str, Any]:
    """Keys, spans, relations and keys of each kind over a session's documents."""
    documents = data["documents"]
    return {
        "keys": sum(d["keys"] for d in documents),
        "spans": sum(d["spans"] for d in documents),
        "relations": sum(d["relations"] for d in documents),
        "typed": sum(d["typed"] for d in documents),
        "retries": sum(d["retries"] for d in documents),
        "kinds": {k: sum(d["kinds"][k] for d in documents) for k in KINDS},
    }


def describe(t: dict[str, Any]) -> str:
    """ "172 keys, 6.4 a span: navigation 23, selection 101, ..." for a note."""
    kinds = ", ".join(f"{k} {t['kinds'][k]}" for k in KINDS if t["kinds"][k])
    return (
        f"{t['keys']} keys, {t['keys'] / t['spans']:.1f} a span ({kinds}; "
        f"{t['typed']} typed into Find)"
    )


def _figure(
    row: str,
    name: str,
    what: str,
    target: str,
    ours: dict[str, Any],
    reference: dict[str, Any],
    met: bool,
    note: str,
    runs: dict[str, Any],
) -> Figure:
    return Figure(
        row=row,
        name=name,
        what=what,
        target=target,
        ours=Stats([float(ours["keys"])]),
        reference=Stats([float(reference["keys"])]),
        ratio=Stats([ours["keys"] / reference["keys"]]),
        unit="count",
        met=met,
        note=note,
        extra={"totals": ours, "reference_totals": reference, "sessions": runs},
    )


def _sessions(ctx: Context, records: list[dict[str, Any]], name: str) -> dict[str, Any] | str:
    runs: dict[str, Any] = {}
    for mode in MODES:
        ctx.say(f"  {name}: a keyboard session ({mode})")
        data = session(ctx, records, name, mode)
        if "na" in data:
            return str(data["na"])
        runs[mode] = data
    return runs


def _na(row: str, names: list[str], what: str, reason: str) -> list[Figure]:
    return [Figure(row=row, name=n, what=what, target="", na=reason) for n in names]


def article(ctx: Context) -> list[Figure]:
    """The article written for this row (27 spans and 7 relations), with and without F8."""
    names = ["keys-article", "keys-article-suggested"]
    records = gold_records(ARTICLE)
    spans = sum(len(r["spans"]) for r in records)
    relations = sum(len(r.get("relations", [])) for r in records)
    what = f"keys to tag `gold/keyboard.jsonl` ({spans} spans, {relations} relations) from the keyboard"
    problem = window_problem()
    if problem:
        return _na("keys-article", names, what, f"window not available: {problem}")
    runs = _sessions(ctx, records, "article")
    if isinstance(runs, str):
        return _na("keys-article", names, what, runs)
    plain, suggested, qt = (totals(runs[m]) for m in ("plain", "suggested", "qt"))
    return [
        _figure(
            "keys-article",
            "keys-article",
            what + ", without suggestions (ours) and with Qt's own keys only (reference)",
            f"≤ {ARTICLE_TARGETS['plain']} keys",
            plain,
            qt,
            plain["keys"] <= ARTICLE_TARGETS["plain"],
            f"{describe(plain)}; reference: {QT_NOTE}, {describe(qt)}",
            runs,
        ),
        _figure(
            "keys-article",
            "keys-article-suggested",
            what + ", F8 first (ours) and without suggestions (reference)",
            f"≤ {ARTICLE_TARGETS['suggested']} keys",
            suggested,
            plain,
            suggested["keys"] <= ARTICLE_TARGETS["suggested"],
            describe(suggested),
            {},
        ),
    ]


def samples(ctx: Context) -> list[Figure]:
    """The sample articles' gold spans (no relations), with and without F8."""
    names = ["keys-samples", "keys-samples-suggested"]
    records = gold_records(SAMPLES, ctx.sizes.keys_samples)
    what = f"keys to tag {len(records)} sample articles' gold spans from the keyboard"
    problem = window_problem()
    if problem:
        return _na("keys-samples", names, what, f"window not available: {problem}")
    runs = _sessions(ctx, records, "samples")
    if isinstance(runs, str):
        return _na("keys-samples", names, what, runs)
    plain, suggested, qt = (totals(runs[m]) for m in ("plain", "suggested", "qt"))
    return [
        _figure(
            "keys-samples",
            "keys-samples",
            what + ", without suggestions (ours) and with Qt's own keys only (reference)",
            "fewer than with Qt's own keys",
            plain,
            qt,
            plain["keys"] < qt["keys"],
            f"{describe(plain)}; reference: {describe(qt)}",
            runs,
        ),
        _figure(
            "keys-samples",
            "keys-samples-suggested",
            what + ", F8 first (ours) and without suggestions (reference)",
            "fewer than without suggestions",
            suggested,
            plain,
            suggested["keys"] < plain["keys"],
            describe(suggested),
            {},
        ),
    ]
