"""Whose spans the article and the span list show: the analyst's own, everyone's, or the
curated layer (review mode).

In a project holding several analysts' work an analyst sees their own spans only, so that
each annotates independently and agreement means something. The window keeps one
:class:`Layer` and passes every span it loads, and every change it is handed, through it
before the document model sees them; the model and its views never learn that other spans
exist. Plain Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotator.changes import Change, Changes
from annotator.model import Span

MINE = "mine"
EVERYONE = "everyone"
CURATED = "curated"


@dataclass(frozen=True)
class Layer:
    kind: str  # MINE, EVERYONE or CURATED
    annotator: str  # the current analyst (the curator, in review mode)

    def shows(self, span: Span) -> bool:
        if self.kind == CURATED:
            return span.origin == "curated"
        if span.origin == "curated":
            return False
        if span.origin == "suggested":
            return True  # a suggestion is no analyst's until one accepts it
        return self.kind == EVERYONE or span.annotator == self.annotator

    def editable(self, span: Span) -> bool:
        """Edits apply to the analyst's own spans, and to suggestions (no analyst's until one
        accepts it, and then it is theirs); in review mode, to the curated layer."""
        if span.origin == "suggested":
            return self.kind != CURATED
        return self.kind != EVERYONE or (
            span.annotator == self.annotator and span.origin != "curated"
        )

    @property
    def new_origin(self) -> str:
        """The origin of a span made in this layer."""
        return "curated" if self.kind == CURATED else "manual"

    def spans(self, spans: Iterable[Span]) -> list[Span]:
        """The ``spans`` this layer shows (:meth:`shows`'s test written out for each kind of
        layer: a long article opens with ten thousand spans)."""
        if self.kind == CURATED:
            return [s for s in spans if s.origin == "curated"]
        if self.kind == EVERYONE:
            return [s for s in spans if s.origin != "curated"]
        me = self.annotator
        return [
            s
            for s in spans
            if s.origin == "suggested" or (s.origin != "curated" and s.annotator == me)
        ]

    def changes(self, changes: Changes) -> Changes:
        """``changes`` with the spans this layer does not show left out (a span never changes
        its analyst or origin, so a change is either wholly shown or not at all)."""
        if all(self._shown(c) for c in changes.spans.values()):
            return changes
        spans = {k: c for k, c in changes.spans.items() if self._shown(c)}
        return Changes(
            spans=spans,
            documents=changes.documents,
            labels=changes.labels,
            relations=changes.relations,
            relation_types=changes.relation_types,
            document_list=changes.document_list,
            everything=changes.everything,
        )

    def _shown(self, change: Change[Span]) -> bool:
        span = change.after or change.before
        return span is not None and self.shows(span)
