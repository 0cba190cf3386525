"""Where each span of the open document sits in the view: Qt positions and text blocks.

The highlighter asks "which spans touch block n?" for every block it paints, and a change asks
"which blocks does this span touch?" so that only those are painted again. No Qt here.

A document's spans are handed over at once (:func:`place_all`) but placed as they are first
asked for, in text order: the blocks on screen at the top of a long article need only the
spans before their end, and the rest are placed while the window is idle. Every question
answers as if all of them had been placed at once.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate, pairwise
from operator import attrgetter

from annotator.model import Span
from annotator.offsets import OffsetMap

# setPlainText starts a new block after each of these (the stored text holds no "\r").
_BLOCK_BREAK = re.compile("[\n\u2029]")


@dataclass(slots=True)
class Placed:
    """A span in the view's units: UTF-16 positions and the blocks it covers."""

    span_id: int
    label: str
    qs: int
    qe: int
    first_block: int
    last_block: int

    @property
    def length(self) -> int:
        return self.qe - self.qs


def block_starts(text: str, offsets: OffsetMap) -> list[int]:
    """The UTF-16 position where each block of ``setPlainText(text)`` starts."""
    pieces = _BLOCK_BREAK.split(text) if "\u2029" in text else text.split("\n")
    return offsets.to_utf16_all(list(accumulate((len(p) + 1 for p in pieces[:-1]), initial=0)))


class SpanIndex:
    def __init__(self, starts: list[int]) -> None:
        self.starts = starts
        self._placed: dict[int, Placed] = {}
        self._by_block: dict[int, dict[int, Placed]] = {}
        # Spans handed over but not placed yet, by start; those before ``_next`` are placed.
        self._waiting: list[Span] = []
        self._waiting_starts: list[int] = []  # their code-point starts, to find where to stop
        self._waiting_ids: set[int] = set()
        self._next = 0
        self._offsets = OffsetMap("")

    # -- spans handed over, placed when asked for ------------------------------------------

    def hand_over(self, spans: list[Span], offsets: OffsetMap) -> None:
        """Take a document's spans, to be placed in text order as blocks are asked about."""
        if any(a.start > b.start for a, b in pairwise(spans)):
            spans = sorted(spans, key=attrgetter("start"))
        self._place_waiting()  # anything handed over before goes first
        self._waiting, self._next, self._offsets = spans, 0, offsets
        self._waiting_starts = [s.start for s in spans]
        self._waiting_ids = {s.id for s in spans if s.id is not None}

    def _place_through(self, block: int) -> None:
        """Place every waiting span that starts before the end of ``block``: then every span
        touching blocks up to ``block`` is placed."""
        if self._next >= len(self._waiting):
            return
        if block + 1 >= len(self.starts):
            self._place_waiting()
            return
        end = self._offsets.from_utf16(self.starts[block + 1])  # in code points, as spans
        stop = bisect_left(self._waiting_starts, end, self._next)
        if stop > self._next:
            self._place(stop)

    def _place_waiting(self) -> None:
        if self._next < len(self._waiting):
            self._place(len(self._waiting))

    def _place(self, stop: int) -> None:
        """Place the waiting spans up to ``stop``."""
        spans = self._waiting[self._next : stop]
        starts, placed, by_block = self.starts, self._placed, self._by_block
        qs_all = self._offsets.to_utf16_all([s.start for s in spans])
        qe_all = self._offsets.to_utf16_all([s.end for s in spans])
        waiting_ids = self._waiting_ids
        for s, qs, qe in zip(spans, qs_all, qe_all, strict=True):
            span_id = s.id
            assert span_id is not None
            waiting_ids.discard(span_id)
            first = bisect_right(starts, qs) - 1
            last = bisect_right(starts, qe - 1 if qe > qs else qs, first) - 1
            p = placed[span_id] = Placed(span_id, s.label, qs, qe, first, last)
            if first == last:  # most spans stay inside their paragraph
                here = by_block.get(first)
                if here is None:
                    by_block[first] = {span_id: p}
                else:
                    here[span_id] = p
            else:
                for n in range(first, last + 1):
                    by_block.setdefault(n, {})[span_id] = p
        self._next = stop
        if stop >= len(self._waiting):
            self._waiting, self._waiting_starts, self._next = [], [], 0
            self._waiting_ids = set()

    @property
    def complete(self) -> bool:
        """Whether every span handed over is placed."""
        return self._next >= len(self._waiting)

    # -- questions and changes ---------------------------------------------------------------

    @property
    def placed(self) -> dict[int, Placed]:
        """Every span, by id."""
        self._place_waiting()
        return self._placed

    def block_of(self, u16: int) -> int:
        return max(bisect_right(self.starts, u16) - 1, 0)

    def __contains__(self, span_id: int) -> bool:
        return span_id in self._placed or span_id in self._waiting_ids

    def add(self, span_id: int, label: str, qs: int, qe: int) -> range:
        """Place a span; returns the blocks to paint again."""
        if span_id in self._waiting_ids:
            self._place_waiting()  # never placed twice
        p = Placed(span_id, label, qs, qe, self.block_of(qs), self.block_of(max(qe - 1, qs)))
        self._placed[span_id] = p
        for n in range(p.first_block, p.last_block + 1):
            self._by_block.setdefault(n, {})[span_id] = p
        return range(p.first_block, p.last_block + 1)

    def remove(self, span_id: int) -> range:
        if span_id in self._waiting_ids:
            self._place_waiting()
        p = self._placed.pop(span_id, None)
        if p is None:
            return range(0)
        for n in range(p.first_block, p.last_block + 1):
            here = self._by_block.get(n)
            if here is not None:
                here.pop(span_id, None)
                if not here:
                    del self._by_block[n]
        return range(p.first_block, p.last_block + 1)

    def blocks(self) -> list[int]:
        """The blocks holding at least one span, in text order."""
        self._place_waiting()
        return sorted(self._by_block)

    def in_block(self, n: int) -> list[Placed]:
        self._place_through(n)
        here = self._by_block.get(n)
        return list(here.values()) if here else []

    def at(self, u16: int) -> list[Placed]:
        """Spans covering the character that starts at ``u16``, innermost (shortest) first."""
        hits = [p for p in self.in_block(self.block_of(u16)) if p.qs <= u16 < p.qe]
        return sorted(hits, key=lambda p: (p.length, p.span_id))

    def blocks_with(self, labels: set[str]) -> set[int]:
        """The blocks holding a span of one of ``labels``."""
        out: set[int] = set()
        for p in self.placed.values():
            if p.label in labels:
                out.update(range(p.first_block, p.last_block + 1))
        return out

    def __len__(self) -> int:
        return len(self._placed) + len(self._waiting) - self._next


def place_all(index: SpanIndex, spans: list[Span], offsets: OffsetMap) -> None:
    """Hand a whole document's spans to ``index`` (placed as they are asked for)."""
    index.hand_over(spans, offsets)
