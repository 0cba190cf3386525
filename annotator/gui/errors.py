"""Unexpected errors in the window: said in a dialog, written whole to a log file.

A desktop user never sees standard error. An error nobody foresaw (a bug) is shown in one line
of what failed, with the place of the log file that holds its whole traceback, and the window
goes on: every change is its own committed transaction, so the project is as the last saved
change left it. Errors a user can cause or suffer (a refused file, a full disk) are not these:
they are said where they happen, in a sentence.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QWidget

Show = Callable[[str], None]


def log_path() -> Path:
    """The user's log folder for annotator (``~/.local/state/annotator/log`` on Linux)."""
    from platformdirs import user_log_path

    return user_log_path("annotator", appauthor=False) / "annotator.log"


def write_log(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> Path:
    """Append the whole traceback, with the time, to the log file; its path."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"--- {stamp}\n")
        f.write("".join(traceback.format_exception(kind, error, tb)))
    return path


def one_line(error: BaseException) -> str:
    """What failed, in one line: the error's kind and the first line of its message."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def report(
    kind: type[BaseException],
    error: BaseException,
    tb: TracebackType | None,
    show: Show | None = None,
) -> None:
    """Write the error to the log and tell the user in one line where it is."""
    try:
        where = f" The details were written to {write_log(kind, error, tb)}."
    except OSError as e:
        where = f" The details could not be written to the log ({e.strerror or e})."
        traceback.print_exception(kind, error, tb)
    text = (
        f"Something went wrong: {one_line(error)}. Your work is saved up to the last change "
        f"the status bar showed as saved.{where}"
    )
    (show or _box)(text)


def _box(text: str) -> None:
    parent: QWidget | None = QApplication.activeWindow()
    from PySide6.QtWidgets import QMessageBox  # loaded with the first error, not at start

    QMessageBox.critical(parent, "annotator", text)


def install(show: Show | None = None) -> None:
    """Route every uncaught error in the window (Qt calls ``sys.excepthook`` for errors in
    slots) through :func:`report`. Ctrl+C in the terminal still ends the program."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        report(kind, error, tb, show)

    sys.excepthook = hook
