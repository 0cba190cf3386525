"""Direct quotes: text between a pair of quotation marks.

Marks are paired by a table of (opening, closing) pairs from the patterns file (straight,
curly, guillemets both ways, low-9, CJK corner brackets and the mixed pairs real text has),
never by "every mark toggles". Whether a mark opens or closes is read from what stands
beside it: an opening mark follows a space, the start of a paragraph or an opening bracket
and comes before a word; a closing mark follows a word and comes before a space, punctuation
or the end. So the ’ of "don’t" or "the nurses’ union", between or after letters with no
quote open, is an apostrophe and never a quotation mark.

A quote that runs over several paragraphs (each paragraph reopens it, only the last closes
it) is suggested as one span per paragraph. Doubled marks of scraped text (``““We``) count
once. A span covers the marks too. One or two words in quotation marks with no speech verb
near them are scare quotes: suggested with a low score.
"""

from __future__ import annotations

import re
import unicodedata

from annotator.suggest.builtin.patterns import Patterns
from annotator.suggest.builtin.suggestion import Suggestion

NAME = "quotes"
LABEL = "quote"
SCORE = 0.9
SHORT_SCORE = 0.6  # a short quote with a speech verb near it
SCARE_SCORE = 0.3  # one or two words, no speech verb near
_NEAR = 80  # characters around a quote searched for a speech verb
_OPEN_BEFORE = set("([{—–-/:;\u00a0")
_CLOSE_AFTER = set(".,;:!?)]}—–-…/\u00a0")
_SPACED = set("«»‹›")
_INNER_SPACE = {" ", "\u00a0", "\u202f"}
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def _is_space(ch: str | None) -> bool:
    return ch is None or ch.isspace()


def _letter(ch: str | None) -> bool:
    return ch is not None and (ch.isalnum() or unicodedata.category(ch).startswith("M"))


class _Marks:
    def __init__(self, patterns: Patterns) -> None:
        pairs = [r.value for r in patterns.of(NAME, "pair")]
        self.closers: dict[str, set[str]] = {}
        for opening, closing in pairs:
            self.closers.setdefault(opening, set()).add(closing)
        self.all = set(self.closers) | {c for cs in self.closers.values() for c in cs}
        self.verbs = [r.compiled for r in patterns.of(NAME, "word") if r.compiled is not None]

    def can_open(self, text: str, i: int) -> bool:
        ch = text[i]
        if ch not in self.closers:
            return False
        before = text[i - 1] if i > 0 else None
        after = text[i + 1] if i + 1 < len(text) else None
        if ch in _SPACED and after in _INNER_SPACE and i + 2 < len(text):
            after = text[i + 2]  # « pas question »: French sets guillemets off with a space
        if _is_space(after):
            return False
        if _letter(before):
            return False  # l’homme, don’t: inside a word
        return _is_space(before) or before in _OPEN_BEFORE or before in self.all

    def can_close(self, text: str, i: int, opening: str) -> bool:
        ch = text[i]
        if ch not in self.closers.get(opening, ()):
            return False
        before = text[i - 1] if i > 0 else None
        after = text[i + 1] if i + 1 < len(text) else None
        if ch in _SPACED and before in _INNER_SPACE and i >= 2:
            before = text[i - 2]
        if _is_space(before):
            return False
        if _letter(after):
            return False  # an apostrophe inside a word
        return _is_space(after) or after in _CLOSE_AFTER or after in self.all

    def speech_near(self, text: str, start: int, end: int) -> bool:
        """A speech verb in the same sentence, before or after the quote (not too far)."""
        before = text[max(0, start - _NEAR) : start]
        cut = max(before.rfind(c) for c in ".!?\n")
        before = before[cut + 1 :]
        after = text[end : end + _NEAR]
        stops = [i for i in (after.find(c) for c in ".!?\n") if i != -1]
        after = after[: min(stops) + 1] if stops else after
        window = before + " " + after
        return any(v.search(window) for v in self.verbs)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _find_close(text: str, i: int, end: int, opening: str, marks: _Marks) -> int | None:
    """The closing mark for the quote opened at ``i``, within the paragraph ending at ``end``."""
    j = i + 1
    while j < end and text[j] == opening:  # a doubled opening mark
        j += 1
    for k in range(j + 1, end):
        if marks.can_close(text, k, opening):
            # Doubled closing marks count once: take the last of a run.
            while k + 1 < end and text[k + 1] == text[k]:
                k += 1
            return k
    return None


def _reopens(text: str, start: int, end: int, opening: str, marks: _Marks) -> int | None:
    """Where the next paragraph reopens a quote left open, if it does (after spaces)."""
    i = start
    while i < end and text[i] in " \t\u00a0":
        i += 1
    if i < end and text[i] == opening and marks.can_open(text, i):
        return i
    return None


def _score(text: str, start: int, end: int, marks: _Marks) -> float:
    inner = text[start + 1 : end - 1]
    words = len(_WORD.findall(inner))
    if words > 2:
        return SCORE
    before = text[max(0, start - 3) : start].rstrip()
    if marks.speech_near(text, start, end) or before.endswith(":"):
        return SHORT_SCORE
    return SCARE_SCORE


def suggest(text: str, patterns: Patterns) -> list[Suggestion]:
    marks = _Marks(patterns)
    out: list[Suggestion] = []
    paragraphs = _paragraphs(text)
    p = 0
    carried: tuple[str, list[tuple[int, int]]] | None = None  # an open quote, its parts so far
    while p < len(paragraphs):
        start, end = paragraphs[p]
        i = start
        if carried is not None and not text[start:end].strip():
            p += 1  # the blank line between two paragraphs of one quote
            continue
        if carried is not None:
            opening, parts = carried
            at = _reopens(text, start, end, opening, marks)
            if at is None:  # never closed: not a quote after all
                carried = None
            else:
                close = _find_close(text, at, end, opening, marks)
                if close is None:
                    parts.append((at, _trimmed_end(text, at, end)))
                    p += 1
                    continue
                parts.append((at, close + 1))
                score = _score(text, parts[0][0], parts[-1][1], marks)
                out += [Suggestion(s, e, LABEL, max(score, SHORT_SCORE)) for s, e in parts]
                carried = None
                i = close + 1
        while i < end:
            if not marks.can_open(text, i):
                i += 1
                continue
            opening = text[i]
            close = _find_close(text, i, end, opening, marks)
            if close is not None:
                out.append(Suggestion(i, close + 1, LABEL, _score(text, i, close + 1, marks)))
                i = close + 1
                continue
            # Open to the paragraph's end: a quote that goes on in the next paragraph, if that
            # one reopens it; else a stray mark, and the search goes on after it.
            following = _next_paragraph(text, paragraphs, p)
            if following is not None and _reopens(text, *following, opening, marks) is not None:
                carried = (opening, [(i, _trimmed_end(text, i, end))])
                break
            i += 1
        p += 1
    return out


def _next_paragraph(text: str, paragraphs: list[tuple[int, int]], p: int) -> tuple[int, int] | None:
    for start, end in paragraphs[p + 1 :]:
        if text[start:end].strip():
            return start, end
    return None


def _trimmed_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
