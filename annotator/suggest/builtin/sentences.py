"""Sentences within paragraphs, found well enough for suggesting (not a full segmenter).

A sentence ends at ., ! or ? (or …), possibly followed by closing quotes or brackets, where
white space and a capital letter, a digit or an opening quote follow. Common abbreviations
("Mr.", "Dr.", "e.g.") do not end one.
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?…][\"”’»)\]]*(?=\s+[\"“‘«(\[]?[A-Z0-9À-ÖØ-Þ])")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "gov", "sen", "rep", "col",
    "lt", "sgt", "capt", "no", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "corp", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
}  # fmt: skip


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, white space trimmed, paragraph by paragraph."""
    out: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        base = start
        cut = 0
        for m in _END.finditer(line):
            if _word_before(line, m.start()).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            out.append(_trim(text, base + cut, base + m.end()))
            cut = m.end()
        out.append(_trim(text, base + cut, base + len(line)))
        start += len(line) + 1
    return [(s, e) for s, e in out if s < e]


def _word_before(line: str, end: int) -> str:
    """The run of word characters and dots that ends at ``end`` ("" when there is none):
    what ``[\\w.]+$`` finds in ``line[:end]``, without searching all of it."""
    start = end
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in "_."):
        start -= 1
    return line[start:end]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
