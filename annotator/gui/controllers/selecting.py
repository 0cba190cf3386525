"""Moving and selecting by meaning: the next or previous span in the text, the sentence or
paragraph at the caret (pressed again: the next one added), the caret to the next or
previous sentence. The units are the session's (:mod:`annotator.session.text_units`); this
only reads the caret and sets the selection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.session import text_units

if TYPE_CHECKING:
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.controllers.shell import Shell
    from annotator.session.document_model import DocumentModel

_NAMES = {"sentence": "sentence", "paragraph": "paragraph"}


class Selecting:
    def __init__(
        self, document: DocumentModel, view: ArticleView, editor: Editor, shell: Shell
    ) -> None:
        self.document = document
        self.view = view
        self.editor = editor
        self.shell = shell
        self._units: dict[str, list[text_units.Unit]] = {}
        self._text_of_units: str | None = None

    def _found(self, kind: str) -> list[text_units.Unit]:
        """The article's sentences or paragraphs, found once per text shown."""
        text = self.view.text
        if text is not self._text_of_units:
            self._units.clear()
            self._text_of_units = text
        if kind not in self._units:
            self._units[kind] = (
                text_units.quotations(text) if kind == "quotation" else text_units.units(text, kind)
            )
        return self._units[kind]

    def _say(self, message: str) -> None:
        self.shell.say(message, 4000)

    # -- spans in text order ----------------------------------------------------------------

    def span_step(self, forward: bool) -> None:
        """Select the next (or previous) span in the text after the selected one, or after the
        caret; past the last, the first again."""
        spans = sorted(self.document.spans.values(), key=lambda s: (s.start, s.end, s.id or 0))
        if not spans:
            self._say("No spans in this document yet: select text, then press a label's key.")
            return
        keys = [(s.start, s.end, s.id or 0) for s in spans]
        chosen = self.document.selected_span
        if chosen is not None:
            at = (chosen.start, chosen.end, chosen.id or 0)
            i = keys.index(at) + (1 if forward else -1) if at in keys else 0
        else:
            caret = self.view.caret_cp()
            after = [k for k in keys if k[0] >= caret] if forward else []
            before = [k for k in keys if k[0] < caret] if not forward else []
            i = keys.index(after[0]) if after else (keys.index(before[-1]) if before else 0)
            if forward and not after:
                i = len(keys)
        wrapped = not 0 <= i < len(spans)
        span = spans[i % len(spans)]
        self.view.clear_selection()
        self.editor.select(span.id, reveal=True)
        if wrapped and len(spans) > 1:
            self._say(f"Back to the {'first' if forward else 'last'} span.")

    # -- sentences and paragraphs -----------------------------------------------------------

    def select_unit(self, kind: str) -> None:
        """Select the sentence (or paragraph) at the caret; when the selection is whole ones
        already, add the next."""
        found = self._found(kind)
        selection = self.view.selection_cp()
        caret = selection[0] if selection else self.view.caret_cp()
        chosen = text_units.select(found, selection, caret)
        if chosen is None:
            self._say(f"No {_NAMES[kind]} here.")
            return
        if chosen == selection:
            self._say(f"That is the last {_NAMES[kind]}.")
            return
        self.editor.select(None)
        self.view.select_cp(*chosen)

    def select_quotation(self) -> None:
        """Select the quotation at the caret, or the next one; again, the one after."""
        found = self._found("quotation")
        selection = self.view.selection_cp()
        caret = selection[0] if selection else self.view.caret_cp()
        chosen = text_units.next_quotation(found, selection, caret)
        if chosen is None:
            self._say("No quotation after the caret.")
            return
        self.editor.select(None)
        self.view.select_cp(*chosen)

    def caret_step(self, forward: bool, kind: str = "sentence") -> None:
        """The caret to the start of the next sentence, or of this one (the one before when
        it is at a start already)."""
        found = self._found(kind)
        selection = self.view.selection_cp()
        caret = (selection[1] if forward else selection[0]) if selection else self.view.caret_cp()
        target = (
            text_units.next_start(found, caret)
            if forward
            else text_units.previous_start(found, caret)
        )
        if target is None:
            self._say(f"No {'next' if forward else 'previous'} {_NAMES[kind]}.")
            return
        self.editor.select(None)
        self.view.select_cp(target, target)
