"""The learned model in the loop: trained again in the background as the analyst works, its
suggestions on the documents not done refreshed, and the documents listed least certain first.

After every N documents the analyst marks done (:class:`~annotator.session.learning.LearningLoop`
says when), a worker thread trains a new model through a connection of its own, reading the
project and writing nothing; the status bar shows how far it got. The model it hands back is
stored from the window's thread in one short transaction, and serves from then on: until
then, F8 and the rest go on with the one before. Then a second worker thread proposes the new
model's spans on every document not done, and the window stores them a few documents at a
time, each store a short transaction whose changes take the one road to the views
(``Shell.apply_changes``), so typing never waits for more than a few milliseconds.

Closing the project (or the window) stops both threads and waits for them: a training
stopped halfway has stored nothing, and suggestions are stored whole document by document.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QStatusBar

from annotator.changes import Changes
from annotator.gui import errors
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
    from annotator.suggest.learned.batch import Read
    from annotator.suggest.learned.model import LearnedModel
    from annotator.suggest.learned.training import Trained

ORDER_NAMES = {"project": "&Project order", "uncertain": "&Least certain first"}
ORDER_KEYS = {"project": "Ctrl+Alt+P", "uncertain": "Ctrl+Alt+U"}
BATCH = 25  # documents a worker proposes on before handing them over
SLICE = 0.006  # seconds of storing at most before the window's thread paints and types again


class TrainingThread(QThread):
    """Trains a model on the project at ``path`` (``training.learn_file``) and stores nothing:
    ``result`` is the model trained, or ``error`` what stopped it."""

    progressed = Signal(int, int)

    def __init__(self, path: str, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.annotator = path, annotator
        self.stopping = threading.Event()
        self.result: Trained | None = None
        self.error: BaseException | None = None
        self.ident: int | None = None  # the thread it ran in

    def run(self) -> None:
        from annotator.suggest.learned.training import learn_file

        self.ident = threading.get_ident()
        try:
            self.result = learn_file(
                self.path,
                self.annotator,
                progress=lambda done, steps, _what: self.progressed.emit(done, steps),
                stop=self.stopping.is_set,
            )
        except Exception as e:  # handed to the window's thread, which says it
            self.error = e


class ProposingThread(QThread):
    """Proposes a model's spans on the documents the analyst has not marked done, reading
    them through a connection of its own, and hands them over ``BATCH`` documents at a time
    (``proposed``: the documents and what was proposed on each)."""

    proposed = Signal(object, object)
    counted = Signal(int)

    def __init__(
        self, path: str, annotator: str, model: LearnedModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.path, self.annotator, self.model = path, annotator, model
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        from annotator.store.project import Store
        from annotator.suggest.learned.suggesting import propose
        from annotator.suggest.running import documents_to_suggest

        try:
            with Store(self.path, self.annotator, create=False) as store:
                documents = documents_to_suggest(store)
                self.counted.emit(len(documents))
                for first in range(0, len(documents), BATCH):
                    if self.stopping.is_set():
                        return
                    chunk = documents[first : first + BATCH]
                    texts = [store.documents.text(doc) for doc in chunk]
                    self.proposed.emit(chunk, propose(self.model, texts))
        except Exception as e:
            self.error = e


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
        self.training: TrainingThread | None = None
        self.proposing: ProposingThread | None = None
        self._proposing_model: LearnedModel | None = None
        self._suggest = True  # the proposals are stored as suggestions, not only the order
        self._queue: deque[tuple[int, Read]] = deque()
        self._stored = self._total = 0
        self._store_timer = QTimer(self)
        self._store_timer.setSingleShot(True)
        self._store_timer.setInterval(0)
        self._store_timer.timeout.connect(self._store_some)
        self._documents_learned = 0
        self.progress = QLabel()
        self.progress.setObjectName("learningProgress")
        self.progress.hide()
        bar.addPermanentWidget(self.progress)
        self.order_actions: dict[str, QAction] = {}
        #: Called with each model stored (tests and benchmarks wait for it).
        self.on_stored: Callable[[int], None] = lambda _id: None
        #: Called when a refresh of learned suggestions has stored its last document.
        self.on_refreshed: Callable[[], None] = lambda: None
        events = project.events
        events.opened.connect(self._opened)
        events.closed.connect(self.stop)
        events.changed.connect(self._changed)

    # -- the project ---------------------------------------------------------------------------

    def _opened(self, store: Store) -> None:
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
        if self.loop.due() and not self.busy:
            self.train()

    @property
    def busy(self) -> bool:
        return self.training is not None or self.proposing is not None or bool(self._queue)

    def model(self) -> LearnedModel | None:
        """The newest model of the open project (the one serving), or None."""
        store = self.project.store
        return None if store is None else self.loop.model(store)

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
        """Train a new model in a worker thread; the one before serves until it is stored."""
        store = self.project.require_store()
        self._documents_learned = store.models.done_documents()
        thread = TrainingThread(str(store.path), store.annotator, self)
        # bound methods of this object: Qt calls them in the window's thread
        thread.progressed.connect(self._progressed)
        thread.finished.connect(self._trained)
        self.training = thread
        self._show(f"Learning from {self._documents_learned} done documents…")
        thread.start(QThread.Priority.LowPriority)

    def _progressed(self, done: int, steps: int) -> None:
        if self.sender() is self.training:
            self._show(f"Learning from {self._documents_learned} done documents… {done}/{steps}")

    def _trained(self) -> None:
        """Back in the window's thread: store the model (one short transaction), then refresh
        the suggestions with it."""
        thread = self.training
        if thread is None or self.sender() is not thread:
            return  # stopped: the project it trained on is closed
        self.training = None
        thread.deleteLater()
        self._show(None)
        store = self.project.store
        if store is None:
            return
        if thread.error is not None:
            self._failed(thread.error)
        elif thread.result is not None:
            self._store_model(store, thread.result)
        if not self.busy and self.loop.due():
            self.train()

    def _store_model(self, store: Store, trained: Trained) -> None:
        from annotator.store.project import ProjectError

        try:
            model_id = trained.store(store)
        except ProjectError as e:
            self.shell.show_error(f"The learned model could not be stored: {e}")
            return
        self.loop.stored(model_id, trained.documents, trained.training.layer)
        self.loop._model = (model_id, trained.model)
        labels = ", ".join(trained.model.labels)
        self.shell.say(
            f"Learned model #{model_id} ({labels}) from {trained.training.documents} done "
            "documents; refreshing its suggestions on the documents not done.",
            8000,
        )
        self.on_stored(model_id)
        self.refresh(trained.model)

    def _failed(self, error: BaseException) -> None:
        """Too few examples, or no scikit-learn: said once in the status bar; anything else
        as every error is. Nothing was stored either way, and the next try waits for N more
        documents done."""
        from annotator.model import Refused
        from annotator.suggest.learned.training import TrainingStopped

        if isinstance(error, TrainingStopped):
            return
        self.loop.failed()
        if isinstance(error, Refused):
            every = self.loop.every
            again = f"; it tries again after {every} more documents done" if every else ""
            self.shell.say(f"The learned model was not trained: {error}{again}.", 10000)
        else:
            self._report(error, "The learned model was not trained")

    def _report(self, error: BaseException, what: str) -> None:
        """A project that cannot be read or written is said in a sentence; anything else is
        an unforeseen error, said (and logged) as every one is."""
        import sqlite3

        from annotator.store.project import ProjectError

        if isinstance(error, (ProjectError, sqlite3.Error)):
            self.shell.show_error(f"{what}: {error}")
        else:
            errors.report(type(error), error, error.__traceback__, self.shell.show_error)

    # -- refreshing the suggestions ------------------------------------------------------------

    def refresh(self, model: LearnedModel, *, suggest: bool = True) -> None:
        """Propose ``model``'s spans on every document not done, in a worker thread, and store
        them (with ``suggest`` False, only how unsure it is of each) a slice at a time."""
        self._stop_proposing()
        store = self.project.require_store()
        thread = ProposingThread(str(store.path), store.annotator, model, self)
        thread.counted.connect(self._counted)
        thread.proposed.connect(self._proposed)
        thread.finished.connect(self._proposals_ended)
        self.proposing, self._proposing_model, self._suggest = thread, model, suggest
        self._stored = self._total = 0
        thread.start(QThread.Priority.LowPriority)

    def _counted(self, total: int) -> None:
        if self.sender() is self.proposing:
            self._total = total

    def _proposed(self, documents: list[int], read: list[Read]) -> None:
        if self.sender() is not self.proposing:
            return
        self._queue.extend(zip(documents, read, strict=True))
        self._store_timer.start()

    def _store_some(self) -> None:
        """Store what was proposed, document by document, for ``SLICE`` seconds at most, in
        one transaction; its changes go to the views. The rest waits for the next turn of
        the event loop."""
        from annotator.store.project import ProjectError
        from annotator.suggest.learned.suggesting import keep_learned

        store, model = self.project.store, self._proposing_model
        if store is None or model is None or not self._queue:
            return
        changes = Changes()
        started = time.perf_counter()
        try:
            with store.transaction():
                while self._queue and time.perf_counter() - started < SLICE:
                    doc, read = self._queue.popleft()
                    if doc in self.loop.done:  # marked done meanwhile: its suggestions stay
                        continue
                    kept = keep_learned(store, model, [doc], [read], suggest=self._suggest)
                    changes |= kept.changes
                    self._stored += 1
        except ProjectError as e:
            self._abandon_refresh()
            self.shell.show_error(f"The learned suggestions were not refreshed: {e}")
            return
        if changes:
            self.shell.apply_changes(changes)
        self._show(f"Refreshing learned suggestions… {self._stored}/{self._total}")
        if self._queue:
            self._store_timer.start()
        elif self.proposing is None:
            self._refreshed()

    def _proposals_ended(self) -> None:
        thread = self.proposing
        if thread is None or self.sender() is not thread:
            return
        self.proposing = None
        thread.deleteLater()
        if thread.error is not None:
            self._abandon_refresh()
            self._report(thread.error, "The learned suggestions were not refreshed")
            return
        if not self._queue:
            self._refreshed()

    def _refreshed(self) -> None:
        """Every document not done has the new model's suggestions: the list shows their
        counts (and its order, least certain first, follows)."""
        self._show(None)
        self._proposing_model = None
        self.shell.apply_changes(Changes(document_list=True))
        what = "suggestions" if self._suggest else "uncertainty"
        self.shell.say(f"Learned {what} refreshed on {self._stored} documents not done.", 6000)
        self.on_refreshed()
        if self.loop.due() and not self.busy:
            self.train()

    def _abandon_refresh(self) -> None:
        self._stop_proposing()
        self._queue.clear()
        self._proposing_model = None
        self._show(None)

    # -- stopping ------------------------------------------------------------------------------

    def _stop_proposing(self) -> None:
        thread, self.proposing = self.proposing, None
        if thread is not None:
            thread.stopping.set()
            thread.wait()
            thread.deleteLater()

    def stop(self) -> None:
        """Stop training and refreshing, and wait for the threads to end (the project is
        closing): nothing half-done is stored."""
        training, self.training = self.training, None
        if training is not None:
            training.stopping.set()
            training.wait()
            training.deleteLater()
        self._stop_proposing()
        self._queue.clear()
        self._store_timer.stop()
        self._proposing_model = None
        self._show(None)

    # -- the status bar ------------------------------------------------------------------------

    def _show(self, text: str | None) -> None:
        if text is None:
            self.progress.hide()
            self.progress.clear()
        else:
            self.progress.setText(text)
            self.progress.show()

    # -- the order of the documents ------------------------------------------------------------

    def fill_order_menu(self, menu: QMenu) -> None:
        """Document → Order by: project order, or least certain first."""
        group = QActionGroup(menu)
        for order, text in ORDER_NAMES.items():
            action = menu.addAction(text)
            action.setObjectName(f"order_{order}")
            action.setCheckable(True)
            action.setShortcut(QKeySequence(ORDER_KEYS[order]))
            group.addAction(action)
            action.triggered.connect(lambda _=False, o=order: self.set_order(o))
            self.order_actions[order] = action
        self.order_actions["project"].setChecked(True)

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
                "done (Ctrl+F8) trains one. Until then the list keeps the project order.",
                10000,
            )
        elif self._lacks_uncertainties(store, model) and not self.busy:
            self.refresh(model, suggest=False)

    def _model_or_say(self) -> LearnedModel | None:
        from annotator.suggest.learned.model import ModelError

        try:
            return self.model()
        except ModelError as e:
            self.shell.say(str(e), 10000)
            return None

    def _lacks_uncertainties(self, store: Store, model: LearnedModel) -> bool:
        """Whether some document not done has no uncertainty from ``model`` yet."""
        from annotator.suggest.running import documents_to_suggest

        known = store.models.uncertainties()
        return any(known.get(doc, (None,))[0] != model.id for doc in documents_to_suggest(store))

    # -- preferences -----------------------------------------------------------------------------

    def open_preferences(self) -> None:
        """Edit → Preferences: after how many documents done the model is trained again."""
        from annotator.gui.dialogs.preferences import PreferencesDialog

        store = self.project.store
        dialog = PreferencesDialog(
            retrain_every(store) if store is not None else None, self.parent_widget()
        )
        if not self.shell.exec_dialog(dialog) or store is None:
            return
        set_retrain_every(store, dialog.retrain_every())
        self.loop.every = dialog.retrain_every()
        if self.loop.due() and not self.busy:
            self.train()

    def parent_widget(self) -> Any:
        return self.documents.window()
