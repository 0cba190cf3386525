"""store.models: what a model learns from, and the record of each model trained."""

from __future__ import annotations

import json

import pytest

from annotator.store.project import Store

TEXT = "Council backs the tram.\nThe union could drop its demand.\n"


@pytest.fixture
def doc(add_doc):
    return add_doc(TEXT, title="Tram")


def _spans(examples):
    return {(e.document, e.analyst): e.spans for e in examples}


def test_each_analyst_who_marked_a_document_done_is_one_example_with_their_spans(
    store, doc, tmp_path
):
    store.spans.add(doc, 0, 23, "claim")
    store.statuses.set(doc, "done")
    with Store(store.path, "bea") as other:
        other.spans.add(doc, 24, 56, "concession")
        other.spans.add(doc, 0, 7, "quote")  # bea has not marked it done: not learned from
    store.spans.add(doc, 24, 29, "quote", origin="suggested", suggester="quotes", score=0.5)
    examples, texts = store.models.learning_layer()
    assert _spans(examples) == {(doc, "tester"): [(0, 23, "claim")]}
    assert texts == {doc: TEXT}


def test_a_document_no_one_marked_done_is_not_learned_from(store, doc):
    store.spans.add(doc, 0, 23, "claim")
    store.statuses.set(doc, "in_progress")
    assert store.models.learning_layer() == ([], {})


def test_spans_imported_under_a_name_with_no_status_count_for_whoever_marked_it_done(store, doc):
    with store.transaction():
        label = store.conn.execute("SELECT id FROM labels WHERE name = 'claim'").fetchone()[0]
        store.spans.insert(
            (doc, 0, 23, label, TEXT[:23], "imported-name", None, "imported", "t", "t")
        )
    store.statuses.set(doc, "done")
    examples, _ = store.models.learning_layer()
    assert _spans(examples) == {(doc, "tester"): [(0, 23, "claim")]}


def test_the_curated_layer_is_the_curated_spans_of_settled_documents(store, doc, add_doc):
    from annotator.team.curation import settle

    other = add_doc("Another text.\n")
    store.spans.add(doc, 0, 23, "claim", origin="curated")
    store.spans.add(other, 0, 7, "claim", origin="curated")  # not settled
    store.spans.add(doc, 24, 56, "concession")  # an analyst's, not curated
    settle(store, doc)
    examples, texts = store.models.learning_layer(curated=True)
    assert _spans(examples) == {(doc, None): [(0, 23, "claim")]}
    assert set(texts) == {doc}


def test_a_new_model_replaces_the_parameters_of_the_one_before_and_keeps_its_record(store):
    first = store.models.add(
        parameters='{"a": 1}', library="scikit-learn", library_version="1.0", layer="done",
        labels=["claim"], documents=[1, 2], figures={"f": 1},
    )  # fmt: skip
    second = store.models.add(
        parameters='{"b": 2}', library="scikit-learn", library_version="1.1", layer="curated",
        labels=["claim", "concession"], documents=[3], figures={},
    )  # fmt: skip
    latest = store.models.latest()
    assert latest is not None and latest.id == second and latest.parameters == '{"b": 2}'
    old = store.models.get(first)
    assert old is not None and old.parameters is None and old.figures == {"f": 1}
    assert old.documents == [1, 2] and old.trained_by == "tester"
    assert old.made_by.startswith("annotator ")
    assert [m.id for m in store.models.all()] == [first, second]
    assert all(m.parameters is None for m in store.models.all())
    entries = [c for c in store.history() if c["action"] == "train_model"]
    assert [e["details"]["model"] for e in entries] == [first, second]


def test_the_schema_refuses_a_model_whose_parameters_are_not_json(raw, store):
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        raw.execute(
            "INSERT INTO models (library, library_version, made_by, layer, labels, documents,"
            " trained_at, trained_by, figures, parameters)"
            " VALUES ('x', '1', 'a', 'done', '[]', '[]', 't', 'a', '{}', ?)",
            (b"\x80\x04pickled",),
        )
    assert store.models.latest() is None


def test_no_model_yet(store):
    assert store.models.latest() is None and store.models.all() == []
    assert store.models.get(1) is None


def test_an_unknown_layer_is_refused(store):
    with pytest.raises(ValueError, match="layer must be one of done, curated"):
        store.models.add(
            parameters="{}", library="x", library_version="1", layer="mine", labels=[],
            documents=[], figures={},
        )  # fmt: skip
    assert json.dumps(store.models.all()) == "[]"


# -- how unsure a model is about each document, and the order it gives -----------------------


def _model(store) -> int:
    return store.models.add(
        parameters="{}", library="x", library_version="1", layer="done", labels=[],
        documents=[], figures={},
    )  # fmt: skip


def test_documents_can_be_listed_least_certain_first_those_without_a_figure_last(store, add_doc):
    docs = [add_doc(f"Article {n}.") for n in range(5)]
    model = _model(store)
    store.models.keep_uncertainties(model, {docs[1]: 0.2, docs[3]: 0.9, docs[4]: 0.5})
    assert store.documents.ids() == docs
    assert store.documents.ids(order="uncertain") == [docs[3], docs[4], docs[1], docs[0], docs[2]]
    rows = store.documents.rows(order="uncertain")
    assert [r.id for r in rows] == [docs[3], docs[4], docs[1], docs[0], docs[2]]
    assert [r.id for r in store.documents.rows("new", "Article", order="uncertain")][0] == docs[3]


def test_the_next_document_least_certain_first_is_the_most_uncertain_still_open(store, add_doc):
    docs = [add_doc(f"Article {n}.") for n in range(4)]
    store.models.keep_uncertainties(_model(store), {docs[0]: 0.1, docs[2]: 0.8, docs[3]: 0.6})
    assert store.documents.next_open(None, order="uncertain") == docs[2]
    assert store.documents.next_open(docs[2], order="uncertain") == docs[3]
    store.statuses.set(docs[3], "done")
    store.statuses.set(docs[2], "skipped")
    assert store.documents.next_open(docs[2], order="uncertain") == docs[0]
    assert store.documents.next_open(docs[0], order="uncertain") == docs[1]  # none said last
    assert store.documents.next_open(docs[0]) == docs[1]  # project order, as before


def test_a_newer_figure_replaces_the_one_before_and_says_which_model_gave_it(store, add_doc):
    doc = add_doc("One article.")
    first, second = _model(store), _model(store)
    store.models.keep_uncertainties(first, {doc: 0.4})
    store.models.keep_uncertainties(second, {doc: 0.7})
    assert store.models.uncertainties() == {doc: (second, 0.7)}
    assert store.models.latest_id() == second


def test_an_unknown_order_is_refused(store):
    with pytest.raises(ValueError, match="order must be one of project, uncertain"):
        store.documents.rows(order="random")


def test_which_documents_not_done_lack_a_figure_from_a_model(store, add_doc):
    docs = [add_doc(f"Article {n}.") for n in range(3)]
    first, second = _model(store), _model(store)
    assert store.models.lacks_uncertainties(first)
    store.models.keep_uncertainties(first, {docs[0]: 0.1, docs[1]: 0.2})
    assert store.models.lacks_uncertainties(first)  # docs[2] has none
    store.statuses.set(docs[2], "done")
    assert not store.models.lacks_uncertainties(first)  # done ones need none
    assert store.models.lacks_uncertainties(second)  # the newer model said nothing yet
