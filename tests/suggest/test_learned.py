"""Learned suggestions: a model trained on the analysts' own spans, kept in the project file as
plain data, measured, and proposing spans that are accepted and rejected like any others."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/ is not installed

from annotator.cli.main import cli
from annotator.formats.importing import import_paths
from annotator.store.project import Store
from annotator.suggest.learned.figures import Tally, count
from annotator.suggest.learned.model import ModelError
from annotator.suggest.learned.suggesting import latest_model, suggest_learned, uncertainties
from annotator.suggest.learned.training import (
    MIN_SPANS,
    TrainingError,
    TrainingStopped,
    train,
    train_file,
)
from annotator.suggest.running import accept_suggestion, reject_suggestion, suggestions
from benchmarks import conventions

PACKAGE = Path(__file__).resolve().parents[2] / "annotator"
DONE = 12
SIZE = 1800  # characters: short articles keep the tests quick


def _write(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _unseen(n: int, convention: str = "negotiation") -> list[dict]:
    return list(conventions.articles(n, convention, seed=2, vocabulary="test", size=SIZE))


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """A project of 12 done negotiation articles and 6 new unseen ones, with a model trained
    on the done ones. Tests that write take a copy (``project``)."""
    folder = tmp_path_factory.mktemp("learned")
    done = _write(folder / "done.jsonl", conventions.articles(DONE, "negotiation", size=SIZE))
    new = [{**r, "status": "new", "spans": []} for r in _unseen(6)]
    with Store(folder / "trained.db", "ana") as store:
        import_paths(store, [done, _write(folder / "new.jsonl", new)])
        train(store)
    return folder / "trained.db"


@pytest.fixture
def project(trained, tmp_path) -> Path:
    path = tmp_path / "project.db"
    shutil.copyfile(trained, path)
    return path


def _new_documents(store: Store) -> list[int]:
    return store.documents.ids(status="new")


# -- what it learns ----------------------------------------------------------------------------


def test_it_learns_the_items_under_a_sub_heading_and_finds_them_in_unseen_words(trained):
    """The concessions of the unseen articles are worded with words no training article has:
    only where they stand (items under a section's sub-headings) can find them."""
    with Store(trained, "ana") as store:
        model, _ = latest_model(store)
    found = {"claim": Tally(), "concession": Tally()}
    for record in _unseen(10):
        proposed = model.propose(record["text"])
        for label, tally in found.items():
            got = [(s.start, s.end) for s in proposed if s.label == label]
            gold = [(g["start"], g["end"]) for g in record["meta"]["gold"] if g["label"] == label]
            tally.add(count(got, gold, "overlap"))
    assert found["concession"].recall >= 0.7 and found["concession"].precision >= 0.7
    assert found["claim"].recall >= 0.5 and found["claim"].precision >= 0.6


def test_the_figures_are_held_out_per_label_with_a_learning_curve(trained):
    with Store(trained, "ana") as store:
        _, record = latest_model(store)
    figures = record.figures
    assert figures["layer"] == "done" and figures["documents"] == DONE
    assert figures["folds"] == 5 and figures["library"] == "scikit-learn"
    for label in ("claim", "concession"):
        held = figures["labels"][label]["held_out"]
        assert set(held) == {"exact", "overlap"}
        assert 0.5 <= held["overlap"]["f1"] <= 1
        curve = figures["labels"][label]["curve"]
        assert [p["fraction"] for p in curve] == [0.25, 0.5, 0.75, 1.0]
        assert curve[-1]["overlap"] == held["overlap"]
        assert curve[0]["documents"] < curve[-1]["documents"]
    assert record.labels == ["claim", "concession"]
    assert sorted(record.documents) == record.documents and len(record.documents) == DONE


# -- too few ---------------------------------------------------------------------------------


def test_a_label_with_too_few_examples_is_named_and_the_others_are_learned(project):
    with Store(project, "ana") as store:
        store.labels.add("hedge")
        done = store.documents.ids(status="done")
        for doc in done[:3]:
            store.spans.add(doc, 0, 5, "hedge")
        training = train(store)
        assert training.too_few == {"hedge": 3}
        assert set(training.labels) == {"claim", "concession"}
        assert f"hedge has 3 ({MIN_SPANS} spans are needed)" in training.summary()
        assert training.to_json()["too_few"] == {"hedge": {"spans": 3, "needed": MIN_SPANS}}


def test_too_few_examples_of_every_label_is_refused_and_nothing_is_written(tmp_path, dump):
    path = tmp_path / "small.db"
    records = list(conventions.articles(5, "negotiation", size=SIZE))
    for r in records:
        r["spans"] = [s for s in r["spans"] if s["label"] == "concession"][:1]
    with Store(path, "ana") as store:
        import_paths(store, [_write(tmp_path / "d.jsonl", records)])
    before = dump(path)
    result = CliRunner().invoke(cli, ["--db", str(path), "train"])
    assert result.exit_code == 1
    assert "too few examples" in result.output and "concession has 5" in result.output
    assert f"at least {MIN_SPANS} spans" in result.output
    assert dump(path) == before


def test_fewer_than_four_done_documents_is_refused(tmp_path):
    path = tmp_path / "tiny.db"
    with Store(path, "ana") as store:
        import_paths(
            store, [_write(tmp_path / "d.jsonl", conventions.articles(3, "negotiation", size=SIZE))]
        )
        with pytest.raises(TrainingError, match="at least 4 documents marked done; .* has 3"):
            train(store)
        assert store.models.all() == []


def test_an_unknown_label_is_refused(project):
    result = CliRunner().invoke(cli, ["--db", str(project), "train", "--label", "nope"])
    assert result.exit_code == 1 and "unknown label 'nope'" in result.output


def test_train_reads_an_existing_project_only(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "missing.db"), "train"])
    assert result.exit_code == 1 and "no such project file" in result.output
    assert not (tmp_path / "missing.db").exists()


