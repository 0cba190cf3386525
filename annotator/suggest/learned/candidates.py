"""Where a span may stand: a document's lines, sentences and clauses, and around each of them
the structure an analyst reads (the heading above, the sub-heading, the paragraph before).

Claims and concessions are mostly whole lines, sentences or clauses, so the learned model does
not tag word by word: it scores these candidates. Each candidate knows where it stands, which
is what lets a model learn a convention from its place rather than from its words.

A line is a stretch between line breaks. A heading is a short line that does not end as a
sentence does; a lead-in ends with a colon, and heads what follows it as a heading does; a
sub-heading is a heading right above a line of text; a section heading is a heading followed
by another heading (a sub-heading). Sentences come from the built-in splitter; a clause is a
stretch of a sentence between commas, semicolons, colons, dashes or a conjunction, and also
every start of a sentence up to such a break and every end of one from it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.suggest.builtin.sentences import sentences

MAX_HEADING_WORDS = 10
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
_MARKER = re.compile(r"(?:[-*•·–—▪►]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s+")
_SENTENCE_END = tuple('.!?…;,"”’»)]')
_QUOTE_MARKS = '"“”„«»‘’‚‹›「」'
# Where a sentence breaks into clauses: punctuation, or a space before a conjunction.
_BREAK = re.compile(
    r"(?P<punct>[,;:]|\s[—–-]{1,2})\s+"
    r"|\s(?=(?:but|yet|although|though|while|whereas|because|unless|since|so that|even if|"
    r"even though|despite|however)\b)",
    re.IGNORECASE,
)
MAX_SEGMENTS = 8
HEADS = ("heading", "lead-in")  # the shapes of lines that head what follows them


@dataclass(slots=True)
class Line:
    """A non-blank line: its text's edges (list marker left out), its shape and its place."""

    index: int  # among non-blank lines
    start: int
    end: int
    words: int
    shape: str  # heading, lead-in, item, quote, text
    marker: bool  # began with a list marker, left out of its edges
    quotes: bool  # holds a quotation of three words or more
    blank_before: bool
    blank_after: bool
    heading: int | None = None  # the nearest heading above (a line index)
    section: int | None = None  # the nearest section heading above
    sub: int | None = None  # the heading right above, when there is one
    in_section: int = 0  # lines of text since the nearest heading
    text_index: int = 0  # lines of text since the document began
    first_word: str = ""
    last_char: str = ""
    word_starts: list[int] = field(default_factory=list)
    words_lower: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Candidate:
    """A stretch that may be a span, and where it stands."""

    start: int
    end: int
    line: int
    kinds: set[str] = field(default_factory=set)  # line, sentence, clause
    sentence: int = 0  # its sentence's place in the line
    sentences: int = 1  # sentences in the line
    clause: str = "-"  # its clauses' place in the sentence: -, first, mid, last, head, tail
    segments: int = 1  # clauses in its sentence
    before: str = ""  # the break before it in its sentence, or "" at the start
    after: str = ""  # the break after it, or "" at the end
    word_before: str = ""
    word_after: str = ""


@dataclass
class Structure:
    """A document read for candidates: its text, lines and candidates."""

    text: str
    lines: list[Line]
    candidates: list[Candidate]

    def line_words(self, index: int | None) -> list[str]:
        """The words of a line, lower-cased."""
        return [] if index is None else self.lines[index].words_lower

    def words_in(self, candidate: Candidate) -> list[str]:
        """The words of a candidate, lower-cased, cut from its line's."""
        line = self.lines[candidate.line]
        starts = line.word_starts
        return line.words_lower[
            bisect_left(starts, candidate.start) : bisect_left(starts, candidate.end)
        ]

    def word_near(self, line: int, at: int, *, before: bool) -> str:
        """The word of a line just before ``at``, or the first at or after it; "" if none."""
        found = self.lines[line]
        i = bisect_left(found.word_starts, at)
        if before:
            return found.words_lower[i - 1] if i > 0 else ""
        return found.words_lower[i] if i < len(found.words_lower) else ""


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _shape(content: str, marker: bool, count: int) -> str:
    stripped = content.rstrip()
    if marker:
        return "item"
    if stripped[:1] in _QUOTE_MARKS:
        return "quote"
    if stripped.endswith(":"):
        return "lead-in"
    if 0 < count <= MAX_HEADING_WORDS and not stripped.endswith(_SENTENCE_END):
        return "heading"
    if stripped.lstrip("#").strip() != stripped and count:
        return "heading"  # a Markdown heading
    return "text"


def _has_quotation(content: str) -> bool:
    for m in re.finditer(r"[\"“„«‘‹「]([^\"”“»’›」]{3,})[\"”»’›」]", content):
        if len(m.group(1).split()) >= 3:
            return True
    return False


