"""A saved web page made into an article: its main text, its image captions, and its metadata.

The main text comes from trafilatura, which leaves out navigation, related links, share
buttons, comments and the like, and also leaves out image captions. Captions are what an
analyst tags, so they are taken from the page itself (``<figure>``/``<figcaption>``, elements
whose class says caption or credit, and picture-credit lines such as "Photograph: ... /
Getty Images") and each is put back as a paragraph of its own after the extracted paragraph
that comes before it in the page. ``meta["captions"]`` lists their ``[start, end]`` offsets
(code points, end exclusive), which the captions suggester proposes.

Before extraction, a copy of the page loses what is plainly not the article (cookie banners,
menus, share bars, hidden blocks, lists of links, another story's headline), a table used
for layout becomes the blocks it lays out (without its side columns), and text broken by
``<br><br>`` becomes paragraphs. After it, lines such as "Read more: ...", "Advertisement" or
"Sign up for our newsletter", and the byline, are dropped.

The page is parsed, never run or rendered: no script, no style sheet, no image, nothing is
fetched. trafilatura and lxml are imported only when a page is read.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import json
import logging
import re
import unicodedata
from collections.abc import Collection, Iterator
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from annotator.formats.decoding import Decoded, DecodeError, decode_bytes, sniff_bom
from annotator.formats.webpages.captions import teaser
from annotator.formats.webpages.markup import (
    ARTICLE_LIKE,
    HTML_SPACE,
    LEFT_OUT,
    class_words,
    hidden,
    visible_text,
)
from annotator.formats.webpages.placing import with_captions

if TYPE_CHECKING:
    from lxml.etree import _Element as Element
    from lxml.html import HtmlElement

NO_TEXT = "no article text found in the page; import it with --raw to keep its characters"

# Blocks taken out of the page before extraction (the surest of page_captions' boilerplate),
# because an extractor may take one for the article when it is the page's largest text (a
# cookie banner on a page of links), or keep a piece of one (the heading of a list of links).
# These are the names publishing systems and themes commonly give such blocks, in class, id,
# data-component or aria-label; page_captions leaves out what the extractor keeps of
# promotions, adverts, tag lists and author boxes.
_NEVER_ARTICLE_WORDS = {
    "cookie", "cookies", "consent", "gdpr", "share", "sharing", "sharebar", "social",
    "breadcrumb", "breadcrumbs", "newsletter", "signup", "readmore", "related", "nav", "navbar",
    "navigation", "menu", "authorbio", "authorbox", "authorinfo", "aboutauthor", "bio", "promo",
    "promos", "promoted", "sponsored", "advert", "advertisement", "adslot", "outbrain",
    "taboola", "recirculation", "readnext", "alsoread", "seealso", "morestories", "mostread",
    "mostpopular", "tagcloud", "taglist", "topiclist",
}  # fmt: skip
# A layout table (a page of the 2000s) holds blocks in its cells, or tables, or pictures; a
# table of data holds words and numbers. Layout is read as the blocks it lays out.
_BLOCKS = {"p", "div", "table", "ul", "ol", "dl", "blockquote", "figure", "form", "section"}
_BLOCKS |= {"article", "aside", "header", "footer", "nav", "main", "h1", "h2", "h3", "h4"}
_BLOCKS |= {"h5", "h6", "pre", "hr", "address", "img", "picture", "iframe", "object"}
_COLUMN_CHARS = 500  # a layout row's cell this large is the article, not a side column
_LINK_SHARE = 0.7  # a block with this share of its text in links is a list of links
_ALL_LINK_SHARE = 0.9  # a paragraph with this share of its text in one link is that link
_HEADLINE_CHARS = 200  # and is a headline when it is no longer than this
_UNSEEN_TAGS = {"script", "style", "noscript", "template"}
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_HEADING_CHARS = 80  # a list of links' heading is no longer than this
_LINK_LIST_TAGS = ("p", "div", "ul", "ol", "li", "td", "section", "aside", "header", "footer")
_NO_SPLIT = {"pre", "code", "textarea", "script", "style", "li", "h1", "h2", "h3", "h4"}
_NO_SPLIT |= {"h5", "h6", "a", "button", "option", "select", "caption", "figcaption"}
_NEVER_ARTICLE_TAGS = {"nav", "menu"}
_NEVER_ARTICLE_CHARS = 500  # a block this short may go even when it is most of the page
_DECLARED = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# A page that says it is Latin-1 or ASCII is read as Windows-1252, as browsers read it.
_AS_BROWSERS_READ = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# The mark a browser leaves at the top of a page it saves: <!-- saved from url=(0042)https://... -->
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_QUIET = ("trafilatura", "htmldate", "courlan", "justext", "readability")


# -- bytes to text --------------------------------------------------------------------------


def decode_page(data: bytes) -> Decoded:
    """The page's text, in the charset it declares (``<meta charset>``, or the http-equiv
    Content-Type); without one, or when its bytes do not fit the declared charset, the way
    annotator reads any text file (UTF-8, else a detected encoding named in the report).

    Bytes that are valid UTF-8 beyond ASCII are read as UTF-8 whatever the page declares: a
    page saved again by an editor keeps its old declaration, and text in another encoding
    practically never forms valid UTF-8.
    """
    if sniff_bom(data[:4]) is None:
        declared = declared_charset(data)
        if declared is not None and not _utf8_beyond_ascii(data):
            try:
                return Decoded(data.decode(declared), declared, False)
            except UnicodeDecodeError:
                pass
    return decode_bytes(data)


def _utf8_beyond_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def declared_charset(data: bytes) -> str | None:
    """The charset the page names in its first few kilobytes, when it is one Python reads and
    not a Unicode one (UTF-8 is read as annotator reads any file; a page cannot truly be
    UTF-16 and also say so in bytes readable as ASCII)."""
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec.startswith("utf"):
        return None
    return _AS_BROWSERS_READ.get(codec, codec)


# -- the article ----------------------------------------------------------------------------


def article_from_html(html: str, source_name: str) -> dict[str, Any]:
    """A task record (``text``, ``title``, ``id``, ``meta``) for the article in ``html``.

    Raises DecodeError when the page holds no article text. ``source_name`` (the file's name)
    is the record's id.
    """
    tree = _parse(html)
    body = tree.find("body")
    if body is None:
        body = tree
    extracted = _extract(tree)
    if extracted is None:
        raise DecodeError(NO_TEXT)
    author = extracted.author or _meta(tree, name="author") or None
    paragraphs = [
        p
        for p in _paragraphs(extracted.body)
        if p.strip() and not _link_line(p) and not _byline(p, author)
    ]
    if not paragraphs:
        raise DecodeError(NO_TEXT)
    text, captions = with_captions(body, paragraphs)
    # trafilatura falls back on the host name, which names no site.
    sitename = _sitename(tree) or (
        extracted.sitename if extracted.sitename != extracted.hostname else None
    )
    meta: dict[str, Any] = {
        "url": _url(tree, html) or extracted.url or _saved_from(html),
        "author": author,
        "date": extracted.date or _date(tree),
    }
    if sitename:
        meta["sitename"] = sitename
    meta["captions"] = captions
    title = _title(tree, sitename) or extracted.title or PurePath(source_name).stem
    return {"text": text, "title": title, "id": source_name, "meta": meta}


def _parse(html: str) -> HtmlElement:
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
_KEPT_DEEP |= {"article", "main", "title", "meta", "time"} | _UNSEEN_TAGS


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
        if element.tag in _BLOCKS or element.tag in _LOOSE_BLOCKS:
            _regroup(element)
        element.drop_tag()


_LOOSE_BLOCKS = {"center", "details", "summary", "fieldset"}


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """trafilatura logs what it discards; that is not news to the analyst."""
    loggers = [logging.getLogger(name) for name in _QUIET]
    before = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, before, strict=True):
            logger.setLevel(level)


def _extract(tree: HtmlElement) -> Any:
    """trafilatura's main text (as its XML tree) and metadata, from a copy of the page with
    cookie banners, share bars, breadcrumbs, menus and lists of links taken out first.

    What is taken out is marked in ``tree`` too (``LEFT_OUT``), so that the paragraphs are
    found in the page's text as the extractor saw it, without a menu between two of them."""
    import trafilatura

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
        if _lays_out(table):
            _as_blocks(table)
    _split_at_blank_lines(pruned)
    for element in list(_link_lists(pruned)):
        if element.getparent() is not None:
            element.drop_tree()
    with _quiet():
        try:
            return trafilatura.bare_extraction(
                pruned,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_formatting=False,
                include_links=False,
                with_metadata=True,
                date_extraction_params={
                    "extensive_search": False,
                    "original_date": True,
                    "outputformat": "%Y-%m-%d",
                },
            )
        except (ValueError, TypeError, RecursionError):
            return None


def _never_article(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Elements that are plainly not the article, and hold nothing that could be: no
    ``<article>``, ``<main>`` or ``<h1>``, and not most of the page's text (a page-wide
    wrapper may well be called "has-nav")."""
    body = tree.find("body")
    if body is None:
        body = tree
    most = max(_NEVER_ARTICLE_CHARS, _text_size(body) // 2)
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
        if _text_size(element) > most:
            continue
        yield element


def _own_cells(table: Element) -> list[Element]:
    """The cells of a table's own rows (not those of a table inside one of them)."""
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    return [cell for row in rows for cell in row if cell.tag in ("td", "th")]


def _lays_out(table: Element) -> bool:
    """A table used for layout: said so (``role="presentation"``), or with blocks, tables or
    pictures in its cells rather than words and numbers under headings."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    cells = _own_cells(table)
    if table.xpath("./caption|./thead") or any(cell.tag == "th" for cell in cells):
        return False  # headings: a table of data (a table inside one of its cells may be)
    for cell in cells:
        if next((d for d in cell.iterdescendants() if d.tag in _BLOCKS), None) is not None:
            return True
        if _blank_line(cell):
            return True
    return False


def _as_blocks(table: Element) -> None:
    """A layout table's rows and cells as the blocks they are to a reader; beside the cell
    that holds the article, the narrow columns of menus and adverts are left out."""
    for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        sizes = [_text_size(cell) for cell in cells]
        if len(cells) > 1 and max(sizes) >= _COLUMN_CHARS:
            for cell, size in zip(cells, sizes, strict=True):
                if size * 3 < max(sizes) and next(cell.iter("h1"), None) is None:
                    cell.drop_tree()
        for cell in row:
            if cell.tag in ("td", "th"):
                cell.tag = "div"
        row.tag = "div"
    for section in table.xpath("./thead|./tbody|./tfoot"):
        section.tag = "div"
    table.tag = "div"


def _blank_line(element: Element) -> bool:
    """Whether two line breaks in a row (``<br><br>``, text between them only white space)
    stand among the element's children: how paragraphs were made before CSS."""
    for child in element:
        if child.tag == "br" and not (child.tail or "").strip():
            following = child.getnext()
            if following is not None and following.tag == "br":
                return True
    return False


def _split_at_blank_lines(tree: Element) -> None:
    """Text that runs on between ``<br><br>`` breaks made into ``<p>`` paragraphs, so the
    extractor sees the paragraphs the reader sees."""
    for element in reversed(list(tree.iter())):  # the innermost first
        if isinstance(element.tag, str) and element.tag not in _NO_SPLIT and _blank_line(element):
            _regroup(element)


_BLANK = object()  # where a blank line stood among an element's children


def _regroup(element: Element) -> None:
    """An element's children and text as paragraphs, split where a blank line stood and
    around the blocks among them."""
    from lxml import etree

    pieces: list[Any] = [element.text]
    children = list(element)
    for child in children:
        pieces.append(child)
        pieces.append(child.tail)
        child.tail = None
        element.remove(child)
    element.text = None
    # Runs of breaks with only white space between them are one blank line.
    flat: list[Any] = []
    for piece in pieces:
        if piece is None:
            continue
        if isinstance(piece, str) and not piece.strip() and flat and _is_break(flat[-1]):
            continue
        if _is_break(piece) and flat and (_is_break(flat[-1]) or flat[-1] is _BLANK):
            flat[-1] = _BLANK
            continue
        flat.append(piece)

    groups: list[Element] = []
    current = etree.Element("p")

    def close() -> None:
        nonlocal current
        if len(current) or (current.text or "").strip():
            groups.append(current)
        current = etree.Element("p")

    for piece in flat:
        if piece is _BLANK:
            close()
        elif isinstance(piece, str):
            if len(current):
                current[-1].tail = (current[-1].tail or "") + piece
            else:
                current.text = (current.text or "") + piece
        elif isinstance(piece.tag, str) and piece.tag in _BLOCKS:
            close()
            groups.append(piece)
        else:
            current.append(piece)
    close()
    element.extend(groups)
    if element.tag == "p" or element.tag not in _BLOCKS:
        element.tag = "div"  # a <p>, <font> or <span> that holds paragraphs now


def _is_break(piece: Any) -> bool:
    return piece is not _BLANK and not isinstance(piece, str) and piece.tag == "br"


def _link_lists(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Blocks that are mostly links (two or more, and most of their text): menus, "other
    stories" lists, "Print | Email | Back" lines; and a short paragraph or item that is all
    one link (another story's headline). Outermost first, as in ``_never_article``."""
    body = tree.find("body")
    if body is None:
        body = tree
    most = max(_NEVER_ARTICLE_CHARS, _text_size(body) // 2)
    for element in body.iterdescendants(*_LINK_LIST_TAGS):
        size = _text_size(element)
        if size == 0 or size > most or next(element.iter("h1"), None) is not None:
            continue
        if element.get(LEFT_OUT) is not None or _holds_a_caption(element):
            continue  # a gallery's pictures, each a link with its caption
        links = [a for a in element.iter("a") if a.get("href") is not None and _text_size(a)]
        linked = sum(_text_size(a) for a in links)
        # A list's heading ("More from the coast") is no text of its own.
        headings = sum(
            _text_size(h) for h in element.iter(*_HEADINGS) if h.find(".//a[@href]") is None
        )
        if len(links) >= 2 and linked >= _LINK_SHARE * (size - min(headings, _HEADING_CHARS)):
            yield element
        elif (
            links
            and element.tag in ("p", "li", "div")
            and size <= _HEADLINE_CHARS
            and (linked >= _ALL_LINK_SHARE * size or _link_line(_unlinked_text(element)))
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
            if isinstance(child.tag, str) and child.tag != "a" and child.tag not in _UNSEEN_TAGS:
                walk(child)
            if child.tail:
                pieces.append(child.tail)

    walk(element)
    return HTML_SPACE.sub(" ", " ".join(pieces)).strip()


def _text_size(element: Element) -> int:
    """Characters other than white space in the element's text."""
    return sum(len("".join(piece.split())) for piece in element.itertext())


def _paragraphs(element: Element) -> Iterator[str]:
    """trafilatura's XML (p, head, list/item, quote, table/row/cell, code) as paragraphs, in
    order; a table gives one paragraph per cell (as a .docx does)."""
    tag = element.tag
    if tag == "graphic":
        return
    if tag in ("p", "head", "code"):
        yield _flat(element, keep_lines=tag == "code")
        return
    if tag in ("item", "cell"):
        # Its own text, then any list or table inside it, each of those in its own paragraphs.
        nested = {"list", "table"}
        yield _flat(element, skip=nested)
        for child in element:
            if child.tag in nested:
                yield from _paragraphs(child)
        return
    if element.text and element.text.strip():
        yield _clean(element.text)
    for child in element:
        if isinstance(child.tag, str):
            yield from _paragraphs(child)
        if child.tail and child.tail.strip():
            yield _clean(child.tail)


# A newsletter or app promotion written as a line of the article ("Sign up for our free
# Morning Briefing newsletter here").
_PROMO_LINE = re.compile(
    r"^(sign up|subscribe|register|get|receive|download|join)\b.{0,80}\b(newsletters?|briefing|"
    r"bulletin|alerts|app|podcast)\b",
    re.IGNORECASE,
)
_PROMO_WORDS = re.compile(r"\b(our|free|here|now|today|inbox|e-?mail)\b", re.IGNORECASE)
_LINK_LINE = re.compile(
    r"^(read more|read next|read also|also read|more on this( story)?|more from|related"
    r"( stories| articles| content| topics)?|see also|recommended|most read|most popular|watch"
    r"|listen|share( this( article| story)?| on \w+)?|follow us( on \w+)?|continue reading"
    r"|keep reading|click here|print( this)?( story| article| page)?|email( this)?( story"
    r"| article)?( to a friend)?|back to \w+|also in( the)? \w+|more (stories|news|on \w+)"
    r"|most (viewed|shared|commented)|you (may|might) also (like|be interested in)|top stories"
    r"|recommended for you|explore more( on these topics)?|topics|tags|trending( now)?"
    r"|popular( now)?|editor'?s'? picks|more in \w+"
    # An advert's label left where the advert stood.
    r"|advertisement|advertising|sponsored( content)?|(story|article) continues below"
    r"( (this )?advertisement)?|scroll to continue( with content)?"
    # "Read also" and "read more" as French, German, Spanish, Portuguese, Italian, Dutch,
    # Arabic, Hebrew and Russian pages write them.
    r"|(à )?lire aussi|voir aussi|lesen sie auch|mehr zum thema|lee también|leer más"
    r"|leia também|leggi anche|lees ook|اقرأ أيضا|اقرأ أيضاً|اقرأ المزيد|اقرأ ايضا|קרא עוד"
    r"|קראו עוד|קראו גם|читайте также)"
    r"\s*([:|»›>–—-]|$)",
    re.IGNORECASE,
)


def _link_line(paragraph: str) -> bool:
    """A "Read more: ..." or "Share this article" line an extractor kept between paragraphs."""
    return len(paragraph) <= 200 and bool(
        _LINK_LINE.search(paragraph)
        or (_PROMO_LINE.search(paragraph) and _PROMO_WORDS.search(paragraph))
    )


_BY = re.compile(r"^(by|von|par|por|di|door|av|af|przez|بقلم|מאת)\s+", re.IGNORECASE)
_AND = re.compile(r"(^|\s)(and|und|et|y|e|en|og|och|i|و|ו)(\s|$)|[,;|·•/&–—-]", re.IGNORECASE)
_ROLE_CHARS = 40  # what may follow the names: "Political editor", a date


def _byline(paragraph: str, author: str | None) -> bool:
    """A paragraph that is the byline: the author's names, after "By" perhaps, with a role or
    a date at most (the names are in ``meta``)."""
    if not author or len(paragraph) > 150 or "\n" in paragraph:
        return False
    rest = _BY.sub("", paragraph.strip())
    names = [n.strip() for n in author.split(";") if n.strip()]
    if not names or not rest.startswith(tuple(names)):
        return False
    for name in names:
        rest = rest.replace(name, " ")
    return len(_AND.sub(" ", rest).strip()) <= _ROLE_CHARS and not rest.rstrip().endswith(".")


def _flat(element: Element, *, skip: Collection[str] = (), keep_lines: bool = False) -> str:
    """An element's text with its line breaks (``<lb/>``) as "\\n", white space collapsed."""
    pieces: list[str] = []

    def walk(el: Element) -> None:
        if el.text:
            pieces.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and child.tag not in skip:
                if child.tag == "lb":
                    pieces.append(_BREAK)
                else:
                    walk(child)
            if child.tail:
                pieces.append(child.tail)

    walk(element)
    text = "".join(pieces)
    if keep_lines:
        text = text.replace(_BREAK, "\n").strip("\n")
        return "\n".join(line.rstrip() for line in text.split("\n"))
    return _clean(text)


_BREAK = "\x00"  # where a line break (``<lb/>``) stood; the parser took out every NUL


def _clean(text: str) -> str:
    """White space collapsed, line breaks kept as "\\n"."""
    lines = (HTML_SPACE.sub(" ", line).strip() for line in text.split(_BREAK))
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


# -- metadata -------------------------------------------------------------------------------


def _meta(tree: HtmlElement, *, name: str | None = None, prop: str | None = None) -> str | None:
    for element in tree.iter("meta"):
        if (name and (element.get("name") or "").lower() == name) or (
            prop and (element.get("property") or "").lower() == prop
        ):
            content = HTML_SPACE.sub(" ", element.get("content") or "").strip()
            if content:
                return content
    return None


def _sitename(tree: HtmlElement) -> str | None:
    return _meta(tree, prop="og:site_name") or _meta(tree, name="application-name")


def _title(tree: HtmlElement, sitename: str | None) -> str | None:
    """og:title; else ``<title>``, less a " | Site" or " - Site" ending when the page names
    its site; else the first ``<h1>``."""
    og = _meta(tree, prop="og:title")
    if og:
        return og
    element = tree.find("head/title")  # not an icon's <svg><title> in the body
    if element is not None:
        title = HTML_SPACE.sub(" ", element.text_content()).strip()
        if title and sitename:
            for separator in (" | ", " - ", " – ", " — ", " :: ", " · ", " / "):
                if title.casefold().endswith((separator + sitename).casefold()):
                    title = title[: -len(separator + sitename)].rstrip()
                    break
        if title:
            return title
    h1 = next(tree.iter("h1"), None)
    if h1 is not None:
        text = visible_text(h1)
        if text:
            return text
    return None


def _url(tree: HtmlElement, html: str) -> str | None:
    """The canonical link, else og:url; a canonical path without a host is completed from
    og:url, ``<base href>`` or the address the page was saved from."""
    from urllib.parse import urljoin, urlsplit

    og = _meta(tree, prop="og:url")
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            if urlsplit(href).netloc:
                return href
            base = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
            base = og or base or _saved_from(html)
            return urljoin(base, href) if base and urlsplit(base).netloc else href
    return og


def _saved_from(html: str) -> str | None:
    """The address a browser noted when it saved the page, for a page that names none."""
    match = _SAVED_FROM.search(html[:2048])
    if match is None or not match.group(1).lower().startswith(("http://", "https://")):
        return None
    return match.group(1)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(tree: HtmlElement) -> str | None:
    """The publication date from the page's tags, when trafilatura found none."""
    candidates = [
        _meta(tree, prop="article:published_time"),
        _meta(tree, name="date"),
        _meta(tree, name="pubdate"),
        *(t.get("datetime") for t in tree.iter("time")),
        *_json_ld_dates(tree),
    ]
    for value in candidates:
        if value and (match := _ISO_DATE.match(value.strip())):
            return match.group()
    return None


def _json_ld_dates(tree: HtmlElement) -> Iterator[str]:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                value = item.get("datePublished")
                if isinstance(value, str):
                    yield value
                stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
