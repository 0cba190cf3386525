"""The extracted paragraphs set against the page they came from.

The page's visible text is laid out in document order without white space (``Page``), and
each extracted paragraph is found in it (``locate``); one that runs several of the page's
paragraphs together is split back into them. Captions are placed by where the paragraphs
stand, so the paragraphs are checked against the page too: those taken from a promotion, an
advert's label, a tag list or an author box among them, and those after the element the page
names as the article's body, are left out.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.formats.webpages.markup import (
    ARTICLE_LIKE,
    LEFT_OUT,
    UNSEEN,
    class_words,
    hidden,
    spaceless,
    visible_text,
)

if TYPE_CHECKING:
    from lxml.etree import _Element as Element
    from lxml.html import HtmlElement

_HOLDS_ARTICLE = ("article", "main", "h1")


def _conceals(element: Element) -> bool:
    """Taken out before extraction, or hidden and holding no article: a page saved before
    its scripts had shown it (an app kept at ``visibility: hidden``) still has its article."""
    if element.get(LEFT_OUT) is not None:
        return True
    return hidden(element) and next(element.iterdescendants(*_HOLDS_ARTICLE), None) is None


class Page:
    """The page's visible text in document order, without white space, with where each
    element starts and ends in it: the common ground between the page and the paragraphs
    the extractor took from it."""

    def __init__(self, body: HtmlElement) -> None:
        from lxml import etree

        chunks: list[str] = []
        self.starts: dict[Any, int] = {}
        self.ends: dict[Any, int] = {}
        self.owners: list[tuple[int, Any]] = []  # (offset, element whose text starts there)
        self.unseen: set[Any] = set()  # elements whose text the reader does not see
        length = 0

        def add(text: str | None, owner: Any) -> None:
            nonlocal length
            key = spaceless(text) if text else ""
            if key:
                self.owners.append((length, owner))
                chunks.append(key)
                length += len(key)

        walker = etree.iterwalk(body, events=("start", "end"))
        for event, element in walker:
            if event == "start":
                self.starts[element] = length
                if not isinstance(element.tag, str) or element.tag in UNSEEN or _conceals(element):
                    self.unseen.add(element)
                    walker.skip_subtree()
                else:
                    add(element.text, element)
            else:
                self.ends[element] = length
                if element is not body:
                    add(element.tail, element.getparent())
        self.root = body
        self.text = "".join(chunks)
        self._offsets = [offset for offset, _ in self.owners]

    def owner(self, offset: int) -> Any:
        """The element whose own text holds the character at ``offset``."""
        i = bisect.bisect_right(self._offsets, offset) - 1
        return self.owners[max(i, 0)][1] if self.owners else None

    def seen(self, element: Any) -> bool:
        """Whether the element's text is part of the page's visible text."""
        return element in self.ends and element not in self.unseen

    def size(self, element: Any) -> int:
        """How many characters other than white space the element's text holds."""
        return self.ends[element] - self.starts[element]


@dataclass
class Located:
    """An extracted paragraph and where it was found in the page's text."""

    text: str
    start: int | None = None  # where it was found in the page's text, or None
    end: int | None = None

    def within(self, start: int, end: int) -> bool:
        return (
            self.start is not None
            and self.end is not None
            and start <= self.start <= self.end <= end
        )

    def holds(self, start: int, end: int) -> bool:
        return (
            self.start is not None
            and self.end is not None
            and self.start <= start <= end <= self.end
        )


def locate(page: Page, paragraphs: list[str]) -> list[Located]:
    """Each paragraph found in the page's text, in order; found again from the start, or by
    its first or last words, when the extractor reordered or trimmed it."""
    located = []
    cursor = 0
    for text in paragraphs:
        key = spaceless(text)
        found = _find(page.text, key, cursor)
        if found is None:
            located.append(Located(text))
            continue
        start, end = found
        located.append(Located(text, start, end))
        cursor = end
    return located


# Blocks that are each a paragraph to the reader: these, and any block holding none of them
# (an advert's label in a <div>, a caption).
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "dt", "dd"}
_PIECE_TAGS = _PARAGRAPH_TAGS | {"div", "figcaption", "section", "aside", "td", "th"}
_PIECE_TAGS |= {"header", "footer", "article", "main", "address"}


