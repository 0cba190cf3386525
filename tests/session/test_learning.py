"""The learning loop's state: when the model is due to be trained again, and the order each
analyst lists the documents in, as kept in the project."""

from __future__ import annotations

import pytest

from annotator.changes import Change, Changes, DocumentState
from annotator.session.learning import (
    RETRAIN_EVERY,
    LearningLoop,
    document_order,
    retrain_every,
    set_document_order,
    set_retrain_every,
)
from annotator.store.project import Store


def _model(store, documents, layer="done") -> int:
    return store.models.add(
        parameters="{}", library="x", library_version="1", layer=layer, labels=["claim"],
        documents=documents, figures={},
    )  # fmt: skip


def _done(doc: int, status: str = "done") -> Changes:
    return Changes(
        documents={doc: Change(DocumentState(doc, "new", 0), DocumentState(doc, status, 0))}
    )


@pytest.fixture
def docs(store, add_doc):
    return [add_doc(f"Article number {n}.") for n in range(12)]


def test_the_model_is_due_after_every_n_documents_marked_done_that_it_did_not_learn_from(
    store, docs
):
    for doc in docs[:4]:
        store.statuses.set(doc, "done")
    _model(store, docs[:4])
    set_retrain_every(store, 3)
    loop = LearningLoop.read(store)
    assert loop.every == 3 and loop.new_done == 0 and not loop.due()
    loop.follow(_done(docs[4]))
    loop.follow(_done(docs[5]))
    assert loop.new_done == 2 and not loop.due()
    loop.follow(_done(docs[5], "in_progress"))  # undone: it no longer counts
    loop.follow(_done(docs[6]))
    assert not loop.due()
    loop.follow(_done(docs[7]))
    assert loop.due()
    loop.stored(9, docs[:8])
    assert loop.new_done == 0 and not loop.due()


def test_done_documents_count_across_sessions_since_the_model_learned(store, docs):
    for doc in docs[:6]:
        store.statuses.set(doc, "done")
    _model(store, docs[:2])
    assert LearningLoop.read(store).due() is False  # 4 new, 10 by default
    for doc in docs[6:12]:
        store.statuses.set(doc, "done")
    assert LearningLoop.read(store).due()


def test_nothing_is_due_without_a_model_with_the_setting_at_0_or_for_a_curated_model(store, docs):
    for doc in docs:
        store.statuses.set(doc, "done")
    assert not LearningLoop.read(store).due()  # the first model is made on purpose
    _model(store, [], layer="curated")
    assert not LearningLoop.read(store).due()
    _model(store, [])
    assert LearningLoop.read(store).due()
    set_retrain_every(store, 0)
    assert not LearningLoop.read(store).due()


def test_too_few_examples_waits_for_n_more_documents(store, docs):
    _model(store, [])
    set_retrain_every(store, 2)
    loop = LearningLoop.read(store)
    for doc in docs[:2]:
        loop.follow(_done(doc))
    assert loop.due()
    loop.failed()
    loop.follow(_done(docs[2]))
    assert not loop.due()
    loop.follow(_done(docs[3]))
    assert loop.due()


def test_the_setting_defaults_to_10_and_a_bad_value_is_the_default(store):
    assert retrain_every(store) == RETRAIN_EVERY == 10
    store.set_setting("learning", {"retrain_every": "often"})
    assert retrain_every(store) == 10
    set_retrain_every(store, 25)
    assert retrain_every(store) == 25
    with pytest.raises(ValueError):
        set_retrain_every(store, -1)


def test_each_analyst_keeps_their_own_order_in_the_project(store):
    assert document_order(store) == "project"
    set_document_order(store, "uncertain")
    with Store(store.path, "bea") as other:
        assert document_order(other) == "project"
        set_document_order(other, "project")
    assert document_order(store) == "uncertain"
    store.set_setting("document_order", {"tester": "sideways"})
    assert document_order(store) == "project"
    with pytest.raises(ValueError):
        set_document_order(store, "sideways")


def test_the_newest_model_is_read_once_for_each_model(store, monkeypatch):
    from annotator.suggest.learned import suggesting
    from annotator.suggest.learned.model import LearnedModel

    loop = LearningLoop.read(store)
    assert loop.model(store) is None
    reads = []

    def read(s):
        reads.append(1)
        return LearnedModel(), None

    monkeypatch.setattr(suggesting, "latest_model", read)
    _model(store, [])
    first = loop.model(store)
    assert loop.model(store) is first and len(reads) == 1
    _model(store, [])
    assert loop.model(store) is not first and len(reads) == 2
