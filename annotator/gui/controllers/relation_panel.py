"""The Relations panel under the span list: one row per relation of the open document (type,
head text → child text), and the arcs over the article (:mod:`relation_overlay`).

Choosing a row selects the head span, scrolls to it and draws that relation thicker with both
ends outlined; Delete or Backspace in the list deletes it (one undo step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from annotator.changes import Changes, changes_of
from annotator.gui import theme
from annotator.gui.article.relation_overlay import RelationOverlay
from annotator.gui.commands.relations import DeleteRelation
from annotator.gui.panels.delete_keys import keep_delete
from annotator.gui.panels.span_list import quoted
from annotator.model import Relation
from annotator.session.document_model import RELATION, SPAN, ItemChanges

if TYPE_CHECKING:
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.controllers.shell import Shell
    from annotator.session.document_model import DocumentModel
    from annotator.session.project_model import Applied, ProjectModel

_ROLE = Qt.ItemDataRole.UserRole


class RelationPanel(QObject):
    """The relations list (its ``widget``, placed by the window) and the arcs it chooses."""

    def __init__(
        self,
        project: ProjectModel,
        document: DocumentModel,
        view: ArticleView,
        editor: Editor,
        shell: Shell,
    ) -> None:
        super().__init__(view)
        self.project = project
        self.document = document
        self.editor = editor
        self.shell = shell
        self._colours: dict[str, str] = {}
        self.overlay = RelationOverlay(view, lambda: self._colours)
        self.widget = QWidget()
        self.widget.setObjectName("relationPanel")
        column = QVBoxLayout(self.widget)
        column.setContentsMargins(4, 4, 4, 0)
        column.setSpacing(2)
        self.title = QLabel("Relations")
        column.addWidget(self.title)
        self.list = QListWidget()
        self.list.setObjectName("relationList")
        column.addWidget(self.list)
        self.list.currentItemChanged.connect(self._chosen)
        self.list.installEventFilter(self)
        events = self.document.events
        events.loaded.connect(self._loaded)
        events.changed.connect(self._changed)
        project.events.changed.connect(self._follow)

    # -- the rows ----------------------------------------------------------------------------

    def _loaded(self) -> None:
        store = self.project.store
        self._colours = {t.name: t.color for t in store.relation_types.all()} if store else {}
        self.overlay.view.set_line_gap(bool(self._colours))
        self._fill()

    def _follow(self, applied: Applied) -> None:
        if applied.changes.relation_types:
            self.follow_types(applied.changes)

    def follow_types(self, changes: Changes) -> None:
        """Relation types added, renamed, recoloured or deleted: the arcs and rows take the
        new colours (the relations' own changes come with the same ``changes``)."""
        for change in changes.relation_types.values():
            if change.before is not None:
                self._colours.pop(change.before.name, None)
            if change.after is not None:
                self._colours[change.after.name] = change.after.color
        self.overlay.view.set_line_gap(bool(self._colours))
        self._fill()
        self.overlay.update()

    def _changed(self, found: ItemChanges[Any]) -> None:
        if found.kind == RELATION or (found.kind == SPAN and found.updated):
            self._fill()

    def text_of(self, relation: Relation) -> str:
        spans = self.document.spans
        head, child = spans.get(relation.head), spans.get(relation.child)
        a = quoted(head.text, 28) if head else "?"
        b = quoted(child.text, 28) if child else "?"
        return f"{relation.label}: {a} \u2192 {b}"

    def _fill(self) -> None:
        chosen = self.overlay.chosen
        self.list.blockSignals(True)
        self.list.clear()
        ordered = sorted(
            self.document.relations.values(),
            key=lambda r: (getattr(self.document.spans.get(r.head), "start", 0), r.id or 0),
        )
        for relation in ordered:
            item = QListWidgetItem(self.text_of(relation))
            item.setData(_ROLE, relation.id)
            colour = QColor(self._colours.get(relation.label, "#888888"))
            item.setForeground(theme.readable(colour, self.list.palette()))
            self.list.addItem(item)
            if relation.id == chosen:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if chosen not in self.document.relations:
            self.overlay.choose(None)
        count = len(ordered)
        self.title.setText(f"Relations ({count})" if count else "Relations")

    def rows(self) -> list[str]:
        return [self.list.item(n).text() for n in range(self.list.count())]

    # -- choosing and deleting ---------------------------------------------------------------

    def _chosen(self, current: QListWidgetItem | None, _previous: Any) -> None:
        relation = self.document.relations.get(current.data(_ROLE)) if current else None
        self.overlay.choose(relation.id if relation else None)
        if relation is not None:
            self.editor.select(relation.head, reveal=True)

    def choose(self, relation_id: int) -> None:
        for n in range(self.list.count()):
            if self.list.item(n).data(_ROLE) == relation_id:
                self.list.setCurrentRow(n)

    def delete_chosen(self) -> Relation | None:
        from annotator.model import RelationError

        store, chosen = self.project.store, self.overlay.chosen
        relation = self.document.relations.get(chosen) if chosen is not None else None
        if store is None or relation is None or relation.id is None:
            self.shell.say("Choose a relation in the list first.", 4000)
            return None
        try:
            gone = store.relations.delete(relation.id)
        except RelationError as e:
            self.shell.say(f"Not deleted: {e}", 8000)
            return None
        command = DeleteRelation(relation, store, self.shell)
        self.editor.undo_stack.push(command.pushed_after(changes_of(gone)))
        return gone

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Delete and Backspace in the list are the list's (not the window's span delete)."""
        return watched is self.list and keep_delete(event, self.delete_chosen)
