"""Label Studio's JSON task list, and the labelling config to open it with.

Each document is one task: its text, title and id in ``data`` (with the document's meta keys
beside them where they do not clash), one annotation per analyst and, with suggestions, one
prediction per suggester. Spans are ``labels`` results on a ``<Text name="text">``; relations
are ``relation`` results between two regions of the same annotation, since Label Studio has no
way to relate regions of two annotations. Offsets are code points, which is what Label Studio
stores in ``value.start`` / ``value.end`` for text: its editor turns a selection's UTF-16
offsets into code points before saving one (``charsToCodePoints`` in its selection tools).

Label Studio gives an imported annotation to the user who imports it (``completed_by`` must be
the id or e-mail of one of its own users), so the analyst's name goes with every region, in
the region's ``meta``, where Label Studio keeps it; a span's note goes in ``meta.text``, which
Label Studio shows as the region's meta text.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from annotator.destinations import output, writes_in_place
from annotator.formats.exporting import ExportError, ExportJob, ExportReport, export_id
from annotator.model import Document, Label, Relation, RelationType, Span
from annotator.printable import printable
from annotator.store import activity

#: The names of the ``<Labels>`` and ``<Text>`` tags every result points at.
FROM_NAME = "label"
TO_NAME = "text"
#: What ``report.details`` calls relations whose two ends are in different analysts' layers.
ACROSS_LAYERS = "relations across analysts left out"


def attribute_control(label: str, attribute: str) -> str:
    """The name of the per-region control that holds one attribute of one label's spans."""
    return f"{label}_{attribute}"


def write_label_studio(job: ExportJob, out: IO[str], report: ExportReport) -> None:
    """A JSON array of tasks, one document at a time; the labelling config beside it.

    The config goes to ``<name>.xml`` beside ``<name>.json``; written to standard output, a
    pipe or a device there is no beside, and no config is written.
    """
    labels = job.store.labels.all()
    controls = _attribute_controls(labels)
    leads = activity.per_document_by_analyst(activity.lead_times(job.store))
    across = 0
    out.write("[")
    for n, (doc, spans) in enumerate(job.counted(report)):
        task, left_out = task_record(
            doc, spans, controls, leads.get(doc.id, {}), analysts_of=job.analysts_of
        )
        across += left_out
        out.write(",\n" if n else "\n")
        out.write(json.dumps(task, ensure_ascii=False))
    out.write("\n]\n" if report.documents else "]\n")
    if across:
        report.details[ACROSS_LAYERS] = across
    beside = config_path(report.path)
    if beside is not None:
        try:
            with output(beside) as config:
                config.write(label_config(labels, job.store.relation_types.all()))
        except OSError as e:
            raise ExportError(
                f"{printable(beside)}: the labelling config could not be written "
                f"({e.strerror or e}); no export was left"
            ) from None
        report.also_written.append(beside)


def config_path(export: Path | None) -> Path | None:
    """``<dir>/<name>.xml`` for an export to ``<dir>/<name>.json``; None where there is no
    folder beside the export (standard output, a pipe, a device)."""
    if export is None or writes_in_place(export):
        return None
    beside = export.with_suffix(".xml")
    if beside == export:  # the export itself was named .xml
        beside = export.with_name(f"{export.stem}.config.xml")
    return beside


