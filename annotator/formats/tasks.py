"""One task (a JSON object with a text and maybe spans) checked and made ready to store.

Every reason a record is refused is said in words an analyst can act on: here for its text,
title, id, meta, statuses and spans, and in ``record_relations`` for its relations. Offsets
are checked against the text as given, then moved with it when its line endings are
normalised. Spans come in annotator's and Prodigy's form, doccano's two forms, and Label
Studio's results (``label_studio_results``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from annotator.formats.label_studio_results import label_studio_spans
from annotator.formats.record_relations import checked_relations
from annotator.formats.records import (
    TITLE_CHARS,
    ImportedRelation,
    ImportedSpan,
    RecordError,
    Scheme,
    analyst_name,
    encodable,
    title_of,
    type_name,
    unpaired_surrogate,
)
from annotator.model import (
    ORIGINS,
    STATUSES,
    LabelError,
    LineEndings,
    SpanError,
    check_label_name,
    check_span,
    text_hash,
)

MAX_RECORD_CHARS = 20 * 1024 * 1024


@dataclass
class CheckedTask:
    line: int
    text: str
    text_hash: str
    title: str
    external_id: str | None
    meta: dict[str, Any]
    meta_json: str
    status: str
    spans: list[ImportedSpan]
    passed_over: dict[str, int] = field(default_factory=dict)  # what was left out, counted
    relations: list[ImportedRelation] = field(default_factory=list)
    # Each analyst's own status, as annotator's export writes them; None: only ``status``,
    # which is the importing analyst's.
    statuses: dict[str, str] | None = None


def check_task(
    value: Any,
    line: int,
    labels: set[str],
    create_labels: bool,
    new_labels: set[str],
    scheme: Scheme | None = None,
) -> CheckedTask:
    """Check one task and normalise it; raises RecordError with the first reason found.

    Relations come in annotator's form (ends named by the record's own span ``id``s), Prodigy's
    (``head_span`` and ``child_span``) and doccano's (``from_id`` and ``to_id`` of its
    ``entities``); each must join two spans of the record with labels its type allows.
    """
    scheme = scheme or Scheme()
    if isinstance(value, RecordError):
        raise value
    if not isinstance(value, dict):
        raise RecordError(f"a task must be a JSON object, not {type_name(value)}")
    if "text" in value:
        raw_text = value["text"]
    elif isinstance(value.get("data"), dict) and "text" in value["data"]:
        raw_text = value["data"]["text"]  # Label Studio keeps the text in data.text
    else:
        raise RecordError('no "text" field (nor Label Studio\'s "data": {"text": ...})')
    if not isinstance(raw_text, str):
        raise RecordError(f'"text" must be a string, not {type_name(raw_text)}')
    if not raw_text.strip():
        raise RecordError('"text" is empty')
    if len(raw_text) > MAX_RECORD_CHARS:
        raise RecordError(f'"text" is longer than {MAX_RECORD_CHARS:,} characters')
    try:
        encoded = raw_text.encode("utf-8")  # cheaper than encodable, and hashed below
    except UnicodeEncodeError as e:
        raise RecordError(unpaired_surrogate('"text"', e)) from None

    title = value.get("title")
    external = value.get("id")
    data = value.get("data")
    if "text" not in value and isinstance(data, dict):
        # Label Studio: its own task id is no document's; annotator's export names it doc_id.
        if "doc_id" in data:
            external = data["doc_id"]
        if title is None and isinstance(data.get("title"), str):
            title = data["title"]
    if title is not None and not isinstance(title, str):
        raise RecordError(f'"title" must be a string, not {type_name(title)}')
    if external is not None:
        if isinstance(external, bool) or not isinstance(external, (str, int)):
            raise RecordError(f'"id" must be a string or a whole number, not {type_name(external)}')
        external = str(external)
        encodable(external, '"id"')
    meta = value.get("meta", {})
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise RecordError(f'"meta" must be an object, not {type_name(meta)}')
    meta_json = encodable(meta, '"meta"') or "{}"
    if title is not None:
        encodable(title, '"title"')
    status = value.get("status", "new")
    if status not in STATUSES:
        raise RecordError(f'"status" must be one of {", ".join(STATUSES)}, not {status!r}')
    statuses = _statuses(value.get("statuses"))

    endings = LineEndings(raw_text)
    text = endings.text
    digest = text_hash(encoded if text is raw_text else text)
    spans: list[ImportedSpan] = []
    seen: dict[tuple[Any, ...], int] = {}  # span → its place in ``spans``
    refs: dict[Any, int] = {}  # a span's id within the record → its place
    by_offsets: dict[tuple[int, int, str], int] = {}  # as given, before line ends moved
    mine: set[str] = set()  # labels this record would add; kept only if the record is good
    passed_over: dict[str, int] = {}
    length = len(raw_text)
    studio_relations: list[tuple[str, dict[str, Any]]] = []
    for where, start, end, label, extra in _raw_spans(value, passed_over, scheme, studio_relations):
        if type(label) is str and label in labels:
            pass  # the common case, decided at once
        elif isinstance(label, str):
            if create_labels and label.strip() and label == label.strip():
                _check_new_label(label, where, labels | new_labels | mine)
                mine.add(label)
            else:
                raise RecordError(
                    f"{where}: unknown label {label!r} (this project has: {', '.join(sorted(labels))})"
                )
        else:
            raise RecordError(f"{where}: the label must be a string, not {type_name(label)}")
        span_text = extra.get("text")
        if not (  # the common case checked inline; check_span says what is wrong otherwise
            type(start) is int
            and type(end) is int
            and 0 <= start < end <= length
            and (span_text is None or raw_text[start:end] == span_text)
        ):
            try:
                check_span(raw_text, start, end, span_text)
            except SpanError as e:
                raise RecordError(
                    f"{where}: {e}{_utf16_hint(raw_text, start, end, span_text)}"
                ) from None
        note = extra.get("note")
        if note is not None and not isinstance(note, str):
            raise RecordError(f"{where}: the note must be a string, not {type_name(note)}")
        annotator = extra.get("annotator")
        if annotator is not None and not isinstance(annotator, str):
            raise RecordError(f"{where}: the annotator must be a string")
        annotator = analyst_name(annotator, where)
        origin = extra.get("origin") or "imported"
        if origin not in ORIGINS:
            raise RecordError(f"{where}: origin must be one of {', '.join(ORIGINS)}")
        created = extra.get("created_at") if isinstance(extra.get("created_at"), str) else None
        for part in (note, annotator, created):
            if part is not None:
                encodable(part, where)
        if endings.changed:
            start, end = endings.start(start), endings.end(end)
        new_start, new_end = start, end
        # The same span twice is imported once, but two annotators' identical spans are both kept.
        key = (new_start, new_end, label, annotator)
        ref = extra.get("id")
        if key in seen:
            if ref is not None and not isinstance(ref, (dict, list)):
                refs[ref] = seen[key]
            continue
        seen[key] = len(spans)
        if ref is not None and not isinstance(ref, (dict, list)):
            if ref in refs:
                raise RecordError(f"{where}: span id {ref!r} is given twice in this record")
            refs[ref] = len(spans)
        by_offsets.setdefault((start, end, label), len(spans))
        attributes = None
        if "attributes" in extra and extra["attributes"] is not None:
            attributes = _attributes(
                extra["attributes"], scheme.attributes.get(label), label, where
            )
        suggester = score = None
        if origin == "suggested" or "score" in extra or "suggester" in extra:
            suggester, score = _suggestion(extra, where, strict=origin == "suggested")
        spans.append(
            (
                new_start, new_end, label, note, annotator, origin, created, None, suggester,
                score, attributes,
            )
        )  # fmt: skip
    relations = checked_relations(value, spans, refs, by_offsets, scheme, studio_relations)
    new_labels |= mine
    return CheckedTask(
        line=line,
        text=text,
        text_hash=digest,
        title=(title if title and title.strip() else title_of(text))[:TITLE_CHARS]
        or f"record {line}",
        external_id=external,
        meta=meta,
        meta_json=meta_json,
        status=status,
        spans=spans,
        passed_over=passed_over,
        statuses=statuses,
        relations=relations,
    )


def _statuses(value: Any) -> dict[str, str] | None:
    """``"statuses": {"ana": "done", ...}``: each analyst's own status for the document."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise RecordError(
            f'"statuses" must be an object of analyst: status, not {type_name(value)}'
        )
    out: dict[str, str] = {}
    for given, status in value.items():
        who = analyst_name(given, '"statuses"') or ""
        if not who:
            raise RecordError('"statuses": an analyst\'s name is empty')
        if status not in STATUSES:
            raise RecordError(
                f'"statuses": {who!r} has {status!r}; a status is one of {", ".join(STATUSES)}'
            )
        if who in out:
            raise RecordError(f'"statuses": {who!r} is given twice')
        out[who] = status
    return out


