"""The built-in suggesters by name, and those run when none is named."""

from __future__ import annotations

from annotator.suggest.builtin import captions, claims, concessions, quotes, speakers
from annotator.suggest.builtin.suggestion import Suggester


def built_in() -> dict[str, Suggester]:
    """The built-in suggesters by name."""
    return {
        "quotes": quotes.suggest,
        "captions": captions.suggest,
        "concessions": concessions.suggest,
        "claims": claims.suggest,
        "speakers": speakers.suggest,
    }


# Run when no suggester is named; claims is left to those who ask for it (its rules are loose).
# speakers runs after quotes: it proposes who said each quote, as a span and a relation.
DEFAULT = ("quotes", "captions", "concessions", "speakers")
