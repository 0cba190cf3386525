"""Painting spans into the article, one text block at a time, the blocks on screen first.

Each block's highlights are formats set on its ``QTextLayout`` (what a ``QSyntaxHighlighter``
sets), worked out from :class:`SpanIndex`. A change repaints only the blocks its span touches.
Opening a document formats nothing at once: the view formats the blocks it is about to paint
(:meth:`SpanHighlighter.format_due`), and the others are formatted in short chunks while the
window is idle, so a long article opens at the cost of its visible part. Once every chunk has
run, every block carries exactly what formatting all of them at once would have given it.

Where spans nest, the text takes the innermost span's own colour, readable at a glance, and a
wavy underline in the colour of the span around it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import (
    QColor,
    QPalette,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextLayout,
)

from annotator.gui import theme
from annotator.gui.article.spaced_layout import SpacedLayout
from annotator.gui.article.span_index import SpanIndex

IDLE_CHUNK_SECONDS = 0.003  # formatting done per turn of the event loop while idle


class SpanHighlighter(QObject):
    """The formats of every block of one document, kept in step with :attr:`index`.

    A block is *due* when its formats may differ from what the index says. Due blocks that
    are on screen (``in_view``, set by the view) are formatted as soon as they become due;
    the rest wait for an idle chunk or for the view to paint them.
    """

    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        self._document = document
        self.index = SpanIndex([0])
        self._colours: dict[str, QColor] = {}
        self._formats: dict[tuple[str, ...], QTextCharFormat] = {}
        self._palette = palette
        self.in_view: Callable[[], range] = lambda: range(document.blockCount())
        self._due: set[int] = set()
        self._queue: list[int] = []  # due blocks in the order the idle chunks take them
        self._formatted: set[int] = set()  # blocks carrying formats now
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(0)
        self._idle.timeout.connect(self._format_chunk)

    def document(self) -> QTextDocument:
        return self._document

    # -- colours ---------------------------------------------------------------------------

    def set_colours(self, colours: dict[str, str]) -> None:
        self._colours = {name: QColor(c) for name, c in colours.items()}
        self._formats.clear()

    def set_palette(self, palette: QPalette) -> None:
        self._palette = palette
        self._formats.clear()

    def colour(self, label: str) -> QColor:
        return self._colours.get(label, QColor("#888888"))

    # -- what is due -----------------------------------------------------------------------

    def reset(self, index: SpanIndex) -> None:
        """A new text in fresh blocks (no formats yet) with its spans: every block is due
        (one without spans costs nothing to format)."""
        self.index = index
        self._formatted = set()
        self._queue = list(range(len(index.starts)))
        self._due = set(self._queue)
        self._schedule()

    def rehighlight(self) -> None:
        """Colours changed: every block is due again; those on screen are formatted now."""
        blocks = sorted(self._formatted.union(self.index.blocks()))
        self._due = set(blocks)
        self._queue = blocks
        self.format_due(self.in_view(), relayout=True)
        self._schedule()

    def repaint_blocks(self, blocks: Iterable[int]) -> None:
        """The spans of ``blocks`` changed: those on screen are formatted and repainted now,
        the others when idle (or when they come into view)."""
        view = self.in_view()
        later = []
        for n in blocks:
            if n in view:
                self._due.discard(n)
                self._format(self._document.findBlockByNumber(n), relayout=True)
            elif n not in self._due:
                self._due.add(n)
                later.append(n)
        if later:
            self._queue.extend(later)
            self._schedule()

    def format_due(self, blocks: Iterable[int], *, relayout: bool = False) -> None:
        """Format those of ``blocks`` that are due. ``relayout=False`` leaves laying them out
        (and repainting them) to the caller: the view, about to paint them."""
        due = self._due
        if not due:
            return
        doc = self._document
        for n in blocks:
            if n in due:
                due.discard(n)
                self._format(doc.findBlockByNumber(n), relayout=relayout)

    def format_if_due(self, block: QTextBlock) -> None:
        """Format ``block`` if it is due, leaving its layout to the caller (about to paint)."""
        if self._due:
            n = block.blockNumber()
            if n in self._due:
                self._due.discard(n)
                self._format(block, relayout=False)

    @property
    def settled(self) -> bool:
        """Whether every block carries its formats (nothing is due)."""
        return not self._due

    def settle(self) -> None:
        """Format every due block now."""
        self._idle.stop()
        view = self.in_view()
        for n in self._queue:
            if n in self._due:
                self._due.discard(n)
                self._format(self._document.findBlockByNumber(n), relayout=n in view)
        self._queue = []

    def _schedule(self) -> None:
        if self._due and not self._idle.isActive():
            self._idle.start()

    def _format_chunk(self) -> None:
        """Format due blocks off screen for a few milliseconds, then let the loop run."""
        deadline = time.perf_counter() + IDLE_CHUNK_SECONDS
        queue, due, doc = self._queue, self._due, self._document
        index, formatted = self.index, self._formatted
        view = self.in_view()
        taken = 0
        for n in queue:
            taken += 1
            if n in due:
                due.discard(n)
                if n not in formatted and not index.in_block(n):
                    continue  # no spans, no formats: nothing to do
                # on screen only if the view scrolled and has not painted yet
                self._format(doc.findBlockByNumber(n), relayout=n in view)
                if time.perf_counter() > deadline:
                    break
        del queue[:taken]
        if not queue:
            due.clear()  # every due block was queued: nothing is left
        self._schedule()

    # -- formatting one block --------------------------------------------------------------

    def _format(self, block: QTextBlock, *, relayout: bool) -> None:
        if not block.isValid():
            return
        n = block.blockNumber()
        ranges = self._ranges(block)
        if not ranges and n not in self._formatted:
            return
        # Setting formats drops the block's lines: it is laid out anew when next needed.
        block.layout().setFormats(ranges)
        if ranges:
            self._formatted.add(n)
        else:
            self._formatted.discard(n)
        layout = self._document.documentLayout()
        if isinstance(layout, SpacedLayout):
            layout.reformatted(block, repaint=relayout)
        else:
            self._document.markContentsDirty(block.position(), block.length())

    def _layers_format(self, layers: tuple[str, ...]) -> QTextCharFormat:
        fmt = self._formats.get(layers)
        if fmt is None:
            base = self._palette.color(QPalette.ColorRole.Base)
            colours = [self.colour(label) for label in layers]
            fmt = QTextCharFormat()
            # The innermost span's own colour, never a blend (orange over blue is not grey)...
            fmt.setBackground(theme.mix(base, colours[-1], theme.layer_alpha(self._palette)))
            if len(layers) > 1:
                # ...and the span around it as a wavy line in that one's colour.
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                fmt.setUnderlineColor(theme.underline_colour(colours[-2], self._palette))
            self._formats[layers] = fmt
        return fmt

    def _ranges(self, block: QTextBlock) -> list[QTextLayout.FormatRange]:
        """The formats of ``block``: one range per run of text under the same spans."""
        placed = self.index.in_block(block.blockNumber())
        if not placed:
            return []
        base = block.position()
        size = block.length() - 1  # UTF-16 units, without the block break
        events: list[tuple[int, int, int]] = []
        for p in placed:
            s, e = max(p.qs - base, 0), min(p.qe - base, size)
            if s < e:
                events.append((s, 1, p.span_id))
                events.append((e, 0, p.span_id))
        events.sort()
        here = {p.span_id: p for p in placed}
        runs: list[list] = []  # [start, end, format]; neighbours that look the same are one
        active: dict[int, tuple[int, int, str]] = {}
        at = 0
        for pos, starts, span_id in events:
            if pos > at and active:
                layers = tuple(label for *_, label in sorted(active.values()))
                fmt = self._layers_format(layers)
                last = runs[-1] if runs else None
                if last is not None and last[1] == at and (last[2] is fmt or last[2] == fmt):
                    last[1] = pos
                else:
                    runs.append([at, pos, fmt])
            at = pos
            if starts:
                p = here[span_id]
                active[span_id] = (-p.length, span_id, p.label)
            else:
                active.pop(span_id, None)
        ranges = []
        for start, end, fmt in runs:
            r = QTextLayout.FormatRange()
            r.start, r.length, r.format = start, end - start, fmt
            ranges.append(r)
        return ranges