def _attributes(
    value: Any, declared: list[dict[str, Any]] | None, label: str, where: str
) -> dict[str, str] | None:
    """A span's attributes, checked against what its label declares."""
    if not isinstance(value, dict):
        raise RecordError(f'{where}: "attributes" must be an object, not {type_name(value)}')
    specs = {a["name"]: a for a in declared or []}
    out: dict[str, str] = {}
    for name, item in value.items():
        spec = specs.get(name)
        if spec is None:
            known = ", ".join(specs) or "none"
            raise RecordError(
                f"{where}: label {label!r} has no attribute {name!r} (it has: {known})"
            )
        if item is None or item == "":
            continue
        if not isinstance(item, str):
            raise RecordError(f"{where}: attribute {name!r} must be text, not {type_name(item)}")
        if spec.get("kind") == "choice" and item not in spec.get("values", []):
            raise RecordError(
                f"{where}: attribute {name!r} must be one of {', '.join(spec['values'])}, "
                f"not {item!r}"
            )
        encodable(item, where)
        out[name] = item
    return out or None


def _suggestion(
    extra: dict[str, Any], where: str, *, strict: bool
) -> tuple[str | None, float | None]:
    """A suggestion's suggester and score, each optional; a score is a number from 0 to 1.

    On a span that is not a suggestion they are refused only ``strict``ly: other tools put
    scores of their own there, kept only if the span is imported as a suggestion.
    """
    suggester = extra.get("suggester")
    score = extra.get("score")
    good_score = score is None or (
        not isinstance(score, bool) and isinstance(score, (int, float)) and 0 <= score <= 1
    )
    if strict:
        if suggester is not None and not isinstance(suggester, str):
            raise RecordError(f"{where}: the suggester must be a string")
        if not good_score:
            raise RecordError(f"{where}: the score must be a number from 0 to 1, not {score!r}")
    return (
        suggester if isinstance(suggester, str) else None,
        float(score) if score is not None and good_score else None,
    )


