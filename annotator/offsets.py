"""Code-point offsets (the core's unit) to UTF-16 positions and back.

Qt, browsers and tools such as doccano count UTF-16 units: a character outside the Basic
Multilingual Plane (most emoji) is one code point in Python and two UTF-16 units. Every other
character the stored text can hold takes one of each, and in a ``QTextDocument`` a block break
(``\\n`` or U+2029) is one position too. The window converts at its edge with this, and so
does the doccano export.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Exact conversion between code-point offsets and UTF-16 positions of one text.

    Built once per document from the sorted code-point positions of its astral characters;
    each conversion is a binary search.
    """

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        # Where each astral character starts in UTF-16: shifted by the astral ones before it.
        self._astral_u16 = [cp + i for i, cp in enumerate(self._astral_cp)]
        self.u16_length = self.length + len(self._astral_cp)

    @property
    def is_identity(self) -> bool:
        return not self._astral_cp

    def to_utf16(self, cp: int) -> int:
        """The UTF-16 position of code-point offset ``cp`` (clamped to the text)."""
        cp = min(max(cp, 0), self.length)
        return cp + bisect_left(self._astral_cp, cp)

    def to_utf16_all(self, cps: list[int]) -> list[int]:
        """:meth:`to_utf16` of each of ``cps``, which lie in the text (for a whole document's
        spans at once: one binary search each, no call per offset)."""
        astral = self._astral_cp
        if not astral:
            return list(cps)
        return [cp + bisect_left(astral, cp) for cp in cps]

    def from_utf16(self, u16: int, *, round_up: bool = False) -> int:
        """The code-point offset of UTF-16 position ``u16``.

        A position between the two halves of a surrogate pair is not a character boundary: it
        rounds down to the start of that character, or up past it with ``round_up``.
        """
        u16 = min(max(u16, 0), self.u16_length)
        before = bisect_left(self._astral_u16, u16)  # astral characters starting before u16
        if before and self._astral_u16[before - 1] == u16 - 1:
            return self._astral_cp[before - 1] + (1 if round_up else 0)
        return u16 - before

    def span_to_utf16(self, start: int, end: int) -> tuple[int, int]:
        return self.to_utf16(start), self.to_utf16(end)

    def span_from_utf16(self, start: int, end: int) -> tuple[int, int]:
        """A UTF-16 range widened, if need be, to whole code points."""
        return self.from_utf16(start), self.from_utf16(end, round_up=True)
