"""Review → Gold document (Shift+F7): the lead marks the open document, or the documents
selected in the list, as gold, and takes them out again, by the same core calls as
``annotator gold add`` and ``gold remove`` (:mod:`annotator.team.gold`).

The menu item is checked while the open document is gold; the list tints every gold
document's title. A document without a curated layer is refused in the core's words, in the
status bar, with nothing marked.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from annotator.model import Refused

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from annotator.gui.controllers.shell import Shell
    from annotator.gui.panels.document_list import DocumentList
    from annotator.session.document_model import DocumentModel
    from annotator.session.project_model import ProjectModel
    from annotator.store.project import Store
    from annotator.team.gold import GoldChange

#: Documents marked at once from the list; more are a job for ``annotator gold add``.
MOST_AT_ONCE = 1000


class GoldMarks:
    def __init__(
        self,
        project: ProjectModel,
        document: DocumentModel,
        documents: DocumentList,
        shell: Shell,
    ) -> None:
        self.project = project
        self.document = document
        self.documents = documents
        self.shell = shell
        #: the menu item, checked while the open document is gold (the window sets it)
        self.action: QAction | None = None
        document.events.loaded.connect(self.show_state)
        # another program's gold marks, read on F5 or when the window is active again
        project.events.changed.connect(lambda _applied: self.show_state())

    def chosen(self) -> list[int] | None:
        """The documents to mark: those selected in the list when several are, else the open
        one. None (said in the status bar) when there are too many or none."""
        if self.documents.selected_count() > 1:
            if self.documents.selected_count() > MOST_AT_ONCE:
                self.shell.say(
                    f"Select at most {MOST_AT_ONCE:,} documents to mark gold at once "
                    "(`annotator gold add` takes any number).",
                    8000,
                )
                return None
            return self.documents.selected_documents()
        if self.document.document_id is None:
            self.shell.say("Open a document to mark it gold.", 5000)
            return None
        return [self.document.document_id]

    def with_gold_item(self, make: Callable[[int], QMenu]) -> Callable[[int], QMenu]:
        """The document list's context menu made by ``make``, with Gold document added: for
        the rows selected when the row is one of several selected, else for the row."""

        def menu(document_id: int) -> QMenu:
            made = make(document_id)
            store = self.project.store
            if store is None:
                return made
            item = made.addAction("Gold document")
            item.setObjectName("goldDocument")
            item.setCheckable(True)
            if self.documents.selected_count() > MOST_AT_ONCE:  # not read row by row
                item.setText(f"Gold document (select at most {MOST_AT_ONCE:,})")
                item.setEnabled(False)
                return made
            selected = self.documents.selected_documents()
            chosen = selected if document_id in selected else [document_id]
            item.setChecked(len(_gold_of(store, chosen)) == len(chosen))
            item.triggered.connect(lambda _checked=False: self.toggle(chosen))
            return made

        return menu

    def toggle(self, documents: list[int] | None = None) -> GoldChange | None:
        """Mark the ``documents`` (the chosen ones when None) gold; when every one is gold
        already, take them out of gold. What was done, or why not, is said in the status
        bar."""
        from annotator.store.project import ProjectError
        from annotator.team.gold import mark_gold, unmark_gold

        store = self.project.store
        chosen = documents or (self.chosen() if store is not None else None)
        if store is None or not chosen:
            self.show_state()
            return None
        references = [str(doc) for doc in chosen]
        adding = len(_gold_of(store, chosen)) < len(chosen)
        try:
            change = (mark_gold if adding else unmark_gold)(store, references)
        except Refused as e:
            self._refused(f"Not marked gold: {_sentence(str(e))}")
            return None
        except (ProjectError, sqlite3.Error) as e:
            self._refused(f"Not changed: the project could not be written ({e}).")
            return None
        for doc in change.changed:
            self.documents.show_gold(doc, adding)
        self.shell.say(" ".join(change.summary().splitlines()), 8000)
        self.show_state()
        return change

    def _refused(self, why: str) -> None:
        self.shell.say(why, 10000)
        self.show_state()

    def show_state(self) -> None:
        """Check the menu item while the open document is gold."""
        if self.action is None:
            return
        store, doc = self.project.store, self.document.document_id
        self.action.setChecked(store is not None and doc is not None and _is_gold(store, doc))


def _is_gold(store: Store, document_id: int) -> bool:
    return bool(_gold_of(store, [document_id]))


def _gold_of(store: Store, documents: list[int]) -> set[int]:
    from annotator.store.document_marks import gold_among

    return gold_among(store.conn, documents)


def _sentence(message: str) -> str:
    """The core's message as the end of a sentence in the status bar."""
    return message if message.endswith((".", "?", "!")) else message + "."