def _check_new_label(label: str, where: str, known: set[str]) -> None:
    """Refuse a label ``--create-labels`` could not add, before anything is written."""
    try:
        check_label_name(label)
    except LabelError as e:
        raise RecordError(f"{where}: {e}") from None
    encodable(label, f"{where}: the label")
    for other in known:
        if other != label and other.casefold() == label.casefold():
            raise RecordError(f"{where}: label {label!r} differs from {other!r} only in case")


def _raw_spans(
    value: dict[str, Any],
    passed_over: dict[str, int],
    scheme: Scheme,
    studio_relations: list[tuple[str, dict[str, Any]]],
) -> Iterator[tuple[str, Any, Any, Any, dict[str, Any]]]:
    """Spans in the Prodigy/native form, the doccano forms and Label Studio's results."""
    spans = value.get("spans")
    if spans is not None:
        if not isinstance(spans, list):
            raise RecordError(f'"spans" must be a list, not {type_name(spans)}')
        for i, s in enumerate(spans):
            where = f"spans[{i}]"
            if not isinstance(s, dict):
                raise RecordError(f"{where}: a span must be an object with start, end and label")
            for key in ("start", "end", "label"):
                if key not in s:
                    raise RecordError(f'{where}: no "{key}"')
            yield where, s["start"], s["end"], s["label"], s
    labels = value.get("label")
    if labels is not None:
        if not isinstance(labels, list):
            raise RecordError(
                f'"label" must be a list of [start, end, label], not {type_name(labels)}'
            )
        for i, s in enumerate(labels):
            where = f"label[{i}]"
            if not isinstance(s, list) or len(s) != 3:
                raise RecordError(
                    f'{where}: expected [start, end, "label"], got {json.dumps(s, ensure_ascii=False)[:60]}'
                    " (labels for the whole text are not spans)"
                )
            yield where, s[0], s[1], s[2], {}
    entities = value.get("entities")
    if entities is not None:
        if not isinstance(entities, list):
            raise RecordError(f'"entities" must be a list, not {type_name(entities)}')
        for i, s in enumerate(entities):
            where = f"entities[{i}]"
            if not isinstance(s, dict) or not {"start_offset", "end_offset", "label"} <= s.keys():
                raise RecordError(f"{where}: expected start_offset, end_offset and label")
            yield where, s["start_offset"], s["end_offset"], s["label"], {"id": s.get("id")}
    yield from label_studio_spans(value, passed_over, scheme, studio_relations)


def _utf16_hint(text: str, start: Any, end: Any, span_text: Any) -> str:
    """Say so when offsets only make sense as UTF-16 units (doccano and browsers count those)."""
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(span_text, str):
        return ""
    encoded = text.encode("utf-16-le", "surrogatepass")
    piece = encoded[2 * start : 2 * end].decode("utf-16-le", "ignore") if 0 <= start < end else ""
    if piece == span_text:
        return "; these offsets count UTF-16 units, but annotator counts characters (code points)"
    return ""
