"""Whether the window can start on this desktop, asked before Qt is loaded.

On Linux, Qt's X11 platform plugin needs a dozen system libraries (libxcb-icccm4,
libxcb-keysyms1, ...). When one is missing, Qt names the wrong one (it says
``libxcb-cursor0`` is needed even when that is installed) and aborts the process. This module
asks the dynamic linker (``ldd``) what the plugin lacks, without loading Qt, so annotator can
say in plain words which package to install and stop before it has made anything.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

# Qt 6's xcb plugin: the shared object each library is found as, and its Debian/Ubuntu package.
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}


def xcb_plugin() -> Path | None:
    """Where PySide6 keeps Qt's X11 plugin (found without importing PySide6)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.exists():
            return plugin
    return None


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` says it could not find, in its order, each once."""
    missing: list[str] = []
    for line in ldd_output.splitlines():
        name, arrow, where = line.strip().partition("=>")
        if arrow and where.strip() == "not found" and name.strip() not in missing:
            missing.append(name.strip())
    return missing


def uses_x11(environ: os._Environ[str] | dict[str, str]) -> bool:
    """Whether Qt will pick its X11 plugin: on Linux, with no other platform asked for."""
    if not sys.platform.startswith("linux"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0].split(";")[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def window_problem(environ: os._Environ[str] | dict[str, str] | None = None) -> str | None:
    """Why the window cannot start here, in words a user can act on; None when it can."""
    env = os.environ if environ is None else environ
    if not uses_x11(env):
        return None
    if not env.get("DISPLAY"):
        return (
            "there is no display to open the window on (DISPLAY is not set). Run annotator "
            "on a desktop, or set QT_QPA_PLATFORM=offscreen to run it without one."
        )
    plugin = xcb_plugin()
    ldd = shutil.which("ldd")
    if plugin is None or ldd is None:
        return None  # nothing to ask; Qt will say what it says
    try:
        result = subprocess.run(
            [ldd, str(plugin)], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    missing = missing_libraries(result.stdout)
    if not missing:
        return None
    packages = [XCB_PACKAGES.get(name) for name in missing]
    known = [p for p in packages if p]
    install = f" On Debian or Ubuntu: sudo apt-get install {' '.join(known)}." if known else ""
    return (
        f"the window cannot start: Qt's X11 support needs the system "
        f"librar{'y' if len(missing) == 1 else 'ies'} {', '.join(missing)}, which "
        f"{'is' if len(missing) == 1 else 'are'} not installed.{install}"
    )
