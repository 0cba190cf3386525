"""Counted nouns in what the window says: "1 document", "2 documents"."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun``, the noun in the plural unless the count is one."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"
