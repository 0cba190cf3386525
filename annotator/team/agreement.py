"""How far analysts agree on spans: F1 (exact and overlapping) and Cohen's κ over characters.

For each pair of analysts, over the documents both marked done:

- **exact F1** per label = 2·m / (|A| + |B|): m spans of the label have the same start and end
  in both (counted as multisets: a span two analysts each made once is one match);
- **overlap F1** per label = (a + b) / (|A| + |B|): a of A's spans share at least one character
  with a span of the same label in B, and b of B's with one in A;
- **Cohen's κ** per label over characters: every character of those documents is coded 1 when a
  span of the label by the analyst covers it, else 0;
- **all labels**: F1 from the sums over labels, κ over (character, label) pairs.

F1 is None when neither analyst has a span of the label; κ is None where it is undefined
(both analysts code every unit the same constant way, or there are no units). The maths is
written here from the definitions; nothing is taken from a GPL package.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

SpanKey = tuple[int, int, int, str]  # (document, start, end, label)


@dataclass
class Tally:
    """The counts one label's figures are made from (they add up across labels)."""

    a_spans: int = 0
    b_spans: int = 0
    exact: int = 0  # m
    a_overlapping: int = 0  # a
    b_overlapping: int = 0  # b
    both: int = 0  # characters covered by both
    only_a: int = 0
    only_b: int = 0
    neither: int = 0

    def __iadd__(self, other: Tally) -> Tally:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def exact_f1(self) -> float | None:
        total = self.a_spans + self.b_spans
        return 2 * self.exact / total if total else None

    @property
    def overlap_f1(self) -> float | None:
        total = self.a_spans + self.b_spans
        return (self.a_overlapping + self.b_overlapping) / total if total else None

    @property
    def kappa(self) -> float | None:
        n = self.both + self.only_a + self.only_b + self.neither
        if n == 0:
            return None
        observed = (self.both + self.neither) / n
        p_a = (self.both + self.only_a) / n
        p_b = (self.both + self.only_b) / n
        expected = p_a * p_b + (1 - p_a) * (1 - p_b)
        if expected >= 1:
            return None
        return (observed - expected) / (1 - expected)

    def figures(self) -> dict[str, Any]:
        return {
            "a_spans": self.a_spans,
            "b_spans": self.b_spans,
            "exact_f1": self.exact_f1,
            "overlap_f1": self.overlap_f1,
            "kappa": self.kappa,
        }


@dataclass
class PairAgreement:
    a: str
    b: str
    documents: list[int]
    labels: dict[str, Tally]
    all: Tally
    by_document: dict[int, Tally] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "documents": len(self.documents),
            "labels": {name: tally.figures() for name, tally in self.labels.items()},
            "all": self.all.figures(),
        }


def _covered(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of half-open intervals, as sorted disjoint intervals."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _length(intervals: list[tuple[int, int]]) -> int:
    return sum(end - start for start, end in intervals)


def _intersection(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> int:
    """Characters in both unions, walking the two sorted lists together."""
    total = i = j = 0
    while i < len(x) and j < len(y):
        low, high = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if low < high:
            total += high - low
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return total


def _overlapping(mine: list[tuple[int, int]], theirs: list[tuple[int, int]]) -> int:
    """How many of ``mine`` share at least one character with one of ``theirs``."""
    union = _covered(theirs)
    count = 0
    for start, end in mine:
        # Any interval of the union that starts before this span ends and ends after it starts.
        lo, hi = 0, len(union)
        while lo < hi:  # the first union interval that ends after ``start``
            mid = (lo + hi) // 2
            if union[mid][1] <= start:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(union) and union[lo][0] < end:
            count += 1
    return count


def tally(length: int, a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> Tally:
    """One label in one document of ``length`` characters: A's and B's (start, end) spans."""
    exact = sum((Counter(a) & Counter(b)).values())
    ua, ub = _covered(a), _covered(b)
    both = _intersection(ua, ub)
    only_a, only_b = _length(ua) - both, _length(ub) - both
    return Tally(
        a_spans=len(a),
        b_spans=len(b),
        exact=exact,
        a_overlapping=_overlapping(list(a), list(b)),
        b_overlapping=_overlapping(list(b), list(a)),
        both=both,
        only_a=only_a,
        only_b=only_b,
        neither=length - both - only_a - only_b,
    )


def pair_agreement(
    a: str,
    b: str,
    documents: Sequence[int],
    lengths: Mapping[int, int],
    spans: Mapping[str, Iterable[SpanKey]],
    labels: Sequence[str],
) -> PairAgreement:
    """The agreement of analysts ``a`` and ``b`` over ``documents`` (those both marked done)."""
    chosen = set(documents)
    layer: dict[str, dict[tuple[int, str], list[tuple[int, int]]]] = {a: {}, b: {}}
    for who in (a, b):
        for doc, start, end, label in spans.get(who, ()):
            if doc in chosen and label in labels:
                layer[who].setdefault((doc, label), []).append((start, end))
    per_label = {label: Tally() for label in labels}
    per_document: dict[int, Tally] = {}
    for doc in sorted(chosen):
        here = Tally()
        for label in labels:
            t = tally(lengths[doc], layer[a].get((doc, label), []), layer[b].get((doc, label), []))
            per_label[label] += t
            here += t
        per_document[doc] = here
    overall = Tally()
    for t in per_label.values():
        overall += t
    return PairAgreement(a, b, sorted(chosen), per_label, overall, per_document)


def all_pairs(
    analysts: Iterable[str],
    done: Mapping[str, set[int]],
    lengths: Mapping[int, int],
    spans: Mapping[str, Iterable[SpanKey]],
    labels: Sequence[str],
) -> list[PairAgreement]:
    """Every pair of analysts, ``a`` before ``b`` in alphabetical order."""
    spans = {who: list(s) for who, s in spans.items()}
    return [
        pair_agreement(
            a, b, sorted(done.get(a, set()) & done.get(b, set())), lengths, spans, labels
        )
        for a, b in combinations(sorted(set(analysts)), 2)
    ]


def disagreements(pairs: Iterable[PairAgreement]) -> list[tuple[int, int, float | None]]:
    """Documents by how much their analysts disagree, most first.

    A document's disagreement is the number of spans, over every pair, that the other analyst
    did not make exactly (|A| + |B| - 2m); ties go to the lower exact F1, then document order.
    Returns (document, unmatched spans, exact F1 over its pairs).
    """
    unmatched: dict[int, Tally] = {}
    for pair in pairs:
        for doc, t in pair.by_document.items():
            unmatched.setdefault(doc, Tally())
            unmatched[doc] += t
    rows = [(doc, t.a_spans + t.b_spans - 2 * t.exact, t.exact_f1) for doc, t in unmatched.items()]
    rows.sort(key=lambda r: (-r[1], 1.0 if r[2] is None else r[2], r[0]))
    return rows
