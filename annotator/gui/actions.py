"""The window's commands as actions: their keys, the menus that hold them, and finding one by key.

Every command the analyst can give is a ``QAction`` with a shortcut, placed in a menu. The
shortcut sheet and the article's key fallback (``action_for_key``) read the same list, so a key
that is listed is a key that works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from annotator.gui import settings as prefs

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow
    from annotator.model import Label

# Keys without modifiers that window commands use; a label cannot take them as hotkey.
RESERVED_KEYS = {"n"}
# Keys handled by widgets rather than actions, listed on the shortcut sheet too.
WIDGET_KEYS = [
    ("Move the caret in the article", "Arrow keys, Home, End, PgUp, PgDown"),
    ("Select text in the article", "Shift+arrows, Shift+Ctrl+Left/Right (by word)"),
    ("Select a span", "Click its highlight (click again: the next overlapping span)"),
    ("Next / previous match (find bar)", "Enter / Shift+Enter"),
    ("Close the find bar", "Esc"),
    ("Edit a note in the span list", "F2 or double-click the Note cell"),
]


def make_action(
    window: MainWindow,
    text: str,
    keys: str | list[str] | QKeySequence.StandardKey,
    slot: Any,
    *,
    widget: QWidget | None = None,
    checkable: bool = False,
) -> QAction:
    """An action with its shortcut(s); ``widget`` limits it to when that widget has focus."""
    action = QAction(text, window)
    if isinstance(keys, QKeySequence.StandardKey):
        action.setShortcuts(keys)
    else:
        action.setShortcuts([QKeySequence(k) for k in ([keys] if isinstance(keys, str) else keys)])
    action.setCheckable(checkable)
    action.triggered.connect(lambda checked=False: slot())
    if widget is None:
        window.addAction(action)
    else:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        widget.addAction(action)
    return action


def build_actions(w: MainWindow) -> None:
    """Create the window's fixed actions as its attributes (``w.undo_action``, ...)."""
    ed = w.editor

    def a(*args: Any, **kwargs: Any) -> QAction:
        return make_action(w, *args, **kwargs)

    w.new_action = a("&New project…", "Ctrl+N", w.new_project)
    w.open_action = a("&Open project…", "Ctrl+O", w.open_project_dialog)
    w.import_files_action = a("&Import files…", "Ctrl+I", w.import_files)
    w.import_folder_action = a("Import &folder…", "Ctrl+Shift+I", w.import_folder)
    w.export_action = a("&Export…", "Ctrl+E", w.export_dialog)
    w.name_action = a("Annotator &name…", "Ctrl+Shift+N", w.change_annotator)
    w.quit_action = a("&Quit", "Ctrl+Q", w.close)

    w.undo_action = ed.undo_stack.createUndoAction(w, "&Undo")
    w.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
    w.redo_action = ed.undo_stack.createRedoAction(w, "&Redo")
    w.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    w.addActions([w.undo_action, w.redo_action])
    w.delete_action = a("&Delete span", ["Delete", "Backspace"], ed.delete_selected)
    w.note_action = a("Write a &note on the span…", "N", ed.edit_note)
    w.start_left_action = a(
        "Move span start left", "Ctrl+Alt+Left", lambda: ed.move_edge("start", False)
    )
    w.start_right_action = a(
        "Move span start right", "Ctrl+Alt+Right", lambda: ed.move_edge("start", True)
    )
    w.end_left_action = a(
        "Move span end left", "Alt+Shift+Left", lambda: ed.move_edge("end", False)
    )
    w.end_right_action = a(
        "Move span end right", "Alt+Shift+Right", lambda: ed.move_edge("end", True)
    )
    w.next_span_action = a("Next overlapping span", "Tab", lambda: ed.cycle(1), widget=w.article)
    w.prev_span_action = a(
        "Previous overlapping span", "Shift+Tab", lambda: ed.cycle(-1), widget=w.article
    )
    w.deselect_action = a("Deselect span", "Esc", ed.deselect, widget=w.article)
    w.find_action = a("&Find in article…", "Ctrl+F", w.find_bar.open_bar)
    w.find_next_action = a("Find next", "F3", lambda: w.find_bar.find(backward=False))
    w.find_prev_action = a("Find previous", "Shift+F3", lambda: w.find_bar.find(backward=True))
    w.snap_action = a("&Snap selections to words", "Ctrl+Shift+W", w.snap_toggled, checkable=True)
    w.snap_action.setChecked(prefs.flag("view/snap_words", True))
    w.labels_action = a("&Labels…", "Ctrl+L", w.open_labels)

    w.done_action = a("&Done, next document", ["Ctrl+Return", "Ctrl+Enter"], w.done_and_next)
    w.skip_action = a("&Skip, next document", "Ctrl+Shift+S", w.skip_and_next)
    w.next_doc_action = a("&Next document", "Ctrl+PgDown", lambda: w.step_document(1))
    w.prev_doc_action = a("&Previous document", "Ctrl+PgUp", lambda: w.step_document(-1))
    w.search_docs_action = a("Search &documents", "Ctrl+Shift+F", w.focus_search)
    w.focus_list_action = a("Go to document &list", "Ctrl+Shift+D", w.documents.view.setFocus)
    w.focus_spans_action = a("Go to span lis&t", "Ctrl+Shift+P", w.span_table.setFocus)
    w.focus_article_action = a("Go to &article", "Ctrl+Shift+A", w.article.setFocus)

    w.refresh_action = a("Re&fresh from the project", "F5", w.refresh)
    w.zoom_in_action = a("Zoom &in", ["Ctrl+=", "Ctrl++"], lambda: w.zoom_article(1))
    w.zoom_out_action = a("Zoom &out", "Ctrl+-", lambda: w.zoom_article(-1))
    w.zoom_reset_action = a("&Reset zoom", "Ctrl+0", lambda: w.zoom_article(0))

    w.guidelines_action = a("Label &guidelines", "F1", w.show_guidelines)
    w.shortcuts_action = a("&Keyboard shortcuts", ["Ctrl+/", "Shift+F1"], w.show_shortcuts)


