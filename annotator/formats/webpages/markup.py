"""What an element of a saved page shows its reader: the names it is given (class, id and
the like, split into words), whether it is hidden, and its text as the reader sees it.

Reading the page (what is taken out before extraction, the title) and finding its captions
both go by these, so they are said once, here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

# What lies outside the reader's view of a page, never text of the article.
UNSEEN = {"script", "style", "template", "noscript", "head", "title", "meta", "link", "svg"}
UNSEEN |= {"iframe", "object", "embed", "canvas", "button", "select", "option", "textarea"}
# Tags within which text runs on; any other tag ends a run (with a space between).
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd"}
INLINE |= {"mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u"}
INLINE |= {"var", "wbr", "font", "ins", "del"}

# Scripts, styles and what only scripts show: never text, wherever they stand.
UNSEEN_TAGS = {"script", "style", "noscript", "template"}
ARTICLE_LIKE = {"article", "main"}
# The attribute webpages marks what it took out before extraction with: not the article.
LEFT_OUT = "data-annotator-left-out"

# Class names (split at "-", "_" and case changes) that say "caption" or "picture credit".
CAPTION_WORDS = {"caption", "captions", "figcaption", "credit", "credits", "imagecredit"}
CAPTION_WORDS |= {"photocredit", "photocaption", "imagecaption", "wpcaption"}
# A newsroom's word for a caption, and the French and Spanish ones ("légende", "leyenda").
CAPTION_WORDS |= {"cutline", "cutlines", "legend", "legende", "leyenda"}
PICTURE_WORDS = {"photo", "photos", "image", "images", "img", "picture", "pic", "media"}
CREDIT_WORDS = {"byline", "source", "copyright", "credit"}
# Screen-reader-only text ("Image caption, " before a caption), by the class names the common
# frameworks and themes give it (Bootstrap's sr-only, WordPress's screen-reader-text, ...).
_SCREEN_READER_WORDS = {"sronly", "visuallyhidden", "screenreader", "screenreadertext"}
_SCREEN_READER_WORDS |= {"screenreaderonly", "readeronly", "srtext", "offscreen", "a11yhidden"}

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


def spaceless(text: str) -> str:
    """Text compared without its white space: markup puts spaces and line breaks where the
    extractor puts others."""
    return "".join(unicodedata.normalize("NFC", text).split())


def text_size(element: Element) -> int:
    """Characters other than white space in the element's text."""
    return sum(len("".join(piece.split())) for piece in element.itertext())


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
            shown = isinstance(child.tag, str) and child.tag not in UNSEEN and not hidden(child)
            if shown and (controls or not _control(child)):
                before = child.getprevious()
                if not controls and before is not None and not before.tail:
                    pieces.append(_JOIN)  # two elements side by side, nothing between
                boundary = child.tag not in INLINE or _is_part(child)
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
    if element.tag not in INLINE:
        return False
    text = HTML_SPACE.sub(" ", element.text_content()).strip()
    return bool(text) and _CONTROL_LABEL.match(text) is not None


def _is_part(element: Any) -> bool:
    words = class_words(element)
    return bool(words & CAPTION_WORDS or (words & PICTURE_WORDS and words & CREDIT_WORDS))
