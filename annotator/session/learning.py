"""Learning in the loop: when the learned model is due to be trained again, and in what order
the analyst's documents are listed.

The window trains the model again in the background after every N documents the analyst
marks done (``retrain_every``, a project setting: 10 by default, 0 never). What counts is the
documents the analyst has done that the newest model did not learn from, so closing the
window, undoing a "done" or another analyst's training all count right. Only a model learned
from documents marked done is trained again this way (one learned from the curated layer is
left to ``annotator train --curated``), and only once there is a model: the first is made on
purpose, from the window or with ``annotator train``.

The order of the document list (project order, or the learned model's least certain first)
is each analyst's own choice, kept in the project as the place they left off is.

No Qt: the window's learning controller reads this state and runs the work it says is due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.store.documents import ORDERS

if TYPE_CHECKING:
    from annotator.changes import Changes
    from annotator.store.project import Store
    from annotator.suggest.learned.model import LearnedModel

RETRAIN_EVERY = 10  # documents marked done, by default
LEARNING = "learning"  # the project setting: {"retrain_every": N}
ORDER = "document_order"  # the project setting: {analyst: order}
MAX_RETRAIN_EVERY = 10_000


def retrain_every(store: Store) -> int:
    """After how many documents marked done the model is trained again (0: never)."""
    value = store.get_setting(LEARNING) or {}
    n = value.get("retrain_every") if isinstance(value, dict) else None
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_RETRAIN_EVERY:
        return RETRAIN_EVERY
    return n


def set_retrain_every(store: Store, n: int) -> None:
    if not 0 <= n <= MAX_RETRAIN_EVERY:
        raise ValueError(f"retrain_every must be from 0 to {MAX_RETRAIN_EVERY}, not {n}")
    value = store.get_setting(LEARNING) or {}
    value = value if isinstance(value, dict) else {}
    store.set_setting(LEARNING, {**value, "retrain_every": n})


def document_order(store: Store) -> str:
    """The order the current analyst lists the documents in (one of ``ORDERS``)."""
    chosen = store.get_setting(ORDER) or {}
    order = chosen.get(store.annotator) if isinstance(chosen, dict) else None
    return order if order in ORDERS else "project"


def set_document_order(store: Store, order: str) -> None:
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    chosen = store.get_setting(ORDER) or {}
    chosen = chosen if isinstance(chosen, dict) else {}
    store.set_setting(ORDER, {**chosen, store.annotator: order})


@dataclass
class LearningLoop:
    """What the window knows of the learned model of the open project: the newest model's
    id, the documents it learned from, the analyst's done documents, and when the next
    training is due."""

    every: int = RETRAIN_EVERY
    model_id: int | None = None
    layer: str | None = None  # the newest model's: "done" or "curated"
    learned_from: set[int] = field(default_factory=set)
    done: set[int] = field(default_factory=set)
    #: New done documents when a training last failed (too few examples, say): the next try
    #: waits for ``every`` more.
    tried_at: int | None = None
    _model: tuple[int, LearnedModel] | None = None

    @classmethod
    def read(cls, store: Store) -> LearningLoop:
        loop = cls(every=retrain_every(store))
        loop.reread(store)
        return loop

    def reread(self, store: Store) -> None:
        """The newest model's record and the analyst's done documents, from the store."""
        self.done = set(store.documents.ids("done"))
        latest = store.models.latest_id()
        if latest != self.model_id:
            record = store.models.get(latest) if latest is not None else None
            self.model_id = latest
            self.layer = record.layer if record is not None else None
            self.learned_from = set(record.documents) if record is not None else set()
            self.tried_at = None

    def follow(self, changes: Changes) -> None:
        """The analyst's statuses as a write returned them."""
        for doc, change in changes.documents.items():
            if change.after is None or change.after.status != "done":
                self.done.discard(doc)
            else:
                self.done.add(doc)

    @property
    def new_done(self) -> int:
        """Documents the analyst marked done that the newest model did not learn from."""
        return len(self.done - self.learned_from)

    def due(self) -> bool:
        """Whether the model is to be trained again now."""
        if self.every <= 0 or self.model_id is None or self.layer != "done":
            return False
        if self.tried_at is not None:
            return self.new_done >= self.tried_at + self.every
        return self.new_done >= self.every

    def failed(self) -> None:
        """A training failed (too few examples, say): try again after ``every`` more
        documents, not at once."""
        self.tried_at = self.new_done

    def model(self, store: Store) -> LearnedModel | None:
        """The newest model, read once for each model id; None when there is none. Raises
        ModelError when it cannot be read."""
        from annotator.suggest.learned.suggesting import latest_model

        latest = store.models.latest_id()
        if latest is None:
            return None
        if self._model is None or self._model[0] != latest:
            model, _ = latest_model(store)
            self._model = (latest, model)
        return self._model[1]

    def stored(self, model_id: int, documents: list[int], layer: str = "done") -> None:
        """A training's model was stored: it serves from now on."""
        self.model_id, self.layer = model_id, layer
        self.learned_from = set(documents)
        self.tried_at = None

    def summary(self) -> dict[str, Any]:
        return {"model": self.model_id, "new_done": self.new_done, "every": self.every}
