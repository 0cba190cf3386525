"""The desktop window. Everything that imports Qt lives here, and nothing outside does.

Kept light: ``MainWindow`` is imported on first use, so ``import annotator.gui`` costs nothing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from annotator.gui.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
