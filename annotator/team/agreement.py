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


@dataclass(slots=True)
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
        # Field by field: this runs for every label of every document of every pair.
        self.a_spans += other.a_spans
        self.b_spans += other.b_spans
        self.exact += other.exact
        self.a_overlapping += other.a_overlapping
        self.b_overlapping += other.b_overlapping
        self.both += other.both
        self.only_a += other.only_a
        self.only_b += other.only_b
        self.neither += other.neither
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


def _overlapping(mine: Sequence[tuple[int, int]], union: list[tuple[int, int]]) -> int:
    """How many of ``mine`` share at least one character with the ``union`` of the other's
    spans (as :func:`_covered` gives it)."""
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


def _overlaps(mine: Sequence[tuple[int, int]], theirs: Sequence[tuple[int, int]]) -> int:
    """:func:`_overlapping`, for the few spans of one label in one document: each compared
    with each (quicker than a union and a search, for a handful)."""
    if len(mine) * len(theirs) > 64:
        return _overlapping(mine, _covered(theirs)) if theirs else 0
    count = 0
    for start, end in mine:
        for other_start, other_end in theirs:
            if other_start < end and start < other_end:
                count += 1
                break
    return count


def _matched(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Spans in both, as multisets (the one-span case, the commonest, without counting)."""
    if not a or not b:
        return 0
    if len(a) == 1 and len(b) == 1:
        return int(a[0] == b[0])
    mine, theirs = set(a), set(b)
    if len(mine) == len(a) and len(theirs) == len(b):  # no span twice: sets will do
        return len(mine & theirs)
    return sum((Counter(a) & Counter(b)).values())


def tally(length: int, a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> Tally:
    """One label in one document of ``length`` characters: A's and B's (start, end) spans."""
    if not a and not b:  # most labels of most documents: every character agrees
        return Tally(neither=length)
    if len(a) == 1 and len(b) == 1:  # the commonest case, worked out directly
        (a_start, a_end), (b_start, b_end) = a[0], b[0]
        both = max(0, min(a_end, b_end) - max(a_start, b_start))
        only_a, only_b = a_end - a_start - both, b_end - b_start - both
        shared = int(both > 0)
        return Tally(1, 1, int(a[0] == b[0]), shared, shared, both, only_a, only_b,
                     length - both - only_a - only_b)  # fmt: skip
    ua, ub = _covered(a), _covered(b)
    both = _intersection(ua, ub)
    only_a, only_b = _length(ua) - both, _length(ub) - both
    return Tally(
        a_spans=len(a),
        b_spans=len(b),
        exact=_matched(a, b),
        a_overlapping=_overlaps(a, b),
        b_overlapping=_overlaps(b, a),
        both=both,
        only_a=only_a,
        only_b=only_b,
        neither=length - both - only_a - only_b,
    )


def add_spans(
    per_label: dict[str, Tally],
    mine: Mapping[str, Sequence[tuple[int, int]]],
    theirs: Mapping[str, Sequence[tuple[int, int]]],
) -> None:
    """Add one document's counts that F1 is made from (spans, matches, overlaps) to
    ``per_label``, label by label, without the characters κ needs (A's spans ``mine`` and
    B's ``theirs``, by label): F1 over time, worked out for every document of every pair."""
    for label in mine.keys() | theirs.keys():
        so_far = per_label.get(label)
        if so_far is None:
            continue
        a, b = mine.get(label, ()), theirs.get(label, ())
        so_far.a_spans += len(a)
        so_far.b_spans += len(b)
        if not a or not b:
            continue
        if len(a) == 1 and len(b) == 1:
            (a_start, a_end), (b_start, b_end) = a[0], b[0]
            shared = int(a_start < b_end and b_start < a_end)
            so_far.exact += a[0] == b[0]
            so_far.a_overlapping += shared
            so_far.b_overlapping += shared
        else:
            so_far.exact += _matched(a, b)
            so_far.a_overlapping += _overlaps(a, b)
            so_far.b_overlapping += _overlaps(b, a)


Layer = dict[int, dict[str, list[tuple[int, int]]]]  # document -> label -> (start, end)


def layer_of(spans: Iterable[SpanKey], labels: set[str]) -> Layer:
    """One analyst's spans of ``labels``, by document and label."""
    layer: Layer = {}
    for doc, start, end, label in spans:
        if label in labels:
            layer.setdefault(doc, {}).setdefault(label, []).append((start, end))
    return layer


def pair_agreement(
    a: str,
    b: str,
    documents: Sequence[int],
    lengths: Mapping[int, int],
    spans: Mapping[str, Iterable[SpanKey]],
    labels: Sequence[str],
) -> PairAgreement:
    """The agreement of analysts ``a`` and ``b`` over ``documents`` (those both marked done)."""
    wanted = set(labels)
    layers = {who: layer_of(spans.get(who, ()), wanted) for who in (a, b)}
    return pair_of_layers(a, b, documents, lengths, layers[a], layers[b], labels)


def add_document(
    per_label: dict[str, Tally],
    length: int,
    mine: Mapping[str, Sequence[tuple[int, int]]],
    theirs: Mapping[str, Sequence[tuple[int, int]]],
) -> Tally:
    """Add one document of ``length`` characters to ``per_label``, label by label (A's spans
    ``mine`` and B's ``theirs``, by label); the document's own tally, every label's added."""
    here = Tally()
    for label, so_far in per_label.items():
        x, y = mine.get(label, ()), theirs.get(label, ())
        if not x and not y:  # neither tagged it here: every character agrees
            so_far.neither += length
            here.neither += length
            continue
        t = tally(length, x, y)
        so_far += t
        here += t
    return here


def pair_of_layers(
    a: str,
    b: str,
    documents: Sequence[int],
    lengths: Mapping[int, int],
    of_a: Layer,
    of_b: Layer,
    labels: Sequence[str],
) -> PairAgreement:
    """:func:`pair_agreement` of the two analysts' layers (as :func:`layer_of` gives them)."""
    chosen = sorted(set(documents))
    per_label = {label: Tally() for label in labels}
    per_document = {
        doc: add_document(per_label, lengths[doc], of_a.get(doc, {}), of_b.get(doc, {}))
        for doc in chosen
    }
    overall = Tally()
    for t in per_label.values():
        overall += t
    return PairAgreement(a, b, chosen, per_label, overall, per_document)


def all_pairs(
    analysts: Iterable[str],
    done: Mapping[str, set[int]],
    lengths: Mapping[int, int],
    spans: Mapping[str, Iterable[SpanKey]],
    labels: Sequence[str],
) -> list[PairAgreement]:
    """Every pair of analysts, ``a`` before ``b`` in alphabetical order."""
    wanted = set(labels)
    layers = {who: layer_of(s, wanted) for who, s in spans.items()}
    return pairs_of_layers(analysts, done, lengths, layers, labels)


def pairs_of_layers(
    analysts: Iterable[str],
    done: Mapping[str, set[int]],
    lengths: Mapping[int, int],
    layers: Mapping[str, Layer],
    labels: Sequence[str],
) -> list[PairAgreement]:
    """:func:`all_pairs` of the analysts' layers (each sorted by document once, for all the
    pairs it is in)."""
    return [
        pair_of_layers(
            a,
            b,
            sorted(done.get(a, set()) & done.get(b, set())),
            lengths,
            layers.get(a, {}),
            layers.get(b, {}),
            labels,
        )
        for a, b in combinations(sorted(set(analysts)), 2)
    ]


def disagreements(pairs: Iterable[PairAgreement]) -> list[tuple[int, int, float | None]]:
    """Documents by how much their analysts disagree, most first.

    A document's disagreement is the number of spans, over every pair, that the other analyst
    did not make exactly (|A| + |B| - 2m); ties go to the lower exact F1, then document order.
    Returns (document, unmatched spans, exact F1 over its pairs).
    """
    # Of each document's tallies only the spans and the matches count here: two sums, kept
    # in a list a document (a Tally a document, added field by field, took most of the time).
    sums: dict[int, list[int]] = {}
    for pair in pairs:
        for doc, t in pair.by_document.items():
            so_far = sums.get(doc)
            if so_far is None:
                sums[doc] = [t.a_spans + t.b_spans, t.exact]
            else:
                so_far[0] += t.a_spans + t.b_spans
                so_far[1] += t.exact
    rows = [
        (doc, spans - 2 * exact, 2 * exact / spans if spans else None)
        for doc, (spans, exact) in sums.items()
    ]
    rows.sort(key=lambda r: (-r[1], 1.0 if r[2] is None else r[2], r[0]))
    return rows
