"""The project the window has open, as one plain model its parts read and listen to.

Beside the open document (:mod:`annotator.session.document_model`) the window needs to know
the project: the store, its labels, whether it holds several analysts' work, who is
annotating, whether the curator is reviewing and whether everyone's spans are shown. That
state lives here, once; the controllers and panels read it and connect to its events instead
of asking the window. No Qt: events are plain callbacks, as the document model's are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.changes import Changes, apply_to_labels
from annotator.session.document_model import Event
from annotator.session.layers import CURATED, EVERYONE, MINE, Layer

if TYPE_CHECKING:
    from annotator.model import Label
    from annotator.store.project import Store


@dataclass(frozen=True)
class Applied:
    """One change on its way to the views: what changed, the document to show it in (an undo
    in another document opens it first), the span to select after, and whether it was this
    window's own doing (``ours``) or what another program did."""

    changes: Changes
    document: int | None = None
    select: int | None = None
    ours: bool = True


class ProjectEvents:
    """``opened(store)`` / ``closed()``: a project was opened or closed; ``changed(Applied)``:
    a write (any road: an edit, undo, a dialog, an import, another program) changed the
    project; ``labels(list[Label])``: the label scheme changed; ``mode()``: the layer shown
    changed (review mode, everyone's spans, the analyst's name, a team project);
    ``analyst(name)``: the analyst's name changed."""

    def __init__(self) -> None:
        self.changed = Event()
        self.opened = Event()
        self.closed = Event()
        self.labels = Event()
        self.mode = Event()
        self.analyst = Event()


class ProjectModel:
    """One open project (or none) and how the window shows it."""

    def __init__(self, annotator: str = "") -> None:
        self.store: Store | None = None
        self.labels: list[Label] = []
        #: The project holds several analysts' work (a team project built by merge).
        self.team = False
        #: The curator's review mode: the curated layer is shown and edited.
        self.reviewing = False
        #: Everyone's spans are shown (View → Everyone's spans); else the analyst's own.
        self.everyone = True
        self._annotator = annotator
        self.events = ProjectEvents()

    # -- the project ---------------------------------------------------------------------------

    def open(self, store: Store) -> None:
        """Take ``store`` as the open project; its labels and whether it is a team's are read."""
        self.store = store
        self.labels = store.labels.all()
        self.team = len(store.statuses.analysts()) > 1
        self.everyone = not self.team
        self.events.opened.emit(store)
        self.events.labels.emit(self.labels)
        self.events.mode.emit()

    def close(self) -> None:
        store, self.store = self.store, None
        if store is not None:
            store.close()
            self.events.closed.emit()

    def apply(
        self,
        changes: Changes,
        *,
        document: int | None = None,
        select: int | None = None,
        ours: bool = True,
    ) -> None:
        """The one road of every change to every view: the model's own state follows first
        (the labels), then ``changed`` tells each listener, which takes the part it shows."""
        if changes.labels:
            self.labels = apply_to_labels(self.labels, changes)
            self.events.labels.emit(self.labels)
        self.events.changed.emit(Applied(changes, document, select, ours))

    def require_store(self) -> Store:
        """The open store, for a gesture that is only offered while a project is open."""
        assert self.store is not None, "no project is open"
        return self.store

    # -- who is annotating, and what is shown --------------------------------------------------

    @property
    def annotator(self) -> str:
        return self.store.annotator if self.store is not None else self._annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self._annotator = name
        if self.store is not None:
            self.store.annotator = name
        self.events.analyst.emit(name)
        self.events.mode.emit()

    @property
    def layer(self) -> Layer:
        """The spans shown: the curated layer in review mode, else the analyst's own or
        everyone's."""
        if self.reviewing:
            return Layer(CURATED, self.annotator)
        return Layer(EVERYONE if self.everyone else MINE, self.annotator)

    def set_reviewing(self, on: bool) -> None:
        if on != self.reviewing:
            self.reviewing = on
            self.events.mode.emit()

    def set_team(self, team: bool) -> None:
        """The project came to hold several analysts' work (a merge while it was open), or no
        longer does: each analyst sees their own spans in a team project, every span else."""
        if team != self.team:
            self.team = team
            self.everyone = not team
            self.events.mode.emit()

    def set_everyone(self, on: bool) -> None:
        if on != self.everyone:
            self.everyone = on
            self.events.mode.emit()

    def set_labels(self, labels: list[Label]) -> None:
        self.labels = list(labels)
        self.events.labels.emit(self.labels)

    def colours(self) -> dict[str, str]:
        """Each label's colour by name."""
        return {lab.name: lab.color for lab in self.labels}
