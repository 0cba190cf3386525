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
