"""Agreement over a project: every pair of analysts (or each analyst against the curated layer)
over the documents both marked done, per label and per relation type, and the documents by
disagreement. The figures themselves are :mod:`annotator.team.agreement`'s.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from annotator.model import LabelError
from annotator.store.project import Store
from annotator.team.agreement import PairAgreement, disagreements, pair_of_layers
from annotator.team.agreement_arrays import Columns, as_layer, pair_of_columns, read_layers
from annotator.team.layers import (
    CURATED,
    RelationKey,
    curated_documents,
    done_by,
    lengths,
    relation_layers,
)


def _labels(store: Store, wanted: Sequence[str] | None) -> list[str]:
    names = [lab.name for lab in store.labels.all()]
    if not wanted:
        return names
    unknown = [w for w in wanted if w not in names]
    if unknown:
        raise LabelError(f"unknown label {unknown[0]!r}; this project has {', '.join(names)}")
    return list(dict.fromkeys(wanted))


def relation_agreement(
    a: list[RelationKey], b: list[RelationKey], documents: set[int], types: list[str]
) -> dict[str, dict[str, Any]]:
    """Per relation type: how many each analyst made, and exact F1 (ends and type agree)."""
    out: dict[str, dict[str, Any]] = {}
    for kind in types:
        mine = Counter(r for r in a if r[3] == kind and r[0] in documents)
        theirs = Counter(r for r in b if r[3] == kind and r[0] in documents)
        total = sum(mine.values()) + sum(theirs.values())
        matched = sum((mine & theirs).values())
        out[kind] = {
            "a_relations": sum(mine.values()),
            "b_relations": sum(theirs.values()),
            "exact_f1": 2 * matched / total if total else None,
        }
    return out


def _pair(
    a: str,
    b: str,
    documents: set[int],
    size: Mapping[int, int],
    layers: Mapping[str, Columns],
    labels: list[str],
    b_layers: Mapping[str, Columns] | None = None,
) -> PairAgreement:
    """The pair's agreement counted on arrays (B's layer from ``b_layers`` when given); in
    Python when its offsets are too large for them (never in text of a human size)."""
    of_a, of_b = layers.get(a), (layers if b_layers is None else b_layers).get(b)
    counted = pair_of_columns(a, b, sorted(documents), size, of_a, of_b, labels)
    if counted is not None:
        return counted
    return pair_of_layers(
        a, b, sorted(documents), size, as_layer(of_a, labels), as_layer(of_b, labels), labels
    )


@dataclass
class AgreementReport:
    pairs: list[PairAgreement]
    documents: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, dict[str, Any]]] = field(default_factory=list)  # by pair

    def to_json(self) -> dict[str, Any]:
        pairs = []
        for i, pair in enumerate(self.pairs):
            data = pair.to_json()
            if i < len(self.relations):
                data["relations"] = self.relations[i]
            pairs.append(data)
        return {"pairs": pairs, "documents": self.documents}


def agreement(
    store: Store, labels: Sequence[str] | None = None, *, against: str | None = None
) -> AgreementReport:
    """Every pair of analysts over the documents both marked done, or (``against="curated"``)
    each analyst against the curated layer over the documents they did that were curated."""
    if against not in (None, CURATED):
        raise ValueError(f"agreement can be measured against {CURATED!r} only, not {against!r}")
    chosen = _labels(store, labels)
    layers = read_layers(store, chosen)
    done = done_by(store)
    analysts = sorted(set(layers) | set(done))
    size = lengths(store, set().union(*done.values()))
    if against is None:
        pairs = [
            _pair(a, b, done.get(a, set()) & done.get(b, set()), size, layers, chosen)
            for a, b in combinations(analysts, 2)
        ]
    else:
        settled = curated_documents(store)
        gold = read_layers(store, chosen, curated=True)
        pairs = [
            _pair(who, CURATED, done.get(who, set()) & settled, size, layers, chosen, gold)
            for who in analysts
        ]
    linked = relation_layers(store)
    if against == CURATED:
        linked.update(relation_layers(store, curated=True))
    types = [kind.name for kind in store.relation_types.all()]
    by_pair = [
        relation_agreement(linked.get(p.a, []), linked.get(p.b, []), set(p.documents), types)
        for p in pairs
    ]
    ranked = disagreements(pairs)
    named = {
        doc: (external, title)
        for doc, external, title in store.conn.execute(
            "SELECT d.id, d.external_id, d.title FROM json_each(?) m"
            " JOIN documents d ON d.id = m.value",
            (json.dumps([doc for doc, _, _ in ranked]),),
        )
    }
    rows = []
    for doc, unmatched, exact in ranked:
        external, title = named[doc]
        rows.append(
            {
                "number": doc,
                "id": external if external is not None else str(doc),
                "title": title,
                "unmatched_spans": unmatched,
                "exact_f1": exact,
            }
        )
    return AgreementReport(pairs, rows, by_pair)
