"""A document sent back for correction, as the analyst sees it in their packet: the bar above
the article with the curator's note and changes, each change taking them to its place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.panels.correction_bar import CorrectionBar
    from annotator.session.document_model import DocumentModel
    from annotator.session.project_model import ProjectModel


class Corrections:
    def __init__(
        self,
        project: ProjectModel,
        document: DocumentModel,
        view: ArticleView,
        editor: Editor,
        bar: CorrectionBar,
    ) -> None:
        self.project = project
        self.document = document
        self.view = view
        self.editor = editor
        self.bar = bar
        document.events.loaded.connect(self._loaded)
        project.events.closed.connect(bar.hide)
        bar.chosen.connect(self._go_to)

    def _loaded(self) -> None:
        """A document opened: the bar shows its send-back to the current analyst, if any."""
        from annotator.store.document_marks import is_sent_back

        store, doc = self.project.store, self.document.document_id
        if store is None or doc is None or not is_sent_back(store.conn, doc, store.annotator):
            self.bar.hide()  # the usual case, answered without loading the send-back module
            return
        from annotator.team.send_back import correction_of, place_of

        found = correction_of(store.conn, doc, store.annotator)
        if found is None:
            self.bar.hide()
            return
        lines = [(line, place_of(c)) for line, c in zip(found.lines(), found.changes, strict=True)]
        self.bar.show_correction(found.curator, found.note, lines)

    def _go_to(self, start: int, end: int) -> None:
        """A change chosen: its place selected in the text, in view."""
        self.editor.select(None)
        self.view.select_cp(start, end)
        self.view.setFocus()
