"""The charts of a project's progress, drawn by matplotlib from :func:`statistics.figures`.

Each chart is a ``matplotlib.figure.Figure`` made without pyplot, so no window system and no
global state is touched: the report saves them as SVG, and a Qt view can put the same Figure
on a ``FigureCanvasQTAgg``. matplotlib is imported here, on the first chart drawn, never by
the everyday commands.

Every name, label and title is drawn as written: matplotlib reads text between two "$" as
TeX-like math, so each piece of text goes into a chart through :func:`plain`.

Each person keeps one colour in every chart (:func:`person_colours`): the colours go to the
names of everyone in the figures, in sorted order, so the report and the window, and every
chart in them, give one analyst the same colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from annotator.model import STATUS_NAMES, STATUSES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH, HEIGHT = 7.5, 3.2  # inches
STATUS_COLORS = {
    "new": "#b0b7c3",
    "in_progress": "#e3a33b",
    "done": "#3b9a5a",
    "skipped": "#8c6bb1",
}
#: A person's colour, in the order names are given them: ten strong colours, then ten light
#: ones (more people than that share a colour with someone twenty names before).
PERSON_COLOURS = (
    "#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2",
    "#b279a2", "#eeca3b", "#9d755d", "#ff9da6", "#79706e",
    "#9ecae9", "#ffbf79", "#88d27a", "#ff9d98", "#a6d9d4",
    "#d6a5c9", "#f5dc8a", "#d8b5a5", "#fcd2d9", "#bab0ac",
)  # fmt: skip
#: The series of everyone together (documents done overall): no person's colour.
EVERYONE_COLOUR = "#3d4450"


@dataclass
class Chart:
    key: str
    title: str
    figure: Figure


def charts(figures: Mapping[str, Any]) -> list[Chart]:
    """Every chart the figures allow, in the report's order (charts with no data left out)."""
    out: list[Chart] = []
    for key, title, draw in (
        ("status", "Documents by status", status_chart),
        ("labels", "Spans by label", labels_chart),
        ("done", "Documents done", done_chart),
        ("active", "Active time", active_chart),
        ("rate", "Spans per hour (tagged one at a time)", rate_chart),
        ("gold", "Exact F1 against gold, per period", gold_chart),
    ):
        figure = draw(figures)
        if figure is not None:
            out.append(Chart(key, title, figure))
    for i, pair in enumerate(figures.get("agreement_over_time", [])):
        figure = agreement_chart(pair)
        if figure is not None:
            out.append(Chart(f"agreement-{i}", f"Agreement of {pair['a']} and {pair['b']}", figure))
    return out


def person_colours(figures: Mapping[str, Any]) -> dict[str, str]:
    """Each person's colour: everyone the figures name (analysts, curators, anyone with
    active time or spans made), by sorted name, so the assignment does not depend on the
    chart."""
    active = figures.get("active_time") or {}
    names = set(figures.get("analysts") or []) | set(figures.get("curators") or [])
    names |= set(active.get("by_analyst") or {}) | set(active.get("by_curator") or {})
    names |= set(figures.get("spans_per_hour") or {})
    return {who: PERSON_COLOURS[i % len(PERSON_COLOURS)] for i, who in enumerate(sorted(names))}


def _name(who: str, figures: Mapping[str, Any]) -> str:
    """A person's name under a bar: a curator who is no analyst says so."""
    from annotator.progress.statistics import person

    return plain(person(who, figures))


def plain(text: str) -> str:
    """``text`` as matplotlib draws it literally: each "$" escaped, so that a headline with
    two prices is not set as math and a name such as "$x^^y$" does not stop the drawing.
    (Escaping rather than ``parse_math=False``: tick labels are made anew when drawn.)"""
    return text.replace("$", r"\$")


def _figure(height: float = HEIGHT) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


Series = Sequence[tuple[str, Sequence[float], str | None]]  # (name, values, colour)


