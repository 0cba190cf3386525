"""Figures: timings of our code beside a reference, their summary and their formatting."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Stats:
    """Samples of one quantity (seconds, a ratio or megabytes) and their summary."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile: the smallest sample with at least ``q``% at or below it."""
        ordered = sorted(self.samples)
        rank = max(math.ceil(q / 100 * len(ordered)), 1)
        return ordered[rank - 1]

    def summary(self) -> dict[str, float | int]:
        return {
            "n": len(self.samples),
            "median": self.median,
            "min": self.min,
            "max": self.max,
            "p50": self.percentile(50),
            "p95": self.percentile(95),
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.summary(), "samples": self.samples}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Stats | None:
        return cls(list(data["samples"])) if data else None


@dataclass
class Figure:
    """One line of the report: our time, the reference's time, their ratio, and the target.

    ``headline`` is the statistic the target is about ("median" or "p95"); ``unit`` is "s"
    for times (shown as s or ms) or "MB". A figure that could not be measured has ``na``.
    """

    row: str
    name: str
    what: str
    target: str
    ours: Stats | None = None
    reference: Stats | None = None
    ratio: Stats | None = None  # ours / reference, pair by pair
    headline: str = "median"
    unit: str = "s"
    met: bool | None = None
    note: str = ""
    na: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def value(self, which: str = "ours") -> float | None:
        stats = getattr(self, which)
        if stats is None:
            return None
        return stats.median if self.headline == "median" else stats.percentile(95)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("ours", "reference", "ratio"):
            stats = getattr(self, key)
            data[key] = stats.to_json() if stats else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        data = dict(data)
        for key in ("ours", "reference", "ratio"):
            data[key] = Stats.from_json(data.get(key))
        return cls(**data)


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def paired(
    ours: Callable[[], Any],
    reference: Callable[[], Any],
    *,
    runs: int,
    warmup: int = 1,
    prepare: Callable[[str], None] | None = None,
) -> tuple[Stats, Stats, Stats]:
    """Time ``ours`` and ``reference`` in turn (A B B A A B ...), ``runs`` counted pairs each.

    The order swaps every pair so a drift of the machine's speed does not favour one side;
    the ratio is taken pair by pair. ``prepare("ours")`` or ``prepare("reference")`` runs
    before each timed call of that side, untimed.
    """
    times: dict[str, list[float]] = {"ours": [], "reference": []}
    for i in range(warmup + runs):
        order = [("ours", ours), ("reference", reference)]
        for key, fn in order if i % 2 == 0 else order[::-1]:
            if prepare:
                prepare(key)
            elapsed = timed(fn)[0]
            if i >= warmup:
                times[key].append(elapsed)
    a, b = times["ours"], times["reference"]
    return Stats(a), Stats(b), Stats([x / y for x, y in zip(a, b, strict=True)])


def _scale(value: float, unit: str) -> tuple[float, str, int]:
    """How to show ``value``: (factor, suffix, decimals), chosen by its size."""
    if unit == "MB":
        return 1, " MB", 0
    if unit == "x":
        return 1, "×", 2
    if unit == "count":
        return 1, "", 0
    if unit == "fraction":  # precision, recall
        return 1, "", 2
    if value >= 1:
        return 1, " s", 2
    if value >= 0.1:
        return 1000, " ms", 0
    return 1000, " ms", 1


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    factor, suffix, decimals = _scale(value, unit)
    return f"{value * factor:.{decimals}f}{suffix}"


def format_stats(stats: Stats | None, unit: str, headline: str = "median") -> str:
    """``1.23 s (1.20–1.31)``: the median, then min–max in the median's unit."""
    if stats is None:
        return "—"
    if headline == "p95":
        return (
            f"p95 {format_value(stats.percentile(95), unit)}"
            f" (p50 {format_value(stats.percentile(50), unit)})"
        )
    if len(stats.samples) == 1:
        return format_value(stats.median, unit)
    factor, _, decimals = _scale(stats.median, unit)
    low, high = (f"{v * factor:.{decimals}f}" for v in (stats.min, stats.max))
    return f"{format_value(stats.median, unit)} ({low}–{high})"
