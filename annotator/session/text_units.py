"""Sentences and paragraphs of an article, for moving the caret and selecting by meaning.

Sentences are split as the suggesters split them (abbreviations such as "Mr." and "U.S." do
not end one, a closing quotation mark after the full stop stays with its sentence, an
ellipsis followed by a small letter does not end one). A paragraph is a run of lines
between blank lines; in a text with no blank line, each line is one.

Every position is a code-point offset, as spans count them.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from annotator.suggest.builtin.sentences import sentences

Unit = tuple[int, int]

_BLANK = re.compile(r"\n[^\S\n]*\n\s*")


def paragraphs(text: str) -> list[Unit]:
    """(start, end) of each paragraph, white space trimmed."""
    breaks = _BLANK if _BLANK.search(text) else re.compile(r"\n\s*")
    out: list[Unit] = []
    at = 0
    for m in [*breaks.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        piece = text[at:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            out.append((at + lead, at + trail))
        if m is not None:
            at = m.end()
    return out


def units(text: str, kind: str) -> list[Unit]:
    if kind == "sentence":
        return sentences(text)
    if kind == "paragraph":
        return paragraphs(text)
    raise ValueError(f"no unit {kind!r}")


def unit_at(found: list[Unit], pos: int) -> int | None:
    """The index of the unit holding ``pos`` (or, between two, the next one)."""
    if not found:
        return None
    i = bisect_right([start for start, _ in found], pos) - 1
    if i >= 0 and pos < found[i][1]:
        return i
    return i + 1 if i + 1 < len(found) else None


def select(found: list[Unit], selection: Unit | None, caret: int) -> Unit | None:
    """What pressing "select sentence" (or paragraph) selects: the unit at the caret, or, when
    the selection already runs from a unit's start to a unit's end, that and the next unit."""
    if selection is not None:
        starts = {start: i for i, (start, _) in enumerate(found)}
        ends = {end: i for i, (_, end) in enumerate(found)}
        first, last = starts.get(selection[0]), ends.get(selection[1])
        if first is not None and last is not None and last >= first:
            if last + 1 < len(found):
                return (found[first][0], found[last + 1][1])
            return selection  # the last unit: nothing more to add
    i = unit_at(found, caret)
    return None if i is None else found[i]


def next_start(found: list[Unit], caret: int) -> int | None:
    """Where the next unit after the caret begins (None after the last)."""
    for start, _ in found:
        if start > caret:
            return start
    return None


def previous_start(found: list[Unit], caret: int) -> int | None:
    """The start of the unit the caret is in, or of the one before when the caret is at a
    unit's start already (None before the first)."""
    before = [start for start, _ in found if start < caret]
    return before[-1] if before else None


# -- words, as an edge moves by them -----------------------------------------------------------

_WORD_START = re.compile(r"(?<!\S)\S")
_WORD_END = re.compile(r"\S(?!\S)")


def word_edge(text: str, pos: int, *, start: bool, forward: bool) -> int | None:
    """Where a span's edge goes when it moves by a word: the next (or previous) start of a
    word for a start edge, end of a word for an end edge. A word is what white space
    bounds, so a quotation mark or a comma goes with the word it touches."""
    pattern = _WORD_START if start else _WORD_END
    if forward:  # the first start after pos, or the first end after it
        m = pattern.search(text, pos + 1 if start else pos)
        return None if m is None else (m.start() if start else m.end())
    found = None
    for m in pattern.finditer(text, max(0, pos - 4000), pos):
        at = m.start() if start else m.end()
        if at < pos:
            found = at
    return found


def quotations(text: str, patterns: object | None = None) -> list[Unit]:
    """The quotations of a text, marks included, paired as the quotes suggester pairs them."""
    from annotator.suggest.builtin.patterns import default_path, load
    from annotator.suggest.builtin.quotes import suggest

    found = suggest(text, patterns if patterns is not None else load(default_path()))  # type: ignore[arg-type]
    return sorted({(s.start, s.end) for s in found})


def next_quotation(found: list[Unit], selection: Unit | None, caret: int) -> Unit | None:
    """The quotation at the caret, or the next one after it; when a quotation is selected
    already, the one after it."""
    if selection is not None and selection in found:
        i = found.index(selection) + 1
        return found[i] if i < len(found) else None
    for unit in found:
        if unit[1] > caret:
            return unit
    return None