def read_lines(text: str) -> list[Line]:
    """Every non-blank line with its shape, and the headings that stand above it."""
    raw: list[tuple[int, int, bool]] = []  # start, end, marker
    position = 0
    for piece in text.split("\n"):
        start, end = position, position + len(piece)
        position = end + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raw.append((start, start, False))
            continue
        m = _MARKER.match(text, start, end)
        marker = m is not None and m.end() < end
        raw.append((m.end() if m and marker else start, end, marker))
    lines: list[Line] = []
    blank = True
    for i, (start, end, marker) in enumerate(raw):
        if start == end:
            blank = True
            if lines:
                lines[-1].blank_after = True
            continue
        content = text[start:end]
        matches = list(_WORD.finditer(text, start, end))
        found = [m.group().lower() for m in matches]
        lines.append(
            Line(
                index=len(lines),
                start=start,
                end=end,
                words=len(found),
                shape=_shape(content, marker, len(found)),
                marker=marker,
                quotes=_has_quotation(content),
                blank_before=blank,
                blank_after=i == len(raw) - 1,
                first_word=found[0] if found else "",
                last_char=content[-1],
                word_starts=[m.start() for m in matches],
                words_lower=found,
            )
        )
        blank = False
    _place(lines)
    return lines


def _place(lines: list[Line]) -> None:
    """The heading, section heading and sub-heading above each line, and its place under
    them."""
    heading: int | None = None
    section: int | None = None
    in_section = text_index = 0
    for i, line in enumerate(lines):
        line.heading, line.section = heading, section
        previous = lines[i - 1] if i else None
        if previous is not None and previous.shape in HEADS:
            line.sub = previous.index
        if line.shape in HEADS:
            following = lines[i + 1] if i + 1 < len(lines) else None
            if following is not None and following.shape in HEADS:
                section = line.index
            heading = line.index
            in_section = 0
            if line.shape == "heading":
                continue
        line.in_section, line.text_index = in_section, text_index
        in_section += 1
        text_index += 1


def _segments(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """A sentence's clauses: (start, end, the break after it)."""
    out: list[tuple[int, int, str]] = []
    at = start
    for m in _BREAK.finditer(text, start, end):
        if m.start() <= at:
            continue
        piece_end = m.start()
        mark = (m.group("punct") or "").strip() or "conjunction"
        if _WORD.search(text, at, piece_end):
            out.append((at, piece_end, mark))
            at = m.end()
            while at < end and text[at].isspace():
                at += 1
    if at < end and _WORD.search(text, at, end):
        out.append((at, end, ""))
    elif out:
        out[-1] = (out[-1][0], end, "")
    return out


def _trim_break(text: str, start: int, end: int) -> int:
    """The end of a run of clauses, without the break mark that follows its last one."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return end


def structure(text: str) -> Structure:
    """The document's lines and the candidates in them, each once (a line that is one
    sentence is one candidate of both kinds)."""
    lines = read_lines(text)
    starts = [line.start for line in lines]
    by_line: dict[int, list[tuple[int, int]]] = {}
    for s, e in sentences(text):
        i = bisect_right(starts, s) - 1
        if i < 0 or e > lines[i].end + 1:
            continue
        s = max(s, lines[i].start)  # a list marker is never part of a sentence
        if s < e:
            by_line.setdefault(i, []).append((s, min(e, lines[i].end)))
    st = Structure(text, lines, [])
    found: dict[tuple[int, int], Candidate] = {}

    def add(start: int, end: int, line: int, kind: str, where: dict[str, Any]) -> None:
        key = (start, end)
        candidate = found.get(key)
        if candidate is None:
            candidate = found[key] = Candidate(start, end, line, **where)
        candidate.kinds.add(kind)

    for line in lines:
        spans = by_line.get(line.index, [(line.start, line.end)])
        add(line.start, line.end, line.index, "line", {"sentences": len(spans)})
        if line.shape == "heading":
            continue
        for si, (s, e) in enumerate(spans):
            where = {"sentence": si, "sentences": len(spans)}
            add(s, e, line.index, "sentence", where)
            _clauses(st, s, e, line.index, where, add)
    st.candidates = sorted(found.values(), key=lambda c: (c.start, -c.end))
    return st


def _clauses(
    st: Structure,
    start: int,
    end: int,
    line: int,
    where: dict[str, Any],
    add: Callable[[int, int, int, str, dict[str, Any]], None],
) -> None:
    """The clauses of a sentence of two to eight: each alone, and each run from the
    sentence's start or to its end."""
    text = st.text
    pieces = _segments(text, start, end)
    n = len(pieces)
    if n < 2 or n > MAX_SEGMENTS:
        return
    runs: set[tuple[int, int]] = {(i, i) for i in range(n)}
    runs |= {(0, j) for j in range(n - 1)} | {(i, n - 1) for i in range(1, n)}
    for i, j in sorted(runs):
        s = pieces[i][0]
        e = pieces[j][1] if j == n - 1 else _trim_break(text, s, pieces[j][1])
        if e <= s:
            continue
        if i == j:
            place = "first" if i == 0 else "last" if i == n - 1 else "mid"
        else:
            place = "head" if i == 0 else "tail"
        add(
            s,
            e,
            line,
            "clause",
            {
                **where,
                "clause": place,
                "segments": n,
                "before": pieces[i - 1][2] if i else "",
                "after": pieces[j][2],
                "word_before": st.word_near(line, s, before=True) if i else "",
                "word_after": st.word_near(line, pieces[j][1], before=False) if j < n - 1 else "",
            },
        )
