"""Finishing, skipping and stepping through documents; resuming; find; the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store.project import Store

from .helpers import HARD_TEXT, PLAIN_TEXT, select_cp

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def statuses(window) -> list[str]:
    with Store(window.store.path) as other:
        return [r.status for r in other.documents.rows()]


def test_ctrl_enter_marks_done_and_opens_the_next_open_document(window) -> None:
    first = window.current_document
    QTest.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    assert statuses(window) == ["done", "new", "new"]
    assert window.current_document != first
    assert window.article.text == PLAIN_TEXT
    assert window.progress_label.text() == "Done 1/3"
    QTest.keyClick(window.article, Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier.KeypadModifier)
    assert statuses(window) == ["done", "done", "new"]
    QTest.keyClick(window.article, Qt.Key.Key_Z, CTRL)  # undo reopens that document
    assert statuses(window) == ["done", "new", "new"]
    assert window.article.text == PLAIN_TEXT


def test_skip_marks_skipped_and_moves_on_past_done_documents(window) -> None:
    QTest.keyClick(window.article, Qt.Key.Key_S, CTRL | SHIFT)
    assert statuses(window) == ["skipped", "new", "new"]
    QTest.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    QTest.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    assert statuses(window) == ["skipped", "done", "done"]
    assert "done or skipped" in window.statusBar().currentMessage()


def test_tagging_marks_the_document_in_progress_and_the_list_follows(window) -> None:
    select_cp(window, 0, 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    row = window.documents.model.row_of(window.current_document)
    assert window.documents.model.rows[row].status == "in_progress"
    assert window.documents.model.rows[row].span_count == 1
    assert statuses(window)[0] == "in_progress"


def test_next_and_previous_document_keys(window) -> None:
    titles = []
    for k in (Qt.Key.Key_PageDown, Qt.Key.Key_PageDown, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
        QTest.keyClick(window.article, k, CTRL)
        titles.append(window.store.documents.row(window.current_document).title)
    assert titles == ["Plain text", "Third", "Third", "Plain text"]
    assert window.position_label.text() == "Document 2 of 3"


def test_document_list_filter_and_search(window, qtbot) -> None:
    docs = window.documents
    docs.status.setCurrentIndex(docs.status.findData("done"))
    assert docs.model.rowCount() == 0
    docs.status.setCurrentIndex(0)
    docs.search.setText("hebrew")  # text, not title
    docs.reload()
    assert [r.title for r in docs.model.rows] == ["Hard text"]
    docs.search.setText("third")
    qtbot.waitUntil(lambda: [r.title for r in docs.model.rows] == ["Third"])
    docs.view.setCurrentIndex(docs.model.index(0, 0))
    assert window.article.text == "Three."


def test_project_reopens_on_the_document_and_place_left(make_project, open_window) -> None:
    long_text = "\n".join(f"Paragraph {i} of a long article about trams." for i in range(400))
    path = make_project(("Short", "Short one."), ("Long", long_text))
    window = open_window(path)
    QTest.keyClick(window.article, Qt.Key.Key_PageDown, CTRL)
    target = long_text.index("Paragraph 300")
    window.article.scroll_to_cp(target)
    window.article.select_cp(target + 5, target + 5)
    window.article.scroll_to_cp(target)
    top = window.article.first_visible_cp()
    assert top > 0
    window.close()
    with Store(path) as store:
        saved = store.get_setting("ui.places")["tester"]  # each analyst's own place
    assert saved["document"] == 2 and saved["caret"] == target + 5
    again = open_window(path)
    assert again.current_document == 2
    assert again.article.caret_cp() == target + 5
    QTest.qWait(20)
    assert abs(again.article.first_visible_cp() - top) < 60


def test_find_bar_next_previous_and_escape(window) -> None:
    QTest.keyClick(window.article, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    QTest.keyClicks(bar.field, "the")
    first = window.article.selection_cp()
    assert HARD_TEXT[first[0] : first[1]].lower() == "the"
    QTest.keyClick(bar.field, Qt.Key.Key_Return)
    second = window.article.selection_cp()
    assert second[0] > first[0]
    QTest.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)
    assert window.article.selection_cp() == first
    QTest.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    # the match is a selection like any other: tag it
    window.article.setFocus()
    QTest.keyClick(window.article, Qt.Key.Key_2)
    assert [(s.start, s.end) for s in window.store.spans.in_document(window.current_document)] == [
        first
    ]


def test_find_after_an_emoji_selects_the_right_characters(window) -> None:
    window.find_bar.open_bar()
    window.find_bar.field.setText("שלום")
    assert window.find_bar.search()
    start = HARD_TEXT.index("שלום")
    assert window.article.selection_cp() == (start, start + 4)
    window.find_bar.field.setText("no such words")
    assert not window.find_bar.search()


def test_a_typed_space_finds_no_break_and_thin_spaces(open_window, make_project) -> None:
    text = "The road is 12\u00a0km long; the bridge 3\u2009km; the tunnel 4\tkm."
    window = open_window(make_project(("Roads", text)))
    bar = window.find_bar
    QTest.keyClick(window.article, Qt.Key.Key_F, CTRL)
    QTest.keyClicks(bar.field, "12 km")
    assert window.article.selection_cp() == (text.index("12"), text.index("12") + 5)
    for needle, at in (("3 km", "3\u2009"), ("4 km", "4\t")):
        bar.field.setText(needle)
        assert bar.search(origin=0)
        start = text.index(at)
        assert window.article.selection_cp() == (start, start + 4)


def test_find_starts_after_the_selection(open_window, make_project) -> None:
    text = "Costs rose. Costs fell. Costs rose again."
    window = open_window(make_project(("Costs", text)))
    second = text.index("Costs fell")
    window.article.select_cp(second, second + len("Costs"))
    QTest.keyClick(window.article, Qt.Key.Key_F, CTRL)
    field = window.find_bar.field
    field.clear()
    QTest.keyClicks(field, "Cos")  # not the selected "Costs", nor the one before it
    third = text.index("Costs rose again")
    assert window.article.selection_cp() == (third, third + 3)
    QTest.keyClicks(field, "ts rose")  # typing on narrows from where the bar opened
    assert window.article.selection_cp() == (third, third + len("Costs rose"))
    QTest.keyClick(field, Qt.Key.Key_Return)  # the next: round to the first
    assert window.article.selection_cp() == (0, len("Costs rose"))


def test_a_find_that_fails_clears_the_selection_and_a_label_key_then_tags_nothing(window) -> None:
    QTest.keyClick(window.article, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    QTest.keyClicks(bar.field, "the")
    assert window.article.selection_cp() is not None
    QTest.keyClicks(bar.field, "zzqx")  # "thezzqx": no match
    assert bar.status.text() == "no match"
    assert window.article.selection_cp() is None
    QTest.keyClick(bar.field, Qt.Key.Key_Escape)
    QTest.keyClick(window.article, Qt.Key.Key_2)
    assert window.store.spans.in_document(window.current_document) == []


def test_status_bar_shows_position_progress_name_and_saved_time(window) -> None:
    assert window.position_label.text() == "Document 1 of 3"
    assert window.progress_label.text() == "Done 0/3"
    assert window.annotator_label.text() == "Annotator: tester"
    assert window.saved_label.text() == "No changes yet"
    select_cp(window, 0, 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    assert window.saved_label.text().startswith("Saved ")


def test_zoom_keys_change_the_article_font(window) -> None:
    size = window.article.font().pointSizeF()
    QTest.keyClick(window.article, Qt.Key.Key_Equal, CTRL)
    assert window.article.font().pointSizeF() == size + 1
    QTest.keyClick(window.article, Qt.Key.Key_Minus, CTRL)
    QTest.keyClick(window.article, Qt.Key.Key_Minus, CTRL)
    assert window.article.font().pointSizeF() == size - 1
    QTest.keyClick(window.article, Qt.Key.Key_0, CTRL)
    assert window.article.font().pointSizeF() == size


def test_layout_is_remembered(project, open_window) -> None:
    window = open_window(project)
    window.resize(760, 560)  # the offscreen screen is 800 x 800: restoreGeometry clamps to it
    window.splitter.setSizes([100, 500, 150])
    sizes = window.splitter.sizes()
    window.close()
    again = open_window(project)
    assert again.size().width() == 760
    assert again.splitter.sizes() == sizes


def test_text_column_is_limited_and_centred(window) -> None:
    window.resize(2400, 900)
    QTest.qWait(10)
    view = window.article
    margins = view.viewportMargins()
    assert margins.left() > 0 and abs(margins.left() - margins.right()) <= 1
    assert view.viewport().width() < 100 * view.fontMetrics().averageCharWidth()


def test_position_counts_the_filtered_list_and_follows_done_and_next(window) -> None:
    docs = window.documents
    docs.status.setCurrentIndex(docs.status.findData("new"))
    assert window.position_label.text() == "Document 1 of 3"
    QTest.keyClick(window.article, Qt.Key.Key_Return, CTRL)  # done, next
    assert window.current_document == 2
    # the finished document keeps its row (now "done") until the list is read again
    assert window.position_label.text() == "Document 2 of 3"
    assert docs.view.currentIndex().row() == 1
    assert docs.model.rows[0].status == "done"
    QTest.keyClick(window.article, Qt.Key.Key_F5)
    assert [r.title for r in docs.model.rows] == ["Plain text", "Third"]
    assert window.position_label.text() == "Document 1 of 2"
    assert docs.view.currentIndex().row() == 0
    docs.search.setText("three")
    docs.reload()
    assert [r.title for r in docs.model.rows] == ["Third"]
    assert window.position_label.text() == "Document #2 (not in the list)"
    QTest.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    assert window.current_document == 3
    assert window.position_label.text() == "Document 1 of 1"
    assert window.progress_label.text() == "Done 2/3"
    QTest.keyClick(window.article, Qt.Key.Key_Z, CTRL)  # reopens document 2, outside the list
    assert window.current_document == 2
    assert window.position_label.text() == "Document #2 (not in the list)"
    assert window.progress_label.text() == "Done 1/3"


def test_a_document_marked_by_mistake_is_reopened_and_the_reopening_undone(window) -> None:
    QTest.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    assert statuses(window)[0] == "done" and window.current_document == 2
    menu = window.moving_on.document_menu(1)  # the document list's context menu on its row
    (reopen,) = [a for a in menu.actions() if a.objectName() == "reopenDocument"]
    assert reopen.isEnabled()
    reopen.trigger()
    assert statuses(window)[0] == "new"  # no spans: back to new
    assert window.documents.model.rows[0].status == "new"
    assert window.progress_label.text() == "Done 0/3"
    window.editor.undo_stack.undo()
    assert statuses(window)[0] == "done"
    window.open_document(1)
    select_cp(window, 0, 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    window.editor.set_status(1, "skipped")
    QTest.keyClick(window.article, Qt.Key.Key_R, CTRL | SHIFT)  # Document → Reopen
    assert statuses(window)[0] == "in_progress"  # it has a span
    assert not window.moving_on.document_menu(1).actions()[0].isEnabled()
    window.editor.undo_stack.undo()
    assert statuses(window)[0] == "skipped"


def test_a_layout_saved_too_small_or_squeezed_is_not_restored(project, open_window) -> None:
    """A window closed before it was really shown can save a size no one works at, and a
    splitter with the article squeezed away: the next start uses the default layout."""
    window = open_window(project)
    window.resize(400, 200)
    window.splitter.setSizes([600, 0, 200])
    window.close()
    again = open_window(project)
    assert again.width() >= 700 and again.height() >= 450
    assert again.splitter.sizes()[1] >= 320
