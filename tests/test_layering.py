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


def test_the_layer_contracts_hold():
    """The contracts in pyproject.toml: the command line over the window over the work over the
    files over the store over the plain model, the window's parts under the main window, and
    Qt only in the window."""
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run(
        [str(lint), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=Path(annotator.__file__).parent.parent,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_no_module_imports_another_that_imports_it_back():
    """No circle of imports anywhere in the package, the imports made only for type checking
    included: each module's place in the layers is one place."""
    import grimp

    graph = grimp.build_graph("annotator")
    circles = _circles({m: graph.find_modules_directly_imported_by(m) for m in graph.modules})
    assert circles == []


def test_only_the_app_makes_the_main_window():
    import grimp

    graph = grimp.build_graph("annotator")
    importers = graph.find_modules_that_directly_import("annotator.gui.main_window")
    assert importers == {"annotator.gui.app"}


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found
