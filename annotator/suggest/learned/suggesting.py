"""The learned model at work on a project: its suggestions, stored as every suggester's are,
and how unsure it is about each document.

Each suggestion records the model that made it as its suggester, ``learned#<id>``. Running it
again (with the same model or a newer one) replaces the earlier learned suggestions on those
documents, keeping the ids of those still proposed, and never proposes again what an analyst
rejected from any learned model on that document. How unsure the model is about each document
is kept with its suggestions, for listing the least certain documents first.

``suggest_learned`` proposes and stores at once; the window proposes in a worker process
(see ``background``) and stores what comes back a few documents at a time (``keep_learned``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from annotator.collector import collector_paused
from annotator.printable import printable
from annotator.store.models import ModelRecord
from annotator.store.project import Store
from annotator.suggest.learned.batch import proposals
from annotator.suggest.learned.keeping import Read, keep_learned
from annotator.suggest.learned.model import (
    DEFAULT_MIN_SCORE,
    LearnedModel,
    ModelError,
    loads,
)
from annotator.suggest.running import SuggestError, SuggestReport


def latest_model(store: Store) -> tuple[LearnedModel, ModelRecord]:
    """The project's newest model, read and checked, with its record. Raises SuggestError when
    there is none, and ModelError when it cannot be read (another version's, or damaged)."""
    record = store.models.latest()
    if record is None:
        raise SuggestError(
            "this project has no learned model yet; train one with `annotator train` once "
            "some documents are marked done"
        )
    where = f"the learned model #{record.id} in {printable(store.path)}"
    model = loads(record.parameters or "", where)
    model.id = record.id
    return model, record


def suggest_learned(
    store: Store,
    documents: Sequence[int],
    *,
    min_score: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    model: LearnedModel | None = None,
    uncertain: dict[int, float] | None = None,
) -> SuggestReport:
    """Propose the learned model's spans on ``documents`` and store them (one transaction),
    with how unsure the model is about each document (see ``store.models.uncertainties``).

    ``min_score`` (default ``DEFAULT_MIN_SCORE``, 0.35) is the probability a suggestion must
    have at least. Many documents are proposed on in worker processes (see ``batch``). Given a
    dict as ``uncertain``, each document's uncertainty (see :func:`uncertainties`) is put in it
    too. The report's ``changes`` are every suggestion added, withdrawn or restamped.
    """
    if model is None:
        model, _ = latest_model(store)
    texts = [store.documents.text(doc) for doc in documents]
    with collector_paused(), store.transaction(), store.bulk_writes():
        read = proposals(model, texts, _floor(min_score))
        return keep_learned(
            store, model.id, documents, read, progress=progress, uncertain=uncertain,
            texts=dict(zip(documents, texts, strict=True)),
        )  # fmt: skip


def _floor(min_score: float | None) -> float:
    return DEFAULT_MIN_SCORE if min_score is None else min_score


def propose(
    model: LearnedModel, texts: Sequence[str], min_score: float | None = None
) -> list[Read]:
    """What ``model`` proposes in each of ``texts`` and how unsure it is of each, reading and
    storing nothing (for ``keep_learned`` to store)."""
    return list(proposals(model, texts, _floor(min_score)))


def uncertainties(
    store: Store, documents: Sequence[int], model: LearnedModel | None = None
) -> dict[int, float]:
    """How unsure the newest model is about each document, from 0 to 1 (see
    :meth:`LearnedModel.uncertainty`): sort by it, highest first, to tag the least certain
    documents first. Nothing is stored."""
    if model is None:
        model, _ = latest_model(store)
    texts = [store.documents.text(doc) for doc in documents]
    with collector_paused():
        read = proposals(model, texts, 1.0)
        return {doc: unsure for doc, (_, unsure) in zip(documents, read, strict=True)}


__all__ = [
    "DEFAULT_MIN_SCORE",
    "ModelError",
    "keep_learned",
    "latest_model",
    "propose",
    "suggest_learned",
    "uncertainties",
]
