"""Start the desktop window: ``run(path)`` is what ``annotator gui`` calls.

Only Qt is imported before the window is painted; the project (and sqlite-utils with it) is
opened just after, so the window appears fast.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator.gui.settings import APPLICATION, ORGANISATION


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationDisplayName("annotator")
    return app  # type: ignore[return-value]


def run(db_path: str) -> int:
    app = make_application()
    from annotator.gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    app.processEvents()  # paint the empty window before sqlite-utils and the project load
    QTimer.singleShot(0, lambda: window.open_project(db_path, report_errors=True))
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1]))