def split_at_blocks(page: Page, located: list[Located]) -> list[Located]:
    """Each paragraph that runs several of the page's paragraphs together (an extractor's
    fallback on a short article joins them with a space) split back into them, when it is
    their texts one after the other; one not found in the page's text (something the
    extractor left out stood between its parts) found so among the blocks that follow."""
    blocks = [
        (page.starts[e], page.ends[e], e)
        for e in page.starts
        if isinstance(e.tag, str)
        and e.tag in _PIECE_TAGS
        and e not in page.unseen
        and page.ends[e] > page.starts[e]
        and next((d for d in e.iterdescendants(*_PIECE_TAGS)), None) is None
    ]
    starts = [start for start, _, _ in blocks]
    keys: dict[Any, str] = {}
    out: list[Located] = []
    cursor = 0  # where the last paragraph found ends in the page's text
    for paragraph in located:
        if (
            paragraph.start is None
            or paragraph.end is None
            or paragraph.end - paragraph.start < len(spaceless(paragraph.text))  # found by its head
        ):
            from_ = cursor if paragraph.start is None else paragraph.start
            first = bisect.bisect_left(starts, from_)
            pieces = _cut(paragraph.text, blocks[first : first + _LOOKAHEAD], keys)
        else:
            inside = []
            for i in range(bisect.bisect_left(starts, paragraph.start), len(blocks)):
                start, end, _ = blocks[i]
                if start >= paragraph.end:
                    break
                if end <= paragraph.end:
                    inside.append(blocks[i])
            pieces = _cut(paragraph.text, inside, keys) if len(inside) > 1 else None
        if pieces is not None and len(pieces) < 2:
            pieces = None  # one block: the paragraph as found, or not found at all
        out.extend(pieces or [paragraph])
        ends = [p.end for p in pieces or [paragraph] if p.end is not None]
        cursor = max([cursor, *ends])
    return out


_LOOKAHEAD = 300  # blocks after the last paragraph found among which to find the next


def _cut(
    text: str, blocks: list[tuple[int, int, Any]], keys: dict[Any, str]
) -> list[Located] | None:
    """The text cut where each block's text ends, when it is the blocks' texts one after
    the other (a block the extractor left out, a menu, is passed over); else None. Texts are
    compared without white space; ``keys`` keeps each block's."""
    at = [i for i, ch in enumerate(text) if not ch.isspace()]  # where each key character is
    key = "".join(text[i] for i in at)
    pieces: list[Located] = []
    k = 0
    for start, end, element in blocks:
        if k == len(key):
            break
        block = keys.get(element)
        if block is None:
            block = keys[element] = spaceless(visible_text(element))
        if block and key.startswith(block, k):
            pieces.append(Located(text[at[k] : at[k + len(block) - 1] + 1], start, end))
            k += len(block)
    return pieces if pieces and k == len(key) else None


def _find(haystack: str, key: str, cursor: int) -> tuple[int, int] | None:
    for start_at in (cursor, 0):
        at = haystack.find(key, start_at)
        if at >= 0:
            return at, at + len(key)
    if len(key) > 60:
        head, tail = key[:30], key[-30:]
        for start_at in (cursor, 0):
            at = haystack.find(head, start_at)
            if at >= 0:
                end = haystack.find(tail, at)
                limit = at + 2 * len(key)
                return at, end + len(tail) if 0 <= end < limit else at + len(head)
    return None


# -- paragraphs that are not the article's --------------------------------------------------


# Names of blocks set among an article's paragraphs that are not the article: promotions,
# adverts, tag and link lists, author boxes. They also serve as a wrapper's modifier
# ("has-ads", "with-tags"), so a block so named is left out only when it holds little of the
# text, never when it holds the article.
_ASIDE_WORDS = {
    "promo", "promos", "promoted", "sponsored", "advert", "advertisement", "ad", "ads",
    "adslot", "outbrain", "taboola", "recirculation", "readnext", "alsoread", "seealso",
    "morestories", "mostread", "mostpopular", "popular", "trending", "recommended", "tags",
    "taglist", "topics", "links", "bio", "authorbio", "authorbox", "subscribe", "subscription",
    "newsletter", "signup", "related", "share", "sharing", "social", "comments", "topic",
    "topiclist", "tagcloud", "keywords",
}  # fmt: skip
_ASIDE_SHARE = 0.25  # a block holding more of the text than this is the article's
_LABEL_CHARS = 40  # unless it is a label ("Advertisement") beside a very short article


