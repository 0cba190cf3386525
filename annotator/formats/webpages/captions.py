"""Image captions found in a web page and put back into the article extracted from it.

Extractors leave captions out, so they are taken from the page: a ``<figure>``'s
``<figcaption>`` (with any credit beside it), an element whose class says caption or credit,
a short element whose text is a picture credit ("Photo: ...", "Photograph: X/Getty
Images", "(Image: ...)"), and a line beside a picture that ends with one ("... on Sunday.
Photo: X", "... AGENCY/First Last"). Text for screen readers only, a gallery's counter and
the labels of picture controls are not part of a caption; of a carousel's copies of a slide,
one is kept. Captions in a menu, an aside, a teaser, a related-links or "read more" block
(one that holds none of the article's paragraphs) are not the article's.

The paragraphs are checked against the page too: those taken from a promotion, an advert's
label, a tag list or an author box among them, and those after the element the page names
as the article's body, are left out.

Where a caption goes is found by the text before it: the page's visible text is laid out in
document order without white space, each extracted paragraph is found in it, and the caption
follows the nearest paragraph before its element. A caption the extractor kept is marked
where it is, never added twice.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.etree import _Element as Element
    from lxml.html import HtmlElement

# What lies outside the reader's view of a page, never text of the article.
_UNSEEN = {"script", "style", "template", "noscript", "head", "title", "meta", "link", "svg"}
_UNSEEN |= {"iframe", "object", "embed", "canvas", "button", "select", "option", "textarea"}
# Tags within which text runs on; any other tag ends a run (with a space between).
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd"}
_INLINE |= {"mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u"}
_INLINE |= {"var", "wbr", "font", "ins", "del"}
_MEDIA = {"img", "picture", "video", "audio", "svg", "canvas", "iframe", "object", "embed"}
_MEDIA |= {"amp-img", "amp-anim", "amp-video", "amp-iframe"}  # an AMP page's pictures
ARTICLE_LIKE = {"article", "main"}
# The attribute webpages marks what it took out before extraction with: not the article.
LEFT_OUT = "data-annotator-left-out"
_HOLDS_ARTICLE = ("article", "main", "h1")

# Class names (split at "-", "_" and case changes) that say "caption" or "picture credit".
_CAPTION_WORDS = {"caption", "captions", "figcaption", "credit", "credits", "imagecredit"}
_CAPTION_WORDS |= {"photocredit", "photocaption", "imagecaption", "wpcaption"}
# A newsroom's word for a caption, and the French and Spanish ones ("légende", "leyenda").
_CAPTION_WORDS |= {"cutline", "cutlines", "legend", "legende", "leyenda"}
_PICTURE_WORDS = {"photo", "photos", "image", "images", "img", "picture", "pic", "media"}
_CREDIT_WORDS = {"byline", "source", "copyright", "credit"}
# Screen-reader-only text ("Image caption, " before a caption), by the class names the common
# frameworks and themes give it (Bootstrap's sr-only, WordPress's screen-reader-text, ...).
_SCREEN_READER_WORDS = {"sronly", "visuallyhidden", "screenreader", "screenreadertext"}
_SCREEN_READER_WORDS |= {"screenreaderonly", "readeronly", "srtext", "offscreen", "a11yhidden"}
# Blocks that are never the article: a caption inside one (which holds none of the article's
# paragraphs) belongs to a teaser, a menu or an advert.
_BOILERPLATE_TAGS = {"nav", "aside", "footer", "form", "menu"}
_BOILERPLATE_ROLES = {"navigation", "complementary", "contentinfo", "search", "dialog"}
_BOILERPLATE_WORDS = {
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "related", "recommended",
    "recommendation", "recommendations", "promo", "promoted", "sponsored", "sidebar", "share",
    "sharing", "sharebar", "social", "comment", "comments", "cookie", "cookies", "consent",
    "gdpr", "newsletter", "subscribe", "subscription", "signup", "footer", "teaser", "teasers",
    "outbrain", "taboola", "widget", "advert", "advertisement", "ad", "ads", "popular",
    "trending", "readmore", "mostread", "morestories", "alsoread", "readnext", "seealso",
    "recirculation", "mostpopular", "tags", "topics", "bio", "authorbio", "authorbox",
}  # fmt: skip

# A line that is a picture credit by its words: "Photo: ...", "Photograph: X/Getty Images",
# "تصوير: ...", "צילום: ...", "写真：...",
# "(Image: ...)", "AP Photo/...", "REUTERS/...". Agency names are matched at word edges, so
# "AP" in "Chapter" does not count.
_CREDIT_START = re.compile(
    r"^\(?\s*(photo(graph)?s?|pictures?|pictured|images?|illustration|graphic|credit|foto"
    r"|crédit|bild|تصوير|صورة|צילום|写真|照片|图片|圖片|사진)"
    r"(\s+(by|credit|courtesy( of)?))?\s*[:|：]\s*\S",
    re.IGNORECASE,
)
_CREDIT_AGENCY = re.compile(
    r"(\bAP Photo\s*/|\b(REUTERS|AFP|EPA|EPA-EFE|ANP|DPA|XINHUA|ANSA)\s*/\s*\w"
    r"|(/|\(|–|—|\bvia\s)\s*(Getty Images|AFP via Getty Images|Getty|Shutterstock|Alamy|Reuters"
    r"|AP|AFP|EPA|PA Wire|PA Media|Bloomberg|NurPhoto|SOPA Images)\)?\s*$)"
)
# Any agency's credit in the wire style, closing the caption: an upper-case name, a slash and
# the photographer's first and last names ("NORDPRESS/Lena Sato", ".../File Photo").
_CREDIT_WIRE = re.compile(
    r"(^|\s)[A-Z]{2,}(-[A-Z]{2,})?\s?/\s?[A-ZÀ-ÖØ-Þ][^\W\d_]*([ '’-][A-ZÀ-ÖØ-Þ][^\W\d_.]*\.?)+"
    r"(/(File|Pool|Handout)( Photo)?)?\s*$"
)
# The same credit closing a caption, after its last sentence or a dash.
_CREDIT_END = re.compile(
    r"([.!?…»”\"]\s+|[。！？」』＝]\s*|\s[–—-]\s+|\s\(|^)(photo(graph)?s?|pictures?|images?|foto|credit|crédit"
    r"|bild|تصوير|صورة|צילום|写真|照片|图片|圖片|사진)(\s+(by|credit|courtesy( of)?))?\s*[:|：]"
    r"\s*[^.!?:]{1,80}\)?\s*$",
    re.IGNORECASE,
)
_CREDIT_CHARS = 300  # a longer run of text is a paragraph that mentions a photo
_CAPTION_CHARS = 600  # a longer "caption" element is a wrapper, not a caption
_LOOSE = 20  # a caption this long found inside a paragraph's words is in it (shorter: by chance)

HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space; a no-break space is text
_CLASS_PARTS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def hidden(element: Element) -> bool:
    """Hidden from the reader by its markup (a banner shown only by a script), or text meant
    only for screen readers. ``aria-hidden`` is not: carousels give it to every slide but
    the one in view."""
    if element.get("hidden") is not None:
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    return bool(element.get("class")) and bool(class_words(element) & _SCREEN_READER_WORDS)


_NAMING = ("class", "id", "data-component", "data-testid", "data-module", "aria-label")


def _conceals(element: Element) -> bool:
    """Taken out before extraction, or hidden and holding no article: a page saved before
    its scripts had shown it (an app kept at ``visibility: hidden``) still has its article."""
    if element.get(LEFT_OUT) is not None:
        return True
    return hidden(element) and next(element.iterdescendants(*_HOLDS_ARTICLE), None) is None


def class_words(element: Element) -> frozenset[str]:
    """The words of the names an element is given (class, id, the ``data-component`` and
    ``data-testid`` that component frameworks write, ``aria-label``): "related-links" gives
    related, links and relatedlinks; "byLinePhoto" gives by, line, photo and their pairs."""
    return _name_words(" ".join(element.get(a) or "" for a in _NAMING))


@functools.lru_cache(maxsize=4096)
def _name_words(names: str) -> frozenset[str]:
    """The words of a page's names, once for each name it repeats on every paragraph."""
    words: set[str] = set()
    for name in names.split():
        parts = [p.lower() for p in _CLASS_PARTS.findall(name)]
        words.update(parts)
        words.update(a + b for a, b in zip(parts, parts[1:], strict=False))
        words.add("".join(parts))
    return frozenset(words)


