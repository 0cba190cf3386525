"""File names as they may be printed: a name is the user's text, not the program's.

A file may be called ``forged.jsonl:99: all good⏎x.jsonl``; printed raw, its newline would make
a report show a line it never had. Control characters (and the line and paragraph separators)
are shown as escapes instead, and bytes that are not UTF-8 as ``\\xNN``.
"""

from __future__ import annotations

import os
import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def printable(name: str | os.PathLike[str]) -> str:
    """``name`` with every character that could move the cursor or break a line escaped."""
    text = os.fspath(name)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if text.isprintable() and "\\" not in text:
        return text
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in _NAMED:
            out.append(_NAMED[ch] if ch != "\\" else ch)
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by the file system
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def as_text(name: str) -> str:
    """A file name fit to store: bytes that are not UTF-8, which Python keeps in a name as lone
    surrogates, become U+FFFD instead of making the name unstorable."""
    return os.fsencode(name).decode("utf-8", "replace")
