"""The status bar's standing fields: where the open document is, progress, who, last save.

Transient messages ("Not changed: ...") go through ``QStatusBar.showMessage``; these fields
stay. The position counts rows of the document list as it is filtered now, so "Document k of
n" is what the analyst sees in the list; a document outside the filter says so instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QLabel, QStatusBar

if TYPE_CHECKING:
    from annotator.changes import Changes
    from annotator.gui.panels.document_list import DocumentListModel
    from annotator.model import Span
    from annotator.store.project import Store


class StatusFields:
    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.position = QLabel()
        self.position.setObjectName("documentPosition")
        self.counts = QLabel()  # the open document's spans, and its suggestions apart
        self.counts.setObjectName("documentCounts")
        self.progress = QLabel()
        self.progress.setObjectName("projectProgress")
        self.annotator = QLabel()
        self.annotator.setObjectName("annotatorName")
        self.saved = QLabel("No changes yet")
        self.done = self.total = 0
        self.saved.setObjectName("savedState")
        for w in (self.position, self.counts, self.progress, self.annotator, self.saved):
            bar.addPermanentWidget(w)

    def show(self, open_project: bool, documents: DocumentListModel, current: int | None) -> None:
        """Position of ``current`` in the list as shown, and the project's progress."""
        if not open_project:
            self.position.clear()
            self.progress.clear()
            return
        row = documents.row_of(current) if current is not None else None
        if row is not None:
            self.position.setText(f"Document {row + 1} of {documents.rowCount()}")
        elif current is not None:
            self.position.setText(f"Document #{current} (not in the list)")
        else:
            self.position.setText("No document")
        self.progress.setText(f"Done {self.done}/{self.total}")

    def show_counts(self, spans: int | None, suggested: int = 0) -> None:
        """The open document's annotations, and its suggestions apart: "12 spans · 5
        suggested" (None: no document open)."""
        if spans is None:
            self.counts.clear()
            return
        text = f"{spans} span{'' if spans == 1 else 's'}"
        self.counts.setText(text + (f" · {suggested} suggested" if suggested else ""))

    def count(self, store: Store) -> None:
        """Read the project's progress (on opening, and when documents come or go)."""
        self.done, self.total = store.documents.count("done"), store.documents.count()

    def follow(self, changes: Changes) -> None:
        """Keep the progress up to date from what writes changed, without asking the store."""
        for change in changes.documents.values():
            was = change.before is not None and change.before.status == "done"
            now = change.after is not None and change.after.status == "done"
            self.done += int(now) - int(was)

    def show_span(self, span: Span) -> None:
        """Say which span was selected: label, edges, author and note."""
        self.bar.showMessage(
            f"{span.label} [{span.start}, {span.end}) by {span.annotator}"
            + (f" — {span.note}" if span.note else ""),
            4000,
        )

    def show_annotator(self, name: str) -> None:
        self.annotator.setText(f"Annotator: {name}")

    def mark_saved(self, at: str | None = None) -> None:
        """``at`` is a time of day as HH:mm:ss; now when not given."""
        self.saved.setText(f"Saved {at or QTime.currentTime().toString('HH:mm:ss')}")
