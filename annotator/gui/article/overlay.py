"""A transparent layer over the article's viewport that follows it: the base of the layers
that draw suggestions and relations on top of the text, without taking clicks or keys."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtWidgets import QWidget

from annotator.gui.article.view import ArticleView


class ViewportOverlay(QWidget):
    """``colours()`` gives each item's colour by name, read when painting (so a recoloured
    label or type shows at the next paint)."""

    def __init__(self, view: ArticleView, colours: Callable[[], dict[str, str]], name: str) -> None:
        super().__init__(view)
        self.setObjectName(name)
        self.view = view
        self.model = view.model
        self.colours = colours
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.viewport().installEventFilter(self)
        view.updateRequest.connect(self._view_updated)

    def show_on_top(self) -> None:
        """Take the viewport's place and stay above it (once the subclass is ready to paint)."""
        self._fit()
        self.raise_()

    def _view_updated(self, rect: QRect, dy: int) -> None:
        self.update()

    def _fit(self) -> None:
        geometry = self.view.viewport().geometry()
        if self.geometry() != geometry:
            self.setGeometry(geometry)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._fit()
        return False