# -- the model in the file ---------------------------------------------------------------------


def test_nothing_in_the_package_pickles():
    """A project file may come from someone else: nothing may load code from it."""
    pattern = re.compile(r"\b(pickle|cPickle|dill|joblib|shelve|marshal|cloudpickle)\b")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def test_the_stored_model_is_plain_json(trained):
    conn = sqlite3.connect(trained)
    rows = conn.execute(
        "SELECT parameters, typeof(parameters), library, library_version FROM models"
    ).fetchall()
    conn.close()
    [(parameters, kind, library, version)] = rows
    assert kind == "text" and library == "scikit-learn" and version
    data = json.loads(parameters)
    assert _plain(data)
    assert data["kind"] == "annotator-span-candidates" and data["format"] == 1
    weights = data["labels"]["concession"]["weights"]
    assert weights and all(isinstance(w, float) for w in weights.values())


def _tamper(path: Path, change) -> None:
    conn = sqlite3.connect(path)
    [(text,)] = conn.execute("SELECT parameters FROM models WHERE parameters IS NOT NULL")
    conn.execute("UPDATE models SET parameters = ?", (change(text),))
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda t: json.dumps({**json.loads(t), "format": 99}), "made by another version"),
        (lambda t: json.dumps({**json.loads(t), "features": "words-9"}), "another version"),
        (lambda t: t.replace('"bias":', '"bias": "x", "was":', 1), "is not a finite number"),
        (lambda t: json.dumps({**json.loads(t), "labels": []}), "holds no labels"),
        (lambda t: "[1, 2]", "not a JSON object"),
    ],
)
def test_a_model_that_cannot_be_read_is_refused_and_training_again_replaces_it(
    project, change, says
):
    _tamper(project, change)
    result = CliRunner().invoke(cli, ["--db", str(project), "suggest", "--suggester", "learned"])
    assert result.exit_code == 1
    assert says in result.output and "annotator train" in result.output
    assert "Traceback" not in result.output
    with Store(project, "ana") as store:
        assert store.stats()["suggestions"] == 0
        with pytest.raises(ModelError):
            latest_model(store)
        train(store)
        report = suggest_learned(store, _new_documents(store))
        assert sum(sum(c.values()) for c in report.proposed.values()) > 0


