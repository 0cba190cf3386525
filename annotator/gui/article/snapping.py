"""Growing a selection to whole words, on Python strings and code-point offsets.

The rules follow Unicode's word boundaries (UAX #29) closely enough for news text, without
Qt: letters, digits and combining marks make words; ``minister's``, ``don't``, ``3.5`` and
``12,000`` stay whole; ``e`` + a combining accent, emoji with skin-tone modifiers and ZWJ
sequences are never split; each Han or Hiragana character is a word of its own. Quotation marks right around quoted
words join the span (:func:`include_quotes`).
"""

from __future__ import annotations

import unicodedata

ZWJ = "\u200d"
# Between two letters these keep a word whole (MidLetter / MidNumLet / Single_Quote).
_MID_LETTER = frozenset("'\u2019.\u00b7\u0387\u05f4\u2027\ufe13\ufe52\ufe55\uff07\uff0e")
# Between two digits these keep a number whole (MidNum / MidNumLet / Single_Quote).
_MID_NUM = frozenset(
    "'\u2019.,;\u037e\u0589\u060c\u060d\u066b\u066c\u07f8\u2044\ufe10\ufe14\ufe50\ufe54\uff0c\uff1b"
)
_MID = _MID_LETTER | _MID_NUM


def _is_extend(ch: str) -> bool:
    """Characters that belong to the character before them (a grapheme's tail)."""
    o = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch == ZWJ
        or 0xFE00 <= o <= 0xFE0F  # variation selectors
        or 0x1F3FB <= o <= 0x1F3FF  # emoji skin tones
        or 0xE0020 <= o <= 0xE007F  # emoji tag sequences
        or 0xE0100 <= o <= 0xE01EF
    )


def _is_ideograph(ch: str) -> bool:
    o = ord(ch)
    return (
        0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3FFFF
        or 0x3040 <= o <= 0x309F  # Hiragana
    )


def _is_word(ch: str) -> bool:
    return ch == "_" or unicodedata.category(ch)[0] in "LNM"


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM"


def _is_digit(ch: str) -> bool:
    return unicodedata.category(ch) == "Nd"


def _joined_by(before: str, mid: str, after: str) -> bool:
    if _is_letter(before) and _is_letter(after):
        return mid in _MID_LETTER
    if _is_digit(before) and _is_digit(after):
        return mid in _MID_NUM
    return False


def inside_word(text: str, pos: int) -> bool:
    """True when code-point offset ``pos`` falls inside a word or a grapheme, not on an edge."""
    if pos <= 0 or pos >= len(text):
        return False
    a, b = text[pos - 1], text[pos]
    if _is_extend(b) or a == ZWJ:
        return True
    if _is_word(a) and _is_word(b):
        return not (_is_ideograph(a) or _is_ideograph(b))
    if b in _MID and pos + 1 < len(text) and _joined_by(a, b, text[pos + 1]):
        return True
    return a in _MID and pos >= 2 and _joined_by(text[pos - 2], a, b)


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# Opening quotation mark → its closing one: straight, curly, guillemets and low-9 marks.
QUOTE_PAIRS = {
    '"': '"',
    "'": "'",
    "\u201c": "\u201d",  # “ ”
    "\u2018": "\u2019",  # ‘ ’
    "\u00ab": "\u00bb",  # « »
    "\u201e": "\u201c",  # „ “
    "\u201a": "\u2018",  # ‚ ‘
}
_INNER_SPACE = frozenset(" \t\u00a0\u202f")  # « Bonjour » keeps a space inside its marks
_LINE_END = frozenset("\n\u2028\u2029")


def include_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the quotation marks around a selection that covers the quoted words.

    An opening mark just before the start (or the selection's own first character) and its
    matching closing mark after the end, past nothing but punctuation and spaces (``years,”``),
    both join the span. When either is missing, or a word of the quotation is left out, the
    selection is returned unchanged.
    """
    if start >= end:
        return start, end
    opening = start
    if text[start] not in QUOTE_PAIRS:
        k = start
        while k > 0 and text[k - 1] in _INNER_SPACE:
            k -= 1
        if k == 0 or text[k - 1] not in QUOTE_PAIRS or (k >= 2 and _is_word(text[k - 2])):
            return start, end
        opening = k - 1
    close = QUOTE_PAIRS[text[opening]]
    if end - 1 > opening and text[end - 1] == close:
        return opening, end
    k = end
    while k < len(text) and text[k] != close and text[k] not in _LINE_END and not _is_word(text[k]):
        k += 1
    if k < len(text) and text[k] == close and (k + 1 == len(text) or not _is_word(text[k + 1])):
        return opening, k + 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim surrounding white space, then grow each edge that falls inside a word to that
    word's edge, and take in the quotation marks around quoted words. A selection already on
    word edges (and not just inside a quotation's marks) comes back unchanged. None when
    nothing but white space was selected."""
    start, end = trim_whitespace(text, max(start, 0), min(end, len(text)))
    if start >= end:
        return None
    while inside_word(text, start):
        start -= 1
    while inside_word(text, end):
        end += 1
    return include_quotes(text, start, end)


def tidy_selection(text: str, start: int, end: int, *, snap: bool) -> tuple[int, int] | None:
    """The span a selection becomes: snapped to words, or exactly as selected."""
    if snap:
        return snap_to_words(text, start, end)
    start, end = max(start, 0), min(end, len(text))
    return (start, end) if start < end else None
