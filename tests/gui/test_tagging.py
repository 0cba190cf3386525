"""Making spans: selection (cursor and real keys), hotkeys, buttons, snapping, overlaps.

Every assertion reads the database: what the analyst tagged is what was saved.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from .helpers import HARD_TEXT, PLAIN_TEXT, select_cp, store_spans

KEYS = {
    "claim": Qt.Key.Key_1,
    "quote": Qt.Key.Key_2,
    "caption": Qt.Key.Key_3,
    "concession": Qt.Key.Key_4,
}


def tag(window, start: int, end: int, label: str = "claim", alt: bool = False) -> None:
    select_cp(window, start, end)
    modifier = Qt.KeyboardModifier.AltModifier if alt else Qt.KeyboardModifier.NoModifier
    QTest.keyClick(window.article, KEYS[label], modifier)


@pytest.mark.parametrize(
    "fragment",
    [
        "rocket",
        "🚀",
        "👍🏽",
        "👨\u200d👩\u200d👧",
        "cheered.\tThen\u00a0silence",
        "silence\u2028fell",
        "مرحبا بالعالم",
        "שלום עולם",
        "minister's",
    ],
)
def test_tagging_hard_text_saves_exact_code_points(window, fragment: str) -> None:
    start = HARD_TEXT.index(fragment)
    tag(window, start, start + len(fragment))
    assert store_spans(window) == [(start, start + len(fragment), "claim", fragment)]


def test_a_span_after_emoji_and_block_breaks_lands_on_its_characters(window) -> None:
    start = HARD_TEXT.index("Hebrew")  # after 4 emoji (7 astral code points), U+2028, U+2029
    tag(window, start, start + 6, "quote")
    assert store_spans(window) == [(start, start + 6, "quote", "Hebrew")]
    # and the view paints it where it is: the highlighter's positions are UTF-16
    placed = window.article.highlighter.index.placed
    (p,) = placed.values()
    assert (p.qs, p.qe) == (
        window.article.offsets.to_utf16(start),
        window.article.offsets.to_utf16(start + 6),
    )
    assert len(HARD_TEXT[:start].encode("utf-16-le")) // 2 == p.qs


def test_selection_made_with_real_shift_arrow_keys(window) -> None:
    view = window.article
    start = HARD_TEXT.index("🚀")
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_utf16(start))
    view.setTextCursor(cursor)
    for _ in range(9):  # 🚀, space, "rocket", space: the emoji (2 UTF-16 units) is one keypress
        QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().selectionEnd() - view.textCursor().selectionStart() == 10
    window.action("view.snap").setChecked(False)
    QTest.keyClick(view, Qt.Key.Key_2)
    assert store_spans(window) == [(start, start + 9, "quote", "🚀 rocket ")]


def test_selection_by_word_with_shift_ctrl_arrows(window) -> None:
    view = window.article
    start = HARD_TEXT.index("Costs")
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_utf16(start))
    view.setTextCursor(cursor)
    for _ in range(2):
        QTest.keyClick(
            view,
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier,
        )
    QTest.keyClick(view, Qt.Key.Key_1)
    assert store_spans(window) == [(start, start + len("Costs rose"), "claim", "Costs rose")]


def test_caret_moves_with_arrows_in_the_read_only_article(window) -> None:
    view = window.article
    QTest.keyClick(view, Qt.Key.Key_Down)
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert view.caret_cp() == HARD_TEXT.index("\n") + 2


def test_snapping_grows_partial_words_and_trims_space(window) -> None:
    start = HARD_TEXT.index("ocket rose")
    tag(window, start - 1 - 1, start + len("ocket ro"))  # " rocket ro" with a leading space
    want = HARD_TEXT.index("rocket")
    assert store_spans(window) == [(want, want + len("rocket rose"), "claim", "rocket rose")]


def test_snapping_off_keeps_exact_characters_and_is_remembered(
    window, open_window, project
) -> None:
    window.action("view.snap").trigger()
    assert not window.action("view.snap").isChecked()
    start = HARD_TEXT.index("ocket")
    tag(window, start, start + 3)
    assert store_spans(window) == [(start, start + 3, "claim", "ock")]
    window.close()
    again = open_window(project)
    assert not again.action("view.snap").isChecked()


def test_alt_hotkey_gives_exact_characters_while_snapping_is_on(window) -> None:
    assert window.action("view.snap").isChecked()
    start = HARD_TEXT.index("ocket")
    tag(window, start, start + 3, alt=True)
    assert store_spans(window) == [(start, start + 3, "claim", "ock")]


def test_label_button_tags_and_alt_click_is_exact(window) -> None:
    button = window.findChild(QPushButton, "label:caption")
    start = HARD_TEXT.index("ocket")
    select_cp(window, start, start + 3)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    select_cp(window, start, start + 3)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier)
    spans = sorted(store_spans(window))
    assert spans == [
        (start - 1, start + 5, "caption", "rocket"),
        (start, start + 3, "caption", "ock"),
    ]


def test_span_is_highlighted_at_once(window) -> None:
    start = HARD_TEXT.index("rocket")
    tag(window, start, start + 6)
    view = window.article
    block = view.document().findBlock(view.offsets.to_utf16(start))
    formats = block.layout().formats()
    assert any(
        f.start <= view.offsets.to_utf16(start) - block.position() < f.start + f.length
        and f.format.background().style() != Qt.BrushStyle.NoBrush
        for f in formats
    )
    assert window.span_model.rowCount() == 1
    assert window.saved_label.text().startswith("Saved ")


def test_selected_text_always_makes_a_new_span_even_inside_or_across(window) -> None:
    outer = HARD_TEXT.index("The 🚀 rocket rose at dawn")
    tag(window, outer, outer + len("The 🚀 rocket rose at dawn"), "claim")
    inner = HARD_TEXT.index("rocket")
    tag(window, inner, inner + 6, "quote")  # nested
    across = HARD_TEXT.index("dawn")
    tag(window, across, across + len("dawn 👍🏽 and"), "concession")  # crosses the outer end
    tag(window, inner, inner + 6, "caption")  # identical range, another label
    spans = store_spans(window)
    assert sorted(s[2] for s in spans) == ["caption", "claim", "concession", "quote"]
    assert {s[3] for s in spans} == {"The 🚀 rocket rose at dawn", "rocket", "dawn 👍🏽 and"}
    assert sorted(window.article.labels_at(inner)[:2]) == ["caption", "quote"]  # innermost first
    assert window.article.labels_at(inner)[2] == "claim"
    assert window.article.labels_at(across) == ["concession", "claim"]


def test_whitespace_only_selection_makes_nothing(window) -> None:
    start = HARD_TEXT.index("\t")
    tag(window, start, start + 1)
    assert store_spans(window) == []


def test_span_records_the_annotator(window) -> None:
    start = HARD_TEXT.index("rocket")
    tag(window, start, start + 6)
    (span,) = window.store.spans.in_document(window.current_document)
    assert span.annotator == "tester"


def test_markup_is_shown_as_characters(make_project, open_window) -> None:
    text = "Before <script>alert('x')</script> <b>bold</b> &amp; after"
    window = open_window(make_project(("Markup", text)))
    assert window.article.toPlainText() == text
    assert window.article.document().toPlainText() == text
    start = text.index("<b>")
    tag(window, start, start + len("<b>bold</b>"), alt=True)
    assert store_spans(window) == [(start, start + 11, "claim", "<b>bold</b>")]


def test_keyboard_selection_never_splits_a_surrogate_pair(window) -> None:
    view = window.article
    start = HARD_TEXT.index("🚀")
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_utf16(start) + 1)  # inside the pair, as setPosition allows
    cursor.setPosition(view.offsets.to_utf16(start + 1) + 1, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    QTest.keyClick(view, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert store_spans(window) == [(start, start + 2, "claim", "🚀 ")]


def test_plain_article_sample(make_project, open_window) -> None:
    window = open_window(make_project(("Plain", PLAIN_TEXT)))
    quote = PLAIN_TEXT.index("\u201cWe")
    end = PLAIN_TEXT.index("\u201d") + 1
    tag(window, quote, end, "quote")
    assert store_spans(window) == [(quote, end, "quote", PLAIN_TEXT[quote:end])]


def test_hotkeys_work_in_a_window_that_was_never_activated(qtbot, project) -> None:
    """Qt's shortcut map ignores inactive windows; the article still honours every key."""
    from PySide6.QtWidgets import QPlainTextEdit

    from annotator.gui.main_window import MainWindow

    window = MainWindow(project)
    qtbot.addWidget(window)
    assert not window.isActiveWindow()
    view = window.findChild(QPlainTextEdit, "articleView")
    start = HARD_TEXT.index("rocket")
    select_cp(window, start, start + len("rocket"))
    QTest.keyClick(view, Qt.Key.Key_1)
    assert store_spans(window) == [(start, start + 6, "claim", "rocket")]
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store_spans(window) == []
    QTest.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert store_spans(window) == [(start, start + 6, "claim", "rocket")]
