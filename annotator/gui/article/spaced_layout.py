"""Space between paragraphs in the article, without a character added or an offset moved.

Scraped articles often separate paragraphs by a single newline, and ``QPlainTextEdit`` lays
each block straight under the one before: the article reads as one dense block. Its layout
ignores block margins and line heights, but every paint, hit test, caret rectangle and
scroll bar asks the layout for each block's rectangle, so a block followed by another
paragraph reports a taller rectangle: the gap appears below it, and the text is untouched.
Blocks next to an empty line (paragraphs already apart) get no gap.

Relations are drawn as arcs in the gaps between lines, never through the words, so a project
with relation types gets a gap above every line too (:meth:`SpacedLayout.set_line_gap`). The
base class stacks a block's lines with no space between; each block's lines are moved apart
once it has been laid out, and every hit test, caret and paint follows the lines' positions.

Highlights change a block's formats, not its text (see :meth:`SpacedLayout.reformatted`).
``QPlainTextDocumentLayout`` reads the ``markContentsDirty`` of one block as reaching into the
next: it dropped the lines of both and repainted the whole view. Here it lays out that block
alone and repaints only its rectangle (the whole view still when its height changed).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

PARAGRAPH_GAP = 0.6  # of a line's height
LINE_GAP = 0.6  # of a line's height, above every line when the arcs need room


class SpacedLayout(QPlainTextDocumentLayout):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.gap = 0.0
        self.line_gap = 0.0
        self.spaced_lines = False
        self._line_height = 0.0
        self._quiet = False
        self._ever_spaced = False  # lines may stand apart: every block is looked at
        # Per block number, whether a paragraph follows it (so a gap goes below it): asked
        # on every hit test and paint, a hundred times for one new span; the text changes
        # seldom (the article is read-only), and then this is forgotten.
        self._gap_below: dict[int, bool] = {}

    def set_line_height(self, height: float) -> None:
        self._line_height = height
        self.gap = round(height * PARAGRAPH_GAP)
        self.line_gap = round(height * LINE_GAP) if self.spaced_lines else 0.0

    def set_line_gap(self, on: bool) -> bool:
        """Leave room above every line (for arcs) or not; True when that changed, and the
        document must then be laid out again."""
        if on == self.spaced_lines:
            return False
        self.spaced_lines = on
        self._ever_spaced = self._ever_spaced or on
        self.set_line_height(self._line_height)
        return True

    def reformatted(self, block: QTextBlock, *, repaint: bool) -> None:
        """``block`` was given new formats (``QTextLayout.setFormats``, which drops its lines).

        The document must hear of it: it keeps the change pending otherwise, and joins it to
        the next one, so that one would lay out every block between the two. With ``repaint``
        the block is laid out and repainted now; without, nothing is laid out or repainted
        (a block off screen, or one about to be painted, is laid out when it is drawn).
        """
        self._quiet = not repaint
        try:
            self.document().markContentsDirty(block.position(), block.length())
        finally:
            self._quiet = False

    def documentChanged(self, position: int, removed: int, added: int) -> None:
        if self._quiet:
            return
        within_block = False
        if removed == added > 0:
            block = self.document().findBlock(position)
            if position + added <= block.position() + block.length():
                removed = 0  # within one block: the base class then lays out just that one
                within_block = True
        if not within_block:  # the text changed: blocks and paragraphs may be others now
            self._gap_below.clear()
        super().documentChanged(position, removed, added)

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        if not block.isValid():
            return rect
        if self._ever_spaced and self._space_lines(block):
            rect = super().blockBoundingRect(block)
        if self.gap:
            number = block.blockNumber()
            below = self._gap_below.get(number)
            if below is None:
                following = block.next()
                below = self._gap_below[number] = (
                    block.length() > 1 and following.isValid() and following.length() > 1
                )
            if below:
                rect.setHeight(rect.height() + self.gap)
        return rect

    def _space_lines(self, block: QTextBlock) -> bool:
        """Move the block's lines apart by ``line_gap`` (the base class lays them out
        touching); True when they moved. A block laid out anew has its first line at 0."""
        lines = block.layout()
        count = lines.lineCount()
        if not count or lines.lineAt(0).y() == self.line_gap:
            return False
        y = 0.0
        for i in range(count):
            line = lines.lineAt(i)
            line.setPosition(QPointF(line.x(), y + self.line_gap))
            y += self.line_gap + line.height()
        return True


def spaced_document(parent: QObject | None) -> QTextDocument:
    """A text document laid out by :class:`SpacedLayout`, for a ``QPlainTextEdit``."""
    document = QTextDocument(parent)
    document.setDocumentLayout(SpacedLayout(document))
    document.setUndoRedoEnabled(False)  # read-only: nothing to undo, nothing to keep
    return document
