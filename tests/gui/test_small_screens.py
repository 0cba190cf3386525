"""Small screens and narrow windows: the window fits the screen it opens on, the label bar
wraps instead of cutting its buttons, the article stays the widest panel, and the span list's
text keeps a share of a narrow list."""

from __future__ import annotations

from annotator.gui import window_layout

TEXT = "The council approved the budget. Costs rose."


def test_a_window_larger_than_its_screen_is_fitted_to_it(open_window, make_project):
    window = open_window(make_project(("Budget", TEXT)))
    room = window.screen().availableGeometry()
    window.resize(room.width() + 400, room.height() + 300)
    window.move(room.left() + 200, room.top() + 150)
    window_layout.fit_to_screen(window)
    assert window.width() <= room.width() and window.height() <= room.height()
    frame = window.frameGeometry()
    assert room.left() <= frame.left() and frame.right() <= room.right() + 1
    assert room.top() <= frame.top()


def test_the_panels_give_way_to_the_article_on_a_narrow_window():
    assert window_layout.panel_sizes(1600) == list(window_layout.PANEL_SIZES)
    for width in (1024, 900, 760):
        documents, article, side = window_layout.panel_sizes(width)
        assert article > documents and article > side and documents + article + side == width


def test_the_label_bar_wraps_its_buttons_whole(open_window, make_project):
    window = open_window(make_project(("Budget", TEXT)))
    bar = window.label_bar
    wide = bar.layout().heightForWidth(2000)
    narrow = bar.layout().heightForWidth(260)
    assert narrow > wide  # more rows, not cut buttons
    bar.resize(260, narrow)
    bar.layout().setGeometry(bar.rect())
    for button in bar.buttons.values():
        assert button.width() >= button.sizeHint().width()
        assert button.geometry().right() <= 260
        assert button.text().split()[-1].isdigit()  # the hotkey shows


def test_the_span_text_keeps_its_share_of_a_narrow_list(open_window, make_project):
    window = open_window(make_project(("Budget", TEXT)))
    table = window.span_table
    table.resize(240, 300)
    table.fit_columns()
    header = table.horizontalHeader()
    assert header.sectionSize(1) >= 0.3 * table.viewport().width()
    table.resize(900, 300)
    table.fit_columns()  # room again: the other columns come back to their widths
    assert header.sectionSize(0) >= window.fontMetrics().horizontalAdvance("concession")


def test_the_suggested_text_keeps_its_share_of_a_narrow_list(open_window, make_project):
    window = open_window(make_project(("Budget", TEXT)))
    table = window.suggestions.panel.table
    table.resize(230, 300)
    table.fit_columns()
    header = table.horizontalHeader()
    assert header.sectionSize(1) >= 0.3 * table.viewport().width()
    table.resize(900, 300)
    table.fit_columns()
    assert header.sectionSize(2) >= window.fontMetrics().horizontalAdvance("concessions 0.55")
