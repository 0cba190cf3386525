"""One task (a JSON object with a text and maybe spans) checked and made ready to store.

Every reason a record is refused is said here, in words an analyst can act on. Offsets are
checked against the text as given, then moved with it when its line endings are normalised.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from annotator.model import (
    ORIGINS,
    STATUSES,
    AnalystNameError,
    LabelError,
    LineEndings,
    RelationType,
    SpanError,
    check_analyst_name,
    check_label_name,
    check_span,
    normalise_newlines,
    text_hash,
)

MAX_RECORD_CHARS = 20 * 1024 * 1024
LABEL_STUDIO_PREDICTION_ID = "Label Studio prediction id"
TITLE_CHARS = 200
# Meta nested deeper than this is refused: no one writes it, and exporting it would need a
# deep call stack.
MAX_NESTING = 64


class RecordError(ValueError):
    """One bad record; the message is the reason shown after ``file:line:``."""


# (start, end, label, note, annotator, origin, created_at, updated_at, suggester, score), offsets
# in the stored text; the last two only for suggestions.
ImportedSpan = tuple[
    int, int, str, "str | None", "str | None", str, "str | None", "str | None", "str | None",
    "float | None", "dict[str, str] | None",
]  # fmt: skip
# (head, child) as indices into the record's spans, then label, annotator, origin, created_at
ImportedRelation = tuple[int, int, str, "str | None", str, "str | None"]


@dataclass
class Scheme:
    """What a record is checked against beyond label names: the attributes each label
    declares and the relation types (by name)."""

    attributes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    relation_types: dict[str, RelationType] = field(default_factory=dict)


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


def title_of(text: str) -> str:
    """The first non-empty line, which is where a news article puts its headline."""
    for line in normalise_newlines(text).split("\n"):
        line = line.strip()
        if line:
            return line[:TITLE_CHARS]
    return ""


class DuplicateKey(ValueError):
    """An object that names one key twice: JSON readers differ on which value wins."""


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build an object, refusing a key given twice (json's default keeps the last, silently)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(f"duplicate key {json.dumps(key, ensure_ascii=False)}")
            seen.add(key)
    return obj


def loads(line: str) -> Any:
    """Parse one JSON record the way every importer does: no NaN, control characters allowed,
    no key given twice."""
    try:
        return _DECODER.decode(line)
    except json.JSONDecodeError as e:
        raise RecordError(f"not valid JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise RecordError("JSON nested too deeply to read") from None
    except ValueError as e:
        raise RecordError(str(e)) from None


def no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# One decoder for every record (json.loads with options would build one per call).
_DECODER = json.JSONDecoder(strict=False, parse_constant=no_constant, object_pairs_hook=unique_keys)


def _type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _depth(value: Any) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def _surrogate(what: str, error: UnicodeEncodeError) -> str:
    code = ord(error.object[error.start])
    return f"{what} holds an unpaired surrogate (\\u{code:04x}), which is not text"


def _encodable(value: Any, what: str) -> str | None:
    """Refuse what cannot be stored as UTF-8 JSON: lone surrogates, and numbers such as 1e400
    that Python reads as infinity. Returns the JSON of a list or object, which was built to
    check it (so it need not be built again to store it)."""
    if value is None or isinstance(value, (bool, int)):
        return None
    if isinstance(value, str):  # the common case, checked without building JSON
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise RecordError(_surrogate(what, e)) from None
        return None
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, list) and not value:
        return "[]"
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
        encoded.encode("utf-8")
    except UnicodeEncodeError as e:
        raise RecordError(_surrogate(what, e)) from None
    except ValueError:
        raise RecordError(f"{what} holds a number too large to store") from None
    except RecursionError:
        raise RecordError(f"{what} is nested too deeply to store") from None
    # Only JSON with this many brackets can nest this deep: count them before walking it.
    if encoded.count("{") + encoded.count("[") > MAX_NESTING and _depth(value) > MAX_NESTING:
        raise RecordError(f"{what} is nested more than {MAX_NESTING} levels deep")
    return encoded


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
        raise RecordError(f"a task must be a JSON object, not {_type_name(value)}")
    if "text" in value:
        raw_text = value["text"]
    elif isinstance(value.get("data"), dict) and "text" in value["data"]:
        raw_text = value["data"]["text"]  # Label Studio keeps the text in data.text
    else:
        raise RecordError('no "text" field (nor Label Studio\'s "data": {"text": ...})')
    if not isinstance(raw_text, str):
        raise RecordError(f'"text" must be a string, not {_type_name(raw_text)}')
    if not raw_text.strip():
        raise RecordError('"text" is empty')
    if len(raw_text) > MAX_RECORD_CHARS:
        raise RecordError(f'"text" is longer than {MAX_RECORD_CHARS:,} characters')
    try:
        encoded = raw_text.encode("utf-8")  # cheaper than _encodable, and hashed below
    except UnicodeEncodeError as e:
        raise RecordError(_surrogate('"text"', e)) from None

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
        raise RecordError(f'"title" must be a string, not {_type_name(title)}')
    if external is not None:
        if isinstance(external, bool) or not isinstance(external, (str, int)):
            raise RecordError(
                f'"id" must be a string or a whole number, not {_type_name(external)}'
            )
        external = str(external)
        _encodable(external, '"id"')
    meta = value.get("meta", {})
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise RecordError(f'"meta" must be an object, not {_type_name(meta)}')
    meta_json = _encodable(meta, '"meta"') or "{}"
    if title is not None:
        _encodable(title, '"title"')
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
            raise RecordError(f"{where}: the label must be a string, not {_type_name(label)}")
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
            raise RecordError(f"{where}: the note must be a string, not {_type_name(note)}")
        annotator = extra.get("annotator")
        if annotator is not None and not isinstance(annotator, str):
            raise RecordError(f"{where}: the annotator must be a string")
        annotator = _analyst(annotator, where)
        origin = extra.get("origin") or "imported"
        if origin not in ORIGINS:
            raise RecordError(f"{where}: origin must be one of {', '.join(ORIGINS)}")
        created = extra.get("created_at") if isinstance(extra.get("created_at"), str) else None
        for part in (note, annotator, created):
            if part is not None:
                _encodable(part, where)
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
    relations = _relations(value, spans, refs, by_offsets, scheme, studio_relations)
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
            f'"statuses" must be an object of analyst: status, not {_type_name(value)}'
        )
    out: dict[str, str] = {}
    for given, status in value.items():
        who = _analyst(given, '"statuses"') or ""
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


def _analyst(value: str | None, where: str) -> str | None:
    """An analyst's name from a record, checked as every name is. None (or "") when the
    record names no one, which gives the work to the importing analyst."""
    if not value:
        return None
    try:
        return check_analyst_name(value)
    except AnalystNameError as e:
        raise RecordError(f"{where}: {e}") from None


def _attributes(
    value: Any, declared: list[dict[str, Any]] | None, label: str, where: str
) -> dict[str, str] | None:
    """A span's attributes, checked against what its label declares."""
    if not isinstance(value, dict):
        raise RecordError(f'{where}: "attributes" must be an object, not {_type_name(value)}')
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
            raise RecordError(f"{where}: attribute {name!r} must be text, not {_type_name(item)}")
        if spec.get("kind") == "choice" and item not in spec.get("values", []):
            raise RecordError(
                f"{where}: attribute {name!r} must be one of {', '.join(spec['values'])}, "
                f"not {item!r}"
            )
        _encodable(item, where)
        out[name] = item
    return out or None


