"""Relations drawn over the article: a thin line in the type's colour from the head span's first
line to the child's, through the gaps between lines and the margins (:mod:`arc_routes`), with
a dot at the head and an arrowhead at the child.

Like the suggestion overlay, a transparent widget over the article's viewport. It paints only
the relations with an end on screen (an end above or below the view is reached along the
margin from that edge, so the arc says which way the other span is), found from the UTF-16 range of the visible blocks:
the cost follows the relations of the open document, never its spans. The relation chosen in
the relations panel is drawn thicker, with both ends outlined.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF, QTextCursor

from annotator.gui import theme
from annotator.gui.article.arc_routes import End, Margins, Route, route
from annotator.gui.article.overlay import ViewportOverlay
from annotator.gui.article.view import ArticleView
from annotator.model import Relation, Span
from annotator.session.document_model import RELATION, ItemChanges

LINE_WIDTH = 1.2
CHOSEN_WIDTH = 2.5
CORNER = 3.0  # the radius of an arc's bends


def _rounded(points: list[QPointF], radius: float) -> QPainterPath:
    """A path through ``points`` whose corners are rounded (a bend no wider than ``radius``
    or half of either side of it)."""
    path = QPainterPath(points[0])
    for before, corner, after in zip(points, points[1:], points[2:], strict=False):
        into, out = corner - before, after - corner
        r_in = min(radius, _length(into) / 2)
        r_out = min(radius, _length(out) / 2)
        path.lineTo(corner - into * (r_in / max(_length(into), 1e-9)))
        path.quadTo(corner, corner + out * (r_out / max(_length(out), 1e-9)))
    path.lineTo(points[-1])
    return path


def _length(v: QPointF) -> float:
    return float((v.x() ** 2 + v.y() ** 2) ** 0.5)


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

    def _end(self, span: Span, shown: tuple[int, int]) -> End | None:
        """Where an arc meets ``span``: the middle of its first line's part, at the top of
        that line; None when its start is off screen."""
        u16 = self.view.offsets.to_utf16(span.start)
        if not shown[0] <= u16 < shown[1]:
            return None
        document = self.view.document()
        cursor = QTextCursor(document)
        cursor.setPosition(u16)
        first = self.view.cursorRect(cursor)
        block = document.findBlock(u16)
        line = block.layout().lineForTextPosition(u16 - block.position())
        last = self.view.offsets.to_utf16(span.end) - 1  # its last character on that line
        if line.isValid():
            last = min(last, block.position() + line.textStart() + line.textLength() - 1)
        cursor.setPosition(max(last, u16))
        right = self.view.cursorRect(cursor).left() + 4
        return End(x=(first.left() + max(right, first.left() + 4)) / 2, line_top=first.top())

    def routes(self) -> list[tuple[Relation, Route]]:
        """Each relation with an end on screen, and the way its arc runs."""
        spans = self.model.spans
        if not self.model.relations:
            return []
        shown = self._visible_range()
        found: dict[int, Relation] = {}
        arcs: list[tuple[int, End | None, End | None, bool]] = []
        for n, relation in enumerate(self.model.relations.values()):
            head, child = spans.get(relation.head), spans.get(relation.child)
            if head is None or child is None:
                continue
            a, b = self._end(head, shown), self._end(child, shown)
            if a is None and b is None:
                continue
            found[n] = relation
            arcs.append((n, a, b, (head.start, head.end) <= (child.start, child.end)))
        margin = self.view.document().documentMargin()
        width, height = float(self.width()), float(self.height())
        edges = Margins(width, height, margin, width - margin)
        return [(found[r.key], r) for r in route(arcs, self.view.line_gap(), edges)]

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        found = self.routes()
        self.drawn = [r.id for r, _ in found if r.id is not None]
        if not found:
            return
        colours, palette = self.colours(), self.view.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for relation, way in sorted(found, key=lambda f: f[0].id == self.chosen):
            colour = theme.underline_colour(QColor(colours.get(relation.label, "#888888")), palette)
            chosen = relation.id == self.chosen
            painter.setPen(QPen(colour, CHOSEN_WIDTH if chosen else LINE_WIDTH))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            points = [QPointF(x, y) for x, y in way.points]
            painter.drawPath(_rounded(points, CORNER))
            painter.setBrush(colour)
            if way.head_on_screen:
                painter.drawEllipse(points[0], 2.2, 2.2)
            if way.child_on_screen:
                tip = points[-1]
                painter.drawPolygon(
                    QPolygonF([tip, tip + QPointF(-3.5, -5), tip + QPointF(3.5, -5)])
                )
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
