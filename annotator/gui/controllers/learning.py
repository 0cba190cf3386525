"""The learned model in the loop: trained again in the background as the analyst works, its
suggestions on the documents not done refreshed, and the documents listed least certain first.

After every N documents the analyst marks done (:class:`~annotator.session.learning.LearningLoop`
says when), a worker process (:mod:`annotator.suggest.learned.background`) trains a new model
through a connection of its own, reading the project and writing nothing; the status bar shows
how far it got. A process, not a thread: training holds Python's lock for tens of milliseconds
at a time, which in a thread would stall the window as often. The model it hands back is
stored from the window's thread in one short transaction, and serves from then on: until
then, F8 and the rest go on with the one before. Then a second worker proposes the new model's
spans on every document not done, and the window stores them a few documents at a time, each
store a short transaction whose changes take the one road to the views
(``Shell.apply_changes``), so typing never waits more than a few milliseconds.

Nothing the window does for a retrain runs long in one go: each step is a turn of the event
loop of its own, and Qt paints between them. The model's line is read in one turn, stored in
the next, the second worker started in a third; each store of suggestions lasts
``STORE_SLICE`` at most, and the open document's are stored in a turn alone (its views are
drawn again after); the document list's Suggested column is brought up ``COUNT_ROWS`` rows a
turn.

Closing the project (or the window) stops the workers: a training stopped halfway has stored
nothing, and suggestions are stored whole, document by document.
"""

from __future__ import annotations

import gc
import time
from collections import deque
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QStatusBar

from annotator import keymap
from annotator.changes import Changes
from annotator.gui import errors
from annotator.gui.controllers.workers import WHY, BackgroundError, Worker
from annotator.session.learning import (
    LearningLoop,
    document_order,
    retrain_every,
    set_document_order,
    set_retrain_every,
)

if TYPE_CHECKING:
    from annotator.gui.controllers.shell import Shell
    from annotator.gui.panels.document_list import DocumentList
    from annotator.session.project_model import Applied, ProjectModel
    from annotator.store.project import Store
    from annotator.suggest.learned.keeping import Read
    from annotator.suggest.learned.model import LearnedModel

# The orders, by the ids of their commands (text and keys are the keymap's)
ORDER_COMMANDS = {"project": "document.order.project", "uncertain": "document.order.uncertain"}
GATHER = 20  # documents proposed before a slice is stored (each store is a commit)
GATHER_MS = 150  # ... or this long after the first of them came
STORE_SLICE = 0.002  # seconds of storing in one turn, at most (and one document at least)
COUNT_EVERY = 1.0  # seconds: how often the document list's Suggested column is brought up
COUNT_ROWS = 12  # rows of the document list brought up in one turn (each is painted again)


