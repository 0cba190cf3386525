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


def _least_certain_first(docs: list[int], said: dict[int, float]) -> list[int]:
    """The order least certain first, worked out here: by figure, highest first, then by id;
    the documents without one after them, by id."""
    return sorted(said, key=lambda d: (-said[d], d)) + [d for d in docs if d not in said]


def test_pages_least_certain_first_follow_the_order_from_any_place(store, add_doc):
    docs = [add_doc(f"Article {n}.") for n in range(23)]
    said = {d: (n % 4) / 4 for n, d in enumerate(docs) if n % 3}  # ties, and some unsaid
    store.models.keep_uncertainties(_model(store), said)
    expected = _least_certain_first(docs, said)
    assert store.documents.ids(order="uncertain") == expected
    for size in (1, 4, 7):
        for offset in range(0, len(docs) + 2):
            page = store.documents.page(offset, size, order="uncertain")
            assert page == expected[offset : offset + size]
            if 0 < offset <= len(docs):  # after the document before it, without counting
                after = expected[offset - 1]
                assert store.documents.page(99, size, after, order="uncertain") == page
    for place, doc in enumerate(expected):
        assert store.documents.position(doc, order="uncertain") == place
    assert store.documents.position(9999, order="uncertain") is None


def test_a_filtered_list_least_certain_first_keeps_the_filter(store, add_doc):
    docs = [add_doc(f"Article {n}, harbour" if n % 2 else f"Article {n}.") for n in range(12)]
    said = {d: n / 20 for n, d in enumerate(docs) if n % 3}
    store.models.keep_uncertainties(_model(store), said)
    for d in docs[:6]:
        store.statuses.set(d, "done")
    done = [d for d in _least_certain_first(docs, said) if d in docs[:6]]
    assert store.documents.ids("done", order="uncertain") == done
    harbour = [d for d in _least_certain_first(docs, said) if docs.index(d) % 2]
    assert store.documents.ids(search="HARBOUR", order="uncertain") == harbour
    for status, search in [("done", None), ("new", "harbour"), (None, None)]:
        rows = store.documents.rows(status, search, order="uncertain")
        assert store.documents.ids(status, search, order="uncertain") == [r.id for r in rows]


def _steps_to_a_page(store, documents: int, offset: int) -> int:
    """SQLite's steps until a page least certain first is read, from ``offset``."""
    from annotator.model import text_hash

    with store.transaction():
        ids = []
        for n in range(documents):
            text = f"Article {documents}-{n} of the list."
            ids.append(store.documents.insert(text=text, text_hash=text_hash(text), title=text))
    store.models.keep_uncertainties(_model(store), {d: (d % 10) / 10 for d in ids[::2]})
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    store.conn.set_progress_handler(count, 100)
    store.documents.page(offset, 50, order="uncertain")
    store.documents.page(99, 50, ids[-1] - 1, order="uncertain")  # past the figures
    store.conn.set_progress_handler(None, 0)
    return steps[0]


def test_a_page_least_certain_first_is_read_without_sorting_the_documents(tmp_path):
    few = _steps_to_a_page(Store(tmp_path / "few.db", "ana"), 100, 0)
    many = _steps_to_a_page(Store(tmp_path / "many.db", "ana"), 5000, 0)
    assert many <= few + 5


def _steps_to_the_next(store, documents: int) -> int:
    """SQLite's steps until the next document least certain first is found."""
    from annotator.model import text_hash

    with store.transaction():
        ids = []
        for n in range(documents):
            text = f"Article {documents}-{n} to go on to."
            ids.append(store.documents.insert(text=text, text_hash=text_hash(text), title=text))
        store.statuses.set(ids[-3], "done")
    said = {ids[-1]: 0.9, ids[-2]: 0.5, ids[-3]: 0.7, ids[-4]: 0.2}
    store.models.keep_uncertainties(_model(store), said)
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    store.conn.set_progress_handler(count, 100)
    found = [store.documents.next_open(doc, order="uncertain") for doc in (ids[-1], ids[-4])]
    store.conn.set_progress_handler(None, 0)
    assert found == [ids[-2], ids[-1]]
    with store.transaction():
        store.conn.execute("DELETE FROM uncertainties")
    assert store.documents.next_open(ids[0], order="uncertain") == ids[1]  # none said
    return steps[0]


def test_the_next_document_least_certain_first_is_found_without_sorting_the_documents(
    tmp_path,
):
    few = _steps_to_the_next(Store(tmp_path / "few.db", "ana"), 100)
    many = _steps_to_the_next(Store(tmp_path / "many.db", "ana"), 5000)
    assert many <= few + 5
