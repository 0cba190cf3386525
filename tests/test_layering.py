"""The core never imports Qt: every module outside annotator/gui, imported in a fresh process,
leaves no Qt module loaded."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import annotator

CORE = sorted(
    m.name
    for m in pkgutil.walk_packages([str(Path(annotator.__file__).parent)], "annotator.")
    if not m.name.startswith("annotator.gui")
)


def test_there_are_core_modules_to_check():
    assert {"annotator.store.project", "annotator.cli.main", "annotator.formats.importing"} <= set(
        CORE
    )


def test_importing_every_core_module_loads_no_qt():
    code = (
        "import importlib, json, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'PyQt5', 'PyQt6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_command_line_loads_neither_qt_nor_sqlite_utils_for_everyday_commands(tmp_path):
    """`annotator stats` on an existing project: no Qt, and sqlite-utils only for migrations."""
    from annotator.store.project import Store

    Store(tmp_path / "p.db", "t").close()
    code = (
        "import sys, json\n"
        "from annotator.cli.main import cli\n"
        f"try:\n    cli(['--db', {str(tmp_path / 'p.db')!r}, 'stats'], standalone_mode=False)\n"
        "finally:\n"
        "    print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'sqlite_utils'))), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stderr.strip().splitlines()[-1]) == []
