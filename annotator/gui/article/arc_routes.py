"""Where relation arcs run: in the gap above each line and in the side margins, never over
a word, as brat and INCEpTION draw them.

An arc between two spans on one line hops over it in the gap above that line. An arc between
lines leaves the upper span's line in its gap, runs to the nearer side margin, down the
margin and along the gap above the lower span's line to it. Arcs that share a gap and overlap
are stacked: the shortest lowest, each one a level higher than any it would cross, up to as
many levels as the gap holds (the rest share the top level). Arcs that share a margin run in
lanes a few pixels apart. An end off screen is reached along the margin from that edge.

Plain geometry in pixels of the article's viewport: the overlay measures the ends and paints
the points.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

LEVEL_STEP = 3.0  # between stacked arcs in one gap
CLEARANCE = 3.0  # between the lowest arc and the line below it
LANE_STEP = 3.0  # between arcs running side by side down a margin
LANES = 3


@dataclass(frozen=True)
class End:
    """One end of an arc on screen: where it meets the top of its span's first line."""

    x: float
    line_top: float


@dataclass
class Route:
    """The points an arc passes through, from the head's end to the child's; None for an end
    off screen (the route then starts or stops at the viewport's edge)."""

    key: int
    points: list[tuple[float, float]] = field(default_factory=list)
    head_on_screen: bool = True
    child_on_screen: bool = True


@dataclass
class _Hop:
    """A stretch of an arc along one gap, waiting for its level."""

    gap: float  # the top of the line below the gap
    left: float
    right: float
    level: int = 1


@dataclass
class Margins:
    """The viewport's size and the text column's edges, for the side margins' lanes."""

    width: float
    height: float
    text_left: float
    text_right: float


def levels_in(line_gap: float) -> int:
    """How many arcs a gap of ``line_gap`` pixels holds one above another."""
    return max(1, int((line_gap - CLEARANCE - 2) // LEVEL_STEP) + 1)


def route(
    arcs: list[tuple[int, End | None, End | None, bool]], line_gap: float, margins: Margins
) -> list[Route]:
    """Routes for ``arcs`` given as (key, head end, child end, head comes first in the text).

    An end is None when it is off screen; the flag says on which side (the earlier span is
    above the view, the later one below).
    """
    hops: list[_Hop] = []
    plans: list[tuple[int, End | None, End | None, bool, list[_Hop], float | None]] = []
    lanes: dict[str, int] = defaultdict(int)
    for key, head, child, head_first in arcs:
        upper, lower = (head, child) if head_first else (child, head)
        if upper is not None and lower is not None and upper.line_top == lower.line_top:
            hop = _Hop(upper.line_top, min(upper.x, lower.x), max(upper.x, lower.x))
            hops.append(hop)
            plans.append((key, head, child, head_first, [hop], None))
            continue
        side = _side(upper, lower, margins)
        lane = lanes[side] % LANES
        lanes[side] += 1
        x = _lane_x(side, lane, margins)
        mine = []
        for end in (upper, lower):
            if end is not None:
                mine.append(_Hop(end.line_top, min(end.x, x), max(end.x, x)))
        hops.extend(mine)
        plans.append((key, head, child, head_first, mine, x))
    _stack(hops, levels_in(line_gap))
    routes = []
    for key, head, child, head_first, mine, lane_x in plans:
        upper, lower = (head, child) if head_first else (child, head)
        points = _points(upper, lower, mine, lane_x, margins)
        if not head_first:
            points.reverse()
        routes.append(Route(key, points, head is not None, child is not None))
    return routes


def _side(upper: End | None, lower: End | None, margins: Margins) -> str:
    """The margin nearer both ends (the right one when it is a tie)."""
    xs = [e.x for e in (upper, lower) if e is not None]
    to_left = sum(x - margins.text_left for x in xs)
    to_right = sum(margins.text_right - x for x in xs)
    return "left" if to_left < to_right else "right"


def _lane_x(side: str, lane: int, margins: Margins) -> float:
    if side == "left":
        return max(1.0, margins.text_left - 5 - lane * LANE_STEP)
    return min(margins.width - 1.0, margins.text_right + 5 + lane * LANE_STEP)


def _stack(hops: list[_Hop], most: int) -> None:
    """Give each hop the lowest level in its gap that no overlapping hop has taken, shortest
    first (so that a short arc sits under a long one, never across it)."""
    by_gap: dict[float, list[_Hop]] = defaultdict(list)
    for hop in hops:
        by_gap[hop.gap].append(hop)
    for shared in by_gap.values():
        placed: list[_Hop] = []
        for hop in sorted(shared, key=lambda h: (h.right - h.left, h.left)):
            taken = {p.level for p in placed if p.left <= hop.right + 2 and hop.left <= p.right + 2}
            level = 1
            while level in taken and level < most:
                level += 1
            hop.level = level
            placed.append(hop)


def _height(hop: _Hop) -> float:
    return hop.gap - CLEARANCE - (hop.level - 1) * LEVEL_STEP


def _points(
    upper: End | None,
    lower: End | None,
    hops: list[_Hop],
    x: float | None,
    margins: Margins,
) -> list[tuple[float, float]]:
    """From the upper end to the lower (or the left end to the right on one line)."""
    if x is None:  # one line
        (hop,) = hops
        assert upper is not None and lower is not None
        y = _height(hop)
        return [(upper.x, upper.line_top), (upper.x, y), (lower.x, y), (lower.x, lower.line_top)]
    points: list[tuple[float, float]] = []
    rest = list(hops)
    if upper is None:
        points.append((x, -4.0))
    else:
        y = _height(rest.pop(0))
        points += [(upper.x, upper.line_top), (upper.x, y), (x, y)]
    if lower is None:
        points.append((x, margins.height + 4.0))
    else:
        y = _height(rest.pop(0))
        points += [(x, y), (lower.x, y), (lower.x, lower.line_top)]
    return points
