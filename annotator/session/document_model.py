"""The open document as the window shows it: its text, its items and what is selected.

The one copy of this state. Views (the article, the span list, the status bar) connect to the
model's events and keep only what they need to draw; a change reaches the model as a
:class:`~annotator.changes.Changes` and leaves it as one :class:`ItemChanges` per kind of item.
Three kinds: spans (the annotations), suggestions (spans of origin ``suggested``, kept apart so
that no view takes a proposal for an annotation) and relations (between two of the spans shown,
head to child). Span and suggestion ids are unique across those two kinds (they are rows of one
table), so ``select(id)`` finds the span whatever its kind; relations are rows of another table
and are not selected here (the relations panel shows which one is chosen).

No Qt: plain callbacks, so the model is tested without a QApplication (napari's layers emit
events the same way, and its Qt widgets listen).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from annotator.changes import Change, Changes
from annotator.model import Relation, Span

T = TypeVar("T")
SPAN = "span"
SUGGESTION = "suggestion"
RELATION = "relation"


def kind_of(span: Span) -> str:
    """Which kind of item a stored span is in the window: an annotation or a suggestion."""
    return SUGGESTION if span.origin == "suggested" else SPAN


class Event:
    """Callbacks called in the order they were connected, with what ``emit`` is given."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            callback(*args)


@dataclass(frozen=True)
class ItemChanges(Generic[T]):
    """What changed among one kind of item in the open document."""

    kind: str
    added: list[T] = field(default_factory=list)
    removed: list[T] = field(default_factory=list)
    updated: list[tuple[T, T]] = field(default_factory=list)  # (before, after)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.updated)


@dataclass(frozen=True)
class Selection:
    """The one selected item: its kind and id."""

    kind: str
    id: int


class DocumentEvents:
    """``loaded()``: a document (or none) was opened; ``changed(ItemChanges)``: items of one
    kind changed (a listener looks at ``kind``, and once per kind); ``selected(Selection | None,
    previous)``: the selection moved (or what was selected changed)."""

    def __init__(self) -> None:
        self.loaded = Event()
        self.changed = Event()
        self.selected = Event()


