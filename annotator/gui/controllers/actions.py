"""The window's commands, declared once: id, text, keys, menu and what each does.

:data:`ACTIONS` is the one table. The window's actions, its menus, the shortcut sheet and the
article's key fallback (``action_for_key``) are all built from it (plus one action per label
in the Tag menu), so a key that is listed is a key that works, and a test can check the table
against the menus and the sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QTableView, QWidget

from annotator.gui import settings as prefs
from annotator.gui.controllers.keys import RESERVED_KEYS

if TYPE_CHECKING:
    from annotator.gui.article.find_bar import FindBar
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.controllers.moving_on import MovingOn
    from annotator.gui.controllers.project_flows import ProjectFlows
    from annotator.gui.controllers.relating import Relating
    from annotator.gui.controllers.review import Review
    from annotator.gui.controllers.suggestions import Suggestions
    from annotator.gui.panels.document_list import DocumentList
    from annotator.model import Label


class Window(Protocol):
    """What the commands of the table and the menus built from it reach on the window: its
    controllers and panels, and the window's own commands. The main window is one; naming
    them here keeps this table from importing it."""

    editor: Editor
    flows: ProjectFlows
    moving_on: MovingOn
    suggestions: Suggestions
    review: Review
    relating: Relating
    find_bar: FindBar
    article: ArticleView
    documents: DocumentList
    span_table: QTableView
    tag_menu: QMenu
    recent_menu: QMenu
    label_actions: list[QAction]
    actions_by_id: dict[str, QAction]

    def menuBar(self) -> QMenuBar: ...
    def actions(self) -> list[QAction]: ...
    def addAction(self, action: QAction, /) -> None: ...
    def removeAction(self, action: QAction, /) -> None: ...
    def close(self) -> bool: ...
    def open_agreement(self) -> None: ...
    def open_statistics(self) -> None: ...
    def zoom_article(self, steps: int) -> None: ...
    def snap_toggled(self) -> None: ...
    def show_layer(self) -> None: ...
    def show_team_statuses(self) -> None: ...
    def toggle_review(self) -> None: ...
    def refresh(self) -> bool: ...
    def focus_search(self) -> None: ...


@dataclass(frozen=True)
class ActionSpec:
    """One command of the window: the table below is the only place it is declared."""

    id: str
    text: str
    keys: tuple[str, ...]
    menu: str  # the top-level menu that holds it
    handler: Callable[[Window], Any]
    group: int = 0  # a separator between groups of one menu
    in_article: bool = False  # only while the article has the focus (Tab, Esc)
    checkable: bool = False
    # only while this widget of the window has the focus: a dotted path ("review.panel.table")
    in_widget: str | None = None


def _spec(
    id: str,
    text: str,
    keys: str | tuple[str, ...],
    menu: str,
    handler: Callable[[Window], Any],
    group: int = 0,
    **kw: Any,
) -> ActionSpec:
    return ActionSpec(
        id, text, (keys,) if isinstance(keys, str) else keys, menu, handler, group, **kw
    )


MENUS = ("&File", "&Edit", "&Tag", "&Document", "&Review", "&View", "&Help")
ACTIONS: tuple[ActionSpec, ...] = (
    _spec("new", "&New project…", "Ctrl+N", "&File", lambda w: w.flows.new_project()),
    _spec("open", "&Open project…", "Ctrl+O", "&File", lambda w: w.flows.open_project_dialog()),
    _spec("import_files", "&Import files…", "Ctrl+I", "&File", lambda w: w.flows.import_files(), 1),
    _spec(
        "import_folder",
        "Import &folder…",
        "Ctrl+Shift+I",
        "&File",
        lambda w: w.flows.import_folder(),
        1,
    ),
    _spec(
        "import_raw",
        "Import web pages as &raw text…",
        "Ctrl+Alt+I",
        "&File",
        lambda w: w.flows.import_pages_raw(),
        1,
    ),
    _spec(
        "import_clean",
        "Import scraped &text, cleaned…",
        "Ctrl+Alt+Shift+I",
        "&File",
        lambda w: w.flows.import_scraped_text(),
        1,
    ),
    _spec("export", "&Export…", "Ctrl+E", "&File", lambda w: w.flows.export_dialog(), 1),
    _spec(
        "name", "Annotator &name…", "Ctrl+Shift+N", "&File", lambda w: w.flows.change_annotator(), 2
    ),
    _spec("quit", "&Quit", "Ctrl+Q", "&File", lambda w: w.close(), 2),
    _spec("undo", "&Undo", "Ctrl+Z", "&Edit", lambda w: w.editor.undo_stack.undo()),
    _spec(
        "redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "&Edit", lambda w: w.editor.undo_stack.redo()
    ),
    _spec(
        "delete",
        "&Delete span, reject suggestion",
        ("Delete", "Backspace"),
        "&Edit",
        lambda w: w.editor.delete_selected(),
        1,
    ),
    _spec("note", "Write a &note on the span…", "N", "&Edit", lambda w: w.editor.edit_note(), 1),
    _spec(
        "attributes",
        "Span &attributes…",
        "A",
        "&Edit",
        lambda w: w.editor.edit_attributes(),
        1,
    ),
    _spec(
        "start_left",
        "Move span start left",
        "Ctrl+Alt+Left",
        "&Edit",
        lambda w: w.editor.move_edge("start", False),
        1,
    ),
    _spec(
        "start_right",
        "Move span start right",
        "Ctrl+Alt+Right",
        "&Edit",
        lambda w: w.editor.move_edge("start", True),
        1,
    ),
    _spec(
        "end_left",
        "Move span end left",
        "Alt+Shift+Left",
        "&Edit",
        lambda w: w.editor.move_edge("end", False),
        1,
    ),
    _spec(
        "end_right",
        "Move span end right",
        "Alt+Shift+Right",
        "&Edit",
        lambda w: w.editor.move_edge("end", True),
        1,
    ),
    _spec(
        "next_span",
        "Next overlapping span",
        "Tab",
        "&Edit",
        lambda w: w.editor.cycle(1),
        1,
        in_article=True,
    ),
    _spec(
        "prev_span",
        "Previous overlapping span",
        "Shift+Tab",
        "&Edit",
        lambda w: w.editor.cycle(-1),
        1,
        in_article=True,
    ),
    _spec(
        "deselect",
        "Deselect span",
        "Esc",
        "&Edit",
        lambda w: w.editor.deselect(),
        1,
        in_article=True,
    ),
    _spec("find", "&Find in article…", "Ctrl+F", "&Edit", lambda w: w.find_bar.open_bar(), 2),
    _spec("find_next", "Find next", "F3", "&Edit", lambda w: w.find_bar.search(backward=False), 2),
    _spec(
        "find_prev",
        "Find previous",
        "Shift+F3",
        "&Edit",
        lambda w: w.find_bar.search(backward=True),
        2,
    ),
    _spec(
        "snap",
        "&Snap selections to words",
        "Ctrl+Shift+W",
        "&Edit",
        lambda w: w.snap_toggled(),
        3,
        checkable=True,
    ),
    _spec("labels", "&Labels…", "Ctrl+L", "&Edit", lambda w: w.flows.open_labels(), 3),
    _spec(
        "done",
        "&Done, next document",
        ("Ctrl+Return", "Ctrl+Enter"),
        "&Document",
        lambda w: w.moving_on.done_and_next(),
    ),
    _spec(
        "skip",
        "&Skip, next document",
        "Ctrl+Shift+S",
        "&Document",
        lambda w: w.moving_on.skip_and_next(),
    ),
    _spec(
        "reopen", "&Reopen document", "Ctrl+Shift+R", "&Document", lambda w: w.moving_on.reopen()
    ),
    _spec("next_doc", "&Next document", "Ctrl+PgDown", "&Document", lambda w: w.moving_on.step(1)),
    _spec(
        "prev_doc", "&Previous document", "Ctrl+PgUp", "&Document", lambda w: w.moving_on.step(-1)
    ),
    _spec(
        "search_docs",
        "Search &documents",
        "Ctrl+Shift+F",
        "&Document",
        lambda w: w.focus_search(),
        1,
    ),
    _spec(
        "focus_list",
        "Go to document &list",
        "Ctrl+Shift+D",
        "&Document",
        lambda w: w.documents.view.setFocus(),
        1,
    ),
    _spec(
        "focus_spans",
        "Go to span lis&t",
        "Ctrl+Shift+P",
        "&Document",
        lambda w: w.span_table.setFocus(),
        1,
    ),
    _spec(
        "focus_article",
        "Go to &article",
        "Ctrl+Shift+A",
        "&Document",
        lambda w: w.article.setFocus(),
        1,
    ),
    _spec(
        "suggest_document",
        "&Suggest for this document",
        "F8",
        "&Tag",
        lambda w: w.suggestions.suggest_document(),
        1,
    ),
    _spec(
        "suggest_all",
        "Suggest for all &documents not done…",
        "Shift+F8",
        "&Tag",
        lambda w: w.suggestions.suggest_all(),
        1,
    ),
    _spec(
        "next_suggestion", "&Next suggestion", "]", "&Tag", lambda w: w.suggestions.step(True), 2
    ),
    _spec(
        "prev_suggestion",
        "&Previous suggestion",
        "[",
        "&Tag",
        lambda w: w.suggestions.step(False),
        2,
    ),
    _spec(
        "accept_suggestion",
        "&Accept the suggestion",
        ("Return", "Enter"),
        "&Tag",
        lambda w: w.suggestions.accept(),
        2,
        in_article=True,
    ),
    _spec(
        "accept_suggested_label",
        "Accept all suggested of &its label",
        ("Shift+Return", "Shift+Enter"),
        "&Tag",
        lambda w: w.suggestions.accept_selected_label(),
        2,
        in_article=True,
    ),
    _spec(
        "relate",
        "&Relate the span to another…",
        "R",
        "&Tag",
        lambda w: w.relating.start(),
        3,
    ),
    _spec("refresh", "Re&fresh from the project", "F5", "&View", lambda w: w.refresh()),
    _spec("zoom_in", "Zoom &in", ("Ctrl+=", "Ctrl++"), "&View", lambda w: w.zoom_article(1), 1),
    _spec("zoom_out", "Zoom &out", "Ctrl+-", "&View", lambda w: w.zoom_article(-1), 1),
    _spec("zoom_reset", "&Reset zoom", "Ctrl+0", "&View", lambda w: w.zoom_article(0), 1),
    _spec(
        "everyone_spans",
        "&Everyone's spans",
        "Ctrl+Shift+E",
        "&View",
        lambda w: w.show_layer(),
        2,
        checkable=True,
    ),
    _spec(
        "everyone_statuses",
        "Everyone's s&tatuses",
        "Ctrl+Shift+T",
        "&View",
        lambda w: w.show_team_statuses(),
        2,
        checkable=True,
    ),
    _spec("agreement", "&Agreement…", "F7", "&View", lambda w: w.open_agreement(), 2),
    _spec("statistics", "&Statistics…", "F9", "&View", lambda w: w.open_statistics(), 2),
    _spec("review", "&Review mode", "F6", "&Review", lambda w: w.toggle_review(), checkable=True),
    _spec(
        "accept",
        "&Accept the span or relation",
        ("Return", "Enter"),
        "&Review",
        lambda w: w.review.accept_selected(),
        1,
        in_widget="review.panel.table",
    ),
    _spec(
        "reject",
        # Delete and Backspace reject too in the review panel's rows, which take them before
        # the window's span delete (the shortcut sheet lists them there).
        "&Reject the span or relation",
        "Ctrl+Shift+X",
        "&Review",
        lambda w: w.review.reject_selected(),
        1,
    ),
    _spec(
        "accept_agreed",
        "Accept all a&greed",
        "Ctrl+Shift+G",
        "&Review",
        lambda w: w.review.accept_agreed(),
        1,
    ),
    _spec(
        "accept_layer",
        "Accept all of the &label from the analyst",
        "Ctrl+Shift+L",
        "&Review",
        lambda w: w.review.accept_layer(),
        1,
    ),
    _spec(
        "focus_review",
        "Go to the review &panel",
        "Ctrl+Shift+V",
        "&Review",
        lambda w: w.review.focus(),
        2,
    ),
    _spec("guidelines", "Label &guidelines", "F1", "&Help", lambda w: w.flows.show_guidelines()),
    _spec(
        "shortcuts",
        "&Keyboard shortcuts",
        ("Ctrl+/", "Shift+F1"),
        "&Help",
        lambda w: w.flows.show_shortcuts(),
    ),
)


def make_action(
    window: Window,
    text: str,
    keys: tuple[str, ...] | list[str],
    slot: Callable[[], Any],
    *,
    widget: QWidget | None = None,
    checkable: bool = False,
) -> QAction:
    """An action with its shortcut(s); ``widget`` limits it to when that widget has focus."""
    action = QAction(text, window.article.window())
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setCheckable(checkable)
    action.triggered.connect(lambda checked=False: slot())
    if widget is None:
        window.addAction(action)
    else:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        widget.addAction(action)
    return action


def _widget(w: Window, path: str | None) -> QWidget | None:
    return attrgetter(path)(w) if path else None


def build_actions(w: Window) -> dict[str, QAction]:
    """One QAction per row of :data:`ACTIONS`, by id; the menus are built from the same rows."""
    made: dict[str, QAction] = {}
    for spec in ACTIONS:
        made[spec.id] = make_action(
            w,
            spec.text,
            spec.keys,
            partial(spec.handler, w),
            widget=w.article if spec.in_article else _widget(w, spec.in_widget),
            checkable=spec.checkable,
        )
    stack = w.editor.undo_stack
    made["undo"].setEnabled(stack.canUndo())
    made["redo"].setEnabled(stack.canRedo())
    stack.canUndoChanged.connect(made["undo"].setEnabled)
    stack.canRedoChanged.connect(made["redo"].setEnabled)
    made["snap"].setChecked(prefs.flag("view/snap_words", True))
    # Enter accepts from the list of suggestions too; both keys wait for a suggestion to be
    # selected, and leave Enter to other widgets meanwhile
    w.suggestions.panel.table.addAction(made["accept_suggestion"])
    for name in ("accept_suggestion", "accept_suggested_label"):
        made[name].setEnabled(False)
    return made


def build_menus(w: Window) -> None:
    """The menu bar from :data:`ACTIONS`, plus the recent projects and the labels' Tag menu."""
    bar = w.menuBar()
    menus = {title: bar.addMenu(title) for title in MENUS}
    w.tag_menu = menus["&Tag"]
    last: dict[str, int] = {}
    for spec in ACTIONS:
        menu = menus[spec.menu]
        if spec.menu in last and last[spec.menu] != spec.group:
            menu.addSeparator()
        last[spec.menu] = spec.group
        menu.addAction(w.actions_by_id[spec.id])
        if spec.id == "open":
            w.recent_menu = QMenu("Open &recent", w.article.window())
            menu.addMenu(w.recent_menu)
    _add_suggestion_menu(w)


