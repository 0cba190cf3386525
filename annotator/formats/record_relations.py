"""A record's relations checked: in annotator's form (ends named by the record's own span
``id``s), Prodigy's (``head_span`` and ``child_span``), doccano's (``from_id`` and ``to_id``)
or from Label Studio's relation results; each must join two of the record's spans with
labels its type allows.
"""

from __future__ import annotations

from typing import Any

from annotator.formats.label_studio_results import RegionRef
from annotator.formats.records import (
    ImportedRelation,
    ImportedSpan,
    RecordError,
    Scheme,
    analyst_name,
    type_name,
)
from annotator.model import ORIGINS


def checked_relations(
    value: dict[str, Any],
    spans: list[ImportedSpan],
    refs: dict[Any, int],
    by_offsets: dict[tuple[int, int, str], int],
    scheme: Scheme,
    studio: list[tuple[str, dict[str, Any]]],
) -> list[ImportedRelation]:
    """The record's relations, and Label Studio's relation results (``studio``, already in
    doccano's form with ends scoped to their annotation)."""
    raw = value.get("relations")
    items = list(studio)
    if raw is not None:
        if not isinstance(raw, list):
            raise RecordError(f'"relations" must be a list, not {type_name(raw)}')
        items[:0] = [(f"relations[{i}]", rel) for i, rel in enumerate(raw)]
    out: list[ImportedRelation] = []
    seen: set[tuple[int, int, str]] = set()
    for where, rel in items:
        if not isinstance(rel, dict):
            raise RecordError(f"{where}: a relation must be an object")
        label = rel.get("label", rel.get("type"))
        if label is None and isinstance(rel.get("from_id"), RegionRef):
            # Label Studio allows a relation without a type: the one type that fits, if any.
            head = _end_by_ref(rel["from_id"], refs, f"{where}: from_id")
            child = _end_by_ref(rel.get("to_id"), refs, f"{where}: to_id")
            label = _only_fitting_type(spans[head][2], spans[child][2], scheme)
            if label is None:
                raise RecordError(
                    f"{where}: the relation has no type, and not exactly one of the "
                    "project's relation types fits its two ends"
                )
        if not isinstance(label, str):
            raise RecordError(f'{where}: no "label" (the relation type)')
        if "head_span" in rel or "child_span" in rel:  # Prodigy
            head = _end_by_offsets(rel.get("head_span"), by_offsets, f"{where}: head_span")
            child = _end_by_offsets(rel.get("child_span"), by_offsets, f"{where}: child_span")
        elif "from_id" in rel or "to_id" in rel:  # doccano
            head = _end_by_ref(rel.get("from_id"), refs, f"{where}: from_id")
            child = _end_by_ref(rel.get("to_id"), refs, f"{where}: to_id")
        else:
            head = _end_by_ref(rel.get("head"), refs, f"{where}: head")
            child = _end_by_ref(rel.get("child"), refs, f"{where}: child")
        kind = scheme.relation_types.get(label)
        if kind is None:
            known = ", ".join(scheme.relation_types) or "none"
            raise RecordError(
                f"{where}: unknown relation type {label!r} (this project has: {known})"
            )
        head_label, child_label = spans[head][2], spans[child][2]
        if head == child:
            raise RecordError(f"{where}: a span cannot be related to itself")
        if not kind.fits(head_label, child_label):
            raise RecordError(
                f"{where}: {label} goes from {' or '.join(kind.heads) or 'any label'} to "
                f"{' or '.join(kind.children) or 'any label'}, not from {head_label} to "
                f"{child_label}"
            )
        given = rel.get("annotator")
        annotator = analyst_name(given, where) if isinstance(given, str) else None
        origin = str(rel["origin"]) if rel.get("origin") in ORIGINS else "imported"
        created = rel.get("created_at") if isinstance(rel.get("created_at"), str) else None
        if (head, child, label) in seen:
            continue
        seen.add((head, child, label))
        out.append((head, child, label, annotator, origin, created))
    return out


def _only_fitting_type(head_label: str, child_label: str, scheme: Scheme) -> str | None:
    """The one relation type of the project that fits these two labels, if only one does."""
    fitting = [n for n, kind in scheme.relation_types.items() if kind.fits(head_label, child_label)]
    return fitting[0] if len(fitting) == 1 else None


def _end_by_ref(ref: Any, refs: dict[Any, int], where: str) -> int:
    if isinstance(ref, (dict, list)) or ref not in refs:
        if isinstance(ref, RegionRef):
            raise RecordError(
                f"{where}: {ref.region!r} is not the id of a region of this annotation"
            )
        raise RecordError(f"{where}: {ref!r} is not the id of a span in this record")
    return refs[ref]


def _end_by_offsets(span: Any, by_offsets: dict[tuple[int, int, str], int], where: str) -> int:
    if not isinstance(span, dict):
        raise RecordError(f"{where}: expected a span with start, end and label")
    key = (span.get("start"), span.get("end"), span.get("label"))
    if key not in by_offsets:
        raise RecordError(
            f"{where}: no span [{key[0]}, {key[1]}) {key[2]!r} in this record's spans"
        )
    return by_offsets[key]
