"""Painting spans into the article, one text block at a time.

A ``QSyntaxHighlighter`` fed by :class:`SpanIndex`: a change repaints only the blocks its span
touches (``rehighlightBlock``), never the whole article. Where spans nest, the text takes the
innermost span's own colour, readable at a glance, and a wavy underline in the colour of the
span around it.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.gui import theme
from annotator.gui.span_index import SpanIndex


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        self.index = SpanIndex([0])
        self._colours: dict[str, QColor] = {}
        self._formats: dict[tuple[str, ...], QTextCharFormat] = {}
        self._palette = palette

    def set_colours(self, colours: dict[str, str]) -> None:
        self._colours = {name: QColor(c) for name, c in colours.items()}
        self._formats.clear()

    def set_palette(self, palette: QPalette) -> None:
        self._palette = palette
        self._formats.clear()

    def colour(self, label: str) -> QColor:
        return self._colours.get(label, QColor("#888888"))

    def repaint_blocks(self, blocks: Iterable[int]) -> None:
        doc = self.document()
        for n in blocks:
            block = doc.findBlockByNumber(n)
            if block.isValid():
                self.rehighlightBlock(block)

    def _format(self, layers: tuple[str, ...]) -> QTextCharFormat:
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

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        block = self.currentBlock()
        placed = self.index.in_block(block.blockNumber())
        if not placed:
            return
        base = block.position()
        size = block.length() - 1  # UTF-16 units; ``len(text)`` counts code points
        events: list[tuple[int, int, int]] = []
        for p in placed:
            s, e = max(p.qs - base, 0), min(p.qe - base, size)
            if s < e:
                events.append((s, 1, p.span_id))
                events.append((e, 0, p.span_id))
        events.sort()
        active: dict[int, tuple[int, int, str]] = {}
        at = 0
        for pos, starts, span_id in events:
            if pos > at and active:
                layers = tuple(label for *_, label in sorted(active.values()))
                self.setFormat(at, pos - at, self._format(layers))
            at = pos
            if starts:
                p = self.index.placed[span_id]
                active[span_id] = (-p.length, span_id, p.label)
            else:
                active.pop(span_id, None)
