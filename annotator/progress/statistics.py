"""Every figure about a project's progress, as plain JSON-able data.

:func:`figures` is what ``annotator stats --json`` prints, what ``annotator report`` draws,
and what a view of the window can show: one call, no Qt, nothing but dicts, lists, strings,
numbers and None. Its keys:

- ``documents``, ``documents_by_status``, ``documents_by_status_by_analyst``, ``spans``,
  ``spans_by_label``, ``spans_by_annotator``, ``suggestions``, ``suggestions_by_suggester``:
  the counts :meth:`Store.stats` gives (unchanged);
- ``analysts``: everyone with a status or spans of their own, by name;
- ``spans_by_label_by_analyst``: {analyst: {label: spans}} (suggestions left out);
- ``active_time``: seconds of work read from the history (see :mod:`annotator.store.activity`):
  ``break_after`` (the limit used), ``total``, ``by_analyst``, ``documents`` (how many someone
  worked on), ``median_per_document`` (None when none) and ``slowest`` (the documents with
  most, each {"id", "number", "title", "seconds"});
- ``done``: documents done, by the ``period`` ("day" or "week", UTC) they became done:
  ``overall`` (a document once, when the last of its analysts finished it) and
  ``by_analyst``;
- ``spans_per_hour``: {analyst: {"spans", "active_seconds", "spans_per_hour"}}: the spans
  the analyst made by hand (manual or curated) per hour of their active time (None when they
  have none);
- ``agreement_over_time``: in a project of several analysts, for each pair, how their
  agreement grew: see :func:`agreement_over_time`. Empty with fewer than two.

Seconds are rounded to the millisecond, rates and F1 to 4 decimal places, so the figures a
page shows are the figures themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from itertools import combinations
from typing import Any

from annotator.printable import printable
from annotator.store import activity
from annotator.store.project import Store
from annotator.team.agreement import Tally, tally

DEFAULT_SLOWEST = 10


def figures(
    store: Store,
    *,
    break_after: float = activity.DEFAULT_BREAK,
    period: str = "day",
    slowest: int = DEFAULT_SLOWEST,
) -> dict[str, Any]:
    """All of a project's figures (the keys are listed in the module's docstring)."""
    if period not in activity.PERIODS:
        raise ValueError(f"period must be one of {', '.join(activity.PERIODS)}, not {period!r}")
    out = store.stats()
    times = activity.active_times(store, break_after=break_after)
    done = activity.done_times(store)
    out["analysts"] = store.statuses.analysts()
    out["spans_by_label_by_analyst"] = spans_by_label_by_analyst(store)
    out["active_time"] = active_time(store, times, break_after, slowest)
    out["done"] = {
        "period": period,
        "overall": activity.count_by_period(
            activity.overall_done_times(store, done).values(), period
        ),
        "by_analyst": activity.done_per_period(store, period, done),
    }
    out["spans_per_hour"] = spans_per_hour(store, activity.by_analyst(times))
    out["agreement_over_time"] = agreement_over_time(store, period, done)
    return out


def spans_by_label_by_analyst(store: Store) -> dict[str, dict[str, int]]:
    """Each analyst's spans (not suggestions) of each label, every label listed."""
    names = [lab.name for lab in store.labels.all()]
    out: dict[str, dict[str, int]] = {}
    for who, label, count in store.conn.execute(
        "SELECT s.annotator, l.name, count(*) FROM spans s JOIN labels l ON l.id = s.label_id"
        " WHERE s.origin != 'suggested' GROUP BY s.annotator, l.name ORDER BY s.annotator"
    ):
        out.setdefault(who, dict.fromkeys(names, 0))[label] = count
    return out


def active_time(
    store: Store, times: Mapping[tuple[int, str], float], break_after: float, slowest: int
) -> dict[str, Any]:
    per_document = activity.by_document(times)
    top = activity.slowest(per_document, slowest)
    shown = {
        doc: (external, title)
        for doc, external, title in store.conn.execute(
            "SELECT id, external_id, title FROM documents WHERE id IN"
            f" ({', '.join('?' * len(top))})",
            [doc for doc, _ in top],
        )
    }
    return {
        "break_after": break_after,
        "total": round(sum(per_document.values()), 3),
        "by_analyst": activity.by_analyst(times),
        "documents": len(per_document),
        "median_per_document": activity.median_time(per_document),
        "slowest": [
            {
                "id": shown[doc][0] if shown[doc][0] is not None else str(doc),
                "number": doc,
                "title": shown[doc][1],
                "seconds": seconds,
            }
            for doc, seconds in top
            if doc in shown
        ],
    }


