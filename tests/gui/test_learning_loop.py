"""The learned model in the loop: trained again in the background after every N documents
marked done, its suggestions on the documents not done refreshed through the one road, F8
running it beside the rules, and the documents listed least certain first."""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QAction

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/ is not installed

from annotator.formats.importing import import_paths
from annotator.session.learning import retrain_every, set_retrain_every
from annotator.store.project import Store
from annotator.suggest.learned import background
from annotator.suggest.learned.suggesting import propose, suggest_learned, uncertainties
from annotator.suggest.learned.training import train
from annotator.suggest.running import suggestion_counts, suggestions
from benchmarks import conventions

DONE = 8
NEW = 8
SIZE = 1500  # characters: short articles keep the trainings quick
EVERY = 3
WAIT = 120_000  # ms: a training of a dozen short articles takes a second or two
HELD = Path(__file__).resolve().parents[1] / "workers" / "learning_worker.py"


def _write(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """8 done negotiation articles with a model learned from them (#1), its suggestions on
    the 8 new ones, and a retrain every 3 documents done."""
    folder = tmp_path_factory.mktemp("loop")
    done = conventions.articles(DONE, "negotiation", size=SIZE)
    new = [
        {**r, "status": "new", "spans": []}
        for r in conventions.articles(NEW, "negotiation", seed=2, vocabulary="test", size=SIZE)
    ]
    path = folder / "loop.db"
    with Store(path, "tester") as store:
        import_paths(store, [_write(folder / "d.jsonl", done), _write(folder / "n.jsonl", new)])
        train(store)
        suggest_learned(store, store.documents.ids(status="new"))
        set_retrain_every(store, EVERY)
    return path


@pytest.fixture
def loop_project(trained, tmp_path) -> Path:
    path = tmp_path / "loop.db"
    shutil.copyfile(trained, path)
    return path


@pytest.fixture
def loop_window(open_window, loop_project, monkeypatch):
    window = open_window(loop_project)
    shown: list[str] = []
    monkeypatch.setattr(window, "show_error", shown.append)
    window.errors_shown = shown
    return window


def _stored(window) -> list[int]:
    got: list[int] = []
    window.learning.on_stored = got.append
    return got


def _refreshed(window) -> list[bool]:
    got: list[bool] = []
    window.learning.on_refreshed = lambda: got.append(True)
    return got


def _mark_done(window, n: int) -> None:
    for _ in range(n):
        window.action("document.done").trigger()


def _held(window, mode: str, flag: Path) -> None:
    """The window's workers run through tests/workers/learning_worker.py in ``mode``."""
    window.learning.worker_program = [sys.executable, str(HELD), mode, str(flag)]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _models(path: Path) -> list[int]:
    with Store(path, "tester") as store:
        return [m.id for m in store.models.all()]


# -- retraining after N documents done -----------------------------------------------------------


def test_the_model_retrains_after_every_n_documents_done_and_not_before(loop_window, qtbot):
    window = loop_window
    stored = _stored(window)
    _mark_done(window, EVERY - 1)
    assert window.learning.training is None
    _mark_done(window, 1)
    assert window.learning.training is not None
    assert window.learning.progress.text().startswith(f"Learning from {DONE + EVERY} done")
    qtbot.waitUntil(lambda: stored == [2], timeout=WAIT)
    record = window.store.models.get(2)
    assert record is not None and len(record.documents) == DONE + EVERY
    assert window.statusBar().currentMessage().startswith("Learned model #2")
    # the count starts again from the new model
    _mark_done(window, EVERY - 1)
    assert window.learning.training is None and window.learning.loop.new_done == EVERY - 1
    assert window.errors_shown == []


def test_progress_shows_in_the_status_bar_while_it_trains(loop_window, qtbot):
    window = loop_window
    stored = _stored(window)
    steps: list[str] = []
    window.learning.progress.setText = lambda text: steps.append(text)  # type: ignore[method-assign]
    _mark_done(window, EVERY)
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT)
    counted = [s.rsplit(" ", 1)[1] for s in steps if s.startswith("Learning from") and "/" in s]
    assert counted and counted[0].startswith("1/")
    done, steps_in_all = counted[-1].split("/")
    assert int(done) == int(steps_in_all) - 1  # all but the last, the storing, which follows
    assert steps[1].startswith(f"Learning from {DONE + EVERY} done documents… 1/")