def asides_left_out(page: Page, located: list[Located]) -> list[Located]:
    """The paragraphs, less those the extractor took from a promotion, an advert's label, a
    tag list or an author box among them: a block so named that holds at most a quarter of
    the text, or a label's few words and less than half of it (a wrapper named "with-ads"
    around the article holds all of it)."""
    found = sorted((p.start, len(p.text)) for p in located if p.start is not None)
    starts = [start for start, _ in found]
    sums = list(itertools.accumulate((size for _, size in found), initial=0))
    total = sums[-1]
    verdicts: dict[Any, bool] = {}

    def aside(element: Any) -> bool:
        if element not in verdicts:
            held = 0
            if (
                element.tag not in ARTICLE_LIKE
                and class_words(element) & _ASIDE_WORDS
                and next(element.iter("h1"), None) is None  # a headline's header "with-share"
            ):
                lo = bisect.bisect_left(starts, page.starts[element])
                hi = bisect.bisect_left(starts, page.ends[element])
                held = sums[hi] - sums[lo]
            verdicts[element] = held > 0 and (
                held <= _ASIDE_SHARE * total or (held <= _LABEL_CHARS and 2 * held < total)
            )
        return verdicts[element]

    kept = []
    for paragraph in located:
        owner = None if paragraph.start is None else page.owner(paragraph.start)
        if owner is not None and any(
            aside(a) for a in [owner, *owner.iterancestors()] if isinstance(a.tag, str)
        ):
            continue
        kept.append(paragraph)
    # A page whose every paragraph sits in a block so named ("para has-ad-after") names its
    # blocks otherwise: it loses nothing.
    whole = sum(len(p.text) for p in located)
    if whole - sum(len(p.text) for p in kept) > max(_ASIDE_SHARE * whole, 2 * _LABEL_CHARS):
        return located
    return kept


# How publishing systems name the element that holds an article's paragraphs.
_BODY_WORDS = {"articlebody", "storybody", "entrycontent", "postcontent", "articlecontent"}
_BODY_WORDS |= {"storycontent", "articletext", "storytext", "postbody", "entrybody"}
_BODY_SHARE = 0.8  # the named body must hold this share of the text to be the article's


def after_the_body_left_out(page: Page, located: list[Located]) -> list[Located]:
    """The paragraphs, less those after the end of the element the page names as the
    article's body (``itemprop="articleBody"``, a class such as "article-body"): an author's
    biography, a sign-off box. Only when that element holds most of the text, so that a page
    which names something else so loses nothing of its article."""
    spans: list[tuple[int, int]] = []  # the outermost named bodies, in page order
    for element in page.starts:
        if not isinstance(element.tag, str) or element in page.unseen or not _named_body(element):
            continue
        start, end = page.starts[element], page.ends[element]
        if spans and start < spans[-1][1]:
            continue  # within the one before
        spans.append((start, end))
    if not spans:
        return located
    starts = [lo for lo, _ in spans]

    def inside(paragraph: Located) -> bool:
        if paragraph.start is None:
            return False
        i = bisect.bisect_right(starts, paragraph.start) - 1
        return i >= 0 and paragraph.start < spans[i][1]

    held = sum(len(p.text) for p in located if inside(p))
    if held < _BODY_SHARE * sum(len(p.text) for p in located):
        return located
    end = spans[-1][1]
    return [p for p in located if p.start is None or p.start < end]


def _named_body(element: Any) -> bool:
    if "articleBody" in (element.get("itemprop") or "", element.get("name") or ""):
        return True
    return bool(element.get("class")) and bool(class_words(element) & _BODY_WORDS)
