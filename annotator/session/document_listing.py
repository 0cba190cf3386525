"""The document list as the window shows it: the documents of a status filter and a search, in
project order or least certain first, read a page at a time as they come into view. No Qt.

The whole project is read along the index of its ids (least certain first, along the index of
the learned model's uncertainties, then the ids): the count comes from the database and a page
from any place in milliseconds, and no document is read before it is shown. A list filtered by
status or search is the ids it held when it was filtered (an array of 8 bytes a document), so
that a document the analyst just marked done keeps its row until the list is filtered again;
its rows too are read a page at a time.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.store.document_marks import curated_among, gold_among, sent_back_documents

if TYPE_CHECKING:
    from annotator.store.documents import DocumentRow
    from annotator.store.project import Store

#: Documents read at a time: a screenful or two.
PAGE = 100


@dataclass
class Page:
    """One page of the list: its rows, and for those documents everyone's statuses (when the
    team column is shown), which a curator settled, the suggestions waiting, and which are
    gold."""

    ids: list[int]
    rows: list[DocumentRow]
    team: dict[int, dict[str, str]] = field(default_factory=dict)
    settled: set[int] = field(default_factory=set)
    suggested: dict[int, int] = field(default_factory=dict)
    gold: set[int] = field(default_factory=set)


class DocumentListing:
    """The documents with the current analyst's ``status`` (all, when None) whose title or
    text holds ``search``, in ``order`` (one of ``store.documents.ORDERS``); ``team``:
    everyone's statuses are read too."""

    page_size = PAGE

    def __init__(
        self,
        store: Store,
        status: str | None = None,
        search: str | None = None,
        *,
        team: bool = False,
        order: str = "project",
    ) -> None:
        self.store = store
        self.team = team
        self.order = order
        self._ids: array[int] | None = None
        self._moved = False  # documents sent back put before the others
        if status is None and not search:
            self.count = store.documents.count()
        else:
            self._ids = array("q", store.documents.ids(status, search, order=order))
            self.count = len(self._ids)
        #: The documents this packet carries back to the analyst for correction: a few,
        #: first in the list, whatever its order.
        self.sent_back = frozenset(self._pin(sent_back_documents(store.conn, store.annotator)))
        #: Whether any document has suggestions waiting (the list then shows how many).
        self.suggestions = store.spans.any_suggested()
        #: Everyone with work in the project, when the team column is shown.
        self.analysts = store.statuses.analysts() if team else []

    def _pin(self, pinned: list[int]) -> list[int]:
        """Put ``pinned`` first in the list (those it holds), and say which those are. In a
        packet they are the first documents already, and nothing need move; else the list is
        its ids, as a filtered one is (a packet is small)."""
        if not pinned:
            return []
        in_place = self._ids is None and self.order == "project"
        if in_place and self.store.documents.page(0, len(pinned)) == sorted(pinned):
            return pinned
        ids = (
            self._ids
            if self._ids is not None
            else array("q", self.store.documents.ids(order=self.order))
        )
        held = set(ids)
        first = [doc for doc in pinned if doc in held]
        chosen = set(first)
        self._ids = array("q", [*first, *(doc for doc in ids if doc not in chosen)])
        self.count = len(self._ids)
        self._moved = True
        return first

    def page(self, number: int, after: int | None = None) -> Page:
        """The ``number``-th page (``after``: the id just before it, when known)."""
        offset = number * PAGE
        if self._ids is None:
            ids = self.store.documents.page(offset, PAGE, after, order=self.order)
        else:
            ids = list(self._ids[offset : offset + PAGE])
        found = {row.id: row for row in self.store.documents.rows_of(ids)}
        ids = [doc for doc in ids if doc in found]  # one another program removed meanwhile
        page = Page(ids, [found[doc] for doc in ids])
        if self.team:
            page.team = self.store.statuses.of_documents(ids)
            page.settled = curated_among(self.store.conn, ids)
        if self.suggestions:
            page.suggested = self.store.spans.suggested_counts(ids)
        page.gold = gold_among(self.store.conn, ids)
        return page

    def position(self, document_id: int) -> int | None:
        """A document's row in the list (None when it is not in it)."""
        if self._ids is None:
            return self.store.documents.position(document_id, order=self.order)
        if self.order != "project" or self._moved:  # not sorted by id: looked for (a
            # million in 25 ms)
            try:
                return self._ids.index(document_id)
            except ValueError:
                return None
        i = bisect_left(self._ids, document_id)
        return i if i < len(self._ids) and self._ids[i] == document_id else None

    def any_suggestions(self) -> bool:
        """Whether any document has suggestions waiting now (after a change to them)."""
        self.suggestions = self.store.spans.any_suggested()
        return self.suggestions