def test_the_old_model_serves_until_the_new_one_is_stored(loop_window, qtbot, tmp_path):
    window = loop_window
    gate = tmp_path / "gate"
    _held(window, "gate", gate)
    stored = _stored(window)
    _mark_done(window, EVERY)
    assert window.learning.training is not None
    report = window.suggestions.suggest_document()  # F8 while it trains
    assert report is not None and "learned#1" in report.proposed
    assert {s.suggester for s in window.document_model.suggestions.values()} >= {"learned#1"}
    gate.write_text("go", encoding="utf-8")
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT)
    report = window.suggestions.suggest_document()
    assert report is not None and "learned#2" in report.proposed
    assert "learned#1" not in report.proposed


def test_training_runs_in_a_process_of_its_own_and_is_stored_in_one_short_transaction(
    loop_window, qtbot, monkeypatch
):
    window = loop_window
    calls: list[tuple[int, list[str]]] = []
    real_store = background.store_trained

    def spy(store, record):
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        try:
            return real_store(store, record)
        finally:
            store.conn.set_trace_callback(None)
            calls.append((threading.get_ident(), statements))

    monkeypatch.setattr(background, "store_trained", spy)
    stored = _stored(window)
    _mark_done(window, EVERY)
    worker = window.learning.training
    assert worker.pid > 0 and worker.pid != os.getpid()  # not this process, let alone its thread
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT)
    assert [who for who, _ in calls] == [threading.get_ident()]  # stored from the window's
    statements = [s.split()[0].upper() for s in calls[0][1] if not s.startswith("PRAGMA")]
    assert statements.count("BEGIN") == 1 and statements.count("COMMIT") == 1
    assert statements[0] == "BEGIN" and statements[-1] == "COMMIT"  # one transaction
    assert sum(s == "INSERT" for s in statements) == 2  # the model, and its line in the history


def test_suggestions_on_documents_not_done_are_refreshed_and_shown(loop_window, qtbot):
    window = loop_window
    refreshed = _refreshed(window)
    stored: list[int] = []
    while_storing: list[tuple[int, int]] = []

    def seen(model_id: int) -> None:
        stored.append(model_id)
        autocheckpoint = window.store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        while_storing.append((autocheckpoint, gc.get_freeze_count()))

    window.learning.on_stored = seen
    _mark_done(window, EVERY)
    open_doc = window.current_document
    qtbot.waitUntil(lambda: bool(refreshed), timeout=WAIT)
    assert stored == [2]
    store = window.store
    not_done = store.documents.ids(status="new") + store.documents.ids(status="in_progress")
    assert open_doc in not_done
    made = {s.suggester for d in not_done for s in suggestions(store, d)}
    assert made == {"learned#2"}  # the first model's were replaced (or restamped)
    # the open article and the list show them, through the one road
    shown = window.document_model.suggestions.values()
    assert shown and {s.suggester for s in shown} == {"learned#2"}
    assert {s.id for s in shown} == {s.id for s in suggestions(store, open_doc)}
    assert window.documents.model.suggested == suggestion_counts(store)
    assert not window.learning.progress.isVisible()
    assert window.errors_shown == []
    # while it stored, the log was left to a worker and the collector left the window's
    # objects alone; both are as they were after
    autocheckpoint, frozen = while_storing[0]
    assert autocheckpoint == 0 and frozen > 0
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert gc.get_freeze_count() == 0


# -- the window's own work, a turn at a time -------------------------------------------------------


def _proposed(window) -> list[tuple[int, tuple[list, float]]]:
    """What model #1 proposes on each document not done, as a worker hands it on."""
    store = window.store
    documents = store.documents.ids(status="new") + store.documents.ids(status="in_progress")
    read = propose(window.learning.model(), [store.documents.text(d) for d in documents])
    return list(zip(documents, read, strict=True))


def _store_turns(window, proposed, monkeypatch) -> list[list[int]]:
    """The documents each turn of storing stored, in order, till none waits."""
    from annotator.gui.controllers import learning as controller

    turns: list[list[int]] = []
    real = controller.Learning._slice

    def watched(self):
        turns.append([])
        for doc, read in real(self):
            turns[-1].append(doc)
            yield doc, read

    monkeypatch.setattr(controller.Learning, "_slice", watched)
    learning = window.learning
    learning._model_id, learning._refreshing = 1, True
    learning._queue.extend(proposed)
    while learning._queue:
        learning._store_some()
    return turns