def _key(text: str) -> str:
    """Text compared without its white space: markup puts spaces and line breaks where the
    extractor puts others."""
    return "".join(unicodedata.normalize("NFC", text).split())


# -- the page in document order -------------------------------------------------------------


class _Page:
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
            key = _key(text) if text else ""
            if key:
                self.owners.append((length, owner))
                chunks.append(key)
                length += len(key)

        walker = etree.iterwalk(body, events=("start", "end"))
        for event, element in walker:
            if event == "start":
                self.starts[element] = length
                if not isinstance(element.tag, str) or element.tag in _UNSEEN or _conceals(element):
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
class _Located:
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


@dataclass
class _Caption:
    element: Any
    text: str
    start: int
    end: int


def _locate(page: _Page, paragraphs: list[str]) -> list[_Located]:
    """Each paragraph found in the page's text, in order; found again from the start, or by
    its first or last words, when the extractor reordered or trimmed it."""
    located = []
    cursor = 0
    for text in paragraphs:
        key = _key(text)
        found = _find(page.text, key, cursor)
        if found is None:
            located.append(_Located(text))
            continue
        start, end = found
        located.append(_Located(text, start, end))
        cursor = end
    return located


# Blocks that are each a paragraph to the reader: these, and any block holding none of them
# (an advert's label in a <div>, a caption).
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "dt", "dd"}
_PIECE_TAGS = _PARAGRAPH_TAGS | {"div", "figcaption", "section", "aside", "td", "th"}
_PIECE_TAGS |= {"header", "footer", "article", "main", "address"}