def _grouped_bars(axes: Axes, categories: Sequence[str], series: Series) -> None:
    """One group of bars per category, one bar per series in each, in the series' colour."""
    count = max(len(series), 1)
    width = 0.8 / count
    for i, (name, values, colour) in enumerate(series):
        positions = [c + (i - (count - 1) / 2) * width for c in range(len(categories))]
        bars = axes.bar(positions, values, width, label=name, color=colour)
        if count == 1:
            axes.bar_label(bars, fontsize=8)
    axes.set_xticks(range(len(categories)), [plain(c) for c in categories])
    if count > 1:
        axes.legend(
            frameon=False, fontsize=8, ncols=min(count, 6), loc="lower right", bbox_to_anchor=(1, 1)
        )


def _people(
    figures: Mapping[str, Any], values: Mapping[str, Sequence[float]]
) -> list[tuple[str, Sequence[float], str | None]]:
    """One series per person, named as the figures show them, in their own colour."""
    colours = person_colours(figures)
    return [(_name(who, figures), v, colours.get(who)) for who, v in values.items()]


def _integers(axes: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def status_chart(figures: Mapping[str, Any]) -> Figure | None:
    if not figures.get("documents"):
        return None
    figure, axes = _figure()
    statuses = list(STATUSES)
    names = [STATUS_NAMES[s] for s in statuses]
    by_analyst = figures.get("documents_by_status_by_analyst") or {}
    if len(by_analyst) > 1:
        series = {who: [counts.get(s, 0) for s in statuses] for who, counts in by_analyst.items()}
        _grouped_bars(axes, names, _people(figures, series))
    else:
        counts = figures["documents_by_status"]
        bars = axes.bar(
            names,
            [counts.get(s, 0) for s in statuses],
            color=[STATUS_COLORS[s] for s in statuses],
        )
        axes.bar_label(bars, fontsize=8)
    axes.set_ylabel("documents")
    _integers(axes)
    return figure


def labels_chart(figures: Mapping[str, Any]) -> Figure | None:
    if not figures.get("spans"):
        return None
    figure, axes = _figure()
    labels = list(figures["spans_by_label"])
    by_analyst = figures.get("spans_by_label_by_analyst") or {}
    series = _people(
        figures, {who: [counts.get(lab, 0) for lab in labels] for who, counts in by_analyst.items()}
    )
    if len(series) < 2:  # one analyst's spans are all the spans, in their colour
        colour = series[0][2] if len(series) == 1 else None
        series = [("spans", [figures["spans_by_label"][lab] for lab in labels], colour)]
    _grouped_bars(axes, labels, series)
    axes.set_ylabel("spans")
    _integers(axes)
    return figure


def period_start(key: str) -> date:
    """The first day of a period key: "2026-11-30", or the Monday of ISO week "2026-W49"."""
    if "-W" in key:
        year, week = key.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    return date.fromisoformat(key)


#: A run of more empty periods than this is drawn as one gap, not a period each.
MAX_EMPTY_RUN = 7


@dataclass(frozen=True)
class Gap:
    """Periods with nothing in them, drawn as one narrow slot marked with how many."""

    periods: int


def timeline(keys: Sequence[str], period: str) -> list[str | Gap]:
    """The slots of a chart over the period ``keys`` (in order): each key, the few empty
    periods between two keys each, and a longer run of empty ones as one :class:`Gap`.

    So a chart costs what its periods with something in them cost: work a year apart, or an
    analyst whose clock was years out, does not draw (or save) every empty day between."""
    from annotator.store.activity import period_key

    step = 7 if period == "week" else 1
    out: list[str | Gap] = []
    for before, key in zip([None, *keys], keys, strict=False):
        if before is not None:
            empty = (period_start(key) - period_start(before)).days // step - 1
            if empty > MAX_EMPTY_RUN:
                out.append(Gap(empty))
            else:
                first = period_start(before)
                out.extend(
                    period_key(first + timedelta(days=step * i), period)
                    for i in range(1, empty + 1)
                )
        out.append(key)
    return out


def _period_ticks(axes: Axes, slots: Sequence[str | Gap], period: str) -> None:
    """Ticks under a timeline: about a dozen periods named, each gap marked with the number of
    periods it stands for, and a day given with its year where the year changes."""
    from matplotlib.transforms import blended_transform_factory

    step = max(1, len(slots) // 12)
    positions, names = [], []
    year = None
    for i, slot in enumerate(slots):
        if isinstance(slot, Gap):
            positions.append(i)
            names.append("…")
            axes.axvspan(i - 0.45, i + 0.45, color="#eef0f3", zorder=0)
            axes.text(
                i, 0.5, f"{slot.periods:,} {period}s",
                transform=blended_transform_factory(axes.transData, axes.transAxes),
                rotation=90, ha="center", va="center", fontsize=7, color="#56606d",
            )  # fmt: skip
            continue
        new_year = slot[:4] != year
        year = slot[:4]
        if new_year or i % step == 0:
            positions.append(i)
            names.append(slot[5:] if period == "day" and not new_year else slot)
    axes.set_xticks(positions, names)
    axes.set_xlim(-0.5, len(slots) - 0.5)


def done_chart(figures: Mapping[str, Any]) -> Figure | None:
    done = figures.get("done") or {}
    period = done.get("period", "day")
    overall: Mapping[str, int] = done.get("overall") or {}
    by_analyst: Mapping[str, Mapping[str, int]] = done.get("by_analyst") or {}
    keys = sorted(set(overall).union(*(set(c) for c in by_analyst.values())))
    if not keys:
        return None
    figure, axes = _figure()
    slots = timeline(keys, period)

    def counts(of: Mapping[str, int]) -> list[float]:
        return [float("nan") if isinstance(slot, Gap) else of.get(slot, 0) for slot in slots]

    series: list[tuple[str, Sequence[float], str | None]] = [
        ("all analysts finished", counts(overall), EVERYONE_COLOUR)
    ]
    if len(by_analyst) > 1:
        series += _people(figures, {who: counts(c) for who, c in by_analyst.items()})
    _grouped_bars(axes, [""] * len(slots), series)
    _period_ticks(axes, slots, period)
    axes.set_ylabel(f"documents per {period}")
    _integers(axes)
    return figure


def active_chart(figures: Mapping[str, Any]) -> Figure | None:
    active = figures.get("active_time") or {}
    people: Mapping[str, float] = {**active.get("by_analyst", {}), **active.get("by_curator", {})}
    slowest: Sequence[Mapping[str, Any]] = active.get("slowest") or []
    if not any(people.values()):
        return None
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT + 0.8), layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=[1, 2])
    for axes in (left, right):
        axes.spines[["top", "right"]].set_visible(False)
    unit, unit_name = _time_unit(max(people.values()))
    colours = person_colours(figures)
    bars = left.bar(
        [_name(who, figures) for who in people],
        [s / unit for s in people.values()],
        color=[colours[who] for who in people],
    )
    left.bar_label(bars, fmt="%.1f" if unit > 1 else "%.0f", fontsize=8)
    left.set_ylabel(unit_name)
    left.set_ylim(bottom=0)
    left.set_title("by person", fontsize=9)
    if slowest:
        unit, unit_name = _time_unit(max(d["seconds"] for d in slowest))
        names = [plain(_short(d["title"] or d["id"])) for d in slowest][::-1]
        right.barh(names, [d["seconds"] / unit for d in slowest][::-1], color="#e3a33b")
        right.set_xlabel(unit_name)
        right.tick_params(axis="y", labelsize=7)
        right.set_title("slowest documents", fontsize=9)
    else:
        right.set_visible(False)
    return figure


