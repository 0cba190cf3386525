"""A long article is highlighted on screen first and the rest while the window is idle; a
change lays out and repaints only the blocks its span covers. Once settled, the article must
look exactly as if every block had been highlighted at once.
"""

from __future__ import annotations

from PySide6.QtGui import QImage

from annotator.store.project import Store

from .helpers import select_cp

PARAGRAPHS = 300


def _text() -> str:
    return "\n".join(
        f"Paragraph {i}: the council met and the mayor\u00a0said the 🚀 plan costs {i} euros, "
        "which critics called high."
        for i in range(PARAGRAPHS)
    )


def _project(make_project):
    text = _text()
    path = make_project(("Long", text), ("Other", "Short."))
    labels = ["claim", "quote", "caption"]
    with Store(path, "tester") as store:
        for i in range(PARAGRAPHS):
            start = text.index(f"Paragraph {i}:")
            store.spans.add(1, start + 4, start + 40, labels[i % 3])
            if i % 4 == 0:  # a nested one, and one crossing into the next paragraph
                inner = text.index("mayor", start)
                store.spans.add(1, inner, inner + 5, labels[(i + 1) % 3])
                end = text.index("critics", start)
                store.spans.add(1, end, min(end + 60, len(text)), labels[(i + 2) % 3])
    return path


def _grab(window) -> QImage:
    window.documents.search.setFocus()  # no caret in the picture
    window.article.viewport().repaint()
    return window.article.viewport().grab().toImage()


def _reopen(window) -> None:
    """Open the long article afresh (its blocks new, none highlighted yet)."""
    window.open_document(2)
    window.open_document(1)


def _unhighlighted(view) -> list[int]:
    doc = view.document()
    return [
        n
        for n in view.highlighter.index.blocks()
        if not doc.findBlockByNumber(n).layout().formats()
    ]


def test_opening_highlights_the_screen_first_and_the_rest_when_idle(
    make_project, open_window, qtbot
) -> None:
    window = open_window(_project(make_project))
    view = window.article
    _reopen(window)
    view.viewport().repaint()
    waiting = _unhighlighted(view)
    assert waiting and not view.highlighter.settled  # most of the article waits
    assert set(waiting).isdisjoint(view.blocks_in_view())  # but not what is on screen
    qtbot.waitUntil(lambda: view.highlighter.settled)
    assert _unhighlighted(view) == []
    # formatted without being laid out: a block far below is laid out when it is drawn
    far = view.document().findBlockByNumber(waiting[-1])
    assert far.layout().formats() and far.layout().lineCount() == 0


def test_scrolling_to_the_end_right_after_opening_shows_what_a_full_highlight_shows(
    make_project, open_window
) -> None:
    window = open_window(_project(make_project))
    view = window.article
    bar = view.verticalScrollBar()
    _reopen(window)
    view.highlighter.settle()  # every block highlighted at once
    bar.setValue(bar.maximum())
    full = _grab(window)
    _reopen(window)
    bar.setValue(bar.maximum())  # before any idle turn
    assert not view.highlighter.settled
    assert _grab(window) == full
    bar.setValue(bar.maximum() // 2)  # and halfway, where the idle work has not reached
    lazy_middle = _grab(window)
    view.highlighter.settle()
    assert _grab(window) == lazy_middle


def test_changes_off_screen_are_painted_when_they_come_into_view(make_project, open_window) -> None:
    window = open_window(_project(make_project))
    view = window.article
    bar = view.verticalScrollBar()
    text = view.text
    start = text.index("Paragraph 2:")
    select_cp(window, start, start + 30)
    span = window.editor.tag("quote", exact=True)
    assert span is not None
    window.editor.select(None)
    bar.setValue(bar.maximum())
    window.editor.undo_stack.undo()  # the span goes while its block is off screen
    window.editor.undo_stack.redo()  # and comes back (selected)
    window.editor.select(None)
    block = view.document().findBlock(view.offsets.to_utf16(start)).blockNumber()
    assert block not in view.blocks_in_view()
    bar.setValue(0)
    changed = _grab(window)
    _reopen(window)
    view.highlighter.settle()
    bar.setValue(0)
    assert _grab(window) == changed


def test_a_change_lays_out_only_the_block_it_touches(make_project, open_window) -> None:
    window = open_window(_project(make_project))
    view = window.article
    view.highlighter.settle()
    view.viewport().repaint()
    doc = view.document()
    shown = list(view.blocks_in_view())
    assert len(shown) > 3 and all(doc.findBlockByNumber(n).layout().lineCount() for n in shown)
    target = shown[1]
    block = doc.findBlockByNumber(target)
    start = view.offsets.from_utf16(block.position())
    select_cp(window, start + 15, start + 25)
    window.editor.tag("caption", exact=True)
    # the others keep their lines (and their shaped glyphs): nothing to lay out again
    others = [n for n in shown if n != target]
    assert all(doc.findBlockByNumber(n).layout().lineCount() for n in others)
    assert doc.findBlockByNumber(target).layout().lineCount()  # laid out anew at once
