"""Relations drawn over the article: a thin arc in the type's colour from the head span's first
line to the child's, a dot at the head and an arrowhead at the child.

Like the suggestion overlay, a transparent widget over the article's viewport. It paints only
the relations with an end on screen (an end above or below the view is drawn at that edge, so
the arc says which way the other span is), found from the UTF-16 range of the visible blocks:
the cost follows the relations of the open document, never its spans. The relation chosen in
the relations panel is drawn thicker, with both ends outlined.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF, QTextCursor

from annotator.gui import theme
from annotator.gui.article.overlay import ViewportOverlay
from annotator.gui.article.view import ArticleView
from annotator.model import Relation, Span
from annotator.session.document_model import RELATION, ItemChanges

LINE_WIDTH = 1.2
CHOSEN_WIDTH = 2.5


class RelationOverlay(ViewportOverlay):
    """Draws the open document's relations over ``view``, each in its type's colour."""

    def __init__(self, view: ArticleView, colours: Callable[[], dict[str, str]]) -> None:
        super().__init__(view, colours, "relationOverlay")
        self.chosen: int | None = None  # the relation chosen in the panel
        self.drawn: list[int] = []  # the relations the last paint drew (for tests)
        self.model.events.loaded.connect(self.update)
        self.model.events.changed.connect(self._changed)
        self.show_on_top()

    def choose(self, relation_id: int | None) -> None:
        if relation_id != self.chosen:
            self.chosen = relation_id
            self.update()

    def _changed(self, found: ItemChanges[Span] | ItemChanges[Relation]) -> None:
        if found.kind == RELATION or self.model.relations:  # a span moved: its arcs too
            self.update()

    def _view_updated(self, rect: QRect, dy: int) -> None:
        if self.model.relations:
            self.update()

    # -- where the ends are -------------------------------------------------------------------

    def _visible_range(self) -> tuple[int, int]:
        """The UTF-16 positions of the text on screen."""
        first = self.view.firstVisibleBlock()
        last = first
        for block in self.view._visible_blocks():
            last = block
        return first.position(), last.position() + last.length()

    def _end_rect(self, span: Span, shown: tuple[int, int]) -> QRectF | None:
        """The caret rectangle at the span's start, or None when it is off screen."""
        u16 = self.view.offsets.to_utf16(span.start)
        if not shown[0] <= u16 < shown[1]:
            return None
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(u16)
        return QRectF(self.view.cursorRect(cursor))

    def visible(self) -> list[tuple[Relation, QPointF, QPointF]]:
        """Each relation with an end on screen, with the points its arc joins."""
        spans = self.model.spans
        out: list[tuple[Relation, QPointF, QPointF]] = []
        if not self.model.relations:
            return out
        shown = self._visible_range()
        for relation in self.model.relations.values():
            head, child = spans.get(relation.head), spans.get(relation.child)
            if head is None or child is None:
                continue
            a, b = self._end_rect(head, shown), self._end_rect(child, shown)
            if a is None and b is None:
                continue
            out.append((relation, self._point(a, b, head, child), self._point(b, a, child, head)))
        return out

    def _point(self, mine: QRectF | None, other: QRectF | None, me: Span, it: Span) -> QPointF:
        if mine is not None:
            return QPointF(mine.left() + 2, mine.top() + 1)
        assert other is not None
        edge = -4.0 if me.start < it.start else float(self.height() + 4)
        return QPointF(other.left() + 2, edge)

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        found = self.visible()
        self.drawn = [r.id for r, _, _ in found if r.id is not None]
        if not found:
            return
        colours, palette = self.colours(), self.view.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for relation, a, b in sorted(found, key=lambda f: f[0].id == self.chosen):
            colour = theme.underline_colour(QColor(colours.get(relation.label, "#888888")), palette)
            chosen = relation.id == self.chosen
            painter.setPen(QPen(colour, CHOSEN_WIDTH if chosen else LINE_WIDTH))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            rise = min(40.0, 12.0 + abs(b.x() - a.x()) / 6 + abs(b.y() - a.y()) / 8)
            top = min(a.y(), b.y()) - rise
            path = QPainterPath(a)
            path.cubicTo(QPointF(a.x(), top), QPointF(b.x(), top), b)
            painter.drawPath(path)
            painter.setBrush(colour)
            painter.drawEllipse(a, 2.5, 2.5)
            painter.drawPolygon(QPolygonF([b, b + QPointF(-4, -6), b + QPointF(4, -6)]))
            if chosen:
                self._outline_ends(painter, relation, colour)
        painter.end()

    def _outline_ends(self, painter: QPainter, relation: Relation, colour: QColor) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, CHOSEN_WIDTH))
        for span_id in (relation.head, relation.child):
            span = self.model.spans.get(span_id)
            if span is None:
                continue
            cursor = QTextCursor(self.view.document())
            cursor.setPosition(self.view.offsets.to_utf16(span.start))
            start = self.view.cursorRect(cursor)
            cursor.setPosition(self.view.offsets.to_utf16(span.end))
            end = self.view.cursorRect(cursor)
            if start.top() == end.top():  # one line: a box around it; else its first line
                painter.drawRoundedRect(QRectF(start.topLeft(), end.bottomRight()), 3, 3)
            else:
                painter.drawLine(start.bottomLeft(), QPointF(self.width() - 4, start.bottom()))