def spans_per_hour(store: Store, seconds: Mapping[str, float]) -> dict[str, dict[str, Any]]:
    """Spans made by hand per hour of active time, for every analyst with either."""
    made = dict(
        store.conn.execute(
            "SELECT annotator, count(*) FROM spans WHERE origin IN ('manual', 'curated')"
            " GROUP BY annotator"
        )
    )
    out: dict[str, dict[str, Any]] = {}
    for who in sorted(set(made) | set(seconds)):
        spent = seconds.get(who, 0.0)
        count = made.get(who, 0)
        out[who] = {
            "spans": count,
            "active_seconds": spent,
            "spans_per_hour": round(count * 3600 / spent, 4) if spent > 0 else None,
        }
    return out


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def agreement_over_time(
    store: Store,
    period: str = "day",
    done: Mapping[tuple[int, str], str] | None = None,
) -> list[dict[str, Any]]:
    """How each pair of analysts' agreement stood at the end of each period.

    A document counts for a pair from the period in which the later of the two finished it
    (both have it done now). At the end of each period in which some document came in, the
    pair's figures are those of ``annotator agreement`` over every document counted so far:
    exact and overlap F1 per label and for all labels (agreement.py's definitions). So the
    last point is the pair's agreement now. Returns, for each pair ``a`` before ``b``
    alphabetically, {"a", "b", "points": [{"period", "documents", "all": {"exact_f1",
    "overlap_f1"}, "labels": {label: {"exact_f1", "overlap_f1"}}}]}.
    """
    from annotator.team.curation import analyst_layers, lengths

    done = activity.done_times(store) if done is None else done
    by_analyst: dict[str, dict[int, str]] = {}
    for (doc, who), at in done.items():
        by_analyst.setdefault(who, {})[doc] = at
    layers = analyst_layers(store)
    analysts = sorted(set(layers) | set(by_analyst))
    if len(analysts) < 2:
        return []
    labels = [lab.name for lab in store.labels.all()]
    size = lengths(store)
    spans: dict[str, dict[tuple[int, str], list[tuple[int, int]]]] = {}
    for who, rows in layers.items():
        layer = spans.setdefault(who, {})
        for doc, start, end, label in rows:
            layer.setdefault((doc, label), []).append((start, end))
    out = []
    for a, b in combinations(analysts, 2):
        mine, theirs = by_analyst.get(a, {}), by_analyst.get(b, {})
        arrivals: dict[str, list[int]] = {}
        for doc in sorted(mine.keys() & theirs.keys()):
            later = max(
                (mine[doc], theirs[doc]), key=lambda at: activity.parse_time(at) or _EARLIEST
            )
            key = activity.period_of(later, period)
            if key is not None and doc in size:
                arrivals.setdefault(key, []).append(doc)
        out.append(
            {
                "a": a,
                "b": b,
                "points": _points(arrivals, labels, size, spans.get(a, {}), spans.get(b, {})),
            }
        )
    return out


def _points(
    arrivals: Mapping[str, list[int]],
    labels: Sequence[str],
    size: Mapping[int, int],
    a: Mapping[tuple[int, str], list[tuple[int, int]]],
    b: Mapping[tuple[int, str], list[tuple[int, int]]],
) -> list[dict[str, Any]]:
    so_far = {label: Tally() for label in labels}
    documents = 0
    points = []
    for key in sorted(arrivals):
        for doc in arrivals[key]:
            for label in labels:
                so_far[label] += tally(size[doc], a.get((doc, label), []), b.get((doc, label), []))
            documents += 1
        overall = Tally()
        for t in so_far.values():
            overall += t
        points.append(
            {
                "period": key,
                "documents": documents,
                "all": _f1(overall),
                "labels": {label: _f1(t) for label, t in so_far.items()},
            }
        )
    return points


def _f1(t: Tally) -> dict[str, float | None]:
    return {"exact_f1": _rounded(t.exact_f1), "overlap_f1": _rounded(t.overlap_f1)}


# Sorts before every real time, for a time the history holds that is not one.
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


def progress_lines(figures: Mapping[str, Any]) -> list[str]:
    """The progress figures as ``annotator stats`` prints them after the counts."""
    from annotator.store.activity import format_seconds

    active = figures["active_time"]
    lines = [
        f"Active time (a gap over {active['break_after']:g} s between changes is a break): "
        f"{format_seconds(active['total'])}"
    ]
    rates = figures["spans_per_hour"]
    for who, seconds in active["by_analyst"].items():
        rate = rates.get(who, {}).get("spans_per_hour")
        shown = "–" if rate is None else f"{rate:.1f}"
        lines.append(f"  {printable(who):<12} {format_seconds(seconds):<14} {shown} spans per hour")
    lines.append(
        f"Active time per document: median {format_seconds(active['median_per_document'])}"
        f" over {active['documents']} documents worked on"
    )
    if active["slowest"]:
        lines.append("Slowest documents:")
        for doc in active["slowest"]:
            lines.append(
                f"  {format_seconds(doc['seconds']):<14} {printable(doc['id']):<8} "
                f"{printable(doc['title'])}"
            )
    done = figures["done"]
    lines.append(f"Documents done per {done['period']} (UTC):")
    several = len(done["by_analyst"]) > 1
    periods = sorted(set(done["overall"]).union(*(set(c) for c in done["by_analyst"].values())))
    for key in periods:
        line = f"  {key:<12} {done['overall'].get(key, 0)}"
        if several:
            parts = [
                f"{printable(who)} {c[key]}" for who, c in done["by_analyst"].items() if key in c
            ]
            line += f"  ({', '.join(parts)})"
        lines.append(line)
    if not periods:
        lines.append("  none yet")
    for pair in figures["agreement_over_time"]:
        lines.append(
            f"Agreement of {printable(pair['a'])} and {printable(pair['b'])} over time "
            "(exact F1, all labels):"
        )
        for point in pair["points"]:
            f1 = point["all"]["exact_f1"]
            lines.append(
                f"  {point['period']:<12} {'–' if f1 is None else f'{f1:.3f}'}"
                f"  ({point['documents']} documents)"
            )
        if not pair["points"]:
            lines.append("  no document both have done yet")
    return lines
