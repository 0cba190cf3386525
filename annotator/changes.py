"""What one change to the project changed: spans, documents and labels, as they were and are.

Every store method that writes returns its usual value (what the CLI and the importer read)
carrying a :class:`Changes` as ``.changes``; :func:`changes_of` reads it. The window hands each
``Changes`` to one method, and each view looks only at the part it shows, so nothing is read
back from the store that the write already knew. Changes combine with ``|``: the earliest
"before" and the latest "after" of each thing are kept, so a span added then removed is no
change at all.

Plain data, no Qt and no SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from annotator.model import Label, Relation, RelationType, Span

T = TypeVar("T")


@dataclass(frozen=True)
class Change(Generic[T]):
    """One thing before and after: ``before`` None when it was added, ``after`` None when
    it was removed."""

    before: T | None
    after: T | None

    @property
    def added(self) -> bool:
        return self.before is None and self.after is not None

    @property
    def removed(self) -> bool:
        return self.before is not None and self.after is None


@dataclass(frozen=True)
class DocumentState:
    """What a document's row shows besides its title: its status and number of spans."""

    id: int
    status: str
    span_count: int


def _merge(first: dict[int, Change[Any]], then: dict[int, Change[Any]]) -> dict[int, Change[Any]]:
    out = dict(first)
    for key, change in then.items():
        earlier = out.get(key)
        before = earlier.before if earlier is not None else change.before
        if before is None and change.after is None:
            out.pop(key, None)  # there before neither change, gone after both
        else:
            out[key] = Change(before, change.after)
    return out


@dataclass
class Changes:
    """What changed, by id. ``settled`` is the curator each document is settled by now (None:
    taken out of the settled ones). ``reread`` names documents whose spans a bulk write (an
    import of spans onto stored texts) changed without listing them: a view showing one reads
    its spans again. ``document_list`` says documents were added or removed (an import), so a
    list of them must be read again; ``everything`` says nothing finer is known."""

    spans: dict[int, Change[Span]] = field(default_factory=dict)
    documents: dict[int, Change[DocumentState]] = field(default_factory=dict)
    labels: dict[int, Change[Label]] = field(default_factory=dict)
    relations: dict[int, Change[Relation]] = field(default_factory=dict)
    relation_types: dict[int, Change[RelationType]] = field(default_factory=dict)
    settled: dict[int, str | None] = field(default_factory=dict)
    reread: set[int] = field(default_factory=set)
    document_list: bool = False
    everything: bool = False

    def __or__(self, other: Changes) -> Changes:
        return self.merge(other)

    def merge(self, other: Changes) -> Changes:
        """These changes followed by ``other``'s."""
        return Changes(
            spans=_merge(self.spans, other.spans),
            documents=_merge(self.documents, other.documents),
            labels=_merge(self.labels, other.labels),
            relations=_merge(self.relations, other.relations),
            relation_types=_merge(self.relation_types, other.relation_types),
            settled={**self.settled, **other.settled},
            reread=self.reread | other.reread,
            document_list=self.document_list or other.document_list,
            everything=self.everything or other.everything,
        )

    def __bool__(self) -> bool:
        return bool(
            self.spans
            or self.documents
            or self.labels
            or self.relations
            or self.relation_types
            or self.settled
            or self.reread
            or self.document_list
            or self.everything
        )

    # -- questions views ask -------------------------------------------------------------

    def spans_in(self, document_id: int) -> dict[int, Change[Span]]:
        """The span changes of one document (a span never moves to another document)."""
        return {
            k: c
            for k, c in self.spans.items()
            if (c.after or c.before) is not None
            and (c.after or c.before).document_id == document_id  # type: ignore[union-attr]
        }

    def span_documents(self) -> set[int]:
        return {(c.after or c.before).document_id for c in self.spans.values()}  # type: ignore[union-attr]

    def renamed_labels(self) -> dict[str, str]:
        """Old name → new name, for every label renamed."""
        return {
            c.before.name: c.after.name
            for c in self.labels.values()
            if c.before is not None and c.after is not None and c.before.name != c.after.name
        }


# -- the values a write returns -------------------------------------------------------------


class ChangedCount(int):
    """An int (a count, as the CLI prints it) that also says what changed."""

    changes: Changes


class ChangedStatus(str):
    """A status name that also says what changed."""

    changes: Changes


class ChangedPair(tuple):
    """A (before, after) pair that also says what changed."""

    changes: Changes


def with_changes(value: T, changes: Changes) -> T:
    """``value`` as a write returns it: the same value, with ``.changes`` set."""
    if isinstance(value, bool):
        raise TypeError("a write does not return a bool")
    wrapped: Any
    if isinstance(value, int):
        wrapped = ChangedCount(value)
    elif isinstance(value, str):
        wrapped = ChangedStatus(value)
    elif isinstance(value, tuple):
        wrapped = ChangedPair(value)
    else:
        wrapped = value
    wrapped.changes = changes
    return wrapped


def changes_of(value: object) -> Changes:
    """What the write that returned ``value`` changed."""
    changes = getattr(value, "changes", None)
    if not isinstance(changes, Changes):
        raise TypeError(f"{type(value).__name__} does not say what it changed")
    return changes


def span_changes(before: Span | None, after: Span | None) -> Changes:
    key = (after or before).id  # type: ignore[union-attr]
    assert key is not None
    return Changes(spans={key: Change(before, after)})


# -- changes found by comparing: what another program did -----------------------------------


def compare_labels(shown: list[Label], stored: list[Label]) -> Changes:
    """The label changes between two readings of the scheme, matched by id (so a rename is
    one label changed, not one removed and one added)."""
    old = {lab.id: lab for lab in shown if lab.id is not None}
    new = {lab.id: lab for lab in stored if lab.id is not None}
    labels: dict[int, Change[Label]] = {}
    for key in old.keys() | new.keys():
        before, after = old.get(key), new.get(key)
        if before != after:
            labels[key] = Change(before, after)
    return Changes(labels=labels)


def compare_spans(shown: dict[int, Span], stored: list[Span]) -> Changes:
    """The span changes between what a view shows and what the store holds now."""
    now = {s.id: s for s in stored if s.id is not None}
    spans: dict[int, Change[Span]] = {}
    for key in shown.keys() | now.keys():
        before, after = shown.get(key), now.get(key)
        if before != after:
            spans[key] = Change(before, after)
    return Changes(spans=spans)


def apply_to_labels(labels: list[Label], changes: Changes) -> list[Label]:
    """``labels`` (in scheme order) after ``changes``."""
    by_id = {lab.id: lab for lab in labels}
    for key, change in changes.labels.items():
        if change.after is None:
            by_id.pop(key, None)
        else:
            by_id[key] = change.after
    return sorted(by_id.values(), key=lambda lab: (lab.position, lab.id or 0))
