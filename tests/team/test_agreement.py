"""Agreement figures against independent computations straight from their definitions."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.team.agreement import all_pairs, disagreements, pair_agreement, tally

LABELS = ["claim", "quote"]


def brute(lengths, a_spans, b_spans, labels, docs):
    """Every figure by counting characters and spans one by one."""
    out = {}
    sums = {"A": 0, "B": 0, "m": 0, "a": 0, "b": 0}
    pairs_a, pairs_b = [], []
    for label in labels:
        A = [(d, s, e) for d, s, e, lab in a_spans if lab == label and d in docs]
        B = [(d, s, e) for d, s, e, lab in b_spans if lab == label and d in docs]
        remaining = list(B)
        m = 0
        for span in A:
            if span in remaining:
                remaining.remove(span)
                m += 1

        def share(x, y):
            return x[0] == y[0] and x[1] < y[2] and y[1] < x[2]

        a = sum(any(share(x, y) for y in B) for x in A)
        b = sum(any(share(y, x) for x in A) for y in B)
        codes_a, codes_b = [], []
        for d in sorted(docs):
            for c in range(lengths[d]):
                codes_a.append(int(any(dd == d and s <= c < e for dd, s, e in A)))
                codes_b.append(int(any(dd == d and s <= c < e for dd, s, e in B)))
        pairs_a += codes_a
        pairs_b += codes_b
        total = len(A) + len(B)
        out[label] = {
            "a_spans": len(A),
            "b_spans": len(B),
            "exact_f1": 2 * m / total if total else None,
            "overlap_f1": (a + b) / total if total else None,
            "kappa": kappa(codes_a, codes_b),
        }
        for key, value in zip("ABmab", (len(A), len(B), m, a, b), strict=True):
            sums[key] += value
    total = sums["A"] + sums["B"]
    out["all"] = {
        "a_spans": sums["A"],
        "b_spans": sums["B"],
        "exact_f1": 2 * sums["m"] / total if total else None,
        "overlap_f1": (sums["a"] + sums["b"]) / total if total else None,
        "kappa": kappa(pairs_a, pairs_b),
    }
    return out


def kappa(x, y):
    n = len(x)
    if n == 0:
        return None
    po = sum(i == j for i, j in zip(x, y, strict=True)) / n
    pa, pb = sum(x) / n, sum(y) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return None if pe == 1 else (po - pe) / (1 - pe)


def close(x, y):
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) < 1e-9


spans = st.lists(
    st.tuples(
        st.sampled_from([1, 2]),
        st.integers(0, 29),
        st.integers(1, 12),
        st.sampled_from(LABELS),
    ).map(lambda t: (t[0], t[1], min(t[1] + t[2], 30), t[3])),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(a=spans, b=spans, both_docs=st.booleans())
def test_every_figure_equals_the_definition(a, b, both_docs):
    lengths = {1: 30, 2: 30}
    docs = [1, 2] if both_docs else [1]
    got = pair_agreement("ana", "bo", docs, lengths, {"ana": a, "bo": b}, LABELS).to_json()
    want = brute(lengths, a, b, LABELS, set(docs))
    assert got["documents"] == len(docs)
    for label in [*LABELS, "all"]:
        mine = got["all"] if label == "all" else got["labels"][label]
        for key, value in want[label].items():
            assert close(mine[key], value), (label, key, mine[key], value)


def test_kappa_matches_nltk_on_a_realistic_pair():
    nltk_agreement = pytest.importorskip("nltk.metrics.agreement")
    rng = random.Random(7)
    length = 400
    a = [(s, s + rng.randint(5, 40)) for s in sorted(rng.sample(range(0, 350), 6))]
    b = [(s + rng.randint(-3, 3), e + rng.randint(-3, 3)) for s, e in a[:5]]
    b = [(max(0, s), min(length, e)) for s, e in b]
    t = tally(length, a, b)
    data = []
    for c in range(length):
        data.append(("a", c, int(any(s <= c < e for s, e in a))))
        data.append(("b", c, int(any(s <= c < e for s, e in b))))
    oracle = nltk_agreement.AnnotationTask(data=data).kappa()
    assert abs(t.kappa - oracle) < 1e-9


def test_undefined_figures_are_none():
    t = tally(10, [], [])
    assert t.exact_f1 is None and t.overlap_f1 is None and t.kappa is None  # all zeros
    assert tally(0, [], []).kappa is None
    full = tally(4, [(0, 4)], [(0, 4)])
    assert full.exact_f1 == 1.0 and full.kappa is None  # every unit coded 1 by both


def test_identical_spans_count_once_each_as_multisets():
    t = tally(20, [(0, 5), (0, 5)], [(0, 5)])
    assert t.exact == 1 and t.exact_f1 == pytest.approx(2 / 3)
    assert (t.a_overlapping, t.b_overlapping) == (2, 1)


def test_pairs_are_alphabetical_and_over_documents_both_marked_done():
    spans_by = {
        "zoe": [(1, 0, 5, "claim"), (2, 0, 5, "claim")],
        "ana": [(1, 0, 5, "claim"), (3, 0, 5, "claim")],
        "mo": [(1, 0, 4, "claim")],
    }
    done = {"zoe": {1, 2}, "ana": {1, 3}, "mo": {1}}
    pairs = all_pairs(spans_by, done, {1: 10, 2: 10, 3: 10}, spans_by, ["claim"])
    assert [(p.a, p.b) for p in pairs] == [("ana", "mo"), ("ana", "zoe"), ("mo", "zoe")]
    assert [p.documents for p in pairs] == [[1], [1], [1]]
    ana_zoe = pairs[1].to_json()
    assert ana_zoe["labels"]["claim"]["exact_f1"] == 1.0


def test_documents_are_ordered_by_disagreement():
    spans_by = {
        "ana": [(1, 0, 5, "claim"), (2, 0, 5, "claim"), (2, 6, 9, "claim")],
        "bo": [(1, 0, 5, "claim"), (2, 1, 5, "claim")],
    }
    pairs = all_pairs(spans_by, {"ana": {1, 2}, "bo": {1, 2}}, {1: 10, 2: 10}, spans_by, ["claim"])
    order = disagreements(pairs)
    assert [doc for doc, _, _ in order] == [2, 1]
    assert order[0][1] == 3 and order[1][1] == 0
