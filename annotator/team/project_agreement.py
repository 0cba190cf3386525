"""Agreement over a project: every pair of analysts (or each analyst against the curated layer)
over the documents both marked done, per label and per relation type, and the documents by
disagreement. The figures themselves are :mod:`annotator.team.agreement`'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.model import LabelError
from annotator.store.project import Store
from annotator.team.agreement import PairAgreement, all_pairs, disagreements, pair_agreement
from annotator.team.layers import (
    CURATED,
    RelationKey,
    analyst_layers,
    curated_documents,
    curated_layer,
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
    chosen = _labels(store, labels)
    layers = analyst_layers(store)
    done = done_by(store)
    analysts = sorted(set(layers) | set(done))
    size = lengths(store)
    if against is None:
        pairs = all_pairs(analysts, done, size, layers, chosen)
    elif against == CURATED:
        settled = curated_documents(store)
        both = {**layers, CURATED: curated_layer(store)}
        pairs = [
            pair_agreement(who, CURATED, sorted(done.get(who, set()) & settled), size, both, chosen)
            for who in analysts
        ]
    else:
        raise ValueError(f"agreement can be measured against {CURATED!r} only, not {against!r}")
    linked = relation_layers(store)
    if against == CURATED:
        linked.update(relation_layers(store, curated=True))
    types = [kind.name for kind in store.relation_types.all()]
    by_pair = [
        relation_agreement(linked.get(p.a, []), linked.get(p.b, []), set(p.documents), types)
        for p in pairs
    ]
    rows = []
    for doc, unmatched, exact in disagreements(pairs):
        row = store.documents.row(doc)
        rows.append(
            {
                "number": doc,
                "id": row.external_id if row.external_id is not None else str(doc),
                "title": row.title,
                "unmatched_spans": unmatched,
                "exact_f1": exact,
            }
        )
    return AgreementReport(pairs, rows, by_pair)
