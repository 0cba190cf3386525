"""Tooltips over overlaps, and highlight colours that follow a light or dark palette."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from .helpers import HARD_TEXT, select_cp

ROCKET = HARD_TEXT.index("rocket")


def background_at(view, cp: int) -> QColor:
    u16 = view.offsets.to_utf16(cp)
    block = view.document().findBlock(u16)
    for r in block.layout().formats():
        if r.start <= u16 - block.position() < r.start + r.length:
            return r.format.background().color()
    raise AssertionError("no highlight there")


def test_tooltip_lists_every_label_at_the_point(window, qtbot) -> None:
    select_cp(window, ROCKET - 4, ROCKET + 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    select_cp(window, ROCKET, ROCKET + 6)
    QTest.keyClick(window.article, Qt.Key.Key_2)
    view = window.article
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(ROCKET + 2))
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text().splitlines() == ["quote", "claim"]


def test_highlights_follow_a_dark_palette(window) -> None:
    select_cp(window, ROCKET, ROCKET + 6)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    view = window.article
    light = background_at(view, ROCKET)
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    view.setPalette(dark)
    shaded = background_at(view, ROCKET)
    assert shaded.lightnessF() < 0.45 < light.lightnessF()
    assert shaded != QColor("#1e1e1e")  # still visibly tinted


def format_at(view, cp: int):
    u16 = view.offsets.to_utf16(cp)
    block = view.document().findBlock(u16)
    for r in block.layout().formats():
        if r.start <= u16 - block.position() < r.start + r.length:
            return QTextCharFormat(r.format)
    raise AssertionError("no highlight there")


def test_a_nested_span_shows_its_own_colour_and_the_outer_one_as_a_wavy_line(window) -> None:
    from annotator.gui import theme

    view = window.article
    select_cp(window, ROCKET - 4, ROCKET + 11)  # "🚀 rocket rose" as a claim
    QTest.keyClick(window.article, Qt.Key.Key_1)
    select_cp(window, ROCKET, ROCKET + 6)  # "rocket" inside it as a quote
    QTest.keyClick(window.article, Qt.Key.Key_2)
    window.editor.select(None)
    for palette_base in ("#ffffff", "#1e1e1e"):
        palette = QPalette(view.palette())
        palette.setColor(QPalette.ColorRole.Base, QColor(palette_base))
        view.setPalette(palette)
        outer, inner = format_at(view, ROCKET - 2), format_at(view, ROCKET + 1)
        base = QColor(palette_base)
        alpha = theme.layer_alpha(palette)
        quote, claim = view.highlighter.colour("quote"), view.highlighter.colour("claim")
        assert inner.background().color() == theme.mix(base, quote, alpha)  # not a blend
        assert outer.background().color() == theme.mix(base, claim, alpha)
        assert inner.underlineStyle() == inner.UnderlineStyle.WaveUnderline
        assert inner.underlineColor() == theme.underline_colour(claim, palette)
        assert outer.underlineStyle() == outer.UnderlineStyle.NoUnderline


def test_paragraphs_one_newline_apart_are_spaced_without_changing_the_text(
    make_project, open_window
) -> None:
    text = "First paragraph.\nSecond paragraph.\n\nThird, after an empty line.\nFourth."
    window = open_window(make_project(("Dense", text)))
    view = window.article
    doc = view.document()
    heights = [view.blockBoundingRect(doc.findBlockByNumber(n)).height() for n in range(5)]
    line = view.fontMetrics().lineSpacing()
    assert heights[0] > heights[1] >= line  # a gap below the first, none before the empty line
    assert heights[3] == heights[0] > heights[1]  # and below the third
    assert view.toPlainText() == text and doc.characterCount() == len(text) + 1
    second = text.index("Second")
    cursor = QTextCursor(doc)
    cursor.setPosition(view.offsets.to_utf16(second + 2))
    rect = view.cursorRect(cursor)
    hit = view.cursorForPosition(QPoint(rect.x() + 1, rect.center().y())).position()
    assert view.offsets.from_utf16(hit) == second + 2  # clicks land where they did


def test_the_gaps_follow_each_article_opened_in_turn(make_project, open_window) -> None:
    """Whether a paragraph follows a block is kept between paints; a new article's blocks
    have gaps where its own paragraphs are, never where the last article's were."""
    first = "One.\nTwo.\nThree.\nFour."  # every block followed by a paragraph
    second = "One.\n\nTwo.\n\nThree."  # paragraphs already apart: no gap anywhere
    window = open_window(make_project(("Dense", first), ("Apart", second)))
    view, store = window.article, window.store
    ids = {store.documents.get(i).title: i for i in store.documents.ids()}

    def heights() -> list[float]:
        doc = view.document()
        return [
            view.blockBoundingRect(doc.findBlockByNumber(n)).height()
            for n in range(doc.blockCount())
        ]

    window.open_document(ids["Dense"])
    dense = heights()
    window.open_document(ids["Apart"])
    apart = heights()
    line = view.fontMetrics().lineSpacing()
    assert dense[0] == dense[1] == dense[2] > apart[0] == apart[2] >= line  # gaps, then none
    window.open_document(ids["Dense"])
    assert heights() == dense


def test_panels_have_room_for_titles_labels_and_swatches(window) -> None:
    from PySide6.QtGui import QIcon

    from annotator.gui import window_layout

    window.resize(1320, 820)  # the default size, on a screen that has room for it
    window.splitter.setSizes(window_layout.panel_sizes(window.splitter.width()))
    table = window.span_table
    needed = table.fontMetrics().horizontalAdvance("concession") + 12
    assert table.horizontalHeader().sectionSize(0) >= needed  # "concession", not "concess…"
    titles = window.documents.view
    assert titles.columnWidth(0) >= titles.fontMetrics().averageCharWidth() * 25
    select_cp(window, ROCKET, ROCKET + 6)
    QTest.keyClick(window.article, Qt.Key.Key_4)
    icon = window.span_model.data(window.span_model.index(0, 0), Qt.ItemDataRole.DecorationRole)
    normal = icon.pixmap(12, 12, QIcon.Mode.Normal).toImage().pixelColor(6, 6)
    selected = icon.pixmap(12, 12, QIcon.Mode.Selected).toImage().pixelColor(6, 6)
    assert normal == selected == QColor(window.store.labels.get("concession").color)


def test_guidelines_read_at_the_article_size_and_close_with_a_button(window) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    window.action("help.guidelines").trigger()
    dialog = next(w for w in window.side_windows if w.objectName() == "guidelinesDialog")
    assert dialog.browser.font().pointSizeF() == window.article.font().pointSizeF()
    buttons = dialog.findChild(QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Close).click()
    assert not dialog.isVisible()
