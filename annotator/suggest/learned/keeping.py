"""Storing what a learned model proposed: its suggestions, named after it, and how unsure it is
about each document.

Apart from the model, and light on purpose: the window stores a worker's proposals with it
in its own thread, a few documents at a time, and imports nothing here that it waits for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from annotator.changes import Changes
from annotator.suggest.running import SuggestReport, keep_suggestions_in, label_names

if TYPE_CHECKING:
    from annotator.store.project import Store
    from annotator.suggest.builtin.suggestion import Suggestion

CHUNK = 200  # documents stored by one round of statements
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
    texts: Mapping[int, str] | None = None,
) -> SuggestReport:
    """Store what the model ``model_id`` proposed on ``documents`` (``read``, in the same
    order) as its suggestions, and its uncertainty about each, in one transaction; with
    ``suggest`` False, the uncertainties alone. The documents are stored ``CHUNK`` at a
    time, each chunk read and written by a few statements (``texts`` may give their texts,
    read already)."""
    named = label_names(store)
    suggester = suggester_name(model_id)
    report = SuggestReport(proposed={suggester: Counter()})
    unsure_of: dict[int, float] = {}
    changes = Changes()
    pending: dict[int, list[Suggestion]] = {}  # a document named twice is stored twice

    def store_pending() -> None:
        nonlocal changes
        if pending:
            kept = keep_suggestions_in(
                store, list(pending.items()), suggester, report, family=NAME, texts=texts
            )
            changes |= kept
            pending.clear()

    with store.transaction():
        for i, (doc, (proposed, unsure)) in enumerate(zip(documents, read, strict=True)):
            unsure_of[doc] = unsure
            if suggest:
                if doc in pending or len(pending) >= CHUNK:
                    store_pending()
                pending[doc] = [
                    replace(s, label=label)
                    for s in proposed
                    if (label := named(s.label)) is not None
                ]
                report.documents += 1
            if progress:
                progress(i + 1, len(documents))
        store_pending()
        if model_id is not None:
            store.models.keep_uncertainties(model_id, unsure_of)
    report.changes = changes
    if uncertain is not None:
        uncertain.update(unsure_of)
    return report
