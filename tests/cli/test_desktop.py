"""Before the window starts: a desktop that lacks a system library is told which, in words."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from annotator.cli import desktop
from annotator.cli.main import cli

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f99)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f99)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
"""


def test_missing_libraries_are_read_from_ldd_each_once():
    assert desktop.missing_libraries(LDD_OUTPUT) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def test_x11_is_used_on_linux_unless_another_platform_is_asked_for(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert desktop.uses_x11({"DISPLAY": ":0"})
    assert desktop.uses_x11({"QT_QPA_PLATFORM": "xcb"})
    assert not desktop.uses_x11({"QT_QPA_PLATFORM": "offscreen"})
    assert not desktop.uses_x11({"WAYLAND_DISPLAY": "wayland-0"})


def test_the_problem_names_the_libraries_and_the_packages(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "linux")
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    monkeypatch.setattr(desktop, "xcb_plugin", lambda: plugin)
    fake_ldd = tmp_path / "ldd"
    fake_ldd.write_text(f"#!/bin/sh\ncat <<'END'\n{LDD_OUTPUT}END\n")
    fake_ldd.chmod(0o755)
    monkeypatch.setattr(desktop.shutil, "which", lambda name: str(fake_ldd))
    problem = desktop.window_problem({"DISPLAY": ":0"})
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in problem
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in problem


def test_no_display_is_said_plainly(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert "no display" in desktop.window_problem({})


def test_a_desktop_that_cannot_show_the_window_is_told_and_no_project_is_made(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(desktop, "window_problem", lambda environ=None: "the window cannot X.")
    from annotator.cli.default_project import default_project_path

    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 1
    assert "the window cannot X." in result.output and "Traceback" not in result.output
    assert not default_project_path().exists()
    assert not default_project_path().parent.exists() or not any(
        default_project_path().parent.iterdir()
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's X11 plugin")
def test_on_this_machine_the_check_agrees_with_ldd(tmp_path):
    """Run for real: when ldd finds the plugin's libraries missing here, annotator says so
    (and exits 1) instead of letting Qt abort; when none is missing it says nothing."""
    plugin = desktop.xcb_plugin()
    if plugin is None:
        pytest.skip("PySide6 has no xcb plugin here")
    ldd = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True)
    missing = desktop.missing_libraries(ldd.stdout)
    problem = desktop.window_problem({"DISPLAY": ":99"})
    if not missing:
        assert problem is None
        return
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["DISPLAY"] = ":99"
    run = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(tmp_path / "p.db")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 1
    assert missing[0] in run.stderr
    assert not (tmp_path / "p.db").exists()


def test_a_first_start_stopped_midway_leaves_no_project_without_samples(monkeypatch):
    from annotator.cli import default_project as project

    def broken_seed(store):
        raise KeyboardInterrupt  # stopped while the samples went in

    with monkeypatch.context() as patched:
        patched.setattr(project, "seed_samples", broken_seed)
        with pytest.raises(KeyboardInterrupt):
            project.open_project(None)
    folder = project.default_project_path().parent
    assert list(folder.iterdir()) == []
    with project.open_project(None) as store:
        assert store.documents.count() == 4