def _add_suggestion_menu(w: Window) -> None:
    """Tag → Accept all suggested: one item per label, filled as the menu opens."""
    menu = QMenu("Accept all su&ggested", w.article.window())
    menu.setObjectName("acceptAllSuggested")
    menu.aboutToShow.connect(lambda: w.suggestions.fill_accept_menu(menu))
    w.tag_menu.addMenu(menu)


def build_label_actions(w: Window, labels: list[Label]) -> tuple[dict[str, str], list[str]]:
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
            w, f"Tag as {lab.name}", [key] if key else [], partial(w.editor.tag, lab.name)
        )
        exact = make_action(
            w,
            f"Tag as {lab.name}, exact characters",
            [f"Alt+{key}"] if key else [],
            partial(w.editor.tag, lab.name, exact=True),
        )
        w.label_actions += [tag, exact]
        w.tag_menu.addActions([tag, exact])
    group: int | None = None
    for spec in ACTIONS:  # the table's own rows of the Tag menu, after the labels
        if spec.menu == "&Tag":
            if spec.group != group:
                w.tag_menu.addSeparator()
                group = spec.group
            w.tag_menu.addAction(w.actions_by_id[spec.id])
    _add_suggestion_menu(w)
    return keys, clashes


def all_actions(w: Window) -> list[QAction]:
    """Every action of the window in menu order: the shortcut sheet is built from these."""
    seen: list[QAction] = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub)
            elif not action.isSeparator() and action not in seen:
                seen.append(action)

    for top in w.menuBar().actions():
        sub = top.menu()
        if isinstance(sub, QMenu):
            walk(sub)
    seen += [x for x in w.actions() + w.article.actions() if x not in seen]
    return seen


def action_for_key(w: Window, keys: QKeySequence) -> QAction | None:
    """The enabled action one of whose shortcuts is exactly ``keys`` in the article: a
    window-wide one, or one of the article's own (another widget's keys are its own)."""
    for action in all_actions(w):
        scoped = action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
        if scoped and w.article not in action.associatedObjects():
            continue
        if action.isEnabled() and any(
            s.matches(keys) == QKeySequence.SequenceMatch.ExactMatch for s in action.shortcuts()
        ):
            return action
    return None