def test_a_new_model_keeps_the_record_of_the_one_before_but_not_its_parameters(project):
    with Store(project, "ana") as store:
        train(store, ["concession"])
        first, second = store.models.all()
        assert (first.id, second.id) == (1, 2) and second.labels == ["concession"]
        assert store.models.get(1).parameters is None
        assert store.models.latest().id == 2
        entry = [c for c in store.history() if c["action"] == "train_model"][-1]
        assert entry["details"]["model"] == 2 and entry["details"]["documents"] == DONE


# -- suggesting ------------------------------------------------------------------------------


def test_each_suggestion_names_the_model_that_made_it_and_accepting_and_rejecting_work(project):
    with Store(project, "ana") as store:
        docs = _new_documents(store)
        report = suggest_learned(store, docs)
        assert set(report.proposed) == {"learned#1"}
        found = [s for d in docs for s in suggestions(store, d)]
        assert found and {s.suggester for s in found} == {"learned#1"}
        assert all(0.35 <= s.score <= 1 for s in found)
        accepted = accept_suggestion(store, found[0].id)
        assert accepted.origin == "manual"
        entry = next(c for c in store.history() if c["action"] == "accept_suggestion")
        assert entry["details"]["suggester"] == "learned#1"
        rejected = found[1]
        reject_suggestion(store, rejected.id)
        train(store)  # a newer model does not propose what was rejected from an older one
        suggest_learned(store, docs)
        again = [s for d in docs for s in suggestions(store, d)]
        key = (rejected.document_id, rejected.start, rejected.end, rejected.label)
        assert key not in {(s.document_id, s.start, s.end, s.label) for s in again}
        kept = {s.id for s in found[2:]} & {s.id for s in again}
        assert kept  # those proposed again keep their ids, and say which model now proposes them
        assert {s.suggester for s in again if s.id in kept} == {"learned#2"}


def test_min_score_applies(project):
    with Store(project, "ana") as store:
        docs = _new_documents(store)
        suggest_learned(store, docs, min_score=0.9)
        assert all(s.score >= 0.9 for d in docs for s in suggestions(store, d))
        few = sum(len(suggestions(store, d)) for d in docs)
        suggest_learned(store, docs, min_score=0.05)
        assert sum(len(suggestions(store, d)) for d in docs) > few


