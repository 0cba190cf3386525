"""What every check of a record rests on: the refusal (``RecordError``, whose message follows
``file:line:``), JSON read strictly (no key given twice, no NaN), a value's kind named in a
message, what can be stored (UTF-8 text, numbers that fit, nesting no deeper than
``MAX_NESTING``), an analyst's name checked, the scheme a record is checked against, and the
forms its checked spans and relations take. The readers, the record check and its parts
share them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.model import (
    AnalystNameError,
    RelationType,
    check_analyst_name,
    normalise_newlines,
)


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


TITLE_CHARS = 200


def title_of(text: str, passed_over: Callable[[str], bool] | None = None) -> str:
    """The first non-empty line, which is where a news article puts its headline; with
    ``passed_over``, the first that it does not pass over (a picture's caption above the
    headline)."""
    for line in normalise_newlines(text).split("\n"):
        line = line.strip()
        if line and not (passed_over and passed_over(line)):
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


def type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


# Meta nested deeper than this is refused: no one writes it, and exporting it would need a
# deep call stack.
MAX_NESTING = 64


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


def unpaired_surrogate(what: str, error: UnicodeEncodeError) -> str:
    code = ord(error.object[error.start])
    return f"{what} holds an unpaired surrogate (\\u{code:04x}), which is not text"


def encodable(value: Any, what: str) -> str | None:
    """Refuse what cannot be stored as UTF-8 JSON: lone surrogates, and numbers such as 1e400
    that Python reads as infinity. Returns the JSON of a list or object, which was built to
    check it (so it need not be built again to store it)."""
    if value is None or isinstance(value, (bool, int)):
        return None
    if isinstance(value, str):  # the common case, checked without building JSON
        if value.isascii():  # no surrogate can hide in it: nothing to encode
            return None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise RecordError(unpaired_surrogate(what, e)) from None
        return None
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, list) and not value:
        return "[]"
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
        encoded.encode("utf-8")
    except UnicodeEncodeError as e:
        raise RecordError(unpaired_surrogate(what, e)) from None
    except ValueError:
        raise RecordError(f"{what} holds a number too large to store") from None
    except RecursionError:
        raise RecordError(f"{what} is nested too deeply to store") from None
    # Only JSON with this many brackets can nest this deep: count them before walking it.
    if encoded.count("{") + encoded.count("[") > MAX_NESTING and _depth(value) > MAX_NESTING:
        raise RecordError(f"{what} is nested more than {MAX_NESTING} levels deep")
    return encoded


def analyst_name(value: str | None, where: str) -> str | None:
    """An analyst's name from a record, checked as every name is. None (or "") when the
    record names no one, which gives the work to the importing analyst."""
    if not value:
        return None
    try:
        return check_analyst_name(value)
    except AnalystNameError as e:
        raise RecordError(f"{where}: {e}") from None
