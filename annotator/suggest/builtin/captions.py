"""Image captions: whole lines that carry a picture credit.

A line (a paragraph of the stored text) is a caption when one of the patterns file's caption
patterns matches it: a line that starts "Photo:" or "Picture:", an "(Image: …)" in it, an
"AP Photo/" or "REUTERS/" credit, an agency at its very end, a trailing "(Name / Outlet)".
The whole line is suggested, white space trimmed. Very long lines are body text that merely
mentions a photo, and are left alone. A web page's ``<figcaption>`` paragraphs, which import
notes in the document's meta as ``captions`` offsets, are suggested too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.suggest.builtin.patterns import Patterns, Rule
from annotator.suggest.builtin.suggestion import Suggestion

NAME = "captions"
LABEL = "caption"
MAX_CHARS = 600
META_SCORE = 0.95


def _rules(patterns: Patterns) -> list[Rule]:
    return patterns.of(NAME, "regex") + patterns.of(NAME, "phrase")


def caption_line(patterns: Patterns) -> Callable[[str], bool]:
    """Whether a line of text is one this suggester would propose as a caption: an importer
    asks, so that a text file's title is never a picture's caption."""
    rules = [r for r in _rules(patterns) if r.compiled]

    def is_caption(line: str) -> bool:
        return 0 < len(line.strip()) <= MAX_CHARS and any(
            r.compiled.search(line) for r in rules if r.compiled
        )

    return is_caption


def suggest(text: str, patterns: Patterns, meta: dict[str, Any] | None = None) -> list[Suggestion]:
    rules = _rules(patterns)
    out: list[Suggestion] = []
    seen: set[tuple[int, int]] = set()
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e and e - s <= MAX_CHARS:
            scores = [r.score or 0.9 for r in rules if r.compiled and r.compiled.search(line)]
            if scores:
                labels = {r.label or LABEL for r in rules}
                out.append(
                    Suggestion(s, e, sorted(labels)[0] if len(labels) == 1 else LABEL, max(scores))
                )
                seen.add((s, e))
        start = end + 1
    for s, e in _meta_captions(text, meta):
        if (s, e) not in seen:
            out.append(Suggestion(s, e, LABEL, META_SCORE))
    return sorted(out, key=lambda x: x.start)


def _meta_captions(text: str, meta: dict[str, Any] | None) -> list[tuple[int, int]]:
    """``meta["captions"]``: [[start, end], ...] of paragraphs a web page marked as captions."""
    found = []
    for item in (meta or {}).get("captions") or []:
        if (
            isinstance(item, list)
            and len(item) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in item)
            and 0 <= item[0] < item[1] <= len(text)
        ):
            found.append((item[0], item[1]))
    return found
