"""Compiled copies of the package's modules, kept where Python is told to keep none."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from annotator import compiled


def _package(tmp_path: Path) -> tuple[Path, dict]:
    package = tmp_path / "pkg"
    (package / "inner").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "inner" / "__init__.py").write_text("", encoding="utf-8")
    (package / "inner" / "words.py").write_text("WORDS = 3\n", encoding="utf-8")
    outside = tmp_path / "elsewhere.py"
    outside.write_text("X = 1\n", encoding="utf-8")

    class Loaded:
        def __init__(self, path: Path) -> None:
            self.__file__ = str(path)

    modules = {
        "pkg": Loaded(package / "__init__.py"),
        "pkg.inner.words": Loaded(package / "inner" / "words.py"),
        "elsewhere": Loaded(outside),
        "builtin": None,
    }
    return package, modules


def test_modules_without_a_current_compiled_copy_are_stale(tmp_path) -> None:
    package, modules = _package(tmp_path)
    words = package / "inner" / "words.py"
    assert compiled.stale_modules(package, modules) == sorted(
        [str(package / "__init__.py"), str(words)]
    )  # the module outside the package is not ours to compile
    kept = Path(importlib.util.cache_from_source(str(words)))
    kept.parent.mkdir()
    kept.write_bytes(b"")
    assert compiled.stale_modules(package, modules) == [str(package / "__init__.py")]
    source_time = kept.stat().st_mtime + 10  # the source edited since it was compiled
    os.utime(words, (source_time, source_time))
    assert str(words) in compiled.stale_modules(package, modules)


def test_the_package_is_compiled_in_the_background_only_where_python_keeps_nothing(
    tmp_path, monkeypatch
) -> None:
    package, modules = _package(tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert compiled.keep_compiled(package, modules) is None  # Python keeps its own
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    process = compiled.keep_compiled(package, modules)
    assert process is not None
    assert process.wait(timeout=60) == 0
    assert compiled.stale_modules(package, modules) == []
    assert compiled.keep_compiled(package, modules) is None  # nothing left to do
