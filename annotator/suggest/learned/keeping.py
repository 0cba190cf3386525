"""Storing what a learned model proposed: its suggestions, named after it, and how unsure it is
about each document.

Apart from the model, and light on purpose: the window stores a worker's proposals with it
in its own thread, a few documents at a time, and imports nothing here that it waits for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from annotator.changes import Change, Changes
from annotator.model import Span
from annotator.suggest.running import SuggestReport, keep_suggestions, label_names

if TYPE_CHECKING:
    from annotator.store.project import Store
    from annotator.suggest.builtin.suggestion import Suggestion

NAME = "learned"  # the suggester's name; each suggestion records "learned#<model id>"
Read = tuple["list[Suggestion]", float]  # what a model proposes in a text, and its uncertainty


def suggester_name(model_id: int | None) -> str:
    """What the suggestions of model ``model_id`` record as their suggester."""
    return f"{NAME}#{model_id}" if model_id is not None else NAME


def keep_learned(
    store: Store,
    model_id: int | None,
    documents: Sequence[int],
    read: Iterable[Read],
    *,
    progress: Callable[[int, int], None] | None = None,
    uncertain: dict[int, float] | None = None,
    suggest: bool = True,
) -> SuggestReport:
    """Store what the model ``model_id`` proposed on ``documents`` (``read``, in the same
    order) as its suggestions, and its uncertainty about each, in one transaction; with
    ``suggest`` False, the uncertainties alone."""
    named = label_names(store)
    suggester = suggester_name(model_id)
    report = SuggestReport(proposed={suggester: Counter()})
    unsure_of: dict[int, float] = {}
    spans: dict[int, Change[Span]] = {}
    with store.transaction():
        for i, (doc, (proposed, unsure)) in enumerate(zip(documents, read, strict=True)):
            unsure_of[doc] = unsure
            if suggest:
                found = [
                    replace(s, label=label)
                    for s in proposed
                    if (label := named(s.label)) is not None
                ]
                changed = keep_suggestions(store, doc, suggester, found, report, family=NAME)
                spans.update(changed.spans)  # each document's own spans: no id is shared
                report.documents += 1
            if progress:
                progress(i + 1, len(documents))
        if model_id is not None:
            store.models.keep_uncertainties(model_id, unsure_of)
    report.changes = Changes(spans=spans)
    if uncertain is not None:
        uncertain.update(unsure_of)
    return report