def _split_at_blocks(page: _Page, located: list[_Located]) -> list[_Located]:
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
    out: list[_Located] = []
    cursor = 0  # where the last paragraph found ends in the page's text
    for paragraph in located:
        if (
            paragraph.start is None
            or paragraph.end is None
            or paragraph.end - paragraph.start < len(_key(paragraph.text))  # found by its head
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
) -> list[_Located] | None:
    """The text cut where each block's text ends, when it is the blocks' texts one after
    the other (a block the extractor left out, a menu, is passed over); else None. Texts are
    compared without white space; ``keys`` keeps each block's."""
    at = [i for i, ch in enumerate(text) if not ch.isspace()]  # where each key character is
    key = "".join(text[i] for i in at)
    pieces: list[_Located] = []
    k = 0
    for start, end, element in blocks:
        if k == len(key):
            break
        block = keys.get(element)
        if block is None:
            block = keys[element] = _key(visible_text(element))
        if block and key.startswith(block, k):
            pieces.append(_Located(text[at[k] : at[k + len(block) - 1] + 1], start, end))
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


def _find_captions(page: _Page, body: HtmlElement) -> list[_Caption]:
    """Every caption on the page, in document order: a figure's caption (its
    ``<figcaption>`` and any credit beside it), an element whose class says caption or
    credit, and a short element whose text is a picture credit."""
    found: list[_Caption] = []
    taken: set[Any] = set()
    for element in body.iterdescendants():
        if not isinstance(element.tag, str) or not page.seen(element):
            continue
        if any(a in taken for a in element.iterancestors()):
            continue
        if element.tag == "figure" and next(element.iterdescendants("figure"), None) is not None:
            continue  # a gallery of figures: each its own caption, and the gallery's, below
        if element.tag == "figcaption" and _of_a_gallery(element):
            text = visible_text(element, controls=False)  # a gallery's own caption
        elif element.tag == "figure":
            parts = _figure_parts(element)
            if not parts:
                continue
            text = " ".join(visible_text(p, controls=False) for p in parts).strip()
        elif page.size(element) <= _CAPTION_CHARS and _is_caption(element):
            text = visible_text(element, controls=False)
        else:
            continue
        if not text or len(text) > _CAPTION_CHARS:
            continue
        taken.add(element)
        caption = _Caption(element, text, page.starts[element], page.ends[element])
        if found and _one_caption(found[-1], caption):
            # A caption and its credit in two elements side by side: one caption.
            last = found[-1]
            found[-1] = _Caption(last.element, f"{last.text} {text}", last.start, caption.end)
            taken.add(element)
        else:
            found.append(caption)
    return found


def _of_a_gallery(figcaption: Any) -> bool:
    """Whether the figcaption is that of a figure made of figures."""
    figure = figcaption.getparent()
    return (
        figure is not None
        and figure.tag == "figure"
        and next(figure.iterdescendants("figure"), None) is not None
    )


