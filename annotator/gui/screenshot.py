"""Render the window on the sample articles to a PNG: ``python -m annotator.gui.screenshot OUT.png``.

Builds a throw-away project from ``resources/samples``, tags a few spans of every label on the
first article (found by searching its text), and saves ``window.grab()``. Runs offscreen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# (label, text to find, optional note) on the first sample article.
TAGS = [
    ("claim", "approved a 12\u00a0km extension of the Line 3 tram", None),
    ("claim", "passed by seven votes to two", None),
    ("claim", "is expected to cost €\u00a0184 million", "check the budget paper"),
    ("quote", "\u201cthe most important decision this chamber has made in a decade.\u201d", None),
    ("quote", "\u201cFor twenty years people in Kessel Park have been told to wait,\u201d", None),
    (
        "caption",
        "Photo: A Line\u00a03 tram crosses the Oster Bridge during the evening rush hour. (Marta Lindqvist / Northbrook Courier)",
        None,
    ),
    ("concession", "Supporters concede that the numbers are tight.", None),
    ("claim", "the numbers are tight", None),  # nested inside the concession
]


def build_project(path: Path) -> None:
    from annotator.formats.importing import import_paths
    from annotator.resources import sample_articles
    from annotator.store.project import Store

    with Store(path, "sample analyst") as store:
        import_paths(store, [str(p) for p in sample_articles()])
        first = store.documents.rows()[0].id
        text = store.documents.text(first)
        for label, needle, note in TAGS:
            start = text.find(needle)
            if start < 0:
                start = text.find(needle.replace("\u00a0", " "))
            if start >= 0:
                store.spans.add(first, start, start + len(needle), label, note=note)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m annotator.gui.screenshot OUT.png", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("ANNOTATOR_USER", "sample analyst")
    from PySide6.QtCore import QSettings

    from annotator.gui.app import make_application, new_window

    app = make_application()
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, tmp)  # leave real settings alone
        project = Path(tmp) / "samples.db"
        build_project(project)
        window = new_window(project)
        window.resize(1400, 860)
        window.splitter.setSizes([300, 780, 320])
        window.show()
        app.processEvents()
        text = window.article.text
        quote = text.find("\u201cthe most important")
        if quote >= 0:
            ids = window.article.spans_at_cp(quote + 2)
            if ids:
                window.editor.select(ids[0])
        app.processEvents()
        ok = window.grab().save(argv[1])
        window.close()
    print(argv[1] if ok else f"could not write {argv[1]}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
