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

from annotator.formats.webpages.markup import HTML_SPACE, visible_text

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