def _one_caption(first: _Caption, second: _Caption) -> bool:
    """Two caption elements next to each other under one parent, with no text between (a
    caption paragraph, then its credit); two figures in a row are two pictures."""
    return (
        first.end == second.start
        and first.element.getparent() is second.element.getparent()
        and "figure" not in (first.element.tag, second.element.tag)
        and not _pictures(second.element)  # a credit has no picture of its own
    )


def _figure_parts(figure: Any) -> list[Any]:
    """The caption parts of a picture's figure, outermost first; none for a figure that
    frames a quotation (its figcaption names the speaker)."""
    media = next(figure.iterdescendants(*_MEDIA), None) is not None
    if not media and next(figure.iterdescendants("blockquote"), None) is not None:
        return []
    parts: list[Any] = []
    for element in figure.iterdescendants():
        if not isinstance(element.tag, str) or any(a in parts for a in element.iterancestors()):
            continue
        if element.tag == "figcaption" or _is_caption(element) or _is_credit(element):
            parts.append(element)
    return parts


def _is_credit(element: Any) -> bool:
    """Within a figure, an element named for a credit or copyright is the picture's."""
    return bool(class_words(element) & _CREDIT_WORDS - {"byline"}) and not hidden(element)


def _is_caption(element: Any) -> bool:
    words = class_words(element)
    if words & _CAPTION_WORDS or element.get("itemprop") in ("caption", "copyrightHolder"):
        return True
    if words & _PICTURE_WORDS and words & _CREDIT_WORDS:
        return True
    if element.tag in _INLINE - {"span", "small", "em", "i", "cite"}:
        return False
    text = visible_text(element)
    if not 0 < len(text) <= _CREDIT_CHARS:
        return False
    if _CREDIT_START.search(text) or _CREDIT_AGENCY.search(text):
        return True
    # A credit at the end ("... on Tuesday. Photo: Ana Ruiz", "... AGENCY/Ana Ruiz") makes
    # a caption of a line set beside a picture; elsewhere it may be a sentence's end.
    return bool(_CREDIT_WIRE.search(text) or _CREDIT_END.search(text)) and _by_a_picture(element)


def _by_a_picture(element: Any) -> bool:
    """Whether the element frames one picture with its line, follows one, or shares a frame
    only with one (a frame of several pictures is a gallery, each with its own caption)."""
    if next(element.iterdescendants("figure"), None) is not None:
        return False
    if _pictures(element) == 1:
        return True
    if _pictures(element):
        return False
    before = element.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    if before is not None and (before.tag in _MEDIA or _pictures(before) == 1):
        return True
    parent = element.getparent()
    return (
        parent is not None
        and _pictures(parent) == 1
        and _key(visible_text(parent)) == _key(visible_text(element))
    )


def _pictures(element: Any) -> int:
    return sum(1 for _ in element.iterdescendants(*_MEDIA))


def visible_text(element: Any, *, controls: bool = True) -> str:
    """An element's text as a reader sees it: scripts and the like left out, a space where
    one block ends and the next begins, white space collapsed; without ``controls``, also
    without a gallery's counter and the labels of links that work the picture ("Enlarge",
    "Buy photo")."""
    pieces: list[str] = []

    def walk(el: Any) -> None:
        if el.text:
            pieces.append(el.text)
        for child in el:
            shown = isinstance(child.tag, str) and child.tag not in _UNSEEN and not hidden(child)
            if shown and (controls or not _control(child)):
                before = child.getprevious()
                if not controls and before is not None and not before.tail:
                    pieces.append(_JOIN)  # two elements side by side, nothing between
                boundary = child.tag not in _INLINE or _is_part(child)
                if boundary:
                    pieces.append(" ")
                walk(child)
                if boundary:
                    pieces.append(" ")
            if child.tail:
                pieces.append(child.tail)

    walk(element)
    text = "".join(pieces)
    if not controls:
        text = _JOINED_WORDS.sub(" ", text).replace(_JOIN, "")
    text = unicodedata.normalize("NFC", HTML_SPACE.sub(" ", text).strip())
    return text if controls else _COUNTER.sub("", text)


