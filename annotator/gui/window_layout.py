"""The window's panels laid out, and its size, place, panel widths and zoom remembered
between sessions."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QVBoxLayout, QWidget

from annotator.gui import settings as prefs
from annotator.gui.article.view import ArticleView

PANEL_SIZES = (340, 640, 340)  # document list, article, span list
ARTICLE_MIN_WIDTH = 320
_MIN_RESTORED = (700, 450)
_DEFAULT_SIZE = (1320, 820)  # made to fit a smaller screen by fit_to_screen
_TITLE_BAR = 32  # room a window manager's title bar takes, before the frame is known


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


def with_bar_above(bar: QWidget, content: QWidget) -> QWidget:
    """``content`` with a bar across the top of it (hidden until it has something to ask)."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(bar)
    column.addWidget(content, 1)
    return holder


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
    fit_to_screen(window)
    state = s.value("window/splitter")
    if isinstance(state, QByteArray) and not state.isEmpty():
        splitter.restoreState(state)
        if splitter.sizes()[1] < ARTICLE_MIN_WIDTH:
            splitter.setSizes(list(PANEL_SIZES))
    else:
        splitter.setSizes(panel_sizes(window.width()))
    zoom = float(str(s.value("view/zoom", 0) or 0))
    if zoom:
        article.zoom(int(zoom))


def fit_to_screen(window: QMainWindow) -> None:
    """The window no larger than the screen it opens on, and wholly on it: a size and place
    remembered on a larger screen (or the default) would leave panels and the status bar
    off screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    room = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = max(frame.width() - window.width(), 0)
    extra_h = max(frame.height() - window.height(), _TITLE_BAR)  # before the frame is known
    width = min(window.width(), room.width() - extra_w)
    height = min(window.height(), room.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = min(max(frame.x(), room.left()), room.right() - width - extra_w + 1)
    y = min(max(frame.y(), room.top()), room.bottom() - height - extra_h + 1)
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, room.left()), max(y, room.top()))


def panel_sizes(width: int) -> list[int]:
    """The panels' widths for a window ``width`` wide: the usual ones when they fit; on a
    narrower window the article keeps the most, and the two side panels give way."""
    if width >= sum(PANEL_SIZES):
        return list(PANEL_SIZES)
    article = max(ARTICLE_MIN_WIDTH, int(width * 0.56))
    side = max(width - article, 0)
    return [side * 9 // 20, article, side - side * 9 // 20]


def keep_article_widest(splitter: QSplitter) -> None:
    """When the article has become narrower than either side panel (the window was made
    narrow), the panels are laid out again for this width, the article keeping the most."""
    sizes = splitter.sizes()
    if len(sizes) == 3 and sum(sizes) > 0 and sizes[1] < max(sizes[0], sizes[2]) * 1.2:
        splitter.setSizes(panel_sizes(sum(sizes)))


def save(window: QMainWindow, splitter: QSplitter, article: ArticleView, *, snap: bool) -> None:
    s = prefs.settings()
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/splitter", splitter.saveState())
    s.setValue("view/zoom", article.zoom_level())
    s.setValue("view/snap_words", snap)
