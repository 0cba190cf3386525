"""Plain data for documents, labels and spans, and the checks every offset goes through.

Offsets are Python string indices (Unicode code points), half-open ``[start, end)``, into a
document's stored text. Nothing here knows about SQLite or Qt.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

STATUSES = ("new", "in_progress", "done", "skipped")
#: Each status as people read it (the keys are what files and JSON hold).
STATUS_NAMES = {"new": "new", "in_progress": "in progress", "done": "done", "skipped": "skipped"}
ORIGINS = ("manual", "imported", "suggested", "curated")

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_LABEL_NAME_MAX = 64
#: Longer than any person's name; a name is printed in every table of analysts.
ANALYST_NAME_MAX = 100
# What ``printable`` escapes: characters that move the cursor, break a line, reorder the text
# around them (bidi controls are Cf) or are not characters at all (lone surrogates).
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class Refused(ValueError):
    """An operation refused as asked (a merge, a relation, a suggester's output...); the
    message is one sentence for the user, and nothing was changed."""


class SpanError(ValueError):
    """A span that does not fit its document: the message says why, in the analyst's words."""


class RelationError(Refused):
    """A relation that cannot be made as asked; the message says why."""


class LabelError(ValueError):
    """A label that cannot be created or changed as asked."""


class AnalystNameError(Refused):
    """A name that cannot be an analyst's: the message says why, without saying where from."""


@dataclass
class Label:
    name: str
    color: str = "#888888"
    hotkey: str | None = None
    definition: str = ""
    id: int | None = None
    position: int = 0
    # What a span of this label may carry: [{"name", "kind": "text" | "choice", "values"?}]
    attributes: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RelationType:
    """A kind of relation, and the labels its head and child spans may have (any when empty)."""

    name: str
    color: str = "#888888"
    heads: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    definition: str = ""
    id: int | None = None
    position: int = 0

    def fits(self, head_label: str, child_label: str) -> bool:
        return (not self.heads or head_label in self.heads) and (
            not self.children or child_label in self.children
        )

    def names(self, label: str) -> bool:
        """Whether this type names ``label`` at either end."""
        return label in self.heads or label in self.children

    def with_label_renamed(self, old: str, new: str) -> RelationType:
        """This type as it is once label ``old`` is called ``new``."""
        return replace(
            self,
            heads=[new if n == old else n for n in self.heads],
            children=[new if n == old else n for n in self.children],
        )


@dataclass
class Relation:
    """A directed link from one span (the head) to another (the child) in the same document."""

    document_id: int
    head: int
    child: int
    label: str
    annotator: str = ""
    origin: str = "manual"
    created_at: str = ""
    updated_at: str = ""
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Span:
    document_id: int
    start: int
    end: int
    label: str
    text: str
    annotator: str = ""
    note: str | None = None
    origin: str = "manual"
    created_at: str = ""
    updated_at: str = ""
    id: int | None = None
    suggester: str | None = None  # for a suggestion: what proposed it
    score: float | None = None  # and how sure it was (0 to 1)
    attributes: dict[str, str] = field(default_factory=dict)  # as its label declares them

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Document:
    id: int
    title: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    status: str = "new"
    external_id: str | None = None
    text_hash: str = ""
    source: str | None = None
    created_at: str = ""
    updated_at: str = ""
    statuses: dict[str, str] = field(default_factory=dict)  # each analyst's own, by name
    relations: list[Relation] = field(default_factory=list)  # filled where they are read


def utc_now() -> str:
    """A timestamp that sorts as text: ISO 8601 in UTC with milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def text_hash(text: str | bytes) -> str:
    """The identity of a document: SHA-256 of its stored (normalised) text in UTF-8.

    Takes the UTF-8 bytes too, for callers that have already encoded the text.
    """
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def check_span(text: str, start: Any, end: Any, span_text: Any = None) -> None:
    """Refuse a span that does not describe a real, non-empty stretch of ``text``.

    ``span_text``, when given, must equal ``text[start:end]`` exactly.
    """
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SpanError(f"span {name} must be an integer, not {value!r}")
    if start < 0:
        raise SpanError(f"span start {start} is negative")
    if end > len(text):
        raise SpanError(f"span [{start}, {end}) ends after the text ({len(text)} characters)")
    if end < start:
        raise SpanError(f"span [{start}, {end}) is reversed")
    if end == start:
        raise SpanError(f"span [{start}, {end}) is empty")
    if span_text is not None:
        if not isinstance(span_text, str):
            raise SpanError(f"span text must be a string, not {type(span_text).__name__}")
        actual = text[start:end]
        if actual != span_text:
            raise SpanError(
                f"span text {_preview(span_text)} differs from the text at [{start}, {end}):"
                f" {_preview(actual)}"
            )


def check_label_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise LabelError("a label needs a name")
    if name != name.strip():
        raise LabelError(f"label name {name!r} starts or ends with whitespace")
    if len(name) > _LABEL_NAME_MAX:
        raise LabelError(f"label name is longer than {_LABEL_NAME_MAX} characters")
    # Control characters (Cc) include tab and every line break str.splitlines knows except
    # U+2028 and U+2029, which are checked by name.
    if any(unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029" for ch in name):
        raise LabelError(f"label name {name!r} holds a line break, tab or control character")
    return name


def check_analyst_name(name: Any) -> str:
    """``name`` without the spaces around it, refused when it is blank, too long, or holds a
    character that would print as something else (an escape sequence, a line break, a bidi
    control): names are printed in tables and reports, where such a name could forge a line.
    Every way a name arrives (option, environment, the window, imported files) comes here."""
    if not isinstance(name, str):
        raise AnalystNameError(f"an analyst's name must be text, not {type(name).__name__}")
    # isprintable() is False for every such character (and for a few harmless ones): the
    # common name is passed at C speed, and only the others are read one character at a time.
    bad = None
    if not name.isprintable():
        bad = next((ch for ch in name if unicodedata.category(ch) in _UNPRINTABLE), None)
    if bad is not None:
        from annotator.printable import printable

        shown = printable(name if len(name) <= 40 else name[:39] + "…")
        raise AnalystNameError(
            f"the analyst name '{shown}' holds a control or formatting character "
            f"({printable(bad)}); a name must be plain text that prints as typed"
        )
    name = name.strip()
    if not name:
        raise AnalystNameError("an analyst's name cannot be blank")
    if len(name) > ANALYST_NAME_MAX:
        raise AnalystNameError(
            f"an analyst's name is at most {ANALYST_NAME_MAX} characters; this one has "
            f"{len(name):,}"
        )
    return name


def check_color(color: Any) -> str:
    if not isinstance(color, str) or not _COLOR.fullmatch(color):
        raise LabelError(f"colour {color!r} is not of the form #rrggbb")
    return color.lower()


def check_hotkey(hotkey: Any) -> str | None:
    if hotkey in (None, ""):
        return None
    if not isinstance(hotkey, str) or len(hotkey) != 1 or not hotkey.isprintable() or hotkey == " ":
        raise LabelError(f"hotkey {hotkey!r} must be a single printable character")
    return hotkey


def _preview(s: str, limit: int = 40) -> str:
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return repr(s)


class LineEndings:
    """Normalises ``\\r\\n`` and lone ``\\r`` to ``\\n`` and moves offsets with the text.

    Only the ``\\r`` of each ``\\r\\n`` pair is removed, so an offset moves back by the number of
    removed characters before it. An end that falls between ``\\r`` and ``\\n`` covered part of
    that line break, so it is moved past the whole break: a span keeps covering the same
    characters as before.
    """

    def __init__(self, text: str) -> None:
        self.original = text
        if "\r" not in text:
            self.text = text
            self._removed: list[int] = []
            return
        self._removed = [m.start() for m in re.finditer("\r\n", text)]
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def start(self, offset: int) -> int:
        return offset - bisect.bisect_left(self._removed, offset)

    def end(self, offset: int) -> int:
        shifted = offset - bisect.bisect_left(self._removed, offset)
        i = bisect.bisect_left(self._removed, offset - 1)
        if i < len(self._removed) and self._removed[i] == offset - 1:
            # The end sits between "\r" and "\n": include the "\n".
            shifted += 1
        return shifted


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_attributes(label: Label, values: Any) -> dict[str, str]:
    """A span's attributes, as its label declares them; refused with a reason otherwise."""
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise SpanError("attributes must be an object of name: value")
    declared = {a["name"]: a for a in label.attributes}
    out: dict[str, str] = {}
    for name, value in values.items():
        spec = declared.get(name)
        if spec is None:
            known = ", ".join(declared) or "none"
            raise SpanError(f"label {label.name!r} has no attribute {name!r} (it has: {known})")
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise SpanError(f"attribute {name!r} must be text, not {type(value).__name__}")
        if spec["kind"] == "choice" and value not in spec["values"]:
            raise SpanError(
                f"attribute {name!r} must be one of {', '.join(spec['values'])}, not {value!r}"
            )
        out[name] = value
    return out