def test_a_refresh_stores_one_document_a_turn_when_each_takes_its_whole_slice(
    loop_window, monkeypatch
):
    window = loop_window
    from annotator.gui.controllers import learning as controller

    monkeypatch.setattr(controller, "STORE_SLICE", 0.0)
    proposed = _proposed(window)
    commits: list[str] = []
    window.store.conn.set_trace_callback(
        lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None
    )
    try:
        turns = _store_turns(window, proposed, monkeypatch)
    finally:
        window.store.conn.set_trace_callback(None)
    assert turns == [[doc] for doc, _ in proposed]  # never more than one, none left out
    assert len(commits) == len(proposed)  # each committed when stored
    made = {s.suggester for doc, _ in proposed for s in suggestions(window.store, doc)}
    assert made == {"learned#1"}


def test_the_open_document_is_stored_in_a_turn_alone(loop_window, monkeypatch):
    window = loop_window
    from annotator.gui.controllers import learning as controller

    monkeypatch.setattr(controller, "STORE_SLICE", 60.0)  # as if storing took no time
    proposed = _proposed(window)
    opened = window.current_document
    at = [doc for doc, _ in proposed].index(opened)
    proposed = proposed[at:] + proposed[:at]  # the open document first, as a worker may say
    proposed = proposed[1:3] + proposed[:1] + proposed[3:]  # ... or third
    turns = _store_turns(window, proposed, monkeypatch)
    docs = [doc for doc, _ in proposed]
    assert turns == [docs[:2], [opened], docs[3:]]


def test_the_first_counts_bring_the_suggested_column_before_the_open_document_is_stored(
    loop_window, monkeypatch, qtbot
):
    window = loop_window
    from annotator.gui.controllers import learning as controller

    proposed = _proposed(window)
    with window.store.transaction():
        window.store.conn.execute("DELETE FROM spans WHERE origin = 'suggested'")
    window.documents.reload()
    model = window.documents.model
    assert model.columnCount() == model.suggested_column  # no Suggested column
    monkeypatch.setattr(controller, "STORE_SLICE", 60.0)  # as if storing took no time
    opened = window.current_document
    at = [doc for doc, _ in proposed].index(opened)
    proposed = proposed[at:] + proposed[:at]  # the open document first
    turns = _store_turns(window, proposed, monkeypatch)
    assert turns == [[doc for doc, _ in proposed[1:]], [opened]]
    assert window.learning._counts  # counted at once, shown from the next turn
    qtbot.waitUntil(lambda: model.columnCount() > model.suggested_column, timeout=WAIT)


def test_the_model_is_stored_and_its_refresh_started_in_turns_of_their_own(loop_window, qtbot):
    window = loop_window
    learning = window.learning
    stored = _stored(window)
    turns: list[str] = []
    real_next = learning._next_step

    def step() -> None:
        before = (len(_models(window.store.path)), learning.proposing is not None)
        real_next()
        after = (len(_models(window.store.path)), learning.proposing is not None)
        turns.append(
            "stored" if after[0] > before[0] else "started" if after[1] > before[1] else ""
        )

    learning._step_timer.timeout.disconnect()
    learning._step_timer.timeout.connect(step)
    ended: list[tuple[int, bool]] = []
    real_ended = learning._training_ended

    def training_ended(worker, code, stderr) -> None:
        real_ended(worker, code, stderr)
        ended.append((len(_models(window.store.path)), learning.busy))

    _mark_done(window, EVERY)
    worker = learning.training
    worker.ended.disconnect()
    worker.ended.connect(lambda code, stderr: training_ended(worker, code, stderr))
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT)
    assert ended == [(1, True)]  # the worker's end stores nothing yet, and the loop is busy
    assert turns[:2] == ["stored", "started"]  # then a turn each


def test_counts_come_to_the_document_list_a_few_rows_a_turn(loop_window):
    window = loop_window
    from annotator.gui.controllers.learning import COUNT_ROWS

    learning, model = window.learning, window.documents.model
    documents = window.store.documents.ids()
    counts = {doc: 7 for doc in documents}
    assert len(counts) > COUNT_ROWS
    learning._counts.extend(counts.items())
    learning._show_some_counts()
    assert sum(model.suggested.get(doc) == 7 for doc in documents) == COUNT_ROWS
    while learning._counts:
        learning._show_some_counts()
    assert all(model.suggested.get(doc) == 7 for doc in documents)


