"""Where each span of the open document sits in the view: Qt positions and text blocks.

The highlighter asks "which spans touch block n?" for every block it paints, and a change asks
"which blocks does this span touch?" so that only those are painted again. No Qt here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

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
        self.placed: dict[int, Placed] = {}
        self._by_block: dict[int, dict[int, Placed]] = {}

    def block_of(self, u16: int) -> int:
        return max(bisect_right(self.starts, u16) - 1, 0)

    def add(self, span_id: int, label: str, qs: int, qe: int) -> range:
        """Place a span; returns the blocks to paint again."""
        p = Placed(span_id, label, qs, qe, self.block_of(qs), self.block_of(max(qe - 1, qs)))
        self.placed[span_id] = p
        for n in range(p.first_block, p.last_block + 1):
            self._by_block.setdefault(n, {})[span_id] = p
        return range(p.first_block, p.last_block + 1)

    def remove(self, span_id: int) -> range:
        p = self.placed.pop(span_id, None)
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
        return sorted(self._by_block)

    def in_block(self, n: int) -> list[Placed]:
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
        return len(self.placed)


def place_all(index: SpanIndex, spans: list[Span], offsets: OffsetMap) -> None:
    """Place a whole document's spans: what :meth:`SpanIndex.add` does for each, in one pass."""
    starts, placed, by_block = index.starts, index.placed, index._by_block
    qs_all = offsets.to_utf16_all([s.start for s in spans])
    qe_all = offsets.to_utf16_all([s.end for s in spans])
    for s, qs, qe in zip(spans, qs_all, qe_all, strict=True):
        span_id = s.id
        assert span_id is not None
        first = bisect_right(starts, qs) - 1
        last = bisect_right(starts, qe - 1 if qe > qs else qs) - 1
        p = placed[span_id] = Placed(span_id, s.label, qs, qe, first, last)
        for n in range(first, last + 1):
            here = by_block.get(n)
            if here is None:
                by_block[n] = {span_id: p}
            else:
                here[span_id] = p
