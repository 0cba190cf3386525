"""Label Studio's form of a record: its annotations and predictions, lists of results, read
as the record's spans with their notes, analysts and attributes, and its relation results
as relations in doccano's form for the record check to join (``record_relations``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from annotator.formats.records import RecordError, Scheme, analyst_name, type_name

# What a record's ``passed_over`` calls the predictions Label Studio's JSON export lists by
# id only, and the per-region results that name no attribute of their span's label.
LABEL_STUDIO_PREDICTION_ID = "Label Studio prediction id"
LABEL_STUDIO_UNMATCHED = "Label Studio per-region result naming no attribute of its span's label"


class RegionRef(NamedTuple):
    """A Label Studio region id within its annotation or prediction: ids are unique only
    there (an annotation made from a prediction keeps the prediction's ids)."""

    layer: str
    region: Any


def label_studio_spans(
    value: dict[str, Any],
    passed_over: dict[str, int],
    scheme: Scheme,
    relations: list[tuple[str, dict[str, Any]]],
) -> Iterator[tuple[str, Any, Any, Any, dict[str, Any]]]:
    """Label Studio's span results: annotations come in as imported, predictions as suggested.

    A result with several labels gives one span each. Relation results between two regions of
    one annotation are added to ``relations``; per-region ``textarea`` and ``choices`` results
    whose control is named for an attribute of the region's label (``quote_speaker``, or just
    ``speaker``) become that span's attribute. A region's ``meta.text`` is its note, and its
    ``meta.annotator`` (which annotator's export writes) the analyst, else the annotation's
    ``completed_by`` when it is a name or an e-mail, else the importing analyst. Cancelled
    annotations and choices about the whole text are passed over. Label Studio's JSON export
    lists a task's predictions by id only (``"predictions": [1]``); such ids are counted and
    passed over (its snapshot export holds them whole).
    """
    for key, origin in (("annotations", "imported"), ("predictions", "suggested")):
        items = value.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise RecordError(f'"{key}" must be a list, not {type_name(items)}')
        for i, item in enumerate(items):
            if key == "predictions" and isinstance(item, int) and not isinstance(item, bool):
                what = LABEL_STUDIO_PREDICTION_ID
                passed_over[what] = passed_over.get(what, 0) + 1
                continue
            if not isinstance(item, dict):
                raise RecordError(f"{key}[{i}]: expected an object with a result list")
            if item.get("was_cancelled"):
                continue
            results = item.get("result") or []
            if not isinstance(results, list):
                raise RecordError(f'{key}[{i}]: "result" must be a list')
            layer = f"{key}[{i}]"
            analyst = analyst_name(
                _studio_analyst(item.get("completed_by")), f"{layer}.completed_by"
            )
            per_region: dict[Any, list[tuple[str, dict[str, Any]]]] = {}
            for j, result in enumerate(results):
                if not isinstance(result, dict):
                    continue
                where = f"{layer}.result[{j}]"
                if result.get("type") == "relation":
                    relations.extend(_studio_relations(result, layer, where))
                elif (
                    result.get("type") in ("textarea", "choices")
                    and _hashable(result.get("id")) is not None
                    and isinstance(result.get("value"), dict)
                    and "start" in result["value"]
                ):
                    per_region.setdefault(result["id"], []).append((where, result))
            used: set[str] = set()
            regions: set[Any] = set()
            for j, result in enumerate(results):
                where = f"{layer}.result[{j}]"
                if not isinstance(result, dict) or result.get("type") != "labels":
                    continue
                span = result.get("value")
                if not isinstance(span, dict) or not {"start", "end", "labels"} <= span.keys():
                    raise RecordError(f"{where}: expected value.start, value.end and value.labels")
                names = span["labels"]
                if not isinstance(names, list) or not names:
                    raise RecordError(f"{where}: value.labels must be a non-empty list")
                meta = result["meta"] if isinstance(result.get("meta"), dict) else {}
                who = meta.get("annotator") if isinstance(meta.get("annotator"), str) else analyst
                note = _studio_text(meta.get("text"), f"{where}: meta.text")
                region = _hashable(result.get("id"))
                for name in names:
                    extra: dict[str, Any] = {
                        "text": span.get("text"),
                        "origin": origin,
                        "annotator": who,
                        "note": note,
                    }
                    if region is not None and region not in regions:
                        regions.add(region)  # a relation names the region's first span
                        extra["id"] = RegionRef(layer, region)
                    attributes = _studio_attributes(per_region.get(region, []), name, scheme, used)
                    if attributes:
                        extra["attributes"] = attributes
                    if origin == "suggested":
                        extra["suggester"] = str(item.get("model_version") or "Label Studio")
                        extra["score"] = result.get("score", item.get("score"))
                    yield where, span["start"], span["end"], name, extra
            unmatched = sum(
                1 for found in per_region.values() for where, _ in found if where not in used
            )
            if unmatched:
                what = LABEL_STUDIO_UNMATCHED
                passed_over[what] = passed_over.get(what, 0) + unmatched


def _studio_analyst(completed_by: Any) -> str | None:
    """The analyst an annotation names: Label Studio writes its user's id (a number, which
    means nothing here) or, in snapshots, an object with the user's e-mail."""
    if isinstance(completed_by, str):
        return completed_by
    if isinstance(completed_by, dict) and isinstance(completed_by.get("email"), str):
        return str(completed_by["email"])
    return None


def _studio_text(value: Any, where: str) -> str | None:
    """Label Studio's texts are lists of strings (one per line a text area was given)."""
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, str):
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"{where} must be a list of strings, not {type_name(value)}")
    return "\n".join(value)


def _studio_attributes(
    found: list[tuple[str, dict[str, Any]]], label: str, scheme: Scheme, used: set[str]
) -> dict[str, Any]:
    """The attributes a region's per-region results give a span of ``label``."""
    declared = [a["name"] for a in scheme.attributes.get(label) or []]
    out: dict[str, Any] = {}
    for where, result in found:
        control = result.get("from_name")
        name = next((a for a in declared if control in (a, f"{label}_{a}")), None)
        if name is None:
            continue
        used.add(where)
        value = result["value"]
        if result.get("type") == "textarea":
            out[name] = _studio_text(value.get("text"), f"{where}: value.text")
            continue
        choices = value.get("choices")
        if not isinstance(choices, list) or len(choices) > 1:
            raise RecordError(f"{where}: attribute {name!r} takes one choice, not {choices!r}")
        out[name] = choices[0] if choices else None
    return out


def _studio_relations(
    result: dict[str, Any], layer: str, where: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A Label Studio relation result as relations in doccano's form (one per label), its
    ends scoped to the annotation it is in."""
    head, child = result.get("from_id"), result.get("to_id")
    if head is None or child is None:
        raise RecordError(f"{where}: a relation needs from_id and to_id")
    if result.get("direction") == "left":
        head, child = child, head
    ends = {
        "from_id": RegionRef(layer, _hashable(head)),
        "to_id": RegionRef(layer, _hashable(child)),
    }
    labels = result.get("labels")
    if labels is None or labels == []:
        yield where, ends  # its type is the one that fits, if only one does
        return
    if not isinstance(labels, list) or not all(isinstance(v, str) for v in labels):
        raise RecordError(f"{where}: labels must be a list of relation types")
    for name in labels:
        yield where, {**ends, "label": name}


def _hashable(ref: Any) -> Any:
    return None if isinstance(ref, (dict, list)) else ref
