"""Agreement counted on arrays gives every figure agreement.py's own code gives, span for span:
on random layers (spans repeated, nested, crossing, touching, on documents one analyst left
alone), and on a whole team project, pair by pair and against the curated layer."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model import text_hash
from annotator.store.project import Store
from annotator.team import agreement_arrays
from annotator.team.agreement import (
    PairAgreement,
    disagreements,
    layer_of,
    pair_of_layers,
    pairs_of_layers,
)
from annotator.team.agreement_arrays import Columns, pair_of_columns, read_layers
from annotator.team.curation import curate_agreed
from annotator.team.layers import (
    CURATED,
    curated_documents,
    curated_layer,
    done_by,
    layers_by_document,
    lengths,
)
from annotator.team.project_agreement import agreement

LABELS = ["claim", "quote", "caption"]


def columns(spans: list[tuple[int, int, int, str]]) -> Columns | None:
    if not spans:
        return None
    doc, start, end, label = zip(*spans, strict=True)
    place = [LABELS.index(name) for name in label]
    return Columns(*(np.array(c, dtype=np.int64) for c in (doc, place, start, end)))


def same(x: PairAgreement, y: PairAgreement) -> None:
    assert (x.a, x.b, x.documents) == (y.a, y.b, y.documents)
    assert x.labels == y.labels
    assert x.all == y.all
    assert x.by_document == y.by_document


def spans_on(draw, lengths: dict[int, int]) -> list[tuple[int, int, int, str]]:
    out = []
    for doc, size in lengths.items():
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, size - 1))
            end = draw(st.integers(start + 1, size))
            out.append((doc, start, end, draw(st.sampled_from(LABELS))))
    if out and draw(st.booleans()):  # a span made twice
        out.append(draw(st.sampled_from(out)))
    return out


@st.composite
def two_layers(draw):
    lengths = {doc: draw(st.integers(1, 30)) for doc in range(1, draw(st.integers(1, 6)) + 1)}
    a, b = spans_on(draw, lengths), spans_on(draw, lengths)
    if b and draw(st.booleans()):  # B copies some of A's
        b += draw(st.lists(st.sampled_from(a), max_size=4)) if a else []
    documents = draw(st.lists(st.sampled_from(sorted(lengths)), unique=True))
    return lengths, a, b, documents


@settings(max_examples=300, deadline=None)
@given(two_layers())
def test_every_count_is_the_python_counts(case):
    lengths, a, b, documents = case
    counted = pair_of_columns("ana", "bo", documents, lengths, columns(a), columns(b), LABELS)
    wanted = set(LABELS)
    reference = pair_of_layers(
        "ana", "bo", documents, lengths, layer_of(a, wanted), layer_of(b, wanted), LABELS
    )
    assert counted is not None
    same(counted, reference)


def test_offsets_too_large_to_shift_are_counted_by_python(monkeypatch):
    lengths = {1: 40, 2: 40}
    a = [(1, 0, 10, "claim"), (1, 5, 20, "claim"), (2, 3, 9, "quote"), (2, 3, 9, "quote")]
    b = [(1, 0, 10, "claim"), (2, 3, 9, "quote"), (2, 8, 30, "quote")]
    reference = pair_of_columns("ana", "bo", [1, 2], lengths, columns(a), columns(b), LABELS)
    monkeypatch.setattr(agreement_arrays, "_LIMIT", 2000)  # spans no longer one number each
    assert reference is not None
    exact = pair_of_columns("ana", "bo", [1, 2], lengths, columns(a), columns(b), LABELS)
    assert exact is not None
    same(exact, reference)
    monkeypatch.setattr(agreement_arrays, "_LIMIT", 10)  # nor shifted by group
    assert pair_of_columns("ana", "bo", [1, 2], lengths, columns(a), columns(b), LABELS) is None


TEXT = "The council voted. “We won,” said Ana. Taxes rise. The mayor resigned on Monday."


def team_project(path, seed: int) -> Store:
    """Three analysts' overlapping, sometimes equal spans on 40 documents, most done; a fourth
    name with spans of one label only; the agreed spans curated."""
    rng = random.Random(seed)
    store = Store(path, "lead")
    with store.transaction():
        docs = [
            store.documents.insert(
                text=f"{n}. {TEXT}", text_hash=text_hash(f"{n}. {TEXT}"), title=f"Article {n}"
            )
            for n in range(40)
        ]
    for who in ("ana", "bo", "cy", "dee"):
        store.annotator = who
        for doc in docs:
            assert doc is not None
            size = len(f"{doc - 1}. {TEXT}")
            for _ in range(rng.randrange(5)):
                start = rng.randrange(size - 1)
                end = rng.randrange(start + 1, min(size, start + 25) + 1)
                label = "caption" if who == "dee" else rng.choice(LABELS[:2])
                if rng.random() < 0.5:  # the same as a colleague's, now and then
                    start, end = 3, 18
                store.spans.add(doc, start, end, label)
            if rng.random() < 0.8:
                store.statuses.set(doc, "done")
    curate_agreed(store)
    return store


def reference(store: Store, labels: list[str], against: str | None) -> list[PairAgreement]:
    """The pairs as agreement.py's code alone counts them."""
    layers = layers_by_document(store, set(labels))
    done = done_by(store)
    analysts = sorted(set(layers) | set(done))
    size = lengths(store, set().union(*done.values()))
    if against is None:
        return pairs_of_layers(analysts, done, size, layers, labels)
    gold = layer_of(curated_layer(store), set(labels))
    settled = curated_documents(store)
    return [
        pair_of_layers(
            who,
            CURATED,
            sorted(done.get(who, set()) & settled),
            size,
            layers.get(who, {}),
            gold,
            labels,
        )  # fmt: skip
        for who in analysts
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("against", [None, CURATED])
@pytest.mark.parametrize("labels", [None, ["quote", "claim"], ["caption"]])
def test_a_team_project_has_the_figures_of_the_python_counts(tmp_path, seed, against, labels):
    with team_project(tmp_path / "team.db", seed) as store:
        chosen = labels or [lab.name for lab in store.labels.all()]
        report = agreement(store, labels, against=against)
        expected = reference(store, chosen, against)
    assert len(report.pairs) == len(expected) >= 3
    for pair, wanted in zip(report.pairs, expected, strict=True):
        same(pair, wanted)
    ranked = [row["number"] for row in report.documents]
    assert ranked == [doc for doc, _, _ in disagreements(expected)]


def test_layers_read_as_columns_hold_the_spans_of_the_labels_asked_for(tmp_path):
    with team_project(tmp_path / "team.db", 4) as store:
        layers = read_layers(store, ["quote", "caption"])
        rows = store.conn.execute(
            'SELECT s.annotator, s.document_id, s.start, s."end", l.name FROM spans s'
            " JOIN labels l ON l.id = s.label_id WHERE s.origin = 'manual'"
            " AND l.name IN ('quote', 'caption')"
        ).fetchall()
        curated = read_layers(store, LABELS, curated=True)
        curated_rows = curated_layer(store)
    got = sorted(
        (who, doc, start, end, ["quote", "caption"][label])
        for who, c in layers.items()
        for doc, label, start, end in zip(
            *(x.tolist() for x in (c.doc, c.label, c.start, c.end)), strict=True
        )
    )
    assert got == sorted(rows)
    assert set(layers) == {who for who, *_ in rows}  # "dee" has captions only; all have quotes
    gold = curated[CURATED]
    assert curated_rows
    assert sorted(
        zip(*(x.tolist() for x in (gold.doc, gold.start, gold.end, gold.label)), strict=True)
    ) == sorted((doc, start, end, LABELS.index(label)) for doc, start, end, label in curated_rows)
