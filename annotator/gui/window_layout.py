"""The window's panels laid out, and its size, place, panel widths and zoom remembered
between sessions."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QVBoxLayout, QWidget

from annotator.gui import settings as prefs
from annotator.gui.article.view import ArticleView

PANEL_SIZES = (340, 640, 340)  # document list, article, span list
ARTICLE_MIN_WIDTH = 320
_MIN_RESTORED = (700, 450)
_DEFAULT_SIZE = (1320, 820)  # a desktop's window manager fits it to a smaller screen


def main_splitter(
    documents: QWidget, above: list[QWidget], article: QWidget, span_table: QWidget
) -> QSplitter:
    """Documents on the left, the article (with the bars ``above`` it) in the middle, the
    span list on the right."""
    middle = QWidget()
    column = QVBoxLayout(middle)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    for bar in above:
        column.addWidget(bar)
    column.addWidget(article, 1)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("mainSplitter")
    splitter.addWidget(documents)
    splitter.addWidget(middle)
    splitter.addWidget(span_table)
    splitter.setStretchFactor(1, 1)
    # The article can never be squeezed away: no panel collapses, and it keeps room for a line
    # of text whatever size a window is restored at.
    splitter.setChildrenCollapsible(False)
    middle.setMinimumWidth(ARTICLE_MIN_WIDTH)
    # Room for titles of about 40 characters and for the longest label in the span list.
    splitter.setSizes(list(PANEL_SIZES))
    return splitter


def side_pane(
    splitter: QSplitter, span_table: QWidget, suggestions: QWidget, relations: QWidget
) -> tuple[QWidget, QVBoxLayout]:
    """The span list and, under it, the suggestions and the relations, in the right-hand
    pane (taking the span list's place in the splitter)."""
    side = QWidget()
    side.setObjectName("spanPane")
    column = QVBoxLayout(side)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    splitter.replaceWidget(splitter.indexOf(span_table), side)
    column.addWidget(span_table, 3)
    column.addWidget(suggestions, 0)
    column.addWidget(relations, 1)
    span_table.show()
    return side, column


def review_dock(window: QMainWindow, panel: QWidget) -> QDockWidget:
    """The review panel, docked under the article and hidden until review mode."""
    dock = QDockWidget("Review: every analyst's spans on this document", window)
    dock.setObjectName("reviewDock")
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    return dock


def restore(window: QMainWindow, splitter: QSplitter, article: ArticleView) -> None:
    s = prefs.settings()
    geometry = s.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    if not (isinstance(geometry, QByteArray) and not geometry.isEmpty()) or (
        window.width() < _MIN_RESTORED[0] or window.height() < _MIN_RESTORED[1]
    ):
        # Nothing saved, or a size no one works at (saved by a window that never really
        # showed, say): the default.
        window.resize(*_DEFAULT_SIZE)
    state = s.value("window/splitter")
    if isinstance(state, QByteArray) and not state.isEmpty():
        splitter.restoreState(state)
        if splitter.sizes()[1] < ARTICLE_MIN_WIDTH:
            splitter.setSizes(list(PANEL_SIZES))
    zoom = float(str(s.value("view/zoom", 0) or 0))
    if zoom:
        article.zoom(int(zoom))


def save(window: QMainWindow, splitter: QSplitter, article: ArticleView, *, snap: bool) -> None:
    s = prefs.settings()
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/splitter", splitter.saveState())
    s.setValue("view/zoom", article.zoom_level())
    s.setValue("view/snap_words", snap)