# A caption's parts written side by side with nothing between (minified markup): where one
# ends a word or sentence and the next begins one, the reader sees them apart.
_JOIN = "\x01"
_JOINED_WORDS = re.compile(r"(?<=[\w.!?:;)\]”’\"])\x01+(?=[\w(“‘\"])")


# The labels of what works a picture, never its caption.
_CONTROL_LABEL = re.compile(
    r"^((show|hide|toggle|view|close|expand) (the )?caption|enlarge( this)?( image| photo)?"
    r"|expand( this)?( image| photo)?|(buy|purchase)( this)? (photo|image|print|reprint"
    r"|licensing rights)(, opens new tab)?|open (the )?(gallery|image|slideshow)|close"
    r"|fullscreen|full screen|zoom|(previous|next)( image| photo| slide)?)$",
    re.IGNORECASE,
)
_COUNTER_WORDS = {"counter", "count", "slidecount", "gallerycount", "pagination", "pager"}
_COUNTER = re.compile(r"^\(?\d{1,3}\s?/\s?\d{1,3}\)?\s+(?=\S)")  # "3/12 " before a slide's caption


def _control(element: Any) -> bool:
    """A gallery's "3 of 12" counter, or a link or button that works the picture."""
    if class_words(element) & _COUNTER_WORDS:
        return True
    if element.tag not in _INLINE:
        return False
    text = HTML_SPACE.sub(" ", element.text_content()).strip()
    return bool(text) and _CONTROL_LABEL.match(text) is not None


def _is_part(element: Any) -> bool:
    words = class_words(element)
    return bool(words & _CAPTION_WORDS or (words & _PICTURE_WORDS and words & _CREDIT_WORDS))


def _boilerplate(element: Any) -> bool:
    role = element.get("role")
    return (
        element.tag in _BOILERPLATE_TAGS
        or role in _BOILERPLATE_ROLES
        or bool(class_words(element) & _BOILERPLATE_WORDS)
    )


# -- putting captions back ------------------------------------------------------------------


def with_captions(body: HtmlElement, paragraphs: list[str]) -> tuple[str, list[list[int]]]:
    """The article's text with each caption as a paragraph after the extracted paragraph
    that comes before it in the page, and the captions' [start, end] in that text."""
    page = _Page(body)
    located = _split_at_blocks(page, _locate(page, paragraphs))
    located = _asides_left_out(page, _after_the_body_left_out(page, located))
    captions = _article_captions(page, located)
    # A paragraph the extractor took from inside a caption is that caption, put back whole.
    caption_starts = [c.start for c in captions]  # in page order, none within another

    def in_a_caption(paragraph: _Located) -> bool:
        if paragraph.start is None:
            return False
        j = bisect.bisect_right(caption_starts, paragraph.start) - 1
        return j >= 0 and paragraph.within(captions[j].start, captions[j].end)

    body = [p for p in located if not in_a_caption(p)]
    order = _Order(body)
    after: dict[int, list[_Caption]] = {}  # paragraph index (-1: before the first) → captions
    inside: dict[int, list[_Caption]] = {}  # captions already within a paragraph's text
    for caption in captions:
        holder = order.holder(caption)
        if holder is None:  # not found where it stood, but its words are in a paragraph
            holder = order.holding_words(_key(caption.text))
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

    def __init__(self, body: list[_Located]) -> None:
        self.body = body
        found = [(p.start, p.end, i) for i, p in enumerate(body) if p.start is not None]
        self.starts = [start for start, _, _ in found]
        self.indexes = [i for _, _, i in found]
        self.ordered = all(
            a[1] is not None and a[1] <= b[0] and a[2] < b[2]
            for a, b in zip(found, found[1:], strict=False)
        )
        self.keys = [_key(p.text) for p in body]
        self.joined = _SEPARATOR.join(self.keys)
        self.key_starts = list(itertools.accumulate((len(k) + 1 for k in self.keys), initial=0))
        self.exact: dict[str, int] = {}
        for i, key in enumerate(self.keys):
            self.exact.setdefault(key, i)

    def holder(self, caption: _Caption) -> int | None:
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
    paragraph: str, captions: list[_Caption]
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
            found.append((match.start(), match.end(), caption.element.tag not in _INLINE))
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


def _asides_left_out(page: _Page, located: list[_Located]) -> list[_Located]:
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