def _time_unit(longest: float) -> tuple[float, str]:
    """The unit a chart of durations up to ``longest`` seconds reads best in: seconds under
    two minutes, minutes under two hours, hours beyond."""
    if longest >= 7200:
        return 3600.0, "hours"
    if longest >= 120:
        return 60.0, "minutes"
    return 1.0, "seconds"


def _short(title: str, length: int = 32) -> str:
    return title if len(title) <= length else title[: length - 1] + "…"


def rate_chart(figures: Mapping[str, Any]) -> Figure | None:
    """Each person's spans per hour, made one at a time (bulk accepts are not in it)."""
    rates = {
        who: row["spans_per_hour"]
        for who, row in (figures.get("spans_per_hour") or {}).items()
        if row["spans_per_hour"] is not None
    }
    if not rates:
        return None
    figure, axes = _figure(HEIGHT - 0.4)
    colours = person_colours(figures)
    bars = axes.bar(
        [_name(who, figures) for who in rates],
        list(rates.values()),
        color=[colours[who] for who in rates],
    )
    axes.bar_label(bars, fmt="%.1f", fontsize=8)
    axes.set_ylabel("spans per hour\n(tagged one at a time)")
    axes.set_ylim(0, max(max(rates.values()) * 1.1, 1))  # no rate is below none
    return figure


