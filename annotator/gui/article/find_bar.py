"""Find in the article: Enter for the next match, Shift+Enter for the previous, Esc to close.

Matching runs on the stored Python text (case-insensitive), so a match is exactly what export
will see; the match becomes the selection, ready to be tagged. A space typed matches any run of
white space (a no-break or thin space, a tab, a line break), as the text shows them alike. A
find that fails clears the selection and says "no match", so the next label key tags nothing.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.gui.article.view import ArticleView


def find_match(
    text: str, needle: str, origin: int, *, backward: bool = False
) -> tuple[int, int] | None:
    """The next match at or after ``origin`` (or the last one before it), wrapping round."""
    if not needle.strip():
        return None
    pattern = _pattern(needle)
    if not backward:
        m = pattern.search(text, origin) or pattern.search(text, 0)
        return (m.start(), m.end()) if m else None
    last = None
    for m in pattern.finditer(text):
        if m.start() >= origin:
            break
        last = m
    if last is None:  # wrap to the last match in the text
        for m in pattern.finditer(text, origin):
            last = m
    return (last.start(), last.end()) if last else None


def _pattern(needle: str) -> re.Pattern[str]:
    """The typed text, case-insensitive, each run of white space in it matching any run of
    white space in the article."""
    words = re.split(r"\s+", needle)
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


class _FindField(QLineEdit):
    step = Signal(bool)  # backward?
    closed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step.emit(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
        elif event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
        else:
            super().keyPressEvent(event)


class FindBar(QWidget):
    def __init__(self, view: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.view = view
        self.field = _FindField()
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("Find in article (Enter: next, Shift+Enter: previous)")
        self.status = QLabel()
        prev_button, next_button, close_button = QToolButton(), QToolButton(), QToolButton()
        prev_button.setText("↑")
        prev_button.setToolTip("Previous match (Shift+Enter)")
        next_button.setText("↓")
        next_button.setToolTip("Next match (Enter)")
        close_button.setText("✕")
        close_button.setToolTip("Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.status)
        for b in (prev_button, next_button, close_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            layout.addWidget(b)
        prev_button.clicked.connect(lambda: self.search(backward=True))
        next_button.clicked.connect(lambda: self.search(backward=False))
        close_button.clicked.connect(self.close_bar)
        self.field.step.connect(lambda backward: self.search(backward=backward))
        self.field.closed.connect(self.close_bar)
        self.field.textEdited.connect(lambda _: self._search_as_typed())
        # Where typing searches from: after the selection (or the caret) the bar opened at,
        # so a find never lands on what was selected or before it
        self._origin = 0
        self.hide()

    def open_bar(self) -> None:
        selected = self.view.selection_cp()
        self._origin = selected[1] if selected else self.view.caret_cp()
        if selected and "\n" not in self.view.text[selected[0] : selected[1]]:
            self.field.setText(self.view.text[selected[0] : selected[1]])
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def _search_as_typed(self) -> bool:
        """Each letter typed searches again from where the bar opened: the first match after
        it (or, past the end, from the start)."""
        return self.search(origin=self._origin)

    def search(self, *, backward: bool = False, origin: int | None = None) -> bool:
        """Select the next (or previous) match; False, and says so, when there is none."""
        if origin is None:
            selected = self.view.selection_cp()
            if selected:
                origin = selected[0] if backward else selected[0] + 1
            else:
                origin = self.view.caret_cp()
        found = find_match(self.view.text, self.field.text(), origin, backward=backward)
        if found is None:
            self.status.setText("no match" if self.field.text().strip() else "")
            if self.field.text().strip():
                self.view.clear_selection()
            return False
        self.status.clear()
        self.view.select_cp(*found)
        return True
