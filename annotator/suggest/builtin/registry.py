"""The built-in suggesters by name, and those run when none is named."""

from __future__ import annotations

from annotator.suggest.builtin import captions, claims, concessions, quotes
from annotator.suggest.builtin.suggestion import Suggester


def built_in() -> dict[str, Suggester]:
    """The built-in suggesters by name."""
    return {
        "quotes": quotes.suggest,
        "captions": captions.suggest,
        "concessions": concessions.suggest,
        "claims": claims.suggest,
    }


# Run when no suggester is named; claims is left to those who ask for it (its rules are loose).
DEFAULT = ("quotes", "captions", "concessions")
