"""The article: read-only stored text, span highlights, and code-point ⇄ UTF-16 conversion.

It draws a :class:`~annotator.session.document_model.DocumentModel` and listens to it: the text, the
spans and the selected span are the model's, the widget keeps only what it draws them with
(the UTF-16 map and the per-block span index). The text is set with ``setPlainText`` only, so
markup shows as the characters it is. Every position leaving this widget is a code-point
offset into the stored text (see ``offsets``).
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QFontMetrics,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextLayout,
)
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.gui import theme
from annotator.gui.article.highlighter import SpanHighlighter
from annotator.gui.article.spaced_layout import SpacedLayout, spaced_document
from annotator.gui.article.span_index import SpanIndex, block_starts, place_all
from annotator.model import Span
from annotator.offsets import OffsetMap
from annotator.session.document_model import SPAN, DocumentModel, ItemChanges, Selection

LINE_CHARACTERS = 80  # the widest the text column grows, in average characters
_CLICK_SLOP = 4  # pixels a press may travel and still be a click
_EDGE_GRIP = 4  # pixels either side of a selected span's edge where a press drags it


class ArticleView(QPlainTextEdit):
    """Shows one document. Emits ``spansClicked`` with the spans under a click, innermost first."""

    spansClicked = Signal(list)  # [span_id, ...]
    # the selected span's edge ("start" or "end") dragged to a code point
    edgeDragged = Signal(object, str, int)  # a span id may exceed a C int

    def __init__(self, model: DocumentModel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleView")
        self.model = model or DocumentModel()
        self.setDocument(spaced_document(self))
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The margins left and right of the text column take the text's background.
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.document().setDocumentMargin(16)
        self.base_font = self._reading_font()
        self.setFont(self.base_font)
        self._space_paragraphs()
        self.offsets = OffsetMap("")
        self.highlighter = SpanHighlighter(self.document(), self.palette())
        self.highlighter.in_view = self.blocks_in_view
        self._press: QPoint | None = None
        self._dragging: str | None = None  # the selected span's edge being dragged
        self.viewport().setMouseTracking(True)  # to show when the pointer is on an edge
        self._kept: set[int] = set()  # numbers of the blocks whose shaped text is kept
        self._selection_shown: tuple[object, ...] | None = None  # what _show_selected last set
        self.model.events.loaded.connect(self._loaded)
        self.model.events.changed.connect(self._changed)
        self.model.events.selected.connect(self._selected)

    # -- the model's, read here ------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.model.text

    @property
    def spans(self) -> dict[int, Span]:
        return self.model.spans

    @property
    def selected_span_id(self) -> int | None:
        span = self.model.selected_span
        return span.id if span is not None else None

    def _loaded(self) -> None:
        self.load(self.model.text, list(self.model.spans.values()))

    def _changed(self, found: ItemChanges[Span]) -> None:
        if found.kind != SPAN:  # suggestions are drawn apart (suggestion_overlay)
            return
        for s in found.removed:
            assert s.id is not None
            self.remove_span(s.id)
        for s in found.added:
            self.add_span(s)
        for _, after in found.updated:
            self.update_span(after)

    def _selected(self, now: Selection | None, previous: Selection | None) -> None:
        self._show_selected()

    # -- loading -------------------------------------------------------------------------

    @staticmethod
    def _reading_font() -> QFont:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        size = font.pointSizeF()
        font.setPointSizeF((size if size > 0 else 10) * 1.25)
        return font

    def load(self, text: str, spans: list[Span]) -> None:
        """Lay in ``text`` with its spans (the model's). The blocks on screen are highlighted
        as they are first painted, the others while the window is idle (see ``highlighter``)."""
        self.offsets = OffsetMap(text)
        index = SpanIndex(block_starts(text, self.offsets))
        place_all(index, spans, self.offsets)
        self.setExtraSelections([])
        self._selection_shown = None
        self._kept = set()  # the blocks are about to be replaced
        self.setPlainText(text)
        if self.document().blockCount() != len(index.starts):  # never expected; stay exact
            index = self._index_from_document(spans)
        self.highlighter.reset(index)

    def _index_from_document(self, spans: list[Span]) -> SpanIndex:
        starts, block = [], self.document().firstBlock()
        while block.isValid():
            starts.append(block.position())
            block = block.next()
        index = SpanIndex(starts)
        place_all(index, spans, self.offsets)
        return index

    def set_label_colours(self, colours: dict[str, str], *, repaint: bool = True) -> None:
        """New label colours; ``repaint=False`` leaves repainting to :meth:`repaint_labels`."""
        self.highlighter.set_colours(colours)
        if repaint:
            self.highlighter.rehighlight()
        self._selection_shown = None
        self._show_selected()

    def repaint_labels(self, labels: set[str]) -> None:
        """Paint again only the blocks holding spans of these labels (recoloured, renamed)."""
        self.highlighter.repaint_blocks(sorted(self.highlighter.index.blocks_with(labels)))

    # -- span changes: repaint only the blocks a span touches ------------------------------

    def add_span(self, span: Span) -> None:
        assert span.id is not None
        if span.id in self.highlighter.index:  # placed already: anew, never twice
            self.update_span(span)
            return
        blocks = self.highlighter.index.add(
            span.id, span.label, self.offsets.to_utf16(span.start), self.offsets.to_utf16(span.end)
        )
        self.highlighter.repaint_blocks(blocks)

    def remove_span(self, span_id: int) -> None:
        self.highlighter.repaint_blocks(self.highlighter.index.remove(span_id))

    def update_span(self, span: Span) -> None:
        assert span.id is not None
        old = self.highlighter.index.remove(span.id)
        new = self.highlighter.index.add(
            span.id, span.label, self.offsets.to_utf16(span.start), self.offsets.to_utf16(span.end)
        )
        self.highlighter.repaint_blocks(
            range(min(old.start, new.start), max(old.stop, new.stop)) if old else new
        )

    # -- the selected span -------------------------------------------------------------------

    def _show_selected(self) -> None:
        span = self.model.selected_span
        if span is None:
            if self._selection_shown is not None:
                self._selection_shown = None
                self.setExtraSelections([])
            return
        palette = self.palette()
        colour = self.highlighter.colour(span.label)
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        alpha = theme.selected_alpha(palette)
        # A change of span calls this and then selects it again: build the selection once.
        shown = (span.id, span.start, span.end, colour.rgba(), base.rgba(), text.rgba(), alpha)
        if shown == self._selection_shown:
            return
        self._selection_shown = shown
        fmt = QTextCharFormat()
        fmt.setBackground(theme.mix(base, colour, alpha))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(text)
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(span.start))
        cursor.setPosition(self.offsets.to_utf16(span.end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = fmt
        self.setExtraSelections([selection])

    def reveal_span(self, span: Span) -> None:
        """Scroll to a span and put the caret at its start, without selecting text."""
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_utf16(span.end))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.setPosition(self.offsets.to_utf16(span.start))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # -- positions ------------------------------------------------------------------------

    def span_rect_global(self, span: Span) -> QRect:
        """Where a span stands on screen (global coordinates): from its first character's line
        to its last's, across the article's width where it runs over several lines."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(span.start))
        first = self.cursorRect(cursor)
        cursor.setPosition(self.offsets.to_utf16(span.end))
        last = self.cursorRect(cursor)
        area = first.united(last)
        if last.top() > first.top():
            area.setLeft(0)
            area.setRight(self.viewport().width())
        visible = area.intersected(self.viewport().rect()) or self.viewport().rect()
        return QRect(self.viewport().mapToGlobal(visible.topLeft()), visible.size())

    def selection_cp(self) -> tuple[int, int] | None:
        """The selected text as code-point offsets, widened to whole code points; None if empty."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self.offsets.span_from_utf16(cursor.selectionStart(), cursor.selectionEnd())
        return (start, end) if start < end else None

    def caret_cp(self) -> int:
        return self.offsets.from_utf16(self.textCursor().position())

    def select_cp(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.setTextCursor(cursor)

    def step_cp(self, cp: int, forward: bool) -> int:
        """The next character edge after (or before) ``cp``: whole graphemes, never half an emoji."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(cp))
        op = (
            QTextCursor.MoveOperation.NextCharacter
            if forward
            else QTextCursor.MoveOperation.PreviousCharacter
        )
        cursor.movePosition(op)
        return self.offsets.from_utf16(cursor.position(), round_up=forward)

    def spans_at_cp(self, cp: int) -> list[int]:
        """Ids of the spans covering the character at ``cp``, innermost first."""
        return [p.span_id for p in self.highlighter.index.at(self.offsets.to_utf16(cp))]

    def _spans_under(self, point: QPoint) -> list[int]:
        u16 = self.cursorForPosition(point).position()
        hits = self.highlighter.index.at(u16)
        if not hits and u16 > 0:  # the click fell on the right half of the character
            hits = self.highlighter.index.at(u16 - 1)
        return [p.span_id for p in hits]

    # -- scroll position, kept in code points so zoom and width do not move it --------------

    def first_visible_cp(self) -> int:
        return self.offsets.from_utf16(self.cursorForPosition(QPoint(0, 0)).position())

    def scroll_to_cp(self, cp: int) -> None:
        """Scroll so the line holding ``cp`` is at the top; the caret stays where it was."""
        caret = self.textCursor()
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())  # from below, "make visible" puts the line at the top
        probe = QTextCursor(self.document())
        probe.setPosition(self.offsets.to_utf16(cp))
        self.setTextCursor(probe)
        self.ensureCursorVisible()
        top = bar.value()
        self.setTextCursor(caret)
        bar.setValue(top)

    def spans_near_caret(self) -> list[int]:
        """Spans at the caret, or ending right before it (a click on a span's last half)."""
        cp = self.caret_cp()
        return self.spans_at_cp(cp) or (self.spans_at_cp(cp - 1) if cp > 0 else [])

    # -- zoom and the text column ----------------------------------------------------------

    def zoom(self, steps: int) -> None:
        """Larger (positive) or smaller text; 0 returns to the reading size."""
        top = self.first_visible_cp()
        font = QFont(self.font())
        if steps == 0:
            font = QFont(self.base_font)
        else:
            font.setPointSizeF(min(max(font.pointSizeF() + steps, 6.0), 48.0))
        self._fit_column(self.width(), QFontMetrics(font))
        self.setFont(font)  # lays the text out again, inside the new margins
        self._space_paragraphs()
        QTimer.singleShot(0, lambda: self.scroll_to_cp(top))

    def _space_paragraphs(self) -> None:
        layout = self.document().documentLayout()
        if isinstance(layout, SpacedLayout):
            layout.set_line_height(QFontMetrics(self.font()).lineSpacing())

    def set_line_gap(self, on: bool) -> None:
        """Room above every line for relation arcs, or lines close together. Each block's
        lines move when it is next measured, so nothing is laid out again here."""
        layout = self.document().documentLayout()
        if isinstance(layout, SpacedLayout) and layout.set_line_gap(on):
            self.viewport().update()
            self.updateGeometry()

    def line_gap(self) -> float:
        """The room above each line, in pixels (0 when the lines touch)."""
        layout = self.document().documentLayout()
        return layout.line_gap if isinstance(layout, SpacedLayout) else 0.0

    def zoom_level(self) -> float:
        return self.font().pointSizeF() - self.base_font.pointSizeF()

    def _fit_column(self, width: int, metrics: QFontMetrics) -> None:
        """Centre a column of at most LINE_CHARACTERS average characters."""
        column = metrics.averageCharWidth() * LINE_CHARACTERS
        column += 2 * int(self.document().documentMargin())
        scrollbar = self.verticalScrollBar().sizeHint().width()
        side = max((width - scrollbar - column) // 2, 0)
        margins = self.viewportMargins()
        if (margins.left(), margins.right()) != (side, side):
            self.setViewportMargins(side, 0, side, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Margins first: the base class then wraps the text to the narrowed viewport. (The
        # viewport's own resizes arrive here too, so measure this widget, not the event.)
        self._fit_column(self.width(), self.fontMetrics())
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "highlighter"):
            # the system switched between light and dark
            self.highlighter.set_palette(self.palette())
            self.highlighter.rehighlight()
            self._show_selected()

    # -- painting: the lines on screen keep their shaped text ---------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        self._prepare_visible_blocks()
        super().paintEvent(event)

    def blocks_in_view(self) -> range:
        """Numbers of the blocks on screen, the one cut by the bottom edge included."""
        first, last = self.firstVisibleBlock().blockNumber(), -1
        for block in self._visible_blocks():
            last = block.blockNumber()
        return range(first, max(last, first) + 1)

    def _visible_blocks(self) -> Iterator[QTextBlock]:
        """The blocks on screen, top to bottom (each is laid out once it has been yielded).

        ``blockBoundingGeometry`` walks from the first visible block to the one asked about,
        so asking it of each block in turn costs the square of their number: each block is
        placed below the one before by its own height, from the top of the first (which is
        where the content offset puts it).
        """
        block = self.firstVisibleBlock()
        layout = self.document().documentLayout()
        bottom = self.viewport().rect().bottom()
        top = self.contentOffset().y()
        while block.isValid():
            yield block
            top += layout.blockBoundingRect(block).height()
            if top > bottom:
                return
            block = block.next()

    def _prepare_visible_blocks(self) -> None:
        """Before a paint: give the blocks in view their highlights if they are still due, and
        let them keep their shaped glyphs from one paint to the next.

        A block's ``QTextLayout`` normally drops its glyphs after each draw, so every repaint
        shaped every visible line again: about 40% of repainting the article. The blocks on
        screen keep them (a change to a block lays it out, and shapes it, anew); a block that
        leaves the screen drops them again, so the memory kept is about one screenful's.
        """
        doc = self.document()
        highlighter = self.highlighter
        shown: set[int] = set()
        for block in self._visible_blocks():
            # formats first: setting them drops the lines the walk lays out next
            highlighter.format_if_due(block)
            block.layout().setCacheEnabled(True)  # before it is laid out, which shapes it
            shown.add(block.blockNumber())
        gone = [doc.findBlockByNumber(n) for n in self._kept - shown]
        self._kept = shown
        layouts = [b.layout() for b in gone if b.isValid()]
        if layouts:
            _drop_glyphs(layouts)

    # -- mouse: a click on a highlight selects its span; hovering lists the labels ---------

    def _edge_under(self, point: QPoint) -> str | None:
        """ "start" or "end" when ``point`` is on an edge of the selected span (within a few
        pixels of it, on its line), else None."""
        span = self.model.selected_span
        if span is None:
            return None
        for edge, cp in (("start", span.start), ("end", span.end)):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.offsets.to_utf16(cp))
            rect = self.cursorRect(cursor)
            if (
                abs(point.x() - rect.center().x()) <= _EDGE_GRIP
                and rect.top() <= point.y() <= rect.bottom()
            ):
                return edge
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        edge = (
            self._edge_under(self._press) if event.button() == Qt.MouseButton.LeftButton else None
        )
        if edge is not None:  # dragging the selected span's edge, not selecting text
            self._dragging = edge
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._dragging is not None:
            span = self.model.selected_span
            if span is not None:  # the span as it would be, shown as a text selection
                cp = self._cp_at(point)
                start, end = (cp, span.end) if self._dragging == "start" else (span.start, cp)
                if start < end:
                    self.select_cp(start, end)
            return
        over_edge = not event.buttons() and self._edge_under(point) is not None
        self.viewport().setCursor(
            Qt.CursorShape.SizeHorCursor if over_edge else Qt.CursorShape.IBeamCursor
        )
        super().mouseMoveEvent(event)

    def _cp_at(self, point: QPoint) -> int:
        return self.offsets.from_utf16(self.cursorForPosition(point).position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging is not None:
            edge, self._dragging = self._dragging, None
            self._press = None
            span = self.model.selected_span
            self.clear_selection()
            if span is not None and span.id is not None:
                self.edgeDragged.emit(span.id, edge, self._cp_at(event.position().toPoint()))
            return
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        point = event.position().toPoint()
        if (
            event.button() == Qt.MouseButton.LeftButton
            and press is not None
            and (point - press).manhattanLength() <= _CLICK_SLOP
            and not self.textCursor().hasSelection()
        ):
            self.spansClicked.emit(self._spans_under(point))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            ids = self._spans_under(event.pos())
            if ids:
                lines = [self._describe(self.spans[i]) for i in ids if i in self.spans]
                QToolTip.showText(event.globalPos(), "\n".join(lines), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def labels_at(self, cp: int) -> list[str]:
        """What the tooltip lists at ``cp``: every span's label, innermost first."""
        return [self._describe(self.spans[i]) for i in self.spans_at_cp(cp)]

    @staticmethod
    def _describe(span: Span) -> str:
        return f"{span.label}: {span.note}" if span.note else span.label


def _drop_glyphs(layouts: list[QTextLayout]) -> None:
    """Stop keeping the glyphs of ``layouts`` and free them now, keeping their lines.

    ``QTextLayout`` frees its glyphs at the end of a draw when caching is off; a draw clipped
    to above the first line draws nothing, so it does just that.
    """
    image = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    above = QRectF(0.0, -1e6, 1.0, 1.0)
    for layout in layouts:
        layout.setCacheEnabled(False)
        layout.draw(painter, QPointF(0.0, 0.0), [], above)
    painter.end()
