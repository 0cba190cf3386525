"""Image captions found in a web page: those of the article, each once.

Extractors leave captions out, so they are taken from the page: a ``<figure>``'s
``<figcaption>`` (with any credit beside it), an element whose class says caption or credit,
a short element whose text is a picture credit ("Photo: ...", "Photograph: X/Getty
Images", "(Image: ...)"), and a line beside a picture that ends with one ("... on Sunday.
Photo: X", "... AGENCY/First Last"). Text for screen readers only, a gallery's counter and
the labels of picture controls are not part of a caption; of a carousel's copies of a slide,
one is kept. Captions in a menu, an aside, a teaser, a related-links or "read more" block
(one that holds none of the article's paragraphs) are not the article's.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.formats.webpages.markup import (
    ARTICLE_LIKE,
    CAPTION_WORDS,
    CREDIT_WORDS,
    INLINE,
    PICTURE_WORDS,
    class_words,
    hidden,
    spaceless,
    visible_text,
)
from annotator.formats.webpages.page_order import Located, Page

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_MEDIA = {"img", "picture", "video", "audio", "svg", "canvas", "iframe", "object", "embed"}
_MEDIA |= {"amp-img", "amp-anim", "amp-video", "amp-iframe"}  # an AMP page's pictures

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


@dataclass
class Caption:
    """A caption found on the page: its element, its text, and where it stands in the
    page's text."""

    element: Any
    text: str
    start: int
    end: int


def article_captions(page: Page, located: list[Located]) -> list[Caption]:
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
    kept: dict[str, Caption] = {}  # by text: a caption is kept once
    for caption in _find_captions(page, page.root):
        key = spaceless(caption.text)
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


def _copy_rank(caption: Caption) -> int:
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


def _region(page: Page, starts: list[int]) -> Any:
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


def _in_boilerplate(page: Page, element: Any, starts: list[int]) -> bool:
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


def _boilerplate(element: Any) -> bool:
    role = element.get("role")
    return (
        element.tag in _BOILERPLATE_TAGS
        or role in _BOILERPLATE_ROLES
        or bool(class_words(element) & _BOILERPLATE_WORDS)
    )


def _find_captions(page: Page, body: HtmlElement) -> list[Caption]:
    """Every caption on the page, in document order: a figure's caption (its
    ``<figcaption>`` and any credit beside it), an element whose class says caption or
    credit, and a short element whose text is a picture credit."""
    found: list[Caption] = []
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
        caption = Caption(element, text, page.starts[element], page.ends[element])
        if found and _one_caption(found[-1], caption):
            # A caption and its credit in two elements side by side: one caption.
            last = found[-1]
            found[-1] = Caption(last.element, f"{last.text} {text}", last.start, caption.end)
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


def _one_caption(first: Caption, second: Caption) -> bool:
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
    return bool(class_words(element) & CREDIT_WORDS - {"byline"}) and not hidden(element)


def _is_caption(element: Any) -> bool:
    words = class_words(element)
    if words & CAPTION_WORDS or element.get("itemprop") in ("caption", "copyrightHolder"):
        return True
    if words & PICTURE_WORDS and words & CREDIT_WORDS:
        return True
    if element.tag in INLINE - {"span", "small", "em", "i", "cite"}:
        return False
    text = visible_text(element)
    if not 0 < len(text) <= _CREDIT_CHARS:
        return False
    if _credited(text):
        return True
    # A credit at the end ("... on Tuesday. Photo: Ana Ruiz", "... AGENCY/Ana Ruiz") makes
    # a caption of a line set beside a picture; elsewhere it may be a sentence's end.
    return bool(_CREDIT_WIRE.search(text) or _CREDIT_END.search(text)) and _by_a_picture(element)


def _credited(text: str) -> bool:
    """Begins with a picture credit ("Photo: ...", "(Image: ...)"), or holds an agency's."""
    return bool(_CREDIT_START.search(text) or _CREDIT_AGENCY.search(text))


def credit_line(line: str) -> bool:
    """A line of plain text that is a picture's caption by its credit: short, and beginning
    with one, holding an agency's, or ending with one ("... on Sunday. Photo: X",
    "... AGENCY/First Last"); in a text file nothing says whether a picture stood beside it."""
    text = line.strip()
    if not 0 < len(text) <= _CREDIT_CHARS:
        return False
    return _credited(text) or bool(_CREDIT_WIRE.search(text) or _CREDIT_END.search(text))


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
        and spaceless(visible_text(parent)) == spaceless(visible_text(element))
    )


def _pictures(element: Any) -> int:
    return sum(1 for _ in element.iterdescendants(*_MEDIA))
