"""Agreement counted on arrays: every analyst's spans read at once as columns of numbers, and
the counts :mod:`annotator.team.agreement` makes its figures from worked out for every
document and label of a pair together, with numpy.

A team's project holds hundreds of thousands of spans; looked at one by one in Python (a few
dictionary look-ups a span, a tally a document and label) they took seconds. The counts are
the same integers either way: agreement.py defines them and keeps the reference code, which
the tests compare with this, and which still measures a single document.

Each span is placed in a group, one for every (document, label) of the pair's documents:
``group = position of the document × labels + label``. Offsets in a group are shifted by
``group × width`` (width: more than any span's end), so that sorting the shifted offsets
sorts by group, then by offset, and one pass over them does every group at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.store.activity import name_codes, numbers
from annotator.store.project import Store
from annotator.team.agreement import Layer, PairAgreement, Tally

CURATED = "curated"  # the curated layer's name, as agreement tables show it

if TYPE_CHECKING:
    import numpy as np

# Every span of the layers asked for (the analysts' own, or the curated one) as five lists in one
# row (the names joined by activity.SEPARATOR, with how many there are): one scan of the
# table, no sort by analyst (which took longer than the scan).
_LAYERS = """
    SELECT group_concat(annotator, char(31)), count(*), group_concat(document_id),
           group_concat(label_id), group_concat(start), group_concat("end")
    FROM spans WHERE origin {origins}"""

# Shifted offsets stay below 2**62: far from int64's limit, checked before they are made.
_LIMIT = 1 << 62


@dataclass(frozen=True)
class Columns:
    """One layer's spans of the labels asked for: document ids, labels (their place in the
    list asked for), starts and ends, one entry a span, in no particular order."""

    doc: np.ndarray
    label: np.ndarray
    start: np.ndarray
    end: np.ndarray


def read_layers(
    store: Store, labels: Sequence[str], *, curated: bool = False
) -> dict[str, Columns]:
    """Each analyst's spans of ``labels`` (made or imported), or with ``curated`` the curated
    layer's under its name: one statement, one row a layer."""
    import numpy as np

    ids = {name: i for i, name in enumerate(labels)}
    place = {
        label_id: ids[name]
        for label_id, name in store.conn.execute("SELECT id, name FROM labels")
        if name in ids
    }
    origins = "= 'curated'" if curated else "IN ('manual', 'imported')"
    names, rows, *columns = store.conn.execute(_LAYERS.format(origins=origins)).fetchone()
    if not rows:
        return {}
    doc, label_id, start, end = (numbers(text) for text in columns)
    lookup = np.full(max([int(label_id.max()), *place]) + 1, -1, dtype=np.int64)
    for known, i in place.items():
        lookup[known] = i
    label = lookup[label_id]
    if curated:
        layer = {CURATED: label >= 0}
    else:
        who, codes = name_codes(
            names,
            rows,
            lambda: store.conn.execute(
                f"SELECT json_group_array(annotator) FROM spans WHERE origin {origins}"
            ).fetchone()[0],
        )
        layer = {name: (codes == i) & (label >= 0) for i, name in enumerate(who)}
    return {
        name: Columns(doc[keep], label[keep], start[keep], end[keep])
        for name, keep in layer.items()
        if keep.any()  # a layer with no span of these labels is no layer, as in layer_of
    }


def as_layer(columns: Columns | None, labels: Sequence[str]) -> Layer:
    """The columns as agreement.py's layers (document → label → spans), for its own code."""
    layer: Layer = {}
    if columns is None:
        return layer
    values = (c.tolist() for c in (columns.doc, columns.label, columns.start, columns.end))
    rows = zip(*values, strict=True)
    for doc, label, start, end in rows:
        layer.setdefault(doc, {}).setdefault(labels[label], []).append((start, end))
    return layer


@dataclass(frozen=True)
class Grouped:
    """One side's spans on the pair's documents, each with its group."""

    group: np.ndarray
    start: np.ndarray
    end: np.ndarray


def _grouped(side: Columns | None, documents: np.ndarray, labels: int) -> Grouped:
    import numpy as np

    if side is None or len(documents) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Grouped(empty, empty, empty)
    at = np.searchsorted(documents, side.doc)
    found = at < len(documents)
    found[found] = documents[at[found]] == side.doc[found]
    return Grouped(at[found] * labels + side.label[found], side.start[found], side.end[found])


