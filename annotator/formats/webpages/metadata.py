"""A saved page's metadata from its own tags: its meta tags' content, its site's name, its
title, its address (the canonical link, og:url, the address a browser noted when it saved
it) and its publication date. The article's record takes the page's title, site and address
before what the extractor found, and its date and author when the extractor found none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from annotator.formats.webpages.markup import ARTICLE_LIKE, HTML_SPACE, hidden, visible_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# The mark a browser leaves at the top of a page it saves: <!-- saved from url=(0042)https://... -->
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)


def meta_content(
    tree: HtmlElement, *, name: str | None = None, prop: str | None = None
) -> str | None:
    for element in tree.iter("meta"):
        if (name and (element.get("name") or "").lower() == name) or (
            prop and (element.get("property") or "").lower() == prop
        ):
            content = HTML_SPACE.sub(" ", element.get("content") or "").strip()
            if content:
                return content
    return None


def site_name(tree: HtmlElement) -> str | None:
    return meta_content(tree, prop="og:site_name") or meta_content(tree, name="application-name")


def page_title(tree: HtmlElement, sitename: str | None) -> str | None:
    """og:title; else ``<title>``, less a " | Site" or " - Site" ending when the page names
    its site; else the first ``<h1>``."""
    og = meta_content(tree, prop="og:title")
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


#: Where a page's own headline never is: its menus, side columns and footer.
_NOT_HEADLINE_TAGS = {"nav", "aside", "footer", "menu"}
#: Between a headline and the site's name in a title ("Headline | Site", "Site - Headline").
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " / ")


def page_headline(tree: HtmlElement, sitename: str | None) -> str | None:
    """The headline as the page shows it to its reader: the article's ``<h1>`` (one marked
    ``itemprop="headline"``, else the first inside ``<article>`` or ``<main>``, else the
    first outside menus, asides and footers that is not the site's name), else the title
    (``page_title``)."""
    shown = [h for h in tree.iter("h1") if _headline_place(h)]
    texts = [(h, visible_text(h)) for h in shown]
    texts = [(h, t) for h, t in texts if t and t.casefold() != (sitename or "").casefold()]
    for wanted in (_marked_headline, _in_article):
        for h1, text in texts:
            if wanted(h1):
                return text
    if texts:
        return texts[0][1]
    return page_title(tree, sitename)


def _headline_place(h1: HtmlElement) -> bool:
    """Not hidden, and not in a menu, aside or footer."""
    for element in (h1, *h1.iterancestors()):
        if not isinstance(element.tag, str):
            continue
        if element.tag in _NOT_HEADLINE_TAGS or hidden(element):
            return False
        if (element.get("role") or "").lower() in ("navigation", "complementary", "contentinfo"):
            return False
    return True


def _marked_headline(h1: HtmlElement) -> bool:
    return (h1.get("itemprop") or "").lower() == "headline"


def _in_article(h1: HtmlElement) -> bool:
    return any(isinstance(a.tag, str) and a.tag in ARTICLE_LIKE for a in h1.iterancestors())


def headline_forms(headline: str) -> list[str]:
    """The ways an extracted text may begin with a headline: whole, or when it came from a
    title, either side of a separator ("Site - Headline"), white space collapsed."""
    whole = " ".join(headline.split())
    forms = [whole]
    for separator in _TITLE_SEPARATORS:
        if separator in whole:
            forms += [part.strip() for part in whole.split(separator) if part.strip()]
    return forms


def page_url(tree: HtmlElement, html: str) -> str | None:
    """The canonical link, else og:url; a canonical path without a host is completed from
    og:url, ``<base href>`` or the address the page was saved from."""
    from urllib.parse import urljoin, urlsplit

    og = meta_content(tree, prop="og:url")
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            if urlsplit(href).netloc:
                return href
            base = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
            base = og or base or saved_from(html)
            return urljoin(base, href) if base and urlsplit(base).netloc else href
    return og


def saved_from(html: str) -> str | None:
    """The address a browser noted when it saved the page, for a page that names none."""
    match = _SAVED_FROM.search(html[:2048])
    if match is None or not match.group(1).lower().startswith(("http://", "https://")):
        return None
    return match.group(1)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def page_date(tree: HtmlElement) -> str | None:
    """The publication date from the page's tags, when trafilatura found none."""
    candidates = [
        meta_content(tree, prop="article:published_time"),
        meta_content(tree, name="date"),
        meta_content(tree, name="pubdate"),
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
