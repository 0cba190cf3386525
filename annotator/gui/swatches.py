"""Colour swatches: a label's colour as a small icon, and as a button that picks a colour."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QPushButton,
    QWidget,
)


def swatch(colour: str, size: int) -> QIcon:
    """A colour square that a selected row shows untinted, framed so it stands out on the
    selection's own colour."""
    pix = QPixmap(size, size)
    pix.fill(QColor(colour))
    painter = QPainter(pix)
    painter.setPen(QColor(0, 0, 0, 110))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pix, mode)
    return icon


def colour_icon(colour: str, size: int = 14) -> QIcon:
    return swatch(colour, size)


class ColourButton(QPushButton):
    """A colour shown as its swatch and #rrggbb; clicking it asks for another (``ask``, the
    colour dialog unless a test or caller gives its own)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.value = "#888888"
        self.show_colour(self.value)

    def show_colour(self, colour: str) -> None:
        self.value = colour
        self.setText(colour)
        self.setIcon(colour_icon(colour))

    def ask(self, current: str) -> str | None:
        chosen = QColorDialog.getColor(QColor(current), self, self.title)
        return chosen.name() if chosen.isValid() else None

    def pick(self, ask: Callable[[str], str | None]) -> bool:
        """Ask for a colour and show it; False when none was chosen."""
        chosen = ask(self.value)
        if chosen:
            self.show_colour(chosen)
        return bool(chosen)