class Learning(QObject):
    """The learning loop of the open project, in the window (``window.learning``)."""

    def __init__(
        self,
        project: ProjectModel,
        documents: DocumentList,
        shell: Shell,
        bar: QStatusBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.documents = documents
        self.shell = shell
        self.loop = LearningLoop()
        self.training: Worker | None = None
        self.proposing: Worker | None = None
        self._trained: Any = None  # the model the training worker wrote, once it did
        self._held = False  # see _hold
        self._checkpointing: Worker | None = None
        self._model_id: int | None = None  # whose proposals are being stored
        self._suggest = True  # the proposals are stored as suggestions, not only the order
        self._queue: deque[tuple[int, Read]] = deque()
        self._stored = self._total = 0
        self._refreshing = False  # from refresh() until its last count is shown
        self._opened_later = False  # the open document waited behind the others (once)
        self._uncounted: list[int] = []  # stored, not yet counted in the document list
        self._counts: deque[tuple[int, int]] = deque()  # counted, not yet shown in the list
        self._counted_at = 0.0
        self._store_timer = _zero_timer(self, self._store_some)
        self._count_timer = _zero_timer(self, self._show_some_counts)
        #: The steps of storing a trained model, one a turn (see _store_model).
        self._steps: deque[Callable[[], None]] = deque()
        self._step_timer = _zero_timer(self, self._next_step)
        self._documents_learned = 0
        self.progress = QLabel()
        self.progress.setObjectName("learningProgress")
        self.progress.hide()
        bar.addPermanentWidget(self.progress)
        self.order_actions: dict[str, QAction] = {}
        #: What runs a worker: ``python -m annotator.suggest.learned.background`` (tests put
        #: a script of their own in front of it).
        self.worker_program: list[str] = []
        #: Called with each model stored (tests and benchmarks wait for it).
        self.on_stored: Callable[[int], None] = lambda _id: None
        #: Called when a refresh of learned suggestions has stored its last document.
        self.on_refreshed: Callable[[], None] = lambda: None
        #: The document open in the window (its suggestions are stored in a turn alone).
        self.open_document: Callable[[], int | None] = lambda: None
        events = project.events
        events.opened.connect(self._opened)
        events.closed.connect(self.stop)
        events.changed.connect(self._changed)

    # -- the project ---------------------------------------------------------------------------

    def _opened(self, store: Store) -> None:
        # What storing a worker's work needs, imported once the window has painted the project
        # (a tenth of a second the analyst would otherwise wait for), not in the middle of it.
        QTimer.singleShot(0, _import_what_storing_needs)
        self.stop()
        self.loop = LearningLoop.read(store)
        self._check_order(document_order(store))

    def _changed(self, applied: Applied) -> None:
        """Count the documents marked done; train again when enough were."""
        store = self.project.store
        if store is None:
            return
        if applied.ours:
            self.loop.follow(applied.changes)
        else:  # another program may have marked documents done, or trained a model
            self.loop.reread(store)
        self._train_if_due()

    @property
    def busy(self) -> bool:
        return (
            self.training is not None
            or self.proposing is not None
            or bool(self._queue or self._steps)
            or self._refreshing
        )

    def _train_if_due(self) -> None:
        if self.loop.due() and not self.busy and self.project.store is not None:
            self.train()

    def model(self) -> LearnedModel | None:
        """The newest model of the open project (the one serving), or None."""
        store = self.project.store
        return None if store is None else self.loop.model(store)

    def _worker(self, *args: str) -> Worker:
        worker = Worker(list(args), self)
        if self.worker_program:
            worker.process.setProgram(self.worker_program[0])
            worker.process.setArguments([*self.worker_program[1:], *args])
        return worker

    # -- training ------------------------------------------------------------------------------

    def train_now(self) -> None:
        """Tag → Learn from the documents done: train a model now, in the background."""
        if self.project.store is None:
            self.shell.show_error("Open a project first.")
            return
        if self.training is not None:
            self.shell.say("The learned model is being trained already.", 4000)
            return
        self.train()

    def train(self) -> None:
        """Train a new model in a worker process; the one before serves until it is stored."""
        store = self.project.require_store()
        self._documents_learned = store.models.done_documents()
        self._trained = None
        worker = self._worker("train", str(store.path), store.annotator)
        worker.said.connect(partial(self._training_said, worker))
        worker.ended.connect(partial(self._training_ended, worker))
        self.training = worker
        self._show(f"Learning from {self._documents_learned} done documents…")
        worker.start()

    def _training_said(self, worker: Worker, said: dict[str, Any]) -> None:
        if worker is not self.training:
            return  # stopped: what it said last is not heard
        progress = said.get("progress")
        if isinstance(progress, list) and len(progress) == 2:
            done, steps = progress
            self._show(f"Learning from {self._documents_learned} done documents… {done}/{steps}")
        elif "trained" in said:
            self._trained = said["trained"]
        else:
            self._worker_refused(said, "The learned model was not trained", training=True)

    def _training_ended(self, worker: Worker, code: int, stderr: str) -> None:
        """Store the model (one short transaction), then refresh the suggestions with it."""
        if worker is not self.training:
            return  # stopped: the project it trained on is closed
        self.training = None
        worker.deleteLater()
        self._show(None)
        trained, self._trained = self._trained, None
        store = self.project.store
        if store is not None and code == 0 and trained is not None:
            self._then(partial(self._store_model, trained))
            return
        if store is not None and not worker.explained:
            self.loop.failed()
            self._crashed("training", code, stderr)
        self._train_if_due()

    def _then(self, step: Callable[[], None]) -> None:
        """Run ``step`` in a turn of the event loop of its own, after the steps before it."""
        self._steps.append(step)
        if not self._step_timer.isActive():
            self._step_timer.start()

    def _next_step(self) -> None:
        if self._steps:
            self._steps.popleft()()
        if self._steps:
            self._step_timer.start()

    def _store_model(self, trained: Any) -> None:
        """Store the trained model (one short transaction); its suggestions are refreshed from
        the next turn on."""
        from annotator.store.project import ProjectError
        from annotator.suggest.learned.background import store_trained

        store = self.project.store
        if store is None:
            return
        self._hold(store)
        try:
            model_id = store_trained(store, trained)
        except (ProjectError, ValueError) as e:
            self._release()
            self.loop.failed()
            self.shell.show_error(f"The learned model was not stored: {e}")
            self._train_if_due()
            return
        self.loop.stored(model_id, trained["documents"], trained["layer"])
        labels = ", ".join(trained["labels"])
        self.shell.say(
            f"Learned model #{model_id} ({labels}) from {len(trained['documents'])} done "
            "documents; refreshing its suggestions on the documents not done.",
            8000,
        )
        self._then(partial(self._stored_model, model_id))

    def _stored_model(self, model_id: int) -> None:
        if self.project.store is None:
            return
        self.on_stored(model_id)
        self.refresh(model_id)

    def _worker_refused(self, said: dict[str, Any], what: str, *, training: bool) -> None:
        """What a worker could not do: a refusal (too few examples, no scikit-learn) said
        once in the status bar; a project it could not read in a sentence; anything else as
        every unforeseen error is. Nothing was stored either way, and the next training waits
        for N more documents done."""
        if training and WHY.intersection(said):
            self.loop.failed()
        if "refused" in said:
            every = self.loop.every
            again = f"; it tries again after {every} more documents done" if every else ""
            self.shell.say(f"{what}: {said['refused']}{again}.", 10000)
        elif "unreadable" in said:
            self.shell.show_error(f"{what}: {said['unreadable']}")
        elif "error" in said:
            error = BackgroundError(f"{said['error']}\n{said.get('traceback', '')}")
            errors.report(BackgroundError, error, None, self.shell.show_error)

    def _crashed(self, what: str, code: int, stderr: str) -> None:
        """A worker that ended without saying why (it could not start, or crashed)."""
        how = "could not be started" if code == -1 else f"ended with exit code {code}"
        said = f" It said: {stderr}" if stderr else ""
        self.shell.show_error(f"The {what} process {how}; nothing was stored.{said}")

    # -- refreshing the suggestions ------------------------------------------------------------

    def refresh(self, model_id: int, *, suggest: bool = True) -> None:
        """Propose the model's spans on every document not done, in a worker process, and
        store them (with ``suggest`` False, only how unsure it is of each) a slice at a time."""
        self._stop_proposing()
        store = self.project.require_store()
        self._hold(store)
        worker = self._worker("propose", str(store.path), store.annotator, str(model_id))
        worker.said.connect(partial(self._proposal_said, worker))
        worker.ended.connect(partial(self._proposals_ended, worker))
        self.proposing, self._model_id, self._suggest = worker, model_id, suggest
        self._stored = self._total = 0
        self._refreshing, self._opened_later = True, False
        self._uncounted, self._counted_at = [], time.perf_counter()
        worker.start()

    def _proposal_said(self, worker: Worker, said: dict[str, Any]) -> None:
        from annotator.suggest.builtin.suggestion import Suggestion

        if worker is not self.proposing:
            return
        if "document" in said:
            found = [Suggestion(*span) for span in said.get("spans", [])]
            self._queue.append((int(said["document"]), (found, float(said["uncertainty"]))))
            self._store_soon()
        elif "documents" in said:
            self._total = int(said["documents"])
        else:
            self._worker_refused(said, "The learned suggestions were not refreshed", training=False)

    def _store_some(self) -> None:
        """Store what was proposed, document by document, for ``STORE_SLICE`` seconds at
        most, in one transaction; its changes go to the views. The open document is stored in
        a turn alone, since its views are then drawn again. The rest waits for the next turn
        of the event loop."""
        from annotator.store.project import ProjectError
        from annotator.suggest.learned.background import unsynced
        from annotator.suggest.learned.keeping import keep_learned

        store = self.project.store
        if store is None or not self._queue:
            return
        changes = Changes()
        stored: list[int] = []
        try:
            with unsynced(store), store.transaction():
                for doc, read in self._slice():
                    kept = keep_learned(store, self._model_id, [doc], [read], suggest=self._suggest)
                    changes |= kept.changes
                    stored.append(doc)
        except ProjectError as e:
            self._abandon_refresh()
            self.shell.show_error(f"The learned suggestions were not refreshed: {e}")
            return
        self._stored += len(stored)
        self._uncounted += stored
        if changes:
            self.shell.apply_changes(changes)
        model = self.documents.model
        if (
            time.perf_counter() - self._counted_at > COUNT_EVERY
            or model.columnCount() == model.suggested_column  # the first counts: at once
        ):
            self._count_suggested(store)
        self._show(f"Refreshing learned suggestions… {self._stored}/{self._total}")
        if self._queue:
            self._store_soon()
        elif self.proposing is None:
            self._refreshed()

    def _slice(self) -> Iterator[tuple[int, Read]]:
        """The documents of one store: those that wait, for ``STORE_SLICE`` seconds; the open
        document alone (see also :meth:`_column_first`). One marked done meanwhile keeps its
        suggestions and is passed over."""
        started = time.perf_counter()
        opened = self.open_document()
        taken = 0
        while self._queue:
            doc = self._queue[0][0]
            if doc == opened and self._column_first():
                self._queue.append(self._queue.popleft())
                continue
            if taken and (doc == opened or time.perf_counter() - started >= STORE_SLICE):
                return
            doc, read = self._queue.popleft()
            if doc in self.loop.done:
                continue
            taken += 1
            yield doc, read
            if doc == opened:
                return

    def _column_first(self) -> bool:
        """Whether the open document waits (once a refresh) behind the others the worker
        sent so far: while the document list has no Suggested column, the first counts bring
        it, and the list is drawn again whole; stored first, the open document would have
        its views drawn again in the same turn."""
        model = self.documents.model
        if self._opened_later or model.columnCount() > model.suggested_column:
            return False
        self._opened_later = len(self._queue) > 1
        return self._opened_later

    def _count_suggested(self, store: Store) -> None:
        """The document list's Suggested column for the documents stored since it was last
        counted, without reading the list again: counted once a second at most, and shown
        ``COUNT_ROWS`` rows a turn, so that the list is never painted again all at once."""
        documents, self._uncounted = self._uncounted, []
        self._counted_at = time.perf_counter()
        if not documents:
            return
        from annotator.suggest.running import suggestion_counts

        counts = suggestion_counts(store, documents)
        self._counts.extend((doc, counts.get(doc, 0)) for doc in documents)
        if not self._count_timer.isActive():
            self._count_timer.start()

    def _show_some_counts(self) -> None:
        model = self.documents.model
        for _ in range(min(COUNT_ROWS, len(self._counts))):
            model.show_suggested(*self._counts.popleft())
        self.documents.show_suggested_column()
        if self._counts:
            self._count_timer.start()
        elif self._refreshing and not self._queue and self.proposing is None:
            self._refresh_done()

    def _show_counts_now(self) -> None:
        """Every count waiting, shown at once (the refresh was cut short)."""
        store = self.project.store
        if store is not None:
            self._count_suggested(store)
        self._count_timer.stop()
        model = self.documents.model
        while self._counts:
            model.show_suggested(*self._counts.popleft())
        self.documents.show_suggested_column()

    def _store_soon(self) -> None:
        """Store at once when enough documents wait (or no more will come), else a little
        later, so that each commit stores a few documents, not one."""
        now = len(self._queue) >= GATHER or self.proposing is None
        if now and self._store_timer.remainingTime() != 0:
            self._store_timer.start(0)
        elif not self._store_timer.isActive():
            self._store_timer.start(GATHER_MS)

    def _proposals_ended(self, worker: Worker, code: int, stderr: str) -> None:
        if worker is not self.proposing:
            return
        self.proposing = None
        worker.deleteLater()
        if code != 0:
            self._abandon_refresh()
            if not worker.explained:
                self._crashed("suggesting", code, stderr)
            return
        if self._queue:
            self._store_soon()
        else:
            self._refreshed()

    def _refreshed(self) -> None:
        """Every document not done has the new model's suggestions: the last counts are
        shown, a few rows a turn, and then the refresh is done."""
        store = self.project.store
        if store is not None:
            self._count_suggested(store)
        if not self._count_timer.isActive():
            self._refresh_done()

    def _refresh_done(self) -> None:
        """The list shows every count; listed least certain first, it follows the new
        order."""
        self._refreshing = False
        self._show(None)
        self._release()
        if self.documents.order == "uncertain":
            self.shell.apply_changes(Changes(document_list=True))
        what = "suggestions" if self._suggest else "uncertainty"
        self.shell.say(f"Learned {what} refreshed on {self._stored} documents not done.", 6000)
        self.on_refreshed()
        self._train_if_due()

    def _abandon_refresh(self) -> None:
        self._stop_proposing()
        self._queue.clear()
        self._store_timer.stop()
        self._refreshing = False
        self._show(None)
        self._release()
        self._show_counts_now()  # what was stored stays, and is shown
        self._uncounted = []

    # -- keeping the window's thread free while it stores ----------------------------------------

    def _hold(self, store: Store) -> None:
        """While the model and its suggestions are stored: the window's commits leave the
        write-ahead log to a worker (a tenth of a second's copy, now and then), and Python's
        collector leaves the window's own objects alone (a full pass over them takes tens of
        milliseconds; what the storing makes is still collected)."""
        from annotator.suggest.learned.background import hold_checkpoints

        if self._held:
            return
        self._held = True
        hold_checkpoints(store)
        gc.freeze()

    def _release(self) -> None:
        """Undo :meth:`_hold`, and copy the log into the project in a worker."""
        if not self._held:
            return
        from annotator.suggest.learned.background import release_checkpoints

        self._held = False
        gc.unfreeze()
        store = self.project.store
        if store is None:
            return  # closed: closing copied the log
        release_checkpoints(store)
        if self._checkpointing is None:
            worker = self._worker("checkpoint", str(store.path))
            worker.ended.connect(partial(self._checkpointed, worker))
            self._checkpointing = worker
            worker.start()

    def _checkpointed(self, worker: Worker, _code: int, _said: str) -> None:
        if worker is self._checkpointing:
            self._checkpointing = None
            worker.deleteLater()

    # -- stopping ------------------------------------------------------------------------------

    def _stop_proposing(self) -> None:
        worker, self.proposing = self.proposing, None
        if worker is not None:
            worker.stop()
            worker.deleteLater()

    def stop(self) -> None:
        """Stop training and refreshing (the project is closing): the workers are killed, so
        nothing half-done is stored; suggestions already stored are whole."""
        worker, self.training = self.training, None
        if worker is not None:
            worker.stop()
            worker.deleteLater()
        self._steps.clear()  # a model trained and not yet stored is not stored
        self._step_timer.stop()
        self._abandon_refresh()
        self._stop_checkpoint()

    def _stop_checkpoint(self) -> None:
        """A checkpoint cut short is safe: the log is copied again by whoever comes next."""
        worker, self._checkpointing = self._checkpointing, None
        if worker is not None:
            worker.stop()
            worker.deleteLater()

    # -- the status bar ------------------------------------------------------------------------

    def _show(self, text: str | None) -> None:
        if text is None:
            self.progress.hide()
            self.progress.clear()
        else:
            self.progress.setText(text)
            self.progress.show()

    # -- the order of the documents ------------------------------------------------------------

    def fill_order_menu(self, menu: QMenu, keys: dict[str, tuple[str, ...]]) -> list[QAction]:
        """Document → Order by: project order, or least certain first, with ``keys`` (each
        command's, by id); the actions made."""
        group = QActionGroup(menu)
        for order, command in ORDER_COMMANDS.items():
            action = menu.addAction(keymap.BY_ID[command].text)
            action.setObjectName(f"action:{command}")
            action.setStatusTip(keymap.BY_ID[command].does)
            action.setCheckable(True)
            action.setShortcuts([QKeySequence(k) for k in keys.get(command, ())])
            group.addAction(action)
            action.triggered.connect(lambda _=False, o=order: self.set_order(o))
            self.order_actions[order] = action
        self.order_actions["project"].setChecked(True)
        return list(self.order_actions.values())

    def _check_order(self, order: str) -> None:
        self.documents.order = order
        if order in self.order_actions:
            self.order_actions[order].setChecked(True)

    def set_order(self, order: str) -> None:
        """List the documents (and go on to the next) in ``order``, remembered for this
        analyst in this project."""
        store = self.project.store
        if store is None:
            return
        set_document_order(store, order)
        self._check_order(order)
        self.documents.reload()
        if order != "uncertain":
            return
        model = self._model_or_say()
        if model is None:
            self.shell.say(
                "Least certain first needs a learned model: Tag → Learn from the documents "
                "done (Ctrl+Shift+M) trains one. Until then the list keeps the project order.",
                10000,
            )
        elif model.id is not None and store.models.lacks_uncertainties(model.id) and not self.busy:
            self.refresh(model.id, suggest=False)

    def _model_or_say(self) -> LearnedModel | None:
        from annotator.suggest.learned.model import ModelError

        try:
            return self.model()
        except ModelError as e:
            self.shell.say(str(e), 10000)
            return None

    # -- the setting -----------------------------------------------------------------------------

    def retrain_setting(self) -> int | None:
        """After how many documents done the model is trained again (None: no project)."""
        store = self.project.store
        return retrain_every(store) if store is not None else None

    def set_retrain_every(self, every: int) -> None:
        store = self.project.store
        if store is None:
            return
        set_retrain_every(store, every)
        self.loop.every = every
        self._train_if_due()

    def parent_widget(self) -> Any:
        return self.documents.window()


def _zero_timer(parent: QObject, slot: Callable[[], None]) -> QTimer:
    """A single-shot timer that runs ``slot`` at the next turn of the event loop."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(slot)
    return timer


def _import_what_storing_needs() -> None:
    import annotator.suggest.builtin.suggestion
    import annotator.suggest.learned.background
    import annotator.suggest.learned.keeping  # noqa: F401
