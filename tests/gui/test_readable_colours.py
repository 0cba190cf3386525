"""A relation's text in its type's colour reads on a light and on a dark theme."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from annotator.gui import theme


@pytest.mark.parametrize("base", ["#ffffff", "#1e1e1e", "#2b2b2b"])
@pytest.mark.parametrize("colour", ["#e15759", "#4e79a7", "#222222", "#f0f0f0", "#000000"])
def test_text_in_a_label_colour_reads_on_any_background(colour, base):
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.Window, QColor(base))
    palette.setColor(
        QPalette.ColorRole.WindowText, QColor("#000000" if base == "#ffffff" else "#eeeeee")
    )
    shown = theme.readable(QColor(colour), palette)
    assert theme.contrast(shown, QColor(base)) >= 4.5


def test_the_relations_panel_uses_readable_colours(open_window, make_project):
    from .helpers import PLAIN_TEXT, quote_and_speaker

    window = open_window(make_project(("Tram", PLAIN_TEXT)))
    quote, speaker = quote_and_speaker(window)
    window.store.relations.add(quote.id, speaker.id, "said_by")
    window.action("view.refresh").trigger()
    item = window.relation_panel.list.item(0)
    base = window.relation_panel.list.palette().color(QPalette.ColorRole.Base)
    assert theme.contrast(item.foreground().color(), base) >= 4.5