def test_closing_the_window_mid_training_stops_it_and_leaves_the_project_whole(
    loop_window, loop_project, qtbot, tmp_path
):
    window = loop_window
    midway = tmp_path / "midway"
    _held(window, "midway", midway)
    _mark_done(window, EVERY)
    pid = window.learning.training.pid
    qtbot.waitUntil(midway.exists, timeout=WAIT)
    window.close()
    assert _gone(pid) and window.learning.training is None
    assert _models(loop_project) == [1]
    conn = sqlite3.connect(loop_project)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_closing_the_project_mid_refresh_stops_the_proposals(loop_window, qtbot):
    window = loop_window
    stored = _stored(window)
    _mark_done(window, EVERY)
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT)
    proposing = window.learning.proposing
    assert proposing is not None  # stored and at once proposing
    pid = proposing.pid
    window.flows.close_project()
    assert _gone(pid) and not window.learning.busy and window.store is None


def test_too_few_examples_is_said_once_in_the_status_bar(loop_window, qtbot, monkeypatch):
    window = loop_window
    with window.store.transaction():  # one span a document is left: too few of every label
        window.store.conn.execute(
            "DELETE FROM spans WHERE id NOT IN (SELECT min(id) FROM spans GROUP BY document_id)"
        )
    messages: list[str] = []
    real_say = window.say
    monkeypatch.setattr(window, "say", lambda m, t=5000: (messages.append(m), real_say(m, t)))
    _mark_done(window, EVERY)
    qtbot.waitUntil(lambda: window.learning.training is None, timeout=WAIT)
    said = [m for m in messages if "too few examples" in m]
    assert len(said) == 1 and said[0].startswith("The learned model was not trained:")
    assert f"tries again after {EVERY} more documents done" in said[0]
    assert window.errors_shown == []  # no dialog
    assert _models(window.store.path) == [1]
    _mark_done(window, 1)  # not again until EVERY more
    assert window.learning.training is None


def test_a_training_that_fails_is_reported_and_loses_nothing(
    loop_window, qtbot, monkeypatch, tmp_path
):
    from annotator.gui import errors

    window = loop_window
    log = tmp_path / "logs" / "annotator.log"
    monkeypatch.setattr(errors, "log_path", lambda: log)
    _held(window, "broken", tmp_path / "unused")
    _mark_done(window, EVERY)
    qtbot.waitUntil(lambda: bool(window.errors_shown), timeout=WAIT)
    assert window.errors_shown[0].startswith(
        "Something went wrong: BackgroundError: RuntimeError: the weights came out crooked."
    )
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "learning_worker.py" in logged  # the worker's own
    qtbot.waitUntil(lambda: window.learning.training is None, timeout=WAIT)
    assert _models(window.store.path) == [1]
    assert not window.learning.progress.isVisible()
    _mark_done(window, 1)  # tried again only after EVERY more documents, not at once
    assert window.learning.training is None and len(window.errors_shown) == 1


def test_a_worker_that_dies_without_a_word_is_said_in_a_sentence(loop_window, qtbot, tmp_path):
    window = loop_window
    _held(window, "crash", tmp_path / "unused")
    _mark_done(window, EVERY)
    qtbot.waitUntil(lambda: bool(window.errors_shown), timeout=WAIT)
    assert window.errors_shown == [
        "The training process ended with exit code 3; nothing was stored."
    ]
    assert _models(window.store.path) == [1] and not window.learning.busy


# -- F8 and Shift+F8 ----------------------------------------------------------------------------


def test_f8_runs_the_learned_model_beside_the_rules(loop_window):
    window = loop_window
    report = window.suggestions.suggest_document()
    assert report is not None
    assert {"quotes", "captions", "concessions", "learned#1"} <= set(report.proposed)
    learned = [s for s in window.document_model.suggestions.values() if s.suggester == "learned#1"]
    assert learned and {s.label for s in learned} <= {"claim", "concession"}


def test_shift_f8_runs_it_on_every_document_not_done(loop_window, monkeypatch):
    window = loop_window
    monkeypatch.setattr(window, "show_report", lambda *_a, **_k: False)
    store = window.store
    with store.transaction():
        store.conn.execute("DELETE FROM spans WHERE origin = 'suggested'")
    report = window.suggestions.suggest_all()
    assert report is not None and "learned#1" in report.proposed
    for doc in store.documents.ids(status="new"):
        assert "learned#1" in {s.suggester for s in suggestions(store, doc)}