def test_suggest_learned_on_the_command_line_with_json(project):
    result = CliRunner().invoke(
        cli, ["--db", str(project), "--user", "ana", "suggest", "--suggester", "learned", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["documents"] == 6 and set(report["suggested"]) == {"learned#1"}
    assert set(report["suggested"]["learned#1"]) <= {"claim", "concession"}


def test_learned_and_rule_suggesters_run_together_or_not_at_all(project, dump):
    before = dump(project)
    with Store(project, "ana") as store:
        conn = store.conn
        conn.execute("UPDATE models SET parameters = '{}'")
    result = CliRunner().invoke(
        cli, ["--db", str(project), "suggest", "--suggester", "quotes", "--suggester", "learned"]
    )
    assert result.exit_code == 1 and "another version" in result.output
    after = dump(project)
    assert after["spans"] == before["spans"]  # the quotes were not kept either


def test_no_model_yet_says_how_to_make_one(tmp_path):
    path = tmp_path / "p.db"
    Store(path, "ana").close()
    result = CliRunner().invoke(cli, ["--db", str(path), "suggest", "--suggester", "learned"])
    assert result.exit_code == 1 and "train one with `annotator train`" in result.output


def test_uncertainty_is_a_figure_per_document_from_0_to_1(project):
    with Store(project, "ana") as store:
        docs = _new_documents(store)
        figures = uncertainties(store, docs)
    assert set(figures) == set(docs)
    assert all(0 <= v <= 1 for v in figures.values())
    assert len(set(figures.values())) > 1


# -- the command and the window's calls ------------------------------------------------------


def test_train_prints_a_table_and_json(project):
    result = CliRunner().invoke(cli, ["--db", str(project), "train"])
    assert result.exit_code == 0, result.output
    assert "Trained model #2 for claim and concession on 12 documents marked done" in result.output
    assert "exact P" in result.output and "overlap P" in result.output
    assert "Learning curve" in result.output and "100 %" in result.output
    result = CliRunner().invoke(cli, ["--db", str(project), "train", "--json", "--label", "claim"])
    data = json.loads(result.output)
    assert data["model"] == 3 and list(data["labels"]) == ["claim"]
    claim = data["labels"]["claim"]
    assert set(claim) == {"spans", "documents", "held_out", "curve", "reachable"}
    assert set(claim["held_out"]["overlap"]) == {
        "precision", "recall", "f1", "right", "proposed", "wanted",
    }  # fmt: skip
    assert data["too_few"] == {} and data["threshold"] == 0.35


def test_training_reports_progress_and_stops_when_asked_storing_nothing(project):
    seen: list[tuple[int, int]] = []
    with Store(project, "ana") as store:
        train(store, ["concession"], progress=lambda done, total, _: seen.append((done, total)))
        assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
        calls = []
        with pytest.raises(TrainingStopped, match="nothing was stored"):
            train(store, stop=lambda: calls.append(1) or len(calls) > 20)
        assert [m.id for m in store.models.all()] == [1, 2]


def test_training_runs_in_a_worker_thread_through_its_own_connection(project):
    with Store(project, "ana") as window:
        result: dict = {}

        def work() -> None:
            result["training"] = train_file(project, "ana", ["concession"])

        worker = threading.Thread(target=work)
        worker.start()
        worker.join(60)
        assert result["training"].model_id == 2
        assert window.models.latest().id == 2  # the window's connection sees it at once


def test_training_without_scikit_learn_says_what_to_install(project, monkeypatch, dump):
    import builtins

    real = builtins.__import__

    def without(name, *args, **kwargs):
        if name == "sklearn" or name.startswith("sklearn."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without)
    before = dump(project)
    result = CliRunner().invoke(cli, ["--db", str(project), "train"])
    assert result.exit_code == 1
    assert "needs the scikit-learn library" in result.output
    assert "-m pip install scikit-learn" in result.output
    assert dump(project) == before


def test_the_curated_layer_of_a_team_project_can_be_learned(project):
    from annotator.team.curation import settle

    with Store(project, "curator") as store:
        done = [r[0] for r in store.conn.execute("SELECT document_id FROM statuses")]
        for doc in done:
            for span in store.spans.in_document(doc):
                store.spans.add(doc, span.start, span.end, span.label, origin="curated")
            settle(store, doc)
        training = train(store, curated=True)
        assert training.layer == "curated" and training.documents == DONE
        assert training.analysts == []
        assert store.models.latest().layer == "curated"


def test_a_label_renamed_after_training_takes_its_suggestions(project):
    with Store(project, "ana") as store:
        store.labels.rename("concession", "give")
        docs = _new_documents(store)
        suggest_learned(store, docs)
        labels = {s.label for d in docs for s in suggestions(store, d)}
    assert labels == {"claim", "give"}


# -- many documents at once ----------------------------------------------------------------


@pytest.fixture
def model_and_texts(trained):
    with Store(trained, "ana") as store:
        model, _ = latest_model(store)
    return model, [r["text"] for r in _unseen(7)]


def _in_process(model, texts):
    return [model.read(text, 0.35) for text in texts]


def test_many_documents_are_proposed_in_workers_with_the_same_result(model_and_texts, monkeypatch):
    from annotator.suggest.learned import batch

    model, texts = model_and_texts
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    monkeypatch.setattr(batch, "workers", lambda n: 2)
    cut = batch.runs(len(texts), 2)
    assert len(cut) == 3 and cut[0][0] == 0 and cut[-1][1] == len(texts)
    assert all(a[1] == b[0] for a, b in zip(cut, cut[1:], strict=False))
    started = []
    real = batch.subprocess.Popen
    monkeypatch.setattr(
        batch.subprocess, "Popen", lambda *a, **k: started.append(a) or real(*a, **k)
    )
    collected = []
    collect = batch._collect
    monkeypatch.setattr(
        batch, "_collect", lambda *a: collected.append(collect(*a)) or collected[-1]
    )
    assert list(batch.proposals(model, texts, 0.35)) == _in_process(model, texts)
    assert len(started) == 2 and all(found is not None for found in collected)


def test_a_worker_that_cannot_start_or_fails_leaves_its_run_to_the_caller(
    model_and_texts, monkeypatch
):
    from annotator.suggest.learned import batch

    model, texts = model_and_texts
    monkeypatch.setattr(batch, "workers", lambda n: 2)
    monkeypatch.setattr(batch.sys, "executable", "/nowhere/python")
    assert list(batch.proposals(model, texts, 0.35)) == _in_process(model, texts)
    monkeypatch.setattr(batch.sys, "executable", sys.executable)
    real = batch.subprocess.Popen
    failing = [sys.executable, "-c", "raise SystemExit(3)"]
    monkeypatch.setattr(batch.subprocess, "Popen", lambda args, **k: real(failing, **k))
    assert list(batch.proposals(model, texts, 0.35)) == _in_process(model, texts)


def test_a_script_without_a_main_guard_is_not_run_again_by_the_workers(trained, tmp_path):
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})\n"
        "from annotator.store.project import Store\n"
        "from annotator.suggest.learned import batch\n"
        "from annotator.suggest.learned.suggesting import latest_model\n"
        "batch.workers = lambda n: 1\n"
        "print('ran', flush=True)\n"
        f"with Store({str(trained)!r}, 'ana') as store:\n"
        "    model, _ = latest_model(store)\n"
        "print(len(list(batch.proposals(model, ['A line.\\n'] * 4, 0.35))))\n",
        encoding="utf-8",
    )
    import subprocess

    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ran", "4"]


