"""Every change reaches the views by one road, ``MainWindow.apply_changes``, carrying what the
write returned: the views never read back what the write already said."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store.documents import Documents
from annotator.store.labels import Labels
from annotator.store.project import Store
from annotator.store.spans import Spans

from .helpers import HARD_TEXT, select_cp, store_spans

CTRL, ALT, SHIFT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ShiftModifier,
)
ROCKET = HARD_TEXT.index("rocket")
DAWN = HARD_TEXT.index("dawn")


def key(window, k: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.article, k, mods)


@pytest.fixture
def readers(monkeypatch):
    """Reads of documents, counts, spans or labels by the window's views (the undo commands'
    own checks, made inside their writes, are not views)."""
    seen: list[str] = []
    reads = [
        (Documents, "row"),
        (Documents, "count"),
        (Documents, "rows"),
        (Spans, "in_document"),
        (Labels, "all"),
    ]
    for owner, name in reads:
        original = getattr(owner, name)

        def spy(self, *args, _original=original, _name=name, **kwargs):
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller.startswith("annotator.gui") and caller != "annotator.gui.commands.spans":
                seen.append(f"{_name} from {caller}")
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(owner, name, spy)
    return seen


def test_edits_undo_and_redo_read_nothing_back_from_the_store(window, readers) -> None:
    select_cp(window, ROCKET, ROCKET + 6)
    key(window, Qt.Key.Key_1)
    key(window, Qt.Key.Key_2)  # relabel
    key(window, Qt.Key.Key_Period, CTRL)  # move the end
    select_cp(window, DAWN, DAWN + 4)
    key(window, Qt.Key.Key_3)
    key(window, Qt.Key.Key_Delete)
    for _ in range(4):
        key(window, Qt.Key.Key_Z, CTRL)
    for _ in range(4):
        key(window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert readers == []
    assert store_spans(window) == [(ROCKET, ROCKET + 7, "quote", "rocket ")]
    row = window.documents.model.rows[0]
    assert (row.status, row.span_count) == ("in_progress", 1)
    assert window.progress_label.text() == "Done 0/3"


def test_marking_done_counts_progress_from_the_change(window, readers) -> None:
    key(window, Qt.Key.Key_Return, CTRL)
    assert window.progress_label.text() == "Done 1/3"
    assert window.documents.model.rows[0].status == "done"
    key(window, Qt.Key.Key_Z, CTRL)
    assert window.progress_label.text() == "Done 0/3"
    assert window.documents.model.rows[0].status == "new"
    assert [r for r in readers if "document_row" in r or "count" in r] == []


def test_a_label_renamed_and_recoloured_elsewhere_is_shown_on_f5_and_undo_follows(
    make_project, open_window, monkeypatch
) -> None:
    text = "\n".join(f"Paragraph {i} about the tram and its costs." for i in range(300))
    window = open_window(make_project(("Long", text)))
    errors: list[str] = []
    monkeypatch.setattr(window, "show_error", errors.append)
    words = [text.index(f"Paragraph {i} ") for i in (200, 210, 220)]
    for start in words:
        select_cp(window, start, start + 9)
        key(window, Qt.Key.Key_1)
    window.article.scroll_to_cp(words[0])
    caret = window.article.caret_cp()
    top = window.article.first_visible_cp()
    with Store(window.store.path) as other:
        other.labels.update("claim", new_name="fact", color="#123456")
    key(window, Qt.Key.Key_F5)
    assert {s.label for s in window.span_model.spans} == {"fact"}
    assert {p.label for p in window.article.highlighter.index.placed.values()} == {"fact"}
    assert [lab.name for lab in window.labels][0] == "fact"
    for n in range(3, 0, -1):
        key(window, Qt.Key.Key_Z, CTRL)
        assert len(store_spans(window)) == n - 1
        assert window.article.first_visible_cp() == top
        assert window.article.caret_cp() == caret
    assert errors == []


def test_a_suggestion_run_shows_what_it_made_without_reading_the_spans_back(
    open_window, make_project, readers
) -> None:
    text = "The council met.\n“We will build the tram by May,” said Mayor Ana Ruiz.\n"
    window = open_window(make_project(("Tram", text)))
    readers.clear()
    key(window, Qt.Key.Key_F8)
    assert window.document_model.suggestions  # shown
    assert [r for r in readers if r.startswith("in_document")] == []
