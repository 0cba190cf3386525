"""What is taken out of a copy of the page before extraction: what is plainly not the
article (cookie banners, menus, share bars, hidden blocks, author boxes) and lists of links
(menus, "other stories", another story's headline), since an extractor may take such a block
for the article when it is the page's largest text, or keep a piece of one. The copy's
layout tables and ``<br><br>`` breaks are made into the blocks a reader sees (``blocks``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING

from annotator.formats.webpages.blocks import as_blocks, lays_out, split_at_blank_lines
from annotator.formats.webpages.captions import teaser
from annotator.formats.webpages.markup import (
    ARTICLE_LIKE,
    HTML_SPACE,
    LEFT_OUT,
    UNSEEN_TAGS,
    class_words,
    hidden,
    text_size,
)
from annotator.formats.webpages.paragraphs import link_line

if TYPE_CHECKING:
    from lxml.etree import _Element as Element
    from lxml.html import HtmlElement

# Blocks taken out of the page before extraction (the surest of ``captions``' boilerplate),
# because an extractor may take one for the article when it is the page's largest text (a
# cookie banner on a page of links), or keep a piece of one (the heading of a list of links).
# These are the names publishing systems and themes commonly give such blocks, in class, id,
# data-component or aria-label; ``page_order`` leaves out what the extractor keeps of
# promotions, adverts, tag lists and author boxes.
_NEVER_ARTICLE_WORDS = {
    "cookie", "cookies", "consent", "gdpr", "share", "sharing", "sharebar", "social",
    "breadcrumb", "breadcrumbs", "newsletter", "signup", "readmore", "related", "nav", "navbar",
    "navigation", "menu", "authorbio", "authorbox", "authorinfo", "aboutauthor", "bio", "promo",
    "promos", "promoted", "sponsored", "advert", "advertisement", "adslot", "outbrain",
    "taboola", "recirculation", "readnext", "alsoread", "seealso", "morestories", "mostread",
    "mostpopular", "tagcloud", "taglist", "topiclist",
}  # fmt: skip

_NEVER_ARTICLE_TAGS = {"nav", "menu"}
_NEVER_ARTICLE_CHARS = 500  # a block this short may go even when it is most of the page

_LINK_SHARE = 0.7  # a block with this share of its text in links is a list of links
_ALL_LINK_SHARE = 0.9  # a paragraph with this share of its text in one link is that link
_HEADLINE_CHARS = 200  # and is a headline when it is no longer than this

_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_HEADING_CHARS = 80  # a list of links' heading is no longer than this
_LINK_LIST_TAGS = ("p", "div", "ul", "ol", "li", "td", "section", "aside", "header", "footer")


def pruned_copy(tree: HtmlElement) -> HtmlElement:
    """A copy of the page for the extractor, without what is plainly not the article and
    without lists of links, its layout tables and blank lines made into blocks.

    What is taken out is marked in ``tree`` too (``LEFT_OUT``), so that the paragraphs are
    found in the page's text as the extractor saw it, without a menu between two of them."""
    for element in list(_never_article(tree)):
        element.set(LEFT_OUT, "")
    for element in tree.iter("noscript", "template"):  # what a reader with scripts never sees
        element.set(LEFT_OUT, "")
    for element in list(_link_lists(tree)):
        if not any(a.get(LEFT_OUT) is not None for a in element.iterancestors()):
            element.set(LEFT_OUT, "")
    pruned = copy.deepcopy(tree)
    for element in list(pruned.iter()):
        if element.get(LEFT_OUT) is not None and element.getparent() is not None:
            element.drop_tree()
    for table in list(pruned.iter("table")):
        if lays_out(table):
            as_blocks(table)
    split_at_blank_lines(pruned)
    for element in list(_link_lists(pruned)):
        if element.getparent() is not None:
            element.drop_tree()
    return pruned


def _never_article(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Elements that are plainly not the article, and hold nothing that could be: no
    ``<article>``, ``<main>`` or ``<h1>``, and not most of the page's text (a page-wide
    wrapper may well be called "has-nav")."""
    body = tree.find("body")
    if body is None:
        body = tree
    most = max(_NEVER_ARTICLE_CHARS, text_size(body) // 2)
    for element in body.iterdescendants():
        if not isinstance(element.tag, str) or element.tag in ARTICLE_LIKE:
            continue
        marked = (
            hidden(element)
            or element.tag in _NEVER_ARTICLE_TAGS
            or element.get("role") == "navigation"
            or bool(class_words(element) & _NEVER_ARTICLE_WORDS)
        )
        if not marked:
            continue
        if next(element.iterdescendants("article", "main", "h1"), None) is not None:
            continue
        if text_size(element) > most:
            continue
        yield element


def _link_lists(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Blocks that are mostly links (two or more, and most of their text): menus, "other
    stories" lists, "Print | Email | Back" lines; and a short paragraph or item that is all
    one link (another story's headline). Outermost first, as in ``_never_article``."""
    body = tree.find("body")
    if body is None:
        body = tree
    most = max(_NEVER_ARTICLE_CHARS, text_size(body) // 2)
    for element in body.iterdescendants(*_LINK_LIST_TAGS):
        size = text_size(element)
        if size == 0 or size > most or next(element.iter("h1"), None) is not None:
            continue
        if element.get(LEFT_OUT) is not None or _holds_a_caption(element):
            continue  # a gallery's pictures, each a link with its caption
        links = [a for a in element.iter("a") if a.get("href") is not None and text_size(a)]
        linked = sum(text_size(a) for a in links)
        # A list's heading ("More from the coast") is no text of its own.
        headings = sum(
            text_size(h) for h in element.iter(*_HEADINGS) if h.find(".//a[@href]") is None
        )
        if len(links) >= 2 and linked >= _LINK_SHARE * (size - min(headings, _HEADING_CHARS)):
            yield element
        elif (
            links
            and element.tag in ("p", "li", "div")
            and size <= _HEADLINE_CHARS
            and (linked >= _ALL_LINK_SHARE * size or link_line(_unlinked_text(element)))
        ):
            yield element  # another story's headline, bare or labelled "Related"


def _holds_a_caption(element: Element) -> bool:
    """Whether a picture's caption is within (not a teaser's "caption" in a link elsewhere)."""
    return any(
        (d.tag in ("figure", "figcaption") or class_words(d) & _CAPTION_CLASS_WORDS)
        and not teaser(d)
        for d in element.iter()
        if isinstance(d.tag, str)
    )


_CAPTION_CLASS_WORDS = {"caption", "captions", "figcaption", "wpcaption", "cutline"}


def _unlinked_text(element: Element) -> str:
    """The element's text outside its links: "Related:" before a linked headline."""
    pieces: list[str] = []

    def walk(el: Element) -> None:
        if el.text and el.tag != "a":
            pieces.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and child.tag != "a" and child.tag not in UNSEEN_TAGS:
                walk(child)
            if child.tail:
                pieces.append(child.tail)

    walk(element)
    return HTML_SPACE.sub(" ", " ".join(pieces)).strip()
