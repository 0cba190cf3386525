"""Suggestions drawn over the article: an outline in the label's colour and no fill.

An annotation is a filled highlight (the article's highlighter); a suggestion is only proposed,
so it is drawn as a dashed outline around its text, and the selected one as a thicker solid
outline. The overlay is a transparent widget laid over the article's viewport (a sibling of it,
so the viewport's own scrolling never moves it) that paints only the blocks on screen, so its
cost follows what is visible, not how many suggestions the document holds. It also answers
"which suggestions are under this point" for clicks and the tooltip.

The suggestions are the document model's (``DocumentModel.suggestions``); the overlay keeps
only where they sit in Qt's units (UTF-16 positions, text blocks).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QTextBlock

from annotator.gui import theme
from annotator.gui.article.overlay import ViewportOverlay
from annotator.gui.article.view import ArticleView
from annotator.model import Span
from annotator.session.document_model import SUGGESTION, ItemChanges, Selection

# setPlainText starts a new block after each of these (the stored text holds no "\r").
_BLOCK_BREAK = re.compile("[\n\u2029]")
DASHED_WIDTH = 1.5
SELECTED_WIDTH = 2.5


@dataclass(slots=True)
class _Placed:
    span_id: int
    label: str
    qs: int  # UTF-16
    qe: int
    first_block: int
    last_block: int


def _x(found: object) -> float:
    """The x of ``QTextLine.cursorToX``, which the binding returns with the position."""
    return float(found[0] if isinstance(found, tuple) else found)  # type: ignore[arg-type]


class _Placement:
    """The suggestions by text block, in UTF-16 positions.

    The blocks' starts are found only once a suggestion is placed: most documents have none,
    and finding them in a long article costs more than the rest of opening it.
    """

    def __init__(self, starts: Callable[[], list[int]]) -> None:
        self._find_starts = starts
        self._starts: list[int] | None = None
        self.placed: dict[int, _Placed] = {}
        self.by_block: dict[int, dict[int, _Placed]] = {}

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = self._find_starts()
        return self._starts

    def _block_of(self, u16: int) -> int:
        return max(bisect_right(self.starts, u16) - 1, 0)

    def add(self, span_id: int, label: str, qs: int, qe: int) -> None:
        self.remove(span_id)
        p = _Placed(span_id, label, qs, qe, self._block_of(qs), self._block_of(max(qe - 1, qs)))
        self.placed[span_id] = p
        for n in range(p.first_block, p.last_block + 1):
            self.by_block.setdefault(n, {})[span_id] = p

    def remove(self, span_id: int) -> None:
        p = self.placed.pop(span_id, None)
        if p is None:
            return
        for n in range(p.first_block, p.last_block + 1):
            here = self.by_block.get(n)
            if here is not None:
                here.pop(span_id, None)
                if not here:
                    del self.by_block[n]

    def in_block(self, n: int) -> list[_Placed]:
        here = self.by_block.get(n)
        return list(here.values()) if here else []


class SuggestionOverlay(ViewportOverlay):
    """Draws the open document's suggestions over ``view``, each in its label's colour."""

    def __init__(self, view: ArticleView, colours: Callable[[], dict[str, str]]) -> None:
        super().__init__(view, colours, "suggestionOverlay")
        self.placement = _Placement(lambda: [0])
        self.model.events.loaded.connect(self._loaded)
        self.model.events.changed.connect(self._changed)
        self.model.events.selected.connect(self._selected)
        self.show_on_top()

    # -- following the model -------------------------------------------------------------

    def _loaded(self) -> None:
        text, offsets = self.model.text, self.view.offsets

        def starts() -> list[int]:
            return [0] + [offsets.to_utf16(m.end()) for m in _BLOCK_BREAK.finditer(text)]

        self.placement = _Placement(starts)
        for s in self.model.suggestions.values():
            self._place(s)
        self.update()

    def _place(self, span: Span) -> None:
        assert span.id is not None
        to16 = self.view.offsets.to_utf16
        self.placement.add(span.id, span.label, to16(span.start), to16(span.end))

    def _changed(self, found: ItemChanges[Span]) -> None:
        if found.kind != SUGGESTION:
            return
        for s in found.removed:
            assert s.id is not None
            self.placement.remove(s.id)
        for s in found.added:
            self._place(s)
        for _, after in found.updated:
            self._place(after)
        self.update()

    def _selected(self, now: Selection | None, previous: Selection | None) -> None:
        if SUGGESTION in (now.kind if now else None, previous.kind if previous else None):
            self.update()

    # -- following the view ---------------------------------------------------------------

    def _view_updated(self, rect: QRect, dy: int) -> None:
        if dy or rect.contains(self.rect()):
            self.update()
        else:
            self.update(rect)

    # -- where the suggestions are on screen ----------------------------------------------

    def _visible_blocks(self, top: float, bottom: float) -> Iterator[tuple[QTextBlock, QPointF]]:
        """The blocks between ``top`` and ``bottom`` (viewport pixels), each with the point
        where its layout is drawn."""
        view = self.view
        offset = view.contentOffset()
        block = view.firstVisibleBlock()
        while block.isValid():
            geometry = view.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > bottom:
                break
            if geometry.bottom() >= top:
                yield block, geometry.topLeft() + block.layout().position()
            block = block.next()

    def _rects(self, block: QTextBlock, origin: QPointF, p: _Placed) -> list[QRectF]:
        """One rectangle per line the suggestion covers in ``block``."""
        base = block.position()
        start, end = max(p.qs - base, 0), min(p.qe - base, block.length() - 1)
        layout = block.layout()
        rects = []
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            a = max(start, line.textStart())
            b = min(end, line.textStart() + line.textLength())
            if a >= b:
                continue
            x1, x2 = _x(line.cursorToX(a)), _x(line.cursorToX(b))
            rect = QRectF(min(x1, x2), line.y(), abs(x2 - x1), line.height())
            rects.append(rect.translated(origin))
        return rects

    def suggestions_at(self, point: QPoint) -> list[int]:
        """Ids of the suggestions drawn under ``point`` (viewport pixels), shortest first."""
        y = float(point.y())
        hits: list[_Placed] = []
        for block, origin in self._visible_blocks(y, y):
            for p in self.placement.in_block(block.blockNumber()):
                if any(r.contains(QPointF(point)) for r in self._rects(block, origin, p)):
                    hits.append(p)
        return [p.span_id for p in sorted(hits, key=lambda p: (p.qe - p.qs, p.span_id))]

    def outline_rects(self, span_id: int) -> list[QRectF]:
        """Where a suggestion's outline is drawn now (empty when it is off screen)."""
        p = self.placement.placed.get(span_id)
        if p is None:
            return []
        rects: list[QRectF] = []
        for block, origin in self._visible_blocks(0, self.height()):
            if p.first_block <= block.blockNumber() <= p.last_block:
                rects += self._rects(block, origin, p)
        return rects

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.placement.placed:
            return
        chosen = self.model.selection
        selected = chosen.id if chosen is not None and chosen.kind == SUGGESTION else None
        palette = self.view.palette()
        colours = self.colours()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        clip = event.rect()
        last: list[tuple[QColor, list[QRectF]]] = []
        for block, origin in self._visible_blocks(clip.top(), clip.bottom()):
            for p in self.placement.in_block(block.blockNumber()):
                colour = theme.underline_colour(QColor(colours.get(p.label, "#888888")), palette)
                rects = self._rects(block, origin, p)
                if p.span_id == selected:
                    last.append((colour, rects))  # drawn on top of the others
                    continue
                pen = QPen(colour, DASHED_WIDTH, Qt.PenStyle.DashLine)
                pen.setDashPattern([3.0, 2.0])
                painter.setPen(pen)
                for rect in rects:
                    painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 3, 3)
        for colour, rects in last:
            painter.setPen(QPen(colour, SELECTED_WIDTH))
            for rect in rects:
                painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 3, 3)
        painter.end()