def task_record(
    doc: Document,
    spans: list[Span],
    controls: dict[tuple[str, str], str],
    lead_times: Mapping[str, float] | None = None,
    *,
    analysts_of: Callable[[Span], list[str] | None] = lambda _span: None,
) -> tuple[dict[str, Any], int]:
    """One task, and how many of the document's relations could not go in it (their ends are
    in two analysts' annotations). ``lead_times`` is each analyst's active time on it;
    ``analysts_of`` gives a curated span's analysts, for its region's ``meta``."""
    data: dict[str, Any] = {"text": doc.text, "title": doc.title, "doc_id": export_id(doc)}
    for name, value in doc.meta.items():
        data.setdefault(name, value)
    # Each layer is one annotation (an analyst's spans) or one prediction (a suggester's).
    layers: dict[tuple[str, str, str], list[Span]] = {}
    key: tuple[str, str, str]
    for span in spans:
        if span.origin == "suggested":
            key = ("prediction", span.suggester or "annotator", span.annotator)
        else:
            key = ("annotation", span.annotator, span.annotator)
        layers.setdefault(key, []).append(span)
    layers = _joined_predictions(layers, doc.relations)
    layer_of = {span.id: key for key, members in layers.items() for span in members}
    relations: dict[tuple[str, str, str], list[Relation]] = {}
    left_out = 0
    for relation in doc.relations:
        head, child = layer_of.get(relation.head), layer_of.get(relation.child)
        if head is None or head != child:
            left_out += 1
            continue
        relations.setdefault(head, []).append(relation)
    annotations, predictions = [], []
    for key, members in layers.items():
        results = _results(members, relations.get(key, []), controls, analysts_of)
        if key[0] == "annotation":
            lead = (lead_times or {}).get(key[1], 0.0)
            annotations.append(annotation_fields(key[1], members, results, lead))
        else:
            predictions.append(prediction_fields(key[1], members, results))
    task: dict[str, Any] = {"data": data, "annotations": annotations}
    if predictions:
        task["predictions"] = predictions
    task["meta"] = doc.meta
    return task, left_out


Layer = tuple[str, str, str]


def _joined_predictions(
    layers: dict[Layer, list[Span]], relations: list[Relation]
) -> dict[Layer, list[Span]]:
    """The layers, with the predictions a suggested relation joins made one (a quote the
    quotes suggester proposed and the speaker the speakers suggester proposed for it): Label
    Studio draws a relation only between regions of one result list. The joined prediction's
    model version names its suggesters, "quotes+speakers"."""
    layer_of = {span.id: key for key, members in layers.items() for span in members}
    parent: dict[Layer, Layer] = {}

    def root(key: Layer) -> Layer:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for relation in relations:
        head, child = layer_of.get(relation.head), layer_of.get(relation.child)
        if (
            head is None
            or child is None
            or head == child
            or head[0] != "prediction"
            or child[0] != "prediction"
            or head[2] != child[2]
        ):
            continue
        a, b = root(head), root(child)
        if a != b:
            parent[max(a, b)] = min(a, b)
    if not parent:
        return layers
    groups: dict[Layer, list[Layer]] = {}
    for key in layers:
        groups.setdefault(root(key), []).append(key)
    joined: dict[Layer, list[Span]] = {}
    for keys in groups.values():
        names = sorted(dict.fromkeys(k[1] for k in keys))
        key = (keys[0][0], "+".join(names), keys[0][2]) if len(keys) > 1 else keys[0]
        members = [span for k in keys for span in layers[k]]
        joined[key] = sorted(members, key=lambda sp: (sp.start, sp.end, sp.id or 0))
    return joined


def annotation_fields(
    analyst: str, spans: list[Span], results: list[dict[str, Any]], lead_time: float = 0.0
) -> dict[str, Any]:
    """One analyst's annotation: every per-annotation field is made here.

    ``ground_truth`` must be given, since Label Studio takes a missing one as true; the
    curated layer is the ground truth. ``lead_time`` is the analyst's active time on the
    document in seconds (see ``annotator.store.activity``), which Label Studio keeps on import; it
    sets its own created and updated times, so the times here serve other readers.
    """
    return {
        "result": results,
        "was_cancelled": False,
        "ground_truth": all(s.origin == "curated" for s in spans),
        "lead_time": lead_time,
        "created_at": min(s.created_at for s in spans),
        "updated_at": max(s.updated_at for s in spans),
    }


def prediction_fields(
    suggester: str, spans: list[Span], results: list[dict[str, Any]]
) -> dict[str, Any]:
    """One suggester's prediction; its score is the mean of its spans' (each result has its
    own too)."""
    scores = [s.score for s in spans if s.score is not None]
    prediction: dict[str, Any] = {"model_version": suggester, "result": results}
    if scores:
        prediction["score"] = round(sum(scores) / len(scores), 6)
    return prediction