@dataclass
class GroupCounts:
    """The counts of every group of a pair (arrays of one entry a group): what F1 is made of,
    and (with the characters) what κ is made of."""

    a_spans: np.ndarray
    b_spans: np.ndarray
    exact: np.ndarray
    a_overlapping: np.ndarray
    b_overlapping: np.ndarray
    a_covered: np.ndarray | None = None  # characters A's spans cover
    b_covered: np.ndarray | None = None
    either: np.ndarray | None = None  # characters A's or B's spans cover


def group_counts(
    a: Columns | None,
    b: Columns | None,
    documents: np.ndarray,
    labels: int,
    *,
    characters: bool = True,
) -> GroupCounts | None:
    """The counts of each group of A and B over ``documents`` (sorted ids), ``labels``
    labels; without ``characters``, only F1's. None when the offsets are too large to shift
    (the caller counts in Python then)."""
    import numpy as np

    x, y = _grouped(a, documents, labels), _grouped(b, documents, labels)
    groups = len(documents) * labels
    width = max([1, *(int(s.end.max()) + 1 for s in (x, y) if len(s.end))])
    if groups * width >= _LIMIT:
        return None

    def count(side: Grouped) -> np.ndarray:
        return np.bincount(side.group, minlength=groups)

    out = GroupCounts(
        a_spans=count(x),
        b_spans=count(y),
        exact=_exact(x, y, width, groups),
        a_overlapping=_overlapping(x, y, width, groups),
        b_overlapping=_overlapping(y, x, width, groups),
    )
    if characters:
        both = Grouped(*(np.concatenate((p, q)) for p, q in ((x.group, y.group),
                         (x.start, y.start), (x.end, y.end))))  # fmt: skip
        out.a_covered = _covered(x, width, groups)
        out.b_covered = _covered(y, width, groups)
        out.either = _covered(both, width, groups)
    return out


