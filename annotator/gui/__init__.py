"""The desktop window. Everything that imports Qt lives here, and nothing outside does.

Built from the top: ``app`` makes the application and the one ``main_window``, which composes
the controllers (``controllers``: what keys and menus do), the article view (``article``), the
panels around it (``panels``), dialogs and side windows (``dialogs``) and the undo steps
(``commands``). Each of those is given what it uses; none imports the main window. They read
the Qt-free project and document models (:mod:`annotator.session`) and call the core.
Importing this package costs nothing: nothing here imports Qt.
"""

from __future__ import annotations

import os

# Qt's raster engine hands every fill of 96 or more lines (a viewport's background, a scroll
# bar's groove) to a thread pool and waits for it. For a window of text and tables the hand-off
# costs more than the fill: a scroll bar repainted in 1.1 ms with the pool, 0.12 ms without, on
# 2 cores. Qt reads the variable when it first paints; an analyst's own setting wins.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
