"""Compiled copies of annotator's own modules, kept even where Python is told not to write them.

Python keeps each module's compiled code in ``__pycache__`` beside its source, so that the next
start skips compiling it. Where ``PYTHONDONTWRITEBYTECODE`` is set (many containers set it for
every program) nothing is kept, and each start compiles again every module it imports: for the
window, some two hundred modules and about a fifth of a second on a 2-core machine, nearly half
again its start-up. An install by pip compiles the package once whatever that variable says;
an editable install does not. So once the window is painted, a start that used modules of
annotator's own without a current compiled copy asks a separate process to compile the
package, and goes on; it never waits for it, and a folder it may not write to is left as it is.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

PACKAGE = Path(__file__).parent  # as the modules' own paths name it


def stale_modules(
    package: Path = PACKAGE, modules: Mapping[str, ModuleType | None] | None = None
) -> list[str]:
    """Source files of ``package`` among the loaded ``modules`` that have no compiled copy as
    new as themselves."""
    found = []
    loaded: Iterable[ModuleType | None] = (modules if modules is not None else sys.modules).values()
    for module in list(loaded):
        source = getattr(module, "__file__", None)
        if not source or not source.endswith(".py"):
            continue
        if package in Path(source).parents and not is_compiled(source):
            found.append(source)
    return sorted(found)


def is_compiled(source: str) -> bool:
    """Whether the source file ``source`` has a compiled copy as new as itself."""
    try:
        kept = Path(importlib.util.cache_from_source(source))
        return kept.stat().st_mtime >= Path(source).stat().st_mtime
    except (OSError, NotImplementedError, ValueError):
        return False  # no compiled copy (or none can be named)


def keep_compiled(
    package: Path = PACKAGE, modules: Mapping[str, ModuleType | None] | None = None
) -> subprocess.Popen[bytes] | None:
    """Compile ``package`` in a process of its own when Python will not keep the compiled
    modules and some this start used are missing; that process, or None when nothing is to do."""
    if not sys.dont_write_bytecode or not stale_modules(package, modules):
        return None
    import subprocess  # only when there is something to compile

    try:
        return subprocess.Popen(
            [sys.executable, "-m", "compileall", "-q", str(package)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # it finishes even when the window is closed at once
            env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        )
    except OSError:
        return None
