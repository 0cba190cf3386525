"""The document list reads what it shows: a page of rows as they come into view, counts from
the database, filters and search in SQL; what it keeps does not grow with the project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotator.model import text_hash
from annotator.session.document_listing import PAGE
from annotator.store.documents import Documents
from annotator.store.project import Store

DOCUMENTS = 3000


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """A project of 3,000 documents; every third is done by the tester, every seventh
    mentions a harbour."""
    path = tmp_path / "many.db"
    with Store(path, "tester") as store, store.transaction():
        for n in range(DOCUMENTS):
            text = f"Article {n}. " + ("The harbour reopened." if n % 7 == 0 else "Rain.")
            doc = store.documents.insert(text=text, text_hash=text_hash(text), title=f"No {n}")
            assert doc is not None
            if n % 3 == 0:
                store.statuses.set(doc, "done")
    return path


@pytest.fixture
def reads(monkeypatch) -> dict[str, int]:
    """How many document rows the window reads, and whether it reads them all."""
    counted = {"rows": 0, "every": 0}
    rows_of, rows = Documents.rows_of, Documents.rows

    def counting_rows_of(self: Documents, ids: Any) -> Any:
        counted["rows"] += len(ids)
        return rows_of(self, ids)

    def counting_rows(self: Documents, *args: Any, **kw: Any) -> Any:
        counted["every"] += 1
        return rows(self, *args, **kw)

    monkeypatch.setattr(Documents, "rows_of", counting_rows_of)
    monkeypatch.setattr(Documents, "rows", counting_rows)
    return counted


def test_the_window_reads_the_rows_it_shows_and_one_page_at_the_end(many, open_window, reads):
    window = open_window(many)
    table = window.documents.view
    assert window.documents.model.rowCount() == DOCUMENTS
    assert reads["every"] == 0
    assert 0 < reads["rows"] <= 2 * PAGE
    read = reads["rows"]
    table.scrollToBottom()
    table.viewport().repaint()
    assert reads["rows"] - read <= 2 * PAGE
    last = window.documents.model.index(DOCUMENTS - 1, 0).data()
    assert last == f"No {DOCUMENTS - 1}"


def test_what_the_list_keeps_stays_a_few_pages_however_far_it_is_scrolled(many, open_window):
    window = open_window(many)
    model = window.documents.model
    titles = [model.index(i, 0).data() for i in range(0, DOCUMENTS, 7)]
    assert titles == [f"No {n}" for n in range(0, DOCUMENTS, 7)]
    assert len(model._pages) <= model.PAGES
    assert len(model._row_of) <= model.PAGES * PAGE


def test_a_document_is_found_in_the_list_without_reading_the_rows_before_it(
    many, open_window, reads
):
    window = open_window(many)
    model = window.documents.model
    read = reads["rows"]
    assert model.row_of(2500) == 2499
    assert reads["rows"] == read
    assert window.documents.document_at(2499) == 2500
    window.open_document(2900)
    assert window.documents.view.currentIndex().row() == 2899


def test_filtering_and_searching_count_and_show_the_documents_that_match(many, open_window):
    window = open_window(many)
    documents = window.documents
    model = documents.model
    documents.status.setCurrentIndex(documents.status.findData("done"))
    assert model.rowCount() == len(range(0, DOCUMENTS, 3))
    assert [model.index(i, 0).data() for i in range(3)] == ["No 0", "No 3", "No 6"]
    assert {model.index(i, 1).data() for i in range(0, model.rowCount(), 50)} == {"done"}
    documents.search.setText("HARBOUR")
    documents.reload()
    assert model.rowCount() == len(range(0, DOCUMENTS, 21))
    assert [model.index(i, 0).data() for i in range(2)] == ["No 0", "No 21"]
    documents.status.setCurrentIndex(documents.status.findData("new"))
    assert model.rowCount() == len([n for n in range(0, DOCUMENTS, 7) if n % 3])
    documents.search.setText("")
    documents.reload()
    assert model.rowCount() == DOCUMENTS - len(range(0, DOCUMENTS, 3))
    assert model.row_of(1) is None  # done: not in the list of new ones
    assert model.row_of(2) == 0


def _said_of(store: Store) -> dict[int, float]:
    """Figures from a model for every fifth document, many of them alike."""
    model = store.models.add(
        parameters="{}", library="x", library_version="1", layer="done", labels=[],
        documents=[], figures={},
    )  # fmt: skip
    said = {doc: (doc % 9) / 9 for doc in range(1, DOCUMENTS + 1, 5)}
    store.models.keep_uncertainties(model, said)
    return said


def test_least_certain_first_is_read_a_page_at_a_time_too(many, open_window, reads):
    window = open_window(many)
    said = _said_of(window.store)
    ordered = sorted(said, key=lambda d: (-said[d], d))
    ordered += [d for d in range(1, DOCUMENTS + 1) if d not in said]
    documents, model = window.documents, window.documents.model
    documents.order = "uncertain"
    read = reads["rows"]
    documents.reload()
    assert model.rowCount() == DOCUMENTS and reads["every"] == 0
    places = [0, 1, PAGE - 1, PAGE, len(said) - 1, len(said), DOCUMENTS - 1]
    assert [documents.document_at(i) for i in places] == [ordered[i] for i in places]
    assert reads["rows"] - read <= 5 * PAGE
    for doc in (ordered[3], ordered[len(said) + 40], DOCUMENTS):
        assert model.row_of(doc) == ordered.index(doc)
    window.open_document(ordered[2000])
    assert documents.view.currentIndex().row() == 2000
    assert [documents.document_at(i) for i in range(DOCUMENTS)] == ordered


def test_a_filtered_list_least_certain_first_shows_the_filtered_documents_in_that_order(
    many, open_window
):
    window = open_window(many)
    said = _said_of(window.store)
    documents, model = window.documents, window.documents.model
    documents.order = "uncertain"
    documents.status.setCurrentIndex(documents.status.findData("done"))
    done = [d for d in range(1, DOCUMENTS + 1) if (d - 1) % 3 == 0]
    ordered = sorted((d for d in done if d in said), key=lambda d: (-said[d], d))
    ordered += [d for d in done if d not in said]
    assert model.rowCount() == len(done)
    assert [documents.document_at(i) for i in range(len(done))] == ordered
    assert model.row_of(ordered[-1]) == len(done) - 1 and model.row_of(2) is None
