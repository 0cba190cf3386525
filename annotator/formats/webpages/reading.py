"""A saved web page made into an article: its main text, its image captions, and its metadata.

The main text comes from trafilatura, which leaves out navigation, related links, share
buttons, comments and the like, and also leaves out image captions. Captions are what an
analyst tags, so they are taken from the page itself (``<figure>``/``<figcaption>``, elements
whose class says caption or credit, and picture-credit lines such as "Photograph: ... /
Getty Images") and each is put back as a paragraph of its own after the extracted paragraph
that comes before it in the page (``captions``, ``placing``). ``meta["captions"]`` lists
their ``[start, end]`` offsets (code points, end exclusive), which the captions suggester
proposes. The title, address, date and site come from the page's tags (``metadata``), and
so does the headline as the page shows it, which becomes the text's first paragraph (the
extractor usually leaves it out) so that it can be tagged.

Before extraction, a copy of the page loses what is plainly not the article (cookie banners,
menus, share bars, hidden blocks, lists of links, another story's headline: ``pruning``), a
table used for layout becomes the blocks it lays out (without its side columns), and text
broken by ``<br><br>`` becomes paragraphs (``blocks``). After it, lines such as "Read more:
...", "Advertisement" or "Sign up for our newsletter", and the byline, are dropped
(``paragraphs``).

The page is parsed, never run or rendered (``parsing``): no script, no style sheet, no image,
nothing is fetched. trafilatura and lxml are imported only when a page is read.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from annotator.formats.decoding import DecodeError
from annotator.formats.webpages.metadata import (
    headline_forms,
    meta_content,
    page_date,
    page_headline,
    page_title,
    page_url,
    saved_from,
    site_name,
)
from annotator.formats.webpages.paragraphs import byline, link_line, paragraphs_of
from annotator.formats.webpages.parsing import NO_TEXT, parse_page
from annotator.formats.webpages.placing import with_captions
from annotator.formats.webpages.pruning import pruned_copy

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_QUIET = ("trafilatura", "htmldate", "courlan", "justext", "readability")


def article_from_html(html: str, source_name: str) -> dict[str, Any]:
    """A task record (``text``, ``title``, ``id``, ``meta``) for the article in ``html``.

    Raises DecodeError when the page holds no article text. ``source_name`` (the file's name)
    is the record's id.
    """
    tree = parse_page(html)
    body = tree.find("body")
    if body is None:
        body = tree
    extracted = _extract(tree)
    if extracted is None:
        raise DecodeError(NO_TEXT)
    author = extracted.author or meta_content(tree, name="author") or None
    paragraphs = [
        p
        for p in paragraphs_of(extracted.body)
        if p.strip() and not link_line(p) and not byline(p, author)
    ]
    if not paragraphs:
        raise DecodeError(NO_TEXT)
    text, captions = with_captions(body, paragraphs)
    text, captions = _headline_first(page_headline(tree, site_name(tree)), text, captions)
    # trafilatura falls back on the host name, which names no site.
    sitename = site_name(tree) or (
        extracted.sitename if extracted.sitename != extracted.hostname else None
    )
    meta: dict[str, Any] = {
        "url": page_url(tree, html) or extracted.url or saved_from(html),
        "author": author,
        "date": extracted.date or page_date(tree),
    }
    if sitename:
        meta["sitename"] = sitename
    meta["captions"] = captions
    title = page_title(tree, sitename) or extracted.title or PurePath(source_name).stem
    return {"text": text, "title": title, "id": source_name, "meta": meta}


def _headline_first(
    headline: str | None, text: str, captions: list[list[int]]
) -> tuple[str, list[list[int]]]:
    """The headline as the text's first paragraph, so that it can be tagged like the rest,
    unless the text already begins with it (the extractor kept the page's ``<h1>``); the
    captions' offsets move with the text."""
    if not headline or _begins_with(text, headline):
        return text, captions
    shift = len(headline) + 2
    return f"{headline}\n\n{text}", [[start + shift, end + shift] for start, end in captions]


def _begins_with(text: str, headline: str) -> bool:
    """The text's first line is the headline (or, for a headline taken from the title, the
    part of it either side of the site's name), white space and case aside."""
    first = " ".join(text.split("\n", 1)[0].split()).casefold()
    return any(first == form.casefold() for form in headline_forms(headline))


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
    cookie banners, share bars, breadcrumbs, menus and lists of links taken out first."""
    import trafilatura

    pruned = pruned_copy(tree)
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