def test_f8_without_a_model_runs_the_rules_alone(window):
    report = window.suggestions.suggest_document()
    assert report is not None and not any(n.startswith("learned") for n in report.proposed)


def test_f8_with_a_model_it_cannot_read_runs_the_rules_and_says_why(loop_window):
    window = loop_window
    with window.store.transaction():
        window.store.conn.execute("UPDATE models SET parameters = '{}'")
    window.learning.loop._model = None
    messages: list[str] = []
    window.say = lambda m, t=5000: messages.append(m)  # type: ignore[method-assign]
    report = window.suggestions.suggest_document()
    assert report is not None and "quotes" in report.proposed
    assert not any(n.startswith("learned") for n in report.proposed)
    assert any("Only the built-in suggesters ran" in m for m in messages)


# -- least certain first ------------------------------------------------------------------------


def _order_action(window, order: str) -> QAction:
    action = window.findChild(QAction, f"action:document.order.{order}")
    assert action is window.action(f"document.order.{order}")
    return action


def test_least_certain_first_lists_the_most_uncertain_first_and_is_remembered(
    loop_window, loop_project, open_window, qtbot
):
    window = loop_window
    assert _order_action(window, "project").isChecked()
    store = window.store
    with store.transaction():  # no figures yet: choosing the order works them out
        store.conn.execute("DELETE FROM uncertainties")
    refreshed = _refreshed(window)
    _order_action(window, "uncertain").trigger()
    qtbot.waitUntil(lambda: bool(refreshed), timeout=WAIT)
    rows = [r.id for r in window.documents.model.rows]
    new = store.documents.ids(status="new")
    unsure = uncertainties(store, new)
    most = sorted(new, key=lambda d: (-unsure[d], d))
    assert rows[: len(new)] == most  # the done ones, said nothing of, last
    assert set(rows[len(new) :]) == set(store.documents.ids(status="done"))
    # Done and next goes to the most uncertain document still open
    window.open_document(most[0])
    window.action("document.done").trigger()
    assert window.current_document == most[1]
    window.close()
    again = open_window(loop_project)
    assert _order_action(again, "uncertain").isChecked() and again.documents.order == "uncertain"
    rows = [r.id for r in again.documents.model.rows]
    assert rows == again.store.documents.ids(order="uncertain") and rows[:2] == most[:2]


def test_least_certain_first_without_a_model_keeps_the_project_order(window):
    messages: list[str] = []
    window.say = lambda m, t=5000: messages.append(m)  # type: ignore[method-assign]
    _order_action(window, "uncertain").trigger()
    assert any("needs a learned model" in m for m in messages)
    assert [r.id for r in window.documents.model.rows] == window.store.documents.ids()
    assert not window.learning.busy


def test_the_project_order_is_the_default(loop_window):
    assert loop_window.documents.order == "project"
    rows = [r.id for r in loop_window.documents.model.rows]
    assert rows == sorted(rows)


# -- the setting --------------------------------------------------------------------------------


def test_preferences_set_how_often_the_model_retrains(loop_window, monkeypatch):
    window = loop_window

    def answer(dialog) -> bool:
        assert dialog.every.value() == EVERY
        dialog.every.setValue(7)
        return True

    monkeypatch.setattr(window, "exec_dialog", answer)
    window.action("app.preferences").trigger()
    assert retrain_every(window.store) == 7 and window.learning.loop.every == 7
    _mark_done(window, EVERY)
    assert window.learning.training is None


def test_learn_now_trains_a_first_model_from_the_window(window, qtbot, monkeypatch):
    """A project without a model gets one on purpose (Ctrl+Shift+M); too few examples say so."""
    messages: list[str] = []
    real_say = window.say
    monkeypatch.setattr(window, "say", lambda m, t=5000: (messages.append(m), real_say(m, t)))
    window.action("suggest.learn").trigger()
    qtbot.waitUntil(lambda: window.learning.training is None, timeout=WAIT)
    assert any("training needs at least 4 documents marked done" in m for m in messages)
    assert window.store.models.all() == []


def test_the_order_has_keys_of_its_own(loop_window):
    from PySide6.QtGui import QKeySequence

    found = loop_window.action_for_key(QKeySequence("Ctrl+Shift+Y"))
    assert found is _order_action(loop_window, "uncertain")
    assert loop_window.action_for_key(QKeySequence("Ctrl+Shift+J")) is _order_action(
        loop_window, "project"
    )
