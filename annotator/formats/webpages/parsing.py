"""A saved page's text as a tree: parsed, never run or rendered (no DTD is read, nothing is
fetched), with nesting deeper than any page needs taken apart so that the page reads the
same at less cost. A page with nothing to parse, or nested deeper than the parser reads, is
refused with the reason.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from annotator.formats.decoding import DecodeError
from annotator.formats.webpages.blocks import BLOCKS, regroup
from annotator.formats.webpages.markup import UNSEEN_TAGS

if TYPE_CHECKING:
    from lxml.html import HtmlElement

NO_TEXT = "no article text found in the page; import it with --raw to keep its characters"

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_page(html: str) -> HtmlElement:
    """The page as a tree; lxml's HTML parser reads no DTD and fetches nothing.

    The parser is let read elements nested up to 2,048 deep (libxml2's most; by default it
    stops at 256 and drops the rest of the page), and nesting past :data:`DEEPEST` is then
    taken apart (:func:`_shallow`). A page nested deeper than the parser reads is refused,
    saying so, rather than read in part."""
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    if "\x00" in html:
        html = html.replace("\x00", "")
    # An XHTML page's <?xml encoding=...?> was read already; lxml refuses text that has one.
    html = _XML_DECLARATION.sub("", html, count=1)
    parser = HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=True
    )
    try:
        tree = document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        raise DecodeError(NO_TEXT) from None
    if any("Excessive depth" in error.message for error in parser.error_log):
        raise DecodeError(TOO_DEEP)
    _shallow(tree)
    return tree


#: How deep elements may nest before the nesting is taken apart. Pages nest some 10 to 40 deep;
#: each level more costs every pass over the page (and the extractor) time.
DEEPEST = 100
TOO_DEEP = (
    "its elements are nested more than 2,048 deep, deeper than the HTML parser reads (it would "
    "drop the rest of the page); import it with --raw to keep its characters"
)
# What keeps its element however deep it stands: what the extractor reads as a paragraph,
# heading, list, table, quote, link or caption.
_KEPT_DEEP = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"}
_KEPT_DEEP |= {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure"}
_KEPT_DEEP |= {"figcaption", "img", "picture", "br", "hr", "pre", "code", "a", "blockquote"}
_KEPT_DEEP |= {"article", "main", "title", "meta", "time"} | UNSEEN_TAGS


def _shallow(tree: HtmlElement) -> None:
    """Nesting past :data:`DEEPEST` taken apart: each deeper element other than those the
    extractor reads as text (paragraphs, headings, lists, tables, links...) gives way to its
    content, a block's loose text made into paragraphs first so that no two run together.
    The page reads the same, in the same order; a page that nests no deeper is untouched."""
    depth = {tree: 0}
    deep: list[HtmlElement] = []
    for element in tree.iterdescendants():
        parent = element.getparent()
        level = depth[element] = depth[parent] + 1
        if level > DEEPEST and isinstance(element.tag, str) and element.tag not in _KEPT_DEEP:
            deep.append(element)
    for element in reversed(deep):  # the innermost first
        if element.tag in BLOCKS or element.tag in _LOOSE_BLOCKS:
            regroup(element)
        element.drop_tag()


_LOOSE_BLOCKS = {"center", "details", "summary", "fieldset"}