def test_suggesting_also_gives_each_documents_uncertainty(project):
    with Store(project, "ana") as store:
        docs = _new_documents(store)
        unsure: dict[int, float] = {}
        suggest_learned(store, docs, uncertain=unsure)
        assert unsure == uncertainties(store, docs)


@pytest.mark.parametrize(
    ("prefix", "says"),
    [
        ("/home/ana/.local/share/pipx/venvs/annotator", "pipx inject annotator scikit-learn"),
        ("/home/ana/.local/share/uv/tools/annotator", "uv pip install --python "),
        ("/home/ana/work/.venv", " -m pip install scikit-learn"),
    ],
)
def test_what_to_install_follows_how_annotator_was_installed(monkeypatch, prefix, says):
    from annotator.suggest.learned import training

    monkeypatch.setattr(training.sys, "prefix", prefix)
    assert says in training.install_hint("scikit-learn")


# -- the window's loop: training apart from storing, suggestions with their changes ------------


def test_learning_stores_nothing_until_the_window_stores_what_it_learned(project, dump):
    from annotator.suggest.learned.training import learn_file

    before = dump(project)
    trained = learn_file(project, "ana", ["concession"])
    assert dump(project) == before  # the worker thread's part writes nothing
    with Store(project, "ana") as store:
        model_id = trained.store(store)
        assert model_id == 2 == trained.model.id == trained.training.model_id
        _, record = latest_model(store)
        assert record.labels == ["concession"] and record.documents == trained.documents
        assert record.figures["documents"] == DONE


def test_learned_suggestions_say_what_they_changed_and_keep_each_documents_uncertainty(project):
    with Store(project, "ana") as store:
        docs = _new_documents(store)
        report = suggest_learned(store, docs)
        stored = {s.id for d in docs for s in suggestions(store, d)}
        assert stored and set(report.changes.spans) == stored
        assert all(c.added for c in report.changes.spans.values())
        kept = store.models.uncertainties()
        assert {d: u for d, (_, u) in kept.items()} == uncertainties(store, docs)
        assert {m for m, _ in kept.values()} == {1}


