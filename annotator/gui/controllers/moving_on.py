"""Moving on through the documents: done and next, skip, reopen, and the next or previous
one in the list as filtered.

Done and skip open the next document neither done nor skipped, in the list's order; in review
mode they settle the document and go to the next one not settled. A status is set through
the editor, so it is an undo step like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.controllers.review import Review
    from annotator.gui.controllers.shell import Shell
    from annotator.gui.panels.document_list import DocumentList
    from annotator.session.document_model import DocumentModel
    from annotator.session.project_model import ProjectModel


class MovingOn:
    def __init__(
        self,
        project: ProjectModel,
        document: DocumentModel,
        documents: DocumentList,
        editor: Editor,
        review: Review,
        shell: Shell,
    ) -> None:
        self.project = project
        self.document = document
        self.documents = documents
        self.editor = editor
        self.review = review
        self.shell = shell

    def step(self, step: int) -> None:
        """Next or previous in the list as filtered; the project order when not in it."""
        store = self.project.store
        if store is None or self.document.document_id is None:
            return
        row = self.documents.model.row_of(self.document.document_id)
        if row is not None:
            target = self.documents.document_at(row + step)
        else:
            target = store.documents.neighbour(self.document.document_id, step)
        if target is None:
            self.shell.say("No more documents that way.", 4000)
            return
        self.shell.open_document(target)

    def done_and_next(self) -> None:
        """Done and next; in review mode, settle the document and go to the next one not
        settled."""
        if self.project.reviewing:
            self.review.settle_and_next()
        else:
            self.finish("done")

    def skip_and_next(self) -> None:
        if self.project.reviewing:
            self.review.next_unsettled()
        else:
            self.finish("skipped")

    def reopen(self, document_id: int | None = None) -> bool:
        """Take back "done" or "skipped" (the open document, or ``document_id``): in progress
        again, or new when it has no spans. Undoable like any step."""
        doc = self.document.document_id if document_id is None else document_id
        store = self.project.store
        if store is None or doc is None:
            return False
        if self.project.reviewing and doc == self.document.document_id:
            self.review.unsettle()
            return True
        row = self.documents.model.row_of(doc)
        shown = self.documents.model.rows[row] if row is not None else None
        if doc == self.document.document_id:
            count = len(self.document.spans)
        else:
            count = shown.span_count if shown is not None else store.documents.row(doc).span_count
        status = shown.status if shown is not None else store.documents.row(doc).status
        if status not in ("done", "skipped"):
            self.shell.say("This document is not done or skipped: it is open.", 4000)
            return False
        return self.editor.set_status(doc, "in_progress" if count else "new")

    def document_menu(self, document_id: int) -> QMenu:
        """The document list's context menu for one row."""
        menu = QMenu(self.documents)
        reopen = menu.addAction("Reopen (back to in progress)")
        reopen.setObjectName("reopenDocument")
        row = self.documents.model.row_of(document_id)
        status = self.documents.model.rows[row].status if row is not None else ""
        reopen.setEnabled(status in ("done", "skipped"))
        reopen.triggered.connect(lambda: self.reopen(document_id))
        return menu

    def finish(self, status: str) -> None:
        """Mark the document and open the next one neither done nor skipped, in the list's
        order (the project's, or least certain first).

        The finished document keeps its row in a filtered list until the list is filtered or
        refreshed again, so rows do not jump away while the analyst works through them.
        """
        store = self.project.store
        if store is None or self.document.document_id is None:
            return
        doc = self.document.document_id
        if not self.editor.set_status(doc, status):
            return
        target = store.documents.next_open(doc, order=self.documents.order)
        if target is None:
            self.shell.say("Every document is done or skipped.", 8000)
            return
        self.shell.open_document(target)
