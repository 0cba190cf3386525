"""A 1 MB article with 10,000 spans, and a project of 100,000 documents: everything works at
that scale. Times are printed with ``-s`` but never asserted (the machine is shared); the
benchmarks (``python -m benchmarks``) hold the targets.
"""

from __future__ import annotations

import random
import time

import pytest

from annotator.model import text_hash
from annotator.store.project import Store

pytestmark = pytest.mark.slow  # 100,000 documents, a 1 MB article

PARAGRAPH = (
    "The council approved the 🚀 plan by seven votes to two, said the mayor\u00a0today. "
    "Critics note that the costs are high; admittedly the consultants agreed. "
)


@pytest.fixture
def big_project(tmp_path):
    random.seed(7)
    paragraphs = []
    while sum(map(len, paragraphs)) < 1_000_000:
        paragraphs.append(PARAGRAPH * random.randint(2, 8))
    text = "\n".join(paragraphs)
    path = tmp_path / "big.db"
    with Store(path, "bench") as store, store.transaction():
        doc = store.documents.insert(text=text, text_hash=text_hash(text), title="Big")
        labels = store.labels.ids()
        names = list(labels)
        rows = []
        for _ in range(10_000):
            start = random.randrange(0, len(text) - 200)
            end = start + random.randint(5, 180)
            rows.append(
                (
                    doc,
                    start,
                    end,
                    labels[random.choice(names)],
                    text[start:end],
                    "bench",
                    None,
                    "manual",
                    "t",
                    "t",
                )
            )
        store.spans.insert_many(rows)
        store.documents.insert(text="Small.", text_hash=text_hash("Small."), title="Small")
    return path


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)]


def test_big_article_opens_with_every_highlight_and_edits_keep_them_exact(
    big_project, open_window, qtbot
) -> None:
    window = open_window(big_project)
    view = window.article
    window.open_document(2)
    t0 = time.perf_counter()
    window.open_document(1)
    view.repaint()
    opened = time.perf_counter() - t0
    assert len(view.highlighter.index) == 10_000 and window.span_model.rowCount() == 10_000

    timings: dict[str, list[float]] = {"add": [], "relabel": [], "delete": []}
    random.seed(3)
    for _ in range(40):
        start = random.randrange(0, len(view.text) - 100)
        view.select_cp(start, start + 30)
        t = time.perf_counter()
        window.editor.tag("claim", exact=True)
        timings["add"].append(time.perf_counter() - t)
        t = time.perf_counter()
        window.editor.tag("quote")
        timings["relabel"].append(time.perf_counter() - t)
        t = time.perf_counter()
        window.editor.delete_selected()
        timings["delete"].append(time.perf_counter() - t)
    report = {k: round(p95(v) * 1000, 1) for k, v in timings.items()}
    print(f"\nopen 1 MB / 10k spans: {opened * 1000:.0f} ms; p95 ms: {report}")
    assert len(view.highlighter.index) == 10_000 and window.span_model.rowCount() == 10_000
    with Store(big_project) as check:
        assert len(check.spans.in_document(1)) == 10_000
    assert window.editor.undo_stack.count() == 120


def test_document_list_holds_100000_documents_without_a_widget_per_row(
    tmp_path, open_window
) -> None:
    path = tmp_path / "many.db"
    with Store(path, "bench") as store, store.transaction():
        for i in range(100_000):
            text = f"Article number {i}."
            store.documents.insert(text=text, text_hash=text_hash(text), title=f"Article {i}")
    t0 = time.perf_counter()
    window = open_window(path)
    built = time.perf_counter() - t0
    assert window.documents.model.rowCount() == 100_000
    t0 = time.perf_counter()
    window.documents.reload()
    reloaded = time.perf_counter() - t0
    print(f"\n100k documents: window {built * 1000:.0f} ms, list reload {reloaded * 1000:.0f} ms")
    assert len(window.documents.view.findChildren(type(window.documents.search))) < 5
    window.moving_on.step(1)
    window.moving_on.done_and_next()
    assert window.position_label.text() == "Document 3 of 100000"
