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

from annotator import keymap
from annotator.gui import settings as prefs
from annotator.gui.controllers.keys import RESERVED_KEYS

if TYPE_CHECKING:
    from annotator.gui.article.find_bar import FindBar
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.controllers.gold import GoldMarks
    from annotator.gui.controllers.learning import Learning
    from annotator.gui.controllers.moving_on import MovingOn
    from annotator.gui.controllers.project_flows import ProjectFlows
    from annotator.gui.controllers.relating import Relating
    from annotator.gui.controllers.review import Review
    from annotator.gui.controllers.selecting import Selecting
    from annotator.gui.controllers.suggestions import Suggestions
    from annotator.gui.controllers.work_packets import WorkPackets
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
    learning: Learning
    review: Review
    packets: WorkPackets
    gold: GoldMarks
    relating: Relating
    selecting: Selecting
    find_bar: FindBar
    article: ArticleView
    documents: DocumentList

    @property
    def span_table(self) -> QTableView: ...

    tag_menu: QMenu
    recent_menu: QMenu
    label_actions: list[QAction]
    actions_by_id: dict[str, QAction]

    def menuBar(self) -> QMenuBar: ...
    def actions(self) -> list[QAction]: ...
    def addAction(self, action: QAction, /) -> None: ...
    def removeAction(self, action: QAction, /) -> None: ...
    def close(self) -> bool: ...
    def say(self, message: str, timeout: int = 5000) -> None: ...
    def open_agreement(self) -> None: ...
    def open_statistics(self) -> None: ...
    def zoom_article(self, steps: int) -> None: ...
    def snap_toggled(self) -> None: ...
    def show_layer(self) -> None: ...
    def show_team_statuses(self) -> None: ...
    def toggle_review(self) -> None: ...
    def refresh(self) -> bool: ...
    def focus_search(self) -> None: ...
    def open_preferences(self, keys: bool = False) -> None: ...


@dataclass(frozen=True)
class ActionSpec:
    """One command of the window: where its menu item goes and what it calls. Its id, text and
    default keys are the keymap's (:mod:`annotator.keymap`), which the command line can read."""

    id: str
    menu: str  # the top-level menu that holds it
    handler: Callable[[Window], Any]
    group: int = 0  # a separator between groups of one menu
    in_article: bool = False  # only while the article has the focus (Tab, Esc)
    checkable: bool = False
    # only while this widget of the window has the focus: a dotted path ("review.panel.table")
    in_widget: str | None = None

    @property
    def text(self) -> str:
        return keymap.BY_ID[self.id].text

    @property
    def keys(self) -> tuple[str, ...]:
        """Its default keys (the user may have chosen others: :func:`keymap.bindings`)."""
        return keymap.BY_ID[self.id].keys


def _spec(
    id: str, menu: str, handler: Callable[[Window], Any], group: int = 0, **kw: Any
) -> ActionSpec:
    return ActionSpec(id, menu, handler, group, **kw)


