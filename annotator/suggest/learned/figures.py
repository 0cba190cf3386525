"""How close proposed spans come to an analyst's: precision, recall and F1, counted with exact
edges and with overlap.

A proposed span is right when an analyst's span of its label has the same start and end
(``exact``) or shares at least 80 % of both spans' characters (``overlap``: an edge off by a
word still counts, a sentence proposed for one of its clauses does not). Each analyst's span
is matched once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

OVERLAP = 0.8
HOW = ("exact", "overlap")

Edges = tuple[int, int]


def shared(a: Edges, b: Edges) -> float:
    """The share of the longer of two spans that both cover (0 to 1)."""
    common = min(a[1], b[1]) - max(a[0], b[0])
    if common <= 0:
        return 0.0
    return common / max(a[1] - a[0], b[1] - b[0])


def matches(proposed: Edges, wanted: Edges, how: str) -> bool:
    if how == "exact":
        return proposed == wanted
    return shared(proposed, wanted) >= OVERLAP


def count(proposed: Iterable[Edges], wanted: Iterable[Edges], how: str) -> tuple[int, int, int]:
    """(right proposals, proposals, wanted spans), each wanted span matched at most once."""
    free = sorted(wanted)
    right = total = 0
    for p in sorted(proposed):
        total += 1
        hit = next((i for i, w in enumerate(free) if matches(p, w, how)), None)
        if hit is not None:
            del free[hit]
            right += 1
    return right, total, right + len(free)


@dataclass
class Tally:
    """Counts added up over documents, and the figures they give."""

    right: int = 0
    proposed: int = 0
    wanted: int = 0

    def add(self, counts: tuple[int, int, int]) -> None:
        self.right += counts[0]
        self.proposed += counts[1]
        self.wanted += counts[2]

    @property
    def precision(self) -> float | None:
        return self.right / self.proposed if self.proposed else None

    @property
    def recall(self) -> float | None:
        return self.right / self.wanted if self.wanted else None

    @property
    def f1(self) -> float | None:
        total = self.proposed + self.wanted
        return 2 * self.right / total if total else None

    def to_json(self) -> dict[str, Any]:
        def rounded(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "precision": rounded(self.precision),
            "recall": rounded(self.recall),
            "f1": rounded(self.f1),
            "right": self.right,
            "proposed": self.proposed,
            "wanted": self.wanted,
        }


def shown(x: float | None) -> str:
    """A figure as a table prints it: two decimals, or a dash when there is nothing to count."""
    return "—" if x is None else f"{x:.2f}"
