"""Space between paragraphs in the article, without a character added or an offset moved.

Scraped articles often separate paragraphs by a single newline, and ``QPlainTextEdit`` lays
each block straight under the one before: the article reads as one dense block. Its layout
ignores block margins and line heights, but every paint, hit test, caret rectangle and
scroll bar asks the layout for each block's rectangle, so a block followed by another
paragraph reports a taller rectangle: the gap appears below it, and the text is untouched.
Blocks next to an empty line (paragraphs already apart) get no gap.

Highlights change a block's formats, not its text (see :meth:`SpacedLayout.reformatted`).
``QPlainTextDocumentLayout`` reads the ``markContentsDirty`` of one block as reaching into the
next: it dropped the lines of both and repainted the whole view. Here it lays out that block
alone and repaints only its rectangle (the whole view still when its height changed).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

PARAGRAPH_GAP = 0.6  # of a line's height


class SpacedLayout(QPlainTextDocumentLayout):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.gap = 0.0
        self._quiet = False

    def set_line_height(self, height: float) -> None:
        self.gap = round(height * PARAGRAPH_GAP)

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
        if removed == added > 0:
            block = self.document().findBlock(position)
            if position + added <= block.position() + block.length():
                removed = 0  # within one block: the base class then lays out just that one
        super().documentChanged(position, removed, added)

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        if self.gap and block.length() > 1:
            following = block.next()
            if following.isValid() and following.length() > 1:
                rect.setHeight(rect.height() + self.gap)
        return rect


def spaced_document(parent: QObject | None) -> QTextDocument:
    """A text document laid out by :class:`SpacedLayout`, for a ``QPlainTextEdit``."""
    document = QTextDocument(parent)
    document.setDocumentLayout(SpacedLayout(document))
    document.setUndoRedoEnabled(False)  # read-only: nothing to undo, nothing to keep
    return document