MENUS = ("&File", "&Edit", "&Tag", "&Document", "&Review", "&View", "&Help")
ACTIONS: tuple[ActionSpec, ...] = (
    _spec("project.new", "&File", lambda w: w.flows.new_project()),
    _spec("project.open", "&File", lambda w: w.flows.open_project_dialog()),
    _spec("import.files", "&File", lambda w: w.flows.import_files(), 1),
    _spec(
        "import.folder",
        "&File",
        lambda w: w.flows.import_folder(),
        1,
    ),
    _spec(
        "import.raw",
        "&File",
        lambda w: w.flows.import_pages_raw(),
        1,
    ),
    _spec(
        "import.clean",
        "&File",
        lambda w: w.flows.import_scraped_text(),
        1,
    ),
    _spec("project.export", "&File", lambda w: w.flows.export_dialog(), 1),
    _spec("project.name", "&File", lambda w: w.flows.change_annotator(), 2),
    _spec("app.quit", "&File", lambda w: w.close(), 2),
    _spec("edit.undo", "&Edit", lambda w: w.editor.undo_stack.undo()),
    _spec("edit.redo", "&Edit", lambda w: w.editor.undo_stack.redo()),
    _spec(
        "span.delete",
        "&Edit",
        lambda w: w.editor.delete_selected(),
        1,
    ),
    _spec("span.note", "&Edit", lambda w: w.editor.edit_note(), 1),
    _spec(
        "span.attributes",
        "&Edit",
        lambda w: w.editor.edit_attributes(),
        1,
    ),
    _spec(
        "span.start.left",
        "&Edit",
        lambda w: w.editor.move_edge("start", False),
        1,
    ),
    _spec(
        "span.start.right",
        "&Edit",
        lambda w: w.editor.move_edge("start", True),
        1,
    ),
    _spec(
        "span.end.left",
        "&Edit",
        lambda w: w.editor.move_edge("end", False),
        1,
    ),
    _spec(
        "span.end.right",
        "&Edit",
        lambda w: w.editor.move_edge("end", True),
        1,
    ),
    _spec(
        "span.cycle.next",
        "&Edit",
        lambda w: w.editor.cycle(1),
        1,
        in_article=True,
    ),
    _spec(
        "span.cycle.previous",
        "&Edit",
        lambda w: w.editor.cycle(-1),
        1,
        in_article=True,
    ),
    _spec(
        "span.deselect",
        "&Edit",
        lambda w: w.editor.deselect(),
        1,
        in_article=True,
    ),
    _spec(
        "span.start.word.left",
        "&Edit",
        lambda w: w.editor.move_edge("start", False, by_word=True),
        1,
    ),
    _spec(
        "span.start.word.right",
        "&Edit",
        lambda w: w.editor.move_edge("start", True, by_word=True),
        1,
    ),
    _spec(
        "span.end.word.left", "&Edit", lambda w: w.editor.move_edge("end", False, by_word=True), 1
    ),
    _spec(
        "span.end.word.right", "&Edit", lambda w: w.editor.move_edge("end", True, by_word=True), 1
    ),
    _spec("span.next", "&Edit", lambda w: w.selecting.span_step(True), 2),
    _spec("span.previous", "&Edit", lambda w: w.selecting.span_step(False), 2),
    _spec("select.sentence", "&Edit", lambda w: w.selecting.select_unit("sentence"), 2),
    _spec("select.paragraph", "&Edit", lambda w: w.selecting.select_unit("paragraph"), 2),
    _spec("select.quotation", "&Edit", lambda w: w.selecting.select_quotation(), 2),
    _spec("caret.sentence.next", "&Edit", lambda w: w.selecting.caret_step(True), 2),
    _spec("caret.sentence.previous", "&Edit", lambda w: w.selecting.caret_step(False), 2),
    _spec("find.open", "&Edit", lambda w: w.find_bar.open_bar(), 2),
    _spec("find.next", "&Edit", lambda w: w.find_bar.search(backward=False), 2),
    _spec(
        "find.previous",
        "&Edit",
        lambda w: w.find_bar.search(backward=True),
        2,
    ),
    _spec(
        "view.snap",
        "&Edit",
        lambda w: w.snap_toggled(),
        3,
        checkable=True,
    ),
    _spec("scheme.labels", "&Edit", lambda w: w.flows.open_labels(), 3),
    _spec(
        "app.preferences",
        "&Edit",
        lambda w: w.open_preferences(),
        3,
    ),
    _spec(
        "document.done",
        "&Document",
        lambda w: w.moving_on.done_and_next(),
    ),
    _spec(
        "document.skip",
        "&Document",
        lambda w: w.moving_on.skip_and_next(),
    ),
    _spec("document.reopen", "&Document", lambda w: w.moving_on.reopen()),
    _spec("document.next", "&Document", lambda w: w.moving_on.step(1)),
    _spec("document.previous", "&Document", lambda w: w.moving_on.step(-1)),
    _spec(
        "document.search",
        "&Document",
        lambda w: w.focus_search(),
        1,
    ),
    _spec(
        "focus.documents",
        "&Document",
        lambda w: w.documents.view.setFocus(),
        1,
    ),
    _spec(
        "focus.spans",
        "&Document",
        lambda w: w.span_table.setFocus(),
        1,
    ),
    _spec(
        "focus.article",
        "&Document",
        lambda w: w.article.setFocus(),
        1,
    ),
    _spec(
        "suggest.document",
        "&Tag",
        lambda w: w.suggestions.suggest_document(),
        1,
    ),
    _spec(
        "suggest.all",
        "&Tag",
        lambda w: w.suggestions.suggest_all(),
        1,
    ),
    _spec("suggestion.next", "&Tag", lambda w: w.suggestions.step(True), 2),
    _spec(
        "suggest.learn",
        "&Tag",
        lambda w: w.learning.train_now(),
        1,
    ),
    _spec(
        "suggestion.previous",
        "&Tag",
        lambda w: w.suggestions.step(False),
        2,
    ),
    _spec(
        "suggestion.accept",
        "&Tag",
        lambda w: w.suggestions.accept(),
        2,
        in_article=True,
    ),
    _spec(
        "suggestion.accept_label",
        "&Tag",
        lambda w: w.suggestions.accept_selected_label(),
        2,
        in_article=True,
    ),
    _spec(
        "relation.start",
        "&Tag",
        lambda w: w.relating.start(),
        3,
    ),
    _spec("view.refresh", "&View", lambda w: w.refresh()),
    _spec("view.zoom_in", "&View", lambda w: w.zoom_article(1), 1),
    _spec("view.zoom_out", "&View", lambda w: w.zoom_article(-1), 1),
    _spec("view.zoom_reset", "&View", lambda w: w.zoom_article(0), 1),
    _spec(
        "view.everyone_spans",
        "&View",
        lambda w: w.show_layer(),
        2,
        checkable=True,
    ),
    _spec(
        "view.everyone_statuses",
        "&View",
        lambda w: w.show_team_statuses(),
        2,
        checkable=True,
    ),
    _spec("view.agreement", "&View", lambda w: w.open_agreement(), 2),
    _spec("view.statistics", "&View", lambda w: w.open_statistics(), 2),
    _spec("view.progress", "&View", lambda w: w.packets.show_progress(), 2),
    _spec("review.mode", "&Review", lambda w: w.toggle_review(), checkable=True),
    _spec(
        "review.accept",
        "&Review",
        lambda w: w.review.accept_selected(),
        1,
        in_widget="review.panel.table",
    ),
    _spec(
        "review.reject",
        "&Review",
        lambda w: w.review.reject_selected(),
        1,
    ),
    _spec(
        "review.accept_agreed",
        "&Review",
        lambda w: w.review.accept_agreed(),
        1,
    ),
    _spec(
        "review.accept_layer",
        "&Review",
        lambda w: w.review.accept_layer(),
        1,
    ),
    _spec(
        "review.send_back",
        "&Review",
        lambda w: w.review.send_back(),
        1,
    ),
    _spec(
        "focus.review",
        "&Review",
        lambda w: w.review.focus(),
        2,
    ),
    _spec("team.assign", "&Review", lambda w: w.packets.assign_work(), 3),
    _spec("review.gold", "&Review", lambda w: w.gold.toggle(), 3, checkable=True),
    _spec("help.guidelines", "&Help", lambda w: w.flows.show_guidelines()),
    _spec(
        "help.shortcuts",
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


def chosen_keys(w: Window) -> dict[str, tuple[str, ...]]:
    """The user's keys (``keys.json``); a file that cannot be used is said once in the status
    bar, and the defaults serve."""
    try:
        return keymap.bindings()
    except keymap.KeyError_ as e:
        w.say(f"Your keys were not read: {e}. The usual keys serve meanwhile.", 15000)
        return keymap.defaults()


def build_actions(w: Window) -> dict[str, QAction]:
    """One QAction per row of :data:`ACTIONS`, by id; the menus are built from the same rows."""
    made: dict[str, QAction] = {}
    keys = chosen_keys(w)
    for spec in ACTIONS:
        made[spec.id] = action = make_action(
            w,
            spec.text,
            keys.get(spec.id, spec.keys),
            partial(spec.handler, w),
            widget=w.article if spec.in_article else _widget(w, spec.in_widget),
            checkable=spec.checkable,
        )
        action.setObjectName(f"action:{spec.id}")
        action.setStatusTip(keymap.BY_ID[spec.id].does)
    stack = w.editor.undo_stack
    made["edit.undo"].setEnabled(stack.canUndo())
    made["edit.redo"].setEnabled(stack.canRedo())
    stack.canUndoChanged.connect(made["edit.undo"].setEnabled)
    stack.canRedoChanged.connect(made["edit.redo"].setEnabled)
    made["view.snap"].setChecked(prefs.flag("view/snap_words", True))
    # Enter accepts from the list of suggestions too; both keys wait for a suggestion to be
    # selected, and leave Enter to other widgets meanwhile
    w.suggestions.panel.table.addAction(made["suggestion.accept"])
    for name in ("suggestion.accept", "suggestion.accept_label"):
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
        if spec.id == "project.open":
            w.recent_menu = QMenu("Open &recent", w.article.window())
            menu.addMenu(w.recent_menu)
    _add_suggestion_menu(w)
    _add_order_menu(w, menus["&Document"])


def _add_order_menu(w: Window, document_menu: QMenu) -> None:
    """Document → Order by: the project's order, or the learned model's least certain first."""
    menu = QMenu("&Order by", w.article.window())
    menu.setObjectName("orderBy")
    try:
        keys = keymap.bindings()
    except keymap.KeyError_:  # said once already, by build_actions
        keys = keymap.defaults()
    for action in w.learning.fill_order_menu(menu, keys):
        w.actions_by_id[action.objectName().removeprefix("action:")] = action
    document_menu.addSeparator()
    document_menu.addMenu(menu)


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
