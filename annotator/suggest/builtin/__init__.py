"""Suggesters: rules that propose spans for an analyst to accept, correct or reject.

Each built-in suggester is a module of its own with a ``suggest(text, patterns)`` function,
needing no model and no network; their word lists and patterns come from a patterns file the
project can edit (see :mod:`annotator.suggest.builtin.patterns`). A suggestion is a span with a
label and a score between 0 and 1; it becomes an annotation only when an analyst accepts it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from annotator.suggest.builtin.patterns import Patterns


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    label: str
    score: float


Suggester = Callable[[str, Patterns], list[Suggestion]]


def built_in() -> dict[str, Suggester]:
    """The built-in suggesters by name (imported when asked for)."""
    from annotator.suggest.builtin import captions, claims, concessions, quotes

    return {
        "quotes": quotes.suggest,
        "captions": captions.suggest,
        "concessions": concessions.suggest,
        "claims": claims.suggest,
    }


# Run when no suggester is named; claims is left to those who ask for it (its rules are loose).
DEFAULT = ("quotes", "captions", "concessions")

__all__ = ["DEFAULT", "Patterns", "Suggester", "Suggestion", "built_in"]
