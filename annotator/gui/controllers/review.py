"""Review mode: a curator builds the curated layer of one document from the analysts' spans
and relations.

In review mode the article and the span list show the curated layer (spans with origin
``curated``), edited like any spans; the review panel lists every analyst's spans and
relations on the document. Accepting puts them into the curated layer (a relation with its
ends), rejecting takes them out; each accept is one step on the
editor's undo stack and reaches the views through the shell's ``apply_changes``, like every
change. Whether review mode is on is the project model's (``reviewing``); the window follows it.
Marking the document done settles it (a ``curations`` row), also one undoable step; the
curator's own status is left alone, so a curator never becomes one of the analysts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.changes import Changes, changes_of
from annotator.gui.commands.relations import DeleteRelation
from annotator.gui.commands.spans import (
    ChangeListener,
    DeleteSpan,
    StoreCommand,
    _renamed,
    _user_errors,
    expect_stored,
)
from annotator.gui.panels.review_panel import ReviewPanel, is_relation, row_label
from annotator.gui.panels.span_list import preview
from annotator.model import Relation, Span

if TYPE_CHECKING:
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.controllers.shell import Shell
    from annotator.gui.panels.document_list import DocumentList
    from annotator.gui.panels.review_panel import Row, RowKey
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

    def _curated_relations(self) -> dict[RowKey, Relation]:
        """The curated relations the article shows, by their ends' places and labels and
        their type (as the review panel keys its relation rows)."""
        spans = self.document.spans
        out: dict[RowKey, Relation] = {}
        for relation in self.document.relations.values():
            head, child = spans.get(relation.head), spans.get(relation.child)
            if head is not None and child is not None:
                key = ((head.start, head.end, head.label), (child.start, child.end, child.label))
                out[(key[0], key[1], relation.label)] = relation
        return out

    def _accepted(self) -> set[RowKey]:
        return {*self._curated_keys(), *self._curated_relations()}

    def _loaded(self) -> None:
        """A document opened (or review mode began): read its analysts' spans."""
        if not self.active:
            return
        from annotator.team.layers import document_layers, document_relations, done_on

        doc = self.document.document_id
        store = self.store
        if store is None or doc is None:
            self.panel.model.set_spans([], set())
            self.panel.show_settled(None)
            return
        spans: list[Row] = [*document_layers(store, doc), *document_relations(store, doc)]
        analysts = sorted({who for s in spans for who in s.analysts})
        labels = [lab.name for lab in self.project.labels]
        kinds = sorted({row.kind for row in spans if is_relation(row)})
        colours = self.project.colours()
        self.panel.model.set_colours(colours, analysts)
        self.panel.model.set_spans(spans, self._accepted(), done_on(store, doc))
        self.panel.set_choices(analysts, labels, kinds)
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
            self.panel.model.set_accepted(self._accepted())

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
        row = self.panel.model.rows[current.row()]
        if is_relation(row):
            chosen = self._curated_relations().get(row.key)
            self.editor.select(None)
            self.view.select_cp(row.head.start, row.head.end)
            if chosen is not None:
                self.shell.say(f"This {row.kind} is in the curated layer.", 3000)
            return
        span: LayerSpan = row
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
        row = self.panel.current()
        if row is None:
            self._say("Choose a span or a relation in the review panel to accept it.")
            return
        if row.key in self._accepted():
            self._say(f"That {self._noun(row)} is in the curated layer already.")
        else:
            self._accept([row], f"Accept {self._noun(row)}", replace=True)
        self._next_row()

    def reject_selected(self) -> None:
        """Leave the chosen row out of the curated layer: taken out if it was accepted (one
        undoable step), and on to the next row either way."""
        row = self.panel.current()
        store = self.store
        if row is None or store is None:
            self._say("Choose a span or a relation in the review panel to reject it.")
            return
        if is_relation(row):
            relation = self._curated_relations().get(row.key)
            if relation is not None and relation.id is not None:
                gone = self._write(store.relations.delete, relation.id)
                if gone is not None:
                    command = DeleteRelation(relation, store, self.shell)
                    self.editor.undo_stack.push(command.pushed_after(changes_of(gone)))
                    self._say(f"Rejected: the {row.kind} is out of the curated layer.")
            else:
                self._say(f"Rejected: the {row.kind} stays out of the curated layer.")
        else:
            twin = next(
                (s for s in self.document.spans.values() if (s.start, s.end, s.label) == row.key),
                None,
            )
            if twin is not None and twin.id is not None:
                removed = self._write(store.spans.delete, twin.id)
                if removed is not None:
                    deleting = DeleteSpan(twin, store, self.shell)
                    self.editor.undo_stack.push(deleting.pushed_after(changes_of(removed)))
                    self._say(f"Rejected: the {twin.label} is out of the curated layer.")
            else:
                self._say(f"Rejected: the {row_label(row)} stays out of the curated layer.")
        self._next_row()

    def _write(self, write, *args):
        try:
            return write(*args)
        except _user_errors() as e:
            self._say(f"Not changed: {e}")
            return None

    def _next_row(self) -> None:
        row = self.panel.table.currentIndex().row()
        self.panel.select_row(min(row + 1, len(self.panel.model.rows) - 1))

    @staticmethod
    def _noun(row: Row) -> str:
        return f"{row.kind} relation" if is_relation(row) else row.label

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
        """Accept every span of one label (or every relation of one type) from one analyst:
        those the panel's filters name, or the chosen row's where a filter is left at
        "every"."""
        row = self.panel.current()
        analyst = self.panel.analyst.currentData()
        label = self.panel.label.currentData()
        if analyst is None and row is not None and len(row.analysts) == 1:
            analyst = row.analysts[0]
        if label is None and row is not None:
            label = row_label(row)
        if analyst is None or label is None:
            self._say("Choose an analyst and a label (filters above the list, or a row).")
            return
        have = self._accepted()
        rows = [
            s
            for s in self.panel.model.every
            if row_label(s) == label and analyst in s.analysts and s.key not in have
        ]
        if not rows:
            self._say(f"Every {label} of {analyst}'s is in the curated layer already.")
            return
        self._accept(
            rows, f"Accept {analyst}'s {label} {'relations' if is_relation(rows[0]) else 'spans'}"
        )

    def _accept(self, rows: list[Row], text: str, replace: bool = False) -> None:
        """Put rows into the curated layer, one undo step: a span, or a relation with those of
        its ends the curated layer does not hold yet. With ``replace``, a curated variant of the
        same label at an overlapping place gives way to the accepted span (so the gold never
        holds two versions of one span)."""
        doc = self.document.document_id
        store = self.store
        if store is None or doc is None:
            return
        curated = {(s.start, s.end, s.label): s for s in self.document.spans.values()}
        linked = set(self._curated_relations())
        made: list[Span] = []
        relations: list[Relation] = []
        replaced: list[Span] = []
        changes = Changes()

        def curated_span(key: Key) -> Span:
            nonlocal changes
            twin = curated.get(key)
            if twin is not None:
                return twin
            start, end, label = key
            if replace:
                for old in [s for s in curated.values() if s not in made]:
                    if old.label == label and old.start < end and start < old.end:
                        assert old.id is not None
                        changes = changes | changes_of(store.spans.delete(old.id))
                        replaced.append(old)
                        del curated[(old.start, old.end, old.label)]
            twin = curated[key] = store.spans.add(doc, start, end, label, origin="curated")
            made.append(twin)
            return twin

        try:
            with store.transaction():
                for row in rows:
                    if not is_relation(row):
                        curated_span(row.key)
                    elif row.key not in linked:
                        head = curated_span(row.head.key)
                        child = curated_span(row.child.key)
                        assert head.id is not None and child.id is not None
                        kind = row.kind
                        relations.append(
                            store.relations.add(head.id, child.id, kind, origin="curated")
                        )
                        linked.add(row.key)
        except _user_errors() as e:
            self._say(f"Not accepted: {e}")
            return
        for item in [*made, *relations]:
            changes = changes | changes_of(item)
        command = AcceptSpans(text, made, store, self.shell, relations, replaced=replaced)
        self.editor.undo_stack.push(command.pushed_after(changes))
        if replaced:
            was = ", ".join(f"\u201c{preview(s.text, 30)}\u201d" for s in replaced)
            self._say(f"{text}: in the curated layer, in place of {was}.")
        else:
            self._say(f"{text}: {self._counted(made, relations)} in the curated layer.")

    @staticmethod
    def _counted(spans: list[Span], relations: list[Relation]) -> str:
        parts = []
        if spans:
            parts.append(f"{len(spans)} span{'' if len(spans) == 1 else 's'}")
        if relations:
            parts.append(f"{len(relations)} relation{'' if len(relations) == 1 else 's'}")
        return " and ".join(parts) or "nothing new"

    # -- sending back -----------------------------------------------------------------------

    def _analyst_shown(self) -> str | None:
        """The analyst whose work the panel shows: the one its filter names, else the one who
        alone made the chosen row, else the document's only analyst."""
        named = self.panel.analyst.currentData()
        if named is not None:
            return str(named)
        row = self.panel.current()
        if row is not None and len(row.analysts) == 1:
            return row.analysts[0]
        everyone = {who for r in self.panel.model.every for who in r.analysts}
        return everyone.pop() if len(everyone) == 1 else None

    def send_back(self) -> None:
        """Send the document back to the analyst the panel shows, for correction, with a note
        asked for (and about their span chosen in the panel, unless the curator says not)."""
        from annotator.gui.dialogs.send_back import SendBackDialog
        from annotator.model import Refused
        from annotator.team.send_back import send_back_documents, spans_at

        doc, store = self.document.document_id, self.store
        if store is None or doc is None or not self.active:
            return
        analyst = self._analyst_shown()
        if analyst is None:
            self._say(
                "Choose the analyst to send this document back to: the panel's Analyst filter, "
                "or a span only they made."
            )
            return
        row = self.panel.current()
        about: list[int] = []
        span = None
        if row is not None and not is_relation(row) and analyst in row.analysts:
            chosen: LayerSpan = row
            about = spans_at(store.conn, doc, analyst, [chosen.key])
            span = f"{chosen.label} “{preview(chosen.text, 40)}”" if about else None
        title = store.documents.row(doc).title
        dialog = SendBackDialog(analyst, title, span, self.view.window())
        if not self.shell.exec_dialog(dialog):
            self._say("Not sent back.")
            return
        refused: tuple[type[Exception], ...] = (Refused, *_user_errors())
        try:
            send_back_documents(
                store, [doc], analyst, dialog.text(), about if dialog.about.isChecked() else []
            )
        except refused as e:
            self._say(f"Not sent back: {e}")
            return
        self._say(
            f"Sent back to {analyst}: their next packet carries it, with your note, first in "
            "their queue."
        )

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

    def rows(self) -> list[Row]:
        return list(self.panel.model.rows)
