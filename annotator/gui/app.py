"""Start the desktop window: ``run(path)`` is what ``annotator gui`` calls.

Only Qt is imported before the window is painted; the project (and sqlite-utils with it) is
opened just after, so the window appears fast. Once the project is painted, the package is
compiled in the background if Python keeps no compiled modules here (see ``compiled``).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from annotator.compiled import keep_compiled
from annotator.gui.settings import APPLICATION, ORGANISATION

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

_IMPORTED_AT = time.perf_counter()


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    QGuiApplication.setApplicationDisplayName("annotator")
    return app  # type: ignore[return-value]


def new_window(path: str | os.PathLike[str] | None = None) -> MainWindow:
    """The main window (on the project at ``path``): the one place it is made."""
    from annotator.gui.main_window import MainWindow

    return MainWindow(path)


def run(db_path: str) -> int:
    from annotator.gui import errors

    app = make_application()
    errors.install()  # an unexpected error is a dialog and a log file, never only stderr
    window = new_window()
    window.show()
    app.processEvents()  # paint the empty window before sqlite-utils and the project load

    def open_project() -> None:
        window.open_project(db_path, report_errors=True)
        window.repaint()  # the project on screen before anything else is started
        if os.environ.get(FIRST_PAINT_ENV):
            # Benchmarks time start-up to here: the window painted with its document in it.
            print(f"first-paint {_seconds_since_start():.4f}", flush=True)
            QTimer.singleShot(0, app.quit)
        keep_compiled()  # the next start compiles nothing, where Python keeps nothing itself

    QTimer.singleShot(0, open_project)
    return app.exec()


FIRST_PAINT_ENV = "ANNOTATOR_BENCH_FIRST_PAINT"


def _seconds_since_start() -> float:
    """Seconds since this process started, from the kernel's record (Linux); else since import."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            started_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return uptime - started_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED_AT


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1]))
