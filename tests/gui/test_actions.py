"""The table of actions is the one place a command is declared: every row is in a menu and on
the shortcut sheet, works from its key, and no two commands share a key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from annotator.gui.controllers.actions import ACTIONS


def menu_actions(window) -> dict[str, list]:
    out = {}
    for top in window.menuBar().actions():
        out[top.text()] = [a for a in top.menu().actions() if not a.isSeparator()]
    return out


def sheet_rows(window) -> dict[str, str]:
    window.action("help.shortcuts").trigger()
    sheet = next(w for w in window.side_windows if w.objectName() == "shortcutSheet")
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
        assert window.action(spec.id) is action


def _scope(action) -> set[int] | None:
    """Where an action's keys work: None for the whole window, else the widgets (by id) that
    must hold the focus."""
    if action.shortcutContext() != Qt.ShortcutContext.WidgetWithChildrenShortcut:
        return None
    return {
        id(o)
        for o in action.associatedObjects()
        if isinstance(o, QWidget) and not isinstance(o, QMenu)
    }


def test_no_two_commands_share_a_key_where_both_could_fire(window) -> None:
    """A key may serve two commands only in two widgets that never hold the focus at once
    (Enter accepts a suggestion in the article, a span in the review panel)."""
    owners: dict[str, list[tuple[str, set[int] | None]]] = {}
    for action in window.all_actions():
        scope = _scope(action)
        for keys in action.shortcuts():
            for other, where in owners.get(keys.toString(), []):
                apart = scope is not None and where is not None and not scope & where
                assert apart, f"{keys.toString()}: {other} and {action.text()}"
            owners.setdefault(keys.toString(), []).append((action.text(), scope))
    assert len({spec.id for spec in ACTIONS}) == len(ACTIONS)


def test_each_key_of_the_table_finds_its_action(window) -> None:
    for spec in ACTIONS:
        if spec.in_widget:  # its keys are its widget's; the article's fallback never sees them
            continue
        action = window.action(spec.id)
        for keys in spec.keys:
            found = window.action_for_key(QKeySequence(keys))
            # a disabled action (Undo with nothing to undo) takes no key, and none other does
            assert found is (action if action.isEnabled() else None), (spec.id, keys)