def _results(
    spans: list[Span],
    relations: list[Relation],
    controls: dict[tuple[str, str], str],
    analysts_of: Callable[[Span], list[str] | None],
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for span in spans:
        region = str(span.id)
        offsets = {"start": span.start, "end": span.end}
        meta: dict[str, Any] = {"annotator": span.annotator}
        if span.note:
            meta["text"] = [span.note]
        analysts = analysts_of(span)
        if analysts is not None:
            meta["analysts"] = analysts
        result: dict[str, Any] = {
            "id": region,
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "value": {**offsets, "text": span.text, "labels": [span.label]},
            "meta": meta,
        }
        if span.origin == "suggested" and span.score is not None:
            result["score"] = span.score
        results.append(result)
        for name, value in span.attributes.items():
            control = controls.get((span.label, name))
            if control is None:  # pragma: no cover - attributes are checked against the label
                raise ExportError(f"span {span.id}: label {span.label!r} has no attribute {name!r}")
            kind, field = control.split(":", 1)
            results.append(
                {
                    "id": region,
                    "from_name": field,
                    "to_name": TO_NAME,
                    "type": kind,
                    "value": {**offsets, ("text" if kind == "textarea" else "choices"): [value]},
                }
            )
    for relation in relations:
        results.append(
            {
                "from_id": str(relation.head),
                "to_id": str(relation.child),
                "type": "relation",
                "direction": "right",
                "labels": [relation.label],
            }
        )
    return results


def _attribute_controls(labels: Iterable[Label]) -> dict[tuple[str, str], str]:
    """(label, attribute) → "kind:control name" of every attribute any label declares."""
    controls: dict[tuple[str, str], str] = {}
    owner: dict[str, tuple[str, str]] = {}
    for label in labels:
        for attribute in label.attributes:
            name = attribute_control(label.name, attribute["name"])
            if name in owner or name in (FROM_NAME, TO_NAME):
                other = owner.get(name, ("", ""))
                raise ExportError(
                    f"label {label.name!r} attribute {attribute['name']!r} and label "
                    f"{other[0]!r} attribute {other[1]!r} would share the Label Studio "
                    f"control name {name!r}; rename one"
                )
            owner[name] = (label.name, attribute["name"])
            kind = "choices" if attribute.get("kind") == "choice" else "textarea"
            controls[(label.name, attribute["name"])] = f"{kind}:{name}"
    return controls


def label_config(labels: list[Label], relation_types: list[RelationType]) -> str:
    """Label Studio's labelling config for these labels (with their colours), relation types
    and attributes (per-region controls shown for a selected span of their label)."""
    _attribute_controls(labels)  # refuses two attributes that would share a control name
    view = ET.Element("View")
    ET.SubElement(view, "Style").text = ".htx-text { white-space: pre-wrap; }"
    ET.SubElement(view, "Header", value="$title")
    tags = ET.SubElement(view, "Labels", name=FROM_NAME, toName=TO_NAME)
    for label in labels:
        ET.SubElement(tags, "Label", value=label.name, background=label.color)
    if relation_types:
        kinds = ET.SubElement(view, "Relations")
        for kind in relation_types:
            ET.SubElement(kinds, "Relation", value=kind.name, background=kind.color)
    ET.SubElement(view, "Text", name=TO_NAME, value="$text")
    for label in labels:
        for attribute in label.attributes:
            # Shown only while a span of its label is selected, and saved with that region.
            box = ET.SubElement(
                view, "View", visibleWhen="region-selected", whenLabelValue=label.name
            )
            ET.SubElement(box, "Header", value=f"{label.name}: {attribute['name']}", size="6")
            shown = {
                "name": attribute_control(label.name, attribute["name"]),
                "toName": TO_NAME,
                "perRegion": "true",
            }
            if attribute.get("kind") == "choice":
                choices = ET.SubElement(box, "Choices", {**shown, "choice": "single"})
                for value in attribute.get("values", []):
                    ET.SubElement(choices, "Choice", value=value)
            else:
                ET.SubElement(
                    box,
                    "TextArea",
                    {
                        **shown,
                        "editable": "true",
                        "maxSubmissions": "1",
                        "placeholder": attribute["name"],
                    },
                )
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"
