"""Review mode: a curator builds the curated layer of one document from the analysts' spans.

In review mode the article and the span list show the curated layer (spans with origin
``curated``), edited like any spans; the review panel lists every analyst's spans on the
document. Accepting puts spans into the curated layer; each accept is one step on the
editor's undo stack and reaches the views through the shell's ``apply_changes``, like every
change. Whether review mode is on is the project model's (``reviewing``); the window follows it.
Marking the document done settles it (a ``curations`` row), also one undoable step; the
curator's own status is left alone, so a curator never becomes one of the analysts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.changes import Changes, changes_of
from annotator.gui.commands.spans import (
    ChangeListener,
    StoreCommand,
    _renamed,
    _user_errors,
    expect_stored,
)
from annotator.gui.panels.review_panel import ReviewPanel
from annotator.gui.panels.span_list import preview
from annotator.model import Relation, Span

if TYPE_CHECKING:
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.controllers.shell import Shell
    from annotator.gui.panels.document_list import DocumentList
    from annotator.session.document_model import DocumentModel
    from annotator.session.project_model import Applied, ProjectModel
    from annotator.store.project import Store
    from annotator.team.layers import LayerSpan

Key = tuple[int, int, str]


class AcceptSpans(StoreCommand):
    """Spans (and the relations between them) put into the curated layer together: undone
    together."""

    def __init__(
        self,
        text: str,
        spans: list[Span],
        store: Store,
        listener: ChangeListener,
        relations: list[Relation] | None = None,
        replaced: list[Span] | None = None,
    ):
        super().__init__(text, store, listener)
        self.spans = spans
        self.relations = relations or []
        #: Curated variants the accepted span took the place of, and their relations.
        self.replaced = replaced or []
        self.replaced_relations: list[Relation] = []

    def pushed_after(self, changes: Changes) -> StoreCommand:
        self.replaced_relations = [
            c.before for c in changes.relations.values() if c.before is not None and c.after is None
        ]
        return super().pushed_after(changes)

    @property
    def document_id(self) -> int | None:
        return (self.spans or self.relations)[0].document_id

    def _select(self, forward: bool) -> int | None:
        return self.spans[0].id if forward and len(self.spans) == 1 else None

    def _forward(self) -> Changes:
        changes = Changes()
        with self.store.transaction():
            for old in self.replaced:
                expect_stored(self.store, old)
                assert old.id is not None
                changes = changes | changes_of(self.store.spans.delete(old.id))
            restored = [self.store.spans.restore(s) for s in self.spans]
            linked = [self.store.relations.restore(r) for r in self.relations]
        for made in [*restored, *linked]:
            changes = changes | changes_of(made)
        self.spans = restored
        return changes

    def _backward(self) -> Changes:
        changes = Changes()
        with self.store.transaction():
            for s in self.spans:
                expect_stored(self.store, s)
            for r in self.relations:  # those between spans curated before go on their own
                assert r.id is not None
                if r.head not in {s.id for s in self.spans} and r.child not in {
                    s.id for s in self.spans
                }:
                    changes = changes | changes_of(self.store.relations.delete(r.id))
            for s in self.spans:
                assert s.id is not None
                changes = changes | changes_of(self.store.spans.delete(s.id))
            for old in self.replaced:  # the variants come back, with their relations
                changes = changes | changes_of(self.store.spans.restore(old))
            for relation in self.replaced_relations:
                changes = changes | changes_of(self.store.relations.restore(relation))
        return changes

    def follow_rename(self, old: str, new: str) -> None:
        self.spans = [_renamed(s, old, new) for s in self.spans]


class SettleDocument(StoreCommand):
    """A document settled (or, ``settled=False``, taken back out of the settled ones); the
    changes say so, and the views that show settling follow them."""

    def __init__(self, document: int, settled: bool, store: Store, listener: ChangeListener):
        super().__init__("Settle document" if settled else "Unsettle document", store, listener)
        self._document = document
        self.settled = settled

    @property
    def document_id(self) -> int | None:
        return self._document

    def _write(self, settled: bool) -> Changes:
        from annotator.team.curation import settle, unsettle

        return (settle if settled else unsettle)(self.store, self._document)

    def _forward(self) -> Changes:
        return self._write(self.settled)

    def _backward(self) -> Changes:
        return self._write(not self.settled)


class Review:
    """Review mode's panel (which the window docks under the article) and its gestures."""

    def __init__(
        self,
        project: ProjectModel,
        document: DocumentModel,
        view: ArticleView,
        editor: Editor,
        documents: DocumentList,
        shell: Shell,
    ) -> None:
        self.project = project
        self.document = document
        self.view = view
        self.editor = editor
        self.documents = documents
        self.shell = shell
        self.panel = ReviewPanel()
        events = document.events
        events.loaded.connect(self._loaded)
        events.changed.connect(lambda _found: self._show_accepted())
        project.events.changed.connect(self._follow)
        self.panel.table.selectionModel().currentRowChanged.connect(self._row_chosen)

    @property
    def active(self) -> bool:
        return self.project.reviewing

    @property
    def store(self) -> Store | None:
        return self.project.store

    def _say(self, message: str) -> None:
        self.shell.say(message, 6000)

    # -- the mode ---------------------------------------------------------------------------

    def set_active(self, active: bool) -> None:
        """Review mode on or off: the project model says so, and the window follows it."""
        if active == self.project.reviewing:
            return
        self.project.set_reviewing(active)
        if active:
            self._loaded()
            self._say("Review mode: the article shows the curated layer.")
        else:
            self.panel.model.set_spans([], set())

    # -- what the panel shows ---------------------------------------------------------------

    def _curated_keys(self) -> set[Key]:
        return {(s.start, s.end, s.label) for s in self.document.spans.values()}

    def _loaded(self) -> None:
        """A document opened (or review mode began): read its analysts' spans."""
        if not self.active:
            return
        from annotator.team.layers import document_layers

        doc = self.document.document_id
        store = self.store
        if store is None or doc is None:
            self.panel.model.set_spans([], set())
            self.panel.show_settled(None)
            return
        spans = document_layers(store, doc)
        analysts = sorted({who for s in spans for who in s.analysts})
        labels = [lab.name for lab in self.project.labels]
        colours = self.project.colours()
        self.panel.model.set_colours(colours, analysts)
        self.panel.model.set_spans(spans, self._curated_keys())
        self.panel.set_choices(analysts, labels)
        self.panel.fit_labels(labels)
        self._show_settled(doc)
        if spans:
            self.panel.select_row(0)

    def _follow(self, applied: Applied) -> None:
        """What another program did (a merge may have brought more spans), and renamed or
        deleted labels, are read again into the panel; settling is shown as it is now."""
        changes = applied.changes
        for doc, curator in changes.settled.items():
            if self.active and doc == self.document.document_id:
                self.panel.show_settled(curator)
        if not applied.ours or changes.labels:
            self.reread()

    def reread(self) -> None:
        """The analysts' spans again, after a refresh (a merge may have brought more); the
        chosen row stays where it was."""
        if not self.active:
            return
        row = self.panel.table.currentIndex().row()
        self._loaded()
        if row >= 0:
            self.panel.select_row(min(row, len(self.panel.model.rows) - 1))

    def _show_accepted(self) -> None:
        if self.active:
            self.panel.model.set_accepted(self._curated_keys())

    def _show_settled(self, doc: int) -> None:
        from annotator.team.curation import curator_of

        if self.store is None or doc != self.document.document_id:
            return
        self.panel.show_settled(curator_of(self.store, doc))

    def _row_chosen(self, current, _previous) -> None:
        """Show the chosen span in the article: its curated twin selected when accepted,
        else its text selected (a label key then makes it a curated span of that label)."""
        if not current.isValid() or not self.active:
            return
        span = self.panel.model.rows[current.row()]
        view = self.view
        twin = next(
            (s for s in self.document.spans.values() if (s.start, s.end, s.label) == span.key),
            None,
        )
        if twin is not None:
            view.clear_selection()
            self.editor.select(twin.id, reveal=True)
        else:
            self.editor.select(None)
            view.select_cp(span.start, span.end)

    # -- accepting --------------------------------------------------------------------------

    def accept_selected(self) -> None:
        span = self.panel.current()
        if span is None:
            self._say("Choose a span in the review panel to accept it.")
            return
        if span.key in self._curated_keys():
            self._say("That span is in the curated layer already.")
        else:
            start, end, label = span.key
            variants = [
                s
                for s in self.document.spans.values()
                if s.label == label and s.start < end and start < s.end
            ]
            self._accept([span.key], f"Accept {span.label}", replacing=variants)
        row = self.panel.table.currentIndex().row()
        self.panel.select_row(min(row + 1, len(self.panel.model.rows) - 1))

    def accept_agreed(self) -> None:
        from annotator.team.curation import curate_document
        from annotator.team.layers import done_on

        doc = self.document.document_id
        if self.store is None or doc is None:
            return
        done = done_on(self.store, doc)
        if len(done) < 2:
            self._say("Fewer than two analysts marked this document done: nothing is agreed yet.")
            return
        store = self.store
        try:
            changes = curate_document(store, doc)  # as `annotator curate --agreed` does
        except _user_errors() as e:
            self._say(f"Not accepted: {e}")
            return
        spans = [c.after for c in changes.spans.values() if c.after is not None]
        relations = [c.after for c in changes.relations.values() if c.after is not None]
        if not spans and not relations:
            self._say(f"Agreed by {', '.join(done)} (who marked it done): nothing more to accept.")
            return
        text = f"Accept {len(spans)} agreed span{'' if len(spans) == 1 else 's'}"
        if relations:
            text += f" and {len(relations)} relation{'' if len(relations) == 1 else 's'}"
        command = AcceptSpans(text, spans, store, self.shell, relations)
        self.editor.undo_stack.push(command.pushed_after(changes))
        self._say(f"{text}: in the curated layer.")

    def accept_layer(self) -> None:
        """Accept every span of one label from one analyst: those the panel's filters name,
        or the chosen row's label and analyst where a filter is left at "every"."""
        row = self.panel.current()
        analyst = self.panel.analyst.currentData()
        label = self.panel.label.currentData()
        if analyst is None and row is not None and len(row.analysts) == 1:
            analyst = row.analysts[0]
        if label is None and row is not None:
            label = row.label
        if analyst is None or label is None:
            self._say("Choose an analyst and a label (filters above the list, or a row).")
            return
        have = self._curated_keys()
        keys = [
            s.key
            for s in self.panel.model.every
            if s.label == label and analyst in s.analysts and s.key not in have
        ]
        if not keys:
            self._say(f"Every {label} of {analyst}'s is in the curated layer already.")
            return
        self._accept(keys, f"Accept {analyst}'s {label} spans")

    def _accept(self, keys: list[Key], text: str, replacing: list[Span] | None = None) -> None:
        """Put spans into the curated layer, one undo step. ``replacing``: curated variants of
        the same label at an overlapping place, which the accepted span takes the place of
        (so the gold never holds two versions of one span)."""
        doc = self.document.document_id
        store = self.store
        replaced = replacing or []
        if store is None or doc is None:
            return
        changes = Changes()
        try:
            with store.transaction():
                for old in replaced:
                    assert old.id is not None
                    changes = changes | changes_of(store.spans.delete(old.id))
                made = [
                    store.spans.add(doc, start, end, label, origin="curated")
                    for start, end, label in keys
                ]
        except _user_errors() as e:
            self._say(f"Not accepted: {e}")
            return
        for span in made:
            changes = changes | changes_of(span)
        command = AcceptSpans(text, list(made), store, self.shell, replaced=replaced)
        self.editor.undo_stack.push(command.pushed_after(changes))
        if replaced:
            was = ", ".join(f"\u201c{preview(s.text, 30)}\u201d" for s in replaced)
            self._say(f"{text}: in the curated layer, in place of {was}.")
        else:
            self._say(f"{text}: {len(made)} in the curated layer.")

    # -- settling ---------------------------------------------------------------------------

    def _settle(self, settled: bool) -> bool:
        from annotator.team.curation import is_settled

        doc = self.document.document_id
        store = self.store
        if store is None or doc is None:
            return False
        if is_settled(store, doc) == settled:
            return True
        command = SettleDocument(doc, settled, store, self.shell)
        try:
            changes = command._write(settled)
        except _user_errors() as e:  # a lock or the disk: say so, change nothing
            self._say(f"Not changed: {e}")
            return False
        self.editor.undo_stack.push(command.pushed_after(changes))
        return True

    def settle_and_next(self) -> None:
        if self._settle(True):
            self.next_unsettled()

    def unsettle(self) -> None:
        from annotator.team.curation import is_settled

        doc = self.document.document_id
        if self.store is None or doc is None:
            return
        if not is_settled(self.store, doc):
            self._say("This document is not settled.")
            return
        self._settle(False)

    def next_unsettled(self) -> None:
        from annotator.team.curation import next_unsettled

        if self.store is None:
            return
        target = next_unsettled(self.store, self.document.document_id)
        if target is None:
            self._say("Every document is settled.")
            return
        if target != self.document.document_id:
            self.shell.open_document(target)

    def focus(self) -> None:
        self.panel.table.setFocus()

    def rows(self) -> list[LayerSpan]:
        return list(self.panel.model.rows)