def test_proposing_apart_from_keeping_gives_what_suggesting_at_once_gives(project):
    from annotator.suggest.learned.suggesting import keep_learned, propose

    with Store(project, "ana") as store:
        docs = _new_documents(store)
        model, _ = latest_model(store)
        read = propose(model, [store.documents.text(d) for d in docs])
        keep_learned(store, model.id, docs, read)
        apart = sorted(
            (s.document_id, s.start, s.end, s.label) for d in docs for s in suggestions(store, d)
        )
        with store.transaction():
            store.conn.execute("DELETE FROM spans WHERE origin = 'suggested'")
        suggest_learned(store, docs)
        at_once = sorted(
            (s.document_id, s.start, s.end, s.label) for d in docs for s in suggestions(store, d)
        )
    assert apart == at_once and apart


def test_keeping_only_the_uncertainties_suggests_nothing(project):
    from annotator.suggest.learned.suggesting import keep_learned, propose

    with Store(project, "ana") as store:
        docs = _new_documents(store)
        model, _ = latest_model(store)
        read = propose(model, [store.documents.text(d) for d in docs])
        report = keep_learned(store, model.id, docs, read, suggest=False)
        assert not report.changes and not any(suggestions(store, d) for d in docs)
        assert set(store.models.uncertainties()) == set(docs)


# -- the window's worker process ---------------------------------------------------------------


def _background(*args: str) -> tuple[int, list[dict]]:
    from annotator.suggest.learned.background import command

    program, arguments, env = command(*args)
    done = subprocess.run(
        [program, *arguments], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()]


def test_the_worker_trains_storing_nothing_and_the_window_stores_its_model(project, dump):
    from annotator.suggest.learned.background import store_trained

    before = dump(project)
    code, lines = _background("train", str(project), "ana")
    assert code == 0 and set(lines[-1]) == {"trained"}
    steps = [line["progress"] for line in lines[:-1]]
    assert steps and steps[0][0] == 1 and all(total == steps[0][1] for _, total in steps)
    assert dump(project) == before
    record = lines[-1]["trained"]
    with Store(project, "ana") as store:
        assert store_trained(store, record) == 2 and record["labels"] == ["claim", "concession"]
        model, stored = latest_model(store)
        assert stored.documents == record["documents"] and model.labels
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL again


def test_what_is_not_a_trained_model_is_refused_and_nothing_stored(project, dump):
    from annotator.suggest.learned.background import store_trained

    before = dump(project)
    with Store(project, "ana") as store:
        for bad in ({"parameters": "{}"}, ["not", "a", "record"], None):
            with pytest.raises(ValueError, match="not a trained model"):
                store_trained(store, bad)
    assert dump(project) == before


def test_the_worker_says_why_it_cannot_train(tmp_path):
    path = tmp_path / "few.db"
    Store(path, "ana").close()
    code, lines = _background("train", str(path), "ana")
    assert code == 2 and lines == [
        {"refused": "training needs at least 4 documents marked done; this project has 0"}
    ]
    code, lines = _background("train", str(tmp_path / "none.db"), "ana")
    assert code == 2 and "unreadable" in lines[0] and not (tmp_path / "none.db").exists()


def test_the_worker_proposes_on_the_documents_not_done_as_suggesting_would(project):
    code, lines = _background("propose", str(project), "ana", "1")
    assert code == 0 and lines[0] == {"documents": 6}
    with Store(project, "ana") as store:
        docs = _new_documents(store)
        model, _ = latest_model(store)
        expected = {doc: model.read(store.documents.text(doc), 0.35) for doc in docs}
    assert [line["document"] for line in lines[1:]] == docs
    for line in lines[1:]:
        found, unsure = expected[line["document"]]
        assert line["spans"] == [[s.start, s.end, s.label, s.score] for s in found]
        assert line["uncertainty"] == unsure
    code, lines = _background("propose", str(project), "ana", "7")
    assert code == 2 and "no longer in the project" in lines[0]["unreadable"]


def test_the_worker_copies_the_write_ahead_log_into_the_project(project):
    with Store(project, "ana") as store:
        from annotator.suggest.learned.background import hold_checkpoints, release_checkpoints

        hold_checkpoints(store)
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        suggest_learned(store, _new_documents(store))
        code, lines = _background("checkpoint", str(project))
        assert code == 0 and lines[0]["checkpointed"] > 0
        release_checkpoints(store)
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
