"""The table of actions is the one place a command is declared: every row is in a menu and on
the shortcut sheet, works from its key, and no two commands share a key."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from annotator.gui.actions import ACTIONS


def menu_actions(window) -> dict[str, list]:
    out = {}
    for top in window.menuBar().actions():
        out[top.text()] = [a for a in top.menu().actions() if not a.isSeparator()]
    return out


def sheet_rows(window) -> dict[str, str]:
    window.action("shortcuts").trigger()
    sheet = next(w for w in window._windows if w.objectName() == "shortcutSheet")
    table = sheet.table
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def test_every_action_of_the_table_is_in_its_menu_and_on_the_sheet(window) -> None:
    menus = menu_actions(window)
    rows = sheet_rows(window)
    for spec in ACTIONS:
        action = window.action(spec.id)
        assert action in menus[spec.menu], spec.id
        native = [
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in spec.keys
        ]
        assert rows[spec.text.replace("&", "")] == ", ".join(native), spec.id
        assert getattr(window, f"{spec.id}_action") is action


def test_no_two_commands_share_a_key(window) -> None:
    owners: dict[str, str] = {}
    for action in window.all_actions():
        for keys in action.shortcuts():
            name = keys.toString()
            assert name not in owners, f"{name}: {owners.get(name)} and {action.text()}"
            owners[name] = action.text()
    assert len({spec.id for spec in ACTIONS}) == len(ACTIONS)


def test_each_key_of_the_table_finds_its_action(window) -> None:
    for spec in ACTIONS:
        action = window.action(spec.id)
        for keys in spec.keys:
            found = window.action_for_key(QKeySequence(keys))
            # a disabled action (Undo with nothing to undo) takes no key, and none other does
            assert found is (action if action.isEnabled() else None), (spec.id, keys)
