"""Start-up: ``run(path)`` shows the window and opens the project after the first paint.

``run`` execs and then quits the application, so it runs in a child process (quitting the
test process's application would stop later tests' timers).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import annotator.gui.main_window as mw

shown = mw.MainWindow.show
seen = {}


class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "paint_ms" not in seen:
            seen["paint_ms"] = (time.perf_counter() - t0) * 1000
            seen["store_at_paint"] = any(
                getattr(w, "store", None) is not None for w in QApplication.topLevelWidgets()
            )
        return False


def show(self):
    QApplication.instance().installEventFilter(watcher)
    shown(self)
    def look():
        seen.setdefault("first_event_ms", (time.perf_counter() - t0) * 1000)
        if self.store is None:
            QTimer.singleShot(5, look)
            return
        seen["open_ms"] = (time.perf_counter() - t0) * 1000
        seen["title"] = self.windowTitle()
        seen["documents"] = self.documents.model.rowCount()
        seen["app"] = [QApplication.applicationName(), QApplication.organizationName()]
        self.close()
    QTimer.singleShot(0, look)

watcher = FirstPaint()
mw.MainWindow.show = show
import annotator.gui.app as app_module


def keep_compiled():
    seen["compiling_after"] = [
        "paint_ms" in seen,
        any(getattr(w, "store", None) is not None for w in QApplication.topLevelWidgets()),
    ]


app_module.keep_compiled = keep_compiled
from annotator.gui.app import run
code = run(sys.argv[1])
print(json.dumps(seen))
sys.exit(code)
"""


def test_run_shows_the_window_then_opens_the_project(project, tmp_path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path),
        "ANNOTATOR_USER": "tester",
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"\nstart-up: first paint {seen['paint_ms']:.0f} ms, project open {seen['open_ms']:.0f} ms"
    )
    assert seen["title"] == "project.db — annotator"
    assert seen["documents"] == 3
    assert seen["app"] == ["annotator", "annotator"]
    assert not seen["store_at_paint"]  # the window was painted before the project opened
    # the package is compiled (where Python keeps nothing) once the project is painted
    assert seen["compiling_after"] == [True, True]


def test_gui_package_and_window_module_import_light() -> None:
    code = (
        "import sys, annotator.gui\n"
        "assert 'PySide6' not in sys.modules, 'annotator.gui imports Qt'\n"
        "import annotator.gui.main_window\n"
        "assert 'sqlite_utils' not in sys.modules, 'the window module imports sqlite-utils'\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}
    )


LATER = (
    "annotator.suggest.running",  # learned suggestions' storing, and the rule suggesters
    "annotator.suggest.learned.keeping",
    "annotator.team.send_back",  # the correction bar's, in a packet with a send-back only
    "annotator.team.gold",  # the document list asks its marks from annotator.store
    "annotator.gui.dialogs.export",  # each dialog when it is opened
    "annotator.gui.dialogs.labels",
    "annotator.gui.dialogs.assign",
    "annotator.gui.dialogs.work_progress",
)


def test_the_window_paints_its_project_before_loading_what_only_later_work_needs(
    project, tmp_path
) -> None:
    """Opening the project (what the first paint shows) loads none of ``LATER``; the storing
    a retrain needs is loaded in the next turn of the event loop, before any retrain."""
    code = (
        "import json, sys\n"
        "from annotator.gui.app import make_application, new_window\n"
        "app = make_application()\n"
        "window = new_window()\n"
        "window.show()\n"
        "window.open_project(sys.argv[1])\n"
        "window.repaint()\n"
        f"later = {LATER!r}\n"
        "at_paint = [m for m in later if m in sys.modules]\n"
        "app.processEvents()\n"
        "after = 'annotator.suggest.learned.keeping' in sys.modules\n"
        "window.close()\n"
        "print(json.dumps([at_paint, after]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    at_paint, after = json.loads(done.stdout.strip().splitlines()[-1])
    assert at_paint == []
    assert after