class DocumentModel:
    def __init__(self) -> None:
        self.events = DocumentEvents()
        self.document_id: int | None = None
        self.text = ""
        self.spans: dict[int, Span] = {}
        self.suggestions: dict[int, Span] = {}
        self.relations: dict[int, Relation] = {}
        self.selection: Selection | None = None

    # -- opening ----------------------------------------------------------------------------

    def load(
        self,
        document_id: int | None,
        text: str,
        spans: list[Span],
        relations: list[Relation] | None = None,
    ) -> None:
        """Show a document with its spans as the store has them (nothing selected); the
        suggestions among them go to ``suggestions``, and the relations between two of the
        spans to ``relations``."""
        self.document_id = document_id
        self.text = text
        # One pass, kind_of's test written out: a long article opens with ten thousand spans.
        self.spans, self.suggestions = {}, {}
        for s in spans:
            if s.id is not None:
                (self.suggestions if s.origin == "suggested" else self.spans)[s.id] = s
        self.relations = {
            r.id: r for r in relations or [] if r.id is not None and self._joins_shown(r)
        }
        previous, self.selection = self.selection, None
        self.events.loaded.emit()
        if previous is not None:
            self.events.selected.emit(None, previous)

    def clear(self) -> None:
        self.load(None, "", [])

    # -- changes ----------------------------------------------------------------------------

    def apply(self, changes: Changes) -> ItemChanges[Span]:
        """Take this document's part of ``changes`` (and labels renamed in it); returns what
        differed among the spans (annotations), and emits ``changed`` once for each kind that
        differed, spans first.

        A span added that is here already (read by a switch or a refresh) is updated, and one
        removed that is not here is ignored, so applying a change twice changes nothing. A
        span never changes kind: accepting a suggestion removes it and adds a span.
        """
        found: ItemChanges[Span] = ItemChanges(SPAN)
        if self.document_id is None:
            return found
        proposed: ItemChanges[Span] = ItemChanges(SUGGESTION)
        mine: dict[int, Change[Span]] = {}
        renamed = changes.renamed_labels()
        if renamed:
            for s in [*self.spans.values(), *self.suggestions.values()]:
                if s.label in renamed and s.id is not None:
                    mine[s.id] = Change(s, replace(s, label=renamed[s.label]))
        mine.update(changes.spans_in(self.document_id))
        for span_id, change in mine.items():
            either = change.after or change.before
            assert either is not None
            if kind_of(either) == SPAN:
                _take(self.spans, span_id, change.after, found)
            else:
                _take(self.suggestions, span_id, change.after, proposed)
        related = self._apply_relations(changes)
        if found:
            self._emit(found)
        if proposed:
            self._emit(proposed)
        if related:
            self.events.changed.emit(related)
        return found

    def _joins_shown(self, relation: Relation) -> bool:
        return relation.head in self.spans and relation.child in self.spans

    def _apply_relations(self, changes: Changes) -> ItemChanges[Relation]:
        """This document's relation changes, after its spans': a relation is held while both
        its ends are shown (one whose span went, by a change that did not say so, goes too)."""
        found: ItemChanges[Relation] = ItemChanges(RELATION)
        for key, change in changes.relations.items():
            either = change.after or change.before
            if either is None or either.document_id != self.document_id:
                continue
            after = change.after if change.after and self._joins_shown(change.after) else None
            here = self.relations.get(key)
            if after is None:
                if here is not None:
                    del self.relations[key]
                    found.removed.append(here)
            elif here is None:
                self.relations[key] = after
                found.added.append(after)
            elif here != after:
                self.relations[key] = after
                found.updated.append((here, after))
        for key, relation in list(self.relations.items()):
            if not self._joins_shown(relation):
                del self.relations[key]
                found.removed.append(relation)
        return found

    def _emit(self, found: ItemChanges[Span]) -> None:
        chosen = self.selection
        mine = chosen is not None and chosen.kind == found.kind
        if mine and any(s.id == chosen.id for s in found.removed):  # type: ignore[union-attr]
            # deselected before its row and highlight go, so no view picks a neighbour
            self.selection = None
            self.events.selected.emit(None, chosen)
            mine = False
        self.events.changed.emit(found)
        if mine and any(a.id == chosen.id for _, a in found.updated):  # type: ignore[union-attr]
            self.events.selected.emit(chosen, chosen)  # the same span, new edges or label

    # -- the selection ----------------------------------------------------------------------

    def select(self, span_id: int | None, kind: str | None = None) -> Selection | None:
        """Select an item of this document: a span or a suggestion, whichever has this id
        (None, or one not here: nothing selected)."""
        chosen: Selection | None = None
        if span_id is not None:
            found = SPAN if span_id in self.spans else None
            if found is None and span_id in self.suggestions:
                found = SUGGESTION
            if found is not None and kind in (None, found):
                chosen = Selection(found, span_id)
        previous, self.selection = self.selection, chosen
        if chosen != previous:
            self.events.selected.emit(chosen, previous)
        return chosen

    @property
    def selected_span(self) -> Span | None:
        chosen = self.selection
        if chosen is None or chosen.kind != SPAN:
            return None
        return self.spans.get(chosen.id)

    @property
    def selected_suggestion(self) -> Span | None:
        chosen = self.selection
        if chosen is None or chosen.kind != SUGGESTION:
            return None
        return self.suggestions.get(chosen.id)

    def all_spans(self) -> dict[int, Span]:
        """Spans and suggestions by id: what the store holds of this document, as shown."""
        return {**self.spans, **self.suggestions}


def _take(
    items: dict[int, Span], span_id: int, after: Span | None, found: ItemChanges[Span]
) -> None:
    here = items.get(span_id)
    if after is None:
        if here is not None:
            del items[span_id]
            found.removed.append(here)
    elif here is None:
        items[span_id] = after
        found.added.append(after)
    elif here != after:
        items[span_id] = after
        found.updated.append((here, after))
