"""Texts and helpers shared by the GUI tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from annotator.store.project import Store

# Astral emoji (one of them a ZWJ family, one with a skin tone), a tab, NBSP, U+2028 (stays in
# its block), U+2029 (a block break), Arabic and Hebrew.
HARD_TEXT = (
    "Launch day\n"
    "The 🚀 rocket rose at dawn 👍🏽 and the 👨‍👩‍👧 family cheered.\tThen\u00a0silence"
    "\u2028fell over the pad.\u2029"
    "In Arabic: مرحبا بالعالم and in Hebrew: שלום עולם, said the minister's aide.\n"
    "Costs rose 3.5 percent, to 12,000 euros."
)

PLAIN_TEXT = (
    "Council backs tram plan\n\n"
    "The council approved the plan by seven votes to two. "
    "\u201cWe waited twenty years,\u201d the mayor said.\n\n"
    "Photo: A tram crosses the bridge.\n\n"
    "Admittedly, the costs are high."
)


def select_cp(window, start: int, end: int) -> None:
    """Select code points [start, end) in the article through a QTextCursor (UTF-16 inside)."""
    view = window.article
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_utf16(start))
    cursor.setPosition(view.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def store_spans(window) -> list[tuple[int, int, str, str]]:
    """The open document's spans as the database has them (read through a fresh connection)."""
    with Store(window.store.path) as other:
        return [
            (s.start, s.end, s.label, s.text)
            for s in other.spans.in_document(window.current_document)
        ]


def click_cp(window, cp: int) -> None:
    """Click the left half of the character at code point ``cp`` in the article."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    view = window.article
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(cp))
    rect = view.cursorRect(cursor)
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() + 2, rect.center().y())
    )


# Where PLAIN_TEXT's quote and the speaker it is attributed to are.
QUOTE = PLAIN_TEXT.index("\u201cWe waited")
QUOTE_END = PLAIN_TEXT.index(",\u201d") + 2
MAYOR = PLAIN_TEXT.index("the mayor")


def key(window, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.article, k, mods)


def tag(window, start: int, end: int, k: Qt.Key):
    """Select [start, end) and press a label's key; the span made."""
    select_cp(window, start, end)
    key(window, k)
    return window.editor.selected_span()


def quote_and_speaker(window):
    """PLAIN_TEXT's quote (key 2) and its speaker (key 5), tagged in ``window``."""
    quote = tag(window, QUOTE, QUOTE_END, Qt.Key.Key_2)
    speaker = tag(window, MAYOR, MAYOR + len("the mayor"), Qt.Key.Key_5)
    return quote, speaker
