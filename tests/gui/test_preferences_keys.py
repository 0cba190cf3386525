"""Preferences → Keys: a key set there is the action's at once, kept in the user's keys
file, and a clash is refused naming the other command."""

from __future__ import annotations

import json

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPushButton

from annotator import keymap

from .helpers import PLAIN_TEXT


def keys_of(window, command: str) -> list[str]:
    return [k.toString() for k in window.action(command).shortcuts()]


def test_a_key_set_in_preferences_is_used_at_once_and_kept(
    open_window, make_project, monkeypatch, tmp_path
) -> None:
    keys_file = tmp_path / "mine" / "keys.json"
    monkeypatch.setenv("ANNOTATOR_KEYS", str(keys_file))
    window = open_window(make_project(("Tram", PLAIN_TEXT)))
    seen = []

    def answer(dialog) -> bool:
        seen.append(dialog.tabs.tabText(dialog.tabs.currentIndex()))
        page = dialog.keys
        page.filter.setText("span.next")
        shown = [
            page.table.item(r, 3).text()
            for r in range(page.table.rowCount())
            if not page.table.isRowHidden(r)
        ]
        assert shown == ["span.next"]
        page.choose("span.next")
        page.editor.setKeySequence(QKeySequence("Ctrl+J"))
        page.set_key.click()
        assert keys_of(window, "span.next") == ["Ctrl+J"]  # before the dialog closes
        page.editor.setKeySequence(QKeySequence("Ctrl+Z"))
        page.set_key.click()
        seen.append(page.problem.text())
        return False  # Cancel keeps the keys already set: each was saved as it was set

    monkeypatch.setattr(window, "exec_dialog", answer)
    window.open_preferences(keys=True)
    assert seen[0] == "&Keys"
    assert seen[1] == "Not changed: Ctrl+Z is already Undo (edit.undo)."
    assert keys_of(window, "span.next") == ["Ctrl+J"]
    assert keys_of(window, "edit.undo") == ["Ctrl+Z"]
    assert json.loads(keys_file.read_text()) == {"span.next": ["Ctrl+J"]}
    assert keymap.bindings()["span.next"] == ("Ctrl+J",)


def test_the_shortcut_sheet_leads_to_the_keys_page(open_window, make_project, monkeypatch) -> None:
    window = open_window(make_project(("Tram", PLAIN_TEXT)))
    pages = []

    def answer(dialog) -> bool:
        pages.append(dialog.tabs.currentWidget() is dialog.keys)
        return False

    monkeypatch.setattr(window, "exec_dialog", answer)
    window.action("help.shortcuts").trigger()
    opened = list(window.side_windows)
    assert len(opened) == 1
    opened[0].findChild(QPushButton, "changeKeys").click()
    assert pages == [True]
    assert not opened[0].isVisible()


def test_the_order_commands_take_keys_like_every_other(open_window, make_project) -> None:
    window = open_window(make_project(("Tram", PLAIN_TEXT)))
    for command in ("document.order.project", "document.order.uncertain"):
        assert keys_of(window, command) == [
            QKeySequence(k).toString() for k in keymap.BY_ID[command].keys
        ]
    window.apply_keys({"document.order.uncertain": ("Ctrl+Shift+U",)})
    assert keys_of(window, "document.order.uncertain") == ["Ctrl+Shift+U"]
