"""Captions put back into the article extracted from a web page.

Where a caption goes is found by the text before it: each extracted paragraph is found in the
page's visible text (see ``page_order``), and the caption follows the nearest paragraph before
its element. A caption the extractor kept is marked where it is, never added twice.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.formats.webpages.captions import Caption, article_captions
from annotator.formats.webpages.markup import INLINE, spaceless
from annotator.formats.webpages.page_order import (
    Located,
    Page,
    after_the_body_left_out,
    asides_left_out,
    locate,
    split_at_blocks,
)

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_LOOSE = 20  # a caption this long found inside a paragraph's words is in it (shorter: by chance)


def with_captions(body: HtmlElement, paragraphs: list[str]) -> tuple[str, list[list[int]]]:
    """The article's text with each caption as a paragraph after the extracted paragraph
    that comes before it in the page, and the captions' [start, end] in that text."""
    page = Page(body)
    located = split_at_blocks(page, locate(page, paragraphs))
    located = asides_left_out(page, after_the_body_left_out(page, located))
    captions = article_captions(page, located)
    # A paragraph the extractor took from inside a caption is that caption, put back whole.
    caption_starts = [c.start for c in captions]  # in page order, none within another

    def in_a_caption(paragraph: Located) -> bool:
        if paragraph.start is None:
            return False
        j = bisect.bisect_right(caption_starts, paragraph.start) - 1
        return j >= 0 and paragraph.within(captions[j].start, captions[j].end)

    body = [p for p in located if not in_a_caption(p)]
    order = _Order(body)
    after: dict[int, list[Caption]] = {}  # paragraph index (-1: before the first) → captions
    inside: dict[int, list[Caption]] = {}  # captions already within a paragraph's text
    for caption in captions:
        holder = order.holder(caption)
        if holder is None:  # not found where it stood, but its words are in a paragraph
            holder = order.holding_words(spaceless(caption.text))
        if holder is not None:
            inside.setdefault(holder, []).append(caption)
            continue
        after.setdefault(order.last_before(caption.start), []).append(caption)

    out: list[str] = []
    spans: list[list[int]] = []
    length = 0

    def add(paragraph: str, is_caption: bool, marked: Sequence[tuple[int, int]] = ()) -> None:
        nonlocal length
        if out:
            length += 2
        out.append(paragraph)
        if is_caption:
            spans.append([length, length + len(paragraph)])
        spans.extend([length + s, length + e] for s, e in marked)
        length += len(paragraph)

    for caption in after.get(-1, []):
        add(caption.text, True)
    for i, paragraph in enumerate(body):
        for piece, is_caption, marked in _split(paragraph.text, inside.get(i, [])):
            add(piece, is_caption, marked)
        for caption in after.get(i, []):
            add(caption.text, True)
    spans.sort()
    return "\n\n".join(out), spans


class _Order:
    """Where captions fall among the paragraphs: by bisection when the paragraphs were found
    in page order without overlapping (as they almost always are), else one by one."""

    def __init__(self, body: list[Located]) -> None:
        self.body = body
        found = [(p.start, p.end, i) for i, p in enumerate(body) if p.start is not None]
        self.starts = [start for start, _, _ in found]
        self.indexes = [i for _, _, i in found]
        self.ordered = all(
            a[1] is not None and a[1] <= b[0] and a[2] < b[2]
            for a, b in zip(found, found[1:], strict=False)
        )
        self.keys = [spaceless(p.text) for p in body]
        self.joined = _SEPARATOR.join(self.keys)
        self.key_starts = list(itertools.accumulate((len(k) + 1 for k in self.keys), initial=0))
        self.exact: dict[str, int] = {}
        for i, key in enumerate(self.keys):
            self.exact.setdefault(key, i)

    def holder(self, caption: Caption) -> int | None:
        """The paragraph whose place in the page holds the caption's."""
        if not self.ordered:
            return next(
                (i for i, p in enumerate(self.body) if p.holds(caption.start, caption.end)), None
            )
        j = bisect.bisect_right(self.starts, caption.start) - 1
        if j >= 0 and self.body[self.indexes[j]].holds(caption.start, caption.end):
            return self.indexes[j]
        return None

    def holding_words(self, key: str) -> int | None:
        """The first paragraph that is the caption's words, or holds them when they are too
        many to be there by chance."""
        if len(key) < _LOOSE:
            return self.exact.get(key)
        at = self.joined.find(key)
        return None if at < 0 else bisect.bisect_right(self.key_starts, at) - 1

    def last_before(self, offset: int) -> int:
        """The last paragraph that starts before ``offset`` in the page (-1: none)."""
        if not self.ordered:
            before = [
                i for i, p in enumerate(self.body) if p.start is not None and p.start < offset
            ]
            return before[-1] if before else -1
        j = bisect.bisect_left(self.starts, offset) - 1
        return self.indexes[j] if j >= 0 else -1


_SEPARATOR = "\x00"  # between paragraphs' keys: no key holds one (the parser took them out)


def _split(
    paragraph: str, captions: list[Caption]
) -> list[tuple[str, bool, list[tuple[int, int]]]]:
    """A paragraph that holds captions, as (text, is a caption, captions marked within).

    A caption that stood in the page as a block of its own (a figure the extractor ran into
    the text around it) becomes a paragraph again; one that stood inside a sentence (a credit
    in a ``<span>``) is marked where it is.
    """
    found = []
    for caption in captions:
        match = _words(caption.text).search(paragraph)
        if match:
            found.append((match.start(), match.end(), caption.element.tag not in INLINE))
    found.sort()
    pieces: list[tuple[str, bool, list[tuple[int, int]]]] = []
    rest, offset = paragraph, 0  # what is left of the paragraph, and where it starts in it
    marked: list[tuple[int, int]] = []
    for start, end, block in found:
        if start < offset:
            continue  # overlaps one already taken
        if not block:
            marked.append((start - offset, end - offset))
            continue
        before = rest[: start - offset]
        if before.strip():
            text = before.rstrip()
            lead = len(before) - len(before.lstrip())
            pieces.append((text.lstrip(), False, [(s - lead, e - lead) for s, e in marked]))
        marked = []
        pieces.append((paragraph[start:end], True, []))
        rest, offset = paragraph[end:], end
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        pieces.append((rest.strip(), False, [(s - lead, e - lead) for s, e in marked]))
    return pieces


def _words(text: str) -> re.Pattern[str]:
    """The text's words in order with any white space between (the extractor may have
    turned a no-break space or a line break into a space)."""
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))