def _relations(
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
            raise RecordError(f'"relations" must be a list, not {_type_name(raw)}')
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
        annotator = _analyst(given, where) if isinstance(given, str) else None
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


def _hashable(ref: Any) -> Any:
    return None if isinstance(ref, (dict, list)) else ref


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
    _encodable(label, f"{where}: the label")
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
            raise RecordError(f'"spans" must be a list, not {_type_name(spans)}')
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
                f'"label" must be a list of [start, end, label], not {_type_name(labels)}'
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
            raise RecordError(f'"entities" must be a list, not {_type_name(entities)}')
        for i, s in enumerate(entities):
            where = f"entities[{i}]"
            if not isinstance(s, dict) or not {"start_offset", "end_offset", "label"} <= s.keys():
                raise RecordError(f"{where}: expected start_offset, end_offset and label")
            yield where, s["start_offset"], s["end_offset"], s["label"], {"id": s.get("id")}
    yield from _label_studio_spans(value, passed_over, scheme, studio_relations)


class RegionRef(NamedTuple):
    """A Label Studio region id within its annotation or prediction: ids are unique only
    there (an annotation made from a prediction keeps the prediction's ids)."""

    layer: str
    region: Any


LABEL_STUDIO_UNMATCHED = "Label Studio per-region result naming no attribute of its span's label"


def _label_studio_spans(
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
            raise RecordError(f'"{key}" must be a list, not {_type_name(items)}')
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
            analyst = _analyst(_studio_analyst(item.get("completed_by")), f"{layer}.completed_by")
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
        raise RecordError(f"{where} must be a list of strings, not {_type_name(value)}")
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


def _utf16_hint(text: str, start: Any, end: Any, span_text: Any) -> str:
    """Say so when offsets only make sense as UTF-16 units (doccano and browsers count those)."""
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(span_text, str):
        return ""
    encoded = text.encode("utf-16-le", "surrogatepass")
    piece = encoded[2 * start : 2 * end].decode("utf-16-le", "ignore") if 0 <= start < end else ""
    if piece == span_text:
        return "; these offsets count UTF-16 units, but annotator counts characters (code points)"
    return ""
