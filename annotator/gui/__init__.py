"""The desktop window. Everything that imports Qt lives here, and nothing outside does.

Kept light: ``MainWindow`` is imported on first use, so ``import annotator.gui`` costs nothing.
"""

from __future__ import annotations

import os
from typing import Any

# Qt's raster engine hands every fill of 96 or more lines (a viewport's background, a scroll
# bar's groove) to a thread pool and waits for it. For a window of text and tables the hand-off
# costs more than the fill: a scroll bar repainted in 1.1 ms with the pool, 0.12 ms without, on
# 2 cores. Qt reads the variable when it first paints; an analyst's own setting wins.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from annotator.gui.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