def _sums(groups_of: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """``values`` added up by group, as integers (the sums stay far below 2**53, where
    floats count exactly)."""
    import numpy as np

    return np.bincount(groups_of, weights=values, minlength=groups).astype(np.int64)


def _exact(x: Grouped, y: Grouped, width: int, groups: int) -> np.ndarray:
    """Spans in both, each group's as multisets: of a span A made twice and B once, one."""
    import numpy as np

    if not len(x.group) or not len(y.group):
        return np.zeros(groups, dtype=np.int64)
    if groups * width * width < _LIMIT:  # a span as one number: one sort, not three
        ka, kb = ((s.group * width + s.start) * width + s.end for s in (x, y))
    else:  # a span as its place among every distinct span
        spans = np.concatenate([np.stack((s.group, s.start, s.end)) for s in (x, y)], axis=1)
        place = np.unique(spans, axis=1, return_inverse=True)[1].ravel()
        ka, kb = place[: len(x.group)], place[len(x.group) :]
    distinct_a, first_a, times_a = np.unique(ka, return_index=True, return_counts=True)
    distinct_b, times_b = np.unique(kb, return_counts=True)
    _, in_a, in_b = np.intersect1d(distinct_a, distinct_b, assume_unique=True, return_indices=True)
    return _sums(x.group[first_a[in_a]], np.minimum(times_a[in_a], times_b[in_b]), groups)


def _shifted(side: Grouped, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The side's starts and ends shifted by group, sorted by group and start."""
    import numpy as np

    base = side.group * width
    starts = base + side.start
    order = np.argsort(starts)  # the order of equal starts matters to neither use
    return starts[order], (base + side.end)[order]


def _overlapping(x: Grouped, y: Grouped, width: int, groups: int) -> np.ndarray:
    """How many of X's spans share a character with one of Y's in their group: Y's span that
    starts last before X's ends is found by a binary search, and the furthest end of Y's
    spans up to it (a running maximum) tells whether any reaches past X's start. Ends of the
    groups before stay below this group's shifted start, so the running maximum needs no
    reset between groups."""
    import numpy as np

    if not len(x.group) or not len(y.group):
        return np.zeros(groups, dtype=np.int64)
    starts, ends = _shifted(y, width)
    furthest = np.maximum.accumulate(ends)
    base = x.group * width
    before = np.searchsorted(starts, base + x.end, side="left") - 1
    hit = (before >= 0) & (furthest[np.maximum(before, 0)] > base + x.start)
    return _sums(x.group, hit, groups)


def _covered(side: Grouped, width: int, groups: int) -> np.ndarray:
    """Characters each group's spans cover (their union's length): a stretch of overlapping
    spans begins where a start lies past every end before it."""
    import numpy as np

    if not len(side.group):
        return np.zeros(groups, dtype=np.int64)
    starts, ends = _shifted(side, width)
    furthest = np.maximum.accumulate(ends)
    new = np.ones(len(starts), dtype=bool)
    new[1:] = starts[1:] > furthest[:-1]
    first = np.flatnonzero(new)
    length = np.maximum.reduceat(ends, first) - starts[first]
    return _sums(starts[first] // width, length, groups)


def pair_of_columns(
    a: str,
    b: str,
    documents: Sequence[int],
    lengths: Mapping[int, int],
    of_a: Columns | None,
    of_b: Columns | None,
    labels: Sequence[str],
) -> PairAgreement | None:
    """:func:`agreement.pair_of_layers` on columns: the same figures, each document's tally
    and each label's. None when the offsets are too large to count this way."""
    import numpy as np

    chosen = sorted(set(documents))
    ids = np.array(chosen, dtype=np.int64)
    n = len(labels)
    counts = group_counts(of_a, of_b, ids, n)
    if counts is None:
        return None
    assert counts.a_covered is not None and counts.b_covered is not None
    assert counts.either is not None
    shape = (len(chosen), n)
    both = counts.a_covered + counts.b_covered - counts.either
    columns = {
        "a_spans": counts.a_spans,
        "b_spans": counts.b_spans,
        "exact": counts.exact,
        "a_overlapping": counts.a_overlapping,
        "b_overlapping": counts.b_overlapping,
        "both": both,
        "only_a": counts.a_covered - both,
        "only_b": counts.b_covered - both,
    }
    table = {name: values.reshape(shape) for name, values in columns.items()}
    size = np.array([lengths[doc] for doc in chosen], dtype=np.int64)
    covered = table["both"] + table["only_a"] + table["only_b"]
    table["neither"] = size[:, None] - covered
    by_label = {name: values.sum(axis=0).tolist() for name, values in table.items()}
    by_document = {name: values.sum(axis=1).tolist() for name, values in table.items()}
    names = list(table)
    per_label = {
        label: Tally(*(by_label[name][i] for name in names)) for i, label in enumerate(labels)
    }
    rows = zip(*(by_document[name] for name in names), strict=True)
    per_document = {doc: Tally(*row) for doc, row in zip(chosen, rows, strict=True)}
    overall = Tally()
    for t in per_label.values():
        overall += t
    return PairAgreement(a, b, chosen, per_label, overall, per_document)


def running_tallies(
    a: Columns | None, b: Columns | None, arrivals: Mapping[str, Sequence[int]], labels: int
) -> list[tuple[str, int, list[Tally]]] | None:
    """F1's counts as they stood at the end of each period: for each period of ``arrivals``
    (period → the documents that came in then; a document comes once) in order, the
    documents so far and each label's tally over them (spans, matches, overlaps; no
    characters). None when the offsets are too large to count this way."""
    import numpy as np

    periods = sorted(arrivals)
    docs = np.array([doc for key in periods for doc in arrivals[key]], dtype=np.int64)
    came = np.repeat(np.arange(len(periods)), [len(arrivals[key]) for key in periods])
    order = np.argsort(docs)
    counts = group_counts(a, b, docs[order], labels, characters=False)
    if counts is None:
        return None
    fields = (
        counts.a_spans, counts.b_spans, counts.exact, counts.a_overlapping, counts.b_overlapping
    )  # fmt: skip
    so_far = []
    for values in fields:  # each document's row added to its period's, then the periods' in turn
        by_period = np.zeros((len(periods), labels), dtype=np.int64)
        np.add.at(by_period, came[order], values.reshape(len(docs), labels))
        so_far.append(np.cumsum(by_period, axis=0).tolist())
    documents = np.cumsum([len(arrivals[key]) for key in periods]).tolist()
    return [
        (key, documents[i], [Tally(*(f[i][label] for f in so_far)) for label in range(labels)])
        for i, key in enumerate(periods)
    ]