def agreement_chart(pair: Mapping[str, Any]) -> Figure | None:
    points: Sequence[Mapping[str, Any]] = pair.get("points") or []
    if not points:
        return None
    figure, axes = _figure()
    period = "week" if "-W" in points[0]["period"] else "day"
    slots = timeline([p["period"] for p in points], period)
    where = {slot: i for i, slot in enumerate(slots) if isinstance(slot, str)}
    when = [where[p["period"]] for p in points]
    for label in points[-1]["labels"]:
        values = [p["labels"][label]["exact_f1"] for p in points]
        if any(v is not None for v in values):
            axes.plot(
                when,
                [float("nan") if v is None else v for v in values],
                linewidth=1,
                marker=".",
                label=plain(label),
            )
    axes.plot(
        when,
        [float("nan") if p["all"]["exact_f1"] is None else p["all"]["exact_f1"] for p in points],
        color="black",
        linewidth=2.2,
        marker="o",
        label="all labels",
    )
    axes.set_ylim(-0.02, 1.02)
    axes.set_ylabel("exact F1 so far")
    _period_ticks(axes, slots, period)
    axes.legend(frameon=False, fontsize=8, ncols=3, loc="lower right", bbox_to_anchor=(1, 1))
    return figure


def gold_chart(figures: Mapping[str, Any]) -> Figure | None:
    """Each analyst's exact F1 against gold in each period, over the gold documents they
    marked done in it: one line per analyst, in their colour."""
    gold = figures.get("gold") or {}
    rows: Sequence[Mapping[str, Any]] = [r for r in gold.get("analysts") or [] if r["points"]]
    if not rows:
        return None
    period = gold.get("period", "day")
    keys = sorted({p["period"] for row in rows for p in row["points"]})
    slots = timeline(keys, period)
    where = {slot: i for i, slot in enumerate(slots) if isinstance(slot, str)}
    figure, axes = _figure()
    colours = person_colours(figures)
    for row in rows:
        points = row["points"]
        axes.plot(
            [where[p["period"]] for p in points],
            [
                float("nan") if p["all"]["exact_f1"] is None else p["all"]["exact_f1"]
                for p in points
            ],
            color=colours.get(row["analyst"]),
            linewidth=1.8,
            marker="o",
            label=_name(row["analyst"], figures),
        )
    axes.set_ylim(-0.02, 1.02)
    axes.set_ylabel(f"exact F1 of the gold\ndocuments done that {period}")
    _period_ticks(axes, slots, period)
    axes.legend(frameon=False, fontsize=8, ncols=min(len(rows), 6), loc="lower right",
                bbox_to_anchor=(1, 1))  # fmt: skip
    return figure