def build_menus(w: MainWindow) -> None:
    bar = w.menuBar()
    file = bar.addMenu("&File")
    file.addActions([w.new_action, w.open_action])
    w.recent_menu = QMenu("Open &recent", w)
    file.addMenu(w.recent_menu)
    file.addSeparator()
    file.addActions([w.import_files_action, w.import_folder_action, w.export_action])
    file.addSeparator()
    file.addActions([w.name_action, w.quit_action])
    edit = bar.addMenu("&Edit")
    edit.addActions([w.undo_action, w.redo_action])
    edit.addSeparator()
    edit.addActions([w.delete_action, w.note_action])
    edit.addActions(
        [w.start_left_action, w.start_right_action, w.end_left_action, w.end_right_action]
    )
    edit.addActions([w.next_span_action, w.prev_span_action, w.deselect_action])
    edit.addSeparator()
    edit.addActions([w.find_action, w.find_next_action, w.find_prev_action])
    edit.addSeparator()
    edit.addActions([w.snap_action, w.labels_action])
    w.tag_menu = bar.addMenu("&Tag")
    doc = bar.addMenu("&Document")
    doc.addActions([w.done_action, w.skip_action, w.next_doc_action, w.prev_doc_action])
    doc.addSeparator()
    doc.addActions(
        [w.search_docs_action, w.focus_list_action, w.focus_spans_action, w.focus_article_action]
    )
    view = bar.addMenu("&View")
    view.addAction(w.refresh_action)
    view.addSeparator()
    view.addActions([w.zoom_in_action, w.zoom_out_action, w.zoom_reset_action])
    help_menu = bar.addMenu("&Help")
    help_menu.addActions([w.guidelines_action, w.shortcuts_action])


def build_label_actions(w: MainWindow, labels: list[Label]) -> tuple[dict[str, str], list[str]]:
    """Replace the Tag menu's actions with two per label (tag, tag exact characters).

    Returns the hotkeys that really work, by label, and the labels whose hotkey clashes with a
    window command (those keep their buttons but get no key).
    """
    for action in w.label_actions:
        w.removeAction(action)
        action.deleteLater()
    w.label_actions = []
    w.tag_menu.clear()
    taken = {k.casefold() for k in RESERVED_KEYS}
    keys: dict[str, str] = {}
    clashes = []
    for lab in labels:
        key = lab.hotkey if lab.hotkey and lab.hotkey.casefold() not in taken else None
        if lab.hotkey and key is None:
            clashes.append(lab.name)
        if key:
            keys[lab.name] = key
        tag = make_action(
            w, f"Tag as {lab.name}", [key] if key else [], lambda n=lab.name: w.editor.tag(n)
        )
        exact = make_action(
            w,
            f"Tag as {lab.name}, exact characters",
            [f"Alt+{key}"] if key else [],
            lambda n=lab.name: w.editor.tag(n, exact=True),
        )
        w.label_actions += [tag, exact]
        w.tag_menu.addActions([tag, exact])
    return keys, clashes


def all_actions(w: MainWindow) -> list[QAction]:
    """Every action of the window in menu order: the shortcut sheet is built from these."""
    seen: list[QAction] = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())
            elif not action.isSeparator() and action not in seen:
                seen.append(action)

    for top in w.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu())
    seen += [x for x in w.actions() + w.article.actions() if x not in seen]
    return seen


def action_for_key(w: MainWindow, keys: QKeySequence) -> QAction | None:
    """The enabled action one of whose shortcuts is exactly ``keys``."""
    for action in all_actions(w):
        if action.isEnabled() and any(
            s.matches(keys) == QKeySequence.SequenceMatch.ExactMatch for s in action.shortcuts()
        ):
            return action
    return None
