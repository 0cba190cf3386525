"""trafilatura's main text (its XML tree) as the article's paragraphs, white space collapsed
and line breaks kept; and the lines an extractor keeps that are not the article: "Read more:
...", "Advertisement", "Sign up for our newsletter", and the byline (whose names are in the
record's meta). A scraped text file's import may leave out the same lines (``without_debris``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from annotator.formats.webpages.markup import HTML_SPACE

if TYPE_CHECKING:
    from lxml.etree import _Element as Element


def paragraphs_of(element: Element) -> Iterator[str]:
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
                yield from paragraphs_of(child)
        return
    if element.text and element.text.strip():
        yield _clean(element.text)
    for child in element:
        if isinstance(child.tag, str):
            yield from paragraphs_of(child)
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
    r"|popular( now)?|editor'?s'? picks|more in \w+|don['’]?t miss( this| out)?"
    # An advert's label left where the advert stood.
    r"|advertisement|advertising|sponsored( content)?|(story|article) continues below"
    r"( (this )?advertisement)?|scroll to continue( with content)?"
    # "Read also" and "read more" as French, German, Spanish, Portuguese, Italian, Dutch,
    # Arabic, Hebrew and Russian pages write them.
    r"|(à )?lire aussi|voir aussi|lesen sie auch|mehr zum thema|lee también|leer más"
    r"|leia também|leggi anche|lees ook|اقرأ أيضا|اقرأ أيضاً|اقرأ المزيد|اقرأ ايضا|קרא עוד"
    r"|קראו עוד|קראו גם|читайте также)"
    r"\s*([:|»›>–—-]|…|\.\.\.|$)",
    re.IGNORECASE,
)


def link_line(paragraph: str) -> bool:
    """A "Read more: ..." or "Share this article" line an extractor kept between paragraphs."""
    return len(paragraph) <= 200 and bool(
        _LINK_LINE.search(paragraph)
        or (_PROMO_LINE.search(paragraph) and _PROMO_WORDS.search(paragraph))
    )


def without_debris(text: str) -> tuple[str, int]:
    """A scraped article's text less the lines a page leaves in it that are not the article
    ("Read more: ...", "Don't miss...", "Sign up for our newsletter", share and related
    lines: ``link_line``), and how many went; every other character is kept as it was. A
    blank line either side of a line taken out becomes one."""
    kept: list[str] = []
    dropped = 0
    closing = False  # a line just went: a blank line after it goes too, if one came before
    for line in text.split("\n"):
        if line.strip() and link_line(line.strip()):
            dropped += 1
            closing = not kept or not kept[-1].strip()
            continue
        if closing and not line.strip():
            closing = False
            continue
        closing = False
        kept.append(line)
    return ("\n".join(kept) if dropped else text), dropped


_BY = re.compile(r"^(by|von|par|por|di|door|av|af|przez|بقلم|מאת)\s+", re.IGNORECASE)
_AND = re.compile(r"(^|\s)(and|und|et|y|e|en|og|och|i|و|ו)(\s|$)|[,;|·•/&–—-]", re.IGNORECASE)
_ROLE_CHARS = 40  # what may follow the names: "Political editor", a date


def byline(paragraph: str, author: str | None) -> bool:
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