def _after_the_body_left_out(page: _Page, located: list[_Located]) -> list[_Located]:
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

    def inside(paragraph: _Located) -> bool:
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


def _article_captions(page: _Page, located: list[_Located]) -> list[_Caption]:
    """The page's captions that belong to the article: within its ``<article>`` or
    ``<main>`` (or the element holding all its paragraphs), above it in the page's
    ``<main>``, or between its headline and its last paragraph; none from a menu, aside or
    teaser block that holds none of its paragraphs; each text once."""
    starts = sorted(p.start for p in located if p.start is not None)
    if not starts:
        return []
    ends = [p.end for p in located if p.end is not None]
    region = _region(page, starts)
    main = None
    if region is not None:
        main = next(
            (a for a in region.iterancestors() if a.tag == "main" or a.get("role") == "main"),
            None,
        )
    first, last = starts[0], max(ends)
    headline = [
        page.starts[h]
        for h in page.starts
        if isinstance(h.tag, str) and h.tag == "h1" and page.starts[h] <= first
    ]
    span_start = max(headline) if headline else first
    kept: dict[str, _Caption] = {}  # by text: a caption is kept once
    for caption in _find_captions(page, page.root):
        key = _key(caption.text)
        if key in kept and _copy_rank(kept[key]) <= _copy_rank(caption):
            continue
        ancestors = [caption.element, *caption.element.iterancestors()]
        within = region is not None and any(a is region for a in ancestors)
        # A lead picture set above the article, in the page's <main>.
        lead = (
            main is not None
            and region is not None
            and caption.start < page.starts[region]
            and any(a is main for a in ancestors)
        )
        if not (within or lead or span_start <= caption.start < last):
            continue
        if _in_boilerplate(page, caption.element, starts) or teaser(caption.element):
            continue
        kept[key] = caption
    return sorted(kept.values(), key=lambda c: c.start)


_PICTURE_FILE = re.compile(r"\.(jpe?g|png|gif|webp|avif|tiff?)([?#].*)?$", re.IGNORECASE)


def teaser(element: Any) -> bool:
    """A "caption" inside a link to another page is a teaser's headline; inside a link to
    the picture itself (a gallery's), it is the picture's."""
    for link in element.iterancestors("a"):
        href = (link.get("href") or "").strip()
        if href and not href.startswith("#") and not _PICTURE_FILE.search(href):
            return True
    return False


def _copy_rank(caption: _Caption) -> int:
    """Which of a caption's copies to keep: a carousel repeats its first and last slides at
    either end to loop, marking the copies "cloned" or "duplicate" and hiding them from
    screen readers (``aria-hidden``); the slide itself is kept where it stands."""
    rank = 0
    for element in [caption.element, *caption.element.iterancestors()]:
        if class_words(element) & _COPY_WORDS:
            rank = max(rank, 2)
        elif element.get("aria-hidden") == "true":
            rank = max(rank, 1)
    return rank


_COPY_WORDS = {"clone", "cloned", "duplicate"}


def _region(page: _Page, starts: list[int]) -> Any:
    """The element that holds the article: the ``<article>``/``<main>`` around the lowest
    element holding all its paragraphs, else that element."""
    paths = []
    for offset in starts:
        owner = page.owner(offset)
        if owner is None:
            continue
        paths.append([*reversed(list(owner.iterancestors())), owner])
    if not paths:
        return None
    common = None
    for level in zip(*paths, strict=False):  # as deep as the shallowest
        if all(el is level[0] for el in level):
            common = level[0]
        else:
            break
    if common is None:
        return None
    for element in [common, *common.iterancestors()]:
        if element.tag in ARTICLE_LIKE or element.get("itemprop") == "articleBody":
            return element
    return common


def _in_boilerplate(page: _Page, element: Any, starts: list[int]) -> bool:
    """Whether the element sits in a menu, aside, teaser or the like that holds none of the
    article's paragraphs (one that holds some is part of the article, whatever its name)."""
    for ancestor in [element, *element.iterancestors()]:
        if ancestor.tag in ("body", "html"):
            break
        if not _boilerplate(ancestor) and not hidden(ancestor):
            continue
        lo, hi = page.starts[ancestor], page.ends[ancestor]
        i = bisect.bisect_left(starts, lo)
        if i >= len(starts) or starts[i] >= hi:
            return True
    return False
