"""Every figure about a project's progress, as plain JSON-able data, and as ``stats`` prints it.

:func:`figures` is what ``annotator stats --json`` prints, what ``annotator report`` draws,
and what a view of the window can show: one call, no Qt, nothing but dicts, lists, strings,
numbers and None. Its keys:

- ``documents``, ``documents_by_status``, ``suggestions``, ``suggestions_by_suggester``: the
  counts :meth:`Store.stats` gives (unchanged; ``documents_by_status`` is each document's
  overall status, as ``export --status`` reads it);
- ``spans``, ``spans_by_label``, ``spans_by_annotator``, ``documents_by_status_by_analyst``:
  the same keys, for the analysts' own work only: spans they made or imported (not
  suggestions, not curated spans), and the statuses of analysts (not of curators);
- ``analysts``: everyone with a status or spans of their own, by name, but for curators who
  did nothing else (see :func:`roles`); ``curators``: everyone who settled a document or
  made curated spans;
- ``spans_by_label_by_analyst``: {analyst: {label: spans}} (their own layer);
- ``curated``: the curated layer, apart from the analysts': ``spans``, ``spans_by_label``,
  ``settled`` (documents a curator settled) of ``documents`` (all the project's), and
  ``by_curator``: {curator: {"settled", "spans"}};
- ``active_time``: seconds of work read from the history (see :mod:`annotator.store.activity`):
  ``break_after`` (the limit used), ``total`` (everyone's), ``by_analyst``, ``by_curator``
  (curators who are no analyst), ``documents`` (how many someone worked on),
  ``median_per_document`` (None when none) and ``slowest`` (the documents with most, each
  {"id", "number", "title", "seconds"});
- ``done``: documents done, by the ``period`` ("day" or "week", UTC) they became done:
  ``overall`` (a document once, when the last of its analysts finished it) and
  ``by_analyst``; a curator's own statuses are left out;
- ``spans_per_hour``: {person: {"tagged", "curated", "in_bulk", "active_seconds",
  "spans_per_hour"}}: the spans the person made one at a time in their own layer
  (``tagged``) and in the curated layer (``curated``), those accepted many at once
  (``in_bulk``: all suggestions of a label, all agreed spans, ``curate --agreed``; see
  :func:`activity.spans_made`), and the spans made one at a time per hour of their active
  time (None when they have none). Bulk accepts are left out of the rate: a thousand spans
  accepted in a second are not a thousand spans tagged;
- ``agreement_over_time``: in a project of several analysts, for each pair, how their
  agreement grew: see :func:`agreement_over_time`. Empty with fewer than two.
- ``gold``: each analyst against the gold documents they did (see
  :func:`annotator.team.gold_scores.gold_over_time`): ``documents`` (gold documents),
  ``period``, ``analysts``: [{"analyst", "documents", "given", "all", "points": [{"period",
  "documents", "all"}]}], each period's figures over the gold documents done in it alone.

Measurements keep their precision, so that a program can compute with them: counts, and
seconds to the millisecond the history records. Figures derived from them are rounded to what
they mean: spans per hour to one decimal (the spans and seconds beside each rate give it
exactly), F1 to four places. What people read (:func:`text_lines`, the report, the window)
is rounded further: durations in seconds, minutes and hours, F1 to three places, shares in
whole percent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import combinations
from typing import Any

from annotator.model import STATUS_NAMES
from annotator.printable import printable
from annotator.store import activity
from annotator.store.project import Store
from annotator.team.agreement import Layer, Tally, add_spans
from annotator.team.agreement_arrays import Columns, as_layer, read_layers, running_tallies
from annotator.team.gold_scores import gold_over_time

DEFAULT_SLOWEST = 10


@dataclass(frozen=True)
class Roles:
    """Who did what in a project: ``analysts`` tag documents, ``curators`` settle them and
    make the curated layer; ``only_curators`` are curators with no span of their own, whose
    statuses and time are a curator's, not an analyst's."""

    analysts: list[str]
    curators: list[str]
    only_curators: frozenset[str]


# What Spans.tally gives: (origin, analyst, label, suggester, spans).
SpanCounts = list[tuple[str, str, str, str | None, int]]
ANALYST_ORIGINS = ("manual", "imported")


def roles(store: Store, tally: SpanCounts | None = None) -> Roles:
    """The project's analysts and curators, by name. A person who curated and also made or
    imported spans of their own is both; one who only curated is a curator alone, even when
    they gave documents a status (a curator may mark the documents they settled done).
    ``tally`` is ``store.spans.tally()``, when the caller has it already."""
    tally = store.spans.tally() if tally is None else tally
    own = {who for origin, who, _, _, _ in tally if origin in ANALYST_ORIGINS}
    curators = sorted(
        {r[0] for r in store.conn.execute("SELECT DISTINCT curator FROM curations")}
        | {who for origin, who, _, _, _ in tally if origin == "curated"}
    )
    only = frozenset(who for who in curators if who not in own)
    analysts = [who for who in store.statuses.analysts() if who not in only]
    return Roles(analysts, curators, only)


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
    tally = store.spans.tally()  # every span count, read once along an index
    out = store.stats(tally)
    who = roles(store, tally)
    read = activity.history(store)  # the history read once, for every figure made from it
    times = activity.active_times(store, break_after=break_after, read=read)
    out["analysts"] = who.analysts
    out["curators"] = who.curators
    by_label = spans_by_label_by_analyst(store, tally)
    out["spans_by_label"] = {
        label: sum(counts[label] for counts in by_label.values()) for label in out["spans_by_label"]
    }
    out["spans"] = sum(out["spans_by_label"].values())
    out["spans_by_annotator"] = {name: sum(counts.values()) for name, counts in by_label.items()}
    out["documents_by_status_by_analyst"] = {
        name: counts
        for name, counts in out["documents_by_status_by_analyst"].items()
        if name not in who.only_curators
    }
    out["spans_by_label_by_analyst"] = by_label
    out["curated"] = curated(store, out["documents"], tally)
    out["active_time"] = active_time(store, times, break_after, slowest, who.only_curators)
    finished = {
        who for who, counts in out["documents_by_status_by_analyst"].items() if counts["done"]
    }
    pairs = len(set(by_label) | finished) >= 2  # agreement needs two analysts
    done = activity.done_by_period(store, period, who.only_curators, times=pairs, read=read)
    out["done"] = {"period": period, "overall": done.overall, "by_analyst": done.by_analyst}
    # Spans made one at a time are read only when some are: a big imported archive has none.
    made = any(origin in ("manual", "curated") for origin, *_ in tally)
    out["spans_per_hour"] = spans_per_hour(
        activity.spans_made(store, read=read) if made else {}, activity.by_analyst(times)
    )
    out["agreement_over_time"] = (
        agreement_over_time(store, period, done.times, set(by_label))
        if done.times is not None
        else []
    )
    out["gold"] = gold_over_time(store, period)
    return out


def spans_by_label_by_analyst(
    store: Store, tally: SpanCounts | None = None
) -> dict[str, dict[str, int]]:
    """Each analyst's spans of their own layer (made or imported; not suggestions, not
    curated spans) of each label, every label listed."""
    names = [lab.name for lab in store.labels.all()]
    out: dict[str, dict[str, int]] = {}
    for origin, who, label, _, count in store.spans.tally() if tally is None else tally:
        if origin in ANALYST_ORIGINS:
            mine = out.setdefault(who, dict.fromkeys(names, 0))
            mine[label] = mine.get(label, 0) + count
    return {who: out[who] for who in sorted(out)}


def curated(store: Store, documents: int, tally: SpanCounts | None = None) -> dict[str, Any]:
    """The curated layer: its spans (by label), and the documents curators settled, of all
    ``documents``; for each curator, what they settled and the curated spans they made."""
    by_label = {lab.name: 0 for lab in store.labels.all()}
    made: dict[str, int] = {}
    for origin, who, label, _, count in store.spans.tally() if tally is None else tally:
        if origin == "curated":
            by_label[label] = by_label.get(label, 0) + count
            made[who] = made.get(who, 0) + count
    settled = dict(store.conn.execute("SELECT curator, count(*) FROM curations GROUP BY curator"))
    return {
        "spans": sum(by_label.values()),
        "spans_by_label": by_label,
        "settled": sum(settled.values()),
        "documents": documents,
        "by_curator": {
            who: {"settled": settled.get(who, 0), "spans": made.get(who, 0)}
            for who in sorted(set(made) | set(settled))
        },
    }


def active_time(
    store: Store,
    times: Mapping[tuple[int, str], float],
    break_after: float,
    slowest: int,
    only_curators: frozenset[str] = frozenset(),
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
    everyone = activity.by_analyst(times)
    return {
        "break_after": break_after,
        "total": round(sum(per_document.values()), 3),
        "by_analyst": {who: s for who, s in everyone.items() if who not in only_curators},
        "by_curator": {who: s for who, s in everyone.items() if who in only_curators},
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


def spans_per_hour(
    made: Mapping[str, Mapping[str, int]], seconds: Mapping[str, float]
) -> dict[str, dict[str, Any]]:
    """For everyone who made spans or has active time: the spans they made one at a time
    (``tagged`` in their own layer, ``curated`` in the curated one) per hour of their active
    time, and the spans they accepted in bulk (``in_bulk``), which the rate leaves out."""
    out: dict[str, dict[str, Any]] = {}
    for who in sorted(set(made) | set(seconds)):
        spent = seconds.get(who, 0.0)
        mine = made.get(who, {})
        one_at_a_time = mine.get("tagged", 0) + mine.get("curated", 0)
        out[who] = {
            "tagged": mine.get("tagged", 0),
            "curated": mine.get("curated", 0),
            "in_bulk": mine.get("in_bulk", 0),
            "active_seconds": spent,
            "spans_per_hour": round(one_at_a_time * 3600 / spent, 1) if spent > 0 else None,
        }
    return out


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def agreement_over_time(
    store: Store,
    period: str = "day",
    done: Mapping[tuple[int, str], str] | None = None,
    own: set[str] | None = None,
) -> list[dict[str, Any]]:
    """How each pair of analysts' agreement stood at the end of each period.

    A document counts for a pair from the period in which the later of the two finished it
    (both have it done now). At the end of each period in which some document came in, the
    pair's figures are those of ``annotator agreement`` over every document counted so far:
    exact and overlap F1 per label and for all labels (agreement.py's definitions). So the
    last point is the pair's agreement now. Returns, for each pair ``a`` before ``b``
    alphabetically, {"a", "b", "points": [{"period", "documents", "all": {"exact_f1",
    "overlap_f1"}, "labels": {label: {"exact_f1", "overlap_f1"}}}]}. ``own`` names the
    analysts with spans of their own, when the caller knows them: with fewer than two
    analysts, no span is read.
    """
    done = activity.done_times(store) if done is None else done
    # Each time read once, for every pair it is in: its instant and its period.
    by_analyst: dict[str, dict[int, tuple[datetime, str | None]]] = {}
    for (doc, who), at in done.items():
        by_analyst.setdefault(who, {})[doc] = (_instant(at), activity.period_of(at, period))
    if own is None:
        own = set(spans_by_label_by_analyst(store))
    analysts = sorted(own | set(by_analyst))
    if len(analysts) < 2:
        return []
    labels = [lab.name for lab in store.labels.all()]
    layers = read_layers(store, labels)
    out = []
    for a, b in combinations(analysts, 2):
        mine, theirs = by_analyst.get(a, {}), by_analyst.get(b, {})
        arrivals: dict[str, list[int]] = {}
        for doc in sorted(mine.keys() & theirs.keys()):
            (when, key), (their_when, their_key) = mine[doc], theirs[doc]
            if their_when > when:  # the later of the two; of two at one instant, a's
                key = their_key
            if key is not None:
                arrivals.setdefault(key, []).append(doc)
        points = _points_of(arrivals, labels, layers.get(a), layers.get(b))
        out.append({"a": a, "b": b, "points": points})
    return out


def _instant(at: str) -> datetime:
    return activity.parse_time(at) or _EARLIEST


def _points_of(
    arrivals: Mapping[str, list[int]], labels: Sequence[str], a: Columns | None, b: Columns | None
) -> list[dict[str, Any]]:
    """The pair's points, counted on arrays (in Python when the offsets are too large)."""
    counted = running_tallies(a, b, arrivals, len(labels))
    if counted is None:
        return _points(arrivals, labels, as_layer(a, labels), as_layer(b, labels))
    points = []
    for key, documents, tallies in counted:
        overall = Tally()
        for t in tallies:
            overall += t
        points.append(
            {
                "period": key,
                "documents": documents,
                "all": _f1(overall),
                "labels": {label: _f1(t) for label, t in zip(labels, tallies, strict=True)},
            }
        )
    return points


def _points(
    arrivals: Mapping[str, list[int]], labels: Sequence[str], a: Layer, b: Layer
) -> list[dict[str, Any]]:
    """The pair's points, document by document: what the arrays count, in Python."""
    so_far = {label: Tally() for label in labels}
    documents = 0
    points = []
    for key in sorted(arrivals):
        for doc in arrivals[key]:
            add_spans(so_far, a.get(doc, {}), b.get(doc, {}))  # F1 alone: no κ
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


def person(name: str, figures: Mapping[str, Any]) -> str:
    """A person's name as the figures show it: a curator who is no analyst says so."""
    return f"{name} (curator)" if name in curators_only(figures) else name


def curators_only(figures: Mapping[str, Any]) -> set[str]:
    """The curators who are no analyst, in ``figures``."""
    return set(figures.get("curators", [])) - set(figures.get("analysts", []))


def share(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage ("75%"); "–" of nothing."""
    return f"{round(100 * part / whole)}%" if whole else "–"


def rate_text(rate: float | None) -> str:
    """A rate of spans per hour as people read it: one decimal, thousands grouped."""
    return "–" if rate is None else f"{rate:,.1f}"


def made_text(row: Mapping[str, Any]) -> str:
    """What a person made, as the rate's note: "6 tagged and 1 curated one at a time, 3
    accepted in bulk"."""
    one = [f"{row[k]:,} {k}" for k in ("tagged", "curated") if row[k]]
    parts = [f"{' and '.join(one) if one else 'none'} one at a time"]
    if row["in_bulk"]:
        parts.append(f"{row['in_bulk']:,} accepted in bulk")
    return ", ".join(parts)


def text_lines(figures: Mapping[str, Any]) -> list[str]:
    """The figures as ``annotator stats`` prints them: the counts, then the progress."""
    from annotator.store.activity import format_seconds

    lines = [f"Documents: {figures['documents']:,}"]
    for status, count in figures["documents_by_status"].items():
        lines.append(f"  {STATUS_NAMES.get(status, status):<12} {count:,}")
    apart = (
        " (the analysts' own; the curated layer is below)" if figures["curated"]["spans"] else ""
    )
    lines.append(f"Spans: {figures['spans']:,}{apart}")
    for label, count in figures["spans_by_label"].items():
        lines.append(f"  {printable(label):<12} {count:,}")
    lines.append("Spans by annotator:")
    for name, count in figures["spans_by_annotator"].items():
        lines.append(f"  {printable(name):<12} {count:,}")
    lines += _curated_lines(figures["curated"])
    if figures["suggestions"]:
        lines.append(f"Suggestions (not yet accepted or rejected): {figures['suggestions']:,}")
        for name, by_label in figures["suggestions_by_suggester"].items():
            parts = ", ".join(f"{printable(label)} {n:,}" for label, n in by_label.items())
            lines.append(f"  {printable(name):<12} {parts}")
    active = figures["active_time"]
    lines.append(
        f"Active time (a gap over {format_seconds(active['break_after'])} between changes is"
        f" a break): {format_seconds(active['total'])}"
    )
    for who, seconds in {**active["by_analyst"], **active["by_curator"]}.items():
        lines.append(f"  {printable(person(who, figures)):<16} {format_seconds(seconds)}")
    rates = figures["spans_per_hour"]
    if rates:
        lines.append(
            "Spans per hour (tagged one at a time; accepts of many at once counted apart):"
        )
    for who, row in rates.items():
        lines.append(
            f"  {printable(person(who, figures)):<16} {rate_text(row['spans_per_hour']):>8}"
            f"  ({made_text(row)})"
        )
    lines.append(
        f"Active time per document: median {format_seconds(active['median_per_document'])}"
        f" over {active['documents']:,} documents worked on"
    )
    if active["slowest"]:
        lines.append("Slowest documents:")
        for doc in active["slowest"]:
            lines.append(
                f"  {format_seconds(doc['seconds']):<14} {printable(doc['id']):<8} "
                f"{printable(doc['title'])}"
            )
    lines += _done_lines(figures["done"])
    for pair in figures["agreement_over_time"]:
        lines.append(
            f"Agreement of {printable(pair['a'])} and {printable(pair['b'])} over time "
            "(exact F1, all labels):"
        )
        for point in pair["points"]:
            lines.append(
                f"  {point['period']:<12} {f1_text(point['all']['exact_f1']):<5}"
                f"  ({point['documents']:,} documents)"
            )
        if not pair["points"]:
            lines.append("  no document both have done yet")
    lines += _gold_lines(figures.get("gold") or {})
    return lines


def _gold_lines(gold: Mapping[str, Any]) -> list[str]:
    """Each analyst against gold: over every gold document they did, then per period."""
    if not gold.get("analysts"):
        return []
    lines = [
        f"Against gold ({gold['documents']:,} gold documents), exact F1 of each analyst's gold "
        f"documents done, overall and per {gold['period']}:"
    ]
    for row in gold["analysts"]:
        lines.append(
            f"  {printable(row['analyst']):<16} {f1_text(row['all']['exact_f1']):<5}"
            f"  ({_documents(row['documents'])})"
        )
        for point in row["points"]:
            lines.append(
                f"    {point['period']:<12} {f1_text(point['all']['exact_f1']):<5}"
                f"  ({_documents(point['documents'])})"
            )
    return lines


def _documents(count: int) -> str:
    return f"{count:,} document{'' if count == 1 else 's'}"


def f1_text(value: float | None) -> str:
    """An F1 as ``annotator agreement`` prints it: three places, "–" for none."""
    return "–" if value is None else f"{value:.3f}"


def _curated_lines(layer: Mapping[str, Any]) -> list[str]:
    if not layer["spans"] and not layer["settled"]:
        return []
    lines = [
        f"Curated layer: {layer['spans']:,} spans; settled {layer['settled']:,} of"
        f" {layer['documents']:,} documents ({share(layer['settled'], layer['documents'])})"
    ]
    for label, count in layer["spans_by_label"].items():
        lines.append(f"  {printable(label):<12} {count:,}")
    for who, row in layer["by_curator"].items():
        lines.append(
            f"  {printable(who):<12} settled {row['settled']:,}, made {row['spans']:,}"
            " curated spans"
        )
    return lines


def _done_lines(done: Mapping[str, Any]) -> list[str]:
    lines = [f"Documents done per {done['period']} (UTC):"]
    several = len(done["by_analyst"]) > 1
    periods = sorted(set(done["overall"]).union(*(set(c) for c in done["by_analyst"].values())))
    for key in periods:
        line = f"  {key:<12} {done['overall'].get(key, 0):,}"
        if several:
            parts = [
                f"{printable(who)} {c[key]:,}" for who, c in done["by_analyst"].items() if key in c
            ]
            line += f"  ({', '.join(parts)})"
        lines.append(line)
    if not periods:
        lines.append("  none yet")
    return lines
